/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * pam_hostiam options (pam_hostiam(8)): config=FILE, debug, password, use_first_pass,
 * try_first_pass, use_authtok, helper=PATH, mkhomedir, umask=OCTAL, mode=OCTAL, skel=DIR.
 * Anything else, or a bad value, is logged and ignored: a typo must not change the
 * decision.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include <security/pam_ext.h>

#include "configuration.h"
#include "pam_hostiam.h"

/* Where a new home's files come from, as for useradd and pam_mkhomedir. */
#define HOSTIAM_PAM_SKEL "/etc/skel"

#ifndef HOSTIAM_AUTH_HELPER
#define HOSTIAM_AUTH_HELPER "/usr/libexec/hostiam/hostiam-auth"
#endif

/* The value of "name=VALUE" in arg, or NULL when arg is not that option or VALUE is empty. */
static const char *value_of(const char *arg, const char *name)
{
	size_t len = strlen(name);

	if (strncmp(arg, name, len) != 0 || arg[len] != '=' || arg[len + 1] == '\0')
		return NULL;
	return arg + len + 1;
}

/* An octal permission mode, 0..0777; false when v is anything else. */
static bool parse_mode(const char *v, unsigned int *out)
{
	char *end;
	unsigned long m = strtoul(v, &end, 8);

	if (*v < '0' || *v > '7' || *end != '\0' || m > 0777)
		return false;
	*out = (unsigned int)m;
	return true;
}

/* Flags without a value; false when arg is none of them. */
static bool parse_flag(const char *arg, struct pam_hostiam_options *opts)
{
	if (strcmp(arg, "debug") == 0)
		opts->debug = true;
	else if (strcmp(arg, "password") == 0)
		opts->password = true;
	else if (strcmp(arg, "use_first_pass") == 0)
		opts->pass_source = PAM_HOSTIAM_PASS_USE;
	else if (strcmp(arg, "try_first_pass") == 0)
		opts->pass_source = PAM_HOSTIAM_PASS_TRY;
	else if (strcmp(arg, "use_authtok") == 0)
		opts->use_authtok = true;
	else if (strcmp(arg, "mkhomedir") == 0)
		opts->mkhomedir = true;
	else
		return false;
	return true;
}

/* Options with a value; false when arg is none of them or its value is bad. */
static bool parse_valued(const char *arg, struct pam_hostiam_options *opts)
{
	const char *v;
	unsigned int m;

	if ((v = value_of(arg, "config")) != NULL)
		opts->config = v;
	else if ((v = value_of(arg, "helper")) != NULL && v[0] == '/')
		opts->helper = v;
	else if ((v = value_of(arg, "mode")) != NULL && parse_mode(v, &m))
		opts->home_mode = m;
	else if ((v = value_of(arg, "umask")) != NULL && parse_mode(v, &m))
		opts->home_mode = 0777 & ~m;
	else if ((v = value_of(arg, "skel")) != NULL && v[0] == '/')
		opts->skel = v;
	else
		return false;
	return true;
}

/* Fill *opts from the module arguments of the stack line. */
void pam_hostiam_options_parse(pam_handle_t *pamh, int argc, const char **argv,
			       struct pam_hostiam_options *opts)
{
	int i;

	memset(opts, 0, sizeof(*opts));
	opts->config = HOSTIAM_DEFAULT_CONFIG;
	opts->pass_source = PAM_HOSTIAM_PASS_ASK;
	opts->helper = HOSTIAM_AUTH_HELPER;
	opts->home_mode = 0700;
	opts->skel = HOSTIAM_PAM_SKEL;
	for (i = 0; i < argc; i++) {
		const char *arg = argv[i];

		if (arg == NULL || parse_flag(arg, opts) || parse_valued(arg, opts))
			continue;
		/* An unknown option must not change the decision: log it, go on. */
		pam_syslog(pamh, LOG_ERR, "unknown option ignored: %s", arg);
	}
}
