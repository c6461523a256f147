/* SPDX-License-Identifier: BSD-2-Clause */
/* Entries as the model keeps them: one allocation of header, keys, UUID and text (dir_entries.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "dir_entries.h"
#include "errors.h"

/* The bytes of text d's fields and keys take in an entry. */
static size_t text_size(const struct dir_draft *d, bool ndn_is_dn)
{
	size_t i, size = 0;

	for (i = 0; i < DIR_FIELDS; i++)
		if (d->text[i] && !(i == DIR_NDN && ndn_is_dn))
			size += strlen(d->text[i]) + 1;
	for (i = 0; i < d->keys.n; i++)
		size += strlen(d->keys.v[i]) + 1;
	return size;
}

/* Copy s to at; past the copy. */
static char *put_text(char *at, const char *s)
{
	size_t n = strlen(s) + 1;

	memcpy(at, s, n);
	return at + n;
}

int dir_entry_pack(struct dir_draft *d, const struct berval *uuid, struct dir_entry **out)
{
	bool ndn_is_dn = d->text[DIR_DN] && d->text[DIR_NDN] &&
		strcmp(d->text[DIR_DN], d->text[DIR_NDN]) == 0;
	size_t i, uuid_len = uuid ? uuid->bv_len : 0, slots = d->keys.n ? d->keys.n + 1 : 0,
		  size = sizeof(struct dir_entry) + slots * sizeof(char *) + uuid_len +
		text_size(d, ndn_is_dn);
	struct dir_entry *e;
	char *at;

	if (uuid_len > UINT8_MAX || d->keys.n > UINT16_MAX)
		return HOSTIAM_ERR_INVALID_ARG;
	if (!(e = calloc(1, size)))
		return HOSTIAM_ERR_NOMEM;
	e->kind = d->kind;
	e->n_keys = (uint16_t)d->keys.n;
	e->uuid_len = (uint8_t)uuid_len;
	e->ndn_is_dn = ndn_is_dn;
	at = (char *)dir_entry_body(e);
	if (uuid_len)
		memcpy(at, uuid->bv_val, uuid_len);
	at += uuid_len;
	for (i = 0; i < DIR_FIELDS; i++) {
		if (d->text[i] && !(i == DIR_NDN && ndn_is_dn)) {
			e->present |= 1u << i;
			at = put_text(at, d->text[i]);
		}
	}
	for (i = 0; i < d->keys.n; i++) {
		e->keys[i] = at;
		at = put_text(at, d->keys.v[i]);
	}
	if (d->member_names.n || d->member_dns.n) {
		if (!(e->members = malloc(sizeof(*e->members)))) {
			dir_entry_free(e); /* wipes the secret it may hold */
			return HOSTIAM_ERR_NOMEM;
		}
		e->members->names = d->member_names;
		e->members->dns = d->member_dns;
		memset(&d->member_names, 0, sizeof(d->member_names));
		memset(&d->member_dns, 0, sizeof(d->member_dns));
	}
	*out = e;
	return 0;
}

void dir_draft_free(struct dir_draft *d)
{
	size_t i;

	if (d->text[DIR_TOTP])
		explicit_bzero(d->text[DIR_TOTP], strlen(d->text[DIR_TOTP]));
	for (i = 0; i < DIR_FIELDS; i++) {
		free(d->text[i]);
		d->text[i] = NULL;
	}
	dir_strv_free(&d->keys);
	dir_names_free(&d->member_names);
	dir_strv_free(&d->member_dns);
}

void dir_entry_free(struct dir_entry *e)
{
	if (!e)
		return;
	if (dir_text(e, DIR_TOTP))
		explicit_bzero((char *)dir_text(e, DIR_TOTP), strlen(dir_text(e, DIR_TOTP)));
	dir_entry_drop_members(e);
	free(e);
}

void dir_entry_drop_members(struct dir_entry *e)
{
	if (!e->members)
		return;
	dir_names_free(&e->members->names);
	dir_strv_free(&e->members->dns);
	free(e->members);
	e->members = NULL;
}

void dir_entry_drop_member_names(struct dir_entry *e)
{
	if (e->members)
		dir_names_free(&e->members->names);
}
