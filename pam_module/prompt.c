/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The questions the module asks, echo off, through the application's conversation
 * (pam_prompt): the verification code (never through PAM_AUTHTOK, which belongs to the
 * password), and with the `password` option the directory password. Replies are wiped
 * and freed on every path.
 */
#include "config.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include <security/pam_ext.h>

#include "log.h"
#include "pam_hostiam.h"
#include "password.h"

/* Whitespace as the C locale has it, without depending on the process's locale. */
static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* Wipe every byte of the reply, then free it. */
void pam_hostiam_reply_free(char *reply)
{
	if (reply == NULL)
		return;
	explicit_bzero(reply, strlen(reply));
	free(reply);
}

/* Is there a conversation function to call? pam_prompt would say PAM_SYSTEM_ERR. */
static bool have_conversation(pam_handle_t *pamh)
{
	const void *item = NULL;
	const struct pam_conv *conv;

	if (pam_get_item(pamh, PAM_CONV, &item) != PAM_SUCCESS || item == NULL)
		return false;
	conv = item;
	return conv->conv != NULL;
}

/* Ask prompt, echo off; *resp is the reply (PAM_SUCCESS) or NULL (PAM_CONV_ERR). */
static int ask_hidden(pam_handle_t *pamh, const char *prompt, const char *what, char **resp)
{
	int rc;

	*resp = NULL;
	if (!have_conversation(pamh)) {
		hostiam_log(LOG_ERR, "no conversation function: cannot ask for the %s", what);
		return PAM_CONV_ERR;
	}
	rc = pam_prompt(pamh, PAM_PROMPT_ECHO_OFF, resp, "%s", prompt);
	if (rc != PAM_SUCCESS || *resp == NULL) {
		/* A failed conversation may still have handed over a reply: it is wiped too. */
		pam_hostiam_reply_free(*resp);
		*resp = NULL;
		/* libpam logs a failed conversation itself; an empty-handed success it does not. */
		if (rc == PAM_SUCCESS)
			hostiam_log(LOG_ERR, "conversation gave no reply");
		return PAM_CONV_ERR;
	}
	return PAM_SUCCESS;
}

/* A password, as typed (no stripping: blanks may be part of it); see password.h. */
int pam_hostiam_ask_password(pam_handle_t *pamh, const char *prompt, char **reply)
{
	int rc = ask_hidden(pamh, prompt, "password", reply);

	if (rc == PAM_SUCCESS && strlen(*reply) > HOSTIAM_PASSWORD_MAX) {
		pam_hostiam_reply_free(*reply);
		*reply = NULL;
		return PAM_AUTHTOK_ERR;
	}
	return rc;
}

/* Ask for the code; see pam_hostiam.h for what the caller gets. */
int pam_hostiam_ask_code(pam_handle_t *pamh, char **reply, const char **code)
{
	char *resp = NULL, *start, *end;
	int rc;

	*reply = NULL;
	*code = NULL;
	if ((rc = ask_hidden(pamh, HOSTIAM_PAM_PROMPT, "code", &resp)) != PAM_SUCCESS)
		return rc;
	start = resp;
	while (is_space(*start))
		start++;
	end = start + strlen(start);
	while (end > start && is_space(end[-1]))
		*--end = '\0';
	*reply = resp;
	*code = start;
	return PAM_SUCCESS;
}
