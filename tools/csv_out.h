/* SPDX-License-Identifier: BSD-2-Clause */
/* RFC 4180 CSV output for `hostiam review --format csv`. */
#ifndef HOSTIAM_CSV_OUT_H
#define HOSTIAM_CSV_OUT_H

#include <stdbool.h>
#include <stdio.h>

/*
 * Write one field; NULL is an empty field. A field holding a comma, a double quote, CR or
 * LF is quoted and its quotes doubled. first: no separator before it. Rows end with
 * csv_end_row() (CRLF, as RFC 4180 says).
 */
void csv_field(FILE *f, const char *s, bool first);
void csv_end_row(FILE *f);

#endif
