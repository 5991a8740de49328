/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Types shared by the recorder's BPF programs (kcap_record.bpf.c) and its
 * user space (capture/): the per-syscall fill table, the enter stash and the
 * loss counters. libc-free: only __u8 .. __u64.
 *
 * The fill table is generated at start-up by user space from the schema's
 * descriptors (events.def, field sources included), so one BPF interpreter
 * fills most syscall events; there is no per-syscall BPF code to keep in
 * step with the schema.
 */
#ifndef KCAP_RECORD_H
#define KCAP_RECORD_H

#define KCAP_NR_MAX 512 /* entries of the syscall table */
/*
 * The table's last entry, no x86_64 syscall's number (they end below
 * 480): numbers past the table (x32's, with bit 30 set, or no syscall
 * at all: an ENOSYS probe) take it, the generic event.
 */
#define KCAP_NR_OTHER (KCAP_NR_MAX - 1)
/* --low-latency: CPUs whose records are counted (kcap_record.bpf.c, ll_recs) */
#define KCAP_LL_CPUS 512
#define KCAP_MAXOPS 64 /* fill operations per event; a power of 2 */
#define KCAP_SCRATCH 16384 /* per-CPU record buffer */
#define KCAP_TAIL_LIMIT 8192 /* var bytes start below this offset */
#define KCAP_VAR_MAX 4096 /* largest single var field */
#define KCAP_SNAPLEN_MAX 4000 /* below 4096, so masks bound it */
/*
 * A stash entry is 432 bytes: with the kernel's 72-byte header and the
 * allocator's 8 the element fills a 512-byte allocation (see the
 * accounting in capture/record.c).
 */
#define KCAP_STASH_DATA 412
#define KCAP_STASH_FNAME 256 /* an exec's filename, NUL included */
#define KCAP_ARGV_MAX 1024 /* bytes of argv kept */
#define KCAP_ARGV_STRS 33 /* a caller's argv: strings kept, plus one */
#define KCAP_STASH_CUT 4 /* in kcap_stash.ok[0]: the string was cut */
/* One bit per tid for -p and -- CMD: tids stay below 2^22 (PID_MAX_LIMIT). */
#define KCAP_TID_WORDS (1u << 16)

/*
 * Fill operation kinds: the schema's KCAP_SRCK_* values (1..31), plus the
 * kinds below that the recorder adds for fields whose source is NONE or
 * TASK in the schema.
 */
enum kcap_op_kind {
	KCAP_OP_NR = 32, /* the syscall number (generic event) */
	KCAP_OP_TASK =
		33, /* a property of the current task: `task` says which */
	/*
	 * A string the call wrote to the buffer at a, of size argument b;
	 * the result counts its NUL (getcwd): the schema's UBUF_RET of a
	 * PATH field.
	 */
	KCAP_OP_STR_RET = 34,
};

/* What a TASK field holds (the `task` byte of an op), chosen by field name. */
enum kcap_task_field {
	KCAP_TF_TGID = 1,
	KCAP_TF_PPID,
	KCAP_TF_VPID,
	KCAP_TF_VTID,
	KCAP_TF_UID,
	KCAP_TF_GID,
	KCAP_TF_EUID,
	KCAP_TF_EGID,
	KCAP_TF_CGROUP_ID,
	KCAP_TF_PIDNS,
	KCAP_TF_PGID,
	KCAP_TF_SID,
	KCAP_TF_VPGID,
	KCAP_TF_LOGINUID,
	KCAP_TF_VM_SIZE,
	KCAP_TF_VM_RSS,
	KCAP_TF_VM_SWAP,
	KCAP_TF_FDLIMIT,
	KCAP_TF_PGFT_MAJ,
	KCAP_TF_PGFT_MIN,
	KCAP_TF_CAP_INH,
	KCAP_TF_CAP_PRM,
	KCAP_TF_CAP_EFF,
	KCAP_TF_EXE_INO,
	KCAP_TF_CHILD_TID,
	KCAP_TF_CHILD_PID,
	KCAP_TF_TTY, /* controlling tty, the kernel's dev_t; 0: none */
	KCAP_TF_EXE_CTIME, /* the executable's inode ctime, epoch ns */
	KCAP_TF_EXE_MTIME, /* and its mtime */
	KCAP_TF_PIDNS_INIT_TS, /* start of the pid namespace's init, epoch ns */
	KCAP_TF_EXE_FLAGS, /* KCAP_EXE_* of the executable */
	/* var fields */
	KCAP_TF_COMM,
	KCAP_TF_ARGS, /* the process's argv, from its memory */
	KCAP_TF_EXE, /* path of the executable (dentry walk) */
	KCAP_TF_CWD, /* path of the working directory (dentry walk) */
	KCAP_TF_CGROUPS, /* "controller=path" per cgroup controller */
};

#define KCAP_DPATH_DEPTH 24 /* path components walked; deeper ones: cut */
#define KCAP_CG_SUBSYS 16 /* cgroup controllers looked at */
#define KCAP_CG_DEPTH 16 /* cgroup path components; deeper ones: cut */
/*
 * Bytes of cgroups, about (an entry may pass it by its last component;
 * one that would go further is left out, with those after it): with the
 * largest filename, argv, exe and cwd an exec record's vars still fit
 * below KCAP_TAIL_LIMIT.
 */
#define KCAP_CG_MAX 1800

/* exe_flags bits, the legacy format's PPM_EXE_* values. */
#define KCAP_EXE_WRITABLE 0x1 /* the task may write its executable */
#define KCAP_EXE_UPPER_LAYER 0x2 /* on overlayfs, from the upper layer */
#define KCAP_EXE_FROM_MEMFD 0x4 /* a memfd: no file on any disk */
#define KCAP_EXE_LOWER_LAYER 0x8 /* on overlayfs, from a lower layer */

struct kcap_op {
	__u16 off; /* of the field in the record */
	__u8 size; /* bytes of a fixed field; 0 for a var descriptor */
	__u8 kind; /* KCAP_SRCK_* or KCAP_OP_* */
	__u8 a, b; /* argument indexes (KCAP_RETV: the result) */
	__u8 task; /* KCAP_TF_* */
	__u8 is_signed;
};

/* ent.flags */
#define KCAP_SYS_ENABLED 0x1 /* selected by -e */
#define KCAP_SYS_STASH 0x2 /* its sys_enter stashes arguments */
#define KCAP_SYS_IO 0x4 /* an I/O event (KCAP_EF_IO): throttling applies */
/*
 * Only integer fields from the result, arguments or syscall number, at
 * most KCAP_SIMPLE_OPS of them, in at most KCAP_SIMPLE_MAX bytes: built
 * straight in the ring, no per-CPU buffer and no interpreter loop.
 */
#define KCAP_SYS_SIMPLE 0x8
#define KCAP_SIMPLE_OPS 8
#define KCAP_SIMPLE_MAX 88
/*
 * As KCAP_SYS_SIMPLE, plus one user buffer after the integers (read,
 * write, pread64...): also built straight in the ring, with room for the
 * snaplen, when the snaplen is at most KCAP_BUF_FAST_MAX.
 */
#define KCAP_SYS_BUF 0x10
#define KCAP_BUF_FAST_MAX 256
/*
 * As KCAP_SYS_SIMPLE, plus the path that sys_enter stashed and the device
 * and inode number of the fd the call returned (open, openat, creat):
 * built straight in the ring when the path is shorter than
 * KCAP_PATH_FAST_MAX, so that the commonest event with a string does not
 * go through the per-CPU buffer and the interpreter loop.
 */
#define KCAP_SYS_PATH 0x20
#define KCAP_PATH_OPS 3
#define KCAP_PATH_FAST_MAX 128

struct kcap_sys {
	__u16 evid;
	__u16 size; /* fixed part, header included */
	__u16 nops;
	__u16 flags;
	/*
	 * The first nints ops (at most KCAP_SIMPLE_OPS) are plain integers
	 * from the result, the arguments or the syscall number: filled
	 * inline, before the interpreter loop runs the rest.
	 */
	__u16 nints;
	/* of the `dur` field; 0: the event has none (not a syscall) */
	__u16 dur_off;
	__u16 pad_[2];
	struct kcap_op ops[KCAP_MAXOPS];
	__u8 tmpl[1024]; /* fixed part with unknown values (KCAP_FIXED_MAX) */
};

/*
 * nr of a stash that sched_process_fork filled, for the exit of the
 * clone, fork, vfork or clone3 that made the child: no syscall's number.
 */
#define KCAP_STASH_FORK 0xfffffffeu

/*
 * What sys_enter reads (the path of open*, an exec's filename, connect's
 * address), so that exit sees what the kernel saw: one var, in data. An
 * exec's argv is read at exit (see ok[1]). Also what exit needs and can
 * no longer read: the length of a recv*'s address buffer, which the call
 * overwrites; the host ids of a clone's child (sched_process_fork).
 */
struct kcap_stash {
	__u32 nr;
	__u16 len; /* of the var in data */
	__u8 arg; /* argument index of the var; 0xff: none */
	__u8 pad_;
	/*
	 * 1 if the read succeeded; ok[1] 2: an exec that succeeded, whose
	 * argv is read at exit from the new image's memory.
	 */
	__u8 ok[2]; /* ok[0] may add KCAP_STASH_CUT */
	__u8 pad2_[2];
	union {
		/* execveat's: a successful exec clears the registers */
		struct {
			__s32 dirfd;
			__u32 flags;
		};
		/*
		 * recvfrom's *addrlen, recvmsg's (or recvmmsg's first)
		 * msg_namelen at entry: the room the caller gave for the
		 * sender's address (at exit they hold its full length);
		 * -1: no address wanted, or not readable.
		 */
		__u32 namelen;
		/* KCAP_STASH_FORK: the new task's tid and tgid, host ids */
		struct {
			__u32 child_tid;
			__u32 child_tgid;
		};
	};
	__u8 data[KCAP_STASH_DATA];
};

/*
 * Per-CPU loss counters, one array per reason (the map's key is the
 * KCAP_LOSS_* reason, 0..KCAP_NREASONS-1; 0 is unused) and one counter per
 * event type. User space diffs them into LOSS records.
 */
#define KCAP_NREASONS 5
struct kcap_lost {
	__u64 count[1024]; /* KCAP_EV_LIMIT */
};

/*
 * kcap_tstate.run: the type of the dedup reference in the low bits
 * (event ids are below 1024; 0: none), and above them how many identical
 * events were folded into it since the last repeat record.
 */
#define KCAP_RUN_TYPE 1023u
#define KCAP_RUN_SHIFT 10
#define KCAP_RUN_MAX ((1u << (32 - KCAP_RUN_SHIFT)) - 1)

/*
 * Per-task state (task storage, so it goes with the task): the I/O
 * budget's window; the last I/O event kept, for de-duplication, and the
 * run of identical events folded into it, for its repeat record; under
 * -T, when the task's current syscall entered. 48 bytes, a 128-byte
 * allocation with the kernel's headers (capture/record.c checks it): so
 * the result is kept in 32 bits (an I/O call moves at most MAX_RW_COUNT
 * bytes, under 2 GiB; an event whose result does not fit is never a
 * reference), and the time of the last folded event as its distance
 * from the reference's.
 */
struct kcap_tstate {
	__u64 win_start;
	__u64 last_ts; /* of the reference, boot-clock ns */
	__u64 enter_ts; /* -T: boot-clock ns at sys_enter */
	__u32 enter_nr; /* of that syscall; -1: none pending */
	__u32 win_count;
	__s32 last_fd;
	__s32 last_res;
	/* last folded - last_ts, in ns >> dedup_shift() (kcap_record.bpf.c) */
	__u32 run_age;
	__u32 run; /* KCAP_RUN_* */
};

#endif /* KCAP_RECORD_H */
