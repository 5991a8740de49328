// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* One test per rule of the conversion table, with in-memory legacy events. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "convtest.h"
#include "../checkrun.h"

/* legacy event codes (SCAP-FORMAT.md Appendix A) */
enum {
	GENERIC_E = 0,
	GENERIC_X = 1,
	OPEN_E = 2,
	OPEN_X = 3,
	CLOSE_E = 4,
	CLOSE_X = 5,
	READ_E = 6,
	READ_X = 7,
	WRITE_E = 8,
	WRITE_X = 9,
	PROCEXIT_E = 16,
	CONNECT_E = 22,
	CONNECT_X = 23,
	OPENAT_E = 102,
	OPENAT_X = 103,
	DROP_E = 148,
	DROP_X = 149,
	PROCEXIT_1_E = 186,
	PROCINFO_E = 234,
};

#define PPM_O_RDWR 3
#define PPM_O_CREAT (1 << 2)
#define PPM_O_CLOEXEC (1 << 12)
#define T0 1700000000000000000ull

static struct scapw w;

static void start(void)
{
	scapw_init(&w);
	scapw_shb(&w, 1, 2);
}

static void ev(uint64_t ts, uint64_t tid, uint16_t type, int n,
	       const struct sp *p)
{
	scapw_ev(&w, SW_EV_V2, 0, 0, ts, tid, type, n, p);
}

static void open_enter(uint64_t ts, uint64_t tid, const char *path)
{
	struct sp p[] = { sp_str(path), sp_u32(PPM_O_RDWR | PPM_O_CREAT),
			  sp_u32(0644) };

	ev(ts, tid, OPEN_E, 3, p);
}

/* The exit of open with only its result: the shape that needs the enter. */
static void open_exit(uint64_t ts, uint64_t tid, int64_t fd)
{
	struct sp p[] = { sp_u64((uint64_t)fd) };

	ev(ts, tid, OPEN_X, 1, p);
}

/* An exit's n parameters, all empty but its result, 0. */
static void exit_params(struct sp *p, int n)
{
	int i;

	for (i = 0; i < n; i++)
		p[i] = sp_empty();
	p[0] = sp_u64(0);
}

static void convert(struct conv_out *o)
{
	conv_mem(w.buf, w.len, KCAP_CODEC_NONE, o);
	ck_assert_int_eq(o->ret, 0);
	scapw_free(&w);
}

START_TEST(test_an_enter_and_its_exit_merge_into_one_event)
{
	struct conv_out o;
	const struct kcap_hdr *r;
	int64_t v;

	start();
	open_enter(T0, 100, "/etc/passwd");
	open_exit(T0 + 5, 100, 3);
	convert(&o);
	ck_assert_int_eq(conv_count(&o, "open"), 1);
	r = conv_find(&o, "open", 0);
	ck_assert_uint_eq(r->ts, T0 + 5); /* the exit's time */
	ck_assert_uint_eq(r->tid, 100);
	ck_assert(fint(r, "res", &v) && v == 3);
	ck_assert(fvar_is(r, "name", "/etc/passwd"));
	/* PPM_O_RDWR|PPM_O_CREAT is O_RDWR|O_CREAT for the kernel */
	ck_assert(fint(r, "flags", &v) && v == (02 | 0100));
	ck_assert(fint(r, "mode", &v) && v == 0644);
	/* the exit's dev and ino are missing in this shape: unknown */
	ck_assert(!fint(r, "dev", &v));
	ck_assert(!fint(r, "ino", &v));
	ck_assert_uint_eq(o.rep->merged, 1);
	ck_assert_uint_eq(o.rep->types[OPEN_X].merged, 1);
	ck_assert_uint_eq(o.rep->types[OPEN_X].converted, 1);
	ck_assert_uint_eq(o.rep->no_enter, 0);
	ck_assert_uint_eq(o.rep->enters_stored, 1);
	conv_out_free(&o);
}
END_TEST

START_TEST(test_an_exit_without_its_enter_converts_with_unknown_fields)
{
	struct conv_out o;
	const struct kcap_hdr *r;
	const uint8_t *p;
	size_t len;
	int64_t v;

	start();
	open_exit(T0, 100, 3);
	convert(&o);
	r = conv_find(&o, "open", 0);
	ck_assert_ptr_nonnull(r);
	ck_assert(fint(r, "res", &v) && v == 3);
	ck_assert(!fvar(r, "name", &p, &len)); /* absent, not "" */
	ck_assert(!fint(r, "flags", &v));
	ck_assert(!fint(r, "mode", &v));
	ck_assert_uint_eq(o.rep->no_enter, 1);
	ck_assert_uint_eq(o.rep->types[OPEN_X].no_enter, 1);
	ck_assert_uint_ge(o.rep->nproblems, 1);
	conv_out_free(&o);
}
END_TEST

START_TEST(test_a_stale_enter_of_another_type_is_discarded_and_counted)
{
	struct conv_out o;
	const struct kcap_hdr *r;
	struct sp ce[] = { sp_u64(7) };
	int64_t v;

	start();
	/* a close enter whose exit never came, then an open exit */
	ev(T0, 100, CLOSE_E, 1, ce);
	open_exit(T0 + 1, 100, 4);
	convert(&o);
	ck_assert_int_eq(conv_count(&o, "close"), 0);
	r = conv_find(&o, "open", 0);
	ck_assert(fint(r, "res", &v) && v == 4);
	ck_assert(!fint(r, "flags", &v));
	ck_assert_uint_eq(o.rep->stale_enter, 1);
	ck_assert_uint_eq(o.rep->types[CLOSE_E].stale_enter, 1);
	ck_assert_uint_eq(o.rep->types[OPEN_X].no_enter, 1);
	conv_out_free(&o);
}
END_TEST

START_TEST(test_a_second_enter_on_a_thread_discards_the_first)
{
	struct conv_out o;
	const struct kcap_hdr *r;

	start();
	open_enter(T0, 100, "/old");
	open_enter(T0 + 1, 100, "/new");
	open_exit(T0 + 2, 100, 3);
	convert(&o);
	r = conv_find(&o, "open", 0);
	ck_assert(fvar_is(r, "name", "/new"));
	ck_assert_uint_eq(o.rep->types[OPEN_E].stale_enter, 1);
	ck_assert_uint_eq(o.rep->merged, 1);
	conv_out_free(&o);
}
END_TEST

START_TEST(test_interleaved_threads_pair_by_thread)
{
	struct conv_out o;
	const struct kcap_hdr *r;
	int64_t v;

	start();
	open_enter(T0, 100, "/a");
	open_enter(T0 + 1, 200, "/b");
	open_enter(T0 + 2, 300, "/c");
	open_exit(T0 + 3, 200, 5);
	open_exit(T0 + 4, 300, 6);
	open_exit(T0 + 5, 100, 4);
	convert(&o);
	ck_assert_int_eq(conv_count(&o, "open"), 3);
	r = conv_find(&o, "open", 0);
	ck_assert_uint_eq(r->tid, 200);
	ck_assert(fvar_is(r, "name", "/b") && fint(r, "res", &v) && v == 5);
	r = conv_find(&o, "open", 1);
	ck_assert(fvar_is(r, "name", "/c") && fint(r, "res", &v) && v == 6);
	r = conv_find(&o, "open", 2);
	ck_assert(fvar_is(r, "name", "/a") && fint(r, "res", &v) && v == 4);
	ck_assert_uint_eq(o.rep->merged, 3);
	ck_assert_uint_eq(o.rep->no_enter + o.rep->stale_enter, 0);
	conv_out_free(&o);
}
END_TEST

START_TEST(test_a_full_exit_needs_no_enter)
{
	/* libs >= 0.22 write exits with every parameter and no enter */
	struct conv_out o;
	const struct kcap_hdr *r;
	struct sp x[] = {
		sp_u64(3), sp_str("/etc/hosts"), sp_u32(PPM_O_CLOEXEC | 1),
		sp_u32(0), sp_u32(0x801),	 sp_u64(1234)
	};
	int64_t v;

	start();
	ev(T0, 100, OPEN_X, 6, x);
	convert(&o);
	r = conv_find(&o, "open", 0);
	ck_assert(fvar_is(r, "name", "/etc/hosts"));
	ck_assert(fint(r, "flags", &v) && v == 02000000); /* O_CLOEXEC */
	/* 0x801 is 8:1 as the legacy drivers encode it; the kernel's dev_t */
	ck_assert(fint(r, "dev", &v) && v == (8 << 20 | 1));
	ck_assert(fint(r, "ino", &v) && v == 1234);
	ck_assert_uint_eq(o.rep->no_enter, 0);
	conv_out_free(&o);
}
END_TEST

/*
 * Legacy drivers wrote device numbers new_encode_dev()'d: minor bits 0-7,
 * major 8-19, minor bits 8-19 at 20-31. kcap's DEV fields hold the
 * kernel's dev_t, major << 20 | minor.
 */
START_TEST(test_legacy_device_numbers_become_the_kernels)
{
	/* 259:0x12345 (an NVMe partition can have such a minor) */
	uint32_t enc = 0x45 | 259 << 8 | 0x123 << 20;
	struct conv_out o;
	const struct kcap_hdr *r;
	struct sp x[] = { sp_u64(3), sp_str("/x"), sp_u32(1),
			  sp_u32(0), sp_u32(enc),  sp_u64(7) };
	struct sp ex[30];
	int64_t v;

	exit_params(ex, 30);
	ex[16] = sp_u32(3 | 136 << 8); /* tty: /dev/pts/3, 136:3 */
	start();
	ev(T0, 100, OPEN_X, 6, x);
	ev(T0 + 1, 100, 293, 30, ex); /* EXECVE_19_X */
	convert(&o);
	r = conv_find(&o, "open", 0);
	ck_assert(fint(r, "dev", &v));
	ck_assert_msg(v == (259 << 20 | 0x12345), "dev 0x%llx",
		      (unsigned long long)v);
	r = conv_find(&o, "execve", 0);
	ck_assert_ptr_nonnull(r);
	ck_assert(fint(r, "tty", &v));
	ck_assert_msg(v == (136 << 20 | 3), "tty 0x%llx",
		      (unsigned long long)v);
	conv_out_free(&o);
}
END_TEST

START_TEST(test_old_event_shapes_map_through_the_same_table)
{
	struct conv_out o;
	const struct kcap_hdr *r;
	/* OPENAT_E/OPENAT_X (102/103): the pair before OPENAT_2 */
	struct sp e[] = { sp_u64((uint64_t)-100), sp_str("rel/path"),
			  sp_u32(PPM_O_RDWR), sp_u32(0600) };
	struct sp x[] = { sp_u64(9) };
	/* an old read exit: only res and data (fd and size on the enter) */
	struct sp re[] = { sp_u64(9), sp_u32(4096) };
	struct sp rx[] = { sp_u64(5), sp_buf("hello", 5) };
	int64_t v;

	start();
	ev(T0, 100, OPENAT_E, 4, e);
	ev(T0 + 1, 100, OPENAT_X, 1, x);
	ev(T0 + 2, 100, READ_E, 2, re);
	ev(T0 + 3, 100, READ_X, 2, rx);
	/* the oldest procexit: no parameters */
	ev(T0 + 4, 100, PROCEXIT_E, 0, NULL);
	convert(&o);
	r = conv_find(&o, "openat", 0);
	ck_assert_ptr_nonnull(r);
	ck_assert(fint(r, "res", &v) && v == 9);
	ck_assert(fint(r, "dirfd", &v) && v == -100);
	ck_assert(fvar_is(r, "name", "rel/path"));
	ck_assert(fint(r, "flags", &v) && v == 02);
	ck_assert(fint(r, "mode", &v) && v == 0600);
	r = conv_find(&o, "read", 0);
	ck_assert(fint(r, "fd", &v) && v == 9);
	ck_assert(fint(r, "size", &v) && v == 4096);
	ck_assert(fvar_is(r, "data", "hello"));
	r = conv_find(&o, "procexit", 0);
	ck_assert_ptr_nonnull(r);
	ck_assert(!fint(r, "status", &v));
	ck_assert_uint_eq(o.rep->merged, 2);
	conv_out_free(&o);
}
END_TEST

START_TEST(test_a_generic_syscall_takes_its_number_from_the_enter)
{
	struct conv_out o;
	const struct kcap_hdr *r;
	struct sp e[] = { sp_u16(46), sp_u16(98) }; /* getrusage, nr 98 */
	struct sp x[] = { sp_u16(46) };
	int64_t v;

	start();
	ev(T0, 100, GENERIC_E, 2, e);
	ev(T0 + 1, 100, GENERIC_X, 1, x);
	convert(&o);
	r = conv_find(&o, "syscall", 0);
	ck_assert_ptr_nonnull(r);
	ck_assert(fint(r, "nr", &v) && v == 98);
	/* the legacy generic exit holds no result */
	ck_assert(!fint(r, "res", &v));
	ck_assert_uint_eq(o.rep->merged, 1);
	conv_out_free(&o);
}
END_TEST

START_TEST(test_connect_addresses_become_kernel_sockaddrs)
{
	struct conv_out o;
	const struct kcap_hdr *r;
	/* family 2, 10.0.0.1:40000 -> 93.184.216.34:80 */
	uint8_t tuple[13] = { 2,  10,  0,   0,	1,  0x40, 0x9c,
			      93, 184, 216, 34, 80, 0 };
	uint8_t addr[7] = { 2, 93, 184, 216, 34, 80, 0 };
	struct sp e[] = { sp_u64(4), sp_buf(addr, 7) };
	struct sp x[] = { sp_u64(0), sp_buf(tuple, 13) };
	const uint8_t *p;
	size_t len;
	int64_t v;

	start();
	ev(T0, 100, CONNECT_E, 2, e);
	ev(T0 + 1, 100, CONNECT_X, 2, x);
	convert(&o);
	r = conv_find(&o, "connect", 0);
	ck_assert(fint(r, "fd", &v) && v == 4);
	ck_assert(fvar(r, "raddr", &p, &len));
	ck_assert_uint_eq(len, 16);
	ck_assert(p[0] == 2 && p[1] == 0); /* AF_INET, little-endian */
	ck_assert(p[2] == 0 && p[3] == 80); /* port in network order */
	ck_assert(p[4] == 93 && p[7] == 34);
	ck_assert(fvar(r, "laddr", &p, &len));
	ck_assert(p[2] == 0x9c && p[3] == 0x40 && p[4] == 10);
	ck_assert(fvar(r, "addr", &p, &len) && len == 16 && p[3] == 80);
	conv_out_free(&o);
}
END_TEST

/*
 * What the legacy enter alone carries is kept: sendto's and sendmsg's
 * socket tuple (their legacy exits have only res and data), dup's old fd;
 * and the values of other shapes: poll's fd list (events from the enter,
 * revents from the exit), bpf's and ptrace's PT_DYN integers.
 */
START_TEST(test_arguments_only_the_enter_or_a_dyn_param_holds_are_kept)
{
	struct conv_out o;
	const struct kcap_hdr *r;
	/* family 2, 10.0.0.1:1111 -> 10.0.0.2:53 */
	uint8_t tuple[13] = { 2, 10, 0, 0, 1, 0x57, 0x04, 10, 0, 0, 2, 53, 0 };
	/* two fds: 3 asks POLLIN|POLLRDHUP and gets POLLIN; 7 asks POLLOUT */
	uint8_t fe[22] = { 2, 0, 3, 0, 0, 0, 0, 0, 0, 0, 9,
			   0, 7, 0, 0, 0, 0, 0, 0, 0, 4, 0 };
	/* the exit lists only the fds that got something */
	uint8_t fx[12] = { 1, 0, 3, 0, 0, 0, 0, 0, 0, 0, 1, 0 };
	/* PT_DYN: index 1 (PPM_BPF_IDX_FD), then the fd */
	uint8_t dyn[9] = { 1, 9, 0, 0, 0, 0, 0, 0, 0 };
	uint8_t daddr[9] = { 0, 0x00, 0x10, 0, 0, 0, 0, 0, 0 };
	uint8_t ddata[2] = { 1, 9 }; /* a signal: one byte */
	struct sp se[] = { sp_u64(5), sp_u32(2), sp_buf(tuple, 13) };
	struct sp sx[] = { sp_u64(2), sp_buf("hi", 2) };
	struct sp de[] = { sp_u64(3) };
	struct sp dx[] = { sp_u64(8) };
	struct sp pe[] = { sp_buf(fe, 22), sp_u64(100) };
	struct sp px[] = { sp_u64(1), sp_buf(fx, 12), sp_u64(100) };
	struct sp be[] = { sp_u64(0) };
	struct sp bx[] = { sp_buf(dyn, 9) };
	struct sp tx[] = { sp_u64(0), sp_buf(daddr, 9), sp_buf(ddata, 2) };
	const uint8_t *p;
	size_t len;
	int64_t v;
	int32_t fd;
	int16_t evs, rev;

	start();
	ev(T0, 100, 30, 3, se); /* PPME_SOCKET_SENDTO_E */
	ev(T0 + 1, 100, 31, 2, sx);
	ev(T0 + 2, 100, 48, 3, se); /* PPME_SOCKET_SENDMSG_E */
	ev(T0 + 3, 100, 49, 2, sx);
	ev(T0 + 4, 100, 124, 1, de); /* PPME_SYSCALL_DUP_E */
	ev(T0 + 5, 100, 125, 1, dx);
	ev(T0 + 6, 100, 80, 2, pe); /* PPME_SYSCALL_POLL_E */
	ev(T0 + 7, 100, 81, 3, px);
	ev(T0 + 8, 100, 296, 1, be); /* PPME_SYSCALL_BPF_E */
	ev(T0 + 9, 100, 297, 1, bx);
	ev(T0 + 10, 100, 169, 3, tx); /* PPME_SYSCALL_PTRACE_X, alone */
	convert(&o);
	for (int k = 0; k < 2; k++) {
		r = conv_find(&o, k ? "sendmsg" : "sendto", 0);
		ck_assert_ptr_nonnull(r);
		ck_assert(fvar(r, "raddr", &p, &len) && len == 16);
		ck_assert(p[2] == 0 && p[3] == 53 && p[4] == 10 && p[7] == 2);
		ck_assert(fvar(r, "laddr", &p, &len) && len == 16);
		ck_assert(p[2] == 0x04 && p[3] == 0x57 && p[7] == 1);
	}
	r = conv_find(&o, "dup", 0);
	ck_assert(fint(r, "oldfd", &v) && v == 3);
	ck_assert(fint(r, "res", &v) && v == 8);
	r = conv_find(&o, "poll", 0);
	ck_assert(fvar(r, "fds", &p, &len));
	ck_assert_uint_eq(len, 16);
	memcpy(&fd, p, 4);
	memcpy(&evs, p + 4, 2);
	memcpy(&rev, p + 6, 2);
	ck_assert(fd == 3 && evs == (0x1 | 0x2000) && rev == 0x1);
	memcpy(&fd, p + 8, 4);
	memcpy(&evs, p + 12, 2);
	memcpy(&rev, p + 14, 2);
	ck_assert(fd == 7 && evs == 0x4 && rev == 0);
	r = conv_find(&o, "bpf", 0);
	ck_assert(fint(r, "res", &v) && v == 9);
	r = conv_find(&o, "ptrace", 0);
	ck_assert(fint(r, "addr", &v) && v == 0x1000);
	ck_assert(fint(r, "data", &v) && v == 9);
	conv_out_free(&o);
}
END_TEST

START_TEST(test_drop_events_become_loss_blocks)
{
	struct conv_out o;
	const struct kcap_hdr *r;
	struct sp d[] = { sp_u32(2) };
	int64_t v;
	int i;

	start();
	scapw_ev(&w, SW_EV_V2, 1, 0, T0, 1, DROP_E, 1, d);
	scapw_ev(&w, SW_EV_V2, 1, 0, T0 + 1000, 1, DROP_X, 1, d);
	convert(&o);
	r = conv_find(&o, "loss", 0);
	ck_assert_ptr_nonnull(r);
	for (i = 0; i < o.n; i++)
		if (o.recs[i] == r)
			break;
	ck_assert_int_eq(o.blk[i], KCAP_BLOCK_LOSS);
	ck_assert_uint_eq(r->ts, T0);
	ck_assert(fint(r, "end_ts", &v) && (uint64_t)v == T0 + 1000);
	ck_assert(fint(r, "cpu", &v) && v == 1);
	ck_assert(fint(r, "reason", &v) && v == KCAP_LOSS_SOURCE);
	/* the legacy drop events do not say how many: unknown, not 0 */
	ck_assert(!fint(r, "count", &v));
	ck_assert_uint_eq(o.rep->loss_records, 1);
	conv_out_free(&o);
}
END_TEST

START_TEST(test_events_that_are_not_syscalls_are_counted_not_converted)
{
	struct conv_out o;
	struct sp p[] = { sp_u64(1), sp_u64(2) };

	start();
	ev(T0, 100, PROCINFO_E, 2, p);
	convert(&o);
	ck_assert_int_eq(o.n, 0);
	ck_assert_uint_eq(o.rep->dropped, 1);
	ck_assert_uint_eq(o.rep->types[PROCINFO_E].dropped_unsupported, 1);
	conv_out_free(&o);
}
END_TEST

START_TEST(test_large_payload_and_unknown_events_are_read_and_counted)
{
	struct conv_out o;
	char json[70000];

	memset(json, 'j', sizeof(json) - 1);
	json[sizeof(json) - 1] = 0;
	start();
	/* CONTAINER_JSON_2_E: u32 parameter lengths, in a LARGE block */
	scapw_ev(&w, SW_EV_V2_LARGE, 0, 0, T0, 100, 324, 1,
		 (struct sp[]){ sp_str(json) });
	/* an event code newer than the legacy table */
	ev(T0 + 1, 100, 1000, 1, (struct sp[]){ sp_u64(1) });
	open_exit(T0 + 2, 100, 3);
	convert(&o);
	ck_assert_uint_eq(o.rep->types[324].read, 1);
	ck_assert_uint_eq(o.rep->types[324].dropped_unsupported, 1);
	ck_assert_uint_eq(o.rep->types[324].dropped_bad, 0);
	ck_assert_uint_eq(o.rep->unknown_type, 1);
	ck_assert_uint_eq(o.rep->dropped, 2);
	ck_assert_int_eq(conv_count(&o, "open"), 1);
	conv_out_free(&o);
}
END_TEST

START_TEST(test_an_enter_left_by_an_exiting_thread_is_not_stale)
{
	struct conv_out o;
	/* exit_group(0): a generic enter that never returns */
	struct sp e[] = { sp_u16(0), sp_u16(231) };
	struct sp p[] = { sp_u64(0), sp_u64(0), sp_u8(0), sp_u8(0), sp_u64(1) };

	start();
	ev(T0, 100, GENERIC_E, 2, e);
	ev(T0 + 1, 100, PROCEXIT_1_E, 5, p);
	/* the tid comes back as a new thread */
	open_enter(T0 + 2, 100, "/new");
	open_exit(T0 + 3, 100, 3);
	convert(&o);
	ck_assert_uint_eq(o.rep->stale_enter, 0);
	ck_assert_uint_eq(o.rep->pending_at_end, 1);
	ck_assert_uint_eq(o.rep->merged, 1);
	conv_out_free(&o);
}
END_TEST

START_TEST(test_procexit_converts_alone)
{
	struct conv_out o;
	const struct kcap_hdr *r;
	struct sp p[] = { sp_u64(0x100), sp_u64(1), sp_u8(0), sp_u8(0),
			  sp_u64(1) };
	int64_t v;

	start();
	ev(T0, 100, PROCEXIT_1_E, 5, p);
	convert(&o);
	r = conv_find(&o, "procexit", 0);
	ck_assert(fint(r, "status", &v) && v == 0x100);
	ck_assert(fint(r, "ret", &v) && v == 1);
	ck_assert(fint(r, "reaper_tid", &v) && v == 1);
	ck_assert(!fint(r, "tgid", &v));
	conv_out_free(&o);
}
END_TEST

START_TEST(test_a_parameter_of_the_wrong_length_leaves_the_field_unknown)
{
	struct conv_out o;
	const struct kcap_hdr *r;
	/* flags in 3 bytes: no legacy type has that size */
	struct sp e[] = { sp_str("/x"), sp_buf("\1\0\0", 3), sp_u32(0) };
	int64_t v;

	start();
	ev(T0, 100, OPEN_E, 3, e);
	open_exit(T0 + 1, 100, 3);
	convert(&o);
	r = conv_find(&o, "open", 0);
	ck_assert(!fint(r, "flags", &v));
	ck_assert(fint(r, "mode", &v) && v == 0);
	ck_assert_uint_eq(o.rep->types[OPEN_X].malformed, 1);
	conv_out_free(&o);
}
END_TEST

START_TEST(test_legacy_flag_encodings_become_the_kernels)
{
	/* clone(CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD) */
	uint32_t ppm_clone = 1u << 15 | 1u << 1 | 1u << 0 | 1u << 11 | 1u << 13;
	struct conv_out o;
	const struct kcap_hdr *r;
	struct sp cx[21];
	int64_t v;

	exit_params(cx, 21);
	cx[15] = sp_u32(ppm_clone); /* CLONE_20_X: flags is param 15 */
	start();
	ev(T0, 100, 223, 21, cx);
	/* fcntl(fd, F_SETFL) and mmap(MAP_PRIVATE|MAP_ANONYMOUS) */
	ev(T0 + 1, 100, 150, 2, (struct sp[]){ sp_u64(3), sp_u8(5) });
	ev(T0 + 2, 100, 151, 1, (struct sp[]){ sp_u64(0) });
	ev(T0 + 3, 100, 160, 6,
	   (struct sp[]){ sp_u64(0), sp_u64(4096), sp_u32(3),
			  sp_u32(1u << 1 | 1u << 3), sp_u64((uint64_t)-1),
			  sp_u64(0) });
	ev(T0 + 4, 100, 161, 4,
	   (struct sp[]){ sp_u64(0x7f0000000000), sp_u32(1), sp_u32(1),
			  sp_u32(0) });
	convert(&o);
	r = conv_find(&o, "clone", 0);
	ck_assert(fint(r, "flags", &v) &&
		  v == (0x100 | 0x200 | 0x400 | 0x800 | 0x10000));
	r = conv_find(&o, "fcntl", 0);
	ck_assert(fint(r, "cmd", &v) && v == 4); /* F_SETFL */
	r = conv_find(&o, "mmap", 0);
	ck_assert(fint(r, "flags", &v) && v == (0x02 | 0x20));
	ck_assert(fint(r, "prot", &v) && v == 3); /* same bits */
	ck_assert(fint(r, "length", &v) && v == 4096);
	conv_out_free(&o);
}
END_TEST

START_TEST(test_an_exit_only_capture_of_newer_libs_converts)
{
	/*
	 * libs >= 0.22 write no enter events but those of open, openat,
	 * openat2, creat and connect, and exits with every argument.
	 */
	struct conv_out o;
	const struct kcap_hdr *r;
	int64_t v;

	start();
	ev(T0, 100, READ_X, 4,
	   (struct sp[]){ sp_u64(3), sp_buf("abc", 3), sp_u64(7),
			  sp_u32(100) });
	open_enter(T0 + 1, 100, "/tmp/f");
	ev(T0 + 2, 100, OPEN_X, 6,
	   (struct sp[]){ sp_u64(5), sp_str("/tmp/f"),
			  sp_u32(PPM_O_RDWR | PPM_O_CREAT), sp_u32(0644),
			  sp_u32(0x803), sp_u64(99) });
	ev(T0 + 3, 100, CLOSE_X, 2, (struct sp[]){ sp_u64(0), sp_u64(5) });
	convert(&o);
	r = conv_find(&o, "read", 0);
	ck_assert(fint(r, "fd", &v) && v == 7);
	ck_assert(fint(r, "size", &v) && v == 100);
	ck_assert(fvar_is(r, "data", "abc"));
	r = conv_find(&o, "open", 0);
	ck_assert(fint(r, "ino", &v) && v == 99);
	r = conv_find(&o, "close", 0);
	ck_assert(fint(r, "fd", &v) && v == 5);
	ck_assert_uint_eq(o.rep->no_enter, 0);
	ck_assert_uint_eq(o.rep->stale_enter, 0);
	ck_assert_uint_eq(o.rep->merged, 1);
	conv_out_free(&o);
}
END_TEST

START_TEST(test_maximum_sizes_are_kept_or_cut_and_reported)
{
	struct conv_out o;
	const struct kcap_hdr *r;
	/* the largest legacy param (u16 length), more than a kcap record */
	uint32_t big = 65535 - 26 - 4 - 8;
	uint8_t *data = malloc(big);
	struct sp we[] = { sp_u64(1), sp_u32(big) };
	struct sp wx[] = { sp_u64(big), sp_buf(data, big) };
	struct sp wx2[] = { sp_u64(60000), sp_buf(data, 60000) };
	const uint8_t *p;
	size_t len;
	int64_t v;

	memset(data, 'x', big);
	start();
	ev(T0, 100, WRITE_E, 2, we);
	/* a block over 64 KiB must be of a LARGE type */
	scapw_ev(&w, SW_EV_V2_LARGE, 0, 0, T0 + 1, 100, WRITE_X, 2, wx);
	ev(T0 + 2, 100, WRITE_E, 2, we);
	ev(T0 + 3, 100, WRITE_X, 2, wx2);
	convert(&o);
	ck_assert_int_eq(conv_count(&o, "write"), 2);
	r = conv_find(&o, "write", 0);
	ck_assert(fint(r, "res", &v) && v == big);
	ck_assert(fvar(r, "data", &p, &len));
	ck_assert_uint_lt(len, big); /* cut to fit... */
	ck_assert_uint_gt(len, 65000);
	ck_assert_uint_le(r->len, KCAP_REC_MAX);
	ck_assert_uint_ge(o.rep->problems_total, 1); /* ...and said so */
	r = conv_find(&o, "write", 1);
	ck_assert(fvar(r, "data", &p, &len) && len == 60000);
	conv_out_free(&o);
	free(data);
}
END_TEST

static int var_cut(const struct kcap_hdr *r, const char *field)
{
	const struct kcap_event_desc *d =
		kcap_schema__event(kcap_schema__builtin(), r->type);

	return kcap_field__var_cut(kcap_event_desc__field(d, field), r);
}

/*
 * A value cut to fit a kcap record is marked cut (FORMAT.md, "Cut
 * values"): a path ends with a NUL that readers leave out, a list does
 * not end with one; values that fit are not marked.
 */
START_TEST(test_values_cut_to_fit_a_record_are_marked_cut)
{
	const size_t big = 65500, exe_len = 30000, args_len = 40000;
	char *path = malloc(big + 1), *exe = malloc(exe_len + 1);
	uint8_t *args = malloc(args_len);
	struct sp x[] = { sp_u64(3), sp_empty(), sp_u32(1),
			  sp_u32(0), sp_u32(0),	 sp_u64(7) };
	struct sp ex[30];
	struct conv_out o;
	const struct kcap_hdr *r;
	const uint8_t *p;
	size_t len, i;

	memset(path, 'p', big);
	path[big] = 0;
	memcpy(exe, path, exe_len);
	exe[exe_len] = 0;
	/* empty strings after the first: the cut falls after a NUL */
	for (i = 0; i < args_len; i++)
		args[i] = i ? 0 : 'a';
	x[1] = sp_str(path);
	exit_params(ex, 30);
	ex[1] = sp_str(exe);
	ex[2] = sp_buf(args, args_len);
	start();
	scapw_ev(&w, SW_EV_V2_LARGE, 0, 0, T0, 100, OPEN_X, 6, x);
	scapw_ev(&w, SW_EV_V2_LARGE, 0, 0, T0 + 1, 100, 293, 30, ex);
	x[1] = sp_str("/short");
	ev(T0 + 2, 100, OPEN_X, 6, x);
	convert(&o);
	r = conv_find(&o, "open", 0);
	ck_assert(fvar(r, "name", &p, &len));
	ck_assert_uint_gt(len, 60000);
	ck_assert_uint_lt(len, big);
	ck_assert(!memcmp(p, path, len));
	ck_assert_int_eq(var_cut(r, "name"), 1);
	r = conv_find(&o, "execve", 0);
	ck_assert(fvar(r, "argv", &p, &len));
	ck_assert_uint_gt(len, exe_len + 1);
	ck_assert(!memcmp(p, exe, exe_len + 1) &&
		  !memcmp(p + exe_len + 1, args, len - exe_len - 1));
	ck_assert_int_eq(var_cut(r, "argv"), 1);
	ck_assert_uint_ge(o.rep->problems_total, 2);
	r = conv_find(&o, "open", 1);
	ck_assert_int_eq(var_cut(r, "name"), 0);
	conv_out_free(&o);
	free(path);
	free(exe);
	free(args);
}
END_TEST

/*
 * dur, which every syscall event ends with, is the time from the enter to
 * the exit of a merged pair: the converter's, not a row's.
 */
START_TEST(test_a_merged_pair_lasts_from_its_enter_to_its_exit)
{
	struct conv_out o;
	const struct kcap_hdr *r;
	struct sp re[] = { sp_u64(9), sp_u32(4096) };
	struct sp rx[] = { sp_u64(5), sp_buf("hello", 5) };
	int64_t v;

	start();
	open_enter(T0, 100, "/etc/passwd");
	open_exit(T0 + 1234, 100, 3);
	/* an enter and an exit with the same time took no time at all */
	ev(T0 + 2000, 100, READ_E, 2, re);
	ev(T0 + 2000, 100, READ_X, 2, rx);
	convert(&o);
	r = conv_find(&o, "open", 0);
	ck_assert_uint_eq(r->ts, T0 + 1234);
	ck_assert_msg(fint(r, "dur", &v) && v == 1234, "%s", ftext(r));
	r = conv_find(&o, "read", 0);
	ck_assert_msg(fint(r, "dur", &v) && v == 0, "%s", ftext(r));
	ck_assert_uint_eq(o.rep->merged, 2);
	conv_out_free(&o);
}
END_TEST

START_TEST(test_an_exit_without_its_enter_has_an_unknown_duration)
{
	struct conv_out o;
	const struct kcap_hdr *r;
	struct sp ce[] = { sp_u64(7) };
	int64_t v;

	start();
	/* an exit alone, an old shape and a full one of newer libs */
	open_exit(T0, 100, 3);
	ev(T0 + 1, 100, READ_X, 4,
	   (struct sp[]){ sp_u64(3), sp_buf("abc", 3), sp_u64(7),
			  sp_u32(100) });
	/* an enter of another type is no start for this exit's time */
	ev(T0 + 2, 200, CLOSE_E, 1, ce);
	open_exit(T0 + 10, 200, 4);
	/* nor is one the capture's previous section left */
	open_enter(T0 + 20, 300, "/a");
	scapw_shb(&w, 1, 2);
	open_exit(T0 + 30, 300, 5);
	convert(&o);
	ck_assert_int_eq(conv_count(&o, "open"), 3);
	r = conv_find(&o, "open", 0);
	ck_assert_msg(!fint(r, "dur", &v), "%s", ftext(r));
	ck_assert_uint_eq(v, KCAP_UNKNOWN_u64); /* the schema's unknown */
	r = conv_find(&o, "read", 0);
	ck_assert_msg(!fint(r, "dur", &v), "%s", ftext(r));
	r = conv_find(&o, "open", 1);
	ck_assert_uint_eq(r->tid, 200);
	ck_assert_msg(!fint(r, "dur", &v), "%s", ftext(r));
	r = conv_find(&o, "open", 2);
	ck_assert_uint_eq(r->tid, 300);
	ck_assert_msg(!fint(r, "dur", &v), "%s", ftext(r));
	ck_assert_uint_eq(o.rep->merged, 0);
	conv_out_free(&o);
}
END_TEST

START_TEST(test_an_exit_earlier_than_its_enter_has_an_unknown_duration)
{
	struct conv_out o;
	const struct kcap_hdr *r;
	int64_t v;

	start();
	/*
	 * Times of two CPUs whose clocks differ: the pair still merges. (1 ns
	 * earlier would make the unknown value, all ones, by accident.)
	 */
	open_enter(T0 + 1000, 100, "/etc/passwd");
	open_exit(T0 + 10, 100, 3);
	convert(&o);
	r = conv_find(&o, "open", 0);
	ck_assert(fvar_is(r, "name", "/etc/passwd"));
	ck_assert_msg(!fint(r, "dur", &v), "%s", ftext(r));
	ck_assert_uint_eq(o.rep->merged, 1);
	conv_out_free(&o);
}
END_TEST

/* A syscall kcap has no event of its own: `syscall`, with its number. */
START_TEST(test_a_generic_syscall_lasts_from_its_enter_to_its_exit)
{
	struct conv_out o;
	const struct kcap_hdr *r;
	struct sp e[] = { sp_u16(46), sp_u16(98) }; /* getrusage, nr 98 */
	struct sp x[] = { sp_u16(46) };
	int64_t v;

	start();
	ev(T0, 100, GENERIC_E, 2, e);
	ev(T0 + 777, 100, GENERIC_X, 1, x);
	ev(T0 + 1000, 100, GENERIC_X, 1, x); /* its enter was not seen */
	convert(&o);
	ck_assert_int_eq(conv_count(&o, "syscall"), 2);
	r = conv_find(&o, "syscall", 0);
	ck_assert(fint(r, "nr", &v) && v == 98);
	ck_assert_msg(fint(r, "dur", &v) && v == 777, "%s", ftext(r));
	r = conv_find(&o, "syscall", 1);
	ck_assert_msg(!fint(r, "dur", &v), "%s", ftext(r));
	conv_out_free(&o);
}
END_TEST

/*
 * A drop between an enter and an exit may have taken the enter's own exit
 * and the exit's own enter: the pair still merges (as before drops were
 * looked at), but its duration would be made up, so it stays unknown.
 */
START_TEST(test_a_pair_a_drop_came_between_has_an_unknown_duration)
{
	struct conv_out o;
	const struct kcap_hdr *r;
	struct sp d[] = { sp_u32(2) };
	int64_t v;

	start();
	open_enter(T0, 100, "/a");
	/* on another CPU: the thread may have moved there */
	scapw_ev(&w, SW_EV_V2, 1, 0, T0 + 100, 2, DROP_E, 1, d);
	scapw_ev(&w, SW_EV_V2, 1, 0, T0 + 200, 2, DROP_X, 1, d);
	open_exit(T0 + 300, 100, 3);
	/* a pair after the drop is timed */
	open_enter(T0 + 400, 100, "/b");
	open_exit(T0 + 450, 100, 4);
	convert(&o);
	r = conv_find(&o, "open", 0);
	ck_assert_msg(!fint(r, "dur", &v), "%s", ftext(r));
	r = conv_find(&o, "open", 1);
	ck_assert_msg(fint(r, "dur", &v) && v == 50, "%s", ftext(r));
	conv_out_free(&o);
}
END_TEST

/*
 * Every legacy enter and exit pair, k: whatever the row, the syscall
 * event it becomes lasts k + 1 ns, or is unknown when the legacy table
 * has no enter for it (an exit-only event).
 */
START_TEST(test_every_row_of_a_syscall_times_its_merged_pair)
{
	const struct kcap_schema *s = kcap_schema__builtin();
	struct conv_out o;
	int k, i, timed = 0, alone = 0;
	int64_t v;

	start();
	for (k = 0; kcap_scap__event_name(2 * k + 1); k++) {
		uint64_t at = T0 + (uint64_t)k * 1000;

		ev(at, 1000 + k, (uint16_t)(2 * k), 0, NULL);
		ev(at + k + 1, 1000 + k, (uint16_t)(2 * k + 1), 0, NULL);
	}
	convert(&o);
	ck_assert_int_eq(o.rep->err, 0);
	for (i = 0; i < o.n; i++) {
		const struct kcap_hdr *r = o.recs[i];
		const struct kcap_event_desc *d =
			kcap_schema__event(s, r->type);

		if (!(d->flags & KCAP_EF_SYSCALL))
			continue;
		k = (int)r->tid - 1000;
		if (!strcmp(kcap_scap__event_name(2 * k), "NA")) {
			ck_assert_msg(!fint(r, "dur", &v), "%s", ftext(r));
			alone++;
			continue;
		}
		ck_assert_msg(fint(r, "dur", &v) && v == k + 1,
			      "legacy %d (%s), %s: %s", 2 * k + 1,
			      kcap_scap__event_name(2 * k + 1), d->name,
			      ftext(r));
		timed++;
	}
	ck_assert_int_eq(timed, o.rep->merged);
	ck_assert_int_gt(timed, 150);
	ck_assert_int_ge(alone, 1);
	conv_out_free(&o);
}
END_TEST

START_TEST(test_every_table_row_names_real_kcap_fields)
{
	/* the table resolves against the schema when a conversion starts */
	struct conv_out o;

	start();
	convert(&o);
	ck_assert_int_eq(o.rep->err, 0);
	conv_out_free(&o);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("convert_table");
	TCase *tc = tcase_create("rules");

	tcase_add_test(tc, test_an_enter_and_its_exit_merge_into_one_event);
	tcase_add_test(tc, test_legacy_device_numbers_become_the_kernels);
	tcase_add_test(
		tc,
		test_an_exit_without_its_enter_converts_with_unknown_fields);
	tcase_add_test(
		tc,
		test_a_stale_enter_of_another_type_is_discarded_and_counted);
	tcase_add_test(tc, test_a_second_enter_on_a_thread_discards_the_first);
	tcase_add_test(tc, test_interleaved_threads_pair_by_thread);
	tcase_add_test(tc, test_a_full_exit_needs_no_enter);
	tcase_add_test(tc, test_old_event_shapes_map_through_the_same_table);
	tcase_add_test(tc,
		       test_a_generic_syscall_takes_its_number_from_the_enter);
	tcase_add_test(tc, test_connect_addresses_become_kernel_sockaddrs);
	tcase_add_test(
		tc,
		test_arguments_only_the_enter_or_a_dyn_param_holds_are_kept);
	tcase_add_test(tc, test_drop_events_become_loss_blocks);
	tcase_add_test(tc,
		       test_a_pair_a_drop_came_between_has_an_unknown_duration);
	tcase_add_test(
		tc,
		test_events_that_are_not_syscalls_are_counted_not_converted);
	tcase_add_test(
		tc, test_large_payload_and_unknown_events_are_read_and_counted);
	tcase_add_test(tc,
		       test_an_enter_left_by_an_exiting_thread_is_not_stale);
	tcase_add_test(tc, test_procexit_converts_alone);
	tcase_add_test(
		tc,
		test_a_parameter_of_the_wrong_length_leaves_the_field_unknown);
	tcase_add_test(tc, test_legacy_flag_encodings_become_the_kernels);
	tcase_add_test(tc, test_an_exit_only_capture_of_newer_libs_converts);
	tcase_add_test(tc, test_maximum_sizes_are_kept_or_cut_and_reported);
	tcase_add_test(tc, test_values_cut_to_fit_a_record_are_marked_cut);
	tcase_add_test(tc, test_a_merged_pair_lasts_from_its_enter_to_its_exit);
	tcase_add_test(tc,
		       test_an_exit_without_its_enter_has_an_unknown_duration);
	tcase_add_test(
		tc,
		test_an_exit_earlier_than_its_enter_has_an_unknown_duration);
	tcase_add_test(tc,
		       test_a_generic_syscall_lasts_from_its_enter_to_its_exit);
	tcase_add_test(tc, test_every_row_of_a_syscall_times_its_merged_pair);
	tcase_add_test(tc, test_every_table_row_names_real_kcap_fields);
	suite_add_tcase(s, tc);
	return kcap_check_run(s);
}
