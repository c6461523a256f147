/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Internals of the configuration loader, shared by its files and nothing else.
 * Each section is a table of {key, type, parser, field}; one walker applies a table to a
 * libconfig group, reports unknown keys and wrong types, and calls the parsers, which
 * record mistakes in the context instead of stopping.
 */
#ifndef HOSTIAM_CONFIG_INTERNAL_H
#define HOSTIAM_CONFIG_INTERNAL_H

#include <libconfig.h>
#include <stdbool.h>
#include <stddef.h>

#include "configuration.h"

#define CFG_MAX_OVERFLOWS 16

struct cfg_ctx {
	struct hostiam_config_errors *errs;
	const char *path; /* file name when libconfig does not know one */
	bool nomem;       /* an allocation failed: the result is unusable */
	struct {
		int line;
		char text[32];
	} overflows[CFG_MAX_OVERFLOWS]; /* int literals libconfig 1.5 wrapped (config_intscan.c) */
	size_t n_overflows;
};

/* The shape a key must have in the file; checked before its parser runs. */
enum cfg_type {
	CFG_STRING,
	CFG_INT, /* int or int64 literal */
	CFG_BOOL,
	CFG_GROUP,   /* { ... } */
	CFG_STRINGS, /* "a" or [ "a", "b" ] or ( "a", "b" ) */
	CFG_GROUPS,  /* ( { ... }, { ... } ) */
};

struct cfg_enum {
	const char *name;
	int value;
};

struct cfg_key;

/* Parse s (already of the key's type) into the field at base + k->offset. */
typedef void (*cfg_parser)(struct cfg_ctx *ctx, const config_setting_t *s, void *base,
			   const struct cfg_key *k);

struct cfg_key {
	const char *name;
	enum cfg_type type;
	cfg_parser parse;
	size_t offset;                 /* of the field in the section's structure */
	long long min, max;            /* numbers: range; lists: min = fewest items */
	const struct cfg_enum *values; /* enums: the accepted names, NULL-terminated */
	const struct cfg_key *sub;     /* groups: the nested table, same base + offset */
};

#define CFG_FIELD(base, k, type) ((type *)(void *)((char *)(base) + (k)->offset))

/* config_errors.c */
void cfg_error(struct cfg_ctx *ctx, const config_setting_t *s, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void cfg_error_at(struct cfg_ctx *ctx, const config_setting_t *where, const config_setting_t *key,
		  const char *child, const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void cfg_error_raw(struct hostiam_config_errors *errs, const char *file, int line, const char *key,
		   const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void cfg_oom(struct cfg_ctx *ctx);
void cfg_setting_path(const config_setting_t *s, char *buf, size_t len);

/* config_table.c: the walker and the generic parsers */
void cfg_apply(struct cfg_ctx *ctx, const config_setting_t *group, const struct cfg_key *keys,
	       void *base);
void cfg_require(struct cfg_ctx *ctx, const config_setting_t *group, const char *name);
int cfg_items(const config_setting_t *s);
const config_setting_t *cfg_item(const config_setting_t *s, int i);
int cfg_enum_lookup(const struct cfg_enum *values, const char *name, int *out);
char *cfg_strdup(struct cfg_ctx *ctx, const char *s);
void cfg_default_string(struct cfg_ctx *ctx, char **field, const char *value);
void cfg_parse_string(struct cfg_ctx *ctx, const config_setting_t *s, void *base,
		      const struct cfg_key *k);
void cfg_parse_path(struct cfg_ctx *ctx, const config_setting_t *s, void *base,
		    const struct cfg_key *k);
void cfg_parse_bool(struct cfg_ctx *ctx, const config_setting_t *s, void *base,
		    const struct cfg_key *k);
void cfg_parse_tristate(struct cfg_ctx *ctx, const config_setting_t *s, void *base,
			const struct cfg_key *k);
void cfg_parse_int(struct cfg_ctx *ctx, const config_setting_t *s, void *base,
		   const struct cfg_key *k);
void cfg_parse_long(struct cfg_ctx *ctx, const config_setting_t *s, void *base,
		    const struct cfg_key *k);
void cfg_parse_u32(struct cfg_ctx *ctx, const config_setting_t *s, void *base,
		   const struct cfg_key *k);
void cfg_parse_enum(struct cfg_ctx *ctx, const config_setting_t *s, void *base,
		    const struct cfg_key *k);
void cfg_parse_strings(struct cfg_ctx *ctx, const config_setting_t *s, void *base,
		       const struct cfg_key *k);
void cfg_parse_group(struct cfg_ctx *ctx, const config_setting_t *s, void *base,
		     const struct cfg_key *k);

/* One file per section: its table, its defaults and its cross-key checks. */
extern const struct cfg_key cfg_directory_keys[];
extern const struct cfg_key cfg_cache_keys[];
extern const struct cfg_key cfg_mfa_keys[];
extern const struct cfg_key cfg_access_keys[];
extern const struct cfg_key cfg_password_keys[];
extern const struct cfg_key cfg_audit_keys[];
extern const struct cfg_enum cfg_action_values[];
void cfg_directory_defaults(struct hostiam_directory_config *d);
void cfg_directory_finish(struct cfg_ctx *ctx, const config_setting_t *s,
			  struct hostiam_directory_config *d);
void cfg_cache_defaults(struct hostiam_cache_config *c);
void cfg_cache_finish(struct cfg_ctx *ctx, struct hostiam_cache_config *c);
void cfg_mfa_defaults(struct hostiam_mfa_config *m);
void cfg_mfa_finish(struct cfg_ctx *ctx, const config_setting_t *s, struct hostiam_mfa_config *m);
void cfg_access_defaults(struct hostiam_access_config *a);
void cfg_password_defaults(struct hostiam_password_config *p);
void cfg_audit_defaults(struct hostiam_audit_config *a);
void cfg_access_finish(struct cfg_ctx *ctx, struct hostiam_access_config *a);
void cfg_parse_rules(struct cfg_ctx *ctx, const config_setting_t *s, void *base,
		     const struct cfg_key *k);
/* config_elevation.c: the top-level `elevation` list (base is the whole configuration) */
void cfg_parse_elevation(struct cfg_ctx *ctx, const config_setting_t *s, void *base,
			 const struct cfg_key *k);
void cfg_elevation_free(struct hostiam_config *cfg);
/* config_terms.c: the top-level `terms` list and the rule key that names an entry */
void cfg_parse_terms(struct cfg_ctx *ctx, const config_setting_t *s, void *base,
		     const struct cfg_key *k);
void cfg_parse_rule_terms(struct cfg_ctx *ctx, const config_setting_t *s, void *base,
			  const struct cfg_key *k);
void cfg_terms_finish(struct cfg_ctx *ctx, const config_setting_t *rules,
		      struct hostiam_config *cfg);
void cfg_terms_free(struct hostiam_config *cfg);

/* config_intscan.c; the skips see strings and comments as libconfig's lexer does */
void cfg_scan_int_literals(struct cfg_ctx *ctx, const char *text);
const char *cfg_overflow_on_line(const struct cfg_ctx *ctx, int line, int stored);
/* Called at each byte outside strings and comments; returns where to go on, past p. */
typedef const char *(*cfg_code_fn)(void *arg, const char *text, const char *p, int line);
void cfg_walk_code(const char *text, cfg_code_fn at, void *arg);

/* config_include.c: @include is refused (see there for why) */
bool cfg_refuse_includes(struct cfg_ctx *ctx, const char *text);
int cfg_disable_includes(config_t *lc);

/* config_free.c */
void cfg_strlist_free(struct hostiam_strlist *l);
void cfg_rule_free(struct hostiam_rule *r);

#endif
