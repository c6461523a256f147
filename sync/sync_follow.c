/* SPDX-License-Identifier: BSD-2-Clause */
/* The agent's main loop: follow, debounce and publish; reconnect; fall back; stop cleanly. */
#include "config.h"

#include <errno.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "errors.h"
#include "log.h"
#include "grants_follow.h"
#include "sudo_follow.h"
#include "sync_follow.h"
#include "sync_full.h"
#include "sync_incremental.h"
#include "sync_lock.h"
#include "sync_publish.h"
#include "sync_session.h"
#include "sync_state.h"
#include "sync_watchdog.h"

#define DEBOUNCE_MS 50         /* changes arriving together are published together */
#define TICK_MS 500            /* the loop notices a signal within this */
#define BACKOFF_MAX 30         /* seconds between reconnection attempts, at most */
#define RETRY_PUBLISH_MS 5000  /* after a failed write (not a refusal) */
#define REFRESH_FAILURES_MAX 3 /* failed refreshes in a row before full syncs */
#define REFRESH_SILENCE_MIN 30 /* seconds a refresh may go without an entry, at least */

static volatile sig_atomic_t stop_requested;

/* SIGTERM/SIGINT: ask the loop to stop and unblock a refresh in progress. */
static void on_stop(int sig)
{
	stop_requested = 1;
	sync_watchdog_cut();
}

/* Install the handlers; no SA_RESTART for stops so that poll() returns at once. */
static void install_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_stop;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
}

/* Milliseconds on the monotonic clock. */
static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Sleep up to ms, returning early when a stop is requested. */
static void nap(long long ms)
{
	long long end = now_ms() + ms;

	while (!stop_requested && now_ms() < end) {
		long long left = end - now_ms();

		poll(NULL, 0, (int)(left < TICK_MS ? left : TICK_MS));
	}
}

/* Remember a session's socket for the stop handler and the watchdog. */
static void watch_fd(struct sync_session *s, int fd)
{
	sync_watchdog_watch(s->kind == DIR_USER ? 0 : 1, fd);
}

static int log_to_stderr;

/*
 * Whether the agent's lines go to stderr besides syslog: yes unless stderr is the journal,
 * which gets syslog's copy already (a terminal, a container runtime or another supervisor
 * collecting stderr wants them). HOSTIAM_LOG_STDERR overrides: "0" no, anything else yes.
 */
static int agent_logs_to_stderr(void)
{
	const char *force = getenv("HOSTIAM_LOG_STDERR");

	if (force && *force)
		return strcmp(force, "0") != 0;
	return !hostiam_log_stderr_is_journal();
}

/* Log lines go to syslog (authpriv); also to stderr unless that is the journal. */
static void agent_sink(int priority, const char *line, void *ctx)
{
	hostiam_log_syslog(priority, line, NULL);
	if (log_to_stderr)
		hostiam_log_stderr(priority, line, NULL);
}

/*
 * Record the models and cookies the cache just published was built from, for a restart.
 * A crash before this leaves the previous sync.state, whose generation no longer matches
 * the cache: the next start refreshes in full. A failure removes the file for the same end.
 */
static void save_state(const struct hostiam_config *cfg, const struct sync_session *s)
{
	uint64_t gen = sync_cache_base_generation(cfg->cache.nss_path);
	int r = sync_state_save(cfg, gen, s);

	if (r < 0) {
		hostiam_log(
			LOG_WARNING,
			"cannot record the sync state (a restart will refresh in full): %s dir=%s",
			hostiam_strerror(r), cfg->cache.dir);
		sync_state_remove(cfg);
	}
}

/* Resolve both models in full and publish; 0 or a HOSTIAM_ERR_*, with the reason in err. */
static int publish_full(const struct hostiam_config *cfg, struct sync_session *s, bool force,
			struct sync_incr *incr, char *err, size_t err_len)
{
	struct dir_entry **users = NULL, **groups = NULL;
	size_t nu = 0, ng = 0;
	int r;

	r = sync_session_entries(&s[0], &users, &nu);
	if (r == 0)
		r = sync_session_entries(&s[1], &groups, &ng);
	sync_incr_before_full(incr);
	if (r == 0)
		r = sync_resolve_publish(cfg, users, nu, groups, ng, s[0].conn.uri, force, err,
					 err_len);
	/* After the cache, under the same lock: the cookie never gets ahead of the cache. */
	if (r == 0)
		save_state(cfg, s);
	if (r == 0 && sync_incr_after_full(incr, s) < 0)
		sync_incr_reset(incr);
	free(users);
	free(groups);
	/* The resolver's tables, the cache image and the state buffer were freed: hand their
	   pages back, or the agent keeps the peak of a full publish resident while it idles. */
#ifdef __GLIBC__
	malloc_trim(0);
#endif
	return r;
}

/*
 * Publish what changed: as a delta when the journals allow it (sync_incremental.h), else
 * in full. 0 or a HOSTIAM_ERR_*. Either way the journals start again empty; after a
 * failure the next publish is full.
 */
static int publish(const struct hostiam_config *cfg, struct sync_session *s, bool force,
		   struct sync_incr *incr)
{
	char err[1024] = "";
	int r, lock = -1;

	/* Read the current generation, write, flag the old file: one publisher at a time. */
	r = sync_lock_take(cfg, &stop_requested, &lock, err, sizeof(err));
	if (r == 0)
		r = sync_incr_publish(incr, cfg, s, err, sizeof(err));
	if (r == SYNC_INCR_FULL)
		r = publish_full(cfg, s, force, incr, err, sizeof(err));
	sync_lock_release(lock);
	sync_journal_clear(&s[0].journal);
	sync_journal_clear(&s[1].journal);
	if (r < 0) {
		sync_incr_reset(incr);
		hostiam_log(LOG_ERR, "not published: %s",
			    r == HOSTIAM_ERR_NOMEM ? hostiam_strerror(r) : err);
	}
	return r;
}

/* Follow both sessions until the connection breaks or a stop is requested. */
static int persist(const struct hostiam_config *cfg, struct sync_session *s, bool force,
		   struct sync_incr *incr)
{
	unsigned long seen = s[0].changes + s[1].changes;
	long long due = -1;
	int r = 0, i;

	s[0].journal.on = s[1].journal.on = true;
	while (!stop_requested) {
		struct pollfd p[2] = { { sync_session_fd(&s[0]), POLLIN, 0 },
				       { sync_session_fd(&s[1]), POLLIN, 0 } };
		long long wait = due < 0 ? TICK_MS : due - now_ms();

		poll(p, 2, (int)(wait < 0 ? 0 : wait > TICK_MS ? TICK_MS : wait));
		/* Drained every round, not only on revents: see sync_session_drain. */
		for (i = 0; i < 2 && r == 0; i++)
			r = sync_session_drain(&s[i]);
		if (r < 0 || stop_requested)
			break;
		if (s[0].changes + s[1].changes != seen && due < 0)
			due = now_ms() + DEBOUNCE_MS;
		if (due >= 0 && now_ms() >= due) {
			seen = s[0].changes + s[1].changes;
			r = publish(cfg, s, force, incr);
			due = r < 0 && r != HOSTIAM_ERR_SHRINK ? now_ms() + RETRY_PUBLISH_MS : -1;
			r = 0;
		}
	}
	s[0].journal.on = s[1].journal.on = false;
	sync_journal_clear(&s[0].journal);
	sync_journal_clear(&s[1].journal);
	return r;
}

/*
 * Seconds a refresh may send nothing before it is cut off. Longer than the per-operation
 * timeout: a large unindexed refresh can take a while before its first entry.
 */
static int refresh_silence(const struct hostiam_config *cfg)
{
	int t = cfg->directory.timeout > 0 ? cfg->directory.timeout : 5;

	return 6 * t > REFRESH_SILENCE_MIN ? 6 * t : REFRESH_SILENCE_MIN;
}

/*
 * Connect and refresh both sessions; 0 (both persisting), SYNC_SESSION_ENDED (both
 * models complete, at least one search over), SYNC_SESSION_NO_SYNCREPL or a HOSTIAM_ERR_*.
 */
static int start(const struct hostiam_config *cfg, struct sync_session *s,
		 const struct dir_schema *schema)
{
	char err[1024] = "";
	int r = 0, rs, i;

	for (i = 0; i < 2 && r >= 0 && r != SYNC_SESSION_NO_SYNCREPL && !stop_requested; i++) {
		s[i].progress = &sync_watchdog_progress;
		sync_watchdog_arm(refresh_silence(cfg));
		/* The groups follow the users' server: one replica's view, not two. */
		rs = sync_session_start(&s[i], cfg, i == 0 ? DIR_USER : DIR_GROUP, schema,
					i == 0 ? NULL : s[0].conn.uri, watch_fd, err, sizeof(err));
		sync_watchdog_arm(0);
		r = rs == 0 ? r : rs;
	}
	if (r < 0 && !stop_requested)
		hostiam_log(LOG_WARNING, "cannot follow the directory: %s", err);
	return r;
}

/* Close both connections and forget their sockets; the models and cookies stay. */
static void stop_sessions(struct sync_session *s)
{
	sync_watchdog_watch(0, -1);
	sync_watchdog_watch(1, -1);
	sync_session_stop(&s[0]);
	sync_session_stop(&s[1]);
}

/* One line per refresh: resumed from the cookie or full, and what the server sent. */
static void log_refresh(const struct sync_session *s)
{
	const char *mode = s->stale ? "full (the cookie was refused)" :
		s->resumed          ? "resumed from the cookie" :
				      "full";

	hostiam_log(LOG_INFO,
		    "sync refresh %s kind=%s entries=%lu deleted=%lu present=%lu total=%zu "
		    "server=%s",
		    mode, s->kind == DIR_USER ? "users" : "groups", s->got_entries, s->got_deletes,
		    s->got_presents, s->n, s->conn.uri);
}

/* Without syncrepl: one full sync now; the caller waits directory.refresh seconds. */
static void fallback(const struct hostiam_config *cfg, bool force, bool *announced)
{
	char err[1024];

	if (!*announced)
		hostiam_log(LOG_NOTICE,
			    "the directory cannot be followed (no syncrepl, or a limit)"
			    "; full sync every %d s",
			    cfg->directory.refresh);
	*announced = true;
	if (sync_full(cfg, force, &stop_requested, err, sizeof(err)) < 0)
		hostiam_log(LOG_ERR, "full sync failed: %s", err);
}

/* The agent's state between rounds. */
struct agent {
	const struct hostiam_config *cfg;
	bool force, announced;
	int backoff;  /* seconds before the next reconnection */
	int failures; /* failed or ended refreshes in a row */
	struct dir_schema schema;
	struct sync_session s[2];
	struct sync_incr incr; /* what a delta publish needs, set by each full publish */
};

/* Refresh, publish and follow until the connection breaks; the outcome of the refresh. */
static int follow_once(struct agent *a)
{
	int r = start(a->cfg, a->s, &a->schema);

	if ((r == 0 || r == SYNC_SESSION_ENDED) && !stop_requested) {
		log_refresh(&a->s[0]);
		log_refresh(&a->s[1]);
	}
	if (r == 0 && !stop_requested)
		hostiam_log(strcmp(a->s[0].conn.uri, a->s[1].conn.uri) ? LOG_WARNING : LOG_INFO,
			    "following the directory%s users_server=%s groups_server=%s",
			    strcmp(a->s[0].conn.uri, a->s[1].conn.uri) ? " (users and groups from "
									 "different servers)" :
									 "",
			    a->s[0].conn.uri, a->s[1].conn.uri);
	if ((r == 0 || r == SYNC_SESSION_ENDED) && !stop_requested) {
		a->announced = false;
		/* A failed publish is logged; following goes on and retries on change. */
		/* The first publish of a connection is full: a new base, and sync.state with it. */
		sync_incr_reset(&a->incr);
		publish(a->cfg, a->s, a->force, &a->incr);
	}
	if (r == 0 && !stop_requested) {
		a->backoff = 1;
		a->failures = 0;
		persist(a->cfg, a->s, a->force, &a->incr);
		if (!stop_requested)
			hostiam_log(LOG_WARNING, "lost the directory; reconnecting");
	} else if (r == SYNC_SESSION_ENDED && !stop_requested) {
		hostiam_log(LOG_WARNING,
			    "the directory ended the sync after its refresh "
			    "(published it); reconnecting server=%s",
			    a->s[0].conn.uri);
	}
	stop_sessions(a->s);
	return r;
}

/*
 * A delay drawn uniformly from [ceiling/2, ceiling] seconds, in ms: agents that lost the
 * same server in the same second come back spread over half the ceiling, not all at once,
 * and none sooner than half of it.
 */
static long long jittered_ms(int ceiling)
{
	unsigned int v;
	long long span = (long long)ceiling * 500;

	if (getrandom(&v, sizeof(v), GRND_NONBLOCK) != sizeof(v))
		v = (unsigned int)now_ms() ^ ((unsigned int)getpid() << 16);
	return span + (long long)(v % (unsigned int)(span + 1));
}

/* Wait before the next round: full syncs when syncrepl cannot be used, else backoff. */
static void between_rounds(struct agent *a, int r)
{
	long long delay;

	if (r != 0 && r != SYNC_SESSION_NO_SYNCREPL)
		a->failures++;
	if (a->failures == REFRESH_FAILURES_MAX && r != SYNC_SESSION_NO_SYNCREPL)
		hostiam_log(LOG_WARNING,
			    "syncrepl failed %d times in a row; falling back to full "
			    "syncs and trying syncrepl again after each",
			    a->failures);
	if (r == SYNC_SESSION_NO_SYNCREPL || a->failures >= REFRESH_FAILURES_MAX) {
		fallback(a->cfg, a->force, &a->announced);
		nap((long long)a->cfg->directory.refresh * 1000);
		return;
	}
	delay = jittered_ms(a->backoff);
	hostiam_log(LOG_INFO, "reconnecting in %lld ms (backoff up to %d s)", delay, a->backoff);
	nap(delay);
	a->backoff = a->backoff * 2 > BACKOFF_MAX ? BACKOFF_MAX : a->backoff * 2;
}

/* Seed both sessions from sync.state when it matches the cache and the configuration. */
static void load_state(const struct hostiam_config *cfg, struct sync_session *s)
{
	/* The base's: deltas published since are changes the resumed refresh sends again. */
	uint64_t gen = sync_cache_base_generation(cfg->cache.nss_path);
	char why[256] = "";
	int r = gen ? sync_state_load(cfg, gen, s, why, sizeof(why)) : HOSTIAM_ERR_NOT_FOUND;

	if (r == 0)
		hostiam_log(LOG_INFO,
			    "resuming from the stored sync state generation=%llu users=%zu "
			    "groups=%zu",
			    (unsigned long long)gen, s[0].n, s[1].n);
	else if (r == HOSTIAM_ERR_NOT_FOUND)
		hostiam_log(LOG_INFO, "no stored sync state; full refresh");
	else
		hostiam_log(LOG_NOTICE, "stored sync state not used (%s); full refresh", why);
}

int sync_follow(const struct hostiam_config *cfg, bool force)
{
	struct agent a = { .cfg = cfg, .force = force, .backoff = 1 };
	struct dir_policy policy;
	int r;

	openlog("hostiam", LOG_PID, LOG_AUTHPRIV);
	log_to_stderr = agent_logs_to_stderr();
	hostiam_log_set_sink(agent_sink, NULL);
	install_signals();
	if (sync_watchdog_start() < 0) {
		hostiam_log(LOG_ERR, "cannot start the refresh watchdog thread");
		return HOSTIAM_ERR_SYSTEM;
	}
	sync_schema(cfg, &a.schema, &policy);
	hostiam_log(LOG_INFO, "agent started");
	/* The sudo rules (directory.sudo) follow in a thread of their own: see sudo_follow.h. */
	if (sudo_follow_start(cfg, agent_sink, NULL) < 0)
		hostiam_log(LOG_ERR, "cannot start the sudo rules thread: %s", strerror(errno));
	/* So do the grants (directory.grants): see grants_follow.h. */
	if (grants_follow_start(cfg, agent_sink, NULL) < 0)
		hostiam_log(LOG_ERR, "cannot start the grants thread: %s", strerror(errno));
	load_state(cfg, a.s);
	while (!stop_requested) {
		r = follow_once(&a);
		if (stop_requested)
			break;
		between_rounds(&a, r);
	}
	sudo_follow_stop();
	grants_follow_stop();
	sync_session_forget(&a.s[0]);
	sync_session_forget(&a.s[1]);
	sync_incr_reset(&a.incr);
	hostiam_log(LOG_INFO, "agent stopped");
	closelog();
	return 0;
}
