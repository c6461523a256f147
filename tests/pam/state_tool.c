/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * state_tool: read and write pam_hostiam's per-user state for the PAM tests, through the
 * same state.h the module uses.
 *
 *   state_tool STATE_DIR USER show             last_login=T service=S rhost=R last_mfa=T
 *   state_tool STATE_DIR USER mfa UNIX-TIME    record a TOTP success at that time
 *
 * Exit status 0 on success, 1 on a state error, 2 for usage.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "state.h"

/* hostiam_state_update callback: set last_mfa to *ctx. */
static int set_mfa(struct hostiam_user_state *st, void *ctx)
{
	st->last_mfa = *(const time_t *)ctx;
	return 0;
}

/* Print the record of user as one line of key=value. */
static int show(const char *dir, const char *user)
{
	struct hostiam_user_state st;
	int rc = hostiam_state_load(dir, user, &st);

	if (rc < 0) {
		fprintf(stderr, "state_tool: %s\n", hostiam_strerror(rc));
		return 1;
	}
	printf("last_login=%lld service=%s rhost=%s last_mfa=%lld\n", (long long)st.last_login,
	       st.last_service, st.last_rhost, (long long)st.last_mfa);
	return 0;
}

/* show, or mfa TIME: see the top of the file. */
int main(int argc, char **argv)
{
	char *end;
	time_t when;
	long long v;
	int rc;

	if (argc == 4 && strcmp(argv[3], "show") == 0)
		return show(argv[1], argv[2]);
	if (argc != 5 || strcmp(argv[3], "mfa") != 0) {
		fprintf(stderr, "usage: state_tool DIR USER show | state_tool DIR USER mfa TIME\n");
		return 2;
	}
	errno = 0;
	v = strtoll(argv[4], &end, 10);
	if (errno != 0 || *end != '\0' || end == argv[4] || v < 0) {
		fprintf(stderr, "state_tool: bad time %s\n", argv[4]);
		return 2;
	}
	when = (time_t)v;
	rc = hostiam_state_update(argv[1], argv[2], set_mfa, &when);
	if (rc < 0) {
		fprintf(stderr, "state_tool: %s\n", hostiam_strerror(rc));
		return 1;
	}
	return 0;
}
