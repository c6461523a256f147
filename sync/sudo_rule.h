/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A sudoRole entry as read from the directory (sudo's LDAP schema, sudoers.ldap(5)): its
 * DN and the raw values of each attribute, not yet validated. sudo_fetch fills them,
 * sudo_host and sudo_render judge them.
 */
#ifndef HOSTIAM_SUDO_RULE_H
#define HOSTIAM_SUDO_RULE_H

#include <stdbool.h>
#include <stddef.h>

/* The attributes of a sudoRole this agent reads, in the order of sudo_rule_attrs. */
enum sudo_attr {
	SUDO_USER,
	SUDO_HOST,
	SUDO_COMMAND,
	SUDO_RUNAS_USER,
	SUDO_RUNAS_GROUP,
	SUDO_RUNAS, /* sudoRunAs: deprecated; sudo reads it as sudoRunAsUser when that is absent */
	SUDO_OPTION,
	SUDO_ORDER,
	SUDO_NOT_BEFORE,
	SUDO_NOT_AFTER,
	SUDO_N_ATTRS
};

struct sudo_values {
	char **v; /* NUL-terminated copies */
	size_t n;
};

struct sudo_rule {
	char *dn;
	struct sudo_values a[SUDO_N_ATTRS];
	bool binary; /* a value held a NUL byte or was not UTF-8: the rule is never rendered */
};

struct sudo_rules {
	struct sudo_rule *v;
	size_t n, cap;
};

/* The LDAP names, indexed by enum sudo_attr, NULL-terminated (static). */
extern const char *const sudo_rule_attrs[SUDO_N_ATTRS + 1];

/* Free every rule and leave rules empty. */
void sudo_rules_free(struct sudo_rules *rules);

#endif
