// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The recorder's fill table, as built from the schema: which syscalls take
 * which BPF fast path. No BPF is loaded, so this runs anywhere.
 */
#include <check.h>
#include <stdlib.h>

#include "capture.h"
#include "../checkrun.h"

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

int main(void)
{
	Suite *s = suite_create("table");
	TCase *tc = tcase_create("table");

	tcase_add_test(tc, open_openat_and_creat_take_the_path_fast_path);
	tcase_add_test(tc, integer_and_buffer_events_take_theirs);
	tcase_add_test(tc, a_path_event_has_one_string_after_its_integers);
	suite_add_tcase(s, tc);
	return kcap_check_run(s);
}
