/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Xen's errno values (public/errno.h), which guests and dom0 tools read from hypercall
 * results. On x86 they are Linux's; named apart where a Xen answer is meant, such as
 * ENOSYS for "no such hypercall or sub-op", which in Linux means a missing syscall.
 */
#ifndef KXEN_XEN_ERRNO_H
#define KXEN_XEN_ERRNO_H

#include <linux/build_bug.h>

#define XEN_ENOSYS	38

/* Linux's x86 value of the same name: the ABI depends on their being equal. */
static_assert(XEN_ENOSYS == 38);

#endif
