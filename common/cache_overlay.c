/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Lookups over the base and its delta (cache_delta_format.h): the delta's image answers
 * first; else the base, unless the delta masks the base's record. Views from the delta
 * carry HC_DELTA_INDEX in their index, so keys and members are read from the right image.
 */
#include "config.h"

#include "cache_internal.h"
#include "errors.h"

/* The delta's image, or NULL. */
static const struct hc_image *delta_image(const struct hostiam_cache *c)
{
	return c->delta ? &c->delta->img : NULL;
}

/* An answer r from the delta's image: tag the view, copy it out on success. */
static int user_from_delta(int r, struct hostiam_user_view *v, struct hostiam_user_view *out)
{
	if (r == 0) {
		v->index |= HC_DELTA_INDEX;
		*out = *v;
	}
	return r;
}

/* An answer r from the base: a record the delta masks is not found. */
static int user_from_base(const struct hostiam_cache *c, int r, const struct hostiam_user_view *v,
			  struct hostiam_user_view *out)
{
	if (r == 0 && hc_delta_masked(c->delta, HC_MASK_USERS, v->index))
		return HOSTIAM_ERR_NOT_FOUND;
	if (r == 0)
		*out = *v;
	return r;
}

/* As user_from_delta(), for groups. */
static int group_from_delta(int r, struct hostiam_group_view *v, struct hostiam_group_view *out)
{
	if (r == 0) {
		v->index |= HC_DELTA_INDEX;
		*out = *v;
	}
	return r;
}

/* As user_from_base(), for groups. */
static int group_from_base(const struct hostiam_cache *c, int r, const struct hostiam_group_view *v,
			   struct hostiam_group_view *out)
{
	if (r == 0 && hc_delta_masked(c->delta, HC_MASK_GROUPS, v->index))
		return HOSTIAM_ERR_NOT_FOUND;
	if (r == 0)
		*out = *v;
	return r;
}

int hostiam_cache_user_by_name(const struct hostiam_cache *c, const char *name,
			       struct hostiam_user_view *out)
{
	const struct hc_image *d = delta_image(c);
	struct hostiam_user_view v;
	int r;

	if (d && (r = hc_image_user_by_name(d, name, &v)) != HOSTIAM_ERR_NOT_FOUND)
		return user_from_delta(r, &v, out);
	return user_from_base(c, hc_image_user_by_name(&c->base, name, &v), &v, out);
}

int hostiam_cache_user_by_uid(const struct hostiam_cache *c, uint32_t uid,
			      struct hostiam_user_view *out)
{
	const struct hc_image *d = delta_image(c);
	struct hostiam_user_view v;
	int r;

	if (d && (r = hc_image_user_by_uid(d, uid, &v)) != HOSTIAM_ERR_NOT_FOUND)
		return user_from_delta(r, &v, out);
	return user_from_base(c, hc_image_user_by_uid(&c->base, uid, &v), &v, out);
}

int hostiam_cache_user_at(const struct hostiam_cache *c, uint32_t index,
			  struct hostiam_user_view *out)
{
	const struct hc_image *d = delta_image(c);
	uint32_t in_base = c->base.hdr->n_users;
	struct hostiam_user_view v;

	if (d)
		in_base -= c->delta->n_masks[HC_MASK_USERS];
	if (index < in_base) {
		index = hc_delta_unmasked(c->delta, HC_MASK_USERS, index);
		return user_from_base(c, hc_image_user_at(&c->base, index, &v), &v, out);
	}
	if (!d)
		return HOSTIAM_ERR_NOT_FOUND;
	return user_from_delta(hc_image_user_at(d, index - in_base, &v), &v, out);
}

int hostiam_cache_user_key(const struct hostiam_cache *c, const struct hostiam_user_view *u,
			   uint32_t i, const char **key)
{
	if (!(u->index & HC_DELTA_INDEX))
		return hc_image_user_key(&c->base, u->index, i, key);
	if (!c->delta)
		return HOSTIAM_ERR_INVALID_ARG;
	return hc_image_user_key(&c->delta->img, u->index & ~HC_DELTA_INDEX, i, key);
}

int hostiam_cache_group_by_name(const struct hostiam_cache *c, const char *name,
				struct hostiam_group_view *out)
{
	const struct hc_image *d = delta_image(c);
	struct hostiam_group_view v;
	int r;

	if (d && (r = hc_image_group_by_name(d, name, &v)) != HOSTIAM_ERR_NOT_FOUND)
		return group_from_delta(r, &v, out);
	return group_from_base(c, hc_image_group_by_name(&c->base, name, &v), &v, out);
}

int hostiam_cache_group_by_gid(const struct hostiam_cache *c, uint32_t gid,
			       struct hostiam_group_view *out)
{
	const struct hc_image *d = delta_image(c);
	struct hostiam_group_view v;
	int r;

	if (d && (r = hc_image_group_by_gid(d, gid, &v)) != HOSTIAM_ERR_NOT_FOUND)
		return group_from_delta(r, &v, out);
	return group_from_base(c, hc_image_group_by_gid(&c->base, gid, &v), &v, out);
}

int hostiam_cache_group_at(const struct hostiam_cache *c, uint32_t index,
			   struct hostiam_group_view *out)
{
	const struct hc_image *d = delta_image(c);
	uint32_t in_base = c->base.hdr->n_groups;
	struct hostiam_group_view v;

	if (d)
		in_base -= c->delta->n_masks[HC_MASK_GROUPS];
	if (index < in_base) {
		index = hc_delta_unmasked(c->delta, HC_MASK_GROUPS, index);
		return group_from_base(c, hc_image_group_at(&c->base, index, &v), &v, out);
	}
	if (!d)
		return HOSTIAM_ERR_NOT_FOUND;
	return group_from_delta(hc_image_group_at(d, index - in_base, &v), &v, out);
}

int hostiam_cache_group_member(const struct hostiam_cache *c, const struct hostiam_group_view *g,
			       uint32_t i, const char **member)
{
	if (!(g->index & HC_DELTA_INDEX))
		return hc_image_group_member(&c->base, g->index, i, member);
	if (!c->delta)
		return HOSTIAM_ERR_INVALID_ARG;
	return hc_image_group_member(&c->delta->img, g->index & ~HC_DELTA_INDEX, i, member);
}

int hostiam_cache_member_gids(const struct hostiam_cache *c, const char *member,
			      const uint32_t **gids, uint32_t *n_gids)
{
	const struct hc_image *d = delta_image(c);
	const uint32_t *g;
	uint32_t index, n;
	int r;

	if (!d ||
	    (r = hc_image_member_by_name(d, member, &index, &g, &n)) == HOSTIAM_ERR_NOT_FOUND) {
		r = hc_image_member_by_name(&c->base, member, &index, &g, &n);
		if (r == 0 && hc_delta_masked(c->delta, HC_MASK_MEMBERS, index))
			r = HOSTIAM_ERR_NOT_FOUND;
	}
	if (r == 0) {
		*gids = g;
		*n_gids = n;
	}
	return r;
}
