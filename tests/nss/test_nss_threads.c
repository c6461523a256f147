/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Threads looking up through the module while the cache is replaced 200 times: no crash,
 * no failure, and every answer is one whole generation (each record says which one, and
 * a thread never sees generations go backwards). Every tenth replacement the main thread
 * also forks, and the child must be able to look up at once (no lock inherited from a
 * reader thread that does not exist in the child).
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cache_writer.h"
#include "errors.h"
#include "nss_test.h"

#define N_USERS 100
#define N_READERS 4
#define N_GENERATIONS 200
#define TEAM_GID 30000

static struct nss_module mod;
static char path[64];
static atomic_uint published; /* newest generation written */
static atomic_bool done;
static atomic_ulong lookups;

/* Write generation gen: user records and the "team" group all carry gen. */
static int write_generation(unsigned gen)
{
	static char names[N_USERS][16], gecos[N_USERS][32], homes[N_USERS][48];
	static char member_names[8][24];
	const char *members[8];
	struct hostiam_cache_user_in users[N_USERS];
	struct hostiam_cache_group_in team = { "team", TEAM_GID, members, gen % 7 + 1, NULL };

	for (int i = 0; i < N_USERS; i++) {
		snprintf(names[i], sizeof(names[i]), "u%d", i);
		snprintf(gecos[i], sizeof(gecos[i]), "gen=%u", gen);
		snprintf(homes[i], sizeof(homes[i]), "/home/u%d/%u", i, gen);
		users[i] = (struct hostiam_cache_user_in){ names[i], 10000 + i, 10000 + i, gecos[i],
							   homes[i], "/bin/sh", NULL,      0 };
	}
	for (unsigned k = 0; k < team.n_members; k++) {
		snprintf(member_names[k], sizeof(member_names[k]), "m%u_%u", gen, k);
		members[k] = member_names[k];
	}
	return hostiam_cache_write(path, users, N_USERS, &team, 1, gen, 0);
}

/* Check one getpwnam_r answer; returns its generation or 0 on a wrong answer. */
static unsigned check_user(int i)
{
	struct passwd pw;
	char buf[256], home[48];
	unsigned gen;
	int err = 0;

	snprintf(home, sizeof(home), "u%d", i);
	if (mod.getpwnam_r(home, &pw, buf, sizeof(buf), &err) != NSS_STATUS_SUCCESS) {
		fprintf(stderr, "getpwnam_r(%s) failed: errno %d\n", home, err);
		return 0;
	}
	if (pw.pw_uid != 10000u + i || sscanf(pw.pw_gecos, "gen=%u", &gen) != 1)
		return 0;
	snprintf(home, sizeof(home), "/home/u%d/%u", i, gen);
	return strcmp(pw.pw_dir, home) == 0 ? gen : 0;
}

/* Check the team group: member count and names agree with one generation. */
static unsigned check_team(void)
{
	struct group gr;
	char buf[512], want[24];
	unsigned gen, k;
	int err = 0;

	if (mod.getgrgid_r(TEAM_GID, &gr, buf, sizeof(buf), &err) != NSS_STATUS_SUCCESS)
		return 0;
	if (sscanf(gr.gr_mem[0], "m%u_", &gen) != 1)
		return 0;
	for (k = 0; gr.gr_mem[k]; k++) {
		snprintf(want, sizeof(want), "m%u_%u", gen, k);
		if (strcmp(gr.gr_mem[k], want) != 0)
			return 0;
	}
	return k == gen % 7 + 1 ? gen : 0;
}

static void *reader(void *arg)
{
	unsigned seed = (unsigned)(uintptr_t)arg, last = 1;
	unsigned long n = 0;

	while (!atomic_load(&done)) {
		unsigned newest_before = atomic_load(&published);
		unsigned gen = (n & 1) ? check_team() : check_user((int)(rand_r(&seed) % N_USERS));

		/* One whole generation, not older than what this thread saw, not from the future. */
		if (gen == 0 || gen < last || gen > atomic_load(&published) ||
		    gen + 1 < newest_before) {
			fprintf(stderr, "inconsistent answer: gen %u (last %u, newest %u)\n", gen,
				last, newest_before);
			return (void *)1;
		}
		last = gen;
		n++;
	}
	atomic_fetch_add(&lookups, n);
	return NULL;
}

/* Fork while the readers run; the child looks up under a 5 s alarm. Returns 0 if it could. */
static int fork_and_lookup(void)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return 1;
	if (pid == 0) {
		alarm(5);
		_exit(check_user(0) && check_team() ? 0 : 1);
	}
	if (waitpid(pid, &status, 0) != pid)
		return 1;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "child after fork: %s\n",
			WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM ? "hung on a lock" :
									     "lookup failed");
		return 1;
	}
	return 0;
}

int main(void)
{
	char dir[] = "/tmp/hostiam-threads-XXXXXX";
	pthread_t t[N_READERS];
	int failed = 0, r;

	if (!mkdtemp(dir))
		return 99;
	snprintf(path, sizeof(path), "%s/nss.cache", dir);
	setenv("HOSTIAM_NSS_CACHE", path, 1);
	if (nss_module_load(&mod) < 0 || write_generation(1) < 0)
		return 99;
	atomic_store(&published, 1);
	for (uintptr_t i = 0; i < N_READERS; i++)
		pthread_create(&t[i], NULL, reader, (void *)(i + 1));
	for (unsigned gen = 2; gen <= N_GENERATIONS + 1; gen++) {
		/* Announce first: a reader may see the file as soon as rename() returns. */
		atomic_store(&published, gen);
		if ((r = write_generation(gen)) < 0) {
			fprintf(stderr, "write: %s\n", hostiam_strerror(r));
			failed = 1;
			break;
		}
		if (gen % 10 == 0)
			failed |= fork_and_lookup();
	}
	atomic_store(&done, true);
	for (int i = 0; i < N_READERS; i++) {
		void *res;

		pthread_join(t[i], &res);
		failed |= res != NULL;
	}
	printf("%lu lookups during %d replacements: %s\n", atomic_load(&lookups), N_GENERATIONS,
	       failed ? "FAILED" : "ok");
	unlink(path);
	rmdir(dir);
	return failed;
}
