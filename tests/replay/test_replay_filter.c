// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The filter language: every operator and kind of field, precedence, errors. */
#include <sys/wait.h>

#include "replay_testutil.h"

/* e_openat and e_rw as `kcap record -T` records them: with a dur. */
static void timed_openat(struct cap *c, uint32_t tid, uint64_t ts,
			 const char *name, int64_t res, uint64_t dur)
{
	struct kcap_ev_openat *e = ev(c, KCAP_EV_openat, tid, ts);

	e->res = res;
	e->dirfd = AT_FDCWD_;
	e->flags = 0;
	e->mode = 0;
	e->dur = dur;
	ev_var(c, F(openat, name), name);
	ev_end(c);
}

static void timed_rw(struct cap *c, unsigned int id, uint32_t tid, uint64_t ts,
		     int32_t fd, int64_t res, uint64_t dur)
{
	struct kcap_ev_read *e = ev(c, id, tid, ts);

	e->res = res;
	e->fd = fd;
	e->size = (uint32_t)res;
	e->dur = dur;
	ev_varn(c, F(read, data), "0123456789abcdef",
		(size_t)(res > 16 ? 16 : res));
	ev_end(c);
}

/* Events 0, 3 and 4 have a dur; the others' is unknown, as without -T. */
static const char *capture(void)
{
	static char path[256];
	static const char argv[] = "nginx\0-g\0daemon off;";
	struct cap c;

	if (path[0])
		return path;
	snprintf(path, sizeof(path), "%s", tmppath("filter.kcap"));
	cap_open(&c, path, 0);
	snap_proc(&c, 1, 1, 0, "systemd", "/lib/systemd/systemd", "/", T0);
	snap_proc(&c, 50, 50, 1, "nginx", "/usr/sbin/nginx", "/", T0);
	snap_proc(&c, 60, 60, 50, "worker", "/usr/sbin/nginx", "/srv", T0);
	snap_flush(&c);
	/* 0 */ timed_openat(&c, 50, T0 + 1 * MS, "/etc/nginx/nginx.conf", 3,
			     2 * MS);
	/* 1 */ e_openat(&c, 60, T0 + 2 * MS, AT_FDCWD_, "html/index.html", 0,
			 4);
	/* 2 */ e_openat(&c, 60, T0 + 3 * MS, AT_FDCWD_, "/etc/shadow", 0, -13);
	/* 3 */ timed_rw(&c, KCAP_EV_read, 60, T0 + 4 * MS, 4, 612, 500);
	/* 4 */ timed_rw(&c, KCAP_EV_write, 60, T0 + 5 * MS, 1, 20, 3 * MS / 2);
	/* 5 */ e_close(&c, 60, T0 + 6 * MS, 4);
	/* 6 */ {
		struct kcap_ev_execve *e =
			ev(&c, KCAP_EV_execve, 50, T0 + 7 * MS);

		e->res = 0;
		e->tgid = 50;
		ev_var(&c, F(execve, filename), "/usr/sbin/nginx");
		ev_varn(&c, F(execve, argv), argv, sizeof(argv));
		ev_var(&c, F(execve, comm), "nginx");
		ev_end(&c);
	}
	/* 7 */ e_rw(&c, KCAP_EV_read, 1, T0 + 8 * MS, 0, 0);
	cap_close(&c);
	return path;
}

static size_t count(const char *filter)
{
	const char *path = capture();
	struct collect co;
	size_t n;

	ck_assert_int_eq(run_engine(&path, 1, filter, 0, 0, &co, NULL), 0);
	n = co.n;
	free(co.rows);
	return n;
}

static const struct {
	const char *filter;
	size_t n;
} cases[] = {
	/* event fields */
	{ "evt.type=openat", 3 },
	{ "evt.type==openat", 3 },
	{ "evt.type!=openat", 5 },
	{ "evt.type in (read, write)", 3 },
	{ "evt.type in (read,write,close)", 4 },
	{ "evt.type startswith op", 3 },
	{ "evt.type endswith ve", 1 },
	{ "evt.type glob 'w*'", 1 },
	{ "evt.class=file", 7 },
	{ "evt.class=process", 1 },
	{ "evt.res<0", 1 },
	{ "evt.res>=612", 1 },
	{ "evt.res>612", 0 },
	{ "evt.res<=0", 4 }, /* EACCES, close, execve, read of 0 */
	{ "evt.res=-13", 1 },
	{ "evt.failed=1", 1 },
	{ "evt.res exists", 8 },
	{ "evt.time>=1795460564005000000", 4 },
	{ "evt.time<1795460564002000000", 1 },
	{ "evt.time>=2026-11-23T19:02:44.005Z", 4 },
	{ "evt.time < '2026-11-23 20:02:44.002+01:00'", 1 },
	{ "evt.num=2", 1 },
	{ "evt.num in (1,2,3)", 3 },
	{ "evt.args contains 'flags='", 3 },
	{ "tid=60", 5 },
	{ "thread.tid!=60", 3 },
	/* schema fields by name, both spellings */
	{ "name contains nginx", 1 },
	{ "evt.arg.name contains nginx", 1 },
	{ "evt.arg.size=612", 1 },
	{ "size>100", 1 },
	{ "argv contains daemon", 1 },
	{ "dirfd=-100", 3 },
	{ "dirfd exists", 3 },
	{ "flags contains O_RDONLY", 3 },
	/* dur, in ns; an unknown one (no -T) compares false, != included */
	{ "dur > 1000000", 2 },
	{ "evt.arg.dur >= 1500000", 2 },
	{ "dur > 0", 3 },
	{ "dur <= 500", 1 },
	{ "dur != 500", 2 },
	{ "dur exists", 3 },
	{ "not dur exists", 5 },
	{ "evt.type=openat and dur > 1000000", 1 },
	/* or with a unit */
	{ "dur > 1ms", 2 },
	{ "dur >= 1.5ms", 2 },
	{ "dur < 1us", 1 },
	{ "dur in (500ns, 2ms)", 2 },
	{ "dur = 0.0015s", 1 },
	/* process fields */
	{ "proc.name=nginx", 2 },
	{ "proc.name!=nginx", 6 },
	{ "proc.name icontains NGI", 2 },
	{ "proc.pid=60", 5 },
	{ "proc.ppid=50", 5 },
	{ "proc.ppid<50", 3 },
	{ "proc.exe=/usr/sbin/nginx", 7 },
	{ "proc.cwd=/srv", 5 },
	{ "proc.uid=1000", 8 },
	{ "proc.pname=nginx", 5 },
	{ "proc.aname=systemd", 7 },
	{ "proc.aname[2]=systemd", 5 },
	{ "proc.aname[1]=systemd", 2 },
	{ "proc.apid[1]=50", 5 },
	{ "proc.argv contains 'daemon off'", 1 }, /* after the exec */
	{ "proc.args startswith -g", 1 },
	/* fd fields */
	{ "fd.name=/srv/html/index.html", 3 }, /* relative to the cwd */
	{ "fd.name startswith /etc", 1 },
	{ "fd.name endswith .conf", 1 },
	{ "fd.name glob '/srv/*/*.html'", 3 },
	{ "fd.name contains html", 3 },
	{ "fd.filename=index.html", 3 },
	{ "fd.directory=/srv/html", 3 },
	{ "fd.num=4", 3 },
	{ "fd.num exists",
	  6 }, /* the failed open has no fd, nor execve or procs */
	{ "fd.type=file", 4 },
	{ "fd.name exists", 4 },
	{ "not fd.name exists", 4 },
	/* logic and precedence: and binds tighter than or */
	{ "proc.name=worker and evt.type=read or evt.type=close", 2 },
	{ "evt.type=close or proc.name=worker and evt.type=read", 2 },
	{ "(evt.type=close or proc.name=worker) and evt.type=read", 1 },
	{ "not evt.type=openat and proc.pid=60", 3 },
	{ "not (evt.type=openat or proc.pid=60)", 2 },
	{ "not not evt.type=openat", 3 },
	{ "proc.name=nginx and evt.type in (open,openat) and fd.name startswith /etc",
	  1 },
	{ "evt.type = openat and name = \"html/index.html\"", 1 },
	{ "name='/etc/shadow'", 1 },
	/* the escapes the output writes: a string pasted from it matches */
	{ "name='\\x2fetc/sh\\x61dow'", 1 },
	{ "name=\"/etc/shadow\\r\"", 0 },
	{ "proc.name < o", 2 }, /* strings compare as bytes */
	{ "proc.name >= worker", 5 },
};

START_TEST(filters_match_what_they_say)
{
	ck_assert_msg(count(cases[_i].filter) == cases[_i].n,
		      "%s: %zu, expected %zu", cases[_i].filter,
		      count(cases[_i].filter), cases[_i].n);
}
END_TEST

static const struct {
	const char *filter;
	unsigned int column;
	const char *says;
} bad[] = {
	{ "proc.nam=nginx", 1, "expected a field name" },
	{ "proc.name", 10, "expected an operator" },
	{ "proc.name ~ x", 11, "expected an operator" },
	{ "proc.name =", 12, "expected a value" },
	{ "proc.pid = abc", 12, "expected a number" },
	{ "evt.type=nosuchcall", 10, "expected an event name" },
	{ "evt.type in (read, nosuch)", 20, "expected an event name" },
	{ "evt.class=bogus", 11, "expected a class for evt.class" },
	{ "evt.type in read", 13, "expected '('" },
	{ "evt.type in (read", 18, "expected ',' or ')'" },
	{ "(proc.pid=1", 12, "expected ')'" },
	{ "proc.pid=1 proc.pid=2", 12, "expected 'and', 'or'" },
	{ "proc.pid=1 and", 15, "expected a field name" },
	{ "name='abc", 6, "closing '" },
	/* an escape the output never writes is refused, not read as 'q' */
	{ "name='a\\qb'", 8, "unknown escape \\q" },
	{ "name='\\x4'", 7, "two hex digits" },
	{ "", 1, "expected a field name" },
	{ "proc.aname[x]=a", 1, "expected a field name" },
	/* a duration's text does not order: a unit is needed */
	{ "dur > soon", 7, "expected a duration" },
	{ "dur > 0.5", 7, "expected a duration" },
};

START_TEST(bad_filters_say_where_and_what_was_expected)
{
	struct kcap_replay *rp = kcap_replay__new(NULL);
	char col[32];

	ck_assert_int_eq(kcap_replay__set_filter(rp, bad[_i].filter), -EINVAL);
	snprintf(col, sizeof(col), "column %u: ", bad[_i].column);
	ck_assert_msg(strstr(kcap_replay__errmsg(rp), col) ==
			      kcap_replay__errmsg(rp),
		      "%s: '%s', expected %s", bad[_i].filter,
		      kcap_replay__errmsg(rp), col);
	ck_assert_msg(strstr(kcap_replay__errmsg(rp), bad[_i].says), "%s: '%s'",
		      bad[_i].filter, kcap_replay__errmsg(rp));
	kcap_replay__free(rp);
}
END_TEST

/* n copies of open, then "proc.pid>0", then n of close */
static char *nested(int n, const char *open, const char *close)
{
	size_t lo = strlen(open), lc = strlen(close), i;
	char *s = malloc(n * (lo + lc) + 16), *q = s;

	ck_assert_ptr_nonnull(s);
	for (i = 0; i < (size_t)n; i++, q += lo)
		memcpy(q, open, lo);
	q += sprintf(q, "proc.pid>0");
	for (i = 0; i < (size_t)n; i++, q += lc)
		memcpy(q, close, lc);
	*q = 0;
	return s;
}

/*
 * Parsing, evaluating and freeing a filter recurse: 50,000 nested
 * parentheses overflowed the stack. Nesting past 256 and chains of more
 * than 4096 and/or are refused, saying so; 256 levels work.
 */
START_TEST(filters_too_deep_or_too_long_are_refused_not_crashed_on)
{
	struct kcap_replay *rp = kcap_replay__new(NULL);
	char *f;

	f = nested(50000, "(", ")");
	ck_assert_int_eq(kcap_replay__set_filter(rp, f), -EINVAL);
	ck_assert_ptr_nonnull(strstr(kcap_replay__errmsg(rp), "nested"));
	free(f);
	f = nested(300, "not ", "");
	ck_assert_int_eq(kcap_replay__set_filter(rp, f), -EINVAL);
	free(f);
	f = nested(256, "(", ")");
	ck_assert_int_eq(kcap_replay__set_filter(rp, f), 0);
	free(f);
	f = nested(5000, "proc.pid>0 or ", "");
	ck_assert_int_eq(kcap_replay__set_filter(rp, f), -EINVAL);
	ck_assert_ptr_nonnull(strstr(kcap_replay__errmsg(rp), "joins"));
	free(f);
	kcap_replay__free(rp);
}
END_TEST

START_TEST(the_cli_points_at_the_column_of_a_bad_filter)
{
	int rc;
	char *out = sh(KCAP_BIN " read " KCAP_FIXTURES
				"/mix.kcap 'proc.name=a and fd.nme=b' 2>&1",
		       &rc);

	ck_assert_int_eq(rc, 1);
	ck_assert_ptr_nonnull(strstr(out, "column 17: expected a field name"));
	ck_assert_ptr_nonnull(strstr(out, "\n                  ^"));
	free(out);
}
END_TEST

/*
 * Unsigned values past 2^63 (a u64 argument, an inode) compare and print
 * as unsigned: a0=0xab5b2f20d790aff5 of random.kcap matched both
 * "a0 > 0x8000000000000000" and "a0 < 0", and an inode past 2^63 could
 * not be written in a filter at all.
 */
START_TEST(numbers_past_2_63_compare_and_print_as_unsigned)
{
	int rc;
	char *out;

	out = sh(KCAP_BIN " read -q " KCAP_FIXTURES "/random.kcap 'a0 < 0' "
			  "| wc -l",
		 &rc);
	ck_assert_int_eq(atoi(out), 0);
	free(out);
	out = sh(KCAP_BIN " read -q " KCAP_FIXTURES "/random.kcap "
			  "'a0 = 0xab5b2f20d790aff5 and a0 > 0 and "
			  "a0 > 0x8000000000000000 and a0 > -1' | wc -l",
		 &rc);
	ck_assert_int_eq(atoi(out), 1);
	free(out);
	out = sh(KCAP_BIN " read -q -F fd.ino " KCAP_FIXTURES "/random.kcap "
			  "'fd.ino = 14479938841418017995'",
		 &rc);
	ck_assert_int_eq(rc, 0);
	ck_assert_str_eq(out, "14479938841418017995\n");
	free(out);
}
END_TEST

/*
 * A mistyped file name is no filter: it was read as one, and kcap said
 * "no input file" with its usage, or that the filter lacked a field.
 */
START_TEST(a_file_name_that_cannot_be_opened_is_said_as_such)
{
	int rc;
	char *out = sh(KCAP_BIN " read " KCAP_FIXTURES "/mix.kcpa 2>&1", &rc);

	ck_assert_int_eq(rc, 1);
	ck_assert_msg(strstr(out, "mix.kcpa: No such file or directory"), "%s",
		      out);
	free(out);
	out = sh(KCAP_BIN " read /tmp 2>&1", &rc);
	ck_assert_int_eq(rc, 1);
	ck_assert_msg(strstr(out, "/tmp: a directory"), "%s", out);
	free(out);
	/* after a first file: the filter's error, and what the word was */
	out = sh(KCAP_BIN " read " KCAP_FIXTURES "/mix.kcap " KCAP_FIXTURES
			  "/mix.kcpa proc.name=git 2>&1",
		 &rc);
	ck_assert_int_eq(rc, 1);
	ck_assert_msg(strstr(out, "mix.kcpa' was meant as a file: No such "
				  "file or directory)"),
		      "%s", out);
	free(out);
}
END_TEST

START_TEST(list_names_every_field_with_its_meaning)
{
	int rc;
	char *out = sh(KCAP_BIN " read -l", &rc);

	ck_assert_int_eq(rc, 0);
	ck_assert_ptr_nonnull(strstr(out, "proc.aname"));
	ck_assert_ptr_nonnull(strstr(out, "fd.name"));
	ck_assert_ptr_nonnull(strstr(out, "evt.res"));
	ck_assert_ptr_nonnull(strstr(out, "  oldpath")); /* a schema field */
	ck_assert_ptr_nonnull(strstr(out, "\n  dur ")); /* every syscall's */
	ck_assert_ptr_nonnull(strstr(out, "startswith"));
	free(out);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("replay_filter");
	TCase *t = tcase_create("filter");

	tcase_add_loop_test(t, filters_match_what_they_say, 0,
			    sizeof(cases) / sizeof(cases[0]));
	tcase_add_loop_test(t, bad_filters_say_where_and_what_was_expected, 0,
			    sizeof(bad) / sizeof(bad[0]));
	tcase_add_test(t, the_cli_points_at_the_column_of_a_bad_filter);
	tcase_add_test(t, a_file_name_that_cannot_be_opened_is_said_as_such);
	tcase_add_test(t, numbers_past_2_63_compare_and_print_as_unsigned);
	tcase_add_test(t,
		       filters_too_deep_or_too_long_are_refused_not_crashed_on);
	tcase_add_test(t, list_names_every_field_with_its_meaning);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	SRunner *r = srunner_create(suite());
	int failed;

	/* one process: the capture is written once */
	srunner_set_fork_status(r, CK_NOFORK);
	srunner_run_all(r, CK_NORMAL);
	failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? 1 : 0;
}
