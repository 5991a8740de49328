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
#include <sched.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>

#include "snapshot.c"
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
	load_inet(t, f, false);
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

int main(void)
{
	Suite *s = suite_create("snapshot");
	TCase *tc = tcase_create("snapshot");
	int ret;

	snprintf(tmpdir, sizeof(tmpdir), "/tmp/kcap-snap-XXXXXX");
	if (!mkdtemp(tmpdir))
		return 1;
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
