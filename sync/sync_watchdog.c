/* SPDX-License-Identifier: BSD-2-Clause */
/* The refresh watchdog (one look a second, shutdown() when idle) and operation deadlines. */
#include "config.h"

#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <sys/socket.h>
#include <time.h>

#include "errors.h"
#include "sync_watchdog.h"
#include "thread.h"

atomic_ulong sync_watchdog_progress;
static atomic_int limit_s; /* 0: disarmed */
static atomic_int watched[2] = { -1, -1 };

void sync_watchdog_cut(void)
{
	int i, fd;

	for (i = 0; i < 2; i++)
		if ((fd = atomic_load(&watched[i])) >= 0)
			shutdown(fd, SHUT_RDWR);
}

/* The thread: counts idle seconds while armed and cuts the sockets at the limit. */
static void *watchdog_main(void *unused)
{
	struct timespec second = { 1, 0 };
	unsigned long last = 0;
	int idle = 0;

	(void)unused;
	for (;;) {
		unsigned long now;
		int limit;

		nanosleep(&second, NULL);
		limit = atomic_load(&limit_s);
		now = atomic_load(&sync_watchdog_progress);
		if (limit == 0 || now != last) {
			last = now;
			idle = 0;
		} else if (++idle >= limit) {
			sync_watchdog_cut();
			idle = 0;
		}
	}
	return NULL;
}

int sync_watchdog_start(void)
{
	static int started;
	pthread_t t;

	if (started)
		return 0;
	if (hostiam_thread_spawn(&t, watchdog_main, NULL) != 0)
		return HOSTIAM_ERR_SYSTEM;
	pthread_detach(t);
	started = 1;
	return 0;
}

void sync_watchdog_arm(int seconds)
{
	/* A new period starts now, whatever happened before it. */
	atomic_fetch_add(&sync_watchdog_progress, 1);
	atomic_store(&limit_s, seconds);
}

void sync_watchdog_watch(int slot, int fd)
{
	atomic_store(&watched[slot], fd);
}

/* True when the monotonic clock has reached at. */
static bool reached(const struct timespec *at)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec > at->tv_sec || (now.tv_sec == at->tv_sec && now.tv_nsec >= at->tv_nsec);
}

/* The deadline thread: sleeps until the deadline or the end; at the deadline, cuts fd. */
static void *deadline_main(void *arg)
{
	struct sync_deadline *dl = arg;

	pthread_mutex_lock(&dl->lock);
	while (!dl->ended) {
		if (!reached(&dl->at)) {
			pthread_cond_timedwait(&dl->cond, &dl->lock, &dl->at);
			continue;
		}
		/* Reading only: the unbind libldap writes afterwards must not raise SIGPIPE. */
		if (dl->fd >= 0 && !dl->fired) {
			shutdown(dl->fd, SHUT_RD);
			dl->fired = true;
		}
		pthread_cond_wait(&dl->cond, &dl->lock);
	}
	pthread_mutex_unlock(&dl->lock);
	return NULL;
}

int sync_deadline_start(struct sync_deadline *dl, int seconds)
{
	pthread_condattr_t attr;
	int rc;

	clock_gettime(CLOCK_MONOTONIC, &dl->at);
	dl->at.tv_sec += seconds;
	dl->fd = -1;
	dl->ended = false;
	dl->fired = false;
	if (pthread_condattr_init(&attr) != 0)
		return HOSTIAM_ERR_SYSTEM;
	/* The deadline is on the monotonic clock: setting the time must not move it. */
	rc = pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	if (rc == 0)
		rc = pthread_cond_init(&dl->cond, &attr);
	pthread_condattr_destroy(&attr);
	if (rc != 0)
		return HOSTIAM_ERR_SYSTEM;
	if (pthread_mutex_init(&dl->lock, NULL) != 0)
		goto fail_cond;
	if (hostiam_thread_spawn(&dl->thread, deadline_main, dl) != 0)
		goto fail_mutex;
	return 0;
fail_mutex:
	pthread_mutex_destroy(&dl->lock);
fail_cond:
	pthread_cond_destroy(&dl->cond);
	return HOSTIAM_ERR_SYSTEM;
}

void sync_deadline_rearm(struct sync_deadline *dl, int seconds)
{
	struct timespec at;

	clock_gettime(CLOCK_MONOTONIC, &at);
	at.tv_sec += seconds;
	/* No signal: the thread wakes at the earlier deadline, finds it moved and sleeps on. */
	pthread_mutex_lock(&dl->lock);
	dl->at = at;
	pthread_mutex_unlock(&dl->lock);
}

bool sync_deadline_fired(struct sync_deadline *dl)
{
	bool fired;

	pthread_mutex_lock(&dl->lock);
	fired = dl->fired;
	pthread_mutex_unlock(&dl->lock);
	return fired;
}

void sync_deadline_watch(struct sync_deadline *dl, int fd)
{
	pthread_mutex_lock(&dl->lock);
	dl->fd = fd;
	pthread_cond_signal(&dl->cond);
	pthread_mutex_unlock(&dl->lock);
}

bool sync_deadline_passed(const struct sync_deadline *dl)
{
	return reached(&dl->at);
}

bool sync_deadline_end(struct sync_deadline *dl)
{
	bool fired;

	pthread_mutex_lock(&dl->lock);
	dl->ended = true;
	pthread_cond_signal(&dl->cond);
	pthread_mutex_unlock(&dl->lock);
	pthread_join(dl->thread, NULL);
	fired = dl->fired;
	pthread_mutex_destroy(&dl->lock);
	pthread_cond_destroy(&dl->cond);
	return fired;
}
