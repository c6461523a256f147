/* Paged subtree searches with per-page deadlines. */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include "errors.h"
#include "ldap_conn.h"
#include "ldap_search.h"
#include "log.h"

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
		hostiam_log(LOG_INFO, "skipping search reference: referrals are not followed "
			    "uri=%s", refs[0]);
	ldap_memvfree((void **)refs);
}

/* The final message of a page: its result code, and the cookie of the next page. */
static int page_done(LDAP *ld, LDAPMessage *msg, struct berval *cookie, char *err,
		     size_t err_len)
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
		r = ldap_conn_map_error(code);
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
static int page_start(LDAP *ld, const struct ldap_search_req *req, struct berval *cookie,
		      int *msgid, char *err, size_t err_len)
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
		ldap_conn_describe(ld, rc, err, err_len);
		return ldap_conn_map_error(rc);
	}
	return 0;
}

/* Receive one page: entries to fn, references skipped, until its result or the deadline. */
static int page_receive(LDAP *ld, const struct ldap_search_req *req, int msgid,
			ldap_entry_fn fn, void *ctx, struct berval *cookie, char *err,
			size_t err_len)
{
	struct timespec deadline;
	LDAPMessage *msg = NULL;
	int rc, r = 0;

	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += req->timeout;
	for (;;) {
		struct timeval tv = time_left(&deadline);

		rc = ldap_result(ld, msgid, LDAP_MSG_ONE, &tv, &msg);
		if (rc == 0) {
			ldap_abandon_ext(ld, msgid, NULL, NULL);
			snprintf(err, err_len, "search timed out after %d s", req->timeout);
			return HOSTIAM_ERR_TIMEOUT;
		}
		if (rc < 0) {
			ldap_get_option(ld, LDAP_OPT_RESULT_CODE, &rc);
			ldap_conn_describe(ld, rc, err, err_len);
			return HOSTIAM_ERR_UNAVAILABLE;
		}
		if (rc == LDAP_RES_SEARCH_ENTRY)
			r = fn(ld, msg, ctx);
		else if (rc == LDAP_RES_SEARCH_REFERENCE)
			skip_reference(ld, msg);
		else if (rc == LDAP_RES_SEARCH_RESULT)
			r = page_done(ld, msg, cookie, err, err_len);
		ldap_msgfree(msg);
		msg = NULL;
		if (r < 0 && rc == LDAP_RES_SEARCH_ENTRY) {
			ldap_abandon_ext(ld, msgid, NULL, NULL);
			snprintf(err, err_len, "search stopped: %s", hostiam_strerror(r));
		}
		if (r < 0 || rc == LDAP_RES_SEARCH_RESULT)
			return r;
	}
}

int ldap_paged_search(LDAP *ld, const struct ldap_search_req *req, ldap_entry_fn fn, void *ctx,
		      char *err, size_t err_len)
{
	struct berval cookie = { 0, NULL };
	int msgid, r;

	do {
		r = page_start(ld, req, &cookie, &msgid, err, err_len);
		if (r == 0)
			r = page_receive(ld, req, msgid, fn, ctx, &cookie, err, err_len);
	} while (r == 0 && cookie.bv_val && cookie.bv_len > 0);
	ber_memfree(cookie.bv_val);
	return r;
}
