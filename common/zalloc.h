/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Zeroed memory for tables that are read before they are written (hash tables, counters).
 * calloc maps fresh pages to the shared zero page, and the first write to each then costs a
 * second fault, which in a process with more than one thread flushes the TLB of every CPU
 * the process runs on (an IPI each, a VM exit in a guest). Written at once, the pages are
 * the process's own from the start.
 */
#ifndef HOSTIAM_ZALLOC_H
#define HOSTIAM_ZALLOC_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void *(*const volatile hostiam_zero_fill)(void *, int, size_t) = memset;

/* n * size zeroed bytes (at least 1), or NULL (also on overflow); free() them. */
static inline void *hostiam_zalloc(size_t n, size_t size)
{
	size_t len;
	void *p;

	if (size && n > SIZE_MAX / size)
		return NULL;
	len = n * size;
	if (len == 0)
		len = 1;
	p = malloc(len);
	/* Through a volatile pointer: compilers turn malloc + memset into calloc. */
	if (p)
		hostiam_zero_fill(p, 0, len);
	return p;
}

#endif
