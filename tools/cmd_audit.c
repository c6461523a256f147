/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hostiam audit [--user U] [--since T] [--until T] [--decision D] [--event E] [--json]:
 * the audit trail (STATE_DIR/audit.jsonl and its rotated files, oldest first) filtered, as
 * a table or a JSON array. A line that is not an event is skipped and counted, with a
 * warning naming the file and the line. Exit 0 when events matched, 1 when none did (as
 * grep), 2 for usage, configuration or a trail that cannot be read.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "audit.h"
#include "audit_cli.h"
#include "cli_args.h"
#include "commands.h"
#include "duration.h"
#include "errors.h"
#include "json_out.h"
#include "json_read.h"
#include "log.h"
#include "parse_num.h"
#include "state.h"
#include "text_out.h"

/* Rotated files looked for: the most `keep` allows. */
#define ROTATED_MAX 99
/* Malformed lines named one by one; after these, only counted. */
#define WARN_MAX 10

struct filter {
	const char *user, *decision, *event;
	time_t since, until; /* 0: no bound */
};

/* What a run has seen. */
struct tally {
	const char *dir; /* the state directory, for messages */
	unsigned long matched, malformed;
	bool json;
	struct json_out j;
};

/* T as --since/--until take it: a duration back from now ("2h", "7d") or check's --at. */
static int parse_when(const struct hostiam_config *cfg, const char *opt, const char *s, time_t now,
		      time_t *out)
{
	char why[160];
	long secs;

	if (hostiam_duration_parse(s, &secs) == 0) {
		*out = now - secs;
		return 0;
	}
	if (cli_parse_at(cli_zone(cfg), s, out, why, sizeof(why)) == 0)
		return 0;
	fprintf(stderr,
		"hostiam: audit: %s: \"%s\" is neither a duration such as \"2h\" or \"7d\" "
		"nor a time: %s\n",
		opt, s, why);
	return -1;
}

/* The options into f (times still text); -1 on a usage mistake. */
static int parse_args(int argc, char **argv, struct filter *f, const char **since,
		      const char **until, bool *json)
{
	for (int i = 1; i < argc; i++) {
		int r = 0;

		if (strcmp(argv[i], "--json") == 0) {
			*json = true;
			continue;
		}
		if ((r = cli_opt_value(argc, argv, &i, "--user", &f->user)) == 0 &&
		    (r = cli_opt_value(argc, argv, &i, "--since", since)) == 0 &&
		    (r = cli_opt_value(argc, argv, &i, "--until", until)) == 0 &&
		    (r = cli_opt_value(argc, argv, &i, "--decision", &f->decision)) == 0 &&
		    (r = cli_opt_value(argc, argv, &i, "--event", &f->event)) == 0) {
			fprintf(stderr, "hostiam: audit: unknown argument %s\n", argv[i]);
			return -1;
		}
		if (r < 0)
			return -1;
	}
	if (f->event && hostiam_audit_kind_lookup(f->event) < 0) {
		fprintf(stderr,
			"hostiam: audit: --event: \"%s\" is not one of decision, mfa, password, "
			"terms, grant, certify\n",
			f->event);
		return -1;
	}
	return 0;
}

/*
 * s as it reads back from the file: written (hostiam_json_quote) and read again, so that a
 * filter given in raw bytes (a user name with invalid UTF-8) matches what the file holds.
 * NULL stays NULL; a copy the caller frees.
 */
static char *as_recorded(const char *s)
{
	size_t len;
	char *quoted, *out;
	struct json_cur c;

	if (s == NULL)
		return NULL;
	len = hostiam_json_quote(NULL, 0, s, HOSTIAM_AUDIT_VALUE_MAX) + 1;
	quoted = malloc(len);
	out = malloc(len);
	if (quoted && out) {
		hostiam_json_quote(quoted, len, s, HOSTIAM_AUDIT_VALUE_MAX);
		c = (struct json_cur){ quoted, NULL, 1 };
		if (!json_string(&c, out, len))
			snprintf(out, len, "%s", s);
	} else {
		free(out);
		out = NULL; /* the caller says so: never a filter dropped */
	}
	free(quoted);
	return out;
}

/* v equals want, or there is no want. */
static bool same(const char *want, const char *v)
{
	return want == NULL || (v != NULL && strcmp(want, v) == 0);
}

static bool matches(const struct filter *f, const struct audit_event *ev)
{
	return same(f->user, audit_event_get(ev, "user")) &&
		same(f->decision, audit_event_get(ev, "decision")) &&
		same(f->event, audit_event_get(ev, "event")) &&
		(f->since == 0 || ev->time >= f->since) && (f->until == 0 || ev->time < f->until);
}

/* One cell: v as a log value (hostiam_log_value: terminal-safe), "-" for none, padded. */
static void cell(const char *v, size_t width)
{
	char buf[256];

	hostiam_log_value(buf, sizeof(buf), v && v[0] ? v : "-");
	text_pad(stdout, buf, width);
	fputc(' ', stdout);
}

/* The members no column shows, as key=value (log values). */
static void details(const struct audit_event *ev)
{
	static const char *const shown[] = { "time",     "event",  "host",    "service",
					     "user",     "rhost",  "tty",     "rule",
					     "decision", "reason", "factors", "result" };
	char buf[512];
	bool first = true;

	for (size_t i = 0; i < ev->n; i++) {
		size_t k;

		for (k = 0; k < sizeof(shown) / sizeof(shown[0]); k++)
			if (strcmp(ev->f[i].key, shown[k]) == 0)
				break;
		if (k < sizeof(shown) / sizeof(shown[0]) || ev->f[i].text == NULL)
			continue;
		hostiam_log_value(buf, sizeof(buf), ev->f[i].text);
		printf("%s%s=%s", first ? "" : " ", ev->f[i].key, buf);
		first = false;
	}
	if (audit_event_get(ev, "reason") != NULL) {
		hostiam_log_value(buf, sizeof(buf), audit_event_get(ev, "reason"));
		printf("%sreason=%s", first ? "" : " ", buf);
	}
}

static void table_header(void)
{
	printf("%-20s %-8s %-12s %-8s %-15s %-14s %-8s %-16s %-10s %s\n", "TIME", "EVENT", "USER",
	       "SERVICE", "FROM", "RULE", "DECISION", "FACTORS", "RESULT", "DETAILS");
}

static void table_row(const struct audit_event *ev)
{
	const char *rhost = audit_event_get(ev, "rhost");

	cell(audit_event_get(ev, "time"), 20);
	cell(audit_event_get(ev, "event"), 8);
	cell(audit_event_get(ev, "user"), 12);
	cell(audit_event_get(ev, "service"), 8);
	cell(rhost ? rhost : "local", 15);
	cell(audit_event_get(ev, "rule"), 14);
	cell(audit_event_get(ev, "decision"), 8);
	cell(audit_event_get(ev, "factors"), 16);
	cell(audit_event_get(ev, "result"), 10);
	details(ev);
	fputc('\n', stdout);
}

/* The event as a JSON object, members in file order with their types. */
static void json_event(struct json_out *j, const struct audit_event *ev)
{
	json_object_begin(j);
	for (size_t i = 0; i < ev->n; i++) {
		const struct audit_field *f = &ev->f[i];
		const char *p = f->text;

		json_key(j, f->key);
		switch (f->type) {
		case AUDIT_NULL:
			json_null(j);
			break;
		case AUDIT_NUMBER: {
			unsigned long v = 0;

			(void)hostiam_parse_ulong(p, 0, (unsigned long)LLONG_MAX, &v);
			json_int(j, (long long)v);
			break;
		}
		case AUDIT_BOOL:
			json_bool(j, strcmp(p, "true") == 0);
			break;
		case AUDIT_LIST:
			json_array_begin(j);
			while (p && *p) {
				size_t n = strcspn(p, ",");
				char item[64];

				snprintf(item, sizeof(item), "%.*s", (int)n, p);
				json_str(j, item);
				p += n + (p[n] == ',');
			}
			json_array_end(j);
			break;
		default:
			json_str(j, p);
		}
	}
	json_object_end(j);
}

/* Read one file, line by line; a missing file is no error (not rotated that far). */
static int read_file(int dfd, const char *name, const struct filter *f, struct tally *t)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int fd, r, lineno = 0;
	FILE *in;

	fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0 && errno == ENOENT)
		return 0;
	if (fd < 0 || (r = hostiam_state_check_file(fd, name)) < 0 ||
	    (in = fdopen(fd, "r")) == NULL) {
		fprintf(stderr, "hostiam: audit: cannot read %s/%s: %s\n", t->dir, name,
			fd < 0 ? strerror(errno) : "refused (see above)");
		if (fd >= 0)
			close(fd);
		return -1;
	}
	while ((len = getline(&line, &cap, in)) > 0) {
		struct audit_event ev;

		lineno++;
		if (line[len - 1] == '\n')
			line[--len] = '\0';
		if ((size_t)len != strlen(line) || audit_event_parse(line, &ev) < 0) {
			if (t->malformed++ < WARN_MAX)
				fprintf(stderr,
					"hostiam: audit: %s/%s:%d: not an audit event, skipped\n",
					t->dir, name, lineno);
			continue;
		}
		if (matches(f, &ev)) {
			if (t->matched++ == 0 && !t->json)
				table_header();
			if (t->json)
				json_event(&t->j, &ev);
			else
				table_row(&ev);
		}
		audit_event_free(&ev);
	}
	free(line);
	fclose(in);
	return 0;
}

/* The files, oldest first: audit.jsonl.99 .. audit.jsonl.1, then audit.jsonl. */
static int read_all(int dfd, const struct filter *f, struct tally *t)
{
	char name[64];

	for (int n = ROTATED_MAX; n >= 1; n--) {
		snprintf(name, sizeof(name), "%s.%d", HOSTIAM_AUDIT_FILE, n);
		if (read_file(dfd, name, f, t) < 0)
			return -1;
	}
	return read_file(dfd, HOSTIAM_AUDIT_FILE, f, t);
}

/* The state directory, checked; *dfd -1 when there is none yet (no events). */
static int open_dir(const struct hostiam_config *cfg, int *dfd)
{
	int r = hostiam_state_dir_open(cfg->cache.state_dir, false, dfd);

	if (r == HOSTIAM_ERR_NOT_FOUND) {
		*dfd = -1;
		return 0;
	}
	if (r < 0) {
		fprintf(stderr, "hostiam: audit: cannot read %s/%s: %s%s\n", cfg->cache.state_dir,
			HOSTIAM_AUDIT_FILE,
			r == HOSTIAM_ERR_SYSTEM ? strerror(errno) : hostiam_strerror(r),
			geteuid() != 0 ? " (the audit trail is root's: run it as root)" : "");
		return -1;
	}
	return 0;
}

/* What audit reads of the configuration: where the trail is, and the policy's clock. */
static const char *const needed_keys[] = { "cache", "audit", "access.timezone", NULL };

/* hostiam audit [--user U] [--since T] [--until T] [--decision D] [--event E] [--json] */
int cmd_audit(const struct cli *cli, int argc, char **argv)
{
	struct filter f = { NULL, NULL, NULL, 0, 0 };
	struct tally t = { NULL, 0, 0, false, { 0 } };
	const char *since = NULL, *until = NULL;
	char *user = NULL, *decision = NULL;
	struct hostiam_config *cfg;
	time_t now = time(NULL);
	int dfd = -1, rc = EXIT_USAGE;

	if (parse_args(argc, argv, &f, &since, &until, &t.json) < 0) {
		cli_usage(stderr, argv[0]);
		return EXIT_USAGE;
	}
	/* An auditor reads the trail of a host whose policy is broken too. */
	if ((cfg = cli_load_config_needing(cli, needed_keys)) == NULL)
		return EXIT_USAGE;
	user = as_recorded(f.user);
	decision = as_recorded(f.decision);
	if ((f.user && user == NULL) || (f.decision && decision == NULL)) {
		fprintf(stderr, "hostiam: audit: out of memory\n");
		goto out;
	}
	f.user = user;
	f.decision = decision;
	if ((since && parse_when(cfg, "--since", since, now, &f.since) < 0) ||
	    (until && parse_when(cfg, "--until", until, now, &f.until) < 0) ||
	    open_dir(cfg, &dfd) < 0)
		goto out;
	t.dir = cfg->cache.state_dir;
	if (t.json) {
		json_init(&t.j, stdout);
		json_array_begin(&t.j);
	}
	rc = dfd >= 0 && read_all(dfd, &f, &t) < 0 ? EXIT_USAGE :
		t.matched > 0                      ? EXIT_OK :
						     EXIT_FAILED;
	if (t.json) {
		json_array_end(&t.j);
		fputc('\n', stdout);
	}
	if (t.malformed > 0)
		fprintf(stderr, "hostiam: audit: %lu malformed line%s skipped\n", t.malformed,
			t.malformed == 1 ? "" : "s");
out:
	if (dfd >= 0)
		close(dfd);
	free(user);
	free(decision);
	hostiam_config_free(cfg);
	return rc;
}
