/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hostiam_audit_record: one event to where the configuration sends it. A failure is one
 * log line and a returned error, never more: auditing must not change or hold up a login.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "audit.h"
#include "errors.h"
#include "log.h"

/* This host's name, "-" if it has none. */
static void host_name(char *buf, size_t len)
{
	if (gethostname(buf, len - 1) < 0 || buf[0] == '\0')
		strcpy(buf, "-");
	buf[len - 1] = '\0';
}

/* The JSON line to the file; an error logged once. */
static int to_file(const struct hostiam_config *cfg, const struct hostiam_audit_event *ev,
		   const char *host)
{
	char *line = malloc(HOSTIAM_AUDIT_LINE_MAX);
	size_t len;
	int r;

	if (line == NULL) {
		r = HOSTIAM_ERR_NOMEM;
	} else if ((len = hostiam_audit_format(ev, host, line, HOSTIAM_AUDIT_LINE_MAX)) == 0) {
		r = HOSTIAM_ERR_INTERNAL;
	} else {
		r = hostiam_audit_file_append(cfg->cache.state_dir, &cfg->audit, line, len);
	}
	if (r < 0) {
		int e = errno;

		hostiam_log(LOG_ERR, "audit event not written to %s/%s: %s%s%s",
			    cfg->cache.state_dir, HOSTIAM_AUDIT_FILE, hostiam_strerror(r),
			    r == HOSTIAM_ERR_SYSTEM ? ": " : "",
			    r == HOSTIAM_ERR_SYSTEM ? strerror(e) : "");
	}
	free(line);
	return r;
}

/* See audit.h. */
int hostiam_audit_record(const struct hostiam_config *cfg, const struct hostiam_audit_event *ev)
{
	char host[256];
	int r = 0;

	if (ev == NULL || hostiam_audit_kind_name(ev->kind) == NULL)
		return HOSTIAM_ERR_INVALID_ARG;
	host_name(host, sizeof(host));
	/* A host without journald is covered by the file: its absence is no error. */
	if (cfg == NULL || cfg->audit.journal)
		(void)hostiam_audit_journal(ev, host);
	if (cfg != NULL && cfg->audit.file && cfg->cache.state_dir != NULL)
		r = to_file(cfg, ev, host);
	return r;
}
