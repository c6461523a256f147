/* SPDX-License-Identifier: BSD-2-Clause */
/* Small helpers shared by the options of hostiam check and review. */
#ifndef HOSTIAM_CLI_ARGS_H
#define HOSTIAM_CLI_ARGS_H

#include <stddef.h>
#include <time.h>

/*
 * Match argv[*i] against option name ("--service") in either form, "--service VALUE" or
 * "--service=VALUE". Returns 1 and sets *val (advancing *i past a separate VALUE), 0 when
 * argv[*i] is not this option, -1 when VALUE is missing (after a message on stderr).
 */
int cli_opt_value(int argc, char **argv, int *i, const char *name, const char **val);

struct hostiam_config;
struct hostiam_tz;

/* The zone of the policy's clock: cfg's access.tz; NULL (UTC) when there is no cfg. */
const struct hostiam_tz *cli_zone(const struct hostiam_config *cfg);

/*
 * Parse "YYYY-MM-DD HH:MM" as a time on the wall clock of z (cli_zone(cfg): the zone the
 * policy's time windows use; NULL: UTC), never the process's TZ. Calendar dates only; a
 * time skipped by a daylight-saving change is refused; a time shown twice (when the
 * clocks go back) is the earlier instant. Returns 0 and *out, or -1 with a one-line reason
 * in why.
 */
int cli_parse_at(const struct hostiam_tz *z, const char *s, time_t *out, char *why, size_t why_len);

/* t on the wall clock of z (NULL: UTC) as "YYYY-MM-DD HH:MM" (with_zone: plus " Mon CET");
 * "-" when it cannot be shown. */
void cli_format_time(const struct hostiam_tz *z, time_t t, int with_zone, char *buf, size_t len);

/* t as RFC 3339 UTC, "2026-11-22T22:50:00Z". */
void cli_format_utc(time_t t, char *buf, size_t len);

#endif
