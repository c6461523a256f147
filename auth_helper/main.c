/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hostiam-auth: verify or change a directory user's password for pam_hostiam, which runs
 * it as root (like unix_chkpwd; never setuid) so that libldap is never loaded into sshd,
 * sudo or login. The password comes on standard input, the reply goes to standard output
 * (auth_reply.h), one line goes to syslog authpriv; nothing else is written.
 *
 *   hostiam-auth [--config FILE] verify USER     stdin: PASSWORD, then NUL or EOF
 *   hostiam-auth [--config FILE] change USER     stdin: OLD NUL NEW NUL
 */
#include "config.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <syslog.h>
#include <unistd.h>

#include "auth_reply.h"
#include "configuration.h"
#include "dir_user_auth.h"
#include "errors.h"
#include "file_io.h"
#include "log.h"
#include "names.h"
#include "secrets.h"

/* Before the configuration says how long: the most a caller that never writes may hold us. */
#define STDIN_SECONDS 10

struct request {
	const char *config;
	const char *user;
	int change; /* 0 verify, 1 change */
};

/* What the alarm writes when the step under way did not end in time. */
static char late_reply[96];
static size_t late_len;

/* Last resort: answer what the alarm was armed with and leave (async-signal-safe). */
static void on_alarm(int sig)
{
	(void)sig;
	if (write(STDOUT_FILENO, late_reply, late_len) < 0) {
		/* nothing left to do: the caller reads no reply and treats it as an error */
	}
	_exit(0);
}

/* In seconds, answer result with message unless the reply was written first. */
static void arm_alarm(unsigned seconds, enum hostiam_auth_result result, const char *message)
{
	struct hostiam_auth_reply r;

	alarm(0); /* the handler never sees late_reply half written */
	hostiam_auth_reply_init(&r, result);
	hostiam_auth_reply_set_message(&r, message);
	if (hostiam_auth_reply_format(&r, late_reply, sizeof(late_reply), &late_len) < 0)
		_exit(1);
	signal(SIGALRM, on_alarm);
	alarm(seconds);
}

/* Leave no core and no ptrace access to the passwords; keep fds 0-2 open, so that no file
 * opened later becomes one; SIGPIPE as an error return, not death. */
static void harden(void)
{
	struct rlimit none = { 0, 0 };
	int fd;

	(void)prctl(PR_SET_DUMPABLE, 0);
	(void)setrlimit(RLIMIT_CORE, &none);
	for (fd = 0; fd <= 2; fd++)
		if (fcntl(fd, F_GETFD) < 0 && open("/dev/null", O_RDWR) != fd)
			_exit(1);
	signal(SIGPIPE, SIG_IGN);
}

/* argv into *req; 0, or -1 after a usage message on stderr. */
static int parse_args(int argc, char **argv, struct request *req)
{
	int i = 1;

	req->config = HOSTIAM_DEFAULT_CONFIG;
	if (i + 1 < argc && strcmp(argv[i], "--config") == 0) {
		req->config = argv[i + 1];
		i += 2;
	}
	if (argc - i != 2 || (strcmp(argv[i], "verify") != 0 && strcmp(argv[i], "change") != 0)) {
		fprintf(stderr,
			"usage: hostiam-auth [--config FILE] verify|change USER\n"
			"  (the password on standard input; see pam_hostiam(8))\n");
		return -1;
	}
	req->change = strcmp(argv[i], "change") == 0;
	req->user = argv[i + 1];
	return 0;
}

/* The directory section of the configuration, or an error reply. */
static struct hostiam_config *load_config(const char *path, struct hostiam_auth_reply *out)
{
	static const char *const need[] = { "directory", NULL };
	struct hostiam_config_errors errs = { 0 };
	struct hostiam_config *cfg = NULL;
	char line[512];

	if (hostiam_config_load_needing(path, need, &cfg, &errs) == 0)
		return cfg;
	hostiam_auth_reply_init(out, HOSTIAM_AUTH_ERROR);
	if (errs.n > 0)
		hostiam_config_error_format(&errs.items[0], line, sizeof(line));
	else
		snprintf(line, sizeof(line), "%s: cannot load the configuration", path);
	hostiam_auth_reply_set_message(out, line);
	return NULL;
}

/* The reply for the request, the passwords read from stdin, never kept past this call. */
static void answer(const struct request *req, struct hostiam_auth_reply *out, char *uri,
		   size_t uri_len)
{
	struct auth_secrets s;
	struct hostiam_config *cfg = NULL;
	int r;

	uri[0] = '\0';
	r = auth_secrets_read(STDIN_FILENO, req->change ? 2 : 1, &s);
	if (r < 0) {
		hostiam_auth_reply_init(out, HOSTIAM_AUTH_ERROR);
		hostiam_auth_reply_set_message(out,
					       r == HOSTIAM_ERR_TOO_SMALL ?
						       "password longer than 512 bytes" :
						       "no password on standard input");
	} else if (!hostiam_valid_user_name(req->user)) {
		hostiam_auth_reply_init(out, HOSTIAM_AUTH_UNKNOWN);
		hostiam_auth_reply_set_message(out, "not a valid user name");
	} else if (s.first[0] == '\0') {
		/* a bind with a DN and no password is anonymous: it would "succeed" */
		hostiam_auth_reply_init(out, HOSTIAM_AUTH_WRONG);
	} else if (req->change && s.second[0] == '\0') {
		hostiam_auth_reply_init(out, HOSTIAM_AUTH_REJECTED);
		hostiam_auth_reply_set_message(out, "The new password is empty");
	} else if ((cfg = load_config(req->config, out)) != NULL) {
		struct dir_user_request dreq = { req->user, s.first, s.second };

		arm_alarm((unsigned)(cfg->directory.timeout > 0 ? cfg->directory.timeout : 5) + 1,
			  HOSTIAM_AUTH_UNREACHABLE, "no answer within directory.timeout");
		dir_user_authenticate(&cfg->directory, &dreq, out, uri, uri_len);
	}
	auth_secrets_wipe(&s);
	hostiam_config_free(cfg);
}

/* The one log line: what was asked, of whom, the result, the server and why. */
static void log_result(const struct request *req, const struct hostiam_auth_reply *r,
		       const char *uri)
{
	char user[300], server[300], why[600];
	int prio = LOG_NOTICE;

	if (r->result == HOSTIAM_AUTH_OK)
		prio = LOG_INFO;
	else if (r->result >= HOSTIAM_AUTH_UNREACHABLE)
		prio = LOG_WARNING;
	hostiam_log_value(user, sizeof(user), req->user);
	hostiam_log_value(server, sizeof(server), uri[0] ? uri : "none");
	hostiam_log_value(why, sizeof(why), r->message);
	hostiam_log(prio, "password %s user=%s result=%s uri=%s%s%s",
		    req->change ? "change" : "verify", user, hostiam_auth_result_name(r->result),
		    server, r->message[0] ? " reason=" : "", r->message[0] ? why : "");
}

int main(int argc, char **argv)
{
	struct hostiam_auth_reply reply;
	struct request req;
	char uri[256], buf[HOSTIAM_AUTH_REPLY_MAX];
	size_t len = 0;
	sigset_t alrm;

	harden();
	if (parse_args(argc, argv, &req) < 0)
		return 2;
	arm_alarm(STDIN_SECONDS, HOSTIAM_AUTH_ERROR, "no password on standard input in time");
	openlog("hostiam-auth", LOG_PID, LOG_AUTHPRIV);
	answer(&req, &reply, uri, sizeof(uri));
	/* from here on the alarm must not write a second reply */
	sigemptyset(&alrm);
	sigaddset(&alrm, SIGALRM);
	sigprocmask(SIG_BLOCK, &alrm, NULL);
	log_result(&req, &reply, uri);
	if (hostiam_auth_reply_format(&reply, buf, sizeof(buf), &len) < 0 ||
	    hostiam_write_all(STDOUT_FILENO, buf, len) < 0)
		return 1;
	return 0;
}
