// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * kcap's kernel side: one record per syscall, built at sys_exit from the
 * fill table that user space generates from the schema (kcap_record.h),
 * plus procexit records from sched_process_exit. sys_enter only stashes
 * the few arguments that must be read before the syscall runs, and under
 * -T notes when each syscall entered.
 *
 * Records of a size known up front (integers, and one buffer or a short
 * stashed path in room reserved for it) are built in place in the ring;
 * the others in a per-CPU buffer, copied once into the ring with
 * bpf_ringbuf_output(): their size is known only once their strings and
 * buffers are read, and bpf_ringbuf_reserve() needs a constant size.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

#define KCAP_BPF
#include "kcap/events.h"
#include "kcap_record.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* Set by user space before load. */
const volatile __u32 self_tgid;
const volatile __u64 boot_wall_ns; /* added to boot time: epoch ns */
const volatile __u32 snaplen = 80;
const volatile __u64 watermark = 1 << 20; /* unread bytes forcing a wakeup */
const volatile bool low_latency;
const volatile bool filter_pid; /* only tids in `traced` */
const volatile bool filter_cgroup; /* only tasks in cgroup_id or below */
const volatile __u64 cgroup_id;
const volatile __u32 cgroup_level; /* its depth in the v2 hierarchy */
const volatile bool filter_comm;
const volatile char comm[16];
/* Throttling of I/O events (KCAP_EF_IO); 0 turns a policy off. */
const volatile __u32 io_budget; /* events per second per task */
const volatile __u64 sample_above; /* unread ring bytes... */
const volatile __u32 sample_keep; /* ...above which 1 in N is kept */
const volatile __u64 dedup_ns; /* fold identical events this close */
const volatile bool syscall_times; /* -T: fill every syscall event's dur */

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 24); /* resized by user space (-B) */
} rb SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, KCAP_NR_MAX);
	__type(key, __u32);
	__type(value, struct kcap_sys);
} systab SEC(".maps");

struct scratch {
	__u8 buf[KCAP_SCRATCH];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct scratch);
} scratch SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, KCAP_NREASONS);
	__type(key, __u32);
	__type(value, struct kcap_lost);
} lost SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct kcap_tstate);
} tstate SEC(".maps");

/* Per-CPU count of I/O events seen while sampling, for 1-in-N. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} sample_ctr SEC(".maps");

/*
 * Per-task storage: allocated once per task that enters a stashing
 * syscall, reused for its later ones, freed with the task; no hash
 * insert and delete per syscall, and it follows a task through exec even
 * when exec changes its tid.
 */
struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct kcap_stash);
} stash SEC(".maps");

/*
 * Threads recorded when filter_pid is set, one bit per tid; children
 * inherit at fork. A global array, so that the test every event makes is
 * one load, where a hash map took a lookup (about 20 ns); 512 KiB in all,
 * shared with user space through the mmap'ed .bss.
 */
__u64 traced[KCAP_TID_WORDS];

/*
 * -- CMD: the child kcap forked, set by user space before it lets the
 * child go on by a byte on a pipe. The read of that byte is kcap's, not
 * CMD's: the first read that returns in this tid is left out, and the
 * tid cleared.
 */
__u32 spawn_tid;

static __always_inline __u64 *traced_word(__u32 tid)
{
	return &traced[(tid >> 6) & (KCAP_TID_WORDS - 1)];
}

static __always_inline bool is_traced(__u32 tid)
{
	return *traced_word(tid) & (1ull << (tid & 63));
}

#define AF_UNIX 1
#define AF_INET 2
#define AF_INET6 10
#define S_IFMT 00170000
#define S_IFSOCK 0140000
#define SI_USER 0
#define SI_TIMER (-2)
#define SI_SIGIO (-5)
#define SIGCHLD 17
#define CLD_EXITED 1
#define CLD_CONTINUED 6
#define RLIMIT_NOFILE 7

/*
 * Bound a length in the very register the helper call gets: clang tends
 * to test a copy, and the verifier tracks the register.
 */
#define BOUND(x, mask) asm volatile("%0 &= " #mask : "+r"(x))

/* -p and the recorder itself */
static __always_inline bool wanted_pid(__u32 tid, __u32 tgid)
{
	return tgid != self_tgid && (!filter_pid || is_traced(tid));
}

/* The filters but --comm. */
static __always_inline bool wanted_ids(__u32 tid, __u32 tgid)
{
	/*
	 * --cgroup: cgroup v2 tasks live in leaves, so a slice or a
	 * container's cgroup holds its tasks in cgroups below it; the task's
	 * ancestor at the cgroup's level is the cgroup itself or another.
	 */
	return wanted_pid(tid, tgid) &&
	       (!filter_cgroup ||
		bpf_get_current_ancestor_cgroup_id(cgroup_level) == cgroup_id);
}

static __always_inline bool comm_is(const char *c)
{
	int i;

	for (i = 0; i < 16; i++) {
		if (c[i] != comm[i])
			return false;
		if (!c[i])
			break;
	}
	return true;
}

static __always_inline bool comm_ok(void)
{
	char c[16];

	if (!filter_comm)
		return true;
	bpf_get_current_comm(c, sizeof(c));
	return comm_is(c);
}

static __always_inline bool wanted(__u32 tid, __u32 tgid)
{
	return wanted_ids(tid, tgid) && comm_ok();
}

/*
 * p's v2 cgroup is cgroup_id or below it: as wanted_ids() tests the
 * current task, by p's ancestor at cgroup_level (struct cgroup keeps
 * them all, the root's at 0 and its own at its level).
 */
static __always_inline bool task_in_cgroup(struct task_struct *p)
{
	struct cgroup *cg = BPF_CORE_READ(p, cgroups, dfl_cgrp), *anc = NULL;

	if (!cg || BPF_CORE_READ(cg, level) < (int)cgroup_level)
		return false;
	bpf_core_read(&anc, sizeof(anc), &cg->ancestors[cgroup_level]);
	return anc && BPF_CORE_READ(anc, kn, id) == cgroup_id;
}

/* wanted(), of a task that need not be the current one */
static __always_inline bool wanted_task(struct task_struct *p)
{
	char c[16];

	if (!wanted_pid(p->pid, p->tgid))
		return false;
	if (filter_cgroup && !task_in_cgroup(p))
		return false;
	if (!filter_comm)
		return true;
	bpf_probe_read_kernel(c, sizeof(c), p->comm);
	return comm_is(c);
}

/*
 * --low-latency: the records submitted on each CPU, each counter on a cache
 * line of its own (only its CPU writes it). User space reads them to tell
 * whether recorded processes run on the core where it polls the ring
 * (capture/record.c, ll_place()). CPUs from KCAP_LL_CPUS on are not
 * counted: there kcap polls wherever the scheduler puts it.
 */
struct {
	__u64 n;
	__u64 pad[7];
} ll_recs[KCAP_LL_CPUS] __attribute__((aligned(64)));

/*
 * --low-latency: the recorded tasks the scheduler put on each CPU (see
 * ll_came()), apart from ll_recs: the CPU that wakes or moves a task
 * writes it, often another one. Two CPUs may bump one counter at once and
 * lose a count; user space only looks for a change.
 */
struct {
	__u64 n;
	__u64 pad[7];
} ll_came_to[KCAP_LL_CPUS] __attribute__((aligned(64)));

/*
 * --low-latency: 1 while user space's polling thread spins on the ring,
 * which needs no wakeup then; 0 from just before it sleeps in epoll. A
 * wakeup is an irq_work, a self-IPI, that cost the recorded process about
 * 6 us per record on the test machines (getppid took 7 us under
 * --low-latency against 1.4 us without), all for a reader that was
 * already looking.
 */
volatile __u32 ll_polling;

static __always_inline __u64 wake_flags(void)
{
	if (low_latency) {
		__u32 c = bpf_get_smp_processor_id();

		if (c < KCAP_LL_CPUS)
			ll_recs[c].n++;
		return ll_polling ? BPF_RB_NO_WAKEUP : 0;
	}
	/*
	 * No wakeup per record: user space polls with a short timeout, and
	 * is woken only once enough has piled up to be worth a context
	 * switch.
	 */
	if (bpf_ringbuf_query(&rb, BPF_RB_AVAIL_DATA) >= watermark)
		return BPF_RB_FORCE_WAKEUP;
	return BPF_RB_NO_WAKEUP;
}

/*
 * After a record submitted without a wakeup under --low-latency: if the
 * polling thread has since cleared ll_polling to sleep, it may have
 * taken its last look before this record was committed; wake it with an
 * empty record (discarded: the reader skips it). User space fences
 * between clearing the flag and its last look, and the commit is a full
 * barrier before this load, so one of the two sees the other.
 */
static __always_inline void ll_recheck(__u64 flags)
{
	void *k;

	if (!low_latency || flags != BPF_RB_NO_WAKEUP || ll_polling)
		return;
	k = bpf_ringbuf_reserve(&rb, 8, 0);
	if (k)
		bpf_ringbuf_discard(k, BPF_RB_FORCE_WAKEUP);
}

/* bpf_ringbuf_submit() with the wakeup policy above */
static __always_inline void rb_submit(void *e)
{
	__u64 f = wake_flags();

	bpf_ringbuf_submit(e, f);
	ll_recheck(f);
}

/* bpf_ringbuf_output() with the wakeup policy above */
static __always_inline long rb_output(void *data, __u64 len)
{
	__u64 f = wake_flags();
	long err = bpf_ringbuf_output(&rb, data, len, f);

	ll_recheck(f);
	return err;
}

/*
 * Any loss at all, for user space to read through the skeleton's mmap'ed
 * .bss: while it stays put, the per-CPU counters need no reading.
 */
__u64 lost_total;

static __always_inline void count_lost(__u32 reason, __u32 evid)
{
	struct kcap_lost *l = bpf_map_lookup_elem(&lost, &reason);

	if (l)
		l->count[evid & 1023]++;
	__sync_fetch_and_add(&lost_total, 1);
}

/*
 * The distance of a run's last folded event from its reference is kept
 * in 32 bits (kcap_tstate.run_age): in ns for windows up to 4.29 s, in
 * units of 1024 ns for longer ones (up to the hour --dedup-ms allows).
 */
static __always_inline int dedup_shift(void)
{
	return dedup_ns >> 32 ? 10 : 0;
}

/*
 * The run of identical events folded into the task's reference has
 * ended: write its repeat record, and count on from 0. When the ring has
 * no room, the record is counted lost: the events it stood for are in
 * the LOSS records already (reason dedup), only which ones is lost.
 */
static __always_inline void end_run(struct kcap_tstate *ts, __u64 now)
{
	struct kcap_ev_repeat *e;
	__u32 run = ts->run;

	ts->run = run & KCAP_RUN_TYPE;
	e = bpf_ringbuf_reserve(&rb, sizeof(*e), 0);
	if (!e) {
		count_lost(KCAP_LOSS_RINGBUF, KCAP_EV_repeat);
		return;
	}
	__builtin_memset(e, 0, sizeof(*e)); /* the padding goes to disk */
	e->hdr.type = KCAP_EV_repeat;
	e->hdr.len = sizeof(*e);
	e->hdr.tid = bpf_get_current_pid_tgid();
	e->hdr.ts = now + boot_wall_ns;
	e->until = ts->last_ts + ((__u64)ts->run_age << dedup_shift()) +
		   boot_wall_ns;
	e->res = ts->last_res;
	e->count = run >> KCAP_RUN_SHIFT;
	e->fd = ts->last_fd;
	e->evtype = run & KCAP_RUN_TYPE;
	rb_submit(e);
}

/*
 * The opt-in throttling policies for I/O events. Returns the loss reason
 * if the event is to be dropped (and counted), 0 to keep it. The budget
 * comes last, so that only events kept use it up, and the event becomes
 * the dedup reference only once nothing else drops it. Any I/O event that
 * is not folded ends the run folded so far, before its own record.
 *
 * Global, so that the verifier checks it once, on its own, and the exit
 * program goes on with an unknown result: as a static function it was
 * checked in each state the exit program reached it in, and its repeat
 * records took that past the verifier's 1,000,000 instructions.
 */
__noinline int throttle(__u32 evid, __s32 fd, __s64 res, __u64 now)
{
	struct kcap_tstate *ts = NULL;

	if (io_budget || dedup_ns) {
		ts = bpf_task_storage_get(&tstate, bpf_get_current_task_btf(),
					  0, BPF_LOCAL_STORAGE_GET_F_CREATE);
		if (!ts)
			return 0;
	}
	if (ts && dedup_ns) {
		__u32 run = ts->run;

		if ((run & KCAP_RUN_TYPE) == evid && ts->last_fd == fd &&
		    ts->last_res == res && now - ts->last_ts < dedup_ns) {
			/* a run too long to count: its record, and on */
			if ((run >> KCAP_RUN_SHIFT) == KCAP_RUN_MAX) {
				end_run(ts, now);
				run = ts->run;
			}
			ts->run = run + (1u << KCAP_RUN_SHIFT);
			ts->run_age = (now - ts->last_ts) >> dedup_shift();
			return KCAP_LOSS_DEDUP;
		}
		if (run >> KCAP_RUN_SHIFT)
			end_run(ts, now);
	}
	if (sample_keep > 1 &&
	    bpf_ringbuf_query(&rb, BPF_RB_AVAIL_DATA) > sample_above) {
		__u32 z = 0;
		__u64 *c = bpf_map_lookup_elem(&sample_ctr, &z);

		if (c && (*c)++ % sample_keep)
			return KCAP_LOSS_SAMPLED;
	}
	if (ts && io_budget) {
		if (now - ts->win_start >= 1000000000ull) {
			ts->win_start = now;
			ts->win_count = 0;
		}
		if (ts->win_count >= io_budget)
			return KCAP_LOSS_BUDGET;
		ts->win_count++;
	}
	if (ts && dedup_ns) {
		/* 0: no reference (the result is kept in 32 bits) */
		ts->run = (__s32)res == res ? evid & KCAP_RUN_TYPE : 0;
		ts->last_fd = fd;
		ts->last_res = res;
		ts->last_ts = now;
		ts->run_age = 0;
	}
	return 0;
}

/*
 * A kept I/O event found no room in the ring: give back what throttle()
 * took for it, its share of the budget, and do not fold the identical
 * events that follow into a record that is not there.
 */
static __noinline void unthrottle(void)
{
	struct kcap_tstate *ts;

	ts = bpf_task_storage_get(&tstate, bpf_get_current_task_btf(), 0, 0);
	if (!ts)
		return;
	if (ts->win_count)
		ts->win_count--;
	ts->run = 0; /* nothing folded into it yet: no record lost */
}

/* A syscall event lost for want of room in the ring. */
static __always_inline void lost_in_ring(struct kcap_sys *ent)
{
	count_lost(KCAP_LOSS_RINGBUF, ent->evid);
	if ((ent->flags & KCAP_SYS_IO) && (io_budget || dedup_ns))
		unthrottle();
}

struct fill_ctx {
	__u64 args[6];
	__s64 res;
	__u32 nr;
	__u32 t; /* where the next var's bytes go */
	__u32 tid;
	__u32 tgid;
	__u32 base; /* index of the first op the interpreter runs */
	bool have_stash;
	/*
	 * The device and inode number of the file fd_plus1 - 1, kept by the
	 * first of a record's dev and ino fields so that the second does not
	 * walk the fd table again (open*: both are of the result).
	 */
	__u64 fd_plus1, dev, ino;
	__u64 dur; /* -T: ns from entry to exit, or unknown */
};

static __always_inline __u64 arg_of(struct fill_ctx *fc, __u32 a)
{
	switch (a) {
	case 0:
		return fc->args[0];
	case 1:
		return fc->args[1];
	case 2:
		return fc->args[2];
	case 3:
		return fc->args[3];
	case 4:
		return fc->args[4];
	case 5:
		return fc->args[5];
	case KCAP_RETV:
		return fc->res;
	}
	return 0;
}

static __always_inline void put_int(__u8 *p, __u32 size, __u64 v)
{
	switch (size) {
	case 1:
		*(__u8 *)p = v;
		break;
	case 2:
		*(__u16 *)p = v;
		break;
	case 4:
		*(__u32 *)p = v;
		break;
	case 8:
		*(__u64 *)p = v;
		break;
	}
}

static __always_inline void put_var(__u8 *buf, __u32 off, __u32 t, __u32 len)
{
	struct kcap_var *d = (void *)(buf + (off & 1023));

	d->off = t;
	d->len = len;
}

static __always_inline struct file *fd_file(int fd)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct fdtable *fdt;
	struct file *f = NULL;

	if (fd < 0)
		return NULL;
	/* Plain loads through BTF pointers: no helper call per step. */
	fdt = task->files->fdt;
	if ((unsigned int)fd >= fdt->max_fds)
		return NULL;
	bpf_core_read(&f, sizeof(f), &fdt->fd[fd]);
	return f;
}

/*
 * Makes a pointer of untrusted origin (here, one read with a helper) a
 * typed one that BPF code may load through directly: the loads are
 * fault-safe, as bpf_probe_read_kernel() is, without a helper call each.
 */
extern void *bpf_rdonly_cast(const void *obj, __u32 btf_id) __ksym;

/* The device and inode number of an open file. */
static __always_inline void file_dev_ino(struct file *raw, __u64 *dev,
					 __u64 *ino)
{
	struct file *f =
		bpf_rdonly_cast(raw, bpf_core_type_id_kernel(struct file));
	struct inode *in = f->f_inode;

	*dev = in->i_sb->s_dev;
	*ino = in->i_ino;
}

/*
 * After a string read that filled all lim bytes (its NUL forced into the
 * last): was the string longer, that is, is the byte the NUL replaced not
 * a NUL itself?
 */
static __always_inline bool user_cut(__u64 p, long n, __u32 lim)
{
	char c = 0;

	return n == lim && !bpf_probe_read_user(&c, 1, (void *)(p + lim - 1)) &&
	       c;
}

struct strip_ctx {
	__u32 t; /* where the value starts in the record */
	__u32 n; /* its length */
};

/* One step of taking NULs off the end of a cut list: a bpf_loop step. */
static long strip_one(__u32 i, struct strip_ctx *c)
{
	struct scratch *sc;
	__u32 z = 0;

	sc = bpf_map_lookup_elem(&scratch, &z);
	if (!sc || !c->n || sc->buf[(c->t + c->n - 1) & (KCAP_SCRATCH - 1)])
		return 1;
	c->n--;
	return 0;
}

/*
 * Mark a var value the recorder cut short (FORMAT.md, "Cut values"): a
 * string gets a NUL after it, which no path or name can hold; a list of
 * NUL-terminated strings loses its NULs at the end (empty strings there
 * too), so that its last string reads as unfinished. A list that is whole
 * ends with a NUL, also where the memory it came from did not (a process
 * that rewrote its argv area). dst is offset t of the record. Returns the
 * new length.
 */
static __always_inline long mark_cut(__u8 *dst, __u32 t, long n, bool cut,
				     bool list)
{
	/* masks, not BOUND(): clang 14 crashes on the asm here */
	const __u32 M = 2 * KCAP_VAR_MAX - 1;

	if (n <= 0 || n > KCAP_VAR_MAX || (!cut && !list))
		return n;
	if (list) {
		bool nul = !dst[(n - 1) & M];

		if (cut && nul) {
			struct strip_ctx c = { .t = t, .n = n };

			bpf_loop(n, strip_one, &c, 0);
			return c.n;
		}
		if (cut || nul)
			return n;
	}
	dst[n & M] = 0;
	return n + 1;
}

/*
 * A socket's local or peer address as a struct sockaddr, into dst.
 * Returns its length; 0 for an unknown, unnamed or unsupported one.
 */
static __always_inline __u32 sock_addr(int fd, bool peer, __u8 *dst)
{
	struct file *f = fd_file(fd);
	struct socket *sock;
	struct sock *sk;
	__u16 fam, port;

	if (!f)
		return 0;
	if ((BPF_CORE_READ(f, f_inode, i_mode) & S_IFMT) != S_IFSOCK)
		return 0;
	sock = BPF_CORE_READ(f, private_data);
	sk = BPF_CORE_READ(sock, sk);
	if (!sk)
		return 0;
	fam = BPF_CORE_READ(sk, __sk_common.skc_family);
	if (fam == AF_INET) {
		struct {
			__u16 fam;
			__u16 port;
			__u32 addr;
			__u64 zero;
		} sin = { .fam = AF_INET };

		if (peer) {
			sin.port = BPF_CORE_READ(sk, __sk_common.skc_dport);
			sin.addr = BPF_CORE_READ(sk, __sk_common.skc_daddr);
		} else {
			port = BPF_CORE_READ(sk, __sk_common.skc_num);
			sin.port = __builtin_bswap16(port);
			sin.addr = BPF_CORE_READ(sk, __sk_common.skc_rcv_saddr);
		}
		if (peer && !sin.port && !sin.addr)
			return 0;
		__builtin_memcpy(dst, &sin, sizeof(sin));
		return sizeof(sin);
	}
	if (fam == AF_INET6) {
		struct {
			__u16 fam;
			__u16 port;
			__u32 flow;
			__u8 addr[16];
			__u32 scope;
		} sin6 = { .fam = AF_INET6 };

		if (peer) {
			sin6.port = BPF_CORE_READ(sk, __sk_common.skc_dport);
			BPF_CORE_READ_INTO(&sin6.addr, sk,
					   __sk_common.skc_v6_daddr);
		} else {
			port = BPF_CORE_READ(sk, __sk_common.skc_num);
			sin6.port = __builtin_bswap16(port);
			BPF_CORE_READ_INTO(&sin6.addr, sk,
					   __sk_common.skc_v6_rcv_saddr);
		}
		if (peer && !sin6.port)
			return 0;
		__builtin_memcpy(dst, &sin6, sizeof(sin6));
		return sizeof(sin6);
	}
	if (fam == AF_UNIX) {
		/* struct sock is the first member of struct unix_sock */
		struct unix_sock *us = (void *)sk;
		struct unix_address *ua;
		__u32 len;

		if (peer) {
			us = (void *)BPF_CORE_READ(us, peer);
			if (!us)
				return 0;
		}
		ua = BPF_CORE_READ(us, addr);
		if (!ua)
			return 0; /* never bound: no name */
		/* the family and the path with its NUL, or the abstract name */
		len = BPF_CORE_READ(ua, len);
		if (len <= 2 || len > 110)
			return 0;
		if (bpf_probe_read_kernel(
			    dst, len,
			    (void *)ua + bpf_core_field_offset(
						 struct unix_address, name)))
			return 0;
		return len;
	}
	return 0;
}

static __always_inline int pid_vnr(struct pid *p, bool ns_inum)
{
	unsigned int lvl;
	struct upid up = {};

	if (!p)
		return 0;
	lvl = BPF_CORE_READ(p, level);
	bpf_core_read(&up, sizeof(up), &p->numbers[lvl & 31]);
	if (ns_inum)
		return BPF_CORE_READ(up.ns, ns.inum);
	return up.nr;
}

/*
 * The task's process group as its own pid namespace numbers it (the
 * kernel's pid_nr_ns()): the group's pid at the task's level, 0 if the
 * group was made outside that namespace and so has no number there.
 */
static __always_inline int pgid_vnr(struct task_struct *task)
{
	struct pid *tp = BPF_CORE_READ(task, thread_pid);
	struct pid *pg = BPF_CORE_READ(task, signal, pids[PIDTYPE_PGID]);
	struct upid mine = {}, up = {};
	unsigned int lvl;

	if (!tp || !pg)
		return 0;
	lvl = BPF_CORE_READ(tp, level);
	if (BPF_CORE_READ(pg, level) < lvl)
		return 0;
	bpf_core_read(&mine, sizeof(mine), &tp->numbers[lvl & 31]);
	bpf_core_read(&up, sizeof(up), &pg->numbers[lvl & 31]);
	return up.ns == mine.ns ? up.nr : 0;
}

static __always_inline __u64 rss_count(struct mm_struct *mm, int i)
{
	__s64 v = 0;

	bpf_core_read(&v, sizeof(v), &mm->rss_stat[i & 3].count);
	return v < 0 ? 0 : v;
}

/*
 * Inode times moved three times: timespec64 i_ctime/i_mtime until 6.6,
 * __i_ctime (6.6) and __i_mtime (6.7), then seconds and nanoseconds apart
 * (6.11). These flavors let CO-RE pick the layout the kernel has.
 */
struct inode___v66 {
	struct timespec64 i_mtime;
	struct timespec64 __i_ctime;
} __attribute__((preserve_access_index));

struct inode___v67 {
	struct timespec64 __i_mtime;
	struct timespec64 __i_ctime;
} __attribute__((preserve_access_index));

struct inode___old {
	struct timespec64 i_mtime;
	struct timespec64 i_ctime;
} __attribute__((preserve_access_index));

static __always_inline __u64 inode_time_ns(struct inode *ino, bool mtime)
{
	struct timespec64 ts = {};
	__u64 sec, nsec;

	if (!ino)
		return 0;
	if (bpf_core_field_exists(ino->i_ctime_sec)) {
		sec = mtime ? BPF_CORE_READ(ino, i_mtime_sec) :
			      BPF_CORE_READ(ino, i_ctime_sec);
		nsec = mtime ? BPF_CORE_READ(ino, i_mtime_nsec) :
			       BPF_CORE_READ(ino, i_ctime_nsec);
		/*
		 * Multigrain timestamps (6.13) keep a flag in bit 31 of the
		 * ctime's nanoseconds (I_CTIME_QUERIED); they fit in 30 bits.
		 */
		return sec * 1000000000ull + (nsec & 0x3fffffff);
	}
	if (bpf_core_field_exists(((struct inode___v67 *)ino)->__i_mtime)) {
		struct inode___v67 *i = (void *)ino;

		if (mtime)
			BPF_CORE_READ_INTO(&ts, i, __i_mtime);
		else
			BPF_CORE_READ_INTO(&ts, i, __i_ctime);
	} else if (bpf_core_field_exists(
			   ((struct inode___v66 *)ino)->__i_ctime)) {
		struct inode___v66 *i = (void *)ino;

		if (mtime)
			BPF_CORE_READ_INTO(&ts, i, i_mtime);
		else
			BPF_CORE_READ_INTO(&ts, i, __i_ctime);
	} else {
		struct inode___old *i = (void *)ino;

		if (mtime)
			BPF_CORE_READ_INTO(&ts, i, i_mtime);
		else
			BPF_CORE_READ_INTO(&ts, i, i_ctime);
	}
	return (__u64)ts.tv_sec * 1000000000ull + (__u64)ts.tv_nsec;
}

/* The controlling tty as the kernel numbers it (MKDEV), 0 without one. */
static __always_inline __u64 tty_dev(struct task_struct *task)
{
	struct tty_struct *tty = BPF_CORE_READ(task, signal, tty);
	__u32 major, minor;

	if (!tty)
		return 0;
	major = BPF_CORE_READ(tty, driver, major);
	minor = BPF_CORE_READ(tty, driver, minor_start) +
		BPF_CORE_READ(tty, index);
	return (__u64)(major & 0xfff) << 20 | (minor & 0xfffff);
}

/* When the init of the task's pid namespace started, epoch ns. */
static __always_inline __u64 pidns_init_ts(struct task_struct *task)
{
	struct pid *p = BPF_CORE_READ(task, thread_pid);
	struct task_struct *reaper;
	struct upid up = {};
	unsigned int lvl;

	if (!p)
		return 0;
	lvl = BPF_CORE_READ(p, level);
	bpf_core_read(&up, sizeof(up), &p->numbers[lvl & 31]);
	reaper = BPF_CORE_READ(up.ns, child_reaper);
	if (!reaper)
		return 0;
	return BPF_CORE_READ(reaper, start_boottime) + boot_wall_ns;
}

/*
 * A 2 KiB scratch window past any record's tail (which ends below
 * KCAP_TAIL_LIMIT + KCAP_VAR_MAX): dpath() and cg_one() work in it.
 */
#define DPATH_WIN (KCAP_SCRATCH - 4096)

#define OVERLAYFS_SUPER_MAGIC 0x794c7630
#define S_IWUSR 00200
#define S_IWGRP 00020
#define S_IWOTH 00002
#define CAP_DAC_OVERRIDE 1
#define CAP_FOWNER 3
#define SB_RDONLY 0x1
#define MNT_READONLY 0x40
#define S_IMMUTABLE 0x8 /* inode i_flags */

/*
 * overlayfs keeps its inode inside struct ovl_inode, with the upper
 * layer's dentry once the file has one; overlayfs may be a module, whose
 * BTF CO-RE finds if it was loaded before kcap (see exe_flags()).
 */
struct ovl_inode___kcap {
	struct inode vfs_inode;
	struct dentry *__upperdentry;
} __attribute__((preserve_access_index));

/* kernfs_node.parent became __parent in 6.15. */
struct kernfs_node___old {
	struct kernfs_node *parent;
} __attribute__((preserve_access_index));

/* Whether gid is the cred's fsgid or one of its supplementary groups. */
static __always_inline bool in_group(const struct cred *c, __u32 gid)
{
	struct group_info *gi;
	int i, n;

	if (BPF_CORE_READ(c, fsgid.val) == gid)
		return true;
	gi = BPF_CORE_READ(c, group_info);
	if (!gi)
		return false;
	n = BPF_CORE_READ(gi, ngroups);
	for (i = 0; i < 32 && i < n; i++) {
		__u32 g;

		if (bpf_core_read(&g, sizeof(g), &gi->gid[i]))
			break;
		if (g == gid)
			return true;
	}
	return false;
}

/*
 * The legacy format's exe flags: whether the task could write the file it
 * runs (not on a read-only filesystem or mount, not immutable; then it
 * owns it, its permission bits let the task's fsuid/fsgid write, or it
 * holds CAP_DAC_OVERRIDE or CAP_FOWNER, as the initial user namespace sees
 * them: what a tool looking for self-modified binaries wants), whether
 * that file is a memfd, and which overlayfs layer it comes from.
 */
static __always_inline __u32 exe_flags(struct task_struct *task)
{
	struct file *f = BPF_CORE_READ(task, mm, exe_file);
	const struct cred *c = BPF_CORE_READ(task, cred);
	__u32 fl = 0, mode, igid;
	struct inode *ino;
	struct dentry *d;
	char name[6];
	__u64 caps;

	if (!f || !c)
		return 0;
	ino = BPF_CORE_READ(f, f_inode);
	mode = BPF_CORE_READ(ino, i_mode);
	igid = BPF_CORE_READ(ino, i_gid.val);
	caps = BPF_CORE_READ(c, cap_effective.val);
	if ((BPF_CORE_READ(ino, i_sb, s_flags) & SB_RDONLY) ||
	    (BPF_CORE_READ(f, f_path.mnt, mnt_flags) & MNT_READONLY) ||
	    (BPF_CORE_READ(ino, i_flags) & S_IMMUTABLE))
		; /* nobody writes it */
	else if (BPF_CORE_READ(c, fsuid.val) == BPF_CORE_READ(ino, i_uid.val) ||
		 caps & (1ull << CAP_DAC_OVERRIDE | 1ull << CAP_FOWNER))
		fl |= KCAP_EXE_WRITABLE;
	else if (in_group(c, igid) ? mode & S_IWGRP : mode & S_IWOTH)
		fl |= KCAP_EXE_WRITABLE;

	/* A memfd's dentry is its own parent and is named "memfd:NAME". */
	d = BPF_CORE_READ(f, f_path.dentry);
	if (d && d == BPF_CORE_READ(d, d_parent) &&
	    !bpf_probe_read_kernel(name, sizeof(name),
				   BPF_CORE_READ(d, d_name.name)) &&
	    name[0] == 'm' && name[1] == 'e' && name[2] == 'm' &&
	    name[3] == 'f' && name[4] == 'd' && name[5] == ':')
		fl |= KCAP_EXE_FROM_MEMFD;

	if (BPF_CORE_READ(ino, i_sb, s_magic) == OVERLAYFS_SUPER_MAGIC) {
		struct dentry *up = NULL;

		if (bpf_core_type_exists(struct ovl_inode___kcap)) {
			struct ovl_inode___kcap *oi =
				(void *)ino -
				bpf_core_field_offset(struct ovl_inode___kcap,
						      vfs_inode);

			up = BPF_CORE_READ(oi, __upperdentry);
		} else {
			/*
			 * overlay is a module loaded after kcap (its BTF was
			 * not there): the upper dentry has followed the inode
			 * in every ovl_inode since there is one (4.13).
			 */
			bpf_probe_read_kernel(
				&up, sizeof(up),
				(void *)ino + bpf_core_type_size(struct inode));
		}
		fl |= up ? KCAP_EXE_UPPER_LAYER : KCAP_EXE_LOWER_LAYER;
	}
	return fl;
}

static __always_inline struct kernfs_node *kn_parent(struct kernfs_node *kn)
{
	struct kernfs_node___old *o = (void *)kn;

	if (bpf_core_field_exists(o->parent))
		return BPF_CORE_READ(o, parent);
	return BPF_CORE_READ(kn, __parent);
}

struct cg_ctx {
	struct css_set *cs;
	__u32 t; /* where the field starts in the record */
	__u32 n; /* its length so far */
	bool cut; /* an entry was left out for room */
};

/*
 * One cgroup controller's "name=path" entry and its NUL, as legacy
 * captures hold them: the controller's kernel name and the path of its
 * cgroup within its hierarchy. A path deeper than KCAP_CG_DEPTH starts
 * with "..." where it is cut. The path's nodes are gathered bottom up in
 * the scratch window, then written top down. A bpf_loop step, so that the
 * verifier looks at one controller, not at every one.
 */
static long cg_one(__u32 i, struct cg_ctx *c)
{
	struct scratch *sc;
	struct cgroup_subsys_state *css = NULL;
	struct css_set *cs = c->cs; /* not inside the CO-RE read below */
	struct kernfs_node *kn;
	__u64 *up, n = c->n;
	__u32 z = 0;
	__u8 *dst;
	int depth, j;
	long l;

	sc = bpf_map_lookup_elem(&scratch, &z);
	if (!sc)
		return 1;
	up = (void *)(sc->buf + DPATH_WIN);
	dst = sc->buf + (c->t & (KCAP_TAIL_LIMIT - 1));
	if (bpf_core_read(&css, sizeof(css),
			  &cs->subsys[i & (KCAP_CG_SUBSYS - 1)]) ||
	    !css)
		return 0;
	if (n > KCAP_CG_MAX) {
		c->cut = true; /* a controller with an entry that is left out */
		return 1;
	}
	kn = BPF_CORE_READ(css, cgroup, kn);
	for (depth = 0; depth < KCAP_CG_DEPTH && kn; depth++) {
		struct kernfs_node *p = kn_parent(kn);

		if (!p)
			break; /* the root has no name in the path */
		up[depth] = (__u64)kn;
		kn = p;
	}
	BOUND(n, 4095);
	l = bpf_probe_read_kernel_str(dst + n, 32,
				      BPF_CORE_READ(css, ss, name));
	if (l <= 1)
		return 0;
	n += l - 1;
	BOUND(n, 4095);
	dst[n++] = '=';
	if (kn && depth == KCAP_CG_DEPTH && kn_parent(kn)) {
		BOUND(n, 4095);
		dst[n++] = '.';
		BOUND(n, 4095);
		dst[n++] = '.';
		BOUND(n, 4095);
		dst[n++] = '.';
	}
	if (!depth) {
		BOUND(n, 4095);
		dst[n++] = '/';
	}
	for (j = KCAP_CG_DEPTH - 1; j >= 0; j--) {
		struct kernfs_node *k;

		if (j >= depth)
			continue;
		if (n > KCAP_CG_MAX) {
			/* no room: no half entry, and no more */
			c->cut = true;
			return 1;
		}
		BOUND(n, 4095);
		dst[n++] = '/';
		k = (void *)up[j & (KCAP_CG_DEPTH - 1)];
		BOUND(n, 4095);
		l = bpf_probe_read_kernel_str(dst + n, 256,
					      BPF_CORE_READ(k, name));
		if (l > 1)
			n += l - 1;
	}
	BOUND(n, 4095);
	dst[n++] = 0;
	c->n = n;
	return 0;
}

/*
 * The task's cgroups, one cg_one() entry per controller; its length, and
 * in *cut whether entries were left out.
 */
static __always_inline long cgroups_of(__u32 t, struct task_struct *task,
				       bool *cut)
{
	__u32 count =
		bpf_core_enum_value(enum cgroup_subsys_id, CGROUP_SUBSYS_COUNT);
	struct cg_ctx c = { .cs = BPF_CORE_READ(task, cgroups), .t = t };

	if (!c.cs)
		return -1;
	if (count > KCAP_CG_SUBSYS)
		count = KCAP_CG_SUBSYS;
	bpf_loop(count, cg_one, &c, 0);
	*cut = c.cut;
	return c.n;
}

static __noinline __u64 task_value(__u32 which, struct fill_ctx *fc)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct mm_struct *mm;

	switch (which) {
	case KCAP_TF_TGID:
		return fc->tgid;
	case KCAP_TF_PPID:
		return BPF_CORE_READ(task, real_parent, tgid);
	case KCAP_TF_VPID:
		return pid_vnr(BPF_CORE_READ(task, group_leader, thread_pid),
			       false);
	case KCAP_TF_VTID:
		return pid_vnr(BPF_CORE_READ(task, thread_pid), false);
	case KCAP_TF_PIDNS:
		return pid_vnr(BPF_CORE_READ(task, thread_pid), true);
	case KCAP_TF_UID:
		return BPF_CORE_READ(task, cred, uid.val);
	case KCAP_TF_GID:
		return BPF_CORE_READ(task, cred, gid.val);
	case KCAP_TF_EUID:
		return BPF_CORE_READ(task, cred, euid.val);
	case KCAP_TF_EGID:
		return BPF_CORE_READ(task, cred, egid.val);
	case KCAP_TF_CGROUP_ID:
		return bpf_get_current_cgroup_id();
	case KCAP_TF_PGID:
		return BPF_CORE_READ(task, signal, pids[PIDTYPE_PGID],
				     numbers[0].nr);
	case KCAP_TF_SID:
		return BPF_CORE_READ(task, signal, pids[PIDTYPE_SID],
				     numbers[0].nr);
	case KCAP_TF_VPGID:
		return pgid_vnr(task);
	case KCAP_TF_LOGINUID:
		return BPF_CORE_READ(task, loginuid.val);
	case KCAP_TF_VM_SIZE:
		return BPF_CORE_READ(task, mm, total_vm) << 2; /* KiB */
	case KCAP_TF_VM_RSS:
		mm = BPF_CORE_READ(task, mm);
		if (!mm)
			return 0;
		return (rss_count(mm, MM_FILEPAGES) +
			rss_count(mm, MM_ANONPAGES) +
			rss_count(mm, MM_SHMEMPAGES))
		       << 2;
	case KCAP_TF_VM_SWAP:
		mm = BPF_CORE_READ(task, mm);
		if (!mm)
			return 0;
		return rss_count(mm, MM_SWAPENTS) << 2;
	case KCAP_TF_FDLIMIT:
		return BPF_CORE_READ(task, signal,
				     rlim[RLIMIT_NOFILE].rlim_cur);
	case KCAP_TF_PGFT_MAJ:
		return BPF_CORE_READ(task, maj_flt);
	case KCAP_TF_PGFT_MIN:
		return BPF_CORE_READ(task, min_flt);
	case KCAP_TF_CAP_INH:
		return BPF_CORE_READ(task, cred, cap_inheritable.val);
	case KCAP_TF_CAP_PRM:
		return BPF_CORE_READ(task, cred, cap_permitted.val);
	case KCAP_TF_CAP_EFF:
		return BPF_CORE_READ(task, cred, cap_effective.val);
	case KCAP_TF_EXE_INO:
		return BPF_CORE_READ(task, mm, exe_file, f_inode, i_ino);
	case KCAP_TF_EXE_CTIME:
	case KCAP_TF_EXE_MTIME:
		return inode_time_ns(BPF_CORE_READ(task, mm, exe_file, f_inode),
				     which == KCAP_TF_EXE_MTIME);
	case KCAP_TF_TTY:
		return tty_dev(task);
	case KCAP_TF_PIDNS_INIT_TS:
		return pidns_init_ts(task);
	case KCAP_TF_EXE_FLAGS:
		return exe_flags(task);
	case KCAP_TF_CHILD_TID:
	case KCAP_TF_CHILD_PID: {
		struct kcap_stash *st;

		if (fc->res == 0) /* the child's own return */
			return which == KCAP_TF_CHILD_TID ? fc->tid : fc->tgid;
		if (fc->res < 0)
			return KCAP_UNKNOWN_s32;
		/*
		 * The parent's: res is the child's number in the caller's
		 * pid namespace, and every other id in a record is the
		 * host's; sched_process_fork noted the child's host ids
		 * (its tgid is the caller's for a thread, whatever syscall
		 * made it).
		 */
		st = bpf_task_storage_get(&stash, task, 0, 0);
		if (!st || st->nr != KCAP_STASH_FORK)
			return KCAP_UNKNOWN_s32;
		return which == KCAP_TF_CHILD_TID ? st->child_tid :
						    st->child_tgid;
	}
	}
	return 0;
}

/* Copy len bytes of an iovec array's data (at most 8 entries). */
static __always_inline __u32 copy_iov(__u8 *dst, __u64 iov, __u64 cnt,
				      __u32 len)
{
	__u64 done = 0, n;
	int i;

	for (i = 0; i < 8; i++) {
		struct {
			__u64 base;
			__u64 len;
		} v;

		if (i >= cnt || done >= len)
			break;
		if (bpf_probe_read_user(&v, sizeof(v), (void *)(iov + i * 16)))
			break;
		n = len - done;
		if (v.len < n)
			n = v.len;
		/* Both stay below 4096 (snaplen is): say so to the verifier. */
		BOUND(n, 4095);
		BOUND(done, 4095);
		if (bpf_probe_read_user(dst + done, n, (void *)v.base))
			break;
		done += n;
	}
	return done;
}

/*
 * The path of a struct path, as d_path() would give it (bpf_d_path() is
 * not allowed in tracepoints): walk the dentries up to the root, crossing
 * mounts, writing components backwards into the 2 KiB window at DPATH_WIN
 * of the per-CPU buffer (past any record's tail; cg_one() uses it too),
 * then copy the result to dst. Returns its length, or -1; *cut says whether components were left
 * out at the front (too deep, or too long).
 */
static __always_inline long dpath(struct scratch *sc, __u8 *dst,
				  struct dentry *d, struct vfsmount *vm,
				  bool *cut)
{
	struct mount *m = container_of(vm, struct mount, mnt);
	/* unlinked: out of the dcache's hash, and not a root */
	bool deleted = !BPF_CORE_READ(d, d_hash.pprev) &&
		       d != BPF_CORE_READ(d, d_parent);
	__u64 rel = 2048, n;
	int i;

	*cut = true; /* until the root is reached */
	for (i = 0; i < KCAP_DPATH_DEPTH; i++) {
		struct dentry *parent = BPF_CORE_READ(d, d_parent);
		struct dentry *mroot = BPF_CORE_READ(m, mnt.mnt_root);
		bool last = false;
		struct qstr q;
		__u64 len;

		if (d == mroot || d == parent) {
			struct mount *mp = BPF_CORE_READ(m, mnt_parent);

			if (d == mroot && mp != m) {
				/* Up into the mount this one sits on. */
				d = BPF_CORE_READ(m, mnt_mountpoint);
				m = mp;
				continue;
			}
			/*
			 * A file in no directory (a memfd) is its own parent:
			 * "/NAME (deleted)", as d_path() gives it. (A pipe's
			 * or socket's dentry has no name: no path.)
			 */
			if (d == mroot || rel != 2048) {
				*cut = false;
				break; /* the root */
			}
			last = deleted = true;
		}
		if (bpf_core_read(&q, sizeof(q), &d->d_name))
			return -1;
		len = q.len;
		if (last && !len)
			return -1; /* a pipe or socket: "pipe:[N]" is not here */
		if (len > 255 || rel < len + 1)
			break; /* too long: the path is cut at the front */
		rel -= len;
		BOUND(len, 255);
		BOUND(rel, 2047);
		if (bpf_probe_read_kernel(sc->buf + DPATH_WIN + rel, len,
					  q.name))
			return -1;
		rel--;
		BOUND(rel, 2047);
		sc->buf[DPATH_WIN + rel] = '/';
		if (last) {
			*cut = false;
			break;
		}
		d = parent;
	}
	/*
	 * All steps used: whole if they ended on the root (a path exactly
	 * KCAP_DPATH_DEPTH steps deep).
	 */
	if (*cut &&
	    (d == BPF_CORE_READ(d, d_parent) ||
	     d == BPF_CORE_READ(m, mnt.mnt_root)) &&
	    BPF_CORE_READ(m, mnt_parent) == m)
		*cut = false;
	if (rel == 2048) {
		dst[0] = '/';
		return 1;
	}
	BOUND(rel, 2047);
	n = 2048 - rel;
	BOUND(n, 2047);
	if (bpf_probe_read_kernel(dst, n, sc->buf + DPATH_WIN + rel))
		return -1;
	if (deleted) {
		/* what d_path() and /proc/PID/exe add */
		__builtin_memcpy(dst + n, " (deleted)", 10);
		n += 10;
	}
	return n;
}

/* Length of a buffer capped at the snaplen; -1: leave the field absent. */
static __always_inline long buf_len(__s64 n)
{
	if (n < 0 || !snaplen)
		return -1;
	if (n > snaplen)
		n = snaplen;
	if (n > KCAP_SNAPLEN_MAX)
		n = KCAP_SNAPLEN_MAX;
	return n;
}

struct argv_ctx {
	__u64 av; /* the user's argv array */
	__u32 t; /* where the field starts in the record */
	__u32 got; /* its length so far */
	bool cut; /* strings were left out or cut */
};

/*
 * One string of a user argv array, with its NUL, cut at 255 bytes: a
 * bpf_loop step, so that the verifier looks at one string, not 32.
 */
static long argv_one(__u32 k, struct argv_ctx *c)
{
	__u32 z = 0, got = c->got;
	struct scratch *sc;
	__u64 ap = 0;
	long l;

	sc = bpf_map_lookup_elem(&scratch, &z);
	if (!sc ||
	    bpf_probe_read_user(&ap, sizeof(ap), (void *)(c->av + k * 8))) {
		c->cut = true; /* unreadable: there may be more */
		return 1;
	}
	if (!ap)
		return 1; /* the end of the array */
	if (got >= KCAP_ARGV_MAX || k == KCAP_ARGV_STRS - 1) {
		c->cut = true; /* a string that is not kept */
		return 1;
	}
	l = bpf_probe_read_user_str(sc->buf + (c->t & (KCAP_TAIL_LIMIT - 1)) +
					    (got & (KCAP_ARGV_MAX - 1)),
				    256, (void *)ap);
	if (l <= 0) {
		c->cut = true;
		return 1;
	}
	c->got = got + l;
	if (user_cut(ap, l, 256)) {
		c->cut = true;
		return 1;
	}
	return 0;
}

/*
 * A user argv array as NUL-separated strings at offset t of the record:
 * up to KCAP_ARGV_STRS - 1 of them, until KCAP_ARGV_MAX is passed. Its
 * length, and in *cut whether strings were left out or cut.
 */
static __always_inline long copy_argv(__u32 t, __u64 av, bool *cut)
{
	struct argv_ctx c = { .av = av, .t = t };

	/* one more step than strings kept: it sees whether more follow */
	if (av)
		bpf_loop(KCAP_ARGV_STRS, argv_one, &c, 0);
	*cut = c.cut;
	return c.got;
}

static __always_inline bool is_exec(__u32 nr)
{
	return nr == 59 || nr == 322;
}

/* open, creat, openat, openat2: the syscalls that stash a path */
static __always_inline bool is_open(__u32 nr)
{
	return nr == 2 || nr == 85 || nr == 257 || nr == 437;
}

/*
 * The syscalls kcap_sys_enter stashes for (connect: its address; recvfrom,
 * recvmsg, recvmmsg: the room for the sender's address).
 */
static __always_inline bool stashing(__u32 nr)
{
	return is_open(nr) || is_exec(nr) || nr == 42 || nr == 45 || nr == 47 ||
	       nr == 299;
}

/*
 * An exit that records nothing still uses up its entry's stash, so that
 * no later exit (one the kernel runs without an entry: a syscall that
 * seccomp or ptrace skipped) can take it.
 */
static __always_inline void drop_stash(void)
{
	struct kcap_stash *st =
		bpf_task_storage_get(&stash, bpf_get_current_task_btf(), 0, 0);

	if (st)
		st->nr = -1;
}

/*
 * The current process's argv from its memory, at most KCAP_ARGV_MAX; a
 * longer one is cut (returned as a negative length: this is a BPF
 * function of its own, whose arguments the verifier checks apart).
 */
static __noinline long mm_args(__u8 *dst)
{
	struct task_struct *task = bpf_get_current_task_btf();
	__u64 s = BPF_CORE_READ(task, mm, arg_start);
	__u64 e = BPF_CORE_READ(task, mm, arg_end);
	__u64 n;

	if (e <= s)
		return -1;
	n = e - s;
	if (n > KCAP_ARGV_MAX) {
		if (bpf_probe_read_user(dst, KCAP_ARGV_MAX, (void *)s))
			return -1;
		return -(KCAP_ARGV_MAX + 1);
	}
	BOUND(n, 2047);
	if (bpf_probe_read_user(dst, n, (void *)s))
		return -1;
	return n;
}

/* Fill one field of the record in the per-CPU buffer: a bpf_loop step. */
static long fill_one(__u32 i, struct fill_ctx *fc)
{
	__u32 z = 0, nr = fc->nr, off, t;
	struct kcap_sys *ent = bpf_map_lookup_elem(&systab, &nr);
	struct scratch *sc = bpf_map_lookup_elem(&scratch, &z);
	struct kcap_stash *st = NULL;
	struct kcap_op op;
	struct path pth;
	bool cut = false, list = false;
	__u8 *buf, *dst;
	__u64 idx;
	long n = -1;
	__u64 p, v;

	i += fc->base;
	if (!ent || !sc || i >= KCAP_MAXOPS)
		return 1;
	/* Bound the index in the register that is used (clang copies it). */
	idx = i;
	asm volatile("%0 &= 63" : "+r"(idx));
	op = ent->ops[idx];
	buf = sc->buf;
	off = op.off;
	if (off > 1016)
		return 1;
	t = fc->t;
	if (t >= KCAP_TAIL_LIMIT)
		t = KCAP_TAIL_LIMIT; /* no room: vars are left absent */
	dst = buf + (t & (KCAP_TAIL_LIMIT - 1));

	switch (op.kind) {
	case KCAP_SRCK_RET:
		put_int(buf + off, op.size, fc->res);
		return 0;
	case KCAP_SRCK_ARG:
		put_int(buf + off, op.size, arg_of(fc, op.a));
		return 0;
	case KCAP_OP_NR:
		put_int(buf + off, op.size, fc->nr);
		return 0;
	case KCAP_SRCK_UINT_AT: {
		/* a u64 field (clone_args.flags) reads 8 bytes, others 4 */
		__u64 u = 0;
		long err;

		p = arg_of(fc, op.a);
		if (!p)
			return 0;
		/*
		 * The child's own return from clone3: its clone_args are in
		 * memory that, if shared (CLONE_VM: a thread), the parent
		 * may have reused by now. Unknown then; unshared, only the
		 * child could have changed them, and it has run no code yet.
		 */
		if (fc->nr == 435 && !fc->res &&
		    BPF_CORE_READ(
			    (struct task_struct *)bpf_get_current_task_btf(),
			    mm, mm_users.counter) > 1)
			return 0;
		if (op.size == 8)
			err = bpf_probe_read_user(&u, 8,
						  (void *)(p + 4 * op.b));
		else
			err = bpf_probe_read_user(&u, 4,
						  (void *)(p + 4 * op.b));
		if (!err)
			put_int(buf + off, op.size, u);
		return 0;
	}
	case KCAP_SRCK_FD_DEV:
	case KCAP_SRCK_FD_INO: {
		__u64 fd = arg_of(fc, op.a);

		/*
		 * A failed open has no file: both stay unknown. This also
		 * keeps fd -1 from matching the empty cache (fd_plus1 0).
		 */
		if ((__s64)fd < 0 || fd > 0x7fffffff)
			return 0;
		if (fc->fd_plus1 != fd + 1) {
			struct file *f = fd_file(fd);

			if (!f)
				return 0;
			file_dev_ino(f, &fc->dev, &fc->ino);
			fc->fd_plus1 = fd + 1;
		}
		v = op.kind == KCAP_SRCK_FD_DEV ? fc->dev : fc->ino;
		put_int(buf + off, op.size, v);
		return 0;
	}
	case KCAP_OP_TASK:
		if (op.size) {
			put_int(buf + off, op.size, task_value(op.task, fc));
			return 0;
		}
		break;
	}

	/* Var fields from here on. */
	if (t >= KCAP_TAIL_LIMIT)
		return 0;
	if (fc->have_stash)
		st = bpf_task_storage_get(&stash, bpf_get_current_task_btf(), 0,
					  0);
	if (st && st->nr == fc->nr && st->arg == op.a &&
	    (op.kind == KCAP_SRCK_USTR || op.kind == KCAP_SRCK_SADDR)) {
		__u32 sl = st->len;

		if (st->ok[0]) {
			/* Read at entry: what the kernel acted on. */
			if (sl > KCAP_STASH_DATA ||
			    bpf_probe_read_kernel(dst, sl & 511, st->data))
				return 0;
			n = sl;
			cut = st->ok[0] & KCAP_STASH_CUT;
			goto done;
		}
		/*
		 * Not paged in at entry (a fresh program's string constant;
		 * 2% of the opens of `ls`, `cat` and python starting): the
		 * kernel has read it since. A successful open is named by
		 * the path of the file it opened, which no other thread can
		 * change; a failed open or exec by its string, read now from
		 * the caller's memory.
		 */
		if (is_open(fc->nr) && fc->res >= 0) {
			struct file *f = fd_file(fc->res);

			if (!f || bpf_core_read(&pth, sizeof(pth), &f->f_path))
				return 0;
			goto walk;
		}
		if (!is_exec(fc->nr) && !is_open(fc->nr))
			return 0;
	}

	switch (op.kind) {
	case KCAP_SRCK_USTR: {
		/* what the stash holds at entry, if it was read then */
		__u32 lim = is_exec(fc->nr) ? KCAP_STASH_FNAME :
			    is_open(fc->nr) ? KCAP_STASH_DATA :
					      KCAP_VAR_MAX;

		p = arg_of(fc, op.a);
		if (!p)
			return 0;
		n = bpf_probe_read_user_str(dst, lim, (void *)p);
		if (n <= 0)
			return 0;
		cut = user_cut(p, n, lim);
		n--; /* not the NUL */
		break;
	}
	case KCAP_SRCK_UARGV:
		/*
		 * An exec's argv: from the new image's memory when it
		 * succeeded (see kcap_exec), else from the caller's.
		 */
		list = true;
		if (st && st->nr == fc->nr && st->ok[1] == 2) {
			n = mm_args(dst);
			if (n < -1) {
				n = -n - 1;
				cut = true;
			}
		} else {
			n = copy_argv(t, arg_of(fc, op.a), &cut);
		}
		if (n <= 0)
			return 0;
		break;
	case KCAP_SRCK_UBUF:
	case KCAP_SRCK_UBUF_RET:
	case KCAP_OP_STR_RET:
		v = arg_of(fc, op.b);
		if (op.kind != KCAP_SRCK_UBUF) {
			if (fc->res < 0)
				return 0;
			/* not past the size argument (recv* with MSG_TRUNC) */
			if ((__u64)fc->res < v)
				v = fc->res;
			if (op.kind == KCAP_OP_STR_RET) {
				if (!v)
					return 0;
				v--; /* the result counts the NUL */
			}
		}
		n = buf_len(v);
		if (n < 0)
			return 0;
		/* a string that did not fit the snaplen: marked cut */
		cut = op.kind == KCAP_OP_STR_RET && n < v;
		BOUND(n, 4095);
		if (bpf_probe_read_user(dst, n, (void *)arg_of(fc, op.a)))
			return 0;
		break;
	case KCAP_SRCK_UIOV:
	case KCAP_SRCK_UIOV_RET:
		n = buf_len(op.kind == KCAP_SRCK_UIOV_RET ? fc->res :
							    KCAP_SNAPLEN_MAX);
		if (n < 0)
			return 0;
		n = copy_iov(dst, arg_of(fc, op.a), arg_of(fc, op.b), n);
		break;
	case KCAP_SRCK_MSG_RET:
	case KCAP_SRCK_MMSG_RET: {
		struct user_msghdr m;
		__s64 len = fc->res;

		p = arg_of(fc, op.a);
		if (!p || bpf_probe_read_user(&m, sizeof(m), (void *)p))
			return 0;
		if (op.kind == KCAP_SRCK_MMSG_RET) {
			__u32 ml;

			if (fc->res <= 0 ||
			    bpf_probe_read_user(&ml, 4,
						(void *)(p + sizeof(m))))
				return 0;
			len = ml;
		}
		n = buf_len(len);
		if (n < 0)
			return 0;
		n = copy_iov(dst, (__u64)m.msg_iov, m.msg_iovlen, n);
		break;
	}
	case KCAP_SRCK_MSG_NAME: {
		struct user_msghdr m;

		p = arg_of(fc, op.a);
		if (!p || bpf_probe_read_user(&m, sizeof(m), (void *)p))
			return 0;
		if (!m.msg_name || m.msg_namelen <= 0)
			return 0;
		n = m.msg_namelen > 128 ? 128 : m.msg_namelen;
		/*
		 * recvmsg, recvmmsg: msg_namelen is now the sender's full
		 * length; the kernel wrote no more than the room given.
		 */
		if (fc->nr == 47 || fc->nr == 299) {
			if (!st || st->nr != fc->nr || st->namelen == (__u32)-1)
				return 0;
			if (n > st->namelen)
				n = st->namelen;
		}
		BOUND(n, 255);
		if (bpf_probe_read_user(dst, n, m.msg_name))
			return 0;
		break;
	}
	case KCAP_SRCK_SADDR:
	case KCAP_SRCK_SADDR_PTR: {
		__u64 l;

		p = arg_of(fc, op.a);
		if (op.kind == KCAP_SRCK_SADDR) {
			l = arg_of(fc, op.b);
		} else {
			__u32 sl;

			if (fc->res < 0 || !arg_of(fc, op.b) ||
			    bpf_probe_read_user(&sl, 4,
						(void *)arg_of(fc, op.b)))
				return 0;
			/*
			 * *addrlen is now the sender's full length; the
			 * kernel wrote no more than the room given, which
			 * only the entry saw.
			 */
			if (!st || st->nr != fc->nr || st->namelen == (__u32)-1)
				return 0;
			l = sl < st->namelen ? sl : st->namelen;
		}
		if (!p || !l)
			return 0;
		n = l > 128 ? 128 : l;
		BOUND(n, 255);
		if (bpf_probe_read_user(dst, n, (void *)p))
			return 0;
		break;
	}
	case KCAP_SRCK_FD_LADDR:
	case KCAP_SRCK_FD_RADDR: {
		__s64 fd = arg_of(fc, op.a);

		if (fd < 0 || (op.a == KCAP_RETV && fc->res < 0))
			return 0;
		n = sock_addr(fd, op.kind == KCAP_SRCK_FD_RADDR, dst);
		break;
	}
	case KCAP_OP_TASK:
		if (op.task == KCAP_TF_COMM) {
			int k;

			bpf_get_current_comm(dst, 16);
			for (k = 0; k < 16; k++)
				if (!dst[k])
					break;
			n = k;
		} else if (op.task == KCAP_TF_ARGS) {
			list = true;
			n = mm_args(dst);
			if (n < -1) {
				n = -n - 1;
				cut = true;
			}
		} else if (op.task == KCAP_TF_EXE || op.task == KCAP_TF_CWD) {
			struct task_struct *task = bpf_get_current_task_btf();

			if (op.task == KCAP_TF_EXE) {
				struct file *ef =
					BPF_CORE_READ(task, mm, exe_file);

				if (!ef || bpf_core_read(&pth, sizeof(pth),
							 &ef->f_path))
					return 0;
			} else if (bpf_core_read(&pth, sizeof(pth),
						 &task->fs->pwd)) {
				return 0;
			}
walk:
			if (!pth.dentry)
				return 0;
			n = dpath(sc, dst, pth.dentry, pth.mnt, &cut);
		} else if (op.task == KCAP_TF_CGROUPS) {
			list = true;
			n = cgroups_of(t, bpf_get_current_task_btf(), &cut);
		} else {
			return 0;
		}
		break;
	default:
		return 0;
	}
done:
	n = mark_cut(dst, t & (KCAP_TAIL_LIMIT - 1), n, cut, list);
	if (n < 0)
		return 0;
	put_var(buf, off, t, n);
	fc->t = t + n;
	return 0;
}

/* -T: the event's dur field, in a record of at least SIZE bytes. */
static __always_inline void put_dur(struct kcap_sys *ent, __u8 *e, __u32 SIZE,
				    __u64 dur)
{
	__u64 d = ent->dur_off;

	if (!d)
		return;
	/*
	 * Opaque to clang from here: else it folds the two tests into one
	 * range check on a copy, and the verifier cannot bound d by it.
	 */
	BOUND(d, 1023);
	if (d <= SIZE - 8)
		*(__u64 *)(e + d) = dur;
}

/*
 * The fixed part of a record of exactly SIZE bytes in the ring: the
 * template (unknown values, zero padding), then the first nints ops, all
 * plain integers from the registers.
 */
static __always_inline void fill_fixed(struct kcap_sys *ent, __u8 *e,
				       __u32 SIZE, __u32 nints,
				       struct fill_ctx *fc)
{
	__u64 *src = (void *)ent->tmpl, *w = (void *)e;
	int i;

	for (i = 0; i < SIZE / 8; i++)
		w[i] = src[i];
	for (i = 0; i < KCAP_SIMPLE_OPS; i++) {
		struct kcap_op op;
		__u64 v;

		if (i >= nints)
			break;
		op = ent->ops[i];
		if (op.kind == KCAP_SRCK_RET)
			v = fc->res;
		else if (op.kind == KCAP_OP_NR)
			v = fc->nr;
		else
			v = arg_of(fc, op.a);
		switch (op.size) {
		case 1:
			if (op.off <= SIZE - 1)
				*(__u8 *)(e + op.off) = v;
			break;
		case 2:
			if (op.off <= SIZE - 2)
				*(__u16 *)(e + op.off) = v;
			break;
		case 4:
			if (op.off <= SIZE - 4)
				*(__u32 *)(e + op.off) = v;
			break;
		case 8:
			if (op.off <= SIZE - 8)
				*(__u64 *)(e + op.off) = v;
			break;
		}
	}
	if (syscall_times)
		put_dur(ent, e, SIZE, fc->dur);
}

/*
 * A KCAP_SYS_SIMPLE event of exactly SIZE bytes (a constant, as
 * bpf_ringbuf_reserve() wants), built in place in the ring.
 */
static __always_inline void emit_simple(struct kcap_sys *ent, __u32 SIZE,
					struct fill_ctx *fc)
{
	struct kcap_hdr *h;
	__u8 *e;

	e = bpf_ringbuf_reserve(&rb, SIZE, 0);
	if (!e) {
		lost_in_ring(ent);
		return;
	}
	fill_fixed(ent, e, SIZE, ent->nops, fc);
	h = (void *)e;
	h->len = SIZE;
	h->tid = fc->tid;
	h->ts = bpf_ktime_get_boot_ns() + boot_wall_ns;
	rb_submit(e);
}

/*
 * A KCAP_SYS_BUF event: a fixed part of exactly SIZE bytes, then up to the
 * snaplen of one user buffer, built in place in the ring. The ring record
 * has room for the whole snaplen; hdr.len says how much of it the event
 * uses, and user space takes only that.
 */
static __always_inline void emit_buf(struct kcap_sys *ent, __u32 SIZE,
				     struct fill_ctx *fc)
{
	/* snaplen is frozen .rodata: the verifier knows it, ROOM is constant */
	const __u32 ROOM = (snaplen + 7) & ~7u;
	__u32 len = SIZE, vo;
	struct kcap_hdr *h;
	struct kcap_op op;
	__u64 idx, p;
	long n;
	__u8 *e;

	if (ROOM > KCAP_BUF_FAST_MAX)
		return;
	e = bpf_ringbuf_reserve(&rb, SIZE + ROOM + 8, 0);
	if (!e) {
		lost_in_ring(ent);
		return;
	}
	fill_fixed(ent, e, SIZE, ent->nints, fc);
	idx = ent->nints;
	asm volatile("%0 &= 63" : "+r"(idx));
	op = ent->ops[idx];
	n = buf_len(op.kind == KCAP_SRCK_UBUF ? arg_of(fc, op.b) : fc->res);
	p = arg_of(fc, op.a);
	vo = op.off;
	/* 0 bytes (EOF) are an empty value, as fill_one() makes them */
	if (n >= 0 && vo <= SIZE - 4) {
		if (n > ROOM)
			n = ROOM;
		/* a mask above KCAP_BUF_FAST_MAX: it must not cut n itself */
		BOUND(n, 511);
		if (!n || !bpf_probe_read_user(e + SIZE, n, (void *)p)) {
			__u64 *pw = (void *)(e + SIZE + (n & 0x1f8));
			struct kcap_var *d = (void *)(e + vo);
			__u32 tail = n & 7;

			/* Zero the padding after the data (little-endian). */
			if (tail)
				*pw &= (1ull << (tail * 8)) - 1;
			d->off = SIZE;
			d->len = n;
			len = SIZE + ((n + 7) & ~7);
		}
	}
	h = (void *)e;
	h->len = len;
	h->tid = fc->tid;
	h->ts = bpf_ktime_get_boot_ns() + boot_wall_ns;
	rb_submit(e);
}

/*
 * A KCAP_SYS_PATH event: a fixed part of exactly SIZE bytes, then the
 * path sys_enter read (sl bytes, fewer than KCAP_PATH_FAST_MAX), built in
 * place in the ring. As in emit_buf(), hdr.len says how much of the room
 * the event uses.
 */
static __always_inline void emit_path(struct kcap_sys *ent, __u32 SIZE,
				      struct fill_ctx *fc,
				      struct kcap_stash *st, __u32 sl)
{
	const __u32 ROOM = KCAP_PATH_FAST_MAX;
	__u64 *src = (void *)st->data, *w, dev = 0, ino = 0;
	struct kcap_hdr *h;
	struct file *f;
	__u8 *e;
	int i;

	e = bpf_ringbuf_reserve(&rb, SIZE + ROOM, 0);
	if (!e) {
		lost_in_ring(ent);
		return;
	}
	fill_fixed(ent, e, SIZE, ent->nints, fc);
	/* A failed open has no file: its dev and ino stay unknown. */
	f = fc->res >= 0 && fc->res <= 0x7fffffff ? fd_file(fc->res) : NULL;
	if (f)
		file_dev_ino(f, &dev, &ino);
	for (i = 0; i < KCAP_PATH_OPS; i++) {
		__u64 idx = ent->nints + i, v;
		struct kcap_op op;

		if (idx >= ent->nops)
			break;
		asm volatile("%0 &= 63" : "+r"(idx));
		op = ent->ops[idx];
		if (op.kind == KCAP_SRCK_USTR) {
			struct kcap_var *d = (void *)(e + (op.off & 0x3fc));

			/* the stash is of this argument (see sys_enter) */
			if (op.off <= SIZE - 4 && op.a == st->arg) {
				d->off = SIZE;
				d->len = sl;
			}
			continue;
		}
		if (!f)
			continue;
		v = op.kind == KCAP_SRCK_FD_DEV ? dev : ino;
		if (op.size == 8 && op.off <= SIZE - 8)
			*(__u64 *)(e + op.off) = v;
		else if (op.size == 4 && op.off <= SIZE - 4)
			*(__u32 *)(e + op.off) = v;
	}
	/* Whole words of the path; those past its end are not written. */
	w = (void *)(e + SIZE);
	for (i = 0; i < ROOM / 8; i++) {
		if (i * 8 >= sl)
			break;
		w[i] = src[i];
	}
	/* Zero the last word's bytes after the path (little-endian). */
	if (sl & 7)
		w[(sl >> 3) & (ROOM / 8 - 1)] &= (1ull << ((sl & 7) * 8)) - 1;
	h = (void *)e;
	h->len = SIZE + ((sl + 7) & ~7);
	h->tid = fc->tid;
	h->ts = bpf_ktime_get_boot_ns() + boot_wall_ns;
	rb_submit(e);
}

/*
 * emit_path() for the entry's fixed size as a constant, when its stash
 * holds this call's path and it is short enough; false: use the general
 * path. The stash is used up either way.
 */
static __always_inline bool emit_path_sized(struct kcap_sys *ent,
					    struct fill_ctx *fc)
{
	struct kcap_stash *st =
		bpf_task_storage_get(&stash, bpf_get_current_task_btf(), 0, 0);
	__u32 sl;

	if (!st || st->nr != fc->nr || !st->ok[0])
		return false;
	sl = st->len;
	if (sl >= KCAP_PATH_FAST_MAX)
		return false;
#define EMIT_SIZE(N)                           \
	case N:                                \
		emit_path(ent, N, fc, st, sl); \
		break;
	switch (ent->size) {
		EMIT_SIZE(48)
		EMIT_SIZE(56)
		EMIT_SIZE(64)
		EMIT_SIZE(72)
	default:
		return false;
	}
#undef EMIT_SIZE
	st->nr = -1; /* used: a later exit must not take it */
	return true;
}

/*
 * emit_buf() or emit_simple() with the entry's fixed size as the constant
 * bpf_ringbuf_reserve() wants (buf is a constant at each call).
 */
static __always_inline void emit_sized(struct kcap_sys *ent,
				       struct fill_ctx *fc, bool buf)
{
#define EMIT_SIZE(N)                             \
	case N:                                  \
		if (buf)                         \
			emit_buf(ent, N, fc);    \
		else                             \
			emit_simple(ent, N, fc); \
		break;
	switch (ent->size) {
		EMIT_SIZE(32)
		EMIT_SIZE(40)
		EMIT_SIZE(48)
		EMIT_SIZE(56)
		EMIT_SIZE(64)
		EMIT_SIZE(72)
		EMIT_SIZE(80)
		EMIT_SIZE(88)
	}
#undef EMIT_SIZE
}

/*
 * The generic event, for every syscall without an event of its own
 * (getppid, sched_yield...) and numbers past the table: its fields are
 * fixed, so it is filled straight from the registers instead of through
 * the table's operations.
 */
static __always_inline void emit_generic(struct pt_regs *regs, __u32 nr,
					 __u32 tid, long ret, __u64 dur)
{
	struct kcap_ev_syscall *e;

	e = bpf_ringbuf_reserve(&rb, sizeof(*e), 0);
	if (!e) {
		count_lost(KCAP_LOSS_RINGBUF, KCAP_EV_syscall);
		return;
	}
	__builtin_memset(e, 0, sizeof(*e)); /* the padding goes to disk */
	e->hdr.type = KCAP_EV_syscall;
	e->hdr.len = sizeof(*e);
	e->hdr.tid = tid;
	e->res = ret;
	e->a0 = regs->di;
	e->a1 = regs->si;
	e->a2 = regs->dx;
	e->a3 = regs->r10;
	e->a4 = regs->r8;
	e->a5 = regs->r9;
	e->nr = nr;
	e->dur = dur;
	e->hdr.ts = bpf_ktime_get_boot_ns() + boot_wall_ns;
	rb_submit(e);
}

/*
 * -T: how long the current syscall took, from the time its sys_enter
 * noted; unknown when its entry was not seen (it entered before kcap
 * attached, it is a new thread's first return, from clone, or seccomp or
 * ptrace skipped it before the entry tracepoint).
 */
static __always_inline __u64 took(__u32 nr)
{
	__u64 now = bpf_ktime_get_boot_ns(), d = KCAP_UNKNOWN_u64;
	struct kcap_tstate *t;

	t = bpf_task_storage_get(&tstate, bpf_get_current_task_btf(), 0, 0);
	if (!t)
		return d;
	/*
	 * A successful execveat returns as execve (see below); enter_ts 0:
	 * the storage was made for throttling, and no entry came since.
	 */
	if ((t->enter_nr == nr || (nr == 59 && t->enter_nr == 322)) &&
	    t->enter_ts && now >= t->enter_ts)
		d = now - t->enter_ts;
	t->enter_nr = -1; /* used: a later exit must not take it */
	return d;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(kcap_sys_exit, struct pt_regs *regs, long ret)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 tid = pid_tgid, tgid = pid_tgid >> 32, z = 0, nr, key, size, len;
	struct fill_ctx fc = {};
	struct kcap_sys *ent;
	struct scratch *sc;
	struct kcap_hdr *h;
	__u32 at_flags = 0;
	bool exec_at = false;
	__s32 at_dirfd = 0;
	int i;

	nr = regs->orig_ax;
	/* -1: no syscall ran (ptrace skipped it and left no number) */
	if (nr == (__u32)-1)
		return 0;
	/* before the filters: --comm may not want kcap's comm */
	if (tid == spawn_tid && nr == 0 /* read */) {
		spawn_tid = 0;
		return 0;
	}
	if (!wanted(tid, tgid)) {
		if (stashing(nr))
			drop_stash();
		return 0;
	}
	key = nr < KCAP_NR_MAX ? nr : KCAP_NR_OTHER;
	ent = bpf_map_lookup_elem(&systab, &key);
	if (!ent)
		return 0;
	fc.dur = KCAP_UNKNOWN_u64;
	if (syscall_times)
		fc.dur = took(nr);
	if (ent->evid == KCAP_EV_syscall) {
		if (ent->flags & KCAP_SYS_ENABLED)
			emit_generic(regs, nr, tid, ret, fc.dur);
		return 0;
	}
	/*
	 * x86's set_personality_64bit() sets orig_ax to execve's number in
	 * every exec that succeeds: execveat's sys_enter stash tells it apart.
	 */
	if (nr == 59 && ret == 0) {
		struct kcap_stash *st = bpf_task_storage_get(
			&stash, bpf_get_current_task_btf(), 0, 0);

		if (st && st->nr == 322) {
			nr = 322;
			exec_at = true;
			at_dirfd = st->dirfd;
			at_flags = st->flags;
			ent = bpf_map_lookup_elem(&systab, &nr);
			if (!ent)
				return 0;
		}
	}
	if (!(ent->flags & KCAP_SYS_ENABLED)) {
		if (ent->flags & KCAP_SYS_STASH)
			drop_stash();
		return 0;
	}
	if ((ent->flags & KCAP_SYS_IO) &&
	    (io_budget || sample_keep > 1 || dedup_ns)) {
		int why = throttle(ent->evid, regs->di, ret,
				   bpf_ktime_get_boot_ns());

		if (why) {
			count_lost(why, ent->evid);
			return 0;
		}
	}
	fc.nr = nr;
	fc.tid = tid;
	fc.tgid = tgid;
	fc.res = ret;
	/* regs is a trusted BTF pointer: plain loads, no helper calls. */
	fc.args[0] = regs->di;
	fc.args[1] = regs->si;
	fc.args[2] = regs->dx;
	fc.args[3] = regs->r10;
	fc.args[4] = regs->r8;
	fc.args[5] = regs->r9;
	if (exec_at) {
		fc.args[0] = (__u64)(__s64)at_dirfd;
		fc.args[4] = at_flags;
	}
	if ((ent->flags & KCAP_SYS_BUF) &&
	    ((snaplen + 7) & ~7u) <= KCAP_BUF_FAST_MAX) {
		emit_sized(ent, &fc, true);
		return 0;
	}
	if (ent->flags & KCAP_SYS_SIMPLE) {
		emit_sized(ent, &fc, false);
		return 0;
	}
	if ((ent->flags & KCAP_SYS_PATH) && emit_path_sized(ent, &fc))
		return 0;
	sc = bpf_map_lookup_elem(&scratch, &z);
	size = ent->size;
	if (!sc || size < KCAP_HDR_SIZE || size > 1024)
		goto out;
	bpf_probe_read_kernel(sc->buf, size, ent->tmpl);

	fc.t = size;
	fc.have_stash = ent->flags & KCAP_SYS_STASH;
	/* Plain integers inline: a bpf_loop step is an indirect call. */
	for (i = 0; i < KCAP_SIMPLE_OPS; i++) {
		struct kcap_op op;
		__u64 v;

		if (i >= ent->nints)
			break;
		op = ent->ops[i];
		if (op.kind == KCAP_SRCK_RET)
			v = fc.res;
		else if (op.kind == KCAP_OP_NR)
			v = fc.nr;
		else
			v = arg_of(&fc, op.a);
		if (op.off <= 1016)
			put_int(sc->buf + op.off, op.size, v);
	}
	fc.base = ent->nints;
	if (ent->nops > ent->nints)
		bpf_loop(ent->nops - ent->nints, fill_one, &fc, 0);
	if (syscall_times)
		put_dur(ent, sc->buf, 1024, fc.dur);

	len = fc.t;
	if (len > KCAP_TAIL_LIMIT + KCAP_VAR_MAX)
		goto out;
	if (len & 7) {
		/* Zero the padding after the last var (little-endian). */
		__u64 *w = (void *)(sc->buf + (len & ~7));

		*w &= (1ull << ((len & 7) * 8)) - 1;
	}
	len = (len + 7) & ~7;
	h = (void *)sc->buf;
	h->len = len;
	h->tid = tid;
	h->ts = bpf_ktime_get_boot_ns() + boot_wall_ns;
	if (rb_output(sc->buf, len))
		lost_in_ring(ent);
out:
	if (ent->flags & KCAP_SYS_STASH) {
		struct kcap_stash *st = bpf_task_storage_get(
			&stash, bpf_get_current_task_btf(), 0, 0);

		if (st)
			st->nr = -1; /* used: a later exit must not take it */
	}
	return 0;
}

/*
 * Stash a user string at the start of st->data; its length with the NUL,
 * or -1 (as bpf_probe_read_user_str()).
 *
 * Most paths are short: for those, one plain 64-byte read and a word-wise
 * search for the NUL. bpf_probe_read_user_str() straight into the stash
 * cost about 60 ns more per open here (bpf_stats, A/B); into a stack
 * buffer it cost less, which points at strncpy_from_user()'s
 * hardened-usercopy check of a slab destination. Where the 64 bytes hold
 * no NUL or cannot all be read (the string ends just before an unmapped
 * page), the string is read as before.
 */
static __always_inline long stash_str(struct kcap_stash *st, __u64 p)
{
	__u64 w[8], *d = (void *)st->data;
	int i;

	if (!p)
		return -1;
	if (!bpf_probe_read_user(w, sizeof(w), (void *)p)) {
		for (i = 0; i < 8; i++) {
			/* the lowest 0x80 bit marks the first zero byte */
			__u64 z = (w[i] - 0x0101010101010101ULL) & ~w[i] &
				  0x8080808080808080ULL;
			int b = 0;
			int j;

			if (!z)
				continue;
			if (!(z & 0xffffffffULL)) {
				b += 4;
				z >>= 32;
			}
			if (!(z & 0xffff)) {
				b += 2;
				z >>= 16;
			}
			if (!(z & 0xff))
				b += 1;
			for (j = 0; j < 8; j++)
				d[j] = w[j];
			return i * 8 + b + 1;
		}
	}
	return bpf_probe_read_user_str(st->data, KCAP_STASH_DATA, (void *)p);
}

/*
 * What is read at entry, for the syscalls that need it (open, creat,
 * openat, openat2, connect, execve, execveat, recvfrom, recvmsg,
 * recvmmsg). a4 and a5 are the fifth and sixth arguments (execveat's
 * flags, recvfrom's addrlen).
 */
static __always_inline int on_enter(__u32 nr, __u64 a0, __u64 a1, __u64 a2,
				    __u64 a4, __u64 a5)
{
	__u32 tid, tgid;
	struct kcap_stash *st;
	struct kcap_sys *ent;
	__u64 pid_tgid;
	__u64 p;
	long n;

	pid_tgid = bpf_get_current_pid_tgid();
	tid = pid_tgid;
	tgid = pid_tgid >> 32;
	/*
	 * An exec changes comm: --comm may want its exit and not its entry,
	 * so execs stash whatever their comm; and an exec that is not stashed
	 * must not leave an older exec's stash for its exit to take.
	 */
	if (!wanted_ids(tid, tgid) || (!is_exec(nr) && !comm_ok())) {
		if (is_exec(nr)) {
			st = bpf_task_storage_get(
				&stash, bpf_get_current_task_btf(), 0, 0);
			if (st)
				st->nr = -1;
		}
		return 0;
	}
	ent = bpf_map_lookup_elem(&systab, &nr);
	/*
	 * Both execs stash even when only the other one is recorded: a
	 * successful execveat exits looking like execve (see kcap_sys_exit),
	 * and each exec's exit must find the stash of its own entry.
	 */
	if (!ent || !(ent->flags & KCAP_SYS_STASH) ||
	    (!(ent->flags & KCAP_SYS_ENABLED) && nr != 59 && nr != 322))
		return 0;
	st = bpf_task_storage_get(&stash, bpf_get_current_task_btf(), 0,
				  BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!st)
		return 0;
	st->nr = nr;
	st->len = 0;
	st->ok[0] = st->ok[1] = 0;
	st->arg = 0xff;

	switch (nr) {
	case 45: /* recvfrom(fd, buf, len, flags, addr, addrlen) */
	case 47: /* recvmsg(fd, msg, flags): msg_namelen follows msg_name */
	case 299: /* recvmmsg(fd, msgvec...): the first message's */
		st->namelen = -1;
		if (nr == 45) {
			if (a4 && a5)
				bpf_probe_read_user(&st->namelen, 4,
						    (void *)a5);
		} else {
			__u64 m[2];

			if (!bpf_probe_read_user(m, sizeof(m), (void *)a1) &&
			    m[0])
				st->namelen = (__u32)m[1];
		}
		break;
	case 2:
	case 85:
	case 257:
	case 437:
		st->arg = (nr == 257 || nr == 437) ? 1 : 0;
		p = st->arg ? a1 : a0;
		n = stash_str(st, p);
		if (n > 0) {
			st->len = n - 1;
			st->ok[0] = 1;
			if (user_cut(p, n, KCAP_STASH_DATA))
				st->ok[0] |= KCAP_STASH_CUT;
		}
		break;
	case 42:
		st->arg = 1;
		if (a1 && a2) {
			n = a2 > 128 ? 128 : a2;
			BOUND(n, 255);
			if (!bpf_probe_read_user(st->data, n, (void *)a1)) {
				st->len = n;
				st->ok[0] = 1;
			}
		}
		break;
	case 59:
	case 322:
		/*
		 * execve(filename, argv) / execveat(dirfd, filename, argv):
		 * the filename now; argv at exit, from the new image when the
		 * exec succeeds (see kcap_exec), else from the caller's memory,
		 * which a failed exec leaves as it was.
		 */
		st->arg = nr == 59 ? 0 : 1;
		st->dirfd = a0;
		st->flags = a4;
		p = nr == 59 ? a0 : a1;
		n = bpf_probe_read_user_str(st->data, KCAP_STASH_FNAME,
					    (void *)p);
		if (n > 0) {
			st->len = n - 1;
			st->ok[0] = 1;
			if (user_cut(p, n, KCAP_STASH_FNAME))
				st->ok[0] |= KCAP_STASH_CUT;
		}
		break;
	}
	return 0;
}

/*
 * The entry hooks kcap attaches by default: per-syscall tracepoints
 * (syscalls:sys_enter_NAME). The kernel tests a bitmap before it calls
 * them, so every other syscall pays nothing at entry; the sys_enter
 * program below runs for every syscall (docs/PERFORMANCE.md, "Sixth
 * round"). A program may read no further into the context than the
 * smallest tracepoint it is attached to holds, hence one program per
 * number of arguments read.
 */
struct kcap_enter_args {
	__u64 unused; /* common fields: kcap needs none */
	__s32 nr;
	__u32 pad;
	__u64 args[6];
};

/* creat, open, openat, openat2, execve: the first two arguments */
SEC("tracepoint")
int kcap_enter_tp2(struct kcap_enter_args *ctx)
{
	return on_enter(ctx->nr, ctx->args[0], ctx->args[1], 0, 0, 0);
}

/* connect(fd, addr, addrlen); recvmsg and recvmmsg read their second */
SEC("tracepoint")
int kcap_enter_tp3(struct kcap_enter_args *ctx)
{
	return on_enter(ctx->nr, ctx->args[0], ctx->args[1], ctx->args[2], 0,
			0);
}

/* execveat(dirfd, filename, argv, envp, flags) */
SEC("tracepoint")
int kcap_enter_tp5(struct kcap_enter_args *ctx)
{
	return on_enter(ctx->nr, ctx->args[0], ctx->args[1], ctx->args[2],
			ctx->args[4], 0);
}

/* recvfrom(fd, buf, len, flags, addr, addrlen) */
SEC("tracepoint")
int kcap_enter_tp6(struct kcap_enter_args *ctx)
{
	return on_enter(ctx->nr, 0, 0, 0, ctx->args[4], ctx->args[5]);
}

/*
 * The fallback where per-syscall tracepoints cannot be had (no tracefs),
 * and the entry hook of -T, which times every syscall.
 */
SEC("tp_btf/sys_enter")
int BPF_PROG(kcap_sys_enter, struct pt_regs *regs, long id)
{
	if (syscall_times) {
		__u64 pid_tgid = bpf_get_current_pid_tgid();
		struct kcap_tstate *t;

		/* an exec changes comm: its exit may be wanted (on_enter) */
		if (wanted_ids(pid_tgid, pid_tgid >> 32) &&
		    (is_exec(id) || comm_ok())) {
			t = bpf_task_storage_get(
				&tstate, bpf_get_current_task_btf(), 0,
				BPF_LOCAL_STORAGE_GET_F_CREATE);
			if (t) {
				t->enter_nr = id;
				t->enter_ts = bpf_ktime_get_boot_ns();
			}
		}
	}
	/* Cheapest test first: most syscalls stash nothing. */
	switch (id) {
	case 2: /* open */
	case 85: /* creat */
	case 257: /* openat */
	case 437: /* openat2 */
	case 42: /* connect */
	case 45: /* recvfrom */
	case 47: /* recvmsg */
	case 299: /* recvmmsg */
	case 59: /* execve */
	case 322: /* execveat */
		break;
	default:
		return 0;
	}
	return on_enter(id, regs->di, regs->si, regs->dx, regs->r8, regs->r9);
}

/*
 * A successful exec: say that argv is in the new image, and, if the enter
 * stash could not read the filename (a fork child's strings often sit in
 * pages it has not touched yet, and BPF cannot fault them in), take it
 * from the kernel's copy, certainly readable here. Only then: for an
 * execveat with a dirfd the kernel's copy is "/dev/fd/N/NAME", not the
 * NAME that was passed.
 */
SEC("tp_btf/sched_process_exec")
int BPF_PROG(kcap_exec, struct task_struct *p, pid_t old_pid,
	     struct linux_binprm *bprm)
{
	struct kcap_stash *st;
	const char *fname;
	long k;

	/*
	 * An exec from a thread other than the leader: the leader exited
	 * (kcap_exit() let its tid go), and this thread goes on under its
	 * tid. It was recorded, so that tid is again; its own old one no
	 * longer names anything.
	 */
	if (filter_pid && (__u32)old_pid != (__u32)p->pid &&
	    is_traced(old_pid)) {
		__sync_fetch_and_or(traced_word(p->pid), 1ull << (p->pid & 63));
		__sync_fetch_and_and(traced_word(old_pid),
				     ~(1ull << (old_pid & 63)));
	}
	st = bpf_task_storage_get(&stash, bpf_get_current_task_btf(), 0, 0);
	if (!st || (st->nr != 59 && st->nr != 322))
		return 0;
	st->ok[1] = 2;
	if (st->ok[0])
		return 0;
	st->len = 0;
	fname = BPF_CORE_READ(bprm, filename);
	k = bpf_probe_read_kernel_str(st->data, KCAP_STASH_FNAME, fname);
	if (k > 0) {
		char c = 0;

		st->len = k - 1;
		st->ok[0] = 1;
		/* as user_cut(), on the kernel's copy */
		if (k == KCAP_STASH_FNAME &&
		    !bpf_probe_read_kernel(&c, 1,
					   fname + KCAP_STASH_FNAME - 1) &&
		    c)
			st->ok[0] |= KCAP_STASH_CUT;
	}
	return 0;
}

/* A signal is delivered (in the receiver's context). */
SEC("tp_btf/signal_deliver")
int BPF_PROG(kcap_signal, int sig, struct kernel_siginfo *info,
	     struct k_sigaction *ka)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 tid = pid_tgid, tgid = pid_tgid >> 32;
	struct kcap_ev_signaldeliver *e;
	int code;

	if (!wanted(tid, tgid))
		return 0;
	e = bpf_ringbuf_reserve(&rb, sizeof(*e), 0);
	if (!e) {
		count_lost(KCAP_LOSS_RINGBUF, KCAP_EV_signaldeliver);
		return 0;
	}
	__builtin_memset(e, 0, sizeof(*e)); /* the padding goes to disk */
	e->hdr.type = KCAP_EV_signaldeliver;
	e->hdr.len = sizeof(*e);
	e->hdr.tid = tid;
	e->hdr.ts = bpf_ktime_get_boot_ns() + boot_wall_ns;
	/*
	 * The sender, where the siginfo's layout has one (the kernel's
	 * siginfo_layout()): a process's signal (kill, tgkill, sigqueue,
	 * mq_notify...; si_code SI_USER or below 0, but for POSIX timers
	 * and SIGIO), and a child's SIGCHLD (CLD_*). Elsewhere the union
	 * holds a fault address, a timer id, a band or nothing: unknown.
	 * It is si_pid as the receiver gets it, in its pid namespace.
	 */
	code = BPF_CORE_READ(info, si_code);
	if (code == SI_USER ||
	    (code < 0 && code != SI_TIMER && code != SI_SIGIO) ||
	    (sig == SIGCHLD && code >= CLD_EXITED && code <= CLD_CONTINUED))
		e->spid = BPF_CORE_READ(info, _sifields._kill._pid);
	else
		e->spid = KCAP_UNKNOWN_s32;
	e->dpid = tid;
	e->sig = sig;
	rb_submit(e);
	return 0;
}

/* A new task (in its parent's context, before the parent's clone exits). */
SEC("tp_btf/sched_process_fork")
int BPF_PROG(kcap_fork, struct task_struct *parent, struct task_struct *child)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 ptid = pid_tgid, ctid = child->pid;
	struct kcap_stash *st;

	/* Descendants of a recorded process are recorded too. */
	if (filter_pid && is_traced(ptid))
		__sync_fetch_and_or(traced_word(ctid), 1ull << (ctid & 63));
	if (!wanted(ptid, pid_tgid >> 32))
		return 0;
	/*
	 * The child's host ids, for the parent's clone record (see
	 * task_value()): its result is the child's tid in the parent's
	 * pid namespace. Nothing runs between here and that exit.
	 */
	st = bpf_task_storage_get(&stash, bpf_get_current_task_btf(), 0,
				  BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (st) {
		st->nr = KCAP_STASH_FORK;
		st->child_tid = ctid;
		st->child_tgid = child->tgid;
	}
	return 0;
}

/*
 * --low-latency only (user space loads these programs for it alone): a
 * recorded task was put on a CPU's run queue, woken, new or moved there.
 * If kcap's polling thread spins on that CPU, the task waits behind it
 * until the scheduler's slice ends, milliseconds, and so do its records;
 * the counter lets the polling thread see it coming and leave the core at
 * once (capture/record.c, ll_watch()). The records counter alone only
 * tells once the task has run, that is, after the wait.
 */
static __always_inline void ll_came(struct task_struct *p, int cpu)
{
	__u64 c = (__u32)cpu;

	if (c >= KCAP_LL_CPUS || (p->flags & 0x00200000 /* PF_KTHREAD */) ||
	    !wanted_task(p))
		return;
	_Static_assert(KCAP_LL_CPUS == 512, "the mask below");
	BOUND(c, 511); /* KCAP_LL_CPUS - 1: clang drops the test above */
	ll_came_to[c].n++;
}

SEC("tp_btf/sched_wakeup")
int BPF_PROG(kcap_ll_wakeup, struct task_struct *p)
{
	ll_came(p, p->thread_info.cpu);
	return 0;
}

SEC("tp_btf/sched_wakeup_new")
int BPF_PROG(kcap_ll_wakeup_new, struct task_struct *p)
{
	ll_came(p, p->thread_info.cpu);
	return 0;
}

SEC("tp_btf/sched_migrate_task")
int BPF_PROG(kcap_ll_migrate, struct task_struct *p, int dest_cpu)
{
	ll_came(p, dest_cpu);
	return 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(kcap_exit, struct task_struct *p)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 tid = pid_tgid, tgid = pid_tgid >> 32;
	struct kcap_ev_procexit *e;
	int code;

	/*
	 * The run the task's last I/O events made ends with it: its repeat
	 * record, whatever the filters now say (its events were recorded).
	 */
	if (dedup_ns) {
		struct kcap_tstate *ts = bpf_task_storage_get(
			&tstate, bpf_get_current_task_btf(), 0, 0);

		if (ts && ts->run >> KCAP_RUN_SHIFT)
			end_run(ts, bpf_ktime_get_boot_ns());
	}
	if (!wanted(tid, tgid))
		goto out;
	e = bpf_ringbuf_reserve(&rb, sizeof(*e), 0);
	if (!e) {
		count_lost(KCAP_LOSS_RINGBUF, KCAP_EV_procexit);
		goto out;
	}
	code = BPF_CORE_READ(p, exit_code);
	__builtin_memset(e, 0, sizeof(*e)); /* the padding goes to disk */
	e->hdr.type = KCAP_EV_procexit;
	e->hdr.len = sizeof(*e);
	e->hdr.tid = tid;
	e->hdr.ts = bpf_ktime_get_boot_ns() + boot_wall_ns;
	e->status = code;
	e->ret = (code >> 8) & 0xff;
	e->tgid = tgid;
	e->reaper_tid = BPF_CORE_READ(p, real_parent, pid);
	e->sig = code & 0x7f;
	e->core = (code & 0x80) ? 1 : 0;
	rb_submit(e);
out:
	if (filter_pid && is_traced(tid))
		__sync_fetch_and_and(traced_word(tid), ~(1ull << (tid & 63)));
	return 0;
}
