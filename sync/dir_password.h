/* SPDX-License-Identifier: BSD-2-Clause */
/* The directory bind password, read from its own file under sshd-like StrictModes. */
#ifndef HOSTIAM_DIR_PASSWORD_H
#define HOSTIAM_DIR_PASSWORD_H

#include <stddef.h>

/*
 * Read path into buf (NUL-terminated, one trailing newline stripped). The file must be a
 * regular file, not a symlink, owned by root or the caller, without group or world
 * permissions. Returns 0, HOSTIAM_ERR_INSECURE_FILE, HOSTIAM_ERR_TOO_SMALL or
 * HOSTIAM_ERR_SYSTEM, with a one-line reason in why. buf is wiped on failure; the caller
 * wipes it after use with explicit_bzero.
 */
int dir_password_read(const char *path, char *buf, size_t len, char *why, size_t why_len);

#endif
