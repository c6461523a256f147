/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * config-check's look at the files the configuration names. Not part of loading: the PAM
 * module must not deny logins over a CA file only the agent reads, and a user who is not
 * root may load the configuration without being able to read the bind password.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config_internal.h"
#include "terms.h"

/* One file: opened for reading and a regular file, else an error at line under key. */
static size_t check_file(const struct hostiam_config *cfg, const char *key, const char *path,
			 int line, struct hostiam_config_errors *errs, size_t *unchecked)
{
	struct stat st;
	int fd, e;

	if (path == NULL)
		return 0;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0) {
		e = errno;
		/* Root, who runs the agent, may read what this caller cannot: not a mistake. */
		if (e == EACCES && geteuid() != 0) {
			(*unchecked)++;
			return 0;
		}
		cfg_error_raw(errs, cfg->path, line, key, "%s: %s", path, strerror(e));
		return 1;
	}
	e = fstat(fd, &st) < 0 ? errno : 0;
	close(fd);
	if (e == 0 && S_ISREG(st.st_mode))
		return 0;
	cfg_error_raw(errs, cfg->path, line, key, "%s: %s", path,
		      e ? strerror(e) : "not a regular file");
	return 1;
}

/* Each terms file as a login reads it (terms.h): a mistake at its entry's line. */
static size_t check_terms(const struct hostiam_config *cfg, struct hostiam_config_errors *errs)
{
	size_t n = 0;

	for (size_t i = 0; i < cfg->n_terms; i++) {
		const struct hostiam_terms *t = &cfg->terms[i];
		char key[64], why[160], *text = NULL;

		if (hostiam_terms_read(t, &text, why, sizeof(why)) == 0) {
			free(text);
			continue;
		}
		snprintf(key, sizeof(key), "terms.[%zu].file", i);
		cfg_error_raw(errs, cfg->path, t->line, key, "%s: %s", t->file, why);
		n++;
	}
	return n;
}

/* See configuration.h. */
size_t hostiam_config_check_files(const struct hostiam_config *cfg,
				  struct hostiam_config_errors *errs, size_t *unchecked)
{
	const struct hostiam_directory_config *d = &cfg->directory;
	size_t n = 0;

	*unchecked = 0;
	n += check_terms(cfg, errs);
	if (!d->configured)
		return n;
	n += check_file(cfg, "directory.tls_ca_file", d->tls_ca_file, d->tls_ca_file_line, errs,
			unchecked);
	n += check_file(cfg, "directory.bind_password_file", d->bind_password_file,
			d->bind_password_file_line, errs, unchecked);
	return n;
}
