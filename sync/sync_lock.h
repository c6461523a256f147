/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * One publisher at a time: an exclusive flock on cache.dir/.sync.lock, taken by a one-shot
 * sync before it reads the directory and released after it published, and by the agent
 * around each publish, so that generations never repeat and older data never replaces
 * newer data.
 */
#ifndef HOSTIAM_SYNC_LOCK_H
#define HOSTIAM_SYNC_LOCK_H

#include <signal.h>
#include <stddef.h>

#include "configuration.h"

/*
 * Take the lock of cfg's cache directory (created if missing), waiting at most 2 x
 * directory.timeout + 30 seconds for another holder; waiting is announced in a log line.
 * stop (may be NULL) ends the wait early. Returns 0 with the lock's descriptor in *fd, or
 * HOSTIAM_ERR_TIMEOUT / HOSTIAM_ERR_SYSTEM / HOSTIAM_ERR_INSECURE_FILE with a reason in err.
 */
int sync_lock_take(const struct hostiam_config *cfg, const volatile sig_atomic_t *stop, int *fd,
		   char *err, size_t err_len);

/* Release a lock taken with sync_lock_take (fd < 0: nothing to do). */
void sync_lock_release(int fd);

#endif
