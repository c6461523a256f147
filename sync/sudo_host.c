/* SPDX-License-Identifier: BSD-2-Clause */
/* This host as sudoHost sees it, and sudo's host matching (ldap.c's, without netgroups). */
#include "config.h"

#include <arpa/inet.h>
#include <fnmatch.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "errors.h"
#include "parse_num.h"
#include "sudo_host.h"

/* Append the address of one interface. */
static int add_addr(struct sudo_host *h, const struct sockaddr *sa)
{
	struct hostiam_cidr *c, *v = realloc(h->addrs, (h->n_addrs + 1) * sizeof(*v));

	if (!v)
		return HOSTIAM_ERR_NOMEM;
	h->addrs = v;
	c = &v[h->n_addrs];
	memset(c, 0, sizeof(*c));
	c->family = sa->sa_family;
	if (sa->sa_family == AF_INET) {
		memcpy(c->addr, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, 4);
		c->prefix = 32;
	} else {
		memcpy(c->addr, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, 16);
		c->prefix = 128;
	}
	h->n_addrs++;
	return 0;
}

int sudo_host_load(struct sudo_host *h)
{
	struct ifaddrs *ifs = NULL, *i;
	char *dot;
	int r = 0;

	memset(h, 0, sizeof(*h));
	if (gethostname(h->name, sizeof(h->name) - 1) < 0)
		return HOSTIAM_ERR_SYSTEM;
	snprintf(h->shost, sizeof(h->shost), "%s", h->name);
	if ((dot = strchr(h->shost, '.')) != NULL)
		*dot = '\0';
	if (getifaddrs(&ifs) < 0)
		return HOSTIAM_ERR_SYSTEM;
	for (i = ifs; i && r == 0; i = i->ifa_next)
		if (i->ifa_addr &&
		    (i->ifa_addr->sa_family == AF_INET || i->ifa_addr->sa_family == AF_INET6))
			r = add_addr(h, i->ifa_addr);
	freeifaddrs(ifs);
	if (r < 0)
		sudo_host_free(h);
	return r;
}

void sudo_host_free(struct sudo_host *h)
{
	free(h->addrs);
	h->addrs = NULL;
	h->n_addrs = 0;
}

/* A dotted IPv4 netmask as a prefix length, or -1 when it is not contiguous ones. */
static int netmask_prefix(const char *s)
{
	struct in_addr m;
	uint32_t v;
	int n = 0;

	if (inet_pton(AF_INET, s, &m) != 1)
		return -1;
	v = ntohl(m.s_addr);
	while (v & 0x80000000u) {
		v <<= 1;
		n++;
	}
	return v ? -1 : n;
}

/*
 * "ADDR", "ADDR/PREFIX" or "ADDR/NETMASK" into *net, bits past the prefix cleared (sudo
 * compares under the mask, so 10.1.2.3/8 means 10.0.0.0/8). -1 when it is not one.
 */
static int parse_net(const char *s, struct hostiam_cidr *net)
{
	char addr[64];
	const char *slash = strchr(s, '/');
	unsigned long p;
	int i, max;

	if (snprintf(addr, sizeof(addr), "%.*s", slash ? (int)(slash - s) : (int)strlen(s), s) >=
		    (int)sizeof(addr) ||
	    hostiam_cidr_parse(addr, net) < 0)
		return -1;
	if (!slash)
		return 0;
	max = net->family == AF_INET ? 32 : 128;
	if (hostiam_parse_ulong(slash + 1, 0, (unsigned long)max, &p) == 0)
		net->prefix = (int)p;
	else if (net->family == AF_INET && (net->prefix = netmask_prefix(slash + 1)) >= 0)
		;
	else
		return -1;
	for (i = net->prefix; i < max; i++)
		net->addr[i / 8] &= (uint8_t) ~(0x80u >> (i % 8));
	return 0;
}

/* Whether one interface address lies in net. */
static bool host_in(const struct sudo_host *h, const struct hostiam_cidr *net)
{
	size_t i;

	for (i = 0; i < h->n_addrs; i++)
		if (hostiam_cidr_contains(net, &h->addrs[i]))
			return true;
	return false;
}

/* Whether the name pattern v names this host: with a dot the full name, else the short. */
static bool name_matches(const struct sudo_host *h, const char *v)
{
	const char *name = strchr(v, '.') ? h->name : h->shost;

	return fnmatch(v, name, FNM_CASEFOLD) == 0;
}

/* One value without its '!': 1 this host, 0 not, -1 cannot be judged here. */
static int value_matches(const struct sudo_host *h, const char *v)
{
	struct hostiam_cidr net;

	if (strcmp(v, "ALL") == 0)
		return 1;
	if (v[0] == '+' || v[0] == '\0')
		return -1;
	if (strchr(v, '/') || strchr(v, ':') || inet_pton(AF_INET, v, &net.addr) == 1)
		return parse_net(v, &net) == 0 ? host_in(h, &net) : -1;
	return name_matches(h, v);
}

enum sudo_host_match sudo_host_matches(const struct sudo_host *h, char *const *values, size_t n,
				       char *why, size_t why_len, char *note, size_t note_len)
{
	bool yes = false;
	size_t i;

	if (note_len)
		note[0] = '\0';
	for (i = 0; i < n; i++) {
		const char *v = values[i];
		bool neg = v[0] == '!';
		int m = value_matches(h, neg ? v + 1 : v);

		if (m < 0 && neg) {
			snprintf(why, why_len, "sudoHost \"%s\" cannot be judged on this host", v);
			return SUDO_HOST_SKIP;
		}
		if (m < 0)
			snprintf(note, note_len, "sudoHost \"%s\" ignored (cannot be judged here)",
				 v);
		if (m > 0 && neg)
			return SUDO_HOST_NO;
		yes = yes || m > 0;
	}
	return yes ? SUDO_HOST_YES : SUDO_HOST_NO;
}
