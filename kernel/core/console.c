// SPDX-License-Identifier: GPL-2.0
/*
 * The hypervisor console: a ring of text that `xl dmesg` reads on Xen. kxen writes its
 * own messages here, and every domain's port-0xE9 (and, for dom0, console_io) output,
 * a line at a time with Xen's "(dN) " prefix. Non-printable bytes are dropped, as Xen
 * drops them, so a guest can neither forge lines nor send escapes to a terminal.
 *
 * Readers name a byte by its offset since the ring started; when they fall behind by
 * more than the ring holds, they skip to the oldest byte still there.
 */
#include <linux/ctype.h>
#include <linux/kernel.h>
#include <linux/minmax.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/vmalloc.h>

#include "domain.h"
#include "../arch/x86/arch.h"

#define CONRING_SIZE	(64 * 1024)	/* a power of two */

static char *conring;
static u64 conring_prod;
static u64 conring_cons;	/* the oldest byte not cleared (XEN_SYSCTL_readconsole) */
static DEFINE_SPINLOCK(conring_lock);

static void conring_put(const char *s, size_t n)
{
	unsigned long flags;

	spin_lock_irqsave(&conring_lock, flags);
	while (n--)
		conring[conring_prod++ & (CONRING_SIZE - 1)] = *s++;
	spin_unlock_irqrestore(&conring_lock, flags);
}

void kxen_console_printf(const char *fmt, ...)
{
	char line[256];		/* a prefix and a crash reason of up to 160 bytes */
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vscnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	conring_put(line, n);
}

/* A line from a guest: the domain's buffer, then "(dN) line\n" into the ring. */
static void guest_line(struct kxen_domain *d)
{
	kxen_console_printf("(d%u) %.*s\n", d->id, (int)d->con_len, d->con_line);
	d->con_len = 0;
}

void kxen_console_guest_putc(struct kxen_domain *d, char c)
{
	spin_lock(&d->con_lock);
	if (c == '\n') {
		guest_line(d);
	} else if (isprint(c) || c == '\t') {
		d->con_line[d->con_len++] = c;
		if (d->con_len == sizeof(d->con_line))
			guest_line(d);
	}
	spin_unlock(&d->con_lock);
}

/*
 * XEN_SYSCTL_readconsole, as Xen's read_console_ring(): up to *count bytes into buf,
 * from the oldest byte not cleared, or from *index when incremental and *index is
 * within what the ring holds. *count and *index say what was read and where the next
 * read starts; the ABI's offsets are 32-bit, so is *index. clear forgets what was read.
 */
long kxen_console_read_ring(struct kxen_vcpu *v, u64 buf, u32 *count, u32 *index,
			    bool incremental, bool clear)
{
	unsigned long flags;
	u64 c, p, n, i;
	u32 c32, p32;
	char *tmp;
	long err = 0;

	tmp = kvmalloc(min_t(u32, *count, CONRING_SIZE), GFP_KERNEL);
	if (!tmp && *count)
		return -ENOMEM;
	spin_lock_irqsave(&conring_lock, flags);
	p = conring_prod;
	c = max(conring_cons, p > CONRING_SIZE ? p - CONRING_SIZE : 0);
	c32 = c;
	p32 = p;
	if (incremental && (c32 <= p32 ? c32 < *index && *index <= p32 :
					  c32 < *index || *index <= p32))
		c = p - (u32)(p32 - *index);
	n = min_t(u64, p - c, min_t(u32, *count, CONRING_SIZE));
	for (i = 0; i < n; i++)
		tmp[i] = conring[(c + i) & (CONRING_SIZE - 1)];
	if (clear)
		conring_cons = c + n;
	spin_unlock_irqrestore(&conring_lock, flags);
	if (n && kxen_copy_to_guest(v, buf, tmp, n))
		err = -EFAULT;
	kvfree(tmp);
	*count = n;
	*index = c + n;
	return err;
}

int kxen_console_init(void)
{
	conring = vzalloc(CONRING_SIZE);
	return conring ? 0 : -ENOMEM;
}

void kxen_console_exit(void)
{
	vfree(conring);
	conring = NULL;
}
