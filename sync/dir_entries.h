/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Raw directory entries: the attributes hostiam uses, copied out of LDAP messages as text,
 * before any validation (dir_resolve.c decides what is usable). Member DNs are normalised
 * here, where libldap is at hand.
 */
#ifndef HOSTIAM_DIR_ENTRIES_H
#define HOSTIAM_DIR_ENTRIES_H

#include <ldap.h>
#include <stdbool.h>
#include <stddef.h>

#include "account_state.h"
#include "configuration.h"

enum dir_kind {
	DIR_USER,
	DIR_GROUP
};

struct dir_strv {
	char **v;
	size_t n;
	char *block; /* when set, every v[i] points into it (one allocation, one free), or the
		      strings are interned (dir_intern.h) and not freed with the vector */
};

struct dir_entry {
	enum dir_kind kind;
	char *dn;   /* as the server sent it, for log lines */
	char *ndn;  /* normalised; NULL when the DN does not parse */
	char *name; /* uid or cn; the RDN's value when multi-valued */
	char *id;   /* uidNumber (users) or gidNumber (groups), as text */
	char *gid;  /* users: gidNumber, as text */
	char *gecos, *cn, *home, *shell;
	struct dir_strv keys;          /* users: SSH public keys */
	char *totp_secret;             /* users: base32 TOTP secret (map.totp_secret); wiped */
	char *account[HOSTIAM_ACCT_N]; /* users: account-state values as sent, or NULL */
	struct dir_strv member_names;  /* groups: memberUid values */
	struct dir_strv member_dns;    /* groups: member/uniqueMember values, normalised */
	char *bad_attr;                /* an attribute with a NUL or non-UTF-8 value, or NULL */
	unsigned logged;               /* dir_resolve: problems already reported */
};

/* Which attributes carry what; names from the configuration. */
struct dir_schema {
	const char *ssh_key;     /* map.ssh_key */
	const char *totp_secret; /* map.totp_secret */
	/* map.shadow_expire ... map.ad_expires, in enum hostiam_account_attr order; requested
	   by name, so that operational ones (pwdAccountLockedTime) come back too */
	const char *account[HOSTIAM_ACCT_N];
	const struct hostiam_strlist *members; /* groups.members */
};

/* A growable list of owned entries. */
struct dir_list {
	struct dir_entry **v;
	size_t n, cap;
};

/* The attributes to request for kind, NULL-terminated; free with dir_attrs_free. */
char **dir_attrs_new(enum dir_kind kind, const struct dir_schema *s);
void dir_attrs_free(char **attrs);

/*
 * The same list allocated with libldap's allocator (for ldap_sync_t, which frees it with
 * ldap_memfree): complete, or NULL when any allocation failed.
 */
char **dir_attrs_new_ber(enum dir_kind kind, const struct dir_schema *s);
void dir_attrs_free_ber(char **attrs);

/*
 * Copy the attributes of msg that matter for kind into a new entry. Returns 0 and *out,
 * HOSTIAM_ERR_NOMEM, or HOSTIAM_ERR_DIRECTORY when the message cannot be decoded (logged
 * with the DN): the whole read must then fail. Bad values do not fail: they set bad_attr
 * for the resolver.
 */
int dir_entry_parse(LDAP *ld, LDAPMessage *msg, enum dir_kind kind, const struct dir_schema *s,
		    struct dir_entry **out);
void dir_entry_free(struct dir_entry *e);

/* Free the member lists of e (a full sync, once they are resolved: most of its memory). */
void dir_entry_drop_members(struct dir_entry *e);
/* Free the memberUid values of e alone. */
void dir_entry_drop_member_names(struct dir_entry *e);

/*
 * The comparable form of a DN: LDAPv3 string syntax, escapes made uniform, attribute types
 * and ASCII letters of values lowercased (the naming attributes of user and group entries,
 * cn/uid/ou/dc, all match case-insensitively). Returns 0 and a malloc'd *out,
 * HOSTIAM_ERR_INVALID_ARG or HOSTIAM_ERR_NOMEM.
 */
int dir_dn_normalize(const char *dn, char **out);

/* True if the len bytes at s are UTF-8 without NUL bytes. */
bool dir_valid_utf8(const char *s, size_t len);

/* Append e (ownership moves to the list); HOSTIAM_ERR_NOMEM leaves e with the caller. */
int dir_list_push(struct dir_list *l, struct dir_entry *e);
void dir_list_free(struct dir_list *l);

#endif
