/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Threads that cut directory connections: the agent's refresh watchdog (a refresh that has
 * sent nothing for too long), and the deadline of each directory operation. Threads rather
 * than timer signals: a signal arriving while libldap waits in poll() makes it report the
 * server as gone, silent or not.
 */
#ifndef HOSTIAM_SYNC_WATCHDOG_H
#define HOSTIAM_SYNC_WATCHDOG_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <time.h>

/* Bumped by whoever sees progress (an entry arrived); the watchdog compares it. */
extern atomic_ulong sync_watchdog_progress;

/* Start the thread (once; signals stay with the other threads). 0 or HOSTIAM_ERR_SYSTEM. */
int sync_watchdog_start(void);

/* Cut the watched sockets after seconds without progress; 0 disarms. */
void sync_watchdog_arm(int seconds);

/* Remember the socket of session slot (0 users, 1 groups); -1 forgets it. */
void sync_watchdog_watch(int slot, int fd);

/* Shut the watched sockets down now; async-signal-safe (for the stop handler). */
void sync_watchdog_cut(void);

/*
 * The deadline of one directory operation (connect+TLS+bind, or one search page): a thread
 * of its own shuts the operation's socket down for reading when it passes, so libldap,
 * blocked in a read that a server feeds one byte at a time, returns at once. libldap's own
 * timeouts restart with every byte and cannot bound the whole. Fields are private.
 */
struct sync_deadline {
	pthread_mutex_t lock;
	pthread_cond_t cond; /* signalled on watch and end */
	pthread_t thread;
	struct timespec at; /* CLOCK_MONOTONIC */
	int fd;             /* the socket to cut; -1 while none */
	bool ended;         /* the operation is over: the thread leaves */
	bool fired;         /* the deadline passed and fd was cut */
};

/* Start a deadline seconds from now. 0, or HOSTIAM_ERR_SYSTEM (no thread: do not go on). */
int sync_deadline_start(struct sync_deadline *dl, int seconds);

/*
 * A new deadline seconds from now for the next step of the same operation (a page of a
 * search), never earlier than the current one: no thread per step. Not after it fired.
 */
void sync_deadline_rearm(struct sync_deadline *dl, int seconds);

/* True when the deadline cut the socket (so far). */
bool sync_deadline_fired(struct sync_deadline *dl);

/* The socket to cut (-1: none any more); one known after the deadline is cut at once. */
void sync_deadline_watch(struct sync_deadline *dl, int fd);

/* True once the deadline has passed (by the clock, whether or not a socket was cut). */
bool sync_deadline_passed(const struct sync_deadline *dl);

/*
 * End the operation and wait for the thread: from then on the socket is never touched, so
 * it may be closed. True when the deadline cut the socket (the operation failed by it).
 */
bool sync_deadline_end(struct sync_deadline *dl);

#endif
