/* SPDX-License-Identifier: BSD-2-Clause */
/* The `mfa` section: TOTP parameters and failure limits. */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "config_internal.h"

#define M(field) offsetof(struct hostiam_mfa_config, field)

/* The cap of lockout escalation when the file does not set one: a day. */
#define MFA_LOCKOUT_MAX_DEFAULT 86400

static const struct cfg_enum algorithms[] = {
	{ "sha1", HOSTIAM_TOTP_SHA1 },
	{ "sha256", HOSTIAM_TOTP_SHA256 },
	{ "sha512", HOSTIAM_TOTP_SHA512 },
	{ NULL, 0 },
};

const struct cfg_key cfg_mfa_keys[] = {
	{ "issuer", CFG_STRING, cfg_parse_string, M(issuer), 0, 0, NULL, NULL },
	{ "algorithm", CFG_STRING, cfg_parse_enum, M(algorithm), 0, 0, algorithms, NULL },
	{ "digits", CFG_INT, cfg_parse_int, M(digits), 6, 8, NULL, NULL },
	{ "period", CFG_INT, cfg_parse_int, M(period), 1, 300, NULL, NULL },
	{ "window", CFG_INT, cfg_parse_int, M(window), 0, 10, NULL, NULL },
	{ "max_failures", CFG_INT, cfg_parse_int, M(max_failures), 1, INT32_MAX, NULL, NULL },
	{ "lockout", CFG_INT, cfg_parse_int, M(lockout), 0, INT32_MAX, NULL, NULL },
	{ "lockout_max", CFG_INT, cfg_parse_int, M(lockout_max), 0, INT32_MAX, NULL, NULL },
	{ NULL, 0, NULL, 0, 0, 0, NULL, NULL },
};

/* Defaults that need no allocation. */
void cfg_mfa_defaults(struct hostiam_mfa_config *m)
{
	m->algorithm = HOSTIAM_TOTP_SHA1;
	m->digits = 6;
	m->period = 30;
	m->window = 1;
	m->max_failures = 5;
	m->lockout = 300;
	m->lockout_max = -1; /* not set: see cfg_mfa_finish */
}

/* Escalation is capped at lockout_max, which must not be shorter than the first lockout. */
static void finish_lockout_max(struct cfg_ctx *ctx, const config_setting_t *s,
			       struct hostiam_mfa_config *m)
{
	const config_setting_t *key = s ? config_setting_get_member(s, "lockout_max") : NULL;

	if (m->lockout_max < 0) {
		/* Unset: a day, or the first lockout when an older file made that longer. */
		m->lockout_max = m->lockout > MFA_LOCKOUT_MAX_DEFAULT ? m->lockout :
									MFA_LOCKOUT_MAX_DEFAULT;
		return;
	}
	if (key != NULL && m->lockout_max < m->lockout)
		cfg_error(ctx, key, "must be at least lockout (%d)", m->lockout);
}

/*
 * The cross-key check of lockout_max; the issuer defaults to the host name, so
 * authenticator apps show which host a code is for.
 */
void cfg_mfa_finish(struct cfg_ctx *ctx, const config_setting_t *s, struct hostiam_mfa_config *m)
{
	char host[256];

	finish_lockout_max(ctx, s, m);
	if (m->issuer)
		return;
	if (gethostname(host, sizeof(host)) < 0 || host[0] == '\0')
		snprintf(host, sizeof(host), "localhost");
	host[sizeof(host) - 1] = '\0';
	m->issuer = cfg_strdup(ctx, host);
}
