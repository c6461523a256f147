/* SPDX-License-Identifier: BSD-2-Clause */
/* The terms-of-use table and JSON shared by `hostiam terms status` and `hostiam review`. */
#include "config.h"

#include <string.h>

#include "cli_args.h"
#include "terms.h"
#include "terms_print.h"
#include "text_out.h"

#define DAY 86400

/* See terms_print.h. */
const char *terms_status_word(const struct hostiam_terms *t, const struct terms_user *u, time_t now,
			      const struct hostiam_terms_acceptance **a)
{
	*a = NULL;
	for (size_t i = 0; i < u->n; i++)
		if (strcmp(u->acc[i].name, t->name) == 0)
			*a = &u->acc[i];
	if (*a == NULL)
		return "none";
	if (strcmp((*a)->version, t->version) != 0)
		return "outdated";
	return hostiam_terms_find(t, *a, 1, now) ? "accepted" : "expired";
}

/* When, with its age, and through what: "2026-12-01 10:00 (3 days ago) sshd 192.0.2.1". */
static void accepted_text(const struct hostiam_config *cfg,
			  const struct hostiam_terms_acceptance *a, time_t now, char *buf,
			  size_t len)
{
	char when[64];

	if (a == NULL) {
		snprintf(buf, len, "-");
		return;
	}
	cli_format_time(cli_zone(cfg), a->when, 0, when, sizeof(when));
	snprintf(buf, len, "%s (%lld days ago) %s %s", when, (long long)(now - a->when) / DAY,
		 a->service, a->host);
}

/* One line: user, terms, the version asked, the status, the version accepted, when. */
static void print_line(FILE *f, const struct hostiam_config *cfg, const struct terms_user *u,
		       const struct hostiam_terms *t, time_t now)
{
	const struct hostiam_terms_acceptance *a;
	const char *word = terms_status_word(t, u, now, &a);
	char text[256];

	text_pad(f, u->name, 17);
	fprintf(f, "%-16s %-12s ", t->name, t->version);
	if (u->error) {
		fputs("unknown  (", f);
		text_safe(f, u->error);
		fputs(")\n", f);
		return;
	}
	accepted_text(cfg, a, now, text, sizeof(text));
	fprintf(f, "%-9s%-12s ", word, a ? a->version : "-");
	text_safe(f, text);
	fputc('\n', f);
}

/* See terms_print.h. */
void terms_print_table(FILE *f, const struct hostiam_config *cfg, const struct terms_user *users,
		       size_t n, time_t now)
{
	fprintf(f, "%-16s %-16s %-12s %-9s%-12s %s\n", "USER", "TERMS", "VERSION", "STATUS",
		"ACCEPTED", "WHEN (AGE) SERVICE FROM");
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < cfg->n_terms; k++)
			print_line(f, cfg, &users[i], &cfg->terms[k], now);
}

/* See terms_print.h. */
void terms_print_json(struct json_out *j, const struct hostiam_config *cfg,
		      const struct terms_user *u, time_t now)
{
	json_key(j, "terms");
	json_array_begin(j);
	for (size_t k = 0; k < cfg->n_terms; k++) {
		const struct hostiam_terms *t = &cfg->terms[k];
		const struct hostiam_terms_acceptance *a;
		const char *word = terms_status_word(t, u, now, &a);

		json_object_begin(j);
		json_kv_str(j, "name", t->name);
		json_kv_str(j, "version", t->version);
		json_kv_str(j, "status", u->error ? "unknown" : word);
		json_kv_str(j, "accepted_version", a ? a->version : NULL);
		json_kv_opt_int(j, "accepted", a ? (long long)a->when : 0, a != NULL);
		json_kv_str(j, "service", a ? a->service : NULL);
		json_kv_str(j, "from", a ? a->host : NULL);
		json_object_end(j);
	}
	json_array_end(j);
}
