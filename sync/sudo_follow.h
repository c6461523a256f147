/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The agent's sudo rules while it follows the directory: a thread of their own, with its
 * own connection. It keeps an RFC 4533 refreshAndPersist search open on directory.sudo.base
 * that asks for no attributes: a message on it only says "a rule changed", and the answer
 * is to read the whole base again (sudo_sync) 100 ms later, at most once a second. The base
 * holds tens or hundreds of small entries, so reading it whole costs less than keeping a
 * model of it in step, and whatever the server sends, the file is what the base holds now.
 * The thread shares nothing with the users' and groups' sessions: neither one's failures,
 * reconnections or fallback reach the other. Without syncrepl, it reads the base every
 * directory.refresh seconds.
 */
#ifndef HOSTIAM_SUDO_FOLLOW_H
#define HOSTIAM_SUDO_FOLLOW_H

#include <stdbool.h>

#include "configuration.h"
#include "log.h"

/*
 * Start the thread when cfg has a sudo section (else do nothing); its lines go to sink
 * (with ctx). cfg must outlive sudo_follow_stop. Returns 0 or HOSTIAM_ERR_SYSTEM.
 */
int sudo_follow_start(const struct hostiam_config *cfg, hostiam_log_fn sink, void *ctx);

/* Ask the thread to stop and wait for it (1.5 s at most: after that it is left to exit). */
void sudo_follow_stop(void);

/* Whether the thread is running: then sync_full leaves the sudo rules to it. */
bool sudo_follow_active(void);

#endif
