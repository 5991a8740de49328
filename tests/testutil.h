/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Helpers shared by the check tests: temp files and in-memory captures. */
#ifndef KCAP_TESTS_TESTUTIL_H
#define KCAP_TESTS_TESTUTIL_H

#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kcap/kcap.h"
#include "synth.h"

/* A fresh temporary directory per test process. */
static inline const char *tmpdir(void)
{
	static char dir[64];

	if (!dir[0]) {
		strcpy(dir, "/tmp/kcap-test-XXXXXX");
		ck_assert_ptr_nonnull(mkdtemp(dir));
	}
	return dir;
}

static inline char *tmppath(const char *name)
{
	static char path[4][256];
	static int i;

	i = (i + 1) % 4;
	snprintf(path[i], sizeof(path[i]), "%s/%s", tmpdir(), name);
	return path[i];
}

static inline uint8_t *slurp(const char *path, size_t *len)
{
	struct stat sb;
	uint8_t *p;
	int fd = open(path, O_RDONLY);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(fstat(fd, &sb), 0);
	p = malloc((size_t)sb.st_size + 1);
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(read(fd, p, (size_t)sb.st_size), sb.st_size);
	close(fd);
	*len = (size_t)sb.st_size;
	return p;
}

/*
 * Writes n events of the synthetic mix (or random events) to path, and
 * returns the records back to back in *recs (caller frees).
 */
static inline void write_capture(const char *path, int codec, int level,
				 uint32_t block_size, long n, bool random,
				 uint64_t seed, uint8_t **recs,
				 size_t *recs_len)
{
	static uint8_t rec[KCAP_REC_MAX] __attribute__((aligned(8)));
	struct kcap_writer *w;
	struct synth s;
	size_t cap = 1 << 20, len = 0;
	uint8_t *all = recs ? malloc(cap) : NULL;
	long i;

	KCAP_OPTS(kcap_writer_opts, wo, .codec = codec, .level = level,
		  .block_size = block_size, .created_ns = 1, .boot_wall_ns = 2);
	w = kcap_writer__open(path, &wo);
	ck_assert_msg(w, "open %s: %s", path, kcap_last_errmsg());
	synth_init(&s, seed, 1700000000000000000ull);
	for (i = 0; i < n; i++) {
		int l = random ? synth_random(&s, rec) : synth_mix(&s, rec);

		ck_assert_int_gt(l, 0);
		ck_assert_int_eq(kcap_writer__append(w, rec), 0);
		if (all) {
			if (len + (size_t)l > cap) {
				cap *= 2;
				all = realloc(all, cap);
				ck_assert_ptr_nonnull(all);
			}
			memcpy(all + len, rec, (size_t)l);
			len += (size_t)l;
		}
	}
	ck_assert_int_eq(kcap_writer__close(w), 0);
	if (recs) {
		*recs = all;
		*recs_len = len;
	}
}

/* Reads every block of a capture in memory; counts events and errors. */
struct readout {
	long events; /* records of EVENTS blocks */
	long errors;
	long blocks;
	struct kcap_read_status st;
	char last_error[256];
	bool opened;
};

static inline struct readout read_all_mem(const void *buf, size_t len)
{
	struct readout o = { 0 };
	struct kcap_reader *r = kcap_reader__open_mem(buf, len, NULL);
	struct kcap_block b;
	int n;

	if (!r) {
		snprintf(o.last_error, sizeof(o.last_error), "%s",
			 kcap_last_errmsg());
		return o;
	}
	o.opened = true;
	while ((n = kcap_reader__next_block(r, &b)) != 0) {
		if (n < 0) {
			o.errors++;
			snprintf(o.last_error, sizeof(o.last_error), "%s",
				 kcap_reader__errmsg(r));
			continue;
		}
		o.blocks++;
		if (b.type == KCAP_BLOCK_EVENTS && b.data)
			o.events += b.count;
	}
	kcap_reader__status(r, &o.st);
	kcap_reader__close(r);
	return o;
}

#endif
