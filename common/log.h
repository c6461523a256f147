/* The one logging seam of common/: the edge (PAM, agent, CLI) decides where lines go. */
#ifndef HOSTIAM_LOG_H
#define HOSTIAM_LOG_H

#include <syslog.h>

/* Receives one finished line (no trailing newline) and its syslog priority. */
typedef void (*hostiam_log_fn)(int priority, const char *line, void *ctx);

/* Route log lines to fn; fn == NULL restores the default (syslog, authpriv, "hostiam"). */
void hostiam_log_set_sink(hostiam_log_fn fn, void *ctx);

/* Lines below this priority are dropped (default LOG_INFO; LOG_DEBUG with "debug"). */
void hostiam_log_set_level(int max_priority);

/* Format and emit one line. Never pass secrets, codes or passwords. */
void hostiam_log(int priority, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Ready-made sinks: stderr ("hostiam: line"), and syslog authpriv with ident "hostiam". */
void hostiam_log_stderr(int priority, const char *line, void *ctx);
void hostiam_log_syslog(int priority, const char *line, void *ctx);

#endif
