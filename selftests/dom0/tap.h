/* SPDX-License-Identifier: GPL-2.0 */
/* TAP for the dom0 test programs: one "ok N - ..." line per check, "1..N" at the end. */
#ifndef KXEN_DOM0_TAP_H
#define KXEN_DOM0_TAP_H

#include <stdarg.h>
#include <stdio.h>

static int tap_n, tap_failed;

static void __attribute__((format(printf, 2, 3))) ok(int cond, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - ", cond ? "" : "not ", ++tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	tap_failed += !cond;
}

/* A check that cannot be made here: counted, neither passed nor failed. */
static void __attribute__((unused)) skip(const char *why)
{
	printf("ok %d # SKIP %s\n", ++tap_n, why);
}

/* The plan, and the exit status: 0 when every check passed. */
static int done_testing(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed != 0;
}

#endif
