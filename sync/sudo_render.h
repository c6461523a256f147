/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * One sudoRole as one sudoers line. Every value is checked before it is written, so that
 * nothing from the directory can add sudoers syntax of its own (a second rule, an alias, a
 * Defaults line, an @include): a value that is not plainly a name, a command, a known option
 * or a time is a reason to leave the whole rule out.
 */
#ifndef HOSTIAM_SUDO_RENDER_H
#define HOSTIAM_SUDO_RENDER_H

#include <stddef.h>
#include <time.h>

#include "sudo_rule.h"

/* A growing text buffer. */
struct sudo_buf {
	char *p;
	size_t len, cap;
	int error; /* HOSTIAM_ERR_NOMEM once an append failed */
};

void sudo_buf_add(struct sudo_buf *b, const char *s, size_t len);
void sudo_buf_addf(struct sudo_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sudo_buf_free(struct sudo_buf *b);

/* The outcomes of sudo_render_rule besides HOSTIAM_ERR_NOMEM. */
#define SUDO_RENDERED 0
#define SUDO_RULE_SKIPPED 1 /* left out: why says which value and why */
#define SUDO_RULE_EXPIRED 2 /* its sudoNotAfter is past at now: left out */

/*
 * Render r (already judged to be for this host) as "# DN" and one rule line, host ALL,
 * appended to out; *order gets its sudoOrder (0 without one). now decides expiry. notes
 * (may be empty) names values dropped from a rule that is still rendered: a sudoUser that
 * is a uid, a gid, a netgroup or a non-Unix group (positive only; negated, the rule is left
 * out, as dropping it would widen the rule).
 */
int sudo_render_rule(const struct sudo_rule *r, time_t now, struct sudo_buf *out, double *order,
		     char *why, size_t why_len, char *notes, size_t notes_len);

/*
 * Parse an LDAP generalized time (YYYYMMDDHH[MM[SS]][.fraction](Z|+hh[mm]|-hh[mm])), as
 * sudoNotBefore/After hold: 0 and *t, or -1.
 */
int sudo_parse_gentime(const char *s, time_t *t);

#endif
