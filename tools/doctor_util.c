/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hostiam doctor: what every check uses, kept apart from the checks and the command so
 * that each depends only on doctor.h: one finding line, a path under --root, and whether
 * the policy can ask for MFA on a service.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "doctor.h"
#include "json_out.h"

/* Counted, so that the command knows its exit status and --json its totals. */
void doctor_say(struct doctor *d, enum doctor_level lvl, const char *area, const char *fmt, ...)
{
	static const char *const names[] = { "OK  ", "WARN", "FAIL" };
	static const char *const json_names[] = { "ok", "warn", "fail" };
	char text[8192];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (d->json) {
		json_object_begin(d->json);
		json_kv_str(d->json, "level", json_names[lvl]);
		json_kv_str(d->json, "area", area);
		json_kv_str(d->json, "message", text);
		json_object_end(d->json);
	} else {
		printf("%s %s: %s\n", names[lvl], area, text);
	}
	d->said++;
	d->fails += lvl == DOCTOR_FAIL;
	d->warns += lvl == DOCTOR_WARN;
}

/* Every file a check reads goes through here, so --root covers all of them. */
int doctor_path(const struct doctor *d, const char *path, char *buf, size_t size)
{
	int n = snprintf(buf, size, "%s%s", d->root, path);

	return n < 0 || (size_t)n >= size ? -1 : 0;
}

/* See doctor.h; a rule without services applies to every service. */
bool doctor_needs_terms(const struct hostiam_config *cfg, const char *service)
{
	for (size_t i = 0; i < cfg->access.n_rules; i++) {
		const struct hostiam_rule *r = &cfg->access.rules[i];

		if (r->terms_index < 0)
			continue;
		if (r->services.n == 0)
			return true;
		for (size_t j = 0; j < r->services.n; j++)
			if (strcmp(r->services.items[j], service) == 0)
				return true;
	}
	return false;
}

/* A rule without services applies to every service. */
bool doctor_needs_mfa(const struct hostiam_config *cfg, const char *service)
{
	size_t i, j;

	if (cfg->access.default_action == HOSTIAM_ACTION_MFA)
		return true;
	for (i = 0; i < cfg->access.n_rules; i++) {
		const struct hostiam_rule *r = &cfg->access.rules[i];

		if (r->action != HOSTIAM_ACTION_MFA)
			continue;
		if (r->services.n == 0)
			return true;
		for (j = 0; j < r->services.n; j++)
			if (strcmp(r->services.items[j], service) == 0)
				return true;
	}
	return false;
}
