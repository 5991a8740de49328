// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The summary analyzer's time per syscall (kcap read -S), from the `dur`
 * that kcap record -T and kcap convert fill in: counts, totals, averages
 * and maxima of the known durations only, and nothing at all when no
 * event was timed.
 */
#include <jansson.h>

#include "replay_testutil.h"

#define UNKNOWN UINT64_MAX /* dur not measured */
#define NR_WAIT4 61
#define NR_FUTEX 202
#define NR_NONE 999 /* no x86_64 syscall has it */

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
	const char *p = strstr(out, "\nTime by event type");
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

	ck_assert_msg(json_is_object(r), "no time_by_type.%s", name);
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
	json_t *tt = json_object_get(j, "time_by_type");

	/* most time first; the generic event by the syscall its nr names */
	ck_assert_str_eq(
		sec,
		"Time by event type (10 timed events):\n"
		"  type                        timed      seconds     us/call      max us\n"
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
	json_t *tt = json_object_get(j, "time_by_type");

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
	tt = json_object_get(j, "time_by_type");
	ck_assert_msg(json_is_object(tt) && json_object_size(tt) == 0,
		      "time_by_type is not {}");
	json_decref(j);

	/* a file written before dur existed: its dur reads as unknown */
	out = summary_of(KCAP_FIXTURES "/mix.kcap", false);
	ck_assert_ptr_null(strstr(out, "Time by"));
	ck_assert_ptr_nonnull(strstr(out, "By event type:\n"));
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
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	SRunner *r = srunner_create(suite());
	int failed;

	srunner_run_all(r, CK_NORMAL);
	failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? 1 : 0;
}
