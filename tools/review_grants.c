/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hostiam review: the elevation part. For each role, who may request it and who may
 * approve (the report's users whose groups, as a login sees them, meet the lists), then
 * the grants active at the report's time with who approved them: from the root-only store,
 * or, for a caller who cannot read it, from grants.cache (without approver and reason).
 */
#include "config.h"

#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_args.h"
#include "duration.h"
#include "grants.h"
#include "grants_cache.h"
#include "grants_cli.h"
#include "review.h"
#include "text_out.h"

/* True when u is in one of the groups of l. */
static bool user_in(const struct review_user *u, const struct hostiam_strlist *l)
{
	for (size_t i = 0; i < u->n_groups; i++)
		for (size_t j = 0; j < l->n; j++)
			if (strcmp(u->groups[i], l->items[j]) == 0)
				return true;
	return false;
}

/* "  label: a, b" over the report's users in l's groups; "-" when none. */
static void text_members(FILE *f, const struct review_report *r, const char *label,
			 const struct hostiam_strlist *l)
{
	size_t n = 0;

	fprintf(f, "    %-11s", label);
	for (size_t i = 0; i < r->n_users; i++) {
		if (!user_in(&r->users[i], l))
			continue;
		fputs(n++ ? ", " : "", f);
		text_safe(f, r->users[i].name);
	}
	fputs(n ? "\n" : "-\n", f);
}

/* A grants.cache entry of user as an approved grant of l (its role: the gid's name). */
static int add_published(struct hostiam_grant_list *l, const char *user,
			 const struct hostiam_grant_entry *e)
{
	struct hostiam_grant *grown = realloc(l->items, (l->n + 1) * sizeof(*grown)), *g;
	struct group *gr = getgrgid((gid_t)e->gid);

	if (grown == NULL)
		return -1;
	l->items = grown;
	g = &l->items[l->n++];
	memset(g, 0, sizeof(*g));
	g->id = e->id;
	g->status = HOSTIAM_GRANT_APPROVED;
	snprintf(g->requester, sizeof(g->requester), "%s", user);
	snprintf(g->role, sizeof(g->role), "%s", gr ? gr->gr_name : "?");
	g->gid = e->gid;
	g->not_before = (time_t)e->not_before;
	g->not_after = (time_t)e->not_after;
	return 0;
}

/* The grants to show: the store's when readable (*full), else grants.cache's, as grants. */
static int load_grants(const struct review_report *r, struct hostiam_grant_list *l, bool *full)
{
	struct hostiam_grant_entry e[HOSTIAM_GRANTS_PER_USER];
	char path[4096];

	*full = hostiam_grants_load(r->cfg->cache.state_dir, l) == 0;
	if (*full)
		return 0;
	memset(l, 0, sizeof(*l));
	if (hostiam_grants_cache_path(r->cfg, path, sizeof(path)) < 0)
		return 0;
	for (size_t i = 0; i < r->n_users; i++) {
		int n = hostiam_grants_cache_read(path, r->users[i].name, e,
						  HOSTIAM_GRANTS_PER_USER);

		for (int k = 0; k < n; k++)
			if (add_published(l, r->users[i].name, &e[k]) < 0)
				return -1;
	}
	return 0;
}

/* See grants_cli.h. */
void review_print_elevation(FILE *f, const struct review_report *r)
{
	struct hostiam_grant_list l;
	char max[32], until[64];
	bool full;
	size_t shown = 0;

	if (r->cfg->n_elevation == 0)
		return;
	fputs("\nelevation (hostiam request):\n", f);
	for (size_t i = 0; i < r->cfg->n_elevation; i++) {
		const struct hostiam_elevation *e = &r->cfg->elevation[i];

		hostiam_duration_format(e->max, max, sizeof(max));
		fputs("  role ", f);
		text_safe(f, e->role);
		fprintf(f, ": at most %s%s, reason %s\n", max, e->mfa ? ", mfa at first use" : "",
			e->reason == HOSTIAM_REASON_REQUIRED ? "required" : "optional");
		text_members(f, r, "eligible:", &e->eligible);
		text_members(f, r, "approvers:", &e->approvers);
	}
	if (load_grants(r, &l, &full) < 0)
		return;
	fputs("active grants:\n", f);
	for (size_t i = 0; i < l.n; i++) {
		const struct hostiam_grant *g = &l.items[i];

		if (!hostiam_grant_active(g, r->now))
			continue;
		cli_format_time(cli_zone(r->cfg), g->not_after, 0, until, sizeof(until));
		fprintf(f, "  grant %lu: ", g->id);
		text_safe(f, g->requester);
		fputs(" in ", f);
		text_safe(f, g->role);
		fprintf(f, " until %s", until);
		if (full) {
			fputs(", approved by ", f);
			text_safe(f, g->approver);
			fputs(": ", f);
			text_safe(f, g->reason[0] ? g->reason : "(no reason)");
		}
		fputc('\n', f);
		shown++;
	}
	if (shown == 0)
		fputs("  none\n", f);
	hostiam_grant_list_free(&l);
}
