/* SPDX-License-Identifier: BSD-2-Clause */
/* A persistent sync session and its model of the directory, keyed by entryUUID. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "log.h"
#include "sync_session.h"

/* Remove the entry with uuid from the model, if present; true if it was. */
static bool model_delete(struct sync_session *s, const struct berval *uuid)
{
	struct dir_entry *e = sync_model_take(&s->model, uuid);

	if (!e)
		return false;
	sync_journal_note(&s->journal, uuid, e);
	s->n--;
	s->changes++;
	return true;
}

/* Add or replace the entry with uuid, which e carries (e moves into the model). */
static int model_put(struct sync_session *s, const struct berval *uuid, struct dir_entry *e)
{
	struct dir_entry *old = NULL;
	struct berval u = dir_entry_uuid(e);

	int r = u.bv_len == uuid->bv_len && memcmp(u.bv_val, uuid->bv_val, u.bv_len) == 0 ?
		sync_model_put(&s->model, e, &old) :
		HOSTIAM_ERR_INVALID_ARG;

	if (r < 0) {
		dir_entry_free(e);
		return r;
	}
	/* A modification keeps the entry before in the journal; an addition notes none. */
	sync_journal_note(&s->journal, uuid, old);
	if (!old)
		s->n++;
	e->seen = true;
	s->changes++;
	return 0;
}

/* Mark the entry with uuid as named by the server in this refresh. */
static void model_mark(struct sync_session *s, const struct berval *uuid)
{
	struct dir_entry *e = sync_model_find(&s->model, uuid);

	if (e)
		e->seen = true;
	s->got_presents++;
}

/* Clear every entry's seen flag. */
static void model_clear_seen(struct sync_session *s)
{
	size_t i;

	for (i = 0; s->model.slot && i <= s->model.mask; i++)
		if (s->model.slot[i])
			s->model.slot[i]->seen = false;
}

/*
 * The end of a present phase (RFC 4533 3.3.1): every entry the server did not name as
 * present, added or modified since the refresh began is gone. The uuids are copied out
 * first, in entryUUID order: the table cannot be changed during its walk.
 */
static int model_drop_unseen(struct sync_session *s)
{
	struct dir_entry **v = NULL;
	struct berval *gone;
	size_t i, n = 0, total = s->model.n;
	int r = sync_model_sorted(&s->model, &v);

	if (r < 0)
		return r;
	gone = calloc(total + 1, sizeof(*gone));
	for (i = 0; gone && i < total; i++) {
		struct berval u = dir_entry_uuid(v[i]);

		if (v[i]->seen)
			continue;
		if (ber_dupbv(&gone[n], &u) == NULL)
			break;
		n++;
	}
	r = gone && i == total ? 0 : HOSTIAM_ERR_NOMEM;
	free(v);
	for (i = 0; i < n; i++) {
		if (r == 0)
			s->got_deletes += model_delete(s, &gone[i]);
		ber_memfree(gone[i].bv_val);
	}
	free(gone);
	return r;
}

/* ldap_sync callback: an entry was added, modified, deleted or is present. */
static int on_entry(ldap_sync_t *ls, LDAPMessage *msg, struct berval *uuid,
		    ldap_sync_refresh_t phase)
{
	struct sync_session *s = ls->ls_private;
	struct dir_entry *e = NULL;
	int r;

	if (s->progress)
		atomic_fetch_add(s->progress, 1);
	switch (phase) {
	case LDAP_SYNC_CAPI_ADD:
	case LDAP_SYNC_CAPI_MODIFY:
		if (!s->refreshed)
			s->got_entries++;
		r = dir_entry_parse(ls->ls_ld, msg, s->kind, s->schema, uuid, &e);
		if (r == 0)
			r = model_put(s, uuid, e);
		if (r < 0)
			s->error = r;
		return r < 0 ? LDAP_NO_MEMORY : LDAP_SUCCESS;
	case LDAP_SYNC_CAPI_DELETE:
		if (model_delete(s, uuid) && !s->refreshed)
			s->got_deletes++;
		return LDAP_SUCCESS;
	default:
		/* PRESENT: only sent when resuming from a cookie (a present phase). */
		model_mark(s, uuid);
		return LDAP_SUCCESS;
	}
}

/* The tag of a syncInfo message (refreshPresent, refreshDelete...), or LBER_DEFAULT. */
static ber_tag_t syncinfo_tag(LDAP *ld, LDAPMessage *msg)
{
	struct berval *data = NULL;
	char *oid = NULL;
	ber_tag_t tag = LBER_DEFAULT;
	ber_len_t len;
	BerElement *ber;

	if (ldap_parse_intermediate(ld, msg, &oid, &data, NULL, 0) == LDAP_SUCCESS && data &&
	    (ber = ber_init(data)) != NULL) {
		tag = ber_peek_tag(ber, &len);
		ber_free(ber, 1);
	}
	ldap_memfree(oid);
	ber_bvfree(data);
	return tag;
}

/*
 * ldap_sync callback: a syncIdSet (deletes, or presents of a present phase), or the end of
 * a refresh phase. After refreshPresent, what was not named is deleted; libldap reports
 * the phase as DONE when refreshDone is set, so the message itself says which it was.
 */
static int on_intermediate(ldap_sync_t *ls, LDAPMessage *msg, BerVarray uuids,
			   ldap_sync_refresh_t phase)
{
	struct sync_session *s = ls->ls_private;
	size_t i;
	int r;

	if (!uuids) {
		if (s->refreshed || syncinfo_tag(ls->ls_ld, msg) != LDAP_TAG_SYNC_REFRESH_PRESENT)
			return LDAP_SUCCESS;
		r = model_drop_unseen(s);
		if (r < 0)
			s->error = r;
		return r < 0 ? LDAP_NO_MEMORY : LDAP_SUCCESS;
	}
	for (i = 0; uuids[i].bv_val; i++) {
		if (phase == LDAP_SYNC_CAPI_DELETES_IDSET) {
			if (model_delete(s, &uuids[i]) && !s->refreshed)
				s->got_deletes++;
		} else if (phase == LDAP_SYNC_CAPI_PRESENTS_IDSET) {
			model_mark(s, &uuids[i]);
		}
	}
	return LDAP_SUCCESS;
}

/*
 * ldap_sync callback: the server ended the search with success (refreshAndPersist should
 * not end, but some servers do after the refresh); libldap calls this only for success.
 */
static int on_result(ldap_sync_t *ls, LDAPMessage *msg, int refresh_deletes)
{
	struct sync_session *s = ls->ls_private;
	int r;

	s->ended = true;
	/* A refresh that ends the search with refreshDeletes FALSE ended a present phase. */
	if (!s->refreshed && refresh_deletes == 0 && (r = model_drop_unseen(s)) < 0)
		s->error = r;
	return LDAP_SUCCESS;
}

/* ldap_sync callback: a search reference, logged and not followed. */
static int on_reference(ldap_sync_t *ls, LDAPMessage *msg)
{
	hostiam_log(LOG_INFO, "skipping search reference: referrals are not followed");
	return LDAP_SUCCESS;
}

/* Fill the search parameters of s->ls; libldap frees them with ldap_memfree. */
static int setup_search(struct sync_session *s, const struct hostiam_config *cfg)
{
	const struct hostiam_directory_config *d = &cfg->directory;
	const char *base = s->kind == DIR_USER ? d->users_base : d->groups_base;
	const char *filter = s->kind == DIR_USER ? d->users_filter : d->groups_filter;

	s->ls.ls_attrs = dir_attrs_new_ber(s->kind, s->schema);
	s->ls.ls_base = ber_strdup(base ? base : d->base);
	s->ls.ls_filter = ber_strdup(filter);
	if (!s->ls.ls_attrs || !s->ls.ls_base || !s->ls.ls_filter)
		return HOSTIAM_ERR_NOMEM;
	return 0;
}

/* True for the answers of a server that cannot run this sync (no syncprov, limits). */
static bool no_syncrepl(int rc)
{
	return rc == LDAP_UNAVAILABLE_CRITICAL_EXTENSION || rc == LDAP_UNWILLING_TO_PERFORM ||
		rc == LDAP_SIZELIMIT_EXCEEDED || rc == LDAP_ADMINLIMIT_EXCEEDED ||
		rc == LDAP_PROTOCOL_ERROR || rc == LDAP_INSUFFICIENT_ACCESS;
}

/*
 * Prepare the model for a refresh: from the cookie, every entry unseen (a present phase
 * deletes what stays so); without one, an empty model, as the server sends everything.
 */
static int prepare_refresh(struct sync_session *s)
{
	s->got_entries = s->got_deletes = s->got_presents = 0;
	s->ended = false;
	s->error = 0;
	s->resumed = s->cookie.bv_len > 0;
	if (!s->resumed) {
		sync_model_clear(&s->model);
		s->n = 0;
		return 0;
	}
	model_clear_seen(s);
	if (ber_dupbv(&s->ls.ls_cookie, &s->cookie) == NULL)
		return HOSTIAM_ERR_NOMEM;
	return 0;
}

/*
 * True when the server refused the cookie itself rather than the sync: e-syncRefreshRequired
 * (RFC 4533 3.4), or slapd's other answers to a cookie it cannot use ("consumer state is
 * newer than provider" is unwillingToPerform; a cookie it cannot parse, a protocol error).
 */
static bool cookie_refused(const struct sync_session *s, int rc)
{
	return s->resumed &&
		(rc == LDAP_SYNC_REFRESH_REQUIRED || rc == LDAP_UNWILLING_TO_PERFORM ||
		 rc == LDAP_PROTOCOL_ERROR || rc == LDAP_OTHER);
}

/*
 * Run the refresh phase on the connected session: from the cookie, then without it if
 * refused. Returns an LDAP result code; a failure of our own is in s->error.
 */
static int refresh(struct sync_session *s)
{
	int r, rc;

	s->stale = false;
	r = prepare_refresh(s);
	if (r < 0) {
		s->error = r;
		return LDAP_NO_MEMORY;
	}
	/* Blocks until the refresh is done: the caller's watchdog bounds a silent server. */
	rc = ldap_sync_init(&s->ls, LDAP_SYNC_REFRESH_AND_PERSIST);
	if (rc != LDAP_SUCCESS && cookie_refused(s, rc)) {
		hostiam_log(LOG_NOTICE,
			    "the directory refused the stored sync cookie (%s, result %d); "
			    "full refresh base=%s server=%s",
			    ldap_err2string(rc), rc, s->ls.ls_base, s->conn.uri);
		sync_session_set_cookie(s, NULL, 0);
		ber_memfree(s->ls.ls_cookie.bv_val);
		s->ls.ls_cookie.bv_val = NULL;
		s->ls.ls_cookie.bv_len = 0;
		r = prepare_refresh(s);
		if (r < 0) {
			s->error = r;
			return LDAP_NO_MEMORY;
		}
		s->stale = true;
		rc = ldap_sync_init(&s->ls, LDAP_SYNC_REFRESH_AND_PERSIST);
	}
	return rc;
}

int sync_session_start(struct sync_session *s, const struct hostiam_config *cfg, enum dir_kind kind,
		       const struct dir_schema *schema, const char *prefer,
		       void (*on_connect)(struct sync_session *s, int fd), char *err,
		       size_t err_len)
{
	char desc[300];
	int r, rc;

	s->kind = kind;
	s->schema = schema;
	s->refreshed = false;
	ldap_sync_initialize(&s->ls);
	r = dir_conn_open_prefer(&cfg->directory, prefer, &s->conn, err, err_len);
	if (r < 0)
		return r;
	r = setup_search(s, cfg);
	if (r < 0)
		return r;
	s->ls.ls_ld = s->conn.ld;
	s->ls.ls_private = s;
	s->ls.ls_search_entry = on_entry;
	s->ls.ls_search_reference = on_reference;
	s->ls.ls_intermediate = on_intermediate;
	s->ls.ls_search_result = on_result;
	if (on_connect)
		on_connect(s, dir_conn_fd(&s->conn));
	rc = refresh(s);
	/* From now on poll() says when to look; ldap_sync_poll must never wait itself. */
	s->ls.ls_timeout = 0;
	if (rc == LDAP_SUCCESS && s->error == 0) {
		s->refreshed = true;
		return s->ended ? SYNC_SESSION_ENDED : 0;
	}
	if (no_syncrepl(rc))
		return SYNC_SESSION_NO_SYNCREPL;
	dir_conn_describe(s->conn.ld, rc, desc, sizeof(desc));
	snprintf(err, err_len, "%s: sync refresh of %s failed: %s", s->conn.uri, s->ls.ls_base,
		 s->error ? hostiam_strerror(s->error) : desc);
	return s->error ? s->error : HOSTIAM_ERR_UNAVAILABLE;
}

/*
 * ldap_sync_poll returns 0 both when it handled a message and when nothing was there; a
 * zero-timeout ldap_result may also read a message into libldap's queue and still report
 * a timeout, and poll() cannot see that queue. So poll until libldap reports two timeouts
 * in a row: the second call would have handled anything the first one queued.
 */
int sync_session_drain(struct sync_session *s)
{
	int rc, code, guard, idle = 0;

	for (guard = 0; guard < 100000 && idle < 2; guard++) {
		code = LDAP_SUCCESS;
		ldap_set_option(s->conn.ld, LDAP_OPT_RESULT_CODE, &code);
		rc = ldap_sync_poll(&s->ls);
		if (rc == LDAP_SYNC_REFRESH_REQUIRED) {
			/* The server can no longer serve this cookie: the next start is full. */
			s->refreshed = false;
			sync_session_set_cookie(s, NULL, 0);
		}
		if (rc != LDAP_SUCCESS || s->error || s->ended)
			return s->error ? s->error : HOSTIAM_ERR_UNAVAILABLE;
		ldap_get_option(s->conn.ld, LDAP_OPT_RESULT_CODE, &code);
		idle = code == LDAP_TIMEOUT ? idle + 1 : 0;
	}
	return 0;
}

int sync_session_fd(const struct sync_session *s)
{
	return dir_conn_fd(&s->conn);
}

int sync_session_entries(const struct sync_session *s, struct dir_entry ***out, size_t *n)
{
	int r = sync_model_sorted(&s->model, out);

	if (r < 0)
		return r;
	*n = s->model.n;
	return 0;
}

/* Keep the connection's latest cookie as the model's, when the model is known to match it. */
static void keep_cookie(struct sync_session *s)
{
	struct berval *c = &s->ls.ls_cookie;

	if (s->error) {
		/* An entry was lost inside a callback: model and cookie no longer agree. */
		sync_session_forget(s);
		return;
	}
	/* Before the refresh completed, the cookie the refresh started from still holds. */
	if (s->refreshed && c->bv_val && c->bv_len > 0)
		sync_session_set_cookie(s, c->bv_val, c->bv_len);
}

void sync_session_stop(struct sync_session *s)
{
	keep_cookie(s);
	/* ldap_sync_destroy would unbind too: the connection is closed here, once. */
	s->ls.ls_ld = NULL;
	ldap_sync_destroy(&s->ls, 0);
	dir_conn_close(&s->conn);
	memset(&s->conn, 0, sizeof(s->conn));
	s->ended = false;
	s->error = 0;
	s->refreshed = false;
}

void sync_session_forget(struct sync_session *s)
{
	sync_journal_clear(&s->journal);
	sync_model_clear(&s->model);
	s->n = 0;
	sync_session_set_cookie(s, NULL, 0);
}

const struct berval *sync_session_cookie(const struct sync_session *s)
{
	if (s->refreshed && s->ls.ls_cookie.bv_val && s->ls.ls_cookie.bv_len > 0)
		return &s->ls.ls_cookie;
	return s->cookie.bv_len > 0 ? &s->cookie : NULL;
}

int sync_session_set_cookie(struct sync_session *s, const void *val, size_t len)
{
	char *copy = NULL;

	if (len > 0) {
		copy = ber_memalloc(len + 1);
		if (!copy)
			return HOSTIAM_ERR_NOMEM;
		memcpy(copy, val, len);
		copy[len] = '\0';
	}
	ber_memfree(s->cookie.bv_val);
	s->cookie.bv_val = copy;
	s->cookie.bv_len = len;
	return 0;
}

int sync_session_put(struct sync_session *s, const struct berval *uuid, struct dir_entry *e)
{
	return model_put(s, uuid, e);
}

const struct dir_entry *sync_session_find(const struct sync_session *s, const struct berval *uuid)
{
	return sync_model_find(&s->model, uuid);
}

int sync_session_each(const struct sync_session *s,
		      int (*fn)(const struct berval *uuid, const struct dir_entry *e, void *ctx),
		      void *ctx)
{
	struct dir_entry **v = NULL;
	size_t i;
	int r = sync_model_sorted(&s->model, &v);

	for (i = 0; r == 0 && i < s->model.n; i++) {
		struct berval u = dir_entry_uuid(v[i]);

		r = fn(&u, v[i], ctx);
	}
	free(v);
	return r;
}

#define PREFETCH_ENTRY 8 /* slots ahead whose entry is fetched */

int sync_session_each_any(const struct sync_session *s,
			  int (*fn)(const struct berval *uuid, const struct dir_entry *e,
				    void *ctx),
			  void *ctx)
{
	const struct sync_model *m = &s->model;
	size_t i;
	int r = 0;

	for (i = 0; r == 0 && m->slot && i <= m->mask; i++) {
		struct berval u;

		/* The slots are in hash order, the entries in memory wherever: fetch the ones
		   a few steps ahead while this one is read (a cache miss each). */
		if (i + PREFETCH_ENTRY <= m->mask && m->slot[i + PREFETCH_ENTRY])
			__builtin_prefetch(m->slot[i + PREFETCH_ENTRY]);
		if (!m->slot[i])
			continue;
		u = dir_entry_uuid(m->slot[i]);
		r = fn(&u, m->slot[i], ctx);
	}
	return r;
}
