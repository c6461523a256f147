/* SPDX-License-Identifier: BSD-2-Clause */
/* hostiam sync [--follow] [--force]: one full sync, or the agent that follows changes. */
#include "config.h"

#include <errno.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "errors.h"
#include "log.h"
#include "sync_follow.h"
#include "sync_full.h"

/* Parse the options of sync; 0, or EXIT_USAGE after printing the usage. */
static int parse_args(int argc, char **argv, bool *follow, bool *force)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--follow") == 0 || strcmp(argv[i], "-f") == 0) {
			*follow = true;
		} else if (strcmp(argv[i], "--force") == 0) {
			*force = true;
		} else {
			cli_usage(stderr, argv[0]);
			return EXIT_USAGE;
		}
	}
	/* --force disarms the shrink guard: for one sync, never for the agent's lifetime. */
	if (*follow && *force) {
		fprintf(stderr,
			"hostiam: sync: --force cannot be combined with --follow; run "
			"'hostiam sync --force' once, then restart the agent\n");
		return EXIT_USAGE;
	}
	return 0;
}

/*
 * A host without a directory section has nothing to sync: say so. The agent exits 0 after
 * a log line, so that an enabled unit does not restart it forever; a sync asked for by
 * hand exits 2, as for any configuration that does not allow the command.
 */
static int no_directory(const char *path, bool follow)
{
	char line[512];

	snprintf(line, sizeof(line),
		 "%s: no directory is configured (no directory section in %s): %s",
		 follow ? "agent" : "sync", path,
		 follow ? "nothing to follow, exiting" : "nothing to sync");
	if (follow)
		hostiam_log_syslog(LOG_NOTICE, line, NULL);
	fprintf(stderr, "hostiam: %s\n", line);
	return follow ? EXIT_OK : EXIT_USAGE;
}

/*
 * Blocks of 1 MiB or more straight from the system and back. glibc otherwise raises that
 * bound to the biggest block freed so far (tens of MB after a full publish at 100,000
 * users), and its trim bound with it: the publish's memory then stays with the agent in
 * the arenas of the threads that built it, where malloc_trim does not reach (50 MB resident
 * at 100,000 users instead of 40).
 */
static void malloc_policy(void)
{
#ifdef __GLIBC__
	(void)mallopt(M_MMAP_THRESHOLD, 1 << 20);
#endif
}

int cmd_sync(const struct cli *cli, int argc, char **argv)
{
	struct hostiam_config *cfg;
	bool follow = false, force = false;
	char err[1024] = "";
	int r;

	if (parse_args(argc, argv, &follow, &force) != 0)
		return EXIT_USAGE;
	malloc_policy();
	cfg = cli_load_config_logged(cli, follow ? "agent" : "sync", NULL);
	if (!cfg)
		return EXIT_USAGE;
	if (!cfg->directory.configured) {
		r = no_directory(cli->config_path, follow);
		hostiam_config_free(cfg);
		return r;
	}
	/*
	 * libldap reads ./ldaprc (TLS_REQCERT, SIZELIMIT...) at its first call: leave whatever
	 * directory we were started in. The configuration is loaded already (--config may be
	 * relative); every path inside it is absolute.
	 */
	if (chdir("/") < 0) {
		fprintf(stderr, "hostiam: sync: cannot change to /: %s\n", strerror(errno));
		hostiam_config_free(cfg);
		return EXIT_FAILED;
	}
	if (follow) {
		r = sync_follow(cfg, force);
	} else {
		r = sync_full(cfg, force, NULL, err, sizeof(err));
		if (r < 0)
			fprintf(stderr, "hostiam: sync failed: %s\n", err);
	}
	hostiam_config_free(cfg);
	if (r == HOSTIAM_ERR_CONFIG)
		return EXIT_USAGE;
	return r < 0 ? EXIT_FAILED : EXIT_OK;
}
