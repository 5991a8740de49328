// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The schema: descriptor tables generated from events.def, their SCHEMA
 * block form (FORMAT.md 6.3), and the parser for SCHEMA blocks of files.
 */
#include <pthread.h>
#include <stdlib.h>

#include "internal.h"

/* One descriptor array per event, generated from the list. */
#define KCAP_EVENT(name, id, cls, flags) \
	static const struct kcap_field_desc kcap_fields_##name[] = {
#define KCAP_FIELD(ev, fname, type, fmt, src)                   \
	{ #fname,	  offsetof(struct kcap_ev_##ev, fname), \
	  KCAP_T_##type,  sizeof(KCAP_CTYPE_##type),            \
	  KCAP_FMT_##fmt, KCAP_SRC_##src },
#define KCAP_VAR(ev, fname, fmt, src)                           \
	{ #fname,	  offsetof(struct kcap_ev_##ev, fname), \
	  KCAP_T_var,	  sizeof(struct kcap_var),              \
	  KCAP_FMT_##fmt, KCAP_SRC_##src },
#define KCAP_END(ev) \
	}            \
	;
#include "kcap/events.def"

static const struct kcap_event_desc builtin_events[] = {
#define KCAP_EVENT(name, id, cls, flags)         \
	[id] = { #name,                          \
		 id,                             \
		 sizeof(struct kcap_ev_##name),  \
		 (flags),                        \
		 KCAP_CLASS_##cls,               \
		 ARRAY_SIZE(kcap_fields_##name), \
		 0,                              \
		 kcap_fields_##name,             \
		 NULL },
#include "kcap/events.def"
};

static struct kcap_schema builtin;
static pthread_once_t builtin_once = PTHREAD_ONCE_INIT;

/* Growable byte buffer for building payloads. */
struct bytes {
	uint8_t *p;
	size_t len, cap;
	bool oom;
};

static void bytes_put(struct bytes *b, const void *p, size_t n)
{
	if (b->oom)
		return;
	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 4096;
		uint8_t *np;

		while (cap < b->len + n)
			cap *= 2;
		np = realloc(b->p, cap);
		if (!np) {
			b->oom = true;
			return;
		}
		b->p = np;
		b->cap = cap;
	}
	memcpy(b->p + b->len, p, n);
	b->len += n;
}

static void bytes_u8(struct bytes *b, uint8_t v)
{
	bytes_put(b, &v, 1);
}

static void bytes_u16(struct bytes *b, uint16_t v)
{
	bytes_put(b, &v, 2);
}

static void bytes_u32(struct bytes *b, uint32_t v)
{
	bytes_put(b, &v, 4);
}

static void bytes_name(struct bytes *b, const char *name)
{
	size_t n = strlen(name);

	bytes_u8(b, (uint8_t)n);
	bytes_put(b, name, n);
}

/* Serialize to the SCHEMA payload: the on-disk truth that gets hashed. */
static int schema_serialize(struct kcap_schema *s)
{
	struct bytes b = { 0 };
	uint32_t n = 0;
	unsigned int id, i;

	bytes_u32(&b, 0);
	bytes_u32(&b, 0);
	for (id = 0; id < s->limit; id++) {
		const struct kcap_event_desc *ev = &s->events[id];

		if (!ev->name)
			continue;
		n++;
		bytes_u16(&b, ev->id);
		bytes_u16(&b, ev->size);
		bytes_u16(&b, ev->flags);
		bytes_u8(&b, ev->cls);
		bytes_u8(&b, ev->nfields);
		bytes_name(&b, ev->name);
		for (i = 0; i < ev->nfields; i++) {
			const struct kcap_field_desc *f = &ev->fields[i];

			bytes_u16(&b, f->offset);
			bytes_u8(&b, f->type);
			bytes_u8(&b, f->fmt);
			bytes_name(&b, f->name);
		}
	}
	if (b.oom) {
		free(b.p);
		return -ENOMEM;
	}
	kcap_put32(b.p, n);
	s->payload = b.p;
	s->payload_len = b.len;
	s->hash = kcap_hash64(b.p, b.len);
	return 0;
}

/* Fill nvars and var_offsets of every event from its fields. */
static int schema_index_vars(struct kcap_schema *s, uint16_t *store)
{
	unsigned int id, i;

	for (id = 0; id < s->limit; id++) {
		struct kcap_event_desc *ev = &s->events[id];

		if (!ev->name)
			continue;
		ev->nvars = 0;
		ev->var_offsets = store;
		for (i = 0; i < ev->nfields; i++)
			if (ev->fields[i].type == KCAP_T_var)
				store[ev->nvars++] = ev->fields[i].offset;
		store += ev->nvars;
	}
	return 0;
}

static void builtin_init(void)
{
	static struct kcap_event_desc events[ARRAY_SIZE(builtin_events)];
	static uint16_t vars[ARRAY_SIZE(builtin_events) * 8];
	size_t nvars = 0, i, j;

	memcpy(events, builtin_events, sizeof(events));
	for (i = 0; i < ARRAY_SIZE(events); i++)
		for (j = 0; j < events[i].nfields; j++)
			nvars += events[i].fields[j].type == KCAP_T_var;
	if (nvars > ARRAY_SIZE(vars))
		abort(); /* a build-time fact; tests catch it first */
	builtin.limit = ARRAY_SIZE(builtin_events);
	builtin.events = events;
	schema_index_vars(&builtin, vars);
	if (schema_serialize(&builtin))
		builtin.payload = NULL;
}

const struct kcap_schema *kcap_schema__builtin(void)
{
	pthread_once(&builtin_once, builtin_init);
	return builtin.payload ? &builtin : NULL;
}

unsigned int kcap_schema__id_limit(const struct kcap_schema *s)
{
	return s->limit;
}

const struct kcap_event_desc *kcap_schema__event(const struct kcap_schema *s,
						 unsigned int id)
{
	if (id >= s->limit || !s->events[id].name)
		return NULL;
	return &s->events[id];
}

const struct kcap_event_desc *
kcap_schema__event_by_name(const struct kcap_schema *s, const char *name)
{
	unsigned int id;

	for (id = 0; id < s->limit; id++)
		if (s->events[id].name && !strcmp(s->events[id].name, name))
			return &s->events[id];
	return NULL;
}

const struct kcap_field_desc *
kcap_event_desc__field(const struct kcap_event_desc *ev, const char *name)
{
	unsigned int i;

	for (i = 0; i < ev->nfields; i++)
		if (!strcmp(ev->fields[i].name, name))
			return &ev->fields[i];
	return NULL;
}

const struct kcap_field_desc *
kcap_event_desc__dur(const struct kcap_event_desc *ev)
{
	const struct kcap_field_desc *f;

	if (!ev || !(ev->flags & KCAP_EF_SYSCALL))
		return NULL;
	f = kcap_event_desc__field(ev, "dur");
	return f && f->type == KCAP_T_u64 ? f : NULL;
}

uint64_t kcap_schema__hash(const struct kcap_schema *s)
{
	return s->hash;
}

const void *kcap_schema__payload(const struct kcap_schema *s, size_t *len)
{
	*len = s->payload_len;
	return s->payload;
}

uint64_t kcap_schema__descriptor_hash(const struct kcap_schema *s)
{
	struct bytes b = { 0 };
	unsigned int id, i;
	uint64_t h;

	/* The payload, plus what it leaves out: the recorder's sources. */
	bytes_put(&b, s->payload, s->payload_len);
	for (id = 0; id < s->limit; id++) {
		const struct kcap_event_desc *ev = &s->events[id];

		for (i = 0; ev->name && i < ev->nfields; i++)
			bytes_u16(&b, ev->fields[i].src);
	}
	if (b.oom)
		return 0;
	h = kcap_hash64(b.p, b.len);
	free(b.p);
	return h;
}

/* ---- parsing a SCHEMA block ----------------------------------------------- */

/* A cursor that cannot run past its end. */
struct cur {
	const uint8_t *p, *end;
};

static bool cur_take(struct cur *c, void *dst, size_t n)
{
	if ((size_t)(c->end - c->p) < n)
		return false;
	memcpy(dst, c->p, n);
	c->p += n;
	return true;
}

static bool cur_name(struct cur *c, char *dst)
{
	uint8_t n;
	unsigned int i;

	if (!cur_take(c, &n, 1) || n == 0 || n > KCAP_NAME_MAX ||
	    !cur_take(c, dst, n))
		return false;
	dst[n] = 0;
	for (i = 0; i < n; i++) {
		char ch = dst[i];

		if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
		      ch == '_'))
			return false;
	}
	return true;
}

static const uint8_t type_size[] = {
	[KCAP_T_u8] = 1,  [KCAP_T_u16] = 2, [KCAP_T_u32] = 4,
	[KCAP_T_u64] = 8, [KCAP_T_s8] = 1,  [KCAP_T_s16] = 2,
	[KCAP_T_s32] = 4, [KCAP_T_s64] = 8, [KCAP_T_var] = 4,
};

struct parsed_storage {
	struct kcap_event_desc events[KCAP_EV_LIMIT];
	uint8_t *arena; /* fields, names, var offsets */
};

int kcap_schema__parse(const void *payload, size_t len,
		       struct kcap_schema **out, const char **why)
{
	struct cur c = { payload, (const uint8_t *)payload + len };
	struct kcap_schema *s = NULL;
	struct parsed_storage *st = NULL;
	struct kcap_field_desc *fields;
	uint16_t *vars;
	char *names;
	uint32_t nevents, reserved, i;
	unsigned int limit = 0;
	size_t nfields_total = 0;
	int err = -EBADMSG;

	*out = NULL;
	if (!cur_take(&c, &nevents, 4) || !cur_take(&c, &reserved, 4)) {
		*why = "schema payload shorter than its 8-byte header";
		return -EBADMSG;
	}
	if (nevents == 0 || nevents >= KCAP_EV_LIMIT) {
		*why = "schema event count is 0 or not below 1024";
		return -EBADMSG;
	}
	/*
	 * Each field costs at least 6 payload bytes, so the payload length
	 * bounds the arena: allocate it once, before parsing.
	 */
	s = calloc(1, sizeof(*s));
	st = calloc(1, sizeof(*st));
	if (!s || !st)
		goto oom;
	st->arena = malloc(len / 6 *
				   (sizeof(struct kcap_field_desc) +
				    KCAP_NAME_MAX + 1 + sizeof(uint16_t)) +
			   nevents * (KCAP_NAME_MAX + 1));
	if (!st->arena)
		goto oom;
	fields = (struct kcap_field_desc *)st->arena;
	vars = (uint16_t *)(fields + len / 6);
	names = (char *)(vars + len / 6);

	for (i = 0; i < nevents; i++) {
		uint16_t id, size, flags, j;
		uint8_t cls, nf;
		uint8_t used[KCAP_FIXED_MAX / 8 * 8] = { 0 };
		struct kcap_event_desc *ev;

		if (!cur_take(&c, &id, 2) || !cur_take(&c, &size, 2) ||
		    !cur_take(&c, &flags, 2) || !cur_take(&c, &cls, 1) ||
		    !cur_take(&c, &nf, 1)) {
			*why = "schema payload ends inside an event";
			goto fail;
		}
		if (id == 0 || id >= KCAP_EV_LIMIT || st->events[id].name) {
			*why = "schema event id is 0, not below 1024, or repeated";
			goto fail;
		}
		if (size < KCAP_HDR_SIZE || size > KCAP_FIXED_MAX || size % 8) {
			*why = "schema event size is not a multiple of 8 in 16..1024";
			goto fail;
		}
		ev = &st->events[id];
		if (!cur_name(&c, names)) {
			*why = "schema event name is not 1..63 bytes of [a-z0-9_]";
			goto fail;
		}
		ev->name = names;
		names += strlen(names) + 1;
		ev->id = id;
		ev->size = size;
		ev->flags = flags;
		ev->cls = cls;
		ev->nfields = nf;
		ev->fields = fields;
		memset(used, 1, KCAP_HDR_SIZE);
		for (j = 0; j < nf; j++) {
			struct kcap_field_desc *f = &fields[j];
			uint16_t off;
			uint8_t type, fmt, sz;

			if (!cur_take(&c, &off, 2) || !cur_take(&c, &type, 1) ||
			    !cur_take(&c, &fmt, 1) || !cur_name(&c, names)) {
				*why = "schema payload ends inside a field, or a field name is bad";
				goto fail;
			}
			if (type == 0 || type >= ARRAY_SIZE(type_size)) {
				*why = "schema field has an unknown type";
				goto fail;
			}
			sz = type_size[type];
			if (off % sz || off + sz > size) {
				*why = "schema field is misaligned or outside its event's size";
				goto fail;
			}
			for (unsigned int k = off; k < off + sz; k++) {
				if (used[k]) {
					*why = "schema field overlaps the header or another field";
					goto fail;
				}
				used[k] = 1;
			}
			f->name = names;
			names += strlen(names) + 1;
			f->offset = off;
			f->type = type;
			f->size = sz;
			f->fmt = fmt;
			f->src = 0;
		}
		fields += nf;
		nfields_total += nf;
		if (id + 1u > limit)
			limit = id + 1u;
	}
	if (c.p != c.end) {
		*why = "schema payload has bytes after its last event";
		goto fail;
	}
	(void)nfields_total;
	s->limit = limit;
	s->events = st->events;
	s->storage = st;
	schema_index_vars(s, vars);
	s->payload = malloc(len);
	if (!s->payload)
		goto oom;
	memcpy(s->payload, payload, len);
	s->payload_len = len;
	s->hash = kcap_hash64(payload, len);
	*out = s;
	return 0;
oom:
	*why = "out of memory";
	err = -ENOMEM;
fail:
	if (st)
		free(st->arena);
	free(st);
	if (s)
		free(s->payload);
	free(s);
	return err;
}

void kcap_schema__free(struct kcap_schema *s)
{
	struct parsed_storage *st;

	if (!s || s == &builtin)
		return;
	st = s->storage;
	if (st)
		free(st->arena);
	free(st);
	free(s->payload);
	free(s);
}

/* ---- records ---------------------------------------------------------------- */

int kcap_record__validate(const struct kcap_schema *s, const void *rec,
			  size_t len, const char **why)
{
	static const char *dummy;

	if (!why)
		why = &dummy;
	if (len < KCAP_HDR_SIZE) {
		*why = "fewer than 16 bytes for a record header";
		return -EBADMSG;
	}
	return kcap_record_check(s, rec, len, why);
}

static void put_unknown(uint8_t *p, uint8_t type)
{
	switch (type) {
	case KCAP_T_u8:
	case KCAP_T_u16:
	case KCAP_T_u32:
	case KCAP_T_u64:
		memset(p, 0xff, type_size[type]);
		break;
	case KCAP_T_s8:
	case KCAP_T_s16:
	case KCAP_T_s32:
	case KCAP_T_s64:
		/* the most negative value: 0x80 in the top byte, LE */
		memset(p, 0, type_size[type]);
		p[type_size[type] - 1] = 0x80;
		break;
	default:
		memset(p, 0, type_size[type]);
	}
}

int kcap_record__init(const struct kcap_schema *s, void *rec, unsigned int id)
{
	const struct kcap_event_desc *ev = kcap_schema__event(s, id);
	uint8_t *p = rec;
	unsigned int i;

	if (!ev)
		return -ENOENT;
	memset(p, 0, ev->size);
	kcap_put16(p, id);
	kcap_put16(p + 2, ev->size);
	for (i = 0; i < ev->nfields; i++)
		put_unknown(p + ev->fields[i].offset, ev->fields[i].type);
	return 0;
}

int kcap_field__get_int(const struct kcap_field_desc *f, const void *rec,
			int64_t *val)
{
	const uint8_t *p = (const uint8_t *)rec + f->offset;

	switch (f->type) {
	case KCAP_T_u8:
		*val = *p;
		return *p != KCAP_UNKNOWN_u8;
	case KCAP_T_u16:
		*val = kcap_le16(p);
		return *val != KCAP_UNKNOWN_u16;
	case KCAP_T_u32:
		*val = kcap_le32(p);
		return *val != KCAP_UNKNOWN_u32;
	case KCAP_T_u64:
		*val = (int64_t)kcap_le64(p);
		return (uint64_t)*val != KCAP_UNKNOWN_u64;
	case KCAP_T_s8:
		*val = (int8_t)*p;
		return *val != KCAP_UNKNOWN_s8;
	case KCAP_T_s16:
		*val = (int16_t)kcap_le16(p);
		return *val != KCAP_UNKNOWN_s16;
	case KCAP_T_s32:
		*val = (int32_t)kcap_le32(p);
		return *val != KCAP_UNKNOWN_s32;
	case KCAP_T_s64:
		*val = (int64_t)kcap_le64(p);
		return *val != KCAP_UNKNOWN_s64;
	}
	*val = 0;
	return -EINVAL;
}

int kcap_field__get_var(const struct kcap_field_desc *f, const void *rec,
			const uint8_t **data, size_t *len)
{
	const uint8_t *p = (const uint8_t *)rec + f->offset;
	uint16_t off, n;

	if (f->type != KCAP_T_var)
		return -EINVAL;
	off = kcap_le16(p);
	n = kcap_le16(p + 2);
	if (off == 0 && n == 0) {
		*data = NULL;
		*len = 0;
		return 0;
	}
	*data = (const uint8_t *)rec + off;
	*len = n;
	if (f->fmt == KCAP_FMT_STR || f->fmt == KCAP_FMT_PATH)
		*len = kcap_var__str_len(*data, n);
	return 1;
}

size_t kcap_var__str_len(const uint8_t *data, size_t len)
{
	return len && !data[len - 1] ? len - 1 : len;
}

int kcap_field__var_cut(const struct kcap_field_desc *f, const void *rec)
{
	const uint8_t *p = (const uint8_t *)rec + f->offset, *v;
	uint16_t n;

	if (f->type != KCAP_T_var)
		return -EINVAL;
	v = (const uint8_t *)rec + kcap_le16(p);
	n = kcap_le16(p + 2);
	if (!n)
		return 0;
	switch (f->fmt) {
	case KCAP_FMT_STR:
	case KCAP_FMT_PATH:
		return !v[n - 1];
	case KCAP_FMT_ARGV:
		return v[n - 1] != 0;
	}
	return 0;
}

/* ---- building records ------------------------------------------------------ */

void *kcap_builder__start(struct kcap_builder *b, void *buf, size_t cap,
			  const struct kcap_schema *s, unsigned int id,
			  uint32_t tid, uint64_t ts)
{
	const struct kcap_event_desc *ev = kcap_schema__event(s, id);

	b->buf = buf;
	b->cap = cap > KCAP_REC_MAX ? KCAP_REC_MAX : cap;
	b->len = 0;
	b->err = 0;
	if (!ev || ev->size > b->cap) {
		b->err = ev ? -E2BIG : -ENOENT;
		return NULL;
	}
	kcap_record__init(s, buf, id);
	kcap_put32(b->buf + 4, tid);
	kcap_put64(b->buf + 8, ts);
	b->len = ev->size;
	return buf;
}

int kcap_builder__var(struct kcap_builder *b, uint16_t var_offset,
		      const void *data, size_t len)
{
	uint8_t *d;

	if (b->err)
		return b->err;
	if (len > b->cap - b->len) {
		b->err = -E2BIG;
		return b->err;
	}
	d = b->buf + var_offset;
	kcap_put16(d, (uint16_t)b->len);
	kcap_put16(d + 2, (uint16_t)len);
	if (len)
		memcpy(b->buf + b->len, data, len);
	b->len += len;
	return 0;
}

int kcap_builder__finish(struct kcap_builder *b)
{
	size_t len;

	if (b->err)
		return b->err;
	len = ALIGN8(b->len);
	if (len > b->cap)
		return -E2BIG;
	memset(b->buf + b->len, 0, len - b->len);
	kcap_put16(b->buf + 2, (uint16_t)len);
	b->len = len;
	return (int)len;
}
