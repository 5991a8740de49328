/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Internals of the legacy reader and the converter. */
#ifndef KCAP_SCAP_INTERNAL_H
#define KCAP_SCAP_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "kcap/kcap.h"
#include "kcap/scap.h"

/* ---- little-endian loads (file bytes are never cast to structs) -------- */

static inline uint16_t sc_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}
static inline uint32_t sc_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}
static inline uint64_t sc_le64(const uint8_t *p)
{
	return (uint64_t)sc_le32(p) | (uint64_t)sc_le32(p + 4) << 32;
}

/* ---- the legacy event table (scap_events.c) ---------------------------- */

#define SCAP_EVENT_COUNT 454 /* PPM_EVENT_MAX at libs HEAD */
#define SCAP_EVF_LARGE 1 /* u32 parameter lengths */
#define SCAP_EVF_UNUSED 2
#define SCAP_EVF_OLD 4

struct scap_event_info {
	const char *name;
	uint8_t nparams; /* at libs HEAD */
	uint8_t flags; /* SCAP_EVF_* */
	int16_t nr; /* x86_64 syscall number of its name, -1 if none */
};
extern const struct scap_event_info scap_events[SCAP_EVENT_COUNT];

/* Legacy event codes the converter treats by name. */
enum {
	SCAP_GENERIC_E = 0,
	SCAP_GENERIC_X = 1,
	SCAP_PROCEXIT_E = 16,
	SCAP_DROP_E = 148,
	SCAP_DROP_X = 149,
	SCAP_PROCEXIT_1_E = 186,
	SCAP_SIGNALDELIVER_E = 232,
};

/* ---- block codes -------------------------------------------------------- */

enum {
	SCAP_BT_SHB = 0x0A0D0D0A,
	SCAP_BT_MI = 0x201,
	SCAP_BT_MI_INT = 0x8002ABCD,
	SCAP_BT_PL_V1 = 0x202,
	SCAP_BT_PL_V1_INT = 0x8000ABCD,
	SCAP_BT_PL_V2 = 0x207,
	SCAP_BT_PL_V2_INT = 0x8013ABCD,
	SCAP_BT_PL_V3 = 0x209,
	SCAP_BT_PL_V3_INT = 0x8014ABCD,
	SCAP_BT_PL_V4 = 0x210,
	SCAP_BT_PL_V5 = 0x211,
	SCAP_BT_PL_V6 = 0x212,
	SCAP_BT_PL_V7 = 0x213,
	SCAP_BT_PL_V8 = 0x214,
	SCAP_BT_PL_V9 = 0x215,
	SCAP_BT_FDL = 0x203,
	SCAP_BT_FDL_INT = 0x8001ABCD,
	SCAP_BT_FDL_V2 = 0x218,
	SCAP_BT_EV = 0x204,
	SCAP_BT_EV_INT = 0x8010ABCD,
	SCAP_BT_EV_V2 = 0x216,
	SCAP_BT_EV_V2_LARGE = 0x221,
	SCAP_BT_EVF = 0x208,
	SCAP_BT_EVF_V2 = 0x217,
	SCAP_BT_EVF_V2_LARGE = 0x222,
	SCAP_BT_IL = 0x205,
	SCAP_BT_IL_INT = 0x8011ABCD,
	SCAP_BT_IL_V2 = 0x219,
	SCAP_BT_UL = 0x206,
	SCAP_BT_UL_INT = 0x8012ABCD,
	SCAP_BT_UL_V2 = 0x220,
};

#define SCAP_SHB_MAGIC 0x1A2B3C4Du
#define SCAP_EV_HDR_V2 26
#define SCAP_EV_HDR_V1 22
#define SCAP_MAX_PARAMS 64
#define SCAP_BLOCK_MAX (64u << 20) /* refuse larger blocks before reading */
#define SCAP_NONLARGE_MAX 65536

/* ---- the reader (scap_reader.c) ---------------------------------------- */

struct scap_rd;

struct scap_machine {
	uint32_t cpus;
	uint64_t mem_bytes;
	uint64_t max_pid;
	char hostname[129];
	uint64_t boot_ts;
	uint64_t flags;
};

struct scap_str {
	const uint8_t *p;
	uint32_t len;
};

struct scap_proc {
	int version; /* of its list block: which fields it has */
	uint64_t tid, pid, ptid;
	int64_t sid, vpgid, vtid, vpid, pgid;
	struct scap_str comm, exe, exepath, args, cwd, env, cgroups, root;
	uint64_t fdlimit;
	uint32_t flags, uid, gid, loginuid, tty;
	uint64_t pidns_init_start_ts;
	uint64_t cap_inheritable, cap_permitted, cap_effective;
	uint64_t exe_ino, exe_ino_ctime, exe_ino_mtime;
	uint32_t vm_size, vm_rss, vm_swap; /* list v2 and later */
	uint64_t pgft_maj, pgft_min;
	uint32_t has; /* SCAP_PH_*: which optional v9 tail fields were there */
};

#define SCAP_PH_PIDNS_TS 1
#define SCAP_PH_TTY 2
#define SCAP_PH_LOGINUID 4
#define SCAP_PH_CAPS 8
#define SCAP_PH_EXE_INO 16

struct scap_fd {
	uint64_t tid; /* of the list */
	int64_t fd;
	uint64_t ino;
	uint8_t type; /* scap_fd_type */
	uint8_t l4proto;
	uint32_t open_flags, dev;
	bool has_flags, has_dev;
	uint8_t sip[16], dip[16];
	uint16_t sport, dport;
	bool v6;
	struct scap_str name;
};

struct scap_event {
	uint64_t ts, tid;
	uint32_t len;
	uint16_t type;
	uint16_t cpu;
	uint32_t flags; /* EVF */
	uint32_t nparams;
	const uint8_t *params[SCAP_MAX_PARAMS];
	uint32_t plen[SCAP_MAX_PARAMS];
};

enum scap_item_kind {
	SCAP_IT_SECTION = 1,
	SCAP_IT_MACHINE,
	SCAP_IT_PROC,
	SCAP_IT_FD,
	SCAP_IT_EVENT,
	SCAP_IT_OTHER_LIST, /* interface/user list entries: read, counted */
	SCAP_IT_SKIPPED, /* unknown block type */
	SCAP_IT_BAD_EVENT, /* an event whose own lengths are wrong: skipped */
};

struct scap_item {
	int kind;
	uint64_t offset; /* of the block in the decompressed stream */
	uint32_t block_type;
	uint16_t major, minor; /* SECTION */
	const char *why; /* BAD_EVENT */
	struct scap_machine mi;
	struct scap_proc proc;
	struct scap_fd fd;
	struct scap_event ev;
};

/* Reads from path ("-" stdin), gzip or plain. NULL + errno. */
struct scap_rd *scap_rd__open(const char *path);
/*
 * As scap_rd__open; SCAP_RD_NO_THREAD: no inflating thread (one that reads
 * only the first blocks, as a probe, would have it inflate megabytes ahead
 * for nothing).
 */
#define SCAP_RD_NO_THREAD 1u
struct scap_rd *scap_rd__open_ex(const char *path, unsigned int flags);
struct scap_rd *scap_rd__open_mem(const void *buf, size_t len);
/* 1: item; 0: end; <0: stopped (damage or I/O); see errmsg/err_offset. */
int scap_rd__next(struct scap_rd *r, struct scap_item *it);
const char *scap_rd__errmsg(const struct scap_rd *r);
uint64_t scap_rd__err_offset(const struct scap_rd *r);
uint64_t scap_rd__bytes(const struct scap_rd *r);
bool scap_rd__gzip(const struct scap_rd *r);
void scap_rd__close(struct scap_rd *r);
/* 1 if buf (at least its first 4 bytes) starts a .scap, plain or gzip. */
int scap_sniff(const uint8_t *buf, size_t len);

/* ---- the table (table.c) ------------------------------------------------ */

enum scap_xf {
	XF_NONE = 0,
	XF_U8,
	XF_U16,
	XF_U32,
	XF_U64, /* unsigned int of that size */
	XF_S8,
	XF_S16,
	XF_S32,
	XF_S64, /* signed */
	XF_OFLAGS, /* PPM_O_* open flags -> O_* */
	XF_CLONE, /* PPM_CL_* -> CLONE_* (clone, unshare, setns) */
	XF_MMAP, /* PPM_MAP_* -> MAP_* */
	XF_FCNTL, /* PPM_FCNTL_* -> F_* */
	XF_PTRACE, /* PPM_PTRACE_* -> PTRACE_* */
	XF_RESOLVE, /* PPM_RESOLVE_* -> RESOLVE_* */
	XF_EPOLL_FLAGS, /* PPM_EPOLL_CLOEXEC -> EPOLL_CLOEXEC */
	XF_UNTRANSLATED, /* a PPM_* flag encoding kcap does not translate */
	XF_STR, /* CHARBUF/FSPATH: the trailing NUL dropped */
	XF_BYTES, /* BYTEBUF as is */
	XF_ARGV, /* NUL-separated list: the final NUL dropped */
	XF_ARGV_EXE, /* exe param, then the args param (aux) */
	XF_SADDR, /* PT_SOCKADDR -> struct sockaddr */
	XF_TUP_SRC, /* PT_SOCKTUPLE's source -> struct sockaddr */
	XF_TUP_DST, /* its destination */
	/*
	 * clone family: the new thread from the result (in the parent) or
	 * the tid/pid parameters 3 and 4 (in the child, result 0); aux is
	 * the flags parameter (CLONE_THREAD: same process).
	 */
	XF_CHILD_TID,
	XF_CHILD_PID,
	XF_TGID, /* the thread's process, as the converter knows it */
	/*
	 * A device number as the legacy drivers wrote it, new_encode_dev()'d
	 * (minor bits 0-7, major 8-19, minor 20-31), to the kernel's dev_t
	 * (major << 20 | minor), as kcap's DEV fields hold it.
	 */
	XF_DEV,
	/*
	 * A PT_DYN whose alternatives are all integers (bpf's res_or_fd,
	 * ptrace's addr and data): the value after the index byte, by its
	 * size.
	 */
	XF_DYN_INT,
	/*
	 * A PT_FDLIST (u16 count, then i64 fd and u16 PPM_POLL* flags each)
	 * to struct pollfd: the exit's list gives revents, the stored
	 * enter's (parameter e) events.
	 */
	XF_POLLFDS,
};

#define NA 0xff /* no parameter */

/* One kcap field: from exit param x, else stored enter param e, else unknown. */
struct conv_field {
	const char *name;
	uint8_t x, e;
	uint8_t xf; /* enum scap_xf */
	uint8_t aux; /* XF_ARGV_EXE: the args param */
};

enum conv_action {
	ACT_EXIT = 1, /* merge with the stored enter, emit one kcap event */
	ACT_STORE, /* an enter: keep for its thread */
	ACT_EMIT, /* a one-shot event (procexit, signal): emit alone */
	ACT_GENERIC, /* legacy generic syscall exit */
	ACT_DROP_START, /* legacy drop events -> LOSS */
	ACT_DROP_END,
	ACT_IGNORE, /* known, not a syscall, no kcap counterpart */
};

struct conv_row {
	uint16_t ltype; /* legacy event code */
	uint8_t nmin, nmax; /* parameter counts this row takes */
	uint8_t action;
	const char *kname; /* kcap event name */
	const struct conv_field *fields; /* ends at name == NULL */
	const char *why; /* ACT_IGNORE: the reason reported */
};

extern const struct conv_row conv_rows[];
extern const size_t conv_nrows;

/* A row resolved against the schema (offsets, types), built once. */
struct conv_rfield {
	const struct conv_field *f;
	uint16_t off;
	uint8_t ktype;
};

struct conv_resolved {
	const struct conv_row *row;
	const struct kcap_event_desc *ev;
	/* the record with every field unknown, copied to start one */
	uint8_t tmpl[KCAP_FIXED_MAX] __attribute__((aligned(8)));
	uint8_t nf;
	/*
	 * Where the event's `dur` is, 0 if it has none (the header is at 0):
	 * no row fills it; the converter does, from the pair's two times.
	 */
	uint16_t dur_off;
	struct conv_rfield rf[48];
};

struct conv_table;
/* Resolves every row against the builtin schema; NULL + errno, msg. */
struct conv_table *conv_table__new(const char **msg);
void conv_table__free(struct conv_table *t);
/* The table, resolved once per process and shared (read-only). */
const struct conv_table *conv_table__get(const char **msg);
/* True if any row takes legacy code type. */
bool conv_table__has(const struct conv_table *t, unsigned int type);
/* The row for (type, nparams), or NULL. */
const struct conv_resolved *conv_table__find(const struct conv_table *t,
					     unsigned int type,
					     unsigned int nparams);
/* dur_off of the generic `syscall` event (legacy exits that have no row). */
uint16_t conv_table__generic_dur(const struct conv_table *t);

/* ---- converter ------------------------------------------------------------ */

/*
 * One conversion, driven an item at a time (convert.c): new(), then step()
 * until it returns 0 (the input ended or something failed), then end(),
 * which finishes what is open, fills in the report, frees the conversion
 * and returns 0 or the first error. end() after a step() that returned 1
 * stops the conversion there, writing nothing more.
 */
struct conv;
struct conv *scap_conv__new(struct scap_rd *rd, struct kcap_writer *w,
			    const struct kcap_scap_convert_opts *opts,
			    struct kcap_scap_report *rep, int *err);
int scap_conv__step(struct conv *c);
int scap_conv__end(struct conv *c);

/*
 * Appends n bytes at *len of a buffer that doubles as it grows (first: its
 * size when empty); 0 or -ENOMEM.
 */
int scap_buf_append(uint8_t **buf, size_t *len, size_t *cap, size_t first,
		    const void *p, size_t n);

/* Converts everything rd holds into w (convert.c). */
int scap_convert_rd(struct scap_rd *rd, struct kcap_writer *w,
		    const struct kcap_scap_convert_opts *opts,
		    struct kcap_scap_report *rep);

uint32_t scap_oflags_to_kernel(uint32_t ppm);
/* A legacy (new_encode_dev) device number as the kernel's dev_t. */
uint32_t scap_dev_to_kernel(uint32_t enc);
/* Other PPM encodings to the kernel's: 1 if known, 0 if not. */
int scap_translate(uint8_t xf, uint64_t ppm, int64_t *out);
/* Legacy sockaddr/tuple to kernel sockaddr bytes; returns length, 0 if none. */
size_t scap_saddr_to_kernel(const uint8_t *p, size_t len, uint8_t out[128]);
size_t put_sa4(uint8_t *out, const uint8_t *ip, uint16_t port);
size_t put_sa6(uint8_t *out, const uint8_t *ip, uint16_t port);
size_t scap_tuple_to_kernel(const uint8_t *p, size_t len, bool dst,
			    uint8_t out[128]);
/* PPM_POLL* flags to POLL*. */
uint16_t scap_poll_to_kernel(uint16_t ppm);

#endif
