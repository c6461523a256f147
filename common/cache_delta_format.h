/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * On-disk layout of the delta file "<nss.cache>.delta" (private to the cache reader, the
 * delta writer and their tests). Native byte order, like the base.
 *
 * Why a delta. The base file is immutable and hash-indexed: a lookup reads a few slots
 * and one record, with no work at open proportional to the file. Changing one record in
 * place would break the readers' guarantees (a reader mid-lookup would see a torn record;
 * the per-record checks would have to be rewritten under its feet), and rewriting the
 * base costs O(directory): 40 MB and seconds of CPU at 100,000 users, per change. So a
 * change is published as a small second file, written like the base (temp file, fsync,
 * rename, directory fsync) and read beside it:
 *
 *   lookup(key) = the delta's record for key if it has one,
 *                 else the base's record unless the delta masks that record,
 *                 else not found.
 *
 * The delta is cumulative since the last full base: each publish rewrites it whole (old
 * delta records not replaced nor dropped, plus the change), so a reader needs exactly two
 * files and never a chain. Its cost grows with the changes since the last full base, and
 * the agent compacts (writes a full base, which removes the delta) when it grows.
 *
 *   [header][user masks][group masks][member masks][pad][embedded HIAMNSS v2 image]
 *
 * - Masks are sorted, unique uint32 record numbers of the base (hc_user, hc_group,
 *   hc_member), binary-searched: a base record replaced, renamed or dropped by the delta.
 *   A base record is masked whenever the delta has a record with its name or its id, so
 *   the two files never answer for the same key and enumeration (the unmasked base
 *   records in order, then the delta's) lists each record once.
 * - The embedded image is an ordinary cache image (cache_format.h), read by the same
 *   reader with the same per-record checks, so a lookup in the delta costs what one in the
 *   base costs. Its member index is explicit: for each member whose groups changed, the
 *   complete list of its gids (groups of the base and of the delta alike), since the
 *   delta's groups are only the changed ones. A member left in no group is masked, not
 *   stored, so initgroups answers exactly as a full write would (not found).
 * - The header names the base it applies to (generation and header checksum). A reader
 *   ignores a delta for an older base (a full base was written after it and the writer
 *   died before removing it) and reopens both files when the delta is for a newer base
 *   (the base was replaced between its two opens).
 *
 * Integrity. The header checksum covers the header up to itself; the body checksum covers
 * the masks (and the padding up to the image), verified at open: the masks are what
 * every lookup and enumeration of the base trusts, and they are small. The embedded
 * image checks itself like a base: its header at open, each slot and record on use, its
 * body checksum in hostiam_cache_verify(). A truncated, damaged or hostile delta makes the
 * whole open fail (unavailable), never a half answer.
 *
 * Switching. Publishing a delta renames the new file over the old one, flags the old one
 * `replaced` (readers of it see the flag through MAP_SHARED), then bumps the base header's
 * `delta_seq` word (a reader that had no delta sees that). hostiam_cache_replaced() reads
 * those three words: still no system call on the lookup path.
 */
#ifndef HOSTIAM_CACHE_DELTA_FORMAT_H
#define HOSTIAM_CACHE_DELTA_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#include "cache_format.h"

#define HC_DELTA_MAGIC "HIAMDLT\0"
#define HC_DELTA_VERSION 1u
#define HC_DELTA_SUFFIX ".delta"

/* Indexes of the mask sections. */
enum hc_mask {
	HC_MASK_USERS,
	HC_MASK_GROUPS,
	HC_MASK_MEMBERS,
	HC_N_MASKS
};

/* Set in a view's index when the record comes from the delta's image (hostiam_cache_*). */
#define HC_DELTA_INDEX 0x80000000u

struct hc_delta_header {
	char magic[8];
	uint32_t version;
	uint32_t byte_order;
	uint32_t header_size;
	uint32_t reserved0;            /* zero */
	uint64_t base_generation;      /* the base this delta applies to... */
	uint64_t base_header_checksum; /* ...exactly (its header_checksum) */
	uint64_t generation;           /* of base + delta; > base_generation */
	uint64_t file_size;
	struct hc_section_ref masks[HC_N_MASKS]; /* uint32_t[], sorted, unique */
	struct hc_section_ref image;             /* 8-aligned, after the masks */
	uint64_t body_checksum;                  /* bytes [header_size, image.offset) */
	uint64_t header_checksum;                /* bytes [0, offsetof(header_checksum)) */
	/* Not covered by any checksum: set to 1 by the writer in the delta it replaced. */
	uint32_t replaced;
	uint32_t reserved1; /* zero */
};

#define HC_DELTA_REPLACED_OFFSET offsetof(struct hc_delta_header, replaced)

#endif
