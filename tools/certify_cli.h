/* SPDX-License-Identifier: BSD-2-Clause */
/* Shared by the parts of hostiam certify (tools/cmd_certify*.c, tools/certify_*.c). */
#ifndef HOSTIAM_CERTIFY_CLI_H
#define HOSTIAM_CERTIFY_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "certify.h"
#include "configuration.h"

/* One decision as read from a file or a terminal. */
struct certify_input {
	char user[HOSTIAM_NAME_MAX + 1];
	enum hostiam_certify_choice choice;
	char note[HOSTIAM_CERTIFY_NOTE_MAX + 1];
	int line; /* where it was read (1-based), for messages */
};

/*
 * Read decisions from f (named path, for messages): a JSON array of objects {"user",
 * "decision", "note"} when the first non-blank byte is '[', else CSV lines
 * USER,keep|revoke[,NOTE] (RFC 4180 quoting; a first line "user,decision,..." is a
 * header). A new array in *out (n of them), or -1 after a message naming path and line.
 */
int certify_read_file(FILE *f, const char *path, struct certify_input **out, size_t *n);

/* The JSON form of certify_read_file (certify_json.c); text is NUL-terminated. */
int certify_read_json(const char *text, const char *path, struct certify_input **out, size_t *n);

/* Add one decision to *out (n of them); -1 when out of memory. */
int certify_input_add(struct certify_input **out, size_t *n, const struct certify_input *in);

/* Fill in->choice from word (len bytes): keep or revoke; false otherwise. */
bool certify_choice_of(const char *word, size_t len, enum hostiam_certify_choice *choice);

/* Print campaign c as text or JSON; access[i] names the services entry i can use ("" or
   NULL: not known). */
void certify_print(FILE *f, const struct hostiam_config *cfg, const struct hostiam_campaign *c,
		   char *const *access, bool json);

/*
 * certify start --reviewer NAME [--service S ...] [--json] (argv from "certify"): list who
 * can get in, store the list as the open campaign, print it. caller and via_sudo say who
 * runs it (through sudo, only as the reviewer). An exit status, or -1 for a usage error.
 */
int certify_start(const struct hostiam_config *cfg, const char *caller, bool via_sudo, int argc,
		  char **argv);

/* Syslog (authpriv) one key=value line (grants_cli.h's seam). */
void grants_audit(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
