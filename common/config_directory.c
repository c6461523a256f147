/* SPDX-License-Identifier: BSD-2-Clause */
/* The `directory` section: where and how the agent reads users and groups. */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config_internal.h"
#include "ldap_uri.h"

#define D(field) offsetof(struct hostiam_directory_config, field)

/* Each URI must be one the sync can use; reported at the line of the bad item. */
static void parse_uris(struct cfg_ctx *ctx, const config_setting_t *s, void *base,
		       const struct cfg_key *k)
{
	char why[200];
	int i;

	for (i = 0; i < cfg_items(s); i++) {
		const config_setting_t *e = cfg_item(s, i);
		const char *v = config_setting_get_string(e);

		if (v && v[0] && hostiam_ldap_uri_check(v, why, sizeof(why)) < 0)
			cfg_error_at(ctx, e, s, NULL, "%s", why);
	}
	cfg_parse_strings(ctx, s, base, k);
}

/* An LDAP filter: parenthesised, balanced, one top-level term (literal parens are \28 \29). */
static void parse_filter(struct cfg_ctx *ctx, const config_setting_t *s, void *base,
			 const struct cfg_key *k)
{
	const char *v = config_setting_get_string(s);
	size_t i, len = strlen(v);
	int depth = 0;

	for (i = 0; i < len; i++) {
		depth += v[i] == '(' ? 1 : v[i] == ')' ? -1 : 0;
		/* Back at depth 0 before the end: unbalanced or two terms side by side. */
		if (depth < 0 || (depth == 0 && i + 1 < len))
			break;
	}
	if (len < 3 || v[0] != '(' || v[len - 1] != ')' || i != len || depth != 0) {
		cfg_error(ctx, s, "\"%s\" is not a parenthesised LDAP filter", v);
		return;
	}
	cfg_parse_string(ctx, s, base, k);
}

/* A path to a file: config-check reports the line when the file cannot be read. */
static void parse_file(struct cfg_ctx *ctx, const config_setting_t *s, void *base,
		       const struct cfg_key *k)
{
	struct hostiam_directory_config *d = base;
	int line = (int)config_setting_source_line(s);

	cfg_parse_path(ctx, s, base, k);
	if (k->offset == D(tls_ca_file))
		d->tls_ca_file_line = line;
	else
		d->bind_password_file_line = line;
}

/*
 * The sudoers fragment: an absolute path whose name sudo's @includedir reads. sudo skips
 * names that contain '.' or end in '~' there, so such a file would be silently ignored.
 */
static void parse_sudo_file(struct cfg_ctx *ctx, const config_setting_t *s, void *base,
			    const struct cfg_key *k)
{
	const char *v = config_setting_get_string(s);
	const char *name = strrchr(v, '/');
	size_t len;

	name = name ? name + 1 : v;
	len = strlen(name);
	if (v[0] == '/' && (len == 0 || strchr(name, '.') || name[len - 1] == '~')) {
		cfg_error(ctx, s,
			  "\"%s\": sudo ignores a file in sudoers.d whose name is empty, contains "
			  "'.' or ends in '~'",
			  v);
		return;
	}
	cfg_parse_path(ctx, s, base, k);
}

static const struct cfg_key sudo_keys[] = {
	{ "base", CFG_STRING, cfg_parse_string, D(sudo_base), 0, 0, NULL, NULL },
	{ "file", CFG_STRING, parse_sudo_file, D(sudo_file), 0, 0, NULL, NULL },
	{ NULL, 0, NULL, 0, 0, 0, NULL, NULL },
};

static const struct cfg_key grants_keys[] = {
	{ "base", CFG_STRING, cfg_parse_string, D(grants_base), 0, 0, NULL, NULL },
	{ NULL, 0, NULL, 0, 0, 0, NULL, NULL },
};

static const struct cfg_key users_keys[] = {
	{ "base", CFG_STRING, cfg_parse_string, D(users_base), 0, 0, NULL, NULL },
	{ "filter", CFG_STRING, parse_filter, D(users_filter), 0, 0, NULL, NULL },
	{ NULL, 0, NULL, 0, 0, 0, NULL, NULL },
};

static const struct cfg_key groups_keys[] = {
	{ "base", CFG_STRING, cfg_parse_string, D(groups_base), 0, 0, NULL, NULL },
	{ "filter", CFG_STRING, parse_filter, D(groups_filter), 0, 0, NULL, NULL },
	{ "members", CFG_STRINGS, cfg_parse_strings, D(group_members), 1, 0, NULL, NULL },
	{ NULL, 0, NULL, 0, 0, 0, NULL, NULL },
};

static const struct cfg_key map_keys[] = {
	{ "totp_secret", CFG_STRING, cfg_parse_string, D(map_totp_secret), 0, 0, NULL, NULL },
	{ "ssh_key", CFG_STRING, cfg_parse_string, D(map_ssh_key), 0, 0, NULL, NULL },
	{ "shadow_expire", CFG_STRING, cfg_parse_string, D(map_shadow_expire), 0, 0, NULL, NULL },
	{ "shadow_last_change", CFG_STRING, cfg_parse_string, D(map_shadow_last_change), 0, 0, NULL,
	  NULL },
	{ "shadow_max", CFG_STRING, cfg_parse_string, D(map_shadow_max), 0, 0, NULL, NULL },
	{ "locked_time", CFG_STRING, cfg_parse_string, D(map_locked_time), 0, 0, NULL, NULL },
	{ "account_lock", CFG_STRING, cfg_parse_string, D(map_account_lock), 0, 0, NULL, NULL },
	{ "ad_control", CFG_STRING, cfg_parse_string, D(map_ad_control), 0, 0, NULL, NULL },
	{ "ad_expires", CFG_STRING, cfg_parse_string, D(map_ad_expires), 0, 0, NULL, NULL },
	{ NULL, 0, NULL, 0, 0, 0, NULL, NULL },
};

const struct cfg_key cfg_directory_keys[] = {
	{ "uri", CFG_STRINGS, parse_uris, D(uris), 1, 0, NULL, NULL },
	{ "base", CFG_STRING, cfg_parse_string, D(base), 0, 0, NULL, NULL },
	{ "bind_dn", CFG_STRING, cfg_parse_string, D(bind_dn), 0, 0, NULL, NULL },
	{ "bind_password_file", CFG_STRING, parse_file, D(bind_password_file), 0, 0, NULL, NULL },
	{ "starttls", CFG_BOOL, cfg_parse_bool, D(starttls), 0, 0, NULL, NULL },
	{ "tls_ca_file", CFG_STRING, parse_file, D(tls_ca_file), 0, 0, NULL, NULL },
	{ "timeout", CFG_INT, cfg_parse_int, D(timeout), 1, 300, NULL, NULL },
	{ "page_size", CFG_INT, cfg_parse_int, D(page_size), 1, 100000, NULL, NULL },
	{ "refresh", CFG_INT, cfg_parse_int, D(refresh), 10, INT32_MAX, NULL, NULL },
	{ "users", CFG_GROUP, cfg_parse_group, 0, 0, 0, NULL, users_keys },
	{ "groups", CFG_GROUP, cfg_parse_group, 0, 0, 0, NULL, groups_keys },
	{ "referrals", CFG_BOOL, cfg_parse_bool, D(referrals), 0, 0, NULL, NULL },
	{ "map", CFG_GROUP, cfg_parse_group, 0, 0, 0, NULL, map_keys },
	/* Never 0: the directory must not be able to define root or its group. */
	{ "min_uid", CFG_INT, cfg_parse_u32, D(min_uid), 1, 4294967294LL, NULL, NULL },
	{ "min_gid", CFG_INT, cfg_parse_u32, D(min_gid), 1, 4294967294LL, NULL, NULL },
	{ "sudo", CFG_GROUP, cfg_parse_group, 0, 0, 0, NULL, sudo_keys },
	{ "grants", CFG_GROUP, cfg_parse_group, 0, 0, 0, NULL, grants_keys },
	{ NULL, 0, NULL, 0, 0, 0, NULL, NULL },
};

/* The numeric defaults; strings are filled in by cfg_directory_finish. */
void cfg_directory_defaults(struct hostiam_directory_config *d)
{
	d->timeout = 5;
	d->page_size = 500;
	d->refresh = 300;
	d->min_uid = 1000;
	d->min_gid = 1000;
}

/* The list every RFC 2307 / 2307bis directory needs: names and DNs. */
static void default_members(struct cfg_ctx *ctx, struct hostiam_strlist *l)
{
	static const char *const names[] = { "memberUid", "member" };
	size_t i;

	if (l->items)
		return;
	l->items = calloc(2, sizeof(char *));
	if (l->items == NULL) {
		cfg_oom(ctx);
		return;
	}
	for (i = 0; i < 2; i++)
		if ((l->items[l->n] = cfg_strdup(ctx, names[i])) != NULL)
			l->n++;
}

/* A bind password must not cross the network in clear: ldap:// needs StartTLS off-host. */
static void check_cleartext_bind(struct cfg_ctx *ctx, const config_setting_t *uris,
				 const struct hostiam_directory_config *d)
{
	const config_setting_t *at;
	size_t i;

	for (i = 0; i < d->uris.n; i++) {
		if (!hostiam_ldap_uri_cleartext_remote(d->uris.items[i]))
			continue;
		at = uris && config_setting_is_aggregate(uris) ?
			config_setting_get_elem(uris, (unsigned)i) :
			uris;
		cfg_error_at(ctx, at ? at : uris, uris, NULL,
			     "item %zu: \"%s\": bind_dn is set, and its password would cross the "
			     "network in clear text: use ldaps://, starttls = true, or ldapi://",
			     i, d->uris.items[i]);
	}
}

/* The strings every configuration has, directory or not (commands name the attributes). */
static void default_strings(struct cfg_ctx *ctx, struct hostiam_directory_config *d)
{
	cfg_default_string(ctx, &d->users_base, d->base);
	cfg_default_string(ctx, &d->groups_base, d->base);
	cfg_default_string(ctx, &d->users_filter, "(objectClass=posixAccount)");
	cfg_default_string(ctx, &d->groups_filter,
			   "(|(objectClass=posixGroup)(objectClass=groupOfNames))");
	cfg_default_string(ctx, &d->map_totp_secret, "hostiamTotpSecret");
	cfg_default_string(ctx, &d->map_ssh_key, "sshPublicKey");
	cfg_default_string(ctx, &d->map_shadow_expire, "shadowExpire");
	cfg_default_string(ctx, &d->map_shadow_last_change, "shadowLastChange");
	cfg_default_string(ctx, &d->map_shadow_max, "shadowMax");
	cfg_default_string(ctx, &d->map_locked_time, "pwdAccountLockedTime");
	cfg_default_string(ctx, &d->map_account_lock, "nsAccountLock");
	cfg_default_string(ctx, &d->map_ad_control, "userAccountControl");
	cfg_default_string(ctx, &d->map_ad_expires, "accountExpires");
	default_members(ctx, &d->group_members);
}

/*
 * directory.sudo: base is required (rules carry authority: never a default, never the
 * whole tree, where anyone who may write anywhere could plant one); file has a default.
 */
static void sudo_finish(struct cfg_ctx *ctx, const config_setting_t *s,
			struct hostiam_directory_config *d)
{
	if (s == NULL || config_setting_type(s) != CONFIG_TYPE_GROUP)
		return;
	cfg_require(ctx, s, "base");
	if (d->sudo_base && d->base && strcasecmp(d->sudo_base, d->base) == 0)
		cfg_error(ctx, config_setting_get_member(s, "base"),
			  "\"%s\" is directory.base, the whole tree: give the subtree that holds "
			  "only the sudo rules",
			  d->sudo_base);
	if (d->sudo_base)
		cfg_default_string(ctx, &d->sudo_file, "/etc/sudoers.d/hostiam");
}

/*
 * directory.grants: base is required and is not the whole tree, for the same reason as
 * the sudo rules' (a grant makes someone a member of a group that may be root's).
 */
static void grants_finish(struct cfg_ctx *ctx, const config_setting_t *s,
			  struct hostiam_directory_config *d)
{
	if (s == NULL || config_setting_type(s) != CONFIG_TYPE_GROUP)
		return;
	cfg_require(ctx, s, "base");
	if (d->grants_base && d->base && strcasecmp(d->grants_base, d->base) == 0)
		cfg_error(ctx, config_setting_get_member(s, "base"),
			  "\"%s\" is directory.base, the whole tree: give the subtree that holds "
			  "only the grants",
			  d->grants_base);
}

/*
 * Required keys, the bind_dn/password-file pair, and the string defaults. s NULL is a host
 * without a directory (MFA and access rules for local users only): valid, not configured.
 */
void cfg_directory_finish(struct cfg_ctx *ctx, const config_setting_t *s,
			  struct hostiam_directory_config *d)
{
	d->configured = s != NULL;
	if (s == NULL) {
		default_strings(ctx, d);
		return;
	}
	cfg_require(ctx, s, "uri");
	cfg_require(ctx, s, "base");
	if (d->bind_dn && config_setting_get_member(s, "bind_password_file") == NULL)
		cfg_error_at(ctx, config_setting_get_member(s, "bind_dn"), s, "bind_password_file",
			     "required when bind_dn is set");
	if (!d->bind_dn && d->bind_password_file)
		cfg_error(ctx, config_setting_get_member(s, "bind_password_file"),
			  "only meaningful with bind_dn");
	if (d->bind_dn && !d->starttls)
		check_cleartext_bind(ctx, config_setting_get_member(s, "uri"), d);
	sudo_finish(ctx, config_setting_get_member(s, "sudo"), d);
	grants_finish(ctx, config_setting_get_member(s, "grants"), d);
	default_strings(ctx, d);
}
