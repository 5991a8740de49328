// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The zstd-cols codec: EVENTS records laid out in columns (FORMAT.md 5.1). */
#include <zstd.h>

#include "internal.h"
#include "testutil.h"
#include "checkrun.h"

/* n records from the synthetic generator, back to back. */
static uint8_t *make_records(long n, bool random, uint64_t seed, size_t *len)
{
	static uint8_t rec[KCAP_REC_MAX] __attribute__((aligned(8)));
	size_t cap = 1 << 20, l = 0;
	uint8_t *all = malloc(cap);
	struct synth s;
	long i;

	synth_init(&s, seed, 1700000000000000000ull);
	for (i = 0; i < n; i++) {
		int k = random ? synth_random(&s, rec) : synth_mix(&s, rec);

		ck_assert_int_gt(k, 0);
		if (l + (size_t)k > cap) {
			cap *= 2;
			all = realloc(all, cap);
		}
		ck_assert_ptr_nonnull(all);
		memcpy(all + l, rec, (size_t)k);
		l += (size_t)k;
	}
	*len = l;
	return all;
}

/* Blocks of the file at path, by codec; EVENTS records in *events. */
static void codecs_of(const char *path, unsigned int *by_codec, long *events)
{
	struct kcap_reader *r = kcap_reader__open(path, NULL);
	const struct kcap_hdr *h;
	int k;

	ck_assert_msg(r, "%s", kcap_last_errmsg());
	*events = 0;
	while ((k = kcap_reader__next_record(r, &h)) == 1)
		if (kcap_reader__block(r)->type == KCAP_BLOCK_EVENTS)
			(*events)++;
	ck_assert_msg(k == 0, "%s", kcap_reader__errmsg(r));
	kcap_reader__close(r);
	r = kcap_reader__open(path, NULL);
	for (;;) {
		struct kcap_block b;

		k = kcap_reader__next_block(r, &b);
		ck_assert_int_ge(k, 0);
		if (!k)
			break;
		if (b.type == KCAP_BLOCK_EVENTS)
			by_codec[b.codec]++;
	}
	kcap_reader__close(r);
}

/*
 * Every EVENTS block of canonical records goes into columns, the file is
 * smaller than plain zstd's, and the records read back byte for byte (the
 * round trip itself is in test_roundtrip, for every codec).
 */
START_TEST(canonical_records_are_stored_in_columns_and_take_less_room)
{
	const char *a = tmppath("cols.kcap"), *b = tmppath("plain.kcap");
	unsigned int ca[KCAP_CODECS] = { 0 }, cb[KCAP_CODECS] = { 0 };
	size_t la, lb;
	uint8_t *fa, *fb;
	long ea, eb;

	write_capture(a, KCAP_CODEC_ZSTD_COLS, 0, 256 << 10, 60000, false, 7,
		      NULL, NULL);
	write_capture(b, KCAP_CODEC_ZSTD, 0, 256 << 10, 60000, false, 7, NULL,
		      NULL);
	codecs_of(a, ca, &ea);
	codecs_of(b, cb, &eb);
	ck_assert_int_eq(ea, 60000);
	ck_assert_int_eq(eb, 60000);
	ck_assert_uint_gt(ca[KCAP_CODEC_ZSTD_COLS], 3);
	ck_assert_uint_eq(ca[KCAP_CODEC_ZSTD], 0);
	ck_assert_uint_eq(ca[KCAP_CODEC_NONE], 0);
	fa = slurp(a, &la);
	fb = slurp(b, &lb);
	ck_assert_msg(la < lb, "columns %zu bytes, plain zstd %zu", la, lb);
	free(fa);
	free(fb);
	unlink(a);
	unlink(b);
}
END_TEST

/*
 * A block holding one record whose values are not packed in field order
 * (valid, but not what the layout rebuilds) among 2000 that are, is stored
 * as plain zstd, and reads back as it was written.
 */
START_TEST(a_block_the_columns_cannot_rebuild_is_stored_as_plain_zstd)
{
	static uint8_t rec[256] __attribute__((aligned(8)));
	const char *path = tmppath("odd.kcap");
	unsigned int by[KCAP_CODECS] = { 0 };
	struct kcap_ev_execve *e = (void *)rec;
	KCAP_OPTS(kcap_writer_opts, wo, .codec = KCAP_CODEC_ZSTD_COLS);
	struct kcap_writer *w = kcap_writer__open(path, &wo);
	struct kcap_reader *r;
	const struct kcap_hdr *h;
	struct kcap_builder bl;
	uint8_t copy[256], *recs;
	size_t len, off;
	int k, n = 0, odd = 0;
	long ev;

	ck_assert_ptr_nonnull(w);
	recs = make_records(2000, false, 9, &len);
	for (off = 0; off < len; off += kcap_le16(recs + off + 2))
		ck_assert_int_eq(kcap_writer__append(w, recs + off), 0);
	/* argv first in the tail, then the filename: both valid */
	kcap_builder__start(&bl, rec, sizeof(rec), kcap_schema__builtin(),
			    KCAP_EV_execve, 5, 1000);
	kcap_builder__var(&bl, offsetof(struct kcap_ev_execve, argv),
			  "ls\0-l\0", 6);
	kcap_builder__var(&bl, offsetof(struct kcap_ev_execve, filename),
			  "/bin/ls", 7);
	e->res = 0;
	k = kcap_builder__finish(&bl);
	ck_assert_int_gt(k, 0);
	ck_assert_uint_gt(
		kcap_le16(rec + offsetof(struct kcap_ev_execve, filename)),
		kcap_le16(rec + offsetof(struct kcap_ev_execve, argv)));
	memcpy(copy, rec, (size_t)k);
	ck_assert_int_eq(kcap_writer__append(w, rec), 0);
	ck_assert_int_eq(kcap_writer__close(w), 0);

	codecs_of(path, by, &ev);
	ck_assert_int_eq(ev, 2001);
	ck_assert_uint_eq(by[KCAP_CODEC_ZSTD_COLS], 0);
	ck_assert_uint_eq(by[KCAP_CODEC_ZSTD], 1);
	r = kcap_reader__open(path, NULL);
	off = 0;
	while (kcap_reader__next_record(r, &h) == 1) {
		if (kcap_reader__block(r)->type != KCAP_BLOCK_EVENTS)
			continue;
		if (n < 2000) {
			ck_assert_int_eq(h->len, kcap_le16(recs + off + 2));
			ck_assert(!memcmp(h, recs + off, h->len));
			off += h->len;
		} else {
			ck_assert_int_eq(h->len, k);
			ck_assert(!memcmp(h, copy, (size_t)k));
			odd++;
		}
		n++;
	}
	ck_assert_int_eq(n, 2001);
	ck_assert_int_eq(odd, 1);
	kcap_reader__close(r);
	unlink(path);
	free(recs);
}
END_TEST

/*
 * A small block (a flush under little load) is stored as plain zstd when
 * that is smaller than its five frames of columns.
 */
START_TEST(a_small_block_takes_plain_zstd_when_that_is_smaller)
{
	const char *path = tmppath("small.kcap");
	unsigned int by[KCAP_CODECS] = { 0 };
	long ev;

	write_capture(path, KCAP_CODEC_ZSTD_COLS, 0, 64 << 10, 3, false, 4,
		      NULL, NULL);
	codecs_of(path, by, &ev);
	ck_assert_int_eq(ev, 3);
	ck_assert_uint_eq(by[KCAP_CODEC_ZSTD_COLS], 0);
	ck_assert_uint_eq(by[KCAP_CODEC_ZSTD] + by[KCAP_CODEC_NONE], 1);
	unlink(path);
}
END_TEST

/*
 * A block of events with no var field at all (close) goes into columns
 * too, and reads back: nothing of the layout is sized by vars alone.
 */
START_TEST(events_without_var_fields_are_stored_in_columns)
{
	static uint8_t rec[64] __attribute__((aligned(8)));
	const char *path = tmppath("close.kcap");
	unsigned int by[KCAP_CODECS] = { 0 };
	KCAP_OPTS(kcap_writer_opts, wo, .codec = KCAP_CODEC_ZSTD_COLS);
	struct kcap_writer *w = kcap_writer__open(path, &wo);
	struct kcap_ev_close *e = (void *)rec;
	struct kcap_reader *r;
	const struct kcap_hdr *h;
	struct kcap_builder b;
	long ev, i, n = 0;

	ck_assert_ptr_nonnull(w);
	for (i = 0; i < 5000; i++) {
		kcap_builder__start(&b, rec, sizeof(rec),
				    kcap_schema__builtin(), KCAP_EV_close,
				    100 + (uint32_t)(i % 7), 1000 + 37 * i);
		e->fd = (int32_t)(3 + i % 11);
		e->res = i % 13 ? 0 : -9;
		ck_assert_int_gt(kcap_builder__finish(&b), 0);
		ck_assert_int_eq(kcap_writer__append(w, rec), 0);
	}
	ck_assert_int_eq(kcap_writer__close(w), 0);
	codecs_of(path, by, &ev);
	ck_assert_int_eq(ev, 5000);
	ck_assert_uint_eq(by[KCAP_CODEC_ZSTD_COLS], 1);
	r = kcap_reader__open(path, NULL);
	while (kcap_reader__next_record(r, &h) == 1) {
		const struct kcap_ev_close *x = (const void *)h;

		if (kcap_reader__block(r)->type != KCAP_BLOCK_EVENTS)
			continue;
		ck_assert_int_eq(h->tid, 100 + n % 7);
		ck_assert_uint_eq(h->ts, 1000 + 37 * (uint64_t)n);
		ck_assert_int_eq(x->fd, 3 + n % 11);
		ck_assert_int_eq(x->res, n % 13 ? 0 : -9);
		n++;
	}
	ck_assert_int_eq(n, 5000);
	kcap_reader__close(r);
	unlink(path);
}
END_TEST

/*
 * Damaged layouts (the block's checksum cannot catch a writer's bug or a
 * crafted file) decode to an error or to some records of the right total
 * length, never past their buffers: byte changes everywhere in the first
 * bytes and at random, and cuts.
 */
START_TEST(damaged_column_layouts_are_refused_or_stay_in_bounds)
{
	struct kcap_cols *c = kcap_cols__new();
	size_t len, cap;
	uint8_t *recs = make_records(3000, true, 11, &len);
	uint8_t *x, *y, *out;
	const char *why;
	struct synth s;
	long n;
	int i, err, ok = 0, bad = 0;

	ck_assert_ptr_nonnull(c);
	cap = kcap_cols__bound(len);
	x = malloc(cap);
	y = malloc(cap);
	out = malloc(len);
	n = kcap_cols__encode(c, kcap_schema__builtin(), recs, len, 3000, x,
			      cap);
	ck_assert_int_gt(n, 0);
	ck_assert_int_eq(kcap_cols__decode(c, kcap_schema__builtin(), x,
					   (size_t)n, 3000, out, len, &why),
			 0);
	ck_assert(!memcmp(out, recs, len));
	/* records whose fixed parts alone pass the block's length */
	ck_assert_int_eq(kcap_cols__decode(c, kcap_schema__builtin(), x,
					   (size_t)n, 3000, out, 3000 * 16,
					   &why),
			 -EBADMSG);
	ck_assert_msg(strstr(why, "does not fill"), "%s", why);
	/* the record count must be the block's */
	ck_assert_int_eq(kcap_cols__decode(c, kcap_schema__builtin(), x,
					   (size_t)n, 2999, out, len, &why),
			 -EBADMSG);
	synth_init(&s, 5, 0);
	for (i = 0; i < 6000; i++) {
		size_t at = i < 2000 ? (size_t)i % (size_t)n :
				       synth_rand(&s) % (size_t)n;
		size_t m = (size_t)n;

		memcpy(y, x, (size_t)n);
		if (i % 7 == 6)
			m = at; /* cut there */
		else
			y[at] ^= (uint8_t)(1 + synth_rand(&s) % 255);
		err = kcap_cols__decode(c, kcap_schema__builtin(), y, m, 3000,
					out, len, &why);
		ck_assert_msg(err == 0 || err == -EBADMSG, "%d", err);
		/* a cut layout never passes: every byte of it is accounted */
		if (m < (size_t)n)
			ck_assert_msg(err == -EBADMSG, "cut at %zu passed", m);
		if (err)
			bad++;
		else
			ok++;
	}
	/*
	 * A changed value is still a value (the block checksum is what
	 * catches those); changed counts, widths and lengths are refused.
	 */
	ck_assert_int_gt(bad, 6000 / 7);
	ck_assert_int_gt(ok, 0);
	free(x);
	free(y);
	free(out);
	free(recs);
	kcap_cols__free(c);
}
END_TEST

/*
 * A block whose column layout is damaged behind a good checksum is
 * reported corrupt, naming the layout, and the blocks around it read.
 */
START_TEST(a_damaged_column_block_is_reported_and_the_others_read)
{
	struct kcap_cols *c = kcap_cols__new();
	const char *path = tmppath("dmg.kcap");
	size_t len, cap, zcap;
	uint8_t *recs = make_records(500, false, 3, &len);
	uint8_t *x, *z;
	struct kcap_writer *w;
	struct kcap_reader *r;
	const struct kcap_hdr *h;
	struct kcap_read_status st;
	struct kcap_block b = { 0 };
	size_t off;
	long n, got = 0;
	int k;

	KCAP_OPTS(kcap_writer_opts, wo, .codec = KCAP_CODEC_ZSTD_COLS);
	cap = kcap_cols__bound(len);
	x = malloc(cap);
	n = kcap_cols__encode(c, kcap_schema__builtin(), recs, len, 500, x,
			      cap);
	ck_assert_int_gt(n, 0);
	x[4] ^= 0x40; /* the thread count: indexes now point past it */
	zcap = ZSTD_compressBound((size_t)n);
	z = malloc(zcap);
	b.stored_len = (uint32_t)ZSTD_compress(z, zcap, x, (size_t)n, 1);
	ck_assert(!ZSTD_isError(b.stored_len));

	w = kcap_writer__open(path, &wo);
	ck_assert_ptr_nonnull(w);
	for (off = 0; off < len; off += kcap_le16(recs + off + 2))
		ck_assert_int_eq(kcap_writer__append(w, recs + off), 0);
	ck_assert_int_eq(kcap_writer__flush(w), 0);
	b.type = KCAP_BLOCK_EVENTS;
	b.codec = KCAP_CODEC_ZSTD_COLS;
	b.raw_len = (uint32_t)len;
	b.count = 500;
	b.stored = z;
	ck_assert_int_eq(kcap_writer__copy_block(w, &b), 0);
	for (off = 0; off < len; off += kcap_le16(recs + off + 2))
		ck_assert_int_eq(kcap_writer__append(w, recs + off), 0);
	ck_assert_int_eq(kcap_writer__close(w), 0);

	r = kcap_reader__open(path, NULL);
	ck_assert_ptr_nonnull(r);
	for (;;) {
		k = kcap_reader__next_record(r, &h);
		if (k == 1) {
			got++;
			continue;
		}
		if (k == 0)
			break;
		ck_assert_msg(strstr(kcap_reader__errmsg(r), "column layout"),
			      "%s", kcap_reader__errmsg(r));
	}
	kcap_reader__status(r, &st);
	ck_assert_uint_eq(st.corrupt_blocks, 1);
	/* the records before and after the damaged block, and the MACHINE */
	ck_assert_int_ge(got, 1000);
	ck_assert_int_le(got, 1001);
	kcap_reader__close(r);
	unlink(path);
	free(x);
	free(z);
	free(recs);
	kcap_cols__free(c);
}
END_TEST

/* The codec is refused on the blocks it is not for. */
START_TEST(columns_on_a_block_other_than_events_are_corrupt)
{
	const char *path = tmppath("snapcols.kcap");
	uint8_t z[64];
	struct kcap_block b = { 0 };
	struct kcap_reader *r;
	const struct kcap_hdr *h;
	int k, errs = 0;

	KCAP_OPTS(kcap_writer_opts, wo, .codec = KCAP_CODEC_ZSTD_COLS);
	struct kcap_writer *w = kcap_writer__open(path, &wo);

	ck_assert_ptr_nonnull(w);
	b.type = KCAP_BLOCK_SNAPSHOT;
	b.codec = KCAP_CODEC_ZSTD_COLS;
	b.raw_len = 16;
	b.count = 1;
	b.stored_len = (uint32_t)ZSTD_compress(z, sizeof(z), "0123456789abcdef",
					       16, 1);
	b.stored = z;
	ck_assert_int_eq(kcap_writer__copy_block(w, &b), 0);
	ck_assert_int_eq(kcap_writer__close(w), 0);
	r = kcap_reader__open(path, NULL);
	ck_assert_ptr_nonnull(r);
	while ((k = kcap_reader__next_record(r, &h)) != 0)
		if (k < 0) {
			ck_assert_msg(strstr(kcap_reader__errmsg(r),
					     "zstd-cols on a SNAPSHOT"),
				      "%s", kcap_reader__errmsg(r));
			errs++;
		}
	ck_assert_int_eq(errs, 1);
	kcap_reader__close(r);
	unlink(path);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("cols");
	TCase *tc = tcase_create("cols");

	tcase_set_timeout(tc, 300);
	tcase_add_test(
		tc, canonical_records_are_stored_in_columns_and_take_less_room);
	tcase_add_test(
		tc, a_block_the_columns_cannot_rebuild_is_stored_as_plain_zstd);
	tcase_add_test(tc,
		       damaged_column_layouts_are_refused_or_stay_in_bounds);
	tcase_add_test(tc,
		       a_damaged_column_block_is_reported_and_the_others_read);
	tcase_add_test(tc, columns_on_a_block_other_than_events_are_corrupt);
	tcase_add_test(tc, a_small_block_takes_plain_zstd_when_that_is_smaller);
	tcase_add_test(tc, events_without_var_fields_are_stored_in_columns);
	suite_add_tcase(s, tc);
	return kcap_check_run(s);
}
