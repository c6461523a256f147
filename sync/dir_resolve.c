/* SPDX-License-Identifier: BSD-2-Clause */
/* Validation of directory entries and assembly of the cache writer's input. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dir_local.h"
#include "dir_members.h"
#include "dir_resolve.h"
#include "errors.h"
#include "log.h"
#include "names.h"
#include "parse_num.h"

#define ID_MAX 4294967294UL /* (uid_t)-1 means "no id" to the kernel */
#define LOGGED_SKIP 1u
#define LOGGED_GECOS 2u
#define LOGGED_KEY 4u
#define LOGGED_SECRET 8u
#define LOGGED_ACCOUNT 16u

/* An entry that passed validation, with its ids parsed. */
struct cand {
	struct dir_entry *e;
	const char *name; /* e's name (sorting reads it a million times) */
	uint32_t id, gid;
	const char *gecos;
	int dup;
};

/* What validation decided for an entry. */
enum verdict {
	V_DROP_QUIET = -1, /* left out on purpose (below min_uid) */
	V_SKIP = 0,        /* left out for a problem (logged, counted) */
	V_KEEP = 1,        /* cached */
	V_NEST = 2,        /* a group only for flattening nested membership */
	V_NEST_SKIP = 3,   /* the same, after a logged problem (counted) */
};

/* A log-safe copy of s in buf: control characters replaced, length bounded. */
static const char *printable(const char *s, char *buf, size_t len)
{
	size_t i;

	snprintf(buf, len, "%s", s ? s : "");
	for (i = 0; buf[i]; i++)
		if ((unsigned char)buf[i] < 0x20 || buf[i] == 0x7f)
			buf[i] = '?';
	return buf;
}

/* Log "PREFIX: WHY dn=DN" once per entry for the problem bit; at prio. */
static void report(struct dir_entry *e, unsigned bit, int prio, const char *prefix, const char *fmt,
		   ...) __attribute__((format(printf, 5, 6)));
static void report(struct dir_entry *e, unsigned bit, int prio, const char *prefix, const char *fmt,
		   ...)
{
	char why[512], dn[512];
	va_list ap;

	if (e->logged & bit)
		return;
	e->logged |= bit;
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	hostiam_log(prio, "%s: %s dn=%s", prefix, why,
		    printable(dir_text(e, DIR_DN), dn, sizeof(dn)));
}

#define SKIP(e, ...) (report((e), LOGGED_SKIP, LOG_WARNING, "skipping entry", __VA_ARGS__), 0)

/* True if s can be a passwd field: no ':' and no control characters. */
static int field_ok(const char *s)
{
	for (; *s; s++)
		if (*s == ':' || (unsigned char)*s < 0x20 || *s == 0x7f)
			return 0;
	return 1;
}

/* Parse a uidNumber/gidNumber of e into *out; logs and returns 0 when it is unusable. */
static int parse_id(struct dir_entry *e, const char *attr, const char *text, uint32_t *out)
{
	unsigned long v;
	char buf[64];

	if (!text)
		return SKIP(e, "no %s", attr);
	if (hostiam_parse_ulong(text, 0, ID_MAX, &v) < 0)
		return SKIP(e, "%s is not a number in range value=%s", attr,
			    printable(text, buf, sizeof(buf)));
	*out = (uint32_t)v;
	return 1;
}

/* The gecos of a user: gecos, else cn; "" (logged) when it cannot be a passwd field. */
static const char *pick_gecos(struct dir_entry *e)
{
	const char *g = dir_text(e, DIR_GECOS) ? dir_text(e, DIR_GECOS) : dir_text(e, DIR_CN);

	if (!g || field_ok(g))
		return g;
	report(e, LOGGED_GECOS, LOG_WARNING, "ignoring gecos",
	       "it contains ':' or control characters");
	return NULL;
}

/* Check a user entry; V_KEEP and c filled if it can be cached. */
static int user_ok(struct dir_entry *e, const struct dir_policy *p, const struct dir_local *l,
		   struct cand *c)
{
	char buf[128];

	c->e = e;
	c->name = dir_text(e, DIR_NAME);
	c->dup = 0;
	if (dir_text(e, DIR_BAD_ATTR))
		return SKIP(e, "value is not valid UTF-8 attr=%s", dir_text(e, DIR_BAD_ATTR));
	if (!dir_text(e, DIR_NAME))
		return SKIP(e, "no uid");
	if (!parse_id(e, "uidNumber", dir_text(e, DIR_ID), &c->id) ||
	    !parse_id(e, "gidNumber", dir_text(e, DIR_GID), &c->gid))
		return 0;
	if (c->id < p->min_uid) {
		report(e, LOGGED_SKIP, LOG_DEBUG, "skipping entry", "below min_uid uid=%u",
		       (unsigned)c->id);
		return V_DROP_QUIET;
	}
	/* A primary group of the host's own (root, sudo, adm...) would grant its rights. */
	if (c->gid < p->min_gid)
		return SKIP(e, "gidNumber below min_gid gid=%u", (unsigned)c->gid);
	if (!hostiam_valid_user_name(dir_text(e, DIR_NAME)))
		return SKIP(e, "invalid user name name=%s",
			    printable(dir_text(e, DIR_NAME), buf, sizeof(buf)));
	/* A directory entry must never become a local account (root's keys, its files). */
	if (dir_local_has_name(&l->users, dir_text(e, DIR_NAME)))
		return SKIP(e, "a local user has this name name=%s", dir_text(e, DIR_NAME));
	if (dir_local_has_id(&l->users, c->id))
		return SKIP(e, "a local user has this uidNumber uid=%u", (unsigned)c->id);
	if (!dir_text(e, DIR_HOME))
		return SKIP(e, "no homeDirectory");
	if (dir_text(e, DIR_HOME)[0] != '/' || !field_ok(dir_text(e, DIR_HOME)))
		return SKIP(e, "invalid homeDirectory");
	if (dir_text(e, DIR_SHELL) && !field_ok(dir_text(e, DIR_SHELL)))
		return SKIP(e, "invalid loginShell");
	c->gecos = pick_gecos(e);
	return V_KEEP;
}

/*
 * Check a group entry; V_KEEP and c filled if it can be cached. Groups that cannot be
 * cached but are sound nodes of the membership graph (no gidNumber, as groupOfNames in
 * RFC 2307bis trees; below min_gid; named or numbered like a local group) give V_NEST or
 * V_NEST_SKIP: their members still reach the groups that nest them.
 */
static int group_ok(struct dir_entry *e, const struct dir_policy *p, const struct dir_local *l,
		    struct cand *c)
{
	char buf[128];

	c->e = e;
	c->name = dir_text(e, DIR_NAME);
	c->dup = 0;
	c->gecos = NULL;
	if (dir_text(e, DIR_BAD_ATTR))
		return SKIP(e, "value is not valid UTF-8 attr=%s", dir_text(e, DIR_BAD_ATTR));
	if (!dir_text(e, DIR_NAME))
		return SKIP(e, "no cn");
	if (!dir_text(e, DIR_ID)) {
		report(e, LOGGED_SKIP, LOG_DEBUG, "not caching group",
		       "no gidNumber; used for "
		       "nesting only name=%s",
		       printable(dir_text(e, DIR_NAME), buf, sizeof(buf)));
		return V_NEST;
	}
	if (!parse_id(e, "gidNumber", dir_text(e, DIR_ID), &c->id))
		return V_SKIP;
	if (c->id < p->min_gid) {
		report(e, LOGGED_SKIP, LOG_DEBUG, "skipping entry", "below min_gid gid=%u",
		       (unsigned)c->id);
		return V_NEST;
	}
	if (!hostiam_valid_group_name(dir_text(e, DIR_NAME)))
		return SKIP(e, "invalid group name name=%s",
			    printable(dir_text(e, DIR_NAME), buf, sizeof(buf)));
	if (dir_local_has_name(&l->groups, dir_text(e, DIR_NAME))) {
		(void)SKIP(e, "a local group has this name name=%s", dir_text(e, DIR_NAME));
		return V_NEST_SKIP;
	}
	if (dir_local_has_id(&l->groups, c->id)) {
		(void)SKIP(e, "a local group has this gidNumber gid=%u", (unsigned)c->id);
		return V_NEST_SKIP;
	}
	return V_KEEP;
}

/* Order candidates by name. */
static int cmp_name(const void *a, const void *b)
{
	return strcmp(((const struct cand *)a)->name, ((const struct cand *)b)->name);
}

/* Order candidates by id. */
static int cmp_id(const void *a, const void *b)
{
	uint32_t x = ((const struct cand *)a)->id, y = ((const struct cand *)b)->id;

	return x < y ? -1 : x > y;
}

/*
 * Mark every candidate that shares a name or an id with another: all of them are left
 * out, since no choice between them would be right. Ends sorted by name.
 */
static void mark_duplicates(struct cand *c, size_t n, const char *what, const char *idattr)
{
	size_t i;

	qsort(c, n, sizeof(*c), cmp_id);
	for (i = 0; i + 1 < n; i++)
		if (c[i].id == c[i + 1].id)
			c[i].dup = c[i + 1].dup = 2;
	qsort(c, n, sizeof(*c), cmp_name);
	for (i = 0; i + 1 < n; i++)
		if (strcmp(c[i].name, c[i + 1].name) == 0)
			c[i].dup = c[i + 1].dup = 1;
	for (i = 0; i < n; i++) {
		if (c[i].dup == 1)
			(void)SKIP(c[i].e, "duplicate %s name name=%s", what,
				   dir_text(c[i].e, DIR_NAME));
		else if (c[i].dup == 2)
			(void)SKIP(c[i].e, "duplicate %s %s=%u", idattr,
				   what[0] == 'u' ? "uid" : "gid", (unsigned)c[i].id);
	}
}

/* The valid entries of one kind, and (groups) the nodes kept only for nesting. */
struct valid {
	struct cand *c; /* sorted by name, duplicates dropped */
	size_t n;
	struct dir_entry **nest; /* groups that are not cached but nest others */
	size_t n_nest;
};

/* Validate kind entries into *out; *skipped counts the entries left out for a problem. */
static int validate(struct dir_entry *const *v, size_t n, const struct dir_policy *p,
		    const struct dir_local *l, struct valid *out, uint32_t *skipped)
{
	struct cand *c = calloc(n + 1, sizeof(*c));
	struct dir_entry **nest = calloc(n + 1, sizeof(*nest));
	size_t i, k = 0, j, nn = 0;

	if (!c || !nest) {
		free(c);
		free(nest);
		return HOSTIAM_ERR_NOMEM;
	}
	for (i = 0; i < n; i++) {
		int ok = v[i]->kind == DIR_USER ? user_ok(v[i], p, l, &c[k]) :
						  group_ok(v[i], p, l, &c[k]);

		if (ok == V_KEEP)
			k++;
		else if (ok == V_SKIP || ok == V_NEST_SKIP)
			(*skipped)++;
		/* Without a DN nothing can name the group as a member. */
		if ((ok == V_NEST || ok == V_NEST_SKIP) && dir_text(v[i], DIR_NDN))
			nest[nn++] = v[i];
	}
	if (n > 0)
		mark_duplicates(c, k, v[0]->kind == DIR_USER ? "user" : "group",
				v[0]->kind == DIR_USER ? "uidNumber" : "gidNumber");
	for (i = 0, j = 0; i < k; i++) {
		if (c[i].dup)
			(*skipped)++;
		else
			c[j++] = c[i];
	}
	out->c = c;
	out->n = j;
	out->nest = nest;
	out->n_nest = nn;
	return 0;
}

/* Free what validate allocated. */
static void valid_free(struct valid *v)
{
	free(v->c);
	free(v->nest);
}

/*
 * The SSH keys of a user that fit on one authorized_keys line: they are moved to the
 * front of e's keys, in their order, the others after them; how many.
 */
static size_t usable_keys(struct dir_entry *e)
{
	size_t i, j, k = 0;
	char *bad;

	for (i = 0; i < e->n_keys; i++) {
		if (!strpbrk(e->keys[i], "\r\n")) {
			/* Usable: rotate it in front of the unusable ones met so far. */
			for (bad = e->keys[i], j = i; j > k; j--)
				e->keys[j] = e->keys[j - 1];
			e->keys[k++] = bad;
			continue;
		}
		report(e, LOGGED_KEY, LOG_WARNING, "ignoring SSH key", "it spans lines");
	}
	return k;
}

/* Fill the writer's user records from the valid users. */
static void fill_users(const struct cand *c, size_t n, struct hostiam_cache_user_in *u)
{
	size_t i;

	for (i = 0; i < n; i++) {
		u[i].name = dir_text(c[i].e, DIR_NAME);
		u[i].uid = c[i].id;
		u[i].gid = c[i].gid;
		u[i].gecos = c[i].gecos;
		u[i].home = dir_text(c[i].e, DIR_HOME);
		u[i].shell = dir_text(c[i].e, DIR_SHELL) ? dir_text(c[i].e, DIR_SHELL) : "";
		u[i].n_ssh_keys = usable_keys(c[i].e);
		u[i].ssh_keys = (const char *const *)c[i].e->keys;
	}
}

/*
 * True for a secret auth.cache can hold: base32 letters and digits only (RFC 4648; no
 * padding, spaces or lowercase, which the directory should not have). Others are logged,
 * once per entry, and the user is kept without directory MFA.
 */
static bool usable_secret(struct dir_entry *e)
{
	size_t len;

	if (!dir_text(e, DIR_TOTP))
		return false;
	len = strlen(dir_text(e, DIR_TOTP));
	if (len >= 16 && len <= 1024 &&
	    strspn(dir_text(e, DIR_TOTP), "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") == len)
		return true;
	report(e, LOGGED_SECRET, LOG_WARNING, "ignoring TOTP secret",
	       "not upper-case base32 of 16 to 1024 characters");
	return false;
}

/*
 * The account state of e parsed into *a. A value that does not parse is logged (once per
 * entry) and kept as HOSTIAM_ATTR_BAD: an unreadable lock must never read as unlocked.
 */
static void parse_account(struct dir_entry *e, const struct dir_policy *p,
			  struct hostiam_account_attrs *a)
{
	char buf[64];
	size_t i;

	hostiam_account_attrs_clear(a);
	for (i = 0; i < HOSTIAM_ACCT_N; i++) {
		if (!dir_text(e, DIR_ACCOUNT + i))
			continue;
		if (hostiam_account_parse((enum hostiam_account_attr)i,
					  dir_text(e, DIR_ACCOUNT + i), &a->v[i]) < 0)
			report(e, LOGGED_ACCOUNT, LOG_WARNING, "unreadable account state",
			       "%s value=%s (treated as %s)",
			       p->account_names[i] ? p->account_names[i] : "?",
			       printable(dir_text(e, DIR_ACCOUNT + i), buf, sizeof(buf)),
			       i == HOSTIAM_ACCT_SHADOW_LAST_CHANGE ||
					       i == HOSTIAM_ACCT_SHADOW_MAX ?
				       "no password ageing" :
				       "denying logins");
	}
}

/* The auth.cache entries: the valid users with a usable secret or any account state. */
static int fill_secrets(const struct cand *c, size_t n, const struct dir_policy *p,
			struct dir_resolved *res)
{
	size_t i;

	res->secrets = calloc(n + 1, sizeof(*res->secrets));
	res->accounts = calloc(n + 1, sizeof(*res->accounts));
	if (!res->secrets || !res->accounts)
		return HOSTIAM_ERR_NOMEM;
	for (i = 0; i < n; i++) {
		struct hostiam_auth_entry *out = &res->secrets[res->n_secrets];

		parse_account(c[i].e, p, &res->accounts[i]);
		out->secret_b32 = usable_secret(c[i].e) ? dir_text(c[i].e, DIR_TOTP) : NULL;
		if (hostiam_account_attrs_any(&res->accounts[i]))
			out->account = &res->accounts[i];
		if (!out->secret_b32 && !out->account)
			continue;
		out->user = dir_text(c[i].e, DIR_NAME);
		res->n_secrets++;
	}
	return 0;
}

/* The entries of valid candidates, then the nesting-only nodes, for the membership pass. */
static struct dir_entry **entries_of(const struct valid *v)
{
	struct dir_entry **e = malloc((v->n + v->n_nest + 1) * sizeof(*e));
	size_t i;

	for (i = 0; e && i < v->n; i++)
		e[i] = v->c[i].e;
	for (i = 0; e && i < v->n_nest; i++)
		e[v->n + i] = v->nest[i];
	return e;
}

/* Validate with the local accounts l and fill out but for the members (dir_resolve_entries). */
static int resolve_entries(struct dir_entry *const *users, size_t nu,
			   struct dir_entry *const *groups, size_t ng, const struct dir_policy *p,
			   const struct dir_local *l, struct dir_resolving *st,
			   struct dir_resolved *res)
{
	struct valid uv = { 0 }, gv = { 0 };
	size_t i;
	int r;

	r = validate(users, nu, p, l, &uv, &res->skipped);
	if (r == 0)
		r = validate(groups, ng, p, l, &gv, &res->skipped);
	if (r < 0)
		goto out;
	r = HOSTIAM_ERR_NOMEM;
	res->users = calloc(uv.n + 1, sizeof(*res->users));
	res->groups = calloc(gv.n + 1, sizeof(*res->groups));
	st->users = entries_of(&uv);
	st->groups = entries_of(&gv);
	if (!res->users || !res->groups || !st->users || !st->groups)
		goto out;
	fill_users(uv.c, uv.n, res->users);
	if ((r = fill_secrets(uv.c, uv.n, p, res)) < 0)
		goto out;
	for (i = 0; i < gv.n; i++) {
		res->groups[i].name = dir_text(gv.c[i].e, DIR_NAME);
		res->groups[i].gid = gv.c[i].id;
	}
	res->n_users = st->n_users = uv.n;
	res->n_groups = st->n_cached = gv.n;
	st->n_groups = gv.n + gv.n_nest;
	st->drop = p->drop_members;
out:
	valid_free(&uv);
	valid_free(&gv);
	return r;
}

int dir_resolve_entries(struct dir_entry *const *users, size_t nu, struct dir_entry *const *groups,
			size_t ng, const struct dir_policy *p, struct dir_resolving *st,
			struct dir_resolved *out)
{
	struct dir_local local;
	int r;

	memset(st, 0, sizeof(*st));
	memset(out, 0, sizeof(*out));
	/* Read on every pass: local accounts come and go while the agent runs. */
	r = dir_local_load(&local);
	if (r < 0)
		return r;
	r = resolve_entries(users, nu, groups, ng, p, &local, st, out);
	dir_local_free(&local);
	if (r < 0) {
		dir_resolving_free(st);
		dir_resolved_free(out);
	}
	return r;
}

int dir_resolve_members(struct dir_resolving *st, struct dir_resolved *out)
{
	int r = dir_members_flatten(st->users, st->n_users, st->groups, st->n_groups, st->n_cached,
				    out->groups, &out->pool, &out->pool_ids, &out->names, st->drop);

	/* out stays whole on error: threads started on its users may still read it. */
	dir_resolving_free(st);
	return r;
}

void dir_resolving_free(struct dir_resolving *st)
{
	free(st->users);
	free(st->groups);
	memset(st, 0, sizeof(*st));
}

int dir_resolve(struct dir_entry *const *users, size_t nu, struct dir_entry *const *groups,
		size_t ng, const struct dir_policy *p, struct dir_resolved *out)
{
	struct dir_resolving st;
	int r = dir_resolve_entries(users, nu, groups, ng, p, &st, out);

	if (r == 0 && (r = dir_resolve_members(&st, out)) < 0)
		dir_resolved_free(out);
	return r;
}

int dir_resolve_user(struct dir_entry *e, const struct dir_policy *p, const struct dir_local *l,
		     struct hostiam_cache_user_in *u, struct hostiam_account_attrs *acct,
		     struct hostiam_auth_entry *auth)
{
	struct cand c;

	memset(auth, 0, sizeof(*auth));
	if (user_ok(e, p, l, &c) != V_KEEP)
		return 0;
	fill_users(&c, 1, u);
	parse_account(e, p, acct);
	auth->secret_b32 = usable_secret(e) ? dir_text(e, DIR_TOTP) : NULL;
	auth->account = hostiam_account_attrs_any(acct) ? acct : NULL;
	if (auth->secret_b32 || auth->account)
		auth->user = dir_text(e, DIR_NAME);
	return 1;
}

int dir_resolve_group(struct dir_entry *e, const struct dir_policy *p, const struct dir_local *l,
		      struct hostiam_cache_group_in *g)
{
	struct cand c;

	if (group_ok(e, p, l, &c) != V_KEEP)
		return 0;
	g->name = dir_text(e, DIR_NAME);
	g->gid = c.id;
	g->members = NULL;
	g->n_members = 0;
	return 1;
}

void dir_resolved_free(struct dir_resolved *r)
{
	free(r->users);
	free(r->groups);
	free(r->pool);
	free(r->pool_ids);
	free(r->names);
	free(r->secrets);
	free(r->accounts);
	memset(r, 0, sizeof(*r));
}
