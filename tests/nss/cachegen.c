/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * cachegen: write a directory cache from a small text description, for tests and the
 * benchmark.
 *
 *   cachegen DESCRIPTION OUTPUT        (DESCRIPTION "-" reads stdin)
 *
 * One record per line, fields separated by ':'; blank lines and '#' lines are ignored:
 *
 *   user:NAME:UID:GID:GECOS:HOME:SHELL
 *   key:NAME:SSH PUBLIC KEY LINE          (for a user declared above; may repeat)
 *   group:NAME:GID:MEMBER,MEMBER,...      (members need not be cached users)
 *   generation:N
 *   synctime:UNIX-TIME
 *
 * Exit status 0 on success, 1 if the writer refused the data, 2 for a bad description.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cache_writer.h"
#include "errors.h"

struct desc {
	struct hostiam_cache_user_in *users;
	struct hostiam_cache_group_in *groups;
	size_t n_users, n_groups;
	uint64_t generation;
	int64_t sync_time;
	char **strings; /* every strdup'd field, freed at the end */
	size_t n_strings;
};

/* Die with a message naming the description line. */
static void bad_line(unsigned long lineno, const char *why)
{
	fprintf(stderr, "cachegen: line %lu: %s\n", lineno, why);
	exit(2);
}

static void *xrealloc(void *p, size_t n)
{
	if (!(p = realloc(p, n ? n : 1))) {
		fprintf(stderr, "cachegen: out of memory\n");
		exit(1);
	}
	return p;
}

/* A copy of s that desc_free() releases. */
static char *keep(struct desc *d, const char *s)
{
	char *copy = strdup(s);

	if (!copy) {
		fprintf(stderr, "cachegen: out of memory\n");
		exit(1);
	}
	d->strings = xrealloc(d->strings, (d->n_strings + 1) * sizeof(*d->strings));
	d->strings[d->n_strings++] = copy;
	return copy;
}

static void desc_free(struct desc *d)
{
	for (size_t i = 0; i < d->n_users; i++)
		free((void *)d->users[i].ssh_keys);
	for (size_t i = 0; i < d->n_groups; i++)
		free((void *)d->groups[i].members);
	for (size_t i = 0; i < d->n_strings; i++)
		free(d->strings[i]);
	free(d->strings);
	free(d->users);
	free(d->groups);
}

/* A decimal number up to max, or exit 2. */
static unsigned long long number(const char *s, unsigned long long max, unsigned long lineno)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s || *end || *s == '-' || v > max)
		bad_line(lineno, "bad number");
	return v;
}

/* Split line at ':' into at most max fields; the last field keeps any further ':'. */
static size_t split(char *line, char **f, size_t max)
{
	size_t n = 0;

	f[n++] = line;
	while (n < max && (line = strchr(line, ':'))) {
		*line++ = '\0';
		f[n++] = line;
	}
	return n;
}

static void add_user(struct desc *d, char **f, size_t n, unsigned long lineno)
{
	struct hostiam_cache_user_in *u;

	if (n != 7)
		bad_line(lineno, "user needs 7 fields");
	d->users = xrealloc(d->users, (d->n_users + 1) * sizeof(*d->users));
	u = &d->users[d->n_users++];
	*u = (struct hostiam_cache_user_in){ keep(d, f[1]),
					     (uint32_t)number(f[2], UINT32_MAX, lineno),
					     (uint32_t)number(f[3], UINT32_MAX, lineno),
					     keep(d, f[4]),
					     keep(d, f[5]),
					     keep(d, f[6]),
					     NULL,
					     0 };
}

static void add_key(struct desc *d, char **f, size_t n, unsigned long lineno)
{
	struct hostiam_cache_user_in *u = NULL;
	const char **keys;

	if (n != 3)
		bad_line(lineno, "key needs 3 fields");
	for (size_t i = 0; i < d->n_users; i++)
		if (!strcmp(d->users[i].name, f[1]))
			u = &d->users[i];
	if (!u)
		bad_line(lineno, "key for an unknown user");
	keys = xrealloc((void *)u->ssh_keys, (u->n_ssh_keys + 1) * sizeof(*keys));
	keys[u->n_ssh_keys++] = keep(d, f[2]);
	u->ssh_keys = keys;
}

static void add_group(struct desc *d, char **f, size_t n, unsigned long lineno)
{
	struct hostiam_cache_group_in *g;
	const char **members = NULL;
	size_t n_members = 0;
	char *list, *m, *save = NULL;

	if (n != 4)
		bad_line(lineno, "group needs 4 fields");
	list = keep(d, f[3]);
	for (m = strtok_r(list, ",", &save); m; m = strtok_r(NULL, ",", &save)) {
		members = xrealloc(members, (n_members + 1) * sizeof(*members));
		members[n_members++] = m;
	}
	d->groups = xrealloc(d->groups, (d->n_groups + 1) * sizeof(*d->groups));
	g = &d->groups[d->n_groups++];
	*g = (struct hostiam_cache_group_in){ keep(d, f[1]),
					      (uint32_t)number(f[2], UINT32_MAX, lineno), members,
					      n_members, NULL };
}

/* Read the whole description into d. */
static void parse(FILE *in, struct desc *d)
{
	char *line = NULL, *f[8];
	size_t cap = 0, n;
	unsigned long lineno = 0;
	ssize_t len;

	while ((len = getline(&line, &cap, in)) >= 0) {
		lineno++;
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		if (len == 0 || line[0] == '#')
			continue;
		/* Keys are free text up to the end of the line; other records split fully. */
		n = split(line, f, strncmp(line, "key:", 4) ? 8 : 3);
		if (!strcmp(f[0], "user"))
			add_user(d, f, n, lineno);
		else if (!strcmp(f[0], "key"))
			add_key(d, f, n, lineno);
		else if (!strcmp(f[0], "group"))
			add_group(d, f, n, lineno);
		else if (!strcmp(f[0], "generation") && n == 2)
			d->generation = number(f[1], UINT64_MAX, lineno);
		else if (!strcmp(f[0], "synctime") && n == 2)
			d->sync_time = (int64_t)number(f[1], INT64_MAX, lineno);
		else
			bad_line(lineno, "unknown record");
	}
	free(line);
}

int main(int argc, char **argv)
{
	struct desc d = { .generation = 1 };
	FILE *in;
	int r;

	if (argc != 3) {
		fprintf(stderr, "usage: cachegen DESCRIPTION|- OUTPUT\n");
		return 2;
	}
	in = strcmp(argv[1], "-") ? fopen(argv[1], "re") : stdin;
	if (!in) {
		fprintf(stderr, "cachegen: %s: %s\n", argv[1], strerror(errno));
		return 2;
	}
	parse(in, &d);
	if (in != stdin)
		fclose(in);
	r = hostiam_cache_write(argv[2], d.users, d.n_users, d.groups, d.n_groups, d.generation,
				d.sync_time);
	desc_free(&d);
	if (r < 0) {
		fprintf(stderr, "cachegen: %s: %s\n", argv[2], hostiam_strerror(r));
		return 1;
	}
	return 0;
}
