// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The fuzz target as a plain test: runs it over every file of the given
 * directories (the real legacy captures, when present), and over damaged
 * copies of a capture the test writer makes: every truncation point of
 * its first part, and deterministic byte flips everywhere, plain and gzip.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "scapw.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long n;

	if (!f)
		return -1;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc(n > 0 ? (size_t)n : 1);
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		fclose(f);
		free(buf);
		return -1;
	}
	fclose(f);
	LLVMFuzzerTestOneInput(buf, (size_t)n);
	/* and every prefix at a coarse step: truncated real captures */
	for (long cut = 0; cut < n; cut += 997)
		LLVMFuzzerTestOneInput(buf, (size_t)cut);
	free(buf);
	return 0;
}

static void make_capture(struct scapw *w)
{
	static const struct sw_proc p[] = {
		{ 10, 10, 1, "a", "a", "/bin/a", "x\ny", "/", "cpu=/", "/", 0,
		  0 },
	};
	static const struct sw_fd fd[] = {
		{ 3, 7, 16, 1, "/f", { 0 }, { 0 }, 0, 0 },
		{ 4, 8, 3, 0, NULL, { 1, 2, 3, 4 }, { 5, 6, 7, 8 }, 1, 2 },
	};
	uint8_t tup[13] = { 2, 1, 2, 3, 4, 0, 1, 5, 6, 7, 8, 0, 2 };
	int i;

	scapw_init(w);
	scapw_shb(w, 1, 2);
	scapw_mi(w, 2, 1 << 20, "h", 1);
	scapw_pl9(w, p, 1);
	scapw_fdl2(w, 10, fd, 2);
	for (i = 0; i < 6; i++) {
		scapw_ev(w, i & 1 ? SW_EV_V2 : SW_EV_V1, 0, 0, 100 + i, 10, 2,
			 3,
			 (struct sp[]){ sp_str("/etc/x"), sp_u32(5),
					sp_u32(0) });
		scapw_ev(w, SW_EVF_V2, 0, 1, 101 + i, 10, 3, 1,
			 (struct sp[]){ sp_u64(3) });
	}
	scapw_ev(w, SW_EV_V2, 0, 0, 200, 11, 22, 2,
		 (struct sp[]){ sp_u64(4), sp_buf(tup, 7) });
	scapw_ev(w, SW_EV_V2, 0, 0, 201, 11, 23, 2,
		 (struct sp[]){ sp_u64(0), sp_buf(tup, 13) });
	scapw_ev(w, SW_EV_V2, 0, 0, 202, 11, 148, 1,
		 (struct sp[]){ sp_u32(1) });
	scapw_ev(w, SW_EV_V2, 0, 0, 203, 11, 186, 5,
		 (struct sp[]){ sp_u64(0), sp_u64(0), sp_u8(0), sp_u8(0),
				sp_u64(1) });
}

static void mutate(const uint8_t *buf, size_t len, unsigned int *runs)
{
	uint8_t *m = malloc(len);
	size_t i;
	unsigned int seed = 12345;

	for (i = 0; i <= len; i++) {
		LLVMFuzzerTestOneInput(buf, i);
		(*runs)++;
	}
	for (i = 0; i < len; i++) {
		static const uint8_t vals[] = { 0x00, 0xff, 0x80, 0x01 };

		memcpy(m, buf, len);
		seed = seed * 1103515245 + 12345;
		m[i] ^= (uint8_t)(seed >> 16) | 1;
		LLVMFuzzerTestOneInput(m, len);
		m[i] = vals[i % 4];
		LLVMFuzzerTestOneInput(m, len);
		*runs += 2;
	}
	free(m);
}

int main(int argc, char **argv)
{
	struct scapw w;
	unsigned int runs = 0;
	uint8_t *gz;
	size_t gzlen;
	int i;

	for (i = 1; i < argc; i++) {
		DIR *d = opendir(argv[i]);
		struct dirent *de;

		if (!d) {
			printf("SKIP: %s is absent\n", argv[i]);
			continue;
		}
		while ((de = readdir(d))) {
			char path[4096];

			if (de->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/%s", argv[i],
				 de->d_name);
			if (!run_file(path))
				runs++;
		}
		closedir(d);
	}
	make_capture(&w);
	mutate(w.buf, w.len, &runs);
	gz = scapw_gzip(&w, &gzlen);
	mutate(gz, gzlen, &runs);
	free(gz);
	scapw_free(&w);
	printf("fuzz_scap: %u inputs, no crash\n", runs);
	return 0;
}
