// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The replay engine: merges inputs by time, keeps thread, process and fd
 * state, and hands filtered events to analyzers.
 *
 * Per event the work is: take the earliest head among the inputs, look up
 * its thread (a one-entry cache, then a hash table), apply the few state
 * changes its type implies (a table built once from the schema says which),
 * resolve its fd, run the compiled filter, call the analyzers. Nothing on
 * that path allocates, except for state that really is new (a process, or
 * an fd whose name does not fit inline).
 */
#define _GNU_SOURCE
#include <signal.h>
#include <time.h>
#include <unistd.h>

#include "state.h"

#define O_CLOEXEC_ 0x80000
#define O_DIRECTORY_ 0x10000
#define CLONE_THREAD_ 0x10000
#define CLONE_PARENT_ 0x8000
#define MAX_ANALYZERS 32

enum action {
	A_NONE,
	A_OPEN, /* open, openat, openat2, creat: `name` relative to dirfd */
	A_OPEN_BY_HANDLE,
	A_SOCKET,
	A_SOCKETPAIR,
	A_CONNECT,
	A_BIND,
	A_ACCEPT,
	A_SOCKNAME, /* getsockname, getpeername, shutdown */
	A_DUP,
	A_FCNTL,
	A_CLOSE,
	A_CLOSE_RANGE,
	A_PIPE,
	A_MEMFD,
	A_FDNEW, /* any other fd-creating syscall */
	A_CLONE,
	A_EXECVE,
	A_PROCEXIT,
	A_CHDIR,
	A_FCHDIR,
};

enum fdsrc { FDS_NONE, FDS_RES, FDS_FIELD };

struct evinfo {
	uint8_t action;
	uint8_t fdsrc;
	uint8_t fdkind; /* for A_FDNEW */
	uint16_t fdoff; /* FDS_FIELD: offset of the s32 fd */
	/* A_OPEN: offsets of name, dirfd (0: none), flags (0: none) */
	uint16_t name_off, dirfd_off, flags_off;
};

struct input {
	struct kcap_reader *r;
	bool own;
	char *name;
	const struct kcap_hdr *head;
	bool done;
	bool in_snap;
	uint32_t snap_seq;
	uint64_t seek_offset; /* after a seek: the first block to read */
};

struct kcap_replay {
	struct kcap_replay_opts opts;
	uint64_t ts_lo, ts_hi; /* since and until, UINT64_MAX for no until */
	const struct kcap_schema *schema;
	unsigned int limit;
	struct evinfo *info;
	const struct kcap_event_desc **descs; /* by id, for the hot path */
	struct input *in;
	uint32_t nin;
	struct kcap_state st;
	struct kcap_filter *filter;
	struct kcap_filter_fast ff; /* what handle() decides inline */
	struct {
		const struct kcap_analyzer_ops *ops;
		void *state;
	} an[MAX_ANALYZERS];
	unsigned int nan;
	volatile sig_atomic_t stop;
	uint64_t first_ts;
	struct kcap_replay_stats stats;
	int (*raw_hook)(void *arg, uint32_t src, const struct kcap_hdr *rec,
			bool in_range);
	void *raw_arg;
	int (*meta_hook)(void *arg, uint32_t src, const struct kcap_hdr *rec);
	void *meta_arg;
	char errmsg[KCAP_RP_ERRMSG];
};

static int rp_fail(struct kcap_replay *rp, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int rp_fail(struct kcap_replay *rp, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(rp->errmsg, sizeof(rp->errmsg), fmt, ap);
	va_end(ap);
	return err;
}

const char *kcap_replay__errmsg(const struct kcap_replay *rp)
{
	return rp->errmsg;
}

/* ---- the per-type table ---------------------------------------------------- */

static const struct {
	const char *name;
	uint8_t action;
	uint8_t kind;
} special[] = {
	{ "open", A_OPEN, KCAP_FD_FILE },
	{ "openat", A_OPEN, KCAP_FD_FILE },
	{ "openat2", A_OPEN, KCAP_FD_FILE },
	{ "creat", A_OPEN, KCAP_FD_FILE },
	{ "open_by_handle_at", A_OPEN_BY_HANDLE, KCAP_FD_FILE },
	{ "socket", A_SOCKET, 0 },
	{ "socketpair", A_SOCKETPAIR, 0 },
	{ "connect", A_CONNECT, 0 },
	{ "bind", A_BIND, 0 },
	{ "accept", A_ACCEPT, 0 },
	{ "accept4", A_ACCEPT, 0 },
	{ "getsockname", A_SOCKNAME, 0 },
	{ "getpeername", A_SOCKNAME, 0 },
	{ "shutdown", A_SOCKNAME, 0 },
	{ "dup", A_DUP, 0 },
	{ "dup2", A_DUP, 0 },
	{ "dup3", A_DUP, 0 },
	{ "fcntl", A_FCNTL, 0 },
	{ "close", A_CLOSE, 0 },
	{ "close_range", A_CLOSE_RANGE, 0 },
	{ "pipe", A_PIPE, KCAP_FD_PIPE },
	{ "pipe2", A_PIPE, KCAP_FD_PIPE },
	{ "memfd_create", A_MEMFD, KCAP_FD_MEMFD },
	{ "eventfd", A_FDNEW, KCAP_FD_EVENTFD },
	{ "eventfd2", A_FDNEW, KCAP_FD_EVENTFD },
	{ "signalfd", A_FDNEW, KCAP_FD_SIGNALFD },
	{ "signalfd4", A_FDNEW, KCAP_FD_SIGNALFD },
	{ "timerfd_create", A_FDNEW, KCAP_FD_TIMERFD },
	{ "epoll_create", A_FDNEW, KCAP_FD_EPOLL },
	{ "epoll_create1", A_FDNEW, KCAP_FD_EPOLL },
	{ "inotify_init", A_FDNEW, KCAP_FD_INOTIFY },
	{ "inotify_init1", A_FDNEW, KCAP_FD_INOTIFY },
	{ "pidfd_open", A_FDNEW, KCAP_FD_PIDFD },
	{ "bpf", A_FDNEW, KCAP_FD_BPF },
	{ "io_uring_setup", A_FDNEW, KCAP_FD_IOURING },
	{ "userfaultfd", A_FDNEW, KCAP_FD_USERFAULTFD },
	{ "clone", A_CLONE, 0 },
	{ "fork", A_CLONE, 0 },
	{ "vfork", A_CLONE, 0 },
	{ "clone3", A_CLONE, 0 },
	{ "execve", A_EXECVE, 0 },
	{ "execveat", A_EXECVE, 0 },
	{ "procexit", A_PROCEXIT, 0 },
	{ "chdir", A_CHDIR, 0 },
	{ "fchdir", A_FCHDIR, 0 },
};

/* fork, vfork and clone3 are read through the clone struct */
#define SAME_AS_CLONE(ev, f)                                      \
	_Static_assert(offsetof(struct kcap_ev_##ev, f) ==        \
			       offsetof(struct kcap_ev_clone, f), \
		       #ev "." #f " must sit where clone's does")
SAME_AS_CLONE(fork, child_pid);
SAME_AS_CLONE(vfork, child_pid);
SAME_AS_CLONE(clone3, child_pid);
SAME_AS_CLONE(fork, flags);
SAME_AS_CLONE(vfork, flags);
SAME_AS_CLONE(clone3, flags);
SAME_AS_CLONE(clone3, comm);
SAME_AS_CLONE(fork, comm);
SAME_AS_CLONE(vfork, comm);
SAME_AS_CLONE(clone3, cwd);
SAME_AS_CLONE(fork, cwd);
SAME_AS_CLONE(vfork, cwd);

static bool is_dirfd_name(const char *n)
{
	return strstr(n, "dir") || !strcmp(n, "mountfd");
}

static int build_info(struct kcap_replay *rp)
{
	unsigned int id, i;

	rp->limit = kcap_schema__id_limit(rp->schema);
	rp->info = calloc(rp->limit ? rp->limit : 1, sizeof(*rp->info));
	rp->descs = calloc(rp->limit ? rp->limit : 1, sizeof(*rp->descs));
	if (!rp->info || !rp->descs)
		return -ENOMEM;
	for (id = 0; id < rp->limit; id++) {
		const struct kcap_event_desc *d =
			kcap_schema__event(rp->schema, id);
		struct evinfo *e = &rp->info[id];
		const struct kcap_field_desc *f;

		rp->descs[id] = d;
		if (!d)
			continue;
		for (i = 0; i < sizeof(special) / sizeof(special[0]); i++)
			if (!strcmp(special[i].name, d->name)) {
				e->action = special[i].action;
				e->fdkind = special[i].kind;
			}
		if (!e->action && (d->flags & KCAP_EF_FD_CREATE)) {
			e->action = A_FDNEW;
			e->fdkind = KCAP_FD_UNKNOWN;
		}
		if ((f = kcap_event_desc__field(d, "name")) &&
		    f->type == KCAP_T_var)
			e->name_off = f->offset;
		else if ((f = kcap_event_desc__field(d, "path")) &&
			 f->type == KCAP_T_var)
			e->name_off = f->offset;
		if ((f = kcap_event_desc__field(d, "dirfd")))
			e->dirfd_off = f->offset;
		if ((f = kcap_event_desc__field(d, "flags")) && f->size == 4)
			e->flags_off = f->offset;
		/* which fd the event is about */
		if (d->flags & KCAP_EF_FD_CREATE) {
			if ((f = kcap_event_desc__field(d, "fd1"))) {
				e->fdsrc = FDS_FIELD;
				e->fdoff = f->offset;
			} else {
				e->fdsrc = FDS_RES;
			}
			continue;
		}
		f = kcap_event_desc__field(d, "fd");
		if (!f || f->fmt != KCAP_FMT_FD)
			for (i = 0, f = NULL; i < d->nfields; i++)
				if (d->fields[i].fmt == KCAP_FMT_FD &&
				    d->fields[i].size == 4 &&
				    !is_dirfd_name(d->fields[i].name)) {
					f = &d->fields[i];
					break;
				}
		if (f && f->size == 4) {
			e->fdsrc = FDS_FIELD;
			e->fdoff = f->offset;
		}
	}
	return 0;
}

/* ---- construction ---------------------------------------------------------- */

#define OPT(o, field, def)                                           \
	((o) && (o)->sz > offsetof(struct kcap_replay_opts, field) ? \
		 (o)->field :                                        \
		 (def))

struct kcap_replay *kcap_replay__new(const struct kcap_replay_opts *opts)
{
	struct kcap_replay *rp = calloc(1, sizeof(*rp));

	if (!rp)
		return NULL;
	rp->opts.sz = sizeof(rp->opts);
	rp->opts.since = OPT(opts, since, 0);
	rp->opts.until = OPT(opts, until, 0);
	rp->ts_lo = rp->opts.since;
	rp->ts_hi = rp->opts.until ? rp->opts.until : UINT64_MAX;
	rp->opts.follow = OPT(opts, follow, false);
	rp->opts.max_events = OPT(opts, max_events, 0);
	rp->opts.exact_seek = OPT(opts, exact_seek, false);
	rp->schema = kcap_schema__builtin();
	if (build_info(rp) || kcap_state__init(&rp->st)) {
		free(rp->info);
		free(rp->descs);
		free(rp);
		errno = ENOMEM;
		return NULL;
	}
	return rp;
}

void kcap_replay__free(struct kcap_replay *rp)
{
	uint32_t i;

	if (!rp)
		return;
	for (i = 0; i < rp->nin; i++) {
		if (rp->in[i].own)
			kcap_reader__close(rp->in[i].r);
		free(rp->in[i].name);
	}
	free(rp->in);
	kcap_filter__free(rp->filter);
	kcap_state__free(&rp->st);
	kcap_names__flush();
	free(rp->info);
	free(rp->descs);
	free(rp);
}

static int add_input(struct kcap_replay *rp, struct kcap_reader *r, bool own,
		     const char *name)
{
	struct input *n = realloc(rp->in, (rp->nin + 1) * sizeof(*n));

	if (!n)
		return -ENOMEM;
	rp->in = n;
	n = &rp->in[rp->nin];
	memset(n, 0, sizeof(*n));
	n->r = r;
	n->own = own;
	n->name = strdup(name);
	if (!n->name)
		return -ENOMEM;
	rp->nin++;
	return 0;
}

int kcap_replay__add_input(struct kcap_replay *rp, const char *path)
{
	struct kcap_reader *r = kcap_reader__open(path, NULL);
	int err;

	if (!r)
		return rp_fail(rp, -errno, "%s: %s", path, kcap_last_errmsg());
	err = add_input(rp, r, true, path);
	if (err)
		kcap_reader__close(r);
	return err;
}

int kcap_replay__add_reader(struct kcap_replay *rp, struct kcap_reader *r,
			    const char *name)
{
	return add_input(rp, r, false, name);
}

int kcap_replay__set_filter(struct kcap_replay *rp, const char *expr)
{
	char err[KCAP_RP_ERRMSG];
	struct kcap_filter *f = kcap_filter__compile(expr, err, sizeof(err));

	if (!f)
		return rp_fail(rp, -EINVAL, "%s", err);
	kcap_filter__free(rp->filter);
	rp->filter = f;
	kcap_filter__fast(f, &rp->ff);
	return 0;
}

int kcap_replay__add_analyzer(struct kcap_replay *rp,
			      const struct kcap_analyzer_ops *ops,
			      const struct kcap_analyzer_env *env)
{
	struct kcap_analyzer_env def = { .sz = sizeof(def), .out = stdout };
	void *state;

	if (!env)
		env = &def;
	if (rp->nan == MAX_ANALYZERS)
		return rp_fail(rp, -E2BIG, "too many analyzers");
	if (!ops ||
	    ops->sz < offsetof(struct kcap_analyzer_ops, finish) +
			      sizeof(ops->finish) ||
	    !ops->init || !ops->on_event || !ops->finish)
		return rp_fail(rp, -EINVAL,
			       "analyzer lacks init, on_event or finish");
	errno = 0;
	state = ops->init(rp, env);
	if (!state)
		return rp_fail(rp, errno ? -errno : -EINVAL,
			       "analyzer %s: cannot start: %s", ops->name,
			       strerror(errno ? errno : EINVAL));
	rp->an[rp->nan].ops = ops;
	rp->an[rp->nan].state = state;
	rp->nan++;
	return 0;
}

void kcap_replay__stop(struct kcap_replay *rp)
{
	rp->stop = 1;
}

struct kcap_proc *kcap_replay__proc(struct kcap_replay *rp, int32_t pid)
{
	return kcap_state__proc(&rp->st, pid);
}

const struct kcap_fdinfo *kcap_replay__fd(struct kcap_replay *rp,
					  const struct kcap_proc *p, int32_t fd)
{
	(void)rp;
	return p ? kcap_fdtab__get(p->fds, fd) : NULL;
}

int kcap_replay__for_each_fd(struct kcap_replay *rp, const struct kcap_proc *p,
			     int (*fn)(const struct kcap_fdinfo *f, void *arg),
			     void *arg)
{
	uint32_t i;
	int err;

	(void)rp;
	if (!p || !p->fds)
		return 0;
	for (i = 0; i <= p->fds->mask; i++)
		if (p->fds->keys[i] >= 0 && (err = fn(&p->fds->slots[i], arg)))
			return err;
	return 0;
}

int kcap_replay__for_each_proc(struct kcap_replay *rp,
			       int (*fn)(struct kcap_proc *p, void *arg),
			       void *arg)
{
	uint32_t i;
	int err;

	for (i = 0; i <= rp->st.proc_mask; i++)
		if (rp->st.procs[i].used &&
		    (err = fn(rp->st.procs[i].proc, arg)))
			return err;
	return 0;
}

const char *kcap_replay__input_name(const struct kcap_replay *rp, uint32_t src)
{
	return src < rp->nin ? rp->in[src].name : NULL;
}

uint32_t kcap_replay__inputs(const struct kcap_replay *rp)
{
	return rp->nin;
}

uint64_t kcap_replay__first_ts(const struct kcap_replay *rp)
{
	return rp->first_ts;
}

struct kcap_reader *kcap_replay__reader(struct kcap_replay *rp, uint32_t src)
{
	return src < rp->nin ? rp->in[src].r : NULL;
}

void kcap_replay__set_raw_hook(struct kcap_replay *rp,
			       int (*fn)(void *arg, uint32_t src,
					 const struct kcap_hdr *rec,
					 bool in_range),
			       void *arg)
{
	rp->raw_hook = fn;
	rp->raw_arg = arg;
}

void kcap_replay__set_meta_hook(struct kcap_replay *rp,
				int (*fn)(void *arg, uint32_t src,
					  const struct kcap_hdr *rec),
				void *arg)
{
	rp->meta_hook = fn;
	rp->meta_arg = arg;
}

bool kcap_replay__changes_state(const struct kcap_replay *rp, unsigned int type)
{
	return type < rp->limit && rp->info[type].action != A_NONE;
}

void kcap_replay__stats(const struct kcap_replay *rp,
			struct kcap_replay_stats *st)
{
	uint32_t i;

	*st = rp->stats;
	st->threads = rp->st.thr_count;
	st->procs = rp->st.proc_count;
	st->corrupt_blocks = st->missing_blocks = 0;
	st->truncated_inputs = 0;
	for (i = 0; i < rp->nin; i++) {
		struct kcap_read_status rs;

		kcap_reader__status(rp->in[i].r, &rs);
		st->corrupt_blocks += rs.corrupt_blocks;
		st->missing_blocks += rs.missing_blocks;
		if (rs.end == KCAP_END_TRUNCATED ||
		    rs.end == KCAP_END_NO_FOOTER || rs.end == KCAP_END_ERROR)
			st->truncated_inputs++;
	}
}

/* ---- paths ----------------------------------------------------------------- */

/*
 * base + "/" + rel with "." and ".." folded, as the kernel would walk it
 * without symlinks. out holds PATH_MAX_ bytes.
 */
#define PATH_MAX_ 4096

/*
 * The bytes of w equal to those of c8 have their high bit set. A byte above
 * a real match may be set too (a borrow): never one missed.
 */
static inline uint64_t bytes_eq(uint64_t w, uint64_t c8)
{
	uint64_t x = w ^ c8;

	return (x - 0x0101010101010101ull) & ~x & 0x8080808080808080ull;
}

/*
 * Does p hold "//" or "/." (so maybe "/./" or "/../")? Eight places at a
 * time; a false yes only sends the path the slow way, which folds it right.
 */
static bool maybe_fold(const uint8_t *p, size_t n)
{
	const uint64_t slash = 0x2f2f2f2f2f2f2f2full,
		       dot = 0x2e2e2e2e2e2e2e2eull;
	size_t i = 0;

	for (; i + 9 <= n; i += 8) {
		uint64_t a, b;

		memcpy(&a, p + i, 8);
		memcpy(&b, p + i + 1, 8);
		if (bytes_eq(a, slash) &
		    (bytes_eq(b, slash) | bytes_eq(b, dot)))
			return true;
	}
	for (; i + 1 < n; i++)
		if (p[i] == '/' && (p[i + 1] == '/' || p[i + 1] == '.'))
			return true;
	return false;
}

static size_t path_join(char *out, const char *base, size_t blen,
			const uint8_t *rel, size_t rlen)
{
	char tmp[PATH_MAX_ * 2 + 2];
	size_t n = 0, i = 0, o = 0;

	/* the usual case: an absolute path with nothing to fold */
	if (rlen && rlen < PATH_MAX_ && rel[0] == '/' && rel[rlen - 1] != '/' &&
	    !maybe_fold(rel, rlen)) {
		memcpy(out, rel, rlen);
		out[rlen] = 0;
		return rlen;
	}

	if (!(rlen && rel[0] == '/') && blen) {
		if (blen > PATH_MAX_)
			blen = PATH_MAX_;
		memcpy(tmp, base, blen);
		n = blen;
		tmp[n++] = '/';
	}
	if (rlen > PATH_MAX_)
		rlen = PATH_MAX_;
	memcpy(tmp + n, rel, rlen);
	n += rlen;
	if (!n || tmp[0] != '/') {
		/* relative with no known base: keep it as it was */
		if (n > PATH_MAX_ - 1)
			n = PATH_MAX_ - 1;
		memcpy(out, tmp, n);
		out[n] = 0;
		return n;
	}
	while (i < n) {
		size_t s;

		while (i < n && tmp[i] == '/')
			i++;
		s = i;
		while (i < n && tmp[i] != '/')
			i++;
		if (i == s || (i - s == 1 && tmp[s] == '.'))
			continue;
		if (i - s == 2 && tmp[s] == '.' && tmp[s + 1] == '.') {
			while (o > 0 && out[o - 1] != '/')
				o--;
			if (o > 0)
				o--;
			continue;
		}
		if (o + 1 + (i - s) >= PATH_MAX_)
			break;
		out[o++] = '/';
		memcpy(out + o, tmp + s, i - s);
		o += i - s;
	}
	if (!o)
		out[o++] = '/';
	out[o] = 0;
	return o;
}

/* A var's bytes as stored (lists, addresses). */
static bool get_raw(const void *rec, uint16_t off, const uint8_t **p, size_t *n)
{
	const struct kcap_var *v = (const void *)((const uint8_t *)rec + off);

	if (!v->off && !v->len)
		return false;
	*p = (const uint8_t *)rec + v->off;
	*n = v->len;
	return true;
}

/* A string or path var: without the NUL that marks a cut one. */
static bool get_var(const void *rec, uint16_t off, const uint8_t **p, size_t *n)
{
	if (!get_raw(rec, off, p, n))
		return false;
	*n = kcap_var__str_len(*p, *n);
	return true;
}

static inline int32_t s32_at(const void *rec, uint16_t off)
{
	int32_t v;

	memcpy(&v, (const uint8_t *)rec + off, 4);
	return v;
}

static inline uint32_t u32_at(const void *rec, uint16_t off)
{
	uint32_t v;

	memcpy(&v, (const uint8_t *)rec + off, 4);
	return v;
}

/*
 * comm is kept zero-padded to its end, so that a filter compares it to a
 * name as a few whole words.
 */
static void set_comm(struct kcap_proc *p, const void *s, size_t n)
{
	if (n > sizeof(p->comm) - 1)
		n = sizeof(p->comm) - 1;
	memset(p->comm, 0, sizeof(p->comm));
	memcpy(p->comm, s, n);
}

/* ---- socket addresses -------------------------------------------------------- */

static unsigned int family_kind(unsigned int af)
{
	switch (af) {
	case 2:
		return KCAP_FD_SOCK_INET;
	case 10:
		return KCAP_FD_SOCK_INET6;
	case 1:
		return KCAP_FD_SOCK_UNIX;
	case 16:
		return KCAP_FD_SOCK_NETLINK;
	default:
		return KCAP_FD_SOCK_OTHER;
	}
}

/* Stores a sockaddr (FORMAT.md 7) as the local (l) or remote end of f. */
static void set_addr(struct kcap_fdinfo *f, bool local, const uint8_t *p,
		     size_t n)
{
	uint8_t fam = 0, *a = local ? f->laddr : f->raddr;
	uint16_t port = 0;

	if (n < 2)
		return;
	fam = p[0];
	if (fam == 2 && n >= 8) {
		port = (uint16_t)(p[2] << 8 | p[3]);
		memset(a, 0, 16);
		memcpy(a, p + 4, 4);
	} else if (fam == 10 && n >= 24) {
		port = (uint16_t)(p[2] << 8 | p[3]);
		memcpy(a, p + 8, 16);
	} else if (fam != 1) {
		return;
	}
	if (local) {
		f->lfamily = fam;
		f->lport = port;
	} else {
		f->rfamily = fam;
		f->rport = port;
	}
}

/*
 * A unix socket is named by an address of its ends: a path as it is, an
 * abstract name as /proc/net/unix and the snapshot show it ("@name", each
 * NUL an '@'). False for an unnamed end.
 */
static bool unix_name(struct kcap_fdinfo *f, const uint8_t *p, size_t n)
{
	char buf[128];
	size_t i, l;

	if (n < 3 || p[0] != 1 || (!p[2] && n < 4))
		return false;
	l = n - 2 < sizeof(buf) ? n - 2 : sizeof(buf);
	if (p[2]) {
		const uint8_t *z = memchr(p + 2, 0, l);

		if (z)
			l = (size_t)(z - (p + 2));
		kcap_fdinfo__set_name(f, (const char *)p + 2, l);
		return true;
	}
	for (i = 0; i < l; i++)
		buf[i] = p[2 + i] ? (char)p[2 + i] : '@';
	kcap_fdinfo__set_name(f, buf, l);
	return true;
}

static char *put_dec(char *o, unsigned int v)
{
	char tmp[12];
	int n = 0;

	do
		tmp[n++] = (char)('0' + v % 10);
	while ((v /= 10));
	while (n)
		*o++ = tmp[--n];
	return o;
}

/* "1.2.3.4:80" or "[2001:db8::1]:80", without stdio: connects are common */
static size_t put_ipport(char *o, unsigned int fam, const uint8_t *a,
			 unsigned int port)
{
	char *s = o;
	int i;

	if (fam == 2) {
		for (i = 0; i < 4; i++) {
			if (i)
				*o++ = '.';
			o = put_dec(o, a[i]);
		}
	} else {
		*o++ = '[';
		o += kcap_ip6__format(o, a);
		*o++ = ']';
	}
	*o++ = ':';
	o = put_dec(o, port);
	return (size_t)(o - s);
}

/* "10.0.0.2:40000->10.0.0.1:443", as sysdig names a connected socket */
static void name_socket(struct kcap_fdinfo *f)
{
	char buf[160];
	size_t n = 0;

	if (f->lfamily != 2 && f->lfamily != 10 && f->rfamily != 2 &&
	    f->rfamily != 10)
		return;
	if (f->lfamily == 2 || f->lfamily == 10)
		n += put_ipport(buf, f->lfamily, f->laddr, f->lport);
	if (f->rfamily == 2 || f->rfamily == 10) {
		memcpy(buf + n, "->", 2);
		n += 2;
		n += put_ipport(buf + n, f->rfamily, f->raddr, f->rport);
	}
	kcap_fdinfo__set_name(f, buf, n);
}

/* ---- state changes ------------------------------------------------------------- */

static struct kcap_fdinfo *new_fd(struct kcap_proc *p, int32_t fd,
				  unsigned int kind, bool cloexec)
{
	struct kcap_fdinfo *f = kcap_fdtab__put(&p->fds, fd);

	if (f) {
		f->kind = (uint16_t)kind;
		f->cloexec = cloexec;
	}
	return f;
}

static void anon_name(struct kcap_fdinfo *f, unsigned int kind)
{
	char buf[64];
	int n = snprintf(buf, sizeof(buf), "anon_inode:[%s]",
			 kcap_fd_kind_name(kind));

	kcap_fdinfo__init_name(f, buf, (size_t)n);
}

static void do_open(struct kcap_replay *rp, struct kcap_proc *p,
		    const struct evinfo *e, const struct kcap_hdr *ev,
		    int64_t res)
{
	char path[PATH_MAX_];
	const char *full = path;
	const uint8_t *name = NULL;
	size_t nlen = 0, n;
	const char *base = p->cwd;
	size_t blen;
	uint32_t flags = e->flags_off ? u32_at(ev, e->flags_off) : 0;
	struct kcap_fdinfo *f;

	(void)rp;
	if (res < 0 || res > INT32_MAX)
		return;
	if (e->name_off)
		get_var(ev, e->name_off, &name, &nlen);
	/* the cwd matters only for a relative name */
	blen = nlen && name[0] == '/' ? 0 : strlen(p->cwd);
	if (e->dirfd_off && blen) {
		int32_t dirfd = s32_at(ev, e->dirfd_off);

		if (dirfd != -100) {
			const struct kcap_fdinfo *d =
				kcap_fdtab__get(p->fds, dirfd);

			base = d ? kcap_fdinfo__name(d) : "";
			blen = d ? d->namelen : 0;
		}
	}
	if (nlen && nlen < PATH_MAX_ && name[0] == '/' &&
	    name[nlen - 1] != '/' && !maybe_fold(name, nlen)) {
		/* the usual case, named from the record: path_join copies it */
		full = (const char *)name;
		n = nlen;
	} else {
		n = path_join(path, base, blen,
			      name ? name : (const uint8_t *)"", nlen);
	}
	if (flags == UINT32_MAX)
		flags = 0;
	f = new_fd(p, (int32_t)res,
		   flags & O_DIRECTORY_ ? KCAP_FD_DIR : KCAP_FD_FILE,
		   flags & O_CLOEXEC_);
	if (!f)
		return;
	kcap_fdinfo__init_name(f, full, n);
	if (ev->type == KCAP_EV_openat || ev->type == KCAP_EV_open ||
	    ev->type == KCAP_EV_creat || ev->type == KCAP_EV_openat2) {
		/* every open-family event has ino at the same place */
		uint64_t ino;

		memcpy(&ino,
		       (const uint8_t *)ev +
			       offsetof(struct kcap_ev_openat, ino),
		       8);
		f->ino = ino == UINT64_MAX ? 0 : ino;
	}
}
_Static_assert(offsetof(struct kcap_ev_open, ino) ==
			       offsetof(struct kcap_ev_openat, ino) &&
		       offsetof(struct kcap_ev_creat, ino) ==
			       offsetof(struct kcap_ev_openat, ino) &&
		       offsetof(struct kcap_ev_openat2, ino) ==
			       offsetof(struct kcap_ev_openat, ino),
	       "open events keep ino at one offset");

static void do_clone(struct kcap_replay *rp, struct kcap_proc *p,
		     const struct kcap_hdr *ev, uint16_t src)
{
	const struct kcap_ev_clone *c = (const void *)ev;
	uint64_t flags = c->flags == UINT64_MAX ? 0 : c->flags;
	struct kcap_proc *child;
	const uint8_t *s;
	size_t n;
	uint32_t ctid;
	int32_t cpid;

	if (c->res < 0)
		return;
	if (c->res == 0) {
		/* the child's side: it may come before the parent's */
		if (flags & CLONE_THREAD_) {
			if (c->tgid > 0 && p->pid != c->tgid) {
				struct kcap_proc *g =
					kcap_state__proc_get(&rp->st, c->tgid);

				if (g)
					kcap_state__set_thread(&rp->st, ev->tid,
							       g, src, 0);
			}
			return;
		}
		if (p->start_ts || p->comm[0])
			return; /* already known, from the parent's side */
		if (c->ppid > 0)
			p->ppid = c->ppid;
		p->start_ts = ev->ts;
		/*
		 * Its fds are a copy of its parent's: after a vfork (sh,
		 * posix_spawn) the parent's side comes only once the child
		 * has exec'd or exited, and the child's inherited fds (its
		 * stdout to a file) had no names.
		 */
		if (c->ppid > 0 && c->ppid != p->pid) {
			struct kcap_proc *par =
				kcap_state__proc(&rp->st, c->ppid);

			if (par) {
				kcap_fdtab__free(p->fds);
				p->fds = kcap_fdtab__dup(par->fds);
				p->uid = par->uid;
				kcap_proc__set_str(&p->argv, par->argv,
						   par->argv_len);
				p->argv_len = par->argv_len;
			}
		}
		if (get_var(ev, offsetof(struct kcap_ev_clone, comm), &s, &n)) {
			n = n < sizeof(p->comm) - 1 ? n : sizeof(p->comm) - 1;
			set_comm(p, s, n);
		}
		if (get_var(ev, offsetof(struct kcap_ev_clone, exe), &s, &n))
			kcap_proc__set_str(&p->exe, s, n);
		if (get_var(ev, offsetof(struct kcap_ev_clone, cwd), &s, &n))
			kcap_proc__set_str(&p->cwd, s, n);
		return;
	}
	ctid = (uint32_t)c->res;
	if (flags & CLONE_THREAD_) {
		kcap_state__set_thread(&rp->st, ctid, p, src, 0);
		return;
	}
	cpid = c->child_pid > 0 ? c->child_pid : (int32_t)ctid;
	child = kcap_state__proc(&rp->st, cpid);
	if (child && child->snap_ts > ev->ts)
		return; /* a snapshot read the child after it was made */
	if (child && child->start_ts && child->ppid == p->pid &&
	    ev->ts - child->start_ts < 1000000000ull) {
		/* the child's side came first: nothing to redo */
		return;
	}
	if (child) {
		/* a pid reused while its exit was lost: retire the old one */
		kcap_state__remove_thread(&rp->st, ctid);
		child = kcap_state__proc(&rp->st, cpid);
		if (child)
			kcap_state__kill_other_threads(&rp->st, child, ctid,
						       ctid);
	}
	child = kcap_state__proc_get(&rp->st, cpid);
	if (!child)
		return;
	child->ppid = (flags & CLONE_PARENT_) ? p->ppid : p->pid;
	child->uid = p->uid;
	child->start_ts = ev->ts;
	memcpy(child->comm, p->comm, sizeof(child->comm));
	kcap_proc__set_str(&child->exe, p->exe, strlen(p->exe));
	kcap_proc__set_str(&child->cwd, p->cwd, strlen(p->cwd));
	kcap_proc__set_str(&child->argv, p->argv, p->argv_len);
	child->argv_len = p->argv_len;
	kcap_fdtab__free(child->fds);
	child->fds = kcap_fdtab__dup(p->fds);
	kcap_state__set_thread(&rp->st, ctid, child, src, 0);
}

static void drop_cloexec(struct kcap_proc *p)
{
	uint32_t i = 0;

	if (!p->fds)
		return;
	while (i <= p->fds->mask) {
		if (p->fds->keys[i] >= 0 && p->fds->slots[i].cloexec) {
			/* deletion shifts a later entry here: look again */
			kcap_fdtab__del(&p->fds, p->fds->slots[i].fd);
			continue;
		}
		i++;
	}
}

static struct kcap_proc *do_execve(struct kcap_replay *rp, struct kcap_proc *p,
				   const struct kcap_hdr *ev, uint16_t src)
{
	const struct kcap_ev_execve *x = (const void *)ev;
	uint16_t comm_off, exe_off, argv_off, cwd_off, fn_off;
	const uint8_t *s;
	size_t n;
	int32_t tgid, ppid;
	uint32_t uid;

	if (x->res != 0)
		return p;
	if (ev->type == KCAP_EV_execveat) {
		const struct kcap_ev_execveat *y = (const void *)ev;

		tgid = y->tgid;
		ppid = y->ppid;
		uid = y->uid;
		comm_off = offsetof(struct kcap_ev_execveat, comm);
		exe_off = offsetof(struct kcap_ev_execveat, exe);
		argv_off = offsetof(struct kcap_ev_execveat, argv);
		cwd_off = offsetof(struct kcap_ev_execveat, cwd);
		fn_off = offsetof(struct kcap_ev_execveat, filename);
	} else {
		tgid = x->tgid;
		ppid = x->ppid;
		uid = x->uid;
		comm_off = offsetof(struct kcap_ev_execve, comm);
		exe_off = offsetof(struct kcap_ev_execve, exe);
		argv_off = offsetof(struct kcap_ev_execve, argv);
		cwd_off = offsetof(struct kcap_ev_execve, cwd);
		fn_off = offsetof(struct kcap_ev_execve, filename);
	}
	if (tgid > 0 && tgid != p->pid) {
		/* the thread was not known to belong to tgid */
		struct kcap_proc *g = kcap_state__proc_get(&rp->st, tgid);

		if (g) {
			kcap_state__set_thread(&rp->st, ev->tid, g, src, 0);
			p = g;
		}
	}
	kcap_state__kill_other_threads(&rp->st, p, ev->tid, (uint32_t)p->pid);
	if (ppid > 0 && (p->ppid <= 0 || !p->start_ts))
		p->ppid = ppid;
	if (uid != UINT32_MAX)
		p->uid = uid;
	if (get_var(ev, exe_off, &s, &n) || get_var(ev, fn_off, &s, &n))
		kcap_proc__set_str(&p->exe, s, n);
	if (get_var(ev, comm_off, &s, &n)) {
		n = n < sizeof(p->comm) - 1 ? n : sizeof(p->comm) - 1;
		set_comm(p, s, n);
	} else {
		const char *b = strrchr(p->exe, '/');

		b = b ? b + 1 : p->exe;
		n = strlen(b) < 15 ? strlen(b) : 15;
		set_comm(p, b, n);
	}
	if (get_raw(ev, argv_off, &s, &n)) {
		kcap_proc__set_str(&p->argv, s, n);
		p->argv_len = p->argv[0] || n == 0 ? (uint32_t)n : (uint32_t)n;
	}
	if (get_var(ev, cwd_off, &s, &n))
		kcap_proc__set_str(&p->cwd, s, n);
	p->execs++;
	drop_cloexec(p);
	return p;
}

static void do_socket_addrs(struct kcap_fdinfo *f, const struct kcap_hdr *ev,
			    const struct kcap_event_desc *d)
{
	const struct kcap_field_desc *fl = kcap_event_desc__field(d, "laddr"),
				     *fr = kcap_event_desc__field(d, "raddr"),
				     *fa = kcap_event_desc__field(d, "addr");
	const uint8_t *s, *ls = NULL, *rs = NULL;
	size_t n, ln = 0, rn = 0;
	bool named = false;

	if (fl && get_raw(ev, fl->offset, &s, &n) && n >= 2) {
		set_addr(f, true, s, n);
		ls = s, ln = n;
		named = true;
	}
	if (fr && get_raw(ev, fr->offset, &s, &n) && n >= 2) {
		set_addr(f, false, s, n);
		rs = s, rn = n;
		named = true;
	} else if (fa && fa->type == KCAP_T_var &&
		   ev->type == KCAP_EV_connect &&
		   get_raw(ev, fa->offset, &s, &n) && n >= 2) {
		set_addr(f, false, s, n);
		rs = s, rn = n;
		named = true;
	} else if (fa && fa->type == KCAP_T_var && ev->type == KCAP_EV_bind &&
		   get_raw(ev, fa->offset, &s, &n) && n >= 2) {
		set_addr(f, true, s, n);
		ls = s, ln = n;
		named = true;
	}
	/*
	 * A unix socket by the server's name: the peer's for a connect (the
	 * client's own may be an autobound "@0001f"), its own for an accept
	 * or a bind; the other end's where that one has none.
	 */
	if (ev->type == KCAP_EV_accept || ev->type == KCAP_EV_accept4 ||
	    ev->type == KCAP_EV_bind) {
		if (!(ls && unix_name(f, ls, ln)) && rs)
			unix_name(f, rs, rn);
	} else if (!(rs && unix_name(f, rs, rn)) && ls) {
		unix_name(f, ls, ln);
	}
	if (named &&
	    (f->kind == KCAP_FD_UNKNOWN || f->kind == KCAP_FD_SOCK_OTHER)) {
		unsigned int fam = f->rfamily ? f->rfamily : f->lfamily;

		if (fam)
			f->kind = (uint16_t)family_kind(fam);
	}
	if (named)
		name_socket(f);
}

/* State changes that the event itself should already see. */
static struct kcap_proc *apply_pre(struct kcap_replay *rp, struct kcap_proc *p,
				   const struct kcap_hdr *ev,
				   const struct kcap_event_desc *d,
				   uint16_t src)
{
	const struct evinfo *e = &rp->info[ev->type];
	int64_t res;
	struct kcap_fdinfo *f;

	memcpy(&res, ev + 1, 8);
	switch (e->action) {
	case A_OPEN:
		do_open(rp, p, e, ev, res);
		break;
	case A_OPEN_BY_HANDLE: {
		const uint8_t *s;
		size_t n;

		if (res < 0 || !(f = new_fd(p, (int32_t)res, KCAP_FD_FILE, 0)))
			break;
		if (get_var(ev,
			    offsetof(struct kcap_ev_open_by_handle_at, path),
			    &s, &n))
			kcap_fdinfo__init_name(f, (const char *)s, n);
		break;
	}
	case A_SOCKET: {
		const struct kcap_ev_socket *so = (const void *)ev;

		if (res >= 0)
			new_fd(p, (int32_t)res, family_kind(so->domain),
			       so->sock_type != UINT32_MAX &&
				       (so->sock_type & O_CLOEXEC_));
		break;
	}
	case A_SOCKETPAIR: {
		const struct kcap_ev_socketpair *so = (const void *)ev;
		bool ce = so->sock_type != UINT32_MAX &&
			  (so->sock_type & O_CLOEXEC_);

		if (res < 0)
			break;
		new_fd(p, so->fd1, family_kind(so->domain), ce);
		new_fd(p, so->fd2, family_kind(so->domain), ce);
		break;
	}
	case A_CONNECT:
		if (res != 0 && res != -115) /* EINPROGRESS */
			break;
		/* fall through */
	case A_BIND:
	case A_SOCKNAME: {
		int32_t fd = s32_at(ev, e->fdoff);

		if (res < 0 && e->action != A_CONNECT)
			break;
		f = kcap_fdtab__get_mut(&p->fds, fd);
		if (!f)
			f = new_fd(p, fd, KCAP_FD_UNKNOWN, 0);
		if (f)
			do_socket_addrs(f, ev, d);
		break;
	}
	case A_ACCEPT: {
		const struct kcap_ev_accept *a = (const void *)ev;
		const struct kcap_fdinfo *l = kcap_fdtab__get(p->fds, a->fd);
		bool ce = false;

		if (res < 0)
			break;
		if (ev->type == KCAP_EV_accept4) {
			const struct kcap_ev_accept4 *a4 = (const void *)ev;

			ce = a4->flags != UINT32_MAX &&
			     (a4->flags & O_CLOEXEC_);
		}
		f = new_fd(p, (int32_t)res, l ? l->kind : KCAP_FD_UNKNOWN, ce);
		if (f)
			do_socket_addrs(f, ev, d);
		break;
	}
	case A_DUP: {
		const struct kcap_ev_dup3 *du = (const void *)ev;
		const struct kcap_fdinfo *o;
		bool ce = false;

		if (res < 0 || res == du->oldfd)
			break;
		if (ev->type == KCAP_EV_dup3)
			ce = du->flags != UINT32_MAX &&
			     (du->flags & O_CLOEXEC_);
		o = kcap_fdtab__get(p->fds, du->oldfd);
		f = kcap_fdtab__put(&p->fds, (int32_t)res);
		if (!f)
			break;
		/* the table may have moved: look the old one up again */
		o = kcap_fdtab__get(p->fds, du->oldfd);
		if (o)
			kcap_fdinfo__copy(f, o);
		f->cloexec = ce;
		break;
	}
	case A_FCNTL: {
		const struct kcap_ev_fcntl *fc = (const void *)ev;

		if (res < 0)
			break;
		if (fc->cmd == 0 || fc->cmd == 1030) { /* F_DUPFD(_CLOEXEC) */
			f = kcap_fdtab__put(&p->fds, (int32_t)res);
			if (!f)
				break;
			{
				const struct kcap_fdinfo *o =
					kcap_fdtab__get(p->fds, fc->fd);

				if (o)
					kcap_fdinfo__copy(f, o);
			}
			f->cloexec = fc->cmd == 1030;
		} else if (fc->cmd == 2) { /* F_SETFD */
			f = kcap_fdtab__get_mut(&p->fds, fc->fd);
			if (f)
				f->cloexec = fc->arg & 1;
		}
		break;
	}
	case A_PIPE: {
		const struct kcap_ev_pipe2 *pp = (const void *)ev;
		bool ce = ev->type == KCAP_EV_pipe2 &&
			  pp->flags != UINT32_MAX && (pp->flags & O_CLOEXEC_);
		char buf[48];
		int n;

		if (res < 0)
			break;
		if (pp->ino != UINT64_MAX)
			n = snprintf(buf, sizeof(buf), "pipe:[%llu]",
				     (unsigned long long)pp->ino);
		else
			n = snprintf(buf, sizeof(buf), "pipe");
		if ((f = new_fd(p, pp->fd1, KCAP_FD_PIPE, ce))) {
			kcap_fdinfo__init_name(f, buf, (size_t)n);
			f->ino = pp->ino == UINT64_MAX ? 0 : pp->ino;
		}
		if ((f = new_fd(p, pp->fd2, KCAP_FD_PIPE, ce))) {
			kcap_fdinfo__init_name(f, buf, (size_t)n);
			f->ino = pp->ino == UINT64_MAX ? 0 : pp->ino;
		}
		break;
	}
	case A_MEMFD: {
		const struct kcap_ev_memfd_create *m = (const void *)ev;
		const uint8_t *s;
		size_t n;
		char buf[300];

		if (res < 0 ||
		    !(f = new_fd(p, (int32_t)res, KCAP_FD_MEMFD,
				 m->flags != UINT32_MAX && (m->flags & 1))))
			break;
		if (!get_var(ev, offsetof(struct kcap_ev_memfd_create, name),
			     &s, &n)) {
			s = (const uint8_t *)"";
			n = 0;
		}
		if (n > 250)
			n = 250;
		memcpy(buf, "/memfd:", 7);
		memcpy(buf + 7, s, n);
		kcap_fdinfo__init_name(f, buf, n + 7);
		break;
	}
	case A_FDNEW:
		/* bpf(2) returns 0 for commands that make no fd */
		if (res < 0 || (ev->type == KCAP_EV_bpf && res == 0))
			break;
		if (ev->type == KCAP_EV_signalfd ||
		    ev->type == KCAP_EV_signalfd4) {
			const struct kcap_ev_signalfd *sf = (const void *)ev;

			if (sf->fd == res && kcap_fdtab__get(p->fds, sf->fd))
				break; /* changed the mask of an existing one */
		}
		if ((f = new_fd(p, (int32_t)res, e->fdkind, false)))
			anon_name(f, e->fdkind);
		break;
	case A_CLONE:
		do_clone(rp, p, ev, src);
		break;
	case A_EXECVE:
		p = do_execve(rp, p, ev, src);
		break;
	case A_CHDIR: {
		const struct kcap_ev_chdir *c = (const void *)ev;
		const uint8_t *s;
		size_t n;
		char path[PATH_MAX_];

		if (c->res != 0 ||
		    !get_var(ev, offsetof(struct kcap_ev_chdir, path), &s, &n))
			break;
		n = path_join(path, p->cwd, strlen(p->cwd), s, n);
		kcap_proc__set_str(&p->cwd, path, n);
		break;
	}
	case A_FCHDIR: {
		const struct kcap_ev_fchdir *c = (const void *)ev;
		const struct kcap_fdinfo *d2 = kcap_fdtab__get(p->fds, c->fd);

		if (c->res == 0 && d2 && d2->namelen)
			kcap_proc__set_str(&p->cwd, kcap_fdinfo__name(d2),
					   d2->namelen);
		break;
	}
	}
	return p;
}

/* State changes that happen after the event was seen with its old state. */
static void apply_post(struct kcap_replay *rp, struct kcap_proc *p,
		       const struct kcap_hdr *ev)
{
	const struct evinfo *e = &rp->info[ev->type];
	int64_t res;

	memcpy(&res, ev + 1, 8);
	switch (e->action) {
	case A_CLOSE:
		/* close releases the fd even when it fails, but for EBADF */
		if (res != -9)
			kcap_fdtab__del(&p->fds, s32_at(ev, e->fdoff));
		break;
	case A_CLOSE_RANGE: {
		const struct kcap_ev_close_range *c = (const void *)ev;
		uint32_t i = 0;

		if (res != 0 || !p->fds || kcap_fdtab__own(&p->fds))
			break;
		while (i <= p->fds->mask) {
			struct kcap_fdinfo *f = &p->fds->slots[i];

			if (p->fds->keys[i] >= 0 &&
			    (uint32_t)f->fd >= c->first &&
			    (uint32_t)f->fd <= c->last) {
				if (c->flags != UINT32_MAX && (c->flags & 4)) {
					f->cloexec =
						1; /* CLOSE_RANGE_CLOEXEC */
				} else {
					kcap_fdtab__del(&p->fds, f->fd);
					continue;
				}
			}
			i++;
		}
		break;
	}
	case A_PROCEXIT:
		kcap_state__remove_thread(&rp->st, ev->tid);
		break;
	}
}

/* ---- snapshots ------------------------------------------------------------------ */

static void apply_snapshot(struct kcap_replay *rp, uint16_t src,
			   const struct kcap_hdr *rec)
{
	const uint8_t *s;
	size_t n;

	if (rec->type == KCAP_EV_snap_proc) {
		const struct kcap_ev_snap_proc *sp = (const void *)rec;
		int32_t pid = sp->tgid > 0 ? sp->tgid : (int32_t)rec->tid;
		struct kcap_proc *p = kcap_state__proc_get(&rp->st, pid);

		if (!p)
			return;
		kcap_state__set_thread(&rp->st, rec->tid, p, src, rp->st.gen);
		p->snap_ts = rec->ts;
		if (rec->tid != (uint32_t)pid && p->comm[0])
			return; /* the leader said it all */
		p->ppid = sp->ppid;
		p->uid = sp->uid;
		p->start_ts = sp->start_ts == UINT64_MAX ? 0 : sp->start_ts;
		if (get_var(rec, offsetof(struct kcap_ev_snap_proc, comm), &s,
			    &n)) {
			n = n < sizeof(p->comm) - 1 ? n : sizeof(p->comm) - 1;
			set_comm(p, s, n);
		}
		if (get_var(rec, offsetof(struct kcap_ev_snap_proc, exe), &s,
			    &n))
			kcap_proc__set_str(&p->exe, s, n);
		if (get_var(rec, offsetof(struct kcap_ev_snap_proc, cwd), &s,
			    &n))
			kcap_proc__set_str(&p->cwd, s, n);
		if (get_raw(rec, offsetof(struct kcap_ev_snap_proc, argv), &s,
			    &n)) {
			kcap_proc__set_str(&p->argv, s, n);
			p->argv_len = (uint32_t)n;
		}
		if (rec->tid == (uint32_t)pid)
			/* the snapshot lists this process's fds next */
			kcap_fdtab__clear(&p->fds);
	} else if (rec->type == KCAP_EV_snap_fd) {
		const struct kcap_ev_snap_fd *sf = (const void *)rec;
		int32_t pid = sf->tgid > 0 ? sf->tgid : (int32_t)rec->tid;
		struct kcap_proc *p = kcap_state__proc_get(&rp->st, pid);
		struct kcap_fdinfo *f;

		if (!p || !(f = kcap_fdtab__put(&p->fds, sf->fd)))
			return;
		f->kind = sf->kind == UINT32_MAX ? 0 : (uint16_t)sf->kind;
		f->cloexec = sf->flags != UINT32_MAX &&
			     (sf->flags & O_CLOEXEC_);
		f->ino = sf->ino == UINT64_MAX ? 0 : sf->ino;
		if (get_raw(rec, offsetof(struct kcap_ev_snap_fd, laddr), &s,
			    &n))
			set_addr(f, true, s, n);
		if (get_raw(rec, offsetof(struct kcap_ev_snap_fd, raddr), &s,
			    &n))
			set_addr(f, false, s, n);
		if (get_var(rec, offsetof(struct kcap_ev_snap_fd, path), &s,
			    &n) &&
		    n)
			kcap_fdinfo__set_name(f, (const char *)s, n);
		else
			name_socket(f);
	}
}

/*
 * When the state of p is from: ts, or the time its snapshot read it if
 * that is later (the events up to then are in the state already, and a
 * reader of the new snapshot must not apply them again).
 */
static uint64_t snap_time(const struct kcap_proc *p, uint64_t ts)
{
	return p->snap_ts > ts ? p->snap_ts : ts;
}

/*
 * Writes the state as SNAPSHOT records at ts into out (kcap cut): one
 * snap_proc per known thread, then the fds of each process. A process that
 * its input's snapshot read after ts keeps that later time.
 */
int kcap_replay__snapshot_records(struct kcap_replay *rp, uint64_t ts,
				  struct kcap_buf *out)
{
	static uint8_t rec[KCAP_REC_MAX] __attribute__((aligned(8)));
	struct kcap_state *st = &rp->st;
	struct kcap_builder b;
	uint32_t i, j;
	int n;

	for (i = 0; i <= st->thr_mask; i++) {
		struct kcap_ev_snap_proc *sp;
		struct kcap_proc *p = st->thr[i].proc;

		if (!st->thr[i].used)
			continue;
		sp = kcap_builder__start(&b, rec, sizeof(rec), rp->schema,
					 KCAP_EV_snap_proc, st->thr[i].tid,
					 snap_time(p, ts));
		if (!sp)
			return b.err;
		sp->tgid = p->pid;
		sp->ppid = p->ppid;
		sp->uid = p->uid;
		if (p->start_ts)
			sp->start_ts = p->start_ts;
		kcap_builder__var(&b, offsetof(struct kcap_ev_snap_proc, comm),
				  p->comm, strlen(p->comm));
		kcap_builder__var(&b, offsetof(struct kcap_ev_snap_proc, exe),
				  p->exe, strlen(p->exe));
		kcap_builder__var(&b, offsetof(struct kcap_ev_snap_proc, argv),
				  p->argv, p->argv_len);
		kcap_builder__var(&b, offsetof(struct kcap_ev_snap_proc, cwd),
				  p->cwd, strlen(p->cwd));
		n = kcap_builder__finish(&b);
		if (n < 0)
			return n;
		kcap_buf__write(out, rec, (size_t)n);
	}
	for (i = 0; i <= st->proc_mask; i++) {
		struct kcap_proc *p = st->procs[i].proc;

		if (!st->procs[i].used || !p->fds)
			continue;
		for (j = 0; j <= p->fds->mask; j++) {
			const struct kcap_fdinfo *f = &p->fds->slots[j];
			struct kcap_ev_snap_fd *sf;
			uint8_t sa[28];

			if (p->fds->keys[j] < 0)
				continue;
			sf = kcap_builder__start(&b, rec, sizeof(rec),
						 rp->schema, KCAP_EV_snap_fd,
						 (uint32_t)p->pid,
						 snap_time(p, ts));
			if (!sf)
				return b.err;
			sf->tgid = p->pid;
			sf->fd = f->fd;
			sf->kind = f->kind;
			sf->flags = f->cloexec ? O_CLOEXEC_ : 0;
			if (f->ino)
				sf->ino = f->ino;
			if (f->namelen && f->lfamily != 2 && f->lfamily != 10 &&
			    f->rfamily != 2 && f->rfamily != 10)
				kcap_builder__var(
					&b,
					offsetof(struct kcap_ev_snap_fd, path),
					kcap_fdinfo__name(f), f->namelen);
			for (int end = 0; end < 2; end++) {
				unsigned int fam = end ? f->rfamily :
							 f->lfamily;
				const uint8_t *a = end ? f->raddr : f->laddr;
				unsigned int port = end ? f->rport : f->lport;
				size_t len;

				if (fam != 2 && fam != 10)
					continue;
				memset(sa, 0, sizeof(sa));
				sa[0] = (uint8_t)fam;
				sa[2] = (uint8_t)(port >> 8);
				sa[3] = (uint8_t)port;
				if (fam == 2) {
					memcpy(sa + 4, a, 4);
					len = 16;
				} else {
					memcpy(sa + 8, a, 16);
					len = 28;
				}
				kcap_builder__var(
					&b,
					end ? offsetof(struct kcap_ev_snap_fd,
						       raddr) :
					      offsetof(struct kcap_ev_snap_fd,
						       laddr),
					sa, len);
			}
			n = kcap_builder__finish(&b);
			if (n < 0)
				return n;
			kcap_buf__write(out, rec, (size_t)n);
		}
	}
	return out->err;
}

/* ---- the loop ----------------------------------------------------------------------- */

/* After a record the reader did not hand out: the end, or a bad block. */
static __attribute__((noinline)) int input_next_slow(struct kcap_replay *rp,
						     struct input *in, int err)
{
	/* continue reads the next record */
	for (;; err = kcap_reader__next_record(in->r, &in->head)) {
		if (err > 0)
			return 1;
		if (err == -EBADMSG || err == -EPROTONOSUPPORT) {
			/* a corrupt block: the reader goes on past it */
			struct kcap_read_status st;

			kcap_reader__status(in->r, &st);
			if (st.end == KCAP_END_NONE)
				continue;
		}
		if (err < 0 && err != -EBADMSG && err != -EPROTONOSUPPORT)
			rp_fail(rp, err, "%s: %s", in->name,
				kcap_reader__errmsg(in->r));
		if (rp->opts.follow && !rp->stop) {
			struct kcap_read_status st;

			kcap_reader__status(in->r, &st);
			if (st.end == KCAP_END_NO_FOOTER ||
			    st.end == KCAP_END_TRUNCATED) {
				struct timespec ts = { 0, 100 * 1000000 };

				nanosleep(&ts, NULL);
				if (kcap_reader__resume(in->r) == 0)
					continue;
			}
		}
		in->head = NULL;
		in->done = true;
		return 0;
	}
}

static inline int input_next(struct kcap_replay *rp, struct input *in)
{
	int err = kcap_reader__next_record(in->r, &in->head);

	if (__builtin_expect(err > 0, 1))
		return 1;
	return input_next_slow(rp, in, err);
}

static void end_snapshot(struct kcap_replay *rp, uint16_t src, struct input *in)
{
	in->in_snap = false;
	kcap_state__sweep(&rp->st, src, rp->st.gen);
}

/*
 * The index finds the first block that may hold events at or after since,
 * and the last SNAPSHOT before it, which seeds the state (FORMAT.md 4.6):
 * kcap_reader__seek_snapshot() goes to that snapshot, its records are
 * applied, and kcap_reader__seek_ts() jumps over the blocks between it and
 * the first block in range. Those blocks are not read: a seek costs the
 * snapshot and the index, never a scan, and what happened between the
 * keyframe and the seek point is not known (as after any keyframe seek).
 */
static int seek_input(struct kcap_replay *rp, struct input *in, uint16_t src)
{
	uint64_t evoff, seq = 0;
	int err = kcap_reader__seek_snapshot(in->r, rp->opts.since, &evoff);

	if (err == -ESPIPE)
		return 0; /* a pipe: read from the start, state only */
	if (err)
		return rp_fail(rp, err, "%s: cannot seek: %s", in->name,
			       kcap_reader__errmsg(in->r));
	if (evoff == UINT64_MAX && !rp->opts.follow && !rp->opts.exact_seek) {
		in->done = true; /* nothing at or after since */
		return 0;
	}
	/*
	 * Read on from the snapshot, state only up to since; so does --follow
	 * when since is past what was written yet: what comes is in range.
	 * An exact seek past the end reads to it, for the state at since (a
	 * cut's snapshot).
	 */
	if (rp->opts.exact_seek || evoff == UINT64_MAX)
		return 0;
	/*
	 * The snapshot's blocks, up to the first block in range: one, or
	 * several where it was cut (the later ones CONTINUED). Record by
	 * record through the reader, which presents a record of an older
	 * schema at this build's size: walked by hand, those were skipped,
	 * and the sweep then retired every process the snapshot held.
	 */
	for (bool in_snap = false;;) {
		const struct kcap_block *blk = NULL;
		const struct kcap_hdr *h;
		const struct kcap_event_desc *d;

		if (kcap_reader__next_record(in->r, &h) == 1)
			blk = kcap_reader__block(in->r);
		if (!blk || blk->offset >= evoff ||
		    blk->type != KCAP_BLOCK_SNAPSHOT) {
			/* none before: the block read is the first in range */
			if (in_snap)
				kcap_state__sweep(&rp->st, src, rp->st.gen);
			break;
		}
		if (!in_snap || (blk->seq != seq &&
				 !(blk->flags & KCAP_BLOCK_FLAG_CONTINUED))) {
			if (in_snap)
				kcap_state__sweep(&rp->st, src, rp->st.gen);
			rp->st.gen++;
			in_snap = true;
		}
		seq = blk->seq;
		d = h->type < rp->limit ? rp->descs[h->type] : NULL;
		if (d && h->len >= d->size)
			apply_snapshot(rp, src, h);
	}
	err = kcap_reader__seek_ts(in->r, rp->opts.since);
	if (err)
		return rp_fail(rp, err, "%s: cannot seek: %s", in->name,
			       kcap_reader__errmsg(in->r));
	return 0;
}

static int dispatch_loss(struct kcap_replay *rp, uint16_t src,
			 const struct kcap_hdr *rec)
{
	const struct kcap_ev_loss *l = (const void *)rec;
	struct kcap_loss_ctx lc = { .loss = l, .src = src };
	unsigned int i;
	int err;

	if (rp->opts.until && rec->ts > rp->opts.until)
		return 0;
	if (rp->opts.since && l->end_ts != UINT64_MAX &&
	    l->end_ts < rp->opts.since)
		return 0;
	if (l->count != UINT64_MAX)
		rp->stats.lost += l->count;
	if (l->count != UINT64_MAX && l->reason == KCAP_LOSS_DEDUP)
		rp->stats.folded += l->count;
	/* dedup's events stand in repeat records: not in what was missed */
	if (l->reason != KCAP_LOSS_DEDUP) {
		rp->stats.loss_records++;
		if (!rp->stats.first_loss_ts ||
		    rec->ts < rp->stats.first_loss_ts)
			rp->stats.first_loss_ts = rec->ts;
		if (l->end_ts != UINT64_MAX &&
		    l->end_ts > rp->stats.last_loss_end)
			rp->stats.last_loss_end = l->end_ts;
	}
	for (i = 0; i < rp->nan; i++)
		if (rp->an[i].ops->on_loss &&
		    (err = rp->an[i].ops->on_loss(rp->an[i].state, &lc)) < 0)
			return err;
	return 0;
}

/* The event's fd number and what the state knows of it. */
static inline void resolve_fd(const struct evinfo *e,
			      const struct kcap_hdr *rec,
			      const struct kcap_proc *p,
			      struct kcap_event_ctx *c)
{
	if (e->fdsrc == FDS_RES) {
		int64_t res;

		memcpy(&res, rec + 1, 8);
		if (res >= 0 && res <= INT32_MAX)
			c->fdnum = (int32_t)res;
	} else if (e->fdsrc == FDS_FIELD) {
		c->fdnum = s32_at(rec, e->fdoff);
		if (c->fdnum < 0)
			c->fdnum = -1;
	}
	if (c->fdnum >= 0)
		c->fd = kcap_fdtab__get(p->fds, c->fdnum);
}

/* kcap_filter__match(), with its two commonest roots decided here. */
static inline bool filter_match(struct kcap_replay *rp,
				const struct kcap_event_ctx *c)
{
	const struct kcap_filter_fast *ff = &rp->ff;

	if (!rp->filter)
		return true;
	switch (ff->kind) {
	case KCAP_FF_NAME: {
		/* as the evaluator's N_NAME_EQ: comm is zero-padded */
		uint64_t a[4];

		if (!c->proc)
			return false;
		memcpy(a, c->proc->comm, sizeof(a));
		return !((a[0] ^ ff->words[0]) | (a[1] ^ ff->words[1]) |
			 (a[2] ^ ff->words[2]) | (a[3] ^ ff->words[3])) !=
		       ff->negate;
	}
	case KCAP_FF_TYPES: {
		unsigned int t = c->ev->type;
		bool in = t < ff->limit && (ff->types[t / 64] >> (t % 64)) & 1;

		return in != ff->negate;
	}
	default:
		return kcap_filter__match(rp->filter, c);
	}
}

/*
 * A record of a SNAPSHOT, LOSS or MACHINE block, or a record of a meta
 * type in an EVENTS block: 1 if it is to be handled as an event.
 */
static __attribute__((noinline)) int handle_meta(struct kcap_replay *rp,
						 uint16_t src, struct input *in,
						 const struct kcap_hdr *rec)
{
	const struct kcap_block *blk = kcap_reader__block(in->r);
	int err;

	if (blk->type == KCAP_BLOCK_SNAPSHOT) {
		/* a CONTINUED block's records belong to the snapshot before */
		if (!in->in_snap ||
		    (blk->seq != in->snap_seq &&
		     !(blk->flags & KCAP_BLOCK_FLAG_CONTINUED))) {
			if (in->in_snap)
				end_snapshot(rp, src, in);
			in->in_snap = true;
			in->snap_seq = blk->seq;
			rp->st.gen++;
		}
		apply_snapshot(rp, src, rec);
		if (rp->meta_hook &&
		    (err = rp->meta_hook(rp->meta_arg, src, rec)) < 0)
			return err;
		return 0;
	}
	if (in->in_snap)
		end_snapshot(rp, src, in);
	if (blk->type == KCAP_BLOCK_LOSS) {
		if (rp->raw_hook &&
		    (err = rp->raw_hook(rp->raw_arg, src, rec, true)) < 0)
			return err;
		return dispatch_loss(rp, src, rec);
	}
	/* kcap cut takes a pipe's from here: it cannot be read twice */
	if (blk->type == KCAP_BLOCK_MACHINE) {
		if (rp->meta_hook &&
		    (err = rp->meta_hook(rp->meta_arg, src, rec)) < 0)
			return err;
		return 0;
	}
	return 1;
}

/*
 * One record. Inlined into the loops of kcap_replay__run(): this is the
 * path every event takes, so what is rare (meta records, ranges, hooks,
 * unknown types) is tested once and handled out of line.
 */
static inline __attribute__((always_inline)) int
handle(struct kcap_replay *rp, uint16_t src, struct input *in,
       const struct kcap_hdr *rec)
{
	static const struct evinfo none;
	struct kcap_event_ctx c;
	const struct evinfo *e;
	struct kcap_proc *p;
	bool in_range = true, act;
	unsigned int i;
	int err;

	rp->stats.records++;
	/* meta records mean something only in their own kind of block */
	if (__builtin_expect(rec->type >= KCAP_EV_machine &&
				     rec->type <= KCAP_EV_loss,
			     0) &&
	    (err = handle_meta(rp, src, in, rec)) <= 0)
		return err;
	if (__builtin_expect(in->in_snap, 0))
		end_snapshot(rp, src, in);
	rp->stats.events++;
	if (__builtin_expect(rec->ts < rp->ts_lo || rec->ts > rp->ts_hi, 0))
		in_range = false;
	if (__builtin_expect(rec->type < rp->limit, 1)) {
		e = &rp->info[rec->type];
		c.desc = rp->descs[rec->type];
	} else {
		/* a type this build does not know: no state to apply */
		e = &none;
		c.desc = NULL;
	}
	if (rp->raw_hook &&
	    (err = rp->raw_hook(rp->raw_arg, src, rec, in_range)) < 0)
		return err;
	p = kcap_state__thread_fast(&rp->st, rec->tid, src);
	if (!p)
		return rp_fail(rp, -ENOMEM, "out of memory");
	if (__builtin_expect(!c.desc, 0))
		c.desc = kcap_schema__event(kcap_reader__schema(in->r),
					    rec->type);
	/*
	 * An event stamped before its process's snapshot was read is already
	 * in that snapshot (the recorder reads /proc while events happen):
	 * applying it again would, for one, count a relative chdir twice.
	 * Two kinds change other than what was read: a fork makes a child
	 * the snapshot may not list (do_clone() checks when it does), and an
	 * exit retires a thread the snapshot did not list. One it listed was
	 * alive when read: its earlier exit is of another thread of that tid
	 * (the leader an exec from another thread killed, whose tid the
	 * exec then took).
	 */
	act = e->action && (__builtin_expect(rec->ts >= p->snap_ts, 1) ||
			    e->action == A_CLONE ||
			    (e->action == A_PROCEXIT &&
			     !kcap_state__listed(&rp->st, rec->tid)));
	if (act)
		p = apply_pre(rp, p, rec, c.desc, src);
	if (in_range) {
		bool fd_done = false;

		if (!rp->first_ts)
			rp->first_ts = rec->ts;
		c.ev = rec;
		c.proc = p;
		c.src = src;
		c.rp = rp;
		c.num = rp->stats.events;
		c.fdnum = -1;
		c.fd = NULL;
		/*
		 * The fd's entry is a load from the process's table, often a
		 * cache miss: made only for a filter that reads fd fields and
		 * for the analyzers, never for an event nobody looks at.
		 */
		if (rp->ff.needs_fd) {
			resolve_fd(e, rec, p, &c);
			fd_done = true;
		}
		if (filter_match(rp, &c)) {
			rp->stats.matched++;
			if (rp->nan && !fd_done)
				resolve_fd(e, rec, p, &c);
			for (i = 0; i < rp->nan; i++)
				if ((err = rp->an[i].ops->on_event(
					     rp->an[i].state, &c)) < 0)
					return rp_fail(rp, err,
						       "analyzer %s: %s",
						       rp->an[i].ops->name,
						       strerror(-err));
			if (rp->opts.max_events &&
			    rp->stats.matched >= rp->opts.max_events)
				rp->stop = 1;
		}
	}
	if (act)
		apply_post(rp, p, rec);
	return 0;
}

static int finish_all(struct kcap_replay *rp, int err)
{
	unsigned int i;

	for (i = 0; i < rp->nan; i++) {
		int e2 = rp->an[i].ops->finish(rp->an[i].state);

		if (e2 < 0 && !err)
			err = rp_fail(rp, e2, "analyzer %s failed: %s",
				      rp->an[i].ops->name, strerror(-e2));
	}
	rp->nan = 0;
	return err;
}

int kcap_replay__run(struct kcap_replay *rp)
{
	uint64_t until = rp->opts.until ? rp->opts.until : UINT64_MAX;
	uint32_t i;
	int err = 0;

	for (i = 0; i < rp->nin && rp->opts.since; i++)
		if ((err = seek_input(rp, &rp->in[i], (uint16_t)i)))
			return finish_all(rp, err);
	for (i = 0; i < rp->nin; i++)
		if (!rp->in[i].done)
			input_next(rp, &rp->in[i]);
	if (rp->nin == 1) {
		/* one input: no merge */
		struct input *in = &rp->in[0];

		while (in->head && !rp->stop) {
			if (in->head->ts > until &&
			    in->head->type != KCAP_EV_snap_proc &&
			    in->head->type != KCAP_EV_snap_fd &&
			    kcap_reader__block(in->r)->first_ts > until)
				break;
			if ((err = handle(rp, 0, in, in->head)) < 0)
				break;
			input_next(rp, in);
		}
		if (in->in_snap)
			end_snapshot(rp, 0, in);
		return finish_all(rp, err < 0 ? err : 0);
	}
	while (!rp->stop) {
		struct input *best = NULL;
		uint32_t bi = 0;

		for (i = 0; i < rp->nin; i++) {
			const struct kcap_hdr *h = rp->in[i].head;

			if (!h)
				continue;
			/* snapshots and losses go first: they are about what follows */
			if (!best || h->ts < best->head->ts ||
			    (h->ts == best->head->ts &&
			     h->type < best->head->type)) {
				best = &rp->in[i];
				bi = i;
			}
		}
		if (!best)
			break;
		if (best->head->ts > until &&
		    kcap_reader__block(best->r)->first_ts > until) {
			best->head = NULL;
			continue;
		}
		if ((err = handle(rp, (uint16_t)bi, best, best->head)) < 0)
			break;
		input_next(rp, best);
	}
	for (i = 0; i < rp->nin; i++)
		if (rp->in[i].in_snap)
			end_snapshot(rp, (uint16_t)i, &rp->in[i]);
	return finish_all(rp, err < 0 ? err : 0);
}
