// SPDX-License-Identifier: GPL-2.0
/* The runtime of kxen's test guests: console, hypercalls, outcomes. See guest.h. */
#include <stdarg.h>
#include "guest.h"

void *memset(void *s, int c, unsigned long n)
{
	u8 *p = s;

	while (n--)
		*p++ = c;
	return s;
}

int memcmp(const void *a, const void *b, unsigned long n)
{
	const u8 *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

unsigned long strlen(const char *s)
{
	unsigned long n = 0;

	while (s[n])
		n++;
	return n;
}

/* ---- Console: just enough printf for test messages. */

static void putc(char c)
{
	outb(c, 0xe9);
}

static void puts(const char *s)
{
	while (*s)
		putc(*s++);
}

static void putnum(u64 v, unsigned int base, int neg, int alt)
{
	char buf[24];
	int i = 0;

	if (neg)
		putc('-');
	if (alt && base == 16)
		puts("0x");
	do {
		buf[i++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	while (i)
		putc(buf[--i]);
}

static void vprintk(const char *fmt, va_list ap)
{
	for (; *fmt; fmt++) {
		int lng = 0, alt = 0;
		s64 sv;

		if (*fmt != '%') {
			putc(*fmt);
			continue;
		}
		fmt++;
		if (*fmt == '#') {
			alt = 1;
			fmt++;
		}
		if (*fmt == 'l') {
			lng = 1;
			fmt++;
		}
		switch (*fmt) {
		case 'd':
			sv = lng ? va_arg(ap, s64) : va_arg(ap, int);
			putnum(sv < 0 ? -(u64)sv : (u64)sv, 10, sv < 0, 0);
			break;
		case 'u':
			putnum(lng ? va_arg(ap, u64) : va_arg(ap, u32), 10, 0, 0);
			break;
		case 'x':
			putnum(lng ? va_arg(ap, u64) : va_arg(ap, u32), 16, 0, alt);
			break;
		case 's':
			puts(va_arg(ap, const char *));
			break;
		case 'c':
			putc(va_arg(ap, int));
			break;
		default:
			putc('%');
			putc(*fmt);
		}
	}
}

/* One line at a time on the console, whichever vcpu prints. */
static volatile u32 console_lock;

void printk(const char *fmt, ...)
{
	va_list ap;

	spin_lock(&console_lock);
	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
	spin_unlock(&console_lock);
}

/* ---- Hypercalls. */

static int is_intel = -1;

static int vendor_is_intel(void)
{
	u32 a, b, c, d;

	if (is_intel < 0) {
		cpuid(0, 0, &a, &b, &c, &d);
		is_intel = b == 0x756e6547;	/* "Genu" ineIntel */
	}
	return is_intel;
}

s64 hypercall5(u64 nr, u64 a1, u64 a2, u64 a3, u64 a4, u64 a5)
{
	register u64 r10 asm("r10") = a4;
	register u64 r8 asm("r8") = a5;
	s64 ret;

	if (vendor_is_intel())
		asm volatile("vmcall" : "=a"(ret), "+D"(a1), "+S"(a2), "+d"(a3), "+r"(r10),
			     "+r"(r8) : "a"(nr) : "memory");
	else
		asm volatile("vmmcall" : "=a"(ret), "+D"(a1), "+S"(a2), "+d"(a3), "+r"(r10),
			     "+r"(r8) : "a"(nr) : "memory");
	return ret;
}

s64 hypercall3(u64 nr, u64 a1, u64 a2, u64 a3)
{
	return hypercall5(nr, a1, a2, a3, 0, 0);
}

s64 hypercall2(u64 nr, u64 a1, u64 a2)
{
	return hypercall3(nr, a1, a2, 0);
}

struct xen_add_to_physmap {
	unsigned short domid, size;
	u32 space;
	u64 idx, gpfn;
};

struct shared_info *map_shared_info(void)
{
	struct xen_add_to_physmap x = {
		.domid = DOMID_SELF, .space = 0 /* shared_info */, .idx = 0,
		.gpfn = SHARED_INFO_GFN,
	};

	if (hypercall2(__HYPERVISOR_memory_op, 7 /* add_to_physmap */, (u64)&x))
		return NULL;
	return (struct shared_info *)(SHARED_INFO_GFN << 12);
}

u64 system_time(const struct vcpu_time_info *t)
{
	u64 delta = rdtsc() - t->tsc_timestamp;

	if (t->tsc_shift >= 0)
		delta <<= t->tsc_shift;
	else
		delta >>= -t->tsc_shift;
	return t->system_time + (u64)(((unsigned __int128)delta * t->tsc_to_system_mul) >> 32);
}

u32 my_domid(void)
{
	u32 a, b, c, d;

	cpuid(0x40000004, 0, &a, &b, &c, &d);
	return c;
}

/* ---- More vcpus. */

struct ap_regs ap_regs[MAX_APS + 1];
static u8 ap_stack[MAX_APS + 1][16384] __attribute__((aligned(16)));

void vcpu_context64(struct vcpu_hvm_context *ctx, unsigned int id, void (*fn)(void *),
		    void *arg, struct ap_regs *regs)
{
	struct vcpu_hvm_x86_64 *r = &ctx->cpu_regs.x86_64;

	memset(ctx, 0, sizeof(*ctx));
	ctx->mode = VCPU_HVM_MODE_64B;
	r->rip = (u64)ap_entry64;
	r->rsp = (u64)ap_stack[id <= MAX_APS ? id : 0] + sizeof(ap_stack[0]);
	r->rbx = (u64)fn;		/* head.S's contract: fn, arg, where to save */
	r->rdi = (u64)arg;
	r->rsi = (u64)regs;
	r->rflags = 0x2;
	r->cr0 = read_cr0();
	r->cr3 = read_cr3();
	r->cr4 = read_cr4();
	r->efer = rdmsr(MSR_EFER);
}

s64 start_vcpu(unsigned int id, void (*fn)(void *), void *arg)
{
	struct vcpu_hvm_context ctx;
	s64 r;

	if (!id || id > MAX_APS)
		return -EINVAL;
	vcpu_context64(&ctx, id, fn, arg, &ap_regs[id]);
	r = hypercall3(__HYPERVISOR_vcpu_op, VCPUOP_initialise, id, (u64)&ctx);
	if (!r)
		r = hypercall3(__HYPERVISOR_vcpu_op, VCPUOP_up, id, 0);
	return r;
}

/* ---- Outcomes, as XTF prints them. */

static unsigned int failures;

static void __attribute__((noreturn)) finish(const char *result, unsigned int reason)
{
	u32 r = reason;

	printk("Test result: %s\n", result);
	hypercall2(__HYPERVISOR_sched_op, SCHEDOP_shutdown, (u64)&r);
	for (;;)
		asm volatile("hlt");
}

void xtf_success(void)
{
	finish(failures ? "FAILURE" : "SUCCESS", SHUTDOWN_poweroff);
}

static void report(const char *what, const char *fmt, va_list ap)
{
	spin_lock(&console_lock);
	puts(what);
	vprintk(fmt, ap);
	putc('\n');
	spin_unlock(&console_lock);
}

void xtf_skip(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report("skip: ", fmt, ap);
	va_end(ap);
	finish("SKIP", SHUTDOWN_poweroff);
}

void xtf_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report("error: ", fmt, ap);
	va_end(ap);
	finish("ERROR", SHUTDOWN_poweroff);
}

void xtf_failure(const char *fmt, ...)
{
	va_list ap;

	__atomic_add_fetch(&failures, 1, __ATOMIC_RELAXED);
	va_start(ap, fmt);
	report("failure: ", fmt, ap);
	va_end(ap);
}

/* ---- Exceptions (guest.h). */

struct idt_ptr idt_ptr;
static u64 idt[32][2] __attribute__((aligned(16)));
extern const u8 exc_stubs[];

struct extable_entry {
	u64 insn, fixup, reg;	/* reg: 0 RDI, 1 RAX */
};
extern const struct extable_entry __start_extable[], __stop_extable[];

void do_exception(struct exc_frame *f);
void do_exception(struct exc_frame *f)
{
	const struct extable_entry *e;

	for (e = __start_extable; e < __stop_extable; e++)
		if (e->insn == f->rip) {
			f->rip = e->fixup;
			*(e->reg ? &f->rax : &f->rdi) = exinfo(f->vec, f->err);
			return;
		}
	/* The test ends here: the console is ours, even if the fault came inside printk. */
	spin_unlock(&console_lock);
	xtf_error("unexpected exception %lu (error %#lx) at %#lx", f->vec, f->err, f->rip);
}

static void idt_init(void)
{
	unsigned int v;

	for (v = 0; v < 32; v++) {
		u64 a = (u64)exc_stubs + 16 * v;

		/* A present 64-bit interrupt gate, selector 0x08 (head.S's GDT). */
		idt[v][0] = (a & 0xffff) | (0x08UL << 16) | (0x8eUL << 40) |
			    ((a >> 16 & 0xffff) << 48);
		idt[v][1] = a >> 32;
	}
	idt_ptr.limit = sizeof(idt) - 1;
	idt_ptr.base = (u64)idt;
	asm volatile("lidt %0" : : "m"(idt_ptr));
}

void guest_main(void)
{
	idt_init();
	printk("--- kxen test guest: %s\n", test_title);
	test_main();
	xtf_success();
}

/* ---- The command line (hvm_start_info's cmdline_paddr). */

extern u32 start_info_pa;

static int prefix(const char *p, const char *want)
{
	while (*want && *p == *want)
		p++, want++;
	return !*want;
}

u64 cmdline_number(const char *key, u64 dflt)
{
	/* hvm_start_info: magic, version, flags, nr_modules, modlist_paddr, cmdline_paddr */
	const u64 *si = (const u64 *)(u64)start_info_pa;
	const char *p = (const char *)si[3];
	unsigned int n = 0;
	u64 v;

	if (!start_info_pa || !p)
		return dflt;
	while (key[n])
		n++;
	for (; *p; p++) {
		if ((p != (const char *)si[3] && p[-1] != ' ') || !prefix(p, key) || p[n] != '=')
			continue;
		p += n + 1;
		v = 0;
		if (p[0] == '0' && p[1] == 'x')
			for (p += 2; (*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f'); p++)
				v = v * 16 + (*p <= '9' ? *p - '0' : *p - 'a' + 10);
		else
			for (; *p >= '0' && *p <= '9'; p++)
				v = v * 10 + (*p - '0');
		return v;
	}
	return dflt;
}
