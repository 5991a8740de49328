// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Damaged files: cut anywhere, any byte flipped. Never a crash, never silence. */
#include "internal.h"
#include "testutil.h"
#include "checkrun.h"

struct blockpos {
	uint64_t start, end;
	uint16_t type;
	uint32_t count;
};

/* A small capture of many blocks, and where each block starts and ends. */
static uint8_t *small_capture(int codec, size_t *len, struct blockpos *bp,
			      int *nb)
{
	const char *path = tmppath("small.kcap");
	uint8_t *buf;
	struct kcap_reader *r;
	struct kcap_block b;

	write_capture(path, codec, 0, 4096, 600, false, 5, NULL, NULL);
	buf = slurp(path, len);
	r = kcap_reader__open_mem(buf, *len, NULL);
	ck_assert_ptr_nonnull(r);
	*nb = 0;
	while (kcap_reader__next_block(r, &b) == 1) {
		bp[*nb].start = b.offset;
		bp[*nb].end = b.offset + KCAP_BLOCK_HDR_SIZE +
			      ALIGN8((uint64_t)b.stored_len) + 8;
		bp[*nb].type = b.type;
		bp[*nb].count = b.count;
		(*nb)++;
	}
	kcap_reader__close(r);
	ck_assert_int_gt(*nb, 5);
	return buf;
}

START_TEST(a_file_cut_at_every_offset_reads_to_its_last_whole_block)
{
	struct blockpos bp[256];
	size_t len, cut;
	int nb, i;
	uint8_t *buf = small_capture(KCAP_CODEC_ZSTD, &len, bp, &nb);

	for (cut = 0; cut < len; cut++) {
		/* a private copy, so ASan sees any read past the cut */
		uint8_t *c = malloc(cut ? cut : 1);
		struct readout o;
		long want = 0;
		int whole = 0;

		memcpy(c, buf, cut);
		o = read_all_mem(c, cut);
		free(c);
		if (cut < KCAP_FILE_HDR_SIZE) {
			ck_assert_msg(!o.opened, "cut %zu: opened", cut);
			ck_assert_msg(strstr(o.last_error, "not a kcap file") ||
					      strstr(o.last_error, "truncated"),
				      "cut %zu: %s", cut, o.last_error);
			continue;
		}
		ck_assert_msg(o.opened, "cut %zu: %s", cut, o.last_error);
		for (i = 0; i < nb && bp[i].end <= cut; i++) {
			whole++;
			if (bp[i].type == KCAP_BLOCK_EVENTS)
				want += bp[i].count;
		}
		ck_assert_msg(o.errors == 0, "cut %zu: %s", cut, o.last_error);
		ck_assert_int_eq(o.blocks, whole);
		ck_assert_int_eq(o.events, want);
		ck_assert_int_eq(o.st.last_seq, whole - 1);
		if (whole < nb && cut == (whole ? bp[whole - 1].end : 64)) {
			ck_assert_int_eq(o.st.end, KCAP_END_NO_FOOTER);
		} else {
			ck_assert_int_eq(o.st.end, KCAP_END_TRUNCATED);
			ck_assert_uint_eq(o.st.end_offset,
					  whole ? bp[whole - 1].end : 64);
		}
	}
	free(buf);
}
END_TEST

START_TEST(every_flipped_byte_is_caught_by_a_checksum_or_a_check)
{
	struct blockpos bp[256];
	size_t len, pos;
	int nb;
	uint8_t *buf = small_capture(_i ? KCAP_CODEC_LZ4 : KCAP_CODEC_NONE,
				     &len, bp, &nb);
	uint8_t *c = malloc(len);

	for (pos = 0; pos < len; pos++) {
		static const uint8_t masks[] = { 0x01, 0x80, 0xff };

		for (unsigned int m = 0; m < sizeof(masks); m++) {
			struct readout o;

			memcpy(c, buf, len);
			c[pos] ^= masks[m];
			o = read_all_mem(c, len);
			ck_assert_msg(
				!o.opened || o.errors > 0 ||
					o.st.missing_blocks > 0,
				"flipping byte %zu with 0x%02x went unnoticed",
				pos, masks[m]);
		}
	}
	free(c);
	free(buf);
}
END_TEST

/*
 * The EVENTS block to damage (the first after the third block) and the
 * records the other EVENTS blocks hold.
 */
static int pick_victim(const struct blockpos *bp, int nb, long *others)
{
	int i, victim = -1;

	*others = 0;
	for (i = 0; i < nb; i++) {
		if (bp[i].type != KCAP_BLOCK_EVENTS)
			continue;
		if (victim < 0 && i > 2)
			victim = i;
		else
			*others += bp[i].count;
	}
	ck_assert_int_gt(victim, 0);
	return victim;
}

START_TEST(a_corrupt_payload_loses_only_its_own_block)
{
	struct blockpos bp[256];
	size_t len;
	int nb, victim;
	long want = 0;
	uint8_t *buf = small_capture(KCAP_CODEC_ZSTD, &len, bp, &nb);
	struct readout o;

	victim = pick_victim(bp, nb, &want);
	buf[bp[victim].start + KCAP_BLOCK_HDR_SIZE + 5] ^= 0x10;
	o = read_all_mem(buf, len);
	ck_assert_int_eq(o.errors, 1);
	ck_assert_ptr_nonnull(
		strstr(o.last_error, "payload checksum mismatch"));
	ck_assert_int_eq(o.events, want);
	ck_assert_int_eq(o.st.corrupt_blocks, 1);
	ck_assert_int_eq(o.st.end, KCAP_END_COMPLETE);
	free(buf);
}
END_TEST

/*
 * A record whose type lies below the schema's highest id but is not
 * described by it (ids are permanent, so the schema has gaps) makes its
 * block corrupt. The block's checksums are made to hold, so only the record
 * check can catch it. next_block() hands out no record of the block;
 * next_record() hands out the two records before the bad one, then the
 * error, and nothing more of that block.
 */
START_TEST(a_record_of_a_type_the_schema_skips_is_refused_and_ends_its_block)
{
	const struct kcap_schema *s = kcap_schema__builtin();
	struct blockpos bp[256];
	size_t len;
	int nb, victim;
	unsigned int gap, id;
	long want = 0, got = 0, errors = 0;
	uint8_t *buf = small_capture(KCAP_CODEC_NONE, &len, bp, &nb);
	uint8_t *h, *payload;
	struct kcap_reader *r;
	const struct kcap_hdr *rec;
	struct readout o;
	int rc;

	for (gap = 0, id = 1; id < kcap_schema__id_limit(s) && !gap; id++)
		if (!kcap_schema__event(s, id))
			gap = id;
	ck_assert_msg(gap,
		      "the built-in schema has no unused id below its limit");
	victim = pick_victim(bp, nb, &want);
	h = buf + bp[victim].start;
	payload = h + KCAP_BLOCK_HDR_SIZE;
	/* the third record of the block */
	payload += kcap_le16(payload + 2);
	payload += kcap_le16(payload + 2);
	kcap_put16(payload, (uint16_t)gap);
	h = buf + bp[victim].start;
	kcap_put32(h + 40,
		   kcap_cksum32(h + KCAP_BLOCK_HDR_SIZE, kcap_le32(h + 8)));
	kcap_put32(h + 44, kcap_cksum32(h, 44));

	o = read_all_mem(buf, len);
	ck_assert_int_eq(o.errors, 1);
	ck_assert_ptr_nonnull(
		strstr(o.last_error, "record 2 at payload offset"));
	ck_assert_ptr_nonnull(
		strstr(o.last_error, "not described by the file's schema"));
	ck_assert_int_eq(o.events, want);
	ck_assert_int_eq(o.st.corrupt_blocks, 1);

	r = kcap_reader__open_mem(buf, len, NULL);
	ck_assert_ptr_nonnull(r);
	while ((rc = kcap_reader__next_record(r, &rec)) != 0) {
		if (rc < 0) {
			errors++;
			continue;
		}
		if (kcap_reader__block(r)->type == KCAP_BLOCK_EVENTS)
			got++;
	}
	ck_assert_int_eq(errors, 1);
	ck_assert_int_eq(got, want + 2);
	kcap_reader__status(r, &o.st);
	ck_assert_int_eq(o.st.corrupt_blocks, 1);
	ck_assert_ptr_nonnull(
		strstr(kcap_reader__errmsg(r), "record 2 at payload offset"));
	kcap_reader__close(r);
	free(buf);
}
END_TEST

/*
 * A block whose header counts one record more than its payload holds is
 * corrupt. next_record() finds this only after the last record (it checks
 * records as it hands them out): every record comes out, then the error.
 */
START_TEST(
	a_block_that_holds_fewer_records_than_it_counts_is_reported_after_them)
{
	struct blockpos bp[256];
	size_t len;
	int nb, i, victim = -1;
	long want = 0, got = 0, errors = 0;
	uint8_t *buf = small_capture(KCAP_CODEC_LZ4, &len, bp, &nb);
	uint8_t *h;
	struct kcap_reader *r;
	const struct kcap_hdr *rec;
	struct kcap_read_status st;
	char msg[128];
	int rc;

	for (i = 0; i < nb; i++) {
		if (bp[i].type != KCAP_BLOCK_EVENTS)
			continue;
		if (victim < 0 && i > 2)
			victim = i;
		want += bp[i].count;
	}
	ck_assert_int_gt(victim, 0);
	h = buf + bp[victim].start;
	kcap_put32(h + 16, bp[victim].count + 1);
	kcap_put32(h + 44, kcap_cksum32(h, 44));
	snprintf(msg, sizeof(msg), "header says %u records, payload holds %u",
		 bp[victim].count + 1, bp[victim].count);

	r = kcap_reader__open_mem(buf, len, NULL);
	ck_assert_ptr_nonnull(r);
	while ((rc = kcap_reader__next_record(r, &rec)) != 0) {
		if (rc < 0) {
			errors++;
			ck_assert_ptr_nonnull(
				strstr(kcap_reader__errmsg(r), msg));
			continue;
		}
		if (kcap_reader__block(r)->type == KCAP_BLOCK_EVENTS)
			got++;
	}
	kcap_reader__status(r, &st);
	ck_assert_int_eq(errors, 1);
	ck_assert_int_eq(got, want);
	ck_assert_int_eq(st.corrupt_blocks, 1);
	ck_assert_int_eq(st.end, KCAP_END_COMPLETE);
	kcap_reader__close(r);
	free(buf);
}
END_TEST

START_TEST(a_corrupt_block_header_is_passed_by_scanning_to_the_next_block)
{
	struct blockpos bp[256];
	size_t len;
	int nb, i, victim = -1;
	long want = 0;
	uint8_t *buf = small_capture(KCAP_CODEC_ZSTD, &len, bp, &nb);
	struct readout o;

	for (i = 0; i < nb; i++) {
		if (bp[i].type != KCAP_BLOCK_EVENTS)
			continue;
		if (victim < 0 && i > 2)
			victim = i;
		else
			want += bp[i].count;
	}
	/* its stored length: the header checksum no longer holds */
	buf[bp[victim].start + 9] ^= 0x40;
	o = read_all_mem(buf, len);
	ck_assert_int_ge(o.errors, 1);
	ck_assert_int_eq(o.events, want);
	ck_assert_int_eq(o.st.missing_blocks, 1);
	ck_assert_int_eq(o.st.end, KCAP_END_COMPLETE);
	free(buf);
}
END_TEST

START_TEST(a_corrupt_schema_block_falls_back_to_the_known_schema)
{
	struct blockpos bp[256];
	size_t len;
	int nb;
	long want = 0;
	uint8_t *buf = small_capture(KCAP_CODEC_ZSTD, &len, bp, &nb);
	struct readout o;

	for (int i = 0; i < nb; i++)
		if (bp[i].type == KCAP_BLOCK_EVENTS)
			want += bp[i].count;
	ck_assert_int_eq(bp[0].type, KCAP_BLOCK_SCHEMA);
	buf[bp[0].start + KCAP_BLOCK_HDR_SIZE + 30] ^= 1;
	o = read_all_mem(buf, len);
	ck_assert_int_eq(o.errors, 1);
	ck_assert_int_eq(o.events, want);
	/* and so does a seek (kcap read --since), which reads it first */
	{
		struct kcap_reader *r = kcap_reader__open_mem(buf, len, NULL);
		const struct kcap_hdr *h;
		struct kcap_read_status st;
		uint64_t evoff;
		long n = 0;

		ck_assert_ptr_nonnull(r);
		ck_assert_int_eq(kcap_reader__seek_snapshot(r, 0, &evoff), 0);
		while (kcap_reader__next_record(r, &h) == 1)
			n += kcap_reader__block(r)->type == KCAP_BLOCK_EVENTS;
		ck_assert_int_eq(n, want);
		kcap_reader__status(r, &st);
		ck_assert_uint_eq(st.corrupt_blocks, 1);
		kcap_reader__close(r);
	}
	free(buf);
}
END_TEST

/*
 * A block that comes again (copied twice, or two captures joined with
 * cat) is out of order, not a gap: in u32, its seq below the one
 * expected made 4294967295 blocks "missing".
 */
START_TEST(a_repeated_block_is_out_of_order_not_four_billion_missing)
{
	struct blockpos bp[256];
	size_t len, dlen;
	int nb, k, j = -1;
	uint8_t *buf = small_capture(KCAP_CODEC_ZSTD, &len, bp, &nb), *dup;
	long whole = read_all_mem(buf, len).events;
	struct readout o;

	/* an EVENTS block j copied again before block k = j + 3 */
	for (k = 1; k < nb && j < 0; k++)
		if (bp[k].type == KCAP_BLOCK_EVENTS)
			j = k;
	ck_assert_int_gt(j, 0);
	k = j + 3;
	ck_assert_int_lt(k, nb);
	dlen = len + (bp[j].end - bp[j].start);
	dup = malloc(dlen + len);
	ck_assert_ptr_nonnull(dup);
	memcpy(dup, buf, bp[k].start);
	memcpy(dup + bp[k].start, buf + bp[j].start, bp[j].end - bp[j].start);
	memcpy(dup + bp[k].start + (bp[j].end - bp[j].start), buf + bp[k].start,
	       len - bp[k].start);
	o = read_all_mem(dup, dlen);
	ck_assert_uint_eq(o.st.missing_blocks, 0);
	ck_assert_uint_eq(o.st.misordered_blocks, 1);
	ck_assert(kcap_read_status__damaged(&o.st));
	ck_assert_int_eq(o.events, whole + bp[j].count);

	/* cat a.kcap a.kcap: the second file's blocks start again at 0 */
	memcpy(dup, buf, len);
	memcpy(dup + len, buf, len);
	o = read_all_mem(dup, 2 * len);
	ck_assert_uint_eq(o.st.missing_blocks, 0);
	ck_assert_uint_eq(o.st.misordered_blocks, 1);
	free(dup);
	free(buf);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("damage");
	TCase *tc = tcase_create("damage");

	tcase_set_timeout(tc, 1200);
	tcase_add_test(
		tc, a_file_cut_at_every_offset_reads_to_its_last_whole_block);
	tcase_add_loop_test(
		tc, every_flipped_byte_is_caught_by_a_checksum_or_a_check, 0,
		2);
	tcase_add_test(tc, a_corrupt_payload_loses_only_its_own_block);
	tcase_add_test(
		tc,
		a_block_that_holds_fewer_records_than_it_counts_is_reported_after_them);
	tcase_add_test(
		tc,
		a_record_of_a_type_the_schema_skips_is_refused_and_ends_its_block);
	tcase_add_test(
		tc,
		a_corrupt_block_header_is_passed_by_scanning_to_the_next_block);
	tcase_add_test(tc,
		       a_corrupt_schema_block_falls_back_to_the_known_schema);
	tcase_add_test(
		tc, a_repeated_block_is_out_of_order_not_four_billion_missing);
	suite_add_tcase(s, tc);
	return kcap_check_run(s);
}
