// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The summary analyzer's time per syscall (kcap read -S), from the `dur`
 * that kcap record -T and kcap convert fill in: counts, totals, averages
 * and maxima of the known durations only, and nothing at all when no
 * event was timed.
 */
#include <jansson.h>

#include "replay_testutil.h"
/* the framing of a file written by hand (checksums, magic numbers) */
#include "../../format/src/internal.h"
#include "checkrun.h"

#define UNKNOWN UINT64_MAX /* dur not measured */
#define NR_WAIT4 61
#define NR_FUTEX 202
#define NR_NONE 999 /* no x86_64 syscall has it */
#define NR_SCHED_GET_PRIORITY_MAX 146 /* the longest name, 22 bytes */

static void t_openat(struct cap *c, uint64_t ts, uint64_t dur)
{
	struct kcap_ev_openat *e = ev(c, KCAP_EV_openat, 10, ts);

	e->res = 3;
	e->dirfd = AT_FDCWD_;
	e->flags = 0;
	e->mode = 0;
	e->dur = dur;
	ev_var(c, F(openat, name), "/etc/hosts");
	ev_end(c);
}

static void t_read(struct cap *c, uint64_t ts, uint64_t dur)
{
	struct kcap_ev_read *e = ev(c, KCAP_EV_read, 10, ts);

	e->res = 4;
	e->fd = 3;
	e->size = 4;
	e->dur = dur;
	ev_varn(c, F(read, data), "abcd", 4);
	ev_end(c);
}

static void t_close(struct cap *c, uint64_t ts, uint64_t dur)
{
	struct kcap_ev_close *e = ev(c, KCAP_EV_close, 10, ts);

	e->res = 0;
	e->fd = 3;
	e->dur = dur;
	ev_end(c);
}

/* The generic event; nr UINT32_MAX is the unknown nr. */
static void t_syscall(struct cap *c, uint64_t ts, uint32_t nr, uint64_t dur)
{
	struct kcap_ev_syscall *e = ev(c, KCAP_EV_syscall, 10, ts);

	e->res = 0;
	e->a0 = e->a1 = e->a2 = e->a3 = e->a4 = e->a5 = 0;
	e->nr = nr;
	e->dur = dur;
	ev_end(c);
}

static void t_start(struct cap *c, const char *path)
{
	cap_open(c, path, 0);
	snap_proc(c, 10, 10, 1, "app", "/usr/bin/app", "/", T0);
	snap_flush(c);
}

/*
 * openat 1, 3 and 5 us; read 2 ms and 0.5 ms and one unknown; close only
 * unknown; through the generic event wait4 10 ms, futex 1 and 3 us, a
 * number without a name 7 ns and an unknown nr 50 ns; a procexit, which
 * is no syscall. 10 timed events.
 */
static const char *timed_capture(void)
{
	static char path[256];
	struct cap c;

	if (path[0])
		return path;
	snprintf(path, sizeof(path), "%s", tmppath("timed.kcap"));
	t_start(&c, path);
	t_openat(&c, T0 + 1 * MS, 1000);
	t_read(&c, T0 + 2 * MS, 2000000);
	t_openat(&c, T0 + 3 * MS, 3000);
	t_read(&c, T0 + 4 * MS, 500000);
	t_read(&c, T0 + 5 * MS, UNKNOWN);
	t_close(&c, T0 + 6 * MS, UNKNOWN);
	t_openat(&c, T0 + 7 * MS, 5000);
	t_close(&c, T0 + 8 * MS, UNKNOWN);
	t_syscall(&c, T0 + 9 * MS, NR_WAIT4, 10000000);
	t_syscall(&c, T0 + 10 * MS, NR_FUTEX, 1000);
	t_syscall(&c, T0 + 11 * MS, NR_FUTEX, 3000);
	t_syscall(&c, T0 + 12 * MS, NR_NONE, 7);
	t_syscall(&c, T0 + 13 * MS, UINT32_MAX, 50);
	e_exit(&c, 10, T0 + 14 * MS, 10, 0);
	cap_close(&c);
	return path;
}

static char *summary_of(const char *path, bool json)
{
	char cmd[512];
	int rc;
	char *out;

	snprintf(cmd, sizeof(cmd), KCAP_BIN " read -q -S%s %s",
		 json ? " -j" : "", path);
	out = sh(cmd, &rc);
	ck_assert_msg(rc == 0, "%s: exit %d", cmd, rc);
	return out;
}

static json_t *json_summary(const char *path)
{
	char *out = summary_of(path, true);
	json_error_t e;
	json_t *j = json_loads(out, 0, &e);

	ck_assert_msg(j, "%s: %.300s", e.text, out);
	free(out);
	return j;
}

/* The section from its title to the blank line that ends it. */
static char *time_section(const char *out)
{
	const char *p = strstr(out, "\nTime by syscall");
	const char *end;

	ck_assert_msg(p, "no time section in:\n%s", out);
	p++;
	end = strstr(p, "\n\n");
	ck_assert_ptr_nonnull(end);
	return strndup(p, (size_t)(end - p + 1));
}

static void ck_time(json_t *tt, const char *name, long long timed,
		    long long total, long long max)
{
	json_t *r = json_object_get(tt, name);

	ck_assert_msg(json_is_object(r), "no time_by_syscall.%s", name);
	ck_assert_int_eq(json_object_size(r), 3);
	ck_assert_int_eq(json_integer_value(json_object_get(r, "timed")),
			 timed);
	ck_assert_int_eq(json_integer_value(json_object_get(r, "total_ns")),
			 total);
	ck_assert_int_eq(json_integer_value(json_object_get(r, "max_ns")), max);
}

START_TEST(timed_events_give_counts_totals_averages_and_maxima_per_syscall)
{
	char *out = summary_of(timed_capture(), false);
	char *sec = time_section(out);
	json_t *j = json_summary(timed_capture());
	json_t *tt = json_object_get(j, "time_by_syscall");

	/* most time first; the generic event by the syscall its nr names */
	ck_assert_str_eq(
		sec,
		"Time by syscall (10 timed events):\n"
		"  syscall                     timed      seconds     us/call      max us\n"
		"  wait4                           1     0.010000   10000.000   10000.000\n"
		"  read                            2     0.002500    1250.000    2000.000\n"
		"  openat                          3     0.000009       3.000       5.000\n"
		"  futex                           2     0.000004       2.000       3.000\n"
		"  syscall                         1     0.000000       0.050       0.050\n"
		"  syscall_999                     1     0.000000       0.007       0.007\n");
	/* after the counts by type, before the processes */
	ck_assert(strstr(out, "By event type:") < strstr(out, sec));
	ck_assert(strstr(out, sec) < strstr(out, "By process:"));

	ck_assert(json_is_object(tt));
	ck_assert_int_eq(json_object_size(tt), 6);
	ck_time(tt, "wait4", 1, 10000000, 10000000);
	ck_time(tt, "read", 2, 2500000, 2000000);
	ck_time(tt, "openat", 3, 9000, 5000);
	ck_time(tt, "futex", 2, 4000, 3000);
	ck_time(tt, "syscall", 1, 50, 50);
	ck_time(tt, "syscall_999", 1, 7, 7);
	/* the counts by type still count every event, timed or not */
	ck_assert_int_eq(json_integer_value(json_object_get(
				 json_object_get(j, "by_type"), "syscall")),
			 5);
	ck_assert_int_eq(json_integer_value(json_object_get(
				 json_object_get(j, "by_type"), "read")),
			 3);
	json_decref(j);
	free(sec);
	free(out);
}
END_TEST

START_TEST(unknown_durations_are_not_counted)
{
	char *out = summary_of(timed_capture(), false);
	char *sec = time_section(out);
	json_t *j = json_summary(timed_capture());
	json_t *tt = json_object_get(j, "time_by_syscall");

	/* 14 events, of which 3 unknown durations and a procexit */
	ck_assert_ptr_nonnull(strstr(out, "Events:    14 "));
	ck_assert_ptr_nonnull(strstr(sec, "(10 timed events)"));
	/* read: 2 of 3 timed, and its average is over those 2 */
	ck_assert_ptr_nonnull(strstr(
		sec,
		"  read                            2     0.002500    1250.000    2000.000\n"));
	ck_time(tt, "read", 2, 2500000, 2000000);
	/* close was never timed, procexit is no syscall: no rows */
	ck_assert_ptr_null(strstr(sec, "close"));
	ck_assert_ptr_null(strstr(sec, "procexit"));
	ck_assert_ptr_null(json_object_get(tt, "close"));
	ck_assert_ptr_null(json_object_get(tt, "procexit"));
	json_decref(j);
	free(sec);
	free(out);
}
END_TEST

START_TEST(a_capture_without_any_known_duration_prints_no_time_section)
{
	const char *path = tmppath("untimed.kcap");
	struct cap c;
	char *out;
	json_t *j, *tt;

	t_start(&c, path);
	t_openat(&c, T0 + 1 * MS, UNKNOWN);
	t_read(&c, T0 + 2 * MS, UNKNOWN);
	t_syscall(&c, T0 + 3 * MS, NR_FUTEX, UNKNOWN);
	t_close(&c, T0 + 4 * MS, UNKNOWN);
	cap_close(&c);

	/* as the summary printed it before there were durations */
	out = summary_of(path, false);
	ck_assert_str_eq(
		out,
		"Events:    4 from 2026-11-23T19:02:44.001000000Z to 2026-11-23T19:02:44.004000000Z (0.003 s)\n"
		"Lost:      0\n"
		"\n"
		"By event type:\n"
		"  close                           1  25.00%\n"
		"  openat                          1  25.00%\n"
		"  read                            1  25.00%\n"
		"  syscall                         1  25.00%\n"
		"\n"
		"By process:\n"
		"  app(10) 4\n"
		"\n"
		"Errors:\n"
		"  none\n");
	free(out);
	j = json_summary(path);
	tt = json_object_get(j, "time_by_syscall");
	ck_assert_msg(json_is_object(tt) && json_object_size(tt) == 0,
		      "time_by_syscall is not {}");
	json_decref(j);

	/* a file written before dur existed: its dur reads as unknown */
	out = summary_of(KCAP_FIXTURES "/mix.kcap", false);
	ck_assert_ptr_null(strstr(out, "Time by"));
	ck_assert_ptr_nonnull(strstr(out, "By event type:\n"));
	free(out);
}
END_TEST

/* ---- names and columns ---------------------------------------------------------- */

/* The first line of the section that starts with "  name ". */
static char *row_of(const char *sec, const char *name)
{
	char key[128];
	const char *p, *end;

	snprintf(key, sizeof(key), "\n  %s ", name);
	p = strstr(sec, key);
	ck_assert_msg(p, "no row %s in:\n%s", name, sec);
	p++;
	end = strchr(p, '\n');
	ck_assert_ptr_nonnull(end);
	return strndup(p, (size_t)(end - p));
}

/* Every line of the section but its title is as long as the first. */
static void ck_aligned(const char *sec)
{
	const char *p = strchr(sec, '\n') + 1, *end;
	size_t len = strchr(p, '\n') - p;

	for (; *p; p = end + 1) {
		end = strchr(p, '\n');
		ck_assert_ptr_nonnull(end);
		ck_assert_msg((size_t)(end - p) == len, "misaligned: %.*s",
			      (int)(end - p), p);
	}
}

START_TEST(a_syscall_name_longer_than_the_column_widens_it)
{
	const char *path = tmppath("longname.kcap");
	struct cap c;
	char *out, *sec;

	t_start(&c, path);
	t_syscall(&c, T0 + 1 * MS, NR_SCHED_GET_PRIORITY_MAX, 2000);
	t_syscall(&c, T0 + 2 * MS, NR_FUTEX, 1000);
	cap_close(&c);

	out = summary_of(path, false);
	sec = time_section(out);
	/* 22 bytes: the column is as wide, the numbers stay in line */
	ck_assert_str_eq(
		sec,
		"Time by syscall (2 timed events):\n"
		"  syscall                       timed      seconds     us/call      max us\n"
		"  sched_get_priority_max            1     0.000002       2.000       2.000\n"
		"  futex                             1     0.000001       1.000       1.000\n");
	ck_aligned(sec);
	free(sec);
	free(out);
}
END_TEST

START_TEST(a_total_past_the_largest_u64_stops_there_instead_of_wrapping)
{
	const char *path = tmppath("huge.kcap");
	uint64_t big = 0x7000000000000000ull; /* three of them pass 2^64 */
	unsigned long long timed;
	double secs, avg, max;
	struct cap c;
	char *out, *sec, *row;

	t_start(&c, path);
	t_read(&c, T0 + 1 * MS, big);
	t_read(&c, T0 + 2 * MS, big);
	t_read(&c, T0 + 3 * MS, big);
	t_openat(&c, T0 + 4 * MS, 1000);
	cap_close(&c);

	/* jansson refuses integers past INT64_MAX: the JSON as text */
	out = summary_of(path, true);
	ck_assert_msg(
		strstr(out,
		       "\"read\":{\"timed\":3,\"total_ns\":18446744073709551615,\"max_ns\":8070450532247928832}"),
		"%s", out);
	free(out);

	out = summary_of(path, false);
	sec = time_section(out);
	row = row_of(sec, "read");
	ck_assert_int_eq(sscanf(row, " read %llu %lf %lf %lf", &timed, &secs,
				&avg, &max),
			 4);
	ck_assert_uint_eq(timed, 3);
	ck_assert(secs > 18446744073.0);
	/* still first: the most time */
	ck_assert_ptr_nonnull(strstr(sec, "max us\n  read "));
	/* the average, of a total that stopped, is below the true one */
	ck_assert(avg > 6.1e15 && avg <= max);
	free(row);
	free(sec);
	free(out);
}
END_TEST

START_TEST(past_1024_numbers_without_a_name_further_ones_share_one_row)
{
	const char *path = tmppath("numbers.kcap");
	struct cap c;
	json_t *j, *tt;
	uint32_t i;

	t_start(&c, path);
	for (i = 0; i < 1100; i++)
		t_syscall(&c, T0 + 1 * MS + i, 100000 + i, 1);
	/* a number that has its row already keeps it */
	t_syscall(&c, T0 + 2 * MS, 100000, 1);
	t_syscall(&c, T0 + 2 * MS + 1, NR_FUTEX, 1000);
	cap_close(&c);

	j = json_summary(path);
	tt = json_object_get(j, "time_by_syscall");
	/* 1024 numbers, the rest in one row, and futex */
	ck_assert_int_eq(json_object_size(tt), 1024 + 1 + 1);
	ck_time(tt, "syscall_100000", 2, 2, 1);
	ck_time(tt, "syscall_101023", 1, 1, 1);
	ck_assert_ptr_null(json_object_get(tt, "syscall_101024"));
	ck_time(tt, "syscall_other", 1100 - 1024, 1100 - 1024, 1);
	ck_time(tt, "futex", 1, 1000, 1000);
	json_decref(j);
}
END_TEST

/* ---- a file whose schema has a type this build does not know --------------------- */

/* The longest name a schema may give (63 bytes). */
#define LONG_NAME \
	"a_type_this_build_has_no_name_for_whose_name_fills_63_bytes_xyz"
#define LONG_ID (KCAP_EV_LIMIT - 1)
#define LONG_SIZE 40 /* header, res @16, dur @24, nr @32 */

/*
 * A block as the writer frames it, stored raw: header, payload, trailer;
 * listed in the index (whose own entry is not used).
 */
static size_t put_block(uint8_t *out, uint8_t *index, size_t off, int type,
			uint32_t seq, const void *pl, uint32_t len,
			uint32_t count, uint64_t first_ts, uint64_t last_ts)
{
	size_t total = KCAP_BLOCK_HDR_SIZE + ALIGN8(len) + 8;
	uint8_t *e = index + seq * KCAP_INDEX_ENTRY;

	out += off;
	memset(out, 0, total);
	kcap_put32(out, KCAP_BLOCK_MAGIC);
	kcap_put16(out + 4, (uint16_t)type);
	kcap_put32(out + 8, len);
	kcap_put32(out + 12, len);
	kcap_put32(out + 16, count);
	kcap_put32(out + 20, seq);
	kcap_put64(out + 24, first_ts);
	kcap_put64(out + 32, last_ts);
	kcap_put64(e, off);
	kcap_put64(e + 8, first_ts);
	kcap_put64(e + 16, last_ts);
	kcap_put32(e + 24, count);
	kcap_put16(e + 28, (uint16_t)type);
	memcpy(out + 48, pl, len);
	kcap_put32(out + 40, kcap_cksum32(out + 48, len));
	kcap_put32(out + 44, kcap_cksum32(out, 44));
	kcap_put32(out + 48 + ALIGN8(len), (uint32_t)total);
	kcap_put32(out + 48 + ALIGN8(len) + 4, KCAP_TRAILER_MAGIC);
	return total;
}

static size_t put_name(uint8_t *p, const char *name)
{
	size_t n = strlen(name);

	p[0] = (uint8_t)n;
	memcpy(p + 1, name, n);
	return 1 + n;
}

static size_t put_field(uint8_t *p, uint16_t off, uint8_t type, uint8_t fmt,
			const char *name)
{
	kcap_put16(p, off);
	p[2] = type;
	p[3] = fmt;
	return 4 + put_name(p + 4, name);
}

static void put_long(uint8_t *rec, uint64_t ts, int64_t res, uint64_t dur,
		     uint32_t nr)
{
	memset(rec, 0, LONG_SIZE);
	kcap_put16(rec, LONG_ID);
	kcap_put16(rec + 2, LONG_SIZE);
	kcap_put32(rec + 4, 10);
	kcap_put64(rec + 8, ts);
	kcap_put64(rec + 16, (uint64_t)res);
	kcap_put64(rec + 24, dur);
	kcap_put32(rec + 32, nr);
}

/*
 * Written by hand, as no writer takes a schema: one syscall event, LONG_ID
 * named LONG_NAME, with res, dur and a syscall nr, as a newer kcap could
 * write it. Its nr 999 has no name; 202 is futex; UINT32_MAX is unknown.
 */
static const char *long_name_capture(void)
{
	static uint8_t file[4096] __attribute__((aligned(8)));
	static char path[256];
	uint8_t schema[256], evs[5 * LONG_SIZE] __attribute__((aligned(8)));
	uint8_t index[4 * KCAP_INDEX_ENTRY] = { 0 }, footer[16];
	size_t n, s = 8, ix;
	FILE *f;

	if (path[0])
		return path;
	ck_assert_uint_eq(strlen(LONG_NAME), 63);
	ck_assert_ptr_null(kcap_schema__event(kcap_schema__builtin(), LONG_ID));
	kcap_put32(schema, 1);
	kcap_put32(schema + 4, 0);
	kcap_put16(schema + s, LONG_ID);
	kcap_put16(schema + s + 2, LONG_SIZE);
	kcap_put16(schema + s + 4, KCAP_EF_SYSCALL);
	schema[s + 6] = 0;
	schema[s + 7] = 3;
	s += 8;
	s += put_name(schema + s, LONG_NAME);
	s += put_field(schema + s, 16, KCAP_T_s64, KCAP_FMT_RES, "res");
	s += put_field(schema + s, 24, KCAP_T_u64, KCAP_FMT_DURATION, "dur");
	s += put_field(schema + s, 32, KCAP_T_u32, KCAP_FMT_SYSCALL, "nr");

	put_long(evs + 0 * LONG_SIZE, T0 + 1 * MS, 0, 7, NR_NONE);
	put_long(evs + 1 * LONG_SIZE, T0 + 2 * MS, 0, 3, NR_NONE);
	put_long(evs + 2 * LONG_SIZE, T0 + 3 * MS, 0, 1000, NR_FUTEX);
	put_long(evs + 3 * LONG_SIZE, T0 + 4 * MS, -2, 50, UINT32_MAX);
	put_long(evs + 4 * LONG_SIZE, T0 + 5 * MS, 0, UNKNOWN, NR_NONE);

	memset(file, 0, 64);
	memcpy(file, KCAP_MAGIC, 8);
	kcap_put16(file + 8, 1);
	kcap_put32(file + 12, 64);
	kcap_put64(file + 32, kcap_hash64(schema, s));
	kcap_put32(file + 60, kcap_cksum32(file, 60));
	n = 64;
	n += put_block(file, index, n, KCAP_BLOCK_SCHEMA, 0, schema,
		       (uint32_t)s, 1, 0, 0);
	n += put_block(file, index, n, KCAP_BLOCK_EVENTS, 1, evs, sizeof(evs),
		       5, T0 + 1 * MS, T0 + 5 * MS);
	/* closed, as a kcap that is not killed leaves it: INDEX, FOOTER */
	ix = n;
	n += put_block(file, index, n, KCAP_BLOCK_INDEX, 2, index,
		       2 * KCAP_INDEX_ENTRY, 2, 0, 0);
	kcap_put64(footer, ix);
	kcap_put64(footer + 8, 5);
	n += put_block(file, index, n, KCAP_BLOCK_FOOTER, 3, footer,
		       sizeof(footer), 0, 0, 0);

	snprintf(path, sizeof(path), "%s", tmppath("longtype.kcap"));
	f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(file, 1, n, f), n);
	ck_assert_int_eq(fclose(f), 0);
	return path;
}

START_TEST(a_type_only_the_file_names_is_named_in_full_and_alike_everywhere)
{
	char *out = summary_of(long_name_capture(), false);
	char *sec = time_section(out);
	json_t *j = json_summary(long_name_capture());
	json_t *tt = json_object_get(j, "time_by_syscall");
	json_t *bt = json_object_get(j, "by_type");
	json_t *err = json_array_get(json_object_get(j, "errors"), 0);
	char want[1024];

	/* its 5 events, by the name its file gives it, in a column as wide */
	ck_assert_msg(strstr(out, "By event type:\n"
				  "  " LONG_NAME "            5 100.00%\n\n"),
		      "%s", out);
	/* its time by the same name, and by it and the nr without a name */
	snprintf(want, sizeof(want),
		 "Time by syscall (4 timed events):\n"
		 "  %-67s        timed      seconds     us/call      max us\n"
		 "  %-67s            1     0.000001       1.000       1.000\n"
		 "  %-67s            1     0.000000       0.050       0.050\n"
		 "  %-67s            2     0.000000       0.005       0.007\n",
		 "syscall", "futex", LONG_NAME, LONG_NAME "_999");
	ck_assert_str_eq(sec, want);
	ck_aligned(sec);

	/* JSON: the same names */
	ck_assert_int_eq(json_object_size(bt), 1);
	ck_assert_int_eq(json_integer_value(json_object_get(bt, LONG_NAME)), 5);
	ck_assert_int_eq(json_object_size(tt), 3);
	ck_time(tt, LONG_NAME "_999", 2, 10, 7);
	ck_time(tt, LONG_NAME, 1, 50, 50);
	ck_time(tt, "futex", 1, 1000, 1000);
	/* and its errors: the name is not cut, nor the result after it */
	ck_assert_str_eq(json_string_value(json_object_get(err, "type")),
			 LONG_NAME);
	ck_assert_int_eq(json_integer_value(json_object_get(err, "res")), -2);
	json_decref(j);
	free(sec);
	free(out);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("replay_summary");
	TCase *t = tcase_create("summary");

	tcase_set_timeout(t, 60);
	tcase_add_test(
		t,
		timed_events_give_counts_totals_averages_and_maxima_per_syscall);
	tcase_add_test(t, unknown_durations_are_not_counted);
	tcase_add_test(
		t, a_capture_without_any_known_duration_prints_no_time_section);
	tcase_add_test(t, a_syscall_name_longer_than_the_column_widens_it);
	tcase_add_test(
		t,
		a_total_past_the_largest_u64_stops_there_instead_of_wrapping);
	tcase_add_test(
		t, past_1024_numbers_without_a_name_further_ones_share_one_row);
	tcase_add_test(
		t,
		a_type_only_the_file_names_is_named_in_full_and_alike_everywhere);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	return kcap_check_run(suite());
}
