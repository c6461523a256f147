/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The module's entry points, loaded with dlopen as glibc does; shared by the NSS tests
 * and the benchmark. The module is $HOSTIAM_NSS_MODULE, else
 * $top_builddir/.libs/libnss_hostiam.so.2 (make check exports top_builddir).
 */
#ifndef HOSTIAM_NSS_TEST_H
#define HOSTIAM_NSS_TEST_H

#include <dlfcn.h>
#include <grp.h>
#include <nss.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>

struct nss_module {
	enum nss_status (*getpwnam_r)(const char *, struct passwd *, char *, size_t, int *);
	enum nss_status (*getpwuid_r)(uid_t, struct passwd *, char *, size_t, int *);
	enum nss_status (*setpwent)(int);
	enum nss_status (*getpwent_r)(struct passwd *, char *, size_t, int *);
	enum nss_status (*endpwent)(void);
	enum nss_status (*getgrnam_r)(const char *, struct group *, char *, size_t, int *);
	enum nss_status (*getgrgid_r)(gid_t, struct group *, char *, size_t, int *);
	enum nss_status (*setgrent)(int);
	enum nss_status (*getgrent_r)(struct group *, char *, size_t, int *);
	enum nss_status (*endgrent)(void);
	enum nss_status (*initgroups_dyn)(const char *, gid_t, long int *, long int *, gid_t **,
					  long int, int *);
};

/* dlopen the module and resolve every entry point; 0 or -1 with a message on stderr. */
static inline int nss_module_load(struct nss_module *m)
{
	static const char *const names[] = { "getpwnam_r", "getpwuid_r",    "setpwent",
					     "getpwent_r", "endpwent",      "getgrnam_r",
					     "getgrgid_r", "setgrent",      "getgrent_r",
					     "endgrent",   "initgroups_dyn" };
	const char *path = getenv("HOSTIAM_NSS_MODULE");
	char buf[4096], sym[64];
	void *h, **slot = (void **)m;

	if (!path) {
		const char *top = getenv("top_builddir");

		snprintf(buf, sizeof(buf), "%s/.libs/libnss_hostiam.so.2", top ? top : ".");
		path = buf;
	}
	if (!(h = dlopen(path, RTLD_NOW | RTLD_LOCAL))) {
		fprintf(stderr, "dlopen %s: %s\n", path, dlerror());
		return -1;
	}
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(sym, sizeof(sym), "_nss_hostiam_%s", names[i]);
		if (!(slot[i] = dlsym(h, sym))) {
			fprintf(stderr, "%s: missing %s\n", path, sym);
			return -1;
		}
	}
	return 0;
}

#endif
