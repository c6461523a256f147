/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The one atomic replace (common/file_io.c): content and mode as asked whatever the umask,
 * a streamed writer and the after-rename hook, no temp file left by any failure, and a
 * symlink at the target replaced, never followed.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "errors.h"
#include "file_io.h"

static char dir[64];
static int dfd = -1;

/* A fresh, empty directory, open as dfd. */
static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/hostiam-fileio.XXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return dfd < 0 ? -1 : 0;
}

/* Remove everything setup and the test made. */
static int teardown(void **state)
{
	char cmd[256];

	(void)state;
	close(dfd);
	snprintf(cmd, sizeof(cmd), "chmod -R u+rwx '%s'; rm -rf '%s'", dir, dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* Write text to name under dir (a plain create, for the "old" files). */
static void put(const char *name, const char *text)
{
	int fd = openat(dfd, name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	assert_true(fd >= 0);
	assert_int_equal(hostiam_write_all(fd, text, strlen(text)), 0);
	close(fd);
}

/* The content of name under dir, NUL-terminated in a static buffer ("" when missing). */
static const char *get(const char *name)
{
	static char buf[4096];
	ssize_t n;
	int fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);

	buf[0] = '\0';
	if (fd < 0)
		return buf;
	n = read(fd, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	close(fd);
	return buf;
}

/* How many entries other than . and .. the directory (or its subdirectory sub) holds. */
static int entries(const char *sub)
{
	char p[128];
	struct dirent *e;
	DIR *d;
	int n = 0;

	snprintf(p, sizeof(p), "%s/%s", dir, sub);
	d = opendir(p);

	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

/* The old content is replaced, with exactly the mode asked even under a strict umask. */
static void test_replace_and_mode(void **state)
{
	struct stat st;
	mode_t old_mask = umask(077);

	(void)state;
	put("f", "old\n");
	assert_int_equal(hostiam_replace_buf_at(dfd, "f", 0644, "new\n", 4), 0);
	assert_string_equal(get("f"), "new\n");
	assert_int_equal(fstatat(dfd, "f", &st, AT_SYMLINK_NOFOLLOW), 0);
	assert_int_equal(st.st_mode & 07777, 0644);
	/* A missing file is created, as private as asked. */
	assert_int_equal(hostiam_replace_buf_at(dfd, "g", 0600, "x", 1), 0);
	assert_int_equal(fstatat(dfd, "g", &st, AT_SYMLINK_NOFOLLOW), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(entries(""), 2);
	umask(old_mask);
}

struct stream {
	int chunks;     /* how many 64 KiB chunks to write */
	int fail_after; /* fail once this many were written; -1: never */
	int renamed_calls;
	char seen_after_rename[8]; /* the first bytes of the file right after the rename */
};

/* Write chunks of 'a'..: a streamed writer that never holds the whole content. */
static int write_chunks(int fd, void *ctx)
{
	struct stream *s = ctx;
	char chunk[65536];
	int i;

	for (i = 0; i < s->chunks; i++) {
		if (i == s->fail_after)
			return HOSTIAM_ERR_NOMEM;
		memset(chunk, 'a' + i % 26, sizeof(chunk));
		if (hostiam_write_all(fd, chunk, sizeof(chunk)) < 0)
			return HOSTIAM_ERR_SYSTEM;
	}
	return 0;
}

/* The after-rename hook: the new file must already be in place. */
static void note_renamed(void *ctx)
{
	struct stream *s = ctx;

	s->renamed_calls++;
	snprintf(s->seen_after_rename, sizeof(s->seen_after_rename), "%.4s", get("big"));
}

/* A streamed writer fills the file; renamed runs once, after the new file is in place. */
static void test_stream(void **state)
{
	struct stream s = { .chunks = 40, .fail_after = -1 };
	struct hostiam_replace_ops ops = { write_chunks, note_renamed, &s };
	struct stat st;

	(void)state;
	put("big", "zzzz");
	assert_int_equal(hostiam_replace_at(dfd, "big", 0644, &ops), 0);
	assert_int_equal(s.renamed_calls, 1);
	assert_string_equal(s.seen_after_rename, "aaaa");
	assert_int_equal(fstatat(dfd, "big", &st, 0), 0);
	assert_int_equal(st.st_size, 40 * 65536);
	assert_int_equal(entries(""), 1);
}

/* A failing writer: its error comes back, the old file stays, no temp file is left. */
static void test_writer_fails(void **state)
{
	struct stream s = { .chunks = 4, .fail_after = 2 };
	struct hostiam_replace_ops ops = { write_chunks, note_renamed, &s };

	(void)state;
	put("f", "old\n");
	assert_int_equal(hostiam_replace_at(dfd, "f", 0644, &ops), HOSTIAM_ERR_NOMEM);
	assert_int_equal(s.renamed_calls, 0);
	assert_string_equal(get("f"), "old\n");
	assert_int_equal(entries(""), 1);
}

/* A rename that fails (a directory is in the way): no temp file left, the directory kept. */
static void test_rename_fails(void **state)
{
	struct stat st;

	(void)state;
	assert_int_equal(mkdirat(dfd, "d", 0755), 0);
	put("d/inside", "keep");
	assert_int_equal(hostiam_replace_buf_at(dfd, "d", 0644, "new", 3), HOSTIAM_ERR_SYSTEM);
	assert_int_equal(fstatat(dfd, "d", &st, AT_SYMLINK_NOFOLLOW), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(entries(""), 1);
}

/* Try to replace "f" in rfd; 0 when refused with EACCES, as a child exit code. */
static int refused(int rfd)
{
	int r = hostiam_replace_buf_at(rfd, "f", 0644, "x", 1);

	return r == HOSTIAM_ERR_SYSTEM && errno == EACCES ? 0 : 1;
}

/* A read-only directory: SYSTEM with errno EACCES, nothing left behind. */
static void test_unwritable_dir(void **state)
{
	int rfd, status;
	pid_t pid;

	(void)state;
	assert_int_equal(mkdirat(dfd, "ro", 0555), 0);
	rfd = openat(dfd, "ro", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(rfd >= 0);
	if (geteuid() != 0) {
		assert_int_equal(refused(rfd), 0);
	} else {
		/* root ignores the mode: try it as nobody, through the descriptor it inherits. */
		pid = fork();
		assert_true(pid >= 0);
		if (pid == 0)
			_exit(setgid(65534) == 0 && setuid(65534) == 0 ? refused(rfd) : 2);
		assert_int_equal(waitpid(pid, &status, 0), pid);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 0);
	}
	close(rfd);
	assert_int_equal(entries("ro"), 0);
}

/* A symlink at the target is replaced by the new file; what it pointed to is untouched. */
static void test_symlink_replaced(void **state)
{
	struct stat st;

	(void)state;
	put("victim", "secret\n");
	assert_int_equal(symlinkat("victim", dfd, "f"), 0);
	assert_int_equal(hostiam_replace_buf_at(dfd, "f", 0600, "new\n", 4), 0);
	assert_int_equal(fstatat(dfd, "f", &st, AT_SYMLINK_NOFOLLOW), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_string_equal(get("f"), "new\n");
	assert_string_equal(get("victim"), "secret\n");
	assert_int_equal(entries(""), 2);
}

/* Names that are not one component are refused before anything is created. */
static void test_bad_names(void **state)
{
	char longname[300];

	(void)state;
	memset(longname, 'n', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	assert_int_equal(hostiam_replace_buf_at(dfd, "a/b", 0644, "x", 1), HOSTIAM_ERR_INVALID_ARG);
	assert_int_equal(hostiam_replace_buf_at(dfd, "", 0644, "x", 1), HOSTIAM_ERR_INVALID_ARG);
	assert_int_equal(hostiam_replace_buf_at(dfd, "..", 0644, "x", 1), HOSTIAM_ERR_INVALID_ARG);
	assert_int_equal(hostiam_replace_buf_at(dfd, longname, 0644, "x", 1),
			 HOSTIAM_ERR_INVALID_ARG);
	assert_int_equal(hostiam_replace_buf_at(-1, "f", 0644, "x", 1), HOSTIAM_ERR_INVALID_ARG);
	assert_int_equal(entries(""), 0);
}

/* The path form opens the directory itself and replaces the last component. */
static void test_path(void **state)
{
	struct stream s = { .chunks = 1, .fail_after = -1 };
	struct hostiam_replace_ops ops = { write_chunks, NULL, &s };
	char p[128];

	(void)state;
	snprintf(p, sizeof(p), "%s/viapath", dir);
	assert_int_equal(hostiam_replace_path(p, 0644, &ops), 0);
	assert_int_equal(strncmp(get("viapath"), "aaaa", 4), 0);
	snprintf(p, sizeof(p), "%s/missing-dir/f", dir);
	assert_int_equal(hostiam_replace_path(p, 0644, &ops), HOSTIAM_ERR_SYSTEM);
	assert_int_equal(entries(""), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_replace_and_mode, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stream, setup, teardown),
		cmocka_unit_test_setup_teardown(test_writer_fails, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rename_fails, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unwritable_dir, setup, teardown),
		cmocka_unit_test_setup_teardown(test_symlink_replaced, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_names, setup, teardown),
		cmocka_unit_test_setup_teardown(test_path, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
