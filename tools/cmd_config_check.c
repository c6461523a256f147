/* SPDX-License-Identifier: BSD-2-Clause */
/* hostiam config-check, and the configuration loading every command shares. */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "configuration.h"
#include "errors.h"
#include "log.h"

/* Print every recorded mistake as FILE:LINE: KEY: MESSAGE on stderr. */
static void print_errors(const struct hostiam_config_errors *errs)
{
	char line[1024];
	size_t i;

	for (i = 0; i < errs->n; i++) {
		hostiam_config_error_format(&errs->items[i], line, sizeof(line));
		fprintf(stderr, "%s\n", line);
	}
}

/*
 * One syslog line (authpriv) for an unattended command: the first mistake with its
 * FILE:LINE, and how many more there are (config-check lists them all). usable: the
 * mistakes spare what the command needs, and it goes on.
 */
static void syslog_errors(const char *what, const char *path, int r,
			  const struct hostiam_config_errors *errs, bool usable)
{
	char first[768], more[80] = "", line[1024];

	if (errs->n == 0) {
		/* The loader records a reason for every failure; this covers a bug there. */
		snprintf(first, sizeof(first), "%s: %s", path, hostiam_strerror(r));
	} else {
		hostiam_config_error_format(&errs->items[0], first, sizeof(first));
		if (errs->n > 1)
			snprintf(more, sizeof(more), " (and %zu more: see hostiam config-check)",
				 errs->n - 1);
	}
	snprintf(line, sizeof(line), "%s: %s: %s%s", what,
		 usable ? "configuration error outside what it reads, going on" :
			  "configuration error",
		 first, more);
	hostiam_log_syslog(LOG_ERR, line, NULL);
}

/* Load cli's configuration needing need (NULL: all of it); print every mistake. */
static struct hostiam_config *load(const struct cli *cli, const char *what, const char *const *need)
{
	struct hostiam_config_errors errs;
	struct hostiam_config *cfg = NULL;
	int r;

	r = hostiam_config_load_needing(cli->config_path, need, &cfg, &errs);
	print_errors(&errs);
	if (r < 0 && errs.n == 0)
		fprintf(stderr, "%s: %s\n", cli->config_path, hostiam_strerror(r));
	if (what != NULL && (r < 0 || errs.n > 0))
		syslog_errors(what, cli->config_path, r, &errs, r == 0);
	return r < 0 ? NULL : cfg;
}

/* Load the configuration named by the CLI; NULL (after printing why) on any error. */
struct hostiam_config *cli_load_config(const struct cli *cli)
{
	return load(cli, NULL, NULL);
}

/* See commands.h. */
struct hostiam_config *cli_load_config_needing(const struct cli *cli, const char *const *need)
{
	return load(cli, NULL, need);
}

/* See commands.h. */
struct hostiam_config *cli_load_config_logged(const struct cli *cli, const char *what,
					      const char *const *need)
{
	return load(cli, what, need);
}

/* The files cfg names exist and can be read; EXIT_OK, or EXIT_USAGE after the errors. */
static int check_files(const struct hostiam_config *cfg)
{
	struct hostiam_config_errors errs;
	size_t unchecked = 0;

	memset(&errs, 0, sizeof(errs));
	if (hostiam_config_check_files(cfg, &errs, &unchecked) > 0) {
		print_errors(&errs);
		return EXIT_USAGE;
	}
	if (unchecked > 0)
		fprintf(stderr,
			"hostiam: config-check: %zu file(s) the configuration names can be read "
			"by root only: run config-check as root to check them\n",
			unchecked);
	return EXIT_OK;
}

/* hostiam config-check: 0 and a confirmation when valid, 2 and every mistake when not. */
int cmd_config_check(const struct cli *cli, int argc, char **argv)
{
	struct hostiam_config *cfg;
	int r;

	if (argc > 1) {
		cli_usage(stderr, argv[0]);
		return EXIT_USAGE;
	}
	cfg = cli_load_config(cli);
	if (cfg == NULL)
		return EXIT_USAGE;
	r = check_files(cfg);
	if (r == EXIT_OK)
		printf("%s: configuration is valid\n", cli->config_path);
	hostiam_config_free(cfg);
	return r;
}
