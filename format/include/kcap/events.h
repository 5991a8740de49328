/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The kcap event ABI: record header, variable-field descriptor, and one
 * struct per event, all generated from events.def.
 *
 * This header is shared with the BPF side, so it must stay libc-free: it uses
 * only the __u8 .. __s64 types, which <linux/types.h> provides in user space
 * and vmlinux.h provides in BPF programs (define KCAP_BPF before including).
 */
#ifndef KCAP_EVENTS_H
#define KCAP_EVENTS_H

#ifndef KCAP_BPF
#include <linux/types.h>
#endif

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "kcap records are little-endian and read in place: big-endian hosts are not supported"
#endif

/* Every record starts with this header; see FORMAT.md, "Event records". */
struct kcap_hdr {
	__u16 type; /* event id from events.def */
	__u16 len; /* whole record, tail included; a multiple of 8 */
	__u32 tid; /* host thread id */
	__u64 ts; /* ns since the Unix epoch (UTC) */
};

/*
 * A variable-length field lives in the record's tail; the fixed part holds
 * where. {0, 0} means the value is absent (unknown); an empty value has an
 * offset inside the tail and len 0.
 */
struct kcap_var {
	__u16 off; /* from the start of the record */
	__u16 len;
};

#define KCAP_HDR_SIZE 16
#define KCAP_REC_ALIGN 8
#define KCAP_REC_MAX 65528 /* largest multiple of 8 a __u16 len can hold */
#define KCAP_FIXED_MAX 1024 /* largest fixed part of any event */
#define KCAP_EV_LIMIT 1024 /* event ids are below this */

/* Field types. The numbers are written into SCHEMA blocks: never change. */
enum kcap_type {
	KCAP_T_u8 = 1,
	KCAP_T_u16 = 2,
	KCAP_T_u32 = 3,
	KCAP_T_u64 = 4,
	KCAP_T_s8 = 5,
	KCAP_T_s16 = 6,
	KCAP_T_s32 = 7,
	KCAP_T_s64 = 8,
	KCAP_T_var = 9,
};

#define KCAP_CTYPE_u8 __u8
#define KCAP_CTYPE_u16 __u16
#define KCAP_CTYPE_u32 __u32
#define KCAP_CTYPE_u64 __u64
#define KCAP_CTYPE_s8 __s8
#define KCAP_CTYPE_s16 __s16
#define KCAP_CTYPE_s32 __s32
#define KCAP_CTYPE_s64 __s64

/*
 * "Unknown" values: what a field holds when its value was not available
 * (a converted exit without its enter, a recorder that could not read it).
 * Chosen so that they never look like a real value of that field.
 */
#define KCAP_UNKNOWN_u8 ((__u8)0xff)
#define KCAP_UNKNOWN_u16 ((__u16)0xffff)
#define KCAP_UNKNOWN_u32 ((__u32)0xffffffffu)
#define KCAP_UNKNOWN_u64 ((__u64)0xffffffffffffffffull)
#define KCAP_UNKNOWN_s8 ((__s8)-0x80)
#define KCAP_UNKNOWN_s16 ((__s16)-0x8000)
#define KCAP_UNKNOWN_s32 ((__s32)(-0x7fffffff - 1))
#define KCAP_UNKNOWN_s64 ((__s64)(-0x7fffffffffffffffll - 1))

/*
 * Print formats. Also written into SCHEMA blocks: the numbers are permanent,
 * and a reader prints an unknown format as a plain number (or as bytes for a
 * variable field).
 */
enum kcap_fmt {
	KCAP_FMT_DEC = 0,
	KCAP_FMT_HEX = 1,
	KCAP_FMT_OCT = 2,
	KCAP_FMT_RES = 3, /* syscall result: < 0 is -errno */
	KCAP_FMT_FD = 4, /* AT_FDCWD by name */
	KCAP_FMT_PID = 5,
	KCAP_FMT_UID = 6, /* uid or gid; (u32)-1 means "unchanged" */
	KCAP_FMT_SIG = 7, /* signal number */
	KCAP_FMT_TIME = 8, /* ns since the epoch */
	KCAP_FMT_DURATION = 9, /* ns */
	KCAP_FMT_OFLAGS = 10, /* open(2) flags */
	KCAP_FMT_CLONE = 11, /* clone(2) flags */
	KCAP_FMT_PROT = 12, /* mmap/mprotect PROT_* */
	KCAP_FMT_MMAP = 13, /* mmap MAP_* */
	KCAP_FMT_MODE = 14, /* file mode, octal with type bits */
	KCAP_FMT_AF = 15, /* address family */
	KCAP_FMT_SOCKTYPE = 16, /* SOCK_* with SOCK_NONBLOCK|SOCK_CLOEXEC */
	KCAP_FMT_ATFLAGS = 17, /* AT_* flags */
	KCAP_FMT_FCNTL = 18, /* fcntl command */
	KCAP_FMT_PTRACE = 19, /* ptrace request */
	KCAP_FMT_PRCTL = 20, /* prctl option */
	KCAP_FMT_BPFCMD = 21, /* bpf(2) command */
	KCAP_FMT_SYSCALL = 22, /* x86_64 syscall number */
	KCAP_FMT_DEV = 23, /* device number, major:minor */
	KCAP_FMT_EVTYPE = 24, /* kcap event id */
	KCAP_FMT_ERRNO = 25, /* positive errno */
	KCAP_FMT_WHENCE = 26, /* lseek SEEK_* */
	KCAP_FMT_SHUT = 27, /* shutdown SHUT_* */
	KCAP_FMT_LOSS = 28, /* loss reason, KCAP_LOSS_* */
	KCAP_FMT_FDKIND = 29, /* KCAP_FD_* of a snapshot fd */
	KCAP_FMT_MSGFLAGS = 30, /* send/recv MSG_* */
	/* formats of variable fields */
	KCAP_FMT_STR = 64, /* text, printed escaped */
	KCAP_FMT_PATH = 65, /* a path, printed escaped */
	KCAP_FMT_BUF = 66, /* bytes (I/O data), printed escaped */
	KCAP_FMT_ARGV = 67, /* NUL-terminated strings; see "Cut values" */
	KCAP_FMT_SOCKADDR = 68, /* struct sockaddr as the kernel lays it out */
	KCAP_FMT_POLLFDS = 69, /* array of struct pollfd */
};

/* Event classes, for selection (`-e %file`) and summaries. */
enum kcap_class {
	KCAP_CLASS_META = 0, /* machine, snapshot and loss records */
	KCAP_CLASS_FILE = 1,
	KCAP_CLASS_NET = 2,
	KCAP_CLASS_PROC = 3,
	KCAP_CLASS_IPC = 4,
	KCAP_CLASS_MEM = 5,
	KCAP_CLASS_SIGNAL = 6,
	KCAP_CLASS_TIME = 7,
	KCAP_CLASS_SYS = 8, /* system administration: mount, modules, bpf */
	KCAP_CLASS_OTHER = 9,
};

/* Event flags. */
#define KCAP_EF_SYSCALL 0x0001 /* one syscall; `res` is the first field */
#define KCAP_EF_IO 0x0002 /* data transfer on an fd: read/write family */
#define KCAP_EF_FD_CREATE 0x0004 /* the result is a new fd */
#define KCAP_EF_FD_CLOSE 0x0008 /* closes an fd */
#define KCAP_EF_PROC 0x0010 /* changes the process table */
/*
 * changes what a reader keeps of a process otherwise: a socket's
 * addresses, a dup by fcntl, the cwd. With FD_CREATE, FD_CLOSE and PROC,
 * the events a recorder keeps whatever -e says, for names to stay right.
 */
#define KCAP_EF_STATE 0x0020
#define KCAP_EF_KEEPS_STATE \
	(KCAP_EF_FD_CREATE | KCAP_EF_FD_CLOSE | KCAP_EF_PROC | KCAP_EF_STATE)

/*
 * Where the recorder takes a syscall field from: a kind and up to two
 * argument indexes. KCAP_RETV as an index means the syscall's result.
 * Sources are not stored in files; they drive the table-filled BPF program.
 */
enum kcap_src_kind {
	KCAP_SRCK_NONE = 0, /* filled by dedicated code, or not available */
	KCAP_SRCK_RET = 1, /* the result */
	KCAP_SRCK_ARG = 2, /* integer argument a */
	KCAP_SRCK_USTR = 3, /* NUL-terminated user string at argument a */
	KCAP_SRCK_UBUF =
		4, /* user buffer at a, length argument b, snaplen cap */
	KCAP_SRCK_UBUF_RET = 5, /* user buffer at a, length = result, capped */
	KCAP_SRCK_UIOV = 6, /* iovec array at a, count b, length argument sum */
	KCAP_SRCK_UIOV_RET = 7, /* iovec array at a, count b, length = result */
	KCAP_SRCK_SADDR = 8, /* sockaddr at a, length argument b */
	KCAP_SRCK_SADDR_PTR = 9, /* sockaddr at a, length in *(socklen_t *)b */
	KCAP_SRCK_FD_LADDR = 10, /* local address of the socket fd a */
	KCAP_SRCK_FD_RADDR = 11, /* peer address of the socket fd a */
	KCAP_SRCK_FD_DEV = 12, /* device of the file fd a */
	KCAP_SRCK_FD_INO = 13, /* inode number of the file fd a */
	KCAP_SRCK_UARGV = 14, /* NULL-terminated user string array at a */
	KCAP_SRCK_UINT_AT =
		15, /* field-sized int at byte 4*b of user memory at a */
	KCAP_SRCK_MSG_RET = 16, /* data of the msghdr at a, length = result */
	KCAP_SRCK_MSG_NAME = 17, /* msg_name address of the msghdr at a */
	KCAP_SRCK_TASK = 18, /* from the current task, by dedicated code */
	KCAP_SRCK_MMSG_RET = 19, /* first message of the mmsghdr array at a */
	KCAP_SRCK_DUR = 20, /* time from the syscall's entry to its exit */
};

#define KCAP_RETV 15 /* argument index that means "the result" */
#define KCAP_SRC_MK(k, a, b) ((k) | ((a) << 8) | ((b) << 12))
#define KCAP_SRC_KIND(s) ((s)&0xff)
#define KCAP_SRC_A(s) (((s) >> 8) & 0xf)
#define KCAP_SRC_B(s) (((s) >> 12) & 0xf)

#define KCAP_SRC_NONE KCAP_SRC_MK(KCAP_SRCK_NONE, 0, 0)
#define KCAP_SRC_RET KCAP_SRC_MK(KCAP_SRCK_RET, 0, 0)
#define KCAP_SRC_ARG(a) KCAP_SRC_MK(KCAP_SRCK_ARG, a, 0)
#define KCAP_SRC_USTR(a) KCAP_SRC_MK(KCAP_SRCK_USTR, a, 0)
#define KCAP_SRC_UBUF(a, b) KCAP_SRC_MK(KCAP_SRCK_UBUF, a, b)
#define KCAP_SRC_UBUF_RET(a) KCAP_SRC_MK(KCAP_SRCK_UBUF_RET, a, 0)
#define KCAP_SRC_UIOV(a, b) KCAP_SRC_MK(KCAP_SRCK_UIOV, a, b)
#define KCAP_SRC_UIOV_RET(a, b) KCAP_SRC_MK(KCAP_SRCK_UIOV_RET, a, b)
#define KCAP_SRC_SADDR(a, b) KCAP_SRC_MK(KCAP_SRCK_SADDR, a, b)
#define KCAP_SRC_SADDR_PTR(a, b) KCAP_SRC_MK(KCAP_SRCK_SADDR_PTR, a, b)
#define KCAP_SRC_FD_LADDR(a) KCAP_SRC_MK(KCAP_SRCK_FD_LADDR, a, 0)
#define KCAP_SRC_FD_RADDR(a) KCAP_SRC_MK(KCAP_SRCK_FD_RADDR, a, 0)
#define KCAP_SRC_FD_DEV(a) KCAP_SRC_MK(KCAP_SRCK_FD_DEV, a, 0)
#define KCAP_SRC_FD_INO(a) KCAP_SRC_MK(KCAP_SRCK_FD_INO, a, 0)
#define KCAP_SRC_UARGV(a) KCAP_SRC_MK(KCAP_SRCK_UARGV, a, 0)
#define KCAP_SRC_UINT_AT(a, b) KCAP_SRC_MK(KCAP_SRCK_UINT_AT, a, b)
#define KCAP_SRC_MSG_RET(a) KCAP_SRC_MK(KCAP_SRCK_MSG_RET, a, 0)
#define KCAP_SRC_MSG_NAME(a) KCAP_SRC_MK(KCAP_SRCK_MSG_NAME, a, 0)
#define KCAP_SRC_TASK KCAP_SRC_MK(KCAP_SRCK_TASK, 0, 0)
#define KCAP_SRC_MMSG_RET(a) KCAP_SRC_MK(KCAP_SRCK_MMSG_RET, a, 0)
#define KCAP_SRC_DUR KCAP_SRC_MK(KCAP_SRCK_DUR, 0, 0)
/* The same, applied to the fd the syscall returns. */
#define KCAP_SRC_FD_LADDR_RET KCAP_SRC_FD_LADDR(KCAP_RETV)
#define KCAP_SRC_FD_RADDR_RET KCAP_SRC_FD_RADDR(KCAP_RETV)
#define KCAP_SRC_FD_DEV_RET KCAP_SRC_FD_DEV(KCAP_RETV)
#define KCAP_SRC_FD_INO_RET KCAP_SRC_FD_INO(KCAP_RETV)

/* Loss reasons (the `reason` field of a loss record). */
enum kcap_loss_reason {
	KCAP_LOSS_RINGBUF = 1, /* no room in the ring buffer */
	KCAP_LOSS_BUDGET = 2, /* over the per-task I/O budget */
	KCAP_LOSS_SAMPLED = 3, /* sampled out while the ring ran full */
	KCAP_LOSS_DEDUP = 4, /* folded into a repeated identical event */
	KCAP_LOSS_SOURCE = 5, /* dropped before kcap saw it (legacy drops) */
};

/* Kinds of fds in snapshots (the `kind` field of snap_fd). */
enum kcap_fd_kind {
	KCAP_FD_UNKNOWN = 0,
	KCAP_FD_FILE = 1,
	KCAP_FD_DIR = 2,
	KCAP_FD_PIPE = 3,
	KCAP_FD_SOCK_INET = 4,
	KCAP_FD_SOCK_INET6 = 5,
	KCAP_FD_SOCK_UNIX = 6,
	KCAP_FD_SOCK_NETLINK = 7,
	KCAP_FD_SOCK_OTHER = 8,
	KCAP_FD_EVENTFD = 9,
	KCAP_FD_SIGNALFD = 10,
	KCAP_FD_TIMERFD = 11,
	KCAP_FD_EPOLL = 12,
	KCAP_FD_INOTIFY = 13,
	KCAP_FD_MEMFD = 14,
	KCAP_FD_PIDFD = 15,
	KCAP_FD_BPF = 16,
	KCAP_FD_IOURING = 17,
	KCAP_FD_USERFAULTFD = 18,
	KCAP_FD_CHAR = 19,
	KCAP_FD_BLOCK = 20,
	KCAP_FD_ANON = 21,
};

/* The event ids: KCAP_EV_openat and so on. */
enum kcap_event_id {
#define KCAP_EVENT(name, id, cls, flags) KCAP_EV_##name = id,
#include "events.def"
};

/* One struct per event. */
#define KCAP_EVENT(name, id, cls, flags) \
	struct kcap_ev_##name {          \
		struct kcap_hdr hdr;
#define KCAP_FIELD(ev, name, type, fmt, src) KCAP_CTYPE_##type name;
#define KCAP_VAR(ev, name, fmt, src) struct kcap_var name;
#define KCAP_END(ev) \
	}            \
	__attribute__((aligned(8)));
#include "events.def"

/*
 * Size checks. The fixed part must have no holes: its size is the sum of
 * its fields rounded up to 8. (tests/test_schema.c also checks each offset.)
 */
#define KCAP_EVENT(name, id, cls, flags) \
	enum { kcap_fieldsum_##name = KCAP_HDR_SIZE
#define KCAP_FIELD(ev, name, type, fmt, src) +(int)sizeof(KCAP_CTYPE_##type)
#define KCAP_VAR(ev, name, fmt, src) +(int)sizeof(struct kcap_var)
#define KCAP_END(ev)                                                          \
	}                                                                     \
	;                                                                     \
	_Static_assert(sizeof(struct kcap_ev_##ev) ==                         \
			       ((kcap_fieldsum_##ev + 7) & ~7),               \
		       "struct kcap_ev_" #ev " has a hole: order its fields " \
		       "by size");                                            \
	_Static_assert(sizeof(struct kcap_ev_##ev) <= KCAP_FIXED_MAX,         \
		       "struct kcap_ev_" #ev " is too large");                \
	_Static_assert(KCAP_EV_##ev > 0 && KCAP_EV_##ev < KCAP_EV_LIMIT,      \
		       "event id of " #ev " out of range");
#include "events.def"

#endif /* KCAP_EVENTS_H */
