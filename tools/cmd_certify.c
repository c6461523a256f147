/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hostiam certify start|decide|close|show: access-review campaigns (certify.h). The store
 * is root's, so the commands run as root; through sudo the caller is sudo's invoker
 * (SUDO_UID, never $USER), who can only review as themselves. Root run directly may name
 * any reviewer. Nobody decides on their own access: such a decision is refused and logged.
 */
#include "config.h"

#include <limits.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit.h"
#include "certify_cli.h"
#include "cli_args.h"
#include "commands.h"
#include "errors.h"
#include "log.h"
#include "parse_num.h"

/* Who runs the command: name, and whether through sudo (then only as the reviewer). */
struct certify_caller {
	char name[HOSTIAM_NAME_MAX + 1];
	bool via_sudo;
};

/* Root, directly or through sudo; -1 after a message. */
static int find_caller(struct certify_caller *who)
{
	const char *sudo_uid = getenv("SUDO_UID"), *sudo_user = getenv("SUDO_USER");
	unsigned long uid = 0;
	struct passwd *pw;

	memset(who, 0, sizeof(*who));
	if (getuid() != 0 || geteuid() != 0) {
		fprintf(stderr,
			"hostiam: certify: the campaigns are root's: run it as root or "
			"through sudo\n");
		return -1;
	}
	/* The environment of a process whose real uid is 0 was chosen by root or by sudo. */
	if (sudo_uid && sudo_uid[0] && hostiam_parse_ulong(sudo_uid, 0, 4294967294UL, &uid) < 0) {
		fprintf(stderr, "hostiam: certify: SUDO_UID is not a uid\n");
		return -1;
	}
	if ((pw = getpwuid((uid_t)uid)) == NULL ||
	    (uid != 0 && (sudo_user == NULL || strcmp(sudo_user, pw->pw_name) != 0))) {
		fprintf(stderr, "hostiam: certify: SUDO_UID and SUDO_USER do not name one user\n");
		return -1;
	}
	snprintf(who->name, sizeof(who->name), "%s", pw->pw_name);
	who->via_sudo = uid != 0;
	return 0;
}

/* Through sudo, only the campaign's reviewer may act on it. */
static bool caller_may(const struct certify_caller *who, const struct hostiam_campaign *c)
{
	if (!who->via_sudo || strcmp(who->name, c->reviewer) == 0)
		return true;
	fprintf(stderr, "hostiam: certify: campaign %lu is %s's to review, not %s's\n", c->id,
		c->reviewer, who->name);
	return false;
}

/* Open the store and read the open campaign; -1 after a message. */
static int open_campaign(const struct hostiam_config *cfg, int *fd, struct hostiam_campaign *c)
{
	int r = hostiam_certify_store_open(cfg->cache.state_dir, false, fd);

	if (r == 0 && (r = hostiam_certify_load(*fd, 0, c)) < 0)
		hostiam_certify_store_close(*fd);
	if (r == HOSTIAM_ERR_NOT_FOUND) {
		fprintf(stderr, "hostiam: certify: no campaign is open (hostiam certify start)\n");
		return -1;
	}
	if (r < 0) {
		fprintf(stderr, "hostiam: certify: the campaign store: %s\n", hostiam_strerror(r));
		return -1;
	}
	return 0;
}

/* The "certify" audit event (audit.h) of user in c; values as they are, escaped there. */
static void audit(const struct hostiam_config *cfg, const struct hostiam_campaign *c,
		  const char *user, const char *decision, const char *result, const char *note,
		  const char *reason)
{
	struct hostiam_audit_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.kind = HOSTIAM_AUDIT_CERTIFY;
	ev.user = user;
	ev.decision = decision;
	ev.result = result;
	ev.reason = reason;
	ev.campaign = c->id;
	ev.reviewer = c->reviewer;
	ev.note = note;
	(void)hostiam_audit_record(cfg, &ev);
}

/* Log one decision, values escaped as in the decision line, and audit it (result). */
static void log_decision(const struct hostiam_config *cfg, const char *what, const char *result,
			 const struct hostiam_campaign *c, const struct hostiam_certify_entry *e)
{
	char user[300], reviewer[80], note[4 * HOSTIAM_CERTIFY_NOTE_MAX + 8];

	hostiam_log_value(user, sizeof(user), e->user);
	hostiam_log_value(reviewer, sizeof(reviewer), c->reviewer);
	hostiam_log_value(note, sizeof(note), e->note);
	grants_audit("%s campaign=%lu reviewer=%s user=%s decision=%s note=%s", what, c->id,
		     reviewer, user, hostiam_certify_choice_name(e->choice), note);
	audit(cfg, c, e->user, hostiam_certify_choice_name(e->choice), result, e->note, NULL);
}

/* A decision on the reviewer's own access: refused, and logged. */
static bool self_refused(const struct hostiam_config *cfg, const struct hostiam_campaign *c,
			 const char *user)
{
	char v[300];

	if (strcmp(user, c->reviewer) != 0)
		return false;
	hostiam_log_value(v, sizeof(v), user);
	grants_audit("certify refused: self-certification campaign=%lu reviewer=%s user=%s", c->id,
		     v, v);
	audit(cfg, c, user, NULL, "refused-self", NULL,
	      "a reviewer cannot certify their own access");
	fprintf(stderr,
		"hostiam: certify: %s cannot certify their own access: another reviewer must "
		"decide it\n",
		user);
	return true;
}

/* Check every input against c first, then apply them all; -1 after a message. */
static int apply_inputs(const struct hostiam_config *cfg, struct hostiam_campaign *c,
			const struct certify_input *in, size_t n, const char *path, time_t now)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (self_refused(cfg, c, in[i].user))
			return -1;
		if (hostiam_certify_find(c, in[i].user) == NULL) {
			fprintf(stderr, "hostiam: certify: %s:%d: %s is not in campaign %lu\n",
				path, in[i].line, in[i].user, c->id);
			return -1;
		}
	}
	for (i = 0; i < n; i++) {
		struct hostiam_certify_entry *e = hostiam_certify_find(c, in[i].user);

		e->choice = in[i].choice;
		e->decided = now;
		memcpy(e->note, in[i].note, sizeof(e->note));
		log_decision(cfg, "certify decision", "decided", c, e);
	}
	return 0;
}

/* Ask on the terminal for each undecided user; answers added to *in. */
static int ask_each(const struct hostiam_campaign *c, struct certify_input **in, size_t *n)
{
	char line[HOSTIAM_CERTIFY_NOTE_MAX + 32];
	struct certify_input one;

	for (size_t i = 0; i < c->n; i++) {
		const struct hostiam_certify_entry *e = &c->entries[i];

		if (e->choice != HOSTIAM_CERTIFY_UNDECIDED || strcmp(e->user, c->reviewer) == 0)
			continue;
		for (;;) {
			char *sp, *nl;

			printf("%s: keep, revoke or skip (a note may follow)? ", e->user);
			fflush(stdout);
			if (fgets(line, sizeof(line), stdin) == NULL)
				return 0;
			if ((nl = strchr(line, '\n')) != NULL) {
				*nl = '\0';
			} else if (!feof(stdin)) {
				/* The rest of a long line is not the next answer: drop it. */
				for (int ch; (ch = getchar()) != EOF && ch != '\n';)
					;
				printf("Too long: a note has at most %d bytes.\n",
				       HOSTIAM_CERTIFY_NOTE_MAX);
				continue;
			}
			sp = strchr(line, ' ');
			memset(&one, 0, sizeof(one));
			if (strncmp(line, "skip", 4) == 0 && (line[4] == '\0' || line[4] == ' '))
				break;
			if (!certify_choice_of(line, sp ? (size_t)(sp - line) : strlen(line),
					       &one.choice)) {
				printf("Answer keep, revoke or skip.\n");
				continue;
			}
			snprintf(one.user, sizeof(one.user), "%s", e->user);
			snprintf(one.note, sizeof(one.note), "%s", sp ? sp + 1 : "");
			if (certify_input_add(in, n, &one) < 0)
				return -1;
			break;
		}
	}
	return 0;
}

/* certify decide FILE|-|--interactive */
static int decide(const struct hostiam_config *cfg, const struct certify_caller *who,
		  const char *arg)
{
	struct hostiam_campaign c;
	struct certify_input *in = NULL;
	size_t n = 0;
	int fd, rc = EXIT_FAILED;
	bool ask = strcmp(arg, "--interactive") == 0;
	FILE *f = NULL;

	if (open_campaign(cfg, &fd, &c) < 0)
		return EXIT_FAILED;
	if (!caller_may(who, &c))
		goto out;
	if (ask) {
		if (ask_each(&c, &in, &n) < 0)
			goto out;
	} else {
		f = strcmp(arg, "-") == 0 ? stdin : fopen(arg, "re");
		if (f == NULL) {
			fprintf(stderr, "hostiam: certify: cannot open %s\n", arg);
			goto out;
		}
		if (certify_read_file(f, arg, &in, &n) < 0)
			goto out;
	}
	if (apply_inputs(cfg, &c, in, n, ask ? "terminal" : arg, time(NULL)) < 0)
		goto out;
	if ((rc = hostiam_certify_save(fd, &c)) < 0) {
		fprintf(stderr, "hostiam: certify: cannot save: %s\n", hostiam_strerror(rc));
		rc = EXIT_FAILED;
		goto out;
	}
	printf("Recorded %zu decision%s in campaign %lu.\n", n, n == 1 ? "" : "s", c.id);
	rc = EXIT_OK;
out:
	if (f && f != stdin)
		fclose(f);
	free(in);
	hostiam_certify_free(&c);
	hostiam_certify_store_close(fd);
	return rc;
}

/* certify close: records go to the users, the campaign is kept, every decision logged. */
static int close_campaign(const struct hostiam_config *cfg, const struct certify_caller *who)
{
	struct hostiam_campaign c;
	size_t counts[3] = { 0, 0, 0 };
	char reviewer[80];
	int fd, r;

	if (open_campaign(cfg, &fd, &c) < 0)
		return EXIT_FAILED;
	r = caller_may(who, &c) ? hostiam_certify_close(fd, cfg->cache.state_dir, &c, time(NULL)) :
				  1;
	if (r < 0)
		fprintf(stderr, "hostiam: certify: close: %s\n", hostiam_strerror(r));
	for (size_t i = 0; r == 0 && i < c.n; i++) {
		counts[c.entries[i].choice]++;
		if (c.entries[i].choice != HOSTIAM_CERTIFY_UNDECIDED)
			log_decision(cfg, "certify closed", "closed", &c, &c.entries[i]);
	}
	if (r == 0) {
		char summary[96];

		snprintf(summary, sizeof(summary), "kept=%zu revoked=%zu undecided=%zu", counts[1],
			 counts[2], counts[0]);
		audit(cfg, &c, NULL, NULL, "campaign-closed", NULL, summary);
		hostiam_log_value(reviewer, sizeof(reviewer), c.reviewer);
		grants_audit("certify campaign closed campaign=%lu reviewer=%s kept=%zu "
			     "revoked=%zu undecided=%zu",
			     c.id, reviewer, counts[1], counts[2], counts[0]);
		printf("Closed campaign %lu: %zu kept, %zu revoked, %zu undecided.\n", c.id,
		       counts[1], counts[2], counts[0]);
	}
	hostiam_certify_free(&c);
	hostiam_certify_store_close(fd);
	return r == 0 ? EXIT_OK : EXIT_FAILED;
}

/* certify show [ID] [--json] */
static int show(const struct hostiam_config *cfg, int argc, char **argv)
{
	struct hostiam_campaign c;
	unsigned long id = 0;
	bool json = false;
	int fd, r;

	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			json = true;
		else if (id != 0 || hostiam_parse_ulong(argv[i], 1, ULONG_MAX - 1, &id) < 0)
			return -1;
	}
	r = hostiam_certify_store_open(cfg->cache.state_dir, false, &fd);
	if (r == 0) {
		r = hostiam_certify_load(fd, id, &c);
		hostiam_certify_store_close(fd);
	}
	if (r < 0) {
		fprintf(stderr, "hostiam: certify: %s: %s\n",
			id ? "no such campaign" : "no open campaign", hostiam_strerror(r));
		return EXIT_FAILED;
	}
	certify_print(stdout, cfg, &c, NULL, json);
	hostiam_certify_free(&c);
	return EXIT_OK;
}

/* The subcommand; -1 for a usage error. */
static int run(const struct cli *cli, int argc, char **argv)
{
	struct hostiam_config *cfg;
	struct certify_caller who;
	const char *sub = argv[1];
	int rc;

	if (strcmp(sub, "start") && strcmp(sub, "show") && strcmp(sub, "close") &&
	    strcmp(sub, "decide"))
		return -1;
	if ((strcmp(sub, "close") == 0 && argc != 2) || (strcmp(sub, "decide") == 0 && argc != 3))
		return -1;
	if (find_caller(&who) < 0)
		return EXIT_FAILED;
	if ((cfg = cli_load_config(cli)) == NULL)
		return EXIT_USAGE;
	if (strcmp(sub, "start") == 0)
		rc = certify_start(cfg, who.name, who.via_sudo, argc, argv);
	else if (strcmp(sub, "show") == 0)
		rc = show(cfg, argc, argv);
	else if (strcmp(sub, "close") == 0)
		rc = close_campaign(cfg, &who);
	else
		rc = decide(cfg, &who, argv[2]);
	hostiam_config_free(cfg);
	return rc;
}

/* hostiam certify start|decide|close|show ... */
int cmd_certify(const struct cli *cli, int argc, char **argv)
{
	int rc = argc >= 2 ? run(cli, argc, argv) : -1;

	if (rc < 0) {
		cli_usage(stderr, "certify");
		return EXIT_USAGE;
	}
	return rc;
}
