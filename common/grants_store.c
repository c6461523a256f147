/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The local grant store: <state_dir>/grants/store under <state_dir>/grants/lock. Opened
 * relative to checked directories, never through a symlink, each file checked after
 * opening (root's or ours, private): the grants decide who becomes a member of a role.
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
#include "grants.h"
#include "grants_cache.h"
#include "parse_num.h"
#include "log.h"

#define STORE_MAX (HOSTIAM_GRANTS_MAX * 2048L)

/* Private and root's (or the caller's), of the wanted kind; else refused and logged. */
static int check_private(int fd, bool dir, const char *name)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return HOSTIAM_ERR_SYSTEM;
	if ((dir ? S_ISDIR(st.st_mode) : S_ISREG(st.st_mode)) &&
	    (st.st_uid == 0 || st.st_uid == geteuid()) && (st.st_mode & 077) == 0)
		return 0;
	hostiam_log(LOG_ERR,
		    "grant store refused: must be a %s owned by root, mode 0%o; is uid %u "
		    "mode 0%o name=%s",
		    dir ? "directory" : "file", dir ? 0700 : 0600, (unsigned)st.st_uid,
		    (unsigned)(st.st_mode & 07777), name);
	return HOSTIAM_ERR_INSECURE_FILE;
}

/* openat + check; ENOENT is HOSTIAM_ERR_NOT_FOUND, a symlink insecure. */
static int open_checked(int at, const char *name, int flags, bool dir, int *out)
{
	int fd = openat(at, name, flags | O_NOFOLLOW | O_CLOEXEC | (dir ? O_DIRECTORY : 0), 0600);
	int r;

	if (fd < 0) {
		if (errno == ENOENT)
			return HOSTIAM_ERR_NOT_FOUND;
		if (errno == ELOOP || errno == ENOTDIR) {
			hostiam_log(LOG_ERR, "grant store refused: a symlink name=%s", name);
			return HOSTIAM_ERR_INSECURE_FILE;
		}
		return HOSTIAM_ERR_SYSTEM;
	}
	if ((r = check_private(fd, dir, name)) < 0) {
		close(fd);
		return r;
	}
	*out = fd;
	return 0;
}

/* The checked <state_dir>/grants directory, made (0700, with state_dir) when create. */
static int open_grants_dir(const char *state_dir, bool create, int *out)
{
	int sfd, r;

	if (create && mkdir(state_dir, 0700) < 0 && errno != EEXIST)
		return HOSTIAM_ERR_SYSTEM;
	if ((r = open_checked(AT_FDCWD, state_dir, O_RDONLY, true, &sfd)) < 0)
		return r;
	if (create && mkdirat(sfd, "grants", 0700) < 0 && errno != EEXIST)
		r = HOSTIAM_ERR_SYSTEM;
	else
		r = open_checked(sfd, "grants", O_RDONLY, true, out);
	close(sfd);
	return r;
}

/* Add one parsed grant to l, in id order as the file holds them. */
static int add_line(struct hostiam_grant_list *l, const char *line, size_t *cap)
{
	struct hostiam_grant g, *grown;

	if (hostiam_grant_parse(line, &g) < 0 || l->n >= HOSTIAM_GRANTS_MAX ||
	    (l->n && l->items[l->n - 1].id >= g.id))
		return HOSTIAM_ERR_CACHE_CORRUPT;
	if (l->n == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		if ((grown = realloc(l->items, *cap * sizeof(*grown))) == NULL)
			return HOSTIAM_ERR_NOMEM;
		l->items = grown;
	}
	l->items[l->n++] = g;
	if (g.id >= l->next_id)
		l->next_id = g.id + 1;
	return 0;
}

/* "hostiam-grant-store 1 NEXT\n" then the lines; all of it checked. */
static int parse_store(char *text, struct hostiam_grant_list *l)
{
	unsigned long next;
	size_t cap = 0;
	char *line = text, *nl;
	int r;

	if (strncmp(text, "hostiam-grant-store 1 ", 22) != 0 || (nl = strchr(text, '\n')) == NULL)
		return HOSTIAM_ERR_CACHE_CORRUPT;
	*nl = '\0';
	if (hostiam_parse_ulong(text + 22, 1, 1000000000UL, &next) < 0)
		return HOSTIAM_ERR_CACHE_CORRUPT;
	l->next_id = next;
	for (line = nl + 1; *line; line = nl + 1) {
		if ((nl = strchr(line, '\n')) == NULL)
			return HOSTIAM_ERR_CACHE_CORRUPT; /* a last line cut short */
		*nl = '\0';
		if ((r = add_line(l, line, &cap)) < 0)
			return r;
	}
	return 0;
}

/* Read the store file in gfd into l (empty when none). */
static int read_store(int gfd, struct hostiam_grant_list *l)
{
	struct stat st;
	char *text = NULL;
	ssize_t n = 0;
	int fd, r;

	memset(l, 0, sizeof(*l));
	l->next_id = 1;
	r = open_checked(gfd, "store", O_RDONLY, false, &fd);
	if (r == HOSTIAM_ERR_NOT_FOUND)
		return 0;
	if (r < 0)
		return r;
	if (fstat(fd, &st) < 0 || st.st_size > STORE_MAX) {
		r = st.st_size > STORE_MAX ? HOSTIAM_ERR_CACHE_CORRUPT : HOSTIAM_ERR_SYSTEM;
		goto out;
	}
	if ((text = malloc((size_t)st.st_size + 1)) == NULL) {
		r = HOSTIAM_ERR_NOMEM;
		goto out;
	}
	do
		n = pread(fd, text, (size_t)st.st_size, 0);
	while (n < 0 && errno == EINTR);
	if (n != st.st_size) {
		r = HOSTIAM_ERR_SYSTEM;
		goto out;
	}
	text[n] = '\0';
	r = memchr(text, '\0', (size_t)n) ? HOSTIAM_ERR_CACHE_CORRUPT : parse_store(text, l);
out:
	free(text);
	close(fd);
	if (r < 0)
		hostiam_grant_list_free(l);
	return r;
}

/* See grants.h. */
int hostiam_grants_load(const char *state_dir, struct hostiam_grant_list *out)
{
	struct hostiam_grant_list l;
	int gfd, r;

	if (state_dir == NULL || out == NULL)
		return HOSTIAM_ERR_INVALID_ARG;
	r = open_grants_dir(state_dir, false, &gfd);
	if (r == HOSTIAM_ERR_NOT_FOUND) {
		memset(out, 0, sizeof(*out));
		out->next_id = 1;
		return 0;
	}
	if (r < 0)
		return r;
	r = read_store(gfd, &l);
	close(gfd);
	if (r == 0)
		*out = l;
	return r;
}

/* The whole store as text, finished grants older than HOSTIAM_GRANT_KEEP left out. */
static int format_store(const struct hostiam_grant_list *l, time_t now, char **text, size_t *len)
{
	size_t cap = 64 + l->n * 2048, used;
	char *buf = malloc(cap);

	if (buf == NULL)
		return HOSTIAM_ERR_NOMEM;
	used = (size_t)snprintf(buf, cap, "hostiam-grant-store 1 %lu\n", l->next_id);
	for (size_t i = 0; i < l->n; i++) {
		const struct hostiam_grant *g = &l->items[i];
		time_t end = g->not_after > g->decided ? g->not_after : g->decided;
		size_t n;

		if (g->status == HOSTIAM_GRANT_PENDING)
			end = g->requested + HOSTIAM_GRANT_PENDING_TTL;
		if (end + HOSTIAM_GRANT_KEEP < now)
			continue;
		if ((n = hostiam_grant_format(g, buf + used, cap - used)) == 0) {
			free(buf);
			return HOSTIAM_ERR_INTERNAL;
		}
		used += n;
	}
	*text = buf;
	*len = used;
	return 0;
}

/* Replace the store file, then publish grants.cache. */
static int write_all(int gfd, const char *grants_path, const struct hostiam_grant_list *l,
		     time_t now)
{
	char *text;
	size_t len;
	int r = format_store(l, now, &text, &len);

	if (r < 0)
		return r;
	r = hostiam_replace_buf_at(gfd, "store", 0600, text, len);
	free(text);
	if (r == 0 && grants_path)
		r = hostiam_grants_cache_publish(grants_path, l, now);
	return r;
}

/* Exclusive lock on <grants>/lock; *out is the fd to close to release it. */
static int lock_store(int gfd, int *out)
{
	int fd, r = open_checked(gfd, "lock", O_RDWR | O_CREAT, false, &fd);

	if (r < 0)
		return r;
	while ((r = flock(fd, LOCK_EX)) < 0 && errno == EINTR)
		;
	if (r < 0) {
		close(fd);
		return HOSTIAM_ERR_SYSTEM;
	}
	*out = fd;
	return 0;
}

/* See grants.h. */
int hostiam_grants_update(const char *state_dir, const char *grants_path, time_t now,
			  int (*fn)(struct hostiam_grant_list *l, void *ctx), void *ctx)
{
	struct hostiam_grant_list l = { 0 };
	int gfd, lfd = -1, r;

	if (state_dir == NULL || fn == NULL)
		return HOSTIAM_ERR_INVALID_ARG;
	if ((r = open_grants_dir(state_dir, true, &gfd)) < 0)
		return r;
	if ((r = lock_store(gfd, &lfd)) < 0 || (r = read_store(gfd, &l)) < 0)
		goto out;
	r = fn(&l, ctx);
	if (r == 0) {
		int w = write_all(gfd, grants_path, &l, now);

		r = w < 0 ? w : 0;
	}
out:
	hostiam_grant_list_free(&l);
	if (lfd >= 0)
		close(lfd);
	close(gfd);
	return r;
}

/* See grants.h. */
void hostiam_grant_list_free(struct hostiam_grant_list *l)
{
	if (l == NULL)
		return;
	free(l->items);
	l->items = NULL;
	l->n = 0;
}
