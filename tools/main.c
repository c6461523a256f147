/* SPDX-License-Identifier: BSD-2-Clause */
/* hostiam(8): global options, then one command; the one table of commands and their usage. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "log.h"

#define USAGE_WIDTH 80

struct command {
	const char *name;
	int (*run)(const struct cli *cli, int argc, char **argv);
	const char *synopsis; /* after "hostiam [--config FILE] ", wrapped when printed */
	const char *summary;
};

static int cmd_help(const struct cli *cli, int argc, char **argv);

static const struct command commands[] = {
	{ "sync", cmd_sync, "sync [--follow | --force]",
	  "Copy users and groups from the directory into the cache (--follow: run as the agent)." },
	{ "status", cmd_status, "status [--json]",
	  "Show the cache, the last sync and whether the directory answers." },
	{ "authorized-keys", cmd_authorized_keys, "authorized-keys USER",
	  "Print USER's SSH keys from the cache (sshd's AuthorizedKeysCommand)." },
	{ "config-check", cmd_config_check, "config-check",
	  "Validate the configuration and print every mistake." },
	{ "check", cmd_check,
	  "check USER --service S [--from IP] [--tty T] [--at \"YYYY-MM-DD HH:MM\"] "
	  "[--caller USER] [--json]",
	  "Show what the access policy decides for one login, and why." },
	{ "review", cmd_review,
	  "review [--service S ...] [--format text|json|csv] [--at \"YYYY-MM-DD HH:MM\"]",
	  "List who may log in to which service, and how." },
	{ "enroll", cmd_enroll,
	  "enroll USER [--secret BASE32|-] [--import FILE] [--algorithm sha1|sha256|sha512] "
	  "[--digits 6..8] [--period SECONDS] [--recovery-codes 1..20] [--force] | "
	  "enroll --directory USER --bind-dn DN [--bind-password-file FILE] [--force] | "
	  "enroll --self",
	  "Enrol USER for TOTP: a new or imported secret, confirmed with a code; kept on this "
	  "host, or (--directory, --self) written to the user's directory entry for every "
	  "host." },
	{ "unenroll", cmd_unenroll, "unenroll USER", "Remove USER's TOTP enrolment." },
	{ "unlock", cmd_unlock, "unlock USER", "Lift USER's MFA lockout." },
	{ "doctor", cmd_doctor, "doctor [--root DIR] [--json]",
	  "Find what on this host would let a login skip the policy's checks." },
	{ "request", cmd_request, "request ROLE --for DURATION [--reason TEXT] [--password-fd N]",
	  "Ask to be a member of ROLE for a while (through sudo); an approver decides." },
	{ "approve", cmd_approve, "approve ID [--password-fd N]",
	  "Approve request ID (an approver of its role, never the requester; through sudo)." },
	{ "deny", cmd_deny, "deny ID [--password-fd N]",
	  "Deny request ID (an approver of its role; through sudo)." },
	{ "revoke", cmd_revoke, "revoke ID [--password-fd N]",
	  "End grant ID now (its requester, an approver of its role, or root)." },
	{ "grants", cmd_grants, "grants [--at \"YYYY-MM-DD HH:MM\"] [--json]",
	  "List the requests and grants: pending, active, expired, denied, revoked." },
	{ "terms", cmd_terms, "terms status [USER] [--json] | revoke USER NAME",
	  "Who accepted which terms of use when; revoke USER's acceptance of NAME." },
	{ "certify", cmd_certify,
	  "certify start --reviewer NAME [--service S ...] [--json] | decide FILE|-|--interactive "
	  "| close | show [ID] [--json]",
	  "Access review: list who can get in, record keep or revoke for each, close it." },
	{ "audit", cmd_audit,
	  "audit [--user USER] [--since T] [--until T] [--decision allow|deny|mfa|keep|revoke] "
	  "[--event decision|mfa|password|terms|grant|certify] [--json]",
	  "The audit trail: who got in or was refused, when, by which rule, with which factors "
	  "(T: \"YYYY-MM-DD HH:MM\" or back from now, \"7d\")." },
	{ "help", cmd_help, "help [COMMAND]", "List the commands, or show one command's usage." },
};

#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

/* The command called name, or NULL. */
static const struct command *find_command(const char *name)
{
	size_t i;

	for (i = 0; i < N_COMMANDS; i++)
		if (strcmp(name, commands[i].name) == 0)
			return &commands[i];
	return NULL;
}

/*
 * Print prefix then text on f, breaking at spaces outside [] and "" before USAGE_WIDTH
 * columns, continuation lines indented by indent.
 */
static void print_wrapped(FILE *f, const char *prefix, const char *text, int indent)
{
	int col = fprintf(f, "%s", prefix), depth = 0, quoted = 0, n;
	const char *word = text, *p;

	for (p = text;; p++) {
		if (*p != ' ' && *p != '\0') {
			depth += *p == '[' ? 1 : *p == ']' ? -1 : 0;
			quoted ^= *p == '"';
			continue;
		}
		if (*p == ' ' && (depth > 0 || quoted))
			continue;
		n = (int)(p - word);
		if (word != text && col + 1 + n > USAGE_WIDTH)
			col = fprintf(f, "\n%*s", indent, "") - 1;
		else if (word != text)
			col += fprintf(f, " ");
		col += fprintf(f, "%.*s", n, word);
		if (*p == '\0')
			break;
		word = p + 1;
	}
	fputc('\n', f);
}

/* Print the usage of every command to f. */
static void usage(FILE *f)
{
	size_t i;

	fprintf(f,
		"usage: hostiam [--config FILE] COMMAND [ARGS]\n"
		"       hostiam COMMAND --help\n\ncommands:\n");
	for (i = 0; i < N_COMMANDS; i++)
		print_wrapped(f, "  ", commands[i].synopsis, 6);
	fprintf(f, "\nSee hostiam(8).\n");
}

/* See commands.h. */
void cli_usage(FILE *f, const char *name)
{
	static const char prefix[] = "usage: hostiam [--config FILE] ";
	const struct command *c = find_command(name);

	if (!c) {
		usage(f);
		return;
	}
	print_wrapped(f, prefix, c->synopsis, (int)sizeof(prefix) - 1);
	if (f == stdout)
		printf("%s\nSee hostiam(8).\n", c->summary);
}

/* hostiam help [COMMAND]: the list of commands, or one command's usage, on stdout. */
static int cmd_help(const struct cli *cli, int argc, char **argv)
{
	(void)cli;
	if (argc > 2) {
		cli_usage(stderr, argv[0]);
		return EXIT_USAGE;
	}
	if (argc == 1) {
		usage(stdout);
		return EXIT_OK;
	}
	if (!find_command(argv[1])) {
		fprintf(stderr, "hostiam: help: unknown command '%s'\n", argv[1]);
		usage(stderr);
		return EXIT_USAGE;
	}
	cli_usage(stdout, argv[1]);
	return EXIT_OK;
}

/* Whether an argument after the command asks for its usage; no command takes "-h" or
 * "--help" as a value, so this is decided here once, before any command parses. */
static int wants_help(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return 1;
	return 0;
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
	const struct command *c;
	int exit_now, first;

	hostiam_log_set_sink(hostiam_log_stderr, NULL);
	first = parse_global(argc, argv, &cli, &exit_now);
	if (exit_now >= 0)
		return exit_now;
	if (first < 0) {
		usage(stderr);
		return EXIT_USAGE;
	}
	c = find_command(argv[first]);
	if (!c) {
		fprintf(stderr, "hostiam: unknown command '%s'\n\n", argv[first]);
		usage(stderr);
		return EXIT_USAGE;
	}
	if (wants_help(argc - first, argv + first)) {
		cli_usage(stdout, c->name);
		return EXIT_OK;
	}
	return c->run(&cli, argc - first, argv + first);
}
