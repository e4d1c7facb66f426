/* SPDX-License-Identifier: GPL-2.0 */
/* Starting domains from debugfs, for selftests only (launch.c). */
#ifndef KXEN_TESTING_LAUNCH_H
#define KXEN_TESTING_LAUNCH_H

#ifdef CONFIG_KXEN_TEST_LAUNCH
void kxen_test_launch_init(void);
void kxen_test_launch_exit(void);
#else
static inline void kxen_test_launch_init(void) { }
static inline void kxen_test_launch_exit(void) { }
#endif

#endif
