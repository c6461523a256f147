/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The elevation commands in directory mode (directory.grants): a session bound as the
 * user who runs the command, with their own directory password, and on it the one change
 * they make under directory.grants.base: add their request, or set a request's status
 * (and, for an approval, approver and window). The directory's ACL and the server's
 * creatorsName / modifiersName then say who did it, which every host's agent checks.
 */
#ifndef HOSTIAM_GRANTS_DIROP_H
#define HOSTIAM_GRANTS_DIROP_H

#include <stddef.h>

#include "dir_conn.h"
#include "grants.h"

struct grants_dirop {
	struct dir_conn conn;
	const struct hostiam_directory_config *d;
};

/*
 * Connect to the first server of d->uris to which a password may travel (TLS, ldapi:// or
 * this machine), find user's entry (with the agent's bind; the name escaped), and bind as
 * it with password, each step within d->timeout. Returns 0 with *s bound, or HOSTIAM_ERR_INVALID_ARG (wrong password, or the account locked or
 * expired: the server's word in err), HOSTIAM_ERR_NOT_FOUND (no entry), HOSTIAM_ERR_TIMEOUT
 * / HOSTIAM_ERR_UNAVAILABLE / HOSTIAM_ERR_TLS (no server answered), HOSTIAM_ERR_CONFIG (no
 * server to which the password may go), or another error; err says why in one line. The
 * password is not copied.
 */
int grants_dirop_open(const struct hostiam_directory_config *d, const char *user,
		      const char *password, struct grants_dirop *s, char *err, size_t err_len);

/*
 * Read the grant cn=ID under d->grants_base into *g (requested = the entry's
 * createTimestamp). HOSTIAM_ERR_NOT_FOUND when there is none ("no grant ID" in err).
 */
int grants_dirop_read(struct grants_dirop *s, unsigned long id, struct hostiam_grant *g, char *err,
		      size_t err_len);

/*
 * The grants under the base whose requester and role are these (escaped in the filter),
 * into *out (free with hostiam_grant_list_free), entries hostiam cannot read left out: for
 * the rule of one open request per requester and role. 0, or an error with err.
 */
int grants_dirop_list(struct grants_dirop *s, const char *requester, const char *role,
		      struct hostiam_grant_list *out, char *err, size_t err_len);

/*
 * Add g (pending: requester, role, duration, reason) as a new entry under the base, with a
 * random free number as its cn, into g->id. HOSTIAM_ERR_DIRECTORY when the server refused
 * ("the directory refused: ..." in err).
 */
int grants_dirop_add(struct grants_dirop *s, struct hostiam_grant *g, char *err, size_t err_len);

/*
 * Write g's status (approved, denied or revoked) to cn=g->id, with approver, notBefore and
 * notAfter (GeneralizedTime, UTC) when approved. Errors as grants_dirop_add.
 */
int grants_dirop_set(struct grants_dirop *s, const struct hostiam_grant *g, char *err,
		     size_t err_len);

/* Unbind (safe on a closed session). */
void grants_dirop_close(struct grants_dirop *s);

#endif
