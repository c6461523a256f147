/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The agent's grants while it follows the directory: directory.grants.base followed by a
 * thread of its own (base_follow.h), grants.cache published again within a second or so
 * of a change, a revocation included.
 */
#ifndef HOSTIAM_GRANTS_FOLLOW_H
#define HOSTIAM_GRANTS_FOLLOW_H

#include <stdbool.h>

#include "configuration.h"
#include "log.h"

/* Start the thread when cfg has directory.grants (else nothing); 0 or HOSTIAM_ERR_SYSTEM. */
int grants_follow_start(const struct hostiam_config *cfg, hostiam_log_fn sink, void *ctx);

/* Stop it (1.5 s at most). */
void grants_follow_stop(void);

/* Whether it runs: then sync_full leaves the grants to it. */
bool grants_follow_active(void);

#endif
