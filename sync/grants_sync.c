/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The directory's grants, checked here as hostiam approve checks them on a host: the
 * directory's ACL may be wrong or bypassed, so every approved entry must pass this host's
 * elevation list before it reaches grants.cache. Who asked and who approved are taken
 * from what the server recorded (creatorsName, modifiersName), not only from what the
 * entry says.
 */
#include "config.h"

#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "duration.h"
#include "errors.h"
#include "grants.h"
#include "grants_cache.h"
#include "grants_fetch.h"
#include "grants_sync.h"
#include "log.h"
#include "parse_num.h"
#include "request.h"

/* "YYYYMMDDHHMMSSZ" (UTC, whole seconds) as a time; -1 for anything else. */
static time_t parse_gtime(const char *s)
{
	unsigned long f[6];
	static const int width[6] = { 4, 2, 2, 2, 2, 2 };
	static const unsigned long lo[6] = { 1970, 1, 1, 0, 0, 0 },
				   hi[6] = { 9999, 12, 31, 23, 59, 60 };
	struct tm tm = { 0 };

	if (s == NULL || strlen(s) != 15 || s[14] != 'Z')
		return -1;
	for (int i = 0, at = 0; i < 6; at += width[i++])
		if (hostiam_parse_ulong_n(s + at, (size_t)width[i], lo[i], hi[i], &f[i]) < 0)
			return -1;
	tm.tm_year = (int)f[0] - 1900;
	tm.tm_mon = (int)f[1] - 1;
	tm.tm_mday = (int)f[2];
	tm.tm_hour = (int)f[3];
	tm.tm_min = (int)f[4];
	tm.tm_sec = (int)f[5];
	return timegm(&tm);
}

/* The uid of a DN "uid=NAME,..." whose first RDN is exactly that; false otherwise. */
static bool dn_uid(const char *dn, const char *name)
{
	size_t n = strlen(name);

	return dn && strncasecmp(dn, "uid=", 4) == 0 && strncmp(dn + 4, name, n) == 0 &&
		dn[4 + n] == ',';
}

/* True when user's groups (as a login sees them) meet l. */
static bool member_of_any(const struct hostiam_config *cfg, const char *user,
			  const struct hostiam_strlist *l)
{
	struct hostiam_request_ctx ctx;
	bool found = false;

	if (hostiam_request_build(cfg, user, "hostiam-grants", NULL, NULL, time(NULL), &ctx) == 0)
		for (size_t i = 0; i < ctx.n_groups && !found; i++)
			for (size_t j = 0; j < l->n && !found; j++)
				found = strcmp(ctx.groups[i], l->items[j]) == 0;
	hostiam_request_ctx_free(&ctx);
	return found;
}

/* The fields of an approved entry into g; a reason for refusing it, or NULL. */
static const char *fields(const struct grant_entry *e, struct hostiam_grant *g)
{
	unsigned long id, dur;

	memset(g, 0, sizeof(*g));
	if (e->bad)
		return "an attribute has two values, a NUL byte or invalid UTF-8";
	if (!e->v[GRANT_CN] || hostiam_parse_ulong(e->v[GRANT_CN], 1, 1000000000UL, &id) < 0)
		return "cn is not a grant number";
	if (!hostiam_valid_user_name(e->v[GRANT_REQUESTER]) ||
	    !hostiam_valid_group_name(e->v[GRANT_ROLE]) ||
	    !hostiam_valid_user_name(e->v[GRANT_APPROVER]))
		return "requester, role or approver missing or not a valid name";
	if (!e->v[GRANT_DURATION] ||
	    hostiam_parse_ulong(e->v[GRANT_DURATION], 1, HOSTIAM_DURATION_MAX, &dur) < 0)
		return "hostiamGrantDuration is not a number of seconds";
	g->id = id;
	g->status = HOSTIAM_GRANT_APPROVED;
	g->duration = (long)dur;
	g->not_before = parse_gtime(e->v[GRANT_NOT_BEFORE]);
	g->not_after = parse_gtime(e->v[GRANT_NOT_AFTER]);
	if (g->not_before < 0 || g->not_after <= g->not_before)
		return "the window (hostiamGrantNotBefore, hostiamGrantNotAfter) is missing or "
		       "empty";
	snprintf(g->requester, sizeof(g->requester), "%s", e->v[GRANT_REQUESTER]);
	snprintf(g->role, sizeof(g->role), "%s", e->v[GRANT_ROLE]);
	snprintf(g->approver, sizeof(g->approver), "%s", e->v[GRANT_APPROVER]);
	snprintf(g->decider, sizeof(g->decider), "%s", g->approver);
	g->decided = g->not_before;
	snprintf(g->reason, sizeof(g->reason), "%s", e->v[GRANT_REASON] ? e->v[GRANT_REASON] : "");
	return NULL;
}

/* The elevation rules for an approved grant; a reason for refusing it, or NULL. */
static const char *rules(const struct hostiam_config *cfg, const struct grant_entry *e,
			 struct hostiam_grant *g)
{
	const struct hostiam_elevation *el;
	const char *why = fields(e, g);
	struct group *gr;

	if (why)
		return why;
	if ((el = hostiam_elevation_find(cfg, g->role)) == NULL)
		return "the role is not in this host's elevation list";
	if (!dn_uid(e->v[GRANT_CREATOR], g->requester))
		return "the entry was not added by its requester (creatorsName)";
	if (strcmp(g->approver, g->requester) == 0)
		return "self-approved";
	if (!dn_uid(e->v[GRANT_MODIFIER], g->approver))
		return "the approval was not made by its approver (modifiersName)";
	if (g->not_after - g->not_before > el->max || g->not_after - g->not_before > g->duration)
		return "longer than the role's max or than the duration asked for";
	if (el->reason == HOSTIAM_REASON_REQUIRED && g->reason[0] == '\0')
		return "no reason, and the role requires one";
	if (!member_of_any(cfg, g->requester, &el->eligible))
		return "the requester is not in the role's eligible groups";
	if (!member_of_any(cfg, g->approver, &el->approvers))
		return "the approver is not in the role's approvers";
	if ((gr = getgrnam(g->role)) == NULL)
		return "no such group on this host";
	g->gid = (uint32_t)gr->gr_gid;
	return NULL;
}

/* Log a refused grant with its DN. */
static void refused(const char *dn, const char *why)
{
	char d[512], w[256];

	hostiam_log_value(d, sizeof(d), dn);
	hostiam_log_value(w, sizeof(w), why);
	hostiam_log(LOG_WARNING, "grant refused dn=%s reason=%s", d, w);
}

/* The approved entries that pass, in id order (grants.cache wants them so). */
static int checked(const struct hostiam_config *cfg, const struct grant_entries *in,
		   struct hostiam_grant_list *out)
{
	struct hostiam_grant g, *grown;

	for (size_t i = 0; i < in->n; i++) {
		const struct grant_entry *e = &in->e[i];
		const char *why;

		if (!e->v[GRANT_STATUS] || strcmp(e->v[GRANT_STATUS], "approved") != 0)
			continue;
		if ((why = rules(cfg, e, &g)) != NULL) {
			refused(e->dn, why);
			continue;
		}
		if (hostiam_grant_find(out, g.id)) {
			refused(e->dn, "another entry has the same cn");
			continue;
		}
		if ((grown = realloc(out->items, (out->n + 1) * sizeof(*grown))) == NULL)
			return HOSTIAM_ERR_NOMEM;
		out->items = grown;
		out->items[out->n++] = g;
	}
	return 0;
}

/* Order by id. */
static int by_id(const void *a, const void *b)
{
	const struct hostiam_grant *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

/* hostiam_grants_update's callback: the store becomes the published grants. */
static int replace_store(struct hostiam_grant_list *l, void *ctx)
{
	const struct hostiam_grant_list *from = ctx;
	struct hostiam_grant *copy = NULL;

	if (from->n && (copy = malloc(from->n * sizeof(*copy))) == NULL)
		return HOSTIAM_ERR_NOMEM;
	if (from->n)
		memcpy(copy, from->items, from->n * sizeof(*copy));
	free(l->items);
	l->items = copy;
	l->n = from->n;
	l->next_id = from->n ? from->items[from->n - 1].id + 1 : 1;
	return 0;
}

int grants_sync(const struct hostiam_config *cfg, LDAP *ld, const volatile sig_atomic_t *stop,
		time_t now, char *err, size_t err_len)
{
	struct grant_entries in = { 0 };
	struct hostiam_grant_list out = { 0 };
	char path[4096];
	int r;

	if (!cfg->directory.grants_base)
		return 0;
	if ((r = grants_fetch(cfg, ld, stop, &in, err, err_len)) < 0)
		return r;
	r = checked(cfg, &in, &out);
	if (r == 0 && out.n > 1)
		qsort(out.items, out.n, sizeof(*out.items), by_id);
	if (r == 0 && (r = hostiam_grants_cache_path(cfg, path, sizeof(path))) == 0)
		r = hostiam_grants_cache_publish(path, &out, now);
	/* The same grants, with approver and reason, in the root-only store for hostiam
	   grants, check and review (grants.cache, world-readable, carries neither). */
	if (r < 0)
		snprintf(err, err_len, "cannot publish the grants: %s", hostiam_strerror(r));
	else if ((r = hostiam_grants_update(cfg->cache.state_dir, NULL, now, replace_store, &out)) <
		 0)
		snprintf(err, err_len, "grants published, but not kept in the state directory: %s",
			 hostiam_strerror(r));
	else
		hostiam_log(LOG_INFO, "grants published: entries=%zu active_or_coming=%zu", in.n,
			    out.n);
	grant_entries_free(&in);
	hostiam_grant_list_free(&out);
	return r;
}
