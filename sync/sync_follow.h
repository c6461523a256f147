/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The agent (hostiam sync --follow): follows the directory with RFC 4533 refreshAndPersist
 * and republishes the cache within a second or two of each change; without syncrepl it
 * falls back to a full sync every directory.refresh seconds. Reconnects with capped,
 * jittered exponential backoff and failover, keeping the last published cache meanwhile.
 * After each publish it stores the sync cookies with the entries they describe
 * (sync_state.h); a restart or a reconnect resumes from them, so the directory sends only
 * what changed, and refreshes in full only when the server refuses the cookie or the stored
 * state is not surely the cache's own.
 */
#ifndef HOSTIAM_SYNC_FOLLOW_H
#define HOSTIAM_SYNC_FOLLOW_H

#include <stdbool.h>

#include "configuration.h"

/* Run until SIGTERM or SIGINT. Returns 0 after a clean stop, or a HOSTIAM_ERR_*. */
int sync_follow(const struct hostiam_config *cfg, bool force);

#endif
