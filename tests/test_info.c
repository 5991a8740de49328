// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * `kcap info` as users run it: the built binary in a child process, its
 * output and exit status checked on the committed fixtures, on files cut
 * or left unclosed here, and on bad command lines. The exit status is a
 * promise to scripts (0 whole, 2 truncated or not closed, 1 unusable or
 * corrupt), so every kind of file is checked for it.
 */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kcap/kcap.h"
#include "checkrun.h"
#include "synth.h"

#define BAD_DIR KCAP_FIXTURES "/bad"
#define MIX KCAP_FIXTURES "/mix.kcap"
#define MIX_LZ4 KCAP_FIXTURES "/mix-lz4.kcap"
#define NO_FOOTER BAD_DIR "/no-footer.kcap"
#define CORRUPT BAD_DIR "/payload-checksum.kcap"
/* a child that runs longer is stuck: kill it and fail */
#define CHILD_TIMEOUT_MS 30000

extern char **environ;

struct run {
	int status; /* exit status; -1 if killed */
	char *out, *err;
	size_t out_len, err_len;
};

static void run_free(struct run *r)
{
	free(r->out);
	free(r->err);
	memset(r, 0, sizeof(*r));
}

static void append(char **buf, size_t *len, const char *p, size_t n)
{
	char *q = realloc(*buf, *len + n + 1);

	ck_assert_ptr_nonnull(q);
	memcpy(q + *len, p, n);
	*len += n;
	q[*len] = 0;
	*buf = q;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Runs prog with argv (NULL-terminated, argv[0] included), no shell, and
 * collects stdout and stderr; both are read as they come so that neither
 * pipe can fill and block the child.
 */
static void run_prog(struct run *r, const char *prog, char *const argv[])
{
	posix_spawn_file_actions_t fa;
	int out[2], err[2], wstatus;
	struct pollfd pfd[2];
	long long deadline = now_ms() + CHILD_TIMEOUT_MS;
	bool killed = false;
	pid_t pid;

	memset(r, 0, sizeof(*r));
	append(&r->out, &r->out_len, "", 0);
	append(&r->err, &r->err_len, "", 0);
	ck_assert_int_eq(pipe(out), 0);
	ck_assert_int_eq(pipe(err), 0);
	ck_assert_int_eq(posix_spawn_file_actions_init(&fa), 0);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, out[1], 1);
	posix_spawn_file_actions_adddup2(&fa, err[1], 2);
	posix_spawn_file_actions_addclose(&fa, out[0]);
	posix_spawn_file_actions_addclose(&fa, out[1]);
	posix_spawn_file_actions_addclose(&fa, err[0]);
	posix_spawn_file_actions_addclose(&fa, err[1]);
	ck_assert_msg(posix_spawn(&pid, prog, &fa, NULL, argv, environ) == 0,
		      "cannot run %s", prog);
	posix_spawn_file_actions_destroy(&fa);
	close(out[1]);
	close(err[1]);
	pfd[0] = (struct pollfd){ .fd = out[0], .events = POLLIN };
	pfd[1] = (struct pollfd){ .fd = err[0], .events = POLLIN };
	while (pfd[0].fd >= 0 || pfd[1].fd >= 0) {
		long long left = deadline - now_ms();
		int i, n;

		if (left <= 0) {
			kill(pid, SIGKILL);
			killed = true;
			break;
		}
		n = poll(pfd, 2, (int)left);
		if (n < 0 && errno == EINTR)
			continue;
		ck_assert_int_ge(n, 0);
		for (i = 0; i < 2; i++) {
			char buf[4096];
			ssize_t k;

			if (pfd[i].fd < 0 || !pfd[i].revents)
				continue;
			k = read(pfd[i].fd, buf, sizeof(buf));
			if (k < 0 && errno == EINTR)
				continue;
			if (k <= 0) {
				close(pfd[i].fd);
				pfd[i].fd = -1;
				continue;
			}
			if (i == 0)
				append(&r->out, &r->out_len, buf, (size_t)k);
			else
				append(&r->err, &r->err_len, buf, (size_t)k);
		}
	}
	if (pfd[0].fd >= 0)
		close(pfd[0].fd);
	if (pfd[1].fd >= 0)
		close(pfd[1].fd);
	ck_assert_int_eq(waitpid(pid, &wstatus, 0), pid);
	ck_assert_msg(!killed, "%s %s did not finish in %d ms", prog,
		      argv[1] ? argv[1] : "", CHILD_TIMEOUT_MS);
	ck_assert_msg(WIFEXITED(wstatus), "%s died of signal %d", prog,
		      WIFSIGNALED(wstatus) ? WTERMSIG(wstatus) : 0);
	r->status = WEXITSTATUS(wstatus);
}

/* kcap info ARGS...: up to 8 arguments, NULL-terminated. */
static void info(struct run *r, ...)
{
	char *argv[12] = { (char *)KCAP_BIN, (char *)"info" };
	va_list ap;
	int n = 2;

	va_start(ap, r);
	while ((argv[n] = va_arg(ap, char *)))
		ck_assert_int_lt(++n, 11);
	va_end(ap);
	run_prog(r, KCAP_BIN, argv);
}

/* ---- temporary files ---------------------------------------------------------- */

static const char *tmpdir(void)
{
	static char dir[64];

	if (!dir[0]) {
		snprintf(dir, sizeof(dir), "/tmp/kcap-test-info-XXXXXX");
		ck_assert_ptr_nonnull(mkdtemp(dir));
	}
	return dir;
}

/* Removes a test's temporary file and, once empty, the directory. */
static void tmp_remove(const char *path)
{
	ck_assert_int_eq(unlink(path), 0);
	rmdir(tmpdir());
}

static uint8_t *slurp(const char *path, size_t *len)
{
	struct stat sb;
	uint8_t *p;
	int fd = open(path, O_RDONLY);

	ck_assert_msg(fd >= 0, "%s: %s", path, strerror(errno));
	ck_assert_int_eq(fstat(fd, &sb), 0);
	p = malloc((size_t)sb.st_size + 1);
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(read(fd, p, (size_t)sb.st_size), sb.st_size);
	close(fd);
	*len = (size_t)sb.st_size;
	return p;
}

static void spill(const char *path, const void *p, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	ck_assert_msg(fd >= 0, "%s: %s", path, strerror(errno));
	ck_assert_int_eq(write(fd, p, len), (ssize_t)len);
	ck_assert_int_eq(close(fd), 0);
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/*
 * mix.kcap cut in the middle of its largest block, found by walking the
 * block headers (FORMAT.md 4.1), so that the cut is inside a block
 * whatever the writer's block sizes.
 */
static const char *cut_mix(uint64_t *cut_at)
{
	static char path[128];
	size_t len, off = 64, best = 0, best_len = 0;
	uint8_t *p = slurp(MIX, &len);

	while (off + 48 <= len) {
		size_t total = 48 + ((le32(p + off + 8) + 7) & ~7u) + 8;

		if (total > best_len) {
			best = off;
			best_len = total;
		}
		off += total;
	}
	ck_assert_uint_eq(off, len);
	*cut_at = best;
	snprintf(path, sizeof(path), "%s/cut.kcap", tmpdir());
	spill(path, p, best + best_len / 2);
	free(p);
	return path;
}

static uint64_t le64(const uint8_t *p)
{
	return le32(p) | (uint64_t)le32(p + 4) << 32;
}

/*
 * mix.kcap as a writer killed before close() leaves it: every block up to
 * the INDEX, whose offset the FOOTER (the last 72 bytes) gives.
 */
static const char *unclosed_mix(void)
{
	static char path[128];
	size_t len;
	uint8_t *p = slurp(MIX, &len);
	uint64_t index_off;

	ck_assert_uint_gt(len, 64 + 72);
	index_off = le64(p + len - 72 + 48);
	ck_assert_uint_gt(index_off, 64);
	ck_assert_uint_lt(index_off, len - 72);
	snprintf(path, sizeof(path), "%s/unclosed.kcap", tmpdir());
	spill(path, p, index_off);
	free(p);
	return path;
}

/* ---- output checks -------------------------------------------------------------- */

static json_t *parse_json(const char *text)
{
	json_error_t e;
	json_t *j = json_loads(text, 0, &e);

	ck_assert_msg(j, "kcap info --json: %s at line %d: %s", e.text, e.line,
		      text);
	ck_assert(json_is_object(j));
	return j;
}

static json_int_t json_int(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	ck_assert_msg(json_is_integer(v), "\"%s\" is not an integer", key);
	return json_integer_value(v);
}

/*
 * The real legacy captures live outside the project (../shared); where they
 * are absent these tests say so and check nothing.
 */
#define SCAP_DIR KCAP_FIXTURES "/../../shared/fixtures/scap"
#define CURL_SCAP SCAP_DIR "/curl_google.scap"

static bool have_scap_fixtures(void)
{
	if (access(CURL_SCAP, R_OK) == 0)
		return true;
	fprintf(stderr, "SKIP: %s is absent: legacy .scap checks not run\n",
		CURL_SCAP);
	return false;
}

START_TEST(info_reads_a_legacy_scap_by_converting_it)
{
	json_t *j, *by_type;
	struct run r;

	if (!have_scap_fixtures())
		return;
	info(&r, "--json", CURL_SCAP, NULL);
	ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
	j = parse_json(r.out);
	ck_assert(json_is_true(json_object_get(j, "legacy_scap")));
	ck_assert(json_is_false(json_object_get(j, "truncated")));
	/* curl's capture: one execve, its connects, 599 merged events */
	ck_assert_int_eq(json_int(j, "events"), 599);
	by_type = json_object_get(j, "by_type");
	ck_assert_int_eq(json_int(by_type, "execve"), 1);
	ck_assert_int_eq(json_int(by_type, "connect"), 4);
	json_decref(j);
	run_free(&r);
}
END_TEST

START_TEST(info_says_a_cut_legacy_scap_is_truncated_and_exits_2)
{
	char cut[128];
	json_t *j;
	uint8_t *buf;
	size_t len;
	struct run r;

	if (!have_scap_fixtures())
		return;
	snprintf(cut, sizeof(cut), "%s/cut.scap", tmpdir());
	buf = slurp(CURL_SCAP, &len);
	spill(cut, buf, len / 2);
	free(buf);
	info(&r, "--json", cut, NULL);
	ck_assert_msg(r.status == 2, "exit %d: %s", r.status, r.err);
	j = parse_json(r.out);
	ck_assert(json_is_true(json_object_get(j, "truncated")));
	ck_assert_int_gt(json_int(j, "events"), 0);
	ck_assert_msg(strstr(json_string_value(json_object_get(j, "integrity")),
			     "truncated"),
		      "integrity: %s",
		      json_string_value(json_object_get(j, "integrity")));
	json_decref(j);
	run_free(&r);
	tmp_remove(cut);
}
END_TEST

static int count(const char *hay, const char *needle)
{
	int n = 0;

	while ((hay = strstr(hay, needle))) {
		n++;
		hay += strlen(needle);
	}
	return n;
}

/* ---- whole files --------------------------------------------------------------- */

START_TEST(info_reports_4000_events_and_ok_integrity_for_the_mix_capture)
{
	struct run r;

	info(&r, MIX, NULL);
	ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
	ck_assert_msg(strstr(r.out, "\nEvents:        4000\n"), "%s", r.out);
	ck_assert_msg(strstr(r.out, "\nIntegrity:     ok\n"), "%s", r.out);
	/* written before dur: its syscall events have none */
	ck_assert_msg(strstr(r.out, "\nTimed:         0 of "), "%s", r.out);
	ck_assert_msg(strstr(r.out, "File:          " MIX "\n") == r.out, "%s",
		      r.out);
	ck_assert_str_eq(r.err, "");
	run_free(&r);
}
END_TEST

START_TEST(info_json_describes_the_mix_capture)
{
	char version[32];
	json_t *j, *v, *by_type, *lost, *errors;
	json_int_t sum = 0, events;
	const char *key;
	struct run r;

	info(&r, "--json", MIX, NULL);
	ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
	/* one object per file, on one line */
	ck_assert_int_eq(count(r.out, "\n"), 1);
	j = parse_json(r.out);

	/* the fixture's, written at format 1.0: the file's, not the reader's */
	snprintf(version, sizeof(version), "%d.%d", KCAP_FORMAT_MAJOR, 0);
	ck_assert(json_is_string(json_object_get(j, "version")));
	ck_assert_str_eq(json_string_value(json_object_get(j, "version")),
			 version);
	events = json_int(j, "events");
	ck_assert_int_eq(events, 4000);
	ck_assert_int_ge(json_int(j, "blocks"), 5);

	by_type = json_object_get(j, "by_type");
	ck_assert(json_is_object(by_type));
	json_object_foreach(by_type, key, v)
	{
		ck_assert_msg(json_is_integer(v), "by_type.%s", key);
		ck_assert_int_gt(json_integer_value(v), 0);
		sum += json_integer_value(v);
	}
	ck_assert_int_eq(sum, events);
	ck_assert(json_is_integer(json_object_get(by_type, "read")));

	ck_assert(json_is_number(json_object_get(j, "first_ts")));
	ck_assert(json_is_number(json_object_get(j, "last_ts")));
	ck_assert_int_gt(json_int(j, "first_ts"), 0);
	ck_assert_int_le(json_int(j, "first_ts"), json_int(j, "last_ts"));

	lost = json_object_get(j, "lost");
	ck_assert(json_is_object(lost));
	ck_assert_int_eq(json_int(lost, "read"), 17);
	/* the mix capture's values are whole */
	ck_assert_int_eq(json_int(j, "cut_total"), 0);
	ck_assert_uint_eq(json_object_size(json_object_get(j, "cut")), 0);

	ck_assert(json_is_false(json_object_get(j, "truncated")));
	errors = json_object_get(j, "errors");
	ck_assert(json_is_array(errors));
	ck_assert_uint_eq(json_array_size(errors), 0);
	json_decref(j);
	run_free(&r);
}
END_TEST

/*
 * Values a writer kept only in part are counted per type, from their
 * marks (FORMAT.md, "Cut values"): two cut execve values, none in an
 * execve whose values are whole, and a snapshot's cut argv.
 */
START_TEST(info_counts_the_values_a_writer_cut)
{
	static uint8_t rec[512] __attribute__((aligned(8)));
	struct kcap_writer *w;
	struct kcap_builder b;
	char path[128];
	struct run r;
	json_t *j;
	int k;

	snprintf(path, sizeof(path), "%s/cuts.kcap", tmpdir());
	w = kcap_writer__open(path, NULL);
	ck_assert_ptr_nonnull(w);
	for (k = 0; k < 2; k++) {
		kcap_builder__start(&b, rec, sizeof(rec),
				    kcap_schema__builtin(), KCAP_EV_execve, 7,
				    1000 + k);
		if (k) {
			kcap_builder__var(
				&b, offsetof(struct kcap_ev_execve, filename),
				"/usr/lo\0", 8);
			kcap_builder__var(&b,
					  offsetof(struct kcap_ev_execve, argv),
					  "ls\0-", 4);
		} else {
			kcap_builder__var(
				&b, offsetof(struct kcap_ev_execve, filename),
				"/bin/ls", 7);
			kcap_builder__var(&b,
					  offsetof(struct kcap_ev_execve, argv),
					  "ls\0", 3);
		}
		((struct kcap_ev_execve *)rec)->res = 0;
		ck_assert_int_gt(kcap_builder__finish(&b), 0);
		ck_assert_int_eq(kcap_writer__append(w, rec), 0);
	}
	/* a thread of the snapshot whose argv was cut, and its whole exe */
	kcap_builder__start(&b, rec, sizeof(rec), kcap_schema__builtin(),
			    KCAP_EV_snap_proc, 9, 900);
	kcap_builder__var(&b, offsetof(struct kcap_ev_snap_proc, exe),
			  "/bin/sleep", 10);
	kcap_builder__var(&b, offsetof(struct kcap_ev_snap_proc, argv),
			  "sleep\0"
			  "100",
			  9);
	k = kcap_builder__finish(&b);
	ck_assert_int_gt(k, 0);
	ck_assert_int_eq(kcap_writer__write_block(w, KCAP_BLOCK_SNAPSHOT, rec,
						  (size_t)k),
			 0);
	ck_assert_int_eq(kcap_writer__close(w), 0);

	info(&r, path, NULL);
	ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
	ck_assert_msg(strstr(r.out, "\nCut values:    3 "), "%s", r.out);
	ck_assert_msg(strstr(r.out, "\n  execve                 2\n"), "%s",
		      r.out);
	ck_assert_msg(strstr(r.out, "\n  snap_proc              1\n"), "%s",
		      r.out);
	/* a snapshot is not an event */
	ck_assert_msg(strstr(r.out, "\nEvents:        2\n"), "%s", r.out);
	run_free(&r);
	info(&r, "--json", path, NULL);
	j = parse_json(r.out);
	ck_assert_int_eq(json_int(j, "cut_total"), 3);
	ck_assert_int_eq(json_int(json_object_get(j, "cut"), "execve"), 2);
	ck_assert_int_eq(json_int(json_object_get(j, "cut"), "snap_proc"), 1);
	json_decref(j);
	run_free(&r);
	tmp_remove(path);
}
END_TEST

/*
 * What was lost and why: the total by reason (named as every printer names
 * it, a reason without a name by its number), and each reason by type.
 */
START_TEST(info_breaks_lost_events_down_by_reason_then_type)
{
	static const struct {
		uint16_t evtype, reason;
		uint64_t count;
	} losses[] = {
		{ KCAP_EV_write, KCAP_LOSS_RINGBUF, 600 },
		{ KCAP_EV_write, KCAP_LOSS_BUDGET, 1 },
		{ KCAP_EV_read, KCAP_LOSS_DEDUP, 5 },
		{ 0, KCAP_LOSS_RINGBUF, 3 },
		{ KCAP_EV_write, KCAP_LOSS_RINGBUF, 300 },
		{ KCAP_EV_read, KCAP_LOSS_BUDGET, 2 },
		{ KCAP_EV_openat, 9, 1 },
	};
	static uint8_t rec[KCAP_REC_MAX] __attribute__((aligned(8)));
	static uint8_t blk[4096] __attribute__((aligned(8)));
	struct kcap_writer *w;
	json_t *j, *by, *r1;
	size_t len = 0, k;
	char path[128];
	struct run r;

	snprintf(path, sizeof(path), "%s/losses.kcap", tmpdir());
	w = kcap_writer__open(path, NULL);
	ck_assert_ptr_nonnull(w);
	for (k = 0; k < sizeof(losses) / sizeof(losses[0]); k++) {
		int n = synth_loss(rec, 1000 + k, 2000 + k, losses[k].evtype,
				   losses[k].reason, losses[k].count);

		ck_assert_int_gt(n, 0);
		memcpy(blk + len, rec, (size_t)n);
		len += (size_t)n;
	}
	ck_assert_int_eq(kcap_writer__write_block(w, KCAP_BLOCK_LOSS, blk, len),
			 0);
	ck_assert_int_eq(kcap_writer__close(w), 0);

	info(&r, path, NULL);
	ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
	ck_assert_msg(strstr(r.out,
			     "\nLost events:   912 (by reason, then type)\n"
			     "  reason=ringbuf         903\n"
			     "    (any type)           3\n"
			     "    write                900\n"
			     "  reason=budget          3\n"
			     "    read                 2\n"
			     "    write                1\n"
			     "  reason=dedup           5\n"
			     "    read                 5\n"
			     "  reason=9               1\n"
			     "    openat               1\n"
			     "Cut values:"),
		      "%s", r.out);
	run_free(&r);

	info(&r, "--json", path, NULL);
	j = parse_json(r.out);
	/* the per-type counts and total, as before */
	ck_assert_int_eq(json_int(j, "lost_total"), 912);
	ck_assert_int_eq(json_int(json_object_get(j, "lost"), "write"), 901);
	ck_assert_int_eq(json_int(json_object_get(j, "lost"), "any"), 3);
	by = json_object_get(j, "lost_by_reason");
	ck_assert(json_is_object(by));
	ck_assert_uint_eq(json_object_size(by), 4);
	r1 = json_object_get(by, "ringbuf");
	ck_assert_int_eq(json_int(r1, "events"), 903);
	ck_assert_int_eq(json_int(json_object_get(r1, "by_type"), "write"),
			 900);
	ck_assert_int_eq(json_int(json_object_get(r1, "by_type"), "any"), 3);
	ck_assert_int_eq(json_int(json_object_get(by, "budget"), "events"), 3);
	ck_assert_int_eq(json_int(json_object_get(json_object_get(by, "budget"),
						  "by_type"),
				  "read"),
			 2);
	ck_assert_int_eq(json_int(json_object_get(by, "dedup"), "events"), 5);
	ck_assert_int_eq(json_int(json_object_get(by, "9"), "events"), 1);
	json_decref(j);
	run_free(&r);
	tmp_remove(path);
}
END_TEST

/* A capture that lost nothing says so, and its JSON has no reasons. */
START_TEST(info_says_none_were_lost_with_an_empty_lost_by_reason)
{
	struct run r;
	json_t *j;

	info(&r, KCAP_FIXTURES "/random.kcap", NULL);
	ck_assert_msg(strstr(r.out, "\nLost events:   none recorded\n"), "%s",
		      r.out);
	run_free(&r);
	info(&r, "--json", KCAP_FIXTURES "/random.kcap", NULL);
	j = parse_json(r.out);
	ck_assert_int_eq(json_int(j, "lost_total"), 0);
	ck_assert(json_is_object(json_object_get(j, "lost_by_reason")));
	ck_assert_uint_eq(
		json_object_size(json_object_get(j, "lost_by_reason")), 0);
	json_decref(j);
	run_free(&r);
}
END_TEST

/* How many syscall events say how long they took: kcap record -T's. */
START_TEST(info_counts_the_syscall_events_whose_duration_is_known)
{
	static uint8_t rec[512] __attribute__((aligned(8)));
	static const uint64_t durs[] = { 1500, KCAP_UNKNOWN_u64, 0 };
	struct kcap_writer *w;
	struct kcap_builder b;
	char path[128];
	struct run r;
	json_t *j;
	int k;

	snprintf(path, sizeof(path), "%s/timed.kcap", tmpdir());
	w = kcap_writer__open(path, NULL);
	ck_assert_ptr_nonnull(w);
	for (k = 0; k < 3; k++) {
		kcap_builder__start(&b, rec, sizeof(rec),
				    kcap_schema__builtin(), KCAP_EV_close, 7,
				    1000 + k);
		((struct kcap_ev_close *)rec)->res = 0;
		((struct kcap_ev_close *)rec)->dur = durs[k];
		ck_assert_int_gt(kcap_builder__finish(&b), 0);
		ck_assert_int_eq(kcap_writer__append(w, rec), 0);
	}
	/* not a syscall: not counted either way */
	kcap_builder__start(&b, rec, sizeof(rec), kcap_schema__builtin(),
			    KCAP_EV_procexit, 7, 2000);
	ck_assert_int_gt(kcap_builder__finish(&b), 0);
	ck_assert_int_eq(kcap_writer__append(w, rec), 0);
	ck_assert_int_eq(kcap_writer__close(w), 0);

	info(&r, path, NULL);
	ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
	ck_assert_msg(strstr(r.out, "\nTimed:         2 of 3 syscall events"),
		      "%s", r.out);
	run_free(&r);
	info(&r, "--json", path, NULL);
	j = parse_json(r.out);
	ck_assert_int_eq(json_int(j, "syscall_events"), 3);
	ck_assert_int_eq(json_int(j, "timed_events"), 2);
	json_decref(j);
	run_free(&r);
	tmp_remove(path);
}
END_TEST

START_TEST(info_says_a_cut_capture_is_truncated_and_exits_2)
{
	char expect[128];
	uint64_t at;
	const char *path = cut_mix(&at);
	json_t *j;
	struct run r;

	snprintf(expect, sizeof(expect), "truncated at offset %llu",
		 (unsigned long long)at);
	info(&r, path, NULL);
	ck_assert_msg(r.status == 2, "exit %d: %s", r.status, r.out);
	ck_assert_msg(strstr(r.out, "\nIntegrity:     truncated at offset "),
		      "%s", r.out);
	ck_assert_msg(strstr(r.out, expect), "%s", r.out);
	run_free(&r);

	info(&r, "--json", path, NULL);
	ck_assert_int_eq(r.status, 2);
	j = parse_json(r.out);
	ck_assert(json_is_true(json_object_get(j, "truncated")));
	ck_assert(json_is_false(json_object_get(j, "closed")));
	ck_assert_int_lt(json_int(j, "events"), 4000);
	ck_assert_msg(strstr(json_string_value(json_object_get(j, "integrity")),
			     expect),
		      "%s", r.out);
	ck_assert_uint_eq(json_array_size(json_object_get(j, "errors")), 0);
	json_decref(j);
	run_free(&r);
	tmp_remove(path);
}
END_TEST

/*
 * A file that ends in its header, or in its first block, has no block
 * number to end after: said in words, not as "block -1".
 */
START_TEST(a_file_that_ends_before_its_first_whole_block_says_so_in_words)
{
	static const struct {
		size_t len;
		const char *want;
	} cuts[] = {
		{ 64, "not closed: ends after its header, with no block and "
		      "no footer" },
		{ 100, "truncated at offset 64, before its first whole block" },
	};
	char path[256];
	size_t len;
	uint8_t *p = slurp(MIX, &len);
	struct run r;

	snprintf(path, sizeof(path), "%s/early.kcap", tmpdir());
	for (size_t i = 0; i < 2; i++) {
		char *argv[] = { (char *)KCAP_BIN, (char *)"read", path, NULL };

		spill(path, p, cuts[i].len);
		info(&r, path, NULL);
		ck_assert_int_eq(r.status, 2);
		ck_assert_msg(strstr(r.out, cuts[i].want), "%s", r.out);
		run_free(&r);
		/* kcap read says it the same way */
		run_prog(&r, KCAP_BIN, argv);
		ck_assert_int_eq(r.status, 2);
		ck_assert_msg(strstr(r.err, cuts[i].want), "%s", r.err);
		run_free(&r);
	}
	free(p);
	tmp_remove(path);
}
END_TEST

START_TEST(info_says_an_unclosed_capture_is_not_closed_and_exits_2)
{
	const char *path = unclosed_mix();
	json_t *j;
	struct run r;

	info(&r, path, NULL);
	ck_assert_msg(r.status == 2, "exit %d: %s", r.status, r.out);
	ck_assert_msg(strstr(r.out, "\nIntegrity:     not closed: "), "%s",
		      r.out);
	ck_assert_msg(strstr(r.out, "\nEvents:        4000\n"), "%s", r.out);
	run_free(&r);

	info(&r, "-j", path, NULL);
	ck_assert_int_eq(r.status, 2);
	j = parse_json(r.out);
	ck_assert(json_is_false(json_object_get(j, "closed")));
	ck_assert_int_eq(json_int(j, "events"), 4000);
	ck_assert_uint_eq(json_array_size(json_object_get(j, "errors")), 0);
	json_decref(j);
	run_free(&r);
	tmp_remove(path);
}
END_TEST

/* ---- damaged files ------------------------------------------------------------- */

static void check_bad(const char *name)
{
	char kcap[512], err[512], expect[512], line[32];
	struct run r;
	FILE *f;
	int status;

	snprintf(kcap, sizeof(kcap), "%s/%s.kcap", BAD_DIR, name);
	snprintf(err, sizeof(err), "%s/%s.err", BAD_DIR, name);
	f = fopen(err, "r");
	ck_assert_msg(f, "%s: %s", err, strerror(errno));
	ck_assert(fgets(expect, sizeof(expect), f));
	ck_assert(fgets(line, sizeof(line), f));
	fclose(f);
	expect[strcspn(expect, "\n")] = 0;
	ck_assert_uint_gt(strlen(expect), 0);
	status = atoi(line);

	info(&r, kcap, NULL);
	ck_assert_msg(r.status == status, "%s: exit %d, not %d:\n%s%s", name,
		      r.status, status, r.out, r.err);
	ck_assert_msg(strstr(r.out, expect) || strstr(r.err, expect),
		      "%s: no \"%s\" in:\n%s%s", name, expect, r.out, r.err);
	run_free(&r);
}

/*
 * "Events" counts what could be read: the events of a corrupt block are
 * said apart, from its header's count (payload-checksum.kcap's block 4
 * holds 24), so that the file says what it lost.
 */
START_TEST(info_says_how_many_events_a_corrupt_block_held)
{
	char kcap[512];
	json_t *j;
	struct run r;

	snprintf(kcap, sizeof(kcap), "%s/payload-checksum.kcap", BAD_DIR);
	info(&r, kcap, NULL);
	ck_assert_msg(strstr(r.out, "24 events lost in the corrupt blocks"),
		      "%s", r.out);
	run_free(&r);
	info(&r, "-j", kcap, NULL);
	j = parse_json(r.out);
	ck_assert_int_eq(json_int(j, "corrupt_events"), 24);
	ck_assert_int_eq(json_int(j, "events"), 120);
	json_decref(j);
	run_free(&r);
}
END_TEST

START_TEST(info_exits_with_the_status_each_bad_fixture_names)
{
	DIR *d = opendir(BAD_DIR);
	struct dirent *de;
	int n = 0;

	ck_assert_msg(d, "%s: %s (the fixtures are part of the project)",
		      BAD_DIR, strerror(errno));
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);
		char name[256];

		if (len <= 5 || strcmp(de->d_name + len - 5, ".kcap"))
			continue;
		ck_assert_uint_lt(len, sizeof(name));
		memcpy(name, de->d_name, len - 5);
		name[len - 5] = 0;
		check_bad(name);
		n++;
	}
	closedir(d);
	ck_assert_int_ge(n, 20);
}
END_TEST

START_TEST(info_on_a_missing_file_exits_1_and_names_it)
{
	char path[128];
	struct run r;

	snprintf(path, sizeof(path), "%s/no-such-capture.kcap", tmpdir());
	info(&r, path, NULL);
	ck_assert_int_eq(r.status, 1);
	ck_assert_msg(strstr(r.err, path), "%s", r.err);
	ck_assert_msg(strstr(r.err, "No such file"), "%s", r.err);
	run_free(&r);
	rmdir(tmpdir());
}
END_TEST

/* ---- several files ------------------------------------------------------------- */

START_TEST(info_on_several_files_exits_with_the_worst_status)
{
	json_t *j;
	char *line, *save = NULL;
	struct run r;
	int n = 0;

	info(&r, MIX, MIX_LZ4, NULL);
	ck_assert_int_eq(r.status, 0);
	ck_assert_int_eq(count(r.out, "\nIntegrity:     ok\n"), 2);
	run_free(&r);

	info(&r, MIX, NO_FOOTER, NULL);
	ck_assert_int_eq(r.status, 2);
	run_free(&r);
	info(&r, NO_FOOTER, MIX, NULL);
	ck_assert_int_eq(r.status, 2);
	run_free(&r);

	/* a corrupt file outweighs a truncated one, in either order */
	info(&r, MIX, NO_FOOTER, CORRUPT, NULL);
	ck_assert_int_eq(r.status, 1);
	ck_assert_int_eq(count(r.out, "File:          "), 3);
	run_free(&r);
	info(&r, CORRUPT, NO_FOOTER, MIX, NULL);
	ck_assert_int_eq(r.status, 1);
	run_free(&r);

	info(&r, "--json", CORRUPT, NO_FOOTER, MIX, NULL);
	ck_assert_int_eq(r.status, 1);
	for (line = strtok_r(r.out, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save), n++) {
		j = parse_json(line);
		ck_assert(json_is_string(json_object_get(j, "file")));
		json_decref(j);
	}
	ck_assert_int_eq(n, 3);
	run_free(&r);
}
END_TEST

/* ---- the command line -------------------------------------------------------- */

START_TEST(info_without_files_exits_1_with_usage_on_stderr)
{
	struct run r;

	info(&r, NULL);
	ck_assert_int_eq(r.status, 1);
	ck_assert_msg(strstr(r.err, "usage: kcap info"), "%s", r.err);
	ck_assert_str_eq(r.out, "");
	run_free(&r);
}
END_TEST

START_TEST(info_with_an_unknown_option_exits_1_with_usage_on_stderr)
{
	struct run r;

	info(&r, "--no-such-option", MIX, NULL);
	ck_assert_int_eq(r.status, 1);
	ck_assert_msg(strstr(r.err, "usage: kcap info"), "%s", r.err);
	ck_assert_str_eq(r.out, "");
	run_free(&r);
}
END_TEST

START_TEST(info_help_prints_usage_on_stdout_and_exits_0)
{
	struct run r;

	info(&r, "--help", NULL);
	ck_assert_int_eq(r.status, 0);
	ck_assert_msg(strstr(r.out, "usage: kcap info"), "%s", r.out);
	ck_assert_str_eq(r.err, "");
	run_free(&r);
}
END_TEST

/*
 * Its exit status is what a script tests for a whole file: output that
 * could not be written (a full disk) must not pass for a file that is ok.
 */
START_TEST(info_says_when_it_cannot_write_and_exits_1)
{
	static const char *const opts[] = { "", "-j " };

	for (size_t i = 0; i < 2; i++) {
		char cmd[512], err[256] = "";
		FILE *f;
		int st;

		/* stderr to the pipe, then stdout to the full device */
		snprintf(cmd, sizeof(cmd),
			 KCAP_BIN " info %s" MIX " 2>&1 >/dev/full", opts[i]);
		f = popen(cmd, "r");
		ck_assert_ptr_nonnull(f);
		if (!fgets(err, sizeof(err), f))
			err[0] = 0;
		st = pclose(f);
		ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 1, "%s: %d",
			      cmd, st);
		ck_assert_msg(strstr(err, "No space left"), "%s: %s", cmd, err);
	}
}
END_TEST

static Suite *info_suite(void)
{
	Suite *s = suite_create("info");
	TCase *tc = tcase_create("files");

	tcase_add_test(
		tc,
		info_reports_4000_events_and_ok_integrity_for_the_mix_capture);
	tcase_add_test(tc, info_json_describes_the_mix_capture);
	tcase_add_test(tc, info_says_a_cut_capture_is_truncated_and_exits_2);
	tcase_add_test(tc, info_counts_the_values_a_writer_cut);
	tcase_add_test(tc, info_breaks_lost_events_down_by_reason_then_type);
	tcase_add_test(tc,
		       info_says_none_were_lost_with_an_empty_lost_by_reason);
	tcase_add_test(tc,
		       info_counts_the_syscall_events_whose_duration_is_known);
	tcase_add_test(tc,
		       info_says_an_unclosed_capture_is_not_closed_and_exits_2);
	tcase_add_test(
		tc,
		a_file_that_ends_before_its_first_whole_block_says_so_in_words);
	tcase_add_test(tc, info_exits_with_the_status_each_bad_fixture_names);
	tcase_add_test(tc, info_says_how_many_events_a_corrupt_block_held);
	tcase_add_test(tc, info_on_a_missing_file_exits_1_and_names_it);
	tcase_add_test(tc, info_on_several_files_exits_with_the_worst_status);
	suite_add_tcase(s, tc);

	tc = tcase_create("command line");
	tcase_add_test(tc, info_without_files_exits_1_with_usage_on_stderr);
	tcase_add_test(
		tc, info_with_an_unknown_option_exits_1_with_usage_on_stderr);
	tcase_add_test(tc, info_help_prints_usage_on_stdout_and_exits_0);
	tcase_add_test(tc, info_says_when_it_cannot_write_and_exits_1);
	tcase_add_test(tc, info_reads_a_legacy_scap_by_converting_it);
	tcase_add_test(tc,
		       info_says_a_cut_legacy_scap_is_truncated_and_exits_2);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return kcap_check_run(info_suite());
}
