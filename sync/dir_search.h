/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * One complete subtree search in pages (RFC 2696), so directories larger than the server's
 * size limit are read whole. Each page is one operation bounded by the timeout; a result
 * that is not complete (size limit, lost connection, timeout) is an error, never a partial
 * success. Search references are logged and skipped.
 */
#ifndef HOSTIAM_DIR_SEARCH_H
#define HOSTIAM_DIR_SEARCH_H

#include <ldap.h>
#include <signal.h>
#include <stddef.h>

/* Entries one search may return before it is taken for a server that pages forever. */
#define LDAP_SEARCH_MAX_ENTRIES 10000000UL
/* Empty pages with a cookie in a row before the same conclusion. */
#define LDAP_SEARCH_MAX_EMPTY_PAGES 100

struct dir_search_req {
	const char *base;
	const char *filter;
	char **attrs;                      /* NULL-terminated */
	int page_size;                     /* entries per page (> 0) */
	int timeout;                       /* seconds per page */
	const volatile sig_atomic_t *stop; /* checked at least once a second; may be NULL */
};

/* Called for every entry; a negative return stops the search with that error. */
typedef int (*dir_entry_fn)(LDAP *ld, LDAPMessage *entry, void *ctx);

/*
 * Run req on ld and call fn for each entry. Returns 0 once the server said the last page
 * was sent, or a HOSTIAM_ERR_* (TIMEOUT, UNAVAILABLE, DIRECTORY, or fn's error) with a
 * one-line reason in err. A server that pages forever is stopped with HOSTIAM_ERR_DIRECTORY:
 * more than LDAP_SEARCH_MAX_ENTRIES entries, the same cookie on empty pages three times,
 * or LDAP_SEARCH_MAX_EMPTY_PAGES empty pages in a row. *stop set: HOSTIAM_ERR_TIMEOUT
 * within a second.
 */
int dir_paged_search(LDAP *ld, const struct dir_search_req *req, dir_entry_fn fn, void *ctx,
		     char *err, size_t err_len);

#endif
