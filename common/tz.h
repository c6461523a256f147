/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Time zones read from TZif files (RFC 8536), for the policy's clock. glibc converts only
 * in the zone of the process's TZ, which the caller of a setuid program chooses; so the
 * zone is read here, once, from the host's /etc/localtime or from access.timezone, and every
 * conversion names it. No environment, no global state: a loaded zone is read-only and may
 * be shared between threads.
 */
#ifndef HOSTIAM_TZ_H
#define HOSTIAM_TZ_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#define HOSTIAM_TZ_HOST "/etc/localtime"
#define HOSTIAM_TZ_DIR "/usr/share/zoneinfo"

struct hostiam_tz;

/*
 * Parse a TZif file held in memory (version 1, or the 64-bit data and the footer's TZ rule
 * of versions 2 to 4); name is what hostiam_tz_name will say. Files with leap-second
 * records ("right/" zones) are refused. Returns 0 and *out (free with hostiam_tz_free),
 * HOSTIAM_ERR_INVALID_ARG for a malformed or truncated file, HOSTIAM_ERR_NOMEM.
 */
int hostiam_tz_parse(const void *data, size_t len, const char *name, struct hostiam_tz **out);

/*
 * Read and parse the zone file at path, following symlinks: the file reached must be a
 * regular file owned by root and writable by nobody else. As hostiam_tz_parse, plus
 * HOSTIAM_ERR_NOT_FOUND (no such file), HOSTIAM_ERR_INSECURE_FILE, HOSTIAM_ERR_SYSTEM.
 */
int hostiam_tz_load_file(const char *path, const char *name, struct hostiam_tz **out);

/*
 * The zone HOSTIAM_TZ_DIR/name. name must pass hostiam_tz_name_ok (else
 * HOSTIAM_ERR_INVALID_ARG). "UTC" and "Etc/UTC" need no file. Otherwise as _load_file.
 */
int hostiam_tz_load_named(const char *name, struct hostiam_tz **out);

/* The host's zone, HOSTIAM_TZ_HOST; as hostiam_tz_load_file (the caller falls back to UTC). */
int hostiam_tz_load_host(struct hostiam_tz **out);

/* A new UTC zone (no file needed). 0 or HOSTIAM_ERR_NOMEM. */
int hostiam_tz_utc(struct hostiam_tz **out);

/* A relative zone name: not empty, no leading '/', no "." or ".." component, no "//",
 * only [A-Za-z0-9_+-/], at most 255 bytes. */
bool hostiam_tz_name_ok(const char *name);

/* The zone's name ("Europe/Madrid", "/etc/localtime", "UTC"); never NULL. */
const char *hostiam_tz_name(const struct hostiam_tz *z);

/* Free z; NULL is a no-op. */
void hostiam_tz_free(struct hostiam_tz *z);

/*
 * t broken down in zone z (NULL: UTC), like localtime_r: every field, tm_isdst, tm_gmtoff and tm_zone
 * (which points into z: valid while z is). Returns 0, or HOSTIAM_ERR_INVALID_ARG when t is
 * too far from today for the year to fit (beyond some million years).
 */
int hostiam_tz_localtime(const struct hostiam_tz *z, time_t t, struct tm *out);

/*
 * The instant at which the wall clock of zone z (NULL: UTC) shows local's year, month, day, hour,
 * minute and second (fields in range; tm_wday, tm_yday, tm_isdst are ignored). A time
 * the clocks show twice (when they go back) is the earlier instant. A time they skip (when
 * they go forward) is the instant of the jump, the first one whose local time is later,
 * and *skipped (when not NULL) is set; it is cleared otherwise. Returns 0, or
 * HOSTIAM_ERR_INVALID_ARG for fields out of range.
 */
int hostiam_tz_mktime(const struct hostiam_tz *z, const struct tm *local, time_t *out,
		      bool *skipped);

#endif
