/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * audit_writer: record audit events through the core the PAM module uses, for the
 * concurrency and rotation checks of test_pam_audit.sh.
 *
 *   audit_writer CONFIG TAG N     N "decision" events, user TAG, rule "w<i>" (i = 0..N-1)
 *
 * Exit status 0 when every event was written, 1 when one was not, 2 for usage.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "configuration.h"
#include "parse_num.h"

int main(int argc, char **argv)
{
	struct hostiam_config_errors errs;
	struct hostiam_config *cfg = NULL;
	struct hostiam_audit_event ev;
	unsigned long n, i;
	char rule[32];
	int bad = 0;

	if (argc != 4 || hostiam_parse_ulong(argv[3], 1, 1000000, &n) < 0) {
		fprintf(stderr, "usage: audit_writer CONFIG TAG N\n");
		return 2;
	}
	memset(&errs, 0, sizeof(errs));
	if (hostiam_config_load(argv[1], &cfg, &errs) < 0) {
		fprintf(stderr, "audit_writer: cannot load %s\n", argv[1]);
		return 2;
	}
	memset(&ev, 0, sizeof(ev));
	ev.kind = HOSTIAM_AUDIT_DECISION;
	ev.user = argv[2];
	ev.service = "sshd";
	ev.decision = "allow";
	ev.reason = "concurrent writer";
	ev.rule = rule;
	for (i = 0; i < n; i++) {
		snprintf(rule, sizeof(rule), "w%lu", i);
		if (hostiam_audit_record(cfg, &ev) < 0)
			bad = 1;
	}
	hostiam_config_free(cfg);
	return bad;
}
