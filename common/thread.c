/* SPDX-License-Identifier: BSD-2-Clause */
/* Helper threads (see thread.h). */
#include "config.h"

#include <signal.h>

#include "thread.h"

int hostiam_thread_spawn(pthread_t *t, void *(*fn)(void *), void *arg)
{
	sigset_t all, old;
	int rc;

	/* The thread inherits the mask: SIGTERM and friends must reach the main thread. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(t, NULL, fn, arg);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return rc;
}
