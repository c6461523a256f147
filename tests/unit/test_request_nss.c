/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The request builder through the real glibc NSS path, answered by nss_wrapper from the
 * passwd/group pair that test_request.sh writes: groups (primary and supplementary),
 * unknown users, state, and offline from a missing, corrupt, old or fresh cache.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "cache_writer.h"
#include "configuration.h"
#include "errors.h"
#include "log.h"
#include "request.h"
#include "state.h"

#define NOW ((time_t)1704672000)
#define MAX_AGE 3600

static char base[64];
static char nss_path[128];
static char state_dir[128];
static struct hostiam_config *cfg;

/* Drop log lines: the insecure-directory case logs on purpose. */
static void quiet(int priority, const char *line, void *ctx)
{
	(void)priority, (void)line, (void)ctx;
}

/* A fresh directory for the cache and the state, and a configuration pointing there. */
static int setup(void **state)
{
	struct hostiam_config_errors errs;
	char text[512];

	(void)state;
	snprintf(base, sizeof(base), "/tmp/hostiam-request.XXXXXX");
	if (mkdtemp(base) == NULL)
		return -1;
	snprintf(nss_path, sizeof(nss_path), "%s/nss.cache", base);
	snprintf(state_dir, sizeof(state_dir), "%s/state", base);
	snprintf(text, sizeof(text),
		 "directory = { uri = \"ldap://ldap.example.com\"; base = \"dc=example,dc=com\"; "
		 "};\n"
		 "cache = { dir = \"%s\"; max_age = %d; };\n",
		 base, MAX_AGE);
	hostiam_log_set_sink(quiet, NULL);
	return hostiam_config_load_string(text, "test.conf", &cfg, &errs) == 0 ? 0 : -1;
}

/* Remove the directory and the configuration. */
static int teardown(void **state)
{
	char cmd[256];

	(void)state;
	hostiam_config_free(cfg);
	snprintf(cmd, sizeof(cmd), "chmod -R u+rwx '%s'; rm -rf '%s'", base, base);
	return system(cmd) == 0 ? 0 : -1;
}

/* A cache (one user, no groups) whose last sync was age seconds before NOW. */
static void write_cache(time_t age)
{
	static const struct hostiam_cache_user_in users[] = {
		{ "dirk", 5001, 5001, "Dirk", "/home/dirk", "/bin/sh", NULL, 0 },
	};

	assert_int_equal(hostiam_cache_write(nss_path, users, 1, NULL, 0, 1, NOW - age), 0);
}

/* True if list holds name. */
static bool has(const struct hostiam_request *req, const char *name)
{
	size_t i;

	for (i = 0; i < req->n_groups; i++)
		if (strcmp(req->groups[i], name) == 0)
			return true;
	return false;
}

/* Primary and supplementary groups, by name, primary first, each once. */
static void test_groups(void **state)
{
	struct hostiam_request_ctx ctx;

	(void)state;
	assert_int_equal(
		hostiam_request_build(cfg, "alice", "sshd", "203.0.113.7", "/dev/pts/3", NOW, &ctx),
		0);
	assert_string_equal(ctx.req.user, "alice");
	assert_string_equal(ctx.req.service, "sshd");
	assert_string_equal(ctx.req.rhost, "203.0.113.7");
	assert_string_equal(ctx.req.tty, "/dev/pts/3");
	assert_int_equal(ctx.req.now, NOW);
	assert_int_equal(ctx.req.n_groups, 3);
	assert_string_equal(ctx.req.groups[0], "staff");
	assert_true(has(&ctx.req, "admins"));
	assert_true(has(&ctx.req, "devs"));
	assert_false(has(&ctx.req, "empty"));
	assert_int_equal(ctx.req.enrolled, HOSTIAM_FALSE);
	assert_int_equal(ctx.req.last_login, 0);
	assert_int_equal(ctx.req.last_mfa, 0);
	hostiam_request_ctx_free(&ctx);

	assert_int_equal(hostiam_request_build(cfg, "bob", "sudo", "", "", NOW, &ctx), 0);
	assert_null(ctx.req.rhost);
	assert_null(ctx.req.tty);
	assert_int_equal(ctx.req.n_groups, 2);
	assert_string_equal(ctx.req.groups[0], "bob");
	assert_string_equal(ctx.req.groups[1], "devs");
	hostiam_request_ctx_free(&ctx);
	hostiam_request_ctx_free(&ctx);
}

/* A user in many groups: the group array grows past its first size. */
static void test_many_groups(void **state)
{
	struct hostiam_request_ctx ctx;

	(void)state;
	assert_int_equal(hostiam_request_build(cfg, "manny", "sshd", NULL, NULL, NOW, &ctx), 0);
	assert_int_equal(ctx.req.n_groups, 41);
	assert_true(has(&ctx.req, "g40"));
	hostiam_request_ctx_free(&ctx);
}

/* Unknown and impossible users are not found; bad arguments are refused. */
static void test_unknown(void **state)
{
	struct hostiam_request_ctx ctx;

	(void)state;
	assert_int_equal(hostiam_request_build(cfg, "nosuchuser", "sshd", NULL, NULL, NOW, &ctx),
			 HOSTIAM_ERR_NOT_FOUND);
	hostiam_request_ctx_free(&ctx);
	assert_int_equal(hostiam_request_build(cfg, "../alice", "sshd", NULL, NULL, NOW, &ctx),
			 HOSTIAM_ERR_NOT_FOUND);
	hostiam_request_ctx_free(&ctx);
	assert_int_equal(hostiam_request_build(cfg, "alice", "", NULL, NULL, NOW, &ctx),
			 HOSTIAM_ERR_INVALID_ARG);
	hostiam_request_ctx_free(&ctx);
	assert_int_equal(hostiam_request_build(NULL, "alice", "sshd", NULL, NULL, NOW, &ctx),
			 HOSTIAM_ERR_INVALID_ARG);
	hostiam_request_ctx_free(&ctx);
}

/* Offline: missing, corrupt, older than max_age; online: fresh and exactly max_age. */
static void test_offline(void **state)
{
	static const struct {
		time_t age; /* -1: no cache file; -2: garbage */
		bool offline;
	} cases[] = { { -1, true },       { -2, true },          { 10, false },
		      { MAX_AGE, false }, { MAX_AGE + 1, true }, { 86400 * 30, true } };
	struct hostiam_request_ctx ctx;
	size_t i;
	FILE *f;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unlink(nss_path);
		if (cases[i].age == -2) {
			f = fopen(nss_path, "w");
			assert_non_null(f);
			fputs("not a cache at all, just some text long enough to have a header\n",
			      f);
			fclose(f);
		} else if (cases[i].age >= 0) {
			write_cache(cases[i].age);
		}
		assert_int_equal(hostiam_request_build(cfg, "alice", "sshd", NULL, NULL, NOW, &ctx),
				 0);
		print_message("cache age %lld -> offline %d\n", (long long)cases[i].age,
			      ctx.req.offline);
		assert_int_equal(ctx.req.offline, cases[i].offline);
		hostiam_request_ctx_free(&ctx);
	}
}

/* Set a login and an MFA time. */
static int record(struct hostiam_user_state *st, void *ctx)
{
	(void)ctx;
	st->last_login = NOW - 100;
	st->last_mfa = NOW - 50;
	return 0;
}

/* last_login and last_mfa come from the state store; an insecure store is an error. */
static void test_state(void **state)
{
	struct hostiam_request_ctx ctx;

	(void)state;
	assert_int_equal(hostiam_state_update(state_dir, "alice", record, NULL), 0);
	assert_int_equal(hostiam_request_build(cfg, "alice", "sshd", NULL, NULL, NOW, &ctx), 0);
	assert_int_equal(ctx.req.last_login, NOW - 100);
	assert_int_equal(ctx.req.last_mfa, NOW - 50);
	hostiam_request_ctx_free(&ctx);

	assert_int_equal(chmod(state_dir, 0755), 0);
	assert_int_equal(hostiam_request_build(cfg, "alice", "sshd", NULL, NULL, NOW, &ctx),
			 HOSTIAM_ERR_INSECURE_FILE);
	hostiam_request_ctx_free(&ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_groups, setup, teardown),
		cmocka_unit_test_setup_teardown(test_many_groups, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown, setup, teardown),
		cmocka_unit_test_setup_teardown(test_offline, setup, teardown),
		cmocka_unit_test_setup_teardown(test_state, setup, teardown),
	};

	/* Only meaningful with nss_wrapper's files in place: test_request.sh sets them up. */
	if (getenv("HOSTIAM_TEST_NSSWRAP") == NULL) {
		fprintf(stderr, "run through tests/unit/test_request.sh\n");
		return 77;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
