/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Just-in-time elevation, local mode: requests and grants in the root-only state directory,
 * <state_dir>/grants/store (0600, one line per grant), changed under an exclusive lock on
 * <state_dir>/grants/lock and replaced atomically. After each change the active and
 * coming grants are published to <cache.dir>/grants.cache (0644, grants_cache.h), which the
 * NSS module and the request builder read: the expiry is the reader's clock, no agent acts.
 */
#ifndef HOSTIAM_GRANTS_H
#define HOSTIAM_GRANTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "configuration.h"
#include "names.h"

/* A request nobody decided lapses after this long: approvals are for fresh requests. */
#define HOSTIAM_GRANT_PENDING_TTL 86400
/* Finished grants (denied, revoked, expired, lapsed) are kept this long for `grants`. */
#define HOSTIAM_GRANT_KEEP (90L * 86400)
/* The store holds at most this many grants; a request beyond is refused. */
#define HOSTIAM_GRANTS_MAX 4096
#define HOSTIAM_GRANT_REASON_MAX 200

enum hostiam_grant_status {
	HOSTIAM_GRANT_PENDING,
	HOSTIAM_GRANT_APPROVED,
	HOSTIAM_GRANT_DENIED,
	HOSTIAM_GRANT_REVOKED,
};

struct hostiam_grant {
	unsigned long id; /* small, never reused */
	enum hostiam_grant_status status;
	char requester[HOSTIAM_NAME_MAX + 1];
	char role[HOSTIAM_NAME_MAX + 1];
	long duration; /* seconds asked for */
	time_t requested;
	char reason[HOSTIAM_GRANT_REASON_MAX + 1]; /* "" when none */
	char decider[HOSTIAM_NAME_MAX + 1];        /* who approved, denied or revoked; "" */
	time_t decided;                            /* 0: pending */
	time_t not_before, not_after;              /* approved: the window; else 0 */
	uint32_t gid;                              /* approved: the role's gid at approval */
	char approver[HOSTIAM_NAME_MAX + 1];       /* approved (then maybe revoked): who */
};

struct hostiam_grant_list {
	struct hostiam_grant *items; /* in id order */
	size_t n;
	unsigned long next_id;
};

/* What a grant is at now, in one word: pending, lapsed, active, approved (not yet
   active), expired, denied or revoked. */
const char *hostiam_grant_state(const struct hostiam_grant *g, time_t now);

/* True when g is approved, not revoked, and now lies in [not_before, not_after). */
bool hostiam_grant_active(const struct hostiam_grant *g, time_t now);

/* The grant with id, or NULL. */
struct hostiam_grant *hostiam_grant_find(struct hostiam_grant_list *l, unsigned long id);

/* The elevation entry for role, or NULL when role cannot be requested. */
const struct hostiam_elevation *hostiam_elevation_find(const struct hostiam_config *cfg,
						       const char *role);

/*
 * Read the store into *out (empty when there is none). The grants directory and files must
 * be root's (or the caller's) and private: else HOSTIAM_ERR_INSECURE_FILE. A damaged line
 * makes the whole store HOSTIAM_ERR_CACHE_CORRUPT: a grant is never guessed.
 */
int hostiam_grants_load(const char *state_dir, struct hostiam_grant_list *out);

/*
 * Lock, read, call fn, and when it returns 0 write the store back and publish grants.cache
 * (grants_path, unless NULL) at now; fn returning 1 leaves everything, an error aborts. Returns fn's
 * result or an error. Creates <state_dir>/grants (0700) when missing.
 */
int hostiam_grants_update(const char *state_dir, const char *grants_path, time_t now,
			  int (*fn)(struct hostiam_grant_list *l, void *ctx), void *ctx);

void hostiam_grant_list_free(struct hostiam_grant_list *l);

/* <cache.dir>/grants.cache for cfg, into buf; HOSTIAM_ERR_TOO_SMALL if it does not fit. */
int hostiam_grants_cache_path(const struct hostiam_config *cfg, char *buf, size_t len);

/* Who asks: the user the command acts for, with the groups NSS gives them. */
struct hostiam_grant_caller {
	const char *name;
	const char *const *groups;
	size_t n_groups;
	bool root; /* root itself, not a user through sudo: may revoke and list */
};

/*
 * grants_rules.c: the checks of each step, against cfg's elevation list, at now. Each
 * returns 0 and changes l, or HOSTIAM_ERR_INVALID_ARG (refused: why says so in a sentence)
 * or HOSTIAM_ERR_NOT_FOUND (no such id, also in why).
 *  - request: role listed; caller in one of its eligible groups; 0 < duration <= max; a
 *    reason unless the role's reason = "optional"; the reason printable, at most
 *    HOSTIAM_GRANT_REASON_MAX bytes; at most one pending or active grant per requester
 *    and role. *id is the new grant's.
 *  - decide (approve or deny): the grant pending and not lapsed; caller in the role's
 *    approvers and not the requester; approve sets the window [now, now + duration)
 *    (the duration checked again against max, which may have changed) and role_gid.
 *  - revoke: the grant pending, or approved and not over; caller the requester, an
 *    approver of the role, or root.
 */
int hostiam_grant_request(const struct hostiam_config *cfg, struct hostiam_grant_list *l,
			  const struct hostiam_grant_caller *caller, const char *role,
			  long duration, const char *reason, time_t now, unsigned long *id,
			  char *why, size_t why_len);
int hostiam_grant_decide(const struct hostiam_config *cfg, struct hostiam_grant_list *l,
			 const struct hostiam_grant_caller *caller, unsigned long id, bool approve,
			 uint32_t role_gid, time_t now, char *why, size_t why_len);
int hostiam_grant_revoke(const struct hostiam_config *cfg, struct hostiam_grant_list *l,
			 const struct hostiam_grant_caller *caller, unsigned long id, time_t now,
			 char *why, size_t why_len);

struct hostiam_request_ctx;

/*
 * request_grants.c, for hostiam_request_build: ctx->groups as NSS gave them (primary gid
 * primary) made to say what the grants in grants.cache say at now. A group NSS listed only
 * because of a grant (not primary, user not among its members) stays when that grant is
 * active at now and is dropped otherwise (the NSS module judges by the real clock, `check
 * --at` by its own); an active grant's group NSS did not list is added. ctx->group_grants
 * then tells them apart. A missing or damaged grants.cache grants nothing and is not an
 * error. Returns 0 or HOSTIAM_ERR_NOMEM.
 */
int hostiam_request_grants(const struct hostiam_config *cfg, struct hostiam_request_ctx *ctx,
			   gid_t primary, time_t now);

/* grants_record.c: one store line <-> one grant (the store's own text format). */
size_t hostiam_grant_format(const struct hostiam_grant *g, char *buf, size_t len);
int hostiam_grant_parse(const char *line, struct hostiam_grant *g);

#endif
