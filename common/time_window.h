/* SPDX-License-Identifier: BSD-2-Clause */
/* Day-and-hour windows for the `time` condition: parsing and matching. */
#ifndef HOSTIAM_TIME_WINDOW_H
#define HOSTIAM_TIME_WINDOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct hostiam_time_window {
	uint8_t days;  /* bit 0 = Monday ... bit 6 = Sunday */
	int start_min; /* minutes after midnight, 0..1439 */
	int end_min;   /* 1..1440; end < start: the window crosses midnight */
};

/*
 * Parse "DAYS HH:MM-HH:MM". DAYS is "*", a day ("Mon"), a range ("Mon-Fri", "Fri-Mon"
 * wraps) or a comma list of those ("Sat,Sun"); day names are English, any case. Times are
 * 00:00..23:59, and 24:00 as the end. Equal start and end is an error. A window that crosses
 * midnight belongs to the day it starts on: "Fri 22:00-06:00" covers Saturday 03:00.
 * Returns 0 and fills *out, or HOSTIAM_ERR_INVALID_ARG (*out untouched).
 */
int hostiam_time_window_parse(const char *s, struct hostiam_time_window *out);

/* As hostiam_time_window_parse; on error writes a one-line reason to why. */
int hostiam_time_window_parse_msg(const char *s, struct hostiam_time_window *out, char *why,
				  size_t why_len);

/* True when the local broken-down time tm falls inside w. */
bool hostiam_time_window_contains(const struct hostiam_time_window *w, const struct tm *tm);

#endif
