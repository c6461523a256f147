/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The one log line per decision: its exact shape, and that no user name, rhost or rule text
 * can forge a key. A small parser reads the lines back the way a log pipeline would.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "log.h"
#include "policy.h"
#include "policy_testutil.h"

static const char *const config_text = TEST_DIRECTORY
	"access = { timezone = \"UTC\"; default = \"deny\"; rules = (\n"
	" { name = \"office\"; service = [ \"sshd\" ]; from = [ \"10.0.0.0/8\" ]; action = "
	"\"allow\"; },\n"
	" { name = \"contractors\"; group = [ \"contractors\" ]; time = [ \"Mon-Fri 08:00-18:00\" "
	"];\n"
	"   action = \"mfa\"; },\n"
	" { name = \"contractors-off\"; group = [ \"contractors\" ]; action = \"deny\"; }\n"
	"); };\n";

static const char *const report_text = TEST_DIRECTORY
	"access = { timezone = \"UTC\"; mode = \"report\"; rules = (\n"
	" { name = \"nobody\"; from = [ \"0.0.0.0/0\" ]; action = \"deny\"; }\n"
	"); };\n";

static struct hostiam_config *cfg, *report_cfg;

#define MAX_PAIRS 16

struct pair {
	char key[32];
	char value[512];
};

/* One byte of a quoted value at *p: plain, \c or \xHH; leaves *p on its last byte. */
static char unescape(const char **p)
{
	const char *s = *p;
	char hex[3];

	if (s[0] != '\\' || s[1] == '\0')
		return s[0];
	if (s[1] == 'x' && s[2] && s[3]) {
		hex[0] = s[2];
		hex[1] = s[3];
		hex[2] = '\0';
		*p = s + 3;
		return (char)strtol(hex, NULL, 16);
	}
	*p = s + 1;
	return s[1];
}

/* Read key=value pairs back; -1 on anything a strict parser would reject. */
static int parse_line(const char *p, struct pair *pairs, size_t max)
{
	size_t n = 0, k, v;

	while (*p) {
		if (n == max)
			return -1;
		for (k = 0; *p && *p != '=' && *p != ' ' && k < sizeof(pairs[n].key) - 1; k++)
			pairs[n].key[k] = *p++;
		pairs[n].key[k] = '\0';
		if (*p++ != '=' || k == 0)
			return -1;
		v = 0;
		if (*p == '"') {
			for (p++; *p && *p != '"'; p++) {
				char ch = unescape(&p);

				if (v < sizeof(pairs[n].value) - 1)
					pairs[n].value[v++] = ch;
			}
			if (*p++ != '"')
				return -1;
		} else {
			while (*p && *p != ' ' && v < sizeof(pairs[n].value) - 1)
				pairs[n].value[v++] = *p++;
		}
		pairs[n].value[v] = '\0';
		n++;
		if (*p == ' ')
			p++;
		else if (*p)
			return -1;
	}
	return (int)n;
}

/* Decide for req under c and format the line into buf. */
static void decide_and_format(const struct hostiam_config *c, const struct hostiam_request *req,
			      char *buf, size_t len)
{
	struct hostiam_decision d;

	assert_int_equal(hostiam_policy_evaluate(c, req, &d), 0);
	hostiam_decision_format_log(&d, req, buf, len);
	hostiam_decision_free(&d);
}

/* The line of DESIGN.md, byte for byte. */
static void test_exact(void **state)
{
	const char *groups[] = { "alice", "contractors" };
	struct hostiam_request req = { .user = "alice",
				       .service = "sshd",
				       .rhost = "203.0.113.7",
				       .groups = groups,
				       .n_groups = 2,
				       .now = AT(SAT, 23, 10) };
	char line[512];

	(void)state;
	decide_and_format(cfg, &req, line, sizeof(line));
	assert_string_equal(line,
			    "decision=deny user=alice service=sshd rhost=203.0.113.7 "
			    "rule=contractors-off reason=\"matched rule contractors-off: "
			    "group contractors\"");
	req.rhost = NULL;
	req.now = AT(MON, 9, 0);
	decide_and_format(cfg, &req, line, sizeof(line));
	assert_string_equal(line,
			    "decision=mfa user=alice service=sshd rhost=- rule=contractors "
			    "reason=\"matched rule contractors: group contractors, "
			    "time Mon-Fri 08:00-18:00\"");
	req.rhost = "";
	req.n_groups = 0;
	decide_and_format(cfg, &req, line, sizeof(line));
	assert_string_equal(line,
			    "decision=deny user=alice service=sshd rhost=- rule=default "
			    "reason=\"no rule matched\"");
}

/* Report mode: the line says what the policy would have done, and that it was not done. */
static void test_report(void **state)
{
	struct hostiam_request req = {
		.user = "bob", .service = "sshd", .rhost = "198.51.100.2", .now = AT(MON, 9, 0)
	};
	char line[512];

	(void)state;
	decide_and_format(report_cfg, &req, line, sizeof(line));
	assert_string_equal(line,
			    "decision=deny mode=report user=bob service=sshd "
			    "rhost=198.51.100.2 rule=nobody reason=\"matched rule nobody: "
			    "from 0.0.0.0/0\"");
}

struct forge_case {
	const char *user;
	const char *rhost;
	const char *service;
};

static const struct forge_case forge_cases[] = {
	{ "alice\" reason=x", "203.0.113.7", "sshd" },
	{ "alice", "1.2.3.4 rule=exempt decision=allow", "sshd" },
	{ "alice", "h\" reason=\"ok", "sshd" },
	{ "a\\\" b=c", "x", "sshd" },
	{ "alice\nFeb 1 host sshd: decision=allow", "\r\t", "sshd" },
	{ "al=ice", "-", "sudo\" decision=allow" },
	{ "jos\xc3\xa9", "fe80::1%eth0", "login" },
};

/* Hostile values come back intact, as values, and the keys stay exactly the six. */
static void test_forge(void **state)
{
	static const char *const keys[] = {
		"decision", "user", "service", "rhost", "rule", "reason"
	};
	struct pair pairs[MAX_PAIRS];
	char line[1024];
	size_t i, k;

	(void)state;
	for (i = 0; i < sizeof(forge_cases) / sizeof(forge_cases[0]); i++) {
		const struct forge_case *f = &forge_cases[i];
		struct hostiam_request req = { .user = f->user,
					       .service = f->service,
					       .rhost = f->rhost,
					       .now = AT(MON, 9, 0) };
		int n;

		decide_and_format(cfg, &req, line, sizeof(line));
		print_message("%s\n", line);
		assert_null(strchr(line, '\n'));
		assert_null(strchr(line, '\r'));
		n = parse_line(line, pairs, MAX_PAIRS);
		assert_int_equal(n, 6);
		for (k = 0; k < 6; k++)
			assert_string_equal(pairs[k].key, keys[k]);
		assert_string_equal(pairs[0].value, "deny");
		assert_string_equal(pairs[1].value, f->user);
		assert_string_equal(pairs[2].value, f->service);
		assert_string_equal(pairs[3].value, f->rhost);
	}
}

/* Control and non-ASCII bytes are \xHH; a literal "-" rhost is quoted, not "local". */
static void test_escapes(void **state)
{
	struct hostiam_request req = {
		.user = "jos\xc3\xa9", .service = "sshd", .rhost = "-", .now = AT(MON, 9, 0)
	};
	char line[512];

	(void)state;
	decide_and_format(cfg, &req, line, sizeof(line));
	assert_non_null(strstr(line, "user=\"jos\\xc3\\xa9\""));
	assert_non_null(strstr(line, "rhost=\"-\""));
	req.user = "a\\b";
	req.rhost = "host\x01name";
	decide_and_format(cfg, &req, line, sizeof(line));
	assert_non_null(strstr(line, "user=\"a\\\\b\""));
	assert_non_null(strstr(line, "rhost=\"host\\x01name\""));
	/* The trace text of an rhost is sanitised too: reason carries it. */
	assert_null(strchr(line, '\x01'));
}

/* Short buffers: always terminated, never overrun, a cut is marked, no split escape. */
static void test_truncate(void **state)
{
	struct hostiam_request req = { .user = "\x01\x01\x01\x01\x01\x01\x01\x01",
				       .service = "s",
				       .now = AT(MON, 9, 0) };
	struct hostiam_decision d;
	char line[64];
	size_t len;

	(void)state;
	assert_int_equal(hostiam_policy_evaluate(cfg, &req, &d), 0);
	for (len = 1; len <= sizeof(line); len++) {
		memset(line, 'Z', sizeof(line));
		hostiam_decision_format_log(&d, &req, line, len);
		assert_true(strlen(line) < len);
		if (len < sizeof(line))
			assert_int_equal(line[len], 'Z');
		if (len > 4 && len < 60)
			assert_non_null(strstr(line, "..."));
	}
	hostiam_decision_format_log(&d, &req, NULL, 0);
	hostiam_decision_free(&d);
}

/* A value of n copies of ch (n < 8192). */
static const char *repeat(char ch, size_t n)
{
	static char buf[2][8192];
	static int which;
	char *b = buf[which++ % 2];

	memset(b, ch, n);
	b[n] = '\0';
	return b;
}

/*
 * A 5,000-byte user name or rhost is cut on its own, visibly, and the line in the module's
 * 1024-byte buffer still ends with its rule= and reason= fields.
 */
static void test_long_fields(void **state)
{
	static const char *const keys[] = {
		"decision", "user", "service", "rhost", "rule", "reason"
	};
	struct hostiam_request req = { .service = "sshd", .now = AT(MON, 9, 0) };
	struct pair pairs[MAX_PAIRS];
	char line[1024];
	size_t k;

	(void)state;
	req.user = repeat('a', 5000);
	req.rhost = repeat('\n', 3000);
	decide_and_format(cfg, &req, line, sizeof(line));
	print_message("%s\n", line);
	assert_true(strlen(line) < 900);
	assert_int_equal(parse_line(line, pairs, MAX_PAIRS), 6);
	for (k = 0; k < 6; k++)
		assert_string_equal(pairs[k].key, keys[k]);
	assert_non_null(strstr(line, " user=\"aaaa"));
	assert_non_null(strstr(line, "aaa...\" service=sshd rhost=\"\\x0a"));
	assert_non_null(strstr(line, "\\x0a...\" rule=default reason=\"no rule matched\""));
	/* The auth side appends its result: room is left for it. */
	assert_true(strlen(line) + 64 < sizeof(line));
}

/* One value alone, as the session line logs PAM_USER: one line, escaped, cut visibly. */
static void test_log_value(void **state)
{
	char v[64];

	(void)state;
	hostiam_log_value(v, sizeof(v), "alice");
	assert_string_equal(v, "alice");
	hostiam_log_value(v, sizeof(v), "alice\nhostiam: decision=allow user=root");
	assert_string_equal(v, "\"alice\\x0ahostiam: decision=allow user=root\"");
	hostiam_log_value(v, 16, "\n\n\n\n\n");
	assert_string_equal(v, "\"\\x0a\\x0a...\"");
	hostiam_log_value(v, sizeof(v), repeat('b', 100));
	assert_int_equal(strlen(v), sizeof(v) - 1);
	assert_string_equal(v + sizeof(v) - 5, "...\"");
}

/* Load both configurations in UTC. */
static int setup(void **state)
{
	(void)state;
	use_utc();
	cfg = load_cfg(config_text);
	report_cfg = load_cfg(report_text);
	return 0;
}

/* Free them. */
static int teardown(void **state)
{
	(void)state;
	hostiam_config_free(cfg);
	hostiam_config_free(report_cfg);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exact),     cmocka_unit_test(test_report),
		cmocka_unit_test(test_forge),     cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_truncate),  cmocka_unit_test(test_long_fields),
		cmocka_unit_test(test_log_value),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
