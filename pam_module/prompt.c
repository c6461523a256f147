/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The questions the module asks, echo off, through the application's conversation
 * (pam_prompt): the verification code (never through PAM_AUTHTOK, which belongs to the
 * password), and with the `password` option the directory password; echo on, the
 * "accept" of the terms of use (terms.c). Replies are wiped and freed on every path.
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

/* Ask prompt in style (echo off/on); *resp: the reply (PAM_SUCCESS) or NULL (PAM_CONV_ERR). */
static int ask(pam_handle_t *pamh, int style, const char *prompt, const char *what, char **resp)
{
	int rc;

	*resp = NULL;
	if (!have_conversation(pamh)) {
		hostiam_log(LOG_ERR, "no conversation function: cannot ask for the %s", what);
		return PAM_CONV_ERR;
	}
	rc = pam_prompt(pamh, style, resp, "%s", prompt);
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
	int rc = ask(pamh, PAM_PROMPT_ECHO_OFF, prompt, "password", reply);

	if (rc == PAM_SUCCESS && strlen(*reply) > HOSTIAM_PASSWORD_MAX) {
		pam_hostiam_reply_free(*reply);
		*reply = NULL;
		return PAM_AUTHTOK_ERR;
	}
	return rc;
}

/* The reply without surrounding whitespace (trailing bytes cut in place). */
static const char *trim(char *resp)
{
	char *start = resp, *end;

	while (is_space(*start))
		start++;
	end = start + strlen(start);
	while (end > start && is_space(end[-1]))
		*--end = '\0';
	return start;
}

/* See pam_hostiam.h. */
bool pam_hostiam_can_converse(pam_handle_t *pamh)
{
	return have_conversation(pamh);
}

/* A question whose answer may be seen (echo on); see pam_hostiam.h. */
int pam_hostiam_ask_visible(pam_handle_t *pamh, const char *prompt, char **reply,
			    const char **answer)
{
	int rc;

	*answer = NULL;
	if ((rc = ask(pamh, PAM_PROMPT_ECHO_ON, prompt, "answer", reply)) != PAM_SUCCESS)
		return rc;
	*answer = trim(*reply);
	return PAM_SUCCESS;
}

/* Ask for the code; see pam_hostiam.h for what the caller gets. */
int pam_hostiam_ask_code(pam_handle_t *pamh, char **reply, const char **code)
{
	int rc;

	*code = NULL;
	if ((rc = ask(pamh, PAM_PROMPT_ECHO_OFF, HOSTIAM_PAM_PROMPT, "code", reply)) != PAM_SUCCESS)
		return rc;
	*code = trim(*reply);
	return PAM_SUCCESS;
}
