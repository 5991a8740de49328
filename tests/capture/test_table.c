// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The recorder's fill table, as built from the schema: which syscalls take
 * which BPF fast path. No BPF is loaded, so this runs anywhere.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture.h"
#include "../checkrun.h"
/* libkcap's private header: the test's target has no path to it */
#include "../../format/src/names.h"

static struct kcap_sys *build(const char *select)
{
	struct kcap_sys *tab = calloc(KCAP_NR_MAX, sizeof(*tab));
	char err[256] = "";

	ck_assert_ptr_nonnull(tab);
	ck_assert_msg(kcap_table_build(tab, kcap_schema__builtin(), select, err,
				       sizeof(err)) == 0,
		      "table: %s", err);
	return tab;
}

/* build(), with what it wrote to stderr in out. */
static struct kcap_sys *build_said(const char *select, char *out, size_t cap)
{
	FILE *tmp = tmpfile();
	struct kcap_sys *tab;
	int saved = dup(2);
	size_t n;

	ck_assert_ptr_nonnull(tmp);
	ck_assert_int_ge(saved, 0);
	fflush(stderr);
	ck_assert_int_eq(dup2(fileno(tmp), 2), 2);
	tab = build(select);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(tmp);
	n = fread(out, 1, cap - 1, tmp);
	out[n] = 0;
	fclose(tmp);
	return tab;
}

static bool on(const struct kcap_sys *tab, const char *name)
{
	int nr = kcap_syscall_nr(name);

	ck_assert_msg(nr >= 0, "%s is no syscall", name);
	return tab[nr].flags & KCAP_SYS_ENABLED;
}

static unsigned int fast(const struct kcap_sys *tab, int nr)
{
	return tab[nr].flags & (KCAP_SYS_SIMPLE | KCAP_SYS_BUF | KCAP_SYS_PATH);
}

START_TEST(open_openat_and_creat_take_the_path_fast_path)
{
	struct kcap_sys *tab = build(NULL);

	ck_assert_uint_eq(fast(tab, 2), KCAP_SYS_PATH); /* open */
	ck_assert_uint_eq(fast(tab, 257), KCAP_SYS_PATH); /* openat */
	ck_assert_uint_eq(fast(tab, 85), KCAP_SYS_PATH); /* creat */
	/* openat2 reads its struct open_how: the general path */
	ck_assert_uint_eq(fast(tab, 437), 0);
	/* execve reads much more than its filename */
	ck_assert_uint_eq(fast(tab, 59), 0);
	free(tab);
}
END_TEST

START_TEST(integer_and_buffer_events_take_theirs)
{
	struct kcap_sys *tab = build(NULL);

	ck_assert_uint_eq(fast(tab, 3), KCAP_SYS_SIMPLE); /* close */
	ck_assert_uint_eq(fast(tab, 110), KCAP_SYS_SIMPLE); /* getppid */
	ck_assert_uint_eq(fast(tab, 0), KCAP_SYS_BUF); /* read */
	ck_assert_uint_eq(fast(tab, 1), KCAP_SYS_BUF); /* write */
	free(tab);
}
END_TEST

START_TEST(a_path_event_has_one_string_after_its_integers)
{
	struct kcap_sys *tab = build(NULL);
	const struct kcap_sys *e = &tab[257];
	unsigned int i, str = 0;

	ck_assert_uint_le(e->nops, e->nints + KCAP_PATH_OPS);
	for (i = e->nints; i < e->nops; i++)
		if (e->ops[i].kind == KCAP_SRCK_USTR) {
			str++;
			/* the argument sys_enter stashes for openat */
			ck_assert_uint_eq(e->ops[i].a, 1);
		}
	ck_assert_uint_eq(str, 1);
	free(tab);
}
END_TEST

/*
 * kcap read names fds and processes by the events that change its
 * tables, from the snapshot on: -e keeps them, whatever it names.
 */
START_TEST(a_selection_still_records_the_events_names_are_kept_by)
{
	static const char *const state[] = {
		"open",	   "openat",   "close",	 "dup2",
		"fcntl",   "chdir",    "socket", "connect",
		"accept4", "pipe2",    "clone",	 "clone3",
		"execve",  "execveat", "vfork",	 "close_range",
	};
	static const char *const sels[] = { "write", "%net", "!%file",
					    "%memory,!%process" };
	struct kcap_sys *tab;
	size_t i, j;

	for (i = 0; i < sizeof(sels) / sizeof(sels[0]); i++) {
		tab = build(sels[i]);
		for (j = 0; j < sizeof(state) / sizeof(state[0]); j++)
			ck_assert_msg(on(tab, state[j]), "-e %s left out %s",
				      sels[i], state[j]);
		free(tab);
	}
	/* the others stay as -e says */
	tab = build("write");
	ck_assert(on(tab, "write"));
	ck_assert(!on(tab, "read"));
	ck_assert(!on(tab, "stat"));
	ck_assert(!on(tab, "getppid"));
	ck_assert(!(tab[KCAP_NR_OTHER].flags & KCAP_SYS_ENABLED));
	free(tab);
	tab = build("!%file");
	ck_assert(!on(tab, "read"));
	ck_assert(on(tab, "getppid"));
	free(tab);
}
END_TEST

START_TEST(a_state_event_excluded_by_name_is_left_out_with_a_warning)
{
	char said[1024];
	struct kcap_sys *tab = build_said("write,!close", said, sizeof(said));

	ck_assert(!on(tab, "close"));
	ck_assert(on(tab, "openat"));
	ck_assert(on(tab, "write"));
	ck_assert_msg(strstr(said, "-e !close") && strstr(said, "wrong"),
		      "said: %s", said);
	free(tab);
	/* the other exclusions say nothing */
	tab = build_said("!read,!%file", said, sizeof(said));
	ck_assert_str_eq(said, "");
	ck_assert(!on(tab, "read"));
	ck_assert(on(tab, "close"));
	free(tab);
}
END_TEST

/*
 * As in strace, `!name` excludes the syscall: a class after it does not
 * bring it back.
 */
START_TEST(an_exclusion_wins_wherever_it_stands_in_the_list)
{
	static const char *const sels[] = { "!close,%file", "%file,!close",
					    "!close,close", "close,!close" };
	struct kcap_sys *tab;
	size_t i;

	for (i = 0; i < sizeof(sels) / sizeof(sels[0]); i++) {
		tab = build(sels[i]);
		ck_assert_msg(!on(tab, "close"), "-e %s records close",
			      sels[i]);
		free(tab);
	}
	tab = build("!stat,%file");
	ck_assert(!on(tab, "stat"));
	ck_assert(on(tab, "lstat"));
	ck_assert(on(tab, "read"));
	ck_assert(!on(tab, "mmap"));
	free(tab);
	/* a class excluded wins over a name, too */
	tab = build("!%time,nanosleep,read");
	ck_assert(!on(tab, "nanosleep"));
	ck_assert(on(tab, "read"));
	free(tab);
}
END_TEST

START_TEST(naming_a_syscall_no_event_can_record_says_what_records_it)
{
	static const struct {
		const char *sel, *instead;
	} cases[] = {
		{ "exit", "procexit" },
		{ "exit_group", "procexit" },
		{ "rt_sigreturn", "signaldeliver" },
		{ "write,exit_group", "procexit" },
	};
	char said[1024];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		free(build_said(cases[i].sel, said, sizeof(said)));
		ck_assert_msg(strstr(said, "warning") &&
				      strstr(said, cases[i].instead),
			      "-e %s said: %s", cases[i].sel, said);
	}
	/* not by a class, nor by an exclusion, nor for a recordable one */
	free(build_said("%process,%signal,!exit,write", said, sizeof(said)));
	ck_assert_str_eq(said, "");
}
END_TEST

/*
 * A class selects the syscalls of its kind that have no event of their
 * own (the generic `syscall` event) too; %other keeps the rest.
 */
START_TEST(a_class_selects_the_generic_syscalls_of_its_kind)
{
	static const struct {
		const char *cls;
		const char *names[12];
	} cases[] = {
		{ "%time",
		  { "clock_nanosleep", "clock_gettime", "setitimer", "alarm",
		    "timer_create", "timer_delete", "nanosleep" } },
		{ "%file",
		  { "statx", "truncate", "ftruncate", "fsync", "readlink",
		    "faccessat2", "utimensat", "getxattr", "fallocate",
		    "openat" } },
		{ "%process",
		  { "wait4", "getpid", "getppid", "exit_group", "waitid",
		    "execve" } },
		{ "%signal", { "rt_sigaction", "rt_sigprocmask", "kill" } },
		{ "%memory", { "mremap", "madvise", "mmap" } },
		{ "%ipc", { "msgget", "shmget", "shmat", "mq_open", "semop" } },
		{ "%sys", { "uname", "sethostname", "mount" } },
		{ "%net", { "socket", "sendto" } },
	};
	struct kcap_sys *tab;
	size_t i, j;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		tab = build(cases[i].cls);
		for (j = 0; cases[i].names[j]; j++)
			ck_assert_msg(on(tab, cases[i].names[j]),
				      "-e %s left out %s", cases[i].cls,
				      cases[i].names[j]);
		/* a generic syscall of another class stays out */
		ck_assert_msg(!on(tab, "getrandom"), "-e %s took getrandom",
			      cases[i].cls);
		free(tab);
	}
	tab = build("%other");
	ck_assert(on(tab, "getrandom"));
	ck_assert(on(tab, "restart_syscall"));
	ck_assert(tab[KCAP_NR_OTHER].flags & KCAP_SYS_ENABLED);
	ck_assert(!on(tab, "clock_gettime"));
	ck_assert(!on(tab, "statx"));
	ck_assert(!on(tab, "wait4"));
	free(tab);
}
END_TEST

START_TEST(every_syscall_has_a_class_and_its_event_has_the_same)
{
	const struct kcap_schema *s = kcap_schema__builtin();
	unsigned int nr;

	for (nr = 0; nr < kcap_syscall_max(); nr++) {
		const char *name = kcap_syscall_name(nr);
		const struct kcap_event_desc *ev;
		unsigned int id;
		int cls = kcap_syscall_class(nr);

		if (!name)
			continue;
		ck_assert_msg(cls >= KCAP_CLASS_FILE && cls <= KCAP_CLASS_OTHER,
			      "%s has no class", name);
		for (id = 32; id < kcap_schema__id_limit(s); id++) {
			ev = kcap_schema__event(s, id);
			if (ev && !strcmp(ev->name, name))
				ck_assert_msg(ev->cls == cls,
					      "%s: class %d in names.c, %d in "
					      "events.def",
					      name, cls, ev->cls);
		}
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("table");
	TCase *tc = tcase_create("table");

	tcase_add_test(tc, open_openat_and_creat_take_the_path_fast_path);
	tcase_add_test(tc, integer_and_buffer_events_take_theirs);
	tcase_add_test(tc, a_path_event_has_one_string_after_its_integers);
	tcase_add_test(tc,
		       a_selection_still_records_the_events_names_are_kept_by);
	tcase_add_test(
		tc, a_state_event_excluded_by_name_is_left_out_with_a_warning);
	tcase_add_test(tc, an_exclusion_wins_wherever_it_stands_in_the_list);
	tcase_add_test(
		tc, naming_a_syscall_no_event_can_record_says_what_records_it);
	tcase_add_test(tc, a_class_selects_the_generic_syscalls_of_its_kind);
	tcase_add_test(tc,
		       every_syscall_has_a_class_and_its_event_has_the_same);
	suite_add_tcase(s, tc);
	return kcap_check_run(s);
}
