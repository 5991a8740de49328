// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Block codecs: lz4 (block format) and zstd (one frame per block), each
 * block decodable on its own. Contexts are kept so that a writer or reader
 * allocates once, not per block.
 */
#include <limits.h>
#include <lz4.h>
#include <stdlib.h>
#include <zstd.h>
#include <zstd_errors.h>

#include "internal.h"

struct kcap_cctx {
	int codec;
	int level;
	ZSTD_CCtx *zc;
	void *lz4_state;
};

struct kcap_dctx {
	ZSTD_DCtx *zd;
};

size_t kcap_codec_bound(int codec, size_t len)
{
	switch (codec) {
	case KCAP_CODEC_LZ4:
		return len > LZ4_MAX_INPUT_SIZE ?
			       0 :
			       (size_t)LZ4_compressBound((int)len);
	case KCAP_CODEC_ZSTD:
		return ZSTD_compressBound(len);
	default:
		return len;
	}
}

struct kcap_cctx *kcap_cctx__new(int codec, int level)
{
	struct kcap_cctx *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->codec = codec;
	c->level = level;
	switch (codec) {
	case KCAP_CODEC_ZSTD:
		c->zc = ZSTD_createCCtx();
		if (!c->zc)
			goto oom;
		if (ZSTD_isError(ZSTD_CCtx_setParameter(
			    c->zc, ZSTD_c_compressionLevel, level)) ||
		    /* the block header carries the checksum and sizes */
		    ZSTD_isError(ZSTD_CCtx_setParameter(
			    c->zc, ZSTD_c_checksumFlag, 0)) ||
		    ZSTD_isError(ZSTD_CCtx_setParameter(
			    c->zc, ZSTD_c_contentSizeFlag, 1))) {
			kcap_cctx__free(c);
			errno = EINVAL;
			return NULL;
		}
		break;
	case KCAP_CODEC_LZ4:
		c->lz4_state = malloc((size_t)LZ4_sizeofState());
		if (!c->lz4_state)
			goto oom;
		break;
	case KCAP_CODEC_NONE:
		break;
	default:
		free(c);
		errno = EINVAL;
		return NULL;
	}
	return c;
oom:
	kcap_cctx__free(c);
	errno = ENOMEM;
	return NULL;
}

void kcap_cctx__free(struct kcap_cctx *c)
{
	if (!c)
		return;
	ZSTD_freeCCtx(c->zc);
	free(c->lz4_state);
	free(c);
}

long kcap_cctx__compress(struct kcap_cctx *c, void *dst, size_t cap,
			 const void *src, size_t len)
{
	size_t r;
	int n;

	switch (c->codec) {
	case KCAP_CODEC_ZSTD:
		r = ZSTD_compress2(c->zc, dst, cap, src, len);
		if (ZSTD_isError(r))
			return ZSTD_getErrorCode(r) ==
					       ZSTD_error_dstSize_tooSmall ?
				       -ENOSPC :
				       -EIO;
		return (long)r;
	case KCAP_CODEC_LZ4:
		if (len > LZ4_MAX_INPUT_SIZE || cap > INT_MAX)
			return -E2BIG;
		n = LZ4_compress_fast_extState(c->lz4_state, src, dst, (int)len,
					       (int)cap, c->level);
		return n > 0 ? n : -ENOSPC;
	default:
		if (len > cap)
			return -ENOSPC;
		memcpy(dst, src, len);
		return (long)len;
	}
}

struct kcap_dctx *kcap_dctx__new(void)
{
	struct kcap_dctx *d = calloc(1, sizeof(*d));

	if (!d)
		return NULL;
	d->zd = ZSTD_createDCtx();
	if (!d->zd) {
		free(d);
		errno = ENOMEM;
		return NULL;
	}
	return d;
}

void kcap_dctx__free(struct kcap_dctx *d)
{
	if (!d)
		return;
	ZSTD_freeDCtx(d->zd);
	free(d);
}

long kcap_dctx__decompress(struct kcap_dctx *d, int codec, void *dst,
			   size_t cap, const void *src, size_t len)
{
	size_t r;
	int n;

	switch (codec) {
	case KCAP_CODEC_ZSTD:
		r = ZSTD_decompressDCtx(d->zd, dst, cap, src, len);
		return ZSTD_isError(r) ? -EBADMSG : (long)r;
	case KCAP_CODEC_LZ4:
		if (len > INT_MAX || cap > INT_MAX)
			return -EBADMSG;
		n = LZ4_decompress_safe(src, dst, (int)len, (int)cap);
		return n >= 0 ? n : -EBADMSG;
	case KCAP_CODEC_NONE:
		if (len > cap)
			return -EBADMSG;
		memcpy(dst, src, len);
		return (long)len;
	}
	return -EPROTONOSUPPORT;
}
