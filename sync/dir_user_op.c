/* SPDX-License-Identifier: BSD-2-Clause */
/* One operation of the password helper, waited for under a deadline and its answer read. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "dir_conn.h"
#include "dir_user_op.h"
#include "errors.h"
#include "sync_watchdog.h"

int dir_user_wait(LDAP *ld, int msgid, int timeout, LDAPMessage **res, char *err, size_t err_len)
{
	struct timeval tv = { .tv_sec = timeout > 0 ? timeout : 1, .tv_usec = 0 };
	struct sync_deadline dl;
	int fd = -1, rc, code = LDAP_SERVER_DOWN;
	bool cut;

	*res = NULL;
	if (sync_deadline_start(&dl, (int)tv.tv_sec) < 0) {
		snprintf(err, err_len, "cannot bound the operation by directory.timeout");
		return HOSTIAM_ERR_SYSTEM;
	}
	if (ldap_get_option(ld, LDAP_OPT_DESC, &fd) == LDAP_OPT_SUCCESS && fd >= 0)
		sync_deadline_watch(&dl, fd);
	rc = ldap_result(ld, msgid, LDAP_MSG_ALL, &tv, res);
	cut = sync_deadline_end(&dl);
	if (rc > 0 && !cut)
		return 0;
	ldap_msgfree(*res);
	*res = NULL;
	if (rc == 0 || cut) {
		snprintf(err, err_len, "no answer within %ld s", (long)tv.tv_sec);
		return HOSTIAM_ERR_TIMEOUT;
	}
	ldap_get_option(ld, LDAP_OPT_RESULT_CODE, &code);
	dir_conn_describe(ld, code, err, err_len);
	return dir_conn_map_error(code) == HOSTIAM_ERR_TIMEOUT ? HOSTIAM_ERR_TIMEOUT :
								 HOSTIAM_ERR_UNAVAILABLE;
}

/* The password policy response among ctrls, if any, into out. */
static void read_ppolicy(LDAP *ld, LDAPControl **ctrls, struct dir_user_answer *out)
{
	LDAPControl *c = ldap_control_find(LDAP_CONTROL_PASSWORDPOLICYRESPONSE, ctrls, NULL);
	ber_int_t expire = -1, grace = -1;
	LDAPPasswordPolicyError error = PP_noError;

	out->pp_present = false;
	out->pp_expire = -1;
	out->pp_grace = -1;
	out->pp_error = PP_noError;
	if (c == NULL ||
	    ldap_parse_passwordpolicy_control(ld, c, &expire, &grace, &error) != LDAP_SUCCESS)
		return;
	out->pp_present = true;
	out->pp_expire = expire;
	out->pp_grace = grace;
	out->pp_error = error;
}

int dir_user_answer_read(LDAP *ld, LDAPMessage *res, struct dir_user_answer *out)
{
	LDAPControl **ctrls = NULL;
	char *diag = NULL;
	int rc = LDAP_OTHER;

	memset(out, 0, sizeof(*out));
	if (ldap_parse_result(ld, res, &rc, NULL, &diag, NULL, &ctrls, 0) != LDAP_SUCCESS)
		return HOSTIAM_ERR_DIRECTORY;
	out->rc = rc;
	snprintf(out->diag, sizeof(out->diag), "%s", diag ? diag : "");
	read_ppolicy(ld, ctrls, out);
	ldap_memfree(diag);
	ldap_controls_free(ctrls);
	return 0;
}

int dir_user_ppolicy_request(LDAP *ld, LDAPControl *ctrls[2])
{
	ctrls[0] = NULL;
	ctrls[1] = NULL;
	if (ldap_create_passwordpolicy_control(ld, &ctrls[0]) != LDAP_SUCCESS)
		return HOSTIAM_ERR_NOMEM;
	return 0;
}
