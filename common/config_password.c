/* SPDX-License-Identifier: BSD-2-Clause */
/* The `password` section: directory passwords checked by pam_hostiam's `password` option. */
#include "config.h"

#include <stddef.h>

#include "config_internal.h"

#define P(field) offsetof(struct hostiam_password_config, field)

const struct cfg_key cfg_password_keys[] = {
	/* Up to ten years; 0 turns offline logins with a password off. */
	{ "offline_days", CFG_INT, cfg_parse_int, P(offline_days), 0, 3650, NULL, NULL },
	{ NULL, 0, NULL, 0, 0, 0, NULL, NULL },
};

/* Defaults that need no allocation. */
void cfg_password_defaults(struct hostiam_password_config *p)
{
	p->offline_days = 7;
}
