// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bench_convert: legacy .scap conversion speed and output size
 * (docs/PERFORMANCE.md, "Converter").
 *
 * Writes a legacy capture of N events (enter+exit pairs, the libs 0.21
 * layout: one event per EV_V2 block) with the test writer, plain and
 * gzip'd, then times, on the files in the page cache:
 *   read:    kcap_scap__open_reader + kcap_reader__next_record to the end,
 *            as `kcap read`/`kcap info` on a .scap (converter thread + pipe)
 *   convert: kcap_scap__convert into a zstd kcap_writer (`kcap convert`)
 *   reader:  the legacy reader alone (no conversion), for reference
 * and reports input events/s and the .kcap's size against the gzip'd .scap.
 *
 *   bench_convert [-n EVENTS] [-d DIR] [-k]   (-k keeps the files)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include "kcap/scap.h"
#include "scap_internal.h"
#include "scapw.h"

static double clk(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double now(void)
{
	return clk(CLOCK_MONOTONIC);
}

/*
 * CPU time of the whole process (every thread): on a shared machine the
 * wall clock says more about the neighbours than about the code.
 */
static double cpu_now(void)
{
	return clk(CLOCK_PROCESS_CPUTIME_ID);
}

static double cpu_used;

static void report(const char *what, uint64_t nev, double wall)
{
	printf("%-34s %6.2f M input events/s wall, %6.2f M/s per CPU "
	       "second (%.0f ms wall, %.0f ms CPU)\n",
	       what, nev / wall / 1e6, nev / cpu_used / 1e6, wall * 1e3,
	       cpu_used * 1e3);
}

static uint32_t rnd(uint64_t *s)
{
	*s = *s * 6364136223846793005ull + 1442695040888963407ull;
	return (uint32_t)(*s >> 33);
}

static const char *paths[] = {
	"/etc/ld.so.cache",	   "/lib/x86_64-linux-gnu/libc.so.6",
	"/proc/self/status",	   "/var/log/nginx/access.log",
	"/usr/share/zoneinfo/UTC", "/home/app/data/cache/0001.bin",
	"/etc/nsswitch.conf",	   "/sys/fs/cgroup/cpu.max",
};

/* A busy server's mix, in pairs: read, write, open, close, generic, connect. */
static void make(struct scapw *w, uint64_t nev, uint64_t *pairs_out)
{
	uint64_t s = 42, ts = 1700000000000000000ull, pairs = 0;
	char data[80];
	int i;

	for (i = 0; i < 80; i++)
		data[i] = (char)('a' + i % 26);
	scapw_init(w);
	scapw_shb(w, 1, 2);
	scapw_mi(w, 8, 16ull << 30, "benchhost", ts - 1000000000000ull);
	while (pairs * 2 < nev) {
		uint32_t r = rnd(&s) % 100, tid = 1000 + rnd(&s) % 64;
		uint32_t n = 1 + rnd(&s) % 80;
		uint16_t cpu = (uint16_t)(tid % 8);
		int64_t fd = 3 + rnd(&s) % 20;

		ts += 200 + rnd(&s) % 1000;
		if (r < 40 || r >= 96) { /* read */
			scapw_ev(w, SW_EV_V2, cpu, 0, ts, tid, 6, 2,
				 (struct sp[]){ sp_u64((uint64_t)fd),
						sp_u32(4096) });
			scapw_ev(w, SW_EV_V2, cpu, 0, ts + 900, tid, 7, 2,
				 (struct sp[]){ sp_u64(n), sp_buf(data, n) });
		} else if (r < 65) { /* write */
			scapw_ev(w, SW_EV_V2, cpu, 0, ts, tid, 8, 2,
				 (struct sp[]){ sp_u64((uint64_t)fd),
						sp_u32(n) });
			scapw_ev(w, SW_EV_V2, cpu, 0, ts + 900, tid, 9, 2,
				 (struct sp[]){ sp_u64(n), sp_buf(data, n) });
		} else if (r < 80) { /* open */
			scapw_ev(w, SW_EV_V2, cpu, 0, ts, tid, 2, 3,
				 (struct sp[]){ sp_str(paths[n % 8]),
						sp_u32(1 | (1 << 12)),
						sp_u32(0) });
			scapw_ev(w, SW_EV_V2, cpu, 0, ts + 2000, tid, 3, 6,
				 (struct sp[]){ sp_u64((uint64_t)fd),
						sp_str(paths[n % 8]),
						sp_u32(1 | (1 << 12)),
						sp_u32(0), sp_u32(0x801),
						sp_u64(100000 + n) });
		} else if (r < 95) { /* close */
			scapw_ev(w, SW_EV_V2, cpu, 0, ts, tid, 4, 1,
				 (struct sp[]){ sp_u64((uint64_t)fd) });
			scapw_ev(w, SW_EV_V2, cpu, 0, ts + 300, tid, 5, 1,
				 (struct sp[]){ sp_u64(0) });
		} else { /* a syscall without its own event */
			scapw_ev(w, SW_EV_V2, cpu, 0, ts, tid, 0, 2,
				 (struct sp[]){ sp_u16(4), sp_u16(228) });
			scapw_ev(w, SW_EV_V2, cpu, 0, ts + 100, tid, 1, 1,
				 (struct sp[]){ sp_u16(4) });
		}
		pairs++;
	}
	*pairs_out = pairs;
}

static void save(const char *path, const void *buf, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(buf, 1, len, f) != len || fclose(f)) {
		perror(path);
		exit(1);
	}
}

static uint64_t fsize(const char *path)
{
	struct stat st;

	return stat(path, &st) ? 0 : (uint64_t)st.st_size;
}

static double bench_read(const char *path, uint64_t *recs)
{
	struct kcap_scap_conv *cv;
	struct kcap_reader *r;
	const struct kcap_hdr *h;
	const char *msg;
	double c = cpu_now(), t = now();
	uint64_t n = 0, sum = 0;

	r = kcap_scap__open_reader(path, &cv);
	if (!r) {
		fprintf(stderr, "%s: %s\n", path, kcap_last_errmsg());
		exit(1);
	}
	while (kcap_reader__next_record(r, &h) > 0) {
		n++;
		sum += h->len;
	}
	if (kcap_scap__close_reader(cv, r, &msg)) {
		fprintf(stderr, "%s: %s\n", path, msg);
		exit(1);
	}
	*recs = n + (sum & 0);
	t = now() - t;
	cpu_used = cpu_now() - c;
	return t;
}

static double bench_legacy(const char *path, uint64_t *evs)
{
	struct scap_rd *rd = scap_rd__open(path);
	struct scap_item *it = malloc(sizeof(*it));
	double c = cpu_now(), t = now();
	uint64_t n = 0;

	while (scap_rd__next(rd, it) > 0)
		n += it->kind == SCAP_IT_EVENT;
	*evs = n;
	t = now() - t;
	cpu_used = cpu_now() - c;
	scap_rd__close(rd);
	free(it);
	return t;
}

/*
 * async 4: as kcap convert does, the writer's thread compresses;
 * async 0: everything on the calling thread, the one-core figure.
 */
static double bench_convert(const char *in, const char *out,
			    struct kcap_scap_report *rep, uint32_t async)
{
	struct kcap_writer *w;
	double c = cpu_now(), t = now();

	KCAP_OPTS(kcap_writer_opts, wo, .codec = KCAP_CODEC_ZSTD,
		  .async_blocks = async);
	w = kcap_writer__open(out, &wo);
	if (!w || kcap_scap__convert(in, w, NULL, rep) ||
	    kcap_writer__close(w)) {
		fprintf(stderr, "convert %s failed: %s\n", in, rep->err_msg);
		exit(1);
	}
	t = now() - t;
	cpu_used = cpu_now() - c;
	return t;
}

int main(int argc, char **argv)
{
	uint64_t nev = 1500000, pairs, recs, evs;
	const char *dir = "/tmp";
	char plain[512], gzp[512], out[512];
	struct kcap_scap_report *rep = calloc(1, sizeof(*rep));
	struct scapw w;
	uint8_t *gz;
	size_t gzlen;
	double t;
	int opt, round, keep = 0, rounds = 3;

	while ((opt = getopt(argc, argv, "n:d:kr:")) != -1) {
		if (opt == 'n')
			nev = strtoull(optarg, NULL, 0);
		else if (opt == 'd')
			dir = optarg;
		else if (opt == 'k')
			keep = 1;
		else if (opt == 'r')
			rounds = atoi(optarg);
		else {
			fprintf(stderr, "usage: bench_convert [-n EVENTS] "
					"[-d DIR] [-k] [-r ROUNDS]\n");
			return 2;
		}
	}
	snprintf(plain, sizeof(plain), "%s/bench_convert.%d.scap", dir,
		 (int)getpid());
	snprintf(gzp, sizeof(gzp), "%s/bench_convert.%d.scap.gz", dir,
		 (int)getpid());
	snprintf(out, sizeof(out), "%s/bench_convert.%d.kcap", dir,
		 (int)getpid());
	make(&w, nev, &pairs);
	nev = pairs * 2;
	save(plain, w.buf, w.len);
	gz = scapw_gzip(&w, &gzlen);
	save(gzp, gz, gzlen);
	printf("legacy capture: %llu events (%llu pairs), %.1f MB plain, "
	       "%.1f MB gzip'd (%.1f bytes/event)\n",
	       (unsigned long long)nev, (unsigned long long)pairs, w.len / 1e6,
	       gzlen / 1e6, (double)w.len / (double)nev);
	free(gz);
	scapw_free(&w);

	/* best of 3 for each: the machine is shared */
	for (round = 0; round < rounds; round++) {
		t = bench_legacy(plain, &evs);
		report("legacy reader alone, plain:", evs, t);
		t = bench_legacy(gzp, &evs);
		report("legacy reader alone, gzip:", evs, t);
		t = bench_read(plain, &recs);
		report("read through converter, plain:", nev, t);
		t = bench_read(gzp, &recs);
		report("read through converter, gzip:", nev, t);
		t = bench_convert(plain, out, rep, 4);
		report("kcap convert to zstd, plain:", nev, t);
		t = bench_convert(plain, out, rep, 0);
		report("  same, one thread:", nev, t);
		t = bench_convert(gzp, out, rep, 4);
		report("kcap convert to zstd, gzip:", nev, t);
	}
	printf("output: %.2f MB zstd .kcap = %.3f of the gzip'd .scap "
	       "(%.2f bytes/input event)\n",
	       fsize(out) / 1e6, (double)fsize(out) / (double)fsize(gzp),
	       (double)fsize(out) / (double)nev);
	if (keep) {
		printf("kept %s %s %s\n", plain, gzp, out);
	} else {
		unlink(plain);
		unlink(gzp);
		unlink(out);
	}
	free(rep);
	return 0;
}
