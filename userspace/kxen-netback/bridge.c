// SPDX-License-Identifier: GPL-2.0
/*
 * kxen-bridge add NAME [ADDR/PREFIX] | del NAME: the bridge guests' vifs go on, as a
 * Xen host's network configuration would make it, for the dom0 service to set up when
 * its configuration asks (KXEN_BRIDGE in /etc/default/kxen). Through rtnetlink with
 * libnl-route, not by running ip(8).
 *
 * add: the bridge made if there is none (one that exists must be a bridge), the
 *      address given to it if it has not got it, and the bridge up. Exits 0, or 1
 *      saying why; says "made" on stdout when it made the bridge, so that the caller
 *      knows to take it away again (also when a later step failed).
 * del: the bridge taken away (a link of that name that is no bridge is left alone).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <net/if.h>
#include <sys/socket.h>

#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/link/bridge.h>

static int fail(const char *what, const char *name, int err)
{
	fprintf(stderr, "kxen-bridge: %s %s: %s\n", what, name, nl_geterror(err));
	return 1;
}

/* The link called name, a bridge, or NULL (and *err says why: -NLE_NODEV, none). */
static struct rtnl_link *get_bridge(struct nl_sock *sk, const char *name, int *err)
{
	struct rtnl_link *link = NULL;

	*err = rtnl_link_get_kernel(sk, 0, name, &link);
	if (*err == -NLE_OBJ_NOTFOUND)
		*err = -NLE_NODEV;
	if (*err)
		return NULL;
	if (!rtnl_link_is_bridge(link)) {
		rtnl_link_put(link);
		*err = -NLE_INVAL;
		return NULL;
	}
	return link;
}

static int add_address(struct nl_sock *sk, struct rtnl_link *link, const char *text)
{
	struct rtnl_addr *addr = rtnl_addr_alloc();
	struct nl_addr *local = NULL;
	int err;

	if (!addr)
		return -NLE_NOMEM;
	/* An address without its prefix says nothing of the network behind the bridge. */
	err = strchr(text, '/') ? nl_addr_parse(text, AF_UNSPEC, &local) : -NLE_INVAL;
	if (!err) {
		rtnl_addr_set_ifindex(addr, rtnl_link_get_ifindex(link));
		err = rtnl_addr_set_local(addr, local);
	}
	if (!err) {
		rtnl_addr_set_prefixlen(addr, nl_addr_get_prefixlen(local));
		err = rtnl_addr_add(sk, addr, 0);
		if (err == -NLE_EXIST)
			err = 0;	/* it has it already */
	}
	nl_addr_put(local);
	rtnl_addr_put(addr);
	return err;
}

static int bridge_add(struct nl_sock *sk, const char *name, const char *addr)
{
	struct rtnl_link *link, *up;
	int err;

	link = get_bridge(sk, name, &err);
	if (!link && err == -NLE_NODEV) {
		struct rtnl_link *new = rtnl_link_bridge_alloc();

		if (!new)
			return fail("cannot make", name, -NLE_NOMEM);
		rtnl_link_set_name(new, name);
		err = rtnl_link_add(sk, new, NLM_F_CREATE | NLM_F_EXCL);
		rtnl_link_put(new);
		if (err)
			return fail("cannot make", name, err);
		printf("made\n");	/* at once: whatever fails after, the caller undoes it */
		fflush(stdout);
		link = get_bridge(sk, name, &err);
	}
	if (!link)
		return fail("no bridge", name, err);
	if (addr) {
		err = add_address(sk, link, addr);
		if (err) {
			rtnl_link_put(link);
			return fail("cannot give an address to", name, err);
		}
	}
	up = rtnl_link_alloc();
	if (!up) {
		rtnl_link_put(link);
		return fail("cannot bring up", name, -NLE_NOMEM);
	}
	rtnl_link_set_flags(up, IFF_UP);
	err = rtnl_link_change(sk, link, up, 0);
	rtnl_link_put(up);
	rtnl_link_put(link);
	if (err)
		return fail("cannot bring up", name, err);
	return 0;
}

static int bridge_del(struct nl_sock *sk, const char *name)
{
	struct rtnl_link *link;
	int err;

	link = get_bridge(sk, name, &err);
	if (!link)
		return err == -NLE_NODEV ? 0 : fail("no bridge", name, err);
	err = rtnl_link_delete(sk, link);
	rtnl_link_put(link);
	return err ? fail("cannot take away", name, err) : 0;
}

int main(int argc, char **argv)
{
	struct nl_sock *sk;
	int err, ret;

	if (argc < 3 || strlen(argv[2]) >= IFNAMSIZ ||
	    !((!strcmp(argv[1], "add") && argc <= 4) || (!strcmp(argv[1], "del") && argc == 3))) {
		fprintf(stderr, "usage: kxen-bridge add NAME [ADDR/PREFIX] | del NAME\n");
		return 2;
	}
	sk = nl_socket_alloc();
	if (!sk)
		return fail("no netlink socket for", argv[2], -NLE_NOMEM);
	err = nl_connect(sk, NETLINK_ROUTE);
	if (err) {
		nl_socket_free(sk);
		return fail("no rtnetlink for", argv[2], err);
	}
	if (!strcmp(argv[1], "add"))
		ret = bridge_add(sk, argv[2], argc == 4 ? argv[3] : NULL);
	else
		ret = bridge_del(sk, argv[2]);
	nl_socket_free(sk);
	return ret;
}
