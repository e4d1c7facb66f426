// SPDX-License-Identifier: GPL-2.0
/*
 * HYPERVISOR_xen_version (public/version.h): who we are. The strings are fixed-size
 * arrays in the ABI; they are copied whole, zero-padded. Sub-ops that Xen keeps for
 * privileged callers give an unprivileged domain what Xen gives it: "<denied>".
 */
#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/string.h>
#include <xen/interface/xen.h>
#include <xen/interface/version.h>
#include <xen/interface/features.h>

#include <kxen/xen_version.h>
#include <kxen/xen_errno.h>
#include "../arch/x86/arch.h"
#include "../core/domain.h"
#include "hypercall.h"

/* Xen's HYPERVISOR_VIRT_START on x86-64, which XENVER_platform_parameters reports. */
#define XEN_VIRT_START	0xffff800000000000UL
/* xen_commandline_t, which Linux's copy of version.h leaves out. */
#define XEN_COMMANDLINE_LEN	1024

#ifndef KXEN_CHANGESET
#define KXEN_CHANGESET "unavailable"
#endif

/* What Xen 4.17 gives a PVH domU in submap 0 (xen/common/kernel.c). */
#define PVH_FEATURES	(BIT(XENFEAT_writable_page_tables) |		\
			 BIT(XENFEAT_auto_translated_physmap) |		\
			 BIT(XENFEAT_hvm_callback_vector) |		\
			 BIT(XENFEAT_hvm_safe_pvclock) |		\
			 BIT(XENFEAT_memory_op_vnode_supported) |	\
			 BIT(XENFEAT_not_direct_mapped))

static const char denied[] = "<denied>";

static bool privileged(struct kxen_vcpu *v)
{
	return kxen_is_dom0(v->d);
}

/* A string into a fixed-size ABI array of n bytes, padded with zeros. */
static long put_string(struct kxen_vcpu *v, u64 arg, const char *s, size_t n)
{
	char buf[XEN_CAPABILITIES_INFO_LEN];

	memset(buf, 0, n);
	strscpy(buf, s, n);
	return kxen_copy_to_guest(v, arg, buf, n) ? -EFAULT : 0;
}

long kxen_do_xen_version(struct kxen_vcpu *v, const unsigned long *a)
{
	unsigned int cmd = a[0];	/* an int on Xen: the register's upper half is not read */
	unsigned long arg = a[1];
	struct xen_feature_info fi;

	switch (cmd) {
	case XENVER_version:
		return (KXEN_XEN_MAJOR << 16) | KXEN_XEN_MINOR;
	case XENVER_extraversion:
		return put_string(v, arg, KXEN_XEN_EXTRA, XEN_EXTRAVERSION_LEN);
	case XENVER_compile_info: {
		struct xen_compile_info info = {};

		strscpy(info.compiler, "gcc", sizeof(info.compiler));
		strscpy(info.compile_by, "kxen", sizeof(info.compile_by));
		return kxen_copy_to_guest(v, arg, &info, sizeof(info)) ? -EFAULT : 0;
	}
	case XENVER_capabilities:
		return put_string(v, arg, KXEN_XEN_CAPABILITIES, XEN_CAPABILITIES_INFO_LEN);
	case XENVER_changeset:
		return put_string(v, arg, KXEN_CHANGESET, XEN_CHANGESET_INFO_LEN);
	case XENVER_platform_parameters: {
		struct xen_platform_parameters p = { .virt_start = XEN_VIRT_START };

		return kxen_copy_to_guest(v, arg, &p, sizeof(p)) ? -EFAULT : 0;
	}
	case XENVER_get_features:
		if (kxen_copy_from_guest(v, &fi, arg, sizeof(fi)))
			return -EFAULT;
		if (fi.submap_idx != 0)
			return -EINVAL;
		fi.submap = PVH_FEATURES;
		if (privileged(v))
			fi.submap |= BIT(XENFEAT_dom0);
		return kxen_copy_to_guest(v, arg, &fi, sizeof(fi)) ? -EFAULT : 0;
	case XENVER_pagesize:
		return arg ? -EINVAL : PAGE_SIZE;
	case XENVER_guest_handle:	/* the domain's UUID, as the toolstack set it */
		return kxen_copy_to_guest(v, arg, v->d->handle, sizeof(v->d->handle)) ?
		       -EFAULT : 0;
	case XENVER_commandline: {
		char line[32];

		if (!privileged(v))
			return kxen_copy_to_guest(v, arg, denied, sizeof(denied)) ? -EFAULT : 0;
		/*
		 * kxen was booted by nobody; its line says what Xen's would for a dom0 like
		 * this one: its memory fixed, all the host's. (xl reads dom0_mem= to know
		 * not to balloon dom0 down, which has no balloon driver here.)
		 */
		snprintf(line, sizeof(line), "dom0_mem=%luM", totalram_pages() >> (20 - PAGE_SHIFT));
		return put_string(v, arg, line, XEN_COMMANDLINE_LEN);
	}
	case XENVER_build_id:
		return -EPERM;	/* denied to a domU; dom0 too, until kxen has a build id */
	}
	return -XEN_ENOSYS;
}
