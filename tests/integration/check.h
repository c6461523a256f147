/* SPDX-License-Identifier: BSD-2-Clause */
/* The plain checks of the sync/ tests that run without cmocka: each failure told and counted. */
#ifndef HOSTIAM_TESTS_CHECK_H
#define HOSTIAM_TESTS_CHECK_H

#include <stdio.h>

static int failures;

#define CHECK(cond) \
	do { \
		if (!(cond)) { \
			fprintf(stderr, "%s:%d: FAIL: %s\n", __FILE__, __LINE__, #cond); \
			failures++; \
		} \
	} while (0)

#endif
