/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Reader of one cache image (a base file, or the image inside a delta). Opening checks the
 * header and the bounds of every section, in O(1): it runs in every process that resolves
 * a name. Each lookup then checks every offset and index it follows, and verifies the
 * check of every slot and record it reads (a group record's once per mapping:
 * cache_format.h), so a damaged file yields HOSTIAM_ERR_CACHE_CORRUPT, never another
 * answer.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cache_internal.h"
#include "errors.h"
#include "hash.h"

/* The section's bytes, checked at attach time to lie inside the file. */
static const void *section(const struct hc_image *c, enum hc_section s)
{
	return c->base + c->hdr->sections[s].offset;
}

/* True if the section is aligned, inside the file, after the header, and a whole number of elem. */
static bool section_ok(const struct hc_header *h, size_t file_size, enum hc_section s, size_t elem,
		       uint64_t max_count)
{
	uint64_t off = h->sections[s].offset, size = h->sections[s].size;

	if (off % HC_ALIGN || off < h->header_size || off > file_size || size > file_size - off)
		return false;
	return size % elem == 0 && size / elem <= max_count;
}

/* Set up a hash table view: a power-of-two number of slots, at least one. */
static bool table_init(struct hc_image *c, enum hc_section s, struct hc_table *t)
{
	uint64_t n = c->hdr->sections[s].size / sizeof(struct hc_slot);

	if (n == 0 || (n & (n - 1)) != 0)
		return false;
	t->slots = section(c, s);
	t->mask = (uint32_t)(n - 1);
	t->id = (uint32_t)(s - HC_SEC_USER_BY_NAME);
	return true;
}

/* Check magic, version and header checksum, before any other field is trusted. */
static int check_header(const struct hc_header *h, size_t len)
{
	if (len < sizeof(*h) || memcmp(h->magic, HC_MAGIC, sizeof(h->magic)) != 0)
		return HOSTIAM_ERR_CACHE_CORRUPT;
	if (h->version != HC_VERSION || h->byte_order != HC_BYTE_ORDER)
		return HOSTIAM_ERR_CACHE_VERSION;
	if (h->header_checksum != hostiam_checksum(h, offsetof(struct hc_header, header_checksum)))
		return HOSTIAM_ERR_CACHE_CORRUPT;
	if (h->header_size != sizeof(*h) || h->file_size != len)
		return HOSTIAM_ERR_CACHE_CORRUPT; /* truncated or extended */
	return 0;
}

/* Check that every section lies inside the file and matches the header's counts. */
static int check_sections(const struct hc_header *h, size_t len)
{
	const struct hc_section_ref *s = h->sections;

	if (!section_ok(h, len, HC_SEC_STRINGS, 1, UINT32_MAX) ||
	    !section_ok(h, len, HC_SEC_USERS, sizeof(struct hc_user), UINT32_MAX) ||
	    !section_ok(h, len, HC_SEC_GROUPS, sizeof(struct hc_group), UINT32_MAX) ||
	    !section_ok(h, len, HC_SEC_REFS, sizeof(uint32_t), UINT32_MAX) ||
	    !section_ok(h, len, HC_SEC_MEMBERS, sizeof(struct hc_member), UINT32_MAX) ||
	    !section_ok(h, len, HC_SEC_GIDS, sizeof(uint32_t), UINT32_MAX))
		return HOSTIAM_ERR_CACHE_CORRUPT;
	for (int i = HC_SEC_USER_BY_NAME; i <= HC_SEC_MEMBER_BY_NAME; i++)
		if (!section_ok(h, len, i, sizeof(struct hc_slot), (uint64_t)UINT32_MAX + 1))
			return HOSTIAM_ERR_CACHE_CORRUPT;
	if (s[HC_SEC_USERS].size / sizeof(struct hc_user) != h->n_users ||
	    s[HC_SEC_GROUPS].size / sizeof(struct hc_group) != h->n_groups ||
	    s[HC_SEC_MEMBERS].size / sizeof(struct hc_member) != h->n_members)
		return HOSTIAM_ERR_CACHE_CORRUPT;
	return 0;
}

/* Fill the views of c from its header; every later lookup relies on these bounds. */
static int attach(struct hc_image *c)
{
	const struct hc_header *h = c->hdr;
	int r;

	if ((r = check_header(h, c->size)) < 0 || (r = check_sections(h, c->size)) < 0)
		return r;
	c->strings = section(c, HC_SEC_STRINGS);
	c->strings_size = (uint32_t)h->sections[HC_SEC_STRINGS].size;
	/* A NUL as the pool's last byte bounds every string that starts inside the pool. */
	if (c->strings_size == 0 || c->strings[c->strings_size - 1] != '\0')
		return HOSTIAM_ERR_CACHE_CORRUPT;
	c->users = section(c, HC_SEC_USERS);
	c->groups = section(c, HC_SEC_GROUPS);
	c->refs = section(c, HC_SEC_REFS);
	c->n_refs = (uint32_t)(h->sections[HC_SEC_REFS].size / sizeof(uint32_t));
	c->members = section(c, HC_SEC_MEMBERS);
	c->gids = section(c, HC_SEC_GIDS);
	c->n_gids = (uint32_t)(h->sections[HC_SEC_GIDS].size / sizeof(uint32_t));
	if (!table_init(c, HC_SEC_USER_BY_NAME, &c->user_name) ||
	    !table_init(c, HC_SEC_USER_BY_UID, &c->user_uid) ||
	    !table_init(c, HC_SEC_GROUP_BY_NAME, &c->group_name) ||
	    !table_init(c, HC_SEC_GROUP_BY_GID, &c->group_gid) ||
	    !table_init(c, HC_SEC_MEMBER_BY_NAME, &c->member_name))
		return HOSTIAM_ERR_CACHE_CORRUPT;
	return 0;
}

int hc_image_attach(struct hc_image *img, const void *buf, size_t len)
{
	if (!buf || (uintptr_t)buf % HC_ALIGN)
		return HOSTIAM_ERR_INVALID_ARG;
	if (len < sizeof(struct hc_header))
		return HOSTIAM_ERR_CACHE_CORRUPT;
	*img = (struct hc_image){ .base = buf, .size = len, .hdr = buf };
	return attach(img);
}

/* The body checksum, O(size); replaced and delta_seq are not covered (any value is fine). */
int hc_image_verify(const struct hc_image *c)
{
	const struct hc_header *h = c->hdr;

	if (h->replaced > 1)
		return HOSTIAM_ERR_CACHE_CORRUPT;
	if (hostiam_checksum(c->base + h->header_size, c->size - h->header_size) !=
	    h->body_checksum)
		return HOSTIAM_ERR_CACHE_CORRUPT;
	return 0;
}

void hc_image_track_verified(struct hc_image *img)
{
	size_t words = img->hdr->n_groups / 64 + 1;

	img->verified = calloc(words, sizeof(*img->verified));
}

/* True if group record i already passed its check in this mapping. */
static bool group_verified(const struct hc_image *c, uint32_t i)
{
	return c->verified &&
		(__atomic_load_n(&c->verified[i / 64], __ATOMIC_RELAXED) >> (i % 64) & 1);
}

/* Remember that group record i passed its check (the mapping cannot change under us). */
static void group_set_verified(const struct hc_image *c, uint32_t i)
{
	if (c->verified)
		__atomic_fetch_or(&c->verified[i / 64], 1ull << (i % 64), __ATOMIC_RELAXED);
}

/* The string at pool offset off, or NULL if off is outside the pool. */
static const char *str_at(const struct hc_image *c, uint32_t off)
{
	return off < c->strings_size ? c->strings + off : NULL;
}

/* True if [start, start + n) lies inside an array of total elements. */
static bool range_ok(uint32_t start, uint32_t n, uint32_t total)
{
	return start <= total && n <= total - start;
}

/* Fill a user view from record i, checking each string, the key range and the record check. */
static int user_view(const struct hc_image *c, uint32_t i, struct hostiam_user_view *out)
{
	const struct hc_user *u;
	struct hostiam_user_view v;

	if (i >= c->hdr->n_users)
		return HOSTIAM_ERR_CACHE_CORRUPT;
	u = &c->users[i];
	v.name = str_at(c, u->name);
	v.gecos = str_at(c, u->gecos);
	v.home = str_at(c, u->home);
	v.shell = str_at(c, u->shell);
	if (!v.name || !v.gecos || !v.home || !v.shell ||
	    !range_ok(u->keys_start, u->n_keys, c->n_refs) ||
	    hc_user_check(u, i, c->strings) != u->check)
		return HOSTIAM_ERR_CACHE_CORRUPT;
	v.uid = u->uid;
	v.gid = u->gid;
	v.index = i;
	v.n_keys = u->n_keys;
	*out = v;
	return 0;
}

/*
 * Fill a group view from record i, checking the name, the member range and the record
 * check, which covers every member name: O(members), paid by the first lookup of the
 * record in this mapping only; later ones redo the bounds checks alone (cache_format.h).
 */
static int group_view(const struct hc_image *c, uint32_t i, struct hostiam_group_view *out)
{
	const struct hc_group *g;
	uint64_t check;

	if (i >= c->hdr->n_groups)
		return HOSTIAM_ERR_CACHE_CORRUPT;
	g = &c->groups[i];
	if (!str_at(c, g->name) || !range_ok(g->members_start, g->n_members, c->n_refs))
		return HOSTIAM_ERR_CACHE_CORRUPT;
	if (!group_verified(c, i)) {
		if (!hc_group_check(g, i, c->refs, c->strings, c->strings_size, &check) ||
		    check != g->check)
			return HOSTIAM_ERR_CACHE_CORRUPT;
		group_set_verified(c, i);
	}
	out->name = c->strings + g->name;
	out->gid = g->gid;
	out->index = i;
	out->n_members = g->n_members;
	return 0;
}

/* Member index entry i, its name, gid range and record check verified; NULL if damaged. */
static const struct hc_member *member_at(const struct hc_image *c, uint32_t i)
{
	const struct hc_member *m;

	if (i >= c->hdr->n_members)
		return NULL;
	m = &c->members[i];
	if (!str_at(c, m->name) || !range_ok(m->gids_start, m->n_gids, c->n_gids) ||
	    hc_member_check(m, i, c->gids, c->strings) != m->check)
		return NULL;
	return m;
}

/*
 * Probe table t for tag, calling match(record, key, out) on each candidate: 1 (and out
 * filled from the verified record) on a match, 0 if not, or an error. Every slot read is
 * verified first, so a damaged slot cannot end the chain early or point elsewhere.
 * Returns 0, HOSTIAM_ERR_NOT_FOUND or HOSTIAM_ERR_CACHE_CORRUPT. Bounded by the table
 * size, so a full table written by an attacker cannot loop forever.
 */
static int probe(const struct hc_image *c, const struct hc_table *t, uint32_t tag, uint32_t start,
		 int (*match)(const struct hc_image *, uint32_t, const void *, void *),
		 const void *key, void *out)
{
	uint32_t pos = start & t->mask;

	for (uint64_t n = 0; n <= t->mask; n++, pos = (pos + 1) & t->mask) {
		const struct hc_slot *s = &t->slots[pos];
		int m;

		if (s->check != hc_slot_check(t->id, pos, s->tag, s->ref))
			return HOSTIAM_ERR_CACHE_CORRUPT;
		if (s->ref == 0)
			return HOSTIAM_ERR_NOT_FOUND;
		if (s->tag != tag)
			continue;
		if ((m = match(c, s->ref - 1, key, out)) != 0)
			return m < 0 ? m : 0;
	}
	return HOSTIAM_ERR_NOT_FOUND;
}

/* 1 (and *out filled) if user record i, verified, is named key; 0 if not, or an error. */
static int user_name_is(const struct hc_image *c, uint32_t i, const void *key, void *out)
{
	struct hostiam_user_view u;
	int r = user_view(c, i, &u);

	if (r < 0 || strcmp(u.name, key) != 0)
		return r;
	*(struct hostiam_user_view *)out = u;
	return 1;
}

/*
 * 1 (and *out filled) if user record i, verified, has the uid *key. The slot's tag is the
 * uid, so a verified record with another uid is a damaged file, not a miss.
 */
static int user_uid_is(const struct hc_image *c, uint32_t i, const void *key, void *out)
{
	struct hostiam_user_view u;
	int r = user_view(c, i, &u);

	if (r < 0)
		return r;
	if (u.uid != *(const uint32_t *)key)
		return HOSTIAM_ERR_CACHE_CORRUPT;
	*(struct hostiam_user_view *)out = u;
	return 1;
}

/* 1 (and *out filled) if group record i, verified, is named key; 0 if not, or an error. */
static int group_name_is(const struct hc_image *c, uint32_t i, const void *key, void *out)
{
	struct hostiam_group_view g;
	int r = group_view(c, i, &g);

	if (r < 0 || strcmp(g.name, key) != 0)
		return r;
	*(struct hostiam_group_view *)out = g;
	return 1;
}

/* 1 (and *out filled) if group record i, verified, has the gid *key; as user_uid_is(). */
static int group_gid_is(const struct hc_image *c, uint32_t i, const void *key, void *out)
{
	struct hostiam_group_view g;
	int r = group_view(c, i, &g);

	if (r < 0)
		return r;
	if (g.gid != *(const uint32_t *)key)
		return HOSTIAM_ERR_CACHE_CORRUPT;
	*(struct hostiam_group_view *)out = g;
	return 1;
}

/* 1 (and *out set) if member index entry i, verified, is for key; 0 if not, or an error. */
static int member_name_is(const struct hc_image *c, uint32_t i, const void *key, void *out)
{
	const struct hc_member *m = member_at(c, i);

	if (!m)
		return HOSTIAM_ERR_CACHE_CORRUPT;
	if (strcmp(c->strings + m->name, key) != 0)
		return 0;
	*(const struct hc_member **)out = m;
	return 1;
}

int hc_image_user_by_name(const struct hc_image *c, const char *name, struct hostiam_user_view *out)
{
	uint32_t h = hostiam_hash_name(name);

	return probe(c, &c->user_name, h, h, user_name_is, name, out);
}

int hc_image_user_by_uid(const struct hc_image *c, uint32_t uid, struct hostiam_user_view *out)
{
	return probe(c, &c->user_uid, uid, hostiam_hash_id(uid), user_uid_is, &uid, out);
}

int hc_image_user_at(const struct hc_image *c, uint32_t i, struct hostiam_user_view *out)
{
	if (i >= c->hdr->n_users)
		return HOSTIAM_ERR_NOT_FOUND;
	return user_view(c, i, out);
}

int hc_image_user_key(const struct hc_image *c, uint32_t index, uint32_t i, const char **key)
{
	const struct hc_user *rec;
	uint64_t check;

	/* index came from a verified record; its keys have their own check, paid for here. */
	if (index >= c->hdr->n_users)
		return HOSTIAM_ERR_INVALID_ARG;
	rec = &c->users[index];
	if (i >= rec->n_keys)
		return HOSTIAM_ERR_NOT_FOUND;
	if (!range_ok(rec->keys_start, rec->n_keys, c->n_refs) ||
	    !hc_keys_check(rec, index, c->refs, c->strings, c->strings_size, &check) ||
	    check != rec->keys_check)
		return HOSTIAM_ERR_CACHE_CORRUPT;
	*key = c->strings + c->refs[rec->keys_start + i];
	return 0;
}

int hc_image_group_by_name(const struct hc_image *c, const char *name,
			   struct hostiam_group_view *out)
{
	uint32_t h = hostiam_hash_name(name);

	return probe(c, &c->group_name, h, h, group_name_is, name, out);
}

int hc_image_group_by_gid(const struct hc_image *c, uint32_t gid, struct hostiam_group_view *out)
{
	return probe(c, &c->group_gid, gid, hostiam_hash_id(gid), group_gid_is, &gid, out);
}

int hc_image_group_at(const struct hc_image *c, uint32_t i, struct hostiam_group_view *out)
{
	if (i >= c->hdr->n_groups)
		return HOSTIAM_ERR_NOT_FOUND;
	return group_view(c, i, out);
}

int hc_image_group_member(const struct hc_image *c, uint32_t index, uint32_t i, const char **member)
{
	const struct hc_group *rec;
	const char *s;

	if (index >= c->hdr->n_groups)
		return HOSTIAM_ERR_INVALID_ARG;
	rec = &c->groups[index];
	if (i >= rec->n_members)
		return HOSTIAM_ERR_NOT_FOUND;
	if (!range_ok(rec->members_start, rec->n_members, c->n_refs) ||
	    !(s = str_at(c, c->refs[rec->members_start + i])))
		return HOSTIAM_ERR_CACHE_CORRUPT;
	*member = s;
	return 0;
}

int hc_image_member_by_name(const struct hc_image *c, const char *name, uint32_t *index,
			    const uint32_t **gids, uint32_t *n_gids)
{
	uint32_t h = hostiam_hash_name(name);
	const struct hc_member *m = NULL;
	int r = probe(c, &c->member_name, h, h, member_name_is, name, &m);

	if (r < 0)
		return r;
	*index = (uint32_t)(m - c->members);
	*gids = c->gids + m->gids_start;
	*n_gids = m->n_gids;
	return 0;
}

int hc_image_member_at(const struct hc_image *c, uint32_t i, const char **name,
		       const uint32_t **gids, uint32_t *n_gids)
{
	const struct hc_member *m;

	if (i >= c->hdr->n_members)
		return HOSTIAM_ERR_NOT_FOUND;
	if (!(m = member_at(c, i)))
		return HOSTIAM_ERR_CACHE_CORRUPT;
	*name = c->strings + m->name;
	*gids = c->gids + m->gids_start;
	*n_gids = m->n_gids;
	return 0;
}
