// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * kcap-synth: writes a synthetic capture through libkcap, for fixtures,
 * demos and benchmarks. The mix is described in synth.h.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kcap/kcap.h"
#include "synth.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: kcap-synth [-n EVENTS] [-z CODEC] [-s SEED] [--random] -w FILE\n"
		"  -n N         events to write (default 5000)\n"
		"  -z CODEC     zstd[:LEVEL], lz4[:ACCEL] or none (default zstd)\n"
		"  -s SEED      random seed (default 1)\n"
		"  -b BYTES     block size (default 1 MiB)\n"
		"  --random     events of every type with random fields, instead\n"
		"               of the realistic mix\n"
		"  --no-close   stop without INDEX and FOOTER, as a killed writer\n"
		"  --loss N     also write a LOSS block of N lost reads\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "random", no_argument, NULL, 'R' },
		{ "no-close", no_argument, NULL, 'N' },
		{ "loss", required_argument, NULL, 'L' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	static uint8_t rec[KCAP_REC_MAX] __attribute__((aligned(8)));
	static uint8_t snap[1 << 16] __attribute__((aligned(8)));
	const char *out = NULL;
	long n = 5000, i, loss = 0;
	unsigned long seed = 1;
	int codec = KCAP_CODEC_ZSTD, level = 0, c, len;
	unsigned long block = 0;
	bool random = false, no_close = false;
	struct kcap_writer *w;
	struct synth s;
	size_t slen;

	while ((c = getopt_long(argc, argv, "n:z:s:b:w:h", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			n = strtol(optarg, NULL, 10);
			break;
		case 'z':
			if (kcap_codec_parse(optarg, &codec, &level)) {
				fprintf(stderr, "kcap-synth: bad codec '%s'\n",
					optarg);
				return 1;
			}
			break;
		case 's':
			seed = strtoul(optarg, NULL, 10);
			break;
		case 'b':
			block = strtoul(optarg, NULL, 10);
			break;
		case 'w':
			out = optarg;
			break;
		case 'R':
			random = true;
			break;
		case 'N':
			no_close = true;
			break;
		case 'L':
			loss = strtol(optarg, NULL, 10);
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 1;
		}
	}
	if (!out || n < 0) {
		usage(stderr);
		return 1;
	}
	/* fixed clocks, so that the same arguments give the same bytes */
	KCAP_OPTS(kcap_writer_opts, wo, .codec = codec, .level = level,
		  .block_size = (uint32_t)block,
		  .created_ns = 1795460564000000000ull,
		  .boot_wall_ns = 1795400000000000000ull);
	w = kcap_writer__open(out, &wo);
	if (!w) {
		fprintf(stderr, "kcap-synth: %s: %s\n", out,
			kcap_last_errmsg());
		return 1;
	}
	synth_init(&s, seed, 1795460564000000000ull);
	len = kcap_machine_record(rec, sizeof(rec),
				  "kcap-synth " KCAP_VERSION_STRING, argc,
				  argv);
	/* the host changes; keep the file reproducible */
	if (len > 0) {
		struct kcap_builder b;
		struct kcap_ev_machine *m = kcap_builder__start(
			&b, rec, sizeof(rec), kcap_schema__builtin(),
			KCAP_EV_machine, 1, s.ts);

		m->boot_wall_ns = 1795400000000000000ull;
		m->mem_bytes = 8ull << 30;
		m->cpus = 2;
		kcap_builder__var(&b,
				  offsetof(struct kcap_ev_machine, hostname),
				  "synth", 5);
		kcap_builder__var(&b, offsetof(struct kcap_ev_machine, kernel),
				  "6.18.0-synth", 12);
		kcap_builder__var(&b, offsetof(struct kcap_ev_machine, arch),
				  "x86_64", 6);
		kcap_builder__var(&b, offsetof(struct kcap_ev_machine, writer),
				  "kcap-synth " KCAP_VERSION_STRING, 16);
		len = kcap_builder__finish(&b);
	}
	if (len < 0 ||
	    kcap_writer__write_block(w, KCAP_BLOCK_MACHINE, rec, (size_t)len)) {
		fprintf(stderr, "kcap-synth: cannot write the MACHINE block\n");
		return 1;
	}
	slen = synth_snapshot(&s, snap, sizeof(snap));
	if (kcap_writer__write_block(w, KCAP_BLOCK_SNAPSHOT, snap, slen)) {
		fprintf(stderr,
			"kcap-synth: cannot write the SNAPSHOT block\n");
		return 1;
	}
	for (i = 0; i < n; i++) {
		len = random ? synth_random(&s, rec) : synth_mix(&s, rec);
		if (len < 0 || kcap_writer__append(w, rec)) {
			fprintf(stderr, "kcap-synth: %s\n",
				kcap_writer__errmsg(w));
			return 1;
		}
		if (loss && i == n / 2) {
			len = synth_loss(rec, s.ts - 5000000, s.ts,
					 KCAP_EV_read, KCAP_LOSS_RINGBUF,
					 (uint64_t)loss);
			if (kcap_writer__write_block(w, KCAP_BLOCK_LOSS, rec,
						     (size_t)len)) {
				fprintf(stderr, "kcap-synth: %s\n",
					kcap_writer__errmsg(w));
				return 1;
			}
		}
	}
	if (no_close) {
		/* as a writer killed after its last flush */
		if (kcap_writer__flush(w)) {
			fprintf(stderr, "kcap-synth: %s\n",
				kcap_writer__errmsg(w));
			return 1;
		}
		return 0;
	}
	if (kcap_writer__close(w)) {
		fprintf(stderr, "kcap-synth: closing %s: %s\n", out,
			kcap_last_errmsg());
		return 1;
	}
	return 0;
}
