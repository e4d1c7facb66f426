// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/hypervisor, as drivers/xen/sys-hypervisor.c fills it on real Xen. Debian's Xen
 * tools find their binaries through it: /usr/sbin/xl is a wrapper that reads
 * version/major and version/minor and runs /usr/lib/xen-4.17/bin/xl, and the init
 * script gives up unless type says "xen". The kernel's own driver adds nothing when
 * the kernel is not a Xen guest, so the directory is ours to fill. Values and formats
 * are those of a real Xen 4.17 dom0 (compared with selftests/vm/kxen-vm --xen).
 */
#include <linux/kobject.h>
#include <linux/stringify.h>
#include <linux/sysfs.h>
#include <xen/interface/xen.h>
#include <xen/interface/version.h>

#include <kxen/xen_version.h>
#include "dom0.h"

/* The strings must fit the buffers the xen_version hypercall fills. */
static_assert(sizeof(KXEN_XEN_EXTRA) <= XEN_EXTRAVERSION_LEN);
static_assert(sizeof(KXEN_XEN_CAPABILITIES) <= XEN_CAPABILITIES_INFO_LEN);

/* Every file here holds a constant string. */
struct hyp_attr {
	struct kobj_attribute kattr;
	const char *value;
};

static ssize_t value_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%s\n", container_of(attr, struct hyp_attr, kattr)->value);
}

#define HYP_ATTR(_name, _value)						\
	static struct hyp_attr _name##_attr = {				\
		.kattr = __ATTR(_name, 0444, value_show, NULL),		\
		.value = _value,					\
	}

HYP_ATTR(type, "xen");
/* Dom0's handle, all zeroes, as XENVER_guest_handle gives it on Xen. */
HYP_ATTR(uuid, "00000000-0000-0000-0000-000000000000");
HYP_ATTR(major, __stringify(KXEN_XEN_MAJOR));
HYP_ATTR(minor, __stringify(KXEN_XEN_MINOR));
HYP_ATTR(extra, KXEN_XEN_EXTRA);
HYP_ATTR(capabilities, KXEN_XEN_CAPABILITIES);
/* In hex, as Xen's XENVER_pagesize is shown there. */
HYP_ATTR(pagesize, "1000");
static_assert(PAGE_SIZE == 0x1000);

static struct attribute *top_attrs[] = { &type_attr.kattr.attr, &uuid_attr.kattr.attr, NULL };
static struct attribute *version_attrs[] = {
	&major_attr.kattr.attr, &minor_attr.kattr.attr, &extra_attr.kattr.attr, NULL
};
static struct attribute *properties_attrs[] = {
	&capabilities_attr.kattr.attr, &pagesize_attr.kattr.attr, NULL
};

static const struct attribute_group top_group = { .attrs = top_attrs };
static const struct attribute_group version_group = {
	.name = "version", .attrs = version_attrs,
};
static const struct attribute_group properties_group = {
	.name = "properties", .attrs = properties_attrs,
};
static const struct attribute_group *groups[] = {
	&top_group, &version_group, &properties_group, NULL
};

int kxen_sys_hypervisor_init(void)
{
	int err = sysfs_create_groups(hypervisor_kobj, groups);

	if (err)
		pr_err("cannot populate /sys/hypervisor: %d\n", err);
	return err;
}

void kxen_sys_hypervisor_exit(void)
{
	sysfs_remove_groups(hypervisor_kobj, groups);
}
