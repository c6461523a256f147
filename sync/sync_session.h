/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * One RFC 4533 refreshAndPersist session (libldap's ldap_sync_* API) over one search base,
 * and the in-memory model it keeps: the current entries of that search keyed by entryUUID.
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

struct sync_session {
	enum dir_kind kind;
	const struct dir_schema *schema;
	ldap_sync_t ls;
	struct dir_conn conn;
	void *model;            /* tsearch tree of entries keyed by entryUUID */
	size_t n;               /* entries in the model */
	unsigned long changes;  /* bumped on every add, modify or delete */
	bool ended;             /* the server ended the persistent search */
	int error;              /* a HOSTIAM_ERR_* raised inside a callback */
	atomic_ulong *progress; /* bumped per entry, for a watchdog; may be NULL */
};

/* Outcomes of sync_session_start beyond HOSTIAM_ERR_*: the server cannot follow... */
#define SYNC_SESSION_NO_SYNCREPL 1
/* ...or it sent the whole refresh, then ended the search with success: the model is
 * complete and may be published, but nothing will follow. */
#define SYNC_SESSION_ENDED 2

/*
 * Connect (failover over the uri list, prefer tried first when not NULL) and run the
 * refresh phase for kind. Returns 0 with the model complete and the session persisting,
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

/* Close the connection and free the model. */
void sync_session_stop(struct sync_session *s);

#endif
