/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Access recertification: a campaign lists who can get in (the rows of `hostiam review`),
 * a reviewer decides keep or revoke for each, and closing it writes each user's decision
 * into their state record (state.h: struct hostiam_certification), where the policy reads
 * it (rule condition certified_within; a revoke denies at once). The open campaign and the
 * closed ones live in <state_dir>/certify/ (root-only, like the rest of the state store):
 * "open" while it runs, "closed-ID" after, one text file each, replaced atomically.
 */
#ifndef HOSTIAM_CERTIFY_H
#define HOSTIAM_CERTIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "names.h"
#include "state.h"

/* Most users one campaign lists; a longer list is refused rather than cut. */
#define HOSTIAM_CERTIFY_USERS_MAX 65536
/* Longest note kept with a decision (bytes, before escaping). */
#define HOSTIAM_CERTIFY_NOTE_MAX 200

enum hostiam_certify_choice {
	HOSTIAM_CERTIFY_UNDECIDED = 0,
	HOSTIAM_CERTIFY_KEEP,
	HOSTIAM_CERTIFY_REVOKE
};

struct hostiam_certify_entry {
	char user[HOSTIAM_NAME_MAX + 1];
	enum hostiam_certify_choice choice;
	time_t decided;                          /* when; 0: undecided */
	char note[HOSTIAM_CERTIFY_NOTE_MAX + 1]; /* any bytes but NUL; escaped on disk */
};

struct hostiam_campaign {
	unsigned long id;
	char reviewer[33]; /* a valid user name that fits the state record */
	time_t started, closed;
	char services[128];                    /* the services reviewed, comma-separated */
	struct hostiam_certify_entry *entries; /* owned, in listing order */
	size_t n;
};

/* "keep", "revoke" or "undecided". */
const char *hostiam_certify_choice_name(enum hostiam_certify_choice c);

/* Open (with create, make) <state_dir>/certify, checked and locked (flock, exclusive)
   until hostiam_certify_store_close. 0 and *fd, or a HOSTIAM_ERR_* (insecure, missing). */
int hostiam_certify_store_open(const char *state_dir, bool create, int *fd);
void hostiam_certify_store_close(int fd);

/* Read the open campaign (name NULL) or closed campaign id into *c. 0, NOT_FOUND, or
   another HOSTIAM_ERR_* (a damaged file is HOSTIAM_ERR_INVALID_ARG). */
int hostiam_certify_load(int fd, unsigned long id, struct hostiam_campaign *c);
/* Write c as the open campaign. */
int hostiam_certify_save(int fd, const struct hostiam_campaign *c);
/* One more than the highest campaign id in the store (1 for the first). */
int hostiam_certify_next_id(int fd, unsigned long *id);
void hostiam_certify_free(struct hostiam_campaign *c);

/* The entry of user in c, or NULL. */
struct hostiam_certify_entry *hostiam_certify_find(struct hostiam_campaign *c, const char *user);

/*
 * Close c at now: every decided entry goes into its user's state record (keep or revoke,
 * the campaign, now, the reviewer), then the campaign is kept as closed-ID and the open
 * one removed. Undecided entries change nothing. 0, or the first error (records written
 * before it stay written; the campaign stays open so close can be run again).
 */
int hostiam_certify_close(int fd, const char *state_dir, struct hostiam_campaign *c, time_t now);

/* Text form of a campaign file (certify_text.c). */
size_t hostiam_certify_format(const struct hostiam_campaign *c, char **out);
int hostiam_certify_parse(const char *text, size_t len, struct hostiam_campaign *c);

#endif
