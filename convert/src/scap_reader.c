// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The legacy .scap reader: pcapng-style blocks, plain or gzip'd
 * (../shared/SCAP-FORMAT.md sections 1 and 2).
 *
 * Every length read from the file is checked before it is used. Blocks are
 * read whole into a buffer (zero-copy when they fit the input buffer) and
 * parsed through a cursor that cannot run past the block. The reader is
 * stricter than libscap in one way: the trailing length of every block is
 * compared with its header, as pcapng asks, so that damage is found at the
 * block where it happens.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#ifdef KCAP_HAVE_ISAL
#include <isa-l/igzip_lib.h>
#endif

#include "scap_internal.h"

#define IN_CHUNK (256u << 10)
#define BUF_INIT (1u << 20)

struct scap_rd {
	/* source */
	int fd; /* -1 for memory */
	bool own_fd;
	const uint8_t *mem;
	size_t mem_len, mem_pos;
	bool gz;
	bool src_eof;
	z_stream zs;
	bool zs_init;
#ifdef KCAP_HAVE_ISAL
	struct inflate_state *is; /* used instead of zs when there */
#endif
	bool zmid; /* ISA-L: input went into a member that has not ended */
	/*
	 * The gzip input ended inside a member (gz_cut_short): the blocks
	 * read to its end as a file's read to a cut, and where the last one
	 * is whole, the missing end is said there (next_block()).
	 */
	bool gz_cut;
	bool zq_hold; /* buf points into the ring chunk at the tail */
	size_t own_cap; /* of own_buf */
	/* a gzip error found after some bytes: said once those are parsed */
	int zerr;
	const char *zerrmsg;
	uint8_t *zin; /* compressed input */
	/* decompressed bytes buf[pos..end) */
	uint8_t *buf;
	uint8_t *own_buf; /* what to free: buf unless zero-copy */
	bool zc; /* buf is the whole input (memory or mmap): never filled */
	void *map;
	size_t map_len;
	size_t cap, pos, end;
	uint64_t buf_off; /* stream offset of buf[0] */
	/* state */
	bool in_section, seen_events;
	uint16_t minor;
	uint32_t btype; /* block being parsed entry by entry */
	uint64_t boff;
	const uint8_t *bp, *bend; /* rest of the block body */
	int pl_version;
	uint64_t fdl_tid;
	bool fdl_v2;
	int err;
	uint64_t err_off;
	char msg[256];
	struct zq *zq; /* the inflating thread, for gzip'd files */
};

static int fail(struct scap_rd *r, int err, uint64_t off, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int fail(struct scap_rd *r, int err, uint64_t off, const char *fmt, ...)
{
	va_list ap;
	int n;

	n = snprintf(r->msg, sizeof(r->msg),
		     "offset %llu: ", (unsigned long long)off);
	va_start(ap, fmt);
	vsnprintf(r->msg + n, sizeof(r->msg) - (size_t)n, fmt, ap);
	va_end(ap);
	r->err = err;
	r->err_off = off;
	return err;
}

int scap_sniff(const uint8_t *b, size_t len)
{
	if (len >= 2 && b[0] == 0x1f && b[1] == 0x8b)
		return 1;
	if (len >= 4 && sc_le32(b) == SCAP_BT_SHB)
		return 1;
	return 0;
}

/* Raw bytes from the file or memory: n read, 0 at end, <0 error. */
static ssize_t raw_read(struct scap_rd *r, uint8_t *dst, size_t n)
{
	ssize_t got;

	if (r->fd < 0) {
		size_t left = r->mem_len - r->mem_pos;

		if (n > left)
			n = left;
		if (n)
			memcpy(dst, r->mem + r->mem_pos, n);
		r->mem_pos += n;
		return (ssize_t)n;
	}
	do
		got = read(r->fd, dst, n);
	while (got < 0 && errno == EINTR);
	return got < 0 ? -errno : got;
}

/*
 * The input ended inside a gzip member: what it held was inflated, but
 * its end, and the CRC-32 and length that check it, never came.
 */
static const char gz_cut_short[] =
	"cut short: its last member ends without the CRC-32 and length that check it";

/*
 * zlib: up to room bytes into dst: n produced, 0 at the end of the input,
 * <0 on a read error; a corrupt stream stops it early with zlib's words in
 * *zmsg.
 */

static ssize_t zlib_inflate_some(struct scap_rd *r, uint8_t *dst, size_t room,
				 const char **zmsg)
{
	ssize_t got;

	r->zs.next_out = dst;
	r->zs.avail_out = (uInt)(room > (1u << 30) ? (1u << 30) : room);
	while (r->zs.avail_out) {
		int zr;

		if (!r->zs.avail_in && !r->src_eof) {
			got = raw_read(r, r->zin, IN_CHUNK);
			if (got < 0)
				return got;
			if (!got)
				r->src_eof = true;
			r->zs.next_in = r->zin;
			r->zs.avail_in = (uInt)got;
		}
		if (!r->zs.avail_in && r->src_eof) {
			if (r->zs.total_in) /* since the member's start */
				*zmsg = gz_cut_short;
			break;
		}
		zr = inflate(&r->zs, Z_NO_FLUSH);
		if (zr == Z_STREAM_END) {
			/* concatenated gzip members read as one stream */
			if (inflateReset(&r->zs) != Z_OK)
				return -EIO;
			continue;
		}
		if (zr == Z_BUF_ERROR && !r->zs.avail_in && r->src_eof) {
			if (r->zs.total_in)
				*zmsg = gz_cut_short;
			break;
		}
		if (zr != Z_OK && zr != Z_BUF_ERROR) {
			*zmsg = r->zs.msg ? r->zs.msg : "error";
			break;
		}
	}
	return (ssize_t)(r->zs.next_out - dst);
}

#ifdef KCAP_HAVE_ISAL
static const char *isal_msg(int e)
{
	switch (e) {
	case ISAL_INVALID_BLOCK:
		return "invalid block";
	case ISAL_INVALID_SYMBOL:
		return "invalid code";
	case ISAL_INVALID_LOOKBACK:
		return "invalid distance too far back";
	case ISAL_INVALID_WRAPPER:
		return "incorrect header check";
	case ISAL_UNSUPPORTED_METHOD:
		return "unknown compression method";
	case ISAL_INCORRECT_CHECKSUM:
		return "incorrect data check";
	default:
		return "error";
	}
}

/*
 * As zlib_inflate_some, with ISA-L's igzip: the same stream and checks
 * (every member's CRC-32 and length), 2.4 times zlib's speed here.
 */
static ssize_t isal_inflate_some(struct scap_rd *r, uint8_t *dst, size_t room,
				 const char **zmsg)
{
	struct inflate_state *s = r->is;
	ssize_t got;

	s->next_out = dst;
	s->avail_out = (uint32_t)(room > (1u << 30) ? (1u << 30) : room);
	while (s->avail_out) {
		int e;

		if (!s->avail_in && !r->src_eof) {
			got = raw_read(r, r->zin, IN_CHUNK);
			if (got < 0)
				return got;
			if (!got)
				r->src_eof = true;
			s->next_in = r->zin;
			s->avail_in = (uint32_t)got;
		}
		if (!s->avail_in && r->src_eof) {
			if (r->zmid)
				*zmsg = gz_cut_short;
			break;
		}
		if (s->block_state == ISAL_BLOCK_FINISH) {
			/* concatenated gzip members read as one stream */
			uint8_t *in = s->next_in;
			uint32_t n = s->avail_in;

			isal_inflate_reset(s);
			s->crc_flag = ISAL_GZIP;
			s->next_in = in;
			s->avail_in = n;
		}
		e = isal_inflate(s);
		r->zmid = s->block_state != ISAL_BLOCK_FINISH;
		if (e != ISAL_DECOMP_OK) {
			*zmsg = isal_msg(e);
			break;
		}
	}
	return (ssize_t)(s->next_out - dst);
}
#endif

/*
 * Inflates up to room bytes into dst: n produced, 0 at the end of the
 * input, <0 on error (-EBADMSG: corrupt, the inflater's words in *zmsg).
 * The bytes inflated before an error are handed out first.
 */
static ssize_t inflate_some(struct scap_rd *r, uint8_t *dst, size_t room,
			    const char **zmsg)
{
	const char *msg = NULL;
	ssize_t n;

	if (r->zerr) {
		*zmsg = r->zerrmsg;
		return r->zerr;
	}
#ifdef KCAP_HAVE_ISAL
	if (r->is)
		n = isal_inflate_some(r, dst, room, &msg);
	else
#endif
		n = zlib_inflate_some(r, dst, room, &msg);
	if (msg) {
		r->zerr = -EBADMSG;
		r->zerrmsg = msg;
		if (n <= 0) {
			*zmsg = msg;
			return -EBADMSG;
		}
	}
	return n;
}

/* ---- a thread that inflates ahead ------------------------------------------ */

/*
 * A gzip'd file is inflated by a thread of its own into a ring of chunks,
 * so that zlib (the slowest stage: about 8 M legacy events/s here) runs
 * beside the parsing and conversion instead of before them.
 */
#define ZQ_N 4
#define ZQ_CHUNK (1u << 20)
#define ZQ_HEAD (256u << 10) /* room before a chunk for a partial block */

struct zq {
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	uint8_t *buf[ZQ_N];
	size_t len[ZQ_N];
	unsigned int head, tail, count; /* ring: filled chunks tail..head */
	size_t off; /* consumed bytes of the tail chunk */
	bool done, stop;
	int err;
	const char *zmsg;
};

static void *zq_main(void *arg)
{
	struct scap_rd *r = arg;
	struct zq *q = r->zq;

	for (;;) {
		const char *zmsg = NULL;
		unsigned int h;
		ssize_t n;

		pthread_mutex_lock(&q->mu);
		while (q->count == ZQ_N && !q->stop)
			pthread_cond_wait(&q->cv, &q->mu);
		h = q->head;
		if (q->stop) {
			pthread_mutex_unlock(&q->mu);
			break;
		}
		pthread_mutex_unlock(&q->mu);
		n = inflate_some(r, q->buf[h] + ZQ_HEAD, ZQ_CHUNK, &zmsg);
		pthread_mutex_lock(&q->mu);
		if (n > 0) {
			q->len[h] = (size_t)n;
			q->head = (h + 1) % ZQ_N;
			q->count++;
		} else {
			q->done = true;
			q->err = (int)n;
			q->zmsg = zmsg;
		}
		pthread_cond_broadcast(&q->cv);
		pthread_mutex_unlock(&q->mu);
		if (n <= 0)
			break;
	}
	return NULL;
}

static int zq_start(struct scap_rd *r)
{
	struct zq *q = calloc(1, sizeof(*q));
	int i, err;

	if (!q)
		return -ENOMEM;
	for (i = 0; i < ZQ_N; i++) {
		q->buf[i] = malloc(ZQ_HEAD + ZQ_CHUNK);
		if (!q->buf[i])
			goto nomem;
	}
	pthread_mutex_init(&q->mu, NULL);
	pthread_cond_init(&q->cv, NULL);
	r->zq = q;
	err = pthread_create(&q->th, NULL, zq_main, r);
	if (err) {
		/* no thread: inflate in the reader's, as for memory input */
		r->zq = NULL;
		pthread_mutex_destroy(&q->mu);
		pthread_cond_destroy(&q->cv);
		goto nomem;
	}
	return 0;
nomem:
	for (i = 0; i < ZQ_N; i++)
		free(q->buf[i]);
	free(q);
	return 0;
}

static void zq_stop(struct scap_rd *r)
{
	struct zq *q = r->zq;
	int i;

	if (!q)
		return;
	pthread_mutex_lock(&q->mu);
	q->stop = true;
	pthread_cond_broadcast(&q->cv);
	pthread_mutex_unlock(&q->mu);
	pthread_join(q->th, NULL);
	pthread_mutex_destroy(&q->mu);
	pthread_cond_destroy(&q->cv);
	for (i = 0; i < ZQ_N; i++)
		free(q->buf[i]);
	free(q);
	r->zq = NULL;
}

/* Copies inflated bytes from the ring: n, 0 at the end, <0 on error. */
static ssize_t zq_take(struct scap_rd *r, uint8_t *dst, size_t room,
		       const char **zmsg)
{
	struct zq *q = r->zq;
	unsigned int t;
	size_t n;

	pthread_mutex_lock(&q->mu);
	while (!q->count && !q->done)
		pthread_cond_wait(&q->cv, &q->mu);
	if (!q->count) {
		int err = q->err;

		*zmsg = q->zmsg;
		pthread_mutex_unlock(&q->mu);
		return err;
	}
	t = q->tail;
	pthread_mutex_unlock(&q->mu);
	/* the tail chunk is the reader's until it hands it back */
	n = q->len[t] - q->off;
	if (n > room)
		n = room;
	memcpy(dst, q->buf[t] + ZQ_HEAD + q->off, n);
	q->off += n;
	if (q->off == q->len[t]) {
		q->off = 0;
		pthread_mutex_lock(&q->mu);
		q->tail = (t + 1) % ZQ_N;
		q->count--;
		pthread_cond_broadcast(&q->cv);
		pthread_mutex_unlock(&q->mu);
	}
	return (ssize_t)n;
}

/* Appends bytes at buf[end..cap): n added, 0 at the end, <0 on error. */
static ssize_t fill(struct scap_rd *r)
{
	size_t room = r->cap - r->end;
	const char *zmsg = "error";
	ssize_t got;

	if (!r->gz)
		got = raw_read(r, r->buf + r->end, room);
	else if (r->zq)
		got = zq_take(r, r->buf + r->end, room, &zmsg);
	else
		got = inflate_some(r, r->buf + r->end, room, &zmsg);
	if (got == -EBADMSG && r->gz && zmsg == gz_cut_short) {
		r->gz_cut = true;
		return 0;
	}
	if (got == -EBADMSG && r->gz)
		return fail(r, -EBADMSG, r->buf_off + r->end,
			    "gzip stream is corrupt (%s)", zmsg);
	if (got > 0)
		r->end += (size_t)got;
	return got;
}

/*
 * need() for a gzip'd input inflated by the thread: the bytes are parsed
 * where the thread put them, in its ring chunk, instead of being copied.
 * The partial block at the end of a chunk is copied into the room in
 * front of the next chunk, which becomes the buffer. A block that does
 * not fit (longer than that room, or than the rest of the next chunk)
 * goes to own_buf and is assembled by copying, as for other streams
 * (returns 2 for need() to do that).
 */
static int zq_need(struct scap_rd *r, size_t n, size_t *avail)
{
	struct zq *q = r->zq;

	while (r->end - r->pos < n) {
		size_t t = r->end - r->pos, start, len;
		unsigned int want = r->zq_hold ? 2 : 1, next;
		const char *zmsg;
		uint8_t *dst;
		int err;

		pthread_mutex_lock(&q->mu);
		while (q->count < want && !q->done)
			pthread_cond_wait(&q->cv, &q->mu);
		if (q->count < want) {
			err = q->err;
			zmsg = q->zmsg;
			pthread_mutex_unlock(&q->mu);
			if (err == -EBADMSG && zmsg == gz_cut_short) {
				r->gz_cut = true;
				err = 0;
			} else if (err == -EBADMSG) {
				return fail(r, err, r->buf_off + r->end,
					    "gzip stream is corrupt (%s)",
					    zmsg);
			}
			if (err < 0)
				return err;
			*avail = t;
			return 0;
		}
		next = r->zq_hold ? (q->tail + 1) % ZQ_N : q->tail;
		pthread_mutex_unlock(&q->mu);
		start = r->zq_hold ? 0 : q->off;
		len = q->len[next] - start;
		if (t > ZQ_HEAD + start || n > t + len) {
			if (!r->zq_hold)
				return 2;
			/* the block is too big: to own_buf, by copying */
			if (r->own_cap < t + IN_CHUNK) {
				uint8_t *nb = realloc(r->own_buf, t + IN_CHUNK);

				if (!nb)
					return -ENOMEM;
				r->own_buf = nb;
				r->own_cap = t + IN_CHUNK;
			}
			memcpy(r->own_buf, r->buf + r->pos, t);
			dst = r->own_buf;
			len = 0;
		} else {
			dst = q->buf[next] + ZQ_HEAD + start - t;
			memcpy(dst, r->buf + r->pos, t);
		}
		if (r->zq_hold) {
			/* hand the chunk parsed so far back to the thread */
			pthread_mutex_lock(&q->mu);
			q->tail = (q->tail + 1) % ZQ_N;
			q->count--;
			q->off = 0;
			pthread_cond_broadcast(&q->cv);
			pthread_mutex_unlock(&q->mu);
		}
		r->buf_off += r->pos;
		r->buf = dst;
		r->pos = 0;
		r->end = t + len;
		r->zq_hold = dst != r->own_buf;
		r->cap = r->zq_hold ? r->end : r->own_cap;
		if (!r->zq_hold)
			return 2;
	}
	return 1;
}

/*
 * Makes n bytes available at buf[pos..]: 1 when they are, 0 when the
 * stream ends first (fewer bytes available: *avail), <0 on error.
 */
static int need(struct scap_rd *r, size_t n, size_t *avail)
{
	if (r->zc) {
		if (r->end - r->pos >= n)
			return 1;
		*avail = r->end - r->pos;
		return 0;
	}
	if (r->zq) {
		int ret = zq_need(r, n, avail);

		if (ret != 2)
			return ret;
	}
	while (r->end - r->pos < n) {
		ssize_t got;

		if (r->cap - r->pos < n || r->cap == r->end) {
			size_t keep = r->end - r->pos;

			if (r->pos) {
				memmove(r->buf, r->buf + r->pos, keep);
				r->buf_off += r->pos;
				r->end = keep;
				r->pos = 0;
			}
			if (r->cap < n || (r->cap == r->end)) {
				size_t ncap = r->cap * 2;
				uint8_t *nb;

				while (ncap < n + IN_CHUNK)
					ncap *= 2;
				nb = realloc(r->buf, ncap);
				if (!nb)
					return -ENOMEM;
				r->buf = r->own_buf = nb;
				r->cap = r->own_cap = ncap;
			}
		}
		got = fill(r);
		if (got < 0)
			return (int)got;
		if (!got) {
			*avail = r->end - r->pos;
			return 0;
		}
	}
	return 1;
}

static struct scap_rd *rd_new(void)
{
	struct scap_rd *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->fd = -1;
	return r;
}

static int rd_start(struct scap_rd *r)
{
	uint8_t head[2];
	ssize_t got = 0, n;

	/* peek at the first two bytes to pick plain or gzip */
	if (r->mem &&
	    (r->mem_len < 2 || r->mem[0] != 0x1f || r->mem[1] != 0x8b)) {
		/* plain bytes in memory: parse them where they are */
		r->zc = true;
		r->buf = (uint8_t *)r->mem;
		r->cap = r->end = r->mem_len;
		return 0;
	}
	/* a stream: decompressed or read bytes go through a buffer */
	r->buf = r->own_buf = malloc(BUF_INIT);
	if (!r->buf)
		return -ENOMEM;
	r->cap = r->own_cap = BUF_INIT;
	/* a pipe may hand out one byte at a time */
	while (got < 2) {
		n = raw_read(r, head + got, (size_t)(2 - got));
		if (n < 0)
			return (int)n;
		if (!n)
			break;
		got += n;
	}
	if (got == 2 && head[0] == 0x1f && head[1] == 0x8b) {
		r->gz = true;
		r->zin = malloc(IN_CHUNK);
		if (!r->zin)
			return -ENOMEM;
		memcpy(r->zin, head, 2);
#ifdef KCAP_HAVE_ISAL
		r->is = malloc(sizeof(*r->is));
		if (r->is) {
			isal_inflate_init(r->is);
			r->is->crc_flag = ISAL_GZIP;
			r->is->next_in = r->zin;
			r->is->avail_in = 2;
			return 0;
		}
#endif
		if (inflateInit2(&r->zs, 15 + 16) != Z_OK)
			return -ENOMEM;
		r->zs_init = true;
		r->zs.next_in = r->zin;
		r->zs.avail_in = 2;
	} else {
		memcpy(r->buf, head, (size_t)got);
		r->end = (size_t)got;
	}
	return 0;
}

/*
 * A plain regular file is mapped and parsed in place: no read() copies.
 * Gzip'd files, pipes and anything mmap refuses are read as a stream.
 */
static void map_plain(struct scap_rd *r)
{
	struct stat st;
	uint8_t head[2];
	void *m;

	if (fstat(r->fd, &st) || !S_ISREG(st.st_mode) || st.st_size < 2 ||
	    (uint64_t)st.st_size > SIZE_MAX / 2)
		goto stream;
	if (pread(r->fd, head, 2, 0) != 2 ||
	    (head[0] == 0x1f && head[1] == 0x8b))
		goto stream;
	m = mmap(NULL, (size_t)st.st_size, PROT_READ,
		 MAP_PRIVATE | MAP_POPULATE, r->fd, 0);
	if (m == MAP_FAILED)
		goto stream;
	madvise(m, (size_t)st.st_size, MADV_SEQUENTIAL);
	r->map = m;
	r->map_len = (size_t)st.st_size;
	r->mem = m;
	r->mem_len = r->map_len;
	return;
stream:
	posix_fadvise(r->fd, 0, 0, POSIX_FADV_SEQUENTIAL);
}

struct scap_rd *scap_rd__open(const char *path)
{
	return scap_rd__open_ex(path, 0);
}

struct scap_rd *scap_rd__open_ex(const char *path, unsigned int flags)
{
	struct scap_rd *r = rd_new();
	int err;

	if (!r) {
		errno = ENOMEM;
		return NULL;
	}
	if (!strcmp(path, "-")) {
		r->fd = 0;
	} else {
		r->fd = open(path, O_RDONLY | O_CLOEXEC);
		if (r->fd < 0) {
			err = errno;
			scap_rd__close(r);
			errno = err;
			return NULL;
		}
		r->own_fd = true;
		map_plain(r);
	}
	err = rd_start(r);
	if (!err && r->gz && !(flags & SCAP_RD_NO_THREAD))
		err = zq_start(r);
	if (err) {
		scap_rd__close(r);
		errno = -err;
		return NULL;
	}
	return r;
}

struct scap_rd *scap_rd__open_mem(const void *buf, size_t len)
{
	struct scap_rd *r = rd_new();
	int err;

	if (!r) {
		errno = ENOMEM;
		return NULL;
	}
	r->mem = buf;
	r->mem_len = len;
	err = rd_start(r);
	if (err) {
		scap_rd__close(r);
		errno = -err;
		return NULL;
	}
	return r;
}

void scap_rd__close(struct scap_rd *r)
{
	if (!r)
		return;
	zq_stop(r);
	if (r->zs_init)
		inflateEnd(&r->zs);
#ifdef KCAP_HAVE_ISAL
	free(r->is);
#endif
	if (r->own_fd)
		close(r->fd);
	if (r->map)
		munmap(r->map, r->map_len);
	free(r->zin);
	free(r->own_buf);
	free(r);
}

const char *scap_rd__errmsg(const struct scap_rd *r)
{
	return r->msg;
}
uint64_t scap_rd__err_offset(const struct scap_rd *r)
{
	return r->err_off;
}
uint64_t scap_rd__bytes(const struct scap_rd *r)
{
	return r->buf_off + r->pos;
}
bool scap_rd__gzip(const struct scap_rd *r)
{
	return r->gz;
}

/* ---- a cursor over the body of one block ---------------------------------- */

struct cur {
	const uint8_t *p, *end;
	bool bad;
};

static inline bool cur_has(struct cur *c, size_t n)
{
	if ((size_t)(c->end - c->p) < n) {
		c->bad = true;
		return false;
	}
	return true;
}
static inline uint8_t cur_u8(struct cur *c)
{
	return cur_has(c, 1) ? *c->p++ : 0;
}
static inline uint16_t cur_u16(struct cur *c)
{
	uint16_t v = 0;

	if (cur_has(c, 2)) {
		v = sc_le16(c->p);
		c->p += 2;
	}
	return v;
}
static inline uint32_t cur_u32(struct cur *c)
{
	uint32_t v = 0;

	if (cur_has(c, 4)) {
		v = sc_le32(c->p);
		c->p += 4;
	}
	return v;
}
static inline uint64_t cur_u64(struct cur *c)
{
	uint64_t v = 0;

	if (cur_has(c, 8)) {
		v = sc_le64(c->p);
		c->p += 8;
	}
	return v;
}
static inline void cur_bytes(struct cur *c, void *dst, size_t n)
{
	if (cur_has(c, n)) {
		memcpy(dst, c->p, n);
		c->p += n;
	}
}
/* u16 length then bytes, at most max long. */
static inline struct scap_str cur_str(struct cur *c, uint32_t max)
{
	struct scap_str s = { NULL, 0 };
	uint16_t n = cur_u16(c);

	if (c->bad)
		return s;
	if (n > max || !cur_has(c, n)) {
		c->bad = true;
		return s;
	}
	s.p = c->p;
	s.len = n;
	c->p += n;
	return s;
}

/* ---- metadata blocks ---------------------------------------------------- */

static int pl_version_of(uint32_t bt)
{
	switch (bt) {
	case SCAP_BT_PL_V1:
	case SCAP_BT_PL_V1_INT:
		return 1;
	case SCAP_BT_PL_V2:
	case SCAP_BT_PL_V2_INT:
		return 2;
	case SCAP_BT_PL_V3:
	case SCAP_BT_PL_V3_INT:
		return 3;
	case SCAP_BT_PL_V4:
		return 4;
	case SCAP_BT_PL_V5:
		return 5;
	case SCAP_BT_PL_V6:
		return 6;
	case SCAP_BT_PL_V7:
		return 7;
	case SCAP_BT_PL_V8:
		return 8;
	case SCAP_BT_PL_V9:
		return 9;
	}
	return 0;
}

#define MAX_PATH 1024
#define MAX_ARGS 4096

/* One process-list entry; the cursor stops at the entry's end. */
static int parse_proc(struct scap_rd *r, struct scap_proc *pr)
{
	int v = r->pl_version;
	struct cur c = { r->bp, r->bend, false };
	const uint8_t *entry_end = r->bend;
	uint32_t elen = 0;

	memset(pr, 0, sizeof(*pr));
	pr->sid = pr->vpgid = pr->vtid = pr->vpid = pr->pgid = -1;
	pr->loginuid = 0xffffffffu;
	pr->version = v;
	if (v == 9) {
		elen = cur_u32(&c);
		if (c.bad || elen < 4 || elen > (size_t)(r->bend - r->bp))
			return fail(r, -EBADMSG, r->boff,
				    "process list entry length %u does not fit "
				    "its block (%zu bytes left)",
				    elen, (size_t)(r->bend - r->bp));
		entry_end = r->bp + elen;
		c.end = entry_end;
	}
	pr->tid = cur_u64(&c);
	pr->pid = cur_u64(&c);
	pr->ptid = cur_u64(&c);
	if (v >= 6)
		pr->sid = (int64_t)cur_u64(&c);
	if (v >= 8)
		pr->vpgid = (int64_t)cur_u64(&c);
	pr->comm = cur_str(&c, MAX_PATH);
	pr->exe = cur_str(&c, MAX_PATH);
	if (v >= 7)
		pr->exepath = cur_str(&c, MAX_PATH);
	pr->args = cur_str(&c, MAX_ARGS);
	pr->cwd = cur_str(&c, MAX_PATH);
	pr->fdlimit = cur_u64(&c);
	pr->flags = cur_u32(&c);
	pr->uid = cur_u32(&c);
	pr->gid = cur_u32(&c);
	if (v >= 2) {
		pr->vm_size = cur_u32(&c);
		pr->vm_rss = cur_u32(&c);
		pr->vm_swap = cur_u32(&c);
		pr->pgft_maj = cur_u64(&c);
		pr->pgft_min = cur_u64(&c);
	}
	if (v >= 3)
		pr->env = cur_str(&c, MAX_ARGS);
	if (v >= 4) {
		pr->vtid = (int64_t)cur_u64(&c);
		pr->vpid = (int64_t)cur_u64(&c);
		pr->cgroups = cur_str(&c, MAX_ARGS);
	}
	if (v >= 5)
		pr->root = cur_str(&c, MAX_PATH);
	if (c.bad)
		return fail(r, -EBADMSG, r->boff,
			    "process list entry (tid %llu) runs past its %s",
			    (unsigned long long)pr->tid,
			    v == 9 ? "entry length" : "block");
	if (v == 9) {
		/*
		 * Optional tail, each field read only if it fits. Writers
		 * before libs 0.10 left out pidns_init_start_ts and tty:
		 * 29 bytes or fewer left means the tail starts at loginuid.
		 */
		size_t left = (size_t)(entry_end - c.p);

		/*
		 * Writers append to this tail: a field is there if it fits,
		 * and none after the first that does not.
		 */
		bool more = true;

#define TAIL(bit, sz, dst)                                       \
	do {                                                     \
		if (more && (size_t)(entry_end - c.p) >= (sz)) { \
			uint64_t v_ = (sz) == 1 ? cur_u8(&c) :   \
				      (sz) == 4 ? cur_u32(&c) :  \
						  cur_u64(&c);   \
			(void)v_;                                \
			dst;                                     \
			pr->has |= (bit);                        \
		} else {                                         \
			more = false;                            \
		}                                                \
	} while (0)
		if (left > 29) {
			TAIL(SCAP_PH_PIDNS_TS, 8, pr->pidns_init_start_ts = v_);
			TAIL(SCAP_PH_TTY, 4, pr->tty = (uint32_t)v_);
		}
		TAIL(SCAP_PH_LOGINUID, 4, pr->loginuid = (uint32_t)v_);
		TAIL(0, 1, (void)0); /* exe_writable */
		TAIL(SCAP_PH_CAPS, 8, pr->cap_inheritable = v_);
		TAIL(SCAP_PH_CAPS, 8, pr->cap_permitted = v_);
		TAIL(SCAP_PH_CAPS, 8, pr->cap_effective = v_);
		TAIL(0, 1, (void)0); /* exe_upper_layer */
		TAIL(SCAP_PH_EXE_INO, 8, pr->exe_ino = v_);
		TAIL(SCAP_PH_EXE_INO, 8, pr->exe_ino_ctime = v_);
		TAIL(SCAP_PH_EXE_INO, 8, pr->exe_ino_mtime = v_);
		TAIL(0, 1, (void)0); /* exe_from_memfd */
		TAIL(0, 1, (void)0); /* exe_lower_layer */
		TAIL(0, 8, pr->pgid = (int64_t)v_);
#undef TAIL
		c.p = entry_end;
	}
	r->bp = c.p;
	return 0;
}

static int parse_fd(struct scap_rd *r, struct scap_fd *f)
{
	struct cur c = { r->bp, r->bend, false };
	const uint8_t *entry_end = r->bend;
	uint32_t elen;

	memset(f, 0, sizeof(*f));
	f->tid = r->fdl_tid;
	if (r->fdl_v2) {
		elen = cur_u32(&c);
		if (c.bad || elen < 4 || elen > (size_t)(r->bend - r->bp))
			return fail(r, -EBADMSG, r->boff,
				    "fd list entry length %u does not fit its "
				    "block (%zu bytes left)",
				    elen, (size_t)(r->bend - r->bp));
		entry_end = r->bp + elen;
		c.end = entry_end;
	}
	f->fd = (int64_t)cur_u64(&c);
	f->ino = cur_u64(&c);
	f->type = cur_u8(&c);
	switch (f->type) {
	case 3: /* IPV4_SOCK */
		cur_bytes(&c, f->sip, 4);
		cur_bytes(&c, f->dip, 4);
		f->sport = cur_u16(&c);
		f->dport = cur_u16(&c);
		f->l4proto = cur_u8(&c);
		break;
	case 5: /* IPV4_SERVSOCK */
		cur_bytes(&c, f->sip, 4);
		f->sport = cur_u16(&c);
		f->l4proto = cur_u8(&c);
		break;
	case 4: /* IPV6_SOCK */
		f->v6 = true;
		cur_bytes(&c, f->sip, 16);
		cur_bytes(&c, f->dip, 16);
		f->sport = cur_u16(&c);
		f->dport = cur_u16(&c);
		f->l4proto = cur_u8(&c);
		break;
	case 6: /* IPV6_SERVSOCK */
		f->v6 = true;
		cur_bytes(&c, f->sip, 16);
		f->sport = cur_u16(&c);
		f->l4proto = cur_u8(&c);
		break;
	case 8: /* UNIX_SOCK: kernel pointers, then the name */
		cur_u64(&c);
		cur_u64(&c);
		f->name = cur_str(&c, MAX_PATH - 1);
		break;
	case 16: /* FILE_V2 */
		f->open_flags = cur_u32(&c);
		f->has_flags = true;
		f->name = cur_str(&c, MAX_PATH - 1);
		if (r->fdl_v2 && (size_t)(entry_end - c.p) >= 4) {
			f->dev = cur_u32(&c);
			f->has_dev = true;
		}
		break;
	case 0:
		break;
	default:
		if (f->type <= 21) {
			f->name = cur_str(&c, MAX_PATH - 1);
		} else if (!r->fdl_v2) {
			/* v1 entries have no length to skip an unknown type by */
			return fail(r, -EBADMSG, r->boff,
				    "fd list entry of unknown type %u",
				    f->type);
		}
		break;
	}
	if (c.bad)
		return fail(r, -EBADMSG, r->boff,
			    "fd list entry (fd %lld) runs past its %s",
			    (long long)f->fd,
			    r->fdl_v2 ? "entry length" : "block");
	r->bp = r->fdl_v2 ? entry_end : c.p;
	return 0;
}

/* Interface list entry: checked and skipped (kcap has no record for it). */
static int skip_iface(struct scap_rd *r, bool v2)
{
	struct cur c = { r->bp, r->bend, false };
	const uint8_t *entry_end = r->bend;
	static const uint8_t fixed[] = { 0, 24, 60, 16, 52 };
	uint16_t type, nlen;

	if (v2) {
		/* unlike the other lists, this length leaves itself out */
		uint32_t elen = cur_u32(&c);

		if (c.bad || elen > (size_t)(c.end - c.p))
			return fail(r, -EBADMSG, r->boff,
				    "interface list entry length %u does not "
				    "fit its block",
				    elen);
		entry_end = c.p + elen;
		c.end = entry_end;
	}
	type = cur_u16(&c);
	nlen = cur_u16(&c);
	if (c.bad || type < 1 || type > 4 || nlen >= 1024 ||
	    !cur_has(&c, (size_t)fixed[type] - 4 + nlen))
		return fail(
			r, -EBADMSG, r->boff,
			"bad interface list entry (type %u, name length %u)",
			type, nlen);
	c.p += fixed[type] - 4 + nlen;
	r->bp = v2 ? entry_end : c.p;
	return 0;
}

static int skip_user(struct scap_rd *r, bool v2)
{
	struct cur c = { r->bp, r->bend, false };
	const uint8_t *entry_end = r->bend;
	uint8_t kind;

	if (v2) {
		uint32_t elen = cur_u32(&c);

		if (c.bad || elen < 4 || elen > (size_t)(r->bend - r->bp))
			return fail(r, -EBADMSG, r->boff,
				    "user list entry length %u does not fit "
				    "its block",
				    elen);
		entry_end = r->bp + elen;
		c.end = entry_end;
	}
	kind = cur_u8(&c);
	if (kind == 0) {
		cur_u32(&c);
		cur_u32(&c);
		cur_str(&c, 255);
		cur_str(&c, 255);
		cur_str(&c, 255);
	} else {
		cur_u32(&c);
		cur_str(&c, 255);
	}
	if (c.bad)
		return fail(r, -EBADMSG, r->boff, "bad user list entry");
	r->bp = v2 ? entry_end : c.p;
	return 0;
}

/* ---- events --------------------------------------------------------------- */

static bool is_event_block(uint32_t bt)
{
	switch (bt) {
	case SCAP_BT_EV:
	case SCAP_BT_EV_INT:
	case SCAP_BT_EVF:
	case SCAP_BT_EV_V2:
	case SCAP_BT_EV_V2_LARGE:
	case SCAP_BT_EVF_V2:
	case SCAP_BT_EVF_V2_LARGE:
		return true;
	}
	return false;
}

/*
 * v1 headers have no parameter count: find the n (from the schema's count
 * down) whose lengths add up to exactly the end of the event, as libscap
 * does. -1 if none does.
 */
static int v1_nparams(unsigned int type, const uint8_t *ev, uint32_t len)
{
	int n = type < SCAP_EVENT_COUNT ? scap_events[type].nparams : 0;

	for (; n >= 0; n--) {
		uint64_t at = SCAP_EV_HDR_V1 + (uint64_t)n * 2, sum = 0;
		int i;

		if (at > len)
			continue;
		for (i = 0; i < n; i++)
			sum += sc_le16(ev + SCAP_EV_HDR_V1 + 2 * i);
		if (at + sum == len)
			return n;
		if (at + sum < len)
			return -1;
	}
	return -1;
}

static int parse_event(struct scap_item *it, const uint8_t *body, size_t blen)
{
	struct scap_event *ev = &it->ev;
	uint32_t bt = it->block_type;
	bool v1 = bt == SCAP_BT_EV || bt == SCAP_BT_EV_INT || bt == SCAP_BT_EVF;
	bool flags = bt == SCAP_BT_EVF || bt == SCAP_BT_EVF_V2 ||
		     bt == SCAP_BT_EVF_V2_LARGE;
	size_t hdr = v1 ? SCAP_EV_HDR_V1 : SCAP_EV_HDR_V2;
	size_t pre = 2 + (flags ? 4 : 0);
	const uint8_t *e;
	uint64_t at;
	unsigned int lsz, i;
	int n;

	it->kind = SCAP_IT_BAD_EVENT;
	ev->type = UINT16_MAX; /* not known yet */
	if (blen < pre + hdr) {
		it->why = "event block too short for an event header";
		return 0;
	}
	ev->cpu = sc_le16(body);
	ev->flags = flags ? sc_le32(body + 2) : 0;
	e = body + pre;
	ev->ts = sc_le64(e);
	ev->tid = sc_le64(e + 8);
	ev->len = sc_le32(e + 16);
	ev->type = sc_le16(e + 20);
	if (ev->len < hdr || ev->len > blen - pre) {
		it->why = "event length does not fit its block";
		return 0;
	}
	if (ev->type >= SCAP_EVENT_COUNT) {
		/* newer libs than this table: counted by the caller */
		it->kind = SCAP_IT_EVENT;
		ev->nparams = 0;
		return 0;
	}
	lsz = scap_events[ev->type].flags & SCAP_EVF_LARGE ? 4 : 2;
	if (v1) {
		/* v1 lengths are always u16 */
		lsz = 2;
		/* old captures stored these two 3 bytes too long */
		if ((ev->type == 280 || ev->type == 286) && ev->len >= hdr + 3)
			ev->len -= 3;
		n = v1_nparams(ev->type, e, ev->len);
		if (n < 0) {
			it->why = "v1 event: no parameter count fits its "
				  "length";
			return 0;
		}
		ev->nparams = (uint32_t)n;
	} else {
		ev->nparams = sc_le32(e + 22);
	}
	if (ev->nparams > SCAP_MAX_PARAMS) {
		it->why = "more parameters than any event has";
		return 0;
	}
	at = hdr + (uint64_t)ev->nparams * lsz;
	if (at > ev->len) {
		it->why = "parameter lengths run past the event";
		return 0;
	}
	for (i = 0; i < ev->nparams; i++) {
		const uint8_t *lp = e + hdr + (size_t)i * lsz;
		uint32_t l = lsz == 2 ? sc_le16(lp) : sc_le32(lp);

		if (l > ev->len - at) {
			it->why = "a parameter runs past the event";
			return 0;
		}
		ev->plen[i] = l;
		ev->params[i] = e + at;
		at += l;
	}
	it->kind = SCAP_IT_EVENT;
	return 0;
}

/* ---- blocks ----------------------------------------------------------------- */

int scap_rd__next(struct scap_rd *r, struct scap_item *it)
{
	for (;;) {
		size_t avail = 0;
		uint32_t bt, blen;
		uint64_t off;
		const uint8_t *b, *body;
		size_t bodylen;
		int ret;

		if (r->err)
			return r->err;
		/* entries left in the current list block */
		if (r->bp && (size_t)(r->bend - r->bp) >= 4) {
			it->offset = r->boff;
			it->block_type = r->btype;
			if (r->pl_version) {
				it->kind = SCAP_IT_PROC;
				ret = parse_proc(r, &it->proc);
			} else if (r->btype == SCAP_BT_FDL ||
				   r->btype == SCAP_BT_FDL_INT ||
				   r->btype == SCAP_BT_FDL_V2) {
				it->kind = SCAP_IT_FD;
				ret = parse_fd(r, &it->fd);
			} else if (r->btype == SCAP_BT_IL_V2 ||
				   r->btype == SCAP_BT_IL ||
				   r->btype == SCAP_BT_IL_INT) {
				it->kind = SCAP_IT_OTHER_LIST;
				ret = skip_iface(r, r->btype == SCAP_BT_IL_V2);
			} else {
				it->kind = SCAP_IT_OTHER_LIST;
				ret = skip_user(r, r->btype == SCAP_BT_UL_V2);
			}
			if (ret)
				return ret;
			return 1;
		}
		r->bp = r->bend = NULL;
		r->pl_version = 0;

		off = r->buf_off + r->pos;
		ret = need(r, 8, &avail);
		if (ret < 0) /* a gzip error has said where already */
			return r->err ? ret :
					fail(r, ret, off, "read error: %s",
					     strerror(-ret));
		if (!ret) {
			if (!avail) {
				if (!r->in_section && !r->gz_cut)
					return fail(r, -EBADMSG, 0,
						    "empty file: no section "
						    "header block");
				if (r->gz_cut)
					return fail(r, -EBADMSG, off,
						    "gzip stream is corrupt "
						    "(%s)",
						    gz_cut_short);
				return 0;
			}
			/*
			 * A few bytes that do not begin a section header are
			 * no .scap at all ("abc"), not one cut short: the
			 * caller then tries them as kcap.
			 */
			if (!r->in_section &&
			    memcmp(r->buf + r->pos, "\n\r\r\n",
				   avail < 4 ? avail : 4))
				return fail(r, -EBADMSG, off,
					    "not a .scap capture: %zu bytes, "
					    "too short for a section header",
					    avail);
			return fail(r, -EPIPE, off,
				    "truncated: %zu bytes of a block header "
				    "at the end of the file",
				    avail);
		}
		b = r->buf + r->pos;
		bt = sc_le32(b);
		blen = sc_le32(b + 4);
		if (!r->in_section && bt != SCAP_BT_SHB)
			return fail(r, -EBADMSG, off,
				    "not a .scap capture: first block type "
				    "0x%x is not a section header",
				    bt);
		if (blen < 12 || blen % 4)
			return fail(r, -EBADMSG, off,
				    "block type 0x%x has a bad length %u "
				    "(less than 12 or not a multiple of 4)",
				    bt, blen);
		if (blen > SCAP_BLOCK_MAX)
			return fail(r, -EBADMSG, off,
				    "block type 0x%x claims %u bytes, more "
				    "than the %u-byte limit",
				    bt, blen, SCAP_BLOCK_MAX);
		ret = need(r, blen, &avail);
		if (ret < 0)
			return r->err ? ret :
					fail(r, ret, off, "read error: %s",
					     strerror(-ret));
		if (!ret)
			return fail(r, -EPIPE, off,
				    "truncated inside a block: block type "
				    "0x%x of %u bytes, %zu present",
				    bt, blen, avail);
		b = r->buf + r->pos;
		if (sc_le32(b + blen - 4) != blen)
			return fail(r, -EBADMSG, off,
				    "block type 0x%x: trailing length %u "
				    "differs from header length %u",
				    bt, sc_le32(b + blen - 4), blen);
		r->pos += blen;
		/*
		 * Blocks are small and the input streams through once:
		 * fetch a few ahead (the hardware prefetcher stops at page
		 * boundaries, and a mapped file's pages are scattered).
		 */
		if (r->end - r->pos > 4096)
			__builtin_prefetch(r->buf + r->pos + 4096);
		body = b + 8;
		bodylen = blen - 12;
		memset(it, 0, offsetof(struct scap_item, mi));
		it->offset = off;
		it->block_type = bt;

		if (bt == SCAP_BT_SHB) {
			uint32_t magic;

			if (bodylen < 16)
				return fail(r, -EBADMSG, off,
					    "section header of %u bytes, "
					    "less than 28",
					    blen);
			magic = sc_le32(body);
			if (magic != SCAP_SHB_MAGIC)
				return fail(r, -EBADMSG, off,
					    "section header magic 0x%08x is "
					    "not 0x1a2b3c4d (byte-swapped "
					    "files are not supported)",
					    magic);
			it->major = sc_le16(body + 4);
			it->minor = sc_le16(body + 6);
			if (it->major != 1)
				return fail(r, -ENOTSUP, off,
					    "section version %u.%u: only "
					    "1.x is known",
					    it->major, it->minor);
			r->in_section = true;
			r->minor = it->minor;
			it->kind = SCAP_IT_SECTION;
			return 1;
		}
		if (is_event_block(bt)) {
			if (blen - 8 > SCAP_NONLARGE_MAX &&
			    bt != SCAP_BT_EV_V2_LARGE &&
			    bt != SCAP_BT_EVF_V2_LARGE) {
				it->kind = SCAP_IT_BAD_EVENT;
				it->why = "event block larger than 64 KiB "
					  "without the LARGE block type";
				return 1;
			}
			parse_event(it, body, bodylen);
			return 1;
		}
		switch (bt) {
		case SCAP_BT_MI:
		case SCAP_BT_MI_INT:
			if (bodylen < 180)
				return fail(r, -EBADMSG, off,
					    "machine info of %zu bytes, "
					    "less than 180",
					    bodylen);
			memset(&it->mi, 0, sizeof(it->mi));
			it->mi.cpus = sc_le32(body);
			it->mi.mem_bytes = sc_le64(body + 4);
			it->mi.max_pid = sc_le64(body + 12);
			memcpy(it->mi.hostname, body + 20, 128);
			it->mi.boot_ts = sc_le64(body + 148);
			it->mi.flags = sc_le64(body + 156);
			it->kind = SCAP_IT_MACHINE;
			return 1;
		case SCAP_BT_FDL:
		case SCAP_BT_FDL_INT:
		case SCAP_BT_FDL_V2:
			if (bodylen < 8)
				return fail(r, -EBADMSG, off,
					    "fd list block too short for its "
					    "thread id");
			r->fdl_tid = sc_le64(body);
			r->fdl_v2 = bt == SCAP_BT_FDL_V2;
			r->btype = bt;
			r->boff = off;
			r->bp = body + 8;
			r->bend = body + bodylen;
			continue;
		case SCAP_BT_IL:
		case SCAP_BT_IL_INT:
		case SCAP_BT_IL_V2:
		case SCAP_BT_UL:
		case SCAP_BT_UL_INT:
		case SCAP_BT_UL_V2:
			r->btype = bt;
			r->boff = off;
			r->bp = body;
			r->bend = body + bodylen;
			continue;
		default:
			if (pl_version_of(bt)) {
				r->pl_version = pl_version_of(bt);
				r->btype = bt;
				r->boff = off;
				r->bp = body;
				r->bend = body + bodylen;
				continue;
			}
			it->kind = SCAP_IT_SKIPPED;
			return 1;
		}
	}
}
