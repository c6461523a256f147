/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * RFC 6238 TOTP over liboath: verification with a skew window, a replay floor and a
 * constant-time comparison; code generation for enrolment confirmation and tests.
 * The caller owns the secret and wipes it (hostiam_secret_wipe).
 */
#ifndef HOSTIAM_TOTP_H
#define HOSTIAM_TOTP_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "configuration.h"

struct hostiam_totp_params {
	enum hostiam_totp_algorithm algorithm;
	int digits; /* 6..8 */
	int period; /* seconds per step */
};

/*
 * Check code (exactly params->digits ASCII digits) for the raw secret at time now,
 * accepting steps now-window..now+window, but only steps greater than min_step (the last
 * accepted one: a code once accepted is never accepted again). Returns 0 and *step (the
 * time step that matched), HOSTIAM_ERR_NOT_FOUND (wrong, malformed or replayed code; the
 * cases are not told apart to the caller on purpose) or HOSTIAM_ERR_* on a library error.
 */
int hostiam_totp_verify(const uint8_t *secret, size_t secret_len,
			const struct hostiam_totp_params *params, const char *code, time_t now,
			int window, uint64_t min_step, uint64_t *step);

/* Write the code for time now into out (digits + 1 bytes). 0 or HOSTIAM_ERR_*. */
int hostiam_totp_generate(const uint8_t *secret, size_t secret_len,
			  const struct hostiam_totp_params *params, time_t now, char *out,
			  size_t out_len);

/* Base32 (RFC 4648, spaces and lowercase tolerated) to raw bytes; *out is malloc'd. */
int hostiam_base32_decode(const char *b32, uint8_t **out, size_t *out_len);

/* Raw bytes to unpadded upper-case base32, malloc'd NUL-terminated string. */
int hostiam_base32_encode(const uint8_t *in, size_t in_len, char **out);

/* explicit_bzero(p, len) then free(p); NULL is fine. */
void hostiam_secret_wipe(void *p, size_t len);

#endif
