/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * auth.cache: writer and lookup round trip, 0600 whatever the umask, missing file and
 * user, refused entries leaving the old file alone, insecure modes, owners, symlinks and
 * directories, and damaged files (fixtures in tests/unit/mfa/) refused whole. Format 2:
 * the account state comes back exactly, a line may carry state without a secret, format 1
 * is still read (secrets, no state), and hostile format 2 lines refuse the file.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "mfa_testutil.h"

#include <inttypes.h>

#include "hash.h"

#define S1 "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
#define S2 "MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U"

/* Lookup that must succeed: the secret, compared and wiped. */
static void expect_secret(const char *path, const char *user, const char *want)
{
	char *got = NULL;

	assert_int_equal(hostiam_auth_cache_lookup(path, user, &got), 0);
	assert_string_equal(got, want);
	hostiam_secret_wipe(got, strlen(got));
}

/* What lookup says for user. */
static int lookup(const char *path, const char *user)
{
	char *got = NULL;
	int r = hostiam_auth_cache_lookup(path, user, &got);

	if (r == 0)
		hostiam_secret_wipe(got, strlen(got));
	return r;
}

/* Written entries come back; the file is 0600 even under umask 0; others are NOT_FOUND. */
static void test_round_trip(void **state)
{
	const struct hostiam_auth_entry entries[] = {
		{ "alice", S1, NULL },
		{ "bob", S2, NULL },
		{ "carol.d", "mfrg gzdf mztw q2lk nnwg 23tp obyx e43u", NULL },
	};
	const char *path = tcfg->cache.auth_path;
	struct stat st;
	mode_t old = umask(0);

	(void)state;
	assert_int_equal(lookup(path, "alice"), HOSTIAM_ERR_CACHE_MISSING);
	assert_int_equal(hostiam_auth_cache_write(path, entries, 3), 0);
	umask(old);
	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0600);
	expect_secret(path, "alice", S1);
	expect_secret(path, "bob", S2);
	expect_secret(path, "carol.d", "mfrg gzdf mztw q2lk nnwg 23tp obyx e43u");
	assert_int_equal(lookup(path, "dave"), HOSTIAM_ERR_NOT_FOUND);
	assert_int_equal(lookup(path, "ali"), HOSTIAM_ERR_NOT_FOUND);
	assert_int_equal(lookup(path, "alice2"), HOSTIAM_ERR_NOT_FOUND);
	assert_int_equal(lookup(path, "bad/name"), HOSTIAM_ERR_INVALID_NAME);
	/* An empty directory is a valid cache with nobody in it. */
	assert_int_equal(hostiam_auth_cache_write(path, NULL, 0), 0);
	assert_int_equal(lookup(path, "alice"), HOSTIAM_ERR_NOT_FOUND);
	assert_int_equal(lookup(tpath(0, "nowhere/auth.cache"), "alice"),
			 HOSTIAM_ERR_CACHE_MISSING);
}

/* Entries that could break the format are refused and the old file stays as it was. */
static void test_writer_refuses(void **state)
{
	const struct hostiam_auth_entry good[] = { { "alice", S1, NULL } };
	const struct hostiam_auth_entry bad[][2] = {
		{ { "alice", S1, NULL }, { "bob", S2 "\nmallory\t" S1, NULL } },
		{ { "alice", S1, NULL }, { "bob\tx", S2, NULL } },
		{ { "alice", S1, NULL }, { "", S2, NULL } },
		{ { "alice", S1, NULL }, { "bob", "", NULL } },
		{ { "alice", S1, NULL }, { "bob", "GEZ1", NULL } },
		{ { "alice", S1, NULL }, { "bob", NULL, NULL } },
		{ { "alice", S1, NULL }, { NULL, S2, NULL } },
		{ { "alice", S1, NULL }, { "alice", S2, NULL } }, /* a user twice */
	};
	const char *path = tcfg->cache.auth_path;
	size_t i;

	(void)state;
	assert_int_equal(hostiam_auth_cache_write(path, good, 1), 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(hostiam_auth_cache_write(path, bad[i], 2),
				 HOSTIAM_ERR_INVALID_ARG);
	assert_int_equal(hostiam_auth_cache_write(NULL, good, 1), HOSTIAM_ERR_INVALID_ARG);
	expect_secret(path, "alice", S1);
	assert_int_equal(lookup(path, "bob"), HOSTIAM_ERR_NOT_FOUND);
	assert_int_equal(lookup(path, "mallory"), HOSTIAM_ERR_NOT_FOUND);
}

/* Group/world bits, a foreign owner, a symlink or a non-file: refused, and logged. */
static void test_insecure_file(void **state)
{
	const struct hostiam_auth_entry good[] = { { "alice", S1, NULL } };
	const char *path = tcfg->cache.auth_path;
	static const mode_t modes[] = { 0640, 0604, 0620, 0602, 0644 };
	size_t i;

	(void)state;
	assert_int_equal(hostiam_auth_cache_write(path, good, 1), 0);
	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		assert_int_equal(chmod(path, modes[i]), 0);
		assert_int_equal(lookup(path, "alice"), HOSTIAM_ERR_INSECURE_FILE);
	}
	assert_true(log_has("MFA auth cache refused: mode 0644 is open to other users"));
	assert_int_equal(chmod(path, 0600), 0);
	assert_int_equal(chown(path, 65534, 65534), 0);
	assert_int_equal(lookup(path, "alice"), HOSTIAM_ERR_INSECURE_FILE);
	assert_true(log_has("owned by uid 65534"));
	/* A symlink to a perfectly good cache is still a symlink. */
	assert_int_equal(hostiam_auth_cache_write(tpath(0, "real.cache"), good, 1), 0);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(symlink(tpath(0, "real.cache"), path), 0);
	assert_int_equal(lookup(path, "alice"), HOSTIAM_ERR_INSECURE_FILE);
	assert_true(log_has("a symlink"));
	/* The writer replaces the symlink itself, never writes through it. */
	assert_int_equal(hostiam_auth_cache_write(path, NULL, 0), 0);
	expect_secret(tpath(0, "real.cache"), "alice", S1);
	assert_int_equal(lookup(path, "alice"), HOSTIAM_ERR_NOT_FOUND);
	/* A directory or a FIFO where the file should be. */
	assert_int_equal(unlink(path), 0);
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_int_equal(lookup(path, "alice"), HOSTIAM_ERR_INSECURE_FILE);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(mkdir(path, 0700), 0);
	assert_int_equal(lookup(path, "alice"), HOSTIAM_ERR_INSECURE_FILE);
}

/* A cache directory others can write to could be planted in: refused both ways. */
static void test_insecure_directory(void **state)
{
	const struct hostiam_auth_entry good[] = { { "alice", S1, NULL } };
	const char *path = tcfg->cache.auth_path;

	(void)state;
	assert_int_equal(hostiam_auth_cache_write(path, good, 1), 0);
	/* Readable by all is fine: nss.cache lives there too. */
	assert_int_equal(chmod(tbase, 0755), 0);
	expect_secret(path, "alice", S1);
	assert_int_equal(chmod(tbase, 0777), 0);
	assert_int_equal(lookup(path, "alice"), HOSTIAM_ERR_INSECURE_FILE);
	assert_int_equal(hostiam_auth_cache_write(path, good, 1), HOSTIAM_ERR_INSECURE_FILE);
	assert_int_equal(chmod(tbase, 0775), 0);
	assert_int_equal(lookup(path, "alice"), HOSTIAM_ERR_INSECURE_FILE);
	assert_int_equal(chmod(tbase, 0700), 0);
	assert_int_equal(chown(tbase, 65534, 65534), 0);
	assert_int_equal(lookup(path, "alice"), HOSTIAM_ERR_INSECURE_FILE);
	assert_int_equal(chown(tbase, 0, 0), 0);
	expect_secret(path, "alice", S1);
}

/* Install fixture name as the auth cache (0600) and say what looking up alice gives. */
static int lookup_fixture(const char *name)
{
	char src[512], cmd[2048];

	snprintf(src, sizeof(src), "%s/unit/mfa/%s", TESTS_SRCDIR, name);
	snprintf(cmd, sizeof(cmd), "cp '%s' '%s' && chmod 0600 '%s'", src, tcfg->cache.auth_path,
		 tcfg->cache.auth_path);
	assert_int_equal(system(cmd), 0);
	return lookup(tcfg->cache.auth_path, "alice");
}

/* Any damaged line refuses the whole file, even when alice's own line is fine. */
static void test_corrupt(void **state)
{
	static const char *const corrupt[] = {
		"auth-no-header.txt",
		"auth-no-tab.txt",
		"auth-bad-name.txt",
		"auth-bad-base32.txt",
		"auth-truncated.txt",
		"auth-duplicate.txt",
		"auth-empty-name.txt",
		"auth-empty-secret.txt",
		"auth-extra-field.txt",
		"auth-blank-line.txt",
		"auth-header-only-truncated.txt",
		"auth-empty.txt",
		"auth-crlf.txt",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(corrupt) / sizeof(corrupt[0]); i++) {
		if (lookup_fixture(corrupt[i]) != HOSTIAM_ERR_CACHE_CORRUPT)
			fail_msg("%s was not refused as corrupt", corrupt[i]);
	}
	assert_int_equal(lookup_fixture("auth-version-9.txt"), HOSTIAM_ERR_CACHE_VERSION);
	assert_true(log_has("run 'hostiam sync' to rewrite it"));
	assert_true(log_has("auth cache refused:"));
	/* A NUL byte inside. */
	put_file(tcfg->cache.auth_path, "hostiam-auth-cache 1\nalice\tGEZD", 0600);
	assert_int_equal(truncate(tcfg->cache.auth_path, 40), 0);
	assert_int_equal(lookup(tcfg->cache.auth_path, "alice"), HOSTIAM_ERR_CACHE_CORRUPT);
}

#define NO_STATE "\t-\t-\t-\t-\t-\t-\t-"

/* Format 2 carries the account state; a line may have state and no secret. */
static void test_account_round_trip(void **state)
{
	struct hostiam_account_attrs locked, none;
	const struct hostiam_auth_entry entries[] = {
		{ "alice", S1, NULL },
		{ "bob", NULL, &locked },
		{ "carol", S2, &locked },
	};
	const struct hostiam_auth_entry empty[] = { { "dave", NULL, &none } };
	const char *path = tcfg->cache.auth_path;
	struct hostiam_auth_record rec;

	(void)state;
	hostiam_account_attrs_clear(&none);
	hostiam_account_attrs_clear(&locked);
	locked.v[HOSTIAM_ACCT_LOCKED_TIME] = HOSTIAM_LOCK_PERMANENT;
	locked.v[HOSTIAM_ACCT_SHADOW_MAX] = HOSTIAM_ATTR_BAD;
	locked.v[HOSTIAM_ACCT_SHADOW_EXPIRE] = -1;
	locked.v[HOSTIAM_ACCT_AD_EXPIRES] = INT64_MAX;
	assert_int_equal(hostiam_auth_cache_write(path, entries, 3), 0);
	assert_int_equal(hostiam_auth_cache_find(path, "bob", &rec), 0);
	assert_null(rec.secret_b32);
	assert_true(rec.account_known);
	assert_memory_equal(&rec.account, &locked, sizeof(locked));
	assert_int_equal(lookup(path, "bob"), HOSTIAM_ERR_NOT_FOUND);
	assert_int_equal(hostiam_auth_cache_find(path, "carol", &rec), 0);
	assert_string_equal(rec.secret_b32, S2);
	assert_memory_equal(&rec.account, &locked, sizeof(locked));
	hostiam_auth_record_wipe(&rec);
	assert_null(rec.secret_b32);
	assert_int_equal(hostiam_auth_cache_find(path, "alice", &rec), 0);
	assert_string_equal(rec.secret_b32, S1);
	assert_false(hostiam_account_attrs_any(&rec.account));
	hostiam_auth_record_wipe(&rec);
	assert_int_equal(hostiam_auth_cache_find(path, "dave", &rec), HOSTIAM_ERR_NOT_FOUND);
	/* Nothing to say about dave: the writer does not make an empty line. */
	assert_int_equal(hostiam_auth_cache_write(path, empty, 1), HOSTIAM_ERR_INVALID_ARG);
}

/* Format 1, as left by the previous version until the agent rewrites it: still read. */
static void test_format_1(void **state)
{
	const char *path = tcfg->cache.auth_path;
	struct hostiam_auth_record rec;

	(void)state;
	put_file(path, "hostiam-auth-cache 1\nalice\t" S1 "\n", 0600);
	assert_int_equal(hostiam_auth_cache_find(path, "alice", &rec), 0);
	assert_string_equal(rec.secret_b32, S1);
	assert_false(rec.account_known);
	assert_false(hostiam_account_attrs_any(&rec.account));
	hostiam_auth_record_wipe(&rec);
	expect_secret(path, "alice", S1);
	/* Nobody else has a line: format 1 cannot say they have no account state. */
	assert_int_equal(hostiam_auth_cache_find(path, "bob", &rec), 0);
	assert_null(rec.secret_b32);
	assert_false(rec.account_known);
	assert_int_equal(lookup(path, "bob"), HOSTIAM_ERR_NOT_FOUND);
	/* Format 1 never had "-" for no secret. */
	put_file(path, "hostiam-auth-cache 1\nalice\t-\n", 0600);
	assert_int_equal(lookup(path, "alice"), HOSTIAM_ERR_CACHE_CORRUPT);
}

/* Write body as a format 2 file with the right checksum, as the writer would. */
static void put_v2(const char *path, const char *body)
{
	char text[1024];

	snprintf(text, sizeof(text), "hostiam-auth-cache 2 sum=%016" PRIx64 "\n%s",
		 hostiam_checksum(body, strlen(body)), body);
	put_file(path, text, 0600);
}

/* Hostile or damaged lines after a good one: each refuses the file. */
static const char *const bad[] = {
	"bob\t-\t-\t-\t-\t-\t-\t1\n",                       /* a column short */
	"bob\t-\t-\t-\t-\t-\t-\t-\t1\t-\n",                 /* a column more */
	"bob" NO_STATE "\n",                                /* nothing on it */
	"bob\t-\t01\t-\t-\t-\t-\t-\t-\n",                   /* not canonical */
	"bob\t-\t-0\t-\t-\t-\t-\t-\t-\n",                   /* not canonical */
	"bob\t-\t+1\t-\t-\t-\t-\t-\t-\n",                   /* a sign */
	"bob\t-\t1 \t-\t-\t-\t-\t-\t-\n",                   /* a blank */
	"bob\t-\t\t-\t-\t-\t-\t-\t-\n",                     /* empty */
	"bob\t-\t-9223372036854775808\t-\t-\t-\t-\t-\t-\n", /* the sentinel */
	"bob\t-\t9223372036854775808\t-\t-\t-\t-\t-\t-\n",  /* out of range */
	"bob\t-\t!!\t-\t-\t-\t-\t-\t-\n",                   /* not a marker */
	"bob\t\t1\t-\t-\t-\t-\t-\t-\n",                     /* empty secret */
	"bob\tGEZ1\t1\t-\t-\t-\t-\t-\t-\n",                 /* bad base32 */
	"bob\t-\t1\t-\t-\t-\t-\t-\t-",                      /* truncated */
	"bob\t-\t1\t-\t-\t-\t-\t-\t-\r\n",                  /* CR */
	"alice\t-\t1\t-\t-\t-\t-\t-\t-\n",                  /* alice twice */
	"-bob\t-\t1\t-\t-\t-\t-\t-\t-\n",                   /* bad name */
	"bob\t" S2 "\n",                                    /* a format 1 line */
};

/* Format 3: line (what the writer writes before the check, newline or not) with its check. */
static size_t put_checked(char *buf, size_t size, const char *line)
{
	size_t len = strlen(line), nl = len > 0 && line[len - 1] == '\n';
	char content[512];

	snprintf(content, sizeof(content), "%.*s\t", (int)(len - nl), line);
	return (size_t)snprintf(
		buf, size, "%s%016" PRIx64 "%s", content,
		hostiam_check_bytes(hostiam_check_start(0x61757468u, 0), content, strlen(content)),
		nl ? "\n" : "");
}

/* Format 3: a hostile line with a right check is still refused when the search reads it. */
static void test_corrupt_v3(void **state)
{
	const char *path = tcfg->cache.auth_path;
	char text[1024], good[256];
	size_t i, at;

	(void)state;
	snprintf(good, sizeof(good), "alice\t%s%s\n", S1, NO_STATE);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		/* A v3 file is sorted, so a second alice is never met looking for bob; the
		   writer refuses a user twice. */
		if (strncmp(bad[i], "alice", 5) == 0)
			continue;
		at = (size_t)snprintf(text, sizeof(text), "hostiam-auth-cache 3 sorted\n");
		at += put_checked(text + at, sizeof(text) - at, good);
		put_checked(text + at, sizeof(text) - at, bad[i]);
		put_file(path, text, 0600);
		if (lookup(path, "bob") != HOSTIAM_ERR_CACHE_CORRUPT)
			fail_msg("line %zu was not refused: %s", i, bad[i]);
	}
	/* The same lines with their checks as the writer makes them are read. */
	at = (size_t)snprintf(text, sizeof(text), "hostiam-auth-cache 3 sorted\n");
	at += put_checked(text + at, sizeof(text) - at, good);
	put_checked(text + at, sizeof(text) - at, "bob\t" S2 NO_STATE "\n");
	put_file(path, text, 0600);
	expect_secret(path, "alice", S1);
	expect_secret(path, "bob", S2);
	/* Out of order (the writer sorts): the search passes bob by, it never reads a wrong line. */
	at = (size_t)snprintf(text, sizeof(text), "hostiam-auth-cache 3 sorted\n");
	at += put_checked(text + at, sizeof(text) - at, "bob\t" S2 NO_STATE "\n");
	put_checked(text + at, sizeof(text) - at, good);
	put_file(path, text, 0600);
	assert_int_equal(lookup(path, "bob"), HOSTIAM_ERR_NOT_FOUND);
	expect_secret(path, "alice", S1);
}

/* user's answer from path: an error, or the secret and state packed into one string. */
static int answer(const char *path, const char *user, char *buf, size_t size)
{
	struct hostiam_auth_record rec;
	int r = hostiam_auth_cache_find(path, user, &rec);
	size_t at, i;

	if (r < 0)
		return r;
	at = (size_t)snprintf(buf, size, "%s %d", rec.secret_b32 ? rec.secret_b32 : "-",
			      rec.account_known);
	for (i = 0; i < HOSTIAM_ACCT_N; i++)
		at += (size_t)snprintf(buf + at, size - at, " %" PRId64, rec.account.v[i]);
	hostiam_auth_record_wipe(&rec);
	return 0;
}

/* Every single flipped byte of a written file is refused or gives the same answer. */
static void test_flipped_bytes(void **state)
{
	static const char *const users[] = { "alice", "bob", "carol", "dave", "nobody" };
	struct hostiam_account_attrs a;
	const struct hostiam_auth_entry entries[] = { { "dave", S1, NULL },
						      { "alice", S1, &a },
						      { "carol", NULL, &a },
						      { "bob", NULL, &a } };
	const char *path = tcfg->cache.auth_path;
	char *text, want[5][512], got[512];
	int want_r[5], r;
	size_t len, i, u;
	FILE *f;

	(void)state;
	hostiam_account_attrs_clear(&a);
	a.v[HOSTIAM_ACCT_ACCOUNT_LOCK] = 1;
	a.v[HOSTIAM_ACCT_SHADOW_EXPIRE] = 20000;
	assert_int_equal(hostiam_auth_cache_write(path, entries, 4), 0);
	for (u = 0; u < 5; u++)
		want_r[u] = answer(path, users[u], want[u], sizeof(want[u]));
	assert_int_equal(want_r[0], 0);
	assert_int_equal(want_r[4], HOSTIAM_ERR_NOT_FOUND);
	assert_non_null(f = fopen(path, "r"));
	assert_non_null(text = malloc(4096));
	len = fread(text, 1, 4096, f);
	fclose(f);
	for (i = 0; i < len; i++) {
		text[i] ^= 0x01;
		assert_non_null(f = fopen(path, "w"));
		assert_int_equal(fwrite(text, 1, len, f), len);
		fclose(f);
		for (u = 0; u < 5; u++) {
			r = answer(path, users[u], got, sizeof(got));
			if (r == HOSTIAM_ERR_CACHE_CORRUPT || r == HOSTIAM_ERR_CACHE_VERSION)
				continue;
			if (r != want_r[u] || (r == 0 && strcmp(got, want[u]) != 0))
				fail_msg("byte %zu flipped: %s read as %d %s", i, users[u], r, got);
		}
		text[i] ^= 0x01;
	}
	free(text);
	/* No checksum, or another version. */
	put_file(path, "hostiam-auth-cache 2\nalice\t" S1 NO_STATE "\n", 0600);
	assert_int_equal(lookup(path, "alice"), HOSTIAM_ERR_CACHE_CORRUPT);
	put_file(path, "hostiam-auth-cache 4 sum=0\n", 0600);
	assert_int_equal(lookup(path, "alice"), HOSTIAM_ERR_CACHE_VERSION);
}

/* Format 2: any of them refuses the whole file. */
static void test_corrupt_v2(void **state)
{
	const char *path = tcfg->cache.auth_path;
	char text[512];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(text, sizeof(text), "alice\t%s%s\n%s", S1, NO_STATE, bad[i]);
		put_v2(path, text);
		if (lookup(path, "alice") != HOSTIAM_ERR_CACHE_CORRUPT)
			fail_msg("line %zu was not refused: %s", i, bad[i]);
	}
	snprintf(text, sizeof(text), "alice\t%s%s\nbob\t-\t-\t-\t-\t!\t-\t-\t-\n", S1, NO_STATE);
	put_v2(path, text);
	expect_secret(path, "alice", S1);
}

/* The bytes of the file at path, malloc'd, NUL-terminated; *len its size. */
static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = malloc(1 << 20);

	assert_non_null(f);
	assert_non_null(buf);
	*len = fread(buf, 1, (1 << 20) - 1, f);
	buf[*len] = '\0';
	fclose(f);
	return buf;
}

#define UPD_USERS 40

/*
 * hostiam_auth_cache_update: random rounds of new lines and drops over 40 users; after
 * each, the file is byte for byte what hostiam_auth_cache_write gives for the expected set.
 */
static void test_update_matches_write(void **state)
{
	static char names[UPD_USERS][16];
	struct hostiam_account_attrs acct[UPD_USERS];
	struct hostiam_auth_entry have[UPD_USERS], all[UPD_USERS], set[UPD_USERS];
	const char *drop[UPD_USERS];
	bool present[UPD_USERS] = { false };
	const char *path = tcfg->cache.auth_path;
	char *expect_path = strdup(tpath(1, "expect.cache"));
	unsigned seed = 12345;

	(void)state;
	for (int i = 0; i < UPD_USERS; i++) {
		snprintf(names[i], sizeof(names[i]), "u%02d", (i * 7) % UPD_USERS);
		hostiam_account_attrs_clear(&acct[i]);
	}
	assert_int_equal(hostiam_auth_cache_write(path, NULL, 0), 0);
	for (int round = 0; round < 200; round++) {
		size_t ns = 0, nd = 0, na = 0, la, lb;
		char *a, *b;

		for (int i = 0; i < UPD_USERS; i++) {
			unsigned r = (seed = seed * 1103515245u + 12345u) >> 16;

			if (r % 5 == 0) { /* a new line for i */
				acct[i].v[HOSTIAM_ACCT_ACCOUNT_LOCK] = (r & 32) ?
					1 :
					HOSTIAM_ATTR_ABSENT;
				have[i] = (struct hostiam_auth_entry){ names[i],
								       (r & 64) ? S1 : NULL,
								       &acct[i] };
				if (!have[i].secret_b32 && !hostiam_account_attrs_any(&acct[i]))
					have[i].secret_b32 = S2;
				set[ns++] = have[i];
				present[i] = true;
			} else if (r % 5 == 1) { /* dropped, present or not */
				drop[nd++] = names[i];
				present[i] = false;
			}
		}
		assert_int_equal(hostiam_auth_cache_update(path, set, ns, drop, nd), 0);
		for (int i = 0; i < UPD_USERS; i++)
			if (present[i])
				all[na++] = have[i];
		assert_int_equal(hostiam_auth_cache_write(expect_path, all, na), 0);
		a = slurp(path, &la);
		b = slurp(expect_path, &lb);
		assert_int_equal(la, lb);
		assert_memory_equal(a, b, la);
		free(a);
		free(b);
	}
	free(expect_path);
}

/* update refuses a damaged line (and leaves the file), a format 2 file and no file. */
static void test_update_refuses(void **state)
{
	const struct hostiam_auth_entry one[] = { { "alice", S1, NULL }, { "bob", S2, NULL } };
	const struct hostiam_auth_entry carol = { "carol", S1, NULL };
	const char *path = tcfg->cache.auth_path;
	size_t len;
	char *text;

	(void)state;
	assert_int_equal(hostiam_auth_cache_update(path, &carol, 1, NULL, 0),
			 HOSTIAM_ERR_CACHE_MISSING);
	assert_int_equal(hostiam_auth_cache_write(path, one, 2), 0);
	text = slurp(path, &len);
	text[len - 3] ^= 1; /* bob's check */
	put_file(path, text, 0600);
	assert_int_equal(hostiam_auth_cache_update(path, &carol, 1, NULL, 0),
			 HOSTIAM_ERR_CACHE_CORRUPT);
	free(text);
	/* Left as it was: still damaged on the search path, and carol not added. */
	assert_int_equal(lookup(path, "carol"), HOSTIAM_ERR_CACHE_CORRUPT);
	put_v2(path, "alice\t" S1 "\t-\t-\t-\t-\t-\t-\t-\n");
	assert_int_equal(hostiam_auth_cache_update(path, &carol, 1, NULL, 0),
			 HOSTIAM_ERR_CACHE_VERSION);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_round_trip, mfa_setup, mfa_teardown),
		cmocka_unit_test_setup_teardown(test_writer_refuses, mfa_setup, mfa_teardown),
		cmocka_unit_test_setup_teardown(test_insecure_file, mfa_setup, mfa_teardown),
		cmocka_unit_test_setup_teardown(test_insecure_directory, mfa_setup, mfa_teardown),
		cmocka_unit_test_setup_teardown(test_corrupt, mfa_setup, mfa_teardown),
		cmocka_unit_test_setup_teardown(test_account_round_trip, mfa_setup, mfa_teardown),
		cmocka_unit_test_setup_teardown(test_format_1, mfa_setup, mfa_teardown),
		cmocka_unit_test_setup_teardown(test_corrupt_v2, mfa_setup, mfa_teardown),
		cmocka_unit_test_setup_teardown(test_corrupt_v3, mfa_setup, mfa_teardown),
		cmocka_unit_test_setup_teardown(test_flipped_bytes, mfa_setup, mfa_teardown),
		cmocka_unit_test_setup_teardown(test_update_matches_write, mfa_setup, mfa_teardown),
		cmocka_unit_test_setup_teardown(test_update_refuses, mfa_setup, mfa_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
