/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The reply of the password helper (hostiam-auth) to the PAM module, on a pipe:
 *
 *   line 1  RESULT[ KEY=INT]...          RESULT one of the names below; keys only on ok
 *   line 2  the directory's message      optional, at most 255 bytes, no control characters
 *
 * Both lines end in '\n' and nothing follows. The helper writes it with
 * hostiam_auth_reply_format(), the module reads it with hostiam_auth_reply_parse(); a reply
 * that does not parse is an error, never a success (fail closed).
 */
#ifndef HOSTIAM_AUTH_REPLY_H
#define HOSTIAM_AUTH_REPLY_H

#include <stdbool.h>
#include <stddef.h>

enum hostiam_auth_result {
	HOSTIAM_AUTH_OK,          /* bound as the user (change: the password was changed) */
	HOSTIAM_AUTH_WRONG,       /* invalid credentials, no password policy error */
	HOSTIAM_AUTH_LOCKED,      /* the account is locked or inactivated */
	HOSTIAM_AUTH_EXPIRED,     /* the password expired, no grace login left */
	HOSTIAM_AUTH_UNKNOWN,     /* no entry for the user in the directory */
	HOSTIAM_AUTH_REJECTED,    /* change: the directory refused the new password */
	HOSTIAM_AUTH_UNREACHABLE, /* no server answered within the timeout */
	HOSTIAM_AUTH_REFUSED, /* the password may not be sent (cleartext off-host, no directory) */
	HOSTIAM_AUTH_ERROR,   /* anything else */
};

/* The longest message line (without its newline). */
#define HOSTIAM_AUTH_MESSAGE_MAX 255
/* Room for any reply hostiam_auth_reply_format() writes, and the most parse accepts. */
#define HOSTIAM_AUTH_REPLY_MAX 512

struct hostiam_auth_reply {
	enum hostiam_auth_result result;
	long expires_in;  /* ok: seconds until the password expires, or -1 (not said) */
	int grace;        /* ok: grace logins left after this one (0 included), or -1 */
	bool must_change; /* ok: the password must be changed now */
	/* the directory's message, clean (see hostiam_auth_reply_set_message), "" for none */
	char message[HOSTIAM_AUTH_MESSAGE_MAX + 1];
};

/* r becomes result with no keys and no message. */
void hostiam_auth_reply_init(struct hostiam_auth_reply *r, enum hostiam_auth_result result);

/*
 * Copy msg (NULL: none) into r->message, safe to show on a terminal and to put on one line:
 * control characters (C0, DEL, C1) and bytes that are not valid UTF-8 become '?'; cut at
 * HOSTIAM_AUTH_MESSAGE_MAX bytes, never inside a UTF-8 sequence.
 */
void hostiam_auth_reply_set_message(struct hostiam_auth_reply *r, const char *msg);

/* "ok", "wrong", ...: the word of line 1 (never NULL; "error" for a value out of range). */
const char *hostiam_auth_result_name(enum hostiam_auth_result result);

/*
 * Write r into buf (NUL-terminated) and its length without the NUL into *out_len. Keys are
 * written for ok only; the message as set_message would keep it. Returns 0,
 * HOSTIAM_ERR_INVALID_ARG (a result or key out of range) or HOSTIAM_ERR_TOO_SMALL.
 */
int hostiam_auth_reply_format(const struct hostiam_auth_reply *r, char *buf, size_t len,
			      size_t *out_len);

/*
 * Read the len bytes of buf (no NUL needed) as a reply into *out. Strict: a known result,
 * known keys once each with a decimal value in range, and only on ok; each line ends in
 * '\n', nothing follows line 2, no NUL byte, at most HOSTIAM_AUTH_REPLY_MAX bytes. The
 * message is cleaned again as set_message does. Returns 0 and fills *out, or
 * HOSTIAM_ERR_INVALID_ARG (*out untouched).
 */
int hostiam_auth_reply_parse(const char *buf, size_t len, struct hostiam_auth_reply *out);

#endif
