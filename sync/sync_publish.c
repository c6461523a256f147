/* SPDX-License-Identifier: BSD-2-Clause */
/* The last step of a sync: guard against a directory that suddenly lost its entries, write. */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "auth_cache.h"
#include "cache.h"
#include "cache_writer.h"
#include "errors.h"
#include "log.h"
#include "sync_publish.h"
#include "sync_status.h"
#include "thread.h"

/* mkdir -p dir with mode 0755 for what it creates. */
int sync_make_dir(const char *dir)
{
	char path[4096];
	size_t i, len = strlen(dir);

	if (len == 0 || len >= sizeof(path))
		return HOSTIAM_ERR_INVALID_ARG;
	memcpy(path, dir, len + 1);
	for (i = 1; i <= len; i++) {
		if (path[i] != '/' && path[i] != '\0')
			continue;
		path[i] = '\0';
		if (mkdir(path, 0755) < 0 && errno != EEXIST)
			return HOSTIAM_ERR_SYSTEM;
		path[i] = dir[i];
	}
	return 0;
}

/* True if going from before to after loses more than half. */
static bool lost_half(uint32_t before, size_t after)
{
	return before > 0 && (uint64_t)after * 2 < before;
}

/* The current cache's counts and generation; a missing or unreadable one counts as empty. */
static void current_info(const char *path, struct hostiam_cache_info *info)
{
	struct hostiam_cache *c = NULL;
	int r;

	memset(info, 0, sizeof(*info));
	r = hostiam_cache_open(path, &c);
	if (r == 0) {
		hostiam_cache_get_info(c, info);
		hostiam_cache_close(c);
	} else if (r != HOSTIAM_ERR_CACHE_MISSING) {
		hostiam_log(LOG_WARNING, "current cache unusable, replacing it: %s path=%s",
			    hostiam_strerror(r), path);
	}
}

/* The auth.cache of a publish: on its own thread, logging where its starter logs. */
static void *auth_main(void *arg)
{
	struct sync_pub *p = arg;

	hostiam_log_set_sink(p->sink, p->sink_ctx);
	hostiam_log_set_level(p->level);
	p->auth_r = hostiam_auth_cache_write(p->cfg->cache.auth_path, p->res->secrets,
					     p->res->n_secrets);
	return NULL;
}

int sync_publish_begin(const struct hostiam_config *cfg, const struct dir_resolved *res, bool force,
		       struct sync_pub *pub, char *err, size_t err_len)
{
	struct hostiam_cache_info cur;
	int r;

	memset(pub, 0, sizeof(*pub));
	r = sync_make_dir(cfg->cache.dir);
	if (r < 0) {
		snprintf(err, err_len, "cannot create %s: %s", cfg->cache.dir, strerror(errno));
		return r;
	}
	current_info(cfg->cache.nss_path, &cur);
	if (!force &&
	    (lost_half(cur.n_users, res->n_users) || lost_half(cur.n_groups, res->n_groups))) {
		snprintf(err, err_len,
			 "refusing to publish: the directory would shrink the cache "
			 "from %u to %zu users and %u to %zu groups (more than half lost); "
			 "run 'hostiam sync --force' if this is intended",
			 (unsigned)cur.n_users, res->n_users, (unsigned)cur.n_groups,
			 res->n_groups);
		return HOSTIAM_ERR_SHRINK;
	}
	pub->cfg = cfg;
	pub->res = res;
	pub->generation = cur.generation + 1;
	/* The users are laid out meanwhile too; an error comes out at the end. */
	r = hostiam_cache_writer_start(&pub->writer, res->users, res->n_users);
	if (r < 0) {
		snprintf(err, err_len, "cannot write %s: %s", cfg->cache.nss_path,
			 hostiam_strerror(r));
		return r;
	}
	hostiam_log_get(&pub->sink, &pub->sink_ctx, &pub->level);
	pub->threaded = hostiam_thread_start(&pub->thread, auth_main, pub);
	pub->started = true;
	return 0;
}

/* Wait for the auth.cache; its result, with the reason in err. */
static int auth_done(struct sync_pub *pub, char *err, size_t err_len)
{
	if (!pub->started)
		return HOSTIAM_ERR_INVALID_ARG;
	hostiam_thread_join(&pub->thread, &pub->threaded);
	pub->started = false;
	if (pub->auth_r < 0)
		snprintf(err, err_len, "cannot write %s: %s", pub->cfg->cache.auth_path,
			 hostiam_strerror(pub->auth_r));
	return pub->auth_r;
}

/* The gate of the nss cache: the auth.cache in place first (auth_done). */
static int auth_gate(void *ctx)
{
	struct sync_pub *pub = ctx;

	return auth_done(pub, pub->err, pub->err_len);
}

int sync_publish_end(struct sync_pub *pub, uint64_t *generation, char *err, size_t err_len)
{
	const struct dir_resolved *res = pub->res;
	const char *path = pub->cfg->cache.nss_path;
	int r;

	if (!pub->started)
		return HOSTIAM_ERR_INVALID_ARG;
	pub->err = err;
	pub->err_len = err_len;
	/* Secrets first: a user gone from the directory loses MFA no later than NSS entries. */
	r = hostiam_cache_writer_finish(pub->writer, path, res->groups, res->n_groups,
					pub->generation, (int64_t)time(NULL), auth_gate, pub);
	pub->writer = NULL;
	if (pub->started) /* the gate was not reached */
		(void)auth_done(pub, err, err_len);
	if (r < 0 && pub->auth_r == 0)
		snprintf(err, err_len, "cannot write %s: %s", path, hostiam_strerror(r));
	if (r == 0)
		*generation = pub->generation;
	return r;
}

void sync_publish_cancel(struct sync_pub *pub)
{
	char err[512];

	if (pub->started)
		(void)auth_done(pub, err, sizeof(err));
	hostiam_cache_writer_cancel(pub->writer);
	pub->writer = NULL;
}

int sync_publish(const struct hostiam_config *cfg, const struct dir_resolved *res, bool force,
		 uint64_t *generation, char *err, size_t err_len)
{
	struct sync_pub pub;
	int r = sync_publish_begin(cfg, res, force, &pub, err, err_len);

	return r < 0 ? r : sync_publish_end(&pub, generation, err, err_len);
}

/* The info of the cache at path; all zero when there is none usable. */
static struct hostiam_cache_info cache_info(const char *path)
{
	struct hostiam_cache *c = NULL;
	struct hostiam_cache_info info = { 0 };

	if (hostiam_cache_open(path, &c) == 0) {
		hostiam_cache_get_info(c, &info);
		hostiam_cache_close(c);
	}
	return info;
}

uint64_t sync_cache_generation(const char *path)
{
	return cache_info(path).generation;
}

uint64_t sync_cache_base_generation(const char *path)
{
	return cache_info(path).base_generation;
}

/*
 * The record names the generation in place (read back, under the publish lock), so that a
 * reader can tell a status left older than the cache by a kill between the two writes.
 */
void sync_record(const struct hostiam_config *cfg, int ok, const char *message, const char *server,
		 const struct dir_resolved *r)
{
	struct sync_status st = { .time = time(NULL), .ok = ok };

	st.generation = sync_cache_generation(cfg->cache.nss_path);

	snprintf(st.message, sizeof(st.message), "%s", message);
	snprintf(st.server, sizeof(st.server), "%s", server ? server : "");
	if (r) {
		st.users = (uint32_t)r->n_users;
		st.groups = (uint32_t)r->n_groups;
		st.skipped = r->skipped;
	}
	if (sync_make_dir(cfg->cache.dir) < 0 || sync_status_write(cfg->cache.dir, &st) < 0)
		hostiam_log(LOG_WARNING, "cannot record the sync result dir=%s", cfg->cache.dir);
}
