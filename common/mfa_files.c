/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Checked file access for MFA secrets. The pam_oath CVE-2024-47191 pattern — root
 * following a symlink that a user planted — is ruled out twice: nothing is opened through
 * a symlink (O_NOFOLLOW, relative to an already checked directory), and every directory
 * and file is checked after opening to be root's (or ours) and closed to other users.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "errors.h"
#include "file_io.h"
#include "log.h"
#include "mfa_files.h"

/* StrictModes for one open file or directory. */
int mfa_check_fd(int fd, bool want_dir, mode_t forbid, const char *what, const char *name)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return HOSTIAM_ERR_SYSTEM;
	if (want_dir ? !S_ISDIR(st.st_mode) : !S_ISREG(st.st_mode)) {
		hostiam_log(LOG_ERR, "MFA %s refused: not a %s path=%s", what,
			    want_dir ? "directory" : "regular file", name);
		return HOSTIAM_ERR_INSECURE_FILE;
	}
	if (st.st_uid != 0 && st.st_uid != geteuid()) {
		hostiam_log(LOG_ERR, "MFA %s refused: owned by uid %u, not by root path=%s", what,
			    (unsigned)st.st_uid, name);
		return HOSTIAM_ERR_INSECURE_FILE;
	}
	if ((st.st_mode & forbid) != 0) {
		hostiam_log(LOG_ERR, "MFA %s refused: mode 0%o is open to other users path=%s",
			    what, (unsigned)(st.st_mode & 07777), name);
		return HOSTIAM_ERR_INSECURE_FILE;
	}
	return 0;
}

/* A failed open: a symlink in the way is an attack or a mistake, never "missing". */
static int open_failed(const char *what, const char *name)
{
	int e = errno;

	if (e == ENOENT)
		return HOSTIAM_ERR_NOT_FOUND;
	if (e == ELOOP || e == ENOTDIR || e == EMLINK) {
		hostiam_log(LOG_ERR, "MFA %s refused: a symlink or not a directory path=%s", what,
			    name);
		return HOSTIAM_ERR_INSECURE_FILE;
	}
	/* Say which file, not just "system error" (a non-root `check`, a full disk). */
	hostiam_log(LOG_ERR, "cannot read MFA %s %s: %s", what, name, strerror(e));
	errno = e;
	return HOSTIAM_ERR_SYSTEM;
}

/* The directory itself is never followed if it is a symlink. */
int mfa_open_dir(int at, const char *name, const char *shown, bool create, mode_t forbid,
		 const char *what, int *out)
{
	int fd, r;

	if (create && mkdirat(at, name, 0700) < 0 && errno != EEXIST)
		return HOSTIAM_ERR_SYSTEM;
	fd = openat(at, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return open_failed(what, shown);
	if ((r = mfa_check_fd(fd, true, forbid, what, shown)) < 0) {
		close(fd);
		return r;
	}
	*out = fd;
	return 0;
}

/* Read exactly len bytes; a short file (changed under us) is an error. */
static int read_exact(int fd, char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = read(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return HOSTIAM_ERR_SYSTEM;
		if (n == 0)
			return HOSTIAM_ERR_CACHE_CORRUPT;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Size from fstat, then one byte more to prove the file did not grow. */
int mfa_read_file(int at, const char *name, const char *shown, const char *what, size_t max,
		  char **text, size_t *len)
{
	struct stat st;
	char *buf = NULL, extra;
	size_t size = 0;
	int fd, r;

	fd = openat(at, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return open_failed(what, shown);
	if ((r = mfa_check_fd(fd, false, 077, what, shown)) < 0)
		goto out;
	if (fstat(fd, &st) < 0) {
		r = HOSTIAM_ERR_SYSTEM;
		goto out;
	}
	if (st.st_size < 0 || (uintmax_t)st.st_size > max) {
		hostiam_log(LOG_ERR, "MFA %s refused: bigger than %zu bytes path=%s", what, max,
			    shown);
		r = HOSTIAM_ERR_CACHE_CORRUPT;
		goto out;
	}
	size = (size_t)st.st_size;
	if ((buf = malloc(size + 1)) == NULL) {
		r = HOSTIAM_ERR_NOMEM;
		goto out;
	}
	if ((r = read_exact(fd, buf, size)) < 0)
		goto out;
	if (read_exact(fd, &extra, 1) != HOSTIAM_ERR_CACHE_CORRUPT) {
		r = HOSTIAM_ERR_CACHE_CORRUPT;
		goto out;
	}
	buf[size] = '\0';
	*text = buf;
	*len = size;
	buf = NULL;
out:
	hostiam_secret_wipe(buf, size + 1);
	close(fd);
	return r;
}

/* The old file stays in place until the new one is complete and on disk. */
int mfa_replace_file(int dirfd, const char *name, const char *text, size_t len)
{
	return hostiam_replace_buf_at(dirfd, name, 0600, text, len);
}

/* state_dir and state_dir/mfa, both 0700 and root's. */
int mfa_open_enrolment_dir(const char *state_dir, bool create, int *out)
{
	char shown[PATH_MAX];
	int sfd, r;

	if ((r = mfa_open_dir(AT_FDCWD, state_dir, state_dir, create, 077, "state directory",
			      &sfd)) < 0)
		return r;
	snprintf(shown, sizeof(shown), "%s/mfa", state_dir);
	r = mfa_open_dir(sfd, "mfa", shown, create, 077, "enrolment directory", out);
	close(sfd);
	return r;
}
