/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Xen's two objects, the domain and its vcpus, with Linux underneath: a domain's
 * memory is pages from Linux's allocator, each vcpu is a kernel thread.
 */
#ifndef KXEN_CORE_DOMAIN_H
#define KXEN_CORE_DOMAIN_H

#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>
#include <linux/xarray.h>
#include <asm/fpu/api.h>
#include <asm/fpu/types.h>

#include "../arch/x86/regs.h"

struct task_struct;
struct page;
struct kxen_boot_state;

/* Xen's limits: domids below DOMID_FIRST_RESERVED; kxen's own cap on vcpus. */
#define KXEN_DOMID_MAX		0x7fef
#define KXEN_MAX_VCPUS		64
#define KXEN_SHUTDOWN_NONE	~0U

enum kxen_domain_state {
	KXEN_DOM_PAUSED,	/* built, vcpus not started */
	KXEN_DOM_RUNNING,
	KXEN_DOM_SHUTDOWN,	/* stopped: shutdown_code says why (SHUTDOWN_crash: kxen did) */
	KXEN_DOM_DYING,
};

struct kxen_vcpu {
	struct kxen_domain *d;
	unsigned int id;
	struct task_struct *task;

	/* Guest general-purpose registers that the hardware does not keep for us. */
	struct kxen_gprs gprs;
	/* The backend's per-vcpu state (a VMCB, a VMCS). */
	void *arch;
	struct fpu_guest fpu;
	u64 xcr0;
	/* Which CPU it last ran on, and its TLB tag there (arch-owned). */
	int last_cpu;
	u32 asid;
	u64 asid_generation;
	bool tlb_flush;		/* the domain's p2m lost a mapping since the last entry */

	/* Blocking: HLT sleeps on wq until kicked. */
	wait_queue_head_t wq;
	bool kicked;
	/* The CPU it is in guest mode on, or -1: where a kick sends its IPI. */
	int guest_cpu;
	/* Not started yet: an AP waits for INIT/SIPI. */
	bool waiting_sipi;
};

/* A domain's physical memory: guest frame -> the host page behind it. */
struct kxen_p2m {
	struct xarray pages;		/* gfn -> struct page * */
	unsigned long nr_pages;		/* guest RAM pages held */
	unsigned long max_pages;
	unsigned long nr_table_pages;	/* nested page-table pages */
	void *arch;			/* nested page-table root (arch-owned) */
	struct mutex lock;		/* serialises changes; lookups need only RCU */
};

struct kxen_domain {
	u16 id;
	struct kref ref;
	struct list_head link;

	struct mutex lock;		/* state, vcpus */
	enum kxen_domain_state state;
	unsigned int shutdown_code;	/* SHUTDOWN_*, or KXEN_SHUTDOWN_NONE */

	unsigned int max_vcpus;
	struct kxen_vcpu *vcpus[KXEN_MAX_VCPUS];
	struct kxen_p2m p2m;

	/* Console output from port 0xE9 and console_io, gathered a line at a time. */
	spinlock_t con_lock;
	char con_line[128];
	unsigned int con_len;
};

/* Domains: create, look up, and the ends of their lives (core/domain.c). */
struct kxen_domain *kxen_domain_create(unsigned int max_vcpus, unsigned long max_pages);
struct kxen_domain *kxen_domain_get(u16 id);
void kxen_domain_put(struct kxen_domain *d);
int kxen_domain_start(struct kxen_domain *d);
void kxen_domain_shutdown(struct kxen_domain *d, unsigned int code);
void kxen_domain_set_shutdown_code(struct kxen_domain *d, unsigned int code);
void kxen_domain_crash(struct kxen_domain *d, const char *why);
/* Destroy; the caller holds a reference of its own (from kxen_domain_get). */
int kxen_domain_destroy(struct kxen_domain *d);
void kxen_domains_destroy_all(void);
/* For each domain, call fn under the table lock (no sleeping in fn). */
void kxen_domains_each(void (*fn)(struct kxen_domain *d, void *arg), void *arg);
const char *kxen_domain_state_name(enum kxen_domain_state s);

/* Vcpus (core/vcpu.c). */
/* A vcpu starting at boot, or (boot == NULL) waiting for INIT/SIPI. */
int kxen_vcpu_create(struct kxen_domain *d, unsigned int id,
		     const struct kxen_boot_state *boot);
void kxen_vcpu_destroy(struct kxen_vcpu *v);
void kxen_vcpu_kick(struct kxen_vcpu *v);
/* HLT: sleep until kicked or the domain stops. */
void kxen_vcpu_halt(struct kxen_vcpu *v);

/* Guest memory (core/p2m.c). */
int kxen_p2m_init(struct kxen_domain *d, unsigned long max_pages);
void kxen_p2m_destroy(struct kxen_domain *d);
/* Back [gfn, gfn + nr) with fresh zeroed pages. */
int kxen_p2m_populate(struct kxen_domain *d, u64 gfn, unsigned long nr);
/* The page behind gfn, or NULL; valid while the domain lives and the gfn stays. */
struct page *kxen_p2m_lookup(struct kxen_domain *d, u64 gfn);
/* Copy between a kernel buffer and guest-physical memory: 0 or -EFAULT. */
int kxen_gpa_read(struct kxen_domain *d, void *dst, u64 gpa, size_t len);
int kxen_gpa_write(struct kxen_domain *d, u64 gpa, const void *src, size_t len);

/* The hypervisor console, what `xl dmesg` shows (core/console.c). */
void kxen_console_guest_putc(struct kxen_domain *d, char c);
void kxen_console_printf(const char *fmt, ...) __printf(1, 2);
int kxen_console_init(void);
void kxen_console_exit(void);
/* Copy out up to len bytes from offset *pos of the console ring. */
ssize_t kxen_console_read(char *buf, size_t len, loff_t *pos);

#endif
