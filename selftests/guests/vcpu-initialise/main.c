// SPDX-License-Identifier: GPL-2.0
/*
 * VCPUOP_initialise and VCPUOP_up, as a PVH guest starts a vcpu without INIT/SIPI
 * (public/hvm/hvm_vcpu.h): the second vcpu comes up in 64-bit mode with the registers
 * it was given, and only once VCPUOP_up says so; the states Xen 4.17 refuses, a second
 * initialise (-EEXIST, before anything else is checked), and VCPUOP_is_up throughout.
 * Runs with 2 vcpus (the file "vcpus").
 */
#include "guest.h"

const char test_title[] = "VCPUOP_initialise, VCPUOP_up";

static struct shared_info *s;
static u32 ap_ran, ap_release;
static s64 ap_is_up_self;

static s64 vcpu_op(u64 cmd, u64 vcpu, void *arg)
{
	return hypercall3(__HYPERVISOR_vcpu_op, cmd, vcpu, (u64)arg);
}

/* Spin up to ns of Xen system time for *flag to become want. */
static int wait_for(u32 *flag, u32 want, u64 ns)
{
	u64 end = system_time(&s->vcpu_info[0].time) + ns;

	while (READ_ONCE(*flag) != want)
		if (system_time(&s->vcpu_info[0].time) > end)
			return 0;
	return 1;
}

static void ap_main(void *arg)
{
	WRITE_ONCE(ap_is_up_self, vcpu_op(VCPUOP_is_up, 1, NULL));
	WRITE_ONCE(ap_ran, (u32)(u64)arg);
	while (!READ_ONCE(ap_release))
		cpu_relax();
	/* Back in head.S: halts with interrupts off, which takes it down. */
}

/* A 32-bit context that Xen takes: flat segments, protected mode, paging off. */
static void context32(struct vcpu_hvm_context *c)
{
	struct vcpu_hvm_x86_32 *r = &c->cpu_regs.x86_32;

	memset(c, 0, sizeof(*c));
	c->mode = VCPU_HVM_MODE_32B;
	r->eip = 0x100000;
	r->eflags = 2;
	r->cr0 = 0x11;
	r->cs_limit = r->ds_limit = r->ss_limit = r->es_limit = ~0u;
	r->cs_ar = 0xc9b;
	r->ds_ar = r->ss_ar = r->es_ar = 0xc93;
	r->tr_ar = 0x8b;
	r->tr_limit = 0x67;
}

static void refused(struct vcpu_hvm_context *c, s64 want, const char *what)
{
	check_eq(vcpu_op(VCPUOP_initialise, 1, c), want, what);
}

void test_main(void)
{
	struct vcpu_hvm_context good, c;
	struct vcpu_hvm_x86_64 *r = &c.cpu_regs.x86_64;
	struct ap_regs *regs = &ap_regs[1];
	s64 up;

	s = map_shared_info();
	if (!s)
		xtf_error("cannot map shared_info");
	up = vcpu_op(VCPUOP_is_up, 1, NULL);
	if (up == -ENOENT)
		xtf_skip("needs a second vcpu (start it with 2)");
	check_eq(up, 0, "is_up(1) before anything");
	check_eq(vcpu_op(VCPUOP_up, 1, NULL), -EINVAL, "up(1), never initialised");

	vcpu_context64(&good, 1, ap_main, (void *)0x5eed, regs);
	good.cpu_regs.x86_64.rax = 0x1111111111111111UL;
	good.cpu_regs.x86_64.rcx = 0x2222222222222222UL;
	good.cpu_regs.x86_64.rdx = 0x3333333333333333UL;
	good.cpu_regs.x86_64.rbp = 0x4444444444444444UL;

	check_eq(vcpu_op(VCPUOP_initialise, 2, &good), -ENOENT, "initialise(2): no such vcpu");
	check_eq(vcpu_op(VCPUOP_initialise, 1, (void *)0x40001000UL), -EFAULT,
		 "initialise(1), unmapped argument");
	check_eq(vcpu_op(VCPUOP_initialise, 0, &good), -EEXIST, "initialise(0), running");

	/* What Xen refuses, each leaving vcpu 1 as it was. */
	c = good;
	c.mode = 2;
	refused(&c, -EINVAL, "initialise, mode 2");
	c = good;
	c.pad = 1;
	refused(&c, -EINVAL, "initialise, pad not 0");
	c = good;
	r->cr0 &= ~0x80000000UL;
	refused(&c, -EINVAL, "initialise 64-bit, CR0.PG clear");
	c = good;
	r->cr4 &= ~0x20UL;
	refused(&c, -EINVAL, "initialise 64-bit, CR4.PAE clear");
	c = good;
	r->efer &= ~0x100UL;
	refused(&c, -EINVAL, "initialise 64-bit, EFER.LME clear");
	c = good;
	r->rip = 0x0000800000000000UL;
	refused(&c, -EINVAL, "initialise 64-bit, RIP not canonical");
	c = good;
	r->cr4 |= 1UL << 15;
	refused(&c, -EINVAL, "initialise 64-bit, CR4 reserved bit 15");
	c = good;
	r->efer |= 1UL << 3;
	refused(&c, -EINVAL, "initialise 64-bit, EFER reserved bit 3");
	context32(&c);
	c.cpu_regs.x86_32.cs_ar = 0;
	refused(&c, -EINVAL, "initialise 32-bit, CS null");
	context32(&c);
	c.cpu_regs.x86_32.ss_ar = 0xc9b;
	refused(&c, -EINVAL, "initialise 32-bit, SS a code segment");
	context32(&c);
	c.cpu_regs.x86_32.tr_ar = 0x9b;
	refused(&c, -EINVAL, "initialise 32-bit, TR not a system segment");
	context32(&c);
	c.cpu_regs.x86_32.cs_ar = 0x1c9b;
	refused(&c, -EINVAL, "initialise 32-bit, attribute bit 12");
	context32(&c);
	c.cpu_regs.x86_32.ss_ar = 0xcf3;
	refused(&c, -EINVAL, "initialise 32-bit, SS.DPL 3, CS.DPL 0");
	context32(&c);
	c.cpu_regs.x86_32.cs_ar = 0x49b;	/* byte-granular limit */
	c.cpu_regs.x86_32.cs_limit = 0xfffff;
	refused(&c, -EINVAL, "initialise 32-bit, EIP beyond CS's limit");
	context32(&c);
	c.cpu_regs.x86_32.pad2[1] = 1;
	refused(&c, -EINVAL, "initialise 32-bit, pad2 not 0");
	context32(&c);
	c.cpu_regs.x86_32.efer = 0x400;	/* LMA without LME */
	refused(&c, -EINVAL, "initialise 32-bit, EFER.LMA without LME");
	check_eq(vcpu_op(VCPUOP_is_up, 1, NULL), 0, "is_up(1) after refusals");
	check_eq(vcpu_op(VCPUOP_up, 1, NULL), -EINVAL, "up(1) after refusals");

	/* Initialised: down still, and a second initialise is -EEXIST, checked first. */
	check_eq(vcpu_op(VCPUOP_initialise, 1, &good), 0, "initialise(1), 64-bit");
	check_eq(vcpu_op(VCPUOP_initialise, 1, &good), -EEXIST, "initialise(1) again");
	c = good;
	c.mode = 7;
	check_eq(vcpu_op(VCPUOP_initialise, 1, &c), -EEXIST,
		 "initialise(1) again, a bad mode: EEXIST first");
	check_eq(vcpu_op(VCPUOP_is_up, 1, NULL), 0, "is_up(1), initialised, not up");
	if (wait_for(&ap_ran, 0x5eed, 20000000))
		xtf_failure("vcpu 1 ran before VCPUOP_up");

	check_eq(vcpu_op(VCPUOP_up, 1, NULL), 0, "up(1)");
	if (!wait_for(&ap_ran, 0x5eed, 2000000000UL))
		xtf_error("vcpu 1 did not run within 2 s of VCPUOP_up");
	check_eq(vcpu_op(VCPUOP_is_up, 1, NULL), 1, "is_up(1) while it runs");
	check_eq(ap_is_up_self, 1, "is_up(1) on vcpu 1");
	check_eq(vcpu_op(VCPUOP_initialise, 1, &good), -EEXIST, "initialise(1), running");
	check_eq(vcpu_op(VCPUOP_up, 1, NULL), 0, "up(1), running");

	/* The registers as vcpu 1 found them on its first instruction. */
	check_eq(regs->rax, good.cpu_regs.x86_64.rax, "vcpu 1's RAX");
	check_eq(regs->rcx, good.cpu_regs.x86_64.rcx, "vcpu 1's RCX");
	check_eq(regs->rdx, good.cpu_regs.x86_64.rdx, "vcpu 1's RDX");
	check_eq(regs->rbx, good.cpu_regs.x86_64.rbx, "vcpu 1's RBX");
	check_eq(regs->rsp, good.cpu_regs.x86_64.rsp, "vcpu 1's RSP");
	check_eq(regs->rbp, good.cpu_regs.x86_64.rbp, "vcpu 1's RBP");
	check_eq(regs->rsi, good.cpu_regs.x86_64.rsi, "vcpu 1's RSI");
	check_eq(regs->rdi, good.cpu_regs.x86_64.rdi, "vcpu 1's RDI");
	check_eq(regs->rflags, 2, "vcpu 1's RFLAGS");
	check_eq(regs->cr0, good.cpu_regs.x86_64.cr0, "vcpu 1's CR0");
	check_eq(regs->cr3, good.cpu_regs.x86_64.cr3, "vcpu 1's CR3");
	check_eq(regs->cr4, good.cpu_regs.x86_64.cr4, "vcpu 1's CR4");
	check_eq(regs->efer & 0x500, 0x500, "vcpu 1's EFER.LME and LMA");
	check_eq(regs->cs, 0, "vcpu 1's CS selector");
	check_eq(regs->ss, 0, "vcpu 1's SS selector");
	check_eq(regs->ds, 0, "vcpu 1's DS selector");

	/* HLT with interrupts off takes it down, but it stays initialised. */
	WRITE_ONCE(ap_release, 1);
	{
		u64 end = system_time(&s->vcpu_info[0].time) + 2000000000UL;

		while (vcpu_op(VCPUOP_is_up, 1, NULL) == 1 &&
		       system_time(&s->vcpu_info[0].time) < end)
			cpu_relax();
	}
	check_eq(vcpu_op(VCPUOP_is_up, 1, NULL), 0, "is_up(1) after it halted, interrupts off");
	check_eq(vcpu_op(VCPUOP_initialise, 1, &good), -EEXIST, "initialise(1), halted");
	check_eq(vcpu_op(VCPUOP_up, 1, NULL), 0, "up(1), halted: on after its HLT");
	check_eq(vcpu_op(99, 1, NULL), -ENOSYS, "unknown command 99");
}
