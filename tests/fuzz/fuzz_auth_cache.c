/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Fuzz target for the auth.cache reader (format 1 and 2): the input is written as the
 * file (0600, in a private directory) and looked up for two users. With libFuzzer it is
 * tests/fuzz/fuzz-auth-cache-libfuzzer; without it (make check) replay.c replays
 * tests/fuzz/corpus/auth-cache. A found record must hold only what the writer writes.
 * An input whose header says sum=0000000000000000 gets the right sum, so that mutations
 * reach the line parser.
 */
#include "config.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth_cache.h"
#include "errors.h"
#include "hash.h"

#define SUM_PREFIX "hostiam-auth-cache 2 sum="
#define HEADER_LEN (sizeof(SUM_PREFIX) - 1 + 16 + 1)
#define ZERO_HEADER SUM_PREFIX "0000000000000000\n"
#define V3_HEADER "hostiam-auth-cache 3 sorted\n"
#define V3_ZERO_CHECK "\t0000000000000000"
#define V3_CHECK_LEN (sizeof(V3_ZERO_CHECK) - 1)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[] = "/tmp/hostiam-fuzz-auth.XXXXXX";
static char path[64];

/* Remove the file and the directory at exit. */
static void cleanup(void)
{
	unlink(path);
	rmdir(dir);
}

/* The private directory, made once. */
static int setup(void)
{
	if (path[0])
		return 0;
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(path, sizeof(path), "%s/auth.cache", dir);
	atexit(cleanup);
	return 0;
}

/* Write size bytes of data to path, 0600. */
static int put(const uint8_t *data, size_t size)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	ssize_t n = fd < 0 ? -1 : write(fd, data, size);

	if (fd >= 0)
		close(fd);
	return n == (ssize_t)size ? 0 : -1;
}

/* What a found record may hold: no sentinel but the two markers, base32 or no secret. */
static void check_record(const struct hostiam_auth_record *r)
{
	size_t i;

	for (i = 0; r->secret_b32 && r->secret_b32[i]; i++)
		if (strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz234567= ",
			   r->secret_b32[i]) == NULL)
			abort();
	if (!r->account_known && hostiam_account_attrs_any(&r->account))
		abort();
}

/*
 * Format 3: a line ending in a check of all zeros gets the right check (the writer's:
 * over the line up to and including the tab before it), or the checks stop every mutation.
 */
static void fix_v3_checks(uint8_t *p, size_t size)
{
	uint8_t *line = p, *nl;

	while ((nl = memchr(line, '\n', size - (size_t)(line - p))) != NULL) {
		size_t n = (size_t)(nl - line);

		if (n > V3_CHECK_LEN &&
		    memcmp(nl - V3_CHECK_LEN, V3_ZERO_CHECK, V3_CHECK_LEN) == 0) {
			char sum[17];

			snprintf(sum, sizeof(sum), "%016llx",
				 (unsigned long long)hostiam_check_bytes(
					 hostiam_check_start(0x61757468u, 0), line, n - 16));
			memcpy(nl - 16, sum, 16);
		}
		line = nl + 1;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const users[] = { "alice", "bob" };
	struct hostiam_auth_record rec;
	uint8_t *copy;
	size_t i;

	if (setup() < 0 || (copy = malloc(size + 1)) == NULL)
		return 0;
	memcpy(copy, data, size);
	/* The checksum would stop nearly every mutation: a sum of all zeros is made right. */
	if (size >= HEADER_LEN && memcmp(copy, ZERO_HEADER, HEADER_LEN) == 0) {
		char head[HEADER_LEN + 1];

		snprintf(
			head, sizeof(head), "%s%016llx\n", SUM_PREFIX,
			(unsigned long long)hostiam_checksum(copy + HEADER_LEN, size - HEADER_LEN));
		memcpy(copy, head, HEADER_LEN);
	}
	if (size >= sizeof(V3_HEADER) - 1 && memcmp(copy, V3_HEADER, sizeof(V3_HEADER) - 1) == 0)
		fix_v3_checks(copy, size);
	if (put(copy, size) == 0) {
		for (i = 0; i < sizeof(users) / sizeof(users[0]); i++) {
			if (hostiam_auth_cache_find(path, users[i], &rec) == 0) {
				check_record(&rec);
				hostiam_auth_record_wipe(&rec);
			}
		}
	}
	free(copy);
	return 0;
}
