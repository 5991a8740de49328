/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The replay engine: reads captures (several merged by time), keeps the
 * state of threads, processes and fds, filters events and hands each one,
 * with its process and fd resolved, to analyzers.
 *
 * Conventions as in libkcap (kcap.h): opaque engine, options structs with
 * their size first, -errno returns, and the library never prints except
 * through the FILE an analyzer is given by its caller.
 *
 * An analyzer is three calls (struct kcap_analyzer_ops). A shared object
 * becomes one by exporting
 *
 *     const struct kcap_analyzer_ops *kcap_analyzer(void);
 *
 * and is loaded with `kcap read --analyzer ./my.so[:ARGS]`.
 */
#ifndef KCAP_REPLAY_H
#define KCAP_REPLAY_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "kcap/kcap.h"

#ifdef __cplusplus
extern "C" {
#endif

#define KCAP_REPLAY_API_VERSION 1

/* One open fd of a process, as the engine knows it. */
struct kcap_fdinfo {
	int32_t fd;
	uint16_t kind; /* enum kcap_fd_kind */
	uint8_t cloexec;
	uint8_t lfamily,
		rfamily; /* AF_INET (2), AF_INET6 (10), AF_UNIX (1), 0 */
	uint16_t lport, rport;
	uint32_t namelen;
	uint64_t ino;
	/*
	 * "/etc/passwd", "127.0.0.1:5000->10.0.0.1:443", "pipe:[1234]" or "":
	 * NUL-terminated, shared (reference-counted) between the copies
	 * fork makes, so use kcap_fdinfo__name() and never change it.
	 */
	const char *name;
	uint8_t laddr[16], raddr[16]; /* network byte order */
};

static inline const char *kcap_fdinfo__name(const struct kcap_fdinfo *f)
{
	return f->name ? f->name : "";
}

struct kcap_fdtab; /* private */

/* A process (thread group). Strings are NUL-terminated, never NULL. */
struct kcap_proc {
	int32_t pid, ppid;
	uint32_t uid;
	uint32_t nthreads;
	uint64_t start_ts; /* 0: not known (it was there before the capture) */
	char comm[32];
	char *exe, *cwd;
	char *argv; /* NUL-separated, argv_len bytes */
	uint32_t argv_len;
	uint32_t execs; /* execve calls seen */
	struct kcap_fdtab *fds; /* private */
	uint32_t *tids; /* private: the threads, nthreads of them */
	uint32_t tids_cap;
	/*
	 * When the last SNAPSHOT read this process (0: none did). Its events
	 * stamped earlier are already in what was read: replay shows them
	 * with this state and does not apply them again.
	 */
	uint64_t snap_ts;
};

struct kcap_replay;

/* What an analyzer sees of one event. Pointers are borrowed for the call. */
struct kcap_event_ctx {
	const struct kcap_hdr *ev;
	const struct kcap_event_desc *desc; /* NULL: a type no schema names */
	struct kcap_proc *proc; /* never NULL for events of a thread */
	const struct kcap_fdinfo *fd; /* the event's fd, NULL if none known */
	int32_t fdnum; /* the event's fd number, -1 if it has none */
	uint32_t src; /* which input, from 0 */
	uint64_t num; /* event number, from 1, over all inputs */
	struct kcap_replay *rp;
};

/* Events that were not recorded (a `loss` record), with where it came from. */
struct kcap_loss_ctx {
	const struct kcap_ev_loss *loss;
	uint32_t src;
};

struct kcap_analyzer_env {
	size_t sz;
	FILE *out; /* where finish() (and a printer, on_event) writes */
	bool json; /* print results as JSON instead of text */
	const char *args; /* the text after ':' in NAME:ARGS, or NULL */
	size_t : 0;
};

struct kcap_analyzer_ops {
	size_t sz;
	const char *name;
	const char *help; /* one line */
	/* Returns the analyzer's state, or NULL with errno set. */
	void *(*init)(struct kcap_replay *rp,
		      const struct kcap_analyzer_env *env);
	/* Events that passed the filter. A negative return stops the replay. */
	int (*on_event)(void *state, const struct kcap_event_ctx *ctx);
	/* LOSS records in range (optional). */
	int (*on_loss)(void *state, const struct kcap_loss_ctx *l);
	/* At the end: print the results and free the state. */
	int (*finish)(void *state);
};

typedef const struct kcap_analyzer_ops *(*kcap_analyzer_entry_fn)(void);

struct kcap_replay_opts {
	size_t sz;
	uint64_t since, until; /* event ts bounds in ns; 0: none */
	bool follow; /* wait for more at the end of a file still written */
	uint64_t max_events; /* stop after this many events matched; 0: all */
	/*
	 * With since: also replay, for their state only, the events between
	 * the SNAPSHOT that seeds the state and since (exact fds and
	 * processes at since, at the cost of reading those blocks); by
	 * default they are skipped.
	 */
	bool exact_seek;
	size_t : 0;
};

struct kcap_replay *kcap_replay__new(const struct kcap_replay_opts *opts);
void kcap_replay__free(struct kcap_replay *rp);
/* path "-" is stdin. Inputs are merged by timestamp. */
int kcap_replay__add_input(struct kcap_replay *rp, const char *path);
/* An input already open (the caller keeps ownership of the reader). */
int kcap_replay__add_reader(struct kcap_replay *rp, struct kcap_reader *r,
			    const char *name);
/* Compiles a filter; on error, -EINVAL and a message naming the column. */
int kcap_replay__set_filter(struct kcap_replay *rp, const char *expr);
int kcap_replay__add_analyzer(struct kcap_replay *rp,
			      const struct kcap_analyzer_ops *ops,
			      const struct kcap_analyzer_env *env);
/* Runs to the end (or until, or max_events, or a stop). */
int kcap_replay__run(struct kcap_replay *rp);
/* Makes run() return at the next event (signal-safe). */
void kcap_replay__stop(struct kcap_replay *rp);
const char *kcap_replay__errmsg(const struct kcap_replay *rp);

/* Looking around from an analyzer. */
struct kcap_proc *kcap_replay__proc(struct kcap_replay *rp, int32_t pid);
const struct kcap_fdinfo *
kcap_replay__fd(struct kcap_replay *rp, const struct kcap_proc *p, int32_t fd);
/* Calls fn for each open fd of p; a non-zero return stops the walk. */
int kcap_replay__for_each_fd(struct kcap_replay *rp, const struct kcap_proc *p,
			     int (*fn)(const struct kcap_fdinfo *f, void *arg),
			     void *arg);
/* Calls fn for each live process; a non-zero return stops the walk. */
int kcap_replay__for_each_proc(struct kcap_replay *rp,
			       int (*fn)(struct kcap_proc *p, void *arg),
			       void *arg);
const char *kcap_replay__input_name(const struct kcap_replay *rp, uint32_t src);
uint32_t kcap_replay__inputs(const struct kcap_replay *rp);
/* ts of the first event replayed (0 before any). */
uint64_t kcap_replay__first_ts(const struct kcap_replay *rp);

struct kcap_replay_stats {
	uint64_t records; /* all records read */
	uint64_t events; /* event records */
	uint64_t matched; /* events that passed the filter */
	uint64_t lost; /* events LOSS records say were not recorded */
	/*
	 * The LOSS records of events that were missed, and their window:
	 * those of reason dedup (see folded) left out
	 */
	uint64_t loss_records;
	uint64_t first_loss_ts, last_loss_end;
	uint64_t threads, procs; /* live now */
	uint64_t corrupt_blocks, missing_blocks;
	uint32_t truncated_inputs; /* inputs that did not end cleanly */
	/*
	 * Of lost: events --dedup-ms folded (LOSS reason dedup), which
	 * repeat records stand for where their runs ended
	 */
	uint64_t folded;
};
void kcap_replay__stats(const struct kcap_replay *rp,
			struct kcap_replay_stats *st);

/* Built-in analyzers. */
extern const struct kcap_analyzer_ops kcap_analyzer_summary;
extern const struct kcap_analyzer_ops kcap_analyzer_proctree;
extern const struct kcap_analyzer_ops kcap_analyzer_files;
extern const struct kcap_analyzer_ops kcap_analyzer_net;
const struct kcap_analyzer_ops *kcap_analyzer__builtin(const char *name);

#ifdef __cplusplus
}
#endif

#endif /* KCAP_REPLAY_H */
