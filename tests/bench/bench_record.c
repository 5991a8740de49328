// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bench_record: what recording costs a syscall-heavy process, in one run.
 * See docs/PERFORMANCE.md, "Recorder".
 *
 * Two loads, each pinned to CPU 0:
 *   getppid  N getppid() calls;
 *   mixed    openat + read (64 bytes) + close of a small file, then a
 *            64-byte write to /dev/null: four syscalls per round.
 * Each is run (a) untraced, (b) under the floor (bench_record_floor.bpf.c:
 * reserve, fill, submit 32 bytes per sys_exit with watermark wakeups, read
 * in batches by a thread on CPU 1, edge-triggered as kcap reads its ring),
 * (c) under `kcap record -w FILE` (zstd, default settings) pinned to CPU 1.
 * The load times itself, in CPU time (so that other work on a shared
 * machine does not count); the added cost per syscall is (time traced -
 * time untraced) / syscalls. For (c), kcap's --stats-json gives events,
 * losses and the recorder's own CPU, the file's size the bytes per event. Rounds alternate a, b, c so that all
 * three see the same machine; the best of -r rounds (default 7) is kept:
 * this machine drifts between a fast and a slow state over seconds, and
 * more rounds bring each setup's best closer to the fast one. The bests
 * of two setups may come from different states, so the ratio of kcap's
 * added cost to the floor's is also taken within each round, from its
 * three back-to-back runs, and its median over the rounds printed.
 *
 * --idle SECS also measures kcap record's own CPU while it records a
 * process that sleeps (nothing to record: the cost of its polling).
 *
 * Needs root; exits 77 (skipped) otherwise. The exit status does not
 * depend on meeting the targets: shared machines are too noisy to gate on.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "bench_record_floor.skel.h"

/*
 * The load's own CPU time, user and kernel (where the BPF programs run):
 * unlike wall time it does not count the load's waits for a CPU on a
 * machine shared with other work.
 */
static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static void pin(int cpu)
{
	cpu_set_t s;

	CPU_ZERO(&s);
	CPU_SET(cpu, &s);
	sched_setaffinity(0, sizeof(s), &s);
}

/* The load itself: prints "syscalls ns" on fd 1. */
static int run_load(const char *kind, long n, const char *file, int cpu)
{
	uint64_t t0, t1, calls = 0;
	char buf[64] = { 0 };
	long i;

	pin(cpu);
	if (!strcmp(kind, "getppid")) {
		t0 = now_ns();
		for (i = 0; i < n; i++)
			syscall(SYS_getppid);
		t1 = now_ns();
		calls = n;
	} else {
		int null = open("/dev/null", O_WRONLY);

		t0 = now_ns();
		for (i = 0; i < n / 4; i++) {
			int fd = syscall(SYS_openat, AT_FDCWD, file, O_RDONLY);

			if (read(fd, buf, sizeof(buf)) < 0 || close(fd) ||
			    write(null, buf, sizeof(buf)) < 0)
				return 1;
		}
		t1 = now_ns();
		calls = (n / 4) * 4;
		close(null);
	}
	printf("%llu %llu\n", (unsigned long long)calls,
	       (unsigned long long)(t1 - t0));
	fflush(stdout);
	return 0;
}

struct result {
	double per_call_ns; /* best */
	double last_ns; /* this round's */
	double rate; /* syscalls/s at the best */
	uint64_t events, lost;
	double cpu_s; /* recorder CPU seconds at the best */
	uint64_t file_bytes;
};

/* Read "calls ns" from a pipe. */
static int read_timing(int fd, uint64_t *calls, uint64_t *ns)
{
	char buf[128];
	ssize_t k, n = 0;

	while ((k = read(fd, buf + n, sizeof(buf) - 1 - n)) > 0)
		n += k;
	buf[n] = 0;
	return sscanf(buf, "%lu %lu", calls, ns) == 2 ? 0 : -1;
}

static void keep(struct result *r, uint64_t calls, uint64_t ns)
{
	double per = (double)ns / calls;

	r->last_ns = per;
	if (!r->per_call_ns || per < r->per_call_ns) {
		r->per_call_ns = per;
		r->rate = calls * 1e9 / ns;
	}
}

static char self_exe[4096];

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Of n sorted values. */
static double median(const double *v, int n)
{
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* kcap's added cost over the floor's, round by round. */
struct spread {
	double med, lo, hi;
	int n;
};

/* (a) untraced, or (b) when floor is set: the load in a child. */
static int one_plain(const char *kind, long n, const char *file,
		     struct result *r, bool floor);

static volatile bool floor_stop;
static uint64_t floor_events;

static int floor_cb(void *ctx, void *data, size_t size)
{
	(void)ctx;
	(void)data;
	(void)size;
	floor_events++;
	return 0;
}

static void *floor_thread(void *arg)
{
	struct ring_buffer *rb = arg;

	pin(1);
	while (!floor_stop) {
		ring_buffer__poll(rb, 100);
		ring_buffer__consume(rb);
	}
	ring_buffer__consume(rb);
	return NULL;
}

static int one_plain(const char *kind, long n, const char *file,
		     struct result *r, bool floor)
{
	struct bench_record_floor_bpf *skel = NULL;
	struct epoll_event et = { .events = EPOLLIN | EPOLLET };
	struct ring_buffer *rb = NULL;
	pthread_t th;
	int out[2], go[2], st, err = -1;
	uint64_t calls, ns;
	char c;
	pid_t pid;

	fflush(stdout); /* or the child prints our buffer too */
	if (pipe(out) || pipe(go))
		return -1;
	pid = fork();
	if (!pid) {
		close(out[0]);
		close(go[1]);
		if (read(go[0], &c, 1) != 1)
			_exit(1);
		dup2(out[1], 1);
		_exit(run_load(kind, n, file, 0));
	}
	close(out[1]);
	close(go[0]);
	if (floor) {
		skel = bench_record_floor_bpf__open();
		if (!skel)
			goto out;
		skel->rodata->target_tgid = pid;
		if (bench_record_floor_bpf__load(skel) ||
		    bench_record_floor_bpf__attach(skel))
			goto out;
		rb = ring_buffer__new(bpf_map__fd(skel->maps.rb), floor_cb,
				      NULL, NULL);
		if (!rb)
			goto out;
		/*
		 * Drained in batches, as kcap record does (edge-triggered,
		 * see capture/README.md): a reader that turned for every few
		 * records would slow the load through the ring's shared
		 * cache lines, and flatter kcap.
		 */
		if (epoll_ctl(ring_buffer__epoll_fd(rb), EPOLL_CTL_MOD,
			      bpf_map__fd(skel->maps.rb), &et)) {
			ring_buffer__free(rb);
			rb = NULL; /* no reader thread to join */
			goto out;
		}
		floor_stop = false;
		floor_events = 0;
		pthread_create(&th, NULL, floor_thread, rb);
	}
	if (write(go[1], "g", 1) != 1)
		goto out;
	if (read_timing(out[0], &calls, &ns))
		goto out;
	keep(r, calls, ns);
	err = 0;
out:
	close(go[1]);
	close(out[0]);
	waitpid(pid, &st, 0);
	if (rb) {
		floor_stop = true;
		pthread_join(th, NULL);
		r->events = floor_events;
		r->lost = skel->bss->lost;
		ring_buffer__free(rb);
	}
	bench_record_floor_bpf__destroy(skel);
	return err;
}

static uint64_t json_u64(const char *json, const char *key)
{
	char k[64];
	const char *p;

	snprintf(k, sizeof(k), "\"%s\": ", key);
	p = strstr(json, k);
	return p ? strtoull(p + strlen(k), NULL, 10) : 0;
}

static double json_double(const char *json, const char *key)
{
	char k[64];
	const char *p;

	snprintf(k, sizeof(k), "\"%s\": ", key);
	p = strstr(json, k);
	return p ? strtod(p + strlen(k), NULL) : -1;
}

/* (c): kcap record -w FILE -- self --load ..., kcap pinned to CPU 1. */
static int one_kcap(const char *kcap, const char *dir, const char *kind, long n,
		    const char *file, struct result *r)
{
	char path[512], json[512], nbuf[32], jbuf[1024];
	int out[2], st;
	uint64_t calls, ns;
	struct stat fst;
	pid_t pid;
	FILE *f;

	snprintf(path, sizeof(path), "%s/bench.kcap", dir);
	snprintf(json, sizeof(json), "%s/bench.json", dir);
	snprintf(nbuf, sizeof(nbuf), "%ld", n);
	fflush(stdout);
	if (pipe(out))
		return -1;
	pid = fork();
	if (!pid) {
		close(out[0]);
		dup2(out[1], 1);
		pin(1);
		execl(kcap, kcap, "record", "-q", "-w", path, "--stats-json",
		      json, "--", self_exe, "--load", kind, nbuf, file,
		      (char *)NULL);
		_exit(127);
	}
	close(out[1]);
	if (read_timing(out[0], &calls, &ns)) {
		close(out[0]);
		waitpid(pid, &st, 0);
		return -1;
	}
	close(out[0]);
	if (waitpid(pid, &st, 0) != pid)
		return -1;
	f = fopen(json, "r");
	if (!f)
		return -1;
	jbuf[fread(jbuf, 1, sizeof(jbuf) - 1, f)] = 0;
	fclose(f);
	if (!r->per_call_ns || (double)ns / calls < r->per_call_ns) {
		r->events = json_u64(jbuf, "events");
		r->lost = json_u64(jbuf, "lost");
		/*
		 * kcap's own threads while recording: its rusage as a waited
		 * child would also count the load, which kcap reaps, and
		 * start-up (BPF loading, the /proc snapshot) is not per event.
		 */
		r->cpu_s = json_double(jbuf, "cpu_seconds") -
			   json_double(jbuf, "setup_cpu_seconds");
		r->file_bytes = stat(path, &fst) ? 0 : fst.st_size;
	}
	keep(r, calls, ns);
	return 0;
}

/*
 * CPU time of all threads of a process, in seconds, from their schedstat
 * (nanoseconds; utime and stime come in 10 ms ticks, too coarse here).
 */
static double proc_cpu(pid_t pid)
{
	char path[300], buf[256];
	struct dirent *de;
	double tot = 0;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%d/task", pid);
	d = opendir(path);
	if (!d)
		return -1;
	while ((de = readdir(d))) {
		unsigned long long ns;
		FILE *f;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task/%s/schedstat", pid,
			 de->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(buf, sizeof(buf), f) && sscanf(buf, "%llu", &ns) == 1)
			tot += ns / 1e9;
		fclose(f);
	}
	closedir(d);
	return tot;
}

/*
 * kcap record's CPU while it records a process that sleeps: what its
 * polling costs. Measured from 5 s after the start, so that loading the
 * programs and the /proc snapshot do not count.
 */
static double idle_cpu(const char *kcap, const char *dir, int secs)
{
	char path[512], pbuf[32], mbuf[32];
	double c0, c1;
	pid_t sleeper, pid;
	int st;

	sleeper = fork();
	if (!sleeper) {
		pause();
		_exit(0);
	}
	snprintf(path, sizeof(path), "%s/idle.kcap", dir);
	snprintf(pbuf, sizeof(pbuf), "%d", sleeper);
	snprintf(mbuf, sizeof(mbuf), "%d", secs + 10);
	pid = fork();
	if (!pid) {
		execl(kcap, kcap, "record", "-q", "-w", path, "-p", pbuf, "-M",
		      mbuf, (char *)NULL);
		_exit(127);
	}
	sleep(5);
	c0 = proc_cpu(pid);
	sleep(secs);
	c1 = proc_cpu(pid);
	waitpid(pid, &st, 0);
	kill(sleeper, SIGKILL);
	waitpid(sleeper, &st, 0);
	return c1 - c0;
}

/*
 * What the machine lets a process that never sleeps see: a loop pinned to
 * CPU 1 reads the clock for secs seconds and counts the gaps longer than
 * 10 us between two reads (the CPU was taken from it: timer ticks, the
 * hypervisor). A record that arrives in such a gap waits for its end
 * however kcap polls, so this bounds what --low-latency can reach here.
 */
static void jitter(double secs, long *gaps, double *share)
{
	struct timespec ts;
	uint64_t start, prev, now, lost = 0;
	cpu_set_t was;

	sched_getaffinity(0, sizeof(was), &was);
	pin(1);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	start = prev = (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
	*gaps = 0;
	do {
		clock_gettime(CLOCK_MONOTONIC, &ts);
		now = (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
		if (now - prev > 10000) {
			(*gaps)++;
			lost += now - prev;
		}
		prev = now;
	} while (now - start < (uint64_t)(secs * 1e9));
	*share = (double)lost / (double)(now - start);
	sched_setaffinity(0, sizeof(was), &was);
}

/* The shell loop both latency runs time: n runs of /bin/true. */
static void exec_loop(char *buf, size_t cap, int n)
{
	snprintf(buf, cap,
		 "i=0; while [ $i -lt %d ]; do /bin/true; i=$((i+1)); done", n);
}

/* Delivery percentiles in us, of every record and of the execs alone. */
struct lat {
	long p50, p99, exec_p50, exec_p99;
};

static long json_long(const char *json, const char *key)
{
	const char *k = strstr(json, key);

	return k ? atol(k + strlen(key)) : -1;
}

/*
 * --low-latency delivery: kcap records a shell (CPU 0) that runs /bin/true
 * n times; kcap measures, for every record, the time from the kernel's
 * timestamp to its arrival in user space. Run twice:
 * - kcap's threads on CPU 1 (--recorder-cpus 1), where its writer thread
 *   (compression) shares the core of the reader that polls the ring, and
 *   the shell on CPU 0 from its start, as the floor's load;
 * - kcap unpinned, as someone who wants the latency without a core to
 *   spare would run it; the shell starts where the scheduler puts it,
 *   until `taskset` moves it to CPU 0.
 */
static int latency(const char *kcap, const char *dir, int n, bool pinned,
		   struct lat *l)
{
	char path[512], json[512], script[128], jbuf[2048];
	pid_t pid;
	FILE *f;
	int st;

	snprintf(path, sizeof(path), "%s/lat.kcap", dir);
	snprintf(json, sizeof(json), "%s/lat.json", dir);
	exec_loop(script, sizeof(script), n);
	fflush(stdout);
	pid = fork();
	if (!pid && pinned) {
		pin(0); /* CMD keeps it: kcap's threads go to CPU 1 */
		execl(kcap, kcap, "record", "-q", "--low-latency", "-w", path,
		      "--stats-json", json, "--recorder-cpus", "1", "--", "sh",
		      "-c", script, (char *)NULL);
		_exit(127);
	}
	if (!pid) {
		execl(kcap, kcap, "record", "-q", "--low-latency", "-w", path,
		      "--stats-json", json, "--", "taskset", "-c", "0", "sh",
		      "-c", script, (char *)NULL);
		_exit(127);
	}
	waitpid(pid, &st, 0);
	f = fopen(json, "r");
	if (!f)
		return -1;
	jbuf[fread(jbuf, 1, sizeof(jbuf) - 1, f)] = 0;
	fclose(f);
	l->p50 = json_long(jbuf, "\"delivery_us_p50\": ");
	l->p99 = json_long(jbuf, "\"delivery_us_p99\": ");
	l->exec_p50 = json_long(jbuf, "\"delivery_exec_us_p50\": ");
	l->exec_p99 = json_long(jbuf, "\"delivery_exec_us_p99\": ");
	return 0;
}

/*
 * The floor for --low-latency: the floor's program records every syscall
 * made on CPU 0, where the loop runs from its start (this process's
 * excepted), and a thread that never sleeps, on CPU 1, spins on the ring
 * and takes, per record, the time from the kernel's timestamp to its
 * arrival. Same exec loop as latency(). A reader of a BPF ring cannot
 * deliver sooner on this machine; kcap's p99 is to be held against it,
 * keeping in mind that kcap's command, when kcap is unpinned, starts on
 * whatever core the scheduler gives it until `taskset` moves it.
 */
#define FLAT_BUCKETS 10001
static uint64_t flat_us[FLAT_BUCKETS], flat_n;
/* the same for execve and execveat alone */
static uint64_t flat_exec_us[FLAT_BUCKETS], flat_exec_n;

static int floor_lat_cb(void *ctx, void *data, size_t size)
{
	uint64_t ts, now = 0, us, nr;
	struct timespec t;

	(void)ctx;
	if (size < 32)
		return 0;
	memcpy(&ts, (char *)data + 8, sizeof(ts));
	memcpy(&nr, (char *)data + 24, sizeof(nr));
	if (!clock_gettime(CLOCK_BOOTTIME, &t))
		now = (uint64_t)t.tv_sec * 1000000000ull + t.tv_nsec;
	us = now > ts ? (now - ts) / 1000 : 0;
	if (us >= FLAT_BUCKETS)
		us = FLAT_BUCKETS - 1;
	flat_us[us]++;
	flat_n++;
	if (nr == __NR_execve || nr == __NR_execveat) {
		flat_exec_us[us]++;
		flat_exec_n++;
	}
	return 0;
}

static void *floor_spin(void *arg)
{
	struct ring_buffer *rb = arg;

	pin(1);
	while (!floor_stop)
		ring_buffer__consume(rb);
	ring_buffer__consume(rb);
	return NULL;
}

static long flat_pct(const uint64_t *hist, uint64_t n, double p)
{
	uint64_t want = (uint64_t)(n * p / 100.0), seen = 0;
	long i;

	if (!n)
		return -1;
	for (i = 0; i < FLAT_BUCKETS; i++) {
		seen += hist[i];
		if (seen > want)
			return i;
	}
	return FLAT_BUCKETS - 1;
}

static int floor_latency(int n, struct lat *l, uint64_t *events)
{
	struct bench_record_floor_bpf *skel;
	struct ring_buffer *rb = NULL;
	char script[128];
	pthread_t th;
	int st, err = -1;
	pid_t pid;

	skel = bench_record_floor_bpf__open();
	if (!skel)
		return -1;
	skel->rodata->target_tgid = 0;
	skel->rodata->reader_tgid = getpid();
	skel->rodata->load_cpu = 0;
	if (bench_record_floor_bpf__load(skel) ||
	    bench_record_floor_bpf__attach(skel))
		goto out;
	rb = ring_buffer__new(bpf_map__fd(skel->maps.rb), floor_lat_cb, NULL,
			      NULL);
	if (!rb)
		goto out;
	memset(flat_us, 0, sizeof(flat_us));
	memset(flat_exec_us, 0, sizeof(flat_exec_us));
	flat_n = flat_exec_n = 0;
	floor_stop = false;
	if (pthread_create(&th, NULL, floor_spin, rb))
		goto out;
	exec_loop(script, sizeof(script), n);
	fflush(stdout);
	pid = fork();
	if (!pid) {
		/*
		 * On CPU 0 from the start: a child that ran taskset's start
		 * on CPU 1 would take the reader's core for its first ~100
		 * records, 1% of them, and set p99 by itself.
		 */
		pin(0);
		execlp("sh", "sh", "-c", script, (char *)NULL);
		_exit(127);
	}
	if (pid > 0)
		waitpid(pid, &st, 0);
	floor_stop = true;
	pthread_join(th, NULL);
	if (pid > 0 && flat_n) {
		l->p50 = flat_pct(flat_us, flat_n, 50);
		l->p99 = flat_pct(flat_us, flat_n, 99);
		l->exec_p50 = flat_pct(flat_exec_us, flat_exec_n, 50);
		l->exec_p99 = flat_pct(flat_exec_us, flat_exec_n, 99);
		*events = flat_n;
		err = 0;
	}
out:
	ring_buffer__free(rb);
	bench_record_floor_bpf__destroy(skel);
	return err;
}

/*
 * The load on both cores at once (one mixed loop pinned to each CPU),
 * kcap unpinned with default settings: what it loses when it has no core
 * of its own.
 */
static int both_cores(const char *kcap, const char *dir, long n,
		      const char *file, uint64_t *events, uint64_t *lost)
{
	char path[512], json[512], script[10240], jbuf[1024];
	pid_t pid;
	FILE *f;
	int st;

	snprintf(path, sizeof(path), "%s/both.kcap", dir);
	snprintf(json, sizeof(json), "%s/both.json", dir);
	if (snprintf(script, sizeof(script),
		     "'%s' --load mixed %ld '%s' 0 >/dev/null & "
		     "'%s' --load mixed %ld '%s' 1 >/dev/null; wait",
		     self_exe, n, file, self_exe, n,
		     file) >= (int)sizeof(script))
		return -1;
	fflush(stdout);
	pid = fork();
	if (!pid) {
		execl(kcap, kcap, "record", "-q", "-w", path, "--stats-json",
		      json, "--", "sh", "-c", script, (char *)NULL);
		_exit(127);
	}
	waitpid(pid, &st, 0);
	f = fopen(json, "r");
	if (!f)
		return -1;
	jbuf[fread(jbuf, 1, sizeof(jbuf) - 1, f)] = 0;
	fclose(f);
	*events = json_u64(jbuf, "events");
	*lost = json_u64(jbuf, "lost");
	return 0;
}

static int silent(enum libbpf_print_level l, const char *f, va_list ap)
{
	(void)l;
	(void)f;
	(void)ap;
	return 0;
}

int main(int argc, char **argv)
{
	static const char *kinds[] = { "getppid", "mixed" };
	long n_getppid = 5000000, n_mixed = 2000000;
	int rounds = 7, idle = 0, execs = 1000, i, k;
	bool latency_only = false;
	struct spread ratios[2] = { { 0 } };
	char dir[] = "/tmp/kcap-bench-record-XXXXXX", file[600];
	const char *kcap;
	ssize_t l;
	int c, fd;

	if (argc >= 2 && !strcmp(argv[1], "--load") && argc == 5)
		return run_load(argv[2], atol(argv[3]), argv[4], 0);
	if (argc >= 2 && !strcmp(argv[1], "--load") && argc == 6)
		return run_load(argv[2], atol(argv[3]), argv[4], atoi(argv[5]));
	static const struct option lo[] = {
		{ "quick", no_argument, NULL, 'q' },
		{ "idle", required_argument, NULL, 'i' },
		{ "rounds", required_argument, NULL, 'r' },
		{ "latency-only", no_argument, NULL, 'l' },
		{ "execs", required_argument, NULL, 'e' },
		{ NULL, 0, NULL, 0 },
	};
	while ((c = getopt_long(argc, argv, "qi:r:le:", lo, NULL)) != -1) {
		switch (c) {
		case 'q':
			n_getppid = 200000;
			n_mixed = 100000;
			rounds = 1;
			execs = 50;
			break;
		case 'i':
			idle = atoi(optarg);
			break;
		case 'r':
			rounds = atoi(optarg);
			break;
		case 'l':
			latency_only = true;
			break;
		case 'e':
			execs = atoi(optarg);
			break;
		default:
			fprintf(stderr, "usage: bench_record [--quick] "
					"[--rounds N] [--idle SECS] "
					"[--latency-only] [--execs N] KCAP\n");
			return 2;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "usage: bench_record [--quick] [--rounds N] "
				"[--idle SECS] [--latency-only] [--execs N] "
				"KCAP\n");
		return 2;
	}
	kcap = argv[optind];
	if (geteuid()) {
		printf("SKIP: bench_record needs root to load eBPF programs\n");
		return 77;
	}
	l = readlink("/proc/self/exe", self_exe, sizeof(self_exe) - 1);
	if (l < 0)
		return 1;
	self_exe[l] = 0;
	libbpf_set_print(silent);
	if (!mkdtemp(dir))
		return 1;
	snprintf(file, sizeof(file), "%s/small", dir);
	fd = open(file, O_CREAT | O_WRONLY, 0644);
	if (fd < 0 || write(fd, self_exe, 64) != 64)
		return 1;
	close(fd);

	if (!latency_only)
		printf("| load | setup | syscalls/s | ns/syscall | added "
		       "ns/syscall | events | lost | recorder CPU s/M events "
		       "| bytes/event |\n"
		       "|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
	for (k = 0; k < 2 && !latency_only; k++) {
		struct result a = { 0 }, b = { 0 }, cc = { 0 };
		long n = k ? n_mixed : n_getppid;
		double da, db, ratio[64];
		int nr = 0;

		for (i = 0; i < rounds; i++) {
			const char *what = NULL;

			if (one_plain(kinds[k], n, file, &a, false))
				what = "untraced";
			else if (one_plain(kinds[k], n, file, &b, true))
				what = "floor";
			else if (one_kcap(kcap, dir, kinds[k], n, file, &cc))
				what = "kcap record";
			if (what) {
				fprintf(stderr,
					"bench_record: the %s %s run "
					"failed\n",
					kinds[k], what);
				return 1;
			}
			if (nr < 64 && b.last_ns > a.last_ns)
				ratio[nr++] = (cc.last_ns - a.last_ns) /
					      (b.last_ns - a.last_ns);
		}
		qsort(ratio, nr, sizeof(ratio[0]), cmp_double);
		da = b.per_call_ns - a.per_call_ns;
		db = cc.per_call_ns - a.per_call_ns;
		printf("| %s | untraced | %.2f M | %.1f | | | | | |\n",
		       kinds[k], a.rate / 1e6, a.per_call_ns);
		printf("| %s | floor | %.2f M | %.1f | %.1f | %llu | %llu | | |\n",
		       kinds[k], b.rate / 1e6, b.per_call_ns, da,
		       (unsigned long long)b.events,
		       (unsigned long long)b.lost);
		printf("| %s | kcap record | %.2f M | %.1f | %.1f (%.2f x floor) "
		       "| %llu | %llu | %.2f | %.2f |\n",
		       kinds[k], cc.rate / 1e6, cc.per_call_ns, db,
		       da > 0 ? db / da : 0.0, (unsigned long long)cc.events,
		       (unsigned long long)cc.lost,
		       cc.events ? cc.cpu_s / (cc.events / 1e6) : 0.0,
		       cc.events ? (double)cc.file_bytes / cc.events : 0.0);
		if (nr)
			ratios[k] = (struct spread){ median(ratio, nr),
						     ratio[0], ratio[nr - 1],
						     nr };
		fflush(stdout);
	}
	for (k = 0; k < 2 && !latency_only; k++)
		if (ratios[k].n)
			printf("%s%s: kcap's added cost over the floor's, each "
			       "round's three runs against each other: median "
			       "%.2fx of %d rounds (%.2fx-%.2fx)\n",
			       k ? "" : "\n", kinds[k], ratios[k].med,
			       ratios[k].n, ratios[k].lo, ratios[k].hi);
	{
		uint64_t ev, nlost;

		if (!latency_only &&
		    !both_cores(kcap, dir, n_mixed, file, &ev, &nlost))
			printf("\nmixed load on both cores, kcap unpinned: %llu "
			       "events, %llu lost\n",
			       (unsigned long long)ev,
			       (unsigned long long)nlost);
	}
	{
		double share;
		long gaps;

		jitter(1.5, &gaps, &share);
		printf("\nthe machine: a loop spinning on CPU 1 for 1.5 s lost "
		       "the CPU %ld times for over 10 us (%.2f%% of the time)\n",
		       gaps, 100.0 * share);
	}
	{
		uint64_t ev;
		struct lat lt;

		if (!floor_latency(execs, &lt, &ev))
			printf("\n--low-latency's floor, the same loop, the "
			       "floor's program on CPU 0's syscalls and a "
			       "reader that spins on CPU 1: %llu records, "
			       "delivery p50 %ld us, p99 %ld us; execs: p50 %ld "
			       "us, p99 %ld us\n",
			       (unsigned long long)ev, lt.p50, lt.p99,
			       lt.exec_p50, lt.exec_p99);
	}
	for (int pinned = 1; pinned >= 0; pinned--) {
		struct lat lt;

		if (!latency(kcap, dir, execs, pinned, &lt))
			printf("\n--low-latency, a loop of %d execs, kcap %s: "
			       "delivery p50 %ld us, p99 %ld us; execs: p50 %ld "
			       "us, p99 %ld us\n",
			       execs,
			       pinned ? "on CPU 1 (--recorder-cpus 1, the loop "
					"on CPU 0)" :
					"unpinned",
			       lt.p50, lt.p99, lt.exec_p50, lt.exec_p99);
	}
	if (idle > 0) {
		double cpu = idle_cpu(kcap, dir, idle);

		printf("\nkcap record idle for %d s: %.3f s CPU (%.3f%%)\n",
		       idle, cpu, 100.0 * cpu / idle);
	}
	{
		char cmd[600];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		if (system(cmd))
			return 1;
	}
	return 0;
}
