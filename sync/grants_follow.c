/* SPDX-License-Identifier: BSD-2-Clause */
/* The grants' thread: directory.grants.base followed (base_follow.c), grants_sync applied. */
#include "config.h"

#include <time.h>

#include "base_follow.h"
#include "grants_follow.h"
#include "grants_sync.h"

static struct base_follower me;

/* The grants' base, or NULL. */
static const char *grants_base(const struct hostiam_directory_config *d)
{
	return d->grants_base;
}

/* grants_sync at the time of the read. */
static int sync_now(const struct hostiam_config *cfg, LDAP *ld, const volatile sig_atomic_t *stop,
		    char *err, size_t err_len)
{
	return grants_sync(cfg, ld, stop, time(NULL), err, err_len);
}

static const struct base_follow_spec spec = {
	.what = "grants",
	.filter = "(objectClass=hostiamGrant)",
	.base = grants_base,
	.sync = sync_now,
};

int grants_follow_start(const struct hostiam_config *cfg, hostiam_log_fn sink, void *ctx)
{
	return base_follow_start(&me, &spec, cfg, sink, ctx);
}

void grants_follow_stop(void)
{
	base_follow_stop(&me);
}

bool grants_follow_active(void)
{
	return base_follow_active(&me);
}
