/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Just-in-time elevation from the directory (directory.grants): the hostiamGrant entries
 * under its base (conf/hostiam-grants.schema), each approved one checked against this
 * host's elevation list, published to grants.cache, which the NSS module and the policy
 * engine read as in local mode (grants.h). Each grant refused is logged with its DN.
 */
#ifndef HOSTIAM_GRANTS_SYNC_H
#define HOSTIAM_GRANTS_SYNC_H

#include <ldap.h>
#include <signal.h>
#include <stddef.h>
#include <time.h>

#include "configuration.h"

/*
 * Read the base on ld and publish grants.cache at now. Without directory.grants: 0, nothing
 * read or written. A read that fails leaves grants.cache as it was: a HOSTIAM_ERR_* with
 * the reason in err.
 */
int grants_sync(const struct hostiam_config *cfg, LDAP *ld, const volatile sig_atomic_t *stop,
		time_t now, char *err, size_t err_len);

#endif
