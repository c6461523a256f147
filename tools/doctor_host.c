/* SPDX-License-Identifier: BSD-2-Clause */
/* hostiam doctor: the host checks outside PAM and sshd: nsswitch.conf, the cache, the agent. */
#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cache.h"
#include "doctor.h"
#include "errors.h"
#include "request.h"

/* Whether the nsswitch line for db (text after "db:") lists hostiam. */
static bool nss_line_has_hostiam(const char *value)
{
	char copy[1024], *save = NULL, *tok;

	snprintf(copy, sizeof(copy), "%s", value);
	for (tok = strtok_r(copy, " \t\n", &save); tok; tok = strtok_r(NULL, " \t\n", &save))
		if (strcmp(tok, "hostiam") == 0)
			return true;
	return false;
}

/* Check that passwd and group in nsswitch.conf consult hostiam. */
void doctor_nsswitch(struct doctor *d)
{
	static const char *const dbs[] = { "passwd", "group" };
	bool has[2] = { false, false };
	char path[4096], line[1024];
	FILE *f = NULL;
	size_t i;

	if (doctor_path(d, "/etc/nsswitch.conf", path, sizeof(path)) == 0)
		f = fopen(path, "re");
	if (!f) {
		doctor_say(d, DOCTOR_FAIL, "nsswitch",
			   "/etc/nsswitch.conf not readable: directory "
			   "users are unknown");
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		char *p = line;

		while (isspace((unsigned char)*p))
			p++;
		for (i = 0; i < 2; i++) {
			size_t n = strlen(dbs[i]);

			if (strncmp(p, dbs[i], n) == 0 && p[n] == ':' &&
			    nss_line_has_hostiam(p + n + 1))
				has[i] = true;
		}
	}
	fclose(f);
	for (i = 0; i < 2; i++)
		if (!has[i])
			doctor_say(d, DOCTOR_FAIL, "nsswitch",
				   "\"%s\" has no hostiam: add it after files "
				   "(%s: files hostiam)",
				   dbs[i], dbs[i]);
	if (has[0] && has[1])
		doctor_say(d, DOCTOR_OK, "nsswitch", "passwd and group use hostiam");
}

/* Check that the cache exists, is intact and younger than cache.max_age. */
void doctor_cache(struct doctor *d)
{
	struct hostiam_cache *c = NULL;
	struct hostiam_cache_info info;
	time_t now = time(NULL);
	long long age;
	int r;

	r = hostiam_cache_open(d->cfg->cache.nss_path, &c);
	if (r == HOSTIAM_ERR_CACHE_MISSING) {
		doctor_say(d, DOCTOR_FAIL, "cache",
			   "missing (%s): run \"hostiam sync\" and start the "
			   "agent",
			   d->cfg->cache.nss_path);
		return;
	}
	if (r < 0) {
		doctor_say(d, DOCTOR_FAIL, "cache",
			   "unusable (%s): %s; run \"hostiam sync --force\"",
			   d->cfg->cache.nss_path, hostiam_strerror(r));
		return;
	}
	hostiam_cache_get_info(c, &info);
	r = hostiam_cache_verify(c);
	hostiam_cache_close(c);
	age = (long long)now - info.sync_time;
	if (r < 0)
		doctor_say(d, DOCTOR_FAIL, "cache", "corrupt: run \"hostiam sync --force\"");
	else if (hostiam_cache_offline(d->cfg, &info, now))
		doctor_say(d, DOCTOR_WARN, "cache",
			   "stale (synced %lld s ago, cache.max_age is %ld s): "
			   "offline rules apply; see \"hostiam status\"",
			   age, d->cfg->cache.max_age);
	else
		doctor_say(d, DOCTOR_OK, "cache", "fresh (synced %lld s ago, %u users)", age,
			   (unsigned)info.n_users);
}

/* Whether /proc/PID/cmdline (under the root) is "hostiam ... sync ... --follow". */
static bool is_agent(const struct doctor *d, const char *pid)
{
	char rel[300], path[4096], buf[1024], *p, *end, *base;
	bool sync = false, follow = false;
	size_t n;
	FILE *f;

	snprintf(rel, sizeof(rel), "/proc/%s/cmdline", pid);
	if (doctor_path(d, rel, path, sizeof(path)) < 0 || !(f = fopen(path, "re")))
		return false;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	end = buf + n;
	base = strrchr(buf, '/');
	if (strcmp(base ? base + 1 : buf, "hostiam") != 0)
		return false;
	for (p = buf + strlen(buf) + 1; p < end; p += strlen(p) + 1) {
		sync |= strcmp(p, "sync") == 0;
		follow |= strcmp(p, "--follow") == 0;
	}
	return sync && follow;
}

/* The pid of a running agent from (root)/proc, or "" when there is none. */
static void find_agent(const struct doctor *d, char *pid, size_t size)
{
	char path[4096];
	struct dirent *e;
	DIR *dir;

	pid[0] = '\0';
	if (doctor_path(d, "/proc", path, sizeof(path)) < 0 || !(dir = opendir(path)))
		return;
	while ((e = readdir(dir)))
		if (isdigit((unsigned char)e->d_name[0]) && is_agent(d, e->d_name)) {
			snprintf(pid, size, "%s", e->d_name);
			break;
		}
	closedir(dir);
}

/* Check that the sync agent runs: systemd says so, or a process is found. */
void doctor_agent(struct doctor *d)
{
	static const char *const ctls[] = { "/usr/bin/systemctl", "/bin/systemctl" };
	static char verb[] = "is-active", unit[] = "hostiam-sync.service";
	char out[256], pid[256];
	size_t i;

	for (i = 0; !d->root[0] && i < sizeof(ctls) / sizeof(ctls[0]); i++) {
		char *argv[] = { (char *)ctls[i], verb, unit, NULL };

		if (access(ctls[i], X_OK) == 0 &&
		    doctor_run(argv, out, sizeof(out), NULL, 0, 5) == 0) {
			doctor_say(d, DOCTOR_OK, "agent", "running (hostiam-sync.service active)");
			return;
		}
	}
	find_agent(d, pid, sizeof(pid));
	if (pid[0])
		doctor_say(d, DOCTOR_OK, "agent", "running (pid %s)", pid);
	else
		doctor_say(d, DOCTOR_WARN, "agent",
			   "not running: the cache will go stale; "
			   "systemctl enable --now hostiam-sync");
}
