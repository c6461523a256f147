/* sync.status: the outcome of the last sync attempt, as key=value lines. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "errors.h"
#include "sync_status.h"

#define STATUS_NAME "sync.status"

/* Replace newlines so one value stays on one line. */
static void one_line(char *s)
{
	for (; *s; s++)
		if (*s == '\n' || *s == '\r')
			*s = ' ';
}

int sync_status_write(const char *cache_dir, const struct sync_status *st)
{
	char path[PATH_MAX], tmp[PATH_MAX], msg[sizeof(st->message)], server[sizeof(st->server)];
	FILE *f = NULL;
	int fd, r = HOSTIAM_ERR_SYSTEM;

	if (snprintf(path, sizeof(path), "%s/" STATUS_NAME, cache_dir) >= (int)sizeof(path) ||
	    snprintf(tmp, sizeof(tmp), "%s/." STATUS_NAME ".XXXXXX", cache_dir) >= (int)sizeof(tmp))
		return HOSTIAM_ERR_INVALID_ARG;
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return HOSTIAM_ERR_SYSTEM;
	if (fchmod(fd, 0644) < 0 || !(f = fdopen(fd, "w"))) {
		close(fd);
		goto out;
	}
	snprintf(msg, sizeof(msg), "%s", st->message);
	snprintf(server, sizeof(server), "%s", st->server);
	one_line(msg);
	one_line(server);
	fprintf(f, "time=%lld\nresult=%s\nmessage=%s\nserver=%s\nusers=%" PRIu32
		"\ngroups=%" PRIu32 "\nskipped=%" PRIu32 "\n",
		(long long)st->time, st->ok ? "ok" : "error", msg, server, st->users, st->groups,
		st->skipped);
	if (fflush(f) != 0 || fsync(fileno(f)) != 0)
		goto out;
	if (rename(tmp, path) == 0)
		r = HOSTIAM_OK;
out:
	if (f)
		fclose(f);
	if (r != HOSTIAM_OK)
		unlink(tmp);
	return r;
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
	} else if (strcmp(line, "users") == 0 || strcmp(line, "groups") == 0 ||
		   strcmp(line, "skipped") == 0) {
		if (parse_u64(eq, UINT32_MAX, &v) < 0)
			return -1;
		*(line[0] == 'u' ? &st->users : line[0] == 'g' ? &st->groups : &st->skipped) =
			(uint32_t)v;
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
