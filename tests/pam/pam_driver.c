/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * pam_driver: run one PAM transaction through the real libpam with a service directory of
 * the test's own (pam_start_confdir), and print what happened, for test_pam_stack.sh.
 *
 *   pam_driver [-r RHOST] [-t TTY] [-q] [-a ANSWER]... [-c MODE] [-D]
 *              CONFDIR SERVICE USER OP...
 *
 * OP is auth, setcred, account, open or close (pam_authenticate, pam_setcred,
 * pam_acct_mgmt, pam_open_session, pam_close_session), or user=NAME (pam_set_item of
 * PAM_USER, as an application switching users would), run in order on one handle; -q
 * passes PAM_SILENT. Every message the modules send is printed as "error: TEXT" or
 * "info: TEXT", every prompt as "prompt: TEXT", every result as "OP: PAM_CODE_NAME".
 * Prompts get the -a answers in order (never printed); a prompt with no answer left fails
 * the conversation. -c makes the conversation misbehave:
 *   none       no conversation function at all (conv == NULL)
 *   fail       prompts fail with PAM_CONV_ERR
 *   fail-resp  prompts fail with PAM_CONV_ERR, yet the reply (-a) is handed over
 *   null       success, but no response array
 *   null-text  success, a response whose text is NULL
 *   huge       the answer is 1 MiB of digits
 * libpam's failure delay goes to a function of the driver (no test ever sleeps); -D prints
 * "delay: requested" when a failing operation asked for one. Exit status 0 when the
 * transaction ran (whatever the results), 2 for usage or setup errors.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <security/pam_appl.h>

#define MAX_ANSWERS 8
#define HUGE_ANSWER (1024 * 1024)

/* How the conversation behaves (-a, -c) and what the delay hook prints (-D). */
struct driver_conv {
	const char *answers[MAX_ANSWERS];
	int n_answers;
	int next;
	const char *mode; /* -c MODE, or NULL for a well-behaved conversation */
	int show_delay;
};

struct code_name {
	int code;
	const char *name;
};

static const struct code_name code_names[] = {
	{ PAM_SUCCESS, "PAM_SUCCESS" },           { PAM_PERM_DENIED, "PAM_PERM_DENIED" },
	{ PAM_AUTH_ERR, "PAM_AUTH_ERR" },         { PAM_USER_UNKNOWN, "PAM_USER_UNKNOWN" },
	{ PAM_SYSTEM_ERR, "PAM_SYSTEM_ERR" },     { PAM_BUF_ERR, "PAM_BUF_ERR" },
	{ PAM_SESSION_ERR, "PAM_SESSION_ERR" },   { PAM_IGNORE, "PAM_IGNORE" },
	{ PAM_INCOMPLETE, "PAM_INCOMPLETE" },     { PAM_CONV_ERR, "PAM_CONV_ERR" },
	{ PAM_SERVICE_ERR, "PAM_SERVICE_ERR" },   { PAM_OPEN_ERR, "PAM_OPEN_ERR" },
	{ PAM_SYMBOL_ERR, "PAM_SYMBOL_ERR" },     { PAM_MODULE_UNKNOWN, "PAM_MODULE_UNKNOWN" },
	{ PAM_ACCT_EXPIRED, "PAM_ACCT_EXPIRED" }, { PAM_NEW_AUTHTOK_REQD, "PAM_NEW_AUTHTOK_REQD" },
	{ PAM_CRED_ERR, "PAM_CRED_ERR" },         { PAM_ABORT, "PAM_ABORT" },
};

/* The symbolic name of a PAM code, or its number. */
static const char *code_name(int code, char *buf, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(code_names) / sizeof(code_names[0]); i++)
		if (code_names[i].code == code)
			return code_names[i].name;
	snprintf(buf, len, "PAM_%d", code);
	return buf;
}

/* The reply to one prompt: the next answer, 1 MiB of digits for -c huge, NULL if none. */
static char *answer(struct driver_conv *dc)
{
	char *big;

	if (dc->mode != NULL && strcmp(dc->mode, "huge") == 0) {
		if ((big = malloc(HUGE_ANSWER + 1)) == NULL)
			return NULL;
		memset(big, '1', HUGE_ANSWER);
		big[HUGE_ANSWER] = '\0';
		return big;
	}
	if (dc->next >= dc->n_answers)
		return NULL;
	return strdup(dc->answers[dc->next++]);
}

/* Free a response array of n entries. */
static void free_responses(struct pam_response *r, int n)
{
	int i;

	for (i = 0; i < n; i++)
		free(r[i].resp);
	free(r);
}

/* A misbehaving conversation after the messages were printed (-c); -1 to behave. */
static int misbehave(const struct driver_conv *dc, int n, struct pam_response *r,
		     struct pam_response **resp)
{
	if (dc->mode == NULL || strcmp(dc->mode, "huge") == 0)
		return -1;
	if (strcmp(dc->mode, "fail-resp") == 0) {
		*resp = r;
		return PAM_CONV_ERR;
	}
	if (strcmp(dc->mode, "null") == 0) {
		free_responses(r, n);
		*resp = NULL;
		return PAM_SUCCESS;
	}
	if (strcmp(dc->mode, "null-text") == 0) {
		int i;

		for (i = 0; i < n; i++) {
			free(r[i].resp);
			r[i].resp = NULL;
		}
		*resp = r;
		return PAM_SUCCESS;
	}
	free_responses(r, n);
	return PAM_CONV_ERR;
}

/* Conversation: print messages and prompts, answer prompts from -a, misbehave as -c says. */
static int conv(int n, const struct pam_message **msg, struct pam_response **resp, void *data)
{
	struct driver_conv *dc = data;
	struct pam_response *r;
	int i, rc;

	if (n <= 0)
		return PAM_CONV_ERR;
	r = calloc((size_t)n, sizeof(*r));
	if (r == NULL)
		return PAM_BUF_ERR;
	for (i = 0; i < n; i++) {
		switch (msg[i]->msg_style) {
		case PAM_ERROR_MSG:
			printf("error: %s\n", msg[i]->msg);
			break;
		case PAM_TEXT_INFO:
			printf("info: %s\n", msg[i]->msg);
			break;
		default:
			printf("prompt: %s\n", msg[i]->msg);
			r[i].resp = answer(dc);
			if (r[i].resp == NULL) {
				free_responses(r, n);
				return PAM_CONV_ERR;
			}
			break;
		}
	}
	fflush(stdout);
	if ((rc = misbehave(dc, n, r, resp)) >= 0)
		return rc;
	*resp = r;
	return PAM_SUCCESS;
}

/* libpam's failure delay: never sleep; with -D, say that a failure asked for one. */
static void delay_fn(int status, unsigned int usec, void *data)
{
	const struct driver_conv *dc = data;

	if (dc != NULL && dc->show_delay && status != PAM_SUCCESS && usec > 0)
		printf("delay: requested\n");
}

/* Run one operation by name; -1 for an unknown name. */
static int run_op(pam_handle_t *pamh, const char *op, int flags)
{
	if (strcmp(op, "auth") == 0)
		return pam_authenticate(pamh, flags);
	if (strcmp(op, "setcred") == 0)
		return pam_setcred(pamh, flags | PAM_ESTABLISH_CRED);
	if (strcmp(op, "account") == 0)
		return pam_acct_mgmt(pamh, flags);
	if (strcmp(op, "open") == 0)
		return pam_open_session(pamh, flags);
	if (strcmp(op, "close") == 0)
		return pam_close_session(pamh, flags);
	if (strncmp(op, "user=", 5) == 0)
		return pam_set_item(pamh, PAM_USER, op + 5);
	return -1;
}

/* Say how to call the driver and exit 2. */
static void usage(void)
{
	fprintf(stderr,
		"usage: pam_driver [-r RHOST] [-t TTY] [-q] [-a ANSWER]... [-c MODE] [-D] "
		"CONFDIR SERVICE USER OP...\n");
	exit(2);
}

/* Set an item given on the command line, if any. */
static int set_item(pam_handle_t *pamh, int type, const char *value)
{
	return value == NULL ? PAM_SUCCESS : pam_set_item(pamh, type, value);
}

/* Start one transaction, set the items, run the operations in order, end it. */
int main(int argc, char **argv)
{
	static struct driver_conv dc;
	struct pam_conv pc = { conv, &dc };
	const char *rhost = NULL, *tty = NULL;
	pam_handle_t *pamh = NULL;
	int flags = 0, opt, rc, last = PAM_SUCCESS, i;
	char buf[32];

	while ((opt = getopt(argc, argv, "r:t:qa:c:D")) != -1) {
		switch (opt) {
		case 'r':
			rhost = optarg;
			break;
		case 't':
			tty = optarg;
			break;
		case 'q':
			flags |= PAM_SILENT;
			break;
		case 'a':
			if (dc.n_answers == MAX_ANSWERS)
				usage();
			dc.answers[dc.n_answers++] = optarg;
			break;
		case 'c':
			dc.mode = optarg;
			break;
		case 'D':
			dc.show_delay = 1;
			break;
		default:
			usage();
		}
	}
	if (dc.mode != NULL && strcmp(dc.mode, "none") == 0)
		pc.conv = NULL;
	if (argc - optind < 4)
		usage();
	rc = pam_start_confdir(argv[optind + 1], argv[optind + 2], &pc, argv[optind], &pamh);
	if (rc != PAM_SUCCESS) {
		fprintf(stderr, "pam_start_confdir: %s\n", code_name(rc, buf, sizeof(buf)));
		return 2;
	}
	if (set_item(pamh, PAM_RHOST, rhost) != PAM_SUCCESS ||
	    set_item(pamh, PAM_TTY, tty) != PAM_SUCCESS ||
	    pam_set_item(pamh, PAM_FAIL_DELAY, (const void *)delay_fn) != PAM_SUCCESS) {
		fprintf(stderr, "pam_set_item failed\n");
		pam_end(pamh, PAM_SYSTEM_ERR);
		return 2;
	}
	for (i = optind + 3; i < argc; i++) {
		last = run_op(pamh, argv[i], flags);
		if (last == -1) {
			fprintf(stderr, "unknown operation %s\n", argv[i]);
			pam_end(pamh, PAM_SYSTEM_ERR);
			return 2;
		}
		printf("%s: %s\n", argv[i], code_name(last, buf, sizeof(buf)));
		fflush(stdout);
	}
	pam_end(pamh, last);
	return 0;
}
