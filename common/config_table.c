/* SPDX-License-Identifier: BSD-2-Clause */
/* The table walker and the parsers for plain values: strings, paths, numbers, enums, lists. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config_internal.h"

static const char *const type_names[] = {
	[CFG_STRING] = "a string",
	[CFG_INT] = "an integer",
	[CFG_BOOL] = "true or false",
	[CFG_GROUP] = "a group { ... }",
	[CFG_STRINGS] = "a string or a list of strings",
	[CFG_GROUPS] = "a list of groups ( { ... }, ... )",
};

/* What the file holds, in words, for "expected X, got Y". */
static const char *got_name(const config_setting_t *s)
{
	switch (config_setting_type(s)) {
	case CONFIG_TYPE_GROUP:
		return "a group";
	case CONFIG_TYPE_INT:
	case CONFIG_TYPE_INT64:
		return "an integer";
	case CONFIG_TYPE_FLOAT:
		return "a floating-point number";
	case CONFIG_TYPE_STRING:
		return "a string";
	case CONFIG_TYPE_BOOL:
		return "a boolean";
	case CONFIG_TYPE_ARRAY:
		return "an array";
	case CONFIG_TYPE_LIST:
		return "a list";
	default:
		return "nothing";
	}
}

/* Whether s has the shape t; list elements are checked by the list parsers. */
static bool type_ok(const config_setting_t *s, enum cfg_type t)
{
	int st = config_setting_type(s);

	switch (t) {
	case CFG_STRING:
		return st == CONFIG_TYPE_STRING;
	case CFG_INT:
		return st == CONFIG_TYPE_INT || st == CONFIG_TYPE_INT64;
	case CFG_BOOL:
		return st == CONFIG_TYPE_BOOL;
	case CFG_GROUP:
		return st == CONFIG_TYPE_GROUP;
	case CFG_STRINGS:
		return st == CONFIG_TYPE_STRING || st == CONFIG_TYPE_ARRAY ||
			st == CONFIG_TYPE_LIST;
	case CFG_GROUPS:
		return st == CONFIG_TYPE_LIST;
	}
	return false;
}

/* Apply keys to every member of group: unknown keys and wrong types are mistakes. */
void cfg_apply(struct cfg_ctx *ctx, const config_setting_t *group, const struct cfg_key *keys,
	       void *base)
{
	int i, n = config_setting_length(group);

	for (i = 0; i < n; i++) {
		const config_setting_t *s = config_setting_get_elem(group, (unsigned)i);
		const struct cfg_key *k;

		for (k = keys; k->name; k++)
			if (strcmp(k->name, config_setting_name(s)) == 0)
				break;
		if (k->name == NULL)
			cfg_error(ctx, s, "unknown key");
		else if (!type_ok(s, k->type))
			cfg_error(ctx, s, "expected %s, got %s", type_names[k->type], got_name(s));
		else
			k->parse(ctx, s, base, k);
	}
}

/* A required key is absent: reported on the line of the group that should hold it. */
void cfg_require(struct cfg_ctx *ctx, const config_setting_t *group, const char *name)
{
	if (config_setting_get_member(group, name) == NULL)
		cfg_error_at(ctx, group, group, name, "missing required key");
}

/* Number of items of a string-or-list: a lone scalar counts as one. */
int cfg_items(const config_setting_t *s)
{
	return config_setting_is_aggregate(s) ? config_setting_length(s) : 1;
}

/* Item i of a string-or-list. */
const config_setting_t *cfg_item(const config_setting_t *s, int i)
{
	return config_setting_is_aggregate(s) ? config_setting_get_elem(s, (unsigned)i) : s;
}

/* Map name to its value through a NULL-terminated table; -1 when absent. */
int cfg_enum_lookup(const struct cfg_enum *values, const char *name, int *out)
{
	for (; values->name; values++) {
		if (strcmp(values->name, name) == 0) {
			*out = values->value;
			return 0;
		}
	}
	return -1;
}

/* strdup that records an allocation failure. */
char *cfg_strdup(struct cfg_ctx *ctx, const char *s)
{
	char *d = strdup(s);

	if (d == NULL)
		cfg_oom(ctx);
	return d;
}

/* Fill an unset string field with its default. */
void cfg_default_string(struct cfg_ctx *ctx, char **field, const char *value)
{
	if (*field == NULL && value != NULL)
		*field = cfg_strdup(ctx, value);
}

/* A non-empty string, copied. */
void cfg_parse_string(struct cfg_ctx *ctx, const config_setting_t *s, void *base,
		      const struct cfg_key *k)
{
	char **field = CFG_FIELD(base, k, char *);
	const char *v = config_setting_get_string(s);

	if (v[0] == '\0') {
		cfg_error(ctx, s, "must not be empty");
		return;
	}
	free(*field);
	*field = cfg_strdup(ctx, v);
}

/* An absolute path; the file itself is not opened here. */
void cfg_parse_path(struct cfg_ctx *ctx, const config_setting_t *s, void *base,
		    const struct cfg_key *k)
{
	if (config_setting_get_string(s)[0] != '/') {
		cfg_error(ctx, s, "must be an absolute path");
		return;
	}
	cfg_parse_string(ctx, s, base, k);
}

/* true / false into a bool. */
void cfg_parse_bool(struct cfg_ctx *ctx, const config_setting_t *s, void *base,
		    const struct cfg_key *k)
{
	*CFG_FIELD(base, k, bool) = config_setting_get_bool(s) != 0;
}

/* true / false into a condition that is otherwise unset. */
void cfg_parse_tristate(struct cfg_ctx *ctx, const config_setting_t *s, void *base,
			const struct cfg_key *k)
{
	*CFG_FIELD(base, k, enum hostiam_tristate) = config_setting_get_bool(s) ? HOSTIAM_TRUE :
										  HOSTIAM_FALSE;
}

/* The integer value of s if it lies in the key's range; records the mistake otherwise. */
static int get_ranged(struct cfg_ctx *ctx, const config_setting_t *s, const struct cfg_key *k,
		      long long *v)
{
	const char *wrapped = NULL;

	/* The literal on the line was too big for the int libconfig 1.5 stored it in. */
	if (config_setting_type(s) == CONFIG_TYPE_INT && config_setting_source_file(s) == NULL)
		wrapped = cfg_overflow_on_line(ctx, (int)config_setting_source_line(s),
					       config_setting_get_int(s));
	if (wrapped) {
		*v = strtoll(wrapped, NULL, 10);
		if (*v >= k->min && *v <= k->max)
			cfg_error(ctx, s, "%s needs the 64-bit suffix: write %sL", wrapped,
				  wrapped);
		else
			cfg_error(ctx, s, "%s is out of range (%lld to %lld)", wrapped, k->min,
				  k->max);
		return -1;
	}
	*v = config_setting_get_int64(s);
	if (*v < k->min || *v > k->max) {
		cfg_error(ctx, s, "%lld is out of range (%lld to %lld)", *v, k->min, k->max);
		return -1;
	}
	return 0;
}

/* An int within [min, max]. */
void cfg_parse_int(struct cfg_ctx *ctx, const config_setting_t *s, void *base,
		   const struct cfg_key *k)
{
	long long v;

	if (get_ranged(ctx, s, k, &v) == 0)
		*CFG_FIELD(base, k, int) = (int)v;
}

/* A long within [min, max]. */
void cfg_parse_long(struct cfg_ctx *ctx, const config_setting_t *s, void *base,
		    const struct cfg_key *k)
{
	long long v;

	if (get_ranged(ctx, s, k, &v) == 0)
		*CFG_FIELD(base, k, long) = (long)v;
}

/* A uint32_t within [min, max] (uids and gids). */
void cfg_parse_u32(struct cfg_ctx *ctx, const config_setting_t *s, void *base,
		   const struct cfg_key *k)
{
	long long v;

	if (get_ranged(ctx, s, k, &v) == 0)
		*CFG_FIELD(base, k, uint32_t) = (uint32_t)v;
}

/* One of the names in k->values, stored as its int value. */
void cfg_parse_enum(struct cfg_ctx *ctx, const config_setting_t *s, void *base,
		    const struct cfg_key *k)
{
	const char *v = config_setting_get_string(s);
	char allowed[128] = "";
	const struct cfg_enum *e;
	int value;

	if (cfg_enum_lookup(k->values, v, &value) == 0) {
		*CFG_FIELD(base, k, int) = value;
		return;
	}
	for (e = k->values; e->name; e++) {
		size_t used = strlen(allowed);

		snprintf(allowed + used, sizeof(allowed) - used, "%s%s", used ? ", " : "", e->name);
	}
	cfg_error(ctx, s, "\"%s\" is not one of: %s", v, allowed);
}

/* A string or a list of non-empty strings, with at least k->min items. */
void cfg_parse_strings(struct cfg_ctx *ctx, const config_setting_t *s, void *base,
		       const struct cfg_key *k)
{
	struct hostiam_strlist *field = CFG_FIELD(base, k, struct hostiam_strlist), l = { 0 };
	int i, n = cfg_items(s);

	if (n < k->min) {
		cfg_error(ctx, s, "the list must not be empty");
		return;
	}
	l.items = calloc((size_t)n + 1, sizeof(char *));
	if (l.items == NULL) {
		cfg_oom(ctx);
		return;
	}
	for (i = 0; i < n; i++) {
		const config_setting_t *e = cfg_item(s, i);
		const char *v = config_setting_get_string(e);

		if (v == NULL || v[0] == '\0') {
			cfg_error_at(ctx, e, s, NULL, "item %d: expected a non-empty string", i);
			continue;
		}
		l.items[l.n] = cfg_strdup(ctx, v);
		if (l.items[l.n])
			l.n++;
	}
	cfg_strlist_free(field);
	*field = l;
}

/* A nested group whose fields live in the same structure as its parent's. */
void cfg_parse_group(struct cfg_ctx *ctx, const config_setting_t *s, void *base,
		     const struct cfg_key *k)
{
	cfg_apply(ctx, s, k->sub, (char *)base + k->offset);
}
