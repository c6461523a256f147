/* SPDX-License-Identifier: BSD-2-Clause */
/* Is the directory reachable? A connect and bind, nothing read. */
#include "config.h"

#include <stdio.h>
#include <syslog.h>

#include "dir_conn.h"
#include "dir_probe.h"
#include "log.h"

int dir_probe(const struct hostiam_directory_config *d, char *server, size_t server_len, char *err,
	      size_t err_len)
{
	struct dir_conn conn = { 0 };
	int rc, level;

	/* The connection code logs each failed server; the caller reports the summary instead. */
	level = hostiam_log_set_level(LOG_CRIT);
	rc = dir_conn_open(d, &conn, err, err_len);
	hostiam_log_set_level(level);
	if (rc < 0)
		return rc;
	snprintf(server, server_len, "%s", conn.uri);
	dir_conn_close(&conn);
	return 0;
}
