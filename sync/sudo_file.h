/* SPDX-License-Identifier: BSD-2-Clause */
/* The sudoers fragment on disk: checked by sudo's own visudo, replaced atomically. */
#ifndef HOSTIAM_SUDO_FILE_H
#define HOSTIAM_SUDO_FILE_H

#include <stddef.h>

/* sudo_visudo_check and sudo_file_install: visudo refused the text (its words in why). */
#define SUDO_FILE_REFUSED 1

/*
 * Run `visudo -c -f -` on text (given on its standard input from a sealed memory file):
 * 0 when sudo parses it, SUDO_FILE_REFUSED with visudo's first lines in why, or a
 * HOSTIAM_ERR_* when visudo cannot be run (why says so). visudo is looked for in
 * /usr/sbin, /usr/bin, /sbin and /usr/local/sbin; HOSTIAM_TEST_VISUDO names another (for
 * the test suite; ignored in setuid processes).
 */
int sudo_visudo_check(const char *text, size_t len, char *why, size_t why_len);

/*
 * Install text at path, mode 0440: unless the file holds exactly that already, a temp file
 * in the same directory gets the text once visudo has accepted it, and is renamed over
 * path (common/file_io.c; a symlink at path is replaced, never followed). Returns 0
 * (*changed says whether the file was written), SUDO_FILE_REFUSED (the old file stays), or
 * a HOSTIAM_ERR_* with the reason in why.
 */
int sudo_file_install(const char *path, const char *text, size_t len, int *changed, char *why,
		      size_t why_len);

#endif
