/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The sudo rules' pure parts, table-driven: each row one sudoRole and the exact sudoers
 * line it must give (which sudo's visudo must accept), or the reason it must be left out (values that would write sudoers
 * syntax of their own above all); generalized times; host matching.
 */
#include "config.h"

#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "sudo_file.h"
#include "sudo_host.h"
#include "sudo_render.h"

#define NOW 1893456000 /* 2030-01-01 00:00:00 UTC */

/* One row: attribute values as "attr=value" strings, and the line or reason expected. */
struct row {
	const char *values[8];
	int rc;             /* SUDO_RENDERED, SUDO_RULE_SKIPPED or SUDO_RULE_EXPIRED */
	const char *expect; /* the rule line (rendered), or a fragment of why (skipped) */
};

static const struct row rows[] = {
	{ { "u=alice", "c=/usr/bin/id" }, SUDO_RENDERED, "alice ALL = /usr/bin/id" },
	{ { "u=%ops", "u=!bob", "c=ALL", "c=!/usr/bin/su" },
	  SUDO_RENDERED,
	  "%ops, !bob ALL = ALL, !/usr/bin/su" },
	{ { "u=ALL", "c=/bin/echo a,b:c=d", "o=!authenticate" },
	  SUDO_RENDERED,
	  "ALL ALL = NOPASSWD: /bin/echo a\\,b\\:c\\=d" },
	{ { "u=alice", "c=sudoedit /etc/hosts", "ru=#0", "rg=%wheel" },
	  SUDO_RULE_SKIPPED,
	  "not a name sudoers can hold" },
	{ { "u=alice", "c=sudoedit /etc/hosts", "ru=#0", "rg=wheel" },
	  SUDO_RENDERED,
	  "alice ALL = (#0 : wheel) sudoedit /etc/hosts" },
	{ { "u=alice", "c=/bin/ls", "rg=wheel" }, SUDO_RENDERED, "alice ALL = (: wheel) /bin/ls" },
	{ { "u=alice", "c=/bin/ls", "r=postgres" },
	  SUDO_RENDERED,
	  "alice ALL = (postgres) /bin/ls" },
	{ { "u=alice", "c=/bin/ls", "nb=20290101000000Z", "na=20310101000000+0100",
	    "na=20300601120000Z", "o=noexec", "o=command_timeout=5m" },
	  SUDO_RENDERED,
	  "alice ALL = TIMEOUT=5m NOTBEFORE=20290101000000Z NOTAFTER=20301231230000Z NOEXEC: "
	  "/bin/ls" },
	{ { "u=alice", "c=/bin/ls", "na=20291231235959Z" }, SUDO_RULE_EXPIRED, "" },
	{ { "u=alice", "c=/bin/ls", "na=tomorrow" }, SUDO_RULE_SKIPPED, "not a generalized time" },
	{ { "u=alice", "c=/bin/ls", "ord=2.5" }, SUDO_RENDERED, "alice ALL = /bin/ls" },
	{ { "u=alice@example.com", "u=svc-deploy$", "c=/bin/ls", "o=runcwd=~", "o=!log_output" },
	  SUDO_RENDERED,
	  "alice@example.com, svc-deploy$ ALL = CWD=~ NOLOG_OUTPUT: /bin/ls" },
	{ { "u=alice", "c=/bin/ls", "ord=first" }, SUDO_RULE_SKIPPED, "not a number" },
	/* Dropped values: the rest of the rule stands; negated, the rule goes. */
	{ { "u=#1000", "u=+ops", "u=carol", "c=/bin/ls" }, SUDO_RENDERED, "carol ALL = /bin/ls" },
	{ { "u=#1000", "c=/bin/ls" }, SUDO_RULE_SKIPPED, "no sudoUser" },
	{ { "u=ALL", "u=!%#1000", "c=/bin/ls" }, SUDO_RULE_SKIPPED, "are not rendered" },
	{ { "u=ALL", "u=!%:admins", "c=/bin/ls" }, SUDO_RULE_SKIPPED, "are not rendered" },
	/* Values that would write sudoers of their own. */
	{ { "u=bob\nALL ALL=(ALL) ALL", "c=/bin/ls" }, SUDO_RULE_SKIPPED, "not a name" },
	{ { "u=bob, root", "c=/bin/ls" }, SUDO_RULE_SKIPPED, "not a name" },
	{ { "u=bob=x", "c=/bin/ls" }, SUDO_RULE_SKIPPED, "not a name" },
	{ { "u=ADMINS", "c=/bin/ls" }, SUDO_RULE_SKIPPED, "alias" },
	{ { "u=%ALL", "c=/bin/ls" }, SUDO_RULE_SKIPPED, "alias" },
	{ { "u=alice", "c=/bin/ls\nalice ALL=ALL" }, SUDO_RULE_SKIPPED, "plain arguments" },
	{ { "u=alice", "c=/bin/ls \\" }, SUDO_RULE_SKIPPED, "plain arguments" },
	{ { "u=alice", "c=/bin/ls # comment" }, SUDO_RULE_SKIPPED, "plain arguments" },
	{ { "u=alice", "c=/bin/ls \"a b\"" }, SUDO_RULE_SKIPPED, "plain arguments" },
	{ { "u=alice", "c=/bin/ls \"\"" }, SUDO_RENDERED, "alice ALL = /bin/ls \"\"" },
	{ { "u=alice", "c=ls" }, SUDO_RULE_SKIPPED, "absolute path" },
	{ { "u=alice", "c=/bin/l,s" }, SUDO_RULE_SKIPPED, "absolute path" },
	{ { "u=alice", "c=/bin/ls", "o=env_keep+=LD_PRELOAD" }, SUDO_RULE_SKIPPED, "sudoOption" },
	{ { "u=alice", "c=/bin/ls", "o=runcwd=/tmp, ALL" }, SUDO_RULE_SKIPPED, "sudoOption" },
	{ { "u=alice", "c=/bin/ls", "o=!command_timeout=5" }, SUDO_RULE_SKIPPED, "sudoOption" },
	{ { "u=alice", "c=/bin/ls", "ru=#x" }, SUDO_RULE_SKIPPED, "not a numeric id" },
	{ { "u=alice" }, SUDO_RULE_SKIPPED, "no sudoCommand" },
	{ { "c=/bin/ls" }, SUDO_RULE_SKIPPED, "no sudoUser" },
};

/* The attribute of a row value's prefix. */
static enum sudo_attr attr_of(const char *p, size_t n)
{
	static const struct {
		const char *p;
		enum sudo_attr a;
	} map[] = { { "u", SUDO_USER },        { "c", SUDO_COMMAND },
		    { "ru", SUDO_RUNAS_USER }, { "rg", SUDO_RUNAS_GROUP },
		    { "r", SUDO_RUNAS },       { "o", SUDO_OPTION },
		    { "ord", SUDO_ORDER },     { "nb", SUDO_NOT_BEFORE },
		    { "na", SUDO_NOT_AFTER } };
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strlen(map[i].p) == n && strncmp(map[i].p, p, n) == 0)
			return map[i].a;
	fail_msg("bad row prefix %.*s", (int)n, p);
	return SUDO_N_ATTRS;
}

/* Build a rule from a row (values borrowed from the table). */
static void rule_of(const struct row *row, struct sudo_rule *r, char *storage[][9])
{
	size_t i;

	memset(r, 0, sizeof(*r));
	r->dn = (char *)"cn=test,ou=sudoers,dc=example,dc=com";
	for (i = 0; i < 8 && row->values[i]; i++) {
		const char *eq = strchr(row->values[i], '=');
		enum sudo_attr a = attr_of(row->values[i], (size_t)(eq - row->values[i]));

		r->a[a].v = storage[a];
		r->a[a].v[r->a[a].n++] = (char *)eq + 1;
	}
}

static void test_rows(void **state)
{
	bool have_visudo = access("/usr/sbin/visudo", X_OK) == 0;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char *storage[SUDO_N_ATTRS][9] = { { 0 } };
		struct sudo_buf out = { 0 };
		struct sudo_rule r;
		char why[512] = "", notes[512];
		double order;
		int rc;

		rule_of(&rows[i], &r, storage);
		rc = sudo_render_rule(&r, NOW, &out, &order, why, sizeof(why), notes,
				      sizeof(notes));
		if (rc != rows[i].rc)
			fail_msg("row %zu: %d, not %d (%s)", i, rc, rows[i].rc, why);
		if (rc == SUDO_RENDERED) {
			char want[1024];

			snprintf(want, sizeof(want), "# %s\n%s\n", r.dn, rows[i].expect);
			if (strcmp(out.p, want) != 0)
				fail_msg("row %zu:\n%s\nnot\n%s", i, out.p, want);
			/* And sudo's own parser takes it, where sudo is installed. */
			if (have_visudo && sudo_visudo_check(out.p, out.len, why, sizeof(why)) != 0)
				fail_msg("row %zu: visudo refuses %s: %s", i, out.p, why);
		} else {
			assert_int_equal(out.len, 0);
			if (!strstr(why, rows[i].expect))
				fail_msg("row %zu: \"%s\" lacks \"%s\"", i, why, rows[i].expect);
		}
		sudo_buf_free(&out);
	}
}

static void test_gentime(void **state)
{
	time_t t;

	(void)state;
	assert_int_equal(sudo_parse_gentime("20300101000000Z", &t), 0);
	assert_int_equal(t, NOW);
	assert_int_equal(sudo_parse_gentime("203001010100+0100", &t), 0);
	assert_int_equal(t, NOW);
	assert_int_equal(sudo_parse_gentime("2029123119-05", &t), 0);
	assert_int_equal(t, NOW);
	assert_int_equal(sudo_parse_gentime("20300101000000.5Z", &t), 0);
	assert_int_equal(t, NOW);
	assert_int_equal(sudo_parse_gentime("20300101000000", &t), -1);  /* no zone */
	assert_int_equal(sudo_parse_gentime("20301301000000Z", &t), -1); /* month 13 */
	assert_int_equal(sudo_parse_gentime("2030010100000Z", &t), -1);  /* 13 digits */
	assert_int_equal(sudo_parse_gentime("20300101000000+2500", &t), -1);
	assert_int_equal(sudo_parse_gentime("", &t), -1);
}

/* A host web01.example.com with 192.0.2.10 and 2001:db8::10. */
static void host_of(struct sudo_host *h)
{
	static struct hostiam_cidr addrs[2];

	memset(h, 0, sizeof(*h));
	snprintf(h->name, sizeof(h->name), "web01.example.com");
	snprintf(h->shost, sizeof(h->shost), "web01");
	addrs[0].family = AF_INET;
	inet_pton(AF_INET, "192.0.2.10", addrs[0].addr);
	addrs[0].prefix = 32;
	addrs[1].family = AF_INET6;
	inet_pton(AF_INET6, "2001:db8::10", addrs[1].addr);
	addrs[1].prefix = 128;
	h->addrs = addrs;
	h->n_addrs = 2;
}

static const struct {
	const char *values[4];
	enum sudo_host_match want;
} hosts[] = {
	{ { "ALL" }, SUDO_HOST_YES },
	{ { "web01" }, SUDO_HOST_YES },
	{ { "WEB01" }, SUDO_HOST_YES },
	{ { "web*" }, SUDO_HOST_YES },
	{ { "web01.example.com" }, SUDO_HOST_YES },
	{ { "*.example.com" }, SUDO_HOST_YES },
	{ { "web01.example.org" }, SUDO_HOST_NO },
	{ { "web02" }, SUDO_HOST_NO },
	{ { "192.0.2.10" }, SUDO_HOST_YES },
	{ { "192.0.2.11" }, SUDO_HOST_NO },
	{ { "192.0.2.0/24" }, SUDO_HOST_YES },
	{ { "192.0.2.77/24" }, SUDO_HOST_YES },
	{ { "192.0.2.0/255.255.255.0" }, SUDO_HOST_YES },
	{ { "192.0.3.0/24" }, SUDO_HOST_NO },
	{ { "2001:db8::/32" }, SUDO_HOST_YES },
	{ { "ALL", "!web01" }, SUDO_HOST_NO },
	{ { "!web01", "ALL" }, SUDO_HOST_NO },
	{ { "ALL", "!web02" }, SUDO_HOST_YES },
	{ { "ALL", "!192.0.2.0/24" }, SUDO_HOST_NO },
	{ { "+webservers" }, SUDO_HOST_NO },
	{ { "+webservers", "web01" }, SUDO_HOST_YES },
	{ { "ALL", "!+canaries" }, SUDO_HOST_SKIP },
	{ { "ALL", "!10.0.0.0/99" }, SUDO_HOST_SKIP },
	{ { "!web02" }, SUDO_HOST_NO },
	{ { NULL }, SUDO_HOST_NO },
};

static void test_hosts(void **state)
{
	struct sudo_host h;
	size_t i, n;

	(void)state;
	host_of(&h);
	for (i = 0; i < sizeof(hosts) / sizeof(hosts[0]); i++) {
		char why[256], note[256];
		enum sudo_host_match m;

		for (n = 0; n < 4 && hosts[i].values[n]; n++)
			;
		m = sudo_host_matches(&h, (char *const *)hosts[i].values, n, why, sizeof(why), note,
				      sizeof(note));
		if (m != hosts[i].want)
			fail_msg("hosts row %zu (%s): %d, not %d", i, hosts[i].values[0], m,
				 hosts[i].want);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_gentime),
		cmocka_unit_test(test_hosts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
