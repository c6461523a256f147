/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The password of hostiam enroll --directory / --self: from a file under StrictModes (the
 * checks of the agent's bind password), or asked with the terminal's echo off. Never from
 * the command line or the environment, where other users and logs can see it.
 */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "commands.h"
#include "dir_password.h"
#include "enroll.h"

/* A line of standard input into buf, without its newline; -1 at EOF or when too long. */
static int read_secret_line(char *buf, size_t len)
{
	size_t n;

	if (fgets(buf, (int)len, stdin) == NULL)
		return -1;
	n = strlen(buf);
	if (n > 0 && buf[n - 1] == '\n')
		buf[--n] = '\0';
	else if (!feof(stdin))
		return -1; /* longer than any password we take */
	return 0;
}

/* Show the prompt: on standard output, where the rest of the dialogue is. */
static void show(const char *prompt)
{
	printf("%s", prompt);
	fflush(stdout);
}

/*
 * Ask on the terminal with echo off (Ctrl-C and Ctrl-Z held off meanwhile, so the echo is
 * always put back); without a terminal on standard input, read a line of it. The echo
 * goes off before the prompt shows, so nothing typed after the prompt is ever echoed.
 */
static int ask(const char *prompt, char *buf, size_t len)
{
	struct termios saved, quiet;
	sigset_t hold, old;
	int r = -1;

	if (tcgetattr(STDIN_FILENO, &saved) != 0) {
		show(prompt);
		return read_secret_line(buf, len);
	}
	sigemptyset(&hold);
	sigaddset(&hold, SIGINT);
	sigaddset(&hold, SIGTSTP);
	sigaddset(&hold, SIGQUIT);
	sigprocmask(SIG_BLOCK, &hold, &old);
	quiet = saved;
	quiet.c_lflag &= ~(tcflag_t)ECHO;
	quiet.c_lflag |= ECHONL;
	if (tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0) {
		show(prompt);
		r = read_secret_line(buf, len);
	}
	tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return r;
}

int enroll_read_password(const char *prompt, const char *path, char *buf, size_t len)
{
	char why[512];
	int r;

	if (path != NULL) {
		r = dir_password_read(path, buf, len, why, sizeof(why));
		if (r < 0) {
			fprintf(stderr, "hostiam: enroll: %s\n", why);
			return EXIT_FAILED;
		}
	} else if (ask(prompt, buf, len) < 0) {
		explicit_bzero(buf, len);
		fprintf(stderr, "hostiam: enroll: no password given\n");
		return EXIT_FAILED;
	}
	if (buf[0] == '\0') {
		fprintf(stderr, "hostiam: enroll: the password is empty\n");
		return EXIT_FAILED;
	}
	return EXIT_OK;
}
