// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The recorder's /proc snapshot, taken in this process: no BPF is loaded.
 * snapshot.c is included to reach its parsers, which are fed made-up
 * /proc/net text. The tests that need root for their setup (another
 * network namespace, many groups) are skipped without it.
 */
#define _GNU_SOURCE
#include <check.h>
#include <grp.h>
#include <pthread.h>
#include <sched.h>
#include <net/if.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>

#include "snapshot.c"
#include "sockdiag.c" /* which snapshot.c calls */
#include "../checkrun.h"

static char tmpdir[256];

static const struct kcap_schema *S(void)
{
	return kcap_schema__builtin();
}

static const struct kcap_field_desc *field(const struct kcap_hdr *h,
					   const char *name)
{
	const struct kcap_event_desc *d = kcap_schema__event(S(), h->type);
	const struct kcap_field_desc *f = d ? kcap_event_desc__field(d, name) :
					      NULL;

	ck_assert_msg(f, "event %u has no field %s", h->type, name);
	return f;
}

static int64_t I(const struct kcap_hdr *h, const char *name)
{
	int64_t v = 0;

	kcap_field__get_int(field(h, name), h, &v);
	return v;
}

/* A var field's bytes (without a cut's NUL); len -1 if absent. */
static const uint8_t *V(const struct kcap_hdr *h, const char *name,
			ssize_t *len)
{
	const uint8_t *p = NULL;
	size_t n = 0;

	if (kcap_field__get_var(field(h, name), h, &p, &n) != 1) {
		*len = -1;
		return NULL;
	}
	*len = kcap_var__str_len(p, n);
	return p;
}

static bool str_is(const struct kcap_hdr *h, const char *name, const char *s)
{
	ssize_t l;
	const uint8_t *p = V(h, name, &l);

	return p && (size_t)l == strlen(s) && !memcmp(p, s, l);
}

struct snap {
	void *buf;
	size_t len;
	uint32_t count;
};

static void take(struct snap *sn)
{
	struct timespec bt, wt;

	clock_gettime(CLOCK_BOOTTIME, &bt);
	clock_gettime(CLOCK_REALTIME, &wt);
	ck_assert_int_eq(kcap_snapshot_proc(S(), ts_ns(wt) - ts_ns(bt),
					    &sn->buf, &sn->len, &sn->count),
			 0);
	ck_assert_uint_gt(sn->count, 0);
}

/* The snapshot's record of type for tid (snap_proc) or pid's fd. */
static const struct kcap_hdr *find(const struct snap *sn, int type, int tid,
				   int fd)
{
	size_t off;
	const struct kcap_hdr *h;

	for (off = 0; off + sizeof(*h) <= sn->len; off += h->len) {
		h = (const void *)((const uint8_t *)sn->buf + off);
		if (h->len < sizeof(*h))
			break;
		if (h->type != type || h->tid != (uint32_t)tid)
			continue;
		if (type == KCAP_EV_snap_fd && I(h, "fd") != fd)
			continue;
		return h;
	}
	return NULL;
}

/* Made-up /proc/net text, read by loader into a finished table. */
static void parse(struct socktab *t, const char *text,
		  void (*loader)(struct socktab *, FILE *))
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");

	ck_assert_ptr_nonnull(f);
	memset(t, 0, sizeof(*t));
	loader(t, f);
	fclose(f);
	ck_assert_int_eq(t->err, 0);
	socktab_finish(t);
}

static void load_tcp(struct socktab *t, FILE *f)
{
	load_inet(t, f, false, IPPROTO_TCP);
}

#define UNIX_HEAD "Num       RefCount Protocol Flags    Type St Inode Path\n"
#define UNIX_LINE(ino) \
	"0000000000000000: 00000002 00000000 00000000 0001 01 " ino

static bool has_path(const struct socktab *t, uint64_t ino, const char *path)
{
	const struct sockinfo *si = sock_find(t, ino);

	return si && si->kind == KCAP_FD_SOCK_UNIX &&
	       si->plen == strlen(path) && !memcmp(si->path, path, si->plen);
}

/*
 * A unix socket's name is the rest of its /proc/net/unix line: the
 * spaces in it are its own, and an abstract name shows its NULs as '@'.
 */
START_TEST(a_unix_socket_name_is_the_rest_of_its_line_spaces_and_all)
{
	struct socktab t;

	parse(&t,
	      UNIX_HEAD UNIX_LINE("  101 /tmp/a b.sock\n")
		      UNIX_LINE("10102 @abs tract@x \n") UNIX_LINE("  103\n"),
	      load_unix);
	ck_assert(!t.unix_untrusted);
	ck_assert_uint_eq(t.n, 3);
	ck_assert(has_path(&t, 101, "/tmp/a b.sock"));
	ck_assert(has_path(&t, 10102, "@abs tract@x "));
	ck_assert(has_path(&t, 103, ""));
	free(t.v);
}
END_TEST

/*
 * A name holding a newline goes on over the next line: a line the kernel
 * does not print leaves every unix name of the table out, and one that
 * looks like the kernel's but names a listed socket makes it ambiguous.
 * Neither gives another socket the made-up name.
 */
START_TEST(a_name_holding_a_newline_gives_no_socket_a_made_up_name)
{
	struct socktab t;

	/* well formed: the fake line names socket 200, listed first */
	parse(&t,
	      UNIX_HEAD UNIX_LINE("200\n")
		      UNIX_LINE("201 /tmp/x\n" UNIX_LINE("200 /tmp/fake\n")),
	      load_unix);
	ck_assert_ptr_null(sock_find(&t, 200));
	ck_assert(has_path(&t, 201, "/tmp/x"));
	free(t.v);
	/* the same, listed after it */
	parse(&t,
	      UNIX_HEAD UNIX_LINE("201 /tmp/x\n" UNIX_LINE("200 /tmp/fake\n"))
		      UNIX_LINE("200\n"),
	      load_unix);
	ck_assert_ptr_null(sock_find(&t, 200));
	free(t.v);
	/* any other line: no name is trusted, the sockets stay unix */
	parse(&t,
	      UNIX_HEAD UNIX_LINE("300 /tmp/y\n")
		      UNIX_LINE("301 /tmp/z\nmore\n" UNIX_LINE("302 /tmp/w\n")),
	      load_unix);
	ck_assert(t.unix_untrusted);
	ck_assert(has_path(&t, 300, ""));
	ck_assert(has_path(&t, 301, ""));
	ck_assert(has_path(&t, 302, ""));
	free(t.v);
	/* a name longer than sun_path: not a line of the kernel's either */
	parse(&t,
	      UNIX_HEAD UNIX_LINE(
		      "400 /"
		      "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
		      "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n"),
	      load_unix);
	ck_assert(t.unix_untrusted);
	free(t.v);
}
END_TEST

/*
 * Entries with inode 0 (TIME_WAIT and SYN_RECV in net/tcp, and whatever
 * net/unix might list so) belong to no fd: they are not loaded, so that
 * an fd whose inode could not be read matches none of them.
 */
START_TEST(entries_with_inode_0_are_not_loaded)
{
	struct socktab t;

	parse(&t,
	      "  sl  local_address rem_address   st tx_queue rx_queue tr "
	      "tm->when retrnsmt   uid  timeout inode\n"
	      "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 "
	      "00:00000000 00000000     0        0 777 1 0 100 0 0 10 0\n"
	      "   1: 0100007F:1F90 0100007F:C350 06 00000000:00000000 "
	      "03:00001000 00000000     0        0 0 3 0\n",
	      load_tcp);
	ck_assert_uint_eq(t.n, 1);
	ck_assert_ptr_null(sock_find(&t, 0));
	ck_assert_int_eq(sock_find(&t, 777)->kind, KCAP_FD_SOCK_INET);
	ck_assert_uint_eq(sock_find(&t, 777)->llen, 16);
	free(t.v);
	parse(&t, UNIX_HEAD UNIX_LINE("0 /tmp/none\n"), load_unix);
	ck_assert_uint_eq(t.n, 0);
	ck_assert_ptr_null(sock_find(&t, 0));
	free(t.v);
}
END_TEST

/* Many sockets: each is found by its inode (the table is searched). */
START_TEST(each_of_many_sockets_is_found_by_its_inode)
{
	struct socktab t = { 0 };
	size_t i;

	for (i = 0; i < 100000; i++)
		socktab_add(&t, (i * 7919) % 100000 + 1)->kind =
			KCAP_FD_SOCK_UNIX;
	socktab_finish(&t);
	ck_assert_uint_eq(t.n, 100000);
	for (i = 1; i <= 100000; i++)
		ck_assert_uint_eq(sock_find(&t, i)->ino, i);
	ck_assert_ptr_null(sock_find(&t, 100001));
	free(t.v);
}
END_TEST

static int bind_unix(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	ck_assert_int_ge(fd, 0);
	ck_assert_uint_lt(strlen(path), sizeof(sa.sun_path));
	memcpy(sa.sun_path, path, strlen(path) + 1);
	unlink(path);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	return fd;
}

/* This process's unix socket, bound to a path with spaces, in /proc. */
START_TEST(the_snapshot_gives_a_unix_socket_path_with_spaces_whole)
{
	const struct kcap_hdr *h;
	char path[300];
	struct snap sn;
	int fd;

	snprintf(path, sizeof(path), "%s/a b c.sock", tmpdir);
	fd = bind_unix(path);
	take(&sn);
	h = find(&sn, KCAP_EV_snap_fd, getpid(), fd);
	ck_assert_ptr_nonnull(h);
	ck_assert_int_eq(I(h, "kind"), KCAP_FD_SOCK_UNIX);
	ck_assert_msg(str_is(h, "path", path), "the path is not %s", path);
	free(sn.buf);
	close(fd);
	unlink(path);
}
END_TEST

/*
 * A socket bound in another network namespace is in that namespace's
 * net/unix, which /proc/PID/net of its process shows.
 */
START_TEST(a_socket_in_another_network_namespace_has_its_path)
{
	char path[300], c = 0;
	const struct kcap_hdr *h;
	struct snap sn;
	int p[2];
	pid_t pid;

	snprintf(path, sizeof(path), "%s/netns.sock", tmpdir);
	ck_assert_int_eq(pipe(p), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (!pid) {
		struct sockaddr_un sa = { .sun_family = AF_UNIX };
		int fd;

		if (unshare(CLONE_NEWNET) &&
		    unshare(CLONE_NEWUSER | CLONE_NEWNET))
			_exit(77);
		fd = socket(AF_UNIX, SOCK_DGRAM, 0);
		if (strlen(path) >= sizeof(sa.sun_path))
			_exit(1);
		memcpy(sa.sun_path, path, strlen(path) + 1);
		unlink(path);
		if (fd != 3 && dup2(fd, 3) != 3)
			_exit(1);
		if (bind(3, (struct sockaddr *)&sa, sizeof(sa)))
			_exit(1);
		if (write(p[1], "x", 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	close(p[1]);
	if (read(p[0], &c, 1) != 1) {
		int st;

		waitpid(pid, &st, 0);
		close(p[0]);
		if (WIFEXITED(st) && WEXITSTATUS(st) == 77) {
			fprintf(stderr, "skipped: no network namespace\n");
			return;
		}
		ck_abort_msg("the child could not bind in its namespace");
	}
	take(&sn);
	h = find(&sn, KCAP_EV_snap_fd, pid, 3);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	close(p[0]);
	ck_assert_ptr_nonnull(h);
	ck_assert_int_eq(I(h, "kind"), KCAP_FD_SOCK_UNIX);
	ck_assert_msg(str_is(h, "path", path), "the path is not %s", path);
	free(sn.buf);
	unlink(path);
}
END_TEST

/*
 * A path of PATH_MAX or more, which /proc refuses (ENAMETOOLONG): the fd
 * is still listed, with its kind and inode and no path, and a process
 * whose cwd it is still has its record.
 */
START_TEST(an_fd_whose_path_proc_cannot_give_is_listed_without_it)
{
	char name[201];
	const struct kcap_hdr *h;
	struct stat st;
	struct snap sn;
	int dfd, i, p[2], c;
	ssize_t len;
	pid_t pid;

	memset(name, 'd', 200);
	name[200] = 0;
	dfd = open(tmpdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ck_assert_int_ge(dfd, 0);
	/* 25 components of 201 bytes: past PATH_MAX */
	for (i = 0; i < 25; i++) {
		int next;

		ck_assert(!mkdirat(dfd, name, 0700) || errno == EEXIST);
		next = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		ck_assert_int_ge(next, 0);
		close(dfd);
		dfd = next;
	}
	ck_assert_int_eq(fstat(dfd, &st), 0);
	ck_assert_int_eq(pipe(p), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (!pid) {
		if (fchdir(dfd) || write(p[1], "x", 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	close(p[1]);
	ck_assert_int_eq(read(p[0], &c, 1), 1);
	take(&sn);
	h = find(&sn, KCAP_EV_snap_fd, getpid(), dfd);
	ck_assert_msg(h, "no snap_fd for fd %d", dfd);
	ck_assert_int_eq(I(h, "kind"), KCAP_FD_DIR);
	ck_assert_uint_eq(I(h, "ino"), st.st_ino);
	V(h, "path", &len);
	ck_assert_int_eq(len, -1);
	h = find(&sn, KCAP_EV_snap_proc, pid, 0);
	ck_assert_msg(h, "no snap_proc for the process in the deep cwd");
	V(h, "cwd", &len);
	ck_assert_int_eq(len, -1);
	ck_assert_ptr_nonnull(V(h, "exe", &len));
	h = find(&sn, KCAP_EV_snap_fd, pid, dfd);
	ck_assert_msg(h, "no snap_fd for the child's fd %d", dfd);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	close(p[0]);
	close(dfd);
	free(sn.buf);
}
END_TEST

/*
 * status lists every supplementary group before NSpid: with 2,000 of
 * them it is past 4 KiB, and the ns pid is still read from its end.
 */
START_TEST(a_status_past_4_kib_still_gives_the_namespace_pid)
{
	static gid_t groups[2000];
	const struct kcap_hdr *h;
	struct rbuf b = { 0 };
	char path[64], c;
	struct snap sn;
	int i, p[2];
	long vpid;
	pid_t pid;

	for (i = 0; i < 2000; i++)
		groups[i] = 1000000 + i;
	ck_assert_int_eq(pipe(p), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (!pid) {
		if (setgroups(2000, groups))
			_exit(77);
		if (write(p[1], "x", 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	close(p[1]);
	if (read(p[0], &c, 1) != 1) {
		waitpid(pid, NULL, 0);
		close(p[0]);
		fprintf(stderr, "skipped: setgroups needs root\n");
		return;
	}
	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	ck_assert_int_gt(read_whole(path, &b), 4096);
	vpid = last_number(status_field(b.p, "NSpid"));
	ck_assert_int_gt(vpid, 0);
	free(b.p);
	take(&sn);
	h = find(&sn, KCAP_EV_snap_proc, pid, 0);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	close(p[0]);
	ck_assert_ptr_nonnull(h);
	ck_assert_int_eq(I(h, "vpid"), vpid);
	ck_assert_int_eq(I(h, "vtid"), vpid);
	free(sn.buf);
}
END_TEST

/* read_whole() reads to the end whatever the size. */
START_TEST(a_file_is_read_whole_whatever_its_size)
{
	char path[300];
	struct rbuf b = { 0 };
	FILE *f;
	int i;

	snprintf(path, sizeof(path), "%s/big.txt", tmpdir);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	for (i = 0; i < 3000; i++)
		fprintf(f, "line %04d\n", i);
	fclose(f);
	ck_assert_int_eq(read_whole(path, &b), 30000);
	ck_assert_str_eq(b.p + 29990, "line 2999\n");
	ck_assert_int_eq(read_whole(path, &b), 30000);
	free(b.p);
	unlink(path);
}
END_TEST

static void *park_forever(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

/*
 * A process whose main thread has exited while another runs on: its
 * /proc/PID/fd is empty and its exe and cwd links are gone. The
 * snapshot reads them through the live thread: the process kept no fd,
 * exe or cwd in it before.
 */
START_TEST(a_process_whose_main_thread_exited_keeps_its_fds_exe_and_cwd)
{
	char path[300];
	const struct kcap_hdr *h;
	struct snap sn;
	int p[2], fd = -1, i;
	pid_t pid;

	snprintf(path, sizeof(path), "%s/kept-open", tmpdir);
	ck_assert_int_eq(pipe(p), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (!pid) {
		pthread_t th;

		close(p[0]);
		fd = open(path, O_RDWR | O_CREAT, 0600);
		if (fd < 0 || chdir(tmpdir) ||
		    write(p[1], &fd, sizeof(fd)) != sizeof(fd) ||
		    pthread_create(&th, NULL, park_forever, NULL))
			_exit(1);
		pthread_exit(NULL);
	}
	close(p[1]);
	ck_assert_int_eq(read(p[0], &fd, sizeof(fd)), sizeof(fd));
	close(p[0]);
	for (i = 0; i < 500 && !main_thread_exited(pid); i++)
		usleep(10000);
	if (i == 500) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		ck_abort_msg("the main thread did not exit");
	}
	take(&sn);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	h = find(&sn, KCAP_EV_snap_fd, pid, fd);
	ck_assert_msg(h && str_is(h, "path", path), "fd %d is not %s", fd,
		      path);
	h = find(&sn, KCAP_EV_snap_proc, pid, 0);
	ck_assert_ptr_nonnull(h);
	ck_assert_msg(str_is(h, "cwd", tmpdir), "the cwd is not %s", tmpdir);
	ck_assert_int_ne(I(h, "exe_ino"), 0);
	free(sn.buf);
	unlink(path);
}
END_TEST

static pthread_barrier_t started;

static void *parked(void *arg)
{
	*(int *)arg = gettid();
	pthread_barrier_wait(&started);
	for (;;)
		pause();
	return NULL;
}

/* Tells the test a thread, as a pair (tid, tgid) on ready. */
static void tell(int ready, int tid, int tgid)
{
	int pair[2] = { tid, tgid };

	if (write(ready, pair, sizeof(pair)) != sizeof(pair))
		_exit(1);
}

/*
 * A process of chain(): names itself, starts its threads and tells them,
 * then waits for stop to be closed.
 */
static void chain_member(int ready, int stop, int nthreads, const char *name)
{
	static int tids[8];
	pthread_t th;
	char x;
	int i;

	if (nthreads > 8 || (name && prctl(PR_SET_NAME, name)) ||
	    pthread_barrier_init(&started, NULL, nthreads + 1))
		_exit(1);
	for (i = 0; i < nthreads; i++)
		if (pthread_create(&th, NULL, parked, &tids[i]))
			_exit(1);
	pthread_barrier_wait(&started);
	for (i = 0; i < nthreads; i++)
		tell(ready, tids[i], getpid());
	close(ready);
	while (read(stop, &x, 1) > 0)
		;
}

/*
 * A chain of depth processes, each the child of the one before, each
 * with nthreads threads more (up to 8) and named name (NULL: as it is).
 * They stay until stop[1] is closed, then each waits for its child and
 * exits: none is left for init to reap. Their threads are added to want
 * (NULL: not kept) as pairs (tid, tgid), each process's own from the
 * top of the chain down; returns the first one's pid.
 */
static pid_t chain(const int stop[2], int depth, int nthreads, const char *name,
		   int *want, int *nwant, int max)
{
	int ready[2], pair[2], i;
	pid_t c;

	ck_assert_int_eq(pipe(ready), 0);
	c = fork();
	ck_assert_int_ge(c, 0);
	if (!c) {
		close(stop[1]);
		close(ready[0]);
		/*
		 * Each tells its pid before it forks the next: the pids
		 * come in the chain's order. Then it leaves the loop.
		 */
		for (i = 1;; i++) {
			tell(ready[1], getpid(), getpid());
			if (i == depth || (c = fork()))
				break;
		}
		chain_member(ready[1], stop[0], nthreads, name);
		if (c > 0)
			waitpid(c, NULL, 0);
		_exit(0);
	}
	close(ready[1]);
	/* until every process of the chain has told its threads */
	while (read(ready[0], pair, sizeof(pair)) == sizeof(pair)) {
		if (!want)
			continue;
		ck_assert_int_lt(*nwant, max);
		want[2 * *nwant] = pair[0];
		want[2 * (*nwant)++ + 1] = pair[1];
	}
	close(ready[0]);
	return c;
}

static void end_chains(const int stop[2], const pid_t *tops, int n)
{
	close(stop[1]);
	for (int i = 0; i < n; i++)
		waitpid(tops[i], NULL, 0);
	close(stop[0]);
}

/* The n pairs are want's nwant, each once, in any order. */
static void expect_pairs(const int *pairs, int n, const int *want, int nwant)
{
	ck_assert_int_eq(n, nwant);
	for (int i = 0; i < nwant; i++) {
		int seen = 0;

		for (int j = 0; j < n; j++)
			seen += pairs[2 * j] == want[2 * i] &&
				pairs[2 * j + 1] == want[2 * i + 1];
		ck_assert_msg(seen == 1, "(%d, %d) is listed %d times",
			      want[2 * i], want[2 * i + 1], seen);
	}
}

/*
 * kcap_proc_descendants() of roots lists the pairs of want, and each
 * root's count is the one in count.
 */
static void walk_is(const int *roots, int nroots, const int *want, int nwant,
		    const int *count)
{
	int counts[4], *tids, n, i;

	ck_assert_int_le(nroots, 4);
	n = kcap_proc_descendants(roots, nroots, &tids, counts);
	expect_pairs(tids, n, want, nwant);
	for (i = 0; i < nroots; i++)
		ck_assert_msg(counts[i] == count[i],
			      "root %d counts %d, not %d", i, counts[i],
			      count[i]);
	free(tids);
}

/* Several roots: each one's tree, none of a process outside them. */
START_TEST(several_roots_give_the_threads_of_their_trees_and_no_other)
{
	int stop[2], want[2 * 32], nwant = 0, roots[2];
	pid_t top[3];

	ck_assert_int_eq(pipe(stop), 0);
	top[0] = chain(stop, 3, 1, NULL, want, &nwant, 32);
	top[1] = chain(stop, 2, 0, NULL, NULL, NULL, 0);
	top[2] = chain(stop, 2, 2, NULL, want, &nwant, 32);
	roots[0] = top[0];
	roots[1] = top[2];
	walk_is(roots, 2, want, nwant, (const int[]){ 3 * 2, 2 * 3 });
	end_chains(stop, top, 3);
}
END_TEST

/* The same root twice: its threads once, its count twice. */
START_TEST(a_root_given_twice_lists_its_threads_once)
{
	int stop[2], want[2 * 8], nwant = 0, roots[2];
	pid_t top;

	ck_assert_int_eq(pipe(stop), 0);
	top = chain(stop, 2, 1, NULL, want, &nwant, 8);
	roots[0] = roots[1] = top;
	walk_is(roots, 2, want, nwant, (const int[]){ 4, 4 });
	end_chains(stop, &top, 1);
}
END_TEST

/*
 * A root in another root's tree, given before it or after: every thread
 * once, and each root counts its own tree, the inner one included.
 */
START_TEST(a_root_inside_another_roots_tree_lists_its_threads_once)
{
	int stop[2], want[2 * 8], nwant = 0, roots[3];
	pid_t top;

	ck_assert_int_eq(pipe(stop), 0);
	top = chain(stop, 4, 0, NULL, want, &nwant, 8);
	ck_assert_int_eq(nwant, 4);
	/* want lists the chain in order: want[2 * k] is k deep */
	roots[0] = want[2 * 2];
	roots[1] = top;
	roots[2] = want[2 * 3];
	walk_is(roots, 3, want, nwant, (const int[]){ 2, 4, 1 });
	end_chains(stop, &top, 1);
}
END_TEST

/* 200 processes deep: all of them, each root counting what is below. */
START_TEST(a_chain_200_processes_deep_is_listed_whole)
{
	static int want[2 * 200];
	int stop[2], nwant = 0, roots[2];
	pid_t top;

	ck_assert_int_eq(pipe(stop), 0);
	top = chain(stop, 200, 0, NULL, want, &nwant, 200);
	ck_assert_int_eq(nwant, 200);
	roots[0] = want[2 * 150];
	roots[1] = top;
	walk_is(roots, 2, want, nwant, (const int[]){ 50, 200 });
	end_chains(stop, &top, 1);
}
END_TEST

/*
 * Threads are listed with the process they belong to; a thread's id is
 * no root (kcap record tells the user which process it is of).
 */
START_TEST(threads_are_listed_with_their_process_and_are_no_root)
{
	int stop[2], want[2 * 16], nwant = 0, root, count = -1, *tids;
	pid_t top;
	int n, i;

	ck_assert_int_eq(pipe(stop), 0);
	top = chain(stop, 2, 3, NULL, want, &nwant, 16);
	ck_assert_int_eq(nwant, 8);
	n = kcap_proc_descendants(&top, 1, &tids, &count);
	expect_pairs(tids, n, want, nwant);
	ck_assert_int_eq(count, 8);
	free(tids);
	for (i = 0; i < nwant && want[2 * i] == want[2 * i + 1]; i++)
		;
	ck_assert_int_lt(i, nwant);
	root = want[2 * i];
	tids = &root; /* must become NULL */
	ck_assert_int_eq(kcap_proc_descendants(&root, 1, &tids, &count), 0);
	ck_assert_int_eq(count, 0);
	ck_assert_ptr_null(tids);
	end_chains(stop, &top, 1);
}
END_TEST

/* A root that is no process counts 0; the others are listed still. */
START_TEST(a_root_that_is_no_process_counts_0_and_the_others_are_listed)
{
	int stop[2], want[2 * 8], nwant = 0, roots[3], counts[3], *tids;
	pid_t gone, top;
	int n;

	gone = fork();
	ck_assert_int_ge(gone, 0);
	if (!gone)
		_exit(0);
	ck_assert_int_eq(waitpid(gone, NULL, 0), gone);
	ck_assert_int_eq(pipe(stop), 0);
	top = chain(stop, 2, 0, NULL, want, &nwant, 8);
	roots[0] = gone;
	roots[1] = top;
	roots[2] = -1;
	n = kcap_proc_descendants(roots, 3, &tids, counts);
	expect_pairs(tids, n, want, nwant);
	ck_assert_int_eq(counts[0], 0);
	ck_assert_int_eq(counts[1], 2);
	ck_assert_int_eq(counts[2], 0);
	free(tids);
	end_chains(stop, &top, 1);
}
END_TEST

/*
 * A name holding ") R 1 (", which stat shows between parentheses before
 * the parent's pid: each process of the chain is still its parent's.
 */
START_TEST(a_name_with_parentheses_and_spaces_does_not_hide_the_parent)
{
	int stop[2], want[2 * 8], nwant = 0, count, *tids;
	pid_t top;
	int n;

	ck_assert_int_eq(pipe(stop), 0);
	top = chain(stop, 3, 0, "x) R 1 (y", want, &nwant, 8);
	n = kcap_proc_descendants(&top, 1, &tids, &count);
	expect_pairs(tids, n, want, nwant);
	ck_assert_int_eq(count, 3);
	free(tids);
	end_chains(stop, &top, 1);
}
END_TEST

/*
 * A unix socket bound to the len bytes of name (abstract if the first
 * is a NUL), or -1.
 */
static int bind_name(const char *name, size_t len)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	if (len > sizeof(sa.sun_path))
		return -1;
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	memcpy(sa.sun_path, name, len);
	if (bind(fd, (struct sockaddr *)&sa,
		 offsetof(struct sockaddr_un, sun_path) + len)) {
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * An abstract name holding a newline and, after it, a line as net/unix
 * prints one, for socket ino named fake: the kernel ends the name's line
 * as it ends every line. Its bytes (the first a NUL) into name, as the
 * snapshot shows it (with '@') into shown; its length.
 */
static size_t name_with_line(char *name, char *shown, size_t cap, uint64_t ino,
			     const char *fake)
{
	int n = snprintf(shown, cap, "@kt%d\n" UNIX_LINE("%llu %s"),
			 (int)getpid(), (unsigned long long)ino, fake);

	ck_assert(n > 0 && (size_t)n < cap);
	memcpy(name, shown, n);
	name[0] = 0;
	return n;
}

union fd_cmsg {
	char buf[CMSG_SPACE(sizeof(int))];
	struct cmsghdr align;
};

static int send_fd(int sock, int fd)
{
	union fd_cmsg u = { 0 };
	char c = 'x';
	struct iovec iov = { .iov_base = &c, .iov_len = 1 };
	struct msghdr mh = { .msg_iov = &iov,
			     .msg_iovlen = 1,
			     .msg_control = u.buf,
			     .msg_controllen = sizeof(u.buf) };
	struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);

	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	return sendmsg(sock, &mh, 0) == 1 ? 0 : -1;
}

/* The fd send_fd() sent over sock, or -1. */
static int recv_fd(int sock)
{
	union fd_cmsg u = { 0 };
	char c;
	struct iovec iov = { .iov_base = &c, .iov_len = 1 };
	struct msghdr mh = { .msg_iov = &iov,
			     .msg_iovlen = 1,
			     .msg_control = u.buf,
			     .msg_controllen = sizeof(u.buf) };
	struct cmsghdr *cm;
	int fd;

	if (recvmsg(sock, &mh, MSG_CMSG_CLOEXEC) != 1)
		return -1;
	cm = CMSG_FIRSTHDR(&mh);
	if (!cm || cm->cmsg_level != SOL_SOCKET ||
	    cm->cmsg_type != SCM_RIGHTS ||
	    cm->cmsg_len != CMSG_LEN(sizeof(int)))
		return -1;
	memcpy(&fd, CMSG_DATA(cm), sizeof(fd));
	return fd;
}

/* Whether a snap_fd of the snapshot, of any process, has path. */
static bool any_fd_named(const struct snap *sn, const char *path)
{
	const struct kcap_hdr *h;
	size_t off;

	for (off = 0; off + sizeof(*h) <= sn->len; off += h->len) {
		h = (const void *)((const uint8_t *)sn->buf + off);
		if (h->len < sizeof(*h))
			break;
		if (h->type == KCAP_EV_snap_fd && str_is(h, "path", path))
			return true;
	}
	return false;
}

/* The inode of pid's fd; 0 if it cannot be read. */
static uint64_t fd_ino(int pid, int fd)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/%d/fd/%d", pid, fd);
	return stat(path, &st) ? 0 : st.st_ino;
}

struct diag_find {
	uint64_t ino;
	char name[108];
	ssize_t len; /* -1: not listed */
};

static int diag_find_one(void *ctx, uint64_t ino, const char *name, size_t len)
{
	struct diag_find *d = ctx;

	if (ino == d->ino && len <= sizeof(d->name)) {
		memcpy(d->name, name, len);
		d->len = len;
	}
	return 0;
}

/*
 * Whether this kernel has no unix_diag (CONFIG_UNIX_DIAG off, or a module
 * that cannot be loaded): then the snapshot reads net/unix, and the tests
 * of sock_diag are skipped, saying so.
 */
static int diag_nothing(void *ctx, uint64_t ino, const char *name, size_t len)
{
	(void)ctx;
	(void)ino;
	(void)name;
	(void)len;
	return 0;
}

static bool no_sock_diag(const char *test)
{
	struct stat st;
	int err;

	if (stat("/proc/self/ns/net", &st))
		return false;
	err = kcap_sockdiag_unix(getpid(), st.st_ino, diag_nothing, NULL);
	if (err != -ENOENT && err != -EPROTONOSUPPORT)
		return false;
	fprintf(stderr, "%s: skipped: no unix_diag here (%s)\n", test,
		strerror(-err));
	return true;
}

/* Whether the tests of sock_diag in another network namespace skip. */
static bool no_netns_diag(const char *test)
{
	if (no_sock_diag(test))
		return true;
	if (!geteuid())
		return false;
	fprintf(stderr, "%s: skipped: another network namespace needs root\n",
		test);
	return true;
}

/*
 * Whether sock_diag, asked in pid's network namespace, lists socket ino
 * named shown (false too if it could not be asked). It asserts nothing:
 * the callers have a child to end first.
 */
static bool diag_has(int pid, uint64_t ino, const char *shown)
{
	struct diag_find d = { .ino = ino, .len = -1 };
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/%d/ns/net", pid);
	if (stat(path, &st) ||
	    kcap_sockdiag_unix(pid, st.st_ino, diag_find_one, &d))
		return false;
	return d.len == (ssize_t)strlen(shown) && !memcmp(d.name, shown, d.len);
}

/* Whether pid's net/unix, as load_unix() reads it, names ino shown. */
static bool proc_has(int pid, uint64_t ino, const char *shown)
{
	struct socktab t = { 0 };
	char path[64];
	bool ok;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/net/unix", pid);
	f = fopen(path, "re");
	if (!f)
		return false;
	load_unix(&t, f);
	fclose(f);
	socktab_finish(&t);
	ok = has_path(&t, ino, shown);
	free(t.v);
	return ok;
}

/*
 * Waits for a child that made sockets in a network namespace of its own
 * and sent them over sp, or exited 2 where unshare() was refused: then
 * false, the skip said and sp closed.
 */
static bool netns_child_done(const char *test, pid_t pid, int sp[2])
{
	int st;

	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	if (WIFEXITED(st) && WEXITSTATUS(st) == 2) {
		fprintf(stderr,
			"%s: skipped: no network namespace of its "
			"own allowed here\n",
			test);
		close(sp[0]);
		close(sp[1]);
		return false;
	}
	ck_assert_msg(WIFEXITED(st) && !WEXITSTATUS(st),
		      "the child made no socket in a namespace of its own");
	return true;
}

/*
 * A name holding a newline and, after it, a line as net/unix prints one,
 * for a socket net/unix does not list: one of another network namespace,
 * passed in over SCM_RIGHTS. Read from sock_diag, the name is whole and
 * the made-up line names no socket.
 */
START_TEST(a_made_up_line_names_no_socket_passed_from_another_namespace)
{
	char name[128], shown[128], fake[32];
	const struct kcap_hdr *h;
	int sp[2], fd, other;
	struct stat ost;
	struct snap sn;
	size_t len;
	pid_t pid;

	if (no_netns_diag(__func__))
		return;
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sp),
			 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (!pid) {
		int s;

		if (unshare(CLONE_NEWNET))
			_exit(2);
		s = socket(AF_UNIX, SOCK_STREAM, 0);
		_exit(s < 0 || send_fd(sp[1], s) ? 1 : 0);
	}
	if (!netns_child_done(__func__, pid, sp))
		return;
	other = recv_fd(sp[0]);
	close(sp[0]);
	close(sp[1]);
	ck_assert_int_ge(other, 0);
	ck_assert_int_eq(fstat(other, &ost), 0);
	snprintf(fake, sizeof(fake), "@kf%d", (int)getpid());
	len = name_with_line(name, shown, sizeof(name), ost.st_ino, fake);
	fd = bind_name(name, len);
	ck_assert_int_ge(fd, 0);
	take(&sn);
	h = find(&sn, KCAP_EV_snap_fd, getpid(), fd);
	ck_assert_ptr_nonnull(h);
	ck_assert_int_eq(I(h, "kind"), KCAP_FD_SOCK_UNIX);
	ck_assert_msg(str_is(h, "path", shown), "the name is not whole");
	h = find(&sn, KCAP_EV_snap_fd, getpid(), other);
	ck_assert_ptr_nonnull(h);
	/* asked itself: an unbound unix socket */
	if (!v1_net_tags())
		ck_assert_int_eq(I(h, "kind"), KCAP_FD_SOCK_UNIX);
	ck_assert_msg(!str_is(h, "path", fake),
		      "the other namespace's socket has the made-up name");
	ck_assert_msg(!any_fd_named(&sn, fake), "an fd has the made-up name");
	free(sn.buf);
	close(fd);
	close(other);
}
END_TEST

/*
 * The same in another network namespace, whose names sock_diag gives to
 * a socket made in it: the made-up line there names a socket of the
 * first namespace, which the process keeps open.
 */
START_TEST(a_made_up_line_in_another_namespace_names_no_socket)
{
	char name[128], shown[128], fake[32];
	const struct kcap_hdr *h0, *h1;
	bool named, listed, fake0, fake1, anyfake;
	int p[2], fds[2], out;
	struct stat ost;
	struct snap sn;
	size_t len;
	pid_t pid;

	if (no_netns_diag(__func__))
		return;
	out = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ck_assert_int_ge(out, 0);
	ck_assert_int_eq(fstat(out, &ost), 0);
	snprintf(fake, sizeof(fake), "@kg%d", (int)getpid());
	len = name_with_line(name, shown, sizeof(name), ost.st_ino, fake);
	ck_assert_int_eq(pipe(p), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (!pid) {
		if (unshare(CLONE_NEWNET))
			_exit(2);
		fds[0] = bind_name(name, len);
		fds[1] = out;
		if (fds[0] < 0 || write(p[1], fds, sizeof(fds)) != sizeof(fds))
			_exit(1);
		pause();
		_exit(0);
	}
	close(p[1]);
	close(out);
	if (read(p[0], fds, sizeof(fds)) != sizeof(fds)) {
		int st = 0;

		waitpid(pid, &st, 0);
		close(p[0]);
		if (WIFEXITED(st) && WEXITSTATUS(st) == 2) {
			fprintf(stderr,
				"%s: skipped: no network namespace of "
				"its own allowed here\n",
				__func__);
			return;
		}
		ck_abort_msg(
			"the child could not bind in a namespace of its own");
	}
	take(&sn);
	h0 = find(&sn, KCAP_EV_snap_fd, pid, fds[0]);
	h1 = find(&sn, KCAP_EV_snap_fd, pid, fds[1]);
	fake0 = h0 && str_is(h0, "path", fake);
	fake1 = h1 && str_is(h1, "path", fake);
	anyfake = any_fd_named(&sn, fake);
	named = h0 && str_is(h0, "path", shown);
	listed = diag_has(pid, fd_ino(pid, fds[0]), shown);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	close(p[0]);
	ck_assert_ptr_nonnull(h0);
	ck_assert_ptr_nonnull(h1);
	ck_assert_msg(named, "the name in the other namespace is not whole");
	ck_assert_msg(listed,
		      "sock_diag in the other namespace has not the name");
	ck_assert_msg(!fake0 && !fake1 && !anyfake,
		      "an fd has the made-up name");
	free(sn.buf);
}
END_TEST

/* Whether the tests of sockets asked themselves skip (see sock_ask()). */
static bool no_asking(const char *test)
{
	if (!v1_net_tags())
		return false;
	fprintf(stderr,
		"%s: skipped: cgroup v1 net_cls or net_prio is mounted, "
		"where kcap does not take sockets to ask them\n",
		test);
	return true;
}

/* Whether field name of h holds exactly the len bytes want. */
static bool bytes_is(const struct kcap_hdr *h, const char *name,
		     const void *want, size_t len)
{
	const uint8_t *p = NULL;
	size_t n = 0;

	return kcap_field__get_var(field(h, name), h, &p, &n) == 1 &&
	       n == len && !memcmp(p, want, len);
}

/* A socket of the child below, made in a network namespace of its own. */
static int ns_socket(int type, const void *local, socklen_t llen,
		     const void *peer, socklen_t plen)
{
	int s = socket(((const struct sockaddr *)local)->sa_family, type, 0);

	if (s < 0 || bind(s, local, llen) || (peer && connect(s, peer, plen)))
		return -1;
	return s;
}

/*
 * Sockets made in a network namespace that none of their holders is in
 * (passed over SCM_RIGHTS, the namespace's last process gone): no table
 * of a namespace kcap can see lists them, so the snapshot asks each
 * socket itself for its name and addresses.
 */
START_TEST(sockets_passed_from_a_namespace_no_process_is_in_have_their_names)
{
	static const char abstract[] = "\0kcap-ns-test";
	struct sockaddr_in lo = { .sin_family = AF_INET,
				  .sin_port = htons(4242),
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct sockaddr_in peer = lo;
	struct sockaddr_un un = { .sun_family = AF_UNIX };
	socklen_t ulen =
		offsetof(struct sockaddr_un, sun_path) + sizeof(abstract) - 1;
	const struct kcap_hdr *hu, *hi;
	int sp[2], fu, fi;
	struct snap sn;
	pid_t pid;

	if (no_netns_diag(__func__) || no_asking(__func__))
		return;
	peer.sin_port = htons(4243);
	memcpy(un.sun_path, abstract, sizeof(abstract) - 1);
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sp),
			 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (!pid) {
		struct ifreq ifr = { .ifr_name = "lo" };
		int s, u, i;

		if (unshare(CLONE_NEWNET))
			_exit(2);
		/* a new namespace's loopback is down, without 127.0.0.1 */
		s = socket(AF_INET, SOCK_DGRAM, 0);
		if (s < 0 || ioctl(s, SIOCGIFFLAGS, &ifr))
			_exit(1);
		ifr.ifr_flags |= IFF_UP;
		if (ioctl(s, SIOCSIFFLAGS, &ifr))
			_exit(1);
		u = ns_socket(SOCK_DGRAM, &un, ulen, NULL, 0);
		i = ns_socket(SOCK_DGRAM, &lo, sizeof(lo), &peer, sizeof(peer));
		_exit(u < 0 || i < 0 || send_fd(sp[1], u) || send_fd(sp[1], i));
	}
	if (!netns_child_done(__func__, pid, sp))
		return;
	fu = recv_fd(sp[0]);
	fi = recv_fd(sp[0]);
	close(sp[0]);
	close(sp[1]);
	ck_assert_int_ge(fu, 0);
	ck_assert_int_ge(fi, 0);
	take(&sn);
	hu = find(&sn, KCAP_EV_snap_fd, getpid(), fu);
	hi = find(&sn, KCAP_EV_snap_fd, getpid(), fi);
	ck_assert_ptr_nonnull(hu);
	ck_assert_ptr_nonnull(hi);
	ck_assert_int_eq(I(hu, "kind"), KCAP_FD_SOCK_UNIX);
	ck_assert_msg(str_is(hu, "path", "@kcap-ns-test"),
		      "the abstract name is not as net/unix shows it");
	ck_assert_int_eq(I(hi, "kind"), KCAP_FD_SOCK_INET);
	ck_assert_int_eq(I(hi, "proto"), IPPROTO_UDP);
	ck_assert_msg(bytes_is(hi, "laddr", &lo, sizeof(lo)),
		      "the local address is not 127.0.0.1:4242");
	ck_assert_msg(bytes_is(hi, "raddr", &peer, sizeof(peer)),
		      "the peer address is not 127.0.0.1:4243");
	free(sn.buf);
	close(fu);
	close(fi);
}
END_TEST

/*
 * A netlink socket, which no table of /proc/net that kcap reads lists, is
 * one (it was an unknown socket), and inet sockets have their protocol:
 * from net/tcp and net/udp, or asked of a raw socket, which those leave
 * out.
 */
START_TEST(netlink_sockets_are_named_and_inet_sockets_have_their_protocol)
{
	struct sockaddr_in lo = { .sin_family = AF_INET,
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int nl, tcp, udp, raw;
	const struct kcap_hdr *h;
	struct snap sn;

	if (no_asking(__func__))
		return;
	nl = socket(AF_NETLINK, SOCK_RAW, 0);
	tcp = socket(AF_INET, SOCK_STREAM, 0);
	udp = socket(AF_INET, SOCK_DGRAM, 0);
	raw = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
	ck_assert_int_ge(nl, 0);
	ck_assert_int_ge(tcp, 0);
	ck_assert_int_ge(udp, 0);
	ck_assert_int_eq(bind(tcp, (struct sockaddr *)&lo, sizeof(lo)), 0);
	ck_assert_int_eq(listen(tcp, 1), 0);
	ck_assert_int_eq(bind(udp, (struct sockaddr *)&lo, sizeof(lo)), 0);
	take(&sn);
	h = find(&sn, KCAP_EV_snap_fd, getpid(), nl);
	ck_assert_ptr_nonnull(h);
	ck_assert_int_eq(I(h, "kind"), KCAP_FD_SOCK_NETLINK);
	h = find(&sn, KCAP_EV_snap_fd, getpid(), tcp);
	ck_assert_ptr_nonnull(h);
	ck_assert_int_eq(I(h, "kind"), KCAP_FD_SOCK_INET);
	ck_assert_int_eq(I(h, "proto"), IPPROTO_TCP);
	h = find(&sn, KCAP_EV_snap_fd, getpid(), udp);
	ck_assert_ptr_nonnull(h);
	ck_assert_int_eq(I(h, "proto"), IPPROTO_UDP);
	if (raw >= 0) { /* root (CAP_NET_RAW) */
		h = find(&sn, KCAP_EV_snap_fd, getpid(), raw);
		ck_assert_ptr_nonnull(h);
		ck_assert_int_eq(I(h, "kind"), KCAP_FD_SOCK_INET);
		ck_assert_int_eq(I(h, "proto"), IPPROTO_ICMP);
		close(raw);
	} else {
		fprintf(stderr, "%s: raw socket part skipped: %s\n", __func__,
			strerror(errno));
	}
	free(sn.buf);
	close(nl);
	close(tcp);
	close(udp);
}
END_TEST

/*
 * Names come out as net/unix shows them: an abstract name with '@' for
 * each NUL, its first too; names of sun_path's whole size.
 */
START_TEST(unix_names_are_as_net_unix_shows_them_longest_and_abstract_too)
{
	static const size_t blen[4] = { 7, 108, 108, 108 };
	bool snapped[4], listed[4], in_proc[4];
	char bytes[4][108], want[4][109];
	const struct kcap_hdr *h;
	int p[2], fds[4], i;
	struct snap sn;
	pid_t pid;

	if (no_sock_diag(__func__))
		return;

	memset(want, 0, sizeof(want));
	memcpy(bytes[0], "\0a\0b c\0", 7);
	strcpy(want[0], "@a@b c@");
	/* 107 bytes and their NUL: the longest pathname that has one */
	memset(bytes[1], 'p', 107);
	bytes[1][107] = 0;
	memset(want[1], 'p', 107);
	/* sun_path's 108 bytes, without a NUL */
	memset(bytes[2], 'q', 108);
	memset(want[2], 'q', 108);
	/* the longest abstract name */
	bytes[3][0] = 0;
	memset(bytes[3] + 1, 'r', 107);
	want[3][0] = '@';
	memset(want[3] + 1, 'r', 107);
	ck_assert_int_eq(pipe(p), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (!pid) {
		/*
		 * A network namespace of its own where allowed: a name with
		 * a newline that another process on the machine has bound
		 * makes its namespace's whole net/unix untrusted.
		 */
		if (unshare(CLONE_NEWNET))
			errno = 0; /* the machine's, then */
		/* relative pathnames: tmpdir's path would not fit */
		if (chdir(tmpdir))
			_exit(1);
		for (i = 0; i < 4; i++)
			if ((fds[i] = bind_name(bytes[i], blen[i])) < 0)
				_exit(1);
		if (write(p[1], fds, sizeof(fds)) != sizeof(fds))
			_exit(1);
		pause();
		_exit(0);
	}
	close(p[1]);
	if (read(p[0], fds, sizeof(fds)) != sizeof(fds)) {
		waitpid(pid, NULL, 0);
		ck_abort_msg("the child could not bind its sockets");
	}
	take(&sn);
	for (i = 0; i < 4; i++) {
		uint64_t ino = fd_ino(pid, fds[i]);

		h = find(&sn, KCAP_EV_snap_fd, pid, fds[i]);
		snapped[i] = h && str_is(h, "path", want[i]);
		listed[i] = diag_has(pid, ino, want[i]);
		in_proc[i] = proc_has(pid, ino, want[i]);
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	close(p[0]);
	for (i = 0; i < 4; i++) {
		ck_assert_msg(in_proc[i], "net/unix does not show name %d so",
			      i);
		ck_assert_msg(listed[i], "sock_diag does not give name %d so",
			      i);
		ck_assert_msg(snapped[i], "the snapshot has not name %d so", i);
	}
	free(sn.buf);
}
END_TEST

struct many {
	char prefix[32];
	const uint64_t *inos;
	int n, found, wrong;
};

/* Socket i's name as shown: the prefix, i, then 'm's to 100 bytes. */
static void many_name(char *out, const char *prefix, int i)
{
	int n = snprintf(out, 101, "%s%04d-", prefix, i);

	memset(out + n, 'm', 100 - n);
	out[100] = 0;
}

static int many_one(void *ctx, uint64_t ino, const char *name, size_t len)
{
	struct many *m = ctx;
	size_t pl = strlen(m->prefix);
	char want[101];
	int i;

	if (len < pl || memcmp(name, m->prefix, pl))
		return 0;
	/* 4 digits and a '-' follow the prefix */
	i = atoi(name + pl);
	if (i < 0 || i >= m->n) {
		m->wrong++;
		return 0;
	}
	many_name(want, m->prefix, i);
	if (ino == m->inos[i] && len == 100 && !memcmp(name, want, 100))
		m->found++;
	else
		m->wrong++;
	return 0;
}

/*
 * An answer longer than a datagram (at most 32 KiB) comes in parts: 500
 * sockets with names of 100 bytes, some 68 KB of answer, are each there
 * once with its name.
 */
START_TEST(every_socket_of_an_answer_in_many_parts_has_its_name)
{
	enum { N = 500 };
	static uint64_t inos[N];
	static int fds[N];
	struct many m = { .inos = inos, .n = N };
	char name[101];
	struct stat st;
	int i;

	if (no_sock_diag(__func__))
		return;

	snprintf(m.prefix, sizeof(m.prefix), "@km%d-", (int)getpid());
	for (i = 0; i < N; i++) {
		many_name(name, m.prefix, i);
		name[0] = 0;
		fds[i] = bind_name(name, 100);
		ck_assert_int_ge(fds[i], 0);
		ck_assert_int_eq(fstat(fds[i], &st), 0);
		inos[i] = st.st_ino;
	}
	ck_assert_int_eq(stat("/proc/self/ns/net", &st), 0);
	ck_assert_int_eq(kcap_sockdiag_unix(getpid(), st.st_ino, many_one, &m),
			 0);
	ck_assert_int_eq(m.wrong, 0);
	ck_assert_int_eq(m.found, N);
	for (i = 0; i < N; i++)
		close(fds[i]);
}
END_TEST

static int stop_at_first(void *ctx, uint64_t ino, const char *name, size_t len)
{
	(void)ino, (void)name, (void)len;
	++*(int *)ctx;
	return -ECANCELED;
}

/* A callback's error ends the dump, and is what the call returns. */
START_TEST(a_callback_error_stops_the_sock_diag_dump_and_is_returned)
{
	struct stat st;
	int fd, calls = 0;

	if (no_sock_diag(__func__))
		return;

	fd = bind_name("\0kstop", 6);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(stat("/proc/self/ns/net", &st), 0);
	ck_assert_int_eq(kcap_sockdiag_unix(getpid(), st.st_ino, stop_at_first,
					    &calls),
			 -ECANCELED);
	ck_assert_int_eq(calls, 1);
	close(fd);
}
END_TEST

/*
 * The namespace is the one the caller saw: a pid in another one by now
 * (reused) is refused, not dumped for the wrong namespace.
 */
START_TEST(sock_diag_refuses_a_pid_no_longer_in_the_namespace_asked_for)
{
	int calls = 0;

	ck_assert_int_eq(kcap_sockdiag_unix(getpid(), 1, stop_at_first, &calls),
			 -ESRCH);
	ck_assert_int_eq(calls, 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("snapshot");
	TCase *tc = tcase_create("snapshot");
	int ret;

	snprintf(tmpdir, sizeof(tmpdir), "/tmp/kcap-snap-XXXXXX");
	if (!mkdtemp(tmpdir))
		return 1;
	/*
	 * Check's 4 s: the 200-deep chain of forks took longer under ASan,
	 * whose every fork copies its shadow mappings.
	 */
	tcase_set_timeout(tc, 120);
	tcase_add_test(
		tc, a_unix_socket_name_is_the_rest_of_its_line_spaces_and_all);
	tcase_add_test(tc,
		       a_name_holding_a_newline_gives_no_socket_a_made_up_name);
	tcase_add_test(tc, entries_with_inode_0_are_not_loaded);
	tcase_add_test(tc, each_of_many_sockets_is_found_by_its_inode);
	tcase_add_test(tc,
		       the_snapshot_gives_a_unix_socket_path_with_spaces_whole);
	tcase_add_test(tc, a_socket_in_another_network_namespace_has_its_path);
	tcase_add_test(tc,
		       an_fd_whose_path_proc_cannot_give_is_listed_without_it);
	tcase_add_test(tc, a_status_past_4_kib_still_gives_the_namespace_pid);
	tcase_add_test(tc, a_file_is_read_whole_whatever_its_size);
	tcase_add_test(
		tc,
		a_made_up_line_names_no_socket_passed_from_another_namespace);
	tcase_add_test(
		tc,
		sockets_passed_from_a_namespace_no_process_is_in_have_their_names);
	tcase_add_test(
		tc,
		netlink_sockets_are_named_and_inet_sockets_have_their_protocol);
	tcase_add_test(
		tc,
		a_process_whose_main_thread_exited_keeps_its_fds_exe_and_cwd);
	tcase_add_test(tc, a_made_up_line_in_another_namespace_names_no_socket);
	tcase_add_test(
		tc,
		unix_names_are_as_net_unix_shows_them_longest_and_abstract_too);
	tcase_add_test(tc,
		       every_socket_of_an_answer_in_many_parts_has_its_name);
	tcase_add_test(
		tc, a_callback_error_stops_the_sock_diag_dump_and_is_returned);
	tcase_add_test(
		tc,
		sock_diag_refuses_a_pid_no_longer_in_the_namespace_asked_for);
	tcase_add_test(
		tc, several_roots_give_the_threads_of_their_trees_and_no_other);
	tcase_add_test(tc, a_root_given_twice_lists_its_threads_once);
	tcase_add_test(tc,
		       a_root_inside_another_roots_tree_lists_its_threads_once);
	tcase_add_test(tc, a_chain_200_processes_deep_is_listed_whole);
	tcase_add_test(tc,
		       threads_are_listed_with_their_process_and_are_no_root);
	tcase_add_test(
		tc,
		a_root_that_is_no_process_counts_0_and_the_others_are_listed);
	tcase_add_test(
		tc,
		a_name_with_parentheses_and_spaces_does_not_hide_the_parent);
	suite_add_tcase(s, tc);
	ret = kcap_check_run(s);
	/* what the tests made under tmpdir, the deep chain included */
	{
		char cmd[300];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
		if (system(cmd))
			ret = ret ? ret : 1;
	}
	return ret;
}
