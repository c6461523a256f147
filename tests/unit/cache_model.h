/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A directory in miniature for the delta tests: users and groups keyed by small numbers,
 * random change sets applied to it and, as hostiam_cache_write_delta() input, the same
 * change sets (with the complete gid lists of every member whose groups changed, as the
 * agent computes them). The expected cache is a fresh full write of the model.
 */
#ifndef HOSTIAM_CACHE_MODEL_H
#define HOSTIAM_CACHE_MODEL_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cache_writer.h"

#define M_NAMES 1200 /* name ids: below M_USER_NAMES "u<id>", else "local<id>" */
#define M_USER_NAMES 1000
#define M_GROUPS 300  /* group name ids: "g<id>" */
#define M_UID0 10000u /* uids M_UID0 .. M_UID0 + M_UIDS - 1 */
#define M_UIDS 1500u
#define M_GID0 50000u /* gids M_GID0 .. M_GID0 + M_GIDS - 1 */
#define M_GIDS 400u
#define M_MAX_MEMBERS 12
#define M_MAX_OPS 8

struct m_user {
	bool live;
	uint32_t uid, gid;
	int version, n_keys; /* strings are derived from these */
};

struct m_group {
	bool live;
	uint32_t gid;
	int n;
	int mem[M_MAX_MEMBERS]; /* name ids, distinct */
};

struct model {
	struct m_user u[M_USER_NAMES];
	struct m_group g[M_GROUPS];
};

/* Strings of every name id, user record and key, made once. */
static char m_name[M_NAMES][16], m_gname[M_GROUPS][16];

static void m_init_names(void)
{
	for (int i = 0; i < M_NAMES; i++)
		snprintf(m_name[i], sizeof(m_name[i]), i < M_USER_NAMES ? "u%d" : "local%d", i);
	for (int i = 0; i < M_GROUPS; i++)
		snprintf(m_gname[i], sizeof(m_gname[i]), "g%d", i);
}

/* Input records of a model, with the strings they point to. */
struct m_input {
	struct hostiam_cache_user_in users[M_USER_NAMES];
	struct hostiam_cache_group_in groups[M_GROUPS];
	const char *members[M_GROUPS][M_MAX_MEMBERS];
	char gecos[M_USER_NAMES][24], home[M_USER_NAMES][32], keys[M_USER_NAMES][2][48];
	const char *keyp[M_USER_NAMES][2];
	size_t n_users, n_groups;
};

/* The input record of user id i. */
static void m_user_in(const struct model *m, int i, struct m_input *in,
		      struct hostiam_cache_user_in *out)
{
	const struct m_user *u = &m->u[i];

	snprintf(in->gecos[i], sizeof(in->gecos[i]), "User %d v%d", i, u->version);
	snprintf(in->home[i], sizeof(in->home[i]), "/home/u%d/%d", i, u->version % 3);
	for (int k = 0; k < u->n_keys; k++) {
		snprintf(in->keys[i][k], sizeof(in->keys[i][k]), "ssh-ed25519 AAAA%d/%d u%d", k,
			 u->version, i);
		in->keyp[i][k] = in->keys[i][k];
	}
	*out = (struct hostiam_cache_user_in){
		m_name[i],   u->uid,
		u->gid,      u->version % 4 ? in->gecos[i] : NULL,
		in->home[i], u->version & 1 ? "/bin/sh" : "/bin/bash",
		in->keyp[i], (size_t)u->n_keys
	};
}

/* The input record of group id i. */
static void m_group_in(const struct model *m, int i, struct m_input *in,
		       struct hostiam_cache_group_in *out)
{
	const struct m_group *g = &m->g[i];

	for (int k = 0; k < g->n; k++)
		in->members[i][k] = m_name[g->mem[k]];
	*out = (struct hostiam_cache_group_in){ m_gname[i], g->gid, in->members[i], (size_t)g->n,
						NULL };
}

/* The whole model as writer input. */
static void m_input_all(const struct model *m, struct m_input *in)
{
	in->n_users = in->n_groups = 0;
	for (int i = 0; i < M_USER_NAMES; i++)
		if (m->u[i].live)
			m_user_in(m, i, in, &in->users[in->n_users++]);
	for (int i = 0; i < M_GROUPS; i++)
		if (m->g[i].live)
			m_group_in(m, i, in, &in->groups[in->n_groups++]);
}

/* The groups of every name id, as a sorted gid list (for the member index). */
struct m_memberships {
	uint32_t gids[M_NAMES][M_GROUPS];
	int n[M_NAMES];
};

static int m_cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static void m_memberships(const struct model *m, struct m_memberships *ms)
{
	memset(ms->n, 0, sizeof(ms->n));
	for (int i = 0; i < M_GROUPS; i++)
		for (int k = 0; m->g[i].live && k < m->g[i].n; k++) {
			int who = m->g[i].mem[k];

			ms->gids[who][ms->n[who]++] = m->g[i].gid;
		}
	for (int i = 0; i < M_NAMES; i++)
		qsort(ms->gids[i], (size_t)ms->n[i], sizeof(uint32_t), m_cmp_u32);
}

/* Set user i with uid: like the writer, it replaces the user of that name or uid. */
static void m_set_user(struct model *m, int i, uint32_t uid, uint32_t gid, int version, int n_keys)
{
	for (int j = 0; j < M_USER_NAMES; j++)
		if (m->u[j].live && m->u[j].uid == uid)
			m->u[j].live = false;
	m->u[i] = (struct m_user){ true, uid, gid, version, n_keys };
}

static void m_drop_uid(struct model *m, uint32_t uid)
{
	for (int j = 0; j < M_USER_NAMES; j++)
		if (m->u[j].live && m->u[j].uid == uid)
			m->u[j].live = false;
}

static void m_drop_gid(struct model *m, uint32_t gid)
{
	for (int j = 0; j < M_GROUPS; j++)
		if (m->g[j].live && m->g[j].gid == gid)
			m->g[j].live = false;
}

/* Random distinct member name ids for a group. */
static void m_random_members(struct m_group *g, unsigned *seed)
{
	g->n = (int)(rand_r(seed) % (M_MAX_MEMBERS + 1));
	for (int k = 0; k < g->n; k++) {
		bool again;

		do {
			/* Mostly users, some local names, and a few hot ones everybody shares. */
			int r = (int)(rand_r(seed) % 10);

			g->mem[k] = r < 2 ?
				(int)(rand_r(seed) % 20) :
				r < 9 ?
				(int)(rand_r(seed) % M_USER_NAMES) :
				M_USER_NAMES + (int)(rand_r(seed) % (M_NAMES - M_USER_NAMES));
			again = false;
			for (int j = 0; j < k; j++)
				again |= g->mem[j] == g->mem[k];
		} while (again);
	}
}

/* A base: users of ids [0, n_users) and groups [0, n_groups), random memberships. */
static void m_base(struct model *m, int n_users, int n_groups, unsigned *seed)
{
	memset(m, 0, sizeof(*m));
	for (int i = 0; i < n_users; i++)
		m_set_user(m, i, M_UID0 + (uint32_t)i, M_GID0 + (uint32_t)(i % 7), 0, i % 3);
	for (int i = 0; i < n_groups; i++) {
		m->g[i].live = true;
		m->g[i].gid = M_GID0 + (uint32_t)i;
		m_random_members(&m->g[i], seed);
	}
}

/* One change set: what the test passes to the writer, kept alive with its strings. */
struct m_change {
	struct hostiam_cache_changes ch;
	struct m_input in; /* records of the users and groups set */
	struct hostiam_cache_user_in users[M_MAX_OPS];
	struct hostiam_cache_group_in groups[M_MAX_OPS];
	struct hostiam_cache_member_in members[M_NAMES];
	const char *drop_users[M_MAX_OPS], *drop_groups[M_MAX_OPS];
	uint32_t drop_uids[M_MAX_OPS], drop_gids[M_MAX_OPS];
	struct m_memberships before, after;
	bool name_set[M_USER_NAMES], uid_set[M_UIDS], gname_set[M_GROUPS], gid_set[M_GIDS];
};

/* Random drops, applied to the model at once (the writer applies drops first too). */
static void m_random_drops(struct model *m, struct m_change *c, unsigned *seed)
{
	struct hostiam_cache_changes *ch = &c->ch;
	int n = (int)(rand_r(seed) % 3);

	for (int k = 0; k < n; k++) {
		uint32_t r = (uint32_t)rand_r(seed);

		if (r % 4 == 0) {
			int i = (int)(r / 4 % M_USER_NAMES);

			c->drop_users[ch->n_drop_user_names++] = m_name[i];
			m->u[i].live = false;
		} else if (r % 4 == 1) {
			uint32_t uid = M_UID0 + r / 4 % M_UIDS;

			c->drop_uids[ch->n_drop_uids++] = uid;
			m_drop_uid(m, uid);
		} else if (r % 4 == 2) {
			int i = (int)(r / 4 % M_GROUPS);

			c->drop_groups[ch->n_drop_group_names++] = m_gname[i];
			m->g[i].live = false;
		} else {
			uint32_t gid = M_GID0 + r / 4 % M_GIDS;

			c->drop_gids[ch->n_drop_gids++] = gid;
			m_drop_gid(m, gid);
		}
	}
}

/* A random user set: an edit, a new user, a rename or a uid change. */
static void m_random_user(struct model *m, struct m_change *c, unsigned *seed)
{
	int i = (int)(rand_r(seed) % M_USER_NAMES), from = i, kind = (int)(rand_r(seed) % 4);
	uint32_t uid = M_UID0 + (uint32_t)rand_r(seed) % M_UIDS;

	if (kind == 0 && m->u[i].live) /* edit: same name, same uid */
		uid = m->u[i].uid;
	if (kind == 1 && m->u[from].live) { /* rename: the uid moves to a new name */
		uid = m->u[from].uid;
		i = (int)(rand_r(seed) % M_USER_NAMES);
	}
	/* Renamed from a name set earlier in this change: the writer drops names first. */
	if (c->name_set[i] || c->uid_set[uid - M_UID0] || (kind == 1 && c->name_set[from]))
		return;
	if (kind == 1 && m->u[from].live && from != i) {
		c->drop_users[c->ch.n_drop_user_names++] = m_name[from];
		m->u[from].live = false;
	}
	c->name_set[i] = c->uid_set[uid - M_UID0] = true;
	m_set_user(m, i, uid, M_GID0 + (uint32_t)rand_r(seed) % M_GIDS, rand_r(seed) % 1000,
		   rand_r(seed) % 3);
	m_user_in(m, i, &c->in, &c->users[c->ch.n_users++]);
}

/* A random group set: new members, a new group, a rename or a gid change. */
static void m_random_group(struct model *m, struct m_change *c, unsigned *seed)
{
	int i = (int)(rand_r(seed) % M_GROUPS), from = i, kind = (int)(rand_r(seed) % 4);
	uint32_t gid = M_GID0 + (uint32_t)rand_r(seed) % M_GIDS;
	struct m_group g;

	if (kind == 0 && m->g[i].live) /* members only */
		gid = m->g[i].gid;
	if (kind == 1 && m->g[from].live) { /* rename */
		gid = m->g[from].gid;
		i = (int)(rand_r(seed) % M_GROUPS);
	}
	if (c->gname_set[i] || c->gid_set[gid - M_GID0] || (kind == 1 && c->gname_set[from]))
		return;
	if (kind == 1 && m->g[from].live && from != i) {
		c->drop_groups[c->ch.n_drop_group_names++] = m_gname[from];
		m->g[from].live = false;
	}
	c->gname_set[i] = c->gid_set[gid - M_GID0] = true;
	g = (struct m_group){ true, gid, 0, { 0 } };
	if (kind == 0 && m->g[i].live && m->g[i].n && rand_r(seed) % 2) {
		g = m->g[i]; /* one member less */
		g.mem[rand_r(seed) % (unsigned)g.n] = g.mem[g.n - 1];
		g.n--;
	} else {
		m_random_members(&g, seed);
	}
	m_drop_gid(m, gid);
	m->g[i] = g;
	m_group_in(m, i, &c->in, &c->groups[c->ch.n_groups++]);
}

/* Every name whose groups changed gets its complete list (empty: in no group any more). */
static void m_member_changes(const struct model *m, struct m_change *c, unsigned *seed)
{
	m_memberships(m, &c->after);
	for (int i = 0; i < M_NAMES; i++) {
		/* Now and then an unchanged list too: the agent may resend one. */
		if (c->before.n[i] == c->after.n[i] &&
		    !memcmp(c->before.gids[i], c->after.gids[i], (size_t)c->after.n[i] * 4) &&
		    rand_r(seed) % 64)
			continue;
		c->members[c->ch.n_members++] = (struct hostiam_cache_member_in){
			m_name[i], c->after.gids[i], (size_t)c->after.n[i]
		};
	}
}

/* A random change set of up to M_MAX_OPS sets plus drops, applied to m and described in c. */
static void m_random_change(struct model *m, struct m_change *c, unsigned *seed)
{
	int n_ops = 1 + (int)(rand_r(seed) % (M_MAX_OPS / 2));

	memset(c, 0, sizeof(*c));
	c->ch.users = c->users;
	c->ch.groups = c->groups;
	c->ch.members = c->members;
	c->ch.drop_user_names = c->drop_users;
	c->ch.drop_uids = c->drop_uids;
	c->ch.drop_group_names = c->drop_groups;
	c->ch.drop_gids = c->drop_gids;
	m_memberships(m, &c->before);
	m_random_drops(m, c, seed);
	for (int k = 0; k < n_ops; k++) {
		if (rand_r(seed) % 2)
			m_random_user(m, c, seed);
		else
			m_random_group(m, c, seed);
	}
	m_member_changes(m, c, seed);
}

#endif
