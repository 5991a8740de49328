// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Reading a .scap as .kcap on the fly (kcap read/info on a .scap): a
 * converter thread writes uncompressed kcap blocks into a pipe, and an
 * ordinary kcap_reader reads the other end. The two run on two cores, the
 * pipe bounds the memory, and the reader needs no special mode.
 */
#define _GNU_SOURCE /* pipe2, F_SETPIPE_SZ */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scap_internal.h"

struct kcap_scap_conv {
	pthread_t thread;
	bool started;
	struct scap_rd *rd;
	int wfd, rfd;
	int ret;
	struct kcap_scap_report rep;
	char msg[512];
};

static void *conv_thread(void *arg)
{
	struct kcap_scap_conv *cv = arg;
	struct kcap_writer *w;
	sigset_t set;
	int ret;

	/*
	 * If the reader closes early, writes fail with EPIPE: keep SIGPIPE
	 * pending on this thread (it ends with it) instead of killing the
	 * process.
	 */
	sigemptyset(&set);
	sigaddset(&set, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &set, NULL);

	/*
	 * Small uncompressed blocks: the reader starts on one while the
	 * next is written, and each stays in cache (1 MiB blocks cost 226 ms
	 * of CPU on the benchmark's 1.5 M events, 64 KiB ones 135 ms).
	 */
	KCAP_OPTS(kcap_writer_opts, wo, .codec = KCAP_CODEC_NONE,
		  .block_size = 64 << 10);
	w = kcap_writer__open_fd(cv->wfd, &wo);
	if (!w) {
		cv->ret = -errno;
		snprintf(cv->rep.err_msg, sizeof(cv->rep.err_msg),
			 "opening the kcap stream: %s", kcap_last_errmsg());
		goto out;
	}
	ret = scap_convert_rd(cv->rd, w, NULL, &cv->rep);
	cv->ret = ret;
	ret = kcap_writer__close(w);
	if (!cv->ret && ret) {
		cv->ret = ret;
		snprintf(cv->rep.err_msg, sizeof(cv->rep.err_msg),
			 "closing the kcap stream: %s", strerror(-ret));
	}
out:
	close(cv->wfd);
	cv->wfd = -1;
	return NULL;
}

static void conv_free(struct kcap_scap_conv *cv)
{
	if (!cv)
		return;
	if (cv->wfd >= 0)
		close(cv->wfd);
	if (cv->rfd >= 0)
		close(cv->rfd);
	scap_rd__close(cv->rd);
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
	/* a .scap is what starts with a readable section header block */
	ret = scap_rd__next(rd, it);
	ret = ret == 1 && it->kind == SCAP_IT_SECTION;
	free(it);
	scap_rd__close(rd);
	return ret;
}

struct kcap_reader *kcap_scap__open_reader(const char *path,
					   struct kcap_scap_conv **conv)
{
	struct kcap_scap_conv *cv;
	struct kcap_reader *r;
	int p[2], err;

	*conv = NULL;
	cv = calloc(1, sizeof(*cv));
	if (!cv) {
		errno = ENOMEM;
		return NULL;
	}
	cv->wfd = cv->rfd = -1;
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
	if (pipe2(p, O_CLOEXEC)) {
		err = errno;
		kcap_set_errmsg("pipe: %s", strerror(err));
		conv_free(cv);
		errno = err;
		return NULL;
	}
	cv->rfd = p[0];
	cv->wfd = p[1];
	/* a bigger pipe lets the converter run further ahead */
	fcntl(cv->wfd, F_SETPIPE_SZ, 1 << 20);
	err = pthread_create(&cv->thread, NULL, conv_thread, cv);
	if (err) {
		kcap_set_errmsg("cannot start the converter: %s",
				strerror(err));
		conv_free(cv);
		errno = err;
		return NULL;
	}
	cv->started = true;
	r = kcap_reader__open_fd(cv->rfd, NULL);
	if (!r) {
		char m[256];

		err = errno;
		snprintf(m, sizeof(m), "%s", kcap_last_errmsg());
		close(cv->rfd);
		cv->rfd = -1;
		pthread_join(cv->thread, NULL);
		if (cv->ret)
			kcap_set_errmsg("%s: %s", path, cv->rep.err_msg);
		else
			kcap_set_errmsg("%s: %s", path, m);
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
	/* closing the read end stops a converter that is still writing */
	if (cv->rfd >= 0) {
		close(cv->rfd);
		cv->rfd = -1;
	}
	if (cv->started)
		pthread_join(cv->thread, NULL);
	if (!cv->rep.err) {
		ret = cv->ret == -EPIPE ? 0 : cv->ret;
	} else if (!strncmp(cv->rep.err_msg, "writing", 7)) {
		/* the reader closed the pipe before the end: its choice */
		ret = cv->rep.err == -EPIPE ? 0 : cv->rep.err;
	} else {
		ret = cv->rep.err; /* the .scap is damaged: say where */
	}
	snprintf(out, sizeof(out), "%s", ret ? cv->rep.err_msg : "");
	if (msg)
		*msg = out;
	conv_free(cv);
	return ret;
}
