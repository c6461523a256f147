/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NSS-side benchmark: builds a synthetic directory (N users, 20,000 groups, ~33 groups per
 * user, a "biguser" in 1,000 groups, a 6,000-member group, local members), writes the
 * cache, then times opening it, lookups inside the module (direct calls) and, when run
 * under nss_wrapper (run-nss-bench.sh does that), the same lookups through glibc.
 *
 *   bench_nss N_USERS CACHEFILE
 *   bench_nss ldif FILE.ldif CACHEFILE   (gen_realistic.py's directory: its biggest groups)
 *
 * Prints one table row per measurement: "name<TAB>value<TAB>unit". Lookups are timed in
 * CPU time of the calling thread, the cache writes in wall-clock time.
 */
#include "config.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cache.h"
#include "cache_writer.h"
#include "errors.h"
#include "../nss/nss_test.h"

#define N_GROUPS 20000
#define PER_USER 33
#define BIG_GROUPS 1000
#define BIG_GROUP_MEMBERS 6000
#define LOOKUPS 1000000

struct dataset {
	uint32_t n_users;
	char (*user_names)[16];
	char (*group_names)[16];
	struct hostiam_cache_user_in *users;
	struct hostiam_cache_group_in *groups; /* N_GROUPS + the big group */
	const char **member_store;
	uint32_t *fill;
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * CPU time of this thread: lookups are timed with it, so that a machine shared with other
 * work (CI, a busy host) does not count their time slices as ours.
 */
static double cpu(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void row(const char *name, double value, const char *unit)
{
	printf("%-44s\t%12.1f\t%s\n", name, value, unit);
	fflush(stdout);
}

/* Group k of user i: distinct for k < PER_USER since 607 * 33 < N_GROUPS. */
static uint32_t group_of(uint32_t i, uint32_t k)
{
	return (i * 7919u + k * (N_GROUPS / PER_USER + 1)) % N_GROUPS;
}

/* Count members per group, then point each group's member list into one array. */
static void layout_groups(struct dataset *d, uint32_t n_local)
{
	size_t total = 0, pos = 0;

	d->fill = calloc(N_GROUPS + 1, sizeof(*d->fill));
	for (uint32_t i = 0; i < d->n_users; i++)
		for (uint32_t k = 0; k < PER_USER; k++)
			d->fill[group_of(i, k)]++;
	for (uint32_t j = 0; j < BIG_GROUPS; j++)
		d->fill[j]++; /* biguser */
	for (uint32_t j = 0; j < n_local; j++)
		d->fill[N_GROUPS - 1 - j]++; /* localop, not a cached user */
	d->fill[N_GROUPS] = BIG_GROUP_MEMBERS;
	for (uint32_t j = 0; j <= N_GROUPS; j++)
		total += d->fill[j];
	d->member_store = malloc(total * sizeof(*d->member_store));
	for (uint32_t j = 0; j <= N_GROUPS; j++) {
		d->groups[j].members = d->member_store + pos;
		d->groups[j].n_members = 0;
		pos += d->fill[j];
	}
}

static void add_member(struct dataset *d, uint32_t j, const char *name)
{
	((const char **)d->groups[j].members)[d->groups[j].n_members++] = name;
}

/* The synthetic directory; user 0 is "biguser". */
static void make_dataset(struct dataset *d, uint32_t n_users)
{
	d->n_users = n_users;
	d->user_names = calloc(n_users, sizeof(*d->user_names));
	d->group_names = calloc(N_GROUPS + 1, sizeof(*d->group_names));
	d->users = calloc(n_users, sizeof(*d->users));
	d->groups = calloc(N_GROUPS + 1, sizeof(*d->groups));
	for (uint32_t i = 0; i < n_users; i++) {
		snprintf(d->user_names[i], 16, i ? "user%06u" : "biguser", i);
		d->users[i] = (struct hostiam_cache_user_in){
			d->user_names[i],  100000 + i,  100000 + i, "Synthetic User",
			"/home/synthetic", "/bin/bash", NULL,       0
		};
	}
	for (uint32_t j = 0; j <= N_GROUPS; j++) {
		snprintf(d->group_names[j], 16, j < N_GROUPS ? "group%05u" : "biggroup", j);
		d->groups[j].name = d->group_names[j];
		d->groups[j].gid = 200000 + j;
	}
	layout_groups(d, 50);
	for (uint32_t i = 1; i < n_users; i++)
		for (uint32_t k = 0; k < PER_USER; k++)
			add_member(d, group_of(i, k), d->user_names[i]);
	for (uint32_t k = 0; k < PER_USER; k++)
		if (group_of(0, k) >= BIG_GROUPS) /* biguser's formula groups beyond the 1,000 */
			add_member(d, group_of(0, k), "biguser");
	for (uint32_t j = 0; j < BIG_GROUPS; j++)
		add_member(d, j, "biguser");
	for (uint32_t j = 0; j < 50; j++)
		add_member(d, N_GROUPS - 1 - j, "localop");
	for (uint32_t i = 0; i < BIG_GROUP_MEMBERS && i < n_users; i++)
		add_member(d, N_GROUPS, d->user_names[i]);
}

static size_t memberships(const struct dataset *d)
{
	size_t n = 0;

	for (uint32_t j = 0; j <= N_GROUPS; j++)
		n += d->groups[j].n_members;
	return n;
}

/* Random user/group indexes, drawn before timing so the loop measures lookups only. */
static uint32_t *random_indexes(uint32_t n, uint32_t range)
{
	uint32_t *v = malloc(n * sizeof(*v));
	unsigned seed = 42;

	for (uint32_t i = 0; i < n; i++)
		v[i] = (uint32_t)rand_r(&seed) % range;
	return v;
}

static void bench_write_open(const struct dataset *d, const char *path)
{
	struct hostiam_cache *c = NULL;
	struct stat st;
	void *image = NULL;
	size_t len = 0;
	double t0 = now();
	int r = hostiam_cache_build(d->users, d->n_users, d->groups, N_GROUPS + 1, 1, 0, &image,
				    &len);

	row("cache build (in memory, no I/O)", (now() - t0) * 1e3, r ? "ms FAILED" : "ms");
	free(image);
	t0 = now();
	r = hostiam_cache_write(path, d->users, d->n_users, d->groups, N_GROUPS + 1, 1, 0);

	if (r < 0) {
		fprintf(stderr, "write: %s\n", hostiam_strerror(r));
		exit(1);
	}
	row("cache write (build + fsync + rename)", (now() - t0) * 1e3, "ms");
	stat(path, &st);
	row("cache file size", st.st_size / 1048576.0, "MiB");
	t0 = now();
	for (int i = 0; i < 1000; i++) {
		if (hostiam_cache_open(path, &c) < 0)
			exit(1);
		hostiam_cache_close(c);
	}
	row("cache open + close (open, fstat, mmap, munmap)", (now() - t0) / 1000 * 1e9, "ns");
	t0 = now();
	hostiam_cache_open(path, &c);
	r = hostiam_cache_verify(c);
	row("cache verify (full checksum)", (now() - t0) * 1e3, r ? "ms CORRUPT" : "ms");
	hostiam_cache_close(c);
}

/*
 * Warm getpwnam: one user asked again and again (its slot, record and strings in the CPU
 * cache), the best of 10 batches so that a busy machine does not inflate it; and random
 * users, also the best of 10 batches (their pages mapped, their lines mostly not cached).
 */
static int bench_warm_getpwnam(const struct nss_module *m, const struct dataset *d)
{
	static char buf[4096];
	struct passwd pw;
	double best = 1e9, best_random = 1e9, t0, t;
	unsigned seed = 7;
	int err, bad = 0;

	for (int b = 0; b < 10; b++) {
		const char *name = d->user_names[(uint32_t)rand_r(&seed) % d->n_users];

		t0 = cpu();
		for (int i = 0; i < LOOKUPS / 10; i++)
			bad |= m->getpwnam_r(name, &pw, buf, sizeof(buf), &err) !=
				NSS_STATUS_SUCCESS;
		if ((t = cpu() - t0) < best)
			best = t;
		t0 = cpu();
		for (int i = 0; i < LOOKUPS / 10; i++)
			bad |= m->getpwnam_r(d->user_names[(i * 7919u + b) % d->n_users], &pw, buf,
					     sizeof(buf), &err) != NSS_STATUS_SUCCESS;
		if ((t = cpu() - t0) < best_random)
			best_random = t;
	}
	row("module getpwnam_r warm (same user, best batch)", best / (LOOKUPS / 10) * 1e9,
	    "ns/call");
	row("module getpwnam_r (spread users, best batch)", best_random / (LOOKUPS / 10) * 1e9,
	    "ns/call");
	return bad;
}

/* ns per call of the module's entry points, called directly. */
static void bench_module(const struct nss_module *m, const struct dataset *d, const uint32_t *ri,
			 const uint32_t *rg)
{
	static char buf[1 << 20];
	struct passwd pw;
	struct group gr;
	long int start, size = 16;
	gid_t *gids = malloc(size * sizeof(gid_t));
	int err, bad = 0;
	double t0;

	t0 = cpu();
	for (int i = 0; i < LOOKUPS; i++)
		bad |= m->getpwnam_r(d->user_names[ri[i]], &pw, buf, sizeof(buf), &err) !=
			NSS_STATUS_SUCCESS;
	row("module getpwnam_r", (cpu() - t0) / LOOKUPS * 1e9, "ns/call");
	bad |= bench_warm_getpwnam(m, d);
	t0 = cpu();
	for (int i = 0; i < LOOKUPS; i++)
		bad |= m->getpwuid_r(100000 + ri[i], &pw, buf, sizeof(buf), &err) !=
			NSS_STATUS_SUCCESS;
	row("module getpwuid_r", (cpu() - t0) / LOOKUPS * 1e9, "ns/call");
	t0 = cpu();
	for (int i = 0; i < LOOKUPS; i++)
		bad |= m->getgrnam_r(d->group_names[rg[i]], &gr, buf, sizeof(buf), &err) !=
			NSS_STATUS_SUCCESS;
	row("module getgrnam_r (avg members incl.)", (cpu() - t0) / LOOKUPS * 1e9, "ns/call");
	t0 = cpu();
	for (int i = 0; i < LOOKUPS; i++)
		bad |= m->getgrgid_r(200000 + rg[i], &gr, buf, sizeof(buf), &err) !=
			NSS_STATUS_SUCCESS;
	row("module getgrgid_r", (cpu() - t0) / LOOKUPS * 1e9, "ns/call");
	t0 = cpu();
	for (int i = 0; i < 1000; i++)
		bad |= m->getgrgid_r(200000 + N_GROUPS, &gr, buf, sizeof(buf), &err) !=
			NSS_STATUS_SUCCESS;
	row("module getgrgid_r, 6,000-member group", (cpu() - t0) / 1000 * 1e9, "ns/call");
	t0 = cpu();
	for (int i = 0; i < 1000; i++)
		bad |= m->getgrnam_r("biggroup", &gr, buf, sizeof(buf), &err) != NSS_STATUS_SUCCESS;
	row("module getgrnam_r, biggest group (6,000)", (cpu() - t0) / 1000 * 1e9, "ns/call");
	t0 = cpu();
	for (int i = 0; i < 10000; i++) {
		start = 1;
		gids[0] = 100000;
		bad |= m->initgroups_dyn("biguser", 100000, &start, &size, &gids, 0, &err) !=
			NSS_STATUS_SUCCESS;
	}
	row("module initgroups_dyn biguser (groups)", (double)start - 1, "groups");
	row("module initgroups_dyn biguser", (cpu() - t0) / 10000 * 1e9, "ns/call");
	t0 = cpu();
	m->setpwent(0);
	for (start = 0; m->getpwent_r(&pw, buf, sizeof(buf), &err) == NSS_STATUS_SUCCESS; start++)
		;
	m->endpwent();
	bad |= start != d->n_users;
	row("module enumerate all users", (cpu() - t0) * 1e3, "ms");
	if (bad)
		printf("!! some module lookups failed\n");
	free(gids);
}

/*
 * The first lookup of a process: in a fresh child (fork, then a fresh module state is not
 * possible, so the child execs us in mode) one lookup is timed, mapping and header checks
 * included. The median of 21 runs. Modes: "first" loads the module and times one
 * getpwnam_r in CPU time; "first-pw" and "first-gr" time glibc's getpwnam() and
 * getgrnam() of the biggest group (growing buffer, as programs do) in wall-clock time,
 * glibc's and nss_wrapper's start-up included.
 */
static void bench_first_lookup(const char *self, const char *mode, const char *path,
			       const char *name)
{
	double t[21];

	for (int k = 0; k < 21; k++) {
		int fd[2], status;
		pid_t pid;
		FILE *f;

		if (pipe(fd) < 0 || (pid = fork()) < 0)
			exit(1);
		if (pid == 0) {
			close(fd[0]);
			dup2(fd[1], 1);
			execl(self, self, mode, path, (char *)NULL);
			_exit(127);
		}
		close(fd[1]);
		t[k] = -1;
		f = fdopen(fd[0], "r");
		if (!f || fscanf(f, "%lf", &t[k]) != 1)
			t[k] = -1;
		if (f)
			fclose(f);
		waitpid(pid, &status, 0);
	}
	for (int i = 1; i < 21; i++)
		for (int j = i; j > 0 && t[j] < t[j - 1]; j--) {
			double x = t[j];

			t[j] = t[j - 1];
			t[j - 1] = x;
		}
	row(name, t[10] * 1e6, t[0] < 0 ? "us FAILED" : "us");
}

/* Child of bench_first_lookup(): time one lookup of a fresh process, print seconds. */
static int first_lookup(const char *mode, const char *path)
{
	static char buf[1 << 16];
	struct nss_module m;
	struct passwd pw;
	double t0;
	int err;

	if (strcmp(mode, "first-pw") == 0 || strcmp(mode, "first-gr") == 0) {
		t0 = now();
		if (mode[6] == 'p' ? !getpwnam("user000042") : !getgrnam("biggroup"))
			return 1;
		printf("%.9f\n", now() - t0);
		return 0;
	}
	setenv("HOSTIAM_NSS_CACHE", path, 1);
	if (nss_module_load(&m) < 0)
		return 1;
	t0 = cpu();
	if (m.getpwnam_r("user000042", &pw, buf, sizeof(buf), &err) != NSS_STATUS_SUCCESS)
		return 1;
	printf("%.9f\n", cpu() - t0);
	return 0;
}

/* The same through glibc: only meaningful under nss_wrapper (run-nss-bench.sh). */
static void bench_glibc(const struct dataset *d, const uint32_t *ri, const uint32_t *rg, int n)
{
	static char buf[1 << 20];
	struct passwd pw, *pwp;
	struct group gr, *grp;
	gid_t groups[4096];
	int ng = 4096, bad = 0;
	double t0;

	t0 = now();
	for (int i = 0; i < n; i++)
		bad |= getpwnam_r(d->user_names[ri[i]], &pw, buf, sizeof(buf), &pwp) || !pwp;
	row("glibc getpwnam_r (nss_wrapper)", (now() - t0) / n * 1e9, "ns/call");
	t0 = now();
	for (int i = 0; i < n; i++)
		bad |= getpwuid_r(100000 + ri[i], &pw, buf, sizeof(buf), &pwp) || !pwp;
	row("glibc getpwuid_r (nss_wrapper)", (now() - t0) / n * 1e9, "ns/call");
	t0 = now();
	for (int i = 0; i < n; i++)
		bad |= getgrnam_r(d->group_names[rg[i]], &gr, buf, sizeof(buf), &grp) || !grp;
	row("glibc getgrnam_r (nss_wrapper)", (now() - t0) / n * 1e9, "ns/call");
	bad |= !getgrnam("biggroup"); /* glibc's own buffer grows to fit, once */
	t0 = cpu();
	for (int i = 0; i < 1000; i++)
		bad |= !getgrnam("biggroup");
	row("glibc getgrnam, biggest group (6,000), warm", (cpu() - t0) / 1000 * 1e6, "us/call");
	t0 = now();
	for (int i = 0; i < 10; i++) {
		ng = 4096;
		bad |= getgrouplist("biguser", 100000, groups, &ng) < 0;
	}
	row("glibc getgrouplist biguser (nss_wrapper)", (now() - t0) / 10 * 1e6, "us/call");
	row("glibc getgrouplist biguser (groups)", ng, "groups");
	t0 = now();
	setpwent();
	for (n = 0; getpwent(); n++)
		;
	endpwent();
	row("glibc enumerate all users (nss_wrapper)", (now() - t0) * 1e3, "ms");
	if (bad)
		printf("!! some glibc lookups failed\n");
}

/*
 * The realistic directory: users and posixGroups (memberUid) of an LDIF written by
 * gen_realistic.py, parsed in place (values point into text). Exits on a malformed file.
 */
struct ldif_dir {
	struct hostiam_cache_user_in *users;
	struct hostiam_cache_group_in *groups;
	size_t n_users, n_groups;
	const char **members; /* every group's members, group after group */
	size_t n_members;
};

static void *grow(void *v, size_t n, size_t elem)
{
	if (n && (n & (n - 1)) == 0 && !(v = realloc(v, 2 * n * elem)))
		exit(1);
	return n == 0 ? malloc(elem) : v;
}

/* One entry's line "attr: value" into the user or group being read. */
static void ldif_line(struct ldif_dir *d, char *line, struct hostiam_cache_user_in *u,
		      struct hostiam_cache_group_in *g)
{
	char *v = strstr(line, ": ");

	if (!v)
		return;
	*v = '\0';
	v += 2;
	if (strcmp(line, "uid") == 0)
		u->name = v;
	else if (strcmp(line, "cn") == 0)
		g->name = v;
	else if (strcmp(line, "uidNumber") == 0)
		u->uid = (uint32_t)strtoul(v, NULL, 10);
	else if (strcmp(line, "gidNumber") == 0)
		u->gid = g->gid = (uint32_t)strtoul(v, NULL, 10);
	else if (strcmp(line, "homeDirectory") == 0)
		u->home = v;
	else if (strcmp(line, "loginShell") == 0)
		u->shell = v;
	else if (strcmp(line, "gecos") == 0)
		u->gecos = v;
	else if (strcmp(line, "memberUid") == 0) {
		d->members = grow(d->members, d->n_members, sizeof(*d->members));
		d->members[d->n_members++] = v;
		g->n_members++;
	}
}

/* The entry just read, kept as a user (it has a uidNumber) or a group (memberUid). */
static void ldif_keep(struct ldif_dir *d, const struct hostiam_cache_user_in *u,
		      const struct hostiam_cache_group_in *g, bool is_user, size_t first)
{
	if (is_user) {
		d->users = grow(d->users, d->n_users, sizeof(*d->users));
		d->users[d->n_users++] = *u;
	} else if (g->name && g->gid) {
		d->groups = grow(d->groups, d->n_groups, sizeof(*d->groups));
		d->groups[d->n_groups] = *g;
		d->groups[d->n_groups++].members = (const char *const *)(uintptr_t)first;
	}
}

static void ldif_read(const char *path, struct ldif_dir *d)
{
	struct hostiam_cache_user_in u = { 0 };
	struct hostiam_cache_group_in g = { 0 };
	FILE *f = fopen(path, "r");
	struct stat st;
	char *text, *line, *next;
	bool is_user = false;
	size_t first = 0;

	if (!f || fstat(fileno(f), &st) < 0 || !(text = malloc((size_t)st.st_size + 2)) ||
	    fread(text, 1, (size_t)st.st_size, f) != (size_t)st.st_size)
		exit(1);
	fclose(f);
	memcpy(text + st.st_size, "\n\n", 2);
	*d = (struct ldif_dir){ 0 };
	for (line = text; line < text + st.st_size; line = next + 1) {
		next = strchr(line, '\n');
		*next = '\0';
		if (*line) {
			is_user |= strncmp(line, "uidNumber:", 10) == 0;
			ldif_line(d, line, &u, &g);
			continue;
		}
		ldif_keep(d, &u, &g, is_user, first);
		u = (struct hostiam_cache_user_in){ 0 };
		g = (struct hostiam_cache_group_in){ 0 };
		is_user = false;
		first = d->n_members;
	}
	ldif_keep(d, &u, &g, is_user, first);
	for (size_t i = 0; i < d->n_groups; i++) /* offsets into d->members, now it is final */
		d->groups[i].members = d->members + (uintptr_t)d->groups[i].members;
}

static int by_size_desc(const void *a, const void *b)
{
	const struct hostiam_cache_group_in *x = a, *y = b;

	return (x->n_members < y->n_members) - (x->n_members > y->n_members);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

#define BIG_RUNS 201

/*
 * Median of BIG_RUNS calls of lookup(name), after one untimed call (the first lookup of
 * the group in this mapping, which verifies it). Wall-clock time of each call, as the
 * peers' nssbench measures through glibc.
 */
static double median_us(int (*lookup)(const struct nss_module *, const char *),
			const struct nss_module *m, const char *name)
{
	double t[BIG_RUNS], t0;

	if (lookup(m, name) < 0)
		return -1;
	for (int k = 0; k < BIG_RUNS; k++) {
		t0 = now();
		if (lookup(m, name) < 0)
			return -1;
		t[k] = now() - t0;
	}
	qsort(t, BIG_RUNS, sizeof(t[0]), cmp_double);
	return t[BIG_RUNS / 2] * 1e6;
}

static char big_buf[1 << 22];

/* The module's getgrnam_r, called directly; 0 or -1. */
static int module_grnam(const struct nss_module *m, const char *name)
{
	struct group gr;
	int err;

	return m->getgrnam_r(name, &gr, big_buf, sizeof(big_buf), &err) == NSS_STATUS_SUCCESS ? 0 :
												-1;
}

/* glibc's getgrnam_r with a buffer grown on ERANGE and kept, as nssbench does. */
static int glibc_grnam(const struct nss_module *m, const char *name)
{
	static char *buf;
	static size_t len = 1024;
	struct group gr, *res;
	int e;

	(void)m;
	if (!buf && !(buf = malloc(len)))
		return -1;
	while ((e = getgrnam_r(name, &gr, buf, len, &res)) == ERANGE)
		if (!(buf = realloc(buf, len *= 2)))
			return -1;
	return e || !res ? -1 : 0;
}

/*
 * bench_nss ldif FILE CACHEFILE: writes the cache of the LDIF's directory, then times a
 * warm getgrnam of its 10 biggest groups, in the module and (under nss_wrapper) through
 * glibc: the median per group, then the median and the worst of those.
 */
static int bench_ldif(const char *ldif, const char *path)
{
	struct ldif_dir d;
	struct nss_module m;
	double mod[10], lib[10];
	size_t n;
	bool glibc = getenv("NSS_WRAPPER_MODULE_SO_PATH") != NULL;

	ldif_read(ldif, &d);
	printf("# %zu users, %zu groups, %zu memberships (%s)\n", d.n_users, d.n_groups,
	       d.n_members, ldif);
	if (hostiam_cache_write(path, d.users, d.n_users, d.groups, d.n_groups, 1, 0) < 0)
		return 1;
	setenv("HOSTIAM_NSS_CACHE", path, 1);
	if (nss_module_load(&m) < 0)
		return 1;
	qsort(d.groups, d.n_groups, sizeof(*d.groups), by_size_desc);
	n = d.n_groups < 10 ? d.n_groups : 10;
	for (size_t i = 0; i < n; i++) {
		mod[i] = median_us(module_grnam, &m, d.groups[i].name);
		lib[i] = glibc ? median_us(glibc_grnam, &m, d.groups[i].name) : 0;
		printf("%-20s %6zu members: module %8.1f us, glibc %8.1f us\n", d.groups[i].name,
		       d.groups[i].n_members, mod[i], lib[i]);
	}
	qsort(mod, n, sizeof(mod[0]), cmp_double);
	qsort(lib, n, sizeof(lib[0]), cmp_double);
	row("module getgrnam_r warm, 10 biggest groups (median)", mod[n / 2], "us");
	row("module getgrnam_r warm, 10 biggest groups (worst)", mod[n - 1], "us");
	if (glibc) {
		row("glibc getgrnam_r warm, 10 biggest groups (median)", lib[n / 2], "us");
		row("glibc getgrnam_r warm, 10 biggest groups (worst)", lib[n - 1], "us");
	}
	return mod[0] < 0 || lib[0] < 0;
}

int main(int argc, char **argv)
{
	struct dataset d;
	struct nss_module m;
	uint32_t *ri, *rg;

	if (argc == 3 && strncmp(argv[1], "first", 5) == 0)
		return first_lookup(argv[1], argv[2]);
	if (argc == 4 && strcmp(argv[1], "ldif") == 0)
		return bench_ldif(argv[2], argv[3]);
	if (argc != 3) {
		fprintf(stderr, "usage: bench_nss N_USERS CACHEFILE | ldif FILE.ldif CACHEFILE\n");
		return 2;
	}
	make_dataset(&d, (uint32_t)strtoul(argv[1], NULL, 10));
	printf("# %u users, %u groups, %zu memberships\n", d.n_users, N_GROUPS + 1,
	       memberships(&d));
	bench_write_open(&d, argv[2]);
	setenv("HOSTIAM_NSS_CACHE", argv[2], 1);
	if (nss_module_load(&m) < 0)
		return 1;
	ri = random_indexes(LOOKUPS, d.n_users);
	rg = random_indexes(LOOKUPS, N_GROUPS);
	bench_module(&m, &d, ri, rg);
	bench_first_lookup("/proc/self/exe", "first", argv[2],
			   "module first getpwnam_r in a new process");
	if (getenv("NSS_WRAPPER_MODULE_SO_PATH")) {
		bench_glibc(&d, ri, rg, 100000);
		bench_first_lookup("/proc/self/exe", "first-pw", argv[2],
				   "glibc first getpwnam in a new process");
		bench_first_lookup("/proc/self/exe", "first-gr", argv[2],
				   "glibc first getgrnam, biggest group, new process");
	}
	return 0;
}
