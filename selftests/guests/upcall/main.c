// SPDX-License-Identifier: GPL-2.0
/*
 * The event-channel upcall through the callback vector (HVM_PARAM_CALLBACK_IRQ type 2),
 * as Linux PVH takes it: never while the guest has interrupts off, and exactly once
 * per send once it turns them on. A hypervisor that delivers the vector regardless of
 * IF, or twice, breaks Linux (it takes the upcall inside its own handler, with the
 * user's GS); kxen met the second under QEMU TCG, where it happened once in thousands.
 */
#include "guest.h"

const char test_title[] = "event upcall through the callback vector";

#define HVMOP_set_param			0
#define HVM_PARAM_CALLBACK_IRQ		0
#define EVTCHNOP_send			4
#define EVTCHNOP_bind_ipi		7
#define VECTOR				0xf3
#define ROUNDS				50000

static struct shared_info *s;
static u32 port;
static volatile u32 upcalls, bad_if, nested;

/*
 * The handler: save what C may clobber, call upcall() with the CPU's frame (RIP, CS,
 * RFLAGS, RSP, SS) as its argument, restore, IRET.
 */
void upcall_entry(void);
asm(".text\n"
    ".global upcall_entry\n"
    "upcall_entry:\n"
    "	push %rax; push %rcx; push %rdx; push %rsi; push %rdi\n"
    "	push %r8; push %r9; push %r10; push %r11\n"
    "	lea 72(%rsp), %rdi\n"
    "	call upcall\n"
    "	pop %r11; pop %r10; pop %r9; pop %r8\n"
    "	pop %rdi; pop %rsi; pop %rdx; pop %rcx; pop %rax\n"
    "	iretq\n"
    ".global upcall_entry_end\n"
    "upcall_entry_end:\n");
extern const char upcall_entry_end[];

struct frame {
	u64 rip, cs, rflags, rsp, ss;
};

void upcall(const struct frame *f);
void upcall(const struct frame *f)
{
	upcalls++;
	if (!(f->rflags & 0x200))
		bad_if++;
	if (f->rip >= (u64)upcall_entry && f->rip < (u64)upcall_entry_end)
		nested++;
	/* As Linux does: the flag, then the selector, then the port's pending bit. */
	s->vcpu_info[0].evtchn_upcall_pending = 0;
	__atomic_exchange_n(&s->vcpu_info[0].evtchn_pending_sel, 0, __ATOMIC_SEQ_CST);
	__atomic_and_fetch(&s->evtchn_pending[port / 64], ~(1UL << (port % 64)),
			   __ATOMIC_SEQ_CST);
}

static struct {
	unsigned short limit;
	u64 base;
} __attribute__((packed)) idtr;
static u64 idt[256][2] __attribute__((aligned(16)));

static void set_gate(unsigned int vec, void (*fn)(void))
{
	u64 a = (u64)fn;

	/* 64-bit interrupt gate, present, DPL 0, selector 0x08 (head.S's code segment). */
	idt[vec][0] = (a & 0xffff) | (0x08UL << 16) | (0x8eUL << 40) | ((a >> 16 & 0xffff) << 48);
	idt[vec][1] = a >> 32;
}

void test_main(void)
{
	struct { u32 vcpu, port; } b = { 0, 0 };
	struct { unsigned short domid; u32 index; u64 value; } p = {
		DOMID_SELF, HVM_PARAM_CALLBACK_IRQ, (2ULL << 56) | VECTOR
	};
	u32 i, none = 0, many = 0, early = 0;

	s = map_shared_info();
	if (!s)
		xtf_error("cannot map shared_info");
	set_gate(VECTOR, upcall_entry);
	idtr.limit = sizeof(idt) - 1;
	idtr.base = (u64)idt;
	asm volatile("lidt %0" : : "m"(idtr));

	if (hypercall2(__HYPERVISOR_event_channel_op, EVTCHNOP_bind_ipi, (u64)&b))
		xtf_error("bind_ipi failed");
	port = b.port;
	if (hypercall2(__HYPERVISOR_hvm_op, HVMOP_set_param, (u64)&p))
		xtf_error("cannot set the callback vector");

	for (i = 0; i < ROUNDS; i++) {
		u32 before = upcalls;

		asm volatile("cli");
		hypercall2(__HYPERVISOR_event_channel_op, EVTCHNOP_send, (u64)&port);
		/* Pending, with interrupts off: nothing may arrive, however long. */
		if (i % 1000 == 0) {
			u64 t = rdtsc();

			while (rdtsc() - t < 1000000)
				asm volatile("pause");
		}
		if (upcalls != before)
			early++;
		asm volatile("sti; nop; cli" ::: "memory");
		if (upcalls == before)
			none++;
		else if (upcalls != before + 1)
			many++;
	}
	asm volatile("sti");
	printk("%u sends, %u upcalls\n", ROUNDS, upcalls);
	check_eq(early, 0, "upcalls taken with interrupts off");
	check_eq(bad_if, 0, "upcall frames with IF clear");
	check_eq(nested, 0, "upcalls taken on the handler's first instructions");
	check_eq(none, 0, "sends not taken when interrupts came on");
	check_eq(many, 0, "sends taken more than once");
	check_eq(upcalls, ROUNDS, "upcalls in all");
	xtf_success();
}
