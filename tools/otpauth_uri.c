/* SPDX-License-Identifier: BSD-2-Clause */
/* The otpauth:// Key URI Format, built into one bounded buffer. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "otpauth_uri.h"

struct uri_buf {
	char *p;
	size_t len, cap;
	int err;
};

/* RFC 3986 unreserved characters pass through percent-encoding unchanged. */
static int is_unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		c == '-' || c == '.' || c == '_' || c == '~';
}

/* Append n bytes of s; on overflow the buffer remembers the error and stays unchanged. */
static void put(struct uri_buf *b, const char *s, size_t n)
{
	if (b->err != 0)
		return;
	if (n >= b->cap - b->len) {
		b->err = HOSTIAM_ERR_TOO_SMALL;
		return;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

/* Append s as is. */
static void put_str(struct uri_buf *b, const char *s)
{
	put(b, s, strlen(s));
}

/* Append s percent-encoded: UTF-8 and reserved characters become %XX. */
static void put_encoded(struct uri_buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	char esc[3];

	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (is_unreserved(c)) {
			put(b, s, 1);
			continue;
		}
		esc[0] = '%';
		esc[1] = hex[c >> 4];
		esc[2] = hex[c & 0x0f];
		put(b, esc, sizeof(esc));
	}
}

const char *otpauth_algorithm_name(enum hostiam_totp_algorithm a)
{
	switch (a) {
	case HOSTIAM_TOTP_SHA256:
		return "SHA256";
	case HOSTIAM_TOTP_SHA512:
		return "SHA512";
	case HOSTIAM_TOTP_SHA1:
	default:
		return "SHA1";
	}
}

/* Append the query: secret, issuer, algorithm, digits, period. */
static void put_query(struct uri_buf *b, const char *issuer, const char *secret_b32,
		      const struct hostiam_totp_params *params)
{
	char num[48];

	put_str(b, "?secret=");
	put_str(b, secret_b32);
	put_str(b, "&issuer=");
	put_encoded(b, issuer);
	put_str(b, "&algorithm=");
	put_str(b, otpauth_algorithm_name(params->algorithm));
	snprintf(num, sizeof(num), "&digits=%d&period=%d", params->digits, params->period);
	put_str(b, num);
}

int otpauth_uri(const char *issuer, const char *account, const char *secret_b32,
		const struct hostiam_totp_params *params, char **out)
{
	struct uri_buf b = { NULL, 0, 0, 0 };
	size_t need;

	/* The label's colon separates issuer and account, encoded or not: neither may hold one. */
	if (!issuer || !account || !secret_b32 || !*issuer || !*account || !*secret_b32 ||
	    strchr(issuer, ':') || strchr(account, ':') || params->digits < 6 ||
	    params->digits > 8 || params->period <= 0)
		return HOSTIAM_ERR_INVALID_ARG;
	/* Worst case every issuer and account byte becomes %XX, the issuer twice. */
	need = 128 + strlen(secret_b32) + 3 * (2 * strlen(issuer) + strlen(account));
	if ((b.p = malloc(need)) == NULL)
		return HOSTIAM_ERR_NOMEM;
	b.cap = need;
	b.p[0] = '\0';
	put_str(&b, "otpauth://totp/");
	put_encoded(&b, issuer);
	put_str(&b, ":");
	put_encoded(&b, account);
	put_query(&b, issuer, secret_b32, params);
	if (b.err != 0) {
		explicit_bzero(b.p, b.cap);
		free(b.p);
		return HOSTIAM_ERR_INTERNAL;
	}
	*out = b.p;
	return 0;
}
