/* Small file helpers shared by every writer in common/ (libc only). */
#ifndef HOSTIAM_FILE_IO_H
#define HOSTIAM_FILE_IO_H

#include <stddef.h>

/* Write all len bytes of buf to fd, retrying short writes and EINTR: 0 or -1 with errno. */
int hostiam_write_all(int fd, const void *buf, size_t len);

#endif
