#include "gz.h"
#include "util.h"

#include <string.h>
#include <zlib.h>

int gz_is_gzip(const void *data, size_t len)
{
	const unsigned char *p = data;

	return len >= 2 && p[0] == 0x1f && p[1] == 0x8b;
}

int gz_decompress(const void *data, size_t len, uint64_t cap, struct buf *out)
{
	z_stream zs;
	size_t start = out->len;
	int rc, ret = 0;

	memset(&zs, 0, sizeof(zs));
	if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK)
		return GZ_ERR_DATA;
	zs.next_in = (Bytef *)data;
	zs.avail_in = (uInt)len;
	for (;;) {
		buf_grow(out, 65536);
		zs.next_out = (Bytef *)out->buf + out->len;
		zs.avail_out = (uInt)(out->alloc - out->len - 1);
		rc = inflate(&zs, Z_NO_FLUSH);
		out->len = out->alloc - 1 - zs.avail_out;
		out->buf[out->len] = '\0';
		if (cap && out->len - start > cap) {
			ret = GZ_ERR_TOO_BIG;
			break;
		}
		if (rc == Z_STREAM_END) {
			/* concatenated members are one file in gzip */
			if (zs.avail_in && gz_is_gzip(zs.next_in, zs.avail_in)) {
				inflateReset(&zs);
				continue;
			}
			break;
		}
		if (rc == Z_BUF_ERROR && !zs.avail_in) {
			ret = GZ_ERR_TRUNCATED;
			break;
		}
		if (rc != Z_OK && rc != Z_BUF_ERROR) {
			ret = GZ_ERR_DATA;
			break;
		}
	}
	inflateEnd(&zs);
	if (ret)
		buf_setlen(out, start);
	return ret;
}

int gz_compress(const void *data, size_t len, struct buf *out)
{
	z_stream zs;
	int rc;

	memset(&zs, 0, sizeof(zs));
	if (deflateInit2(&zs, 6, Z_DEFLATED, 16 + MAX_WBITS, 8,
			 Z_DEFAULT_STRATEGY) != Z_OK)
		return GZ_ERR_DATA;
	zs.next_in = (Bytef *)data;
	zs.avail_in = (uInt)len;
	do {
		buf_grow(out, deflateBound(&zs, (uLong)len) + 64);
		zs.next_out = (Bytef *)out->buf + out->len;
		zs.avail_out = (uInt)(out->alloc - out->len - 1);
		rc = deflate(&zs, Z_FINISH);
		out->len = out->alloc - 1 - zs.avail_out;
		out->buf[out->len] = '\0';
	} while (rc == Z_OK);
	deflateEnd(&zs);
	return rc == Z_STREAM_END ? 0 : GZ_ERR_DATA;
}
