/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * auth.cache: "hostiam-auth-cache 1\n" then one "USER\tBASE32\n" line per user. Written
 * whole and atomically by the sync; read whole at login, and refused whole if any line is
 * damaged (every line must end in a newline, so a truncated file never passes): it holds
 * secrets, and we only ever trust a file exactly as our writer left it.
 */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth_cache.h"
#include "errors.h"
#include "log.h"
#include "mfa_files.h"
#include "names.h"

#define HEADER "hostiam-auth-cache 1\n"
#define HEADER_PREFIX "hostiam-auth-cache "
/* 100,000 users at a few hundred bytes each, with room to spare. */
#define AUTH_CACHE_MAX (256u << 20)
#define SECRET_B32_MAX 2048

/* Base32 as the directory may hold it: RFC 4648 letters, padding, lowercase, spaces. */
static bool b32_valid(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || len > SECRET_B32_MAX)
		return false;
	for (i = 0; i < len; i++) {
		char c = s[i];

		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '2' && c <= '7') ||
		      c == '=' || c == ' '))
			return false;
	}
	return true;
}

/* Open the directory that holds path (group/world-writable refused); *base is in path. */
static int open_parent(const char *path, int *dfd, const char **base)
{
	const char *slash = strrchr(path, '/');
	char *dir;
	int r;

	*base = slash ? slash + 1 : path;
	if (**base == '\0' || strcmp(*base, ".") == 0 || strcmp(*base, "..") == 0)
		return HOSTIAM_ERR_INVALID_ARG;
	if (slash == NULL)
		dir = strdup(".");
	else if (slash == path)
		dir = strdup("/");
	else
		dir = strndup(path, (size_t)(slash - path));
	if (dir == NULL)
		return HOSTIAM_ERR_NOMEM;
	/* Others may read the cache directory (nss.cache lives there), never write to it. */
	r = mfa_open_dir(AT_FDCWD, dir, dir, false, 022, "cache directory", dfd);
	free(dir);
	return r;
}

/* The file's text for entries, malloc'd (the caller wipes it); entries are checked. */
static int format_cache(const struct hostiam_auth_entry *entries, size_t n, char **text,
			size_t *len)
{
	size_t size = sizeof(HEADER) - 1, i, at;
	char *buf;

	for (i = 0; i < n; i++) {
		const struct hostiam_auth_entry *e = &entries[i];

		if (!hostiam_valid_user_name(e->user) || e->secret_b32 == NULL ||
		    !b32_valid(e->secret_b32, strlen(e->secret_b32)))
			return HOSTIAM_ERR_INVALID_ARG;
		size += strlen(e->user) + strlen(e->secret_b32) + 2;
		if (size > AUTH_CACHE_MAX)
			return HOSTIAM_ERR_INVALID_ARG;
	}
	if ((buf = malloc(size + 1)) == NULL)
		return HOSTIAM_ERR_NOMEM;
	memcpy(buf, HEADER, sizeof(HEADER) - 1);
	at = sizeof(HEADER) - 1;
	for (i = 0; i < n; i++)
		at += (size_t)snprintf(buf + at, size + 1 - at, "%s\t%s\n", entries[i].user,
				       entries[i].secret_b32);
	*text = buf;
	*len = at;
	return 0;
}

/* The old file stays until the new one is complete; others must not write to the directory. */
int hostiam_auth_cache_write(const char *path, const struct hostiam_auth_entry *entries, size_t n)
{
	const char *base;
	char *text = NULL;
	size_t len = 0;
	int dfd = -1, r;

	if (path == NULL || (entries == NULL && n > 0))
		return HOSTIAM_ERR_INVALID_ARG;
	if ((r = format_cache(entries, n, &text, &len)) < 0)
		return r;
	if ((r = open_parent(path, &dfd, &base)) < 0)
		goto out;
	if ((r = mfa_replace_file(dfd, base, text, len)) < 0)
		hostiam_log(LOG_ERR, "auth cache could not be written path=%s", path);
out:
	hostiam_secret_wipe(text, len);
	if (dfd >= 0)
		close(dfd);
	return r;
}

/* The header: this version, another version ("hostiam-auth-cache N\n"), or not ours. */
static int check_header(const char *text, size_t len)
{
	size_t at = sizeof(HEADER_PREFIX) - 1, digits = 0;

	if (len >= sizeof(HEADER) - 1 && memcmp(text, HEADER, sizeof(HEADER) - 1) == 0)
		return 0;
	if (len < at || memcmp(text, HEADER_PREFIX, at) != 0)
		return HOSTIAM_ERR_CACHE_CORRUPT;
	while (at + digits < len && text[at + digits] >= '0' && text[at + digits] <= '9')
		digits++;
	if (digits == 0 || at + digits >= len || text[at + digits] != '\n')
		return HOSTIAM_ERR_CACHE_CORRUPT;
	return HOSTIAM_ERR_CACHE_VERSION;
}

/*
 * Scan every line after the header; *found points into text at user's secret (*found_len
 * bytes). Any damaged line, or the user twice, refuses the file; *bad_line says where.
 */
static int scan_cache(const char *text, size_t len, const char *user, const char **found,
		      size_t *found_len, int *bad_line)
{
	const char *p = text + sizeof(HEADER) - 1, *end = text + len;
	size_t ulen = strlen(user);
	char name[HOSTIAM_NAME_MAX + 1];

	*found = NULL;
	for (*bad_line = 2; p < end; ++*bad_line) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *tab = nl ? memchr(p, '\t', (size_t)(nl - p)) : NULL;
		size_t nlen = tab ? (size_t)(tab - p) : 0;

		if (tab == NULL || nlen == 0 || nlen > HOSTIAM_NAME_MAX)
			return HOSTIAM_ERR_CACHE_CORRUPT;
		memcpy(name, p, nlen);
		name[nlen] = '\0';
		if (!hostiam_valid_user_name(name) || !b32_valid(tab + 1, (size_t)(nl - tab - 1)))
			return HOSTIAM_ERR_CACHE_CORRUPT;
		if (nlen == ulen && memcmp(name, user, ulen) == 0) {
			if (*found != NULL)
				return HOSTIAM_ERR_CACHE_CORRUPT;
			*found = tab + 1;
			*found_len = (size_t)(nl - tab - 1);
		}
		p = nl + 1;
	}
	return *found ? 0 : HOSTIAM_ERR_NOT_FOUND;
}

/* Read whole, check whole, copy out only user's secret, wipe the rest. */
int hostiam_auth_cache_lookup(const char *path, const char *user, char **secret_b32)
{
	const char *base, *found = NULL;
	char *text = NULL;
	size_t len = 0, found_len = 0;
	int dfd = -1, line = 1, r;

	if (path == NULL || secret_b32 == NULL)
		return HOSTIAM_ERR_INVALID_ARG;
	if (!hostiam_valid_user_name(user))
		return HOSTIAM_ERR_INVALID_NAME;
	if ((r = open_parent(path, &dfd, &base)) < 0)
		goto out;
	r = mfa_read_file(dfd, base, path, "auth cache", AUTH_CACHE_MAX, &text, &len);
	if (r < 0)
		goto out;
	if (memchr(text, '\0', len) != NULL)
		r = HOSTIAM_ERR_CACHE_CORRUPT;
	else if ((r = check_header(text, len)) == 0)
		r = scan_cache(text, len, user, &found, &found_len, &line);
	if (r == HOSTIAM_ERR_CACHE_CORRUPT || r == HOSTIAM_ERR_CACHE_VERSION) {
		hostiam_log(LOG_ERR, "auth cache refused: %s line=%d path=%s", hostiam_strerror(r),
			    line, path);
		goto out;
	}
	if (r == 0 && (*secret_b32 = strndup(found, found_len)) == NULL)
		r = HOSTIAM_ERR_NOMEM;
out:
	if (r == HOSTIAM_ERR_NOT_FOUND && text == NULL)
		r = HOSTIAM_ERR_CACHE_MISSING;
	hostiam_secret_wipe(text, len + 1);
	if (dfd >= 0)
		close(dfd);
	return r;
}
