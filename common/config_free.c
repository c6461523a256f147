/* SPDX-License-Identifier: BSD-2-Clause */
/* Releasing a configuration, including one that failed half-way through loading. */
#include "config.h"

#include <stdlib.h>

#include "config_internal.h"

/* Free every string of l and leave it empty. */
void cfg_strlist_free(struct hostiam_strlist *l)
{
	size_t i;

	if (l->items) {
		for (i = 0; i < l->n; i++)
			free(l->items[i]);
		free(l->items);
	}
	l->items = NULL;
	l->n = 0;
}

/* Free what one rule owns (not the rule itself: rules live in one array). */
void cfg_rule_free(struct hostiam_rule *r)
{
	free(r->name);
	cfg_strlist_free(&r->users);
	cfg_strlist_free(&r->groups);
	cfg_strlist_free(&r->services);
	cfg_strlist_free(&r->ttys);
	free(r->from);
	free(r->times);
	free(r->message);
	free(r->terms_name);
}

/* Free the directory section's strings and lists. */
static void directory_free(struct hostiam_directory_config *d)
{
	cfg_strlist_free(&d->uris);
	free(d->base);
	free(d->bind_dn);
	free(d->bind_password_file);
	free(d->tls_ca_file);
	free(d->users_base);
	free(d->users_filter);
	free(d->groups_base);
	free(d->groups_filter);
	cfg_strlist_free(&d->group_members);
	free(d->map_totp_secret);
	free(d->map_ssh_key);
	free(d->map_shadow_expire);
	free(d->map_shadow_last_change);
	free(d->map_shadow_max);
	free(d->map_locked_time);
	free(d->map_account_lock);
	free(d->map_ad_control);
	free(d->map_ad_expires);
	free(d->sudo_base);
	free(d->sudo_file);
	free(d->grants_base);
}

/* Frees cfg and everything it owns; NULL is a no-op. */
void hostiam_config_free(struct hostiam_config *cfg)
{
	size_t i;

	if (cfg == NULL)
		return;
	free(cfg->path);
	directory_free(&cfg->directory);
	free(cfg->cache.dir);
	free(cfg->cache.nss_path);
	free(cfg->cache.auth_path);
	free(cfg->cache.state_dir);
	free(cfg->mfa.issuer);
	cfg_strlist_free(&cfg->access.exempt);
	cfg_strlist_free(&cfg->access.non_interactive);
	cfg_strlist_free(&cfg->access.root_switch);
	for (i = 0; i < cfg->access.n_rules; i++)
		cfg_rule_free(&cfg->access.rules[i]);
	free(cfg->access.rules);
	free(cfg->access.timezone);
	hostiam_tz_free(cfg->access.tz);
	cfg_elevation_free(cfg);
	cfg_terms_free(cfg);
	free(cfg);
}
