/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Replay driver for a fuzz target built without libFuzzer: feeds each file named on the
 * command line, or every file of CORPUS_DIR, to LLVMFuzzerTestOneInput(), so that
 * `make check` keeps every input that once crashed fixed. A crash fails the test.
 */
#include "config.h"

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Read the whole file at path and run the target on it; 0, or 1 if unreadable. */
static int run_file(const char *path)
{
	FILE *f = fopen(path, "rbe");
	uint8_t *data = NULL;
	size_t len = 0, cap = 0, n;

	if (!f) {
		perror(path);
		return 1;
	}
	do {
		if (len == cap) {
			uint8_t *p = realloc(data, cap = cap ? cap * 2 : 65536);

			if (!p) {
				free(data);
				fclose(f);
				return 1;
			}
			data = p;
		}
		n = fread(data + len, 1, cap - len, f);
		len += n;
	} while (n > 0);
	fclose(f);
	LLVMFuzzerTestOneInput(data, len);
	free(data);
	return 0;
}

/* Run every regular file in dir; the count goes to *n. */
static int run_dir(const char *dir, int *n)
{
	char path[4096];
	struct dirent *e;
	DIR *d = opendir(dir);
	int bad = 0;

	if (!d) {
		perror(dir);
		return 1;
	}
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		bad |= run_file(path);
		(*n)++;
	}
	closedir(d);
	return bad;
}

int main(int argc, char **argv)
{
	int bad = 0, n = 0;

	for (int i = 1; i < argc; i++, n++)
		bad |= run_file(argv[i]);
	if (argc == 1)
		bad |= run_dir(CORPUS_DIR, &n);
	printf("replayed %d input(s)%s\n", n, bad ? ", some unreadable" : "");
	return bad || n == 0;
}
