/* SPDX-License-Identifier: BSD-2-Clause */
/* Checked decimal parsing over a bounded span. */
#include "config.h"

#include <limits.h>
#include <string.h>

#include "errors.h"
#include "parse_num.h"

/* Digits only, accumulated with an overflow check, so no strtoul quirks (sign, blanks). */
int hostiam_parse_ulong_n(const char *s, size_t len, unsigned long min, unsigned long max,
			  unsigned long *out)
{
	unsigned long v = 0;
	size_t i;

	if (s == NULL || len == 0)
		return HOSTIAM_ERR_INVALID_ARG;
	for (i = 0; i < len; i++) {
		unsigned d;

		if (s[i] < '0' || s[i] > '9')
			return HOSTIAM_ERR_INVALID_ARG;
		d = (unsigned)(s[i] - '0');
		if (v > (ULONG_MAX - d) / 10)
			return HOSTIAM_ERR_INVALID_ARG;
		v = v * 10 + d;
	}
	if (v < min || v > max)
		return HOSTIAM_ERR_INVALID_ARG;
	*out = v;
	return 0;
}

/* Whole-string form of hostiam_parse_ulong_n. */
int hostiam_parse_ulong(const char *s, unsigned long min, unsigned long max, unsigned long *out)
{
	if (s == NULL)
		return HOSTIAM_ERR_INVALID_ARG;
	return hostiam_parse_ulong_n(s, strlen(s), min, max, out);
}
