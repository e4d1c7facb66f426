/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KXEN_NETBACK_CSUM_H
#define KXEN_NETBACK_CSUM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Where a partial TCP or UDP checksum of an Ethernet frame starts and where its
 * field is (from there), for a virtio_net_hdr, and the transport protocol: true
 * when the frame is one (IPv4 or IPv6, an 802.1Q tag allowed) with the whole
 * transport header inside len.
 */
bool nb_csum_offsets(const uint8_t *frame, size_t len, uint16_t *start, uint16_t *offset,
		     uint8_t *proto);

#endif
