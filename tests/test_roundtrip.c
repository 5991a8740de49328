// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Writing and reading .kcap files: round trips, determinism, flush, seek. */
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "internal.h"
#include "testutil.h"
#include "checkrun.h"

static const int codecs[] = { KCAP_CODEC_NONE, KCAP_CODEC_LZ4, KCAP_CODEC_ZSTD,
			      KCAP_CODEC_ZSTD_COLS };

/* Compare two records field by field through the schema, then bytewise. */
static void assert_same_record(const struct kcap_schema *s, const uint8_t *a,
			       const uint8_t *b, long i)
{
	const struct kcap_event_desc *d = kcap_schema__event(s, kcap_le16(a));
	unsigned int f;

	ck_assert_ptr_nonnull(d);
	ck_assert_msg(!memcmp(a, b, KCAP_HDR_SIZE),
		      "record %ld: header differs", i);
	for (f = 0; f < d->nfields; f++) {
		const struct kcap_field_desc *fd = &d->fields[f];

		if (fd->type == KCAP_T_var) {
			const uint8_t *da, *db;
			size_t la, lb;
			int pa = kcap_field__get_var(fd, a, &da, &la);
			int pb = kcap_field__get_var(fd, b, &db, &lb);

			ck_assert_msg(pa == pb && la == lb &&
					      (!la || !memcmp(da, db, la)),
				      "record %ld (%s): field %s differs", i,
				      d->name, fd->name);
		} else {
			int64_t va, vb;
			int ka = kcap_field__get_int(fd, a, &va);
			int kb = kcap_field__get_int(fd, b, &vb);

			ck_assert_msg(ka == kb && va == vb,
				      "record %ld (%s): field %s: %lld != %lld",
				      i, d->name, fd->name, (long long)va,
				      (long long)vb);
		}
	}
	ck_assert_msg(!memcmp(a, b, kcap_le16(a + 2)),
		      "record %ld: bytes differ", i);
}

static void roundtrip(int codec, bool random, long n)
{
	const char *path = tmppath("rt.kcap");
	uint8_t *recs, *p;
	size_t len;
	struct kcap_reader *r;
	const struct kcap_hdr *h;
	struct kcap_read_status st;
	long i = 0;
	int k;

	write_capture(path, codec, 0, 64 << 10, n, random, 42 + codec, &recs,
		      &len);
	r = kcap_reader__open(path, NULL);
	ck_assert_msg(r, "%s", kcap_last_errmsg());
	p = recs;
	while ((k = kcap_reader__next_record(r, &h)) == 1) {
		if (kcap_reader__block(r)->type != KCAP_BLOCK_EVENTS)
			continue;
		ck_assert(p < recs + len);
		ck_assert_uint_eq((uintptr_t)h % 8, 0);
		assert_same_record(kcap_reader__schema(r), p,
				   (const uint8_t *)h, i);
		p += h->len;
		i++;
	}
	ck_assert_msg(k == 0, "read error: %s", kcap_reader__errmsg(r));
	ck_assert_int_eq(i, n);
	kcap_reader__status(r, &st);
	ck_assert_int_eq(st.end, KCAP_END_COMPLETE);
	ck_assert_uint_eq(st.corrupt_blocks, 0);
	kcap_reader__close(r);
	free(recs);
}

START_TEST(random_events_of_every_type_round_trip_field_by_field)
{
	roundtrip(codecs[_i], true, 20000);
}
END_TEST

START_TEST(realistic_events_round_trip_for_every_codec)
{
	roundtrip(codecs[_i], false, 50000);
}
END_TEST

START_TEST(writing_the_same_input_twice_gives_identical_bytes)
{
	char *a = tmppath("same-a.kcap"), *b = tmppath("same-b.kcap");
	uint8_t *pa, *pb;
	size_t la, lb;

	write_capture(a, codecs[_i], 0, 32 << 10, 20000, true, 7, NULL, NULL);
	write_capture(b, codecs[_i], 0, 32 << 10, 20000, true, 7, NULL, NULL);
	pa = slurp(a, &la);
	pb = slurp(b, &lb);
	ck_assert_uint_eq(la, lb);
	ck_assert(!memcmp(pa, pb, la));
	free(pa);
	free(pb);
}
END_TEST

START_TEST(events_blocks_hold_at_most_the_block_size)
{
	const char *path = tmppath("bs.kcap");
	struct kcap_reader *r;
	struct kcap_block b;
	int n, blocks = 0;

	write_capture(path, KCAP_CODEC_LZ4, 0, 100000, 30000, false, 3, NULL,
		      NULL);
	r = kcap_reader__open(path, NULL);
	ck_assert_ptr_nonnull(r);
	while ((n = kcap_reader__next_block(r, &b)) == 1) {
		if (b.type != KCAP_BLOCK_EVENTS)
			continue;
		blocks++;
		ck_assert_uint_le(b.raw_len, 100000);
		ck_assert_uint_le(b.first_ts, b.last_ts);
	}
	ck_assert_int_eq(n, 0);
	ck_assert_int_gt(blocks, 10);
	kcap_reader__close(r);
}
END_TEST

START_TEST(blocks_that_do_not_shrink_are_stored_uncompressed)
{
	static uint8_t rec[KCAP_REC_MAX] __attribute__((aligned(8)));
	const char *path = tmppath("noshrink.kcap");
	struct kcap_writer *w;
	struct kcap_reader *r;
	struct kcap_block b;
	struct kcap_builder bl;
	struct synth s;
	int i, stored_none = 0;

	synth_init(&s, 9, 1);
	KCAP_OPTS(kcap_writer_opts, wo, .codec = KCAP_CODEC_ZSTD);
	w = kcap_writer__open(path, &wo);
	ck_assert_ptr_nonnull(w);
	for (i = 0; i < 2000; i++) {
		uint8_t noise[4000];

		for (size_t j = 0; j < sizeof(noise); j += 8) {
			uint64_t v = synth_rand(&s);

			memcpy(noise + j, &v, 8);
		}
		kcap_builder__start(&bl, rec, sizeof(rec),
				    kcap_schema__builtin(), KCAP_EV_write, 1,
				    (uint64_t)i);
		kcap_builder__var(&bl, offsetof(struct kcap_ev_write, data),
				  noise, sizeof(noise));
		ck_assert_int_gt(kcap_builder__finish(&bl), 0);
		ck_assert_int_eq(kcap_writer__append(w, rec), 0);
	}
	ck_assert_int_eq(kcap_writer__close(w), 0);
	r = kcap_reader__open(path, NULL);
	while (kcap_reader__next_block(r, &b) == 1)
		if (b.type == KCAP_BLOCK_EVENTS) {
			ck_assert_uint_eq(b.codec, KCAP_CODEC_NONE);
			ck_assert_uint_eq(b.stored_len, b.raw_len);
			stored_none++;
		}
	ck_assert_int_gt(stored_none, 2);
	kcap_reader__close(r);
}
END_TEST

START_TEST(machine_snapshot_and_loss_blocks_round_trip)
{
	static uint8_t rec[KCAP_REC_MAX] __attribute__((aligned(8)));
	static uint8_t snap[1 << 16] __attribute__((aligned(8)));
	const char *path = tmppath("meta.kcap");
	char *args[] = { "kcap", "record", "-w", "x" };
	struct kcap_writer *w;
	struct kcap_reader *r;
	const struct kcap_hdr *h;
	struct synth s;
	size_t slen;
	int len, n, machines = 0, procs = 0, losses = 0, events = 0;

	w = kcap_writer__open(path, NULL);
	ck_assert_ptr_nonnull(w);
	len = kcap_machine_record(rec, sizeof(rec), "kcap test", 4, args);
	ck_assert_int_gt(len, 0);
	ck_assert_int_eq(kcap_writer__write_block(w, KCAP_BLOCK_MACHINE, rec,
						  (size_t)len),
			 0);
	synth_init(&s, 1, 1000);
	slen = synth_snapshot(&s, snap, sizeof(snap));
	ck_assert_int_eq(kcap_writer__write_block(w, KCAP_BLOCK_SNAPSHOT, snap,
						  slen),
			 0);
	for (n = 0; n < 100; n++) {
		synth_mix(&s, rec);
		kcap_writer__append(w, rec);
	}
	len = synth_loss(rec, 5000, 9000, KCAP_EV_write, KCAP_LOSS_RINGBUF, 77);
	ck_assert_int_eq(kcap_writer__write_block(w, KCAP_BLOCK_LOSS, rec,
						  (size_t)len),
			 0);
	/* a LOSS block must hold loss-shaped records only as records */
	ck_assert_int_eq(kcap_writer__write_block(w, KCAP_BLOCK_EVENTS, rec,
						  (size_t)len),
			 -EINVAL);
	ck_assert_int_eq(kcap_writer__close(w), 0);

	r = kcap_reader__open(path, NULL);
	ck_assert_ptr_nonnull(r);
	while ((n = kcap_reader__next_record(r, &h)) == 1) {
		const struct kcap_block *b = kcap_reader__block(r);

		switch (b->type) {
		case KCAP_BLOCK_MACHINE: {
			const struct kcap_ev_machine *m = (const void *)h;

			ck_assert_uint_eq(h->type, KCAP_EV_machine);
			ck_assert_uint_gt(m->cpus, 0);
			ck_assert_uint_gt(m->hostname.len, 0);
			ck_assert_mem_eq((const uint8_t *)h + m->cmdline.off,
					 "kcap\0record\0-w\0x", 17);
			machines++;
			break;
		}
		case KCAP_BLOCK_SNAPSHOT:
			ck_assert_uint_eq(h->type, KCAP_EV_snap_proc);
			procs++;
			break;
		case KCAP_BLOCK_LOSS: {
			const struct kcap_ev_loss *l = (const void *)h;

			ck_assert_uint_eq(l->count, 77);
			ck_assert_uint_eq(l->evtype, KCAP_EV_write);
			ck_assert_uint_eq(b->first_ts, 5000);
			ck_assert_uint_eq(b->last_ts, 9000);
			losses++;
			break;
		}
		case KCAP_BLOCK_EVENTS:
			events++;
		}
	}
	ck_assert_int_eq(n, 0);
	ck_assert_int_eq(machines, 1);
	ck_assert_int_gt(procs, 24);
	ck_assert_int_eq(losses, 1);
	ck_assert_int_eq(events, 100);
	kcap_reader__close(r);
}
END_TEST

START_TEST(flush_leaves_a_file_readable_up_to_the_flush)
{
	static uint8_t rec[KCAP_REC_MAX] __attribute__((aligned(8)));
	const char *path = tmppath("flush.kcap");
	struct kcap_writer *w;
	struct synth s;
	struct readout o;
	uint8_t *buf;
	size_t len;
	int i;

	w = kcap_writer__open(path, NULL);
	synth_init(&s, 5, 1);
	for (i = 0; i < 1234; i++) {
		synth_mix(&s, rec);
		ck_assert_int_eq(kcap_writer__append(w, rec), 0);
	}
	ck_assert_int_eq(kcap_writer__flush(w), 0);
	buf = slurp(path, &len);
	o = read_all_mem(buf, len);
	ck_assert(o.opened);
	ck_assert_int_eq(o.events, 1234);
	ck_assert_int_eq(o.errors, 0);
	ck_assert_int_eq(o.st.end, KCAP_END_NO_FOOTER);
	free(buf);
	for (i = 0; i < 10; i++) {
		synth_mix(&s, rec);
		kcap_writer__append(w, rec);
	}
	ck_assert_int_eq(kcap_writer__close(w), 0);
	buf = slurp(path, &len);
	o = read_all_mem(buf, len);
	ck_assert_int_eq(o.events, 1244);
	ck_assert_int_eq(o.st.end, KCAP_END_COMPLETE);
	free(buf);
}
END_TEST

START_TEST(tick_seals_a_block_older_than_the_flush_interval)
{
	static uint8_t rec[KCAP_REC_MAX] __attribute__((aligned(8)));
	const char *path = tmppath("tick.kcap");
	struct kcap_writer *w;
	struct kcap_writer_stats st;
	struct synth s;

	KCAP_OPTS(kcap_writer_opts, wo, .flush_ms = 50);
	w = kcap_writer__open(path, &wo);
	synth_init(&s, 5, 1);
	synth_mix(&s, rec);
	kcap_writer__append(w, rec);
	kcap_writer__stats(w, &st);
	ck_assert_uint_eq(st.blocks, 1); /* the SCHEMA block */
	ck_assert_int_eq(kcap_writer__tick(w, 0), 0);
	kcap_writer__stats(w, &st);
	ck_assert_uint_eq(st.blocks, 1); /* too young */
	usleep(60000);
	ck_assert_int_eq(kcap_writer__tick(w, 0), 0);
	kcap_writer__stats(w, &st);
	ck_assert_uint_eq(st.blocks, 2);
	ck_assert_int_eq(kcap_writer__close(w), 0);
}
END_TEST

/* The figures of a closed file are of all of it: its size on disk. */
START_TEST(close_stats_counts_the_last_block_the_index_and_the_footer)
{
	static uint8_t rec[KCAP_REC_MAX] __attribute__((aligned(8)));
	const char *path = tmppath("close-stats.kcap");
	struct kcap_writer_stats live, st;
	struct kcap_writer *w;
	struct synth s;
	struct stat fst;
	int i;

	KCAP_OPTS(kcap_writer_opts, wo, .async_blocks = 2);
	w = kcap_writer__open(path, &wo);
	ck_assert_ptr_nonnull(w);
	synth_init(&s, 7, 1);
	for (i = 0; i < 100; i++) {
		synth_mix(&s, rec);
		ck_assert_int_eq(kcap_writer__append(w, rec), 0);
	}
	kcap_writer__stats(w, &live);
	ck_assert_int_eq(kcap_writer__close_stats(w, &st), 0);
	ck_assert_int_eq(stat(path, &fst), 0);
	ck_assert_uint_eq(st.file_bytes, (uint64_t)fst.st_size);
	ck_assert_uint_gt(st.file_bytes, live.file_bytes);
	/* what close adds: the open EVENTS block, INDEX, FOOTER */
	ck_assert_uint_eq(st.blocks, live.blocks + 3);
	ck_assert_uint_eq(st.events, 100);
	ck_assert_uint_eq(st.events_written, 100);
	/* nothing to close: zeroes */
	ck_assert_int_eq(kcap_writer__close_stats(NULL, &st), 0);
	ck_assert_uint_eq(st.file_bytes, 0);
}
END_TEST

START_TEST(a_capture_reads_from_a_pipe)
{
	const char *path = tmppath("pipe.kcap");
	struct kcap_reader *r;
	const struct kcap_hdr *h;
	int fds[2], n, events = 0;
	pid_t pid;

	write_capture(path, KCAP_CODEC_ZSTD, 0, 16 << 10, 5000, false, 1, NULL,
		      NULL);
	ck_assert_int_eq(pipe(fds), 0);
	pid = fork();
	if (pid == 0) {
		size_t len;
		uint8_t *buf = slurp(path, &len);
		size_t off = 0;

		close(fds[0]);
		/* dribble it in small pieces, as a network pipe would */
		while (off < len) {
			size_t k = len - off < 1000 ? len - off : 1000;

			if (write(fds[1], buf + off, k) != (ssize_t)k)
				_exit(1);
			off += k;
		}
		_exit(0);
	}
	close(fds[1]);
	r = kcap_reader__open_fd(fds[0], NULL);
	ck_assert_ptr_nonnull(r);
	while ((n = kcap_reader__next_record(r, &h)) == 1)
		events += kcap_reader__block(r)->type == KCAP_BLOCK_EVENTS;
	ck_assert_int_eq(n, 0);
	ck_assert_int_eq(events, 5000);
	ck_assert_int_eq(kcap_reader__seek_ts(r, 0), -ESPIPE);
	kcap_reader__close(r);
	close(fds[0]);
	waitpid(pid, NULL, 0);
}
END_TEST

/* A sink into memory that refuses everything past limit bytes. */
struct membuf {
	uint8_t *buf;
	size_t len, cap, limit;
	unsigned int calls;
};

static int mem_sink(void *ctx, const void *p, size_t len)
{
	struct membuf *m = ctx;

	m->calls++;
	if (m->limit && m->len + len > m->limit)
		return -ENOSPC;
	if (m->len + len > m->cap) {
		m->cap = (m->len + len) * 2;
		m->buf = realloc(m->buf, m->cap);
		ck_assert_ptr_nonnull(m->buf);
	}
	memcpy(m->buf + m->len, p, len);
	m->len += len;
	return 0;
}

/*
 * A source that hands out a file in pieces of changing sizes, from one
 * byte to all that is left, each copied to a fresh malloc'ed piece (so
 * that a reader keeping a pointer past the next call reads freed memory
 * under ASan); fails with -EIO at fail_at when that is set.
 */
struct pieces {
	const uint8_t *buf;
	size_t len, off, fail_at;
	unsigned int n;
	uint8_t *piece;
};

static ssize_t piece_source(void *ctx, const void **p)
{
	static const size_t sizes[] = { 1, 7, 48, 4096, 100000, 3, (size_t)-1 };
	struct pieces *s = ctx;
	size_t k = sizes[s->n++ % (sizeof(sizes) / sizeof(sizes[0]))];

	free(s->piece);
	s->piece = NULL;
	if (s->fail_at && s->off >= s->fail_at)
		return -EIO;
	if (k > s->len - s->off)
		k = s->len - s->off;
	if (!k)
		return 0;
	/* 8-aligned like the writer's pieces, so big ones are read in place */
	s->piece = aligned_alloc(8, (k + 7) & ~(size_t)7);
	ck_assert_ptr_nonnull(s->piece);
	memcpy(s->piece, s->buf + s->off, k);
	s->off += k;
	*p = s->piece;
	return (ssize_t)k;
}

START_TEST(a_capture_written_to_a_sink_is_the_file_and_reads_from_a_source)
{
	static uint8_t rec[KCAP_REC_MAX] __attribute__((aligned(8)));
	const char *path = tmppath("sink.kcap");
	struct membuf m = { 0 };
	struct pieces src = { 0 };
	struct kcap_writer *w;
	struct kcap_reader *r, *ref;
	const struct kcap_hdr *h, *hr;
	struct kcap_read_status st;
	struct synth s;
	uint8_t *file;
	size_t flen;
	long i, n = 0;
	int k;

	write_capture(path, codecs[_i], 0, 16 << 10, 20000, true, 5, NULL,
		      NULL);
	KCAP_OPTS(kcap_writer_opts, wo, .codec = codecs[_i],
		  .block_size = 16 << 10, .created_ns = 1, .boot_wall_ns = 2);
	ck_assert_ptr_null(kcap_writer__open_sink(NULL, NULL, &wo));
	w = kcap_writer__open_sink(mem_sink, &m, &wo);
	ck_assert_msg(w, "%s", kcap_last_errmsg());
	synth_init(&s, 5, 1700000000000000000ull);
	for (i = 0; i < 20000; i++) {
		ck_assert_int_gt(synth_random(&s, rec), 0);
		ck_assert_int_eq(kcap_writer__append(w, rec), 0);
	}
	ck_assert_int_eq(kcap_writer__close(w), 0);
	/* the same bytes as the file, one call per block */
	file = slurp(path, &flen);
	ck_assert_uint_eq(m.len, flen);
	ck_assert(!memcmp(m.buf, file, flen));
	ck_assert_uint_gt(m.calls, 10);

	src.buf = m.buf;
	src.len = m.len;
	ck_assert_ptr_null(kcap_reader__open_source(NULL, NULL, NULL));
	r = kcap_reader__open_source(piece_source, &src, NULL);
	ck_assert_msg(r, "%s", kcap_last_errmsg());
	ref = kcap_reader__open_mem(file, flen, NULL);
	ck_assert_ptr_nonnull(ref);
	while ((k = kcap_reader__next_record(r, &h)) == 1) {
		ck_assert_int_eq(kcap_reader__next_record(ref, &hr), 1);
		ck_assert_uint_eq(h->len, hr->len);
		ck_assert(!memcmp(h, hr, h->len));
		n += kcap_reader__block(r)->type == KCAP_BLOCK_EVENTS;
	}
	ck_assert_msg(k == 0, "%s", kcap_reader__errmsg(r));
	ck_assert_int_eq(kcap_reader__next_record(ref, &hr), 0);
	ck_assert_int_eq(n, 20000);
	kcap_reader__status(r, &st);
	ck_assert_int_eq(st.end, KCAP_END_COMPLETE);
	/* a stream cannot go back */
	ck_assert_int_eq(kcap_reader__seek_ts(r, 0), -ESPIPE);
	ck_assert_int_eq(kcap_reader__rewind(r), -ESPIPE);
	ck_assert_int_eq(kcap_reader__resume(r), -EINVAL);
	kcap_reader__close(r);
	kcap_reader__close(ref);
	free(src.piece);
	free(file);
	free(m.buf);
}
END_TEST

START_TEST(
	a_sink_that_fails_stops_the_writer_and_a_source_that_fails_is_reported)
{
	static uint8_t rec[KCAP_REC_MAX] __attribute__((aligned(8)));
	struct membuf m = { .limit = 100000 };
	struct pieces src = { 0 };
	struct kcap_writer *w;
	struct kcap_reader *r;
	const struct kcap_hdr *h;
	struct synth s;
	int i, err = 0, k;
	long n = 0;

	KCAP_OPTS(kcap_writer_opts, wo, .codec = KCAP_CODEC_NONE,
		  .block_size = 16 << 10);
	w = kcap_writer__open_sink(mem_sink, &m, &wo);
	ck_assert_ptr_nonnull(w);
	synth_init(&s, 3, 1);
	for (i = 0; i < 20000 && !err; i++) {
		synth_mix(&s, rec);
		err = kcap_writer__append(w, rec);
	}
	ck_assert_int_eq(err, -ENOSPC);
	ck_assert_msg(strstr(kcap_writer__errmsg(w), "sink refused"), "%s",
		      kcap_writer__errmsg(w));
	ck_assert_int_eq(kcap_writer__close(w), -ENOSPC);
	/* what went through is whole blocks, and reads as such */
	ck_assert_uint_le(m.len, 100000);
	src.buf = m.buf;
	src.len = m.len;
	src.fail_at = m.len / 2;
	r = kcap_reader__open_source(piece_source, &src, NULL);
	ck_assert_ptr_nonnull(r);
	while ((k = kcap_reader__next_record(r, &h)) == 1)
		n++;
	ck_assert_int_eq(k, -EIO);
	ck_assert_msg(strstr(kcap_reader__errmsg(r), "read error"), "%s",
		      kcap_reader__errmsg(r));
	ck_assert_int_gt(n, 10);
	kcap_reader__close(r);
	free(src.piece);
	free(m.buf);
}
END_TEST

static void check_seek(const char *path)
{
	struct kcap_reader *r = kcap_reader__open(path, NULL);
	const struct kcap_hdr *h;
	uint64_t ts[5000], target;
	long n = 0, i;
	int k;

	ck_assert_ptr_nonnull(r);
	while (kcap_reader__next_record(r, &h) == 1)
		if (kcap_reader__block(r)->type == KCAP_BLOCK_EVENTS)
			ts[n++] = h->ts;
	ck_assert_int_eq(n, 5000);
	for (i = 0; i < 5000; i += 499) {
		bool found = false;

		target = ts[i];
		ck_assert_int_eq(kcap_reader__seek_ts(r, target), 0);
		k = kcap_reader__next_record(r, &h);
		ck_assert_int_eq(k, 1);
		/* it starts no later than the target: nothing is skipped */
		ck_assert_uint_le(h->ts, target);
		/* and within one block of it */
		ck_assert_uint_ge(kcap_reader__block(r)->last_ts, target);
		do
			found |= h->ts == target;
		while (!found && kcap_reader__next_record(r, &h) == 1);
		ck_assert(found);
	}
	/* past the end: nothing more to read */
	ck_assert_int_eq(kcap_reader__seek_ts(r, ts[4999] + 1), 0);
	while ((k = kcap_reader__next_record(r, &h)) == 1)
		ck_assert_uint_ne(kcap_reader__block(r)->type,
				  KCAP_BLOCK_EVENTS);
	ck_assert_int_eq(k, 0);
	ck_assert_int_eq(kcap_reader__rewind(r), 0);
	ck_assert_int_eq(kcap_reader__next_record(r, &h), 1);
	ck_assert_uint_eq(h->ts, ts[0]);
	kcap_reader__close(r);
}

START_TEST(seek_by_time_starts_at_the_first_block_that_can_hold_it)
{
	const char *path = tmppath("seek.kcap");

	write_capture(path, KCAP_CODEC_LZ4, 0, 8 << 10, 5000, false, 11, NULL,
		      NULL);
	check_seek(path);
}
END_TEST

START_TEST(seek_works_without_footer_by_walking_block_headers)
{
	const char *path = tmppath("seek-nofooter.kcap");
	uint8_t *buf;
	size_t len;
	FILE *f;

	write_capture(path, KCAP_CODEC_LZ4, 0, 8 << 10, 5000, false, 11, NULL,
		      NULL);
	buf = slurp(path, &len);
	/* drop INDEX and FOOTER: find the INDEX block from the footer */
	len = kcap_le64(buf + len - 8 - 16);
	f = fopen(path, "w");
	ck_assert_uint_eq(fwrite(buf, 1, len, f), len);
	fclose(f);
	free(buf);
	check_seek(path);
}
END_TEST

START_TEST(seek_to_a_time_starts_at_the_snapshot_before_it)
{
	static uint8_t rec[KCAP_REC_MAX] __attribute__((aligned(8)));
	static uint8_t snap[1 << 16] __attribute__((aligned(8)));
	const char *path = tmppath("seek-snap.kcap");
	KCAP_OPTS(kcap_writer_opts, wo, .codec = KCAP_CODEC_LZ4,
		  .block_size = 4096);
	uint64_t snap2_ts = 0, target = 0, events_offset = 0;
	struct kcap_writer *w = kcap_writer__open(path, &wo);
	struct kcap_reader *r;
	const struct kcap_hdr *h;
	struct synth s;
	size_t slen;
	int i, n;

	ck_assert_ptr_nonnull(w);
	synth_init(&s, 3, 1000);
	/* snapshot, 2000 events, a second snapshot, 2000 more */
	for (i = 0; i < 2; i++) {
		slen = synth_snapshot(&s, snap, sizeof(snap));
		if (i == 1)
			snap2_ts = ((const struct kcap_hdr *)snap)->ts;
		ck_assert_int_eq(kcap_writer__write_block(
					 w, KCAP_BLOCK_SNAPSHOT, snap, slen),
				 0);
		for (n = 0; n < 2000; n++) {
			synth_mix(&s, rec);
			if (i == 1 && n == 1000)
				target = ((const struct kcap_hdr *)rec)->ts;
			ck_assert_int_eq(kcap_writer__append(w, rec), 0);
		}
	}
	ck_assert_int_eq(kcap_writer__close(w), 0);

	r = kcap_reader__open(path, NULL);
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(kcap_reader__seek_snapshot(r, target, &events_offset),
			 0);
	/* the first record is the second snapshot's, not the first's */
	ck_assert_int_eq(kcap_reader__next_record(r, &h), 1);
	ck_assert_uint_eq(kcap_reader__block(r)->type, KCAP_BLOCK_SNAPSHOT);
	ck_assert_uint_eq(h->ts, snap2_ts);
	/* then events, up to and past the block events_offset names */
	while ((n = kcap_reader__next_record(r, &h)) == 1 &&
	       kcap_reader__block(r)->offset < events_offset)
		ck_assert_uint_lt(h->ts, target);
	ck_assert_int_eq(n, 1);
	ck_assert_uint_eq(kcap_reader__block(r)->type, KCAP_BLOCK_EVENTS);
	ck_assert_uint_le(kcap_reader__block(r)->first_ts, target);
	ck_assert_uint_ge(kcap_reader__block(r)->last_ts, target);
	/*
	 * Past the last event: no block in range, and the last snapshot is
	 * where a reader that follows the file would go on from.
	 */
	ck_assert_int_eq(kcap_reader__seek_snapshot(r, UINT64_MAX - 1,
						    &events_offset),
			 0);
	ck_assert_uint_eq(events_offset, UINT64_MAX);
	ck_assert_int_eq(kcap_reader__next_record(r, &h), 1);
	ck_assert_uint_eq(kcap_reader__block(r)->type, KCAP_BLOCK_SNAPSHOT);
	ck_assert_uint_eq(h->ts, snap2_ts);
	kcap_reader__close(r);
}
END_TEST

START_TEST(writer_refuses_records_that_would_not_validate)
{
	static uint8_t rec[KCAP_REC_MAX] __attribute__((aligned(8)));
	struct kcap_writer *w = kcap_writer__open(tmppath("bad.kcap"), NULL);
	struct kcap_ev_write *e = (void *)rec;
	struct synth s;

	ck_assert_ptr_nonnull(w);
	synth_init(&s, 1, 1);
	kcap_record__init(kcap_schema__builtin(), rec, KCAP_EV_write);
	e->hdr.len = 44; /* not a multiple of 8 */
	ck_assert_int_eq(kcap_writer__append(w, rec), -EINVAL);
	/* write's size before dur was appended: short of its fixed part */
	e->hdr.len = 40;
	ck_assert_int_eq(kcap_writer__append(w, rec), -EINVAL);
	e->hdr.len = sizeof(*e); /* 48: no tail */
	e->data.off = sizeof(*e);
	e->data.len = 1; /* past the record */
	ck_assert_int_eq(kcap_writer__append(w, rec), -EINVAL);
	e->data.len = 0;
	e->hdr.type = 999; /* no such event */
	ck_assert_int_eq(kcap_writer__append(w, rec), -EINVAL);
	e->hdr.type = KCAP_EV_write;
	ck_assert_int_eq(kcap_writer__append(w, rec), 0);
	ck_assert_int_eq(kcap_writer__close(w), 0);
}
END_TEST

START_TEST(options_with_unknown_nonzero_fields_are_refused)
{
	struct {
		struct kcap_writer_opts o;
		uint64_t future;
	} big = { 0 };

	big.o.sz = sizeof(big);
	big.future = 1;
	ck_assert_ptr_null(kcap_writer__open(tmppath("o.kcap"), &big.o));
	ck_assert_int_eq(errno, EINVAL);
	big.future = 0; /* a newer caller's zeroed extra fields are fine */
	struct kcap_writer *w = kcap_writer__open(tmppath("o.kcap"), &big.o);

	ck_assert_ptr_nonnull(w);
	ck_assert_int_eq(kcap_writer__close(w), 0);
	KCAP_OPTS(kcap_writer_opts, bad, .codec = 7);
	ck_assert_ptr_null(kcap_writer__open(tmppath("o.kcap"), &bad));
}
END_TEST

START_TEST(a_full_disk_stops_the_writer_and_keeps_whole_blocks)
{
	const char *path = tmppath("full.kcap");
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		static uint8_t rec[KCAP_REC_MAX] __attribute__((aligned(8)));
		struct rlimit rl = { 300000, 300000 };
		struct kcap_writer *w;
		struct synth s;
		int i, err = 0;

		/* RLIMIT_FSIZE makes write() fail as a full disk would */
		signal(SIGXFSZ, SIG_IGN);
		setrlimit(RLIMIT_FSIZE, &rl);
		KCAP_OPTS(kcap_writer_opts, wo, .codec = KCAP_CODEC_NONE,
			  .block_size = 65536);
		w = kcap_writer__open(path, &wo);
		if (!w)
			_exit(10);
		synth_init(&s, 1, 1);
		for (i = 0; i < 100000 && !err; i++) {
			synth_mix(&s, rec);
			err = kcap_writer__append(w, rec);
		}
		if (err != -EFBIG ||
		    !strstr(kcap_writer__errmsg(w), "write failed"))
			_exit(11);
		/* after a write error, every call reports it */
		if (kcap_writer__flush(w) != -EFBIG ||
		    kcap_writer__close(w) != -EFBIG)
			_exit(12);
		_exit(0);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		      "child status %d", status);
	{
		size_t len;
		uint8_t *buf = slurp(path, &len);
		struct readout o = read_all_mem(buf, len);

		ck_assert_uint_le(len, 300000);
		ck_assert(o.opened);
		ck_assert_int_eq(o.errors, 0);
		ck_assert_int_gt(o.events, 1000);
		ck_assert_int_eq(o.st.end, KCAP_END_NO_FOOTER);
		free(buf);
	}
}
END_TEST

/*
 * A file written by an older kcap whose `read` event had only res and fd:
 * the reader presents its records at today's size, the rest unknown.
 */
static size_t put_block(uint8_t *out, int type, uint32_t seq, const void *pl,
			uint32_t len, uint32_t count)
{
	size_t total = KCAP_BLOCK_HDR_SIZE + ALIGN8(len) + 8;

	memset(out, 0, total);
	kcap_put32(out, 0x4b4c424b);
	kcap_put16(out + 4, (uint16_t)type);
	kcap_put32(out + 8, len);
	kcap_put32(out + 12, len);
	kcap_put32(out + 16, count);
	kcap_put32(out + 20, seq);
	memcpy(out + 48, pl, len);
	kcap_put32(out + 40, kcap_cksum32(out + 48, len));
	kcap_put32(out + 44, kcap_cksum32(out, 44));
	kcap_put32(out + 48 + ALIGN8(len), (uint32_t)total);
	kcap_put32(out + 48 + ALIGN8(len) + 4, 0x444e454b);
	return total;
}

/* Appends one field of an event to a SCHEMA payload at *s. */
static void schema_field(uint8_t *schema, size_t *s, uint16_t off, uint8_t type,
			 uint8_t fmt, const char *name)
{
	size_t l = strlen(name);

	kcap_put16(schema + *s, off);
	schema[*s + 2] = type;
	schema[*s + 3] = fmt;
	schema[*s + 4] = (uint8_t)l;
	memcpy(schema + *s + 5, name, l);
	*s += 5 + l;
}

/* A file header and a SCHEMA block of s bytes; the bytes written. */
static size_t file_start(uint8_t *file, const uint8_t *schema, size_t s)
{
	memset(file, 0, 64);
	memcpy(file, "\x89KCP\r\n\x1a\n", 8);
	kcap_put16(file + 8, 1);
	kcap_put32(file + 12, 64);
	kcap_put64(file + 32, kcap_hash64(schema, s));
	kcap_put32(file + 60, kcap_cksum32(file, 60));
	return 64 + put_block(file + 64, KCAP_BLOCK_SCHEMA, 0, schema,
			      (uint32_t)s, 1);
}

START_TEST(records_of_an_older_schema_are_presented_at_the_current_size)
{
	static uint8_t file[4096] __attribute__((aligned(8)));
	uint8_t schema[64], ev[32] __attribute__((aligned(8)));
	size_t n = 0, s = 0;
	struct kcap_reader *r;
	const struct kcap_ev_read *e;
	const struct kcap_hdr *h;

	/* SCHEMA: one event, read (35), size 32: res s64 @16, fd s32 @24 */
	kcap_put32(schema, 1);
	kcap_put32(schema + 4, 0);
	s = 8;
	kcap_put16(schema + s, KCAP_EV_read);
	kcap_put16(schema + s + 2, 32);
	kcap_put16(schema + s + 4, KCAP_EF_SYSCALL);
	schema[s + 6] = 1;
	schema[s + 7] = 2;
	schema[s + 8] = 4;
	memcpy(schema + s + 9, "read", 4);
	s += 13;
	schema_field(schema, &s, 16, KCAP_T_s64, KCAP_FMT_RES, "res");
	schema_field(schema, &s, 24, KCAP_T_s32, KCAP_FMT_FD, "fd");

	n = file_start(file, schema, s);
	memset(ev, 0, sizeof(ev));
	kcap_put16(ev, KCAP_EV_read);
	kcap_put16(ev + 2, 32);
	kcap_put32(ev + 4, 77);
	kcap_put64(ev + 8, 123);
	kcap_put64(ev + 16, 5);
	kcap_put32(ev + 24, 9);
	n += put_block(file + n, KCAP_BLOCK_EVENTS, 1, ev, 32, 1);

	r = kcap_reader__open_mem(file, n, NULL);
	ck_assert_msg(r, "%s", kcap_last_errmsg());
	ck_assert_int_eq(kcap_reader__next_record(r, &h), 1);
	e = (const void *)h;
	ck_assert_uint_eq(h->len, sizeof(struct kcap_ev_read));
	ck_assert_int_eq(e->res, 5);
	ck_assert_int_eq(e->fd, 9);
	ck_assert_uint_eq(e->size, KCAP_UNKNOWN_u32);
	ck_assert_uint_eq(e->data.off, 0);
	ck_assert_uint_eq(e->data.len, 0);
	ck_assert_uint_eq(e->dur, KCAP_UNKNOWN_u64);
	ck_assert_int_eq(kcap_record__validate(kcap_schema__builtin(), h,
					       h->len, NULL),
			 0);
	kcap_reader__close(r);
}
END_TEST

/*
 * An openat of the schema before dur (size 56), as long as a record can
 * be, its path filling the tail: widened by dur's 8 bytes it would pass
 * the limit, so its tail loses 8 bytes, and the path reads cut, not lost.
 */
START_TEST(an_older_record_at_the_size_limit_keeps_its_values_cut)
{
	static uint8_t file[KCAP_REC_MAX + 4096] __attribute__((aligned(8)));
	static uint8_t ev[KCAP_REC_MAX] __attribute__((aligned(8)));
	const struct kcap_event_desc *d =
		kcap_schema__event(kcap_schema__builtin(), KCAP_EV_openat);
	const struct kcap_field_desc *name = kcap_event_desc__field(d, "name");
	uint8_t schema[256];
	size_t n = 0, s = 0, plen = KCAP_REC_MAX - 56;
	const uint8_t *p = NULL;
	struct kcap_reader *r;
	const struct kcap_hdr *h;
	size_t got = 0;

	kcap_put32(schema, 1);
	kcap_put32(schema + 4, 0);
	s = 8;
	kcap_put16(schema + s, KCAP_EV_openat);
	kcap_put16(schema + s + 2, 56);
	kcap_put16(schema + s + 4, KCAP_EF_SYSCALL | KCAP_EF_FD_CREATE);
	schema[s + 6] = KCAP_CLASS_FILE;
	schema[s + 7] = 7;
	schema[s + 8] = 6;
	memcpy(schema + s + 9, "openat", 6);
	s += 15;
	schema_field(schema, &s, 16, KCAP_T_s64, KCAP_FMT_RES, "res");
	schema_field(schema, &s, 24, KCAP_T_u64, KCAP_FMT_DEC, "ino");
	schema_field(schema, &s, 32, KCAP_T_s32, KCAP_FMT_FD, "dirfd");
	schema_field(schema, &s, 36, KCAP_T_var, KCAP_FMT_PATH, "name");
	schema_field(schema, &s, 40, KCAP_T_u32, KCAP_FMT_OFLAGS, "flags");
	schema_field(schema, &s, 44, KCAP_T_u32, KCAP_FMT_OCT, "mode");
	schema_field(schema, &s, 48, KCAP_T_u32, KCAP_FMT_DEV, "dev");

	n = file_start(file, schema, s);
	memset(ev, 0, sizeof(ev));
	kcap_put16(ev, KCAP_EV_openat);
	kcap_put16(ev + 2, KCAP_REC_MAX);
	kcap_put32(ev + 4, 77);
	kcap_put64(ev + 8, 123);
	kcap_put64(ev + 16, 3);
	kcap_put16(ev + 36, 56);
	kcap_put16(ev + 38, (uint16_t)plen);
	memset(ev + 56, 'a', plen);
	n += put_block(file + n, KCAP_BLOCK_EVENTS, 1, ev, KCAP_REC_MAX, 1);

	r = kcap_reader__open_mem(file, n, NULL);
	ck_assert_msg(r, "%s", kcap_last_errmsg());
	ck_assert_int_eq(kcap_reader__next_record(r, &h), 1);
	ck_assert_uint_eq(h->len, KCAP_REC_MAX);
	ck_assert_int_eq(((const struct kcap_ev_openat *)h)->res, 3);
	ck_assert_uint_eq(((const struct kcap_ev_openat *)h)->dur,
			  KCAP_UNKNOWN_u64);
	ck_assert_int_eq(kcap_field__get_var(name, h, &p, &got), 1);
	/* 8 bytes went with the widening, and one to the mark */
	ck_assert_uint_eq(got, plen - 8 - 1);
	ck_assert_int_eq(p[0], 'a');
	ck_assert_int_eq(p[got - 1], 'a');
	ck_assert_int_eq(kcap_field__var_cut(name, h), 1);
	ck_assert_int_eq(kcap_record__validate(kcap_schema__builtin(), h,
					       h->len, NULL),
			 0);
	kcap_reader__close(r);
}
END_TEST

static void write_n(const char *path, uint32_t async_blocks, long n)
{
	static uint8_t rec[KCAP_REC_MAX] __attribute__((aligned(8)));
	struct kcap_writer *w;
	struct synth s;
	long i;

	KCAP_OPTS(kcap_writer_opts, wo, .codec = KCAP_CODEC_ZSTD,
		  .block_size = 16 << 10, .created_ns = 1, .boot_wall_ns = 2,
		  .async_blocks = async_blocks);
	w = kcap_writer__open(path, &wo);
	ck_assert_ptr_nonnull(w);
	synth_init(&s, 77, 1000);
	for (i = 0; i < n; i++) {
		synth_mix(&s, rec);
		ck_assert_int_eq(kcap_writer__append(w, rec), 0);
		if (i % 5000 == 0) {
			int len = synth_loss(rec, s.ts, s.ts + 10, KCAP_EV_read,
					     KCAP_LOSS_RINGBUF, (uint64_t)i);

			ck_assert_int_eq(
				kcap_writer__write_block(w, KCAP_BLOCK_LOSS,
							 rec, (size_t)len),
				0);
		}
		if (i % 20000 == 0)
			ck_assert_int_eq(kcap_writer__flush(w), 0);
	}
	ck_assert_int_eq(kcap_writer__close(w), 0);
}

START_TEST(the_writer_thread_writes_the_same_bytes_as_the_caller_would)
{
	char *a = tmppath("sync.kcap"), *b = tmppath("async.kcap");
	uint8_t *pa, *pb;
	size_t la, lb;

	write_n(a, 0, 100000);
	write_n(b, _i ? 1 : 8, 100000);
	pa = slurp(a, &la);
	pb = slurp(b, &lb);
	ck_assert_uint_eq(la, lb);
	ck_assert(!memcmp(pa, pb, la));
	free(pa);
	free(pb);
}
END_TEST

START_TEST(copied_blocks_read_back_unchanged)
{
	const char *a = tmppath("copy-src.kcap"), *b = tmppath("copy-dst.kcap");
	struct kcap_reader *ra, *rb;
	struct kcap_writer *w;
	struct kcap_block blk;
	const struct kcap_hdr *ha, *hb;
	int n, copied = 0;
	long i = 0;

	write_n(a, 0, 30000);
	ra = kcap_reader__open(a, NULL);
	w = kcap_writer__open(b, NULL);
	ck_assert_ptr_nonnull(ra);
	ck_assert_ptr_nonnull(w);
	while ((n = kcap_reader__next_block(ra, &blk)) == 1) {
		if (blk.type == KCAP_BLOCK_SCHEMA ||
		    blk.type == KCAP_BLOCK_INDEX ||
		    blk.type == KCAP_BLOCK_FOOTER) {
			ck_assert_int_eq(kcap_writer__copy_block(w, &blk),
					 -EINVAL);
			continue;
		}
		ck_assert_int_eq(kcap_writer__copy_block(w, &blk), 0);
		copied++;
	}
	ck_assert_int_eq(n, 0);
	ck_assert_int_eq(kcap_writer__close(w), 0);
	ck_assert_int_gt(copied, 10);

	kcap_reader__rewind(ra);
	rb = kcap_reader__open(b, NULL);
	ck_assert_ptr_nonnull(rb);
	while (kcap_reader__next_record(ra, &ha) == 1) {
		ck_assert_int_eq(kcap_reader__next_record(rb, &hb), 1);
		ck_assert_int_eq(kcap_reader__block(ra)->type,
				 kcap_reader__block(rb)->type);
		ck_assert_int_eq(kcap_reader__block(ra)->codec,
				 kcap_reader__block(rb)->codec);
		ck_assert_int_eq(ha->len, hb->len);
		ck_assert(!memcmp(ha, hb, ha->len));
		i++;
	}
	ck_assert_int_eq(kcap_reader__next_record(rb, &hb), 0);
	ck_assert_int_gt(i, 30000);
	kcap_reader__close(ra);
	kcap_reader__close(rb);
}
END_TEST

START_TEST(resume_reads_what_the_writer_added_after_the_end)
{
	static uint8_t rec[KCAP_REC_MAX] __attribute__((aligned(8)));
	const char *path = tmppath("follow.kcap");
	struct kcap_writer *w;
	struct kcap_reader *r;
	struct kcap_read_status st;
	const struct kcap_hdr *h;
	struct synth s;
	long got = 0;
	int round, i;

	w = kcap_writer__open(path, NULL);
	r = kcap_reader__open(path, NULL);
	ck_assert_ptr_nonnull(r);
	synth_init(&s, 3, 1);
	for (round = 1; round <= 3; round++) {
		for (i = 0; i < 1000; i++) {
			synth_mix(&s, rec);
			kcap_writer__append(w, rec);
		}
		ck_assert_int_eq(kcap_writer__flush(w), 0);
		while (kcap_reader__next_record(r, &h) == 1)
			got++;
		ck_assert_int_eq(got, 1000 * round);
		kcap_reader__status(r, &st);
		ck_assert_int_eq(st.end, KCAP_END_NO_FOOTER);
		ck_assert_int_eq(kcap_reader__resume(r), 0);
	}
	ck_assert_int_eq(kcap_writer__close(w), 0);
	while (kcap_reader__next_record(r, &h) == 1)
		got++;
	kcap_reader__status(r, &st);
	ck_assert_int_eq(st.end, KCAP_END_COMPLETE);
	ck_assert_int_eq(kcap_reader__resume(r), -EINVAL);
	ck_assert_int_eq(got, 3000);
	kcap_reader__close(r);
}
END_TEST

START_TEST(codec_names_parse_with_levels)
{
	int c, l;

	ck_assert_int_eq(kcap_codec_parse("zstd", &c, &l), 0);
	ck_assert_int_eq(c, KCAP_CODEC_ZSTD);
	ck_assert_int_eq(kcap_codec_parse("zstd:19", &c, &l), 0);
	ck_assert_int_eq(l, 19);
	ck_assert_int_eq(kcap_codec_parse("zstd-cols", &c, &l), 0);
	ck_assert_int_eq(c, KCAP_CODEC_ZSTD_COLS);
	ck_assert_int_eq(kcap_codec_parse("zstd-cols:3", &c, &l), 0);
	ck_assert_int_eq(l, 3);
	ck_assert_int_eq(kcap_codec_parse("zstd-col", &c, &l), -EINVAL);
	ck_assert_int_eq(kcap_codec_parse("lz4:8", &c, &l), 0);
	ck_assert_int_eq(c, KCAP_CODEC_LZ4);
	ck_assert_int_eq(kcap_codec_parse("none", &c, &l), 0);
	ck_assert_int_eq(kcap_codec_parse("zstd:99", &c, &l), -ERANGE);
	ck_assert_int_eq(kcap_codec_parse("zstd:x", &c, &l), -EINVAL);
	ck_assert_int_eq(kcap_codec_parse("gzip", &c, &l), -EINVAL);
	ck_assert_int_eq(kcap_codec_parse("none:3", &c, &l), -EINVAL);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("roundtrip");
	TCase *tc = tcase_create("roundtrip");

	tcase_set_timeout(tc, 300);
	tcase_add_loop_test(
		tc, random_events_of_every_type_round_trip_field_by_field, 0,
		ARRAY_SIZE(codecs));
	tcase_add_loop_test(tc, realistic_events_round_trip_for_every_codec, 0,
			    ARRAY_SIZE(codecs));
	tcase_add_loop_test(tc,
			    writing_the_same_input_twice_gives_identical_bytes,
			    0, ARRAY_SIZE(codecs));
	tcase_add_test(tc, events_blocks_hold_at_most_the_block_size);
	tcase_add_test(tc, blocks_that_do_not_shrink_are_stored_uncompressed);
	tcase_add_test(tc, machine_snapshot_and_loss_blocks_round_trip);
	tcase_add_test(tc, seek_to_a_time_starts_at_the_snapshot_before_it);
	tcase_add_test(tc, flush_leaves_a_file_readable_up_to_the_flush);
	tcase_add_test(tc, tick_seals_a_block_older_than_the_flush_interval);
	tcase_add_test(
		tc, close_stats_counts_the_last_block_the_index_and_the_footer);
	tcase_add_test(tc, a_capture_reads_from_a_pipe);
	tcase_add_loop_test(
		tc,
		a_capture_written_to_a_sink_is_the_file_and_reads_from_a_source,
		0, 3);
	tcase_add_test(
		tc,
		a_sink_that_fails_stops_the_writer_and_a_source_that_fails_is_reported);
	tcase_add_test(tc,
		       seek_by_time_starts_at_the_first_block_that_can_hold_it);
	tcase_add_test(tc, seek_works_without_footer_by_walking_block_headers);
	tcase_add_test(tc, writer_refuses_records_that_would_not_validate);
	tcase_add_test(tc, options_with_unknown_nonzero_fields_are_refused);
	tcase_add_test(tc, a_full_disk_stops_the_writer_and_keeps_whole_blocks);
	tcase_add_test(
		tc,
		records_of_an_older_schema_are_presented_at_the_current_size);
	tcase_add_test(tc,
		       an_older_record_at_the_size_limit_keeps_its_values_cut);
	tcase_add_test(tc, codec_names_parse_with_levels);
	tcase_add_loop_test(
		tc, the_writer_thread_writes_the_same_bytes_as_the_caller_would,
		0, 2);
	tcase_add_test(tc, copied_blocks_read_back_unchanged);
	tcase_add_test(tc, resume_reads_what_the_writer_added_after_the_end);
	suite_add_tcase(s, tc);
	return kcap_check_run(s);
}
