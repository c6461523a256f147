/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Sudo rules from the directory (directory.sudo): the sudoRole entries under its base that
 * are for this host, rendered in sudoOrder to its file, which sudo reads through
 * @includedir /etc/sudoers.d. Each rule that is left out is logged with its DN.
 */
#ifndef HOSTIAM_SUDO_SYNC_H
#define HOSTIAM_SUDO_SYNC_H

#include <ldap.h>
#include <signal.h>
#include <stddef.h>

#include "configuration.h"

/*
 * Read the rules on ld and install the file. Without a sudo section: 0, nothing read or
 * written. A read that fails, or a file visudo refuses even without the rules it refuses
 * alone, leaves the last good file in place: a HOSTIAM_ERR_* with the reason in err.
 */
int sudo_sync(const struct hostiam_config *cfg, LDAP *ld, const volatile sig_atomic_t *stop,
	      char *err, size_t err_len);

#endif
