/* SPDX-License-Identifier: BSD-2-Clause */
/* Insertion sort for short arrays, LSD radix sort by bytes for the rest (dir_sort.h). */
#include "config.h"

#include <string.h>

#include "dir_sort.h"

/* Sort the n values of v in place (n small). */
static void insertion_sort(uint32_t *v, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		uint32_t x = v[i];
		size_t j = i;

		for (; j > 0 && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

void dir_sort_u32(uint32_t *v, size_t n, uint32_t *tmp)
{
	size_t count[256], i, shift;
	uint32_t *from = v, *to = tmp, *swap;

	if (n <= DIR_SORT_SMALL) {
		insertion_sort(v, n);
		return;
	}
	for (shift = 0; shift < 32; shift += 8) {
		size_t sum = 0;

		memset(count, 0, sizeof(count));
		for (i = 0; i < n; i++)
			count[(from[i] >> shift) & 0xff]++;
		/* Every value has this byte alike (high bytes of small numbers): nothing to do. */
		if (count[(from[0] >> shift) & 0xff] == n)
			continue;
		for (i = 0; i < 256; i++) {
			size_t c = count[i];

			count[i] = sum;
			sum += c;
		}
		for (i = 0; i < n; i++)
			to[count[(from[i] >> shift) & 0xff]++] = from[i];
		swap = from, from = to, to = swap;
	}
	if (from != v)
		memcpy(v, from, n * sizeof(*v));
}
