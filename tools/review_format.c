/* SPDX-License-Identifier: BSD-2-Clause */
/* hostiam review as an aligned table an auditor can read; review_export.c has JSON and CSV. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cli_args.h"
#include "policy.h"
#include "review.h"
#include "terms_print.h"
#include "text_out.h"

#define COLS_BEFORE 3 /* USER UID SOURCE, then one column per service */
#define COLS_AFTER 4  /* MFA, LAST LOGIN, INACTIVE, FLAGS; GROUPS unpadded */

/* The flag word of the account state, or NULL when it is not one to flag. */
static const char *account_flag(const struct review_user *u)
{
	const struct hostiam_account_verdict *v = &u->account;

	switch (v->status) {
	case HOSTIAM_ACCOUNT_DISABLED:
		return "account-disabled";
	case HOSTIAM_ACCOUNT_LOCKED:
		return "account-locked";
	case HOSTIAM_ACCOUNT_EXPIRED:
		return "account-expired";
	case HOSTIAM_ACCOUNT_PASSWORD_EXPIRED:
		return "password-expired";
	case HOSTIAM_ACCOUNT_OK:
		break;
	}
	if (u->account_unknown)
		return "account-state-unknown";
	if (v->password_days >= 0 && v->password_days <= REVIEW_PASSWORD_SOON_DAYS)
		return "password-expires-soon";
	return NULL;
}

size_t review_flag_words(const struct review_user *u, const char **words)
{
	size_t n = 0;

	if (u->stale)
		words[n++] = "stale";
	if (u->exempt)
		words[n++] = "exempt";
	if (u->mfa_missing)
		words[n++] = "no-mfa-but-mfa-required";
	if ((words[n] = account_flag(u)) != NULL)
		n++;
	return n;
}

void review_flags(const struct review_user *u, char *buf, size_t len)
{
	const char *words[REVIEW_MAX_FLAGS];
	size_t i, n = review_flag_words(u, words), at = 0;

	buf[0] = '\0';
	for (i = 0; i < n && at < len; i++)
		at += (size_t)snprintf(buf + at, len - at, "%s%s", i ? " " : "", words[i]);
}

/* The policy's word for one cell, "error" when nothing could be decided. */
static const char *cell_word(const struct review_cell *c)
{
	return c->error ? "error" : hostiam_action_name(c->policy_action);
}

/* "yes", "no" or "unknown". */
static const char *enrolled_word(enum hostiam_tristate t)
{
	return t == HOSTIAM_TRUE ? "yes" : t == HOSTIAM_FALSE ? "no" : "unknown";
}

/* Header text of column col. */
static void header_cell(const struct review_report *r, size_t col, char *buf, size_t len)
{
	static const char *const before[] = { "USER", "UID", "SOURCE" };
	static const char *const after[] = { "MFA", "LAST LOGIN", "INACTIVE", "FLAGS" };

	if (col < COLS_BEFORE)
		snprintf(buf, len, "%s", before[col]);
	else if (col < COLS_BEFORE + r->n_services)
		snprintf(buf, len, "%s", r->services[col - COLS_BEFORE]);
	else
		snprintf(buf, len, "%s", after[col - COLS_BEFORE - r->n_services]);
}

/* Text of column col for user u. */
static void user_cell(const struct review_report *r, const struct review_user *u, size_t col,
		      char *buf, size_t len)
{
	size_t s = col - COLS_BEFORE;

	if (col == 0)
		snprintf(buf, len, "%s", u->name);
	else if (col == 1)
		snprintf(buf, len, "%lu", (unsigned long)u->uid);
	else if (col == 2)
		snprintf(buf, len, "%s", u->directory ? "directory" : "local");
	else if (s < r->n_services)
		snprintf(buf, len, "%s/%s", cell_word(&u->cells[s * 2]),
			 cell_word(&u->cells[s * 2 + 1]));
	else if ((s -= r->n_services) == 0)
		snprintf(buf, len, "%s", enrolled_word(u->enrolled));
	else if (s == 1 && u->last_login)
		cli_format_time(cli_zone(r->cfg), u->last_login, 0, buf, len);
	else if (s == 2 && u->days_inactive >= 0)
		snprintf(buf, len, "%ld", u->days_inactive);
	else if (s == 3)
		review_flags(u, buf, len);
	else
		buf[0] = '\0';
	if (buf[0] == '\0')
		snprintf(buf, len, "-");
}

/* The metadata an auditor needs to read the table. */
static void text_header(FILE *f, const struct review_report *r)
{
	const struct hostiam_access_config *a = &r->cfg->access;
	char when[64];
	size_t i;

	cli_format_time(cli_zone(r->cfg), r->now, 1, when, sizeof(when));
	fputs("hostiam access review\n", f);
	fprintf(f, "%-9s", "host:");
	text_safe(f, r->host);
	fprintf(f, "\n%-9s%s\n%-9s", "time:", when, "config:");
	text_safe(f, r->config_path);
	fprintf(f, "\n%-9s%s, default %s, %zu rules, exempt:", "mode:",
		a->mode == HOSTIAM_MODE_REPORT ? "report" : "enforce",
		hostiam_action_name(a->default_action), a->n_rules);
	for (i = 0; i < a->exempt.n; i++) {
		fputc(' ', f);
		text_safe(f, a->exempt.items[i]);
	}
	fprintf(f, "%s\n%-9s", a->exempt.n ? "" : " none", "cache:");
	text_safe(f, r->cfg->cache.nss_path);
	fprintf(f, ": %s%s", r->cache_state, r->cache_note[0] ? " (" : "");
	text_safe(f, r->cache_note);
	fprintf(f, "%s\n", r->cache_note[0] ? ")" : "");
	fprintf(f,
		"%-9sremote = from %s (RFC 5737 documentation address), local = no remote host\n",
		"origins:", REVIEW_REMOTE_ADDR);
	if (r->stale_days >= 0)
		fprintf(f,
			"%-9slast login on this host %d or more days ago "
			"(smallest inactive_days of a deny rule)\n",
			"stale:", r->stale_days);
	else
		fprintf(f, "%-9snot flagged: no deny rule has inactive_days\n", "stale:");
	fprintf(f, "%-9seach service column: the policy's decision remote/local", "reading:");
	fputs(a->mode == HOSTIAM_MODE_REPORT ? "; report mode: none is enforced\n\n" : "\n\n", f);
}

/* Width of every padded column over the header and all rows. */
static void column_widths(const struct review_report *r, size_t ncols, size_t *w)
{
	char buf[512];
	size_t c, i;

	for (c = 0; c < ncols; c++) {
		header_cell(r, c, buf, sizeof(buf));
		w[c] = text_width(buf);
		for (i = 0; i < r->n_users; i++) {
			user_cell(r, &r->users[i], c, buf, sizeof(buf));
			if (text_width(buf) > w[c])
				w[c] = text_width(buf);
		}
	}
}

/* One line of the table: u NULL is the header. */
static void text_row(FILE *f, const struct review_report *r, const struct review_user *u,
		     const size_t *w, size_t ncols)
{
	char buf[512];
	size_t c, i;

	for (c = 0; c < ncols; c++) {
		if (u)
			user_cell(r, u, c, buf, sizeof(buf));
		else
			header_cell(r, c, buf, sizeof(buf));
		text_pad(f, buf, w[c] + 2);
	}
	if (u == NULL)
		fputs("GROUPS", f);
	for (i = 0; u && i < u->n_groups; i++) {
		fputs(i ? "," : "", f);
		text_safe(f, u->groups[i]);
	}
	if (u && u->n_groups == 0)
		fputc('-', f);
	fputc('\n', f);
}

/* Who accepted which terms of use when, after the table (when there are terms). */
static void print_terms(FILE *f, const struct review_report *r)
{
	struct terms_user *u;

	if (r->cfg->n_terms == 0)
		return;
	if ((u = calloc(r->n_users ? r->n_users : 1, sizeof(*u))) == NULL) {
		fputs("(out of memory)\n", f);
		return;
	}
	for (size_t i = 0; i < r->n_users; i++)
		u[i] = (struct terms_user){ r->users[i].name, r->users[i].terms,
					    r->users[i].n_terms, NULL };
	fputs("\nterms of use:\n", f);
	terms_print_table(f, r->cfg, u, r->n_users, r->now);
	free(u);
}

/* The text report: header, then one aligned row per user. */
void review_print_text(FILE *f, const struct review_report *r)
{
	size_t ncols = COLS_BEFORE + r->n_services + COLS_AFTER;
	size_t *w = calloc(ncols, sizeof(*w));
	size_t i;

	text_header(f, r);
	if (w == NULL) {
		fputs("(out of memory)\n", f);
		return;
	}
	column_widths(r, ncols, w);
	text_row(f, r, NULL, w, ncols);
	for (i = 0; i < r->n_users; i++)
		text_row(f, r, &r->users[i], w, ncols);
	fprintf(f, "\n%zu users\n", r->n_users);
	free(w);
	print_terms(f, r);
	review_print_certify(f, r);
}
