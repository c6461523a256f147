/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The conditions of an access rule, one check each. A check returns whether its condition
 * holds and writes a note: on success the item that held ("10.0.0.0/8"), on failure why
 * not ("203.0.113.7 not in 10.0.0.0/8"). Pure: no I/O, no DNS, the clock is req->now.
 */
#include "config.h"

#include <fnmatch.h>
#include <string.h>

#include "policy_internal.h"

#define DAY 86400

struct condition {
	const char *key;
	bool (*present)(const struct hostiam_rule *r);
	bool (*check)(const struct hostiam_rule *r, const struct policy_input *in,
		      struct strbuf *note);
};

/* Index of s in l, or -1. */
static int find(const struct hostiam_strlist *l, const char *s)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->items[i], s) == 0)
			return (int)i;
	return -1;
}

/* value is listed in l: note it; else note "value not in a, b". */
static bool in_list(const struct hostiam_strlist *l, const char *value, struct strbuf *note)
{
	if (find(l, value) >= 0) {
		sb_printf(note, "%s", value);
		return true;
	}
	sb_printf(note, "%s not in ", value);
	sb_join(note, l);
	return false;
}

/* user: the login name, exactly. */
static bool check_user(const struct hostiam_rule *r, const struct policy_input *in,
		       struct strbuf *note)
{
	return in_list(&r->users, in->req->user, note);
}

/* group: any of the user's groups (primary and supplementary) is listed. */
static bool check_group(const struct hostiam_rule *r, const struct policy_input *in,
			struct strbuf *note)
{
	size_t i;

	for (i = 0; i < in->req->n_groups; i++) {
		if (in->req->groups[i] && find(&r->groups, in->req->groups[i]) >= 0) {
			sb_printf(note, "%s", in->req->groups[i]);
			return true;
		}
	}
	sb_printf(note, "%s not in ", in->req->user);
	sb_join(note, &r->groups);
	return false;
}

/* service: the PAM service name, exactly. */
static bool check_service(const struct hostiam_rule *r, const struct policy_input *in,
			  struct strbuf *note)
{
	return in_list(&r->services, in->req->service, note);
}

/* The `from` list as written: "local" first if present, then the networks. */
static void sb_from_list(struct strbuf *sb, const struct hostiam_rule *r)
{
	size_t i;

	if (r->from_local)
		sb_printf(sb, "local");
	for (i = 0; i < r->n_from; i++) {
		sb_printf(sb, "%s", (i || r->from_local) ? ", " : "");
		sb_cidr(sb, &r->from[i]);
	}
}

/*
 * from: "local" holds for no remote host; a network holds for an IP literal inside it. A
 * host name matches nothing: resolving it would let whoever controls its DNS pick the rule.
 */
static bool check_from(const struct hostiam_rule *r, const struct policy_input *in,
		       struct strbuf *note)
{
	size_t i;

	if (in->origin == POLICY_ORIGIN_LOCAL) {
		if (r->from_local) {
			sb_printf(note, "local");
			return true;
		}
		sb_printf(note, "local login not in ");
	} else if (in->origin == POLICY_ORIGIN_IP) {
		for (i = 0; i < r->n_from; i++) {
			if (hostiam_cidr_contains(&r->from[i], &in->addr)) {
				sb_cidr(note, &r->from[i]);
				return true;
			}
		}
		sb_text(note, in->req->rhost);
		sb_printf(note, " not in ");
	} else {
		sb_text(note, in->req->rhost);
		sb_printf(note, " is not an IP address (never resolved), so not in ");
	}
	sb_from_list(note, r);
	return false;
}

/* tty: fnmatch(3) patterns against PAM_TTY without "/dev/"; no tty matches nothing. */
static bool check_tty(const struct hostiam_rule *r, const struct policy_input *in,
		      struct strbuf *note)
{
	size_t i;

	if (in->tty == NULL) {
		sb_printf(note, "no tty");
		return false;
	}
	for (i = 0; i < r->ttys.n; i++) {
		if (fnmatch(r->ttys.items[i], in->tty, 0) == 0) {
			sb_printf(note, "%s", r->ttys.items[i]);
			return true;
		}
	}
	sb_text(note, in->tty);
	sb_printf(note, " does not match ");
	sb_join(note, &r->ttys);
	return false;
}

/* time: any window contains now, in the host's time zone. */
static bool check_time(const struct hostiam_rule *r, const struct policy_input *in,
		       struct strbuf *note)
{
	static const char *const wday[7] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	size_t i;

	if (!in->have_tm) {
		sb_printf(note, "the time %lld has no local time", (long long)in->req->now);
		return false;
	}
	for (i = 0; i < r->n_times; i++) {
		if (hostiam_time_window_contains(&r->times[i], &in->tm)) {
			sb_window(note, &r->times[i]);
			return true;
		}
	}
	sb_printf(note, "%s %02d:%02d outside ", wday[in->tm.tm_wday % 7], in->tm.tm_hour,
		  in->tm.tm_min);
	for (i = 0; i < r->n_times; i++) {
		sb_printf(note, "%s", i ? ", " : "");
		sb_window(note, &r->times[i]);
	}
	return false;
}

/* inactive_days: a login is on record and it is at least that many days old. */
static bool check_inactive(const struct hostiam_rule *r, const struct policy_input *in,
			   struct strbuf *note)
{
	const struct hostiam_request *req = in->req;
	long long age;

	if (req->last_login == 0) {
		/* An account never seen here is new, not stale: don't lock it out on day one. */
		sb_printf(note, "no login recorded");
		return false;
	}
	age = (long long)req->now - (long long)req->last_login;
	if (age >= (long long)r->inactive_days * DAY) {
		sb_printf(note, "%d (last login %lld days ago)", r->inactive_days, age / DAY);
		return true;
	}
	if (age < 0)
		sb_printf(note, "last login is in the future");
	else
		sb_printf(note, "last login %lld days ago (< %d)", age / DAY, r->inactive_days);
	return false;
}

/*
 * certified_within: the user's access was NOT kept by a closed review within that many
 * days — never certified, revoked, kept too long ago, or "kept" in the future of now (a
 * clock set back must not stretch a certification). So a deny rule makes it lapse.
 */
static bool check_certified(const struct hostiam_rule *r, const struct policy_input *in,
			    struct strbuf *note)
{
	const struct hostiam_certification *c = &in->req->cert;
	long long age = (long long)in->req->now - (long long)c->when;

	if (c->campaign == 0)
		sb_printf(note, "%d (never certified)", r->certified_within);
	else if (c->revoked)
		sb_printf(note, "%d (revoked in campaign %lu)", r->certified_within, c->campaign);
	else if (age < 0)
		sb_printf(note, "%d (campaign %lu closed after now)", r->certified_within,
			  c->campaign);
	else if (age >= (long long)r->certified_within * DAY)
		sb_printf(note, "%d (kept in campaign %lu, %lld days ago)", r->certified_within,
			  c->campaign, age / DAY);
	else {
		sb_printf(note, "kept in campaign %lu %lld days ago (< %d)", c->campaign, age / DAY,
			  r->certified_within);
		return false;
	}
	return true;
}

/* enrolled: MFA enrolment as the rule asks; unknown never matches either way. */
static bool check_enrolled(const struct hostiam_rule *r, const struct policy_input *in,
			   struct strbuf *note)
{
	enum hostiam_tristate have = in->req->enrolled;
	const char *want = r->enrolled == HOSTIAM_TRUE ? "true" : "false";

	if (have == HOSTIAM_UNSET) {
		sb_printf(note, "MFA enrolment unknown");
		return false;
	}
	if (have == r->enrolled) {
		sb_printf(note, "%s", want);
		return true;
	}
	sb_printf(note, "user is %s, rule wants %s",
		  have == HOSTIAM_TRUE ? "enrolled" : "not enrolled", want);
	return false;
}

/* offline: the directory cache is missing or older than cache.max_age, as the rule asks. */
static bool check_offline(const struct hostiam_rule *r, const struct policy_input *in,
			  struct strbuf *note)
{
	bool want = r->offline == HOSTIAM_TRUE;

	if (in->req->offline == want) {
		sb_printf(note, "%s", want ? "true" : "false");
		return true;
	}
	sb_printf(note, "%s, rule wants %s",
		  in->req->offline ? "cache missing or stale" : "cache is current",
		  want ? "offline" : "online");
	return false;
}

static bool has_users(const struct hostiam_rule *r)
{
	return r->users.n > 0;
}
static bool has_groups(const struct hostiam_rule *r)
{
	return r->groups.n > 0;
}
static bool has_services(const struct hostiam_rule *r)
{
	return r->services.n > 0;
}
static bool has_from(const struct hostiam_rule *r)
{
	return r->has_from;
}
static bool has_ttys(const struct hostiam_rule *r)
{
	return r->ttys.n > 0;
}
static bool has_times(const struct hostiam_rule *r)
{
	return r->n_times > 0;
}
static bool has_inactive(const struct hostiam_rule *r)
{
	return r->inactive_days >= 0;
}
static bool has_certified(const struct hostiam_rule *r)
{
	return r->certified_within >= 0;
}
static bool has_enrolled(const struct hostiam_rule *r)
{
	return r->enrolled != HOSTIAM_UNSET;
}
static bool has_offline(const struct hostiam_rule *r)
{
	return r->offline != HOSTIAM_UNSET;
}

/* Checked in this order: who, from where, to what, then when and the account's state. */
static const struct condition conditions[] = {
	{ "user", has_users, check_user },
	{ "group", has_groups, check_group },
	{ "from", has_from, check_from },
	{ "service", has_services, check_service },
	{ "tty", has_ttys, check_tty },
	{ "time", has_times, check_time },
	{ "inactive_days", has_inactive, check_inactive },
	{ "certified_within", has_certified, check_certified },
	{ "enrolled", has_enrolled, check_enrolled },
	{ "offline", has_offline, check_offline },
};

/* All present conditions must hold; stop at the first that does not. */
bool policy_rule_matches(const struct hostiam_rule *r, const struct policy_input *in, char *reason,
			 size_t len)
{
	struct strbuf held, why;
	char note_buf[192];
	struct strbuf note;
	size_t i;

	sb_init(&held, reason, len);
	for (i = 0; i < sizeof(conditions) / sizeof(conditions[0]); i++) {
		const struct condition *c = &conditions[i];

		if (!c->present(r))
			continue;
		sb_init(&note, note_buf, sizeof(note_buf));
		if (!c->check(r, in, &note)) {
			sb_init(&why, reason, len);
			sb_printf(&why, "%s: %s", c->key, note_buf);
			return false;
		}
		sb_printf(&held, "%s%s %s", held.used ? ", " : "", c->key, note_buf);
	}
	if (held.used == 0)
		sb_printf(&held, "no conditions");
	return true;
}
