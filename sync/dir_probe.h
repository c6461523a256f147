/* SPDX-License-Identifier: BSD-2-Clause */
/* Is the directory reachable? The one question tools/ asks of the directory itself. */
#ifndef HOSTIAM_DIR_PROBE_H
#define HOSTIAM_DIR_PROBE_H

#include <stddef.h>

#include "configuration.h"

/*
 * Connect and bind as the agent would (bounded by directory.timeout), then disconnect.
 * Returns 0 and the URI of the server that answered in server, or a negative HOSTIAM_ERR_*
 * with the reason in err. Failures of single servers are not logged: the caller reports.
 */
int dir_probe(const struct hostiam_directory_config *d, char *server, size_t server_len, char *err,
	      size_t err_len);

#endif
