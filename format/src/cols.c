// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The column layout of an EVENTS payload (FORMAT.md 5.1, codec zstd-cols).
 *
 * A general-purpose compressor sees a record stream as rows: each record
 * repeats its neighbours only in part, so zstd spends most of its output
 * on short matches at varying distances. Laid out by column, in the order
 * of each thread's records, the same values become long runs: a thread
 * repeats its cycle of calls, fds and sizes, timestamps become small
 * deltas, thread ids a byte, and values of one length sit together. The
 * layout is exact for canonical records (var values packed in field order
 * after the fixed part, padding zero), which kcap's writers produce; the
 * codec checks that by decoding what it made, and the writer stores the
 * block as plain zstd when the check fails.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define COLS_HDR 32
#define COLS_VERSION 1
#define MAXF 255 /* fields an event type can have (FORMAT.md 8) */

/* How one event type is laid out in columns, from the schema. */
struct plan {
	uint16_t nfix, nvar;
	int16_t buf; /* var[] index of the I/O data, or -1 */
	int16_t res; /* fix[] index of the result, predicted from buf's length */
	int16_t sz; /* fix[] index of "size", predicted from the result */
	uint16_t size;
	struct {
		uint16_t off;
		uint8_t size;
	} fix[MAXF];
	uint16_t var[MAXF]; /* descriptor offsets */
};

/* Per type present in the block being encoded or decoded. */
struct tstate {
	uint32_t m; /* its records */
	uint32_t k; /* rank of the next one, walking in thread order */
	const struct plan *pl;
	uint8_t w[MAXF]; /* each column's width: vars' lengths, then fix */
	uint8_t *col[MAXF];
	uint64_t *stage[MAXF]; /* encode: each column's values, 8 bytes */
	uint8_t *bytes[MAXF]; /* each var's values, back to back */
	uint32_t *ord[MAXF]; /* ranks in the order of their values' bytes */
	uint32_t first; /* where its records are in kcap_cols.byrank */
	uint64_t tot[MAXF];
};

struct kcap_cols {
	const struct kcap_schema *schema;
	struct plan *plans[KCAP_EV_LIMIT];
	struct tstate *ts[KCAP_EV_LIMIT];
	uint16_t present[KCAP_EV_LIMIT];
	unsigned int npresent;
	uint32_t cap; /* records the arrays below hold */
	uint32_t *tidx, *order, *off, *cnt, *perm, *tmp, *tids, *rank;
	uint32_t *byrank; /* per type present, its records by rank */
	uint64_t *tsv;
	uint16_t *type;
	uint32_t *posbuf;
	size_t poscap;
	uint64_t *stagebuf;
	size_t stagecap;
	size_t parts[KCAP_COLS_PARTS];
	/* tid -> index, open addressing; gen marks this block's entries */
	uint32_t *htid, *hidx, *hgen, hcap, gen;
};

size_t kcap_cols__bound(size_t raw_len)
{
	/*
	 * Under kcap's schema a record's columns take at most 6 bytes more
	 * than the record: 18 of thread, time and type for its 16 of header,
	 * its fields no wider than they are but for a u32 size predicted from
	 * an s64 result (4 more). Add a width byte per field of each type
	 * present, fewer than the fixed part of one of its records: at most
	 * 2 x raw_len. An encoding that does not fit is stored as plain zstd.
	 */
	return 2 * raw_len + COLS_HDR + 4096;
}

const size_t *kcap_cols__parts(const struct kcap_cols *c)
{
	return c->parts;
}

static void plans_reset(struct kcap_cols *c)
{
	unsigned int i;

	for (i = 0; i < KCAP_EV_LIMIT; i++) {
		free(c->plans[i]);
		c->plans[i] = NULL;
	}
}

struct kcap_cols *kcap_cols__new(void)
{
	return calloc(1, sizeof(struct kcap_cols));
}

static void arrays_free(struct kcap_cols *c)
{
	free(c->tidx);
	free(c->order);
	free(c->off);
	free(c->cnt);
	free(c->perm);
	free(c->tmp);
	free(c->rank);
	free(c->byrank);
	free(c->tsv);
	free(c->type);
}

static void enc_arrays_free(struct kcap_cols *c)
{
	free(c->tids);
	free(c->htid);
	free(c->hidx);
	free(c->hgen);
}

void kcap_cols__free(struct kcap_cols *c)
{
	unsigned int i;

	if (!c)
		return;
	plans_reset(c);
	for (i = 0; i < KCAP_EV_LIMIT; i++)
		free(c->ts[i]);
	arrays_free(c);
	enc_arrays_free(c);
	free(c->posbuf);
	free(c->stagebuf);
	free(c);
}

static uint32_t pow2_at_least(uint32_t n)
{
	uint32_t cap = 1024;

	while (cap < n)
		cap *= 2;
	return cap;
}

/* Per-record arrays for n records, encoding or decoding. */
static int reserve(struct kcap_cols *c, uint32_t n)
{
	uint32_t cap = pow2_at_least(n);

	if (n <= c->cap)
		return 0;
	arrays_free(c);
	c->cap = 0;
	c->tidx = malloc(cap * sizeof(uint32_t));
	c->order = malloc(cap * sizeof(uint32_t));
	c->off = malloc(cap * sizeof(uint32_t));
	c->cnt = malloc((cap + 1) * sizeof(uint32_t));
	c->perm = malloc(cap * sizeof(uint32_t));
	c->tmp = malloc(cap * sizeof(uint32_t));
	c->rank = malloc(cap * sizeof(uint32_t));
	c->byrank = malloc(cap * sizeof(uint32_t));
	c->tsv = malloc(cap * sizeof(uint64_t));
	c->type = malloc(cap * sizeof(uint16_t));
	if (!c->tidx || !c->order || !c->off || !c->cnt || !c->perm ||
	    !c->tmp || !c->rank || !c->byrank || !c->tsv || !c->type)
		return -ENOMEM;
	c->cap = cap;
	return 0;
}

/* The encoder's thread table, for n records. */
static int reserve_enc(struct kcap_cols *c, uint32_t n)
{
	uint32_t cap = pow2_at_least(n);

	if (2 * cap <= c->hcap)
		return 0;
	enc_arrays_free(c);
	c->hcap = 0;
	c->gen = 0;
	c->tids = malloc(cap * sizeof(uint32_t));
	c->htid = malloc(2 * cap * sizeof(uint32_t));
	c->hidx = malloc(2 * cap * sizeof(uint32_t));
	c->hgen = calloc(2 * cap, sizeof(uint32_t));
	if (!c->tids || !c->htid || !c->hidx || !c->hgen)
		return -ENOMEM;
	c->hcap = 2 * cap;
	return 0;
}

/*
 * The plan of type id under c->schema; NULL with *err -EBADMSG if the
 * schema does not describe it, -ENOMEM without memory.
 */
static const struct plan *plan_of(struct kcap_cols *c, unsigned int id,
				  int *err)
{
	const struct kcap_event_desc *d;
	struct plan *p;
	unsigned int i;
	int sz = -1;

	*err = -EBADMSG;
	if (id >= KCAP_EV_LIMIT)
		return NULL;
	if (c->plans[id])
		return c->plans[id];
	d = kcap_schema__event(c->schema, id);
	if (!d || d->size < KCAP_HDR_SIZE) /* nfields, a u8, fits MAXF */
		return NULL;
	p = calloc(1, sizeof(*p));
	if (!p) {
		*err = -ENOMEM;
		return NULL;
	}
	p->size = d->size;
	p->buf = p->res = p->sz = -1;
	for (i = 0; i < d->nfields; i++) {
		const struct kcap_field_desc *f = &d->fields[i];

		if (f->type == KCAP_T_var) {
			if (f->fmt == KCAP_FMT_BUF && p->buf < 0)
				p->buf = (int16_t)p->nvar;
			p->var[p->nvar++] = f->offset;
			continue;
		}
		if (f->fmt == KCAP_FMT_RES && p->res < 0)
			p->res = (int16_t)p->nfix;
		else if (!strcmp(f->name, "size") && sz < 0)
			sz = p->nfix;
		p->fix[p->nfix].off = f->offset;
		p->fix[p->nfix++].size = f->size;
	}
	/*
	 * The predictions hold for I/O calls (a result near the bytes kept,
	 * a size near the result): only with both a BUF value and a result.
	 */
	if (p->buf < 0)
		p->res = -1;
	if (p->res >= 0)
		p->sz = (int16_t)sz;
	c->plans[id] = p;
	return p;
}

/* Fixed-size loads and stores: a memcpy of a variable size is a call. */
static inline uint64_t get_le(const uint8_t *p, unsigned int n)
{
	switch (n) {
	case 1:
		return *p;
	case 2:
		return kcap_le16(p);
	case 4:
		return kcap_le32(p);
	case 8:
		return kcap_le64(p);
	}
	return 0;
}

static inline void put_le(uint8_t *p, uint64_t v, unsigned int n)
{
	switch (n) {
	case 1:
		*p = (uint8_t)v;
		break;
	case 2:
		kcap_put16(p, (uint16_t)v);
		break;
	case 4:
		kcap_put32(p, (uint32_t)v);
		break;
	case 8:
		kcap_put64(p, v);
		break;
	}
}

static inline uint64_t get_w(const uint8_t *col, uint32_t i, unsigned int w)
{
	return w ? get_le(col + (size_t)i * w, w) : 0;
}

static inline uint64_t sext(uint64_t v, unsigned int size)
{
	unsigned int sh = 64 - 8 * size;

	return sh ? (uint64_t)((int64_t)(v << sh) >> sh) : v;
}

static inline uint64_t zigzag(uint64_t v)
{
	return v << 1 ^ (0 - (v >> 63));
}

static inline uint64_t unzigzag(uint64_t z)
{
	return z >> 1 ^ (0 - (z & 1));
}

static uint8_t width_of(uint64_t max)
{
	return !max		  ? 0 :
	       max <= 0xff	  ? 1 :
	       max <= 0xffff	  ? 2 :
	       max <= 0xffffffffu ? 4 :
				    8;
}

static bool width_ok(unsigned int w)
{
	return w == 0 || w == 1 || w == 2 || w == 4 || w == 8;
}

/* A var's column value: its length + 1, 0 when absent. */
static inline uint32_t var_code(const uint8_t *rec, uint16_t doff)
{
	uint32_t off = kcap_le16(rec + doff), len = kcap_le16(rec + doff + 2);

	return off || len ? len + 1 : 0;
}

static inline uint64_t field(const struct plan *pl, unsigned int f,
			     const uint8_t *rec)
{
	return sext(get_le(rec + pl->fix[f].off, pl->fix[f].size),
		    pl->fix[f].size);
}

/* The value column f of rec holds: the field less its prediction. */
static inline uint64_t fix_code(const struct plan *pl, unsigned int f,
				const uint8_t *rec)
{
	uint64_t v = field(pl, f, rec);

	if ((int)f == pl->res)
		v -= kcap_le16(rec + pl->var[pl->buf] + 2);
	else if ((int)f == pl->sz)
		v -= field(pl, (unsigned int)pl->res, rec);
	return zigzag(v);
}

/*
 * The order of m values in their var's bytes: by length, then by rank (a
 * stable radix sort on the 16-bit length). ord gets the ranks in that
 * order, *total the bytes of all. -EBADMSG if a code is not a length.
 */
static int place(struct kcap_cols *c, const uint8_t *col, unsigned int w,
		 uint32_t m, uint32_t *ord, uint64_t *total)
{
	uint32_t cnt[256], i, *a = c->perm, *b = c->tmp, *x, *len = ord;
	uint32_t maxl = 0;
	unsigned int pass;
	uint64_t acc = 0;

	/* ord holds the lengths until the sort is done with them */
	for (i = 0; i < m; i++) {
		uint64_t v = get_w(col, i, w);

		if (v > 0x10000)
			return -EBADMSG;
		len[i] = v ? (uint32_t)v - 1 : 0;
		if (len[i] > maxl)
			maxl = len[i];
		acc += len[i];
		a[i] = i;
	}
	for (pass = 0; pass < (maxl > 0xff ? 2u : 1u); pass++) {
		uint32_t sum = 0;

		memset(cnt, 0, sizeof(cnt));
		for (i = 0; i < m; i++)
			cnt[len[a[i]] >> (8 * pass) & 0xff]++;
		for (i = 0; i < 256; i++) {
			uint32_t n = cnt[i];

			cnt[i] = sum;
			sum += n;
		}
		for (i = 0; i < m; i++)
			b[cnt[len[a[i]] >> (8 * pass) & 0xff]++] = a[i];
		x = a;
		a = b;
		b = x;
	}
	memcpy(ord, a, m * sizeof(uint32_t));
	*total = acc;
	return 0;
}

/*
 * Room for one array of m values per column of each type present (the
 * var columns only, or all of them), in *buf.
 */
static void *carve(struct kcap_cols *c, bool all, void **buf, size_t *cap,
		   size_t elem)
{
	size_t need = 0;
	unsigned int i;

	for (i = 0; i < c->npresent; i++) {
		struct tstate *st = c->ts[c->present[i]];

		need += (size_t)st->m *
			(st->pl->nvar + (all ? st->pl->nfix : 0u));
	}
	if (need > *cap || !*buf) {
		free(*buf);
		*buf = malloc((need ? need : 1) * elem);
		*cap = *buf ? need : 0;
	}
	return *buf;
}

/* Room for the byte orders of every var of the types present. */
static int pos_reserve(struct kcap_cols *c)
{
	uint32_t *p = carve(c, false, (void **)&c->posbuf, &c->poscap,
			    sizeof(uint32_t));
	unsigned int i, f;

	if (!p)
		return -ENOMEM;
	for (i = 0; i < c->npresent; i++) {
		struct tstate *st = c->ts[c->present[i]];

		for (f = 0; f < st->pl->nvar; f++, p += st->m)
			st->ord[f] = p;
	}
	return 0;
}

/* Room for the encoder's 8-byte column values of the types present. */
static int stage_reserve(struct kcap_cols *c)
{
	uint64_t *p = carve(c, true, (void **)&c->stagebuf, &c->stagecap,
			    sizeof(uint64_t));
	unsigned int i, f;

	if (!p)
		return -ENOMEM;
	for (i = 0; i < c->npresent; i++) {
		struct tstate *st = c->ts[c->present[i]];

		for (f = 0; f < (unsigned int)st->pl->nvar + st->pl->nfix;
		     f++, p += st->m)
			st->stage[f] = p;
	}
	return 0;
}

static uint32_t count_zero(const uint64_t *v, uint32_t m)
{
	uint32_t i, z = 0;

	for (i = 0; i < m; i++)
		z += !v[i];
	return z;
}

/* Forget the last block's types; s is the schema of the next. */
static void begin(struct kcap_cols *c, const struct kcap_schema *s)
{
	unsigned int i;

	if (c->schema != s) {
		plans_reset(c);
		c->schema = s;
	}
	for (i = 0; i < c->npresent; i++)
		c->ts[c->present[i]]->m = 0;
	c->npresent = 0;
}

/* Count one record of type t; its state, or NULL without memory. */
static struct tstate *count_type(struct kcap_cols *c, unsigned int t,
				 const struct plan *pl)
{
	struct tstate *st = c->ts[t];

	if (!st) {
		st = c->ts[t] = calloc(1, sizeof(*st));
		if (!st)
			return NULL;
	}
	if (!st->m++) {
		c->present[c->npresent++] = (uint16_t)t;
		st->pl = pl;
	}
	return st;
}

/* Types present by ascending id, the order of their sections. */
static void sort_present(struct kcap_cols *c)
{
	unsigned int i, j;

	for (i = 1; i < c->npresent; i++)
		for (j = i; j && c->present[j - 1] > c->present[j]; j--) {
			uint16_t x = c->present[j];

			c->present[j] = c->present[j - 1];
			c->present[j - 1] = x;
		}
}

/*
 * Thread order: records sorted stably by thread index (cnt: per thread).
 * Walking records in that order misses the cache at every step, so the
 * passes over records go in record order, each record's column values at
 * its rank among its type's records in thread order.
 */
static void thread_order(struct kcap_cols *c, uint32_t n, uint32_t k)
{
	uint32_t i, sum = 0;

	for (i = 0; i < k; i++) {
		uint32_t m = c->cnt[i];

		c->cnt[i] = sum;
		sum += m;
	}
	for (i = 0; i < n; i++)
		c->order[c->cnt[c->tidx[i]]++] = i;
}

/* Each record's rank among its type's records in thread order. */
static void ranks(struct kcap_cols *c, uint32_t n)
{
	uint32_t j, first = 0;

	for (j = 0; j < c->npresent; j++) {
		struct tstate *st = c->ts[c->present[j]];

		st->k = 0;
		st->first = first;
		first += st->m;
	}
	for (j = 0; j < n; j++) {
		uint32_t x = c->order[j];
		struct tstate *st = c->ts[c->type[x]];

		c->rank[x] = st->k;
		c->byrank[st->first + st->k++] = x;
	}
}

/*
 * Encode: count records [src, src + len) into dst. -EINVAL when a record
 * cannot be laid out in columns, -ENOSPC when dst is too small. The ends
 * of the layout's parts are then in kcap_cols__parts().
 */
long kcap_cols__encode(struct kcap_cols *c, const struct kcap_schema *s,
		       const uint8_t *src, size_t len, uint32_t count,
		       uint8_t *dst, size_t cap)
{
	uint32_t n = 0, k = 0, i, j;
	size_t off = 0;
	uint64_t prev = 0, dmin = 0, emax = 0, need;
	uint8_t *o, tid_w, ts_w;
	int err;

	begin(c, s);
	if (reserve(c, count ? count : 1) || reserve_enc(c, count ? count : 1))
		return -ENOMEM;
	if (++c->gen == 0) {
		memset(c->hgen, 0, c->hcap * sizeof(uint32_t));
		c->gen = 1;
	}

	/* pass 1, record order: checks, thread indexes, time deltas, types */
	while (off < len) {
		const uint8_t *r = src + off;
		const struct plan *pl;
		uint32_t t, tid, h, rl;
		uint64_t ts;

		if (len - off < KCAP_HDR_SIZE || n >= count)
			return -EINVAL;
		t = kcap_le16(r);
		rl = kcap_le16(r + 2);
		pl = plan_of(c, t, &err);
		if (!pl)
			return err == -ENOMEM ? -ENOMEM : -EINVAL;
		if (rl < pl->size || rl > len - off || rl & 7)
			return -EINVAL;
		for (i = 0; i < pl->nvar; i++) {
			uint32_t d = kcap_le16(r + pl->var[i]),
				 l = kcap_le16(r + pl->var[i] + 2);

			if ((d || l) && (d < pl->size || d + l > rl))
				return -EINVAL;
		}
		tid = kcap_le32(r + 4);
		ts = kcap_le64(r + 8);
		for (h = (tid * 0x9e3779b1u) & (c->hcap - 1);
		     c->hgen[h] == c->gen && c->htid[h] != tid;
		     h = (h + 1) & (c->hcap - 1))
			;
		if (c->hgen[h] != c->gen) {
			c->hgen[h] = c->gen;
			c->htid[h] = tid;
			c->hidx[h] = k;
			c->tids[k] = tid;
			c->cnt[k++] = 0;
		}
		c->tidx[n] = c->hidx[h];
		c->cnt[c->tidx[n]]++;
		c->type[n] = (uint16_t)t;
		c->off[n] = (uint32_t)off;
		c->tsv[n] = ts - prev;
		if (n == 1 || (n > 1 && (int64_t)c->tsv[n] < (int64_t)dmin))
			dmin = c->tsv[n];
		prev = ts;
		if (!count_type(c, t, pl))
			return -ENOMEM;
		n++;
		off += rl;
	}
	if (n != count)
		return -EINVAL;
	for (i = 1; i < n; i++)
		if (c->tsv[i] - dmin > emax)
			emax = c->tsv[i] - dmin;
	tid_w = k <= 0x100 ? 1 : k <= 0x10000 ? 2 : 4;
	ts_w = width_of(emax);
	thread_order(c, n, k);
	sort_present(c);

	ranks(c, n);
	if (stage_reserve(c))
		return -ENOMEM;

	/* pass 2, record order: each column's values, at the record's rank */
	for (i = 0; i < n; i++) {
		const uint8_t *r = src + c->off[i];
		struct tstate *st = c->ts[c->type[i]];
		const struct plan *pl = st->pl;
		uint32_t rk = c->rank[i];
		unsigned int f;

		for (f = 0; f < pl->nvar; f++)
			st->stage[f][rk] = var_code(r, pl->var[f]);
		for (f = 0; f < pl->nfix; f++)
			st->stage[pl->nvar + f][rk] = fix_code(pl, f, r);
	}

	/* widths and room */
	need = COLS_HDR + 4ull * k + (uint64_t)n * tid_w +
	       (n ? (uint64_t)(n - 1) * ts_w : 0) + 2ull * n;
	for (i = 0; i < c->npresent; i++) {
		struct tstate *st = c->ts[c->present[i]];
		unsigned int f, nc = st->pl->nvar + st->pl->nfix;

		for (f = 0; f < nc; f++) {
			uint64_t mx = 0, tot = 0, *v = st->stage[f];

			for (j = 0; j < st->m; j++) {
				mx = v[j] > mx ? v[j] : mx;
				tot += v[j];
			}
			st->w[f] = width_of(mx);
			need += 1 + (uint64_t)st->m * st->w[f];
			if (f < st->pl->nvar) {
				st->tot[f] =
					tot - (st->m - count_zero(v, st->m));
				need += st->tot[f];
			}
		}
	}
	if (need > cap)
		return -ENOSPC;

	/* the parts before the columns */
	o = dst;
	kcap_put32(o, n);
	kcap_put32(o + 4, k);
	o[8] = tid_w;
	o[9] = ts_w;
	o[10] = COLS_VERSION;
	o[11] = 0;
	kcap_put32(o + 12, 0);
	kcap_put64(o + 16, n ? kcap_le64(src + 8) : 0);
	kcap_put64(o + 24, dmin);
	o += COLS_HDR;
	for (i = 0; i < k; i++, o += 4)
		kcap_put32(o, c->tids[i]);
	for (i = 0; i < n; i++, o += tid_w)
		put_le(o, c->tidx[i], tid_w);
	c->parts[0] = (size_t)(o - dst);
	for (j = 0; j < ts_w; j++)
		for (i = 1; i < n; i++)
			*o++ = (uint8_t)((c->tsv[i] - dmin) >> (8 * j));
	c->parts[1] = (size_t)(o - dst);
	for (j = 0; j < n; j++, o += 2)
		kcap_put16(o, c->type[c->order[j]]);
	c->parts[2] = (size_t)(o - dst);

	/* the columns, at their widths */
	for (i = 0; i < c->npresent; i++) {
		struct tstate *st = c->ts[c->present[i]];
		unsigned int f, nc = st->pl->nvar + st->pl->nfix;

		for (f = 0; f < nc; f++) {
			unsigned int w = st->w[f];

			*o++ = (uint8_t)w;
			st->col[f] = o;
			for (j = 0; j < st->m; j++, o += w)
				put_le(o, st->stage[f][j], w);
		}
	}
	c->parts[3] = (size_t)(o - dst);

	/* the values of var fields, each ordered by length */
	if (pos_reserve(c))
		return -ENOMEM;
	for (i = 0; i < c->npresent; i++) {
		struct tstate *st = c->ts[c->present[i]];
		unsigned int f;
		uint64_t tot;

		for (f = 0; f < st->pl->nvar; f++) {
			uint16_t doff = st->pl->var[f];

			if (place(c, st->col[f], st->w[f], st->m, st->ord[f],
				  &tot) ||
			    tot != st->tot[f])
				return -EINVAL;
			for (j = 0; j < st->m; j++) {
				const uint8_t *r =
					src + c->off[c->byrank[st->first +
							       st->ord[f][j]]];
				uint16_t l = kcap_le16(r + doff + 2);

				memcpy(o, r + kcap_le16(r + doff), l);
				o += l;
			}
		}
	}
	c->parts[4] = (size_t)(o - dst);
	return (long)(o - dst);
}

/* A bounds-checked cursor over the encoded bytes. */
struct rd {
	const uint8_t *p, *end;
};

static const uint8_t *take(struct rd *r, uint64_t n)
{
	const uint8_t *p = r->p;

	if (n > (uint64_t)(r->end - r->p))
		return NULL;
	r->p += n;
	return p;
}

/*
 * Decode: in (inlen bytes, as kcap_cols__encode() made them) back into
 * exactly raw_len bytes of count records at dst. -EBADMSG, with *why set,
 * if the bytes do not describe such records under schema s.
 */
int kcap_cols__decode(struct kcap_cols *c, const struct kcap_schema *s,
		      const uint8_t *in, size_t inlen, uint32_t count,
		      uint8_t *dst, size_t raw_len, const char **why)
{
	struct rd rd = { in, in + inlen };
	const uint8_t *h, *tids, *tix, *tsp, *typ;
	uint32_t n, k, i, j;
	uint8_t tid_w, ts_w;
	uint64_t ts, dmin, sum = 0, fixed = 0;
	int err;

	*why = "column layout is corrupt";
	begin(c, s);
	h = take(&rd, COLS_HDR);
	if (!h)
		return -EBADMSG;
	n = kcap_le32(h);
	k = kcap_le32(h + 4);
	tid_w = h[8];
	ts_w = h[9];
	if (h[10] != COLS_VERSION) {
		*why = "column layout of an unknown version";
		return -EBADMSG;
	}
	if (h[11] || kcap_le32(h + 12)) {
		*why = "column layout has reserved bytes that are not zero";
		return -EBADMSG;
	}
	if (n != count) {
		*why = "column layout holds another number of records than its block";
		return -EBADMSG;
	}
	if (k > n || (n && !k) || (tid_w != 1 && tid_w != 2 && tid_w != 4) ||
	    !width_ok(ts_w) || n > raw_len / KCAP_HDR_SIZE)
		return -EBADMSG;
	ts = kcap_le64(h + 16);
	dmin = kcap_le64(h + 24);
	tids = take(&rd, 4ull * k);
	tix = take(&rd, (uint64_t)n * tid_w);
	tsp = take(&rd, n ? (uint64_t)(n - 1) * ts_w : 0);
	typ = take(&rd, 2ull * n);
	if (!tids || !tix || !tsp || !typ)
		return -EBADMSG;
	/* memory in proportion to records whose bytes are there */
	if (reserve(c, n ? n : 1))
		return -ENOMEM;

	/* times and threads in record order, then thread order */
	memset(c->cnt, 0, (k + 1) * sizeof(uint32_t));
	for (i = 0; i < n; i++) {
		uint32_t x = (uint32_t)get_le(tix + (size_t)i * tid_w, tid_w);

		if (x >= k)
			return -EBADMSG;
		c->tidx[i] = x;
		c->cnt[x]++;
		if (i) {
			uint64_t e = 0;

			for (j = 0; j < ts_w; j++)
				e |= (uint64_t)tsp[(size_t)j * (n - 1) + i - 1]
				     << (8 * j);
			ts += dmin + e;
		}
		c->tsv[i] = ts;
	}
	thread_order(c, n, k);

	/* types, in thread order */
	for (j = 0; j < n; j++) {
		uint32_t t = kcap_le16(typ + 2 * (size_t)j);
		const struct plan *pl = plan_of(c, t, &err);

		if (!pl) {
			*why = "column layout holds a type the schema does not describe";
			return err;
		}
		c->type[c->order[j]] = (uint16_t)t;
		fixed += pl->size;
		if (!count_type(c, t, pl))
			return -ENOMEM;
	}
	/*
	 * Every record takes at least its fixed part: a layout whose records
	 * cannot fit is refused before anything is sized by their fields.
	 */
	if (fixed > raw_len) {
		*why = "column layout does not fill its block's raw length";
		return -EBADMSG;
	}
	sort_present(c);

	/* the columns; then where each var value lies */
	for (i = 0; i < c->npresent; i++) {
		struct tstate *st = c->ts[c->present[i]];
		unsigned int f;

		for (f = 0; f < (unsigned int)st->pl->nvar + st->pl->nfix;
		     f++) {
			const uint8_t *w = take(&rd, 1);

			if (!w || !width_ok(*w))
				return -EBADMSG;
			st->w[f] = *w;
			st->col[f] = (uint8_t *)take(&rd, (uint64_t)st->m * *w);
			if (!st->col[f])
				return -EBADMSG;
		}
	}
	if (pos_reserve(c))
		return -ENOMEM;
	for (i = 0; i < c->npresent; i++) {
		struct tstate *st = c->ts[c->present[i]];
		unsigned int f;
		uint64_t tot;

		for (f = 0; f < st->pl->nvar; f++) {
			if (place(c, st->col[f], st->w[f], st->m, st->ord[f],
				  &tot))
				return -EBADMSG;
			st->bytes[f] = (uint8_t *)take(&rd, tot);
			if (!st->bytes[f])
				return -EBADMSG;
		}
	}
	if (rd.p != rd.end)
		return -EBADMSG;

	/* each record's place, from its var lengths */
	ranks(c, n);
	for (i = 0; i < n; i++) {
		struct tstate *st = c->ts[c->type[i]];
		const struct plan *pl = st->pl;
		uint64_t l = pl->size;
		unsigned int f;

		for (f = 0; f < pl->nvar; f++) {
			uint64_t v = get_w(st->col[f], c->rank[i], st->w[f]);

			l += v ? v - 1 : 0;
		}
		l = ALIGN8(l);
		if (l > KCAP_REC_MAX) {
			*why = "column layout makes a record longer than 64 KiB";
			return -EBADMSG;
		}
		c->off[i] = (uint32_t)sum;
		sum += l;
		if (sum > raw_len)
			break;
	}
	if (sum != raw_len) {
		*why = "column layout does not fill its block's raw length";
		return -EBADMSG;
	}

	/* the records, in order */
	for (i = 0; i < n; i++) {
		uint8_t *r = dst + c->off[i];
		struct tstate *st = c->ts[c->type[i]];
		const struct plan *pl = st->pl;
		uint32_t l = (i + 1 < n ? c->off[i + 1] : (uint32_t)raw_len) -
			     c->off[i];
		uint32_t tail = pl->size, buflen = 0, rk = c->rank[i];
		uint64_t res = 0;
		unsigned int f;

		/*
		 * Zero what no value covers: the fixed part's gaps and absent
		 * descriptors, and the padding after the tail (its last 8
		 * bytes, written before the tail and the fields).
		 */
		memset(r + KCAP_HDR_SIZE, 0, pl->size - KCAP_HDR_SIZE);
		kcap_put64(r + l - 8, 0);
		kcap_put16(r, c->type[i]);
		kcap_put16(r + 2, (uint16_t)l);
		kcap_put32(r + 4, kcap_le32(tids + 4 * (size_t)c->tidx[i]));
		kcap_put64(r + 8, c->tsv[i]);
		for (f = 0; f < pl->nvar; f++) {
			uint32_t v = (uint32_t)get_w(st->col[f], rk, st->w[f]);

			if (!v)
				continue;
			kcap_put16(r + pl->var[f], (uint16_t)tail);
			kcap_put16(r + pl->var[f] + 2, (uint16_t)(v - 1));
			tail += v - 1;
			if ((int)f == pl->buf)
				buflen = v - 1;
		}
		/* the result as its field holds it: size is predicted by that */
		if (pl->res >= 0)
			res = sext(unzigzag(get_w(st->col[pl->nvar + pl->res],
						  rk,
						  st->w[pl->nvar + pl->res])) +
					   buflen,
				   pl->fix[pl->res].size);
		for (f = 0; f < pl->nfix; f++) {
			uint64_t v;

			if ((int)f == pl->res) {
				v = res;
			} else {
				v = unzigzag(get_w(st->col[pl->nvar + f], rk,
						   st->w[pl->nvar + f]));
				if ((int)f == pl->sz)
					v += res;
			}
			put_le(r + pl->fix[f].off, v, pl->fix[f].size);
		}
	}
	/*
	 * The var values, in the order they are stored: reading them in that
	 * order, each written into its record where its descriptor says,
	 * costs less than fetching each from elsewhere for its record.
	 */
	for (i = 0; i < c->npresent; i++) {
		struct tstate *st = c->ts[c->present[i]];
		unsigned int f;

		for (f = 0; f < st->pl->nvar; f++) {
			const uint8_t *p = st->bytes[f];
			uint16_t doff = st->pl->var[f];

			for (j = 0; j < st->m; j++) {
				uint8_t *r =
					dst + c->off[c->byrank[st->first +
							       st->ord[f][j]]];
				uint16_t l = kcap_le16(r + doff + 2);

				memcpy(r + kcap_le16(r + doff), p, l);
				p += l;
			}
		}
	}
	return 0;
}
