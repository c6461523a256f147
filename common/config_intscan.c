/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libconfig 1.5 stores a decimal literal without the L suffix with atoi(), so 3000000000
 * silently becomes -1294967296 (1.7 fixed this). To report such numbers as out of range
 * instead of accepting a wrapped value, scan the text for decimal literals that do not fit
 * in an int, skipping strings and comments, and remember their lines for the number parsers.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_internal.h"

/* Skip a string literal starting at p (on the opening quote) as libconfig does; counts newlines. */
static const char *skip_string(const char *p, int *line)
{
	for (p++; *p && *p != '"'; p++) {
		if (*p == '\\' && p[1])
			p++;
		if (*p == '\n')
			(*line)++;
	}
	return *p ? p + 1 : p;
}

/* Skip a comment at p if there is one; returns p unchanged otherwise. */
static const char *skip_comment(const char *p, int *line)
{
	if (*p == '#' || (p[0] == '/' && p[1] == '/'))
		return p + strcspn(p, "\n");
	if (p[0] == '/' && p[1] == '*') {
		for (p += 2; *p && !(p[0] == '*' && p[1] == '/'); p++)
			if (*p == '\n')
				(*line)++;
		return *p ? p + 2 : p;
	}
	return p;
}

/*
 * Call at(arg, text, p, line) at each byte of text outside strings and comments (newlines
 * aside), where libconfig's lexer reads tokens; at returns where to go on, past p.
 */
void cfg_walk_code(const char *text, cfg_code_fn at, void *arg)
{
	const char *p = text, *q;
	int line = 1;

	while (*p) {
		if (*p == '\n') {
			line++;
			p++;
		} else if (*p == '"') {
			p = skip_string(p, &line);
		} else if ((q = skip_comment(p, &line)) != p) {
			p = q;
		} else {
			p = at(arg, text, p, line);
		}
	}
}

/* If a plain decimal literal starts at p and overflows int, remember it; returns its end. */
static const char *check_number(struct cfg_ctx *ctx, const char *p, int line)
{
	const char *start = p;
	long long v;
	char *end;

	if (*p == '-' || *p == '+')
		p++;
	p += strspn(p, "0123456789");
	/* Hex, floats, 64-bit (L) literals and identifiers are libconfig's business. */
	if (isalnum((unsigned char)*p) || *p == '.' || *p == '_')
		return p + strspn(p, "0123456789abcdefABCDEFxXlL._+-");
	errno = 0;
	v = strtoll(start, &end, 10);
	if ((errno == ERANGE || v > INT_MAX || v < INT_MIN) &&
	    ctx->n_overflows < CFG_MAX_OVERFLOWS) {
		ctx->overflows[ctx->n_overflows].line = line;
		snprintf(ctx->overflows[ctx->n_overflows].text, sizeof(ctx->overflows[0].text),
			 "%.*s", (int)(p - start), start);
		ctx->n_overflows++;
	}
	return p;
}

/* A callback of cfg_walk_code: check_number at the start of each decimal literal. */
static const char *number_at(void *ctx, const char *text, const char *p, int line)
{
	if (!isdigit((unsigned char)*p) &&
	    !((*p == '-' || *p == '+') && isdigit((unsigned char)p[1])))
		return p + 1;
	/* Only at the start of a token: "abc123" is an identifier. */
	if (p > text && (isalnum((unsigned char)p[-1]) || p[-1] == '_'))
		return p + 1;
	return check_number(ctx, p, line);
}

/* Record the line and text of every decimal literal in text that libconfig 1.5 would wrap. */
void cfg_scan_int_literals(struct cfg_ctx *ctx, const char *text)
{
	cfg_walk_code(text, number_at, ctx);
}

/* The overflowing literal on line that libconfig turned into stored, or NULL. */
const char *cfg_overflow_on_line(const struct cfg_ctx *ctx, int line, int stored)
{
	size_t i;

	for (i = 0; i < ctx->n_overflows; i++) {
		/* atoi() keeps the low 32 bits of strtol's (saturated) result. */
		long long v = strtoll(ctx->overflows[i].text, NULL, 10);

		if (ctx->overflows[i].line == line &&
		    (int32_t)(uint32_t)(unsigned long long)v == stored)
			return ctx->overflows[i].text;
	}
	return NULL;
}
