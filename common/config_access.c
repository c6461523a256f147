/* The `access` section: mode, default decision, break-glass accounts; rules are in config_rule.c. */
#include "config.h"

#include <stddef.h>
#include <stdlib.h>

#include "config_internal.h"

#define A(field) offsetof(struct hostiam_access_config, field)

static const struct cfg_enum modes[] = {
	{ "enforce", HOSTIAM_MODE_ENFORCE },
	{ "report", HOSTIAM_MODE_REPORT },
	{ NULL, 0 },
};

const struct cfg_enum cfg_action_values[] = {
	{ "allow", HOSTIAM_ACTION_ALLOW },
	{ "deny", HOSTIAM_ACTION_DENY },
	{ "mfa", HOSTIAM_ACTION_MFA },
	{ NULL, 0 },
};

const struct cfg_key cfg_access_keys[] = {
	{ "mode", CFG_STRING, cfg_parse_enum, A(mode), 0, 0, modes, NULL },
	{ "default", CFG_STRING, cfg_parse_enum, A(default_action), 0, 0, cfg_action_values, NULL },
	/* An empty exempt list is allowed: some sites want no break-glass account at all. */
	{ "exempt", CFG_STRINGS, cfg_parse_strings, A(exempt), 0, 0, NULL, NULL },
	{ "rules", CFG_GROUPS, cfg_parse_rules, 0, 0, 0, NULL, NULL },
	{ NULL, 0, NULL, 0, 0, 0, NULL, NULL },
};

/* Defaults that need no allocation. */
void cfg_access_defaults(struct hostiam_access_config *a)
{
	a->mode = HOSTIAM_MODE_ENFORCE;
	a->default_action = HOSTIAM_ACTION_DENY;
}

/* exempt defaults to root, so a broken policy never locks out the console. */
void cfg_access_finish(struct cfg_ctx *ctx, struct hostiam_access_config *a)
{
	if (a->exempt.items)
		return;
	a->exempt.items = calloc(1, sizeof(char *));
	if (a->exempt.items == NULL) {
		cfg_oom(ctx);
		return;
	}
	if ((a->exempt.items[0] = cfg_strdup(ctx, "root")) != NULL)
		a->exempt.n = 1;
}
