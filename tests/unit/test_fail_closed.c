/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The two definitions pam_hostiam, `hostiam check` and `hostiam review` share: the
 * fail-closed decision when the engine cannot decide (each case, root and access.exempt),
 * and offline (a cache exactly max_age old is current, one second more is offline, no
 * cache at all is offline).
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "cache.h"
#include "policy.h"
#include "policy_testutil.h"
#include "request.h"

#define MAX_AGE 86400
#define SYNCED ((int64_t)1767225600)

static const char *const conf_text = TEST_DIRECTORY
	"cache = { max_age = 86400; };\n"
	"access = { mode = \"report\"; default = \"allow\"; exempt = [ \"breakglass\" ]; };\n";

/* d is the enforced decision action/rule with reason, made by no rule and no trace. */
static void expect(const struct hostiam_decision *d, enum hostiam_action action, const char *rule,
		   const char *reason)
{
	assert_int_equal(d->action, action);
	assert_int_equal(d->policy_action, action);
	assert_int_equal(d->by,
			 action == HOSTIAM_ACTION_ALLOW ? HOSTIAM_BY_EXEMPT : HOSTIAM_BY_DEFAULT);
	assert_int_equal(d->rule_index, -1);
	assert_string_equal(d->rule_name, rule);
	assert_string_equal(d->reason, reason);
	assert_false(d->report_only);
	assert_null(d->message);
	assert_int_equal(d->n_trace, 0);
}

/* No configuration: only the built-in break-glass account passes, whatever the error. */
static void test_config_unusable(void **state)
{
	struct hostiam_decision d;

	(void)state;
	hostiam_policy_fail_closed(NULL, "root", HOSTIAM_ERR_CONFIG, &d);
	expect(&d, HOSTIAM_ACTION_ALLOW, "break-glass",
	       "configuration unusable, built-in break-glass account");
	hostiam_policy_fail_closed(NULL, "breakglass", HOSTIAM_ERR_CONFIG, &d);
	expect(&d, HOSTIAM_ACTION_DENY, "config-error", "configuration unusable");
	hostiam_policy_fail_closed(NULL, "nosuchuser", HOSTIAM_ERR_NOT_FOUND, &d);
	expect(&d, HOSTIAM_ACTION_DENY, "config-error", "configuration unusable");
	hostiam_policy_fail_closed(NULL, NULL, HOSTIAM_ERR_CONFIG, &d);
	expect(&d, HOSTIAM_ACTION_DENY, "config-error", "configuration unusable");
	hostiam_decision_free(&d);
}

/* With a configuration: unknown users out; exempt accounts in; everyone else out. */
static void test_engine_failed(void **state)
{
	struct hostiam_config *cfg = load_cfg(conf_text);
	struct hostiam_decision d;

	(void)state;
	hostiam_policy_fail_closed(cfg, "breakglass", HOSTIAM_ERR_NOT_FOUND, &d);
	expect(&d, HOSTIAM_ACTION_DENY, "unknown-user", "no such user");
	hostiam_policy_fail_closed(cfg, "x y", HOSTIAM_ERR_INVALID_NAME, &d);
	expect(&d, HOSTIAM_ACTION_DENY, "unknown-user", "no such user");
	hostiam_policy_fail_closed(cfg, "breakglass", HOSTIAM_ERR_INSECURE_FILE, &d);
	expect(&d, HOSTIAM_ACTION_ALLOW, "exempt", "error: insecure file ownership or permissions");
	/* root is exempt only when the configuration says so. */
	hostiam_policy_fail_closed(cfg, "root", HOSTIAM_ERR_NOMEM, &d);
	expect(&d, HOSTIAM_ACTION_DENY, "error", "error: out of memory");
	/* Report mode does not apply: failing closed is enforced. */
	hostiam_policy_fail_closed(cfg, "alice", HOSTIAM_ERR_SYSTEM, &d);
	expect(&d, HOSTIAM_ACTION_DENY, "error", "error: system error");
	hostiam_decision_free(&d);
	hostiam_config_free(cfg);
}

/* Age max_age is current, max_age + 1 offline; a sync in the future is current. */
static void test_offline_boundary(void **state)
{
	struct hostiam_config *cfg = load_cfg(conf_text);
	struct hostiam_cache_info info;

	(void)state;
	memset(&info, 0, sizeof(info));
	info.sync_time = SYNCED;
	assert_false(hostiam_cache_offline(cfg, &info, (time_t)SYNCED));
	assert_false(hostiam_cache_offline(cfg, &info, (time_t)(SYNCED + MAX_AGE - 1)));
	assert_false(hostiam_cache_offline(cfg, &info, (time_t)(SYNCED + MAX_AGE)));
	assert_true(hostiam_cache_offline(cfg, &info, (time_t)(SYNCED + MAX_AGE + 1)));
	assert_false(hostiam_cache_offline(cfg, &info, (time_t)(SYNCED - 3600)));
	/* A sync time no clock reaches: the subtraction must not wrap. */
	info.sync_time = INT64_MIN;
	assert_true(hostiam_cache_offline(cfg, &info, (time_t)SYNCED));
	hostiam_config_free(cfg);
}

/* No usable cache (or no configuration) is offline, at any time. */
static void test_offline_no_cache(void **state)
{
	struct hostiam_config *cfg = load_cfg(conf_text);

	(void)state;
	assert_true(hostiam_cache_offline(cfg, NULL, (time_t)SYNCED));
	assert_true(hostiam_cache_offline(cfg, NULL, 0));
	assert_true(hostiam_cache_offline(NULL, NULL, (time_t)SYNCED));
	hostiam_config_free(cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config_unusable),
		cmocka_unit_test(test_engine_failed),
		cmocka_unit_test(test_offline_boundary),
		cmocka_unit_test(test_offline_no_cache),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
