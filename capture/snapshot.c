// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The /proc snapshot: every thread and every open fd at the start of a
 * recording, as snap_proc and snap_fd records, so that a file decodes on
 * its own (processes that started before the capture have names, fds that
 * were open before it have paths and addresses).
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <time.h>
#include <unistd.h>

#include "capture.h"

#define F(ev, field) offsetof(struct kcap_ev_##ev, field)

/* A user dev_t as the kernel numbers devices: major << 20 | minor. */
static uint32_t kernel_dev(dev_t d)
{
	return (uint32_t)(major(d) << 20 | minor(d));
}

static uint64_t ts_ns(struct timespec t)
{
	return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}

struct out {
	uint8_t *buf;
	size_t len, cap;
	uint32_t count;
	int err;
};

static uint8_t *out_reserve(struct out *o, size_t n)
{
	if (o->err)
		return NULL;
	if (o->len + n > o->cap) {
		size_t cap = o->cap ? o->cap * 2 : 1 << 20;
		uint8_t *p;

		while (cap < o->len + n)
			cap *= 2;
		p = realloc(o->buf, cap);
		if (!p) {
			o->err = -ENOMEM;
			return NULL;
		}
		o->buf = p;
		o->cap = cap;
	}
	return o->buf + o->len;
}

static void out_commit(struct out *o, struct kcap_builder *b)
{
	int n = kcap_builder__finish(b);

	if (n < 0)
		return; /* too big: leave this one out */
	o->len += n;
	o->count++;
}

/* path, relative to the directory dfd is open on (or AT_FDCWD) */
static ssize_t read_file_at(int dfd, const char *path, char *buf, size_t cap)
{
	int fd = openat(dfd, path, O_RDONLY | O_CLOEXEC);
	ssize_t n, tot = 0;

	if (fd < 0)
		return -1;
	while ((size_t)tot < cap - 1 &&
	       (n = read(fd, buf + tot, cap - 1 - tot)) > 0)
		tot += n;
	close(fd);
	buf[tot] = 0;
	return tot;
}

static ssize_t read_file(const char *path, char *buf, size_t cap)
{
	return read_file_at(AT_FDCWD, path, buf, cap);
}

/* A buffer that read_whole() grows to what it reads. */
struct rbuf {
	char *p;
	size_t cap;
};

/*
 * The whole file, NUL-terminated, into b: its length, or -1 (unreadable,
 * or no memory). For the files whose end matters and whose size a user
 * sets: status ends with NSpid after one line of every supplementary
 * group, cgroup with its v2 line after a line per v1 hierarchy.
 */
static ssize_t read_whole(const char *path, struct rbuf *b)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t tot = 0;
	ssize_t n;

	if (fd < 0)
		return -1;
	for (;;) {
		if (b->cap - tot < 2) {
			size_t cap = b->cap ? b->cap * 2 : 4096;
			char *p = realloc(b->p, cap);

			if (!p) {
				close(fd);
				return -1;
			}
			b->p = p;
			b->cap = cap;
		}
		n = read(fd, b->p + tot, b->cap - 1 - tot);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		tot += n;
	}
	close(fd);
	if (n < 0)
		return -1;
	b->p[tot] = 0;
	return tot;
}

/*
 * A link's target into buf (PATH_MAX + 1 bytes: /proc gives at most
 * PATH_MAX - 1, or fails with ENAMETOOLONG). Should one fill it all the
 * same, it is cut: *cut is set and buf[n] is the NUL that marks it
 * (FORMAT.md, "Cut values"), to keep in the value.
 */
static ssize_t read_link_at(int dfd, const char *path, char *buf, bool *cut)
{
	ssize_t n = readlinkat(dfd, path, buf, PATH_MAX);

	*cut = n == PATH_MAX;
	if (n >= 0)
		buf[n] = 0;
	return n;
}

static ssize_t read_link(const char *path, char *buf, bool *cut)
{
	return read_link_at(AT_FDCWD, path, buf, cut);
}

/* The value after "Key:" in a /proc status file; NULL if absent. */
static const char *status_field(const char *status, const char *key)
{
	size_t kl = strlen(key);
	const char *p = status;

	while (p && *p) {
		if (!strncmp(p, key, kl) && p[kl] == ':')
			return p + kl + 1;
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return NULL;
}

/* The last number of a status line: the pid as its own namespace sees it. */
static long last_number(const char *v)
{
	long last = -1;
	char *end;

	if (!v)
		return -1;
	while (*v && *v != '\n') {
		long x = strtol(v, &end, 10);

		if (end == v) {
			v++;
			continue;
		}
		last = x;
		v = end;
	}
	return last;
}

struct sockinfo {
	uint64_t ino;
	uint8_t laddr[28], raddr[28];
	uint16_t llen, rlen;
	/* a unix socket's name as /proc shows it (abstract ones with '@') */
	char path[108];
	uint8_t plen;
	/* listed twice, differently: which line is true is not known */
	bool ambiguous;
	uint8_t proto; /* an inet socket's IPPROTO_* */
	int kind;
};

/* The sockets of one network namespace, sorted by inode once read. */
struct socktab {
	struct sockinfo *v;
	size_t n, cap;
	int err; /* -ENOMEM once an entry could not be added */
	/*
	 * A line of its net/unix was not one the kernel prints: a name
	 * holding a newline went on over the next lines, and any line after
	 * it may be made up. Its unix names are all left out then, rather
	 * than given to the wrong socket.
	 */
	bool unix_untrusted;
};

/* A zeroed entry at the end of t, or NULL (and t->err) without memory. */
static struct sockinfo *socktab_add(struct socktab *t, uint64_t ino)
{
	struct sockinfo *si;

	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 256;
		struct sockinfo *p = realloc(t->v, cap * sizeof(*p));

		if (!p) {
			t->err = -ENOMEM;
			return NULL;
		}
		t->v = p;
		t->cap = cap;
	}
	si = &t->v[t->n++];
	memset(si, 0, sizeof(*si));
	si->ino = ino;
	return si;
}

static void hex_bytes(const char *s, uint8_t *out, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned int x;

		if (sscanf(s + 2 * i, "%2x", &x) != 1)
			x = 0;
		out[i] = x;
	}
}

/* "0100007F:1F90" of /proc/net/tcp into a struct sockaddr. */
static uint16_t parse_inet(const char *s, bool v6, uint8_t *sa)
{
	const char *colon = strchr(s, ':');
	unsigned int port;

	if (!colon || sscanf(colon + 1, "%x", &port) != 1)
		return 0;
	memset(sa, 0, 28);
	sa[0] = v6 ? 10 : 2;
	sa[2] = port >> 8;
	sa[3] = port & 0xff;
	if (!v6) {
		/* The kernel prints the address as a host-order u32. */
		hex_bytes(s, sa + 4, 4);
		uint8_t t[4] = { sa[7], sa[6], sa[5], sa[4] };
		memcpy(sa + 4, t, 4);
		return 16;
	}
	{
		int w;

		hex_bytes(s, sa + 8, 16);
		for (w = 0; w < 4; w++) {
			uint8_t *q = sa + 8 + 4 * w, t;

			t = q[0], q[0] = q[3], q[3] = t;
			t = q[1], q[1] = q[2], q[2] = t;
		}
	}
	return 28;
}

/* A net/tcp, udp, tcp6 or udp6 file's sockets into t. */
static void load_inet(struct socktab *t, FILE *f, bool v6, uint8_t proto)
{
	char line[512];

	if (!fgets(line, sizeof(line), f))
		return;
	while (fgets(line, sizeof(line), f)) {
		char la[64], ra[64];
		unsigned long long ino;
		struct sockinfo *si;

		/* TIME_WAIT and SYN_RECV entries have no inode: no fd has them */
		if (sscanf(line, "%*d: %63s %63s %*x %*s %*s %*s %*d %*d %llu",
			   la, ra, &ino) != 3 ||
		    !ino)
			continue;
		si = socktab_add(t, ino);
		if (!si)
			break;
		si->kind = v6 ? KCAP_FD_SOCK_INET6 : KCAP_FD_SOCK_INET;
		si->proto = proto;
		si->llen = parse_inet(la, v6, si->laddr);
		si->rlen = parse_inet(ra, v6, si->raddr);
		if (si->rlen && !memcmp(si->raddr + 2, "\0\0", 2))
			si->rlen = 0; /* not connected */
	}
}

/* Exactly n hex digits (n 0: one or more), then c: past c, or NULL. */
static const char *hex_then(const char *p, int n, char c)
{
	int i = 0;

	if (!p)
		return NULL;
	while (isxdigit((unsigned char)p[i]))
		i++;
	if (!i || (n && i != n) || p[i] != c)
		return NULL;
	return p + i + 1;
}

/*
 * A line of /proc/net/unix as the kernel prints it (unix_seq_show):
 * "%pK: %08X %08X %08X %04X %02X %5lu", then for a bound socket a space
 * and its name, which runs to the end of the line (spaces are its own;
 * an abstract name starts with '@' and shows its NULs as '@'), then '\n'.
 * False for any other line: the rest of a name that held a newline.
 */
static bool unix_line(const char *line, size_t len, uint64_t *ino,
		      const char **path, size_t *plen)
{
	const char *p, *end;
	char *e;

	if (!len || line[len - 1] != '\n' || memchr(line, 0, len))
		return false;
	end = line + len - 1;
	p = hex_then(line, 0, ':');
	if (!p || *p++ != ' ')
		return false;
	p = hex_then(hex_then(hex_then(p, 8, ' '), 8, ' '), 8, ' ');
	p = hex_then(hex_then(p, 4, ' '), 2, ' ');
	if (!p)
		return false;
	while (*p == ' ')
		p++;
	if (*p < '0' || *p > '9')
		return false;
	*ino = strtoull(p, &e, 10);
	p = e;
	*path = p;
	*plen = 0;
	if (p == end)
		return true;
	/* a name is 1 to 108 bytes (sun_path's size, '@' included) */
	if (*p != ' ' || end - p - 1 < 1 || end - p - 1 > 108)
		return false;
	*path = p + 1;
	*plen = end - p - 1;
	return true;
}

/* A net/unix file's sockets into t. */
static void load_unix(struct socktab *t, FILE *f)
{
	char *line = NULL;
	size_t lcap = 0, i;
	ssize_t len;

	if (getline(&line, &lcap, f) > 0) {
		while ((len = getline(&line, &lcap, f)) > 0) {
			struct sockinfo *si;
			const char *path;
			size_t plen;
			uint64_t ino;

			if (!unix_line(line, len, &ino, &path, &plen)) {
				t->unix_untrusted = true;
				continue;
			}
			if (!ino)
				continue;
			si = socktab_add(t, ino);
			if (!si)
				break;
			si->kind = KCAP_FD_SOCK_UNIX;
			memcpy(si->path, path, plen);
			si->plen = plen;
		}
	}
	free(line);
	if (t->unix_untrusted)
		for (i = 0; i < t->n; i++)
			if (t->v[i].kind == KCAP_FD_SOCK_UNIX)
				t->v[i].plen = 0;
}

/* A socket of kcap_sockdiag_unix() into the socktab ctx. */
static int unix_diag_add(void *ctx, uint64_t ino, const char *name, size_t len)
{
	struct sockinfo *si = socktab_add(ctx, ino);

	if (!si)
		return -ENOMEM;
	si->kind = KCAP_FD_SOCK_UNIX;
	memcpy(si->path, name, len);
	si->plen = len;
	return 0;
}

static int by_ino(const void *a, const void *b)
{
	const struct sockinfo *x = a, *y = b;

	return x->ino < y->ino ? -1 : x->ino > y->ino;
}

static bool same_socket(const struct sockinfo *a, const struct sockinfo *b)
{
	return a->kind == b->kind && a->proto == b->proto &&
	       a->llen == b->llen && a->rlen == b->rlen && a->plen == b->plen &&
	       !memcmp(a->laddr, b->laddr, a->llen) &&
	       !memcmp(a->raddr, b->raddr, a->rlen) &&
	       !memcmp(a->path, b->path, a->plen);
}

/*
 * Sorted for sock_find. An inode listed twice (a made-up unix line naming
 * another socket, or one that moved while the file was read) keeps one
 * entry, marked ambiguous if the two differ.
 */
static void socktab_finish(struct socktab *t)
{
	size_t i, j = 0;

	if (!t->n)
		return;
	qsort(t->v, t->n, sizeof(*t->v), by_ino);
	for (i = 1; i < t->n; i++) {
		if (t->v[i].ino == t->v[j].ino) {
			if (!same_socket(&t->v[i], &t->v[j]))
				t->v[j].ambiguous = true;
			continue;
		}
		if (++j != i)
			t->v[j] = t->v[i];
	}
	t->n = j + 1;
}

static const struct sockinfo *sock_find(const struct socktab *t, uint64_t ino)
{
	struct sockinfo key = { .ino = ino };
	const struct sockinfo *si;

	if (!t->n)
		return NULL;
	si = bsearch(&key, t->v, t->n, sizeof(*t->v), by_ino);
	return si && !si->ambiguous ? si : NULL;
}

/*
 * Every network namespace's sockets read so far, by the namespace's
 * inode: /proc/PID/net shows PID's namespace, and a process in a container
 * has its sockets there, not in kcap's /proc/net.
 */
struct netns_socks {
	uint64_t ns;
	struct socktab t;
};

struct nets {
	struct netns_socks *v;
	size_t n, cap;
	int err;
};

static FILE *fopen_at(int dfd, const char *name)
{
	int fd = openat(dfd, name, O_RDONLY | O_CLOEXEC);
	FILE *f;

	if (fd < 0)
		return NULL;
	f = fdopen(fd, "r");
	if (!f)
		close(fd);
	return f;
}

/*
 * The sockets of pid's network namespace, read when the first process of
 * that namespace with a socket fd asks; NULL when they cannot be read (or
 * without memory: nets->err). Valid until the next call.
 */
static const struct socktab *socks_of(struct nets *nets, int pid)
{
	static const char *const inet[] = { "tcp", "udp", "tcp6", "udp6" };
	struct socktab t = { 0 };
	char path[64];
	struct stat st;
	unsigned int i;
	size_t k, n;
	int dfd, err;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/ns/net", pid);
	if (stat(path, &st))
		return NULL;
	for (k = 0; k < nets->n; k++)
		if (nets->v[k].ns == st.st_ino)
			return &nets->v[k].t;
	snprintf(path, sizeof(path), "/proc/%d/net", pid);
	dfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return NULL;
	for (i = 0; i < sizeof(inet) / sizeof(inet[0]); i++)
		if ((f = fopen_at(dfd, inet[i]))) {
			load_inet(&t, f, i >= 2,
				  i % 2 ? IPPROTO_UDP : IPPROTO_TCP);
			fclose(f);
		}
	/*
	 * sock_diag gives each unix name whole; net/unix, read where it
	 * cannot (no unix_diag, or the namespace not entered), prints a
	 * name's newlines raw.
	 */
	n = t.n;
	err = kcap_sockdiag_unix(pid, st.st_ino, unix_diag_add, &t);
	if (err == -ENOMEM) {
		t.err = err;
	} else if (err) {
		t.n = n; /* what it gave before it failed */
		/*
		 * -ESRCH: pid is in another namespace by now, and its net/unix
		 * would be that one's, kept under this one's inode.
		 */
		f = err == -ESRCH ? NULL : fopen_at(dfd, "unix");
		if (!f) {
			/* gone meanwhile: read for its next process */
			close(dfd);
			free(t.v);
			return NULL;
		}
		load_unix(&t, f);
		fclose(f);
	}
	close(dfd);
	if (!t.err && nets->n == nets->cap) {
		size_t cap = nets->cap ? nets->cap * 2 : 8;
		void *p = realloc(nets->v, cap * sizeof(*nets->v));

		if (p) {
			nets->v = p;
			nets->cap = cap;
		} else {
			t.err = -ENOMEM;
		}
	}
	if (t.err) {
		nets->err = t.err;
		free(t.v);
		return NULL;
	}
	socktab_finish(&t);
	nets->v[nets->n].ns = st.st_ino;
	nets->v[nets->n].t = t;
	return &nets->v[nets->n++].t;
}

static void nets_free(struct nets *nets)
{
	size_t k;

	for (k = 0; k < nets->n; k++)
		free(nets->v[k].t.v);
	free(nets->v);
}

/*
 * Whether sock_ask() may take a socket: the kernel gives a socket that a
 * process receives (pidfd_getfd() as SCM_RIGHTS) that process's cgroup v1
 * net_cls class id and net_prio index, so where those controllers are
 * mounted, asking would move the holder's traffic to kcap's class and
 * priority. Read at the start of each snapshot.
 */
static bool may_ask_sockets;

static bool v1_net_tags(void)
{
	char line[4096];
	bool found = false;
	FILE *f = fopen("/proc/self/mountinfo", "re");

	while (f && !found && fgets(line, sizeof(line), f)) {
		const char *dash = strstr(line, " - cgroup ");

		found = dash &&
			(strstr(dash, "net_cls") || strstr(dash, "net_prio"));
	}
	if (f)
		fclose(f);
	return found;
}

/*
 * A socket fd the tables of its holder's network namespace do not name:
 * one made in another namespace (passed in over SCM_RIGHTS, or made
 * before its holder moved with setns()), one whose line in net/unix is
 * not to be believed, or one of a family the tables leave out (netlink,
 * raw and ICMP sockets). kcap takes a reference of its own to the socket
 * (pidfd_getfd(), Linux 5.6, allowed where ptrace would be) and asks it.
 * The reference is dropped at once: a socket its holder closes meanwhile
 * is released a few microseconds later than it would have been. Whether
 * si was filled; st is the fd as /proc showed it, which the socket taken
 * must still be (else the process is another one by now, or fd is).
 */
static bool sock_ask(int *pidfd, int pid, int fd, const struct stat *st,
		     struct sockinfo *si)
{
	union {
		struct sockaddr sa;
		struct sockaddr_un un;
		struct sockaddr_storage ss;
	} a;
	socklen_t alen = sizeof(a);
	struct stat sst;
	int sfd, dom;
	bool ok = false;

	if (!may_ask_sockets)
		return false;
	if (*pidfd == -1)
		*pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (*pidfd < 0) {
		*pidfd = -2; /* not again for this process */
		return false;
	}
	sfd = (int)syscall(SYS_pidfd_getfd, *pidfd, fd, 0);
	if (sfd < 0)
		return false;
	if (fstat(sfd, &sst) || sst.st_ino != st->st_ino ||
	    sst.st_dev != st->st_dev)
		goto out;
	alen = sizeof(dom);
	if (getsockopt(sfd, SOL_SOCKET, SO_DOMAIN, &dom, &alen))
		goto out;
	memset(si, 0, sizeof(*si));
	si->ino = st->st_ino;
	alen = sizeof(a);
	if (dom == AF_UNIX) {
		int n = -1;

		if (!getsockname(sfd, &a.sa, &alen) &&
		    alen >= offsetof(struct sockaddr_un, sun_path))
			n = kcap_unix_name_shown(
				(const uint8_t *)a.un.sun_path,
				alen - offsetof(struct sockaddr_un, sun_path),
				si->path);
		if (n < 0)
			goto out;
		si->kind = KCAP_FD_SOCK_UNIX;
		si->plen = n;
		ok = true;
	} else if (dom == AF_NETLINK) {
		si->kind = KCAP_FD_SOCK_NETLINK;
		ok = true;
	} else if (dom == AF_INET || dom == AF_INET6) {
		size_t len = dom == AF_INET ? 16 : 28;
		int proto;

		if (getsockname(sfd, &a.sa, &alen) || alen != len)
			goto out;
		si->kind = dom == AF_INET ? KCAP_FD_SOCK_INET :
					    KCAP_FD_SOCK_INET6;
		alen = sizeof(proto);
		if (!getsockopt(sfd, SOL_SOCKET, SO_PROTOCOL, &proto, &alen) &&
		    proto > 0 && proto < 256)
			si->proto = proto;
		memcpy(si->laddr, &a, len);
		si->llen = len;
		/* unconnected (ENOTCONN): no peer, as net/tcp's port 0 */
		alen = sizeof(a);
		if (!getpeername(sfd, &a.sa, &alen) && alen == len) {
			memcpy(si->raddr, &a, len);
			si->rlen = len;
		}
		ok = true;
	}
out:
	close(sfd);
	return ok;
}

/* What an "anon_inode:[...]" link names, in the order they are tested. */
static const struct {
	const char *word;
	int kind;
} anon_kinds[] = {
	{ "eventfd", KCAP_FD_EVENTFD },
	{ "signalfd", KCAP_FD_SIGNALFD },
	{ "timerfd", KCAP_FD_TIMERFD },
	{ "eventpoll", KCAP_FD_EPOLL },
	{ "inotify", KCAP_FD_INOTIFY },
	{ "pidfd", KCAP_FD_PIDFD },
	{ "bpf", KCAP_FD_BPF },
	{ "io_uring", KCAP_FD_IOURING },
	{ "userfaultfd", KCAP_FD_USERFAULTFD },
};

static int fd_kind(const char *link, mode_t mode)
{
	unsigned int i;

	if (!strncmp(link, "pipe:", 5))
		return KCAP_FD_PIPE;
	if (!strncmp(link, "socket:", 7))
		return KCAP_FD_SOCK_OTHER;
	if (!strncmp(link, "anon_inode:", 11)) {
		for (i = 0; i < sizeof(anon_kinds) / sizeof(anon_kinds[0]); i++)
			if (strstr(link + 11, anon_kinds[i].word))
				return anon_kinds[i].kind;
		return KCAP_FD_ANON;
	}
	if (!strncmp(link, "/memfd:", 7))
		return KCAP_FD_MEMFD;
	if (S_ISDIR(mode))
		return KCAP_FD_DIR;
	if (S_ISCHR(mode))
		return KCAP_FD_CHAR;
	if (S_ISBLK(mode))
		return KCAP_FD_BLOCK;
	if (S_ISREG(mode))
		return KCAP_FD_FILE;
	return KCAP_FD_UNKNOWN;
}

static void snap_fds(struct out *o, const struct kcap_schema *s, int pid,
		     int rd, uint64_t ts, struct nets *nets)
{
	char dpath[64], link[PATH_MAX + 1], info[1024];
	const struct socktab *socks = NULL;
	bool socks_read = false;
	struct sockinfo asked;
	struct dirent *de;
	int dfd, ifd, pidfd = -1;
	DIR *d;

	/*
	 * Each fd's link, inode and flags are read relative to the fd and
	 * fdinfo directories: a path from /proc each time looked the process
	 * up again for every one of them (a process with 19,000 fds took
	 * about 295 ms that way, 250 ms this way, here).
	 */
	snprintf(dpath, sizeof(dpath), "/proc/%d/fd", rd);
	d = opendir(dpath);
	if (!d)
		return;
	dfd = dirfd(d);
	snprintf(dpath, sizeof(dpath), "/proc/%d/fdinfo", rd);
	ifd = open(dpath, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	while ((de = readdir(d))) {
		struct kcap_builder b;
		struct kcap_ev_snap_fd *e;
		const struct sockinfo *si = NULL;
		struct stat st;
		const char *fl;
		bool cut;
		ssize_t n;
		uint8_t *p;
		int fd;

		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		fd = atoi(de->d_name);
		/*
		 * A link /proc cannot give (a path of PATH_MAX or more:
		 * ENAMETOOLONG) still names an open fd, whose kind, inode and
		 * flags are known: it is listed with its path unknown. Only
		 * one closed since readdir is left out.
		 */
		n = read_link_at(dfd, de->d_name, link, &cut);
		if (n < 0 && errno == ENOENT)
			continue;
		if (n < 0)
			link[0] = 0;
		p = out_reserve(o, KCAP_REC_MAX);
		if (!p)
			break;
		e = kcap_builder__start(&b, p, KCAP_REC_MAX, s, KCAP_EV_snap_fd,
					pid, ts);
		if (!e)
			continue;
		e->tgid = pid;
		e->fd = fd;
		if (!fstatat(dfd, de->d_name, &st, 0)) {
			e->ino = st.st_ino;
			e->dev = kernel_dev(st.st_dev);
			e->kind = fd_kind(link, st.st_mode);
		} else {
			e->kind = fd_kind(link, 0);
		}
		if (ifd >= 0 &&
		    read_file_at(ifd, de->d_name, info, sizeof(info)) > 0 &&
		    (fl = status_field(info, "flags")))
			e->flags = strtoul(fl, NULL, 8);
		/* ino 0: not known (fstatat failed), matches no socket */
		if (e->kind == KCAP_FD_SOCK_OTHER && e->ino) {
			if (!socks_read) {
				socks = socks_of(nets, rd);
				socks_read = true;
			}
			if (socks)
				si = sock_find(socks, e->ino);
			if ((!si || (si->kind == KCAP_FD_SOCK_UNIX &&
				     socks->unix_untrusted)) &&
			    sock_ask(&pidfd, pid, fd, &st, &asked))
				si = &asked;
		}
		if (si) {
			e->kind = si->kind;
			e->proto = si->proto;
			if (si->kind == KCAP_FD_SOCK_UNIX) {
				if (si->plen)
					kcap_builder__var(&b, F(snap_fd, path),
							  si->path, si->plen);
			} else {
				kcap_builder__var(&b, F(snap_fd, laddr),
						  si->laddr, si->llen);
				kcap_builder__var(&b, F(snap_fd, raddr),
						  si->raddr, si->rlen);
			}
		} else if (n >= 0) {
			kcap_builder__var(&b, F(snap_fd, path), link, n + cut);
		}
		out_commit(o, &b);
	}
	if (ifd >= 0)
		close(ifd);
	if (pidfd >= 0)
		close(pidfd);
	closedir(d);
}

/*
 * Cgroups as the recorder's exec and clone events give them: one
 * "controller=path" entry per controller, each with its NUL, named as the
 * kernel names controllers (blkio is io). /proc/PID/cgroup lists v1
 * hierarchies by their controllers; its v2 line ("0::PATH") covers the
 * controllers in the v2 root's cgroup.controllers, each in the nearest
 * cgroup along PATH that has it (where it was enabled). Controllers
 * /proc does not show (implicit or v1-only ones bound nowhere) are left
 * out. The v2 mount and a few answers are kept for one snapshot.
 */
#define CG2_CACHE 16
static struct {
	char mnt[512]; /* where cgroup2 is mounted; "" if nowhere */
	char ctrl[512]; /* the v2 root's controllers, space-separated */
	struct {
		char path[512];
		char out[1024];
		size_t len;
		bool dropped; /* entries that did not fit out */
		char v1[512]; /* the v1 controllers it skipped */
	} cache[CG2_CACHE];
	unsigned int ncache, next;
} cg2;

static void cg2_begin(void)
{
	char line[4096];
	FILE *f = fopen("/proc/self/mountinfo", "re");

	memset(&cg2, 0, sizeof(cg2));
	while (f && fgets(line, sizeof(line), f)) {
		char *dash = strstr(line, " - cgroup2 ");
		char root[512], mp[512];

		/*
		 * ID PARENT MAJ:MIN ROOT MOUNTPOINT ...; mount points have no
		 * spaces here (they would be written \040). A mount of a
		 * subtree (ROOT not "/") would shift every path: not that one.
		 */
		if (dash &&
		    sscanf(line, "%*s %*s %*s %511s %511s", root, mp) == 2 &&
		    !strcmp(root, "/")) {
			snprintf(cg2.mnt, sizeof(cg2.mnt), "%s", mp);
			break;
		}
	}
	if (f)
		fclose(f);
	if (cg2.mnt[0]) {
		char path[600];
		ssize_t n;

		snprintf(path, sizeof(path), "%s/cgroup.controllers", cg2.mnt);
		n = read_file(path, cg2.ctrl, sizeof(cg2.ctrl));
		if (n > 0 && cg2.ctrl[n - 1] == '\n')
			cg2.ctrl[n - 1] = 0;
	}
}

/* Whether a space-separated list holds word (of length len). */
static bool has_word(const char *list, const char *word, size_t len)
{
	const char *p = list;

	while ((p = strstr(p, word))) {
		if ((p == list || p[-1] == ' ') &&
		    (p[len] == 0 || p[len] == ' ' || p[len] == '\n'))
			return true;
		p += len;
	}
	return false;
}

/*
 * Set when an entry did not fit: the list is then marked cut. One
 * snapshot runs at a time: the rotation helper thread's (the drainer's
 * when the helper could not be started), for the one next file there is.
 */
static bool cg_dropped;

static size_t cg_put(char *out, size_t n, size_t cap, const char *ctrl,
		     size_t cl, const char *path, size_t pl)
{
	if (cl == 5 && !memcmp(ctrl, "blkio", 5))
		ctrl = "io", cl = 2;
	if (n + cl + pl + 2 > cap) {
		cg_dropped = true;
		return n;
	}
	memcpy(out + n, ctrl, cl);
	out[n + cl] = '=';
	memcpy(out + n + cl + 1, path, pl);
	out[n + cl + 1 + pl] = 0;
	return n + cl + pl + 2;
}

/* The v2 entries for a cgroup, skipping controllers v1 lines gave. */
static size_t cg2_entries(const char *path, size_t pl, const char *v1,
			  char *out, size_t cap)
{
	const char *c = cg2.ctrl;
	size_t n = 0;

	while (*c) {
		size_t cl = strcspn(c, " "), dl = pl;
		char word[64], file[1200], have[512];

		if (cl && cl < sizeof(word)) {
			memcpy(word, c, cl);
			word[cl] = 0;
		}
		if (cl && cl < sizeof(word) && !has_word(v1, word, cl)) {
			/* Up from the cgroup to where the controller is. */
			while (dl > 1) {
				snprintf(file, sizeof(file),
					 "%s%.*s/cgroup.controllers", cg2.mnt,
					 (int)dl, path);
				if (read_file(file, have, sizeof(have)) >= 0 &&
				    has_word(have, word, cl))
					break;
				while (dl > 1 && path[dl - 1] != '/')
					dl--;
				if (dl > 1)
					dl--; /* the '/' too */
			}
			n = cg_put(out, n, cap, word, cl, path, dl ? dl : 1);
		}
		c += cl;
		while (*c == ' ')
			c++;
	}
	return n;
}

static size_t cgroups_of(const char *text, char *out, size_t cap)
{
	const char *p = text, *v2 = NULL;
	char v1[512] = "";
	size_t n = 0, v2l = 0, i;

	cg_dropped = false;
	while (*p) {
		const char *nl = strchr(p, '\n'), *c1 = strchr(p, ':'), *c2;

		if (!nl)
			nl = p + strlen(p);
		c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		if (c1 && c2 && c2 < nl && c2 == c1 + 1) {
			v2 = c2 + 1;
			v2l = nl - v2;
		} else if (c1 && c2 && c2 < nl) {
			const char *c = c1 + 1;

			while (c < c2) {
				size_t cl = strcspn(c, ",:");

				/* named hierarchies (name=systemd) have none */
				if (cl && memchr(c, '=', cl) == NULL) {
					n = cg_put(out, n, cap, c, cl, c2 + 1,
						   nl - c2 - 1);
					if (strlen(v1) + cl + 2 < sizeof(v1)) {
						strncat(v1, c, cl);
						strcat(v1, " ");
					}
				}
				c += cl + (c[cl] == ',');
			}
		}
		p = *nl ? nl + 1 : nl;
	}
	if (!v2 || !cg2.mnt[0] || !v2l)
		return n;
	if (v2l >= sizeof(cg2.cache[0].path)) {
		cg_dropped = true; /* its entries are left out */
		return n;
	}
	for (i = 0; i < cg2.ncache; i++)
		if (strlen(cg2.cache[i].path) == v2l &&
		    !memcmp(cg2.cache[i].path, v2, v2l) &&
		    !strcmp(cg2.cache[i].v1, v1))
			break;
	if (i == cg2.ncache) {
		bool before = cg_dropped;

		i = cg2.ncache < CG2_CACHE ? cg2.ncache++ :
					     cg2.next++ % CG2_CACHE;
		cg_dropped = false;
		memcpy(cg2.cache[i].path, v2, v2l);
		cg2.cache[i].path[v2l] = 0;
		memcpy(cg2.cache[i].v1, v1, sizeof(v1));
		cg2.cache[i].len = cg2_entries(v2, v2l, v1, cg2.cache[i].out,
					       sizeof(cg2.cache[i].out));
		cg2.cache[i].dropped = cg_dropped;
		cg_dropped = before;
	}
	/* what did not fit the cached entries is cut for each user */
	if (cg2.cache[i].dropped)
		cg_dropped = true;
	if (n + cg2.cache[i].len <= cap) {
		memcpy(out + n, cg2.cache[i].out, cg2.cache[i].len);
		n += cg2.cache[i].len;
	} else {
		cg_dropped = true;
	}
	return n;
}

/*
 * The files read whole (read_whole()), grown for the largest one seen and
 * freed when the snapshot ends: one snapshot runs at a time (see
 * cg_dropped).
 */
static struct rbuf status_buf, leader_buf, cgroup_buf;

static void snap_thread(struct out *o, const struct kcap_schema *s, int pid,
			int tid, int rd, uint64_t ts, uint64_t boot_wall_ns,
			const char *const *pv, const size_t *pl)
{
	char path[96], statline[1024];
	struct kcap_ev_snap_proc *e;
	struct kcap_builder b;
	const char *v, *status;
	uint8_t *p;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/status", pid, tid);
	if (read_whole(path, &status_buf) <= 0)
		return;
	status = status_buf.p;
	p = out_reserve(o, KCAP_REC_MAX);
	if (!p)
		return;
	e = kcap_builder__start(&b, p, KCAP_REC_MAX, s, KCAP_EV_snap_proc, tid,
				ts);
	if (!e)
		return;
	e->tgid = pid;
	if ((v = status_field(status, "PPid")))
		e->ppid = atoi(v);
	if ((v = status_field(status, "Uid")))
		sscanf(v, "%u %u", &e->uid, &e->euid);
	if ((v = status_field(status, "Gid")))
		sscanf(v, "%u %u", &e->gid, &e->egid);
	e->vpid = last_number(status_field(status, "NSpid"));
	e->vtid = last_number(status_field(status, "NSpid"));
	if (tid != pid)
		e->vpid = e->vtid = -1; /* refined below from the leader */
	snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", pid, tid);
	if (read_file(path, statline, sizeof(statline)) > 0) {
		/* Fields after the comm, which may hold spaces or ')'. */
		const char *q = strrchr(statline, ')');
		unsigned long long start = 0;
		int pgid = -1, sid = -1;
		unsigned int tty = 0;

		if (q && sscanf(q + 2,
				"%*c %*d %d %d %u %*d %*u %*u %*u %*u %*u "
				"%*u %*u %*d %*d %*d %*d %*d %*d %llu",
				&pgid, &sid, &tty, &start) == 4) {
			long hz = sysconf(_SC_CLK_TCK);

			e->pgid = pgid;
			e->sid = sid;
			/* tty_nr is new_encode_dev()'d, as a user dev_t is */
			e->tty = kernel_dev(tty);
			if (hz > 0)
				e->start_ts = boot_wall_ns +
					      start * (1000000000ull / hz);
		}
	}
	if (tid != pid) {
		/* A thread's own ns tid; its process's ns pid is the leader's. */
		e->vtid = last_number(status_field(status, "NSpid"));
		snprintf(path, sizeof(path), "/proc/%d/status", pid);
		if (read_whole(path, &leader_buf) > 0)
			e->vpid = last_number(
				status_field(leader_buf.p, "NSpid"));
	}
	snprintf(path, sizeof(path), "/proc/%d/exe", rd);
	{
		struct stat st;

		/* the executable's inode, as execve records it */
		if (!stat(path, &st)) {
			e->exe_ino = st.st_ino;
			e->exe_ino_ctime = ts_ns(st.st_ctim);
			e->exe_ino_mtime = ts_ns(st.st_mtim);
		}
	}
	snprintf(path, sizeof(path), "/proc/%d/ns/pid", rd);
	{
		char link[64];
		ssize_t n = readlink(path, link, sizeof(link) - 1);
		const char *lb;

		if (n > 0) {
			link[n] = 0;
			lb = strchr(link, '[');
			if (lb)
				e->pidns = strtoul(lb + 1, NULL, 10);
		}
	}
	if (pv[4] && pl[4] && cg2.mnt[0]) {
		/* cgroup v2: the id is the inode of the cgroup's directory. */
		const char *c = strstr(pv[4], "0::");

		if (c && (c == pv[4] || c[-1] == '\n')) {
			char cg[1200];
			struct stat st;
			const char *nl = strchr(c + 3, '\n');
			int l = nl ? (int)(nl - c - 3) : (int)strlen(c + 3);

			/* a cut path could name an ancestor: none then */
			if (snprintf(cg, sizeof(cg), "%s%.*s", cg2.mnt, l,
				     c + 3) < (int)sizeof(cg) &&
			    !stat(cg, &st))
				e->cgroup_id = st.st_ino;
		}
	}
	snprintf(path, sizeof(path), "/proc/%d/task/%d/comm", pid, tid);
	{
		char comm[64];
		ssize_t n = read_file(path, comm, sizeof(comm));

		if (n > 0 && comm[n - 1] == '\n')
			n--;
		if (n >= 0)
			kcap_builder__var(&b, F(snap_proc, comm), comm, n);
	}
	if (pv[0])
		kcap_builder__var(&b, F(snap_proc, exe), pv[0], pl[0]);
	if (pv[1])
		kcap_builder__var(&b, F(snap_proc, argv), pv[1], pl[1]);
	if (pv[2])
		kcap_builder__var(&b, F(snap_proc, cwd), pv[2], pl[2]);
	if (pv[3])
		kcap_builder__var(&b, F(snap_proc, root), pv[3], pl[3]);
	if (pv[4]) {
		char cg[2048];
		size_t n = cgroups_of(pv[4], cg, sizeof(cg));

		/* cut: the last NUL goes (FORMAT.md, "Cut values") */
		if (cg_dropped && n)
			n--;
		kcap_builder__var(&b, F(snap_proc, cgroups), cg, n);
	}
	out_commit(o, &b);
}

static bool numeric(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/* Whether pid's main thread has exited (state Z) while it is still listed. */
static bool main_thread_exited(int pid)
{
	char path[64], stat[1024], *rp;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if (read_file(path, stat, sizeof(stat)) <= 0)
		return false;
	rp = strrchr(stat, ')');
	return rp && rp[1] == ' ' && rp[2] == 'Z';
}

/*
 * The thread whose /proc entries show pid's fds, cwd, exe, argv, root and
 * namespaces: pid itself, unless its main thread has exited while others
 * run on (pthread_exit() in main), when /proc/PID/fd is empty and its
 * exe, cwd and root links are gone; then another thread's (/proc/TID
 * opens for any thread, though /proc lists only processes).
 */
static int reader_tid(int pid)
{
	char path[64];
	struct dirent *de;
	int tid = pid;
	DIR *d;

	if (!main_thread_exited(pid))
		return pid;
	snprintf(path, sizeof(path), "/proc/%d/task", pid);
	d = opendir(path);
	while (d && (de = readdir(d)))
		if (numeric(de->d_name) && atoi(de->d_name) != pid) {
			tid = atoi(de->d_name);
			break;
		}
	if (d)
		closedir(d);
	return tid;
}

static void snap_process(struct out *o, const struct kcap_schema *s, int pid,
			 uint64_t boot_wall_ns, struct nets *nets)
{
	/* argv: one byte more than is kept, to tell a cut one (see below) */
	static char exe[PATH_MAX + 1], argv[4096 + 2], cwd[PATH_MAX + 1],
		root[PATH_MAX + 1];
	const char *pv[5] = { NULL };
	size_t pl[5] = { 0 };
	char path[64];
	struct timespec now;
	struct dirent *de;
	uint64_t ts;
	ssize_t n;
	bool cut;
	DIR *d;
	int rd = reader_tid(pid);

	/*
	 * The walk takes milliseconds to seconds while the processes run and
	 * their events are recorded: each process gets the time just before
	 * it is read, so that replay applies none of its events stamped
	 * earlier on top of what was read (a relative chdir would count
	 * twice). The cwd is read first: it is the value an event applied
	 * twice gets wrong; the window left is the microsecond before it.
	 */
	clock_gettime(CLOCK_BOOTTIME, &now);
	ts = ts_ns(now) + boot_wall_ns;
	snprintf(path, sizeof(path), "/proc/%d/cwd", rd);
	/*
	 * A path /proc cannot give (ENAMETOOLONG) is left unknown, not
	 * written as an empty cut one: replay would take "" for the cwd.
	 */
	if ((n = read_link(path, cwd, &cut)) >= 0)
		pv[2] = cwd, pl[2] = n + cut;
	snprintf(path, sizeof(path), "/proc/%d/exe", rd);
	if ((n = read_link(path, exe, &cut)) >= 0)
		pv[0] = exe, pl[0] = n + cut;
	snprintf(path, sizeof(path), "/proc/%d/cmdline", rd);
	if ((n = read_file(path, argv, sizeof(argv))) >= 0) {
		/*
		 * A list of NUL-terminated strings. Cut (longer than 4 KiB:
		 * one more byte was read), it loses its NULs at the end
		 * (FORMAT.md, "Cut values"). A process that rewrote its argv
		 * area may not end it with a NUL.
		 */
		if (n > 4096) {
			n = 4096;
			while (n && !argv[n - 1])
				n--;
		} else if (n && argv[n - 1]) {
			argv[n++] = 0;
		}
		pv[1] = argv, pl[1] = n;
	}
	snprintf(path, sizeof(path), "/proc/%d/root", rd);
	if ((n = read_link(path, root, &cut)) >= 0)
		pv[3] = root, pl[3] = n + cut;
	snprintf(path, sizeof(path), "/proc/%d/cgroup", rd);
	if ((n = read_whole(path, &cgroup_buf)) >= 0)
		pv[4] = cgroup_buf.p, pl[4] = n;

	snprintf(path, sizeof(path), "/proc/%d/task", pid);
	d = opendir(path);
	if (!d)
		return;
	while ((de = readdir(d)))
		if (numeric(de->d_name))
			snap_thread(o, s, pid, atoi(de->d_name), rd, ts,
				    boot_wall_ns, pv, pl);
	closedir(d);
	snap_fds(o, s, pid, rd, ts, nets);
}

/*
 * When the init of each pid namespace started, for every snap_proc: the
 * start of the process that is pid 1 in the same namespace (for the first
 * namespace, /proc's pid 1), as the recorder's clone events report it.
 * A namespace whose init is not among the records keeps it unknown.
 */
static void fill_pidns_init(struct out *o)
{
	struct kcap_ev_snap_proc *e;
	size_t off, i, n = 0, cap = 0;
	struct {
		uint32_t ns;
		uint64_t ts;
	} *inits = NULL, *t;

	for (off = 0; off + KCAP_HDR_SIZE <= o->len; off += e->hdr.len) {
		e = (void *)(o->buf + off);
		if (e->hdr.len < KCAP_HDR_SIZE)
			break;
		if (e->hdr.type != KCAP_EV_snap_proc || e->vpid != 1 ||
		    e->vtid != 1)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			t = realloc(inits, cap * sizeof(*inits));
			if (!t)
				break;
			inits = t;
		}
		inits[n].ns = e->pidns;
		inits[n++].ts = e->start_ts;
	}
	for (off = 0; n && off + KCAP_HDR_SIZE <= o->len; off += e->hdr.len) {
		e = (void *)(o->buf + off);
		if (e->hdr.len < KCAP_HDR_SIZE)
			break;
		if (e->hdr.type != KCAP_EV_snap_proc)
			continue;
		for (i = 0; i < n; i++)
			if (inits[i].ns == e->pidns) {
				e->pidns_init_start_ts = inits[i].ts;
				break;
			}
	}
	free(inits);
}

int kcap_snapshot_proc(const struct kcap_schema *s, uint64_t boot_wall_ns,
		       void **outp, size_t *len, uint32_t *count)
{
	struct nets nets = { 0 };
	struct out o = { 0 };
	struct dirent *de;
	DIR *d;

	d = opendir("/proc");
	if (!d)
		return -errno;
	cg2_begin();
	may_ask_sockets = !v1_net_tags();
	while ((de = readdir(d)) && !nets.err)
		if (numeric(de->d_name))
			snap_process(&o, s, atoi(de->d_name), boot_wall_ns,
				     &nets);
	closedir(d);
	nets_free(&nets);
	free(status_buf.p);
	free(leader_buf.p);
	free(cgroup_buf.p);
	memset(&status_buf, 0, sizeof(status_buf));
	memset(&leader_buf, 0, sizeof(leader_buf));
	memset(&cgroup_buf, 0, sizeof(cgroup_buf));
	if (!o.err)
		o.err = nets.err;
	if (o.err) {
		free(o.buf);
		return o.err;
	}
	fill_pidns_init(&o);
	*outp = o.buf;
	*len = o.len;
	*count = o.count;
	return 0;
}

/* A process of the walk for -p: its pid and its parent's. */
struct pnode {
	int pid, ppid;
};

static int by_pid(const void *a, const void *b)
{
	const struct pnode *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

/* The index of pid in v, sorted by pid (by_pid()); -1 if it is not there. */
static int pnode_find(const struct pnode *v, int n, int pid)
{
	const struct pnode key = { .pid = pid }, *p;

	if (n <= 0) /* v may be NULL then, which bsearch() does not take */
		return -1;
	p = bsearch(&key, v, n, sizeof(*v), by_pid);
	return p ? (int)(p - v) : -1;
}

/*
 * Every process in /proc with its parent, sorted by pid, in *vp: how
 * many, or -errno. The parent is stat's 4th field, which costs the
 * kernel less than status: it follows the comm, which may hold spaces
 * and parentheses, so it is read after the last ')'.
 */
static int proc_parents(struct pnode **vp)
{
	struct pnode *v = NULL, *more;
	int n = 0, cap = 0;
	struct dirent *de;
	DIR *d = opendir("/proc");

	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		char path[300], st[512], *p;

		if (!numeric(de->d_name))
			continue;
		snprintf(path, sizeof(path), "%s/stat", de->d_name);
		if (read_file_at(dirfd(d), path, st, sizeof(st)) <= 0)
			continue;
		/* "pid (comm) S ppid ..." */
		p = strrchr(st, ')');
		if (!p || p[1] != ' ' || !p[2] || p[3] != ' ')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			more = realloc(v, cap * sizeof(*v));
			if (!more) {
				closedir(d);
				free(v);
				return -ENOMEM;
			}
			v = more;
		}
		v[n].pid = atoi(de->d_name);
		v[n++].ppid = atoi(p + 4);
	}
	closedir(d);
	qsort(v, n, sizeof(*v), by_pid);
	*vp = v;
	return n;
}

/* A growing array of (tid, tgid) pairs. */
struct pairs {
	int *v;
	int n, cap; /* ints, two a pair */
};

/* The threads of process pid, as pairs (tid, pid): how many; -ENOMEM. */
static int add_threads(struct pairs *pp, int pid)
{
	char path[64];
	struct dirent *de;
	int *more, k = 0;
	DIR *t;

	snprintf(path, sizeof(path), "/proc/%d/task", pid);
	t = opendir(path);
	if (!t)
		return 0; /* gone since the walk */
	while ((de = readdir(t))) {
		if (!numeric(de->d_name))
			continue;
		if (pp->n + 2 > pp->cap) {
			pp->cap = pp->cap ? pp->cap * 2 : 64;
			more = realloc(pp->v, pp->cap * sizeof(int));
			if (!more) {
				closedir(t);
				return -ENOMEM;
			}
			pp->v = more;
		}
		pp->v[pp->n++] = atoi(de->d_name);
		pp->v[pp->n++] = pid;
		k++;
	}
	closedir(t);
	return k;
}

/*
 * The set is closed in one pass over children lists: the processes
 * sorted by pid give each its parent's index, and the children of each
 * are counted into one array, so the walk costs O(n log n) however many
 * roots and however deep the trees (the set grew a generation per pass
 * over all pairs of processes, O(n^2) for each).
 */
int kcap_proc_descendants(const int *roots, int nroots, int **tidsp,
			  int *counts)
{
	int *mem, *par, *first, *kids, *q, *sub, *inset, n, nq = 0, i, j, k;
	struct pairs pp = { 0 };
	struct pnode *v = NULL;

	n = proc_parents(&v);
	if (n < 0)
		return n;
	mem = calloc(6 * (size_t)n + 1, sizeof(int));
	if (!mem) {
		free(v);
		return -ENOMEM;
	}
	par = mem;
	first = par + n; /* n + 1 of them: kids[first[i]..first[i + 1]) */
	kids = first + n + 1;
	q = kids + n;
	sub = q + n;
	inset = sub + n;
	for (i = 0; i < n; i++) {
		par[i] = pnode_find(v, n, v[i].ppid);
		if (par[i] >= 0)
			first[par[i] + 1]++;
	}
	for (i = 0; i < n; i++)
		first[i + 1] += first[i];
	for (i = 0; i < n; i++)
		if (par[i] >= 0)
			kids[first[par[i]]++] = i;
	/* each first[i] is now where i's children end, i + 1's begin */
	for (i = n; i > 0; i--)
		first[i] = first[i - 1];
	first[0] = 0;

	/* the roots and their descendants, each once however they overlap */
	for (i = 0; i < nroots; i++) {
		j = pnode_find(v, n, roots[i]);
		if (j >= 0 && !inset[j])
			inset[j] = 1, q[nq++] = j;
	}
	for (k = 0; k < nq; k++)
		for (j = first[q[k]]; j < first[q[k] + 1]; j++)
			if (!inset[kids[j]])
				inset[kids[j]] = 1, q[nq++] = kids[j];
	for (i = 0; i < n; i++) {
		if (!inset[i])
			continue;
		sub[i] = add_threads(&pp, v[i].pid);
		if (sub[i] < 0) {
			free(mem);
			free(v);
			free(pp.v);
			return -ENOMEM;
		}
	}

	/*
	 * How many threads each root's tree has, a root inside another's
	 * included: from the tops of the set down, then summed from the
	 * leaves up. A cycle that pid reuse can make during the walk (a
	 * parent gone, its pid given to a child of its child) is not reached
	 * from a top: its processes count only their own threads.
	 */
	for (i = 0, nq = 0; counts && i < n; i++)
		if (inset[i] && (par[i] < 0 || !inset[par[i]]))
			q[nq++] = i;
	for (k = 0; k < nq; k++)
		for (j = first[q[k]]; j < first[q[k] + 1]; j++)
			q[nq++] = kids[j];
	while (nq--)
		if (par[q[nq]] >= 0 && inset[par[q[nq]]])
			sub[par[q[nq]]] += sub[q[nq]];
	for (i = 0; counts && i < nroots; i++) {
		j = pnode_find(v, n, roots[i]);
		counts[i] = j >= 0 ? sub[j] : 0;
	}
	free(mem);
	free(v);
	*tidsp = pp.v;
	return pp.n / 2;
}
