/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a guest sees of the x86 machine, the same on both backends: CPUID, MSRs, I/O
 * ports, XCR0, and the hypercall register convention. A backend decodes its exit and
 * calls one of these; they work on the vcpu's registers (kxen_gprs).
 */
#ifndef KXEN_ARCH_X86_X86_H
#define KXEN_ARCH_X86_X86_H

#include <linux/bits.h>
#include <linux/types.h>
#include <asm/trapnr.h>

struct kxen_vcpu;
struct kxen_sregs;

/* Machine facts the guest policy is built from, read once at load (cpuid.c). */
int kxen_x86_init(void);

/* CPUID with leaf in RAX, subleaf in RCX; the result into RAX..RDX (cpuid.c). */
void kxen_x86_cpuid(struct kxen_vcpu *v, const struct kxen_sregs *s);

/*
 * Whether the CPU pushes an error code for an exception of this vector (SDM vol. 3,
 * table 6-1): #DF, #TS, #NP, #SS, #GP, #PF, #AC, #CP. Both backends inject with it.
 */
static inline bool kxen_x86_has_error_code(unsigned int vector)
{
	return vector < 32 && ((1U << vector) & (BIT(X86_TRAP_DF) | BIT(X86_TRAP_TS) |
						 BIT(X86_TRAP_NP) | BIT(X86_TRAP_SS) |
						 BIT(X86_TRAP_GP) | BIT(X86_TRAP_PF) |
						 BIT(X86_TRAP_AC) | BIT(X86_TRAP_CP)));
}

/* MSRs the backend does not keep itself: 0, or -EINVAL for #GP (msr.c). */
int kxen_x86_rdmsr(struct kxen_vcpu *v, u32 index, u64 *value);
int kxen_x86_wrmsr(struct kxen_vcpu *v, u32 index, u64 value);

/* A PAT value WRMSR may set: eight valid memory types (msr.c). */
bool kxen_x86_pat_valid(u64 pat);
/*
 * WRMSR of EFER with value, the guest's now efer and cr0: 0 and what EFER becomes
 * (LMA stays the CPU's), or -EINVAL for #GP. The backend adds bits of its own.
 */
int kxen_x86_efer(u64 efer, u64 cr0, u64 value, u64 *out);

/*
 * MOV to CR4 of value, the vcpu's control registers as they are now in s: 0 when the
 * write may happen, or -EINVAL for #GP (cpuid.c: the domain's CPUID names the bits).
 * The backend makes the change and the TLB flush it needs.
 */
int kxen_x86_cr4(struct kxen_vcpu *v, const struct kxen_sregs *s, u64 value);

/* XSETBV: 0, or -EINVAL for #GP. The value is loaded around each guest run. */
int kxen_x86_xsetbv(struct kxen_vcpu *v, u32 index, u64 value);
/* Whether a guest may have this XCR0 (XSETBV's checks, cpuid.c). */
bool kxen_x86_xcr0_valid(u64 value);
/* The size of XSAVE's standard-form area holding the features in mask (cpuid.c). */
u32 kxen_x86_xsave_size(u64 mask);
/* The host's XCR0, to put back after a guest run; the features guests may have. */
extern u64 kxen_host_xcr0;
extern u64 kxen_guest_xcr0;

/* Port I/O of size 1, 2 or 4 bytes (io.c). */
void kxen_x86_out(struct kxen_vcpu *v, u16 port, unsigned int size, u32 value);
u32 kxen_x86_in(struct kxen_vcpu *v, u16 port, unsigned int size);
/* An IN or OUT exit, with RAX. */
void kxen_x86_io(struct kxen_vcpu *v, u16 port, unsigned int size, bool in);
/*
 * An INS/OUTS exit, with the state s at the exit: true when done, false when it must
 * run again (a batch at a time) or fault (delivered already).
 */
bool kxen_x86_string_io(struct kxen_vcpu *v, const struct kxen_sregs *s, u16 port,
			unsigned int size, bool in, bool rep);

/*
 * A nested page fault (NPF, EPT violation) on gpa; not_data when an instruction fetch,
 * the guest's own page-table walk or an event's delivery made it. A data access to a frame nothing backs
 * is done as with a device that is not there (mmio.c). 0 when handled (or the frame
 * is backed again: the guest runs again), -EINVAL when kxen cannot (why says so, for
 * the domain crash).
 */
int kxen_x86_npf(struct kxen_vcpu *v, const struct kxen_sregs *s, u64 gpa, bool not_data,
		 char *why, size_t why_len);

/* Which barriers this CPU needs, from the kernel's decisions; at load (spec.c). */
void kxen_x86_spec_init(void);
/*
 * With interrupts off, just before entering v's guest: the speculation barriers a
 * switch of guests or an entry needs on this CPU (spec.c).
 */
void kxen_x86_spec_enter(struct kxen_vcpu *v);

/* A hypercall: number and arguments from the registers as the guest's mode has them. */
void kxen_x86_hypercall(struct kxen_vcpu *v, const struct kxen_sregs *s);

/*
 * Exits both backends finish alike (exits.c): RDMSR/WRMSR and XSETBV of len bytes,
 * and #UD (the other vendor's hypercall instruction is a hypercall).
 */
void kxen_x86_msr_exit(struct kxen_vcpu *v, bool write, unsigned int len);
void kxen_x86_xsetbv_exit(struct kxen_vcpu *v, unsigned int len);
void kxen_x86_ud(struct kxen_vcpu *v, const struct kxen_sregs *s);
/*
 * MSR 0x40000000: fill the guest page at gpa with the legacy hypercall stubs, the
 * vendor's instruction in each (hypercall_page.c). 0, or -EINVAL (#GP) for a frame
 * that is not the domain's RAM.
 */
int kxen_hypercall_page_write(struct kxen_vcpu *v, u64 gpa);

#endif
