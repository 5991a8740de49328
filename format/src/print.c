// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Printing records as text lines and as JSON, driven by the schema's
 * descriptors: one generic walker serves every event, so a new event in
 * events.def prints without new code. The printers append to a growable
 * buffer and avoid stdio on the per-field path, since `kcap read` prints
 * millions of lines per second.
 */
#include <stdlib.h>
#include <time.h>

#include "internal.h"
#include "names.h"

/* ---- the buffer -------------------------------------------------------------- */

static bool buf_reserve(struct kcap_buf *b, size_t n)
{
	size_t cap;
	char *p;

	if (b->len + n + 1 <= b->cap)
		return true;
	if (b->err)
		return false;
	cap = b->cap ? b->cap : 256;
	while (cap < b->len + n + 1)
		cap *= 2;
	p = realloc(b->data, cap);
	if (!p) {
		b->err = -ENOMEM;
		return false;
	}
	b->data = p;
	b->cap = cap;
	return true;
}

void kcap_buf__free(struct kcap_buf *b)
{
	free(b->data);
	memset(b, 0, sizeof(*b));
}

void kcap_buf__write(struct kcap_buf *b, const void *p, size_t len)
{
	if (!buf_reserve(b, len))
		return;
	memcpy(b->data + b->len, p, len);
	b->len += len;
	b->data[b->len] = 0;
}

void kcap_buf__putc(struct kcap_buf *b, char c)
{
	if (!buf_reserve(b, 1))
		return;
	b->data[b->len++] = c;
	b->data[b->len] = 0;
}

void kcap_buf__puts(struct kcap_buf *b, const char *s)
{
	kcap_buf__write(b, s, strlen(s));
}

void kcap_buf__printf(struct kcap_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !buf_reserve(b, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

static void put_u64(struct kcap_buf *b, uint64_t v)
{
	char tmp[20];
	int i = sizeof(tmp);

	do {
		tmp[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	kcap_buf__write(b, tmp + i, sizeof(tmp) - (size_t)i);
}

static void put_s64(struct kcap_buf *b, int64_t v)
{
	if (v < 0) {
		kcap_buf__putc(b, '-');
		put_u64(b, (uint64_t)0 - (uint64_t)v);
	} else {
		put_u64(b, (uint64_t)v);
	}
}

static void put_hex(struct kcap_buf *b, uint64_t v)
{
	static const char digits[] = "0123456789abcdef";
	char tmp[18];
	int i = sizeof(tmp);

	do {
		tmp[--i] = digits[v & 15];
		v >>= 4;
	} while (v);
	tmp[--i] = 'x';
	tmp[--i] = '0';
	kcap_buf__write(b, tmp + i, sizeof(tmp) - (size_t)i);
}

/* ---- time -------------------------------------------------------------------- */

void kcap_buf__time(struct kcap_buf *b, uint64_t ns)
{
	/* one gmtime_r per second of capture, not per line */
	static __thread int64_t cached_sec = -1;
	static __thread char cached[24];
	int64_t sec = (int64_t)(ns / 1000000000u);
	uint32_t frac = (uint32_t)(ns % 1000000000u);
	char tmp[11];
	int i;

	if (sec != cached_sec) {
		time_t t = (time_t)sec;
		struct tm tm;

		gmtime_r(&t, &tm);
		strftime(cached, sizeof(cached), "%Y-%m-%dT%H:%M:%S", &tm);
		cached_sec = sec;
	}
	kcap_buf__puts(b, cached);
	tmp[0] = '.';
	for (i = 9; i >= 1; i--) {
		tmp[i] = (char)('0' + frac % 10);
		frac /= 10;
	}
	tmp[10] = 'Z';
	kcap_buf__write(b, tmp, sizeof(tmp));
}

static void put_duration(struct kcap_buf *b, uint64_t ns)
{
	char tmp[10];
	uint32_t frac = (uint32_t)(ns % 1000000000u);
	int i;

	put_u64(b, ns / 1000000000u);
	tmp[0] = '.';
	for (i = 9; i >= 1; i--) {
		tmp[i] = (char)('0' + frac % 10);
		frac /= 10;
	}
	kcap_buf__write(b, tmp, sizeof(tmp));
	kcap_buf__putc(b, 's');
}

/* ---- escaping ------------------------------------------------------------------ */

/*
 * Text form: C-style escapes, bytes outside printable ASCII as \xHH; a
 * quote is escaped only where the value is quoted.
 */
static void put_escaped(struct kcap_buf *b, const uint8_t *p, size_t n,
			bool quoted)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, run = 0;

	for (i = 0; i < n; i++) {
		uint8_t c = p[i];
		char esc[4];
		size_t elen = 2;

		if (c >= 0x20 && c < 0x7f && (c != '"' || !quoted) && c != '\\')
			continue;
		kcap_buf__write(b, p + run, i - run);
		run = i + 1;
		esc[0] = '\\';
		switch (c) {
		case '"':
		case '\\':
			esc[1] = (char)c;
			break;
		case '\n':
			esc[1] = 'n';
			break;
		case '\t':
			esc[1] = 't';
			break;
		case '\r':
			esc[1] = 'r';
			break;
		default:
			esc[1] = 'x';
			esc[2] = hex[c >> 4];
			esc[3] = hex[c & 15];
			elen = 4;
		}
		kcap_buf__write(b, esc, elen);
	}
	kcap_buf__write(b, p + run, n - run);
}

static void put_quoted(struct kcap_buf *b, const uint8_t *p, size_t n)
{
	kcap_buf__putc(b, '"');
	put_escaped(b, p, n, true);
	kcap_buf__putc(b, '"');
}

void kcap_buf__escape(struct kcap_buf *b, const void *p, size_t len)
{
	put_escaped(b, p, len, false);
}

static void put_hexdump(struct kcap_buf *b, const uint8_t *p, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		char h[2] = { hex[p[i] >> 4], hex[p[i] & 15] };

		kcap_buf__write(b, h, 2);
	}
}

/* Length of the valid UTF-8 sequence at p, or 0 if it is not one. */
static size_t utf8_len(const uint8_t *p, size_t n)
{
	uint8_t c = p[0];
	size_t len, i;
	uint32_t cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	/* no overlong forms, no surrogates, nothing past U+10FFFF */
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return len;
}

/*
 * JSON string for any bytes: valid UTF-8 passes through; control
 * characters and bytes that are not valid UTF-8 become \u00XX, so the
 * output is always valid JSON (an invalid byte B reads back as U+00B).
 */
void kcap_buf__json_str(struct kcap_buf *b, const void *data, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const uint8_t *p = data;
	size_t i = 0, run = 0;

	kcap_buf__putc(b, '"');
	while (i < n) {
		uint8_t c = p[i];
		size_t l;
		char esc[6];

		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
			i++;
			continue;
		}
		if (c >= 0x80) {
			l = utf8_len(p + i, n - i);
			if (l) {
				i += l;
				continue;
			}
		}
		kcap_buf__write(b, p + run, i - run);
		if (c == '"' || c == '\\') {
			esc[0] = '\\';
			esc[1] = (char)c;
			kcap_buf__write(b, esc, 2);
		} else if (c == '\n') {
			kcap_buf__write(b, "\\n", 2);
		} else if (c == '\t') {
			kcap_buf__write(b, "\\t", 2);
		} else {
			memcpy(esc, "\\u00", 4);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			kcap_buf__write(b, esc, 6);
		}
		run = ++i;
	}
	kcap_buf__write(b, p + run, n - run);
	kcap_buf__putc(b, '"');
}

/* ---- socket addresses ------------------------------------------------------------ */

size_t kcap_ip6__format(char *out, const uint8_t *a)
{
	static const char hex[] = "0123456789abcdef";
	int i, best = -1, bestlen = 0, cur = -1, curlen = 0;
	char *o = out;

	/* RFC 5952: the longest run of two or more zero groups becomes "::" */
	for (i = 0; i < 8; i++) {
		if (!a[2 * i] && !a[2 * i + 1]) {
			if (cur < 0)
				cur = i, curlen = 0;
			if (++curlen > bestlen && curlen > 1)
				best = cur, bestlen = curlen;
		} else {
			cur = -1;
		}
	}
	for (i = 0; i < 8; i++) {
		unsigned int g = (unsigned int)(a[2 * i] << 8 | a[2 * i + 1]);
		int sh;

		if (i == best) {
			*o++ = ':';
			*o++ = ':';
			i += bestlen - 1;
			continue;
		}
		if (i && i != best + bestlen)
			*o++ = ':';
		/* lower-case hex without leading zeros */
		for (sh = 12; sh > 0 && !(g >> sh); sh -= 4)
			;
		for (; sh >= 0; sh -= 4)
			*o++ = hex[(g >> sh) & 15];
	}
	*o = 0;
	return (size_t)(o - out);
}

struct sockaddr_view {
	int family; /* -1: empty */
	char addr[48]; /* printable address */
	int port; /* -1: none */
	const uint8_t *path; /* AF_UNIX */
	size_t pathlen;
};

static void sockaddr_decode(const uint8_t *p, size_t n, struct sockaddr_view *v)
{
	v->family = -1;
	v->port = -1;
	v->addr[0] = 0;
	v->path = NULL;
	v->pathlen = 0;
	if (n < 2)
		return;
	v->family = kcap_le16(p);
	if (v->family == 2 && n >= 8) {
		v->port = (p[2] << 8) | p[3];
		snprintf(v->addr, sizeof(v->addr), "%u.%u.%u.%u", p[4], p[5],
			 p[6], p[7]);
	} else if (v->family == 10 && n >= 24) {
		v->port = (p[2] << 8) | p[3];
		kcap_ip6__format(v->addr, p + 8);
	} else if (v->family == 1) {
		v->path = p + 2;
		v->pathlen = n - 2;
		/* a NUL-terminated path: print up to the NUL, unless abstract */
		if (v->pathlen && v->path[0]) {
			const uint8_t *z = memchr(v->path, 0, v->pathlen);

			if (z)
				v->pathlen = (size_t)(z - v->path);
		}
	}
}

static void put_sockaddr_text(struct kcap_buf *b, const uint8_t *p, size_t n)
{
	struct sockaddr_view v;

	sockaddr_decode(p, n, &v);
	if (v.family < 0) {
		kcap_buf__puts(b, "unnamed");
	} else if (v.family == 2 && v.port >= 0) {
		kcap_buf__printf(b, "%s:%d", v.addr, v.port);
	} else if (v.family == 10 && v.port >= 0) {
		kcap_buf__printf(b, "[%s]:%d", v.addr, v.port);
	} else if (v.family == 1) {
		kcap_buf__puts(b, "unix:");
		if (v.pathlen && !v.path[0]) {
			kcap_buf__putc(b, '@');
			put_quoted(b, v.path + 1, v.pathlen - 1);
		} else {
			put_quoted(b, v.path, v.pathlen);
		}
	} else {
		char name[32];

		if (kcap_fmt_symbolic(name, sizeof(name), KCAP_FMT_AF,
				      (unsigned long long)v.family) > 0)
			kcap_buf__puts(b, name);
		kcap_buf__putc(b, ':');
		put_hexdump(b, p + 2, n - 2);
	}
}

static void put_sockaddr_json(struct kcap_buf *b, const uint8_t *p, size_t n)
{
	struct sockaddr_view v;

	sockaddr_decode(p, n, &v);
	if (v.family < 0) {
		kcap_buf__puts(b, "{}");
	} else if ((v.family == 2 || v.family == 10) && v.port >= 0) {
		kcap_buf__printf(
			b, "{\"family\":\"%s\",\"addr\":\"%s\",\"port\":%d}",
			v.family == 2 ? "inet" : "inet6", v.addr, v.port);
	} else if (v.family == 1) {
		kcap_buf__puts(b, "{\"family\":\"unix\",\"path\":");
		kcap_buf__json_str(b, v.path, v.pathlen);
		kcap_buf__putc(b, '}');
	} else {
		kcap_buf__printf(b, "{\"family\":%d,\"data\":", v.family);
		kcap_buf__json_str(b, p + 2, n - 2);
		kcap_buf__putc(b, '}');
	}
}

/* ---- fields ---------------------------------------------------------------------- */

static bool is_signed(uint8_t type)
{
	return type >= KCAP_T_s8 && type <= KCAP_T_s64;
}

static void put_int_text(struct kcap_buf *b, const struct kcap_field_desc *f,
			 int64_t v)
{
	char sym[256];
	uint64_t u = (uint64_t)v;

	/* values as unsigned, at the field's width */
	if (!is_signed(f->type) && f->size < 8)
		u &= (1ull << (8 * f->size)) - 1;
	switch (f->fmt) {
	case KCAP_FMT_HEX:
		put_hex(b, u);
		return;
	case KCAP_FMT_OCT:
		kcap_buf__printf(b, u ? "0%llo" : "0", (unsigned long long)u);
		return;
	case KCAP_FMT_RES:
		put_s64(b, v);
		if (v < 0 && v > -4096) {
			const char *name = kcap_errno_name((int)-v);

			if (name) {
				kcap_buf__putc(b, ' ');
				kcap_buf__puts(b, name);
			}
		}
		return;
	case KCAP_FMT_FD:
		if (v == -100) {
			kcap_buf__puts(b, "AT_FDCWD");
			return;
		}
		break;
	case KCAP_FMT_TIME:
		kcap_buf__time(b, u);
		return;
	case KCAP_FMT_DURATION:
		put_duration(b, u);
		return;
	case KCAP_FMT_DEV:
		/* the kernel's dev_t: 12 bits of major, 20 of minor */
		put_u64(b, (u >> 20) & 0xfff);
		kcap_buf__putc(b, ':');
		put_u64(b, u & 0xfffff);
		return;
	case KCAP_FMT_EVTYPE: {
		const struct kcap_event_desc *d = kcap_schema__event(
			kcap_schema__builtin(), (unsigned int)u);

		if (u == 0) {
			kcap_buf__puts(b, "any");
			return;
		}
		if (d) {
			kcap_buf__puts(b, d->name);
			return;
		}
		break;
	}
	case KCAP_FMT_UID:
		if (!is_signed(f->type) && f->size == 4 && u == 0xffffffffu) {
			kcap_buf__puts(b, "-1");
			return;
		}
		break;
	default:
		if (kcap_fmt_symbolic(sym, sizeof(sym), f->fmt,
				      (unsigned long long)u) > 0) {
			kcap_buf__puts(b, sym);
			return;
		}
	}
	if (is_signed(f->type))
		put_s64(b, v);
	else
		put_u64(b, u);
}

/* A list cut short (see kcap_field__var_cut()) ends in "..." in text. */
static void put_argv(struct kcap_buf *b, const uint8_t *p, size_t n, bool json,
		     bool cut)
{
	size_t i = 0;
	bool first = true;

	kcap_buf__putc(b, '[');
	while (i < n) {
		const uint8_t *z = memchr(p + i, 0, n - i);
		size_t len = z ? (size_t)(z - (p + i)) : n - i;

		if (!first)
			kcap_buf__putc(b, json ? ',' : ' ');
		first = false;
		if (json)
			kcap_buf__json_str(b, p + i, len);
		else
			put_quoted(b, p + i, len);
		i += len + 1;
	}
	if (cut && !json)
		kcap_buf__puts(b, "...");
	kcap_buf__putc(b, ']');
}

static void put_pollfds(struct kcap_buf *b, const uint8_t *p, size_t n,
			bool json)
{
	size_t i;

	kcap_buf__putc(b, '[');
	for (i = 0; i + 8 <= n; i += 8) {
		if (i)
			kcap_buf__putc(b, json ? ',' : ' ');
		kcap_buf__printf(
			b,
			json ? "{\"fd\":%d,\"events\":%u,\"revents\":%u}" :
			       "{fd=%d,events=0x%x,revents=0x%x}",
			(int32_t)kcap_le32(p + i), kcap_le16(p + i + 4),
			kcap_le16(p + i + 6));
	}
	kcap_buf__putc(b, ']');
}

/*
 * Whether the data an I/O event kept is shorter than what the call moved
 * (a recorder's snaplen, a legacy capture's): FORMAT.md leaves data (66)
 * unmarked, since the event says both. Decided from the schema alone: an
 * I/O data transfer event (KCAP_EF_IO) moved `res` bytes, or `size` where
 * that is less (a recv with MSG_TRUNC returns the datagram's length, not
 * what reached the buffer), and kept them in its `data`. The one exception
 * is a data field whose recorder source is a message array
 * (sendmmsg, recvmmsg): their res counts messages, not bytes, and no
 * field says what the first message moved, so they are never marked.
 * Ids are permanent, so the builtin schema says that of any file's event.
 */
static bool data_cut(const struct kcap_event_desc *d,
		     const struct kcap_field_desc *f, const void *rec)
{
	const struct kcap_field_desc *bf, *sz;
	const uint8_t *data;
	size_t len;
	int64_t res, size;

	if (f->fmt != KCAP_FMT_BUF || !d || !(d->flags & KCAP_EF_IO) ||
	    !d->nfields || strcmp(f->name, "data"))
		return false;
	if (d->fields[0].fmt != KCAP_FMT_RES ||
	    strcmp(d->fields[0].name, "res") ||
	    kcap_field__get_int(&d->fields[0], rec, &res) != 1 || res <= 0)
		return false;
	bf = kcap_event_desc__field(
		kcap_schema__event(kcap_schema__builtin(), d->id), f->name);
	if (bf && KCAP_SRC_KIND(bf->src) == KCAP_SRCK_MMSG_RET)
		return false;
	sz = kcap_event_desc__field(d, "size");
	if (sz && sz->type != KCAP_T_var &&
	    kcap_field__get_int(sz, rec, &size) == 1 && size >= 0 && size < res)
		res = size;
	if (kcap_field__get_var(f, rec, &data, &len) != 1)
		return false;
	return (uint64_t)res > len;
}

/*
 * The event that field f of rec belongs to, for a printer given the field
 * alone: the builtin schema's, if it has f where rec's type has it.
 */
static const struct kcap_event_desc *event_of(const struct kcap_field_desc *f,
					      const void *rec)
{
	const struct kcap_event_desc *d = kcap_schema__event(
		kcap_schema__builtin(), ((const struct kcap_hdr *)rec)->type);
	const struct kcap_field_desc *bf = kcap_event_desc__field(d, f->name);

	return bf && bf->offset == f->offset && bf->type == f->type ? d : NULL;
}

static void field_text(struct kcap_buf *b, const struct kcap_event_desc *d,
		       const struct kcap_field_desc *f, const void *rec,
		       unsigned int flags)
{
	const uint8_t *data;
	size_t len;
	int64_t v;

	if (f->type != KCAP_T_var) {
		if (kcap_field__get_int(f, rec, &v) != 1)
			kcap_buf__putc(b, '?');
		else
			put_int_text(b, f, v);
		return;
	}
	if (kcap_field__get_var(f, rec, &data, &len) != 1) {
		kcap_buf__putc(b, '?');
		return;
	}
	switch (f->fmt) {
	case KCAP_FMT_ARGV:
		put_argv(b, data, len, false, kcap_field__var_cut(f, rec) == 1);
		break;
	case KCAP_FMT_SOCKADDR:
		put_sockaddr_text(b, data, len);
		break;
	case KCAP_FMT_POLLFDS:
		put_pollfds(b, data, len, false);
		break;
	case KCAP_FMT_BUF:
		if (flags & KCAP_PRINT_HEX_DATA)
			put_hexdump(b, data, len);
		else
			put_quoted(b, data, len);
		/* as strace shows data it read only in part */
		if (data_cut(d, f, rec))
			kcap_buf__puts(b, "...");
		break;
	default:
		put_quoted(b, data, len);
		/* as strace shows a string it cut */
		if (kcap_field__var_cut(f, rec) == 1)
			kcap_buf__puts(b, "...");
	}
}

void kcap_field__print_text(struct kcap_buf *b, const struct kcap_field_desc *f,
			    const void *rec, unsigned int flags)
{
	field_text(b, f->fmt == KCAP_FMT_BUF ? event_of(f, rec) : NULL, f, rec,
		   flags);
}

int kcap_field__data_cut(const struct kcap_field_desc *f, const void *rec)
{
	/* the event as kcap_field__print_text() finds it, so as to agree */
	return f->fmt == KCAP_FMT_BUF && data_cut(event_of(f, rec), f, rec);
}

void kcap_field__print_json(struct kcap_buf *b, const struct kcap_field_desc *f,
			    const void *rec)
{
	const uint8_t *data;
	size_t len;
	int64_t v;

	if (f->type != KCAP_T_var) {
		if (kcap_field__get_int(f, rec, &v) != 1)
			kcap_buf__puts(b, "null");
		else if (is_signed(f->type))
			put_s64(b, v);
		else
			put_u64(b, (uint64_t)v);
		return;
	}
	if (kcap_field__get_var(f, rec, &data, &len) != 1) {
		kcap_buf__puts(b, "null");
		return;
	}
	switch (f->fmt) {
	case KCAP_FMT_ARGV:
		put_argv(b, data, len, true, false);
		break;
	case KCAP_FMT_SOCKADDR:
		put_sockaddr_json(b, data, len);
		break;
	case KCAP_FMT_POLLFDS:
		put_pollfds(b, data, len, true);
		break;
	default:
		kcap_buf__json_str(b, data, len);
	}
}

/* Field values whose bytes say "not known": the text form leaves them out. */
static bool field_known(const struct kcap_field_desc *f, const void *rec)
{
	const uint8_t *data;
	size_t len;
	int64_t v;

	if (f->type == KCAP_T_var)
		return kcap_field__get_var(f, rec, &data, &len) == 1;
	return kcap_field__get_int(f, rec, &v) == 1;
}

int kcap_event__print_text(struct kcap_buf *b, const struct kcap_schema *s,
			   const struct kcap_hdr *ev, unsigned int flags)
{
	const struct kcap_event_desc *d = kcap_schema__event(s, ev->type);
	unsigned int i, first = 0;
	bool syscall;

	if (!(flags & KCAP_PRINT_NO_TS)) {
		kcap_buf__time(b, ev->ts);
		kcap_buf__putc(b, ' ');
	}
	put_u64(b, ev->tid);
	kcap_buf__putc(b, ' ');
	if (!d) {
		kcap_buf__printf(b, "type%u len=%u", ev->type, ev->len);
		return b->err;
	}
	kcap_buf__puts(b, d->name);
	syscall = (d->flags & KCAP_EF_SYSCALL) && d->nfields &&
		  !strcmp(d->fields[0].name, "res");
	if (syscall)
		first = 1;
	for (i = first; i < d->nfields; i++) {
		const struct kcap_field_desc *f = &d->fields[i];

		if (!field_known(f, ev))
			continue;
		kcap_buf__putc(b, ' ');
		kcap_buf__puts(b, f->name);
		kcap_buf__putc(b, '=');
		field_text(b, d, f, ev, flags);
	}
	if (syscall) {
		kcap_buf__puts(b, " = ");
		field_text(b, d, &d->fields[0], ev, flags);
	}
	return b->err;
}

int kcap_event__print_json(struct kcap_buf *b, const struct kcap_schema *s,
			   const struct kcap_hdr *ev)
{
	const struct kcap_event_desc *d = kcap_schema__event(s, ev->type);
	unsigned int i;

	kcap_buf__puts(b, "{\"type\":");
	if (d) {
		kcap_buf__putc(b, '"');
		kcap_buf__puts(b, d->name);
		kcap_buf__putc(b, '"');
	} else {
		put_u64(b, ev->type);
	}
	kcap_buf__puts(b, ",\"ts\":");
	put_u64(b, ev->ts);
	kcap_buf__puts(b, ",\"tid\":");
	put_u64(b, ev->tid);
	for (i = 0; d && i < d->nfields; i++) {
		const struct kcap_field_desc *f = &d->fields[i];

		kcap_buf__puts(b, ",\"");
		kcap_buf__puts(b, f->name);
		kcap_buf__puts(b, "\":");
		kcap_field__print_json(b, f, ev);
		/*
		 * a value the writer cut short, or data kept only in part:
		 * "NAME_cut":true after it
		 */
		if (f->type == KCAP_T_var &&
		    (kcap_field__var_cut(f, ev) == 1 || data_cut(d, f, ev))) {
			kcap_buf__puts(b, ",\"");
			kcap_buf__puts(b, f->name);
			kcap_buf__puts(b, "_cut\":true");
		}
	}
	kcap_buf__putc(b, '}');
	return b->err;
}
