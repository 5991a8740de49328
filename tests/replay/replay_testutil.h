/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Helpers for the replay tests: build small captures event by event, run
 * the engine with an analyzer that collects what it was given, and run the
 * kcap command.
 */
#ifndef KCAP_TESTS_REPLAY_TESTUTIL_H
#define KCAP_TESTS_REPLAY_TESTUTIL_H

#include <errno.h>
#include <stddef.h>
#include <sys/wait.h>

#include "kcap/replay.h"
#include "testutil.h"

#define AT_FDCWD_ (-100)
#define T0 1795460564000000000ull
#define MS 1000000ull

/* ---- building captures ---------------------------------------------------------- */

struct cap {
	struct kcap_writer *w;
	uint8_t rec[KCAP_REC_MAX] __attribute__((aligned(8)));
	struct kcap_builder b;
	struct kcap_buf snap;
};

static inline void cap_open(struct cap *c, const char *path,
			    uint32_t block_size)
{
	KCAP_OPTS(kcap_writer_opts, wo, .codec = KCAP_CODEC_LZ4,
		  .block_size = block_size, .created_ns = T0);

	memset(&c->snap, 0, sizeof(c->snap));
	c->w = kcap_writer__open(path, &wo);
	ck_assert_msg(c->w, "%s", kcap_last_errmsg());
}

static inline void *ev(struct cap *c, unsigned int id, uint32_t tid,
		       uint64_t ts)
{
	void *p = kcap_builder__start(&c->b, c->rec, sizeof(c->rec),
				      kcap_schema__builtin(), id, tid, ts);

	ck_assert_ptr_nonnull(p);
	return p;
}

static inline void ev_varn(struct cap *c, size_t off, const void *d, size_t n)
{
	ck_assert_int_eq(kcap_builder__var(&c->b, (uint16_t)off, d, n), 0);
}

static inline void ev_var(struct cap *c, size_t off, const char *s)
{
	ev_varn(c, off, s, strlen(s));
}

static inline void ev_end(struct cap *c)
{
	ck_assert_int_gt(kcap_builder__finish(&c->b), 0);
	ck_assert_msg(kcap_writer__append(c->w, c->rec) == 0, "%s",
		      kcap_writer__errmsg(c->w));
}

#define F(e, f) offsetof(struct kcap_ev_##e, f)

static inline void snap_proc(struct cap *c, uint32_t tid, int32_t tgid,
			     int32_t ppid, const char *comm, const char *exe,
			     const char *cwd, uint64_t ts)
{
	struct kcap_ev_snap_proc *e = ev(c, KCAP_EV_snap_proc, tid, ts);
	int n;

	e->tgid = tgid;
	e->ppid = ppid;
	e->uid = 1000;
	ev_var(c, F(snap_proc, comm), comm);
	ev_var(c, F(snap_proc, exe), exe);
	ev_varn(c, F(snap_proc, argv), comm, strlen(comm) + 1);
	ev_var(c, F(snap_proc, cwd), cwd);
	n = kcap_builder__finish(&c->b);
	ck_assert_int_gt(n, 0);
	kcap_buf__write(&c->snap, c->rec, (size_t)n);
}

static inline void snap_fd(struct cap *c, int32_t pid, int32_t fd,
			   unsigned int kind, const char *path, uint64_t ts)
{
	struct kcap_ev_snap_fd *e = ev(c, KCAP_EV_snap_fd, (uint32_t)pid, ts);
	int n;

	e->tgid = pid;
	e->fd = fd;
	e->kind = kind;
	e->flags = 0;
	if (path)
		ev_var(c, F(snap_fd, path), path);
	n = kcap_builder__finish(&c->b);
	ck_assert_int_gt(n, 0);
	kcap_buf__write(&c->snap, c->rec, (size_t)n);
}

static inline void snap_flush(struct cap *c)
{
	ck_assert_int_eq(kcap_writer__write_block(c->w, KCAP_BLOCK_SNAPSHOT,
						  c->snap.data, c->snap.len),
			 0);
	c->snap.len = 0;
}

static inline void cap_close(struct cap *c)
{
	ck_assert_int_eq(kcap_writer__close(c->w), 0);
	kcap_buf__free(&c->snap);
}

/* Common events. */
static inline void e_openat(struct cap *c, uint32_t tid, uint64_t ts,
			    int32_t dirfd, const char *name, uint32_t flags,
			    int64_t res)
{
	struct kcap_ev_openat *e = ev(c, KCAP_EV_openat, tid, ts);

	e->res = res;
	e->dirfd = dirfd;
	e->flags = flags;
	e->mode = 0;
	ev_var(c, F(openat, name), name);
	ev_end(c);
}

static inline void e_rw(struct cap *c, unsigned int id, uint32_t tid,
			uint64_t ts, int32_t fd, int64_t res)
{
	struct kcap_ev_read *e = ev(c, id, tid, ts);

	e->res = res;
	e->fd = fd;
	e->size = (uint32_t)(res > 0 ? res : 0);
	ev_varn(c, F(read, data), "0123456789abcdef",
		res > 16 ? 16 : (size_t)(res > 0 ? res : 0));
	ev_end(c);
}

static inline void e_socket(struct cap *c, uint32_t tid, uint64_t ts,
			    int32_t fd, int32_t domain)
{
	struct kcap_ev_socket *e = ev(c, KCAP_EV_socket, tid, ts);

	e->res = fd;
	e->domain = domain;
	e->sock_type = 1;
	ev_end(c);
}

/* A connect of fd that returned 0, between two sockaddrs (FORMAT.md 7). */
static inline void e_connect(struct cap *c, uint32_t tid, uint64_t ts,
			     int32_t fd, const void *la, size_t lalen,
			     const void *ra, size_t ralen)
{
	struct kcap_ev_connect *e = ev(c, KCAP_EV_connect, tid, ts);

	e->res = 0;
	e->fd = fd;
	ev_varn(c, F(connect, laddr), la, lalen);
	ev_varn(c, F(connect, raddr), ra, ralen);
	ev_end(c);
}

static inline void e_close(struct cap *c, uint32_t tid, uint64_t ts, int32_t fd)
{
	struct kcap_ev_close *e = ev(c, KCAP_EV_close, tid, ts);

	e->res = 0;
	e->fd = fd;
	ev_end(c);
}

static inline void e_chdir(struct cap *c, uint32_t tid, uint64_t ts,
			   const char *path)
{
	struct kcap_ev_chdir *e = ev(c, KCAP_EV_chdir, tid, ts);

	e->res = 0;
	ev_var(c, F(chdir, path), path);
	ev_end(c);
}

static inline void e_clone(struct cap *c, uint32_t tid, uint64_t ts,
			   int32_t tgid, int32_t child, uint64_t flags)
{
	struct kcap_ev_clone *e = ev(c, KCAP_EV_clone, tid, ts);

	e->res = child;
	e->flags = flags;
	e->tgid = tgid;
	e->child_tid = child;
	e->child_pid = (flags & 0x10000) ? tgid : child;
	ev_end(c);
}

static inline void e_execve(struct cap *c, uint32_t tid, uint64_t ts,
			    int32_t tgid, const char *exe, const char *argv,
			    size_t argvlen)
{
	struct kcap_ev_execve *e = ev(c, KCAP_EV_execve, tid, ts);
	const char *b = strrchr(exe, '/');

	e->res = 0;
	e->tgid = tgid;
	e->uid = 1000;
	ev_var(c, F(execve, filename), exe);
	ev_var(c, F(execve, exe), exe);
	ev_varn(c, F(execve, argv), argv, argvlen);
	ev_var(c, F(execve, comm), b ? b + 1 : exe);
	ev_end(c);
}

static inline void e_exit(struct cap *c, uint32_t tid, uint64_t ts,
			  int32_t tgid, int64_t code)
{
	struct kcap_ev_procexit *e = ev(c, KCAP_EV_procexit, tid, ts);

	e->status = code << 8;
	e->ret = code;
	e->tgid = tgid;
	e->sig = 0;
	e->core = 0;
	ev_end(c);
}

/* ---- running the engine ------------------------------------------------------------ */

struct row {
	uint64_t ts, num;
	uint16_t type;
	uint32_t tid, src;
	int32_t pid, ppid, fdnum;
	char comm[32];
	char fd[256];
	char cwd[128];
	int cloexec;
};

struct collect {
	struct row *rows;
	size_t n, cap;
	uint64_t lost;
};

static inline void *collect_init(struct kcap_replay *rp,
				 const struct kcap_analyzer_env *env)
{
	(void)rp;
	return (void *)env->args;
}

static inline int collect_event(void *state, const struct kcap_event_ctx *c)
{
	struct collect *co = state;
	struct row *r;

	if (co->n == co->cap) {
		co->cap = co->cap ? co->cap * 2 : 256;
		co->rows = realloc(co->rows, co->cap * sizeof(*co->rows));
		ck_assert_ptr_nonnull(co->rows);
	}
	r = &co->rows[co->n++];
	memset(r, 0, sizeof(*r));
	r->ts = c->ev->ts;
	r->num = c->num;
	r->type = c->ev->type;
	r->tid = c->ev->tid;
	r->src = c->src;
	r->pid = c->proc ? c->proc->pid : -1;
	r->ppid = c->proc ? c->proc->ppid : -1;
	r->fdnum = c->fdnum;
	r->cloexec = c->fd ? c->fd->cloexec : -1;
	if (c->proc) {
		snprintf(r->comm, sizeof(r->comm), "%s", c->proc->comm);
		snprintf(r->cwd, sizeof(r->cwd), "%s", c->proc->cwd);
	}
	if (c->fd)
		snprintf(r->fd, sizeof(r->fd), "%s", kcap_fdinfo__name(c->fd));
	return 0;
}

static inline int collect_loss(void *state, const struct kcap_loss_ctx *l)
{
	struct collect *co = state;

	co->lost += l->loss->count;
	return 0;
}

static inline int collect_finish(void *state)
{
	(void)state;
	return 0;
}

static const struct kcap_analyzer_ops collect_ops = {
	.sz = sizeof(struct kcap_analyzer_ops),
	.name = "collect",
	.init = collect_init,
	.on_event = collect_event,
	.on_loss = collect_loss,
	.finish = collect_finish,
};

/* Runs the engine over paths; returns run()'s result. */
static inline int run_engine(const char *const *paths, int n,
			     const char *filter, uint64_t since, uint64_t until,
			     struct collect *co, struct kcap_replay_stats *st)
{
	KCAP_OPTS(kcap_replay_opts, ro, .since = since, .until = until);
	KCAP_OPTS(kcap_analyzer_env, env, .args = (const char *)co);
	struct kcap_replay *rp = kcap_replay__new(&ro);
	int i, err;

	ck_assert_ptr_nonnull(rp);
	memset(co, 0, sizeof(*co));
	for (i = 0; i < n; i++)
		ck_assert_msg(kcap_replay__add_input(rp, paths[i]) == 0, "%s",
			      kcap_replay__errmsg(rp));
	if (filter)
		ck_assert_msg(kcap_replay__set_filter(rp, filter) == 0,
			      "%s: %s", filter, kcap_replay__errmsg(rp));
	ck_assert_int_eq(kcap_replay__add_analyzer(rp, &collect_ops, &env), 0);
	err = kcap_replay__run(rp);
	if (st)
		kcap_replay__stats(rp, st);
	kcap_replay__free(rp);
	return err;
}

static inline const struct row *row_at(const struct collect *co, size_t i)
{
	ck_assert_uint_lt(i, co->n);
	return &co->rows[i];
}

/* ---- running kcap ------------------------------------------------------------------- */

/* Runs a shell command; returns its stdout (caller frees), status in *rc. */
static inline char *sh(const char *cmd, int *rc)
{
	FILE *f = popen(cmd, "r");
	size_t cap = 1 << 16, n = 0, k;
	char *out = malloc(cap);
	int st;

	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(out);
	while ((k = fread(out + n, 1, cap - n - 1, f)) > 0) {
		n += k;
		if (cap - n < 4096) {
			cap *= 2;
			out = realloc(out, cap);
			ck_assert_ptr_nonnull(out);
		}
	}
	out[n] = 0;
	st = pclose(f);
	if (rc)
		*rc = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	return out;
}

static inline size_t count_lines(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

#endif
