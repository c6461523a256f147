/* SPDX-License-Identifier: BSD-2-Clause */
/* The two outputs of hostiam check: text for a person, one JSON object for a program. */
#ifndef HOSTIAM_CHECK_PRINT_H
#define HOSTIAM_CHECK_PRINT_H

#include <stdio.h>
#include <time.h>

#include "configuration.h"
#include "policy.h"

/* What check found out, for either printer. */
struct check_report {
	const struct hostiam_config *cfg;
	const char *user, *service, *rhost, *tty; /* as given; rhost/tty NULL when none */
	time_t now;                               /* the clock the decision used (--at or now) */
	const struct hostiam_request *req; /* the gathered inputs; NULL when gathering failed */
	const struct hostiam_decision *d;  /* the engine's decision, or the fail-closed one */
};

void check_print_text(FILE *f, const struct check_report *r);
void check_print_json(FILE *f, const struct check_report *r);

#endif
