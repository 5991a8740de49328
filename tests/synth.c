// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Synthetic events; see synth.h for the mix. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "synth.h"

#define F(ev, field) offsetof(struct kcap_ev_##ev, field)

uint64_t synth_rand(struct synth *s)
{
	/* xorshift64*: fast and good enough for test data */
	s->rng ^= s->rng >> 12;
	s->rng ^= s->rng << 25;
	s->rng ^= s->rng >> 27;
	return s->rng * 0x2545f4914f6cdd1dull;
}

static uint32_t pick(struct synth *s, uint32_t n)
{
	return (uint32_t)(synth_rand(s) % n);
}

void synth_init(struct synth *s, uint64_t seed, uint64_t start_ts)
{
	unsigned int p, t;

	memset(s, 0, sizeof(*s));
	s->rng = seed * 0x9e3779b97f4a7c15ull + 0x1234567;
	if (!s->rng)
		s->rng = 1;
	s->ts = start_ts;
	s->schema = kcap_schema__builtin();
	s->next_pid = 1000;
	for (p = 0; p < 24; p++) {
		s->nthreads[p] = 1 + pick(s, 4);
		for (t = 0; t < s->nthreads[p]; t++)
			s->tids[p][t] = s->next_pid + t;
		s->next_pid += 8;
	}
}

/* ---- random events of every type --------------------------------------- */

int synth_random(struct synth *s, void *buf)
{
	unsigned int limit = kcap_schema__id_limit(s->schema);
	const struct kcap_event_desc *d;
	struct kcap_builder b;
	uint8_t *rec;
	unsigned int i;

	do
		d = kcap_schema__event(s->schema, pick(s, limit));
	while (!d);
	s->ts += 1 + pick(s, 50000);
	rec = kcap_builder__start(&b, buf, KCAP_REC_MAX, s->schema, d->id,
				  (uint32_t)synth_rand(s), s->ts);
	for (i = 0; i < d->nfields; i++) {
		const struct kcap_field_desc *f = &d->fields[i];
		uint64_t v = synth_rand(s);

		if (f->type != KCAP_T_var) {
			/* one time in 8, leave the unknown value */
			if (pick(s, 8))
				memcpy(rec + f->offset, &v, f->size);
			continue;
		}
		switch (pick(s, 8)) {
		case 0:
			break; /* absent */
		case 1:
			kcap_builder__var(&b, f->offset, "", 0);
			break;
		default: {
			uint8_t tmp[300];
			size_t n = pick(s, sizeof(tmp)), j;

			for (j = 0; j < n; j++)
				tmp[j] = (uint8_t)synth_rand(s);
			kcap_builder__var(&b, f->offset, tmp, n);
		}
		}
	}
	return kcap_builder__finish(&b);
}

/* ---- a realistic mix ----------------------------------------------------- */

static const char *const paths[] = {
	"/etc/passwd",
	"/etc/group",
	"/etc/hosts",
	"/etc/resolv.conf",
	"/etc/nsswitch.conf",
	"/etc/ld.so.cache",
	"/etc/localtime",
	"/etc/nginx/nginx.conf",
	"/etc/ssl/certs/ca-certificates.crt",
	"/lib/x86_64-linux-gnu/libc.so.6",
	"/lib/x86_64-linux-gnu/libm.so.6",
	"/lib/x86_64-linux-gnu/libpthread.so.0",
	"/usr/lib/x86_64-linux-gnu/libssl.so.3",
	"/usr/lib/x86_64-linux-gnu/libcrypto.so.3",
	"/usr/lib/x86_64-linux-gnu/libz.so.1",
	"/usr/share/zoneinfo/UTC",
	"/proc/self/stat",
	"/proc/self/status",
	"/proc/meminfo",
	"/proc/stat",
	"/sys/fs/cgroup/cpu.max",
	"/var/log/nginx/access.log",
	"/var/log/nginx/error.log",
	"/var/lib/postgresql/15/main/base/16384/2619",
	"/var/lib/postgresql/15/main/pg_wal/000000010000000000000001",
	"/var/www/html/index.html",
	"/var/www/html/static/app.js",
	"/var/www/html/static/style.css",
	"/home/build/src/kcap/format/src/reader.c",
	"/home/build/src/kcap/format/src/writer.c",
	"/home/build/.cache/ccache/4/2/a1b2c3d4e5f6.o",
	"/tmp/tmp.k3j4h5/output.json",
	"/dev/null",
	"/dev/urandom",
	"node_modules/lodash/package.json",
	"src/main.c",
};

static const char *const lines[] = {
	"GET /api/v1/users/1842?fields=name,email HTTP/1.1\r\nHost: api.example.com\r\nUser-Agent: curl/7.88.1\r\nAccept: */*\r\n\r\n",
	"HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nDate: Mon, 23 Nov 2026 19:02:44 GMT\r\nContent-Type: application/json\r\nContent-Length: 412\r\n\r\n",
	"{\"id\":1842,\"name\":\"Ada Lovelace\",\"email\":\"ada@example.com\",\"created\":\"2026-11-23T19:02:44Z\",\"roles\":[\"admin\",\"dev\"]}\n",
	"127.0.0.1 - - [23/Nov/2026:19:02:44 +0000] \"GET /index.html HTTP/1.1\" 200 615 \"-\" \"Mozilla/5.0 (X11; Linux x86_64)\"\n",
	"2026-11-23 19:02:44.123 UTC [4242] LOG:  checkpoint complete: wrote 42 buffers (0.3%); 0 WAL file(s) added\n",
	"Nov 23 19:02:44 web1 systemd[1]: Started Session 42 of user build.\n",
	"root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\nbin:x:2:2:bin:/bin:/usr/sbin/nologin\n",
	"#include <stdio.h>\n#include <stdlib.h>\n\nint main(int argc, char **argv)\n{\n\treturn 0;\n}\n",
	"cpu  10132153 290696 3084719 46828483 16683 0 25195 0 0 0\ncpu0 1393280 32966 572056 13343292 6130 0 17875 0 0 0\n",
	"\x7f\x45\x4c\x46\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x03\x00\x3e\x00\x01\x00\x00\x00\x50\x32\x02\x00\x00\x00\x00\x00\x40\x00\x00\x00\x00\x00\x00\x00",
};

static const char *const exes[][4] = {
	{ "/usr/bin/ls", "ls", "-la", "/var/log" },
	{ "/usr/bin/grep", "grep", "-r", "TODO" },
	{ "/usr/bin/python3", "python3", "manage.py", "runserver" },
	{ "/usr/bin/git", "git", "status", "--short" },
	{ "/bin/sh", "sh", "-c", "make -j2" },
};

static void pick_thread(struct synth *s, uint32_t *pid, uint32_t *tid)
{
	/* a few processes are much busier than the rest */
	uint32_t p = pick(s, 4) ? pick(s, 6) : pick(s, 24);

	*pid = s->tids[p][0];
	*tid = s->tids[p][pick(s, s->nthreads[p])];
}

static void put_data(struct synth *s, struct kcap_builder *b, uint16_t off,
		     int64_t res)
{
	const char *l = lines[pick(s, sizeof(lines) / sizeof(lines[0]))];
	size_t n = l[0] == 0x7f ? 40 : strlen(l);

	if (res <= 0) {
		kcap_builder__var(b, off, "", 0);
		return;
	}
	if ((int64_t)n > res)
		n = (size_t)res;
	if (n > 80)
		n = 80;
	kcap_builder__var(b, off, l, n);
}

static void put_inet(struct kcap_builder *b, uint16_t off, const uint8_t ip[4],
		     uint16_t port)
{
	uint8_t sa[16] = {
		2,     0,    (uint8_t)(port >> 8), (uint8_t)port, ip[0], ip[1],
		ip[2], ip[3]
	};

	kcap_builder__var(b, off, sa, sizeof(sa));
}

int synth_mix(struct synth *s, void *buf)
{
	uint32_t r = pick(s, 1000), pid, tid;
	struct kcap_builder b;

	pick_thread(s, &pid, &tid);
	s->ts += 1000 + pick(s, 19000);
	if (r < 360) {
		struct kcap_ev_read *e =
			kcap_builder__start(&b, buf, KCAP_REC_MAX, s->schema,
					    KCAP_EV_read, tid, s->ts);

		e->fd = 3 + (int32_t)pick(s, 61);
		e->size = pick(s, 2) ? 4096 : 65536;
		e->res = pick(s, 10) ? (int64_t)pick(s, e->size) : 0;
		put_data(s, &b, F(read, data), e->res);
	} else if (r < 580) {
		struct kcap_ev_write *e =
			kcap_builder__start(&b, buf, KCAP_REC_MAX, s->schema,
					    KCAP_EV_write, tid, s->ts);

		e->fd = pick(s, 4) ? 3 + (int32_t)pick(s, 61) : 1;
		e->size = 20 + pick(s, 400);
		e->res = e->size;
		put_data(s, &b, F(write, data), e->res);
	} else if (r < 710) {
		struct kcap_ev_openat *e =
			kcap_builder__start(&b, buf, KCAP_REC_MAX, s->schema,
					    KCAP_EV_openat, tid, s->ts);
		const char *p =
			paths[pick(s, sizeof(paths) / sizeof(paths[0]))];

		e->dirfd = -100;
		e->flags = pick(s, 3) ? 0x80000 : 0x80241;
		e->mode = e->flags & 0x40 ? 0644 : 0;
		if (pick(s, 100) < 8) {
			e->res = -2;
		} else {
			e->res = 3 + pick(s, 61);
			e->dev = (8u << 20) | 1;
			e->ino = 100000 + pick(s, 5000);
		}
		kcap_builder__var(&b, F(openat, name), p, strlen(p));
	} else if (r < 840) {
		struct kcap_ev_close *e =
			kcap_builder__start(&b, buf, KCAP_REC_MAX, s->schema,
					    KCAP_EV_close, tid, s->ts);

		e->fd = 3 + (int32_t)pick(s, 61);
		e->res = 0;
	} else if (r < 890) {
		struct kcap_ev_newfstatat *e =
			kcap_builder__start(&b, buf, KCAP_REC_MAX, s->schema,
					    KCAP_EV_newfstatat, tid, s->ts);
		const char *p =
			paths[pick(s, sizeof(paths) / sizeof(paths[0]))];

		e->dirfd = -100;
		e->flags = 0;
		e->res = pick(s, 10) ? 0 : -2;
		kcap_builder__var(&b, F(newfstatat, path), p, strlen(p));
	} else if (r < 920) {
		struct kcap_ev_lseek *e =
			kcap_builder__start(&b, buf, KCAP_REC_MAX, s->schema,
					    KCAP_EV_lseek, tid, s->ts);

		e->fd = 3 + (int32_t)pick(s, 61);
		e->offset = (uint64_t)pick(s, 1 << 20);
		e->whence = 0;
		e->res = (int64_t)e->offset;
	} else if (r < 940) {
		struct kcap_ev_mmap *e =
			kcap_builder__start(&b, buf, KCAP_REC_MAX, s->schema,
					    KCAP_EV_mmap, tid, s->ts);

		e->addr = 0;
		e->length = 4096ull << pick(s, 8);
		e->prot = 3;
		e->flags = 0x22;
		e->fd = -1;
		e->offset = 0;
		e->res = 0x7f0000000000ll + ((int64_t)pick(s, 1 << 20) << 12);
	} else if (r < 950) {
		struct kcap_ev_connect *e =
			kcap_builder__start(&b, buf, KCAP_REC_MAX, s->schema,
					    KCAP_EV_connect, tid, s->ts);
		static const uint8_t lo[4] = { 127, 0, 0, 1 },
				     srv[4] = { 10, 0, 3, 17 };
		uint16_t port = pick(s, 2) ? 5432 : 443;

		e->fd = 3 + (int32_t)pick(s, 61);
		e->res = pick(s, 10) ? 0 : -111;
		put_inet(&b, F(connect, addr), port == 443 ? srv : lo, port);
		put_inet(&b, F(connect, laddr), lo,
			 (uint16_t)(32768 + pick(s, 28000)));
		put_inet(&b, F(connect, raddr), port == 443 ? srv : lo, port);
	} else if (r < 960) {
		struct kcap_ev_sendto *e =
			kcap_builder__start(&b, buf, KCAP_REC_MAX, s->schema,
					    KCAP_EV_sendto, tid, s->ts);

		e->fd = 3 + (int32_t)pick(s, 61);
		e->size = 40 + pick(s, 300);
		e->res = e->size;
		e->flags = 0;
		put_data(s, &b, F(sendto, data), e->res);
	} else if (r < 970) {
		struct kcap_ev_recvfrom *e =
			kcap_builder__start(&b, buf, KCAP_REC_MAX, s->schema,
					    KCAP_EV_recvfrom, tid, s->ts);

		e->fd = 3 + (int32_t)pick(s, 61);
		e->size = 65536;
		e->res = 40 + pick(s, 1400);
		e->flags = 0;
		put_data(s, &b, F(recvfrom, data), e->res);
	} else if (r < 974) {
		struct kcap_ev_clone *e =
			kcap_builder__start(&b, buf, KCAP_REC_MAX, s->schema,
					    KCAP_EV_clone, tid, s->ts);

		e->flags = 0x01200011; /* fork() through clone */
		e->tgid = (int32_t)pid;
		e->child_tid = e->child_pid = (int32_t)s->next_pid++;
		e->res = e->child_tid;
		e->uid = e->gid = 1000;
		kcap_builder__var(&b, F(clone, comm), "bash", 4);
	} else if (r < 977) {
		struct kcap_ev_execve *e =
			kcap_builder__start(&b, buf, KCAP_REC_MAX, s->schema,
					    KCAP_EV_execve, tid, s->ts);
		const char *const *x = exes[pick(s, 5)];
		char argv[128];
		size_t n = 0, i;

		for (i = 1; i < 4; i++) {
			size_t l = strlen(x[i]) + 1;

			memcpy(argv + n, x[i], l);
			n += l;
		}
		e->res = 0;
		e->tgid = (int32_t)pid;
		e->ppid = 1;
		e->uid = e->gid = e->euid = e->egid = 1000;
		kcap_builder__var(&b, F(execve, filename), x[0], strlen(x[0]));
		kcap_builder__var(&b, F(execve, argv), argv, n);
		kcap_builder__var(&b, F(execve, exe), x[0], strlen(x[0]));
		kcap_builder__var(&b, F(execve, cwd), "/home/build", 11);
		kcap_builder__var(&b, F(execve, comm), x[1], strlen(x[1]));
	} else if (r < 980) {
		struct kcap_ev_procexit *e =
			kcap_builder__start(&b, buf, KCAP_REC_MAX, s->schema,
					    KCAP_EV_procexit, tid, s->ts);

		e->status = 0;
		e->ret = 0;
		e->sig = 0;
		e->core = 0;
		e->tgid = (int32_t)pid;
	} else {
		struct kcap_ev_syscall *e =
			kcap_builder__start(&b, buf, KCAP_REC_MAX, s->schema,
					    KCAP_EV_syscall, tid, s->ts);

		e->nr = pick(s, 2) ? 202 : 232; /* futex, epoll_wait */
		e->res = 0;
		e->a0 = 0x7f3a12345000ull + pick(s, 4096) * 8;
		e->a1 = 128;
		e->a2 = 1;
		e->a3 = e->a4 = e->a5 = 0;
	}
	return kcap_builder__finish(&b);
}

size_t synth_snapshot(struct synth *s, void *buf, size_t cap)
{
	uint8_t *p = buf;
	size_t len = 0;
	unsigned int i, t;
	struct kcap_builder b;

	for (i = 0; i < 24; i++) {
		for (t = 0; t < s->nthreads[i]; t++) {
			struct kcap_ev_snap_proc *e;
			int n;

			e = kcap_builder__start(&b, p + len, cap - len,
						s->schema, KCAP_EV_snap_proc,
						s->tids[i][t], s->ts);
			if (!e)
				return len;
			e->tgid = (int32_t)s->tids[i][0];
			e->ppid = 1;
			e->uid = e->gid = e->euid = e->egid = 1000;
			e->start_ts = s->ts - 1000000000ull;
			kcap_builder__var(&b, F(snap_proc, comm), "nginx", 5);
			kcap_builder__var(&b, F(snap_proc, exe),
					  "/usr/sbin/nginx", 15);
			kcap_builder__var(&b, F(snap_proc, argv),
					  "nginx\0-g\0daemon off;", 21);
			kcap_builder__var(&b, F(snap_proc, cwd), "/", 1);
			n = kcap_builder__finish(&b);
			if (n < 0)
				return len;
			len += (size_t)n;
		}
	}
	return len;
}

int synth_loss(void *buf, uint64_t ts, uint64_t end, uint16_t evtype,
	       uint16_t reason, uint64_t count)
{
	struct kcap_builder b;
	struct kcap_ev_loss *l = kcap_builder__start(&b, buf, KCAP_REC_MAX,
						     kcap_schema__builtin(),
						     KCAP_EV_loss, 0, ts);

	if (!l)
		return b.err;
	l->end_ts = end;
	l->count = count;
	l->cpu = 0;
	l->evtype = evtype;
	l->reason = reason;
	return kcap_builder__finish(&b);
}
