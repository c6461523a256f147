/* SPDX-License-Identifier: BSD-2-Clause */
/* The password helper's directory work: failover, the user's entry, bind, change. */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dir_conn.h"
#include "dir_user_auth.h"
#include "dir_user_bind.h"
#include "dir_user_find.h"
#include "errors.h"
#include "ldap_uri.h"

/* Whole seconds left until end (CLOCK_MONOTONIC), rounded up; 0 once it has passed. */
static int seconds_left(const struct timespec *end)
{
	struct timespec now;
	long long ns;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ns = (long long)(end->tv_sec - now.tv_sec) * 1000000000LL + (end->tv_nsec - now.tv_nsec);
	return ns <= 0 ? 0 : (int)((ns + 999999999LL) / 1000000000LL);
}

/* The password may go to uri: TLS (ldaps://, StartTLS), ldapi://, or this machine. */
static bool may_send(const struct hostiam_directory_config *d, const char *uri)
{
	return d->starttls || !hostiam_ldap_uri_cleartext_remote(uri);
}

/* Find the user and bind as them on a connection to one server; change when asked. */
static int on_server(LDAP *ld, const struct hostiam_directory_config *d,
		     const struct dir_user_request *req, const struct timespec *end,
		     struct hostiam_auth_reply *out, char *err, size_t err_len)
{
	char *dn = NULL;
	int r;

	r = dir_user_find_dn(ld, d, req->user, seconds_left(end), &dn, err, err_len);
	if (r == HOSTIAM_ERR_NOT_FOUND) {
		hostiam_auth_reply_init(out, HOSTIAM_AUTH_UNKNOWN);
		return 0;
	}
	if (r == 0)
		r = dir_user_bind(ld, dn, req->password, seconds_left(end), out, err, err_len);
	/* a grace login or a reset password binds too: that is when a change is wanted */
	if (r == 0 && req->new_password && out->result == HOSTIAM_AUTH_OK)
		r = dir_user_passwd(ld, req->password, req->new_password, seconds_left(end), out,
				    err, err_len);
	free(dn);
	return r;
}

/* One server, within what is left of the time: 0 with *out once it answered. */
static int try_server(const struct hostiam_directory_config *d, const char *uri,
		      const struct dir_user_request *req, const struct timespec *end,
		      struct hostiam_auth_reply *out, char *err, size_t err_len)
{
	struct hostiam_directory_config one = *d;
	char *items[1] = { (char *)uri };
	struct dir_conn conn = { 0 };
	int r;

	one.uris.items = items;
	one.uris.n = 1;
	one.timeout = seconds_left(end);
	if (one.timeout == 0) {
		snprintf(err, err_len, "directory.timeout (%d s) spent before this server",
			 d->timeout);
		return HOSTIAM_ERR_TIMEOUT;
	}
	r = dir_conn_open(&one, &conn, err, err_len);
	if (r == 0)
		r = on_server(conn.ld, d, req, end, out, err, err_len);
	dir_conn_close(&conn);
	return r;
}

/* The reply when no server answered: unreachable when none did in time, else error. */
static void no_answer(struct hostiam_auth_reply *out, bool only_unreachable, const char *why)
{
	hostiam_auth_reply_init(out,
				only_unreachable ? HOSTIAM_AUTH_UNREACHABLE : HOSTIAM_AUTH_ERROR);
	hostiam_auth_reply_set_message(out, why);
}

/* Append "URI: WHY" to the list of failures at *used. */
static void add_reason(char *list, size_t len, size_t *used, const char *uri, const char *why)
{
	size_t ulen = strlen(uri);
	int n;

	if (*used >= len)
		return;
	/* dir_conn's reasons already start with the server */
	if (strncmp(why, uri, ulen) == 0 && strncmp(why + ulen, ": ", 2) == 0)
		why += ulen + 2;
	n = snprintf(list + *used, len - *used, "%s%s: %s", *used ? "; " : "", uri, why);
	if (n > 0)
		*used += (size_t)n;
}

/* Failures no other server can mend (this machine's files, memory, threads). */
static bool local_failure(int r)
{
	return r == HOSTIAM_ERR_INSECURE_FILE || r == HOSTIAM_ERR_SYSTEM ||
		r == HOSTIAM_ERR_NOMEM || r == HOSTIAM_ERR_TOO_SMALL;
}

void dir_user_authenticate(const struct hostiam_directory_config *d,
			   const struct dir_user_request *req, struct hostiam_auth_reply *out,
			   char *uri, size_t uri_len)
{
	char why[512], reasons[1024] = "";
	bool only_unreachable = true;
	struct timespec end;
	size_t i, used = 0;
	int r;

	uri[0] = '\0';
	if (!d->configured || d->uris.n == 0) {
		hostiam_auth_reply_init(out, HOSTIAM_AUTH_REFUSED);
		hostiam_auth_reply_set_message(out, "no directory section in the configuration");
		return;
	}
	clock_gettime(CLOCK_MONOTONIC, &end);
	end.tv_sec += d->timeout > 0 ? d->timeout : 5;
	for (i = 0; i < d->uris.n; i++) {
		if (!may_send(d, d->uris.items[i])) {
			add_reason(reasons, sizeof(reasons), &used, d->uris.items[i],
				   "plain ldap:// to another host: a password is not sent in clear "
				   "(use ldaps:// or starttls = true)");
			continue;
		}
		snprintf(uri, uri_len, "%s", d->uris.items[i]);
		why[0] = '\0';
		r = try_server(d, d->uris.items[i], req, &end, out, why, sizeof(why));
		if (r == 0)
			return;
		add_reason(reasons, sizeof(reasons), &used, d->uris.items[i], why);
		if (r != HOSTIAM_ERR_TIMEOUT && r != HOSTIAM_ERR_UNAVAILABLE)
			only_unreachable = false;
		if (local_failure(r))
			break;
	}
	if (uri[0] == '\0') {
		hostiam_auth_reply_init(out, HOSTIAM_AUTH_REFUSED);
		hostiam_auth_reply_set_message(out, reasons);
		return;
	}
	no_answer(out, only_unreachable, reasons);
}
