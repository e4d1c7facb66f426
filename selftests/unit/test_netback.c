// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of userspace/kxen-netback/csum.c: finding a partial checksum's place in
 * a frame a guest sent, where the frame may lie about its own headers.
 */
#include <check.h>
#include "run_suite.h"
#include <string.h>

#include "csum.h"

static uint8_t f[256];

/* An Ethernet header of the given type, then at 14 (18 with a VLAN tag) the rest. */
static size_t eth(unsigned int type, bool vlan)
{
	memset(f, 0, sizeof(f));
	if (vlan) {
		f[12] = 0x81;
		f[13] = 0x00;
		f[16] = type >> 8;
		f[17] = type & 0xff;
		return 18;
	}
	f[12] = type >> 8;
	f[13] = type & 0xff;
	return 14;
}

static size_t ipv4(size_t at, unsigned int ihl, unsigned int proto)
{
	f[at] = 0x40 | ihl;
	f[at + 9] = proto;
	return at + 4 * ihl;
}

static size_t ipv6(size_t at, unsigned int next)
{
	f[at] = 0x60;
	f[at + 6] = next;
	return at + 40;
}

static bool find(size_t len, uint16_t *start, uint16_t *offset)
{
	uint8_t proto;

	return nb_csum_offsets(f, len, start, offset, &proto);
}

START_TEST(ipv4_tcp_udp)
{
	uint16_t s, o;
	size_t l4 = ipv4(eth(0x0800, false), 5, 6);

	ck_assert(find(l4 + 20, &s, &o));
	ck_assert_uint_eq(s, 34);
	ck_assert_uint_eq(o, 16);
	ck_assert(!find(l4 + 19, &s, &o));	/* the TCP header cut short */

	l4 = ipv4(eth(0x0800, false), 5, 17);
	ck_assert(find(l4 + 8, &s, &o));
	ck_assert_uint_eq(s, 34);
	ck_assert_uint_eq(o, 6);
	ck_assert(!find(l4 + 7, &s, &o));
}
END_TEST

START_TEST(ipv4_options_and_vlan)
{
	uint16_t s, o;
	size_t l4 = ipv4(eth(0x0800, true), 7, 6);

	ck_assert(find(l4 + 20, &s, &o));
	ck_assert_uint_eq(s, 18 + 28);
}
END_TEST

START_TEST(ipv4_refused)
{
	uint16_t s, o;
	size_t l4;

	l4 = ipv4(eth(0x0800, false), 4, 6);	/* IHL below 5 */
	ck_assert(!find(l4 + 40, &s, &o));
	l4 = ipv4(eth(0x0800, false), 5, 1);	/* ICMP: no partial checksum */
	ck_assert(!find(l4 + 40, &s, &o));
	l4 = ipv4(eth(0x0800, false), 5, 6);
	f[14 + 7] = 0x08;			/* a fragment at offset 8 */
	ck_assert(!find(l4 + 40, &s, &o));
	f[14] = 0x60;				/* says IPv4 and is not */
	f[14 + 7] = 0;
	ck_assert(!find(l4 + 40, &s, &o));
	l4 = ipv4(eth(0x0800, false), 15, 6);	/* options past the end */
	ck_assert(!find(14 + 40, &s, &o));
	eth(0x0806, false);			/* ARP */
	ck_assert(!find(60, &s, &o));
	ck_assert(!find(13, &s, &o));
	eth(0x0800, true);
	ck_assert(!find(17, &s, &o));
}
END_TEST

START_TEST(ipv6_with_extensions)
{
	uint16_t s, o;
	size_t l4 = ipv6(eth(0x86dd, false), 6);

	ck_assert(find(l4 + 20, &s, &o));
	ck_assert_uint_eq(s, 54);
	ck_assert_uint_eq(o, 16);

	/* Hop-by-hop (8 bytes), then destination options (16), then UDP. */
	l4 = ipv6(eth(0x86dd, false), 0);
	f[l4] = 60;
	f[l4 + 1] = 0;
	f[l4 + 8] = 17;
	f[l4 + 9] = 1;
	ck_assert(find(l4 + 24 + 8, &s, &o));
	ck_assert_uint_eq(s, 54 + 24);
	ck_assert_uint_eq(o, 6);
	ck_assert(!find(l4 + 24 + 7, &s, &o));
	ck_assert(!find(l4 + 7, &s, &o));	/* the first extension cut short */
}
END_TEST

START_TEST(ipv6_extension_chain_bounded)
{
	uint16_t s, o;
	size_t l4 = ipv6(eth(0x86dd, false), 0), i;

	/* Hop-by-hop headers without end: given up on after a few, not followed. */
	for (i = 0; l4 + 8 * i + 8 <= sizeof(f); i++)
		f[l4 + 8 * i] = 0;
	ck_assert(!find(sizeof(f), &s, &o));
	/* An extension's length pointing far beyond the frame. */
	l4 = ipv6(eth(0x86dd, false), 43);
	f[l4] = 6;
	f[l4 + 1] = 255;
	ck_assert(!find(sizeof(f), &s, &o));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("netback");
	TCase *tc = tcase_create("csum");

	tcase_add_test(tc, ipv4_tcp_udp);
	tcase_add_test(tc, ipv4_options_and_vlan);
	tcase_add_test(tc, ipv4_refused);
	tcase_add_test(tc, ipv6_with_extensions);
	tcase_add_test(tc, ipv6_extension_chain_bounded);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
