/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the dom0 test programs share (dom0lib.c): Xen 4.17's public headers, from
 * Debian's libxen-dev, for every layout and number of Xen's, and Linux's privcmd,
 * gntdev and evtchn ioctls as Xen ships them (xen/sys/); TAP on stdout; the calls
 * through /dev/xen/privcmd; and the domains a program made, destroyed on the way out.
 *
 * Every call returns its result, or -errno: through IOCTL_PRIVCMD_HYPERCALL a Xen
 * error -E comes back as -1 with errno E, and on x86 Linux's errno numbers are Xen's.
 * What a program sends wrong on purpose (a bad address, an old interface version, a
 * count too large) it spells out where it sends it.
 */
#ifndef KXEN_DOM0LIB_H
#define KXEN_DOM0LIB_H

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/ioctl.h>

#define __XEN_TOOLS__ 1		/* domctl.h and sysctl.h are the toolstack's alone */
#include <xen/xen.h>
#include <xen/domctl.h>
#include <xen/sysctl.h>
#include <xen/memory.h>
#include <xen/version.h>
#include <xen/event_channel.h>
#include <xen/grant_table.h>
#include <xen/sched.h>
#include <xen/hvm/hvm_op.h>
#include <xen/hvm/save.h>
#include <xen/io/console.h>
#include <xen/sys/privcmd.h>
#include <xen/sys/gntdev.h>
#include <xen/sys/evtchn.h>

_Static_assert(ENOSYS == 38 && ENODATA == 61 && EOPNOTSUPP == 95 && ENOBUFS == 105 &&
	       ERANGE == 34 && E2BIG == 7 && ENOSPC == 28 && EEXIST == 17,
	       "Linux's errno numbers are Xen's");

/* Xen's copies of Linux's uapi headers give the numbers Linux's drivers take. */
_Static_assert(IOCTL_PRIVCMD_HYPERCALL == 0x00305000, "HYPERCALL");
_Static_assert(IOCTL_PRIVCMD_MMAPBATCH_V2 == 0x00205004, "MMAPBATCH_V2");
_Static_assert(IOCTL_PRIVCMD_DM_OP == 0x00105005, "DM_OP");
_Static_assert(IOCTL_PRIVCMD_RESTRICT == 0x00025006, "RESTRICT");
_Static_assert(IOCTL_PRIVCMD_MMAP_RESOURCE == 0x00205007, "MMAP_RESOURCE");
_Static_assert(IOCTL_GNTDEV_MAP_GRANT_REF == 0x00184700, "MAP_GRANT_REF");
_Static_assert(IOCTL_GNTDEV_UNMAP_GRANT_REF == 0x00104701, "UNMAP_GRANT_REF");
_Static_assert(IOCTL_GNTDEV_GET_OFFSET_FOR_VADDR == 0x00184702, "GET_OFFSET_FOR_VADDR");
_Static_assert(IOCTL_GNTDEV_SET_UNMAP_NOTIFY == 0x00104707, "SET_UNMAP_NOTIFY");
_Static_assert(IOCTL_GNTDEV_GRANT_COPY == 0x00104708, "GRANT_COPY");
_Static_assert(sizeof(struct ioctl_gntdev_grant_copy_segment) == 24, "grant_copy_segment");
_Static_assert(IOCTL_EVTCHN_BIND_VIRQ == 0x00044500, "BIND_VIRQ");
_Static_assert(IOCTL_EVTCHN_BIND_INTERDOMAIN == 0x00084501, "BIND_INTERDOMAIN");

#define PAGE		4096UL
/* Not in Xen's public headers: the architecture's. */
#define X86_CR0_PE	(1u << 0)
#define X86_CR0_ET	(1u << 4)

/* Domains go through dom0's ABI: kxen-domu, as the shell tests use it (domain.sh). */
#define DOMU_TOOL "\"${KXEN_DOMU_TOOL:-$KXEN_TOP/userspace/kxen-domu/kxen-domu}\""

/* ---- TAP: one "ok N - ..." line per check, "1..N" at the end. */
extern int tap_n, tap_failed;

void ok(int cond, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A check that cannot be made here: counted, neither passed nor failed. */
void skip(const char *why);
/* The plan, and the exit status: 0 when every check passed. */
int done_testing(void);
/* "Bail out!", every domain this program made destroyed, exit status 1. */
void bail(const char *why) __attribute__((noreturn));

/* ---- Hypercalls through /dev/xen/privcmd. */
extern int privcmd_fd;
/* Called after each hypercall and MMAPBATCH_V2 returns (race-test's watchdog). */
extern void (*after_call)(void);

/* Open /dev/xen/privcmd as privcmd_fd: 0, or -1 when it said "Bail out!". */
int open_privcmd(void);
/* A hypercall through fd, and through privcmd_fd: its result, or -errno. */
long hc_on(int fd, uint64_t op, uint64_t a0, uint64_t a1, uint64_t a2);
long hc(uint64_t op, uint64_t a0, uint64_t a1, uint64_t a2);
/* A domctl with d->u as the caller filled it in; d->u holds the answer after. */
long domctl(struct xen_domctl *d, uint32_t cmd, domid_t dom);
/* A domctl whose argument is all zeroes: pause, unpause, destroy, resume. */
long domctl0(uint32_t cmd, domid_t dom);
long sysctl(struct xen_sysctl *s, uint32_t cmd);
long getdomaininfo(domid_t dom, struct xen_domctl_getdomaininfo *info);
/* Xen 4.17's getdomaininfo answers for the first domain >= dom: gone is either. */
int gone(domid_t dom);
/* populate_physmap or decrease_reservation of nr extents: the extents done. */
long reservation(unsigned int cmd, domid_t dom, const xen_pfn_t *gfns, unsigned long nr,
		 unsigned int order);

/* ---- Foreign mappings: privcmd mmap(), then MMAPBATCH_V2 or MMAP_RESOURCE into it. */
void *privcmd_mmap(unsigned long pages);
long mmapbatch(void *addr, unsigned int num, domid_t dom, const xen_pfn_t *gfns, int *err);
/* *num frames of a resource at addr (NULL, *num 0: its size asked for, in *num). */
long mmap_resource(domid_t dom, uint32_t type, uint32_t id, uint32_t idx, uint64_t *num,
		   void *addr);

/* ---- The domains a program made: destroyed on the way out, whatever the way. */
/* What libxl asks for a PVH guest: HVM with HAP, the LAPIC alone, grant tables v1. */
struct xen_domctl_createdomain pvh_config(unsigned int max_vcpus);
void remember(domid_t dom);
void forget(domid_t dom);
/* Destroy one of them now: 0 or -errno, as destroydomain answered. */
long destroy(domid_t dom);
void destroy_all(void);
/* SIGINT, SIGTERM, SIGSEGV and SIGBUS destroy them too, then kill as they would. */
void destroy_on_signals(void);

/* ---- HVM contexts. */
long gethvmcontext(domid_t dom, void *buf, uint32_t *size);
long sethvmcontext(domid_t dom, const void *buf, uint32_t size);
/* sethvmcontext of HEADER, one record, END: as libxenguest's vcpu_hvm(). */
long set_one_rec(domid_t dom, const struct hvm_save_header *hdr, uint16_t type,
		 uint16_t instance, const void *data, uint32_t len);
/* The boot vcpu's state as libxenguest's vcpu_hvm() writes it for a PVH guest. */
struct hvm_hw_cpu pvh_bsp(uint64_t entry);

/* ---- /dev/xen/evtchn. */
/*
 * An evtchn ioctl with one or two arguments: the port, or -errno. Each of Linux's
 * evtchn arguments is one or two unsigned ints (RESTRICT_DOMID's domid_t is the low
 * half of the first, on x86).
 */
int evtchn_io(int fd, unsigned long cmd, unsigned int a, unsigned int b);

/* ---- The rest. */
/* open(path, O_RDWR) as uid and gid 65534: its errno, 0 if it opened. */
int open_as_nobody(const char *path);
void sleep_us(long us);

#endif
