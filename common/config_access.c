/* SPDX-License-Identifier: BSD-2-Clause */
/* The `access` section: mode, default decision, break-glass accounts; rules are in config_rule.c. */
#include "config.h"

#include <stddef.h>
#include <stdlib.h>

#include "config_internal.h"
#include "errors.h"
#include "log.h"
#include "tz.h"

#define A(field) offsetof(struct hostiam_access_config, field)

static const struct cfg_enum modes[] = {
	{ "enforce", HOSTIAM_MODE_ENFORCE },
	{ "report", HOSTIAM_MODE_REPORT },
	{ NULL, 0 },
};

const struct cfg_enum cfg_action_values[] = {
	{ "allow", HOSTIAM_ACTION_ALLOW },
	{ "deny", HOSTIAM_ACTION_DENY },
	{ "mfa", HOSTIAM_ACTION_MFA },
	{ NULL, 0 },
};

/* Why a zone could not be used, in words for the administrator. */
static const char *zone_error(int r)
{
	switch (r) {
	case HOSTIAM_ERR_NOT_FOUND:
		return "no such zone file";
	case HOSTIAM_ERR_INSECURE_FILE:
		return "the zone file is not owned by root, or others may write it";
	case HOSTIAM_ERR_INVALID_ARG:
		return "not a valid zone file";
	default:
		return hostiam_strerror(r);
	}
}

/*
 * timezone: a zone under HOSTIAM_TZ_DIR, loaded here so that a bad one is reported on its
 * own line; the policy's clock never follows the TZ of whoever runs sudo or su.
 */
static void parse_timezone(struct cfg_ctx *ctx, const config_setting_t *s, void *base,
			   const struct cfg_key *k)
{
	struct hostiam_access_config *a = base;
	const char *v = config_setting_get_string(s);
	int r;

	if (!hostiam_tz_name_ok(v)) {
		cfg_error(ctx, s, "\"%s\" is not a time zone name such as \"Europe/Madrid\"", v);
		return;
	}
	hostiam_tz_free(a->tz);
	a->tz = NULL;
	r = hostiam_tz_load_named(v, &a->tz);
	if (r == HOSTIAM_ERR_NOMEM)
		cfg_oom(ctx);
	else if (r < 0)
		cfg_error(ctx, s, "unknown time zone \"%s\": %s/%s: %s", v, HOSTIAM_TZ_DIR, v,
			  zone_error(r));
	else
		a->timezone = cfg_strdup(ctx, v);
}

const struct cfg_key cfg_access_keys[] = {
	{ "mode", CFG_STRING, cfg_parse_enum, A(mode), 0, 0, modes, NULL },
	{ "default", CFG_STRING, cfg_parse_enum, A(default_action), 0, 0, cfg_action_values, NULL },
	/* An empty exempt list is allowed: some sites want no break-glass account at all. */
	{ "exempt", CFG_STRINGS, cfg_parse_strings, A(exempt), 0, 0, NULL, NULL },
	/* Empty lists are allowed: then every service may prompt. */
	{ "non_interactive", CFG_STRINGS, cfg_parse_strings, A(non_interactive), 0, 0, NULL, NULL },
	{ "root_switch", CFG_STRINGS, cfg_parse_strings, A(root_switch), 0, 0, NULL, NULL },
	{ "rules", CFG_GROUPS, cfg_parse_rules, 0, 0, 0, NULL, NULL },
	{ "timezone", CFG_STRING, parse_timezone, 0, 0, 0, NULL, NULL },
	{ NULL, 0, NULL, 0, 0, 0, NULL, NULL },
};

/* Defaults that need no allocation. */
void cfg_access_defaults(struct hostiam_access_config *a)
{
	a->mode = HOSTIAM_MODE_ENFORCE;
	a->default_action = HOSTIAM_ACTION_DENY;
}

/* The host's zone; UTC, said in the log, when /etc/localtime is missing or untrusted. */
static void load_host_zone(struct cfg_ctx *ctx, struct hostiam_access_config *a)
{
	int r = hostiam_tz_load_host(&a->tz);

	if (r == 0)
		return;
	if (r != HOSTIAM_ERR_NOMEM) {
		hostiam_log(LOG_NOTICE,
			    "no usable host time zone, the policy's clock is UTC: "
			    "path=%s error=\"%s\"",
			    HOSTIAM_TZ_HOST, zone_error(r));
		r = hostiam_tz_utc(&a->tz);
	}
	if (r < 0)
		cfg_oom(ctx);
}

/*
 * Each enrol_by date ends at the first midnight after it in the policy's zone (a midnight
 * the clocks skip: the moment they jump). One that cannot be computed stays 0, "no grace",
 * which asks for MFA: the closed side.
 */
static void set_enrol_by(const struct hostiam_tz *tz, struct hostiam_rule *r)
{
	static const int mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y = (int)(r->enrol_by_date / 10000), m = (int)(r->enrol_by_date / 100 % 100);
	int d = (int)(r->enrol_by_date % 100) + 1;
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	struct tm tm = { 0 };

	if (m < 1 || m > 12)
		return;
	if (d > mdays[m - 1] + (m == 2 && leap)) {
		d = 1;
		if (++m > 12) {
			m = 1;
			y++;
		}
	}
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	if (hostiam_tz_mktime(tz, &tm, &r->enrol_by, NULL) < 0)
		r->enrol_by = 0;
}

/* A list the file did not give: names (NULL-terminated) as its default. */
static void default_list(struct cfg_ctx *ctx, struct hostiam_strlist *l, const char *const *names)
{
	size_t n = 0;

	if (l->items)
		return;
	while (names[n])
		n++;
	l->items = calloc(n + 1, sizeof(char *));
	if (l->items == NULL) {
		cfg_oom(ctx);
		return;
	}
	for (size_t i = 0; i < n; i++)
		if ((l->items[l->n] = cfg_strdup(ctx, names[i])) != NULL)
			l->n++;
}

/* exempt defaults to root, so a broken policy never locks out the console. The zone is
 * the host's unless access.timezone named one; enrol_by dates become instants in it. */
void cfg_access_finish(struct cfg_ctx *ctx, struct hostiam_access_config *a)
{
	static const char *const exempt[] = { "root", NULL };
	static const char *const non_interactive[] = { "cron",    "atd",       "systemd-user",
						       "runuser", "runuser-l", NULL };
	static const char *const root_switch[] = { "su", "su-l", NULL };
	size_t i;

	if (a->tz == NULL)
		load_host_zone(ctx, a);
	for (i = 0; a->tz && i < a->n_rules; i++)
		if (a->rules[i].enrol_by_date != 0)
			set_enrol_by(a->tz, &a->rules[i]);
	default_list(ctx, &a->exempt, exempt);
	default_list(ctx, &a->non_interactive, non_interactive);
	default_list(ctx, &a->root_switch, root_switch);
}
