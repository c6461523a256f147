/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * @include is refused. libconfig would read an included file without the owner and mode
 * checks the main file gets (config_load.c), resolve a relative name against the working
 * directory of the process (the invoking user's, under sudo or su), and in 1.5 exit(2)
 * from inside its parser when the file cannot be read (a directory), taking the PAM
 * application with it. So the text is searched for the directive before libconfig sees
 * it, and each one is reported at its line; libconfig is also set up so that it could not
 * open an included file should one ever get past that search.
 */
#include "config.h"

#include <stdbool.h>
#include <string.h>

#include "config_internal.h"
#include "errors.h"

#define DIRECTIVE "@include"
#define REFUSED \
	"@include is not supported: copy the settings into this file (an included " \
	"file would escape its owner and mode checks)"

struct refusal {
	struct cfg_ctx *ctx;
	bool found;
};

/* A callback of cfg_walk_code: an error at each @include. */
static const char *include_at(void *arg, const char *text, const char *p, int line)
{
	struct refusal *r = arg;

	(void)text;
	if (strncmp(p, DIRECTIVE, strlen(DIRECTIVE)) != 0)
		return p + 1;
	cfg_error_raw(r->ctx->errs, r->ctx->path, line, "", REFUSED);
	r->found = true;
	return p + strlen(DIRECTIVE);
}

/*
 * Record an error at every @include outside strings and comments, which is where
 * libconfig's lexer looks for one; true if there was any. Wider than libconfig (which wants
 * it first on its line, then a quote): elsewhere "@" is a syntax error anyway.
 */
bool cfg_refuse_includes(struct cfg_ctx *ctx, const char *text)
{
	struct refusal r = { ctx, false };

	cfg_walk_code(text, include_at, &r);
	return r.found;
}

#if LIBCONFIG_VER_MAJOR > 1 || (LIBCONFIG_VER_MAJOR == 1 && LIBCONFIG_VER_MINOR >= 7)
/* libconfig >= 1.7 asks this for the files an @include stands for: it is an error. */
static const char **no_include(config_t *lc, const char *dir, const char *path, const char **error)
{
	(void)lc;
	(void)dir;
	(void)path;
	*error = "@include is not supported";
	return NULL;
}
#endif

/* Leave libconfig no way to open an included file; 0, or HOSTIAM_ERR_NOMEM. */
int cfg_disable_includes(config_t *lc)
{
	/*
	 * libconfig 1.5 puts every include name, absolute ones too, under this directory.
	 * Nothing lies under a character device (the open fails with ENOTDIR, "../" included),
	 * so an include becomes libconfig's own "cannot open include file", and no name is
	 * ever resolved against the working directory.
	 */
	config_set_include_dir(lc, "/dev/null");
	if (config_get_include_dir(lc) == NULL)
		return HOSTIAM_ERR_NOMEM;
#if LIBCONFIG_VER_MAJOR > 1 || (LIBCONFIG_VER_MAJOR == 1 && LIBCONFIG_VER_MINOR >= 7)
	/* 1.7 reads absolute names as they are: its include hook refuses them all instead. */
	config_set_include_func(lc, no_include);
#endif
	return 0;
}
