/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * state-set-cookie CONFIG users|groups COOKIE: replace one session's cookie in the agent's
 * sync.state, keeping its entries and generation, as a test's way to hand the agent a
 * cookie the server cannot accept.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "errors.h"
#include "sync_publish.h"
#include "sync_state.h"

int main(int argc, char **argv)
{
	struct hostiam_config_errors errs = { 0 };
	struct hostiam_config *cfg = NULL;
	struct sync_session s[2];
	char why[256] = "";
	uint64_t gen;
	int i, r;

	if (argc != 4 || (strcmp(argv[2], "users") && strcmp(argv[2], "groups"))) {
		fprintf(stderr, "usage: state-set-cookie CONFIG users|groups COOKIE\n");
		return 2;
	}
	if (hostiam_config_load(argv[1], &cfg, &errs) != 0) {
		fprintf(stderr, "state-set-cookie: cannot load %s\n", argv[1]);
		return 2;
	}
	memset(s, 0, sizeof(s));
	i = strcmp(argv[2], "users") == 0 ? 0 : 1;
	gen = sync_cache_generation(cfg->cache.nss_path);
	r = sync_state_load(cfg, gen, s, why, sizeof(why));
	if (r == 0)
		r = sync_session_set_cookie(&s[i], argv[3], strlen(argv[3]));
	if (r == 0)
		r = sync_state_save(cfg, gen, s);
	if (r < 0)
		fprintf(stderr, "state-set-cookie: %s %s\n", hostiam_strerror(r), why);
	sync_session_forget(&s[0]);
	sync_session_forget(&s[1]);
	hostiam_config_free(cfg);
	return r < 0 ? 1 : 0;
}
