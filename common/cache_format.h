/*
 * On-disk layout of the directory cache (private to cache_reader.c, cache_writer.c and
 * their tests). Native byte order: the file is written and read on the same host.
 *
 *   [header][strings][users][groups][refs][members][gids][5 hash tables]
 *
 * Every section starts on an 8-byte boundary, so records can be read in place from the
 * (page-aligned) mapping. Padding is zero and covered by the body checksum.
 */
#ifndef HOSTIAM_CACHE_FORMAT_H
#define HOSTIAM_CACHE_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#include "cache.h"

#define HC_MAGIC "HIAMNSS\0"
#define HC_VERSION 1u
#define HC_BYTE_ORDER 0x01020304u
#define HC_ALIGN 8u

enum hc_section {
	HC_SEC_STRINGS,         /* NUL-terminated strings; offset 0 is ""; last byte is NUL */
	HC_SEC_USERS,           /* struct hc_user[n_users], sorted by uid */
	HC_SEC_GROUPS,          /* struct hc_group[n_groups], sorted by gid */
	HC_SEC_REFS,            /* uint32_t string offsets: SSH keys and group members */
	HC_SEC_MEMBERS,         /* struct hc_member[]: one per distinct member name */
	HC_SEC_GIDS,            /* uint32_t gids of the member index, sorted per member */
	HC_SEC_USER_BY_NAME,    /* struct hc_slot[power of two] */
	HC_SEC_USER_BY_UID,
	HC_SEC_GROUP_BY_NAME,
	HC_SEC_GROUP_BY_GID,
	HC_SEC_MEMBER_BY_NAME,
	HC_N_SECTIONS
};

struct hc_section_ref {
	uint64_t offset;
	uint64_t size;          /* bytes */
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
	uint32_t reserved;        /* zero */
};

struct hc_user {
	uint32_t name, uid, gid, gecos, home, shell; /* string offsets, ids */
	uint32_t keys_start, n_keys;                  /* range of HC_SEC_REFS */
};

struct hc_group {
	uint32_t name, gid;
	uint32_t members_start, n_members;            /* range of HC_SEC_REFS */
};

struct hc_member {
	uint32_t name;                                /* string offset */
	uint32_t gids_start, n_gids;                  /* range of HC_SEC_GIDS */
	uint32_t reserved;
};

/* Hash slot: ref == 0 is empty, else record index + 1; tag is the name hash or the id. */
struct hc_slot {
	uint32_t tag;
	uint32_t ref;
};

#define HC_REPLACED_OFFSET offsetof(struct hc_header, replaced)

/*
 * Attach a reader to an in-memory image (validates the header and section bounds, like
 * hostiam_cache_open() after mmap). buf must stay valid and 8-byte aligned until
 * hostiam_cache_close(), which does not free it. For the fuzzer and the tests.
 */
int hostiam_cache_attach(const void *buf, size_t len, struct hostiam_cache **out);

#endif
