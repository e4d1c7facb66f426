/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one interface between kxen and the CPU's virtualization extensions. Code above
 * it never learns whether AMD SVM or Intel VMX runs underneath.
 */
#ifndef KXEN_ARCH_X86_ARCH_H
#define KXEN_ARCH_X86_ARCH_H

struct page;

/* A backend: AMD SVM (svm.c) or Intel VMX (vmx.c). */
struct kxen_backend {
	const char *name;
	/*
	 * Enter SVM/VMX operation on the calling CPU, with @page, a zeroed page of this
	 * CPU's own (the host save area, or the VMXON region). -EBUSY when another
	 * hypervisor got there first.
	 */
	int (*cpu_on)(struct page *page);
	/* Leave it again on the calling CPU. */
	void (*cpu_off)(void);
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

#endif
