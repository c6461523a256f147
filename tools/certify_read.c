/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hostiam certify decide FILE: the reviewer's decisions as CSV (USER,keep|revoke[,NOTE],
 * RFC 4180 quotes) or as JSON (certify_json.c). Every line is checked here and a mistake
 * names the file and the line; nothing is recorded unless the whole file reads.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "certify_cli.h"
#include "names.h"

/* See certify_cli.h. */
bool certify_choice_of(const char *word, size_t len, enum hostiam_certify_choice *choice)
{
	if (len == 4 && memcmp(word, "keep", 4) == 0)
		*choice = HOSTIAM_CERTIFY_KEEP;
	else if (len == 6 && memcmp(word, "revoke", 6) == 0)
		*choice = HOSTIAM_CERTIFY_REVOKE;
	else
		return false;
	return true;
}

/* See certify_cli.h. */
int certify_input_add(struct certify_input **out, size_t *n, const struct certify_input *in)
{
	struct certify_input *a;

	if (*n >= HOSTIAM_CERTIFY_USERS_MAX || (a = realloc(*out, (*n + 1) * sizeof(*a))) == NULL)
		return -1;
	a[*n] = *in;
	*out = a;
	(*n)++;
	return 0;
}

/* The next CSV field of *p into dst (size), quotes undone; false if malformed or long. */
static bool csv_next(const char **p, char *dst, size_t size)
{
	const char *s = *p;
	size_t o = 0;
	bool quoted = *s == '"';

	if (quoted)
		s++;
	for (; *s; s++) {
		if (quoted && *s == '"') {
			if (s[1] != '"') {
				s++;
				break;
			}
			s++;
		} else if (!quoted && *s == ',') {
			break;
		}
		if (o + 1 >= size)
			return false;
		dst[o++] = *s;
	}
	dst[o] = '\0';
	if (*s != '\0' && *s != ',')
		return false; /* text after a closing quote */
	*p = *s == ',' ? s + 1 : s;
	return true;
}

/* One CSV line (no newline) into in; false after a message. */
static bool csv_line(char *line, const char *path, int lineno, struct certify_input *in)
{
	const char *p = line;
	char word[16];

	memset(in, 0, sizeof(*in));
	in->line = lineno;
	if (!csv_next(&p, in->user, sizeof(in->user)) || !hostiam_valid_user_name(in->user)) {
		fprintf(stderr, "hostiam: certify: %s:%d: not a valid user name\n", path, lineno);
		return false;
	}
	if (!csv_next(&p, word, sizeof(word)) ||
	    !certify_choice_of(word, strlen(word), &in->choice)) {
		fprintf(stderr, "hostiam: certify: %s:%d: decision must be keep or revoke\n", path,
			lineno);
		return false;
	}
	if (*p && !csv_next(&p, in->note, sizeof(in->note))) {
		fprintf(stderr, "hostiam: certify: %s:%d: note malformed or longer than %d bytes\n",
			path, lineno, HOSTIAM_CERTIFY_NOTE_MAX);
		return false;
	}
	if (*p) {
		fprintf(stderr, "hostiam: certify: %s:%d: more than 3 fields\n", path, lineno);
		return false;
	}
	return true;
}

/* Slurp f into a new NUL-terminated buffer; NULL on error or a NUL byte inside. */
static char *slurp(FILE *f, size_t *len)
{
	char *buf = NULL;
	size_t cap = 0, n = 0, got;

	do {
		if (n + 4096 + 1 > cap) {
			char *b = cap > (64u << 20) ? NULL : realloc(buf, cap = n + 65536);

			if (b == NULL) {
				free(buf);
				return NULL;
			}
			buf = b;
		}
		got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
	} while (got > 0);
	if (ferror(f) || memchr(buf, '\0', n)) {
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

/* The CSV lines of text. */
static int read_csv(char *text, const char *path, struct certify_input **out, size_t *n)
{
	struct certify_input in;
	char *line = text, *nl;
	int lineno = 0;

	for (; line && *line; line = nl) {
		size_t len;

		lineno++;
		if ((nl = strchr(line, '\n')) != NULL)
			*nl++ = '\0';
		len = strlen(line);
		if (len && line[len - 1] == '\r')
			line[--len] = '\0';
		if (len == 0 || (lineno == 1 && strncmp(line, "user,", 5) == 0))
			continue;
		if (!csv_line(line, path, lineno, &in))
			return -1;
		if (certify_input_add(out, n, &in) < 0) {
			fprintf(stderr, "hostiam: certify: %s: too many lines\n", path);
			return -1;
		}
	}
	return 0;
}

/* See certify_cli.h. */
int certify_read_file(FILE *f, const char *path, struct certify_input **out, size_t *n)
{
	size_t len = 0;
	char *text = slurp(f, &len), *p;
	int r;

	*out = NULL;
	*n = 0;
	if (text == NULL) {
		fprintf(stderr, "hostiam: certify: %s: cannot read it (or it holds a NUL byte)\n",
			path);
		return -1;
	}
	for (p = text; *p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'; p++)
		;
	r = *p == '[' ? certify_read_json(text, path, out, n) : read_csv(text, path, out, n);
	free(text);
	if (r < 0) {
		free(*out);
		*out = NULL;
		*n = 0;
	}
	return r;
}
