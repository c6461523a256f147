/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Session option `mkhomedir`: create a missing home directory from the skeleton, as root,
 * without following a symbolic link at any step. The parent is reached by opening each
 * component from "/" with O_NOFOLLOW, and must be root's and not writable by anyone else
 * (else a user could swap what we create for a link); the home is made with mkdirat,
 * opened again with O_NOFOLLOW, filled through that descriptor, handed to the user, and
 * only then given its final mode. An existing path of any kind is never touched.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include "log.h"
#include "pam_hostiam.h"

/* Deeper skeletons are cut there: a loop of bind mounts must not exhaust the fds. */
#define SKEL_MAX_DEPTH 16

/* Where the home is to be made, and for whom. */
struct home_target {
	char path[PATH_MAX]; /* pw_dir */
	const char *name;    /* last component, inside path */
	uid_t uid;
	gid_t gid;
};

/* What went wrong, for the one log line. */
struct mk_error {
	char why[256];
};

/* Record the first failure: what, and errno's text. Later ones add nothing. */
static int fail(struct mk_error *err, const char *what, const char *name, int e)
{
	if (err->why[0] == '\0')
		snprintf(err->why, sizeof(err->why), "%s %.120s: %s", what, name, strerror(e));
	return -1;
}

/* The user's home and ids; -1 with why when the account or its home cannot be used. */
static int find_target(const char *user, struct home_target *t, struct mk_error *err)
{
	struct passwd pw, *res = NULL;
	char buf[4096];
	int e = getpwnam_r(user, &pw, buf, sizeof(buf), &res);

	if (e != 0 || res == NULL)
		return fail(err, "getpwnam", user, e != 0 ? e : ENOENT);
	if (pw.pw_dir == NULL || pw.pw_dir[0] != '/' || strlen(pw.pw_dir) >= sizeof(t->path)) {
		snprintf(err->why, sizeof(err->why), "the home is not an absolute path");
		return -1;
	}
	strcpy(t->path, pw.pw_dir);
	t->uid = pw.pw_uid;
	t->gid = pw.pw_gid;
	return 0;
}

/* A component we may walk: not empty, ".", ".." (the path must be plain). */
static bool plain_component(const char *c)
{
	return c[0] != '\0' && strcmp(c, ".") != 0 && strcmp(c, "..") != 0;
}

/*
 * Open the parent of t->path component by component with O_NOFOLLOW, and set t->name to
 * the last component. Returns the parent's descriptor or -1 (a link: ELOOP or ENOTDIR).
 */
static int open_parent(struct home_target *t, char *copy, struct mk_error *err)
{
	char *comp, *next, *save = NULL;
	int fd, nfd;

	strcpy(copy, t->path);
	fd = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return fail(err, "cannot open", "/", errno);
	comp = strtok_r(copy, "/", &save);
	while (comp != NULL) {
		next = strtok_r(NULL, "/", &save);
		if (!plain_component(comp)) {
			snprintf(err->why, sizeof(err->why), "the home path is not canonical");
			goto bad;
		}
		if (next == NULL)
			break;
		nfd = openat(fd, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (nfd < 0) {
			fail(err,
			     errno == ELOOP || errno == ENOTDIR ? "not a directory (a link?):" :
								  "cannot open",
			     comp, errno);
			goto bad;
		}
		close(fd);
		fd = nfd;
		comp = next;
	}
	if (comp == NULL) {
		snprintf(err->why, sizeof(err->why), "the home is /");
		goto bad;
	}
	t->name = t->path + (comp - copy);
	return fd;
bad:
	close(fd);
	return -1;
}

/* The parent is root's and only root may write in it (else its entries may be swapped). */
static int check_parent(int fd, struct mk_error *err)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return fail(err, "cannot stat", "the parent", errno);
	if (st.st_uid != 0 || (st.st_mode & (S_IWGRP | S_IWOTH))) {
		snprintf(err->why, sizeof(err->why),
			 "the parent directory is not root's alone (uid %u, mode %04o)",
			 (unsigned)st.st_uid, (unsigned)(st.st_mode & 07777));
		return -1;
	}
	return 0;
}

static int copy_tree(int src, int dst, const struct home_target *t, int depth,
		     struct mk_error *err);

/* Copy the bytes of one open file to another. */
static int copy_bytes(int in, int out, const char *name, struct mk_error *err)
{
	char buf[16384];
	ssize_t n, w, off;

	while ((n = read(in, buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return fail(err, "cannot read skeleton file", name, errno);
		for (off = 0; off < n; off += w) {
			w = write(out, buf + off, (size_t)(n - off));
			if (w < 0 && errno == EINTR)
				w = 0;
			else if (w < 0)
				return fail(err, "cannot write", name, errno);
		}
	}
	return 0;
}

/* A regular file of the skeleton: copied, then the user's, with the skeleton's mode bits. */
static int copy_file(int src, int dst, const char *name, const struct home_target *t,
		     struct mk_error *err)
{
	struct stat st;
	int in, out, r = -1;

	in = openat(src, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (in < 0)
		return fail(err, "cannot open skeleton file", name, errno);
	/* Checked on the open file: what fstatat saw may have been replaced since. */
	if (fstat(in, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(in);
		return 0;
	}
	out = openat(dst, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (out < 0) {
		fail(err, "cannot create", name, errno);
		goto out;
	}
	r = copy_bytes(in, out, name, err);
	/* chown first: it would clear set-id bits set before it (none are kept anyway). */
	if (r == 0 && (fchown(out, t->uid, t->gid) < 0 || fchmod(out, st.st_mode & 0777) < 0))
		r = fail(err, "cannot hand over", name, errno);
	if (close(out) < 0 && r == 0)
		r = fail(err, "cannot write", name, errno);
out:
	close(in);
	return r;
}

/* A symbolic link of the skeleton: made again as a link (never followed), the user's. */
static int copy_link(int src, int dst, const char *name, const struct home_target *t,
		     struct mk_error *err)
{
	char target[PATH_MAX];
	ssize_t n = readlinkat(src, name, target, sizeof(target) - 1);

	if (n < 0)
		return fail(err, "cannot read skeleton link", name, errno);
	target[n] = '\0';
	if (symlinkat(target, dst, name) < 0)
		return fail(err, "cannot create link", name, errno);
	if (fchownat(dst, name, t->uid, t->gid, AT_SYMLINK_NOFOLLOW) < 0)
		return fail(err, "cannot hand over", name, errno);
	return 0;
}

/* A directory of the skeleton: made 0700, filled, handed over, then given its mode. */
static int copy_dir(int src, int dst, const char *name, const struct home_target *t, int depth,
		    struct mk_error *err)
{
	struct stat st;
	int in, out = -1, r = -1;

	in = openat(src, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (in < 0)
		return fail(err, "cannot open skeleton directory", name, errno);
	if (fstat(in, &st) < 0) {
		fail(err, "cannot stat skeleton directory", name, errno);
		goto out;
	}
	if (mkdirat(dst, name, 0700) < 0) {
		fail(err, "cannot create directory", name, errno);
		goto out;
	}
	out = openat(dst, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (out < 0) {
		fail(err, "cannot open", name, errno);
		goto out;
	}
	r = copy_tree(in, out, t, depth + 1, err);
	if (fchown(out, t->uid, t->gid) < 0 || fchmod(out, st.st_mode & 0777) < 0)
		r = fail(err, "cannot hand over", name, errno);
out:
	if (out >= 0)
		close(out);
	close(in);
	return r;
}

/* One entry of the skeleton; special files (devices, fifos, sockets) are skipped. */
static int copy_entry(int src, int dst, const char *name, const struct home_target *t, int depth,
		      struct mk_error *err)
{
	struct stat st;

	if (fstatat(src, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return fail(err, "cannot stat skeleton entry", name, errno);
	if (S_ISREG(st.st_mode))
		return copy_file(src, dst, name, t, err);
	if (S_ISLNK(st.st_mode))
		return copy_link(src, dst, name, t, err);
	if (S_ISDIR(st.st_mode))
		return copy_dir(src, dst, name, t, depth, err);
	return 0;
}

/* Copy everything in src into dst; goes on after a failure, returns -1 if any. */
static int copy_tree(int src, int dst, const struct home_target *t, int depth, struct mk_error *err)
{
	struct dirent *de;
	DIR *d;
	int fd, r = 0;

	if (depth > SKEL_MAX_DEPTH) {
		snprintf(err->why, sizeof(err->why), "the skeleton is deeper than %d",
			 SKEL_MAX_DEPTH);
		return -1;
	}
	/* fdopendir owns the descriptor it gets: give it its own. */
	fd = openat(src, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || (d = fdopendir(fd)) == NULL) {
		if (fd >= 0)
			close(fd);
		return fail(err, "cannot read", "the skeleton", errno);
	}
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (copy_entry(src, dst, de->d_name, t, depth, err) < 0)
			r = -1;
	}
	closedir(d);
	return r;
}

/* The skeleton into home; a missing skeleton is an empty one. */
static int fill_home(int home, const char *skel, const struct home_target *t, struct mk_error *err)
{
	int src = open(skel, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC), r;

	if (src < 0 && errno == ENOENT)
		return 0;
	if (src < 0)
		return fail(err, "cannot open", skel, errno);
	r = copy_tree(src, home, t, 0, err);
	close(src);
	return r;
}

/*
 * Make t's home in parent: 1 when made (err says what of the skeleton failed, if
 * anything), 0 when the path already exists, -1 when nothing was made.
 */
static int make_home(int parent, const struct home_target *t,
		     const struct pam_hostiam_options *opts, struct mk_error *err)
{
	struct stat st;
	int home, r;

	if (mkdirat(parent, t->name, 0700) < 0)
		return errno == EEXIST ? 0 : fail(err, "cannot create", t->path, errno);
	home = openat(parent, t->name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (home < 0)
		return fail(err, "cannot open the new home", t->path, errno);
	/* Only root writes in the parent, so this is what mkdirat made; checked all the same. */
	if (fstat(home, &st) < 0 || st.st_uid != geteuid()) {
		close(home);
		snprintf(err->why, sizeof(err->why), "the new home was replaced");
		return -1;
	}
	fill_home(home, opts->skel, t, err);
	/* Handed over last, so the user never owns a home that is still being filled. */
	r = fchown(home, t->uid, t->gid) < 0 || fchmod(home, opts->home_mode) < 0 ?
		fail(err, "cannot hand over", t->path, errno) :
		1;
	close(home);
	return r;
}

/* Log the outcome once: the home made (and what of the skeleton did not come), or why not. */
static void log_outcome(const char *user, const struct home_target *t, int made,
			const struct mk_error *err)
{
	char u[128], h[sizeof(t->path) + 8];

	hostiam_log_value(u, sizeof(u), user);
	hostiam_log_value(h, sizeof(h), t->path[0] ? t->path : "?");
	if (made > 0 && err->why[0] == '\0')
		hostiam_log(LOG_NOTICE, "mkhomedir user=%s home=%s", u, h);
	else if (made > 0)
		hostiam_log(LOG_ERR,
			    "mkhomedir user=%s home=%s: the skeleton was not copied whole: %s", u,
			    h, err->why);
	else
		hostiam_log(LOG_ERR, "mkhomedir user=%s home=%s: not created: %s", u, h, err->why);
}

/*
 * session, option mkhomedir: create user's missing home. Never fails the session: a login
 * without a home still works (sshd says "Could not chdir" and starts in /), which is what
 * an administrator needs when /home is what is broken.
 */
void pam_hostiam_mkhomedir(const char *user, const struct pam_hostiam_options *opts)
{
	struct home_target t;
	struct mk_error err = { "" };
	struct stat st;
	char copy[PATH_MAX];
	int parent, made = -1;

	memset(&t, 0, sizeof(t));
	if (find_target(user, &t, &err) < 0)
		goto out;
	parent = open_parent(&t, copy, &err);
	if (parent < 0)
		goto out;
	/* The common case, a home that exists, is decided before the parent's checks. */
	if (fstatat(parent, t.name, &st, AT_SYMLINK_NOFOLLOW) == 0)
		made = 0;
	else if (errno != ENOENT)
		fail(&err, "cannot stat", t.path, errno);
	else if (check_parent(parent, &err) == 0)
		made = make_home(parent, &t, opts, &err);
	close(parent);
out:
	if (made != 0)
		log_outcome(user, &t, made, &err);
}
