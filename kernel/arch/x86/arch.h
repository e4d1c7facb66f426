/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one interface between kxen and the CPU's virtualization extensions. Code above
 * it never learns whether AMD SVM or Intel VMX runs underneath.
 */
#ifndef KXEN_ARCH_X86_ARCH_H
#define KXEN_ARCH_X86_ARCH_H

#include <linux/types.h>

struct page;
struct kxen_domain;
struct kxen_vcpu;

/* The control state a guest-linear address is translated with (walk.c). */
struct kxen_sregs {
	u64 cr0, cr3, cr4, efer;
	u64 rip, rflags;
	unsigned int cpl;
	bool cs_l;		/* CS.L: 64-bit code */
	bool cs_db;		/* CS.D/B: 32-bit code, when not 64-bit */
};

/* A segment register, for operands kxen emulates: ES CS SS DS FS GS, as CPUs number them. */
enum { KXEN_SEG_ES, KXEN_SEG_CS, KXEN_SEG_SS, KXEN_SEG_DS, KXEN_SEG_FS, KXEN_SEG_GS };
struct kxen_seg {
	u64 base;
	u32 limit;		/* bytes, less one (granularity applied) */
	bool usable;		/* loaded with a present descriptor */
};

/* A backend: AMD SVM (svm.c) or Intel VMX (vmx.c). */
struct hvm_hw_cpu;

struct kxen_backend {
	const char *name;
	/*
	 * Work out, once at load, what the CPU's controls allow (NULL: nothing to do):
	 * 0, or -ENODEV with a dmesg line saying what is missing.
	 */
	int (*setup)(void);
	/*
	 * Enter SVM/VMX operation on the calling CPU, with @page, a zeroed page of this
	 * CPU's own (the host save area, or the VMXON region). -EBUSY when another
	 * hypervisor got there first.
	 */
	int (*cpu_on)(struct page *page);
	/* Leave it again on the calling CPU. */
	void (*cpu_off)(void);

	/* A domain's nested page tables (NPT or EPT): root, map/unmap one 4k frame, free. */
	int (*p2m_init)(struct kxen_domain *d);
	int (*p2m_map)(struct kxen_domain *d, u64 gfn, u64 pfn);
	void (*p2m_unmap)(struct kxen_domain *d, u64 gfn);
	void (*p2m_destroy)(struct kxen_domain *d);

	/* A vcpu's hardware state, for a vcpu that is down (waiting for INIT/SIPI). */
	int (*vcpu_init)(struct kxen_vcpu *v);
	void (*vcpu_free)(struct kxen_vcpu *v);
	/*
	 * Enter the guest once and handle what made it exit. Called from the vcpu's
	 * thread with preemption enabled; it may sleep only after the exit.
	 */
	void (*vcpu_enter)(struct kxen_vcpu *v);
	void (*get_sregs)(struct kxen_vcpu *v, struct kxen_sregs *s);
	void (*get_seg)(struct kxen_vcpu *v, unsigned int seg, struct kxen_seg *out);
	/*
	 * Deliver exception vector (with error code err where the vector has one) at the
	 * next entry, instead of finishing the instruction that exited; cr2 for a #PF.
	 */
	void (*inject_exception)(struct kxen_vcpu *v, unsigned int vector, u32 err, u64 cr2);
	/*
	 * Step over an instruction kxen did in the guest's place, len bytes long (or as
	 * long as the CPU says, where it says); single-stepping traps after it.
	 */
	void (*skip)(struct kxen_vcpu *v, unsigned int len);
	/*
	 * RDMSR/WRMSR of what the backend holds itself (EFER, PAT), then of the rest
	 * (msr.c's kxen_x86_rdmsr/wrmsr): 0, or -EINVAL for #GP.
	 */
	int (*msr_read)(struct kxen_vcpu *v, u32 index, u64 *value);
	int (*msr_write)(struct kxen_vcpu *v, u32 index, u64 value);
	/* RFLAGS.IF, and no interrupt shadow: an interrupt would be taken now. */
	bool (*interrupts_enabled)(struct kxen_vcpu *v);
	/* Start an AP waiting for SIPI: real mode at vector << 12. */
	void (*vcpu_sipi)(struct kxen_vcpu *v, u8 vector);
	/*
	 * Xen's HVM CPU record (a checked one) into the vcpu's hardware state and out
	 * again: segments, control and debug registers, RIP, RFLAGS, the system-call
	 * MSRs. From the vcpu's own thread, or with it stopped. GPRs and the FPU are
	 * the caller's (hvm_save.c).
	 */
	void (*load_cpu)(struct kxen_vcpu *v, const struct hvm_hw_cpu *c);
	void (*save_cpu)(struct kxen_vcpu *v, struct hvm_hw_cpu *c);
};

extern const struct kxen_backend kxen_svm_backend;
extern const struct kxen_backend kxen_vmx_backend;

/* Probe the machine and pick a backend; on refusal, one dmesg line says why. */
int kxen_arch_init(void);
void kxen_arch_exit(void);
/* The backend kxen runs on and what it found, for messages and sysfs. */
const char *kxen_arch_describe(void);

/*
 * Hold SVM/VMX operation switched on, on every online CPU (and on CPUs that come
 * online meanwhile). kxen holds it only while it needs it, so KVM can use the CPU
 * whenever kxen does not.
 */
int kxen_virt_get(void);
void kxen_virt_put(void);

/* The backend in use, once kxen_arch_init() succeeded. */
extern const struct kxen_backend *kxen_backend;

/*
 * Guest-linear memory, as hypercall handles name it: translated through the guest's
 * own page tables at its current privilege (walk.c). 0, or -EFAULT for any byte
 * that is not mapped (or not writable, for a write).
 */
int kxen_copy_from_guest(struct kxen_vcpu *v, void *dst, u64 gva, size_t len);
int kxen_copy_to_guest(struct kxen_vcpu *v, u64 gva, const void *src, size_t len);

/*
 * A data access by an instruction kxen emulates, at linear address la with the
 * guest's paging and privilege as they are in s: 0 when done, or the exception the
 * CPU would raise (*vector: X86_TRAP_PF with *err and *cr2). A frame nothing backs is
 * a device that is not there, as on Xen: reads give all ones, writes go nowhere.
 */
int kxen_linear_access(struct kxen_vcpu *v, const struct kxen_sregs *s, u64 la, void *buf,
		       unsigned int len, bool write, unsigned int *vector, u32 *err, u64 *cr2);

/*
 * The bytes of the instruction at CS:RIP, as many as the guest could fetch of the
 * longest there is (KXEN_INSN_MAX), the rest zero: how many (0: none, it may have
 * gone meanwhile).
 */
#define KXEN_INSN_MAX	15
int kxen_fetch_insn(struct kxen_vcpu *v, const struct kxen_sregs *s, u8 *buf);

#endif
