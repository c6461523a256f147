/* SPDX-License-Identifier: BSD-2-Clause */
/* Copying user and group attributes out of LDAP messages. */
#include "config.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dir_entries.h"
#include "dir_intern.h"
#include "dir_sort.h"
#include "errors.h"
#include "log.h"

/* True if the len bytes at s are UTF-8 (no overlongs, surrogates or NULs). */
bool dir_valid_utf8(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;

	while (p < end) {
		unsigned c = *p++, need, min;
		uint32_t cp;

		if (c == 0)
			return false;
		if (c < 0x80)
			continue;
		if (c >= 0xc2 && c <= 0xdf)
			need = 1, min = 0x80, cp = c & 0x1f;
		else if (c >= 0xe0 && c <= 0xef)
			need = 2, min = 0x800, cp = c & 0x0f;
		else if (c >= 0xf0 && c <= 0xf4)
			need = 3, min = 0x10000, cp = c & 0x07;
		else
			return false;
		if ((size_t)(end - p) < need)
			return false;
		for (; need > 0; need--, p++) {
			if ((*p & 0xc0) != 0x80)
				return false;
			cp = (cp << 6) | (*p & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return false;
	}
	return true;
}

/* Lowercase the ASCII letters of a berval in place. */
static void lower_bv(struct berval *bv)
{
	ber_len_t i;

	for (i = 0; i < bv->bv_len; i++)
		bv->bv_val[i] = (char)tolower((unsigned char)bv->bv_val[i]);
}

/*
 * True if dn is already in the form dir_dn_normalize produces: lowercase "type=value" RDNs
 * of characters that LDAPv3 never escapes. Most DNs are; they skip libldap's parser.
 */
static bool dn_is_plain(const char *dn)
{
	bool in_value = false, empty = true;

	for (; *dn; dn++) {
		char c = *dn;

		if (c == '=' && !in_value && !empty) {
			in_value = true;
			empty = true;
		} else if (c == ',' && in_value && !empty) {
			in_value = false;
			empty = true;
		} else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
			   ((c == '-' || c == '.' || c == '_') && in_value)) {
			empty = false;
		} else {
			return false;
		}
	}
	return in_value && !empty;
}

int dir_dn_normalize(const char *dn, char **out)
{
	LDAPDN parsed = NULL;
	char *copy, *str = NULL;
	int i, j, r = HOSTIAM_ERR_INVALID_ARG;

	if (dn_is_plain(dn)) {
		*out = strdup(dn);
		return *out ? 0 : HOSTIAM_ERR_NOMEM;
	}

	/* str2dn may point into its input: give it a copy we are allowed to lowercase. */
	copy = strdup(dn);
	if (!copy)
		return HOSTIAM_ERR_NOMEM;
	if (ldap_str2dn(copy, &parsed, LDAP_DN_FORMAT_LDAP) != LDAP_SUCCESS || !parsed)
		goto out;
	for (i = 0; parsed[i]; i++) {
		for (j = 0; parsed[i][j]; j++) {
			lower_bv(&parsed[i][j]->la_attr);
			if (!(parsed[i][j]->la_flags & LDAP_AVA_BINARY))
				lower_bv(&parsed[i][j]->la_value);
		}
	}
	if (ldap_dn2str(parsed, &str, LDAP_DN_FORMAT_LDAPV3) != LDAP_SUCCESS || !str)
		goto out;
	*out = strdup(str);
	r = *out ? 0 : HOSTIAM_ERR_NOMEM;
out:
	ldap_memfree(str);
	ldap_dnfree(parsed);
	free(copy);
	return r;
}

/* The value of attr in the first RDN of dn (malloc'd), or NULL. */
static char *rdn_value(const char *dn, const char *attr)
{
	LDAPDN parsed = NULL;
	char *val = NULL;
	int j;

	if (ldap_str2dn(dn, &parsed, LDAP_DN_FORMAT_LDAP) != LDAP_SUCCESS || !parsed)
		return NULL;
	for (j = 0; parsed[0] && parsed[0][j]; j++) {
		struct berval *a = &parsed[0][j]->la_attr, *v = &parsed[0][j]->la_value;

		if (strlen(attr) == a->bv_len && strncasecmp(a->bv_val, attr, a->bv_len) == 0 &&
		    !memchr(v->bv_val, 0, v->bv_len)) {
			val = strndup(v->bv_val, v->bv_len);
			break;
		}
	}
	ldap_dnfree(parsed);
	return val;
}

/* Add a request attribute; attrs has room for it (sized by the caller). */
static int add_attr(char **attrs, size_t *n, const char *name)
{
	attrs[*n] = strdup(name);
	return attrs[(*n)++] ? 0 : HOSTIAM_ERR_NOMEM;
}

char **dir_attrs_new(enum dir_kind kind, const struct dir_schema *s)
{
	static const char *const user_attrs[] = { "uid", "uidNumber",     "gidNumber",  "gecos",
						  "cn",  "homeDirectory", "loginShell", NULL };
	static const char *const group_attrs[] = { "cn", "gidNumber", NULL };
	const char *const *base = kind == DIR_USER ? user_attrs : group_attrs;
	size_t i, n = 0, room = 10 + HOSTIAM_ACCT_N + s->members->n;
	char **attrs = calloc(room, sizeof(*attrs));
	int r = 0;

	if (!attrs)
		return NULL;
	for (i = 0; base[i] && r == 0; i++)
		r = add_attr(attrs, &n, base[i]);
	if (kind == DIR_USER && r == 0)
		r = add_attr(attrs, &n, s->ssh_key);
	if (kind == DIR_USER && r == 0 && s->totp_secret)
		r = add_attr(attrs, &n, s->totp_secret);
	for (i = 0; kind == DIR_USER && i < HOSTIAM_ACCT_N && r == 0; i++)
		if (s->account[i])
			r = add_attr(attrs, &n, s->account[i]);
	for (i = 0; kind == DIR_GROUP && i < s->members->n && r == 0; i++)
		r = add_attr(attrs, &n, s->members->items[i]);
	if (r < 0) {
		dir_attrs_free(attrs);
		return NULL;
	}
	return attrs;
}

char **dir_attrs_new_ber(enum dir_kind kind, const struct dir_schema *s)
{
	char **attrs = dir_attrs_new(kind, s), **out = NULL;
	size_t i, n;

	if (!attrs)
		return NULL;
	for (n = 0; attrs[n]; n++)
		;
	out = ber_memcalloc(n + 1, sizeof(*out));
	/* Every copy is checked: a NULL in the middle would silently drop the attributes
	 * after it from the request (a loginShell never asked for reads as ""). */
	for (i = 0; out && i < n; i++) {
		out[i] = ber_strdup(attrs[i]);
		if (!out[i]) {
			dir_attrs_free_ber(out);
			out = NULL;
		}
	}
	dir_attrs_free(attrs);
	return out;
}

void dir_attrs_free_ber(char **attrs)
{
	size_t i;

	for (i = 0; attrs && attrs[i]; i++)
		ber_memfree(attrs[i]);
	ber_memfree(attrs);
}

void dir_attrs_free(char **attrs)
{
	size_t i;

	for (i = 0; attrs && attrs[i]; i++)
		free(attrs[i]);
	free(attrs);
}

/* Free the strings of a vector. */
void dir_strv_free(struct dir_strv *sv)
{
	size_t i;

	for (i = 0; !sv->block && i < sv->n; i++)
		free(sv->v[i]);
	free(sv->block);
	free(sv->v);
	sv->v = NULL;
	sv->n = 0;
	sv->block = NULL;
}

/* The number of values in vals. */
static size_t count_values(const struct berval *vals)
{
	size_t n = 0;

	while (vals && vals[n].bv_val)
		n++;
	return n;
}

/* Append the values of vals to sv (DNs normalised when dn is set; bad DNs left out). */
static int strv_add(struct dir_strv *sv, const struct berval *vals, bool dn)
{
	size_t i, n = count_values(vals);
	char **grown = realloc(sv->v, (sv->n + n + 1) * sizeof(*grown));

	if (!grown)
		return HOSTIAM_ERR_NOMEM;
	sv->v = grown;
	for (i = 0; i < n; i++) {
		char *s = strndup(vals[i].bv_val, vals[i].bv_len), *norm = NULL;
		int r;

		if (!s)
			return HOSTIAM_ERR_NOMEM;
		if (dn) {
			/* uniqueMember may carry "#'0101'B" after the DN. */
			char *hash = strstr(s, "#'");

			if (hash && hash[strlen(hash) - 1] == 'B')
				*hash = '\0';
			r = dir_dn_normalize(s, &norm);
			free(s);
			if (r == HOSTIAM_ERR_NOMEM)
				return r;
			if (r < 0)
				continue;
			s = norm;
		}
		sv->v[sv->n++] = s;
	}
	return 0;
}

/* Keep the first value of vals in *dst (a later value of the same attribute is ignored). */
static int take_first(char **dst, const struct berval *vals)
{
	if (*dst || !vals || !vals[0].bv_val)
		return 0;
	*dst = strndup(vals[0].bv_val, vals[0].bv_len);
	return *dst ? 0 : HOSTIAM_ERR_NOMEM;
}

/* True if attr (from the server) is name, ignoring case; options make it another attribute. */
static bool is_attr(const struct berval *attr, const char *name)
{
	return strlen(name) == attr->bv_len && strncasecmp(attr->bv_val, name, attr->bv_len) == 0;
}

/* What one entry's parse collects before it goes into the entry. */
struct parse {
	struct dir_strv names; /* uid or cn values: pick_name chooses */
	uint32_t *ids;         /* memberUid values, interned: dir_names_set codes them */
	size_t n_ids;
};

/* Store one attribute of a user entry. */
static int store_user_attr(struct dir_draft *e, const struct dir_schema *s, const struct berval *a,
			   const struct berval *vals, struct parse *p)
{
	size_t i;

	for (i = 0; i < HOSTIAM_ACCT_N; i++)
		if (s->account[i] && is_attr(a, s->account[i]))
			return take_first(&e->text[DIR_ACCOUNT + i], vals);
	if (is_attr(a, "uid"))
		return strv_add(&p->names, vals, false);
	if (is_attr(a, "uidNumber"))
		return take_first(&e->text[DIR_ID], vals);
	if (is_attr(a, "gidNumber"))
		return take_first(&e->text[DIR_GID], vals);
	if (is_attr(a, "gecos"))
		return take_first(&e->text[DIR_GECOS], vals);
	if (is_attr(a, "cn"))
		return take_first(&e->text[DIR_CN], vals);
	if (is_attr(a, "homeDirectory"))
		return take_first(&e->text[DIR_HOME], vals);
	if (is_attr(a, "loginShell"))
		return take_first(&e->text[DIR_SHELL], vals);
	if (is_attr(a, s->ssh_key))
		return strv_add(&e->keys, vals, false);
	if (s->totp_secret && is_attr(a, s->totp_secret))
		return take_first(&e->text[DIR_TOTP], vals);
	return 0;
}

/* The length of value v up to its first NUL, as strndup would copy it. */
static size_t value_len(const struct berval *v)
{
	const char *nul = memchr(v->bv_val, '\0', v->bv_len);

	return nul ? (size_t)(nul - v->bv_val) : v->bv_len;
}

/*
 * Append the values of vals to p->ids as the numbers of interned strings: a memberUid
 * value is stored once for all the groups that list it (3.3 million values, about
 * 100,000 names at 100,000 users).
 */
#define BATCH_IDS 256

static int ids_add(struct parse *p, const struct berval *vals)
{
	struct dir_intern_key keys[BATCH_IDS];
	size_t i = 0, n = count_values(vals);
	uint32_t *grown = realloc(p->ids, (p->n_ids + n + 1) * sizeof(*grown));

	if (!grown)
		return HOSTIAM_ERR_NOMEM;
	p->ids = grown;
	while (i < n) {
		size_t k, m = n - i < BATCH_IDS ? n - i : BATCH_IDS;

		for (k = 0; k < m; k++, i++)
			keys[k] = (struct dir_intern_key){ vals[i].bv_val, value_len(&vals[i]) };
		if (dir_intern_ids(keys, m, p->ids + p->n_ids) < 0)
			return HOSTIAM_ERR_NOMEM;
		p->n_ids += m;
	}
	return 0;
}

/* Code gap at q in 7-bit groups, low first, the high bit set on all but the last. */
static unsigned char *put_gap(unsigned char *q, uint32_t gap)
{
	while (gap >= 0x80) {
		*q++ = (unsigned char)(gap | 0x80);
		gap >>= 7;
	}
	*q++ = (unsigned char)gap;
	return q;
}

int dir_names_set(struct dir_names *nv, uint32_t *ids, size_t n)
{
	unsigned char tmp[5], *code = NULL, *q;
	size_t i, k = 0, len = 0;
	uint32_t next = 0, *scratch = NULL;

	if (n > DIR_SORT_SMALL && !(scratch = malloc(n * sizeof(*scratch))))
		return HOSTIAM_ERR_NOMEM;
	dir_sort_u32(ids, n, scratch);
	free(scratch);
	for (i = 0; i < n; i++) {
		if (i > 0 && ids[i] == ids[i - 1])
			continue;
		len += (size_t)(put_gap(tmp, ids[i] - next) - tmp);
		next = ids[i] + 1;
		ids[k++] = ids[i];
	}
	if (k > 0 && !(code = malloc(len)))
		return HOSTIAM_ERR_NOMEM;
	for (i = 0, q = code, next = 0; i < k; i++) {
		q = put_gap(q, ids[i] - next);
		next = ids[i] + 1;
	}
	dir_names_free(nv);
	nv->code = code;
	nv->n = k;
	return 0;
}

void dir_names_free(struct dir_names *nv)
{
	free(nv->code);
	nv->code = NULL;
	nv->n = 0;
}

/* Store one attribute of a group entry. */
static int store_group_attr(struct dir_draft *e, const struct dir_schema *s, const struct berval *a,
			    const struct berval *vals, struct parse *p)
{
	size_t i;

	if (is_attr(a, "cn"))
		return strv_add(&p->names, vals, false);
	if (is_attr(a, "gidNumber"))
		return take_first(&e->text[DIR_ID], vals);
	for (i = 0; i < s->members->n; i++) {
		if (!is_attr(a, s->members->items[i]))
			continue;
		if (is_attr(a, "memberUid"))
			return ids_add(p, vals);
		return strv_add(&e->member_dns, vals, true);
	}
	return 0;
}

/* Remember the first attribute whose values are not clean UTF-8 text. */
static int check_values(struct dir_draft *e, const struct berval *a, const struct berval *vals)
{
	size_t i;

	for (i = 0; vals && vals[i].bv_val; i++) {
		if (!e->text[DIR_BAD_ATTR] && !dir_valid_utf8(vals[i].bv_val, vals[i].bv_len)) {
			e->text[DIR_BAD_ATTR] = strndup(a->bv_val, a->bv_len);
			return e->text[DIR_BAD_ATTR] ? 0 : HOSTIAM_ERR_NOMEM;
		}
	}
	return 0;
}

/* The entry's name: the value named in the RDN when there are several, else the only one. */
static int pick_name(struct dir_draft *e, struct dir_strv *names)
{
	char *rdn = NULL;
	size_t i, pick = 0;

	if (names->n == 0)
		return 0;
	if (names->n > 1 &&
	    (rdn = rdn_value(e->text[DIR_DN], e->kind == DIR_USER ? "uid" : "cn"))) {
		for (i = 0; i < names->n; i++)
			if (strcmp(names->v[i], rdn) == 0)
				pick = i;
		free(rdn);
	}
	e->text[DIR_NAME] = names->v[pick];
	names->v[pick] = NULL;
	for (i = 0; i < names->n; i++)
		free(names->v[i]);
	names->n = 0;
	return 0;
}

/* A HOSTIAM_ERR_* for a message libldap could not decode, logged with the entry's DN. */
static int decode_error(struct dir_draft *e, int rc)
{
	if (rc == LDAP_NO_MEMORY)
		return HOSTIAM_ERR_NOMEM;
	hostiam_log(LOG_ERR, "cannot decode an entry from the directory: %s dn=%s",
		    ldap_err2string(rc), e->text[DIR_DN] ? e->text[DIR_DN] : "(unknown)");
	return HOSTIAM_ERR_DIRECTORY;
}

/*
 * Walk the DN and attributes of msg into e, in one pass over the message. The attribute
 * list ends only with libldap's end marker (success, no name): an error in the middle is
 * a malformed reply, and an entry cut short there (a lost loginShell) must never be used.
 */
static int parse_message(LDAP *ld, LDAPMessage *msg, struct dir_draft *e,
			 const struct dir_schema *s, struct parse *p)
{
	struct berval dn = { 0, NULL }, a, *vals = NULL;
	BerElement *ber = NULL;
	int r, rc;

	rc = ldap_get_dn_ber(ld, msg, &ber, &dn);
	if (rc != LDAP_SUCCESS || !dn.bv_val) {
		r = decode_error(e, rc != LDAP_SUCCESS ? rc : LDAP_DECODING_ERROR);
		goto out;
	}
	e->text[DIR_DN] = strndup(dn.bv_val, dn.bv_len);
	r = HOSTIAM_ERR_NOMEM;
	if (!e->text[DIR_DN] ||
	    (r = dir_dn_normalize(e->text[DIR_DN], &e->text[DIR_NDN])) == HOSTIAM_ERR_NOMEM)
		goto out;
	for (r = 0; r == 0;) {
		rc = ldap_get_attribute_ber(ld, msg, ber, &a, &vals);
		if (rc != LDAP_SUCCESS) {
			r = decode_error(e, rc);
			break;
		}
		if (!a.bv_val)
			break;
		r = check_values(e, &a, vals);
		if (r == 0 && !e->text[DIR_BAD_ATTR])
			r = e->kind == DIR_USER ? store_user_attr(e, s, &a, vals, p) :
						  store_group_attr(e, s, &a, vals, p);
		ber_memfree(vals);
		vals = NULL;
	}
out:
	ber_memfree(vals);
	ber_free(ber, 0);
	return r;
}

/*
 * An entry holds at most 65,535 SSH keys (dir_entry.n_keys): the rest are left out and
 * logged, rather than the entry failing the whole read (users may write their own keys).
 */
static void cap_keys(struct dir_draft *d)
{
	if (d->keys.n <= UINT16_MAX)
		return;
	hostiam_log(LOG_WARNING, "ignoring SSH keys past the first %u dn=%s", UINT16_MAX,
		    d->text[DIR_DN] ? d->text[DIR_DN] : "?");
	while (d->keys.n > UINT16_MAX)
		free(d->keys.v[--d->keys.n]);
	d->keys.v[d->keys.n] = NULL;
}

int dir_entry_parse(LDAP *ld, LDAPMessage *msg, enum dir_kind kind, const struct dir_schema *s,
		    const struct berval *uuid, struct dir_entry **out)
{
	struct dir_draft d;
	struct parse p;
	int r;

	memset(&d, 0, sizeof(d));
	memset(&p, 0, sizeof(p));
	d.kind = kind;
	r = parse_message(ld, msg, &d, s, &p);
	if (r == 0)
		r = pick_name(&d, &p.names);
	if (r == 0)
		cap_keys(&d);
	if (r == 0 && p.n_ids > 0)
		r = dir_names_set(&d.member_names, p.ids, p.n_ids);
	if (r == 0)
		r = dir_entry_pack(&d, uuid, out);
	dir_strv_free(&p.names);
	free(p.ids);
	dir_draft_free(&d);
	return r;
}

int dir_list_push(struct dir_list *l, struct dir_entry *e)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 256;
		struct dir_entry **v = realloc(l->v, cap * sizeof(*v));

		if (!v)
			return HOSTIAM_ERR_NOMEM;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = e;
	return 0;
}

void dir_list_free(struct dir_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		dir_entry_free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}
