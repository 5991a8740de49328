// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The floor bench_record measures kcap record against: per sys_exit of the
 * load, reserve a 32-byte record in a ring buffer, fill it, submit it with
 * watermark wakeups. Nothing less can deliver an event per syscall this
 * way; the only extra is the tgid test that keeps the rest of the machine
 * out (kcap record pays its own filter too).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/*
 * 0: the --low-latency floor: every process but reader_tgid, on load_cpu
 * only (where the loop runs; records of other work on the reader's core
 * would wait for it, which is not what is measured)
 */
const volatile __u32 target_tgid;
const volatile __u32 reader_tgid;
const volatile __u32 load_cpu;
const volatile __u64 watermark = 1 << 20;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 8 << 20);
} rb SEC(".maps");

__u64 lost;

struct floor_rec {
	__u16 type;
	__u16 len;
	__u32 tid;
	__u64 ts;
	__s64 res;
	__u64 nr;
};

SEC("tp_btf/sys_exit")
int BPF_PROG(floor_exit, struct pt_regs *regs, long ret)
{
	__u64 pt = bpf_get_current_pid_tgid();
	struct floor_rec *e;
	__u64 flags = BPF_RB_NO_WAKEUP;

	if (target_tgid ? (pt >> 32) != target_tgid :
			  (pt >> 32) == reader_tgid ||
				  bpf_get_smp_processor_id() != load_cpu)
		return 0;
	e = bpf_ringbuf_reserve(&rb, sizeof(*e), 0);
	if (!e) {
		__sync_fetch_and_add(&lost, 1);
		return 0;
	}
	e->type = 1;
	e->len = sizeof(*e);
	e->tid = pt;
	e->ts = bpf_ktime_get_boot_ns();
	e->res = ret;
	e->nr = regs->orig_ax;
	if (bpf_ringbuf_query(&rb, BPF_RB_AVAIL_DATA) >= watermark)
		flags = BPF_RB_FORCE_WAKEUP;
	bpf_ringbuf_submit(e, flags);
	return 0;
}
