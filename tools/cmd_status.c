/* SPDX-License-Identifier: BSD-2-Clause */
/* hostiam status: what the cache holds, how old it is, and how the last sync went. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cache.h"
#include "commands.h"
#include "errors.h"
#include "dir_probe.h"
#include "log.h"
#include "request.h"
#include "sync_status.h"

/* Print a UNIX time as local "YYYY-MM-DD HH:MM:SS". */
static void print_time(const char *label, time_t t)
{
	char buf[64];
	struct tm tm;

	if (localtime_r(&t, &tm) && strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S %z", &tm))
		printf("%-16s %s\n", label, buf);
}

/*
 * Describe the cache file, its header into *out (zeros when unavailable); returns 1 when it
 * is missing, unusable or older than max_age.
 */
static int show_cache(const struct hostiam_config *cfg, time_t now, struct hostiam_cache_info *out)
{
	struct hostiam_cache *c = NULL;
	struct hostiam_cache_info info;
	int r, bad;

	memset(out, 0, sizeof(*out));
	printf("%-16s %s\n", "cache:", cfg->cache.nss_path);
	r = hostiam_cache_open(cfg->cache.nss_path, &c);
	if (r < 0) {
		printf("%-16s unavailable (%s)\n", "state:", hostiam_strerror(r));
		return 1;
	}
	hostiam_cache_get_info(c, &info);
	r = hostiam_cache_verify(c);
	hostiam_cache_close(c);
	if (r == 0)
		*out = info;
	bad = r < 0 || hostiam_cache_offline(cfg, &info, now);
	printf("%-16s %s\n", "state:",
	       r < 0       ? hostiam_strerror(r) :
		       bad ? "offline (older than cache.max_age)" :
			     "fresh");
	printf("%-16s %" PRIu64 "\n", "generation:", info.generation);
	print_time("synced:", (time_t)info.sync_time);
	printf("%-16s %lld s\n", "age:", (long long)(now - info.sync_time));
	printf("%-16s %" PRIu32 "\n", "users:", info.n_users);
	printf("%-16s %" PRIu32 "\n", "groups:", info.n_groups);
	printf("%-16s %" PRIu64 " bytes\n", "size:", info.file_size);
	return bad;
}

/*
 * Describe the last sync attempt; returns 1 when it failed. A cache newer than sync.status
 * (an agent killed between publishing and recording) is the last sync: its header wins.
 */
static int show_last_sync(const struct hostiam_config *cfg, const struct hostiam_cache_info *info)
{
	struct sync_status st;
	int r = sync_status_read(cfg->cache.dir, &st);

	if ((r == 0 || r == HOSTIAM_ERR_NOT_FOUND) && sync_status_reconcile(&st, r == 0, info))
		r = 0;
	if (r == HOSTIAM_ERR_NOT_FOUND) {
		printf("%-16s never\n", "last sync:");
		return 0;
	}
	if (r < 0) {
		printf("%-16s unreadable (%s)\n", "last sync:", hostiam_strerror(r));
		return 1;
	}
	print_time("last sync:", st.time);
	printf("%-16s %s: %s\n", "result:", st.ok ? "ok" : "error", st.message);
	if (st.server[0])
		printf("%-16s %s\n", "server:", st.server);
	if (st.ok)
		printf("%-16s %" PRIu32 "\n", "skipped:", st.skipped);
	return !st.ok;
}

/* Try the directory as the agent would (bounded by directory.timeout); informational only. */
static void show_directory(const struct hostiam_config *cfg)
{
	char server[256], err[512] = "";

	if (dir_probe(&cfg->directory, server, sizeof(server), err, sizeof(err)) == 0)
		printf("%-16s reachable (%s)\n", "directory:", server);
	else
		printf("%-16s unreachable: %s\n", "directory:", err);
}

int cmd_status(const struct cli *cli, int argc, char **argv)
{
	struct hostiam_cache_info info;
	struct hostiam_config *cfg;
	time_t now = time(NULL);
	int bad;

	if (argc != 1) {
		cli_usage(stderr, argv[0]);
		return EXIT_USAGE;
	}
	cfg = cli_load_config(cli);
	if (!cfg)
		return EXIT_USAGE;
	bad = show_cache(cfg, now, &info);
	bad |= show_last_sync(cfg, &info);
	show_directory(cfg);
	hostiam_config_free(cfg);
	return bad ? EXIT_FAILED : EXIT_OK;
}
