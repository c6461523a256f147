/* SPDX-License-Identifier: BSD-2-Clause */
/* Safe, aligned terminal text. */
#include "config.h"

#include "text_out.h"

/* Control bytes become '?'; everything else, UTF-8 included, goes through. */
void text_safe(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	for (; *p; p++)
		fputc(*p < 0x20 || *p == 0x7f ? '?' : *p, f);
}

/* Count every byte that does not continue a UTF-8 sequence. */
size_t text_width(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = 0;

	for (; *p; p++)
		if ((*p & 0xc0) != 0x80)
			n++;
	return n;
}

/* s, then spaces up to width. */
void text_pad(FILE *f, const char *s, size_t width)
{
	size_t w = text_width(s);

	text_safe(f, s);
	for (; w < width; w++)
		fputc(' ', f);
}
