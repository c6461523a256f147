/* SPDX-License-Identifier: BSD-2-Clause */
/* hostiam_config_load: read hostiam.conf with libconfig and check all of it. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config_internal.h"
#include "errors.h"

#define S(field) offsetof(struct hostiam_config, field)

static const struct cfg_key top_keys[] = {
	{ "directory", CFG_GROUP, cfg_parse_group, S(directory), 0, 0, NULL, cfg_directory_keys },
	{ "cache", CFG_GROUP, cfg_parse_group, S(cache), 0, 0, NULL, cfg_cache_keys },
	{ "mfa", CFG_GROUP, cfg_parse_group, S(mfa), 0, 0, NULL, cfg_mfa_keys },
	{ "access", CFG_GROUP, cfg_parse_group, S(access), 0, 0, NULL, cfg_access_keys },
	{ "password", CFG_GROUP, cfg_parse_group, S(password), 0, 0, NULL, cfg_password_keys },
	{ "elevation", CFG_GROUPS, cfg_parse_elevation, 0, 0, 0, NULL, NULL },
	{ "terms", CFG_GROUPS, cfg_parse_terms, 0, 0, 0, NULL, NULL },
	{ "audit", CFG_GROUP, cfg_parse_group, S(audit), 0, 0, NULL, cfg_audit_keys },
	{ NULL, 0, NULL, 0, 0, 0, NULL, NULL },
};

#define MAX_CONFIG_SIZE (1024 * 1024)

/* Read all of fd (a regular file of st_size bytes) into a new NUL-terminated buffer. */
static int read_all(int fd, const struct stat *st, char **text)
{
	size_t len = (size_t)st->st_size, got = 0;
	char *buf = malloc(len + 1);

	if (buf == NULL)
		return HOSTIAM_ERR_NOMEM;
	while (got < len) {
		ssize_t n = read(fd, buf + got, len - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	buf[got] = '\0';
	if (got != len || memchr(buf, '\0', got) != NULL) {
		free(buf);
		return HOSTIAM_ERR_CONFIG;
	}
	*text = buf;
	return 0;
}

/*
 * Read the file ourselves, rather than through config_read_file: a missing or unreadable
 * file gets errno's words; non-regular files, and files that someone other than root (or
 * the caller) owns or may write, are refused (the PAM module trusts this file with login
 * decisions), and the text is at hand for config_intscan.c.
 */
static int read_file(const char *path, char **text, struct hostiam_config_errors *errs)
{
	struct stat st;
	int fd, r;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		cfg_error_raw(errs, path, 0, "", "cannot open: %s", strerror(errno));
		return HOSTIAM_ERR_SYSTEM;
	}
	if (fstat(fd, &st) < 0) {
		cfg_error_raw(errs, path, 0, "", "cannot stat: %s", strerror(errno));
		r = HOSTIAM_ERR_SYSTEM;
	} else if (!S_ISREG(st.st_mode)) {
		cfg_error_raw(errs, path, 0, "", "not a regular file");
		r = HOSTIAM_ERR_SYSTEM;
	} else if (st.st_mode & S_IWOTH) {
		cfg_error_raw(errs, path, 0, "", "refusing a world-writable configuration file");
		r = HOSTIAM_ERR_CONFIG;
	} else if (st.st_uid != 0 && st.st_uid != geteuid()) {
		cfg_error_raw(errs, path, 0, "",
			      "refusing a configuration file owned by uid %u "
			      "(must be root)",
			      (unsigned)st.st_uid);
		r = HOSTIAM_ERR_CONFIG;
	} else if ((st.st_mode & S_IWGRP) && st.st_gid != 0) {
		cfg_error_raw(errs, path, 0, "",
			      "refusing a configuration file writable by group "
			      "%u",
			      (unsigned)st.st_gid);
		r = HOSTIAM_ERR_CONFIG;
	} else if (st.st_size > MAX_CONFIG_SIZE) {
		cfg_error_raw(errs, path, 0, "", "larger than %d bytes", MAX_CONFIG_SIZE);
		r = HOSTIAM_ERR_CONFIG;
	} else if ((r = read_all(fd, &st, text)) < 0) {
		cfg_error_raw(errs, path, 0, "",
			      r == HOSTIAM_ERR_NOMEM ?
				      "out of memory" :
				      "cannot read it whole, or it contains a NUL byte");
	}
	close(fd);
	return r;
}

/* Numbers and enums that have defaults, before the file overrides them. */
static void set_defaults(struct hostiam_config *cfg)
{
	cfg_directory_defaults(&cfg->directory);
	cfg_cache_defaults(&cfg->cache);
	cfg_mfa_defaults(&cfg->mfa);
	cfg_access_defaults(&cfg->access);
	cfg_password_defaults(&cfg->password);
	cfg_audit_defaults(&cfg->audit);
}

/* Walk the parsed tree into cfg, then the checks and defaults that span keys. */
static void convert(struct cfg_ctx *ctx, const config_t *lc, struct hostiam_config *cfg)
{
	set_defaults(cfg);
	cfg_apply(ctx, config_root_setting(lc), top_keys, cfg);
	cfg_directory_finish(ctx, config_lookup(lc, "directory"), &cfg->directory);
	cfg_cache_finish(ctx, &cfg->cache);
	cfg_mfa_finish(ctx, config_lookup(lc, "mfa"), &cfg->mfa);
	cfg_access_finish(ctx, &cfg->access);
	cfg_terms_finish(ctx, config_lookup(lc, "access.rules"), cfg);
}

/* True when the mistake named key lies under need, or need under it ("directory" itself). */
static bool key_touches(const char *key, const char *need)
{
	size_t k = strlen(key), n = strlen(need);

	if (k <= n)
		return strncmp(need, key, k) == 0 && (need[k] == '\0' || need[k] == '.');
	return strncmp(key, need, n) == 0 && key[n] == '.';
}

/*
 * True when every recorded mistake lies outside the keys in need (NULL-terminated). A
 * mistake without a key (the file as a whole) touches everything, and so does a full list:
 * an unrecorded mistake could be anywhere.
 */
static bool mistakes_spare(const struct hostiam_config_errors *errs, const char *const *need)
{
	size_t i, j;

	if (need == NULL || errs->n >= HOSTIAM_CONFIG_MAX_ERRORS)
		return false;
	for (i = 0; i < errs->n; i++) {
		if (errs->items[i].key[0] == '\0')
			return false;
		for (j = 0; need[j]; j++)
			if (key_touches(errs->items[i].key, need[j]))
				return false;
	}
	return true;
}

/*
 * Parse text into a validated configuration; name stands for the file in messages. With
 * need, mistakes that spare those keys still give a configuration (see configuration.h).
 */
static int load(const char *name, const char *text, const char *const *need,
		struct hostiam_config **out, struct hostiam_config_errors *errs)
{
	struct cfg_ctx ctx = { .errs = errs, .path = name, .nomem = false };
	struct hostiam_config *cfg = NULL;
	config_t lc;
	int ok, r = HOSTIAM_ERR_CONFIG;

	config_init(&lc);
	if (cfg_refuse_includes(&ctx, text))
		goto out;
	if (cfg_disable_includes(&lc) < 0) {
		cfg_oom(&ctx);
		r = HOSTIAM_ERR_NOMEM;
		goto out;
	}
	cfg_scan_int_literals(&ctx, text);
	ok = config_read_string(&lc, text);
	if (!ok) {
		cfg_error_raw(errs, config_error_file(&lc) ? config_error_file(&lc) : name,
			      config_error_line(&lc), "", "%s", config_error_text(&lc));
		r = config_error_type(&lc) == CONFIG_ERR_FILE_IO ? HOSTIAM_ERR_SYSTEM : r;
		goto out;
	}
	cfg = calloc(1, sizeof(*cfg));
	if (cfg == NULL || (cfg->path = strdup(name)) == NULL) {
		cfg_oom(&ctx);
		r = HOSTIAM_ERR_NOMEM;
		goto out;
	}
	convert(&ctx, &lc, cfg);
	if (ctx.nomem)
		r = HOSTIAM_ERR_NOMEM;
	else if (errs->n == 0 || mistakes_spare(errs, need))
		r = 0;
out:
	config_destroy(&lc);
	if (r == 0)
		*out = cfg;
	else
		hostiam_config_free(cfg);
	return r;
}

/* See configuration.h. */
int hostiam_config_load_needing(const char *path, const char *const *need,
				struct hostiam_config **out, struct hostiam_config_errors *errs)
{
	char *text = NULL;
	int r;

	memset(errs, 0, sizeof(*errs));
	if (path == NULL || out == NULL)
		return HOSTIAM_ERR_INVALID_ARG;
	r = read_file(path, &text, errs);
	if (r < 0)
		return r;
	r = load(path, text, need, out, errs);
	free(text);
	return r;
}

/* See configuration.h. */
int hostiam_config_load(const char *path, struct hostiam_config **out,
			struct hostiam_config_errors *errs)
{
	return hostiam_config_load_needing(path, NULL, out, errs);
}

/* See configuration.h. */
int hostiam_config_load_string(const char *text, const char *name, struct hostiam_config **out,
			       struct hostiam_config_errors *errs)
{
	memset(errs, 0, sizeof(*errs));
	if (text == NULL || name == NULL || out == NULL)
		return HOSTIAM_ERR_INVALID_ARG;
	return load(name, text, NULL, out, errs);
}
