/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sync.state, binary, little-endian as the host writes it (the file never leaves the host):
 *   header  "HIAMSYN1" | u64 build | u64 generation | u64 config hash | u64 body length |
 *           u64 checksum of the body (build: this program's version and entry layout)
 *   body    for users, then groups: u32 cookie length, cookie, u64 entry count, entries
 *   entry   u32 uuid length, uuid, u32 kind, the strings of struct dir_entry in order
 *           (u32 length, bytes; NONE for NULL), u32 count + strings for each vector
 * Every length is checked against what is left before it is used.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dir_intern.h"
#include "errors.h"
#include "file_io.h"
#include "hash.h"
#include "sync_full.h"
#include "sync_state.h"

#define MAGIC "HIAMSYN1"
#define HEADER_LEN SYNC_STATE_HEADER_LEN
#define NONE 0xffffffffu
#define MAX_FILE ((size_t)1 << 34) /* far above any directory; bounds the read */

struct buf {
	unsigned char *p;
	size_t len, cap;
	int error;
};

/* Append n bytes; remember a failed allocation for the end. */
static void put(struct buf *b, const void *data, size_t n)
{
	if (b->error || n == 0)
		return;
	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap : 65536;
		unsigned char *p;

		while (cap < b->len + n)
			cap *= 2;
		p = malloc(cap);
		if (!p) {
			b->error = HOSTIAM_ERR_NOMEM;
			return;
		}
		/* Copied by hand so that the old buffer, which holds secrets, is wiped. */
		if (b->p) {
			memcpy(p, b->p, b->len);
			explicit_bzero(b->p, b->cap);
			free(b->p);
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, data, n);
	b->len += n;
}

static void put_u32(struct buf *b, uint32_t v)
{
	put(b, &v, sizeof(v));
}

static void put_u64(struct buf *b, uint64_t v)
{
	put(b, &v, sizeof(v));
}

/* A string, or NONE for NULL. */
static void put_str(struct buf *b, const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (s && n >= NONE) {
		b->error = HOSTIAM_ERR_INVALID_ARG;
		return;
	}
	put_u32(b, s ? (uint32_t)n : NONE);
	put(b, s, n);
}

static void put_strv(struct buf *b, const struct dir_strv *v)
{
	size_t i;

	put_u32(b, (uint32_t)v->n);
	for (i = 0; i < v->n; i++)
		put_str(b, v->v[i]);
}

/* Interned names are stored as their text, as a dir_strv is. */
static void put_names(struct buf *b, const struct dir_names *v)
{
	struct dir_names_cursor c = { v->code, 0 };
	size_t i;

	put_u32(b, (uint32_t)v->n);
	for (i = 0; i < v->n; i++)
		put_str(b, dir_intern_str(dir_names_next(&c)));
}

/* sync_session_each callback: one entry. */
static int put_entry(const struct berval *uuid, const struct dir_entry *e, void *ctx)
{
	struct buf *b = ctx;
	size_t i;

	put_u32(b, (uint32_t)uuid->bv_len);
	put(b, uuid->bv_val, uuid->bv_len);
	put_u32(b, (uint32_t)e->kind);
	for (i = DIR_DN; i <= DIR_TOTP; i++)
		put_str(b, dir_text(e, (enum dir_field)i));
	put_u32(b, HOSTIAM_ACCT_N);
	for (i = 0; i < HOSTIAM_ACCT_N; i++)
		put_str(b, dir_text(e, (enum dir_field)(DIR_ACCOUNT + i)));
	put_str(b, dir_text(e, DIR_BAD_ATTR));
	put_u32(b, e->n_keys);
	for (i = 0; i < e->n_keys; i++)
		put_str(b, e->keys[i]);
	put_names(b, dir_member_names(e));
	put_strv(b, dir_member_dns(e));
	return b->error;
}

/*
 * Every field of struct dir_entry (and of the draft get_entry fills) is written and read
 * below. A field added to them without being added here would be lost on every resume:
 * these copies of the layouts make the build fail instead (put_entry and get_entry list
 * the fields in the same order: the text fields up to DIR_TOTP, the account values, the
 * bad attribute, the lists).
 */
struct dir_entry_layout {
	struct dir_group_members *members;
	uint32_t present : DIR_FIELDS; /* the text fields */
	uint32_t kind : 1;
	uint32_t seen : 1;      /* not stored: the session's own bookkeeping */
	uint32_t logged : 8;    /* not stored: the resolver's own bookkeeping */
	uint32_t ndn_is_dn : 1; /* the text of DIR_NDN */
	uint16_t n_keys;
	uint8_t uuid_len; /* with the uuid */
	uint8_t spare;
	char *keys[];
};
struct dir_draft_layout {
	enum dir_kind kind;
	char *text[DIR_FIELDS];
	struct dir_strv keys;
	struct dir_names member_names;
	struct dir_strv member_dns;
};
_Static_assert(sizeof(struct dir_entry_layout) == sizeof(struct dir_entry),
	       "struct dir_entry changed: store the new field in sync.state (sync_state.c)");
_Static_assert(sizeof(struct dir_draft_layout) == sizeof(struct dir_draft),
	       "struct dir_draft changed: store the new field in sync.state (sync_state.c)");
_Static_assert(DIR_TOTP == 9 && DIR_ACCOUNT == DIR_TOTP + 1 && DIR_FIELDS == DIR_BAD_ATTR + 1,
	       "enum dir_field changed: store the new field in sync.state (sync_state.c)");

/*
 * The build stamp: a state written by another version (whose parser may have stored
 * entries differently) is not resumed from.
 */
static uint64_t build_stamp(void)
{
	uint64_t h = hostiam_check_str(hostiam_check_start(0x6275696cull, 1), PACKAGE_VERSION);

	return hostiam_check_word(hostiam_check_word(h, sizeof(struct dir_entry)), HOSTIAM_ACCT_N);
}

/* Absorb one string (or its absence) into a hash. */
static uint64_t hash_str(uint64_t h, const char *s)
{
	return s ? hostiam_check_str(hostiam_check_word(h, 1), s) : hostiam_check_word(h, 0);
}

uint64_t sync_state_config_hash(const struct hostiam_config *cfg)
{
	const struct hostiam_directory_config *d = &cfg->directory;
	struct dir_schema schema;
	struct dir_policy policy;
	uint64_t h = hostiam_check_start(0x73746174ull, 1);
	char **attrs;
	size_t i;
	int kind;

	for (i = 0; i < d->uris.n; i++)
		h = hash_str(h, d->uris.items[i]);
	h = hostiam_check_word(h, d->uris.n);
	h = hash_str(h, d->base);
	h = hash_str(h, d->bind_dn);
	h = hash_str(h, d->users_base);
	h = hash_str(h, d->users_filter);
	h = hash_str(h, d->groups_base);
	h = hash_str(h, d->groups_filter);
	h = hostiam_check_word(hostiam_check_word(h, d->min_uid), d->min_gid);
	sync_schema(cfg, &schema, &policy);
	for (kind = DIR_USER; kind <= DIR_GROUP; kind++) {
		attrs = dir_attrs_new((enum dir_kind)kind, &schema);
		for (i = 0; attrs && attrs[i]; i++)
			h = hash_str(h, attrs[i]);
		h = hostiam_check_word(h, attrs ? i : UINT64_MAX);
		dir_attrs_free(attrs);
	}
	return h;
}

/* Writer for hostiam_replace_path: the finished buffer. */
static int write_buf(int fd, void *ctx)
{
	struct buf *b = ctx;

	return hostiam_write_all(fd, b->p, b->len) < 0 ? HOSTIAM_ERR_SYSTEM : 0;
}

/* The path of sync.state in cfg's cache.dir. */
static int state_path(const struct hostiam_config *cfg, char *path, size_t len)
{
	if ((size_t)snprintf(path, len, "%s/" SYNC_STATE_NAME, cfg->cache.dir) >= len)
		return HOSTIAM_ERR_INVALID_ARG;
	return 0;
}

int sync_state_save(const struct hostiam_config *cfg, uint64_t generation,
		    const struct sync_session s[2])
{
	struct hostiam_replace_ops ops = { .write = write_buf };
	struct buf b = { 0 };
	char path[PATH_MAX];
	uint64_t sum;
	int i, r;

	put(&b, MAGIC, 8);
	put_u64(&b, build_stamp());
	put_u64(&b, generation);
	put_u64(&b, sync_state_config_hash(cfg));
	put_u64(&b, 0); /* body length and checksum, filled in below */
	put_u64(&b, 0);
	for (i = 0; i < 2 && !b.error; i++) {
		const struct berval *c = sync_session_cookie(&s[i]);

		put_u32(&b, c ? (uint32_t)c->bv_len : 0);
		if (c)
			put(&b, c->bv_val, c->bv_len);
		put_u64(&b, s[i].n);
		/* The walk itself may fail (it sorts the model first): never a partial state. */
		if (!b.error && (r = sync_session_each(&s[i], put_entry, &b)) < 0 && !b.error)
			b.error = r;
	}
	r = b.error ? b.error : state_path(cfg, path, sizeof(path));
	if (r == 0) {
		uint64_t body = b.len - HEADER_LEN;

		sum = hostiam_checksum(b.p + HEADER_LEN, body);
		memcpy(b.p + 32, &body, 8);
		memcpy(b.p + SYNC_STATE_SUM_OFFSET, &sum, 8);
		ops.ctx = &b;
		r = hostiam_replace_path(path, 0600, &ops);
	}
	if (b.p) {
		explicit_bzero(b.p, b.cap);
		free(b.p);
	}
	return r;
}

void sync_state_remove(const struct hostiam_config *cfg)
{
	char path[PATH_MAX];

	if (state_path(cfg, path, sizeof(path)) == 0)
		unlink(path);
}

/* A bounded reading cursor; any overrun sets bad and yields nothing. */
struct cur {
	const unsigned char *p;
	size_t left;
	bool bad;
};

static const void *take(struct cur *c, size_t n)
{
	const void *p = c->p;

	if (c->bad || n > c->left) {
		c->bad = true;
		return NULL;
	}
	c->p += n;
	c->left -= n;
	return p;
}

static uint32_t get_u32(struct cur *c)
{
	const void *p = take(c, 4);
	uint32_t v = 0;

	if (p)
		memcpy(&v, p, 4);
	return v;
}

static uint64_t get_u64(struct cur *c)
{
	const void *p = take(c, 8);
	uint64_t v = 0;

	if (p)
		memcpy(&v, p, 8);
	return v;
}

/* A string into *out (malloc'd, or NULL for NONE); 0, or an error (bad file, no memory). */
static int get_str(struct cur *c, char **out)
{
	uint32_t n = get_u32(c);
	const char *p;

	*out = NULL;
	if (n == NONE && !c->bad)
		return 0;
	p = take(c, n);
	if (!p || memchr(p, '\0', n))
		return HOSTIAM_ERR_CACHE_CORRUPT;
	*out = malloc((size_t)n + 1);
	if (!*out)
		return HOSTIAM_ERR_NOMEM;
	memcpy(*out, p, n);
	(*out)[n] = '\0';
	return 0;
}

static int get_strv(struct cur *c, struct dir_strv *v)
{
	uint32_t n = get_u32(c);
	int r = 0;

	/* Each string takes at least its 4-byte length: a count beyond that is a lie. */
	if (c->bad || n > c->left / 4)
		return HOSTIAM_ERR_CACHE_CORRUPT;
	v->v = calloc((size_t)n + 1, sizeof(*v->v));
	if (!v->v)
		return HOSTIAM_ERR_NOMEM;
	for (v->n = 0; v->n < n && r == 0; v->n++)
		r = get_str(c, &v->v[v->n]);
	return r;
}

/* A list of names, interned as they are read. */
static int get_names(struct cur *c, struct dir_names *v)
{
	uint32_t n = get_u32(c), len, *ids;
	const char *p;
	size_t i;
	int r = 0;

	/* Each string takes at least its 4-byte length: a count beyond that is a lie. */
	if (c->bad || n > c->left / 4)
		return HOSTIAM_ERR_CACHE_CORRUPT;
	ids = malloc(((size_t)n + 1) * sizeof(*ids));
	if (!ids)
		return HOSTIAM_ERR_NOMEM;
	for (i = 0; i < n && r == 0; i++) {
		len = get_u32(c);
		p = take(c, len);
		if (!p || len == NONE || memchr(p, '\0', len))
			r = HOSTIAM_ERR_CACHE_CORRUPT;
		else if (dir_intern_id(p, len, &ids[i]) < 0)
			r = HOSTIAM_ERR_NOMEM;
	}
	if (r == 0 && n > 0)
		r = dir_names_set(v, ids, n);
	free(ids);
	return r;
}

/* One entry into the session's model. */
static int get_entry(struct cur *c, struct sync_session *s)
{
	struct dir_draft d;
	struct dir_entry *e = NULL;
	struct berval uuid;
	size_t i;
	int r = 0;

	memset(&d, 0, sizeof(d));
	uuid.bv_len = get_u32(c);
	uuid.bv_val = (char *)take(c, uuid.bv_len);
	d.kind = (enum dir_kind)get_u32(c);
	if (!uuid.bv_val || uuid.bv_len == 0 || d.kind != s->kind)
		r = HOSTIAM_ERR_CACHE_CORRUPT;
	for (i = DIR_DN; i <= DIR_TOTP && r == 0; i++)
		r = get_str(c, &d.text[i]);
	if (r == 0 && get_u32(c) != HOSTIAM_ACCT_N)
		r = HOSTIAM_ERR_CACHE_VERSION;
	for (i = 0; i < HOSTIAM_ACCT_N && r == 0; i++)
		r = get_str(c, &d.text[DIR_ACCOUNT + i]);
	if (r == 0)
		r = get_str(c, &d.text[DIR_BAD_ATTR]);
	if (r == 0)
		r = get_strv(c, &d.keys);
	if (r == 0)
		r = get_names(c, &d.member_names);
	if (r == 0)
		r = get_strv(c, &d.member_dns);
	if (r == 0)
		r = dir_entry_pack(&d, &uuid, &e);
	dir_draft_free(&d);
	if (r < 0)
		return r;
	return sync_session_put(s, &uuid, e);
}

/* The body: cookie and entries of each session. */
static int get_body(struct cur *c, struct sync_session s[2])
{
	int i, r = 0;

	for (i = 0; i < 2 && r == 0; i++) {
		uint32_t len = get_u32(c);
		const void *cookie = take(c, len);
		uint64_t n = get_u64(c), k;

		if (c->bad || n > c->left)
			return HOSTIAM_ERR_CACHE_CORRUPT;
		r = sync_session_set_cookie(&s[i], cookie, len);
		for (k = 0; k < n && r == 0; k++)
			r = get_entry(c, &s[i]);
		/* A model without its cookie cannot be resumed from. */
		if (r == 0 && len == 0)
			r = HOSTIAM_ERR_CACHE_CORRUPT;
	}
	if (r == 0 && c->left != 0)
		r = HOSTIAM_ERR_CACHE_CORRUPT;
	return r;
}

/* Read the whole file at path: root's (or ours), not a symlink, no group or world access. */
static int read_file(const char *path, unsigned char **out, size_t *len)
{
	struct stat st;
	unsigned char *p = NULL;
	int fd, r = 0;
	ssize_t got;
	size_t n = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return errno == ENOENT ? HOSTIAM_ERR_NOT_FOUND :
			errno == ELOOP ? HOSTIAM_ERR_INSECURE_FILE :
					 HOSTIAM_ERR_SYSTEM;
	if (fstat(fd, &st) < 0)
		r = HOSTIAM_ERR_SYSTEM;
	else if (!S_ISREG(st.st_mode) || st.st_uid != geteuid() || (st.st_mode & 077))
		r = HOSTIAM_ERR_INSECURE_FILE;
	else if ((size_t)st.st_size < HEADER_LEN || (size_t)st.st_size > MAX_FILE)
		r = HOSTIAM_ERR_CACHE_CORRUPT;
	else if (!(p = malloc((size_t)st.st_size)))
		r = HOSTIAM_ERR_NOMEM;
	while (r == 0 && n < (size_t)st.st_size) {
		got = read(fd, p + n, (size_t)st.st_size - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			r = got < 0 ? HOSTIAM_ERR_SYSTEM : HOSTIAM_ERR_CACHE_CORRUPT;
		else
			n += (size_t)got;
	}
	close(fd);
	if (r < 0) {
		free(p);
		return r;
	}
	*out = p;
	*len = n;
	return 0;
}

/* Check the header against the file, the generation and the configuration. */
static int check_header(const struct hostiam_config *cfg, uint64_t generation,
			const unsigned char *p, size_t len, char *why, size_t why_len)
{
	uint64_t build, gen, hash, body, sum;

	memcpy(&build, p + 8, 8);
	memcpy(&gen, p + 16, 8);
	memcpy(&hash, p + 24, 8);
	memcpy(&body, p + 32, 8);
	memcpy(&sum, p + SYNC_STATE_SUM_OFFSET, 8);
	if (memcmp(p, MAGIC, 8) != 0 || body != len - HEADER_LEN ||
	    sum != hostiam_checksum(p + HEADER_LEN, (size_t)body)) {
		snprintf(why, why_len, "damaged or of another format");
		return HOSTIAM_ERR_CACHE_CORRUPT;
	}
	if (build != build_stamp()) {
		snprintf(why, why_len, "written by another version of hostiam");
		return HOSTIAM_ERR_CACHE_VERSION;
	}
	if (hash != sync_state_config_hash(cfg)) {
		snprintf(why, why_len, "the directory configuration changed");
		return HOSTIAM_ERR_CONFIG;
	}
	if (gen != generation) {
		snprintf(why, why_len, "written with generation %llu, the cache is generation %llu",
			 (unsigned long long)gen, (unsigned long long)generation);
		return HOSTIAM_ERR_CACHE_VERSION;
	}
	return 0;
}

int sync_state_load(const struct hostiam_config *cfg, uint64_t generation, struct sync_session s[2],
		    char *why, size_t why_len)
{
	char path[PATH_MAX];
	unsigned char *p = NULL;
	size_t len = 0;
	struct cur c;
	int r;

	s[0].kind = DIR_USER;
	s[1].kind = DIR_GROUP;
	r = state_path(cfg, path, sizeof(path));
	if (r == 0)
		r = read_file(path, &p, &len);
	if (r < 0 && r != HOSTIAM_ERR_NOT_FOUND)
		snprintf(why, why_len, "%s", hostiam_strerror(r));
	if (r == 0)
		r = check_header(cfg, generation, p, len, why, why_len);
	if (r == 0) {
		c = (struct cur){ p + HEADER_LEN, len - HEADER_LEN, false };
		r = get_body(&c, s);
		if (r < 0)
			snprintf(why, why_len, "%s", hostiam_strerror(r));
	}
	if (r < 0) {
		sync_session_forget(&s[0]);
		sync_session_forget(&s[1]);
	}
	if (p) {
		explicit_bzero(p, len);
		free(p);
	}
	return r;
}
