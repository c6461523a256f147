/* SPDX-License-Identifier: BSD-2-Clause */
/* sync.status: the outcome of the last sync attempt, as key=value lines. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "file_io.h"
#include "sync_status.h"

#define STATUS_NAME "sync.status"

/* Writer for hostiam_replace_path(): the NUL-terminated text in ctx. */
static int write_text(int fd, void *ctx)
{
	const char *text = ctx;

	return hostiam_write_all(fd, text, strlen(text)) < 0 ? HOSTIAM_ERR_SYSTEM : 0;
}

/* Replace newlines so one value stays on one line. */
static void one_line(char *s)
{
	for (; *s; s++)
		if (*s == '\n' || *s == '\r')
			*s = ' ';
}

int sync_status_write(const char *cache_dir, const struct sync_status *st)
{
	char path[PATH_MAX], msg[sizeof(st->message)], server[sizeof(st->server)], text[1024];
	struct hostiam_replace_ops ops = { .write = write_text };
	int n;

	if (snprintf(path, sizeof(path), "%s/" STATUS_NAME, cache_dir) >= (int)sizeof(path))
		return HOSTIAM_ERR_INVALID_ARG;
	snprintf(msg, sizeof(msg), "%s", st->message);
	snprintf(server, sizeof(server), "%s", st->server);
	one_line(msg);
	one_line(server);
	n = snprintf(text, sizeof(text),
		     "time=%lld\nresult=%s\nmessage=%s\nserver=%s\nusers=%" PRIu32
		     "\ngroups=%" PRIu32 "\nskipped=%" PRIu32 "\ngeneration=%" PRIu64 "\n",
		     (long long)st->time, st->ok ? "ok" : "error", msg, server, st->users,
		     st->groups, st->skipped, st->generation);
	if (n < 0 || (size_t)n >= sizeof(text))
		return HOSTIAM_ERR_INTERNAL;
	ops.ctx = text;
	return hostiam_replace_path(path, 0644, &ops);
}

/* Parse an unsigned decimal that must fit in max; returns 0 or -1. */
static int parse_u64(const char *s, unsigned long long max, unsigned long long *out)
{
	char *end;
	unsigned long long v;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v > max)
		return -1;
	*out = v;
	return 0;
}

/* Store one key=value line into st; unknown keys are ignored for forward compatibility. */
static int parse_line(char *line, struct sync_status *st)
{
	char *eq = strchr(line, '=');
	unsigned long long v;

	if (!eq)
		return -1;
	*eq++ = '\0';
	if (strcmp(line, "result") == 0)
		st->ok = strcmp(eq, "ok") == 0;
	else if (strcmp(line, "message") == 0)
		snprintf(st->message, sizeof(st->message), "%s", eq);
	else if (strcmp(line, "server") == 0)
		snprintf(st->server, sizeof(st->server), "%s", eq);
	else if (strcmp(line, "time") == 0) {
		if (parse_u64(eq, (unsigned long long)INT64_MAX, &v) < 0)
			return -1;
		st->time = (time_t)v;
	} else if (strcmp(line, "generation") == 0) {
		if (parse_u64(eq, UINT64_MAX, &v) < 0)
			return -1;
		st->generation = v;
	} else if (strcmp(line, "users") == 0 || strcmp(line, "groups") == 0 ||
		   strcmp(line, "skipped") == 0) {
		if (parse_u64(eq, UINT32_MAX, &v) < 0)
			return -1;
		*(line[0] == 'u'         ? &st->users :
			  line[0] == 'g' ? &st->groups :
					   &st->skipped) = (uint32_t)v;
	}
	return 0;
}

int sync_status_read(const char *cache_dir, struct sync_status *st)
{
	char path[PATH_MAX], line[512];
	FILE *f;
	int r = HOSTIAM_OK;

	if (snprintf(path, sizeof(path), "%s/" STATUS_NAME, cache_dir) >= (int)sizeof(path))
		return HOSTIAM_ERR_INVALID_ARG;
	f = fopen(path, "re");
	if (!f)
		return errno == ENOENT ? HOSTIAM_ERR_NOT_FOUND : HOSTIAM_ERR_SYSTEM;
	memset(st, 0, sizeof(*st));
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (parse_line(line, st) < 0) {
			r = HOSTIAM_ERR_CACHE_CORRUPT;
			break;
		}
	}
	fclose(f);
	return r;
}

/* Stale when the cache changed after the status was written (generation, or else time). */
bool sync_status_reconcile(struct sync_status *st, bool have_status,
			   const struct hostiam_cache_info *info)
{
	bool stale;

	if (info->generation == 0)
		return false;
	if (!have_status)
		stale = true;
	else if (st->generation != 0)
		stale = st->generation != info->generation;
	else
		stale = info->sync_time > (int64_t)st->time;
	if (!stale)
		return false;
	memset(st, 0, sizeof(*st));
	st->time = (time_t)info->sync_time;
	st->ok = 1;
	st->generation = info->generation;
	st->users = info->n_users;
	st->groups = info->n_groups;
	snprintf(st->message, sizeof(st->message), "published generation %" PRIu64 " (%s)",
		 info->generation,
		 have_status ? "sync.status is older than the cache: the agent "
			       "stopped before recording the sync" :
			       "no sync.status was recorded");
	return true;
}
