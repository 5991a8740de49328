// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Fuzz target for the column layout's decoder (FORMAT.md 5.1), which a
 * crafted file reaches with every checksum right. The input is u32
 * raw_sel, u32 count, then the layout as zstd would give it; the block's
 * raw length is (raw_sel mod 2^17) x 8, under 1 MiB.
 *
 * Besides the sanitizers, two properties: what decodes is count records
 * that fill the raw length and pass validation (6.2); and those records
 * are canonical, so laying them out again and decoding that gives the
 * same bytes. A libFuzzer binary with -fsanitize=fuzzer; cols_seeds.c
 * writes seeds that run_corpus.c's plain driver runs it over otherwise.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void die(const char *what, const char *why)
{
	fprintf(stderr, "fuzz_cols: %s%s%s\n", what, why ? ": " : "",
		why ? why : "");
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct kcap_cols *c, *again;
	const struct kcap_schema *s = kcap_schema__builtin();
	uint32_t sel, count;
	size_t raw_len, off, xcap;
	uint8_t *in, *out, *x, *back;
	const char *why = NULL;
	long n;

	if (!c) {
		c = kcap_cols__new();
		again = kcap_cols__new();
		if (!c || !again)
			die("out of memory", NULL);
	}
	if (size < 8)
		return 0;
	memcpy(&sel, data, 4);
	memcpy(&count, data + 4, 4);
	raw_len = (size_t)(sel % (1u << 17)) * 8;
	/* buffers of exactly their size: AddressSanitizer sees overruns */
	in = malloc(size - 8 ? size - 8 : 1);
	out = malloc(raw_len ? raw_len : 1);
	if (!in || !out)
		die("out of memory", NULL);
	memcpy(in, data + 8, size - 8);
	if (kcap_cols__decode(c, s, in, size - 8, count, out, raw_len, &why))
		goto done;
	for (off = 0; off < raw_len; off += kcap_le16(out + off + 2))
		if (kcap_record_check(s, out + off, raw_len - off, &why))
			die("decoded record fails validation", why);
	xcap = kcap_cols__bound(raw_len);
	x = malloc(xcap);
	back = malloc(raw_len ? raw_len : 1);
	if (!x || !back)
		die("out of memory", NULL);
	n = kcap_cols__encode(again, s, out, raw_len, count, x, xcap);
	if (n < 0)
		die("decoded records cannot be laid out again", NULL);
	if (kcap_cols__decode(again, s, x, (size_t)n, count, back, raw_len,
			      &why))
		die("layout of decoded records does not decode", why);
	if (memcmp(back, out, raw_len))
		die("layout of decoded records decodes to other bytes", NULL);
	free(x);
	free(back);
done:
	free(in);
	free(out);
	return 0;
}
