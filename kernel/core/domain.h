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
#include <linux/nospec.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>
#include <linux/xarray.h>
#include <xen/interface/xen.h>

#include <linux/hrtimer.h>
#include <kxen/public/hvm_save.h>

#include "../arch/x86/cpuid.h"
#include "../arch/x86/vcpu.h"

struct task_struct;
struct page;
struct shared_info;
struct vcpu_info;
struct kxen_evtchn;
struct kxen_evtchn_fifo;

/* Xen's limits: domids below DOMID_FIRST_RESERVED; kxen's own cap on vcpus. */
#define KXEN_DOMID_MAX		0x7fef
#define KXEN_MAX_VCPUS		64
#define KXEN_SHUTDOWN_NONE	~0U
/* Xen 4.17's HVM_NR_PARAMS (Linux's copy of params.h stops short). */
#define KXEN_HVM_NR_PARAMS	39
/* libxl's default max_grant_frames for a domU. */
#define KXEN_GNTTAB_MAX_FRAMES	32

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

	/* The x86 part: registers, the backend's state, FPU, TLB tag, local APIC. */
	struct kxen_vcpu_arch arch;

	/* Blocking: HLT sleeps on wq until kicked. */
	wait_queue_head_t wq;
	bool kicked;
	/* The CPU it is in guest mode on, or -1: where a kick sends its IPI. */
	int guest_cpu;
	/* Not started yet: an AP waits for INIT/SIPI. */
	bool waiting_sipi;

	/* Where the guest reads its vcpu_info: in shared_info, or a page it named. */
	struct vcpu_info *vcpu_info;
	struct page *vcpu_info_page;	/* referenced while mapped, NULL for shared_info */
	/* The runstate area (a guest-virtual address, 0 for none) and its contents. */
	u64 runstate_gva;
	int runstate;
	u64 runstate_entry;		/* system time of the last change */
	u64 runstate_time[4];
	/* VCPUOP_set_singleshot_timer and set_periodic_timer, raising VIRQ_TIMER. */
	struct hrtimer timer;
	struct hrtimer periodic;
	u64 period_ns;
	/* Event channels bound to this vcpu's VIRQs (0: none). */
	u32 virq_port[24];

	bool in_multicall;
	bool blocked;			/* in HLT or SCHEDOP_block/poll (getvcpuinfo) */
	bool op_down;			/* VCPUOP_down: stopped where it is, until VCPUOP_up */
	bool polling;			/* in SCHEDOP_poll: any event of the domain wakes it */
	struct vcpu_info dummy_info;	/* vcpus 32 and up, before they register one */

	/*
	 * The toolstack's sethvmcontext, for the thread to act on (under d->ctx_lock):
	 * go down (wait for INIT/SIPI), then take this CPU record (kmalloc'd) and its
	 * CPU_XSAVE record (kmalloc'd, or NULL), and run.
	 */
	bool ctx_down;
	struct hvm_hw_cpu *ctx_cpu;
	struct hvm_hw_cpu_xsave *ctx_xsave;
};

/* A domain's physical memory: guest frame -> the host page behind it. */
struct kxen_p2m {
	struct xarray pages;		/* gfn -> struct page * */
	unsigned long nr_pages;		/* guest RAM pages held */
	/*
	 * Pages populate_physmap replaced: Xen keeps such a page as the domain's,
	 * unreachable, until it dies, so it counts against max_pages. kxen frees it
	 * and keeps the count (kxen_p2m_tot_pages()).
	 */
	unsigned long orphans;
	unsigned long max_pages;
	u64 max_gfn;			/* the highest frame ever mapped (XENMEM_maximum_gpfn) */
	/*
	 * The paging pool (Xen's HAP pool): pages set aside for the nested page tables,
	 * nr_table_pages of them in use, pool_free on the pool list.
	 */
	unsigned long nr_table_pages;
	unsigned long pool_free;
	struct list_head pool;
	void *arch;			/* nested page-table root (arch-owned) */
	struct mutex lock;		/* serialises changes; lookups need only RCU */
	bool closed;			/* dying (or dom0's): nothing is added, under lock */
};

/* One entry of a memory map (Xen's packed struct e820entry). */
struct kxen_e820entry {
	u64 addr;
	u64 size;
	u32 type;
} __packed;

struct kxen_domain {
	u16 id;
	u64 serial;			/* never reused, unlike ids: see arch/x86/spec.c */
	struct kref ref;
	struct rcu_head rcu;		/* freed a grace period after the last reference */
	struct list_head link;

	struct mutex lock;		/* state, vcpus */
	enum kxen_domain_state state;
	unsigned int shutdown_code;	/* SHUTDOWN_*, or KXEN_SHUTDOWN_NONE */
	unsigned int pause_count;	/* the toolstack's pauses (domctl pausedomain) */
	bool creation_finished;		/* unpaused once: its CPU policy is fixed */
	u8 handle[16];			/* the toolstack's UUID for it */
	/* What the toolstack set and reads back, and nothing else uses yet. */
	u16 sched_weight, sched_cap;
	spinlock_t ctx_lock;		/* the vcpus' ctx_down and ctx_cpu */

	unsigned int max_vcpus;
	struct kxen_vcpu *vcpus[KXEN_MAX_VCPUS];
	struct kxen_p2m p2m;

	/* The shared_info page: a page of the domain's, mapped where the guest asks. */
	struct shared_info *shared_info;
	u64 shared_info_gfn;		/* ~0: not mapped */

	/* HVM parameters (public/hvm/params.h); CALLBACK_IRQ's vector, 0 for none. */
	u64 hvm_param[KXEN_HVM_NR_PARAMS];
	u8 callback_vector;
	atomic_t pollers;		/* vcpus in SCHEDOP_poll */
	bool runstate_update_flag;	/* VMASST_TYPE_runstate_update_flag */

	/* Event channels (xen/event_channel.c). */
	spinlock_t evtchn_lock;
	struct kxen_evtchn *evtchn;
	struct kxen_evtchn_fifo *evtchn_fifo;	/* the FIFO ABI, once asked for */
	u32 dom0_virq_port[24];		/* dom0's global VIRQs (0: not bound) */

	/* Grant table v1 (xen/grant_table.c): frames allocated as the guest maps them. */
	struct mutex gnttab_lock;
	struct page *gnttab_frame[KXEN_GNTTAB_MAX_FRAMES];
	u64 gnttab_gfn[KXEN_GNTTAB_MAX_FRAMES];	/* where each is mapped, or ~0 */
	unsigned int gnttab_nr_frames;
	bool gnttab_closed;		/* destroyed: it grows no more */
	struct xarray gnttab_maps;	/* ref -> dom0's mappings of it (grant_table.c) */

	/* The CPUID the toolstack asked for (XEN_DOMCTL_set_cpu_policy). */
	struct kxen_cpuid_policy cpuid;

	/* The memory map the toolstack set (XENMEM_set_memory_map), under lock. */
	struct kxen_e820entry *e820;
	unsigned int nr_e820;

	/* Console output from port 0xE9 and console_io, gathered a line at a time. */
	spinlock_t con_lock;
	char con_line[128];
	unsigned int con_len;
};

/* Domains: create, look up, and the ends of their lives (core/domain.c). */
/*
 * A new domain, paused, no vcpus yet; want: its domid (-EEXIST if taken), or 0 for any.
 * Findable at once; the caller gets a reference of its own, to put when done.
 */
struct kxen_domain *kxen_domain_create(u16 want, unsigned int max_vcpus,
				       unsigned long max_pages);
struct kxen_domain *kxen_domain_get(u16 id);
/*
 * Domain 0 is the host itself: no guest runs in it, its "vcpu" is a dom0 process
 * calling through /dev/xen/privcmd, its handles are that process's pointers.
 */
static inline bool kxen_is_dom0(const struct kxen_domain *d)
{
	return d->id == 0;
}
/* The domain with the lowest id >= first, referenced, or NULL. */
struct kxen_domain *kxen_domain_next(u16 first);
/* Domain 0, the host (made at load, gone at unload). */
int kxen_dom0_init(void);
void kxen_dom0_exit(void);
void kxen_domain_put(struct kxen_domain *d);
/*
 * The domain a hypercall names: DOMID_SELF or its own id, or (for dom0 only) another.
 * NULL with *err -ESRCH (no such domain) or -EPERM, as Xen's XSM_TARGET check.
 */
struct kxen_domain *kxen_domain_target(struct kxen_vcpu *v, u16 domid, int *err);
/* The toolstack's pause and unpause (Xen's domain_{,un}pause_by_systemcontroller). */
int kxen_domain_pause(struct kxen_domain *d);
int kxen_domain_unpause(struct kxen_domain *d);
/* Undo a shutdown (suspend, mostly): the vcpus run on from where they stopped. */
void kxen_domain_resume(struct kxen_domain *d);

/* May the domain's vcpus run guest code now? */
/*
 * Vcpu id of d (a number from a guest or dom0): NULL past the domain's vcpus or for
 * one not made yet, and no further even under speculation.
 */
static inline struct kxen_vcpu *kxen_vcpu_of(struct kxen_domain *d, unsigned int id)
{
	if (id >= d->max_vcpus)
		return NULL;
	return d->vcpus[array_index_nospec(id, d->max_vcpus)];
}

static inline bool kxen_domain_runnable(struct kxen_domain *d)
{
	return READ_ONCE(d->state) == KXEN_DOM_RUNNING && !READ_ONCE(d->pause_count);
}
void kxen_domain_shutdown(struct kxen_domain *d, unsigned int code);
void kxen_domain_set_shutdown_code(struct kxen_domain *d, unsigned int code);
void kxen_domain_crash(struct kxen_domain *d, const char *why);
/* Destroy; the caller holds a reference of its own (from kxen_domain_get). */
int kxen_domain_destroy(struct kxen_domain *d);
void kxen_domains_destroy_all(void);

/* Vcpus (core/vcpu.c). */
/* A vcpu, down: waiting for the toolstack's HVM context or INIT/SIPI. */
int kxen_vcpu_create(struct kxen_domain *d, unsigned int id);
/* Up, as Xen's !VPF_down: started (not waiting for INIT/SIPI), and not VCPUOP_down. */
static inline bool kxen_vcpu_up(struct kxen_vcpu *v)
{
	return !READ_ONCE(v->waiting_sipi) && !READ_ONCE(v->op_down);
}
/* At destroy: the thread and timers end. At the domain's last reference: freed. */
void kxen_vcpu_stop(struct kxen_vcpu *v);
void kxen_vcpu_free(struct kxen_vcpu *v);
void kxen_vcpu_kick(struct kxen_vcpu *v);
/* HLT: sleep until an interrupt is pending, or the domain stops. */
void kxen_vcpu_halt(struct kxen_vcpu *v);
/* SCHEDOP_block: events on, sleep until one (or an interrupt) is pending, IF or not. */
void kxen_vcpu_block(struct kxen_vcpu *v);
/*
 * SCHEDOP_poll: sleep until pending(v, ports, nr) (one of the ports is pending, in
 * whichever event-channel ABI the domain uses: the caller's to say), an interrupt for
 * the vcpu is, the system time reaches deadline (0: none), or the domain stops.
 */
void kxen_vcpu_poll(struct kxen_vcpu *v, const u32 *ports, unsigned int nr, u64 deadline,
		    bool (*pending)(struct kxen_vcpu *v, const u32 *ports, unsigned int nr));
/* The interrupt to deliver next, if the guest can take one: a vector, or -1. */
int kxen_vcpu_pending_irq(struct kxen_vcpu *v);
/* That vector was delivered. */
void kxen_vcpu_ack_irq(struct kxen_vcpu *v, int vector);
/* Callbacks run on the vcpu's thread around a halt (runstate, time). */
void kxen_vcpu_runstate(struct kxen_vcpu *v, int state);
/* Every vcpu of d leaves guest mode at least once before this returns (TLB). */
void kxen_domain_sync_vcpus(struct kxen_domain *d);

/*
 * Guest memory (core/p2m.c). A page of a domain's is touched only with a reference
 * of one's own: see the rule at the top of p2m.c.
 */
int kxen_p2m_init(struct kxen_domain *d, unsigned long max_pages);
void kxen_p2m_init_closed(struct kxen_domain *d);
void kxen_p2m_destroy(struct kxen_domain *d);
/*
 * Back [gfn, gfn + nr) with fresh zeroed pages (RAM already there is replaced): all
 * of it, or (on error) none of the new pages. -ESRCH once the domain is dying.
 */
int kxen_p2m_populate(struct kxen_domain *d, u64 gfn, unsigned long nr);
/*
 * The page behind gfn, referenced (put_page() it), or NULL. ram_only: only the
 * domain's own RAM, not kxen's pages it maps (shared_info, grant frames).
 */
struct page *kxen_p2m_get_page(struct kxen_domain *d, u64 gfn, bool ram_only);
/* Is gfn the domain's RAM now? (A snapshot: it may change as soon as this returns.) */
bool kxen_p2m_is_ram(struct kxen_domain *d, u64 gfn);
/* The pages the domain is charged with, as Xen's tot_pages. */
static inline unsigned long kxen_p2m_tot_pages(struct kxen_domain *d)
{
	return READ_ONCE(d->p2m.nr_pages) + READ_ONCE(d->p2m.orphans);
}
/*
 * The paging pool: what the nested page tables are built from. The backend takes and
 * gives back pages under p2m.lock; the toolstack sizes it (in pages; -ENOMEM when
 * Linux has not that many to give, -ESRCH once the domain is dying).
 */
struct page *kxen_p2m_table_alloc(struct kxen_domain *d);
void kxen_p2m_table_free(struct kxen_domain *d, struct page *page);
int kxen_p2m_pool_set(struct kxen_domain *d, unsigned long pages);
unsigned long kxen_p2m_pool_size(struct kxen_domain *d);
/* Copy between a kernel buffer and guest-physical memory: 0 or -EFAULT. */
int kxen_gpa_read(struct kxen_domain *d, void *dst, u64 gpa, size_t len);
int kxen_gpa_write(struct kxen_domain *d, u64 gpa, const void *src, size_t len);

/* Guest-physical pages that are not RAM the domain owns (shared_info, grant frames). */
int kxen_p2m_map_foreign(struct kxen_domain *d, u64 gfn, struct page *page);
/* Remove whatever is at gfn (RAM loses the p2m's reference). */
void kxen_p2m_remove(struct kxen_domain *d, u64 gfn);
/* Remove the domain's RAM at gfn: 0, or -EINVAL if gfn is not its RAM. */
int kxen_p2m_remove_ram(struct kxen_domain *d, u64 gfn);

/* Time (core/time.c): Xen system time in ns, the same for the host and every guest. */
int kxen_time_init(void);
u64 kxen_system_time(void);
/* Write vcpu_time_info into the vcpu's vcpu_info (the version protocol). */
void kxen_time_update_vcpu(struct kxen_vcpu *v);
void kxen_time_update_wallclock(struct kxen_domain *d);
void kxen_timer_init(struct kxen_vcpu *v);
/* Arm the singleshot timer for system time t (in the past: fire now). */
void kxen_timer_set(struct kxen_vcpu *v, u64 t);
void kxen_timer_stop(struct kxen_vcpu *v);
/* A period in ns, or 0 to stop. */
void kxen_timer_periodic(struct kxen_vcpu *v, u64 period_ns);
/* Write the vcpu_time_info a guest asked for at a virtual address too. */
int kxen_time_write_guest(struct kxen_vcpu *caller, struct kxen_vcpu *v, u64 gva);

/* The hypervisor console, what `xl dmesg` shows (core/console.c). */
void kxen_console_guest_putc(struct kxen_domain *d, char c);
void kxen_console_printf(const char *fmt, ...) __printf(1, 2);
int kxen_console_init(void);
void kxen_console_exit(void);
/* XEN_SYSCTL_readconsole into the caller's buf (a handle). */
long kxen_console_read_ring(struct kxen_vcpu *v, u64 buf, u32 *count, u32 *index,
			    bool incremental, bool clear);

#endif
