// SPDX-License-Identifier: GPL-2.0
/*
 * kxen writes out the Xen 4.17 layouts Linux does not ship (domctl, sysctl, the HVM
 * save records: the headers in kernel/include/kxen/public/) and pins every size and offset it
 * relies on with a static_assert. Those numbers were worked out once; here each is
 * held against what Debian's libxen-dev headers (Xen's own public headers, with
 * __XEN_TOOLS__) give for the same expression. abi_cases.h is made by the Makefile
 * from the static_asserts themselves, so a new one is checked as soon as it is
 * written; an expression Xen's headers cannot compile fails the build of this test.
 */
#define __XEN_TOOLS__ 1
#include <check.h>
#include "run_suite.h"
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <xen/xen.h>
#include <xen/domctl.h>
#include <xen/sysctl.h>
#include <xen/hvm/save.h>

#define CASE(expr, pinned) { #expr, (long)(expr), pinned }
static const struct {
	const char *expr;
	long xen, kxen;
} cases[] = {
#include "abi_cases.h"
};

START_TEST(pinned_as_xen)
{
	ck_assert_msg(cases[_i].xen == cases[_i].kxen, "%s: Xen's headers give %ld, kxen pins %ld",
		      cases[_i].expr, cases[_i].xen, cases[_i].kxen);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("abi");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, pinned_as_xen, 0, sizeof(cases) / sizeof(cases[0]));
	suite_add_tcase(s, tc);
	return run_suite(s);
}
