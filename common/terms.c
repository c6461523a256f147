/* SPDX-License-Identifier: BSD-2-Clause */
/* Terms of use: the acceptance rule, its records in the state store, the text file. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "errors.h"
#include "state_internal.h"
#include "terms.h"

/* A configured name or version always fits the record's fields (state.h). */
_Static_assert(sizeof(((struct hostiam_terms_acceptance *)0)->name) == HOSTIAM_TERMS_NAME_MAX + 1,
	       "terms name field");
_Static_assert(sizeof(((struct hostiam_terms_acceptance *)0)->version) ==
		       HOSTIAM_TERMS_NAME_MAX + 1,
	       "terms version field");

/* See terms.h. An acceptance dated after now (a clock stepped back) does not count. */
const struct hostiam_terms_acceptance *hostiam_terms_find(const struct hostiam_terms *t,
							  const struct hostiam_terms_acceptance *acc,
							  size_t n, time_t now)
{
	for (size_t i = 0; t && i < n; i++) {
		const struct hostiam_terms_acceptance *a = &acc[i];
		long long age = (long long)now - (long long)a->when;

		if (strcmp(a->name, t->name) != 0 || strcmp(a->version, t->version) != 0)
			continue;
		if (age < 0)
			return NULL;
		if (t->reaccept_days > 0 && age > (long long)t->reaccept_days * 86400)
			return NULL;
		return a;
	}
	return NULL;
}

struct record_args {
	const struct hostiam_terms *t;
	time_t when;
	const char *service;
	const char *rhost;
};

/* The slot for a->t: its earlier entry, else a free one, else the oldest. */
static struct hostiam_terms_acceptance *slot_for(struct hostiam_user_state *st, const char *name)
{
	uint32_t i, oldest = 0;

	for (i = 0; i < st->n_terms; i++)
		if (strcmp(st->terms[i].name, name) == 0)
			return &st->terms[i];
	if (st->n_terms < HOSTIAM_TERMS_KEPT)
		return &st->terms[st->n_terms++];
	for (i = 1; i < st->n_terms; i++)
		if (st->terms[i].when < st->terms[oldest].when)
			oldest = i;
	return &st->terms[oldest];
}

/* hostiam_state_update callback: write the acceptance into its slot. */
static int put(struct hostiam_user_state *st, void *ctx)
{
	const struct record_args *a = ctx;
	struct hostiam_terms_acceptance *s = slot_for(st, a->t->name);

	memset(s, 0, sizeof(*s));
	state_terms_token(s->name, sizeof(s->name), a->t->name);
	state_terms_token(s->version, sizeof(s->version), a->t->version);
	s->when = a->when;
	state_terms_token(s->service, sizeof(s->service), a->service);
	state_terms_token(s->host, sizeof(s->host), a->rhost);
	return 0;
}

/* See terms.h. */
int hostiam_terms_record(const char *state_dir, const char *user, const struct hostiam_terms *t,
			 time_t when, const char *service, const char *rhost)
{
	struct record_args a = { t, when, service, rhost };

	if (t == NULL || t->name == NULL || t->version == NULL)
		return HOSTIAM_ERR_INVALID_ARG;
	return hostiam_state_update(state_dir, user, put, &a);
}

/* hostiam_state_update callback: drop the entry named ctx; 1 (no write) when absent. */
static int drop(struct hostiam_user_state *st, void *ctx)
{
	const char *name = ctx;

	for (uint32_t i = 0; i < st->n_terms; i++) {
		if (strcmp(st->terms[i].name, name) != 0)
			continue;
		memmove(&st->terms[i], &st->terms[i + 1],
			(st->n_terms - i - 1) * sizeof(st->terms[0]));
		st->n_terms--;
		memset(&st->terms[st->n_terms], 0, sizeof(st->terms[0]));
		return 0;
	}
	return 1;
}

/* See terms.h. */
int hostiam_terms_revoke(const char *state_dir, const char *user, const char *name)
{
	int r = hostiam_state_update(state_dir, user, drop, (void *)name);

	return r == 1 ? HOSTIAM_ERR_NOT_FOUND : r;
}

/* Refuse what someone other than root could have written. */
static int check_file(int fd, char *why, size_t why_len)
{
	struct stat st;

	if (fstat(fd, &st) < 0) {
		snprintf(why, why_len, "cannot stat: %s", strerror(errno));
		return HOSTIAM_ERR_SYSTEM;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(why, why_len, "not a regular file");
		return HOSTIAM_ERR_INSECURE_FILE;
	}
	/* As the configuration file: root's, or ours (the module runs as root; tests do not). */
	if ((st.st_uid != 0 && st.st_uid != geteuid()) || (st.st_mode & (S_IWGRP | S_IWOTH))) {
		snprintf(why, why_len,
			 "must be owned by root and not writable by group or others, is uid %u "
			 "mode 0%o",
			 (unsigned)st.st_uid, (unsigned)(st.st_mode & 07777));
		return HOSTIAM_ERR_INSECURE_FILE;
	}
	if (st.st_size > HOSTIAM_TERMS_TEXT_MAX) {
		snprintf(why, why_len, "larger than %d bytes", HOSTIAM_TERMS_TEXT_MAX);
		return HOSTIAM_ERR_INVALID_ARG;
	}
	return 0;
}

/* Read fd whole (at most HOSTIAM_TERMS_TEXT_MAX bytes) into a new string. */
static int read_text(int fd, char **text, char *why, size_t why_len)
{
	char *buf = malloc(HOSTIAM_TERMS_TEXT_MAX + 1);
	size_t got = 0;
	ssize_t n;

	if (buf == NULL)
		return HOSTIAM_ERR_NOMEM;
	while (got <= HOSTIAM_TERMS_TEXT_MAX &&
	       (n = read(fd, buf + got, HOSTIAM_TERMS_TEXT_MAX + 1 - got)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			snprintf(why, why_len, "cannot read: %s", strerror(errno));
			free(buf);
			return HOSTIAM_ERR_SYSTEM;
		}
		got += (size_t)n;
	}
	if (got > HOSTIAM_TERMS_TEXT_MAX || memchr(buf, '\0', got)) {
		snprintf(why, why_len, "larger than %d bytes, or holds a NUL byte",
			 HOSTIAM_TERMS_TEXT_MAX);
		free(buf);
		return HOSTIAM_ERR_INVALID_ARG;
	}
	buf[got] = '\0';
	*text = buf;
	return 0;
}

/* See terms.h. */
int hostiam_terms_read(const struct hostiam_terms *t, char **text, char *why, size_t why_len)
{
	int fd, r;

	snprintf(why, why_len, "%s", "");
	fd = open(t->file, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		snprintf(why, why_len, "cannot open: %s", strerror(errno));
		return errno == ELOOP ? HOSTIAM_ERR_INSECURE_FILE : HOSTIAM_ERR_SYSTEM;
	}
	r = check_file(fd, why, why_len);
	if (r == 0)
		r = read_text(fd, text, why, why_len);
	close(fd);
	return r;
}
