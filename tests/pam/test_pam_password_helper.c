/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_pam_password_helper: run pam_module/helper_run.c the way the module does, inside a
 * process that behaves like a host application, for test_pam_password_helper.sh.
 *
 *   test_pam_password_helper [-s] [-f] HELPER TIMEOUT VERB
 *
 * The input is "secret-password" and a NUL, the user "alice", the config "/x/hostiam.conf".
 * -s installs a SIGCHLD handler like sshd's, which reaps every child it can with
 * waitpid(-1, WNOHANG); -f leaves fd 7 open without FD_CLOEXEC (the helper must not get
 * it). SIGPIPE is left at its default, so a write to a dead helper that raised it would
 * kill this program. Prints "result=NAME ms=ELAPSED", the reply on the next lines, then
 * "children=none" when no child is left to reap (no zombie) and, with -s,
 * "sigchld=delivered" when the host's handler still ran. Exit 0 unless usage was wrong.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "password.h"

static volatile sig_atomic_t sigchld_seen;

/* sshd's habit: reap whatever has exited, whoever started it. */
static void reap_all(int sig)
{
	int saved = errno;

	(void)sig;
	sigchld_seen = 1;
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	errno = saved;
}

static const char *result_name(int r)
{
	switch (r) {
	case HELPER_RUN_OK:
		return "ok";
	case HELPER_RUN_TIMEOUT:
		return "timeout";
	case HELPER_RUN_FAILED:
		return "failed";
	default:
		return "syserr";
	}
}

static long long ms_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int main(int argc, char **argv)
{
	static const char input[] = "secret-password";
	struct helper_run run = { NULL, "/x/hostiam.conf", NULL, "alice", input, sizeof(input), 0 };
	char out[600];
	size_t n = 0;
	long long t0;
	bool sigchld = false;
	int opt, r;

	while ((opt = getopt(argc, argv, "sf")) != -1) {
		if (opt == 's') {
			struct sigaction sa;

			memset(&sa, 0, sizeof(sa));
			sa.sa_handler = reap_all;
			sigaction(SIGCHLD, &sa, NULL);
			sigchld = true;
		} else if (opt == 'f') {
			int fd = open("/dev/null", O_RDONLY);

			if (fd < 0 || dup2(fd, 7) < 0)
				return 2;
		} else {
			return 2;
		}
	}
	if (argc - optind != 3)
		return 2;
	run.helper = argv[optind];
	run.timeout = atoi(argv[optind + 1]);
	run.verb = argv[optind + 2];
	signal(SIGPIPE, SIG_DFL);
	t0 = ms_now();
	r = pam_hostiam_helper_run(&run, out, sizeof(out), &n);
	printf("result=%s ms=%lld\n", result_name(r), ms_now() - t0);
	if (r == HELPER_RUN_OK)
		fwrite(out, 1, n, stdout);
	/* Anything left to reap is a zombie the module would have left in the host. */
	if (waitpid(-1, NULL, WNOHANG) < 0 && errno == ECHILD)
		printf("children=none\n");
	else
		printf("children=left\n");
	if (sigchld && sigchld_seen)
		printf("sigchld=delivered\n");
	return 0;
}
