/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Engine state: threads, processes and their fds, in open-addressing hash
 * tables (linear probing, backward-shift deletion: no tombstones, so a
 * table that sees millions of inserts and deletes never slows down).
 */
#ifndef KCAP_REPLAY_STATE_H
#define KCAP_REPLAY_STATE_H

#include "internal.h"

/*
 * The fd numbers sit in their own array, apart from the entries: a lookup
 * of an fd the table does not hold (common: the fd was opened before the
 * capture) probes 4-byte keys, a few to a cache line, not 160-byte entries.
 */
struct kcap_fdtab {
	int32_t *keys; /* -1: empty */
	struct kcap_fdinfo *slots; /* slots[i].fd == keys[i] */
	uint32_t mask; /* capacity - 1 */
	uint32_t count;
	/*
	 * Processes sharing this table: fork shares it, and the first change
	 * on either side copies it (most children exec or exit first).
	 */
	uint32_t refs;
};

struct thr_slot {
	uint32_t tid;
	uint8_t used;
	uint16_t src;
	uint32_t gen; /* snapshot generation that last saw it */
	struct kcap_proc *proc;
};

struct proc_slot {
	int32_t pid;
	uint8_t used;
	struct kcap_proc *proc;
};

struct kcap_state {
	struct thr_slot *thr;
	uint32_t thr_mask, thr_count;
	struct proc_slot *procs;
	uint32_t proc_mask, proc_count;
	/* the last thread looked up: events come in runs from one thread */
	uint32_t cache_tid;
	struct kcap_proc *cache_proc;
	uint32_t gen;
};

int kcap_state__init(struct kcap_state *s);
void kcap_state__free(struct kcap_state *s);
struct kcap_proc *kcap_state__proc(struct kcap_state *s, int32_t pid);
/* The thread's process, creating both if the tid is new. */
struct kcap_proc *kcap_state__thread(struct kcap_state *s, uint32_t tid,
				     uint16_t src);
/*
 * kcap_state__thread() for the engine's per-event path: the last thread,
 * then the slot the tid hashes to (dense tids: almost always the one),
 * and only then the call.
 */
static inline struct kcap_proc *
kcap_state__thread_fast(struct kcap_state *s, uint32_t tid, uint16_t src)
{
	const struct thr_slot *t;

	if (s->cache_tid == tid && s->cache_proc)
		return s->cache_proc;
	t = &s->thr[tid & s->thr_mask];
	if (t->tid == tid && t->used) {
		s->cache_tid = tid;
		s->cache_proc = t->proc;
		return t->proc;
	}
	return kcap_state__thread(s, tid, src);
}
/* Process pid, created (with no thread) if missing. */
struct kcap_proc *kcap_state__proc_get(struct kcap_state *s, int32_t pid);
/* Sets tid to belong to p (retiring what the tid was before). */
void kcap_state__set_thread(struct kcap_state *s, uint32_t tid,
			    struct kcap_proc *p, uint16_t src, uint32_t gen);
/* Whether a snapshot listed tid (and no event has set it since). */
bool kcap_state__listed(struct kcap_state *s, uint32_t tid);
void kcap_state__remove_thread(struct kcap_state *s, uint32_t tid);
/*
 * Removes every thread of p but keep_tid and keep_tid2 (exec kills the
 * others; the leader's tid lives on in the thread that called exec).
 */
void kcap_state__kill_other_threads(struct kcap_state *s, struct kcap_proc *p,
				    uint32_t keep_tid, uint32_t keep_tid2);
/* Retires threads of input src not seen by snapshot generation gen. */
void kcap_state__sweep(struct kcap_state *s, uint16_t src, uint32_t gen);

struct kcap_fdinfo *kcap_fdtab__get(struct kcap_fdtab *t, int32_t fd);
/* As get, for changing the entry: the table is made private first. */
struct kcap_fdinfo *kcap_fdtab__get_mut(struct kcap_fdtab **t, int32_t fd);
/* A fresh entry for fd, replacing what was there. NULL on ENOMEM. */
struct kcap_fdinfo *kcap_fdtab__put(struct kcap_fdtab **t, int32_t fd);
void kcap_fdtab__del(struct kcap_fdtab **t, int32_t fd);
void kcap_fdtab__clear(struct kcap_fdtab **t);
/* Drops this reference to the table. */
void kcap_fdtab__free(struct kcap_fdtab *t);
/* Another reference to t, copied on the first change (fork). */
struct kcap_fdtab *kcap_fdtab__dup(struct kcap_fdtab *t);
/* Makes *t private to its holder; -ENOMEM. */
int kcap_fdtab__own(struct kcap_fdtab **t);
void kcap_fdinfo__set_name(struct kcap_fdinfo *f, const char *s, size_t n);
/*
 * As set_name, for an entry fresh from kcap_fdtab__put() (no name yet).
 * It does not read the old name: put has just cleared the entry with
 * stores that a load of it, so soon after, cannot take its value from
 * (a store-forwarding stall, most of the cost of an open).
 */
void kcap_fdinfo__init_name(struct kcap_fdinfo *f, const char *s, size_t n);
/* Drops the names cached for sharing (kcap_replay__free). */
void kcap_names__flush(void);
/* Copies src into dst (fd number excepted), name included. */
void kcap_fdinfo__copy(struct kcap_fdinfo *dst, const struct kcap_fdinfo *src);

void kcap_proc__set_str(char **dst, const void *s, size_t n);

#endif
