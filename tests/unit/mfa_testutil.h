/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Shared by the MFA tests: a configuration rooted in a fresh temporary directory, a log
 * sink that keeps every line (to look for secrets in them), enrolment and code helpers.
 * Include after <cmocka.h>.
 */
#ifndef HOSTIAM_MFA_TESTUTIL_H
#define HOSTIAM_MFA_TESTUTIL_H

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "auth_cache.h"
#include "configuration.h"
#include "errors.h"
#include "log.h"
#include "mfa.h"
#include "state.h"
#include "totp.h"

/* 2023-11-14 22:13:00 UTC, the start of a 30 s step. */
#define T0 ((time_t)1700000000 - 1700000000 % 30)

/* Two 20-byte keys, their base32 forms, and a third for the directory. */
#define KEY_A "\x8f\x21\x5a\xc0\x33\x71\x0e\xd2\x9b\x44\x19\xaa\x05\xe7\x6c\x3d\x50\x12\xfe\x81"
#define KEY_B "\x10\x9c\x4e\x77\xb3\x02\x58\xe1\xaf\x36\xd9\x6b\x20\x8d\xc5\x14\x7f\xea\x03\x99"

static char tbase[64];
static char tlog[65536];
static size_t tlog_len;
static struct hostiam_config *tcfg;

/* Keep every log line, one per line, for later greps. */
static inline void capture_log(int priority, const char *line, void *ctx)
{
	int n;

	(void)priority, (void)ctx;
	n = snprintf(tlog + tlog_len, sizeof(tlog) - tlog_len, "%s\n", line);
	if (n > 0 && (size_t)n < sizeof(tlog) - tlog_len)
		tlog_len += (size_t)n;
}

/* Whether any captured log line contains s. */
static inline bool log_has(const char *s)
{
	return strstr(tlog, s) != NULL;
}

/* A configuration whose cache.dir is a fresh temporary directory (0700). */
static inline int mfa_setup(void **state)
{
	struct hostiam_config_errors errs;
	char text[1024];

	(void)state;
	snprintf(tbase, sizeof(tbase), "/tmp/hostiam-mfa.XXXXXX");
	if (mkdtemp(tbase) == NULL)
		return -1;
	snprintf(text, sizeof(text),
		 "directory = { uri = \"ldap://ldap.example.com\"; base = \"dc=example\"; };\n"
		 "cache = { dir = \"%s\"; };\n"
		 "mfa = { algorithm = \"sha1\"; digits = 6; period = 30; window = 1;\n"
		 "        max_failures = 3; lockout = 300; };\n",
		 tbase);
	if (hostiam_config_load_string(text, "test.conf", &tcfg, &errs) != 0)
		return -1;
	tlog[0] = '\0';
	tlog_len = 0;
	hostiam_log_set_sink(capture_log, NULL);
	hostiam_log_set_level(LOG_DEBUG);
	return 0;
}

/* Remove everything the test made. */
static inline int mfa_teardown(void **state)
{
	char cmd[256];

	(void)state;
	hostiam_config_free(tcfg);
	tcfg = NULL;
	snprintf(cmd, sizeof(cmd), "chmod -R u+rwx '%s' 2>/dev/null; rm -rf '%s'", tbase, tbase);
	return system(cmd) == 0 ? 0 : -1;
}

/* A path under the temporary directory (one static buffer per slot). */
static inline const char *tpath(int slot, const char *rel)
{
	static char buf[4][256];

	snprintf(buf[slot], sizeof(buf[slot]), "%s/%s", tbase, rel);
	return buf[slot];
}

/* Replace the file at p with text, then give it mode. */
static inline void put_file(const char *p, const char *text, mode_t mode)
{
	int fd;

	unlink(p);
	fd = open(p, O_WRONLY | O_CREAT | O_EXCL, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	assert_int_equal(fchmod(fd, mode), 0);
	close(fd);
}

/* The code of key at time t with params p. */
static inline void code_for(const char *key, const struct hostiam_totp_params *p, time_t t,
			    char *out)
{
	assert_int_equal(hostiam_totp_generate((const uint8_t *)key, 20, p, t, out, 9), 0);
}

/* The mfa section's parameters (as for directory secrets). */
static inline struct hostiam_totp_params default_params(void)
{
	struct hostiam_totp_params p = { HOSTIAM_TOTP_SHA1, 6, 30 };

	return p;
}

/* Store a local enrolment of key for user, with recovery codes given in clear. */
static inline void enrol(const char *user, const char *key, struct hostiam_totp_params p,
			 const char *const *codes, size_t n)
{
	struct hostiam_mfa_enrolment e = { HOSTIAM_MFA_LOCAL, NULL, 20, p, NULL, n, 0 };
	char *hashes[16];
	size_t i;

	assert_true(n <= 16);
	e.secret = (uint8_t *)key;
	e.recovery = n ? hashes : NULL;
	for (i = 0; i < n; i++)
		assert_int_equal(hostiam_recovery_hash(codes[i], &hashes[i]), 0);
	assert_int_equal(hostiam_mfa_store_local(tcfg, user, &e), 0);
	for (i = 0; i < n; i++)
		free(hashes[i]);
}

/* hostiam_mfa_check that must not fail: its result. */
static inline enum hostiam_mfa_result check(const char *user, const char *code, time_t now)
{
	enum hostiam_mfa_result res = (enum hostiam_mfa_result) - 1;

	assert_int_equal(hostiam_mfa_check(tcfg, user, code, now, &res), 0);
	return res;
}

/* The user's state record. */
static inline struct hostiam_user_state state_of(const char *user)
{
	struct hostiam_user_state st;

	assert_int_equal(hostiam_state_load(tcfg->cache.state_dir, user, &st), 0);
	return st;
}

#endif
