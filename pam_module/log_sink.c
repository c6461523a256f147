/* SPDX-License-Identifier: BSD-2-Clause */
/* The module's logging sink: hostiam_log() lines go to pam_syslog() for one call. */
#include "config.h"

#include <stddef.h>
#include <syslog.h>

#include <security/pam_ext.h>

#include "configuration.h"
#include "errors.h"
#include "log.h"
#include "pam_hostiam.h"

/* Hand one finished line to pam_syslog (authpriv, prefixed with the module and service). */
static void pam_sink(int priority, const char *line, void *ctx)
{
	pam_syslog((pam_handle_t *)ctx, priority, "%s", line);
}

/*
 * From now until pam_hostiam_log_end(), the core logs through pamh on this thread only:
 * the sink and level are per thread, so a login on another thread keeps its own handle.
 */
void pam_hostiam_log_begin(pam_handle_t *pamh, bool debug)
{
	hostiam_log_set_level(debug ? LOG_DEBUG : LOG_INFO);
	hostiam_log_set_sink(pam_sink, pamh);
}

/* Put this thread's defaults back: pamh is about to go away, and must not be logged through. */
void pam_hostiam_log_end(void)
{
	hostiam_log_set_sink(NULL, NULL);
	hostiam_log_set_level(LOG_INFO);
}

/* Log why the configuration could not be used: every error with file, line and key. */
void pam_hostiam_log_config_errors(const char *path, int rc,
				   const struct hostiam_config_errors *errs)
{
	char buf[768];
	size_t i;

	for (i = 0; i < errs->n; i++) {
		hostiam_config_error_format(&errs->items[i], buf, sizeof(buf));
		hostiam_log(LOG_ERR, "configuration error: %s", buf);
	}
	if (errs->n == 0)
		hostiam_log(LOG_ERR, "configuration error: %s: %s", path, hostiam_strerror(rc));
}
