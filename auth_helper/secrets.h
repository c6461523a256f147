/* SPDX-License-Identifier: BSD-2-Clause */
/* The passwords the helper gets on standard input, never in argv or the environment. */
#ifndef HOSTIAM_AUTH_SECRETS_H
#define HOSTIAM_AUTH_SECRETS_H

#include <stddef.h>

/* The longest password accepted, in bytes. */
#define HOSTIAM_AUTH_PASSWORD_MAX 512

struct auth_secrets {
	/* two passwords, their NULs, and a NUL for one that ended at EOF */
	char buf[2 * (HOSTIAM_AUTH_PASSWORD_MAX + 1) + 1];
	const char *first;  /* the password (verify) or the old one (change) */
	const char *second; /* the new one (change), else NULL */
};

/*
 * Read count (1 or 2) passwords from fd, each ended by a NUL (the last may end at EOF
 * instead, when it is not empty); nothing after the last one is read. Returns 0 with s->first (and s->second)
 * set, HOSTIAM_ERR_TOO_SMALL (a password longer than HOSTIAM_AUTH_PASSWORD_MAX bytes),
 * HOSTIAM_ERR_INVALID_ARG (fewer passwords than count) or HOSTIAM_ERR_SYSTEM. s is locked
 * in memory when the system allows it; wipe it with auth_secrets_wipe on every path.
 */
int auth_secrets_read(int fd, unsigned count, struct auth_secrets *s);

/* Wipe and unlock s. */
void auth_secrets_wipe(struct auth_secrets *s);

#endif
