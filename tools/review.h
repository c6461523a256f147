/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hostiam review: who can log in on this host, and how. cmd_review.c gathers one row per
 * user through the same request builder and engine as a login; review_format.c prints the
 * rows as an aligned table, JSON or CSV.
 */
#ifndef HOSTIAM_REVIEW_H
#define HOSTIAM_REVIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "account_state.h"
#include "configuration.h"
#include "state.h"

/* The remote origin of the "remote" column: TEST-NET-3 (RFC 5737), so a real network of
 * the policy never matches it and the column answers "from anywhere else". */
#define REVIEW_REMOTE_ADDR "203.0.113.1"

/* One decision: one service, one origin. */
struct review_cell {
	enum hostiam_action action;        /* enforced (report mode: always allow) */
	enum hostiam_action policy_action; /* what the policy says */
	const char *rule;                  /* rule name, "default", "exempt", or "error" */
	bool error;                        /* no decision could be made: fails closed */
};

struct review_user {
	char *name;
	uint32_t uid;
	bool directory; /* in the directory cache; else a local account */
	char **groups;  /* as a login sees them (NSS), owned */
	size_t n_groups;
	enum hostiam_tristate enrolled; /* HOSTIAM_UNSET: not known */
	time_t last_login;              /* 0: none recorded on this host */
	long days_inactive;             /* -1: no login recorded */
	bool exempt;                    /* in access.exempt */
	bool stale;                     /* inactive for at least report.stale_days */
	bool mfa_missing;               /* some decision is mfa and the user has not enrolled */
	/* The directory account's state at the report's time (ok for local and exempt
	   accounts); account_unknown: auth.cache cannot tell (format 1). */
	struct hostiam_account_verdict account;
	bool account_unknown;
	/* The user's acceptances of terms of use, from the state store (state.h). */
	struct hostiam_terms_acceptance terms[HOSTIAM_TERMS_KEPT];
	size_t n_terms;
	/* The decision of the last closed access review (state.h); campaign 0: none. */
	struct hostiam_certification cert;
	char *error;               /* why nothing could be decided, or NULL; owned */
	struct review_cell *cells; /* [service * 2]: remote, [service * 2 + 1]: local */
};

struct review_report {
	char host[256];
	time_t now;
	const char *config_path;
	const struct hostiam_config *cfg;
	const char *const *services;
	size_t n_services;
	const char *cache_state; /* "current", "offline" or "unavailable" */
	char cache_note[160];    /* e.g. the sync time, or why it is unavailable */
	int64_t cache_sync_time; /* 0: unknown */
	int stale_days;          /* smallest inactive_days of any deny rule; -1: none */
	int certify_days;        /* smallest certified_within of any deny rule; -1: none */
	struct review_user *users;
	size_t n_users;
};

/* A password that expires within this many days is flagged password-expires-soon. */
#define REVIEW_PASSWORD_SOON_DAYS 14
#define REVIEW_MAX_FLAGS 6

/*
 * The flags of u, in order, into words (room for REVIEW_MAX_FLAGS); their number. Words:
 * stale, exempt, no-mfa-but-mfa-required, account-disabled, account-locked,
 * account-expired, account-state-unknown, password-expired, password-expires-soon.
 */
size_t review_flag_words(const struct review_user *u, const char **words);

/* The flags of u as words separated by spaces ("stale exempt"); "" when none. */
void review_flags(const struct review_user *u, char *buf, size_t len);

void review_print_text(FILE *f, const struct review_report *r);
void review_print_json(FILE *f, const struct review_report *r);
void review_print_csv(FILE *f, const struct review_report *r);

/* tools/review_certify.c: the last certification of each user (hostiam certify). */
int review_certify_days(const struct hostiam_config *cfg);
bool review_not_certified(const struct review_report *r, const struct review_user *u);
void review_print_certify(FILE *f, const struct review_report *r);
struct json_out;
void review_certify_json(struct json_out *j, const struct review_report *r,
			 const struct review_user *u);
/* The certification columns of u (NULL: their names); none without a certified_within
   deny rule, so the columns of other policies stay as they were. */
void review_certify_csv(FILE *f, const struct review_report *r, const struct review_user *u);

#endif
