/*
 * The agent's refresh watchdog: a thread that cuts the connections of a refresh that has
 * sent nothing for too long. A thread rather than a timer signal: a signal arriving while
 * libldap waits in poll() makes it report the server as gone, silent or not.
 */
#ifndef HOSTIAM_SYNC_WATCHDOG_H
#define HOSTIAM_SYNC_WATCHDOG_H

#include <stdatomic.h>

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

#endif
