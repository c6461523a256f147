/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A thread that follows one base: a change signal from syncrepl, then the whole base read
 * again through the spec's sync function (see base_follow.h). The sudo rules
 * (sudo_follow.c) and the grants (grants_follow.c) each have one.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>

#include "dir_conn.h"
#include "errors.h"
#include "base_follow.h"
#include "log.h"
#include "thread.h"

#define TICK_MS 250            /* the thread notices a stop within this */
#define DEBOUNCE_MS 100        /* changes arriving together are read together */
#define SPACING_MS 1000        /* at most one read of the base a second */
#define RETRY_MS 5000          /* after a read or a write that failed */
#define BACKOFF_MAX_MS 30000   /* between reconnections, at most */
#define REFRESH_SILENCE_MIN 30 /* seconds the refresh may take, at least */

/* Milliseconds on the monotonic clock. */
static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Sleep up to ms, returning early on a stop. */
static void nap(struct base_follower *f, long long ms)
{
	long long end = now_ms() + ms;

	while (!f->stopping && now_ms() < end)
		poll(NULL, 0, (int)(end - now_ms() < TICK_MS ? end - now_ms() : TICK_MS));
}

/* ldap_sync callbacks: after the refresh, any entry or id set is a change. */
static int on_entry(ldap_sync_t *ls, LDAPMessage *msg, struct berval *uuid,
		    ldap_sync_refresh_t phase)
{
	struct base_follower *f = ls->ls_private;

	f->changed = f->changed || f->refreshed;
	return LDAP_SUCCESS;
}

static int on_intermediate(ldap_sync_t *ls, LDAPMessage *msg, BerVarray uuids,
			   ldap_sync_refresh_t phase)
{
	struct base_follower *f = ls->ls_private;

	f->changed = f->changed || (f->refreshed && uuids != NULL);
	return LDAP_SUCCESS;
}

static int on_result(ldap_sync_t *ls, LDAPMessage *msg, int refresh_deletes)
{
	((struct base_follower *)ls->ls_private)->ended = true;
	return LDAP_SUCCESS;
}

static int on_reference(ldap_sync_t *ls, LDAPMessage *msg)
{
	return LDAP_SUCCESS;
}

/* Read the base through the spec; a failure is logged and retried later. */
static int read_base(struct base_follower *f)
{
	char err[1024];
	int r = f->spec->sync(f->cfg, f->conn.ld, &f->stopping, err, sizeof(err));

	if (r < 0 && !f->stopping)
		hostiam_log(LOG_ERR, "%s", err);
	return r;
}

/* The search: the spec's entries under the base, no attributes (the signal is enough). */
static int start_search(struct base_follower *f)
{
	const struct hostiam_directory_config *d = &f->cfg->directory;
	int silence = 6 * (d->timeout > 0 ? d->timeout : 5), rc;

	ldap_sync_initialize(&f->ls);
	f->ls.ls_ld = f->conn.ld;
	f->ls.ls_base = ber_strdup(f->spec->base(d));
	f->ls.ls_filter = ber_strdup(f->spec->filter);
	f->ls.ls_attrs = ber_memcalloc(2, sizeof(char *));
	if (!f->ls.ls_base || !f->ls.ls_filter || !f->ls.ls_attrs ||
	    !(f->ls.ls_attrs[0] = ber_strdup(LDAP_NO_ATTRS)))
		return LDAP_NO_MEMORY;
	f->ls.ls_scope = LDAP_SCOPE_SUBTREE;
	f->ls.ls_private = f;
	f->ls.ls_search_entry = on_entry;
	f->ls.ls_search_reference = on_reference;
	f->ls.ls_intermediate = on_intermediate;
	f->ls.ls_search_result = on_result;
	f->ls.ls_timeout = silence > REFRESH_SILENCE_MIN ? silence : REFRESH_SILENCE_MIN;
	f->refreshed = f->changed = f->ended = false;
	rc = ldap_sync_init(&f->ls, LDAP_SYNC_REFRESH_AND_PERSIST);
	/* From now on poll() says when to look; ldap_sync_poll must never wait itself. */
	f->ls.ls_timeout = 0;
	return rc;
}

/* Handle what the server sent without blocking (see sync_session_drain); -1 when lost. */
static int drain(struct base_follower *f)
{
	int rc, code, guard, idle = 0;

	for (guard = 0; guard < 100000 && idle < 2; guard++) {
		code = LDAP_SUCCESS;
		ldap_set_option(f->conn.ld, LDAP_OPT_RESULT_CODE, &code);
		rc = ldap_sync_poll(&f->ls);
		if (rc != LDAP_SUCCESS || f->ended)
			return -1;
		ldap_get_option(f->conn.ld, LDAP_OPT_RESULT_CODE, &code);
		idle = code == LDAP_TIMEOUT ? idle + 1 : 0;
	}
	return 0;
}

/* Follow the search: on a change, read the base again (debounced, spaced). */
static void persist(struct base_follower *f)
{
	long long due = -1, last = now_ms();

	while (!f->stopping) {
		struct pollfd p = { dir_conn_fd(&f->conn), POLLIN, 0 };

		poll(&p, 1, TICK_MS);
		if (drain(f) < 0 || f->stopping)
			break;
		if (f->changed && due < 0)
			due = now_ms() + DEBOUNCE_MS;
		if (due >= 0 && due < last + SPACING_MS)
			due = last + SPACING_MS;
		if (due >= 0 && now_ms() >= due) {
			f->changed = false;
			last = now_ms();
			due = read_base(f) < 0 ? last + RETRY_MS : -1;
		}
	}
	if (!f->stopping)
		hostiam_log(LOG_WARNING, "%s: lost the directory; reconnecting", f->spec->what);
}

/* Close the search and the connection. */
static void disconnect(struct base_follower *f)
{
	f->ls.ls_ld = NULL; /* ldap_sync_destroy would unbind: closed once, below */
	ldap_sync_destroy(&f->ls, 0);
	dir_conn_close(&f->conn);
	memset(&f->conn, 0, sizeof(f->conn));
}

/* The answers of a server that will not run this search however often it is asked. */
static bool cannot_follow(int rc)
{
	return rc == LDAP_UNAVAILABLE_CRITICAL_EXTENSION || rc == LDAP_UNWILLING_TO_PERFORM ||
		rc == LDAP_SIZELIMIT_EXCEEDED || rc == LDAP_ADMINLIMIT_EXCEEDED ||
		rc == LDAP_PROTOCOL_ERROR || rc == LDAP_INSUFFICIENT_ACCESS ||
		rc == LDAP_NO_SUCH_OBJECT;
}

/* One connection: refresh, read, follow; the delay before the next one in ms. */
static long long round_once(struct base_follower *f, long long backoff)
{
	char err[1024];
	int rc;

	if (dir_conn_open(&f->cfg->directory, &f->conn, err, sizeof(err)) < 0) {
		hostiam_log(LOG_WARNING, "%s: cannot reach the directory: %s", f->spec->what, err);
		return backoff;
	}
	rc = start_search(f);
	if (rc == LDAP_SUCCESS && !f->ended) {
		f->refreshed = true;
		hostiam_log(LOG_INFO, "following the %s base=%s server=%s", f->spec->what,
			    f->spec->base(&f->cfg->directory), f->conn.uri);
		read_base(f);
		persist(f);
		backoff = -1;
	} else if (!cannot_follow(rc) && !f->ended) {
		hostiam_log(LOG_WARNING, "%s: the sync search failed (%s) server=%s", f->spec->what,
			    ldap_err2string(rc), f->conn.uri);
	} else {
		/* No syncrepl here (or the search ended): read now, again after refresh. */
		hostiam_log(LOG_NOTICE, "%s cannot be followed (%s); read every %d s base=%s",
			    f->spec->what, ldap_err2string(rc), f->cfg->directory.refresh,
			    f->spec->base(&f->cfg->directory));
		read_base(f);
		backoff = (long long)f->cfg->directory.refresh * 1000;
	}
	disconnect(f);
	return backoff;
}

/* The thread: rounds until a stop, backing off while the directory is away. */
static void *run(void *arg)
{
	struct base_follower *f = arg;
	long long backoff = 1000, delay;

	hostiam_log_set_sink(f->sink, f->sink_ctx);
	while (!f->stopping) {
		delay = round_once(f, backoff);
		if (delay < 0) { /* followed until the connection broke: start over quickly */
			backoff = 1000;
			delay = backoff;
		} else if (delay == backoff) {
			backoff = backoff * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : backoff * 2;
		}
		nap(f, delay);
	}
	return NULL;
}

int base_follow_start(struct base_follower *f, const struct base_follow_spec *spec,
		      const struct hostiam_config *cfg, hostiam_log_fn sink, void *ctx)
{
	int rc;

	if (!spec->base(&cfg->directory) || atomic_load(&f->running))
		return 0;
	memset(f, 0, sizeof(*f));
	f->spec = spec;
	f->cfg = cfg;
	f->sink = sink;
	f->sink_ctx = ctx;
	f->stopping = 0;
	/* Signals stay with the main thread: its handlers stop the agent. */
	rc = hostiam_thread_spawn(&f->thread, run, f);
	if (rc != 0) {
		errno = rc;
		return HOSTIAM_ERR_SYSTEM;
	}
	atomic_store(&f->running, true);
	return 0;
}

void base_follow_stop(struct base_follower *f)
{
	struct timespec deadline;

	if (!atomic_load(&f->running))
		return;
	f->stopping = 1;
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_nsec += 500000000L;
	deadline.tv_sec += 1 + deadline.tv_nsec / 1000000000L;
	deadline.tv_nsec %= 1000000000L;
	if (pthread_timedjoin_np(f->thread, NULL, &deadline) != 0)
		pthread_detach(f->thread);
	atomic_store(&f->running, false);
}

bool base_follow_active(struct base_follower *f)
{
	return atomic_load(&f->running);
}
