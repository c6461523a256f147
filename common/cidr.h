/* SPDX-License-Identifier: BSD-2-Clause */
/* IPv4/IPv6 networks for the `from` condition: parsing and matching. */
#ifndef HOSTIAM_CIDR_H
#define HOSTIAM_CIDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct hostiam_cidr {
	int family;       /* AF_INET or AF_INET6 */
	uint8_t addr[16]; /* network order; IPv4 uses the first 4 bytes */
	int prefix;       /* 0..32 or 0..128 */
};

/*
 * Parse "ADDR/PREFIX" or a bare "ADDR" (= /32 or /128), IPv4 or IPv6. Bits set beyond the
 * prefix are an error (10.1.2.3/8 is almost always a typo for 10.0.0.0/8). An IPv4-mapped
 * IPv6 network (::ffff:a.b.c.d/96..128) is stored as the IPv4 network it names, so it
 * matches IPv4 peers; a client address should be parsed the same way before matching.
 * Returns 0 and fills *out, or HOSTIAM_ERR_INVALID_ARG (*out untouched).
 */
int hostiam_cidr_parse(const char *s, struct hostiam_cidr *out);

/* As hostiam_cidr_parse; on error writes a one-line reason (no trailing period) to why. */
int hostiam_cidr_parse_msg(const char *s, struct hostiam_cidr *out, char *why, size_t why_len);

/* True when addr (a parsed address or network) lies inside net. */
bool hostiam_cidr_contains(const struct hostiam_cidr *net, const struct hostiam_cidr *addr);

#endif
