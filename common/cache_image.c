/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The built sections of a cache laid out as the file of cache_format.h: into one image in
 * memory, or straight into a new file, the sections that are final written on a thread of
 * their own while the rest is built. Both give the same bytes.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cache_build.h"
#include "errors.h"
#include "file_io.h"
#include "hash.h"
#include "thread.h"

/* The body's checksum goes word by word from the end of the header: its sections too. */
_Static_assert(sizeof(struct hc_header) % HC_ALIGN == 0, "header size not aligned");
_Static_assert(HC_ALIGN == 8, "sections must start on checksum words");

/* n rounded up to the section alignment. */
static size_t align_up(size_t n)
{
	return (n + HC_ALIGN - 1) & ~(size_t)(HC_ALIGN - 1);
}

void hc_layout(const struct hc_sections *s, struct hc_header *h)
{
	size_t off = align_up(sizeof(*h));

	memcpy(h->magic, HC_MAGIC, sizeof(h->magic));
	h->version = HC_VERSION;
	h->byte_order = HC_BYTE_ORDER;
	h->header_size = sizeof(*h);
	for (int i = 0; i < HC_N_SECTIONS; i++) {
		h->sections[i] = (struct hc_section_ref){ off, s->size[i] };
		off = align_up(off + s->size[i]);
	}
	h->file_size = off;
}

/* The body checksum of the sections of s, laid out in h. */
static uint64_t body_checksum(const struct hc_sections *s, const struct hc_header *h)
{
	uint64_t c = hostiam_checksum_start(h->file_size - sizeof(*h));

	for (int i = 0; i < HC_N_SECTIONS; i++)
		if (s->size[i])
			c = hostiam_checksum_add(c, s->data[i], s->size[i]);
	return hostiam_checksum_end(c);
}

/* Both checksums of h, over the sections of s. */
static void seal_header(const struct hc_sections *s, struct hc_header *h)
{
	h->body_checksum = body_checksum(s, h);
	h->header_checksum = hostiam_checksum(h, offsetof(struct hc_header, header_checksum));
}

int hc_image_make(const struct hc_sections *s, struct hc_header *h, void **image, size_t *len)
{
	uint8_t *img;

	hc_layout(s, h);
	if (!(img = calloc(1, h->file_size)))
		return HOSTIAM_ERR_NOMEM;
	for (int i = 0; i < HC_N_SECTIONS; i++)
		if (s->size[i])
			memcpy(img + h->sections[i].offset, s->data[i], s->size[i]);
	seal_header(s, h);
	memcpy(img, h, sizeof(*h));
	*image = img;
	*len = h->file_size;
	return 0;
}

/* The sections of mask (bit i: section i) into fd at their offsets; 0 or HOSTIAM_ERR_SYSTEM. */
static int write_sections(const struct hc_stream *st, unsigned mask)
{
	for (int i = 0; i < HC_N_SECTIONS; i++)
		if ((mask & (1u << i)) && st->s->size[i] &&
		    hostiam_pwrite_all(st->fd, st->s->data[i], st->s->size[i],
				       (off_t)st->h->sections[i].offset) < 0)
			return HOSTIAM_ERR_SYSTEM;
	return 0;
}

struct early_job {
	const struct hc_stream *st;
	int r, err;
};

/*
 * Start writing the pages of fd back to disk now: the fsync before the rename then waits
 * for what came last only. Advice: its failure is the fsync's to report.
 */
static void start_writeback(int fd)
{
#ifdef HAVE_SYNC_FILE_RANGE
	(void)sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE);
#else
	(void)fd;
#endif
}

static void *early_main(void *arg)
{
	struct early_job *j = arg;

	j->r = write_sections(j->st, j->st->early);
	j->err = errno;
	if (j->r == 0)
		start_writeback(j->st->fd);
	return NULL;
}

int hc_stream_write(const struct hc_stream *st)
{
	struct early_job j = { st, 0, 0 };
	pthread_t t;
	bool threaded;
	int r;

	hc_layout(st->s, st->h);
	/* The file's full size first: the padding between sections reads as zeros. */
	if (ftruncate(st->fd, (off_t)st->h->file_size) < 0)
		return HOSTIAM_ERR_SYSTEM;
	threaded = hostiam_thread_start(&t, early_main, &j);
	r = st->finish(st->ctx);
	if (r == 0)
		r = write_sections(st, ((1u << HC_N_SECTIONS) - 1) & ~st->early);
	if (r == 0)
		seal_header(st->s, st->h);
	hostiam_thread_join(&t, &threaded);
	if (r == 0 && j.r < 0) {
		errno = j.err;
		r = j.r;
	}
	if (r == 0 && hostiam_pwrite_all(st->fd, st->h, sizeof(*st->h), 0) < 0)
		r = HOSTIAM_ERR_SYSTEM;
	return r;
}
