/* SPDX-License-Identifier: BSD-2-Clause */
/* The password helper's reply: what the writer writes, the reader reads; hostile input fails. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "auth_reply.h"
#include "errors.h"

/* Format r and compare with want byte for byte; then parse it back to the same reply. */
static void round_trip(const struct hostiam_auth_reply *r, const char *want)
{
	char buf[HOSTIAM_AUTH_REPLY_MAX];
	struct hostiam_auth_reply back;
	size_t n = 0;

	assert_int_equal(hostiam_auth_reply_format(r, buf, sizeof(buf), &n), 0);
	assert_int_equal(n, strlen(want));
	assert_string_equal(buf, want);
	assert_int_equal(hostiam_auth_reply_parse(buf, n, &back), 0);
	assert_int_equal(back.result, r->result);
	assert_int_equal(back.expires_in, r->result == HOSTIAM_AUTH_OK ? r->expires_in : -1);
	assert_int_equal(back.grace, r->result == HOSTIAM_AUTH_OK ? r->grace : -1);
	assert_int_equal(back.must_change, r->result == HOSTIAM_AUTH_OK && r->must_change);
	assert_string_equal(back.message, r->message);
}

/* Every result alone, by its name. */
static void test_results(void **state)
{
	static const char *const names[] = { "ok",          "wrong",   "locked",
					     "expired",     "unknown", "rejected",
					     "unreachable", "refused", "error" };
	struct hostiam_auth_reply r;
	char want[32];

	for (int i = HOSTIAM_AUTH_OK; i <= HOSTIAM_AUTH_ERROR; i++) {
		hostiam_auth_reply_init(&r, (enum hostiam_auth_result)i);
		assert_string_equal(hostiam_auth_result_name(r.result), names[i]);
		snprintf(want, sizeof(want), "%s\n", names[i]);
		round_trip(&r, want);
	}
	assert_string_equal(hostiam_auth_result_name((enum hostiam_auth_result)99), "error");
}

/* Keys in a fixed order, grace=0 kept (the last grace login), only on ok. */
static void test_keys(void **state)
{
	struct hostiam_auth_reply r;

	hostiam_auth_reply_init(&r, HOSTIAM_AUTH_OK);
	r.expires_in = 2592000;
	round_trip(&r, "ok expires_in=2592000\n");
	r.expires_in = -1;
	r.grace = 0;
	r.must_change = true;
	round_trip(&r, "ok grace=0 must_change=1\n");
	r.expires_in = 0;
	r.grace = 2;
	hostiam_auth_reply_set_message(&r, "Password expired");
	round_trip(&r, "ok expires_in=0 grace=2 must_change=1\nPassword expired\n");

	/* keys set on another result are not written */
	hostiam_auth_reply_init(&r, HOSTIAM_AUTH_LOCKED);
	r.grace = 3;
	r.must_change = true;
	hostiam_auth_reply_set_message(&r, "Account locked");
	round_trip(&r, "locked\nAccount locked\n");
}

/* Control characters, bad UTF-8 and C1 controls become '?'; good UTF-8 stays. */
static void test_message_clean(void **state)
{
	struct hostiam_auth_reply r;

	hostiam_auth_reply_init(&r, HOSTIAM_AUTH_REJECTED);
	hostiam_auth_reply_set_message(&r, "a\nb\rc\td\x1b[31me\x7f");
	assert_string_equal(r.message, "a?b?c?d?[31me?");
	hostiam_auth_reply_set_message(&r, "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x94\x91");
	assert_string_equal(r.message, "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x94\x91");
	/* C1 CSI, overlong '/', a lone continuation byte, a surrogate, a cut sequence */
	hostiam_auth_reply_set_message(&r, "\xc2\x9b|\xc0\xaf|\x80|\xed\xa0\x80|\xe2\x82");
	assert_string_equal(r.message, "??|??|?|???|??");
	hostiam_auth_reply_set_message(&r, NULL);
	assert_string_equal(r.message, "");
	round_trip(&r, "rejected\n");
}

/* A long message is cut at 255 bytes, never inside a UTF-8 sequence. */
static void test_message_long(void **state)
{
	struct hostiam_auth_reply r;
	char msg[1000];

	memset(msg, 'x', sizeof(msg) - 1);
	msg[sizeof(msg) - 1] = '\0';
	hostiam_auth_reply_init(&r, HOSTIAM_AUTH_ERROR);
	hostiam_auth_reply_set_message(&r, msg);
	assert_int_equal(strlen(r.message), HOSTIAM_AUTH_MESSAGE_MAX);

	/* 254 x then a 2-byte character: it does not fit whole, so it is left out */
	memset(msg, 'x', 254);
	memcpy(msg + 254, "\xc3\xa9", 3);
	hostiam_auth_reply_set_message(&r, msg);
	assert_int_equal(strlen(r.message), 254);

	/* the longest reply fits the documented buffer */
	hostiam_auth_reply_init(&r, HOSTIAM_AUTH_OK);
	r.expires_in = 2147483647;
	r.grace = 2147483647;
	r.must_change = true;
	memset(msg, 'y', HOSTIAM_AUTH_MESSAGE_MAX);
	msg[HOSTIAM_AUTH_MESSAGE_MAX] = '\0';
	hostiam_auth_reply_set_message(&r, msg);
	char buf[HOSTIAM_AUTH_REPLY_MAX];
	size_t n;
	assert_int_equal(hostiam_auth_reply_format(&r, buf, sizeof(buf), &n), 0);
	struct hostiam_auth_reply back;
	assert_int_equal(hostiam_auth_reply_parse(buf, n, &back), 0);
	assert_int_equal(back.grace, 2147483647);
}

/* The writer refuses a buffer too small and values out of range. */
static void test_format_errors(void **state)
{
	struct hostiam_auth_reply r;
	char buf[16];
	size_t n = 99;

	hostiam_auth_reply_init(&r, HOSTIAM_AUTH_OK);
	r.expires_in = 123456789;
	assert_int_equal(hostiam_auth_reply_format(&r, buf, 10, &n), HOSTIAM_ERR_TOO_SMALL);
	assert_int_equal(hostiam_auth_reply_format(&r, buf, 0, &n), HOSTIAM_ERR_TOO_SMALL);
	assert_int_equal(n, 99);
	r.expires_in = -5;
	assert_int_equal(hostiam_auth_reply_format(&r, buf, sizeof(buf), &n),
			 HOSTIAM_ERR_INVALID_ARG);
	r.expires_in = -1;
	r.result = (enum hostiam_auth_result)42;
	assert_int_equal(hostiam_auth_reply_format(&r, buf, sizeof(buf), &n),
			 HOSTIAM_ERR_INVALID_ARG);
}

/* Replies the reader must refuse, whatever a broken or hostile helper writes. */
static const char *const bad[] = {
	"",
	"ok",                     /* no newline: maybe cut short */
	"ok grace=1",             /* cut before must_change: must not read as plain ok */
	"\n",                     /* no result */
	"OK\n",                   /* results are lower case */
	"okay\n",                 /* not a result */
	"ok \n",                  /* a blank and no key */
	"ok  grace=1\n",          /* two blanks */
	"ok grace=1 \n",          /* trailing blank */
	"ok\tgrace=1\n",          /* a tab */
	"ok grace\n",             /* no value */
	"ok grace=\n",            /* empty value */
	"ok grace=-1\n",          /* negative */
	"ok grace=+1\n",          /* sign */
	"ok grace=0x10\n",        /* base prefix */
	"ok grace=1 grace=2\n",   /* twice */
	"ok grace=99999999999\n", /* out of range */
	"ok expires_in=2147483648\n",
	"ok must_change=2\n",
	"ok admin=1\n", /* unknown key */
	"ok =1\n",
	"wrong grace=1\n", /* keys only on ok */
	"locked must_change=1\n",
	"ok\n\n",      /* empty message line */
	"ok\nmessage", /* message without newline */
	"ok\nline two\nline three\n",
	"ok\nmsg\n\n",
	"\nok\n",
	" ok\n",
	"ok\r\n",
};

static void test_parse_bad(void **state)
{
	struct hostiam_auth_reply r;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		hostiam_auth_reply_init(&r, HOSTIAM_AUTH_OK);
		r.grace = 77;
		if (hostiam_auth_reply_parse(bad[i], strlen(bad[i]), &r) != HOSTIAM_ERR_INVALID_ARG)
			fail_msg("accepted \"%s\"", bad[i]);
		/* *out untouched on failure */
		assert_int_equal(r.grace, 77);
	}
	assert_int_equal(hostiam_auth_reply_parse(NULL, 3, &r), HOSTIAM_ERR_INVALID_ARG);
	/* a NUL inside: "ok\0 must_change=1" is not "ok" */
	assert_int_equal(hostiam_auth_reply_parse("ok\0x\n", 5, &r), HOSTIAM_ERR_INVALID_ARG);
	assert_int_equal(hostiam_auth_reply_parse("ok\nab\0c\n", 8, &r), HOSTIAM_ERR_INVALID_ARG);
}

/* Long input: too long a reply, too long a message line, a first line of junk. */
static void test_parse_long(void **state)
{
	struct hostiam_auth_reply r;
	char buf[4096];

	memset(buf, 'a', sizeof(buf));
	buf[sizeof(buf) - 1] = '\n';
	assert_int_equal(hostiam_auth_reply_parse(buf, sizeof(buf), &r), HOSTIAM_ERR_INVALID_ARG);

	memcpy(buf, "ok\n", 3);
	memset(buf + 3, 'm', HOSTIAM_AUTH_MESSAGE_MAX + 1);
	buf[3 + HOSTIAM_AUTH_MESSAGE_MAX + 1] = '\n';
	assert_int_equal(hostiam_auth_reply_parse(buf, 3 + HOSTIAM_AUTH_MESSAGE_MAX + 2, &r),
			 HOSTIAM_ERR_INVALID_ARG);
	buf[3 + HOSTIAM_AUTH_MESSAGE_MAX] = '\n';
	assert_int_equal(hostiam_auth_reply_parse(buf, 3 + HOSTIAM_AUTH_MESSAGE_MAX + 1, &r), 0);
	assert_int_equal(strlen(r.message), HOSTIAM_AUTH_MESSAGE_MAX);

	/* every byte value as the first line's only byte: only none parse */
	for (int c = 0; c < 256; c++) {
		buf[0] = (char)c;
		buf[1] = '\n';
		assert_int_equal(hostiam_auth_reply_parse(buf, 2, &r), HOSTIAM_ERR_INVALID_ARG);
	}
}

/* The reader cleans a message line holding control characters, as the writer would. */
static void test_parse_message(void **state)
{
	static const char reply[] = "locked\nAccount \x1b[2Jlocked\x7f \xc3\xa9\r\n";
	struct hostiam_auth_reply r;

	assert_int_equal(hostiam_auth_reply_parse(reply, sizeof(reply) - 1, &r), 0);
	assert_int_equal(r.result, HOSTIAM_AUTH_LOCKED);
	assert_string_equal(r.message, "Account ?[2Jlocked? \xc3\xa9?");
	assert_int_equal(r.expires_in, -1);
	assert_int_equal(r.grace, -1);
	assert_false(r.must_change);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_results),       cmocka_unit_test(test_keys),
		cmocka_unit_test(test_message_clean), cmocka_unit_test(test_message_long),
		cmocka_unit_test(test_format_errors), cmocka_unit_test(test_parse_bad),
		cmocka_unit_test(test_parse_long),    cmocka_unit_test(test_parse_message),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
