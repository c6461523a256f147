/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A QR code in the terminal: libqrencode at error-correction level M, drawn with UTF-8
 * half blocks (two modules per character cell) in black on an explicit white background,
 * with a quiet zone, so that phones read it on dark and light terminal themes alike.
 */
#ifndef HOSTIAM_QR_TERMINAL_H
#define HOSTIAM_QR_TERMINAL_H

#include <stdio.h>

/* Modules of white border around the symbol (ISO/IEC 18004 asks for four). */
#define QR_TERMINAL_QUIET_ZONE 4

/*
 * Encode text (8-bit mode, smallest version that fits) and draw it on f. Returns 0,
 * HOSTIAM_ERR_INVALID_ARG (text too long for any QR version), HOSTIAM_ERR_NOMEM or
 * HOSTIAM_ERR_SYSTEM (a write error on f).
 */
int qr_terminal_print(FILE *f, const char *text);

#endif
