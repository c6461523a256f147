/* Placeholder loader: replaced by the table-driven loader in the next commits. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "configuration.h"
#include "errors.h"

/* Not implemented yet: reports that, so nothing runs on a half-loaded configuration. */
int hostiam_config_load(const char *path, struct hostiam_config **out,
			struct hostiam_config_errors *errs)
{
	memset(errs, 0, sizeof(*errs));
	snprintf(errs->items[0].file, sizeof(errs->items[0].file), "%s", path);
	snprintf(errs->items[0].message, sizeof(errs->items[0].message), "loader not implemented");
	errs->n = 1;
	(void)out;
	return HOSTIAM_ERR_CONFIG;
}

/* FILE:LINE: KEY: MESSAGE */
void hostiam_config_error_format(const struct hostiam_config_error *e, char *buf, size_t len)
{
	snprintf(buf, len, "%s:%d: %s: %s", e->file, e->line, e->key, e->message);
}

/* Nothing is allocated yet. */
void hostiam_config_free(struct hostiam_config *cfg)
{
	free(cfg);
}
