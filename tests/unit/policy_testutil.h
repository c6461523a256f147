/* SPDX-License-Identifier: BSD-2-Clause */
/* Shared by the policy tests: configurations from text, a fixed clock in UTC. */
#ifndef HOSTIAM_POLICY_TESTUTIL_H
#define HOSTIAM_POLICY_TESTUTIL_H

#include <stdlib.h>
#include <time.h>

#include "configuration.h"
#include "errors.h"

/* Every configuration needs a directory; the policy tests never use it. */
#define TEST_DIRECTORY \
	"directory = { uri = \"ldap://ldap.example.com\"; base = \"dc=example,dc=com\"; };\n"

/* Monday 2024-01-08 00:00 UTC; AT(day, h, m) counts days from there (0 = Monday). */
#define TEST_MONDAY ((time_t)1704672000)
#define AT(day, h, m) (TEST_MONDAY + (time_t)(day)*86400 + (h)*3600 + (m)*60)
enum {
	MON,
	TUE,
	WED,
	THU,
	FRI,
	SAT,
	SUN,
	MON2
};

/* Load text that must be valid; print every error and fail otherwise. */
static inline struct hostiam_config *load_cfg(const char *text)
{
	struct hostiam_config_errors errs;
	struct hostiam_config *cfg = NULL;
	char line[1024];
	size_t i;
	int r;

	r = hostiam_config_load_string(text, "test.conf", &cfg, &errs);
	for (i = 0; i < errs.n; i++) {
		hostiam_config_error_format(&errs.items[i], line, sizeof(line));
		print_error("%s\n", line);
	}
	assert_int_equal(r, 0);
	assert_non_null(cfg);
	return cfg;
}

/* Traces and time windows are read in UTC, whatever the machine running the tests says. */
static inline void use_utc(void)
{
	setenv("TZ", "UTC", 1);
	tzset();
}

#endif
