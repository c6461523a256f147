/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Build a policy request the way a login sees the user: passwd and groups through glibc NSS
 * (local files and the hostiam module alike), the last login and MFA from the state store,
 * offline from the directory cache's age. pam_hostiam and `hostiam check` both come here,
 * so they decide on the same inputs.
 */
#include "config.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include "auth_cache.h"
#include "cache.h"
#include "errors.h"
#include "grants.h"
#include "mfa.h"
#include "names.h"
#include "request.h"
#include "state.h"

/* NSS buffers start here and double on ERANGE up to a cap, so a hostile entry can't OOM us. */
#define NSS_BUF_START 1024
#define NSS_BUF_MAX (1024 * 1024)
#define GROUPS_START 32
#define GROUPS_MAX 65536

/* The user's canonical name, uid and primary gid; HOSTIAM_ERR_NOT_FOUND when NSS has none. */
static int lookup_user(const char *user, char **name, uid_t *uid, gid_t *gid)
{
	struct passwd pw, *res = NULL;
	size_t len = NSS_BUF_START;
	char *buf = NULL, *grown;
	int e, r = HOSTIAM_ERR_NOT_FOUND;

	for (;;) {
		if ((grown = realloc(buf, len)) == NULL) {
			r = HOSTIAM_ERR_NOMEM;
			goto out;
		}
		buf = grown;
		e = getpwnam_r(user, &pw, buf, len, &res);
		if (e != ERANGE || len >= NSS_BUF_MAX)
			break;
		len *= 2;
	}
	/* Some NSS modules report "no such user" as ENOENT or ESRCH instead of a NULL result. */
	if (e != 0 && e != ENOENT && e != ESRCH) {
		errno = e;
		r = HOSTIAM_ERR_SYSTEM;
		goto out;
	}
	if (res == NULL)
		goto out;
	/* The canonical name: a case-insensitive backend must not let "MALLORY" dodge a rule. */
	if ((*name = strdup(pw.pw_name)) == NULL) {
		r = HOSTIAM_ERR_NOMEM;
		goto out;
	}
	*uid = pw.pw_uid;
	*gid = pw.pw_gid;
	r = 0;
out:
	free(buf);
	return r;
}

/* Every gid of user (primary first), growing the array as getgrouplist asks. */
static int list_gids(const char *user, gid_t primary, gid_t **out, size_t *n_out)
{
	int n = GROUPS_START;
	gid_t *gids = NULL, *grown;

	for (;;) {
		int want = n;

		if ((grown = realloc(gids, (size_t)n * sizeof(*gids))) == NULL) {
			free(gids);
			return HOSTIAM_ERR_NOMEM;
		}
		gids = grown;
		if (getgrouplist(user, primary, gids, &want) >= 0) {
			n = want;
			break;
		}
		/* glibc puts the size it needs in want; never shrink, never grow without bound. */
		if (want <= n || want > GROUPS_MAX) {
			free(gids);
			return HOSTIAM_ERR_SYSTEM;
		}
		n = want;
	}
	*out = gids;
	*n_out = (size_t)n;
	return 0;
}

/* The name of gid, or *name NULL when NSS has none (such a group can match no rule). */
static int group_name(gid_t gid, char **name)
{
	struct group gr, *res = NULL;
	size_t len = NSS_BUF_START;
	char *buf = NULL, *grown;
	int e, r = 0;

	*name = NULL;
	for (;;) {
		if ((grown = realloc(buf, len)) == NULL) {
			free(buf);
			return HOSTIAM_ERR_NOMEM;
		}
		buf = grown;
		e = getgrgid_r(gid, &gr, buf, len, &res);
		if (e != ERANGE || len >= NSS_BUF_MAX)
			break;
		len *= 2;
	}
	if (e == 0 && res != NULL && (*name = strdup(gr.gr_name)) == NULL)
		r = HOSTIAM_ERR_NOMEM;
	free(buf);
	return r;
}

/* True if name is already among the first n of names. */
static bool seen(char *const *names, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0)
			return true;
	return false;
}

/* ctx->groups: the names of every group of the user, primary first, each once. */
static int collect_groups(struct hostiam_request_ctx *ctx, gid_t primary)
{
	gid_t *gids = NULL;
	size_t n = 0, i;
	char *name;
	int r;

	if ((r = list_gids(ctx->user, primary, &gids, &n)) < 0)
		return r;
	if ((ctx->groups = calloc(n ? n : 1, sizeof(*ctx->groups))) == NULL) {
		r = HOSTIAM_ERR_NOMEM;
		goto out;
	}
	for (i = 0; i < n; i++) {
		if ((r = group_name(gids[i], &name)) < 0)
			goto out;
		if (name == NULL || seen(ctx->groups, ctx->n_groups, name))
			free(name);
		else
			ctx->groups[ctx->n_groups++] = name;
	}
out:
	free(gids);
	return r;
}

/*
 * Offline: no cache, or synced more than max_age seconds ago. The sync time comes from a
 * file, so it is compared with now - max_age rather than subtracted, which could overflow.
 */
bool hostiam_cache_offline(const struct hostiam_config *cfg, const struct hostiam_cache_info *info,
			   time_t now)
{
	if (cfg == NULL || info == NULL)
		return true;
	return info->sync_time < (int64_t)now - (int64_t)cfg->cache.max_age;
}

/*
 * Open the cache to read its sync time (a cache that cannot be opened is offline) and
 * whether user is one of its users, as the account NSS resolved the name to (uid).
 */
static void cache_facts(const struct hostiam_config *cfg, const char *user, uid_t uid, time_t now,
			bool *offline, bool *directory_user)
{
	struct hostiam_cache_info info;
	struct hostiam_user_view u;
	struct hostiam_cache *c = NULL;

	*directory_user = false;
	if (cfg->cache.nss_path == NULL || hostiam_cache_open(cfg->cache.nss_path, &c) < 0) {
		*offline = hostiam_cache_offline(cfg, NULL, now);
		return;
	}
	hostiam_cache_get_info(c, &info);
	*offline = hostiam_cache_offline(cfg, &info, now);
	/* The account NSS gave us must be the cached one: a local account of the same name
	   (made since the last sync, which skips such names) is never a directory account. */
	*directory_user = hostiam_cache_user_by_name(c, user, &u) == 0 && (uid_t)u.uid == uid;
	hostiam_cache_close(c);
}

/*
 * A directory user's account state from auth.cache into ctx. No line, or no file, is no
 * state; a format 1 file cannot tell (account_unknown). Anything else is an error.
 */
static int load_account(const struct hostiam_config *cfg, struct hostiam_request_ctx *ctx)
{
	struct hostiam_auth_record rec;
	int r = hostiam_auth_cache_find(cfg->cache.auth_path, ctx->user, &rec);

	if (r == HOSTIAM_ERR_NOT_FOUND || r == HOSTIAM_ERR_CACHE_MISSING)
		return 0;
	if (r < 0)
		return r;
	if (!rec.account_known)
		ctx->req.account_unknown = true;
	else if (hostiam_account_attrs_any(&rec.account)) {
		ctx->account = rec.account;
		ctx->req.account = &ctx->account;
	}
	hostiam_auth_record_wipe(&rec);
	return 0;
}

/*
 * Whether user has MFA enrolled (locally or from the directory); HOSTIAM_UNSET when that
 * cannot be read, so an `enrolled` condition matches neither way and pam_hostiam fails
 * closed.
 */
static enum hostiam_tristate mfa_enrolled(const struct hostiam_config *cfg, const char *user)
{
	return hostiam_mfa_enrolled(cfg, user);
}

/* Owned copies of the strings the request points to; "" rhost and tty mean none. */
static int copy_inputs(struct hostiam_request_ctx *ctx, const char *service, const char *rhost,
		       const char *tty)
{
	if ((ctx->service = strdup(service)) == NULL)
		return HOSTIAM_ERR_NOMEM;
	if (rhost && rhost[0] && (ctx->rhost = strdup(rhost)) == NULL)
		return HOSTIAM_ERR_NOMEM;
	if (tty && tty[0] && (ctx->tty = strdup(tty)) == NULL)
		return HOSTIAM_ERR_NOMEM;
	return 0;
}

/* Look up, collect, read state and cache age, then point ctx->req at it all. */
int hostiam_request_build(const struct hostiam_config *cfg, const char *user, const char *service,
			  const char *rhost, const char *tty, time_t now,
			  struct hostiam_request_ctx *ctx)
{
	struct hostiam_user_state st;
	uid_t uid;
	gid_t gid;
	int r;

	if (ctx == NULL)
		return HOSTIAM_ERR_INVALID_ARG;
	memset(ctx, 0, sizeof(*ctx));
	if (cfg == NULL || user == NULL || service == NULL || service[0] == '\0')
		return HOSTIAM_ERR_INVALID_ARG;
	/* Not a name any account can have: as NSS would say, there is no such user. */
	if (!hostiam_valid_user_name(user))
		return HOSTIAM_ERR_NOT_FOUND;
	if ((r = lookup_user(user, &ctx->user, &uid, &gid)) < 0)
		return r;
	if ((r = copy_inputs(ctx, service, rhost, tty)) < 0 || (r = collect_groups(ctx, gid)) < 0)
		return r;
	/* Before the groups are handed to the request: grants add to them and take away. */
	if ((r = hostiam_request_grants(cfg, ctx, gid, now)) < 0)
		return r;
	if ((r = hostiam_state_load(cfg->cache.state_dir, ctx->user, &st)) < 0)
		return r;
	ctx->req.user = ctx->user;
	ctx->req.service = ctx->service;
	ctx->req.rhost = ctx->rhost;
	ctx->req.tty = ctx->tty;
	ctx->req.groups = (const char *const *)ctx->groups;
	ctx->req.n_groups = ctx->n_groups;
	ctx->req.group_grants = ctx->group_grants;
	ctx->req.now = now;
	/* Without a directory there is no cache to be stale: such a host is never offline. */
	if (cfg->directory.configured)
		cache_facts(cfg, ctx->user, uid, now, &ctx->req.offline, &ctx->req.directory_user);
	/* Exempt accounts are local break-glass accounts: never looked up in the directory. */
	if (ctx->req.directory_user && !hostiam_policy_is_exempt(cfg, ctx->user) &&
	    (r = load_account(cfg, ctx)) < 0)
		return r;
	ctx->req.enrolled = mfa_enrolled(cfg, ctx->user);
	ctx->req.last_login = st.last_login;
	ctx->req.cert = st.cert;
	ctx->req.last_mfa = st.last_mfa;
	ctx->n_terms = st.n_terms;
	memcpy(ctx->terms, st.terms, sizeof(ctx->terms));
	ctx->req.terms = ctx->terms;
	ctx->req.n_terms = ctx->n_terms;
	return 0;
}

/* Free every owned string; safe on a zeroed or half-built ctx, and twice. */
void hostiam_request_ctx_free(struct hostiam_request_ctx *ctx)
{
	size_t i;

	if (ctx == NULL)
		return;
	for (i = 0; i < ctx->n_groups; i++)
		free(ctx->groups[i]);
	free(ctx->groups);
	free(ctx->group_grants);
	free(ctx->user);
	free(ctx->service);
	free(ctx->rhost);
	free(ctx->tty);
	memset(ctx, 0, sizeof(*ctx));
}
