/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hostiam status [--json]: what the cache holds, how old it is, how the last sync went and
 * whether the directory answers. Everything is read first, then printed as text or JSON.
 */
#include "config.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cache.h"
#include "commands.h"
#include "errors.h"
#include "dir_probe.h"
#include "json_out.h"
#include "log.h"
#include "request.h"
#include "sync_status.h"

struct status {
	time_t now;
	const char *cache_path;
	int cache_r;      /* opening or verifying the cache: 0 or a HOSTIAM_ERR_* */
	bool cache_open;  /* its header could be read into info */
	bool cache_stale; /* intact but older than cache.max_age */
	struct hostiam_cache_info info;
	int sync_r; /* reading sync.status: 0, HOSTIAM_ERR_NOT_FOUND (never) or an error */
	struct sync_status sync;
	bool dir_ok;
	char server[256], dir_err[512];
};

/* Open, read and verify the cache into s. */
static void read_cache(const struct hostiam_config *cfg, struct status *s)
{
	struct hostiam_cache *c = NULL;

	s->cache_path = cfg->cache.nss_path;
	s->cache_r = hostiam_cache_open(cfg->cache.nss_path, &c);
	if (s->cache_r < 0)
		return;
	hostiam_cache_get_info(c, &s->info);
	s->cache_open = true;
	s->cache_r = hostiam_cache_verify(c);
	hostiam_cache_close(c);
	s->cache_stale = s->cache_r == 0 && hostiam_cache_offline(cfg, &s->info, s->now);
}

/*
 * Read the last sync attempt into s. A cache newer than sync.status (an agent killed
 * between publishing and recording) is the last sync: its header wins.
 */
static void read_last_sync(const struct hostiam_config *cfg, struct status *s)
{
	struct hostiam_cache_info none = { 0 };
	const struct hostiam_cache_info *info = s->cache_r == 0 ? &s->info : &none;
	int r = sync_status_read(cfg->cache.dir, &s->sync);

	if ((r == 0 || r == HOSTIAM_ERR_NOT_FOUND) && sync_status_reconcile(&s->sync, r == 0, info))
		r = 0;
	s->sync_r = r;
}

/* Whether the cache is missing, damaged or too old. */
static bool cache_bad(const struct status *s)
{
	return s->cache_r < 0 || s->cache_stale;
}

/* Whether the last attempt failed or its record cannot be read. */
static bool sync_bad(const struct status *s)
{
	return s->sync_r == 0 ? !s->sync.ok : s->sync_r != HOSTIAM_ERR_NOT_FOUND;
}

/* The cache's state word, as --json gives it. */
static const char *cache_state(const struct status *s)
{
	if (!s->cache_open)
		return "unavailable";
	if (s->cache_r < 0)
		return "damaged";
	return s->cache_stale ? "offline" : "fresh";
}

/* Print a UNIX time as local "YYYY-MM-DD HH:MM:SS". */
static void print_time(const char *label, time_t t)
{
	char buf[64];
	struct tm tm;

	if (localtime_r(&t, &tm) && strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S %z", &tm))
		printf("%-16s %s\n", label, buf);
}

/* The cache lines of the text output. */
static void print_cache(const struct status *s)
{
	const struct hostiam_cache_info *info = &s->info;

	printf("%-16s %s\n", "cache:", s->cache_path);
	if (!s->cache_open) {
		printf("%-16s unavailable (%s)\n", "state:", hostiam_strerror(s->cache_r));
		return;
	}
	printf("%-16s %s\n", "state:",
	       s->cache_r < 0         ? hostiam_strerror(s->cache_r) :
		       s->cache_stale ? "offline (older than cache.max_age)" :
					"fresh");
	printf("%-16s %" PRIu64 "\n", "generation:", info->generation);
	print_time("synced:", (time_t)info->sync_time);
	printf("%-16s %lld s\n", "age:", (long long)(s->now - info->sync_time));
	printf("%-16s %" PRIu32 "\n", "users:", info->n_users);
	printf("%-16s %" PRIu32 "\n", "groups:", info->n_groups);
	printf("%-16s %" PRIu64 " bytes\n", "size:", info->file_size);
}

/* The last-sync and directory lines of the text output. */
static void print_sync_and_directory(const struct status *s)
{
	if (s->sync_r == HOSTIAM_ERR_NOT_FOUND) {
		printf("%-16s never\n", "last sync:");
	} else if (s->sync_r < 0) {
		printf("%-16s unreadable (%s)\n", "last sync:", hostiam_strerror(s->sync_r));
	} else {
		print_time("last sync:", s->sync.time);
		printf("%-16s %s: %s\n", "result:", s->sync.ok ? "ok" : "error", s->sync.message);
		if (s->sync.server[0])
			printf("%-16s %s\n", "server:", s->sync.server);
		if (s->sync.ok)
			printf("%-16s %" PRIu32 "\n", "skipped:", s->sync.skipped);
	}
	if (s->dir_ok)
		printf("%-16s reachable (%s)\n", "directory:", s->server);
	else
		printf("%-16s unreachable: %s\n", "directory:", s->dir_err);
}

/* "cache": the object documented in hostiam(8); header fields null when unreadable. */
static void json_cache(struct json_out *j, const struct status *s)
{
	const struct hostiam_cache_info *info = &s->info;
	bool h = s->cache_open;

	json_key(j, "cache");
	json_object_begin(j);
	json_kv_str(j, "path", s->cache_path);
	json_kv_str(j, "state", cache_state(s));
	json_kv_str(j, "error", s->cache_r < 0 ? hostiam_strerror(s->cache_r) : NULL);
	json_kv_opt_int(j, "generation", (long long)info->generation, h);
	json_kv_opt_int(j, "sync_time", (long long)info->sync_time, h);
	json_kv_opt_int(j, "age", (long long)(s->now - (time_t)info->sync_time), h);
	json_kv_opt_int(j, "users", info->n_users, h);
	json_kv_opt_int(j, "groups", info->n_groups, h);
	json_kv_opt_int(j, "size", (long long)info->file_size, h);
	json_object_end(j);
}

/* "last_sync" and "directory": the objects documented in hostiam(8). */
static void json_sync_and_directory(struct json_out *j, const struct status *s)
{
	bool have = s->sync_r == 0;

	json_key(j, "last_sync");
	json_object_begin(j);
	json_kv_str(j, "result",
		    s->sync_r == HOSTIAM_ERR_NOT_FOUND ? "never" :
			    !have                      ? "unreadable" :
			    s->sync.ok                 ? "ok" :
							 "error");
	json_kv_opt_int(j, "time", (long long)s->sync.time, have);
	json_kv_str(j, "message",
		    have                                       ? s->sync.message :
			    s->sync_r == HOSTIAM_ERR_NOT_FOUND ? NULL :
								 hostiam_strerror(s->sync_r));
	json_kv_str(j, "server", have && s->sync.server[0] ? s->sync.server : NULL);
	json_kv_opt_int(j, "skipped", s->sync.skipped, have && s->sync.ok);
	json_object_end(j);
	json_key(j, "directory");
	json_object_begin(j);
	json_kv_bool(j, "reachable", s->dir_ok);
	json_kv_str(j, "server", s->dir_ok ? s->server : NULL);
	json_kv_str(j, "error", s->dir_ok ? NULL : s->dir_err);
	json_object_end(j);
}

/* The whole report as one JSON object. */
static void print_json(const struct status *s, bool bad)
{
	struct json_out j;

	json_init(&j, stdout);
	json_object_begin(&j);
	json_kv_bool(&j, "ok", !bad);
	json_cache(&j, s);
	json_sync_and_directory(&j, s);
	json_object_end(&j);
}

/* Without a directory section there is no cache, no sync and no agent: nothing is wrong. */
static void print_no_directory(bool json)
{
	struct json_out j;

	if (!json) {
		printf("%-16s none configured (no sync, no cache: local users only)\n",
		       "directory:");
		return;
	}
	json_init(&j, stdout);
	json_object_begin(&j);
	json_kv_bool(&j, "ok", true);
	json_key(&j, "cache");
	json_null(&j);
	json_key(&j, "last_sync");
	json_null(&j);
	json_key(&j, "directory");
	json_null(&j);
	json_object_end(&j);
}

int cmd_status(const struct cli *cli, int argc, char **argv)
{
	struct status s = { .now = time(NULL) };
	struct hostiam_config *cfg;
	bool json = argc == 2 && strcmp(argv[1], "--json") == 0, bad;

	if (argc != 1 && !json) {
		cli_usage(stderr, argv[0]);
		return EXIT_USAGE;
	}
	cfg = cli_load_config(cli);
	if (!cfg)
		return EXIT_USAGE;
	if (!cfg->directory.configured) {
		print_no_directory(json);
		hostiam_config_free(cfg);
		return EXIT_OK;
	}
	read_cache(cfg, &s);
	read_last_sync(cfg, &s);
	/* Bounded by directory.timeout; informational only, never the exit status. */
	s.dir_ok = dir_probe(&cfg->directory, s.server, sizeof(s.server), s.dir_err,
			     sizeof(s.dir_err)) == 0;
	bad = cache_bad(&s) || sync_bad(&s);
	if (json) {
		print_json(&s, bad);
	} else {
		print_cache(&s);
		print_sync_and_directory(&s);
	}
	hostiam_config_free(cfg);
	return bad ? EXIT_FAILED : EXIT_OK;
}
