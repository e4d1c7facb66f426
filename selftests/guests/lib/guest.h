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

/* From Xen's public headers (xen.h, version.h, sched.h). */
#define __HYPERVISOR_xen_version	17
#define __HYPERVISOR_sched_op		29
#define SCHEDOP_shutdown		2
#define SHUTDOWN_poweroff		0
#define SHUTDOWN_crash			3

#define EFAULT	14
#define EINVAL	22
#define ENOSYS	38

void *memset(void *s, int c, unsigned long n);
int memcmp(const void *a, const void *b, unsigned long n);
unsigned long strlen(const char *s);

#endif
