/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * An audit event to the journal: MESSAGE (the readable line, values escaped as in syslog),
 * MESSAGE_ID of the event type and one HOSTIAM_* field per value that is set. The native
 * protocol carries any byte in a field, so values go there as they are (cut at
 * HOSTIAM_AUDIT_VALUE_MAX). Without libsystemd (configure --without-systemd) a no-op.
 */
#include "config.h"

#include "audit.h"
#include "errors.h"

#ifdef HAVE_SYSTEMD

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <syslog.h>

#include <systemd/sd-journal.h>

#include "log.h"

#define MAX_FIELDS 24

/* The fields being gathered: each one "NAME=value" in its own allocation. */
struct fields {
	struct iovec iov[MAX_FIELDS];
	int n;
	bool nomem;
};

/* Add NAME=value (value cut at max bytes); nothing for a NULL value. */
static void add(struct fields *f, const char *name, const char *value, size_t max)
{
	size_t nl, vl;
	char *p;

	if (value == NULL || f->n >= MAX_FIELDS)
		return;
	nl = strlen(name);
	vl = strnlen(value, max);
	if ((p = malloc(nl + 1 + vl)) == NULL) {
		f->nomem = true;
		return;
	}
	memcpy(p, name, nl);
	p[nl] = '=';
	memcpy(p + nl + 1, value, vl);
	f->iov[f->n].iov_base = p;
	f->iov[f->n].iov_len = nl + 1 + vl;
	f->n++;
}

/* Add NAME=N for N != 0. */
static void add_number(struct fields *f, const char *name, unsigned long v)
{
	char num[32];

	if (v == 0)
		return;
	snprintf(num, sizeof(num), "%lu", v);
	add(f, name, num, sizeof(num));
}

/* MESSAGE: "audit: EVENT user=U service=S rhost=R rule=R decision=D result=X". */
static void add_message(struct fields *f, const struct hostiam_audit_event *ev)
{
	char user[160], service[96], rhost[160], line[512];

	/* Escaped as in the syslog lines: MESSAGE is what journalctl shows on a terminal. */
	hostiam_log_value(user, sizeof(user), ev->user ? ev->user : "-");
	hostiam_log_value(service, sizeof(service), ev->service ? ev->service : "-");
	hostiam_log_value(rhost, sizeof(rhost), ev->rhost ? ev->rhost : "-");
	snprintf(line, sizeof(line),
		 "audit: %s user=%s service=%s rhost=%s rule=%s decision=%s%s%s",
		 hostiam_audit_kind_name(ev->kind), user, service, rhost, ev->rule ? ev->rule : "-",
		 ev->decision ? ev->decision : "-", ev->result ? " result=" : "",
		 ev->result ? ev->result : "");
	add(f, "MESSAGE", line, sizeof(line));
}

/* See audit.h. */
int hostiam_audit_journal(const struct hostiam_audit_event *ev, const char *host)
{
	const size_t V = HOSTIAM_AUDIT_VALUE_MAX;
	struct fields f = { .n = 0, .nomem = false };
	char prio[4];
	int i, r;

	snprintf(prio, sizeof(prio), "%d",
		 ev->decision && strcmp(ev->decision, "deny") == 0 ? LOG_NOTICE : LOG_INFO);
	add_message(&f, ev);
	add(&f, "MESSAGE_ID", hostiam_audit_message_id(ev->kind), 64);
	add(&f, "PRIORITY", prio, sizeof(prio));
	add(&f, "SYSLOG_FACILITY", "10", 4); /* authpriv, as the syslog lines */
	add(&f, "SYSLOG_IDENTIFIER", "hostiam", 16);
	add(&f, "HOSTIAM_EVENT", hostiam_audit_kind_name(ev->kind), 16);
	add(&f, "HOSTIAM_HOST", host, V);
	add(&f, "HOSTIAM_SERVICE", ev->service, V);
	add(&f, "HOSTIAM_USER", ev->user, V);
	add(&f, "HOSTIAM_RHOST", ev->rhost, V);
	add(&f, "HOSTIAM_TTY", ev->tty, V);
	add(&f, "HOSTIAM_RULE", ev->rule, V);
	add(&f, "HOSTIAM_DECISION", ev->decision, V);
	add(&f, "HOSTIAM_MODE", ev->mode, V);
	add(&f, "HOSTIAM_REASON", ev->reason, V);
	add(&f, "HOSTIAM_FACTORS", ev->factors && ev->factors[0] ? ev->factors : NULL, V);
	add(&f, "HOSTIAM_RESULT", ev->result, V);
	add_number(&f, "HOSTIAM_GRANT", ev->grant);
	add(&f, "HOSTIAM_TERMS", ev->terms, V);
	add(&f, "HOSTIAM_TERMS_VERSION", ev->version, V);
	add_number(&f, "HOSTIAM_CAMPAIGN", ev->campaign);
	add(&f, "HOSTIAM_REVIEWER", ev->reviewer, V);
	add(&f, "HOSTIAM_NOTE", ev->note, 2 * V);
	r = f.nomem ? HOSTIAM_ERR_NOMEM : 0;
	/* No journald: the datagram finds no socket (ENOENT) at once, never a wait. */
	if (r == 0 && sd_journal_sendv(f.iov, f.n) < 0)
		r = HOSTIAM_ERR_UNAVAILABLE;
	for (i = 0; i < f.n; i++)
		free(f.iov[i].iov_base);
	return r;
}

#else

/* See audit.h: built without libsystemd. */
int hostiam_audit_journal(const struct hostiam_audit_event *ev, const char *host)
{
	(void)ev;
	(void)host;
	return HOSTIAM_ERR_UNAVAILABLE;
}

#endif
