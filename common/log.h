/* SPDX-License-Identifier: BSD-2-Clause */
/* The one logging seam of common/: the edge (PAM, agent, CLI) decides where lines go. */
#ifndef HOSTIAM_LOG_H
#define HOSTIAM_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <syslog.h>

/* Receives one finished line (no trailing newline) and its syslog priority. */
typedef void (*hostiam_log_fn)(int priority, const char *line, void *ctx);

/*
 * Sink and level belong to the calling thread only: another thread (another login in a
 * threaded PAM application) keeps its own, and a thread that set none logs to the default.
 */

/* Route this thread's lines to fn; fn == NULL restores the default (syslog, authpriv). */
void hostiam_log_set_sink(hostiam_log_fn fn, void *ctx);

/* The calling thread's sink and level, for a thread it starts to log the same way. */
void hostiam_log_get(hostiam_log_fn *fn, void **ctx, int *max_priority);

/*
 * This thread's lines below max_priority are dropped (default LOG_INFO; LOG_DEBUG with
 * "debug"). Returns the level it replaces, for a caller that must put it back.
 */
int hostiam_log_set_level(int max_priority);

/* Format and emit one line. Never pass secrets, codes or passwords. */
void hostiam_log(int priority, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * value as it stands in a log line, into buf: bare when plain printable ASCII, else quoted
 * with '"' and '\' escaped and other bytes as \xHH, as in the decision line, so a
 * user-chosen value cannot end the line or forge a key. Truncates to len, always
 * terminated; a value cut short ends in "...".
 */
void hostiam_log_value(char *buf, size_t len, const char *value);

/*
 * Whether standard error is systemd's journal: JOURNAL_STREAM ("DEVICE:INODE", set by
 * systemd for a service whose stdout or stderr it connects to the journal) names the file
 * that fd 2 is, as systemd.exec(5) says to check. A process that logs to syslog too should
 * then not write its lines to stderr as well: the journal would hold each twice.
 */
bool hostiam_log_stderr_is_journal(void);

/* Ready-made sinks: stderr ("hostiam: line"), and syslog authpriv with ident "hostiam". */
void hostiam_log_stderr(int priority, const char *line, void *ctx);
void hostiam_log_syslog(int priority, const char *line, void *ctx);

#endif
