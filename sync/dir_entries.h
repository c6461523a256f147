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
#include <stdint.h>
#include <string.h>

#include "account_state.h"
#include "configuration.h"

enum dir_kind {
	DIR_USER,
	DIR_GROUP
};

struct dir_strv {
	char **v;
	size_t n;
	char *block; /* when set, every v[i] points into it (one allocation, one free) */
};

/*
 * A group's memberUid values as the numbers of their interned copies (dir_intern.h),
 * sorted and without repeats, each stored as its gap to the one before in 7-bit groups:
 * about 1.4 bytes a value at 100,000 users, against 8 for a pointer. Read them with
 * dir_names_next; set them with dir_names_set.
 */
struct dir_names {
	unsigned char *code; /* malloc'd; NULL when n is 0 */
	size_t n;            /* how many numbers */
};

/* A reading position in a dir_names: start at { nv->code, 0 }. */
struct dir_names_cursor {
	const unsigned char *p;
	uint32_t next; /* the smallest the next number can be */
};

/* The next number of the list (call it at most n times). */
static inline uint32_t dir_names_next(struct dir_names_cursor *c)
{
	uint32_t gap = 0, shift = 0;
	unsigned char b;

	do {
		b = *c->p++;
		gap |= (uint32_t)(b & 0x7f) << shift;
		shift += 7;
	} while (b & 0x80);
	c->next += gap;
	return c->next++;
}

/* The single-valued text of an entry (dir_text), in the order sync.state stores it. */
enum dir_field {
	DIR_DN,      /* as the server sent it, for log lines */
	DIR_NDN,     /* normalised; NULL when the DN does not parse */
	DIR_NAME,    /* uid or cn; the RDN's value when multi-valued */
	DIR_ID,      /* uidNumber (users) or gidNumber (groups), as text */
	DIR_GID,     /* users: gidNumber, as text */
	DIR_GECOS,   /* users */
	DIR_CN,      /* users */
	DIR_HOME,    /* users */
	DIR_SHELL,   /* users */
	DIR_TOTP,    /* users: base32 TOTP secret (map.totp_secret); wiped */
	DIR_ACCOUNT, /* users: account-state values as sent, DIR_ACCOUNT + enum
			hostiam_account_attr, up to DIR_BAD_ATTR */
	DIR_BAD_ATTR = DIR_ACCOUNT + HOSTIAM_ACCT_N, /* an attribute with a NUL or non-UTF-8
							value */
	DIR_FIELDS
};

/*
 * An entry as it is built (parse, sync.state): every string an allocation of its own.
 * dir_entry_pack makes the entry the model keeps.
 */
struct dir_draft {
	enum dir_kind kind;
	char *text[DIR_FIELDS];        /* malloc'd, or NULL */
	struct dir_strv keys;          /* users: SSH public keys */
	struct dir_names member_names; /* groups: memberUid values */
	struct dir_strv member_dns;    /* groups: member/uniqueMember values, normalised */
};

/* A group's member values, an allocation of its own (dir_entry_drop_members frees it). */
struct dir_group_members {
	struct dir_names names; /* memberUid values */
	struct dir_strv dns;    /* member/uniqueMember values, normalised */
};

/*
 * A directory entry, one allocation: a 16-byte header, then the SSH keys' pointers, the
 * entryUUID, the text of the fields present (each NUL-terminated, in enum dir_field
 * order) and the keys' text. The agent holds hundreds of thousands (26 MB of users at
 * 100,000 with an offset per field, 13 MB like this): a field is found by skipping the
 * present ones before it, a few short strings. Nothing but the resolver's marks, the
 * model's seen flag and the order of the keys (dir_resolve) changes once packed.
 */
struct dir_entry {
	struct dir_group_members *members; /* groups with member values, else NULL */
	uint32_t present : DIR_FIELDS;     /* bit f: field f is in the text */
	uint32_t kind : 1;                 /* enum dir_kind */
	uint32_t seen : 1;                 /* sync_session: named by the server this refresh */
	uint32_t logged : 8;               /* dir_resolve: problems already reported */
	uint32_t ndn_is_dn : 1;            /* DIR_NDN is DIR_DN's text (stored once) */
	uint16_t n_keys;                   /* SSH keys */
	uint8_t uuid_len;                  /* entryUUID bytes; 0 outside a sync session */
	uint8_t spare;
	char *keys[]; /* n_keys (+ NULL) when n_keys; then the text */
};

/* Where the text of e begins: its entryUUID, then the fields. */
static inline const char *dir_entry_body(const struct dir_entry *e)
{
	return (const char *)(e->keys + (e->n_keys ? e->n_keys + 1 : 0));
}

/* The text of field f of e, or NULL when the entry has none. */
static inline const char *dir_text(const struct dir_entry *e, enum dir_field f)
{
	const char *p = dir_entry_body(e) + e->uuid_len;
	uint32_t before;

	if (f == DIR_NDN && e->ndn_is_dn)
		f = DIR_DN;
	before = e->present & ((1u << f) - 1);
	if (!(e->present >> f & 1))
		return NULL;
	for (; before; before &= before - 1)
		p += strlen(p) + 1;
	return p;
}

/* The entryUUID of e (empty outside a sync session). */
static inline struct berval dir_entry_uuid(const struct dir_entry *e)
{
	struct berval b = { e->uuid_len, (char *)dir_entry_body(e) };

	return b;
}

/* The memberUid values of e (none for users and groups without). */
static inline const struct dir_names *dir_member_names(const struct dir_entry *e)
{
	static const struct dir_names none;

	return e->members ? &e->members->names : &none;
}

/* The member DNs of e, normalised (none for users and groups without). */
static inline const struct dir_strv *dir_member_dns(const struct dir_entry *e)
{
	static const struct dir_strv none;

	return e->members ? &e->members->dns : &none;
}

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
 * Copy the attributes of msg that matter for kind into a new entry with entryUUID uuid
 * (NULL: none). Returns 0 and *out,
 * HOSTIAM_ERR_NOMEM, or HOSTIAM_ERR_DIRECTORY when the message cannot be decoded (logged
 * with the DN): the whole read must then fail. Bad values do not fail: they set
 * DIR_BAD_ATTR for the resolver.
 */
int dir_entry_parse(LDAP *ld, LDAPMessage *msg, enum dir_kind kind, const struct dir_schema *s,
		    const struct berval *uuid, struct dir_entry **out);
void dir_entry_free(struct dir_entry *e);

/*
 * The entry of draft d in *out, with entryUUID uuid (NULL: none): its strings and SSH
 * keys copied into the entry's own allocation, its member lists moved (d's are left
 * empty). Returns 0, HOSTIAM_ERR_INVALID_ARG (a UUID over 255 bytes, over 65,535 keys)
 * or HOSTIAM_ERR_NOMEM; either way d is the caller's to free.
 */
int dir_entry_pack(struct dir_draft *d, const struct berval *uuid, struct dir_entry **out);

/* Free what d holds (the strings are wiped where they may be secret), not d itself. */
void dir_draft_free(struct dir_draft *d);

/* Free the strings of a vector and the vector. */
void dir_strv_free(struct dir_strv *sv);

/*
 * Set *nv to the numbers ids[0..n) (any order, repeats allowed; ids is sorted in place),
 * freeing what it held. Returns 0, or HOSTIAM_ERR_NOMEM with *nv unchanged.
 */
int dir_names_set(struct dir_names *nv, uint32_t *ids, size_t n);
void dir_names_free(struct dir_names *nv);

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
