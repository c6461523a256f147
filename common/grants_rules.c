/* SPDX-License-Identifier: BSD-2-Clause */
/* What may be requested, approved, denied and revoked, by whom: the rules of the store. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "duration.h"
#include "errors.h"
#include "grants.h"

/* Say why into why; returns err, so a refusal is one line. */
static int refuse(int err, char *why, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int refuse(int err, char *why, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (why && len)
		vsnprintf(why, len, fmt, ap);
	va_end(ap);
	return err;
}

/* True when one of the caller's groups is in l. */
static bool in_any(const struct hostiam_grant_caller *c, const struct hostiam_strlist *l)
{
	for (size_t i = 0; i < c->n_groups; i++)
		for (size_t j = 0; j < l->n; j++)
			if (c->groups[i] && strcmp(c->groups[i], l->items[j]) == 0)
				return true;
	return false;
}

/* See grants.h. */
const struct hostiam_elevation *hostiam_elevation_find(const struct hostiam_config *cfg,
						       const char *role)
{
	for (size_t i = 0; cfg && role && i < cfg->n_elevation; i++)
		if (cfg->elevation[i].role && strcmp(cfg->elevation[i].role, role) == 0)
			return &cfg->elevation[i];
	return NULL;
}

/* See grants.h. */
bool hostiam_grant_active(const struct hostiam_grant *g, time_t now)
{
	return g->status == HOSTIAM_GRANT_APPROVED && now >= g->not_before && now < g->not_after;
}

/* See grants.h. */
const char *hostiam_grant_state(const struct hostiam_grant *g, time_t now)
{
	switch (g->status) {
	case HOSTIAM_GRANT_PENDING:
		return now - g->requested >= HOSTIAM_GRANT_PENDING_TTL ? "lapsed" : "pending";
	case HOSTIAM_GRANT_APPROVED:
		return now >= g->not_after  ? "expired" :
			now < g->not_before ? "approved" :
					      "active";
	case HOSTIAM_GRANT_DENIED:
		return "denied";
	case HOSTIAM_GRANT_REVOKED:
		return "revoked";
	}
	return "unknown";
}

/* See grants.h. */
struct hostiam_grant *hostiam_grant_find(struct hostiam_grant_list *l, unsigned long id)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->items[i].id == id)
			return &l->items[i];
	return NULL;
}

/* A reason the store and a log line can carry: printable ASCII and spaces, bounded. */
static bool reason_ok(const char *r)
{
	size_t n = strlen(r);

	if (n > HOSTIAM_GRANT_REASON_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)r[i] < ' ' || (unsigned char)r[i] > '~')
			return false;
	return true;
}

/* True when requester already has a pending (not lapsed) or unfinished grant of role. */
static bool has_open(const struct hostiam_grant_list *l, const char *requester, const char *role,
		     time_t now)
{
	for (size_t i = 0; i < l->n; i++) {
		const char *st = hostiam_grant_state(&l->items[i], now);

		if (strcmp(l->items[i].requester, requester) == 0 &&
		    strcmp(l->items[i].role, role) == 0 &&
		    (!strcmp(st, "pending") || !strcmp(st, "active") || !strcmp(st, "approved")))
			return true;
	}
	return false;
}

/* Append a new pending grant to l. */
static int append(struct hostiam_grant_list *l, const struct hostiam_grant *g)
{
	struct hostiam_grant *grown = realloc(l->items, (l->n + 1) * sizeof(*grown));

	if (grown == NULL)
		return HOSTIAM_ERR_NOMEM;
	l->items = grown;
	l->items[l->n++] = *g;
	l->next_id++;
	return 0;
}

/* See grants.h. */
int hostiam_grant_request(const struct hostiam_config *cfg, struct hostiam_grant_list *l,
			  const struct hostiam_grant_caller *caller, const char *role,
			  long duration, const char *reason, time_t now, unsigned long *id,
			  char *why, size_t why_len)
{
	const struct hostiam_elevation *e = hostiam_elevation_find(cfg, role);
	struct hostiam_grant g = { 0 };
	char max[32];

	if (e == NULL)
		return refuse(HOSTIAM_ERR_INVALID_ARG, why, why_len,
			      "role %s cannot be requested (not in the elevation list)", role);
	hostiam_duration_format(e->max, max, sizeof(max));
	if (!in_any(caller, &e->eligible))
		return refuse(HOSTIAM_ERR_INVALID_ARG, why, why_len,
			      "%s is not eligible for %s (not a member of its eligible groups)",
			      caller->name, role);
	if (duration <= 0 || duration > e->max)
		return refuse(HOSTIAM_ERR_INVALID_ARG, why, why_len,
			      "%s may be granted for at most %s", role, max);
	if ((reason == NULL || reason[0] == '\0') && e->reason == HOSTIAM_REASON_REQUIRED)
		return refuse(HOSTIAM_ERR_INVALID_ARG, why, why_len,
			      "a reason is required for %s (--reason)", role);
	if (reason && !reason_ok(reason))
		return refuse(HOSTIAM_ERR_INVALID_ARG, why, why_len,
			      "the reason must be printable text of at most %d bytes",
			      HOSTIAM_GRANT_REASON_MAX);
	if (has_open(l, caller->name, role, now))
		return refuse(HOSTIAM_ERR_INVALID_ARG, why, why_len,
			      "%s already has a pending or active grant of %s", caller->name, role);
	if (l->n >= HOSTIAM_GRANTS_MAX)
		return refuse(HOSTIAM_ERR_INVALID_ARG, why, why_len, "the grant store is full");
	g.id = l->next_id;
	g.status = HOSTIAM_GRANT_PENDING;
	snprintf(g.requester, sizeof(g.requester), "%s", caller->name);
	snprintf(g.role, sizeof(g.role), "%s", role);
	snprintf(g.reason, sizeof(g.reason), "%s", reason ? reason : "");
	g.duration = duration;
	g.requested = now;
	*id = g.id;
	return append(l, &g);
}

/* The grant id in l, pending and decidable by caller; else a refusal. */
static int decidable(const struct hostiam_config *cfg, struct hostiam_grant_list *l,
		     const struct hostiam_grant_caller *caller, unsigned long id, time_t now,
		     struct hostiam_grant **out, char *why, size_t why_len)
{
	struct hostiam_grant *g = hostiam_grant_find(l, id);
	const struct hostiam_elevation *e;

	if (g == NULL)
		return refuse(HOSTIAM_ERR_NOT_FOUND, why, why_len, "no grant %lu", id);
	if (strcmp(hostiam_grant_state(g, now), "pending") != 0)
		return refuse(HOSTIAM_ERR_INVALID_ARG, why, why_len, "grant %lu is %s, not pending",
			      id, hostiam_grant_state(g, now));
	if ((e = hostiam_elevation_find(cfg, g->role)) == NULL)
		return refuse(HOSTIAM_ERR_INVALID_ARG, why, why_len,
			      "role %s is no longer in the elevation list", g->role);
	if (strcmp(caller->name, g->requester) == 0)
		return refuse(HOSTIAM_ERR_INVALID_ARG, why, why_len,
			      "%s cannot decide their own request", caller->name);
	if (!in_any(caller, &e->approvers))
		return refuse(HOSTIAM_ERR_INVALID_ARG, why, why_len, "%s is not an approver of %s",
			      caller->name, g->role);
	if (g->duration > e->max)
		return refuse(HOSTIAM_ERR_INVALID_ARG, why, why_len,
			      "grant %lu asks for longer than %s now allows", id, g->role);
	*out = g;
	return 0;
}

/* See grants.h. */
int hostiam_grant_decide(const struct hostiam_config *cfg, struct hostiam_grant_list *l,
			 const struct hostiam_grant_caller *caller, unsigned long id, bool approve,
			 uint32_t role_gid, time_t now, char *why, size_t why_len)
{
	struct hostiam_grant *g = NULL;
	int r = decidable(cfg, l, caller, id, now, &g, why, why_len);

	if (r < 0)
		return r;
	snprintf(g->decider, sizeof(g->decider), "%s", caller->name);
	g->decided = now;
	if (!approve) {
		g->status = HOSTIAM_GRANT_DENIED;
		return 0;
	}
	g->status = HOSTIAM_GRANT_APPROVED;
	snprintf(g->approver, sizeof(g->approver), "%s", caller->name);
	g->not_before = now;
	g->not_after = now + g->duration;
	g->gid = role_gid;
	return 0;
}

/* See grants.h. */
int hostiam_grant_revoke(const struct hostiam_config *cfg, struct hostiam_grant_list *l,
			 const struct hostiam_grant_caller *caller, unsigned long id, time_t now,
			 char *why, size_t why_len)
{
	struct hostiam_grant *g = hostiam_grant_find(l, id);
	const struct hostiam_elevation *e;
	const char *st;

	if (g == NULL)
		return refuse(HOSTIAM_ERR_NOT_FOUND, why, why_len, "no grant %lu", id);
	st = hostiam_grant_state(g, now);
	if (strcmp(st, "pending") && strcmp(st, "active") && strcmp(st, "approved"))
		return refuse(HOSTIAM_ERR_INVALID_ARG, why, why_len, "grant %lu is %s already", id,
			      st);
	e = hostiam_elevation_find(cfg, g->role);
	if (!caller->root && strcmp(caller->name, g->requester) != 0 &&
	    !(e && in_any(caller, &e->approvers)))
		return refuse(HOSTIAM_ERR_INVALID_ARG, why, why_len,
			      "%s may not revoke grant %lu (only its requester, an approver of %s "
			      "or root)",
			      caller->name, id, g->role);
	g->status = HOSTIAM_GRANT_REVOKED;
	snprintf(g->decider, sizeof(g->decider), "%s", caller->name);
	g->decided = now;
	return 0;
}

/* See grants.h. */
int hostiam_grants_cache_path(const struct hostiam_config *cfg, char *buf, size_t len)
{
	int n = snprintf(buf, len, "%s/grants.cache", cfg->cache.dir);

	return n < 0 || (size_t)n >= len ? HOSTIAM_ERR_TOO_SMALL : 0;
}
