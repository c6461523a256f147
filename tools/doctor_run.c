/* SPDX-License-Identifier: BSD-2-Clause */
/* Run a helper program (sshd -T, systemctl) with a deadline, capturing its stdout. */
#include "config.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "doctor.h"

/* In the child: stdout to the pipe, stderr to efd (or /dev/null), stdin from /dev/null. */
static void child(char *const argv[], int wfd, int efd)
{
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);

	if (null < 0 || dup2(null, 0) < 0 || dup2(wfd, 1) < 0 || dup2(efd >= 0 ? efd : null, 2) < 0)
		_exit(127);
	execv(argv[0], argv);
	_exit(127);
}

/* Read from fd into out until EOF or the deadline; 0 at EOF, -2 on timeout. */
static int drain(int fd, char *out, size_t size, time_t deadline)
{
	size_t len = 0;
	char sink[512];

	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		time_t left = deadline - time(NULL);
		ssize_t n;

		if (left <= 0 || poll(&p, 1, (int)left * 1000) == 0)
			return -2;
		if (len + 1 < size)
			n = read(fd, out + len, size - 1 - len);
		else
			n = read(fd, sink, sizeof(sink));
		if (n == 0)
			return 0;
		if (n < 0)
			continue;
		if (len + 1 < size) {
			len += (size_t)n;
			out[len] = '\0';
		}
	}
}

/* What the child wrote to efd, NUL-terminated and truncated to size; "" when none. */
static void read_stderr(int efd, char *err, size_t size)
{
	ssize_t n = efd >= 0 ? pread(efd, err, size - 1, 0) : -1;

	err[n > 0 ? n : 0] = '\0';
}

/*
 * stderr goes to a memory file rather than a second pipe: the child may fill either stream
 * first, and one pipe to drain keeps the deadline loop simple.
 */
int doctor_run(char *const argv[], char *out, size_t size, char *err, size_t err_size, int timeout)
{
	int fds[2], efd = -1, st = 0, r = -1;
	pid_t pid;

	out[0] = '\0';
	if (err)
		err[0] = '\0';
	if (pipe2(fds, O_CLOEXEC) < 0)
		return -1;
	if (err && err_size > 1)
		efd = memfd_create("hostiam-doctor-stderr", MFD_CLOEXEC);
	pid = fork();
	if (pid < 0) {
		close(fds[1]);
		goto out;
	}
	if (pid == 0)
		child(argv, fds[1], efd);
	close(fds[1]);
	r = drain(fds[0], out, size, time(NULL) + timeout);
	if (r == -2)
		kill(pid, SIGKILL);
	if (waitpid(pid, &st, 0) < 0)
		r = -1;
	else if (r != -2)
		r = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	if (err && err_size > 1)
		read_stderr(efd, err, err_size);
out:
	close(fds[0]);
	if (efd >= 0)
		close(efd);
	return r;
}
