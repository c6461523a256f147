/* SPDX-License-Identifier: BSD-2-Clause */
/* Helper threads of the agent and the writers. */
#ifndef HOSTIAM_THREAD_H
#define HOSTIAM_THREAD_H

#include <pthread.h>

/* Start fn(arg) on a thread that takes no signals (they stay with the caller's); 0 or errno. */
int hostiam_thread_spawn(pthread_t *t, void *(*fn)(void *), void *arg);

#endif
