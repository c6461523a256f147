/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The whole of hostiam.conf as one typed structure, loaded and validated with libconfig.
 * (Named configuration.h because config.h is autoconf's.)
 */
#ifndef HOSTIAM_CONFIGURATION_H
#define HOSTIAM_CONFIGURATION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "cidr.h"
#include "time_window.h"
#include "tz.h"

#define HOSTIAM_DEFAULT_CONFIG SYSCONFDIR "/hostiam/hostiam.conf"

struct hostiam_strlist {
	char **items;
	size_t n;
};

struct hostiam_directory_config {
	bool configured;             /* the section is there; false: no sync, no cache, no agent */
	struct hostiam_strlist uris; /* failover, tried in order; ldap:// or ldaps:// */
	char *base;
	char *bind_dn;               /* NULL: anonymous bind */
	char *bind_password_file;    /* NULL unless bind_dn is set */
	int bind_password_file_line; /* where each file is named, for config-check's errors */
	bool starttls;
	char *tls_ca_file; /* NULL: the system default trust store */
	int tls_ca_file_line;
	int timeout;         /* seconds, connect and each operation (default 5) */
	int page_size;       /* default 500 */
	int refresh;         /* seconds between full syncs without syncrepl (300) */
	char *users_base;    /* default: base */
	char *users_filter;  /* default (objectClass=posixAccount) */
	char *groups_base;   /* default: base */
	char *groups_filter; /* default (|(objectClass=posixGroup)(objectClass=groupOfNames)) */
	struct hostiam_strlist group_members; /* default [ "memberUid", "member" ] */
	bool referrals;                       /* default false */
	char *map_totp_secret;                /* default hostiamTotpSecret */
	char *map_ssh_key;                    /* default sshPublicKey */
	/* Account state attributes (directory.map), read by the sync into auth.cache. */
	char *map_shadow_expire;      /* default shadowExpire: days since 1970, account end */
	char *map_shadow_last_change; /* default shadowLastChange: days since 1970 */
	char *map_shadow_max;         /* default shadowMax: days a password lasts */
	char *map_locked_time;        /* default pwdAccountLockedTime (ppolicy) */
	char *map_account_lock;       /* default nsAccountLock (389-DS): TRUE disables */
	char *map_ad_control;         /* default userAccountControl: bit 0x2 disables */
	char *map_ad_expires;         /* default accountExpires: AD FILETIME, 0/max never */
	uint32_t min_uid;             /* default 1000 */
	uint32_t min_gid;             /* default 1000 */
	/* directory.sudo: sudo rules read from sudo_base (sudoRole entries, never the whole
	   tree: no default) into sudo_file. NULL sudo_base: no sudo section, and the agent
	   never touches the sudoers directory. */
	char *sudo_base;
	char *sudo_file; /* default /etc/sudoers.d/hostiam */
	/* directory.grants: requests and grants of just-in-time elevation (hostiamGrant
	   entries) under grants_base, never the whole tree: no default. NULL: grants live in
	   the host's state directory (grants.h). */
	char *grants_base;
};

struct hostiam_cache_config {
	char *dir;       /* default LOCALSTATEDIR/lib/hostiam */
	long max_age;    /* seconds; default 86400 */
	char *nss_path;  /* derived: dir/nss.cache */
	char *auth_path; /* derived: dir/auth.cache */
	char *state_dir; /* derived: dir/state */
};

enum hostiam_totp_algorithm {
	HOSTIAM_TOTP_SHA1,
	HOSTIAM_TOTP_SHA256,
	HOSTIAM_TOTP_SHA512
};

struct hostiam_mfa_config {
	char *issuer;                          /* default: the host name */
	enum hostiam_totp_algorithm algorithm; /* default sha1 */
	int digits;                            /* 6..8, default 6 */
	int period;                            /* seconds, default 30 */
	int window;                            /* steps either way, default 1 */
	int max_failures;                      /* default 5 */
	int lockout;                           /* seconds, default 300: the first lockout */
	int lockout_max; /* seconds, default 86400 (or lockout if longer): each
	                                  lockout in a row lasts twice the one before, up to this */
};

enum hostiam_action {
	HOSTIAM_ACTION_ALLOW,
	HOSTIAM_ACTION_DENY,
	HOSTIAM_ACTION_MFA
};
enum hostiam_mode {
	HOSTIAM_MODE_ENFORCE,
	HOSTIAM_MODE_REPORT
};

/* struct hostiam_cidr and struct hostiam_time_window, with their parsers, live in
 * cidr.h and time_window.h so the policy engine can use them on their own. */

/* A tri-state condition: absent, or required to be true/false. */
enum hostiam_tristate {
	HOSTIAM_UNSET = -1,
	HOSTIAM_FALSE = 0,
	HOSTIAM_TRUE = 1
};

struct hostiam_rule {
	char *name;
	int line; /* line of the rule in the file, for traces */
	struct hostiam_strlist users;
	struct hostiam_strlist groups;
	struct hostiam_strlist services;
	struct hostiam_cidr *from; /* CIDRs of `from` */
	size_t n_from;
	bool from_local; /* `from` contains "local" */
	bool has_from;   /* `from` was given at all */
	struct hostiam_strlist ttys;
	struct hostiam_time_window *times;
	size_t n_times;
	int inactive_days;    /* -1: unset */
	int certified_within; /* days; -1: unset (certify.h) */
	enum hostiam_tristate enrolled;
	enum hostiam_tristate offline;
	enum hostiam_action action;
	long mfa_max_age;            /* -1: unset */
	time_t enrol_by;             /* 0: unset; else midnight after that date, in access.tz */
	unsigned long enrol_by_date; /* the date as written, YYYYMMDD; 0: unset */
	char *message;               /* NULL: none */
	char *terms_name;            /* `terms`: the terms of use a login must have accepted;
	                                NULL: none (allow and mfa rules only) */
	int terms_index;             /* terms_name's entry in cfg->terms; -1: none */
};

struct hostiam_access_config {
	enum hostiam_mode mode;             /* default enforce */
	enum hostiam_action default_action; /* default deny */
	struct hostiam_strlist exempt;      /* default [ "root" ] */
	/* Services that cannot prompt: an `mfa` decision lets them through unprompted, deny
	   rules and the account state still apply. Default cron, atd, systemd-user,
	   runuser, runuser-l. */
	struct hostiam_strlist non_interactive;
	/* Services that do not prompt when the caller (the real uid) is root: default su,
	   su-l (root switching to a user needs no second factor). */
	struct hostiam_strlist root_switch;
	struct hostiam_rule *rules;
	size_t n_rules;
	char *timezone;        /* access.timezone; NULL: the host's zone */
	struct hostiam_tz *tz; /* the zone of time windows and enrol_by, never $TZ:
	                                  timezone's, else /etc/localtime, else UTC */
};

/* The `password` section: directory passwords (the PAM option `password`). */
struct hostiam_password_config {
	int offline_days; /* a verifier younger than this serves when the directory is
	                     unreachable; 0 disables; default 7 */
};

/* One `elevation` entry: a group whose membership is granted for a while (grants.h). */
enum hostiam_reason_rule {
	HOSTIAM_REASON_REQUIRED, /* default: every request carries a reason */
	HOSTIAM_REASON_OPTIONAL
};

struct hostiam_elevation {
	char *role;                       /* the group granted */
	struct hostiam_strlist eligible;  /* groups whose members may request it */
	struct hostiam_strlist approvers; /* groups whose members may approve (never their own) */
	long max;                         /* seconds, the longest grant */
	bool mfa;                         /* a TOTP code at the first use of each grant */
	enum hostiam_reason_rule reason;
	int line; /* of the entry, for messages */
};

/* One `terms` entry: terms of use a rule may require to have been accepted (terms.h). */
struct hostiam_terms {
	char *name;        /* [A-Za-z0-9._-], at most HOSTIAM_TERMS_NAME_MAX */
	char *version;     /* same alphabet; a new version asks everyone again */
	char *file;        /* the text shown; root-owned, not group/world-writable */
	int reaccept_days; /* an acceptance older than this asks again; 0: never */
	int line;          /* of the entry, for messages */
};

#define HOSTIAM_TERMS_NAME_MAX 32

/* The `audit` section: where the audit trail goes (audit.h). Absent: all defaults. */
struct hostiam_audit_config {
	bool file;     /* <state_dir>/audit.jsonl; default true */
	bool journal;  /* the journal, where built with libsystemd; default true */
	long max_size; /* bytes before the file is rotated; default 16 MiB */
	int keep;      /* rotated files kept: audit.jsonl.1 .. .keep; default 4 */
};

struct hostiam_config {
	char *path;
	struct hostiam_directory_config directory;
	struct hostiam_cache_config cache;
	struct hostiam_mfa_config mfa;
	struct hostiam_access_config access;
	struct hostiam_password_config password;
	struct hostiam_elevation *elevation; /* in file order; roles are unique */
	size_t n_elevation;
	struct hostiam_terms *terms; /* in file order; names are unique */
	size_t n_terms;
	struct hostiam_audit_config audit;
};

/* One configuration mistake: where it is and what is wrong. */
struct hostiam_config_error {
	char file[256];
	int line;      /* 0 when unknown */
	char key[128]; /* dotted path, e.g. "access.rules.[2].from"; "" when none */
	char message[256];
};

#define HOSTIAM_CONFIG_MAX_ERRORS 32

struct hostiam_config_errors {
	size_t n; /* errors recorded (at most HOSTIAM_CONFIG_MAX_ERRORS) */
	struct hostiam_config_error items[HOSTIAM_CONFIG_MAX_ERRORS];
};

/*
 * Load and validate path. On success *out owns a new configuration (free it with
 * hostiam_config_free) and 0 is returned. On failure returns HOSTIAM_ERR_CONFIG (or
 * HOSTIAM_ERR_SYSTEM when the file cannot be read) and errs lists every mistake found.
 */
int hostiam_config_load(const char *path, struct hostiam_config **out,
			struct hostiam_config_errors *errs);

/*
 * As hostiam_config_load, for a command that reads only the keys under the dotted names in
 * need (NULL-terminated, e.g. { "cache", "directory.min_uid", NULL }), so that a mistake
 * elsewhere (a typo in an access rule) does not stop it. When the file is readable, parses,
 * and every mistake spares those keys, *out is set and 0 is returned, errs still listing
 * the mistakes for the caller to log; only the keys in need may then be trusted. A mistake
 * with no key (the file's owner or mode, an @include) spares nothing.
 */
int hostiam_config_load_needing(const char *path, const char *const *need,
				struct hostiam_config **out, struct hostiam_config_errors *errs);

/*
 * As hostiam_config_load, from text in memory; name stands for the file in errors. Used by
 * tests and the fuzzer. @include directives are resolved relative to the current directory.
 */
int hostiam_config_load_string(const char *text, const char *name, struct hostiam_config **out,
			       struct hostiam_config_errors *errs);

/*
 * Format one error as "FILE:LINE: KEY: MESSAGE" into buf (always NUL-terminated when len > 0).
 * ":LINE" is left out when the line is unknown (0), "KEY: " when there is no key.
 */
void hostiam_config_error_format(const struct hostiam_config_error *e, char *buf, size_t len);

/*
 * config-check's look at the files cfg names (directory.tls_ca_file, bind_password_file):
 * each must be a regular file the caller can read, else one error naming the key, the file
 * and why, at the line of the key. Each terms file must be as a login reads it (terms.h:
 * root's or the caller's, not group/world-writable, no symlink), at its entry's line. A file that only root may read is not held against a
 * caller who is not root: it is counted in *unchecked instead. Returns the errors added.
 */
size_t hostiam_config_check_files(const struct hostiam_config *cfg,
				  struct hostiam_config_errors *errs, size_t *unchecked);

/* Free cfg and everything it owns; NULL is a no-op. */
void hostiam_config_free(struct hostiam_config *cfg);

#endif
