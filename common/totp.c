/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * RFC 6238 TOTP over liboath. liboath computes the codes; what is ours is the input
 * discipline (exactly `digits` ASCII digits), the constant-time comparison it calls back
 * into, the replay floor on the matched step, and wiping what we copied.
 */
#include "config.h"

#include <liboath/oath.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "totp.h"

/* Longest input we look at: anything longer is refused without scanning it all. */
#define CODE_INPUT_MAX 64

static pthread_once_t oath_once = PTHREAD_ONCE_INIT;
static int oath_init_rc = OATH_OK;

/* liboath's one-time initialisation, run by pthread_once. */
static void oath_init_once(void)
{
	oath_init_rc = oath_init();
}

/* Initialise liboath once per process, whichever thread comes first. */
static int oath_ready(void)
{
	if (pthread_once(&oath_once, oath_init_once) != 0)
		return HOSTIAM_ERR_INTERNAL;
	return oath_init_rc == OATH_OK ? 0 : HOSTIAM_ERR_INTERNAL;
}

/* liboath flags for an algorithm; -1 for an unknown one. */
static int oath_flags(enum hostiam_totp_algorithm algorithm)
{
	switch (algorithm) {
	case HOSTIAM_TOTP_SHA1:
		return 0;
	case HOSTIAM_TOTP_SHA256:
		return OATH_TOTP_HMAC_SHA256;
	case HOSTIAM_TOTP_SHA512:
		return OATH_TOTP_HMAC_SHA512;
	}
	return -1;
}

/* Whether params are in the domain liboath and the configuration allow. */
static bool params_valid(const struct hostiam_totp_params *p)
{
	return p != NULL && p->digits >= 6 && p->digits <= 8 && p->period >= 1 &&
		p->period <= 86400 && oath_flags(p->algorithm) >= 0;
}

/*
 * Copy code into out (digits + 1 bytes) without surrounding spaces, only if what is left is
 * exactly digits ASCII digits. Never locale-dependent (isdigit is not used on purpose).
 */
static bool normalise_code(const char *code, int digits, char *out)
{
	size_t len = strnlen(code, CODE_INPUT_MAX + 1);
	size_t start = 0, i;

	if (len > CODE_INPUT_MAX)
		return false;
	while (start < len && (code[start] == ' ' || code[start] == '\t'))
		start++;
	while (len > start && (code[len - 1] == ' ' || code[len - 1] == '\t'))
		len--;
	if (len - start != (size_t)digits)
		return false;
	for (i = 0; i < (size_t)digits; i++) {
		char c = code[start + i];

		if (c < '0' || c > '9')
			return false;
		out[i] = c;
	}
	out[digits] = '\0';
	return true;
}

struct code_cmp {
	const char *code; /* the user's code, normalised */
	size_t digits;
};

/*
 * liboath's comparison callback: 0 only on a match. Looks at every digit whatever the
 * earlier ones were, so the time taken says nothing about how close the guess was.
 */
static int compare_code(void *handle, const char *candidate)
{
	const struct code_cmp *c = handle;
	unsigned char diff = 0;
	size_t i;

	if (strnlen(candidate, c->digits + 1) != c->digits)
		return 1;
	for (i = 0; i < c->digits; i++)
		diff |= (unsigned char)(c->code[i] ^ candidate[i]);
	return diff != 0;
}

/* The step liboath matched: now's step plus its signed position in the window. */
static int matched_step(time_t now, int period, int pos, uint64_t *step)
{
	uint64_t base = (uint64_t)now / (uint64_t)period;

	if (pos < 0 && (uint64_t) - (int64_t)pos > base)
		return HOSTIAM_ERR_INTERNAL;
	*step = pos < 0 ? base - (uint64_t) - (int64_t)pos : base + (uint64_t)pos;
	return 0;
}

/* Malformed, wrong and replayed codes all come back as HOSTIAM_ERR_NOT_FOUND. */
int hostiam_totp_verify(const uint8_t *secret, size_t secret_len,
			const struct hostiam_totp_params *params, const char *code, time_t now,
			int window, uint64_t min_step, uint64_t *step)
{
	char buf[9];
	struct code_cmp cmp = { buf, 0 };
	uint64_t counter = 0, matched;
	int pos = 0, rc, r;

	if (secret == NULL || secret_len == 0 || !params_valid(params) || code == NULL || now < 0 ||
	    window < 0 || step == NULL)
		return HOSTIAM_ERR_INVALID_ARG;
	if ((r = oath_ready()) < 0)
		return r;
	if (!normalise_code(code, params->digits, buf)) {
		r = HOSTIAM_ERR_NOT_FOUND;
		goto out;
	}
	cmp.digits = (size_t)params->digits;
	rc = oath_totp_validate4_callback((const char *)secret, secret_len, now,
					  (unsigned)params->period, 0, (unsigned)params->digits,
					  (size_t)window, &pos, &counter,
					  oath_flags(params->algorithm), compare_code, &cmp);
	if (rc == OATH_INVALID_OTP) {
		r = HOSTIAM_ERR_NOT_FOUND;
		goto out;
	}
	if (rc < 0) {
		r = HOSTIAM_ERR_INTERNAL;
		goto out;
	}
	if ((r = matched_step(now, params->period, pos, &matched)) < 0)
		goto out;
	/* liboath's own counter must agree; if not, trust neither. */
	if (matched != counter) {
		r = HOSTIAM_ERR_INTERNAL;
		goto out;
	}
	/* The replay floor: a step once accepted, or any before it, never counts again. */
	if (matched <= min_step) {
		r = HOSTIAM_ERR_NOT_FOUND;
		goto out;
	}
	*step = matched;
	r = 0;
out:
	explicit_bzero(buf, sizeof(buf));
	return r;
}

/* liboath writes digits + 1 bytes. */
int hostiam_totp_generate(const uint8_t *secret, size_t secret_len,
			  const struct hostiam_totp_params *params, time_t now, char *out,
			  size_t out_len)
{
	int r;

	if (secret == NULL || secret_len == 0 || !params_valid(params) || now < 0 || out == NULL)
		return HOSTIAM_ERR_INVALID_ARG;
	if (out_len < (size_t)params->digits + 1)
		return HOSTIAM_ERR_TOO_SMALL;
	if ((r = oath_ready()) < 0)
		return r;
	if (oath_totp_generate2((const char *)secret, secret_len, now, (unsigned)params->period, 0,
				(unsigned)params->digits, oath_flags(params->algorithm),
				out) != OATH_OK)
		return HOSTIAM_ERR_INTERNAL;
	return 0;
}

/* An empty secret decodes to nothing, which is never a usable key: refused. */
int hostiam_base32_decode(const char *b32, uint8_t **out, size_t *out_len)
{
	char *raw = NULL;
	size_t len = 0;
	int r;

	if (b32 == NULL || out == NULL || out_len == NULL)
		return HOSTIAM_ERR_INVALID_ARG;
	if ((r = oath_ready()) < 0)
		return r;
	if (oath_base32_decode(b32, strlen(b32), &raw, &len) != OATH_OK || len == 0) {
		hostiam_secret_wipe(raw, raw ? len : 0);
		return HOSTIAM_ERR_INVALID_ARG;
	}
	*out = (uint8_t *)raw;
	*out_len = len;
	return 0;
}

/* liboath pads with '='; authenticator apps and otpauth URIs want it unpadded. */
int hostiam_base32_encode(const uint8_t *in, size_t in_len, char **out)
{
	char *b32 = NULL;
	size_t len = 0;
	int r;

	if (in == NULL || in_len == 0 || out == NULL)
		return HOSTIAM_ERR_INVALID_ARG;
	if ((r = oath_ready()) < 0)
		return r;
	if (oath_base32_encode((const char *)in, in_len, &b32, &len) != OATH_OK)
		return HOSTIAM_ERR_NOMEM;
	while (len > 0 && b32[len - 1] == '=')
		b32[--len] = '\0';
	*out = b32;
	return 0;
}

/* Wipe first: free() may hand the memory to someone else as it is. */
void hostiam_secret_wipe(void *p, size_t len)
{
	if (p == NULL)
		return;
	explicit_bzero(p, len);
	free(p);
}
