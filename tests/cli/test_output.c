/* SPDX-License-Identifier: BSD-2-Clause */
/* The JSON escaper and writer and the CSV quoting of hostiam check/review, table-driven. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "csv_out.h"
#include "json_out.h"

static const struct {
	const char *in;
	const char *out;
} json_cases[] = {
	{ "", "\"\"" },
	{ "alice", "\"alice\"" },
	{ "say \"hi\"", "\"say \\\"hi\\\"\"" },
	{ "C:\\path", "\"C:\\\\path\"" },
	{ "a\nb\tc\rd", "\"a\\nb\\tc\\rd\"" },
	{ "\x01\x1f\x7f", "\"\\u0001\\u001f\\u007f\"" },
	{ "\x1b[31m", "\"\\u001b[31m\"" },
	{ "/slash", "\"/slash\"" },
	{ "\xc3\xa9lise", "\"\xc3\xa9lise\"" },                     /* é: two bytes */
	{ "\xe2\x82\xac", "\"\xe2\x82\xac\"" },                     /* €: three bytes */
	{ "\xf0\x9f\x94\x91", "\"\xf0\x9f\x94\x91\"" },             /* 🔑: four bytes */
	{ "\xff", "\"\\ufffd\"" },                                  /* never valid */
	{ "a\xc3", "\"a\\ufffd\"" },                                /* truncated at the end */
	{ "\xc3(", "\"\\ufffd(\"" },                                /* bad continuation */
	{ "\xc0\xaf", "\"\\ufffd\\ufffd\"" },                       /* overlong '/' */
	{ "\xe0\x80\xaf", "\"\\ufffd\\ufffd\\ufffd\"" },            /* overlong, three bytes */
	{ "\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"" },            /* surrogate U+D800 */
	{ "\xf4\x90\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\"" }, /* above U+10FFFF */
	{ "\xf0\x9f\x94", "\"\\ufffd\\ufffd\\ufffd\"" },            /* truncated four-byte */
};

/* Run fn(f, arg) into memory and return what it wrote (caller frees). */
static char *capture(void (*fn)(FILE *, const void *), const void *arg)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	fn(f, arg);
	assert_int_equal(fclose(f), 0);
	return buf;
}

/* json_escape as a capture() callback. */
static void escape_cb(FILE *f, const void *arg)
{
	json_escape(f, arg);
}

/* Every row of the table escapes to exactly the expected JSON text. */
static void test_json_escape(void **state)
{
	for (size_t i = 0; i < sizeof(json_cases) / sizeof(json_cases[0]); i++) {
		char *got = capture(escape_cb, json_cases[i].in);

		if (strcmp(got, json_cases[i].out) != 0)
			fail_msg("row %zu: want %s got %s", i, json_cases[i].out, got);
		free(got);
	}
	char *got = capture(escape_cb, NULL);
	assert_string_equal(got, "null");
	free(got);
}

/* A nested document through the writer. */
static void document_cb(FILE *f, const void *arg)
{
	struct json_out j;

	json_init(&j, f);
	json_object_begin(&j);
	json_kv_str(&j, "a", "x");
	json_kv_int(&j, "n", -3);
	json_key(&j, "list");
	json_array_begin(&j);
	json_int(&j, 1);
	json_bool(&j, true);
	json_null(&j);
	json_object_begin(&j);
	json_object_end(&j);
	json_array_begin(&j);
	json_array_end(&j);
	json_array_end(&j);
	json_kv_bool(&j, "b", false);
	json_kv_str(&j, "z", NULL);
	json_kv_opt_int(&j, "t", 7, true);
	json_kv_opt_int(&j, "u", 7, false);
	json_kv_opt_bool(&j, "e", true, true);
	json_kv_opt_bool(&j, "f", true, false);
	json_object_end(&j);
}

/* Commas go between values and nowhere else; a newline ends the document. */
static void test_json_writer(void **state)
{
	char *got = capture(document_cb, NULL);

	assert_string_equal(
		got,
		"{\"a\":\"x\",\"n\":-3,\"list\":[1,true,null,{},[]],\"b\":false,\"z\":null,"
		"\"t\":7,\"u\":null,\"e\":true,\"f\":null}\n");
	free(got);
}

/* One CSV row of tricky fields. */
static void csv_cb(FILE *f, const void *arg)
{
	csv_field(f, "plain", true);
	csv_field(f, "a,b", false);
	csv_field(f, "say \"hi\"", false);
	csv_field(f, "two\nlines", false);
	csv_field(f, "cr\r", false);
	csv_field(f, NULL, false);
	csv_field(f, "", false);
	csv_field(f, " spaced ", false);
	csv_end_row(f);
}

/* RFC 4180: quote fields with separators, quotes or line breaks; double the quotes. */
static void test_csv(void **state)
{
	char *got = capture(csv_cb, NULL);

	assert_string_equal(
		got, "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\"cr\r\",,, spaced \r\n");
	free(got);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_escape),
		cmocka_unit_test(test_json_writer),
		cmocka_unit_test(test_csv),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
