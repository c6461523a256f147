/* SPDX-License-Identifier: BSD-2-Clause */
/* hostiam certify start/show output: the campaign as a table or as JSON. */
#include "config.h"

#include <string.h>

#include "certify_cli.h"
#include "cli_args.h"
#include "json_out.h"
#include "text_out.h"

/* "YYYY-MM-DD HH:MM ZONE" of t on the policy's clock, or "-" for 0. */
static void when_text(const struct hostiam_config *cfg, time_t t, char *buf, size_t len)
{
	if (t == 0)
		snprintf(buf, len, "-");
	else
		cli_format_time(cli_zone(cfg), t, 1, buf, len);
}

/* The table: a head line, then USER ACCESS DECISION NOTE. */
static void print_text(FILE *f, const struct hostiam_config *cfg, const struct hostiam_campaign *c,
		       char *const *access)
{
	char started[64], closed[64];
	size_t w = 4;

	when_text(cfg, c->started, started, sizeof(started));
	when_text(cfg, c->closed, closed, sizeof(closed));
	fprintf(f, "Campaign %lu, reviewer %s, started %s, ", c->id, c->reviewer, started);
	if (c->closed)
		fprintf(f, "closed %s, ", closed);
	else
		fprintf(f, "open, ");
	fprintf(f, "services %s, %zu users\n", c->services, c->n);
	for (size_t i = 0; i < c->n; i++)
		if (text_width(c->entries[i].user) > w)
			w = text_width(c->entries[i].user);
	text_pad(f, "USER", w + 2);
	if (access)
		text_pad(f, "ACCESS", 18);
	fprintf(f, "DECISION   NOTE\n");
	for (size_t i = 0; i < c->n; i++) {
		const struct hostiam_certify_entry *e = &c->entries[i];

		text_pad(f, e->user, w + 2);
		if (access)
			text_pad(f, access[i] ? access[i] : "-", 18);
		if (e->note[0]) {
			text_pad(f, hostiam_certify_choice_name(e->choice), 11);
			text_safe(f, e->note);
		} else {
			fputs(hostiam_certify_choice_name(e->choice), f);
		}
		fputc('\n', f);
	}
	if (c->reviewer[0] && !c->closed && access)
		fprintf(f,
			"Decide with: hostiam certify decide FILE (user,keep|revoke,note) or "
			"--interactive; then hostiam certify close.\n");
}

/* One entry as a JSON object. */
static void print_entry(struct json_out *j, const struct hostiam_certify_entry *e,
			const char *access)
{
	json_object_begin(j);
	json_kv_str(j, "user", e->user);
	if (access)
		json_kv_str(j, "access", access);
	json_kv_str(j, "decision", hostiam_certify_choice_name(e->choice));
	json_kv_opt_int(j, "decided", (long long)e->decided, e->decided != 0);
	json_kv_str(j, "note", e->note);
	json_object_end(j);
}

/* See certify_cli.h. */
void certify_print(FILE *f, const struct hostiam_config *cfg, const struct hostiam_campaign *c,
		   char *const *access, bool json)
{
	struct json_out j;

	if (!json) {
		print_text(f, cfg, c, access);
		return;
	}
	json_init(&j, f);
	json_object_begin(&j);
	json_kv_int(&j, "campaign", (long long)c->id);
	json_kv_str(&j, "reviewer", c->reviewer);
	json_kv_int(&j, "started", (long long)c->started);
	json_kv_opt_int(&j, "closed", (long long)c->closed, c->closed != 0);
	json_kv_str(&j, "services", c->services);
	json_key(&j, "users");
	json_array_begin(&j);
	for (size_t i = 0; i < c->n; i++)
		print_entry(&j, &c->entries[i], access ? access[i] : NULL);
	json_array_end(&j);
	json_object_end(&j);
	fputc('\n', f);
}
