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

bool hostiam_thread_start(pthread_t *t, void *(*fn)(void *), void *arg)
{
	if (hostiam_thread_spawn(t, fn, arg) == 0)
		return true;
	fn(arg);
	return false;
}

void hostiam_thread_join(pthread_t *t, bool *threaded)
{
	if (*threaded)
		pthread_join(*t, NULL);
	*threaded = false;
}

void hostiam_thread_halves(void *(*fn)(void *), void *a, void *b)
{
	pthread_t t;
	bool threaded = hostiam_thread_spawn(&t, fn, b) == 0;

	fn(a);
	if (threaded)
		pthread_join(t, NULL);
	else
		fn(b);
}
