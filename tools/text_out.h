/* SPDX-License-Identifier: BSD-2-Clause */
/* Text for a terminal: untrusted strings (directory data, PAM items) printed safely, and padded. */
#ifndef HOSTIAM_TEXT_OUT_H
#define HOSTIAM_TEXT_OUT_H

#include <stddef.h>
#include <stdio.h>

/* Write s with control characters (C0, DEL) shown as '?', so it cannot drive the terminal. */
void text_safe(FILE *f, const char *s);

/* Columns s takes on a terminal: UTF-8 code points (wide characters count as one). */
size_t text_width(const char *s);

/* text_safe(s) padded with spaces to width columns (nothing added when s is wider). */
void text_pad(FILE *f, const char *s, size_t width);

#endif
