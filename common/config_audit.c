/* SPDX-License-Identifier: BSD-2-Clause */
/* The `audit` section: the audit trail's file and journal (audit.h). */
#include "config.h"

#include <stddef.h>
#include <string.h>

#include "config_internal.h"
#include "parse_num.h"

#define A(field) offsetof(struct hostiam_audit_config, field)

/* The bounds of max_size: a line fits in the smallest, the largest is a sane file. */
#define AUDIT_SIZE_MIN 1024L
#define AUDIT_SIZE_MAX (1024L * 1024 * 1024)

/* The multiplier of a unit letter (K, M, G, either case); 0 when c is none. */
static unsigned long unit(char c)
{
	switch (c) {
	case 'K':
	case 'k':
		return 1024UL;
	case 'M':
	case 'm':
		return 1024UL * 1024;
	case 'G':
	case 'g':
		return 1024UL * 1024 * 1024;
	default:
		return 0;
	}
}

/* "16M", "512K", "1G" or plain bytes ("65536"); 0 when it is none of those. */
static long size_value(const char *v)
{
	size_t n = strlen(v);
	unsigned long x, mul = n > 0 ? unit(v[n - 1]) : 0;

	if (mul != 0)
		n--;
	else
		mul = 1;
	if (hostiam_parse_ulong_n(v, n, 1, (unsigned long)AUDIT_SIZE_MAX, &x) < 0 ||
	    x > (unsigned long)AUDIT_SIZE_MAX / mul)
		return 0;
	return (long)(x * mul);
}

/* max_size: a size such as "16M", between 1K and 1G. */
static void parse_size(struct cfg_ctx *ctx, const config_setting_t *s, void *base,
		       const struct cfg_key *k)
{
	const char *v = config_setting_get_string(s);
	long bytes = v ? size_value(v) : 0;

	if (bytes < AUDIT_SIZE_MIN || bytes > AUDIT_SIZE_MAX) {
		cfg_error(ctx, s,
			  "\"%s\" is not a size such as \"16M\", \"512K\" or \"1G\" "
			  "(from 1K to 1G)",
			  v ? v : "");
		return;
	}
	*CFG_FIELD(base, k, long) = bytes;
}

const struct cfg_key cfg_audit_keys[] = {
	{ "file", CFG_BOOL, cfg_parse_bool, A(file), 0, 0, NULL, NULL },
	{ "journal", CFG_BOOL, cfg_parse_bool, A(journal), 0, 0, NULL, NULL },
	{ "max_size", CFG_STRING, parse_size, A(max_size), 0, 0, NULL, NULL },
	/* Rotated files kept beside audit.jsonl. */
	{ "keep", CFG_INT, cfg_parse_int, A(keep), 1, 99, NULL, NULL },
	{ NULL, 0, NULL, 0, 0, 0, NULL, NULL },
};

/* Auditing is on unless the section turns it off. */
void cfg_audit_defaults(struct hostiam_audit_config *a)
{
	a->file = true;
	a->journal = true;
	a->max_size = 16L * 1024 * 1024;
	a->keep = 4;
}
