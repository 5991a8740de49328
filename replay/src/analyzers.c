// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The built-in analyzers: summary, proctree, files and net. Each uses only
 * the public analyzer API (kcap/replay.h), as a plugin would.
 */
#include <stdio.h>

#include "internal.h"

/* ---- a string-keyed table ------------------------------------------------------ */

struct smap {
	char **keys;
	void **vals;
	uint32_t mask, count;
};

static uint64_t shash(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ull;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ (uint8_t)s[i]) * 1099511628211ull;
	return h;
}

/* The value slot for key (n bytes), created NULL if new; NULL on ENOMEM. */
static void **smap_slot(struct smap *m, const char *k, size_t n)
{
	uint32_t i;

	/* keys are C strings: a name with a NUL in it is known up to there */
	n = strnlen(k, n);

	if (!m->keys || (m->count + 1) * 2 > m->mask + 1) {
		uint32_t ncap = m->keys ? (m->mask + 1) * 2 : 64, j;
		char **nk = calloc(ncap, sizeof(*nk));
		void **nv = calloc(ncap, sizeof(*nv));

		if (!nk || !nv) {
			free(nk);
			free(nv);
			return NULL;
		}
		for (j = 0; m->keys && j <= m->mask; j++) {
			if (!m->keys[j])
				continue;
			i = (uint32_t)shash(m->keys[j], strlen(m->keys[j])) &
			    (ncap - 1);
			while (nk[i])
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
	i = (uint32_t)shash(k, n) & m->mask;
	while (m->keys[i]) {
		if (!strncmp(m->keys[i], k, n) && !m->keys[i][n])
			return &m->vals[i];
		i = (i + 1) & m->mask;
	}
	m->keys[i] = strndup(k, n);
	if (!m->keys[i])
		return NULL;
	m->count++;
	return &m->vals[i];
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The keys, sorted (caller frees the array, not the keys). */
static char **smap_sorted(const struct smap *m, uint32_t *n)
{
	char **out = calloc(m->count ? m->count : 1, sizeof(*out));
	uint32_t i, k = 0;

	if (!out)
		return NULL;
	for (i = 0; m->keys && i <= m->mask; i++)
		if (m->keys[i])
			out[k++] = m->keys[i];
	qsort(out, k, sizeof(*out), cmp_str);
	*n = k;
	return out;
}

/* Whether key (n bytes, as smap_slot() takes it) is in m. */
static bool smap_has(const struct smap *m, const char *k, size_t n)
{
	uint32_t i;

	if (!m->keys)
		return false;
	n = strnlen(k, n);
	i = (uint32_t)shash(k, n) & m->mask;
	while (m->keys[i]) {
		if (!strncmp(m->keys[i], k, n) && !m->keys[i][n])
			return true;
		i = (i + 1) & m->mask;
	}
	return false;
}

static void *smap_get(const struct smap *m, const char *k)
{
	uint32_t i;

	if (!m->keys)
		return NULL;
	i = (uint32_t)shash(k, strlen(k)) & m->mask;
	while (m->keys[i]) {
		if (!strcmp(m->keys[i], k))
			return m->vals[i];
		i = (i + 1) & m->mask;
	}
	return NULL;
}

static void smap_free(struct smap *m, bool free_vals)
{
	uint32_t i;

	for (i = 0; m->keys && i <= m->mask; i++) {
		free(m->keys[i]);
		if (free_vals)
			free(m->vals[i]);
	}
	free(m->keys);
	free(m->vals);
}

/*
 * A traced program's bytes (a name, a path, argv): a JSON string, or as
 * the event line escapes them, so that no control byte reaches the
 * terminal and a row stays one line.
 */
static void out_str(FILE *f, bool json, const char *s, size_t n)
{
	struct kcap_buf b = { 0 };

	if (json)
		kcap_buf__json_str(&b, s, n);
	else
		kcap_buf__escape(&b, s, n);
	if (b.data)
		fwrite(b.data, 1, b.len, f);
	kcap_buf__free(&b);
}

static void out_time(FILE *f, uint64_t ts)
{
	struct kcap_buf b = { 0 };

	kcap_buf__time(&b, ts);
	if (b.data)
		fputs(b.data, f);
	kcap_buf__free(&b);
}

static bool get_res(const struct kcap_event_ctx *c, int64_t *res)
{
	if (!c->desc || !(c->desc->flags & KCAP_EF_SYSCALL) ||
	    !c->desc->nfields || strcmp(c->desc->fields[0].name, "res"))
		return false;
	return kcap_field__get_int(&c->desc->fields[0], c->ev, res) == 1;
}

static bool get_var_named(const struct kcap_event_ctx *c, const char *name,
			  const uint8_t **d, size_t *n)
{
	const struct kcap_field_desc *f;

	if (!c->desc || !(f = kcap_event_desc__field(c->desc, name)) ||
	    f->type != KCAP_T_var)
		return false;
	return kcap_field__get_var(f, c->ev, d, n) == 1;
}

/*
 * A repeat record (kcap record --dedup-ms) stands for count I/O events of
 * type *type with result *res (FORMAT.md 7): the analyzers count those,
 * not the record. False for any other record, or one without the fields.
 */
static bool repeat_of(const struct kcap_event_ctx *c, unsigned int *type,
		      int64_t *res, uint64_t *count)
{
	const struct kcap_field_desc *ft, *fr, *fc;
	int64_t t, n;

	if (c->ev->type != KCAP_EV_repeat || !c->desc ||
	    !(ft = kcap_event_desc__field(c->desc, "evtype")) ||
	    !(fr = kcap_event_desc__field(c->desc, "res")) ||
	    !(fc = kcap_event_desc__field(c->desc, "count")) ||
	    kcap_field__get_int(ft, c->ev, &t) != 1 ||
	    kcap_field__get_int(fr, c->ev, res) != 1 ||
	    kcap_field__get_int(fc, c->ev, &n) != 1)
		return false;
	*type = (unsigned int)t;
	*count = (uint64_t)n;
	return true;
}

/* ---- summary ------------------------------------------------------------------ */

/*
 * Past this many rows of numbers without a name (TYPE_N), a further
 * number goes to the row TYPE_other: a crafted file could otherwise make
 * a row, and a map entry, of every nr value it holds.
 */
#define TIME_NUMBERS_MAX 1024

/* Time spent in the syscalls whose `dur` is known, as strace -c sums it. */
struct tstat {
	uint64_t timed, total, max; /* ns; total stops at UINT64_MAX */
};

/*
 * Per event type: the schema fields timing needs, looked up once per
 * descriptor rather than by name on every event, and the type's totals.
 */
struct ttype {
	const struct kcap_event_desc *desc; /* what dur and nr were found in */
	const struct kcap_field_desc *dur; /* NULL: the type is not timed */
	const struct kcap_field_desc *nr; /* the generic event's syscall nr */
	struct tstat t;
};

struct summary {
	struct kcap_analyzer_env env;
	const struct kcap_schema *sc; /* the built-in schema */
	uint64_t *by_type;
	unsigned int limit;
	uint64_t events, first_ts, last_ts;
	/*
	 * Types the built-in schema does not name, by the name the file's
	 * schema gives them ("unknown" if none does) -> count
	 */
	struct smap other_types;
	struct smap procs; /* "comm(pid)" -> count, as a pointer-sized int */
	struct smap errors; /* "type errno" -> count */
	uint64_t lost, loss_windows, *lost_by_type;
	uint64_t first_loss, last_loss;
	/*
	 * Events folded by --dedup-ms: in all (their LOSS records, which
	 * are not counted in lost, nor filtered: they name no process),
	 * and those that the repeat records read attribute (counted as
	 * events of their type), in how many records.
	 */
	uint64_t folded, folded_counted, repeats;
	struct ttype *ttypes; /* [limit], indexed as by_type */
	/*
	 * syscall name -> struct tstat: the generic event's, those of the
	 * types the built-in schema does not name, then all
	 */
	struct smap time_by_name;
	uint32_t numbers; /* rows in time_by_name named TYPE_N */
	struct kcap_buf nrname; /* scratch for a syscall nr's name */
	uint64_t timed; /* events with a known dur, over all types */
};

static void summary_free(struct summary *s)
{
	smap_free(&s->other_types, false);
	smap_free(&s->procs, false);
	smap_free(&s->errors, false);
	smap_free(&s->time_by_name, true);
	kcap_buf__free(&s->nrname);
	free(s->by_type);
	free(s->lost_by_type);
	free(s->ttypes);
	free(s);
}

static void *summary_init(struct kcap_replay *rp,
			  const struct kcap_analyzer_env *env)
{
	struct summary *s = calloc(1, sizeof(*s));

	(void)rp;
	if (!s)
		return NULL;
	s->env = *env;
	s->sc = kcap_schema__builtin();
	s->limit = kcap_schema__id_limit(s->sc) + 1;
	s->by_type = calloc(s->limit, sizeof(*s->by_type));
	s->lost_by_type = calloc(s->limit, sizeof(*s->lost_by_type));
	s->ttypes = calloc(s->limit, sizeof(*s->ttypes));
	if (!s->by_type || !s->lost_by_type || !s->ttypes) {
		summary_free(s);
		return NULL;
	}
	return s;
}

/* A sum of durations: on crafted values it stops at the top, not wraps. */
static uint64_t sat_add(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

/* Whether an nr's text is a syscall's name, not a number without one. */
static bool is_name(const char *p, size_t n)
{
	return n && ((p[0] >= 'a' && p[0] <= 'z') || p[0] == '_');
}

/*
 * The stats an event's time goes to: its type's, or, for an event that
 * stands for many syscalls (the generic `syscall`), that of the syscall
 * its nr names, so that futex and wait4 are told apart as strace -c does;
 * a number without a name is TYPE_N. An unknown nr stays with the type.
 * A type the built-in schema does not name (known: false) has no slot of
 * its own and is timed by the name the file's schema gives it, the name
 * "By event type" shows.
 */
static struct tstat *time_slot(struct summary *s, struct ttype *tt,
			       const struct kcap_event_ctx *c, bool known,
			       int *err)
{
	struct kcap_buf *b = &s->nrname;
	struct tstat **slot;
	bool number = false;
	int64_t nr;
	size_t pre;

	b->len = 0;
	if (tt->nr && kcap_field__get_int(tt->nr, c->ev, &nr) == 1) {
		/*
		 * Printed into the buffer, whatever its length (schema names
		 * run to 63 bytes): the type's name first, kept only if the
		 * nr turns out to have no name.
		 */
		kcap_buf__printf(b, "%s_", c->desc->name);
		pre = b->len;
		kcap_field__print_text(b, tt->nr, c->ev, 0);
		if (b->err)
			goto oom;
		if (is_name(b->data + pre, b->len - pre)) {
			memmove(b->data, b->data + pre, b->len - pre);
			b->len -= pre;
		} else if (s->numbers >= TIME_NUMBERS_MAX &&
			   !smap_has(&s->time_by_name, b->data, b->len)) {
			b->len = 0;
			kcap_buf__printf(b, "%s_other", c->desc->name);
		} else {
			number = true;
		}
	} else if (known) {
		return &tt->t;
	} else {
		kcap_buf__puts(b, c->desc->name);
	}
	if (b->err || !b->len)
		goto oom;
	slot = (struct tstat **)smap_slot(&s->time_by_name, b->data, b->len);
	if (!slot)
		goto oom;
	if (!*slot) {
		*slot = calloc(1, sizeof(**slot));
		if (!*slot)
			goto oom;
		s->numbers += number;
	}
	return *slot;
oom:
	*err = -ENOMEM;
	return NULL;
}

static int summary_time(struct summary *s, unsigned int type, bool known,
			const struct kcap_event_ctx *c)
{
	struct ttype *tt = &s->ttypes[type];
	struct tstat *t;
	int64_t v;
	int err = 0;

	if (tt->desc != c->desc) {
		tt->desc = c->desc;
		tt->dur = kcap_event_desc__dur(c->desc);
		tt->nr = tt->dur ? kcap_event_desc__field(c->desc, "nr") : NULL;
		if (tt->nr && tt->nr->fmt != KCAP_FMT_SYSCALL)
			tt->nr = NULL;
	}
	/* unknown (not measured, or a file from before dur) is not counted */
	if (!tt->dur || kcap_field__get_int(tt->dur, c->ev, &v) != 1)
		return 0;
	t = time_slot(s, tt, c, known, &err);
	if (!t)
		return err;
	t->timed++;
	t->total = sat_add(t->total, (uint64_t)v);
	if ((uint64_t)v > t->max)
		t->max = (uint64_t)v;
	s->timed++;
	return 0;
}

/* Adds n to the count a map keeps for key, as a pointer-sized int. */
static int smap_add(struct smap *m, const char *key, size_t len, uint64_t n)
{
	void **slot = smap_slot(m, key, len);

	if (!slot)
		return -ENOMEM;
	*slot = (void *)(uintptr_t)sat_add((uintptr_t)*slot, n);
	return 0;
}

static int summary_event(void *state, const struct kcap_event_ctx *c)
{
	struct summary *s = state;
	const struct kcap_event_desc *d = c->desc;
	unsigned int type = c->ev->type;
	uint64_t cnt = 1;
	bool known, has_res;
	char key[128]; /* a schema name (63 bytes) and an errno fit */
	int64_t res;
	int n;

	if (repeat_of(c, &type, &res, &cnt)) {
		/* the events it stands for, by their type */
		d = type < s->limit - 1 ? kcap_schema__event(s->sc, type) :
					  NULL;
		has_res = true;
		s->repeats++;
		s->folded_counted = sat_add(s->folded_counted, cnt);
	} else if (c->ev->type == KCAP_EV_repeat) {
		return 0; /* how many, or of what, is not known: none counted */
	} else {
		has_res = get_res(c, &res);
	}
	s->events = sat_add(s->events, cnt);
	if (!s->first_ts || c->ev->ts < s->first_ts)
		s->first_ts = c->ev->ts;
	if (c->ev->ts > s->last_ts)
		s->last_ts = c->ev->ts;
	type = type < s->limit - 1 ? type : s->limit - 1;
	known = type < s->limit - 1 && kcap_schema__event(s->sc, type);
	if (known) {
		s->by_type[type] = sat_add(s->by_type[type], cnt);
	} else {
		/* named as the errors and the time rows name it */
		const char *name = d ? d->name : "unknown";

		if ((n = smap_add(&s->other_types, name, strlen(name), cnt)))
			return n;
	}
	/* a repeat record has no time of its own: its events' are not kept */
	if (c->ev->type != KCAP_EV_repeat &&
	    (n = summary_time(s, type, known, c)) < 0)
		return n;
	n = snprintf(key, sizeof(key), "%s(%d)",
		     c->proc && c->proc->comm[0] ? c->proc->comm : "?",
		     c->proc ? c->proc->pid : -1);
	if ((n = smap_add(&s->procs, key, (size_t)n, cnt)))
		return n;
	if (has_res && res < 0 && res > -4096) {
		/* named as "By event type" names it */
		n = snprintf(key, sizeof(key), "%s %lld",
			     d ? d->name : "unknown", (long long)res);
		if ((n = smap_add(&s->errors, key, (size_t)n, cnt)))
			return n;
	}
	return 0;
}

static int summary_loss(void *state, const struct kcap_loss_ctx *l)
{
	struct summary *s = state;
	uint64_t cnt = l->loss->count == UINT64_MAX ? 0 : l->loss->count;

	if (l->loss->reason == KCAP_LOSS_DEDUP) {
		/* known by their repeat records, not lost (summary_finish()) */
		s->folded = sat_add(s->folded, cnt);
		return 0;
	}
	s->lost += cnt;
	s->loss_windows++;
	s->lost_by_type[l->loss->evtype < s->limit - 1 ? l->loss->evtype : 0] +=
		cnt;
	if (!s->first_loss || l->loss->hdr.ts < s->first_loss)
		s->first_loss = l->loss->hdr.ts;
	if (l->loss->end_ts != UINT64_MAX && l->loss->end_ts > s->last_loss)
		s->last_loss = l->loss->end_ts;
	return 0;
}

struct count_row {
	const char *key;
	uint64_t n;
};

static int cmp_rows(const void *a, const void *b)
{
	const struct count_row *x = a, *y = b;

	if (x->n != y->n)
		return x->n < y->n ? 1 : -1;
	return strcmp(x->key, y->key);
}

static struct count_row *rows_of(const struct smap *m, uint32_t *n)
{
	struct count_row *r = calloc(m->count ? m->count : 1, sizeof(*r));
	uint32_t i, k = 0;

	if (!r)
		return NULL;
	for (i = 0; m->keys && i <= m->mask; i++)
		if (m->keys[i]) {
			r[k].key = m->keys[i];
			r[k++].n = (uintptr_t)m->vals[i];
		}
	qsort(r, k, sizeof(*r), cmp_rows);
	*n = k;
	return r;
}

/* "openat -2" -> name "openat", errno text "ENOENT" */
static void error_name(const char *key, char *ev, size_t evcap, char *err,
		       size_t errcap, long long *res)
{
	const struct kcap_event_desc *d;
	const char *sp = strchr(key, ' ');
	struct kcap_buf b = { 0 };
	size_t n = sp ? (size_t)(sp - key) : strlen(key);

	snprintf(ev, evcap, "%.*s", (int)n, key);
	*res = sp ? strtoll(sp + 1, NULL, 10) : 0;
	snprintf(err, errcap, "%lld", *res);
	d = kcap_schema__event_by_name(kcap_schema__builtin(), ev);
	if (d && d->nfields && d->fields[0].fmt == KCAP_FMT_RES) {
		uint8_t rec[KCAP_FIXED_MAX] __attribute__((aligned(8)));
		const char *space;

		memset(rec, 0, sizeof(rec));
		memcpy(rec + d->fields[0].offset, res, 8);
		kcap_field__print_text(&b, &d->fields[0], rec, 0);
		if (b.data && (space = strchr(b.data, ' ')))
			snprintf(err, errcap, "%s", space + 1);
	}
	kcap_buf__free(&b);
}

struct time_row {
	const char *key;
	const struct tstat *t;
};

/* Most time first, as strace -c sorts; ties by name, for stable output. */
static int cmp_time_rows(const void *a, const void *b)
{
	const struct time_row *x = a, *y = b;

	if (x->t->total != y->t->total)
		return x->t->total < y->t->total ? 1 : -1;
	return strcmp(x->key, y->key);
}

/*
 * The timed rows, one per name: the types' own totals are merged into
 * time_by_name, so that should the generic event carry a syscall that
 * also has an event of its own, that syscall is still one row.
 */
static struct time_row *time_rows(struct summary *s, uint32_t *n)
{
	struct time_row *r;
	uint32_t i, k = 0;

	for (i = 0; i < s->limit; i++) {
		const struct kcap_event_desc *d = kcap_schema__event(s->sc, i);
		const struct tstat *t = &s->ttypes[i].t;
		struct tstat **slot;

		/* types without a built-in name were timed by name already */
		if (!t->timed || !d)
			continue;
		slot = (struct tstat **)smap_slot(&s->time_by_name, d->name,
						  strlen(d->name));
		if (!slot || (!*slot && !(*slot = calloc(1, sizeof(**slot)))))
			return NULL;
		(*slot)->timed += t->timed;
		(*slot)->total = sat_add((*slot)->total, t->total);
		if (t->max > (*slot)->max)
			(*slot)->max = t->max;
	}
	r = calloc(s->time_by_name.count ? s->time_by_name.count : 1,
		   sizeof(*r));
	if (!r)
		return NULL;
	for (i = 0; s->time_by_name.keys && i <= s->time_by_name.mask; i++)
		if (s->time_by_name.keys[i]) {
			r[k].key = s->time_by_name.keys[i];
			r[k++].t = s->time_by_name.vals[i];
		}
	qsort(r, k, sizeof(*r), cmp_time_rows);
	*n = k;
	return r;
}

/*
 * The counts by type, most first: the built-in schema's types by its
 * names, the others by the names their file gives them. A file's type
 * that bears a built-in type's name counts in that type's row, so that
 * no name is two rows (or a JSON key twice), as in time_rows().
 */
static struct count_row *type_rows(struct summary *s, uint32_t *n)
{
	struct smap *o = &s->other_types;
	struct count_row *r;
	uint32_t i, k = 0;

	for (i = 0; o->keys && i <= o->mask; i++) {
		const struct kcap_event_desc *d;

		if (!o->keys[i] ||
		    !(d = kcap_schema__event_by_name(s->sc, o->keys[i])) ||
		    d->id >= s->limit - 1)
			continue;
		s->by_type[d->id] += (uintptr_t)o->vals[i];
		o->vals[i] = NULL;
	}
	r = calloc(s->limit + o->count, sizeof(*r));
	if (!r)
		return NULL;
	for (i = 0; i < s->limit; i++) {
		const struct kcap_event_desc *d = kcap_schema__event(s->sc, i);

		if (s->by_type[i] && d) {
			r[k].key = d->name;
			r[k++].n = s->by_type[i];
		}
	}
	for (i = 0; o->keys && i <= o->mask; i++)
		if (o->keys[i] && o->vals[i]) {
			r[k].key = o->keys[i];
			r[k++].n = (uintptr_t)o->vals[i];
		}
	qsort(r, k, sizeof(*r), cmp_rows);
	*n = k;
	return r;
}

/*
 * A name column is 20 wide, or as wide as its longest name (syscalls
 * such as sched_get_priority_max, schema names of up to 63 bytes), so
 * that the numbers after it stay in their columns.
 */
static int widen(int w, const char *name)
{
	int l = (int)strlen(name);

	return l > w ? l : w;
}

static int summary_finish(void *state)
{
	struct summary *s = state;
	const struct kcap_schema *sc = s->sc;
	FILE *f = s->env.out ? s->env.out : stdout;
	bool json = s->env.json;
	struct count_row *rows, *tyrows;
	struct time_row *trows;
	uint32_t n = 0, i, shown = 0, ntime = 0, ntype = 0;
	int w;

	trows = time_rows(s, &ntime);
	tyrows = type_rows(s, &ntype);
	if (!trows || !tyrows) {
		free(trows);
		free(tyrows);
		summary_free(s);
		return -ENOMEM;
	}
	if (json) {
		fprintf(f, "{\"analyzer\":\"summary\",\"events\":%llu",
			(unsigned long long)s->events);
		fprintf(f, ",\"first_ts\":%llu,\"last_ts\":%llu",
			(unsigned long long)s->first_ts,
			(unsigned long long)s->last_ts);
		fprintf(f,
			",\"lost\":{\"events\":%llu,\"windows\":%llu,\"by_type\":{",
			(unsigned long long)s->lost,
			(unsigned long long)s->loss_windows);
		for (i = 0, shown = 0; i < s->limit; i++) {
			const struct kcap_event_desc *d =
				kcap_schema__event(sc, i);

			if (!s->lost_by_type[i])
				continue;
			fprintf(f, "%s\"%s\":%llu", shown++ ? "," : "",
				i == 0 ? "any" :
				d      ? d->name :
					 "?",
				(unsigned long long)s->lost_by_type[i]);
		}
		fprintf(f,
			"}},\"folded\":{\"events\":%llu,\"counted\":%llu,"
			"\"records\":%llu}",
			(unsigned long long)(s->folded > s->folded_counted ?
						     s->folded :
						     s->folded_counted),
			(unsigned long long)s->folded_counted,
			(unsigned long long)s->repeats);
		fprintf(f, ",\"incomplete\":%s,\"by_type\":{",
			s->lost || s->folded > s->folded_counted ? "true" :
								   "false");
		for (i = 0; i < ntype; i++) {
			fprintf(f, "%s", i ? "," : "");
			out_str(f, true, tyrows[i].key, strlen(tyrows[i].key));
			fprintf(f, ":%llu", (unsigned long long)tyrows[i].n);
		}
		/* always there, {} when nothing was timed: one shape to parse */
		fputs("},\"time_by_syscall\":{", f);
		for (i = 0; i < ntime; i++) {
			fprintf(f, "%s", i ? "," : "");
			out_str(f, true, trows[i].key, strlen(trows[i].key));
			fprintf(f,
				":{\"timed\":%llu,\"total_ns\":%llu,\"max_ns\":%llu}",
				(unsigned long long)trows[i].t->timed,
				(unsigned long long)trows[i].t->total,
				(unsigned long long)trows[i].t->max);
		}
		fputs("},\"by_process\":[", f);
	} else {
		fprintf(f, "Events:    %llu", (unsigned long long)s->events);
		if (s->events) {
			fputs(" from ", f);
			out_time(f, s->first_ts);
			fputs(" to ", f);
			out_time(f, s->last_ts);
			fprintf(f, " (%.3f s)",
				(double)(s->last_ts - s->first_ts) / 1e9);
		}
		fputc('\n', f);
		if (s->lost) {
			fprintf(f,
				"Lost:      %llu events in %llu window(s) from ",
				(unsigned long long)s->lost,
				(unsigned long long)s->loss_windows);
			out_time(f, s->first_loss);
			fputs(" to ", f);
			out_time(f, s->last_loss);
			fputs(": results may be incomplete\n", f);
			for (i = 0; i < s->limit; i++) {
				const struct kcap_event_desc *d =
					kcap_schema__event(sc, i);

				if (s->lost_by_type[i])
					fprintf(f, "  %-20s %12llu\n",
						i == 0 ? "any" :
						d      ? d->name :
							 "?",
						(unsigned long long)
							s->lost_by_type[i]);
			}
		} else {
			fputs("Lost:      0\n", f);
		}
		if (s->folded || s->repeats) {
			fprintf(f,
				"Folded:    %llu events into %llu repeat "
				"record(s) (--dedup-ms): counted by their type, "
				"their times not kept",
				(unsigned long long)s->folded_counted,
				(unsigned long long)s->repeats);
			if (s->folded > s->folded_counted)
				fprintf(f,
					"; %llu more that no repeat record read "
					"here attributes (a run still open when "
					"recording stopped, its record in the "
					"next file, or left out by a filter or "
					"a time range): not counted, results "
					"may be incomplete",
					(unsigned long long)(s->folded -
							     s->folded_counted));
			fputc('\n', f);
		}
		fputs("\nBy event type:\n", f);
		for (w = 20, i = 0; i < ntype; i++)
			w = widen(w, tyrows[i].key);
		for (i = 0; i < ntype; i++)
			fprintf(f, "  %-*s %12llu %6.2f%%\n", w, tyrows[i].key,
				(unsigned long long)tyrows[i].n,
				100.0 * (double)tyrows[i].n /
					(double)s->events);
		/*
		 * Only when something was timed: a file without durations
		 * reads as it did before dur existed.
		 */
		if (s->timed) {
			for (w = 20, i = 0; i < ntime; i++)
				w = widen(w, trows[i].key);
			fprintf(f, "\nTime by syscall (%llu timed events):\n",
				(unsigned long long)s->timed);
			fprintf(f, "  %-*s %12s %12s %11s %11s\n", w, "syscall",
				"timed", "seconds", "us/call", "max us");
			for (i = 0; i < ntime; i++) {
				const struct tstat *t = trows[i].t;

				/*
				 * a total stopped at UINT64_MAX gives an
				 * average below the true one, never above max
				 */
				fprintf(f,
					"  %-*s %12llu %12.6f %11.3f %11.3f\n",
					w, trows[i].key,
					(unsigned long long)t->timed,
					(double)t->total / 1e9,
					(double)t->total / (double)t->timed /
						1e3,
					(double)t->max / 1e3);
			}
		}
		fputs("\nBy process:\n", f);
	}
	rows = rows_of(&s->procs, &n);
	for (i = 0; rows && i < n; i++) {
		if (json) {
			const char *lp = strrchr(rows[i].key, '(');

			fprintf(f, "%s{\"proc\":", i ? "," : "");
			out_str(f, true, rows[i].key,
				lp ? (size_t)(lp - rows[i].key) :
				     strlen(rows[i].key));
			fprintf(f, ",\"pid\":%ld,\"events\":%llu}",
				lp ? strtol(lp + 1, NULL, 10) : -1L,
				(unsigned long long)rows[i].n);
		} else if (i < 50) {
			fputs("  ", f);
			out_str(f, false, rows[i].key, strlen(rows[i].key));
			fprintf(f, " %llu\n", (unsigned long long)rows[i].n);
		}
	}
	if (!json && n > 50)
		fprintf(f, "  (%u more)\n", n - 50);
	free(rows);
	fputs(json ? "],\"errors\":[" : "\nErrors:\n", f);
	rows = rows_of(&s->errors, &n);
	for (i = 0; rows && i < n; i++) {
		char ev[64], err[64];
		long long res;

		error_name(rows[i].key, ev, sizeof(ev), err, sizeof(err), &res);
		if (json)
			fprintf(f,
				"%s{\"type\":\"%s\",\"res\":%lld,\"error\":\"%s\",\"count\":%llu}",
				i ? "," : "", ev, res, err,
				(unsigned long long)rows[i].n);
		else
			fprintf(f, "  %-20s %-14s %12llu\n", ev, err,
				(unsigned long long)rows[i].n);
	}
	if (!json && !n)
		fputs("  none\n", f);
	free(rows);
	if (json)
		fputs("]}\n", f);
	fflush(f);
	free(trows);
	free(tyrows);
	summary_free(s);
	return 0;
}

const struct kcap_analyzer_ops kcap_analyzer_summary = {
	.sz = sizeof(struct kcap_analyzer_ops),
	.name = "summary",
	.help = "counts per event type and process, time per syscall when timed, errors by result, losses (-S)",
	.init = summary_init,
	.on_event = summary_event,
	.on_loss = summary_loss,
	.finish = summary_finish,
};

/* ---- proctree ------------------------------------------------------------------ */

struct pexec {
	uint64_t ts;
	char *exe, *argv;
	uint32_t argv_len;
};

struct pnode {
	int32_t pid, ppid;
	char comm[32];
	char *exe, *argv;
	uint32_t argv_len;
	uint64_t start_ts, exit_ts, first_seen;
	int64_t exit_code;
	bool exited;
	struct pexec *execs;
	uint32_t nexecs;
	int32_t *children; /* indexes into nodes */
	uint32_t nchildren;
	int32_t prev; /* the node this pid had before, -1 */
	bool has_parent;
};

struct proctree {
	struct kcap_analyzer_env env;
	struct kcap_replay *rp;
	struct pnode *nodes;
	uint32_t n, cap;
	int32_t *bypid; /* pid -> node index + 1, a map over pids */
	uint32_t bypid_cap;
};

static void *proctree_init(struct kcap_replay *rp,
			   const struct kcap_analyzer_env *env)
{
	struct proctree *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->env = *env;
	t->rp = rp;
	return t;
}

static char *dupmem(const char *s, size_t n)
{
	char *p = malloc(n + 1);

	if (p) {
		memcpy(p, s, n);
		p[n] = 0;
	}
	return p;
}

static int pt_index(struct proctree *t, int32_t pid)
{
	if (pid < 0 || (uint32_t)pid >= t->bypid_cap)
		return -1;
	return t->bypid[pid] - 1;
}

static struct pnode *pt_new(struct proctree *t, int32_t pid)
{
	struct pnode *n;

	if (pid < 0 || pid > (1 << 24))
		return NULL;
	if ((uint32_t)pid >= t->bypid_cap) {
		uint32_t ncap = t->bypid_cap ? t->bypid_cap : 4096;
		int32_t *nb;

		while (ncap <= (uint32_t)pid)
			ncap *= 2;
		nb = realloc(t->bypid, ncap * sizeof(*nb));
		if (!nb)
			return NULL;
		memset(nb + t->bypid_cap, 0,
		       (ncap - t->bypid_cap) * sizeof(*nb));
		t->bypid = nb;
		t->bypid_cap = ncap;
	}
	if (t->n == t->cap) {
		uint32_t ncap = t->cap ? t->cap * 2 : 64;
		struct pnode *nn = realloc(t->nodes, ncap * sizeof(*nn));

		if (!nn)
			return NULL;
		t->nodes = nn;
		t->cap = ncap;
	}
	n = &t->nodes[t->n];
	memset(n, 0, sizeof(*n));
	n->pid = pid;
	n->ppid = -1;
	n->prev = t->bypid[pid] - 1;
	t->bypid[pid] = (int32_t)++t->n;
	return n;
}

static void pt_fill(struct pnode *n, const struct kcap_proc *p, uint64_t ts)
{
	memcpy(n->comm, p->comm, sizeof(n->comm));
	n->ppid = p->ppid;
	n->start_ts = p->start_ts;
	n->first_seen = ts;
	n->exe = strdup(p->exe);
	n->argv = dupmem(p->argv, p->argv_len);
	n->argv_len = p->argv_len;
}

static int proctree_event(void *state, const struct kcap_event_ctx *c)
{
	struct proctree *t = state;
	const struct kcap_proc *p = c->proc;
	const char *name = c->desc ? c->desc->name : "";
	struct pnode *n;
	int64_t res = -1;
	int i;

	/* pids past the kernel's limit (2^22) come only from damaged data */
	if (!p || p->pid < 0 || p->pid > (1 << 24))
		return 0;
	i = pt_index(t, p->pid);
	n = i >= 0 ? &t->nodes[i] : NULL;
	if (!n || (n->exited && c->ev->ts > n->exit_ts)) {
		/* first sight, or a pid used again after its exit */
		n = pt_new(t, p->pid);
		if (!n)
			return -ENOMEM;
		pt_fill(n, p, c->ev->ts);
	}
	get_res(c, &res);
	if ((!strcmp(name, "execve") || !strcmp(name, "execveat")) &&
	    res == 0) {
		struct pexec *x =
			realloc(n->execs, (n->nexecs + 1) * sizeof(*x));

		if (!x)
			return -ENOMEM;
		n->execs = x;
		x = &x[n->nexecs++];
		x->ts = c->ev->ts;
		x->exe = strdup(p->exe);
		x->argv = dupmem(p->argv, p->argv_len);
		x->argv_len = p->argv_len;
		memcpy(n->comm, p->comm, sizeof(n->comm));
	} else if (c->desc && (c->desc->flags & KCAP_EF_PROC) && res > 0 &&
		   strncmp(name, "exec", 4)) {
		/* clone family, the parent's side: the child is new */
		const struct kcap_proc *cp;
		const struct kcap_ev_clone *cl = (const void *)c->ev;
		int32_t cpid = cl->child_pid > 0 ? cl->child_pid : (int32_t)res;
		struct pnode *cn;

		/* a thread, or no pid (a res past INT32_MAX went negative) */
		if ((cl->flags != UINT64_MAX && (cl->flags & 0x10000)) ||
		    cpid <= 0 || cpid > (1 << 24) ||
		    !(cp = kcap_replay__proc(c->rp, cpid)))
			return 0;
		i = pt_index(t, cpid);
		if (i >= 0 && !t->nodes[i].exited &&
		    t->nodes[i].start_ts == cp->start_ts)
			return 0;
		cn = pt_new(t, cpid);
		if (!cn)
			return -ENOMEM;
		pt_fill(cn, cp, c->ev->ts);
		cn->start_ts = c->ev->ts;
	} else if (!strcmp(name, "procexit") &&
		   c->ev->tid == (uint32_t)p->pid) {
		const struct kcap_ev_procexit *x = (const void *)c->ev;

		n->exited = true;
		n->exit_ts = c->ev->ts;
		n->exit_code = x->ret;
	}
	return 0;
}

static void pt_argv(FILE *f, bool json, const char *a, uint32_t n)
{
	uint32_t i = 0;
	bool first = true;

	fputc('[', f);
	while (i < n) {
		const char *z = memchr(a + i, 0, n - i);
		uint32_t l = z ? (uint32_t)(z - (a + i)) : n - i;

		if (!first)
			fputc(json ? ',' : ' ', f);
		first = false;
		out_str(f, json, a + i, l);
		i += l + 1;
	}
	fputc(']', f);
}

static void pt_print(struct proctree *t, FILE *f, uint32_t idx, int depth)
{
	struct pnode *n = &t->nodes[idx];
	bool json = t->env.json;
	uint32_t i;

	if (json) {
		fprintf(f, "{\"pid\":%d,\"ppid\":%d,\"name\":", n->pid,
			n->ppid);
		out_str(f, true, n->comm, strlen(n->comm));
		fputs(",\"exe\":", f);
		out_str(f, true, n->exe ? n->exe : "",
			n->exe ? strlen(n->exe) : 0);
		fputs(",\"argv\":", f);
		pt_argv(f, true, n->argv ? n->argv : "", n->argv_len);
		fprintf(f, ",\"start_ts\":");
		if (n->start_ts)
			fprintf(f, "%llu", (unsigned long long)n->start_ts);
		else
			fputs("null", f);
		if (n->exited)
			fprintf(f, ",\"exit_ts\":%llu,\"exit_code\":%lld",
				(unsigned long long)n->exit_ts,
				(long long)n->exit_code);
		else
			fputs(",\"exit_ts\":null,\"exit_code\":null", f);
		fputs(",\"execs\":[", f);
		for (i = 0; i < n->nexecs; i++) {
			fprintf(f, "%s{\"ts\":%llu,\"exe\":", i ? "," : "",
				(unsigned long long)n->execs[i].ts);
			out_str(f, true, n->execs[i].exe,
				strlen(n->execs[i].exe));
			fputs(",\"argv\":", f);
			pt_argv(f, true,
				n->execs[i].argv ? n->execs[i].argv : "",
				n->execs[i].argv_len);
			fputc('}', f);
		}
		fputs("],\"children\":[", f);
		for (i = 0; i < n->nchildren; i++) {
			if (i)
				fputc(',', f);
			if (depth < 512)
				pt_print(t, f, (uint32_t)n->children[i],
					 depth + 1);
			else
				fputs("null", f);
		}
		fputs("]}", f);
		return;
	}
	fprintf(f, "%*s", depth * 2, "");
	out_str(f, false, n->comm[0] ? n->comm : "?",
		n->comm[0] ? strlen(n->comm) : 1);
	fprintf(f, "(%d)", n->pid);
	if (n->nexecs ? 0 : n->exe && n->exe[0]) {
		fputc(' ', f);
		out_str(f, false, n->exe, strlen(n->exe));
	}
	if (!n->nexecs && n->argv_len) {
		fputc(' ', f);
		pt_argv(f, false, n->argv, n->argv_len);
	}
	if (n->start_ts) {
		fputs(" start=", f);
		out_time(f, n->start_ts);
	}
	if (n->exited) {
		fputs(" exit=", f);
		out_time(f, n->exit_ts);
		fprintf(f, " code=%lld", (long long)n->exit_code);
	}
	fputc('\n', f);
	for (i = 0; i < n->nexecs; i++) {
		fprintf(f, "%*s  exec ", depth * 2, "");
		if (n->execs[i].exe)
			out_str(f, false, n->execs[i].exe,
				strlen(n->execs[i].exe));
		fputc(' ', f);
		pt_argv(f, false, n->execs[i].argv ? n->execs[i].argv : "",
			n->execs[i].argv_len);
		fputs(" at ", f);
		out_time(f, n->execs[i].ts);
		fputc('\n', f);
	}
	for (i = 0; i < n->nchildren; i++)
		if (depth < 512)
			pt_print(t, f, (uint32_t)n->children[i], depth + 1);
}

/*
 * Live processes that did nothing in range (a shell waiting for its
 * child, init) still belong in the tree: they link their children to the
 * rest. Only their ancestors are added, not every idle process.
 */
static int pt_add_ancestors(struct proctree *t)
{
	uint32_t i, n = t->n;

	for (i = 0; i < n; i++) {
		int32_t ppid = t->nodes[i].ppid;
		unsigned int depth = 0;

		while (ppid > 0 && ppid <= (1 << 24) && depth++ < 64 &&
		       pt_index(t, ppid) < 0) {
			const struct kcap_proc *pp =
				kcap_replay__proc(t->rp, ppid);
			struct pnode *pn;

			if (!pp)
				break;
			pn = pt_new(t, ppid);
			if (!pn)
				return -ENOMEM;
			pt_fill(pn, pp, 0);
			ppid = pp->ppid;
		}
	}
	return 0;
}

static int proctree_finish(void *state)
{
	struct proctree *t = state;
	FILE *f = t->env.out ? t->env.out : stdout;
	uint32_t i, roots = 0;

	if (pt_add_ancestors(t))
		return -ENOMEM;

	/*
	 * link each node to the latest node of its parent's pid seen before
	 * it (ancestors added at the end count as seen first)
	 */
	for (i = 0; i < t->n; i++) {
		struct pnode *n = &t->nodes[i];
		int32_t best = -1, k;

		/* the nodes of the parent's pid, through their chain */
		for (k = n->ppid != n->pid ? pt_index(t, n->ppid) : -1; k >= 0;
		     k = t->nodes[k].prev)
			if ((uint32_t)k != i &&
			    t->nodes[k].first_seen <= n->first_seen &&
			    (best < 0 || t->nodes[k].first_seen >=
						 t->nodes[best].first_seen))
				best = k;
		if (best >= 0) {
			struct pnode *pn = &t->nodes[best];
			int32_t *c = realloc(pn->children,
					     (pn->nchildren + 1) * sizeof(*c));

			if (!c)
				return -ENOMEM;
			pn->children = c;
			c[pn->nchildren++] = (int32_t)i;
			n->has_parent = true;
		}
	}
	if (t->env.json)
		fputs("{\"analyzer\":\"proctree\",\"processes\":[", f);
	for (i = 0; i < t->n; i++) {
		if (t->nodes[i].has_parent)
			continue;
		if (t->env.json && roots)
			fputc(',', f);
		roots++;
		pt_print(t, f, i, 0);
	}
	if (t->env.json)
		fputs("]}\n", f);
	fflush(f);
	for (i = 0; i < t->n; i++) {
		uint32_t j;

		for (j = 0; j < t->nodes[i].nexecs; j++) {
			free(t->nodes[i].execs[j].exe);
			free(t->nodes[i].execs[j].argv);
		}
		free(t->nodes[i].execs);
		free(t->nodes[i].children);
		free(t->nodes[i].exe);
		free(t->nodes[i].argv);
	}
	free(t->nodes);
	free(t->bypid);
	free(t);
	return 0;
}

const struct kcap_analyzer_ops kcap_analyzer_proctree = {
	.sz = sizeof(struct kcap_analyzer_ops),
	.name = "proctree",
	.help = "the process tree, with exec lineage, argv and lifetimes",
	.init = proctree_init,
	.on_event = proctree_event,
	.finish = proctree_finish,
};

/* ---- files and net: I/O direction per event type ------------------------------------ */

static uint8_t *io_dirs(void)
{
	static const char *const rd[] = { "read",    "pread64", "readv",
					  "preadv",  "recv",	"recvfrom",
					  "recvmsg", "recvmmsg" };
	static const char *const wr[] = { "write",   "pwrite64", "writev",
					  "pwritev", "send",	 "sendto",
					  "sendmsg", "sendmmsg" };
	const struct kcap_schema *sc = kcap_schema__builtin();
	uint8_t *d = calloc(kcap_schema__id_limit(sc) + 1, 1);
	size_t i;

	if (!d)
		return NULL;
	for (i = 0; i < sizeof(rd) / sizeof(rd[0]); i++) {
		const struct kcap_event_desc *e =
			kcap_schema__event_by_name(sc, rd[i]);

		if (e)
			d[e->id] = 1;
	}
	for (i = 0; i < sizeof(wr) / sizeof(wr[0]); i++) {
		const struct kcap_event_desc *e =
			kcap_schema__event_by_name(sc, wr[i]);

		if (e)
			d[e->id] = 2;
	}
	return d;
}

/* ---- files ------------------------------------------------------------------------- */

struct fstat_ {
	uint64_t opens, open_errors, reads, writes, rbytes, wbytes;
	uint64_t renamed_from, renamed_to, deleted;
};

/*
 * Per thread, the row its last I/O event went to (NULL: none, the fd was
 * not one the analyzer counts), with that event's type and fd. A repeat
 * record stands for events identical to the thread's last I/O event
 * (FORMAT.md 7): they go to its row, though the fd was closed, or its
 * number taken by another file, by the time the run ended (a close ends
 * no run).
 */
struct last_io {
	uint32_t key; /* tid + 1; 0: a free slot */
	uint16_t evtype;
	int32_t fd;
	void *row;
};

struct last_io_map {
	struct last_io *v;
	uint32_t mask, count;
};

static struct last_io *last_io_find(const struct last_io_map *m, uint32_t tid)
{
	uint32_t i;

	if (!m->v || tid == UINT32_MAX)
		return NULL;
	for (i = (tid * 2654435761u) & m->mask; m->v[i].key;
	     i = (i + 1) & m->mask)
		if (m->v[i].key == tid + 1)
			return &m->v[i];
	return NULL;
}

static int last_io_set(struct last_io_map *m, uint32_t tid, uint16_t evtype,
		       int32_t fd, void *row)
{
	struct last_io *e = last_io_find(m, tid);
	uint32_t i;

	if (tid == UINT32_MAX)
		return 0;
	if (!e && (!m->v || (m->count + 1) * 2 > m->mask + 1)) {
		struct last_io_map n = { .mask = m->v ? m->mask * 2 + 1 : 255 };

		n.v = calloc((size_t)n.mask + 1, sizeof(*n.v));
		if (!n.v)
			return -ENOMEM;
		for (i = 0; m->v && i <= m->mask; i++) {
			struct last_io *o = &m->v[i];
			uint32_t j;

			if (!o->key)
				continue;
			for (j = ((o->key - 1) * 2654435761u) & n.mask;
			     n.v[j].key; j = (j + 1) & n.mask)
				;
			n.v[j] = *o;
		}
		n.count = m->count;
		free(m->v);
		*m = n;
	}
	if (!e) {
		for (i = (tid * 2654435761u) & m->mask; m->v[i].key;
		     i = (i + 1) & m->mask)
			;
		e = &m->v[i];
		e->key = tid + 1;
		m->count++;
	}
	e->evtype = evtype;
	e->fd = fd;
	e->row = row;
	return 0;
}

/*
 * The row a repeat record's events go to: the thread's last I/O's, found
 * (true) where that event was of the record's type and fd.
 */
static bool repeat_row(const struct last_io_map *m,
		       const struct kcap_event_ctx *c, unsigned int type,
		       void **row)
{
	const struct last_io *e = last_io_find(m, c->ev->tid);

	if (!e || e->evtype != type || e->fd != c->fdnum)
		return false;
	*row = e->row;
	return true;
}

/*
 * The state of the file and network analyzers: what they found, keyed by
 * name, and the direction of each event type.
 */
struct io_state {
	struct kcap_analyzer_env env;
	struct smap map; /* files: path; net: "pid|name|role" */
	/*
	 * net: "pid|fd" -> the role (1 connect, 2 accept) that gave the fd
	 * its socket, for the I/O on it: both ends of a unix socket bear its
	 * path, and one process may hold both.
	 */
	struct smap roles;
	struct last_io_map last; /* per thread: its last I/O's row */
	uint8_t *dir;
	unsigned int limit;
};

/*
 * An event's result and, for the read and write family, its direction (1
 * in, 2 out, else 0), how many events it stands for (a repeat record's
 * count, else 1) and of which type.
 */
static bool io_of(const struct io_state *s, const struct kcap_event_ctx *c,
		  int64_t *res, int *dir, uint64_t *n, unsigned int *type)
{
	*type = c->ev->type;
	*n = 1;
	if (!repeat_of(c, type, res, n) && !get_res(c, res))
		return false;
	*dir = *type < s->limit ? s->dir[*type] : 0;
	return true;
}

/* Adds n events of result res to a row's reads or writes and bytes. */
static void io_count(uint64_t *ops, uint64_t *bytes, int64_t res, uint64_t n)
{
	uint64_t b;

	*ops = sat_add(*ops, n);
	if (res > 0)
		*bytes = sat_add(*bytes,
				 __builtin_mul_overflow((uint64_t)res, n, &b) ?
					 UINT64_MAX :
					 b);
}

static void *io_init(struct kcap_replay *rp,
		     const struct kcap_analyzer_env *env)
{
	struct io_state *s = calloc(1, sizeof(*s));

	(void)rp;
	if (!s)
		return NULL;
	s->env = *env;
	s->dir = io_dirs();
	s->limit = kcap_schema__id_limit(kcap_schema__builtin());
	if (!s->dir) {
		free(s);
		return NULL;
	}
	return s;
}

/* The end of both reports: close the JSON, free what the state holds. */
static void io_done(struct io_state *s, FILE *f, char **keys)
{
	if (s->env.json)
		fputs("]}\n", f);
	fflush(f);
	free(keys);
	smap_free(&s->map, true);
	smap_free(&s->roles, false);
	free(s->last.v);
	free(s->dir);
	free(s);
}

static struct fstat_ *file_entry(struct io_state *s, const char *p, size_t n)
{
	void **slot = smap_slot(&s->map, p, n);

	if (!slot)
		return NULL;
	if (!*slot)
		*slot = calloc(1, sizeof(struct fstat_));
	return *slot;
}

/* A path argument made absolute against the process's cwd. */
static size_t abs_path(char *out, size_t cap, const struct kcap_proc *p,
		       const uint8_t *s, size_t n)
{
	size_t cl;

	if ((n && s[0] == '/') || !p || !p->cwd[0]) {
		n = n < cap - 1 ? n : cap - 1;
		memcpy(out, s, n);
		out[n] = 0;
		return n;
	}
	cl = strlen(p->cwd);
	if (cl + 1 + n >= cap)
		return 0;
	memcpy(out, p->cwd, cl);
	if (cl && p->cwd[cl - 1] != '/')
		out[cl++] = '/';
	memcpy(out + cl, s, n);
	out[cl + n] = 0;
	return cl + n;
}

static int files_event(void *state, const struct kcap_event_ctx *c)
{
	struct io_state *s = state;
	const char *name = c->desc ? c->desc->name : "";
	struct fstat_ *e;
	int64_t res;
	char path[4200];
	const uint8_t *d;
	unsigned int type;
	uint64_t cnt;
	size_t n;
	int dir;

	if (!io_of(s, c, &res, &dir, &cnt, &type))
		return 0;
	if (dir) {
		bool repeat = c->ev->type == KCAP_EV_repeat;
		void *row;

		if (repeat && repeat_row(&s->last, c, type, &row)) {
			e = row;
		} else {
			e = NULL;
			if (c->fd &&
			    (c->fd->kind == KCAP_FD_FILE ||
			     c->fd->kind == KCAP_FD_DIR) &&
			    c->fd->namelen &&
			    !(e = file_entry(s, kcap_fdinfo__name(c->fd),
					     c->fd->namelen)))
				return -ENOMEM;
		}
		if (!repeat && last_io_set(&s->last, c->ev->tid, (uint16_t)type,
					   c->fdnum, e))
			return -ENOMEM;
		if (!e)
			return 0;
		if (dir == 1)
			io_count(&e->reads, &e->rbytes, res, cnt);
		else
			io_count(&e->writes, &e->wbytes, res, cnt);
		return 0;
	}
	if (c->ev->type == KCAP_EV_repeat)
		return 0;
	if (!strncmp(name, "open", 4) || !strcmp(name, "creat")) {
		if (res >= 0 && c->fd) {
			e = file_entry(s, kcap_fdinfo__name(c->fd),
				       c->fd->namelen);
			if (!e)
				return -ENOMEM;
			e->opens++;
		} else if (res < 0 && (get_var_named(c, "name", &d, &n) ||
				       get_var_named(c, "path", &d, &n))) {
			n = abs_path(path, sizeof(path), c->proc, d, n);
			e = file_entry(s, path, n);
			if (!e)
				return -ENOMEM;
			e->open_errors++;
		}
		return 0;
	}
	if (res != 0)
		return 0;
	if (!strncmp(name, "rename", 6)) {
		if (get_var_named(c, "oldpath", &d, &n)) {
			n = abs_path(path, sizeof(path), c->proc, d, n);
			if (!(e = file_entry(s, path, n)))
				return -ENOMEM;
			e->renamed_from++;
		}
		if (get_var_named(c, "newpath", &d, &n)) {
			n = abs_path(path, sizeof(path), c->proc, d, n);
			if (!(e = file_entry(s, path, n)))
				return -ENOMEM;
			e->renamed_to++;
		}
	} else if (!strcmp(name, "unlink") || !strcmp(name, "unlinkat") ||
		   !strcmp(name, "rmdir")) {
		if (get_var_named(c, "path", &d, &n) ||
		    get_var_named(c, "name", &d, &n)) {
			n = abs_path(path, sizeof(path), c->proc, d, n);
			if (!(e = file_entry(s, path, n)))
				return -ENOMEM;
			e->deleted++;
		}
	}
	return 0;
}

/* A path as is, or as a JSON string when it has bytes a terminal mangles. */
static void out_path(FILE *f, const char *p)
{
	const unsigned char *c;

	for (c = (const unsigned char *)p; *c; c++)
		if (*c < 32 || *c >= 127 || *c == '"' || *c == ' ')
			break;
	out_str(f, *c != 0, p, strlen(p));
}

static int files_finish(void *state)
{
	struct io_state *s = state;
	FILE *f = s->env.out ? s->env.out : stdout;
	uint32_t n, i;
	char **keys = smap_sorted(&s->map, &n);

	if (!keys)
		return -ENOMEM;
	if (s->env.json)
		fputs("{\"analyzer\":\"files\",\"files\":[", f);
	else
		fprintf(f, "%8s %8s %8s %12s %8s %12s %7s %7s  %s\n", "opens",
			"errors", "reads", "bytes_read", "writes",
			"bytes_written", "renamed", "deleted", "path");
	for (i = 0; i < n; i++) {
		const struct fstat_ *e = smap_get(&s->map, keys[i]);

		if (s->env.json) {
			fprintf(f, "%s{\"path\":", i ? "," : "");
			out_str(f, true, keys[i], strlen(keys[i]));
			fprintf(f,
				",\"opens\":%llu,\"open_errors\":%llu,\"reads\":%llu,\"bytes_read\":%llu,\"writes\":%llu,\"bytes_written\":%llu,\"renamed_from\":%llu,\"renamed_to\":%llu,\"deleted\":%llu}",
				(unsigned long long)e->opens,
				(unsigned long long)e->open_errors,
				(unsigned long long)e->reads,
				(unsigned long long)e->rbytes,
				(unsigned long long)e->writes,
				(unsigned long long)e->wbytes,
				(unsigned long long)e->renamed_from,
				(unsigned long long)e->renamed_to,
				(unsigned long long)e->deleted);
		} else {
			fprintf(f,
				"%8llu %8llu %8llu %12llu %8llu %12llu %7llu %7llu  ",
				(unsigned long long)e->opens,
				(unsigned long long)e->open_errors,
				(unsigned long long)e->reads,
				(unsigned long long)e->rbytes,
				(unsigned long long)e->writes,
				(unsigned long long)e->wbytes,
				(unsigned long long)(e->renamed_from +
						     e->renamed_to),
				(unsigned long long)e->deleted);
			out_path(f, keys[i]);
			fputc('\n', f);
		}
	}
	io_done(s, f, keys);
	return 0;
}

const struct kcap_analyzer_ops kcap_analyzer_files = {
	.sz = sizeof(struct kcap_analyzer_ops),
	.name = "files",
	.help = "per path: opens, bytes read and written, renames and deletions",
	.init = io_init,
	.on_event = files_event,
	.finish = files_finish,
};

/* ---- net ---------------------------------------------------------------------------- */

struct conn {
	int32_t pid;
	char comm[32];
	uint16_t kind;
	uint8_t role; /* 0 unknown, 1 connect, 2 accept, 3 listen */
	uint64_t first_ts;
	uint64_t rbytes, wbytes, reads, writes, failed;
};

static bool is_sock(unsigned int kind)
{
	return kind >= KCAP_FD_SOCK_INET && kind <= KCAP_FD_SOCK_OTHER;
}

/* The row of the socket named name (of kind) of the event's process. */
static struct conn *conn_row(struct io_state *s, const struct kcap_event_ctx *c,
			     const char *name, unsigned int kind, int role)
{
	char key[300];
	/* the name cut, never the role: net_finish() splits the key at '|' */
	int n = snprintf(key, sizeof(key), "%d|%.256s|%d",
			 c->proc ? c->proc->pid : -1, name, role);
	void **slot = smap_slot(&s->map, key, (size_t)n);
	struct conn *e;

	if (!slot)
		return NULL;
	if (*slot)
		return *slot;
	e = *slot = calloc(1, sizeof(*e));
	if (!e)
		return NULL;
	e->pid = c->proc ? c->proc->pid : -1;
	if (c->proc)
		memcpy(e->comm, c->proc->comm, sizeof(e->comm));
	e->kind = (uint16_t)kind;
	e->role = (uint8_t)role;
	e->first_ts = c->ev->ts;
	return e;
}

static struct conn *conn_entry(struct io_state *s,
			       const struct kcap_event_ctx *c, int role)
{
	return conn_row(s, c, kcap_fdinfo__name(c->fd), c->fd->kind, role);
}

/*
 * A connect that failed leaves its socket unnamed: its row is named by
 * the address it was given ("->ADDR"), else no failure was ever counted.
 */
static int failed_connect(struct io_state *s, const struct kcap_event_ctx *c)
{
	const struct kcap_field_desc *f =
		kcap_event_desc__field(c->desc, "addr");
	struct kcap_buf b = { 0 };
	struct conn *e;

	if (!f)
		return 0;
	kcap_buf__puts(&b, "->");
	kcap_field__print_text(&b, f, c->ev, 0);
	e = b.data ? conn_row(s, c, b.data,
			      c->fd ? c->fd->kind : KCAP_FD_SOCK_OTHER, 1) :
		     NULL;
	kcap_buf__free(&b);
	if (!e)
		return -ENOMEM;
	e->failed++;
	return 0;
}

static int role_key(char *key, size_t size, const struct kcap_event_ctx *c)
{
	return snprintf(key, size, "%d|%d", c->proc ? c->proc->pid : -1,
			c->fdnum);
}

/* The fd's socket came from a connect (1) or an accept (2). */
static int set_role(struct io_state *s, const struct kcap_event_ctx *c,
		    int role)
{
	char key[32];
	void **slot;

	if (c->fdnum < 0)
		return 0;
	slot = smap_slot(&s->roles, key, (size_t)role_key(key, sizeof(key), c));
	if (!slot)
		return -ENOMEM;
	*slot = (void *)(uintptr_t)role;
	return 0;
}

/* Which of the fd's rows its I/O goes to: 0 where no event said. */
static int role_of(const struct io_state *s, const struct kcap_event_ctx *c)
{
	char key[32];

	if (c->fdnum < 0)
		return 0;
	role_key(key, sizeof(key), c);
	return (int)(uintptr_t)smap_get(&s->roles, key);
}

static int net_event(void *state, const struct kcap_event_ctx *c)
{
	struct io_state *s = state;
	const char *name = c->desc ? c->desc->name : "";
	struct conn *e;
	int64_t res;
	unsigned int type;
	uint64_t cnt;
	int dir;

	if (!io_of(s, c, &res, &dir, &cnt, &type))
		return 0;
	if (c->ev->type == KCAP_EV_repeat) {
		if (!dir)
			return 0;
		void *row;

		if (repeat_row(&s->last, c, type, &row)) {
			e = row;
		} else {
			/* the kept event is not known: the fd as it is now */
			e = NULL;
			if (c->fd && is_sock(c->fd->kind) && c->fd->namelen &&
			    !(e = conn_entry(s, c, role_of(s, c))))
				return -ENOMEM;
		}
		if (e && dir == 1)
			io_count(&e->reads, &e->rbytes, res, cnt);
		else if (e)
			io_count(&e->writes, &e->wbytes, res, cnt);
		return 0;
	}
	/* a closed fd, or one made anew but by accept, has no role yet */
	if (c->desc &&
	    ((c->desc->flags & KCAP_EF_FD_CREATE) || !strcmp(name, "close")) &&
	    strncmp(name, "accept", 6) && role_of(s, c) && set_role(s, c, 0))
		return -ENOMEM;
	if (res < 0 && res != -115 && !strcmp(name, "connect") &&
	    (!c->fd || !c->fd->namelen))
		return failed_connect(s, c);
	if (!c->fd || !is_sock(c->fd->kind) || !c->fd->namelen)
		/* I/O on no socket: a repeat of it is not this analyzer's */
		return dir ? last_io_set(&s->last, c->ev->tid, (uint16_t)type,
					 c->fdnum, NULL) :
			     0;
	if (!strcmp(name, "connect")) {
		if (!(e = conn_entry(s, c, 1)))
			return -ENOMEM;
		if (res < 0 && res != -115)
			e->failed++;
		else if (set_role(s, c, 1))
			return -ENOMEM;
	} else if (!strncmp(name, "accept", 6) && res >= 0) {
		if (!(e = conn_entry(s, c, 2)) || set_role(s, c, 2))
			return -ENOMEM;
	} else if (!strcmp(name, "listen") && res == 0) {
		if (!(e = conn_entry(s, c, 3)))
			return -ENOMEM;
	} else if (dir) {
		/*
		 * I/O on a socket named by an earlier connect or accept: its
		 * row, else one that net_finish() folds into the socket's
		 */
		if (!(e = conn_entry(s, c, role_of(s, c))) ||
		    last_io_set(&s->last, c->ev->tid, (uint16_t)type, c->fdnum,
				e))
			return -ENOMEM;
		if (dir == 1)
			io_count(&e->reads, &e->rbytes, res, cnt);
		else
			io_count(&e->writes, &e->wbytes, res, cnt);
	}
	return 0;
}

static const char *role_name(int r)
{
	return r == 1 ? "connect" :
	       r == 2 ? "accept" :
	       r == 3 ? "listen" :
			"io";
}

static int net_finish(void *state)
{
	struct io_state *s = state;
	FILE *f = s->env.out ? s->env.out : stdout;
	uint32_t n, i, shown = 0;
	char **keys = smap_sorted(&s->map, &n);

	if (!keys)
		return -ENOMEM;
	/* I/O rows fold into the connect/accept row of the same socket */
	for (i = 0; i < n; i++) {
		struct conn *e = smap_get(&s->map, keys[i]);
		size_t kl = strlen(keys[i]);
		char k2[320];
		int r;

		if (e->role != 0)
			continue;
		for (r = 1; r <= 2; r++) {
			struct conn *o;

			snprintf(k2, sizeof(k2), "%.*s%d", (int)(kl - 1),
				 keys[i], r);
			if ((o = smap_get(&s->map, k2))) {
				o->rbytes += e->rbytes;
				o->wbytes += e->wbytes;
				o->reads += e->reads;
				o->writes += e->writes;
				e->role = 255; /* folded */
				break;
			}
		}
	}
	if (s->env.json)
		fputs("{\"analyzer\":\"net\",\"sockets\":[", f);
	else
		fprintf(f, "%-8s %-7s %-20s %10s %10s %6s  %s\n", "role",
			"type", "process", "bytes_in", "bytes_out", "failed",
			"address");
	for (i = 0; i < n; i++) {
		const struct conn *e = smap_get(&s->map, keys[i]);
		const char *addr = strchr(keys[i], '|') + 1;
		size_t alen = (size_t)(strrchr(keys[i], '|') - addr);
		char proc[64];

		if (e->role == 255)
			continue;
		{
			struct kcap_buf eb = { 0 };

			kcap_buf__escape(&eb, e->comm, strlen(e->comm));
			snprintf(proc, sizeof(proc), "%.*s(%d)",
				 eb.data ? (int)eb.len : 0,
				 eb.data ? eb.data : "", e->pid);
			kcap_buf__free(&eb);
		}
		if (s->env.json) {
			fprintf(f,
				"%s{\"role\":\"%s\",\"type\":\"%s\",\"pid\":%d,\"proc\":",
				shown++ ? "," : "", role_name(e->role),
				kcap_fd_kind_name(e->kind), e->pid);
			out_str(f, true, e->comm, strlen(e->comm));
			fputs(",\"address\":", f);
			out_str(f, true, addr, alen);
			fprintf(f,
				",\"first_ts\":%llu,\"bytes_in\":%llu,\"bytes_out\":%llu,\"reads\":%llu,\"writes\":%llu,\"failed\":%llu}",
				(unsigned long long)e->first_ts,
				(unsigned long long)e->rbytes,
				(unsigned long long)e->wbytes,
				(unsigned long long)e->reads,
				(unsigned long long)e->writes,
				(unsigned long long)e->failed);
		} else {
			fprintf(f, "%-8s %-7s %-20s %10llu %10llu %6llu  ",
				role_name(e->role), kcap_fd_kind_name(e->kind),
				proc, (unsigned long long)e->rbytes,
				(unsigned long long)e->wbytes,
				(unsigned long long)e->failed);
			out_str(f, false, addr, alen);
			fputc('\n', f);
		}
	}
	io_done(s, f, keys);
	return 0;
}

const struct kcap_analyzer_ops kcap_analyzer_net = {
	.sz = sizeof(struct kcap_analyzer_ops),
	.name = "net",
	.help = "connections and listening sockets, with bytes each way",
	.init = io_init,
	.on_event = net_event,
	.finish = net_finish,
};

const struct kcap_analyzer_ops *kcap_analyzer__builtin(const char *name)
{
	static const struct kcap_analyzer_ops *const all[] = {
		&kcap_analyzer_summary, &kcap_analyzer_proctree,
		&kcap_analyzer_files,	&kcap_analyzer_net,
		&kcap_analyzer_print,
	};
	size_t i;

	for (i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		if (!strcmp(all[i]->name, name))
			return all[i];
	return NULL;
}
