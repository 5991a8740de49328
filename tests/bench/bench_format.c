// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bench_format: how fast libkcap writes and reads .kcap files, against the
 * limit set by the codec alone. See docs/PERFORMANCE.md.
 *
 * 1. N events of synth_mix() (tests/synth.h: the documented realistic mix)
 *    are generated into one memory buffer first; generation is not timed.
 * 2. For each codec (none, lz4, zstd:1, zstd:3 by default):
 *    - write: kcap_writer__open + append every event + close, to a file in
 *      a fresh temporary directory (no fdatasync: sync is off);
 *    - read: kcap_reader__open + kcap_reader__next_record over every record
 *      (the reader checks every checksum and validates each record as it
 *      hands it out) + close; each record's header is
 *      summed and the sum and count are checked against what was written.
 *      The file comes from the page cache (it was just written), which is
 *      the usual case for reading a fresh capture; nothing is dropped.
 *    - codec alone: the same EVENTS block payloads the writer made (the
 *      events cut into blocks of whole records up to the block size,
 *      exactly as kcap_writer__append() seals them) are compressed with
 *      the same codec and level through a reused context, and decompressed
 *      into a reused buffer, with no kcap work around them: that is the
 *      limit kcap is measured against.
 * 3. The four phases of a codec run in turn, -r times (3), so that kcap and
 *    the codec alone see the same conditions on a shared machine; the best
 *    time of each phase is kept. The process is pinned to one CPU (-c, 0 by
 *    default; -1 does not pin): the figures are for one core.
 *
 * The exit status is 0 whether or not the targets are met (the figures are
 * too noisy on shared machines to gate on); --json says "pass".
 *
 * Targets (lz4 and zstd:1): kcap write >= 0.7 x codec-alone compression,
 * kcap read >= 0.7 x codec-alone decompression, both in events/s.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <lz4.h>
#include <zstd.h>

#include "internal.h"
#include "synth.h"

#define TARGET_RATIO 0.7
#define MAX_CODECS 8

struct spec {
	char name[16]; /* as given: "lz4", "zstd:1" */
	int codec;
	int level; /* effective: zstd level or lz4 acceleration */
	bool target; /* lz4 and zstd:1 carry the 0.7 targets */
};

struct result {
	struct spec sp;
	double write_s, read_s; /* best kcap times */
	double comp_s, decomp_s; /* best codec-alone times */
	uint64_t file_bytes; /* whole file */
	uint64_t stored_bytes; /* payload bytes as stored, all blocks */
	uint64_t blocks;
	uint64_t codec_bytes; /* codec alone: compressed EVENTS payloads */
};

/* One EVENTS block payload as the writer seals it. */
struct slice {
	size_t off, len;
	uint32_t count;
};

static struct {
	uint64_t n;
	const char *dir;
	int cpu;
	uint32_t block_size;
	int reps;
	bool json;
	uint64_t seed;
	const char *codecs;
} opt = {
	.n = 3000000,
	.dir = "/tmp",
	.cpu = 0,
	.block_size = 1u << 20,
	.reps = 3,
	.seed = 1,
	.codecs = "none,lz4,zstd:1,zstd:3",
};

/* the pre-generated events */
static uint8_t *recs;
static size_t recs_len;
static uint64_t recs_sum; /* sum of type + len + ts over all records */
static uint64_t type_count[KCAP_EV_LIMIT];
static struct slice *slices;
static size_t nslices;

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void die(const char *fmt, ...)
	__attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("bench_format: ", stderr);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static uint64_t rec_sum(const struct kcap_hdr *h)
{
	return (uint64_t)h->type + h->len + h->ts;
}

static void generate(void)
{
	size_t cap = (size_t)opt.n * 112 + KCAP_REC_MAX;
	struct synth s;
	uint64_t i;

	recs = malloc(cap);
	if (!recs)
		die("out of memory for %" PRIu64 " events", opt.n);
	synth_init(&s, opt.seed, 1795000000000000000ull);
	for (i = 0; i < opt.n; i++) {
		const struct kcap_hdr *h;
		int len;

		if (cap - recs_len < KCAP_REC_MAX) {
			uint8_t *p;

			cap = cap + cap / 2;
			p = realloc(recs, cap); /* malloc alignment: 16 */
			if (!p)
				die("out of memory for %" PRIu64 " events",
				    opt.n);
			recs = p;
		}
		len = synth_mix(&s, recs + recs_len);
		if (len <= 0)
			die("synth_mix failed: %d", len);
		h = (const void *)(recs + recs_len);
		recs_sum += rec_sum(h);
		type_count[h->type]++;
		recs_len += (size_t)len;
	}
}

/* Cut the records into blocks exactly as kcap_writer__append() does. */
static void slice_blocks(void)
{
	size_t cap = recs_len / opt.block_size + 16, off = 0;
	struct slice cur = { 0 };

	slices = calloc(cap, sizeof(*slices));
	if (!slices)
		die("out of memory");
	while (off < recs_len) {
		size_t len = kcap_le16(recs + off + 2);

		if (cur.len + len > opt.block_size) {
			if (nslices == cap)
				die("too many blocks");
			slices[nslices++] = cur;
			cur = (struct slice){ .off = off };
		}
		cur.len += len;
		cur.count++;
		off += len;
	}
	if (cur.count) {
		if (nslices == cap)
			die("too many blocks");
		slices[nslices++] = cur;
	}
}

/* ---- kcap ---------------------------------------------------------------- */

static double kcap_write(const char *path, const struct spec *sp,
			 struct kcap_writer_stats *st)
{
	KCAP_OPTS(kcap_writer_opts, wo, .codec = sp->codec, .level = sp->level,
		  .block_size = opt.block_size);
	struct kcap_writer *w;
	size_t off;
	double t0, t1;
	int err;

	unlink(path); /* outside the timing: freeing the old pages */
	t0 = now_s();
	w = kcap_writer__open(path, &wo);
	if (!w)
		die("cannot open %s: %s", path, kcap_last_errmsg());
	for (off = 0; off < recs_len;) {
		const struct kcap_hdr *h = (const void *)(recs + off);

		err = kcap_writer__append(w, h);
		if (err)
			die("append failed at %zu: %s", off,
			    kcap_writer__errmsg(w));
		off += h->len;
	}
	kcap_writer__stats(w, st);
	err = kcap_writer__close(w);
	t1 = now_s();
	if (err)
		die("close failed: %s", strerror(-err));
	return t1 - t0;
}

static double kcap_read(const char *path)
{
	const struct kcap_hdr *h;
	struct kcap_read_status st;
	struct kcap_reader *r;
	uint64_t n = 0, sum = 0;
	double t0, t1;
	int rc;

	t0 = now_s();
	r = kcap_reader__open(path, NULL);
	if (!r)
		die("cannot read %s: %s", path, kcap_last_errmsg());
	while ((rc = kcap_reader__next_record(r, &h)) == 1) {
		sum += rec_sum(h);
		n++;
	}
	t1 = now_s();
	if (rc < 0)
		die("read error: %s", kcap_reader__errmsg(r));
	kcap_reader__status(r, &st);
	if (st.end != KCAP_END_COMPLETE || st.corrupt_blocks ||
	    st.missing_blocks)
		die("%s did not read whole: end %d, %u corrupt, %u missing",
		    path, st.end, st.corrupt_blocks, st.missing_blocks);
	kcap_reader__close(r);
	if (n != opt.n || sum != recs_sum)
		die("read %" PRIu64 " records (sum %" PRIx64 "), wrote %" PRIu64
		    " (sum %" PRIx64 ")",
		    n, sum, opt.n, recs_sum);
	return t1 - t0;
}

/* ---- the codec alone ----------------------------------------------------- */

struct codec_alone {
	const struct spec *sp;
	ZSTD_CCtx *zc;
	ZSTD_DCtx *zd;
	void *lz4_state;
	/* zstd-cols: the whole codec, layout and zstd, is the limit */
	struct kcap_cctx *kc;
	struct kcap_dctx *kd;
	bool *plain; /* per slice: stored as plain zstd, as the writer would */
	uint8_t *dst; /* reused: one block's compressed or raw bytes */
	size_t dst_cap;
	uint8_t *packed; /* every block, compressed, back to back */
	size_t *clen;
	uint64_t total;
};

static size_t ca_compress(struct codec_alone *c, void *dst, size_t cap,
			  const struct slice *sl)
{
	const uint8_t *src = recs + sl->off;
	size_t r;
	int n;

	long k;

	switch (c->sp->codec) {
	case KCAP_CODEC_ZSTD_COLS:
		k = kcap_cctx__compress_cols(c->kc, kcap_schema__builtin(), dst,
					     cap, src, sl->len, sl->count);
		if (k == -EAGAIN) {
			/* as the writer: a small block may be plain zstd */
			c->plain[sl - slices] = true;
			goto zstd;
		}
		if (k < 0)
			die("kcap_cctx__compress_cols: %s", strerror((int)-k));
		return (size_t)k;
	case KCAP_CODEC_ZSTD:
zstd:
		r = ZSTD_compressCCtx(c->zc, dst, cap, src, sl->len,
				      c->sp->level);
		if (ZSTD_isError(r))
			die("ZSTD_compressCCtx: %s", ZSTD_getErrorName(r));
		return r;
	case KCAP_CODEC_LZ4:
		n = LZ4_compress_fast_extState(c->lz4_state, (const char *)src,
					       dst, (int)sl->len, (int)cap,
					       c->sp->level);
		if (n <= 0)
			die("LZ4_compress_fast_extState failed");
		return (size_t)n;
	default:
		memcpy(dst, src, sl->len);
		return sl->len;
	}
}

static void ca_decompress(struct codec_alone *c, const uint8_t *src, size_t len,
			  const struct slice *sl)
{
	const char *why;
	size_t r;
	int n;

	switch (c->sp->codec) {
	case KCAP_CODEC_ZSTD_COLS:
		if (c->plain[sl - slices])
			goto zstd;
		if (kcap_dctx__decompress_cols(c->kd, kcap_schema__builtin(),
					       c->dst, sl->len, src, len,
					       sl->count, &why))
			die("kcap_dctx__decompress_cols: %s", why);
		break;
	case KCAP_CODEC_ZSTD:
zstd:
		r = ZSTD_decompressDCtx(c->zd, c->dst, c->dst_cap, src, len);
		if (r != sl->len)
			die("ZSTD_decompressDCtx: %s",
			    ZSTD_isError(r) ? ZSTD_getErrorName(r) : "size");
		break;
	case KCAP_CODEC_LZ4:
		n = LZ4_decompress_safe((const char *)src, (char *)c->dst,
					(int)len, (int)c->dst_cap);
		if (n < 0 || (size_t)n != sl->len)
			die("LZ4_decompress_safe failed");
		break;
	default:
		memcpy(c->dst, src, len);
	}
}

static void ca_setup(struct codec_alone *c, const struct spec *sp,
		     struct result *res)
{
	size_t i, at;

	memset(c, 0, sizeof(*c));
	c->sp = sp;
	c->dst_cap = ZSTD_compressBound(opt.block_size);
	if ((size_t)LZ4_compressBound((int)opt.block_size) > c->dst_cap)
		c->dst_cap = (size_t)LZ4_compressBound((int)opt.block_size);
	c->dst = malloc(c->dst_cap);
	c->packed = malloc(nslices * c->dst_cap);
	c->clen = calloc(nslices, sizeof(*c->clen));
	c->zc = ZSTD_createCCtx();
	c->zd = ZSTD_createDCtx();
	c->lz4_state = malloc((size_t)LZ4_sizeofState());
	c->kc = kcap_cctx__new(KCAP_CODEC_ZSTD_COLS, sp->level);
	c->kd = kcap_dctx__new();
	c->plain = calloc(nslices ? nslices : 1, sizeof(*c->plain));
	if (!c->dst || !c->packed || !c->clen || !c->zc || !c->zd ||
	    !c->lz4_state || !c->kc || !c->kd || !c->plain)
		die("out of memory");
	/* untimed: the compressed blocks the decompression runs on */
	for (i = 0, at = 0; i < nslices; i++) {
		c->clen[i] =
			ca_compress(c, c->packed + at, c->dst_cap, &slices[i]);
		at += c->clen[i];
	}
	res->codec_bytes = at;
}

static double ca_time_compress(struct codec_alone *c, const struct result *res)
{
	double t0 = now_s(), t;
	size_t i, sum = 0;

	for (i = 0; i < nslices; i++)
		sum += ca_compress(c, c->dst, c->dst_cap, &slices[i]);
	t = now_s() - t0;
	if (sum != res->codec_bytes)
		die("compression is not deterministic");
	return t;
}

static double ca_time_decompress(struct codec_alone *c)
{
	double t0 = now_s();
	size_t i, at;

	for (i = 0, at = 0; i < nslices; i++) {
		ca_decompress(c, c->packed + at, c->clen[i], &slices[i]);
		at += c->clen[i];
	}
	return now_s() - t0;
}

static void ca_free(struct codec_alone *c)
{
	ZSTD_freeCCtx(c->zc);
	ZSTD_freeDCtx(c->zd);
	kcap_cctx__free(c->kc);
	kcap_dctx__free(c->kd);
	free(c->plain);
	free(c->lz4_state);
	free(c->dst);
	free(c->packed);
	free(c->clen);
}

/* ---- driver -------------------------------------------------------------- */

static double min_d(double a, double b)
{
	return a < b ? a : b;
}

/*
 * The four phases run in turn, rep after rep, so that kcap and the codec
 * alone see the same conditions on a shared machine; each keeps its best.
 */
static void run(const struct spec *sp, const char *dir, struct result *res)
{
	struct kcap_writer_stats st;
	struct codec_alone c;
	char path[PATH_MAX + 32];
	struct stat sb;
	int rep;

	if (snprintf(path, sizeof(path), "%s/%s.kcap", dir, sp->name) >=
	    (int)sizeof(path))
		die("path too long");
	for (char *p = strrchr(path, '/'); *p; p++)
		if (*p == ':')
			*p = '-';
	res->sp = *sp;
	res->write_s = res->read_s = res->comp_s = res->decomp_s = 1e30;
	ca_setup(&c, sp, res);
	for (rep = 0; rep < opt.reps; rep++) {
		res->write_s = min_d(res->write_s, kcap_write(path, sp, &st));
		if (st.events != opt.n)
			die("writer counted %" PRIu64 " events", st.events);
		res->read_s = min_d(res->read_s, kcap_read(path));
		res->comp_s = min_d(res->comp_s, ca_time_compress(&c, res));
		res->decomp_s = min_d(res->decomp_s, ca_time_decompress(&c));
	}
	if (stat(path, &sb))
		die("stat %s: %s", path, strerror(errno));
	res->file_bytes = (uint64_t)sb.st_size;
	res->stored_bytes = st.stored_bytes;
	res->blocks = st.blocks;
	unlink(path);
	ca_free(&c);
}

static int parse_codecs(struct spec *sp)
{
	char buf[256], *save = NULL, *tok;
	int n = 0;

	snprintf(buf, sizeof(buf), "%s", opt.codecs);
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (n == MAX_CODECS)
			die("too many codecs");
		if (kcap_codec_parse(tok, &sp[n].codec, &sp[n].level))
			die("bad codec %s (none, lz4[:ACCEL], zstd[:LEVEL])",
			    tok);
		if (!sp[n].level && sp[n].codec != KCAP_CODEC_NONE)
			sp[n].level = 1; /* the writer's default */
		if (sp[n].codec == KCAP_CODEC_NONE ||
		    (sp[n].codec == KCAP_CODEC_LZ4 && sp[n].level == 1))
			snprintf(sp[n].name, sizeof(sp[n].name), "%s",
				 kcap_codec_name(sp[n].codec));
		else
			snprintf(sp[n].name, sizeof(sp[n].name), "%s:%d",
				 kcap_codec_name(sp[n].codec), sp[n].level);
		sp[n].target = sp[n].level == 1 &&
			       sp[n].codec != KCAP_CODEC_NONE;
		n++;
	}
	return n;
}

static double ev_s(double t)
{
	return (double)opt.n / t;
}

/* the event types generated, most frequent first */
static void print_mix(FILE *f, bool json)
{
	const struct kcap_schema *s = kcap_schema__builtin();
	bool first = true, done[KCAP_EV_LIMIT] = { false };

	for (;;) {
		const struct kcap_event_desc *d;
		unsigned int id, best = 0;

		for (id = 0; id < KCAP_EV_LIMIT; id++)
			if (!done[id] && type_count[id] > type_count[best])
				best = id;
		if (done[best] || !type_count[best])
			break;
		done[best] = true;
		id = best;
		d = kcap_schema__event(s, id);
		if (json)
			fprintf(f, "%s\"%s\": %" PRIu64, first ? "" : ", ",
				d ? d->name : "?", type_count[id]);
		else
			fprintf(f, " %s %.1f%%", d ? d->name : "?",
				100.0 * (double)type_count[id] / (double)opt.n);
		first = false;
	}
}

static void print_table(const struct result *res, int n)
{
	double raw = (double)recs_len;
	int i;

	printf("bench_format: %" PRIu64 " events of synth_mix (seed %" PRIu64
	       "), %.1f bytes/event raw, %.1f MB; block %u bytes, %zu EVENTS blocks; best of %d; cpu %d\n",
	       opt.n, opt.seed, raw / (double)opt.n, raw / 1e6, opt.block_size,
	       nslices, opt.reps, opt.cpu);
	printf("mix:");
	print_mix(stdout, false);
	printf("\n\n");
	printf("kcap (writer: open+append+close, no sync; reader: open+next_record+validate, page cache)\n");
	printf("%-11s %11s %9s %11s %9s %9s %7s\n", "codec", "write ev/s",
	       "write MB/s", "read ev/s", "read MB/s", "B/event", "ratio");
	for (i = 0; i < n; i++) {
		const struct result *r = &res[i];

		printf("%-11s %10.2fM %9.0f %10.2fM %9.0f %9.2f %7.2f\n",
		       r->sp.name, ev_s(r->write_s) / 1e6,
		       raw / r->write_s / 1e6, ev_s(r->read_s) / 1e6,
		       raw / r->read_s / 1e6,
		       (double)r->file_bytes / (double)opt.n,
		       raw / (double)r->stored_bytes);
	}
	printf("\ncodec alone (same block payloads, reused context and buffer; none = memcpy)\n");
	printf("%-11s %10s %11s %10s %11s %8s %8s  %s\n", "codec", "comp GB/s",
	       "comp ev/s", "dec GB/s", "dec ev/s", "write/c", "read/d",
	       "targets (>= 0.70)");
	for (i = 0; i < n; i++) {
		const struct result *r = &res[i];
		double wr = r->comp_s / r->write_s,
		       rr = r->decomp_s / r->read_s;

		printf("%-11s %10.2f %10.2fM %10.2f %10.2fM %8.2f %8.2f  ",
		       r->sp.name, raw / r->comp_s / 1e9, ev_s(r->comp_s) / 1e6,
		       raw / r->decomp_s / 1e9, ev_s(r->decomp_s) / 1e6, wr,
		       rr);
		if (r->sp.target)
			printf("write %s, read %s\n",
			       wr >= TARGET_RATIO ? "PASS" : "FAIL",
			       rr >= TARGET_RATIO ? "PASS" : "FAIL");
		else
			printf("(reference)\n");
	}
}

static void print_json(const struct result *res, int n)
{
	double raw = (double)recs_len;
	bool pass = true;
	int i;

	printf("{\"events\": %" PRIu64 ", \"seed\": %" PRIu64
	       ", \"raw_bytes\": %zu, \"block_size\": %u, \"blocks\": %zu, \"reps\": %d, \"cpu\": %d, \"target_ratio\": %.2f,\n",
	       opt.n, opt.seed, recs_len, opt.block_size, nslices, opt.reps,
	       opt.cpu, TARGET_RATIO);
	printf(" \"mix\": {");
	print_mix(stdout, true);
	printf("},\n \"codecs\": [");
	for (i = 0; i < n; i++) {
		const struct result *r = &res[i];
		double wr = r->comp_s / r->write_s,
		       rr = r->decomp_s / r->read_s;

		printf("%s\n  {\"codec\": \"%s\", \"level\": %d, \"target\": %s, "
		       "\"write_s\": %.6f, \"write_events_per_s\": %.0f, \"write_raw_MBps\": %.1f, "
		       "\"read_s\": %.6f, \"read_events_per_s\": %.0f, \"read_raw_MBps\": %.1f, "
		       "\"file_bytes\": %" PRIu64
		       ", \"bytes_per_event\": %.3f, \"ratio\": %.3f, "
		       "\"codec_compress_s\": %.6f, \"codec_compress_GBps\": %.3f, \"codec_compress_events_per_s\": %.0f, "
		       "\"codec_decompress_s\": %.6f, \"codec_decompress_GBps\": %.3f, \"codec_decompress_events_per_s\": %.0f, "
		       "\"codec_ratio\": %.3f, \"write_vs_codec\": %.3f, \"read_vs_codec\": %.3f",
		       i ? "," : "", r->sp.name, r->sp.level,
		       r->sp.target ? "true" : "false", r->write_s,
		       ev_s(r->write_s), raw / r->write_s / 1e6, r->read_s,
		       ev_s(r->read_s), raw / r->read_s / 1e6, r->file_bytes,
		       (double)r->file_bytes / (double)opt.n,
		       raw / (double)r->stored_bytes, r->comp_s,
		       raw / r->comp_s / 1e9, ev_s(r->comp_s), r->decomp_s,
		       raw / r->decomp_s / 1e9, ev_s(r->decomp_s),
		       raw / (double)r->codec_bytes, wr, rr);
		if (r->sp.target) {
			printf(", \"write_pass\": %s, \"read_pass\": %s",
			       wr >= TARGET_RATIO ? "true" : "false",
			       rr >= TARGET_RATIO ? "true" : "false");
			pass = pass && wr >= TARGET_RATIO && rr >= TARGET_RATIO;
		}
		printf("}");
	}
	printf("\n ],\n \"pass\": %s}\n", pass ? "true" : "false");
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: bench_format [-n EVENTS] [-d DIR] [-c CPU] [-b BLOCK] [-r REPS]\n"
		"                    [-s SEED] [-C CODECS] [--json]\n"
		"  -n EVENTS  events to write and read (3000000)\n"
		"  -d DIR     where the temporary files go (/tmp)\n"
		"  -c CPU     pin to this CPU; -1: do not pin (0)\n"
		"  -b BLOCK   EVENTS block size in bytes (1048576, the writer's default)\n"
		"  -r REPS    runs of each phase; the best is kept (3)\n"
		"  -s SEED    synth_mix seed (1)\n"
		"  -C CODECS  comma-separated list (none,lz4,zstd:1,zstd:3)\n"
		"  --json     one JSON object instead of the tables\n");
}

int main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct result res[MAX_CODECS];
	struct spec sp[MAX_CODECS];
	char dir[PATH_MAX];
	int c, n, i;

	while ((c = getopt_long(argc, argv, "n:d:c:b:r:s:C:h", lopts, NULL)) !=
	       -1) {
		switch (c) {
		case 'n':
			opt.n = strtoull(optarg, NULL, 0);
			break;
		case 'd':
			opt.dir = optarg;
			break;
		case 'c':
			opt.cpu = atoi(optarg);
			break;
		case 'b':
			opt.block_size = (uint32_t)strtoul(optarg, NULL, 0);
			break;
		case 'r':
			opt.reps = atoi(optarg);
			break;
		case 's':
			opt.seed = strtoull(optarg, NULL, 0);
			break;
		case 'C':
			opt.codecs = optarg;
			break;
		case 'j':
			opt.json = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc || !opt.n || opt.reps < 1 ||
	    opt.block_size < KCAP_REC_MAX || opt.block_size > KCAP_BLOCK_MAX) {
		usage(stderr);
		return 2;
	}
	n = parse_codecs(sp);
	if (opt.cpu >= 0) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(opt.cpu, &set);
		if (sched_setaffinity(0, sizeof(set), &set))
			die("cannot pin to cpu %d: %s", opt.cpu,
			    strerror(errno));
	}
	snprintf(dir, sizeof(dir), "%s/kcap-bench.XXXXXX", opt.dir);
	if (!mkdtemp(dir))
		die("mkdtemp %s: %s", dir, strerror(errno));

	generate();
	slice_blocks();
	for (i = 0; i < n; i++) {
		if (!opt.json)
			fprintf(stderr, "bench_format: %s...\n", sp[i].name);
		run(&sp[i], dir, &res[i]);
	}
	rmdir(dir);
	if (opt.json)
		print_json(res, n);
	else
		print_table(res, n);
	free(recs);
	free(slices);
	return 0;
}
