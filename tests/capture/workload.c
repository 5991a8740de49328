// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The recorder tests' workload: a known sequence of syscalls with known
 * arguments, which test_record.c expects to find in a recording.
 *
 *   workload full DIR    files, pipe, TCP and UDP over loopback, fork,
 *                        execve of /bin/true, kill of a child; exits 42
 *   workload burst N     N flock(-1) calls from one thread (loss test)
 *   workload ioburst N   N one-byte writes to /dev/null (throttling tests)
 *   workload ioruns N    three runs of N one-byte writes to /dev/null: the
 *                        second after a pause of WL_RUNS_GAP_MS, the third
 *                        after one two-byte write (dedup's repeat records)
 *   workload slow        a few syscalls a second for 30 s (SIGKILL test)
 *   workload clone3      clone3() with WL_CLONE3_FLAGS, a child that exits
 *   workload unix DIR    a Unix stream socket bound at DIR/WL_UNIX_SOCK: a
 *                        client connects, the server accepts
 *   workload execat      becomes /bin/true through execveat(AT_FDCWD)
 *   workload coldpath DIR  opens of DIR/./WL_COLD_FILE and
 *                        DIR/./WL_COLD_MISSING by paths in pages not
 *                        mapped in yet
 *   workload pathlens DIR  openat of names of every length up to
 *                        WL_PATHLEN_MAX, some from the end of a page
 *   workload cuts        names and argvs longer than the recorder keeps
 *   workload exeflags DIR  an execve of WL_MISSING_EXE that fails; then
 *                        children exec /bin/true as WL_NOBODY, a memfd
 *                        copy of it as WL_NOBODY, and, as root, copies in
 *                        the lower and upper layers of an overlayfs
 *                        mounted under DIR in a mount namespace of its own;
 *                        as root, copies on a read-only bind mount and
 *                        with the immutable flag (exit status: the
 *                        WL_NO_* bits of the parts that cannot be done)
 *   workload times       nanosleep(WL_SLEEP_MS); a child that writes a
 *                        pipe WL_READ_WAIT_MS after the parent blocks
 *                        reading it; waits for it, opens /dev/null, then
 *                        becomes /bin/true through execveat (-T tests)
 *   workload chase       for WL_CHASE_MS, moves to the core where its
 *                        parent (kcap) last ran and makes syscalls there,
 *                        again and again (--low-latency's polling thread
 *                        must leave a core that a recorded process shares);
 *                        exits 3 if a thread of kcap's other than the
 *                        polling one may not use every core it started with
 *   workload wakers      two processes, each held to one of the first two
 *                        cores, for WL_CHASE_MS sleep 2 ms and make 300
 *                        syscalls, again and again: each wakes on its own
 *                        core, where kcap's polling thread may be (the
 *                        wakeup is what --low-latency must see coming)
 *
 * Syscalls go through syscall(2) where libc might pick a different one
 * (rename vs renameat2, open vs openat), so the expected event is certain.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <linux/sched.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <grp.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <pthread.h>
#include <unistd.h>

#include "workload.h"

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static void files(const char *dir)
{
	char d[512], f[512], g[512], buf[64];
	int fd, rfd, p[2];

	snprintf(d, sizeof(d), "%s/" WL_DIR, dir);
	snprintf(f, sizeof(f), "%s/" WL_DIR "/" WL_FILE, dir);
	snprintf(g, sizeof(g), "%s/" WL_DIR "/" WL_FILE2, dir);
	if (syscall(SYS_mkdir, d, WL_DIR_MODE))
		die("mkdir");
	fd = syscall(SYS_open, f, O_CREAT | O_WRONLY | O_TRUNC, WL_FILE_MODE);
	if (fd < 0)
		die("open");
	if (write(fd, WL_DATA, strlen(WL_DATA)) != (ssize_t)strlen(WL_DATA))
		die("write");
	if (close(fd))
		die("close");
	rfd = syscall(SYS_openat, AT_FDCWD, f, O_RDONLY, 0);
	if (rfd < 0)
		die("openat");
	if (read(rfd, buf, sizeof(buf)) != (ssize_t)strlen(WL_DATA))
		die("read");
	if (syscall(SYS_dup2, rfd, WL_DUPFD) != WL_DUPFD)
		die("dup2");
	close(WL_DUPFD);
	close(rfd);
	if (syscall(SYS_rename, f, g))
		die("rename");
	if (syscall(SYS_chmod, g, WL_CHMOD_MODE))
		die("chmod");
	if (syscall(SYS_pipe, p))
		die("pipe");
	if (write(p[1], WL_PIPE_DATA, strlen(WL_PIPE_DATA)) < 0 ||
	    read(p[0], buf, sizeof(buf)) < 0)
		die("pipe i/o");
	close(p[0]);
	close(p[1]);
	if (syscall(SYS_unlink, g))
		die("unlink");
	if (syscall(SYS_rmdir, d))
		die("rmdir");
	/* and one that fails: the directory is gone */
	if (syscall(SYS_openat, AT_FDCWD, g, O_RDONLY, 0) >= 0)
		die("openat of a removed file");
}

static void net(int type, const char *msg)
{
	struct sockaddr_in a = { .sin_family = AF_INET }, from;
	socklen_t al = sizeof(a), fl = sizeof(from);
	int srv, cli, conn;
	char buf[64];

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	srv = socket(AF_INET, type, 0);
	if (srv < 0 || bind(srv, (void *)&a, sizeof(a)) ||
	    getsockname(srv, (void *)&a, &al))
		die("server socket");
	if (type == SOCK_STREAM && listen(srv, 1))
		die("listen");
	cli = socket(AF_INET, type, 0);
	if (cli < 0 || connect(cli, (void *)&a, sizeof(a)))
		die("connect");
	conn = srv;
	if (type == SOCK_STREAM) {
		conn = accept(srv, NULL, NULL);
		if (conn < 0)
			die("accept");
	}
	/* send() and recv() are sendto() and recvfrom() on x86_64. */
	if (sendto(cli, msg, strlen(msg), 0, NULL, 0) != (ssize_t)strlen(msg))
		die("sendto");
	if (recvfrom(conn, buf, sizeof(buf), 0, (void *)&from, &fl) !=
	    (ssize_t)strlen(msg))
		die("recvfrom");
	if (conn != srv)
		close(conn);
	close(cli);
	close(srv);
}

static void procs(void)
{
	char *const argv[] = { WL_EXEC_ARGV0, WL_EXEC_ARGV1, WL_EXEC_ARGV2,
			       NULL };
	char *const envp[] = { NULL };
	pid_t c;
	int st;

	c = fork();
	if (c < 0)
		die("fork");
	if (!c) {
		execve(WL_EXEC_PATH, argv, envp);
		_exit(127);
	}
	if (waitpid(c, &st, 0) != c)
		die("waitpid");
	c = fork();
	if (c < 0)
		die("fork");
	if (!c) {
		for (;;)
			pause();
	}
	if (kill(c, WL_KILL_SIG))
		die("kill");
	if (waitpid(c, &st, 0) != c)
		die("waitpid");
}

/*
 * Run "true" in a child, from path or (path NULL) from the file open at
 * fd, as WL_NOBODY when drop; 0 when it ran and exited 0.
 */
static int exec_child(bool drop, int fd, const char *path)
{
	char *const av[] = { "true", NULL }, *const env[] = { NULL };
	pid_t pid = fork();
	int st;

	if (pid < 0)
		return -1;
	if (!pid) {
		if (drop && (setgroups(0, NULL) ||
			     setresgid(WL_NOBODY, WL_NOBODY, WL_NOBODY) ||
			     setresuid(WL_NOBODY, WL_NOBODY, WL_NOBODY)))
			_exit(120);
		if (path)
			execve(path, av, env);
		else
			syscall(SYS_execveat, fd, "", av, env, AT_EMPTY_PATH);
		_exit(121);
	}
	if (waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) && !WEXITSTATUS(st) ? 0 : -1;
}

/* Copy /bin/true into fd, then set its mode. */
static void copy_true(int fd, mode_t mode)
{
	char buf[65536];
	int in = open(WL_EXEC_PATH, O_RDONLY);
	ssize_t n;

	if (in < 0)
		die(WL_EXEC_PATH);
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(fd, buf, n) != n)
			die("write");
	if (n < 0 || fchmod(fd, mode))
		die("copy");
	close(in);
}

static void copy_true_to(const char *path)
{
	int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0755);

	if (fd < 0)
		die(path);
	copy_true(fd, 0755);
	close(fd);
}

static int exeflags(const char *dir)
{
	char d[512], lo[600], up[600], wk[600], mg[600], opt[2048], p[700];
	const char *sub[] = { "lower", "upper", "work", "merged" };
	int fd, status = 0;
	unsigned int i;
	int fl = 0;

	{
		/* argv from the caller's memory, which a failed exec keeps */
		char *const av[] = { WL_EXEC_ARGV0, WL_EXEC_ARGV1, NULL };
		char *const env[] = { NULL };

		if (execve(WL_MISSING_EXE, av, env) == 0 || errno != ENOENT)
			die("exec of a missing program");
	}
	if (exec_child(true, -1, WL_EXEC_PATH))
		die("exec as nobody");
	/* MFD_EXEC (6.3) says "executable" where the sysctl asks. */
	fd = memfd_create(WL_MEMFD_NAME, MFD_CLOEXEC | 0x10U);
	if (fd < 0 && errno == EINVAL)
		fd = memfd_create(WL_MEMFD_NAME, MFD_CLOEXEC);
	if (fd < 0)
		die("memfd_create");
	copy_true(fd, WL_MEMFD_MODE);
	if (exec_child(true, fd, NULL))
		die("exec of the memfd");
	close(fd);

	/* Mounts made here vanish with the namespace when we exit. */
	if (unshare(CLONE_NEWNS) ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		die("private mount namespace");

	/* Root cannot write a file on a read-only mount... */
	snprintf(d, sizeof(d), "%s/ro", dir);
	snprintf(p, sizeof(p), "%s/" WL_RO_EXE, d);
	if (mkdir(d, 0755))
		die(d);
	copy_true_to(p);
	if (mount(d, d, NULL, MS_BIND, NULL) ||
	    mount(NULL, d, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL))
		die("read-only bind mount");
	if (exec_child(false, -1, p))
		die("exec from a read-only mount");
	umount2(d, MNT_DETACH);

	/* ...nor an immutable one (FS_IOC_SETFLAGS, FS_IMMUTABLE_FL). */
	snprintf(p, sizeof(p), "%s/" WL_IMMUTABLE_EXE, dir);
	copy_true_to(p);
	fd = open(p, O_RDONLY);
	if (fd < 0)
		die(p);
	/* the kernel reads and writes an int here, whatever the name says */
	if (ioctl(fd, 0x80086601UL /* GETFLAGS */, &fl) ||
	    (fl |= 0x10, ioctl(fd, 0x40086602UL /* SETFLAGS */, &fl))) {
		fprintf(stderr, "workload: no immutable flag here: %s\n",
			strerror(errno));
		status |= WL_NO_IMMUTABLE;
	} else {
		int failed = exec_child(false, -1, p);

		fl &= ~0x10;
		if (ioctl(fd, 0x40086602UL, &fl) || failed)
			die("exec of an immutable file");
	}
	close(fd);

	snprintf(d, sizeof(d), "%s/ovl", dir);
	if (mkdir(d, 0755))
		die(d);
	for (i = 0; i < 4; i++) {
		snprintf(p, sizeof(p), "%s/%s", d, sub[i]);
		if (mkdir(p, 0755))
			die(p);
	}
	snprintf(lo, sizeof(lo), "%s/lower", d);
	snprintf(up, sizeof(up), "%s/upper", d);
	snprintf(wk, sizeof(wk), "%s/work", d);
	snprintf(mg, sizeof(mg), "%s/merged", d);
	snprintf(p, sizeof(p), "%s/" WL_OVL_LOWER, lo);
	copy_true_to(p);
	snprintf(p, sizeof(p), "%s/" WL_OVL_UPPER, up);
	copy_true_to(p);
	snprintf(opt, sizeof(opt), "lowerdir=%s,upperdir=%s,workdir=%s", lo, up,
		 wk);
	if (mount("overlay", mg, "overlay", 0, opt)) {
		fprintf(stderr, "workload: cannot mount overlayfs: %s\n",
			strerror(errno));
		return status | WL_NO_OVERLAY;
	}
	snprintf(p, sizeof(p), "%s/" WL_OVL_LOWER, mg);
	if (exec_child(false, -1, p))
		die("exec from the lower layer");
	snprintf(p, sizeof(p), "%s/" WL_OVL_UPPER, mg);
	if (exec_child(false, -1, p))
		die("exec from the upper layer");
	umount2(mg, MNT_DETACH);
	return status;
}

/*
 * A file mapping of one page holding text, which this process has not
 * touched: the kernel faults it in, a BPF program cannot read it. One
 * file per string, so that mapping one in does not map the other.
 */
static const char *cold_string(const char *dir, const char *name,
			       const char *text)
{
	char buf[4096], f[512];
	const char *map;
	int fd;

	memset(buf, 0, sizeof(buf));
	snprintf(buf, sizeof(buf), "%s", text);
	snprintf(f, sizeof(f), "%s/%s", dir, name);
	fd = open(f, O_CREAT | O_RDWR | O_TRUNC, 0600);
	if (fd < 0 || write(fd, buf, sizeof(buf)) != sizeof(buf))
		die(f);
	map = mmap(NULL, sizeof(buf), PROT_READ, MAP_PRIVATE, fd, 0);
	if (map == MAP_FAILED)
		die("mmap");
	close(fd);
	return map;
}

/*
 * Open DIR/./WL_COLD_FILE (it exists) and DIR/./WL_COLD_MISSING (it does
 * not) by paths in pages not mapped in yet. The "./" tells the path the
 * kernel opened from the string that was passed.
 */
static int coldpath(const char *dir)
{
	char p1[512], p2[512];
	const char *c1, *c2;
	int fd;

	snprintf(p1, sizeof(p1), "%s/./" WL_COLD_FILE, dir);
	snprintf(p2, sizeof(p2), "%s/./" WL_COLD_MISSING, dir);
	fd = open(p1, O_CREAT | O_WRONLY, 0600);
	if (fd < 0)
		die(p1);
	close(fd);
	c1 = cold_string(dir, "cold-path-1", p1);
	c2 = cold_string(dir, "cold-path-2", p2);
	fd = syscall(SYS_openat, AT_FDCWD, c1, O_RDONLY, 0);
	if (fd < 0)
		die("open of the cold path");
	close(fd);
	if (syscall(SYS_openat, AT_FDCWD, c2, O_RDONLY, 0) >= 0 ||
	    errno != ENOENT)
		die("open of the missing cold path");
	return 0;
}

/*
 * See WL_PATHLEN_MAX: names of every length, so that the recorder's
 * word-wise reads of them (a NUL in each byte of a word, strings longer
 * than one read) are all tried; some from the last bytes of a page that
 * an unreadable page follows, where a read past the string fails.
 */
static int pathlens(const char *dir)
{
	long pg = sysconf(_SC_PAGESIZE);
	char name[WL_PATHLEN_MAX + 1];
	char *edge;
	int n, fd;

	if (chdir(dir))
		die(dir);
	edge = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (edge == MAP_FAILED || mprotect(edge + pg, pg, PROT_NONE))
		die("guard page");
	for (n = 1; n <= WL_PATHLEN_MAX; n++) {
		memset(name, 'x', n);
		name[n] = 0;
		if (n % 2) {
			fd = open(name, O_CREAT | O_WRONLY, 0600);
			if (fd < 0)
				die(name);
			close(fd);
		}
		fd = syscall(SYS_openat, AT_FDCWD, name, O_RDONLY, 0);
		if ((fd >= 0) != (n % 2))
			die("open of a name of one length");
		if (fd >= 0)
			close(fd);
		if (n < WL_PATHLEN_EDGE_LO || n > WL_PATHLEN_EDGE_HI)
			continue;
		memcpy(edge + pg - n - 1, name, n + 1);
		fd = syscall(SYS_openat, AT_FDCWD, edge + pg - n - 1, O_RDONLY,
			     0);
		if ((fd >= 0) != (n % 2))
			die("open of a name at the end of a page");
		if (fd >= 0)
			close(fd);
	}
	return 0;
}

static int cuts(void)
{
	static char store[WL_CUT_NARGS * (WL_CUT_ARGLEN + 1)];
	char name[WL_CUT_PATH_LONG + 1], *av[WL_CUT_NARGS + 1];
	char *const env[] = { NULL };
	pid_t c;
	int st;

	wl_long_name(name, WL_CUT_PATH_WHOLE);
	if (syscall(SYS_openat, AT_FDCWD, name, O_RDONLY, 0) >= 0)
		die("open of a long name");
	wl_long_name(name, WL_CUT_PATH_LONG);
	if (syscall(SYS_openat, AT_FDCWD, name, O_RDONLY, 0) >= 0)
		die("open of a longer name");
	wl_cut_argv(av, store);
	if (syscall(SYS_execve, WL_MISSING_EXE, av, env) >= 0 ||
	    errno != ENOENT)
		die("execve of a missing program");
	c = fork();
	if (c < 0)
		die("fork");
	if (!c) {
		syscall(SYS_execve, WL_EXEC_PATH, av, env);
		_exit(127);
	}
	if (waitpid(c, &st, 0) != c || !WIFEXITED(st) || WEXITSTATUS(st))
		die("exec with a long argv");
	/* empty strings where the recorder cuts (see WL_CUT_EMPTIES) */
	c = fork();
	if (c < 0)
		die("fork");
	if (!c) {
		static char x[WL_CUT_X + 1];
		char *ev[2 + WL_CUT_EMPTIES + 1];
		int i;

		memset(x, 'x', WL_CUT_X);
		ev[0] = (char *)WL_EXEC_ARGV0;
		ev[1] = x;
		for (i = 0; i < WL_CUT_EMPTIES; i++)
			ev[2 + i] = (char *)"";
		ev[2 + WL_CUT_EMPTIES] = NULL;
		syscall(SYS_execve, WL_EXEC_PATH, ev, env);
		_exit(127);
	}
	if (waitpid(c, &st, 0) != c || !WIFEXITED(st) || WEXITSTATUS(st))
		die("exec with empty arguments");
	return 0;
}

/*
 * Whether every thread of pid but its main one (kcap's writer threads,
 * which take the cores of the thread that starts them) may use the cores
 * in all.
 */
static bool others_unpinned(pid_t pid, const cpu_set_t *all)
{
	char dir[64];
	struct dirent *d;
	bool ok = true;
	DIR *td;

	snprintf(dir, sizeof(dir), "/proc/%d/task", (int)pid);
	td = opendir(dir);
	if (!td)
		return false;
	while ((d = readdir(td))) {
		pid_t tid = atoi(d->d_name);
		cpu_set_t m;

		if (tid <= 0 || tid == pid)
			continue;
		if (!sched_getaffinity(tid, sizeof(m), &m) &&
		    !CPU_EQUAL(&m, all))
			ok = false;
	}
	closedir(td);
	return ok;
}

/* `workload times`: syscalls whose durations the -T test knows. */
static int times(void)
{
	struct timespec sl = { 0, WL_SLEEP_MS * 1000000L };
	char *const av[] = { WL_EXEC_ARGV0, NULL }, *const env[] = { NULL };
	int p[2], fd;
	pid_t pid;
	char c;

	/* the raw syscall: glibc's nanosleep() is clock_nanosleep */
	if (syscall(SYS_nanosleep, &sl, NULL))
		die("nanosleep");
	if (pipe(p))
		die("pipe");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		struct timespec w = { 0, WL_READ_WAIT_MS * 1000000L },
				tick = { 0, 1000000L };
		char path[64], line[32] = "";
		int i;

		/*
		 * Wait until the parent blocks in read(2) (number 0 in
		 * /proc/PID/syscall), so that its read lasts at least the
		 * sleep below however the two are scheduled; 5 s at most.
		 */
		snprintf(path, sizeof(path), "/proc/%d/syscall",
			 (int)getppid());
		for (i = 0; i < 5000; i++) {
			FILE *f = fopen(path, "r");

			if (f) {
				if (!fgets(line, sizeof(line), f))
					line[0] = 0;
				fclose(f);
			}
			if (!strncmp(line, "0 ", 2))
				break;
			nanosleep(&tick, NULL);
		}
		nanosleep(&w, NULL);
		_exit(write(p[1], "t", 1) == 1 ? 0 : 1);
	}
	if (read(p[0], &c, 1) != 1)
		die("read");
	if (waitpid(pid, NULL, 0) != pid)
		die("waitpid");
	fd = open("/dev/null", O_RDONLY);
	if (fd < 0)
		die("open");
	syscall(SYS_execveat, AT_FDCWD, WL_EXEC_PATH, av, env, 0);
	die("execveat");
	return 1;
}

static void *idle_thread(void *arg)
{
	return arg;
}

/*
 * `workload pidns`: in a pid namespace of its own, whose init it forks,
 * the init forks a child that execs WL_EXEC_PATH, then starts a thread.
 * Both end with _exit(): LeakSanitizer's check at exit clones a tracer,
 * which would go into the namespace (ENOMEM once its init is gone), and
 * the ASan build of the suite failed on it (status 134).
 */
static int pidns(void)
{
	pthread_t t;
	pid_t init, c;
	int st;

	if (unshare(CLONE_NEWPID))
		die("unshare");
	init = fork();
	if (init < 0)
		die("fork");
	if (init)
		_exit(waitpid(init, &st, 0) == init && WIFEXITED(st) ?
			      WEXITSTATUS(st) :
			      1);
	c = fork();
	if (c < 0)
		die("fork");
	if (!c) {
		execl(WL_EXEC_PATH, WL_EXEC_ARGV0, (char *)NULL);
		die("execl");
	}
	if (waitpid(c, &st, 0) != c ||
	    pthread_create(&t, NULL, idle_thread, NULL) ||
	    pthread_join(t, NULL))
		_exit(1);
	_exit(0);
}

static sigjmp_buf fault_jmp;

static void on_signal(int sig)
{
	if (sig == SIGSEGV)
		siglongjmp(fault_jmp, 1);
}

/* `workload reviewed DIR`: see workload.h. */
static int reviewed(const char *dir)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX },
			   b = { .sun_family = AF_UNIX };
	struct sigaction sa = { .sa_handler = on_signal,
				.sa_flags = SA_RESTART };
	char *const av[] = { WL_EXECAT_NAME, NULL }, *const env[] = { NULL };
	/* what follows each buffer: no byte of it may be recorded */
	struct {
		char buf[WL_TRUNC_BUF];
		char after[64];
	} in;
	struct {
		struct sockaddr sa;
		char after[128];
	} from;
	char big[WL_TRUNC_LEN], cwd[512];
	struct iovec iov = { in.buf, sizeof(in.buf) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	socklen_t fl = sizeof(from.sa);
	int sv[2], r, s, fd;
	pid_t c;

	memset(big, 'x', sizeof(big));
	memset(&in, 's', sizeof(in));
	if (socketpair(AF_UNIX, SOCK_DGRAM, 0, sv) ||
	    send(sv[0], big, sizeof(big), 0) != sizeof(big) ||
	    syscall(SYS_recvfrom, sv[1], in.buf, sizeof(in.buf), MSG_TRUNC,
		    NULL, NULL) != WL_TRUNC_LEN)
		die("recvfrom MSG_TRUNC");
	snprintf(a.sun_path, sizeof(a.sun_path), "%s/" WL_UNIX_SOCK, dir);
	snprintf(b.sun_path, sizeof(b.sun_path), "%s/" WL_SENDER_SOCK, dir);
	unlink(a.sun_path);
	unlink(b.sun_path);
	r = socket(AF_UNIX, SOCK_DGRAM, 0);
	s = socket(AF_UNIX, SOCK_DGRAM, 0);
	if (r < 0 || s < 0 || bind(r, (struct sockaddr *)&a, sizeof(a)) ||
	    bind(s, (struct sockaddr *)&b, sizeof(b)) ||
	    sendto(s, "hi", 2, 0, (struct sockaddr *)&a, sizeof(a)) != 2 ||
	    sendto(s, "hi", 2, 0, (struct sockaddr *)&a, sizeof(a)) != 2)
		die("unix datagrams");
	memset(&from, 's', sizeof(from));
	if (syscall(SYS_recvfrom, r, in.buf, sizeof(in.buf), 0, &from.sa,
		    &fl) != 2)
		die("recvfrom");
	memset(&from, 's', sizeof(from));
	mh.msg_name = &from.sa;
	mh.msg_namelen = sizeof(from.sa);
	if (syscall(SYS_recvmsg, r, &mh, 0) != 2)
		die("recvmsg");
	close(r);
	close(s);
	unlink(a.sun_path);
	unlink(b.sun_path);
	if (chdir(dir) || syscall(SYS_getcwd, cwd, sizeof(cwd)) <= 0)
		die("getcwd");
	fd = open("/dev/null", O_RDONLY);
	if (fd < 0 || read(fd, big, sizeof(big)) != 0)
		die("read");
	if (sigaction(SIGSEGV, &sa, NULL) || sigaction(SIGUSR1, &sa, NULL) ||
	    sigaction(SIGCHLD, &sa, NULL))
		die("sigaction");
	if (!sigsetjmp(fault_jmp, 1))
		*(volatile int *)WL_FAULT_ADDR = 1;
	kill(getpid(), SIGUSR1);
	c = fork();
	if (!c)
		_exit(0);
	if (c < 0 || waitpid(c, NULL, 0) != c)
		die("fork");
	fd = open("/bin", O_RDONLY | O_DIRECTORY);
	/*
	 * On the stack, so in memory at entry: a literal's page may not be
	 * (the ASan build's were not), and kcap then takes the kernel's
	 * /dev/fd/N/NAME, as capture/README.md says.
	 */
	{
		char name[] = WL_EXECAT_NAME;

		syscall(SYS_execveat, fd, name, av, env, 0);
	}
	die("execveat");
	return 1;
}

/* threxec's second thread: this program again, as `burst N`. */
static void *exec_burst(void *n)
{
	char *args[] = { "workload", "burst", n, NULL };

	execv("/proc/self/exe", args);
	die("execv");
	return NULL;
}

static volatile sig_atomic_t sigints;

static void on_sigint(int sig)
{
	(void)sig;
	sigints++;
}

/*
 * Counts the SIGINTs it gets, from the first to 3 s after it (or for 60
 * s if none comes), and writes how many into file: the recorder must not
 * pass on a terminal's ^C, which reached this process too. file.ready is
 * made once the count begins.
 */
static int count_sigints(const char *file)
{
	struct sigaction sa = { .sa_handler = on_sigint };
	char ready[4096];
	int i, after = 0;
	FILE *f;

	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGINT, &sa, NULL))
		die("sigaction");
	/* FILE.ready says the handler is set */
	snprintf(ready, sizeof(ready), "%s.ready", file);
	f = fopen(ready, "w");
	if (!f || fclose(f))
		die("writing FILE.ready");
	for (i = 0; i < 6000 && after < 300; i++) {
		usleep(10000);
		if (sigints)
			after++;
	}
	f = fopen(file, "w");
	if (!f || fprintf(f, "%d\n", (int)sigints) < 0 || fclose(f))
		die("writing the count");
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "full")) {
		files(argv[2]);
		net(SOCK_STREAM, WL_TCP_DATA);
		net(SOCK_DGRAM, WL_UDP_DATA);
		procs();
		return WL_EXIT;
	}
	if (argc == 3 && !strcmp(argv[1], "burst")) {
		long i, n = atol(argv[2]);

		/* Undo a niceness meant for the recorder only (loss test). */
		setpriority(PRIO_PROCESS, 0, 0);
		for (i = 0; i < n; i++)
			syscall(SYS_flock, -1, 0);
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "flushburst")) {
		long i, n = atol(argv[2]);

		/*
		 * Ask the recorder, our parent, to flush once the rotation
		 * that its first file's size starts is under way, then make
		 * the burst while that rotation's snapshot is taken.
		 */
		usleep(100000);
		if (kill(getppid(), SIGUSR2))
			die("kill");
		for (i = 0; i < n; i++)
			syscall(SYS_flock, -1, 0);
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "ioburst")) {
		long i, n = atol(argv[2]);
		int fd = open("/dev/null", O_WRONLY);

		for (i = 0; i < n; i++)
			if (write(fd, "x", 1) != 1)
				return 1;
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "ioruns")) {
		long i, r, n = atol(argv[2]);
		int fd = open("/dev/null", O_WRONLY);

		for (r = 0; r < 3; r++) {
			if (r == 1)
				usleep(WL_RUNS_GAP_MS * 1000);
			if (r == 2 && write(fd, "xy", 2) != 2)
				return 1;
			for (i = 0; i < n; i++)
				if (write(fd, "x", 1) != 1)
					return 1;
		}
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "unix")) {
		struct sockaddr_un a = { .sun_family = AF_UNIX };
		int srv, cli, c;

		if (snprintf(a.sun_path, sizeof(a.sun_path), "%s/" WL_UNIX_SOCK,
			     argv[2]) >= (int)sizeof(a.sun_path))
			die("socket path too long");
		unlink(a.sun_path);
		srv = socket(AF_UNIX, SOCK_STREAM, 0);
		cli = socket(AF_UNIX, SOCK_STREAM, 0);
		if (srv < 0 || cli < 0 ||
		    bind(srv, (struct sockaddr *)&a, sizeof(a)) ||
		    listen(srv, 1) ||
		    syscall(SYS_connect, cli, (struct sockaddr *)&a, sizeof(a)))
			die("unix socket");
		c = (int)syscall(SYS_accept, srv, NULL, NULL);
		if (c < 0)
			die("accept");
		close(c);
		close(cli);
		close(srv);
		unlink(a.sun_path);
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "exeflags"))
		return exeflags(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "coldpath"))
		return coldpath(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "pathlens"))
		return pathlens(argv[2]);
	if (argc == 2 && !strcmp(argv[1], "cuts"))
		return cuts();
	if (argc == 2 && !strcmp(argv[1], "execat")) {
		char *const av[] = { WL_EXEC_ARGV0, NULL }, *const env[] = {
			NULL
		};

		syscall(SYS_execveat, AT_FDCWD, WL_EXEC_PATH, av, env, 0);
		die("execveat");
	}
	if (argc == 2 && !strcmp(argv[1], "times"))
		return times();
	if (argc == 2 && !strcmp(argv[1], "clone3")) {
		struct clone_args ca;
		long pid;

		memset(&ca, 0, sizeof(ca));
		ca.flags = WL_CLONE3_FLAGS;
		ca.exit_signal = SIGCHLD;
		pid = syscall(SYS_clone3, &ca, sizeof(ca));
		if (pid == 0)
			_exit(0);
		if (pid < 0)
			die("clone3");
		return waitpid((pid_t)pid, NULL, 0) == pid ? 0 : 1;
	}
	if (argc == 2 && !strcmp(argv[1], "nosys")) {
		/* both fail; what matters is that kcap records them */
		syscall(WL_NOSYS_X32, 1, 2, 3);
		syscall(WL_NOSYS_HIGH, 4, 5, 6);
		return 0;
	}
	if (argc == 2 && !strcmp(argv[1], "bigwrite")) {
		char big[WL_BIG];
		int fd = open("/dev/null", O_WRONLY), i;

		for (i = 0; i < WL_BIG; i++)
			big[i] = 'a' + i % 26;
		return write(fd, big, WL_BIG) == WL_BIG ? 0 : 1;
	}
	if (argc == 2 && !strcmp(argv[1], "chase")) {
		pid_t kcap = getppid();
		struct timespec t0, t;
		bool ok = true;
		char pid[16];
		cpu_set_t all;
		long ms;

		if (sched_getaffinity(0, sizeof(all), &all))
			die("sched_getaffinity");
		snprintf(pid, sizeof(pid), "%d", (int)kcap);
		clock_gettime(CLOCK_MONOTONIC, &t0);
		do {
			/* the core kcap last ran on */
			long long cpu = wl_stat_field(pid, 39);
			int i;
			cpu_set_t m;

			if (cpu >= 0 && cpu < CPU_SETSIZE) {
				CPU_ZERO(&m);
				CPU_SET(cpu, &m);
				sched_setaffinity(0, sizeof(m), &m);
			}
			for (i = 0; i < 2000; i++)
				syscall(SYS_getppid);
			/* while each of the files' writer threads lives */
			if (!others_unpinned(kcap, &all))
				ok = false;
			clock_gettime(CLOCK_MONOTONIC, &t);
			ms = (t.tv_sec - t0.tv_sec) * 1000 +
			     (t.tv_nsec - t0.tv_nsec) / 1000000;
		} while (ms < WL_CHASE_MS);
		if (!ok)
			fprintf(stderr, "workload: a thread of kcap's was held "
					"to fewer cores\n");
		return ok ? 0 : 3;
	}
	if (argc == 2 && !strcmp(argv[1], "wakers")) {
		struct timespec t0, t, nap = { 0, 2000000 };
		cpu_set_t all, m;
		int cpu[2], n = 0, c, i, st;
		pid_t child;
		long ms;

		if (sched_getaffinity(0, sizeof(all), &all))
			die("sched_getaffinity");
		for (c = 0; c < CPU_SETSIZE && n < 2; c++)
			if (CPU_ISSET(c, &all))
				cpu[n++] = c;
		if (n < 2)
			return 2;
		child = fork();
		if (child < 0)
			die("fork");
		CPU_ZERO(&m);
		CPU_SET(cpu[child ? 0 : 1], &m);
		if (sched_setaffinity(0, sizeof(m), &m))
			die("sched_setaffinity");
		clock_gettime(CLOCK_MONOTONIC, &t0);
		do {
			nanosleep(&nap, NULL);
			for (i = 0; i < 300; i++)
				syscall(SYS_getppid);
			clock_gettime(CLOCK_MONOTONIC, &t);
			ms = (t.tv_sec - t0.tv_sec) * 1000 +
			     (t.tv_nsec - t0.tv_nsec) / 1000000;
		} while (ms < WL_CHASE_MS);
		if (!child)
			_exit(0);
		return waitpid(child, &st, 0) == child && WIFEXITED(st) &&
				       !WEXITSTATUS(st) ?
			       0 :
			       1;
	}
	if (argc == 4 && !strcmp(argv[1], "chdirs")) {
		/*
		 * Goes down a directory, by a relative chdir("d"), every MS
		 * ms until the file STOP exists, then creates "m" there:
		 * replay must know where that is though the recorder's /proc
		 * snapshot was read meanwhile.
		 */
		struct timespec gap = { 0, atol(argv[2]) * 1000000L };
		int fd;

		while (access(argv[3], F_OK)) {
			if (chdir("d"))
				die("chdir");
			nanosleep(&gap, NULL);
		}
		fd = open("m", O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
		if (fd < 0)
			die("open m");
		close(fd);
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "threxec")) {
		/*
		 * A second thread execs `workload burst N`: the exec kills
		 * the main thread, whose tid the exec'ing thread takes.
		 */
		pthread_t t;

		if (pthread_create(&t, NULL, exec_burst, argv[2]))
			die("pthread_create");
		for (;;)
			pause();
	}
	if (argc == 2 && !strcmp(argv[1], "pidns"))
		return pidns();
	if (argc == 3 && !strcmp(argv[1], "reviewed"))
		return reviewed(argv[2]);
	if (argc == 2 && !strcmp(argv[1], "slow")) {
		pid_t parent = getppid();
		int i;

		/* Stop once orphaned: the recorder was killed. */
		for (i = 0; i < 300 && getppid() == parent; i++) {
			syscall(SYS_flock, -1, 0);
			usleep(100000);
		}
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "sigints"))
		return count_sigints(argv[2]);
	fprintf(stderr,
		"usage: workload full DIR | burst N | ioburst N | ioruns N | bigwrite | slow | times | "
		"clone3 | unix DIR | exeflags DIR | execat | coldpath DIR |\n"
		"pathlens DIR | cuts | chase | chdirs MS STOP | threxec N | sigints FILE\n");
	return 2;
}
