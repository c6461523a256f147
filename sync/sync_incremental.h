/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The agent's publish of a few directory changes in milliseconds, at any directory size:
 * the changed entries (sync_journal.h) are resolved alone and published as a delta on top
 * of the cache (hostiam_cache_write_delta), and auth.cache is changed in place
 * (hostiam_auth_cache_update). No full resolve, no full write.
 *
 * It applies when resolving the changed entries alone gives what a full resolve would:
 *  - users and groups changed, each at most SYNC_JOURNAL_MAX per batch;
 *  - no changed entry's DN is a member DN of any group (nobody lists or nests it by DN),
 *    and no changed group has member DNs itself (memberUid groups: their members are
 *    names, resolved without the rest of the directory);
 *  - no other entry has the name or id a changed entry has or had (duplicates drop both
 *    entries, so a change could move an entry it does not touch);
 *  - the local passwd and group files are the ones the last full resolve read;
 *  - the delta is still small (else a full publish compacts it into a new base).
 * Otherwise SYNC_INCR_FULL: the caller publishes in full, as before. A full publish also
 * keeps sync.state; a delta does not (a restart resumes from the base's cookie and gets
 * the same changes again).
 */
#ifndef HOSTIAM_SYNC_INCREMENTAL_H
#define HOSTIAM_SYNC_INCREMENTAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "configuration.h"
#include "dir_local.h"
#include "sync_session.h"

#define SYNC_INCR_FULL 1

struct sync_incr {
	bool ready;                   /* a full publish set what follows */
	struct dir_local_sig local;   /* the local files the last full resolve read */
	struct dir_local_sig pending; /* taken before a full resolve, kept if it publishes */
	uint64_t *dn_refs;            /* sorted hashes of every member DN of every group */
	size_t n_dn_refs;
	size_t base_records;  /* users and groups of the last full publish */
	size_t delta_records; /* records of the published delta */
};

/* Before a full resolve: note the local files it is about to read. */
void sync_incr_before_full(struct sync_incr *st);

/* After a full publish of the models of s[0] (users) and s[1] (groups). */
int sync_incr_after_full(struct sync_incr *st, const struct sync_session *s);

/* Forget everything: the next publish is full (a failed publish, a reconnect). */
void sync_incr_reset(struct sync_incr *st);

/*
 * Publish what the journals of s[0], s[1] recorded as a delta, under the publish lock the
 * caller holds. 0 (published; logged and recorded in sync.status), SYNC_INCR_FULL, or a
 * HOSTIAM_ERR_* with the reason in err. The journals are the caller's to clear.
 */
int sync_incr_publish(struct sync_incr *st, const struct hostiam_config *cfg,
		      struct sync_session *s, char *err, size_t err_len);

/* Internal to sync_incr_*.c: a journal item with its entry before and now. */
struct incr_change {
	const struct berval *uuid;
	struct dir_entry *old, *now; /* NULL: absent */
};

/* The changes of s's journal into a malloc'd *out (count *n). */
int incr_changes(struct sync_session *s, struct incr_change **out, size_t *n);

/*
 * Whether the changes ch[0] (users, n[0]) and ch[1] (groups, n[1]) can be published alone
 * (the rules above but the size); *why says why not.
 */
int incr_eligible(const struct sync_incr *st, const struct sync_session *s,
		  struct incr_change *const ch[2], const size_t n[2], const char **why);

/* The hash of a normalised DN, as dn_refs holds it. */
uint64_t incr_dn_hash(const char *ndn);

#endif
