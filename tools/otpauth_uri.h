/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The otpauth:// Key URI that authenticator apps read from a QR code:
 *   otpauth://totp/ISSUER:ACCOUNT?secret=B32&issuer=ISSUER&algorithm=SHA1&digits=6&period=30
 * with the issuer and account percent-encoded (everything but RFC 3986 unreserved).
 */
#ifndef HOSTIAM_OTPAUTH_URI_H
#define HOSTIAM_OTPAUTH_URI_H

#include "totp.h"

/*
 * Build the URI for secret_b32 (unpadded base32) into *out (malloc'd; the caller wipes it
 * with hostiam_secret_wipe, as it holds the secret). Returns 0, HOSTIAM_ERR_INVALID_ARG
 * (empty issuer or account, a ':' in either -- the label's separator, which the format
 * forbids in both --, parameters out of range) or HOSTIAM_ERR_NOMEM.
 */
int otpauth_uri(const char *issuer, const char *account, const char *secret_b32,
		const struct hostiam_totp_params *params, char **out);

/* "SHA1", "SHA256" or "SHA512": the algorithm as the Key URI Format spells it. */
const char *otpauth_algorithm_name(enum hostiam_totp_algorithm a);

#endif
