/* SPDX-License-Identifier: BSD-2-Clause */
/* sudo's own parser as the judge of what the agent writes: visudo -c -f - in a child. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "errors.h"
#include "file_io.h"
#include "sudo_file.h"

/* The visudo to run: the test suite's, else the first of the usual places. */
static const char *visudo_path(void)
{
	static const char *const where[] = { "/usr/sbin/visudo", "/usr/bin/visudo", "/sbin/visudo",
					     "/usr/local/sbin/visudo" };
	const char *t = secure_getenv("HOSTIAM_TEST_VISUDO");
	size_t i;

	if (t && t[0] == '/')
		return t;
	for (i = 0; i < sizeof(where) / sizeof(where[0]); i++)
		if (access(where[i], X_OK) == 0)
			return where[i];
	return NULL;
}

/* A sealed, rewound memory file holding text: visudo's standard input. */
static int text_fd(const char *text, size_t len)
{
	int fd = memfd_create("hostiam-sudoers", MFD_CLOEXEC | MFD_ALLOW_SEALING);

	if (fd < 0)
		return -1;
	if (hostiam_write_all(fd, text, len) < 0 || lseek(fd, 0, SEEK_SET) != 0 ||
	    fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE | F_SEAL_GROW | F_SEAL_SHRINK) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* What visudo said, up to why_len, control bytes as spaces: for the log line. */
static void read_output(int fd, char *why, size_t why_len)
{
	size_t n = 0, i;
	ssize_t got;
	char skip[256];

	while (n + 1 < why_len && (got = read(fd, why + n, why_len - 1 - n)) > 0)
		n += (size_t)got;
	why[n] = '\0';
	/* Drain the rest so that visudo never blocks on a full pipe. */
	while (read(fd, skip, sizeof(skip)) > 0)
		;
	for (i = 0; i < n; i++)
		if ((unsigned char)why[i] < 0x20 || why[i] == 0x7f)
			why[i] = ' ';
}

/* Spawn visudo with in as stdin and out as stdout and stderr; its pid or -1 (errno). */
static pid_t spawn_visudo(const char *path, int in, int out)
{
	char *const argv[] = { (char *)"visudo", (char *)"-c", (char *)"-f", (char *)"-", NULL };
	char *const envp[] = { (char *)"PATH=/usr/sbin:/usr/bin:/sbin:/bin", (char *)"LC_ALL=C",
			       NULL };
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int rc;

	if (posix_spawn_file_actions_init(&fa) != 0)
		return -1;
	posix_spawn_file_actions_adddup2(&fa, in, 0);
	posix_spawn_file_actions_adddup2(&fa, out, 1);
	posix_spawn_file_actions_adddup2(&fa, out, 2);
#if defined(__GLIBC__) && __GLIBC_PREREQ(2, 34)
	/* Nothing else of the agent's (the directory connection) reaches visudo. */
	posix_spawn_file_actions_addclosefrom_np(&fa, 3);
#endif
	rc = posix_spawn(&pid, path, &fa, NULL, argv, envp);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0) {
		errno = rc;
		return -1;
	}
	return pid;
}

int sudo_visudo_check(const char *text, size_t len, char *why, size_t why_len)
{
	const char *path = visudo_path();
	int in = -1, p[2] = { -1, -1 }, status = 0, r = HOSTIAM_ERR_SYSTEM;
	pid_t pid = -1;

	if (!path) {
		snprintf(why, why_len, "no visudo found (is sudo installed?)");
		return HOSTIAM_ERR_SYSTEM;
	}
	in = text_fd(text, len);
	if (in < 0 || pipe2(p, O_CLOEXEC) < 0 || (pid = spawn_visudo(path, in, p[1])) < 0) {
		snprintf(why, why_len, "cannot run %s: %s", path, strerror(errno));
		goto out;
	}
	close(p[1]);
	p[1] = -1;
	read_output(p[0], why, why_len);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		r = 0;
	else
		r = SUDO_FILE_REFUSED;
out:
	if (in >= 0)
		close(in);
	if (p[0] >= 0)
		close(p[0]);
	if (p[1] >= 0)
		close(p[1]);
	return r;
}
