/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hostiam enroll, shared between the command (tools/cmd_enroll.c) and where the secret
 * comes from (tools/enroll_secret.c). Functions return a process exit status (EXIT_OK,
 * EXIT_FAILED, EXIT_USAGE) after a one-line message on stderr when it is not EXIT_OK.
 */
#ifndef HOSTIAM_ENROLL_H
#define HOSTIAM_ENROLL_H

#include <stdbool.h>

#include <stddef.h>

#include "configuration.h"
#include "mfa.h"

#define ENROLL_MAX_RECOVERY 20

struct enroll_args {
	const char *user;
	char *secret;       /* --secret: points into argv, wiped after decoding */
	const char *import; /* --import FILE */
	bool has_algorithm;
	enum hostiam_totp_algorithm algorithm;
	int digits, period; /* 0: not given */
	int recovery;       /* --recovery-codes; 0: none */
	bool force;
	/* Central enrolment (tools/enroll_directory.c): the secret goes to the directory. */
	bool directory;                 /* --directory USER, as the administrator --bind-dn */
	bool self;                      /* --self: the caller, as their own entry */
	const char *bind_dn;            /* --bind-dn DN */
	const char *bind_password_file; /* --bind-password-file FILE; else asked */
};

/* e's parameters: the mfa section's, then what the command line says. */
void enroll_default_params(const struct hostiam_config *cfg, const struct enroll_args *a,
			   struct hostiam_totp_params *p);

/* A fresh 160-bit secret from getrandom(2) into e. */
int enroll_new_secret(struct hostiam_mfa_enrolment *e);

/* The base32 secret of --secret (or a line of stdin for "-") into e; wipes the text. */
int enroll_given_secret(char *b32, struct hostiam_mfa_enrolment *e);

/* --import: user's secret, period, digits and scratch codes (hashed) from a file into e. */
int enroll_import(const struct enroll_args *a, const char *user, struct hostiam_mfa_enrolment *e);

/* Show the URI and QR code of e's secret, then ask for a code until one verifies. */
int enroll_confirm(const struct hostiam_config *cfg, const char *user,
		   struct hostiam_mfa_enrolment *e);

/* n new recovery codes: hashes appended to e, the plain codes in *plain (wipe after use). */
int enroll_recovery_codes(int n, struct hostiam_mfa_enrolment *e, char ***plain);

/* Append the hash of code to e's recovery hashes: 0 or HOSTIAM_ERR_* (INVALID_ARG: not a
 * code the core takes, no message; others after a message). */
int enroll_add_recovery(struct hostiam_mfa_enrolment *e, const char *code);

/* Wipe and free n plain codes. */
void enroll_wipe_codes(char **codes, size_t n);

/*
 * A password into buf: from path (owner root or the caller, mode 0600, no link) or, when
 * path is NULL, asked after prompt with the terminal's echo off (a line of standard input
 * when that is no terminal). Empty is refused. The caller wipes buf.
 */
int enroll_read_password(const char *prompt, const char *path, char *buf, size_t len);

/*
 * enroll --directory USER / --self: a new secret, shown and confirmed with a code, then
 * written to the user's entry (directory.map.totp_secret). The directory never holds a
 * secret that was not confirmed.
 */
int enroll_directory(const struct hostiam_config *cfg, const struct enroll_args *a);

#endif
