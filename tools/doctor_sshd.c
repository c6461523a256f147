/* SPDX-License-Identifier: BSD-2-Clause */
/* hostiam doctor: sshd settings (from sshd -T) that bypass the keyboard-interactive step. */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "doctor.h"

#define SSHD_OUT_MAX 65536

/* Copy the value of key (lower case, as sshd -T prints it) into buf; false when absent. */
static bool sshd_get(const char *text, const char *key, char *buf, size_t size)
{
	size_t klen = strlen(key);
	const char *p = text;

	while (p && *p) {
		if (strncmp(p, key, klen) == 0 && p[klen] == ' ') {
			const char *v = p + klen + 1, *end = strchr(v, '\n');
			size_t n = end ? (size_t)(end - v) : strlen(v);

			snprintf(buf, size, "%.*s", (int)n, v);
			return true;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return false;
}

/* Whether every method list of AuthenticationMethods ends in keyboard-interactive. */
static bool methods_need_kbdint(const char *methods)
{
	char copy[1024], *save = NULL, *list;

	snprintf(copy, sizeof(copy), "%s", methods);
	for (list = strtok_r(copy, " ", &save); list; list = strtok_r(NULL, " ", &save))
		if (!strstr(list, "keyboard-interactive"))
			return false;
	return true;
}

/* Get sshd -T output into out: the --root file or the real sshd; false (said why) if none. */
static bool sshd_effective(struct doctor *d, char *out, size_t size)
{
	static char prog[] = "/usr/sbin/sshd", opt[] = "-T";
	char *argv[] = { prog, opt, NULL };
	char path[4096];
	FILE *f;
	size_t n;
	int r;

	if (d->root[0]) {
		if (doctor_path(d, "/sshd-T.txt", path, sizeof(path)) < 0 ||
		    !(f = fopen(path, "re"))) {
			doctor_say(d, DOCTOR_OK, "sshd",
				   "not checked (no sshd-T.txt under --root)");
			return false;
		}
		n = fread(out, 1, size - 1, f);
		out[n] = '\0';
		fclose(f);
		return true;
	}
	if (access(argv[0], X_OK) != 0) {
		doctor_say(d, DOCTOR_OK, "sshd", "not installed");
		return false;
	}
	r = doctor_run(argv, out, size, 10);
	if (r != 0) {
		doctor_say(d, DOCTOR_WARN, "sshd",
			   "\"sshd -T\" %s: run doctor as root to check sshd",
			   r == -2 ? "timed out" : "failed");
		return false;
	}
	return true;
}

/* Check the settings; returns the findings made. */
static int check_settings(struct doctor *d, const char *t, const struct doctor_pam_summary *pam,
			  enum doctor_level lvl)
{
	char v[1024];
	int found = 0;

	if (sshd_get(t, "usepam", v, sizeof(v)) && strcmp(v, "yes") != 0 && ++found)
		doctor_say(d, lvl, "sshd", "UsePAM %s: pam_hostiam never runs; set UsePAM yes", v);
	if ((sshd_get(t, "kbdinteractiveauthentication", v, sizeof(v)) ||
	     sshd_get(t, "challengeresponseauthentication", v, sizeof(v))) &&
	    strcmp(v, "yes") != 0 && ++found)
		doctor_say(d, lvl, "sshd",
			   "KbdInteractiveAuthentication %s: the TOTP prompt can never "
			   "be shown; set KbdInteractiveAuthentication yes",
			   v);
	if (sshd_get(t, "authenticationmethods", v, sizeof(v)) && !methods_need_kbdint(v) &&
	    ++found)
		doctor_say(d, lvl, "sshd",
			   "AuthenticationMethods %s: a key alone logs in; use "
			   "publickey,keyboard-interactive",
			   v);
	if (sshd_get(t, "passwordauthentication", v, sizeof(v)) && strcmp(v, "yes") == 0 &&
	    pam->hostiam_only_auth && ++found)
		doctor_say(
			d, lvl, "sshd",
			"PasswordAuthentication yes with pam_hostiam as the only auth "
			"module: a TOTP code alone is a password; set PasswordAuthentication no");
	return found;
}

/* The first rule for sshd that matches on addresses (`from` with CIDRs), or NULL. */
static const struct hostiam_rule *sshd_from_rule(const struct hostiam_config *cfg)
{
	size_t i, j;

	for (i = 0; i < cfg->access.n_rules; i++) {
		const struct hostiam_rule *r = &cfg->access.rules[i];

		if (r->n_from == 0)
			continue;
		if (r->services.n == 0)
			return r;
		for (j = 0; j < r->services.n; j++)
			if (strcmp(r->services.items[j], "sshd") == 0)
				return r;
	}
	return NULL;
}

/*
 * UseDNS yes makes sshd hand PAM the client's host name (PAM_RHOST) when its address
 * resolves; `from` compares addresses only, so such a rule silently stops matching.
 */
static void check_usedns(struct doctor *d, const char *t)
{
	const struct hostiam_rule *r = sshd_from_rule(d->cfg);
	char v[64];

	if (r && sshd_get(t, "usedns", v, sizeof(v)) && strcmp(v, "yes") == 0)
		doctor_say(
			d, DOCTOR_WARN, "sshd",
			"UseDNS yes: sshd may pass the client's host name "
			"as PAM_RHOST, and `from` rules match addresses only, so rule \"%s\" (and "
			"every `from` rule) never matches a client whose address resolves; set "
			"UseDNS no",
			r->name ? r->name : "?");
}

void doctor_sshd(struct doctor *d, const struct doctor_pam_summary *pam)
{
	static char text[SSHD_OUT_MAX];
	enum doctor_level lvl = doctor_needs_mfa(d->cfg, "sshd") ? DOCTOR_FAIL : DOCTOR_WARN;

	if (!sshd_effective(d, text, sizeof(text)))
		return;
	if (!check_settings(d, text, pam, lvl))
		doctor_say(d, DOCTOR_OK, "sshd", "keyboard-interactive runs pam_hostiam");
	check_usedns(d, text);
}
