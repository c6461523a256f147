/* SPDX-License-Identifier: BSD-2-Clause */
/* Connecting to the directory: failover over the uri list, TLS that never downgrades, bind. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "errors.h"
#include "dir_conn.h"
#include "dir_password.h"
#include "log.h"
#include "sync_watchdog.h"

#define PASSWORD_MAX 1024

/* A HOSTIAM_ERR_* for an LDAP result code. */
int dir_conn_map_error(int ldap_rc)
{
	switch (ldap_rc) {
	case LDAP_SUCCESS:
		return 0;
	case LDAP_TIMEOUT:
	case LDAP_TIMELIMIT_EXCEEDED:
		return HOSTIAM_ERR_TIMEOUT;
	case LDAP_SERVER_DOWN:
	case LDAP_CONNECT_ERROR:
	case LDAP_UNAVAILABLE:
	case LDAP_BUSY:
		return HOSTIAM_ERR_UNAVAILABLE;
	case LDAP_NO_MEMORY:
		return HOSTIAM_ERR_NOMEM;
	default:
		return HOSTIAM_ERR_DIRECTORY;
	}
}

/* "RESULT: DIAGNOSTIC" for the last failure on ld into buf. */
void dir_conn_describe(LDAP *ld, int ldap_rc, char *buf, size_t len)
{
	char *diag = NULL;

	if (ld)
		ldap_get_option(ld, LDAP_OPT_DIAGNOSTIC_MESSAGE, &diag);
	/* GnuTLS failures arrive as "(unknown error code)": not worth repeating. */
	if (diag && *diag && strcmp(diag, "(unknown error code)") != 0)
		snprintf(buf, len, "%s: %s", ldap_err2string(ldap_rc), diag);
	else
		snprintf(buf, len, "%s", ldap_err2string(ldap_rc));
	ldap_memfree(diag);
}

/* True for ldaps:// URIs (TLS from the first byte). */
static int is_ldaps(const char *uri)
{
	return strncasecmp(uri, "ldaps://", 8) == 0;
}

/*
 * The CA file can be read: libldap would only say "TLS error" when it builds the context.
 * Failing here names the file; the same file is missing for every server, so this is a
 * local failure (HOSTIAM_ERR_SYSTEM) that stops the failover.
 */
static int check_ca_file(const char *path, char *why, size_t why_len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);

	if (fd < 0) {
		snprintf(why, why_len, "tls_ca_file %s: %s", path, strerror(errno));
		return HOSTIAM_ERR_SYSTEM;
	}
	close(fd);
	return 0;
}

/* Certificates always checked against the CA file or the system store; a fresh context. */
static int set_tls_options(LDAP *ld, const struct hostiam_directory_config *d, char *why,
			   size_t why_len)
{
	int demand = LDAP_OPT_X_TLS_DEMAND, server_ctx = 0, r;

	if (d->tls_ca_file && (r = check_ca_file(d->tls_ca_file, why, why_len)) < 0)
		return r;
	if (ldap_set_option(ld, LDAP_OPT_X_TLS_REQUIRE_CERT, &demand) != LDAP_OPT_SUCCESS ||
	    (d->tls_ca_file &&
	     ldap_set_option(ld, LDAP_OPT_X_TLS_CACERTFILE, d->tls_ca_file) != LDAP_OPT_SUCCESS) ||
	    /* The options above only take effect in a fresh TLS context of this handle. */
	    ldap_set_option(ld, LDAP_OPT_X_TLS_NEWCTX, &server_ctx) != LDAP_OPT_SUCCESS) {
		snprintf(why, why_len, "cannot set up TLS%s%s",
			 d->tls_ca_file ? " with tls_ca_file " : "",
			 d->tls_ca_file ? d->tls_ca_file : "");
		return HOSTIAM_ERR_TLS;
	}
	return 0;
}

/*
 * Protocol, referral, timeout options of one handle, and TLS ones when uri uses TLS
 * (ldaps:// or StartTLS): plain ldap:// never reads the CA file, so one it lacks is no error.
 */
static int set_options(LDAP *ld, const char *uri, const struct hostiam_directory_config *d,
		       char *why, size_t why_len)
{
	struct timeval tv = { .tv_sec = d->timeout > 0 ? d->timeout : 5, .tv_usec = 0 };
	int version = LDAP_VERSION3, idle = 30, probes = 3, interval = 5;

	if (ldap_set_option(ld, LDAP_OPT_PROTOCOL_VERSION, &version) != LDAP_OPT_SUCCESS ||
	    ldap_set_option(ld, LDAP_OPT_REFERRALS, LDAP_OPT_OFF) != LDAP_OPT_SUCCESS ||
	    ldap_set_option(ld, LDAP_OPT_NETWORK_TIMEOUT, &tv) != LDAP_OPT_SUCCESS ||
	    ldap_set_option(ld, LDAP_OPT_TIMEOUT, &tv) != LDAP_OPT_SUCCESS) {
		snprintf(why, why_len, "cannot set connection options");
		return HOSTIAM_ERR_INTERNAL;
	}
	/* A peer that vanished without a FIN must not leave the agent waiting forever. */
	ldap_set_option(ld, LDAP_OPT_X_KEEPALIVE_IDLE, &idle);
	ldap_set_option(ld, LDAP_OPT_X_KEEPALIVE_PROBES, &probes);
	ldap_set_option(ld, LDAP_OPT_X_KEEPALIVE_INTERVAL, &interval);
	if (!is_ldaps(uri) && !d->starttls)
		return 0;
	return set_tls_options(ld, d, why, why_len);
}

/* Bind as d->bind_dn with the password file, or anonymously; the password is wiped. */
static int bind_once(LDAP *ld, const struct hostiam_directory_config *d, char *why, size_t why_len)
{
	char pw[PASSWORD_MAX + 1];
	struct berval cred = { 0, NULL };
	int r = 0, rc;

	if (d->bind_dn && d->bind_password_file) {
		r = dir_password_read(d->bind_password_file, pw, sizeof(pw), why, why_len);
		if (r < 0)
			return r;
		cred.bv_val = pw;
		cred.bv_len = strlen(pw);
	}
	rc = ldap_sasl_bind_s(ld, d->bind_dn, LDAP_SASL_SIMPLE, &cred, NULL, NULL, NULL);
	explicit_bzero(pw, sizeof(pw));
	if (rc != LDAP_SUCCESS) {
		char desc[200];

		dir_conn_describe(ld, rc, desc, sizeof(desc));
		snprintf(why, why_len, "bind%s%s failed: %s", d->bind_dn ? " as " : " anonymously",
			 d->bind_dn ? d->bind_dn : "", desc);
		r = rc == LDAP_INVALID_CREDENTIALS || rc == LDAP_INAPPROPRIATE_AUTH ||
				rc == LDAP_INSUFFICIENT_ACCESS ?
			HOSTIAM_ERR_DIRECTORY :
			dir_conn_map_error(rc);
	}
	return r;
}

/* True if a TCP connection to addr completes within timeout_ms. */
static bool tcp_connects(const struct addrinfo *ai, int timeout_ms)
{
	struct pollfd p = { .events = POLLOUT };
	int err = 0;
	socklen_t len = sizeof(err);
	bool ok = false;

	p.fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
		      ai->ai_protocol);
	if (p.fd < 0)
		return false;
	if (connect(p.fd, ai->ai_addr, ai->ai_addrlen) == 0)
		ok = true;
	else if (poll(&p, 1, timeout_ms) == 1 &&
		 getsockopt(p.fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0 && err == 0)
		ok = true;
	close(p.fd);
	return ok;
}

/*
 * True if the server of uri accepts TCP connections. libldap reports a failed ldaps://
 * handshake like an unreachable server; this tells the two apart for the error message.
 */
static bool server_listens(const char *uri, int timeout)
{
	LDAPURLDesc *lud = NULL;
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *res = NULL, *ai;
	char port[16];
	bool ok = false;

	if (ldap_url_parse(uri, &lud) != LDAP_URL_SUCCESS || !lud->lud_host || !*lud->lud_host)
		goto out;
	snprintf(port, sizeof(port), "%d", lud->lud_port ? lud->lud_port : 636);
	if (getaddrinfo(lud->lud_host, port, &hints, &res) != 0)
		goto out;
	for (ai = res; ai && !ok; ai = ai->ai_next)
		ok = tcp_connects(ai, timeout * 1000);
out:
	if (res)
		freeaddrinfo(res);
	ldap_free_urldesc(lud);
	return ok;
}

/* Open the transport: TCP (+ TLS for ldaps://), then StartTLS when asked. Never downgrades. */
static int connect_once(LDAP *ld, const char *uri, const struct hostiam_directory_config *d,
			const struct sync_deadline *dl, char *why, size_t why_len)
{
	char desc[200];
	int rc;

	rc = ldap_connect(ld);
	if (rc != LDAP_SUCCESS) {
		dir_conn_describe(ld, rc, desc, sizeof(desc));
		if (is_ldaps(uri) && rc != LDAP_TIMEOUT && !sync_deadline_passed(dl) &&
		    server_listens(uri, d->timeout)) {
			snprintf(why, why_len,
				 "TLS handshake failed: the server certificate could not "
				 "be verified against %s, or the server does not speak TLS",
				 d->tls_ca_file ? d->tls_ca_file : "the system trust store");
			return HOSTIAM_ERR_TLS;
		}
		snprintf(why, why_len, "cannot connect: %s", desc);
		return dir_conn_map_error(rc) == HOSTIAM_ERR_TIMEOUT ? HOSTIAM_ERR_TIMEOUT :
								       HOSTIAM_ERR_UNAVAILABLE;
	}
	if (d->starttls && !is_ldaps(uri)) {
		rc = ldap_start_tls_s(ld, NULL, NULL);
		if (rc != LDAP_SUCCESS) {
			dir_conn_describe(ld, rc, desc, sizeof(desc));
			snprintf(why, why_len,
				 "StartTLS failed (%s): the server certificate could not "
				 "be verified against %s, or the server refused TLS",
				 desc, d->tls_ca_file ? d->tls_ca_file : "the system trust store");
			return HOSTIAM_ERR_TLS;
		}
	}
	return 0;
}

/*
 * The deadline of the connection being opened on this thread. libldap hands the socket to
 * the connect callback, which has no other way to find it; per thread, as opening is.
 */
static _Thread_local struct sync_deadline *opening;

/* Connect callback: the socket exists (TCP is up, TLS not yet): put it under the deadline. */
static int socket_added(LDAP *ld, Sockbuf *sb, LDAPURLDesc *srv, struct sockaddr *addr,
			struct ldap_conncb *ctx)
{
	int fd = -1;

	(void)ld;
	(void)srv;
	(void)addr;
	(void)ctx;
	if (opening && ber_sockbuf_ctrl(sb, LBER_SB_OPT_GET_FD, &fd) != -1 && fd >= 0)
		sync_deadline_watch(opening, fd);
	return 0;
}

/* Connect callback: the socket is about to be closed: never cut it after that. */
static void socket_removed(LDAP *ld, Sockbuf *sb, struct ldap_conncb *ctx)
{
	(void)ld;
	(void)sb;
	(void)ctx;
	if (opening)
		sync_deadline_watch(opening, -1);
}

static struct ldap_conncb socket_callbacks = { socket_added, socket_removed, NULL };

/* Connect (TLS included) and bind ld, all within one deadline of d->timeout seconds. */
static int connect_and_bind(LDAP *ld, const char *uri, const struct hostiam_directory_config *d,
			    char *why, size_t why_len)
{
	struct sync_deadline dl;
	int timeout = d->timeout > 0 ? d->timeout : 5, r;

	if (ldap_set_option(ld, LDAP_OPT_CONNECT_CB, &socket_callbacks) != LDAP_OPT_SUCCESS ||
	    sync_deadline_start(&dl, timeout) < 0) {
		snprintf(why, why_len, "cannot bound the connection by directory.timeout");
		return HOSTIAM_ERR_SYSTEM;
	}
	opening = &dl;
	r = connect_once(ld, uri, d, &dl, why, why_len);
	if (r == 0)
		r = bind_once(ld, d, why, why_len);
	opening = NULL;
	/* However the server trickled its bytes, it had timeout seconds for all of it. */
	if (sync_deadline_end(&dl) && r < 0) {
		snprintf(why, why_len, "timed out: connect, TLS and bind took more than %d s",
			 timeout);
		r = HOSTIAM_ERR_TIMEOUT;
	}
	return r;
}

/* One server: a ready, bound handle in *out, or an error with the reason in why. */
static int open_one(const char *uri, const struct hostiam_directory_config *d, LDAP **out,
		    char *why, size_t why_len)
{
	LDAP *ld = NULL;
	int r;

	if (ldap_initialize(&ld, uri) != LDAP_SUCCESS || !ld) {
		snprintf(why, why_len, "not a usable LDAP URI");
		return HOSTIAM_ERR_CONFIG;
	}
	r = set_options(ld, uri, d, why, why_len);
	if (r == 0)
		r = connect_and_bind(ld, uri, d, why, why_len);
	if (r < 0)
		ldap_unbind_ext(ld, NULL, NULL);
	else
		*out = ld;
	return r;
}

/* Try uri; on failure log it and append it to err at *used. */
static int try_uri(const char *uri, const struct hostiam_directory_config *d, struct dir_conn *out,
		   char *err, size_t err_len, size_t *used)
{
	char why[512] = "";
	LDAP *ld = NULL;
	int r = open_one(uri, d, &ld, why, sizeof(why));

	if (r == 0) {
		out->ld = ld;
		snprintf(out->uri, sizeof(out->uri), "%s", uri);
		return 0;
	}
	hostiam_log(LOG_WARNING, "directory server failed: %s server=%s", why, uri);
	if (*used < err_len)
		*used += (size_t)snprintf(err + *used, err_len - *used, "%s%s: %s",
					  *used ? "; " : "", uri, why);
	return r;
}

/* True for failures that no other server can fix (the password file is the same). */
static bool local_failure(int r)
{
	return r == HOSTIAM_ERR_INSECURE_FILE || r == HOSTIAM_ERR_SYSTEM ||
		r == HOSTIAM_ERR_TOO_SMALL || r == HOSTIAM_ERR_INVALID_ARG;
}

int dir_conn_open_prefer(const struct hostiam_directory_config *d, const char *prefer,
			 struct dir_conn *out, char *err, size_t err_len)
{
	size_t i, used = 0;
	int r = HOSTIAM_ERR_UNAVAILABLE;

	err[0] = '\0';
	if (prefer && *prefer) {
		r = try_uri(prefer, d, out, err, err_len, &used);
		if (r == 0 || local_failure(r))
			return r;
	}
	for (i = 0; i < d->uris.n; i++) {
		if (prefer && strcmp(d->uris.items[i], prefer) == 0)
			continue;
		r = try_uri(d->uris.items[i], d, out, err, err_len, &used);
		if (r == 0 || local_failure(r))
			return r;
	}
	if (d->uris.n == 0)
		snprintf(err, err_len, "no directory.uri configured");
	return r;
}

int dir_conn_open_uri(const struct hostiam_directory_config *d, const char *uri,
		      struct dir_conn *out, char *why, size_t why_len)
{
	LDAP *ld = NULL;
	int r = open_one(uri, d, &ld, why, why_len);

	if (r == 0) {
		out->ld = ld;
		snprintf(out->uri, sizeof(out->uri), "%s", uri);
	}
	return r;
}

/* The address of the peer of ld's socket in *a; false when there is none to read. */
static bool peer_of(LDAP *ld, struct sockaddr_storage *a, socklen_t *len)
{
	int fd = -1;

	*len = sizeof(*a);
	return ld && ldap_get_option(ld, LDAP_OPT_DESC, &fd) == LDAP_OPT_SUCCESS && fd >= 0 &&
		getpeername(fd, (struct sockaddr *)a, len) == 0;
}

bool dir_conn_same_server(const struct dir_conn *a, const struct dir_conn *b)
{
	struct sockaddr_storage x, y;
	socklen_t nx, ny;

	if (strcmp(a->uri, b->uri) != 0 || !peer_of(a->ld, &x, &nx) || !peer_of(b->ld, &y, &ny))
		return false;
	/* ldapi:// has no address worth comparing: the same socket path is the same server. */
	if (x.ss_family == AF_UNIX && y.ss_family == AF_UNIX)
		return true;
	return nx == ny && memcmp(&x, &y, nx) == 0;
}

int dir_conn_open(const struct hostiam_directory_config *d, struct dir_conn *out, char *err,
		  size_t err_len)
{
	return dir_conn_open_prefer(d, NULL, out, err, err_len);
}

/* Unbind and forget the connection. */
void dir_conn_close(struct dir_conn *c)
{
	if (c->ld)
		ldap_unbind_ext(c->ld, NULL, NULL);
	c->ld = NULL;
}

/* The socket of the connection, or -1. */
int dir_conn_fd(const struct dir_conn *c)
{
	int fd = -1;

	if (!c->ld || ldap_get_option(c->ld, LDAP_OPT_DESC, &fd) != LDAP_OPT_SUCCESS)
		return -1;
	return fd;
}
