/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Synthetic events for tests, fixtures and benchmarks, all seeded and
 * deterministic.
 *
 * synth_random(): any event type of the schema, every field random, var
 * fields random bytes (invalid UTF-8 included): for round trips.
 *
 * synth_mix(): a realistic mix, as a busy server's syscalls look:
 *   36% read, 22% write (fd 3..63, 80-byte snaplen data that looks like
 *   logs, HTTP and JSON), 13% openat (real-looking paths, 8% -ENOENT),
 *   13% close, 5% newfstatat, 3% lseek, 2% mmap, 1% connect (IPv4 and
 *   IPv6), 1% sendto, 1% recvfrom, 0.4% clone, 0.3% execve (known argv),
 *   0.3% procexit, the rest the generic syscall event (futex, epoll_wait);
 *   from 24 processes of 1..4 threads, 1..20 us apart.
 */
#ifndef KCAP_TESTS_SYNTH_H
#define KCAP_TESTS_SYNTH_H

#include <stddef.h>
#include <stdint.h>

#include "kcap/kcap.h"

struct synth {
	uint64_t rng;
	uint64_t ts;
	const struct kcap_schema *schema;
	uint32_t tids[24][4];
	uint32_t nthreads[24];
	uint32_t next_pid;
};

void synth_init(struct synth *s, uint64_t seed, uint64_t start_ts);
uint64_t synth_rand(struct synth *s);
/* Each writes one record into buf (at least KCAP_REC_MAX bytes, 8-aligned)
 * and returns its length. */
int synth_random(struct synth *s, void *buf);
int synth_mix(struct synth *s, void *buf);
/* A SNAPSHOT payload of the processes synth_mix() uses; returns its length. */
size_t synth_snapshot(struct synth *s, void *buf, size_t cap);
/* A LOSS record: count events of type evtype lost between ts and end. */
int synth_loss(void *buf, uint64_t ts, uint64_t end, uint16_t evtype,
	       uint16_t reason, uint64_t count);

#endif
