/* SPDX-License-Identifier: BSD-2-Clause */
/* Who accepted which terms of use, when: for `hostiam terms status` and `hostiam review`. */
#ifndef HOSTIAM_TERMS_PRINT_H
#define HOSTIAM_TERMS_PRINT_H

#include <stddef.h>
#include <stdio.h>
#include <time.h>

#include "configuration.h"
#include "json_out.h"
#include "state.h"

/* One user's acceptances, as the state store has them. */
struct terms_user {
	const char *name;
	const struct hostiam_terms_acceptance *acc;
	size_t n;
	const char *error; /* the record could not be read: why; else NULL */
};

/*
 * The state of user's acceptance of t at now, one word: "accepted" (this version, within
 * reaccept_days), "expired" (this version, longer ago), "outdated" (another version),
 * "none"; *a is the acceptance of that name, or NULL.
 */
const char *terms_status_word(const struct hostiam_terms *t, const struct terms_user *u, time_t now,
			      const struct hostiam_terms_acceptance **a);

/* The table header, then one line per user and configured terms. */
void terms_print_table(FILE *f, const struct hostiam_config *cfg, const struct terms_user *users,
		       size_t n, time_t now);

/* "terms": an array of { name, version, status, accepted_version, accepted, service, from }. */
void terms_print_json(struct json_out *j, const struct hostiam_config *cfg,
		      const struct terms_user *u, time_t now);

#endif
