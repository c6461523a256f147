/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Run the directory password helper (hostiam-auth) the way pam_unix runs unix_chkpwd, but
 * bounded in time: fork + execve with a fixed argv and an empty environment, the
 * password(s) on its standard input (never argv or environment, which /proc shows to
 * everyone), its reply read from its standard output until a wall-clock deadline, after
 * which it is killed and reaped. Only our own child is ever waited for: the host's
 * SIGCHLD handler (sshd's, sudo's) is left as it is, and SIGCHLD is held for this thread
 * meanwhile so that a handler calling waitpid(-1) cannot reap our child before we do.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "auth_reply.h"
#include "log.h"
#include "password.h"

/* Milliseconds on the monotonic clock: the deadline must not move with the wall clock. */
static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The helper must be a root-owned (or our own) regular file no one else may change. */
static int check_helper(const char *path)
{
	struct stat st;

	if (stat(path, &st) < 0) {
		hostiam_log(LOG_ERR, "password helper %s: %s", path, strerror(errno));
		return HELPER_RUN_SYSERR;
	}
	if (!S_ISREG(st.st_mode) || (st.st_uid != 0 && st.st_uid != geteuid()) ||
	    (st.st_mode & 022) != 0) {
		hostiam_log(LOG_ERR,
			    "password helper %s refused: must be a regular file owned by root "
			    "and writable by no one else",
			    path);
		return HELPER_RUN_SYSERR;
	}
	return HELPER_RUN_OK;
}

/* Close every fd from 3 up; close_range where the kernel has it, else one by one. */
static void close_from_3(int max_fd)
{
	int fd;

#ifdef SYS_close_range
	if (syscall(SYS_close_range, 3U, ~0U, 0U) == 0)
		return;
#endif
	for (fd = 3; fd < max_fd; fd++)
		close(fd);
}

/*
 * In the child, between fork and execve: async-signal-safe calls only (the host may have
 * threads holding locks). in/out become stdin/stdout, stderr goes to /dev/null, every other
 * fd is closed, signal dispositions and the mask are reset (the host may ignore or block
 * signals the helper relies on, such as SIGPIPE or SIGALRM), then execve or _exit(127).
 */
static void child(int in, int out, int max_fd, const char *path, char *const argv[])
{
	static char *const envp[] = { NULL };
	struct sigaction sa;
	sigset_t none;
	int sig, null_fd, hi_in, hi_out;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	for (sig = 1; sig < NSIG; sig++)
		(void)sigaction(sig, &sa, NULL);
	sigemptyset(&none);
	(void)sigprocmask(SIG_SETMASK, &none, NULL);
	/* Above 2 first: either end may sit on 0..2 when the host closed its own. */
	hi_in = fcntl(in, F_DUPFD, 3);
	hi_out = fcntl(out, F_DUPFD, 3);
	null_fd = open("/dev/null", O_WRONLY);
	if (hi_in < 0 || hi_out < 0 || null_fd < 0 || dup2(hi_in, 0) < 0 || dup2(hi_out, 1) < 0 ||
	    dup2(null_fd, 2) < 0)
		_exit(127);
	close_from_3(max_fd);
	execve(path, argv, envp);
	_exit(127);
}

/* Hand the input to the child: MSG_NOSIGNAL, so a dead child is EPIPE, never SIGPIPE. */
static int send_input(int fd, const char *input, size_t len)
{
	while (len > 0) {
		ssize_t n = send(fd, input, len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		input += n;
		len -= (size_t)n;
	}
	return shutdown(fd, SHUT_WR);
}

/*
 * Read the reply until EOF or the deadline. HELPER_RUN_OK at EOF, HELPER_RUN_TIMEOUT,
 * HELPER_RUN_FAILED for more than out_size - 1 bytes, HELPER_RUN_SYSERR.
 */
static int read_reply(int fd, long long deadline, char *out, size_t out_size, size_t *len)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	*len = 0;
	for (;;) {
		long long left = deadline - now_ms();
		ssize_t n;
		int r;

		if (left <= 0)
			return HELPER_RUN_TIMEOUT;
		r = poll(&p, 1, left > 60000 ? 60000 : (int)left);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return HELPER_RUN_SYSERR;
		if (r == 0)
			continue;
		n = read(fd, out + *len, out_size - 1 - *len);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n < 0)
			return HELPER_RUN_SYSERR;
		if (n == 0)
			break;
		*len += (size_t)n;
		if (*len == out_size - 1)
			return HELPER_RUN_FAILED; /* no reply is that long */
	}
	out[*len] = '\0';
	return HELPER_RUN_OK;
}

/*
 * Wait for pid until the deadline, then kill it; always reaps it (no zombie). The exit
 * status is HELPER_RUN_OK for 0, FAILED otherwise, TIMEOUT when it had to be killed.
 * ECHILD (someone else's waitpid(-1) reaped it despite the held SIGCHLD) is taken as OK:
 * the reply, read in full from our own pipe, is what counts, and it is checked on parsing.
 */
static int reap(pid_t pid, long long deadline, bool kill_now)
{
	int status = 0;
	pid_t r;

	while (!kill_now) {
		r = waitpid(pid, &status, WNOHANG);
		if (r == pid)
			return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? HELPER_RUN_OK :
									       HELPER_RUN_FAILED;
		if (r < 0 && errno == ECHILD)
			return HELPER_RUN_OK;
		if (r < 0 && errno != EINTR)
			break;
		if (now_ms() >= deadline)
			break;
		/* It closed its output; exiting is a matter of microseconds. */
		(void)usleep(2000);
	}
	(void)kill(pid, SIGKILL);
	while ((r = waitpid(pid, &status, 0)) < 0 && errno == EINTR)
		;
	return HELPER_RUN_TIMEOUT;
}

/* The highest fd to close by hand when close_range is missing; read before fork. */
static int fd_limit(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur == RLIM_INFINITY ||
	    rl.rlim_cur > 65536)
		return 65536;
	return (int)rl.rlim_cur;
}

/* The pipes, the fork and the exchange; SIGCHLD is held by the caller. */
static int spawn_and_talk(const struct helper_run *run, char *const argv[], long long deadline,
			  char *out, size_t out_size, size_t *out_len)
{
	int in[2] = { -1, -1 }, outp[2] = { -1, -1 }, max_fd = fd_limit(), r, w;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, in) < 0 ||
	    pipe2(outp, O_CLOEXEC) < 0) {
		r = HELPER_RUN_SYSERR;
		goto out;
	}
	pid = fork();
	if (pid < 0) {
		r = HELPER_RUN_SYSERR;
		goto out;
	}
	if (pid == 0)
		child(in[1], outp[1], max_fd, run->helper, argv);
	close(in[1]);
	close(outp[1]);
	in[1] = outp[1] = -1;
	/* A helper that died at once (EPIPE) is judged by its exit status and reply. */
	(void)send_input(in[0], run->input, run->input_len);
	close(in[0]);
	in[0] = -1;
	r = read_reply(outp[0], deadline, out, out_size, out_len);
	w = reap(pid, deadline, r != HELPER_RUN_OK);
	if (r == HELPER_RUN_OK)
		r = w;
out:
	for (w = 0; w < 2; w++) {
		if (in[w] >= 0)
			close(in[w]);
		if (outp[w] >= 0)
			close(outp[w]);
	}
	return r;
}

/* Run the helper once; see password.h. */
int pam_hostiam_helper_run(const struct helper_run *run, char *out, size_t out_size,
			   size_t *out_len)
{
	char *argv[] = { (char *)run->helper, (char *)"--config", (char *)run->config,
			 (char *)run->verb,   (char *)run->user,  NULL };
	sigset_t chld, old;
	long long deadline;
	int r;

	*out_len = 0;
	if (out_size < 2 || run->timeout <= 0)
		return HELPER_RUN_SYSERR;
	if ((r = check_helper(run->helper)) != HELPER_RUN_OK)
		return r;
	deadline = now_ms() + (long long)run->timeout * 1000;
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	/* Held, not handled: a pending SIGCHLD reaches the host's handler when restored. */
	if (pthread_sigmask(SIG_BLOCK, &chld, &old) != 0)
		return HELPER_RUN_SYSERR;
	r = spawn_and_talk(run, argv, deadline, out, out_size, out_len);
	(void)pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (r != HELPER_RUN_OK) {
		explicit_bzero(out, out_size);
		*out_len = 0;
	}
	return r;
}

/* Run the helper and read its reply; every failure becomes a reply too (see password.h). */
void pam_hostiam_helper_ask(const struct helper_run *run, struct hostiam_auth_reply *rep)
{
	char out[HOSTIAM_AUTH_REPLY_MAX + 1];
	size_t n = 0;
	int r;

	r = pam_hostiam_helper_run(run, out, sizeof(out), &n);
	if (r == HELPER_RUN_OK && hostiam_auth_reply_parse(out, n, rep) == 0)
		return;
	if (r == HELPER_RUN_TIMEOUT) {
		hostiam_log(LOG_WARNING, "password helper killed after %d s: directory unreachable",
			    run->timeout);
		hostiam_auth_reply_init(rep, HOSTIAM_AUTH_UNREACHABLE);
		return;
	}
	hostiam_log(LOG_ERR, "password helper %s: %s", run->helper,
		    r == HELPER_RUN_OK             ? "reply not understood" :
			    r == HELPER_RUN_FAILED ? "failed without a reply" :
						     "could not be run");
	hostiam_auth_reply_init(rep, HOSTIAM_AUTH_ERROR);
}
