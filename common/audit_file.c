/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * <state_dir>/audit.jsonl: appended by every sshd, sudo and login process at once. Each
 * writer opens the file O_APPEND|O_NOFOLLOW, takes its exclusive flock, and then checks
 * that the file it locked is still the one at the path: a writer that rotated it while we
 * waited has renamed it to audit.jsonl.1, and we reopen. Only the holder of the current
 * file's lock rotates, so two rotations never interleave and no line lands in a file that
 * was already rotated away. One write() per line.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "audit.h"
#include "errors.h"
#include "state.h"

/* Reopen this often at most when the file keeps being rotated under us (each time, another
   writer made progress: a bound, not a timeout). */
#define REOPEN_TRIES 100

/* Milliseconds a writer waits for the lock before the event is given up: a holder that
   hangs (a stuck disk, a stopped process) must not hold every login with it. */
#define LOCK_WAIT_MS 2000

/* Open and check audit.jsonl in dfd, creating it 0600; 0 and *out, or an error. */
static int open_file(int dfd, int *out)
{
	int fd, r;

	fd = openat(dfd, HOSTIAM_AUDIT_FILE,
		    O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK,
		    0600);
	if (fd < 0)
		return errno == ELOOP ? HOSTIAM_ERR_INSECURE_FILE : HOSTIAM_ERR_SYSTEM;
	if ((r = hostiam_state_check_file(fd, HOSTIAM_AUDIT_FILE)) < 0) {
		close(fd);
		return r;
	}
	*out = fd;
	return 0;
}

/* Lock fd; 1 when it is still the file at the path, 0 when it was rotated away. */
static int lock_current(int dfd, int fd, struct stat *st)
{
	struct stat at;

	const struct timespec pause = { 0, 1000000 };
	int waited = 0;

	while (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		if (errno == EINTR)
			continue;
		if (errno != EWOULDBLOCK || waited++ >= LOCK_WAIT_MS)
			return HOSTIAM_ERR_SYSTEM;
		nanosleep(&pause, NULL);
	}
	if (fstat(fd, st) < 0)
		return HOSTIAM_ERR_SYSTEM;
	if (fstatat(dfd, HOSTIAM_AUDIT_FILE, &at, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0 : HOSTIAM_ERR_SYSTEM;
	return at.st_dev == st->st_dev && at.st_ino == st->st_ino;
}

/* NAME.(keep-1) -> NAME.keep ... NAME -> NAME.1; the oldest beyond keep is replaced. */
static int rotate(int dfd, int keep)
{
	char from[64], to[64];
	int i;

	for (i = keep - 1; i >= 1; i--) {
		snprintf(from, sizeof(from), "%s.%d", HOSTIAM_AUDIT_FILE, i);
		snprintf(to, sizeof(to), "%s.%d", HOSTIAM_AUDIT_FILE, i + 1);
		if (renameat(dfd, from, dfd, to) < 0 && errno != ENOENT)
			return HOSTIAM_ERR_SYSTEM;
	}
	snprintf(to, sizeof(to), "%s.1", HOSTIAM_AUDIT_FILE);
	if (renameat(dfd, HOSTIAM_AUDIT_FILE, dfd, to) < 0)
		return HOSTIAM_ERR_SYSTEM;
	return 0;
}

/* One try: open, lock, rotate or write. 1 when the caller must try again. */
static int append_once(int dfd, const struct hostiam_audit_config *ac, const char *line, size_t len)
{
	struct stat st;
	ssize_t n;
	int fd, r;

	if ((r = open_file(dfd, &fd)) < 0)
		return r;
	r = lock_current(dfd, fd, &st);
	if (r <= 0) {
		r = r == 0 ? 1 : r;
		goto out;
	}
	if (st.st_size > 0 &&
	    (unsigned long long)st.st_size + len > (unsigned long long)ac->max_size) {
		r = rotate(dfd, ac->keep);
		r = r == 0 ? 1 : r; /* then write to the new file */
		goto out;
	}
	do
		n = write(fd, line, len);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		r = HOSTIAM_ERR_SYSTEM;
	else if ((size_t)n != len)
		r = (errno = EIO, HOSTIAM_ERR_SYSTEM);
	else
		r = 0;
out:
	close(fd); /* drops the lock */
	return r;
}

/* See audit.h. */
int hostiam_audit_file_append(const char *state_dir, const struct hostiam_audit_config *ac,
			      const char *line, size_t len)
{
	int dfd, r = 1, tries;

	if (state_dir == NULL || ac == NULL || line == NULL || ac->keep < 1)
		return HOSTIAM_ERR_INVALID_ARG;
	if ((r = hostiam_state_dir_open(state_dir, true, &dfd)) < 0)
		return r;
	for (tries = 0; tries < REOPEN_TRIES; tries++)
		if ((r = append_once(dfd, ac, line, len)) != 1)
			break;
	close(dfd);
	if (r == 1) {
		errno = EAGAIN; /* rotated under us every time: something is wrong */
		r = HOSTIAM_ERR_SYSTEM;
	}
	return r;
}
