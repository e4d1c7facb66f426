/* SPDX-License-Identifier: GPL-2.0 */
/* The end of every unit test's main(): run its suite, exit as Check says it went. */
#ifndef KXEN_UNIT_RUN_SUITE_H
#define KXEN_UNIT_RUN_SUITE_H

#include <check.h>
#include <stdlib.h>

static inline int run_suite(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif
