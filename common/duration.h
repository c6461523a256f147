/* SPDX-License-Identifier: BSD-2-Clause */
/* Durations as people write them ("90s", "30m", "4h", "1d", "1h30m"): libc only. */
#ifndef HOSTIAM_DURATION_H
#define HOSTIAM_DURATION_H

#include <stddef.h>

/* The longest duration accepted anywhere: a year, so sums of parts cannot overflow. */
#define HOSTIAM_DURATION_MAX (366L * 86400L)

/*
 * Parse s: one or more NUMBER UNIT parts, units s, m, h, d, each at most once and in that
 * order from largest to smallest ("1h30m", not "30m1h"); no blanks, no sign. Returns 0 and
 * sets *secs (1 .. HOSTIAM_DURATION_MAX), or HOSTIAM_ERR_INVALID_ARG (*secs untouched).
 */
int hostiam_duration_parse(const char *s, long *secs);

/* secs as the shortest such text ("4h", "1h30m", "45s") into buf; "0s" for 0. */
void hostiam_duration_format(long secs, char *buf, size_t len);

#endif
