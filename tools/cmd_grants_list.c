/* SPDX-License-Identifier: BSD-2-Clause */
/* hostiam grants [--at TIME] [--json]: every grant the store keeps, with its state at now. */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli_args.h"
#include "commands.h"
#include "duration.h"
#include "errors.h"
#include "grants.h"
#include "json_out.h"

/* One grant as JSON. */
static void print_json_one(struct json_out *j, const struct hostiam_grant *g, time_t now)
{
	char t[32];
	bool approved = g->approver[0] != '\0';

	json_object_begin(j);
	json_kv_int(j, "id", (long long)g->id);
	json_kv_str(j, "state", hostiam_grant_state(g, now));
	json_kv_str(j, "user", g->requester);
	json_kv_str(j, "role", g->role);
	json_kv_int(j, "duration", g->duration);
	json_kv_str(j, "reason", g->reason);
	cli_format_utc(g->requested, t, sizeof(t));
	json_kv_str(j, "requested", t);
	json_kv_str(j, "approver", approved ? g->approver : NULL);
	cli_format_utc(g->not_before, t, sizeof(t));
	json_kv_str(j, "not_before", approved ? t : NULL);
	cli_format_utc(g->not_after, t, sizeof(t));
	json_kv_str(j, "not_after", approved ? t : NULL);
	json_kv_str(j, "decided_by", g->decider[0] ? g->decider : NULL);
	json_object_end(j);
}

/* One grant as a line of the table. */
static void print_text_one(const struct hostiam_config *cfg, const struct hostiam_grant *g,
			   time_t now)
{
	char from[48] = "-", until[48] = "-", dur[32];

	hostiam_duration_format(g->duration, dur, sizeof(dur));
	if (g->approver[0]) {
		cli_format_time(cli_zone(cfg), g->not_before, 0, from, sizeof(from));
		cli_format_time(cli_zone(cfg), g->not_after, 0, until, sizeof(until));
	}
	printf("%-5lu %-8s %-12s %-12s %-6s %-16s %-16s %-12s %s\n", g->id,
	       hostiam_grant_state(g, now), g->requester, g->role, dur, from, until,
	       g->decider[0] ? g->decider : "-", g->reason[0] ? g->reason : "-");
}

/* Print l at now, as a table or JSON. */
static void print_list(const struct hostiam_config *cfg, const struct hostiam_grant_list *l,
		       time_t now, bool json)
{
	struct json_out j;

	if (json) {
		json_init(&j, stdout);
		json_array_begin(&j);
		for (size_t i = 0; i < l->n; i++)
			print_json_one(&j, &l->items[i], now);
		json_array_end(&j);
		fputc('\n', stdout);
		return;
	}
	printf("%-5s %-8s %-12s %-12s %-6s %-16s %-16s %-12s %s\n", "ID", "STATE", "USER", "ROLE",
	       "FOR", "FROM", "UNTIL", "BY", "REASON");
	for (size_t i = 0; i < l->n; i++)
		print_text_one(cfg, &l->items[i], now);
}

/* The options; 0, or -1 after a message. */
static int parse_args(int argc, char **argv, const char **at, bool *json)
{
	for (int i = 1; i < argc; i++) {
		int r = cli_opt_value(argc, argv, &i, "--at", at);

		if (r < 0)
			return -1;
		if (r > 0)
			continue;
		if (strcmp(argv[i], "--json") != 0) {
			fprintf(stderr, "hostiam: grants: unexpected '%s'\n", argv[i]);
			return -1;
		}
		*json = true;
	}
	return 0;
}

/* hostiam grants [--at "YYYY-MM-DD HH:MM"] [--json] */
int cmd_grants(const struct cli *cli, int argc, char **argv)
{
	struct hostiam_grant_list l;
	struct hostiam_config *cfg;
	const char *at = NULL;
	time_t now = time(NULL);
	bool json = false;
	char why[160];
	int r, rc = EXIT_USAGE;

	if (parse_args(argc, argv, &at, &json) < 0) {
		cli_usage(stderr, argv[0]);
		return EXIT_USAGE;
	}
	if ((cfg = cli_load_config(cli)) == NULL)
		return EXIT_USAGE;
	if (at && cli_parse_at(cli_zone(cfg), at, &now, why, sizeof(why)) < 0) {
		fprintf(stderr, "hostiam: grants: --at: %s\n", why);
		goto out;
	}
	rc = EXIT_FAILED;
	/* With directory.grants, the store holds what the agent last published. */
	if ((r = hostiam_grants_load(cfg->cache.state_dir, &l)) < 0) {
		fprintf(stderr, "hostiam: grants: the grant store: %s%s\n", hostiam_strerror(r),
			r == HOSTIAM_ERR_SYSTEM ? " (it is root's: run it through sudo)" : "");
		goto out;
	}
	print_list(cfg, &l, now, json);
	hostiam_grant_list_free(&l);
	rc = EXIT_OK;
out:
	hostiam_config_free(cfg);
	return rc;
}
