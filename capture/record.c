// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * kcap record: load the BPF side, drain its ring into a .kcap file.
 *
 * One thread drains the ring and appends records to the open EVENTS block;
 * libkcap's writer thread compresses and writes sealed blocks, so draining
 * never waits on compression or the disk (async_blocks). Lost events are
 * counted per CPU and per type in the kernel and turned into LOSS blocks
 * here, covering the window since the previous check. The first file's
 * /proc snapshot, and each rotation's new file, are prepared by a helper
 * thread while the ring is drained into memory (struct next_file).
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/capability.h>
#include <linux/magic.h>
#include <linux/perf_event.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "capture.h"
#include "kcap_record.skel.h"
#include "subcommands.h"

/*
 * Kernel memory per tracked task (6.18's layouts): a task storage element
 * is a 72-byte header and the value, which the BPF memory allocator takes
 * from power-of-two sizes with its own 8-byte node in front; a task with
 * any has one bpf_local_storage (a 192-byte allocation). The stash (every
 * task that opens, connects or execs) in 512 and the per-task state
 * (only with throttling or -T) in 128 keep a task at 832 bytes, under
 * 1 KiB.
 */
_Static_assert(8 + 72 + sizeof(struct kcap_stash) <= 512,
	       "a stash element outgrows 512 bytes");
_Static_assert(8 + 72 + sizeof(struct kcap_tstate) <= 128,
	       "a per-task state element outgrows 128 bytes");

#define DEFAULT_RING (8u << 20)
/*
 * --low-latency's ring, unless -B says otherwise. Its reader keeps up
 * record by record, so the ring seldom holds more than a few; what
 * matters is that the pages the producer writes stay warm. On the test
 * machines, where the producer first wrote a page it had not touched for
 * a while (every page of an 8 MiB ring, once per turn of the ring), the
 * write took 5-30 us, the record's delivery with it: execs' p99 8-15 us
 * with rings of 512 KiB and up, 0-4 us with 256 KiB and less, in one
 * quiet hour (docs/PERFORMANCE.md, eighteenth round). The price: less room while
 * the reader is off its core, so a load on every core can overflow it.
 */
#define LL_DEFAULT_RING (256u << 10)
#define DEFAULT_FLUSH_MS 200
#define LAT_BUCKETS 10001
/* -p PID[,PID...], as many as perf and strace take in practice */
#define MAX_PIDS 64
/* -C is checked every this many records as they are drained */
#define ROT_CHECK_RECORDS 256

/* Delivery times in microseconds; the last bucket holds everything slower. */
struct lat_hist {
	uint64_t us[LAT_BUCKETS];
	uint64_t n;
};

struct opts {
	const char *path;
	int codec, level;
	uint32_t snaplen;
	uint64_t ring;
	bool ring_set; /* -B given */
	uint32_t flush_ms;
	bool low_latency;
	bool times; /* -T */
	const char *select;
	char *select_buf; /* several -e, joined */
	int pids[MAX_PIDS]; /* -p, each given once */
	int npids;
	const char *comm;
	const char *cgroup;
	uint64_t max_events;
	double max_secs;
	bool quiet;
	const char *stats_json;
	char **cmd;
	uint32_t io_budget;
	uint32_t sample_pct, sample_keep;
	uint32_t dedup_ms;
	uint64_t rot_bytes; /* -C */
	double rot_secs; /* -G */
	unsigned int rot_files; /* -W */
	int entry; /* enum entry_probe */
	/* --recorder-cpus: kcap's own threads; CMD keeps kcap's given mask */
	const char *rec_cpus_arg; /* NULL: not given */
	cpu_set_t rec_cpus;
};

/* How paths and addresses are read at syscall entry (--entry-probe). */
enum entry_probe {
	ENTRY_AUTO, /* per-syscall tracepoints, else sys_enter */
	ENTRY_SYSCALLS, /* per-syscall tracepoints or fail */
	ENTRY_SYS_ENTER, /* the sys_enter raw tracepoint */
};

/*
 * The syscalls read at entry, and how many of their arguments the entry
 * program reads (kcap_enter_tpN in kcap_record.bpf.c).
 */
static const struct {
	const char *name;
	int nargs;
} entry_syscalls[] = {
	{ "open", 2 },
	{ "creat", 2 },
	{ "openat", 2 },
	{ "openat2", 2 },
	{ "connect", 3 },
	{ "execve", 2 },
	{ "execveat", 5 },
	/* the room given for the sender's address: at exit, its full size */
	{ "recvfrom", 6 },
	{ "recvmsg", 3 },
	{ "recvmmsg", 3 },
};
#define N_ENTRY (sizeof(entry_syscalls) / sizeof(entry_syscalls[0]))

/*
 * A rotation in flight, or the first file's snapshot (first). Closing the
 * full file and starting the next one (its MACHINE block, and a SNAPSHOT
 * block from a walk of every process and fd in /proc: 13 ms on an idle
 * test machine, hundreds of ms on a server with many processes or fds),
 * or taking the first file's snapshot, is done by a helper thread, while
 * the thread that drains the ring keeps draining it into memory (stage).
 * The helper then moves what was kept into the new file, after its
 * snapshot, and hands the file over once nothing is left: the records
 * land in the new file in order, as if the ring had held them.
 */
struct next_file {
	pthread_t thread;
	struct rec *r; /* only what stays put while recording is read */
	struct kcap_writer *old; /* in: the full file */
	struct kcap_writer_stats old_st; /* its figures, once it is closed */
	bool old_counted;
	struct kcap_writer *w; /* out: the next one, NULL on error */
	bool first; /* w is the first file: only its SNAPSHOT is to come */
	double snap_cpu_s; /* first: the walk's CPU, part of the setup's */
	char path[4096];
	uint64_t bad; /* kept records the writer refused */
	int err;
	char msg[4608]; /* a path and the library's reason */
	/* under mu: what the drainer kept and the helper has not moved */
	pthread_mutex_t mu;
	uint8_t *kept;
	size_t kept_len, kept_cap;
	size_t moving_len; /* taken by the helper, not yet in the file */
	bool handed_over; /* the helper is done: append to w directly */
};

struct rec {
	struct opts o;
	struct kcap_record_bpf *skel;
	struct kcap_writer *w;
	struct ring_buffer *ring;
	uint64_t boot_wall_ns;
	uint64_t start_ns;
	uint64_t stop_ns; /* when recording stopped; 0: it is going on */
	uint64_t events;
	uint64_t lost;
	uint64_t bad;
	uint64_t wakeups; /* turns of the poll loop */
	double setup_cpu_s; /* kcap's CPU before recording began */
	/*
	 * Instructions the verifier walked for the exit program: the kernel
	 * refuses a program past 1,000,000, and every event adds paths.
	 */
	uint32_t exit_verified;
	int werr; /* first write error */
	bool limit_hit;
	int ncpus;
	uint64_t *lost_prev; /* KCAP_NREASONS x ncpus x 1024 */
	uint64_t lost_by[KCAP_NREASONS];
	uint64_t lost_total_seen;
	/*
	 * --low-latency: how long records took from the kernel to here, all
	 * of them and the execs alone (what a tool that reacts to new
	 * programs waits for)
	 */
	struct lat_hist lat, lat_exec;
	/* --low-latency's polling thread and its core (see ll_place()) */
	cpu_set_t ll_mask; /* the cores it may use, as it started */
	cpu_set_t ll_left; /* cores it left while polling */
	bool ll_have_mask, ll_aside;
	int ll_cpu; /* where it looked last, and what it saw there */
	uint64_t ll_seen;
	int ll_came_cpu; /* the core ll_came was read for, -1: none */
	uint64_t ll_came;
	uint64_t ll_left_ns; /* when it last left a core */
	uint64_t ll_moves, ll_moves_ahead; /* all, and on a task's arrival */
	uint64_t loss_since; /* start of the current loss window */
	pid_t child;
	int child_status;
	bool child_done;
	bool pids_gone; /* -p: every recorded task exited */
	bool rot_small_said; /* -C under the snapshot's size: said once */
	int stats_fd; /* --stats-json's file, made before recording */
	/* of stop_tty_n, what pass_stop() has seen */
	sig_atomic_t tty_seen;
	/* of all the files, those rotated out included, once closed */
	struct kcap_writer_stats final;
	/* output files */
	int argc;
	char **argv;
	char cur_path[4096];
	unsigned int file_no;
	/*
	 * -G with strftime conversions in FILE: the last name they gave and
	 * how many files took it (the second is NAME.1...); with -W, the
	 * names of the files kept, oldest removed first.
	 */
	char pat_last[4096];
	unsigned int pat_seq;
	char **pat_kept;
	uint64_t file_start_ns;
	/*
	 * The files rotated out: their sizes without index and footer, as
	 * the live statistics count them from the rotation's start; and
	 * their whole figures, counted once each is closed.
	 */
	uint64_t prev_file_bytes;
	struct kcap_writer_stats done;
	unsigned int rot_tick; /* records since -C was last checked */
	/*
	 * -C may start a rotation as records are drained: only in the main
	 * loop's polls, not in a flush's drain nor in the last one after the
	 * stop, which must not start a file.
	 */
	bool rot_while_draining;
	uint64_t flushes_deferred; /* SIGUSR2s that waited for a rotation */
	unsigned int files;
	int entry_ids[N_ENTRY]; /* of the syscalls:sys_enter_* tracepoints */
	int entry_ids_err; /* why there are none */
	struct bpf_link *entry_links[N_ENTRY];
	const char *entry_used; /* "syscalls" or "sys_enter" */
	/* rotation (struct next_file) */
	struct next_file *nf; /* in flight, or NULL */
	struct kcap_sys *tab; /* the syscall table, built from -e */
	uint64_t staged; /* records kept in memory while a file was prepared */
	uint64_t stage_waits; /* times that memory was full (stage_max()) */
	char werr_msg[4608]; /* why a rotation, or a loss read, stopped it */
};

static volatile sig_atomic_t stop_sig, want_stats, want_flush;
/*
 * The stop signals taken, by where they came from: stop_tty_n counts the
 * terminal's (^C: si_code SI_KERNEL), which it sends to its whole
 * foreground process group (stop_tty_sig: the last of them); stop_user
 * has a bit for each other signal taken and not yet passed on. pass_stop()
 * gives CMD each of the latter, and of the former those that CMD did not
 * get. A set, not the last one: a SIGINT that followed a SIGTERM took its
 * place, and CMD, which ignored SIGINT, ran on.
 */
static volatile sig_atomic_t stop_tty_n, stop_tty_sig;
static unsigned int stop_user; /* __atomic_*(): the handler sets bits */
/*
 * The poll loop tests the flags above, then sleeps: a signal between the
 * two waited for the poll timeout (--flush-ms: 5 s with --flush-ms 5000).
 * So the handlers also write to this eventfd, which is in the poll's set
 * (poll_set_new()), and a signal taken by another thread wakes the poll
 * as well. It is made before the handlers are set, so that a signal
 * during setup wakes the first poll too, and never closed: a handler may
 * run on any of kcap's threads (the writer's, the helper's), and one that
 * read the number just before a close would write to whatever file took
 * it next.
 */
static volatile sig_atomic_t wake_fd = -1;

static void on_signal(int sig, siginfo_t *si, void *uc)
{
	const uint64_t one = 1;
	int saved = errno;

	(void)uc;
	if (sig == SIGUSR1) {
		want_stats = 1;
	} else if (sig == SIGUSR2) {
		want_flush = 1;
	} else {
		stop_sig = sig;
		/*
		 * The kernel sends SIGHUP with SI_KERNEL too, at a hangup,
		 * to the session's leader alone, and SIGALRM or SIGXCPU
		 * for kcap's own timer or CPU limit: only a SIGINT or a
		 * SIGQUIT of SI_KERNEL is a ^C or a ^\, which the whole
		 * foreground group got.
		 */
		if ((sig == SIGINT || sig == SIGQUIT) && si &&
		    si->si_code == SI_KERNEL) {
			stop_tty_sig = sig;
			stop_tty_n++;
		} else if (sig != SIGHUP && sig != SIGINT && sig != SIGQUIT &&
			   sig != SIGTERM && si &&
			   (si->si_code == SI_KERNEL ||
			    si->si_code == SI_TIMER)) {
			/*
			 * kcap's own timer or CPU limit, which CMD did not
			 * hit: CMD is asked to stop as by kill, not killed
			 * by a signal that dumps its core (SIGXCPU)
			 */
			__atomic_fetch_or(&stop_user, 1u << SIGTERM,
					  __ATOMIC_SEQ_CST);
		} else {
			__atomic_fetch_or(&stop_user, 1u << sig,
					  __ATOMIC_SEQ_CST);
		}
	}
	if (wake_fd >= 0) {
		ssize_t n = write(wake_fd, &one, sizeof(one));

		(void)n; /* EAGAIN: the counter is full, a wakeup pending */
	}
	errno = saved; /* the code interrupted may be about to read it */
}

static int wake_open(void)
{
	int fd;

	if (wake_fd >= 0)
		return 0;
	fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (fd < 0)
		return -errno;
	wake_fd = fd;
	return 0;
}

static void wake_drain(void)
{
	uint64_t v;
	ssize_t n = read(wake_fd, &v, sizeof(v));

	(void)n; /* EAGAIN: nothing came since the last drain */
}

/* libbpf's messages, kept so that a verifier rejection can be shown. */
static char *bpf_log;
static size_t bpf_log_len;
static bool bpf_verbose;

/*
 * libbpf hands over the verifier's whole log in one message, whose reason
 * for a rejection is at its end: format it whole, keep the last 64 KiB.
 * Its debug messages (a line per CO-RE relocation, hundreds) are left
 * out: they pushed the start of the verifier's log out of what is shown,
 * and libbpf warns of a relocation that failed.
 */
static int libbpf_log(enum libbpf_print_level level, const char *fmt,
		      va_list ap)
{
	const size_t cap = 64u << 10;
	char *line = NULL, *p;
	size_t n, keep;
	int len;

	len = vasprintf(&line, fmt, ap);
	if (len < 0)
		return 0;
	n = len;
	if (level == LIBBPF_DEBUG) {
		free(line);
		return 0;
	}
	if (bpf_verbose)
		fputs(line, stderr);
	if (n > cap) {
		memmove(line, line + n - cap, cap);
		n = cap;
	}
	keep = bpf_log_len + n > cap ? cap - n : bpf_log_len;
	if (keep < bpf_log_len) {
		memmove(bpf_log, bpf_log + bpf_log_len - keep, keep);
		bpf_log_len = keep;
	}
	p = realloc(bpf_log, bpf_log_len + n + 1);
	if (p) {
		bpf_log = p;
		memcpy(bpf_log + bpf_log_len, line, n);
		bpf_log_len += n;
		bpf_log[bpf_log_len] = 0;
	}
	free(line);
	return 0;
}

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: kcap record [OPTIONS] [-- CMD [ARGS...]]\n"
		"\n"
		"Records syscalls and process lifecycle events (eBPF, needs root)\n"
		"into a .kcap file. With CMD, records CMD and its descendants,\n"
		"starting it once capture is attached, and exits with its status.\n"
		"\n"
		"  -w FILE            output file, - for stdout (default kcap.kcap)\n"
		"  -z, --codec C      zstd[:LEVEL] (default), zstd-cols[:LEVEL]\n"
		"                     (smaller, more writer CPU), lz4 or none\n"
		"  -s SNAPLEN         bytes of I/O data kept per event (default 80,\n"
		"                     0: none, at most %u)\n"
		"  -B SIZE            ring buffer size, k/m suffix (default 8m;\n"
		"                     256k with --low-latency)\n"
		"  --flush-ms N       delivery and block flush interval (default %d)\n"
		"  --low-latency      poll the ring (a busy core) while events\n"
		"                     come, and wake for the first event after\n"
		"                     a quiet spell\n"
		"  -T, --syscall-times\n"
		"                     record how long each syscall took (its\n"
		"                     events' dur); every syscall pays an entry\n"
		"                     hook\n"
		"  -e LIST            syscalls to record: names, classes\n"
		"                     %%file %%net %%process %%ipc %%memory\n"
		"                     %%signal %%time %%sys %%other; !name or\n"
		"                     !%%class leaves those out wherever it\n"
		"                     stands (several -e add up; see below)\n"
		"  -p PID[,PID...]    only these processes and their\n"
		"                     descendants (several -p add up);\n"
		"                     stops once they have all exited\n"
		"  --comm NAME        only threads with this comm\n"
		"  --cgroup PATH      only tasks of this cgroup (v2 directory)\n"
		"                     and of the cgroups below it\n"
		"  -C SIZE            rotate files at SIZE bytes (k/m/g: KiB, MiB,\n"
		"                     GiB; no suffix: millions of bytes, as\n"
		"                     tcpdump's -C); files FILE, FILE.1, FILE.2...\n"
		"  -G SECS            rotate every SECS seconds; FILE may hold\n"
		"                     strftime(3) conversions (a second file\n"
		"                     of the same name gets .1, .2...)\n"
		"  -W N               with -C/-G: keep N files, FILE.N-1 then\n"
		"                     FILE again (oldest overwritten; with\n"
		"                     strftime names, the oldest removed)\n"
		"  --io-budget N      keep at most N I/O events (read/write family)\n"
		"                     per second per task; the rest are counted\n"
		"  --sample-when-full PCT[:N]\n"
		"                     when the ring is over PCT%% full, keep 1 in N\n"
		"                     I/O events (N defaults to 10), count the rest\n"
		"  --dedup-ms MS      fold repeated identical I/O events of a task\n"
		"                     (same type, fd and result) within MS ms into\n"
		"                     the first, counting the others; a repeat\n"
		"                     record says how many each run folded\n"
		"  -c N               stop after N events\n"
		"  -M SECS            stop after SECS seconds\n"
		"  -q                 no live stats nor summary\n"
		"  --stats-json FILE  write final statistics as JSON (- for\n"
		"                     standard output)\n"
		"  --entry-probe P    how paths and addresses are read at syscall\n"
		"                     entry: syscalls (per-syscall tracepoints;\n"
		"                     other syscalls pay nothing at entry; needs\n"
		"                     tracefs, which kcap mounts privately),\n"
		"                     sys_enter (every syscall pays a call), or\n"
		"                     auto (default: syscalls, else sys_enter)\n"
		"  --recorder-cpus LIST\n"
		"                     run kcap's own threads on these CPUs\n"
		"                     (such as 0-2,5); CMD keeps the CPUs kcap\n"
		"                     was started with\n"
		"  -v                 show libbpf's messages\n"
		"\n"
		"With CMD, -c and -M stop the recording, not CMD: kcap still\n"
		"waits for CMD and exits with its status. Recording ends when\n"
		"CMD exits, as with perf record: descendants left running (a\n"
		"daemon it started) are not waited for; -p PID follows them.\n"
		"Process exits and signal deliveries are always recorded,\n"
		"whatever -e says, and\n"
		"so are the syscalls by which kcap read names fds and\n"
		"processes (open*, close*, dup*, fcntl, chdir, socket, connect,\n"
		"bind, accept*, pipe*, clone*, fork, execve*...): only a !name\n"
		"leaves one out, and fds and processes may then be named\n"
		"wrongly. rt_sigreturn, exit and exit_group make no syscall\n"
		"event: signaldeliver and procexit records show signals and\n"
		"exits.\n"
		"\n"
		"Signals: INT, TERM, HUP, QUIT, ALRM, XCPU (and VTALRM, PROF)\n"
		"stop cleanly and are passed on to CMD; USR1 prints statistics,\n"
		"USR2 flushes everything buffered to the file.\n",
		KCAP_SNAPLEN_MAX, DEFAULT_FLUSH_MS);
}

/*
 * An unsigned number at s, decimal or 0x hex, without a sign (strtoull
 * takes "-1" as 2^64 - 1): its end in *end; false if there is none or it
 * does not fit 64 bits.
 */
static bool parse_num(const char *s, unsigned long long *v, char **end)
{
	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	/* base 0 would take a leading 0 as octal: -c 010 was 8 */
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		if (!isxdigit((unsigned char)s[2]))
			return false;
		*v = strtoull(s + 2, end, 16);
	} else {
		*v = strtoull(s, end, 10);
	}
	return !errno;
}

/* A whole unsigned number in lo..hi. */
static bool parse_range(const char *s, unsigned long long lo,
			unsigned long long hi, unsigned long long *v)
{
	char *end;

	return parse_num(s, v, &end) && !*end && *v >= lo && *v <= hi;
}

/*
 * -p PID[,PID...]; several -p add up (the last one won). A pid must fit
 * an int: 4294967297 passed as pid 1, the whole machine.
 */
static int parse_pids(struct opts *o, const char *arg)
{
	const char *s = arg;

	for (;;) {
		unsigned long long num;
		char *end;
		int i;

		if (!parse_num(s, &num, &end) || num < 1 || num > INT_MAX ||
		    (*end && *end != ',')) {
			fprintf(stderr, "kcap record: bad pid '%s'\n", arg);
			return -EINVAL;
		}
		for (i = 0; i < o->npids && o->pids[i] != (int)num; i++)
			;
		if (i == o->npids) {
			if (o->npids == MAX_PIDS) {
				fprintf(stderr,
					"kcap record: -p takes at most %d "
					"processes\n",
					MAX_PIDS);
				return -EINVAL;
			}
			o->pids[o->npids++] = (int)num;
		}
		if (!*end)
			return 0;
		s = end + 1;
	}
}

static int parse_size(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (!parse_num(s, &v, &end))
		return -EINVAL;
	if (*end == 'k' || *end == 'K')
		v = v > (1ull << 40) ? UINT64_MAX : v << 10, end++;
	else if (*end == 'm' || *end == 'M')
		v = v > (1ull << 40) ? UINT64_MAX : v << 20, end++;
	else if (*end == 'g' || *end == 'G')
		v = v > (1ull << 30) ? UINT64_MAX : v << 30, end++;
	/* no size kcap takes is near this: a wrap would pass as one */
	if (v > (1ull << 50))
		return -EINVAL;
	if (*end)
		return -EINVAL;
	*out = v;
	return 0;
}

/*
 * A CPU list as taskset -c and /sys/devices/system/cpu/online write it:
 * numbers and ranges, comma-separated ("0-2,5").
 */
static int parse_cpu_list(const char *s, cpu_set_t *set)
{
	CPU_ZERO(set);
	for (;;) {
		unsigned long lo, hi;
		char *end;

		if (*s < '0' || *s > '9')
			return -EINVAL;
		lo = hi = strtoul(s, &end, 10);
		if (*end == '-') {
			if (end[1] < '0' || end[1] > '9')
				return -EINVAL;
			hi = strtoul(end + 1, &end, 10);
		}
		if (lo > hi || hi >= CPU_SETSIZE || (*end && *end != ','))
			return -EINVAL;
		for (unsigned long c = lo; c <= hi; c++)
			CPU_SET(c, set);
		if (!*end)
			return 0;
		s = end + 1; /* past the comma: another number must come */
	}
}

static int parse_opts(struct opts *o, int argc, char **argv)
{
	enum {
		O_FLUSH = 256,
		O_LOWLAT,
		O_COMM,
		O_CGROUP,
		O_JSON,
		O_BUDGET,
		O_SAMPLE,
		O_DEDUP,
		O_ENTRY,
		O_RECCPUS,
	};
	static const struct option lo[] = {
		{ "codec", required_argument, NULL, 'z' },
		{ "flush-ms", required_argument, NULL, O_FLUSH },
		{ "low-latency", no_argument, NULL, O_LOWLAT },
		{ "comm", required_argument, NULL, O_COMM },
		{ "cgroup", required_argument, NULL, O_CGROUP },
		{ "stats-json", required_argument, NULL, O_JSON },
		{ "io-budget", required_argument, NULL, O_BUDGET },
		{ "sample-when-full", required_argument, NULL, O_SAMPLE },
		{ "dedup-ms", required_argument, NULL, O_DEDUP },
		{ "entry-probe", required_argument, NULL, O_ENTRY },
		{ "syscall-times", no_argument, NULL, 'T' },
		{ "recorder-cpus", required_argument, NULL, O_RECCPUS },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long long num;
	char *end;
	int c;

	o->path = "kcap.kcap";
	o->codec = KCAP_CODEC_ZSTD;
	o->level = 1;
	o->snaplen = 80;
	o->ring = DEFAULT_RING;
	o->flush_ms = DEFAULT_FLUSH_MS;
	optind = 1;
	opterr = 0; /* getopt's messages name "record", not kcap */
	while ((c = getopt_long(argc, argv, "+:w:z:s:B:e:p:c:C:G:W:M:Tqvh", lo,
				NULL)) != -1) {
		switch (c) {
		case 'w':
			o->path = optarg;
			break;
		case 'z':
			if (kcap_codec_parse(optarg, &o->codec, &o->level)) {
				fprintf(stderr, "kcap record: bad codec '%s'\n",
					optarg);
				return -EINVAL;
			}
			break;
		case 's':
			if (!parse_range(optarg, 0, KCAP_SNAPLEN_MAX, &num))
				num = UINT64_MAX;
			o->snaplen = num;
			if (num > KCAP_SNAPLEN_MAX) {
				fprintf(stderr,
					"kcap record: -s wants 0..%u bytes\n",
					KCAP_SNAPLEN_MAX);
				return -EINVAL;
			}
			break;
		case 'B':
			if (parse_size(optarg, &o->ring) || o->ring < 4096 ||
			    o->ring > (1ull << 30)) {
				fprintf(stderr,
					"kcap record: -B wants 4k..1g\n");
				return -EINVAL;
			}
			o->ring_set = true;
			break;
		case O_FLUSH:
			if (!parse_range(optarg, 1, 60000, &num))
				num = 0;
			o->flush_ms = num;
			if (!num) {
				fprintf(stderr,
					"kcap record: --flush-ms wants 1..60000\n");
				return -EINVAL;
			}
			break;
		case O_LOWLAT:
			o->low_latency = true;
			break;
		case 'T':
			o->times = true;
			break;
		case 'e':
			if (!optarg[strspn(optarg, ", ")]) {
				fprintf(stderr,
					"kcap record: -e wants syscalls or "
					"classes, got an empty list\n");
				return -EINVAL;
			}
			/* several -e add up, as in strace (the last one won) */
			if (o->select) {
				size_t n =
					strlen(o->select) + strlen(optarg) + 2;
				char *b = malloc(n);

				if (!b)
					return -ENOMEM;
				snprintf(b, n, "%s,%s", o->select, optarg);
				free(o->select_buf);
				o->select = o->select_buf = b;
			} else {
				o->select = optarg;
			}
			break;
		case 'p':
			if (parse_pids(o, optarg))
				return -EINVAL;
			break;
		case O_COMM:
			/* the kernel keeps 15 bytes: a longer name matched a cut one */
			if (!*optarg || strlen(optarg) > 15) {
				fprintf(stderr,
					"kcap record: --comm wants 1 to 15 "
					"bytes (the kernel's comm), got '%s'\n",
					optarg);
				return -EINVAL;
			}
			/* one name, one cgroup: a second replaced the first */
			if (o->comm) {
				fprintf(stderr,
					"kcap record: --comm given twice ('%s', "
					"'%s'): kcap records one command name\n",
					o->comm, optarg);
				return -EINVAL;
			}
			o->comm = optarg;
			break;
		case O_CGROUP:
			if (o->cgroup) {
				fprintf(stderr,
					"kcap record: --cgroup given twice "
					"('%s', '%s'): kcap records one "
					"cgroup and those below it\n",
					o->cgroup, optarg);
				return -EINVAL;
			}
			o->cgroup = optarg;
			break;
		case 'c':
			if (!parse_range(optarg, 1, UINT64_MAX, &num))
				num = 0;
			o->max_events = num;
			if (!num) {
				fprintf(stderr, "kcap record: bad -c '%s'\n",
					optarg);
				return -EINVAL;
			}
			break;
		case 'C':
			/*
			 * A plain number is in millions of bytes, as tcpdump's
			 * -C; k, m and g are KiB, MiB and GiB, as for -B.
			 */
			if (parse_size(optarg, &o->rot_bytes))
				o->rot_bytes = 0;
			else if (!strpbrk(optarg, "kKmMgG"))
				o->rot_bytes = o->rot_bytes > (1ull << 40) ?
						       0 :
						       o->rot_bytes * 1000000;
			if (!o->rot_bytes) {
				fprintf(stderr,
					"kcap record: bad -C '%s' (a size: "
					"millions of bytes, or with k, m or "
					"g)\n",
					optarg);
				return -EINVAL;
			}
			if (o->rot_bytes < 4096) {
				fprintf(stderr,
					"kcap record: -C %s is under 4k, the "
					"least a file can be rotated at\n",
					optarg);
				return -EINVAL;
			}
			break;
		case 'G':
			o->rot_secs = strtod(optarg, &end);
			if (*end || !(o->rot_secs > 0 && o->rot_secs < 1e9)) {
				fprintf(stderr, "kcap record: bad -G '%s'\n",
					optarg);
				return -EINVAL;
			}
			break;
		case 'W':
			if (!parse_range(optarg, 1, 100000, &num))
				num = 0;
			o->rot_files = num;
			if (!num) {
				fprintf(stderr, "kcap record: bad -W '%s'\n",
					optarg);
				return -EINVAL;
			}
			break;
		case 'M':
			o->max_secs = strtod(optarg, &end);
			if (*end || !(o->max_secs > 0 && o->max_secs < 1e9)) {
				fprintf(stderr, "kcap record: bad -M '%s'\n",
					optarg);
				return -EINVAL;
			}
			break;
		case 'q':
			o->quiet = true;
			break;
		case O_JSON:
			o->stats_json = optarg;
			break;
		case O_BUDGET:
			if (!parse_range(optarg, 1, UINT32_MAX, &num))
				num = 0;
			o->io_budget = num;
			if (!num) {
				fprintf(stderr,
					"kcap record: bad --io-budget '%s' "
					"(events a second, 1..%u)\n",
					optarg, UINT32_MAX);
				return -EINVAL;
			}
			break;
		case O_SAMPLE:
			o->sample_pct = o->sample_keep = 0;
			if (parse_num(optarg, &num, &end) && num <= 99) {
				o->sample_pct = num;
				o->sample_keep = 10;
				if (*end == ':' &&
				    parse_num(end + 1, &num, &end))
					o->sample_keep =
						num <= UINT32_MAX ? num : 0;
				if (*end)
					o->sample_keep = 0;
			}
			if (!o->sample_pct || o->sample_keep < 2) {
				fprintf(stderr,
					"kcap record: --sample-when-full "
					"wants PCT (1..99)[:N (>= 2)]\n");
				return -EINVAL;
			}
			break;
		case O_DEDUP:
			if (!parse_range(optarg, 1, 3600000, &num))
				num = 0;
			o->dedup_ms = num;
			if (!num) {
				fprintf(stderr,
					"kcap record: bad --dedup-ms '%s' "
					"(1..3600000)\n",
					optarg);
				return -EINVAL;
			}
			break;
		case O_ENTRY:
			if (!strcmp(optarg, "auto")) {
				o->entry = ENTRY_AUTO;
			} else if (!strcmp(optarg, "syscalls")) {
				o->entry = ENTRY_SYSCALLS;
			} else if (!strcmp(optarg, "sys_enter")) {
				o->entry = ENTRY_SYS_ENTER;
			} else {
				fprintf(stderr,
					"kcap record: --entry-probe wants auto, "
					"syscalls or sys_enter\n");
				return -EINVAL;
			}
			break;
		case O_RECCPUS:
			if (parse_cpu_list(optarg, &o->rec_cpus)) {
				fprintf(stderr,
					"kcap record: bad --recorder-cpus '%s' "
					"(a list such as 1 or 0-2,5)\n",
					optarg);
				return -EINVAL;
			}
			o->rec_cpus_arg = optarg;
			break;
		case 'v':
			bpf_verbose = true;
			break;
		case 'h':
			usage(stdout);
			return 1;
		case ':':
			fprintf(stderr,
				"kcap record: %s wants a value (kcap record "
				"--help lists the options)\n",
				argv[optind - 1]);
			return -EINVAL;
		default:
			/* --low-latency=1: optopt is the option's short name */
			if (!strncmp(argv[optind - 1], "--", 2) &&
			    strchr(argv[optind - 1], '='))
				fprintf(stderr,
					"kcap record: '%s': this option takes "
					"no value\n",
					argv[optind - 1]);
			else if (optopt && strncmp(argv[optind - 1], "--", 2))
				fprintf(stderr,
					"kcap record: unknown option '-%c' "
					"(kcap record --help lists them)\n",
					optopt);
			else
				fprintf(stderr,
					"kcap record: unknown option '%s' "
					"(kcap record --help lists them)\n",
					argv[optind - 1]);
			return -EINVAL;
		}
	}
	if (optind < argc)
		o->cmd = argv + optind;
	/* "--" and no CMD after it recorded the whole machine until killed */
	if (optind == argc && optind > 1 && !strcmp(argv[optind - 1], "--") &&
	    o->path != argv[optind - 1] /* not -w's: "-w --" */) {
		fprintf(stderr, "kcap record: no command after --\n");
		return -EINVAL;
	}
	/* names get a rotation number: a longer path would be cut */
	if (strlen(o->path) > 4000) {
		fprintf(stderr, "kcap record: -w: a path of at most 4000 "
				"bytes\n");
		return -EINVAL;
	}
	if ((o->rot_bytes || o->rot_secs) && !strcmp(o->path, "-")) {
		fprintf(stderr, "kcap record: -C and -G need a file, not -\n");
		return -EINVAL;
	}
	if (o->rot_files && !o->rot_bytes && !o->rot_secs) {
		fprintf(stderr, "kcap record: -W goes with -C or -G\n");
		return -EINVAL;
	}
	/* the per-syscall tracepoints see only the syscalls that stash */
	if (o->times && o->entry == ENTRY_SYSCALLS) {
		fprintf(stderr, "kcap record: -T times every syscall from "
				"sys_enter; --entry-probe syscalls cannot\n");
		return -EINVAL;
	}
	if (o->times)
		o->entry = ENTRY_SYS_ENTER;
	if (o->low_latency && !o->ring_set)
		o->ring = LL_DEFAULT_RING;
	return 0;
}

static uint64_t round_pow2(uint64_t v)
{
	uint64_t p = 4096;

	while (p < v)
		p <<= 1;
	return p;
}

static int finish_rotation(struct rec *r, bool wait);
static bool need_rotation(struct rec *r);
static int start_rotation(struct rec *r);

/*
 * Bytes of records kept in memory while the next file is prepared, at
 * most 8 times -B's ring (64 MiB with the default ring, and with
 * --low-latency's, which is small to stay warm, not because less may
 * wait): past that, the drainer waits for the file, and the ring holds
 * what comes.
 */
static size_t stage_max(const struct rec *r)
{
	uint64_t ring = r->o.ring_set ? r->o.ring : DEFAULT_RING;

	return ring < (128u << 20) ? 8 * ring : 1u << 30;
}

/*
 * Keep a record for the file being prepared. Not kept: 1, the helper has
 * handed the file over; 2, memory is full. Append it to the file then.
 */
static int stage(struct rec *r, struct next_file *nf, const void *data,
		 uint32_t len)
{
	int ret = 1;

	pthread_mutex_lock(&nf->mu);
	if (nf->handed_over)
		goto out;
	ret = 2;
	if (nf->moving_len + nf->kept_len + len > stage_max(r))
		goto out;
	if (nf->kept_len + len > nf->kept_cap) {
		size_t cap = nf->kept_cap ? 2 * nf->kept_cap : 1u << 20;
		uint8_t *p;

		while (cap < nf->kept_len + len)
			cap *= 2;
		if (cap > stage_max(r))
			cap = stage_max(r);
		p = realloc(nf->kept, cap);
		if (!p)
			goto out; /* wait for the file instead */
		nf->kept = p;
		nf->kept_cap = cap;
	}
	memcpy(nf->kept + nf->kept_len, data, len);
	nf->kept_len += len;
	r->staged++;
	ret = 0;
out:
	pthread_mutex_unlock(&nf->mu);
	return ret;
}

/* Into the open file, or into memory while the next one is prepared. */
static int put_record(struct rec *r, const void *data, uint32_t len)
{
	if (r->nf) {
		int err = stage(r, r->nf, data, len);

		if (err <= 0)
			return err;
		if (err == 2)
			r->stage_waits++;
		err = finish_rotation(r, true);
		if (err)
			return err;
	}
	if (!r->w) /* a rotation failed: recording stops */
		return r->werr ? r->werr : -EIO;
	return kcap_writer__append(r->w, data);
}

static int on_event(void *ctx, void *data, size_t size)
{
	struct rec *r = ctx;
	const struct kcap_hdr *h = data;
	int err;

	if (size < sizeof(*h) || h->len > size || h->len < sizeof(*h)) {
		r->bad++;
		return 0;
	}
	if (r->limit_hit)
		return 0;
	if (r->o.low_latency) {
		/* The kernel stamped ts as boot time + the same offset. */
		uint64_t now = clock_ns(CLOCK_BOOTTIME) + r->boot_wall_ns;
		uint64_t us = now > h->ts ? (now - h->ts) / 1000 : 0;

		if (us >= LAT_BUCKETS)
			us = LAT_BUCKETS - 1;
		r->lat.us[us]++;
		r->lat.n++;
		if (h->type == KCAP_EV_execve || h->type == KCAP_EV_execveat) {
			r->lat_exec.us[us]++;
			r->lat_exec.n++;
		}
	}
	err = put_record(r, data, h->len);
	if (err == -EINVAL && !r->werr) {
		/*
		 * A record the schema refuses (the writer goes on): a recorder
		 * bug, not the disk.
		 */
		r->bad++;
		return 0;
	}
	if (err) {
		r->werr = err;
		return err;
	}
	r->events++;
	if (r->o.max_events && r->events >= r->o.max_events) {
		r->limit_hit = true;
		return -ECANCELED;
	}
	/*
	 * -C while draining: one poll's records (up to a watermark, a
	 * quarter of the ring) would otherwise all go to the full file.
	 */
	if (r->o.rot_bytes && r->rot_while_draining && !want_flush && r->w &&
	    !r->nf && ++r->rot_tick >= ROT_CHECK_RECORDS) {
		r->rot_tick = 0;
		if (need_rotation(r)) {
			err = start_rotation(r);
			if (err) {
				r->werr = err;
				return err;
			}
		}
	}
	return 0;
}

/*
 * Turn what the kernel counted since the last check into LOSS records:
 * one per reason, CPU and event type that lost anything, for the window
 * [loss_since, now].
 */
static int check_loss(struct rec *r)
{
	size_t per = sizeof(struct kcap_lost), nrec = 0;
	int fd = bpf_map__fd(r->skel->maps.lost), cpu, t, err = 0;
	struct kcap_ev_loss *recs = NULL;
	/* on the events' clock: a step of the wall clock moves neither */
	uint64_t now = clock_ns(CLOCK_BOOTTIME) + r->boot_wall_ns;
	uint64_t total = r->skel->bss->lost_total;
	uint32_t reason;
	void *vals;

	/* A file is being prepared: it takes these losses, window and all. */
	if (!r->w)
		return 0;
	/* Nothing lost since the last look: no map to read (idle cost). */
	if (total == r->lost_total_seen) {
		r->loss_since = now;
		return 0;
	}
	r->lost_total_seen = total;
	vals = malloc(per * r->ncpus);
	if (!vals)
		return -ENOMEM;
	for (reason = 1; reason < KCAP_NREASONS; reason++) {
		if (bpf_map_lookup_elem(fd, &reason, vals)) {
			err = -errno;
			/* not the file's fault: a rotation said "write error" */
			snprintf(r->werr_msg, sizeof(r->werr_msg),
				 "reading the kernel's loss counters: %s",
				 strerror(-err));
			goto out;
		}
		for (cpu = 0; cpu < r->ncpus; cpu++) {
			const struct kcap_lost *l =
				(const void *)((char *)vals + per * cpu);
			uint64_t *prev =
				r->lost_prev +
				((size_t)reason * r->ncpus + cpu) * 1024;

			for (t = 0; t < 1024; t++) {
				struct kcap_ev_loss *e, *n;

				if (l->count[t] == prev[t])
					continue;
				n = realloc(recs, (nrec + 1) * sizeof(*recs));
				if (!n) {
					err = -ENOMEM;
					goto out;
				}
				recs = n;
				e = &recs[nrec++];
				memset(e, 0, sizeof(*e));
				e->hdr.type = KCAP_EV_loss;
				e->hdr.len = sizeof(*e);
				e->hdr.ts = r->loss_since;
				e->end_ts = now;
				e->count = l->count[t] - prev[t];
				e->cpu = cpu;
				e->evtype = t;
				e->reason = reason;
				r->lost += e->count;
				r->lost_by[reason] += e->count;
				prev[t] = l->count[t];
			}
		}
	}
	if (nrec)
		err = kcap_writer__write_block(r->w, KCAP_BLOCK_LOSS, recs,
					       nrec * sizeof(*recs));
	r->loss_since = now;
out:
	free(recs);
	free(vals);
	return err;
}

/* The p-th percentile of --low-latency delivery times, in us; -1: none. */
static long lat_pct(const struct lat_hist *l, double p)
{
	uint64_t want = (uint64_t)(l->n * p / 100.0), seen = 0;
	long i;

	if (!l->n)
		return -1;
	for (i = 0; i < LAT_BUCKETS; i++) {
		seen += l->us[i];
		if (seen > want)
			return i;
	}
	return LAT_BUCKETS - 1;
}

/*
 * The histogram's last bucket holds every time of 10 ms or more: a
 * percentile there is a bound, said as one (">=10000 us").
 */
static const char *at_cap(long us)
{
	return us >= LAT_BUCKETS - 1 ? ">=" : "";
}

/*
 * The recording's time: from the start of draining to the stop, the
 * closes and CMD's wait left out; 0 when a stop came during setup.
 */
static double rec_secs(const struct rec *r)
{
	uint64_t end = r->stop_ns ? r->stop_ns : clock_ns(CLOCK_MONOTONIC);

	return r->start_ns && end > r->start_ns ? (end - r->start_ns) / 1e9 : 0;
}

/*
 * The statistics line: fin, the figures of the closed files, for the
 * summary at the end; NULL while recording.
 */
static void print_stats(struct rec *r, FILE *f, const char *end,
			const struct kcap_writer_stats *fin)
{
	struct kcap_writer_stats st = { 0 };
	double secs = rec_secs(r);

	if (fin) {
		st = *fin;
	} else {
		if (r->w)
			kcap_writer__stats(r->w, &st);
		/* a file being closed counts from the rotation's start */
		st.file_bytes += r->prev_file_bytes;
		st.raw_bytes += r->done.raw_bytes;
		st.stored_bytes += r->done.stored_bytes;
	}
	fprintf(f,
		"kcap record: %llu events in %.1f s (%.0f/s), %llu lost "
		"(ring %llu, budget %llu, sampled %llu, dedup %llu), "
		"%.2f MB written, compression %.1fx%s",
		(unsigned long long)r->events, secs,
		secs > 0 ? r->events / secs : 0.0, (unsigned long long)r->lost,
		(unsigned long long)r->lost_by[KCAP_LOSS_RINGBUF],
		(unsigned long long)r->lost_by[KCAP_LOSS_BUDGET],
		(unsigned long long)r->lost_by[KCAP_LOSS_SAMPLED],
		(unsigned long long)r->lost_by[KCAP_LOSS_DEDUP],
		st.file_bytes / 1e6,
		st.stored_bytes ? (double)st.raw_bytes / st.stored_bytes : 1.0,
		r->lat.n && *end == '\n' ? "" : end);
	if (!r->lat.n || *end != '\n')
		return;
	fprintf(f, ", delivery p50 %s%ld us, p99 %s%ld us",
		at_cap(lat_pct(&r->lat, 50)), lat_pct(&r->lat, 50),
		at_cap(lat_pct(&r->lat, 99)), lat_pct(&r->lat, 99));
	if (r->lat_exec.n)
		fprintf(f, " (execs: p50 %s%ld us, p99 %s%ld us)",
			at_cap(lat_pct(&r->lat_exec, 50)),
			lat_pct(&r->lat_exec, 50),
			at_cap(lat_pct(&r->lat_exec, 99)),
			lat_pct(&r->lat_exec, 99));
	fputs(end, f);
}

/* CPU seconds of kcap's own threads: CMD, a child, is not its cost. */
static double self_cpu_s(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru))
		return 0;
	return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	       ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static int write_stats_json(struct rec *r, int status)
{
	const struct kcap_writer_stats *st = &r->final;
	double secs = rec_secs(r);
	FILE *f = fdopen(r->stats_fd, "w");
	double cpu = self_cpu_s();

	if (!f) {
		fprintf(stderr, "kcap record: cannot write %s: %s\n",
			r->o.stats_json, strerror(errno));
		close(r->stats_fd);
		return -1;
	}
	r->stats_fd = -1; /* f's */
	fprintf(f,
		"{\"events\": %llu, \"events_in_files\": %llu, "
		"\"lost\": %llu, \"bad\": %llu, "
		"\"seconds\": %.3f, \"file_bytes\": %llu, \"raw_bytes\": %llu, "
		"\"stored_bytes\": %llu, \"blocks\": %llu, \"exit_status\": %d, "
		"\"delivery_us_p50\": %ld, \"delivery_us_p99\": %ld, "
		"\"delivery_exec_us_p50\": %ld, \"delivery_exec_us_p99\": %ld, "
		"\"cpu_seconds\": %.3f, \"setup_cpu_seconds\": %.3f, "
		"\"wakeups\": %llu, \"reader_moves\": %llu, "
		"\"reader_moves_ahead\": %llu, \"entry_probe\": \"%s\", "
		"\"files\": %u, \"rotation_staged\": %llu, "
		"\"rotation_waits\": %llu, \"flushes_deferred\": %llu, "
		"\"exit_verified_insns\": %u, \"ring_bytes\": %llu}\n",
		(unsigned long long)r->events,
		(unsigned long long)st->events_written,
		(unsigned long long)r->lost, (unsigned long long)r->bad, secs,
		(unsigned long long)st->file_bytes,
		(unsigned long long)st->raw_bytes,
		(unsigned long long)st->stored_bytes,
		(unsigned long long)st->blocks, status, lat_pct(&r->lat, 50),
		lat_pct(&r->lat, 99), lat_pct(&r->lat_exec, 50),
		lat_pct(&r->lat_exec, 99), cpu, r->setup_cpu_s,
		(unsigned long long)r->wakeups, (unsigned long long)r->ll_moves,
		(unsigned long long)r->ll_moves_ahead,
		r->entry_used ? r->entry_used : "none", r->files,
		(unsigned long long)r->staged,
		(unsigned long long)r->stage_waits,
		(unsigned long long)r->flushes_deferred, r->exit_verified,
		(unsigned long long)round_pow2(r->o.ring));
	if (ferror(f) | fclose(f)) {
		fprintf(stderr, "kcap record: writing %s: %s\n",
			r->o.stats_json, strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * The signals kcap handles, ignores or resets, and how kcap found each:
 * CMD gets them back as they were (an ignored SIGINT of a background job
 * stays ignored), and the signal mask kcap was started with.
 */
static const int taken_sigs[] = { SIGINT,    SIGTERM, SIGHUP,  SIGQUIT, SIGALRM,
				  SIGVTALRM, SIGPROF, SIGXCPU, SIGUSR1, SIGUSR2,
				  SIGPIPE,   SIGXFSZ, SIGCHLD };
#define N_TAKEN (sizeof(taken_sigs) / sizeof(taken_sigs[0]))
static struct sigaction sigs_given[N_TAKEN];
static sigset_t mask_given;

/*
 * Fork CMD stopped before its exec: it waits for a byte on a pipe, so
 * that nothing it does happens before capture is attached.
 */
/*
 * CMD's file, looked up in PATH as execvp() would, before the fork: once
 * capture is attached, execvp()'s tries in each directory of PATH were
 * recorded as CMD's failed execs (9 for stat). NULL: execvp() looks, and
 * says why it found nothing.
 */
static char *path_lookup(const char *name, bool runnable)
{
	const char *path = getenv("PATH"), *d, *e;
	struct stat st;

	if (strchr(name, '/') || !*name)
		return NULL;
	if (!path)
		path = "/usr/local/bin:/bin:/usr/bin";
	for (d = path; *d; d = *e ? e + 1 : e) {
		size_t n;
		char *f;

		e = strchrnul(d, ':');
		n = (size_t)(e - d);
		if (asprintf(&f, "%.*s%s%s", (int)n, d, n ? "/" : "", name) < 0)
			return NULL;
		if (!stat(f, &st) && S_ISREG(st.st_mode) &&
		    (!runnable || !access(f, X_OK)))
			return f;
		free(f);
	}
	return NULL;
}

static char *find_cmd(const char *name)
{
	return path_lookup(name, true);
}

/*
 * The file the kernel loads to run file: a script's #! interpreter, or
 * an ELF's dynamic loader (PT_INTERP). NULL: none, or not known (32-bit
 * ELF, unreadable). Read by hand: two fields the kernel itself reads, in
 * <elf.h>'s structs; libelf would add nothing here.
 */
static char *interp_of(const char *file, bool *script)
{
	char buf[PATH_MAX + 3], *p, *end, *interp = NULL;
	Elf64_Ehdr eh;
	Elf64_Phdr ph;
	ssize_t n;
	int fd;

	fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	n = pread(fd, buf, sizeof(buf) - 1, 0);
	if (n > 2 && buf[0] == '#' && buf[1] == '!') {
		buf[n] = 0;
		for (p = buf + 2; *p == ' ' || *p == '\t'; p++)
			;
		end = p + strcspn(p, " \t\n");
		if (end > p)
			interp = strndup(p, (size_t)(end - p));
		*script = true;
	} else if (n >= (ssize_t)sizeof(eh) && !memcmp(buf, ELFMAG, SELFMAG) &&
		   buf[EI_CLASS] == ELFCLASS64) {
		memcpy(&eh, buf, sizeof(eh));
		*script = false;
		for (unsigned int i = 0; i < eh.e_phnum && !interp; i++) {
			if (pread(fd, &ph, sizeof(ph),
				  (off_t)(eh.e_phoff +
					  (uint64_t)i * eh.e_phentsize)) !=
			    (ssize_t)sizeof(ph))
				break;
			if (ph.p_type != PT_INTERP)
				continue;
			if (!ph.p_filesz || ph.p_filesz > PATH_MAX)
				break;
			n = pread(fd, buf, ph.p_filesz, (off_t)ph.p_offset);
			if (n == (ssize_t)ph.p_filesz)
				interp = strndup(buf, (size_t)n);
		}
	}
	close(fd);
	return interp;
}

/*
 * 0 if CMD can be run as far as can be told before the fork, else the
 * status a shell gives (127 not found, 126 not runnable), said: found
 * only once BPF was loaded and -w made, a typo replaced a recording that
 * was there with one of a failed exec.
 */
static int cmd_runnable(const char *name)
{
	char *file, *interp;
	bool script = false;
	struct stat st;
	int depth, e;

	if (!strchr(name, '/')) {
		file = find_cmd(name);
		if (!file) {
			/* there, but not executable: as a shell says it */
			file = path_lookup(name, false);
			fprintf(stderr, "kcap record: cannot run %s: %s\n",
				file ? file : name,
				file ? strerror(EACCES) : "not found in PATH");
			e = file ? 126 : 127;
			free(file);
			return e;
		}
	} else {
		if (stat(name, &st)) {
			e = errno; /* fprintf() may change it */
			fprintf(stderr, "kcap record: cannot run %s: %s\n",
				name, strerror(e));
			return e == ENOENT ? 127 : 126;
		}
		if (S_ISDIR(st.st_mode) || access(name, X_OK)) {
			fprintf(stderr, "kcap record: cannot run %s: %s\n",
				name,
				S_ISDIR(st.st_mode) ? "a directory" :
						      strerror(errno));
			return 126;
		}
		file = strdup(name);
		if (!file)
			return 0; /* the exec will tell */
	}
	/*
	 * What the exec needs besides the file, as far as the kernel goes
	 * (4 levels of #!): a script whose interpreter, or a program whose
	 * loader, is not there failed only at the exec (ENOENT, about a
	 * file that is there), after -w's file was emptied.
	 */
	for (depth = 0; depth < 4 && (interp = interp_of(file, &script));
	     depth++) {
		free(file);
		file = interp;
		if (!access(file, X_OK))
			continue;
		e = errno;
		fprintf(stderr, "kcap record: cannot run %s: %s %s: %s\n", name,
			script ? "its interpreter" : "its dynamic loader", file,
			strerror(e));
		free(file);
		return e == ENOENT ? 127 : 126;
	}
	free(file);
	return 0;
}

static pid_t spawn_waiting(char **cmd, int *release_fd, bool stdout_taken,
			   const cpu_set_t *given)
{
	char *file = find_cmd(cmd[0]);
	int p[2];
	pid_t pid;

	if (pipe2(p, O_CLOEXEC)) {
		free(file);
		return -errno;
	}
	pid = fork();
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		free(file);
		return -errno;
	}
	if (!pid) {
		char go;

		/* --recorder-cpus are kcap's: CMD runs where kcap was let */
		if (given && sched_setaffinity(0, sizeof(*given), given)) {
			fprintf(stderr,
				"kcap record: cannot give %s the CPUs kcap "
				"was started with: %s\n",
				cmd[0], strerror(errno));
			_exit(127);
		}
		for (size_t i = 0; i < N_TAKEN; i++)
			sigaction(taken_sigs[i], &sigs_given[i], NULL);
		sigprocmask(SIG_SETMASK, &mask_given, NULL);
		close(p[1]);
		/* With -w -, stdout is the capture: CMD writes to stderr. */
		if (stdout_taken && dup2(2, 1) < 0)
			_exit(127);
		if (read(p[0], &go, 1) != 1)
			_exit(127); /* the recorder gave up */
		if (file)
			execv(file, cmd);
		/* a script without #! (ENOEXEC): execvp() runs it by sh */
		execvp(cmd[0], cmd);
		go = errno == ENOENT ? 127 : 126; /* as a shell says it */
		fprintf(stderr, "kcap record: cannot run %s: %s\n", cmd[0],
			strerror(errno));
		_exit(go);
	}
	free(file);
	close(p[0]);
	*release_fd = p[1];
	return pid;
}

/*
 * The initial user namespace maps every id to itself: "0 0 4294967295"
 * in /proc/self/uid_map. Anywhere else, root is root of its namespace
 * only (unshare -U -r).
 */
static bool in_initial_userns(void)
{
	unsigned long a, b, n;
	FILE *f = fopen("/proc/self/uid_map", "re");
	int got;

	if (!f)
		return true; /* cannot tell: let the kernel's answer stand */
	got = fscanf(f, "%lu %lu %lu", &a, &b, &n);
	fclose(f);
	return got != 3 || (a == 0 && b == 0 && n == 4294967295ul);
}

/*
 * May this process load tracing programs: CAP_SYS_ADMIN, or CAP_BPF and
 * CAP_PERFMON? The verifier also refuses a program with EACCES, and that
 * must not read as a want of privilege.
 */
/* kcap's effective capabilities; all of them for root if not known */
static uint64_t cap_effective(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2] = { { 0 } };

	if (syscall(SYS_capget, &h, d))
		return geteuid() == 0 ? ~0ull : 0;
	return d[0].effective | (uint64_t)d[1].effective << 32;
}

static bool may_load_bpf(void)
{
	uint64_t eff = cap_effective();

	/* capabilities in a user namespace of its own do not count for BPF */
	if (!in_initial_userns())
		return false;
	return (eff >> 21 & 1) /* CAP_SYS_ADMIN */ ||
	       ((eff >> 39 & 1) /* CAP_BPF */ && (eff >> 38 & 1) /* PERFMON */);
}

/*
 * The snapshot reads /proc/PID/fd, exe, cwd and root, which need
 * CAP_SYS_PTRACE for another user's process (or one not dumpable): with
 * CAP_BPF and CAP_PERFMON alone, kcap recorded, and 97 of 100 processes
 * had no exe and their fds no names, without a word.
 */
static void say_snapshot_caps(const struct rec *r)
{
	if (r->o.quiet || (cap_effective() >> 19 & 1) /* CAP_SYS_PTRACE */)
		return;
	fprintf(stderr,
		"kcap record: without CAP_SYS_PTRACE, the /proc snapshot "
		"cannot read the fds, exe, cwd and root of other users' "
		"processes: replay will not name them\n");
}

static int load_error(const char *what, int err)
{
	fprintf(stderr, "kcap record: %s: %s\n", what, strerror(-err));
	if ((err == -EPERM || err == -EACCES) && !may_load_bpf()) {
		fprintf(stderr,
			"kcap record: loading eBPF programs needs root (or "
			"CAP_BPF and CAP_PERFMON)%s\n",
			in_initial_userns() ? "" :
					      " in the initial user namespace: "
					      "kcap runs in one of its own, "
					      "where root is not enough");
	} else if (bpf_log_len) {
		/* The verifier says why at the end of its log. */
		const char *p = bpf_log;

		/* from the start of a line */
		if (bpf_log_len > 8192) {
			p = bpf_log + bpf_log_len - 8192;
			if (strchr(p, '\n'))
				p = strchr(p, '\n') + 1;
		}
		fprintf(stderr,
			"kcap record: libbpf and verifier log (end):\n%s", p);
	}
	return 1;
}

/* Reads the ids of the entry tracepoints from the tracefs at dir. */
static int read_entry_ids(const char *dir, int ids[N_ENTRY])
{
	char path[256], buf[32];
	unsigned int i;
	ssize_t n;
	int fd;

	for (i = 0; i < N_ENTRY; i++) {
		snprintf(path, sizeof(path),
			 "%s/events/syscalls/sys_enter_%s/id", dir,
			 entry_syscalls[i].name);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return -errno;
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (n <= 0)
			return n < 0 ? -errno : -EINVAL;
		buf[n] = 0;
		ids[i] = atoi(buf);
		if (ids[i] <= 0)
			return -EINVAL;
	}
	return 0;
}

/*
 * The ids of the entry tracepoints. They are read from tracefs, which a
 * fresh machine does not mount: then a child mounts it in a mount
 * namespace of its own, which vanishes with it, so that the machine's
 * mounts stay as they were. (Not /sys/kernel/debug/tracing: where debugfs
 * is mounted, looking there mounts tracefs for the whole machine.)
 */
static int entry_ids(int ids[N_ENTRY])
{
	static const char dir[] = "/sys/kernel/tracing";
	int p[2], st, err;
	pid_t pid;
	ssize_t n;

	if (!read_entry_ids(dir, ids))
		return 0;
	if (pipe2(p, O_CLOEXEC))
		return -errno;
	pid = fork();
	if (pid < 0) {
		err = -errno;
		close(p[0]);
		close(p[1]);
		return err;
	}
	if (!pid) {
		int res[1 + N_ENTRY] = { 0 };

		close(p[0]);
		if (unshare(CLONE_NEWNS) ||
		    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
		    mount("tracefs", dir, "tracefs", 0, NULL))
			res[0] = -errno;
		else
			res[0] = read_entry_ids(dir, res + 1);
		_exit(write(p[1], res, sizeof(res)) == sizeof(res) ? 0 : 1);
	}
	close(p[1]);
	{
		int res[1 + N_ENTRY];

		do
			n = read(p[0], res, sizeof(res));
		while (n < 0 && errno == EINTR);
		err = n == sizeof(res) ? res[0] : -EIO;
		if (!err)
			memcpy(ids, res + 1, sizeof(res) - sizeof(res[0]));
	}
	close(p[0]);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	return err;
}

/* An entry program on each entry tracepoint; -errno and nothing attached. */
static int attach_entry_tps(struct rec *r)
{
	struct kcap_record_bpf *sk = r->skel;
	struct bpf_program *prog;
	int err = 0, pfd;
	unsigned int i;

	if (r->entry_ids_err)
		return r->entry_ids_err;
	for (i = 0; i < N_ENTRY; i++) {
		struct perf_event_attr a = {
			.type = PERF_TYPE_TRACEPOINT,
			.size = sizeof(a),
			.config = r->entry_ids[i],
			.sample_period = 1,
			.wakeup_events = 1,
		};

		/*
		 * One event, on CPU 0, is enough: a tracepoint runs the
		 * programs attached to it on every CPU.
		 */
		pfd = syscall(SYS_perf_event_open, &a, -1, 0, -1,
			      PERF_FLAG_FD_CLOEXEC);
		if (pfd < 0) {
			err = -errno;
			break;
		}
		prog = entry_syscalls[i].nargs == 2 ? sk->progs.kcap_enter_tp2 :
		       entry_syscalls[i].nargs == 3 ? sk->progs.kcap_enter_tp3 :
		       entry_syscalls[i].nargs == 5 ? sk->progs.kcap_enter_tp5 :
						      sk->progs.kcap_enter_tp6;
		r->entry_links[i] = bpf_program__attach_perf_event(prog, pfd);
		if (!r->entry_links[i]) {
			err = -errno;
			close(pfd);
			break;
		}
	}
	if (err)
		for (i = 0; i < N_ENTRY; i++) {
			bpf_link__destroy(r->entry_links[i]);
			r->entry_links[i] = NULL;
		}
	return err;
}

/*
 * The entry hooks (kcap_record.bpf.c: kcap_enter_tpN or kcap_sys_enter),
 * attached with the other programs, before CMD starts.
 */
static int attach_entry(struct rec *r)
{
	struct bpf_link *l;
	int err = -ENOENT;

	if (r->o.entry != ENTRY_SYS_ENTER) {
		err = attach_entry_tps(r);
		if (!err) {
			r->entry_used = "syscalls";
			return 0;
		}
		if (r->o.entry == ENTRY_SYSCALLS) {
			fprintf(stderr,
				"kcap record: cannot attach to the "
				"syscalls:sys_enter_* tracepoints: %s\n",
				strerror(-err));
			return 1;
		}
		/* it costs every syscall of the machine: say so */
		if (!r->o.quiet)
			fprintf(stderr,
				"kcap record: per-syscall entry tracepoints "
				"unavailable (%s); using sys_enter\n",
				strerror(-err));
	}
	l = bpf_program__attach(r->skel->progs.kcap_sys_enter);
	if (!l)
		return load_error("attaching the sys_enter program", -errno);
	r->skel->links.kcap_sys_enter = l; /* the skeleton destroys it */
	r->entry_used = "sys_enter";
	return 0;
}

/*
 * --cgroup: the depth of the cgroup2 directory path below its
 * hierarchy's root, the kernel's cgroup->level, at which a task's
 * ancestors are compared with it (so that the tasks of the cgroups below
 * it are recorded too); -1 with errno set if it cannot be known. Levels
 * are the host's: in another cgroup namespace the mount's root is that
 * namespace's, at a level kcap cannot see, so it is refused there.
 */
static int cgroup_level(const char *path)
{
	/* the initial cgroup namespace's inode, PROC_CGROUP_INIT_INO */
	const ino_t init_cgroup_ns = 0xeffffffbu;
	const unsigned int mask = STATX_INO | STATX_MNT_ID;
	char line[4096], root[4096];
	int level = 0, found = 0, fd, up;
	struct statx sx, px;
	struct stat ns;
	FILE *f;

	if (stat("/proc/self/ns/cgroup", &ns) == 0 &&
	    ns.st_ino != init_cgroup_ns) {
		errno = EXDEV;
		return -1;
	}
	fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || statx(fd, "", AT_EMPTY_PATH, mask, &sx))
		goto fail;
	if (!(sx.stx_mask & STATX_MNT_ID)) {
		errno = ENOSYS;
		goto fail;
	}
	/* Up through ".." while the parent is on the same mount. */
	for (;;) {
		up = openat(fd, "..", O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (up < 0 || statx(up, "", AT_EMPTY_PATH, mask, &px)) {
			if (up >= 0)
				close(up);
			goto fail;
		}
		close(fd);
		fd = up;
		/* at the mount's root; or at "/", its own parent */
		if (px.stx_mnt_id != sx.stx_mnt_id || px.stx_ino == sx.stx_ino)
			break;
		sx = px;
		level++;
	}
	close(fd);
	/*
	 * The mount's root may itself be below the hierarchy's root (a bind
	 * mount of a cgroup, as containers get): mountinfo's fourth field.
	 */
	f = fopen("/proc/self/mountinfo", "re");
	if (!f)
		return -1;
	while (!found && fgets(line, sizeof(line), f)) {
		unsigned long long id;
		const char *c;

		if (sscanf(line, "%llu %*u %*s %4095s", &id, root) != 2 ||
		    id != sx.stx_mnt_id)
			continue;
		found = 1;
		for (c = root; *c; c++)
			if (*c == '/' && c[1] && c[1] != '/')
				level++;
	}
	fclose(f);
	if (!found) {
		errno = ENOENT;
		return -1;
	}
	return level;
fail:
	if (fd >= 0)
		close(fd);
	return -1;
}

/* How many instructions the verifier walked to load prog; 0: unknown. */
static uint32_t verified_insns(const struct bpf_program *prog)
{
	struct bpf_prog_info info;
	__u32 len = sizeof(info);

	memset(&info, 0, sizeof(info));
	if (bpf_obj_get_info_by_fd(bpf_program__fd(prog), &info, &len))
		return 0;
	return info.verified_insns;
}

static int setup_bpf(struct rec *r)
{
	struct kcap_record_bpf *skel;
	struct kcap_sys *tab;
	sigset_t held, was;
	int err, nr, fd;
	uint64_t wm;
	cpu_set_t one;

	if (access("/sys/kernel/btf/vmlinux", R_OK)) {
		fprintf(stderr,
			"kcap record: this kernel has no BTF "
			"(/sys/kernel/btf/vmlinux: %s); kcap needs "
			"CONFIG_DEBUG_INFO_BTF=y\n",
			strerror(errno));
		return 1;
	}
	libbpf_set_print(libbpf_log);
	skel = kcap_record_bpf__open();
	if (!skel)
		return load_error("opening the BPF object", -errno);
	r->skel = skel;
	/*
	 * The tracepoint ids, now: the child that may mount tracefs is
	 * forked before kcap has other threads.
	 */
	if (r->o.entry != ENTRY_SYS_ENTER)
		r->entry_ids_err = entry_ids(r->entry_ids);
	if (r->o.entry == ENTRY_SYSCALLS && r->entry_ids_err) {
		fprintf(stderr,
			"kcap record: cannot find the syscalls:sys_enter_* "
			"tracepoints in tracefs: %s\n",
			strerror(-r->entry_ids_err));
		return 1;
	}
	/*
	 * Every wakeup on the machine runs these: only where the polling
	 * thread of --low-latency has another core to go to.
	 */
	if (!r->o.low_latency ||
	    (!sched_getaffinity(0, sizeof(one), &one) && CPU_COUNT(&one) < 2)) {
		bpf_program__set_autoload(skel->progs.kcap_ll_wakeup, false);
		bpf_program__set_autoload(skel->progs.kcap_ll_wakeup_new,
					  false);
		bpf_program__set_autoload(skel->progs.kcap_ll_migrate, false);
	}
	/* attach_entry() picks one of the two entry programs */
	bpf_program__set_autoattach(skel->progs.kcap_sys_enter, false);
	if (r->o.entry == ENTRY_SYS_ENTER || r->entry_ids_err) {
		bpf_program__set_autoload(skel->progs.kcap_enter_tp2, false);
		bpf_program__set_autoload(skel->progs.kcap_enter_tp3, false);
		bpf_program__set_autoload(skel->progs.kcap_enter_tp5, false);
		bpf_program__set_autoload(skel->progs.kcap_enter_tp6, false);
	}
	skel->rodata->self_tgid = getpid();
	skel->rodata->boot_wall_ns = r->boot_wall_ns;
	skel->rodata->snaplen = r->o.snaplen;
	skel->rodata->low_latency = r->o.low_latency;
	skel->rodata->syscall_times = r->o.times;
	wm = r->o.ring / 4;
	if (wm > (1u << 20))
		wm = 1u << 20;
	skel->rodata->watermark = wm;
	skel->rodata->filter_pid = r->o.npids || r->o.cmd;
	skel->rodata->io_budget = r->o.io_budget;
	skel->rodata->dedup_ns = (uint64_t)r->o.dedup_ms * 1000000;
	if (r->o.sample_pct) {
		skel->rodata->sample_keep = r->o.sample_keep;
		skel->rodata->sample_above =
			round_pow2(r->o.ring) / 100 * r->o.sample_pct;
	}
	if (r->o.comm) {
		skel->rodata->filter_comm = true;
		strncpy((char *)skel->rodata->comm, r->o.comm, 15);
	}
	if (r->o.cgroup) {
		struct statfs fs;
		struct stat st;
		int level;

		if (stat(r->o.cgroup, &st) || statfs(r->o.cgroup, &fs)) {
			fprintf(stderr, "kcap record: --cgroup %s: %s\n",
				r->o.cgroup, strerror(errno));
			return 1;
		}
		/* any other inode number matches no task: nothing recorded */
		if (!S_ISDIR(st.st_mode) ||
		    (unsigned long)fs.f_type != CGROUP2_SUPER_MAGIC) {
			fprintf(stderr,
				"kcap record: --cgroup %s: not a cgroup v2 "
				"directory (one under a mount that `mount -t "
				"cgroup2` lists)\n",
				r->o.cgroup);
			return 1;
		}
		level = cgroup_level(r->o.cgroup);
		if (level < 0) {
			fprintf(stderr,
				"kcap record: --cgroup %s: cannot tell its "
				"depth in the hierarchy: %s\n",
				r->o.cgroup,
				errno == EXDEV ? "kcap runs in a cgroup "
						 "namespace of its own" :
						 strerror(errno));
			return 1;
		}
		/*
		 * On cgroup v2 a cgroup's id is its directory's inode; the
		 * tasks of the cgroups below it have it as their ancestor at
		 * its level.
		 */
		skel->rodata->filter_cgroup = true;
		skel->rodata->cgroup_id = st.st_ino;
		skel->rodata->cgroup_level = level;
	}
	/* the kernel wants a power of two, of a page at least */
	if (round_pow2(r->o.ring) != r->o.ring && !r->o.quiet)
		fprintf(stderr,
			"kcap record: -B %llu: the ring is %llu bytes (a "
			"power of two)\n",
			(unsigned long long)r->o.ring,
			(unsigned long long)round_pow2(r->o.ring));
	err = bpf_map__set_max_entries(skel->maps.rb, round_pow2(r->o.ring));
	if (err)
		return load_error("sizing the ring buffer", err);
	/*
	 * The verifier gives up on a pending signal, and libbpf then loads
	 * again from the start, five times at most: a SIGUSR1 every 20-50
	 * ms made the load fail (EAGAIN). Held until the load is done; a stop
	 * then skips the attach. No thread exists yet to inherit the mask.
	 */
	sigemptyset(&held);
	for (size_t i = 0; i < N_TAKEN; i++)
		sigaddset(&held, taken_sigs[i]);
	sigprocmask(SIG_BLOCK, &held, &was);
	err = kcap_record_bpf__load(skel);
	sigprocmask(SIG_SETMASK, &was, NULL);
	if (err)
		return load_error("loading the BPF programs", err);
	r->exit_verified = verified_insns(skel->progs.kcap_sys_exit);

	tab = r->tab;
	fd = bpf_map__fd(skel->maps.systab);
	for (nr = 0; nr < KCAP_NR_MAX; nr++) {
		uint32_t k = nr;

		if (bpf_map_update_elem(fd, &k, &tab[nr], BPF_ANY))
			return load_error("filling the syscall table", -errno);
	}
	return 0;
}

/* Marks tid as recorded, in the bitmap the BPF programs share (.bss). */
static int trace_tid(struct rec *r, int tid)
{
	uint32_t t = tid;

	if (tid <= 0 || t >> 6 >= KCAP_TID_WORDS)
		return -EINVAL;
	/* atomic: a fork may be setting a bit of the same word */
	__atomic_fetch_or(&r->skel->bss->traced[t >> 6], 1ull << (t & 63),
			  __ATOMIC_SEQ_CST);
	return 0;
}

/* The process a thread tid belongs to, from /proc; 0 if none. */
static int tgid_of(int tid)
{
	char path[64], buf[4096], *t;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/status", tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	t = strstr(buf, "\nTgid:");
	return t ? atoi(t + 6) : 0;
}

/* How pid_trees() takes a -p pid that has no process. */
enum pid_check {
	PIDS_QUIET, /* it exited since: left out */
	PIDS_ALL, /* before loading: each must be there (-ESRCH) */
	/*
	 * once loaded: one that exited during the load (a second or two)
	 * is said and left out; none left is an error
	 */
	PIDS_ANY,
};

/*
 * The threads of -p's processes and their descendants, as pairs (tid,
 * tgid) like kcap_proc_descendants(); how many pairs, or -errno. What
 * it says of a pid without a process (on stderr) follows how.
 */
static int pid_trees(const struct opts *o, int **tidsp, enum pid_check how)
{
	int counts[MAX_PIDS], *tids = NULL, n, tgid, left = 0;

	/* one walk for all of them: each walk reads every process */
	n = kcap_proc_descendants(o->pids, o->npids, &tids, counts);
	if (n < 0) {
		if (how != PIDS_QUIET)
			fprintf(stderr, "kcap record: -p: reading /proc: %s\n",
				strerror(-n));
		return n;
	}
	for (int i = 0; how != PIDS_QUIET && i < o->npids; i++) {
		if (counts[i]) {
			left++;
			continue;
		}
		tgid = tgid_of(o->pids[i]);
		if (how == PIDS_ANY)
			fprintf(stderr,
				"kcap record: process %d exited before "
				"recording started\n",
				o->pids[i]);
		else if (tgid > 0 && tgid != o->pids[i])
			fprintf(stderr,
				"kcap record: -p %d: a thread of "
				"process %d; -p takes processes (-p "
				"%d records all its threads)\n",
				o->pids[i], tgid, tgid);
		else
			fprintf(stderr, "kcap record: no process %d\n",
				o->pids[i]);
		if (how == PIDS_ALL) {
			free(tids);
			return -ESRCH;
		}
	}
	if (how == PIDS_ANY && !left) {
		free(tids);
		return -ESRCH;
	}
	*tidsp = tids;
	return n;
}

/*
 * Is tid a live task other than kcap's own? If not, its bit is cleared:
 * the walks of /proc list tasks that have exited but are not reaped
 * (zombies, threads going), whose exit program ran before kcap marked
 * them, and nothing would clear them after (-p would never see its
 * processes gone, and a later process given the tid would be recorded).
 */
static bool untrace_dead(const struct rec *r, int tid)
{
	char path[64], buf[512], *paren;
	bool alive = false;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		buf[n > 0 ? n : 0] = 0;
		/* "tid (comm) S ppid pgrp ...": the state follows the comm */
		paren = strrchr(buf, ')');
		alive = paren && paren[1] == ' ' && paren[2] != 'Z' &&
			paren[2] != 'X' && paren[2] != 'x';
	} else if (errno != ENOENT && errno != ESRCH) {
		return true; /* cannot tell: keep it */
	}
	/* kcap under a -p process (-p $PPID) would keep itself recorded */
	if (alive && tgid_of(tid) == getpid())
		alive = false;
	if (!alive && tid > 0 && (uint32_t)tid >> 6 < KCAP_TID_WORDS)
		__atomic_fetch_and(&r->skel->bss->traced[(uint32_t)tid >> 6],
				   ~(1ull << (tid & 63)), __ATOMIC_SEQ_CST);
	return alive;
}

/*
 * -p: is any task still recorded? The exit program unmarks each as it
 * exits. 512 KiB to look through, once a second: about 50 us here.
 */
static bool any_traced(const struct rec *r)
{
	for (size_t i = 0; i < KCAP_TID_WORDS; i++) {
		uint64_t w = __atomic_load_n(&r->skel->bss->traced[i],
					     __ATOMIC_RELAXED);

		/* a set bit may be a task that is gone (untrace_dead()) */
		for (int b = 0; w; b++, w >>= 1)
			if ((w & 1) && untrace_dead(r, (int)(i * 64 + b)))
				return true;
	}
	return false;
}

static bool is_traced_tid(const struct rec *r, int tid)
{
	uint32_t t = tid;

	return tid > 0 && t >> 6 < KCAP_TID_WORDS &&
	       (__atomic_load_n(&r->skel->bss->traced[t >> 6],
				__ATOMIC_RELAXED) &
		(1ull << (t & 63)));
}

/*
 * -p, once the programs are attached. The walk before the attach missed
 * what forked between the two, with no fork program yet to mark it, and
 * marked what exited meanwhile, with no exit program to unmark it (a
 * later process given that tid would have been recorded). From the
 * attach on, the fork program marks the children of marked threads: so
 * walk again until a walk finds no thread unmarked, then unmark the
 * walks' threads that are gone or zombies.
 */
static int retrace_tree(struct rec *r, const int *seeded, int nseeded)
{
	int *tids = NULL, n = 0, news = 1, round, i;

	for (round = 0; news && round < 16; round++) {
		free(tids);
		tids = NULL;
		n = pid_trees(&r->o, &tids, PIDS_QUIET);
		if (n < 0)
			return n;
		for (i = 0, news = 0; i < n; i++)
			if (!is_traced_tid(r, tids[2 * i])) {
				trace_tid(r, tids[2 * i]);
				news++;
			}
	}
	/* the walks' tasks that are gone or zombies, and kcap's own */
	for (i = 0; i < n; i++)
		untrace_dead(r, tids[2 * i]);
	free(tids);
	for (i = 0; i < nseeded; i++)
		untrace_dead(r, seeded[2 * i]);
	return 0;
}

static int write_machine(struct kcap_writer *w, const struct rec *r)
{
	uint8_t *mbuf = malloc(KCAP_REC_MAX);
	int n, err;

	if (!mbuf)
		return -ENOMEM;
	n = kcap_machine_record(mbuf, KCAP_REC_MAX,
				"kcap " KCAP_VERSION_STRING " record", r->argc,
				r->argv);
	err = n < 0 ? n :
		      kcap_writer__write_block(w, KCAP_BLOCK_MACHINE, mbuf, n);
	free(mbuf);
	return err;
}

static int write_snapshot(struct kcap_writer *w, const struct rec *r)
{
	void *snap = NULL;
	size_t slen = 0;
	uint32_t count = 0;
	int err;

	err = kcap_snapshot_proc(kcap_schema__builtin(), r->boot_wall_ns, &snap,
				 &slen, &count);
	if (err)
		return err;
	if (slen)
		err = kcap_writer__write_block(w, KCAP_BLOCK_SNAPSHOT, snap,
					       slen);
	free(snap);
	return err;
}

/*
 * Gives CMD the stop signals kcap took since the last call: each of
 * those that processes sent, and the last of the terminal's only if CMD
 * left kcap's process group (setsid, a shell's job control), for it
 * reached CMD too otherwise: passed on, it came twice, and a Python
 * program got its second KeyboardInterrupt while it cleaned up after the
 * first. One that another process sends to the process group (GNU
 * timeout, kill -INT -PGID) cannot be told from one sent to kcap alone,
 * and reaches CMD twice.
 */
static void pass_stop(struct rec *r)
{
	unsigned int user =
		__atomic_exchange_n(&stop_user, 0, __ATOMIC_SEQ_CST);
	sig_atomic_t tty = stop_tty_n;

	for (int sig = 1; user; sig++)
		if (user & 1u << sig) {
			user &= ~(1u << sig);
			kill(r->child, sig);
		}
	if (tty != r->tty_seen && getpgid(r->child) != getpgrp())
		kill(r->child, stop_tty_sig);
	r->tty_seen = tty;
}

static void reap_child(struct rec *r, bool block)
{
	int st, pidfd = -1, ended = 0;
	pid_t p;

	if (r->child <= 0 || r->child_done)
		return;
	/*
	 * kcap's handlers end the wait: a SIGUSR1 goes on waiting; a stop
	 * that comes only now (a SIGTERM to kcap alone, after -M ended the
	 * recording) is passed to CMD, as at the end of recording. A
	 * blocking waitpid() missed a signal that came after the test of
	 * stop_sig and before the wait began, and waited for CMD to end by
	 * itself: kcap waits on CMD's pidfd and the handlers' wake_fd
	 * instead, and tests the flag only before it waits.
	 */
	if (block)
		pidfd = (int)syscall(SYS_pidfd_open, r->child, 0);
	for (;;) {
		p = waitpid(r->child, &st, block && pidfd < 0 ? 0 : WNOHANG);
		if (p < 0 && errno != EINTR)
			break;
		if (p > 0 || (!p && !block))
			break;
		if (stop_sig)
			pass_stop(r);
		if (pidfd >= 0) {
			struct pollfd fds[2] = {
				{ .fd = pidfd, .events = POLLIN },
				{ .fd = wake_fd, .events = POLLIN }
			};

			if (ended) {
				/*
				 * CMD ended, yet waitpid() has nothing: a
				 * tracer (strace -p, gdb) reaps it first. The
				 * pidfd stays readable: wait blocking instead
				 * of turning here.
				 */
				close(pidfd);
				pidfd = -1;
				continue;
			}
			if (poll(fds, 2, -1) > 0) {
				ended = fds[0].revents;
				if (fds[1].revents)
					wake_drain();
			}
		}
	}
	if (pidfd >= 0)
		close(pidfd);
	if (p == r->child) {
		r->child_done = true;
		r->child_status = st;
	}
}

char *kcap_ring_take(char **kept, unsigned int n, unsigned int slot,
		     const char *name)
{
	char *old = kept[slot];
	unsigned int i;

	/* the pattern came round again: that slot's file is this one now */
	for (i = 0; i < n; i++) {
		if (i != slot && kept[i] && !strcmp(kept[i], name)) {
			free(kept[i]);
			kept[i] = NULL;
		}
	}
	if (old && !strcmp(old, name)) {
		free(old);
		old = NULL;
	}
	/* without memory the file is kept, never removed: nothing is lost */
	kept[slot] = strdup(name);
	return old;
}

/*
 * The name of the next output file: a rotation number for every file but
 * the first, modulo -W; or, with -G and strftime conversions in FILE,
 * those expanded, and a number for a name already taken.
 */
static void output_name(struct rec *r, char *buf, size_t cap)
{
	unsigned int slot = r->file_no;
	bool pattern = r->o.rot_secs > 0 && strchr(r->o.path, '%');

	if (r->o.rot_files)
		slot %= r->o.rot_files;
	if (pattern) {
		time_t t = time(NULL);
		char name[sizeof(r->pat_last) - 16]; /* room for .N */
		struct tm tm;

		localtime_r(&t, &tm);
		if (!strftime(name, sizeof(name), r->o.path, &tm))
			snprintf(name, sizeof(name), "%s", r->o.path);
		/*
		 * A second file in the same period (-C, or -G under the
		 * pattern's resolution) must not overwrite the first: as
		 * tcpdump, it takes a number.
		 */
		if (r->file_no && !strcmp(name, r->pat_last)) {
			snprintf(buf, cap, "%s.%u", name, ++r->pat_seq);
		} else {
			r->pat_seq = 0;
			snprintf(buf, cap, "%s", name);
		}
		snprintf(r->pat_last, sizeof(r->pat_last), "%s", name);
		if (r->pat_kept) {
			char *old = kcap_ring_take(r->pat_kept, r->o.rot_files,
						   slot, buf);

			if (old)
				unlink(old);
			free(old);
		}
		return;
	}
	if (!slot)
		snprintf(buf, cap, "%s", r->o.path);
	else
		snprintf(buf, cap, "%s.%u", r->o.path, slot);
}

/* The library's reason for a failure, or the errno's. */
static const char *reason(const char *msg, int err)
{
	return msg && msg[0] ? msg : strerror(-err);
}

/*
 * A new output file with its MACHINE block and, with snap, a fresh
 * SNAPSHOT block, so that it decodes alone. On an error, msg says why,
 * and the file is returned if it was opened (for its owner to close).
 * Reads only what stays put while recording: the helper thread of a
 * rotation calls it.
 */
static struct kcap_writer *new_file(const struct rec *r, const char *path,
				    bool snap, char *msg, size_t cap, int *errp)
{
	/* the stats file, which ended up in its place when written */
	const char *const keep[] = { r->o.stats_json, NULL };
	KCAP_OPTS(kcap_writer_opts, wo, .codec = r->o.codec,
		  .level = r->o.level, .flush_ms = r->o.flush_ms,
		  .boot_wall_ns = r->boot_wall_ns, .async_blocks = 8,
		  .keep = keep);
	struct kcap_writer *w = kcap_writer__open(path, &wo);
	int err;

	*errp = 0;
	if (!w) {
		int e = errno;

		snprintf(msg, cap, "cannot write %s: %s", path,
			 e == EEXIST ? "it is --stats-json's file" :
				       kcap_last_errmsg());
		/* -EINTR: a stop while a FIFO's open waited (open_output()) */
		*errp = e == EINTR ? -EINTR : -EIO;
		return NULL;
	}
	err = write_machine(w, r);
	if (!err && snap)
		err = write_snapshot(w, r);
	if (err) {
		snprintf(msg, cap, "writing %s: %s", path,
			 reason(kcap_writer__errmsg(w), err));
		*errp = err;
	}
	return w;
}

/*
 * -w's directory, looked at before loading (a second or two): a typo
 * there was said only after it. The file itself is made after loading,
 * so that a load that fails leaves a recording that was there alone. A
 * name with strftime conversions is left to the open.
 */
static bool output_dir_bad(const char *path)
{
	char *copy, *dir;
	bool bad = false;

	if (!strcmp(path, "-"))
		return false;
	copy = strdup(path);
	if (!copy)
		return false; /* the open will tell */
	dir = dirname(copy);
	/* a file there (/dev/null, a FIFO) needs no room in its directory */
	if (!strchr(path, '%') && access(path, F_OK) && errno == ENOENT &&
	    access(dir, W_OK | X_OK)) {
		int e = errno; /* fprintf() may change it */

		fprintf(stderr, "kcap record: cannot create %s: %s\n", path,
			strerror(e));
		bad = true;
	}
	free(copy);
	return bad;
}

/* A stop signal came while an output (a FIFO) waited for its reader. */
static void say_stopped_opening(const char *path, char **cmd)
{
	const char *sig = sigabbrev_np(stop_sig);

	fprintf(stderr,
		"kcap record: stopped by SIG%s while opening %s: nothing was "
		"recorded%s%s%s\n",
		sig ? sig : "?", path, cmd ? ", and " : "", cmd ? cmd[0] : "",
		cmd ? " was not started" : "");
}

/*
 * The first output file, opened before capture is attached so that a bad
 * path is refused first. Its SNAPSHOT comes once capture is attached
 * (start_first_snapshot()).
 */
static int open_output(struct rec *r)
{
	char msg[sizeof(r->werr_msg)];
	int err;

	output_name(r, r->cur_path, sizeof(r->cur_path));
	r->w = new_file(r, r->cur_path, false, msg, sizeof(msg), &err);
	if (err == -EINTR && stop_sig) {
		/* a FIFO's open waits for a reader: a stop, not a failure */
		say_stopped_opening(r->cur_path, r->o.cmd);
		return err;
	}
	if (err) {
		fprintf(stderr, "kcap record: %s\n", msg);
		if (r->w)
			r->werr = err;
		return err;
	}
	r->files++;
	r->file_start_ns = clock_ns(CLOCK_MONOTONIC);
	return 0;
}

/*
 * What the file will take once what it holds is written: the blocks
 * written, and the events not yet (the open block, and blocks queued for
 * the writer thread) at the compression its events got so far. Counting
 * only the blocks written took -C 200k files to 222-266 KB.
 */
static double events_ratio(const struct kcap_writer_stats *st)
{
	return st->events_bytes_written ?
		       (double)st->events_stored / st->events_bytes_written :
		       0;
}

/*
 * Before a file's first EVENTS block is written, its events are taken to
 * compress as the earlier files' did; in the first file, they are not
 * counted until then (its snapshot compresses far less than events do,
 * and made files rotate at two thirds of -C).
 */
static uint64_t file_size_soon(const struct kcap_writer_stats *st, double ratio)
{
	uint64_t pending = 0;

	if (st->events_bytes > st->events_bytes_written)
		pending = st->events_bytes - st->events_bytes_written;
	if (st->events_bytes_written)
		ratio = events_ratio(st);
	return st->file_bytes + (uint64_t)(pending * ratio);
}

/* -G: when the open file is due to end; 0: never */
static uint64_t file_due_ns(const struct rec *r)
{
	return r->o.rot_secs > 0 ?
		       r->file_start_ns + (uint64_t)(r->o.rot_secs * 1e9) :
		       0;
}

static bool need_rotation(struct rec *r)
{
	struct kcap_writer_stats st;
	uint64_t due = file_due_ns(r);

	if (due && clock_ns(CLOCK_MONOTONIC) >= due)
		return true;
	if (!r->o.rot_bytes)
		return false;
	kcap_writer__stats(r->w, &st);
	/*
	 * A file holds at least an event: with -C under the size of the
	 * snapshot, each file was full once its snapshot was written, and an
	 * idle machine made 11 files of 123 events in 2 s, each a /proc walk.
	 */
	if (!st.events)
		return false;
	if (!st.events_bytes_written && st.file_bytes >= r->o.rot_bytes &&
	    !r->rot_small_said && !r->o.quiet) {
		r->rot_small_said = true;
		fprintf(stderr,
			"\nkcap record: -C %llu is less than the file's "
			"snapshot (%llu bytes): each file holds its snapshot "
			"and the events of one check\n",
			(unsigned long long)r->o.rot_bytes,
			(unsigned long long)st.file_bytes);
	}
	return file_size_soon(&st, events_ratio(&r->done)) >= r->o.rot_bytes;
}

/*
 * --low-latency: the polling thread may use all its cores again (see
 * ll_place()). This is the mask it started with: a `taskset -p` on kcap
 * while it had left a core is undone here.
 */
static void ll_restore(struct rec *r)
{
	if (r->ll_aside &&
	    !sched_setaffinity(0, sizeof(r->ll_mask), &r->ll_mask))
		r->ll_aside = false;
	CPU_ZERO(&r->ll_left);
	r->ll_cpu = -1;
	r->ll_came_cpu = -1; /* a reader that sleeps delays nobody */
}

/*
 * The helper is done: the drainer appends to the file itself from now on.
 * After a failure, what it kept meanwhile is dropped: the events recorded
 * and not in the files are counted at the end (events_in_files).
 */
static void hand_over(struct next_file *nf)
{
	pthread_mutex_lock(&nf->mu);
	nf->handed_over = true;
	nf->kept_len = 0;
	pthread_mutex_unlock(&nf->mu);
}

static void add_stats(struct kcap_writer_stats *to,
		      const struct kcap_writer_stats *st)
{
	to->events += st->events;
	to->blocks += st->blocks;
	to->raw_bytes += st->raw_bytes;
	to->stored_bytes += st->stored_bytes;
	to->file_bytes += st->file_bytes;
	to->events_written += st->events_written;
	to->events_bytes += st->events_bytes;
	to->events_bytes_written += st->events_bytes_written;
	to->events_stored += st->events_stored;
}

/*
 * The helper's last step: move what the drainer kept into the new file,
 * batch by batch (the drainer keeps filling an emptied buffer meanwhile),
 * and hand the file over in the same locked moment that finds nothing
 * left, so that no record can come in between.
 */
static void move_kept(struct next_file *nf)
{
	uint8_t *buf = NULL;
	size_t cap = 0, len = 0, off;
	int err = 0;

	for (;;) {
		uint8_t *full;
		size_t full_cap;

		pthread_mutex_lock(&nf->mu);
		nf->moving_len = 0;
		if (!nf->kept_len) {
			nf->handed_over = true;
			pthread_mutex_unlock(&nf->mu);
			break;
		}
		/* Take the full buffer, leave the emptied one. */
		full = nf->kept;
		full_cap = nf->kept_cap;
		len = nf->kept_len;
		nf->kept = buf;
		nf->kept_cap = cap;
		nf->kept_len = 0;
		nf->moving_len = len;
		pthread_mutex_unlock(&nf->mu);
		buf = full;
		cap = full_cap;
		for (off = 0; off < len;) {
			const struct kcap_hdr *h = (const void *)(buf + off);

			err = kcap_writer__append(nf->w, h);
			if (err == -EINVAL) { /* refused: a recorder bug */
				nf->bad++;
				err = 0;
			}
			if (err)
				break;
			off += h->len;
		}
		if (off < len) {
			nf->err = err;
			snprintf(nf->msg, sizeof(nf->msg), "writing %s: %s",
				 nf->path,
				 reason(kcap_writer__errmsg(nf->w), err));
			break;
		}
	}
	free(buf);
	if (nf->err)
		hand_over(nf);
}

static void *next_file_main(void *arg)
{
	struct next_file *nf = arg;
	int err;

	if (nf->first) {
		struct timespec t0, t1;

		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t0);
		err = write_snapshot(nf->w, nf->r);
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t1);
		nf->snap_cpu_s = (t1.tv_sec - t0.tv_sec) +
				 (t1.tv_nsec - t0.tv_nsec) / 1e9;
		if (err)
			snprintf(nf->msg, sizeof(nf->msg), "writing %s: %s",
				 nf->path,
				 reason(kcap_writer__errmsg(nf->w), err));
	} else {
		err = kcap_writer__close_stats(nf->old, &nf->old_st);
		nf->old_counted = true;
		if (err)
			snprintf(nf->msg, sizeof(nf->msg), "closing %s: %s",
				 nf->r->cur_path,
				 reason(kcap_last_errmsg(), err));
		else
			nf->w = new_file(nf->r, nf->path, true, nf->msg,
					 sizeof(nf->msg), &err);
	}
	nf->old = NULL;
	if (!err) {
		move_kept(nf);
		return NULL;
	}
	nf->err = err;
	hand_over(nf);
	return NULL;
}

/* Run the helper; the ring is drained into memory meanwhile. */
static void launch_helper(struct rec *r, struct next_file *nf)
{
	r->nf = nf;
	/*
	 * --low-latency may have left this thread on fewer cores: the helper
	 * and the new file's writer thread, which it starts, inherit them
	 * all. (A mask given to pthread_create() is set only after the clone,
	 * and the thread shows the narrower one meanwhile.)
	 */
	ll_restore(r);
	if (pthread_create(&nf->thread, NULL, next_file_main, nf)) {
		/* No thread to spare: prepare it here, the ring waiting. */
		nf->thread = pthread_self();
		next_file_main(nf);
		nf->snap_cpu_s = 0; /* this thread's: counted already */
	}
}

static struct next_file *next_file_new(struct rec *r)
{
	struct next_file *nf = calloc(1, sizeof(*nf));

	if (!nf || pthread_mutex_init(&nf->mu, NULL)) {
		free(nf);
		return NULL;
	}
	nf->r = r;
	return nf;
}

/*
 * The first file's SNAPSHOT, once capture is attached: taken before, it
 * would miss what processes do between the walk and the attach (hundreds
 * of ms with many fds), and the replay of a process would start from a
 * state that its recorded events do not lead on from. The walk takes as
 * long as a rotation's: the ring is drained into memory meanwhile, as
 * then, and replay does not apply an event again that the snapshot of its
 * process already shows (each process's records carry when it was read).
 */
static int start_first_snapshot(struct rec *r)
{
	struct next_file *nf = next_file_new(r);

	if (!nf)
		return -ENOMEM;
	nf->first = true;
	nf->w = r->w;
	snprintf(nf->path, sizeof(nf->path), "%s", r->cur_path);
	r->w = NULL;
	launch_helper(r, nf);
	return 0;
}

/*
 * Close this file (its losses so far go into it) and start the next one,
 * which gets its own MACHINE and SNAPSHOT blocks so that it decodes alone:
 * on a helper thread (struct next_file).
 */
static int start_rotation(struct rec *r)
{
	struct kcap_writer_stats st;
	struct next_file *nf;
	int err = check_loss(r);

	if (err)
		return err;
	nf = next_file_new(r);
	if (!nf)
		return -ENOMEM;
	nf->old = r->w;
	/* its size before the index, as the live statistics count it */
	kcap_writer__stats(r->w, &st);
	r->prev_file_bytes += st.file_bytes;
	r->file_no++;
	output_name(r, nf->path, sizeof(nf->path));
	r->w = NULL;
	r->file_start_ns = clock_ns(CLOCK_MONOTONIC);
	launch_helper(r, nf);
	return 0;
}

/*
 * Take the next file from the helper once it has handed it over; with
 * wait, wait for that. Returns the helper's error, if any, which stops
 * recording.
 */
static int finish_rotation(struct rec *r, bool wait)
{
	struct next_file *nf = r->nf;
	bool done;
	int err;

	if (!nf)
		return 0;
	pthread_mutex_lock(&nf->mu);
	done = nf->handed_over;
	pthread_mutex_unlock(&nf->mu);
	if (!done && !wait)
		return 0;
	if (!pthread_equal(nf->thread, pthread_self()))
		pthread_join(nf->thread, NULL);
	r->nf = NULL;
	if (nf->old_counted)
		add_stats(&r->done, &nf->old_st);
	r->setup_cpu_s += nf->snap_cpu_s;
	r->bad += nf->bad;
	/* refused: not events; dropped: recorded, and in no file */
	r->events -= nf->bad;
	err = nf->err;
	if (nf->w) {
		r->w = nf->w;
		r->files += !nf->first;
		snprintf(r->cur_path, sizeof(r->cur_path), "%s", nf->path);
	}
	if (err) {
		r->werr = err;
		snprintf(r->werr_msg, sizeof(r->werr_msg), "%s", nf->msg);
	}
	free(nf->kept);
	pthread_mutex_destroy(&nf->mu);
	free(nf);
	return err;
}

/*
 * --low-latency: after a wakeup that brought records, poll the ring in a
 * loop for up to LL_SPIN_NS instead of sleeping. Being woken for each
 * record took 17 us at the median and 150-600 us at p99 on the test
 * machines (the kernel defers ring buffer wakeups to irq_work, then the
 * scheduler runs the reader), far from the microseconds the mode is for;
 * polling, the median is under 1 us (docs/PERFORMANCE.md). The core spins
 * only while the recorded processes make syscalls, and sleeps again
 * LL_SPIN_NS after the last record.
 */
#define LL_SPIN_NS 5000000ull
/*
 * The first spin, from the start of recording: CMD was released just
 * before, and its exec comes as the loop starts. Asleep in epoll, kcap took
 * 230-690 us to wake for that first record in every run of the bench's
 * exec loop (a vCPU left idle is halted, and the host takes that long to
 * run it again): one of the four slowest execs of 300, that is, the p99.
 * CMD's exec itself can take over LL_SPIN_NS on a busy machine.
 */
#define LL_FIRST_SPIN_NS 100000000ull

#if defined(__x86_64__) || defined(__i386__)
#define cpu_relax() __builtin_ia32_pause()
#elif defined(__aarch64__)
#define cpu_relax() __asm__ __volatile__("yield" ::: "memory")
#else
#define cpu_relax() __asm__ __volatile__("" ::: "memory")
#endif

/*
 * --low-latency: a thread that polls shares its core with whatever else
 * the scheduler puts there, and the scheduler does not move a thread that
 * never sleeps, even to an idle core (it is always cache-hot). Where a
 * recorded process runs on the polling thread's core, its records wait
 * until the two switch, milliseconds later (seen here: for the first 60
 * execs of a loop that taskset had put on kcap's core, p99 1.7-3.6 ms).
 *
 * The BPF side counts records per CPU. A record made on the polling
 * thread's own core while it polled means a recorded process ran there in
 * its stead: it then leaves that core, for the others it may use. It may
 * use them all again once it sleeps, or LL_ASIDE_NS after it last left a
 * core: the counters see only recorded processes, and a thread held to few
 * cores could stay beside other work that the scheduler would move.
 */
#define LL_ASIDE_NS 100000000ull

/* Leave core cpu for the others the polling thread may use. */
static void ll_leave(struct rec *r, int cpu)
{
	cpu_set_t m;

	CPU_SET(cpu, &r->ll_left);
	m = r->ll_mask;
	for (int c = 0; c < CPU_SETSIZE; c++)
		if (CPU_ISSET(c, &r->ll_left))
			CPU_CLR(c, &m);
	if (!CPU_COUNT(&m)) {
		/* it left them all: only this one is to be avoided now */
		CPU_ZERO(&r->ll_left);
		CPU_SET(cpu, &r->ll_left);
		m = r->ll_mask;
		CPU_CLR(cpu, &m);
		if (!CPU_COUNT(&m))
			return; /* one core: nowhere to go */
	}
	if (!sched_setaffinity(0, sizeof(m), &m)) {
		r->ll_aside = true;
		r->ll_left_ns = clock_ns(CLOCK_MONOTONIC);
		r->ll_moves++;
		r->ll_cpu = -1; /* ll_place() starts over on the new core */
	}
}

static void ll_place(struct rec *r, bool polling)
{
	uint64_t n;
	int cpu;

	if (!r->ll_have_mask)
		return;
	if (!polling ||
	    (r->ll_aside &&
	     clock_ns(CLOCK_MONOTONIC) - r->ll_left_ns > LL_ASIDE_NS)) {
		ll_restore(r);
		return;
	}
	cpu = sched_getcpu();
	if (cpu < 0 || cpu >= KCAP_LL_CPUS)
		return;
	n = __atomic_load_n(&r->skel->bss->ll_recs[cpu].n, __ATOMIC_RELAXED);
	if (cpu != r->ll_cpu || n == r->ll_seen) {
		/* a new core, or nobody else ran here: look again later */
		r->ll_cpu = cpu;
		r->ll_seen = n;
		return;
	}
	r->ll_seen = n;
	ll_leave(r, cpu);
}

/*
 * Was a recorded task put on core cpu since the last look there? The BPF
 * side counts them per CPU (ll_came()). The first look at a core only
 * notes its count: what came before is not news.
 */
static bool ll_crowded(struct rec *r, int cpu)
{
	uint64_t came;

	if (cpu < 0 || cpu >= KCAP_LL_CPUS)
		return false;
	came = __atomic_load_n(&r->skel->bss->ll_came_to[cpu].n,
			       __ATOMIC_RELAXED);
	if (cpu != r->ll_came_cpu) {
		r->ll_came_cpu = cpu;
		r->ll_came = came;
		return false;
	}
	if (came == r->ll_came)
		return false;
	r->ll_came = came;
	return true;
}

/*
 * A recorded task put on the core the polling thread spins on waits there
 * behind it until the scheduler's slice ends, milliseconds, and its
 * records with it; the record counters of ll_place() see it only once it
 * has run. So the polling thread watches the core's arrivals on every
 * turn and leaves as soon as one comes (look: ask which core it is on,
 * not trusting the last answer). At most one such move per
 * LL_AHEAD_GAP_NS: where recorded tasks keep coming to every core, kcap
 * would otherwise do little else than move.
 */
#define LL_AHEAD_GAP_NS 1000000ull

static void ll_watch(struct rec *r, bool look)
{
	int cpu = r->ll_came_cpu;
	uint64_t moves;

	if (!r->ll_have_mask)
		return;
	if (look || cpu < 0)
		cpu = sched_getcpu();
	if (!ll_crowded(r, cpu))
		return;
	/* the scheduler may have moved it since it last asked */
	if (sched_getcpu() != cpu) {
		ll_crowded(r, sched_getcpu());
		return;
	}
	if (r->ll_aside &&
	    clock_ns(CLOCK_MONOTONIC) - r->ll_left_ns < LL_AHEAD_GAP_NS)
		return;
	moves = r->ll_moves;
	ll_leave(r, cpu);
	r->ll_moves_ahead += r->ll_moves - moves;
	ll_crowded(r, sched_getcpu()); /* notes the new core's count */
}

/* The first spin, ending by -M's end. */
static uint64_t first_spin_ns(uint64_t deadline)
{
	uint64_t now = clock_ns(CLOCK_MONOTONIC);

	if (deadline && deadline <= now)
		return 0;
	if (deadline && deadline - now < LL_FIRST_SPIN_NS)
		return deadline - now;
	return LL_FIRST_SPIN_NS;
}

/*
 * Spin on the ring until records come (their count) or limit_ns passes
 * without any. While it spins, the BPF side submits without wakeups
 * (ll_polling); before the caller may sleep, the flag is cleared and the
 * ring looked at once more, past a full fence: a record committed before
 * the BPF side could see the flag cleared is found here, and one after it
 * comes with a wakeup (ll_recheck() in the BPF program).
 */
static int spin_consume(struct rec *r, uint64_t limit_ns)
{
	volatile __u32 *polling = &r->skel->bss->ll_polling;
	uint64_t t0 = clock_ns(CLOCK_MONOTONIC);
	unsigned int i = 0;
	int n = 0;

	*polling = 1;
	while (!stop_sig) {
		n = ring_buffer__consume(r->ring);
		/* sched_getcpu() every 64 turns: a vDSO call is not free */
		ll_watch(r, !(i & 63));
		if (n)
			return n;
		/* the clock too */
		if (!(++i & 63) && clock_ns(CLOCK_MONOTONIC) - t0 > limit_ns)
			break;
		cpu_relax();
	}
	*polling = 0;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return ring_buffer__consume(r->ring);
}

/*
 * How long a poll may wait: the poll interval, but no later than -M's end
 * or -G's next file (both came up to a poll interval late, 2.0 s for
 * -M 1.5 with --flush-ms 1000), and 5 ms while a flush waits for a
 * rotation.
 */
static int wait_ms(const struct rec *r, uint64_t poll_ms, uint64_t deadline)
{
	uint64_t now = clock_ns(CLOCK_MONOTONIC), ms = poll_ms, due = 0;

	if (want_flush && r->nf && ms > 5)
		ms = 5;
	if (!r->nf)
		due = file_due_ns(r);
	if (deadline && (!due || deadline < due))
		due = deadline;
	if (due) {
		/* rounded up: a poll that returns early only turns again */
		uint64_t left = due > now ? (due - now + 999999) / 1000000 : 0;

		if (left < ms)
			ms = left;
	}
	return (int)ms;
}

/*
 * The poll's set: wake_fd, and the ring through libbpf's epoll fd (an
 * epoll fd is pollable). wake_fd cannot go in libbpf's own set: libbpf
 * 1.1's ring_buffer__poll() takes an event's data for a ring's index. The
 * loop never waits on libbpf's set, so nothing takes the ring off its
 * ready list but a look that finds the ring empty: level-triggered here,
 * that set would be readable whenever records wait, and the loop would
 * turn for every few records of a busy load. So the ring is
 * edge-triggered here as in libbpf's set (see kcap_record_main()), and
 * each of its wakeups still ends one wait.
 */
static int poll_set_new(const struct rec *r)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = wake_fd };
	int ep = epoll_create1(EPOLL_CLOEXEC), err;

	if (ep < 0)
		return -errno;
	if (epoll_ctl(ep, EPOLL_CTL_ADD, wake_fd, &ev))
		goto fail;
	ev.events = EPOLLIN | (r->o.low_latency ? 0 : EPOLLET);
	ev.data.fd = ring_buffer__epoll_fd(r->ring);
	if (epoll_ctl(ep, EPOLL_CTL_ADD, ev.data.fd, &ev))
		goto fail;
	return ep;
fail:
	err = -errno;
	close(ep);
	return err;
}

/*
 * ring_buffer__poll() on the poll's set: wait up to ms for the ring's
 * wakeup or a signal's. Returns what that did: the records consumed after
 * the ring's wakeup, 0 at the timeout or after a signal that came before
 * the wait, -EINTR after one that came during it, another -errno.
 */
static int poll_ring(struct rec *r, int ep, int ms)
{
	struct epoll_event ev[2];
	int n, got = 0;

	n = epoll_wait(ep, ev, 2, ms);
	if (n < 0)
		return -errno;
	for (int i = 0; i < n; i++) {
		if (ev[i].data.fd == wake_fd)
			wake_drain();
		else
			got = ring_buffer__consume(r->ring);
	}
	return got;
}

static int run(struct rec *r)
{
	uint64_t deadline = 0, last_live = 0, last_alive = 0, poll_ms;
	bool live = !r->o.quiet && isatty(2), spin = false, flush_waits = false;
	int err = 0, n, ep;

	/* BPF loading and the /proc snapshot, apart from recording's cost */
	r->setup_cpu_s = self_cpu_s();
	/* and from its time: events/s are of the recording */
	r->start_ns = clock_ns(CLOCK_MONOTONIC);
	if (r->o.max_secs > 0)
		deadline = clock_ns(CLOCK_MONOTONIC) +
			   (uint64_t)(r->o.max_secs * 1e9);
	/* The poll timeout bounds delivery latency when no wakeup comes. */
	poll_ms = r->o.flush_ms;
	if (r->o.cmd && poll_ms > 50)
		poll_ms = 50;
	if (r->o.low_latency) {
		r->ll_have_mask =
			!sched_getaffinity(0, sizeof(r->ll_mask), &r->ll_mask);
		CPU_ZERO(&r->ll_left);
		r->ll_cpu = -1;
		r->ll_came_cpu = -1;
		/* CMD's first records come at once: LL_FIRST_SPIN_NS */
		spin = r->child > 0;
	}
	r->rot_while_draining = true;
	ep = poll_set_new(r);
	if (ep < 0) {
		err = ep;
		snprintf(r->werr_msg, sizeof(r->werr_msg), "epoll: %s",
			 strerror(-ep));
	}
	while (ep >= 0 && !stop_sig) {
		r->wakeups++;
		if (r->o.low_latency && spin)
			n = spin_consume(r, r->wakeups == 1 ?
						    first_spin_ns(deadline) :
						    LL_SPIN_NS);
		else
			n = poll_ring(r, ep, wait_ms(r, poll_ms, deadline));
		/*
		 * Records submitted without a wakeup raise no epoll event:
		 * poll only consumes rings that signalled, so drain here
		 * too. This bounds delivery latency by the poll timeout.
		 */
		if (n >= 0) {
			int k = ring_buffer__consume(r->ring);

			/* keep spinning while records come */
			spin = n > 0 || k > 0;
			n = k;
			if (r->o.low_latency)
				ll_place(r, spin);
		}
		if (n < 0 && n != -EINTR && n != -ECANCELED) {
			if (!r->werr) {
				err = n;
				fprintf(stderr,
					"kcap record: ring buffer: %s\n",
					strerror(-n));
				break;
			}
		}
		if (r->werr || r->limit_hit)
			break;
		err = check_loss(r);
		if (err)
			break;
		/*
		 * Seal the open block once it is older than the flush interval,
		 * so that a quiet machine's events still reach the file; tick
		 * hands the block to the writer thread without waiting for it.
		 */
		if (r->w)
			err = kcap_writer__tick(r->w,
						clock_ns(CLOCK_MONOTONIC));
		if (err) {
			r->werr = err;
			break;
		}
		if (r->nf && finish_rotation(r, false))
			break;
		/*
		 * During a rotation the flush waits for the next file: the
		 * records since the rotation began go to it, after its
		 * snapshot. Waiting here instead would stop draining the ring
		 * for the rest of that snapshot (seconds on a busy server)
		 * and lose what overflowed it. No rotation starts while a
		 * flush waits, so that back-to-back rotations cannot put it
		 * off.
		 */
		if (want_flush && r->nf && !flush_waits) {
			flush_waits = true;
			r->flushes_deferred++;
		}
		if (want_flush && !r->nf) {
			want_flush = 0;
			flush_waits = false;
			r->rot_while_draining = false;
			ring_buffer__consume(r->ring);
			r->rot_while_draining = true;
			if (r->werr || r->limit_hit || !r->w)
				break;
			err = kcap_writer__flush(r->w);
			if (err) {
				r->werr = err;
				break;
			}
		}
		if (!r->nf && !want_flush && need_rotation(r)) {
			err = start_rotation(r);
			if (err)
				break;
		}
		if (want_stats) {
			want_stats = 0;
			print_stats(r, stderr, "\n", NULL);
		}
		if (live &&
		    clock_ns(CLOCK_MONOTONIC) - last_live > 1000000000ull) {
			last_live = clock_ns(CLOCK_MONOTONIC);
			print_stats(r, stderr, "\r", NULL);
		}
		if (r->child > 0) {
			reap_child(r, false);
			if (r->child_done)
				break;
		}
		/* -p: once a second, as strace -p ends when its tasks do */
		if (r->o.npids &&
		    clock_ns(CLOCK_MONOTONIC) - last_alive > 1000000000ull) {
			last_alive = clock_ns(CLOCK_MONOTONIC);
			if (!any_traced(r)) {
				r->pids_gone = true;
				break;
			}
		}
		if (deadline && clock_ns(CLOCK_MONOTONIC) >= deadline)
			break;
	}
	if (ep >= 0)
		close(ep);
	r->stop_ns = clock_ns(CLOCK_MONOTONIC);
	/*
	 * Stop producing first: a stop during a rotation waits below for
	 * the next file's snapshot (seconds on a busy machine), and the
	 * ring, not drained meanwhile, would fill with events from after
	 * the stop and count the overflow as lost.
	 */
	kcap_record_bpf__detach(r->skel);
	for (unsigned int i = 0; i < N_ENTRY; i++) {
		bpf_link__destroy(r->entry_links[i]);
		r->entry_links[i] = NULL;
	}
	/* A file being prepared takes what is left: wait for it. */
	finish_rotation(r, true);
	/* A SIGUSR1 that came during setup or with the stop is answered. */
	if (want_stats) {
		want_stats = 0;
		print_stats(r, stderr, "\n", NULL);
	}
	/* What is still in the ring was recorded before the stop. */
	r->rot_while_draining = false;
	if (!r->werr && !r->limit_hit) {
		n = ring_buffer__consume(r->ring);
		if (n < 0 && n != -ECANCELED && !r->werr)
			err = n;
	}
	if (!r->werr && !err)
		err = check_loss(r);
	if (live)
		fputc('\n', stderr);
	return err;
}

/*
 * A stop (SIGINT, SIGTERM) before CMD was let go: CMD never runs, and the
 * file, closed whole, holds no event and no loss. Said even with -q:
 * without a word (the summary comes only after recording), a QA run took
 * such a file for a recording of a CMD that did nothing.
 */
static void say_stopped_in_setup(const struct rec *r)
{
	const char *sig = sigabbrev_np(stop_sig);

	fprintf(stderr,
		"kcap record: stopped by SIG%s during setup: %s was not "
		"started, and %s holds no events\n",
		sig ? sig : "?", r->o.cmd[0],
		strcmp(r->cur_path, "-") ? r->cur_path : "the output");
}

/*
 * --recorder-cpus: move kcap to its CPUs; given is the mask it was started
 * with, for CMD.
 */
static int take_recorder_cpus(const struct opts *o, cpu_set_t *given)
{
	cpu_set_t got;

	if (sched_getaffinity(0, sizeof(*given), given)) {
		fprintf(stderr, "kcap record: cannot read kcap's CPUs: %s\n",
			strerror(errno));
		return -errno;
	}
	if (sched_setaffinity(0, sizeof(o->rec_cpus), &o->rec_cpus)) {
		int err = errno;

		fprintf(stderr, "kcap record: --recorder-cpus %s: %s\n",
			o->rec_cpus_arg,
			err == EINVAL ? "none of these CPUs is online and open "
					"to kcap" :
					strerror(err));
		return -err;
	}
	/* The kernel leaves out the CPUs kcap may not use, and says nothing. */
	if (!sched_getaffinity(0, sizeof(got), &got) &&
	    !CPU_EQUAL(&got, &o->rec_cpus))
		fprintf(stderr,
			"kcap record: --recorder-cpus %s: some of these CPUs "
			"are offline or not open to kcap; it runs on the "
			"others\n",
			o->rec_cpus_arg);
	return 0;
}

int kcap_record_main(int argc, char **argv)
{
	struct rec r = { .stats_fd = -1 };
	struct sigaction sa = { 0 };
	char msg[256] = "";
	sigset_t handled;
	cpu_set_t given_cpus;
	bool close_failed = false, summary = false;
	int release_fd = -1, err, status = 0, *seeded = NULL, nseeded = 0;
	size_t lsz;

	err = parse_opts(&r.o, argc, argv);
	if (err)
		return err > 0 ? 0 : 2;
	if (r.o.cmd && r.o.npids) {
		fprintf(stderr,
			"kcap record: -p and a command exclude each other\n");
		return 2;
	}
	if (r.o.cmd && (err = cmd_runnable(r.o.cmd[0])))
		return err;
	/*
	 * -w - with standard output closed: kcap's first fd took number 1,
	 * and the recording went into it ("Invalid argument").
	 */
	if (!strcmp(r.o.path, "-") && fcntl(1, F_GETFD) < 0) {
		fprintf(stderr, "kcap record: -w -: standard output is "
				"closed\n");
		return 2;
	}
	/* --stats-json - likewise: the stats went into kcap's eventfd */
	if (r.o.stats_json && !strcmp(r.o.stats_json, "-") &&
	    fcntl(1, F_GETFD) < 0) {
		fprintf(stderr, "kcap record: --stats-json -: standard output "
				"is closed\n");
		return 2;
	}
	/*
	 * Before any thread starts: the writer and helper threads inherit
	 * the mask. --low-latency's polling thread leaves a core only for
	 * another of these (ll_leave()).
	 */
	if (r.o.rec_cpus_arg && take_recorder_cpus(&r.o, &given_cpus))
		return 2;
	/*
	 * From the start, so that a stop during setup still closes cleanly.
	 * SIGPIPE and SIGXFSZ are ignored: a reader of -w - that goes away,
	 * or a file size limit (ulimit -f), then fails a write (EPIPE,
	 * EFBIG), and recording stops with a message as on a full disk,
	 * instead of kcap being killed without a word and its file left
	 * without an index.
	 */
	err = wake_open();
	if (err) {
		fprintf(stderr, "kcap record: eventfd: %s\n", strerror(-err));
		return 1;
	}
	/* before the handlers: a stop that comes as they are set is kept */
	stop_sig = want_stats = want_flush = 0;
	stop_tty_n = 0;
	stop_user = 0;
	sa.sa_sigaction = on_signal;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	sigemptyset(&handled);
	for (size_t i = 0; i < N_TAKEN; i++) {
		struct sigaction ign = { .sa_handler = SIG_IGN },
				 dfl = { .sa_handler = SIG_DFL }, *to = &sa;
		int sig = taken_sigs[i];

		sigaction(sig, NULL, &sigs_given[i]);
		/*
		 * SIGCHLD to its default: ignored as kcap was started (that
		 * survives exec), it had the kernel reap CMD, waitpid()
		 * found nothing, and kcap recorded on until killed.
		 */
		if (sig == SIGCHLD)
			to = &dfl;
		else if (sig == SIGPIPE || sig == SIGXFSZ)
			to = &ign;
		/*
		 * SIGHUP (a terminal or an ssh session that goes away) stops
		 * as SIGTERM does: it killed kcap, which left its file
		 * without an index and CMD running. Under nohup it stays
		 * ignored, as tcpdump leaves it.
		 */
		else if (sig == SIGHUP && sigs_given[i].sa_handler == SIG_IGN)
			to = &ign;
		else
			sigaddset(&handled, sig);
		sigaction(sig, to, NULL);
	}
	/*
	 * Handled whatever mask kcap was given: blocked, SIGINT and SIGTERM
	 * did nothing, and without CMD only SIGKILL, which leaves the file
	 * without its index, ended kcap.
	 */
	sigprocmask(SIG_UNBLOCK, &handled, &mask_given);

	/*
	 * --stats-json's file is made now: a path it cannot have is refused
	 * before recording, not after, and no output file may be it
	 * (new_file()): -w and --stats-json naming one file made the stats
	 * take the recording's place, and kcap exited 0.
	 */
	if (r.o.stats_json) {
		/*
		 * Not -w's file: emptied to make the stats, it destroyed a
		 * recording that was there, though kcap then refused -w.
		 */
		const char *keep[] = { strcmp(r.o.path, "-") ? r.o.path : NULL,
				       NULL };
		struct stat a, b;

		/* "-": standard output, as -w - is (a file named "-" was made) */
		if (!strcmp(r.o.stats_json, "-"))
			r.stats_fd = !strcmp(r.o.path, "-") ?
					     -EBUSY :
					     fcntl(1, F_DUPFD_CLOEXEC, 3);
		else
			r.stats_fd =
				kcap_output__open(r.o.stats_json, keep, NULL);
		if (r.stats_fd == -EBUSY) {
			fprintf(stderr,
				"kcap record: --stats-json - and -w - "
				"would both write to standard output\n");
			return 2;
		}
		if (r.stats_fd < 0 && !strcmp(r.o.stats_json, "-")) {
			fprintf(stderr, "kcap record: --stats-json -: %s\n",
				strerror(errno));
			return 2;
		}
		if (r.stats_fd == -EEXIST) {
			fprintf(stderr,
				"kcap record: --stats-json %s is -w's file\n",
				r.o.stats_json);
			return 2;
		}
		/* a FIFO's open waits for a reader: a stop, as for -w */
		if (r.stats_fd == -EINTR && stop_sig) {
			say_stopped_opening(r.o.stats_json, r.o.cmd);
			return 128 + stop_sig;
		}
		if (r.stats_fd < 0) {
			fprintf(stderr, "kcap record: --stats-json: %s\n",
				kcap_last_errmsg());
			return 1;
		}
		/* -w - writes to fd 1, which no keep path guards */
		if (!strcmp(r.o.path, "-") && !fstat(r.stats_fd, &a) &&
		    !fstat(1, &b) && a.st_dev == b.st_dev &&
		    a.st_ino == b.st_ino) {
			fprintf(stderr,
				"kcap record: --stats-json %s is the standard "
				"output, where -w - writes the recording\n",
				r.o.stats_json);
			close(r.stats_fd);
			return 2;
		}
	}

	r.boot_wall_ns = clock_ns(CLOCK_REALTIME) - clock_ns(CLOCK_BOOTTIME);
	r.loss_since = clock_ns(CLOCK_BOOTTIME) + r.boot_wall_ns;
	r.ncpus = libbpf_num_possible_cpus();
	if (r.ncpus <= 0) {
		fprintf(stderr, "kcap record: cannot count CPUs\n");
		return 1;
	}
	lsz = (size_t)KCAP_NREASONS * r.ncpus * 1024 * sizeof(uint64_t);
	r.lost_prev = calloc(1, lsz);
	if (!r.lost_prev) {
		status = 1;
		goto cleanup;
	}

	/*
	 * -e's table, and a mistyped pid, are said before loading (a second
	 * or two), not after it
	 */
	r.tab = calloc(KCAP_NR_MAX, sizeof(*r.tab));
	if (!r.tab) {
		status = 1;
		goto cleanup;
	}
	err = kcap_table_build(r.tab, kcap_schema__builtin(), r.o.select, msg,
			       sizeof(msg));
	if (err) {
		fprintf(stderr, "kcap record: %s\n",
			*msg ? msg : strerror(-err));
		status = 2;
		goto cleanup;
	}
	if (output_dir_bad(r.o.path)) {
		status = 1;
		goto cleanup;
	}
	if (r.o.npids) {
		int *tids = NULL;

		if (pid_trees(&r.o, &tids, PIDS_ALL) < 0) {
			status = 1;
			goto cleanup;
		}
		free(tids);
	}

	status = setup_bpf(&r);
	if (status)
		goto cleanup;
	say_snapshot_caps(&r);

	if (r.o.cmd) {
		r.child = spawn_waiting(r.o.cmd, &release_fd,
					!strcmp(r.o.path, "-"),
					r.o.rec_cpus_arg ? &given_cpus : NULL);
		if (r.child < 0) {
			fprintf(stderr, "kcap record: fork: %s\n",
				strerror(-r.child));
			status = 1;
			goto cleanup;
		}
		err = trace_tid(&r, r.child);
	} else if (r.o.npids) {
		int i, n = pid_trees(&r.o, &seeded, PIDS_ANY);

		if (n <= 0) {
			if (!n)
				fprintf(stderr, "kcap record: no process\n");
			else if (n == -ESRCH)
				fprintf(stderr,
					"kcap record: none of -p's processes "
					"is left to record\n");
			status = 1;
			goto cleanup;
		}
		nseeded = n;
		for (i = 0, err = 0; i < n && !err; i++)
			err = trace_tid(&r, seeded[2 * i]);
	}
	if (err) {
		fprintf(stderr, "kcap record: filling the pid filter: %s\n",
			strerror(-err));
		status = 1;
		goto cleanup;
	}

	r.argc = argc;
	r.argv = argv;
	if (r.o.rot_files && r.o.rot_secs > 0 && strchr(r.o.path, '%')) {
		r.pat_kept = calloc(r.o.rot_files, sizeof(*r.pat_kept));
		if (!r.pat_kept) {
			fprintf(stderr, "kcap record: out of memory\n");
			status = 1;
			goto cleanup;
		}
	}
	err = open_output(&r);
	if (err) {
		status = err == -EINTR && stop_sig ? 128 + stop_sig : 1;
		goto cleanup;
	}
	r.ring = ring_buffer__new(bpf_map__fd(r.skel->maps.rb), on_event, &r,
				  NULL);
	if (!r.ring) {
		fprintf(stderr, "kcap record: ring buffer: %s\n",
			strerror(errno));
		status = 1;
		goto cleanup;
	}
	/*
	 * A stop that came while loading: nothing is attached, and the file
	 * gets its snapshot and no event (recording 0 s).
	 */
	err = stop_sig ? 0 : kcap_record_bpf__attach(r.skel);
	if (err) {
		load_error("attaching the BPF programs", err);
		status = 1;
		goto cleanup;
	}
	if (!stop_sig && attach_entry(&r)) {
		status = 1;
		goto cleanup;
	}
	if (seeded && !stop_sig) {
		err = retrace_tree(&r, seeded, nseeded);
		if (err) {
			fprintf(stderr, "kcap record: -p: reading /proc: %s\n",
				strerror(-err));
			status = 1;
			goto cleanup;
		}
	}
	err = start_first_snapshot(&r);
	if (err) {
		fprintf(stderr, "kcap record: %s\n", strerror(-err));
		status = 1;
		goto cleanup;
	}
	if (!r.o.low_latency) {
		/*
		 * Edge-triggered: epoll reports a BPF ring as readable while
		 * it holds anything, so a busy machine would keep the poll
		 * loop spinning on a few records at a time. With EPOLLET it
		 * returns on the watermark's wakeup or at its timeout, and
		 * each turn drains what has piled up: most of the
		 * recorder's CPU on a getppid loop went to turning
		 * (docs/PERFORMANCE.md, "Sixth round"). The data is what
		 * libbpf registered (ring 0).
		 */
		struct epoll_event ev = { .events = EPOLLIN | EPOLLET };

		if (epoll_ctl(ring_buffer__epoll_fd(r.ring), EPOLL_CTL_MOD,
			      bpf_map__fd(r.skel->maps.rb), &ev)) {
			fprintf(stderr, "kcap record: epoll: %s\n",
				strerror(errno));
			status = 1;
			goto cleanup;
		}
	}

	if (r.child > 0) {
		/*
		 * Only CMD's tree is recorded, and it waits: the first
		 * snapshot is finished before it starts, so that its first
		 * records do not wait behind the walk for the CPU
		 * (--low-latency pinned to one core: p99 1.9-4.8 ms instead
		 * of 0.4 ms).
		 */
		if (finish_rotation(&r, true)) {
			fprintf(stderr, "kcap record: %s; %s was not started\n",
				r.werr_msg, r.o.cmd[0]);
			status = 1;
			goto cleanup;
		}
		/* Stopped meanwhile (the wait ignores signals): CMD never runs. */
		if (stop_sig) {
			say_stopped_in_setup(&r);
			status = 128 + stop_sig;
			goto cleanup;
		}
		/* Capture is attached: let CMD exec. */
		/* the BPF side leaves out the child's read of this byte */
		__atomic_store_n(&r.skel->bss->spawn_tid, (uint32_t)r.child,
				 __ATOMIC_SEQ_CST);
		if (write(release_fd, "g", 1) != 1) {
			/* a ^C just now killed CMD, waiting in kcap's group */
			if (!stop_sig)
				fprintf(stderr,
					"kcap record: cannot start %s\n",
					r.o.cmd[0]);
			else
				say_stopped_in_setup(&r);
			status = stop_sig ? 128 + stop_sig : 1;
			goto cleanup;
		}
		close(release_fd);
		release_fd = -1;
	}

	err = run(&r);
	if (r.werr && r.werr_msg[0]) {
		fprintf(stderr,
			"kcap record: %s; recording stopped, the blocks "
			"already written stay readable\n",
			r.werr_msg);
		status = 1;
	} else if (r.werr) {
		fprintf(stderr,
			"kcap record: write error on %s: %s (%s); recording "
			"stopped, the blocks already written stay readable\n",
			r.cur_path, strerror(-r.werr),
			r.w ? kcap_writer__errmsg(r.w) : kcap_last_errmsg());
		status = 1;
	} else if (err) {
		fprintf(stderr, "kcap record: %s\n",
			r.werr_msg[0] ? r.werr_msg : strerror(-err));
		status = 1;
	}
	if (r.pids_gone && !r.o.quiet)
		fprintf(stderr, "kcap record: the processes of -p have all "
				"exited: recording stopped\n");
	/* the summary waits for the close: it counts the files whole */
	summary = !r.o.quiet;
	if (r.bad)
		fprintf(stderr, "kcap record: %llu malformed records dropped\n",
			(unsigned long long)r.bad);

cleanup:
	/* a setup error after the first snapshot began: wait for it */
	if (finish_rotation(&r, true))
		fprintf(stderr, "kcap record: %s\n", r.werr_msg);
	if (release_fd >= 0)
		close(release_fd); /* a waiting child exits */
	ring_buffer__free(r.ring);
	/*
	 * The file is closed (index, footer) before kcap waits for CMD,
	 * which may run long after -c or -M stopped the recording: a kill
	 * meanwhile must not leave it without an index.
	 */
	if (r.w) {
		err = kcap_writer__close_stats(r.w, &r.final);
		if (err && !r.werr) {
			fprintf(stderr, "kcap record: closing %s: %s\n",
				r.cur_path, strerror(-err));
			close_failed = true;
		}
		r.w = NULL;
	}
	/* A failed rotation left no file open: the closed ones still count. */
	add_stats(&r.final, &r.done);
	if (r.werr && r.events && r.final.events_written <= r.events)
		/*
		 * What the files lack: the events in blocks the error stopped,
		 * and those kept in memory for a file that was not made.
		 */
		fprintf(stderr,
			"kcap record: %llu of the %llu events recorded are in "
			"the files; %llu were in blocks the error stopped or "
			"kept for a file that could not be made\n",
			(unsigned long long)r.final.events_written,
			(unsigned long long)r.events,
			(unsigned long long)(r.events -
					     r.final.events_written));
	if (summary)
		print_stats(&r, stderr, "\n", &r.final);
	/* --low-latency's ring is small by default: say what helps */
	if (summary && r.lost_by[KCAP_LOSS_RINGBUF])
		fprintf(stderr,
			"kcap record: the ring buffer (%llu KiB) was full for "
			"%llu events; -B makes it larger\n",
			(unsigned long long)round_pow2(r.o.ring) >> 10,
			(unsigned long long)r.lost_by[KCAP_LOSS_RINGBUF]);
	if (r.child > 0) {
		if (!r.child_done && stop_sig)
			pass_stop(&r);
		reap_child(&r, true);
		if (!status && r.child_done) {
			if (WIFEXITED(r.child_status))
				status = WEXITSTATUS(r.child_status);
			else if (WIFSIGNALED(r.child_status))
				status = 128 + WTERMSIG(r.child_status);
		}
	}
	if (close_failed && !status)
		status = 1;
	if (r.o.stats_json)
		if (write_stats_json(&r, status) && !status)
			status = 1;
	for (unsigned int i = 0; i < N_ENTRY; i++)
		bpf_link__destroy(r.entry_links[i]);
	kcap_record_bpf__destroy(r.skel);
	free(r.lost_prev);
	free(r.tab);
	free(seeded);
	free(r.o.select_buf);
	for (unsigned int i = 0; r.pat_kept && i < r.o.rot_files; i++)
		free(r.pat_kept[i]);
	free(r.pat_kept);
	free(bpf_log);
	bpf_log = NULL;
	bpf_log_len = 0;
	return status;
}
