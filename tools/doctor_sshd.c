/* SPDX-License-Identifier: BSD-2-Clause */
/* hostiam doctor: sshd settings (from sshd -T) that bypass the keyboard-interactive step. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "doctor.h"

#define SSHD_OUT_MAX 65536
#define SSHD_ERR_MAX 4096
#define SSHD_ERR_LINES 3

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

/*
 * The sshd to run: /usr/sbin/sshd, or for the test suite only the program named by
 * HOSTIAM_TEST_SSHD (ignored in setuid processes), as sync/dir_local.c does for passwd.
 */
static char *sshd_program(void)
{
	static char prog[] = "/usr/sbin/sshd";
	char *p = secure_getenv("HOSTIAM_TEST_SSHD");

	return p && *p ? p : prog;
}

/*
 * The first lines of sshd's stderr on one line ("; " between them), carriage returns
 * dropped (sshd ends its messages with "\r\n"), other control bytes as '?'.
 */
static void first_lines(const char *err, char *buf, size_t size)
{
	size_t n = 0, lines = 0;
	const char *p;

	for (p = err; *p && lines < SSHD_ERR_LINES && n + 3 < size; p++) {
		if (*p == '\r')
			continue;
		if (*p == '\n') {
			lines++;
			if (p[1] && lines < SSHD_ERR_LINES) {
				buf[n++] = ';';
				buf[n++] = ' ';
			}
		} else {
			buf[n++] = (unsigned char)*p < 0x20 || *p == 0x7f ? '?' : *p;
		}
	}
	buf[n] = '\0';
}

/*
 * Say why sshd -T gave nothing: sshd's own words when it printed any (a missing
 * /run/sshd, a syntax error), and the advice to run as root only to someone who is not.
 */
static void sshd_failed(struct doctor *d, int r, const char *err)
{
	char why[512], status[32];

	first_lines(err, why, sizeof(why));
	if (r == -2)
		snprintf(status, sizeof(status), "timed out");
	else if (r < 0)
		snprintf(status, sizeof(status), "failed");
	else
		snprintf(status, sizeof(status), "failed (exit %d)", r);
	doctor_say(d, DOCTOR_WARN, "sshd", "\"sshd -T\" %s%s%s%s", status, why[0] ? ": " : "", why,
		   geteuid() != 0 ? "; run doctor as root to check sshd" : "");
}

/* Get sshd -T output into out: the --root file or the real sshd; false (said why) if none. */
static bool sshd_effective(struct doctor *d, char *out, size_t size)
{
	static char opt[] = "-T";
	char *argv[] = { sshd_program(), opt, NULL };
	char path[4096], err[SSHD_ERR_MAX];
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
	r = doctor_run(argv, out, size, err, sizeof(err), 10);
	if (r != 0) {
		sshd_failed(d, r, err);
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
	/* Terms of use, like a code, are asked only through keyboard-interactive. */
	enum doctor_level lvl = doctor_needs_mfa(d->cfg, "sshd") ||
			doctor_needs_terms(d->cfg, "sshd") ?
		DOCTOR_FAIL :
		DOCTOR_WARN;

	if (!sshd_effective(d, text, sizeof(text)))
		return;
	if (!check_settings(d, text, pam, lvl))
		doctor_say(d, DOCTOR_OK, "sshd", "keyboard-interactive runs pam_hostiam");
	check_usedns(d, text);
}
