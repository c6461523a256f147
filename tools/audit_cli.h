/* SPDX-License-Identifier: BSD-2-Clause */
/* hostiam audit: the events of STATE_DIR/audit.jsonl read back (audit_read.c, cmd_audit.c). */
#ifndef HOSTIAM_AUDIT_CLI_H
#define HOSTIAM_AUDIT_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

/* More members than any event of ours has; a line with more is not one of ours. */
#define AUDIT_MAX_FIELDS 32

enum audit_value {
	AUDIT_NULL,
	AUDIT_STRING,
	AUDIT_NUMBER, /* digits only, kept as text */
	AUDIT_LIST,   /* an array of strings, kept comma-joined */
	AUDIT_BOOL,   /* true or false, kept as text */
};

/* One member of an event, in file order; key and text owned by the event. */
struct audit_field {
	char *key;
	char *text; /* NULL for null */
	enum audit_value type;
};

/* One event read back: its members and its time. */
struct audit_event {
	struct audit_field f[AUDIT_MAX_FIELDS];
	size_t n;
	time_t time; /* "time" as seconds since 1970 */
};

/*
 * Parse line (NUL-terminated, no newline) as one event: a JSON object whose members are
 * strings, null, numbers, booleans or arrays of strings, with a "time" in RFC 3339 UTC
 * ("2026-12-03T00:39:05Z") and an "event". 0 and *ev (free with audit_event_free), or -1:
 * not an event.
 */
int audit_event_parse(const char *line, struct audit_event *ev);

/* The text of member key: NULL when it is null or absent. */
const char *audit_event_get(const struct audit_event *ev, const char *key);

void audit_event_free(struct audit_event *ev);

#endif
