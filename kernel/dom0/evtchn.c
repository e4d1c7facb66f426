// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/xen/evtchn: dom0's event channels, held by its processes, with the interface of
 * Linux's evtchn driver (include/uapi/xen/evtchn.h). xenstored and xenconsoled bind
 * ports here, to VIRQs of dom0 or to a domU's unbound port; read() gives the ports
 * that fired, and write() of a port enables it again (libxenevtchn's unmask).
 *
 * A port that fires is queued once and then disabled until its owner writes it back;
 * meanwhile it stays pending in dom0's table, and enabling it again delivers it.
 * That is what Linux's driver does with its interrupt (disable, then late EOI).
 * Only CAP_SYS_ADMIN may open it.
 */
#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/mutex.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/uaccess.h>
#include <linux/wait.h>
#include <xen/interface/xen.h>
#include <xen/evtchn.h>

#include <kxen/xen_errno.h>
#include "../core/domain.h"
#include "../xen/event_channel.h"
#include "dom0.h"

#define RING	1024		/* ports queued per open file */

struct evtchn_user {
	spinlock_t lock;	/* the ring */
	struct mutex read_lock;	/* one reader at a time takes from it */
	u32 ring[RING];
	unsigned int cons, prod;
	bool overflow;
	wait_queue_head_t wq;
	domid_t restricted;	/* DOMID_FIRST_RESERVED: not restricted */
};

/* Which open file holds each of dom0's ports, and whether it is enabled. */
static DEFINE_SPINLOCK(owners_lock);
static struct evtchn_user *owner[KXEN_EVTCHN_PORTS];
static DECLARE_BITMAP(enabled, KXEN_EVTCHN_PORTS);
static struct kxen_domain *dom0;

static void queue(struct evtchn_user *u, u32 port)
{
	unsigned long flags;

	spin_lock_irqsave(&u->lock, flags);
	if (u->prod - u->cons < RING)
		u->ring[u->prod++ % RING] = port;
	else
		u->overflow = true;
	spin_unlock_irqrestore(&u->lock, flags);
	wake_up_interruptible(&u->wq);
}

/* Under owners_lock: deliver port if it is enabled and pending. */
static void deliver(u32 port)
{
	unsigned long *pending = (unsigned long *)dom0->shared_info->evtchn_pending;

	lockdep_assert_held(&owners_lock);
	if (owner[port] && test_bit(port, enabled) && test_and_clear_bit(port, pending)) {
		clear_bit(port, enabled);
		queue(owner[port], port);
	}
}

/* A port of dom0's became pending (event_channel.c calls, dom0's table locked). */
static void port_event(u32 port)
{
	unsigned long flags;

	if (port >= KXEN_EVTCHN_PORTS || !READ_ONCE(dom0))
		return;
	lockdep_assert_held(&dom0->evtchn_lock);
	spin_lock_irqsave(&owners_lock, flags);
	deliver(port);		/* no owner: stays pending, as for a port nobody reads */
	spin_unlock_irqrestore(&owners_lock, flags);
}

/* A port kxen just bound for u: u's from now on, and what fired meanwhile is read. */
static long own(struct evtchn_user *u, int port)
{
	unsigned long flags;

	if (port < 0)
		return port;
	spin_lock_irqsave(&owners_lock, flags);
	owner[port] = u;
	set_bit(port, enabled);
	deliver(port);
	spin_unlock_irqrestore(&owners_lock, flags);
	return port;
}

static bool owns(struct evtchn_user *u, u32 port)
{
	return port < KXEN_EVTCHN_PORTS && READ_ONCE(owner[port]) == u;
}

/*
 * Give up u's port: false if it is not u's. Checked and taken in one step, so that of
 * two threads unbinding one port only one closes it (the other could otherwise close
 * the port of the same number that another file binds in between).
 */
static bool unbind(struct evtchn_user *u, u32 port)
{
	unsigned long flags;
	bool mine;

	spin_lock_irqsave(&owners_lock, flags);
	mine = owner[port] == u;
	if (mine) {
		owner[port] = NULL;
		clear_bit(port, enabled);
	}
	spin_unlock_irqrestore(&owners_lock, flags);
	if (mine)
		kxen_evtchn_close(dom0, port);
	return mine;
}

static int evtchn_open(struct inode *inode, struct file *file)
{
	struct evtchn_user *u;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	u = kzalloc(sizeof(*u), GFP_KERNEL);
	if (!u)
		return -ENOMEM;
	spin_lock_init(&u->lock);
	mutex_init(&u->read_lock);
	init_waitqueue_head(&u->wq);
	u->restricted = DOMID_FIRST_RESERVED;
	file->private_data = u;
	return stream_open(inode, file);
}

static int evtchn_release(struct inode *inode, struct file *file)
{
	struct evtchn_user *u = file->private_data;
	u32 port;

	for (port = 1; port < KXEN_EVTCHN_PORTS; port++)
		if (owns(u, port))
			unbind(u, port);
	kfree(u);
	return 0;
}

static long evtchn_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct evtchn_user *u = file->private_data;
	void __user *uarg = (void __user *)arg;
	struct ioctl_evtchn_bind_interdomain bi;
	struct ioctl_evtchn_restrict_domid rd;
	unsigned int v;
	unsigned long flags;

	switch (cmd) {
	case IOCTL_EVTCHN_BIND_VIRQ:
		if (u->restricted != DOMID_FIRST_RESERVED)
			return -EACCES;
		if (get_user(v, (unsigned int __user *)uarg))
			return -EFAULT;
		return own(u, kxen_evtchn_bind_dom0_virq(dom0, v));
	case IOCTL_EVTCHN_BIND_INTERDOMAIN:
		if (copy_from_user(&bi, uarg, sizeof(bi)))
			return -EFAULT;
		if (u->restricted != DOMID_FIRST_RESERVED && bi.remote_domain != u->restricted)
			return -EACCES;
		/* A domid_t in the hypercall, as Linux's driver passes it (DOMID_SELF: dom0). */
		return own(u, kxen_evtchn_bind_interdomain(dom0, (domid_t)bi.remote_domain,
							   bi.remote_port));
	case IOCTL_EVTCHN_BIND_UNBOUND_PORT:
		if (u->restricted != DOMID_FIRST_RESERVED)
			return -EACCES;
		if (get_user(v, (unsigned int __user *)uarg))
			return -EFAULT;
		if (v >= DOMID_FIRST_RESERVED)
			return -EINVAL;
		return own(u, kxen_evtchn_alloc_unbound(dom0, v));
	case IOCTL_EVTCHN_UNBIND:
	case IOCTL_EVTCHN_NOTIFY:
		if (get_user(v, (unsigned int __user *)uarg))
			return -EFAULT;
		if (v >= KXEN_EVTCHN_PORTS)
			return -EINVAL;
		if (cmd == IOCTL_EVTCHN_UNBIND)
			return unbind(u, v) ? 0 : -ENOTCONN;
		if (!owns(u, v))
			return -ENOTCONN;
		return kxen_evtchn_send(dom0, v);
	case IOCTL_EVTCHN_RESET:
		/* As Linux's: the ring is emptied; the ports stay bound. */
		spin_lock_irqsave(&u->lock, flags);
		u->cons = u->prod = 0;
		u->overflow = false;
		spin_unlock_irqrestore(&u->lock, flags);
		return 0;
	case IOCTL_EVTCHN_RESTRICT_DOMID:
		if (u->restricted != DOMID_FIRST_RESERVED)
			return -EACCES;
		if (copy_from_user(&rd, uarg, sizeof(rd)))
			return -EFAULT;
		if (rd.domid == 0 || rd.domid >= DOMID_FIRST_RESERVED)
			return -EINVAL;
		u->restricted = rd.domid;
		return 0;
	}
	return -XEN_ENOSYS;	/* what Linux's driver says to an ioctl it does not know */
}

/* The ports that fired: taken from the ring only once they are in the caller's buffer. */
static ssize_t evtchn_read(struct file *file, char __user *buf, size_t count, loff_t *ppos)
{
	struct evtchn_user *u = file->private_data;
	unsigned int n = 0;
	unsigned long flags;
	u32 ports[64];
	ssize_t ret;

	count = min_t(size_t, count & ~3UL, sizeof(ports));
	if (!count)
		return 0;
	mutex_lock(&u->read_lock);
	for (;;) {
		spin_lock_irqsave(&u->lock, flags);
		ret = u->overflow ? -EFBIG : 0;
		for (n = 0; !ret && u->cons + n != u->prod && n < count / 4; n++)
			ports[n] = u->ring[(u->cons + n) % RING];
		spin_unlock_irqrestore(&u->lock, flags);
		if (ret || n)
			break;
		ret = -EAGAIN;
		if (file->f_flags & O_NONBLOCK)
			break;
		ret = wait_event_interruptible(u->wq, READ_ONCE(u->cons) != READ_ONCE(u->prod) ||
					       READ_ONCE(u->overflow));
		if (ret)
			break;
	}
	if (n) {
		ret = -EFAULT;
		if (!copy_to_user(buf, ports, n * 4)) {
			spin_lock_irqsave(&u->lock, flags);
			u->cons += n;
			spin_unlock_irqrestore(&u->lock, flags);
			ret = n * 4;
		}
	}
	mutex_unlock(&u->read_lock);
	return ret;
}

/*
 * Each port written is enabled again; one that fired meanwhile is delivered. At most a
 * page of ports per call, as Linux's driver takes (it answers how many it took): the
 * size is the caller's, and each port costs a lock.
 */
static ssize_t evtchn_write(struct file *file, const char __user *buf, size_t count,
			    loff_t *ppos)
{
	struct evtchn_user *u = file->private_data;
	unsigned long flags;
	size_t i;
	u32 port;

	count = min_t(size_t, count & ~3UL, PAGE_SIZE);
	for (i = 0; i < count; i += 4) {
		if (get_user(port, (const u32 __user *)(buf + i)))
			return -EFAULT;
		if (!owns(u, port))
			continue;
		spin_lock_irqsave(&owners_lock, flags);
		if (owner[port] == u && !test_bit(port, enabled)) {
			set_bit(port, enabled);
			deliver(port);
		}
		spin_unlock_irqrestore(&owners_lock, flags);
	}
	return count;
}

static __poll_t evtchn_poll(struct file *file, poll_table *wait)
{
	struct evtchn_user *u = file->private_data;
	__poll_t mask = EPOLLOUT | EPOLLWRNORM;

	poll_wait(file, &u->wq, wait);
	if (READ_ONCE(u->cons) != READ_ONCE(u->prod) || READ_ONCE(u->overflow))
		mask |= EPOLLIN | EPOLLRDNORM;
	return mask;
}

static const struct file_operations evtchn_fops = {
	.owner = THIS_MODULE,
	.open = evtchn_open,
	.release = evtchn_release,
	.unlocked_ioctl = evtchn_ioctl,
	.read = evtchn_read,
	.write = evtchn_write,
	.poll = evtchn_poll,
	.llseek = no_llseek,
};

/* Readable and writable by all: open() checks the capability, and says EPERM. */
static struct miscdevice evtchn_dev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "xen-evtchn",
	.nodename = "xen/evtchn",
	.mode = 0666,
	.fops = &evtchn_fops,
};

int kxen_evtchn_dev_init(void)
{
	int err;

	dom0 = kxen_domain_get(0);
	kxen_evtchn_set_dom0_notify(port_event);
	err = misc_register(&evtchn_dev);
	if (err)
		kxen_evtchn_set_dom0_notify(NULL);
	return err;
}

void kxen_evtchn_dev_exit(void)
{
	misc_deregister(&evtchn_dev);
	kxen_evtchn_set_dom0_notify(NULL);
	kxen_domain_put(dom0);
	dom0 = NULL;
}
