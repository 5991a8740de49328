// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The event printer: one text line, JSON object or CSV row per event.
 *
 * Text lines are built from the schema's per-field printers, with the
 * process and the fds resolved:
 *
 *   TIME COMM(PID) TID EVENT field=value ... = RESULT
 *
 * fd arguments get the name the engine knows, as strace -y does
 * (fd=5</etc/passwd>). --normalize renumbers pids, tids, fds and inodes
 * in order of first appearance, makes times relative and leaves out the
 * times and durations of fields, so that two recordings of one workload
 * print the same.
 */
#include <stdio.h>
#include <unistd.h>

#include "internal.h"

const struct kcap_print_opts *kcap_printer_opts;

/* u64 -> u32, open addressing; for --normalize */
struct nmap {
	uint64_t *keys;
	uint32_t *vals;
	uint32_t mask, count;
	uint32_t next;
};

struct printer {
	struct kcap_replay *rp;
	struct kcap_print_opts o;
	FILE *out;
	struct kcap_buf b, scratch;
	uint64_t first_ts, prev_ts;
	uint8_t *copy; /* --normalize: the record with its numbers renumbered */
	struct nmap tasks, fds, inos;
	bool header_done;
	uint64_t lines;
};

static uint32_t nmap_get(struct nmap *m, uint64_t key)
{
	uint64_t h;
	uint32_t i;

	if (!m->keys || (m->count + 1) * 2 > m->mask + 1) {
		uint32_t ncap = m->keys ? (m->mask + 1) * 2 : 256, j;
		uint64_t *nk = malloc(ncap * sizeof(*nk));
		uint32_t *nv = malloc(ncap * sizeof(*nv));

		if (!nk || !nv) {
			free(nk);
			free(nv);
			return (uint32_t)key;
		}
		memset(nk, 0xff, ncap * sizeof(*nk));
		for (j = 0; m->keys && j <= m->mask; j++) {
			if (m->keys[j] == UINT64_MAX)
				continue;
			h = (m->keys[j] * 0x9e3779b97f4a7c15ull) >> 32;
			i = (uint32_t)h & (ncap - 1);
			while (nk[i] != UINT64_MAX)
				i = (i + 1) & (ncap - 1);
			nk[i] = m->keys[j];
			nv[i] = m->vals[j];
		}
		free(m->keys);
		free(m->vals);
		m->keys = nk;
		m->vals = nv;
		m->mask = ncap - 1;
	}
	h = (key * 0x9e3779b97f4a7c15ull) >> 32;
	i = (uint32_t)h & m->mask;
	while (m->keys[i] != UINT64_MAX) {
		if (m->keys[i] == key)
			return m->vals[i];
		i = (i + 1) & m->mask;
	}
	m->keys[i] = key;
	m->vals[i] = m->next++;
	m->count++;
	return m->vals[i];
}

static void nmap_free(struct nmap *m)
{
	free(m->keys);
	free(m->vals);
}

static void *printer_init(struct kcap_replay *rp,
			  const struct kcap_analyzer_env *env)
{
	struct printer *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->rp = rp;
	if (kcap_printer_opts)
		p->o = *kcap_printer_opts;
	p->out = env->out ? env->out : stdout;
	if (env->json)
		p->o.format = KCAP_OUT_JSON;
	if (p->o.normalize) {
		p->copy = aligned_alloc(8, KCAP_REC_MAX + 8);
		if (!p->copy) {
			free(p);
			return NULL;
		}
		p->tasks.next = 1;
		p->fds.next = 3;
		p->inos.next = 1;
		if (p->o.ts_style == KCAP_TS_ABS)
			p->o.ts_style = KCAP_TS_REL;
	}
	return p;
}

/*
 * A write error stops the run: a full disk is the CLI's to report, and a
 * reader that went away (EPIPE, kcap read | head) needs nothing more.
 */
static int flush_out(struct printer *p, bool force)
{
	if (p->b.len && (force || p->b.len >= (1 << 16))) {
		size_t n = fwrite(p->b.data, 1, p->b.len, p->out);

		p->b.len = 0;
		if (!n || ferror(p->out))
			return errno ? -errno : -EIO;
	}
	return 0;
}

static int32_t norm_task(struct printer *p, int64_t v)
{
	if (v <= 0)
		return (int32_t)v;
	return (int32_t)nmap_get(&p->tasks, (uint64_t)v);
}

static int32_t norm_fd(struct printer *p, int32_t npid, int64_t v)
{
	if (v < 3)
		return (int32_t)v; /* stdio and AT_FDCWD keep their meaning */
	return (int32_t)nmap_get(&p->fds,
				 (uint64_t)(uint32_t)npid << 32 | (uint32_t)v);
}

static bool is_ino_name(const char *n)
{
	size_t l = strlen(n);

	return !strcmp(n, "ino") || (l > 4 && !strcmp(n + l - 4, "_ino"));
}

static void put_fixed(uint8_t *rec, const struct kcap_field_desc *f, int64_t v)
{
	memcpy(rec + f->offset, &v, f->size); /* little-endian: low bytes */
}

/*
 * Renumbers the copy's pids, tids, fds, inodes and times, and leaves out
 * times and durations found in fields.
 */
static const struct kcap_hdr *normalize(struct printer *p,
					const struct kcap_event_ctx *c)
{
	const struct kcap_event_desc *d = c->desc;
	struct kcap_hdr *h = (struct kcap_hdr *)p->copy;
	int32_t npid = c->proc ? norm_task(p, c->proc->pid) : 0;
	unsigned int i;

	memcpy(p->copy, c->ev, c->ev->len);
	h->tid = (uint32_t)norm_task(p, c->ev->tid);
	h->ts = c->ev->ts - p->first_ts;
	for (i = 0; d && i < d->nfields; i++) {
		const struct kcap_field_desc *f = &d->fields[i];
		int64_t v;

		if (f->type == KCAP_T_var ||
		    kcap_field__get_int(f, c->ev, &v) != 1)
			continue;
		if (f->fmt == KCAP_FMT_PID) {
			put_fixed(p->copy, f, norm_task(p, v));
		} else if (f->fmt == KCAP_FMT_FD) {
			put_fixed(p->copy, f, norm_fd(p, npid, v));
		} else if (f->fmt == KCAP_FMT_TIME ||
			   f->fmt == KCAP_FMT_DURATION) {
			/* unknown: not printed; no two runs take as long */
			put_fixed(p->copy, f, -1);
		} else if (is_ino_name(f->name)) {
			put_fixed(p->copy, f, nmap_get(&p->inos, (uint64_t)v));
		} else if (i == 0 && f->fmt == KCAP_FMT_RES && v > 0) {
			if (d->flags & KCAP_EF_FD_CREATE)
				put_fixed(p->copy, f, norm_fd(p, npid, v));
			else if (d->flags & KCAP_EF_PROC)
				put_fixed(p->copy, f, norm_task(p, v));
		}
	}
	return h;
}

/* Numbers without stdio: a text line has several, and lines are many. */
static void put_u64(struct kcap_buf *b, uint64_t v, int width)
{
	char tmp[24];
	int n = 0;

	do
		tmp[n++] = (char)('0' + v % 10);
	while ((v /= 10));
	while (n < width)
		tmp[n++] = '0';
	while (n)
		kcap_buf__putc(b, tmp[--n]);
}

static void put_s64(struct kcap_buf *b, int64_t v)
{
	if (v < 0) {
		kcap_buf__putc(b, '-');
		put_u64(b, (uint64_t)0 - (uint64_t)v, 0);
	} else {
		put_u64(b, (uint64_t)v, 0);
	}
}

static void put_time(struct printer *p, uint64_t ts)
{
	uint64_t d;

	switch (p->o.ts_style) {
	case KCAP_TS_ABS:
		kcap_buf__time(&p->b, ts);
		return;
	case KCAP_TS_RAW:
		put_u64(&p->b, ts, 0);
		return;
	case KCAP_TS_REL:
		d = ts >= p->first_ts ? ts - p->first_ts : 0;
		break;
	default:
		d = p->prev_ts && ts >= p->prev_ts ? ts - p->prev_ts : 0;
		break;
	}
	put_u64(&p->b, d / 1000000000u, 0);
	kcap_buf__putc(&p->b, '.');
	put_u64(&p->b, d % 1000000000u, 9);
}

/*
 * Data as -A, -x or -X show it; cut (the snaplen kept less than the call
 * moved) ends it with "...", where the text output puts it.
 */
static void put_data(struct printer *p, const uint8_t *d, size_t n, bool cut)
{
	static const char hex[] = "0123456789abcdef";
	size_t i;

	if (p->o.bufs != KCAP_BUFS_ASCII) {
		for (i = 0; i < n; i++) {
			kcap_buf__putc(&p->b, hex[d[i] >> 4]);
			kcap_buf__putc(&p->b, hex[d[i] & 15]);
		}
	}
	if (p->o.bufs == KCAP_BUFS_HEXASCII)
		kcap_buf__putc(&p->b, ' ');
	if (p->o.bufs != KCAP_BUFS_HEX) {
		kcap_buf__putc(&p->b, '"');
		for (i = 0; i < n; i++)
			kcap_buf__putc(&p->b, d[i] >= 32 && d[i] < 127 ?
						      (char)d[i] :
						      '.');
		kcap_buf__putc(&p->b, '"');
	}
	if (cut)
		kcap_buf__puts(&p->b, "...");
}

/* The name of fd v of the event's process, <like this>. */
static void annotate_fd(struct printer *p, const struct kcap_event_ctx *c,
			int64_t v)
{
	const struct kcap_fdinfo *f;
	const char *name;

	if (v < 0 || v > INT32_MAX || !c->proc)
		return;
	f = v == c->fdnum ? c->fd : kcap_replay__fd(c->rp, c->proc, (int32_t)v);
	if (!f)
		return;
	name = kcap_fdinfo__name(f);
	kcap_buf__putc(&p->b, '<');
	if (p->o.normalize && f->kind == KCAP_FD_PIPE && f->ino)
		kcap_buf__printf(&p->b, "pipe:[%u]",
				 nmap_get(&p->inos, f->ino));
	else if (f->namelen) /* a path with a newline stays on one line */
		kcap_buf__escape(&p->b, name, f->namelen);
	else
		kcap_buf__puts(&p->b, kcap_fd_kind_name(f->kind));
	kcap_buf__putc(&p->b, '>');
}

/*
 * A repeat record reads as the events it stands for: `repeat write fd=3
 * res=1 count=2999 until=TIME`, their type first. Its fd is not named
 * from the state: the run may have ended after the fd was closed and its
 * number reused (the kept event's line names it).
 */
static void put_repeat(struct printer *p, const struct kcap_event_desc *d,
		       const struct kcap_hdr *ev)
{
	static const char *const order[] = { "evtype", "fd", "res", "count",
					     "until" };
	size_t i;

	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		const struct kcap_field_desc *f =
			kcap_event_desc__field(d, order[i]);
		int64_t v;

		if (!f || kcap_field__get_int(f, ev, &v) != 1)
			continue;
		kcap_buf__putc(&p->b, ' ');
		if (i) {
			kcap_buf__puts(&p->b, f->name);
			kcap_buf__putc(&p->b, '=');
		}
		kcap_field__print_text(&p->b, f, ev, 0);
	}
}

static void put_text(struct printer *p, const struct kcap_event_ctx *c,
		     const struct kcap_hdr *ev)
{
	const struct kcap_event_desc *d = c->desc;
	unsigned int i, first = 0;
	bool syscall = false;
	int32_t pid = c->proc ? c->proc->pid : -1;
	int64_t res = 0;

	put_time(p, c->ev->ts);
	if (kcap_replay__inputs(c->rp) > 1)
		kcap_buf__printf(&p->b, " [%u]", c->src + 1);
	kcap_buf__putc(&p->b, ' ');
	if (c->proc && c->proc->comm[0])
		kcap_buf__escape(&p->b, c->proc->comm, strlen(c->proc->comm));
	else
		kcap_buf__putc(&p->b, '?');
	kcap_buf__putc(&p->b, '(');
	put_s64(&p->b, p->o.normalize && pid > 0 ? norm_task(p, pid) : pid);
	kcap_buf__puts(&p->b, ") ");
	put_u64(&p->b, ev->tid, 0);
	kcap_buf__putc(&p->b, ' ');
	if (!d) {
		kcap_buf__printf(&p->b, "type%u len=%u", ev->type, ev->len);
		return;
	}
	kcap_buf__puts(&p->b, d->name);
	if (ev->type == KCAP_EV_repeat) {
		put_repeat(p, d, ev);
		return;
	}
	syscall = (d->flags & KCAP_EF_SYSCALL) && d->nfields &&
		  !strcmp(d->fields[0].name, "res");
	first = syscall;
	for (i = first; i < d->nfields; i++) {
		const struct kcap_field_desc *f = &d->fields[i];
		const uint8_t *data;
		size_t n;
		int64_t v;

		if (f->type == KCAP_T_var) {
			if (kcap_field__get_var(f, ev, &data, &n) != 1)
				continue;
			kcap_buf__putc(&p->b, ' ');
			kcap_buf__puts(&p->b, f->name);
			kcap_buf__putc(&p->b, '=');
			if (f->fmt == KCAP_FMT_BUF &&
			    p->o.bufs != KCAP_BUFS_ESC)
				put_data(p, data, n,
					 kcap_field__data_cut(f, ev) == 1);
			else
				kcap_field__print_text(&p->b, f, ev, 0);
			continue;
		}
		if (kcap_field__get_int(f, ev, &v) != 1)
			continue;
		kcap_buf__putc(&p->b, ' ');
		kcap_buf__puts(&p->b, f->name);
		kcap_buf__putc(&p->b, '=');
		kcap_field__print_text(&p->b, f, ev, 0);
		if (f->fmt == KCAP_FMT_FD &&
		    kcap_field__get_int(f, c->ev, &v) == 1)
			annotate_fd(p, c, v);
	}
	if (syscall) {
		kcap_buf__puts(&p->b, " = ");
		kcap_field__print_text(&p->b, &d->fields[0], ev, 0);
		if ((d->flags & KCAP_EF_FD_CREATE) &&
		    kcap_field__get_int(&d->fields[0], c->ev, &res) == 1 &&
		    res >= 0)
			annotate_fd(p, c, res);
	}
}

static void put_json(struct printer *p, const struct kcap_event_ctx *c,
		     const struct kcap_hdr *ev)
{
	const struct kcap_event_desc *d = c->desc;
	unsigned int i, nfd = 0;
	int32_t pid = c->proc ? c->proc->pid : -1;

	kcap_event__print_json(&p->b, kcap_schema__builtin(), ev);
	if (p->b.len && p->b.data[p->b.len - 1] == '}')
		p->b.len--;
	kcap_buf__printf(&p->b, ",\"pid\":%d,\"proc\":",
			 p->o.normalize && pid > 0 ? norm_task(p, pid) : pid);
	if (c->proc)
		kcap_buf__json_str(&p->b, c->proc->comm, strlen(c->proc->comm));
	else
		kcap_buf__puts(&p->b, "null");
	/*
	 * ts as text too: past 2^53, a number that jq 1.6 (Debian 12's)
	 * and JavaScript read as a double, whose last digits it changes
	 */
	if (!p->o.normalize) {
		kcap_buf__puts(&p->b, ",\"time\":\"");
		kcap_buf__time(&p->b, ev->ts);
		kcap_buf__putc(&p->b, '"');
	}
	/* a repeat record's fd may be another file's by now (put_repeat()) */
	for (i = 0; d && ev->type != KCAP_EV_repeat && i < d->nfields; i++) {
		const struct kcap_field_desc *f = &d->fields[i];
		const struct kcap_fdinfo *fi;
		int64_t v;

		if (f->fmt != KCAP_FMT_FD &&
		    !(i == 0 && f->fmt == KCAP_FMT_RES &&
		      (d->flags & KCAP_EF_FD_CREATE)))
			continue;
		if (f->type == KCAP_T_var ||
		    kcap_field__get_int(f, c->ev, &v) != 1 || v < 0 ||
		    v > INT32_MAX || !c->proc)
			continue;
		fi = v == c->fdnum ?
			     c->fd :
			     kcap_replay__fd(c->rp, c->proc, (int32_t)v);
		if (!fi)
			continue;
		kcap_buf__puts(&p->b, nfd++ ? "," : ",\"fdnames\":{");
		kcap_buf__json_str(&p->b, f->name, strlen(f->name));
		kcap_buf__putc(&p->b, ':');
		kcap_buf__json_str(&p->b, kcap_fdinfo__name(fi), fi->namelen);
	}
	if (nfd)
		kcap_buf__putc(&p->b, '}');
	if (kcap_replay__inputs(c->rp) > 1) {
		const char *s = kcap_replay__input_name(c->rp, c->src);

		kcap_buf__puts(&p->b, ",\"src\":");
		kcap_buf__json_str(&p->b, s, strlen(s));
	}
	kcap_buf__putc(&p->b, '}');
}

static void csv_cell(struct kcap_buf *b, const char *s, size_t n)
{
	size_t i;

	if (!memchr(s, ',', n) && !memchr(s, '"', n) && !memchr(s, '\n', n) &&
	    !memchr(s, '\r', n)) {
		kcap_buf__write(b, s, n);
		return;
	}
	kcap_buf__putc(b, '"');
	for (i = 0; i < n; i++) {
		if (s[i] == '"')
			kcap_buf__putc(b, '"');
		kcap_buf__putc(b, s[i]);
	}
	kcap_buf__putc(b, '"');
}

static const char *const default_csv[] = {
	"evt.num",  "evt.time", "proc.name", "proc.pid", "thread.tid",
	"evt.type", "evt.res",	"fd.num",    "fd.name",	 "evt.args",
};

/*
 * CSV's columns when -F gave none; merged inputs add evt.src last, as text
 * lines add [N], so that a row says which file it came from and the
 * other columns keep their places.
 */
static int ensure_fields(struct printer *p, const struct kcap_event_ctx *c)
{
	const size_t n = sizeof(default_csv) / sizeof(default_csv[0]);
	unsigned int i;

	if (p->o.nfields)
		return 0;
	p->o.fields = calloc(n + 1, sizeof(*p->o.fields));
	if (!p->o.fields)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		if (kcap_field__parse(default_csv[i],
				      &p->o.fields[p->o.nfields]))
			p->o.nfields++;
	if (kcap_replay__inputs(c->rp) > 1 &&
	    kcap_field__parse("evt.src", &p->o.fields[p->o.nfields]))
		p->o.nfields++;
	return 0;
}

static void put_fields(struct printer *p, const struct kcap_event_ctx *c,
		       bool csv)
{
	unsigned int i;
	struct kcap_buf cell = { 0 };

	for (i = 0; i < p->o.nfields; i++) {
		if (i)
			kcap_buf__putc(&p->b, csv ? ',' : ' ');
		cell.len = 0;
		kcap_field__print(&cell, p->o.fields[i], c, &p->scratch);
		if (csv)
			csv_cell(&p->b, cell.data ? cell.data : "", cell.len);
		else if (cell.len)
			kcap_buf__write(&p->b, cell.data, cell.len);
		else
			kcap_buf__putc(&p->b, '-');
	}
	kcap_buf__free(&cell);
}

/* -j -F: an object of those fields only; null where the event has none */
static void put_fields_json(struct printer *p, const struct kcap_event_ctx *c)
{
	unsigned int i;

	kcap_buf__putc(&p->b, '{');
	for (i = 0; i < p->o.nfields; i++) {
		const struct kcap_field *f = p->o.fields[i];
		const char *n = kcap_field__name(f);
		struct kcap_val v;

		if (i)
			kcap_buf__putc(&p->b, ',');
		kcap_buf__json_str(&p->b, n, strlen(n));
		kcap_buf__putc(&p->b, ':');
		if (!kcap_field__get(f, c, 0, &v, &p->scratch))
			kcap_buf__puts(&p->b, "null");
		else if (v.kind == KCAP_V_INT && v.uns)
			kcap_buf__printf(&p->b, "%llu",
					 (unsigned long long)v.i);
		else if (v.kind == KCAP_V_INT)
			kcap_buf__printf(&p->b, "%lld", (long long)v.i);
		else
			kcap_buf__json_str(&p->b, v.s, v.n);
	}
	kcap_buf__putc(&p->b, '}');
}

static int printer_event(void *state, const struct kcap_event_ctx *c)
{
	struct printer *p = state;
	const struct kcap_hdr *ev = c->ev;
	int err;

	if (!p->first_ts)
		p->first_ts = c->ev->ts;
	if (p->o.normalize)
		ev = normalize(p, c);
	if (p->o.format == KCAP_OUT_CSV) {
		if (ensure_fields(p, c))
			return -ENOMEM;
		if (!p->header_done) {
			unsigned int i;

			for (i = 0; i < p->o.nfields; i++) {
				const char *n =
					kcap_field__name(p->o.fields[i]);

				if (i)
					kcap_buf__putc(&p->b, ',');
				csv_cell(&p->b, n, strlen(n));
			}
			kcap_buf__putc(&p->b, '\n');
			p->header_done = true;
		}
		put_fields(p, c, true);
	} else if (p->o.format == KCAP_OUT_JSON && p->o.nfields) {
		put_fields_json(p, c);
	} else if (p->o.format == KCAP_OUT_JSON) {
		put_json(p, c, ev);
	} else if (p->o.nfields) {
		put_fields(p, c, false);
	} else {
		put_text(p, c, ev);
	}
	kcap_buf__putc(&p->b, '\n');
	p->prev_ts = c->ev->ts;
	p->lines++;
	if (p->b.err)
		return p->b.err;
	err = flush_out(p, p->o.flush_each);
	if (!err && p->o.flush_each && fflush(p->out))
		err = -errno;
	return err;
}

static int printer_loss(void *state, const struct kcap_loss_ctx *l)
{
	struct printer *p = state;
	const struct kcap_ev_loss *r = l->loss;
	const struct kcap_event_desc *d =
		r->evtype ?
			kcap_schema__event(kcap_schema__builtin(), r->evtype) :
			NULL;
	const char *desc;

	if (p->o.format == KCAP_OUT_CSV)
		return 0; /* no comment lines in CSV: the CLI warns on stderr */
	/* with several inputs, which one lost them, as events say theirs */
	if (p->o.format == KCAP_OUT_JSON) {
		kcap_event__print_json(&p->b, kcap_schema__builtin(), &r->hdr);
		if (kcap_replay__inputs(p->rp) > 1 && p->b.len &&
		    p->b.data[p->b.len - 1] == '}') {
			const char *n = kcap_replay__input_name(p->rp, l->src);

			p->b.len--;
			kcap_buf__puts(&p->b, ",\"src\":");
			kcap_buf__json_str(&p->b, n, strlen(n));
			kcap_buf__putc(&p->b, '}');
		}
		kcap_buf__putc(&p->b, '\n');
		return p->b.err ? p->b.err : flush_out(p, p->o.flush_each);
	}
	kcap_buf__puts(&p->b, "# LOSS: ");
	if (kcap_replay__inputs(p->rp) > 1)
		kcap_buf__printf(&p->b, "[%u] ", l->src + 1);
	if (r->count != UINT64_MAX)
		kcap_buf__printf(&p->b, "%llu ", (unsigned long long)r->count);
	desc = kcap_loss_reason_desc(r->reason);
	kcap_buf__printf(&p->b, "%s events not recorded (%s) from ",
			 d ? d->name : "any", desc ? desc : "unknown reason");
	put_time(p, r->hdr.ts);
	kcap_buf__puts(&p->b, " to ");
	put_time(p, r->end_ts == UINT64_MAX ? r->hdr.ts : r->end_ts);
	kcap_buf__puts(&p->b, ": results may be incomplete\n");
	return p->b.err ? p->b.err : flush_out(p, p->o.flush_each);
}

static int printer_finish(void *state)
{
	struct printer *p = state;
	int err = p->b.err, ferr = flush_out(p, true);

	if (!ferr && fflush(p->out))
		ferr = -errno;
	if (!err)
		err = ferr;
	if (!kcap_printer_opts || p->o.fields != kcap_printer_opts->fields) {
		unsigned int i;

		for (i = 0; i < p->o.nfields; i++)
			kcap_field__free(p->o.fields[i]);
		free(p->o.fields);
	}
	kcap_buf__free(&p->b);
	kcap_buf__free(&p->scratch);
	nmap_free(&p->tasks);
	nmap_free(&p->fds);
	nmap_free(&p->inos);
	free(p->copy);
	free(p);
	return err;
}

const struct kcap_analyzer_ops kcap_analyzer_print = {
	.sz = sizeof(struct kcap_analyzer_ops),
	.name = "print",
	.help = "one line per event: text, JSON or CSV (the default)",
	.init = printer_init,
	.on_event = printer_event,
	.on_loss = printer_loss,
	.finish = printer_finish,
};
