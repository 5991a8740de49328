// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Fuzz target for the reader: any bytes are opened as a capture, every
 * block and record is read, every record that validated is printed as text
 * and JSON, and seeks are tried at a few timestamps. A libFuzzer binary
 * with -fsanitize=fuzzer, and run_corpus.c's plain driver otherwise.
 *
 * Checksums guard nearly everything, so a mutated input rarely gets past
 * them: each input is also read a second time with its checksums (and
 * the header's schema hash, for an uncompressed SCHEMA block) made right,
 * which lets the fuzzer reach record validation, schema parsing and the
 * printers with bytes no writer would make.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "kcap/kcap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * Every call that returns consumes input: a record (16 bytes or more) of a
 * decoded payload, or a block (56 bytes or more), or a resync step of 8.
 * More calls than that allows means the reader is going round in circles:
 * make it a crash, so that the fuzzer reports it instead of timing out.
 */
struct progress {
	size_t calls;
	size_t budget;
	uint64_t block; /* offset of the block records last came from */
};

static void progress_init(struct progress *p, size_t size)
{
	p->calls = 0;
	p->budget = size / 8 + 64;
	p->block = UINT64_MAX;
}

static void check_progress(struct progress *p, const struct kcap_block *blk)
{
	if (blk && blk->offset != p->block) {
		p->block = blk->offset;
		p->budget += blk->raw_len / 16 + 1;
	}
	if (++p->calls > p->budget) {
		fprintf(stderr, "reader made no progress after %zu calls\n",
			p->calls);
		abort();
	}
}

static void print_record(struct kcap_buf *b, const struct kcap_schema *s,
			 const struct kcap_hdr *rec, unsigned int n)
{
	/* the printers must cope with any record that validated */
	b->len = 0;
	kcap_event__print_text(b, s, rec, n & 1 ? KCAP_PRINT_HEX_DATA : 0);
	b->len = 0;
	kcap_event__print_json(b, s, rec);
}

/* Reads records to the end, noting a few timestamps in ts to seek to. */
static void read_records(struct kcap_reader *r, struct kcap_buf *b, size_t size,
			 uint64_t ts[3])
{
	const struct kcap_hdr *rec;
	struct progress pr;
	unsigned int n = 0;
	int err;

	progress_init(&pr, size);
	while ((err = kcap_reader__next_record(r, &rec)) != 0) {
		check_progress(&pr, err > 0 ? kcap_reader__block(r) : NULL);
		if (err < 0)
			continue;
		if (ts) {
			if (!n)
				ts[0] = rec->ts;
			ts[1] = rec->ts;
			if (n == 7)
				ts[2] = rec->ts;
		}
		print_record(b, kcap_reader__schema(r), rec, n++);
	}
}

/* As `kcap info` reads: block headers only for EVENTS. */
static void read_blocks_skipping(const uint8_t *data, size_t size)
{
	KCAP_OPTS(kcap_reader_opts, ro, .skip_types = 1u << KCAP_BLOCK_EVENTS);
	struct kcap_reader *r = kcap_reader__open_mem(data, size, &ro);
	struct kcap_read_status st;
	struct kcap_block blk;
	struct progress pr;

	if (!r)
		return;
	progress_init(&pr, size);
	while (kcap_reader__next_block(r, &blk) != 0)
		check_progress(&pr, NULL);
	kcap_reader__status(r, &st);
	kcap_reader__close(r);
}

static uint32_t get32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, sizeof(v));
}

/* FORMAT.md 1: cksum32 is the low half of XXH3-64. */
static uint32_t cksum32(const void *p, size_t len)
{
	return (uint32_t)XXH3_64bits(p, len);
}

/*
 * Makes the checksums, trailers and schema hash of a capture right, in
 * place, walking blocks by their headers' lengths. Returns false if there
 * is nothing to fix (not a capture's header).
 */
static bool fix_sums(uint8_t *p, size_t size)
{
	uint32_t hlen;
	size_t off;
	bool first = true;

	if (size < 64 || memcmp(p, "\x89KCP\r\n\x1a\n", 8))
		return false;
	hlen = get32(p + 12);
	if (hlen < 64 || hlen > 4096 || hlen > size)
		return false;
	for (off = (hlen + 7) & ~7u; off + 48 <= size;) {
		uint8_t *h = p + off;
		uint32_t stored = get32(h + 8);
		uint64_t total = 48 + (((uint64_t)stored + 7) & ~7ull) + 8;

		if (get32(h) != 0x4b4c424bu || total > size - off)
			break;
		put32(h + 40, cksum32(h + 48, stored));
		put32(h + 44, cksum32(h, 44));
		put32(h + total - 8, (uint32_t)total);
		put32(h + total - 4, 0x444e454bu);
		if (first && get32(h + 4) == 1 && h[6] == 0) {
			uint64_t hash = XXH3_64bits(h + 48, stored);

			memcpy(p + 32, &hash, sizeof(hash));
		}
		first = false;
		off += total;
	}
	put32(p + hlen - 4, cksum32(p, hlen - 4));
	return true;
}

static void read_all(const uint8_t *data, size_t size)
{
	struct kcap_buf b = { 0 };
	struct kcap_read_status st;
	struct kcap_reader *r;
	uint64_t ts[3] = { 0, 0, 0 };
	unsigned int i;

	r = kcap_reader__open_mem(data, size, NULL);
	if (!r)
		return;
	read_records(r, &b, size, ts);
	kcap_reader__status(r, &st);

	/* a seek is followed by reading on, from wherever it landed */
	for (i = 0; i < 3; i++) {
		if (kcap_reader__seek_ts(r, ts[i] + i) == 0)
			read_records(r, &b, size, NULL);
	}
	if (kcap_reader__seek_ts(r, UINT64_MAX) == 0)
		read_records(r, &b, size, NULL);
	if (kcap_reader__rewind(r) == 0)
		read_records(r, &b, size, NULL);
	kcap_reader__close(r);
	kcap_buf__free(&b);

	read_blocks_skipping(data, size);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *fixed;

	read_all(data, size);
	fixed = malloc(size ? size : 1);
	if (!fixed)
		return 0;
	memcpy(fixed, data, size);
	if (fix_sums(fixed, size))
		read_all(fixed, size);
	free(fixed);
	return 0;
}
