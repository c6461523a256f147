/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * One operation of the password helper on a bound connection: sent, then waited for under
 * one deadline (libldap's own timeout restarts with every byte a server trickles; the
 * deadline cuts the socket), and its result read with the password policy response
 * control (draft-behera; OpenLDAP ppolicy) when the server sent one.
 */
#ifndef HOSTIAM_DIR_USER_OP_H
#define HOSTIAM_DIR_USER_OP_H

#include <ldap.h>
#include <stdbool.h>
#include <stddef.h>

/* What the server answered to one operation. */
struct dir_user_answer {
	int rc;                           /* the LDAP result code */
	char diag[256];                   /* its diagnostic message, "" for none */
	bool pp_present;                  /* a password policy response came with it */
	int pp_expire;                    /* timeBeforeExpiration, seconds, or -1 */
	int pp_grace;                     /* graceAuthNsRemaining, or -1 */
	LDAPPasswordPolicyError pp_error; /* PP_noError when none */
};

/*
 * Wait for the result of msgid (all of it: a search's entries come chained) for at most
 * timeout seconds. Returns 0 and *res (free with ldap_msgfree), or HOSTIAM_ERR_TIMEOUT /
 * HOSTIAM_ERR_UNAVAILABLE (the server did not answer in time or the connection broke) /
 * HOSTIAM_ERR_SYSTEM (no deadline thread), with a one-line reason in err.
 */
int dir_user_wait(LDAP *ld, int msgid, int timeout, LDAPMessage **res, char *err, size_t err_len);

/* The result code, diagnostic and password policy response of res into *out. 0, or
 * HOSTIAM_ERR_DIRECTORY when res cannot be parsed. */
int dir_user_answer_read(LDAP *ld, LDAPMessage *res, struct dir_user_answer *out);

/* A NULL-terminated control list with a new password policy request control, into ctrls[2];
 * free ctrls[0] with ldap_control_free. 0 or HOSTIAM_ERR_NOMEM. */
int dir_user_ppolicy_request(LDAP *ld, LDAPControl *ctrls[2]);

#endif
