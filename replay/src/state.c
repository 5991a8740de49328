// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Thread, process and fd tables of the replay engine (see state.h). */
#include <sys/mman.h>
#include <xxhash.h>

#include "state.h"

/*
 * Thread and process ids are small, dense numbers handed out in order: as
 * their own hash they spread without collisions and keep neighbours close.
 * kcap_state__thread_fast() (state.h) relies on it: it probes tid & mask.
 */
static inline uint32_t hash32(uint32_t k)
{
	return k;
}

/* ---- processes --------------------------------------------------------------- */

static const char empty[1];

void kcap_proc__set_str(char **dst, const void *s, size_t n)
{
	char *p;

	if (*dst != empty)
		free(*dst);
	*dst = (char *)empty;
	if (!n)
		return;
	p = malloc(n + 1);
	if (!p)
		return;
	memcpy(p, s, n);
	p[n] = 0;
	*dst = p;
}

static struct kcap_proc *proc_new(int32_t pid)
{
	struct kcap_proc *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->pid = pid;
	p->ppid = -1;
	p->uid = UINT32_MAX;
	p->exe = p->cwd = p->argv = (char *)empty;
	return p;
}

static void proc_free(struct kcap_proc *p)
{
	if (p->exe != empty)
		free(p->exe);
	if (p->cwd != empty)
		free(p->cwd);
	if (p->argv != empty)
		free(p->argv);
	kcap_fdtab__free(p->fds);
	free(p->tids);
	free(p);
}

static int proc_grow(struct kcap_state *s)
{
	uint32_t ncap = (s->proc_mask + 1) * 2, i;
	struct proc_slot *n = calloc(ncap, sizeof(*n)), *o = s->procs;

	if (!n)
		return -ENOMEM;
	for (i = 0; i <= s->proc_mask; i++) {
		uint32_t j;

		if (!o[i].used)
			continue;
		j = hash32((uint32_t)o[i].pid) & (ncap - 1);
		while (n[j].used)
			j = (j + 1) & (ncap - 1);
		n[j] = o[i];
	}
	free(o);
	s->procs = n;
	s->proc_mask = ncap - 1;
	return 0;
}

struct kcap_proc *kcap_state__proc(struct kcap_state *s, int32_t pid)
{
	uint32_t i = hash32((uint32_t)pid) & s->proc_mask;

	while (s->procs[i].used) {
		if (s->procs[i].pid == pid)
			return s->procs[i].proc;
		i = (i + 1) & s->proc_mask;
	}
	return NULL;
}

struct kcap_proc *kcap_state__proc_get(struct kcap_state *s, int32_t pid)
{
	struct kcap_proc *p = kcap_state__proc(s, pid);
	uint32_t i;

	if (p)
		return p;
	if ((s->proc_count + 1) * 2 > s->proc_mask + 1 && proc_grow(s))
		return NULL;
	p = proc_new(pid);
	if (!p)
		return NULL;
	i = hash32((uint32_t)pid) & s->proc_mask;
	while (s->procs[i].used)
		i = (i + 1) & s->proc_mask;
	s->procs[i].used = 1;
	s->procs[i].pid = pid;
	s->procs[i].proc = p;
	s->proc_count++;
	return p;
}

static void proc_remove(struct kcap_state *s, struct kcap_proc *p)
{
	uint32_t i = hash32((uint32_t)p->pid) & s->proc_mask, j;

	while (s->procs[i].used && s->procs[i].proc != p)
		i = (i + 1) & s->proc_mask;
	if (!s->procs[i].used)
		return;
	/* backward shift: pull later entries of the run into the hole */
	j = i;
	for (;;) {
		uint32_t k;

		j = (j + 1) & s->proc_mask;
		if (!s->procs[j].used)
			break;
		k = hash32((uint32_t)s->procs[j].pid) & s->proc_mask;
		if ((j > i && (k <= i || k > j)) ||
		    (j < i && (k <= i && k > j))) {
			s->procs[i] = s->procs[j];
			i = j;
		}
	}
	s->procs[i].used = 0;
	s->proc_count--;
	if (s->cache_proc == p)
		s->cache_proc = NULL;
	proc_free(p);
}

/* ---- threads ----------------------------------------------------------------- */

static int thr_grow(struct kcap_state *s)
{
	uint32_t ncap = (s->thr_mask + 1) * 2, i;
	struct thr_slot *n = calloc(ncap, sizeof(*n)), *o = s->thr;

	if (!n)
		return -ENOMEM;
	for (i = 0; i <= s->thr_mask; i++) {
		uint32_t j;

		if (!o[i].used)
			continue;
		j = hash32(o[i].tid) & (ncap - 1);
		while (n[j].used)
			j = (j + 1) & (ncap - 1);
		n[j] = o[i];
	}
	free(o);
	s->thr = n;
	s->thr_mask = ncap - 1;
	return 0;
}

static struct thr_slot *thr_find(struct kcap_state *s, uint32_t tid)
{
	uint32_t i = hash32(tid) & s->thr_mask;

	while (s->thr[i].used) {
		if (s->thr[i].tid == tid)
			return &s->thr[i];
		i = (i + 1) & s->thr_mask;
	}
	return NULL;
}

static void thr_delete_slot(struct kcap_state *s, uint32_t i)
{
	uint32_t j = i;

	for (;;) {
		uint32_t k;

		j = (j + 1) & s->thr_mask;
		if (!s->thr[j].used)
			break;
		k = hash32(s->thr[j].tid) & s->thr_mask;
		if ((j > i && (k <= i || k > j)) ||
		    (j < i && (k <= i && k > j))) {
			s->thr[i] = s->thr[j];
			i = j;
		}
	}
	s->thr[i].used = 0;
	s->thr_count--;
}

static void tid_add(struct kcap_proc *p, uint32_t tid)
{
	if (p->nthreads == p->tids_cap) {
		uint32_t ncap = p->tids_cap ? p->tids_cap * 2 : 4;
		uint32_t *n = realloc(p->tids, ncap * sizeof(*n));

		if (!n)
			return; /* the count goes on; the list misses one */
		p->tids = n;
		p->tids_cap = ncap;
	}
	p->tids[p->nthreads] = tid;
	p->nthreads++;
}

static void tid_del(struct kcap_proc *p, uint32_t tid)
{
	uint32_t i;

	for (i = 0; i < p->nthreads && i < p->tids_cap; i++)
		if (p->tids[i] == tid) {
			p->tids[i] = p->tids[p->nthreads - 1];
			break;
		}
	if (p->nthreads)
		p->nthreads--;
}

static void proc_unref(struct kcap_state *s, struct kcap_proc *p, uint32_t tid)
{
	tid_del(p, tid);
	if (!p->nthreads)
		proc_remove(s, p);
}

bool kcap_state__listed(struct kcap_state *s, uint32_t tid)
{
	const struct thr_slot *t = thr_find(s, tid);

	return t && t->gen;
}

void kcap_state__remove_thread(struct kcap_state *s, uint32_t tid)
{
	struct thr_slot *t = thr_find(s, tid);
	struct kcap_proc *p;

	if (!t)
		return;
	p = t->proc;
	thr_delete_slot(s, (uint32_t)(t - s->thr));
	s->cache_proc = NULL;
	proc_unref(s, p, tid);
}

void kcap_state__set_thread(struct kcap_state *s, uint32_t tid,
			    struct kcap_proc *p, uint16_t src, uint32_t gen)
{
	struct thr_slot *t = thr_find(s, tid);
	uint32_t i;

	s->cache_proc = NULL;
	if (t) {
		struct kcap_proc *old = t->proc;

		t->gen = gen;
		t->src = src;
		if (old == p)
			return;
		t->proc = p;
		tid_add(p, tid);
		proc_unref(s, old, tid);
		return;
	}
	if ((s->thr_count + 1) * 2 > s->thr_mask + 1 && thr_grow(s))
		return;
	i = hash32(tid) & s->thr_mask;
	while (s->thr[i].used)
		i = (i + 1) & s->thr_mask;
	s->thr[i].used = 1;
	s->thr[i].tid = tid;
	s->thr[i].src = src;
	s->thr[i].gen = gen;
	s->thr[i].proc = p;
	s->thr_count++;
	tid_add(p, tid);
}

struct kcap_proc *kcap_state__thread(struct kcap_state *s, uint32_t tid,
				     uint16_t src)
{
	struct thr_slot *t;
	struct kcap_proc *p;

	if (s->cache_proc && s->cache_tid == tid)
		return s->cache_proc;
	t = thr_find(s, tid);
	if (t) {
		p = t->proc;
	} else {
		/*
		 * A thread that was there before the capture and is not in a
		 * snapshot: assume it leads its own process until an event
		 * (clone, execve) says otherwise.
		 */
		p = kcap_state__proc_get(s, (int32_t)tid);
		if (!p)
			return NULL;
		kcap_state__set_thread(s, tid, p, src, 0);
	}
	s->cache_tid = tid;
	s->cache_proc = p;
	return p;
}

void kcap_state__kill_other_threads(struct kcap_state *s, struct kcap_proc *p,
				    uint32_t keep_tid, uint32_t keep_tid2)
{
	uint32_t i = 0;

	s->cache_proc = NULL;
	/* the process's own list: no walk over every thread */
	while (p->nthreads > 1 && i < p->nthreads && i < p->tids_cap) {
		uint32_t tid = p->tids[i];
		struct thr_slot *t;

		if (tid == keep_tid || tid == keep_tid2 ||
		    !(t = thr_find(s, tid)) || t->proc != p) {
			i++;
			continue;
		}
		thr_delete_slot(s, (uint32_t)(t - s->thr));
		tid_del(p, tid); /* moves the last tid to i: look at i again */
	}
}

void kcap_state__sweep(struct kcap_state *s, uint16_t src, uint32_t gen)
{
	uint32_t i = 0;

	s->cache_proc = NULL;
	while (i <= s->thr_mask) {
		if (s->thr[i].used && s->thr[i].src == src &&
		    s->thr[i].gen != gen) {
			struct kcap_proc *p = s->thr[i].proc;
			uint32_t tid = s->thr[i].tid;

			thr_delete_slot(s, i);
			proc_unref(s, p, tid);
			continue;
		}
		i++;
	}
	/* processes a snapshot named only through fds, with no thread */
	i = 0;
	while (i <= s->proc_mask) {
		if (s->procs[i].used && !s->procs[i].proc->nthreads) {
			proc_remove(s, s->procs[i].proc);
			continue;
		}
		i++;
	}
}

int kcap_state__init(struct kcap_state *s)
{
	memset(s, 0, sizeof(*s));
	s->thr = calloc(1024, sizeof(*s->thr));
	s->procs = calloc(1024, sizeof(*s->procs));
	if (!s->thr || !s->procs) {
		free(s->thr);
		free(s->procs);
		return -ENOMEM;
	}
	s->thr_mask = s->proc_mask = 1023;
	return 0;
}

void kcap_state__free(struct kcap_state *s)
{
	uint32_t i;

	if (!s->procs)
		return;
	for (i = 0; i <= s->proc_mask; i++)
		if (s->procs[i].used)
			proc_free(s->procs[i].proc);
	free(s->procs);
	free(s->thr);
	memset(s, 0, sizeof(*s));
}

/* ---- fds --------------------------------------------------------------------- */

/*
 * The arrays of fd tables come from 2 MiB chunks advised as huge pages,
 * with a free list per size: fork copies a table each time, and in a VM a
 * page fault per fresh 4 KiB page cost more than the copy itself (10,000
 * faults, 15% of a replay). Chunks are kept for reuse, so memory is bounded
 * by the most tables alive at once. Per thread, as engines are.
 */
#define TAB_CLASSES 8 /* 64 .. 8192 slots; bigger tables use malloc */
#define TAB_CHUNK (2u << 20)

static __thread struct {
	void *free[TAB_CLASSES];
	char *bump;
	size_t left;
} tabs;

static size_t tab_bytes(uint32_t cap)
{
	return (size_t)cap * (sizeof(int32_t) + sizeof(struct kcap_fdinfo));
}

static int tab_class(uint32_t cap)
{
	int k;

	for (k = 0; k < TAB_CLASSES; k++)
		if (cap == 64u << k)
			return k;
	return -1;
}

static void *tab_alloc(uint32_t cap)
{
	int k = tab_class(cap);
	size_t sz = tab_bytes(cap);
	void *p;

#ifdef __SANITIZE_ADDRESS__
	k = -1; /* AddressSanitizer sees into malloc'd tables, not these */
#endif
	if (k < 0)
		return malloc(sz);
	if ((p = tabs.free[k])) {
		tabs.free[k] = *(void **)p;
		return p;
	}
	if (tabs.left < sz) {
		size_t csz = sz > TAB_CHUNK ? sz : TAB_CHUNK;
		void *c = mmap(NULL, csz, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (c == MAP_FAILED)
			return malloc(sz);
		madvise(c, csz, MADV_HUGEPAGE);
		tabs.bump = c;
		tabs.left = csz;
	}
	p = tabs.bump;
	tabs.bump += sz;
	tabs.left -= sz;
	return p;
}

static void tab_free(void *p, uint32_t cap)
{
	int k = tab_class(cap);

#ifdef __SANITIZE_ADDRESS__
	k = -1;
#endif
	if (!p)
		return;
	if (k < 0) {
		free(p);
		return;
	}
	*(void **)p = tabs.free[k];
	tabs.free[k] = p;
}

static struct kcap_fdtab *fdtab_new(uint32_t cap)
{
	struct kcap_fdtab *t = malloc(sizeof(*t));

	if (!t)
		return NULL;
	/* keys first, then the entries: cap >= 64 keeps them 8-aligned */
	t->keys = tab_alloc(cap);
	if (!t->keys) {
		free(t);
		return NULL;
	}
	t->slots = (struct kcap_fdinfo *)(void *)(t->keys + cap);
	memset(t->keys, 0xff, cap * sizeof(*t->keys));
	t->mask = cap - 1;
	t->count = 0;
	t->refs = 1;
	return t;
}

/*
 * Names are reference-counted, so that the fd table fork copies shares
 * them: the count sits just before the bytes.
 */
struct name_hdr {
	uint32_t refs;
	uint32_t len;
};

static struct name_hdr *name_of(const char *s)
{
	return (struct name_hdr *)(void *)(s - sizeof(struct name_hdr));
}

static void fdinfo_release(struct kcap_fdinfo *f)
{
	if (f->name && !--name_of(f->name)->refs)
		free(name_of(f->name));
	f->name = NULL;
	f->namelen = 0;
}

static void name_ref(const char *s)
{
	if (s)
		name_of(s)->refs++;
}

void kcap_fdtab__free(struct kcap_fdtab *t)
{
	uint32_t i;

	if (!t || --t->refs > 0)
		return;
	for (i = 0; i <= t->mask; i++)
		if (t->keys[i] >= 0)
			fdinfo_release(&t->slots[i]);
	tab_free(t->keys, t->mask + 1);
	free(t);
}

void kcap_fdtab__clear(struct kcap_fdtab **tp)
{
	struct kcap_fdtab *t = *tp;
	uint32_t i;

	if (!t)
		return;
	if (t->refs > 1) {
		t->refs--;
		*tp = NULL;
		return;
	}
	for (i = 0; i <= t->mask; i++)
		if (t->keys[i] >= 0) {
			fdinfo_release(&t->slots[i]);
			t->keys[i] = -1;
			t->slots[i].fd = -1;
		}
	t->count = 0;
}

/*
 * fd numbers are small and dense (the kernel hands out the lowest free
 * one), so they index the table as they are: no collisions until the
 * numbers pass the table's size.
 */
static inline uint32_t fd_slot(int32_t fd, uint32_t mask)
{
	return (uint32_t)fd & mask;
}

struct kcap_fdinfo *kcap_fdtab__get(struct kcap_fdtab *t, int32_t fd)
{
	uint32_t i;

	if (!t || fd < 0)
		return NULL;
	i = fd_slot(fd, t->mask);
	while (t->keys[i] >= 0) {
		if (t->keys[i] == fd)
			return &t->slots[i];
		i = (i + 1) & t->mask;
	}
	return NULL;
}

static int fdtab_grow(struct kcap_fdtab *t)
{
	uint32_t ncap = (t->mask + 1) * 2, i;
	int32_t *nk = tab_alloc(ncap);
	struct kcap_fdinfo *n;

	if (!nk)
		return -ENOMEM;
	n = (struct kcap_fdinfo *)(void *)(nk + ncap);
	memset(nk, 0xff, ncap * sizeof(*nk));
	for (i = 0; i <= t->mask; i++) {
		uint32_t j;

		if (t->keys[i] < 0)
			continue;
		j = fd_slot(t->keys[i], ncap - 1);
		while (nk[j] >= 0)
			j = (j + 1) & (ncap - 1);
		nk[j] = t->keys[i];
		n[j] = t->slots[i];
	}
	tab_free(t->keys, t->mask + 1);
	t->slots = n;
	t->keys = nk;
	t->mask = ncap - 1;
	return 0;
}

static struct kcap_fdtab *fdtab_copy(const struct kcap_fdtab *t)
{
	struct kcap_fdtab *n;
	uint32_t i;

	n = fdtab_new(t->mask + 1);
	if (!n)
		return NULL;
	/*
	 * keys and entries in one block, as tab_alloc() gave them: one copy
	 * (entries of empty keys too, which nothing reads), then the names
	 */
	memcpy(n->keys, t->keys, tab_bytes(t->mask + 1));
	for (i = 0; i <= t->mask; i++)
		if (t->keys[i] >= 0)
			name_ref(n->slots[i].name);
	n->count = t->count;
	return n;
}

int kcap_fdtab__own(struct kcap_fdtab **tp)
{
	struct kcap_fdtab *t = *tp, *n;

	if (!t || t->refs <= 1)
		return 0;
	n = fdtab_copy(t);
	if (!n)
		return -ENOMEM;
	t->refs--;
	*tp = n;
	return 0;
}

struct kcap_fdinfo *kcap_fdtab__get_mut(struct kcap_fdtab **tp, int32_t fd)
{
	if (!kcap_fdtab__get(*tp, fd) || kcap_fdtab__own(tp))
		return NULL;
	return kcap_fdtab__get(*tp, fd);
}

struct kcap_fdinfo *kcap_fdtab__put(struct kcap_fdtab **tp, int32_t fd)
{
	struct kcap_fdtab *t;
	struct kcap_fdinfo *f;
	uint32_t i;

	if (fd < 0 || kcap_fdtab__own(tp))
		return NULL;
	t = *tp;
	if (!t) {
		t = *tp = fdtab_new(64);
		if (!t)
			return NULL;
	}
	f = kcap_fdtab__get(t, fd);
	if (f) {
		/* fd number reuse: its close was lost, or it is a dup2 target */
		fdinfo_release(f);
	} else {
		/*
		 * up to 3/4 full: fds index the table directly, so dense
		 * numbers do not collide, and fork copies stay small
		 */
		if ((t->count + 1) * 4 > (t->mask + 1) * 3 && fdtab_grow(t))
			return NULL;
		i = fd_slot(fd, t->mask);
		while (t->keys[i] >= 0)
			i = (i + 1) & t->mask;
		t->keys[i] = fd;
		f = &t->slots[i];
		t->count++;
	}
	memset(f, 0, sizeof(*f));
	f->fd = fd;
	return f;
}

void kcap_fdtab__del(struct kcap_fdtab **tp, int32_t fd)
{
	struct kcap_fdinfo *f = kcap_fdtab__get_mut(tp, fd);
	struct kcap_fdtab *t = *tp;
	uint32_t i, j;

	if (!f)
		return;
	fdinfo_release(f);
	i = j = (uint32_t)(f - t->slots);
	for (;;) {
		uint32_t k;

		j = (j + 1) & t->mask;
		if (t->keys[j] < 0)
			break;
		k = fd_slot(t->keys[j], t->mask);
		if ((j > i && (k <= i || k > j)) ||
		    (j < i && (k <= i && k > j))) {
			t->keys[i] = t->keys[j];
			t->slots[i] = t->slots[j];
			i = j;
		}
	}
	t->keys[i] = -1;
	t->slots[i].fd = -1;
	t->count--;
}

/*
 * The same few paths are opened again and again: a small direct-mapped
 * cache of recent names lets an open share a name instead of allocating
 * one. It holds a reference to each name in it, so it bounds itself:
 * NAME_CACHE names at most. Per thread, as engines are.
 */
#define NAME_CACHE 4096
static __thread const char *name_cache[NAME_CACHE];

/*
 * Only the length and both ends: paths that differ in the middle only
 * share a slot and take turns in it, which costs a miss, never a wrong
 * name (the bytes are compared).
 */
static uint32_t name_hash(const char *s, size_t n)
{
	uint64_t a, b, h;

	if (n < 8)
		return (uint32_t)XXH3_64bits(s, n) & (NAME_CACHE - 1);
	memcpy(&a, s, 8);
	memcpy(&b, s + n - 8, 8);
	h = (a * 0x9e3779b97f4a7c15ull) ^ (b * 0xc2b2ae3d27d4eb4full) ^ n;
	return (uint32_t)(h >> 40) & (NAME_CACHE - 1);
}

void kcap_names__flush(void)
{
	unsigned int i;

	for (i = 0; i < NAME_CACHE; i++) {
		struct kcap_fdinfo f = { .name = name_cache[i] };

		fdinfo_release(&f);
		name_cache[i] = NULL;
	}
}

void kcap_fdinfo__set_name(struct kcap_fdinfo *f, const char *s, size_t n)
{
	fdinfo_release(f);
	kcap_fdinfo__init_name(f, s, n);
}

void kcap_fdinfo__init_name(struct kcap_fdinfo *f, const char *s, size_t n)
{
	struct name_hdr *h;
	const char **slot;

	if (!n)
		return;
	slot = &name_cache[name_hash(s, n)];
	if (*slot && name_of(*slot)->len == n && !memcmp(*slot, s, n)) {
		name_ref(*slot);
		f->name = *slot;
		f->namelen = (uint32_t)n;
		return;
	}
	h = malloc(sizeof(*h) + n + 1);
	if (!h)
		return;
	h->refs = 2; /* f and the cache */
	h->len = (uint32_t)n;
	memcpy(h + 1, s, n);
	((char *)(h + 1))[n] = 0;
	f->name = (const char *)(h + 1);
	f->namelen = (uint32_t)n;
	if (*slot) {
		struct kcap_fdinfo old = { .name = *slot };

		fdinfo_release(&old);
	}
	*slot = f->name;
}

void kcap_fdinfo__copy(struct kcap_fdinfo *dst, const struct kcap_fdinfo *src)
{
	int32_t fd = dst->fd;

	fdinfo_release(dst);
	*dst = *src;
	dst->fd = fd;
	name_ref(dst->name);
}

struct kcap_fdtab *kcap_fdtab__dup(struct kcap_fdtab *t)
{
	if (t)
		t->refs++;
	return t;
}
