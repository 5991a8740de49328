// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The .kcap writer: records go into an open EVENTS block; a block is sealed
 * when it would pass the block size (or, through tick(), when it is older
 * than the flush interval), then compressed, checksummed and written with a
 * single write, so that a file cut at any moment holds only whole blocks
 * plus at most one partial block at its end. close() adds INDEX and FOOTER.
 *
 * With async_blocks > 0, sealed blocks go to a writer thread through a
 * bounded queue, so that the caller (the recorder's ring consumer) never
 * waits on compression or on the disk unless that many blocks are already
 * waiting.
 */
#include <fcntl.h>
#include <pthread.h>
#include <string.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"

#define kcap_writer_opts__last_field keep

#define DEFAULT_BLOCK_SIZE (1u << 20)
#define ASYNC_BLOCKS_MAX 64

/* One block on its way to the file. */
struct job {
	int type;
	uint8_t *buf; /* raw payload, or the stored payload if precoded */
	size_t len;
	uint32_t raw_len; /* precoded only */
	uint32_t count;
	uint64_t first_ts, last_ts;
	int codec; /* precoded only */
	uint8_t flags; /* the block header's (KCAP_BLOCK_FLAG_*) */
	bool compress;
	bool precoded; /* copied from another file as it was stored */
	bool pooled; /* buf is an EVENTS buffer of the pool, not malloc'ed */
};

struct kcap_writer {
	int fd; /* -1 when the file goes to a sink */
	bool own_fd;
	kcap_sink_fn sink;
	void *sink_ctx;
	bool sync;
	int codec;
	uint32_t block_size;
	uint64_t flush_ns;
	const struct kcap_schema *schema;
	struct kcap_cctx *cctx;

	/* producer side: the open EVENTS block */
	uint8_t *raw;
	size_t raw_len;
	size_t raw_cap;
	uint32_t raw_count;
	uint64_t raw_first_ts, raw_last_ts;
	uint64_t raw_opened_ns; /* CLOCK_MONOTONIC at its first record */

	/* output side: touched only by whoever writes blocks */
	uint8_t *out;
	size_t out_cap;
	uint32_t seq;
	uint64_t offset; /* bytes written so far */
	uint8_t *index; /* INDEX entries, one per block written */
	size_t index_len, index_cap;
	uint64_t events_written;

	/* the writer thread, when async */
	bool async;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv_work, cv_done;
	struct job *queue;
	unsigned int qcap, qhead, qlen;
	uint8_t **pool; /* free EVENTS buffers */
	unsigned int npool;
	bool busy, stop;

	int err; /* sticky, read with __atomic: after a failure nothing more */
	struct kcap_writer_stats st; /* under mu when async */
	char errmsg[KCAP_ERRMSG_SIZE];
};

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int get_err(const struct kcap_writer *w)
{
	return __atomic_load_n(&w->err, __ATOMIC_ACQUIRE);
}

static void set_err(struct kcap_writer *w, int err)
{
	__atomic_store_n(&w->err, err, __ATOMIC_RELEASE);
}

static void lock(struct kcap_writer *w)
{
	if (w->async)
		pthread_mutex_lock(&w->mu);
}

static void unlock(struct kcap_writer *w)
{
	if (w->async)
		pthread_mutex_unlock(&w->mu);
}

/* ---- the output side ------------------------------------------------------- */

static int write_all(struct kcap_writer *w, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	size_t done = 0;

	if (w->sink) {
		int err = w->sink(w->sink_ctx, buf, len);

		if (err > 0)
			err = -EIO; /* not an -errno: still a failure */
		if (err) {
			kcap_errmsg_set(
				w->errmsg,
				"the sink refused %zu bytes at offset %llu: %s",
				len, (unsigned long long)w->offset,
				strerror(-err));
			set_err(w, err);
			return err;
		}
		w->offset += len;
		return 0;
	}
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
			 * one; on a pipe this fails, and a reader then
			 * reports a torn last block instead.
			 */
			if (done && ftruncate(w->fd, (off_t)w->offset))
				(void)0;
			set_err(w, -err);
			return -err;
		}
		done += (size_t)n;
	}
	w->offset += len;
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

static int out_reserve(struct kcap_writer *w, size_t payload)
{
	size_t need =
		KCAP_BLOCK_HDR_SIZE + ALIGN8(payload) + KCAP_BLOCK_TRAILER_SIZE;
	uint8_t *o;

	if (need <= w->out_cap)
		return 0;
	o = realloc(w->out, need);
	if (!o)
		return -ENOMEM;
	w->out = o;
	w->out_cap = need;
	return 0;
}

/* Frame, checksum and write one block. */
static int emit(struct kcap_writer *w, const struct job *j)
{
	uint8_t *h, *payload;
	size_t stored = j->len, raw_len = j->precoded ? j->raw_len : j->len;
	size_t total;
	int codec = j->precoded ? j->codec : KCAP_CODEC_NONE;
	uint64_t offset = w->offset;
	int err = get_err(w);

	if (err)
		return err;
	if (out_reserve(w, j->len)) {
		kcap_errmsg_set(w->errmsg, "out of memory for block %u",
				w->seq);
		set_err(w, -ENOMEM);
		return -ENOMEM;
	}
	h = w->out;
	payload = w->out + KCAP_BLOCK_HDR_SIZE;
	if (j->compress && !j->precoded && w->codec != KCAP_CODEC_NONE &&
	    j->len) {
		int want = w->codec;
		long n = -EAGAIN;

		/*
		 * Room for anything smaller than the raw payload. Columns are
		 * for EVENTS records; other blocks, and records the layout
		 * cannot hold exactly, are stored as plain zstd.
		 */
		if (want == KCAP_CODEC_ZSTD_COLS) {
			if (j->type == KCAP_BLOCK_EVENTS)
				n = kcap_cctx__compress_cols(w->cctx, w->schema,
							     payload,
							     j->len - 1, j->buf,
							     j->len, j->count);
			if (n == -EAGAIN)
				want = KCAP_CODEC_ZSTD;
		}
		if (n == -EAGAIN)
			n = kcap_cctx__compress(w->cctx, payload, j->len - 1,
						j->buf, j->len);
		if (n > 0) {
			stored = (size_t)n;
			codec = want;
		} else if (n != -ENOSPC) {
			kcap_errmsg_set(w->errmsg,
					"%s compression of block %u failed",
					kcap_codec_name(w->codec), w->seq);
			set_err(w, (int)n);
			return (int)n;
		}
	}
	if (codec == KCAP_CODEC_NONE || j->precoded)
		memcpy(payload, j->buf, stored);
	total = KCAP_BLOCK_HDR_SIZE + ALIGN8(stored) + KCAP_BLOCK_TRAILER_SIZE;

	kcap_put32(h, KCAP_BLOCK_MAGIC);
	kcap_put16(h + 4, (uint16_t)j->type);
	h[6] = (uint8_t)codec;
	h[7] = j->flags;
	kcap_put32(h + 8, (uint32_t)stored);
	kcap_put32(h + 12, (uint32_t)raw_len);
	kcap_put32(h + 16, j->count);
	kcap_put32(h + 20, w->seq);
	kcap_put64(h + 24, j->first_ts);
	kcap_put64(h + 32, j->last_ts);
	kcap_put32(h + 40, kcap_cksum32(payload, stored));
	kcap_put32(h + 44, kcap_cksum32(h, 44));
	memset(payload + stored, 0, ALIGN8(stored) - stored);
	kcap_put32(payload + ALIGN8(stored), (uint32_t)total);
	kcap_put32(payload + ALIGN8(stored) + 4, KCAP_TRAILER_MAGIC);

	err = write_all(w, h, total);
	if (err)
		return err;
	w->seq++;
	if (j->type == KCAP_BLOCK_EVENTS)
		w->events_written += j->count;
	lock(w);
	if (j->type == KCAP_BLOCK_EVENTS) {
		w->st.events_written += j->count;
		w->st.events_bytes_written += raw_len;
		w->st.events_stored += stored;
	}
	w->st.blocks++;
	w->st.raw_bytes += raw_len;
	w->st.stored_bytes += stored;
	w->st.file_bytes = w->offset;
	unlock(w);
	if (j->type != KCAP_BLOCK_INDEX && j->type != KCAP_BLOCK_FOOTER &&
	    index_add(w, offset, h)) {
		kcap_errmsg_set(w->errmsg, "out of memory for the index");
		set_err(w, -ENOMEM);
		return -ENOMEM;
	}
	return 0;
}

/* ---- the writer thread ---------------------------------------------------- */

/* Called with mu held (async) once a job's buffer is no longer needed. */
static void recycle(struct kcap_writer *w, struct job *j)
{
	if (j->pooled)
		w->pool[w->npool++] = j->buf;
	else
		free(j->buf);
	j->buf = NULL;
}

static void *writer_thread(void *arg)
{
	struct kcap_writer *w = arg;

	pthread_mutex_lock(&w->mu);
	for (;;) {
		struct job j;

		while (!w->qlen && !w->stop)
			pthread_cond_wait(&w->cv_work, &w->mu);
		if (!w->qlen)
			break;
		j = w->queue[w->qhead];
		w->busy = true;
		pthread_mutex_unlock(&w->mu);
		emit(w, &j);
		pthread_mutex_lock(&w->mu);
		recycle(w, &j);
		w->qhead = (w->qhead + 1) % w->qcap;
		w->qlen--;
		w->busy = false;
		pthread_cond_broadcast(&w->cv_done);
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

/* Hand a block to whoever writes; ownership of j->buf goes with it. */
static int submit(struct kcap_writer *w, struct job *j)
{
	int err;

	if (!w->async) {
		err = emit(w, j);
		if (!j->pooled)
			free(j->buf);
		return err;
	}
	pthread_mutex_lock(&w->mu);
	while (w->qlen == w->qcap)
		pthread_cond_wait(&w->cv_done, &w->mu);
	w->queue[(w->qhead + w->qlen) % w->qcap] = *j;
	w->qlen++;
	pthread_cond_signal(&w->cv_work);
	pthread_mutex_unlock(&w->mu);
	return get_err(w);
}

/* Wait until every submitted block is written. */
static void drain(struct kcap_writer *w)
{
	if (!w->async)
		return;
	pthread_mutex_lock(&w->mu);
	while (w->qlen || w->busy)
		pthread_cond_wait(&w->cv_done, &w->mu);
	pthread_mutex_unlock(&w->mu);
}

/* A free buffer for the next EVENTS block; waits for one when async. */
static uint8_t *take_buffer(struct kcap_writer *w)
{
	uint8_t *b;

	pthread_mutex_lock(&w->mu);
	while (!w->npool)
		pthread_cond_wait(&w->cv_done, &w->mu);
	b = w->pool[--w->npool];
	pthread_mutex_unlock(&w->mu);
	return b;
}

/* ---- the producer side ----------------------------------------------------- */

static int seal(struct kcap_writer *w)
{
	struct job j = { 0 };
	int err;

	if (!w->raw_count)
		return get_err(w);
	j.type = KCAP_BLOCK_EVENTS;
	j.buf = w->raw;
	j.len = w->raw_len;
	j.count = w->raw_count;
	j.first_ts = w->raw_first_ts;
	j.last_ts = w->raw_last_ts;
	j.compress = true;
	j.pooled = true;
	w->raw_len = 0;
	w->raw_count = 0;
	if (!w->async)
		return emit(w, &j);
	err = submit(w, &j);
	w->raw = take_buffer(w);
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

static void stop_thread(struct kcap_writer *w)
{
	if (!w->async)
		return;
	pthread_mutex_lock(&w->mu);
	w->stop = true;
	pthread_cond_signal(&w->cv_work);
	pthread_mutex_unlock(&w->mu);
	pthread_join(w->thread, NULL);
	w->async = false;
	pthread_mutex_destroy(&w->mu);
	pthread_cond_destroy(&w->cv_work);
	pthread_cond_destroy(&w->cv_done);
}

static void writer_free(struct kcap_writer *w)
{
	unsigned int i;

	if (!w)
		return;
	stop_thread(w);
	if (w->own_fd && w->fd >= 0)
		close(w->fd);
	kcap_cctx__free(w->cctx);
	if (w->pool) {
		for (i = 0; i < w->npool; i++)
			if (w->pool[i] != w->raw)
				free(w->pool[i]);
	}
	free(w->pool);
	free(w->queue);
	free(w->raw);
	free(w->out);
	free(w->index);
	free(w);
}

/*
 * A block buffer with every page already backed: the recorder's drainer
 * fills these, and a page it touched first stalled it while the page was
 * mapped (50-400 us here, on a VM whose host takes back the guest's free
 * pages), where a record takes well under a microsecond. A store per
 * page, through a volatile pointer: the compiler turns malloc() and
 * memset() into calloc(), which touches nothing.
 */
static uint8_t *block_alloc(size_t len)
{
	long page = sysconf(_SC_PAGESIZE);
	uintptr_t step = page > 0 ? (uintptr_t)page : 4096, a, end;
	uint8_t *b = malloc(len);

	if (!b)
		return NULL;
	/* malloc() does not align to a page: b's first page, then each one */
	end = (uintptr_t)b + len;
	for (a = (uintptr_t)b; a < end; a = (a | (step - 1)) + 1)
		*(volatile uint8_t *)a = 0;
	return b;
}

static int start_thread(struct kcap_writer *w, unsigned int nblocks)
{
	unsigned int i;

	w->qcap = nblocks + 8; /* room for metadata blocks too */
	w->queue = calloc(w->qcap, sizeof(*w->queue));
	/* the nblocks spare buffers and the one open at any time */
	w->pool = calloc(nblocks + 1, sizeof(*w->pool));
	if (!w->queue || !w->pool)
		return -ENOMEM;
	for (i = 0; i < nblocks; i++) {
		w->pool[i] = block_alloc(w->raw_cap);
		if (!w->pool[i])
			return -ENOMEM;
		w->npool++;
	}
	if (pthread_mutex_init(&w->mu, NULL) ||
	    pthread_cond_init(&w->cv_work, NULL) ||
	    pthread_cond_init(&w->cv_done, NULL))
		return -ENOMEM;
	if (pthread_create(&w->thread, NULL, writer_thread, w))
		return -EAGAIN;
	w->async = true;
	return 0;
}

static struct kcap_writer *writer_open(int fd, kcap_sink_fn sink, void *ctx,
				       const struct kcap_writer_opts *opts)
{
	struct kcap_writer *w;
	uint64_t created, boot_wall;
	size_t payload_len;
	const void *payload;
	unsigned int nasync;
	struct job j = { 0 };
	int level, err;

	if ((fd < 0 && !sink) || !KCAP_OPTS_VALID(opts, kcap_writer_opts)) {
		errno = EINVAL;
		return NULL;
	}
	w = calloc(1, sizeof(*w));
	if (!w) {
		errno = ENOMEM;
		return NULL;
	}
	w->fd = fd;
	w->sink = sink;
	w->sink_ctx = ctx;
	w->schema = kcap_schema__builtin();
	w->codec = KCAP_OPT(opts, kcap_writer_opts, codec, KCAP_CODEC_ZSTD);
	level = KCAP_OPT(opts, kcap_writer_opts, level, 0);
	w->block_size = KCAP_OPT(opts, kcap_writer_opts, block_size, 0);
	w->flush_ns =
		KCAP_OPT(opts, kcap_writer_opts, flush_ms, 0) * 1000000ull;
	/* a sink is memory, or the caller's to make durable */
	w->sync = KCAP_OPT(opts, kcap_writer_opts, sync, false) && !sink;
	created = KCAP_OPT(opts, kcap_writer_opts, created_ns, 0);
	boot_wall = KCAP_OPT(opts, kcap_writer_opts, boot_wall_ns, 0);
	nasync = KCAP_OPT(opts, kcap_writer_opts, async_blocks, 0);
	err = EINVAL;
	if (!w->schema) {
		err = ENOMEM;
		goto fail;
	}
	if (!kcap_codec_name(w->codec) || nasync > ASYNC_BLOCKS_MAX)
		goto fail;
	if (!level)
		level = 1;
	if (!w->block_size)
		w->block_size = DEFAULT_BLOCK_SIZE;
	if (w->block_size < 1024 || w->block_size > KCAP_BLOCK_MAX)
		goto fail;
	if (!created)
		created = clock_ns(CLOCK_REALTIME);
	if (!boot_wall)
		boot_wall = clock_ns(CLOCK_REALTIME) - clock_ns(CLOCK_BOOTTIME);

	w->cctx = kcap_cctx__new(w->codec, level);
	/* a record bigger than a small block size gets a block of its own */
	w->raw_cap = w->block_size > KCAP_REC_MAX ? w->block_size :
						    KCAP_REC_MAX;
	w->raw = block_alloc(w->raw_cap);
	payload = kcap_schema__payload(w->schema, &payload_len);
	err = ENOMEM;
	if (!w->cctx || !w->raw || out_reserve(w, w->raw_cap) ||
	    out_reserve(w, payload_len))
		goto fail;
	err = -write_file_header(w, created, boot_wall);
	if (err)
		goto fail;
	j.type = KCAP_BLOCK_SCHEMA;
	j.buf = (uint8_t *)payload;
	j.len = payload_len;
	j.count = 1;
	j.compress = true;
	err = -emit(w, &j);
	if (err)
		goto fail;
	if (nasync) {
		err = -start_thread(w, nasync);
		if (err)
			goto fail;
	}
	return w;
fail:
	w->own_fd = false;
	writer_free(w);
	errno = err;
	return NULL;
}

struct kcap_writer *kcap_writer__open_fd(int fd,
					 const struct kcap_writer_opts *opts)
{
	return writer_open(fd, NULL, NULL, opts);
}

struct kcap_writer *kcap_writer__open_sink(kcap_sink_fn sink, void *ctx,
					   const struct kcap_writer_opts *opts)
{
	if (!sink) {
		errno = EINVAL;
		return NULL;
	}
	return writer_open(-1, sink, ctx, opts);
}

/*
 * The name in keep that is the file st, or NULL. "-" there is standard
 * input: stat("-") would miss the file the shell redirected into it (and
 * could take a file called "-" for it).
 */
static const char *kept_file(const struct stat *st, const char *const *keep)
{
	struct stat ks;

	for (; keep && *keep; keep++) {
		bool in = !strcmp(*keep, "-");

		if (!(in ? fstat(STDIN_FILENO, &ks) : stat(*keep, &ks)) &&
		    ks.st_dev == st->st_dev && ks.st_ino == st->st_ino)
			return in ? "standard input" : *keep;
	}
	return NULL;
}

/*
 * Not opened with O_TRUNC: the file is compared with those to keep first,
 * by device and inode, so that another name of an input (a link, ./x)
 * is caught too; only then is it emptied.
 */
int kcap_output__open(const char *path, const char *const *keep, bool *created)
{
	const char *same;
	struct stat st;
	/* what is there (a symlink's target): what a failure must leave */
	bool made = stat(path, &st) != 0;
	int fd, err;

	/*
	 * 0600, as perf makes perf.data: a capture holds other users' I/O
	 * (the start of every read and write), not for every user to read.
	 */
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	if (created)
		*created = made && fd >= 0;
	if (fd < 0) {
		err = errno;
		kcap_errmsg_set(NULL, "cannot create %s: %s", path,
				strerror(err));
		return -err;
	}
	if (fstat(fd, &st)) {
		err = errno;
		kcap_errmsg_set(NULL, "%s: %s", path, strerror(err));
		close(fd);
		return -err;
	}
	same = kept_file(&st, keep);
	if (same) {
		kcap_errmsg_set(
			NULL, "refusing to write %s: it is the same file as %s",
			path, same);
		close(fd);
		/* two names of one new file: it was made just now */
		if (made)
			unlink(path);
		if (created)
			*created = false;
		return -EEXIST;
	}
	/* a device or a pipe (/dev/null, a FIFO) has nothing to empty */
	if (S_ISREG(st.st_mode) && ftruncate(fd, 0)) {
		err = errno;
		kcap_errmsg_set(NULL, "cannot empty %s: %s", path,
				strerror(err));
		close(fd);
		return -err;
	}
	return fd;
}

struct kcap_writer *kcap_writer__open(const char *path,
				      const struct kcap_writer_opts *opts)
{
	struct kcap_writer *w;
	bool created;
	int fd, err;

	if (!path) {
		errno = EINVAL;
		return NULL;
	}
	if (!strcmp(path, "-")) {
		const char *same = NULL;
		struct stat st;

		/*
		 * A shell can open standard output on an input (>>x, 1<>x):
		 * writing there overwrites what is being read. Only a
		 * regular file holds what it is given: a socket that is both
		 * standard input and output (inetd) carries two streams.
		 */
		if (!fstat(STDOUT_FILENO, &st) && S_ISREG(st.st_mode))
			same = kept_file(&st, KCAP_OPT(opts, kcap_writer_opts,
						       keep, NULL));
		if (same) {
			kcap_errmsg_set(NULL,
					"refusing to write standard output: "
					"it is the same file as %s",
					same);
			errno = EEXIST;
			return NULL;
		}
		return kcap_writer__open_fd(STDOUT_FILENO, opts);
	}
	fd = kcap_output__open(
		path, KCAP_OPT(opts, kcap_writer_opts, keep, NULL), &created);
	if (fd < 0) {
		errno = -fd;
		return NULL;
	}
	w = kcap_writer__open_fd(fd, opts);
	if (!w) {
		err = errno;
		close(fd);
		/* a device or a file that was there stays */
		if (created)
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
	int err = get_err(w);

	if (err)
		return err;
	if (h->len < KCAP_HDR_SIZE ||
	    kcap_record_check(w->schema, rec, h->len, &why)) {
		kcap_errmsg_set(w->errmsg, "refusing record of type %u, len %u",
				h->type, h->len);
		return -EINVAL;
	}
	if (w->raw_count && w->raw_len + h->len > w->block_size) {
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
	w->st.events_bytes += h->len;
	return 0;
}

/* One block of len bytes of records, already checked. */
static int submit_records(struct kcap_writer *w, int type, uint8_t flags,
			  const uint8_t *p, size_t len)
{
	uint64_t first = UINT64_MAX, last = 0;
	struct job j = { 0 };
	size_t off;

	for (off = 0; off < len; j.count++) {
		const struct kcap_hdr *h = (const void *)(p + off);
		uint64_t end = h->ts;

		if (h->type == KCAP_EV_loss)
			end = ((const struct kcap_ev_loss *)h)->end_ts;
		if (h->ts < first)
			first = h->ts;
		if (end > last)
			last = end;
		off += h->len;
	}
	j.type = type;
	j.flags = flags;
	j.len = len;
	j.first_ts = first;
	j.last_ts = last;
	j.compress = true;
	/* the caller's buffer is free to reuse at return: copy it */
	j.buf = malloc(len);
	if (!j.buf)
		return -ENOMEM;
	memcpy(j.buf, p, len);
	return submit(w, &j);
}

int kcap_writer__write_block(struct kcap_writer *w, int type, const void *recs,
			     size_t len)
{
	const struct kcap_schema *s = w->schema;
	const uint8_t *p = recs;
	size_t off = 0, start, split;
	uint32_t count = 0;
	uint8_t flags = 0;
	const char *why;
	int err;

	if (type != KCAP_BLOCK_MACHINE && type != KCAP_BLOCK_SNAPSHOT &&
	    type != KCAP_BLOCK_LOSS)
		return -EINVAL;
	/*
	 * A snapshot of a machine with many threads or fds can pass the
	 * largest block (one of 17,500 fds on 3.8 KB paths did, and
	 * recording stopped): it is cut into blocks that readers join.
	 */
	split = type == KCAP_BLOCK_MACHINE ? KCAP_BLOCK_MAX :
					     KCAP_SNAPSHOT_SPLIT;
	if (type == KCAP_BLOCK_MACHINE && len > KCAP_BLOCK_MAX) {
		kcap_errmsg_set(w->errmsg,
				"a MACHINE block of %zu MiB is over the "
				"largest a block may hold (%u MiB)",
				len >> 20,
				(unsigned int)(KCAP_BLOCK_MAX >> 20));
		return -E2BIG;
	}
	while (off < len) {
		const struct kcap_hdr *h = (const void *)(p + off);

		if (len - off < KCAP_HDR_SIZE ||
		    kcap_record_check(s, p + off, len - off, &why)) {
			kcap_errmsg_set(
				w->errmsg,
				"refusing %s block: record at %zu: %s",
				kcap_block_type_name(type), off,
				len - off < KCAP_HDR_SIZE ? "too short" : why);
			return -EINVAL;
		}
		off += h->len;
		count++;
	}
	if (!count || (type == KCAP_BLOCK_MACHINE && count != 1))
		return -EINVAL;
	err = seal(w);
	if (err)
		return err;
	for (start = off = 0; off < len;) {
		const struct kcap_hdr *h = (const void *)(p + off);

		if (off > start && off - start + h->len > split) {
			err = submit_records(w, type, flags, p + start,
					     off - start);
			if (err)
				return err;
			start = off;
			if (type == KCAP_BLOCK_SNAPSHOT)
				flags = KCAP_BLOCK_FLAG_CONTINUED;
		}
		off += h->len;
	}
	return submit_records(w, type, flags, p + start, len - start);
}

int kcap_writer__copy_block(struct kcap_writer *w, const struct kcap_block *b)
{
	struct job j = { 0 };
	int err;

	if (!b->stored || !kcap_codec_name(b->codec))
		return -EINVAL;
	if (b->type == KCAP_BLOCK_SCHEMA || b->type == KCAP_BLOCK_INDEX ||
	    b->type == KCAP_BLOCK_FOOTER)
		return -EINVAL;
	err = seal(w);
	if (err)
		return err;
	j.type = b->type;
	j.len = b->stored_len;
	j.raw_len = b->raw_len;
	j.codec = b->codec;
	j.flags = b->flags; /* a continued SNAPSHOT stays one */
	j.count = b->count;
	j.first_ts = b->first_ts;
	j.last_ts = b->last_ts;
	j.precoded = true;
	j.buf = malloc(b->stored_len ? b->stored_len : 1);
	if (!j.buf)
		return -ENOMEM;
	memcpy(j.buf, b->stored, b->stored_len);
	if (b->type == KCAP_BLOCK_EVENTS) {
		w->st.events += b->count;
		w->st.events_bytes += b->raw_len;
	}
	return submit(w, &j);
}

int kcap_writer__tick(struct kcap_writer *w, uint64_t now_ns)
{
	int err;

	if (!w->raw_count || !w->flush_ns)
		return get_err(w);
	if (!now_ns)
		now_ns = clock_ns(CLOCK_MONOTONIC);
	if (now_ns - w->raw_opened_ns < w->flush_ns)
		return get_err(w);
	/*
	 * Seal only: a recorder ticks from the thread that drains its ring,
	 * which must not wait for the writer thread to compress (flush()
	 * is the call that waits).
	 */
	err = seal(w);
	return err ? err : get_err(w);
}

/*
 * With opts.sync, to the disk; a file system that cannot sync (EINVAL,
 * EROFS) is not an error.
 */
static int sync_file(struct kcap_writer *w)
{
	int err;

	if (!w->sync || !fdatasync(w->fd) || errno == EINVAL || errno == EROFS)
		return 0;
	err = -errno;
	kcap_errmsg_set(w->errmsg, "fdatasync failed: %s", strerror(-err));
	return err;
}

int kcap_writer__flush(struct kcap_writer *w)
{
	int err = seal(w);

	drain(w);
	err = get_err(w);
	return err ? err : sync_file(w);
}

int kcap_writer__close(struct kcap_writer *w)
{
	return kcap_writer__close_stats(w, NULL);
}

int kcap_writer__close_stats(struct kcap_writer *w,
			     struct kcap_writer_stats *st)
{
	uint8_t footer[KCAP_FOOTER_PAYLOAD];
	struct job j = { 0 };
	int err;

	if (st)
		memset(st, 0, sizeof(*st));
	if (!w)
		return 0;
	seal(w);
	stop_thread(w); /* writes what is queued, then stops */
	err = get_err(w);
	if (!err) {
		/* INDEX then FOOTER, from this thread: nothing else writes now */
		kcap_put64(footer, w->offset);
		j.type = KCAP_BLOCK_INDEX;
		j.buf = w->index;
		j.len = w->index_len;
		j.count = (uint32_t)(w->index_len / KCAP_INDEX_ENTRY);
		j.compress = true;
		err = emit(w, &j);
	}
	if (!err) {
		kcap_put64(footer + 8, w->events_written);
		memset(&j, 0, sizeof(j));
		j.type = KCAP_BLOCK_FOOTER;
		j.buf = footer;
		j.len = sizeof(footer);
		err = emit(w, &j);
	}
	/*
	 * Each failure sets its own message: w->errmsg may still hold an
	 * earlier record's refusal, which did not stop the writer.
	 */
	if (!err)
		err = sync_file(w);
	if (w->own_fd) {
		w->own_fd = false;
		if (close(w->fd) && !err) {
			err = -errno;
			kcap_errmsg_set(w->errmsg,
					"closing the file failed: %s",
					strerror(-err));
		}
	}
	if (err && !w->errmsg[0])
		kcap_errmsg_set(w->errmsg, "closing the capture failed: %s",
				strerror(-err));
	else if (err)
		/* set on the writer thread, maybe: w goes, the reason stays */
		kcap_errmsg_pass(w->errmsg);
	if (st)
		*st = w->st; /* the writer thread has stopped: no lock */
	writer_free(w);
	return err;
}

void kcap_writer__stats(const struct kcap_writer *w,
			struct kcap_writer_stats *st)
{
	struct kcap_writer *mw = (struct kcap_writer *)w;

	lock(mw);
	*st = w->st;
	unlock(mw);
}

const char *kcap_writer__errmsg(const struct kcap_writer *w)
{
	return w->errmsg;
}
