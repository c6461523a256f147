/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The audit trail: every decision, MFA result, password step, terms acceptance, grant use
 * and certification as one structured event, to the journal (sd_journal_send, where built
 * with libsystemd and audit.journal is on) and as one JSON line to <state_dir>/audit.jsonl
 * (root-only, rotated by size). Auditing never changes a login: a failed write is logged
 * once through hostiam_log and the caller goes on. No code, secret or password is ever
 * part of an event.
 */
#ifndef HOSTIAM_AUDIT_H
#define HOSTIAM_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "configuration.h"

/* The event types; their names are the "event" field, their MESSAGE_IDs in hostiam(8). */
enum hostiam_audit_kind {
	HOSTIAM_AUDIT_DECISION, /* a policy decision (decide.c's decision line) */
	HOSTIAM_AUDIT_MFA,      /* the auth side of an `mfa` decision, with its result */
	HOSTIAM_AUDIT_PASSWORD, /* the directory password step (PAM option `password`) */
	HOSTIAM_AUDIT_TERMS,    /* terms of use accepted, declined or missing */
	HOSTIAM_AUDIT_GRANT,    /* a login let in through a just-in-time grant */
	HOSTIAM_AUDIT_CERTIFY,  /* a reviewer's decision, or a campaign closed */
	HOSTIAM_AUDIT_KINDS
};

/* The file under the state directory, and its rotated copies NAME.1 .. NAME.keep. */
#define HOSTIAM_AUDIT_FILE "audit.jsonl"

/* Longest value taken from a user (names, rhost, tty, notes): longer ones are cut there. */
#define HOSTIAM_AUDIT_VALUE_MAX 512

/* Longest line written: every value at its maximum, each byte escaped, fits. */
#define HOSTIAM_AUDIT_LINE_MAX 65536

/*
 * One event. Every string may be NULL (absent: null in JSON, no field in the journal) and
 * is copied, escaped, as it is; time 0 means now. factors is a comma-separated list of
 * what hostiam verified ("password,totp"), written as a JSON array.
 */
struct hostiam_audit_event {
	enum hostiam_audit_kind kind;
	time_t time;
	const char *service, *user, *rhost, *tty;
	const char *rule, *decision, *mode, *reason, *factors, *result;
	unsigned long grant; /* 0: none */
	/* terms */
	const char *terms, *version;
	/* certify */
	unsigned long campaign;
	const char *reviewer, *note;
};

/* "decision", "mfa", "password", "terms", "grant", "certify"; NULL when out of range. */
const char *hostiam_audit_kind_name(enum hostiam_audit_kind kind);

/* The kind named name; -1 when none. */
int hostiam_audit_kind_lookup(const char *name);

/* The event type's MESSAGE_ID (32 hex digits), as documented in hostiam(8). */
const char *hostiam_audit_message_id(enum hostiam_audit_kind kind);

/*
 * s as a JSON string, quotes included, into buf (always NUL-terminated when len > 0).
 * '"', '\' and the controls U+0000-U+001F, U+007F-U+009F, U+2028, U+2029 are escaped
 * (\uXXXX), valid UTF-8 is kept, and each byte that is not part of valid UTF-8 (a stray
 * byte, an overlong form, a surrogate, above U+10FFFF) is written as \u00XX, the code
 * point of the same number, so the result is valid JSON for any input. At most max bytes
 * of s are read. Returns the length the whole result needs (as snprintf does).
 */
size_t hostiam_json_quote(char *buf, size_t len, const char *s, size_t max);

/*
 * ev as one JSON line, '\n' included, into buf; host is this host's name. Returns the
 * length, or 0 if it did not fit (never with len >= HOSTIAM_AUDIT_LINE_MAX).
 */
size_t hostiam_audit_format(const struct hostiam_audit_event *ev, const char *host, char *buf,
			    size_t len);

/*
 * Append line (len bytes, one event) to <state_dir>/audit.jsonl with one write(), under an
 * exclusive flock of the file, first rotating it (NAME -> NAME.1 -> ... -> NAME.keep) when
 * the line would take it past max_size. The directory is created 0700 if missing; the
 * directory and the file must be root's (or the caller's), mode 0700/0600, no symlink,
 * else HOSTIAM_ERR_INSECURE_FILE. Safe with any number of concurrent writers. Returns 0
 * or an error (errno kept for HOSTIAM_ERR_SYSTEM).
 */
int hostiam_audit_file_append(const char *state_dir, const struct hostiam_audit_config *ac,
			      const char *line, size_t len);

/*
 * ev to the journal with its HOSTIAM_* fields and MESSAGE_ID; host as in the file. Returns
 * 0, or an error when no journal took it (none running, or built without libsystemd:
 * HOSTIAM_ERR_UNAVAILABLE). Never blocks on a missing journald.
 */
int hostiam_audit_journal(const struct hostiam_audit_event *ev, const char *host);

/*
 * Record ev where cfg's audit section says (cfg NULL, an unusable configuration: the
 * journal only, the file's place being unknown). A failure is logged once and returned;
 * callers go on as if it had worked.
 */
int hostiam_audit_record(const struct hostiam_config *cfg, const struct hostiam_audit_event *ev);

#endif
