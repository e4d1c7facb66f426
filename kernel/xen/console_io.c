// SPDX-License-Identifier: GPL-2.0
/*
 * HYPERVISOR_console_io (public/xen.h): the hypervisor's own console. Xen's release
 * builds keep it for the hardware domain: any other domain gets -EPERM and, like
 * Linux's hvc_xen, writes to port 0xE9 instead (arch/x86/exit.c), which lands in the
 * same console ring.
 */
#include <linux/errno.h>
#include <linux/minmax.h>
#include <xen/interface/xen.h>

#include <kxen/xen_errno.h>
#include "../arch/x86/arch.h"
#include "../core/domain.h"
#include "hypercall.h"

long kxen_do_console_io(struct kxen_vcpu *v, const unsigned long *a)
{
	unsigned int cmd = a[0], count = a[1];
	unsigned long buf = a[2];
	char kbuf[128];

	if (!kxen_is_dom0(v->d))
		return -EPERM;
	switch (cmd) {
	case CONSOLEIO_write:
		while (count) {
			unsigned int n = min_t(unsigned int, count, sizeof(kbuf)), i;

			if (kxen_copy_from_guest(v, kbuf, buf, n))
				return -EFAULT;
			for (i = 0; i < n; i++)
				kxen_console_guest_putc(v->d, kbuf[i]);
			buf += n;
			count -= n;
		}
		return 0;
	case CONSOLEIO_read:
		return 0;	/* kxen's console has no input */
	}
	return -XEN_ENOSYS;
}
