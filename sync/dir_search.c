/* SPDX-License-Identifier: BSD-2-Clause */
/* Paged subtree searches, each page within its own deadline. */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include "errors.h"
#include "dir_conn.h"
#include "dir_search.h"
#include "log.h"
#include "parse_num.h"
#include "sync_watchdog.h"

/* Seconds and microseconds left until deadline (monotonic), at least 1 ms. */
static struct timeval time_left(const struct timespec *deadline)
{
	struct timespec now;
	struct timeval tv;
	long long us;

	clock_gettime(CLOCK_MONOTONIC, &now);
	us = (long long)(deadline->tv_sec - now.tv_sec) * 1000000 +
		(deadline->tv_nsec - now.tv_nsec) / 1000;
	if (us < 1000)
		us = 1000;
	tv.tv_sec = (time_t)(us / 1000000);
	tv.tv_usec = (suseconds_t)(us % 1000000);
	return tv;
}

/* Log a search reference and go on: referrals are never chased. */
static void skip_reference(LDAP *ld, LDAPMessage *msg)
{
	char **refs = NULL;

	if (ldap_parse_reference(ld, msg, &refs, NULL, 0) == LDAP_SUCCESS && refs && refs[0])
		hostiam_log(LOG_INFO,
			    "skipping search reference: referrals are not followed "
			    "uri=%s",
			    refs[0]);
	ldap_memvfree((void **)refs);
}

/* The final message of a page: its result code, and the cookie of the next page. */
static int page_done(LDAP *ld, LDAPMessage *msg, struct berval *cookie, char *err, size_t err_len)
{
	LDAPControl **ctrls = NULL, *pr;
	char *diag = NULL;
	ber_int_t estimate;
	int rc, code = LDAP_OTHER, r = 0;

	rc = ldap_parse_result(ld, msg, &code, NULL, &diag, NULL, &ctrls, 0);
	if (rc != LDAP_SUCCESS || code != LDAP_SUCCESS) {
		if (rc != LDAP_SUCCESS)
			code = rc;
		snprintf(err, err_len, "search failed: %s%s%s%s", ldap_err2string(code),
			 diag && *diag ? ": " : "", diag ? diag : "",
			 code == LDAP_SIZELIMIT_EXCEEDED ? " (the server ignored paging)" : "");
		r = dir_conn_map_error(code);
		goto out;
	}
	ber_memfree(cookie->bv_val);
	cookie->bv_val = NULL;
	cookie->bv_len = 0;
	/* No paging control back: the server sent everything in one go. */
	pr = ldap_control_find(LDAP_CONTROL_PAGEDRESULTS, ctrls, NULL);
	if (pr && ldap_parse_pageresponse_control(ld, pr, &estimate, cookie) != LDAP_SUCCESS) {
		snprintf(err, err_len, "search failed: malformed paged results control");
		r = HOSTIAM_ERR_DIRECTORY;
	}
out:
	ldap_memfree(diag);
	ldap_controls_free(ctrls);
	return r;
}

/* Start one page of req after cookie; *msgid identifies it. */
static int page_start(LDAP *ld, const struct dir_search_req *req, struct berval *cookie, int *msgid,
		      char *err, size_t err_len)
{
	struct timeval tv = { .tv_sec = req->timeout, .tv_usec = 0 };
	LDAPControl *pc = NULL, *ctrls[2] = { NULL, NULL };
	int rc;

	rc = ldap_create_page_control(ld, req->page_size, cookie, 1, &pc);
	if (rc == LDAP_SUCCESS) {
		ctrls[0] = pc;
		rc = ldap_search_ext(ld, req->base, LDAP_SCOPE_SUBTREE, req->filter, req->attrs, 0,
				     ctrls, NULL, &tv, LDAP_NO_LIMIT, msgid);
	}
	ldap_control_free(pc);
	if (rc != LDAP_SUCCESS) {
		dir_conn_describe(ld, rc, err, err_len);
		return dir_conn_map_error(rc);
	}
	return 0;
}

/* The most entries one search may return (the test suite may lower it). */
static unsigned long max_entries(void)
{
	/* HOSTIAM_TEST_MAX_ENTRIES: for the test suite only, which cannot send ten million. */
	const char *t = secure_getenv("HOSTIAM_TEST_MAX_ENTRIES");
	unsigned long v;

	if (t && hostiam_parse_ulong(t, 1, LDAP_SEARCH_MAX_ENTRIES, &v) == 0)
		return v;
	return LDAP_SEARCH_MAX_ENTRIES;
}

/* Wait for the next message of msgid, at most a second at a time so that stop is seen. */
static int next_message(LDAP *ld, const struct dir_search_req *req, int msgid,
			const struct timespec *deadline, LDAPMessage **msg, char *err,
			size_t err_len)
{
	for (;;) {
		struct timeval tv = time_left(deadline), step = { 1, 0 };
		bool last = tv.tv_sec < 1;
		int rc;

		rc = ldap_result(ld, msgid, LDAP_MSG_ONE, last ? &tv : &step, msg);
		if (rc != 0)
			return rc;
		if (req->stop && *req->stop) {
			snprintf(err, err_len, "search stopped: the agent is stopping");
			return 0;
		}
		if (last) {
			snprintf(err, err_len, "search timed out after %d s", req->timeout);
			return 0;
		}
	}
}

/* Receive one page: entries to fn (counted in *n), references skipped, until its result. */
static int page_receive(LDAP *ld, const struct dir_search_req *req, int msgid,
			const struct timespec *deadline, dir_entry_fn fn, void *ctx,
			struct berval *cookie, unsigned long *n, char *err, size_t err_len)
{
	LDAPMessage *msg = NULL;
	int rc, r = 0;

	for (;;) {
		rc = next_message(ld, req, msgid, deadline, &msg, err, err_len);
		if (rc == 0) {
			ldap_abandon_ext(ld, msgid, NULL, NULL);
			return HOSTIAM_ERR_TIMEOUT;
		}
		if (rc < 0) {
			ldap_get_option(ld, LDAP_OPT_RESULT_CODE, &rc);
			dir_conn_describe(ld, rc, err, err_len);
			return HOSTIAM_ERR_UNAVAILABLE;
		}
		if (rc == LDAP_RES_SEARCH_ENTRY)
			r = ++*n > max_entries() ? HOSTIAM_ERR_DIRECTORY : fn(ld, msg, ctx);
		else if (rc == LDAP_RES_SEARCH_REFERENCE)
			skip_reference(ld, msg);
		else if (rc == LDAP_RES_SEARCH_RESULT)
			r = page_done(ld, msg, cookie, err, err_len);
		ldap_msgfree(msg);
		msg = NULL;
		if (r < 0 && rc == LDAP_RES_SEARCH_ENTRY) {
			ldap_abandon_ext(ld, msgid, NULL, NULL);
			if (*n > max_entries())
				snprintf(err, err_len,
					 "search stopped: the server sent more than %lu "
					 "entries (is it paging forever?)",
					 max_entries());
			else
				snprintf(err, err_len, "search stopped: %s", hostiam_strerror(r));
		}
		if (r < 0 || rc == LDAP_RES_SEARCH_RESULT)
			return r;
	}
}

/*
 * After a page of got entries: an error if the server seems to page forever, that is
 * empty pages that keep coming (the same cookie thrice, or too many in a row).
 */
static int check_progress(unsigned long got, const struct berval *cookie, struct berval *prev,
			  int *same, int *empty, char *err, size_t err_len)
{
	bool repeat = prev->bv_val && cookie->bv_len == prev->bv_len &&
		memcmp(cookie->bv_val, prev->bv_val, cookie->bv_len) == 0;

	*empty = got == 0 ? *empty + 1 : 0;
	*same = got == 0 && repeat ? *same + 1 : 0;
	ber_memfree(prev->bv_val);
	prev->bv_val = NULL;
	prev->bv_len = 0;
	if (*same >= 2 || *empty > LDAP_SEARCH_MAX_EMPTY_PAGES) {
		snprintf(err, err_len, "search stopped: the server %s (is it paging forever?)",
			 *same >= 2 ? "returned the same empty page three times" :
				      "keeps returning empty pages");
		return HOSTIAM_ERR_DIRECTORY;
	}
	if (cookie->bv_val && ber_dupbv(prev, (struct berval *)cookie) == NULL)
		return HOSTIAM_ERR_NOMEM;
	return 0;
}

/*
 * One page, start to result, within req->timeout seconds however the server trickles its
 * bytes: past the deadline dl (re-armed here for the page) the socket is cut (libldap's
 * own timeouts restart with every byte), and the page fails with HOSTIAM_ERR_TIMEOUT.
 */
static int page_once(LDAP *ld, const struct dir_search_req *req, struct sync_deadline *dl,
		     dir_entry_fn fn, void *ctx, struct berval *cookie, unsigned long *n, char *err,
		     size_t err_len)
{
	int msgid, r;

	sync_deadline_rearm(dl, req->timeout);
	r = page_start(ld, req, cookie, &msgid, err, err_len);
	if (r == 0)
		r = page_receive(ld, req, msgid, &dl->at, fn, ctx, cookie, n, err, err_len);
	if (r < 0 && sync_deadline_fired(dl)) {
		snprintf(err, err_len, "search timed out after %d s", req->timeout);
		r = HOSTIAM_ERR_TIMEOUT;
	}
	return r;
}

int dir_paged_search(LDAP *ld, const struct dir_search_req *req, dir_entry_fn fn, void *ctx,
		     char *err, size_t err_len)
{
	struct berval cookie = { 0, NULL }, prev = { 0, NULL };
	struct sync_deadline dl;
	unsigned long n = 0, before;
	int r, same = 0, empty = 0, fd = -1;

	/* One deadline thread for the whole search, re-armed page by page. */
	if (sync_deadline_start(&dl, req->timeout) < 0) {
		snprintf(err, err_len, "search failed: cannot bound it by directory.timeout");
		return HOSTIAM_ERR_SYSTEM;
	}
	if (ldap_get_option(ld, LDAP_OPT_DESC, &fd) == LDAP_OPT_SUCCESS && fd >= 0)
		sync_deadline_watch(&dl, fd);
	do {
		before = n;
		r = page_once(ld, req, &dl, fn, ctx, &cookie, &n, err, err_len);
		if (r == 0 && cookie.bv_val && cookie.bv_len > 0)
			r = check_progress(n - before, &cookie, &prev, &same, &empty, err, err_len);
		if (r == 0 && req->stop && *req->stop) {
			snprintf(err, err_len, "search stopped: the agent is stopping");
			r = HOSTIAM_ERR_TIMEOUT;
		}
	} while (r == 0 && cookie.bv_val && cookie.bv_len > 0);
	if (sync_deadline_end(&dl) && r < 0) {
		snprintf(err, err_len, "search timed out after %d s", req->timeout);
		r = HOSTIAM_ERR_TIMEOUT;
	}
	ber_memfree(cookie.bv_val);
	ber_memfree(prev.bv_val);
	return r;
}
