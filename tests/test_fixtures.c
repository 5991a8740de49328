// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The committed captures of fixtures/ (see fixtures/README.md): the whole
 * ones must read completely and hold what made them, and each damaged one
 * of fixtures/bad/ must be refused with the message its .err file names.
 * They are files, not generated at test time, so that a reader change that
 * stops accepting yesterday's files, or stops naming a damage the way
 * users were told, fails here.
 */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "kcap/kcap.h"
#include "checkrun.h"

#define BAD_DIR KCAP_FIXTURES "/bad"

/* Far more calls than any fixture has blocks: a reader going round in
 * circles fails the test instead of hanging it. */
#define MAX_CALLS 1000000

/* Every damage fixtures/README.md lists; mkfixtures.c writes them. */
static const char *const required_bad[] = {
	"empty",
	"text",
	"header-short",
	"header-length",
	"header-checksum",
	"version-2",
	"incompat-flag",
	"block-header-checksum",
	"payload-checksum",
	"trailer-length",
	"nonzero-padding",
	"block-too-long",
	"unknown-codec",
	"record-length",
	"var-outside-record",
	"count-mismatch",
	"zstd-undecodable",
	"unknown-critical-block",
	"schema-hash-mismatch",
	"seq-gap",
	"cut-in-block",
	"no-footer",
};

/* ---- what the reader said ------------------------------------------------ */

struct said {
	char *msg[64];
	unsigned int n;
};

static void said_add(struct said *s, const char *msg)
{
	if (s->n < sizeof(s->msg) / sizeof(s->msg[0])) {
		s->msg[s->n] = strdup(msg);
		ck_assert_ptr_nonnull(s->msg[s->n]);
		s->n++;
	}
}

static void said_free(struct said *s)
{
	while (s->n)
		free(s->msg[--s->n]);
}

static bool said_has(const struct said *s, const char *sub)
{
	unsigned int i;

	for (i = 0; i < s->n; i++)
		if (strstr(s->msg[i], sub))
			return true;
	return false;
}

static void log_msg(void *ctx, const char *msg)
{
	said_add(ctx, msg);
}

/* How a file ended, in the words `kcap info` uses for it. */
static void say_end(struct said *s, const struct kcap_read_status *st)
{
	char msg[256];

	if (st->end == KCAP_END_COMPLETE)
		return;
	kcap_read_status__end_text(st, msg, sizeof(msg));
	said_add(s, msg);
}

struct outcome {
	bool opened;
	unsigned int failed_calls; /* negative returns */
	struct kcap_read_status st;
};

/*
 * Reads a file block by block as `kcap info` does, collecting the message
 * of every failed call, every message made on the way (a gap in sequence
 * numbers is reported without failing the call), and how the file ended.
 */
static void read_blocks(const char *path, struct said *s, struct outcome *o)
{
	struct kcap_reader *r;
	struct kcap_block b;
	long calls = 0;
	int n;

	memset(o, 0, sizeof(*o));
	kcap_set_log(log_msg, s);
	r = kcap_reader__open(path, NULL);
	if (!r) {
		kcap_set_log(NULL, NULL);
		said_add(s, kcap_last_errmsg());
		return;
	}
	o->opened = true;
	while ((n = kcap_reader__next_block(r, &b)) != 0) {
		ck_assert_msg(++calls < MAX_CALLS,
			      "%s: the reader never reaches the end", path);
		if (n < 0) {
			o->failed_calls++;
			said_add(s, kcap_reader__errmsg(r));
		}
	}
	kcap_set_log(NULL, NULL);
	kcap_reader__status(r, &o->st);
	say_end(s, &o->st);
	kcap_reader__close(r);
}

/* Records too, as `kcap read` would: it must end, whatever it hands out. */
static void read_records(const char *path)
{
	struct kcap_reader *r = kcap_reader__open(path, NULL);
	const struct kcap_hdr *rec;
	long calls = 0;

	if (!r)
		return;
	while (kcap_reader__next_record(r, &rec) != 0)
		ck_assert_msg(++calls < MAX_CALLS,
			      "%s: the reader never reaches the end", path);
	kcap_reader__close(r);
}

/* ---- the damaged files ------------------------------------------------------ */

static bool exists(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0;
}

/* NAME.err: the message substring, then the `kcap info` exit status. */
static void read_err(const char *name, char *expect, size_t size, int *status)
{
	char path[512], line[64];
	FILE *f;
	size_t len;

	snprintf(path, sizeof(path), "%s/%s.err", BAD_DIR, name);
	f = fopen(path, "r");
	ck_assert_msg(f, "%s: %s", path, strerror(errno));
	ck_assert_msg(fgets(expect, (int)size, f), "%s: no message line", path);
	len = strlen(expect);
	ck_assert_msg(len > 1 && expect[len - 1] == '\n',
		      "%s: the message line is empty or too long", path);
	expect[len - 1] = 0;
	ck_assert_msg(fgets(line, sizeof(line), f), "%s: no status line", path);
	*status = atoi(line);
	ck_assert_msg(*status == 1 || *status == 2,
		      "%s: status %d is neither 1 nor 2", path, *status);
	fclose(f);
}

static void check_bad(const char *name)
{
	char path[512], expect[512];
	struct outcome o;
	struct said s = { 0 };
	unsigned int i;
	int status;
	bool unreadable;

	snprintf(path, sizeof(path), "%s/%s.kcap", BAD_DIR, name);
	ck_assert_msg(exists(path), "%s is missing", path);
	read_err(name, expect, sizeof(expect), &status);
	read_blocks(path, &s, &o);
	read_records(path);
	if (!said_has(&s, expect)) {
		for (i = 0; i < s.n; i++)
			fprintf(stderr, "%s: reader said: %s\n", name,
				s.msg[i]);
		ck_abort_msg("%s: the reader never said \"%s\"", name, expect);
	}
	/* and the status in the .err file is the one the damage earns */
	unreadable = !o.opened || o.failed_calls || o.st.missing_blocks;
	if (status == 1)
		ck_assert_msg(unreadable,
			      "%s: status 1, but the file reads without error",
			      name);
	else
		ck_assert_msg(!unreadable && o.st.end != KCAP_END_COMPLETE,
			      "%s: status 2, but the file is %s", name,
			      unreadable ? "corrupt" : "complete");
	said_free(&s);
}

START_TEST(every_required_bad_fixture_gives_its_expected_message)
{
	check_bad(required_bad[_i]);
}
END_TEST

START_TEST(every_file_in_the_bad_folder_gives_its_expected_message)
{
	DIR *d = opendir(BAD_DIR);
	struct dirent *de;
	int nkcap = 0, nerr = 0;

	ck_assert_msg(d, "%s: %s (the fixtures are part of the project)",
		      BAD_DIR, strerror(errno));
	while ((de = readdir(d))) {
		char name[256];
		size_t len = strlen(de->d_name);

		if (len > 4 && !strcmp(de->d_name + len - 4, ".err")) {
			nerr++;
			continue;
		}
		if (len <= 5 || strcmp(de->d_name + len - 5, ".kcap"))
			continue;
		ck_assert_uint_lt(len, sizeof(name));
		memcpy(name, de->d_name, len - 5);
		name[len - 5] = 0;
		check_bad(name);
		nkcap++;
	}
	closedir(d);
	/* a .err without its capture is a fixture that was lost */
	ck_assert_int_eq(nerr, nkcap);
	ck_assert_int_ge(nkcap,
			 (int)(sizeof(required_bad) / sizeof(required_bad[0])));
}
END_TEST

/* ---- the whole captures ------------------------------------------------------ */

struct whole {
	uint64_t events; /* records of EVENTS blocks */
	uint64_t block_events; /* what EVENTS block headers say */
	uint64_t lost_reads;
	uint64_t printed;
	unsigned int codecs; /* 1 << codec of every block */
	unsigned int messages;
	struct kcap_read_status st;
};

static void count_message(void *ctx, const char *msg)
{
	(void)msg;
	(*(unsigned int *)ctx)++;
}

/*
 * Reads a whole capture record by record; with print, every record is
 * printed as text and as JSON.
 */
static void read_whole(const char *name, bool print, struct whole *w)
{
	char path[512];
	struct kcap_reader *r;
	const struct kcap_hdr *rec;
	struct kcap_buf b = { 0 };
	uint64_t last_block = UINT64_MAX;
	long calls = 0;
	int n;

	memset(w, 0, sizeof(*w));
	snprintf(path, sizeof(path), "%s/%s", KCAP_FIXTURES, name);
	ck_assert_msg(exists(path), "%s is missing", path);
	kcap_set_log(count_message, &w->messages);
	r = kcap_reader__open(path, NULL);
	ck_assert_msg(r, "%s: %s", path, kcap_last_errmsg());
	while ((n = kcap_reader__next_record(r, &rec)) != 0) {
		const struct kcap_block *blk = kcap_reader__block(r);

		ck_assert_msg(n > 0, "%s: %s", path, kcap_reader__errmsg(r));
		ck_assert_int_lt(++calls, MAX_CALLS);
		if (blk->offset != last_block) {
			last_block = blk->offset;
			w->codecs |= 1u << blk->codec;
			if (blk->type == KCAP_BLOCK_EVENTS)
				w->block_events += blk->count;
		}
		if (blk->type == KCAP_BLOCK_EVENTS)
			w->events++;
		if (blk->type == KCAP_BLOCK_LOSS && rec->type == KCAP_EV_loss) {
			const struct kcap_ev_loss *l = (const void *)rec;

			if (l->evtype == KCAP_EV_read)
				w->lost_reads += l->count;
		}
		if (print && blk->type == KCAP_BLOCK_EVENTS) {
			b.len = 0;
			ck_assert_int_eq(kcap_event__print_text(
						 &b, kcap_reader__schema(r),
						 rec, 0),
					 0);
			ck_assert_uint_gt(b.len, 0);
			b.len = 0;
			ck_assert_int_eq(kcap_event__print_json(
						 &b, kcap_reader__schema(r),
						 rec),
					 0);
			ck_assert_int_eq(b.data[0], '{');
			w->printed++;
		}
	}
	kcap_set_log(NULL, NULL);
	kcap_reader__status(r, &w->st);
	kcap_reader__close(r);
	kcap_buf__free(&b);
}

static void assert_whole(const struct whole *w, uint64_t events)
{
	ck_assert_int_eq(w->st.end, KCAP_END_COMPLETE);
	ck_assert_uint_eq(w->st.corrupt_blocks, 0);
	ck_assert_uint_eq(w->st.missing_blocks, 0);
	ck_assert_uint_eq(w->messages, 0);
	ck_assert_uint_eq(w->events, events);
	ck_assert_uint_eq(w->block_events, events);
}

START_TEST(mix_capture_reads_whole_with_4000_events_and_17_lost_reads)
{
	struct whole w;

	read_whole("mix.kcap", false, &w);
	assert_whole(&w, 4000);
	ck_assert_uint_eq(w.lost_reads, 17);
	ck_assert(w.codecs & (1u << KCAP_CODEC_ZSTD));
}
END_TEST

START_TEST(
	snapshot_records_of_the_older_schema_read_with_appended_fields_unknown)
{
	const struct kcap_schema *s = kcap_schema__builtin();
	const struct kcap_event_desc *d =
		kcap_schema__event(s, KCAP_EV_snap_proc);
	struct kcap_reader *r =
		kcap_reader__open(KCAP_FIXTURES "/mix.kcap", NULL);
	const struct kcap_hdr *h;
	const uint8_t *env;
	size_t len;
	int64_t v;
	int n, procs = 0;

	ck_assert_ptr_nonnull(r);
	/* written before snap_proc grew: its SCHEMA is not this one */
	ck_assert_uint_ne(kcap_reader__file_info(r)->schema_hash,
			  kcap_schema__hash(s));
	while ((n = kcap_reader__next_record(r, &h)) == 1) {
		if (h->type != KCAP_EV_snap_proc)
			continue;
		procs++;
		ck_assert_uint_ge(h->len, d->size);
		ck_assert_int_eq(kcap_field__get_int(
					 kcap_event_desc__field(d, "loginuid"),
					 h, &v),
				 0);
		ck_assert_int_eq(
			kcap_field__get_var(kcap_event_desc__field(d, "env"), h,
					    &env, &len),
			0);
		/* while the fields it had keep their values */
		ck_assert_int_eq(
			kcap_field__get_int(kcap_event_desc__field(d, "tgid"),
					    h, &v),
			1);
		ck_assert_int_gt(v, 0);
	}
	ck_assert_int_eq(n, 0);
	ck_assert_int_gt(procs, 0);
	kcap_reader__close(r);
}
END_TEST

/* The whole captures, for what holds of each of them. */
static const char *const whole_files[] = {
	"mix.kcap",
	"mix-lz4.kcap",
	"mix-cols.kcap",
	"random.kcap",
};

/*
 * Written before dur was appended to every syscall event, each capture
 * reads with dur unknown (FORMAT.md section 10): dur lies where the old
 * fixed part ended, so its bytes in the file are the start of the tail
 * (or of the next record) and must not be taken for it. The fields the
 * file had, and its tail, keep their values.
 */
START_TEST(syscall_records_written_before_dur_read_with_dur_unknown)
{
	const struct kcap_schema *s = kcap_schema__builtin();
	bool mix = !strncmp(whole_files[_i], "mix", 3);
	char path[512];
	struct kcap_reader *r;
	const struct kcap_hdr *h;
	long syscalls = 0, names = 0;
	int n;

	snprintf(path, sizeof(path), "%s/%s", KCAP_FIXTURES, whole_files[_i]);
	r = kcap_reader__open(path, NULL);
	ck_assert_msg(r, "%s: %s", path, kcap_last_errmsg());
	while ((n = kcap_reader__next_record(r, &h)) == 1) {
		const struct kcap_event_desc *d =
			kcap_schema__event(s, h->type);
		const struct kcap_event_desc *fd =
			kcap_schema__event(kcap_reader__schema(r), h->type);
		const uint8_t *name;
		size_t len;
		int64_t v;

		if (!d || !(d->flags & KCAP_EF_SYSCALL))
			continue;
		syscalls++;
		/* the file's writer knew no dur: its fixed parts are 8 less */
		ck_assert_ptr_null(kcap_event_desc__field(fd, "dur"));
		ck_assert_uint_eq(fd->size + 8, d->size);
		ck_assert_uint_ge(h->len, d->size);
		ck_assert_int_eq(kcap_record__validate(s, h, h->len, NULL), 0);
		ck_assert_msg(
			kcap_field__get_int(kcap_event_desc__field(d, "dur"), h,
					    &v) == 0,
			"%s: a %s reads with dur %lld", whole_files[_i],
			d->name, (long long)v);
		if (!mix)
			continue;
		/* the mix sets every result */
		ck_assert_int_eq(kcap_field__get_int(&d->fields[0], h, &v), 1);
		/* openat's name was where dur now lies: it moved with the tail */
		if (h->type == KCAP_EV_openat) {
			ck_assert_int_eq(
				kcap_field__get_var(
					kcap_event_desc__field(d, "name"), h,
					&name, &len),
				1);
			ck_assert_uint_gt(len, 1);
			/* a path of the mix, not dur's all-ones bytes */
			while (len--)
				ck_assert_msg(name[len] >= ' ' &&
						      name[len] <= '~',
					      "%s: openat name byte 0x%02x",
					      whole_files[_i], name[len]);
			names++;
		}
	}
	ck_assert_msg(n == 0, "%s: %s", path, kcap_reader__errmsg(r));
	ck_assert_int_gt(syscalls, 1000);
	ck_assert(!mix || names > 0);
	kcap_reader__close(r);
}
END_TEST

START_TEST(lz4_mix_capture_reads_whole_with_3000_events)
{
	struct whole w;

	read_whole("mix-lz4.kcap", false, &w);
	assert_whole(&w, 3000);
	ck_assert_uint_eq(w.lost_reads, 0);
	ck_assert(w.codecs & (1u << KCAP_CODEC_LZ4));
}
END_TEST

/*
 * The same 3000 events stored in columns (codec zstd-cols) read whole, and
 * record for record as the lz4 file holds them: a change to the column
 * layout that stops reading yesterday's files fails here.
 */
START_TEST(columns_mix_capture_reads_the_same_events_as_the_lz4_one)
{
	struct kcap_reader *a, *b;
	const struct kcap_hdr *ha, *hb;
	struct whole w;
	long n = 0;
	int ka, kb;

	read_whole("mix-cols.kcap", false, &w);
	assert_whole(&w, 3000);
	ck_assert(w.codecs & (1u << KCAP_CODEC_ZSTD_COLS));
	a = kcap_reader__open(KCAP_FIXTURES "/mix-cols.kcap", NULL);
	b = kcap_reader__open(KCAP_FIXTURES "/mix-lz4.kcap", NULL);
	ck_assert(a && b);
	for (;;) {
		while ((ka = kcap_reader__next_record(a, &ha)) == 1 &&
		       kcap_reader__block(a)->type != KCAP_BLOCK_EVENTS)
			;
		while ((kb = kcap_reader__next_record(b, &hb)) == 1 &&
		       kcap_reader__block(b)->type != KCAP_BLOCK_EVENTS)
			;
		ck_assert_int_eq(ka, kb);
		if (ka != 1)
			break;
		ck_assert_int_eq(ha->len, hb->len);
		ck_assert_msg(!memcmp(ha, hb, ha->len), "event %ld differs", n);
		n++;
	}
	ck_assert_int_eq(ka, 0);
	ck_assert_int_eq(n, 3000);
	kcap_reader__close(a);
	kcap_reader__close(b);
}
END_TEST

START_TEST(random_capture_reads_whole_and_every_event_prints)
{
	struct whole w;

	read_whole("random.kcap", true, &w);
	assert_whole(&w, 1100);
	ck_assert_uint_eq(w.printed, 1100);
	ck_assert_uint_eq(w.codecs & ~(1u << KCAP_CODEC_NONE), 0);
}
END_TEST

static Suite *fixtures_suite(void)
{
	Suite *s = suite_create("fixtures");
	TCase *tc = tcase_create("whole");

	tcase_add_test(
		tc, mix_capture_reads_whole_with_4000_events_and_17_lost_reads);
	tcase_add_test(tc, lz4_mix_capture_reads_whole_with_3000_events);
	tcase_add_test(
		tc, columns_mix_capture_reads_the_same_events_as_the_lz4_one);
	tcase_add_test(
		tc,
		snapshot_records_of_the_older_schema_read_with_appended_fields_unknown);
	tcase_add_test(tc, random_capture_reads_whole_and_every_event_prints);
	tcase_add_loop_test(
		tc, syscall_records_written_before_dur_read_with_dur_unknown, 0,
		(int)(sizeof(whole_files) / sizeof(whole_files[0])));
	suite_add_tcase(s, tc);

	tc = tcase_create("bad");
	tcase_add_loop_test(
		tc, every_required_bad_fixture_gives_its_expected_message, 0,
		(int)(sizeof(required_bad) / sizeof(required_bad[0])));
	tcase_add_test(tc,
		       every_file_in_the_bad_folder_gives_its_expected_message);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return kcap_check_run(fixtures_suite());
}
