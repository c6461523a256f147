/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Threads looking up through the module while the agent's writer publishes thousands of
 * deltas (and, every few hundred, a full base that removes the delta): every answer is
 * one whole, current record. Each record says which publish wrote it (gecos and home
 * agree on it); a thread never sees a user go back to an older publish, nor one not yet
 * announced; the renamed user is always there under one of its two names; the team group
 * and its members' initgroups agree with one publish.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cache_writer.h"
#include "errors.h"
#include "nss_test.h"

#define N_USERS 100
#define N_READERS 4
#define N_PUBLISHES 2000
#define FULL_EVERY 400 /* a full base (compaction) every so many publishes */
#define TEAM_GID 30000u
#define ROVER_UID 20000u /* renamed at every publish: "ra" at even ones, "rb" at odd */

static struct nss_module mod;
static char path[64];
static atomic_uint published; /* newest publish announced (before it is written) */
static atomic_bool done;
static atomic_ulong lookups;

/* The writer's model: which publish last wrote each user. */
static unsigned user_gen[N_USERS];

struct strings {
	char names[N_USERS + 1][16], gecos[N_USERS + 1][32], homes[N_USERS + 1][48];
	char members[8][24], old_members[8][24];
};

/* The record of user i (i == N_USERS: the rover) as written at publish gen. */
static struct hostiam_cache_user_in user_at(struct strings *s, int i, unsigned gen)
{
	bool rover = i == N_USERS;
	char name[16];

	if (rover)
		snprintf(name, sizeof(name), gen % 2 ? "rb" : "ra");
	else
		snprintf(name, sizeof(name), "u%d", i);
	memcpy(s->names[i], name, sizeof(name));
	snprintf(s->gecos[i], sizeof(s->gecos[i]), "gen=%u", gen);
	snprintf(s->homes[i], sizeof(s->homes[i]), "/home/%s/%u", name, gen);
	return (struct hostiam_cache_user_in){
		s->names[i], rover ? ROVER_UID : 10000u + (unsigned)i,
		10000,       s->gecos[i],
		s->homes[i], "/bin/sh",
		NULL,        0
	};
}

/* The team group of publish gen: gen % 7 + 1 members named after gen. */
static struct hostiam_cache_group_in team_at(char names[8][24], const char **members, unsigned gen)
{
	unsigned n = gen % 7 + 1;

	for (unsigned k = 0; k < n; k++) {
		snprintf(names[k], 24, "m%u_%u", gen, k);
		members[k] = names[k];
	}
	return (struct hostiam_cache_group_in){ "team", TEAM_GID, members, n, NULL };
}

/* A full base of publish gen, from the model. */
static int write_full(unsigned gen)
{
	static struct strings s;
	struct hostiam_cache_user_in users[N_USERS + 1];
	const char *members[8];
	struct hostiam_cache_group_in team = team_at(s.members, members, gen);

	for (int i = 0; i < N_USERS; i++)
		users[i] = user_at(&s, i, user_gen[i]);
	users[N_USERS] = user_at(&s, N_USERS, gen);
	return hostiam_cache_write(path, users, N_USERS + 1, &team, 1, gen, 0);
}

/* A delta of publish gen: five users, the rover renamed, a new team and its members. */
static int write_delta(unsigned gen, unsigned *seed)
{
	static struct strings s;
	static const uint32_t team_gid = TEAM_GID;
	struct hostiam_cache_user_in users[6];
	struct hostiam_cache_member_in members[16];
	const char *team_members[8], *drop[1];
	struct hostiam_cache_group_in team = team_at(s.members, team_members, gen);
	struct hostiam_cache_changes ch = { .users = users,
					    .groups = &team,
					    .n_groups = 1,
					    .members = members,
					    .drop_user_names = drop };
	unsigned prev = gen - 1;
	uint64_t got;
	size_t records, n = 0;
	int r;

	for (int k = 0; k < 5; k++) {
		int i = (int)(rand_r(seed) % N_USERS);

		if (user_gen[i] == gen)
			continue;
		user_gen[i] = gen;
		users[ch.n_users++] = user_at(&s, i, gen);
	}
	users[ch.n_users++] = user_at(&s, N_USERS, gen);
	drop[ch.n_drop_user_names++] = prev % 2 ? "rb" : "ra";
	for (unsigned k = 0; k < prev % 7 + 1; k++) { /* last publish's members: no group */
		snprintf(s.old_members[k], sizeof(s.old_members[k]), "m%u_%u", prev, k);
		members[n++] = (struct hostiam_cache_member_in){ s.old_members[k], NULL, 0 };
	}
	for (unsigned k = 0; k < team.n_members; k++)
		members[n++] = (struct hostiam_cache_member_in){ team_members[k], &team_gid, 1 };
	ch.n_members = n;
	r = hostiam_cache_write_delta(path, &ch, 0, &got, &records);
	if (r == 0 && got != gen) {
		fprintf(stderr, "delta generation %llu, want %u\n", (unsigned long long)got, gen);
		return -1;
	}
	return r;
}

/* A user answer's publish (gecos and home agree, the name is as given), or 0. */
static unsigned check_passwd(const struct passwd *pw, const char *name)
{
	char home[64];
	unsigned gen;

	if (strcmp(pw->pw_name, name) != 0 || sscanf(pw->pw_gecos, "gen=%u", &gen) != 1)
		return 0;
	snprintf(home, sizeof(home), "/home/%s/%u", name, gen);
	return strcmp(pw->pw_dir, home) == 0 ? gen : 0;
}

/* getpwnam of user i: its publish, or 0 on any failure or torn record. */
static unsigned check_user(int i)
{
	struct passwd pw;
	char buf[256], name[16];
	int err = 0;

	snprintf(name, sizeof(name), "u%d", i);
	if (mod.getpwnam_r(name, &pw, buf, sizeof(buf), &err) != NSS_STATUS_SUCCESS) {
		fprintf(stderr, "getpwnam_r(%s) failed: errno %d\n", name, err);
		return 0;
	}
	return pw.pw_uid == 10000u + (unsigned)i ? check_passwd(&pw, name) : 0;
}

/* getpwuid of the rover: always there, named for the parity of its publish. */
static unsigned check_rover(void)
{
	struct passwd pw;
	char buf[256];
	unsigned gen;
	int err = 0;

	if (mod.getpwuid_r(ROVER_UID, &pw, buf, sizeof(buf), &err) != NSS_STATUS_SUCCESS) {
		fprintf(stderr, "getpwuid_r(rover) failed: errno %d\n", err);
		return 0;
	}
	gen = check_passwd(&pw, pw.pw_name);
	return gen && strcmp(pw.pw_name, gen % 2 ? "rb" : "ra") == 0 ? gen : 0;
}

/* The team group and the initgroups of its first member agree with one publish. */
static unsigned check_team(void)
{
	struct group gr;
	char buf[512], want[24];
	long start = 0, size = 4;
	gid_t *groups = malloc(4 * sizeof(gid_t));
	unsigned gen = 0, k;
	int err = 0;

	if (!groups ||
	    mod.getgrgid_r(TEAM_GID, &gr, buf, sizeof(buf), &err) != NSS_STATUS_SUCCESS ||
	    sscanf(gr.gr_mem[0], "m%u_", &gen) != 1)
		goto out;
	for (k = 0; gr.gr_mem[k]; k++) {
		snprintf(want, sizeof(want), "m%u_%u", gen, k);
		if (strcmp(gr.gr_mem[k], want) != 0)
			gen = 0;
	}
	if (k != gen % 7 + 1)
		gen = 0;
	/* Its member's initgroups, perhaps from a later publish: found, or gone since. */
	if (gen &&
	    mod.initgroups_dyn(gr.gr_mem[0], 0, &start, &size, &groups, 0, &err) ==
		    NSS_STATUS_SUCCESS &&
	    (start != 1 || groups[0] != TEAM_GID))
		gen = 0;
out:
	free(groups);
	return gen;
}

/* One reader: random checks until done; 1 on the first wrong answer. */
static void *reader(void *arg)
{
	unsigned seed = (unsigned)(uintptr_t)arg, seen[N_USERS + 1] = { 0 };
	unsigned long n = 0;

	while (!atomic_load(&done)) {
		unsigned newest_before = atomic_load(&published), gen, pick;
		int which = (int)(rand_r(&seed) % (N_USERS + 2));

		pick = which < N_USERS ? (unsigned)which : N_USERS;
		gen = which < N_USERS    ? check_user(which) :
			which == N_USERS ? check_rover() :
					   check_team();
		/* Whole, not older than this thread saw, not from the future. */
		if (gen == 0 || (which <= N_USERS && gen < seen[pick]) ||
		    gen > atomic_load(&published) ||
		    (which >= N_USERS && gen + 1 < newest_before)) {
			fprintf(stderr, "wrong answer for %d: gen %u (seen %u, newest %u)\n", which,
				gen, which <= N_USERS ? seen[pick] : 0, newest_before);
			return (void *)1;
		}
		if (which <= N_USERS)
			seen[pick] = gen;
		n++;
	}
	atomic_fetch_add(&lookups, n);
	return NULL;
}

int main(void)
{
	char dir[] = "/tmp/hostiam-tdelta-XXXXXX", dpath[96];
	pthread_t t[N_READERS];
	unsigned seed = 7;
	int failed = 0, r = 0;

	if (!mkdtemp(dir))
		return 99;
	snprintf(path, sizeof(path), "%s/nss.cache", dir);
	snprintf(dpath, sizeof(dpath), "%s.delta", path);
	setenv("HOSTIAM_NSS_CACHE", path, 1);
	for (int i = 0; i < N_USERS; i++)
		user_gen[i] = 1;
	if (nss_module_load(&mod) < 0 || write_full(1) < 0)
		return 99;
	atomic_store(&published, 1);
	for (uintptr_t i = 0; i < N_READERS; i++)
		pthread_create(&t[i], NULL, reader, (void *)(i + 1));
	for (unsigned gen = 2; gen <= N_PUBLISHES + 1 && r == 0; gen++) {
		/* Announce first: a reader may see the file as soon as rename() returns. */
		atomic_store(&published, gen);
		r = gen % FULL_EVERY ? write_delta(gen, &seed) : write_full(gen);
		if (r < 0)
			fprintf(stderr, "publish %u: %s\n", gen, hostiam_strerror(r));
	}
	failed = r < 0;
	atomic_store(&done, true);
	for (int i = 0; i < N_READERS; i++) {
		void *res;

		pthread_join(t[i], &res);
		failed |= res != NULL;
	}
	printf("%lu lookups during %d publishes (deltas and full bases): %s\n",
	       atomic_load(&lookups), N_PUBLISHES, failed ? "FAILED" : "ok");
	unlink(dpath);
	unlink(path);
	rmdir(dir);
	return failed;
}
