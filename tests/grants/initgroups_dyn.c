/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * initgroups_dyn USER: call the module's _nss_hostiam_initgroups_dyn as glibc's
 * getgrouplist does, and print the gids it added, one per line (status NOTFOUND: none).
 * nss_wrapper answers getgrouplist from group enumeration, never through this entry point,
 * so the elevation tests call it directly.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "../nss/nss_test.h"

int main(int argc, char **argv)
{
	struct nss_module mod;
	long int start = 0, size = 4;
	gid_t *g = malloc((size_t)size * sizeof(gid_t));
	enum nss_status st;
	int err = 0;

	if (argc != 2 || g == NULL || nss_module_load(&mod) < 0)
		return 2;
	/* The primary gid as the caller passes it: one nobody has, so nothing is skipped. */
	st = mod.initgroups_dyn(argv[1], (gid_t)-2, &start, &size, &g, 0, &err);
	if (st != NSS_STATUS_SUCCESS && st != NSS_STATUS_NOTFOUND) {
		fprintf(stderr, "initgroups_dyn: status %d errno %d\n", (int)st, err);
		return 1;
	}
	for (long int i = 0; i < start; i++)
		printf("%u\n", (unsigned)g[i]);
	free(g);
	return 0;
}
