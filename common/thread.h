/* SPDX-License-Identifier: BSD-2-Clause */
/* Helper threads of the agent and the writers. */
#ifndef HOSTIAM_THREAD_H
#define HOSTIAM_THREAD_H

#include <pthread.h>
#include <stdbool.h>

/* Start fn(arg) on a thread that takes no signals (they stay with the caller's); 0 or errno. */
int hostiam_thread_spawn(pthread_t *t, void *(*fn)(void *), void *arg);

/*
 * Start fn(arg) on such a thread, or run it here when none starts (the same work, only
 * later). True when it runs on *t: join it with hostiam_thread_join.
 */
bool hostiam_thread_start(pthread_t *t, void *(*fn)(void *), void *arg);

/* Join *t if hostiam_thread_start started it (*threaded), and note that it is done. */
void hostiam_thread_join(pthread_t *t, bool *threaded);

/* fn(a) here and fn(b) on a thread at the same time (both here if no thread starts). */
void hostiam_thread_halves(void *(*fn)(void *), void *a, void *b);

#endif
