/* SPDX-License-Identifier: BSD-2-Clause */
/* CIDR parsing with the checks an admin needs to hear about: range, host bits, family. */
#include "config.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "cidr.h"
#include "errors.h"
#include "parse_num.h"

static const uint8_t mapped_prefix[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

/* Zero every bit of addr beyond prefix; true if any bit was set there. */
static bool clear_host_bits(uint8_t *addr, int prefix, int bits)
{
	bool had = false;
	int i;

	for (i = prefix; i < bits; i++) {
		uint8_t mask = (uint8_t)(0x80u >> (i % 8));

		if (addr[i / 8] & mask) {
			had = true;
			addr[i / 8] &= (uint8_t)~mask;
		}
	}
	return had;
}

/* Turn ::ffff:a.b.c.d/96+ into a.b.c.d/(prefix-96), leave everything else alone. */
static void unmap_v4(struct hostiam_cidr *c)
{
	if (c->family != AF_INET6 || c->prefix < 96 ||
	    memcmp(c->addr, mapped_prefix, sizeof(mapped_prefix)) != 0)
		return;
	memmove(c->addr, c->addr + 12, 4);
	memset(c->addr + 4, 0, 12);
	c->family = AF_INET;
	c->prefix -= 96;
}

/* Split s at '/' into the address text and the prefix length (default: all bits). */
static int split_prefix(const char *s, struct hostiam_cidr *c, char *why, size_t why_len)
{
	char host[INET6_ADDRSTRLEN + 1];
	const char *slash = strchr(s, '/');
	size_t hlen = slash ? (size_t)(slash - s) : strlen(s);
	unsigned long prefix;
	int bits;

	if (hlen == 0 || hlen >= sizeof(host)) {
		snprintf(why, why_len, "\"%s\" is not an IP address or network", s);
		return HOSTIAM_ERR_INVALID_ARG;
	}
	memcpy(host, s, hlen);
	host[hlen] = '\0';
	if (inet_pton(AF_INET, host, c->addr) == 1) {
		c->family = AF_INET;
	} else if (inet_pton(AF_INET6, host, c->addr) == 1) {
		c->family = AF_INET6;
	} else {
		snprintf(why, why_len, "\"%s\" is not an IP address or network", s);
		return HOSTIAM_ERR_INVALID_ARG;
	}
	bits = c->family == AF_INET ? 32 : 128;
	prefix = (unsigned long)bits;
	if (slash && hostiam_parse_ulong(slash + 1, 0, (unsigned long)bits, &prefix) < 0) {
		snprintf(why, why_len, "\"%s\": prefix length must be a number from 0 to %d", s,
			 bits);
		return HOSTIAM_ERR_INVALID_ARG;
	}
	c->prefix = (int)prefix;
	return 0;
}

/* Parse, reject host bits (saying which network was probably meant), normalise mapped v4. */
int hostiam_cidr_parse_msg(const char *s, struct hostiam_cidr *out, char *why, size_t why_len)
{
	struct hostiam_cidr c;
	char net[INET6_ADDRSTRLEN];
	int r;

	memset(&c, 0, sizeof(c));
	if (s == NULL) {
		snprintf(why, why_len, "no address given");
		return HOSTIAM_ERR_INVALID_ARG;
	}
	r = split_prefix(s, &c, why, why_len);
	if (r < 0)
		return r;
	if (clear_host_bits(c.addr, c.prefix, c.family == AF_INET ? 32 : 128)) {
		if (inet_ntop(c.family, c.addr, net, sizeof(net)) == NULL)
			net[0] = '\0';
		snprintf(why, why_len,
			 "\"%s\": host bits set beyond the /%d prefix (network is %s/%d)", s,
			 c.prefix, net, c.prefix);
		return HOSTIAM_ERR_INVALID_ARG;
	}
	unmap_v4(&c);
	*out = c;
	return 0;
}

/* hostiam_cidr_parse_msg without the reason. */
int hostiam_cidr_parse(const char *s, struct hostiam_cidr *out)
{
	char why[160];

	return hostiam_cidr_parse_msg(s, out, why, sizeof(why));
}

/* Same family and the first net->prefix bits equal. */
bool hostiam_cidr_contains(const struct hostiam_cidr *net, const struct hostiam_cidr *addr)
{
	int full = net->prefix / 8, rest = net->prefix % 8;
	uint8_t mask;

	if (net->family != addr->family || addr->prefix < net->prefix)
		return false;
	if (memcmp(net->addr, addr->addr, (size_t)full) != 0)
		return false;
	if (rest == 0)
		return true;
	mask = (uint8_t)(0xffu << (8 - rest));
	return (net->addr[full] & mask) == (addr->addr[full] & mask);
}
