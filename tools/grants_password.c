/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The caller's directory password for the elevation commands in directory mode: asked on
 * the controlling terminal (/dev/tty, echo off), or read from a file descriptor the caller
 * opened (--password-fd N, for scripts). Never from argv or the environment, where other
 * users and logs can see it. Read a byte at a time, so no stdio buffer keeps a copy.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "grants_cli.h"

/* One line of fd into buf, without its newline; -1 when empty, too long or unreadable. */
static int read_line(int fd, char *buf, size_t len)
{
	size_t n = 0;
	char ch;
	ssize_t got;

	while ((got = read(fd, &ch, 1)) == 1 || (got < 0 && errno == EINTR)) {
		if (got < 0)
			continue;
		if (ch == '\n')
			break;
		if (n + 1 >= len)
			return -1;
		buf[n++] = ch;
	}
	buf[n] = '\0';
	ch = 0;
	return got < 0 || n == 0 ? -1 : 0;
}

/* Ask on the terminal tty with echo off; Ctrl-C, Ctrl-Z held off so the echo comes back. */
static int ask(int tty, const char *user, char *buf, size_t len)
{
	static const int held[] = { SIGINT, SIGTSTP, SIGQUIT };
	struct termios saved, quiet;
	sigset_t hold, old;
	char prompt[128];
	int r = -1;

	if (tcgetattr(tty, &saved) != 0)
		return -1;
	sigemptyset(&hold);
	for (size_t i = 0; i < sizeof(held) / sizeof(held[0]); i++)
		sigaddset(&hold, held[i]);
	sigprocmask(SIG_BLOCK, &hold, &old);
	quiet = saved;
	quiet.c_lflag &= ~(tcflag_t)ECHO;
	if (tcsetattr(tty, TCSAFLUSH, &quiet) == 0) {
		int n = snprintf(prompt, sizeof(prompt), "Directory password for %s: ", user);

		if (n > 0 && write(tty, prompt, (size_t)n) == n)
			r = read_line(tty, buf, len);
		if (write(tty, "\n", 1) != 1)
			r = -1;
	}
	tcsetattr(tty, TCSAFLUSH, &saved);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return r;
}

/* See grants_cli.h. */
int grants_read_password(const char *cmd, const char *user, int fd, char *buf, size_t len)
{
	int tty, r;

	if (fd >= 0) {
		r = read_line(fd, buf, len);
		close(fd);
	} else if ((tty = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC)) < 0) {
		fprintf(stderr,
			"hostiam: %s: no terminal to ask %s's directory password on "
			"(--password-fd N reads it from file descriptor N)\n",
			cmd, user);
		return -1;
	} else {
		r = ask(tty, user, buf, len);
		close(tty);
	}
	if (r < 0) {
		explicit_bzero(buf, len);
		fprintf(stderr, "hostiam: %s: no password given\n", cmd);
	}
	return r;
}
