/* SPDX-License-Identifier: BSD-2-Clause */
/* A sudoRole as "# DN" and one sudoers rule line: users ALL = spec cmd, spec cmd... */
#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "sudo_values.h"

void sudo_buf_add(struct sudo_buf *b, const char *s, size_t len)
{
	char *p;
	size_t cap;

	if (b->error)
		return;
	if (b->len + len + 1 > b->cap) {
		cap = (b->len + len + 1) * 2 > 256 ? (b->len + len + 1) * 2 : 256;
		p = realloc(b->p, cap);
		if (!p) {
			b->error = HOSTIAM_ERR_NOMEM;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, len);
	b->len += len;
	b->p[b->len] = '\0';
}

void sudo_buf_addf(struct sudo_buf *b, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(tmp))
		b->error = HOSTIAM_ERR_INTERNAL;
	else
		sudo_buf_add(b, tmp, (size_t)n);
}

void sudo_buf_free(struct sudo_buf *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}

/* Digits only, exactly n of them, at s. */
static bool digits(const char *s, size_t n, int *out)
{
	size_t i;

	*out = 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		*out = *out * 10 + (s[i] - '0');
	}
	return true;
}

/* The zone suffix: Z, or +hh[mm] / -hh[mm] into seconds east of UTC. */
static int parse_zone(const char *s, long *off)
{
	int h, m = 0;
	size_t n = strlen(s);

	*off = 0;
	if (strcmp(s, "Z") == 0)
		return 0;
	if ((s[0] != '+' && s[0] != '-') || (n != 3 && n != 5) || !digits(s + 1, 2, &h) ||
	    (n == 5 && !digits(s + 3, 2, &m)) || h > 23 || m > 59)
		return -1;
	*off = (s[0] == '-' ? -1 : 1) * (h * 3600L + m * 60L);
	return 0;
}

int sudo_parse_gentime(const char *s, time_t *t)
{
	struct tm tm = { 0 };
	int v[6] = { 0 }, i;
	size_t n = strspn(s, "0123456789");
	const char *p = s + n;
	long off;

	if (n != 10 && n != 12 && n != 14)
		return -1;
	for (i = 0; i < (int)n / 2 - 1; i++)
		digits(s + (i ? 2 + 2 * i : 0), i ? 2 : 4, &v[i]);
	if (*p == '.' || *p == ',')
		p += 1 + strspn(p + 1, "0123456789");
	if (parse_zone(p, &off) < 0 || v[1] < 1 || v[1] > 12 || v[2] < 1 || v[2] > 31 ||
	    v[3] > 23 || v[4] > 59 || v[5] > 60)
		return -1;
	tm.tm_year = v[0] - 1900;
	tm.tm_mon = v[1] - 1;
	tm.tm_mday = v[2];
	tm.tm_hour = v[3];
	tm.tm_min = v[4];
	tm.tm_sec = v[5];
	*t = timegm(&tm) - off;
	return 0;
}

/* The earliest (or latest) of the times in vals into *out; 0 none, 1 set, -1 a bad one. */
static int pick_time(const struct sudo_values *vals, bool latest, time_t *out, char *why,
		     size_t why_len, const char *attr)
{
	size_t i;
	time_t t;

	for (i = 0; i < vals->n; i++) {
		if (sudo_parse_gentime(vals->v[i], &t) < 0) {
			snprintf(why, why_len, "%s \"%s\" is not a generalized time", attr,
				 vals->v[i]);
			return -1;
		}
		if (i == 0 || (latest ? t > *out : t < *out))
			*out = t;
	}
	return vals->n > 0;
}

/* Append the values of one attribute through check, joined by ", "; how many passed. */
static int add_list(const struct sudo_values *vals,
		    int (*check)(const char *, struct sudo_buf *, char *, size_t),
		    struct sudo_buf *b, char *why, size_t why_len, char *notes, size_t notes_len,
		    size_t *n_out)
{
	size_t i, n = 0, mark;
	int r;

	for (i = 0; i < vals->n; i++) {
		mark = b->len;
		if (n)
			sudo_buf_add(b, ", ", 2);
		r = check(vals->v[i], b, why, why_len);
		if (r == SUDO_VALUE_BAD)
			return -1;
		if (r == SUDO_VALUE_DROP) {
			b->len = mark;
			if (b->p)
				b->p[mark] = '\0';
			snprintf(notes, notes_len, "%s", why);
			continue;
		}
		n++;
	}
	*n_out = n;
	return 0;
}

/* "(users : groups) " or "(: groups) ", or nothing when neither is given (root). */
static int add_runas(const struct sudo_rule *r, struct sudo_buf *b, char *why, size_t why_len,
		     char *notes, size_t notes_len)
{
	const struct sudo_values *users = &r->a[SUDO_RUNAS_USER], *groups = &r->a[SUDO_RUNAS_GROUP];
	size_t n;

	if (users->n == 0)
		users = &r->a[SUDO_RUNAS];
	if (users->n == 0 && groups->n == 0)
		return 0;
	sudo_buf_add(b, "(", 1);
	if (add_list(users, sudo_value_runas_user, b, why, why_len, notes, notes_len, &n) < 0)
		return -1;
	if (groups->n) {
		sudo_buf_add(b, users->n ? " : " : ": ", users->n ? 3 : 2);
		if (add_list(groups, sudo_value_runas_group, b, why, why_len, notes, notes_len,
			     &n) < 0)
			return -1;
	}
	sudo_buf_add(b, ") ", 2);
	return 0;
}

/* "NAME=YYYYMMDDHHMMSSZ " for t, in UTC (sudo reads the Z). */
static void add_date(struct sudo_buf *b, const char *name, time_t t)
{
	struct tm tm;

	if (!gmtime_r(&t, &tm)) {
		b->error = HOSTIAM_ERR_INVALID_ARG;
		return;
	}
	sudo_buf_addf(b, "%s=%04d%02d%02d%02d%02d%02dZ ", name, tm.tm_year + 1900, tm.tm_mon + 1,
		      tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* The spec every command of the rule gets: runas, options, times, tags. */
static int add_spec(const struct sudo_rule *r, time_t now, struct sudo_buf *spec, char *why,
		    size_t why_len, char *notes, size_t notes_len)
{
	struct sudo_buf dates = { 0 };
	struct sudo_opts o;
	time_t nb = 0, na = 0;
	int has_nb, has_na, rc;
	size_t i;

	sudo_opts_init(&o);
	for (i = 0; i < r->a[SUDO_OPTION].n; i++)
		if (sudo_value_option(r->a[SUDO_OPTION].v[i], &o, why, why_len) != SUDO_VALUE_OK)
			return SUDO_RULE_SKIPPED;
	/* sudoers.ldap(5): the earliest sudoNotBefore and the latest sudoNotAfter count. */
	has_nb = pick_time(&r->a[SUDO_NOT_BEFORE], false, &nb, why, why_len, "sudoNotBefore");
	has_na = pick_time(&r->a[SUDO_NOT_AFTER], true, &na, why, why_len, "sudoNotAfter");
	if (has_nb < 0 || has_na < 0)
		return SUDO_RULE_SKIPPED;
	if (has_na && na <= now)
		return SUDO_RULE_EXPIRED;
	if (add_runas(r, spec, why, why_len, notes, notes_len) < 0)
		return SUDO_RULE_SKIPPED;
	if (has_nb)
		add_date(&dates, "NOTBEFORE", nb);
	if (has_na)
		add_date(&dates, "NOTAFTER", na);
	sudo_opts_render(&o, dates.p ? dates.p : "", spec);
	rc = dates.error ? dates.error : spec->error ? spec->error : SUDO_RENDERED;
	sudo_buf_free(&dates);
	return rc;
}

/* The sudoOrder of r into *order (0 without one): -1 when it is not a number. */
static int parse_order(const struct sudo_rule *r, double *order, char *why, size_t why_len)
{
	const char *v = r->a[SUDO_ORDER].n ? r->a[SUDO_ORDER].v[0] : NULL;
	char *end;

	*order = 0;
	if (!v)
		return 0;
	*order = strtod(v, &end);
	if (end == v || *end || !isfinite(*order)) {
		snprintf(why, why_len, "sudoOrder \"%s\" is not a number", v);
		return -1;
	}
	return 0;
}

/* "# DN" with every byte a comment line cannot safely hold replaced by '?'. */
static void add_dn_comment(const char *dn, struct sudo_buf *b)
{
	sudo_buf_add(b, "# ", 2);
	for (; *dn; dn++)
		sudo_buf_add(b, (*dn >= 0x20 && *dn <= 0x7e && *dn != '\\') ? dn : "?", 1);
	sudo_buf_add(b, "\n", 1);
}

/* Append each command, its spec before it (sudoers would inherit it; said each time). */
static int add_commands(const struct sudo_rule *r, const struct sudo_buf *spec,
			struct sudo_buf *line, char *why, size_t why_len)
{
	size_t i;

	for (i = 0; i < r->a[SUDO_COMMAND].n; i++) {
		if (i)
			sudo_buf_add(line, ", ", 2);
		sudo_buf_add(line, spec->p ? spec->p : "", spec->len);
		if (sudo_value_command(r->a[SUDO_COMMAND].v[i], line, why, why_len) !=
		    SUDO_VALUE_OK)
			return SUDO_RULE_SKIPPED;
	}
	if (i == 0) {
		snprintf(why, why_len, "no sudoCommand");
		return SUDO_RULE_SKIPPED;
	}
	return SUDO_RENDERED;
}

int sudo_render_rule(const struct sudo_rule *r, time_t now, struct sudo_buf *out, double *order,
		     char *why, size_t why_len, char *notes, size_t notes_len)
{
	struct sudo_buf line = { 0 }, spec = { 0 };
	size_t n_users = 0;
	int rc;

	notes[0] = '\0';
	if (r->binary) {
		snprintf(why, why_len, "a value is not UTF-8 text");
		return SUDO_RULE_SKIPPED;
	}
	if (parse_order(r, order, why, why_len) < 0)
		return SUDO_RULE_SKIPPED;
	rc = add_spec(r, now, &spec, why, why_len, notes, notes_len);
	if (rc == SUDO_RENDERED &&
	    add_list(&r->a[SUDO_USER], sudo_value_user, &line, why, why_len, notes, notes_len,
		     &n_users) < 0)
		rc = SUDO_RULE_SKIPPED;
	if (rc == SUDO_RENDERED && n_users == 0) {
		snprintf(why, why_len, "no sudoUser this host can render");
		rc = SUDO_RULE_SKIPPED;
	}
	if (rc == SUDO_RENDERED) {
		sudo_buf_add(&line, " ALL = ", 7);
		rc = add_commands(r, &spec, &line, why, why_len);
	}
	if (rc == SUDO_RENDERED && !line.error && !spec.error) {
		add_dn_comment(r->dn, out);
		sudo_buf_add(out, line.p, line.len);
		sudo_buf_add(out, "\n", 1);
	}
	if (rc == SUDO_RENDERED && (line.error || spec.error || out->error))
		rc = HOSTIAM_ERR_NOMEM;
	sudo_buf_free(&line);
	sudo_buf_free(&spec);
	return rc;
}
