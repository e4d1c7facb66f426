/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The Xen version kxen presents, in one place: /sys/hypervisor, and later the
 * xen_version hypercall, read it from here.
 */
#ifndef KXEN_XEN_VERSION_H
#define KXEN_XEN_VERSION_H

#define KXEN_XEN_MAJOR		4
#define KXEN_XEN_MINOR		17
/* XENVER_extraversion: Xen's point release goes here; ours says who we are. */
#define KXEN_XEN_EXTRA		".0-kxen"
/*
 * XENVER_capabilities: the guest types this hypervisor runs, each followed by a space,
 * as Xen writes them. Real Xen 4.17 on x86_64 also lists "xen-3.0-x86_64" (classic PV
 * guests); kxen runs HVM-container guests only (PVH now, HVM later), so it does not.
 */
#define KXEN_XEN_CAPABILITIES	"hvm-3.0-x86_32 hvm-3.0-x86_32p hvm-3.0-x86_64 "

#endif
