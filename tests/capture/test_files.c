// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * -W's ring of output files with strftime names: which file goes when a
 * new one starts. No BPF is loaded, so this runs anywhere.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "capture.h"
#include "../checkrun.h"

/* The next file of a ring of n, as record.c's output_name() takes it. */
static char *next(char **kept, unsigned int n, unsigned int *file_no,
		  const char *name)
{
	return kcap_ring_take(kept, n, (*file_no)++ % n, name);
}

static void free_ring(char **kept, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		free(kept[i]);
}

START_TEST(test_w_removes_the_oldest_file_once_the_ring_is_full)
{
	char *kept[3] = { 0 };
	unsigned int no = 0;
	char *old;

	ck_assert_ptr_null(next(kept, 3, &no, "c-01"));
	ck_assert_ptr_null(next(kept, 3, &no, "c-02"));
	ck_assert_ptr_null(next(kept, 3, &no, "c-03"));
	old = next(kept, 3, &no, "c-04");
	ck_assert_str_eq(old, "c-01");
	free(old);
	old = next(kept, 3, &no, "c-05");
	ck_assert_str_eq(old, "c-02");
	free(old);
	free_ring(kept, 3);
}
END_TEST

/*
 * c-%H with -G 3600 -W 48: a day later c-05 is written again. The slot
 * that held the first c-05 must not remove the second one when its turn
 * comes, a day before it is the oldest.
 */
START_TEST(test_w_never_removes_a_file_whose_name_came_round_again)
{
	static const char *const day[] = { "c-05", "c-06", "c-05", "c-06",
					   "c-07", "c-08", "c-09" };
	char *kept[4] = { 0 }, *old;
	unsigned int no = 0, i;

	for (i = 0; i < sizeof(day) / sizeof(day[0]); i++) {
		old = next(kept, 4, &no, day[i]);
		/* only a name no longer written may go */
		if (old) {
			for (unsigned int k = 0; k < 4; k++)
				ck_assert_msg(
					!kept[k] || strcmp(kept[k], old),
					"file %u (%s) removed %s, still in "
					"the ring",
					i, day[i], old);
			ck_assert_str_ne(old, day[i]);
		}
		/* c-05 and c-06 were overwritten: their old slots let go */
		if (i == 4)
			ck_assert_ptr_null(old);
		free(old);
	}
	free_ring(kept, 4);
}
END_TEST

START_TEST(test_w_keeps_a_name_written_again_in_its_own_slot)
{
	char *kept[2] = { 0 };
	unsigned int no = 0;

	ck_assert_ptr_null(next(kept, 2, &no, "a"));
	ck_assert_ptr_null(next(kept, 2, &no, "b"));
	/* slot 0 again, and the same name: that file is the new one */
	ck_assert_ptr_null(next(kept, 2, &no, "a"));
	ck_assert_str_eq(kept[0], "a");
	free_ring(kept, 2);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("files");
	TCase *tc = tcase_create("ring");

	tcase_add_test(tc,
		       test_w_removes_the_oldest_file_once_the_ring_is_full);
	tcase_add_test(tc,
		       test_w_never_removes_a_file_whose_name_came_round_again);
	tcase_add_test(tc, test_w_keeps_a_name_written_again_in_its_own_slot);
	suite_add_tcase(s, tc);
	return kcap_check_run(s);
}
