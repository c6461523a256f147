/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The checks of single sudoRole values, each turning a value into sudoers text or refusing
 * it. Used by sudo_render.c only. Each returns SUDO_VALUE_OK (text appended to b),
 * SUDO_VALUE_DROP (a form this host does not serve, left out: reason in why) or
 * SUDO_VALUE_BAD (the rule must be left out: reason in why).
 */
#ifndef HOSTIAM_SUDO_VALUES_H
#define HOSTIAM_SUDO_VALUES_H

#include <stddef.h>

#include "sudo_render.h"

#define SUDO_VALUE_OK 0
#define SUDO_VALUE_DROP 1
#define SUDO_VALUE_BAD 2

/* Whether a sudoers line may hold the name as it is: a portable name, not an alias. */
int sudo_value_name(const char *name, char *why, size_t why_len);

/* A sudoUser: [!]ALL, [!]name, [!]%group; uids, gids, netgroups, %:groups dropped. */
int sudo_value_user(const char *v, struct sudo_buf *b, char *why, size_t why_len);

/* A sudoRunAsUser: [!]ALL, [!]name, [!]%group, [!]#uid. */
int sudo_value_runas_user(const char *v, struct sudo_buf *b, char *why, size_t why_len);

/* A sudoRunAsGroup: [!]ALL, [!]name, [!]#gid. */
int sudo_value_runas_group(const char *v, struct sudo_buf *b, char *why, size_t why_len);

/*
 * A sudoCommand: [!]ALL, or [!][digest ]PATH[ ARGS], PATH absolute or "sudoedit"; ',', ':'
 * and '=' in ARGS escaped for sudoers; '\', '#', '"' (but a lone ""), control and non-ASCII
 * bytes refused.
 */
int sudo_value_command(const char *v, struct sudo_buf *b, char *why, size_t why_len);

/* The sudoOptions of a rule that sudoers can say on a rule line: tags and a few options. */
struct sudo_opts {
	signed char tag[8]; /* -1 unset, 0 the NO form, 1 the positive form (see sudo_values.c) */
	char value[5][128]; /* TIMEOUT, CWD, CHROOT, ROLE, TYPE; "" unset */
};

void sudo_opts_init(struct sudo_opts *o);

/* Fold one sudoOption into o; an option sudoers cannot hold per rule is SUDO_VALUE_BAD. */
int sudo_value_option(const char *v, struct sudo_opts *o, char *why, size_t why_len);

/* Append o as "OPT=value ... DATES TAG: TAG: " (dates: "" or "NOTBEFORE=... "). */
void sudo_opts_render(const struct sudo_opts *o, const char *dates, struct sudo_buf *b);

#endif
