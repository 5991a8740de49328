// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Reading a .scap as .kcap on the fly (kcap read/info on a .scap): the
 * reader pulls the stream, and each pull runs the converter until its
 * writer has written a block into a buffer in memory, which the reader
 * then reads in place. Everything runs on the reader's thread, so the
 * memory stays bounded by a block and nothing is copied through the
 * kernel: the earlier design, a converter thread writing into a pipe,
 * spent a quarter of its CPU time in pipe copies, page faults and wakeups
 * (docs/PERFORMANCE.md). A gzip'd .scap still inflates in a thread of its
 * own (scap_reader.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scap_internal.h"

/*
 * Small uncompressed blocks, so that the block the converter just wrote
 * is still in cache when the reader reads it (on the benchmark's 1.5 M
 * events through a pipe: 1 MiB blocks cost 226 ms of CPU, 64 KiB 135 ms).
 */
#define OTF_BLOCK_SIZE (64u << 10)

struct kcap_scap_conv {
	struct scap_rd *rd;
	struct conv *c; /* NULL once ended */
	struct kcap_writer *w; /* NULL once closed */
	int ret;
	struct kcap_scap_report rep;
	/* what the writer wrote since the reader's last pull */
	uint8_t *buf;
	size_t len, cap;
	bool handed; /* buf went to the reader */
};

static int otf_sink(void *ctx, const void *p, size_t len)
{
	struct kcap_scap_conv *cv = ctx;

	return scap_buf_append(&cv->buf, &cv->len, &cv->cap, OTF_BLOCK_SIZE * 2,
			       p, len);
}

/* Ends the conversion and the stream (INDEX and FOOTER go to the buffer). */
static void otf_end(struct kcap_scap_conv *cv)
{
	int ret;

	if (cv->c) {
		cv->ret = scap_conv__end(cv->c);
		cv->c = NULL;
	}
	if (cv->w) {
		ret = kcap_writer__close(cv->w);
		cv->w = NULL;
		if (!cv->ret && ret) {
			cv->ret = ret;
			cv->rep.err = ret;
			snprintf(cv->rep.err_msg, sizeof(cv->rep.err_msg),
				 "closing the kcap stream: %s", strerror(-ret));
		}
	}
}

static ssize_t otf_source(void *ctx, const void **p)
{
	struct kcap_scap_conv *cv = ctx;

	/*
	 * The reader is done with what it was handed last time (the first
	 * time, the buffer holds the file header and SCHEMA block that
	 * opening the writer wrote).
	 */
	if (cv->handed)
		cv->len = 0;
	cv->handed = true;
	while (cv->c && !cv->len) {
		if (!scap_conv__step(cv->c))
			otf_end(cv);
	}
	*p = cv->buf;
	return (ssize_t)cv->len;
}

static void conv_free(struct kcap_scap_conv *cv)
{
	if (!cv)
		return;
	otf_end(cv);
	scap_rd__close(cv->rd);
	free(cv->buf);
	free(cv);
}

int kcap_scap__probe(const char *path)
{
	struct scap_rd *rd;
	struct scap_item *it;
	int ret;

	rd = scap_rd__open_ex(path, SCAP_RD_NO_THREAD);
	if (!rd)
		return -errno;
	it = malloc(sizeof(*it));
	if (!it) {
		scap_rd__close(rd);
		return -ENOMEM;
	}
	/*
	 * A .scap is what starts with a readable section header block.
	 * pcapng has the same one; its next block is one of pcapng's, whose
	 * types are small (an interface description is 1, packets 3 and
	 * 6), where scap's are 0x201 and up: a block of a type scap does not
	 * know but may come to is still taken.
	 */
	ret = scap_rd__next(rd, it);
	/*
	 * Damage before the first whole block: a gzip stream that breaks
	 * there, or a section header cut short, is a capture that cannot be
	 * read, not one of another kind (kcap_last_errmsg() says which).
	 */
	if (ret < 0 && !strstr(scap_rd__errmsg(rd), "not a .scap") &&
	    !strstr(scap_rd__errmsg(rd), "empty file") &&
	    (scap_rd__gzip(rd) || ret == -EPIPE)) {
		kcap_set_errmsg("%s", scap_rd__errmsg(rd));
		free(it);
		scap_rd__close(rd);
		return -EBADMSG;
	}
	ret = ret == 1 && it->kind == SCAP_IT_SECTION;
	if (ret && scap_rd__next(rd, it) == 1 && it->kind == SCAP_IT_SKIPPED &&
	    it->block_type < 0x100)
		ret = 0;
	free(it);
	scap_rd__close(rd);
	return ret;
}

struct kcap_reader *kcap_scap__open_reader(const char *path,
					   struct kcap_scap_conv **conv)
{
	struct kcap_scap_conv *cv;
	struct kcap_reader *r;
	int err;

	*conv = NULL;
	cv = calloc(1, sizeof(*cv));
	if (!cv) {
		errno = ENOMEM;
		return NULL;
	}
	/*
	 * Refuse what is not a .scap here, where the caller can be told,
	 * rather than hand out an empty kcap stream (stdin cannot be read
	 * twice: its first block is checked by the converter instead).
	 */
	if (strcmp(path, "-")) {
		err = kcap_scap__probe(path);
		if (err != 1) {
			err = err < 0 ? -err : EINVAL;
			kcap_set_errmsg("%s: %s", path,
					err == EINVAL ?
						"not a legacy .scap capture" :
						strerror(err));
			free(cv);
			errno = err;
			return NULL;
		}
	}
	cv->rd = scap_rd__open(path);
	if (!cv->rd) {
		err = errno;
		kcap_set_errmsg("cannot open %s: %s", path, strerror(err));
		conv_free(cv);
		errno = err;
		return NULL;
	}
	KCAP_OPTS(kcap_writer_opts, wo, .codec = KCAP_CODEC_NONE,
		  .block_size = OTF_BLOCK_SIZE);
	cv->w = kcap_writer__open_sink(otf_sink, cv, &wo);
	if (!cv->w) {
		err = errno;
		kcap_set_errmsg("%s: opening the kcap stream: %s", path,
				kcap_last_errmsg());
		conv_free(cv);
		errno = err;
		return NULL;
	}
	cv->c = scap_conv__new(cv->rd, cv->w, NULL, &cv->rep, &err);
	if (!cv->c) {
		kcap_set_errmsg("%s: %s", path,
				cv->rep.err_msg[0] ? cv->rep.err_msg :
						     strerror(-err));
		conv_free(cv);
		errno = -err;
		return NULL;
	}
	r = kcap_reader__open_source(otf_source, cv, NULL);
	if (!r) {
		err = errno;
		otf_end(cv);
		if (cv->ret)
			kcap_set_errmsg("%s: %s", path, cv->rep.err_msg);
		else
			kcap_set_errmsg("%s: %s", path, kcap_last_errmsg());
		conv_free(cv);
		errno = err ? err : EIO;
		return NULL;
	}
	*conv = cv;
	return r;
}

int kcap_scap__close_reader(struct kcap_scap_conv *cv, struct kcap_reader *r,
			    const char **msg)
{
	static __thread char out[600];
	int ret;

	kcap_reader__close(r);
	if (!cv) {
		if (msg)
			*msg = "";
		return 0;
	}
	/*
	 * A reader that stopped early (kcap read -c) leaves the rest of the
	 * input unread and unjudged: only damage met so far counts.
	 */
	otf_end(cv);
	ret = cv->rep.err ? cv->rep.err : cv->ret;
	snprintf(out, sizeof(out), "%s", ret ? cv->rep.err_msg : "");
	if (msg)
		*msg = out;
	conv_free(cv);
	return ret;
}
