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
	/* zstd-cols: the layout, and the check that it decodes back */
	struct kcap_cols *cols;
	uint8_t *xbuf, *vbuf;
	size_t xcap, vcap;
};

struct kcap_dctx {
	ZSTD_DCtx *zd;
	struct kcap_cols *cols;
	uint8_t *xbuf;
	size_t xcap;
};

size_t kcap_codec_bound(int codec, size_t len)
{
	switch (codec) {
	case KCAP_CODEC_LZ4:
		return len > LZ4_MAX_INPUT_SIZE ?
			       0 :
			       (size_t)LZ4_compressBound((int)len);
	case KCAP_CODEC_ZSTD:
	case KCAP_CODEC_ZSTD_COLS:
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
	case KCAP_CODEC_ZSTD_COLS:
		c->cols = kcap_cols__new();
		if (!c->cols)
			goto oom;
		/* the other blocks, and the columns, are zstd */
		__attribute__((fallthrough));
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
	kcap_cols__free(c->cols);
	free(c->xbuf);
	free(c->vbuf);
	free(c);
}

long kcap_cctx__compress(struct kcap_cctx *c, void *dst, size_t cap,
			 const void *src, size_t len)
{
	size_t r;
	int n;

	switch (c->codec) {
	case KCAP_CODEC_ZSTD:
	case KCAP_CODEC_ZSTD_COLS:
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
	kcap_cols__free(d->cols);
	free(d->xbuf);
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

#define COLS_SMALL_BLOCK (16u << 10)

static int grow_buf(uint8_t **buf, size_t *cap, size_t need)
{
	uint8_t *b;

	if (need <= *cap)
		return 0;
	b = realloc(*buf, need);
	if (!b)
		return -ENOMEM;
	*buf = b;
	*cap = need;
	return 0;
}

long kcap_cctx__compress_cols(struct kcap_cctx *c, const struct kcap_schema *s,
			      void *dst, size_t cap, const void *src,
			      size_t len, uint32_t count)
{
	const char *why;
	size_t bound = kcap_cols__bound(len), start = 0, out = 0;
	const size_t *parts;
	unsigned int i;
	long x;

	if (c->codec != KCAP_CODEC_ZSTD_COLS)
		return -EINVAL;
	if (grow_buf(&c->xbuf, &c->xcap, bound) ||
	    grow_buf(&c->vbuf, &c->vcap, len ? len : 1))
		return -EAGAIN;
	x = kcap_cols__encode(c->cols, s, src, len, count, c->xbuf, bound);
	if (x < 0)
		return -EAGAIN;
	/*
	 * The layout is exact only for canonical records: decoding it back
	 * is the check, and costs less than the compression after it.
	 */
	parts = kcap_cols__parts(c->cols);
	if (kcap_cols__decode(c->cols, s, c->xbuf, (size_t)x, count, c->vbuf,
			      len, &why) ||
	    memcmp(c->vbuf, src, len))
		return -EAGAIN;
	for (i = 0; i < KCAP_COLS_PARTS; i++) {
		size_t end = i + 1 < KCAP_COLS_PARTS ? parts[i] : (size_t)x;
		long n;

		if (end == start)
			continue; /* an empty part needs no frame */
		n = kcap_cctx__compress(c, (uint8_t *)dst + out, cap - out,
					c->xbuf + start, end - start);
		if (n < 0)
			return -EAGAIN; /* plain zstd may still fit */
		out += (size_t)n;
		start = end;
	}
	/*
	 * In a small block (a timer's flush under little load) the frames'
	 * own bytes can outweigh what the columns save: keep plain zstd if
	 * it is smaller.
	 */
	if (len < COLS_SMALL_BLOCK && out > 1) {
		size_t room = out - 1 < c->vcap ? out - 1 : c->vcap;

		if (kcap_cctx__compress(c, c->vbuf, room, src, len) > 0)
			return -EAGAIN;
	}
	return (long)out;
}

int kcap_dctx__decompress_cols(struct kcap_dctx *d, const struct kcap_schema *s,
			       void *dst, size_t raw_len, const void *src,
			       size_t len, uint32_t count, const char **why)
{
	size_t bound = kcap_cols__bound(raw_len), r;

	if (!d->cols) {
		d->cols = kcap_cols__new();
		if (!d->cols)
			return -ENOMEM;
	}
	if (grow_buf(&d->xbuf, &d->xcap, bound))
		return -ENOMEM;
	/* the parts' frames, back to back, decode as one */
	r = ZSTD_decompressDCtx(d->zd, d->xbuf, bound, src, len);
	if (ZSTD_isError(r)) {
		*why = ZSTD_getErrorCode(r) == ZSTD_error_dstSize_tooSmall ?
			       "column layout is longer than its records can make" :
			       "zstd frame is corrupt";
		return -EBADMSG;
	}
	return kcap_cols__decode(d->cols, s, d->xbuf, r, count, dst, raw_len,
				 why);
}
