/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Gather a policy request for a user the way a login sees it: groups through glibc NSS
 * (files and the hostiam module alike), last login and MFA freshness from the state
 * directory, offline from the cache's age, the account state of a directory user from
 * auth.cache. Shared by pam_hostiam and `hostiam check`,
 * so both decide on the same inputs.
 */
#ifndef HOSTIAM_REQUEST_H
#define HOSTIAM_REQUEST_H

#include "configuration.h"
#include "policy.h"

/* A request plus the storage it points into. */
struct hostiam_request_ctx {
	struct hostiam_request req;
	char *user; /* owned copies */
	char *service;
	char *rhost;
	char *tty;
	char **groups; /* owned: names of the user's groups */
	size_t n_groups;
	struct hostiam_account_attrs account; /* req.account points here when set */
	/* Owned, beside groups: the ones the user has through a grant; NULL when none. */
	struct hostiam_group_grant *group_grants;
	struct hostiam_terms_acceptance terms[HOSTIAM_TERMS_KEPT]; /* req.terms points here */
	size_t n_terms;
};

/*
 * Look user up (getpwnam_r), collect its groups (getgrouplist + getgrgid_r), read its
 * state record and the cache age, and fill ctx->req for the given service, rhost (NULL:
 * local), tty (NULL: none) and now. A user in nss.cache who is not exempt is a directory
 * user: its account state comes from auth.cache (none when it has no line; unknown,
 * req.account_unknown, when the file is format 1). req.caller_root is left false: the
 * caller knows who runs it. Returns 0, HOSTIAM_ERR_NOT_FOUND (no such user),
 * HOSTIAM_ERR_NOMEM or HOSTIAM_ERR_SYSTEM; free with hostiam_request_ctx_free() in every
 * case. A state directory that is insecure is an error (HOSTIAM_ERR_INSECURE_FILE), and so
 * is an auth.cache that is insecure, damaged or of an unknown format when the user is a
 * directory user (its lock cannot be known): the caller fails closed.
 */
int hostiam_request_build(const struct hostiam_config *cfg, const char *user, const char *service,
			  const char *rhost, const char *tty, time_t now,
			  struct hostiam_request_ctx *ctx);

void hostiam_request_ctx_free(struct hostiam_request_ctx *ctx);

struct hostiam_cache_info;

/*
 * The one definition of offline, for the request builder and `hostiam review`: true when
 * there is no usable directory cache (info NULL: missing, unreadable, corrupt, or no
 * cache path) or its last sync is more than cache.max_age seconds before now. A cache
 * exactly max_age old is still current. No I/O.
 */
bool hostiam_cache_offline(const struct hostiam_config *cfg, const struct hostiam_cache_info *info,
			   time_t now);

#endif
