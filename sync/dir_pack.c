/* SPDX-License-Identifier: BSD-2-Clause */
/* Entries as the model keeps them: one allocation of offsets, text and keys (dir_entries.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "dir_entries.h"
#include "errors.h"

/* The bytes the strings of d take in an entry (a normalised DN equal to the DN: none). */
static size_t text_size(const struct dir_draft *d, bool same_ndn)
{
	size_t i, size = 0;

	for (i = 0; i < DIR_FIELDS; i++)
		if (d->text[i] && !(i == DIR_NDN && same_ndn))
			size += strlen(d->text[i]) + 1;
	if (d->keys.n)
		size += (d->keys.n + 1) * sizeof(char *);
	for (i = 0; i < d->keys.n; i++)
		size += strlen(d->keys.v[i]) + 1;
	return size;
}

/* Copy s to *at and move past it: the offset of the copy from base. */
static uint32_t put_text(char *base, char **at, const char *s)
{
	size_t n = strlen(s) + 1;
	uint32_t off = (uint32_t)(*at - base);

	memcpy(*at, s, n);
	*at += n;
	return off;
}

int dir_entry_pack(struct dir_draft *d, struct dir_entry **out)
{
	bool same_ndn = d->text[DIR_DN] && d->text[DIR_NDN] &&
		strcmp(d->text[DIR_DN], d->text[DIR_NDN]) == 0;
	size_t i, size = sizeof(struct dir_entry) + text_size(d, same_ndn);
	struct dir_entry *e;
	char *base, *at;

	/* Offsets are 4 bytes: an entry of 4 GiB is not one a directory sends. */
	if (size > UINT32_MAX || !(e = calloc(1, size)))
		return HOSTIAM_ERR_NOMEM;
	base = (char *)e;
	at = base + sizeof(*e);
	e->kind = d->kind;
	if (d->keys.n) {
		e->keys.v = (char **)(void *)at;
		e->keys.n = d->keys.n;
		at += (d->keys.n + 1) * sizeof(char *);
		for (i = 0; i < d->keys.n; i++)
			e->keys.v[i] = base + put_text(base, &at, d->keys.v[i]);
		e->keys.v[i] = NULL;
		/* keys.block stays NULL: the strings are the entry's, never freed alone. */
	}
	for (i = 0; i < DIR_FIELDS; i++) {
		if (i == DIR_NDN && same_ndn)
			e->text[i] = e->text[DIR_DN];
		else if (d->text[i])
			e->text[i] = put_text(base, &at, d->text[i]);
	}
	if (d->member_names.n || d->member_dns.n) {
		if (!(e->members = malloc(sizeof(*e->members)))) {
			free(e);
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
	if (e->text[DIR_TOTP])
		explicit_bzero((char *)e + e->text[DIR_TOTP], strlen(dir_text(e, DIR_TOTP)));
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
