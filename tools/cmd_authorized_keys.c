/* hostiam authorized-keys USER: SSH keys from the cache, for sshd's AuthorizedKeysCommand. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cache.h"
#include "commands.h"
#include "errors.h"

/* Print every key of user, one per line; returns the exit status. */
static int print_keys(const struct hostiam_cache *c, const char *user)
{
	struct hostiam_user_view u;
	const char *key;
	uint32_t i;
	int r;

	r = hostiam_cache_user_by_name(c, user, &u);
	if (r == HOSTIAM_ERR_NOT_FOUND)
		return EXIT_FAILED;   /* sshd treats this as "no keys": nothing to print */
	if (r < 0)
		goto fail;
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

int cmd_authorized_keys(const struct cli *cli, int argc, char **argv)
{
	struct hostiam_config *cfg;
	struct hostiam_cache *c = NULL;
	int r, status;

	if (argc != 2) {
		fprintf(stderr, "usage: hostiam authorized-keys USER\n");
		return EXIT_USAGE;
	}
	cfg = cli_load_config(cli);
	if (!cfg)
		return EXIT_USAGE;
	r = hostiam_cache_open(cfg->cache.nss_path, &c);
	if (r < 0) {
		fprintf(stderr, "hostiam: %s: %s\n", cfg->cache.nss_path, hostiam_strerror(r));
		hostiam_config_free(cfg);
		return EXIT_FAILED;
	}
	status = print_keys(c, argv[1]);
	hostiam_cache_close(c);
	hostiam_config_free(cfg);
	return status;
}
