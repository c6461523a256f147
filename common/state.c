/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The per-user state store: <state_dir>/users/<user>, one small text record each (format in
 * state_record.c). Every path is opened relative to an already checked directory, never
 * following a symlink, and checked after opening (owner root or us, no group/other bits):
 * the PAM module trusts these records to decide logins. Updates hold an exclusive flock on
 * users/<user>:lock and replace the record by rename, so readers never see half a record
 * and need no lock. ':' cannot appear in a user name, so the lock and temporary files never
 * collide with a record.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "errors.h"
#include "file_io.h"
#include "log.h"
#include "names.h"
#include "state_internal.h"

/* Refuse what another user could have planted or may read: like sshd's StrictModes. */
static int check_secure(int fd, bool want_dir, const char *what, const char *name)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return HOSTIAM_ERR_SYSTEM;
	if (want_dir ? !S_ISDIR(st.st_mode) : !S_ISREG(st.st_mode)) {
		hostiam_log(LOG_ERR, "state %s refused: not a %s name=%s", what,
			    want_dir ? "directory" : "regular file", name);
		return HOSTIAM_ERR_INSECURE_FILE;
	}
	if ((st.st_uid != 0 && st.st_uid != geteuid()) || (st.st_mode & 077) != 0) {
		hostiam_log(LOG_ERR,
			    "state %s refused: must be owned by root and mode 0%o, is "
			    "uid %u mode 0%o name=%s",
			    what, want_dir ? 0700 : 0600, (unsigned)st.st_uid,
			    (unsigned)(st.st_mode & 07777), name);
		return HOSTIAM_ERR_INSECURE_FILE;
	}
	return 0;
}

/* The error for a failed openat: a symlink (or a non-directory) is insecure, not "missing". */
static int open_error(const char *what, const char *name)
{
	int e = errno;

	if (e == ENOENT)
		return HOSTIAM_ERR_NOT_FOUND;
	if (e == ELOOP || e == ENOTDIR) {
		hostiam_log(LOG_ERR, "state %s refused: a symlink or not a directory name=%s", what,
			    name);
		return HOSTIAM_ERR_INSECURE_FILE;
	}
	/* "system error" alone would leave the reader (a non-root `check`) guessing. */
	hostiam_log(LOG_ERR, "cannot read state %s %s: %s", what, name, strerror(e));
	errno = e;
	return HOSTIAM_ERR_SYSTEM;
}

/* Open (and with create, first make 0700) the directory name under at; checked. */
static int open_dir(int at, const char *name, bool create, int *out)
{
	int fd, r;

	if (create && mkdirat(at, name, 0700) < 0 && errno != EEXIST)
		return HOSTIAM_ERR_SYSTEM;
	fd = openat(at, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return open_error("directory", name);
	if ((r = check_secure(fd, true, "directory", name)) < 0) {
		close(fd);
		return r;
	}
	*out = fd;
	return 0;
}

/* See state.h: state_dir itself, checked as the records' directory is. */
int hostiam_state_dir_open(const char *state_dir, bool create, int *out)
{
	if (state_dir == NULL || out == NULL)
		return HOSTIAM_ERR_INVALID_ARG;
	return open_dir(AT_FDCWD, state_dir, create, out);
}

/* See state.h: an opened file of the state directory, checked as a record is. */
int hostiam_state_check_file(int fd, const char *name)
{
	return check_secure(fd, false, "file", name);
}

/* The checked users/ directory under state_dir; HOSTIAM_ERR_NOT_FOUND if absent and !create. */
static int open_users(const char *state_dir, bool create, int *out)
{
	int sfd, r;

	if ((r = open_dir(AT_FDCWD, state_dir, create, &sfd)) < 0)
		return r;
	r = open_dir(sfd, "users", create, out);
	close(sfd);
	return r;
}

/* Read user's record: zeros and !*found if there is none; *clean false if it was damaged. */
static int read_record(int ufd, const char *user, struct hostiam_user_state *st, bool *found,
		       bool *clean)
{
	char text[STATE_RECORD_MAX];
	ssize_t n;
	int fd, r;

	memset(st, 0, sizeof(*st));
	*found = false;
	*clean = true;
	fd = openat(ufd, user, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		r = open_error("record", user);
		return r == HOSTIAM_ERR_NOT_FOUND ? 0 : r;
	}
	if ((r = check_secure(fd, false, "record", user)) < 0)
		goto out;
	do
		n = read(fd, text, sizeof(text));
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		r = HOSTIAM_ERR_SYSTEM;
		goto out;
	}
	*found = true;
	*clean = state_record_parse(text, (size_t)n, st);
	if ((size_t)n == sizeof(text)) {
		/* More than any record holds: not one of ours, trust none of it. */
		memset(st, 0, sizeof(*st));
		*clean = false;
	}
	if (!*clean)
		hostiam_log(LOG_WARNING,
			    "state record is malformed; bad fields read as zero "
			    "until the next update user=%s",
			    user);
out:
	close(fd);
	return r;
}

/* Replace user's record with *st (hostiam_replace_at: temp file, fsync, rename, fsync). */
static int write_record(int ufd, const char *user, const struct hostiam_user_state *st)
{
	char text[STATE_RECORD_MAX];
	size_t len = state_record_format(st, text, sizeof(text));

	if (len == 0)
		return HOSTIAM_ERR_INTERNAL;
	return hostiam_replace_buf_at(ufd, user, 0600, text, len);
}

/* Take the exclusive per-user lock; *out is the fd to close to release it. */
static int lock_user(int ufd, const char *user, int *out)
{
	char name[HOSTIAM_NAME_MAX + 8];
	int fd, r;

	snprintf(name, sizeof(name), "%s:lock", user);
	fd = openat(ufd, name, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return open_error("lock file", name);
	if ((r = check_secure(fd, false, "lock file", name)) < 0) {
		close(fd);
		return r;
	}
	while ((r = flock(fd, LOCK_EX)) < 0 && errno == EINTR)
		;
	if (r < 0) {
		close(fd);
		return HOSTIAM_ERR_SYSTEM;
	}
	*out = fd;
	return 0;
}

/* Missing directory or record: all zeros. */
int hostiam_state_load(const char *state_dir, const char *user, struct hostiam_user_state *out)
{
	struct hostiam_user_state st;
	bool found, clean;
	int ufd, r;

	if (state_dir == NULL || out == NULL)
		return HOSTIAM_ERR_INVALID_ARG;
	if (!hostiam_valid_user_name(user))
		return HOSTIAM_ERR_INVALID_NAME;
	r = open_users(state_dir, false, &ufd);
	if (r == HOSTIAM_ERR_NOT_FOUND) {
		memset(out, 0, sizeof(*out));
		return 0;
	}
	if (r < 0)
		return r;
	r = read_record(ufd, user, &st, &found, &clean);
	close(ufd);
	if (r == 0)
		*out = st;
	return r;
}

/* Lock, read, fn, write back when fn says so or the record needs cleaning, unlock. */
int hostiam_state_update(const char *state_dir, const char *user,
			 int (*fn)(struct hostiam_user_state *st, void *ctx), void *ctx)
{
	struct hostiam_user_state st;
	int ufd = -1, lfd = -1, r;
	bool found, clean;

	if (state_dir == NULL || fn == NULL)
		return HOSTIAM_ERR_INVALID_ARG;
	if (!hostiam_valid_user_name(user))
		return HOSTIAM_ERR_INVALID_NAME;
	if ((r = open_users(state_dir, true, &ufd)) < 0)
		return r;
	if ((r = lock_user(ufd, user, &lfd)) < 0)
		goto out;
	if ((r = read_record(ufd, user, &st, &found, &clean)) < 0)
		goto out;
	r = fn(&st, ctx);
	if (r < 0)
		goto out;
	if (r == 0 || !clean) {
		int w = write_record(ufd, user, &st);

		if (w < 0)
			r = w;
	}
out:
	if (lfd >= 0)
		close(lfd);
	close(ufd);
	return r;
}
