/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The recorder's parts, shared between its files. */
#ifndef KCAP_CAPTURE_H
#define KCAP_CAPTURE_H

#include <stddef.h>
#include <stdint.h>

#include "kcap/kcap.h"
#include "kcap_record.h"

/*
 * Build the BPF fill table (KCAP_NR_MAX entries) from the schema: every
 * syscall that has an event of its own is filled from its fields' sources,
 * every other one as the generic `syscall` event. select is the -e list
 * (NULL: everything; capture/README.md says how it reads), which never
 * leaves out an event of KCAP_EF_KEEPS_STATE unless by its name; on a bad
 * name, returns -EINVAL with a message in err. Warnings (a name no event
 * can record, a state event left out) go to stderr.
 */
int kcap_table_build(struct kcap_sys *tab, const struct kcap_schema *s,
		     const char *select, char *err, size_t errlen);

/*
 * -W with strftime names: the ring kept[n] of file names, and slot, the
 * next file's place in it, gets name. Returns the name of the file to
 * remove, the one slot held (malloc'ed, for the caller to free), or NULL:
 * none, or the one being written (the pattern came round again: c-%H a day
 * later). A name that another slot holds leaves that slot, so that the
 * newer file is not removed there as the oldest.
 */
char *kcap_ring_take(char **kept, unsigned int n, unsigned int slot,
		     const char *name);

/*
 * A SNAPSHOT block's records (snap_proc for every thread, snap_fd for every
 * open fd) of the whole machine, in a malloc'ed buffer. Each process's
 * records carry the time its /proc entries began to be read, on the clock
 * of the BPF events (CLOCK_BOOTTIME + boot_wall_ns): an event of that
 * process stamped earlier is already in what was read (FORMAT.md 4.4).
 */
int kcap_snapshot_proc(const struct kcap_schema *s, uint64_t boot_wall_ns,
		       void **out, size_t *len, uint32_t *count);

/*
 * A unix socket of kcap_sockdiag_unix(): its inode and its name as
 * /proc/net/unix shows it (a pathname without its NUL, an abstract name
 * with '@' for each NUL, its first included), len at most 108 (sun_path's
 * size), 0 if unbound. name is valid during the call. A negative return
 * stops the dump and is returned.
 */
typedef int (*kcap_unix_sock_fn)(void *ctx, uint64_t ino, const char *name,
				 size_t len);

/*
 * A unix socket's name (sun_path's len bytes, as unix_diag and
 * getsockname() give it) as /proc/net/unix shows it (unix_seq_show): a
 * pathname without the NUL that ends it, an abstract one (its first byte
 * NUL) whole, every NUL as '@'. Its length, or -1 if longer than sun_path.
 */
int kcap_unix_name_shown(const uint8_t *name, size_t len, char *out);

/*
 * The unix sockets of the network namespace of pid, which must still be
 * the one of inode netns, from NETLINK_SOCK_DIAG: fn for each. Returns 0,
 * or -errno: -ENOENT or -EPROTONOSUPPORT without unix_diag, -EPERM when
 * the namespace cannot be entered, -ENOENT when pid is gone, -ESRCH when
 * it is in another namespace by now, or fn's return. fn may have seen
 * sockets before an error.
 */
int kcap_sockdiag_unix(int pid, uint64_t netns, kcap_unix_sock_fn fn,
		       void *ctx);

/*
 * For -p: the threads of the processes roots and of all their
 * descendants, from one walk of /proc, as pairs of (tid, tgid) in *tids
 * (malloc'ed; NULL if none), each thread once however the trees overlap.
 * counts, NULL or one per root, gets how many of the pairs are of each
 * root's tree: 0 for a root that is no process (gone, or a thread's id).
 * Returns how many pairs; -errno.
 */
int kcap_proc_descendants(const int *roots, int nroots, int **tids,
			  int *counts);

#endif
