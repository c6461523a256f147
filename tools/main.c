/* SPDX-License-Identifier: BSD-2-Clause */
/* hostiam(8): global options, then one command. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "log.h"

struct command {
	const char *name;
	int (*run)(const struct cli *cli, int argc, char **argv);
	const char *synopsis;
};

static const struct command commands[] = {
	{ "sync", cmd_sync, "sync [--follow] [--force]" },
	{ "status", cmd_status, "status" },
	{ "authorized-keys", cmd_authorized_keys, "authorized-keys USER" },
	{ "config-check", cmd_config_check, "config-check" },
	{ "check", cmd_check,
	  "check USER --service S [--from IP] [--tty T] [--at \"YYYY-MM-DD HH:MM\"] [--json]" },
	{ "review", cmd_review, "review [--service S ...] [--format text|json|csv] [--at TIME]" },
	{ "enroll", cmd_enroll,
	  "enroll USER [--secret BASE32|-] [--import FILE] [--algorithm sha1|sha256|sha512]\n"
	  "                 [--digits 6..8] [--period S] [--recovery-codes N] [--force]" },
	{ "unenroll", cmd_unenroll, "unenroll USER" },
	{ "unlock", cmd_unlock, "unlock USER" },
	{ "doctor", cmd_doctor, "doctor [--root DIR]" },
};

/* Print the synopsis of every command to f. */
static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: hostiam [--config FILE] COMMAND [ARGS]\n\ncommands:\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  hostiam %s\n", commands[i].synopsis);
	fprintf(f, "\nSee hostiam(8).\n");
}

/* Consume the global options; returns the index of the command or -1 after a usage error. */
static int parse_global(int argc, char **argv, struct cli *cli, int *exit_now)
{
	int i;

	*exit_now = -1;
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--config") == 0 || strcmp(argv[i], "-c") == 0) {
			if (++i >= argc)
				return -1;
			cli->config_path = argv[i];
		} else if (strncmp(argv[i], "--config=", 9) == 0) {
			cli->config_path = argv[i] + 9;
		} else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			usage(stdout);
			*exit_now = EXIT_OK;
			return 0;
		} else if (strcmp(argv[i], "--version") == 0) {
			printf("hostiam %s\n", PACKAGE_VERSION);
			*exit_now = EXIT_OK;
			return 0;
		} else {
			return -1;
		}
	}
	return i < argc ? i : -1;
}

int main(int argc, char **argv)
{
	struct cli cli = { .config_path = HOSTIAM_DEFAULT_CONFIG };
	int exit_now, first;
	size_t i;

	hostiam_log_set_sink(hostiam_log_stderr, NULL);
	first = parse_global(argc, argv, &cli, &exit_now);
	if (exit_now >= 0)
		return exit_now;
	if (first < 0) {
		usage(stderr);
		return EXIT_USAGE;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(argv[first], commands[i].name) == 0)
			return commands[i].run(&cli, argc - first, argv + first);
	}
	fprintf(stderr, "hostiam: unknown command '%s' (see hostiam --help)\n", argv[first]);
	return EXIT_USAGE;
}
