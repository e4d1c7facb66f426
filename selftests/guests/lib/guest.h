/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The runtime of kxen's test guests: tiny freestanding PVH kernels, one per directory,
 * each testing one piece of the Xen ABI, in the manner of Xen's XTF. A test ends with
 * one of XTF's four outcomes: success; skip; error (the test itself is broken or could
 * not run); failure (the hypervisor under test is wrong).
 */
#ifndef KXEN_GUEST_H
#define KXEN_GUEST_H

typedef unsigned char u8;
typedef unsigned int u32;
typedef unsigned long u64;
typedef long s64;

#define NULL ((void *)0)

/* The test: each directory's main.c defines these. */
extern const char test_title[];
void test_main(void);

/* Console: port 0xE9, which Xen prints on its own console as "(dN) text". */
void printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Outcomes: each prints "Test result: ..." and powers the guest off. */
void __attribute__((noreturn)) xtf_success(void);
void __attribute__((noreturn, format(printf, 1, 2))) xtf_skip(const char *fmt, ...);
void __attribute__((noreturn, format(printf, 1, 2))) xtf_error(const char *fmt, ...);
/* A failure is recorded and the test goes on; the outcome is reported at its end. */
void __attribute__((format(printf, 1, 2))) xtf_failure(const char *fmt, ...);

/* Check a hypercall's or a value's result against what Xen 4.17 gives. */
#define check_eq(got, want, what)						\
	do {									\
		s64 _g = (s64)(got), _w = (s64)(want);				\
		if (_g != _w)							\
			xtf_failure("%s: got %ld (%#lx), want %ld (%#lx)",	\
				    what, _g, _g, _w, _w);			\
	} while (0)

static inline void cpuid(u32 leaf, u32 sub, u32 *a, u32 *b, u32 *c, u32 *d)
{
	asm volatile("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d) : "a"(leaf), "c"(sub));
}

static inline void outb(u8 v, unsigned short port)
{
	asm volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

/* Hypercalls: VMMCALL on AMD, VMCALL on Intel, as Linux 6.1.123+ issues them. */
s64 hypercall2(u64 nr, u64 a1, u64 a2);
s64 hypercall3(u64 nr, u64 a1, u64 a2, u64 a3);
s64 hypercall5(u64 nr, u64 a1, u64 a2, u64 a3, u64 a4, u64 a5);

/*
 * Guest memory: 1:1 mapped; the image sits at 1 MiB, so the frames below it are free
 * for the tests (shared_info, vcpu_info, grant frames).
 */
#define SHARED_INFO_GFN		0x80
#define SCRATCH_GFN		0x81
#define MSR_EFER		0xc0000080

/* The parts of shared_info and vcpu_info the tests read (public/xen.h, x86-64). */
struct vcpu_time_info {
	u32 version, pad0;
	u64 tsc_timestamp, system_time;
	u32 tsc_to_system_mul;
	signed char tsc_shift;
	u8 flags, pad1[2];
};

struct vcpu_info {
	u8 evtchn_upcall_pending, evtchn_upcall_mask;
	u8 pad[6];
	u64 evtchn_pending_sel;
	u64 cr2, pad2;
	struct vcpu_time_info time;
};

struct shared_info {
	struct vcpu_info vcpu_info[32];
	u64 evtchn_pending[64];
	u64 evtchn_mask[64];
	u32 wc_version, wc_sec, wc_nsec, wc_sec_hi;
};

/* Map shared_info at SHARED_INFO_GFN (memory_op add_to_physmap); NULL on failure. */
struct shared_info *map_shared_info(void);
/* Xen system time (ns) from a vcpu_time_info, as a guest's pvclock computes it. */
u64 system_time(const struct vcpu_time_info *t);
/* This guest's domid (CPUID 0x40000004 ECX). */
u32 my_domid(void);

static inline int test_bit(unsigned int nr, const u64 *addr)
{
	return (addr[nr / 64] >> (nr % 64)) & 1;
}

static inline u64 rdtsc(void)
{
	u32 lo, hi;

	asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((u64)hi << 32) | lo;
}

/* From Xen's public headers (xen.h, version.h, sched.h, memory.h, ...). */
#define __HYPERVISOR_memory_op		12
#define __HYPERVISOR_xen_version	17
#define __HYPERVISOR_console_io		18
#define __HYPERVISOR_grant_table_op	20
#define __HYPERVISOR_vcpu_op		24
#define __HYPERVISOR_sched_op		29
#define __HYPERVISOR_event_channel_op	32
#define __HYPERVISOR_hvm_op		34
#define DOMID_SELF			0x7ff0
#define SCHEDOP_shutdown		2
#define SHUTDOWN_poweroff		0
#define SHUTDOWN_crash			3

#define EPERM	1
#define ENOENT	2
#define ESRCH	3
#define ENXIO	6
#define EACCES	13
#define EFAULT	14
#define EEXIST	17
#define EINVAL	22
#define ENOSYS	38
#define EOPNOTSUPP	95

/* ---- A second (third...) vcpu, started as a PVH guest may: VCPUOP_initialise, up. */
#define VCPUOP_initialise		0
#define VCPUOP_up			1
#define VCPUOP_down			2
#define VCPUOP_is_up			3
#define VCPU_HVM_MODE_32B		0
#define VCPU_HVM_MODE_64B		1

/* public/hvm/hvm_vcpu.h */
struct vcpu_hvm_x86_32 {
	u32 eax, ecx, edx, ebx, esp, ebp, esi, edi, eip, eflags;
	u32 cr0, cr3, cr4, pad1;
	u64 efer;
	u32 cs_base, ds_base, ss_base, es_base, tr_base;
	u32 cs_limit, ds_limit, ss_limit, es_limit, tr_limit;
	unsigned short cs_ar, ds_ar, ss_ar, es_ar, tr_ar, pad2[3];
};

struct vcpu_hvm_x86_64 {
	u64 rax, rcx, rdx, rbx, rsp, rbp, rsi, rdi, rip, rflags;
	u64 cr0, cr3, cr4, efer;
};

struct vcpu_hvm_context {
	u32 mode, pad;
	union {
		struct vcpu_hvm_x86_32 x86_32;
		struct vcpu_hvm_x86_64 x86_64;
	} cpu_regs;
};

/* What a vcpu started by start_vcpu() found in its registers (head.S stores them). */
struct ap_regs {
	u64 rax, rcx, rdx, rbx, rsp, rbp, rsi, rdi, rflags, cr0, cr3, cr4, efer;
	u64 cs, ss, ds;
};

#define MAX_APS		3	/* vcpus 1-3 */

/*
 * A 64-bit context entering ap_entry64 (head.S) on vcpu id: paging as this vcpu's
 * (CR0, CR3, CR4, EFER), interrupts off, its own stack; there fn(arg) runs, and when
 * it returns the vcpu halts with interrupts off (down). The registers as it found them
 * land in *regs. The caller may change the context before VCPUOP_initialise.
 */
void vcpu_context64(struct vcpu_hvm_context *ctx, unsigned int id, void (*fn)(void *),
		    void *arg, struct ap_regs *regs);
/* VCPUOP_initialise with that context, then VCPUOP_up: 0, or the failing call's error. */
s64 start_vcpu(unsigned int id, void (*fn)(void *), void *arg);
void ap_entry64(void);
extern struct ap_regs ap_regs[MAX_APS + 1];

static inline u64 read_cr0(void)
{
	u64 v;

	asm volatile("mov %%cr0, %0" : "=r"(v));
	return v;
}

static inline u64 read_cr3(void)
{
	u64 v;

	asm volatile("mov %%cr3, %0" : "=r"(v));
	return v;
}

static inline u64 read_cr2(void)
{
	u64 v;

	asm volatile("mov %%cr2, %0" : "=r"(v));
	return v;
}

static inline u64 read_cr4(void)
{
	u64 v;

	asm volatile("mov %%cr4, %0" : "=r"(v));
	return v;
}

static inline u64 rdmsr(u32 msr)
{
	u32 lo, hi;

	asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((u64)hi << 32) | lo;
}

static inline void cpu_relax(void)
{
	asm volatile("pause" ::: "memory");
}

#define READ_ONCE(x)		(*(const volatile typeof(x) *)&(x))
#define WRITE_ONCE(x, v)	(*(volatile typeof(x) *)&(x) = (v))
#define barrier()		asm volatile("" ::: "memory")

/* A spinlock between this guest's vcpus. */
static inline void spin_lock(volatile u32 *l)
{
	while (__atomic_exchange_n(l, 1, __ATOMIC_ACQUIRE))
		while (*l)
			cpu_relax();
}

static inline void spin_unlock(volatile u32 *l)
{
	__atomic_store_n(l, 0, __ATOMIC_RELEASE);
}

/*
 * Exceptions. Every vector 0-31 has a handler (lib.c). An instruction that may fault
 * on purpose names a fixup in the exception table: the handler resumes there with
 * the exception in RDI (or RAX), as exinfo() makes it (XTF's way). Any other exception is the
 * test's error: it says where, and ends the test.
 */
#define EXINFO_VALID		0x80000000u
static inline u32 exinfo(unsigned int vec, unsigned int err)
{
	return EXINFO_VALID | vec << 16 | (err & 0xffff);
}

#define X86_EXC_UD	6
#define X86_EXC_SS	12
#define X86_EXC_GP	13
#define X86_EXC_PF	14

#define EXTABLE_REG(insn, fixup, reg)					\
	".pushsection .extable, \"a\"\n\t.quad " #insn ", " #fixup ", " #reg	\
	"\n\t.popsection\n\t"
/* The exception into RDI; or into RAX, for instructions that use RDI themselves. */
#define EXTABLE(insn, fixup)		EXTABLE_REG(insn, fixup, 0)
#define EXTABLE_RAX(insn, fixup)	EXTABLE_REG(insn, fixup, 1)

struct exc_frame {
	u64 r15, r14, r13, r12, r11, r10, r9, r8, rbp, rdi, rsi, rdx, rcx, rbx, rax;
	u64 vec, err, rip, cs, rflags, rsp, ss;
};

/* The IDT as lgdt takes it: the boot vcpu loads it before test_main, others at entry. */
extern struct idt_ptr {
	unsigned short limit;
	u64 base;
} __attribute__((packed)) idt_ptr;

/* RDMSR, WRMSR and MOV to CR4 that may fault: 0, or the exception as exinfo(). */
static inline u32 rdmsr_safe(u32 msr, u64 *val)
{
	u32 lo = 0, hi = 0;
	u64 fault = 0;

	asm volatile("1: rdmsr; 2:\n\t" EXTABLE(1b, 2b)
		     : "+a"(lo), "+d"(hi), "+D"(fault) : "c"(msr));
	*val = ((u64)hi << 32) | lo;
	return fault;
}

static inline u32 wrmsr_safe(u32 msr, u64 val)
{
	u64 fault = 0;

	asm volatile("1: wrmsr; 2:\n\t" EXTABLE(1b, 2b)
		     : "+D"(fault) : "c"(msr), "a"((u32)val), "d"((u32)(val >> 32)));
	return fault;
}

static inline u32 write_cr4_safe(u64 val)
{
	u64 fault = 0;

	asm volatile("1: mov %1, %%cr4; 2:\n\t" EXTABLE(1b, 2b)
		     : "+D"(fault) : "r"(val) : "memory");
	return fault;
}

void *memset(void *s, int c, unsigned long n);

/*
 * A number given on the guest's command line as "key=N" (decimal, or 0x hex), as
 * kxen-domu's -c or xl's cmdline= pass it; dflt when there is none. For longer runs
 * by hand of tests whose make check run is short.
 */
u64 cmdline_number(const char *key, u64 dflt);
int memcmp(const void *a, const void *b, unsigned long n);
unsigned long strlen(const char *s);

#endif
