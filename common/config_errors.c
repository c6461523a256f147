/* SPDX-License-Identifier: BSD-2-Clause */
/* Collecting configuration mistakes with file, line and dotted key; formatting them. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "config_internal.h"

/* The next free slot, or NULL once HOSTIAM_CONFIG_MAX_ERRORS are recorded. */
static struct hostiam_config_error *next_slot(struct hostiam_config_errors *errs)
{
	struct hostiam_config_error *e;

	if (errs->n >= HOSTIAM_CONFIG_MAX_ERRORS)
		return NULL;
	e = &errs->items[errs->n++];
	memset(e, 0, sizeof(*e));
	return e;
}

/* Record one mistake with a printf-style message. */
static void add_error(struct hostiam_config_errors *errs, const char *file, int line,
		      const char *key, const char *fmt, va_list ap)
	__attribute__((format(printf, 5, 0)));
static void add_error(struct hostiam_config_errors *errs, const char *file, int line,
		      const char *key, const char *fmt, va_list ap)
{
	struct hostiam_config_error *e = next_slot(errs);

	if (e == NULL)
		return;
	snprintf(e->file, sizeof(e->file), "%s", file ? file : "");
	snprintf(e->key, sizeof(e->key), "%s", key ? key : "");
	e->line = line;
	vsnprintf(e->message, sizeof(e->message), fmt, ap);
}

/* Dotted path of s as libconfig itself would look it up: "access.rules.[2].from". */
void cfg_setting_path(const config_setting_t *s, char *buf, size_t len)
{
	char mine[64];
	size_t used;

	buf[0] = '\0';
	if (s == NULL || config_setting_is_root(s))
		return;
	cfg_setting_path(config_setting_parent(s), buf, len);
	if (config_setting_name(s))
		snprintf(mine, sizeof(mine), "%s", config_setting_name(s));
	else
		snprintf(mine, sizeof(mine), "[%d]", config_setting_index(s));
	used = strlen(buf);
	snprintf(buf + used, len - used, "%s%s", used ? "." : "", mine);
}

/* The file a setting came from: libconfig knows it for files, not for strings. */
static const char *setting_file(const struct cfg_ctx *ctx, const config_setting_t *s)
{
	const char *f = s ? config_setting_source_file(s) : NULL;

	return f ? f : ctx->path;
}

/* A mistake located at where, named by key's path plus an optional child key. */
static void verror_at(struct cfg_ctx *ctx, const config_setting_t *where,
		      const config_setting_t *key, const char *child, const char *fmt, va_list ap)
	__attribute__((format(printf, 5, 0)));
static void verror_at(struct cfg_ctx *ctx, const config_setting_t *where,
		      const config_setting_t *key, const char *child, const char *fmt, va_list ap)
{
	char path[sizeof(ctx->errs->items[0].key)];
	size_t used;

	cfg_setting_path(key, path, sizeof(path));
	used = strlen(path);
	if (child)
		snprintf(path + used, sizeof(path) - used, "%s%s", used ? "." : "", child);
	add_error(ctx->errs, setting_file(ctx, where),
		  where ? (int)config_setting_source_line(where) : 0, path, fmt, ap);
}

/* A mistake in setting s itself. */
void cfg_error(struct cfg_ctx *ctx, const config_setting_t *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verror_at(ctx, s, s, NULL, fmt, ap);
	va_end(ap);
}

/* A mistake found at where (its line), reported under key[.child] (its name). */
void cfg_error_at(struct cfg_ctx *ctx, const config_setting_t *where, const config_setting_t *key,
		  const char *child, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verror_at(ctx, where, key, child, fmt, ap);
	va_end(ap);
}

/* A mistake not tied to a setting (syntax errors, unreadable file). */
void cfg_error_raw(struct hostiam_config_errors *errs, const char *file, int line, const char *key,
		   const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add_error(errs, file, line, key, fmt, ap);
	va_end(ap);
}

/* Allocation failed: remember it (the load fails) and say so once. */
void cfg_oom(struct cfg_ctx *ctx)
{
	if (!ctx->nomem)
		cfg_error_raw(ctx->errs, ctx->path, 0, "", "out of memory");
	ctx->nomem = true;
}

/* "FILE:LINE: KEY: MESSAGE", leaving out the line when unknown and the key when empty. */
void hostiam_config_error_format(const struct hostiam_config_error *e, char *buf, size_t len)
{
	char where[300];

	if (len == 0)
		return;
	if (e->line > 0)
		snprintf(where, sizeof(where), "%s:%d", e->file, e->line);
	else
		snprintf(where, sizeof(where), "%s", e->file);
	if (e->key[0])
		snprintf(buf, len, "%s: %s: %s", where, e->key, e->message);
	else
		snprintf(buf, len, "%s: %s", where, e->message);
}
