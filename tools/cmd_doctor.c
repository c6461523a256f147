/* SPDX-License-Identifier: BSD-2-Clause */
/* hostiam doctor: what on this host would let a login skip the checks the policy asks for. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "doctor.h"

/* Parse "doctor [--root DIR]"; 0 or -1 on a usage error. */
static int parse_args(int argc, char **argv, const char **root)
{
	int i;

	*root = "";
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--root") == 0 && i + 1 < argc)
			*root = argv[++i];
		else if (strncmp(argv[i], "--root=", 7) == 0)
			*root = argv[i] + 7;
		else
			return -1;
	}
	return 0;
}

int cmd_doctor(const struct cli *cli, int argc, char **argv)
{
	static const char *const services[] = { "sshd", "sudo", "su", "login" };
	struct doctor_pam_summary sum, sshd_sum = { 0 };
	struct doctor d = { 0 };
	struct hostiam_config *cfg;
	size_t i;

	if (parse_args(argc, argv, &d.root) < 0) {
		cli_usage(stderr, argv[0]);
		return EXIT_USAGE;
	}
	cfg = cli_load_config(cli);
	if (!cfg)
		return EXIT_USAGE;
	d.cfg = cfg;
	doctor_nsswitch(&d);
	for (i = 0; i < sizeof(services) / sizeof(services[0]); i++) {
		doctor_pam(&d, services[i], &sum);
		if (i == 0)
			sshd_sum = sum;
	}
	doctor_sshd(&d, &sshd_sum);
	doctor_cache(&d);
	doctor_agent(&d);
	hostiam_config_free(cfg);
	return d.fails ? EXIT_FAILED : EXIT_OK;
}
