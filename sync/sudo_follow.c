/* SPDX-License-Identifier: BSD-2-Clause */
/* The sudo rules' thread: directory.sudo.base followed (base_follow.c), sudo_sync applied. */
#include "config.h"

#include "base_follow.h"
#include "sudo_follow.h"
#include "sudo_sync.h"

static struct base_follower me;

/* The sudo rules' base, or NULL. */
static const char *sudo_base(const struct hostiam_directory_config *d)
{
	return d->sudo_base;
}

static const struct base_follow_spec spec = {
	.what = "sudo rules",
	.filter = "(objectClass=sudoRole)",
	.base = sudo_base,
	.sync = sudo_sync,
};

int sudo_follow_start(const struct hostiam_config *cfg, hostiam_log_fn sink, void *ctx)
{
	return base_follow_start(&me, &spec, cfg, sink, ctx);
}

void sudo_follow_stop(void)
{
	base_follow_stop(&me);
}

bool sudo_follow_active(void)
{
	return base_follow_active(&me);
}
