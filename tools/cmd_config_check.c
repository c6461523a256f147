/* SPDX-License-Identifier: BSD-2-Clause */
/* hostiam config-check, and the configuration loading every command shares. */
#include "config.h"

#include <stdio.h>

#include "commands.h"
#include "configuration.h"
#include "errors.h"

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

/* Load the configuration named by the CLI; NULL (after printing why) on any error. */
struct hostiam_config *cli_load_config(const struct cli *cli)
{
	struct hostiam_config_errors errs;
	struct hostiam_config *cfg = NULL;
	int r;

	r = hostiam_config_load(cli->config_path, &cfg, &errs);
	if (r < 0) {
		print_errors(&errs);
		/* The loader records a reason for every failure; this covers a bug there. */
		if (errs.n == 0)
			fprintf(stderr, "%s: %s\n", cli->config_path, hostiam_strerror(r));
		return NULL;
	}
	return cfg;
}

/* hostiam config-check: 0 and a confirmation when valid, 2 and every mistake when not. */
int cmd_config_check(const struct cli *cli, int argc, char **argv)
{
	struct hostiam_config *cfg;

	if (argc > 1) {
		cli_usage(stderr, argv[0]);
		return EXIT_USAGE;
	}
	cfg = cli_load_config(cli);
	if (cfg == NULL)
		return EXIT_USAGE;
	printf("%s: configuration is valid\n", cli->config_path);
	hostiam_config_free(cfg);
	return EXIT_OK;
}
