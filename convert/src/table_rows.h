/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Exit rows of the conversion table: included by table.c only. */
/* clang-format off */
/* PPME_SYSCALL_OPEN_X (3) -> open */
EXIT(3, 0, 255, open,
     { "res", 0, NA, XF_S64 },
     { "ino", 5, NA, XF_U64 },
     { "name", 1, 0, XF_STR },
     { "flags", 2, 1, XF_OFLAGS },
     { "mode", 3, 2, XF_U32 },
     { "dev", 4, NA, XF_DEV })
/* PPME_SYSCALL_CLOSE_X (5) -> close */
EXIT(5, 0, 255, close,
     { "res", 0, NA, XF_S64 },
     { "fd", 1, 0, XF_S64 })
/* PPME_SYSCALL_READ_X (7) -> read */
EXIT(7, 0, 255, read,
     { "res", 0, NA, XF_S64 },
     { "fd", 2, 0, XF_S64 },
     { "size", 3, 1, XF_U32 },
     { "data", 1, NA, XF_BYTES })
/* PPME_SYSCALL_WRITE_X (9) -> write */
EXIT(9, 0, 255, write,
     { "res", 0, NA, XF_S64 },
     { "fd", 2, 0, XF_S64 },
     { "size", 3, 1, XF_U32 },
     { "data", 1, NA, XF_BYTES })
/* PPME_SYSCALL_BRK_1_X (11) -> brk */
EXIT(11, 0, 255, brk,
     { "res", 0, NA, XF_U64 })
/* PPME_SYSCALL_EXECVE_8_X (13) -> execve */
EXIT(13, 0, 255, execve,
     { "res", 0, NA, XF_S64 },
     { "fdlimit", 7, NA, XF_U64 },
     { "tgid", 4, NA, XF_S64 },
     { "ppid", 5, NA, XF_S64 },
     { "argv", 1, NA, XF_ARGV_EXE, 2 },
     { "cwd", 6, NA, XF_STR })
/* PPME_SYSCALL_CLONE_11_X (15) -> clone */
EXIT(15, 0, 255, clone,
     { "res", 0, NA, XF_S64 },
     { "flags", 8, NA, XF_CLONE },
     { "fdlimit", 7, NA, XF_S64 },
     { "tgid", 4, NA, XF_S64 },
     { "ppid", 5, NA, XF_S64 },
     { "child_tid", 0, NA, XF_CHILD_TID, 8 },
     { "child_pid", 0, NA, XF_CHILD_PID, 8 },
     { "uid", 9, NA, XF_U32 },
     { "gid", 10, NA, XF_U32 },
     { "exe", 1, NA, XF_STR },
     { "args", 2, NA, XF_ARGV },
     { "cwd", 6, NA, XF_STR })
/* PPME_SOCKET_SOCKET_X (19) -> socket */
EXIT(19, 0, 255, socket,
     { "res", 0, NA, XF_S64 },
     { "domain", 1, 0, XF_U32 },
     { "sock_type", 2, 1, XF_U32 },
     { "proto", 3, 2, XF_U32 },
     { "flags", 4, NA, XF_U32 })
/* PPME_SOCKET_BIND_X (21) -> bind */
EXIT(21, 0, 255, bind,
     { "res", 0, NA, XF_S64 },
     { "fd", 2, 0, XF_S64 },
     { "addr", 1, NA, XF_SADDR })
/* PPME_SOCKET_CONNECT_X (23) -> connect */
EXIT(23, 0, 255, connect,
     { "res", 0, NA, XF_S64 },
     { "fd", 2, 0, XF_S64 },
     { "addr", 3, 1, XF_SADDR },
     { "laddr", 1, NA, XF_TUP_SRC },
     { "raddr", 1, NA, XF_TUP_DST })
/* PPME_SOCKET_LISTEN_X (25) -> listen */
EXIT(25, 0, 255, listen,
     { "res", 0, NA, XF_S64 },
     { "fd", 1, 0, XF_S64 },
     { "backlog", 2, 1, XF_S32 })
/* PPME_SOCKET_ACCEPT_X (27) -> accept */
EXIT(27, 0, 255, accept,
     { "res", 0, NA, XF_S64 },
     { "laddr", 1, NA, XF_TUP_DST },
     { "raddr", 1, NA, XF_TUP_SRC },
     { "queuepct", 2, NA, XF_U8 })
/* PPME_SOCKET_SEND_X (29) -> send */
EXIT(29, 0, 255, send,
     { "res", 0, NA, XF_S64 },
     { "fd", 2, 0, XF_S64 },
     { "size", 3, 1, XF_U32 },
     { "data", 1, NA, XF_BYTES },
     { "laddr", 4, NA, XF_TUP_SRC },
     { "raddr", 4, NA, XF_TUP_DST })
/* PPME_SOCKET_SENDTO_X (31) -> sendto; the legacy enter has the tuple */
EXIT(31, 0, 255, sendto,
     { "res", 0, NA, XF_S64 },
     { "fd", 2, 0, XF_S64 },
     { "size", 3, 1, XF_U32 },
     { "data", 1, NA, XF_BYTES },
     { "laddr", 4, 2, XF_TUP_SRC },
     { "raddr", 4, 2, XF_TUP_DST })
/* PPME_SOCKET_RECV_X (33) -> recv */
EXIT(33, 0, 255, recv,
     { "res", 0, NA, XF_S64 },
     { "fd", 2, 0, XF_S64 },
     { "size", 3, 1, XF_U32 },
     { "data", 1, NA, XF_BYTES },
     { "laddr", 4, NA, XF_TUP_DST },
     { "raddr", 4, NA, XF_TUP_SRC })
/* PPME_SOCKET_RECVFROM_X (35) -> recvfrom */
EXIT(35, 0, 255, recvfrom,
     { "res", 0, NA, XF_S64 },
     { "fd", 3, 0, XF_S64 },
     { "size", 4, 1, XF_U32 },
     { "data", 1, NA, XF_BYTES },
     { "laddr", 2, NA, XF_TUP_DST },
     { "raddr", 2, NA, XF_TUP_SRC })
/* PPME_SOCKET_SHUTDOWN_X (37) -> shutdown */
EXIT(37, 0, 255, shutdown,
     { "res", 0, NA, XF_S64 },
     { "fd", 1, 0, XF_S64 },
     { "how", 2, 1, XF_U8 })
/* PPME_SOCKET_GETSOCKNAME_X (39) -> getsockname */
EXIT(39, 0, 255, getsockname,
     { NULL })
/* PPME_SOCKET_GETPEERNAME_X (41) -> getpeername */
EXIT(41, 0, 255, getpeername,
     { NULL })
/* PPME_SOCKET_SOCKETPAIR_X (43) -> socketpair */
EXIT(43, 0, 255, socketpair,
     { "res", 0, NA, XF_S64 },
     { "source", 3, NA, XF_U64 },
     { "peer", 4, NA, XF_U64 },
     { "domain", 5, 0, XF_U32 },
     { "sock_type", 6, 1, XF_U32 },
     { "proto", 7, 2, XF_U32 },
     { "fd1", 1, NA, XF_S64 },
     { "fd2", 2, NA, XF_S64 })
/* PPME_SOCKET_SETSOCKOPT_X (45) -> setsockopt */
EXIT(45, 0, 255, setsockopt,
     { "res", 0, NA, XF_S64 },
     { "fd", 1, NA, XF_S64 },
     { "level", 2, NA, XF_UNTRANSLATED },
     { "optname", 3, NA, XF_UNTRANSLATED },
     { "optlen", 5, NA, XF_U32 })
/* PPME_SOCKET_GETSOCKOPT_X (47) -> getsockopt */
EXIT(47, 0, 255, getsockopt,
     { "res", 0, NA, XF_S64 },
     { "fd", 1, NA, XF_S64 },
     { "level", 2, NA, XF_UNTRANSLATED },
     { "optname", 3, NA, XF_UNTRANSLATED },
     { "optlen", 5, NA, XF_U32 })
/* PPME_SOCKET_SENDMSG_X (49) -> sendmsg; the legacy enter has the tuple */
EXIT(49, 0, 255, sendmsg,
     { "res", 0, NA, XF_S64 },
     { "fd", 2, 0, XF_S64 },
     { "size", 3, 1, XF_U32 },
     { "data", 1, NA, XF_BYTES },
     { "laddr", 4, 2, XF_TUP_SRC },
     { "raddr", 4, 2, XF_TUP_DST })
/* PPME_SOCKET_SENDMMSG_X (51) -> sendmmsg */
EXIT(51, 0, 255, sendmmsg,
     { "res", 0, NA, XF_S64 },
     { "fd", 1, NA, XF_S64 },
     { "size", 2, NA, XF_U32 },
     { "data", 3, NA, XF_BYTES },
     { "laddr", 4, NA, XF_TUP_SRC },
     { "raddr", 4, NA, XF_TUP_DST })
/* PPME_SOCKET_RECVMSG_X (53) -> recvmsg */
EXIT(53, 0, 255, recvmsg,
     { "res", 0, NA, XF_S64 },
     { "fd", 5, 0, XF_S64 },
     { "size", 1, NA, XF_U32 },
     { "data", 2, NA, XF_BYTES },
     { "msgcontrol", 4, NA, XF_BYTES },
     { "laddr", 3, NA, XF_TUP_DST },
     { "raddr", 3, NA, XF_TUP_SRC })
/* PPME_SOCKET_RECVMMSG_X (55) -> recvmmsg */
EXIT(55, 0, 255, recvmmsg,
     { "res", 0, NA, XF_S64 },
     { "fd", 1, NA, XF_S64 },
     { "size", 2, NA, XF_U32 },
     { "data", 3, NA, XF_BYTES },
     { "msgcontrol", 5, NA, XF_BYTES },
     { "laddr", 4, NA, XF_TUP_DST },
     { "raddr", 4, NA, XF_TUP_SRC })
/* PPME_SOCKET_ACCEPT4_X (57) -> accept */
EXIT(57, 0, 255, accept,
     { "res", 0, NA, XF_S64 },
     { "laddr", 1, NA, XF_TUP_DST },
     { "raddr", 1, NA, XF_TUP_SRC },
     { "queuepct", 2, NA, XF_U8 })
/* PPME_SYSCALL_CREAT_X (59) -> creat */
EXIT(59, 0, 255, creat,
     { "res", 0, NA, XF_S64 },
     { "ino", 4, NA, XF_U64 },
     { "name", 1, 0, XF_STR },
     { "mode", 2, 1, XF_U32 },
     { "dev", 3, NA, XF_DEV },
     { "creat_flags", 5, NA, XF_U16 })
/* PPME_SYSCALL_PIPE_X (61) -> pipe */
EXIT(61, 0, 255, pipe,
     { "res", 0, NA, XF_S64 },
     { "ino", 3, NA, XF_U64 },
     { "fd1", 1, NA, XF_S64 },
     { "fd2", 2, NA, XF_S64 })
/* PPME_SYSCALL_EVENTFD_X (63) -> eventfd */
EXIT(63, 0, 255, eventfd,
     { "res", 0, NA, XF_S64 },
     { "initval", 1, 0, XF_U64 },
     { "flags", 2, 1, XF_U32 })
/* PPME_SYSCALL_FUTEX_X (65) -> futex */
EXIT(65, 0, 255, futex,
     { "res", 0, NA, XF_S64 },
     { "addr", 1, 0, XF_U64 },
     { "op", 2, 1, XF_UNTRANSLATED },
     { "val", 3, 2, XF_U64 })
/* PPME_SYSCALL_STAT_X (67) -> stat */
EXIT(67, 0, 255, stat,
     { "res", 0, NA, XF_S64 },
     { "path", 1, NA, XF_STR })
/* PPME_SYSCALL_LSTAT_X (69) -> lstat */
EXIT(69, 0, 255, lstat,
     { "res", 0, NA, XF_S64 },
     { "path", 1, NA, XF_STR })
/* PPME_SYSCALL_FSTAT_X (71) -> fstat */
EXIT(71, 0, 255, fstat,
     { "res", 0, NA, XF_S64 },
     { "fd", 1, 0, XF_S64 })
/* PPME_SYSCALL_STAT64_X (73) -> stat64 */
EXIT(73, 0, 255, stat64,
     { "res", 0, NA, XF_S64 },
     { "path", 1, NA, XF_STR })
/* PPME_SYSCALL_LSTAT64_X (75) -> lstat64 */
EXIT(75, 0, 255, lstat64,
     { "res", 0, NA, XF_S64 },
     { "path", 1, NA, XF_STR })
/* PPME_SYSCALL_FSTAT64_X (77) -> fstat64 */
EXIT(77, 0, 255, fstat64,
     { "res", 0, NA, XF_S64 },
     { "fd", NA, 0, XF_S64 })
/* PPME_SYSCALL_EPOLLWAIT_X (79) -> epoll_wait */
EXIT(79, 0, 255, epoll_wait,
     { "res", 0, NA, XF_S64 },
     { "maxevents", 1, 0, XF_S64 })
/* PPME_SYSCALL_POLL_X (81) -> poll */
EXIT(81, 0, 255, poll,
     { "res", 0, NA, XF_S64 },
     { "fds", 1, 0, XF_POLLFDS },
     { "timeout", 2, 1, XF_S64 })
/* PPME_SYSCALL_SELECT_X (83) -> select */
EXIT(83, 0, 255, select,
     { "res", 0, NA, XF_S64 })
/* PPME_SYSCALL_NEWSELECT_X (85) -> select */
EXIT(85, 0, 255, select,
     { "res", 0, NA, XF_S64 })
/* PPME_SYSCALL_LSEEK_X (87) -> lseek */
EXIT(87, 0, 255, lseek,
     { "res", 0, NA, XF_S64 },
     { "offset", 2, 1, XF_U64 },
     { "fd", 1, 0, XF_S64 },
     { "whence", 3, 2, XF_U8 })
/* PPME_SYSCALL_LLSEEK_X (89) -> llseek */
EXIT(89, 0, 255, llseek,
     { "res", 0, NA, XF_S64 },
     { "offset", 2, 1, XF_U64 },
     { "fd", 1, 0, XF_S64 },
     { "whence", 3, 2, XF_U8 })
/* PPME_SYSCALL_IOCTL_2_X (91) -> ioctl */
EXIT(91, 0, 255, ioctl,
     { "res", 0, NA, XF_S64 },
     { "fd", NA, 0, XF_S64 },
     { "request", NA, 1, XF_U64 })
/* PPME_SYSCALL_GETCWD_X (93) -> getcwd */
EXIT(93, 0, 255, getcwd,
     { "res", 0, NA, XF_S64 },
     { "path", 1, NA, XF_STR })
/* PPME_SYSCALL_CHDIR_X (95) -> chdir */
EXIT(95, 0, 255, chdir,
     { "res", 0, NA, XF_S64 },
     { "path", 1, NA, XF_STR })
/* PPME_SYSCALL_FCHDIR_X (97) -> fchdir */
EXIT(97, 0, 255, fchdir,
     { "res", 0, NA, XF_S64 },
     { "fd", 1, 0, XF_S64 })
/* PPME_SYSCALL_MKDIR_X (99) -> mkdir */
EXIT(99, 0, 255, mkdir,
     { "res", 0, NA, XF_S64 },
     { "path", NA, 0, XF_STR },
     { "mode", NA, 1, XF_U32 })
/* PPME_SYSCALL_RMDIR_X (101) -> rmdir */
EXIT(101, 0, 255, rmdir,
     { "res", 0, NA, XF_S64 },
     { "path", NA, 0, XF_STR })
/* PPME_SYSCALL_OPENAT_X (103) -> openat */
EXIT(103, 0, 255, openat,
     { "res", 0, NA, XF_S64 },
     { "dirfd", NA, 0, XF_S64 },
     { "name", NA, 1, XF_STR },
     { "flags", NA, 2, XF_OFLAGS },
     { "mode", NA, 3, XF_U32 })
/* PPME_SYSCALL_LINK_X (105) -> link */
EXIT(105, 0, 255, link,
     { "res", 0, NA, XF_S64 },
     { "oldpath", NA, 0, XF_STR },
     { "newpath", NA, 1, XF_STR })
/* PPME_SYSCALL_LINKAT_X (107) -> linkat */
EXIT(107, 0, 255, linkat,
     { "res", 0, NA, XF_S64 },
     { "olddir", NA, 0, XF_S64 },
     { "oldpath", NA, 1, XF_STR },
     { "newdir", NA, 2, XF_S64 },
     { "newpath", NA, 3, XF_STR })
/* PPME_SYSCALL_UNLINK_X (109) -> unlink */
EXIT(109, 0, 255, unlink,
     { "res", 0, NA, XF_S64 },
     { "path", NA, 0, XF_STR })
/* PPME_SYSCALL_UNLINKAT_X (111) -> unlinkat */
EXIT(111, 0, 255, unlinkat,
     { "res", 0, NA, XF_S64 },
     { "dirfd", NA, 0, XF_S64 },
     { "name", NA, 1, XF_STR })
/* PPME_SYSCALL_PREAD_X (113) -> pread64 */
EXIT(113, 0, 255, pread64,
     { "res", 0, NA, XF_S64 },
     { "pos", 4, 2, XF_U64 },
     { "fd", 2, 0, XF_S64 },
     { "size", 3, 1, XF_U32 },
     { "data", 1, NA, XF_BYTES })
/* PPME_SYSCALL_PWRITE_X (115) -> pwrite64 */
EXIT(115, 0, 255, pwrite64,
     { "res", 0, NA, XF_S64 },
     { "pos", 4, 2, XF_U64 },
     { "fd", 2, 0, XF_S64 },
     { "size", 3, 1, XF_U32 },
     { "data", 1, NA, XF_BYTES })
/* PPME_SYSCALL_READV_X (117) -> readv */
EXIT(117, 0, 255, readv,
     { "res", 0, NA, XF_S64 },
     { "fd", 3, 0, XF_S64 },
     { "size", 1, NA, XF_U32 },
     { "data", 2, NA, XF_BYTES })
/* PPME_SYSCALL_WRITEV_X (119) -> writev */
EXIT(119, 0, 255, writev,
     { "res", 0, NA, XF_S64 },
     { "fd", 2, 0, XF_S64 },
     { "size", 3, 1, XF_U32 },
     { "data", 1, NA, XF_BYTES })
/* PPME_SYSCALL_PREADV_X (121) -> preadv */
EXIT(121, 0, 255, preadv,
     { "res", 0, NA, XF_S64 },
     { "pos", 4, 1, XF_U64 },
     { "fd", 3, 0, XF_S64 },
     { "size", 1, NA, XF_U32 },
     { "data", 2, NA, XF_BYTES })
/* PPME_SYSCALL_PWRITEV_X (123) -> pwritev */
EXIT(123, 0, 255, pwritev,
     { "res", 0, NA, XF_S64 },
     { "pos", 4, 2, XF_U64 },
     { "fd", 2, 0, XF_S64 },
     { "size", 3, 1, XF_U32 },
     { "data", 1, NA, XF_BYTES })
/* PPME_SYSCALL_DUP_X (125) -> dup */
EXIT(125, 0, 255, dup,
     { "res", 0, NA, XF_S64 },
     { "oldfd", NA, 0, XF_S64 })
/* PPME_SYSCALL_SIGNALFD_X (127) -> signalfd */
EXIT(127, 0, 255, signalfd,
     { "res", 0, NA, XF_S64 },
     { "mask", 2, 1, XF_U32 },
     { "fd", 1, 0, XF_S64 },
     { "flags", 3, 2, XF_U8 })
/* PPME_SYSCALL_KILL_X (129) -> kill */
EXIT(129, 0, 255, kill,
     { "res", 0, NA, XF_S64 },
     { "target_pid", 1, 0, XF_S64 },
     { "sig", 2, 1, XF_U8 })
/* PPME_SYSCALL_TKILL_X (131) -> tkill */
EXIT(131, 0, 255, tkill,
     { "res", 0, NA, XF_S64 },
     { "target_tid", 1, 0, XF_S64 },
     { "sig", 2, 1, XF_U8 })
/* PPME_SYSCALL_TGKILL_X (133) -> tgkill */
EXIT(133, 0, 255, tgkill,
     { "res", 0, NA, XF_S64 },
     { "target_pid", 1, 0, XF_S64 },
     { "target_tid", 2, 1, XF_S64 },
     { "sig", 3, 2, XF_U8 })
/* PPME_SYSCALL_NANOSLEEP_X (135) -> nanosleep */
EXIT(135, 0, 255, nanosleep,
     { "res", 0, NA, XF_S64 },
     { "interval", 1, 0, XF_U64 })
/* PPME_SYSCALL_TIMERFD_CREATE_X (137) -> timerfd_create */
EXIT(137, 0, 255, timerfd_create,
     { "res", 0, NA, XF_S64 },
     { "clockid", 1, 0, XF_U8 },
     { "flags", 2, 1, XF_U8 })
/* PPME_SYSCALL_INOTIFY_INIT_X (139) -> inotify_init */
EXIT(139, 0, 255, inotify_init,
     { "res", 0, NA, XF_S64 },
     { "flags", 1, 0, XF_U8 })
/* PPME_SYSCALL_GETRLIMIT_X (141) -> getrlimit */
EXIT(141, 0, 255, getrlimit,
     { "res", 0, NA, XF_S64 },
     { "cur", 1, NA, XF_S64 },
     { "max", 2, NA, XF_S64 },
     { "resource", 3, 0, XF_U8 })
/* PPME_SYSCALL_SETRLIMIT_X (143) -> setrlimit */
EXIT(143, 0, 255, setrlimit,
     { "res", 0, NA, XF_S64 },
     { "cur", 1, NA, XF_S64 },
     { "max", 2, NA, XF_S64 },
     { "resource", 3, 0, XF_U8 })
/* PPME_SYSCALL_PRLIMIT_X (145) -> prlimit64 */
EXIT(145, 0, 255, prlimit64,
     { "res", 0, NA, XF_S64 },
     { "newcur", 1, NA, XF_S64 },
     { "newmax", 2, NA, XF_S64 },
     { "oldcur", 3, NA, XF_S64 },
     { "oldmax", 4, NA, XF_S64 },
     { "target_pid", 5, 0, XF_S64 },
     { "resource", 6, 1, XF_U8 })
/* PPME_SYSCALL_FCNTL_X (151) -> fcntl */
EXIT(151, 0, 255, fcntl,
     { "res", 0, NA, XF_S64 },
     { "arg", 3, NA, XF_U64 },
     { "fd", 1, 0, XF_S64 },
     { "cmd", 2, 1, XF_FCNTL })
/* PPME_SYSCALL_EXECVE_13_X (155) -> execve */
EXIT(155, 0, 255, execve,
     { "res", 0, NA, XF_S64 },
     { "fdlimit", 7, NA, XF_U64 },
     { "pgft_maj", 8, NA, XF_U64 },
     { "pgft_min", 9, NA, XF_U64 },
     { "tgid", 4, NA, XF_S64 },
     { "ppid", 5, NA, XF_S64 },
     { "vm_size", 10, NA, XF_U32 },
     { "vm_rss", 11, NA, XF_U32 },
     { "vm_swap", 12, NA, XF_U32 },
     { "argv", 1, NA, XF_ARGV_EXE, 2 },
     { "cwd", 6, NA, XF_STR })
/* PPME_SYSCALL_CLONE_16_X (157) -> clone */
EXIT(157, 0, 255, clone,
     { "res", 0, NA, XF_S64 },
     { "flags", 13, NA, XF_CLONE },
     { "fdlimit", 7, NA, XF_S64 },
     { "pgft_maj", 8, NA, XF_U64 },
     { "pgft_min", 9, NA, XF_U64 },
     { "tgid", 4, NA, XF_S64 },
     { "ppid", 5, NA, XF_S64 },
     { "child_tid", 0, NA, XF_CHILD_TID, 13 },
     { "child_pid", 0, NA, XF_CHILD_PID, 13 },
     { "uid", 14, NA, XF_U32 },
     { "gid", 15, NA, XF_U32 },
     { "vm_size", 10, NA, XF_U32 },
     { "vm_rss", 11, NA, XF_U32 },
     { "vm_swap", 12, NA, XF_U32 },
     { "exe", 1, NA, XF_STR },
     { "args", 2, NA, XF_ARGV },
     { "cwd", 6, NA, XF_STR })
/* PPME_SYSCALL_BRK_4_X (159) -> brk */
EXIT(159, 0, 255, brk,
     { "res", 0, NA, XF_U64 },
     { "addr", 4, 0, XF_U64 },
     { "vm_size", 1, NA, XF_U32 },
     { "vm_rss", 2, NA, XF_U32 },
     { "vm_swap", 3, NA, XF_U32 })
/* PPME_SYSCALL_MMAP_X (161) -> mmap */
EXIT(161, 0, 255, mmap,
     { "res", 0, NA, XF_S64 },
     { "addr", 4, 0, XF_U64 },
     { "length", 5, 1, XF_U64 },
     { "offset", 9, 5, XF_U64 },
     { "prot", 6, 2, XF_U32 },
     { "flags", 7, 3, XF_MMAP },
     { "fd", 8, 4, XF_S64 },
     { "vm_size", 1, NA, XF_U32 },
     { "vm_rss", 2, NA, XF_U32 },
     { "vm_swap", 3, NA, XF_U32 })
/* PPME_SYSCALL_MMAP2_X (163) -> mmap2 */
EXIT(163, 0, 255, mmap2,
     { "res", 0, NA, XF_S64 },
     { "addr", 4, 0, XF_U64 },
     { "length", 5, 1, XF_U64 },
     { "pgoffset", 9, 5, XF_U64 },
     { "prot", 6, 2, XF_U32 },
     { "flags", 7, 3, XF_MMAP },
     { "fd", 8, 4, XF_S64 },
     { "vm_size", 1, NA, XF_U32 },
     { "vm_rss", 2, NA, XF_U32 },
     { "vm_swap", 3, NA, XF_U32 })
/* PPME_SYSCALL_MUNMAP_X (165) -> munmap */
EXIT(165, 0, 255, munmap,
     { "res", 0, NA, XF_S64 },
     { "addr", 4, 0, XF_U64 },
     { "length", 5, 1, XF_U64 },
     { "vm_size", 1, NA, XF_U32 },
     { "vm_rss", 2, NA, XF_U32 },
     { "vm_swap", 3, NA, XF_U32 })
/* PPME_SYSCALL_SPLICE_X (167) -> splice */
EXIT(167, 0, 255, splice,
     { "res", 0, NA, XF_S64 },
     { "size", 3, 2, XF_U64 },
     { "fd_in", 1, 0, XF_S64 },
     { "fd_out", 2, 1, XF_S64 },
     { "flags", 4, 3, XF_U32 })
/* PPME_SYSCALL_PTRACE_X (169) -> ptrace */
EXIT(169, 0, 255, ptrace,
     { "res", 0, NA, XF_S64 },
     { "addr", 1, NA, XF_DYN_INT },
     { "data", 2, NA, XF_DYN_INT },
     { "request", 3, 0, XF_PTRACE },
     { "target_pid", 4, 1, XF_S64 })
/* PPME_SYSCALL_IOCTL_3_X (171) -> ioctl */
EXIT(171, 0, 255, ioctl,
     { "res", 0, NA, XF_S64 },
     { "argument", 3, 2, XF_U64 },
     { "fd", 1, 0, XF_S64 },
     { "request", 2, 1, XF_U64 })
/* PPME_SYSCALL_EXECVE_14_X (173) -> execve */
EXIT(173, 0, 255, execve,
     { "res", 0, NA, XF_S64 },
     { "fdlimit", 7, NA, XF_U64 },
     { "pgft_maj", 8, NA, XF_U64 },
     { "pgft_min", 9, NA, XF_U64 },
     { "tgid", 4, NA, XF_S64 },
     { "ppid", 5, NA, XF_S64 },
     { "vm_size", 10, NA, XF_U32 },
     { "vm_rss", 11, NA, XF_U32 },
     { "vm_swap", 12, NA, XF_U32 },
     { "argv", 1, NA, XF_ARGV_EXE, 2 },
     { "cwd", 6, NA, XF_STR },
     { "env", 13, NA, XF_ARGV })
/* PPME_SYSCALL_RENAME_X (175) -> rename */
EXIT(175, 0, 255, rename,
     { "res", 0, NA, XF_S64 },
     { "oldpath", 1, NA, XF_STR },
     { "newpath", 2, NA, XF_STR })
/* PPME_SYSCALL_RENAMEAT_X (177) -> renameat */
EXIT(177, 0, 255, renameat,
     { "res", 0, NA, XF_S64 },
     { "olddirfd", 1, NA, XF_S64 },
     { "oldpath", 2, NA, XF_STR },
     { "newdirfd", 3, NA, XF_S64 },
     { "newpath", 4, NA, XF_STR })
/* PPME_SYSCALL_SYMLINK_X (179) -> symlink */
EXIT(179, 0, 255, symlink,
     { "res", 0, NA, XF_S64 },
     { "target", 1, NA, XF_STR },
     { "linkpath", 2, NA, XF_STR })
/* PPME_SYSCALL_SYMLINKAT_X (181) -> symlinkat */
EXIT(181, 0, 255, symlinkat,
     { "res", 0, NA, XF_S64 },
     { "target", 1, NA, XF_STR },
     { "linkdirfd", 2, NA, XF_S64 },
     { "linkpath", 3, NA, XF_STR })
/* PPME_SYSCALL_FORK_X (183) -> fork */
EXIT(183, 0, 255, fork,
     { "res", 0, NA, XF_S64 },
     { "flags", 13, NA, XF_CLONE },
     { "fdlimit", 7, NA, XF_S64 },
     { "pgft_maj", 8, NA, XF_U64 },
     { "pgft_min", 9, NA, XF_U64 },
     { "tgid", 4, NA, XF_S64 },
     { "ppid", 5, NA, XF_S64 },
     { "child_tid", 0, NA, XF_CHILD_TID, 13 },
     { "child_pid", 0, NA, XF_CHILD_PID, 13 },
     { "uid", 14, NA, XF_U32 },
     { "gid", 15, NA, XF_U32 },
     { "vm_size", 10, NA, XF_U32 },
     { "vm_rss", 11, NA, XF_U32 },
     { "vm_swap", 12, NA, XF_U32 },
     { "exe", 1, NA, XF_STR },
     { "args", 2, NA, XF_ARGV },
     { "cwd", 6, NA, XF_STR })
/* PPME_SYSCALL_VFORK_X (185) -> vfork */
EXIT(185, 0, 255, vfork,
     { "res", 0, NA, XF_S64 },
     { "flags", 13, NA, XF_CLONE },
     { "fdlimit", 7, NA, XF_S64 },
     { "pgft_maj", 8, NA, XF_U64 },
     { "pgft_min", 9, NA, XF_U64 },
     { "tgid", 4, NA, XF_S64 },
     { "ppid", 5, NA, XF_S64 },
     { "child_tid", 0, NA, XF_CHILD_TID, 13 },
     { "child_pid", 0, NA, XF_CHILD_PID, 13 },
     { "uid", 14, NA, XF_U32 },
     { "gid", 15, NA, XF_U32 },
     { "vm_size", 10, NA, XF_U32 },
     { "vm_rss", 11, NA, XF_U32 },
     { "vm_swap", 12, NA, XF_U32 },
     { "exe", 1, NA, XF_STR },
     { "args", 2, NA, XF_ARGV },
     { "cwd", 6, NA, XF_STR })
/* PPME_SYSCALL_SENDFILE_X (189) -> sendfile */
EXIT(189, 0, 255, sendfile,
     { "res", 0, NA, XF_S64 },
     { "offset", 1, 2, XF_U64 },
     { "size", 4, 3, XF_U64 },
     { "out_fd", 2, 0, XF_S64 },
     { "in_fd", 3, 1, XF_S64 })
/* PPME_SYSCALL_QUOTACTL_X (191) -> quotactl */
EXIT(191, 0, 255, quotactl,
     { "res", 0, NA, XF_S64 },
     { "dqb_bhardlimit", 3, NA, XF_U64 },
     { "dqb_bsoftlimit", 4, NA, XF_U64 },
     { "dqb_curspace", 5, NA, XF_U64 },
     { "dqb_ihardlimit", 6, NA, XF_U64 },
     { "dqb_isoftlimit", 7, NA, XF_U64 },
     { "dqb_btime", 8, NA, XF_U64 },
     { "dqb_itime", 9, NA, XF_U64 },
     { "dqi_bgrace", 10, NA, XF_U64 },
     { "dqi_igrace", 11, NA, XF_U64 },
     { "cmd", 14, 0, XF_UNTRANSLATED },
     { "special", 1, NA, XF_STR },
     { "id", 16, 2, XF_U32 },
     { "quotafilepath", 2, NA, XF_STR },
     { "quota_type", 15, 1, XF_UNTRANSLATED },
     { "quota_fmt", 17, 3, XF_UNTRANSLATED },
     { "dqi_flags", 12, NA, XF_UNTRANSLATED },
     { "quota_fmt_out", 13, NA, XF_UNTRANSLATED })
/* PPME_SYSCALL_SETRESUID_X (193) -> setresuid */
EXIT(193, 0, 255, setresuid,
     { "res", 0, NA, XF_S64 },
     { "ruid", 1, 0, XF_U32 },
     { "euid", 2, 1, XF_U32 },
     { "suid", 3, 2, XF_U32 })
/* PPME_SYSCALL_SETRESGID_X (195) -> setresgid */
EXIT(195, 0, 255, setresgid,
     { "res", 0, NA, XF_S64 },
     { "rgid", 1, 0, XF_U32 },
     { "egid", 2, 1, XF_U32 },
     { "sgid", 3, 2, XF_U32 })
/* PPME_SYSCALL_SETUID_X (199) -> setuid */
EXIT(199, 0, 255, setuid,
     { "res", 0, NA, XF_S64 },
     { "uid", 1, 0, XF_U32 })
/* PPME_SYSCALL_SETGID_X (201) -> setgid */
EXIT(201, 0, 255, setgid,
     { "res", 0, NA, XF_S64 },
     { "gid", 1, 0, XF_U32 })
/* PPME_SYSCALL_GETUID_X (203) -> getuid */
EXIT(203, 0, 255, getuid,
     { "res", 0, NA, XF_U32 })
/* PPME_SYSCALL_GETEUID_X (205) -> geteuid */
EXIT(205, 0, 255, geteuid,
     { "res", 0, NA, XF_U32 })
/* PPME_SYSCALL_GETGID_X (207) -> getgid */
EXIT(207, 0, 255, getgid,
     { "res", 0, NA, XF_U32 })
/* PPME_SYSCALL_GETEGID_X (209) -> getegid */
EXIT(209, 0, 255, getegid,
     { "res", 0, NA, XF_U32 })
/* PPME_SYSCALL_GETRESUID_X (211) -> getresuid */
EXIT(211, 0, 255, getresuid,
     { "res", 0, NA, XF_S64 },
     { "ruid", 1, NA, XF_U32 },
     { "euid", 2, NA, XF_U32 },
     { "suid", 3, NA, XF_U32 })
/* PPME_SYSCALL_GETRESGID_X (213) -> getresgid */
EXIT(213, 0, 255, getresgid,
     { "res", 0, NA, XF_S64 },
     { "rgid", 1, NA, XF_U32 },
     { "egid", 2, NA, XF_U32 },
     { "sgid", 3, NA, XF_U32 })
/* PPME_SYSCALL_EXECVE_15_X (215) -> execve */
EXIT(215, 0, 255, execve,
     { "res", 0, NA, XF_S64 },
     { "fdlimit", 7, NA, XF_U64 },
     { "pgft_maj", 8, NA, XF_U64 },
     { "pgft_min", 9, NA, XF_U64 },
     { "tgid", 4, NA, XF_S64 },
     { "ppid", 5, NA, XF_S64 },
     { "vm_size", 10, NA, XF_U32 },
     { "vm_rss", 11, NA, XF_U32 },
     { "vm_swap", 12, NA, XF_U32 },
     { "argv", 1, NA, XF_ARGV_EXE, 2 },
     { "cwd", 6, NA, XF_STR },
     { "comm", 13, NA, XF_STR },
     { "env", 14, NA, XF_ARGV })
/* PPME_SYSCALL_CLONE_17_X (217) -> clone */
EXIT(217, 0, 255, clone,
     { "res", 0, NA, XF_S64 },
     { "flags", 14, NA, XF_CLONE },
     { "fdlimit", 7, NA, XF_S64 },
     { "pgft_maj", 8, NA, XF_U64 },
     { "pgft_min", 9, NA, XF_U64 },
     { "tgid", 4, NA, XF_S64 },
     { "ppid", 5, NA, XF_S64 },
     { "child_tid", 0, NA, XF_CHILD_TID, 14 },
     { "child_pid", 0, NA, XF_CHILD_PID, 14 },
     { "uid", 15, NA, XF_U32 },
     { "gid", 16, NA, XF_U32 },
     { "vm_size", 10, NA, XF_U32 },
     { "vm_rss", 11, NA, XF_U32 },
     { "vm_swap", 12, NA, XF_U32 },
     { "exe", 1, NA, XF_STR },
     { "args", 2, NA, XF_ARGV },
     { "cwd", 6, NA, XF_STR },
     { "comm", 13, NA, XF_STR })
/* PPME_SYSCALL_FORK_17_X (219) -> fork */
EXIT(219, 0, 255, fork,
     { "res", 0, NA, XF_S64 },
     { "flags", 14, NA, XF_CLONE },
     { "fdlimit", 7, NA, XF_S64 },
     { "pgft_maj", 8, NA, XF_U64 },
     { "pgft_min", 9, NA, XF_U64 },
     { "tgid", 4, NA, XF_S64 },
     { "ppid", 5, NA, XF_S64 },
     { "child_tid", 0, NA, XF_CHILD_TID, 14 },
     { "child_pid", 0, NA, XF_CHILD_PID, 14 },
     { "uid", 15, NA, XF_U32 },
     { "gid", 16, NA, XF_U32 },
     { "vm_size", 10, NA, XF_U32 },
     { "vm_rss", 11, NA, XF_U32 },
     { "vm_swap", 12, NA, XF_U32 },
     { "exe", 1, NA, XF_STR },
     { "args", 2, NA, XF_ARGV },
     { "cwd", 6, NA, XF_STR },
     { "comm", 13, NA, XF_STR })
/* PPME_SYSCALL_VFORK_17_X (221) -> vfork */
EXIT(221, 0, 255, vfork,
     { "res", 0, NA, XF_S64 },
     { "flags", 14, NA, XF_CLONE },
     { "fdlimit", 7, NA, XF_S64 },
     { "pgft_maj", 8, NA, XF_U64 },
     { "pgft_min", 9, NA, XF_U64 },
     { "tgid", 4, NA, XF_S64 },
     { "ppid", 5, NA, XF_S64 },
     { "child_tid", 0, NA, XF_CHILD_TID, 14 },
     { "child_pid", 0, NA, XF_CHILD_PID, 14 },
     { "uid", 15, NA, XF_U32 },
     { "gid", 16, NA, XF_U32 },
     { "vm_size", 10, NA, XF_U32 },
     { "vm_rss", 11, NA, XF_U32 },
     { "vm_swap", 12, NA, XF_U32 },
     { "exe", 1, NA, XF_STR },
     { "args", 2, NA, XF_ARGV },
     { "cwd", 6, NA, XF_STR },
     { "comm", 13, NA, XF_STR })
/* PPME_SYSCALL_CLONE_20_X (223) -> clone */
EXIT(223, 0, 255, clone,
     { "res", 0, NA, XF_S64 },
     { "flags", 15, NA, XF_CLONE },
     { "fdlimit", 7, NA, XF_S64 },
     { "pgft_maj", 8, NA, XF_U64 },
     { "pgft_min", 9, NA, XF_U64 },
     { "pidns_init_start_ts", 20, NA, XF_U64 },
     { "tgid", 4, NA, XF_S64 },
     { "ppid", 5, NA, XF_S64 },
     { "child_tid", 0, NA, XF_CHILD_TID, 15 },
     { "child_pid", 0, NA, XF_CHILD_PID, 15 },
     { "vtid", 18, NA, XF_S64 },
     { "vpid", 19, NA, XF_S64 },
     { "uid", 16, NA, XF_U32 },
     { "gid", 17, NA, XF_U32 },
     { "vm_size", 10, NA, XF_U32 },
     { "vm_rss", 11, NA, XF_U32 },
     { "vm_swap", 12, NA, XF_U32 },
     { "exe", 1, NA, XF_STR },
     { "args", 2, NA, XF_ARGV },
     { "cwd", 6, NA, XF_STR },
     { "comm", 13, NA, XF_STR },
     { "cgroups", 14, NA, XF_ARGV })
/* PPME_SYSCALL_FORK_20_X (225) -> fork */
EXIT(225, 0, 255, fork,
     { "res", 0, NA, XF_S64 },
     { "flags", 15, NA, XF_CLONE },
     { "fdlimit", 7, NA, XF_S64 },
     { "pgft_maj", 8, NA, XF_U64 },
     { "pgft_min", 9, NA, XF_U64 },
     { "pidns_init_start_ts", 20, NA, XF_U64 },
     { "tgid", 4, NA, XF_S64 },
     { "ppid", 5, NA, XF_S64 },
     { "child_tid", 0, NA, XF_CHILD_TID, 15 },
     { "child_pid", 0, NA, XF_CHILD_PID, 15 },
     { "vtid", 18, NA, XF_S64 },
     { "vpid", 19, NA, XF_S64 },
     { "uid", 16, NA, XF_U32 },
     { "gid", 17, NA, XF_U32 },
     { "vm_size", 10, NA, XF_U32 },
     { "vm_rss", 11, NA, XF_U32 },
     { "vm_swap", 12, NA, XF_U32 },
     { "exe", 1, NA, XF_STR },
     { "args", 2, NA, XF_ARGV },
     { "cwd", 6, NA, XF_STR },
     { "comm", 13, NA, XF_STR },
     { "cgroups", 14, NA, XF_ARGV })
/* PPME_SYSCALL_VFORK_20_X (227) -> vfork */
EXIT(227, 0, 255, vfork,
     { "res", 0, NA, XF_S64 },
     { "flags", 15, NA, XF_CLONE },
     { "fdlimit", 7, NA, XF_S64 },
     { "pgft_maj", 8, NA, XF_U64 },
     { "pgft_min", 9, NA, XF_U64 },
     { "pidns_init_start_ts", 20, NA, XF_U64 },
     { "tgid", 4, NA, XF_S64 },
     { "ppid", 5, NA, XF_S64 },
     { "child_tid", 0, NA, XF_CHILD_TID, 15 },
     { "child_pid", 0, NA, XF_CHILD_PID, 15 },
     { "vtid", 18, NA, XF_S64 },
     { "vpid", 19, NA, XF_S64 },
     { "uid", 16, NA, XF_U32 },
     { "gid", 17, NA, XF_U32 },
     { "vm_size", 10, NA, XF_U32 },
     { "vm_rss", 11, NA, XF_U32 },
     { "vm_swap", 12, NA, XF_U32 },
     { "exe", 1, NA, XF_STR },
     { "args", 2, NA, XF_ARGV },
     { "cwd", 6, NA, XF_STR },
     { "comm", 13, NA, XF_STR },
     { "cgroups", 14, NA, XF_ARGV })
/* PPME_SYSCALL_EXECVE_16_X (231) -> execve */
EXIT(231, 0, 255, execve,
     { "res", 0, NA, XF_S64 },
     { "fdlimit", 7, NA, XF_U64 },
     { "pgft_maj", 8, NA, XF_U64 },
     { "pgft_min", 9, NA, XF_U64 },
     { "tgid", 4, NA, XF_S64 },
     { "ppid", 5, NA, XF_S64 },
     { "vm_size", 10, NA, XF_U32 },
     { "vm_rss", 11, NA, XF_U32 },
     { "vm_swap", 12, NA, XF_U32 },
     { "argv", 1, NA, XF_ARGV_EXE, 2 },
     { "cwd", 6, NA, XF_STR },
     { "comm", 13, NA, XF_STR },
     { "cgroups", 14, NA, XF_ARGV },
     { "env", 15, NA, XF_ARGV })
/* PPME_SYSCALL_GETDENTS_X (237) -> getdents */
EXIT(237, 0, 255, getdents,
     { "res", 0, NA, XF_S64 },
     { "fd", 1, 0, XF_S64 })
/* PPME_SYSCALL_GETDENTS64_X (239) -> getdents64 */
EXIT(239, 0, 255, getdents64,
     { "res", 0, NA, XF_S64 },
     { "fd", 1, 0, XF_S64 })
/* PPME_SYSCALL_SETNS_X (241) -> setns */
EXIT(241, 0, 255, setns,
     { "res", 0, NA, XF_S64 },
     { "fd", 1, 0, XF_S64 },
     { "nstype", 2, 1, XF_CLONE })
/* PPME_SYSCALL_FLOCK_X (243) -> flock */
EXIT(243, 0, 255, flock,
     { "res", 0, NA, XF_S64 },
     { "fd", 1, 0, XF_S64 },
     { "operation", 2, 1, XF_U32 })
/* PPME_SOCKET_ACCEPT_5_X (247) -> accept */
EXIT(247, 0, 255, accept,
     { "res", 0, NA, XF_S64 },
     { "laddr", 1, NA, XF_TUP_DST },
     { "raddr", 1, NA, XF_TUP_SRC },
     { "queuelen", 3, NA, XF_U32 },
     { "queuemax", 4, NA, XF_U32 },
     { "queuepct", 2, NA, XF_U8 })
/* PPME_SOCKET_ACCEPT4_5_X (249) -> accept */
EXIT(249, 0, 255, accept,
     { "res", 0, NA, XF_S64 },
     { "laddr", 1, NA, XF_TUP_DST },
     { "raddr", 1, NA, XF_TUP_SRC },
     { "queuelen", 3, NA, XF_U32 },
     { "queuemax", 4, NA, XF_U32 },
     { "queuepct", 2, NA, XF_U8 })
/* PPME_SYSCALL_SEMOP_X (251) -> semop */
EXIT(251, 0, 255, semop,
     { "res", 0, NA, XF_S64 },
     { "semid", 8, 0, XF_S32 },
     { "nsops", 1, NA, XF_U32 },
     { "sem_flg_0", 4, NA, XF_UNTRANSLATED },
     { "sem_flg_1", 7, NA, XF_UNTRANSLATED },
     { "sem_num_0", 2, NA, XF_U16 },
     { "sem_op_0", 3, NA, XF_S16 },
     { "sem_num_1", 5, NA, XF_U16 },
     { "sem_op_1", 6, NA, XF_S16 })
/* PPME_SYSCALL_SEMCTL_X (253) -> semctl */
EXIT(253, 0, 255, semctl,
     { "res", 0, NA, XF_S64 },
     { "semid", 1, 0, XF_S32 },
     { "semnum", 2, 1, XF_S32 },
     { "cmd", 3, 2, XF_UNTRANSLATED },
     { "val", 4, 3, XF_S32 })
/* PPME_SYSCALL_PPOLL_X (255) -> ppoll */
EXIT(255, 0, 255, ppoll,
     { "res", 0, NA, XF_S64 },
     { "timeout", 2, 1, XF_U64 },
     { "sigmask", 3, 2, XF_U32 })
/* PPME_SYSCALL_MOUNT_X (257) -> mount */
EXIT(257, 0, 255, mount,
     { "res", 0, NA, XF_S64 },
     { "dev", 1, NA, XF_STR },
     { "dir", 2, NA, XF_STR },
     { "fstype", 3, NA, XF_STR },
     { "flags", 4, 0, XF_U32 })
/* PPME_SYSCALL_UMOUNT_X (259) -> umount */
EXIT(259, 0, 255, umount,
     { "res", 0, NA, XF_S64 },
     { "name", 1, NA, XF_STR },
     { "flags", NA, 0, XF_U32 })
/* PPME_SYSCALL_SEMGET_X (263) -> semget */
EXIT(263, 0, 255, semget,
     { "res", 0, NA, XF_S64 },
     { "key", 1, 0, XF_S32 },
     { "nsems", 2, 1, XF_S32 },
     { "semflg", 3, 2, XF_UNTRANSLATED })
/* PPME_SYSCALL_ACCESS_X (265) -> access */
EXIT(265, 0, 255, access,
     { "res", 0, NA, XF_S64 },
     { "name", 1, NA, XF_STR },
     { "mode", 2, 0, XF_U32 })
/* PPME_SYSCALL_CHROOT_X (267) -> chroot */
EXIT(267, 0, 255, chroot,
     { "res", 0, NA, XF_S64 },
     { "path", 1, NA, XF_STR })
/* PPME_SYSCALL_SETSID_X (275) -> setsid */
EXIT(275, 0, 255, setsid,
     { "res", 0, NA, XF_S64 })
/* PPME_SYSCALL_MKDIR_2_X (277) -> mkdir */
EXIT(277, 0, 255, mkdir,
     { "res", 0, NA, XF_S64 },
     { "path", 1, NA, XF_STR },
     { "mode", 2, 0, XF_U32 })
/* PPME_SYSCALL_RMDIR_2_X (279) -> rmdir */
EXIT(279, 0, 255, rmdir,
     { "res", 0, NA, XF_S64 },
     { "path", 1, NA, XF_STR })
/* PPME_SYSCALL_EXECVE_17_X (283) -> execve */
EXIT(283, 0, 255, execve,
     { "res", 0, NA, XF_S64 },
     { "fdlimit", 7, NA, XF_U64 },
     { "pgft_maj", 8, NA, XF_U64 },
     { "pgft_min", 9, NA, XF_U64 },
     { "tgid", 4, NA, XF_S64 },
     { "ppid", 5, NA, XF_S64 },
     { "tty", 16, NA, XF_DEV },
     { "vm_size", 10, NA, XF_U32 },
     { "vm_rss", 11, NA, XF_U32 },
     { "vm_swap", 12, NA, XF_U32 },
     { "argv", 1, NA, XF_ARGV_EXE, 2 },
     { "cwd", 6, NA, XF_STR },
     { "comm", 13, NA, XF_STR },
     { "cgroups", 14, NA, XF_ARGV },
     { "env", 15, NA, XF_ARGV })
/* PPME_SYSCALL_UNSHARE_X (285) -> unshare */
EXIT(285, 0, 255, unshare,
     { "res", 0, NA, XF_S64 },
     { "flags", 1, 0, XF_CLONE })
/* PPME_SYSCALL_EXECVE_18_X (289) -> execve */
EXIT(289, 0, 255, execve,
     { "res", 0, NA, XF_S64 },
     { "fdlimit", 7, NA, XF_U64 },
     { "pgft_maj", 8, NA, XF_U64 },
     { "pgft_min", 9, NA, XF_U64 },
     { "tgid", 4, NA, XF_S64 },
     { "ppid", 5, NA, XF_S64 },
     { "tty", 16, NA, XF_DEV },
     { "vm_size", 10, NA, XF_U32 },
     { "vm_rss", 11, NA, XF_U32 },
     { "vm_swap", 12, NA, XF_U32 },
     { "filename", NA, 0, XF_STR },
     { "argv", 1, NA, XF_ARGV_EXE, 2 },
     { "cwd", 6, NA, XF_STR },
     { "comm", 13, NA, XF_STR },
     { "cgroups", 14, NA, XF_ARGV },
     { "env", 15, NA, XF_ARGV })
/* PPME_SYSCALL_EXECVE_19_X (293) -> execve */
EXIT(293, 0, 255, execve,
     { "res", 0, NA, XF_S64 },
     { "cap_inheritable", 20, NA, XF_U64 },
     { "cap_permitted", 21, NA, XF_U64 },
     { "cap_effective", 22, NA, XF_U64 },
     { "exe_ino", 23, NA, XF_U64 },
     { "exe_ino_ctime", 24, NA, XF_U64 },
     { "exe_ino_mtime", 25, NA, XF_U64 },
     { "fdlimit", 7, NA, XF_U64 },
     { "pgft_maj", 8, NA, XF_U64 },
     { "pgft_min", 9, NA, XF_U64 },
     { "tgid", 4, NA, XF_S64 },
     { "ppid", 5, NA, XF_S64 },
     { "pgid", 28, NA, XF_S64 },
     { "vpgid", 17, NA, XF_S64 },
     { "uid", 26, NA, XF_U32 },
     { "gid", 29, NA, XF_U32 },
     { "loginuid", 18, NA, XF_U32 },
     { "tty", 16, NA, XF_DEV },
     { "exe_flags", 19, NA, XF_U32 },
     { "vm_size", 10, NA, XF_U32 },
     { "vm_rss", 11, NA, XF_U32 },
     { "vm_swap", 12, NA, XF_U32 },
     { "filename", 30, 0, XF_STR },
     { "argv", 1, NA, XF_ARGV_EXE, 2 },
     { "exe", 27, NA, XF_STR },
     { "cwd", 6, NA, XF_STR },
     { "comm", 13, NA, XF_STR },
     { "cgroups", 14, NA, XF_ARGV },
     { "env", 15, NA, XF_ARGV })
/* PPME_SYSCALL_SETPGID_X (295) -> setpgid */
EXIT(295, 0, 255, setpgid,
     { "res", 0, NA, XF_S64 },
     { "target_pid", 1, 0, XF_S64 },
     { "pgid", 2, 1, XF_S64 })
/* PPME_SYSCALL_BPF_X (297) -> bpf */
EXIT(297, 0, 255, bpf,
     { "res", 0, NA, XF_DYN_INT },
     { "cmd", NA, 0, XF_S64 })
/* PPME_SYSCALL_SECCOMP_X (299) -> seccomp */
EXIT(299, 0, 255, seccomp,
     { "res", 0, NA, XF_S64 },
     { "op", 1, 0, XF_U64 },
     { "flags", 2, 1, XF_U64 })
/* PPME_SYSCALL_UNLINK_2_X (301) -> unlink */
EXIT(301, 0, 255, unlink,
     { "res", 0, NA, XF_S64 },
     { "path", 1, NA, XF_STR })
/* PPME_SYSCALL_UNLINKAT_2_X (303) -> unlinkat */
EXIT(303, 0, 255, unlinkat,
     { "res", 0, NA, XF_S64 },
     { "dirfd", 1, NA, XF_S64 },
     { "name", 2, NA, XF_STR },
     { "flags", 3, NA, XF_U32 })
/* PPME_SYSCALL_MKDIRAT_X (305) -> mkdirat */
EXIT(305, 0, 255, mkdirat,
     { "res", 0, NA, XF_S64 },
     { "dirfd", 1, NA, XF_S64 },
     { "path", 2, NA, XF_STR },
     { "mode", 3, NA, XF_U32 })
/* PPME_SYSCALL_OPENAT_2_X (307) -> openat */
EXIT(307, 0, 255, openat,
     { "res", 0, NA, XF_S64 },
     { "ino", 6, NA, XF_U64 },
     { "dirfd", 1, 0, XF_S64 },
     { "name", 2, 1, XF_STR },
     { "flags", 3, 2, XF_OFLAGS },
     { "mode", 4, 3, XF_U32 },
     { "dev", 5, NA, XF_DEV })
/* PPME_SYSCALL_LINK_2_X (309) -> link */
EXIT(309, 0, 255, link,
     { "res", 0, NA, XF_S64 },
     { "oldpath", 1, NA, XF_STR },
     { "newpath", 2, NA, XF_STR })
/* PPME_SYSCALL_LINKAT_2_X (311) -> linkat */
EXIT(311, 0, 255, linkat,
     { "res", 0, NA, XF_S64 },
     { "olddir", 1, NA, XF_S64 },
     { "oldpath", 2, NA, XF_STR },
     { "newdir", 3, NA, XF_S64 },
     { "newpath", 4, NA, XF_STR },
     { "flags", 5, NA, XF_U32 })
/* PPME_SYSCALL_FCHMODAT_X (313) -> fchmodat */
EXIT(313, 0, 255, fchmodat,
     { "res", 0, NA, XF_S64 },
     { "dirfd", 1, NA, XF_S64 },
     { "filename", 2, NA, XF_STR },
     { "mode", 3, NA, XF_U32 })
/* PPME_SYSCALL_CHMOD_X (315) -> chmod */
EXIT(315, 0, 255, chmod,
     { "res", 0, NA, XF_S64 },
     { "filename", 1, NA, XF_STR },
     { "mode", 2, NA, XF_U32 })
/* PPME_SYSCALL_FCHMOD_X (317) -> fchmod */
EXIT(317, 0, 255, fchmod,
     { "res", 0, NA, XF_S64 },
     { "fd", 1, NA, XF_S64 },
     { "mode", 2, NA, XF_U32 })
/* PPME_SYSCALL_RENAMEAT2_X (319) -> renameat2 */
EXIT(319, 0, 255, renameat2,
     { "res", 0, NA, XF_S64 },
     { "olddirfd", 1, NA, XF_S64 },
     { "oldpath", 2, NA, XF_STR },
     { "newdirfd", 3, NA, XF_S64 },
     { "newpath", 4, NA, XF_STR },
     { "flags", 5, NA, XF_U32 })
/* PPME_SYSCALL_USERFAULTFD_X (321) -> userfaultfd */
EXIT(321, 0, 255, userfaultfd,
     { "res", 0, NA, XF_S64 },
     { "flags", 1, NA, XF_UNTRANSLATED })
/* PPME_SYSCALL_OPENAT2_X (327) -> openat2 */
EXIT(327, 0, 255, openat2,
     { "res", 0, NA, XF_S64 },
     { "ino", 7, NA, XF_U64 },
     { "dirfd", 1, 0, XF_S64 },
     { "name", 2, 1, XF_STR },
     { "flags", 3, 2, XF_OFLAGS },
     { "mode", 4, 3, XF_U32 },
     { "resolve", 5, 4, XF_RESOLVE },
     { "dev", 6, NA, XF_DEV })
/* PPME_SYSCALL_MPROTECT_X (329) -> mprotect */
EXIT(329, 0, 255, mprotect,
     { "res", 0, NA, XF_S64 },
     { "addr", 1, 0, XF_U64 },
     { "length", 2, 1, XF_U64 },
     { "prot", 3, 2, XF_U32 })
/* PPME_SYSCALL_EXECVEAT_X (331) -> execveat */
EXIT(331, 0, 255, execveat,
     { "res", 0, NA, XF_S64 },
     { "cap_inheritable", 20, NA, XF_U64 },
     { "cap_permitted", 21, NA, XF_U64 },
     { "cap_effective", 22, NA, XF_U64 },
     { "exe_ino", 23, NA, XF_U64 },
     { "exe_ino_ctime", 24, NA, XF_U64 },
     { "exe_ino_mtime", 25, NA, XF_U64 },
     { "fdlimit", 7, NA, XF_U64 },
     { "pgft_maj", 8, NA, XF_U64 },
     { "pgft_min", 9, NA, XF_U64 },
     { "tgid", 4, NA, XF_S64 },
     { "ppid", 5, NA, XF_S64 },
     { "pgid", 28, NA, XF_S64 },
     { "vpgid", 17, NA, XF_S64 },
     { "uid", 26, NA, XF_U32 },
     { "gid", 29, NA, XF_U32 },
     { "loginuid", 18, NA, XF_U32 },
     { "tty", 16, NA, XF_DEV },
     { "exe_flags", 19, 2, XF_U32 },
     { "vm_size", 10, NA, XF_U32 },
     { "vm_rss", 11, NA, XF_U32 },
     { "vm_swap", 12, NA, XF_U32 },
     { "dirfd", NA, 0, XF_S64 },
     { "filename", NA, 1, XF_STR },
     { "argv", 1, NA, XF_ARGV_EXE, 2 },
     { "flags", 19, 2, XF_UNTRANSLATED },
     { "exe", 27, NA, XF_STR },
     { "cwd", 6, NA, XF_STR },
     { "comm", 13, NA, XF_STR },
     { "cgroups", 14, NA, XF_ARGV },
     { "env", 15, NA, XF_ARGV })
/* PPME_SYSCALL_COPY_FILE_RANGE_X (333) -> copy_file_range */
EXIT(333, 0, 255, copy_file_range,
     { "res", 0, NA, XF_S64 },
     { "offin", 4, 1, XF_U64 },
     { "offout", 2, NA, XF_U64 },
     { "len", 5, 2, XF_U64 },
     { "fdin", 3, 0, XF_S64 },
     { "fdout", 1, NA, XF_S64 })
/* PPME_SYSCALL_CLONE3_X (335) -> clone3 */
EXIT(335, 0, 255, clone3,
     { "res", 0, NA, XF_S64 },
     { "flags", 15, NA, XF_CLONE },
     { "fdlimit", 7, NA, XF_S64 },
     { "pgft_maj", 8, NA, XF_U64 },
     { "pgft_min", 9, NA, XF_U64 },
     { "pidns_init_start_ts", 20, NA, XF_U64 },
     { "tgid", 4, NA, XF_S64 },
     { "ppid", 5, NA, XF_S64 },
     { "child_tid", 0, NA, XF_CHILD_TID, 15 },
     { "child_pid", 0, NA, XF_CHILD_PID, 15 },
     { "vtid", 18, NA, XF_S64 },
     { "vpid", 19, NA, XF_S64 },
     { "uid", 16, NA, XF_U32 },
     { "gid", 17, NA, XF_U32 },
     { "vm_size", 10, NA, XF_U32 },
     { "vm_rss", 11, NA, XF_U32 },
     { "vm_swap", 12, NA, XF_U32 },
     { "exe", 1, NA, XF_STR },
     { "args", 2, NA, XF_ARGV },
     { "cwd", 6, NA, XF_STR },
     { "comm", 13, NA, XF_STR },
     { "cgroups", 14, NA, XF_ARGV })
/* PPME_SYSCALL_OPEN_BY_HANDLE_AT_X (337) -> open_by_handle_at */
EXIT(337, 0, 255, open_by_handle_at,
     { "res", 0, NA, XF_S64 },
     { "ino", 5, NA, XF_U64 },
     { "mountfd", 1, NA, XF_S64 },
     { "flags", 2, NA, XF_OFLAGS },
     { "path", 3, NA, XF_STR },
     { "dev", 4, NA, XF_DEV })
/* PPME_SYSCALL_IO_URING_SETUP_X (339) -> io_uring_setup */
EXIT(339, 0, 255, io_uring_setup,
     { "res", 0, NA, XF_S64 },
     { "entries", 1, NA, XF_U32 },
     { "sq_entries", 2, NA, XF_U32 },
     { "cq_entries", 3, NA, XF_U32 },
     { "flags", 4, NA, XF_UNTRANSLATED },
     { "sq_thread_cpu", 5, NA, XF_U32 },
     { "sq_thread_idle", 6, NA, XF_U32 },
     { "features", 7, NA, XF_UNTRANSLATED })
/* PPME_SYSCALL_IO_URING_ENTER_X (341) -> io_uring_enter */
EXIT(341, 0, 255, io_uring_enter,
     { "res", 0, NA, XF_S64 },
     { "sig", 5, NA, XF_U32 },
     { "fd", 1, NA, XF_S64 },
     { "to_submit", 2, NA, XF_U32 },
     { "min_complete", 3, NA, XF_U32 },
     { "flags", 4, NA, XF_UNTRANSLATED })
/* PPME_SYSCALL_IO_URING_REGISTER_X (343) -> io_uring_register */
EXIT(343, 0, 255, io_uring_register,
     { "res", 0, NA, XF_S64 },
     { "arg", 3, NA, XF_U64 },
     { "fd", 1, NA, XF_S64 },
     { "opcode", 2, NA, XF_U16 },
     { "nr_args", 4, NA, XF_U32 })
/* PPME_SYSCALL_MLOCK_X (345) -> mlock */
EXIT(345, 0, 255, mlock,
     { "res", 0, NA, XF_S64 },
     { "addr", 1, NA, XF_U64 },
     { "len", 2, NA, XF_U64 })
/* PPME_SYSCALL_MUNLOCK_X (347) -> munlock */
EXIT(347, 0, 255, munlock,
     { "res", 0, NA, XF_S64 },
     { "addr", 1, NA, XF_U64 },
     { "len", 2, NA, XF_U64 })
/* PPME_SYSCALL_MLOCKALL_X (349) -> mlockall */
EXIT(349, 0, 255, mlockall,
     { "res", 0, NA, XF_S64 },
     { "flags", 1, NA, XF_U32 })
/* PPME_SYSCALL_MUNLOCKALL_X (351) -> munlockall */
EXIT(351, 0, 255, munlockall,
     { "res", 0, NA, XF_S64 })
/* PPME_SYSCALL_CAPSET_X (353) -> capset */
EXIT(353, 0, 255, capset,
     { "res", 0, NA, XF_S64 },
     { "cap_inheritable", 1, NA, XF_U64 },
     { "cap_permitted", 2, NA, XF_U64 },
     { "cap_effective", 3, NA, XF_U64 })
/* PPME_SYSCALL_DUP2_X (363) -> dup2 */
EXIT(363, 0, 255, dup2,
     { "res", 0, NA, XF_S64 },
     { "oldfd", 1, NA, XF_S64 },
     { "newfd", 2, NA, XF_S64 })
/* PPME_SYSCALL_DUP3_X (365) -> dup3 */
EXIT(365, 0, 255, dup3,
     { "res", 0, NA, XF_S64 },
     { "oldfd", 1, NA, XF_S64 },
     { "newfd", 2, NA, XF_S64 },
     { "flags", 3, NA, XF_OFLAGS })
/* PPME_SYSCALL_DUP_1_X (367) -> dup */
EXIT(367, 0, 255, dup,
     { "res", 0, NA, XF_S64 },
     { "oldfd", 1, NA, XF_S64 })
/* PPME_SYSCALL_BPF_2_X (369) -> bpf */
EXIT(369, 0, 255, bpf,
     { "res", 0, NA, XF_S64 },
     { "cmd", 1, 0, XF_UNTRANSLATED })
/* PPME_SYSCALL_MLOCK2_X (371) -> mlock2 */
EXIT(371, 0, 255, mlock2,
     { "res", 0, NA, XF_S64 },
     { "addr", 1, NA, XF_U64 },
     { "len", 2, NA, XF_U64 },
     { "flags", 3, NA, XF_U32 })
/* PPME_SYSCALL_FSCONFIG_X (373) -> fsconfig */
EXIT(373, 0, 255, fsconfig,
     { "res", 0, NA, XF_S64 },
     { "fd", 1, NA, XF_S64 },
     { "cmd", 2, NA, XF_U32 },
     { "key", 3, NA, XF_STR },
     { "value_bytebuf", 4, NA, XF_BYTES },
     { "value_charbuf", 5, NA, XF_STR },
     { "aux", 6, NA, XF_S32 })
/* PPME_SYSCALL_EPOLL_CREATE_X (375) -> epoll_create */
EXIT(375, 0, 255, epoll_create,
     { "res", 0, NA, XF_S64 },
     { "size", 1, 0, XF_S32 })
/* PPME_SYSCALL_EPOLL_CREATE1_X (377) -> epoll_create1 */
EXIT(377, 0, 255, epoll_create1,
     { "res", 0, NA, XF_S64 },
     { "flags", 1, 0, XF_EPOLL_FLAGS })
/* PPME_SYSCALL_CHOWN_X (379) -> chown */
EXIT(379, 0, 255, chown,
     { "res", 0, NA, XF_S64 },
     { "path", 1, NA, XF_STR },
     { "uid", 2, NA, XF_U32 },
     { "gid", 3, NA, XF_U32 })
/* PPME_SYSCALL_LCHOWN_X (381) -> lchown */
EXIT(381, 0, 255, lchown,
     { "res", 0, NA, XF_S64 },
     { "path", 1, NA, XF_STR },
     { "uid", 2, NA, XF_U32 },
     { "gid", 3, NA, XF_U32 })
/* PPME_SYSCALL_FCHOWN_X (383) -> fchown */
EXIT(383, 0, 255, fchown,
     { "res", 0, NA, XF_S64 },
     { "fd", 1, NA, XF_S64 },
     { "uid", 2, NA, XF_U32 },
     { "gid", 3, NA, XF_U32 })
/* PPME_SYSCALL_FCHOWNAT_X (385) -> fchownat */
EXIT(385, 0, 255, fchownat,
     { "res", 0, NA, XF_S64 },
     { "dirfd", 1, NA, XF_S64 },
     { "pathname", 2, NA, XF_STR },
     { "uid", 3, NA, XF_U32 },
     { "gid", 4, NA, XF_U32 },
     { "flags", 5, NA, XF_UNTRANSLATED })
/* PPME_SYSCALL_UMOUNT_1_X (387) -> umount */
EXIT(387, 0, 255, umount,
     { "res", 0, NA, XF_S64 },
     { "name", 1, NA, XF_STR })
/* PPME_SOCKET_ACCEPT4_6_X (389) -> accept4 */
EXIT(389, 0, 255, accept4,
     { "res", 0, NA, XF_S64 },
     { "flags", 5, 0, XF_S32 },
     { "laddr", 1, NA, XF_TUP_DST },
     { "raddr", 1, NA, XF_TUP_SRC },
     { "queuelen", 3, NA, XF_U32 },
     { "queuemax", 4, NA, XF_U32 },
     { "queuepct", 2, NA, XF_U8 })
/* PPME_SYSCALL_UMOUNT2_X (391) -> umount2 */
EXIT(391, 0, 255, umount2,
     { "res", 0, NA, XF_S64 },
     { "name", 1, NA, XF_STR },
     { "flags", 2, 0, XF_U32 })
/* PPME_SYSCALL_PIPE2_X (393) -> pipe2 */
EXIT(393, 0, 255, pipe2,
     { "res", 0, NA, XF_S64 },
     { "ino", 3, NA, XF_U64 },
     { "fd1", 1, NA, XF_S64 },
     { "fd2", 2, NA, XF_S64 },
     { "flags", 4, NA, XF_OFLAGS })
/* PPME_SYSCALL_INOTIFY_INIT1_X (395) -> inotify_init1 */
EXIT(395, 0, 255, inotify_init1,
     { "res", 0, NA, XF_S64 },
     { "flags", 1, NA, XF_UNTRANSLATED })
/* PPME_SYSCALL_EVENTFD2_X (397) -> eventfd2 */
EXIT(397, 0, 255, eventfd2,
     { "res", 0, NA, XF_S64 },
     { "initval", 2, 0, XF_U64 },
     { "flags", 1, NA, XF_UNTRANSLATED })
/* PPME_SYSCALL_SIGNALFD4_X (399) -> signalfd4 */
EXIT(399, 0, 255, signalfd4,
     { "res", 0, NA, XF_S64 },
     { "mask", 3, 1, XF_U32 },
     { "fd", 2, 0, XF_S64 },
     { "flags", 1, NA, XF_UNTRANSLATED })
/* PPME_SYSCALL_PRCTL_X (401) -> prctl */
EXIT(401, 0, 255, prctl,
     { "res", 0, NA, XF_S64 },
     { "arg2_int", 3, NA, XF_S64 },
     { "option", 1, NA, XF_UNTRANSLATED },
     { "arg2_str", 2, NA, XF_STR })
/* PPME_SYSCALL_MEMFD_CREATE_X (405) -> memfd_create */
EXIT(405, 0, 255, memfd_create,
     { "res", 0, NA, XF_S64 },
     { "name", 1, NA, XF_STR },
     { "flags", 2, NA, XF_UNTRANSLATED })
/* PPME_SYSCALL_PIDFD_GETFD_X (407) -> pidfd_getfd */
EXIT(407, 0, 255, pidfd_getfd,
     { "res", 0, NA, XF_S64 },
     { "pid_fd", 1, NA, XF_S64 },
     { "target_fd", 2, NA, XF_S64 },
     { "flags", 3, NA, XF_U32 })
/* PPME_SYSCALL_PIDFD_OPEN_X (409) -> pidfd_open */
EXIT(409, 0, 255, pidfd_open,
     { "res", 0, NA, XF_S64 },
     { "target_pid", 1, NA, XF_S64 },
     { "flags", 2, NA, XF_UNTRANSLATED })
/* PPME_SYSCALL_INIT_MODULE_X (411) -> init_module */
EXIT(411, 0, 255, init_module,
     { "res", 0, NA, XF_S64 },
     { "length", 2, NA, XF_U64 },
     { "img", 1, NA, XF_BYTES },
     { "uargs", 3, NA, XF_STR })
/* PPME_SYSCALL_FINIT_MODULE_X (413) -> finit_module */
EXIT(413, 0, 255, finit_module,
     { "res", 0, NA, XF_S64 },
     { "fd", 1, NA, XF_S64 },
     { "uargs", 2, NA, XF_STR },
     { "flags", 3, NA, XF_UNTRANSLATED })
/* PPME_SYSCALL_MKNOD_X (415) -> mknod */
EXIT(415, 0, 255, mknod,
     { "res", 0, NA, XF_S64 },
     { "path", 1, NA, XF_STR },
     { "mode", 2, NA, XF_U32 },
     { "dev", 3, NA, XF_U32 })
/* PPME_SYSCALL_MKNODAT_X (417) -> mknodat */
EXIT(417, 0, 255, mknodat,
     { "res", 0, NA, XF_S64 },
     { "dirfd", 1, NA, XF_S64 },
     { "path", 2, NA, XF_STR },
     { "mode", 3, NA, XF_U32 },
     { "dev", 4, NA, XF_U32 })
/* PPME_SYSCALL_NEWFSTATAT_X (419) -> newfstatat */
EXIT(419, 0, 255, newfstatat,
     { "res", 0, NA, XF_S64 },
     { "dirfd", 1, NA, XF_S64 },
     { "path", 2, NA, XF_STR },
     { "flags", 3, NA, XF_UNTRANSLATED })
/* PPME_SYSCALL_PROCESS_VM_READV_X (421) -> process_vm_readv */
EXIT(421, 0, 255, process_vm_readv,
     { "res", 0, NA, XF_S64 },
     { "target_pid", 1, NA, XF_S64 },
     { "data", 2, NA, XF_BYTES })
/* PPME_SYSCALL_PROCESS_VM_WRITEV_X (423) -> process_vm_writev */
EXIT(423, 0, 255, process_vm_writev,
     { "res", 0, NA, XF_S64 },
     { "target_pid", 1, NA, XF_S64 },
     { "data", 2, NA, XF_BYTES })
/* PPME_SYSCALL_DELETE_MODULE_X (425) -> delete_module */
EXIT(425, 0, 255, delete_module,
     { "res", 0, NA, XF_S64 },
     { "name", 1, NA, XF_STR },
     { "flags", 2, NA, XF_UNTRANSLATED })
/* PPME_SYSCALL_SETREUID_X (427) -> setreuid */
EXIT(427, 0, 255, setreuid,
     { "res", 0, NA, XF_S64 },
     { "ruid", 1, NA, XF_U32 },
     { "euid", 2, NA, XF_U32 })
/* PPME_SYSCALL_SETREGID_X (429) -> setregid */
EXIT(429, 0, 255, setregid,
     { "res", 0, NA, XF_S64 },
     { "rgid", 1, NA, XF_U32 },
     { "egid", 2, NA, XF_U32 })
/* PPME_SYSCALL_CLOSE_RANGE_X (451) -> close_range */
EXIT(451, 0, 255, close_range,
     { "res", 0, NA, XF_S64 },
     { "first", 1, NA, XF_U32 },
     { "last", 2, NA, XF_U32 },
     { "flags", 3, NA, XF_UNTRANSLATED })
/* PPME_SYSCALL_KEYCTL_X (453) -> keyctl */
EXIT(453, 0, 255, keyctl,
     { "res", 0, NA, XF_S64 },
     { "operation", 1, NA, XF_UNTRANSLATED })
/* clang-format on */
