/*
 * The result of the last sync attempt, kept beside the cache as "sync.status" so that
 * `hostiam status` can say what happened without asking the agent.
 * Format: one key=value per line (time, result, message, server, users, groups, skipped).
 */
#ifndef HOSTIAM_SYNC_STATUS_H
#define HOSTIAM_SYNC_STATUS_H

#include <stdint.h>
#include <time.h>

struct sync_status {
	time_t time;                   /* when the attempt ended */
	int ok;                        /* 1: a cache was published (or found unchanged) */
	char message[256];             /* "published generation 7" or the error */
	char server[256];              /* URI that answered, "" if none */
	uint32_t users, groups, skipped;
};

/* Atomically replace cache_dir/sync.status. Returns 0 or a HOSTIAM_ERR_*. */
int sync_status_write(const char *cache_dir, const struct sync_status *st);

/* Read cache_dir/sync.status. Returns 0, HOSTIAM_ERR_NOT_FOUND or HOSTIAM_ERR_*. */
int sync_status_read(const char *cache_dir, struct sync_status *st);

#endif
