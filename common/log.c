/* SPDX-License-Identifier: BSD-2-Clause */
#include "config.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "parse_num.h"

/*
 * Per thread, never per process: in a threaded PAM application each login runs on its own
 * thread with its own pam_handle_t, and one login must never log through another's handle
 * (which may be freed by then) nor at another's level. A thread that set nothing logs to
 * syslog at LOG_INFO.
 */
static _Thread_local hostiam_log_fn sink_fn;
static _Thread_local void *sink_ctx;
static _Thread_local int max_level = LOG_INFO;

void hostiam_log_set_sink(hostiam_log_fn fn, void *ctx)
{
	sink_fn = fn;
	sink_ctx = fn ? ctx : NULL;
}

void hostiam_log_get(hostiam_log_fn *fn, void **ctx, int *max_priority)
{
	*fn = sink_fn;
	*ctx = sink_ctx;
	*max_priority = max_level;
}

int hostiam_log_set_level(int max_priority)
{
	int old = max_level;

	max_level = max_priority;
	return old;
}

void hostiam_log(int priority, const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	if (priority > max_level)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (sink_fn)
		sink_fn(priority, line, sink_ctx);
	else
		hostiam_log_syslog(priority, line, NULL);
}

void hostiam_log_stderr(int priority, const char *line, void *ctx)
{
	(void)priority;
	(void)ctx;
	fprintf(stderr, "hostiam: %s\n", line);
}

void hostiam_log_syslog(int priority, const char *line, void *ctx)
{
	(void)ctx;
	/* openlog() would change the ident of the host process (sshd), so pass it per call. */
	syslog(LOG_AUTHPRIV | priority, "hostiam: %s", line);
}

/* JOURNAL_STREAM is inherited by every child of the service, so the device and inode are
 * compared, not just the variable's presence: a child whose stderr was redirected is not
 * writing to the journal. */
bool hostiam_log_stderr_is_journal(void)
{
	const char *js = getenv("JOURNAL_STREAM"), *colon;
	unsigned long dev, ino;
	struct stat st;

	if (!js || !(colon = strchr(js, ':')))
		return false;
	if (hostiam_parse_ulong_n(js, (size_t)(colon - js), 0, ULONG_MAX, &dev) < 0 ||
	    hostiam_parse_ulong(colon + 1, 0, ULONG_MAX, &ino) < 0)
		return false;
	if (fstat(STDERR_FILENO, &st) < 0)
		return false;
	return (unsigned long)st.st_dev == dev && (unsigned long)st.st_ino == ino;
}
