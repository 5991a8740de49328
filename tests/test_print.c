// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Text and JSON forms of events, generated from the schema. */
#include <jansson.h>

#include "internal.h"
#include "names.h"
#include "testutil.h"
#include "checkrun.h"

#define F(ev, field) offsetof(struct kcap_ev_##ev, field)

static const struct kcap_schema *S(void)
{
	return kcap_schema__builtin();
}

static char *text(const void *rec, unsigned int flags)
{
	static struct kcap_buf b;

	b.len = 0;
	ck_assert_int_eq(kcap_event__print_text(&b, S(), rec, flags), 0);
	return b.data;
}

static char *json(const void *rec)
{
	static struct kcap_buf b;

	b.len = 0;
	ck_assert_int_eq(kcap_event__print_json(&b, S(), rec), 0);
	return b.data;
}

START_TEST(json_of_random_events_of_every_type_is_valid_and_complete)
{
	static uint8_t rec[KCAP_REC_MAX] __attribute__((aligned(8)));
	struct synth s;
	int i;

	synth_init(&s, 99, 1);
	for (i = 0; i < 20000; i++) {
		const struct kcap_event_desc *d;
		json_error_t err;
		json_t *o;
		char *js;
		unsigned int f;

		synth_random(&s, rec);
		d = kcap_schema__event(S(), kcap_le16(rec));
		js = json(rec);
		o = json_loads(js, JSON_DECODE_INT_AS_REAL | JSON_ALLOW_NUL,
			       &err);
		if (!o)
			fprintf(stderr, "invalid JSON: %s\n", js);
		ck_assert_msg(o, "invalid JSON (%s) for %s at column %d",
			      err.text, d->name, err.column);
		ck_assert_str_eq(json_string_value(json_object_get(o, "type")),
				 d->name);
		ck_assert(json_is_number(json_object_get(o, "ts")));
		ck_assert(json_is_number(json_object_get(o, "tid")));
		for (f = 0; f < d->nfields; f++)
			ck_assert_msg(json_object_get(o, d->fields[f].name),
				      "%s lacks %s", d->name,
				      d->fields[f].name);
		json_decref(o);
		/* and the text form never contains a raw newline */
		ck_assert_ptr_null(strchr(text(rec, 0), '\n'));
	}
}
END_TEST

START_TEST(json_strings_are_valid_for_any_bytes)
{
	struct kcap_buf b = { 0 };
	static const uint8_t in[] = { 'a',  '"',  '\\', '\n', 0x01, 0xc3, 0xa9,
				      0xff, 0xe2, 0x82, 0xac, 0xed, 0xa0, 0x80,
				      0xf0, 0x9f, 0x98, 0x80, 0xc0, 0xaf };
	json_t *o;
	json_error_t err;

	kcap_buf__json_str(&b, in, sizeof(in));
	/* é, € and the emoji pass; 0xff, a surrogate and an overlong do not */
	ck_assert_str_eq(b.data,
			 "\"a\\\"\\\\\\n\\u0001\xc3\xa9\\u00ff\xe2\x82\xac"
			 "\\u00ed\\u00a0\\u0080\xf0\x9f\x98\x80\\u00c0"
			 "\\u00af\"");
	o = json_loads(b.data, JSON_DECODE_ANY | JSON_ALLOW_NUL, &err);
	ck_assert_msg(o, "%s", err.text);
	json_decref(o);
	kcap_buf__free(&b);
}
END_TEST

START_TEST(an_openat_event_prints_as_one_readable_line)
{
	static uint8_t rec[256] __attribute__((aligned(8)));
	struct kcap_builder b;
	struct kcap_ev_openat *e =
		kcap_builder__start(&b, rec, sizeof(rec), S(), KCAP_EV_openat,
				    4242, 1795460564123456789ull);

	e->res = 3;
	e->dirfd = -100;
	e->flags = 0x80000;
	e->mode = 0;
	e->dev = (8u << 20) | 1;
	e->ino = 1234;
	kcap_builder__var(&b, F(openat, name), "/etc/passwd", 11);
	kcap_builder__finish(&b);
	ck_assert_str_eq(text(rec, 0),
			 "2026-11-23T19:02:44.123456789Z 4242 openat ino=1234 "
			 "dirfd=AT_FDCWD name=\"/etc/passwd\" flags=O_RDONLY|"
			 "O_CLOEXEC mode=0 dev=8:1 = 3");
	e->res = -2;
	ck_assert_str_eq(
		text(rec, KCAP_PRINT_NO_TS),
		"4242 openat ino=1234 dirfd=AT_FDCWD name=\"/etc/passwd\" "
		"flags=O_RDONLY|O_CLOEXEC mode=0 dev=8:1 = -2 ENOENT");
	ck_assert_str_eq(json(rec),
			 "{\"type\":\"openat\",\"ts\":1795460564123456789,"
			 "\"tid\":4242,\"res\":-2,\"ino\":1234,\"dirfd\":-100,"
			 "\"name\":\"/etc/passwd\",\"flags\":524288,\"mode\":0,"
			 "\"dev\":8388609,\"dur\":null}");
}
END_TEST

START_TEST(unknown_values_are_left_out_of_text_and_null_in_json)
{
	static uint8_t rec[256] __attribute__((aligned(8)));
	struct kcap_ev_close *e = (void *)rec;

	kcap_record__init(S(), rec, KCAP_EV_close);
	e->hdr.tid = 7;
	e->res = 0;
	ck_assert_str_eq(text(rec, KCAP_PRINT_NO_TS), "7 close = 0");
	ck_assert_str_eq(json(rec), "{\"type\":\"close\",\"ts\":0,\"tid\":7,"
				    "\"res\":0,\"fd\":null,\"dur\":null}");
}
END_TEST

/*
 * What -T measured: text shows it as other durations are, in seconds to
 * the ns, before the result; JSON as the number of ns.
 */
START_TEST(a_known_duration_prints_in_seconds_in_text_and_ns_in_json)
{
	static uint8_t rec[256] __attribute__((aligned(8)));
	struct kcap_ev_close *e = (void *)rec;
	json_error_t err;
	json_t *o;

	kcap_record__init(S(), rec, KCAP_EV_close);
	e->hdr.tid = 7;
	e->res = 0;
	e->fd = 3;
	e->dur = 12345;
	ck_assert_str_eq(text(rec, KCAP_PRINT_NO_TS),
			 "7 close fd=3 dur=0.000012345s = 0");
	ck_assert_str_eq(json(rec), "{\"type\":\"close\",\"ts\":0,\"tid\":7,"
				    "\"res\":0,\"fd\":3,\"dur\":12345}");
	e->dur = 2500000000u;
	ck_assert_str_eq(text(rec, KCAP_PRINT_NO_TS),
			 "7 close fd=3 dur=2.500000000s = 0");
	o = json_loads(json(rec), 0, &err);
	ck_assert_msg(o, "%s", err.text);
	ck_assert(json_is_integer(json_object_get(o, "dur")));
	ck_assert_int_eq(json_integer_value(json_object_get(o, "dur")),
			 2500000000);
	json_decref(o);
}
END_TEST

static void sockaddr_case(const void *sa, size_t len, const char *want_text,
			  const char *want_json)
{
	static uint8_t rec[512] __attribute__((aligned(8)));
	struct kcap_builder b;
	const struct kcap_field_desc *f;
	struct kcap_buf o = { 0 };

	kcap_builder__start(&b, rec, sizeof(rec), S(), KCAP_EV_connect, 1, 0);
	kcap_builder__var(&b, F(connect, raddr), sa, len);
	kcap_builder__finish(&b);
	f = kcap_event_desc__field(kcap_schema__event(S(), KCAP_EV_connect),
				   "raddr");
	kcap_field__print_text(&o, f, rec, 0);
	ck_assert_str_eq(o.data, want_text);
	o.len = 0;
	kcap_field__print_json(&o, f, rec);
	ck_assert_str_eq(o.data, want_json);
	kcap_buf__free(&o);
}

START_TEST(ipv6_addresses_print_as_rfc_5952_says)
{
	static const struct {
		uint16_t g[8];
		const char *text;
	} cases[] = {
		{ { 0, 0, 0, 0, 0, 0, 0, 0 }, "::" },
		{ { 0, 0, 0, 0, 0, 0, 0, 1 }, "::1" },
		{ { 0x2001, 0xdb8, 0, 0, 0, 0, 0, 1 }, "2001:db8::1" },
		/* of two equal runs, the first; a lone zero group stays */
		{ { 0x2001, 0xdb8, 0, 0, 1, 0, 0, 1 }, "2001:db8::1:0:0:1" },
		{ { 0x2001, 0xdb8, 0, 1, 1, 1, 1, 1 }, "2001:db8:0:1:1:1:1:1" },
		{ { 0x2001, 0xdb8, 0, 0, 1, 0, 0, 0 }, "2001:db8:0:0:1::" },
		{ { 0xfe80, 0, 0, 0, 0xabcd, 0xef, 0xa, 0xffff },
		  "fe80::abcd:ef:a:ffff" },
	};
	char out[40];
	uint8_t a[16];
	size_t i, k;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		for (k = 0; k < 8; k++) {
			a[2 * k] = (uint8_t)(cases[i].g[k] >> 8);
			a[2 * k + 1] = (uint8_t)cases[i].g[k];
		}
		ck_assert_uint_eq(kcap_ip6__format(out, a),
				  strlen(cases[i].text));
		ck_assert_str_eq(out, cases[i].text);
	}
}
END_TEST

START_TEST(socket_addresses_print_as_people_write_them)
{
	uint8_t in4[16] = { 2, 0, 0x1f, 0x90, 127, 0, 0, 1 };
	uint8_t in6[28] = { 10, 0, 0x01, 0xbb };
	uint8_t un[20] = { 1,	0,   '/', 'r', 'u', 'n', '/',
			   'x', '.', 's', 'o', 'c', 'k', 0 };
	uint8_t abs[8] = { 1, 0, 0, 'a', 'b', 'c' };

	sockaddr_case(
		in4, sizeof(in4), "127.0.0.1:8080",
		"{\"family\":\"inet\",\"addr\":\"127.0.0.1\",\"port\":8080}");
	in6[8 + 15] = 1; /* ::1 */
	sockaddr_case(in6, sizeof(in6), "[::1]:443",
		      "{\"family\":\"inet6\",\"addr\":\"::1\",\"port\":443}");
	in6[8] = 0x20;
	in6[9] = 0x01;
	in6[10] = 0x0d;
	in6[11] = 0xb8; /* 2001:db8::1 */
	sockaddr_case(
		in6, sizeof(in6), "[2001:db8::1]:443",
		"{\"family\":\"inet6\",\"addr\":\"2001:db8::1\",\"port\":443}");
	sockaddr_case(un, sizeof(un), "unix:\"/run/x.sock\"",
		      "{\"family\":\"unix\",\"path\":\"/run/x.sock\"}");
	sockaddr_case(abs, 6, "unix:@\"abc\"",
		      "{\"family\":\"unix\",\"path\":\"\\u0000abc\"}");
	sockaddr_case("", 0, "unnamed", "{}");
}
END_TEST

START_TEST(argv_and_data_print_escaped)
{
	static uint8_t rec[512] __attribute__((aligned(8)));
	struct kcap_builder b;

	kcap_builder__start(&b, rec, sizeof(rec), S(), KCAP_EV_execve, 1, 0);
	kcap_builder__var(&b, F(execve, argv), "ls\0-l\0a b\0", 10);
	kcap_builder__var(&b, F(execve, filename), "/bin/ls", 7);
	((struct kcap_ev_execve *)rec)->res = 0;
	kcap_builder__finish(&b);
	ck_assert_str_eq(
		text(rec, KCAP_PRINT_NO_TS),
		"1 execve filename=\"/bin/ls\" argv=[\"ls\" \"-l\" \"a b\"] = 0");
	ck_assert_ptr_nonnull(
		strstr(json(rec), "\"argv\":[\"ls\",\"-l\",\"a b\"]"));

	kcap_builder__start(&b, rec, sizeof(rec), S(), KCAP_EV_write, 1, 0);
	kcap_builder__var(&b, F(write, data), "hi\n\t\"\\\x01\xff", 8);
	((struct kcap_ev_write *)rec)->res = 8;
	((struct kcap_ev_write *)rec)->fd = 1;
	((struct kcap_ev_write *)rec)->size = 8;
	kcap_builder__finish(&b);
	ck_assert_str_eq(
		text(rec, KCAP_PRINT_NO_TS),
		"1 write fd=1 size=8 data=\"hi\\n\\t\\\"\\\\\\x01\\xff\" = 8");
	ck_assert_str_eq(text(rec, KCAP_PRINT_NO_TS | KCAP_PRINT_HEX_DATA),
			 "1 write fd=1 size=8 data=68690a09225c01ff = 8");
}
END_TEST

START_TEST(cut_values_read_without_their_mark_and_print_with_dots)
{
	static uint8_t rec[512] __attribute__((aligned(8)));
	const struct kcap_field_desc *fn, *av;
	struct kcap_builder b;
	const uint8_t *p;
	size_t n;

	fn = kcap_event_desc__field(kcap_schema__event(S(), KCAP_EV_execve),
				    "filename");
	av = kcap_event_desc__field(kcap_schema__event(S(), KCAP_EV_execve),
				    "argv");
	/* cut: a path ends with a NUL, a list does not */
	kcap_builder__start(&b, rec, sizeof(rec), S(), KCAP_EV_execve, 1, 0);
	kcap_builder__var(&b, F(execve, filename), "/usr/lo\0", 8);
	kcap_builder__var(&b, F(execve, argv), "ls\0-l\0/tm", 9);
	((struct kcap_ev_execve *)rec)->res = 0;
	kcap_builder__finish(&b);
	ck_assert_int_eq(kcap_field__get_var(fn, rec, &p, &n), 1);
	ck_assert_uint_eq(n, 7);
	ck_assert(!memcmp(p, "/usr/lo", 7));
	ck_assert_int_eq(kcap_field__var_cut(fn, rec), 1);
	ck_assert_int_eq(kcap_field__var_cut(av, rec), 1);
	ck_assert_str_eq(text(rec, KCAP_PRINT_NO_TS),
			 "1 execve filename=\"/usr/lo\"... "
			 "argv=[\"ls\" \"-l\" \"/tm\"...] = 0");
	ck_assert_ptr_nonnull(strstr(json(rec), "\"filename\":\"/usr/lo\","
						"\"filename_cut\":true"));
	ck_assert_ptr_nonnull(strstr(json(rec), "\"argv\":[\"ls\",\"-l\","
						"\"/tm\"],\"argv_cut\":true"));

	/* whole: no NUL after the path, a NUL after the list's last string */
	kcap_builder__start(&b, rec, sizeof(rec), S(), KCAP_EV_execve, 1, 0);
	kcap_builder__var(&b, F(execve, filename), "/usr/lo", 7);
	kcap_builder__var(&b, F(execve, argv), "ls\0-l\0/tm\0", 10);
	((struct kcap_ev_execve *)rec)->res = 0;
	kcap_builder__finish(&b);
	ck_assert_int_eq(kcap_field__var_cut(fn, rec), 0);
	ck_assert_int_eq(kcap_field__var_cut(av, rec), 0);
	ck_assert_ptr_null(strstr(text(rec, KCAP_PRINT_NO_TS), "..."));
	ck_assert_ptr_null(strstr(json(rec), "_cut"));
}
END_TEST

/* Sets fixed field name of rec (little-endian, as records are) to v. */
static void set_field(void *rec, unsigned int id, const char *name, int64_t v)
{
	const struct kcap_field_desc *f =
		kcap_event_desc__field(kcap_schema__event(S(), id), name);

	ck_assert_ptr_nonnull(f);
	memcpy((uint8_t *)rec + f->offset, &v, f->size);
}

/* An I/O event of type id that moved res bytes of size and kept data. */
static void *io_event(unsigned int id, int64_t res, int64_t size,
		      const char *data)
{
	static uint8_t rec[512] __attribute__((aligned(8)));
	const struct kcap_field_desc *f =
		kcap_event_desc__field(kcap_schema__event(S(), id), "data");
	struct kcap_builder b;

	kcap_builder__start(&b, rec, sizeof(rec), S(), id, 1, 0);
	kcap_builder__var(&b, f->offset, data, strlen(data));
	set_field(rec, id, "res", res);
	set_field(rec, id, "size", size);
	set_field(rec, id, "fd", 0);
	ck_assert_int_gt(kcap_builder__finish(&b), 0);
	return rec;
}

/* kcap read prints a field at a time: the same "..." there. */
static char *field_text(const void *rec, const char *name)
{
	static struct kcap_buf b;

	b.len = 0;
	kcap_field__print_text(
		&b,
		kcap_event_desc__field(kcap_schema__event(S(), kcap_le16(rec)),
				       name),
		rec, 0);
	return b.data;
}

START_TEST(data_kept_only_in_part_prints_with_dots_and_data_cut_in_json)
{
	void *rec = io_event(KCAP_EV_read, 5000, 8192, "ABCD");

	ck_assert_str_eq(text(rec, KCAP_PRINT_NO_TS),
			 "1 read fd=0 size=8192 data=\"ABCD\"... = 5000");
	ck_assert_str_eq(text(rec, KCAP_PRINT_NO_TS | KCAP_PRINT_HEX_DATA),
			 "1 read fd=0 size=8192 data=41424344... = 5000");
	ck_assert_str_eq(field_text(rec, "data"), "\"ABCD\"...");
	ck_assert_ptr_nonnull(
		strstr(json(rec), "\"data\":\"ABCD\",\"data_cut\":true,"));

	/* the iovec and msghdr calls: res is what they moved in all */
	rec = io_event(KCAP_EV_preadv, 100, 4096, "ABCD");
	ck_assert_ptr_nonnull(strstr(text(rec, 0), "data=\"ABCD\"... "));
	rec = io_event(KCAP_EV_sendmsg, 100, 100, "ABCD");
	ck_assert_ptr_nonnull(strstr(json(rec), "\"data_cut\":true"));
}
END_TEST

START_TEST(data_kept_whole_or_of_a_failed_call_is_not_marked_cut)
{
	void *rec = io_event(KCAP_EV_write, 4, 4, "ABCD");

	ck_assert_str_eq(text(rec, KCAP_PRINT_NO_TS),
			 "1 write fd=0 size=4 data=\"ABCD\" = 4");
	ck_assert_ptr_null(strstr(json(rec), "_cut"));
	/* a partial write kept all it wrote */
	rec = io_event(KCAP_EV_write, 4, 4096, "ABCD");
	ck_assert_ptr_null(strstr(text(rec, 0), "..."));
	/* failed, or not known: nothing said moved */
	rec = io_event(KCAP_EV_write, -11, 4096, "ABCD");
	ck_assert_ptr_null(strstr(text(rec, 0), "..."));
	rec = io_event(KCAP_EV_write, KCAP_UNKNOWN_s64, 4096, "ABCD");
	ck_assert_ptr_null(strstr(json(rec), "_cut"));
	/* MSG_TRUNC: res is the datagram's length, the buffer held 4 */
	rec = io_event(KCAP_EV_recvfrom, 1400, 4, "ABCD");
	ck_assert_ptr_null(strstr(text(rec, 0), "..."));
	ck_assert_ptr_null(strstr(json(rec), "_cut"));
	/* recvmmsg's res counts messages, not bytes */
	rec = io_event(KCAP_EV_recvmmsg, 9, 65536, "ABCD");
	ck_assert_ptr_null(strstr(text(rec, 0), "..."));
	ck_assert_ptr_null(strstr(json(rec), "_cut"));
}
END_TEST

/* The data field of an event of type id. */
static const struct kcap_field_desc *data_of(unsigned int id)
{
	return kcap_event_desc__field(kcap_schema__event(S(), id), "data");
}

/* kcap read -A and -x print data their own way, by the same rule. */
START_TEST(a_printer_of_its_own_asks_the_library_whether_data_was_cut)
{
	void *rec = io_event(KCAP_EV_read, 5000, 8192, "ABCD");
	const struct kcap_field_desc *res =
		&kcap_schema__event(S(), KCAP_EV_read)->fields[0];

	ck_assert_int_eq(kcap_field__data_cut(data_of(KCAP_EV_read), rec), 1);
	/* only the data is cut, not the other fields of the event */
	ck_assert_int_eq(kcap_field__data_cut(res, rec), 0);
	rec = io_event(KCAP_EV_read, 4, 8192, "ABCD");
	ck_assert_int_eq(kcap_field__data_cut(data_of(KCAP_EV_read), rec), 0);
	rec = io_event(KCAP_EV_recvmmsg, 9, 65536, "ABCD");
	ck_assert_int_eq(kcap_field__data_cut(data_of(KCAP_EV_recvmmsg), rec),
			 0);
}
END_TEST

START_TEST(every_loss_reason_the_printers_name_is_described_in_words)
{
	char name[32];
	unsigned int r;

	ck_assert_str_eq(kcap_loss_reason_desc(KCAP_LOSS_RINGBUF),
			 "ring buffer full");
	ck_assert_str_eq(kcap_loss_reason_desc(KCAP_LOSS_SOURCE),
			 "dropped before kcap saw them");
	/* a reason has words exactly when it has a name, and no other */
	for (r = 0; r < 300; r++) {
		bool named;

		ck_assert_int_gt(kcap_fmt_symbolic(name, sizeof(name),
						   KCAP_FMT_LOSS, r),
				 0);
		named = name[0] < '0' || name[0] > '9';
		ck_assert_msg(named == (kcap_loss_reason_desc(r) != NULL),
			      "reason %u (%s)", r, name);
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("print");
	TCase *tc = tcase_create("print");

	tcase_set_timeout(tc, 300);
	tcase_add_test(
		tc, json_of_random_events_of_every_type_is_valid_and_complete);
	tcase_add_test(tc, json_strings_are_valid_for_any_bytes);
	tcase_add_test(tc, an_openat_event_prints_as_one_readable_line);
	tcase_add_test(tc,
		       unknown_values_are_left_out_of_text_and_null_in_json);
	tcase_add_test(
		tc, a_known_duration_prints_in_seconds_in_text_and_ns_in_json);
	tcase_add_test(tc, socket_addresses_print_as_people_write_them);
	tcase_add_test(tc, ipv6_addresses_print_as_rfc_5952_says);
	tcase_add_test(tc, argv_and_data_print_escaped);
	tcase_add_test(tc,
		       cut_values_read_without_their_mark_and_print_with_dots);
	tcase_add_test(
		tc,
		data_kept_only_in_part_prints_with_dots_and_data_cut_in_json);
	tcase_add_test(tc,
		       data_kept_whole_or_of_a_failed_call_is_not_marked_cut);
	tcase_add_test(
		tc, a_printer_of_its_own_asks_the_library_whether_data_was_cut);
	tcase_add_test(
		tc, every_loss_reason_the_printers_name_is_described_in_words);
	suite_add_tcase(s, tc);
	return kcap_check_run(s);
}
