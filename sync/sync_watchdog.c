/* A watchdog thread for the refresh phase: one look a second, shutdown() when idle. */
#include "config.h"

#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <time.h>

#include "errors.h"
#include "sync_watchdog.h"

atomic_ulong sync_watchdog_progress;
static atomic_int limit_s;             /* 0: disarmed */
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
	sigset_t all, old;
	pthread_t t;
	int rc;

	if (started)
		return 0;
	/* The thread inherits the mask: SIGTERM and friends must reach the main thread. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&t, NULL, watchdog_main, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0)
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
