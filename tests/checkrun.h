/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The one way the test programs run their check suite. */
#ifndef KCAP_TESTS_CHECKRUN_H
#define KCAP_TESTS_CHECKRUN_H

#include <check.h>

/* Runs every test of s; the exit status: 0 if all passed, else 1. */
static inline int kcap_check_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}

#endif
