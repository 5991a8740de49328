/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Symbolic names for the printers: x86_64 syscalls, errnos, signals and the
 * enum and flag print formats (enum kcap_fmt).
 *
 * The values are the Linux x86_64 ABI, written out in names.c rather than
 * taken from the build host's headers, so that a capture prints the same
 * whichever machine built the reader. All of it is const data: thread-safe.
 */
#ifndef KCAP_NAMES_H
#define KCAP_NAMES_H

#include <stddef.h>

#include "kcap/events.h"

/* "openat" for 257; NULL for a number the table does not know. */
const char *kcap_syscall_name(unsigned int nr);
/* The inverse, by the table's spelling ("pread64", "newfstatat"); -1. */
int kcap_syscall_nr(const char *name);
/*
 * The class of syscall nr (enum kcap_class), by what it does: the same as
 * its own event's in events.def where it has one. KCAP_CLASS_OTHER for a
 * number the table does not know.
 */
int kcap_syscall_class(unsigned int nr);
/* One past the highest syscall number that has a name. */
unsigned int kcap_syscall_max(void);

/* "ENOENT" for 2, also the kernel-internal 512.. (ERESTARTSYS); or NULL. */
const char *kcap_errno_name(int err);

/*
 * "SIGHUP".."SIGSYS" for 1..31. Real-time signals are named by the kernel's
 * numbering (SIGRTMIN is 32, SIGRTMAX 64), not by any libc's: 34 is
 * "SIGRTMIN+2". NULL for 0 and anything above 64.
 */
const char *kcap_signal_name(int sig);

/*
 * Render value in print format fmt into buf, the way strace would:
 * "O_WRONLY|O_CREAT|O_CLOEXEC", "CLONE_VM|SIGCHLD", "S_IFREG|0644",
 * "AF_INET6". Flag sets append unknown bits as "|0x..."; an enum value
 * without a name prints as a signed decimal.
 *
 * Returns the length of the whole rendering, as snprintf does: if it is
 * >= size the output was cut short, but it is NUL-terminated whenever
 * size > 0. Returns -EINVAL, writing nothing, for a fmt that has no
 * symbolic form (DEC, HEX, FD, TIME, DEV, var formats...).
 */
int kcap_fmt_symbolic(char *buf, size_t size, int fmt,
		      unsigned long long value);

#endif /* KCAP_NAMES_H */
