/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Sorting arrays of 32-bit numbers (member numbers, interned names) without qsort's
 * callback per comparison: millions of them per full sync at 100,000 users.
 */
#ifndef HOSTIAM_DIR_SORT_H
#define HOSTIAM_DIR_SORT_H

#include <stddef.h>
#include <stdint.h>

/*
 * Sort v[0..n) ascending. tmp has room for n numbers when n > DIR_SORT_SMALL (a radix
 * sort, linear whatever the input); smaller arrays are sorted in place and tmp may be NULL.
 */
void dir_sort_u32(uint32_t *v, size_t n, uint32_t *tmp);

#define DIR_SORT_SMALL 32

#endif
