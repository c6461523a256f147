/* SPDX-License-Identifier: BSD-2-Clause */
/* RFC 4180 CSV: quoting and row ends, nothing else. */
#include "config.h"

#include <string.h>

#include "csv_out.h"

/* One field, quoted when it has to be. */
void csv_field(FILE *f, const char *s, bool first)
{
	if (!first)
		fputc(',', f);
	if (s == NULL)
		return;
	if (strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

/* CRLF ends a record. */
void csv_end_row(FILE *f)
{
	fputs("\r\n", f);
}
