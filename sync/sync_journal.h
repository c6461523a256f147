/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What changed in a sync session's model since the agent last published: each entry
 * touched, once, with its state before the first change (the old entry, kept instead of
 * freed; NULL for an entry added). The incremental publish (sync_incremental.c) compares
 * old and new to know which cache records move; past SYNC_JOURNAL_MAX entries the journal
 * gives up (overflow) and the agent publishes in full.
 */
#ifndef HOSTIAM_SYNC_JOURNAL_H
#define HOSTIAM_SYNC_JOURNAL_H

#include <lber.h>
#include <stdbool.h>
#include <stddef.h>

#include "dir_entries.h"

#define SYNC_JOURNAL_MAX 256

struct sync_journal_item {
	struct berval uuid;    /* owned copy */
	struct dir_entry *old; /* owned; NULL: the entry did not exist before */
};

struct sync_journal {
	struct sync_journal_item *v;
	size_t n, cap;
	bool on;       /* recording (the agent is following, after a publish) */
	bool overflow; /* more entries changed than recorded: publish in full */
};

/*
 * Record that the entry with uuid changes; old (the entry before, or NULL) moves into the
 * journal, or is freed when the entry was recorded already or the journal is off or full.
 */
void sync_journal_note(struct sync_journal *j, const struct berval *uuid, struct dir_entry *old);

/* Forget what was recorded (frees the old entries); recording stays as it was. */
void sync_journal_clear(struct sync_journal *j);

#endif
