// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The .kcap writer: records go into an open EVENTS block; a block is sealed
 * when it would pass the block size (or, through tick(), when it is older
 * than the flush interval), then compressed, checksummed and written with a
 * single write, so that a file cut at any moment holds only whole blocks
 * plus at most one partial block at its end. close() adds INDEX and FOOTER.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"

#define kcap_writer_opts__last_field sync

#define DEFAULT_BLOCK_SIZE (1u << 20)

struct kcap_writer {
	int fd;
	bool own_fd;
	bool sync;
	int codec;
	uint32_t block_size;
	uint64_t flush_ns;
	const struct kcap_schema *schema;
	struct kcap_cctx *cctx;

	/* the open EVENTS block */
	uint8_t *raw;
	size_t raw_len;
	size_t raw_cap;
	uint32_t raw_count;
	uint64_t raw_first_ts, raw_last_ts;
	uint64_t raw_opened_ns; /* CLOCK_MONOTONIC at its first record */

	/* one whole block on its way to the file */
	uint8_t *out;
	size_t out_cap;

	uint32_t seq;
	uint64_t offset; /* bytes written so far */
	uint8_t *index; /* INDEX entries, one per block written */
	size_t index_len, index_cap;

	int err; /* sticky: after a failed write, nothing more is written */
	struct kcap_writer_stats st;
	char errmsg[KCAP_ERRMSG_SIZE];
};

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int write_all(struct kcap_writer *w, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	size_t done = 0;

	while (done < len) {
		ssize_t n = write(w->fd, p + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int err = n < 0 ? errno : EIO;

			kcap_errmsg_set(
				w->errmsg,
				"write failed at offset %llu: %s; the file is whole up to offset %llu",
				(unsigned long long)(w->offset + done),
				strerror(err), (unsigned long long)w->offset);
			/*
			 * Drop a partial block so the file ends on a whole
			 * one; on a pipe or a full disk this may fail, and the
			 * reader then reports a torn last block instead.
			 */
			if (done && ftruncate(w->fd, (off_t)w->offset) == 0)
				done = 0;
			w->err = -err;
			return w->err;
		}
		done += (size_t)n;
	}
	w->offset += len;
	w->st.file_bytes += len;
	return 0;
}

static int index_add(struct kcap_writer *w, uint64_t offset, const uint8_t *hdr)
{
	uint8_t *e;

	if (w->index_len + KCAP_INDEX_ENTRY > w->index_cap) {
		size_t cap = w->index_cap ? w->index_cap * 2 : 4096;
		uint8_t *p = realloc(w->index, cap);

		if (!p)
			return -ENOMEM;
		w->index = p;
		w->index_cap = cap;
	}
	e = w->index + w->index_len;
	kcap_put64(e, offset);
	memcpy(e + 8, hdr + 24, 16); /* first_ts, last_ts */
	memcpy(e + 24, hdr + 16, 4); /* count */
	memcpy(e + 28, hdr + 4, 2); /* type */
	kcap_put16(e + 30, 0);
	w->index_len += KCAP_INDEX_ENTRY;
	return 0;
}

/* Frame, checksum and write one block whose raw payload is given. */
static int write_raw_block(struct kcap_writer *w, int type, const void *raw,
			   size_t raw_len, uint32_t count, uint64_t first_ts,
			   uint64_t last_ts, bool compress)
{
	uint8_t *h = w->out, *payload = w->out + KCAP_BLOCK_HDR_SIZE;
	size_t stored = raw_len, total;
	int codec = KCAP_CODEC_NONE;
	uint64_t offset = w->offset;
	int err;

	if (w->err)
		return w->err;
	if (raw_len > KCAP_BLOCK_MAX)
		return -E2BIG;
	if (compress && w->codec != KCAP_CODEC_NONE && raw_len) {
		/* room for anything smaller than the raw payload */
		long n = kcap_cctx__compress(w->cctx, payload, raw_len - 1, raw,
					     raw_len);

		if (n > 0) {
			stored = (size_t)n;
			codec = w->codec;
		} else if (n != -ENOSPC) {
			kcap_errmsg_set(w->errmsg,
					"%s compression of block %u failed",
					kcap_codec_name(w->codec), w->seq);
			return (int)n;
		}
	}
	if (codec == KCAP_CODEC_NONE && raw_len)
		memcpy(payload, raw, raw_len);
	total = KCAP_BLOCK_HDR_SIZE + ALIGN8(stored) + KCAP_BLOCK_TRAILER_SIZE;

	kcap_put32(h, KCAP_BLOCK_MAGIC);
	kcap_put16(h + 4, (uint16_t)type);
	h[6] = (uint8_t)codec;
	h[7] = 0;
	kcap_put32(h + 8, (uint32_t)stored);
	kcap_put32(h + 12, (uint32_t)raw_len);
	kcap_put32(h + 16, count);
	kcap_put32(h + 20, w->seq);
	kcap_put64(h + 24, first_ts);
	kcap_put64(h + 32, last_ts);
	kcap_put32(h + 40, kcap_cksum32(payload, stored));
	kcap_put32(h + 44, kcap_cksum32(h, 44));
	memset(payload + stored, 0, ALIGN8(stored) - stored);
	kcap_put32(payload + ALIGN8(stored), (uint32_t)total);
	kcap_put32(payload + ALIGN8(stored) + 4, KCAP_TRAILER_MAGIC);

	err = write_all(w, h, total);
	if (err)
		return err;
	w->seq++;
	w->st.blocks++;
	w->st.raw_bytes += raw_len;
	w->st.stored_bytes += stored;
	if (type != KCAP_BLOCK_INDEX && type != KCAP_BLOCK_FOOTER &&
	    index_add(w, offset, h)) {
		w->err = -ENOMEM;
		kcap_errmsg_set(w->errmsg, "out of memory for the index");
		return w->err;
	}
	return 0;
}

static int seal(struct kcap_writer *w)
{
	int err;

	if (!w->raw_count)
		return w->err;
	err = write_raw_block(w, KCAP_BLOCK_EVENTS, w->raw, w->raw_len,
			      w->raw_count, w->raw_first_ts, w->raw_last_ts,
			      true);
	w->raw_len = 0;
	w->raw_count = 0;
	return err;
}

static int write_file_header(struct kcap_writer *w, uint64_t created_ns,
			     uint64_t boot_wall_ns)
{
	uint8_t h[KCAP_FILE_HDR_SIZE] = { 0 };

	memcpy(h, KCAP_MAGIC, 8);
	kcap_put16(h + 8, KCAP_FORMAT_MAJOR);
	kcap_put16(h + 10, KCAP_FORMAT_MINOR);
	kcap_put32(h + 12, KCAP_FILE_HDR_SIZE);
	kcap_put64(h + 32, kcap_schema__hash(w->schema));
	kcap_put64(h + 40, boot_wall_ns);
	kcap_put64(h + 48, created_ns);
	kcap_put32(h + 60, kcap_cksum32(h, 60));
	return write_all(w, h, sizeof(h));
}

static void writer_free(struct kcap_writer *w)
{
	if (!w)
		return;
	if (w->own_fd && w->fd >= 0)
		close(w->fd);
	kcap_cctx__free(w->cctx);
	free(w->raw);
	free(w->out);
	free(w->index);
	free(w);
}

struct kcap_writer *kcap_writer__open_fd(int fd,
					 const struct kcap_writer_opts *opts)
{
	struct kcap_writer *w;
	uint64_t created, boot_wall;
	size_t payload_len;
	const void *payload;
	int level, err;

	if (fd < 0 || !KCAP_OPTS_VALID(opts, kcap_writer_opts)) {
		errno = EINVAL;
		return NULL;
	}
	w = calloc(1, sizeof(*w));
	if (!w) {
		errno = ENOMEM;
		return NULL;
	}
	w->fd = fd;
	w->schema = kcap_schema__builtin();
	w->codec = KCAP_OPT(opts, kcap_writer_opts, codec, KCAP_CODEC_ZSTD);
	level = KCAP_OPT(opts, kcap_writer_opts, level, 0);
	w->block_size = KCAP_OPT(opts, kcap_writer_opts, block_size, 0);
	w->flush_ns =
		KCAP_OPT(opts, kcap_writer_opts, flush_ms, 0) * 1000000ull;
	w->sync = KCAP_OPT(opts, kcap_writer_opts, sync, false);
	created = KCAP_OPT(opts, kcap_writer_opts, created_ns, 0);
	boot_wall = KCAP_OPT(opts, kcap_writer_opts, boot_wall_ns, 0);
	if (!w->schema || !kcap_codec_name(w->codec)) {
		err = w->schema ? EINVAL : ENOMEM;
		goto fail;
	}
	if (!level)
		level = 1;
	if (!w->block_size)
		w->block_size = DEFAULT_BLOCK_SIZE;
	if (w->block_size < KCAP_REC_MAX || w->block_size > KCAP_BLOCK_MAX) {
		err = EINVAL;
		goto fail;
	}
	if (!created)
		created = clock_ns(CLOCK_REALTIME);
	if (!boot_wall)
		boot_wall = clock_ns(CLOCK_REALTIME) - clock_ns(CLOCK_BOOTTIME);

	w->cctx = kcap_cctx__new(w->codec, level);
	w->raw_cap = w->block_size;
	w->raw = malloc(w->raw_cap);
	payload = kcap_schema__payload(w->schema, &payload_len);
	/* out holds one block: the largest of an EVENTS block and the rest */
	w->out_cap = KCAP_BLOCK_HDR_SIZE + KCAP_BLOCK_TRAILER_SIZE + 8 +
		     (w->raw_cap > payload_len ? w->raw_cap : payload_len);
	w->out = malloc(w->out_cap);
	if (!w->cctx || !w->raw || !w->out) {
		err = ENOMEM;
		goto fail;
	}
	err = -write_file_header(w, created, boot_wall);
	if (!err)
		err = -write_raw_block(w, KCAP_BLOCK_SCHEMA, payload,
				       payload_len, payload_len ? 1 : 0, 0, 0,
				       true);
	if (err)
		goto fail;
	return w;
fail:
	w->own_fd = false;
	writer_free(w);
	errno = err;
	return NULL;
}

struct kcap_writer *kcap_writer__open(const char *path,
				      const struct kcap_writer_opts *opts)
{
	struct kcap_writer *w;
	int fd, err;

	if (!path) {
		errno = EINVAL;
		return NULL;
	}
	if (!strcmp(path, "-"))
		return kcap_writer__open_fd(STDOUT_FILENO, opts);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return NULL;
	w = kcap_writer__open_fd(fd, opts);
	if (!w) {
		err = errno;
		close(fd);
		unlink(path);
		errno = err;
		return NULL;
	}
	w->own_fd = true;
	return w;
}

int kcap_writer__append(struct kcap_writer *w, const void *rec)
{
	const struct kcap_hdr *h = rec;
	const char *why;
	uint64_t ts;
	int err;

	if (w->err)
		return w->err;
	if (h->len < KCAP_HDR_SIZE ||
	    kcap_record_check(w->schema, rec, h->len, &why)) {
		kcap_errmsg_set(w->errmsg, "refusing record of type %u, len %u",
				h->type, h->len);
		return -EINVAL;
	}
	if (w->raw_len + h->len > w->raw_cap) {
		err = seal(w);
		if (err)
			return err;
	}
	ts = h->ts;
	if (!w->raw_count) {
		w->raw_first_ts = w->raw_last_ts = ts;
		if (w->flush_ns)
			w->raw_opened_ns = clock_ns(CLOCK_MONOTONIC);
	} else if (ts < w->raw_first_ts) {
		w->raw_first_ts = ts;
	} else if (ts > w->raw_last_ts) {
		w->raw_last_ts = ts;
	}
	memcpy(w->raw + w->raw_len, rec, h->len);
	w->raw_len += h->len;
	w->raw_count++;
	w->st.events++;
	return 0;
}

int kcap_writer__write_block(struct kcap_writer *w, int type, const void *recs,
			     size_t len)
{
	const struct kcap_schema *s = w->schema;
	const uint8_t *p = recs;
	uint64_t first = UINT64_MAX, last = 0;
	uint32_t count = 0;
	size_t off = 0;
	const char *why;
	int err;

	if (type != KCAP_BLOCK_MACHINE && type != KCAP_BLOCK_SNAPSHOT &&
	    type != KCAP_BLOCK_LOSS)
		return -EINVAL;
	if (len > KCAP_BLOCK_MAX)
		return -E2BIG;
	while (off < len) {
		const struct kcap_hdr *h = (const void *)(p + off);
		uint64_t end;

		if (len - off < KCAP_HDR_SIZE ||
		    kcap_record_check(s, p + off, len - off, &why)) {
			kcap_errmsg_set(
				w->errmsg,
				"refusing %s block: record at %zu: %s",
				kcap_block_type_name(type), off,
				len - off < KCAP_HDR_SIZE ? "too short" : why);
			return -EINVAL;
		}
		end = h->ts;
		if (h->type == KCAP_EV_loss)
			end = ((const struct kcap_ev_loss *)h)->end_ts;
		if (h->ts < first)
			first = h->ts;
		if (end > last)
			last = end;
		off += h->len;
		count++;
	}
	if (!count)
		return -EINVAL;
	if (type == KCAP_BLOCK_MACHINE && count != 1)
		return -EINVAL;
	err = seal(w);
	if (err)
		return err;
	if (ALIGN8(len) + KCAP_BLOCK_HDR_SIZE + KCAP_BLOCK_TRAILER_SIZE >
	    w->out_cap) {
		size_t cap = ALIGN8(len) + KCAP_BLOCK_HDR_SIZE +
			     KCAP_BLOCK_TRAILER_SIZE;
		uint8_t *o = realloc(w->out, cap);

		if (!o)
			return -ENOMEM;
		w->out = o;
		w->out_cap = cap;
	}
	return write_raw_block(w, type, recs, len, count, first, last, true);
}

int kcap_writer__tick(struct kcap_writer *w, uint64_t now_ns)
{
	if (!w->raw_count || !w->flush_ns)
		return w->err;
	if (!now_ns)
		now_ns = clock_ns(CLOCK_MONOTONIC);
	if (now_ns - w->raw_opened_ns < w->flush_ns)
		return 0;
	return kcap_writer__flush(w);
}

int kcap_writer__flush(struct kcap_writer *w)
{
	int err = seal(w);

	if (!err && w->sync && fdatasync(w->fd) && errno != EINVAL &&
	    errno != EROFS) {
		err = -errno;
		kcap_errmsg_set(w->errmsg, "fdatasync failed: %s",
				strerror(errno));
	}
	return err;
}

int kcap_writer__close(struct kcap_writer *w)
{
	uint8_t footer[KCAP_FOOTER_PAYLOAD];
	uint64_t index_offset;
	int err;

	if (!w)
		return 0;
	err = seal(w);
	if (!err) {
		index_offset = w->offset;
		if (w->index_len + KCAP_BLOCK_HDR_SIZE +
			    KCAP_BLOCK_TRAILER_SIZE >
		    w->out_cap) {
			uint8_t *o = realloc(
				w->out, w->index_len + KCAP_BLOCK_HDR_SIZE +
						KCAP_BLOCK_TRAILER_SIZE + 8);

			if (o) {
				w->out = o;
				w->out_cap = w->index_len +
					     KCAP_BLOCK_HDR_SIZE +
					     KCAP_BLOCK_TRAILER_SIZE + 8;
			} else {
				err = -ENOMEM;
			}
		}
		if (!err)
			err = write_raw_block(
				w, KCAP_BLOCK_INDEX, w->index, w->index_len,
				(uint32_t)(w->index_len / KCAP_INDEX_ENTRY), 0,
				0, true);
		if (!err) {
			kcap_put64(footer, index_offset);
			kcap_put64(footer + 8, w->st.events);
			err = write_raw_block(w, KCAP_BLOCK_FOOTER, footer,
					      sizeof(footer), 0, 0, 0, false);
		}
	}
	if (!err && w->sync && fdatasync(w->fd) && errno != EINVAL &&
	    errno != EROFS)
		err = -errno;
	if (w->own_fd) {
		w->own_fd = false;
		if (close(w->fd) && !err)
			err = -errno;
	}
	writer_free(w);
	return err;
}

void kcap_writer__stats(const struct kcap_writer *w,
			struct kcap_writer_stats *st)
{
	*st = w->st;
}

const char *kcap_writer__errmsg(const struct kcap_writer *w)
{
	return w->errmsg;
}
