// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/hypervisor, as drivers/xen/sys-hypervisor.c fills it on real Xen. Debian's Xen
 * tools find their binaries through it: /usr/sbin/xl is a wrapper that reads
 * version/major and version/minor and runs /usr/lib/xen-4.17/bin/xl, and the init
 * script gives up unless type says "xen". The kernel's own driver adds nothing when
 * the kernel is not a Xen guest, so the directory is ours to fill.
 */
#include <linux/kobject.h>
#include <linux/sysfs.h>
#include <xen/interface/xen.h>
#include <xen/interface/version.h>

#include <kxen/xen_version.h>
#include "dom0.h"

/* The strings must fit the buffers the xen_version hypercall fills. */
static_assert(sizeof(KXEN_XEN_EXTRA) <= XEN_EXTRAVERSION_LEN);
static_assert(sizeof(KXEN_XEN_CAPABILITIES) <= XEN_CAPABILITIES_INFO_LEN);

#define KXEN_SHOW(name, fmt, ...)					\
static ssize_t name##_show(struct kobject *kobj,			\
			   struct kobj_attribute *attr, char *buf)	\
{									\
	return sysfs_emit(buf, fmt "\n", ##__VA_ARGS__);		\
}									\
static struct kobj_attribute name##_attr = __ATTR_RO(name)

KXEN_SHOW(type, "xen");
/* Dom0's handle, all zeroes, as XENVER_guest_handle gives it on Xen. */
KXEN_SHOW(uuid, "00000000-0000-0000-0000-000000000000");
KXEN_SHOW(major, "%d", KXEN_XEN_MAJOR);
KXEN_SHOW(minor, "%d", KXEN_XEN_MINOR);
KXEN_SHOW(extra, "%s", KXEN_XEN_EXTRA);
KXEN_SHOW(capabilities, "%s", KXEN_XEN_CAPABILITIES);
KXEN_SHOW(pagesize, "%lx", PAGE_SIZE);

static struct attribute *top_attrs[] = { &type_attr.attr, &uuid_attr.attr, NULL };
static struct attribute *version_attrs[] = {
	&major_attr.attr, &minor_attr.attr, &extra_attr.attr, NULL
};
static struct attribute *properties_attrs[] = {
	&capabilities_attr.attr, &pagesize_attr.attr, NULL
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
