/* SPDX-License-Identifier: BSD-2-Clause */
/* hostiam doctor: the checks of one host's nsswitch, PAM, sshd, cache and agent. */
#ifndef HOSTIAM_DOCTOR_H
#define HOSTIAM_DOCTOR_H

#include <stdbool.h>
#include <stddef.h>

#include "configuration.h"

enum doctor_level {
	DOCTOR_OK,
	DOCTOR_WARN,
	DOCTOR_FAIL
};

struct json_out;

struct doctor {
	const char *root; /* --root, or "" for the real host */
	const struct hostiam_config *cfg;
	struct json_out *json; /* --json: findings go into its open array; NULL: text lines */
	int fails;             /* FAIL findings so far */
	int warns;             /* WARN findings so far */
	int said;              /* findings so far */
};

/* What the sshd checks need to know about the sshd PAM stack. */
struct doctor_pam_summary {
	bool present;           /* the service file was found */
	bool has_hostiam_auth;  /* pam_hostiam is in its auth stack */
	bool hostiam_only_auth; /* ... and no other module there checks a secret */
};

/*
 * The command (cmd_doctor.c) calls the checks below; the checks (doctor_*.c) use only the
 * helpers of doctor_util.c and doctor_run.c, never the command: no file depends on one
 * that depends back on it.
 */

/*
 * Print one finding: the line "LEVEL AREA: TEXT", or with d->json the object
 * {"level", "area", "message"}; findings are counted by level (doctor_util.c).
 */
void doctor_say(struct doctor *d, enum doctor_level lvl, const char *area, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* buf = root + path; 0, or -1 when it does not fit (doctor_util.c). */
int doctor_path(const struct doctor *d, const char *path, char *buf, size_t size);

/*
 * Whether the policy can ask for a TOTP code on service (a rule or the default says mfa;
 * doctor_util.c).
 */
bool doctor_needs_mfa(const struct hostiam_config *cfg, const char *service);

/*
 * Whether a rule for service requires terms of use, which only the auth stack can show
 * (doctor_util.c).
 */
bool doctor_needs_terms(const struct hostiam_config *cfg, const char *service);

/* Check that passwd and group in nsswitch.conf consult hostiam (tools/doctor_host.c). */
void doctor_nsswitch(struct doctor *d);

/* Check that the cache exists, is intact and younger than cache.max_age (doctor_host.c). */
void doctor_cache(struct doctor *d);

/* Check that the sync agent runs: systemd says so, or a process is found (doctor_host.c). */
void doctor_agent(struct doctor *d);

/* Check /etc/pam.d/SERVICE; fills *out (tools/doctor_pam.c). */
void doctor_pam(struct doctor *d, const char *service, struct doctor_pam_summary *out);

/* Check the effective sshd configuration (tools/doctor_sshd.c). */
void doctor_sshd(struct doctor *d, const struct doctor_pam_summary *pam);

/*
 * Run argv[0] (an absolute path) with stdout into out and stderr into err (each
 * NUL-terminated, truncated to its size; err NULL: stderr discarded), killed after timeout
 * seconds. Returns the exit status (0..255), -1 when it could not run or was killed by a
 * signal, -2 on timeout (tools/doctor_run.c).
 */
int doctor_run(char *const argv[], char *out, size_t size, char *err, size_t err_size, int timeout);

#endif
