/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A base of the directory followed by a thread of its own, with its own connection. It
 * keeps an RFC 4533 refreshAndPersist search open on the base that asks for no
 * attributes: a message on it only says "an entry changed", and the answer is to read the
 * whole base again (the spec's sync) 100 ms later, at most once a second. Such bases hold
 * tens or hundreds of small entries, so reading them whole costs less than keeping a model
 * in step, and whatever the server sends, the result is what the base holds now. The
 * thread shares nothing with the users' and groups' sessions: neither one's failures,
 * reconnections or fallback reach the other. Without syncrepl, it reads the base every
 * directory.refresh seconds. The sudo rules (sudo_follow.h) and the grants
 * (grants_follow.h) are followed this way.
 */
#ifndef HOSTIAM_BASE_FOLLOW_H
#define HOSTIAM_BASE_FOLLOW_H

#include <ldap.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "configuration.h"
#include "dir_conn.h"
#include "log.h"

/* What one follower follows. */
struct base_follow_spec {
	const char *what;   /* for the log: "sudo rules", "grants" */
	const char *filter; /* of the entries, e.g. "(objectClass=sudoRole)" */
	/* The base in d; NULL: nothing to follow. */
	const char *(*base)(const struct hostiam_directory_config *d);
	/* Read the base on ld and apply it; 0 or a HOSTIAM_ERR_* with the reason in err. */
	int (*sync)(const struct hostiam_config *cfg, LDAP *ld, const volatile sig_atomic_t *stop,
		    char *err, size_t err_len);
};

/* One follower's state (zero-initialised, static: one per spec). */
struct base_follower {
	const struct base_follow_spec *spec;
	const struct hostiam_config *cfg;
	hostiam_log_fn sink;
	void *sink_ctx;
	struct dir_conn conn;
	ldap_sync_t ls;
	bool refreshed; /* the refresh is over: what comes now is a change */
	bool changed;   /* a change came since the last read */
	bool ended;     /* the server ended the search */
	pthread_t thread;
	atomic_bool running;
	volatile sig_atomic_t stopping;
};

/*
 * Start f's thread for spec when cfg has its base (else do nothing); its lines go to sink
 * (with ctx). cfg must outlive base_follow_stop. Returns 0 or HOSTIAM_ERR_SYSTEM.
 */
int base_follow_start(struct base_follower *f, const struct base_follow_spec *spec,
		      const struct hostiam_config *cfg, hostiam_log_fn sink, void *ctx);

/* Ask the thread to stop and wait for it (1.5 s at most: after that it is left to exit). */
void base_follow_stop(struct base_follower *f);

/* Whether the thread is running: then sync_full leaves that base to it. */
bool base_follow_active(struct base_follower *f);

#endif
