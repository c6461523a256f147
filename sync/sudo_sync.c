/* SPDX-License-Identifier: BSD-2-Clause */
/* One pass of the sudo rules: read, keep this host's, render, order, check, install. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "errors.h"
#include "log.h"
#include "sudo_fetch.h"
#include "sudo_file.h"
#include "sudo_host.h"
#include "sudo_render.h"
#include "sudo_sync.h"

#define FILE_HEADER \
	"# sudo rules for this host from the directory, written by the hostiam agent.\n" \
	"# Do not edit: the next sync replaces this file. Rules left out are in its log.\n"

/* One rendered rule, to be ordered. */
struct piece {
	double order;
	const char *dn;
	struct sudo_buf text;
	int dropped; /* visudo refused it on its own */
};

/* sudoOrder ascending, as sudo applies LDAP rules; the DN breaks ties, for a stable file. */
static int cmp_piece(const void *a, const void *b)
{
	const struct piece *x = a, *y = b;

	if (x->order != y->order)
		return x->order < y->order ? -1 : 1;
	return strcmp(x->dn, y->dn);
}

/* Log that the rule at dn is left out, and why. */
static void log_rule(int prio, const char *what, const char *dn, const char *why)
{
	char d[512], w[512];

	hostiam_log_value(d, sizeof(d), dn);
	hostiam_log_value(w, sizeof(w), why);
	hostiam_log(prio, "%s dn=%s reason=%s", what, d, w);
}

/* Render the rules that are for this host into p; *n of them. */
static int render_all(const struct sudo_rules *rules, const struct sudo_host *h, struct piece *p,
		      size_t *n, size_t *skipped)
{
	time_t now = time(NULL);
	char why[512], notes[512];
	size_t i;
	int r;

	for (i = 0; i < rules->n; i++) {
		const struct sudo_rule *rule = &rules->v[i];
		enum sudo_host_match m;

		m = sudo_host_matches(h, rule->a[SUDO_HOST].v, rule->a[SUDO_HOST].n, why,
				      sizeof(why), notes, sizeof(notes));
		if (notes[0])
			log_rule(LOG_NOTICE, "sudo rule: value ignored", rule->dn, notes);
		if (m == SUDO_HOST_SKIP) {
			log_rule(LOG_WARNING, "sudo rule left out", rule->dn, why);
			(*skipped)++;
		}
		if (m != SUDO_HOST_YES)
			continue;
		memset(&p[*n], 0, sizeof(p[*n]));
		p[*n].dn = rule->dn;
		r = sudo_render_rule(rule, now, &p[*n].text, &p[*n].order, why, sizeof(why), notes,
				     sizeof(notes));
		if (r < 0) {
			sudo_buf_free(&p[*n].text);
			return r;
		}
		if (notes[0])
			log_rule(LOG_NOTICE, "sudo rule: value left out", rule->dn, notes);
		if (r == SUDO_RULE_SKIPPED) {
			log_rule(LOG_WARNING, "sudo rule left out", rule->dn, why);
			(*skipped)++;
		} else if (r == SUDO_RULE_EXPIRED) {
			log_rule(LOG_INFO, "sudo rule expired, left out", rule->dn,
				 "sudoNotAfter is past");
		}
		if (r == SUDO_RENDERED)
			(*n)++;
		else
			sudo_buf_free(&p[*n].text);
	}
	qsort(p, *n, sizeof(*p), cmp_piece);
	return 0;
}

/* The file: the header, then every piece not dropped, in order. */
static int assemble(const struct piece *p, size_t n, struct sudo_buf *out, size_t *kept)
{
	size_t i;

	out->len = 0;
	*kept = 0;
	sudo_buf_add(out, FILE_HEADER, strlen(FILE_HEADER));
	for (i = 0; i < n; i++) {
		if (p[i].dropped)
			continue;
		sudo_buf_add(out, p[i].text.p, p[i].text.len);
		(*kept)++;
	}
	return out->error;
}

/* After visudo refused the whole: check each rule alone and drop the ones it refuses. */
static int drop_refused(struct piece *p, size_t n, size_t *skipped)
{
	char why[512];
	size_t i;
	int r;

	for (i = 0; i < n; i++) {
		r = sudo_visudo_check(p[i].text.p, p[i].text.len, why, sizeof(why));
		if (r < 0)
			return r;
		if (r == SUDO_FILE_REFUSED) {
			p[i].dropped = 1;
			(*skipped)++;
			log_rule(LOG_WARNING, "sudo rule left out: visudo refuses it", p[i].dn,
				 why);
		}
	}
	return 0;
}

/* Install the rendered pieces; the fallback of drop_refused when visudo refuses them all. */
static int install(const struct hostiam_config *cfg, struct piece *p, size_t n, size_t *skipped,
		   char *err, size_t err_len)
{
	const char *path = cfg->directory.sudo_file;
	struct sudo_buf file = { 0 };
	char why[512];
	size_t kept;
	int r, changed = 0;

	r = assemble(p, n, &file, &kept);
	if (r == 0)
		r = sudo_file_install(path, file.p, file.len, &changed, why, sizeof(why));
	if (r == SUDO_FILE_REFUSED && (r = drop_refused(p, n, skipped)) == 0 &&
	    (r = assemble(p, n, &file, &kept)) == 0)
		r = sudo_file_install(path, file.p, file.len, &changed, why, sizeof(why));
	if (r == SUDO_FILE_REFUSED)
		snprintf(err, err_len,
			 "visudo refuses the sudo rules file, the last good one "
			 "stays: %s",
			 why);
	else if (r < 0)
		snprintf(err, err_len, "sudo rules not written: %s",
			 why[0] ? why : hostiam_strerror(r));
	else
		hostiam_log(LOG_INFO, "sudo rules %s rules=%zu skipped=%zu file=%s",
			    changed ? "written" : "unchanged", kept, *skipped, path);
	sudo_buf_free(&file);
	return r == SUDO_FILE_REFUSED ? HOSTIAM_ERR_CONFIG : r;
}

int sudo_sync(const struct hostiam_config *cfg, LDAP *ld, const volatile sig_atomic_t *stop,
	      char *err, size_t err_len)
{
	struct sudo_rules rules = { 0 };
	struct sudo_host host;
	struct piece *p = NULL;
	size_t n = 0, skipped = 0, i;
	int r;

	if (!cfg->directory.sudo_base)
		return 0;
	r = sudo_host_load(&host);
	if (r < 0) {
		snprintf(err, err_len, "cannot read this host's names and addresses: %s",
			 hostiam_strerror(r));
		return r;
	}
	r = sudo_fetch(cfg, ld, stop, &rules, err, err_len);
	if (r == 0 && rules.n && !(p = calloc(rules.n, sizeof(*p))))
		r = HOSTIAM_ERR_NOMEM;
	if (r == 0)
		r = render_all(&rules, &host, p, &n, &skipped);
	if (r == 0)
		r = install(cfg, p, n, &skipped, err, err_len);
	else if (r == HOSTIAM_ERR_NOMEM)
		snprintf(err, err_len, "%s", hostiam_strerror(r));
	for (i = 0; i < n; i++)
		sudo_buf_free(&p[i].text);
	free(p);
	sudo_rules_free(&rules);
	sudo_host_free(&host);
	return r;
}
