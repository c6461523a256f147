/* SPDX-License-Identifier: BSD-2-Clause */
/* The publish lock: flock on a file of the cache directory, bounded wait. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "errors.h"
#include "log.h"
#include "sync_lock.h"
#include "sync_publish.h"

#define LOCK_NAME ".sync.lock"
#define POLL_MS 100

/* Seconds on the monotonic clock. */
static time_t mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

/* Open (creating) the lock file at path: a regular file, never through a link. */
static int open_lock(const char *path, int *fd, char *err, size_t err_len)
{
	struct stat st;
	int f = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY, 0600);

	if (f < 0) {
		snprintf(err, err_len, "cannot open the sync lock %s: %s", path,
			 errno == ELOOP ? "it is a symbolic link" : strerror(errno));
		return errno == ELOOP ? HOSTIAM_ERR_INSECURE_FILE : HOSTIAM_ERR_SYSTEM;
	}
	if (fstat(f, &st) < 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, err_len, "the sync lock %s is not a regular file", path);
		close(f);
		return HOSTIAM_ERR_INSECURE_FILE;
	}
	*fd = f;
	return 0;
}

/* Wait for the lock on fd until deadline or stop; 0 once held. */
static int wait_lock(int fd, time_t deadline, const volatile sig_atomic_t *stop)
{
	bool announced = false;

	for (;;) {
		if (flock(fd, LOCK_EX | LOCK_NB) == 0)
			return 0;
		if (errno != EWOULDBLOCK && errno != EINTR)
			return HOSTIAM_ERR_SYSTEM;
		if (!announced)
			hostiam_log(LOG_NOTICE, "another sync is publishing; waiting");
		announced = true;
		if ((stop && *stop) || mono_now() >= deadline)
			return HOSTIAM_ERR_TIMEOUT;
		poll(NULL, 0, POLL_MS);
	}
}

int sync_lock_take(const struct hostiam_config *cfg, const volatile sig_atomic_t *stop, int *fd,
		   char *err, size_t err_len)
{
	int timeout = cfg->directory.timeout > 0 ? cfg->directory.timeout : 5;
	int max_wait = 2 * timeout + 30, f = -1, r;
	char path[4096];

	if (snprintf(path, sizeof(path), "%s/%s", cfg->cache.dir, LOCK_NAME) >= (int)sizeof(path))
		return HOSTIAM_ERR_INVALID_ARG;
	r = sync_make_dir(cfg->cache.dir);
	if (r < 0) {
		snprintf(err, err_len, "cannot create %s: %s", cfg->cache.dir, strerror(errno));
		return r;
	}
	r = open_lock(path, &f, err, err_len);
	if (r < 0)
		return r;
	r = wait_lock(f, mono_now() + max_wait, stop);
	if (r == HOSTIAM_ERR_TIMEOUT)
		snprintf(err, err_len, "%s: another sync held the lock for more than %d s path=%s",
			 stop && *stop ? "stopped while waiting" : "gave up waiting", max_wait,
			 path);
	else if (r < 0)
		snprintf(err, err_len, "cannot lock %s: %s", path, strerror(errno));
	if (r < 0) {
		close(f);
		return r;
	}
	*fd = f;
	return 0;
}

void sync_lock_release(int fd)
{
	if (fd >= 0)
		close(fd);
}
