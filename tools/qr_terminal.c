/* SPDX-License-Identifier: BSD-2-Clause */
/* QR codes drawn with UTF-8 half blocks over libqrencode. */
#include "config.h"

#include <errno.h>
#include <qrencode.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "errors.h"
#include "qr_terminal.h"

/* Black foreground on a white background, set explicitly so the terminal theme cannot
 * invert the code; reset before each newline so the colours do not bleed past the code. */
#define QR_COLOURS "\033[30;47m"
#define QR_RESET "\033[0m"

/* Whether the module at (x, y) of the symbol with its quiet zone is dark. */
static bool dark(const QRcode *qr, int x, int y)
{
	x -= QR_TERMINAL_QUIET_ZONE;
	y -= QR_TERMINAL_QUIET_ZONE;
	if (x < 0 || y < 0 || x >= qr->width || y >= qr->width)
		return false;
	return (qr->data[(size_t)y * (size_t)qr->width + (size_t)x] & 1) != 0;
}

/* One cell: the upper module in the top half, the lower in the bottom half. */
static const char *cell(bool upper, bool lower)
{
	if (upper && lower)
		return "\u2588"; /* █ */
	if (upper)
		return "\u2580"; /* ▀ */
	if (lower)
		return "\u2584"; /* ▄ */
	return " ";
}

/* Draw the symbol, two module rows per text line; 0 or HOSTIAM_ERR_SYSTEM. */
static int draw(FILE *f, const QRcode *qr)
{
	int size = qr->width + 2 * QR_TERMINAL_QUIET_ZONE;
	int x, y;

	for (y = 0; y < size; y += 2) {
		fputs(QR_COLOURS, f);
		for (x = 0; x < size; x++)
			fputs(cell(dark(qr, x, y), y + 1 < size && dark(qr, x, y + 1)), f);
		fputs(QR_RESET "\n", f);
	}
	return ferror(f) ? HOSTIAM_ERR_SYSTEM : 0;
}

int qr_terminal_print(FILE *f, const char *text)
{
	QRcode *qr;
	int rc;

	/* Version 0: the smallest that fits; case-sensitive 8-bit data (the URI has both). */
	qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (qr == NULL)
		return errno == ENOMEM ? HOSTIAM_ERR_NOMEM : HOSTIAM_ERR_INVALID_ARG;
	rc = draw(f, qr);
	/* The modules spell out the secret of the URI. */
	explicit_bzero(qr->data, (size_t)qr->width * (size_t)qr->width);
	QRcode_free(qr);
	return rc;
}
