/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The result of the last sync attempt, kept beside the cache as "sync.status" so that
 * `hostiam status` can say what happened without asking the agent.
 * Format: one key=value per line (time, result, message, server, users, groups, skipped,
 * generation).
 */
#ifndef HOSTIAM_SYNC_STATUS_H
#define HOSTIAM_SYNC_STATUS_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "cache.h"

struct sync_status {
	time_t time;       /* when the attempt ended */
	int ok;            /* 1: a cache was published (or found unchanged) */
	char message[256]; /* "published generation 7" or the error */
	char server[256];  /* URI that answered, "" if none */
	uint32_t users, groups, skipped;
	uint64_t generation; /* of the cache in place when written; 0: none, or unknown */
};

/* Atomically replace cache_dir/sync.status. Returns 0 or a HOSTIAM_ERR_*. */
int sync_status_write(const char *cache_dir, const struct sync_status *st);

/* Read cache_dir/sync.status. Returns 0, HOSTIAM_ERR_NOT_FOUND or HOSTIAM_ERR_*. */
int sync_status_read(const char *cache_dir, struct sync_status *st);

/*
 * The status is written after the cache is published, so an agent killed in between leaves
 * an older status beside a newer cache. Given what sync_status_read() found (have_status)
 * and the cache's header, replace a stale or missing *st by what the cache itself says (its
 * sync time, generation and counts, result ok) and return true; otherwise leave *st as it
 * is and return false. A cache without a generation never overrides.
 */
bool sync_status_reconcile(struct sync_status *st, bool have_status,
			   const struct hostiam_cache_info *info);

#endif
