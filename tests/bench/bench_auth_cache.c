/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * auth.cache at directory scale: write N users (default 100,000), each with account state
 * and every other one with a secret, then time what a login does: one lookup of one user
 * (the last line, so the whole file is read and checked). Prints the file size and the
 * milliseconds per lookup. Usage: bench_auth_cache [N]
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "auth_cache.h"
#include "errors.h"
#include "parse_num.h"

#define ROUNDS 20
#define SECRET "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"

/* Seconds on the monotonic clock. */
static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* n users user000000.. with a password age, every other one with a secret. */
static int write_users(const char *path, size_t n)
{
	struct hostiam_auth_entry *e = calloc(n, sizeof(*e));
	struct hostiam_account_attrs *a = calloc(n, sizeof(*a));
	char(*names)[32] = calloc(n, sizeof(*names)); /* room for any size_t */
	size_t i;
	int r = HOSTIAM_ERR_NOMEM;

	if (e && a && names) {
		for (i = 0; i < n; i++) {
			snprintf(names[i], sizeof(names[i]), "user%06zu", i);
			hostiam_account_attrs_clear(&a[i]);
			a[i].v[HOSTIAM_ACCT_SHADOW_LAST_CHANGE] = 20000 + (int64_t)(i % 300);
			a[i].v[HOSTIAM_ACCT_SHADOW_MAX] = 90;
			e[i].user = names[i];
			e[i].secret_b32 = i % 2 ? SECRET : NULL;
			e[i].account = &a[i];
		}
		r = hostiam_auth_cache_write(path, e, n);
	}
	free(e);
	free(a);
	free(names);
	return r;
}

int main(int argc, char **argv)
{
	char dir[] = "/tmp/hostiam-bench.XXXXXX", path[64], last[16];
	unsigned long n = 100000;
	struct hostiam_auth_record rec;
	struct stat st;
	double t;
	int i, r;

	if (argc > 1 && hostiam_parse_ulong(argv[1], 1, 10000000, &n) < 0) {
		fprintf(stderr, "usage: bench_auth_cache [N]\n");
		return 2;
	}
	if (mkdtemp(dir) == NULL)
		return 1;
	snprintf(path, sizeof(path), "%s/auth.cache", dir);
	snprintf(last, sizeof(last), "user%06lu", n - 1);
	t = now();
	r = write_users(path, n);
	printf("write %lu users: %s, %.1f ms\n", n, r < 0 ? hostiam_strerror(r) : "ok",
	       (now() - t) * 1e3);
	if (r == 0 && stat(path, &st) == 0)
		printf("file: %lld bytes\n", (long long)st.st_size);
	t = now();
	for (i = 0; r == 0 && i < ROUNDS; i++) {
		r = hostiam_auth_cache_find(path, last, &rec);
		hostiam_auth_record_wipe(&rec);
	}
	if (r == 0)
		printf("lookup of one user: %.4f ms\n", (now() - t) * 1e3 / ROUNDS);
	/* A name with no line (a local user): the search must prove it absent. */
	t = now();
	for (i = 0; r == 0 && i < ROUNDS; i++)
		if (hostiam_auth_cache_find(path, "nosuchuser", &rec) != HOSTIAM_ERR_NOT_FOUND)
			r = -1;
	if (r == 0)
		printf("lookup of an absent user: %.4f ms\n", (now() - t) * 1e3 / ROUNDS);
	unlink(path);
	rmdir(dir);
	return r == 0 ? 0 : 1;
}
