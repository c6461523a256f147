#include "config.h"

#include <stdarg.h>
#include <stdio.h>

#include "log.h"

static hostiam_log_fn sink_fn = hostiam_log_syslog;
static void *sink_ctx;
static int max_level = LOG_INFO;

void hostiam_log_set_sink(hostiam_log_fn fn, void *ctx)
{
	sink_fn = fn ? fn : hostiam_log_syslog;
	sink_ctx = fn ? ctx : NULL;
}

void hostiam_log_set_level(int max_priority)
{
	max_level = max_priority;
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
	sink_fn(priority, line, sink_ctx);
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
