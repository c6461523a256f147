/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Migration from other TOTP tools: read a user's secret from
 *   - a google-authenticator file (~/.google_authenticator): the base32 secret on the
 *     first line, then '" OPTION' lines (TOTP_AUTH, HOTP_COUNTER, STEP_SIZE, ...), then
 *     8-digit emergency scratch codes, one per line;
 *   - a pam_oath (liboath) usersfile: "TYPE USER PASSWORD HEXSECRET [...]" lines, of which
 *     only time-based types (HOTP/T<period>[/<digits>]) can be imported.
 * The format is recognised from the content. Counter-based (HOTP) entries are refused.
 */
#ifndef HOSTIAM_IMPORT_SECRET_H
#define HOSTIAM_IMPORT_SECRET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum import_format {
	IMPORT_GOOGLE_AUTHENTICATOR,
	IMPORT_PAM_OATH
};

struct imported_secret {
	enum import_format format;
	uint8_t *secret; /* raw key, owned; wiped by import_secret_wipe */
	size_t secret_len;
	int period;     /* seconds; 0 when the file does not say */
	int digits;     /* 0 when the file does not say */
	char **scratch; /* plain emergency codes (google-authenticator), owned */
	size_t n_scratch;
	bool had_pin; /* pam_oath: the line had a password (not carried over) */
	bool exposed; /* the file is readable by group or others */
};

/* Largest file read (google-authenticator limits its own to 1 KiB). */
#define IMPORT_MAX_FILE (64 * 1024)

/*
 * Read path (no symlinks, a regular file of at most IMPORT_MAX_FILE bytes) and take user's
 * secret from it. Returns 0 and *out, or a HOSTIAM_ERR_* with a one-line reason in why.
 * Every copy of the file's text is wiped before returning.
 */
int import_secret_read(const char *path, const char *user, struct imported_secret *out, char *why,
		       size_t why_len);

/* As import_secret_read, from text in memory (len bytes, need not be NUL-terminated). */
int import_secret_parse(const char *text, size_t len, const char *user, struct imported_secret *out,
			char *why, size_t why_len);

/* Wipe and free what s owns; s is zeroed. */
void import_secret_wipe(struct imported_secret *s);

#endif
