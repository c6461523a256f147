/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test-sync-state: sync.state round-trips the models and cookies of both sessions; a
 * different generation or configuration, any truncation and any flipped byte are refused;
 * and a body altered on purpose (checksum fixed up, as a hostile writer would) is parsed
 * within its bounds, loaded or refused, never read past (run under --enable-sanitizers).
 */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "dir_intern.h"
#include "errors.h"
#include "hash.h"
#include "sync_state.h"

#define HEADER_LEN SYNC_STATE_HEADER_LEN

/* A configuration whose cache.dir is dir, with users filter filter. */
static struct hostiam_config *make_config(const char *dir, const char *filter)
{
	struct hostiam_config_errors errs = { 0 };
	struct hostiam_config *cfg = NULL;
	char text[1024];

	snprintf(text, sizeof(text),
		 "directory = { uri = [ \"ldap://127.0.0.1:1\" ]; base = \"dc=example,dc=com\";\n"
		 "  users = { filter = \"%s\"; }; };\ncache = { dir = \"%s\"; };\n",
		 filter, dir);
	if (hostiam_config_load_string(text, "test.conf", &cfg, &errs) != 0) {
		fprintf(stderr, "configuration refused\n");
		exit(99);
	}
	return cfg;
}

/* Put one entry named name (with a member list for groups) into s. */
static void put(struct sync_session *s, int i, const char *name)
{
	struct dir_draft d = { 0 };
	struct dir_entry *e = NULL;
	char uuid[16] = { 0 };
	struct berval bv = { sizeof(uuid), uuid };

	uuid[0] = (char)s->kind;
	uuid[15] = (char)i;
	d.kind = s->kind;
	d.text[DIR_DN] = strdup(name);
	d.text[DIR_NAME] = strdup(name);
	d.text[DIR_ID] = strdup("1234");
	if (s->kind == DIR_GROUP) {
		uint32_t ids[2];

		CHECK(dir_intern_id("alice", 5, &ids[0]) == 0);
		CHECK(dir_intern_id("bob", 3, &ids[1]) == 0);
		CHECK(dir_names_set(&d.member_names, ids, 2) == 0);
	} else {
		d.text[DIR_TOTP] = strdup("JBSWY3DPEHPK3PXP");
		d.text[DIR_ACCOUNT] = strdup("19000");
	}
	CHECK(dir_entry_pack(&d, &bv, &e) == 0);
	dir_draft_free(&d);
	CHECK(sync_session_put(s, &bv, e) == 0);
}

/* sync_session_each callback: append the entry's name to the string in ctx. */
static int names(const struct berval *uuid, const struct dir_entry *e, void *ctx)
{
	strcat(ctx, dir_text(e, DIR_NAME));
	strcat(ctx, dir_member_names(e)->n ? "+m," : dir_text(e, DIR_TOTP) ? "+s," : ",");
	return 0;
}

/* The names of the model of s, in order. */
static const char *listing(const struct sync_session *s, char *buf)
{
	buf[0] = '\0';
	sync_session_each(s, names, buf);
	return buf;
}

/* Write len bytes of p as dir/sync.state, 0600. */
static void write_state(const char *dir, const unsigned char *p, size_t len)
{
	char path[512];
	int fd;

	snprintf(path, sizeof(path), "%s/" SYNC_STATE_NAME, dir);
	unlink(path);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd < 0 || write(fd, p, len) != (ssize_t)len)
		exit(99);
	close(fd);
}

/* Load into fresh sessions; returns the result and forgets what was loaded. */
static int try_load(const struct hostiam_config *cfg, uint64_t gen)
{
	struct sync_session s[2];
	char why[256];
	int r;

	memset(s, 0, sizeof(s));
	r = sync_state_load(cfg, gen, s, why, sizeof(why));
	sync_session_forget(&s[0]);
	sync_session_forget(&s[1]);
	return r;
}

/* Every truncation and every single flipped byte is refused; the original still loads. */
static void check_damage(const struct hostiam_config *cfg, const char *dir, unsigned char *p,
			 size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		write_state(dir, p, i);
		CHECK(try_load(cfg, 7) < 0);
		p[i] ^= 0x20;
		write_state(dir, p, len);
		CHECK(try_load(cfg, 7) < 0);
		p[i] ^= 0x20;
	}
	write_state(dir, p, len);
	CHECK(try_load(cfg, 7) == 0);
}

/* Bodies altered with the checksum fixed: parsed within bounds, whatever the outcome. */
static void check_hostile(const struct hostiam_config *cfg, const char *dir, unsigned char *p,
			  size_t len)
{
	static const unsigned char vals[] = { 0x00, 0x01, 0x7f, 0x80, 0xff };
	size_t i, v;
	unsigned char old;
	uint64_t sum;

	for (i = HEADER_LEN; i < len; i++) {
		old = p[i];
		for (v = 0; v < sizeof(vals); v++) {
			p[i] = vals[v];
			sum = hostiam_checksum(p + HEADER_LEN, len - HEADER_LEN);
			memcpy(p + SYNC_STATE_SUM_OFFSET, &sum, 8);
			write_state(dir, p, len);
			try_load(cfg, 7);
		}
		p[i] = old;
	}
}

int main(void)
{
	char dir[] = "/tmp/test-sync-state.XXXXXX", path[512], a[256], b[256];
	struct hostiam_config *cfg, *other;
	struct sync_session s[2], t[2];
	unsigned char *p;
	struct stat st;
	char why[256];
	FILE *f;
	int i;

	if (!mkdtemp(dir))
		return 99;
	cfg = make_config(dir, "(objectClass=posixAccount)");
	other = make_config(dir, "(&(objectClass=posixAccount)(uid=*))");
	memset(s, 0, sizeof(s));
	memset(t, 0, sizeof(t));
	s[0].kind = DIR_USER;
	s[1].kind = DIR_GROUP;
	for (i = 0; i < 3; i++) {
		put(&s[0], i, i == 0 ? "alice" : i == 1 ? "bob" : "carol");
		put(&s[1], i, i == 0 ? "ops" : i == 1 ? "dev" : "all");
	}
	CHECK(sync_session_set_cookie(&s[0], "rid=000,csn=1", 13) == 0);
	CHECK(sync_session_set_cookie(&s[1], "rid=000,csn=2", 13) == 0);
	CHECK(sync_state_save(cfg, 7, s) == 0);

	CHECK(sync_state_load(cfg, 7, t, why, sizeof(why)) == 0);
	CHECK(strcmp(listing(&s[0], a), listing(&t[0], b)) == 0);
	CHECK(strcmp(listing(&s[1], a), listing(&t[1], b)) == 0);
	CHECK(sync_session_cookie(&t[1]) &&
	      memcmp(sync_session_cookie(&t[1])->bv_val, "rid=000,csn=2", 13) == 0);
	CHECK(try_load(cfg, 8) == HOSTIAM_ERR_CACHE_VERSION);
	CHECK(try_load(other, 7) == HOSTIAM_ERR_CONFIG);

	snprintf(path, sizeof(path), "%s/" SYNC_STATE_NAME, dir);
	CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600);
	p = malloc((size_t)st.st_size);
	f = fopen(path, "rb");
	if (!p || !f || fread(p, 1, (size_t)st.st_size, f) != (size_t)st.st_size)
		return 99;
	fclose(f);
	check_damage(cfg, dir, p, (size_t)st.st_size);
	check_hostile(cfg, dir, p, (size_t)st.st_size);

	free(p);
	for (i = 0; i < 2; i++) {
		sync_session_forget(&s[i]);
		sync_session_forget(&t[i]);
	}
	unlink(path);
	rmdir(dir);
	hostiam_config_free(cfg);
	hostiam_config_free(other);
	printf("%s\n", failures ? "FAIL" : "PASS");
	return failures ? 1 : 0;
}
