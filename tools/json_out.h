/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A tiny JSON writer for hostiam's --json and --format json output (RFC 8259). No JSON
 * library is among our dependencies, and we only ever write: objects, arrays, strings,
 * integers, booleans and null, with commas placed by the writer.
 */
#ifndef HOSTIAM_JSON_OUT_H
#define HOSTIAM_JSON_OUT_H

#include <stdbool.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 16

struct json_out {
	FILE *f;
	int depth; /* open objects and arrays */
	bool need_comma[JSON_MAX_DEPTH + 1];
	bool after_key; /* a key was written; its value comes next */
};

/* Start writing to f. */
void json_init(struct json_out *j, FILE *f);

/* Write s as a JSON string: quotes, backslash and control characters escaped, valid UTF-8
 * passed through, every byte of invalid UTF-8 written as U+FFFD. NULL writes null. */
void json_escape(FILE *f, const char *s);

void json_object_begin(struct json_out *j);
void json_object_end(struct json_out *j);
void json_array_begin(struct json_out *j);
void json_array_end(struct json_out *j);

/* A member name inside an object; the next call writes its value. */
void json_key(struct json_out *j, const char *key);

void json_str(struct json_out *j, const char *s); /* NULL: null */
void json_int(struct json_out *j, long long v);
void json_bool(struct json_out *j, bool v);
void json_null(struct json_out *j);

/* key + value in one call. */
void json_kv_str(struct json_out *j, const char *key, const char *s);
void json_kv_int(struct json_out *j, const char *key, long long v);
void json_kv_bool(struct json_out *j, const char *key, bool v);

/* key + v, or key + null when the value is not present (no time recorded, not known). */
void json_kv_opt_int(struct json_out *j, const char *key, long long v, bool present);
void json_kv_opt_bool(struct json_out *j, const char *key, bool v, bool present);

#endif
