// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The converter: legacy items from the reader, through the table, into a
 * kcap writer.
 *
 * Pairing (DESIGN.md section 6): an enter is copied into its thread's one
 * slot; the matching exit (code = enter + 1) merges with it and frees the
 * slot. An enter that finds the slot taken discards the older one (a stale
 * enter: its exit never came). An exit whose slot holds another type's
 * enter discards that one too and converts alone, with the fields only
 * the enter had left unknown. Everything is counted per legacy type.
 * A merged pair also gives the syscall's duration, the `dur` every syscall
 * event ends with: the exit's time less the enter's.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "scap_internal.h"

#define WRITER_NAME "kcap convert " KCAP_VERSION_STRING

/*
 * One per thread ever seen, kept small so that the hash table stays in
 * cache: the enter's parameter lengths and offsets live at the start of
 * data (struct pmeta), then its bytes.
 */
struct enter_slot {
	uint64_t tid;
	uint64_t offset; /* of the enter in the legacy stream */
	uint64_t ts; /* of the enter: its exit's dur starts here */
	uint8_t *data;
	uint32_t cap;
	uint16_t type; /* SLOT_EMPTY: no enter stored */
	uint8_t nparams;
	bool used;
};

struct pmeta {
	uint32_t len, off;
};

#define SLOT_EMPTY 0xffff

struct conv {
	struct scap_rd *rd;
	struct scap_item *it; /* the item being converted */
	int ret; /* the legacy reader's: <0 where the input is damaged */
	int werr; /* the writer's */
	bool done; /* the input ended, or something failed */
	const struct kcap_schema *s;
	const struct conv_table *t;
	struct kcap_writer *w;
	struct kcap_scap_report *rep;
	const struct kcap_scap_convert_opts *opts;
	struct enter_slot *slots;
	size_t nslots, used;
	/* SNAPSHOT and MACHINE records wait for the first event's time */
	uint8_t *snap;
	size_t snap_len, snap_cap;
	uint64_t snap_count;
	bool have_machine;
	struct scap_machine mi;
	uint16_t minor;
	/* tid -> pid from the process list, for fd ownership */
	uint64_t *pidmap; /* pairs tid, pid; open addressing on tid */
	size_t pidmap_n, pidmap_used;
	/* legacy drop windows, per cpu */
	uint64_t drop_start[256];
	bool drop_open[256];
	/*
	 * The latest legacy drop marker's time, start or end, of any CPU: an
	 * enter older than it may have lost its exit in the drop, so that
	 * the exit it meets is another call's (threads change CPUs).
	 */
	uint64_t last_drop_ts;
	uint64_t last_ts;
	uint8_t rec[KCAP_REC_MAX + 8] __attribute__((aligned(8)));
	uint8_t scratch[KCAP_REC_MAX]; /* argv being put together */
	const struct kcap_field_desc *snap_opt[32]; /* see snap_opts[] */
	const struct kcap_field_desc *fd_proto;
};

static void problem(struct conv *c, uint64_t off, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void problem(struct conv *c, uint64_t off, const char *fmt, ...)
{
	struct kcap_scap_report *rep = c->rep;
	va_list ap;

	rep->problems_total++;
	if (rep->nproblems >= KCAP_SCAP_MAX_PROBLEMS)
		return;
	rep->problems[rep->nproblems].offset = off;
	va_start(ap, fmt);
	vsnprintf(rep->problems[rep->nproblems].what,
		  sizeof(rep->problems[0].what), fmt, ap);
	va_end(ap);
	rep->nproblems++;
}

static struct kcap_scap_type_stats *tstat(struct conv *c, unsigned int type)
{
	return &c->rep->types[type < KCAP_SCAP_EVENT_MAX ?
				      type :
				      KCAP_SCAP_EVENT_MAX - 1];
}

static const char *lname(unsigned int type)
{
	const char *n = kcap_scap__event_name(type);

	return n ? n : "?";
}

const char *kcap_scap__event_name(unsigned int code)
{
	return code < SCAP_EVENT_COUNT ? scap_events[code].name : NULL;
}

/* ---- per-thread enter slots ------------------------------------------------ */

static inline size_t hash_tid(uint64_t tid, size_t n)
{
	return (size_t)((tid * 0x9E3779B97F4A7C15ull) >> 17) & (n - 1);
}

static int slots_grow(struct conv *c)
{
	size_t n = c->nslots ? c->nslots * 2 : 1024, i;
	struct enter_slot *ns = calloc(n, sizeof(*ns)), *old = c->slots;

	if (!ns)
		return -ENOMEM;
	for (i = 0; i < c->nslots; i++) {
		size_t h;

		if (!old[i].used)
			continue;
		h = hash_tid(old[i].tid, n);
		while (ns[h].used)
			h = (h + 1) & (n - 1);
		ns[h] = old[i];
	}
	free(old);
	c->slots = ns;
	c->nslots = n;
	return 0;
}

/* The slot of tid, made if need be (threads keep theirs: no deletion). */
static struct enter_slot *slot_get(struct conv *c, uint64_t tid, bool create)
{
	size_t h;

	if (c->nslots) {
		h = hash_tid(tid, c->nslots);
		while (c->slots[h].used) {
			if (c->slots[h].tid == tid)
				return &c->slots[h];
			h = (h + 1) & (c->nslots - 1);
		}
	}
	if (!create)
		return NULL;
	if ((c->used + 1) * 2 > c->nslots) {
		if (slots_grow(c))
			return NULL;
	}
	h = hash_tid(tid, c->nslots);
	while (c->slots[h].used)
		h = (h + 1) & (c->nslots - 1);
	c->slots[h].used = true;
	c->slots[h].tid = tid;
	c->slots[h].type = SLOT_EMPTY;
	c->used++;
	return &c->slots[h];
}

static int store_enter(struct conv *c, const struct scap_event *ev,
		       uint64_t off)
{
	struct enter_slot *sl = slot_get(c, ev->tid, true);
	size_t need = 0;
	uint32_t i;

	if (!sl)
		return -ENOMEM;
	if (sl->type != SLOT_EMPTY) {
		tstat(c, sl->type)->stale_enter++;
		c->rep->stale_enter++;
		problem(c, sl->offset,
			"%s enter of thread %llu discarded: its exit never "
			"came (next: %s)",
			lname(sl->type), (unsigned long long)ev->tid,
			lname(ev->type));
	}
	need = (size_t)ev->nparams * sizeof(struct pmeta);
	for (i = 0; i < ev->nparams; i++)
		need += ev->plen[i];
	if (need > sl->cap) {
		uint8_t *nd = realloc(sl->data, need);

		if (!nd)
			return -ENOMEM;
		sl->data = nd;
		sl->cap = (uint32_t)need;
	}
	need = (size_t)ev->nparams * sizeof(struct pmeta);
	for (i = 0; i < ev->nparams; i++) {
		struct pmeta m = { ev->plen[i], (uint32_t)need };

		memcpy(sl->data + i * sizeof(m), &m, sizeof(m));
		if (ev->plen[i])
			memcpy(sl->data + need, ev->params[i], ev->plen[i]);
		need += ev->plen[i];
	}
	sl->nparams = (uint8_t)ev->nparams;
	sl->type = ev->type;
	sl->offset = off;
	sl->ts = ev->ts;
	c->rep->enters_stored++;
	return 0;
}

/* ---- building kcap records --------------------------------------------------- */

static void put_int(uint8_t *p, uint8_t ktype, int64_t v)
{
	switch (ktype) {
	case KCAP_T_u8:
	case KCAP_T_s8:
		p[0] = (uint8_t)v;
		break;
	case KCAP_T_u16:
	case KCAP_T_s16: {
		uint16_t x = (uint16_t)v;

		memcpy(p, &x, 2);
		break;
	}
	case KCAP_T_u32:
	case KCAP_T_s32: {
		uint32_t x = (uint32_t)v;

		memcpy(p, &x, 4);
		break;
	}
	default: {
		uint64_t x = (uint64_t)v;

		memcpy(p, &x, 8);
	}
	}
}

/* The legacy integer of a parameter: 1 if read, 0 if its length is wrong. */
static int get_int(uint8_t xf, const uint8_t *p, uint32_t len, int64_t *v)
{
	switch (xf) {
	case XF_U8:
	case XF_S8:
		if (len != 1)
			return 0;
		*v = xf == XF_S8 ? (int8_t)p[0] : p[0];
		return 1;
	case XF_U16:
	case XF_S16:
		if (len != 2)
			return 0;
		*v = xf == XF_S16 ? (int16_t)sc_le16(p) : sc_le16(p);
		return 1;
	case XF_U32:
	case XF_S32:
		if (len != 4)
			return 0;
		*v = xf == XF_S32 ? (int64_t)(int32_t)sc_le32(p) :
				    (int64_t)sc_le32(p);
		return 1;
	case XF_OFLAGS:
	case XF_CLONE:
	case XF_MMAP:
	case XF_FCNTL:
	case XF_PTRACE:
	case XF_RESOLVE:
	case XF_DEV:
	case XF_EPOLL_FLAGS: {
		/* flag and enum parameters come in 1, 2, 4 or 8 bytes */
		uint64_t u;

		if (len == 1)
			u = p[0];
		else if (len == 2)
			u = sc_le16(p);
		else if (len == 4)
			u = sc_le32(p);
		else if (len == 8)
			u = sc_le64(p);
		else
			return 0;
		return scap_translate(xf, u, v) ? 1 : -1;
	}
	case XF_DYN_INT:
		/* the index byte says which integer type: its size says as much */
		if (len == 9)
			*v = (int64_t)sc_le64(p + 1);
		else if (len == 5)
			*v = (int64_t)(int32_t)sc_le32(p + 1);
		else if (len == 3)
			*v = (int16_t)sc_le16(p + 1);
		else if (len == 2)
			*v = p[1];
		else
			return 0;
		return 1;
	case XF_U64:
	case XF_S64:
		/* results and fds: some old shapes stored them in 4 bytes */
		if (len == 8)
			*v = (int64_t)sc_le64(p);
		else if (len == 4)
			*v = xf == XF_S64 ? (int64_t)(int32_t)sc_le32(p) :
					    (int64_t)sc_le32(p);
		else
			return 0;
		return 1;
	}
	return 0;
}

struct src {
	const uint8_t *p;
	uint32_t len;
};

static bool exit_param(const struct scap_event *ev, uint8_t i, struct src *s)
{
	if (i == NA || i >= ev->nparams || !ev->plen[i])
		return false;
	s->p = ev->params[i];
	s->len = ev->plen[i];
	return true;
}

static bool enter_param(const struct enter_slot *en, uint8_t i, struct src *s)
{
	struct pmeta m;

	if (!en || i == NA || i >= en->nparams)
		return false;
	memcpy(&m, en->data + i * sizeof(m), sizeof(m));
	if (!m.len)
		return false;
	s->p = en->data + m.off;
	s->len = m.len;
	return true;
}

/*
 * A whole list of strings as FORMAT.md has it, each NUL-terminated: one
 * that does not end with a NUL gets one (in c->scratch), or it would read
 * as cut by its writer. Returns where the list now is; *n its length.
 */
static const uint8_t *list_whole(struct conv *c, const uint8_t *p, size_t *n)
{
	if (!*n || !p[*n - 1] || *n >= sizeof(c->scratch))
		return p;
	memcpy(c->scratch, p, *n);
	c->scratch[(*n)++] = 0;
	return c->scratch;
}

/* How add_var() marks a value it has to cut (FORMAT.md, "Cut values"). */
enum var_kind { VK_BYTES, VK_STR, VK_LIST };

static int add_var(struct conv *c, struct kcap_builder *b, uint16_t off,
		   const void *data, size_t len, uint64_t at, const char *field,
		   enum var_kind kind)
{
	size_t room = KCAP_REC_MAX - b->len;

	if (len > room) {
		problem(c, at,
			"field %s cut from %zu to %zu bytes to fit a "
			"kcap record",
			field, len, room);
		len = room;
		if (kind == VK_STR && len) {
			/* room - 1 bytes of it, then the marking NUL */
			memmove(c->scratch, data, len - 1);
			c->scratch[len - 1] = 0;
			data = c->scratch;
		} else if (kind == VK_LIST) {
			/* a cut list does not end with a NUL */
			while (len && !((const uint8_t *)data)[len - 1])
				len--;
		}
	}
	return kcap_builder__var(b, off, data, len);
}

/* The new thread or process of a clone-family exit: 1 if known. */
static int child_of(const struct scap_event *ev, const struct conv_field *f,
		    struct src res, int64_t *v)
{
	struct src p;
	int64_t r, fl = 0;

	if (res.len != 8)
		return 0;
	r = (int64_t)sc_le64(res.p);
	if (r < 0)
		return 0; /* clone failed: there is no child */
	if (r == 0) /* this is the child: its own tid and pid */
		return exit_param(ev, f->xf == XF_CHILD_TID ? 3 : 4, &p) &&
		       get_int(XF_S64, p.p, p.len, v) == 1;
	if (f->xf == XF_CHILD_TID) {
		*v = r;
		return 1;
	}
	/* a new thread joins the caller's process; else it is its own */
	if (!exit_param(ev, f->aux, &p) ||
	    get_int(XF_U32, p.p, p.len, &fl) != 1)
		return 0;
	if (fl & (1 << 13)) /* PPM_CL_CLONE_THREAD */
		return exit_param(ev, 4, &p) &&
		       get_int(XF_S64, p.p, p.len, v) == 1;
	*v = r;
	return 1;
}

static int pid_of(struct conv *c, uint64_t tid, uint64_t *pid);
static int pid_put(struct conv *c, uint64_t tid, uint64_t pid);

/*
 * Which process each thread belongs to, from the process list and the
 * clone and execve events seen so far: it fills the tgid of a procexit,
 * whose legacy event does not say.
 */
static void learn_pids(struct conv *c, const struct kcap_event_desc *ev,
		       const uint8_t *rec)
{
	const struct kcap_field_desc *ft =
		kcap_event_desc__field(ev, "child_tid");
	const struct kcap_field_desc *fp =
		kcap_event_desc__field(ev, "child_pid");
	const struct kcap_hdr *h = (const struct kcap_hdr *)rec;
	int64_t t, p;

	if (ft && fp && kcap_field__get_int(ft, rec, &t) > 0 &&
	    kcap_field__get_int(fp, rec, &p) > 0 && t > 0 && p > 0) {
		pid_put(c, (uint64_t)t, (uint64_t)p);
		return;
	}
	fp = kcap_event_desc__field(ev, "tgid");
	ft = kcap_event_desc__field(ev, "res");
	/* a successful execve: the thread now leads its process */
	if ((ev->id == KCAP_EV_execve || ev->id == KCAP_EV_execveat) && fp &&
	    ft && kcap_field__get_int(ft, rec, &t) > 0 && t == 0 &&
	    kcap_field__get_int(fp, rec, &p) > 0 && p > 0)
		pid_put(c, h->tid, (uint64_t)p);
}

/*
 * The `dur` at off (0: the event has none) of an exit merged with its
 * enter en. Without the enter it stays unknown, and so it does when the
 * exit is earlier than its enter (two CPUs' clocks), or when a drop
 * marker came between them (the pair may be two calls'): a made-up
 * duration would read as a real one.
 */
static void put_dur(const struct conv *c, uint8_t *rec, uint16_t off,
		    const struct enter_slot *en, const struct scap_event *ev)
{
	uint64_t d;

	if (!off || !en || ev->ts < en->ts ||
	    (c->last_drop_ts && en->ts <= c->last_drop_ts))
		return;
	d = ev->ts - en->ts;
	memcpy(rec + off, &d, sizeof(d));
}

/*
 * XF_POLLFDS: struct pollfd (s32 fd, s16 events, s16 revents) for each
 * entry of the stored enter's list (events), its revents from the entry
 * of the same fd in the exit's list, which may hold only the fds that had
 * some; without the enter, the exit's entries with their revents. At
 * most KCAP_REC_MAX bytes; returns the length.
 */
static size_t poll_fds(const struct scap_event *ev, const struct enter_slot *en,
		       const struct conv_field *f, uint8_t *out)
{
	struct src x = { NULL, 0 }, e = { NULL, 0 };
	bool hx = exit_param(ev, f->x, &x) && x.len >= 2;
	bool he = enter_param(en, f->e, &e) && e.len >= 2;
	const struct src *l = he ? &e : &x;
	/* entries the list's length really holds */
	unsigned int nx = hx ? sc_le16(x.p) : 0, n, i, j;
	size_t k = 0;

	if (!he && !hx)
		return 0;
	n = sc_le16(l->p);
	if (n > (l->len - 2) / 10)
		n = (unsigned int)((l->len - 2) / 10);
	if (nx > (x.len - 2) / 10)
		nx = (unsigned int)((x.len - 2) / 10);
	for (i = 0; i < n && k + 8 <= KCAP_REC_MAX; i++) {
		const uint8_t *q = l->p + 2 + i * 10;
		int32_t fd = (int32_t)sc_le64(q);
		uint16_t evs = 0, rev = 0;

		if (he)
			evs = scap_poll_to_kernel(sc_le16(q + 8));
		for (j = 0; j < nx; j++) {
			const uint8_t *r = x.p + 2 + j * 10;

			if ((int32_t)sc_le64(r) == fd) {
				rev = scap_poll_to_kernel(sc_le16(r + 8));
				break;
			}
		}
		memcpy(out + k, &fd, 4);
		memcpy(out + k + 4, &evs, 2);
		memcpy(out + k + 6, &rev, 2);
		k += 8;
	}
	return k;
}

/* Builds and appends the kcap event of one row. */
static int emit_row(struct conv *c, const struct conv_resolved *rs,
		    const struct scap_event *ev, const struct enter_slot *en,
		    uint64_t off)
{
	struct kcap_builder b;
	uint8_t *rec;
	unsigned int i;
	int len, bad = 0, ok;

	/* as kcap_builder__start(), from the row's ready-made record */
	rec = c->rec;
	memcpy(rec, rs->tmpl, rs->ev->size);
	((struct kcap_hdr *)rec)->tid = (uint32_t)ev->tid;
	((struct kcap_hdr *)rec)->ts = ev->ts;
	b.buf = rec;
	b.cap = KCAP_REC_MAX;
	b.len = rs->ev->size;
	b.err = 0;
	for (i = 0; i < rs->nf; i++) {
		const struct conv_rfield *rf = &rs->rf[i];
		const struct conv_field *f = rf->f;
		struct src s;
		uint8_t tmp[128];
		size_t n;
		int64_t v;

		if (f->xf == XF_TGID) {
			uint64_t pid;

			/* what the lists and earlier events said of the tid */
			if (pid_of(c, ev->tid, &pid))
				put_int(rec + rf->off, rf->ktype, (int64_t)pid);
			continue;
		}
		if (!exit_param(ev, f->x, &s) && !enter_param(en, f->e, &s))
			continue; /* stays unknown */
		switch (f->xf) {
		case XF_UNTRANSLATED:
			continue;
		case XF_STR:
			/* legacy strings end with NULs; kcap's do not */
			n = s.len;
			while (n && s.p[n - 1] == 0)
				n--;
			add_var(c, &b, rf->off, s.p, n, off, f->name, VK_STR);
			break;
		case XF_ARGV: {
			const uint8_t *l;

			n = s.len;
			l = list_whole(c, s.p, &n);
			add_var(c, &b, rf->off, l, n, off, f->name, VK_LIST);
			break;
		}
		case XF_BYTES:
			add_var(c, &b, rf->off, s.p, s.len, off, f->name,
				VK_BYTES);
			break;
		case XF_ARGV_EXE: {
			/* kcap's argv starts with argv[0], legacy's exe */
			struct src a = { NULL, 0 };
			size_t room = KCAP_REC_MAX - b.len, n1, need, k;
			uint8_t *d = c->scratch;

			n1 = s.len;
			if (n1 && s.p[n1 - 1] == 0)
				n1--;
			exit_param(ev, f->aux, &a);
			n = a.len;
			if (n && a.p[n - 1] == 0)
				n--;
			/* each string NUL-terminated, as FORMAT.md has lists */
			need = n1 + 1 + (n ? n + 1 : 0);
			if (need > room)
				problem(c, off,
					"argv cut to fit a kcap record");
			k = n1 < room ? n1 : room;
			memcpy(d, s.p, k);
			if (k < room)
				d[k++] = 0;
			if (n && k < room) {
				size_t m = n < room - k ? n : room - k;

				memcpy(d + k, a.p, m);
				k += m;
				if (k < room)
					d[k++] = 0;
			}
			/* cut: the list must not end with a NUL */
			while (need > room && k && !d[k - 1])
				k--;
			kcap_builder__var(&b, rf->off, d, k);
			break;
		}
		case XF_SADDR:
			n = scap_saddr_to_kernel(s.p, s.len, tmp);
			add_var(c, &b, rf->off, tmp, n, off, f->name, VK_BYTES);
			break;
		case XF_TUP_SRC:
		case XF_TUP_DST:
			n = scap_tuple_to_kernel(s.p, s.len,
						 f->xf == XF_TUP_DST, tmp);
			add_var(c, &b, rf->off, tmp, n, off, f->name, VK_BYTES);
			break;
		case XF_POLLFDS:
			n = poll_fds(ev, en, f, c->scratch);
			add_var(c, &b, rf->off, c->scratch, n, off, f->name,
				VK_BYTES);
			break;
		case XF_CHILD_TID:
		case XF_CHILD_PID:
			if (child_of(ev, f, s, &v))
				put_int(rec + rf->off, rf->ktype, v);
			break;
		default:
			ok = get_int(f->xf, s.p, s.len, &v);
			if (ok < 0)
				continue; /* no kernel value: stays unknown */
			if (!ok) {
				if (!bad++)
					problem(c, off,
						"%s: parameter for %s has "
						"length %u, not its type's",
						lname(ev->type), f->name,
						s.len);
				continue;
			}
			put_int(rec + rf->off, rf->ktype, v);
		}
	}
	put_dur(c, rec, rs->dur_off, en, ev);
	if (bad)
		tstat(c, ev->type)->malformed++;
	len = kcap_builder__finish(&b);
	if (len < 0)
		return len;
	if (rs->ev->flags & KCAP_EF_PROC)
		learn_pids(c, rs->ev, rec);
	len = kcap_writer__append(c->w, rec);
	if (len < 0)
		return len;
	c->rep->events_written++;
	tstat(c, ev->type)->converted++;
	if (rs->ev->id == KCAP_EV_syscall) {
		c->rep->generic++;
		tstat(c, ev->type)->generic++;
	}
	return 0;
}

/* ---- snapshot, machine, loss ---------------------------------------------- */

int scap_buf_append(uint8_t **buf, size_t *len, size_t *cap, size_t first,
		    const void *p, size_t n)
{
	if (n > *cap - *len) {
		size_t c = *cap ? *cap * 2 : first;
		uint8_t *nb;

		while (c - *len < n)
			c *= 2;
		nb = realloc(*buf, c);
		if (!nb)
			return -ENOMEM;
		*buf = nb;
		*cap = c;
	}
	memcpy(*buf + *len, p, n);
	*len += n;
	return 0;
}

static int snap_add(struct conv *c, const void *rec, size_t len)
{
	int err = scap_buf_append(&c->snap, &c->snap_len, &c->snap_cap, 65536,
				  rec, len);

	if (!err)
		c->snap_count++;
	return err;
}

static void str_trim(struct scap_str *s)
{
	while (s->len && s->p[s->len - 1] == 0)
		s->len--;
}

/* A list of the process lists, whole (see list_whole()). */
static void put_list(struct conv *c, struct kcap_builder *b, uint16_t off,
		     const uint8_t *p, size_t n)
{
	p = list_whole(c, p, &n);
	kcap_builder__var(b, off, p, n);
}

static int pid_of(struct conv *c, uint64_t tid, uint64_t *pid)
{
	size_t h;

	if (!c->pidmap_n)
		return 0;
	h = hash_tid(tid, c->pidmap_n);
	while (c->pidmap[2 * h] != UINT64_MAX) {
		if (c->pidmap[2 * h] == tid) {
			*pid = c->pidmap[2 * h + 1];
			return 1;
		}
		h = (h + 1) & (c->pidmap_n - 1);
	}
	return 0;
}

static int pid_put(struct conv *c, uint64_t tid, uint64_t pid)
{
	size_t h;

	if ((c->pidmap_used + 1) * 2 > c->pidmap_n) {
		size_t n = c->pidmap_n ? c->pidmap_n * 2 : 1024, i;
		uint64_t *nm = malloc(n * 2 * sizeof(*nm)), *old = c->pidmap;

		if (!nm)
			return -ENOMEM;
		memset(nm, 0xff, n * 2 * sizeof(*nm));
		for (i = 0; i < c->pidmap_n; i++) {
			if (old[2 * i] == UINT64_MAX)
				continue;
			h = hash_tid(old[2 * i], n);
			while (nm[2 * h] != UINT64_MAX)
				h = (h + 1) & (n - 1);
			nm[2 * h] = old[2 * i];
			nm[2 * h + 1] = old[2 * i + 1];
		}
		free(old);
		c->pidmap = nm;
		c->pidmap_n = n;
	}
	h = hash_tid(tid, c->pidmap_n);
	while (c->pidmap[2 * h] != UINT64_MAX && c->pidmap[2 * h] != tid)
		h = (h + 1) & (c->pidmap_n - 1);
	if (c->pidmap[2 * h] == UINT64_MAX)
		c->pidmap_used++;
	c->pidmap[2 * h] = tid;
	c->pidmap[2 * h + 1] = pid;
	return 0;
}

/*
 * Process-list values that kcap's snap_proc may or may not have fields
 * for (convert-format.patch appends them): each is written when the
 * schema has a field of that name, so the snapshot carries what the
 * legacy list held as soon as the schema can hold it.
 */
enum { OPT_U64, OPT_U32, OPT_DEV, OPT_PID, OPT_STR };

static const struct snap_opt {
	const char *name;
	uint16_t off; /* in struct scap_proc */
	uint8_t kind;
	uint8_t min_version; /* of the list block, 9: needs the `has` bit */
	uint32_t has;
} snap_opts[] = {
	{ "loginuid", offsetof(struct scap_proc, loginuid), OPT_U32, 9,
	  SCAP_PH_LOGINUID },
	{ "fdlimit", offsetof(struct scap_proc, fdlimit), OPT_U64, 1, 0 },
	{ "cap_inheritable", offsetof(struct scap_proc, cap_inheritable),
	  OPT_U64, 9, SCAP_PH_CAPS },
	{ "cap_permitted", offsetof(struct scap_proc, cap_permitted), OPT_U64,
	  9, SCAP_PH_CAPS },
	{ "cap_effective", offsetof(struct scap_proc, cap_effective), OPT_U64,
	  9, SCAP_PH_CAPS },
	{ "exe_ino", offsetof(struct scap_proc, exe_ino), OPT_U64, 9,
	  SCAP_PH_EXE_INO },
	{ "exe_ino_ctime", offsetof(struct scap_proc, exe_ino_ctime), OPT_U64,
	  9, SCAP_PH_EXE_INO },
	{ "exe_ino_mtime", offsetof(struct scap_proc, exe_ino_mtime), OPT_U64,
	  9, SCAP_PH_EXE_INO },
	{ "pidns_init_start_ts",
	  offsetof(struct scap_proc, pidns_init_start_ts), OPT_U64, 9,
	  SCAP_PH_PIDNS_TS },
	{ "pgft_maj", offsetof(struct scap_proc, pgft_maj), OPT_U64, 2, 0 },
	{ "pgft_min", offsetof(struct scap_proc, pgft_min), OPT_U64, 2, 0 },
	{ "vpgid", offsetof(struct scap_proc, vpgid), OPT_PID, 8, 0 },
	{ "tty", offsetof(struct scap_proc, tty), OPT_DEV, 9, SCAP_PH_TTY },
	{ "vm_size", offsetof(struct scap_proc, vm_size), OPT_U32, 2, 0 },
	{ "vm_rss", offsetof(struct scap_proc, vm_rss), OPT_U32, 2, 0 },
	{ "vm_swap", offsetof(struct scap_proc, vm_swap), OPT_U32, 2, 0 },
	{ "env", offsetof(struct scap_proc, env), OPT_STR, 3, 0 },
};

#define N_SNAP_OPTS (sizeof(snap_opts) / sizeof(snap_opts[0]))

static void snap_opts_resolve(struct conv *c)
{
	const struct kcap_event_desc *ev =
		kcap_schema__event(c->s, KCAP_EV_snap_proc);
	size_t i;

	for (i = 0; i < N_SNAP_OPTS; i++) {
		const struct kcap_field_desc *f =
			kcap_event_desc__field(ev, snap_opts[i].name);

		/* a field of another kind than expected is left alone */
		if (f &&
		    (f->type == KCAP_T_var) != (snap_opts[i].kind == OPT_STR))
			f = NULL;
		c->snap_opt[i] = f;
	}
	ev = kcap_schema__event(c->s, KCAP_EV_snap_fd);
	c->fd_proto = kcap_event_desc__field(ev, "proto");
	if (c->fd_proto && c->fd_proto->type == KCAP_T_var)
		c->fd_proto = NULL;
}

static void snap_opts_fill(struct conv *c, struct kcap_builder *b,
			   struct scap_proc *p)
{
	const uint8_t *base = (const uint8_t *)p;
	size_t i;

	for (i = 0; i < N_SNAP_OPTS; i++) {
		const struct snap_opt *o = &snap_opts[i];
		const struct kcap_field_desc *f = c->snap_opt[i];
		int64_t v;

		if (!f || p->version < o->min_version ||
		    (o->has && !(p->has & o->has)))
			continue;
		switch (o->kind) {
		case OPT_U64: {
			uint64_t u;

			memcpy(&u, base + o->off, 8);
			v = (int64_t)u;
			break;
		}
		case OPT_U32:
		case OPT_DEV: {
			uint32_t u;

			memcpy(&u, base + o->off, 4);
			v = o->kind == OPT_DEV ? scap_dev_to_kernel(u) : u;
			break;
		}
		case OPT_PID:
			memcpy(&v, base + o->off, 8);
			if (v == -1)
				continue; /* the list's "none" */
			break;
		default: {
			struct scap_str str;

			memcpy(&str, base + o->off, sizeof(str));
			str_trim(&str);
			if (f->fmt == KCAP_FMT_ARGV)
				put_list(c, b, f->offset, str.p, str.len);
			else
				kcap_builder__var(b, f->offset, str.p, str.len);
			continue;
		}
		}
		put_int(b->buf + f->offset, f->type, v);
	}
}

static int add_proc(struct conv *c, struct scap_proc *p)
{
	struct kcap_ev_snap_proc *r;
	struct kcap_builder b;
	uint8_t argv[1024 + 1 + 4096 + 1];
	size_t n;
	int len;

	r = kcap_builder__start(&b, c->rec, sizeof(c->rec), c->s,
				KCAP_EV_snap_proc, (uint32_t)p->tid, 0);
	if (!r)
		return b.err;
	r->tgid = (int32_t)p->pid;
	r->ppid = (int32_t)p->ptid;
	if (p->pgid != -1)
		r->pgid = (int32_t)p->pgid;
	if (p->sid != -1)
		r->sid = (int32_t)p->sid;
	if (p->vpid != -1)
		r->vpid = (int32_t)p->vpid;
	if (p->vtid != -1)
		r->vtid = (int32_t)p->vtid;
	/* the legacy list's uid and gid are the effective ones (/proc) */
	r->euid = p->uid;
	r->egid = p->gid;
	str_trim(&p->comm);
	str_trim(&p->exepath);
	str_trim(&p->exe);
	str_trim(&p->args);
	str_trim(&p->cwd);
	str_trim(&p->cgroups);
	str_trim(&p->root);
	kcap_builder__var(&b, offsetof(struct kcap_ev_snap_proc, comm),
			  p->comm.p, p->comm.len);
	if (p->exepath.len)
		kcap_builder__var(&b, offsetof(struct kcap_ev_snap_proc, exe),
				  p->exepath.p, p->exepath.len);
	/* argv[0] is the list's exe, then its NUL-separated args */
	n = p->exe.len;
	memcpy(argv, p->exe.p, n);
	if (n || p->args.len)
		argv[n++] = 0;
	if (p->args.len) {
		memcpy(argv + n, p->args.p, p->args.len);
		n += p->args.len;
		argv[n++] = 0; /* each string NUL-terminated (FORMAT.md) */
	}
	kcap_builder__var(&b, offsetof(struct kcap_ev_snap_proc, argv), argv,
			  n);
	kcap_builder__var(&b, offsetof(struct kcap_ev_snap_proc, cwd), p->cwd.p,
			  p->cwd.len);
	snap_opts_fill(c, &b, p);
	if (p->version >= 4)
		put_list(c, &b, offsetof(struct kcap_ev_snap_proc, cgroups),
			 p->cgroups.p, p->cgroups.len);
	if (p->version >= 5)
		kcap_builder__var(&b, offsetof(struct kcap_ev_snap_proc, root),
				  p->root.p, p->root.len);
	len = kcap_builder__finish(&b);
	if (len < 0)
		return len;
	c->rep->snap_procs++;
	pid_put(c, p->tid, p->pid);
	return snap_add(c, r, (size_t)len);
}

static uint32_t fd_kind(uint8_t t)
{
	static const uint8_t map[22] = {
		[1] = KCAP_FD_FILE,	     [2] = KCAP_FD_DIR,
		[3] = KCAP_FD_SOCK_INET,     [4] = KCAP_FD_SOCK_INET6,
		[5] = KCAP_FD_SOCK_INET,     [6] = KCAP_FD_SOCK_INET6,
		[7] = KCAP_FD_PIPE,	     [8] = KCAP_FD_SOCK_UNIX,
		[9] = KCAP_FD_EVENTFD,	     [10] = KCAP_FD_UNKNOWN,
		[11] = KCAP_FD_SIGNALFD,     [12] = KCAP_FD_EPOLL,
		[13] = KCAP_FD_INOTIFY,	     [14] = KCAP_FD_TIMERFD,
		[15] = KCAP_FD_SOCK_NETLINK, [16] = KCAP_FD_FILE,
		[17] = KCAP_FD_BPF,	     [18] = KCAP_FD_USERFAULTFD,
		[19] = KCAP_FD_IOURING,	     [20] = KCAP_FD_MEMFD,
		[21] = KCAP_FD_PIDFD,
	};

	return t < 22 ? map[t] : KCAP_FD_UNKNOWN;
}

static size_t fd_addr(const struct scap_fd *f, bool remote, uint8_t *out)
{
	if (remote && (f->type == 5 || f->type == 6))
		return 0; /* a listening socket has no peer */
	if (f->v6)
		return put_sa6(out, remote ? f->dip : f->sip,
			       remote ? f->dport : f->sport);
	return put_sa4(out, remote ? f->dip : f->sip,
		       remote ? f->dport : f->sport);
}

static int add_fd(struct conv *c, struct scap_fd *f)
{
	struct kcap_ev_snap_fd *r;
	struct kcap_builder b;
	uint64_t pid = f->tid;
	uint8_t sa[128];
	size_t n;
	int len;

	pid_of(c, f->tid, &pid);
	r = kcap_builder__start(&b, c->rec, sizeof(c->rec), c->s,
				KCAP_EV_snap_fd, (uint32_t)pid, 0);
	if (!r)
		return b.err;
	r->ino = f->ino;
	r->tgid = (int32_t)pid;
	r->fd = (int32_t)f->fd;
	r->kind = fd_kind(f->type);
	if (f->has_flags)
		r->flags = scap_oflags_to_kernel(f->open_flags);
	if (f->has_dev)
		r->dev = scap_dev_to_kernel(f->dev);
	if (c->fd_proto && f->type >= 3 && f->type <= 6) {
		/* legacy l4proto: 2 TCP, 3 UDP, 4 ICMP, 5 RAW; 0/1: none */
		static const uint8_t ipproto[6] = { 0, 0, 6, 17, 1, 255 };

		if (f->l4proto >= 2 && f->l4proto <= 5)
			put_int((uint8_t *)r + c->fd_proto->offset,
				c->fd_proto->type, ipproto[f->l4proto]);
	}
	str_trim(&f->name);
	if (f->type >= 3 && f->type <= 6) {
		n = fd_addr(f, false, sa);
		kcap_builder__var(&b, offsetof(struct kcap_ev_snap_fd, laddr),
				  sa, n);
		n = fd_addr(f, true, sa);
		kcap_builder__var(&b, offsetof(struct kcap_ev_snap_fd, raddr),
				  sa, n);
	} else if (f->type != 0) {
		kcap_builder__var(&b, offsetof(struct kcap_ev_snap_fd, path),
				  f->name.p, f->name.len);
	}
	len = kcap_builder__finish(&b);
	if (len < 0)
		return len;
	c->rep->snap_fds++;
	return snap_add(c, r, (size_t)len);
}

/* MACHINE and SNAPSHOT go out before the section's first event, at its time. */
static int flush_meta(struct conv *c, uint64_t ts)
{
	int err;

	if (c->have_machine) {
		struct kcap_ev_machine *m;
		struct kcap_builder b;
		char cmd[512];
		size_t n = 0;
		int i, len;

		m = kcap_builder__start(&b, c->rec, sizeof(c->rec), c->s,
					KCAP_EV_machine, 0, ts);
		if (!m)
			return b.err;
		if (c->mi.boot_ts)
			m->boot_wall_ns = c->mi.boot_ts;
		m->mem_bytes = c->mi.mem_bytes;
		m->cpus = c->mi.cpus;
		kcap_builder__var(&b,
				  offsetof(struct kcap_ev_machine, hostname),
				  c->mi.hostname, strlen(c->mi.hostname));
		n = (size_t)snprintf(cmd, sizeof(cmd),
				     WRITER_NAME " (from .scap %u.%u)", 1,
				     c->minor);
		kcap_builder__var(&b, offsetof(struct kcap_ev_machine, writer),
				  cmd, n);
		n = 0;
		for (i = 0; c->opts && i < c->opts->argc && c->opts->argv;
		     i++) {
			size_t l = strlen(c->opts->argv[i]);

			if (n + l + 1 > sizeof(cmd)) {
				/* cut: the list loses its NULs at the end */
				while (n && !cmd[n - 1])
					n--;
				break;
			}
			memcpy(cmd + n, c->opts->argv[i], l + 1);
			n += l + 1;
		}
		if (n)
			kcap_builder__var(
				&b, offsetof(struct kcap_ev_machine, cmdline),
				cmd, n);
		len = kcap_builder__finish(&b);
		if (len < 0)
			return len;
		err = kcap_writer__write_block(c->w, KCAP_BLOCK_MACHINE, m,
					       (size_t)len);
		if (err)
			return err;
		c->have_machine = false;
	}
	if (c->snap_len) {
		size_t at = 0;

		while (at < c->snap_len) {
			struct kcap_hdr *h = (struct kcap_hdr *)(c->snap + at);

			h->ts = ts;
			at += h->len;
		}
		err = kcap_writer__write_block(c->w, KCAP_BLOCK_SNAPSHOT,
					       c->snap, c->snap_len);
		if (err)
			return err;
		c->snap_len = 0;
	}
	return 0;
}

static int emit_loss(struct conv *c, uint64_t start, uint64_t end, uint16_t cpu)
{
	struct kcap_ev_loss *l;
	struct kcap_builder b;
	int len;

	l = kcap_builder__start(&b, c->rec, sizeof(c->rec), c->s, KCAP_EV_loss,
				0, start);
	if (!l)
		return b.err;
	/* the legacy drop events tell when, not how many: count unknown */
	l->end_ts = end;
	l->cpu = cpu;
	l->evtype = 0;
	l->reason = KCAP_LOSS_SOURCE;
	len = kcap_builder__finish(&b);
	if (len < 0)
		return len;
	c->rep->loss_records++;
	return kcap_writer__write_block(c->w, KCAP_BLOCK_LOSS, l, (size_t)len);
}

/*
 * A legacy syscall exit that has no row: the generic `syscall` event; en
 * is its enter if they merged.
 */
static int emit_generic(struct conv *c, const struct scap_event *ev,
			const struct enter_slot *en)
{
	struct kcap_ev_syscall *r;
	struct kcap_builder b;
	int len;

	r = kcap_builder__start(&b, c->rec, sizeof(c->rec), c->s,
				KCAP_EV_syscall, (uint32_t)ev->tid, ev->ts);
	if (!r)
		return b.err;
	if (scap_events[ev->type].nr >= 0)
		r->nr = (uint32_t)scap_events[ev->type].nr;
	/* every legacy syscall exit starts with its 8-byte result */
	if (ev->nparams && ev->plen[0] == 8)
		r->res = (int64_t)sc_le64(ev->params[0]);
	put_dur(c, (uint8_t *)r, conv_table__generic_dur(c->t), en, ev);
	len = kcap_builder__finish(&b);
	if (len < 0)
		return len;
	len = kcap_writer__append(c->w, r);
	if (len < 0)
		return len;
	c->rep->events_written++;
	c->rep->generic++;
	tstat(c, ev->type)->converted++;
	tstat(c, ev->type)->generic++;
	return 0;
}

static void drop(struct conv *c, unsigned int type, uint64_t off,
		 const char *why)
{
	struct kcap_scap_type_stats *ts = tstat(c, type);

	ts->dropped++;
	c->rep->dropped++;
	if (ts->dropped == 1)
		problem(c, off, "%s (legacy event %u) not converted: %s",
			lname(type), type, why);
}

/* True if the row has a field only the enter can give and the exit lacks. */
static bool needs_enter(const struct conv_resolved *rs,
			const struct scap_event *ev)
{
	unsigned int i;

	for (i = 0; i < rs->nf; i++) {
		const struct conv_field *f = rs->rf[i].f;

		if (f->e != NA &&
		    (f->x == NA || f->x >= ev->nparams || !ev->plen[f->x]))
			return true;
	}
	return false;
}

/*
 * The enter an exit merges with: its thread's stored enter of the same
 * syscall, or NULL. An enter of another syscall is discarded (its exit
 * never came), so that a later exit of that syscall does not take it.
 */
static struct enter_slot *pair_of(struct conv *c, const struct scap_event *ev,
				  struct kcap_scap_type_stats *ts)
{
	struct enter_slot *sl = slot_get(c, ev->tid, false);

	if (!sl || sl->type == SLOT_EMPTY)
		return NULL;
	if (sl->type == (ev->type ^ 1)) {
		ts->merged++;
		c->rep->merged++;
		return sl;
	}
	tstat(c, sl->type)->stale_enter++;
	c->rep->stale_enter++;
	problem(c, sl->offset,
		"%s enter of thread %llu discarded: the thread's next exit "
		"is %s",
		lname(sl->type), (unsigned long long)ev->tid, lname(ev->type));
	sl->type = SLOT_EMPTY;
	return NULL;
}

static int on_event(struct conv *c, struct scap_item *it)
{
	struct scap_event *ev = &it->ev;
	unsigned int type = ev->type;
	struct kcap_scap_type_stats *ts;
	const struct conv_resolved *rs;
	struct enter_slot *sl;
	int err;

	c->rep->events_read++;
	if (c->have_machine || c->snap_len) {
		err = flush_meta(c, ev->ts);
		if (err)
			return err;
	}
	c->last_ts = ev->ts;
	if (type >= SCAP_EVENT_COUNT) {
		/* a newer recorder's event: counted in total, not per type */
		c->rep->unknown_type++;
		c->rep->dropped++;
		if (c->rep->unknown_type == 1)
			problem(c, it->offset,
				"legacy event %u not converted: beyond the "
				"legacy event table this kcap knows",
				type);
		return 0;
	}
	ts = tstat(c, type);
	ts->read++;
	if (ev->flags & 1)
		ts->state_only++;
	rs = conv_table__find(c->t, type, ev->nparams);
	if (rs) {
		struct enter_slot *en = NULL;

		switch (rs->row->action) {
		case ACT_EXIT:
			en = pair_of(c, ev, ts);
			if (!en && needs_enter(rs, ev)) {
				ts->no_enter++;
				c->rep->no_enter++;
				if (ts->no_enter == 1)
					problem(c, it->offset,
						"%s exit of thread %llu "
						"without its enter: fields "
						"only the enter had are "
						"unknown",
						lname(type),
						(unsigned long long)ev->tid);
			}
			err = emit_row(c, rs, ev, en, it->offset);
			if (en)
				en->type = SLOT_EMPTY;
			return err;
		case ACT_EMIT:
			if (rs->ev->id == KCAP_EV_procexit) {
				/*
				 * The thread is gone: an enter it left (exit,
				 * exit_group: they never return) will have no
				 * exit, and is not a stale one either.
				 */
				sl = slot_get(c, ev->tid, false);
				if (sl && sl->type != SLOT_EMPTY) {
					c->rep->pending_at_end++;
					sl->type = SLOT_EMPTY;
				}
			}
			return emit_row(c, rs, ev, NULL, it->offset);
		case ACT_DROP_START:
			c->last_drop_ts = ev->ts;
			c->drop_start[ev->cpu & 255] = ev->ts;
			c->drop_open[ev->cpu & 255] = true;
			ts->converted++;
			return 0;
		case ACT_DROP_END: {
			uint64_t start = c->drop_open[ev->cpu & 255] ?
						 c->drop_start[ev->cpu & 255] :
						 ev->ts;

			c->drop_open[ev->cpu & 255] = false;
			c->last_drop_ts = ev->ts;
			ts->converted++;
			return emit_loss(c, start, ev->ts, ev->cpu);
		}
		}
	}
	if (scap_events[type].flags & SCAP_EVF_UNUSED) {
		ts->dropped_unused++;
		drop(c, type, it->offset, "an unused legacy event type");
		return 0;
	}
	if (!(type & 1)) {
		/* an enter: keep it when its exit converts */
		if (conv_table__has(c->t, type | 1) ||
		    scap_events[type].nr >= 0)
			return store_enter(c, ev, it->offset);
		ts->dropped_unsupported++;
		drop(c, type, it->offset,
		     "not a syscall, and kcap has no event for it");
		return 0;
	}
	if (scap_events[type].nr >= 0) {
		struct enter_slot *en = pair_of(c, ev, ts);

		err = emit_generic(c, ev, en);
		if (en)
			en->type = SLOT_EMPTY;
		return err;
	}
	ts->dropped_unsupported++;
	drop(c, type, it->offset,
	     "not a syscall, and kcap has no event for it");
	return 0;
}

static int finish(struct conv *c)
{
	size_t i;
	int err;

	err = flush_meta(c, c->last_ts);
	if (err)
		return err;
	for (i = 0; i < c->nslots; i++) {
		if (c->slots[i].used && c->slots[i].type != SLOT_EMPTY) {
			c->rep->pending_at_end++;
			c->slots[i].type = SLOT_EMPTY;
		}
	}
	for (i = 0; i < 256; i++) {
		if (c->drop_open[i]) {
			/* still dropping when the capture ended */
			err = emit_loss(c, c->drop_start[i], c->last_ts,
					(uint16_t)i);
			if (err)
				return err;
			c->drop_open[i] = false;
		}
	}
	return 0;
}

/*
 * As libbpf: a caller built against a newer scap.h may pass a bigger
 * struct, but only with its unknown fields zero.
 */
static bool opts_valid(const struct kcap_scap_convert_opts *opts)
{
	const uint8_t *p = (const uint8_t *)opts;
	size_t i;

	if (!opts)
		return true;
	if (opts->sz < sizeof(size_t))
		return false;
	for (i = sizeof(*opts); i < opts->sz; i++)
		if (p[i])
			return false;
	return true;
}

struct conv *scap_conv__new(struct scap_rd *rd, struct kcap_writer *w,
			    const struct kcap_scap_convert_opts *opts,
			    struct kcap_scap_report *rep, int *err)
{
	struct conv *c;
	const char *msg = NULL;

	memset(rep, 0, sizeof(*rep));
	if (!opts_valid(opts)) {
		rep->err = -EINVAL;
		snprintf(rep->err_msg, sizeof(rep->err_msg),
			 "unknown fields set in kcap_scap_convert_opts");
		*err = -EINVAL;
		return NULL;
	}
	c = calloc(1, sizeof(*c));
	if (c)
		c->it = malloc(sizeof(*c->it));
	if (!c || !c->it) {
		free(c);
		*err = -ENOMEM;
		return NULL;
	}
	c->rd = rd;
	c->s = kcap_schema__builtin();
	c->w = w;
	c->rep = rep;
	c->opts = opts;
	snap_opts_resolve(c);
	c->t = conv_table__get(&msg);
	if (!c->t) {
		snprintf(rep->err_msg, sizeof(rep->err_msg), "%s", msg);
		rep->err = -EINVAL;
		*err = -EINVAL;
		free(c->it);
		free(c);
		return NULL;
	}
	return c;
}

int scap_conv__step(struct conv *c)
{
	struct kcap_scap_report *rep = c->rep;
	struct scap_item *it = c->it;
	int ret, werr = 0;

	if (c->done)
		return 0;
	ret = scap_rd__next(c->rd, it);
	if (ret <= 0) {
		c->ret = ret;
		c->done = true;
		return 0;
	}
	rep->blocks++;
	switch (it->kind) {
	case SCAP_IT_SECTION:
		/*
		 * A new section is a capture of its own: what the last one
		 * left open (enters, drop windows, lists) ends with it and
		 * pairs with nothing in this one.
		 */
		if (rep->sections)
			werr = finish(c);
		rep->sections++;
		c->minor = it->minor;
		break;
	case SCAP_IT_MACHINE:
		c->mi = it->mi;
		c->mi.hostname[128] = 0;
		c->have_machine = true;
		break;
	case SCAP_IT_PROC:
		rep->blocks--; /* entries, not blocks */
		werr = add_proc(c, &it->proc);
		break;
	case SCAP_IT_FD:
		rep->blocks--;
		werr = add_fd(c, &it->fd);
		break;
	case SCAP_IT_OTHER_LIST:
		rep->blocks--;
		break;
	case SCAP_IT_SKIPPED:
		rep->skipped_blocks++;
		problem(c, it->offset,
			"block type 0x%x unknown: skipped by its length",
			it->block_type);
		break;
	case SCAP_IT_BAD_EVENT:
		rep->events_read++;
		rep->dropped++;
		if (it->ev.type < SCAP_EVENT_COUNT) {
			tstat(c, it->ev.type)->read++;
			tstat(c, it->ev.type)->dropped++;
			tstat(c, it->ev.type)->dropped_bad++;
		}
		problem(c, it->offset, "event skipped: %s", it->why);
		break;
	case SCAP_IT_EVENT:
		werr = on_event(c, it);
		break;
	}
	if (werr) {
		c->werr = werr;
		c->done = true;
		return 0;
	}
	return 1;
}

int scap_conv__end(struct conv *c)
{
	struct kcap_scap_report *rep = c->rep;
	struct kcap_writer *w = c->w;
	int ret = c->ret, werr = c->werr;
	size_t i;

	/* a conversion stopped early (its reader closed) ends as it is */
	if (c->done && !werr)
		werr = finish(c);
	rep->bytes_in = scap_rd__bytes(c->rd);
	rep->gzip = scap_rd__gzip(c->rd);
	if (werr) {
		ret = werr;
		rep->err = werr;
		rep->err_offset = c->it->offset;
		snprintf(rep->err_msg, sizeof(rep->err_msg),
			 "writing the kcap file: %s%s%s", strerror(-werr),
			 kcap_writer__errmsg(w) ? ": " : "",
			 kcap_writer__errmsg(w) ? kcap_writer__errmsg(w) : "");
	} else if (ret < 0) {
		rep->err = ret;
		rep->err_offset = scap_rd__err_offset(c->rd);
		snprintf(rep->err_msg, sizeof(rep->err_msg), "%s",
			 scap_rd__errmsg(c->rd));
	}
	for (i = 0; i < c->nslots; i++)
		free(c->slots[i].data);
	free(c->slots);
	free(c->snap);
	free(c->pidmap);
	free(c->it);
	free(c);
	return ret < 0 ? ret : 0;
}

int scap_convert_rd(struct scap_rd *rd, struct kcap_writer *w,
		    const struct kcap_scap_convert_opts *opts,
		    struct kcap_scap_report *rep)
{
	struct conv *c;
	int err;

	c = scap_conv__new(rd, w, opts, rep, &err);
	if (!c)
		return err;
	while (scap_conv__step(c))
		;
	return scap_conv__end(c);
}

/* Runs a conversion with a report of its own when the caller gives none. */
static int convert_rd(struct scap_rd *rd, struct kcap_writer *w,
		      const struct kcap_scap_convert_opts *opts,
		      struct kcap_scap_report *rep)
{
	struct kcap_scap_report *own = NULL;
	int ret;

	if (!rep) {
		own = malloc(sizeof(*own));
		if (!own)
			return -ENOMEM;
		rep = own;
	}
	ret = scap_convert_rd(rd, w, opts, rep);
	free(own);
	return ret;
}

int kcap_scap__convert(const char *in_path, struct kcap_writer *w,
		       const struct kcap_scap_convert_opts *opts,
		       struct kcap_scap_report *rep)
{
	struct scap_rd *rd;
	int ret;

	if (!in_path || !w)
		return -EINVAL;
	rd = scap_rd__open(in_path);
	if (!rd) {
		ret = -errno;
		if (rep) {
			memset(rep, 0, sizeof(*rep));
			rep->err = ret;
			snprintf(rep->err_msg, sizeof(rep->err_msg), "%s: %s",
				 in_path, strerror(-ret));
		}
		return ret;
	}
	ret = convert_rd(rd, w, opts, rep);
	scap_rd__close(rd);
	return ret;
}

int kcap_scap__convert_mem(const void *buf, size_t len, struct kcap_writer *w,
			   const struct kcap_scap_convert_opts *opts,
			   struct kcap_scap_report *rep)
{
	struct scap_rd *rd;
	int ret;

	if ((!buf && len) || !w)
		return -EINVAL;
	rd = scap_rd__open_mem(buf, len);
	if (!rd) {
		ret = -errno;
		if (rep) {
			memset(rep, 0, sizeof(*rep));
			rep->err = ret;
		}
		return ret;
	}
	ret = convert_rd(rd, w, opts, rep);
	scap_rd__close(rd);
	return ret;
}
