/* SPDX-License-Identifier: BSD-2-Clause */
/* hostiam check: the groups the user has through a grant, with its end and its approval. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "check_print.h"
#include "cli_args.h"
#include "grants.h"
#include "grants_cli.h"
#include "json_out.h"
#include "text_out.h"

/* "HH:MM" when t is on the same day as now, else "YYYY-MM-DD HH:MM" (the policy's zone). */
static void until_text(const struct hostiam_config *cfg, time_t t, time_t now, char *buf,
		       size_t len)
{
	char day[64];

	cli_format_time(cli_zone(cfg), now, 0, day, sizeof(day));
	cli_format_time(cli_zone(cfg), t, 0, buf, len);
	if (strlen(buf) == 16 && strncmp(buf, day, 11) == 0)
		memmove(buf, buf + 11, 6);
}

/* One granted group; the store (root's: unreadable to others) adds who approved and why. */
static void print_one(FILE *f, const struct check_report *r, const char *group,
		      const struct hostiam_group_grant *g, struct hostiam_grant_list *store)
{
	const struct hostiam_grant *s = store ? hostiam_grant_find(store, g->id) : NULL;
	char until[64];

	until_text(r->cfg, g->not_after, r->now, until, sizeof(until));
	fprintf(f, "%-14smember of ", "grant:");
	text_safe(f, group);
	fprintf(f, " through grant %lu until %s", g->id, until);
	if (s && s->approver[0]) {
		fprintf(f, " (approved by ");
		text_safe(f, s->approver);
		if (s->reason[0]) {
			fputs(": ", f);
			text_safe(f, s->reason);
		}
		fputc(')', f);
	}
	fputc('\n', f);
}

/* See grants_cli.h. */
void check_print_grants(FILE *f, const struct check_report *r)
{
	const struct hostiam_request *q = r->req;
	struct hostiam_grant_list store;
	bool have_store;

	if (q == NULL || q->group_grants == NULL)
		return;
	have_store = hostiam_grants_load(r->cfg->cache.state_dir, &store) == 0;
	for (size_t i = 0; i < q->n_groups; i++)
		if (q->group_grants[i].id != 0)
			print_one(f, r, q->groups[i], &q->group_grants[i],
				  have_store ? &store : NULL);
	if (have_store)
		hostiam_grant_list_free(&store);
}

/* See grants_cli.h. */
void check_json_grants(struct json_out *j, const struct check_report *r)
{
	const struct hostiam_request *q = r->req;
	struct hostiam_grant_list store;
	bool have_store = false;
	char t[32];

	json_kv_opt_int(j, "grant", (long long)r->d->grant_id, r->d->grant_id != 0);
	json_key(j, "grants");
	json_array_begin(j);
	if (q && q->group_grants)
		have_store = hostiam_grants_load(r->cfg->cache.state_dir, &store) == 0;
	for (size_t i = 0; q && q->group_grants && i < q->n_groups; i++) {
		const struct hostiam_group_grant *g = &q->group_grants[i];
		const struct hostiam_grant *s = have_store ? hostiam_grant_find(&store, g->id) :
							     NULL;

		if (g->id == 0)
			continue;
		json_object_begin(j);
		json_kv_str(j, "group", q->groups[i]);
		json_kv_int(j, "id", (long long)g->id);
		cli_format_utc(g->not_before, t, sizeof(t));
		json_kv_str(j, "not_before", t);
		cli_format_utc(g->not_after, t, sizeof(t));
		json_kv_str(j, "not_after", t);
		json_kv_str(j, "approver", s && s->approver[0] ? s->approver : NULL);
		json_kv_str(j, "reason", s ? s->reason : NULL);
		json_object_end(j);
	}
	json_array_end(j);
	if (have_store)
		hostiam_grant_list_free(&store);
}
