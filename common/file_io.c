/* SPDX-License-Identifier: BSD-2-Clause */
/* Small file helpers shared by every writer in common/. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "errors.h"
#include "file_io.h"

/* Room for a longest name plus ":tmp.<8 hex digits>". */
#define TEMP_NAME_MAX (NAME_MAX + 16)

/* write (offset < 0) or pwrite at offset, all len bytes. */
static int write_at(int fd, const void *buf, size_t len, off_t offset)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t n = offset < 0 ? write(fd, p, len) : pwrite(fd, p, len, offset);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
		if (offset >= 0)
			offset += n;
	}
	return 0;
}

int hostiam_write_all(int fd, const void *buf, size_t len)
{
	return write_at(fd, buf, len, -1);
}

int hostiam_pwrite_all(int fd, const void *buf, size_t len, off_t offset)
{
	if (offset < 0) {
		errno = EINVAL;
		return -1;
	}
	return write_at(fd, buf, len, offset);
}

/*
 * A fresh temp file next to name, created exclusively and never through a symlink; its
 * name goes to tmp. ':' is in no user name, so the state store never takes it for a record.
 */
static int create_temp(int dirfd, const char *name, char tmp[TEMP_NAME_MAX])
{
	uint32_t rnd;
	int attempt, fd = -1;

	for (attempt = 0; attempt < 8; attempt++) {
		if (getrandom(&rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
			return -1;
		snprintf(tmp, TEMP_NAME_MAX, "%s:tmp.%08x", name, (unsigned)rnd);
		fd = openat(dirfd, tmp,
			    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY, 0600);
		if (fd >= 0 || errno != EEXIST)
			break;
	}
	return fd;
}

/* Fill the temp file, give it exactly mode (the umask may have taken bits), make it durable. */
static int fill_temp(int fd, mode_t mode, const struct hostiam_replace_ops *ops)
{
	int r = ops->write(fd, ops->ctx);

	if (r < 0)
		return r;
	if (fchmod(fd, mode) < 0 || fsync(fd) < 0)
		return HOSTIAM_ERR_SYSTEM;
	return 0;
}

int hostiam_replace_at(int dirfd, const char *name, mode_t mode,
		       const struct hostiam_replace_ops *ops)
{
	char tmp[TEMP_NAME_MAX];
	int fd, r, saved;

	if (dirfd < 0 || !name || !ops || !ops->write || !name[0] || strchr(name, '/') ||
	    strlen(name) > NAME_MAX || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return HOSTIAM_ERR_INVALID_ARG;
	if ((fd = create_temp(dirfd, name, tmp)) < 0)
		return HOSTIAM_ERR_SYSTEM;
	r = fill_temp(fd, mode, ops);
	if (close(fd) < 0 && r == 0)
		r = HOSTIAM_ERR_SYSTEM;
	/* rename(2) replaces a symlink at name itself: what it pointed to is never touched. */
	if (r == 0 && renameat(dirfd, tmp, dirfd, name) < 0)
		r = HOSTIAM_ERR_SYSTEM;
	if (r < 0) {
		saved = errno;
		unlinkat(dirfd, tmp, 0);
		errno = saved;
		return r;
	}
	if (ops->renamed)
		ops->renamed(ops->ctx);
	/* Without it a crash could bring the old name back after we said it was replaced. */
	return fsync(dirfd) < 0 ? HOSTIAM_ERR_SYSTEM : 0;
}

struct buf_ctx {
	const void *buf;
	size_t len;
};

/* The writer of hostiam_replace_buf_at(). */
static int write_buf(int fd, void *ctx)
{
	const struct buf_ctx *b = ctx;

	return hostiam_write_all(fd, b->buf, b->len) < 0 ? HOSTIAM_ERR_SYSTEM : 0;
}

int hostiam_replace_buf_at(int dirfd, const char *name, mode_t mode, const void *buf, size_t len)
{
	struct buf_ctx b = { buf, len };
	struct hostiam_replace_ops ops = { .write = write_buf, .ctx = &b };

	if (!buf && len > 0)
		return HOSTIAM_ERR_INVALID_ARG;
	return hostiam_replace_at(dirfd, name, mode, &ops);
}

int hostiam_replace_path(const char *path, mode_t mode, const struct hostiam_replace_ops *ops)
{
	const char *slash, *name;
	char *dir;
	int dfd, r, saved;

	if (!path || !path[0])
		return HOSTIAM_ERR_INVALID_ARG;
	slash = strrchr(path, '/');
	name = slash ? slash + 1 : path;
	if (!slash)
		dir = strdup(".");
	else if (slash == path)
		dir = strdup("/");
	else
		dir = strndup(path, (size_t)(slash - path));
	if (!dir)
		return HOSTIAM_ERR_NOMEM;
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(dir);
	if (dfd < 0)
		return HOSTIAM_ERR_SYSTEM;
	r = hostiam_replace_at(dfd, name, mode, ops);
	saved = errno;
	close(dfd);
	errno = saved;
	return r;
}
