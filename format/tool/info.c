// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * kcap info FILE...: what capinfos is to pcap. Reads every block, checks
 * every checksum and record, and says what the file holds and whether it
 * is whole. Exit status: 0 every file whole, 2 some file truncated or not
 * closed (its readable part was read), 1 some file unusable or corrupt.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "kcap/kcap.h"
#include "subcommands.h"
#ifdef KCAP_HAVE_CONVERT
#include "kcap/scap.h"
#endif

#define MAX_ERRORS 16
/*
 * Distinct loss reasons counted apart; a file would need a corrupt or
 * hostile writer to hold more, and those past it share one slot.
 */
#define MAX_REASONS 16
#define OTHER_REASONS UINT32_MAX

/* Events lost for one reason (a loss record's `reason`), per type. */
struct lost_reason {
	uint32_t reason; /* OTHER_REASONS: any past MAX_REASONS */
	uint64_t total;
	uint64_t *by_type; /* [KCAP_EV_LIMIT]; [0]: of any type */
};

struct info {
	const char *path;
	struct kcap_file_info fi_store;
	const struct kcap_file_info *fi; /* NULL if the header was unreadable */
	const struct kcap_schema *schema;
	uint64_t blocks;
	uint64_t blocks_by_type[8];
	uint64_t blocks_by_codec[KCAP_CODECS];
	uint64_t raw_bytes, stored_bytes;
	uint64_t events;
	uint64_t first_ts, last_ts;
	uint64_t *by_type; /* [KCAP_EV_LIMIT] */
	uint64_t *lost; /* [KCAP_EV_LIMIT]; [0]: of any type */
	struct lost_reason reasons[MAX_REASONS]; /* sorted by reason */
	unsigned int nreasons;
	uint64_t lost_total;
	/*
	 * Values the writer cut short (FORMAT.md, "Cut values"), per record
	 * type, in events and snapshots alike; which fields of each type can be cut, from the file's schema
	 * once it is known (ncut 0xff: not looked at yet).
	 */
	uint64_t *cut; /* [KCAP_EV_LIMIT] */
	uint64_t cut_total;
	const struct kcap_schema *file_schema;
	uint8_t ncut[KCAP_EV_LIMIT];
	uint8_t cutf[KCAP_EV_LIMIT][8];
	/*
	 * Syscall events, and those whose dur is known (kcap record -T, or a
	 * converted enter and exit pair); per type, from the file's schema:
	 * 0 not looked at yet, 1 no syscall event, 2 one, with durf its dur
	 * (NULL in a file written before dur).
	 */
	uint64_t syscalls, timed;
	uint8_t durst[KCAP_EV_LIMIT];
	const struct kcap_field_desc *durf[KCAP_EV_LIMIT];
	uint8_t machine[KCAP_REC_MAX];
	bool have_machine;
	struct kcap_read_status st;
	char *errors[MAX_ERRORS];
	unsigned int nerrors;
	unsigned int more_errors;
	bool unusable;
	char open_error[256];
	bool scap; /* a legacy .scap, described as converted on the fly */
	char scap_cut[300]; /* where and how a truncated .scap ends */
};

static void add_error(struct info *in, const char *msg)
{
	if (in->nerrors < MAX_ERRORS)
		in->errors[in->nerrors++] = strdup(msg);
	else
		in->more_errors++;
}

/* The text, path and list fields of event type id, into in->cutf. */
static void cut_fields(struct info *in, unsigned int id)
{
	const struct kcap_event_desc *d =
		kcap_schema__event(in->file_schema, id);
	unsigned int i;

	in->ncut[id] = 0;
	for (i = 0; d && i < d->nfields && in->ncut[id] < 8; i++) {
		const struct kcap_field_desc *f = &d->fields[i];

		if (f->type == KCAP_T_var &&
		    (f->fmt == KCAP_FMT_STR || f->fmt == KCAP_FMT_PATH ||
		     f->fmt == KCAP_FMT_ARGV))
			in->cutf[id][in->ncut[id]++] = (uint8_t)i;
	}
}

static void count_cut(struct info *in, const struct kcap_hdr *h)
{
	const struct kcap_event_desc *d;
	unsigned int i, id = h->type;

	if (id >= KCAP_EV_LIMIT || !in->file_schema)
		return;
	if (in->ncut[id] == 0xff)
		cut_fields(in, id);
	if (!in->ncut[id])
		return;
	d = kcap_schema__event(in->file_schema, id);
	for (i = 0; i < in->ncut[id]; i++)
		if (kcap_field__var_cut(&d->fields[in->cutf[id][i]], h) == 1) {
			in->cut[id]++;
			in->cut_total++;
		}
}

static void count_timed(struct info *in, const struct kcap_hdr *h)
{
	unsigned int id = h->type;
	int64_t v;

	if (id >= KCAP_EV_LIMIT || !in->file_schema)
		return;
	if (!in->durst[id]) {
		const struct kcap_event_desc *d =
			kcap_schema__event(in->file_schema, id);

		in->durst[id] = d && (d->flags & KCAP_EF_SYSCALL) ? 2 : 1;
		in->durf[id] = kcap_event_desc__dur(d);
	}
	if (in->durst[id] != 2)
		return;
	in->syscalls++;
	if (in->durf[id] && kcap_field__get_int(in->durf[id], h, &v) == 1)
		in->timed++;
}

/*
 * The slot of a loss reason, made on first sight so that the reasons stay
 * in order; NULL when out of memory.
 */
static struct lost_reason *reason_slot(struct info *in, uint32_t reason)
{
	struct lost_reason *r;
	unsigned int i;

	for (i = 0; i < in->nreasons && in->reasons[i].reason < reason; i++)
		;
	if (i < in->nreasons && in->reasons[i].reason == reason)
		return &in->reasons[i];
	if (in->nreasons == MAX_REASONS) {
		if (reason != OTHER_REASONS)
			return reason_slot(in, OTHER_REASONS);
		/* the last slot becomes the one of the other reasons */
		r = &in->reasons[MAX_REASONS - 1];
		r->reason = OTHER_REASONS;
		return r;
	}
	memmove(&in->reasons[i + 1], &in->reasons[i],
		(in->nreasons - i) * sizeof(in->reasons[0]));
	r = &in->reasons[i];
	r->reason = reason;
	r->total = 0;
	r->by_type = calloc(KCAP_EV_LIMIT, sizeof(uint64_t));
	if (!r->by_type) {
		memmove(&in->reasons[i], &in->reasons[i + 1],
			(in->nreasons - i) * sizeof(in->reasons[0]));
		return NULL;
	}
	in->nreasons++;
	return r;
}

static void count_records(struct info *in, const struct kcap_block *b)
{
	const uint8_t *p = b->data, *end = b->data + b->raw_len;

	/* only these blocks hold records (the reader validated them) */
	if (b->type != KCAP_BLOCK_EVENTS && b->type != KCAP_BLOCK_LOSS &&
	    b->type != KCAP_BLOCK_MACHINE && b->type != KCAP_BLOCK_SNAPSHOT)
		return;
	while (end - p >= KCAP_HDR_SIZE) {
		const struct kcap_hdr *h = (const void *)p;

		if (h->len < KCAP_HDR_SIZE || h->len > end - p)
			break;

		switch (b->type) {
		case KCAP_BLOCK_EVENTS:
			in->by_type[h->type]++;
			count_cut(in, h);
			count_timed(in, h);
			break;
		case KCAP_BLOCK_SNAPSHOT:
			/* an argv or cgroup list left in part is cut too */
			count_cut(in, h);
			break;
		case KCAP_BLOCK_LOSS:
			if (h->type == KCAP_EV_loss &&
			    h->len >= sizeof(struct kcap_ev_loss)) {
				const struct kcap_ev_loss *l = (const void *)h;
				unsigned int t = l->evtype < KCAP_EV_LIMIT ?
							 l->evtype :
							 0;
				struct lost_reason *r =
					reason_slot(in, l->reason);

				in->lost[t] += l->count;
				in->lost_total += l->count;
				if (r) {
					r->total += l->count;
					r->by_type[t] += l->count;
				}
			}
			break;
		case KCAP_BLOCK_MACHINE:
			if (h->type == KCAP_EV_machine &&
			    h->len <= KCAP_REC_MAX) {
				memcpy(in->machine, h, h->len);
				in->have_machine = true;
			}
			break;
		}
		p += h->len;
	}
}

static int scan(struct info *in, const char *path)
{
	struct kcap_reader *r;
	struct kcap_block b;
	int n;
#ifdef KCAP_HAVE_CONVERT
	struct kcap_scap_conv *conv = NULL;
	const char *why;
#endif

	in->path = path;
#ifdef KCAP_HAVE_CONVERT
	/* the probe reads the start: a pipe (-, a FIFO) is taken as kcap */
	n = kcap_path__rereadable(path) ? kcap_scap__probe(path) : 0;
	if (n == -EBADMSG) {
		/* a .scap damaged before its first block: not "bad magic" */
		snprintf(in->open_error, sizeof(in->open_error), "%s",
			 kcap_last_errmsg());
		in->unusable = true;
		return -1;
	}
	in->scap = n == 1;
	if (in->scap)
		r = kcap_scap__open_reader(path, &conv);
	else
#endif
		r = kcap_reader__open(path, NULL);
	if (!r) {
		snprintf(in->open_error, sizeof(in->open_error), "%s",
			 kcap_last_errmsg());
		in->unusable = true;
		return -1;
	}
	in->fi_store = *kcap_reader__file_info(r);
	in->fi = &in->fi_store;
	in->first_ts = UINT64_MAX;
	for (;;) {
		n = kcap_reader__next_block(r, &b);
		if (n == 0)
			break;
		if (n < 0) {
			add_error(in, kcap_reader__errmsg(r));
			continue;
		}
		in->blocks++;
		if (b.type < 8)
			in->blocks_by_type[b.type]++;
		if (b.codec < KCAP_CODECS)
			in->blocks_by_codec[b.codec]++;
		in->raw_bytes += b.raw_len;
		in->stored_bytes += b.stored_len;
		if (!in->file_schema)
			in->file_schema = kcap_reader__schema(r);
		if (b.type == KCAP_BLOCK_EVENTS) {
			in->events += b.count;
			if (b.count && b.first_ts < in->first_ts)
				in->first_ts = b.first_ts;
			if (b.count && b.last_ts > in->last_ts)
				in->last_ts = b.last_ts;
		}
		if (b.data)
			count_records(in, &b);
	}
	kcap_reader__status(r, &in->st);
	if (in->st.missing_blocks) {
		char msg[128];

		snprintf(msg, sizeof(msg),
			 "%u blocks are missing (gaps in block numbers)",
			 in->st.missing_blocks);
		add_error(in, msg);
	}
	if (in->st.misordered_blocks) {
		char msg[128];

		/* their events are counted again in "Events" */
		snprintf(msg, sizeof(msg),
			 "%u blocks are out of order (a block repeated, or "
			 "captures joined): their events are read again",
			 in->st.misordered_blocks);
		add_error(in, msg);
	}
	/* what "Events" leaves out: corrupt blocks are not counted there */
	if (in->st.corrupt_records) {
		char msg[128];

		snprintf(msg, sizeof(msg),
			 "%llu events lost in the corrupt blocks (their "
			 "headers' counts)",
			 (unsigned long long)in->st.corrupt_records);
		add_error(in, msg);
	}
	in->schema = kcap_schema__builtin();
#ifdef KCAP_HAVE_CONVERT
	if (conv) {
		/* the legacy file's own damage, as the converter found it */
		n = kcap_scap__close_reader(conv, r, &why);
		if (n == -EPIPE) /* the converter's word for "cut short" */
			snprintf(in->scap_cut, sizeof(in->scap_cut), "%s", why);
		else if (n)
			add_error(in, why);
		return 0;
	}
#endif
	kcap_reader__close(r);
	return 0;
}

static const char *type_name(struct info *in, unsigned int id)
{
	const struct kcap_event_desc *d = kcap_schema__event(in->schema, id);

	return d ? d->name : NULL;
}

static void integrity(struct info *in, char *buf, size_t size)
{
	if (in->unusable) {
		snprintf(buf, size, "unusable: %s", in->open_error);
		return;
	}
	if (in->scap_cut[0] && !in->nerrors) {
		snprintf(buf, size, "legacy file %s", in->scap_cut);
		return;
	}
	if (in->st.end == KCAP_END_COMPLETE)
		snprintf(buf, size, "%s", in->nerrors ? "corrupt" : "ok");
	else
		kcap_read_status__end_text(&in->st, buf, size);
	if (in->nerrors && in->st.end != KCAP_END_COMPLETE &&
	    in->st.end != KCAP_END_ERROR) {
		size_t l = strlen(buf);

		snprintf(buf + l, size - l, "; corrupt");
	}
}

/* Cut short or never closed, with what it holds read. */
static bool truncated(const struct info *in)
{
	if (in->unusable)
		return false;
	if (in->scap_cut[0])
		return true;
	return in->st.end != KCAP_END_COMPLETE && in->st.end != KCAP_END_ERROR;
}

static int status_of(const struct info *in)
{
	if (in->unusable || in->nerrors)
		return 1;
	if (in->scap_cut[0])
		return 2;
	return in->st.end == KCAP_END_COMPLETE ? 0 : 2;
}

/*
 * "  TYPE  N" lines of a per-type count, indented by indent; [0] is of any
 * type. The counts stay in one column whatever the indent.
 */
static void counts_text(struct info *in, struct kcap_buf *o,
			const uint64_t *count, int indent)
{
	unsigned int id;

	for (id = 0; id < KCAP_EV_LIMIT; id++) {
		const char *name;

		if (!count[id])
			continue;
		name = id ? type_name(in, id) : "(any type)";
		kcap_buf__printf(o, "%*s%-*s %llu\n", indent, "", 24 - indent,
				 name ? name : "?",
				 (unsigned long long)count[id]);
	}
}

/*
 * A loss reason's name, as every printer spells it ("ringbuf", "budget"):
 * the loss record's reason field printed by the library, from its one
 * table of reason names. A reason the table does not know prints as its
 * number.
 */
static void reason_name(struct info *in, struct kcap_buf *o, uint32_t reason)
{
	const struct kcap_field_desc *f = kcap_event_desc__field(
		kcap_schema__event(in->schema, KCAP_EV_loss), "reason");
	struct kcap_ev_loss rec = { 0 };

	if (reason == OTHER_REASONS) {
		kcap_buf__puts(o, "other");
		return;
	}
	if (!f) {
		kcap_buf__printf(o, "%u", reason);
		return;
	}
	rec.hdr.type = KCAP_EV_loss;
	rec.hdr.len = sizeof(rec);
	rec.reason = (uint16_t)reason;
	kcap_field__print_text(o, f, &rec, 0);
}

static void print_text(struct info *in, struct kcap_buf *o)
{
	char integ[512];
	double dur = 0;
	unsigned int id;
	int i;
	struct stat sb;

	integrity(in, integ, sizeof(integ));
	kcap_buf__printf(o, "File:          %s\n", in->path);
	if (in->unusable && !in->fi) {
		kcap_buf__printf(o, "Integrity:     %s\n", integ);
		return;
	}
	if (in->scap)
		kcap_buf__printf(
			o,
			"Format:        legacy .scap, read as kcap %u.%u by converting it\n",
			in->fi->major, in->fi->minor);
	else
		kcap_buf__printf(o, "Format:        kcap %u.%u\n",
				 in->fi->major, in->fi->minor);
	if (in->have_machine) {
		const struct kcap_event_desc *d =
			kcap_schema__event(in->schema, KCAP_EV_machine);
		static const char *const keys[] = { "writer",	"cmdline",
						    "hostname", "kernel",
						    "arch",	"boot_id",
						    "cpus",	"mem_bytes" };
		static const char *const labels[] = {
			"Written by:    ", "Command line:  ", "Host:          ",
			"Kernel:        ", "Architecture:  ", "Boot id:       ",
			"CPUs:          ", "Memory bytes:  "
		};

		for (i = 0; i < 8; i++) {
			const struct kcap_field_desc *f =
				kcap_event_desc__field(d, keys[i]);
			const uint8_t *data;
			size_t len;
			int64_t v;

			if (!f)
				continue;
			if (f->type == KCAP_T_var ?
				    kcap_field__get_var(f, in->machine, &data,
							&len) != 1 :
				    kcap_field__get_int(f, in->machine, &v) !=
					    1)
				continue;
			kcap_buf__puts(o, labels[i]);
			kcap_field__print_text(o, f, in->machine, 0);
			kcap_buf__putc(o, '\n');
		}
	}
	kcap_buf__puts(o, "Created:       ");
	kcap_buf__time(o, in->fi->created_ns);
	kcap_buf__putc(o, '\n');
	if (stat(in->path, &sb) == 0 && S_ISREG(sb.st_mode))
		kcap_buf__printf(o, "File size:     %lld bytes\n",
				 (long long)sb.st_size);
	kcap_buf__printf(o, "Codecs:        ");
	for (i = 0; i < KCAP_CODECS; i++)
		if (in->blocks_by_codec[i])
			kcap_buf__printf(
				o, "%s %llu blocks  ", kcap_codec_name(i),
				(unsigned long long)in->blocks_by_codec[i]);
	kcap_buf__putc(o, '\n');
	kcap_buf__printf(
		o, "Compression:   %llu bytes raw, %llu stored, ratio %.2f\n",
		(unsigned long long)in->raw_bytes,
		(unsigned long long)in->stored_bytes,
		in->stored_bytes ?
			(double)in->raw_bytes / (double)in->stored_bytes :
			0.0);
	kcap_buf__printf(o, "Blocks:        %llu (",
			 (unsigned long long)in->blocks);
	for (i = 1, id = 0; i < 8; i++)
		if (in->blocks_by_type[i])
			kcap_buf__printf(
				o, "%s%s %llu", id++ ? ", " : "",
				kcap_block_type_name(i),
				(unsigned long long)in->blocks_by_type[i]);
	kcap_buf__puts(o, ")\n");
	kcap_buf__printf(o, "Events:        %llu\n",
			 (unsigned long long)in->events);
	if (in->events) {
		dur = (double)(in->last_ts - in->first_ts) / 1e9;
		kcap_buf__puts(o, "First event:   ");
		kcap_buf__time(o, in->first_ts);
		kcap_buf__puts(o, "\nLast event:    ");
		kcap_buf__time(o, in->last_ts);
		kcap_buf__printf(o, "\nDuration:      %.9f s\n", dur);
		if (dur > 0)
			kcap_buf__printf(o, "Event rate:    %.1f events/s\n",
					 (double)in->events / dur);
		kcap_buf__puts(o, "Events by type:\n");
		for (id = 0; id < KCAP_EV_LIMIT; id++) {
			const char *name;

			if (!in->by_type[id])
				continue;
			name = type_name(in, id);
			if (name)
				kcap_buf__printf(
					o, "  %-22s %llu\n", name,
					(unsigned long long)in->by_type[id]);
			else
				kcap_buf__printf(
					o, "  type%-18u %llu\n", id,
					(unsigned long long)in->by_type[id]);
		}
	}
	if (!in->lost_total) {
		kcap_buf__puts(o, "Lost events:   none recorded\n");
	} else {
		kcap_buf__printf(o,
				 "Lost events:   %llu (by reason, then type)\n",
				 (unsigned long long)in->lost_total);
		for (id = 0; id < in->nreasons; id++) {
			const struct lost_reason *r = &in->reasons[id];
			struct kcap_buf name = { 0 };

			kcap_buf__puts(&name, "reason=");
			reason_name(in, &name, r->reason);
			kcap_buf__printf(o, "  %-22s %llu\n",
					 name.data ? name.data : "?",
					 (unsigned long long)r->total);
			kcap_buf__free(&name);
			counts_text(in, o, r->by_type, 4);
		}
	}
	if (in->syscalls)
		kcap_buf__printf(o,
				 "Timed:         %llu of %llu syscall events "
				 "(dur known: kcap record -T, converted "
				 "pairs)\n",
				 (unsigned long long)in->timed,
				 (unsigned long long)in->syscalls);
	if (!in->cut_total) {
		kcap_buf__puts(o, "Cut values:    none\n");
	} else {
		kcap_buf__printf(o,
				 "Cut values:    %llu (kept only in part, "
				 "marked in the value)\n",
				 (unsigned long long)in->cut_total);
		counts_text(in, o, in->cut, 2);
	}
	kcap_buf__printf(o, "Integrity:     %s\n", integ);
	for (id = 0; id < in->nerrors; id++)
		kcap_buf__printf(o, "  error: %s\n", in->errors[id]);
	if (in->more_errors)
		kcap_buf__printf(o, "  ... and %u more errors\n",
				 in->more_errors);
}

static void json_key(struct kcap_buf *o, const char *k, bool *first)
{
	if (!*first)
		kcap_buf__putc(o, ',');
	*first = false;
	kcap_buf__json_str(o, k, strlen(k));
	kcap_buf__putc(o, ':');
}

/* {"TYPE": N, ...} of a per-type count; [0] is "any". */
static void counts_json(struct info *in, struct kcap_buf *o,
			const uint64_t *count)
{
	unsigned int id;
	bool first = true;

	kcap_buf__putc(o, '{');
	for (id = 0; count && id < KCAP_EV_LIMIT; id++) {
		const char *name;

		if (!count[id])
			continue;
		name = id ? type_name(in, id) : "any";
		json_key(o, name ? name : "unknown", &first);
		kcap_buf__printf(o, "%llu", (unsigned long long)count[id]);
	}
	kcap_buf__putc(o, '}');
}

static void print_json(struct info *in, struct kcap_buf *o)
{
	char integ[512];
	bool first = true, f2;
	unsigned int id;
	int i;

	integrity(in, integ, sizeof(integ));
	kcap_buf__putc(o, '{');
	json_key(o, "file", &first);
	kcap_buf__json_str(o, in->path, strlen(in->path));
	if (in->fi) {
		json_key(o, "version", &first);
		kcap_buf__printf(o, "\"%u.%u\"", in->fi->major, in->fi->minor);
		json_key(o, "legacy_scap", &first);
		kcap_buf__puts(o, in->scap ? "true" : "false");
		json_key(o, "created_ns", &first);
		kcap_buf__printf(o, "%llu",
				 (unsigned long long)in->fi->created_ns);
	} else {
		json_key(o, "version", &first);
		kcap_buf__puts(o, "null");
	}
	if (in->have_machine) {
		json_key(o, "machine", &first);
		kcap_event__print_json(o, in->schema,
				       (const struct kcap_hdr *)in->machine);
	}
	json_key(o, "events", &first);
	kcap_buf__printf(o, "%llu", (unsigned long long)in->events);
	json_key(o, "blocks", &first);
	kcap_buf__printf(o, "%llu", (unsigned long long)in->blocks);
	json_key(o, "blocks_by_type", &first);
	kcap_buf__putc(o, '{');
	for (i = 1, f2 = true; i < 8; i++)
		if (in->blocks_by_type[i]) {
			json_key(o, kcap_block_type_name(i), &f2);
			kcap_buf__printf(
				o, "%llu",
				(unsigned long long)in->blocks_by_type[i]);
		}
	kcap_buf__putc(o, '}');
	json_key(o, "codecs", &first);
	kcap_buf__putc(o, '{');
	for (i = 0, f2 = true; i < KCAP_CODECS; i++)
		if (in->blocks_by_codec[i]) {
			json_key(o, kcap_codec_name(i), &f2);
			kcap_buf__printf(
				o, "%llu",
				(unsigned long long)in->blocks_by_codec[i]);
		}
	kcap_buf__putc(o, '}');
	json_key(o, "raw_bytes", &first);
	kcap_buf__printf(o, "%llu", (unsigned long long)in->raw_bytes);
	json_key(o, "stored_bytes", &first);
	kcap_buf__printf(o, "%llu", (unsigned long long)in->stored_bytes);
	json_key(o, "by_type", &first);
	kcap_buf__putc(o, '{');
	for (id = 0, f2 = true; in->by_type && id < KCAP_EV_LIMIT; id++) {
		const char *name;
		char tmp[16];

		if (!in->by_type[id])
			continue;
		name = type_name(in, id);
		if (!name) {
			snprintf(tmp, sizeof(tmp), "type%u", id);
			name = tmp;
		}
		json_key(o, name, &f2);
		kcap_buf__printf(o, "%llu",
				 (unsigned long long)in->by_type[id]);
	}
	kcap_buf__putc(o, '}');
	json_key(o, "first_ts", &first);
	if (in->events)
		kcap_buf__printf(o, "%llu", (unsigned long long)in->first_ts);
	else
		kcap_buf__puts(o, "null");
	json_key(o, "last_ts", &first);
	if (in->events)
		kcap_buf__printf(o, "%llu", (unsigned long long)in->last_ts);
	else
		kcap_buf__puts(o, "null");
	json_key(o, "duration_ns", &first);
	kcap_buf__printf(
		o, "%llu",
		(unsigned long long)(in->events ? in->last_ts - in->first_ts :
						  0));
	json_key(o, "lost", &first);
	counts_json(in, o, in->lost);
	json_key(o, "lost_total", &first);
	kcap_buf__printf(o, "%llu", (unsigned long long)in->lost_total);
	/* {"REASON":{"events":N,"by_type":{...}}}, as kcap read -S's "lost" */
	json_key(o, "lost_by_reason", &first);
	kcap_buf__putc(o, '{');
	for (id = 0, f2 = true; id < in->nreasons; id++) {
		const struct lost_reason *r = &in->reasons[id];
		struct kcap_buf name = { 0 };

		reason_name(in, &name, r->reason);
		if (!f2)
			kcap_buf__putc(o, ',');
		f2 = false;
		kcap_buf__json_str(o, name.data ? name.data : "?",
				   name.data ? name.len : 1);
		kcap_buf__free(&name);
		kcap_buf__printf(o, ":{\"events\":%llu,\"by_type\":",
				 (unsigned long long)r->total);
		counts_json(in, o, r->by_type);
		kcap_buf__putc(o, '}');
	}
	kcap_buf__putc(o, '}');
	json_key(o, "cut", &first);
	counts_json(in, o, in->cut);
	json_key(o, "cut_total", &first);
	kcap_buf__printf(o, "%llu", (unsigned long long)in->cut_total);
	json_key(o, "syscall_events", &first);
	kcap_buf__printf(o, "%llu", (unsigned long long)in->syscalls);
	json_key(o, "timed_events", &first);
	kcap_buf__printf(o, "%llu", (unsigned long long)in->timed);
	json_key(o, "corrupt_events", &first);
	kcap_buf__printf(o, "%llu", (unsigned long long)in->st.corrupt_records);
	json_key(o, "truncated", &first);
	kcap_buf__puts(o, truncated(in) ? "true" : "false");
	json_key(o, "closed", &first);
	kcap_buf__puts(o, in->st.end == KCAP_END_COMPLETE ? "true" : "false");
	json_key(o, "integrity", &first);
	kcap_buf__json_str(o, integ, strlen(integ));
	json_key(o, "errors", &first);
	kcap_buf__putc(o, '[');
	if (in->unusable && in->open_error[0])
		kcap_buf__json_str(o, in->open_error, strlen(in->open_error));
	for (id = 0; id < in->nerrors; id++) {
		if (id || (in->unusable && in->open_error[0]))
			kcap_buf__putc(o, ',');
		kcap_buf__json_str(o, in->errors[id], strlen(in->errors[id]));
	}
	kcap_buf__puts(o, "]}");
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: kcap info [--json] FILE...\n"
		"\n"
		"Describe .kcap capture files: format, writer and machine, codecs\n"
		"and compression, blocks, events in total and per type, first and\n"
		"last timestamp, duration and rate, losses by reason and type,\n"
		"values the writer kept only in part (cut), and integrity.\n"
		"\n"
		"  -j, --json   one JSON object per file, one per line\n"
		"  -h, --help   this text\n"
		"\n"
		"Exit status: 0 all files whole; 2 a file is truncated or was not\n"
		"closed (what it holds was read); 1 a file is unusable or corrupt.\n");
}

int kcap_info_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	bool json = false;
	int c, i, worst = 0;

	while ((c = getopt_long(argc, argv, "jh", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 1;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "kcap info: no file given\n");
		usage(stderr);
		return 1;
	}
	for (i = optind; i < argc; i++) {
		struct info in = { 0 };
		struct kcap_buf o = { 0 };
		int st;

		in.by_type = calloc(KCAP_EV_LIMIT, sizeof(uint64_t));
		in.lost = calloc(KCAP_EV_LIMIT, sizeof(uint64_t));
		in.cut = calloc(KCAP_EV_LIMIT, sizeof(uint64_t));
		memset(in.ncut, 0xff, sizeof(in.ncut));
		if (!in.by_type || !in.lost || !in.cut) {
			fprintf(stderr, "kcap info: out of memory\n");
			return 1;
		}
		scan(&in, argv[i]);
		if (json)
			print_json(&in, &o);
		else
			print_text(&in, &o);
		if (!json && i + 1 < argc)
			kcap_buf__putc(&o, '\n');
		if (json)
			kcap_buf__putc(&o, '\n');
		fwrite(o.data, 1, o.len, stdout);
		kcap_buf__free(&o);
		st = status_of(&in);
		if (in.unusable)
			fprintf(stderr, "kcap info: %s: %s\n", argv[i],
				in.open_error);
		if (st == 1 || (st == 2 && worst == 0))
			worst = st;
		for (unsigned int e = 0; e < in.nerrors; e++)
			free(in.errors[e]);
		free(in.by_type);
		free(in.lost);
		free(in.cut);
		for (unsigned int k = 0; k < in.nreasons; k++)
			free(in.reasons[k].by_type);
	}
	/*
	 * A script tests the status for a whole file: nothing printed
	 * (a full disk) must not pass as "ok", as in kcap read.
	 */
	if ((fflush(stdout) || ferror(stdout)) && errno != EPIPE) {
		fprintf(stderr, "kcap info: writing the output: %s\n",
			strerror(errno ? errno : EIO));
		worst = 1;
	}
	return worst;
}
