/* SPDX-License-Identifier: BSD-2-Clause */
/* Writing the sudoers fragment: unchanged files stay untouched; others go through visudo. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "errors.h"
#include "file_io.h"
#include "sudo_file.h"

#define SUDO_FILE_MODE 0440

/* Whether path is a regular file of ours, mode 0440, holding exactly text. */
static int same_file(const char *path, const char *text, size_t len)
{
	struct stat st;
	char *have = NULL;
	int fd, same = 0;

	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return 0;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == geteuid() &&
	    (st.st_mode & 07777) == SUDO_FILE_MODE && (size_t)st.st_size == len &&
	    (have = malloc(len + 1)) != NULL)
		same = read(fd, have, len + 1) == (ssize_t)len && memcmp(have, text, len) == 0;
	free(have);
	close(fd);
	return same;
}

struct install {
	const char *text;
	size_t len;
	char *why;
	size_t why_len;
	int checked; /* visudo's answer: 0, SUDO_FILE_REFUSED, or a HOSTIAM_ERR_* */
};

/* The writer: fill the temp file, then let visudo judge the same bytes before the rename. */
static int write_checked(int fd, void *ctx)
{
	struct install *in = ctx;

	if (hostiam_write_all(fd, in->text, in->len) < 0) {
		snprintf(in->why, in->why_len, "cannot write: %s", strerror(errno));
		return HOSTIAM_ERR_SYSTEM;
	}
	in->checked = sudo_visudo_check(in->text, in->len, in->why, in->why_len);
	return in->checked == 0 ? 0 : HOSTIAM_ERR_INVALID_ARG;
}

int sudo_file_install(const char *path, const char *text, size_t len, int *changed, char *why,
		      size_t why_len)
{
	struct install in = { text, len, why, why_len, 0 };
	struct hostiam_replace_ops ops = { .write = write_checked, .ctx = &in };
	int r;

	*changed = 0;
	why[0] = '\0';
	if (same_file(path, text, len))
		return 0;
	r = hostiam_replace_path(path, SUDO_FILE_MODE, &ops);
	if (r == 0) {
		*changed = 1;
		return 0;
	}
	if (in.checked != 0)
		return in.checked;
	if (!why[0])
		snprintf(why, why_len, "cannot replace %s: %s", path,
			 r == HOSTIAM_ERR_SYSTEM ? strerror(errno) : hostiam_strerror(r));
	return r;
}
