/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Inside the policy engine: the request digested once per evaluation, the per-condition
 * checks (policy_conditions.c) and the bounded text helpers every trace and log line is
 * built with (policy_text.c). Not for use outside policy*.c.
 */
#ifndef HOSTIAM_POLICY_INTERNAL_H
#define HOSTIAM_POLICY_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "cidr.h"
#include "configuration.h"
#include "policy.h"

/* What PAM_RHOST turned out to be. */
enum policy_origin {
	POLICY_ORIGIN_LOCAL, /* NULL or "": no remote host */
	POLICY_ORIGIN_IP,    /* an IPv4/IPv6 literal, parsed into addr */
	POLICY_ORIGIN_NAME,  /* anything else: a host name or garbage; never resolved */
};

/* The request, with what every rule would otherwise recompute. */
struct policy_input {
	const struct hostiam_request *req;
	enum policy_origin origin;
	struct hostiam_cidr addr; /* valid when origin == POLICY_ORIGIN_IP */
	const char *tty;          /* PAM_TTY without "/dev/"; NULL when none */
	struct tm tm;             /* req->now in the policy's zone (cfg->access.tz) */
	bool have_tm;             /* false if it could not be: no window holds */
};

/* A bounded string being appended to; always NUL-terminated, never overflows. */
struct strbuf {
	char *buf;
	size_t len;  /* size of buf */
	size_t used; /* bytes before the NUL (at most len - 1) */
	bool truncated;
};

void sb_init(struct strbuf *sb, char *buf, size_t len);
void sb_printf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_text(struct strbuf *sb, const char *s);
void sb_join(struct strbuf *sb, const struct hostiam_strlist *l);
void sb_cidr(struct strbuf *sb, const struct hostiam_cidr *c);
void sb_window(struct strbuf *sb, const struct hostiam_time_window *w);
void sb_log_value(struct strbuf *sb, const char *v, bool always_quote);

/* Digest req into in (rhost classified, tty stripped, local time in cfg's zone computed). */
void policy_input_init(struct policy_input *in, const struct hostiam_config *cfg,
		       const struct hostiam_request *req);

/*
 * True when every condition of r holds for in; reason gets what held ("from 10.0.0.0/8,
 * service sshd") or, on false, the first condition that failed and why.
 */
bool policy_rule_matches(const struct hostiam_rule *r, const struct policy_input *in, char *reason,
			 size_t len);

/*
 * policy_grants.c: when the deciding rule's `group` held only through a grant, note its id
 * in d; a role with mfa = true whose grant has seen no TOTP code since it began turns allow
 * into mfa (the first use of the grant asks for a code).
 */
void policy_grant_use(const struct hostiam_config *cfg, const struct hostiam_request *req,
		      struct hostiam_decision *d);

#endif
