/* SPDX-License-Identifier: BSD-2-Clause */
/* Syntax check of directory URIs, without linking libldap (the PAM module loads config). */
#ifndef HOSTIAM_LDAP_URI_H
#define HOSTIAM_LDAP_URI_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Accept "ldap://HOST[:PORT][/]", "ldaps://HOST[:PORT][/]" and "ldapi://[PATH][/]" where
 * HOST is a DNS name, an IPv4 address or a bracketed IPv6 address (empty means the client
 * library's default host), PORT is 1..65535 and the ldapi PATH is %-encoded. The scheme is
 * case-insensitive. A DN, attributes or filter after the slash are refused: those come from
 * the configuration. Returns 0, or HOSTIAM_ERR_INVALID_ARG with a one-line reason in why.
 */
int hostiam_ldap_uri_check(const char *uri, char *why, size_t why_len);

/*
 * True for an ldap:// URI whose host is not this machine's loopback (127.0.0.0/8, [::1],
 * localhost): a bind password sent there without StartTLS would cross the network in clear.
 */
bool hostiam_ldap_uri_cleartext_remote(const char *uri);

#endif
