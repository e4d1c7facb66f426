// SPDX-License-Identifier: GPL-2.0
/*
 * A way to start domains before dom0's toolstack can: files in debugfs, for kxen's
 * selftests only (CONFIG_KXEN_TEST_LAUNCH). It goes when `xl create` works; nothing
 * else may depend on it.
 *
 *   /sys/kernel/debug/kxen/create   write "kernel=PATH [initrd=PATH] [mem=MiB]
 *                                   [vcpus=N] [cmdline=REST OF LINE]"
 *   /sys/kernel/debug/kxen/domains  one line per domain: "ID STATE CODE VCPUS PAGES",
 *                                   then, for debugging, each vcpu's last exit, RIP,
 *                                   RFLAGS (interrupt state above bit 32), event state
 *   /sys/kernel/debug/kxen/stacks   each vcpu's RIP and RSP, and the words on its stack
 *                                   that look like kernel text addresses (a guest
 *                                   backtrace, as `xenctx -s` gives on Xen)
 *   /sys/kernel/debug/kxen/destroy  write a domid
 *   /sys/kernel/debug/kxen/console  the hypervisor console (`xl dmesg`)
 *   /sys/kernel/debug/kxen/dN-console  domain N's PV console (hvc0): reading drains
 *                                   its ring, as xenconsoled would
 *
 * Root only (debugfs is), and CAP_SYS_ADMIN is checked as dom0's devices will.
 */
#include <linux/capability.h>
#include <linux/debugfs.h>
#include <linux/kernel_read_file.h>
#include <linux/mm.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <xen/interface/xen.h>
#include <xen/interface/hvm/params.h>
#include <xen/interface/io/console.h>
#include <xen/interface/sched.h>

#include "../arch/x86/arch.h"
#include "../core/domain.h"
#include "../core/pvh_build.h"
#include "../xen/event_channel.h"
#include "launch.h"

#define MAX_MEM_MIB	16384
#define MAX_FILE	(512 << 20)

static struct dentry *dir;

struct launch_args {
	char *kernel, *initrd, *cmdline;
	unsigned long mem_mib;
	unsigned int vcpus;
};

static int parse(char *line, struct launch_args *a)
{
	char *word;

	a->mem_mib = 32;
	a->vcpus = 1;
	a->cmdline = "";
	while ((word = strsep(&line, "\n ")) != NULL) {
		if (!*word)
			continue;
		if (!strncmp(word, "kernel=", 7)) {
			a->kernel = word + 7;
		} else if (!strncmp(word, "initrd=", 7)) {
			a->initrd = word + 7;
		} else if (!strncmp(word, "mem=", 4)) {
			if (kstrtoul(word + 4, 0, &a->mem_mib) || !a->mem_mib ||
			    a->mem_mib > MAX_MEM_MIB)
				return -EINVAL;
		} else if (!strncmp(word, "vcpus=", 6)) {
			if (kstrtouint(word + 6, 0, &a->vcpus))
				return -EINVAL;
		} else if (!strncmp(word, "cmdline=", 8)) {
			a->cmdline = word + 8;
			if (line) {	/* the rest of the line, less its newline */
				line[-1] = ' ';
				a->cmdline = strim(a->cmdline);
			}
			line = NULL;	/* nothing after it is a word of ours */
		} else {
			return -EINVAL;
		}
	}
	return a->kernel ? 0 : -EINVAL;
}

/* The guest's console ring: take what it wrote, then tell it there is room again. */
static ssize_t ring_read(struct file *f, char __user *ubuf, size_t len, loff_t *pos)
{
	u16 id = (unsigned long)file_inode(f)->i_private;
	struct xencons_interface *ring;
	struct kxen_domain *d = kxen_domain_get(id);
	struct page *page;
	u32 cons, prod, n = 0;
	ssize_t ret;
	char *buf;

	if (!d)
		return -ESRCH;
	buf = kmalloc(sizeof(ring->out), GFP_KERNEL);
	if (!buf) {
		kxen_domain_put(d);
		return -ENOMEM;
	}
	page = kxen_p2m_lookup(d, d->hvm_param[HVM_PARAM_CONSOLE_PFN]);
	if (page) {
		ring = page_address(page);
		cons = READ_ONCE(ring->out_cons);
		prod = READ_ONCE(ring->out_prod);
		smp_rmb();	/* the producer index, then the bytes it covers */
		/* The guest owns the indices: trust no more than one ring's worth. */
		while (cons != prod && n < len && n < sizeof(ring->out))
			buf[n++] = ring->out[cons++ & (sizeof(ring->out) - 1)];
		smp_mb();	/* the bytes are read before the guest may reuse them */
		WRITE_ONCE(ring->out_cons, cons);
		kxen_evtchn_raise(d, d->hvm_param[HVM_PARAM_CONSOLE_EVTCHN]);
	}
	kxen_domain_put(d);
	ret = n && copy_to_user(ubuf, buf, n) ? -EFAULT : n;
	kfree(buf);
	return ret;
}

static const struct file_operations ring_fops = {
	.owner = THIS_MODULE,
	.read = ring_read,
};

static void ring_file(u16 id, bool create)
{
	char name[32];

	snprintf(name, sizeof(name), "d%u-console", id);
	if (create)
		debugfs_create_file(name, 0400, dir, (void *)(unsigned long)id, &ring_fops);
	else
		debugfs_lookup_and_remove(name, dir);
}

static int launch(struct launch_args *a)
{
	struct kxen_pvh_image img = { .cmdline = a->cmdline };
	struct kxen_boot_state boot;
	struct kxen_domain *d;
	void *kernel = NULL, *initrd = NULL;
	size_t size;
	unsigned int i;
	ssize_t n;
	int err;

	n = kernel_read_file_from_path(a->kernel, 0, &kernel, MAX_FILE, &size, READING_UNKNOWN);
	if (n < 0)
		return n;
	img.kernel = kernel;
	img.kernel_size = size;
	if (a->initrd) {
		n = kernel_read_file_from_path(a->initrd, 0, &initrd, MAX_FILE, &size,
					       READING_UNKNOWN);
		if (n < 0) {
			err = n;
			goto out;
		}
		img.initrd = initrd;
		img.initrd_size = size;
	}
	img.mem_pages = a->mem_mib << (20 - PAGE_SHIFT);
	img.vcpus = a->vcpus;

	d = kxen_domain_create(0, a->vcpus, img.mem_pages + KXEN_PVH_EXTRA_PAGES);
	if (IS_ERR(d)) {
		err = PTR_ERR(d);
		goto out;
	}
	err = kxen_pvh_build(d, &img, &boot);
	for (i = 0; i < a->vcpus && !err; i++)
		err = kxen_vcpu_create(d, i, i == 0 ? &boot : NULL);
	if (!err)
		err = kxen_domain_start(d);
	if (err) {
		kxen_domain_destroy(d);
	} else {
		ring_file(d->id, true);
		kxen_console_printf("(XEN) d%u: started, %lu MiB, %u vcpus\n", d->id,
				    a->mem_mib, a->vcpus);
	}
out:
	vfree(initrd);
	vfree(kernel);
	return err;
}

static ssize_t create_write(struct file *f, const char __user *ubuf, size_t len, loff_t *pos)
{
	struct launch_args a = {};
	char *line;
	int err;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (len > PAGE_SIZE)
		return -E2BIG;
	line = memdup_user_nul(ubuf, len);
	if (IS_ERR(line))
		return PTR_ERR(line);
	err = parse(line, &a);
	if (!err)
		err = launch(&a);
	kfree(line);
	return err ? err : len;
}

static ssize_t destroy_write(struct file *f, const char __user *ubuf, size_t len, loff_t *pos)
{
	struct kxen_domain *d;
	u16 id;
	int err;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	err = kstrtou16_from_user(ubuf, len, 0, &id);
	if (err)
		return err;
	d = kxen_domain_get(id);
	if (!d)
		return -ESRCH;
	err = kxen_domain_destroy(d);
	kxen_domain_put(d);
	if (!err)
		ring_file(id, false);
	return err ? err : len;
}

static void show_domain(struct kxen_domain *d, void *arg)
{
	struct seq_file *m = arg;
	unsigned int i, n = 0;

	for (i = 0; i < d->max_vcpus; i++)
		n += !!d->vcpus[i];
	seq_printf(m, "%u %s %d %u %lu", d->id, kxen_domain_state_name(READ_ONCE(d->state)),
		   (int)READ_ONCE(d->shutdown_code), n, d->p2m.nr_pages);
	/* Then, per vcpu: its last exit and guest RIP, and whether it sleeps. */
	for (i = 0; i < d->max_vcpus; i++)
		if (d->vcpus[i])
			seq_printf(m, " v%u:%#x@%#llx%s%s:up%u:sel%lx:port%u", i,
				   d->vcpus[i]->last_exit, d->vcpus[i]->last_rip,
				   d->vcpus[i]->blocked ? ":blocked" : "",
				   d->vcpus[i]->polling ? ":poll" : "",
				   d->vcpus[i]->vcpu_info->evtchn_upcall_pending,
				   (unsigned long)d->vcpus[i]->vcpu_info->evtchn_pending_sel,
				   d->vcpus[i]->poll_port);
	for (i = 0; i < d->max_vcpus; i++)
		if (d->vcpus[i])
			seq_printf(m, " v%u:fl%llx:ic%x:eii%x:inj%u", i, d->vcpus[i]->last_rflags,
				   d->vcpus[i]->last_int_ctl, d->vcpus[i]->last_event_inj,
				   d->vcpus[i]->injected);
	seq_printf(m, " pending0=%lx mask0=%lx", (unsigned long)d->shared_info->evtchn_pending[0],
		   (unsigned long)d->shared_info->evtchn_mask[0]);
	seq_putc(m, '\n');
}

static int domains_show(struct seq_file *m, void *unused)
{
	kxen_domains_each(show_domain, m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(domains);

/* Read while the vcpu may run: a snapshot for a developer, not exact. */
static void show_stacks(struct kxen_domain *d, void *arg)
{
	struct seq_file *m = arg;
	unsigned int i, j;
	u64 words[64];

	for (i = 0; i < d->max_vcpus; i++) {
		struct kxen_vcpu *v = d->vcpus[i];

		if (!v)
			continue;
		seq_printf(m, "d%uv%u rip %#llx rsp %#llx:", d->id, i, v->last_rip,
			   v->gprs.rsp);
		if (!kxen_copy_from_guest(v, words, v->gprs.rsp, sizeof(words)))
			for (j = 0; j < ARRAY_SIZE(words); j++)
				if (words[j] >> 31 == 0x1ffffffffULL)
					seq_printf(m, " %#llx", words[j]);
		seq_putc(m, '\n');
	}
}

static int stacks_show(struct seq_file *m, void *unused)
{
	kxen_domains_each(show_stacks, m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(stacks);

static ssize_t console_read(struct file *f, char __user *ubuf, size_t len, loff_t *pos)
{
	char *buf;
	ssize_t n;

	len = min_t(size_t, len, PAGE_SIZE);
	buf = kmalloc(len, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	n = kxen_console_read(buf, len, pos);
	if (n > 0 && copy_to_user(ubuf, buf, n))
		n = -EFAULT;
	kfree(buf);
	return n;
}

static const struct file_operations create_fops = {
	.owner = THIS_MODULE,
	.write = create_write,
};

static const struct file_operations destroy_fops = {
	.owner = THIS_MODULE,
	.write = destroy_write,
};

static const struct file_operations console_fops = {
	.owner = THIS_MODULE,
	.read = console_read,
};

void kxen_test_launch_init(void)
{
	dir = debugfs_create_dir("kxen", NULL);
	debugfs_create_file("create", 0200, dir, NULL, &create_fops);
	debugfs_create_file("destroy", 0200, dir, NULL, &destroy_fops);
	debugfs_create_file("domains", 0400, dir, NULL, &domains_fops);
	debugfs_create_file("stacks", 0400, dir, NULL, &stacks_fops);
	debugfs_create_file("console", 0400, dir, NULL, &console_fops);
}

void kxen_test_launch_exit(void)
{
	debugfs_remove_recursive(dir);
}
