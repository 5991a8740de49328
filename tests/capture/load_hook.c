// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * An LD_PRELOAD module for test_record: something happens when kcap loads
 * the BPF program that KCAP_TEST_PROG names. libbpf loads programs
 * through libc's syscall(), which this one wraps:
 * - KCAP_TEST_KILL=PID: PID is killed (SIGKILL) just before the load,
 *   once: a -p process that exits while kcap loads;
 * - KCAP_TEST_REJECT set: the verifier rejects the program, for real: it
 *   gets it with its first instruction replaced by "r0 = r5", a read of
 *   a register nothing wrote ("R5 !read_ok").
 * Every other call goes through unchanged.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <linux/bpf.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static long (*real)(long, ...);

/* The load, with its first instruction one the verifier refuses. */
static long load_rejected(long *a)
{
	union bpf_attr *attr = (union bpf_attr *)a[1];
	struct bpf_insn *insns;
	__u64 was;
	long ret;

	insns = malloc(attr->insn_cnt * sizeof(*insns));
	if (!insns)
		return real(SYS_bpf, a[0], a[1], a[2], a[3], a[4], a[5]);
	memcpy(insns, (void *)(uintptr_t)attr->insns,
	       attr->insn_cnt * sizeof(*insns));
	insns[0] = (struct bpf_insn){ .code = BPF_ALU64 | BPF_MOV | BPF_X,
				      .dst_reg = BPF_REG_0,
				      .src_reg = BPF_REG_5 };
	was = attr->insns;
	attr->insns = (uintptr_t)insns;
	ret = real(SYS_bpf, a[0], a[1], a[2], a[3], a[4], a[5]);
	attr->insns = was;
	free(insns);
	return ret;
}

/*
 * It reads six arguments whatever the call, as glibc's own syscall()
 * does, past those a caller passed: not for ASan to check.
 */
__attribute__((no_sanitize_address)) long syscall(long nr, ...)
{
	const char *want = getenv("KCAP_TEST_PROG");
	static int killed;
	union bpf_attr *attr;
	const char *kill_pid;
	long a[6];
	va_list ap;

	va_start(ap, nr);
	for (int i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);
	if (!real)
		real = (long (*)(long, ...))dlsym(RTLD_NEXT, "syscall");
	attr = (union bpf_attr *)a[1];
	if (nr != SYS_bpf || a[0] != BPF_PROG_LOAD || !want || !attr ||
	    !attr->insn_cnt ||
	    strncmp(attr->prog_name, want, sizeof(attr->prog_name) - 1))
		return real(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	kill_pid = getenv("KCAP_TEST_KILL");
	if (kill_pid && !killed) {
		killed = 1;
		kill(atoi(kill_pid), SIGKILL);
	}
	if (getenv("KCAP_TEST_REJECT"))
		return load_rejected(a);
	return real(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
}
