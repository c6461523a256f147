/* SPDX-License-Identifier: BSD-2-Clause */
/* One checked decimal number parser for the whole core: never atoi, never sscanf. */
#ifndef HOSTIAM_PARSE_NUM_H
#define HOSTIAM_PARSE_NUM_H

#include <stddef.h>

/*
 * Parse exactly len bytes of s as an unsigned decimal number in [min, max]: digits only, no
 * sign, no blanks, no base prefix, at least one digit. Returns 0 and sets *out, or
 * HOSTIAM_ERR_INVALID_ARG (not a number, or out of range; *out untouched).
 */
int hostiam_parse_ulong_n(const char *s, size_t len, unsigned long min, unsigned long max,
			  unsigned long *out);

/* The same over the whole NUL-terminated string s. */
int hostiam_parse_ulong(const char *s, unsigned long min, unsigned long max, unsigned long *out);

#endif
