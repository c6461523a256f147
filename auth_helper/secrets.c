/* SPDX-License-Identifier: BSD-2-Clause */
/* Reading the passwords from standard input, bounded, into memory that is wiped. */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "errors.h"
#include "secrets.h"

/* NUL bytes among the n bytes at p. */
static unsigned count_nuls(const char *p, size_t n)
{
	const char *end = p + n;
	unsigned c = 0;

	while (p < end && (p = memchr(p, '\0', (size_t)(end - p))) != NULL) {
		c++;
		p++;
	}
	return c;
}

/* Read until count NULs or EOF; the bytes read into s->buf, their number in *len. */
static int read_input(int fd, unsigned count, struct auth_secrets *s, size_t *len)
{
	size_t room = sizeof(s->buf) - 1, used = 0;
	unsigned nuls = 0;
	ssize_t n;

	while (nuls < count) {
		if (used == room)
			return HOSTIAM_ERR_TOO_SMALL;
		n = read(fd, s->buf + used, room - used);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return HOSTIAM_ERR_SYSTEM;
		if (n == 0)
			break;
		nuls += count_nuls(s->buf + used, (size_t)n);
		used += (size_t)n;
	}
	s->buf[used] = '\0'; /* ends a last password that ended at EOF */
	*len = used;
	return 0;
}

int auth_secrets_read(int fd, unsigned count, struct auth_secrets *s)
{
	const char *p, *end, **slots[2] = { &s->first, &s->second };
	size_t len = 0, n;
	unsigned i;
	int r;

	memset(s, 0, sizeof(*s));
	/* best effort: a password should not reach swap */
	(void)mlock(s, sizeof(*s));
	if (count < 1 || count > 2)
		return HOSTIAM_ERR_INVALID_ARG;
	if ((r = read_input(fd, count, s, &len)) < 0)
		return r;
	p = s->buf;
	end = s->buf + len;
	for (i = 0; i < count; i++) {
		/* nothing left: this password is missing (an empty one is sent as a NUL) */
		if (p >= end)
			return HOSTIAM_ERR_INVALID_ARG;
		n = strlen(p);
		if (n > HOSTIAM_AUTH_PASSWORD_MAX)
			return HOSTIAM_ERR_TOO_SMALL;
		*slots[i] = p;
		p += n + 1;
	}
	return 0;
}

void auth_secrets_wipe(struct auth_secrets *s)
{
	explicit_bzero(s, sizeof(*s));
	(void)munlock(s, sizeof(*s));
}
