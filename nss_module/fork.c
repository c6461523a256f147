/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fork() while another thread is inside a lookup must not hand the child a lock owned by
 * a thread that does not exist there (its next getpwnam would hang forever). So every
 * lock of the module is taken around fork, in the order lookups take them, and released
 * in the parent afterwards; the child, left with only the forking thread, starts from
 * fresh locks.
 */
#include "config.h"

#include "nss_hostiam.h"

/* Runs in the forking thread before fork(): wait for lookups in flight to finish. */
static void before_fork(void)
{
	pthread_mutex_lock(&nss_pwent.lock);
	pthread_mutex_lock(&nss_grent.lock);
	nss_cache_lock_exclusive();
}

/* Runs in the parent after fork(): the forking thread owns every lock. */
static void after_fork_parent(void)
{
	nss_cache_unlock_exclusive();
	pthread_mutex_unlock(&nss_grent.lock);
	pthread_mutex_unlock(&nss_pwent.lock);
}

/* Runs in the child, whose only thread is the forking one: start from fresh locks. */
static void after_fork_child(void)
{
	nss_cache_reset_in_child();
	nss_grent.lock = (pthread_mutex_t)PTHREAD_MUTEX_INITIALIZER;
	nss_pwent.lock = (pthread_mutex_t)PTHREAD_MUTEX_INITIALIZER;
}

/*
 * Registered when glibc loads the module. Handlers of a shared object are dropped again
 * if it is ever unloaded (glibc ties them to the object's __dso_handle).
 */
__attribute__((constructor)) static void register_fork_handlers(void)
{
	pthread_atfork(before_fork, after_fork_parent, after_fork_child);
}
