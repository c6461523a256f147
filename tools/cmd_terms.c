/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hostiam terms status [USER] [--json] and hostiam terms revoke USER NAME: who accepted
 * which terms of use when (from the root-only state store), and taking an acceptance back
 * so that the next login asks again.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cache.h"
#include "commands.h"
#include "errors.h"
#include "names.h"
#include "review_users.h"
#include "terms.h"
#include "terms_print.h"

/* One user's row: the acceptances read from the store, or why they could not be. */
struct status_row {
	struct terms_user u;
	struct hostiam_user_state st;
};

/* Read user's record into row. */
static void load_row(const struct hostiam_config *cfg, const char *user, struct status_row *row)
{
	int rc = hostiam_state_load(cfg->cache.state_dir, user, &row->st);

	row->u.name = user;
	row->u.acc = row->st.terms;
	row->u.n = rc < 0 ? 0 : row->st.n_terms;
	row->u.error = rc < 0 ? hostiam_strerror(rc) : NULL;
}

/* Print rows (n) as a table or as JSON. */
static void print_rows(const struct hostiam_config *cfg, const struct status_row *rows, size_t n,
		       bool json, time_t now)
{
	struct json_out j;

	if (!json) {
		struct terms_user *u = calloc(n ? n : 1, sizeof(*u));

		for (size_t i = 0; u && i < n; i++)
			u[i] = rows[i].u;
		if (u)
			terms_print_table(stdout, cfg, u, n, now);
		free(u);
		return;
	}
	json_init(&j, stdout);
	json_array_begin(&j);
	for (size_t i = 0; i < n; i++) {
		json_object_begin(&j);
		json_kv_str(&j, "user", rows[i].u.name);
		json_kv_str(&j, "error", rows[i].u.error);
		terms_print_json(&j, cfg, &rows[i].u, now);
		json_object_end(&j);
	}
	json_array_end(&j);
	fputc('\n', stdout);
}

/* Every user review would list (directory cache and local accounts), or just user. */
static int status(const struct hostiam_config *cfg, const char *user, bool json)
{
	struct review_user *users = NULL;
	struct hostiam_cache *c = NULL;
	struct status_row *rows;
	size_t n = 1, i;
	int rc = 0, failed = 0;

	if (user == NULL) {
		(void)hostiam_cache_open(cfg->cache.nss_path, &c);
		rc = review_users_collect(cfg, c, &users, &n);
		if (c)
			hostiam_cache_close(c);
	}
	rows = rc == 0 ? calloc(n ? n : 1, sizeof(*rows)) : NULL;
	if (rows == NULL) {
		fprintf(stderr, "hostiam: terms: %s\n",
			hostiam_strerror(rc ? rc : HOSTIAM_ERR_NOMEM));
		review_users_free(users, users ? n : 0);
		return EXIT_FAILED;
	}
	for (i = 0; i < n; i++) {
		load_row(cfg, user ? user : users[i].name, &rows[i]);
		failed |= rows[i].u.error != NULL;
	}
	print_rows(cfg, rows, n, json, time(NULL));
	free(rows);
	review_users_free(users, users ? n : 0);
	return failed ? EXIT_FAILED : EXIT_OK;
}

/* terms revoke USER NAME: NAME need not be configured any more (an old entry to clear). */
static int revoke(const struct hostiam_config *cfg, const char *user, const char *name)
{
	int rc = hostiam_terms_revoke(cfg->cache.state_dir, user, name);

	if (rc == HOSTIAM_ERR_NOT_FOUND) {
		fprintf(stderr, "hostiam: terms revoke: %s has no acceptance of %s\n", user, name);
		return EXIT_FAILED;
	}
	if (rc < 0) {
		fprintf(stderr, "hostiam: terms revoke: %s: %s\n", user, hostiam_strerror(rc));
		return EXIT_FAILED;
	}
	printf("Revoked %s's acceptance of %s: the next login asks again.\n", user, name);
	return EXIT_OK;
}

/* The arguments after "terms": status [USER] [--json], or revoke USER NAME. */
static int run(const struct cli *cli, int argc, char **argv)
{
	struct hostiam_config *cfg;
	const char *user = NULL;
	bool json = false, is_status = strcmp(argv[1], "status") == 0;
	int i, rc;

	for (i = 2; is_status && i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			json = true;
		else if (argv[i][0] != '-' && user == NULL)
			user = argv[i];
		else
			return -1;
	}
	if (!is_status && (strcmp(argv[1], "revoke") != 0 || argc != 4))
		return -1;
	if (!is_status)
		user = argv[2];
	if (user && !hostiam_valid_user_name(user)) {
		fprintf(stderr, "hostiam: terms: not a valid user name: %s\n", user);
		return EXIT_FAILED;
	}
	if ((cfg = cli_load_config(cli)) == NULL)
		return EXIT_USAGE;
	rc = is_status ? status(cfg, user, json) : revoke(cfg, user, argv[3]);
	hostiam_config_free(cfg);
	return rc;
}

/* hostiam terms status|revoke ... */
int cmd_terms(const struct cli *cli, int argc, char **argv)
{
	int rc = argc >= 2 ? run(cli, argc, argv) : -1;

	if (rc < 0) {
		cli_usage(stderr, "terms");
		return EXIT_USAGE;
	}
	return rc;
}
