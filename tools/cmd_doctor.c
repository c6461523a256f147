/* SPDX-License-Identifier: BSD-2-Clause */
/* hostiam doctor: what on this host would let a login skip the checks the policy asks for. */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "doctor.h"
#include "json_out.h"

/* Parse "doctor [--root DIR] [--json]"; 0 or -1 on a usage error. */
static int parse_args(int argc, char **argv, const char **root, bool *json)
{
	int i;

	*root = "";
	*json = false;
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--root") == 0 && i + 1 < argc)
			*root = argv[++i];
		else if (strncmp(argv[i], "--root=", 7) == 0)
			*root = argv[i] + 7;
		else if (strcmp(argv[i], "--json") == 0)
			*json = true;
		else
			return -1;
	}
	return 0;
}

/*
 * Every check, in the order the text output shows them. Without a directory section there
 * is no NSS cache to look up, no cache and no agent: nothing there to check.
 */
static void run_checks(struct doctor *d)
{
	static const char *const services[] = { "sshd", "sudo", "su", "login" };
	struct doctor_pam_summary sum, sshd_sum = { 0 };
	bool dir = d->cfg->directory.configured;
	size_t i;

	if (dir)
		doctor_nsswitch(d);
	else
		doctor_say(d, DOCTOR_OK, "directory",
			   "none configured: no sync, cache or agent to check (local users only)");
	for (i = 0; i < sizeof(services) / sizeof(services[0]); i++) {
		doctor_pam(d, services[i], &sum);
		if (i == 0)
			sshd_sum = sum;
	}
	doctor_sshd(d, &sshd_sum);
	if (dir) {
		doctor_cache(d);
		doctor_agent(d);
	}
}

/* --json: {"ok", "fails", "warnings", "findings": [...]}, documented in hostiam(8). */
static void run_checks_json(struct doctor *d)
{
	struct json_out j;

	json_init(&j, stdout);
	json_object_begin(&j);
	json_key(&j, "findings");
	json_array_begin(&j);
	d->json = &j;
	run_checks(d);
	d->json = NULL;
	json_array_end(&j);
	json_kv_bool(&j, "ok", d->fails == 0);
	json_kv_int(&j, "fails", d->fails);
	json_kv_int(&j, "warnings", d->warns);
	json_object_end(&j);
}

int cmd_doctor(const struct cli *cli, int argc, char **argv)
{
	struct doctor d = { 0 };
	struct hostiam_config *cfg;
	bool json;

	if (parse_args(argc, argv, &d.root, &json) < 0) {
		cli_usage(stderr, argv[0]);
		return EXIT_USAGE;
	}
	cfg = cli_load_config(cli);
	if (!cfg)
		return EXIT_USAGE;
	d.cfg = cfg;
	if (json)
		run_checks_json(&d);
	else
		run_checks(&d);
	hostiam_config_free(cfg);
	return d.fails ? EXIT_FAILED : EXIT_OK;
}
