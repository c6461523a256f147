/* SPDX-License-Identifier: BSD-2-Clause */
#include "config.h"
#include "errors.h"

const char *hostiam_strerror(int err)
{
	switch (err) {
	case HOSTIAM_OK:
		return "success";
	case HOSTIAM_ERR_INTERNAL:
		return "internal error";
	case HOSTIAM_ERR_NOMEM:
		return "out of memory";
	case HOSTIAM_ERR_SYSTEM:
		return "system error";
	case HOSTIAM_ERR_CONFIG:
		return "invalid configuration";
	case HOSTIAM_ERR_CACHE_MISSING:
		return "cache file missing";
	case HOSTIAM_ERR_CACHE_CORRUPT:
		return "cache file corrupted";
	case HOSTIAM_ERR_CACHE_VERSION:
		return "cache file has an unsupported format version";
	case HOSTIAM_ERR_NOT_FOUND:
		return "not found";
	case HOSTIAM_ERR_TOO_SMALL:
		return "buffer too small";
	case HOSTIAM_ERR_INVALID_ARG:
		return "invalid argument";
	case HOSTIAM_ERR_INSECURE_FILE:
		return "insecure file ownership or permissions";
	case HOSTIAM_ERR_DIRECTORY:
		return "directory error";
	case HOSTIAM_ERR_TIMEOUT:
		return "directory timed out";
	case HOSTIAM_ERR_TLS:
		return "TLS error";
	case HOSTIAM_ERR_SHRINK:
		return "sync refused: the directory lost more than half of the cached entries";
	case HOSTIAM_ERR_UNAVAILABLE:
		return "no directory server reachable";
	case HOSTIAM_ERR_INVALID_NAME:
		return "invalid name";
	case HOSTIAM_ERR_BAD_ENROLMENT:
		return "MFA enrolment file malformed";
	}
	return "unknown error";
}
