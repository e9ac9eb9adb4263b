/*
 * gz: gzip in memory with zlib, with a cap on what decompression may
 * produce (a gzip bomb from the network stops there).
 */
#ifndef PWB_GZ_H
#define PWB_GZ_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

enum {
	GZ_ERR_DATA = -1,	/* not gzip, or corrupt */
	GZ_ERR_TRUNCATED = -2,	/* ended before the end of the stream */
	GZ_ERR_TOO_BIG = -3,	/* would exceed the cap */
};

int gz_is_gzip(const void *data, size_t len);
/* Append the decompressed bytes to out; cap 0 = unlimited. */
int gz_decompress(const void *data, size_t len, uint64_t cap, struct buf *out);
/* Append a gzip stream of data to out. */
int gz_compress(const void *data, size_t len, struct buf *out);

#endif
