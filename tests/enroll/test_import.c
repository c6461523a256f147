/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Unit tests of what hostiam enroll reads and writes without a host: the two foreign
 * secret formats (tools/import_secret.c) and the otpauth:// URI (tools/otpauth_uri.c).
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "errors.h"
#include "import_secret.h"
#include "otpauth_uri.h"

/* "12345678901234567890": the RFC 4226 / 6238 test key. */
#define RFC_KEY "12345678901234567890"
#define RFC_B32 "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
#define RFC_HEX "3132333435363738393031323334353637383930"

/* Parse text for user; returns the status, *s filled on success. */
static int parse(const char *text, const char *user, struct imported_secret *s, char *why)
{
	memset(s, 0, sizeof(*s));
	return import_secret_parse(text, strlen(text), user, s, why, 256);
}

/* Every text of bad[n] is refused for alice, with a reason and nothing left behind. */
static void assert_refused(const char *const *bad, size_t n)
{
	struct imported_secret s;
	char why[256];
	size_t i;

	for (i = 0; i < n; i++) {
		why[0] = '\0';
		assert_int_not_equal(parse(bad[i], "alice", &s, why), 0);
		assert_null(s.secret);
		assert_null(s.scratch);
		assert_true(why[0] != '\0');
	}
}

/* The secret equals the RFC test key. */
static void assert_rfc_key(const struct imported_secret *s)
{
	assert_int_equal(s->secret_len, 20);
	assert_memory_equal(s->secret, RFC_KEY, 20);
}

static void google_full(void **state)
{
	struct imported_secret s;
	char why[256];

	(void)state;
	assert_int_equal(parse(RFC_B32 "\n\" RATE_LIMIT 3 30 1700000000\n\" WINDOW_SIZE 17\n"
				       "\" DISALLOW_REUSE 56666666\n\" TOTP_AUTH\n\" STEP_SIZE 60\n"
				       "12345678\n87654321\r\n\n",
			       "alice", &s, why),
			 0);
	assert_int_equal(s.format, IMPORT_GOOGLE_AUTHENTICATOR);
	assert_rfc_key(&s);
	assert_int_equal(s.period, 60);
	assert_int_equal(s.digits, 0);
	assert_int_equal(s.n_scratch, 2);
	assert_string_equal(s.scratch[0], "12345678");
	assert_string_equal(s.scratch[1], "87654321");
	import_secret_wipe(&s);
	assert_null(s.secret);
}

static void google_refused(void **state)
{
	static const char *const bad[] = {
		RFC_B32 "\n\" HOTP_COUNTER 1\n12345678\n", /* counter based */
		RFC_B32
		"\n\" HOTP_COUNTER 1\n\" TOTP_AUTH\n", /* HOTP wins in google-authenticator */
		RFC_B32 "\n12345678\n",                /* neither mode */
		"not base32!\n\" TOTP_AUTH\n",
		"\n\" TOTP_AUTH\n",
		"",
		RFC_B32 "\n\" TOTP_AUTH\n1234567\n", /* 7-digit scratch code */
		RFC_B32 "\n\" TOTP_AUTH\n\" STEP_SIZE 0\n",
		RFC_B32 "\n\" TOTP_AUTH\n\" STEP_SIZE x\n",
	};
	struct imported_secret s;
	char why[256];

	(void)state;
	assert_refused(bad, sizeof(bad) / sizeof(bad[0]));
	assert_int_not_equal(parse(RFC_B32 "\n\" HOTP_COUNTER 1\n", "alice", &s, why), 0);
	assert_non_null(strstr(why, "HOTP"));
}

static void oath_totp(void **state)
{
	struct imported_secret s;
	char why[256];

	(void)state;
	assert_int_equal(parse("# users\nHOTP/T30 bob - 00112233445566778899\n"
			       "HOTP/T60/8\talice  -  " RFC_HEX " 0 123456 2024-01-01T00:00:00L\n",
			       "alice", &s, why),
			 0);
	assert_int_equal(s.format, IMPORT_PAM_OATH);
	assert_rfc_key(&s);
	assert_int_equal(s.period, 60);
	assert_int_equal(s.digits, 8);
	assert_false(s.had_pin);
	import_secret_wipe(&s);

	assert_int_equal(parse("HOTP/T30 alice 1234 " RFC_HEX "\n", "alice", &s, why), 0);
	assert_int_equal(s.period, 30);
	assert_int_equal(s.digits, 6);
	assert_true(s.had_pin);
	import_secret_wipe(&s);
}

static void oath_refused(void **state)
{
	static const char *const bad[] = {
		"HOTP alice - " RFC_HEX "\n",
		"HOTP/E alice - " RFC_HEX "\n",
		"HOTP/E/8 alice - " RFC_HEX "\n",
		"HOTP/T30/9 alice - " RFC_HEX "\n",
		"HOTP/T0 alice - " RFC_HEX "\n",
		"HOTP/Tx alice - " RFC_HEX "\n",
		"HOTP/T30 alice - 123\n",
		"HOTP/T30 alice - zz" RFC_HEX "\n",
		"HOTP/T30 alice -\n",
		"HOTP/T30 bob - " RFC_HEX "\n", /* no line for alice */
		"HOTP/T30 alice - " RFC_HEX "\nHOTP/T30 alice - " RFC_HEX "\n", /* two */
	};
	struct imported_secret s;
	char why[256];

	(void)state;
	assert_refused(bad, sizeof(bad) / sizeof(bad[0]));
	assert_int_not_equal(parse("HOTP alice - " RFC_HEX "\n", "alice", &s, why), 0);
	assert_non_null(strstr(why, "counter-based"));
	/* Only the user's own line is judged. */
	assert_int_equal(parse("HOTP bob - 00\nHOTP/T30 alice - " RFC_HEX "\n", "alice", &s, why),
			 0);
	import_secret_wipe(&s);
}

static void nul_bytes(void **state)
{
	struct imported_secret s;
	char why[256];
	static const char text[] = RFC_B32 "\n\0\" TOTP_AUTH\n";

	(void)state;
	memset(&s, 0, sizeof(s));
	assert_int_not_equal(
		import_secret_parse(text, sizeof(text) - 1, "alice", &s, why, sizeof(why)), 0);
}

static void uri(void **state)
{
	struct hostiam_totp_params p = { HOSTIAM_TOTP_SHA256, 8, 60 };
	char *u = NULL;

	(void)state;
	assert_int_equal(otpauth_uri("Example Corp & ops/1", "al ice@x", "ABCD", &p, &u), 0);
	assert_string_equal(u,
			    "otpauth://totp/Example%20Corp%20%26%20ops%2F1:al%20ice%40x?"
			    "secret=ABCD&issuer=Example%20Corp%20%26%20ops%2F1&algorithm=SHA256"
			    "&digits=8&period=60");
	free(u);
	p.digits = 9;
	assert_int_equal(otpauth_uri("x", "y", "ABCD", &p, &u), HOSTIAM_ERR_INVALID_ARG);
	p.digits = 6;
	assert_int_equal(otpauth_uri("", "y", "ABCD", &p, &u), HOSTIAM_ERR_INVALID_ARG);
	assert_int_equal(otpauth_uri("a:b", "y", "ABCD", &p, &u), HOSTIAM_ERR_INVALID_ARG);
	assert_int_equal(otpauth_uri("x", "y:z", "ABCD", &p, &u), HOSTIAM_ERR_INVALID_ARG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(google_full), cmocka_unit_test(google_refused),
		cmocka_unit_test(oath_totp),   cmocka_unit_test(oath_refused),
		cmocka_unit_test(nul_bytes),   cmocka_unit_test(uri),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
