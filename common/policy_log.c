/* SPDX-License-Identifier: BSD-2-Clause */
/* The one log line per decision: key=value pairs that a user-chosen value cannot forge. */
#include "config.h"

#include <string.h>

#include "log.h"
#include "policy_internal.h"

/*
 * The most bytes each free-text field takes in the line, quotes and escapes included. Their
 * sum with the keys (about 830) leaves room in a 1024-byte line for what the auth side
 * appends, so however long a user name or rhost, the line still ends with rule= and reason=.
 */
#define USER_MAX 160
#define SERVICE_MAX 64
#define RHOST_MAX 128
#define RULE_MAX 96
#define REASON_MAX 320

/* The escaped form of one byte inside quotes, as sb_log_value writes it, into unit. */
static size_t escape_unit(unsigned char ch, char unit[8])
{
	const char one[2] = { (char)ch, '\0' };
	struct strbuf sb;

	sb_init(&sb, unit, 8);
	sb_log_value(&sb, one, true);
	/* Between the quotes of "X", "\"" or "\xHH". */
	memmove(unit, unit + 1, sb.used - 2);
	unit[sb.used - 2] = '\0';
	return sb.used - 2;
}

/* v cut to fit max bytes (max > 5): quoted, escapes never split, ending in ..." */
static void cut_value(struct strbuf *f, const char *v, size_t max)
{
	const unsigned char *p;
	char unit[8];

	sb_printf(f, "\"");
	for (p = (const unsigned char *)v; *p; p++) {
		size_t n = escape_unit(*p, unit);

		if (f->used + n + 4 > max)
			break;
		sb_printf(f, "%s", unit);
	}
	sb_printf(f, "...\"");
}

/*
 * Append v as a log value (sb_log_value) of at most max bytes. A longer one is cut on its
 * own, visibly (cut_value), so the fields after it are still written; only when the line
 * itself ends within this field is the line cut instead.
 */
static void sb_log_field(struct strbuf *sb, const char *v, bool always_quote, size_t max)
{
	struct strbuf f;

	if (sb->truncated)
		return;
	if (sb->len - sb->used <= max || max <= 5) {
		sb_log_value(sb, v, always_quote);
		return;
	}
	sb_init(&f, sb->buf + sb->used, max + 1);
	sb_log_value(&f, v, always_quote);
	if (f.truncated) {
		sb_init(&f, sb->buf + sb->used, max + 1);
		cut_value(&f, v, max);
	}
	sb->used += f.used;
}

/* One value in log-line form into buf, cut visibly to fit (see log.h). */
void hostiam_log_value(char *buf, size_t len, const char *value)
{
	struct strbuf sb;

	if (buf == NULL || len == 0)
		return;
	sb_init(&sb, buf, len);
	sb_log_field(&sb, value ? value : "", false, len - 1);
}

/*
 * decision=POLICY_ACTION [mode=report] [prompt=none] user=U service=S rhost=R|- rule=NAME reason="..."
 * decision is what the policy says, so report mode logs "decision=deny mode=report" for
 * a login it let through. A literal rhost "-" is quoted so it never reads as "local".
 */
void hostiam_decision_format_log(const struct hostiam_decision *d,
				 const struct hostiam_request *req, char *buf, size_t len)
{
	const char *rhost = req->rhost;
	struct strbuf sb;

	if (buf == NULL || len == 0)
		return;
	sb_init(&sb, buf, len);
	/* mode=report right after the decision: truncation must never drop it. */
	sb_printf(&sb, "decision=%s%s%s user=", hostiam_action_name(d->policy_action),
		  d->report_only ? " mode=report" : "", d->no_prompt ? " prompt=none" : "");
	sb_log_field(&sb, req->user ? req->user : "", false, USER_MAX);
	sb_printf(&sb, " service=");
	sb_log_field(&sb, req->service ? req->service : "", false, SERVICE_MAX);
	sb_printf(&sb, " rhost=");
	if (rhost == NULL || rhost[0] == '\0')
		sb_printf(&sb, "-");
	else
		sb_log_field(&sb, rhost, strcmp(rhost, "-") == 0, RHOST_MAX);
	sb_printf(&sb, " rule=");
	sb_log_field(&sb, d->rule_name ? d->rule_name : "-", false, RULE_MAX);
	if (d->grant_id)
		sb_printf(&sb, " grant=%lu", d->grant_id);
	sb_printf(&sb, " reason=");
	sb_log_field(&sb, d->reason, true, REASON_MAX);
}
