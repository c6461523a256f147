/* SPDX-License-Identifier: BSD-2-Clause */
/* Decisions that rest on a granted membership: which grant, and its first-use MFA. */
#include "config.h"

#include <string.h>

#include "grants.h"
#include "policy_internal.h"

/* True when name is one of l. */
static bool in_list(const struct hostiam_strlist *l, const char *name)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->items[i], name) == 0)
			return true;
	return false;
}

/* The grant through which r's `group` holds, or NULL when a standing membership does. */
static const struct hostiam_group_grant *grant_of(const struct hostiam_rule *r,
						  const struct hostiam_request *req, size_t *at)
{
	const struct hostiam_group_grant *found = NULL;

	for (size_t i = 0; i < req->n_groups; i++) {
		if (req->groups[i] == NULL || !in_list(&r->groups, req->groups[i]))
			continue;
		if (req->group_grants[i].id == 0)
			return NULL; /* a standing membership is enough on its own */
		if (found == NULL) {
			found = &req->group_grants[i];
			*at = i;
		}
	}
	return found;
}

/* See policy_internal.h. */
void policy_grant_use(const struct hostiam_config *cfg, const struct hostiam_request *req,
		      struct hostiam_decision *d)
{
	const struct hostiam_group_grant *g;
	const struct hostiam_elevation *e;
	const struct hostiam_rule *r;
	struct strbuf sb;
	size_t at = 0;

	if (d->by != HOSTIAM_BY_RULE || req->group_grants == NULL)
		return;
	r = &cfg->access.rules[d->rule_index];
	if (r->groups.n == 0 || (g = grant_of(r, req, &at)) == NULL)
		return;
	d->grant_id = g->id;
	e = hostiam_elevation_find(cfg, req->groups[at]);
	/* A code given since the grant began is its first use done; one before it is not. */
	if (e == NULL || !e->mfa || req->last_mfa >= g->not_before ||
	    d->policy_action == HOSTIAM_ACTION_DENY)
		return;
	d->grant_mfa = true;
	if (d->policy_action == HOSTIAM_ACTION_ALLOW) {
		d->policy_action = HOSTIAM_ACTION_MFA;
		sb_init(&sb, d->reason + strlen(d->reason), sizeof(d->reason) - strlen(d->reason));
		sb_printf(&sb, "; first use of grant %lu: mfa", g->id);
	}
}
