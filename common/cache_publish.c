/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Atomic publication of a cache or delta file, and the "replaced" flag that tells readers
 * of the previous file to reopen without a system call on their side.
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

#include "cache_build.h"
#include "cache_delta_format.h"
#include "cache_writer.h"
#include "errors.h"
#include "file_io.h"

/* The current file at path, opened to be flagged later, or -1 if it is not ours (magic). */
static int open_old(const char *path, const char *magic)
{
	int fd = open(path, O_RDWR | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	char head[8];
	struct stat st;

	if (fd < 0)
		return -1;
	/* Only ever scribble on a regular file that is one of ours. */
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    pread(fd, head, sizeof(head), 0) != (ssize_t)sizeof(head) ||
	    memcmp(head, magic, sizeof(head)) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Set the replaced flag of the old file: its readers see it through MAP_SHARED. */
static void flag_replaced(int fd, size_t offset)
{
	uint32_t one = 1;

	/* Best effort: a reader that misses it keeps serving the old, consistent data. */
	if (pwrite(fd, &one, sizeof(one), (off_t)offset) != (ssize_t)sizeof(one))
		return;
}

struct publish {
	int (*write)(int fd, void *ctx);
	void *wctx;
	int old; /* the file being replaced, or -1 */
	size_t flag_offset;
	void (*after)(void *ctx);
	void *ctx;
};

/* Writer for hostiam_replace_path(): the caller's. */
static int write_file(int fd, void *ctx)
{
	const struct publish *p = ctx;

	return p->write(fd, p->wctx);
}

/*
 * Flag at once after the rename (not before: a reader that reopens must find the new
 * file), and before the slow directory fsync, so that a writer killed in between leaves no
 * reader on the old file.
 */
static void renamed(void *ctx)
{
	const struct publish *p = ctx;

	if (p->old >= 0)
		flag_replaced(p->old, p->flag_offset);
	if (p->after)
		p->after(p->ctx);
}

/* A directory fsync that fails after the rename is reported: published, maybe not durable. */
int hc_publish_with(const char *path, int (*write)(int fd, void *wctx), void *wctx,
		    const char *magic, size_t flag_offset, void (*after)(void *ctx), void *ctx)
{
	struct publish p = { write, wctx, -1, flag_offset, after, ctx };
	struct hostiam_replace_ops ops = { write_file, renamed, &p };
	int r, saved;

	if (!path || !write)
		return HOSTIAM_ERR_INVALID_ARG;
	p.old = open_old(path, magic);
	r = hostiam_replace_path(path, 0644, &ops);
	saved = errno;
	if (p.old >= 0)
		close(p.old);
	errno = saved;
	return r;
}

struct image {
	const void *data;
	size_t len;
};

/* Writer of hc_publish: the image as it is. */
static int write_image(int fd, void *ctx)
{
	const struct image *im = ctx;

	return hostiam_write_all(fd, im->data, im->len) < 0 ? HOSTIAM_ERR_SYSTEM : 0;
}

int hc_publish(const char *path, const void *image, size_t len, const char *magic,
	       size_t flag_offset, void (*after)(void *ctx), void *ctx)
{
	struct image im = { image, len };

	if (!image)
		return HOSTIAM_ERR_INVALID_ARG;
	return hc_publish_with(path, write_image, &im, magic, flag_offset, after, ctx);
}

/*
 * After a full base is in place: its delta (for the base it replaced) is stale. Readers
 * ignore a stale delta anyway; removing it saves them the open and a later delta writer
 * from merging it. Before the directory fsync, which makes the removal durable too.
 */
static void remove_delta(void *ctx)
{
	char dpath[PATH_MAX];

	if ((size_t)snprintf(dpath, sizeof(dpath), "%s%s", (const char *)ctx, HC_DELTA_SUFFIX) <
	    sizeof(dpath))
		(void)unlink(dpath);
}

int hostiam_cache_publish(const char *path, const void *image, size_t len)
{
	return hc_publish(path, image, len, HC_MAGIC, HC_REPLACED_OFFSET, remove_delta,
			  (void *)path);
}

int hc_publish_cache_with(const char *path, int (*write)(int fd, void *wctx), void *wctx)
{
	return hc_publish_with(path, write, wctx, HC_MAGIC, HC_REPLACED_OFFSET, remove_delta,
			       (void *)path);
}
