/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * state_set: write a login record (and optionally a TOTP success) into pam_hostiam's state
 * directory through state.h, for the hostiam check/review tests.
 *
 *   state_set STATE_DIR USER LAST_LOGIN SERVICE RHOST [LAST_MFA]
 *
 * Times are UNIX times; RHOST "-" records a local login. Exit status 0, 1 on a state
 * error, 2 for usage.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "errors.h"
#include "parse_num.h"
#include "state.h"

struct record {
	unsigned long last_login, last_mfa;
	const char *service, *rhost;
	int with_mfa;
};

/* hostiam_state_update callback: replace the login fields (and last_mfa) of the record. */
static int set_login(struct hostiam_user_state *st, void *ctx)
{
	const struct record *r = ctx;

	st->last_login = (time_t)r->last_login;
	snprintf(st->last_service, sizeof(st->last_service), "%s", r->service);
	snprintf(st->last_rhost, sizeof(st->last_rhost), "%s", r->rhost);
	if (r->with_mfa)
		st->last_mfa = (time_t)r->last_mfa;
	return 0;
}

int main(int argc, char **argv)
{
	struct record r = { 0 };
	int rc;

	if (argc != 6 && argc != 7) {
		fprintf(stderr,
			"usage: state_set STATE_DIR USER LAST_LOGIN SERVICE RHOST [LAST_MFA]\n");
		return 2;
	}
	r.service = argv[4];
	r.rhost = strcmp(argv[5], "-") == 0 ? "" : argv[5];
	r.with_mfa = argc == 7;
	if (hostiam_parse_ulong(argv[3], 0, 0x7fffffffUL, &r.last_login) < 0 ||
	    (r.with_mfa && hostiam_parse_ulong(argv[6], 0, 0x7fffffffUL, &r.last_mfa) < 0)) {
		fprintf(stderr, "state_set: times are UNIX times\n");
		return 2;
	}
	rc = hostiam_state_update(argv[1], argv[2], set_login, &r);
	if (rc < 0) {
		fprintf(stderr, "state_set: %s: %s\n", argv[2], hostiam_strerror(rc));
		return 1;
	}
	return 0;
}
