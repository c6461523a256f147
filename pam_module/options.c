/* SPDX-License-Identifier: BSD-2-Clause */
/* pam_hostiam options: config=FILE and debug; anything else is logged and ignored. */
#include "config.h"

#include <string.h>
#include <syslog.h>

#include <security/pam_ext.h>

#include "configuration.h"
#include "pam_hostiam.h"

#define CONFIG_PREFIX "config="

/* Fill *opts from the module arguments of the stack line. */
void pam_hostiam_options_parse(pam_handle_t *pamh, int argc, const char **argv,
			       struct pam_hostiam_options *opts)
{
	const size_t prefix_len = strlen(CONFIG_PREFIX);
	int i;

	opts->config = HOSTIAM_DEFAULT_CONFIG;
	opts->debug = false;
	for (i = 0; i < argc; i++) {
		const char *arg = argv[i];

		if (arg == NULL)
			continue;
		if (strcmp(arg, "debug") == 0) {
			opts->debug = true;
		} else if (strncmp(arg, CONFIG_PREFIX, prefix_len) == 0 &&
			   arg[prefix_len] != '\0') {
			opts->config = arg + prefix_len;
		} else {
			/* An unknown option must not change the decision: log it, go on. */
			pam_syslog(pamh, LOG_ERR, "unknown option ignored: %s", arg);
		}
	}
}
