// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include "scapw.h"

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static void put(struct scapw *w, const void *p, size_t n)
{
	if (w->len + n > w->cap) {
		size_t c = w->cap ? w->cap * 2 : 4096;

		while (c < w->len + n)
			c *= 2;
		w->buf = realloc(w->buf, c);
		if (!w->buf)
			abort();
		w->cap = c;
	}
	memcpy(w->buf + w->len, p, n);
	w->len += n;
}

static void put8(struct scapw *w, uint8_t v)
{
	put(w, &v, 1);
}
static void put16(struct scapw *w, uint16_t v)
{
	put(w, &v, 2);
}
static void put32(struct scapw *w, uint32_t v)
{
	put(w, &v, 4);
}
static void put64(struct scapw *w, uint64_t v)
{
	put(w, &v, 8);
}
static void putstr(struct scapw *w, const char *s)
{
	uint16_t n = s ? (uint16_t)strlen(s) : 0;

	put16(w, n);
	put(w, s, n);
}
/* NUL-separated list given with '\n' between items, stored with NULs. */
static void putlist(struct scapw *w, const char *s)
{
	size_t n = s ? strlen(s) : 0, i;
	uint16_t len = (uint16_t)(n ? n + 1 : 0);

	put16(w, len);
	for (i = 0; i < n; i++)
		put8(w, s[i] == '\n' ? 0 : (uint8_t)s[i]);
	if (n)
		put8(w, 0);
}

struct sp sp_u8(uint8_t v)
{
	struct sp s = { NULL, 1, { v } };

	return s;
}
struct sp sp_u16(uint16_t v)
{
	struct sp s = { NULL, 2, { 0 } };

	memcpy(s.tmp, &v, 2);
	return s;
}
struct sp sp_u32(uint32_t v)
{
	struct sp s = { NULL, 4, { 0 } };

	memcpy(s.tmp, &v, 4);
	return s;
}
struct sp sp_u64(uint64_t v)
{
	struct sp s = { NULL, 8, { 0 } };

	memcpy(s.tmp, &v, 8);
	return s;
}
struct sp sp_str(const char *str)
{
	struct sp s = { str, str ? (uint32_t)strlen(str) + 1 : 0, { 0 } };

	return s;
}
struct sp sp_buf(const void *p, uint32_t len)
{
	struct sp s = { p, len, { 0 } };

	return s;
}
struct sp sp_empty(void)
{
	struct sp s = { NULL, 0, { 0 } };

	return s;
}

void scapw_init(struct scapw *w)
{
	memset(w, 0, sizeof(*w));
}

void scapw_free(struct scapw *w)
{
	free(w->buf);
	memset(w, 0, sizeof(*w));
}

static size_t block_start(struct scapw *w, uint32_t type)
{
	size_t at = w->len;

	put32(w, type);
	put32(w, 0); /* set by block_end */
	return at;
}

static void block_end(struct scapw *w, size_t at)
{
	uint32_t total;

	while ((w->len - at) % 4)
		put8(w, 0);
	total = (uint32_t)(w->len - at + 4);
	memcpy(w->buf + at + 4, &total, 4);
	put32(w, total);
}

void scapw_raw(struct scapw *w, uint32_t type, const void *body, size_t len)
{
	size_t at = block_start(w, type);

	put(w, body, len);
	block_end(w, at);
}

void scapw_shb(struct scapw *w, uint16_t major, uint16_t minor)
{
	size_t at = block_start(w, 0x0A0D0D0A);

	put32(w, 0x1A2B3C4D);
	put16(w, major);
	put16(w, minor);
	put64(w, UINT64_MAX);
	block_end(w, at);
}

void scapw_mi(struct scapw *w, uint32_t cpus, uint64_t mem,
	      const char *hostname, uint64_t boot_ts)
{
	size_t at = block_start(w, 0x201);
	char host[128] = { 0 };

	strncpy(host, hostname, sizeof(host) - 1);
	put32(w, cpus);
	put64(w, mem);
	put64(w, 32768);
	put(w, host, 128);
	put64(w, boot_ts);
	put64(w, 0);
	put64(w, 0);
	put64(w, 0);
	block_end(w, at);
}

void scapw_pl9(struct scapw *w, const struct sw_proc *p, int n)
{
	size_t at = block_start(w, 0x215);
	int i;

	for (i = 0; i < n; i++) {
		size_t e = w->len;
		uint32_t elen;

		put32(w, 0);
		put64(w, p[i].tid);
		put64(w, p[i].pid);
		put64(w, p[i].ptid);
		put64(w, p[i].pid); /* sid */
		put64(w, p[i].pid); /* vpgid */
		putstr(w, p[i].comm);
		putstr(w, p[i].exe);
		putstr(w, p[i].exepath);
		putlist(w, p[i].args);
		putstr(w, p[i].cwd);
		put64(w, 1024); /* fdlimit */
		put32(w, 0); /* flags */
		put32(w, p[i].uid);
		put32(w, p[i].gid);
		put32(w, 100);
		put32(w, 50);
		put32(w, 0);
		put64(w, 1);
		put64(w, 2);
		putlist(w, NULL); /* env */
		put64(w, p[i].tid); /* vtid */
		put64(w, p[i].pid); /* vpid */
		putlist(w, p[i].cgroups);
		putstr(w, p[i].root);
		/* the whole optional tail, as the current writer does */
		put64(w, 0);
		put32(w, 0);
		put32(w, p[i].uid);
		put8(w, 0);
		put64(w, 0);
		put64(w, 0);
		put64(w, 0);
		put8(w, 0);
		put64(w, 0);
		put64(w, 0);
		put64(w, 0);
		put8(w, 0);
		put8(w, 0);
		put64(w, p[i].pid); /* pgid */
		elen = (uint32_t)(w->len - e);
		memcpy(w->buf + e, &elen, 4);
	}
	block_end(w, at);
}

void scapw_fdl2(struct scapw *w, uint64_t tid, const struct sw_fd *f, int n)
{
	size_t at = block_start(w, 0x218);
	int i;

	put64(w, tid);
	for (i = 0; i < n; i++) {
		size_t e = w->len;
		uint32_t elen;

		put32(w, 0);
		put64(w, (uint64_t)f[i].fd);
		put64(w, f[i].ino);
		put8(w, f[i].type);
		if (f[i].type == 3) {
			put(w, f[i].sip, 4);
			put(w, f[i].dip, 4);
			put16(w, f[i].sport);
			put16(w, f[i].dport);
			put8(w, 2);
		} else {
			put32(w, f[i].flags);
			putstr(w, f[i].name);
			put32(w, 0x801); /* dev */
		}
		elen = (uint32_t)(w->len - e);
		memcpy(w->buf + e, &elen, 4);
	}
	block_end(w, at);
}

void scapw_ev(struct scapw *w, int kind, uint16_t cpu, uint32_t flags,
	      uint64_t ts, uint64_t tid, uint16_t type, int n,
	      const struct sp *params)
{
	size_t at = block_start(w, (uint32_t)kind);
	bool v1 = kind == SW_EV_V1;
	/* u32 lengths for the legacy LARGE_PAYLOAD events only */
	bool large = type == 322 || type == 324 || type == 402;
	uint32_t len = v1 ? 22 : 26, i;

	for (i = 0; i < (uint32_t)n; i++)
		len += (large ? 4 : 2) + params[i].len;
	put16(w, cpu);
	if (kind == SW_EVF_V2)
		put32(w, flags);
	put64(w, ts);
	put64(w, tid);
	put32(w, len);
	put16(w, type);
	if (!v1)
		put32(w, (uint32_t)n);
	for (i = 0; i < (uint32_t)n; i++) {
		if (large)
			put32(w, params[i].len);
		else
			put16(w, (uint16_t)params[i].len);
	}
	for (i = 0; i < (uint32_t)n; i++)
		put(w, params[i].p ? params[i].p : params[i].tmp,
		    params[i].len);
	block_end(w, at);
}

uint8_t *scapw_gzip(const struct scapw *w, size_t *out_len)
{
	z_stream zs;
	uint8_t *out;
	size_t cap = w->len + w->len / 100 + 1024;

	memset(&zs, 0, sizeof(zs));
	out = malloc(cap);
	if (!out || deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8,
				 Z_DEFAULT_STRATEGY) != Z_OK)
		abort();
	zs.next_in = w->buf;
	zs.avail_in = (uInt)w->len;
	zs.next_out = out;
	zs.avail_out = (uInt)cap;
	if (deflate(&zs, Z_FINISH) != Z_STREAM_END)
		abort();
	*out_len = zs.total_out;
	deflateEnd(&zs);
	return out;
}
