/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A bound connection to the first directory server that works: the uri list tried in
 * order, LDAPv3, referrals off, certificates always verified (ldaps:// or StartTLS),
 * anonymous or simple bind from bind_password_file. Connect, TLS and bind to one server
 * are one operation: done within directory.timeout of its start, or HOSTIAM_ERR_TIMEOUT.
 */
#ifndef HOSTIAM_DIR_CONN_H
#define HOSTIAM_DIR_CONN_H

#include <ldap.h>
#include <stdbool.h>
#include <stddef.h>

#include "configuration.h"

struct dir_conn {
	LDAP *ld;
	char uri[256]; /* the server that answered */
};

/*
 * Connect and bind to the first server of d->uris that works. Each failure is logged with
 * its server; when all fail, err gets one line naming every server and why. Returns 0 and
 * fills *out, or HOSTIAM_ERR_UNAVAILABLE (nothing reachable), HOSTIAM_ERR_TLS (the last
 * failure was a certificate or TLS error), HOSTIAM_ERR_DIRECTORY (bind refused),
 * HOSTIAM_ERR_INSECURE_FILE / HOSTIAM_ERR_SYSTEM (the password file; no server is tried).
 */
int dir_conn_open(const struct hostiam_directory_config *d, struct dir_conn *out, char *err,
		  size_t err_len);

/* The same, trying prefer (one of d->uris, or NULL) before the others, in order. */
int dir_conn_open_prefer(const struct hostiam_directory_config *d, const char *prefer,
			 struct dir_conn *out, char *err, size_t err_len);

/*
 * Connect and bind to uri alone (no other server, nothing logged): 0 and *out, or a
 * HOSTIAM_ERR_* with the reason in why.
 */
int dir_conn_open_uri(const struct hostiam_directory_config *d, const char *uri,
		      struct dir_conn *out, char *why, size_t why_len);

/*
 * True when a and b are open to the same server: the same URI and the same peer address
 * (a name that resolves to several replicas may give two connections two of them).
 */
bool dir_conn_same_server(const struct dir_conn *a, const struct dir_conn *b);

/* Unbind and forget the connection (safe on a closed one). */
void dir_conn_close(struct dir_conn *c);

/* The socket of the connection, or -1. */
int dir_conn_fd(const struct dir_conn *c);

/* A HOSTIAM_ERR_* for an LDAP result code. */
int dir_conn_map_error(int ldap_rc);

/* "RESULT: DIAGNOSTIC" for the last failure on ld into buf (diagnostic may be empty). */
void dir_conn_describe(LDAP *ld, int ldap_rc, char *buf, size_t len);

#endif
