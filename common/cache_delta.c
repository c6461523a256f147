/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Reading a delta file (cache_delta_format.h): its header, its relation to the base, its
 * masks (verified whole at open: they are small) and its embedded image (checked like a
 * base, record by record on use).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "cache_internal.h"
#include "errors.h"
#include "hash.h"

/* Magic, version, header checksum and size, before any other field is trusted. */
static int check_header(const struct hc_delta_header *h, size_t len)
{
	if (len < sizeof(*h) || memcmp(h->magic, HC_DELTA_MAGIC, sizeof(h->magic)) != 0)
		return HOSTIAM_ERR_CACHE_CORRUPT;
	if (h->version != HC_DELTA_VERSION || h->byte_order != HC_BYTE_ORDER)
		return HOSTIAM_ERR_CACHE_VERSION;
	if (h->header_checksum !=
	    hostiam_checksum(h, offsetof(struct hc_delta_header, header_checksum)))
		return HOSTIAM_ERR_CACHE_CORRUPT;
	if (h->header_size != sizeof(*h) || h->file_size != len || h->reserved0 != 0 ||
	    h->generation <= h->base_generation)
		return HOSTIAM_ERR_CACHE_CORRUPT;
	return 0;
}

/*
 * Whether the delta applies to the base b: 0 yes, 1 it is for a newer base (the base was
 * replaced after we mapped it: reopen both), 2 it is stale (a full base was written after
 * it; the writer removes it, but may have died first).
 */
static int relation(const struct hc_delta_header *h, const struct hc_header *b)
{
	if (h->base_generation < b->generation)
		return 2;
	if (h->base_generation > b->generation)
		return 1;
	if (h->base_header_checksum == b->header_checksum)
		return 0;
	/*
	 * Another base of the same generation. A delta is only ever written for the current
	 * base, after the base it replaced was flagged: if ours is not flagged, the delta's
	 * base is gone, and ours came after it.
	 */
	return __atomic_load_n(&b->replaced, __ATOMIC_RELAXED) ? 1 : 2;
}

/* True if s lies in [lo, hi), 8-aligned, a whole number of uint32_t. */
static bool mask_section_ok(const struct hc_section_ref *s, uint64_t lo, uint64_t hi)
{
	return s->offset % HC_ALIGN == 0 && s->offset >= lo && s->offset <= hi &&
		s->size <= hi - s->offset && s->size % sizeof(uint32_t) == 0;
}

/* Every mask strictly increasing and below the base's count of that kind. */
static bool masks_ok(const struct hc_delta *d, const struct hc_header *b)
{
	const uint32_t limit[HC_N_MASKS] = { b->n_users, b->n_groups, b->n_members };

	for (int k = 0; k < HC_N_MASKS; k++)
		for (uint32_t j = 0; j < d->n_masks[k]; j++)
			if (d->masks[k][j] >= limit[k] ||
			    (j && d->masks[k][j] <= d->masks[k][j - 1]))
				return false;
	return true;
}

/* Bounds and checksum of the masks, and where they are; then their order. */
static int attach_masks(struct hc_delta *d, const struct hc_header *b)
{
	const struct hc_delta_header *h = d->hdr;
	const struct hc_section_ref *img = &h->image;

	if (img->offset % HC_ALIGN || img->offset < h->header_size || img->offset > d->size ||
	    img->size > d->size - img->offset)
		return HOSTIAM_ERR_CACHE_CORRUPT;
	for (int k = 0; k < HC_N_MASKS; k++) {
		if (!mask_section_ok(&h->masks[k], h->header_size, img->offset))
			return HOSTIAM_ERR_CACHE_CORRUPT;
		d->masks[k] = (const uint32_t *)(d->map + h->masks[k].offset);
		d->n_masks[k] = (uint32_t)(h->masks[k].size / sizeof(uint32_t));
	}
	if (hostiam_checksum(d->map + h->header_size, img->offset - h->header_size) !=
	    h->body_checksum)
		return HOSTIAM_ERR_CACHE_CORRUPT;
	return masks_ok(d, b) ? 0 : HOSTIAM_ERR_CACHE_CORRUPT;
}

/* The embedded image: a whole cache image of the delta's generation, flags clear. */
static int attach_image(struct hc_delta *d)
{
	const struct hc_header *ih;
	int r;

	if ((r = hc_image_attach(&d->img, d->map + d->hdr->image.offset, d->hdr->image.size)) < 0)
		return r == HOSTIAM_ERR_INVALID_ARG ? HOSTIAM_ERR_CACHE_CORRUPT : r;
	ih = d->img.hdr;
	if (ih->generation != d->hdr->generation || ih->replaced != 0 || ih->delta_seq != 0)
		return HOSTIAM_ERR_CACHE_CORRUPT;
	return 0;
}

int hc_delta_attach(struct hostiam_cache *c, const void *buf, size_t len)
{
	struct hc_delta *d;
	int r;

	if ((uintptr_t)buf % HC_ALIGN)
		return HOSTIAM_ERR_INVALID_ARG;
	if ((r = check_header(buf, len)) < 0)
		return r;
	if ((r = relation(buf, c->base.hdr)) != 0)
		return r == 1 ? 1 : 0;
	if (!(d = calloc(1, sizeof(*d))))
		return HOSTIAM_ERR_NOMEM;
	d->map = buf;
	d->size = len;
	d->hdr = buf;
	if ((r = attach_masks(d, c->base.hdr)) < 0 || (r = attach_image(d)) < 0) {
		free(d);
		return r;
	}
	c->delta = d;
	return 0;
}

void hc_delta_free(struct hc_delta *d)
{
	if (!d)
		return;
	if (d->mapped)
		munmap((void *)d->map, d->size);
	free(d);
}

/*
 * How many x in [0, n) have m[x] - (less_index ? x : 0) <= i: both keys never decrease
 * along a strictly increasing mask, so a binary search counts them. Branch-free: with a
 * mispredicted branch per step, a search through 1,000 masks cost a third of a lookup.
 */
static uint32_t first_above(const uint32_t *m, uint32_t n, uint32_t i, bool less_index)
{
	uint32_t b = 0;

	if (n == 0)
		return 0;
	/* Invariant: every x < b is at or below i. The step is a mask, not a branch. */
	for (; n > 1; n -= n / 2) {
		uint32_t x = b + n / 2;

		b += (n / 2) & -(uint32_t)(m[x] - (less_index ? x : 0) <= i);
	}
	return b + (m[b] - (less_index ? b : 0) <= i);
}

bool hc_delta_masked(const struct hc_delta *d, enum hc_mask k, uint32_t i)
{
	uint32_t x;

	if (!d)
		return false;
	x = first_above(d->masks[k], d->n_masks[k], i, false); /* masks up to i */
	return x > 0 && d->masks[k][x - 1] == i;
}

/*
 * The i-th unmasked record is i + j, where j counts the masks m[x] with m[x] - x <= i
 * (m[x] - x unmasked records come before m[x]).
 */
uint32_t hc_delta_unmasked(const struct hc_delta *d, enum hc_mask k, uint32_t i)
{
	return d ? i + first_above(d->masks[k], d->n_masks[k], i, true) : i;
}

int hc_delta_verify(const struct hc_delta *d)
{
	const struct hc_delta_header *h = d->hdr;

	if (h->reserved1 != 0 || h->replaced > 1 ||
	    hostiam_checksum(d->map + h->header_size, h->image.offset - h->header_size) !=
		    h->body_checksum)
		return HOSTIAM_ERR_CACHE_CORRUPT;
	return hc_image_verify(&d->img);
}
