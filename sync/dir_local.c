/* SPDX-License-Identifier: BSD-2-Clause */
/* Names and ids of the local passwd and group files, read with fgetpwent/fgetgrent. */
#include "config.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "dir_local.h"
#include "errors.h"
#include "log.h"

#define LOCAL_PASSWD "/etc/passwd"
#define LOCAL_GROUP "/etc/group"

/*
 * The file to read: the system one, or, for the test suite only, the file named by
 * HOSTIAM_TEST_PASSWD / HOSTIAM_TEST_GROUP (ignored in setuid processes). Deliberately not
 * a configuration key: on a real host the answer must always be the system's own file.
 */
static const char *local_path(const char *test_env, const char *path)
{
	const char *p = secure_getenv(test_env);

	return p && *p ? p : path;
}

/* Append name and id to set (names copied). */
static int set_add(struct dir_local_set *s, size_t *cap, const char *name, uint32_t id)
{
	if (s->n_names == *cap) {
		size_t c = *cap ? *cap * 2 : 64;
		char **nv = realloc(s->names, c * sizeof(*nv));
		uint32_t *iv;

		if (!nv)
			return HOSTIAM_ERR_NOMEM;
		s->names = nv;
		iv = realloc(s->ids, c * sizeof(*iv));
		if (!iv)
			return HOSTIAM_ERR_NOMEM;
		s->ids = iv;
		*cap = c;
	}
	s->names[s->n_names] = strdup(name);
	if (!s->names[s->n_names])
		return HOSTIAM_ERR_NOMEM;
	s->n_names++;
	s->ids[s->n_ids++] = id;
	return 0;
}

/* Order C strings. */
static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Order ids. */
static int cmp_id(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* Read every entry of the passwd (users) or group file at path into s. */
static int read_file(const char *path, bool users, struct dir_local_set *s)
{
	FILE *f = fopen(path, "re");
	size_t cap = 0;
	int r = 0;

	if (!f) {
		hostiam_log(LOG_ERR, "cannot read the local accounts: %s path=%s", strerror(errno),
			    path);
		return HOSTIAM_ERR_SYSTEM;
	}
	for (;;) {
		struct passwd *pw = users ? fgetpwent(f) : NULL;
		struct group *gr = users ? NULL : fgetgrent(f);

		if (!pw && !gr)
			break;
		r = pw ? set_add(s, &cap, pw->pw_name, (uint32_t)pw->pw_uid) :
			 set_add(s, &cap, gr->gr_name, (uint32_t)gr->gr_gid);
		if (r < 0)
			break;
	}
	fclose(f);
	if (s->n_names > 0) {
		qsort(s->names, s->n_names, sizeof(*s->names), cmp_str);
		qsort(s->ids, s->n_ids, sizeof(*s->ids), cmp_id);
	}
	return r;
}

int dir_local_load(struct dir_local *out)
{
	struct dir_local l = { { 0 }, { 0 } };
	int r;

	r = read_file(local_path("HOSTIAM_TEST_PASSWD", LOCAL_PASSWD), true, &l.users);
	if (r == 0)
		r = read_file(local_path("HOSTIAM_TEST_GROUP", LOCAL_GROUP), false, &l.groups);
	if (r < 0) {
		dir_local_free(&l);
		return r;
	}
	*out = l;
	return 0;
}

bool dir_local_has_name(const struct dir_local_set *set, const char *name)
{
	return set->n_names > 0 &&
		bsearch(&name, set->names, set->n_names, sizeof(*set->names), cmp_str) != NULL;
}

bool dir_local_has_id(const struct dir_local_set *set, uint32_t id)
{
	return set->n_ids > 0 && bsearch(&id, set->ids, set->n_ids, sizeof(*set->ids), cmp_id);
}

/* Free one set. */
static void set_free(struct dir_local_set *s)
{
	size_t i;

	for (i = 0; i < s->n_names; i++)
		free(s->names[i]);
	free(s->names);
	free(s->ids);
	memset(s, 0, sizeof(*s));
}

void dir_local_free(struct dir_local *l)
{
	set_free(&l->users);
	set_free(&l->groups);
}

/* One file's part of the signature; all zero when it cannot be stat()ed. */
static void sign(const char *path, unsigned long long *v)
{
	struct stat st;

	memset(v, 0, 5 * sizeof(*v));
	if (stat(path, &st) < 0)
		return;
	v[0] = st.st_dev;
	v[1] = st.st_ino;
	v[2] = (unsigned long long)st.st_size;
	v[3] = (unsigned long long)st.st_mtim.tv_sec;
	v[4] = (unsigned long long)st.st_mtim.tv_nsec;
}

void dir_local_signature(struct dir_local_sig *sig)
{
	sign(local_path("HOSTIAM_TEST_PASSWD", LOCAL_PASSWD), sig->v[0]);
	sign(local_path("HOSTIAM_TEST_GROUP", LOCAL_GROUP), sig->v[1]);
}
