// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Seeds for fuzz_cols.c: column layouts of synthetic records (the
 * realistic mix and random events of every type), 1 to 2000 of them, as
 * files of u32 raw_sel, u32 count, layout. Usage: cols_seeds DIR.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "internal.h"
#include "synth.h"

static void fail(const char *what)
{
	fprintf(stderr, "cols_seeds: %s: %s\n", what, strerror(errno));
	exit(1);
}

int main(int argc, char **argv)
{
	static const long counts[] = { 1, 2, 7, 60, 400, 2000 };
	static uint8_t rec[KCAP_REC_MAX] __attribute__((aligned(8)));
	struct kcap_cols *c = kcap_cols__new();
	unsigned int i, random;

	if (argc != 2) {
		fprintf(stderr, "usage: cols_seeds DIR\n");
		return 2;
	}
	if (mkdir(argv[1], 0755) && errno != EEXIST)
		fail(argv[1]);
	for (random = 0; random < 2; random++)
		for (i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
			size_t cap = 1 << 20, len = 0, xcap;
			uint8_t *recs = malloc(cap), *x;
			struct synth s;
			char path[512];
			uint32_t sel, count = (uint32_t)counts[i];
			long n, k;
			FILE *f;

			if (!c || !recs)
				fail("memory");
			synth_init(&s, 7 + i, 1700000000000000000ull);
			for (k = 0; k < counts[i]; k++) {
				int l = random ? synth_random(&s, rec) :
						 synth_mix(&s, rec);

				if (l <= 0 || len + (size_t)l > cap)
					break;
				memcpy(recs + len, rec, (size_t)l);
				len += (size_t)l;
			}
			count = (uint32_t)k;
			xcap = kcap_cols__bound(len);
			x = malloc(xcap);
			if (!x)
				fail("memory");
			n = kcap_cols__encode(c, kcap_schema__builtin(), recs,
					      len, count, x, xcap);
			if (n < 0) {
				errno = (int)-n;
				fail("encode");
			}
			sel = (uint32_t)(len / 8);
			snprintf(path, sizeof(path), "%s/%s-%u", argv[1],
				 random ? "random" : "mix", count);
			f = fopen(path, "wb");
			if (!f || fwrite(&sel, 4, 1, f) != 1 ||
			    fwrite(&count, 4, 1, f) != 1 ||
			    fwrite(x, 1, (size_t)n, f) != (size_t)n ||
			    fclose(f))
				fail(path);
			free(x);
			free(recs);
		}
	kcap_cols__free(c);
	return 0;
}
