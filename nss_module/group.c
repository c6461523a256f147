/* SPDX-License-Identifier: BSD-2-Clause */
/* group database: getgrnam_r, getgrgid_r and enumeration over the cache. No allocation. */
#include "config.h"

#include <stdalign.h>
#include <stdatomic.h>
#include <stdint.h>

#include "names.h"
#include "nss_hostiam.h"

struct nss_ent nss_grent = NSS_ENT_INIT;

/*
 * Copy name s into b: HOSTIAM_ERR_TOO_SMALL if it does not fit. Names were validated when
 * the cache was written, so one longer than a name can be means a damaged file: CORRUPT,
 * not a long walk. memccpy() measures and copies in one call (a strnlen() and a memcpy()
 * with its small bound became an inlined `rep movsq`, 4 times slower on big groups).
 */
static int put_name(struct nss_buf *b, const char *s, char **copy)
{
	size_t room = b->left < HOSTIAM_NAME_MAX + 1 ? b->left : HOSTIAM_NAME_MAX + 1;
	char *end = memccpy(b->p, s, '\0', room);

	if (!end)
		return room == b->left ? HOSTIAM_ERR_TOO_SMALL : HOSTIAM_ERR_CACHE_CORRUPT;
	*copy = b->p;
	b->left -= (size_t)(end - b->p);
	b->p = end;
	return 0;
}

/*
 * Above this many bytes per member, the span of a group's names in the pool is not the
 * names laid end to end, and put_block() leaves them to put_name(), one by one.
 */
#define BLOCK_BYTES_PER_MEMBER 32

/*
 * The member names of g as one block into b, when they lie close together in the pool: a
 * big group's names are laid end to end there (cache_writer.c). One memcpy() and pointer
 * arithmetic instead of a memccpy() per name (60 % of a warm 6,000-member getgrnam).
 * The copy of [first member, end of last member] holds each member's name, NUL ended,
 * at the same distance from its start as in the pool, so mem[i] points at member i's
 * name exactly. False (nothing reserved in b) to leave it to put_name(): names far
 * apart, a member outside the span, or a block that does not fit (put_name() then tells
 * exactly whether the names alone would have).
 */
static bool put_block(const struct hostiam_cache *c, const struct hostiam_group_view *g,
		      struct nss_buf *b, char **mem)
{
	const char *first, *last, *m;
	size_t len;

	if (g->n_members < 2 || hostiam_cache_group_member(c, g, 0, &first) < 0 ||
	    hostiam_cache_group_member(c, g, g->n_members - 1, &last) < 0 || last < first ||
	    (len = strnlen(last, HOSTIAM_NAME_MAX + 1)) > HOSTIAM_NAME_MAX)
		return false;
	len += (size_t)(last - first) + 1;
	if (len > b->left || len / g->n_members > BLOCK_BYTES_PER_MEMBER)
		return false;
	for (uint32_t i = 0; i < g->n_members; i++) {
		if (hostiam_cache_group_member(c, g, i, &m) < 0 || m < first || m > last)
			return false;
		mem[i] = b->p + (m - first);
	}
	memcpy(b->p, first, len);
	b->p += len;
	b->left -= len;
	return true;
}

/* Padding before the pointer array in buf. */
static size_t array_pad(const char *buf)
{
	return (alignof(char *) - (uintptr_t)buf % alignof(char *)) % alignof(char *);
}

/*
 * Fill *gr from g inside buf, or HOSTIAM_ERR_TOO_SMALL (NULL buf included) with *gr
 * untouched. One pass over the members: each name is measured and copied at once, so a
 * big group's names, scattered over the string pool, are read once per call, not twice.
 */
static int fill_group(const struct hostiam_cache *c, const struct hostiam_group_view *g,
		      struct group *gr, char *buf, size_t buflen)
{
	struct nss_buf b;
	size_t pad, array;
	char **mem, *name, *passwd;
	const char *m;
	int r;

	if (!buf)
		return HOSTIAM_ERR_TOO_SMALL;
	/* The pointer array first, aligned; the strings after it. */
	pad = array_pad(buf);
	if (__builtin_mul_overflow((size_t)g->n_members + 1, sizeof(char *), &array) ||
	    !nss_size_add(&array, pad))
		return HOSTIAM_ERR_CACHE_CORRUPT;
	if (array > buflen)
		return HOSTIAM_ERR_TOO_SMALL;
	mem = (char **)(void *)(buf + pad);
	b.p = buf + array;
	b.left = buflen - array;
	if ((r = put_name(&b, g->name, &name)) < 0 || (r = put_name(&b, "*", &passwd)) < 0)
		return r;
	if (!put_block(c, g, &b, mem))
		for (uint32_t i = 0; i < g->n_members; i++)
			if ((r = hostiam_cache_group_member(c, g, i, &m)) < 0 ||
			    (r = put_name(&b, m, &mem[i])) < 0)
				return r;
	mem[g->n_members] = NULL;
	gr->gr_name = name;
	gr->gr_passwd = passwd;
	gr->gr_gid = g->gid;
	gr->gr_mem = mem;
	return 0;
}

/*
 * glibc's getgrnam() and getgrgid() start with a 1 KiB buffer and retry with twice as much
 * after each ERANGE: 7 calls for a 6,000-member group, each copying names (and the first
 * verifying the whole record, O(members)) only to find the buffer still too small. So the module remembers what the
 * last refused request needs in that cache generation and refuses a retry still too small
 * at once. A memo that no longer fits can only ask for a bigger buffer, never answer.
 * Only ever try-locked: a busy memo (or one left locked across fork) is skipped, so it
 * never waits, and its lock is touched only once the memo names the current mapping.
 */
static struct {
	pthread_mutex_t lock;
	const struct hostiam_cache *_Atomic c;
	uint64_t generation;
	size_t need;                     /* bytes, without the alignment padding */
	uint32_t gid;                    /* for a lookup by gid (name empty) */
	char name[HOSTIAM_NAME_MAX + 1]; /* for a lookup by name */
} memo = { .lock = PTHREAD_MUTEX_INITIALIZER };

static uint64_t generation(const struct hostiam_cache *c)
{
	struct hostiam_cache_info info;

	hostiam_cache_get_info(c, &info);
	return info.generation;
}

/* True if the memo says the request (name, or gid when name is NULL) needs more than buf. */
static bool memo_too_small(const struct hostiam_cache *c, const char *name, uint32_t gid,
			   const char *buf, size_t buflen)
{
	bool small;

	if (atomic_load_explicit(&memo.c, memory_order_relaxed) != c ||
	    pthread_mutex_trylock(&memo.lock) != 0)
		return false;
	small = memo.c == c && memo.generation == generation(c) &&
		strcmp(memo.name, name ? name : "") == 0 && (name || memo.gid == gid) &&
		(!buf || buflen < memo.need || buflen - memo.need < array_pad(buf));
	pthread_mutex_unlock(&memo.lock);
	return small;
}

/* Bytes g needs without padding, or 0 if a member name is damaged. */
static size_t group_need(const struct hostiam_cache *c, const struct hostiam_group_view *g)
{
	size_t need = ((size_t)g->n_members + 1) * sizeof(char *) + strlen(g->name) + 1 + 2, len;
	const char *m;

	for (uint32_t i = 0; i < g->n_members; i++) {
		if (hostiam_cache_group_member(c, g, i, &m) < 0 ||
		    (len = strnlen(m, HOSTIAM_NAME_MAX + 1)) > HOSTIAM_NAME_MAX)
			return 0;
		need += len + 1;
	}
	return need;
}

/* After a refusal: remember what the request for g needs. */
static void memo_remember(const struct hostiam_cache *c, const struct hostiam_group_view *g,
			  const char *name)
{
	size_t need = group_need(c, g);

	if (need == 0 || pthread_mutex_trylock(&memo.lock) != 0)
		return;
	strcpy(memo.name, name ? name : "");
	memo.gid = g->gid;
	memo.need = need;
	memo.generation = generation(c);
	atomic_store_explicit(&memo.c, c, memory_order_relaxed);
	pthread_mutex_unlock(&memo.lock);
}

/* Look up the group called name (or with gid when name is NULL) and fill *gr. */
static int get_group(const char *name, uint32_t gid, struct group *gr, char *buf, size_t buflen)
{
	const struct hostiam_cache *c;
	struct hostiam_group_view g;
	int r;

	if ((r = nss_cache_acquire(&c)) < 0)
		return r;
	if (memo_too_small(c, name, gid, buf, buflen))
		r = HOSTIAM_ERR_TOO_SMALL;
	else if ((r = name ? hostiam_cache_group_by_name(c, name, &g) :
			     hostiam_cache_group_by_gid(c, gid, &g)) == 0 &&
		 (r = fill_group(c, &g, gr, buf, buflen)) == HOSTIAM_ERR_TOO_SMALL)
		memo_remember(c, &g, name);
	nss_cache_release();
	return r;
}

/* The cached group called name, with its members; an invalid name is not found. */
enum nss_status _nss_hostiam_getgrnam_r(const char *name, struct group *gr, char *buf,
					size_t buflen, int *errnop)
{
	int saved = errno;

	if (!hostiam_valid_group_name(name))
		return nss_finish(HOSTIAM_ERR_NOT_FOUND, saved, errnop);
	return nss_finish(get_group(name, 0, gr, buf, buflen), saved, errnop);
}

/* The cached group with this gid. */
enum nss_status _nss_hostiam_getgrgid_r(gid_t gid, struct group *gr, char *buf, size_t buflen,
					int *errnop)
{
	int saved = errno;

	return nss_finish(get_group(NULL, gid, gr, buf, buflen), saved, errnop);
}

/* Enumeration step: group record index into *result. */
static int fill_group_at(const struct hostiam_cache *c, uint32_t index, void *result, char *buf,
			 size_t buflen)
{
	struct hostiam_group_view g;
	int r = hostiam_cache_group_at(c, index, &g);

	return r < 0 ? r : fill_group(c, &g, result, buf, buflen);
}

/* Rewind the group enumeration. */
enum nss_status _nss_hostiam_setgrent(int stayopen)
{
	return nss_ent_rewind(&nss_grent);
}

/* End the group enumeration; the mapping stays for later lookups. */
enum nss_status _nss_hostiam_endgrent(void)
{
	return nss_ent_rewind(&nss_grent);
}

/* The next cached group, in gid order. */
enum nss_status _nss_hostiam_getgrent_r(struct group *gr, char *buf, size_t buflen, int *errnop)
{
	return nss_ent_next(&nss_grent, fill_group_at, gr, buf, buflen, errnop);
}
