/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* libkcap internals shared by the writer, the reader and the printers. */
#ifndef KCAP_INTERNAL_H
#define KCAP_INTERNAL_H

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>

#include "kcap/kcap.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define ALIGN8(n) (((n) + 7) & ~(__typeof__(n))7)

#define KCAP_MAGIC "\x89KCP\r\n\x1a\n"
#define KCAP_BLOCK_MAGIC 0x4b4c424bu /* "KBLK" */
#define KCAP_TRAILER_MAGIC 0x444e454bu /* "KEND" */
#define KCAP_HDR_LEN_MAX 4096
#define KCAP_FOOTER_PAYLOAD 16
#define KCAP_FOOTER_BLOCK_LEN \
	(KCAP_BLOCK_HDR_SIZE + KCAP_FOOTER_PAYLOAD + KCAP_BLOCK_TRAILER_SIZE)
#define KCAP_INDEX_ENTRY 32
#define KCAP_BLOCK_FLAG_CRITICAL 0x01
#define KCAP_NAME_MAX 63

/* Little-endian loads and stores that need no alignment. */
static inline uint16_t kcap_le16(const void *p)
{
	uint16_t v;
	memcpy(&v, p, sizeof(v));
	return v;
}
static inline uint32_t kcap_le32(const void *p)
{
	uint32_t v;
	memcpy(&v, p, sizeof(v));
	return v;
}
static inline uint64_t kcap_le64(const void *p)
{
	uint64_t v;
	memcpy(&v, p, sizeof(v));
	return v;
}
static inline void kcap_put16(void *p, uint16_t v)
{
	memcpy(p, &v, sizeof(v));
}
static inline void kcap_put32(void *p, uint32_t v)
{
	memcpy(p, &v, sizeof(v));
}
static inline void kcap_put64(void *p, uint64_t v)
{
	memcpy(p, &v, sizeof(v));
}

uint64_t kcap_hash64(const void *p, size_t len);
uint32_t kcap_cksum32(const void *p, size_t len);

/*
 * Options structs: accept one from an older caller (smaller sz) and refuse
 * one from a newer caller that sets fields this library does not know.
 */
bool kcap_opts_valid(const void *opts, size_t known_sz);
#define KCAP_OPTS_VALID(opts, type) \
	kcap_opts_valid(opts, offsetofend(struct type, type##__last_field))
#define KCAP_OPT(opts, type, field, fallback)                      \
	((opts) && (opts)->sz >= offsetofend(struct type, field) ? \
		 (opts)->field :                                   \
		 (fallback))
#ifndef offsetofend
#define offsetofend(TYPE, FIELD) \
	(offsetof(TYPE, FIELD) + sizeof(((TYPE *)0)->FIELD))
#endif

/*
 * An error message buffer per object, forwarded to the log callback and
 * kept as this thread's last message; buf NULL sets only the latter.
 * Room for a PATH_MAX path and the words around it: at 256 bytes, a long
 * path cut off the reason that followed it ("cannot create P: ...").
 */
#define KCAP_ERRMSG_SIZE 4608
void kcap_errmsg_set(char *buf, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/*
 * Make msg, already logged (set on another thread, say), this thread's
 * last message as well, without logging it again.
 */
void kcap_errmsg_pass(const char *msg);

/* The schema object behind the public descriptor API. */
struct kcap_schema {
	unsigned int limit; /* one past the highest id */
	struct kcap_event_desc *events; /* [limit]; name NULL if absent */
	uint8_t *payload; /* SCHEMA block payload */
	size_t payload_len;
	uint64_t hash;
	void *storage; /* parsed schemas: fields, names, var offsets */
};

/* Parse a SCHEMA payload; on error *why says what is wrong. */
int kcap_schema__parse(const void *payload, size_t len,
		       struct kcap_schema **out, const char **why);
void kcap_schema__free(struct kcap_schema *s);

/*
 * Hot-path record validation: callers that already know the record's
 * header fits use this.
 */
static inline int kcap_record_check(const struct kcap_schema *s,
				    const uint8_t *rec, size_t avail,
				    const char **why)
{
	const struct kcap_event_desc *ev;
	uint16_t type = kcap_le16(rec), len = kcap_le16(rec + 2);
	unsigned int i;

	if (len < KCAP_HDR_SIZE || (len & 7) || len > avail) {
		*why = "record length is not a multiple of 8 between 16 and the bytes left";
		return -EBADMSG;
	}
	if (type >= s->limit || !s->events[type].name) {
		*why = "record type is not described by the file's schema";
		return -EBADMSG;
	}
	ev = &s->events[type];
	if (len < ev->size) {
		*why = "record is shorter than its type's fixed part";
		return -EBADMSG;
	}
	for (i = 0; i < ev->nvars; i++) {
		const uint8_t *d = rec + ev->var_offsets[i];
		uint32_t off = kcap_le16(d), vlen = kcap_le16(d + 2);

		if (off == 0 && vlen == 0)
			continue;
		if (off < ev->size || off + vlen > len) {
			*why = "a variable field points outside the record's tail";
			return -EBADMSG;
		}
	}
	return 0;
}

/* Codecs. Both return the output length or a negative errno. */
size_t kcap_codec_bound(int codec, size_t len);
struct kcap_cctx;
struct kcap_cctx *kcap_cctx__new(int codec, int level);
void kcap_cctx__free(struct kcap_cctx *c);
/* -ENOSPC if the output does not fit in cap. */
long kcap_cctx__compress(struct kcap_cctx *c, void *dst, size_t cap,
			 const void *src, size_t len);
struct kcap_dctx;
struct kcap_dctx *kcap_dctx__new(void);
void kcap_dctx__free(struct kcap_dctx *d);
long kcap_dctx__decompress(struct kcap_dctx *d, int codec, void *dst,
			   size_t cap, const void *src, size_t len);

/*
 * Codec zstd-cols (FORMAT.md 5.1), for EVENTS payloads only: count records
 * of schema s. Compressing returns -EAGAIN when the records cannot be laid
 * out in columns exactly (the caller stores the block as plain zstd).
 * Decompressing fills exactly raw_len bytes or returns -EBADMSG with *why.
 */
long kcap_cctx__compress_cols(struct kcap_cctx *c, const struct kcap_schema *s,
			      void *dst, size_t cap, const void *src,
			      size_t len, uint32_t count);
int kcap_dctx__decompress_cols(struct kcap_dctx *d, const struct kcap_schema *s,
			       void *dst, size_t raw_len, const void *src,
			       size_t len, uint32_t count, const char **why);
/*
 * The column layout itself (cols.c), for the codec and its tests. Its
 * parts (threads, times, types, columns, var values) are compressed as
 * frames of their own: each has its own statistics.
 */
#define KCAP_COLS_PARTS 5
struct kcap_cols;
struct kcap_cols *kcap_cols__new(void);
void kcap_cols__free(struct kcap_cols *c);
/* The most bytes the layout of raw_len bytes of records can take. */
size_t kcap_cols__bound(size_t raw_len);
long kcap_cols__encode(struct kcap_cols *c, const struct kcap_schema *s,
		       const uint8_t *src, size_t len, uint32_t count,
		       uint8_t *dst, size_t cap);
/* After kcap_cols__encode(): where each part ends. */
const size_t *kcap_cols__parts(const struct kcap_cols *c);
int kcap_cols__decode(struct kcap_cols *c, const struct kcap_schema *s,
		      const uint8_t *in, size_t inlen, uint32_t count,
		      uint8_t *dst, size_t raw_len, const char **why);

#endif /* KCAP_INTERNAL_H */
