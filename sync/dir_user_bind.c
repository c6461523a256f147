/* SPDX-License-Identifier: BSD-2-Clause */
/* Binding as a user and changing their password, with the password policy controls. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "dir_conn.h"
#include "dir_user_bind.h"
#include "dir_user_op.h"
#include "errors.h"

/*
 * Active Directory says why a bind failed in the diagnostic: "..., data 775, ..." (see
 * MS-ADTS: 775 locked, 533 disabled, 701 account expired, 532 password expired, 773 must
 * reset). The result for its code, or -1.
 */
static int ad_reason(const char *diag)
{
	static const struct {
		const char *code;
		enum hostiam_auth_result result;
	} codes[] = {
		{ "data 775,", HOSTIAM_AUTH_LOCKED },  { "data 533,", HOSTIAM_AUTH_LOCKED },
		{ "data 701,", HOSTIAM_AUTH_LOCKED },  { "data 532,", HOSTIAM_AUTH_EXPIRED },
		{ "data 773,", HOSTIAM_AUTH_EXPIRED },
	};

	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		if (strstr(diag, codes[i].code) != NULL)
			return (int)codes[i].result;
	return -1;
}

/* The server's message, or the policy error's text when it said nothing. */
static void set_reason(struct hostiam_auth_reply *out, const struct dir_user_answer *a)
{
	if (a->diag[0] != '\0')
		hostiam_auth_reply_set_message(out, a->diag);
	else if (a->pp_error != PP_noError)
		hostiam_auth_reply_set_message(out, ldap_passwordpolicy_err2txt(a->pp_error));
	else
		hostiam_auth_reply_set_message(out, ldap_err2string(a->rc));
}

/* A successful bind: ok, with what the policy response says about the password. */
static void bind_ok(struct hostiam_auth_reply *out, const struct dir_user_answer *a)
{
	hostiam_auth_reply_init(out, HOSTIAM_AUTH_OK);
	if (a->pp_expire >= 0)
		out->expires_in = a->pp_expire;
	/* a grace login: the password has expired, it must be changed now */
	if (a->pp_grace >= 0) {
		out->grace = a->pp_grace;
		out->must_change = true;
	}
	if (a->pp_error == PP_changeAfterReset)
		out->must_change = true;
}

/* The reply for a bind the server answered. */
static void bind_reply(const struct dir_user_answer *a, struct hostiam_auth_reply *out)
{
	int ad;

	if (a->rc == LDAP_SUCCESS) {
		bind_ok(out, a);
		return;
	}
	if (a->pp_error == PP_accountLocked)
		hostiam_auth_reply_init(out, HOSTIAM_AUTH_LOCKED);
	else if (a->pp_error == PP_passwordExpired)
		hostiam_auth_reply_init(out, HOSTIAM_AUTH_EXPIRED);
	else if (a->rc == LDAP_INVALID_CREDENTIALS && (ad = ad_reason(a->diag)) >= 0)
		hostiam_auth_reply_init(out, (enum hostiam_auth_result)ad);
	else if (a->rc == LDAP_INVALID_CREDENTIALS)
		hostiam_auth_reply_init(out, HOSTIAM_AUTH_WRONG);
	/* 389-DS refuses an entry with nsAccountLock: TRUE so ("Account inactivated...") */
	else if (a->rc == LDAP_UNWILLING_TO_PERFORM)
		hostiam_auth_reply_init(out, HOSTIAM_AUTH_LOCKED);
	else
		hostiam_auth_reply_init(out, HOSTIAM_AUTH_ERROR);
	if (out->result != HOSTIAM_AUTH_WRONG || a->diag[0] != '\0')
		set_reason(out, a);
}

/*
 * One operation with the password policy request control, and its answer within timeout
 * seconds: a bind as dn with pw, or with newpw a change from pw to newpw as the bound user.
 * The reason in err when the server gave no answer.
 */
static int run_op(LDAP *ld, const char *dn, struct berval *pw, struct berval *newpw, int timeout,
		  struct dir_user_answer *a, char *err, size_t err_len)
{
	LDAPControl *ctrls[2];
	LDAPMessage *res = NULL;
	int msgid = -1, rc, r;

	if ((r = dir_user_ppolicy_request(ld, ctrls)) < 0) {
		snprintf(err, err_len, "out of memory");
		return r;
	}
	if (newpw == NULL)
		rc = ldap_sasl_bind(ld, dn, LDAP_SASL_SIMPLE, pw, ctrls, NULL, &msgid);
	else
		rc = ldap_passwd(ld, NULL, pw, newpw, ctrls, NULL, &msgid);
	ldap_control_free(ctrls[0]);
	if (rc != LDAP_SUCCESS) {
		dir_conn_describe(ld, rc, err, err_len);
		return dir_conn_map_error(rc) == 0 ? HOSTIAM_ERR_DIRECTORY : dir_conn_map_error(rc);
	}
	r = dir_user_wait(ld, msgid, timeout, &res, err, err_len);
	if (r == 0 && (r = dir_user_answer_read(ld, res, a)) < 0)
		snprintf(err, err_len, "cannot read the server's answer");
	ldap_msgfree(res);
	return r;
}

int dir_user_bind(LDAP *ld, const char *dn, const char *password, int timeout,
		  struct hostiam_auth_reply *out, char *err, size_t err_len)
{
	struct berval cred = { strlen(password), (char *)password };
	struct dir_user_answer a;
	int r = run_op(ld, dn, &cred, NULL, timeout, &a, err, err_len);

	if (r == 0)
		bind_reply(&a, out);
	return r;
}

/* The reply for a password change the server answered. */
static void passwd_reply(const struct dir_user_answer *a, struct hostiam_auth_reply *out)
{
	if (a->rc == LDAP_SUCCESS) {
		hostiam_auth_reply_init(out, HOSTIAM_AUTH_OK);
		return;
	}
	/* slapd: constraintViolation with a policy error; others: insufficientAccess or
	 * unwillingToPerform when users may not change it. All are the directory's "no". */
	if (a->rc == LDAP_CONSTRAINT_VIOLATION || a->rc == LDAP_INSUFFICIENT_ACCESS ||
	    a->rc == LDAP_UNWILLING_TO_PERFORM ||
	    (a->pp_error != PP_noError && a->pp_error != PP_changeAfterReset))
		hostiam_auth_reply_init(out, HOSTIAM_AUTH_REJECTED);
	else
		hostiam_auth_reply_init(out, HOSTIAM_AUTH_ERROR);
	set_reason(out, a);
}

int dir_user_passwd(LDAP *ld, const char *old, const char *new, int timeout,
		    struct hostiam_auth_reply *out, char *err, size_t err_len)
{
	struct berval oldpw = { strlen(old), (char *)old }, newpw = { strlen(new), (char *)new };
	struct dir_user_answer a;
	int r = run_op(ld, NULL, &oldpw, &newpw, timeout, &a, err, err_len);

	if (r == 0)
		passwd_reply(&a, out);
	return r;
}
