/* SPDX-License-Identifier: BSD-2-Clause */
/* Directory URI syntax, checked when the configuration loads rather than at first sync. */
#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "errors.h"
#include "ldap_uri.h"
#include "parse_num.h"

/* Letters, digits, '-', '.', '_': enough for DNS names and IPv4 literals. */
static bool is_host_char(char c)
{
	return isalnum((unsigned char)c) || c == '-' || c == '.' || c == '_';
}

/* Host at s up to end: empty, a DNS name or a bracketed IPv6 literal. */
static bool host_ok(const char *s, const char *end)
{
	char buf[64];
	unsigned char addr[16];
	size_t len = (size_t)(end - s);

	if (len > 0 && s[0] == '[') {
		if (len < 3 || end[-1] != ']' || len - 2 >= sizeof(buf))
			return false;
		memcpy(buf, s + 1, len - 2);
		buf[len - 2] = '\0';
		return inet_pton(AF_INET6, buf, addr) == 1;
	}
	for (; s < end; s++)
		if (!is_host_char(*s))
			return false;
	return true;
}

/* HOST[:PORT] of ldap:// and ldaps://. */
static bool hostport_ok(const char *s, const char *end)
{
	const char *colon = NULL, *p;
	unsigned long port;

	/* The port colon is the last one outside an IPv6 literal's brackets. */
	for (p = s; p < end; p++) {
		if (*p == ']')
			colon = NULL;
		else if (*p == ':')
			colon = p;
	}
	if (colon == NULL)
		return host_ok(s, end);
	if (hostiam_parse_ulong_n(colon + 1, (size_t)(end - colon - 1), 1, 65535, &port) < 0)
		return false;
	return host_ok(s, colon);
}

/* The %-encoded socket path of ldapi://. */
static bool ldapi_path_ok(const char *s, const char *end)
{
	for (; s < end; s++) {
		if (*s == '%') {
			if (end - s < 3 || !isxdigit((unsigned char)s[1]) ||
			    !isxdigit((unsigned char)s[2]))
				return false;
			s += 2;
		} else if (!is_host_char(*s)) {
			return false;
		}
	}
	return true;
}

/* Scheme, then the authority, then at most a bare trailing slash. */
int hostiam_ldap_uri_check(const char *uri, char *why, size_t why_len)
{
	const char *auth, *end;
	bool ldapi = false, ok;

	if (strncasecmp(uri, "ldaps://", 8) == 0) {
		auth = uri + 8;
	} else if (strncasecmp(uri, "ldap://", 7) == 0) {
		auth = uri + 7;
	} else if (strncasecmp(uri, "ldapi://", 8) == 0) {
		auth = uri + 8;
		ldapi = true;
	} else {
		snprintf(why, why_len, "\"%s\": must start with ldap://, ldaps:// or ldapi://",
			 uri);
		return HOSTIAM_ERR_INVALID_ARG;
	}
	end = auth + strcspn(auth, "/");
	if (*end == '/' && end[1] != '\0') {
		snprintf(why, why_len,
			 "\"%s\": nothing may follow the host (base and filters are "
			 "separate settings)",
			 uri);
		return HOSTIAM_ERR_INVALID_ARG;
	}
	ok = ldapi ? ldapi_path_ok(auth, end) : hostport_ok(auth, end);
	if (!ok) {
		snprintf(why, why_len, "\"%s\": not a valid %s", uri,
			 ldapi ? "%-encoded socket path" : "host[:port]");
		return HOSTIAM_ERR_INVALID_ARG;
	}
	return 0;
}

bool hostiam_ldap_uri_cleartext_remote(const char *uri)
{
	const char *host, *end;
	size_t len;

	if (strncasecmp(uri, "ldap://", 7) != 0)
		return false;
	host = uri + 7;
	/* The host ends at the port, or after the bracket of an IPv6 literal. */
	if (*host == '[')
		end = host + strcspn(host, "]") + 1;
	else
		end = host + strcspn(host, ":/");
	len = (size_t)(end - host);
	if (len == 0)
		return true; /* libldap's default host: not known to be this machine */
	if ((len == 9 && strncasecmp(host, "localhost", 9) == 0) ||
	    (len == 5 && strncmp(host, "[::1]", 5) == 0))
		return false;
	/* 127.0.0.0/8, written as a dotted quad starting with "127." */
	return !(len >= 7 && strncmp(host, "127.", 4) == 0 && strspn(host, "0123456789.") == len);
}
