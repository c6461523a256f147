/* SPDX-License-Identifier: BSD-2-Clause */
/* The bind password file: opened without following links, checked like sshd's StrictModes. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "errors.h"
#include "dir_password.h"

/* Refuse a file anyone but its owner could read, or one owned by an untrusted user. */
static int check_mode(const char *path, const struct stat *st, char *why, size_t why_len)
{
	if (!S_ISREG(st->st_mode)) {
		snprintf(why, why_len, "%s is not a regular file", path);
		return HOSTIAM_ERR_INSECURE_FILE;
	}
	if (st->st_uid != 0 && st->st_uid != geteuid()) {
		snprintf(why, why_len, "%s is owned by uid %u, not root", path,
			 (unsigned)st->st_uid);
		return HOSTIAM_ERR_INSECURE_FILE;
	}
	if (st->st_mode & (S_IRWXG | S_IRWXO)) {
		snprintf(why, why_len, "%s is group or world accessible (mode %04o); chmod 600 it",
			 path, (unsigned)(st->st_mode & 07777));
		return HOSTIAM_ERR_INSECURE_FILE;
	}
	return 0;
}

int dir_password_read(const char *path, char *buf, size_t len, char *why, size_t why_len)
{
	struct stat st;
	ssize_t n;
	size_t got = 0;
	int fd, r;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY);
	if (fd < 0) {
		snprintf(why, why_len, "cannot open %s: %s", path,
			 errno == ELOOP ? "it is a symbolic link" : strerror(errno));
		return errno == ELOOP ? HOSTIAM_ERR_INSECURE_FILE : HOSTIAM_ERR_SYSTEM;
	}
	r = fstat(fd, &st) < 0 ? HOSTIAM_ERR_SYSTEM : check_mode(path, &st, why, why_len);
	if (r == HOSTIAM_ERR_SYSTEM)
		snprintf(why, why_len, "cannot stat %s: %s", path, strerror(errno));
	while (r == 0 && (n = read(fd, buf + got, len - got)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			snprintf(why, why_len, "cannot read %s: %s", path, strerror(errno));
			r = HOSTIAM_ERR_SYSTEM;
		} else if ((got += (size_t)n) >= len) {
			snprintf(why, why_len, "%s is too long", path);
			r = HOSTIAM_ERR_TOO_SMALL;
		}
	}
	close(fd);
	if (r < 0) {
		explicit_bzero(buf, len);
		return r;
	}
	buf[got] = '\0';
	/* Editors add one newline at the end; a password may still end in other blanks. */
	if (got > 0 && buf[got - 1] == '\n')
		buf[--got] = '\0';
	if (strlen(buf) != got) {
		snprintf(why, why_len, "%s contains a NUL byte", path);
		explicit_bzero(buf, len);
		return HOSTIAM_ERR_INVALID_ARG;
	}
	return 0;
}
