/* SPDX-License-Identifier: BSD-2-Clause */
/* hostiam authorized-keys USER: SSH keys from the cache, for sshd's AuthorizedKeysCommand. */
#include "config.h"

#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cache.h"
#include "commands.h"
#include "errors.h"

/*
 * True when the account sshd will log in as is the directory's user: the name resolves
 * through NSS to the cached uid, and that uid is a directory one. A local account of the
 * same name (root!) comes first in nsswitch and must never get directory keys.
 */
static bool is_directory_account(const struct hostiam_user_view *u, uint32_t min_uid)
{
	struct passwd pw, *res = NULL;
	char buf[4096];

	if (u->uid < min_uid)
		return false;
	if (getpwnam_r(u->name, &pw, buf, sizeof(buf), &res) != 0 || !res)
		return false;
	return pw.pw_uid == u->uid;
}

/* Print every key of user, one per line; returns the exit status. */
static int print_keys(const struct hostiam_cache *c, const char *user, uint32_t min_uid)
{
	struct hostiam_user_view u;
	const char *key;
	uint32_t i;
	int r;

	r = hostiam_cache_user_by_name(c, user, &u);
	if (r == HOSTIAM_ERR_NOT_FOUND)
		return EXIT_FAILED; /* sshd treats this as "no keys": nothing to print */
	if (r < 0)
		goto fail;
	if (!is_directory_account(&u, min_uid)) {
		fprintf(stderr,
			"hostiam: authorized-keys %s: the account is not the directory's "
			"(a local account has that name, or its uid is below min_uid): no keys\n",
			user);
		return EXIT_FAILED;
	}
	for (i = 0; i < u.n_keys; i++) {
		r = hostiam_cache_user_key(c, &u, i, &key);
		if (r < 0)
			goto fail;
		/* A key with an embedded newline would smuggle a second authorized_keys line. */
		if (strchr(key, '\n') || strchr(key, '\r'))
			continue;
		printf("%s\n", key);
	}
	return fflush(stdout) == 0 ? EXIT_OK : EXIT_FAILED;
fail:
	fprintf(stderr, "hostiam: authorized-keys %s: %s\n", user, hostiam_strerror(r));
	return EXIT_FAILED;
}

/* What this command reads of the configuration: where the cache is, and min_uid. */
static const char *const needed_keys[] = { "cache", "directory.min_uid", NULL };

int cmd_authorized_keys(const struct cli *cli, int argc, char **argv)
{
	struct hostiam_config *cfg;
	struct hostiam_cache *c = NULL;
	int r, status;

	if (argc != 2) {
		cli_usage(stderr, argv[0]);
		return EXIT_USAGE;
	}
	/*
	 * sshd asks for every login: a typo in an access rule must not take every directory
	 * user's key away (report mode included). Only the keys read here must be sound.
	 */
	cfg = cli_load_config_logged(cli, "authorized-keys", needed_keys);
	if (!cfg)
		return EXIT_USAGE;
	r = hostiam_cache_open(cfg->cache.nss_path, &c);
	if (r < 0) {
		fprintf(stderr, "hostiam: %s: %s\n", cfg->cache.nss_path, hostiam_strerror(r));
		hostiam_config_free(cfg);
		return EXIT_FAILED;
	}
	status = print_keys(c, argv[1], cfg->directory.min_uid);
	hostiam_cache_close(c);
	hostiam_config_free(cfg);
	return status;
}
