/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Reading a TZif file (RFC 8536) into a struct hostiam_tz, through a bounded cursor that
 * checks every count and offset before use: a truncated, corrupted or hostile zone file is
 * refused, never read past. Loading follows symlinks (/etc/localtime is one) but trusts
 * only a regular file that root owns and nobody else may write.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "errors.h"
#include "tz_internal.h"

#define TZ_FILE_MAX (256 * 1024) /* real zone files are a few KiB */
#define TZ_COUNT_MAX 65536       /* per count; keeps every product far from overflow */
#define TZ_FOOTER_MAX 256

/* What is left of the file. */
struct cursor {
	const unsigned char *p;
	size_t left;
};

/* The six counts of a TZif header, in file order. */
struct tzif_counts {
	uint32_t isut, isstd, leap, time, type, chars;
};

/* Take n bytes, or fail without moving. */
static int take(struct cursor *c, size_t n, const unsigned char **out)
{
	if (n > c->left)
		return HOSTIAM_ERR_INVALID_ARG;
	*out = c->p;
	c->p += n;
	c->left -= n;
	return 0;
}

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int64_t be64(const unsigned char *p)
{
	return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

/* A header: magic, a version we know, and counts within bounds and consistent. */
static int read_header(struct cursor *c, char *version, struct tzif_counts *n)
{
	const unsigned char *h;
	uint32_t v[6];
	int i;

	if (take(c, 44, &h) < 0 || memcmp(h, "TZif", 4) != 0)
		return HOSTIAM_ERR_INVALID_ARG;
	if (h[4] != '\0' && (h[4] < '2' || h[4] > '4'))
		return HOSTIAM_ERR_INVALID_ARG;
	*version = (char)h[4];
	for (i = 0; i < 6; i++) {
		v[i] = be32(h + 20 + 4 * i);
		if (v[i] > TZ_COUNT_MAX)
			return HOSTIAM_ERR_INVALID_ARG;
	}
	*n = (struct tzif_counts){ v[0], v[1], v[2], v[3], v[4], v[5] };
	/* Leap-second zones count time differently from every other clock on the host. */
	if (n->type == 0 || n->chars == 0 || n->leap != 0 ||
	    (n->isstd != 0 && n->isstd != n->type) || (n->isut != 0 && n->isut != n->type))
		return HOSTIAM_ERR_INVALID_ARG;
	return 0;
}

/* The size of a data block with counts n and times of tsize bytes (4 or 8). */
static size_t block_size(const struct tzif_counts *n, size_t tsize)
{
	return n->time * (tsize + 1) + n->type * 6 + n->chars + n->leap * (tsize + 4) + n->isstd +
		n->isut;
}

/* Transitions: strictly increasing times, each naming a type that exists. */
static int read_transitions(struct cursor *c, const struct tzif_counts *n, size_t tsize,
			    struct hostiam_tz *z)
{
	const unsigned char *times, *idx;
	size_t i;

	if (take(c, n->time * tsize, &times) < 0 || take(c, n->time, &idx) < 0)
		return HOSTIAM_ERR_INVALID_ARG;
	z->trans = calloc(n->time ? n->time : 1, sizeof(*z->trans));
	z->trans_type = calloc(n->time ? n->time : 1, 1);
	if (z->trans == NULL || z->trans_type == NULL)
		return HOSTIAM_ERR_NOMEM;
	for (i = 0; i < n->time; i++) {
		z->trans[i] = tsize == 8 ? be64(times + 8 * i) : (int32_t)be32(times + 4 * i);
		z->trans_type[i] = idx[i];
		if (idx[i] >= n->type || (i > 0 && z->trans[i] <= z->trans[i - 1]))
			return HOSTIAM_ERR_INVALID_ARG;
	}
	z->n_trans = n->time;
	return 0;
}

/* Types and designations: offsets in range, each designation NUL-terminated inside. */
static int read_types(struct cursor *c, const struct tzif_counts *n, struct hostiam_tz *z)
{
	const unsigned char *rec, *chars;
	size_t i;

	if (take(c, (size_t)n->type * 6, &rec) < 0 || take(c, n->chars, &chars) < 0)
		return HOSTIAM_ERR_INVALID_ARG;
	z->types = calloc(n->type, sizeof(*z->types));
	z->abbrs = malloc(n->chars);
	if (z->types == NULL || z->abbrs == NULL)
		return HOSTIAM_ERR_NOMEM;
	memcpy(z->abbrs, chars, n->chars);
	for (i = 0; i < n->type; i++, rec += 6) {
		int32_t off = (int32_t)be32(rec);

		if (off < TZ_OFF_MIN || off > TZ_OFF_MAX || rec[4] > 1 || rec[5] >= n->chars ||
		    memchr(chars + rec[5], '\0', n->chars - rec[5]) == NULL)
			return HOSTIAM_ERR_INVALID_ARG;
		z->types[i] = (struct tz_type){ off, rec[4] == 1, z->abbrs + rec[5] };
	}
	z->n_types = n->type;
	return 0;
}

/* The footer of version 2+: "\n" TZ-string "\n", and nothing after it. */
static int read_footer(struct cursor *c, struct hostiam_tz *z)
{
	const unsigned char *s, *end;
	size_t len;

	if (c->left < 2 || c->left > TZ_FOOTER_MAX || c->p[0] != '\n')
		return HOSTIAM_ERR_INVALID_ARG;
	end = memchr(c->p + 1, '\n', c->left - 1);
	if (end == NULL || (size_t)(end - c->p) != c->left - 1)
		return HOSTIAM_ERR_INVALID_ARG;
	s = c->p + 1;
	len = (size_t)(end - s);
	if (len == 0)
		return 0;
	return tz_rule_parse((const char *)s, len, &z->rule);
}

/* The data block after a header; the time type and designation blocks, then what to skip. */
static int read_block(struct cursor *c, const struct tzif_counts *n, size_t tsize,
		      struct hostiam_tz *z)
{
	const unsigned char *skip;
	int r;

	if (c->left < block_size(n, tsize))
		return HOSTIAM_ERR_INVALID_ARG;
	if ((r = read_transitions(c, n, tsize, z)) < 0 || (r = read_types(c, n, z)) < 0)
		return r;
	/* The standard/wall and UT/local indicators only matter to zic's POSIX emulation. */
	return take(c, (size_t)n->isstd + n->isut, &skip);
}

/* Version 1: the 32-bit block. Version 2+: skip it, then the 64-bit block and the footer. */
static int parse_into(struct cursor *c, struct hostiam_tz *z)
{
	struct tzif_counts n;
	const unsigned char *skip;
	char version, version2;
	int r;

	if ((r = read_header(c, &version, &n)) < 0)
		return r;
	if (version == '\0')
		return read_block(c, &n, 4, z) < 0 || c->left != 0 ? HOSTIAM_ERR_INVALID_ARG : 0;
	if (take(c, block_size(&n, 4), &skip) < 0 || (r = read_header(c, &version2, &n)) < 0)
		return HOSTIAM_ERR_INVALID_ARG;
	if (version2 != version)
		return HOSTIAM_ERR_INVALID_ARG;
	if ((r = read_block(c, &n, 8, z)) < 0)
		return r;
	return read_footer(c, z);
}

/* See tz.h. */
int hostiam_tz_parse(const void *data, size_t len, const char *name, struct hostiam_tz **out)
{
	struct cursor c = { data, len };
	struct hostiam_tz *z;
	int r;

	if (data == NULL || name == NULL || out == NULL)
		return HOSTIAM_ERR_INVALID_ARG;
	z = calloc(1, sizeof(*z));
	if (z == NULL || (z->name = strdup(name)) == NULL) {
		free(z);
		return HOSTIAM_ERR_NOMEM;
	}
	r = parse_into(&c, z);
	if (r < 0) {
		hostiam_tz_free(z);
		return r == HOSTIAM_ERR_NOMEM ? r : HOSTIAM_ERR_INVALID_ARG;
	}
	*out = z;
	return 0;
}

/* Read all of fd, a regular file of st_size bytes, into a new buffer. */
static int read_all(int fd, size_t len, unsigned char **out)
{
	unsigned char *buf = malloc(len ? len : 1);
	size_t got = 0;

	if (buf == NULL)
		return HOSTIAM_ERR_NOMEM;
	while (got < len) {
		ssize_t k = read(fd, buf + got, len - got);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		got += (size_t)k;
	}
	if (got != len) {
		free(buf);
		return HOSTIAM_ERR_SYSTEM;
	}
	*out = buf;
	return 0;
}

/* See tz.h. */
int hostiam_tz_load_file(const char *path, const char *name, struct hostiam_tz **out)
{
	unsigned char *data = NULL;
	struct stat st;
	int fd, r;

	if (path == NULL || name == NULL || out == NULL)
		return HOSTIAM_ERR_INVALID_ARG;
	/* Symlinks are followed on purpose; what counts is the file they lead to. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return errno == ENOENT || errno == ENOTDIR ? HOSTIAM_ERR_NOT_FOUND :
							     HOSTIAM_ERR_SYSTEM;
	if (fstat(fd, &st) < 0)
		r = HOSTIAM_ERR_SYSTEM;
	else if (!S_ISREG(st.st_mode) || st.st_size > TZ_FILE_MAX)
		r = HOSTIAM_ERR_INVALID_ARG; /* a directory of zones, a device: not a zone */
	else if (st.st_uid != 0 || (st.st_mode & (S_IWGRP | S_IWOTH)))
		r = HOSTIAM_ERR_INSECURE_FILE;
	else if ((r = read_all(fd, (size_t)st.st_size, &data)) == 0)
		r = hostiam_tz_parse(data, (size_t)st.st_size, name, out);
	close(fd);
	free(data);
	return r;
}

/* See tz.h. */
bool hostiam_tz_name_ok(const char *name)
{
	static const char ok[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_+-/";
	const char *seg;
	size_t len;

	if (name == NULL || name[0] == '\0' || name[0] == '/' || strlen(name) > 255 ||
	    name[strspn(name, ok)] != '\0')
		return false;
	/* Every component non-empty and neither "." nor "..": the path stays under the dir. */
	for (seg = name;; seg += len + 1) {
		len = strcspn(seg, "/");
		if (len == 0 || (len == 1 && seg[0] == '.') ||
		    (len == 2 && strncmp(seg, "..", 2) == 0))
			return false;
		if (seg[len] == '\0')
			return true;
	}
}

/* See tz.h. */
int hostiam_tz_load_named(const char *name, struct hostiam_tz **out)
{
	char path[sizeof(HOSTIAM_TZ_DIR) + 256];

	if (out == NULL || !hostiam_tz_name_ok(name))
		return HOSTIAM_ERR_INVALID_ARG;
	if (strcmp(name, "UTC") == 0 || strcmp(name, "Etc/UTC") == 0)
		return hostiam_tz_utc(out);
	snprintf(path, sizeof(path), "%s/%s", HOSTIAM_TZ_DIR, name);
	return hostiam_tz_load_file(path, name, out);
}

/* See tz.h. */
int hostiam_tz_load_host(struct hostiam_tz **out)
{
	return hostiam_tz_load_file(HOSTIAM_TZ_HOST, HOSTIAM_TZ_HOST, out);
}

/* See tz.h. */
int hostiam_tz_utc(struct hostiam_tz **out)
{
	struct hostiam_tz *z = calloc(1, sizeof(*z));

	if (z == NULL)
		return HOSTIAM_ERR_NOMEM;
	z->name = strdup("UTC");
	z->types = calloc(1, sizeof(*z->types));
	z->abbrs = strdup("UTC");
	if (z->name == NULL || z->types == NULL || z->abbrs == NULL) {
		hostiam_tz_free(z);
		return HOSTIAM_ERR_NOMEM;
	}
	z->types[0] = (struct tz_type){ 0, false, z->abbrs };
	z->n_types = 1;
	*out = z;
	return 0;
}

/* See tz.h. */
const char *hostiam_tz_name(const struct hostiam_tz *z)
{
	return z && z->name ? z->name : "UTC";
}

/* See tz.h. */
void hostiam_tz_free(struct hostiam_tz *z)
{
	if (z == NULL)
		return;
	free(z->name);
	free(z->trans);
	free(z->trans_type);
	free(z->types);
	free(z->abbrs);
	free(z);
}
