/* SPDX-License-Identifier: BSD-2-Clause */
/* The elevation commands' changes under directory.grants.base, bound as the user. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "auth_reply.h"
#include "dir_attrs.h"
#include "dir_search.h"
#include "dir_user_bind.h"
#include "dir_user_find.h"
#include "dir_user_op.h"
#include "errors.h"
#include "grants_dirop.h"
#include "ldap_uri.h"
#include "parse_num.h"

/* How many random numbers an add tries before it gives up on finding a free one. */
#define ADD_TRIES 5

/* The attributes read back, in this order. */
enum {
	R_REQUESTER,
	R_ROLE,
	R_DURATION,
	R_REASON,
	R_STATUS,
	R_APPROVER,
	R_NB,
	R_NA,
	R_CREATED,
	R_CN,
	R_N
};
static const char *const read_names[R_N + 1] = {
	"hostiamGrantRequester",
	"hostiamGrantRole",
	"hostiamGrantDuration",
	"hostiamGrantReason",
	"hostiamGrantStatus",
	"hostiamGrantApprover",
	"hostiamGrantNotBefore",
	"hostiamGrantNotAfter",
	"createTimestamp",
	"cn",
	NULL,
};
static const char *const status_names[] = {
	[HOSTIAM_GRANT_PENDING] = "pending",
	[HOSTIAM_GRANT_APPROVED] = "approved",
	[HOSTIAM_GRANT_DENIED] = "denied",
	[HOSTIAM_GRANT_REVOKED] = "revoked",
};

/* "cn=ID,BASE" into buf. */
static void grant_dn(const struct grants_dirop *s, unsigned long id, char *buf, size_t len)
{
	snprintf(buf, len, "cn=%lu,%s", id, s->d->grants_base);
}

/* GeneralizedTime (UTC, "Z") <-> time_t; -1 when t cannot be read. */
static time_t gtime_parse(const char *t)
{
	struct tm tm = { 0 };
	const char *end = t ? strptime(t, "%Y%m%d%H%M%S", &tm) : NULL;

	return end && (*end == 'Z' || (end[0] == '.' && strchr(end, 'Z'))) ? timegm(&tm) : -1;
}

static void gtime_format(time_t t, char *buf, size_t len)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y%m%d%H%M%SZ", &tm);
}

/* Send's result and the server's answer to msgid; a refusal becomes "the directory refused". */
static int answer(struct grants_dirop *s, int sent, int msgid, struct dir_user_answer *a, char *err,
		  size_t err_len, LDAPMessage **keep)
{
	LDAPMessage *res = NULL;
	int r;

	if (sent != LDAP_SUCCESS) {
		dir_conn_describe(s->conn.ld, sent, err, err_len);
		return dir_conn_map_error(sent) ? dir_conn_map_error(sent) : HOSTIAM_ERR_DIRECTORY;
	}
	r = dir_user_wait(s->conn.ld, msgid, s->d->timeout, &res, err, err_len);
	if (r == 0 && (r = dir_user_answer_read(s->conn.ld, res, a)) < 0)
		snprintf(err, err_len, "cannot read the server's answer");
	if (r == 0 && a->rc != LDAP_SUCCESS) {
		snprintf(err, err_len, "the directory refused: %s%s%s", ldap_err2string(a->rc),
			 a->diag[0] ? ": " : "", a->diag);
		r = a->rc == LDAP_NO_SUCH_OBJECT ? HOSTIAM_ERR_NOT_FOUND : HOSTIAM_ERR_DIRECTORY;
	}
	if (keep && r == 0)
		*keep = res;
	else
		ldap_msgfree(res);
	return r;
}

/* Connect as the agent would (anonymously unless root), to servers that may see a password. */
static int connect_safe(const struct hostiam_directory_config *d, struct dir_conn *conn, char *err,
			size_t err_len)
{
	struct hostiam_directory_config one = *d;
	char **uris = calloc(d->uris.n + 1, sizeof(*uris));
	int r;

	if (uris == NULL) {
		snprintf(err, err_len, "out of memory");
		return HOSTIAM_ERR_NOMEM;
	}
	one.uris.items = uris;
	one.uris.n = 0;
	for (size_t i = 0; i < d->uris.n; i++)
		if (d->starttls || !hostiam_ldap_uri_cleartext_remote(d->uris.items[i]))
			uris[one.uris.n++] = d->uris.items[i];
	if (one.uris.n == 0) {
		snprintf(err, err_len,
			 "no server to which a password may be sent (plain ldap:// "
			 "to another host: use ldaps:// or starttls = true)");
		r = HOSTIAM_ERR_CONFIG;
	} else {
		r = dir_conn_open(&one, conn, err, err_len);
	}
	free(uris);
	return r;
}

int grants_dirop_open(const struct hostiam_directory_config *d, const char *user,
		      const char *password, struct grants_dirop *s, char *err, size_t err_len)
{
	struct hostiam_auth_reply rep;
	char *dn = NULL;
	int r;

	memset(s, 0, sizeof(*s));
	s->d = d;
	if ((r = connect_safe(d, &s->conn, err, err_len)) < 0)
		return r;
	r = dir_user_find_dn(s->conn.ld, d, user, d->timeout, &dn, err, err_len);
	if (r == 0)
		r = dir_user_bind(s->conn.ld, dn, password, d->timeout, &rep, err, err_len);
	if (r == 0 && rep.result != HOSTIAM_AUTH_OK) {
		snprintf(err, err_len, "the directory refused %s's password%s%s", user,
			 rep.message[0] ? ": " : "", rep.message);
		r = HOSTIAM_ERR_INVALID_ARG;
	}
	free(dn);
	if (r < 0)
		grants_dirop_close(s);
	return r;
}

/* dir_entry_attrs' callback: the first value of attribute i, as text, into v[i]. */
static int take(void *ctx, size_t i, const struct berval *vals)
{
	char(*v)[256] = ctx;

	if (vals && vals[0].bv_val && vals[0].bv_len < sizeof(v[i]) &&
	    memchr(vals[0].bv_val, '\0', vals[0].bv_len) == NULL)
		snprintf(v[i], sizeof(v[i]), "%.*s", (int)vals[0].bv_len, vals[0].bv_val);
	return 0;
}

/* The grant of the attributes read; HOSTIAM_ERR_DIRECTORY when one cannot be a grant's. */
static int to_grant(char (*v)[256], struct hostiam_grant *g)
{
	const size_t n = sizeof(status_names) / sizeof(status_names[0]);
	unsigned long dur;
	size_t i = 0;

	while (i < n && strcmp(v[R_STATUS], status_names[i]) != 0)
		i++;
	g->status = (enum hostiam_grant_status)i;
	if (i == n || hostiam_parse_ulong(v[R_DURATION], 1, 1000000000UL, &dur) < 0 ||
	    strlen(v[R_REQUESTER]) >= sizeof(g->requester) || strlen(v[R_ROLE]) >= sizeof(g->role))
		return HOSTIAM_ERR_DIRECTORY;
	g->duration = (long)dur;
	snprintf(g->requester, sizeof(g->requester), "%s", v[R_REQUESTER]);
	snprintf(g->role, sizeof(g->role), "%s", v[R_ROLE]);
	snprintf(g->reason, sizeof(g->reason), "%s", v[R_REASON]);
	snprintf(g->approver, sizeof(g->approver), "%s", v[R_APPROVER]);
	g->requested = gtime_parse(v[R_CREATED]);
	if (g->requested < 0)
		g->requested = time(NULL);
	g->not_before = v[R_NB][0] ? gtime_parse(v[R_NB]) : 0;
	g->not_after = v[R_NA][0] ? gtime_parse(v[R_NA]) : 0;
	return 0;
}

int grants_dirop_read(struct grants_dirop *s, unsigned long id, struct hostiam_grant *g, char *err,
		      size_t err_len)
{
	char dn[1024], v[R_N][256] = { { 0 } }, *edn = NULL;
	struct timeval tv = { .tv_sec = s->d->timeout, .tv_usec = 0 };
	struct dir_user_answer a;
	LDAPMessage *res = NULL, *e = NULL;
	int msgid = -1, sent, r;

	grant_dn(s, id, dn, sizeof(dn));
	sent = ldap_search_ext(s->conn.ld, dn, LDAP_SCOPE_BASE, "(objectClass=hostiamGrant)",
			       (char **)read_names, 0, NULL, NULL, &tv, 1, &msgid);
	r = answer(s, sent, msgid, &a, err, err_len, &res);
	if (r == 0 && (e = ldap_first_entry(s->conn.ld, res)) == NULL)
		r = HOSTIAM_ERR_NOT_FOUND;
	if (r == 0)
		r = dir_entry_attrs(s->conn.ld, e, read_names, &edn, take, v);
	free(edn);
	ldap_msgfree(res);
	memset(g, 0, sizeof(*g));
	g->id = id;
	if (r == 0 && (r = to_grant(v, g)) < 0)
		snprintf(err, err_len, "%s is not a grant hostiam can read", dn);
	if (r == HOSTIAM_ERR_NOT_FOUND)
		snprintf(err, err_len, "no grant %lu", id);
	return r;
}

/* dir_paged_search's callback: each entry that reads as a grant appended to the list. */
static int collect(LDAP *ld, LDAPMessage *msg, void *ctx)
{
	struct hostiam_grant_list *l = ctx;
	char v[R_N][256] = { { 0 } }, *edn = NULL;
	struct hostiam_grant g = { 0 }, *grown;
	int r = dir_entry_attrs(ld, msg, read_names, &edn, take, v);

	free(edn);
	if (r < 0)
		return r;
	/* not a grant hostiam reads: no agent publishes it either */
	if (hostiam_parse_ulong(v[R_CN], 1, 1000000000UL, &g.id) < 0 || to_grant(v, &g) < 0)
		return 0;
	if ((grown = realloc(l->items, (l->n + 1) * sizeof(*grown))) == NULL)
		return HOSTIAM_ERR_NOMEM;
	l->items = grown;
	l->items[l->n++] = g;
	return 0;
}

/* value escaped for a filter (RFC 4515), malloc'd; NULL when out of memory. */
static char *escaped(const char *value)
{
	struct berval in = { strlen(value), (char *)value }, esc = { 0, NULL };
	char *out;

	if (ldap_bv2escaped_filter_value(&in, &esc) != 0)
		return NULL;
	out = strdup(esc.bv_val);
	ber_memfree(esc.bv_val);
	return out;
}

int grants_dirop_list(struct grants_dirop *s, const char *requester, const char *role,
		      struct hostiam_grant_list *out, char *err, size_t err_len)
{
	char *u = escaped(requester), *g = escaped(role), filter[1024];
	struct dir_search_req req = { .base = s->d->grants_base,
				      .filter = filter,
				      .attrs = (char **)read_names,
				      .page_size = s->d->page_size > 0 ? s->d->page_size : 500,
				      .timeout = s->d->timeout };
	int r = HOSTIAM_ERR_NOMEM, n;

	memset(out, 0, sizeof(*out));
	if (u && g) {
		n = snprintf(filter, sizeof(filter),
			     "(&(objectClass=hostiamGrant)(hostiamGrantRequester=%s)"
			     "(hostiamGrantRole=%s))",
			     u, g);
		r = n < 0 || (size_t)n >= sizeof(filter) ?
			HOSTIAM_ERR_TOO_SMALL :
			dir_paged_search(s->conn.ld, &req, collect, out, err, err_len);
	}
	if (r == HOSTIAM_ERR_NOMEM || r == HOSTIAM_ERR_TOO_SMALL)
		snprintf(err, err_len, "cannot search the grants: %s", hostiam_strerror(r));
	free(u);
	free(g);
	if (r < 0)
		hostiam_grant_list_free(out);
	return r;
}

/* A random grant number of six digits: typed easily, guessed by no one in advance. */
static unsigned long random_id(void)
{
	unsigned int x = 0;

	if (getrandom(&x, sizeof(x), 0) != (ssize_t)sizeof(x))
		x = (unsigned int)time(NULL) ^ (unsigned int)getpid();
	return 100000UL + x % 900000UL;
}

int grants_dirop_add(struct grants_dirop *s, struct hostiam_grant *g, char *err, size_t err_len)
{
	char dn[1024], cn[24], dur[24];
	char *oc[] = { (char *)"hostiamGrant", NULL }, *cnv[] = { cn, NULL },
	     *req[] = { g->requester, NULL }, *role[] = { g->role, NULL }, *durv[] = { dur, NULL },
	     *st[] = { (char *)"pending", NULL }, *why[] = { g->reason, NULL };
	LDAPMod m[] = {
		{ LDAP_MOD_ADD, (char *)"objectClass", { oc } },
		{ LDAP_MOD_ADD, (char *)"cn", { cnv } },
		{ LDAP_MOD_ADD, (char *)"hostiamGrantRequester", { req } },
		{ LDAP_MOD_ADD, (char *)"hostiamGrantRole", { role } },
		{ LDAP_MOD_ADD, (char *)"hostiamGrantDuration", { durv } },
		{ LDAP_MOD_ADD, (char *)"hostiamGrantStatus", { st } },
		{ LDAP_MOD_ADD, (char *)"hostiamGrantReason", { why } },
	};
	LDAPMod *mods[] = { &m[0], &m[1], &m[2], &m[3], &m[4], &m[5], g->reason[0] ? &m[6] : NULL,
			    NULL };
	struct dir_user_answer a = { 0 };
	int msgid = -1, r = HOSTIAM_ERR_DIRECTORY;

	snprintf(dur, sizeof(dur), "%ld", g->duration);
	for (int i = 0; i < ADD_TRIES; i++) {
		g->id = random_id();
		snprintf(cn, sizeof(cn), "%lu", g->id);
		grant_dn(s, g->id, dn, sizeof(dn));
		r = answer(s, ldap_add_ext(s->conn.ld, dn, mods, NULL, NULL, &msgid), msgid, &a,
			   err, err_len, NULL);
		if (r == 0 || a.rc != LDAP_ALREADY_EXISTS)
			break;
	}
	return r;
}

int grants_dirop_set(struct grants_dirop *s, const struct hostiam_grant *g, char *err,
		     size_t err_len)
{
	char dn[1024], nb[32], na[32], *st[] = { (char *)status_names[g->status], NULL },
				       *ap[] = { (char *)g->approver, NULL }, *nbv[] = { nb, NULL },
				       *nav[] = { na, NULL };
	LDAPMod m[] = {
		{ LDAP_MOD_REPLACE, (char *)"hostiamGrantStatus", { st } },
		{ LDAP_MOD_REPLACE, (char *)"hostiamGrantApprover", { ap } },
		{ LDAP_MOD_REPLACE, (char *)"hostiamGrantNotBefore", { nbv } },
		{ LDAP_MOD_REPLACE, (char *)"hostiamGrantNotAfter", { nav } },
	};
	bool approve = g->status == HOSTIAM_GRANT_APPROVED;
	LDAPMod *mods[] = { &m[0], approve ? &m[1] : NULL, &m[2], &m[3], NULL };
	struct dir_user_answer a;
	int msgid = -1;

	gtime_format(g->not_before, nb, sizeof(nb));
	gtime_format(g->not_after, na, sizeof(na));
	grant_dn(s, g->id, dn, sizeof(dn));
	return answer(s, ldap_modify_ext(s->conn.ld, dn, mods, NULL, NULL, &msgid), msgid, &a, err,
		      err_len, NULL);
}

void grants_dirop_close(struct grants_dirop *s)
{
	dir_conn_close(&s->conn);
}
