// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bench_replay: how fast the replay engine goes. See docs/PERFORMANCE.md,
 * section "Replay".
 *
 * 1. Writes N events of synth_mix() (tests/synth.h), after a SNAPSHOT of
 *    its processes, to a file with the chosen codec (lz4 by default).
 *    Not timed.
 * 2. Times (CPU time of this process, on one pinned core), best of -r
 *    runs each:
 *    - read: kcap_reader__next_record over every record (the floor);
 *    - engine: kcap_replay with state tracking and a filter that matches
 *      nothing ("proc.name = nosuchprocess"): events/s;
 *    - engine, filter on event type only ("evt.type = nosuchtype" is not
 *      valid, so "evt.type = ptrace"): events/s;
 *    - text: the engine printing every event as a text line to /dev/null:
 *      lines/s;
 *    - engine, children exit: as "engine", on the same mix with a procexit
 *      for each forked child 1 us after its clone (-k keeps both files).
 *
 * The workload, and why both engine figures are given: synth_mix() forks
 * (0.4% of events, 12,000 in 3 M) children that never run nor exit, so
 * each keeps its parent's fd table, and the parent's next open or close
 * copies it; real children exec or exit soon after fork. Its execve and
 * procexit records (0.3% each) come from the busy threads themselves: the
 * threads an exec retires, and a thread that exits, keep making syscalls
 * and come back as new processes the engine knows nothing of (no name, no
 * fds). docs/PERFORMANCE.md, "Replay".
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"
#include "synth.h"

/*
 * CPU time of the process, not wall time: the machine is shared, and a
 * phase preempted by another job should not look slower. Everything runs
 * in this one thread, pinned to one core.
 */
static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * exiting: after each clone, its child exits (a procexit record 1 us
 * later). In synth_mix() forked children never run nor exit, so every fork
 * keeps a copy of its parent's ~60 fds for the rest of the capture; real
 * children exec and exit. Both are measured.
 */
static int write_file(const char *path, long n, int codec, int level,
		      bool exiting)
{
	static uint8_t rec[KCAP_REC_MAX] __attribute__((aligned(8)));
	static uint8_t snap[1 << 16] __attribute__((aligned(8)));
	KCAP_OPTS(kcap_writer_opts, wo, .codec = codec, .level = level);
	struct kcap_writer *w = kcap_writer__open(path, &wo);
	struct synth s;
	size_t slen;
	long i;

	if (!w)
		return -1;
	synth_init(&s, 1, 1795460564000000000ull);
	slen = synth_snapshot(&s, snap, sizeof(snap));
	if (kcap_writer__write_block(w, KCAP_BLOCK_SNAPSHOT, snap, slen))
		return -1;
	for (i = 0; i < n; i++) {
		if (synth_mix(&s, rec) < 0 || kcap_writer__append(w, rec))
			return -1;
		if (exiting &&
		    ((struct kcap_hdr *)rec)->type == KCAP_EV_clone) {
			const struct kcap_ev_clone *c = (const void *)rec;
			struct kcap_builder b;
			struct kcap_ev_procexit *x;
			uint32_t child = (uint32_t)c->res;
			uint64_t ts = c->hdr.ts + 1000;

			x = kcap_builder__start(&b, rec, sizeof(rec), s.schema,
						KCAP_EV_procexit, child, ts);
			x->status = x->ret = 0;
			x->tgid = (int32_t)child;
			x->sig = x->core = 0;
			if (kcap_builder__finish(&b) < 0 ||
			    kcap_writer__append(w, rec))
				return -1;
		}
	}
	return kcap_writer__close(w);
}

static double time_read(const char *path, uint64_t *count)
{
	struct kcap_reader *r = kcap_reader__open(path, NULL);
	const struct kcap_hdr *h;
	double t = now();
	uint64_t n = 0, sum = 0;

	while (kcap_reader__next_record(r, &h) > 0) {
		n++;
		sum += h->ts;
	}
	t = now() - t;
	kcap_reader__close(r);
	*count = n + (sum == 42); /* keep the loop */
	return t;
}

static double time_engine(const char *path, const char *filter, FILE *print,
			  uint64_t *count)
{
	struct kcap_replay *rp = kcap_replay__new(NULL);
	struct kcap_replay_stats st;
	double t;

	if (kcap_replay__add_input(rp, path) ||
	    (filter && kcap_replay__set_filter(rp, filter))) {
		fprintf(stderr, "bench_replay: %s\n", kcap_replay__errmsg(rp));
		exit(1);
	}
	if (print) {
		struct kcap_print_opts po = { 0 };
		KCAP_OPTS(kcap_analyzer_env, env, .out = print);

		kcap_printer_opts = &po;
		kcap_replay__add_analyzer(rp, &kcap_analyzer_print, &env);
		kcap_printer_opts = NULL;
	}
	t = now();
	if (kcap_replay__run(rp)) {
		fprintf(stderr, "bench_replay: %s\n", kcap_replay__errmsg(rp));
		exit(1);
	}
	t = now() - t;
	kcap_replay__stats(rp, &st);
	*count = print ? st.matched : st.events;
	kcap_replay__free(rp);
	return t;
}

int main(int argc, char **argv)
{
	long n = 3000000;
	int runs = 3, cpu = 0, c, codec = KCAP_CODEC_LZ4, level = 0, i;
	const char *dir = "/tmp", *zname = "lz4";
	bool json = false, keep = false;
	char path[512], path2[512];
	double best[5] = { 1e9, 1e9, 1e9, 1e9, 1e9 };
	uint64_t cnt[5] = { 0 };
	FILE *devnull;
	static const struct option lopts[] = {
		{ "json", no_argument, NULL, 'j' }, { 0 }
	};

	while ((c = getopt_long(argc, argv, "n:r:c:d:z:k", lopts, NULL)) !=
	       -1) {
		switch (c) {
		case 'n':
			n = strtol(optarg, NULL, 10);
			break;
		case 'r':
			runs = atoi(optarg);
			break;
		case 'c':
			cpu = atoi(optarg);
			break;
		case 'd':
			dir = optarg;
			break;
		case 'z':
			zname = optarg;
			if (kcap_codec_parse(optarg, &codec, &level)) {
				fprintf(stderr, "bench_replay: bad codec\n");
				return 1;
			}
			break;
		case 'j':
			json = true;
			break;
		case 'k':
			keep = true; /* for perf: the files stay */
			break;
		default:
			fprintf(stderr,
				"usage: bench_replay [-n EVENTS] [-r RUNS] [-c CPU] [-d DIR] [-z CODEC] [-k] [--json]\n");
			return 1;
		}
	}
	if (cpu >= 0) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(cpu, &set);
		sched_setaffinity(0, sizeof(set), &set);
	}
	snprintf(path, sizeof(path), "%s/bench_replay.%d.kcap", dir,
		 (int)getpid());
	snprintf(path2, sizeof(path2), "%s/bench_replay.%d.exit.kcap", dir,
		 (int)getpid());
	if (write_file(path, n, codec, level, false) ||
	    write_file(path2, n, codec, level, true)) {
		fprintf(stderr, "bench_replay: cannot write %s\n", path);
		return 1;
	}
	devnull = fopen("/dev/null", "w");
	for (i = 0; i < runs; i++) {
		double t;

		t = time_read(path, &cnt[0]);
		best[0] = t < best[0] ? t : best[0];
		t = time_engine(path, "proc.name = nosuchprocess", NULL,
				&cnt[1]);
		best[1] = t < best[1] ? t : best[1];
		t = time_engine(path, "evt.type = ptrace", NULL, &cnt[2]);
		best[2] = t < best[2] ? t : best[2];
		t = time_engine(path, NULL, devnull, &cnt[3]);
		best[3] = t < best[3] ? t : best[3];
		t = time_engine(path2, "proc.name = nosuchprocess", NULL,
				&cnt[4]);
		best[4] = t < best[4] ? t : best[4];
	}
	if (keep) {
		fprintf(stderr, "bench_replay: kept %s and %s\n", path, path2);
	} else {
		unlink(path);
		unlink(path2);
	}
	fclose(devnull);
	if (json) {
		printf("{\"events\":%ld,\"codec\":\"%s\",\"read_eps\":%.0f,"
		       "\"engine_proc_filter_eps\":%.0f,\"engine_type_filter_eps\":%.0f,"
		       "\"text_lines_per_s\":%.0f,\"engine_exiting_children_eps\":%.0f,"
		       "\"pass\":%s}\n",
		       n, zname, (double)cnt[0] / best[0],
		       (double)cnt[1] / best[1], (double)cnt[2] / best[2],
		       (double)cnt[3] / best[3], (double)cnt[4] / best[4],
		       (double)cnt[1] / best[1] >= 15e6 &&
				       (double)cnt[3] / best[3] >= 2e6 ?
			       "true" :
			       "false");
		return 0;
	}
	printf("bench_replay: %ld events of the synthetic mix, %s, best of %d, cpu %d\n",
	       n, zname, runs, cpu);
	printf("  %-52s %8.2f M events/s\n",
	       "reader alone (kcap_reader__next_record)",
	       (double)cnt[0] / best[0] / 1e6);
	printf("  %-52s %8.2f M events/s  (target 15)\n",
	       "engine + state + filter 'proc.name = nosuchprocess'",
	       (double)cnt[1] / best[1] / 1e6);
	printf("  %-52s %8.2f M events/s\n",
	       "engine + state + filter 'evt.type = ptrace'",
	       (double)cnt[2] / best[2] / 1e6);
	printf("  %-52s %8.2f M lines/s   (target 2)\n",
	       "engine + text lines to /dev/null",
	       (double)cnt[3] / best[3] / 1e6);
	printf("  %-52s %8.2f M events/s\n",
	       "engine + 'proc.name = ...', forked children exit",
	       (double)cnt[4] / best[4] / 1e6);
	return 0;
}
