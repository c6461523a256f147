/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test-dir-attrs: the attribute list handed to ldap_sync is complete or absent, never cut
 * short, whichever of libldap's allocations fails.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dir_entries.h"

static long fail_at = -1; /* the allocation number that fails; -1: none */
static long calls;
static int armed; /* count only inside the function under test */

#if !defined(__SANITIZE_ADDRESS__)
void *__libc_malloc(size_t n);
void *__libc_calloc(size_t n, size_t size);
void *__libc_realloc(void *p, size_t n);

/* True when this allocation is the one that must fail. */
static int failing(void)
{
	return armed && calls++ == fail_at;
}

/* malloc of this process (libldap's included), failing on demand. */
void *malloc(size_t n)
{
	return failing() ? NULL : __libc_malloc(n);
}

/* calloc, likewise. */
void *calloc(size_t n, size_t size)
{
	return failing() ? NULL : __libc_calloc(n, size);
}

/* realloc, likewise. */
void *realloc(void *p, size_t n)
{
	return failing() ? NULL : __libc_realloc(p, n);
}

#endif

/* The attribute list with allocation number fail_at failing (-1: none); its length in *n. */
static char **attempt(long fail, const struct dir_schema *schema, size_t *n)
{
	char **a;

	calls = 0;
	fail_at = fail;
	armed = 1;
	a = dir_attrs_new_ber(DIR_USER, schema);
	armed = 0;
	for (*n = 0; a && a[*n]; (*n)++)
		;
	return a;
}

int main(void)
{
	const char *member_attrs[] = { "memberUid", "member" };
	struct hostiam_strlist members = { (char **)member_attrs, 2 };
	struct dir_schema schema = { .ssh_key = "sshPublicKey",
				     .totp_secret = "hostiamTotpSecret",
				     .members = &members };
	size_t full, n;
	long i, total;
	char **a;
	int bad = 0;

#if defined(__SANITIZE_ADDRESS__)
	/* The sanitizer owns malloc: no interposing here. */
	puts("SKIP: sanitizer build");
	return 77;
#endif
	a = attempt(-1, &schema, &full);
	if (!a || full < 8)
		return 99;
	dir_attrs_free_ber(a);
	total = calls;
	for (i = 0; i < total; i++) {
		a = attempt(i, &schema, &n);
		if (a && n != full) {
			printf("FAIL: allocation %ld failed: %zu of %zu attributes\n", i, n, full);
			bad = 1;
		}
		dir_attrs_free_ber(a);
	}
	printf("%s: %ld allocations, each failed once, %zu attributes\n", bad ? "FAIL" : "PASS",
	       total, full);
	return bad;
}
