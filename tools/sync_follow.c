/* The agent's main loop: follow, debounce and publish; reconnect; fall back; stop cleanly. */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "errors.h"
#include "log.h"
#include "sync_follow.h"
#include "sync_full.h"
#include "sync_lock.h"
#include "sync_session.h"

#define DEBOUNCE_MS 200                /* changes arriving together are published together */
#define TICK_MS 500                    /* the loop notices a signal within this */
#define BACKOFF_MAX 30                 /* seconds between reconnection attempts, at most */
#define RETRY_PUBLISH_MS 5000          /* after a failed write (not a refusal) */

static volatile sig_atomic_t stop_requested;
static volatile sig_atomic_t watched_fd[2] = { -1, -1 };
static volatile sig_atomic_t refresh_idle, refresh_progress, refresh_limit;

/* SIGTERM/SIGINT: ask the loop to stop and unblock a refresh in progress. */
static void on_stop(int sig)
{
	stop_requested = 1;
	if (watched_fd[0] >= 0)
		shutdown(watched_fd[0], SHUT_RDWR);
	if (watched_fd[1] >= 0)
		shutdown(watched_fd[1], SHUT_RDWR);
}

/* SIGALRM once a second during a refresh: a server silent for too long is cut off. */
static void on_tick(int sig)
{
	if (refresh_progress) {
		refresh_progress = 0;
		refresh_idle = 0;
		return;
	}
	if (++refresh_idle >= refresh_limit) {
		if (watched_fd[0] >= 0)
			shutdown(watched_fd[0], SHUT_RDWR);
		if (watched_fd[1] >= 0)
			shutdown(watched_fd[1], SHUT_RDWR);
	}
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
	sa.sa_handler = on_tick;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGALRM, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
}

/* Arm (seconds > 0) or disarm (0) the refresh watchdog. */
static void watchdog(int seconds)
{
	struct itimerval it = { { seconds ? 1 : 0, 0 }, { seconds ? 1 : 0, 0 } };

	refresh_idle = 0;
	refresh_progress = 0;
	refresh_limit = seconds;
	setitimer(ITIMER_REAL, &it, NULL);
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

/* Remember a session's socket for the signal handlers. */
static void watch_fd(struct sync_session *s, int fd)
{
	watched_fd[s->kind == DIR_USER ? 0 : 1] = fd;
}

static int log_to_stderr;

/* Log lines go to syslog (authpriv); also to stderr when someone is watching it. */
static void agent_sink(int priority, const char *line, void *ctx)
{
	hostiam_log_syslog(priority, line, NULL);
	if (log_to_stderr)
		hostiam_log_stderr(priority, line, NULL);
}

/* Resolve both models and publish; 0 or a HOSTIAM_ERR_*. */
static int publish(const struct hostiam_config *cfg, struct sync_session *s, bool force)
{
	struct dir_entry **users = NULL, **groups = NULL;
	size_t nu = 0, ng = 0;
	char err[1024];
	int r, lock = -1;

	r = sync_session_entries(&s[0], &users, &nu);
	if (r == 0)
		r = sync_session_entries(&s[1], &groups, &ng);
	/* Read the current generation, write, flag the old file: one publisher at a time. */
	if (r == 0)
		r = sync_lock_take(cfg, &stop_requested, &lock, err, sizeof(err));
	if (r == 0)
		r = sync_resolve_publish(cfg, users, nu, groups, ng, s[0].conn.uri, force, err,
					 sizeof(err));
	sync_lock_release(lock);
	if (r < 0)
		hostiam_log(LOG_ERR, "not published: %s", r == HOSTIAM_ERR_NOMEM ?
			    hostiam_strerror(r) : err);
	free(users);
	free(groups);
	return r;
}

/* Follow both sessions until the connection breaks or a stop is requested. */
static int persist(const struct hostiam_config *cfg, struct sync_session *s, bool force)
{
	unsigned long seen = s[0].changes + s[1].changes;
	long long due = -1;
	int r = 0, i;

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
			r = publish(cfg, s, force);
			due = r < 0 && r != HOSTIAM_ERR_SHRINK ? now_ms() + RETRY_PUBLISH_MS : -1;
			r = 0;
		}
	}
	return r;
}

/* Connect and refresh both sessions; 0, SYNC_SESSION_NO_SYNCREPL or a HOSTIAM_ERR_*. */
static int start(const struct hostiam_config *cfg, struct sync_session *s,
		 const struct dir_schema *schema)
{
	char err[1024] = "";
	int r, i;

	for (i = 0, r = 0; i < 2 && r == 0 && !stop_requested; i++) {
		s[i].progress = &refresh_progress;
		watchdog(cfg->directory.timeout > 0 ? cfg->directory.timeout : 5);
		r = sync_session_start(&s[i], cfg, i == 0 ? DIR_USER : DIR_GROUP, schema, watch_fd,
				       err, sizeof(err));
		watchdog(0);
	}
	if (r < 0 && !stop_requested)
		hostiam_log(LOG_WARNING, "cannot follow the directory: %s", err);
	return r;
}

/* Drop both sessions and forget their sockets. */
static void stop_sessions(struct sync_session *s)
{
	watched_fd[0] = watched_fd[1] = -1;
	sync_session_stop(&s[0]);
	sync_session_stop(&s[1]);
	memset(s, 0, 2 * sizeof(*s));
}

/* Without syncrepl: one full sync now; the caller waits directory.refresh seconds. */
static void fallback(const struct hostiam_config *cfg, bool force, bool *announced)
{
	char err[1024];

	if (!*announced)
		hostiam_log(LOG_NOTICE, "the directory cannot be followed (no syncrepl, or a limit)"
			    "; full sync every %d s", cfg->directory.refresh);
	*announced = true;
	if (sync_full(cfg, force, &stop_requested, err, sizeof(err)) < 0)
		hostiam_log(LOG_ERR, "full sync failed: %s", err);
}

int sync_follow(const struct hostiam_config *cfg, bool force)
{
	struct sync_session s[2];
	struct dir_schema schema;
	struct dir_policy policy;
	bool announced = false;
	int backoff = 1, r;

	openlog("hostiam", LOG_PID, LOG_AUTHPRIV);
	/* Tests and people at a terminal want the lines too; systemd's journal has syslog. */
	log_to_stderr = isatty(2) || getenv("HOSTIAM_LOG_STDERR") != NULL;
	hostiam_log_set_sink(agent_sink, NULL);
	install_signals();
	sync_schema(cfg, &schema, &policy);
	memset(s, 0, sizeof(s));
	hostiam_log(LOG_INFO, "agent started");
	while (!stop_requested) {
		r = start(cfg, s, &schema);
		if (r == 0 && !stop_requested) {
			announced = false;
			backoff = 1;
			hostiam_log(LOG_INFO, "following the directory server=%s", s[0].conn.uri);
			/* A failed publish is logged; following goes on and retries on change. */
			publish(cfg, s, force);
			r = persist(cfg, s, force);
			if (!stop_requested)
				hostiam_log(LOG_WARNING, "lost the directory; reconnecting");
		}
		stop_sessions(s);
		if (stop_requested)
			break;
		if (r == SYNC_SESSION_NO_SYNCREPL) {
			fallback(cfg, force, &announced);
			nap((long long)cfg->directory.refresh * 1000);
		} else {
			nap((long long)backoff * 1000);
			backoff = backoff * 2 > BACKOFF_MAX ? BACKOFF_MAX : backoff * 2;
		}
	}
	hostiam_log(LOG_INFO, "agent stopped");
	closelog();
	return 0;
}
