/* SPDX-License-Identifier: BSD-2-Clause */
/* A persistent sync session and its model of the directory, keyed by entryUUID. */
#include "config.h"

#include <errno.h>
#include <search.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "log.h"
#include "sync_session.h"

/* One entry of the model. */
struct node {
	struct berval uuid; /* the 16 bytes of entryUUID (owned) */
	struct dir_entry *e;
};

/* Order model nodes by entryUUID bytes. */
static int cmp_node(const void *a, const void *b)
{
	const struct node *x = a, *y = b;

	if (x->uuid.bv_len != y->uuid.bv_len)
		return x->uuid.bv_len < y->uuid.bv_len ? -1 : 1;
	return memcmp(x->uuid.bv_val, y->uuid.bv_val, x->uuid.bv_len);
}

/* Free one node (tdestroy callback). */
static void free_node(void *p)
{
	struct node *n = p;

	dir_entry_free(n->e);
	free(n->uuid.bv_val);
	free(n);
}

/* Remove the entry with uuid from the model, if present. */
static void model_delete(struct sync_session *s, const struct berval *uuid)
{
	struct node key = { .uuid = *uuid }, **found;

	found = tfind(&key, &s->model, cmp_node);
	if (!found)
		return;
	{
		struct node *n = *found;

		tdelete(&key, &s->model, cmp_node);
		free_node(n);
	}
	s->n--;
	s->changes++;
}

/* Add or replace the entry with uuid (e moves into the model). */
static int model_put(struct sync_session *s, const struct berval *uuid, struct dir_entry *e)
{
	struct node *n = calloc(1, sizeof(*n)), **slot;

	if (!n || !(n->uuid.bv_val = malloc(uuid->bv_len ? uuid->bv_len : 1))) {
		free(n);
		dir_entry_free(e);
		return HOSTIAM_ERR_NOMEM;
	}
	memcpy(n->uuid.bv_val, uuid->bv_val, uuid->bv_len);
	n->uuid.bv_len = uuid->bv_len;
	n->e = e;
	slot = tsearch(n, &s->model, cmp_node);
	if (!slot) {
		free_node(n);
		return HOSTIAM_ERR_NOMEM;
	}
	if (*slot != n) {
		/* A modification: the new entry replaces the old one in the same node. */
		dir_entry_free((*slot)->e);
		(*slot)->e = e;
		n->e = NULL;
		free_node(n);
	} else {
		s->n++;
	}
	s->changes++;
	return 0;
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
		r = dir_entry_parse(ls->ls_ld, msg, s->kind, s->schema, &e);
		if (r == 0)
			r = model_put(s, uuid, e);
		if (r < 0)
			s->error = r;
		return r < 0 ? LDAP_NO_MEMORY : LDAP_SUCCESS;
	case LDAP_SYNC_CAPI_DELETE:
		model_delete(s, uuid);
		return LDAP_SUCCESS;
	default:
		/* PRESENT: only sent when resuming from a cookie, which this agent never does. */
		return LDAP_SUCCESS;
	}
}

/* ldap_sync callback: a syncIdSet; deletions matter, presences need nothing here. */
static int on_intermediate(ldap_sync_t *ls, LDAPMessage *msg, BerVarray uuids,
			   ldap_sync_refresh_t phase)
{
	struct sync_session *s = ls->ls_private;
	size_t i;

	if (phase != LDAP_SYNC_CAPI_DELETES_IDSET || !uuids)
		return LDAP_SUCCESS;
	for (i = 0; uuids[i].bv_val; i++)
		model_delete(s, &uuids[i]);
	return LDAP_SUCCESS;
}

/*
 * ldap_sync callback: the server ended the search with success (refreshAndPersist should
 * not end, but some servers do after the refresh); libldap calls this only for success.
 */
static int on_result(ldap_sync_t *ls, LDAPMessage *msg, int refresh_deletes)
{
	struct sync_session *s = ls->ls_private;

	s->ended = true;
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

int sync_session_start(struct sync_session *s, const struct hostiam_config *cfg, enum dir_kind kind,
		       const struct dir_schema *schema, const char *prefer,
		       void (*on_connect)(struct sync_session *s, int fd), char *err,
		       size_t err_len)
{
	char desc[300];
	int r, rc;

	s->kind = kind;
	s->schema = schema;
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
	/* Blocks until the refresh is done: the caller's watchdog bounds a silent server. */
	rc = ldap_sync_init(&s->ls, LDAP_SYNC_REFRESH_AND_PERSIST);
	/* From now on poll() says when to look; ldap_sync_poll must never wait itself. */
	s->ls.ls_timeout = 0;
	if (rc == LDAP_SUCCESS && s->error == 0)
		return s->ended ? SYNC_SESSION_ENDED : 0;
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

static struct dir_entry **walk_out; /* twalk has no context argument */
static size_t walk_n;

/* twalk callback: collect each node's entry once. */
static void collect(const void *p, VISIT which, int depth)
{
	if (which == postorder || which == leaf)
		walk_out[walk_n++] = (*(struct node *const *)p)->e;
}

int sync_session_entries(const struct sync_session *s, struct dir_entry ***out, size_t *n)
{
	walk_out = malloc((s->n + 1) * sizeof(*walk_out));
	if (!walk_out)
		return HOSTIAM_ERR_NOMEM;
	walk_n = 0;
	twalk(s->model, collect);
	*out = walk_out;
	*n = walk_n;
	walk_out = NULL;
	return 0;
}

void sync_session_stop(struct sync_session *s)
{
	/* ldap_sync_destroy would unbind too: the connection is closed here, once. */
	s->ls.ls_ld = NULL;
	ldap_sync_destroy(&s->ls, 0);
	dir_conn_close(&s->conn);
	tdestroy(s->model, free_node);
	s->model = NULL;
	s->n = 0;
	s->ended = false;
	s->error = 0;
}
