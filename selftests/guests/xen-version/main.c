// SPDX-License-Identifier: GPL-2.0
/*
 * HYPERVISOR_xen_version, with good and hostile arguments. The error codes are the
 * ones real Xen 4.17 returns (checked with selftests/guests/run-on-xen).
 */
#include "guest.h"

const char test_title[] = "xen_version";

#define XENVER_version		0
#define XENVER_extraversion	1
#define XENVER_capabilities	3
#define XENVER_get_features	6

struct xen_feature_info {
	u32 submap_idx;
	u32 submap;
};

static char buf[1024];

/* Is there a NUL in the first n bytes? */
static int memchr_nul(const char *s, unsigned long n)
{
	while (n--)
		if (!*s++)
			return 1;
	return 0;
}

static int ends_with(const char *s, const char *tail)
{
	unsigned long n = strlen(s), t = strlen(tail);

	return n >= t && !memcmp(s + n - t, tail, t);
}

static s64 xen_version(u64 cmd, void *arg)
{
	return hypercall2(__HYPERVISOR_xen_version, cmd, (u64)arg);
}

void test_main(void)
{
	struct xen_feature_info fi;
	s64 rc;

	check_eq(xen_version(XENVER_version, NULL), 0x00040011, "XENVER_version");

	memset(buf, 0xff, sizeof(buf));
	rc = xen_version(XENVER_extraversion, buf);
	check_eq(rc, 0, "XENVER_extraversion");
	if (buf[0] != '.' || !memchr_nul(buf, 16))
		xtf_failure("extraversion '%s' is not '.N...' within 16 bytes", buf);
	printk("extraversion: %s\n", buf);

	rc = xen_version(XENVER_capabilities, buf);
	check_eq(rc, 0, "XENVER_capabilities");
	/*
	 * Real Xen lists "xen-3.0-x86_64 " (PV) first; kxen, which runs no PV guests,
	 * starts at the HVM types. Both end so, with Xen's trailing space.
	 */
	if (!ends_with(buf, "hvm-3.0-x86_32 hvm-3.0-x86_32p hvm-3.0-x86_64 ") ||
	    (strlen(buf) > 46 && buf[strlen(buf) - 47] != ' '))
		xtf_failure("capabilities '%s' lack the HVM guest types", buf);

	fi.submap_idx = 0;
	fi.submap = 0;
	check_eq(xen_version(XENVER_get_features, &fi), 0, "XENVER_get_features, submap 0");
	/*
	 * What Xen 4.17 gives a PVH domU: writable_page_tables, auto_translated_physmap,
	 * hvm_callback_vector, hvm_safe_pvclock, memory_op_vnode_supported, not_direct_mapped.
	 */
	check_eq(fi.submap, 0x12305, "XENVER_get_features, submap 0: PVH features");

	/* Hostile input. */
	fi.submap_idx = 1000;
	check_eq(xen_version(XENVER_get_features, &fi), -EINVAL,
		 "XENVER_get_features, submap 1000");
	check_eq(xen_version(0x7fff, buf), -ENOSYS, "unknown XENVER command");
	/* Xen's xen_version takes an int: the upper half of the register is not read. */
	check_eq(xen_version(0xdead00000000UL | XENVER_version, NULL), 0x00040011,
		 "XENVER_version with junk in the upper half");
	/* Linear 1 GiB + 4 KiB: not mapped by the guest's page tables. */
	check_eq(xen_version(XENVER_extraversion, (void *)0x40001000UL), -EFAULT,
		 "XENVER_extraversion to an unmapped address");
	check_eq(xen_version(XENVER_get_features, (void *)0x40001000UL), -EFAULT,
		 "XENVER_get_features from an unmapped address");
}
