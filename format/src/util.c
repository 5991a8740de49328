// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Small pieces every part of libkcap uses: hashing, messages, options. */
#include <stdio.h>
#include <stdlib.h>
#include <xxhash.h>
/*
 * On x86-64, libxxhash's dispatcher picks the widest vector unit the CPU
 * has (AVX2, AVX-512) at run time; the plain entry point is SSE2 only. The
 * hash is the same either way.
 */
#if defined(__x86_64__) && defined(__has_include)
#if __has_include(<xxh_x86dispatch.h>)
#include <xxh_x86dispatch.h>
#endif
#endif

#include "internal.h"

static kcap_log_fn log_fn;
static void *log_ctx;
/* Constructors return NULL: this is where their reason is kept. */
static __thread char last_msg[KCAP_ERRMSG_SIZE];

void kcap_set_log(kcap_log_fn fn, void *ctx)
{
	log_fn = fn;
	log_ctx = ctx;
}

void kcap_errmsg_set(char *buf, const char *fmt, ...)
{
	va_list ap;

	if (!buf)
		buf = last_msg;
	va_start(ap, fmt);
	vsnprintf(buf, KCAP_ERRMSG_SIZE, fmt, ap);
	va_end(ap);
	if (buf != last_msg)
		memcpy(last_msg, buf, KCAP_ERRMSG_SIZE);
	if (log_fn)
		log_fn(log_ctx, buf);
}

void kcap_errmsg_pass(const char *msg)
{
	snprintf(last_msg, KCAP_ERRMSG_SIZE, "%s", msg);
}

const char *kcap_last_errmsg(void)
{
	return last_msg;
}

void kcap_set_errmsg(const char *fmt, ...)
{
	char buf[KCAP_ERRMSG_SIZE];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	kcap_errmsg_set(NULL, "%s", buf);
}

uint64_t kcap_hash64(const void *p, size_t len)
{
	return XXH3_64bits(p, len);
}

uint32_t kcap_cksum32(const void *p, size_t len)
{
	return (uint32_t)XXH3_64bits(p, len);
}

bool kcap_opts_valid(const void *opts, size_t known_sz)
{
	const uint8_t *p = opts;
	size_t sz, i;

	if (!opts)
		return true;
	memcpy(&sz, opts, sizeof(sz));
	if (sz < sizeof(size_t))
		return false;
	/* A newer caller may pass a bigger struct, but only with zeros. */
	for (i = known_sz; i < sz; i++)
		if (p[i])
			return false;
	return true;
}

const char *kcap_codec_name(int codec)
{
	switch (codec) {
	case KCAP_CODEC_NONE:
		return "none";
	case KCAP_CODEC_LZ4:
		return "lz4";
	case KCAP_CODEC_ZSTD:
		return "zstd";
	case KCAP_CODEC_ZSTD_COLS:
		return "zstd-cols";
	}
	return NULL;
}

int kcap_codec_parse(const char *s, int *codec, int *level)
{
	const char *colon = strchr(s, ':');
	size_t n = colon ? (size_t)(colon - s) : strlen(s);
	char *end;
	long v = 0;

	if (n == 4 && !strncmp(s, "zstd", 4))
		*codec = KCAP_CODEC_ZSTD;
	else if (n == 9 && !strncmp(s, "zstd-cols", 9))
		*codec = KCAP_CODEC_ZSTD_COLS;
	else if (n == 3 && !strncmp(s, "lz4", 3))
		*codec = KCAP_CODEC_LZ4;
	else if (n == 4 && !strncmp(s, "none", 4))
		*codec = KCAP_CODEC_NONE;
	else
		return -EINVAL;
	if (!colon) {
		*level = 0;
		return 0;
	}
	if (*codec == KCAP_CODEC_NONE)
		return -EINVAL;
	errno = 0;
	v = strtol(colon + 1, &end, 10);
	if (errno || end == colon + 1 || *end)
		return -EINVAL;
	/* zstd accepts negative "fast" levels down to -131072, and up to 22 */
	if ((*codec == KCAP_CODEC_ZSTD || *codec == KCAP_CODEC_ZSTD_COLS) &&
	    (v < -100 || v > 22 || v == 0))
		return -ERANGE;
	if (*codec == KCAP_CODEC_LZ4 && (v < 1 || v > 65537))
		return -ERANGE;
	*level = (int)v;
	return 0;
}

const char *kcap_block_type_name(int type)
{
	static const char *const names[] = {
		[KCAP_BLOCK_SCHEMA] = "SCHEMA",
		[KCAP_BLOCK_MACHINE] = "MACHINE",
		[KCAP_BLOCK_SNAPSHOT] = "SNAPSHOT",
		[KCAP_BLOCK_EVENTS] = "EVENTS",
		[KCAP_BLOCK_LOSS] = "LOSS",
		[KCAP_BLOCK_INDEX] = "INDEX",
		[KCAP_BLOCK_FOOTER] = "FOOTER",
	};

	if (type > 0 && (size_t)type < ARRAY_SIZE(names))
		return names[type];
	return NULL;
}
