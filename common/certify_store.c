/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The campaign files in <state_dir>/certify/: opened relative to a checked directory,
 * never through a symlink, refused unless owned by root (or us) with no group or other
 * bits, as the per-user records (state.c). One command at a time holds the directory's
 * flock, so a decide and a close never interleave.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "certify.h"
#include "errors.h"
#include "file_io.h"
#include "log.h"
#include "parse_num.h"

/* A campaign of HOSTIAM_CERTIFY_USERS_MAX users with long notes fits well under this. */
#define CAMPAIGN_FILE_MAX (64L * 1024 * 1024)

/* Refuse what another user could have planted or may read (state.c's rule). */
static int check_secure(int fd, bool dir, const char *name)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return HOSTIAM_ERR_SYSTEM;
	if ((dir ? !S_ISDIR(st.st_mode) : !S_ISREG(st.st_mode)) ||
	    (st.st_uid != 0 && st.st_uid != geteuid()) || (st.st_mode & 077) != 0) {
		hostiam_log(LOG_ERR,
			    "certification store refused: must be a %s owned by root, mode 0%o "
			    "name=%s",
			    dir ? "directory" : "regular file", dir ? 0700 : 0600, name);
		return HOSTIAM_ERR_INSECURE_FILE;
	}
	return 0;
}

/* openat that never follows a symlink, then checked; 0 and *out, or an error. */
static int open_checked(int at, const char *name, bool dir, int *out)
{
	int fd = openat(at, name,
			O_RDONLY | O_CLOEXEC | O_NOFOLLOW | (dir ? O_DIRECTORY : O_NONBLOCK));
	int r;

	if (fd < 0) {
		if (errno == ENOENT)
			return HOSTIAM_ERR_NOT_FOUND;
		if (errno == ELOOP || errno == ENOTDIR)
			return HOSTIAM_ERR_INSECURE_FILE;
		return HOSTIAM_ERR_SYSTEM;
	}
	if ((r = check_secure(fd, dir, name)) < 0) {
		close(fd);
		return r;
	}
	*out = fd;
	return 0;
}

/* See certify.h. */
int hostiam_certify_store_open(const char *state_dir, bool create, int *fd)
{
	int top, r;

	if (create && mkdir(state_dir, 0700) < 0 && errno != EEXIST)
		return HOSTIAM_ERR_SYSTEM;
	if ((r = open_checked(AT_FDCWD, state_dir, true, &top)) < 0)
		return r;
	if (create && mkdirat(top, "certify", 0700) < 0 && errno != EEXIST)
		r = HOSTIAM_ERR_SYSTEM;
	if (r == 0)
		r = open_checked(top, "certify", true, fd);
	close(top);
	if (r == 0 && flock(*fd, LOCK_EX) < 0) {
		close(*fd);
		r = HOSTIAM_ERR_SYSTEM;
	}
	return r;
}

/* See certify.h. */
void hostiam_certify_store_close(int fd)
{
	if (fd >= 0)
		close(fd); /* drops the lock */
}

/* "open", or "closed-ID" into buf. */
static const char *file_name(unsigned long id, char *buf, size_t len)
{
	if (id == 0)
		return "open";
	snprintf(buf, len, "closed-%lu", id);
	return buf;
}

/* Read the whole of the checked file fd into a new NUL-terminated *text. */
static int read_all(int fd, char **text, size_t *len)
{
	struct stat st;
	char *buf;
	size_t got = 0;

	if (fstat(fd, &st) < 0)
		return HOSTIAM_ERR_SYSTEM;
	if (st.st_size > CAMPAIGN_FILE_MAX)
		return HOSTIAM_ERR_INVALID_ARG;
	if ((buf = malloc((size_t)st.st_size + 1)) == NULL)
		return HOSTIAM_ERR_NOMEM;
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	buf[got] = '\0';
	*text = buf;
	*len = got;
	return 0;
}

/* See certify.h. */
int hostiam_certify_load(int dirfd, unsigned long id, struct hostiam_campaign *c)
{
	char name[40], *text = NULL;
	size_t len = 0;
	int fd, r;

	if ((r = open_checked(dirfd, file_name(id, name, sizeof(name)), false, &fd)) < 0)
		return r;
	r = read_all(fd, &text, &len);
	close(fd);
	if (r == 0)
		r = hostiam_certify_parse(text, len, c);
	free(text);
	return r;
}

/* Write c under name. */
static int save_as(int dirfd, const char *name, const struct hostiam_campaign *c)
{
	char *text = NULL;
	size_t len = hostiam_certify_format(c, &text);
	int r;

	if (text == NULL)
		return HOSTIAM_ERR_NOMEM;
	r = hostiam_replace_buf_at(dirfd, name, 0600, text, len);
	free(text);
	return r;
}

/* See certify.h. */
int hostiam_certify_save(int dirfd, const struct hostiam_campaign *c)
{
	return save_as(dirfd, "open", c);
}

/* See certify.h: the highest id among closed-ID files and the open campaign, plus one. */
int hostiam_certify_next_id(int dirfd, unsigned long *id)
{
	struct hostiam_campaign open;
	unsigned long best = 0, n;
	struct dirent *de;
	int fd = dup(dirfd);
	DIR *d;

	if (fd < 0 || (d = fdopendir(fd)) == NULL) {
		if (fd >= 0)
			close(fd);
		return HOSTIAM_ERR_SYSTEM;
	}
	rewinddir(d);
	while ((de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, "closed-", 7) == 0 &&
		    hostiam_parse_ulong(de->d_name + 7, 1, ULONG_MAX - 1, &n) == 0 && n > best)
			best = n;
	}
	closedir(d);
	if (hostiam_certify_load(dirfd, 0, &open) == 0) {
		if (open.id > best)
			best = open.id;
		hostiam_certify_free(&open);
	}
	*id = best + 1;
	return 0;
}

/* Store e's decision in its user's record (the state_update callback). */
struct record_ctx {
	const struct hostiam_campaign *c;
	const struct hostiam_certify_entry *e;
	time_t now;
};

static int record_one(struct hostiam_user_state *st, void *arg)
{
	const struct record_ctx *x = arg;

	memset(&st->cert, 0, sizeof(st->cert));
	st->cert.campaign = x->c->id;
	st->cert.when = x->now;
	st->cert.revoked = x->e->choice == HOSTIAM_CERTIFY_REVOKE;
	snprintf(st->cert.reviewer, sizeof(st->cert.reviewer), "%s", x->c->reviewer);
	return 0;
}

/* See certify.h. */
int hostiam_certify_close(int dirfd, const char *state_dir, struct hostiam_campaign *c, time_t now)
{
	struct record_ctx x = { c, NULL, now };
	char name[40];
	int r;

	for (size_t i = 0; i < c->n; i++) {
		x.e = &c->entries[i];
		if (x.e->choice == HOSTIAM_CERTIFY_UNDECIDED)
			continue;
		if ((r = hostiam_state_update(state_dir, x.e->user, record_one, &x)) < 0)
			return r;
	}
	c->closed = now;
	if ((r = save_as(dirfd, file_name(c->id, name, sizeof(name)), c)) < 0)
		return r;
	if (unlinkat(dirfd, "open", 0) < 0)
		return HOSTIAM_ERR_SYSTEM;
	return 0;
}
