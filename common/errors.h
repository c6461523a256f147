/* SPDX-License-Identifier: BSD-2-Clause */
/* hostiam error vocabulary: every common/ function returns 0 or one of these. */
#ifndef HOSTIAM_ERRORS_H
#define HOSTIAM_ERRORS_H

#define HOSTIAM_OK 0

enum hostiam_err {
	HOSTIAM_ERR_INTERNAL = -1,       /* a bug: an invariant did not hold */
	HOSTIAM_ERR_NOMEM = -2,          /* allocation failed */
	HOSTIAM_ERR_SYSTEM = -3,         /* a system call failed; errno says which */
	HOSTIAM_ERR_CONFIG = -4,         /* the configuration is invalid */
	HOSTIAM_ERR_CACHE_MISSING = -5,  /* no cache file at that path */
	HOSTIAM_ERR_CACHE_CORRUPT = -6,  /* truncated, damaged or hostile cache file */
	HOSTIAM_ERR_CACHE_VERSION = -7,  /* cache written by an incompatible version */
	HOSTIAM_ERR_NOT_FOUND = -8,      /* no such user, group or key */
	HOSTIAM_ERR_TOO_SMALL = -9,      /* caller's buffer is too small */
	HOSTIAM_ERR_INVALID_ARG = -10,   /* argument out of its domain */
	HOSTIAM_ERR_INSECURE_FILE = -11, /* wrong owner or mode, or a symlink */
	HOSTIAM_ERR_DIRECTORY = -12,     /* the LDAP server refused or failed */
	HOSTIAM_ERR_TIMEOUT = -13,       /* the directory did not answer in time */
	HOSTIAM_ERR_TLS = -14,           /* TLS setup or certificate verification failed */
	HOSTIAM_ERR_SHRINK = -15,        /* sync would drop too much of the cache */
	HOSTIAM_ERR_UNAVAILABLE = -16,   /* no directory server could be reached */
	HOSTIAM_ERR_INVALID_NAME = -17,  /* not a valid user or group name */
	HOSTIAM_ERR_BAD_ENROLMENT = -18, /* a local MFA enrolment file that cannot be parsed */
};

/* A static, human-readable description of err (never NULL). */
const char *hostiam_strerror(int err);

#endif
