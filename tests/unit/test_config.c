/* SPDX-License-Identifier: BSD-2-Clause */
/* Loading good configurations: the example lands in the struct; absent keys get defaults. */
#include "config.h"

#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "configuration.h"
#include "errors.h"

/* Load a file that must be valid; fails the test with every error otherwise. */
static struct hostiam_config *load_ok(const char *path)
{
	struct hostiam_config_errors errs;
	struct hostiam_config *cfg = NULL;
	char line[1024];
	size_t i;
	int r;

	r = hostiam_config_load(path, &cfg, &errs);
	for (i = 0; i < errs.n; i++) {
		hostiam_config_error_format(&errs.items[i], line, sizeof(line));
		print_error("%s\n", line);
	}
	assert_int_equal(r, 0);
	assert_int_equal(errs.n, 0);
	assert_non_null(cfg);
	return cfg;
}

/* Local midnight after y-m-d, the way enrol_by is stored. */
static time_t midnight_after(int y, int m, int d)
{
	struct tm tm = { .tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d + 1, .tm_isdst = -1 };

	return mktime(&tm);
}

/* Check that list l holds exactly the strings given. */
static void assert_strlist(const struct hostiam_strlist *l, size_t n, const char *const *want)
{
	size_t i;

	assert_int_equal(l->n, n);
	for (i = 0; i < n; i++)
		assert_string_equal(l->items[i], want[i]);
}

/* conf/hostiam.conf: the directory and cache sections. */
static void check_example_directory(const struct hostiam_config *c)
{
	static const char *const uris[] = { "ldaps://ldap1.example.com",
					    "ldaps://ldap2.example.com" };
	static const char *const members[] = { "memberUid", "member" };
	const struct hostiam_directory_config *d = &c->directory;

	assert_strlist(&d->uris, 2, uris);
	assert_string_equal(d->base, "dc=example,dc=com");
	/* Commented out, so that config-check passes on a fresh host: no file to name. */
	assert_null(d->bind_dn);
	assert_null(d->bind_password_file);
	assert_false(d->starttls);
	assert_null(d->tls_ca_file);
	assert_int_equal(d->timeout, 5);
	assert_int_equal(d->page_size, 500);
	assert_int_equal(d->refresh, 300);
	assert_string_equal(d->users_base, "ou=people,dc=example,dc=com");
	assert_string_equal(d->users_filter, "(objectClass=posixAccount)");
	assert_string_equal(d->groups_base, "ou=groups,dc=example,dc=com");
	assert_string_equal(d->groups_filter,
			    "(|(objectClass=posixGroup)(objectClass=groupOfNames))");
	assert_strlist(&d->group_members, 2, members);
	assert_false(d->referrals);
	assert_string_equal(d->map_totp_secret, "hostiamTotpSecret");
	assert_string_equal(d->map_ssh_key, "sshPublicKey");
	assert_int_equal(d->min_uid, 1000);
	assert_int_equal(d->min_gid, 1000);
	assert_string_equal(c->cache.dir, "/var/lib/hostiam");
	assert_int_equal(c->cache.max_age, 86400);
	assert_string_equal(c->cache.nss_path, "/var/lib/hostiam/nss.cache");
	assert_string_equal(c->cache.auth_path, "/var/lib/hostiam/auth.cache");
	assert_string_equal(c->cache.state_dir, "/var/lib/hostiam/state");
}

/* conf/hostiam.conf: mfa and the access header. */
static void check_example_mfa_access(const struct hostiam_config *c)
{
	static const char *const root[] = { "root" };

	assert_string_equal(c->mfa.issuer, "Example Corp");
	assert_int_equal(c->mfa.algorithm, HOSTIAM_TOTP_SHA1);
	assert_int_equal(c->mfa.digits, 6);
	assert_int_equal(c->mfa.period, 30);
	assert_int_equal(c->mfa.window, 1);
	assert_int_equal(c->mfa.max_failures, 5);
	assert_int_equal(c->mfa.lockout, 300);
	assert_int_equal(c->mfa.lockout_max, 86400);
	assert_int_equal(c->access.mode, HOSTIAM_MODE_REPORT);
	assert_int_equal(c->access.default_action, HOSTIAM_ACTION_DENY);
	assert_strlist(&c->access.exempt, 1, root);
	assert_int_equal(c->access.n_rules, 5);
}

/* conf/hostiam.conf: the five rules, in order. */
static void check_example_rules(const struct hostiam_config *c)
{
	static const char *const sudo[] = { "sudo" }, *const admins[] = { "admins" };
	const struct hostiam_rule *r = c->access.rules;
	uint8_t net[16];

	assert_string_equal(r[0].name, "sudo-step-up");
	assert_strlist(&r[0].services, 1, sudo);
	assert_strlist(&r[0].groups, 1, admins);
	assert_int_equal(r[0].action, HOSTIAM_ACTION_MFA);
	assert_int_equal(r[0].mfa_max_age, 0);
	assert_false(r[0].has_from);
	assert_string_equal(r[1].name, "office");
	assert_true(r[1].has_from);
	assert_false(r[1].from_local);
	assert_int_equal(r[1].n_from, 2);
	assert_int_equal(r[1].from[0].family, AF_INET);
	assert_int_equal(r[1].from[0].prefix, 8);
	assert_int_equal(r[1].from[0].addr[0], 10);
	assert_int_equal(r[1].from[1].family, AF_INET6);
	assert_int_equal(inet_pton(AF_INET6, "fd00::", net), 1);
	assert_memory_equal(r[1].from[1].addr, net, 16);
	assert_int_equal(r[1].action, HOSTIAM_ACTION_ALLOW);
	assert_int_equal(r[1].mfa_max_age, -1);
	assert_string_equal(r[2].name, "contractors");
	assert_int_equal(r[2].n_times, 1);
	assert_int_equal(r[2].times[0].days, 0x1f);
	assert_int_equal(r[2].times[0].start_min, 8 * 60);
	assert_int_equal(r[2].times[0].end_min, 18 * 60);
	assert_int_equal(r[2].enrol_by, midnight_after(2030, 1, 31));
	assert_string_equal(r[2].message, "Contractor access is limited to working hours.");
	assert_int_equal(r[3].inactive_days, 90);
	assert_int_equal(r[3].action, HOSTIAM_ACTION_DENY);
	assert_string_equal(r[4].name, "everyone-else");
	assert_int_equal(r[4].enrolled, HOSTIAM_UNSET);
	assert_int_equal(r[4].offline, HOSTIAM_UNSET);
	assert_int_equal(r[4].inactive_days, -1);
	assert_int_equal(r[4].enrol_by, 0);
	assert_null(r[4].message);
	assert_true(r[0].line < r[1].line && r[3].line < r[4].line);
}

/* The shipped example is valid and every value lands where it belongs. */
static void test_example(void **state)
{
	struct hostiam_config *c = load_ok(TESTS_SRCDIR "/../conf/hostiam.conf");

	(void)state;
	assert_string_equal(c->path, TESTS_SRCDIR "/../conf/hostiam.conf");
	check_example_directory(c);
	check_example_mfa_access(c);
	check_example_rules(c);
	hostiam_config_free(c);
}

/* Only uri and base given: every default of DESIGN.md. */
static void test_defaults(void **state)
{
	struct hostiam_config *c = load_ok(TESTS_SRCDIR "/unit/configs/good/minimal.conf");
	const struct hostiam_directory_config *d = &c->directory;
	char host[256] = "";

	(void)state;
	assert_null(d->bind_dn);
	assert_null(d->bind_password_file);
	assert_null(d->tls_ca_file);
	assert_int_equal(d->timeout, 5);
	assert_int_equal(d->page_size, 500);
	assert_int_equal(d->refresh, 300);
	assert_string_equal(d->users_base, "dc=example,dc=com");
	assert_string_equal(d->groups_base, "dc=example,dc=com");
	assert_string_equal(d->users_filter, "(objectClass=posixAccount)");
	assert_string_equal(d->groups_filter,
			    "(|(objectClass=posixGroup)(objectClass=groupOfNames))");
	assert_int_equal(d->group_members.n, 2);
	assert_string_equal(d->map_totp_secret, "hostiamTotpSecret");
	assert_int_equal(d->min_uid, 1000);
	assert_string_equal(c->cache.dir, LOCALSTATEDIR "/lib/hostiam");
	assert_string_equal(c->cache.nss_path, LOCALSTATEDIR "/lib/hostiam/nss.cache");
	assert_int_equal(c->cache.max_age, 86400);
	gethostname(host, sizeof(host) - 1);
	assert_string_equal(c->mfa.issuer, host[0] ? host : "localhost");
	assert_int_equal(c->mfa.period, 30);
	assert_int_equal(c->mfa.lockout, 300);
	assert_int_equal(c->mfa.lockout_max, 86400);
	assert_int_equal(c->access.mode, HOSTIAM_MODE_ENFORCE);
	assert_int_equal(c->access.default_action, HOSTIAM_ACTION_DENY);
	assert_int_equal(c->access.exempt.n, 1);
	assert_string_equal(c->access.exempt.items[0], "root");
	assert_int_equal(c->access.non_interactive.n, 5);
	assert_string_equal(c->access.non_interactive.items[0], "cron");
	assert_string_equal(c->access.non_interactive.items[4], "runuser-l");
	assert_int_equal(c->access.root_switch.n, 2);
	assert_string_equal(c->access.root_switch.items[1], "su-l");
	assert_int_equal(c->access.n_rules, 0);
	assert_int_equal(c->password.offline_days, 7);
	assert_string_equal(d->map_locked_time, "pwdAccountLockedTime");
	assert_string_equal(d->map_ad_expires, "accountExpires");
	/* No sudo section: no base, no file, the agent never writes sudo rules. */
	assert_null(d->sudo_base);
	assert_null(d->sudo_file);
	hostiam_config_free(c);
}

/* No directory section: valid, marked as such, with the defaults other commands read. */
static void test_no_directory(void **state)
{
	struct hostiam_config *c = load_ok(TESTS_SRCDIR "/unit/configs/good/no-directory.conf");
	const struct hostiam_directory_config *d = &c->directory;

	(void)state;
	assert_false(d->configured);
	assert_int_equal(d->uris.n, 0);
	assert_null(d->base);
	assert_int_equal(d->min_uid, 1000);
	assert_string_equal(d->map_totp_secret, "hostiamTotpSecret");
	assert_int_equal(c->cache.max_age, 60);
	assert_int_equal(c->access.default_action, HOSTIAM_ACTION_MFA);
	hostiam_config_free(c);
	c = load_ok(TESTS_SRCDIR "/unit/configs/good/minimal.conf");
	assert_true(c->directory.configured);
	hostiam_config_free(c);
}

/* Single strings for lists, mapped networks, wrapping windows, 64-bit literals. */
static void test_variants(void **state)
{
	struct hostiam_config *c = load_ok(TESTS_SRCDIR "/unit/configs/good/variants.conf");
	const struct hostiam_rule *r;

	(void)state;
	assert_int_equal(c->directory.uris.n, 2);
	assert_int_equal(c->directory.min_uid, 4294967294u);
	assert_int_equal(c->directory.min_gid, 1);
	assert_int_equal(c->directory.group_members.n, 1);
	assert_string_equal(c->directory.sudo_base, "ou=sudoers,dc=example,dc=com");
	assert_string_equal(c->directory.sudo_file, "/etc/sudoers.d/hostiam");
	assert_string_equal(c->cache.nss_path, "/tmp/hostiam-test/nss.cache");
	assert_int_equal(c->access.mode, HOSTIAM_MODE_REPORT);
	assert_int_equal(c->access.default_action, HOSTIAM_ACTION_ALLOW);
	assert_int_equal(c->access.exempt.n, 0);
	r = &c->access.rules[0];
	assert_string_equal(r->users.items[0], "alice");
	assert_string_equal(r->ttys.items[0], "pts/1");
	assert_true(r->from_local);
	assert_int_equal(r->n_from, 3);
	assert_int_equal(r->from[0].family, AF_INET); /* ::ffff:192.0.2.0/120 */
	assert_int_equal(r->from[0].prefix, 24);
	assert_int_equal(r->from[2].prefix, 32);
	assert_int_equal(r->n_times, 3);
	assert_int_equal(r->times[0].days, 0x71); /* Fri, Sat, Sun, Mon */
	assert_true(r->times[0].end_min < r->times[0].start_min);
	assert_int_equal(r->times[1].days, 0x7f);
	assert_int_equal(r->times[1].end_min, 1440);
	assert_int_equal(r->enrolled, HOSTIAM_FALSE);
	assert_int_equal(r->offline, HOSTIAM_TRUE);
	assert_int_equal(r->mfa_max_age, 3600);
	assert_int_equal(r->enrol_by, midnight_after(2028, 2, 29));
	hostiam_config_free(c);
}

/* A missing file is a system error with errno's words, not a configuration error. */
static void test_missing_file(void **state)
{
	struct hostiam_config_errors errs;
	struct hostiam_config *cfg = NULL;

	(void)state;
	assert_int_equal(hostiam_config_load("/nonexistent/hostiam.conf", &cfg, &errs),
			 HOSTIAM_ERR_SYSTEM);
	assert_null(cfg);
	assert_int_equal(errs.n, 1);
	assert_string_equal(errs.items[0].file, "/nonexistent/hostiam.conf");
	assert_non_null(strstr(errs.items[0].message, "No such file"));
	assert_int_equal(hostiam_config_load(TESTS_SRCDIR, &cfg, &errs), HOSTIAM_ERR_SYSTEM);
	assert_string_equal(errs.items[0].message, "not a regular file");
}

/* Load a copy of a valid file with the given mode/owner; returns the load's result. */
static int load_with(mode_t mode, uid_t uid, gid_t gid, struct hostiam_config_errors *errs)
{
	char path[] = "/tmp/hostiam-conf-XXXXXX";
	static const char text[] = "directory = { uri = \"ldaps://x\"; base = \"dc=x\"; };\n";
	struct hostiam_config *cfg = NULL;
	int fd = mkstemp(path), r;

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, sizeof(text) - 1), (ssize_t)sizeof(text) - 1);
	assert_int_equal(fchown(fd, uid, gid), 0);
	assert_int_equal(fchmod(fd, mode), 0);
	close(fd);
	r = hostiam_config_load(path, &cfg, errs);
	hostiam_config_free(cfg);
	unlink(path);
	return r;
}

/* The PAM module trusts this file: only root (or the caller) may own or write it. */
static void test_file_permissions(void **state)
{
	struct hostiam_config_errors errs;

	(void)state;
	assert_int_equal(load_with(0644, geteuid(), getegid(), &errs), 0);
	assert_int_equal(load_with(0646, geteuid(), getegid(), &errs), HOSTIAM_ERR_CONFIG);
	assert_non_null(strstr(errs.items[0].message, "world-writable"));
	if (geteuid() != 0) {
		skip(); /* changing owners below needs root (CI runs as root) */
		return;
	}
	assert_int_equal(load_with(0664, 0, 0, &errs), 0);
	assert_int_equal(load_with(0664, 0, 1, &errs), HOSTIAM_ERR_CONFIG);
	assert_non_null(strstr(errs.items[0].message, "writable by group 1"));
	assert_int_equal(load_with(0644, 1, 0, &errs), HOSTIAM_ERR_CONFIG);
	assert_non_null(strstr(errs.items[0].message, "owned by uid 1"));
}

/* Many mistakes: all collected up to the cap, none beyond, nothing leaked. */
static void test_many_errors(void **state)
{
	struct hostiam_config_errors errs;
	struct hostiam_config *cfg = NULL;
	char text[4096] = "directory = { uri = \"ldap://x\"; base = \"dc=x\"; };\n";
	int i;

	(void)state;
	for (i = 0; i < 40; i++) {
		size_t used = strlen(text);

		snprintf(text + used, sizeof(text) - used, "unknown%d = %d;\n", i, i);
	}
	assert_int_equal(hostiam_config_load_string(text, "many", &cfg, &errs), HOSTIAM_ERR_CONFIG);
	assert_null(cfg);
	assert_int_equal(errs.n, HOSTIAM_CONFIG_MAX_ERRORS);
	assert_string_equal(errs.items[0].file, "many");
	assert_int_equal(errs.items[0].line, 2);
	assert_string_equal(errs.items[0].key, "unknown0");
	assert_string_equal(errs.items[31].key, "unknown31");
}

/* mfa.lockout_max: as given; unset, a day or the first lockout when that is longer. */
static void test_lockout_max(void **state)
{
	static const struct {
		const char *mfa;
		int lockout, lockout_max;
	} cases[] = {
		{ "lockout = 60; lockout_max = 3600;", 60, 3600 },
		{ "lockout = 600; lockout_max = 600;", 600, 600 },
		{ "lockout = 0; lockout_max = 0;", 0, 0 },
		{ "lockout = 600;", 600, 86400 },
		{ "lockout = 172800;", 172800, 172800 },
	};
	struct hostiam_config_errors errs;
	struct hostiam_config *cfg;
	char text[256];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(text, sizeof(text),
			 "directory = { uri = \"ldap://x\"; base = \"dc=x\"; };\nmfa = { %s };\n",
			 cases[i].mfa);
		cfg = NULL;
		assert_int_equal(hostiam_config_load_string(text, "t", &cfg, &errs), 0);
		assert_int_equal(cfg->mfa.lockout, cases[i].lockout);
		assert_int_equal(cfg->mfa.lockout_max, cases[i].lockout_max);
		hostiam_config_free(cfg);
	}
}

/* The CLI prints errors in this exact shape. */
static void test_format(void **state)
{
	struct hostiam_config_error e = { "/etc/hostiam/hostiam.conf", 12, "access.rules.[2].from",
					  "bad" };
	char buf[512], tiny[8];

	(void)state;
	hostiam_config_error_format(&e, buf, sizeof(buf));
	assert_string_equal(buf, "/etc/hostiam/hostiam.conf:12: access.rules.[2].from: bad");
	e.line = 0;
	hostiam_config_error_format(&e, buf, sizeof(buf));
	assert_string_equal(buf, "/etc/hostiam/hostiam.conf: access.rules.[2].from: bad");
	e.key[0] = '\0';
	hostiam_config_error_format(&e, buf, sizeof(buf));
	assert_string_equal(buf, "/etc/hostiam/hostiam.conf: bad");
	hostiam_config_error_format(&e, tiny, sizeof(tiny));
	assert_string_equal(tiny, "/etc/ho");
	hostiam_config_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_example),          cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_lockout_max),      cmocka_unit_test(test_variants),
		cmocka_unit_test(test_no_directory),     cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_file_permissions), cmocka_unit_test(test_many_errors),
		cmocka_unit_test(test_format),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
