// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The one schema list, and what is generated from it. */
#include <jansson.h>

#include "internal.h"
#include "names.h"
#include "testutil.h"
#include "checkrun.h"

/*
 * The pinned hash of every generated descriptor (ids, names, sizes, field
 * offsets, types, formats and recorder sources). A schema change must
 * update it, deliberately: see FORMAT.md, "Evolving the format". Last
 * changed when the `repeat` event (id 4) was added, the runs that
 * `kcap record --dedup-ms` folds (before: 0x6531151b3c9293b0; before
 * the flag KCAP_EF_STATE was given to connect, bind, shutdown,
 * getsockname, getpeername, fcntl, chdir and fchdir: 0x88d81b58dbe6f18f;
 * before `u64 dur` was appended to every syscall event:
 * 0xf0abd166bd09e493).
 */
#define SCHEMA_DESCRIPTOR_HASH 0x86fd4e84b8dbad38ull

static const struct kcap_schema *S(void)
{
	const struct kcap_schema *s = kcap_schema__builtin();

	ck_assert_ptr_nonnull(s);
	return s;
}

/* The field every syscall event ends with: its time from entry to exit. */
static bool is_dur(const struct kcap_field_desc *f)
{
	return !strcmp(f->name, "dur") && f->type == KCAP_T_u64 &&
	       f->fmt == KCAP_FMT_DURATION && f->src == KCAP_SRC_DUR;
}

/*
 * The fields follow each other without a gap, with one exception: dur was
 * appended to every syscall event after files were written (FORMAT.md
 * 10), so it sits where the fixed part used to end, at ALIGN8 of the end
 * of the fields before it, after a 4-byte hole where those ended at 4 mod
 * 8. Nothing else may leave a hole, and no other event has a dur.
 */
START_TEST(every_event_fixed_part_has_no_holes)
{
	const struct kcap_schema *s = S();
	unsigned int id, i;

	for (id = 0; id < kcap_schema__id_limit(s); id++) {
		const struct kcap_event_desc *d = kcap_schema__event(s, id);
		unsigned int end = KCAP_HDR_SIZE, n;
		bool syscall;

		if (!d)
			continue;
		n = d->nfields;
		syscall = d->flags & KCAP_EF_SYSCALL;
		if (syscall) {
			ck_assert_msg(n > 0 && is_dur(&d->fields[n - 1]),
				      "%s does not end with u64 dur", d->name);
			n--;
		}
		for (i = 0; i < n; i++) {
			const struct kcap_field_desc *f = &d->fields[i];

			ck_assert_msg(strcmp(f->name, "dur"),
				      "%s.dur is not the last field of a "
				      "syscall event",
				      d->name);
			ck_assert_msg(f->offset == end,
				      "%s.%s at offset %u, expected %u",
				      d->name, f->name, f->offset, end);
			ck_assert_msg(f->offset % f->size == 0,
				      "%s.%s misaligned", d->name, f->name);
			end = f->offset + f->size;
		}
		if (syscall) {
			const struct kcap_field_desc *f = &d->fields[n];

			ck_assert_msg(f->offset == ALIGN8(end),
				      "%s.dur at offset %u, expected %u: the "
				      "fields before it end at %u",
				      d->name, f->offset, ALIGN8(end), end);
			end = f->offset + f->size;
		}
		ck_assert_msg(d->size == ALIGN8(end),
			      "%s size %u, fields end %u", d->name, d->size,
			      end);
	}
}
END_TEST

START_TEST(syscall_events_start_with_an_s64_result)
{
	const struct kcap_schema *s = S();
	unsigned int id, n = 0;

	for (id = 0; id < kcap_schema__id_limit(s); id++) {
		const struct kcap_event_desc *d = kcap_schema__event(s, id);

		if (!d || !(d->flags & KCAP_EF_SYSCALL))
			continue;
		n++;
		ck_assert_msg(d->nfields > 0 &&
				      !strcmp(d->fields[0].name, "res") &&
				      d->fields[0].type == KCAP_T_s64 &&
				      d->fields[0].fmt == KCAP_FMT_RES &&
				      d->fields[0].src == KCAP_SRC_RET,
			      "%s does not start with s64 res", d->name);
		ck_assert_msg(id == KCAP_EV_syscall || id >= 32,
			      "syscall event %s has an id below 32", d->name);
	}
	ck_assert_uint_gt(n, 150);
}
END_TEST

/*
 * -T's measure, and the converter's from an enter and exit pair: one
 * field of every syscall event, its last, unknown unless measured. No
 * other field is filled from the syscall's timing.
 */
START_TEST(every_syscall_event_ends_with_its_duration)
{
	const struct kcap_schema *s = S();
	unsigned int id, i, n = 0;

	for (id = 0; id < kcap_schema__id_limit(s); id++) {
		const struct kcap_event_desc *d = kcap_schema__event(s, id);
		const struct kcap_field_desc *dur;

		if (!d)
			continue;
		dur = kcap_event_desc__field(d, "dur");
		for (i = 0; i < d->nfields; i++)
			ck_assert_msg(d->fields[i].src != KCAP_SRC_DUR ||
					      &d->fields[i] == dur,
				      "%s.%s is filled from the syscall's "
				      "duration",
				      d->name, d->fields[i].name);
		if (!(d->flags & KCAP_EF_SYSCALL)) {
			ck_assert_msg(!dur, "%s is no syscall but has dur",
				      d->name);
			continue;
		}
		n++;
		ck_assert_msg(dur == &d->fields[d->nfields - 1],
			      "%s does not end with dur", d->name);
		ck_assert_msg(dur->type == KCAP_T_u64 &&
				      dur->fmt == KCAP_FMT_DURATION &&
				      dur->src == KCAP_SRC_DUR,
			      "%s.dur is not u64, DURATION, from DUR", d->name);
	}
	ck_assert_uint_gt(n, 150);
	/* openat's fields end at 52: dur follows the old end padding */
	ck_assert_uint_eq(offsetof(struct kcap_ev_openat, dur), 56);
	ck_assert_uint_eq(sizeof(struct kcap_ev_openat), 64);
}
END_TEST

static bool good_name(const char *n)
{
	size_t i, l = strlen(n);

	if (l == 0 || l > 63)
		return false;
	for (i = 0; i < l; i++)
		if (!((n[i] >= 'a' && n[i] <= 'z') ||
		      (n[i] >= '0' && n[i] <= '9') || n[i] == '_'))
			return false;
	return true;
}

START_TEST(event_and_field_names_are_unique_and_well_formed)
{
	const struct kcap_schema *s = S();
	unsigned int id, id2, i, j;

	for (id = 0; id < kcap_schema__id_limit(s); id++) {
		const struct kcap_event_desc *d = kcap_schema__event(s, id);

		if (!d)
			continue;
		ck_assert_uint_eq(d->id, id);
		ck_assert_msg(good_name(d->name), "bad event name %s", d->name);
		for (id2 = id + 1; id2 < kcap_schema__id_limit(s); id2++) {
			const struct kcap_event_desc *e =
				kcap_schema__event(s, id2);

			ck_assert_msg(!e || strcmp(e->name, d->name),
				      "event name %s twice", d->name);
		}
		for (i = 0; i < d->nfields; i++) {
			/* JSON puts these beside the fields: no field may take them */
			static const char *const reserved[] = { "type", "ts",
								"tid", "pid",
								"proc" };

			for (j = 0; j < sizeof(reserved) / sizeof(*reserved);
			     j++)
				ck_assert_msg(
					strcmp(d->fields[i].name, reserved[j]),
					"field %s.%s takes a reserved name",
					d->name, d->fields[i].name);
			ck_assert_msg(good_name(d->fields[i].name),
				      "bad field name %s.%s", d->name,
				      d->fields[i].name);
			for (j = i + 1; j < d->nfields; j++)
				ck_assert_msg(strcmp(d->fields[i].name,
						     d->fields[j].name),
					      "field %s.%s twice", d->name,
					      d->fields[i].name);
		}
	}
}
END_TEST

START_TEST(schema_descriptor_hash_is_the_pinned_value)
{
	uint64_t h = kcap_schema__descriptor_hash(S());

	ck_assert_msg(
		h == SCHEMA_DESCRIPTOR_HASH,
		"the schema changed: descriptor hash is 0x%016llx; if the "
		"change is deliberate and follows FORMAT.md section 10, "
		"update SCHEMA_DESCRIPTOR_HASH in tests/test_schema.c",
		(unsigned long long)h);
}
END_TEST

START_TEST(schema_payload_parses_back_to_the_same_descriptors)
{
	const struct kcap_schema *s = S();
	struct kcap_schema *p;
	const char *why = NULL;
	const void *payload;
	size_t len;
	unsigned int id, i;

	payload = kcap_schema__payload(s, &len);
	ck_assert_int_eq(kcap_schema__parse(payload, len, &p, &why), 0);
	ck_assert_uint_eq(kcap_schema__hash(p), kcap_schema__hash(s));
	ck_assert_uint_eq(kcap_schema__id_limit(p), kcap_schema__id_limit(s));
	for (id = 0; id < kcap_schema__id_limit(s); id++) {
		const struct kcap_event_desc *a = kcap_schema__event(s, id);
		const struct kcap_event_desc *b = kcap_schema__event(p, id);

		ck_assert((a == NULL) == (b == NULL));
		if (!a)
			continue;
		ck_assert_str_eq(a->name, b->name);
		ck_assert_uint_eq(a->size, b->size);
		ck_assert_uint_eq(a->flags, b->flags);
		ck_assert_uint_eq(a->cls, b->cls);
		ck_assert_uint_eq(a->nfields, b->nfields);
		ck_assert_uint_eq(a->nvars, b->nvars);
		for (i = 0; i < a->nfields; i++) {
			ck_assert_str_eq(a->fields[i].name, b->fields[i].name);
			ck_assert_uint_eq(a->fields[i].offset,
					  b->fields[i].offset);
			ck_assert_uint_eq(a->fields[i].type, b->fields[i].type);
			ck_assert_uint_eq(a->fields[i].fmt, b->fields[i].fmt);
		}
		for (i = 0; i < a->nvars; i++)
			ck_assert_uint_eq(a->var_offsets[i], b->var_offsets[i]);
	}
	kcap_schema__free(p);
}
END_TEST

/* A one-event schema payload, to damage in the next test. */
static size_t tiny_schema(uint8_t *p, uint16_t id, uint16_t size,
			  uint16_t f1_off, uint8_t f1_type, const char *f1_name)
{
	size_t n = 0;

	kcap_put32(p, 1);
	kcap_put32(p + 4, 0);
	n = 8;
	kcap_put16(p + n, id);
	kcap_put16(p + n + 2, size);
	kcap_put16(p + n + 4, 0);
	p[n + 6] = 1; /* class */
	p[n + 7] = 2; /* nfields */
	n += 8;
	p[n++] = 3;
	memcpy(p + n, "ev1", 3);
	n += 3;
	kcap_put16(p + n, 16);
	p[n + 2] = KCAP_T_s64;
	p[n + 3] = 0;
	p[n + 4] = 3;
	memcpy(p + n + 5, "res", 3);
	n += 8;
	kcap_put16(p + n, f1_off);
	p[n + 2] = f1_type;
	p[n + 3] = 0;
	p[n + 4] = (uint8_t)strlen(f1_name);
	memcpy(p + n + 5, f1_name, strlen(f1_name));
	n += 5 + strlen(f1_name);
	return n;
}

START_TEST(schema_parser_rejects_malformed_payloads)
{
	uint8_t p[256];
	struct kcap_schema *s;
	const char *why;
	size_t n;

	n = tiny_schema(p, 40, 32, 24, KCAP_T_u32, "fd");
	ck_assert_int_eq(kcap_schema__parse(p, n, &s, &why), 0);
	kcap_schema__free(s);

	n = tiny_schema(p, 40, 32, 20, KCAP_T_u32, "fd"); /* overlaps res */
	ck_assert_int_eq(kcap_schema__parse(p, n, &s, &why), -EBADMSG);
	ck_assert_ptr_nonnull(strstr(why, "overlaps"));
	n = tiny_schema(p, 40, 32, 26, KCAP_T_u32, "fd"); /* misaligned */
	ck_assert_int_eq(kcap_schema__parse(p, n, &s, &why), -EBADMSG);
	ck_assert_ptr_nonnull(strstr(why, "misaligned"));
	n = tiny_schema(p, 40, 28, 24, KCAP_T_u32, "fd"); /* size % 8 */
	ck_assert_int_eq(kcap_schema__parse(p, n, &s, &why), -EBADMSG);
	n = tiny_schema(p, 40, 24, 24, KCAP_T_u32, "fd"); /* outside size */
	ck_assert_int_eq(kcap_schema__parse(p, n, &s, &why), -EBADMSG);
	n = tiny_schema(p, 0, 32, 24, KCAP_T_u32, "fd"); /* id 0 */
	ck_assert_int_eq(kcap_schema__parse(p, n, &s, &why), -EBADMSG);
	n = tiny_schema(p, 1024, 32, 24, KCAP_T_u32, "fd"); /* id too big */
	ck_assert_int_eq(kcap_schema__parse(p, n, &s, &why), -EBADMSG);
	n = tiny_schema(p, 40, 32, 24, 17, "fd"); /* unknown type */
	ck_assert_int_eq(kcap_schema__parse(p, n, &s, &why), -EBADMSG);
	n = tiny_schema(p, 40, 32, 24, KCAP_T_u32, "F-D"); /* bad name */
	ck_assert_int_eq(kcap_schema__parse(p, n, &s, &why), -EBADMSG);
	n = tiny_schema(p, 40, 32, 24, KCAP_T_u32, "fd");
	p[n++] = 0; /* trailing byte */
	ck_assert_int_eq(kcap_schema__parse(p, n, &s, &why), -EBADMSG);
	ck_assert_ptr_nonnull(strstr(why, "after its last event"));
	n = tiny_schema(p, 40, 32, 24, KCAP_T_u32, "fd");
	for (size_t cut = 0; cut < n; cut++)
		ck_assert_int_eq(kcap_schema__parse(p, cut, &s, &why),
				 -EBADMSG);
}
END_TEST

START_TEST(record_init_fills_unknown_values_and_absent_vars)
{
	const struct kcap_schema *s = S();
	uint8_t buf[KCAP_FIXED_MAX] __attribute__((aligned(8)));
	unsigned int id, i;

	for (id = 0; id < kcap_schema__id_limit(s); id++) {
		const struct kcap_event_desc *d = kcap_schema__event(s, id);

		if (!d)
			continue;
		memset(buf, 0x5a, sizeof(buf));
		ck_assert_int_eq(kcap_record__init(s, buf, id), 0);
		ck_assert_uint_eq(kcap_le16(buf), id);
		ck_assert_uint_eq(kcap_le16(buf + 2), d->size);
		ck_assert_int_eq(kcap_record__validate(s, buf, d->size, NULL),
				 0);
		for (i = 0; i < d->nfields; i++) {
			const struct kcap_field_desc *f = &d->fields[i];
			const uint8_t *data;
			size_t len;
			int64_t v;

			if (f->type == KCAP_T_var)
				ck_assert_int_eq(kcap_field__get_var(
							 f, buf, &data, &len),
						 0);
			else
				ck_assert_int_eq(
					kcap_field__get_int(f, buf, &v), 0);
		}
	}
	ck_assert_int_eq(kcap_record__init(s, buf, 0), -ENOENT);
}
END_TEST

START_TEST(unknown_values_are_the_documented_ones)
{
	struct kcap_ev_openat e;

	kcap_record__init(S(), &e, KCAP_EV_openat);
	ck_assert(e.res == INT64_MIN);
	ck_assert(e.dirfd == INT32_MIN);
	ck_assert(e.flags == UINT32_MAX);
	ck_assert(e.ino == UINT64_MAX);
	ck_assert(e.name.off == 0 && e.name.len == 0);
	ck_assert(e.dur == UINT64_MAX);
}
END_TEST

/* Legacy events that are not syscalls, and so have no kcap event. */
static const char *const not_syscalls[] = {
	"switch",	 "drop",	 "scapevent",	"container",
	"procinfo",	 "cpu_hotplug",	 "k8s",		"tracer",
	"mesos",	 "notification", "infra",	"page_fault",
	"pluginevent",	 "useradded",	 "userdeleted", "groupadded",
	"groupdeleted",	 "asyncevent",	 "syscall",	"procexit",
	"signaldeliver",
};

static const char *kcap_name_of_legacy(const char *legacy)
{
	if (!strcmp(legacy, "pread"))
		return "pread64";
	if (!strcmp(legacy, "pwrite"))
		return "pwrite64";
	if (!strcmp(legacy, "prlimit"))
		return "prlimit64";
	return legacy;
}

START_TEST(every_legacy_syscall_event_has_a_kcap_event)
{
	const char *path = KCAP_FIXTURES "/../../shared/scap-event-table.json";
	json_error_t err;
	json_t *root, *events, *e, *f;
	size_t i, j, n = 0;

	if (access(path, R_OK)) {
		printf("SKIP every_legacy_syscall_event_has_a_kcap_event: %s is "
		       "not here (the shared legacy event table is absent)\n",
		       path);
		return;
	}
	root = json_load_file(path, 0, &err);
	ck_assert_msg(root, "%s: %s", path, err.text);
	events = json_object_get(root, "events");
	json_array_foreach(events, i, e)
	{
		const char *name =
			json_string_value(json_object_get(e, "name"));
		bool skip = false;

		if (!strncmp(name, "task", 4))
			continue;
		for (j = 0; j < sizeof(not_syscalls) / sizeof(*not_syscalls);
		     j++)
			skip |= !strcmp(name, not_syscalls[j]);
		json_array_foreach(json_object_get(e, "flags"), j, f)
			skip |= !strcmp(json_string_value(f), "EF_UNUSED");
		if (skip || !json_array_size(json_object_get(e, "params")))
			continue;
		n++;
		ck_assert_msg(kcap_schema__event_by_name(
				      S(), kcap_name_of_legacy(name)),
			      "legacy event %s has no kcap event", name);
	}
	ck_assert_uint_gt(n, 200);
	json_decref(root);
}
END_TEST

START_TEST(syscall_events_name_real_x86_64_syscalls)
{
	/* legacy-only events: no such syscall on x86_64 */
	static const char *const legacy_only[] = { "send",    "recv",
						   "stat64",  "lstat64",
						   "fstat64", "mmap2",
						   "llseek",  "umount" };
	const struct kcap_schema *s = S();
	unsigned int id, i;

	for (id = 32; id < kcap_schema__id_limit(s); id++) {
		const struct kcap_event_desc *d = kcap_schema__event(s, id);
		bool legacy = false;

		if (!d)
			continue;
		for (i = 0; i < sizeof(legacy_only) / sizeof(*legacy_only); i++)
			legacy |= !strcmp(d->name, legacy_only[i]);
		if (legacy)
			ck_assert_int_lt(kcap_syscall_nr(d->name), 0);
		else
			ck_assert_msg(kcap_syscall_nr(d->name) >= 0,
				      "%s is not an x86_64 syscall", d->name);
	}
}
END_TEST

START_TEST(builder_refuses_records_past_the_size_limit)
{
	static uint8_t buf[KCAP_REC_MAX + 64] __attribute__((aligned(8)));
	static uint8_t big[KCAP_REC_MAX];
	struct kcap_builder b;
	struct kcap_ev_write *e;

	e = kcap_builder__start(&b, buf, sizeof(buf), S(), KCAP_EV_write, 1, 2);
	ck_assert_ptr_nonnull(e);
	ck_assert_int_eq(kcap_builder__var(&b,
					   offsetof(struct kcap_ev_write, data),
					   big, sizeof(big)),
			 -E2BIG);
	ck_assert_int_eq(kcap_builder__finish(&b), -E2BIG);

	e = kcap_builder__start(&b, buf, sizeof(buf), S(), KCAP_EV_write, 1, 2);
	ck_assert_int_eq(kcap_builder__var(&b,
					   offsetof(struct kcap_ev_write, data),
					   big, 100),
			 0);
	/*
	 * write's fixed part is 48 (res, fd, size, data end at 36; dur at
	 * 40): 48 + 100 bytes of data, aligned to 8, is 152.
	 */
	ck_assert_int_eq(sizeof(struct kcap_ev_write), 48);
	ck_assert_int_eq(kcap_builder__finish(&b), 152);
	ck_assert_int_eq(e->hdr.len, 152);
	ck_assert_int_eq(kcap_record__validate(S(), buf, 152, NULL), 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("schema");
	TCase *tc = tcase_create("schema");

	tcase_add_test(tc, every_event_fixed_part_has_no_holes);
	tcase_add_test(tc, syscall_events_start_with_an_s64_result);
	tcase_add_test(tc, every_syscall_event_ends_with_its_duration);
	tcase_add_test(tc, event_and_field_names_are_unique_and_well_formed);
	tcase_add_test(tc, schema_descriptor_hash_is_the_pinned_value);
	tcase_add_test(tc, schema_payload_parses_back_to_the_same_descriptors);
	tcase_add_test(tc, schema_parser_rejects_malformed_payloads);
	tcase_add_test(tc, record_init_fills_unknown_values_and_absent_vars);
	tcase_add_test(tc, unknown_values_are_the_documented_ones);
	tcase_add_test(tc, every_legacy_syscall_event_has_a_kcap_event);
	tcase_add_test(tc, syscall_events_name_real_x86_64_syscalls);
	tcase_add_test(tc, builder_refuses_records_past_the_size_limit);
	suite_add_tcase(s, tc);
	return kcap_check_run(s);
}
