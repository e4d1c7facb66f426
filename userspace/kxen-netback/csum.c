// SPDX-License-Identifier: GPL-2.0
/*
 * Partial checksums. A frontend sends TCP and UDP with the checksum left to the
 * backend (NETTXF_csum_blank: the field holds the pseudo-header's sum), as a NIC
 * with checksum offload would. The tap takes the same with a virtio_net_hdr naming
 * where the summing starts and where the result goes; this finds both, as Linux's
 * skb_checksum_setup() does for xen-netback. Pure logic: the unit tests build it too.
 */
#include <netinet/in.h>
#include <linux/if_ether.h>

#include "csum.h"

static unsigned int be16(const uint8_t *p)
{
	return (unsigned int)p[0] << 8 | p[1];
}

bool nb_csum_offsets(const uint8_t *frame, size_t len, uint16_t *start, uint16_t *offset,
		     uint8_t *proto)
{
	size_t off = ETH_HLEN, l4;
	unsigned int type, next;
	int hops;

	if (len < ETH_HLEN)
		return false;
	type = be16(frame + 12);
	if (type == ETH_P_8021Q) {
		if (len < ETH_HLEN + 4)
			return false;
		type = be16(frame + 16);
		off += 4;
	}
	if (type == ETH_P_IP) {
		if (len < off + 20 || (frame[off] >> 4) != 4 || (frame[off] & 0xf) < 5)
			return false;
		/* A fragment other than the first has no transport header to sum into. */
		if (be16(frame + off + 6) & 0x1fff)
			return false;
		next = frame[off + 9];
		l4 = off + 4 * (frame[off] & 0xf);
	} else if (type == ETH_P_IPV6) {
		if (len < off + 40 || (frame[off] >> 4) != 6)
			return false;
		next = frame[off + 6];
		l4 = off + 40;
		/* Hop-by-hop, routing and destination options may come first. */
		for (hops = 0; (next == 0 || next == 43 || next == 60) && hops < 8; hops++) {
			if (len < l4 + 8)
				return false;
			next = frame[l4];
			l4 += 8 * ((size_t)frame[l4 + 1] + 1);
		}
	} else {
		return false;
	}
	if (next == IPPROTO_TCP) {
		if (len < l4 + 20)
			return false;
		*offset = 16;
	} else if (next == IPPROTO_UDP) {
		if (len < l4 + 8)
			return false;
		*offset = 6;
	} else {
		return false;
	}
	if (l4 > 0xffff)
		return false;
	*start = l4;
	*proto = next;
	return true;
}
