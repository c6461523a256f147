/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Publishing a resolved directory as the new cache: the shrink guard, the next generation,
 * the atomic write, and the record of the attempt in sync.status.
 */
#ifndef HOSTIAM_SYNC_PUBLISH_H
#define HOSTIAM_SYNC_PUBLISH_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cache_writer.h"
#include "configuration.h"
#include "dir_resolve.h"
#include "log.h"

/*
 * Write r as cfg's nss cache unless it lost more than half of the users or of the groups of
 * the current cache (then HOSTIAM_ERR_SHRINK, unless force). Creates cache.dir (0755)
 * when missing. Returns 0 with the new generation in *generation, or a HOSTIAM_ERR_* with a
 * one-line reason in err; on error the current cache is untouched. The caller holds the
 * publish lock (sync_lock.h): the generation read here must not change before the write.
 */
int sync_publish(const struct hostiam_config *cfg, const struct dir_resolved *r, bool force,
		 uint64_t *generation, char *err, size_t err_len);

/* A publish in two steps (sync_publish_begin, sync_publish_end). */
struct sync_pub {
	const struct hostiam_config *cfg;
	const struct dir_resolved *res;
	uint64_t generation;
	struct hostiam_cache_writer *writer; /* the nss cache, its users laid out meanwhile */
	pthread_t thread;
	bool started, threaded;
	int auth_r;
	char *err; /* where auth_done puts its reason (sync_publish_end's err) */
	size_t err_len;
	hostiam_log_fn sink;
	void *sink_ctx;
	int level;
};

/*
 * sync_publish in two steps, so that the auth.cache is written and the nss cache's users
 * laid out while the caller finishes r: the first checks the shrink guard on r's counts
 * and starts on r's auth.cache entries and users (which must not change until the end);
 * the second builds the rest of the nss cache from r's groups as they are then, waits for
 * the auth.cache and publishes the nss cache only when that was written.
 * sync_publish_cancel ends a publish begun but not to be finished (waits for the
 * auth.cache, which may be in place). Errors as sync_publish.
 */
int sync_publish_begin(const struct hostiam_config *cfg, const struct dir_resolved *r, bool force,
		       struct sync_pub *pub, char *err, size_t err_len);
int sync_publish_end(struct sync_pub *pub, uint64_t *generation, char *err, size_t err_len);
void sync_publish_cancel(struct sync_pub *pub);

/* mkdir -p dir, mode 0755 for what it creates; 0, HOSTIAM_ERR_SYSTEM (errno) or INVALID_ARG. */
int sync_make_dir(const char *dir);

/* The generation of the cache at path now, 0 when there is none usable (quietly). */
uint64_t sync_cache_generation(const char *path);

/* The generation of the base file alone (its deltas not counted), or 0. */
uint64_t sync_cache_base_generation(const char *path);

/* Record the result of one attempt in cache.dir/sync.status (a failure to do so is logged). */
void sync_record(const struct hostiam_config *cfg, int ok, const char *message, const char *server,
		 const struct dir_resolved *r);

#endif
