// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * kcap-mkfixtures DIR: writes the damaged captures of fixtures/bad/.
 *
 * Each NAME.kcap breaks exactly one rule of FORMAT.md, and NAME.err beside
 * it holds, on its first line, a substring of the message the reader (and
 * `kcap info`) must give for it and, on its second line, the exit status
 * of `kcap info` (1 unusable or corrupt, 2 truncated or not closed).
 *
 * A small capture is written with kcap_writer, read back block by block,
 * and framed again here with a codec chosen per block, so that record-level
 * damage can be done on stored (uncompressed) payloads and codec damage on
 * compressed ones. Checksums are recomputed after each damage wherever the
 * checksum is not itself what must fail. Before a file is written, it is
 * read back and the first problem the reader reports must be the intended
 * one: a fixture that fails for another reason would test nothing.
 *
 * Everything is seeded and clock-free: two runs give the same bytes.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"
#include "synth.h"

#define MAX_BLOCKS 32
#define EVENTS_BLOCKS 6
#define EVENTS_PER_BLOCK 24
#define T0 1795460564000000000ull

struct blk {
	uint16_t type;
	uint8_t codec; /* how to store it when framing */
	uint8_t flags;
	uint32_t count;
	uint32_t seq;
	uint64_t first_ts, last_ts;
	uint8_t *raw;
	size_t raw_len;
};

struct capture {
	uint8_t hdr[KCAP_FILE_HDR_SIZE];
	struct blk blk[MAX_BLOCKS];
	size_t n;
};

/* A framed file, and where each of its blocks starts. */
struct out {
	uint8_t *p;
	size_t len, cap;
	uint64_t off[MAX_BLOCKS]; /* of capture block i */
	uint32_t seq[MAX_BLOCKS];
	uint64_t index_off, footer_off;
	uint32_t last_seq; /* of the last block written */
};

static const char *outdir;
static int nwritten;

static void die(const char *fmt, ...)
	__attribute__((format(printf, 1, 2), noreturn));

static void die(const char *fmt, ...)
{
	va_list ap;

	fputs("kcap-mkfixtures: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		die("out of memory");
	return p;
}

static void *xmemdup(const void *src, size_t n)
{
	void *p = xmalloc(n);

	memcpy(p, src, n);
	return p;
}

/* ---- the base capture ------------------------------------------------------ */

static size_t machine_record(struct synth *s, uint8_t *buf)
{
	struct kcap_builder b;
	struct kcap_ev_machine *m;
	int len;

	/* no host details: the fixture must not depend on where it was made */
	m = kcap_builder__start(&b, buf, KCAP_REC_MAX, kcap_schema__builtin(),
				KCAP_EV_machine, 1, s->ts);
	if (!m)
		die("cannot start the machine record");
	m->boot_wall_ns = 1795400000000000000ull;
	m->mem_bytes = 8ull << 30;
	m->cpus = 2;
	kcap_builder__var(&b, offsetof(struct kcap_ev_machine, hostname),
			  "fixture", 7);
	kcap_builder__var(&b, offsetof(struct kcap_ev_machine, kernel),
			  "6.18.0-synth", 12);
	kcap_builder__var(&b, offsetof(struct kcap_ev_machine, arch), "x86_64",
			  6);
	kcap_builder__var(&b, offsetof(struct kcap_ev_machine, writer),
			  "kcap-mkfixtures", 15);
	len = kcap_builder__finish(&b);
	if (len < 0)
		die("cannot finish the machine record");
	return (size_t)len;
}

/* Writes the base capture with kcap_writer and returns its bytes. */
static uint8_t *write_base(size_t *len)
{
	static uint8_t rec[KCAP_REC_MAX] __attribute__((aligned(8)));
	static uint8_t snap[1 << 16] __attribute__((aligned(8)));
	struct kcap_writer *w;
	struct synth s;
	FILE *f = tmpfile();
	uint8_t *buf;
	long size;
	int i, j, n;

	if (!f)
		die("tmpfile: %s", strerror(errno));
	KCAP_OPTS(kcap_writer_opts, wo, .codec = KCAP_CODEC_ZSTD,
		  .created_ns = T0, .boot_wall_ns = 1795400000000000000ull);
	w = kcap_writer__open_fd(fileno(f), &wo);
	if (!w)
		die("kcap_writer__open_fd: %s", kcap_last_errmsg());
	synth_init(&s, 7, T0);
	if (kcap_writer__write_block(w, KCAP_BLOCK_MACHINE, rec,
				     machine_record(&s, rec)))
		die("MACHINE: %s", kcap_writer__errmsg(w));
	n = (int)synth_snapshot(&s, snap, sizeof(snap));
	if (kcap_writer__write_block(w, KCAP_BLOCK_SNAPSHOT, snap, (size_t)n))
		die("SNAPSHOT: %s", kcap_writer__errmsg(w));
	/* small EVENTS blocks, so that one can be damaged among others */
	for (i = 0; i < EVENTS_BLOCKS; i++) {
		for (j = 0; j < EVENTS_PER_BLOCK; j++) {
			if (synth_mix(&s, rec) < 0 ||
			    kcap_writer__append(w, rec))
				die("append: %s", kcap_writer__errmsg(w));
		}
		if (kcap_writer__flush(w))
			die("flush: %s", kcap_writer__errmsg(w));
		if (i == EVENTS_BLOCKS / 2) {
			n = synth_loss(rec, s.ts - 5000000, s.ts, KCAP_EV_read,
				       KCAP_LOSS_RINGBUF, 5);
			if (n < 0 ||
			    kcap_writer__write_block(w, KCAP_BLOCK_LOSS, rec,
						     (size_t)n))
				die("LOSS: %s", kcap_writer__errmsg(w));
		}
	}
	if (kcap_writer__close(w))
		die("close: %s", kcap_last_errmsg());
	size = ftell(f);
	if (size <= 0 || fseek(f, 0, SEEK_SET))
		die("cannot read the base capture back");
	buf = xmalloc((size_t)size);
	if (fread(buf, 1, (size_t)size, f) != (size_t)size)
		die("cannot read the base capture back");
	fclose(f);
	*len = (size_t)size;
	return buf;
}

/*
 * Reads the base capture into a list of blocks (without INDEX and FOOTER,
 * which framing makes anew), choosing for each block the codec it will be
 * stored with: the EVENTS blocks mostly uncompressed so that their records
 * can be edited in place, one with zstd and one with lz4.
 */
static void load_base(struct capture *c, const uint8_t *file, size_t len)
{
	static const uint8_t events_codec[EVENTS_BLOCKS] = {
		KCAP_CODEC_NONE, KCAP_CODEC_NONE, KCAP_CODEC_ZSTD,
		KCAP_CODEC_NONE, KCAP_CODEC_LZ4,  KCAP_CODEC_NONE,
	};
	struct kcap_reader *r = kcap_reader__open_mem(file, len, NULL);
	struct kcap_read_status st;
	struct kcap_block b;
	unsigned int nev = 0;
	int n;

	if (!r)
		die("base capture: %s", kcap_last_errmsg());
	memcpy(c->hdr, file, KCAP_FILE_HDR_SIZE);
	c->n = 0;
	while ((n = kcap_reader__next_block(r, &b)) != 0) {
		struct blk *k;

		if (n < 0)
			die("base capture: %s", kcap_reader__errmsg(r));
		if (b.type == KCAP_BLOCK_INDEX || b.type == KCAP_BLOCK_FOOTER)
			continue;
		if (c->n == MAX_BLOCKS)
			die("base capture: too many blocks");
		k = &c->blk[c->n++];
		k->type = b.type;
		k->flags = b.flags;
		k->count = b.count;
		k->seq = b.seq;
		k->first_ts = b.first_ts;
		k->last_ts = b.last_ts;
		k->raw = xmemdup(b.data, b.raw_len);
		k->raw_len = b.raw_len;
		switch (b.type) {
		case KCAP_BLOCK_EVENTS:
			if (nev == EVENTS_BLOCKS)
				die("base capture: too many EVENTS blocks");
			k->codec = events_codec[nev++];
			break;
		case KCAP_BLOCK_SNAPSHOT:
			k->codec = KCAP_CODEC_LZ4;
			break;
		case KCAP_BLOCK_SCHEMA:
			k->codec = KCAP_CODEC_ZSTD;
			break;
		default:
			k->codec = KCAP_CODEC_NONE;
		}
	}
	kcap_reader__status(r, &st);
	kcap_reader__close(r);
	if (st.end != KCAP_END_COMPLETE || nev != EVENTS_BLOCKS)
		die("base capture: not what was written (end %d, %u EVENTS blocks)",
		    st.end, nev);
}

static void capture_free(struct capture *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		free(c->blk[i].raw);
	c->n = 0;
}

static void capture_copy(struct capture *dst, const struct capture *src)
{
	size_t i;

	*dst = *src;
	for (i = 0; i < src->n; i++)
		dst->blk[i].raw = xmemdup(src->blk[i].raw, src->blk[i].raw_len);
}

/* Index of the nth (from 0) block of a type in the capture. */
static size_t find_block(const struct capture *c, int type, int nth)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (c->blk[i].type == type && nth-- == 0)
			return i;
	die("no block %d of type %d", nth, type);
}

/* ---- framing ----------------------------------------------------------------- */

static void out_reserve(struct out *o, size_t n)
{
	if (o->len + n <= o->cap)
		return;
	while (o->cap < o->len + n)
		o->cap = o->cap ? o->cap * 2 : 1 << 16;
	o->p = realloc(o->p, o->cap);
	if (!o->p)
		die("out of memory");
}

static void fix_file_header(struct out *o)
{
	kcap_put32(o->p + 60, kcap_cksum32(o->p, 60));
}

static void fix_block_header(struct out *o, uint64_t off)
{
	kcap_put32(o->p + off + 44, kcap_cksum32(o->p + off, 44));
}

/* After editing a stored payload: its checksum, then the header's. */
static void fix_payload(struct out *o, uint64_t off)
{
	uint32_t stored = kcap_le32(o->p + off + 8);

	kcap_put32(o->p + off + 40,
		   kcap_cksum32(o->p + off + KCAP_BLOCK_HDR_SIZE, stored));
	fix_block_header(o, off);
}

/* Frames one block as FORMAT.md 4.1 says; returns its offset. */
static uint64_t put_block(struct out *o, const struct blk *k)
{
	uint64_t off = o->len;
	size_t stored = k->raw_len, total;
	uint8_t codec = k->codec, *h, *payload;

	out_reserve(o, KCAP_BLOCK_HDR_SIZE + KCAP_BLOCK_TRAILER_SIZE + 8 +
			       kcap_codec_bound(KCAP_CODEC_ZSTD, k->raw_len) +
			       kcap_codec_bound(KCAP_CODEC_LZ4, k->raw_len) +
			       k->raw_len);
	h = o->p + off;
	payload = h + KCAP_BLOCK_HDR_SIZE;
	if (codec == KCAP_CODEC_ZSTD || codec == KCAP_CODEC_LZ4) {
		struct kcap_cctx *cc = kcap_cctx__new(codec, 1);
		long n;

		if (!cc)
			die("cannot make a %s context", kcap_codec_name(codec));
		n = kcap_cctx__compress(cc, payload, k->raw_len, k->raw,
					k->raw_len);
		kcap_cctx__free(cc);
		/* as the writer does: stored raw when compression does not pay */
		if (n > 0 && (size_t)n < k->raw_len)
			stored = (size_t)n;
		else
			codec = KCAP_CODEC_NONE;
	} else {
		/* unknown codecs are written as damage later: store raw */
		codec = KCAP_CODEC_NONE;
	}
	if (codec == KCAP_CODEC_NONE)
		memcpy(payload, k->raw, k->raw_len);
	total = KCAP_BLOCK_HDR_SIZE + ALIGN8(stored) + KCAP_BLOCK_TRAILER_SIZE;
	kcap_put32(h, KCAP_BLOCK_MAGIC);
	kcap_put16(h + 4, k->type);
	h[6] = codec;
	h[7] = k->flags;
	kcap_put32(h + 8, (uint32_t)stored);
	kcap_put32(h + 12, (uint32_t)k->raw_len);
	kcap_put32(h + 16, k->count);
	kcap_put32(h + 20, k->seq);
	kcap_put64(h + 24, k->first_ts);
	kcap_put64(h + 32, k->last_ts);
	memset(payload + stored, 0, ALIGN8(stored) - stored);
	kcap_put32(payload + ALIGN8(stored), (uint32_t)total);
	kcap_put32(payload + ALIGN8(stored) + 4, KCAP_TRAILER_MAGIC);
	o->len += total;
	fix_payload(o, off);
	o->last_seq = k->seq;
	return off;
}

/*
 * Frames the capture: header, its blocks with the seq they hold, then, if
 * closed, an INDEX of them and a FOOTER.
 */
static void frame(struct out *o, const struct capture *c, bool closed)
{
	uint8_t *index = xmalloc(c->n * KCAP_INDEX_ENTRY);
	uint8_t footer[KCAP_FOOTER_PAYLOAD];
	uint64_t events = 0;
	struct blk k;
	size_t i;

	memset(o, 0, sizeof(*o));
	out_reserve(o, KCAP_FILE_HDR_SIZE);
	memcpy(o->p, c->hdr, KCAP_FILE_HDR_SIZE);
	o->len = KCAP_FILE_HDR_SIZE;
	fix_file_header(o);
	for (i = 0; i < c->n; i++) {
		uint8_t *e = index + i * KCAP_INDEX_ENTRY;

		o->off[i] = put_block(o, &c->blk[i]);
		o->seq[i] = c->blk[i].seq;
		kcap_put64(e, o->off[i]);
		kcap_put64(e + 8, c->blk[i].first_ts);
		kcap_put64(e + 16, c->blk[i].last_ts);
		kcap_put32(e + 24, c->blk[i].count);
		kcap_put16(e + 28, c->blk[i].type);
		kcap_put16(e + 30, 0);
		if (c->blk[i].type == KCAP_BLOCK_EVENTS)
			events += c->blk[i].count;
	}
	if (closed) {
		memset(&k, 0, sizeof(k));
		k.type = KCAP_BLOCK_INDEX;
		k.codec = KCAP_CODEC_ZSTD;
		k.count = (uint32_t)c->n;
		k.seq = o->last_seq + 1;
		k.raw = index;
		k.raw_len = c->n * KCAP_INDEX_ENTRY;
		o->index_off = put_block(o, &k);
		kcap_put64(footer, o->index_off);
		kcap_put64(footer + 8, events);
		k.type = KCAP_BLOCK_FOOTER;
		k.codec = KCAP_CODEC_NONE;
		k.count = 0;
		k.seq = o->last_seq + 1;
		k.raw = footer;
		k.raw_len = sizeof(footer);
		o->footer_off = put_block(o, &k);
	}
	free(index);
}

/* ---- checking and writing a fixture ----------------------------------------- */

struct problems {
	char msg[8][KCAP_ERRMSG_SIZE + 64];
	unsigned int n;
};

static void add_problem(struct problems *p, const char *msg)
{
	if (p->n < ARRAY_SIZE(p->msg))
		snprintf(p->msg[p->n++], sizeof(p->msg[0]), "%s", msg);
}

static void log_problem(void *ctx, const char *msg)
{
	add_problem(ctx, msg);
}

/*
 * Reads a file as `kcap info` does and returns the status it would exit
 * with; every message the reader makes, and then how the file ended, go
 * into p in the order they came.
 */
static int read_back(const uint8_t *buf, size_t len, struct problems *p)
{
	struct kcap_reader *r;
	struct kcap_read_status st;
	struct kcap_block b;
	char msg[256];
	bool bad = false;
	int n;

	memset(p, 0, sizeof(*p));
	kcap_set_log(log_problem, p);
	r = kcap_reader__open_mem(buf, len, NULL);
	if (!r) {
		kcap_set_log(NULL, NULL);
		return 1;
	}
	while ((n = kcap_reader__next_block(r, &b)) != 0)
		if (n < 0)
			bad = true;
	kcap_set_log(NULL, NULL);
	kcap_reader__status(r, &st);
	kcap_reader__close(r);
	/* the words `kcap info` uses for the end of a file */
	if (st.end != KCAP_END_COMPLETE) {
		kcap_read_status__end_text(&st, msg, sizeof(msg));
		add_problem(p, msg);
	}
	if (bad || st.missing_blocks)
		return 1;
	return st.end == KCAP_END_COMPLETE ? 0 : 2;
}

static void write_file(const char *name, const char *ext, const void *buf,
		       size_t len)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.%s", outdir, name, ext);
	f = fopen(path, "wb");
	if (!f)
		die("%s: %s", path, strerror(errno));
	if ((len && fwrite(buf, 1, len, f) != len) || fclose(f))
		die("%s: write failed", path);
}

/*
 * Writes NAME.kcap and NAME.err after checking that the first problem the
 * reader reports is the expected one and that `kcap info` would exit with
 * the expected status.
 */
static void emit(const char *name, const void *buf, size_t len, int status,
		 const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void emit(const char *name, const void *buf, size_t len, int status,
		 const char *fmt, ...)
{
	char expect[512], err[600];
	struct problems p;
	va_list ap;
	int got;

	va_start(ap, fmt);
	vsnprintf(expect, sizeof(expect), fmt, ap);
	va_end(ap);
	got = read_back(buf, len, &p);
	if (!p.n || !strstr(p.msg[0], expect))
		die("%s: expected \"%s\", the reader said \"%s\"", name, expect,
		    p.n ? p.msg[0] : "nothing");
	if (got != status)
		die("%s: expected kcap info to exit %d, it would exit %d", name,
		    status, got);
	write_file(name, "kcap", buf, len);
	snprintf(err, sizeof(err), "%s\n%d\n", expect, status);
	write_file(name, "err", err, strlen(err));
	nwritten++;
}

static void emit_out(const char *name, struct out *o, int status,
		     const char *expect)
{
	emit(name, o->p, o->len, status, "%s", expect);
	free(o->p);
	o->p = NULL;
}

/* ---- the fixtures ------------------------------------------------------------- */

/* The offset and seq of capture block i in a framed file, for messages. */
#define AT(o, i) (o).seq[i], (unsigned long long)(o).off[i]

static void file_header_fixtures(const struct capture *base)
{
	static const char text[] =
		"This is a text file, not a capture.\nkcap must say so.\n";
	struct out o;
	char msg[256];

	emit("empty", "", 0, 1, "empty file: not a kcap file");
	emit("text", text, sizeof(text) - 1, 1, "not a kcap file (bad magic)");

	frame(&o, base, true);
	emit("header-short", o.p, 40, 1,
	     "file header truncated at offset 40 (header is 64 bytes)");
	free(o.p);

	frame(&o, base, true);
	kcap_put32(o.p + 12, 32);
	fix_file_header(&o);
	emit_out("header-length", &o, 1,
		 "file header length 32 is outside 64..4096");

	/* created_ns changed after the checksum was computed */
	frame(&o, base, true);
	o.p[50] ^= 0x40;
	emit_out("header-checksum", &o, 1, "file header checksum mismatch");

	frame(&o, base, true);
	kcap_put16(o.p + 8, 2);
	kcap_put16(o.p + 10, 0); /* 2.0 whatever minor this writer writes */
	fix_file_header(&o);
	emit_out("version-2", &o, 1,
		 "format version 2.0 is not supported (this reader reads 1.x)");

	frame(&o, base, true);
	kcap_put64(o.p + 16, 0x10);
	fix_file_header(&o);
	snprintf(msg, sizeof(msg),
		 "file needs features this reader lacks (incompat flags 0x10)");
	emit_out("incompat-flag", &o, 1, msg);
}

static void framing_fixtures(const struct capture *base)
{
	size_t e1 = find_block(base, KCAP_BLOCK_EVENTS, 1), i;
	struct out o;
	char msg[256];
	uint64_t at;
	uint32_t stored;

	/* first_ts changed after the header checksum was computed */
	frame(&o, base, true);
	o.p[o.off[e1] + 24] ^= 0x01;
	snprintf(
		msg, sizeof(msg),
		"corrupt block header at offset %llu (after block %u): header checksum mismatch",
		(unsigned long long)o.off[e1], o.seq[e1] - 1);
	emit_out("block-header-checksum", &o, 1, msg);

	frame(&o, base, true);
	o.p[o.off[e1] + KCAP_BLOCK_HDR_SIZE + 100] ^= 0x01;
	snprintf(msg, sizeof(msg),
		 "corrupt block %u at offset %llu: payload checksum mismatch",
		 AT(o, e1));
	emit_out("payload-checksum", &o, 1, msg);

	frame(&o, base, true);
	stored = kcap_le32(o.p + o.off[e1] + 8);
	at = o.off[e1] + KCAP_BLOCK_HDR_SIZE + ALIGN8(stored);
	kcap_put32(o.p + at, kcap_le32(o.p + at) + 8);
	snprintf(
		msg, sizeof(msg),
		"corrupt block %u at offset %llu: trailer does not repeat the block length %llu",
		AT(o, e1),
		(unsigned long long)(KCAP_BLOCK_HDR_SIZE + ALIGN8(stored) +
				     KCAP_BLOCK_TRAILER_SIZE));
	emit_out("trailer-length", &o, 1, msg);

	/* padding exists only after a payload that is not a multiple of 8 */
	frame(&o, base, true);
	for (i = 0; i < base->n; i++) {
		stored = kcap_le32(o.p + o.off[i] + 8);
		if (base->blk[i].type == KCAP_BLOCK_EVENTS && stored % 8)
			break;
	}
	if (i == base->n)
		die("no EVENTS block has padding");
	o.p[o.off[i] + KCAP_BLOCK_HDR_SIZE + stored] = 0x5a;
	snprintf(
		msg, sizeof(msg),
		"corrupt block %u at offset %llu: non-zero padding after the payload",
		AT(o, i));
	emit_out("nonzero-padding", &o, 1, msg);

	/* a header that checks out but asks for more than the limit */
	frame(&o, base, true);
	kcap_put32(o.p + o.off[e1] + 8, KCAP_BLOCK_MAX + 8);
	fix_block_header(&o, o.off[e1]);
	snprintf(
		msg, sizeof(msg),
		"block %u at offset %llu: stored %u / raw %u bytes exceed the 64 MiB limit",
		AT(o, e1), KCAP_BLOCK_MAX + 8,
		(unsigned int)base->blk[e1].raw_len);
	emit_out("block-too-long", &o, 1, msg);

	frame(&o, base, true);
	o.p[o.off[e1] + 6] = 9;
	fix_block_header(&o, o.off[e1]);
	snprintf(
		msg, sizeof(msg),
		"block %u at offset %llu uses codec 9, which this reader does not know",
		AT(o, e1));
	emit_out("unknown-codec", &o, 1, msg);
}

/* The payload offset of the nth record of an uncompressed block. */
static size_t record_at(const struct out *o, uint64_t off, unsigned int nth)
{
	const uint8_t *p = o->p + off + KCAP_BLOCK_HDR_SIZE;
	size_t at = 0;

	while (nth--)
		at += kcap_le16(p + at + 2);
	return at;
}

static void payload_fixtures(const struct capture *base)
{
	const struct kcap_schema *s = kcap_schema__builtin();
	size_t e1 = find_block(base, KCAP_BLOCK_EVENTS, 1);
	size_t e2 = find_block(base, KCAP_BLOCK_EVENTS, 2), at = 0;
	struct out o;
	char msg[256];
	unsigned int nth;
	uint8_t *p;

	if (base->blk[e1].codec != KCAP_CODEC_NONE)
		die("EVENTS block 1 must be stored uncompressed");

	frame(&o, base, true);
	p = o.p + o.off[e1] + KCAP_BLOCK_HDR_SIZE;
	at = record_at(&o, o.off[e1], 3);
	kcap_put16(p + at + 2, (uint16_t)(kcap_le16(p + at + 2) - 4));
	fix_payload(&o, o.off[e1]);
	snprintf(
		msg, sizeof(msg),
		"corrupt block %u at offset %llu: record 3 at payload offset %zu: record length is not a multiple of 8 between 16 and the bytes left",
		AT(o, e1), at);
	emit_out("record-length", &o, 1, msg);

	/* the first record with a var present: make it end past the record */
	frame(&o, base, true);
	p = o.p + o.off[e1] + KCAP_BLOCK_HDR_SIZE;
	for (nth = 0, at = 0; nth < base->blk[e1].count;
	     nth++, at += kcap_le16(p + at + 2)) {
		const struct kcap_event_desc *d =
			kcap_schema__event(s, kcap_le16(p + at));
		unsigned int v;

		for (v = 0; d && v < d->nvars; v++) {
			uint8_t *desc = p + at + d->var_offsets[v];
			uint16_t off = kcap_le16(desc);

			if (!off)
				continue;
			kcap_put16(desc + 2,
				   (uint16_t)(kcap_le16(p + at + 2) - off + 8));
			goto found;
		}
	}
	die("no record with a var in EVENTS block 1");
found:
	fix_payload(&o, o.off[e1]);
	snprintf(
		msg, sizeof(msg),
		"corrupt block %u at offset %llu: record %u at payload offset %zu: a variable field points outside the record's tail",
		AT(o, e1), nth, at);
	emit_out("var-outside-record", &o, 1, msg);

	frame(&o, base, true);
	kcap_put32(o.p + o.off[e1] + 16, base->blk[e1].count + 1);
	fix_block_header(&o, o.off[e1]);
	snprintf(
		msg, sizeof(msg),
		"corrupt block %u at offset %llu: header says %u records, payload holds %u",
		AT(o, e1), base->blk[e1].count + 1, base->blk[e1].count);
	emit_out("count-mismatch", &o, 1, msg);

	/*
	 * Bit rot inside a compressed frame that the payload checksum was
	 * computed over: the checksum holds, decoding must not.
	 */
	frame(&o, base, true);
	if (o.p[o.off[e2] + 6] != KCAP_CODEC_ZSTD)
		die("EVENTS block 2 must be stored with zstd");
	p = o.p + o.off[e2] + KCAP_BLOCK_HDR_SIZE;
	/* the frame header descriptor's reserved bit: a decoder must refuse */
	p[4] |= 0x08;
	fix_payload(&o, o.off[e2]);
	snprintf(
		msg, sizeof(msg),
		"corrupt block %u at offset %llu: zstd payload does not decode to %u bytes",
		AT(o, e2), (unsigned int)base->blk[e2].raw_len);
	emit_out("zstd-undecodable", &o, 1, msg);
}

static void structure_fixtures(const struct capture *base)
{
	size_t e1 = find_block(base, KCAP_BLOCK_EVENTS, 1);
	size_t e3 = find_block(base, KCAP_BLOCK_EVENTS, 3);
	size_t mach = find_block(base, KCAP_BLOCK_MACHINE, 0), i;
	static const uint8_t future[16] = "from the future";
	struct capture c;
	struct out o;
	char msg[256];

	/* an unknown block type marked CRITICAL, after the MACHINE block */
	capture_copy(&c, base);
	memmove(&c.blk[mach + 2], &c.blk[mach + 1],
		(c.n - mach - 1) * sizeof(c.blk[0]));
	c.n++;
	memset(&c.blk[mach + 1], 0, sizeof(c.blk[0]));
	c.blk[mach + 1].type = 4242;
	c.blk[mach + 1].flags = KCAP_BLOCK_FLAG_CRITICAL;
	c.blk[mach + 1].count = 1;
	c.blk[mach + 1].raw = xmemdup(future, sizeof(future));
	c.blk[mach + 1].raw_len = sizeof(future);
	for (i = 0; i < c.n; i++)
		c.blk[i].seq = (uint32_t)i;
	frame(&o, &c, true);
	snprintf(
		msg, sizeof(msg),
		"block %u at offset %llu has type 4242, which this reader does not know and must not skip",
		AT(o, mach + 1));
	emit_out("unknown-critical-block", &o, 1, msg);
	capture_free(&c);

	/*
	 * The header names a schema that is neither the SCHEMA block's nor
	 * the builtin one, so the reader has no schema to fall back on.
	 */
	frame(&o, base, true);
	kcap_put64(o.p + 32, kcap_le64(o.p + 32) ^ 0x5a5a);
	fix_file_header(&o);
	snprintf(
		msg, sizeof(msg),
		"SCHEMA block %u at offset %llu does not match the header's schema hash",
		AT(o, 0));
	emit_out("schema-hash-mismatch", &o, 1, msg);

	/* EVENTS block 1 left out, the others keep their seq */
	capture_copy(&c, base);
	free(c.blk[e1].raw);
	memmove(&c.blk[e1], &c.blk[e1 + 1], (c.n - e1 - 1) * sizeof(c.blk[0]));
	c.n--;
	frame(&o, &c, true);
	emit_out("seq-gap", &o, 1, "1 blocks are missing");
	capture_free(&c);

	frame(&o, base, true);
	o.len = o.off[e3] + KCAP_BLOCK_HDR_SIZE + 100;
	snprintf(msg, sizeof(msg), "truncated at offset %llu after block %u",
		 (unsigned long long)o.off[e3], o.seq[e3] - 1);
	emit_out("cut-in-block", &o, 2, msg);

	frame(&o, base, false);
	snprintf(
		msg, sizeof(msg),
		"not closed: ends after block %u, which begins at offset %llu, with no footer",
		AT(o, base->n - 1));
	emit_out("no-footer", &o, 2, msg);
}

int main(int argc, char **argv)
{
	struct capture base;
	struct problems p;
	struct out o;
	uint8_t *file;
	size_t len;

	if (argc != 2) {
		fprintf(stderr, "usage: kcap-mkfixtures DIR\n");
		return 1;
	}
	outdir = argv[1];
	file = write_base(&len);
	load_base(&base, file, len);
	free(file);

	/* the framing here must make a file that reads whole and clean */
	frame(&o, &base, true);
	if (read_back(o.p, o.len, &p) != 0 || p.n)
		die("the undamaged capture does not read clean: %s",
		    p.n ? p.msg[0] : "bad status");
	free(o.p);

	file_header_fixtures(&base);
	framing_fixtures(&base);
	payload_fixtures(&base);
	structure_fixtures(&base);
	capture_free(&base);
	printf("kcap-mkfixtures: wrote %d fixtures to %s\n", nwritten, outdir);
	return 0;
}
