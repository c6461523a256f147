/* SPDX-License-Identifier: BSD-2-Clause */
/* A small JSON reader (json_read.c): a cursor, blanks, single characters, strings. */
#ifndef HOSTIAM_JSON_READ_H
#define HOSTIAM_JSON_READ_H

#include <stdbool.h>
#include <stddef.h>

/* Where the reader is in NUL-terminated text; line counts newlines, for messages. */
struct json_cur {
	const char *p;
	const char *path;
	int line;
};

/* Skip blanks (space, tab, CR, LF), counting lines. */
void json_ws(struct json_cur *c);

/* After blanks, consume ch; false (nothing consumed but the blanks) if it is not there. */
bool json_eat(struct json_cur *c, char ch);

/*
 * After blanks, a JSON string into dst (size, NUL-terminated): every escape decoded, \u as
 * UTF-8 (\u0000 refused: no C string holds it). False when malformed, when a raw control
 * character stands in it, or when it does not fit.
 */
bool json_string(struct json_cur *c, char *dst, size_t size);

#endif
