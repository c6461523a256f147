/* SPDX-License-Identifier: BSD-2-Clause */
/* Reading the sudoRole entries under directory.sudo.base, and only there. */
#ifndef HOSTIAM_SUDO_FETCH_H
#define HOSTIAM_SUDO_FETCH_H

#include <ldap.h>
#include <signal.h>
#include <stddef.h>

#include "configuration.h"
#include "sudo_rule.h"

/*
 * Read every sudoRole entry in the subtree of cfg->directory.sudo_base (never above it) on
 * ld, with paged searches, into *out (empty on entry). The read is whole or an error: 0, or
 * a HOSTIAM_ERR_* of dir_paged_search with a one-line reason in err and *out emptied.
 * stop (may be NULL) ends the read within a second.
 */
int sudo_fetch(const struct hostiam_config *cfg, LDAP *ld, const volatile sig_atomic_t *stop,
	       struct sudo_rules *out, char *err, size_t err_len);

#endif
