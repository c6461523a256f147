/* SPDX-License-Identifier: BSD-2-Clause */
/* One complete sync: every user and group read with paged searches, resolved, published. */
#ifndef HOSTIAM_SYNC_FULL_H
#define HOSTIAM_SYNC_FULL_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "configuration.h"
#include "dir_entries.h"
#include "dir_resolve.h"

/* The attribute names and id floors of cfg, for the parser and the resolver. */
void sync_schema(const struct hostiam_config *cfg, struct dir_schema *s, struct dir_policy *p);

/*
 * Resolve users and groups, publish them and record the attempt (server is the URI that
 * answered). Logs the outcome. Returns 0 or a HOSTIAM_ERR_* with the reason in err.
 */
int sync_resolve_publish(const struct hostiam_config *cfg, struct dir_entry *const *users,
			 size_t nu, struct dir_entry *const *groups, size_t ng, const char *server,
			 bool force, char *err, size_t err_len);

/*
 * Take the publish lock, connect, read everything, resolve, publish, release; the attempt
 * is recorded in sync.status either way. stop (may be NULL) is checked while waiting.
 * Returns 0 or a HOSTIAM_ERR_* with a one-line reason in err; on error the current cache
 * is untouched.
 */
int sync_full(const struct hostiam_config *cfg, bool force, const volatile sig_atomic_t *stop,
	      char *err, size_t err_len);

#endif
