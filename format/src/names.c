// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Symbolic names for the printers. Every enum table is a static const array
 * in value order, so one binary search (with a direct-index shortcut for
 * the dense ones) serves them all, and one loop serves every flag table.
 * Values are Linux x86_64 as of 6.18, spelled out: see names.h for why.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "kcap/kcap.h"
#include "names.h"

#define NAMES_COUNT(a) (sizeof(a) / sizeof((a)[0]))

struct name_ent {
	unsigned int val;
	const char *name;
};

/*
 * A flag table entry names the bits in mask when (value & mask) == val. A
 * plain bit has val == mask; a multi-bit field (the open access mode, the
 * socket type, the mmap huge page size) has one entry per named value.
 */
struct flag_ent {
	unsigned long long mask;
	unsigned long long val;
	const char *name;
};

/* One entry a line, so that a table diffs like the kernel header. */
/* clang-format off */
#define E(name, v) { v, #name }
#define F(name, v) { v, v, #name }
#define FV(name, m, v) { m, v, #name }

/*
 * arch/x86/entry/syscalls/syscall_64.tbl, without the x32 range 512..,
 * each with the class of what it does (enum kcap_class), after strace's
 * groups widened to kcap's classes: the class an event of its own has in
 * events.def, and for the rest (recorded as the generic `syscall` event)
 * the one place that says which `-e %CLASS` records them. OTHER holds
 * only what fits nowhere: the unimplemented, uprobe trampolines,
 * getrandom and restart_syscall.
 */
#define C_FILE KCAP_CLASS_FILE
#define C_NET KCAP_CLASS_NET
#define C_PROC KCAP_CLASS_PROC
#define C_IPC KCAP_CLASS_IPC
#define C_MEM KCAP_CLASS_MEM
#define C_SIG KCAP_CLASS_SIGNAL
#define C_TIME KCAP_CLASS_TIME
#define C_SYS KCAP_CLASS_SYS
#define C_OTHER KCAP_CLASS_OTHER
static const struct syscall_ent {
	unsigned int val;
	const char *name;
	unsigned char cls; /* enum kcap_class */
} syscalls[] = {
	{ 0, "read", C_FILE },
	{ 1, "write", C_FILE },
	{ 2, "open", C_FILE },
	{ 3, "close", C_FILE },
	{ 4, "stat", C_FILE },
	{ 5, "fstat", C_FILE },
	{ 6, "lstat", C_FILE },
	{ 7, "poll", C_FILE },
	{ 8, "lseek", C_FILE },
	{ 9, "mmap", C_MEM },
	{ 10, "mprotect", C_MEM },
	{ 11, "munmap", C_MEM },
	{ 12, "brk", C_MEM },
	{ 13, "rt_sigaction", C_SIG },
	{ 14, "rt_sigprocmask", C_SIG },
	{ 15, "rt_sigreturn", C_SIG },
	{ 16, "ioctl", C_FILE },
	{ 17, "pread64", C_FILE },
	{ 18, "pwrite64", C_FILE },
	{ 19, "readv", C_FILE },
	{ 20, "writev", C_FILE },
	{ 21, "access", C_FILE },
	{ 22, "pipe", C_IPC },
	{ 23, "select", C_FILE },
	{ 24, "sched_yield", C_PROC },
	{ 25, "mremap", C_MEM },
	{ 26, "msync", C_MEM },
	{ 27, "mincore", C_MEM },
	{ 28, "madvise", C_MEM },
	{ 29, "shmget", C_IPC },
	{ 30, "shmat", C_IPC },
	{ 31, "shmctl", C_IPC },
	{ 32, "dup", C_FILE },
	{ 33, "dup2", C_FILE },
	{ 34, "pause", C_SIG },
	{ 35, "nanosleep", C_TIME },
	{ 36, "getitimer", C_TIME },
	{ 37, "alarm", C_TIME },
	{ 38, "setitimer", C_TIME },
	{ 39, "getpid", C_PROC },
	{ 40, "sendfile", C_FILE },
	{ 41, "socket", C_NET },
	{ 42, "connect", C_NET },
	{ 43, "accept", C_NET },
	{ 44, "sendto", C_NET },
	{ 45, "recvfrom", C_NET },
	{ 46, "sendmsg", C_NET },
	{ 47, "recvmsg", C_NET },
	{ 48, "shutdown", C_NET },
	{ 49, "bind", C_NET },
	{ 50, "listen", C_NET },
	{ 51, "getsockname", C_NET },
	{ 52, "getpeername", C_NET },
	{ 53, "socketpair", C_NET },
	{ 54, "setsockopt", C_NET },
	{ 55, "getsockopt", C_NET },
	{ 56, "clone", C_PROC },
	{ 57, "fork", C_PROC },
	{ 58, "vfork", C_PROC },
	{ 59, "execve", C_PROC },
	{ 60, "exit", C_PROC },
	{ 61, "wait4", C_PROC },
	{ 62, "kill", C_SIG },
	{ 63, "uname", C_SYS },
	{ 64, "semget", C_IPC },
	{ 65, "semop", C_IPC },
	{ 66, "semctl", C_IPC },
	{ 67, "shmdt", C_IPC },
	{ 68, "msgget", C_IPC },
	{ 69, "msgsnd", C_IPC },
	{ 70, "msgrcv", C_IPC },
	{ 71, "msgctl", C_IPC },
	{ 72, "fcntl", C_FILE },
	{ 73, "flock", C_FILE },
	{ 74, "fsync", C_FILE },
	{ 75, "fdatasync", C_FILE },
	{ 76, "truncate", C_FILE },
	{ 77, "ftruncate", C_FILE },
	{ 78, "getdents", C_FILE },
	{ 79, "getcwd", C_FILE },
	{ 80, "chdir", C_FILE },
	{ 81, "fchdir", C_FILE },
	{ 82, "rename", C_FILE },
	{ 83, "mkdir", C_FILE },
	{ 84, "rmdir", C_FILE },
	{ 85, "creat", C_FILE },
	{ 86, "link", C_FILE },
	{ 87, "unlink", C_FILE },
	{ 88, "symlink", C_FILE },
	{ 89, "readlink", C_FILE },
	{ 90, "chmod", C_FILE },
	{ 91, "fchmod", C_FILE },
	{ 92, "chown", C_FILE },
	{ 93, "fchown", C_FILE },
	{ 94, "lchown", C_FILE },
	{ 95, "umask", C_FILE },
	{ 96, "gettimeofday", C_TIME },
	{ 97, "getrlimit", C_PROC },
	{ 98, "getrusage", C_PROC },
	{ 99, "sysinfo", C_SYS },
	{ 100, "times", C_TIME },
	{ 101, "ptrace", C_PROC },
	{ 102, "getuid", C_PROC },
	{ 103, "syslog", C_SYS },
	{ 104, "getgid", C_PROC },
	{ 105, "setuid", C_PROC },
	{ 106, "setgid", C_PROC },
	{ 107, "geteuid", C_PROC },
	{ 108, "getegid", C_PROC },
	{ 109, "setpgid", C_PROC },
	{ 110, "getppid", C_PROC },
	{ 111, "getpgrp", C_PROC },
	{ 112, "setsid", C_PROC },
	{ 113, "setreuid", C_PROC },
	{ 114, "setregid", C_PROC },
	{ 115, "getgroups", C_PROC },
	{ 116, "setgroups", C_PROC },
	{ 117, "setresuid", C_PROC },
	{ 118, "getresuid", C_PROC },
	{ 119, "setresgid", C_PROC },
	{ 120, "getresgid", C_PROC },
	{ 121, "getpgid", C_PROC },
	{ 122, "setfsuid", C_PROC },
	{ 123, "setfsgid", C_PROC },
	{ 124, "getsid", C_PROC },
	{ 125, "capget", C_SYS },
	{ 126, "capset", C_SYS },
	{ 127, "rt_sigpending", C_SIG },
	{ 128, "rt_sigtimedwait", C_SIG },
	{ 129, "rt_sigqueueinfo", C_SIG },
	{ 130, "rt_sigsuspend", C_SIG },
	{ 131, "sigaltstack", C_SIG },
	{ 132, "utime", C_FILE },
	{ 133, "mknod", C_FILE },
	{ 134, "uselib", C_FILE },
	{ 135, "personality", C_PROC },
	{ 136, "ustat", C_FILE },
	{ 137, "statfs", C_FILE },
	{ 138, "fstatfs", C_FILE },
	{ 139, "sysfs", C_SYS },
	{ 140, "getpriority", C_PROC },
	{ 141, "setpriority", C_PROC },
	{ 142, "sched_setparam", C_PROC },
	{ 143, "sched_getparam", C_PROC },
	{ 144, "sched_setscheduler", C_PROC },
	{ 145, "sched_getscheduler", C_PROC },
	{ 146, "sched_get_priority_max", C_PROC },
	{ 147, "sched_get_priority_min", C_PROC },
	{ 148, "sched_rr_get_interval", C_PROC },
	{ 149, "mlock", C_MEM },
	{ 150, "munlock", C_MEM },
	{ 151, "mlockall", C_MEM },
	{ 152, "munlockall", C_MEM },
	{ 153, "vhangup", C_SYS },
	{ 154, "modify_ldt", C_MEM },
	{ 155, "pivot_root", C_SYS },
	{ 156, "_sysctl", C_SYS },
	{ 157, "prctl", C_PROC },
	{ 158, "arch_prctl", C_PROC },
	{ 159, "adjtimex", C_TIME },
	{ 160, "setrlimit", C_PROC },
	{ 161, "chroot", C_FILE },
	{ 162, "sync", C_FILE },
	{ 163, "acct", C_SYS },
	{ 164, "settimeofday", C_TIME },
	{ 165, "mount", C_SYS },
	{ 166, "umount2", C_SYS },
	{ 167, "swapon", C_SYS },
	{ 168, "swapoff", C_SYS },
	{ 169, "reboot", C_SYS },
	{ 170, "sethostname", C_SYS },
	{ 171, "setdomainname", C_SYS },
	{ 172, "iopl", C_SYS },
	{ 173, "ioperm", C_SYS },
	{ 174, "create_module", C_SYS },
	{ 175, "init_module", C_SYS },
	{ 176, "delete_module", C_SYS },
	{ 177, "get_kernel_syms", C_SYS },
	{ 178, "query_module", C_SYS },
	{ 179, "quotactl", C_SYS },
	{ 180, "nfsservctl", C_SYS },
	{ 181, "getpmsg", C_OTHER },
	{ 182, "putpmsg", C_OTHER },
	{ 183, "afs_syscall", C_OTHER },
	{ 184, "tuxcall", C_OTHER },
	{ 185, "security", C_OTHER },
	{ 186, "gettid", C_PROC },
	{ 187, "readahead", C_FILE },
	{ 188, "setxattr", C_FILE },
	{ 189, "lsetxattr", C_FILE },
	{ 190, "fsetxattr", C_FILE },
	{ 191, "getxattr", C_FILE },
	{ 192, "lgetxattr", C_FILE },
	{ 193, "fgetxattr", C_FILE },
	{ 194, "listxattr", C_FILE },
	{ 195, "llistxattr", C_FILE },
	{ 196, "flistxattr", C_FILE },
	{ 197, "removexattr", C_FILE },
	{ 198, "lremovexattr", C_FILE },
	{ 199, "fremovexattr", C_FILE },
	{ 200, "tkill", C_SIG },
	{ 201, "time", C_TIME },
	{ 202, "futex", C_IPC },
	{ 203, "sched_setaffinity", C_PROC },
	{ 204, "sched_getaffinity", C_PROC },
	{ 205, "set_thread_area", C_PROC },
	{ 206, "io_setup", C_FILE },
	{ 207, "io_destroy", C_FILE },
	{ 208, "io_getevents", C_FILE },
	{ 209, "io_submit", C_FILE },
	{ 210, "io_cancel", C_FILE },
	{ 211, "get_thread_area", C_PROC },
	{ 212, "lookup_dcookie", C_SYS },
	{ 213, "epoll_create", C_FILE },
	{ 214, "epoll_ctl_old", C_FILE },
	{ 215, "epoll_wait_old", C_FILE },
	{ 216, "remap_file_pages", C_MEM },
	{ 217, "getdents64", C_FILE },
	{ 218, "set_tid_address", C_PROC },
	{ 219, "restart_syscall", C_OTHER },
	{ 220, "semtimedop", C_IPC },
	{ 221, "fadvise64", C_FILE },
	{ 222, "timer_create", C_TIME },
	{ 223, "timer_settime", C_TIME },
	{ 224, "timer_gettime", C_TIME },
	{ 225, "timer_getoverrun", C_TIME },
	{ 226, "timer_delete", C_TIME },
	{ 227, "clock_settime", C_TIME },
	{ 228, "clock_gettime", C_TIME },
	{ 229, "clock_getres", C_TIME },
	{ 230, "clock_nanosleep", C_TIME },
	{ 231, "exit_group", C_PROC },
	{ 232, "epoll_wait", C_FILE },
	{ 233, "epoll_ctl", C_FILE },
	{ 234, "tgkill", C_SIG },
	{ 235, "utimes", C_FILE },
	{ 236, "vserver", C_OTHER },
	{ 237, "mbind", C_MEM },
	{ 238, "set_mempolicy", C_MEM },
	{ 239, "get_mempolicy", C_MEM },
	{ 240, "mq_open", C_IPC },
	{ 241, "mq_unlink", C_IPC },
	{ 242, "mq_timedsend", C_IPC },
	{ 243, "mq_timedreceive", C_IPC },
	{ 244, "mq_notify", C_IPC },
	{ 245, "mq_getsetattr", C_IPC },
	{ 246, "kexec_load", C_SYS },
	{ 247, "waitid", C_PROC },
	{ 248, "add_key", C_SYS },
	{ 249, "request_key", C_SYS },
	{ 250, "keyctl", C_SYS },
	{ 251, "ioprio_set", C_PROC },
	{ 252, "ioprio_get", C_PROC },
	{ 253, "inotify_init", C_FILE },
	{ 254, "inotify_add_watch", C_FILE },
	{ 255, "inotify_rm_watch", C_FILE },
	{ 256, "migrate_pages", C_MEM },
	{ 257, "openat", C_FILE },
	{ 258, "mkdirat", C_FILE },
	{ 259, "mknodat", C_FILE },
	{ 260, "fchownat", C_FILE },
	{ 261, "futimesat", C_FILE },
	{ 262, "newfstatat", C_FILE },
	{ 263, "unlinkat", C_FILE },
	{ 264, "renameat", C_FILE },
	{ 265, "linkat", C_FILE },
	{ 266, "symlinkat", C_FILE },
	{ 267, "readlinkat", C_FILE },
	{ 268, "fchmodat", C_FILE },
	{ 269, "faccessat", C_FILE },
	{ 270, "pselect6", C_FILE },
	{ 271, "ppoll", C_FILE },
	{ 272, "unshare", C_PROC },
	{ 273, "set_robust_list", C_IPC },
	{ 274, "get_robust_list", C_IPC },
	{ 275, "splice", C_FILE },
	{ 276, "tee", C_FILE },
	{ 277, "sync_file_range", C_FILE },
	{ 278, "vmsplice", C_FILE },
	{ 279, "move_pages", C_MEM },
	{ 280, "utimensat", C_FILE },
	{ 281, "epoll_pwait", C_FILE },
	{ 282, "signalfd", C_SIG },
	{ 283, "timerfd_create", C_TIME },
	{ 284, "eventfd", C_IPC },
	{ 285, "fallocate", C_FILE },
	{ 286, "timerfd_settime", C_TIME },
	{ 287, "timerfd_gettime", C_TIME },
	{ 288, "accept4", C_NET },
	{ 289, "signalfd4", C_SIG },
	{ 290, "eventfd2", C_IPC },
	{ 291, "epoll_create1", C_FILE },
	{ 292, "dup3", C_FILE },
	{ 293, "pipe2", C_IPC },
	{ 294, "inotify_init1", C_FILE },
	{ 295, "preadv", C_FILE },
	{ 296, "pwritev", C_FILE },
	{ 297, "rt_tgsigqueueinfo", C_SIG },
	{ 298, "perf_event_open", C_SYS },
	{ 299, "recvmmsg", C_NET },
	{ 300, "fanotify_init", C_FILE },
	{ 301, "fanotify_mark", C_FILE },
	{ 302, "prlimit64", C_PROC },
	{ 303, "name_to_handle_at", C_FILE },
	{ 304, "open_by_handle_at", C_FILE },
	{ 305, "clock_adjtime", C_TIME },
	{ 306, "syncfs", C_FILE },
	{ 307, "sendmmsg", C_NET },
	{ 308, "setns", C_PROC },
	{ 309, "getcpu", C_PROC },
	{ 310, "process_vm_readv", C_MEM },
	{ 311, "process_vm_writev", C_MEM },
	{ 312, "kcmp", C_PROC },
	{ 313, "finit_module", C_SYS },
	{ 314, "sched_setattr", C_PROC },
	{ 315, "sched_getattr", C_PROC },
	{ 316, "renameat2", C_FILE },
	{ 317, "seccomp", C_SYS },
	{ 318, "getrandom", C_OTHER },
	{ 319, "memfd_create", C_FILE },
	{ 320, "kexec_file_load", C_SYS },
	{ 321, "bpf", C_SYS },
	{ 322, "execveat", C_PROC },
	{ 323, "userfaultfd", C_MEM },
	{ 324, "membarrier", C_MEM },
	{ 325, "mlock2", C_MEM },
	{ 326, "copy_file_range", C_FILE },
	{ 327, "preadv2", C_FILE },
	{ 328, "pwritev2", C_FILE },
	{ 329, "pkey_mprotect", C_MEM },
	{ 330, "pkey_alloc", C_MEM },
	{ 331, "pkey_free", C_MEM },
	{ 332, "statx", C_FILE },
	{ 333, "io_pgetevents", C_FILE },
	{ 334, "rseq", C_PROC },
	{ 335, "uretprobe", C_OTHER },
	{ 336, "uprobe", C_OTHER },
	{ 424, "pidfd_send_signal", C_SIG },
	{ 425, "io_uring_setup", C_FILE },
	{ 426, "io_uring_enter", C_FILE },
	{ 427, "io_uring_register", C_FILE },
	{ 428, "open_tree", C_SYS },
	{ 429, "move_mount", C_SYS },
	{ 430, "fsopen", C_SYS },
	{ 431, "fsconfig", C_SYS },
	{ 432, "fsmount", C_SYS },
	{ 433, "fspick", C_SYS },
	{ 434, "pidfd_open", C_PROC },
	{ 435, "clone3", C_PROC },
	{ 436, "close_range", C_FILE },
	{ 437, "openat2", C_FILE },
	{ 438, "pidfd_getfd", C_PROC },
	{ 439, "faccessat2", C_FILE },
	{ 440, "process_madvise", C_MEM },
	{ 441, "epoll_pwait2", C_FILE },
	{ 442, "mount_setattr", C_SYS },
	{ 443, "quotactl_fd", C_SYS },
	{ 444, "landlock_create_ruleset", C_SYS },
	{ 445, "landlock_add_rule", C_SYS },
	{ 446, "landlock_restrict_self", C_SYS },
	{ 447, "memfd_secret", C_MEM },
	{ 448, "process_mrelease", C_MEM },
	{ 449, "futex_waitv", C_IPC },
	{ 450, "set_mempolicy_home_node", C_MEM },
	{ 451, "cachestat", C_FILE },
	{ 452, "fchmodat2", C_FILE },
	{ 453, "map_shadow_stack", C_MEM },
	{ 454, "futex_wake", C_IPC },
	{ 455, "futex_wait", C_IPC },
	{ 456, "futex_requeue", C_IPC },
	{ 457, "statmount", C_SYS },
	{ 458, "listmount", C_SYS },
	{ 459, "lsm_get_self_attr", C_SYS },
	{ 460, "lsm_set_self_attr", C_SYS },
	{ 461, "lsm_list_modules", C_SYS },
	{ 462, "mseal", C_MEM },
	{ 463, "setxattrat", C_FILE },
	{ 464, "getxattrat", C_FILE },
	{ 465, "listxattrat", C_FILE },
	{ 466, "removexattrat", C_FILE },
	{ 467, "open_tree_attr", C_SYS },
	{ 468, "file_getattr", C_FILE },
	{ 469, "file_setattr", C_FILE },
	{ 470, "listns", C_PROC },
};
#undef C_FILE
#undef C_NET
#undef C_PROC
#undef C_IPC
#undef C_MEM
#undef C_SIG
#undef C_TIME
#undef C_SYS
#undef C_OTHER

/* include/uapi/asm-generic/errno{-base,}.h and include/linux/errno.h. */
static const struct name_ent errnos[] = {
	E(EPERM, 1),
	E(ENOENT, 2),
	E(ESRCH, 3),
	E(EINTR, 4),
	E(EIO, 5),
	E(ENXIO, 6),
	E(E2BIG, 7),
	E(ENOEXEC, 8),
	E(EBADF, 9),
	E(ECHILD, 10),
	E(EAGAIN, 11),
	E(ENOMEM, 12),
	E(EACCES, 13),
	E(EFAULT, 14),
	E(ENOTBLK, 15),
	E(EBUSY, 16),
	E(EEXIST, 17),
	E(EXDEV, 18),
	E(ENODEV, 19),
	E(ENOTDIR, 20),
	E(EISDIR, 21),
	E(EINVAL, 22),
	E(ENFILE, 23),
	E(EMFILE, 24),
	E(ENOTTY, 25),
	E(ETXTBSY, 26),
	E(EFBIG, 27),
	E(ENOSPC, 28),
	E(ESPIPE, 29),
	E(EROFS, 30),
	E(EMLINK, 31),
	E(EPIPE, 32),
	E(EDOM, 33),
	E(ERANGE, 34),
	E(EDEADLK, 35),
	E(ENAMETOOLONG, 36),
	E(ENOLCK, 37),
	E(ENOSYS, 38),
	E(ENOTEMPTY, 39),
	E(ELOOP, 40),
	E(ENOMSG, 42),
	E(EIDRM, 43),
	E(ECHRNG, 44),
	E(EL2NSYNC, 45),
	E(EL3HLT, 46),
	E(EL3RST, 47),
	E(ELNRNG, 48),
	E(EUNATCH, 49),
	E(ENOCSI, 50),
	E(EL2HLT, 51),
	E(EBADE, 52),
	E(EBADR, 53),
	E(EXFULL, 54),
	E(ENOANO, 55),
	E(EBADRQC, 56),
	E(EBADSLT, 57),
	E(EBFONT, 59),
	E(ENOSTR, 60),
	E(ENODATA, 61),
	E(ETIME, 62),
	E(ENOSR, 63),
	E(ENONET, 64),
	E(ENOPKG, 65),
	E(EREMOTE, 66),
	E(ENOLINK, 67),
	E(EADV, 68),
	E(ESRMNT, 69),
	E(ECOMM, 70),
	E(EPROTO, 71),
	E(EMULTIHOP, 72),
	E(EDOTDOT, 73),
	E(EBADMSG, 74),
	E(EOVERFLOW, 75),
	E(ENOTUNIQ, 76),
	E(EBADFD, 77),
	E(EREMCHG, 78),
	E(ELIBACC, 79),
	E(ELIBBAD, 80),
	E(ELIBSCN, 81),
	E(ELIBMAX, 82),
	E(ELIBEXEC, 83),
	E(EILSEQ, 84),
	E(ERESTART, 85),
	E(ESTRPIPE, 86),
	E(EUSERS, 87),
	E(ENOTSOCK, 88),
	E(EDESTADDRREQ, 89),
	E(EMSGSIZE, 90),
	E(EPROTOTYPE, 91),
	E(ENOPROTOOPT, 92),
	E(EPROTONOSUPPORT, 93),
	E(ESOCKTNOSUPPORT, 94),
	E(EOPNOTSUPP, 95),
	E(EPFNOSUPPORT, 96),
	E(EAFNOSUPPORT, 97),
	E(EADDRINUSE, 98),
	E(EADDRNOTAVAIL, 99),
	E(ENETDOWN, 100),
	E(ENETUNREACH, 101),
	E(ENETRESET, 102),
	E(ECONNABORTED, 103),
	E(ECONNRESET, 104),
	E(ENOBUFS, 105),
	E(EISCONN, 106),
	E(ENOTCONN, 107),
	E(ESHUTDOWN, 108),
	E(ETOOMANYREFS, 109),
	E(ETIMEDOUT, 110),
	E(ECONNREFUSED, 111),
	E(EHOSTDOWN, 112),
	E(EHOSTUNREACH, 113),
	E(EALREADY, 114),
	E(EINPROGRESS, 115),
	E(ESTALE, 116),
	E(EUCLEAN, 117),
	E(ENOTNAM, 118),
	E(ENAVAIL, 119),
	E(EISNAM, 120),
	E(EREMOTEIO, 121),
	E(EDQUOT, 122),
	E(ENOMEDIUM, 123),
	E(EMEDIUMTYPE, 124),
	E(ECANCELED, 125),
	E(ENOKEY, 126),
	E(EKEYEXPIRED, 127),
	E(EKEYREVOKED, 128),
	E(EKEYREJECTED, 129),
	E(EOWNERDEAD, 130),
	E(ENOTRECOVERABLE, 131),
	E(ERFKILL, 132),
	E(EHWPOISON, 133),
	/* Kernel-internal: a syscall exit seen by a tracer can carry these. */
	E(ERESTARTSYS, 512),
	E(ERESTARTNOINTR, 513),
	E(ERESTARTNOHAND, 514),
	E(ENOIOCTLCMD, 515),
	E(ERESTART_RESTARTBLOCK, 516),
	E(EPROBE_DEFER, 517),
	E(EOPENSTALE, 518),
	E(ENOPARAM, 519),
	E(EBADHANDLE, 521),
	E(ENOTSYNC, 522),
	E(EBADCOOKIE, 523),
	E(ENOTSUPP, 524),
	E(ETOOSMALL, 525),
	E(ESERVERFAULT, 526),
	E(EBADTYPE, 527),
	E(EJUKEBOX, 528),
	E(EIOCBQUEUED, 529),
	E(ERECALLCONFLICT, 530),
	E(ENOGRACE, 531),
};

/*
 * arch/x86/include/uapi/asm/signal.h. Real-time signals follow the kernel's
 * SIGRTMIN (32), not glibc's (34) or musl's (35), so names do not depend on
 * the libc of whoever reads the capture.
 */
static const struct name_ent signals[] = {
	E(SIGHUP, 1),
	E(SIGINT, 2),
	E(SIGQUIT, 3),
	E(SIGILL, 4),
	E(SIGTRAP, 5),
	E(SIGABRT, 6),
	E(SIGBUS, 7),
	E(SIGFPE, 8),
	E(SIGKILL, 9),
	E(SIGUSR1, 10),
	E(SIGSEGV, 11),
	E(SIGUSR2, 12),
	E(SIGPIPE, 13),
	E(SIGALRM, 14),
	E(SIGTERM, 15),
	E(SIGSTKFLT, 16),
	E(SIGCHLD, 17),
	E(SIGCONT, 18),
	E(SIGSTOP, 19),
	E(SIGTSTP, 20),
	E(SIGTTIN, 21),
	E(SIGTTOU, 22),
	E(SIGURG, 23),
	E(SIGXCPU, 24),
	E(SIGXFSZ, 25),
	E(SIGVTALRM, 26),
	E(SIGPROF, 27),
	E(SIGWINCH, 28),
	E(SIGIO, 29),
	E(SIGPWR, 30),
	E(SIGSYS, 31),
	{ 32, "SIGRTMIN" },
	{ 33, "SIGRTMIN+1" },
	{ 34, "SIGRTMIN+2" },
	{ 35, "SIGRTMIN+3" },
	{ 36, "SIGRTMIN+4" },
	{ 37, "SIGRTMIN+5" },
	{ 38, "SIGRTMIN+6" },
	{ 39, "SIGRTMIN+7" },
	{ 40, "SIGRTMIN+8" },
	{ 41, "SIGRTMIN+9" },
	{ 42, "SIGRTMIN+10" },
	{ 43, "SIGRTMIN+11" },
	{ 44, "SIGRTMIN+12" },
	{ 45, "SIGRTMIN+13" },
	{ 46, "SIGRTMIN+14" },
	{ 47, "SIGRTMIN+15" },
	{ 48, "SIGRTMIN+16" },
	{ 49, "SIGRTMIN+17" },
	{ 50, "SIGRTMIN+18" },
	{ 51, "SIGRTMIN+19" },
	{ 52, "SIGRTMIN+20" },
	{ 53, "SIGRTMIN+21" },
	{ 54, "SIGRTMIN+22" },
	{ 55, "SIGRTMIN+23" },
	{ 56, "SIGRTMIN+24" },
	{ 57, "SIGRTMIN+25" },
	{ 58, "SIGRTMIN+26" },
	{ 59, "SIGRTMIN+27" },
	{ 60, "SIGRTMIN+28" },
	{ 61, "SIGRTMIN+29" },
	{ 62, "SIGRTMIN+30" },
	{ 63, "SIGRTMIN+31" },
	{ 64, "SIGRTMAX" },
};

/* include/linux/socket.h */
static const struct name_ent afs[] = {
	E(AF_UNSPEC, 0),
	E(AF_UNIX, 1),
	E(AF_INET, 2),
	E(AF_AX25, 3),
	E(AF_IPX, 4),
	E(AF_APPLETALK, 5),
	E(AF_NETROM, 6),
	E(AF_BRIDGE, 7),
	E(AF_ATMPVC, 8),
	E(AF_X25, 9),
	E(AF_INET6, 10),
	E(AF_ROSE, 11),
	E(AF_DECnet, 12),
	E(AF_NETBEUI, 13),
	E(AF_SECURITY, 14),
	E(AF_KEY, 15),
	E(AF_NETLINK, 16),
	E(AF_PACKET, 17),
	E(AF_ASH, 18),
	E(AF_ECONET, 19),
	E(AF_ATMSVC, 20),
	E(AF_RDS, 21),
	E(AF_SNA, 22),
	E(AF_IRDA, 23),
	E(AF_PPPOX, 24),
	E(AF_WANPIPE, 25),
	E(AF_LLC, 26),
	E(AF_IB, 27),
	E(AF_MPLS, 28),
	E(AF_CAN, 29),
	E(AF_TIPC, 30),
	E(AF_BLUETOOTH, 31),
	E(AF_IUCV, 32),
	E(AF_RXRPC, 33),
	E(AF_ISDN, 34),
	E(AF_PHONET, 35),
	E(AF_IEEE802154, 36),
	E(AF_CAIF, 37),
	E(AF_ALG, 38),
	E(AF_NFC, 39),
	E(AF_VSOCK, 40),
	E(AF_KCM, 41),
	E(AF_QIPCRTR, 42),
	E(AF_SMC, 43),
	E(AF_XDP, 44),
	E(AF_MCTP, 45),
};

/* include/uapi/asm-generic/fcntl.h, include/uapi/linux/fcntl.h */
static const struct name_ent fcntls[] = {
	E(F_DUPFD, 0),
	E(F_GETFD, 1),
	E(F_SETFD, 2),
	E(F_GETFL, 3),
	E(F_SETFL, 4),
	E(F_GETLK, 5),
	E(F_SETLK, 6),
	E(F_SETLKW, 7),
	E(F_SETOWN, 8),
	E(F_GETOWN, 9),
	E(F_SETSIG, 10),
	E(F_GETSIG, 11),
	E(F_SETOWN_EX, 15),
	E(F_GETOWN_EX, 16),
	E(F_GETOWNER_UIDS, 17),
	E(F_OFD_GETLK, 36),
	E(F_OFD_SETLK, 37),
	E(F_OFD_SETLKW, 38),
	E(F_SETLEASE, 1024),
	E(F_GETLEASE, 1025),
	E(F_NOTIFY, 1026),
	E(F_DUPFD_QUERY, 1027),
	E(F_CREATED_QUERY, 1028),
	E(F_CANCELLK, 1029),
	E(F_DUPFD_CLOEXEC, 1030),
	E(F_SETPIPE_SZ, 1031),
	E(F_GETPIPE_SZ, 1032),
	E(F_ADD_SEALS, 1033),
	E(F_GET_SEALS, 1034),
	E(F_GET_RW_HINT, 1035),
	E(F_SET_RW_HINT, 1036),
	E(F_GET_FILE_RW_HINT, 1037),
	E(F_SET_FILE_RW_HINT, 1038),
};

/* include/uapi/linux/ptrace.h, arch/x86/include/uapi/asm/ptrace-abi.h */
static const struct name_ent ptraces[] = {
	E(PTRACE_TRACEME, 0),
	E(PTRACE_PEEKTEXT, 1),
	E(PTRACE_PEEKDATA, 2),
	E(PTRACE_PEEKUSR, 3),
	E(PTRACE_POKETEXT, 4),
	E(PTRACE_POKEDATA, 5),
	E(PTRACE_POKEUSR, 6),
	E(PTRACE_CONT, 7),
	E(PTRACE_KILL, 8),
	E(PTRACE_SINGLESTEP, 9),
	E(PTRACE_GETREGS, 12),
	E(PTRACE_SETREGS, 13),
	E(PTRACE_GETFPREGS, 14),
	E(PTRACE_SETFPREGS, 15),
	E(PTRACE_ATTACH, 16),
	E(PTRACE_DETACH, 17),
	E(PTRACE_GETFPXREGS, 18),
	E(PTRACE_SETFPXREGS, 19),
	E(PTRACE_OLDSETOPTIONS, 21),
	E(PTRACE_SYSCALL, 24),
	E(PTRACE_GET_THREAD_AREA, 25),
	E(PTRACE_SET_THREAD_AREA, 26),
	E(PTRACE_ARCH_PRCTL, 30),
	E(PTRACE_SYSEMU, 31),
	E(PTRACE_SYSEMU_SINGLESTEP, 32),
	E(PTRACE_SINGLEBLOCK, 33),
	E(PTRACE_SETOPTIONS, 0x4200),
	E(PTRACE_GETEVENTMSG, 0x4201),
	E(PTRACE_GETSIGINFO, 0x4202),
	E(PTRACE_SETSIGINFO, 0x4203),
	E(PTRACE_GETREGSET, 0x4204),
	E(PTRACE_SETREGSET, 0x4205),
	E(PTRACE_SEIZE, 0x4206),
	E(PTRACE_INTERRUPT, 0x4207),
	E(PTRACE_LISTEN, 0x4208),
	E(PTRACE_PEEKSIGINFO, 0x4209),
	E(PTRACE_GETSIGMASK, 0x420a),
	E(PTRACE_SETSIGMASK, 0x420b),
	E(PTRACE_SECCOMP_GET_FILTER, 0x420c),
	E(PTRACE_SECCOMP_GET_METADATA, 0x420d),
	E(PTRACE_GET_SYSCALL_INFO, 0x420e),
	E(PTRACE_GET_RSEQ_CONFIGURATION, 0x420f),
	E(PTRACE_SET_SYSCALL_USER_DISPATCH_CONFIG, 0x4210),
	E(PTRACE_GET_SYSCALL_USER_DISPATCH_CONFIG, 0x4211),
	E(PTRACE_SET_SYSCALL_INFO, 0x4212),
};

/*
 * include/uapi/linux/prctl.h. Options of other architectures are listed
 * too: the numbers are shared, and x86_64 simply fails them with EINVAL.
 */
static const struct name_ent prctls[] = {
	E(PR_SET_PDEATHSIG, 1),
	E(PR_GET_PDEATHSIG, 2),
	E(PR_GET_DUMPABLE, 3),
	E(PR_SET_DUMPABLE, 4),
	E(PR_GET_UNALIGN, 5),
	E(PR_SET_UNALIGN, 6),
	E(PR_GET_KEEPCAPS, 7),
	E(PR_SET_KEEPCAPS, 8),
	E(PR_GET_FPEMU, 9),
	E(PR_SET_FPEMU, 10),
	E(PR_GET_FPEXC, 11),
	E(PR_SET_FPEXC, 12),
	E(PR_GET_TIMING, 13),
	E(PR_SET_TIMING, 14),
	E(PR_SET_NAME, 15),
	E(PR_GET_NAME, 16),
	E(PR_GET_ENDIAN, 19),
	E(PR_SET_ENDIAN, 20),
	E(PR_GET_SECCOMP, 21),
	E(PR_SET_SECCOMP, 22),
	E(PR_CAPBSET_READ, 23),
	E(PR_CAPBSET_DROP, 24),
	E(PR_GET_TSC, 25),
	E(PR_SET_TSC, 26),
	E(PR_GET_SECUREBITS, 27),
	E(PR_SET_SECUREBITS, 28),
	E(PR_SET_TIMERSLACK, 29),
	E(PR_GET_TIMERSLACK, 30),
	E(PR_TASK_PERF_EVENTS_DISABLE, 31),
	E(PR_TASK_PERF_EVENTS_ENABLE, 32),
	E(PR_MCE_KILL, 33),
	E(PR_MCE_KILL_GET, 34),
	E(PR_SET_MM, 35),
	E(PR_SET_CHILD_SUBREAPER, 36),
	E(PR_GET_CHILD_SUBREAPER, 37),
	E(PR_SET_NO_NEW_PRIVS, 38),
	E(PR_GET_NO_NEW_PRIVS, 39),
	E(PR_GET_TID_ADDRESS, 40),
	E(PR_SET_THP_DISABLE, 41),
	E(PR_GET_THP_DISABLE, 42),
	E(PR_MPX_ENABLE_MANAGEMENT, 43),
	E(PR_MPX_DISABLE_MANAGEMENT, 44),
	E(PR_SET_FP_MODE, 45),
	E(PR_GET_FP_MODE, 46),
	E(PR_CAP_AMBIENT, 47),
	E(PR_SVE_SET_VL, 50),
	E(PR_SVE_GET_VL, 51),
	E(PR_GET_SPECULATION_CTRL, 52),
	E(PR_SET_SPECULATION_CTRL, 53),
	E(PR_PAC_RESET_KEYS, 54),
	E(PR_SET_TAGGED_ADDR_CTRL, 55),
	E(PR_GET_TAGGED_ADDR_CTRL, 56),
	E(PR_SET_IO_FLUSHER, 57),
	E(PR_GET_IO_FLUSHER, 58),
	E(PR_SET_SYSCALL_USER_DISPATCH, 59),
	E(PR_PAC_SET_ENABLED_KEYS, 60),
	E(PR_PAC_GET_ENABLED_KEYS, 61),
	E(PR_SCHED_CORE, 62),
	E(PR_SME_SET_VL, 63),
	E(PR_SME_GET_VL, 64),
	E(PR_SET_MDWE, 65),
	E(PR_GET_MDWE, 66),
	E(PR_SET_MEMORY_MERGE, 67),
	E(PR_GET_MEMORY_MERGE, 68),
	E(PR_RISCV_V_SET_CONTROL, 69),
	E(PR_RISCV_V_GET_CONTROL, 70),
	E(PR_RISCV_SET_ICACHE_FLUSH_CTX, 71),
	E(PR_PPC_GET_DEXCR, 72),
	E(PR_PPC_SET_DEXCR, 73),
	E(PR_GET_SHADOW_STACK_STATUS, 74),
	E(PR_SET_SHADOW_STACK_STATUS, 75),
	E(PR_LOCK_SHADOW_STACK_STATUS, 76),
	E(PR_TIMER_CREATE_RESTORE_IDS, 77),
	E(PR_FUTEX_HASH, 78),
	E(PR_GET_AUXV, 0x41555856),
	E(PR_SET_VMA, 0x53564d41),
	E(PR_SET_PTRACER, 0x59616d61),
};

/* enum bpf_cmd in include/uapi/linux/bpf.h */
static const struct name_ent bpfcmds[] = {
	E(BPF_MAP_CREATE, 0),
	E(BPF_MAP_LOOKUP_ELEM, 1),
	E(BPF_MAP_UPDATE_ELEM, 2),
	E(BPF_MAP_DELETE_ELEM, 3),
	E(BPF_MAP_GET_NEXT_KEY, 4),
	E(BPF_PROG_LOAD, 5),
	E(BPF_OBJ_PIN, 6),
	E(BPF_OBJ_GET, 7),
	E(BPF_PROG_ATTACH, 8),
	E(BPF_PROG_DETACH, 9),
	E(BPF_PROG_TEST_RUN, 10),
	E(BPF_PROG_GET_NEXT_ID, 11),
	E(BPF_MAP_GET_NEXT_ID, 12),
	E(BPF_PROG_GET_FD_BY_ID, 13),
	E(BPF_MAP_GET_FD_BY_ID, 14),
	E(BPF_OBJ_GET_INFO_BY_FD, 15),
	E(BPF_PROG_QUERY, 16),
	E(BPF_RAW_TRACEPOINT_OPEN, 17),
	E(BPF_BTF_LOAD, 18),
	E(BPF_BTF_GET_FD_BY_ID, 19),
	E(BPF_TASK_FD_QUERY, 20),
	E(BPF_MAP_LOOKUP_AND_DELETE_ELEM, 21),
	E(BPF_MAP_FREEZE, 22),
	E(BPF_BTF_GET_NEXT_ID, 23),
	E(BPF_MAP_LOOKUP_BATCH, 24),
	E(BPF_MAP_LOOKUP_AND_DELETE_BATCH, 25),
	E(BPF_MAP_UPDATE_BATCH, 26),
	E(BPF_MAP_DELETE_BATCH, 27),
	E(BPF_LINK_CREATE, 28),
	E(BPF_LINK_UPDATE, 29),
	E(BPF_LINK_GET_FD_BY_ID, 30),
	E(BPF_LINK_GET_NEXT_ID, 31),
	E(BPF_ENABLE_STATS, 32),
	E(BPF_ITER_CREATE, 33),
	E(BPF_LINK_DETACH, 34),
	E(BPF_PROG_BIND_MAP, 35),
	E(BPF_TOKEN_CREATE, 36),
	E(BPF_PROG_STREAM_READ_BY_FD, 37),
};

static const struct name_ent whences[] = {
	E(SEEK_SET, 0),
	E(SEEK_CUR, 1),
	E(SEEK_END, 2),
	E(SEEK_DATA, 3),
	E(SEEK_HOLE, 4),
};

static const struct name_ent shuts[] = {
	E(SHUT_RD, 0),
	E(SHUT_WR, 1),
	E(SHUT_RDWR, 2),
};

/*
 * A loss record's reason: its name, then what it means in words (kcap
 * read's "# LOSS:" lines). One table, so that a reason added gets both.
 */
static const struct loss_ent {
	unsigned int val;
	const char *name;
	const char *desc;
} losses[] = {
	{ KCAP_LOSS_RINGBUF, "ringbuf", "ring buffer full" },
	{ KCAP_LOSS_BUDGET,  "budget",  "over the per-task I/O budget" },
	{ KCAP_LOSS_SAMPLED, "sampled", "sampled out" },
	{ KCAP_LOSS_DEDUP,   "dedup",   "folded into repeated events" },
	{ KCAP_LOSS_SOURCE,  "source",  "dropped before kcap saw them" },
};

static const struct name_ent fdkinds[] = {
	{ KCAP_FD_UNKNOWN, "unknown" },
	{ KCAP_FD_FILE, "file" },
	{ KCAP_FD_DIR, "dir" },
	{ KCAP_FD_PIPE, "pipe" },
	{ KCAP_FD_SOCK_INET, "inet" },
	{ KCAP_FD_SOCK_INET6, "inet6" },
	{ KCAP_FD_SOCK_UNIX, "unix" },
	{ KCAP_FD_SOCK_NETLINK, "netlink" },
	{ KCAP_FD_SOCK_OTHER, "sock" },
	{ KCAP_FD_EVENTFD, "eventfd" },
	{ KCAP_FD_SIGNALFD, "signalfd" },
	{ KCAP_FD_TIMERFD, "timerfd" },
	{ KCAP_FD_EPOLL, "epoll" },
	{ KCAP_FD_INOTIFY, "inotify" },
	{ KCAP_FD_MEMFD, "memfd" },
	{ KCAP_FD_PIDFD, "pidfd" },
	{ KCAP_FD_BPF, "bpf" },
	{ KCAP_FD_IOURING, "io_uring" },
	{ KCAP_FD_USERFAULTFD, "userfaultfd" },
	{ KCAP_FD_CHAR, "chr" },
	{ KCAP_FD_BLOCK, "blk" },
	{ KCAP_FD_ANON, "anon" },
};

/* include/uapi/linux/stat.h: the S_IFMT field of a mode. */
static const struct name_ent ftypes[] = {
	E(S_IFIFO, 0010000),
	E(S_IFCHR, 0020000),
	E(S_IFDIR, 0040000),
	E(S_IFBLK, 0060000),
	E(S_IFREG, 0100000),
	E(S_IFLNK, 0120000),
	E(S_IFSOCK, 0140000),
};

/*
 * Flag tables are in output order, which is value order except that a
 * name covering several bits (O_SYNC, O_TMPFILE) comes before the names of
 * its parts, so that it wins over them.
 */

/* include/uapi/asm-generic/fcntl.h (octal, as there) */
static const struct flag_ent oflags[] = {
	FV(O_RDONLY, 03, 00),
	FV(O_WRONLY, 03, 01),
	FV(O_RDWR, 03, 02),
	FV(O_ACCMODE, 03, 03),
	F(O_CREAT, 0100),
	F(O_EXCL, 0200),
	F(O_NOCTTY, 0400),
	F(O_TRUNC, 01000),
	F(O_APPEND, 02000),
	F(O_NONBLOCK, 04000),
	F(O_SYNC, 04010000), /* __O_SYNC | O_DSYNC */
	F(O_DSYNC, 010000),
	F(O_ASYNC, 020000), /* the kernel's FASYNC */
	F(O_DIRECT, 040000),
	F(O_LARGEFILE, 0100000),
	F(O_TMPFILE, 020200000), /* __O_TMPFILE | O_DIRECTORY */
	F(O_DIRECTORY, 0200000),
	F(O_NOFOLLOW, 0400000),
	F(O_NOATIME, 01000000),
	F(O_CLOEXEC, 02000000),
	F(__O_SYNC, 04000000),
	F(O_PATH, 010000000),
	F(__O_TMPFILE, 020000000),
};

/* include/uapi/linux/sched.h; the low byte (CSIGNAL) is the exit signal. */
static const struct flag_ent cloneflags[] = {
	F(CLONE_VM, 0x100),
	F(CLONE_FS, 0x200),
	F(CLONE_FILES, 0x400),
	F(CLONE_SIGHAND, 0x800),
	F(CLONE_PIDFD, 0x1000),
	F(CLONE_PTRACE, 0x2000),
	F(CLONE_VFORK, 0x4000),
	F(CLONE_PARENT, 0x8000),
	F(CLONE_THREAD, 0x10000),
	F(CLONE_NEWNS, 0x20000),
	F(CLONE_SYSVSEM, 0x40000),
	F(CLONE_SETTLS, 0x80000),
	F(CLONE_PARENT_SETTID, 0x100000),
	F(CLONE_CHILD_CLEARTID, 0x200000),
	F(CLONE_DETACHED, 0x400000),
	F(CLONE_UNTRACED, 0x800000),
	F(CLONE_CHILD_SETTID, 0x1000000),
	F(CLONE_NEWCGROUP, 0x2000000),
	F(CLONE_NEWUTS, 0x4000000),
	F(CLONE_NEWIPC, 0x8000000),
	F(CLONE_NEWUSER, 0x10000000),
	F(CLONE_NEWPID, 0x20000000),
	F(CLONE_NEWNET, 0x40000000),
	F(CLONE_IO, 0x80000000),
	F(CLONE_CLEAR_SIGHAND, 0x100000000),
	F(CLONE_INTO_CGROUP, 0x200000000),
};

/* include/uapi/asm-generic/mman-common.h */
static const struct flag_ent protflags[] = {
	F(PROT_READ, 0x1),
	F(PROT_WRITE, 0x2),
	F(PROT_EXEC, 0x4),
	F(PROT_SEM, 0x8),
	F(PROT_GROWSDOWN, 0x01000000),
	F(PROT_GROWSUP, 0x02000000),
};

/*
 * include/uapi/linux/mman.h, asm-generic/mman{,-common}.h, x86 asm/mman.h.
 * Bits 26..31 hold log2 of the huge page size when MAP_HUGETLB is set;
 * MAP_UNINITIALIZED (bit 26 alone) shares that field.
 */
static const struct flag_ent mmapflags[] = {
	FV(MAP_SHARED, 0xf, 0x1),
	FV(MAP_PRIVATE, 0xf, 0x2),
	FV(MAP_SHARED_VALIDATE, 0xf, 0x3),
	FV(MAP_DROPPABLE, 0xf, 0x8),
	F(MAP_FIXED, 0x10),
	F(MAP_ANONYMOUS, 0x20),
	F(MAP_32BIT, 0x40),
	F(MAP_ABOVE4G, 0x80),
	F(MAP_GROWSDOWN, 0x100),
	F(MAP_DENYWRITE, 0x800),
	F(MAP_EXECUTABLE, 0x1000),
	F(MAP_LOCKED, 0x2000),
	F(MAP_NORESERVE, 0x4000),
	F(MAP_POPULATE, 0x8000),
	F(MAP_NONBLOCK, 0x10000),
	F(MAP_STACK, 0x20000),
	F(MAP_HUGETLB, 0x40000),
	F(MAP_SYNC, 0x80000),
	F(MAP_FIXED_NOREPLACE, 0x100000),
	FV(MAP_UNINITIALIZED, 0xfc000000, 1u << 26),
	FV(MAP_HUGE_16KB, 0xfc000000, 14u << 26),
	FV(MAP_HUGE_64KB, 0xfc000000, 16u << 26),
	FV(MAP_HUGE_512KB, 0xfc000000, 19u << 26),
	FV(MAP_HUGE_1MB, 0xfc000000, 20u << 26),
	FV(MAP_HUGE_2MB, 0xfc000000, 21u << 26),
	FV(MAP_HUGE_8MB, 0xfc000000, 23u << 26),
	FV(MAP_HUGE_16MB, 0xfc000000, 24u << 26),
	FV(MAP_HUGE_32MB, 0xfc000000, 25u << 26),
	FV(MAP_HUGE_256MB, 0xfc000000, 28u << 26),
	FV(MAP_HUGE_512MB, 0xfc000000, 29u << 26),
	FV(MAP_HUGE_1GB, 0xfc000000, 30u << 26),
	FV(MAP_HUGE_2GB, 0xfc000000, 31u << 26),
	FV(MAP_HUGE_16GB, 0xfc000000, 34u << 26),
};

/*
 * include/uapi/linux/fcntl.h. 0x200 is AT_REMOVEDIR for unlinkat,
 * AT_EACCESS for faccessat and AT_HANDLE_FID for name_to_handle_at; without
 * knowing the syscall we pick the commonest. The per-syscall bits below
 * 0x100 (AT_RENAME_*, AT_HANDLE_*) clash likewise and stay numeric.
 */
static const struct flag_ent atflags[] = {
	F(AT_SYMLINK_NOFOLLOW, 0x100),
	F(AT_REMOVEDIR, 0x200),
	F(AT_SYMLINK_FOLLOW, 0x400),
	F(AT_NO_AUTOMOUNT, 0x800),
	F(AT_EMPTY_PATH, 0x1000),
	FV(AT_STATX_FORCE_SYNC, 0x6000, 0x2000),
	FV(AT_STATX_DONT_SYNC, 0x6000, 0x4000),
	F(AT_RECURSIVE, 0x8000),
	F(AT_EXECVE_CHECK, 0x10000),
};

/* include/linux/socket.h, the flags user space can pass or get back. */
static const struct flag_ent msgflags[] = {
	F(MSG_OOB, 0x1),
	F(MSG_PEEK, 0x2),
	F(MSG_DONTROUTE, 0x4),
	F(MSG_CTRUNC, 0x8),
	F(MSG_PROBE, 0x10),
	F(MSG_TRUNC, 0x20),
	F(MSG_DONTWAIT, 0x40),
	F(MSG_EOR, 0x80),
	F(MSG_WAITALL, 0x100),
	F(MSG_FIN, 0x200),
	F(MSG_SYN, 0x400),
	F(MSG_CONFIRM, 0x800),
	F(MSG_RST, 0x1000),
	F(MSG_ERRQUEUE, 0x2000),
	F(MSG_NOSIGNAL, 0x4000),
	F(MSG_MORE, 0x8000),
	F(MSG_WAITFORONE, 0x10000),
	F(MSG_BATCH, 0x40000),
	F(MSG_SOCK_DEVMEM, 0x2000000),
	F(MSG_ZEROCOPY, 0x4000000),
	F(MSG_FASTOPEN, 0x20000000),
	F(MSG_CMSG_CLOEXEC, 0x40000000),
};

/* include/linux/net.h: the type in the low nibble, then two open flags. */
static const struct flag_ent socktypes[] = {
	FV(SOCK_STREAM, 0xf, 1),
	FV(SOCK_DGRAM, 0xf, 2),
	FV(SOCK_RAW, 0xf, 3),
	FV(SOCK_RDM, 0xf, 4),
	FV(SOCK_SEQPACKET, 0xf, 5),
	FV(SOCK_DCCP, 0xf, 6),
	FV(SOCK_PACKET, 0xf, 10),
	F(SOCK_NONBLOCK, 04000),
	F(SOCK_CLOEXEC, 02000000),
};

/* clang-format on */

/*
 * K_LOSS: the losses table, whose entries carry words beside the name;
 * K_SYSCALL: the syscalls', whose entries carry their class
 */
enum { K_NONE, K_ENUM, K_FLAGS, K_MODE, K_LOSS, K_SYSCALL };

struct fmt_desc {
	unsigned char kind;
	unsigned short n;
	const struct name_ent *names;
	const struct flag_ent *flags;
	const char *zero; /* the name of 0, where no entry gives one */
	unsigned long long sig_mask; /* bits that hold a signal number */
};

#define ENUM(t)                                                 \
	{                                                       \
		.kind = K_ENUM, .n = NAMES_COUNT(t), .names = t \
	}
#define FLAGS(t, z, s)                                                       \
	{                                                                    \
		.kind = K_FLAGS, .n = NAMES_COUNT(t), .flags = t, .zero = z, \
		.sig_mask = s                                                \
	}

static const struct fmt_desc fmts[] = {
	[KCAP_FMT_SIG] = ENUM(signals),
	[KCAP_FMT_OFLAGS] = FLAGS(oflags, NULL, 0),
	[KCAP_FMT_CLONE] = FLAGS(cloneflags, NULL, 0xff),
	[KCAP_FMT_PROT] = FLAGS(protflags, "PROT_NONE", 0),
	[KCAP_FMT_MMAP] = FLAGS(mmapflags, NULL, 0),
	[KCAP_FMT_MODE] = { .kind = K_MODE },
	[KCAP_FMT_AF] = ENUM(afs),
	[KCAP_FMT_SOCKTYPE] = FLAGS(socktypes, NULL, 0),
	[KCAP_FMT_ATFLAGS] = FLAGS(atflags, NULL, 0),
	[KCAP_FMT_FCNTL] = ENUM(fcntls),
	[KCAP_FMT_PTRACE] = ENUM(ptraces),
	[KCAP_FMT_PRCTL] = ENUM(prctls),
	[KCAP_FMT_BPFCMD] = ENUM(bpfcmds),
	[KCAP_FMT_SYSCALL] = { .kind = K_SYSCALL },
	[KCAP_FMT_ERRNO] = ENUM(errnos),
	[KCAP_FMT_WHENCE] = ENUM(whences),
	[KCAP_FMT_SHUT] = ENUM(shuts),
	[KCAP_FMT_LOSS] = { .kind = K_LOSS },
	[KCAP_FMT_FDKIND] = ENUM(fdkinds),
	[KCAP_FMT_MSGFLAGS] = FLAGS(msgflags, NULL, 0),
};

/*
 * The entry for v in a table of size-byte entries that start with an
 * unsigned int val, in increasing order; NULL if none. Most tables run
 * without gaps from their first value (the syscalls up to 336): the
 * entry at v's distance from the first is tried first.
 */
static const void *ent_find(const void *t, size_t n, size_t size,
			    unsigned long long v)
{
	const char *b = t;
	size_t lo = 0, hi = n;
	unsigned long long first, i;

#define VAL(k) (*(const unsigned int *)(b + (k)*size))
	if (!n)
		return NULL;
	first = VAL(0);
	i = v - first;
	if (v >= first && i < n && VAL(i) == v)
		return b + i * size;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (VAL(mid) < v)
			lo = mid + 1;
		else if (VAL(mid) > v)
			hi = mid;
		else
			return b + mid * size;
	}
	return NULL;
#undef VAL
}

static const char *name_find(const struct name_ent *t, size_t n,
			     unsigned long long v)
{
	const struct name_ent *e = ent_find(t, n, sizeof(*t), v);

	return e ? e->name : NULL;
}

static const struct syscall_ent *syscall_find(unsigned long long nr)
{
	return ent_find(syscalls, NAMES_COUNT(syscalls), sizeof(syscalls[0]),
			nr);
}

static const struct loss_ent *loss_find(unsigned long long r)
{
	return ent_find(losses, NAMES_COUNT(losses), sizeof(losses[0]), r);
}

const char *kcap_loss_reason_desc(unsigned int r)
{
	const struct loss_ent *l = loss_find(r);

	return l ? l->desc : NULL;
}

const char *kcap_syscall_name(unsigned int nr)
{
	const struct syscall_ent *e = syscall_find(nr);

	return e ? e->name : NULL;
}

int kcap_syscall_nr(const char *name)
{
	size_t i;

	if (!name)
		return -1;
	for (i = 0; i < NAMES_COUNT(syscalls); i++)
		if (!strcmp(syscalls[i].name, name))
			return (int)syscalls[i].val;
	return -1;
}

int kcap_syscall_class(unsigned int nr)
{
	const struct syscall_ent *e = syscall_find(nr);

	return e ? e->cls : KCAP_CLASS_OTHER;
}

unsigned int kcap_syscall_max(void)
{
	return syscalls[NAMES_COUNT(syscalls) - 1].val + 1;
}

const char *kcap_errno_name(int err)
{
	if (err <= 0)
		return NULL;
	return name_find(errnos, NAMES_COUNT(errnos), (unsigned int)err);
}

const char *kcap_signal_name(int sig)
{
	if (sig <= 0)
		return NULL;
	return name_find(signals, NAMES_COUNT(signals), (unsigned int)sig);
}

/* snprintf semantics: len counts the whole rendering, kept or cut off. */
struct out {
	char *buf;
	size_t size;
	size_t len;
};

static void put_mem(struct out *o, const char *s, size_t n)
{
	if (o->len + 1 < o->size) {
		size_t room = o->size - 1 - o->len;

		memcpy(o->buf + o->len, s, n < room ? n : room);
	}
	o->len += n;
}

static void put_str(struct out *o, const char *s)
{
	put_mem(o, s, strlen(s));
}

/* v in base 8, 10 or 16, after prefix, zero-padded to at least width. */
static void put_num(struct out *o, const char *prefix, unsigned long long v,
		    unsigned int base, size_t width)
{
	char tmp[24];
	size_t i = sizeof(tmp);

	do {
		tmp[--i] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	while (sizeof(tmp) - i < width)
		tmp[--i] = '0';
	put_str(o, prefix);
	put_mem(o, tmp + i, sizeof(tmp) - i);
}

static void put_sep(struct out *o, bool *any)
{
	if (*any)
		put_mem(o, "|", 1);
	*any = true;
}

static void put_flags(struct out *o, const struct fmt_desc *d,
		      unsigned long long v)
{
	unsigned long long rest = v, done = 0, sig;
	bool any = false;
	size_t i;

	if (!v && d->zero) {
		put_str(o, d->zero);
		return;
	}
	for (i = 0; i < d->n; i++) {
		const struct flag_ent *f = &d->flags[i];

		/* Each field is named once: O_RDONLY must not follow O_RDWR. */
		if ((f->mask & done) || (rest & f->mask) != f->val)
			continue;
		put_sep(o, &any);
		put_str(o, f->name);
		rest &= ~f->mask;
		done |= f->mask;
	}
	sig = rest & d->sig_mask;
	if (sig) {
		const char *name =
			name_find(signals, NAMES_COUNT(signals), sig);

		put_sep(o, &any);
		if (name)
			put_str(o, name);
		else
			put_num(o, "", sig, 10, 1);
		rest &= ~d->sig_mask;
	}
	if (rest) {
		put_sep(o, &any);
		put_num(o, "0x", rest, 16, 1);
	} else if (!any) {
		put_mem(o, "0", 1);
	}
}

/* Like strace: "S_IFREG|0644", "0755", "000"; octal, at least 3 digits. */
static void put_mode(struct out *o, unsigned long long v)
{
	const char *type;

	if (v & 0170000) {
		type = name_find(ftypes, NAMES_COUNT(ftypes), v & 0170000);
		if (!type || v > 0177777) {
			put_num(o, "0", v, 8, 1);
			return;
		}
		put_str(o, type);
		put_mem(o, "|", 1);
		v &= 07777;
	} else if (v > 07777) {
		put_num(o, "0", v, 8, 1);
		return;
	}
	/* printf's "%#03o": a leading 0, but zero itself is "000" */
	put_num(o, v ? "0" : "", v, 8, v ? 2 : 3);
}

int kcap_fmt_symbolic(char *buf, size_t size, int fmt, unsigned long long value)
{
	struct out o = { buf, size, 0 };
	const struct fmt_desc *d;
	const char *name;

	if (fmt < 0 || (size_t)fmt >= NAMES_COUNT(fmts) ||
	    fmts[fmt].kind == K_NONE)
		return -EINVAL;
	d = &fmts[fmt];
	switch (d->kind) {
	case K_ENUM:
	case K_LOSS:
	case K_SYSCALL:
		if (d->kind == K_ENUM) {
			name = name_find(d->names, d->n, value);
		} else if (d->kind == K_SYSCALL) {
			const struct syscall_ent *e = syscall_find(value);

			name = e ? e->name : NULL;
		} else {
			const struct loss_ent *l = loss_find(value);

			name = l ? l->name : NULL;
		}
		if (name) {
			put_str(&o, name);
		} else if ((long long)value < 0) {
			put_mem(&o, "-", 1);
			put_num(&o, "", -value, 10, 1);
		} else {
			put_num(&o, "", value, 10, 1);
		}
		break;
	case K_FLAGS:
		put_flags(&o, d, value);
		break;
	default:
		put_mode(&o, value);
		break;
	}
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}
