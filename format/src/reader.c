// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The .kcap reader. Every length read from a file is checked against the
 * format's limits before it sizes an allocation or a copy, every header is
 * checksummed before it is trusted, and every record is validated before
 * it is handed out (a whole block's before next_block() hands it out; each
 * as it goes in next_record()). A file cut anywhere reads to
 * its last whole block, and the reader says where and why it stopped.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

#define kcap_reader_opts__last_field skip_types

struct index_entry {
	uint64_t offset, first_ts, last_ts;
	uint32_t count;
	uint32_t seq;
	uint16_t type;
};

/*
 * What validating a record of one type needs, in 16 bytes: the first two
 * var descriptors with a mask that is all ones for a slot the type uses and
 * zero otherwise (a masked slot reads as an absent {0, 0} field), so that
 * the common types are checked without a loop or a branch on their number
 * of var fields.
 */
#define CHECK_VARS 2
struct rec_check {
	uint16_t size; /* fixed part; UINT16_MAX if the schema has no such type */
	uint16_t nvars;
	uint16_t var[CHECK_VARS]; /* offsets of the var descriptors */
	uint32_t mask[CHECK_VARS];
};

struct kcap_reader {
	int fd;
	bool own_fd;
	const uint8_t *mem; /* open_mem: the whole file */
	size_t mem_len;
	/* open_source: the piece of the stream the source last handed out */
	kcap_source_fn src;
	void *src_ctx;
	const uint8_t *src_p;
	size_t src_len, src_off;
	uint64_t base; /* fd offset of the file header */
	uint64_t pos; /* file offset of the next block */

	uint8_t *stored; /* payload + padding + trailer as read */
	size_t stored_cap;
	uint8_t *raw; /* decoded payload */
	size_t raw_cap;
	struct kcap_dctx *dctx;
	uint32_t skip_types;

	struct kcap_file_info info;
	struct kcap_schema *file_schema;
	const struct kcap_schema *schema; /* file_schema or the builtin one */
	const struct kcap_schema *builtin;
	uint8_t *upgrade; /* [schema->limit]: present records at builtin size */
	uint8_t *scratch; /* one upgraded record */
	/*
	 * [schema->limit]: what validating a record of each type needs, packed
	 * in 16 bytes so that the check of a block's records touches one
	 * cache line per 4 types instead of chasing descriptor pointers.
	 */
	struct rec_check *check;
	unsigned int check_limit; /* entries in check: the schema's id limit */

	struct kcap_block blk;
	const uint8_t *rec_p, *rec_end;
	/*
	 * next_record() checks the records of an EVENTS block as it hands
	 * them out (see next_record_slow): unchecked is set while it does,
	 * nchecked counts them for the block's record count.
	 */
	bool lazy; /* set while next_record() reads a block */
	bool unchecked;
	uint32_t nchecked;
	uint32_t expect_seq;
	uint32_t seq_end; /* one past the highest seq read since the start */
	bool seen_block;
	bool footer_seen;
	bool resync; /* the last block header was corrupt: scan for the next */
	bool fatal; /* nothing more can be read */
	struct kcap_read_status st;

	struct index_entry *index;
	size_t nindex;

	char errmsg[KCAP_ERRMSG_SIZE];
};

/* The source's next piece: its length, 0 at the end, -errno. */
static ssize_t source_next(struct kcap_reader *r)
{
	const void *p = NULL;
	ssize_t k = r->src(r->src_ctx, &p);

	r->src_p = p;
	r->src_off = 0;
	r->src_len = k > 0 ? (size_t)k : 0;
	if (k > 0 && !p)
		return -EFAULT;
	return k;
}

/*
 * Read up to n bytes at the current position and move past them; returns
 * how many (0: EOF).
 */
static ssize_t input_read(struct kcap_reader *r, void *dst, size_t n)
{
	size_t done = 0;

	if (r->mem) {
		if (r->pos >= r->mem_len)
			return 0;
		if (n > r->mem_len - r->pos)
			n = r->mem_len - r->pos;
		memcpy(dst, r->mem + r->pos, n);
		r->pos += n;
		return (ssize_t)n;
	}
	if (r->src) {
		while (done < n) {
			size_t take;

			if (r->src_off == r->src_len) {
				ssize_t k = source_next(r);

				if (k < 0)
					return k;
				if (k == 0)
					break;
			}
			take = r->src_len - r->src_off;
			if (take > n - done)
				take = n - done;
			memcpy((uint8_t *)dst + done, r->src_p + r->src_off,
			       take);
			r->src_off += take;
			done += take;
		}
		r->pos += done;
		return (ssize_t)done;
	}
	while (done < n) {
		ssize_t k = read(r->fd, (uint8_t *)dst + done, n - done);

		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return -errno;
		if (k == 0)
			break;
		done += (size_t)k;
	}
	r->pos += done;
	return (ssize_t)done;
}

static int input_seek(struct kcap_reader *r, uint64_t pos)
{
	if (r->src)
		return pos == r->pos ? 0 : -ESPIPE;
	if (!r->mem && lseek(r->fd, (off_t)(r->base + pos), SEEK_SET) < 0)
		return -errno;
	r->pos = pos;
	return 0;
}

#define HUGE_SIZE (2u << 20)
#define HUGE_MIN (512u << 10)

static int grow(uint8_t **buf, size_t *cap, size_t need)
{
	uint8_t *p;

	if (need <= *cap)
		return 0;
	/* grow geometrically, but never past what the limits allow */
	if (need < *cap * 2)
		need = *cap * 2;
	if (need > KCAP_BLOCK_MAX + 64)
		need = KCAP_BLOCK_MAX + 64;
	if (need >= HUGE_MIN) {
		/*
		 * Block-sized buffers on transparent huge pages where the
		 * kernel offers them (madvise mode): decoding a 1 MiB block
		 * otherwise touches 256 small pages. On the test VM this
		 * took the lz4 read from 0.71-0.75 to 0.79-0.81 of the codec
		 * alone (docs/PERFORMANCE.md). Without THP the advice fails
		 * and the pages stay small.
		 */
		size_t al = (need + HUGE_SIZE - 1) & ~(size_t)(HUGE_SIZE - 1);

		p = aligned_alloc(HUGE_SIZE, al);
		if (!p)
			return -ENOMEM;
		(void)madvise(p, al, MADV_HUGEPAGE);
		if (*buf)
			memcpy(p, *buf, *cap);
		free(*buf);
		*buf = p;
		*cap = al > KCAP_BLOCK_MAX + 64 ? KCAP_BLOCK_MAX + 64 : al;
		return 0;
	}
	p = realloc(*buf, need);
	if (!p)
		return -ENOMEM;
	*buf = p;
	*cap = need;
	return 0;
}

static int fail(struct kcap_reader *r, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct kcap_reader *r, int err, const char *fmt, ...)
{
	char tmp[KCAP_ERRMSG_SIZE];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	kcap_errmsg_set(r->errmsg, "%s", tmp);
	return err;
}

static int read_file_header(struct kcap_reader *r)
{
	uint8_t h[KCAP_HDR_LEN_MAX];
	ssize_t n;
	uint32_t len;

	n = input_read(r, h, 16);
	if (n < 0)
		return fail(r, (int)n, "cannot read the file header: %s",
			    strerror((int)-n));
	/* the start of the magic is a kcap file cut there, not another kind */
	if (n > 0 && n < 8 && !memcmp(h, KCAP_MAGIC, (size_t)n))
		return fail(r, -EBADMSG, "file header truncated at offset %zd",
			    n);
	if (n < 8 || memcmp(h, KCAP_MAGIC, 8))
		return fail(r, -EBADMSG,
			    n == 0 ? "empty file: not a kcap file" :
				     "not a kcap file (bad magic)");
	if (n < 16)
		return fail(r, -EBADMSG, "file header truncated at offset %zd",
			    n);
	len = kcap_le32(h + 12);
	if (len < KCAP_FILE_HDR_SIZE || len > KCAP_HDR_LEN_MAX)
		return fail(r, -EBADMSG,
			    "file header length %u is outside 64..4096", len);
	n = input_read(r, h + 16, len - 16);
	if (n < 0)
		return fail(r, (int)n, "cannot read the file header: %s",
			    strerror((int)-n));
	if ((size_t)n < len - 16)
		return fail(
			r, -EBADMSG,
			"file header truncated at offset %llu (header is %u bytes)",
			(unsigned long long)r->pos, len);
	if (kcap_le32(h + len - 4) != kcap_cksum32(h, len - 4))
		return fail(r, -EBADMSG, "file header checksum mismatch");
	r->info.major = kcap_le16(h + 8);
	r->info.minor = kcap_le16(h + 10);
	r->info.header_len = len;
	r->info.incompat_flags = kcap_le64(h + 16);
	r->info.compat_flags = kcap_le64(h + 24);
	r->info.schema_hash = kcap_le64(h + 32);
	r->info.boot_wall_ns = kcap_le64(h + 40);
	r->info.created_ns = kcap_le64(h + 48);
	if (r->info.major != KCAP_FORMAT_MAJOR)
		return fail(
			r, -EPROTONOSUPPORT,
			"format version %u.%u is not supported (this reader reads %u.x)",
			r->info.major, r->info.minor, KCAP_FORMAT_MAJOR);
	if (r->info.incompat_flags)
		return fail(
			r, -EPROTONOSUPPORT,
			"file needs features this reader lacks (incompat flags 0x%llx)",
			(unsigned long long)r->info.incompat_flags);
	/* skip to the first block, 8-aligned */
	if (ALIGN8((uint64_t)len) != r->pos) {
		uint8_t pad[8];
		size_t skip = ALIGN8((size_t)len) - len;

		n = input_read(r, pad, skip);
		if (n != (ssize_t)skip)
			return fail(r, -EBADMSG, "file ends after its header");
	}
	return 0;
}

static struct kcap_reader *reader_new(const struct kcap_reader_opts *opts)
{
	struct kcap_reader *r;

	if (!KCAP_OPTS_VALID(opts, kcap_reader_opts)) {
		errno = EINVAL;
		return NULL;
	}
	r = calloc(1, sizeof(*r));
	if (!r) {
		errno = ENOMEM;
		return NULL;
	}
	r->fd = -1;
	r->skip_types = KCAP_OPT(opts, kcap_reader_opts, skip_types, 0);
	/* the reader needs these to make sense of the rest */
	r->skip_types &=
		~((1u << KCAP_BLOCK_SCHEMA) | (1u << KCAP_BLOCK_FOOTER));
	r->st.last_seq = -1;
	r->builtin = kcap_schema__builtin();
	r->dctx = kcap_dctx__new();
	if (!r->builtin || !r->dctx) {
		kcap_dctx__free(r->dctx);
		free(r);
		errno = ENOMEM;
		return NULL;
	}
	return r;
}

static struct kcap_reader *reader_start(struct kcap_reader *r)
{
	int err = read_file_header(r);

	if (err) {
		r->own_fd = false;
		kcap_reader__close(r);
		errno = -err;
		return NULL;
	}
	return r;
}

struct kcap_reader *kcap_reader__open_fd(int fd,
					 const struct kcap_reader_opts *opts)
{
	struct kcap_reader *r = reader_new(opts);
	off_t at;

	if (!r)
		return NULL;
	r->fd = fd;
	at = lseek(fd, 0, SEEK_CUR);
	r->base = at > 0 ? (uint64_t)at : 0;
	return reader_start(r);
}

struct kcap_reader *kcap_reader__open(const char *path,
				      const struct kcap_reader_opts *opts)
{
	struct kcap_reader *r;
	int fd, err;

	if (!path) {
		errno = EINVAL;
		return NULL;
	}
	if (!strcmp(path, "-"))
		return kcap_reader__open_fd(STDIN_FILENO, opts);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err = errno;
		kcap_errmsg_set(NULL, "cannot open %s: %s", path,
				strerror(err));
		errno = err;
		return NULL;
	}
	r = kcap_reader__open_fd(fd, opts);
	if (!r) {
		err = errno;
		close(fd);
		errno = err;
		return NULL;
	}
	r->own_fd = true;
	return r;
}

struct kcap_reader *
kcap_reader__open_source(kcap_source_fn src, void *ctx,
			 const struct kcap_reader_opts *opts)
{
	struct kcap_reader *r;

	if (!src) {
		errno = EINVAL;
		return NULL;
	}
	r = reader_new(opts);
	if (!r)
		return NULL;
	r->src = src;
	r->src_ctx = ctx;
	return reader_start(r);
}

struct kcap_reader *kcap_reader__open_mem(const void *buf, size_t len,
					  const struct kcap_reader_opts *opts)
{
	struct kcap_reader *r = reader_new(opts);

	if (!r)
		return NULL;
	r->mem = buf;
	r->mem_len = len;
	return reader_start(r);
}

void kcap_reader__close(struct kcap_reader *r)
{
	if (!r)
		return;
	if (r->own_fd && r->fd >= 0)
		close(r->fd);
	kcap_dctx__free(r->dctx);
	kcap_schema__free(r->file_schema);
	free(r->stored);
	free(r->raw);
	free(r->upgrade);
	free(r->check);
	free(r->scratch);
	free(r->index);
	free(r);
}

const struct kcap_file_info *kcap_reader__file_info(const struct kcap_reader *r)
{
	return &r->info;
}

const struct kcap_schema *kcap_reader__schema(const struct kcap_reader *r)
{
	return r->schema ? r->schema : r->builtin;
}

const struct kcap_block *kcap_reader__block(const struct kcap_reader *r)
{
	return &r->blk;
}

void kcap_reader__status(const struct kcap_reader *r,
			 struct kcap_read_status *st)
{
	*st = r->st;
}

bool kcap_read_status__damaged(const struct kcap_read_status *st)
{
	return st->corrupt_blocks || st->missing_blocks ||
	       st->misordered_blocks ||
	       (st->end != KCAP_END_COMPLETE && st->end != KCAP_END_NONE);
}

int kcap_read_status__end_text(const struct kcap_read_status *st, char *buf,
			       size_t size)
{
	unsigned long long at = st->end_offset;
	long long seq = st->last_seq;

	switch (st->end) {
	case KCAP_END_NO_FOOTER:
		if (seq < 0)
			return snprintf(buf, size,
					"not closed: ends after its header, "
					"with no block and no footer");
		return snprintf(buf, size,
				"not closed: ends after block %lld, which "
				"begins at offset %llu, with no footer",
				seq, (unsigned long long)st->last_offset);
	case KCAP_END_TRUNCATED:
		if (seq < 0)
			return snprintf(buf, size,
					"truncated at offset %llu, before its "
					"first whole block",
					at);
		return snprintf(buf, size,
				"truncated at offset %llu after block %lld", at,
				seq);
	case KCAP_END_ERROR:
		if (seq < 0)
			return snprintf(buf, size,
					"unreadable from offset %llu, before "
					"its first block",
					at);
		return snprintf(buf, size,
				"unreadable from offset %llu, after block %lld",
				at, seq);
	default:
		if (size)
			buf[0] = 0;
		return 0;
	}
}

bool kcap_path__rereadable(const char *path)
{
	struct stat sb;

	return strcmp(path, "-") && !stat(path, &sb) && S_ISREG(sb.st_mode);
}

const char *kcap_reader__errmsg(const struct kcap_reader *r)
{
	return r->errmsg;
}

/*
 * Decide, per type, whether records must be widened to this library's
 * struct size (a file written with an older schema, FORMAT.md 10).
 */
static int set_schema(struct kcap_reader *r, const struct kcap_schema *s)
{
	unsigned int id, n = 0;

	free(r->check);
	r->schema = NULL;
	r->check_limit = 0;
	r->check = calloc(s->limit ? s->limit : 1, sizeof(*r->check));
	if (!r->check)
		return -ENOMEM;
	r->schema = s;
	r->check_limit = s->limit;
	for (id = 0; id < s->limit; id++) {
		const struct kcap_event_desc *ev = &s->events[id];
		struct rec_check *c = &r->check[id];
		unsigned int i;

		if (!ev->name) {
			/* no record is that long: the full check refuses it */
			c->size = UINT16_MAX;
			continue;
		}
		c->size = ev->size > KCAP_HDR_SIZE ? ev->size : KCAP_HDR_SIZE;
		c->nvars = ev->nvars;
		for (i = 0; i < ev->nvars && i < CHECK_VARS; i++) {
			c->var[i] = ev->var_offsets[i];
			c->mask[i] = UINT32_MAX;
		}
	}
	free(r->upgrade);
	r->upgrade = NULL;
	if (s == r->builtin || s->hash == r->builtin->hash)
		return 0;
	r->upgrade = calloc(s->limit, 1);
	if (!r->upgrade)
		return -ENOMEM;
	for (id = 0; id < s->limit; id++) {
		const struct kcap_event_desc *f = kcap_schema__event(s, id);
		const struct kcap_event_desc *b =
			kcap_schema__event(r->builtin, id);

		if (f && b && f->size < b->size) {
			r->upgrade[id] = 1;
			n++;
		}
	}
	if (n && !r->scratch) {
		r->scratch = malloc(KCAP_REC_MAX + KCAP_FIXED_MAX);
		if (!r->scratch)
			return -ENOMEM;
	}
	return 0;
}

/* The format of the var field whose descriptor is at off. */
static uint8_t var_fmt(const struct kcap_event_desc *ev, uint16_t off)
{
	unsigned int i;

	for (i = 0; i < ev->nfields; i++)
		if (ev->fields[i].offset == off)
			return ev->fields[i].fmt;
	return 0;
}

/*
 * Mark the value of *vlen bytes at off in rec as cut (FORMAT.md, "Cut
 * values"): text and paths end with a NUL that is not theirs, lists do
 * not end with one. Data is never marked.
 */
static void cut_value(uint8_t *rec, uint32_t off, uint32_t *vlen, uint8_t fmt)
{
	if (fmt == KCAP_FMT_STR || fmt == KCAP_FMT_PATH) {
		if (*vlen)
			rec[off + *vlen - 1] = 0;
	} else if (fmt == KCAP_FMT_ARGV) {
		while (*vlen && !rec[off + *vlen - 1])
			(*vlen)--;
	}
}

static __attribute__((noinline)) const uint8_t *
upgrade_record(struct kcap_reader *r, const uint8_t *rec)
{
	const struct kcap_event_desc *f =
		kcap_schema__event(r->schema, kcap_le16(rec));
	uint16_t len = kcap_le16(rec + 2);
	uint16_t fsize = f->size;
	uint16_t bsize = kcap_schema__event(r->builtin, f->id)->size;
	uint16_t delta = bsize - fsize, tail = len - fsize;
	uint8_t *s = r->scratch;
	unsigned int i;

	kcap_record__init(r->builtin, s, f->id);
	/* the file's fields only: its padding may be our new fields */
	memcpy(s, rec, KCAP_HDR_SIZE);
	for (i = 0; i < f->nfields; i++)
		memcpy(s + f->fields[i].offset, rec + f->fields[i].offset,
		       f->fields[i].size);
	/*
	 * A record within delta of the size limit cannot widen whole: its
	 * tail loses its last bytes, and a value they held is cut short.
	 */
	if (tail > KCAP_REC_MAX - bsize)
		tail = KCAP_REC_MAX - bsize;
	memcpy(s + bsize, rec + fsize, tail);
	kcap_put16(s + 2, (uint16_t)(bsize + tail));
	for (i = 0; i < f->nvars; i++) {
		uint8_t *d = s + f->var_offsets[i];
		uint32_t off = kcap_le16(d), vlen = kcap_le16(d + 2);

		if (off == 0 && vlen == 0)
			continue;
		off += delta;
		if (off > (uint32_t)bsize + tail) {
			kcap_put32(d, 0); /* all of it past the end: absent */
			continue;
		}
		if (off + vlen > (uint32_t)bsize + tail) {
			vlen = bsize + tail - off;
			cut_value(s, off, &vlen, var_fmt(f, f->var_offsets[i]));
		}
		kcap_put16(d, (uint16_t)off);
		kcap_put16(d + 2, (uint16_t)vlen);
	}
	return s;
}

/* Whether var descriptor d (u16 off, u16 len, read as one u32) is bad. */
static inline unsigned int var_bad(uint32_t d, unsigned int size,
				   unsigned int len)
{
	unsigned int off = d & 0xffff, vlen = d >> 16;

	/* {0, 0} is absent; otherwise inside the tail */
	return (d != 0) & ((off < size) | (off + vlen > len));
}

/* The var fields past the first two, for the few types that have more. */
static __attribute__((noinline)) bool
more_vars_ok(const struct kcap_schema *s, const uint8_t *rec, unsigned int len)
{
	const struct kcap_event_desc *ev = &s->events[kcap_le16(rec)];
	unsigned int i, bad = 0;

	for (i = CHECK_VARS; i < ev->nvars; i++)
		bad |= var_bad(kcap_le32(rec + ev->var_offsets[i]), ev->size,
			       len);
	return !bad;
}

/*
 * The checks of FORMAT.md 6.2 with the per-type table; a record it refuses
 * goes through kcap_record_check(), which settles it and says why.
 *
 * Every type's fixed size is at least the header's 16 bytes, so len >= size
 * covers len >= 16; an id the schema does not describe has a fixed part no
 * record can hold (UINT16_MAX: len is a multiple of 8), so it goes to the
 * full check. The few types with more than two var fields (connect,
 * sendto, clone, execve) take a call for the rest.
 */
static inline bool record_ok(const struct kcap_schema *s,
			     const struct rec_check *tab, unsigned int limit,
			     const uint8_t *rec, unsigned int len, size_t avail)
{
	unsigned int type = kcap_le16(rec), size, bad;
	const struct rec_check *c;

	if (type >= limit)
		return false;
	c = &tab[type];
	size = c->size;
	/* the descriptors lie in the fixed part: read them only if it fits */
	if ((len & 7) | (len > avail) | (len < size))
		return false;
	bad = var_bad(kcap_le32(rec + c->var[0]) & c->mask[0], size, len);
	bad |= var_bad(kcap_le32(rec + c->var[1]) & c->mask[1], size, len);
	if (__builtin_expect(c->nvars > CHECK_VARS, 0))
		return !bad && more_vars_ok(s, rec, len);
	return !bad;
}

/* Check every record of a record-bearing block before any is handed out. */
static __attribute__((noinline)) int validate_records(struct kcap_reader *r,
						      const uint8_t *p,
						      size_t len,
						      uint32_t count)
{
	const struct rec_check *tab = r->check;
	unsigned int limit = r->check_limit;
	size_t off = 0;
	uint32_t n = 0;
	const char *why;

	/*
	 * The table settles nearly every record. One it refuses (a type with
	 * more var fields than the table holds, or a bad record) gets the
	 * full check, which also says why, and the walk goes back to the
	 * table: one execve must not send the rest of its block down the
	 * slow path.
	 */
	while (len - off >= KCAP_HDR_SIZE) {
		const uint8_t *rec = p + off;
		unsigned int rlen = kcap_le16(rec + 2);

		if (!record_ok(r->schema, tab, limit, rec, rlen, len - off) &&
		    kcap_record_check(r->schema, rec, len - off, &why))
			goto bad;
		off += rlen;
		n++;
	}
	if (off < len) {
		why = "payload ends inside a record header";
		goto bad;
	}
	if (n != count)
		return fail(
			r, -EBADMSG,
			"corrupt block %u at offset %llu: header says %u records, payload holds %u",
			r->blk.seq, (unsigned long long)r->blk.offset, count,
			n);
	return 0;
bad:
	return fail(
		r, -EBADMSG,
		"corrupt block %u at offset %llu: record %u at payload offset %zu: %s",
		r->blk.seq, (unsigned long long)r->blk.offset, n, off, why);
}

/* Scan forward, 8 bytes at a time, for a block header that checks out. */
static int resync(struct kcap_reader *r)
{
	uint8_t h[KCAP_BLOCK_HDR_SIZE];
	/* the corrupt header started 8 bytes back: count from there */
	uint64_t from = r->pos >= 8 ? r->pos - 8 : 0;

	r->resync = false;
	if (!r->mem && input_seek(r, r->pos) < 0) {
		r->fatal = true;
		return 0;
	}
	for (;;) {
		ssize_t n;

		if (r->mem) {
			if (r->pos + KCAP_BLOCK_HDR_SIZE > r->mem_len)
				break;
			memcpy(h, r->mem + r->pos, sizeof(h));
		} else {
			n = pread(r->fd, h, sizeof(h),
				  (off_t)(r->base + r->pos));
			if (n != (ssize_t)sizeof(h))
				break;
		}
		if (kcap_le32(h) == KCAP_BLOCK_MAGIC &&
		    kcap_le32(h + 44) == kcap_cksum32(h, 44)) {
			input_seek(r, r->pos);
			fail(r, -EBADMSG,
			     "skipped %llu unreadable bytes from offset %llu to the next block header",
			     (unsigned long long)(r->pos - from),
			     (unsigned long long)from);
			return 1;
		}
		r->pos += 8;
	}
	r->fatal = true;
	return 0;
}

static void end_of_file(struct kcap_reader *r, int how, uint64_t at)
{
	r->st.end = how;
	r->st.end_offset = at;
	r->fatal = true;
}

/* The schema a record-bearing block is read with. */
static int need_schema(struct kcap_reader *r, const struct kcap_block *b)
{
	if (r->schema)
		return 0;
	/* a lost SCHEMA is survivable if we know that schema */
	if (r->info.schema_hash != r->builtin->hash) {
		end_of_file(r, KCAP_END_ERROR, b->offset);
		return fail(
			r, -EBADMSG,
			"block %u at offset %llu: no usable SCHEMA block before it, and the file's schema is not this reader's",
			b->seq, (unsigned long long)b->offset);
	}
	if (set_schema(r, r->builtin))
		return fail(r, -ENOMEM, "out of memory");
	return 0;
}

static int handle_payload(struct kcap_reader *r, const uint8_t *raw)
{
	struct kcap_block *b = &r->blk;
	const char *why = NULL;
	int err;

	switch (b->type) {
	case KCAP_BLOCK_SCHEMA: {
		struct kcap_schema *s;

		if (r->file_schema) {
			if (kcap_hash64(raw, b->raw_len) !=
			    r->file_schema->hash)
				return fail(
					r, -EBADMSG,
					"block %u at offset %llu: a second, different SCHEMA block",
					b->seq, (unsigned long long)b->offset);
			return 0;
		}
		if (kcap_hash64(raw, b->raw_len) != r->info.schema_hash)
			return fail(
				r, -EBADMSG,
				"SCHEMA block %u at offset %llu does not match the header's schema hash",
				b->seq, (unsigned long long)b->offset);
		err = kcap_schema__parse(raw, b->raw_len, &s, &why);
		if (err)
			return fail(
				r, err,
				"SCHEMA block %u at offset %llu is invalid: %s",
				b->seq, (unsigned long long)b->offset, why);
		r->file_schema = s;
		return set_schema(r, s);
	}
	case KCAP_BLOCK_MACHINE:
	case KCAP_BLOCK_SNAPSHOT:
	case KCAP_BLOCK_EVENTS:
	case KCAP_BLOCK_LOSS:
		err = need_schema(r, b);
		if (err)
			return err;
		if (b->type == KCAP_BLOCK_MACHINE && b->count != 1)
			return fail(
				r, -EBADMSG,
				"corrupt block %u at offset %llu: a MACHINE block holds %u records",
				b->seq, (unsigned long long)b->offset,
				b->count);
		if (r->lazy && b->type == KCAP_BLOCK_EVENTS) {
			r->unchecked = true;
			r->nchecked = 0;
			return 0;
		}
		return validate_records(r, raw, b->raw_len, b->count);
	case KCAP_BLOCK_INDEX:
		if ((uint64_t)b->count * KCAP_INDEX_ENTRY != b->raw_len)
			return fail(
				r, -EBADMSG,
				"corrupt INDEX block %u at offset %llu: %u entries in %u bytes",
				b->seq, (unsigned long long)b->offset, b->count,
				b->raw_len);
		return 0;
	case KCAP_BLOCK_FOOTER:
		if (b->raw_len != KCAP_FOOTER_PAYLOAD)
			return fail(r, -EBADMSG,
				    "corrupt FOOTER block %u at offset %llu",
				    b->seq, (unsigned long long)b->offset);
		return 0;
	}
	return 0;
}

/*
 * A block skipped whole as corrupt, its header whole: its records, if it
 * held events, are counted as lost with it.
 */
static void skip_block(struct kcap_reader *r, const struct kcap_block *b)
{
	r->st.corrupt_blocks++;
	if (b->type == KCAP_BLOCK_EVENTS)
		r->st.corrupt_records += b->count;
}

int kcap_reader__next_block(struct kcap_reader *r, struct kcap_block *out)
{
	uint8_t h[KCAP_BLOCK_HDR_SIZE];
	struct kcap_block *b = &r->blk;
	uint64_t start, total;
	size_t rest;
	const uint8_t *stored, *trailer;
	ssize_t n;
	long dn;
	int err;

	r->rec_p = r->rec_end = NULL;
	r->unchecked = false;
	if (r->resync && !resync(r))
		end_of_file(r, KCAP_END_TRUNCATED, r->pos);
	if (r->fatal)
		return 0;
	start = r->pos;
	n = input_read(r, h, sizeof(h));
	if (n < 0) {
		end_of_file(r, KCAP_END_ERROR, start);
		return fail(r, (int)n, "read error at offset %llu: %s",
			    (unsigned long long)start, strerror((int)-n));
	}
	if (n == 0) {
		end_of_file(r,
			    r->footer_seen ? KCAP_END_COMPLETE :
					     KCAP_END_NO_FOOTER,
			    start);
		return 0;
	}
	if (n < (ssize_t)sizeof(h)) {
		end_of_file(r, KCAP_END_TRUNCATED, start);
		return 0;
	}
	if (kcap_le32(h) != KCAP_BLOCK_MAGIC ||
	    kcap_le32(h + 44) != kcap_cksum32(h, 44)) {
		r->pos = start + 8;
		r->resync = true;
		r->st.corrupt_blocks++;
		return fail(
			r, -EBADMSG,
			"corrupt block header at offset %llu (after block %lld): %s",
			(unsigned long long)start, (long long)r->st.last_seq,
			kcap_le32(h) != KCAP_BLOCK_MAGIC ?
				"bad magic" :
				"header checksum mismatch");
	}
	memset(b, 0, sizeof(*b));
	b->offset = start;
	b->type = kcap_le16(h + 4);
	b->codec = h[6];
	b->flags = h[7];
	b->stored_len = kcap_le32(h + 8);
	b->raw_len = kcap_le32(h + 12);
	b->count = kcap_le32(h + 16);
	b->seq = kcap_le32(h + 20);
	b->first_ts = kcap_le64(h + 24);
	b->last_ts = kcap_le64(h + 32);
	if (b->stored_len > KCAP_BLOCK_MAX || b->raw_len > KCAP_BLOCK_MAX) {
		/* checksummed, so written this way: we cannot size it */
		end_of_file(r, KCAP_END_ERROR, start);
		return fail(
			r, -E2BIG,
			"block %u at offset %llu: stored %u / raw %u bytes exceed the 64 MiB limit",
			b->seq, (unsigned long long)start, b->stored_len,
			b->raw_len);
	}
	rest = ALIGN8((size_t)b->stored_len) + KCAP_BLOCK_TRAILER_SIZE;
	total = KCAP_BLOCK_HDR_SIZE + (uint64_t)rest;
	if (r->mem) {
		if (r->mem_len - r->pos < rest) {
			end_of_file(r, KCAP_END_TRUNCATED, start);
			return 0;
		}
		stored = r->mem + r->pos;
	} else if (r->src && r->src_len - r->src_off >= rest) {
		/* borrowed like the block itself: until the next block */
		stored = r->src_p + r->src_off;
		r->src_off += rest;
	} else {
		if (grow(&r->stored, &r->stored_cap, rest))
			return fail(r, -ENOMEM, "out of memory");
		n = input_read(r, r->stored, rest);
		if (n < 0) {
			end_of_file(r, KCAP_END_ERROR, start);
			return fail(r, (int)n, "read error at offset %llu: %s",
				    (unsigned long long)r->pos,
				    strerror((int)-n));
		}
		if ((size_t)n < rest) {
			end_of_file(r, KCAP_END_TRUNCATED, start);
			return 0;
		}
		stored = r->stored;
	}
	r->pos = start + total;
	trailer = stored + ALIGN8((size_t)b->stored_len);
	b->stored = stored;

	if (r->seen_block && b->seq < r->expect_seq) {
		/* in u32, seq - expect_seq made it 4294967295 missing */
		r->st.misordered_blocks++;
		fail(r, -EBADMSG,
		     "block %u at offset %llu comes after block %u: out of order (a block repeated, or captures joined)",
		     b->seq, (unsigned long long)start, r->expect_seq - 1);
	} else if (r->seen_block && b->seq > r->expect_seq &&
		   b->seq > r->seq_end) {
		/* after a repeat, the blocks up to seq_end were read once */
		uint32_t from = r->expect_seq > r->seq_end ? r->expect_seq :
							     r->seq_end;

		r->st.missing_blocks += b->seq - from;
		fail(r, -EBADMSG,
		     "block %u at offset %llu follows block %u: %u blocks are missing",
		     b->seq, (unsigned long long)start, from - 1,
		     b->seq - from);
	}
	r->seen_block = true;
	r->expect_seq = b->seq + 1;
	if (r->expect_seq > r->seq_end)
		r->seq_end = r->expect_seq;
	r->footer_seen = false;
	r->st.last_seq = b->seq;
	r->st.last_offset = start;
	r->st.bytes_read = r->pos;

	for (const uint8_t *p = stored + b->stored_len; p < trailer; p++)
		if (*p)
			goto corrupt_pad;
	if (kcap_le32(trailer) != total ||
	    kcap_le32(trailer + 4) != KCAP_TRAILER_MAGIC) {
		skip_block(r, b);
		return fail(
			r, -EBADMSG,
			"corrupt block %u at offset %llu: trailer does not repeat the block length %llu",
			b->seq, (unsigned long long)start,
			(unsigned long long)total);
	}
	if (kcap_le32(h + 40) != kcap_cksum32(stored, b->stored_len)) {
		skip_block(r, b);
		return fail(
			r, -EBADMSG,
			"corrupt block %u at offset %llu: payload checksum mismatch",
			b->seq, (unsigned long long)start);
	}
	if (b->type == KCAP_BLOCK_FOOTER && b->raw_len == KCAP_FOOTER_PAYLOAD)
		r->footer_seen = true;
	if (!kcap_codec_name(b->codec)) {
		skip_block(r, b);
		return fail(
			r, -EPROTONOSUPPORT,
			"block %u at offset %llu uses codec %u, which this reader does not know",
			b->seq, (unsigned long long)start, b->codec);
	}
	if (b->type < 32 && (r->skip_types & (1u << b->type))) {
		*out = *b;
		return 1;
	}
	if (!kcap_block_type_name(b->type)) {
		if (b->flags & KCAP_BLOCK_FLAG_CRITICAL) {
			end_of_file(r, KCAP_END_ERROR, start);
			return fail(
				r, -EPROTONOSUPPORT,
				"block %u at offset %llu has type %u, which this reader does not know and must not skip",
				b->seq, (unsigned long long)start, b->type);
		}
		*out = *b;
		return 1;
	}

	if (b->codec == KCAP_CODEC_NONE) {
		if (b->stored_len != b->raw_len)
			goto corrupt_len;
		/* records are read in place: they must be 8-aligned */
		if (((uintptr_t)stored & 7) == 0) {
			b->data = stored;
		} else {
			if (grow(&r->raw, &r->raw_cap, b->raw_len))
				return fail(r, -ENOMEM, "out of memory");
			memcpy(r->raw, stored, b->raw_len);
			b->data = r->raw;
		}
	} else if (b->codec == KCAP_CODEC_ZSTD_COLS) {
		const char *why;

		if (b->type != KCAP_BLOCK_EVENTS) {
			skip_block(r, b);
			return fail(
				r, -EBADMSG,
				"corrupt block %u at offset %llu: codec zstd-cols on a %s block",
				b->seq, (unsigned long long)start,
				kcap_block_type_name(b->type));
		}
		err = need_schema(r, b);
		if (err) {
			skip_block(r, b);
			return err;
		}
		if (grow(&r->raw, &r->raw_cap, b->raw_len ? b->raw_len : 1))
			return fail(r, -ENOMEM, "out of memory");
		err = kcap_dctx__decompress_cols(r->dctx, r->schema, r->raw,
						 b->raw_len, stored,
						 b->stored_len, b->count, &why);
		if (err == -ENOMEM)
			return fail(r, -ENOMEM, "out of memory");
		if (err) {
			skip_block(r, b);
			return fail(r, -EBADMSG,
				    "corrupt block %u at offset %llu: %s",
				    b->seq, (unsigned long long)start, why);
		}
		b->data = r->raw;
	} else {
		if (grow(&r->raw, &r->raw_cap, b->raw_len ? b->raw_len : 1))
			return fail(r, -ENOMEM, "out of memory");
		dn = kcap_dctx__decompress(r->dctx, b->codec, r->raw,
					   b->raw_len, stored, b->stored_len);
		if (dn != (long)b->raw_len)
			goto corrupt_len;
		b->data = r->raw;
	}
	err = handle_payload(r, b->data);
	if (err) {
		b->data = NULL;
		skip_block(r, b);
		return err;
	}
	if (b->type == KCAP_BLOCK_MACHINE || b->type == KCAP_BLOCK_SNAPSHOT ||
	    b->type == KCAP_BLOCK_EVENTS || b->type == KCAP_BLOCK_LOSS) {
		r->rec_p = b->data;
		r->rec_end = b->data + b->raw_len;
	}
	*out = *b;
	return 1;

corrupt_pad:
	skip_block(r, b);
	return fail(
		r, -EBADMSG,
		"corrupt block %u at offset %llu: non-zero padding after the payload",
		b->seq, (unsigned long long)start);
corrupt_len:
	skip_block(r, b);
	return fail(
		r, -EBADMSG,
		"corrupt block %u at offset %llu: %s payload does not decode to %u bytes",
		b->seq, (unsigned long long)start, kcap_codec_name(b->codec),
		b->raw_len);
}

/*
 * next_record() checks each record of an EVENTS block just before it hands
 * it out, in the same pass: checking the whole block first meant walking a
 * 1 MiB block twice, from length to length, out of L2. A record that fails
 * ends its block: the records before it were handed out, the error is
 * returned, and the block counts as corrupt (FORMAT.md 4.4). A block whose
 * records do not add up to its count is reported once all are out.
 */
static __attribute__((noinline)) int record_refused(struct kcap_reader *r)
{
	const uint8_t *base = r->blk.data, *p = r->rec_p;
	size_t avail = (size_t)(r->rec_end - p);
	const char *why;

	if (avail < KCAP_HDR_SIZE)
		why = "payload ends inside a record header";
	else if (!kcap_record_check(r->schema, p, avail, &why))
		return 0; /* the full check has the last word */
	r->rec_p = r->rec_end;
	r->unchecked = false;
	r->st.corrupt_blocks++;
	return fail(
		r, -EBADMSG,
		"corrupt block %u at offset %llu: record %u at payload offset %zu: %s",
		r->blk.seq, (unsigned long long)r->blk.offset, r->nchecked,
		(size_t)(p - base), why);
}

static __attribute__((noinline)) int next_record_slow(struct kcap_reader *r)
{
	struct kcap_block b;
	int err;

	while (r->rec_p >= r->rec_end) {
		if (r->unchecked) {
			r->unchecked = false;
			if (r->nchecked != r->blk.count) {
				r->st.corrupt_blocks++;
				return fail(
					r, -EBADMSG,
					"corrupt block %u at offset %llu: header says %u records, payload holds %u",
					r->blk.seq,
					(unsigned long long)r->blk.offset,
					r->blk.count, r->nchecked);
			}
		}
		r->lazy = true;
		err = kcap_reader__next_block(r, &b);
		r->lazy = false;
		if (err <= 0)
			return err;
	}
	return 1;
}

int kcap_reader__next_record(struct kcap_reader *r, const struct kcap_hdr **rec)
{
	const uint8_t *p;
	int err;

	/* kept frameless for the common case: a record left in the block */
	if (__builtin_expect(r->rec_p >= r->rec_end, 0)) {
		err = next_record_slow(r);
		if (err <= 0)
			return err;
	}
	p = r->rec_p;
	if (r->unchecked) {
		size_t avail = (size_t)(r->rec_end - p);

		if (__builtin_expect(avail < KCAP_HDR_SIZE ||
					     !record_ok(r->schema, r->check,
							r->check_limit, p,
							kcap_le16(p + 2),
							avail),
				     0)) {
			err = record_refused(r);
			if (err)
				return err;
		}
		r->nchecked++;
	}
	r->rec_p += kcap_le16(p + 2);
	if (r->upgrade && r->upgrade[kcap_le16(p)])
		p = upgrade_record(r, p);
	*rec = (const struct kcap_hdr *)p;
	return 1;
}

/* ---- seeking ---------------------------------------------------------------- */

static int read_at(struct kcap_reader *r, uint64_t off, void *dst, size_t n)
{
	ssize_t k;

	if (r->mem) {
		if (off > r->mem_len || r->mem_len - off < n)
			return -ENODATA;
		memcpy(dst, r->mem + off, n);
		return 0;
	}
	k = pread(r->fd, dst, n, (off_t)(r->base + off));
	if (k < 0)
		return -errno;
	return (size_t)k == n ? 0 : -ENODATA;
}

static bool header_ok(const uint8_t *h)
{
	return kcap_le32(h) == KCAP_BLOCK_MAGIC &&
	       kcap_le32(h + 44) == kcap_cksum32(h, 44);
}

/* The INDEX block named by a valid FOOTER at the end of the file. */
static int load_index_from_footer(struct kcap_reader *r, uint64_t size)
{
	uint8_t f[KCAP_FOOTER_BLOCK_LEN], h[KCAP_BLOCK_HDR_SIZE];
	uint64_t ioff;
	uint32_t stored, raw, count, i;
	uint8_t *buf = NULL, *ent;
	long dn;
	int err = -ENODATA;

	if (size < KCAP_FOOTER_BLOCK_LEN ||
	    read_at(r, size - KCAP_FOOTER_BLOCK_LEN, f, sizeof(f)) ||
	    !header_ok(f) || kcap_le16(f + 4) != KCAP_BLOCK_FOOTER ||
	    kcap_le32(f + 8) != KCAP_FOOTER_PAYLOAD ||
	    kcap_le32(f + 40) != kcap_cksum32(f + 48, KCAP_FOOTER_PAYLOAD))
		return -ENODATA;
	ioff = kcap_le64(f + 48);
	if (ioff >= size || read_at(r, ioff, h, sizeof(h)) || !header_ok(h) ||
	    kcap_le16(h + 4) != KCAP_BLOCK_INDEX)
		return -ENODATA;
	stored = kcap_le32(h + 8);
	raw = kcap_le32(h + 12);
	count = kcap_le32(h + 16);
	if (stored > KCAP_BLOCK_MAX || raw > KCAP_BLOCK_MAX ||
	    (uint64_t)count * KCAP_INDEX_ENTRY != raw || !kcap_codec_name(h[6]))
		return -ENODATA;
	buf = malloc((size_t)stored + raw + 1);
	if (!buf)
		return -ENOMEM;
	if (read_at(r, ioff + KCAP_BLOCK_HDR_SIZE, buf, stored) ||
	    kcap_le32(h + 40) != kcap_cksum32(buf, stored))
		goto out;
	dn = kcap_dctx__decompress(r->dctx, h[6], buf + stored, raw, buf,
				   stored);
	if (dn != (long)raw)
		goto out;
	r->index = calloc(count ? count : 1, sizeof(*r->index));
	if (!r->index) {
		err = -ENOMEM;
		goto out;
	}
	for (i = 0, ent = buf + stored; i < count;
	     i++, ent += KCAP_INDEX_ENTRY) {
		r->index[i].offset = kcap_le64(ent);
		r->index[i].first_ts = kcap_le64(ent + 8);
		r->index[i].last_ts = kcap_le64(ent + 16);
		r->index[i].count = kcap_le32(ent + 24);
		r->index[i].type = kcap_le16(ent + 28);
		r->index[i].seq = i; /* the INDEX lists every block in order */
	}
	r->nindex = count;
	err = 0;
out:
	free(buf);
	return err;
}

/* No usable INDEX: rebuild it by walking block headers. */
static int rebuild_index(struct kcap_reader *r)
{
	uint8_t h[KCAP_BLOCK_HDR_SIZE];
	uint64_t off = ALIGN8((uint64_t)r->info.header_len);
	size_t cap = 0;

	while (read_at(r, off, h, sizeof(h)) == 0 && header_ok(h)) {
		uint32_t stored = kcap_le32(h + 8);

		if (stored > KCAP_BLOCK_MAX)
			break;
		if (r->nindex == cap) {
			struct index_entry *p;

			cap = cap ? cap * 2 : 256;
			p = realloc(r->index, cap * sizeof(*p));
			if (!p)
				return -ENOMEM;
			r->index = p;
		}
		r->index[r->nindex].offset = off;
		r->index[r->nindex].type = kcap_le16(h + 4);
		r->index[r->nindex].count = kcap_le32(h + 16);
		r->index[r->nindex].first_ts = kcap_le64(h + 24);
		r->index[r->nindex].last_ts = kcap_le64(h + 32);
		r->index[r->nindex].seq = kcap_le32(h + 20);
		r->nindex++;
		off += KCAP_BLOCK_HDR_SIZE + ALIGN8((uint64_t)stored) +
		       KCAP_BLOCK_TRAILER_SIZE;
	}
	return 0;
}

static int load_index(struct kcap_reader *r)
{
	struct stat sb;
	uint64_t size;
	int err;

	if (r->index)
		return 0;
	if (r->mem) {
		size = r->mem_len;
	} else {
		if (fstat(r->fd, &sb) || !S_ISREG(sb.st_mode))
			return -ESPIPE;
		size = (uint64_t)sb.st_size - r->base;
	}
	err = load_index_from_footer(r, size);
	if (err == -ENODATA)
		err = rebuild_index(r);
	return err;
}

static void restart_at(struct kcap_reader *r, uint64_t off, uint32_t seq)
{
	r->rec_p = r->rec_end = NULL;
	r->unchecked = false;
	r->fatal = false;
	r->resync = false;
	r->footer_seen = false;
	r->seen_block = true;
	r->expect_seq = seq;
	r->seq_end = seq;
	r->st.end = KCAP_END_NONE;
	input_seek(r, off);
}

int kcap_reader__rewind(struct kcap_reader *r)
{
	if (r->src || (!r->mem && lseek(r->fd, (off_t)r->base, SEEK_SET) < 0))
		return -ESPIPE;
	restart_at(r, ALIGN8((uint64_t)r->info.header_len), 0);
	r->seen_block = false;
	return 0;
}

int kcap_reader__resume(struct kcap_reader *r)
{
	uint64_t at = r->st.end_offset;

	if (r->st.end != KCAP_END_NO_FOOTER && r->st.end != KCAP_END_TRUNCATED)
		return -EINVAL;
	if (r->src)
		return -ESPIPE;
	if (!r->mem && lseek(r->fd, (off_t)(r->base + at), SEEK_SET) < 0)
		return -errno;
	r->pos = at;
	r->fatal = false;
	r->st.end = KCAP_END_NONE;
	return 0;
}

int kcap_reader__seek_ts(struct kcap_reader *r, uint64_t ts)
{
	size_t i;
	int err;

	if (r->src || (!r->mem && lseek(r->fd, 0, SEEK_CUR) < 0))
		return -ESPIPE;
	err = load_index(r);
	if (err)
		return err;
	/*
	 * The schema must be known before records are handed out: if the
	 * SCHEMA block was not read yet, read it now. One that is damaged is
	 * counted as such, as a read from the start counts it; the blocks
	 * after it then decode with this reader's schema where the header's
	 * hash names it, and are reported damaged where it does not.
	 */
	if (!r->schema) {
		struct kcap_block b;

		kcap_reader__rewind(r);
		err = kcap_reader__next_block(r, &b);
		if (err < 0 && r->fatal)
			return err;
	}
	for (i = 0; i < r->nindex; i++)
		if (r->index[i].type == KCAP_BLOCK_EVENTS &&
		    r->index[i].last_ts >= ts)
			break;
	if (i == r->nindex) {
		/* nothing at or after ts: go to the end */
		if (!r->nindex)
			return kcap_reader__rewind(r);
		restart_at(r, r->index[r->nindex - 1].offset,
			   r->index[r->nindex - 1].seq);
		/* read past the last indexed block */
		for (;;) {
			struct kcap_block b;

			err = kcap_reader__next_block(r, &b);
			if (err == 0)
				break;
			if (err < 0 && r->fatal)
				return err;
			r->rec_p = r->rec_end = NULL;
		}
		return 0;
	}
	restart_at(r, r->index[i].offset, r->index[i].seq);
	return 0;
}

int kcap_reader__seek_snapshot(struct kcap_reader *r, uint64_t ts,
			       uint64_t *events_offset)
{
	size_t i, snap = SIZE_MAX;
	int err;

	err = kcap_reader__seek_ts(r, ts);
	if (err)
		return err;
	for (i = 0; i < r->nindex; i++) {
		if (r->index[i].type == KCAP_BLOCK_SNAPSHOT)
			snap = i;
		if (r->index[i].type == KCAP_BLOCK_EVENTS &&
		    r->index[i].last_ts >= ts)
			break;
	}
	/*
	 * Nothing at or after ts: the last snapshot still tells a reader that
	 * follows a growing file the state it goes on from.
	 */
	*events_offset = i == r->nindex ? UINT64_MAX : r->index[i].offset;
	/*
	 * A snapshot cut into blocks starts at the first of them (the index
	 * has no flags: the reader of the blocks tells a CONTINUED one).
	 */
	while (snap != SIZE_MAX && snap > 0 &&
	       r->index[snap - 1].type == KCAP_BLOCK_SNAPSHOT &&
	       r->index[snap - 1].seq + 1 == r->index[snap].seq)
		snap--;
	if (snap != SIZE_MAX)
		restart_at(r, r->index[snap].offset, r->index[snap].seq);
	return 0;
}
