/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * One RFC 4533 refreshAndPersist session (libldap's ldap_sync_* API) over one search base,
 * and the in-memory model it keeps: the current entries of that search keyed by entryUUID.
 * The model and the sync cookie outlive the connection: the next start resumes from the
 * cookie and applies only what changed (adds, modifies, deletes, and the present phase's
 * "everything not named is gone") to the model it already has.
 */
#ifndef HOSTIAM_SYNC_SESSION_H
#define HOSTIAM_SYNC_SESSION_H

#include <ldap.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "configuration.h"
#include "dir_entries.h"
#include "dir_conn.h"
#include "sync_journal.h"
#include "sync_model.h"

struct sync_session {
	enum dir_kind kind;
	const struct dir_schema *schema;
	ldap_sync_t ls;
	struct dir_conn conn;
	struct sync_model model; /* the entries keyed by entryUUID */
	size_t n;                /* entries in the model */
	unsigned long changes;   /* bumped on every add, modify or delete */
	bool ended;              /* the server ended the persistent search */
	int error;               /* a HOSTIAM_ERR_* raised inside a callback */
	atomic_ulong *progress;  /* bumped per entry, for a watchdog; may be NULL */
	struct berval cookie;    /* the cookie the model is at (ber-allocated), or empty */
	bool refreshed;          /* this connection's refresh is complete */
	bool resumed;            /* this connection's refresh started from a cookie */
	bool stale;              /* the server refused the cookie: the refresh was full */
	/* What the last refresh did: entries the server sent (added or modified), entries it
	   removed from the model (deleted, or not present), entries it named present. */
	unsigned long got_entries, got_deletes, got_presents;
	struct sync_journal journal; /* changes since the last publish, while following */
};

/* Outcomes of sync_session_start beyond HOSTIAM_ERR_*: the server cannot follow... */
#define SYNC_SESSION_NO_SYNCREPL 1
/* ...or it sent the whole refresh, then ended the search with success: the model is
 * complete and may be published, but nothing will follow. */
#define SYNC_SESSION_ENDED 2

/*
 * Connect (failover over the uri list, prefer tried first when not NULL) and run the
 * refresh phase for kind: from the cookie when there is one (only the changes; if the server
 * refuses it as stale, e-syncRefreshRequired or another refusal of the cookie, once more
 * without it, and s->stale says so), else a full refresh into an empty model. Returns 0 with the model complete and the session persisting,
 * SYNC_SESSION_ENDED with the model complete and the search over, SYNC_SESSION_NO_SYNCREPL
 * when the server has no syncprov or stops the refresh at a limit (use periodic full
 * syncs), or a HOSTIAM_ERR_* with the reason in err. on_connect(fd) is called once the socket exists,
 * so that signal handlers can interrupt a refresh that hangs.
 */
int sync_session_start(struct sync_session *s, const struct hostiam_config *cfg, enum dir_kind kind,
		       const struct dir_schema *schema, const char *prefer,
		       void (*on_connect)(struct sync_session *s, int fd), char *err,
		       size_t err_len);

/*
 * Handle whatever the server has sent, without blocking. Returns 0, or a HOSTIAM_ERR_*
 * when the connection was lost or the search ended (reconnect).
 */
int sync_session_drain(struct sync_session *s);

/* The socket to poll(), or -1. */
int sync_session_fd(const struct sync_session *s);

/* The entries of the model in *out (malloc'd array of borrowed pointers), count in *n. */
int sync_session_entries(const struct sync_session *s, struct dir_entry ***out, size_t *n);

/* Close the connection; the model and its cookie stay for the next start. */
void sync_session_stop(struct sync_session *s);

/* Free the model and forget the cookie: the next start is a full refresh. */
void sync_session_forget(struct sync_session *s);

/* The cookie the model is at now (borrowed), or NULL when there is none. */
const struct berval *sync_session_cookie(const struct sync_session *s);

/* Set the cookie to len bytes at val (the model must be the one it describes). */
int sync_session_set_cookie(struct sync_session *s, const void *val, size_t len);

/* Add or replace the entry with uuid (e moves into the model, also on error). */
int sync_session_put(struct sync_session *s, const struct berval *uuid, struct dir_entry *e);

/* The entry with uuid in the model, or NULL. */
const struct dir_entry *sync_session_find(const struct sync_session *s, const struct berval *uuid);

/*
 * Call fn for each entry of the model with its entryUUID, in entryUUID order; stops at the
 * first non-zero return and returns it, or HOSTIAM_ERR_NOMEM when the model cannot be
 * sorted. fn must not change the model.
 */
int sync_session_each(const struct sync_session *s,
		      int (*fn)(const struct berval *uuid, const struct dir_entry *e, void *ctx),
		      void *ctx);

/*
 * The same in no particular order, without sorting the model first: for walks whose
 * result does not depend on the order (the checks of each incremental publish).
 */
int sync_session_each_any(const struct sync_session *s,
			  int (*fn)(const struct berval *uuid, const struct dir_entry *e,
				    void *ctx),
			  void *ctx);

#endif
