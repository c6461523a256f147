/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * syslog_shim.so: a test-only LD_PRELOAD library that catches syslog() calls (libpam's
 * pam_syslog, the module's own lines) and appends them to the file named by
 * $HOSTIAM_TEST_SYSLOG as "FACILITY.LEVEL MESSAGE", so tests can assert the exact lines a
 * login writes. Without the variable, lines are dropped. Never part of an installed build.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

static const char *const level_names[] = {
	"emerg", "alert", "crit", "err", "warning", "notice", "info", "debug",
};

/* The facility of pri by name; the ones the tests care about, else its number. */
static const char *facility_name(int pri, char *buf, size_t len)
{
	switch (pri & LOG_FACMASK) {
	case LOG_AUTHPRIV:
		return "authpriv";
	case LOG_AUTH:
		return "auth";
	case LOG_USER:
		return "user";
	case 0:
		return "default";
	}
	snprintf(buf, len, "facility%d", LOG_FAC(pri));
	return buf;
}

/* Format one message and append it, in one write so concurrent lines do not mix. */
static void shim_log(int pri, const char *fmt, va_list ap)
{
	const char *path = getenv("HOSTIAM_TEST_SYSLOG");
	char msg[2048], line[2200], fac[32];
	int saved = errno, fd, n;

	if (path == NULL || *path == '\0')
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	n = snprintf(line, sizeof(line), "%s.%s %s\n", facility_name(pri, fac, sizeof(fac)),
		     level_names[LOG_PRI(pri)], msg);
	if (n < 0)
		goto out;
	if ((size_t)n >= sizeof(line))
		n = (int)sizeof(line) - 1;
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (fd >= 0) {
		if (write(fd, line, (size_t)n) < 0) {
			/* nothing to do: the test will miss the line and say so */
		}
		close(fd);
	}
out:
	errno = saved;
}

/* The replacements: each formats the line and appends it to the capture file. */
void syslog(int pri, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	shim_log(pri, fmt, ap);
	va_end(ap);
}

void vsyslog(int pri, const char *fmt, va_list ap)
{
	shim_log(pri, fmt, ap);
}

/* The _FORTIFY_SOURCE entry points that glibc-built libraries (libpam) call instead. */
void __syslog_chk(int pri, int flag, const char *fmt, ...);
void __vsyslog_chk(int pri, int flag, const char *fmt, va_list ap);

void __syslog_chk(int pri, int flag, const char *fmt, ...)
{
	va_list ap;

	(void)flag;
	va_start(ap, fmt);
	shim_log(pri, fmt, ap);
	va_end(ap);
}

void __vsyslog_chk(int pri, int flag, const char *fmt, va_list ap)
{
	(void)flag;
	shim_log(pri, fmt, ap);
}
