/* The `mfa` section: TOTP parameters and failure limits. */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "config_internal.h"

#define M(field) offsetof(struct hostiam_mfa_config, field)

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
}

/* The issuer defaults to the host name, so authenticator apps show which host a code is for. */
void cfg_mfa_finish(struct cfg_ctx *ctx, struct hostiam_mfa_config *m)
{
	char host[256];

	if (m->issuer)
		return;
	if (gethostname(host, sizeof(host)) < 0 || host[0] == '\0')
		snprintf(host, sizeof(host), "localhost");
	host[sizeof(host) - 1] = '\0';
	m->issuer = cfg_strdup(ctx, host);
}
