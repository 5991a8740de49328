// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Whole legacy files: written by the test writer (plain and gzip, v1 and
 * v2 event blocks, several sections, damaged ones) and the real captures
 * in ../shared/fixtures/scap, converted and checked field by field.
 */
#include <check.h>
#include <errno.h>
#include <jansson.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "convtest.h"
#include "../checkrun.h"

#define T0 1600000000000000000ull
#define NEV 50 /* open pairs per section */

static const struct sw_proc procs[] = {
	{ 1, 1, 0, "systemd", "/sbin/init", "/usr/lib/systemd/systemd",
	  "splash", "/", "cpu=/", "/", 0, 0 },
	{ 500, 500, 1, "bash", "-bash", "/usr/bin/bash", NULL, "/home/u",
	  "cpu=/user.slice\nmemory=/user.slice", "/", 1000, 1000 },
	{ 501, 500, 1, "bash", "-bash", "/usr/bin/bash", NULL, "/home/u", NULL,
	  "/", 1000, 1000 },
};

static const struct sw_fd fds[] = {
	{ 3, 77, 16, 1 | (1 << 12), "/var/log/syslog", { 0 }, { 0 }, 0, 0 },
	{ 4, 78, 3, 0, NULL, { 10, 0, 0, 1 }, { 10, 0, 0, 2 }, 5555, 443 },
};

/* Whether this build's schema has the field (convert-format.patch). */
static bool has_field(const char *ev, const char *field)
{
	const struct kcap_event_desc *d =
		kcap_schema__event_by_name(kcap_schema__builtin(), ev);

	return d && kcap_event_desc__field(d, field);
}

/*
 * A capture: per section, SHB, MI, a PL_V9, an FDL_V2, then NEV open
 * pairs on alternating threads, in the given kind of event block.
 */
static void write_capture(struct scapw *w, int sections, int kind)
{
	int s, i;

	scapw_init(w);
	for (s = 0; s < sections; s++) {
		scapw_shb(w, 1, kind == SW_EV_V1 ? 0 : 2);
		scapw_mi(w, 4, 8ull << 30, "testhost", T0 - 1000000000);
		scapw_pl9(w, procs, 3);
		scapw_fdl2(w, 500, fds, 2);
		for (i = 0; i < NEV; i++) {
			char path[64];
			uint64_t tid = 500 + (uint64_t)(i % 2);
			uint64_t ts =
				T0 + (uint64_t)s * 1000000 + (uint64_t)i * 10;
			struct sp e[3], x[1];

			snprintf(path, sizeof(path), "/s%d/file%d", s, i);
			e[0] = sp_str(path);
			e[1] = sp_u32(1); /* PPM_O_RDONLY */
			e[2] = sp_u32((uint32_t)i);
			x[0] = sp_u64((uint64_t)(i + 3));
			scapw_ev(w, kind, (uint16_t)(i % 4), 0, ts, tid, 2, 3,
				 e);
			scapw_ev(w, kind, (uint16_t)(i % 4), 0, ts + 5, tid, 3,
				 1, x);
		}
	}
}

/* Checks a conversion of write_capture() field by field. */
static void check_capture(const struct conv_out *o, int sections)
{
	int s, i, nmachine = 0, nsnap = 0;
	int64_t v;

	ck_assert_int_eq(o->ret, 0);
	ck_assert_int_eq(o->rep->err, 0);
	ck_assert_uint_eq(o->rep->sections, sections);
	ck_assert_uint_eq(o->rep->events_read, 2 * NEV * sections);
	ck_assert_uint_eq(o->rep->merged, NEV * sections);
	ck_assert_uint_eq(
		o->rep->no_enter + o->rep->stale_enter + o->rep->dropped, 0);
	ck_assert_int_eq(conv_count(o, "open"), NEV * sections);
	for (s = 0; s < sections; s++) {
		for (i = 0; i < NEV; i++) {
			const struct kcap_hdr *r =
				conv_find(o, "open", s * NEV + i);
			char path[64];

			snprintf(path, sizeof(path), "/s%d/file%d", s, i);
			ck_assert_uint_eq(r->ts, T0 + (uint64_t)s * 1000000 +
							 (uint64_t)i * 10 + 5);
			ck_assert_uint_eq(r->tid, 500 + (i % 2));
			ck_assert_msg(fvar_is(r, "name", path), "%s", ftext(r));
			ck_assert(fint(r, "res", &v) && v == i + 3);
			ck_assert(fint(r, "flags", &v) && v == 0);
			ck_assert(fint(r, "mode", &v) && v == i);
			ck_assert(!fint(r, "dev", &v));
		}
	}
	for (i = 0; i < o->n; i++) {
		nmachine += o->blk[i] == KCAP_BLOCK_MACHINE;
		nsnap += o->blk[i] == KCAP_BLOCK_SNAPSHOT;
	}
	ck_assert_int_eq(nmachine, sections);
	ck_assert_int_eq(conv_count(o, "snap_proc"), 3 * sections);
	ck_assert_int_eq(conv_count(o, "snap_fd"), 2 * sections);
	ck_assert_int_eq(nsnap, 5 * sections);
}

START_TEST(test_a_plain_v2_capture_converts_field_by_field)
{
	struct scapw w;
	struct conv_out o;

	write_capture(&w, 1, SW_EV_V2);
	conv_mem(w.buf, w.len, KCAP_CODEC_ZSTD, &o);
	check_capture(&o, 1);
	ck_assert(!o.rep->gzip);
	conv_out_free(&o);
	scapw_free(&w);
}
END_TEST

START_TEST(test_a_gzip_capture_converts_the_same_as_plain)
{
	struct scapw w;
	struct conv_out o;
	uint8_t *gz;
	size_t len;

	write_capture(&w, 1, SW_EV_V2);
	gz = scapw_gzip(&w, &len);
	conv_mem(gz, len, KCAP_CODEC_LZ4, &o);
	check_capture(&o, 1);
	ck_assert(o.rep->gzip);
	ck_assert_uint_eq(o.rep->bytes_in, w.len);
	conv_out_free(&o);
	free(gz);
	scapw_free(&w);
}
END_TEST

/*
 * A gzip'd capture that lost its end (the CRC-32 and length of its last
 * member, or part of them) converts every block, and says it could not be
 * checked: damage, not a clean end. From memory, and from a file (whose
 * inflating runs in a thread of its own).
 */
START_TEST(test_a_gzip_capture_without_its_trailer_is_damage)
{
	static const size_t cuts[] = { 8, 4, 1 };
	const char *path = "/tmp/kcap-convtest-notrailer.scap";
	struct scapw w;
	struct conv_out o;
	uint8_t *gz;
	size_t len, i;

	write_capture(&w, 1, SW_EV_V2);
	gz = scapw_gzip(&w, &len);
	for (i = 0; i < 2 * sizeof(cuts) / sizeof(cuts[0]); i++) {
		size_t cut = cuts[i / 2];

		if (i % 2 == 0) {
			conv_mem(gz, len - cut, KCAP_CODEC_LZ4, &o);
		} else {
			FILE *f = fopen(path, "w");

			ck_assert_ptr_nonnull(f);
			ck_assert_uint_eq(fwrite(gz, 1, len - cut, f),
					  len - cut);
			fclose(f);
			conv_path(path, &o);
			unlink(path);
		}
		ck_assert_msg(o.ret == -EBADMSG, "cut %zu: %d", cut, o.ret);
		ck_assert_msg(strstr(o.rep->err_msg, "gzip stream is corrupt "
						     "(cut short"),
			      "%s", o.rep->err_msg);
		ck_assert_uint_eq(o.rep->err_offset, w.len);
		ck_assert_int_eq(conv_count(&o, "open"), NEV);
		conv_out_free(&o);
	}
	free(gz);
	scapw_free(&w);
}
END_TEST

START_TEST(test_v1_event_blocks_derive_their_parameter_count)
{
	struct scapw w;
	struct conv_out o;

	write_capture(&w, 1, SW_EV_V1);
	conv_mem(w.buf, w.len, KCAP_CODEC_NONE, &o);
	check_capture(&o, 1);
	conv_out_free(&o);
	scapw_free(&w);
}
END_TEST

START_TEST(test_evf_blocks_with_flags_convert)
{
	struct scapw w;
	struct conv_out o;

	write_capture(&w, 1, SW_EVF_V2);
	conv_mem(w.buf, w.len, KCAP_CODEC_NONE, &o);
	check_capture(&o, 1);
	conv_out_free(&o);
	scapw_free(&w);
}
END_TEST

START_TEST(test_several_sections_convert_with_a_snapshot_each)
{
	struct scapw w;
	struct conv_out o;
	uint8_t *gz;
	size_t len;

	write_capture(&w, 3, SW_EV_V2_LARGE);
	gz = scapw_gzip(&w, &len);
	conv_mem(gz, len, KCAP_CODEC_ZSTD, &o);
	check_capture(&o, 3);
	conv_out_free(&o);
	free(gz);
	scapw_free(&w);
}
END_TEST

START_TEST(test_an_enter_does_not_pair_across_sections)
{
	struct scapw w;
	struct conv_out o;
	const struct kcap_hdr *r;
	int64_t v;

	scapw_init(&w);
	scapw_shb(&w, 1, 2);
	scapw_ev(&w, SW_EV_V2, 0, 0, T0, 500, 2, 3,
		 (struct sp[]){ sp_str("/first"), sp_u32(1), sp_u32(0) });
	scapw_shb(&w, 1, 2);
	scapw_ev(&w, SW_EV_V2, 0, 0, T0 + 10, 500, 3, 1,
		 (struct sp[]){ sp_u64(3) });
	conv_mem(w.buf, w.len, KCAP_CODEC_NONE, &o);
	ck_assert_int_eq(o.ret, 0);
	ck_assert_uint_eq(o.rep->sections, 2);
	ck_assert_uint_eq(o.rep->pending_at_end, 1);
	ck_assert_uint_eq(o.rep->merged, 0);
	ck_assert_uint_eq(o.rep->no_enter, 1);
	r = conv_find(&o, "open", 0);
	ck_assert(fint(r, "res", &v) && v == 3);
	ck_assert_int_eq(fvar_is(r, "name", "/first"), 0);
	conv_out_free(&o);
	scapw_free(&w);
}
END_TEST

START_TEST(test_process_and_fd_lists_become_a_snapshot)
{
	struct scapw w;
	struct conv_out o;
	const struct kcap_hdr *r;
	const uint8_t *p;
	size_t len;
	int64_t v;

	write_capture(&w, 1, SW_EV_V2);
	conv_mem(w.buf, w.len, KCAP_CODEC_ZSTD, &o);
	r = conv_find(&o, "snap_proc", 1);
	ck_assert_uint_eq(r->tid, 500);
	ck_assert_uint_eq(r->ts, T0 + 5 - 5); /* the first event's time */
	ck_assert(fint(r, "tgid", &v) && v == 500);
	ck_assert(fint(r, "ppid", &v) && v == 1);
	ck_assert(fint(r, "pgid", &v) && v == 500);
	ck_assert(fint(r, "euid", &v) && v == 1000);
	ck_assert(fvar_is(r, "comm", "bash"));
	ck_assert(fvar_is(r, "exe", "/usr/bin/bash"));
	/* lists end with a NUL (FORMAT.md): one without would read as cut */
	ck_assert(fvar(r, "argv", &p, &len));
	ck_assert(len == 6 && !memcmp(p, "-bash", 6));
	ck_assert(fvar_is(r, "cwd", "/home/u"));
	ck_assert(fvar(r, "cgroups", &p, &len));
	ck_assert_uint_eq(len,
			  strlen("cpu=/user.slice\nmemory=/user.slice") + 1);
	ck_assert(!memcmp(p, "cpu=/user.slice\0memory=/user.slice", len));
	r = conv_find(&o, "snap_proc", 0);
	ck_assert(fvar(r, "argv", &p, &len));
	ck_assert(len == 18 && !memcmp(p, "/sbin/init\0splash", 18));
	if (has_field("snap_proc", "fdlimit")) {
		/* the fields convert-format.patch appends, when applied */
		ck_assert(fint(r, "fdlimit", &v) && v == 1024);
		ck_assert(fint(r, "vm_size", &v) && v == 100);
		ck_assert(fint(r, "pgft_min", &v) && v == 2);
		ck_assert(fint(r, "loginuid", &v) && v == 0);
		ck_assert(fint(r, "vpgid", &v) && v == 1);
		ck_assert(fint(r, "cap_effective", &v) && v == 0);
		ck_assert(fvar(r, "env", &p, &len) && len == 0);
	}
	r = conv_find(&o, "snap_fd", 0);
	ck_assert_uint_eq(r->tid, 500);
	ck_assert(fint(r, "fd", &v) && v == 3);
	ck_assert(fint(r, "ino", &v) && v == 77);
	ck_assert(fint(r, "kind", &v) && v == KCAP_FD_FILE);
	ck_assert(fint(r, "flags", &v) && v == 02000000); /* O_CLOEXEC */
	/* written new_encode_dev()'d as 0x801: 8:1 */
	ck_assert(fint(r, "dev", &v) && v == (8 << 20 | 1));
	ck_assert(fvar_is(r, "path", "/var/log/syslog"));
	r = conv_find(&o, "snap_fd", 1);
	ck_assert(fint(r, "kind", &v) && v == KCAP_FD_SOCK_INET);
	ck_assert(fvar(r, "raddr", &p, &len) && len == 16);
	ck_assert(p[2] == 1 && p[3] == 0xbb && p[4] == 10 && p[7] == 2);
	ck_assert(fvar(r, "laddr", &p, &len) && len == 16);
	ck_assert(p[2] == 0x15 && p[3] == 0xb3 && p[7] == 1);
	if (has_field("snap_fd", "proto"))
		ck_assert(fint(r, "proto", &v) && v == 6); /* TCP */
	r = conv_find(&o, "machine", 0);
	ck_assert(fint(r, "cpus", &v) && v == 4);
	ck_assert(fint(r, "mem_bytes", &v) && v == (8ll << 30));
	ck_assert(fint(r, "boot_wall_ns", &v) &&
		  (uint64_t)v == T0 - 1000000000);
	ck_assert(fvar_is(r, "hostname", "testhost"));
	conv_out_free(&o);
	scapw_free(&w);
}
END_TEST

/* PL_V1 (0x202): the oldest process list, no per-entry length */
static void pl_v1(struct scapw *w)
{
	uint8_t b[256];
	size_t n = 0;

#define PUT(v, sz)                        \
	do {                              \
		uint64_t x_ = (v);        \
		memcpy(b + n, &x_, (sz)); \
		n += (sz);                \
	} while (0)
#define STR(s)                               \
	do {                                 \
		PUT(strlen(s), 2);           \
		memcpy(b + n, s, strlen(s)); \
		n += strlen(s);              \
	} while (0)
	PUT(42, 8); /* tid */
	PUT(41, 8); /* pid */
	PUT(1, 8); /* ptid */
	STR("old");
	STR("/usr/bin/old");
	STR("a1");
	STR("/srv");
	PUT(256, 8); /* fdlimit */
	PUT(0, 4); /* flags */
	PUT(7, 4); /* uid */
	PUT(8, 4); /* gid */
#undef PUT
#undef STR
	scapw_raw(w, 0x202, b, n);
}

START_TEST(test_the_oldest_process_list_converts)
{
	struct scapw w;
	struct conv_out o;
	const struct kcap_hdr *r;
	const uint8_t *p;
	size_t len;
	int64_t v;

	scapw_init(&w);
	scapw_shb(&w, 1, 0);
	pl_v1(&w);
	scapw_ev(&w, SW_EV_V1, 0, 0, T0, 42, 3, 1, (struct sp[]){ sp_u64(3) });
	conv_mem(w.buf, w.len, KCAP_CODEC_NONE, &o);
	ck_assert_int_eq(o.ret, 0);
	r = conv_find(&o, "snap_proc", 0);
	ck_assert_ptr_nonnull(r);
	ck_assert_uint_eq(r->tid, 42);
	ck_assert(fint(r, "tgid", &v) && v == 41);
	ck_assert(fint(r, "euid", &v) && v == 7);
	ck_assert(!fint(r, "sid", &v)); /* not in a v1 list */
	ck_assert(!fint(r, "vpid", &v));
	ck_assert(fvar_is(r, "comm", "old"));
	ck_assert(fvar_is(r, "cwd", "/srv"));
	ck_assert(fvar(r, "argv", &p, &len));
	ck_assert(len == 16 && !memcmp(p, "/usr/bin/old\0a1", 16));
	conv_out_free(&o);
	scapw_free(&w);
}
END_TEST

START_TEST(test_a_bad_interface_list_is_reported_where_it_is)
{
	struct scapw w;
	struct conv_out o;
	/* IL_V2 entry: length 4, type 9 (no such type) */
	uint8_t il[8] = { 4, 0, 0, 0, 9, 0, 0, 0 };
	size_t at;

	write_capture(&w, 1, SW_EV_V2);
	at = w.len;
	scapw_raw(&w, 0x219, il, sizeof(il));
	conv_mem(w.buf, w.len, KCAP_CODEC_NONE, &o);
	ck_assert_int_eq(o.ret, -EBADMSG);
	ck_assert_uint_eq(o.rep->err_offset, at);
	ck_assert_msg(strstr(o.rep->err_msg, "interface list"), "%s",
		      o.rep->err_msg);
	ck_assert_int_eq(conv_count(&o, "open"), NEV);
	conv_out_free(&o);
	scapw_free(&w);
}
END_TEST

START_TEST(test_unknown_blocks_are_skipped_by_length)
{
	struct scapw w;
	struct conv_out o;
	uint8_t junk[37] = { 1, 2, 3 };
	uint8_t *gz;
	size_t len;

	write_capture(&w, 1, SW_EV_V2);
	scapw_raw(&w, 0x7777, junk, sizeof(junk));
	scapw_ev(&w, SW_EV_V2, 0, 0, T0 + 99999999, 9, 3, 1,
		 (struct sp[]){ sp_u64(1) });
	gz = scapw_gzip(&w, &len);
	conv_mem(gz, len, KCAP_CODEC_ZSTD, &o);
	ck_assert_int_eq(o.ret, 0);
	ck_assert_uint_eq(o.rep->skipped_blocks, 1);
	ck_assert_int_eq(conv_count(&o, "open"), NEV + 1);
	conv_out_free(&o);
	free(gz);
	scapw_free(&w);
}
END_TEST

START_TEST(test_a_truncated_capture_converts_everything_before_the_damage)
{
	struct scapw w;
	struct conv_out o;
	size_t whole, cut;
	uint8_t *gz;
	size_t len;

	write_capture(&w, 1, SW_EV_V2);
	whole = w.len;
	/* one more open pair, then cut in the middle of its exit block */
	scapw_ev(&w, SW_EV_V2, 0, 0, T0 + 1000, 700, 2, 3,
		 (struct sp[]){ sp_str("/last"), sp_u32(1), sp_u32(0) });
	cut = w.len;
	scapw_ev(&w, SW_EV_V2, 0, 0, T0 + 1001, 700, 3, 1,
		 (struct sp[]){ sp_u64(3) });
	w.len = cut + 20;
	gz = scapw_gzip(&w, &len);
	conv_mem(gz, len, KCAP_CODEC_ZSTD, &o);
	ck_assert_int_eq(o.ret, -EPIPE);
	ck_assert_int_eq(o.rep->err, -EPIPE);
	ck_assert_uint_eq(o.rep->err_offset, cut);
	ck_assert_msg(strstr(o.rep->err_msg, "truncated inside a block"), "%s",
		      o.rep->err_msg);
	ck_assert_int_eq(conv_count(&o, "open"), NEV);
	ck_assert_uint_eq(o.rep->pending_at_end, 1);
	(void)whole;
	conv_out_free(&o);
	free(gz);
	scapw_free(&w);
}
END_TEST

START_TEST(test_a_block_whose_trailer_differs_is_reported_where_it_is)
{
	struct scapw w;
	struct conv_out o;
	size_t at;

	write_capture(&w, 1, SW_EV_V2);
	at = w.len;
	scapw_ev(&w, SW_EV_V2, 0, 0, T0 + 1000, 700, 3, 1,
		 (struct sp[]){ sp_u64(3) });
	w.buf[w.len - 4] ^= 0x40;
	conv_mem(w.buf, w.len, KCAP_CODEC_NONE, &o);
	ck_assert_int_eq(o.ret, -EBADMSG);
	ck_assert_uint_eq(o.rep->err_offset, at);
	ck_assert_msg(strstr(o.rep->err_msg, "trailing length"), "%s",
		      o.rep->err_msg);
	ck_assert_int_eq(conv_count(&o, "open"), NEV);
	conv_out_free(&o);
	scapw_free(&w);
}
END_TEST

START_TEST(test_an_event_whose_lengths_lie_is_skipped_and_counted)
{
	struct scapw w;
	struct conv_out o;
	unsigned int i;
	size_t at;

	write_capture(&w, 1, SW_EV_V2);
	at = w.len;
	scapw_ev(&w, SW_EV_V2, 0, 0, T0 + 1000, 700, 3, 1,
		 (struct sp[]){ sp_u64(3) });
	/* nparams (after cpu and 22 header bytes) far too large */
	w.buf[at + 8 + 2 + 22] = 200;
	scapw_ev(&w, SW_EV_V2, 0, 0, T0 + 2000, 700, 3, 1,
		 (struct sp[]){ sp_u64(4) });
	conv_mem(w.buf, w.len, KCAP_CODEC_NONE, &o);
	ck_assert_int_eq(o.ret, 0);
	ck_assert_uint_eq(o.rep->types[3].dropped_bad, 1);
	ck_assert_int_eq(conv_count(&o, "open"), NEV + 1);
	for (i = 0; i < o.rep->nproblems; i++)
		if (o.rep->problems[i].offset == at &&
		    strstr(o.rep->problems[i].what, "skipped"))
			break;
	ck_assert_msg(i < o.rep->nproblems, "no problem at offset %zu", at);
	conv_out_free(&o);
	scapw_free(&w);
}
END_TEST

START_TEST(test_a_file_that_is_not_scap_is_refused)
{
	struct conv_out o;
	static const char text[] = "hello, this is not a capture at all\n";

	conv_mem(text, sizeof(text), KCAP_CODEC_NONE, &o);
	ck_assert_int_eq(o.ret, -EBADMSG);
	ck_assert_msg(strstr(o.rep->err_msg, "not a .scap"), "%s",
		      o.rep->err_msg);
	conv_out_free(&o);
}
END_TEST

/* ---- the scap.h API others build on --------------------------------------- */

static char *write_tmp(const void *buf, size_t len)
{
	char *path = strdup("/tmp/kcap-convtest-XXXXXX");
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, buf, len), (ssize_t)len);
	close(fd);
	return path;
}

/*
 * gzip members one after another (pigz, bgzip, cat a.gz b.gz) read as one
 * stream, split anywhere, from a file (the inflating thread's path).
 */
START_TEST(test_concatenated_gzip_members_read_as_one_stream)
{
	struct scapw w, a, b;
	struct conv_out o;
	uint8_t *ga, *gb, *both;
	size_t la, lb;
	char *path;

	write_capture(&w, 2, SW_EV_V2);
	a = (struct scapw){ .buf = w.buf, .len = w.len / 3 };
	b = (struct scapw){ .buf = w.buf + a.len, .len = w.len - a.len };
	ga = scapw_gzip(&a, &la);
	gb = scapw_gzip(&b, &lb);
	both = malloc(la + lb);
	ck_assert_ptr_nonnull(both);
	memcpy(both, ga, la);
	memcpy(both + la, gb, lb);
	path = write_tmp(both, la + lb);
	conv_path(path, &o);
	ck_assert_int_eq(o.ret, 0);
	check_capture(&o, 2);
	ck_assert(o.rep->gzip);
	ck_assert_uint_eq(o.rep->bytes_in, w.len);
	conv_out_free(&o);
	unlink(path);
	free(path);
	free(both);
	free(ga);
	free(gb);
	scapw_free(&w);
}
END_TEST

/*
 * Blocks bigger than the room before an inflated chunk (256 KiB) and than
 * a chunk (1 MiB), among small ones, in a gzip'd file: assembled by
 * copying, then parsing goes back to the chunks.
 */
START_TEST(test_big_blocks_in_a_gzip_file_are_read_whole)
{
	static const size_t sizes[] = { 300 << 10, 3 << 20, 100, 1 << 20 };
	struct scapw w;
	struct conv_out o;
	uint8_t *gz, *junk;
	size_t len, i, j, k;
	char *path;
	int n = 0;

	junk = malloc(3 << 20);
	ck_assert_ptr_nonnull(junk);
	for (i = 0; i < (3 << 20); i++)
		junk[i] = (uint8_t)(i * 2654435761u >> 13);
	write_capture(&w, 1, SW_EV_V2);
	for (k = 0; k < 3; k++) {
		for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
			scapw_raw(&w, 0x7777, junk, sizes[i]);
			/* enough small blocks to cross chunk boundaries */
			for (j = 0; j < 20000; j++, n++)
				scapw_ev(&w, SW_EV_V2, 0, 0,
					 T0 + 99999999 + (uint64_t)n, 9, 3, 1,
					 (struct sp[]){ sp_u64(1) });
		}
	}
	gz = scapw_gzip(&w, &len);
	path = write_tmp(gz, len);
	conv_path(path, &o);
	ck_assert_int_eq(o.ret, 0);
	ck_assert_uint_eq(o.rep->skipped_blocks, 12);
	ck_assert_uint_eq(o.rep->bytes_in, w.len);
	ck_assert_int_eq(conv_count(&o, "open"), NEV + n);
	conv_out_free(&o);
	unlink(path);
	free(path);
	free(gz);
	free(junk);
	scapw_free(&w);
}
END_TEST

/* A wrong CRC-32 in the gzip trailer: everything converts, then it is said. */
START_TEST(test_a_gzip_stream_that_fails_its_check_is_reported)
{
	struct scapw w;
	struct conv_out o;
	uint8_t *gz;
	size_t len;

	write_capture(&w, 1, SW_EV_V2);
	gz = scapw_gzip(&w, &len);
	gz[len - 8] ^= 0x55;
	conv_mem(gz, len, KCAP_CODEC_ZSTD, &o);
	ck_assert_int_eq(o.ret, -EBADMSG);
	ck_assert_msg(strstr(o.rep->err_msg, "gzip stream is corrupt"), "%s",
		      o.rep->err_msg);
	ck_assert_int_eq(conv_count(&o, "open"), NEV);
	conv_out_free(&o);
	free(gz);
	scapw_free(&w);
}
END_TEST

START_TEST(test_the_on_the_fly_reader_reads_a_scap_as_kcap)
{
	struct scapw w;
	struct conv_out o;
	struct kcap_scap_conv *cv;
	struct kcap_reader *r;
	const char *msg;
	uint8_t *gz;
	size_t len;
	char *path;

	write_capture(&w, 2, SW_EV_V2);
	gz = scapw_gzip(&w, &len);
	path = write_tmp(gz, len);
	ck_assert_int_eq(kcap_scap__probe(path), 1);
	r = kcap_scap__open_reader(path, &cv);
	ck_assert_msg(r != NULL, "%s", kcap_last_errmsg());
	memset(&o, 0, sizeof(o));
	conv_read_all(r, &o);
	o.rep = calloc(1, sizeof(*o.rep));
	ck_assert_int_eq(kcap_scap__close_reader(cv, r, &msg), 0);
	ck_assert_int_eq(conv_count(&o, "open"), 2 * NEV);
	ck_assert_int_eq(conv_count(&o, "snap_proc"), 6);
	conv_out_free(&o);
	unlink(path);
	free(path);
	free(gz);
	scapw_free(&w);
}
END_TEST

START_TEST(test_the_on_the_fly_reader_says_where_a_scap_is_damaged)
{
	struct scapw w;
	struct kcap_scap_conv *cv;
	struct kcap_reader *r;
	const struct kcap_hdr *h;
	const char *msg;
	size_t cut;
	char *path;
	int n = 0;

	write_capture(&w, 1, SW_EV_V2);
	cut = w.len;
	scapw_ev(&w, SW_EV_V2, 0, 0, T0 + 1001, 700, 3, 1,
		 (struct sp[]){ sp_u64(3) });
	path = write_tmp(w.buf, cut + 10);
	r = kcap_scap__open_reader(path, &cv);
	ck_assert_ptr_nonnull(r);
	while (kcap_reader__next_record(r, &h) > 0)
		n += 1;
	ck_assert_int_eq(n, NEV + 1 + 5); /* events, machine, snapshot */
	ck_assert_int_eq(kcap_scap__close_reader(cv, r, &msg), -EPIPE);
	ck_assert_msg(strstr(msg, "truncated") && strstr(msg, "offset"), "%s",
		      msg);
	unlink(path);
	free(path);
	scapw_free(&w);
}
END_TEST

START_TEST(test_closing_the_on_the_fly_reader_early_is_clean)
{
	struct scapw w;
	struct kcap_scap_conv *cv;
	struct kcap_reader *r;
	const struct kcap_hdr *h;
	const char *msg;
	char *path;

	write_capture(&w, 40, SW_EV_V2);
	path = write_tmp(w.buf, w.len);
	r = kcap_scap__open_reader(path, &cv);
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(kcap_reader__next_record(r, &h), 1);
	ck_assert_int_eq(kcap_scap__close_reader(cv, r, &msg), 0);
	unlink(path);
	free(path);
	scapw_free(&w);
}
END_TEST

START_TEST(test_probe_tells_scap_from_other_files)
{
	static const char text[] = "not a capture";
	char *path = write_tmp(text, sizeof(text));

	struct kcap_scap_conv *cv = (void *)1;

	ck_assert_int_eq(kcap_scap__probe(path), 0);
	ck_assert_int_eq(kcap_scap__probe("/nonexistent/x.scap"), -ENOENT);
	/* the on-the-fly reader refuses it up front, saying why */
	ck_assert_ptr_null(kcap_scap__open_reader(path, &cv));
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_ptr_null(cv);
	ck_assert_msg(strstr(kcap_last_errmsg(), "not a legacy .scap"), "%s",
		      kcap_last_errmsg());
	unlink(path);
	free(path);
}
END_TEST

/*
 * A capture damaged before its first whole block (a gzip stream that
 * breaks there, a section header cut short) is a .scap that cannot be
 * read, said as such: it was "not a legacy .scap capture", and kcap read
 * then called it "not a kcap file (bad magic)".
 */
START_TEST(test_damage_before_the_first_block_is_told_from_another_format)
{
	struct scapw w;
	uint8_t *gz;
	size_t len;
	char cmd[1024], *path;
	int st;

	write_capture(&w, 1, SW_EV_V2);
	gz = scapw_gzip(&w, &len);
	path = write_tmp(gz, 40); /* the gzip header and a little more */
	ck_assert_int_eq(kcap_scap__probe(path), -EBADMSG);
	ck_assert_msg(strstr(kcap_last_errmsg(), "gzip stream is corrupt"),
		      "%s", kcap_last_errmsg());
	snprintf(cmd, sizeof(cmd), "%s convert %s -w /dev/null 2>/dev/null",
		 KCAP_BIN, path);
	st = system(cmd);
	ck_assert(WIFEXITED(st));
	ck_assert_int_eq(WEXITSTATUS(st), 2);
	snprintf(cmd, sizeof(cmd),
		 "%s read %s 2>&1 | grep -q 'gzip stream is corrupt'", KCAP_BIN,
		 path);
	ck_assert_int_eq(system(cmd), 0);
	unlink(path);
	free(path);
	/* plain: a section header block cut in two */
	path = write_tmp(w.buf, 20);
	ck_assert_int_eq(kcap_scap__probe(path), -EBADMSG);
	ck_assert_msg(strstr(kcap_last_errmsg(), "truncated inside a block"),
		      "%s", kcap_last_errmsg());
	unlink(path);
	free(path);
	free(gz);
	scapw_free(&w);
}
END_TEST

/* ---- the command ------------------------------------------------------------ */

static int run_convert(const char *in, const char *out, const char *report,
		       bool strict)
{
	char cmd[1024];
	int st;

	snprintf(cmd, sizeof(cmd), "%s convert %s -w %s --report %s %s -q",
		 KCAP_BIN, in, out, report, strict ? "--strict" : "");
	st = system(cmd);
	ck_assert(WIFEXITED(st));
	return WEXITSTATUS(st);
}

START_TEST(test_kcap_convert_writes_a_report_and_strict_fails_on_problems)
{
	struct scapw w;
	json_t *j;
	json_error_t jerr;
	char *in;
	char out[] = "/tmp/kcap-convtest-out-XXXXXX";
	char rep[] = "/tmp/kcap-convtest-rep-XXXXXX";
	struct kcap_reader *r;
	struct kcap_block b;
	long events = 0;
	int k;

	close(mkstemp(out));
	close(mkstemp(rep));
	write_capture(&w, 1, SW_EV_V2);
	in = write_tmp(w.buf, w.len);
	ck_assert_int_eq(run_convert(in, out, rep, true), 0);
	/* by default the events are stored in columns (FORMAT.md 5.1) */
	r = kcap_reader__open(out, NULL);
	ck_assert_ptr_nonnull(r);
	while ((k = kcap_reader__next_block(r, &b)) == 1)
		if (b.type == KCAP_BLOCK_EVENTS) {
			ck_assert_int_eq(b.codec, KCAP_CODEC_ZSTD_COLS);
			events += b.count;
		}
	ck_assert_int_eq(k, 0);
	ck_assert_int_eq(events, NEV);
	kcap_reader__close(r);
	j = json_load_file(rep, 0, &jerr);
	ck_assert_msg(j != NULL, "%s", jerr.text);
	ck_assert_int_eq(json_integer_value(json_object_get(j, "merged")), NEV);
	ck_assert(json_is_true(json_object_get(j, "complete")));
	ck_assert_int_eq(
		json_integer_value(json_object_get(
			json_object_get(json_object_get(j, "types"), "3"),
			"converted")),
		NEV);
	json_decref(j);
	unlink(in);
	free(in);

	/* an exit without its enter: fine, but not for --strict */
	scapw_ev(&w, SW_EV_V2, 0, 0, T0 + 99, 900, 3, 1,
		 (struct sp[]){ sp_u64(3) });
	in = write_tmp(w.buf, w.len);
	ck_assert_int_eq(run_convert(in, out, rep, false), 0);
	ck_assert_int_eq(run_convert(in, out, rep, true), 1);
	j = json_load_file(rep, 0, &jerr);
	ck_assert_ptr_nonnull(j);
	ck_assert_int_eq(
		json_integer_value(json_object_get(j, "exits_without_enter")),
		1);
	ck_assert_int_ge(json_array_size(json_object_get(j, "problems")), 1);
	json_decref(j);
	unlink(in);
	free(in);
	unlink(out);
	unlink(rep);
	scapw_free(&w);
}
END_TEST

/*
 * Past a file size limit (ulimit -f), SIGXFSZ would kill kcap convert
 * without a word: it says the write failed, and why.
 */
START_TEST(test_kcap_convert_past_a_file_size_limit_says_so)
{
	struct scapw w;
	char *in;
	char out[] = "/tmp/kcap-convtest-fsize-XXXXXX";
	char cmd[1024], msg[1024];
	size_t n;
	FILE *f;
	int st;

	close(mkstemp(out));
	write_capture(&w, 1, SW_EV_V2);
	in = write_tmp(w.buf, w.len);
	snprintf(cmd, sizeof(cmd),
		 "ulimit -f 1; exec %s convert %s -w %s -q 2>&1", KCAP_BIN, in,
		 out);
	/* at its default, as most shells give it, whatever runs the tests */
	signal(SIGXFSZ, SIG_DFL);
	f = popen(cmd, "r");
	ck_assert_ptr_nonnull(f);
	n = fread(msg, 1, sizeof(msg) - 1, f);
	msg[n] = 0;
	st = pclose(f);
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 1, "%#x: %s", st,
		      msg);
	ck_assert_msg(strstr(msg, "File too large"), "%s", msg);
	unlink(in);
	unlink(out);
	free(in);
	scapw_free(&w);
}
END_TEST

START_TEST(test_kcap_convert_refuses_what_is_not_scap_before_writing)
{
	static const char text[] = "plain text, no capture";
	char *in = write_tmp(text, sizeof(text));
	char out[] = "/tmp/kcap-convtest-none-XXXXXX";
	char cmd[1024];
	int st;

	close(mkstemp(out));
	unlink(out);
	snprintf(cmd, sizeof(cmd), "%s convert %s -w %s 2>/dev/null", KCAP_BIN,
		 in, out);
	st = system(cmd);
	ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 1);
	ck_assert_int_ne(access(out, F_OK), 0);
	unlink(in);
	free(in);
}
END_TEST

/* Runs `kcap convert ARGS -q`, its stderr into msg; returns the exit status. */
static int convert_cmd(char *msg, size_t cap, const char *fmt, ...)
{
	char args[2048], cmd[4096];
	va_list ap;
	FILE *p;
	size_t n;
	int st;

	va_start(ap, fmt);
	vsnprintf(args, sizeof(args), fmt, ap);
	va_end(ap);
	snprintf(cmd, sizeof(cmd), "%s convert %s -q 2>&1 >/dev/null", KCAP_BIN,
		 args);
	p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	n = fread(msg, 1, cap - 1, p);
	msg[n] = 0;
	st = pclose(p);
	ck_assert(WIFEXITED(st));
	return WEXITSTATUS(st);
}

static bool same_bytes(const char *path, const void *buf, size_t len)
{
	struct stat st;
	char *got;
	bool same;
	FILE *f;

	if (stat(path, &st) || (size_t)st.st_size != len)
		return false;
	got = malloc(len + 1);
	f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	same = fread(got, 1, len + 1, f) == len && !memcmp(got, buf, len);
	fclose(f);
	free(got);
	return same;
}

/*
 * The output and the report are emptied when opened: neither may be the
 * input, under any name, nor each other. The input stays as it was.
 */
START_TEST(test_kcap_convert_will_not_write_over_its_input)
{
	char dir[] = "/tmp/kcap-convtest-same-XXXXXX", msg[4096];
	struct scapw w;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	write_capture(&w, 1, SW_EV_V2);
	{
		char in[512];
		FILE *f;

		snprintf(in, sizeof(in), "%s/in.scap", dir);
		f = fopen(in, "w");
		ck_assert_ptr_nonnull(f);
		ck_assert_int_eq(fwrite(w.buf, 1, w.len, f), w.len);
		fclose(f);
	}
	{
		char ln[512];

		snprintf(ln, sizeof(ln), "%s/link.scap", dir);
		ck_assert_int_eq(symlink("in.scap", ln), 0);
	}
	ck_assert_int_eq(convert_cmd(msg, sizeof(msg),
				     "%s/in.scap -w %s/in.scap", dir, dir),
			 1);
	ck_assert_msg(strstr(msg, "same file"), "%s", msg);
	ck_assert_int_eq(convert_cmd(msg, sizeof(msg),
				     "%s/in.scap -w %s/./link.scap", dir, dir),
			 1);
	ck_assert_int_eq(convert_cmd(msg, sizeof(msg),
				     "%s/in.scap -w %s/o.kcap -r %s/link.scap",
				     dir, dir, dir),
			 1);
	{
		char in[512];

		snprintf(in, sizeof(in), "%s/in.scap", dir);
		ck_assert(same_bytes(in, w.buf, w.len));
	}
	/*
	 * The report onto the output: refused, and nothing is left that
	 * the run made.
	 */
	ck_assert_int_eq(convert_cmd(msg, sizeof(msg),
				     "%s/in.scap -w %s/o.kcap -r %s/o.kcap",
				     dir, dir, dir),
			 1);
	ck_assert_msg(strstr(msg, "same file"), "%s", msg);
	{
		char o[600];

		snprintf(o, sizeof(o), "%s/o.kcap", dir);
		ck_assert_int_ne(access(o, F_OK), 0);
	}
	/* both to standard output would mix them */
	/* a usage error: 1, as for read, cut and info (2: damaged input) */
	ck_assert_int_eq(
		convert_cmd(msg, sizeof(msg), "%s/in.scap -w - -r -", dir), 1);
	ck_assert_msg(strstr(msg, "standard output"), "%s", msg);
	{
		char cmd[1200];

		snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
		ck_assert_int_eq(system(cmd), 0);
	}
	scapw_free(&w);
}
END_TEST

/*
 * pcapng starts with the same section header block as .scap; the blocks
 * after it are not scap's, and a conversion would be empty.
 */
START_TEST(test_kcap_convert_refuses_a_pcapng_capture)
{
	static const uint32_t pcapng[] = {
		/* SHB: type, length, byte-order magic, 1.0, no section size */
		0x0A0D0D0A,
		28,
		0x1A2B3C4D,
		0x00000001,
		0xffffffff,
		0xffffffff,
		28,
		/* IDB: Ethernet, snaplen 262144 */
		1,
		20,
		1,
		262144,
		20,
	};
	char *in = write_tmp(pcapng, sizeof(pcapng)), msg[4096];
	char out[] = "/tmp/kcap-convtest-pcapng-XXXXXX";

	close(mkstemp(out));
	unlink(out);
	ck_assert_int_eq(convert_cmd(msg, sizeof(msg), "%s -w %s", in, out), 1);
	ck_assert_msg(strstr(msg, "not a legacy .scap"), "%s", msg);
	ck_assert_int_ne(access(out, F_OK), 0);
	unlink(in);
	free(in);
}
END_TEST

/*
 * A capture cut short converts up to the damage and says so in its exit
 * status, as kcap read does: 2, not 0 (1 with --strict).
 */
START_TEST(test_kcap_convert_exits_2_on_a_capture_cut_short)
{
	char out[] = "/tmp/kcap-convtest-cut-XXXXXX", msg[4096];
	struct scapw w;
	char *in;

	close(mkstemp(out));
	write_capture(&w, 1, SW_EV_V2);
	in = write_tmp(w.buf, w.len - 3);
	ck_assert_int_eq(convert_cmd(msg, sizeof(msg), "%s -w %s", in, out), 2);
	ck_assert_int_eq(
		convert_cmd(msg, sizeof(msg), "%s -w %s --strict", in, out), 1);
	unlink(in);
	free(in);
	in = write_tmp(w.buf, w.len);
	ck_assert_int_eq(convert_cmd(msg, sizeof(msg), "%s -w %s", in, out), 0);
	unlink(in);
	free(in);
	unlink(out);
	scapw_free(&w);
}
END_TEST

/* ---- the real captures ------------------------------------------------------ */

static bool fixture(const char *name, char *path, size_t n)
{
	struct stat st;

	snprintf(path, n, "%s/%s", KCAP_SCAP_FIXTURES, name);
	if (stat(path, &st)) {
		fprintf(stderr,
			"SKIP: %s is absent (the legacy captures live in "
			"../shared/fixtures/scap)\n",
			path);
		return false;
	}
	return true;
}

/* A real capture converts with no errors at all. */
static void no_errors(const struct conv_out *o)
{
	unsigned int i;

	ck_assert_int_eq(o->ret, 0);
	ck_assert_int_eq(o->rep->err, 0);
	ck_assert_uint_eq(o->rep->no_enter, 0);
	ck_assert_uint_eq(o->rep->stale_enter, 0);
	ck_assert_uint_eq(o->rep->skipped_blocks, 0);
	ck_assert_uint_eq(o->rep->unknown_type, 0);
	for (i = 0; i < KCAP_SCAP_EVENT_MAX; i++) {
		ck_assert_uint_eq(o->rep->types[i].malformed, 0);
		ck_assert_uint_eq(o->rep->types[i].dropped_bad, 0);
		/* what is dropped is only what kcap has no event for */
		ck_assert_uint_eq(o->rep->types[i].dropped,
				  o->rep->types[i].dropped_unsupported);
	}
}

static const struct kcap_hdr *find_connect(const struct conv_out *o,
					   uint32_t tid, uint16_t port)
{
	const struct kcap_hdr *r;
	int i;

	for (i = 0; (r = conv_find(o, "connect", i)); i++) {
		const uint8_t *p;
		size_t len;

		if (r->tid == tid && fvar(r, "raddr", &p, &len) && len >= 4 &&
		    p[2] == port >> 8 && p[3] == (port & 0xff))
			return r;
	}
	return NULL;
}

START_TEST(test_curl_google_converts_with_its_connect_and_process_tree)
{
	static const uint8_t google6[16] = { 0x26, 0x07, 0xf8, 0xb0, 0x40, 0x04,
					     0x08, 0x02, 0,    0,    0,	   0,
					     0,	   0,	 0x20, 0x04 };
	static const char *names[] = { "curl_google.scap",
				       "curl_google_comments.scap" };
	char path[512];
	int k;

	for (k = 0; k < 2; k++) {
		struct conv_out o;
		const struct kcap_hdr *r;
		const uint8_t *p;
		size_t len;
		int64_t v;

		if (!fixture(names[k], path, sizeof(path)))
			return;
		ck_assert_int_eq(kcap_scap__probe(path), 1);
		conv_path(path, &o);
		no_errors(&o);
		ck_assert(o.rep->gzip);
		ck_assert_uint_eq(o.rep->events_read, 1536);
		ck_assert_uint_gt(o.rep->merged, 500);
		/* curl was exec'd by bash 3200 with its arguments */
		r = conv_find(&o, "execve", 0);
		ck_assert_uint_eq(r->tid, 17497);
		ck_assert(fint(r, "res", &v) && v == 0);
		ck_assert(fint(r, "ppid", &v) && v == 3200);
		ck_assert(fvar(r, "argv", &p, &len));
		ck_assert(len == 30 &&
			  !memcmp(p, "curl\0-6\0http://www.google.com", 30));
		ck_assert(fvar_is(r, "comm", "curl"));
		ck_assert(fvar_is(r, "cwd", "/home/ubuntu"));
		/* its resolver thread 17498 is a clone in process 17497 */
		r = conv_find(&o, "clone", 1);
		ck_assert_uint_eq(r->tid, 17498);
		ck_assert(fint(r, "res", &v) && v == 0);
		ck_assert(fint(r, "tgid", &v) && v == 17497);
		ck_assert(fint(r, "child_tid", &v) && v == 17498);
		ck_assert(fint(r, "child_pid", &v) && v == 17497);
		r = conv_find(&o, "clone", 0);
		ck_assert_uint_eq(r->tid, 17497);
		ck_assert(fint(r, "res", &v) && v == 17498);
		/* a thread (CLONE_THREAD): the child joins process 17497 */
		ck_assert(fint(r, "flags", &v) && (v & 0x10000));
		ck_assert(fint(r, "child_tid", &v) && v == 17498);
		ck_assert(fint(r, "child_pid", &v) && v == 17497);
		/* the snapshot knows bash 3200 under sshd */
		ck_assert_int_eq(conv_count(&o, "snap_proc"), 54);
		/* DNS to 2001:4860:4860::8888 port 53 from the thread */
		r = find_connect(&o, 17498, 53);
		ck_assert_ptr_nonnull(r);
		ck_assert(fint(r, "res", &v) && v == 0);
		/* then HTTP to www.google.com's IPv6 address, port 80 */
		r = find_connect(&o, 17497, 80);
		ck_assert_ptr_nonnull(r);
		ck_assert(fint(r, "fd", &v) && v == 4);
		ck_assert(fint(r, "res", &v) && v == -115); /* EINPROGRESS */
		ck_assert(fvar(r, "raddr", &p, &len) && len == 28);
		ck_assert(p[0] == 10 && !memcmp(p + 8, google6, 16));
		ck_assert(fvar(r, "laddr", &p, &len) && len == 28);
		ck_assert(p[2] == 37140 >> 8 && p[3] == (37140 & 0xff));
		/* the request it sent */
		r = conv_find(&o, "sendto", 1);
		ck_assert(fvar(r, "data", &p, &len));
		ck_assert(len >= 14 && !memcmp(p, "GET / HTTP/1.1", 14));
		/* and both threads of process 17497 exited */
		ck_assert_int_eq(conv_count(&o, "procexit"), 2);
		r = conv_find(&o, "procexit", 0);
		ck_assert_uint_eq(r->tid, 17498);
		ck_assert(fint(r, "tgid", &v) && v == 17497);
		r = conv_find(&o, "procexit", 1);
		ck_assert_uint_eq(r->tid, 17497);
		ck_assert(fint(r, "tgid", &v) && v == 17497);
		conv_out_free(&o);
	}
}
END_TEST

START_TEST(test_single_ipv6_conn_converts_its_accept_and_connect)
{
	static const uint8_t srv[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0,
					 0,    0,    0,	   0,	 0, 0, 0, 3 };
	char path[512];
	struct conv_out o;
	const struct kcap_hdr *r;
	const uint8_t *p;
	size_t len;
	int64_t v;

	if (!fixture("single_ipv6_conn.scap", path, sizeof(path)))
		return;
	conv_path(path, &o);
	no_errors(&o);
	r = conv_find(&o, "accept", 0);
	ck_assert_ptr_nonnull(r);
	ck_assert_uint_eq(r->tid, 25886);
	ck_assert(fint(r, "res", &v) && v == 4);
	ck_assert(fvar(r, "laddr", &p, &len) && len == 28);
	ck_assert(!memcmp(p + 8, srv, 16) && p[2] == 1234 >> 8 &&
		  p[3] == (1234 & 0xff));
	r = find_connect(&o, 25888, 1234);
	ck_assert_ptr_nonnull(r);
	ck_assert(fvar(r, "raddr", &p, &len) && !memcmp(p + 8, srv, 16));
	r = conv_find(&o, "write", 0);
	ck_assert(fvar_is(r, "data", "this is a test\n"));
	r = conv_find(&o, "read", 0);
	ck_assert_uint_eq(r->tid, 25886);
	ck_assert(fvar_is(r, "data", "this is a test\n"));
	conv_out_free(&o);
}
END_TEST

START_TEST(test_test_ipv6_client_converts_with_zero_errors)
{
	char path[512];
	struct conv_out o;

	if (!fixture("test_ipv6_client.scap", path, sizeof(path)))
		return;
	conv_path(path, &o);
	no_errors(&o);
	ck_assert_uint_eq(o.rep->events_read, 326);
	ck_assert_int_ge(conv_count(&o, "connect"), 1);
	conv_out_free(&o);
}
END_TEST

/*
 * Every merged syscall of the real captures is timed (its dur known, and
 * within the capture's span); those converted without their enter are not:
 * the execve each capture but single_ipv6_conn starts inside of, and the
 * clone that returns in curl's new thread, which never entered it.
 */
START_TEST(test_real_captures_time_each_merged_syscall)
{
	static const struct {
		const char *name;
		int untimed;
	} caps[] = { { "curl_google.scap", 2 },
		     { "curl_google_comments.scap", 2 },
		     { "single_ipv6_conn.scap", 0 },
		     { "test_ipv6_client.scap", 1 } };
	const struct kcap_schema *s = kcap_schema__builtin();
	char path[512];
	size_t k;

	for (k = 0; k < sizeof(caps) / sizeof(caps[0]); k++) {
		struct conv_out o;
		const struct kcap_hdr *r;
		uint64_t first = UINT64_MAX, last = 0;
		int i, timed = 0, untimed = 0;
		int64_t v;

		if (!fixture(caps[k].name, path, sizeof(path)))
			return;
		conv_path(path, &o);
		no_errors(&o);
		for (i = 0; i < o.n; i++) {
			r = o.recs[i];
			if (r->ts && r->ts < first)
				first = r->ts;
			if (r->ts > last)
				last = r->ts;
		}
		for (i = 0; i < o.n; i++) {
			const struct kcap_event_desc *d;

			r = o.recs[i];
			d = kcap_schema__event(s, r->type);
			if (!(d->flags & KCAP_EF_SYSCALL))
				continue;
			if (!fint(r, "dur", &v)) {
				untimed++;
				continue;
			}
			ck_assert_msg((uint64_t)v <= last - first, "%s: %s",
				      caps[k].name, ftext(r));
			timed++;
		}
		ck_assert_int_eq(timed, o.rep->merged);
		ck_assert_int_gt(timed, 10);
		ck_assert_int_eq(untimed, caps[k].untimed);
		if (!strncmp(caps[k].name, "curl_google", 11)) {
			/* the dynamic loader's first look for its config */
			r = conv_find(&o, "access", 0);
			ck_assert(fvar_is(r, "name", "/etc/ld.so.nohwcap"));
			ck_assert_msg(fint(r, "dur", &v) && v == 3435, "%s",
				      ftext(r));
		}
		conv_out_free(&o);
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("convert_files");
	TCase *tc = tcase_create("files");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_a_plain_v2_capture_converts_field_by_field);
	tcase_add_test(tc, test_a_gzip_capture_converts_the_same_as_plain);
	tcase_add_test(tc, test_a_gzip_capture_without_its_trailer_is_damage);
	tcase_add_test(tc, test_v1_event_blocks_derive_their_parameter_count);
	tcase_add_test(tc, test_evf_blocks_with_flags_convert);
	tcase_add_test(tc, test_several_sections_convert_with_a_snapshot_each);
	tcase_add_test(tc, test_an_enter_does_not_pair_across_sections);
	tcase_add_test(tc, test_process_and_fd_lists_become_a_snapshot);
	tcase_add_test(tc, test_the_oldest_process_list_converts);
	tcase_add_test(tc, test_a_bad_interface_list_is_reported_where_it_is);
	tcase_add_test(tc, test_unknown_blocks_are_skipped_by_length);
	tcase_add_test(
		tc,
		test_a_truncated_capture_converts_everything_before_the_damage);
	tcase_add_test(
		tc, test_a_block_whose_trailer_differs_is_reported_where_it_is);
	tcase_add_test(tc,
		       test_an_event_whose_lengths_lie_is_skipped_and_counted);
	tcase_add_test(tc, test_a_file_that_is_not_scap_is_refused);
	tcase_add_test(tc, test_concatenated_gzip_members_read_as_one_stream);
	tcase_add_test(tc, test_a_gzip_stream_that_fails_its_check_is_reported);
	tcase_add_test(tc, test_big_blocks_in_a_gzip_file_are_read_whole);
	tcase_add_test(tc, test_the_on_the_fly_reader_reads_a_scap_as_kcap);
	tcase_add_test(tc,
		       test_the_on_the_fly_reader_says_where_a_scap_is_damaged);
	tcase_add_test(tc, test_closing_the_on_the_fly_reader_early_is_clean);
	tcase_add_test(tc, test_probe_tells_scap_from_other_files);
	tcase_add_test(
		tc,
		test_damage_before_the_first_block_is_told_from_another_format);
	tcase_add_test(
		tc,
		test_kcap_convert_writes_a_report_and_strict_fails_on_problems);
	tcase_add_test(
		tc,
		test_curl_google_converts_with_its_connect_and_process_tree);
	tcase_add_test(tc,
		       test_single_ipv6_conn_converts_its_accept_and_connect);
	tcase_add_test(tc, test_test_ipv6_client_converts_with_zero_errors);
	tcase_add_test(tc, test_real_captures_time_each_merged_syscall);
	tcase_add_test(
		tc, test_kcap_convert_refuses_what_is_not_scap_before_writing);
	tcase_add_test(tc, test_kcap_convert_will_not_write_over_its_input);
	tcase_add_test(tc, test_kcap_convert_refuses_a_pcapng_capture);
	tcase_add_test(tc, test_kcap_convert_exits_2_on_a_capture_cut_short);
	tcase_add_test(tc, test_kcap_convert_past_a_file_size_limit_says_so);
	suite_add_tcase(s, tc);
	return kcap_check_run(s);
}
