/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Fuzz target for the configuration loader. With libFuzzer (HOSTIAM_LIBFUZZER defined) it
 * is tests/fuzz/fuzz-config-libfuzzer of a `CC=clang configure --enable-fuzzing` build
 * (scripts/fuzz.sh).
 * Without it (make check), main() replays every file of the corpus, or the files named
 * on the command line, so crashes found once stay fixed.
 */
#include "config.h"

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "configuration.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
const char *__lsan_default_suppressions(void);

/*
 * libconfig 1.5's parser leaks token buffers on some syntax errors (corpus/config/
 * libconfig-leak-*); those are libconfig's, not ours, so LeakSanitizer ignores allocations
 * made inside libconfig. Everything the loader allocates itself is still checked.
 */
const char *__lsan_default_suppressions(void)
{
	return "leak:libconfig.so\n";
}

/* Load data as a configuration text; it must either load or give a located reason. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hostiam_config_errors errs;
	struct hostiam_config *cfg = NULL;
	char *text, line[1024];
	size_t i;

	text = malloc(size + 1);
	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (hostiam_config_load_string(text, "fuzz", &cfg, &errs) == 0) {
		hostiam_config_free(cfg);
	} else {
		if (errs.n == 0 || errs.n > HOSTIAM_CONFIG_MAX_ERRORS)
			abort();
		for (i = 0; i < errs.n; i++)
			hostiam_config_error_format(&errs.items[i], line, sizeof(line));
	}
	free(text);
	return 0;
}

#ifndef HOSTIAM_LIBFUZZER
/* Feed one file to the target; 0 if it could be read. */
static int replay(const char *path)
{
	static uint8_t buf[1 << 20];
	size_t n;
	FILE *f = fopen(path, "rbe");

	if (f == NULL) {
		perror(path);
		return 1;
	}
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	LLVMFuzzerTestOneInput(buf, n);
	return 0;
}

/* Replay argv, or every file of CORPUS_DIR when no argument is given. */
int main(int argc, char **argv)
{
	char path[4096];
	struct dirent *de;
	int i, bad = 0, n = 0;
	DIR *d;

	for (i = 1; i < argc; i++, n++)
		bad |= replay(argv[i]);
	if (argc > 1)
		return bad;
	if ((d = opendir(CORPUS_DIR)) == NULL) {
		perror(CORPUS_DIR);
		return 1;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", CORPUS_DIR, de->d_name);
		bad |= replay(path);
		n++;
	}
	closedir(d);
	printf("replayed %d inputs\n", n);
	return bad || n == 0;
}
#endif
