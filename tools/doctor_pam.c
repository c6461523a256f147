/* SPDX-License-Identifier: BSD-2-Clause */
/* hostiam doctor: pam_hostiam in the PAM stacks, and the control flags that defeat it. */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "doctor.h"

#define PAM_MAX_ENTRIES 256
#define PAM_MAX_DEPTH 8

struct pam_entry {
	char type[16];     /* auth, account, password, session (without '-') */
	char control[128]; /* as written, brackets included */
	char module[256];
	bool password; /* pam_hostiam with the `password` option: the first factor */
};

struct pam_stack {
	struct pam_entry e[PAM_MAX_ENTRIES];
	size_t n;
};

static int load_file(const struct doctor *d, const char *name, const char *only,
		     struct pam_stack *s, int depth);

/* Copy the next whitespace-separated token (a bracketed control as one) into buf. */
static const char *next_token(const char *p, char *buf, size_t size)
{
	size_t n = 0;
	int bracket;

	while (isspace((unsigned char)*p))
		p++;
	bracket = *p == '[';
	while (*p && (bracket ? p[-1] != ']' || n == 0 : !isspace((unsigned char)*p))) {
		if (n + 1 < size)
			buf[n++] = *p;
		p++;
	}
	buf[n] = '\0';
	return p;
}

/* Whether module names pam_hostiam (bare or as a path). */
static bool is_hostiam(const char *module)
{
	const char *base = strrchr(module, '/');

	return strcmp(base ? base + 1 : module, "pam_hostiam.so") == 0;
}

/* Add one "type control module" line to s (following include and substack). */
static void add_line(const struct doctor *d, const char *line, const char *only,
		     struct pam_stack *s, int depth)
{
	struct pam_entry e;
	const char *p, *type;

	p = next_token(line, e.type, sizeof(e.type));
	if (e.type[0] == '@') {
		if (strcmp(e.type, "@include") == 0) {
			next_token(p, e.module, sizeof(e.module));
			load_file(d, e.module, only, s, depth + 1);
		}
		return;
	}
	p = next_token(p, e.control, sizeof(e.control));
	p = next_token(p, e.module, sizeof(e.module));
	e.password = false;
	while (*p) {
		char arg[256];

		p = next_token(p, arg, sizeof(arg));
		e.password |= strcmp(arg, "password") == 0;
	}
	type = e.type[0] == '-' ? e.type + 1 : e.type;
	if (!e.module[0] || (only && strcmp(type, only) != 0))
		return;
	if (strcmp(e.control, "include") == 0 || strcmp(e.control, "substack") == 0) {
		load_file(d, e.module, type, s, depth + 1);
		return;
	}
	memmove(e.type, type, strlen(type) + 1);
	if (s->n < PAM_MAX_ENTRIES)
		s->e[s->n++] = e;
}

/* Append the lines of /etc/pam.d/NAME (of type only, when set) to s; -1 if unreadable. */
static int load_file(const struct doctor *d, const char *name, const char *only,
		     struct pam_stack *s, int depth)
{
	char rel[512], path[4096], line[1024];
	FILE *f;

	if (depth > PAM_MAX_DEPTH)
		return -1;
	if (name[0] == '/')
		snprintf(rel, sizeof(rel), "%s", name);
	else
		snprintf(rel, sizeof(rel), "/etc/pam.d/%s", name);
	if (doctor_path(d, rel, path, sizeof(path)) < 0)
		return -1;
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		char *hash = strchr(line, '#');

		if (hash)
			*hash = '\0';
		add_line(d, line, only, s, depth);
	}
	fclose(f);
	return 0;
}

/* Whether a bracketed control turns one of the error results of pam_hostiam into a pass. */
static bool bracket_trap(const char *control)
{
	static const char *const errs[] = { "default=", "auth_err=", "perm_denied=", "system_err=" };
	static const char *const passes[] = { "ignore", "ok", "done" };
	size_t i, j;

	for (i = 0; i < sizeof(errs) / sizeof(errs[0]); i++) {
		const char *at = strstr(control, errs[i]);

		if (!at || (at != control + 1 && !isspace((unsigned char)at[-1])))
			continue;
		at += strlen(errs[i]);
		for (j = 0; j < sizeof(passes) / sizeof(passes[0]); j++) {
			size_t n = strlen(passes[j]);

			if (strncmp(at, passes[j], n) == 0 &&
			    (at[n] == ']' || isspace((unsigned char)at[n])))
				return true;
		}
	}
	return false;
}

/* How many following lines a success of this control skips: 0, a count, or -1 for all. */
static int success_skips(const char *control)
{
	const char *at;
	int n;

	if (strcmp(control, "sufficient") == 0)
		return -1;
	at = strstr(control, "success=");
	if (!at || control[0] != '[')
		return 0;
	at += strlen("success=");
	if (strncmp(at, "done", 4) == 0)
		return -1;
	n = 0;
	while (isdigit((unsigned char)*at) && n < 1000)
		n = n * 10 + (*at++ - '0');
	return n;
}

/* Report a control flag of pam_hostiam itself that lets an error pass; 1 if reported. */
static int check_control(struct doctor *d, const char *area, enum doctor_level lvl,
			 const struct pam_entry *e)
{
	if (strcmp(e->control, "sufficient") == 0)
		doctor_say(d, lvl, area,
			   "pam_hostiam is \"sufficient\" in %s: an error or an allow "
			   "would skip the rest; use \"required\"",
			   e->type);
	else if (strcmp(e->control, "optional") == 0)
		doctor_say(d, lvl, area,
			   "pam_hostiam is \"optional\" in %s: a deny or an error is "
			   "ignored; use \"required\"",
			   e->type);
	else if (e->control[0] == '[' && bracket_trap(e->control))
		doctor_say(d, lvl, area,
			   "pam_hostiam is \"%s\" in %s: an error or a deny becomes a "
			   "pass; use \"required\"",
			   e->control, e->type);
	else
		return 0;
	return 1;
}

/* Report a module before pam_hostiam (index h of idx) whose success skips it; 1 if so. */
static int check_skipped(struct doctor *d, const char *area, enum doctor_level lvl,
			 const struct pam_stack *s, const size_t *idx, size_t h)
{
	size_t i;

	for (i = 0; i < h; i++) {
		const struct pam_entry *e = &s->e[idx[i]];
		int skip = success_skips(e->control);

		/* pam_rootok passes only root, whom the policy exempts anyway. */
		if (strstr(e->module, "pam_rootok.so"))
			continue;

		if (skip < 0 || (skip > 0 && i + (size_t)skip >= h)) {
			doctor_say(
				d, lvl, area,
				"pam_hostiam comes after \"%s\" %s in %s: its success "
				"skips pam_hostiam; put pam_hostiam first or make %s \"required\"",
				e->control, e->module, e->type, e->module);
			return 1;
		}
	}
	return 0;
}

/*
 * A `password` line (the directory password) answers PAM_USER_UNKNOWN for local users and
 * root: on a plain required/requisite line that refuses them. 1 if reported.
 */
static int check_password_line(struct doctor *d, const char *area, const struct pam_entry *e)
{
	if (strcmp(e->control, "required") != 0 && strcmp(e->control, "requisite") != 0)
		return 0;
	doctor_say(d, DOCTOR_FAIL, area,
		   "pam_hostiam password is \"%s\" in auth: local users and root get "
		   "user_unknown from it and are refused; use \"[success=1 "
		   "user_unknown=ignore default=die]\" before pam_unix (pam_hostiam(8))",
		   e->control);
	return 1;
}

/*
 * The pam_hostiam line that enforces in this type: the first one without `password`, else
 * the first `password` line (a directory-only stack). *pw is the first `password` line, or
 * n. Returns the index, or n when pam_hostiam is not there.
 */
static size_t enforcing_line(const struct pam_stack *s, const size_t *idx, size_t n, size_t *pw)
{
	size_t h;

	*pw = n;
	for (h = 0; h < n; h++) {
		if (!is_hostiam(s->e[idx[h]].module))
			continue;
		if (!s->e[idx[h]].password)
			return h;
		if (*pw == n)
			*pw = h;
	}
	return *pw;
}

/* Check pam_hostiam in one stack type (auth or account); returns the findings made. */
static int check_type(struct doctor *d, const char *service, const char *area,
		      const struct pam_stack *s, const char *type, struct doctor_pam_summary *out)
{
	size_t idx[PAM_MAX_ENTRIES], n = 0, h, i, pw;
	bool auth = strcmp(type, "auth") == 0, mfa = doctor_needs_mfa(d->cfg, service);
	bool terms = doctor_needs_terms(d->cfg, service), needs = mfa || terms;
	enum doctor_level lvl = auth && needs ? DOCTOR_FAIL : DOCTOR_WARN;
	int found = 0;

	for (i = 0; i < s->n; i++)
		if (strcmp(s->e[i].type, type) == 0)
			idx[n++] = i;
	h = enforcing_line(s, idx, n, &pw);
	if (pw < n)
		found = check_password_line(d, area, &s->e[idx[pw]]);
	if (h == n) {
		if (auth && !needs)
			return 0;
		if (auth)
			doctor_say(d, lvl, area,
				   "pam_hostiam missing from auth: the policy asks for %s "
				   "on %s; add \"auth required pam_hostiam.so\"",
				   mfa ? (terms ? "MFA and terms of use" : "MFA") : "terms of use",
				   service);
		else
			doctor_say(d, lvl, area,
				   "pam_hostiam missing from account: access rules are not "
				   "enforced for %s; add \"account required pam_hostiam.so\"",
				   service);
		return 1;
	}
	if (auth)
		out->has_hostiam_auth = true;
	if (found)
		return found;
	/* A success of pam_unix before a `password` line skips it for local users, by design. */
	return check_control(d, area, lvl, &s->e[idx[h]]) +
		(h == pw ? 0 : check_skipped(d, area, lvl, s, idx, h));
}

/* Whether module only sets up or ends a stack and never checks a secret itself. */
static bool checks_no_secret(const char *module)
{
	static const char *const plain[] = { "pam_env.so",       "pam_nologin.so",
					     "pam_faildelay.so", "pam_deny.so",
					     "pam_permit.so",    "pam_succeed_if.so",
					     "pam_faillock.so",  "pam_cap.so",
					     "pam_group.so",     "pam_hostiam.so" };
	const char *base = strrchr(module, '/');
	size_t i;

	base = base ? base + 1 : module;
	for (i = 0; i < sizeof(plain) / sizeof(plain[0]); i++)
		if (strcmp(base, plain[i]) == 0)
			return true;
	return false;
}

void doctor_pam(struct doctor *d, const char *service, struct doctor_pam_summary *out)
{
	static struct pam_stack s;
	char area[64];
	size_t i;
	int found;

	memset(out, 0, sizeof(*out));
	s.n = 0;
	snprintf(area, sizeof(area), "pam %s", service);
	if (load_file(d, service, NULL, &s, 0) < 0) {
		doctor_say(d,
			   (doctor_needs_mfa(d->cfg, service) ||
			    doctor_needs_terms(d->cfg, service)) &&
					   strcmp(service, "sshd") == 0 ?
				   DOCTOR_WARN :
				   DOCTOR_OK,
			   area, "no /etc/pam.d/%s (not installed)", service);
		return;
	}
	out->present = true;
	found = check_type(d, service, area, &s, "auth", out);
	found += check_type(d, service, area, &s, "account", out);
	out->hostiam_only_auth = out->has_hostiam_auth;
	for (i = 0; i < s.n; i++)
		if (strcmp(s.e[i].type, "auth") == 0 && !checks_no_secret(s.e[i].module))
			out->hostiam_only_auth = false;
	if (!found)
		doctor_say(d, DOCTOR_OK, area, "pam_hostiam %s, no traps",
			   out->has_hostiam_auth ? "in auth and account" : "in account");
}
