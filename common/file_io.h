/* SPDX-License-Identifier: BSD-2-Clause */
/* Small file helpers shared by every writer in common/ (libc only). */
#ifndef HOSTIAM_FILE_IO_H
#define HOSTIAM_FILE_IO_H

#include <stddef.h>
#include <sys/types.h>

/* Write all len bytes of buf to fd, retrying short writes and EINTR: 0 or -1 with errno. */
int hostiam_write_all(int fd, const void *buf, size_t len);

/* The same at offset (pwrite: the file offset does not move). */
int hostiam_pwrite_all(int fd, const void *buf, size_t len, off_t offset);

/*
 * How hostiam_replace_at() fills and announces a new file. write streams the content into
 * fd (a fresh temp file, offset 0) and returns 0 or a negative HOSTIAM_ERR_*. renamed, if
 * not NULL, runs right after the rename and before the slower directory fsync (the cache
 * publisher flags the old file there). ctx is passed to both.
 */
struct hostiam_replace_ops {
	int (*write)(int fd, void *ctx);
	void (*renamed)(void *ctx);
	void *ctx;
};

/*
 * Atomically replace name (one path component) in the directory dirfd: write a new temp
 * file "<name>:tmp.<random>" (O_EXCL|O_NOFOLLOW, exactly mode whatever the umask), fsync
 * it, rename it over name, fsync dirfd. A symlink at name is replaced, never followed.
 * Readers see the old file or the new one, never a part. Returns 0; the writer's error;
 * HOSTIAM_ERR_INVALID_ARG; or HOSTIAM_ERR_SYSTEM (errno kept). Every failure before the
 * rename leaves no temp file and the old file untouched; a failure of the final directory
 * fsync is HOSTIAM_ERR_SYSTEM with the new file in place but perhaps not yet durable.
 */
int hostiam_replace_at(int dirfd, const char *name, mode_t mode,
		       const struct hostiam_replace_ops *ops);

/* hostiam_replace_at() with the content len bytes of buf. */
int hostiam_replace_buf_at(int dirfd, const char *name, mode_t mode, const void *buf, size_t len);

/*
 * hostiam_replace_at() for a path: its directory is opened (O_DIRECTORY) and the last
 * component replaced. Same returns, plus HOSTIAM_ERR_NOMEM.
 */
int hostiam_replace_path(const char *path, mode_t mode, const struct hostiam_replace_ops *ops);

#endif
