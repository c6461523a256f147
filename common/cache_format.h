/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * On-disk layout of the directory cache (private to cache_reader.c, cache_writer.c and
 * their tests). Native byte order: the file is written and read on the same host. The
 * agent publishes each change as a small delta file beside it, which embeds an image of
 * this same layout (cache_delta_format.h).
 *
 *   [header][strings][users][groups][refs][members][gids][5 hash tables]
 *
 * Strings are interned, but for groups of 4,096 members or more, whose member names are
 * copied end to end (cache_writer.c): a lookup reads them in one sweep. Readers need not
 * know: refs point into the pool either way.
 *
 * Every section starts on an 8-byte boundary, so records can be read in place from the
 * (page-aligned) mapping. Padding is zero and covered by the body checksum.
 *
 * Integrity on the lookup path (version 2). The body checksum covers everything but costs
 * O(file size), tens of MB at 100,000 users: only `status` and `doctor` afford it. Yet a
 * damaged byte must make a lookup fail ("unavailable"), never change its answer. So every
 * byte a lookup reads is covered by a check that the lookup itself verifies, in O(what
 * it reads):
 * - the header, by its checksum, at open (it bounds every section and count);
 * - each hash slot, by a check of (table, position, tag, ref), verified for every slot a
 *   probe reads, so a flipped, emptied or filled-in slot is caught, not mistaken for the
 *   end of a chain (NOTFOUND) or another record;
 * - each user, group and member index record, by a 64-bit check over its own fields, its
 *   record number and every byte it references: its strings, its member list and those
 *   names, its gid list; verified before any field is used. A user's SSH keys have their
 *   own check, kept inside the record (so covered by it), verified when keys are read:
 *   getpwnam does not pay for keys it does not return.
 * The checks chain hostiam_check_*() (hash.h), whose steps are bijections; strings are
 * hashed as independent items, added up, so that the CPU overlaps them. A change to one
 * 8-byte word read once by a check always changes it; other changes (an offset that
 * now points elsewhere, a string's NUL, a string a record uses twice) go unnoticed with a
 * chance of about 2^-64. A slot check changes for any change to tag alone or ref alone.
 * A verified getpwnam hashes ~100 bytes it reads anyway: tens of nanoseconds, where a
 * whole-file checksum costs tens of milliseconds. Counted in tests/bench.
 *
 * Group records are verified once per mapping. A group's check covers every member name,
 * so verifying it costs O(members): about half of a warm 12,000-member getgrnam, the
 * rest being the copy of the names. But a mapped file never changes under its readers: the writer
 * replaces files by rename and never writes a published one in place, but for the
 * `replaced` and `delta_seq` words, which no check covers and no lookup reads as data.
 * So the bytes a check verified are the bytes every later lookup of that record in this
 * mapping reads. Each mapped image (base, delta) keeps a bitmap of its group records,
 * n_groups bits allocated at open (hostiam_cache_close() frees it): a lookup that verified
 * record i sets bit i (a relaxed atomic OR: any thread, no lock, no allocation), and a
 * lookup that finds the bit set skips the record check, never the bounds checks (the
 * record's name and member range, each member's offset, at every use). A forked child
 * inherits the bitmap with the mapping it describes. What this gives up, and only this:
 * a byte changed in memory, or by an in-place write the design forbids, AFTER the first
 * verified lookup of that record in this process is no longer noticed by the later
 * lookups of the same process. A damaged file is still refused by the first lookup of
 * each record in every process and every new mapping (the bit is set only after a check
 * passed), by `status` and `doctor`, and a file replaced the ordinary way is a new
 * mapping with a new, empty bitmap. Images attached to a caller's buffer
 * (hostiam_cache_attach(): tests, fuzzers, whose buffers may change) have no bitmap and
 * verify at every lookup. Users and member index entries stay verified at every lookup:
 * ~100 bytes each, nothing to gain.
 */
#ifndef HOSTIAM_CACHE_FORMAT_H
#define HOSTIAM_CACHE_FORMAT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "cache.h"
#include "hash.h"

#define HC_MAGIC "HIAMNSS\0"
#define HC_VERSION 2u
#define HC_BYTE_ORDER 0x01020304u
#define HC_ALIGN 8u

enum hc_section {
	HC_SEC_STRINGS,      /* NUL-terminated strings; offset 0 is ""; last byte is NUL */
	HC_SEC_USERS,        /* struct hc_user[n_users], sorted by uid */
	HC_SEC_GROUPS,       /* struct hc_group[n_groups], sorted by gid */
	HC_SEC_REFS,         /* uint32_t string offsets: SSH keys and group members */
	HC_SEC_MEMBERS,      /* struct hc_member[]: one per distinct member name */
	HC_SEC_GIDS,         /* uint32_t gids of the member index, sorted per member */
	HC_SEC_USER_BY_NAME, /* struct hc_slot[power of two]; the 5 tables in this order */
	HC_SEC_USER_BY_UID,
	HC_SEC_GROUP_BY_NAME,
	HC_SEC_GROUP_BY_GID,
	HC_SEC_MEMBER_BY_NAME,
	HC_N_SECTIONS
};

struct hc_section_ref {
	uint64_t offset;
	uint64_t size; /* bytes */
};

struct hc_header {
	char magic[8];
	uint32_t version;
	uint32_t byte_order;
	uint32_t header_size;
	uint32_t n_users;
	uint32_t n_groups;
	uint32_t n_members;
	uint64_t generation;
	int64_t sync_time;
	uint64_t file_size;
	struct hc_section_ref sections[HC_N_SECTIONS];
	uint64_t body_checksum;   /* bytes [header_size, file_size) */
	uint64_t header_checksum; /* bytes [0, offsetof(header_checksum)) */
	/* Not covered by any checksum: set to 1 by the writer in the file it replaced. */
	uint32_t replaced;
	/* Not covered either: bumped by the delta writer after each delta it publishes
	 * (cache_delta_format.h); readers remember it at open and reopen when it moves. */
	uint32_t delta_seq;
};

/* Record checks cover the bytes before the check field: the fixed part of each record. */
struct hc_user {
	uint32_t name, uid, gid, gecos, home, shell; /* string offsets, ids */
	uint32_t keys_start, n_keys;                 /* range of HC_SEC_REFS */
	uint64_t keys_check;                         /* the key refs and key strings */
	uint64_t check;                              /* hc_user_check() */
};

struct hc_group {
	uint32_t name, gid;
	uint32_t members_start, n_members; /* range of HC_SEC_REFS */
	uint64_t check;                    /* with the name and every member */
};

struct hc_member {
	uint32_t name;               /* string offset */
	uint32_t gids_start, n_gids; /* range of HC_SEC_GIDS */
	uint32_t reserved;           /* zero, covered by the check */
	uint64_t check;              /* with the name and the gid list */
};

/*
 * Hash slot: ref == 0 is empty, else record index + 1; tag is the name hash or the id;
 * check is hc_slot_check() of its table, position, tag and ref, empty slots included.
 */
struct hc_slot {
	uint32_t tag;
	uint32_t ref;
	uint32_t check;
};

/* Seeds of the record checks: a record checked as another kind does not verify. */
#define HC_CHECK_USER 0x75736572ull
#define HC_CHECK_KEYS 0x6b657973ull
#define HC_CHECK_GROUP 0x67727570ull
#define HC_CHECK_MEMBER 0x6d656d62ull

/* Check of the slot at pos of table t (0..4, in section order). */
static inline uint32_t hc_slot_check(uint32_t t, uint32_t pos, uint32_t tag, uint32_t ref)
{
	/* Nested bijections: a change to tag alone, or to ref alone, always shows. */
	uint32_t where = hostiam_hash_id(pos ^ (t << 29) ^ 0x5bd1e995u);

	return hostiam_hash_id(hostiam_hash_id(tag ^ where) ^ ref);
}

/*
 * The last 1..7 bytes of a range as hostiam_check_bytes() reads them (p[0] the least
 * significant: a little-endian load), in two loads rather than a loop over bytes: that loop was half the time of
 * verifying a 12,000-member group, whose names are 7 bytes long.
 */
static inline uint64_t hc_tail_word(const unsigned char *p, size_t len)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	uint32_t lo, hi;
	uint64_t x;

	if (len >= 4) {
		memcpy(&lo, p, 4);
		memcpy(&hi, p + len - 4, 4); /* overlaps lo: the same bytes at the same places */
		x = lo | (uint64_t)hi << (8 * (len - 4));
	} else {
		x = p[0] | (uint64_t)p[len / 2] << (8 * (len / 2)) |
			(uint64_t)p[len - 1] << (8 * (len - 1));
	}
	return x;
#else
	uint64_t w = 0;

	for (; len; len--)
		w = (w << 8) | p[len - 1];
	return w;
#endif
}

/* Seed of hostiam_check_item() (hash.h); test_cache checks hc_check_item() against it. */
#define HC_CHECK_ITEM 0x6974656dull

/* hostiam_check_item(i, s), with the tail of s read by hc_tail_word(). */
static inline uint64_t hc_check_item(uint64_t i, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s);
	uint64_t h = hostiam_check_word(hostiam_check_start(HC_CHECK_ITEM, i), len), w;

	for (; len >= 8; p += 8, len -= 8) {
		memcpy(&w, p, 8);
		h = hostiam_check_word(h, w);
	}
	return len ? hostiam_check_word(h, hc_tail_word(p, len)) : h;
}

/*
 * Absorb refs[start, start + n) and the strings they point to into *h, from a pool of
 * size bytes whose last byte is NUL. False, *h untouched, if an offset lies outside it.
 */
static inline bool hc_check_refs(uint64_t *h, const uint32_t *refs, uint32_t start, uint32_t n,
				 const char *pool, uint32_t size)
{
	uint64_t sum = 0;

	for (uint32_t i = 0; i < n; i++) {
		if (refs[start + i] >= size)
			return false;
		sum += hc_check_item(i, pool + refs[start + i]);
	}
	*h = hostiam_check_word(hostiam_check_bytes(*h, refs + start, (size_t)n * sizeof(uint32_t)),
				sum);
	return true;
}

/* Check of user record index (its four string offsets already known to be in the pool). */
static inline uint64_t hc_user_check(const struct hc_user *u, uint32_t index, const char *pool)
{
	uint64_t h = hostiam_check_start(HC_CHECK_USER, index);

	h = hostiam_check_bytes(h, u, offsetof(struct hc_user, check));
	return hostiam_check_word(
		h,
		hc_check_item(0, pool + u->name) + hc_check_item(1, pool + u->gecos) +
			hc_check_item(2, pool + u->home) + hc_check_item(3, pool + u->shell));
}

/* Keys check of user record index (its key range already known to lie in refs). */
static inline bool hc_keys_check(const struct hc_user *u, uint32_t index, const uint32_t *refs,
				 const char *pool, uint32_t pool_size, uint64_t *check)
{
	*check = hostiam_check_start(HC_CHECK_KEYS, index);
	return hc_check_refs(check, refs, u->keys_start, u->n_keys, pool, pool_size);
}

/* Check of group record index (name in the pool and member range in refs, already known). */
static inline bool hc_group_check(const struct hc_group *g, uint32_t index, const uint32_t *refs,
				  const char *pool, uint32_t pool_size, uint64_t *check)
{
	uint64_t h = hostiam_check_start(HC_CHECK_GROUP, index);

	h = hostiam_check_bytes(h, g, offsetof(struct hc_group, check));
	*check = hostiam_check_str(h, pool + g->name);
	return hc_check_refs(check, refs, g->members_start, g->n_members, pool, pool_size);
}

/* Check of member index entry index (name in the pool and gid range, already known). */
static inline uint64_t hc_member_check(const struct hc_member *m, uint32_t index,
				       const uint32_t *gids, const char *pool)
{
	uint64_t h = hostiam_check_start(HC_CHECK_MEMBER, index);

	h = hostiam_check_bytes(h, m, offsetof(struct hc_member, check));
	h = hostiam_check_str(h, pool + m->name);
	return hostiam_check_bytes(h, gids + m->gids_start, (size_t)m->n_gids * sizeof(uint32_t));
}

#define HC_REPLACED_OFFSET offsetof(struct hc_header, replaced)
#define HC_DELTA_SEQ_OFFSET offsetof(struct hc_header, delta_seq)

/*
 * Attach a reader to an in-memory image (validates the header and section bounds, like
 * hostiam_cache_open() after mmap). buf must stay valid and 8-byte aligned until
 * hostiam_cache_close(), which does not free it. For the fuzzer and the tests.
 */
int hostiam_cache_attach(const void *buf, size_t len, struct hostiam_cache **out);

#endif
