/* SPDX-License-Identifier: BSD-2-Clause */
/* The subcommands of hostiam(8). Each returns the process exit status: 0, 1 or 2. */
#ifndef HOSTIAM_COMMANDS_H
#define HOSTIAM_COMMANDS_H

#include <stdio.h>

#include "configuration.h"

enum {
	EXIT_OK = 0,
	EXIT_FAILED = 1,
	EXIT_USAGE = 2
};

struct cli {
	const char *config_path; /* --config, or the built-in default */
};

/*
 * Load cli->config_path; on error print every mistake to stderr (FILE:LINE: KEY: MESSAGE)
 * and return NULL. Commands that need a configuration exit 2 when this fails.
 */
struct hostiam_config *cli_load_config(const struct cli *cli);

/*
 * As cli_load_config, for a command that reads only the keys under need (as in
 * hostiam_config_load_needing): mistakes that spare them are printed and it goes on.
 */
struct hostiam_config *cli_load_config_needing(const struct cli *cli, const char *const *need);

/*
 * As cli_load_config, for a command that runs unattended (sshd's AuthorizedKeysCommand, the
 * agent): the first mistake, with FILE:LINE, also goes to syslog (authpriv) in one line
 * starting with what, so that journalctl says why. need as in hostiam_config_load_needing
 * (NULL: all of it): mistakes that spare it are printed and logged, and the configuration
 * is returned all the same.
 */
struct hostiam_config *cli_load_config_logged(const struct cli *cli, const char *what,
					      const char *const *need);

/*
 * Print the usage of command name (its synopsis from the one table of commands, tools/main.c)
 * to f: on stdout also what it does, for --help; on stderr just the synopsis, after a usage
 * error. An unknown name prints the list of commands.
 */
void cli_usage(FILE *f, const char *name);

/* argv[0] is the command name; options of the command follow. */
int cmd_config_check(const struct cli *cli, int argc, char **argv);
int cmd_status(const struct cli *cli, int argc, char **argv);
int cmd_authorized_keys(const struct cli *cli, int argc, char **argv);
int cmd_sync(const struct cli *cli, int argc, char **argv);     /* tools/cmd_sync.c */
int cmd_check(const struct cli *cli, int argc, char **argv);    /* tools/cmd_check.c */
int cmd_review(const struct cli *cli, int argc, char **argv);   /* tools/cmd_review.c */
int cmd_enroll(const struct cli *cli, int argc, char **argv);   /* tools/cmd_enroll.c */
int cmd_unenroll(const struct cli *cli, int argc, char **argv); /* tools/cmd_unenroll.c */
int cmd_unlock(const struct cli *cli, int argc, char **argv);   /* tools/cmd_unenroll.c */
int cmd_doctor(const struct cli *cli, int argc, char **argv);   /* tools/cmd_doctor.c */
int cmd_request(const struct cli *cli, int argc, char **argv);  /* tools/cmd_grants.c */
int cmd_approve(const struct cli *cli, int argc, char **argv);  /* tools/cmd_grants.c */
int cmd_deny(const struct cli *cli, int argc, char **argv);     /* tools/cmd_grants.c */
int cmd_revoke(const struct cli *cli, int argc, char **argv);   /* tools/cmd_grants.c */
int cmd_grants(const struct cli *cli, int argc, char **argv);   /* tools/cmd_grants_list.c */
int cmd_terms(const struct cli *cli, int argc, char **argv);    /* tools/cmd_terms.c */
int cmd_certify(const struct cli *cli, int argc, char **argv);  /* tools/cmd_certify.c */
int cmd_audit(const struct cli *cli, int argc, char **argv);    /* tools/cmd_audit.c */

#endif
