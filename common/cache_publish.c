/*
 * Atomic publication of a cache file, and the "replaced" flag that tells readers of the
 * previous file to reopen without a system call on their side.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cache_format.h"
#include "cache_writer.h"
#include "errors.h"
#include "file_io.h"

/* Make the rename durable: fsync the directory that holds path. */
static int sync_dir(const char *path)
{
	char *dir = strdup(path), *slash;
	int fd, r = -1;

	if (!dir)
		return -1;
	slash = strrchr(dir, '/');
	if (!slash)
		strcpy(dir, ".");
	else if (slash == dir)
		dir[1] = '\0';
	else
		*slash = '\0';
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		r = fsync(fd);
		close(fd);
	}
	free(dir);
	return r;
}

/* The current file at path, opened to be flagged later, or -1 if it is not a cache. */
static int open_old(const char *path)
{
	int fd = open(path, O_RDWR | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	char magic[8];
	struct stat st;

	if (fd < 0)
		return -1;
	/* Only ever scribble on a regular file that is one of ours. */
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    pread(fd, magic, sizeof(magic), 0) != (ssize_t)sizeof(magic) ||
	    memcmp(magic, HC_MAGIC, sizeof(magic)) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Set the replaced flag of the old file: its readers see it through MAP_SHARED. */
static void flag_replaced(int fd)
{
	uint32_t one = 1;

	/* Best effort: a reader that misses it keeps serving the old, consistent data. */
	if (pwrite(fd, &one, sizeof(one), HC_REPLACED_OFFSET) != (ssize_t)sizeof(one))
		return;
}

/* Write image into a fresh temp file next to path; its name goes to tmp. */
static int write_temp(const char *path, const void *image, size_t len, char **tmp)
{
	size_t n = strlen(path) + sizeof(".tmp.XXXXXX");
	char *name = malloc(n);
	int fd, saved;

	if (!name)
		return HOSTIAM_ERR_NOMEM;
	snprintf(name, n, "%s.tmp.XXXXXX", path);
	if ((fd = mkostemp(name, O_CLOEXEC)) < 0) {
		free(name);
		return HOSTIAM_ERR_SYSTEM;
	}
	if (hostiam_write_all(fd, image, len) < 0 || fchmod(fd, 0644) < 0 || fsync(fd) < 0) {
		saved = errno;
		close(fd);
		unlink(name);
		free(name);
		errno = saved;
		return HOSTIAM_ERR_SYSTEM;
	}
	if (close(fd) < 0) {
		saved = errno;
		unlink(name);
		free(name);
		errno = saved;
		return HOSTIAM_ERR_SYSTEM;
	}
	*tmp = name;
	return 0;
}

int hostiam_cache_publish(const char *path, const void *image, size_t len)
{
	char *tmp = NULL;
	int old = -1, r, saved;

	if (!path || !image)
		return HOSTIAM_ERR_INVALID_ARG;
	if ((r = write_temp(path, image, len, &tmp)) < 0)
		return r;
	old = open_old(path);
	if (rename(tmp, path) < 0) {
		saved = errno;
		unlink(tmp);
		r = HOSTIAM_ERR_SYSTEM;
		errno = saved;
		goto out;
	}
	/*
	 * Flag at once after the rename (not before: a reader that reopens must find the new
	 * file), and before the slow directory fsync, so that a writer killed in between
	 * leaves no reader on the old file.
	 */
	if (old >= 0)
		flag_replaced(old);
	if (sync_dir(path) < 0)
		r = HOSTIAM_ERR_SYSTEM; /* published, but maybe not durable: say so */
out:
	saved = errno;
	if (old >= 0)
		close(old);
	free(tmp);
	errno = saved;
	return r;
}
