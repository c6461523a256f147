/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * LD_PRELOAD shim for follow-killed.sh: the process is killed (SIGKILL) right after a
 * rename onto "nss.cache" succeeds, as a crash or an OOM kill between publishing the cache
 * and recording sync.status would leave it. Nothing in hostiam itself knows about it.
 */
#include "config.h"

#include <dlfcn.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

/* Whether path names the published cache. */
static int is_cache(const char *path)
{
	const char *slash = strrchr(path, '/');

	return strcmp(slash ? slash + 1 : path, "nss.cache") == 0;
}

/* renameat(2), then SIGKILL when it published the cache. */
int renameat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath)
{
	int (*real)(int, const char *, int, const char *);
	int r;

	*(void **)&real = dlsym(RTLD_NEXT, "renameat");
	r = real(olddirfd, oldpath, newdirfd, newpath);
	if (r == 0 && is_cache(newpath))
		raise(SIGKILL);
	return r;
}

/* rename(2), likewise. */
int rename(const char *oldpath, const char *newpath)
{
	int (*real)(const char *, const char *);
	int r;

	*(void **)&real = dlsym(RTLD_NEXT, "rename");
	r = real(oldpath, newpath);
	if (r == 0 && is_cache(newpath))
		raise(SIGKILL);
	return r;
}
