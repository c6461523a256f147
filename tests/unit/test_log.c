/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The log seam is per thread: two threads that each install a sink (and a level) get only
 * their own lines, and a thread that installed nothing logs to the default (syslog), as
 * two logins on the threads of one PAM application must. The default sink's syslog() is
 * caught by this program's own syslog(), which the static libhostiam links to.
 */
#include "config.h"

#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "log.h"

#define LINES 500

/* What one sink received: lines of its own thread, of others, and debug lines. */
struct capture {
	char tag; /* first byte of the lines of its thread */
	int own;
	int foreign;
	int debug;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t all_installed;
static struct capture syslogged = { 'C', 0, 0, 0 };

/* Count line into the capture it belongs to (locked: a broken seam shares sinks). */
static void count(struct capture *c, const char *line)
{
	pthread_mutex_lock(&lock);
	if (strstr(line, "debug"))
		c->debug++;
	if (line[0] == c->tag)
		c->own++;
	else
		c->foreign++;
	pthread_mutex_unlock(&lock);
}

/* The sink the threads install: ctx is their capture. */
static void capture_sink(int priority, const char *line, void *ctx)
{
	(void)priority;
	count(ctx, line);
}

/* The default sink ends in syslog("hostiam: %s", line): catch it here. */
static void caught(const char *fmt, va_list ap)
{
	char line[1200];

	vsnprintf(line, sizeof(line), fmt, ap);
	if (strncmp(line, "hostiam: ", 9) == 0)
		count(&syslogged, line + 9);
}

void syslog(int pri, const char *fmt, ...)
{
	va_list ap;

	(void)pri;
	va_start(ap, fmt);
	caught(fmt, ap);
	va_end(ap);
}

/* What a fortified build calls instead of syslog(). */
void __syslog_chk(int pri, int flag, const char *fmt, ...);
void __syslog_chk(int pri, int flag, const char *fmt, ...)
{
	va_list ap;

	(void)pri;
	(void)flag;
	va_start(ap, fmt);
	caught(fmt, ap);
	va_end(ap);
}

struct worker {
	struct capture *c; /* NULL: install nothing, use the default */
	int level;         /* LOG_DEBUG for the one that asks for debug lines */
	char tag;
};

/* Install (or not) a sink, wait until every thread has, then log LINES lines and debug. */
static void *worker_main(void *arg)
{
	const struct worker *w = arg;
	int i;

	if (w->c) {
		hostiam_log_set_sink(capture_sink, w->c);
		hostiam_log_set_level(w->level);
	}
	pthread_barrier_wait(&all_installed);
	for (i = 0; i < LINES; i++) {
		hostiam_log(LOG_INFO, "%c line %d", w->tag, i);
		hostiam_log(LOG_DEBUG, "%c debug %d", w->tag, i);
	}
	if (w->c)
		hostiam_log_set_sink(NULL, NULL);
	return NULL;
}

/* Two sinks, two levels, one default: every line lands where its own thread said. */
static void test_per_thread(void **state)
{
	struct capture a = { 'A', 0, 0, 0 }, b = { 'B', 0, 0, 0 };
	struct worker w[3] = { { &a, LOG_DEBUG, 'A' }, { &b, LOG_INFO, 'B' }, { NULL, 0, 'C' } };
	pthread_t t[3];
	int i;

	(void)state;
	assert_int_equal(pthread_barrier_init(&all_installed, NULL, 3), 0);
	for (i = 0; i < 3; i++)
		assert_int_equal(pthread_create(&t[i], NULL, worker_main, &w[i]), 0);
	for (i = 0; i < 3; i++)
		pthread_join(t[i], NULL);
	pthread_barrier_destroy(&all_installed);
	print_message("A own=%d foreign=%d debug=%d; B own=%d foreign=%d debug=%d; "
		      "default own=%d foreign=%d debug=%d\n",
		      a.own, a.foreign, a.debug, b.own, b.foreign, b.debug, syslogged.own,
		      syslogged.foreign, syslogged.debug);
	/* A asked for debug lines: its LINES info and LINES debug lines, nothing else. */
	assert_int_equal(a.own, 2 * LINES);
	assert_int_equal(a.foreign, 0);
	assert_int_equal(a.debug, LINES);
	/* B kept the default level, whatever A set. */
	assert_int_equal(b.own, LINES);
	assert_int_equal(b.foreign, 0);
	assert_int_equal(b.debug, 0);
	/* C installed nothing: the default sink and level. */
	assert_int_equal(syslogged.own, LINES);
	assert_int_equal(syslogged.foreign, 0);
	assert_int_equal(syslogged.debug, 0);
}

/* set_level hands back the level it replaces, so a caller can put it back exactly. */
static void test_level_restore(void **state)
{
	int old;

	(void)state;
	old = hostiam_log_set_level(LOG_DEBUG);
	assert_int_equal(old, LOG_INFO);
	old = hostiam_log_set_level(LOG_CRIT);
	assert_int_equal(old, LOG_DEBUG);
	assert_int_equal(hostiam_log_set_level(old), LOG_CRIT);
	assert_int_equal(hostiam_log_set_level(LOG_INFO), LOG_DEBUG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_per_thread),
		cmocka_unit_test(test_level_restore),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
