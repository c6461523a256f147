/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * cache.dir/sync.state (0600, root-only: the entries carry TOTP secrets): what the agent
 * needs to resume after a restart. The generation of the cache it was published with, a
 * hash of the directory configuration, and for users and groups the RFC 4533 sync cookie
 * with the model of entries (keyed by entryUUID) that cookie describes.
 *
 * Written by the agent after each successful publish, under the publish lock, with one
 * atomic replace: cookie and model never disagree, and the file never names a generation
 * that was not published. Read once at start; any doubt (missing, damaged, another
 * generation than the cache's, another configuration) means a full refresh.
 */
#ifndef HOSTIAM_SYNC_STATE_H
#define HOSTIAM_SYNC_STATE_H

#include <stddef.h>
#include <stdint.h>

#include "configuration.h"
#include "sync_session.h"

#define SYNC_STATE_NAME "sync.state"
#define SYNC_STATE_HEADER_LEN 48 /* the checksum covers what follows */
#define SYNC_STATE_SUM_OFFSET 40

/*
 * The hash of what decides the model and its resolution: servers, bind DN, bases,
 * filters, attributes, min_uid and min_gid.
 */
uint64_t sync_state_config_hash(const struct hostiam_config *cfg);

/* Replace cache.dir/sync.state with generation and the models and cookies of s[0..1]. */
int sync_state_save(const struct hostiam_config *cfg, uint64_t generation,
		    const struct sync_session s[2]);

/*
 * Load cache.dir/sync.state into s[0] (users) and s[1] (groups), which must be empty, when
 * it was written for generation and this configuration. Returns 0; HOSTIAM_ERR_NOT_FOUND
 * (none); or another HOSTIAM_ERR_* with the reason in why (then s stays empty).
 */
int sync_state_load(const struct hostiam_config *cfg, uint64_t generation, struct sync_session s[2],
		    char *why, size_t why_len);

/* Remove cache.dir/sync.state (quietly when there is none). */
void sync_state_remove(const struct hostiam_config *cfg);

#endif
