/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Whether a sudoRole's sudoHost values name this host, as sudo itself would judge them:
 * ALL, the host name (short, or the full name when the pattern has a dot; shell wildcards
 * allowed), an address, a network (ADDR/PREFIX or ADDR/NETMASK), each possibly negated with
 * '!'. No DNS: the names are gethostname()'s, the addresses the interfaces' (getifaddrs).
 */
#ifndef HOSTIAM_SUDO_HOST_H
#define HOSTIAM_SUDO_HOST_H

#include <stddef.h>

#include "cidr.h"

struct sudo_host {
	char name[256];  /* gethostname(): the full name when it has a dot */
	char shost[256]; /* name up to its first dot */
	struct hostiam_cidr *addrs;
	size_t n_addrs;
};

/* Fill h with this host's names and interface addresses: 0 or a HOSTIAM_ERR_*. */
int sudo_host_load(struct sudo_host *h);

/* Free what sudo_host_load allocated. */
void sudo_host_free(struct sudo_host *h);

/* The outcomes of sudo_host_matches. */
enum sudo_host_match {
	SUDO_HOST_NO,   /* the rule is not for this host */
	SUDO_HOST_YES,  /* a value names this host and no negated value does */
	SUDO_HOST_SKIP, /* a negated value cannot be judged here (+netgroup, a bad network):
	                   the rule might exclude this host, so it is left out (reason in why) */
};

/*
 * Judge the sudoHost values of one rule. A positive value that cannot be judged here
 * (+netgroup, an unparsable network) matches nothing and is named in note (may be empty).
 */
enum sudo_host_match sudo_host_matches(const struct sudo_host *h, char *const *values, size_t n,
				       char *why, size_t why_len, char *note, size_t note_len);

#endif
