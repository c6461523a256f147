/* SPDX-License-Identifier: BSD-2-Clause */
/* The one-shot sync (and the agent's fallback without syncrepl). */
#include "config.h"

#include <inttypes.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "errors.h"
#include "dir_conn.h"
#include "dir_search.h"
#include "log.h"
#include "sudo_follow.h"
#include "grants_follow.h"
#include "grants_sync.h"
#include "sudo_sync.h"
#include "sync_full.h"
#include "sync_lock.h"
#include "sync_publish.h"
#include "thread.h"

struct collect {
	enum dir_kind kind;
	const struct dir_schema *schema;
	struct dir_list *list;
};

void sync_schema(const struct hostiam_config *cfg, struct dir_schema *s, struct dir_policy *p)
{
	size_t i;

	s->ssh_key = cfg->directory.map_ssh_key ? cfg->directory.map_ssh_key : "sshPublicKey";
	s->totp_secret = cfg->directory.map_totp_secret;
	for (i = 0; i < HOSTIAM_ACCT_N; i++) {
		s->account[i] = hostiam_account_attr_name(cfg, (enum hostiam_account_attr)i);
		p->account_names[i] = s->account[i];
	}
	s->members = &cfg->directory.group_members;
	p->min_uid = cfg->directory.min_uid;
	p->min_gid = cfg->directory.min_gid;
	p->drop_members = false;
}

/* Search callback: keep a parsed copy of the entry. */
static int collect_entry(LDAP *ld, LDAPMessage *msg, void *ctx)
{
	struct collect *c = ctx;
	struct dir_entry *e = NULL;
	int r = dir_entry_parse(ld, msg, c->kind, c->schema, NULL, &e);

	if (r == 0 && (r = dir_list_push(c->list, e)) < 0)
		dir_entry_free(e);
	return r;
}

/* Read all entries of one kind into list. */
static int fetch(const struct hostiam_config *cfg, LDAP *ld, enum dir_kind kind,
		 const struct dir_schema *s, const volatile sig_atomic_t *stop,
		 struct dir_list *list, char *err, size_t err_len)
{
	const struct hostiam_directory_config *d = &cfg->directory;
	struct collect c = { kind, s, list };
	struct dir_search_req req = {
		.base = kind == DIR_USER ? d->users_base : d->groups_base,
		.filter = kind == DIR_USER ? d->users_filter : d->groups_filter,
		.page_size = d->page_size > 0 ? d->page_size : 500,
		.timeout = d->timeout > 0 ? d->timeout : 5,
		.stop = stop,
	};
	char why[400];
	int r;

	if (!req.base)
		req.base = d->base;
	req.attrs = dir_attrs_new(kind, s);
	if (!req.attrs)
		return HOSTIAM_ERR_NOMEM;
	r = dir_paged_search(ld, &req, collect_entry, &c, why, sizeof(why));
	if (r < 0)
		snprintf(err, err_len, "%s base=%s", why, req.base);
	dir_attrs_free(req.attrs);
	return r;
}

/* The users, read on a connection of their own on a thread while the groups are read. */
struct users_job {
	const struct hostiam_config *cfg;
	const struct dir_schema *s;
	const volatile sig_atomic_t *stop;
	struct dir_conn conn;
	struct dir_list *list;
	hostiam_log_fn sink;
	void *sink_ctx;
	int level;
	char err[1024];
	int r;
};

static void *users_main(void *arg)
{
	struct users_job *j = arg;

	hostiam_log_set_sink(j->sink, j->sink_ctx);
	hostiam_log_set_level(j->level);
	j->r = fetch(j->cfg, j->conn.ld, DIR_USER, j->s, j->stop, j->list, j->err, sizeof(j->err));
	return NULL;
}

/*
 * Read the users and the groups. The server works on both at once when a second
 * connection opens to the same server as conn (the two halves of one replica's view,
 * never of two): at 100,000 users the users' search is mostly the server's time and the
 * groups' mostly ours, and together they take about the longer of the two. Otherwise, one
 * after the other on conn. 0 or a HOSTIAM_ERR_* with the reason in err.
 */
static int fetch_all(const struct hostiam_config *cfg, struct dir_conn *conn,
		     const struct dir_schema *s, const volatile sig_atomic_t *stop,
		     struct dir_list *users, struct dir_list *groups, char *err, size_t err_len)
{
	struct users_job j = { .cfg = cfg, .s = s, .stop = stop, .list = users };
	char why[512] = "another server";
	pthread_t t;
	int r;

	hostiam_log_get(&j.sink, &j.sink_ctx, &j.level);
	if (dir_conn_open_uri(&cfg->directory, conn->uri, &j.conn, why, sizeof(why)) < 0 ||
	    !dir_conn_same_server(conn, &j.conn) || hostiam_thread_spawn(&t, users_main, &j) != 0) {
		hostiam_log(LOG_DEBUG, "reading users and groups on one connection: %s server=%s",
			    j.conn.ld ? "another server or no thread" : why, conn->uri);
		dir_conn_close(&j.conn);
		r = fetch(cfg, conn->ld, DIR_USER, s, stop, users, err, err_len);
		return r < 0 ? r : fetch(cfg, conn->ld, DIR_GROUP, s, stop, groups, err, err_len);
	}
	r = fetch(cfg, conn->ld, DIR_GROUP, s, stop, groups, err, err_len);
	pthread_join(t, NULL);
	dir_conn_close(&j.conn);
	if (j.r < 0) {
		snprintf(err, err_len, "%s", j.err);
		return j.r;
	}
	return r;
}

/* dir_resolve freed the groups' member lists: hand their pages back before publishing. */
static void trim(void)
{
#ifdef __GLIBC__
	malloc_trim(0);
#endif
}

/*
 * Resolve and publish, the auth.cache written on a thread while membership is flattened
 * and the nss cache built (sync_publish_begin). Fails without publishing anything when
 * the first step fails, as sync_publish.
 */
static int publish_resolving(const struct hostiam_config *cfg, struct dir_resolving *st,
			     struct dir_resolved *res, bool force, uint64_t *gen, char *err,
			     size_t err_len)
{
	struct sync_pub pub;
	bool drop = st->drop;
	int r = sync_publish_begin(cfg, res, force, &pub, err, err_len);

	if (r < 0) {
		dir_resolving_free(st);
		return r;
	}
	r = dir_resolve_members(st, res);
	if (r < 0) {
		sync_publish_cancel(&pub);
		snprintf(err, err_len, "cannot resolve the directory: %s", hostiam_strerror(r));
		return r;
	}
	if (drop)
		trim();
	return sync_publish_end(&pub, gen, err, err_len);
}

/* sync_resolve_publish; drop: the groups are not resolved again (a one-shot full sync). */
static int resolve_publish(const struct hostiam_config *cfg, struct dir_entry *const *users,
			   size_t nu, struct dir_entry *const *groups, size_t ng,
			   const char *server, bool force, bool drop, char *err, size_t err_len)
{
	struct dir_schema s;
	struct dir_policy p;
	struct dir_resolving st;
	struct dir_resolved res = { 0 };
	uint64_t gen = 0;
	char msg[512];
	int r;

	sync_schema(cfg, &s, &p);
	p.drop_members = drop;
	r = dir_resolve_entries(users, nu, groups, ng, &p, &st, &res);
	if (r < 0) {
		snprintf(err, err_len, "cannot resolve the directory: %s", hostiam_strerror(r));
		sync_record(cfg, 0, err, server, NULL);
		return r;
	}
	r = publish_resolving(cfg, &st, &res, force, &gen, err, err_len);
	if (r == 0) {
		snprintf(msg, sizeof(msg), "published generation %" PRIu64, gen);
		hostiam_log(LOG_INFO,
			    "sync published generation=%" PRIu64 " users=%zu groups=%zu "
			    "skipped=%u server=%s",
			    gen, res.n_users, res.n_groups, (unsigned)res.skipped, server);
	}
	sync_record(cfg, r == 0, r == 0 ? msg : err, server, &res);
	dir_resolved_free(&res);
	return r;
}

int sync_resolve_publish(const struct hostiam_config *cfg, struct dir_entry *const *users,
			 size_t nu, struct dir_entry *const *groups, size_t ng, const char *server,
			 bool force, char *err, size_t err_len)
{
	return resolve_publish(cfg, users, nu, groups, ng, server, force, false, err, err_len);
}

/* The sudo rules, on the connection the caches were read on: logged, never fatal to them. */
static void sync_sudo(const struct hostiam_config *cfg, LDAP *ld, const volatile sig_atomic_t *stop)
{
	char err[1024];

	/* The agent's own thread follows them (sudo_follow.c): not twice. */
	if (sudo_follow_active())
		return;
	if (cfg->directory.sudo_base && ld && sudo_sync(cfg, ld, stop, err, sizeof(err)) < 0)
		hostiam_log(LOG_ERR, "%s", err);
}

/* The grants (directory.grants), on the same connection: logged, never fatal to the rest. */
static void sync_grants(const struct hostiam_config *cfg, LDAP *ld,
			const volatile sig_atomic_t *stop)
{
	char err[1024];

	/* The agent's own thread follows them (grants_follow.c): not twice. */
	if (grants_follow_active())
		return;
	if (cfg->directory.grants_base && ld &&
	    grants_sync(cfg, ld, stop, time(NULL), err, sizeof(err)) < 0)
		hostiam_log(LOG_ERR, "%s", err);
}

int sync_full(const struct hostiam_config *cfg, bool force, const volatile sig_atomic_t *stop,
	      char *err, size_t err_len)
{
	struct dir_conn conn = { 0 };
	struct dir_list users = { 0 }, groups = { 0 };
	struct dir_schema s;
	struct dir_policy p;
	int r, lock = -1;

	sync_schema(cfg, &s, &p);
	/* Held from before the read: what is published is never older than what is there. */
	r = sync_lock_take(cfg, stop, &lock, err, err_len);
	if (r < 0)
		return r;
	r = dir_conn_open(&cfg->directory, &conn, err, err_len);
	if (r == 0)
		r = fetch_all(cfg, &conn, &s, stop, &users, &groups, err, err_len);
	/* Nothing is published from an incomplete read. */
	if (r == 0)
		r = resolve_publish(cfg, users.v, users.n, groups.v, groups.n, conn.uri, force,
				    true, err, err_len);
	else
		sync_record(cfg, 0, err, conn.uri, NULL);
	/* After users and groups, whatever became of them: neither part stops the other. */
	sync_sudo(cfg, conn.ld, stop);
	sync_grants(cfg, conn.ld, stop);
	dir_conn_close(&conn);
	sync_lock_release(lock);
	dir_list_free(&users);
	dir_list_free(&groups);
	return r;
}
