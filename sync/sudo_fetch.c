/* SPDX-License-Identifier: BSD-2-Clause */
/* The sudo rules' search: one base, one object class, the attributes sudo defines. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dir_attrs.h"
#include "dir_entries.h"
#include "dir_search.h"
#include "errors.h"
#include "sudo_fetch.h"

const char *const sudo_rule_attrs[SUDO_N_ATTRS + 1] = {
	[SUDO_USER] = "sudoUser",
	[SUDO_HOST] = "sudoHost",
	[SUDO_COMMAND] = "sudoCommand",
	[SUDO_RUNAS_USER] = "sudoRunAsUser",
	[SUDO_RUNAS_GROUP] = "sudoRunAsGroup",
	[SUDO_RUNAS] = "sudoRunAs",
	[SUDO_OPTION] = "sudoOption",
	[SUDO_ORDER] = "sudoOrder",
	[SUDO_NOT_BEFORE] = "sudoNotBefore",
	[SUDO_NOT_AFTER] = "sudoNotAfter",
	[SUDO_N_ATTRS] = NULL,
};

/* Free what one rule owns. */
static void rule_free(struct sudo_rule *r)
{
	size_t i, j;

	for (i = 0; i < SUDO_N_ATTRS; i++) {
		for (j = 0; j < r->a[i].n; j++)
			free(r->a[i].v[j]);
		free(r->a[i].v);
	}
	free(r->dn);
}

void sudo_rules_free(struct sudo_rules *rules)
{
	size_t i;

	for (i = 0; i < rules->n; i++)
		rule_free(&rules->v[i]);
	free(rules->v);
	memset(rules, 0, sizeof(*rules));
}

/*
 * Append the values of one attribute; a NUL byte inside or invalid UTF-8 marks the rule.
 * Appended, not set: a server may list one attribute twice in an entry.
 */
static int add_values(struct sudo_rule *r, struct sudo_values *out, const struct berval *vals)
{
	size_t i, n = 0;
	char **v;

	while (vals && vals[n].bv_val)
		n++;
	v = realloc(out->v, (out->n + n + 1) * sizeof(char *));
	if (!v)
		return HOSTIAM_ERR_NOMEM;
	out->v = v;
	for (i = 0; i < n; i++) {
		const struct berval *b = &vals[i];

		if (memchr(b->bv_val, '\0', b->bv_len) || !dir_valid_utf8(b->bv_val, b->bv_len))
			r->binary = true;
		out->v[out->n] = strndup(b->bv_val, b->bv_len);
		if (!out->v[out->n])
			return HOSTIAM_ERR_NOMEM;
		out->v[++out->n] = NULL;
	}
	return 0;
}

/* dir_entry_attrs' callback: the values of sudoRole attribute i into the rule. */
static int take(void *ctx, size_t i, const struct berval *vals)
{
	struct sudo_rule *r = ctx;

	return add_values(r, &r->a[i], vals);
}

/* Fill r from one search entry; an attribute list that breaks off is an error, never used. */
static int parse_entry(LDAP *ld, LDAPMessage *msg, struct sudo_rule *r)
{
	return dir_entry_attrs(ld, msg, sudo_rule_attrs, &r->dn, take, r);
}

/* Search callback: append the entry to the list. */
static int collect(LDAP *ld, LDAPMessage *msg, void *ctx)
{
	struct sudo_rules *rules = ctx;
	struct sudo_rule *v;
	int r;

	if (rules->n == rules->cap) {
		size_t cap = rules->cap ? rules->cap * 2 : 16;

		v = realloc(rules->v, cap * sizeof(*v));
		if (!v)
			return HOSTIAM_ERR_NOMEM;
		rules->v = v;
		rules->cap = cap;
	}
	v = &rules->v[rules->n];
	memset(v, 0, sizeof(*v));
	r = parse_entry(ld, msg, v);
	if (r < 0) {
		rule_free(v);
		return r;
	}
	rules->n++;
	return 0;
}

int sudo_fetch(const struct hostiam_config *cfg, LDAP *ld, const volatile sig_atomic_t *stop,
	       struct sudo_rules *out, char *err, size_t err_len)
{
	const struct hostiam_directory_config *d = &cfg->directory;
	struct dir_search_req req = {
		.base = d->sudo_base,
		.filter = "(objectClass=sudoRole)",
		.attrs = (char **)sudo_rule_attrs,
		.page_size = d->page_size > 0 ? d->page_size : 500,
		.timeout = d->timeout > 0 ? d->timeout : 5,
		.stop = stop,
	};
	char why[400];
	int r;

	if (!d->sudo_base)
		return HOSTIAM_ERR_INVALID_ARG;
	r = dir_paged_search(ld, &req, collect, out, why, sizeof(why));
	if (r < 0) {
		snprintf(err, err_len, "cannot read the sudo rules: %s base=%s",
			 r == HOSTIAM_ERR_NOMEM ? hostiam_strerror(r) : why, d->sudo_base);
		sudo_rules_free(out);
	}
	return r;
}
