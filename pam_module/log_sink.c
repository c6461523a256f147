/* The module's logging sink: hostiam_log() lines go to pam_syslog() for one call. */
#include "config.h"

#include <stddef.h>
#include <syslog.h>

#include <security/pam_ext.h>

#include "log.h"
#include "pam_hostiam.h"

/* Hand one finished line to pam_syslog (authpriv, prefixed with the module and service). */
static void pam_sink(int priority, const char *line, void *ctx)
{
	pam_syslog((pam_handle_t *)ctx, priority, "%s", line);
}

/* From now until pam_hostiam_log_end(), the core logs through pamh. */
void pam_hostiam_log_begin(pam_handle_t *pamh, bool debug)
{
	hostiam_log_set_level(debug ? LOG_DEBUG : LOG_INFO);
	hostiam_log_set_sink(pam_sink, pamh);
}

/* Put the defaults back: pamh is about to go away, and must not be logged through later. */
void pam_hostiam_log_end(void)
{
	hostiam_log_set_sink(NULL, NULL);
	hostiam_log_set_level(LOG_INFO);
}
