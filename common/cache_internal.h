/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Inside the cache reader: one image (a base file, or the image embedded in a delta) and
 * the pair base + delta behind struct hostiam_cache. Private to common/cache_*.c and the
 * tests; callers use cache.h.
 */
#ifndef HOSTIAM_CACHE_INTERNAL_H
#define HOSTIAM_CACHE_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "cache.h"
#include "cache_delta_format.h"
#include "cache_format.h"

struct hc_table {
	const struct hc_slot *slots;
	uint32_t mask; /* number of slots - 1 */
	uint32_t id;   /* 0..4, for hc_slot_check() */
};

/* One cache image, its header and section bounds checked (cache_reader.c). */
struct hc_image {
	const uint8_t *base;
	size_t size;
	const struct hc_header *hdr;
	const char *strings;
	uint32_t strings_size;
	const struct hc_user *users;
	const struct hc_group *groups;
	const uint32_t *refs;
	uint32_t n_refs;
	const struct hc_member *members;
	const uint32_t *gids;
	uint32_t n_gids;
	struct hc_table user_name, user_uid, group_name, group_gid, member_name;
	/*
	 * Bit i set: group record i passed its check in this mapping, so its member names are
	 * not hashed again (cache_format.h argues it). n_groups bits, set with relaxed atomic
	 * ORs by any thread; NULL (attached by a test or fuzzer, or out of memory at open):
	 * every lookup verifies.
	 */
	uint64_t *verified;
};

/* A delta file, checked against the base it applies to (cache_delta.c). */
struct hc_delta {
	const uint8_t *map;
	size_t size;
	bool mapped;
	const struct hc_delta_header *hdr;
	const uint32_t *masks[HC_N_MASKS];
	uint32_t n_masks[HC_N_MASKS];
	struct hc_image img;
};

struct hostiam_cache {
	struct hc_image base;
	bool mapped; /* munmap on close (else attached to a caller buffer) */
	dev_t dev;   /* identity of the mapped file (0/0 when attached) */
	ino_t ino;
	uint32_t delta_seq;     /* the base's delta_seq when the delta was opened */
	struct hc_delta *delta; /* NULL: no delta applies */
	bool delta_file;        /* a delta file was there at open (applied or stale)... */
	dev_t delta_dev;        /* ...and its identity */
	ino_t delta_ino;
};

/* cache_reader.c: one image. Views carry the image's own record numbers. */
int hc_image_attach(struct hc_image *img, const void *buf, size_t len);
int hc_image_verify(const struct hc_image *img);
/* Give img its verified-groups bitmap (no-op if it cannot be allocated); freed by free(). */
void hc_image_track_verified(struct hc_image *img);
int hc_image_user_by_name(const struct hc_image *c, const char *name,
			  struct hostiam_user_view *out);
int hc_image_user_by_uid(const struct hc_image *c, uint32_t uid, struct hostiam_user_view *out);
int hc_image_user_at(const struct hc_image *c, uint32_t i, struct hostiam_user_view *out);
int hc_image_user_key(const struct hc_image *c, uint32_t index, uint32_t i, const char **key);
int hc_image_group_by_name(const struct hc_image *c, const char *name,
			   struct hostiam_group_view *out);
int hc_image_group_by_gid(const struct hc_image *c, uint32_t gid, struct hostiam_group_view *out);
int hc_image_group_at(const struct hc_image *c, uint32_t i, struct hostiam_group_view *out);
int hc_image_group_member(const struct hc_image *c, uint32_t index, uint32_t i,
			  const char **member);
/* Member index entry by name or by number: its record number, name and gids. */
int hc_image_member_by_name(const struct hc_image *c, const char *name, uint32_t *index,
			    const uint32_t **gids, uint32_t *n_gids);
int hc_image_member_at(const struct hc_image *c, uint32_t i, const char **name,
		       const uint32_t **gids, uint32_t *n_gids);

/* cache_open.c: open a regular file we may trust and map it read-only, shared. */
int hc_map_file(const char *path, size_t min_size, const void **map, size_t *len, struct stat *st);

/*
 * cache_delta.c: check the delta image buf (len bytes, 8-aligned) against the base of c
 * and set c->delta (kept NULL for a stale delta). 0; 1 when it is for a newer base (reopen
 * both); HOSTIAM_ERR_CACHE_CORRUPT or _VERSION. c->delta owns buf only once the caller
 * sets c->delta->mapped (then hostiam_cache_close() unmaps it).
 */
int hc_delta_attach(struct hostiam_cache *c, const void *buf, size_t len);
void hc_delta_free(struct hc_delta *d);
/* True if base record i of kind k is masked by the delta d (NULL: none). */
bool hc_delta_masked(const struct hc_delta *d, enum hc_mask k, uint32_t i);
/* The base record number of the i-th unmasked record of kind k out of n. */
uint32_t hc_delta_unmasked(const struct hc_delta *d, enum hc_mask k, uint32_t i);
int hc_delta_verify(const struct hc_delta *d);

#endif
