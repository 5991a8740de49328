// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* kcap read and kcap cut from the command line: outputs, analyzers, cut. */
#include <ctype.h>
#include <dirent.h>
#include <jansson.h>
#include <signal.h>
#include <sys/wait.h>

#include "replay_testutil.h"
#include "checkrun.h"

static char *run(const char *fmt, const char *arg, int *rc)
{
	char cmd[4096];

	snprintf(cmd, sizeof(cmd), fmt, arg);
	return sh(cmd, rc);
}

/*
 * Runs both commands: each exits 0, and got prints what want does, at
 * least min lines of it.
 */
static void same_output(const char *want_cmd, const char *got_cmd, size_t min)
{
	char *want, *got;
	int rc;

	want = sh(want_cmd, &rc);
	ck_assert_msg(rc == 0, "%d: %s", rc, want_cmd);
	got = sh(got_cmd, &rc);
	ck_assert_msg(rc == 0, "%d: %s", rc, got_cmd);
	ck_assert_uint_ge(count_lines(want), min);
	ck_assert_str_eq(want, got);
	free(want);
	free(got);
}

/* Every line parses as a JSON object; returns how many. */
static size_t json_lines(char *out, const char *must_have)
{
	size_t n = 0;
	char *line, *save = NULL;

	for (line = strtok_r(out, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		json_error_t e;
		json_t *j = json_loads(
			line, JSON_ALLOW_NUL | JSON_DECODE_INT_AS_REAL, &e);

		ck_assert_msg(j, "line %zu: %s: %.200s", n + 1, e.text, line);
		ck_assert(json_is_object(j));
		if (must_have &&
		    strcmp(json_string_value(json_object_get(j, "type")),
			   "loss"))
			ck_assert_msg(json_object_get(j, must_have),
				      "no %s in %.200s", must_have, line);
		json_decref(j);
		n++;
	}
	return n;
}

START_TEST(json_output_is_valid_json_for_every_fixture)
{
	DIR *d = opendir(KCAP_FIXTURES);
	struct dirent *de;
	int files = 0;

	ck_assert_ptr_nonnull(d);
	while ((de = readdir(d))) {
		char path[512], *out;
		size_t n = strlen(de->d_name);
		int rc;

		if (n < 6 || strcmp(de->d_name + n - 5, ".kcap"))
			continue;
		snprintf(path, sizeof(path), KCAP_FIXTURES "/%s", de->d_name);
		out = run(KCAP_BIN " read -q -j %s", path, &rc);
		ck_assert_int_eq(rc, 0);
		/* ts also as text, which a double cannot round (jq 1.6) */
		ck_assert_ptr_nonnull(strstr(out, ",\"time\":\"2026-"));
		ck_assert_uint_gt(json_lines(out, "proc"), 1000);
		free(out);
		files++;
	}
	closedir(d);
	ck_assert_int_ge(files, 3);
}
END_TEST

START_TEST(json_output_is_valid_json_for_damaged_fixtures_too)
{
	DIR *d = opendir(KCAP_FIXTURES "/bad");
	struct dirent *de;

	ck_assert_ptr_nonnull(d);
	while ((de = readdir(d))) {
		char path[512], *out;
		size_t n = strlen(de->d_name);
		int rc;

		if (n < 6 || strcmp(de->d_name + n - 5, ".kcap"))
			continue;
		snprintf(path, sizeof(path),
			 KCAP_FIXTURES "/bad/%s 2>/dev/null", de->d_name);
		out = run(KCAP_BIN " read -q -j %s", path, &rc);
		ck_assert_msg(rc == 1 || rc == 2, "%s: exit %d", de->d_name,
			      rc);
		json_lines(out, "pid");
		free(out);
	}
	closedir(d);
}
END_TEST

/* Every file, good or damaged, through every output and analyzer: no crash
 * (the sanitizer build runs this too), and the exit status says how it read. */
START_TEST(every_fixture_goes_through_every_output_and_analyzer)
{
	static const char *const opts[] = {
		"",
		"-j",
		"--format csv",
		"--normalize",
		"--normalize -j",
		"-X -t d",
		"-A -t r",
		"-S -j",
		"--analyzer proctree",
		"--analyzer files -j",
		"--analyzer net",
		"-F evt.args,proc.argv,fd.name,proc.aname,fd.ip,fd.port,addr",
		"'name contains a or addr contains 1 or fd.name glob \"*x*\" or proc.aname=x'",
	};
	static const char *const files[] = {
		"mix.kcap",
		"random.kcap",
		"bad/payload-checksum.kcap",
		"bad/cut-in-block.kcap",
		"bad/seq-gap.kcap",
		"bad/block-header-checksum.kcap",
	};
	size_t i, j;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		for (j = 0; j < sizeof(opts) / sizeof(opts[0]); j++) {
			char cmd[1024];
			int rc;

			snprintf(cmd, sizeof(cmd),
				 KCAP_BIN " read -q " KCAP_FIXTURES
					  "/%s %s >/dev/null 2>&1",
				 files[i], opts[j]);
			free(sh(cmd, &rc));
			ck_assert_msg(rc == (i < 2 ? 0 : 2), "%s: exit %d", cmd,
				      rc);
		}
}
END_TEST

START_TEST(text_lines_name_the_process_and_resolve_fds)
{
	int rc;
	char *out = run(KCAP_BIN
			" read -q %s -c 20 'evt.type=openat and evt.res>=0'",
			KCAP_FIXTURES "/mix.kcap", &rc);

	ck_assert_int_eq(rc, 0);
	ck_assert_uint_eq(count_lines(out), 20);
	ck_assert_ptr_nonnull(strstr(
		out,
		"Z nginx(1040) 1040 openat ino=104984 dirfd=AT_FDCWD "
		"name=\"/var/www/html/index.html\" flags=O_RDONLY|O_CLOEXEC "
		"mode=0 dev=8:1 = 8</var/www/html/index.html>\n"));
	free(out);
}
END_TEST

START_TEST(time_styles_counts_fields_and_csv)
{
	int rc;
	char *out;

	out = run(KCAP_BIN " read -q -t r -c 2 %s", KCAP_FIXTURES "/mix.kcap",
		  &rc);
	ck_assert_ptr_eq(strstr(out, "0.000000000 "), out);
	ck_assert_ptr_nonnull(strstr(out, "\n0.000004806 "));
	free(out);
	out = run(KCAP_BIN " read -q -t d -c 3 %s", KCAP_FIXTURES "/mix.kcap",
		  &rc);
	ck_assert_ptr_nonnull(strstr(out, "\n0.000014529 "));
	free(out);
	out = run(KCAP_BIN " read -q -t n -c 1 %s", KCAP_FIXTURES "/mix.kcap",
		  &rc);
	ck_assert_ptr_eq(strstr(out, "1795460564000001237 "), out);
	free(out);
	out = run(KCAP_BIN
		  " read -q -c 2 -F evt.num,proc.name,fd.num,evt.type %s",
		  KCAP_FIXTURES "/mix.kcap", &rc);
	ck_assert_str_eq(out, "1 nginx 40 read\n2 nginx 30 close\n");
	free(out);
	out = run(KCAP_BIN " read -q -c 2 --format csv %s",
		  KCAP_FIXTURES "/mix.kcap", &rc);
	ck_assert_ptr_eq(
		strstr(out, "evt.num,evt.time,proc.name,proc.pid,thread.tid,"
			    "evt.type,evt.res,fd.num,fd.name,evt.args\n1,"),
		out);
	ck_assert_uint_eq(count_lines(out),
			  3); /* data is escaped: no raw newline */
	free(out);
	/* merged inputs: a last column names each row's file */
	out = run(KCAP_BIN " read -q -c 2 --format csv %s " KCAP_FIXTURES
			   "/mix-lz4.kcap",
		  KCAP_FIXTURES "/mix.kcap", &rc);
	ck_assert_ptr_eq(strstr(out, "evt.num,evt.time,proc.name,proc.pid,"
				     "thread.tid,evt.type,evt.res,fd.num,"
				     "fd.name,evt.args,evt.src\n1,"),
			 out);
	ck_assert_ptr_nonnull(strstr(out, "/mix.kcap\n"));
	ck_assert_ptr_nonnull(strstr(out, "/mix-lz4.kcap\n"));
	free(out);
	/* a value with a comma or quotes is quoted as RFC 4180 says */
	out = run(
		KCAP_BIN
		" read -q --format csv -F proc.argv,evt.type %s 'proc.pid=1000 and evt.num=11'",
		KCAP_FIXTURES "/mix.kcap", &rc);
	ck_assert_str_eq(out,
			 "proc.argv,evt.type\nnginx -g daemon off;,read\n");
	free(out);
	out = run(KCAP_BIN " read -q --format csv -F evt.args %s evt.num=1",
		  KCAP_FIXTURES "/mix.kcap", &rc);
	ck_assert_ptr_nonnull(
		strstr(out, "\n\"fd=40 size=4096 data=\"\"GET /api"));
	free(out);
	out = run(KCAP_BIN " read -q -x -c 1 %s", KCAP_FIXTURES "/mix.kcap",
		  &rc);
	ck_assert_ptr_nonnull(strstr(out, "data=474554202f6170692f"));
	free(out);
	out = run(KCAP_BIN " read -q -A -c 1 %s", KCAP_FIXTURES "/mix.kcap",
		  &rc);
	ck_assert_ptr_nonnull(strstr(
		out,
		"data=\"GET /api/v1/users/1842?fields=name,email HTTP/1.1..Host"));
	free(out);
}
END_TEST

/*
 * mix.kcap was written before snap_proc and snap_fd grew: a --since read
 * skipped its snapshot's shorter records, and named no process ("?")
 * nor fd, where a read from the start names them all.
 */
START_TEST(a_since_read_of_an_older_file_keeps_its_snapshot)
{
	char *a, *b;
	int rc;

	a = run(KCAP_BIN " read -q %s", KCAP_FIXTURES "/mix.kcap", &rc);
	ck_assert_int_eq(rc, 0);
	b = run(KCAP_BIN " read -q %s --since +0s", KCAP_FIXTURES "/mix.kcap",
		&rc);
	ck_assert_int_eq(rc, 0);
	ck_assert_uint_eq(count_lines(a), 4001); /* a # LOSS line */
	ck_assert_str_eq(a, b);
	free(a);
	free(b);
}
END_TEST

START_TEST(since_and_until_take_iso_offsets_and_ns)
{
	int rc;
	char *a, *b, *c;

	/* a date that is none (timegm made it Mar 2), a range backwards */
	free(run(KCAP_BIN " read -q %s --since 2026-02-30T00:00:00Z 2>&1",
		 KCAP_FIXTURES "/mix.kcap", &rc));
	ck_assert_int_eq(rc, 1);
	free(run(KCAP_BIN " read -q %s --since +20ms --until +10ms 2>&1",
		 KCAP_FIXTURES "/mix.kcap", &rc));
	ck_assert_int_eq(rc, 1);
	/* 0 is no bound inside: as a time, it is before every event */
	a = run(KCAP_BIN " read -q %s --until 0 2>&1",
		KCAP_FIXTURES "/mix.kcap", &rc);
	ck_assert_int_eq(rc, 1);
	ck_assert_ptr_nonnull(strstr(a, "before any event"));
	free(a);
	free(run(KCAP_BIN " cut -r %s -w /dev/null --since +20ms "
			  "--until +10ms 2>&1",
		 KCAP_FIXTURES "/mix.kcap", &rc));
	ck_assert_int_eq(rc, 1);

	a = run(KCAP_BIN " read -q -t n %s --since +10ms --until +20ms",
		KCAP_FIXTURES "/mix.kcap", &rc);
	ck_assert_int_eq(rc, 0);
	b = run(KCAP_BIN
		" read -q -t n %s --since 2026-11-23T19:02:44.010001237Z "
		"--until '2026-11-23 20:02:44.020001237+01:00'",
		KCAP_FIXTURES "/mix.kcap", &rc);
	ck_assert_int_eq(rc, 0);
	c = run(KCAP_BIN
		" read -q -t n %s --since 1795460564010001237 --until 1795460564020001237",
		KCAP_FIXTURES "/mix.kcap", &rc);
	ck_assert_str_eq(a, b);
	ck_assert_str_eq(a, c);
	free(b);
	/* --exact sees the same events (with the state before them replayed) */
	b = run(KCAP_BIN
		" read -q -t n -F evt.time,evt.type %s --exact --since +10ms --until +20ms",
		KCAP_FIXTURES "/mix.kcap", &rc);
	ck_assert_int_eq(rc, 0);
	ck_assert_uint_eq(count_lines(b), count_lines(a));
	ck_assert_uint_gt(count_lines(a), 500);
	ck_assert_uint_lt(count_lines(a), 1500);
	ck_assert_uint_ge(strtoull(a, NULL, 10), 1795460564010001237ull);
	free(a);
	free(b);
	free(c);
	a = run(KCAP_BIN " read %s --since yesterday 2>&1",
		KCAP_FIXTURES "/mix.kcap", &rc);
	ck_assert_int_eq(rc, 1);
	ck_assert_ptr_nonnull(strstr(a, "bad time 'yesterday'"));
	free(a);
	/* an offset no zone has, or one cut short, is a typo */
	for (size_t i = 0; i < 3; i++) {
		static const char *const bad[] = { "+25:00", "+05:60", "-05:" };
		char cmd[1024];

		snprintf(cmd, sizeof(cmd),
			 KCAP_BIN
			 " read " KCAP_FIXTURES
			 "/mix.kcap --since 2026-11-23T19:02:44%s 2>&1",
			 bad[i]);
		a = sh(cmd, &rc);
		ck_assert_int_eq(rc, 1);
		ck_assert_msg(strstr(a, "bad time"), "%s: %s", bad[i], a);
		free(a);
	}
}
END_TEST

/*
 * u64 ns end in 2554: a time past that (a date, an offset added to the
 * file's start, raw ns) is refused naming it; wrapped, a --since far
 * ahead selected every event and an --until none, with exit 0.
 */
START_TEST(a_time_past_what_u64_ns_can_hold_is_refused_not_wrapped)
{
	static const char *const cmds[] = {
		" read -q %s --since +17000000000s",
		" read -q %s --until +17000000000s",
		" read -q %s --since 2600-01-01T00:00:00Z",
		" read -q %s --until 2600-01-01T00:00:00Z",
		" read -q %s --until 2554-07-22T00:00:00+00:20",
		" read -q %s --since 18446744073709551616",
		" cut -r %s -w /dev/null --since 2600-01-01T00:00:00Z",
	};
	static const char *const vals[] = {
		"'+17000000000s'",
		"'+17000000000s'",
		"'2600-01-01T00:00:00Z'",
		"'2600-01-01T00:00:00Z'",
		"'2554-07-22T00:00:00+00:20'",
		"'18446744073709551616'",
		"'2600-01-01T00:00:00Z'",
	};

	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		char cmd[1024], *a;
		int rc;

		snprintf(cmd, sizeof(cmd), "%s%s 2>&1", KCAP_BIN, cmds[i]);
		a = run(cmd, KCAP_FIXTURES "/mix.kcap", &rc);
		ck_assert_msg(rc == 1 && strstr(a, vals[i]) &&
				      strstr(a, "2554-07-21T23:34:33"),
			      "%s: %d: %.300s", cmds[i], rc, a);
		free(a);
	}
}
END_TEST

/*
 * A file shorter than any magic is no capture at all (exit 1), not a .scap
 * cut before its first block (exit 2, "bytes of a block header"); the
 * start of a kcap magic is a kcap file header cut short.
 */
START_TEST(a_file_too_short_for_a_magic_is_no_capture_and_exits_1)
{
	const char *txt = tmppath("short.txt"), *k1 = tmppath("short1.kcap");
	static const char *const cmds[] = {
		" read %s",
		" cut -r %s -w /dev/null",
		" info %s",
	};
	char cmd[2048], *a;
	int rc;

	snprintf(cmd, sizeof(cmd),
		 "printf abc > %s && head -c 1 " KCAP_FIXTURES "/mix.kcap > %s",
		 txt, k1);
	ck_assert_int_eq(system(cmd), 0);
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		snprintf(cmd, sizeof(cmd), "%s%s 2>&1", KCAP_BIN, cmds[i]);
		a = run(cmd, txt, &rc);
		ck_assert_msg(rc == 1 && strstr(a, "not a kcap file") &&
				      !strstr(a, "block header"),
			      "%s: %d: %s", cmds[i], rc, a);
		free(a);
		a = run(cmd, k1, &rc);
		ck_assert_msg(rc == 1 && strstr(a, "file header truncated at "
						   "offset 1"),
			      "%s: %d: %s", cmds[i], rc, a);
		free(a);
	}
}
END_TEST

START_TEST(losses_are_surfaced_in_the_output)
{
	int rc;
	char *out = run(KCAP_BIN " read %s 2>&1 >/dev/null",
			KCAP_FIXTURES "/mix.kcap", &rc);

	ck_assert_ptr_nonnull(
		strstr(out, "warning: 17 events were not recorded"));
	ck_assert_ptr_nonnull(strstr(out, "results may be incomplete"));
	free(out);
	out = run(KCAP_BIN " read -q %s", KCAP_FIXTURES "/mix.kcap", &rc);
	ck_assert_ptr_nonnull(strstr(
		out,
		"# LOSS: 17 read events not recorded (ring buffer full) from 2026-11-23T19:02:44.016238372Z"));
	free(out);
	/* with several inputs, which one lost them, as for events */
	out = run(KCAP_BIN " read -q " KCAP_FIXTURES "/mix-cols.kcap %s",
		  KCAP_FIXTURES "/mix.kcap", &rc);
	ck_assert_msg(strstr(out, "\n# LOSS: [2] 17 read events"), "%.300s",
		      out);
	free(out);
	out = run(KCAP_BIN " read -q -j " KCAP_FIXTURES "/mix-cols.kcap %s",
		  KCAP_FIXTURES "/mix.kcap", &rc);
	ck_assert_ptr_nonnull(strstr(
		out, "\"reason\":1,\"src\":\"" KCAP_FIXTURES "/mix.kcap\"}\n"));
	free(out);
}
END_TEST

START_TEST(reading_a_damaged_file_says_so_and_exits_2)
{
	int rc;
	char *out = run(KCAP_BIN " read %s 2>&1 >/dev/null",
			KCAP_FIXTURES "/bad/cut-in-block.kcap", &rc);

	ck_assert_int_eq(rc, 2);
	ck_assert_ptr_nonnull(
		strstr(out, "truncated at offset 10504 after block 5"));
	free(out);
	/* the records before the damage are read: not "skipped" */
	out = run(KCAP_BIN " read %s 2>&1 >/dev/null",
		  KCAP_FIXTURES "/bad/count-mismatch.kcap", &rc);
	ck_assert_int_eq(rc, 2);
	ck_assert_msg(strstr(out, "1 corrupt and 0 missing block(s), 0 events "
				  "in the blocks skipped whole; a block "
				  "damaged in a record is read up to it"),
		      "%s", out);
	free(out);
}
END_TEST

START_TEST(stdin_reads_like_a_file)
{
	int rc;
	char *a = run(KCAP_BIN " read -q %s", KCAP_FIXTURES "/mix-lz4.kcap",
		      &rc),
	     *b = run(KCAP_BIN " read -q - < %s", KCAP_FIXTURES "/mix-lz4.kcap",
		      &rc);

	ck_assert_int_eq(rc, 0);
	ck_assert_str_eq(a, b);
	free(a);
	free(b);
}
END_TEST

/* Reads from fd until buf holds want lines; returns how many it holds. */
static size_t read_lines(int fd, char *buf, size_t cap, size_t *len,
			 size_t want)
{
	while (count_lines(buf) < want && *len < cap - 1) {
		ssize_t k = read(fd, buf + *len, cap - 1 - *len);

		if (k <= 0)
			break;
		*len += (size_t)k;
		buf[*len] = 0;
	}
	return count_lines(buf);
}

START_TEST(follow_reads_what_a_writer_adds_until_interrupted)
{
	const char *path = tmppath("growing.kcap");
	static char buf[1 << 16];
	size_t len = 0;
	struct cap c;
	int i, st, pfd[2];
	pid_t pid;

	cap_open(&c, path, 0);
	snap_proc(&c, 100, 100, 1, "sh", "/bin/sh", "/", T0);
	snap_flush(&c);
	for (i = 0; i < 100; i++)
		e_rw(&c, KCAP_EV_read, 100, T0 + (uint64_t)i * MS, 0, 1);
	ck_assert_int_eq(kcap_writer__flush(c.w), 0);
	ck_assert_int_eq(pipe(pfd), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (!pid) {
		dup2(pfd[1], 1);
		close(pfd[0]);
		execl(KCAP_BIN, "kcap", "read", "--follow", "-F",
		      "evt.num,proc.name", path, (char *)NULL);
		_exit(127);
	}
	close(pfd[1]);
	buf[0] = 0;
	/* what was there, then what the writer adds while kcap waits */
	ck_assert_uint_eq(read_lines(pfd[0], buf, sizeof(buf), &len, 100), 100);
	for (i = 100; i < 250; i++)
		e_rw(&c, KCAP_EV_read, 100, T0 + (uint64_t)i * MS, 0, 1);
	ck_assert_int_eq(kcap_writer__flush(c.w), 0);
	ck_assert_uint_eq(read_lines(pfd[0], buf, sizeof(buf), &len, 250), 250);
	kill(pid, SIGINT);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert(WIFEXITED(st));
	ck_assert_int_eq(WEXITSTATUS(st), 0);
	close(pfd[0]);
	ck_assert_ptr_nonnull(strstr(buf, "\n250 sh\n"));
	cap_close(&c);
}
END_TEST

START_TEST(follow_since_a_time_not_yet_written_waits_for_it_with_the_state)
{
	static const char argv[] = "cat\0";
	const char *path = tmppath("growing-since.kcap");
	static char buf[1 << 16];
	size_t len = 0;
	char since[32];
	struct cap c;
	int i, st, pfd[2];
	pid_t pid;

	cap_open(&c, path, 0);
	snap_proc(&c, 100, 100, 1, "sh", "/bin/sh", "/", T0);
	snap_flush(&c);
	/* before since: state only (101 becomes cat) */
	e_clone(&c, 100, T0 + 1 * MS, 100, 101, 0x11);
	e_execve(&c, 101, T0 + 2 * MS, 101, "/bin/cat", argv, sizeof(argv));
	for (i = 0; i < 10; i++)
		e_rw(&c, KCAP_EV_read, 101, T0 + (uint64_t)(3 + i) * MS, 0, 1);
	ck_assert_int_eq(kcap_writer__flush(c.w), 0);
	snprintf(since, sizeof(since), "%llu", T0 + 1000 * MS);
	ck_assert_int_eq(pipe(pfd), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (!pid) {
		dup2(pfd[1], 1);
		close(pfd[0]);
		execl(KCAP_BIN, "kcap", "read", "--follow", "--since", since,
		      "-F", "proc.pid,proc.name,evt.type,fd.num", path,
		      (char *)NULL);
		_exit(127);
	}
	close(pfd[1]);
	buf[0] = 0;
	/* kcap waits for events in range, then prints them */
	usleep(300 * 1000);
	for (i = 0; i < 5; i++)
		e_rw(&c, KCAP_EV_write, 101, T0 + (uint64_t)(2000 + i) * MS, 7,
		     1);
	ck_assert_int_eq(kcap_writer__flush(c.w), 0);
	ck_assert_uint_eq(read_lines(pfd[0], buf, sizeof(buf), &len, 5), 5);
	kill(pid, SIGINT);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert(WIFEXITED(st));
	ck_assert_int_eq(WEXITSTATUS(st), 0);
	close(pfd[0]);
	ck_assert_str_eq(buf, "101 cat write 7\n101 cat write 7\n"
			      "101 cat write 7\n101 cat write 7\n"
			      "101 cat write 7\n");
	cap_close(&c);
}
END_TEST

/* ---- analyzers ------------------------------------------------------------------------ */

static json_t *json_of(const char *cmd, const char *arg)
{
	int rc;
	char *out = run(cmd, arg, &rc);
	json_error_t e;
	json_t *j = json_loads(out, 0, &e);

	ck_assert_int_eq(rc, 0);
	ck_assert_msg(j, "%s: %.300s", e.text, out);
	free(out);
	return j;
}

START_TEST(summary_counts_types_processes_errors_and_losses)
{
	json_t *j = json_of(KCAP_BIN " read -q -S -j %s",
			    KCAP_FIXTURES "/mix.kcap");
	json_t *bt = json_object_get(j, "by_type"), *err;
	size_t i, sum = 0;

	ck_assert_int_eq(json_integer_value(json_object_get(j, "events")),
			 4000);
	ck_assert_int_eq(json_integer_value(json_object_get(bt, "read")), 1455);
	ck_assert_int_eq(json_integer_value(json_object_get(bt, "openat")),
			 553);
	ck_assert_int_eq(
		json_integer_value(json_object_get(
			json_object_get(json_object_get(j, "lost"), "by_type"),
			"read")),
		17);
	ck_assert(json_is_true(json_object_get(j, "incomplete")));
	for (i = 0; i < json_array_size(json_object_get(j, "by_process")); i++)
		sum += (size_t)json_integer_value(json_object_get(
			json_array_get(json_object_get(j, "by_process"), i),
			"events"));
	ck_assert_uint_eq(sum, 4000);
	err = json_array_get(json_object_get(j, "errors"), 0);
	ck_assert_ptr_nonnull(err);
	ck_assert_str_eq(json_string_value(json_object_get(err, "error")),
			 "ENOENT");
	json_decref(j);
	/* and as text */
	{
		int rc;
		char *out = run(KCAP_BIN " read -q -S %s",
				KCAP_FIXTURES "/mix.kcap", &rc);

		ck_assert_ptr_nonnull(strstr(out, "Events:    4000"));
		ck_assert_ptr_nonnull(
			strstr(out, "Lost:      17 events in 1 window(s)"));
		ck_assert_ptr_nonnull(strstr(
			out, "  read                         1455  36.38%"));
		free(out);
	}
}
END_TEST

/* bash(10) forks 11 which runs cat; cat writes a file, renames it, unlinks
 * another, connects; 11 exits with 3. */
static const char *scenario(void)
{
	static char path[256];
	static const char argv[] = "cat\0/etc/hosts";
	static const uint8_t la[16] = { 2, 0, 0x9c, 0x40, 127, 0, 0, 1 },
			     ra[16] = { 2, 0, 0x1f, 0x90, 127, 0, 0, 1 };
	struct cap c;

	if (path[0])
		return path;
	snprintf(path, sizeof(path), "%s", tmppath("scenario.kcap"));
	cap_open(&c, path, 0);
	snap_proc(&c, 1, 1, 0, "init", "/sbin/init", "/", T0);
	snap_proc(&c, 10, 10, 1, "bash", "/bin/bash", "/root", T0);
	snap_flush(&c);
	e_clone(&c, 10, T0 + 1 * MS, 10, 11, 0x11);
	e_execve(&c, 11, T0 + 2 * MS, 11, "/bin/cat", argv, sizeof(argv));
	e_openat(&c, 11, T0 + 3 * MS, AT_FDCWD_, "out.txt", 0x241, 3);
	e_rw(&c, KCAP_EV_write, 11, T0 + 4 * MS, 3, 100);
	e_rw(&c, KCAP_EV_write, 11, T0 + 5 * MS, 3, 50);
	e_rw(&c, KCAP_EV_read, 11, T0 + 6 * MS, 3, 7);
	{
		struct kcap_ev_rename *e =
			ev(&c, KCAP_EV_rename, 11, T0 + 7 * MS);

		e->res = 0;
		ev_var(&c, F(rename, oldpath), "out.txt");
		ev_var(&c, F(rename, newpath), "/tmp/final.txt");
		ev_end(&c);
	}
	{
		struct kcap_ev_unlink *e =
			ev(&c, KCAP_EV_unlink, 11, T0 + 8 * MS);

		e->res = 0;
		ev_var(&c, F(unlink, path), "/tmp/old.txt");
		ev_end(&c);
	}
	e_socket(&c, 11, T0 + 9 * MS, 4, 2);
	e_connect(&c, 11, T0 + 10 * MS, 4, la, sizeof(la), ra, sizeof(ra));
	e_rw(&c, KCAP_EV_write, 11, T0 + 11 * MS, 4, 300);
	e_rw(&c, KCAP_EV_read, 11, T0 + 12 * MS, 4, 1000);
	e_exit(&c, 11, T0 + 13 * MS, 11, 3);
	cap_close(&c);
	return path;
}

START_TEST(proctree_shows_the_tree_exec_lineage_and_lifetimes)
{
	json_t *j =
		json_of(KCAP_BIN " read -j --analyzer proctree %s", scenario());
	json_t *init = json_array_get(json_object_get(j, "processes"), 0),
	       *root, *child, *x;
	int rc;
	char *out;

	/* init did nothing in range, but it is bash's parent: it is the root */
	ck_assert_int_eq(json_array_size(json_object_get(j, "processes")), 1);
	ck_assert_int_eq(json_integer_value(json_object_get(init, "pid")), 1);
	root = json_array_get(json_object_get(init, "children"), 0);
	ck_assert_int_eq(json_integer_value(json_object_get(root, "pid")), 10);
	ck_assert_str_eq(json_string_value(json_object_get(root, "name")),
			 "bash");
	child = json_array_get(json_object_get(root, "children"), 0);
	ck_assert_int_eq(json_integer_value(json_object_get(child, "pid")), 11);
	ck_assert_str_eq(json_string_value(json_object_get(child, "name")),
			 "cat");
	ck_assert_int_eq(
		json_integer_value(json_object_get(child, "exit_code")), 3);
	ck_assert_uint_eq((uint64_t)json_integer_value(
				  json_object_get(child, "start_ts")),
			  T0 + 1 * MS);
	x = json_array_get(json_object_get(child, "execs"), 0);
	ck_assert_str_eq(json_string_value(json_object_get(x, "exe")),
			 "/bin/cat");
	ck_assert_str_eq(json_string_value(
				 json_array_get(json_object_get(x, "argv"), 1)),
			 "/etc/hosts");
	json_decref(j);
	out = run(KCAP_BIN " read --analyzer proctree %s", scenario(), &rc);
	ck_assert_ptr_nonnull(strstr(
		out,
		"init(1) /sbin/init [init]\n  bash(10) /bin/bash [bash]\n    cat(11) start="));
	ck_assert_ptr_nonnull(strstr(
		out, " code=3\n      exec /bin/cat [cat /etc/hosts] at "));
	free(out);
}
END_TEST

START_TEST(files_counts_opens_bytes_renames_and_deletions)
{
	json_t *j =
		json_of(KCAP_BIN " read -j --analyzer files %s", scenario());
	json_t *files = json_object_get(j, "files");
	size_t i;
	int seen = 0;

	for (i = 0; i < json_array_size(files); i++) {
		json_t *f = json_array_get(files, i);
		const char *p = json_string_value(json_object_get(f, "path"));

		if (!strcmp(p, "/root/out.txt")) {
			ck_assert_int_eq(
				json_integer_value(json_object_get(f, "opens")),
				1);
			ck_assert_int_eq(json_integer_value(json_object_get(
						 f, "bytes_written")),
					 150);
			ck_assert_int_eq(json_integer_value(json_object_get(
						 f, "bytes_read")),
					 7);
			ck_assert_int_eq(json_integer_value(json_object_get(
						 f, "renamed_from")),
					 1);
			seen++;
		} else if (!strcmp(p, "/tmp/final.txt")) {
			ck_assert_int_eq(json_integer_value(json_object_get(
						 f, "renamed_to")),
					 1);
			seen++;
		} else if (!strcmp(p, "/tmp/old.txt")) {
			ck_assert_int_eq(json_integer_value(
						 json_object_get(f, "deleted")),
					 1);
			seen++;
		}
	}
	ck_assert_int_eq(seen, 3);
	json_decref(j);
	{
		int rc;
		char *out = run(KCAP_BIN " read --analyzer files %s",
				scenario(), &rc);

		ck_assert_int_eq(rc, 0);
		ck_assert_ptr_nonnull(strstr(
			out, "       1        0        1            7        2"
			     "          150       1       0  /root/out.txt\n"));
		ck_assert_ptr_nonnull(strstr(out, "       1  /tmp/old.txt\n"));
		free(out);
	}
}
END_TEST

static void e_repeat(struct cap *c, uint32_t tid, uint64_t ts,
		     unsigned int evtype, int32_t fd, int64_t res,
		     uint64_t count)
{
	struct kcap_ev_repeat *e = ev(c, KCAP_EV_repeat, tid, ts);

	e->until = ts - 1;
	e->res = res;
	e->count = count;
	e->fd = fd;
	e->evtype = (uint16_t)evtype;
	ev_end(c);
}

static void e_loss(struct cap *c, uint64_t ts, unsigned int evtype,
		   unsigned int reason, uint64_t count)
{
	struct kcap_ev_loss *l = ev(c, KCAP_EV_loss, 0, ts);

	l->end_ts = ts + MS;
	l->count = count;
	l->cpu = UINT32_MAX;
	l->evtype = (uint16_t)evtype;
	l->reason = (uint16_t)reason;
	ck_assert_int_gt(kcap_builder__finish(&c->b), 0);
	ck_assert_int_eq(kcap_writer__write_block(c->w, KCAP_BLOCK_LOSS, c->rec,
						  l->hdr.len),
			 0);
}

/*
 * poll(20) writes 10 bytes to /data 100 times and polls a socket that
 * says EAGAIN 505 times: --dedup-ms kept one event of each run, and
 * repeat records stand for 99 and 499 more; 5 reads were in a run still
 * open when recording stopped (counted by the LOSS records only). /data
 * is closed, and its fd number taken by /other, before the run of writes
 * ends (a close ends no run).
 */
static void build_repeats(const char *path, bool ring_loss)
{
	static const uint8_t la[16] = { 2, 0, 0x9c, 0x40, 127, 0, 0, 1 },
			     ra[16] = { 2, 0, 0x1f, 0x90, 127, 0, 0, 1 };
	struct cap c;

	cap_open(&c, path, 0);
	snap_proc(&c, 20, 20, 1, "poll", "/bin/poll", "/", T0);
	snap_flush(&c);
	e_openat(&c, 20, T0 + 1 * MS, AT_FDCWD_, "/data", 0x241, 3);
	e_rw(&c, KCAP_EV_write, 20, T0 + 2 * MS, 3, 10);
	e_close(&c, 20, T0 + 2 * MS + 1, 3);
	e_openat(&c, 20, T0 + 2 * MS + 2, AT_FDCWD_, "/other", 0, 3);
	e_repeat(&c, 20, T0 + 3 * MS, KCAP_EV_write, 3, 10, 99);
	e_connect(&c, 20, T0 + 4 * MS, 4, la, sizeof(la), ra, sizeof(ra));
	e_rw(&c, KCAP_EV_read, 20, T0 + 5 * MS, 4, -11);
	e_repeat(&c, 20, T0 + 6 * MS, KCAP_EV_read, 4, -11, 499);
	e_rw(&c, KCAP_EV_read, 20, T0 + 7 * MS, 4, -11);
	ck_assert_int_eq(kcap_writer__flush(c.w), 0);
	e_loss(&c, T0 + 2 * MS, KCAP_EV_write, KCAP_LOSS_DEDUP, 99);
	e_loss(&c, T0 + 5 * MS, KCAP_EV_read, KCAP_LOSS_DEDUP, 504);
	if (ring_loss)
		e_loss(&c, T0 + 6 * MS, KCAP_EV_read, KCAP_LOSS_RINGBUF, 7);
	cap_close(&c);
}

static const char *repeats(void)
{
	static char path[256];

	if (!path[0]) {
		snprintf(path, sizeof(path), "%s", tmppath("repeats.kcap"));
		build_repeats(path, false);
	}
	return path;
}

/* repeats(), and 7 reads lost to a full ring at 6 ms */
static const char *repeats_and_ring(void)
{
	static char path[256];

	if (!path[0]) {
		snprintf(path, sizeof(path), "%s",
			 tmppath("repeats-ring.kcap"));
		build_repeats(path, true);
	}
	return path;
}

static json_int_t jint(json_t *j, const char *a, const char *b)
{
	json_t *o = json_object_get(j, a);

	ck_assert_msg(o, "no %s", a);
	if (b)
		o = json_object_get(o, b);
	ck_assert_msg(json_is_integer(o), "no %s.%s", a, b ? b : "");
	return json_integer_value(o);
}

START_TEST(analyzers_count_the_events_a_repeat_record_stands_for)
{
	json_t *j = json_of(KCAP_BIN " read -q -S -j %s", repeats()), *o;
	char *out;
	int rc;

	/* 2 openat, 1 close, 1 connect, 100 writes, 501 reads */
	ck_assert_int_eq(jint(j, "events", NULL), 605);
	ck_assert_int_eq(jint(j, "by_type", "write"), 100);
	ck_assert_int_eq(jint(j, "by_type", "read"), 501);
	ck_assert_ptr_null(
		json_object_get(json_object_get(j, "by_type"), "repeat"));
	ck_assert_int_eq(jint(j, "folded", "events"), 603);
	ck_assert_int_eq(jint(j, "folded", "counted"), 598);
	ck_assert_int_eq(jint(j, "folded", "records"), 2);
	/* folded is not lost; the 5 not counted leave it incomplete */
	ck_assert_int_eq(jint(j, "lost", "events"), 0);
	ck_assert(json_is_true(json_object_get(j, "incomplete")));
	o = json_array_get(json_object_get(j, "errors"), 0);
	ck_assert_str_eq(json_string_value(json_object_get(o, "error")),
			 "EAGAIN");
	ck_assert_int_eq(jint(o, "count", NULL), 501);
	o = json_array_get(json_object_get(j, "by_process"), 0);
	ck_assert_int_eq(jint(o, "events", NULL), 605);
	json_decref(j);
	out = run(KCAP_BIN " read -q -S %s", repeats(), &rc);
	ck_assert_int_eq(rc, 0);
	ck_assert_msg(strstr(out,
			     "Lost:      0\nFolded:    598 events into 2 "
			     "repeat record(s) (--dedup-ms): counted by "
			     "their type, their times not kept; 5 more that "
			     "no repeat record read here attributes"),
		      "%s", out);
	free(out);

	/* events folded were asked for: no warning that some were lost */
	out = run(KCAP_BIN " read -S %s 2>&1", repeats(), &rc);
	ck_assert_int_eq(rc, 0);
	ck_assert_msg(!strstr(out, "not recorded"), "%s", out);
	free(out);

	/*
	 * and with a ring loss too, the warning's window and records are
	 * the ring loss's alone (the dedup windows began at 2 and 5 ms)
	 */
	out = run(KCAP_BIN " read %s 2>&1 >/dev/null", repeats_and_ring(), &rc);
	ck_assert_int_eq(rc, 0);
	ck_assert_msg(strstr(out, "warning: 7 events were not recorded (1 loss "
				  "record(s), from 2026-11-23T19:02:44."
				  "006000000Z to 2026-11-23T19:02:44."
				  "007000000Z)"),
		      "%s", out);
	free(out);

	j = json_of(KCAP_BIN " read -q -j --analyzer files %s", repeats());
	for (size_t i = 0; i < json_array_size(json_object_get(j, "files"));
	     i++) {
		o = json_array_get(json_object_get(j, "files"), i);
		if (strcmp(json_string_value(json_object_get(o, "path")),
			   "/data"))
			continue;
		ck_assert_int_eq(jint(o, "writes", NULL), 100);
		ck_assert_int_eq(jint(o, "bytes_written", NULL), 1000);
		o = NULL;
		break;
	}
	ck_assert_msg(!o, "no /data");
	json_decref(j);

	j = json_of(KCAP_BIN " read -q -j --analyzer net %s", repeats());
	o = json_array_get(json_object_get(j, "sockets"), 0);
	ck_assert_int_eq(jint(o, "reads", NULL), 501);
	ck_assert_int_eq(jint(o, "bytes_in", NULL), 0);
	json_decref(j);
}
END_TEST

/*
 * srv(30) connects to its own unix socket /run/s.sock and accepts the
 * connection: both ends bear the path, and each one's I/O is its own
 * row's. It also connects to the abstract socket "\0bus", which is
 * named as /proc/net/unix names it.
 */
START_TEST(net_tells_the_two_ends_of_a_unix_socket_in_one_process)
{
	static const uint8_t path[] = "\1\0/run/s.sock", fam[2] = { 1, 0 },
			     abs[] = { 1, 0, 0, 'b', 'u', 's' };
	const char *file = tmppath("unixends.kcap");
	json_t *j, *socks;
	struct cap c;
	char cmd[512], *out;
	int rc, seen = 0;

	cap_open(&c, file, 0);
	snap_proc(&c, 30, 30, 1, "srv", "/bin/srv", "/", T0);
	snap_flush(&c);
	e_socket(&c, 30, T0 + 1 * MS, 3, 1);
	e_socket(&c, 30, T0 + 2 * MS, 4, 1);
	e_connect(&c, 30, T0 + 3 * MS, 4, fam, sizeof(fam), path,
		  sizeof(path) - 1);
	{
		struct kcap_ev_accept4 *e =
			ev(&c, KCAP_EV_accept4, 30, T0 + 4 * MS);

		e->res = 5;
		e->fd = 3;
		e->flags = 0;
		ev_varn(&c, F(accept4, laddr), path, sizeof(path) - 1);
		ev_varn(&c, F(accept4, raddr), fam, sizeof(fam));
		ev_end(&c);
	}
	e_rw(&c, KCAP_EV_write, 30, T0 + 5 * MS, 4, 100);
	e_rw(&c, KCAP_EV_read, 30, T0 + 6 * MS, 5, 100);
	e_rw(&c, KCAP_EV_write, 30, T0 + 7 * MS, 5, 7);
	e_rw(&c, KCAP_EV_read, 30, T0 + 8 * MS, 4, 7);
	e_socket(&c, 30, T0 + 9 * MS, 6, 1);
	e_connect(&c, 30, T0 + 10 * MS, 6, fam, sizeof(fam), abs, sizeof(abs));
	e_rw(&c, KCAP_EV_write, 30, T0 + 11 * MS, 6, 3);
	/* a client autobound to "@0001f" is named by the server's path */
	e_socket(&c, 30, T0 + 12 * MS, 7, 1);
	{
		static const uint8_t autob[] = { 1,   0,   0,	'0',
						 '0', '0', '1', 'f' };

		e_connect(&c, 30, T0 + 13 * MS, 7, autob, sizeof(autob), path,
			  sizeof(path) - 1);
	}
	e_rw(&c, KCAP_EV_write, 30, T0 + 14 * MS, 7, 5);
	cap_close(&c);

	snprintf(cmd, sizeof(cmd), KCAP_BIN " read -q -j --analyzer net %s",
		 file);
	out = sh(cmd, &rc);
	ck_assert_int_eq(rc, 0);
	j = json_loads(out, 0, NULL);
	ck_assert_msg(j, "%s", out);
	socks = json_object_get(j, "sockets");
	for (size_t i = 0; i < json_array_size(socks); i++) {
		json_t *o = json_array_get(socks, i);
		const char *role =
			json_string_value(json_object_get(o, "role"));
		const char *addr =
			json_string_value(json_object_get(o, "address"));
		json_int_t in = json_integer_value(
				   json_object_get(o, "bytes_in")),
			   outb = json_integer_value(
				   json_object_get(o, "bytes_out"));

		if (!strcmp(addr, "/run/s.sock") && !strcmp(role, "connect")) {
			ck_assert_int_eq(outb, 105);
			ck_assert_int_eq(in, 7);
			seen |= 1;
		} else if (!strcmp(addr, "/run/s.sock") &&
			   !strcmp(role, "accept")) {
			ck_assert_int_eq(in, 100);
			ck_assert_int_eq(outb, 7);
			seen |= 2;
		} else if (!strcmp(addr, "@bus")) {
			ck_assert_str_eq(role, "connect");
			ck_assert_int_eq(outb, 3);
			seen |= 4;
		} else {
			ck_abort_msg("unexpected row %s %s: %s", role, addr,
				     out);
		}
	}
	ck_assert_msg(seen == 7, "%s", out);
	json_decref(j);
	free(out);
}
END_TEST

START_TEST(net_lists_connections_with_bytes_each_way)
{
	json_t *j = json_of(KCAP_BIN " read -j --analyzer net %s", scenario());
	json_t *s = json_array_get(json_object_get(j, "sockets"), 0);
	int rc;
	char *out;

	ck_assert_int_eq(json_array_size(json_object_get(j, "sockets")), 1);
	ck_assert_str_eq(json_string_value(json_object_get(s, "role")),
			 "connect");
	ck_assert_str_eq(json_string_value(json_object_get(s, "address")),
			 "127.0.0.1:40000->127.0.0.1:8080");
	ck_assert_int_eq(json_integer_value(json_object_get(s, "bytes_out")),
			 300);
	ck_assert_int_eq(json_integer_value(json_object_get(s, "bytes_in")),
			 1000);
	ck_assert_str_eq(json_string_value(json_object_get(s, "proc")), "cat");
	json_decref(j);
	out = run(KCAP_BIN " read --analyzer net %s", scenario(), &rc);
	ck_assert_ptr_nonnull(strstr(out, "connect  ipv4    cat(11)"));
	free(out);
}
END_TEST

START_TEST(an_analyzer_loads_from_a_shared_object)
{
	int rc;
	char cmd[1024], *out;

	snprintf(cmd, sizeof(cmd), KCAP_BIN " read --analyzer %s:/root %s",
		 KCAP_EXAMPLE_SO, scenario());
	out = sh(cmd, &rc);
	ck_assert_int_eq(rc, 0);
	ck_assert_ptr_nonnull(strstr(out, "example: bash 1\n"));
	ck_assert_ptr_nonnull(strstr(out, "example: cat 12\n"));
	ck_assert_ptr_nonnull(strstr(
		out,
		"example: 150 bytes written under /root, 0 lost, 1 input(s)\n"));
	free(out);
	/* with a filter, and another analyzer beside it */
	snprintf(cmd, sizeof(cmd),
		 KCAP_BIN " read -q --analyzer %s -S %s proc.name=nginx",
		 KCAP_EXAMPLE_SO, KCAP_FIXTURES "/mix.kcap");
	out = sh(cmd, &rc);
	ck_assert_int_eq(rc, 0);
	ck_assert_ptr_nonnull(strstr(out, "17 lost, 1 input(s)"));
	ck_assert_ptr_nonnull(strstr(out, "Events:    "));
	free(out);
	out = sh(KCAP_BIN " read --analyzer ./nonexistent.so " KCAP_FIXTURES
			  "/mix.kcap 2>&1",
		 &rc);
	ck_assert_int_eq(rc, 1);
	ck_assert_ptr_nonnull(strstr(out, "cannot load analyzer"));
	free(out);
}
END_TEST

#ifdef KCAP_HAVE_CONVERT
/* Legacy .scap captures read through the converter, on the fly. */
START_TEST(scap_files_read_like_kcap_files)
{
	char path[512], *out;
	int rc;
	json_t *j;

	snprintf(path, sizeof(path), "%s/curl_google.scap", KCAP_SCAP_FIXTURES);
	if (access(path, R_OK)) {
		fprintf(stderr, "skipped: no %s\n", path);
		return;
	}
	out = run(KCAP_BIN " read -q -j %s", path, &rc);
	ck_assert_int_eq(rc, 0);
	ck_assert_uint_gt(json_lines(out, "proc"), 500);
	free(out);
	j = json_of(KCAP_BIN " read -q -j --analyzer net %s", path);
	ck_assert_str_eq(
		json_string_value(json_object_get(
			json_array_get(json_object_get(j, "sockets"), 0),
			"proc")),
		"curl");
	json_decref(j);
	out = run(
		KCAP_BIN
		" read -q %s 'proc.name=curl and fd.rport=53' --since +10ms -c 1",
		path, &rc);
	ck_assert_int_eq(rc, 0);
	ck_assert_ptr_nonnull(strstr(out, "->[2001:4860:4860::8888]:53>"));
	free(out);
}
END_TEST

/* cut takes a .scap as read does, +OFFSET times counted from its start */
START_TEST(cut_takes_a_scap_as_read_does)
{
	const char *out = tmppath("cutscap.kcap");
	char path[512], want[2048], got[2048];

	snprintf(path, sizeof(path), "%s/curl_google.scap", KCAP_SCAP_FIXTURES);
	if (access(path, R_OK)) {
		fprintf(stderr, "skipped: no %s\n", path);
		return;
	}
	snprintf(want, sizeof(want), KCAP_BIN " read -q %s --since +10ms",
		 path);
	snprintf(got, sizeof(got),
		 KCAP_BIN
		 " cut -r %s -w %s --since +10ms 2>/dev/null && " KCAP_BIN
		 " read -q %s",
		 path, out, out);
	same_output(want, got, 50);
}
END_TEST
#endif

/* ---- cut ------------------------------------------------------------------------------- */

/*
 * A traced program chooses its name, its fds' paths and its argv: in
 * the text outputs they are escaped as the event line's arguments are.
 * A path with a newline made one event two lines, and an ESC reached
 * the terminal, from the fd's <name>, the comm, proctree and -S.
 */
START_TEST(names_paths_and_argv_are_escaped_in_every_text_output)
{
	static const char *const outs[] = { "", "--analyzer proctree", "-S",
					    "--analyzer files",
					    "-F proc.name,fd.name" };
	static const char argv[] = "x\033]0;pwned\007\0a\nb";
	const char *path = tmppath("escape.kcap");
	struct cap c;

	cap_open(&c, path, 0);
	snap_proc(&c, 1, 1, 0, "init", "/sbin/init", "/", T0);
	snap_proc(&c, 20, 20, 1, "ev\033[31mil\nx", "/bin/e\nvil", "/", T0);
	snap_fd(&c, 20, 3, KCAP_FD_FILE, "/tmp/a\nb\033[31mc", T0);
	snap_flush(&c);
	e_rw(&c, KCAP_EV_write, 20, T0 + 1 * MS, 3, 10);
	e_clone(&c, 20, T0 + 2 * MS, 20, 21, 0x11);
	e_execve(&c, 21, T0 + 3 * MS, 21, "/bin/e\033vil", argv, sizeof(argv));
	e_rw(&c, KCAP_EV_write, 21, T0 + 4 * MS, 3, 10);
	cap_close(&c);

	for (size_t i = 0; i < sizeof(outs) / sizeof(outs[0]); i++) {
		char cmd[1024], *out, *line, *save = NULL;
		int rc;

		snprintf(cmd, sizeof(cmd), KCAP_BIN " read -q %s %s", outs[i],
			 path);
		out = sh(cmd, &rc);
		ck_assert_msg(rc == 0, "%s: %d", cmd, rc);
		ck_assert_msg(!strchr(out, '\033') && !strchr(out, '\007'),
			      "%s: a control byte: %s", cmd, out);
		for (line = strtok_r(out, "\n", &save); line;
		     line = strtok_r(NULL, "\n", &save))
			ck_assert_msg(strncmp(line, "b", 1) &&
					      strncmp(line, "il", 2) &&
					      strncmp(line, "vil", 3),
				      "%s: a name went on to a line of its own",
				      cmd);
		free(out);
	}
}
END_TEST

/*
 * A filter word that ends as a capture's name does is still the filter:
 * 'fd.name endswith .kcap' was taken for a file ("cannot open").
 */
START_TEST(a_filter_ending_in_kcap_is_a_filter_not_a_file)
{
	char *out;
	int rc;

	out = run(KCAP_BIN " read -q -r %s 'fd.name endswith .kcap' 2>&1",
		  scenario(), &rc);
	ck_assert_msg(rc == 0, "%d: %s", rc, out);
	free(out);
	out = run(KCAP_BIN " read -q %s 'fd.name endswith .kcap' 2>&1",
		  scenario(), &rc);
	ck_assert_msg(rc == 0, "%d: %s", rc, out);
	free(out);
}
END_TEST

/*
 * A corrupt SNAPSHOT block: the cut's state is built without it, and the
 * cut says so and exits 2 (it exited 0 without a word, and the slice had
 * no snapshot).
 */
START_TEST(a_cut_of_a_file_with_a_corrupt_snapshot_says_so)
{
	const char *bad = tmppath("badsnap.kcap"),
		   *out = tmppath("badsnap-cut.kcap");
	char cmd[2048], *msg, *buf, *at;
	size_t len;
	FILE *f;
	int rc;

	/* a copy whose SNAPSHOT is stored as is (no codec) */
	snprintf(cmd, sizeof(cmd), KCAP_BIN " cut -r %s -z none -w %s 2>&1",
		 scenario(), bad);
	free(sh(cmd, &rc));
	ck_assert_int_eq(rc, 0);
	f = fopen(bad, "rb");
	ck_assert_ptr_nonnull(f);
	fseek(f, 0, SEEK_END);
	len = (size_t)ftell(f);
	rewind(f);
	buf = malloc(len);
	ck_assert_uint_eq(fread(buf, 1, len, f), len);
	fclose(f);
	/* the snapshot's "/bin/bash" */
	for (at = buf; at + 9 <= buf + len && memcmp(at, "/bin/bash", 9); at++)
		;
	ck_assert_ptr_ne(at + 9 <= buf + len ? at : NULL, NULL);
	at[5] ^= 0x20;
	f = fopen(bad, "wb");
	ck_assert_uint_eq(fwrite(buf, 1, len, f), len);
	fclose(f);
	free(buf);
	snprintf(cmd, sizeof(cmd), KCAP_BIN " cut -r %s -w %s 2>&1", bad, out);
	msg = sh(cmd, &rc);
	ck_assert_msg(rc == 2, "%d: %s", rc, msg);
	ck_assert_msg(strstr(msg, "corrupt"), "%s", msg);
	free(msg);
}
END_TEST

/*
 * A connect that failed leaves its socket unnamed: the net analyzer's
 * row for it is named by the address it was given, and counts the
 * failure (no failure was ever counted).
 */
START_TEST(net_counts_a_failed_connect_under_the_address_it_was_given)
{
	static const uint8_t ra[16] = { 2, 0, 0x1f, 0x90, 127, 0, 0, 1 };
	const char *path = tmppath("connfail.kcap");
	char *out;
	struct cap c;
	int rc;

	cap_open(&c, path, 0);
	snap_proc(&c, 10, 10, 1, "client", "/bin/client", "/", T0);
	snap_flush(&c);
	e_socket(&c, 10, T0 + MS, 5, 2);
	{
		struct kcap_ev_connect *e =
			ev(&c, KCAP_EV_connect, 10, T0 + 2 * MS);

		e->res = -111; /* ECONNREFUSED */
		e->fd = 5;
		ev_varn(&c, F(connect, addr), ra, sizeof(ra));
		ev_end(&c);
	}
	cap_close(&c);
	out = run(KCAP_BIN " read -q -j --analyzer net %s", path, &rc);
	ck_assert_int_eq(rc, 0);
	ck_assert_msg(strstr(out, "\"address\":\"->127.0.0.1:8080\"") &&
			      strstr(out, "\"failed\":1"),
		      "%s", out);
	free(out);
}
END_TEST

/*
 * A clone whose result is past INT32_MAX (random records have one with
 * these seeds) names no child: proctree said "Cannot allocate memory"
 * and exited 1.
 */
START_TEST(proctree_passes_over_a_clone_whose_child_is_no_pid)
{
	static const int seeds[] = { 3, 21 };
	const char *path = tmppath("clonepid.kcap");

	for (size_t i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++) {
		char cmd[1024], *out;
		int rc;

		snprintf(cmd, sizeof(cmd),
			 KCAP_SYNTH_BIN
			 " --random -n 20000 -s %d -w %s && " KCAP_BIN
			 " read -q --analyzer proctree %s 2>&1 "
			 ">/dev/null",
			 seeds[i], path, path);
		out = sh(cmd, &rc);
		ck_assert_msg(rc == 0, "seed %d: %s", seeds[i], out);
		free(out);
	}
}
END_TEST

START_TEST(cut_writes_a_slice_that_reads_alone)
{
	const char *big = tmppath("cutsrc.kcap"), *out = tmppath("cut.kcap");
	char cmd[2048], *a, *b, *msg;
	int rc;

	/* small blocks, so that most of the slice is copied as stored */
	snprintf(cmd, sizeof(cmd),
		 KCAP_SYNTH_BIN " -n 20000 -b 8192 -z lz4 -w %s", big);
	free(sh(cmd, &rc));
	ck_assert_int_eq(rc, 0);
	snprintf(cmd, sizeof(cmd),
		 KCAP_BIN " cut -r %s -w %s --since +50ms --until +150ms 2>&1",
		 big, out);
	msg = sh(cmd, &rc);
	ck_assert_msg(rc == 0, "%s", msg);
	ck_assert_ptr_nonnull(strstr(msg, "blocks copied as stored"));
	ck_assert_ptr_null(strstr(msg, "(0 blocks copied"));
	free(msg);
	snprintf(cmd, sizeof(cmd),
		 KCAP_BIN " read -q %s --since +50ms --until +150ms --exact",
		 big);
	a = sh(cmd, &rc);
	snprintf(cmd, sizeof(cmd), KCAP_BIN " read %s", out);
	b = sh(cmd, &rc);
	ck_assert_int_eq(rc, 0); /* a whole file, on its own */
	ck_assert_uint_gt(count_lines(a), 5000);
	ck_assert_str_eq(a, b); /* same events, same processes and fd names */
	free(a);
	free(b);

	/* with a filter: record by record */
	snprintf(
		cmd, sizeof(cmd),
		KCAP_BIN
		" cut -r %s -w %s --since +50ms 'evt.type=openat and fd.name startswith /etc' 2>&1",
		big, out);
	free(sh(cmd, &rc));
	ck_assert_int_eq(rc, 0);
	snprintf(
		cmd, sizeof(cmd),
		KCAP_BIN
		" read -q %s --since +50ms --exact 'evt.type=openat and fd.name startswith /etc'",
		big);
	a = sh(cmd, &rc);
	snprintf(cmd, sizeof(cmd),
		 KCAP_BIN
		 " read %s 'evt.type=openat and fd.name startswith /etc'",
		 out);
	b = sh(cmd, &rc);
	ck_assert_int_eq(rc, 0);
	ck_assert_uint_gt(count_lines(a), 100);
	ck_assert_str_eq(a, b);
	free(a);
	free(b);
	/* --only-matching keeps nothing else */
	snprintf(
		cmd, sizeof(cmd),
		KCAP_BIN
		" cut -r %s -w %s --only-matching 'evt.type=close' 2>&1 && " KCAP_BIN
		" read -F evt.type %s | sort -u",
		big, out, out);
	a = sh(cmd, &rc);
	ck_assert_int_eq(rc, 0);
	ck_assert_ptr_nonnull(strstr(a, "\nclose\n"));
	ck_assert_uint_eq(count_lines(a), 2);
	free(a);
	/* the slice starts with a snapshot */
	snprintf(cmd, sizeof(cmd), KCAP_BIN " info %s", out);
	a = sh(cmd, &rc);
	ck_assert_int_eq(rc, 0);
	ck_assert_ptr_nonnull(strstr(a, "SNAPSHOT"));
	free(a);
}
END_TEST

START_TEST(cut_to_the_end_of_a_file_reads_like_the_file)
{
	const char *out = tmppath("cutend.kcap");
	char cmd[2048], *a, *b;
	int rc;

	snprintf(cmd, sizeof(cmd),
		 KCAP_BIN " cut -r " KCAP_FIXTURES
			  "/mix.kcap -w %s --since +20ms 2>&1",
		 out);
	a = sh(cmd, &rc);
	ck_assert_msg(rc == 0, "%s", a);
	free(a);
	/* a slice's snapshot is exact at its start */
	a = sh(KCAP_BIN " read -q " KCAP_FIXTURES
			"/mix.kcap --since +20ms --exact",
	       &rc);
	snprintf(cmd, sizeof(cmd), KCAP_BIN " read -q %s", out);
	b = sh(cmd, &rc);
	ck_assert_int_eq(rc, 0);
	ck_assert_uint_gt(count_lines(a), 1000);
	ck_assert_str_eq(a, b);
	free(a);
	free(b);
}
END_TEST

/*
 * A slice that starts after the last event holds no events, but its
 * snapshot still says what was running then: bash, not cat (which
 * exited), with and without a filter.
 */
START_TEST(a_cut_past_the_last_event_keeps_the_state_at_its_start)
{
	static const char *const filters[] = { "", "proc.name=cat" };
	const char *out = tmppath("cutpast.kcap");
	char cmd[2048], *msg;
	int rc;

	for (size_t i = 0; i < 2; i++) {
		struct kcap_reader *r;
		const struct kcap_hdr *h;
		int procs = 0, bash = 0;

		snprintf(cmd, sizeof(cmd),
			 KCAP_BIN " cut -r %s -w %s --since +10s %s 2>&1",
			 scenario(), out, filters[i]);
		msg = sh(cmd, &rc);
		ck_assert_msg(rc == 0, "%s", msg);
		free(msg);
		r = kcap_reader__open(out, NULL);
		ck_assert_ptr_nonnull(r);
		while (kcap_reader__next_record(r, &h) == 1) {
			const struct kcap_ev_snap_proc *p = (const void *)h;

			ck_assert_uint_ne(kcap_reader__block(r)->type,
					  KCAP_BLOCK_EVENTS);
			if (h->type != KCAP_EV_snap_proc)
				continue;
			procs++;
			bash += h->tid == 10 && p->tgid == 10;
		}
		kcap_reader__close(r);
		ck_assert_int_eq(procs, 2); /* init and bash */
		ck_assert_int_eq(bash, 1);
	}
}
END_TEST

START_TEST(cut_merges_several_inputs)
{
	const char *p1 = tmppath("cm1.kcap"), *p2 = tmppath("cm2.kcap"),
		   *out = tmppath("cm.kcap");
	char cmd[2048], *a, *b;
	int rc;

	snprintf(cmd, sizeof(cmd),
		 KCAP_SYNTH_BIN " -n 2000 -s 1 -w %s && " KCAP_SYNTH_BIN
				" -n 2000 -s 2 -w %s",
		 p1, p2);
	free(sh(cmd, &rc));
	snprintf(cmd, sizeof(cmd),
		 KCAP_BIN " cut -r %s -r %s -w %s 2>/dev/null", p1, p2, out);
	free(sh(cmd, &rc));
	ck_assert_int_eq(rc, 0);
	snprintf(cmd, sizeof(cmd),
		 KCAP_BIN
		 " read -q -F evt.time,thread.tid,evt.type,evt.res %s %s",
		 p1, p2);
	a = sh(cmd, &rc);
	snprintf(cmd, sizeof(cmd),
		 KCAP_BIN " read -q -F evt.time,thread.tid,evt.type,evt.res %s",
		 out);
	b = sh(cmd, &rc);
	ck_assert_uint_eq(count_lines(a), 4000);
	ck_assert_str_eq(a, b);
	free(a);
	free(b);
}
END_TEST

/*
 * A process that its input's snapshot read after the cut point keeps that
 * later time in the slice's snapshot: the events between the two are in
 * its state already, and a reader of the slice must not apply them again.
 */
START_TEST(cut_keeps_the_time_each_process_was_read)
{
	const char *in = tmppath("cutwalk.kcap"), *out = tmppath("cutw.kcap");
	static const char *const cuts[] = {
		"",
		"--since 1795460564000500000",
		"--since 1795460564000500000 'proc.pid=100'",
		"'proc.pid=100'",
	};
	char cmd[2048], *a;
	struct cap c;
	size_t i;
	int rc;

	cap_open(&c, in, 0);
	snap_proc(&c, 1, 1, 0, "init", "/sbin/init", "/", T0);
	snap_proc(&c, 100, 100, 1, "sh", "/bin/sh", "/home/sub", T0 + 5 * MS);
	snap_flush(&c);
	e_chdir(&c, 100, T0 + 1 * MS, "sub");
	e_rw(&c, KCAP_EV_read, 1, T0 + 2 * MS, 0, 1);
	e_openat(&c, 100, T0 + 6 * MS, AT_FDCWD_, "x", 0, 3);
	cap_close(&c);

	a = run(KCAP_BIN " read -F fd.name %s evt.type=openat", in, &rc);
	ck_assert_int_eq(rc, 0);
	ck_assert_str_eq(a, "/home/sub/x\n");
	free(a);
	for (i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
		snprintf(cmd, sizeof(cmd),
			 KCAP_BIN
			 " cut -r %s -w %s %s >/dev/null 2>&1 && " KCAP_BIN
			 " read -F fd.name %s evt.type=openat",
			 in, out, cuts[i], out);
		a = sh(cmd, &rc);
		ck_assert_msg(rc == 0, "cut %s: %s", cuts[i], a);
		ck_assert_msg(!strcmp(a, "/home/sub/x\n"), "cut %s: %s",
			      cuts[i], a);
		free(a);
	}
}
END_TEST

/*
 * Past a file size limit (ulimit -f), SIGXFSZ would kill kcap cut without
 * a word: it says the write failed, and why.
 */
START_TEST(cut_past_a_file_size_limit_says_so)
{
	const char *out = tmppath("cutlimit.kcap");
	char cmd[2048], *a;
	int rc;

	/* at its default, as most shells give it, whatever runs the tests */
	signal(SIGXFSZ, SIG_DFL);
	snprintf(cmd, sizeof(cmd),
		 "ulimit -f 4; exec " KCAP_BIN " cut -r " KCAP_FIXTURES
		 "/mix.kcap -w %s 2>&1",
		 out);
	a = sh(cmd, &rc);
	ck_assert_msg(rc == 1, "%d: %s", rc, a);
	ck_assert_msg(strstr(a, "File too large"), "%s", a);
	free(a);
}
END_TEST

/*
 * A filtered cut keeps every matching event. mix.kcap is of an older
 * schema: its records are decoded into one buffer, and a cut skipped
 * every event at the address of the last state event it had kept.
 */
START_TEST(a_filtered_cut_keeps_every_matching_event)
{
	static const char *filters[] = {
		"evt.type=read",
		"evt.type in (read,write) and fd.type=file",
	};
	const char *out = tmppath("cutfilter.kcap");
	char want[2048], got[2048];

	for (size_t i = 0; i < 2; i++) {
		snprintf(want, sizeof(want),
			 KCAP_BIN " read -q " KCAP_FIXTURES "/mix.kcap '%s'",
			 filters[i]);
		snprintf(got, sizeof(got),
			 KCAP_BIN
			 " cut -r " KCAP_FIXTURES
			 "/mix.kcap -w %s '%s' 2>/dev/null && " KCAP_BIN
			 " read -q %s '%s'",
			 out, filters[i], out, filters[i]);
		same_output(want, got, 300);
	}
}
END_TEST

/*
 * A cut of a damaged input writes what came before the damage and exits
 * 2, as kcap read does, whether blocks are copied or events filtered;
 * a capture cut short on a pipe is damaged too.
 */
START_TEST(cut_and_read_of_a_damaged_input_exit_2)
{
	static const char *bad[] = { "payload-checksum", "seq-gap", "no-footer",
				     "cut-in-block" };
	const char *out = tmppath("cutbad.kcap");
	char cmd[2048];
	int rc;

	/* blocks copied, then events through the engine (a filter) */
	for (size_t i = 0; i < 2 * sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(cmd, sizeof(cmd),
			 KCAP_BIN " cut -r " KCAP_FIXTURES
				  "/bad/%s.kcap -w %s %s 2>/dev/null",
			 bad[i / 2], out, i & 1 ? "proc.pid\\>0" : "");
		free(sh(cmd, &rc));
		ck_assert_msg(rc == 2, "%s%s: %d", bad[i / 2],
			      i & 1 ? ", filtered" : "", rc);
	}
	/* a whole file on a pipe is not damaged; one cut short is */
	free(sh("cat " KCAP_FIXTURES "/mix.kcap | " KCAP_BIN
		" read -q - >/dev/null",
		&rc));
	ck_assert_int_eq(rc, 0);
	free(sh("head -c 38240 " KCAP_FIXTURES "/mix.kcap | " KCAP_BIN
		" read -q - >/dev/null",
		&rc));
	ck_assert_int_eq(rc, 2);
}
END_TEST

/*
 * Output that cannot be written is an error (a full disk), for the
 * printer and the analyzers alike; a reader that goes away (| head) ends
 * the run early and quietly.
 */
START_TEST(read_says_when_it_cannot_write_and_stops_when_the_reader_goes)
{
	const char *rcf = tmppath("piperc");
	char cmd[2048], *a;
	struct stat st;
	int rc;

	if (stat("/dev/full", &st) || !S_ISCHR(st.st_mode)) {
		printf("%s: SKIPPED: no /dev/full device here\n", __func__);
		return;
	}
	a = sh(KCAP_BIN " read -q " KCAP_FIXTURES "/mix.kcap 2>&1 >/dev/full",
	       &rc);
	ck_assert_msg(rc == 1 && strstr(a, "No space left"), "%d: %s", rc, a);
	free(a);
	a = sh(KCAP_BIN " read -q -S " KCAP_FIXTURES
			"/mix.kcap 2>&1 >/dev/full",
	       &rc);
	ck_assert_msg(rc == 1 && strstr(a, "No space left"), "%d: %s", rc, a);
	free(a);
	/*
	 * The input never ends (the file over and over, until a write to
	 * kcap fails): a reader that kept decoding after head went away
	 * would read on until timeout killed it (124); one that stops at
	 * its first failed write is done at once, and so is the input.
	 */
	snprintf(cmd, sizeof(cmd),
		 "{ (while cat " KCAP_FIXTURES
		 "/mix.kcap 2>/dev/null; do :; done) | timeout 20 " KCAP_BIN
		 " read -q -; echo $? > %s; } | head -1 >/dev/null; cat %s",
		 rcf, rcf);
	a = sh(cmd, &rc);
	ck_assert_str_eq(a, "0\n"); /* 124: timeout killed it */
	free(a);
}
END_TEST

/*
 * -F and CSV print a traced program's bytes escaped as the event line
 * does: one event, one line, nothing but printable ASCII (random.kcap's
 * data holds every byte value).
 */
START_TEST(fields_print_a_programs_bytes_escaped)
{
	static const char *how[] = { "-F evt.num,data,fd.name,proc.args",
				     "--format csv -F evt.num,data" };
	char cmd[2048], *a, *n;
	int rc;

	n = sh(KCAP_BIN " read -q -F evt.num " KCAP_FIXTURES "/random.kcap",
	       &rc);
	for (size_t k = 0; k < 2; k++) {
		snprintf(cmd, sizeof(cmd),
			 KCAP_BIN " read -q %s " KCAP_FIXTURES "/random.kcap",
			 how[k]);
		a = sh(cmd, &rc);
		ck_assert_int_eq(rc, 0);
		for (const char *p = a; *p; p++)
			ck_assert_msg(*p == '\n' || (*p >= 0x20 && *p < 0x7f),
				      "byte %#x at %zu", (unsigned char)*p,
				      (size_t)(p - a));
		/* csv: a header line more */
		ck_assert_uint_eq(count_lines(a), count_lines(n) + k);
		ck_assert_ptr_nonnull(strstr(a, "\\x"));
		free(a);
	}
	free(n);
}
END_TEST

/*
 * Whether the data= of a -A, -x or -X line ends with the dots the text
 * output puts after data the snaplen cut: after the hex digits of -x, or
 * after the closing quote of the ASCII, the line's last quote (what comes
 * after data in these lines, flags and the result, is never quoted).
 */
static bool dump_marks_cut(const char *line, bool hex_only)
{
	size_t n = strcspn(line, "\n");
	char *l = strndup(line, n), *p = strstr(l, " data=");
	bool cut;

	ck_assert_msg(p, "no data= in %.200s", l);
	if (hex_only) {
		for (p += 6; isxdigit((unsigned char)*p); p++)
			;
	} else {
		p = strrchr(l, '"');
		ck_assert_ptr_nonnull(p);
		p++;
	}
	cut = !strncmp(p, "...", 3);
	free(l);
	return cut;
}

#define IO_EVENTS KCAP_FIXTURES "/mix.kcap 'evt.type in (read,write,recvfrom)'"

START_TEST(ascii_and_hex_dumps_mark_data_the_snaplen_cut_as_the_text_does)
{
	static const char *modes[] = { "-A", "-x", "-X" };
	char cmd[1024], *js, *dump, *jl, *dl;
	size_t k, cut, lines;
	int rc;

	js = sh(KCAP_BIN " read -q --format json " IO_EVENTS, &rc);
	ck_assert_int_eq(rc, 0);
	for (k = 0; k < 3; k++) {
		snprintf(cmd, sizeof(cmd), KCAP_BIN " read -q %s " IO_EVENTS,
			 modes[k]);
		dump = sh(cmd, &rc);
		ck_assert_int_eq(rc, 0);
		cut = lines = 0;
		/* line for line, the dump marks what JSON says was cut */
		for (jl = js, dl = dump; *jl && *dl; lines++) {
			char *j = strndup(jl, strcspn(jl, "\n"));
			bool want = strstr(j, "\"data_cut\":true");

			if (!strncmp(dl, "# LOSS", 6)) {
				ck_assert_ptr_nonnull(
					strstr(j, "\"type\":\"loss\""));
			} else {
				bool got = dump_marks_cut(dl, k == 1);

				ck_assert_msg(got == want,
					      "%s, line %zu: %.300s", modes[k],
					      lines + 1, dl);
				cut += want;
			}
			free(j);
			jl = strchr(jl, '\n') + 1;
			dl = strchr(dl, '\n') + 1;
		}
		ck_assert_msg(!*jl && !*dl, "%s: not as many lines", modes[k]);
		ck_assert_uint_gt(cut, 100);
		ck_assert_uint_gt(lines, cut);
		free(dump);
	}
	free(js);
}
END_TEST

/*
 * Merged inputs where one starts later: its snapshot comes after the
 * slice's own, and the slice gets the state it adds (its processes were
 * nameless in the slice, where reading the inputs named them).
 */
START_TEST(cut_of_inputs_that_start_apart_keeps_each_ones_state)
{
	const char *s1 = tmppath("ca1.kcap"), *s2 = tmppath("ca2.kcap"),
		   *late = tmppath("ca2late.kcap"), *out = tmppath("ca.kcap");
	char want[2048], got[2048];

	snprintf(
		want, sizeof(want),
		KCAP_SYNTH_BIN
		" -n 3000 -s 1 -w %s && " KCAP_SYNTH_BIN
		" -n 3000 -s 2 -w %s && " KCAP_BIN
		" cut -r %s -w %s --since +10ms 2>/dev/null && " KCAP_BIN
		" read -q -F evt.time,proc.name,thread.tid,evt.type,fd.name %s %s",
		s1, s2, s2, late, s1, late);
	snprintf(
		got, sizeof(got),
		KCAP_BIN
		" cut -r %s -r %s -w %s 2>/dev/null && " KCAP_BIN
		" read -q -F evt.time,proc.name,thread.tid,evt.type,fd.name %s",
		s1, late, out, out);
	same_output(want, got, 4000);
}
END_TEST

/*
 * A pipe is read once: from stdin or by name (a FIFO, <(...)), read and
 * cut take every event of it, and the MACHINE block (cut opened it again
 * for that, and so ate stdin or hung on a FIFO).
 */
START_TEST(pipes_read_and_cut_like_files)
{
	const char *out = tmppath("cutpipe.kcap"), *fifo = tmppath("fifo");
	char cmd[2048], *b;
	int rc;

	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	/* the writer is killed if kcap never opened the FIFO */
	snprintf(cmd, sizeof(cmd),
		 "cat " KCAP_FIXTURES "/mix.kcap > %s & " KCAP_BIN
		 " read -q %s; s=$?; kill $! 2>/dev/null; exit $s",
		 fifo, fifo);
	same_output(KCAP_BIN " read -q " KCAP_FIXTURES "/mix.kcap", cmd, 4000);
	snprintf(cmd, sizeof(cmd),
		 "cat " KCAP_FIXTURES "/mix.kcap | " KCAP_BIN
		 " cut -r - -w %s 2>/dev/null && " KCAP_BIN " read -q %s",
		 out, out);
	same_output(KCAP_BIN " read -q " KCAP_FIXTURES "/mix.kcap", cmd, 4000);
	snprintf(cmd, sizeof(cmd),
		 "cat " KCAP_FIXTURES "/mix.kcap > %s & " KCAP_BIN
		 " cut -r %s -w %s 2>/dev/null; kill $! 2>/dev/null; " KCAP_BIN
		 " info %s",
		 fifo, fifo, out, out);
	b = sh(cmd, &rc);
	ck_assert_int_eq(rc, 0);
	ck_assert_ptr_nonnull(strstr(b, "MACHINE 1"));
	ck_assert_ptr_nonnull(strstr(b, "Events:        4000"));
	free(b);
	unlink(fifo);
}
END_TEST

/*
 * -j with -F: objects of those fields only (-F was ignored); --normalize
 * with -F or CSV, which it cannot renumber, is refused rather than
 * ignored.
 */
START_TEST(json_with_F_holds_those_fields_and_normalize_refuses_F)
{
	json_t *j = json_of(KCAP_BIN " read -q -j -c 1 -F evt.num,proc.name,"
				     "fd.name %s",
			    KCAP_FIXTURES "/mix.kcap");
	char *a;
	int rc;

	ck_assert_uint_eq(json_object_size(j), 3);
	ck_assert_int_eq(json_integer_value(json_object_get(j, "evt.num")), 1);
	ck_assert_str_eq(json_string_value(json_object_get(j, "proc.name")),
			 "nginx");
	ck_assert(json_is_null(json_object_get(j, "fd.name")));
	json_decref(j);
	a = sh(KCAP_BIN " read -q --normalize -F evt.num " KCAP_FIXTURES
			"/mix.kcap 2>&1",
	       &rc);
	ck_assert_msg(rc == 1 && strstr(a, "--normalize"), "%d: %s", rc, a);
	free(a);
	a = sh(KCAP_BIN " read -q --normalize --format csv " KCAP_FIXTURES
			"/mix.kcap 2>&1",
	       &rc);
	ck_assert_int_eq(rc, 1);
	free(a);
}
END_TEST

/* -c 1x was 1, -F '' printed whole events; a bad field is named. */
START_TEST(bad_counts_and_field_lists_are_refused_naming_the_field)
{
	char *a;
	int rc;

	free(sh(KCAP_BIN " read -q -c 1x " KCAP_FIXTURES "/mix.kcap 2>&1",
		&rc));
	ck_assert_int_eq(rc, 1);
	free(sh(KCAP_BIN " read -q -F '' " KCAP_FIXTURES "/mix.kcap 2>&1",
		&rc));
	ck_assert_int_eq(rc, 1);
	a = sh(KCAP_BIN " read -q -F evt.num,nosuch.field " KCAP_FIXTURES
			"/mix.kcap 2>&1",
	       &rc);
	ck_assert_msg(rc == 1 && strstr(a, "'nosuch.field'"), "%d: %s", rc, a);
	free(a);
}
END_TEST

/*
 * The slice keeps its input's MACHINE block through a seek to --since
 * (the engine passes it by), and takes MACHINE and SNAPSHOT records from
 * those blocks only: random.kcap's EVENTS blocks hold events of those
 * types, which made a MACHINE of random bytes and a SNAPSHOT each.
 */
START_TEST(cut_keeps_the_machine_block_and_meta_only_from_meta_blocks)
{
	static const char *how[] = { "--since +10ms",
				     "-r " KCAP_FIXTURES "/random.kcap",
				     "-r " KCAP_FIXTURES
				     "/random.kcap --since +10ms" };
	const char *out = tmppath("cutmeta.kcap");
	char cmd[2048], *a;
	int rc;

	for (size_t i = 0; i < 3; i++) {
		snprintf(cmd, sizeof(cmd),
			 KCAP_BIN " cut -r " KCAP_FIXTURES
				  "/mix.kcap %s -w %s 2>/dev/null && " KCAP_BIN
				  " info %s",
			 how[i], out, out);
		a = sh(cmd, &rc);
		ck_assert_int_eq(rc, 0);
		ck_assert_msg(strstr(a, "MACHINE 1, SNAPSHOT 1,") &&
				      strstr(a, "Host:          \"synth\""),
			      "%s: %s", how[i], a);
		free(a);
	}
}
END_TEST

/* A cut onto its own input (any name of it) is refused; the input stays. */
START_TEST(cut_will_not_write_over_its_input)
{
	const char *in = tmppath("cutself.kcap"), *ln = tmppath("cutself.ln");
	char cmd[2048], *a, *before, *after;
	int rc;

	snprintf(cmd, sizeof(cmd),
		 "cp " KCAP_FIXTURES "/mix.kcap %s && ln -sf %s %s", in, in,
		 ln);
	ck_assert_int_eq(system(cmd), 0);
	snprintf(cmd, sizeof(cmd), "md5sum < %s", in);
	before = sh(cmd, &rc);
	snprintf(cmd, sizeof(cmd), KCAP_BIN " cut -r %s -w %s 2>&1", in, in);
	a = sh(cmd, &rc);
	ck_assert_msg(rc == 1 && strstr(a, "same file"), "%d: %s", rc, a);
	free(a);
	snprintf(cmd, sizeof(cmd), KCAP_BIN " cut -r %s -w %s 2>&1", in, ln);
	a = sh(cmd, &rc);
	ck_assert_msg(rc == 1 && strstr(a, "same file"), "%d: %s", rc, a);
	free(a);
	snprintf(cmd, sizeof(cmd), "md5sum < %s", in);
	after = sh(cmd, &rc);
	ck_assert_str_eq(before, after);
	free(before);
	free(after);
	/* a symlink to a file not there yet is an output, as it was */
	snprintf(cmd, sizeof(cmd),
		 "rm -f %s.t && ln -sf %s.t %s && " KCAP_BIN
		 " cut -r " KCAP_FIXTURES
		 "/mix.kcap -w %s 2>/dev/null && test -s %s.t",
		 in, in, ln, ln, in);
	free(sh(cmd, &rc));
	ck_assert_int_eq(rc, 0);
}
END_TEST

/*
 * An input given as -, or an output given as -, is a file too when the
 * shell redirects it: a cut from or to the same file is refused as by name,
 * before the file is emptied or written.
 */
START_TEST(cut_refuses_to_write_over_its_standard_input_or_output)
{
	const char *in = tmppath("cutstd.kcap");
	char cmd[2048], *a, *before, *after;
	int rc;

	snprintf(cmd, sizeof(cmd), "cp " KCAP_FIXTURES "/mix.kcap %s", in);
	ck_assert_int_eq(system(cmd), 0);
	snprintf(cmd, sizeof(cmd), "md5sum < %s", in);
	before = sh(cmd, &rc);
	snprintf(cmd, sizeof(cmd), KCAP_BIN " cut -r - -w %s < %s 2>&1", in,
		 in);
	a = sh(cmd, &rc);
	ck_assert_msg(rc == 1 && strstr(a, "same file as standard input"),
		      "%d: %s", rc, a);
	free(a);
	/* stdout opened on the input: 1<> does not empty it first */
	snprintf(cmd, sizeof(cmd), "(" KCAP_BIN " cut -r %s -w - 1<>%s) 2>&1",
		 in, in);
	a = sh(cmd, &rc);
	ck_assert_msg(rc == 1 && strstr(a, "standard output") &&
			      strstr(a, "same file"),
		      "%d: %s", rc, a);
	free(a);
	snprintf(cmd, sizeof(cmd),
		 "(" KCAP_BIN " cut -r - -w - < %s 1<>%s) 2>&1", in, in);
	a = sh(cmd, &rc);
	ck_assert_msg(rc == 1 && strstr(a, "same file"), "%d: %s", rc, a);
	free(a);
	snprintf(cmd, sizeof(cmd), "md5sum < %s", in);
	after = sh(cmd, &rc);
	ck_assert_str_eq(before, after);
	free(before);
	free(after);
	/* a pipe each way is no file to keep: the cut goes ahead */
	snprintf(cmd, sizeof(cmd),
		 "cat %s | " KCAP_BIN " cut -r - -w - | " KCAP_BIN
		 " info - >/dev/null",
		 in);
	free(sh(cmd, &rc));
	ck_assert_int_eq(rc, 0);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("replay_cli");
	TCase *t = tcase_create("cli");

	tcase_set_timeout(t, 120);
	tcase_add_test(t, json_output_is_valid_json_for_every_fixture);
	tcase_add_test(t, json_output_is_valid_json_for_damaged_fixtures_too);
	tcase_add_test(t, every_fixture_goes_through_every_output_and_analyzer);
	tcase_add_test(t, text_lines_name_the_process_and_resolve_fds);
	tcase_add_test(t, time_styles_counts_fields_and_csv);
	tcase_add_test(t, since_and_until_take_iso_offsets_and_ns);
	tcase_add_test(t,
		       a_time_past_what_u64_ns_can_hold_is_refused_not_wrapped);
	tcase_add_test(t, a_since_read_of_an_older_file_keeps_its_snapshot);
	tcase_add_test(t, losses_are_surfaced_in_the_output);
	tcase_add_test(t, reading_a_damaged_file_says_so_and_exits_2);
	tcase_add_test(t,
		       a_file_too_short_for_a_magic_is_no_capture_and_exits_1);
	tcase_add_test(t, stdin_reads_like_a_file);
	tcase_add_test(t, follow_reads_what_a_writer_adds_until_interrupted);
	tcase_add_test(
		t,
		follow_since_a_time_not_yet_written_waits_for_it_with_the_state);
#ifdef KCAP_HAVE_CONVERT
	tcase_add_test(t, scap_files_read_like_kcap_files);
	tcase_add_test(t, cut_takes_a_scap_as_read_does);
#endif
	tcase_add_test(t, summary_counts_types_processes_errors_and_losses);
	tcase_add_test(t, proctree_shows_the_tree_exec_lineage_and_lifetimes);
	tcase_add_test(t, proctree_passes_over_a_clone_whose_child_is_no_pid);
	tcase_add_test(
		t, net_counts_a_failed_connect_under_the_address_it_was_given);
	tcase_add_test(t, a_cut_of_a_file_with_a_corrupt_snapshot_says_so);
	tcase_add_test(t, a_filter_ending_in_kcap_is_a_filter_not_a_file);
	tcase_add_test(t,
		       names_paths_and_argv_are_escaped_in_every_text_output);
	tcase_add_test(t, files_counts_opens_bytes_renames_and_deletions);
	tcase_add_test(t, net_lists_connections_with_bytes_each_way);
	tcase_add_test(t,
		       net_tells_the_two_ends_of_a_unix_socket_in_one_process);
	tcase_add_test(t,
		       analyzers_count_the_events_a_repeat_record_stands_for);
	tcase_add_test(t, an_analyzer_loads_from_a_shared_object);
	tcase_add_test(t, cut_writes_a_slice_that_reads_alone);
	tcase_add_test(t, cut_to_the_end_of_a_file_reads_like_the_file);
	tcase_add_test(t,
		       a_cut_past_the_last_event_keeps_the_state_at_its_start);
	tcase_add_test(t, cut_merges_several_inputs);
	tcase_add_test(t, cut_keeps_the_time_each_process_was_read);
	tcase_add_test(t, cut_past_a_file_size_limit_says_so);
	tcase_add_test(t, cut_will_not_write_over_its_input);
	tcase_add_test(t,
		       cut_refuses_to_write_over_its_standard_input_or_output);
	tcase_add_test(t, a_filtered_cut_keeps_every_matching_event);
	tcase_add_test(t, cut_and_read_of_a_damaged_input_exit_2);
	tcase_add_test(t, pipes_read_and_cut_like_files);
	tcase_add_test(
		t, cut_keeps_the_machine_block_and_meta_only_from_meta_blocks);
	tcase_add_test(t,
		       bad_counts_and_field_lists_are_refused_naming_the_field);
	tcase_add_test(t,
		       json_with_F_holds_those_fields_and_normalize_refuses_F);
	tcase_add_test(t, cut_of_inputs_that_start_apart_keeps_each_ones_state);
	tcase_add_test(t, fields_print_a_programs_bytes_escaped);
	tcase_add_test(
		t,
		ascii_and_hex_dumps_mark_data_the_snaplen_cut_as_the_text_does);
	tcase_add_test(
		t,
		read_says_when_it_cannot_write_and_stops_when_the_reader_goes);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	return kcap_check_run(suite());
}
