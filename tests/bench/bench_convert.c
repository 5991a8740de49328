// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bench_convert: legacy .scap conversion speed and output size
 * (docs/PERFORMANCE.md, "Converter").
 *
 * Writes a legacy capture of N events (enter+exit pairs, the libs 0.21
 * layout: one event per EV_V2 block) with the test writer, plain and
 * gzip'd, then times, on the files in the page cache:
 *   read:    kcap_scap__open_reader + kcap_reader__next_record to the end,
 *            as `kcap read`/`kcap info` on a .scap (converter thread + pipe)
 *   convert: kcap_scap__convert into a zstd kcap_writer (`kcap convert`)
 *   reader:  the legacy reader alone (no conversion), for reference
 * and reports input events/s and the .kcap's size against the gzip'd .scap.
 *
 *   bench_convert [-n EVENTS] [-r ROUNDS] [-d DIR] [-k] [-m MIX] [-z]
 *     -k keeps the files; -m server (default) or uniform, the legacy
 *     capture's mix (see make_server, make_uniform); -z also converts at
 *     other zstd levels and block sizes, for their sizes and speeds
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include "kcap/scap.h"
#include "scap_internal.h"
#include "scapw.h"

static double clk(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double now(void)
{
	return clk(CLOCK_MONOTONIC);
}

/*
 * CPU time of the whole process (every thread): on a shared machine the
 * wall clock says more about the neighbours than about the code.
 */
static double cpu_now(void)
{
	return clk(CLOCK_PROCESS_CPUTIME_ID);
}

static double cpu_used;

static void report(const char *what, uint64_t nev, double wall)
{
	printf("%-34s %6.2f M input events/s wall, %6.2f M/s per CPU "
	       "second (%.0f ms wall, %.0f ms CPU)\n",
	       what, nev / wall / 1e6, nev / cpu_used / 1e6, wall * 1e3,
	       cpu_used * 1e3);
}

static uint32_t rnd(uint64_t *s)
{
	*s = *s * 6364136223846793005ull + 1442695040888963407ull;
	return (uint32_t)(*s >> 33);
}

/* ---- the "uniform" mix (the first benchmark's): iid choices ------------- */

static const char *paths[] = {
	"/etc/ld.so.cache",	   "/lib/x86_64-linux-gnu/libc.so.6",
	"/proc/self/status",	   "/var/log/nginx/access.log",
	"/usr/share/zoneinfo/UTC", "/home/app/data/cache/0001.bin",
	"/etc/nsswitch.conf",	   "/sys/fs/cgroup/cpu.max",
};

/* In pairs: read, write, open, close, generic; every draw independent. */
static void make_uniform(struct scapw *w, uint64_t nev, uint64_t *pairs_out)
{
	uint64_t s = 42, ts = 1700000000000000000ull, pairs = 0;
	char data[80];
	int i;

	for (i = 0; i < 80; i++)
		data[i] = (char)('a' + i % 26);
	scapw_init(w);
	scapw_shb(w, 1, 2);
	scapw_mi(w, 8, 16ull << 30, "benchhost", ts - 1000000000000ull);
	while (pairs * 2 < nev) {
		uint32_t r = rnd(&s) % 100, tid = 1000 + rnd(&s) % 64;
		uint32_t n = 1 + rnd(&s) % 80;
		uint16_t cpu = (uint16_t)(tid % 8);
		int64_t fd = 3 + rnd(&s) % 20;

		ts += 200 + rnd(&s) % 1000;
		if (r < 40 || r >= 96) { /* read */
			scapw_ev(w, SW_EV_V2, cpu, 0, ts, tid, 6, 2,
				 (struct sp[]){ sp_u64((uint64_t)fd),
						sp_u32(4096) });
			scapw_ev(w, SW_EV_V2, cpu, 0, ts + 900, tid, 7, 2,
				 (struct sp[]){ sp_u64(n), sp_buf(data, n) });
		} else if (r < 65) { /* write */
			scapw_ev(w, SW_EV_V2, cpu, 0, ts, tid, 8, 2,
				 (struct sp[]){ sp_u64((uint64_t)fd),
						sp_u32(n) });
			scapw_ev(w, SW_EV_V2, cpu, 0, ts + 900, tid, 9, 2,
				 (struct sp[]){ sp_u64(n), sp_buf(data, n) });
		} else if (r < 80) { /* open */
			scapw_ev(w, SW_EV_V2, cpu, 0, ts, tid, 2, 3,
				 (struct sp[]){ sp_str(paths[n % 8]),
						sp_u32(1 | (1 << 12)),
						sp_u32(0) });
			scapw_ev(w, SW_EV_V2, cpu, 0, ts + 2000, tid, 3, 6,
				 (struct sp[]){ sp_u64((uint64_t)fd),
						sp_str(paths[n % 8]),
						sp_u32(1 | (1 << 12)),
						sp_u32(0), sp_u32(0x801),
						sp_u64(100000 + n) });
		} else if (r < 95) { /* close */
			scapw_ev(w, SW_EV_V2, cpu, 0, ts, tid, 4, 1,
				 (struct sp[]){ sp_u64((uint64_t)fd) });
			scapw_ev(w, SW_EV_V2, cpu, 0, ts + 300, tid, 5, 1,
				 (struct sp[]){ sp_u64(0) });
		} else { /* a syscall without its own event */
			scapw_ev(w, SW_EV_V2, cpu, 0, ts, tid, 0, 2,
				 (struct sp[]){ sp_u16(4), sp_u16(228) });
			scapw_ev(w, SW_EV_V2, cpu, 0, ts + 100, tid, 1, 1,
				 (struct sp[]){ sp_u16(4) });
		}
		pairs++;
	}
	*pairs_out = pairs;
}

/* ---- the "server" mix: what a busy host records ------------------------- */

/*
 * A web server (24 threads), a database (16) and housekeeping (8), three
 * processes on an 8-cpu host. Each thread runs its role's cycle of
 * syscalls; fds are the process's lowest free ones, reused after close;
 * sockets stay open for 20-200 requests. Gaps and durations are drawn
 * log-uniformly to the nanosecond, and every enter and exit is sorted by
 * time, so threads interleave as they do on a real host. The data is the
 * first 80 bytes (the legacy snaplen) of what the syscall moves: HTTP
 * requests and responses, access-log lines, static files, PostgreSQL
 * protocol messages and heap pages, /proc files, built from the small
 * fixed corpus below with their numbers (ids, dates, sizes, LSNs, ports,
 * addresses, counters) drawn at random.
 */
enum { SK_READ, SK_WRITE, SK_OPEN, SK_CLOSE, SK_GENERIC, SK_N };

struct spair {
	uint64_t ts_e, ts_x;
	int64_t res;
	uint32_t tid, size, data_off;
	int32_t fd;
	uint16_t data_len, nr;
	uint8_t kind, path;
};

struct sevt {
	uint64_t ts;
	uint32_t pair, exit;
};

static const struct sfile {
	const char *path, *head;
	uint32_t size;
} sfiles[] = {
	{ "/var/www/html/index.html",
	  "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8"
	  "\">\n<title>Example shop</title>\n<link rel=\"stylesheet\" ",
	  14213 },
	{ "/var/www/html/css/site.css",
	  "body{margin:0;font-family:-apple-system,BlinkMacSystemFont,\"Se"
	  "goe UI\",Roboto,sans-serif;color:#222}\n",
	  38112 },
	{ "/var/www/html/js/app.js",
	  "\"use strict\";(function(){var e=document.querySelector(\"#cart\")"
	  ",t=window.localStorage;function n(e){",
	  91230 },
	{ "/var/www/html/img/logo.png",
	  "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\xc8\0\0\0\x40\x08\x06\0\0\0"
	  "\x1f\x3e\x9a\x2b\0\0\0\x04gAMA\0\0\xb1\x8f\x0b\xfc\x61\x05\0\0\0"
	  "\x20"
	  "cHRM\0\0z&\0\0\x80\x84\0\0\xfa\0\0\0\x80\xe8\0\0u0\0\0\xea"
	  "`\0\0:\x98\0\0\x17p\x9c\xbaQ<",
	  6731 },
	{ "/var/www/html/api/status.json",
	  "{\"status\":\"ok\",\"version\":\"2.14.3\",\"uptime\":8812734,\"work"
	  "ers\":24,\"queue\":{\"pending\":0,",
	  412 },
	{ "/var/www/html/favicon.ico",
	  "\0\0\1\0\1\0\x10\x10\0\0\1\0\x20\0\x68\x04\0\0\x16\0\0\0\x28\0\0"
	  "\0\x10\0\0\0\x20\0\0\0\1\0\x20\0\0\0\0\0\0\x04\0\0\x13\x0b\0\0"
	  "\x13\x0b\0\0\0\0\0\0\0\0\0\0\xff\xff\xff\0\xff\xff\xff\0\xff\xff"
	  "\xff\0\xff\xff\xff\0",
	  1150 },
	{ "/var/www/html/docs/install.html",
	  "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8"
	  "\">\n<title>Installing the client</title>\n<meta name=",
	  22871 },
	{ "/var/www/html/robots.txt",
	  "User-agent: *\nDisallow: /cart/\nDisallow: /account/\nDisallow: /"
	  "api/\nSitemap: https://www.ex",
	  142 },
	{ "/etc/nginx/mime.types",
	  "\ntypes {\n    text/html                                        html"
	  " htm shtml;\n    text",
	  5349 },
	{ "/etc/ssl/certs/ca-certificates.crt",
	  "-----BEGIN CERTIFICATE-----\nMIIH0zCCBbugAwIBAgIIXsO3pkN/pOAwDQYJ"
	  "KoZIhvcNAQEFBQAwQjESMBAGA1",
	  219963 },
};
#define N_SFILES (sizeof(sfiles) / sizeof(sfiles[0]))
#define SF_WEB 8 /* the first 8 are served */

static const char *const urls[] = {
	"/",	       "/css/site.css", "/js/app.js",	      "/img/logo.png",
	"/api/status", "/favicon.ico",	"/docs/install.html", "/robots.txt",
};
static const char *const sqls[] = {
	"SELECT id, name, email, created_at FROM users WHERE id = %u",
	"SELECT o.id, o.total, o.status FROM orders o WHERE o.user_id = %u "
	"ORDER BY o.created_at DESC LIMIT 20",
	"UPDATE orders SET status = 'shipped', updated_at = now() WHERE id "
	"= %u",
	"INSERT INTO events (user_id, kind, payload) VALUES (%u, 'view', "
	"'{}')",
	"SELECT count(*) FROM cart_items WHERE cart_id = %u",
};
static const char *const names[] = { "alice", "bob",   "carol", "dave",
				     "erin",  "frank", "grace", "heidi" };
static const char *const uas[] = {
	"Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0",
	"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, "
	"like Gecko) Chrome/119.0.0.0 Safari/537.36",
	"curl/7.88.1",
};
static const char *const mons[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
				    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

/* log-uniform in [lo, hi) ns, to the nanosecond */
static uint64_t loguni(uint64_t *s, double lo, double hi)
{
	double u = rnd(s) / 4294967296.0;

	return (uint64_t)(lo * exp(u * log(hi / lo)));
}

struct sproc {
	uint8_t open[256]; /* its fd table */
};
struct sthread {
	uint32_t tid, step, sock_left;
	int32_t sock, file;
	uint8_t proc, file_path;
	uint64_t free_at, fsize, db_page;
};

static int32_t fd_alloc(struct sproc *p)
{
	int32_t fd;

	for (fd = 3; fd < 256 && p->open[fd]; fd++)
		;
	if (fd == 256)
		abort();
	p->open[fd] = 1;
	return fd;
}

struct sgen {
	uint64_t s;
	uint8_t *arena;
	size_t alen, acap;
	struct spair *pr;
	size_t np;
	uint64_t mix[SK_N];
};

/* The data's first 80 bytes (the snaplen) go to the arena. */
static void put_data(struct sgen *g, struct spair *p, const void *d, size_t n)
{
	if (n > 80)
		n = 80;
	if (g->alen + n > g->acap) {
		g->acap = g->acap ? g->acap * 2 : 1 << 20;
		g->arena = realloc(g->arena, g->acap);
		if (!g->arena)
			abort();
	}
	memcpy(g->arena + g->alen, d, n);
	p->data_off = (uint32_t)g->alen;
	p->data_len = (uint16_t)n;
	g->alen += n;
}

static void http_date(char *b, size_t n, uint64_t ts)
{
	time_t t = (time_t)(ts / 1000000000ull);
	struct tm tm;

	gmtime_r(&t, &tm);
	snprintf(b, n, "%02d/%s/%d:%02d:%02d:%02d +0000", tm.tm_mday,
		 mons[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
		 tm.tm_sec);
}

/* A big-endian u32 at b[n]: the new n. */
static uint32_t be32(char *b, uint32_t n, uint32_t v)
{
	b[n] = (char)(v >> 24);
	b[n + 1] = (char)(v >> 16);
	b[n + 2] = (char)(v >> 8);
	b[n + 3] = (char)v;
	return n + 4;
}

/* The next syscall of thread t (role by its index), at ts. */
static void next_call(struct sgen *g, struct sthread *t, struct sproc *pr,
		      int idx, struct spair *p)
{
	char b[512], d[64];
	uint64_t *s = &g->s;
	uint32_t k, n;

	memset(p, 0, sizeof(*p));
	p->tid = t->tid;
	p->fd = -1;
	if (t->sock < 0 || !t->sock_left) {
		if (t->sock >= 0)
			pr->open[t->sock] = 0;
		t->sock = fd_alloc(pr);
		t->sock_left = 20 + rnd(s) % 180;
	}
	if (rnd(s) % 100 < 3) { /* futex, epoll_wait, clock_gettime, ... */
		static const uint16_t nrs[] = { 202, 232, 228, 7, 39, 24 };

		p->kind = SK_GENERIC;
		p->nr = nrs[rnd(s) % 6];
		return;
	}
	if (idx < 24) { /* web: request, file, response, log line */
		const struct sfile *f;

		switch (t->step++ % 7) {
		case 0:
			t->file_path = (uint8_t)(rnd(s) % SF_WEB);
			t->sock_left--;
			k = t->file_path;
			n = (uint32_t)snprintf(
				b, sizeof(b),
				"GET %s%s%u HTTP/1.1\r\nHost: www.example.com"
				"\r\nUser-Agent: %s\r\nAccept: */*\r\nCookie: "
				"sid=%08x%08x\r\n\r\n",
				urls[k], k == 4 ? "?since=" : "?v=",
				k == 4 ? rnd(s) : 3 + rnd(s) % 4,
				uas[rnd(s) % 3], rnd(s), rnd(s));
			p->kind = SK_READ;
			p->fd = t->sock;
			p->size = 16384;
			p->res = n;
			put_data(g, p, b, n);
			break;
		case 1:
			p->kind = SK_OPEN;
			p->path = t->file_path;
			t->file = fd_alloc(pr);
			p->res = t->file;
			break;
		case 2:
			f = &sfiles[t->file_path];
			p->kind = SK_READ;
			p->fd = t->file;
			p->size = 65536;
			p->res = f->size < 65536 ? f->size : 65536;
			put_data(g, p, f->head, strlen(f->head) + 1);
			break;
		case 3:
			f = &sfiles[t->file_path];
			http_date(d, sizeof(d), t->free_at);
			n = (uint32_t)snprintf(
				b, sizeof(b),
				"HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\n"
				"Date: %s\r\nContent-Length: %u\r\nConnection:"
				" keep-alive\r\n\r\n",
				d, f->size);
			p->kind = SK_WRITE;
			p->fd = t->sock;
			p->size = n;
			p->res = n;
			put_data(g, p, b, n);
			break;
		case 4:
			f = &sfiles[t->file_path];
			p->kind = SK_WRITE;
			p->fd = t->sock;
			p->size = f->size < 65536 ? f->size : 65536;
			p->res = p->size;
			put_data(g, p, f->head, strlen(f->head) + 1);
			break;
		case 5:
			p->kind = SK_CLOSE;
			p->fd = t->file;
			pr->open[t->file] = 0;
			break;
		default:
			http_date(d, sizeof(d), t->free_at);
			n = (uint32_t)snprintf(
				b, sizeof(b),
				"10.%u.%u.%u - - [%s] \"GET %s HTTP/1.1\" 200 "
				"%u \"-\" \"%s\"\n",
				rnd(s) % 4, rnd(s) % 256, 1 + rnd(s) % 254, d,
				urls[t->file_path], sfiles[t->file_path].size,
				uas[rnd(s) % 3]);
			p->kind = SK_WRITE;
			p->fd = 4; /* access.log */
			p->size = n;
			p->res = n;
			put_data(g, p, b, n);
		}
	} else if (idx < 40) { /* database: query, pages, rows */
		switch (t->step++ % 5) {
		case 0:
			n = (uint32_t)snprintf(b + 5, sizeof(b) - 5,
					       sqls[rnd(s) % 5],
					       rnd(s) % 500000) +
			    6;
			b[0] = 'Q';
			be32(b, 1, n - 1);
			t->sock_left--;
			p->kind = SK_READ;
			p->fd = t->sock;
			p->size = 8192;
			p->res = n;
			put_data(g, p, b, n);
			break;
		case 1:
		case 2: {
			/* a heap page: LSN, checksum, bounds, line pointers */
			uint8_t pg[80];
			uint32_t i, nt = 20 + rnd(s) % 40;
			uint16_t up = (uint16_t)(8192 - nt * 120);

			t->db_page += 1 + rnd(s) % 8;
			memset(pg, 0, sizeof(pg));
			pg[0] = 0x2f;
			memcpy(pg + 4,
			       &(uint32_t){ 0x1c000000 + rnd(s) % 0x1000000 },
			       4);
			memcpy(pg + 8, &(uint16_t){ (uint16_t)rnd(s) }, 2);
			memcpy(pg + 12, &(uint16_t){ (uint16_t)(24 + nt * 4) },
			       2);
			memcpy(pg + 14, &up, 2);
			memcpy(pg + 16, &(uint16_t){ 8192 }, 2);
			memcpy(pg + 18, &(uint16_t){ 0x2004 }, 2);
			for (i = 0; i < 14; i++) {
				uint32_t lp = (8192u - (i + 1) * 120) |
					      1u << 15 | 120u << 17;

				memcpy(pg + 24 + i * 4, &lp, 4);
			}
			p->kind = SK_READ;
			p->fd = 7 + (int32_t)(t->db_page % 5); /* relations */
			p->size = 8192;
			p->res = 8192;
			put_data(g, p, pg, sizeof(pg));
			break;
		}
		case 3: {
			/* a DataRow: id, name, email */
			const char *nm = names[rnd(s) % 8];
			uint32_t l = (uint32_t)strlen(nm);

			n = 0;
			b[n++] = 'D';
			n = be32(b, n, 4 + 2 + 4 + 6 + 4 + l + 4 + l + 12);
			b[n++] = 0;
			b[n++] = 3;
			n = be32(b, n, 6);
			n += (uint32_t)snprintf(b + n, 8, "%06u",
						rnd(s) % 1000000);
			n = be32(b, n, l);
			memcpy(b + n, nm, l);
			n += l;
			n = be32(b, n, l + 12);
			memcpy(b + n, nm, l);
			memcpy(b + n + l, "@example.org", 12);
			n += l + 12;
			p->kind = SK_WRITE;
			p->fd = t->sock;
			p->size = n * (1 + rnd(s) % 20) + 40;
			p->res = p->size;
			put_data(g, p, b, n);
			break;
		}
		default:
			/* CommandComplete and ReadyForQuery */
			n = 0;
			b[n++] = 'C';
			k = (uint32_t)snprintf(d, sizeof(d), "SELECT %u",
					       1 + rnd(s) % 20);
			n = be32(b, n, 4 + k + 1);
			memcpy(b + n, d, k + 1);
			n += k + 1;
			b[n++] = 'Z';
			n = be32(b, n, 5);
			b[n++] = 'I';
			p->kind = SK_WRITE;
			p->fd = t->sock;
			p->size = n;
			p->res = n;
			put_data(g, p, b, n);
		}
	} else { /* housekeeping: /proc and config files, its log */
		switch (t->step++ % 4) {
		case 0:
			t->file_path = (uint8_t)(8 + rnd(s) % 2);
			p->kind = SK_OPEN;
			p->path = t->file_path;
			t->file = fd_alloc(pr);
			p->res = t->file;
			break;
		case 1:
			p->kind = SK_READ;
			p->fd = t->file;
			p->size = 4096;
			p->res = 4096;
			put_data(g, p, sfiles[t->file_path].head,
				 strlen(sfiles[t->file_path].head) + 1);
			break;
		case 2:
			p->kind = SK_CLOSE;
			p->fd = t->file;
			pr->open[t->file] = 0;
			break;
		default:
			http_date(d, sizeof(d), t->free_at);
			n = (uint32_t)snprintf(
				b, sizeof(b),
				"%s monitor[%u]: load %u.%02u mem %u kB free, "
				"%u connections\n",
				d, t->tid, rnd(s) % 4, rnd(s) % 100,
				1000000 + rnd(s) % 3000000, rnd(s) % 2000);
			p->kind = SK_WRITE;
			p->fd = 3;
			p->size = n;
			p->res = n;
			put_data(g, p, b, n);
		}
	}
}

static int sevt_cmp(const void *a, const void *b)
{
	const struct sevt *x = a, *y = b;

	return x->ts < y->ts ? -1 : x->ts > y->ts;
}

static void make_server(struct scapw *w, uint64_t nev, uint64_t *pairs_out,
			uint64_t *mix)
{
	static const uint32_t dur[SK_N][2] = {
		{ 500, 6000 }, { 900, 9000 }, { 1200, 8000 },
		{ 150, 700 },  { 80, 3000 },
	};
	struct sgen g = { .s = 42 };
	struct sthread th[48];
	struct sproc *pr = calloc(3, sizeof(*pr));
	struct sevt *ev;
	uint64_t t = 1764510000000000000ull, npairs = (nev + 1) / 2, i;
	int j;

	g.pr = calloc(npairs, sizeof(*g.pr));
	ev = calloc(npairs * 2, sizeof(*ev));
	if (!g.pr || !ev || !pr)
		abort();
	for (j = 0; j < 3; j++)
		memset(pr[j].open, 1, 13); /* std, logs, listeners, relations */
	for (j = 0; j < 48; j++) {
		th[j] = (struct sthread){
			.tid = (j < 24 ? 2101 :
				j < 40 ? 3301 :
					 4400) +
			       (uint32_t)j * 3,
			.sock = -1,
			.proc = (uint8_t)(j < 24 ? 0 :
					  j < 40 ? 1 :
						   2),
			.step = (uint32_t)j * 5,
		};
	}
	for (i = 0; i < npairs; i++) {
		struct spair *p = &g.pr[i];
		uint32_t r = rnd(&g.s) % 100, a, b;
		int idx, tries;

		t += loguni(&g.s, 100, 4000);
		/* 60% web, 32% database, 8% housekeeping; hot threads */
		a = r < 60 ? 0 : r < 92 ? 24 : 40;
		b = r < 60 ? 24 : r < 92 ? 16 : 8;
		idx = (int)(a + (rnd(&g.s) % b) * (rnd(&g.s) % b) / b);
		for (tries = 0; th[idx].free_at > t && tries < 48; tries++)
			idx = (idx + 1) % 48;
		if (th[idx].free_at > t)
			t = th[idx].free_at;
		next_call(&g, &th[idx], &pr[th[idx].proc], idx, p);
		p->ts_e = t;
		p->ts_x = t + loguni(&g.s, dur[p->kind][0], dur[p->kind][1]);
		th[idx].free_at = p->ts_x + loguni(&g.s, 300, 5000);
		g.mix[p->kind]++;
		ev[2 * i] = (struct sevt){ p->ts_e, (uint32_t)i, 0 };
		ev[2 * i + 1] = (struct sevt){ p->ts_x, (uint32_t)i, 1 };
	}
	qsort(ev, npairs * 2, sizeof(*ev), sevt_cmp);
	scapw_init(w);
	scapw_shb(w, 1, 2);
	scapw_mi(w, 8, 64ull << 30, "web-03", t - 86400000000000ull);
	for (i = 0; i < npairs * 2; i++) {
		const struct spair *p = &g.pr[ev[i].pair];
		uint16_t cpu = (uint16_t)(p->tid % 8);
		uint64_t ts = ev[i].ts;
		const char *path = sfiles[p->path].path;
		const uint8_t *data = g.arena + p->data_off;

		switch (p->kind * 2 + ev[i].exit) {
		case SK_READ * 2:
		case SK_WRITE * 2:
			scapw_ev(w, SW_EV_V2, cpu, 0, ts, p->tid,
				 p->kind == SK_READ ? 6 : 8, 2,
				 (struct sp[]){ sp_u64((uint64_t)p->fd),
						sp_u32(p->size) });
			break;
		case SK_READ * 2 + 1:
		case SK_WRITE * 2 + 1:
			scapw_ev(w, SW_EV_V2, cpu, 0, ts, p->tid,
				 p->kind == SK_READ ? 7 : 9, 2,
				 (struct sp[]){ sp_u64((uint64_t)p->res),
						sp_buf(data, p->data_len) });
			break;
		case SK_OPEN * 2:
			scapw_ev(w, SW_EV_V2, cpu, 0, ts, p->tid, 2, 3,
				 (struct sp[]){ sp_str(path),
						sp_u32(1 << 12 | 1 << 9),
						sp_u32(0) });
			break;
		case SK_OPEN * 2 + 1:
			scapw_ev(w, SW_EV_V2, cpu, 0, ts, p->tid, 3, 6,
				 (struct sp[]){
					 sp_u64((uint64_t)p->res), sp_str(path),
					 sp_u32(1 << 12 | 1 << 9), sp_u32(0),
					 sp_u32(0x801),
					 sp_u64(393219 + p->path * 17) });
			break;
		case SK_CLOSE * 2:
			scapw_ev(w, SW_EV_V2, cpu, 0, ts, p->tid, 4, 1,
				 (struct sp[]){ sp_u64((uint64_t)p->fd) });
			break;
		case SK_CLOSE * 2 + 1:
			scapw_ev(w, SW_EV_V2, cpu, 0, ts, p->tid, 5, 1,
				 (struct sp[]){ sp_u64(0) });
			break;
		case SK_GENERIC * 2:
			scapw_ev(w, SW_EV_V2, cpu, 0, ts, p->tid, 0, 2,
				 (struct sp[]){ sp_u16(p->nr), sp_u16(p->nr) });
			break;
		default:
			scapw_ev(w, SW_EV_V2, cpu, 0, ts, p->tid, 1, 1,
				 (struct sp[]){ sp_u16(p->nr) });
		}
	}
	memcpy(mix, g.mix, sizeof(g.mix));
	*pairs_out = npairs;
	free(ev);
	free(g.pr);
	free(g.arena);
	free(pr);
}

static void save(const char *path, const void *buf, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(buf, 1, len, f) != len || fclose(f)) {
		perror(path);
		exit(1);
	}
}

static uint64_t fsize(const char *path)
{
	struct stat st;

	return stat(path, &st) ? 0 : (uint64_t)st.st_size;
}

static double bench_read(const char *path, uint64_t *recs)
{
	struct kcap_scap_conv *cv;
	struct kcap_reader *r;
	const struct kcap_hdr *h;
	const char *msg;
	double c = cpu_now(), t = now();
	uint64_t n = 0, sum = 0;

	r = kcap_scap__open_reader(path, &cv);
	if (!r) {
		fprintf(stderr, "%s: %s\n", path, kcap_last_errmsg());
		exit(1);
	}
	while (kcap_reader__next_record(r, &h) > 0) {
		n++;
		sum += h->len;
	}
	if (kcap_scap__close_reader(cv, r, &msg)) {
		fprintf(stderr, "%s: %s\n", path, msg);
		exit(1);
	}
	*recs = n + (sum & 0);
	t = now() - t;
	cpu_used = cpu_now() - c;
	return t;
}

static double bench_legacy(const char *path, uint64_t *evs)
{
	struct scap_item *it = malloc(sizeof(*it));
	double c = cpu_now(), t = now();
	struct scap_rd *rd = scap_rd__open(path);
	uint64_t n = 0;

	while (scap_rd__next(rd, it) > 0)
		n += it->kind == SCAP_IT_EVENT;
	*evs = n;
	t = now() - t;
	cpu_used = cpu_now() - c;
	scap_rd__close(rd);
	free(it);
	return t;
}

/* Every record of a .kcap, as kcap read's reader hands them out. */
static double bench_kread(const char *path, uint64_t *recs)
{
	const struct kcap_hdr *h;
	double c = cpu_now(), t = now();
	struct kcap_reader *r = kcap_reader__open(path, NULL);
	uint64_t n = 0;
	int k;

	if (!r) {
		fprintf(stderr, "%s: %s\n", path, kcap_last_errmsg());
		exit(1);
	}
	while ((k = kcap_reader__next_record(r, &h)) > 0)
		n++;
	if (k < 0) {
		fprintf(stderr, "%s: %s\n", path, kcap_reader__errmsg(r));
		exit(1);
	}
	kcap_reader__close(r);
	*recs = n;
	t = now() - t;
	cpu_used = cpu_now() - c;
	return t;
}

/*
 * async 4: as kcap convert does, the writer's thread compresses;
 * async 0: everything on the calling thread, the one-core figure.
 */
static double bench_convert(const char *in, const char *out,
			    struct kcap_scap_report *rep, int codec,
			    uint32_t async, int level, uint32_t block_size)
{
	struct kcap_writer *w;
	double c = cpu_now(), t = now();

	KCAP_OPTS(kcap_writer_opts, wo, .codec = codec, .level = level,
		  .block_size = block_size, .async_blocks = async);
	w = kcap_writer__open(out, &wo);
	if (!w || kcap_scap__convert(in, w, NULL, rep) ||
	    kcap_writer__close(w)) {
		fprintf(stderr, "convert %s failed: %s\n", in, rep->err_msg);
		exit(1);
	}
	t = now() - t;
	cpu_used = cpu_now() - c;
	return t;
}

int main(int argc, char **argv)
{
	static const struct {
		int codec, level;
		uint32_t block;
	} sizes[] = {
		{ KCAP_CODEC_ZSTD, 1, 1 << 20 },
		{ KCAP_CODEC_ZSTD, 3, 1 << 20 },
		{ KCAP_CODEC_ZSTD, 1, 4 << 20 },
		{ KCAP_CODEC_ZSTD, 3, 4 << 20 },
		{ KCAP_CODEC_ZSTD, 6, 4 << 20 },
		{ KCAP_CODEC_ZSTD, 9, 4 << 20 },
		{ KCAP_CODEC_ZSTD_COLS, 1, 1 << 20 },
		{ KCAP_CODEC_ZSTD_COLS, 3, 1 << 20 },
		{ KCAP_CODEC_ZSTD_COLS, 1, 4 << 20 },
	};
	uint64_t nev = 1500000, pairs, recs, evs, mix[SK_N] = { 0 };
	const char *mixname = "server";
	unsigned int i;
	const char *dir = "/tmp";
	char plain[512], gzp[512], out[512], outz[512];
	struct kcap_scap_report *rep = calloc(1, sizeof(*rep));
	struct scapw w;
	uint8_t *gz;
	size_t gzlen;
	double t;
	int opt, round, keep = 0, rounds = 3, sweep = 0;

	while ((opt = getopt(argc, argv, "n:d:kr:m:z")) != -1) {
		if (opt == 'z')
			sweep = 1;
		else if (opt == 'm')
			mixname = optarg;
		else if (opt == 'n')
			nev = strtoull(optarg, NULL, 0);
		else if (opt == 'd')
			dir = optarg;
		else if (opt == 'k')
			keep = 1;
		else if (opt == 'r')
			rounds = atoi(optarg);
		else {
			fprintf(stderr, "usage: bench_convert [-n EVENTS] "
					"[-d DIR] [-k] [-r ROUNDS] "
					"[-m server|uniform] [-z]\n");
			return 2;
		}
	}
	snprintf(plain, sizeof(plain), "%s/bench_convert.%d.scap", dir,
		 (int)getpid());
	snprintf(gzp, sizeof(gzp), "%s/bench_convert.%d.scap.gz", dir,
		 (int)getpid());
	snprintf(out, sizeof(out), "%s/bench_convert.%d.kcap", dir,
		 (int)getpid());
	snprintf(outz, sizeof(outz), "%s/bench_convert.%d.zstd.kcap", dir,
		 (int)getpid());
	if (!strcmp(mixname, "uniform")) {
		make_uniform(&w, nev, &pairs);
	} else if (!strcmp(mixname, "server")) {
		make_server(&w, nev, &pairs, mix);
		printf("server mix: %.1f%% read, %.1f%% write, %.1f%% open, "
		       "%.1f%% close, %.1f%% generic (of %llu syscalls)\n",
		       100.0 * mix[SK_READ] / pairs,
		       100.0 * mix[SK_WRITE] / pairs,
		       100.0 * mix[SK_OPEN] / pairs,
		       100.0 * mix[SK_CLOSE] / pairs,
		       100.0 * mix[SK_GENERIC] / pairs,
		       (unsigned long long)pairs);
	} else {
		fprintf(stderr, "unknown mix %s\n", mixname);
		return 2;
	}
	nev = pairs * 2;
	save(plain, w.buf, w.len);
	gz = scapw_gzip(&w, &gzlen);
	save(gzp, gz, gzlen);
	printf("legacy capture: %llu events (%llu pairs), %.1f MB plain, "
	       "%.1f MB gzip'd (%.1f bytes/event)\n",
	       (unsigned long long)nev, (unsigned long long)pairs, w.len / 1e6,
	       gzlen / 1e6, (double)w.len / (double)nev);
	free(gz);
	scapw_free(&w);

	/* best of 3 for each: the machine is shared */
	for (round = 0; round < rounds; round++) {
		t = bench_legacy(plain, &evs);
		report("legacy reader alone, plain:", evs, t);
		t = bench_legacy(gzp, &evs);
		report("legacy reader alone, gzip:", evs, t);
		t = bench_read(plain, &recs);
		report("read through converter, plain:", nev, t);
		t = bench_read(gzp, &recs);
		report("read through converter, gzip:", nev, t);
		/* the default codec, zstd-cols, and plain zstd */
		t = bench_convert(plain, out, rep, KCAP_CODEC_ZSTD_COLS, 4, 0,
				  0);
		report("kcap convert to zstd-cols, plain:", nev, t);
		t = bench_convert(plain, out, rep, KCAP_CODEC_ZSTD_COLS, 0, 0,
				  0);
		report("  same, one thread:", nev, t);
		t = bench_convert(gzp, out, rep, KCAP_CODEC_ZSTD_COLS, 4, 0, 0);
		report("kcap convert to zstd-cols, gzip:", nev, t);
		t = bench_convert(plain, outz, rep, KCAP_CODEC_ZSTD, 4, 0, 0);
		report("kcap convert to zstd, plain:", nev, t);
		t = bench_convert(plain, outz, rep, KCAP_CODEC_ZSTD, 0, 0, 0);
		report("  same, one thread:", nev, t);
		/* what reading the output costs (records, not input events) */
		t = bench_kread(out, &recs);
		report("reading the zstd-cols .kcap:", recs, t);
		t = bench_kread(outz, &recs);
		report("reading the zstd .kcap:", recs, t);
	}
	printf("output: %.2f MB zstd-cols .kcap = %.3f of the gzip'd .scap "
	       "(%.2f bytes/input event)\n",
	       fsize(out) / 1e6, (double)fsize(out) / (double)fsize(gzp),
	       (double)fsize(out) / (double)nev);
	printf("        %.2f MB zstd .kcap = %.3f of the gzip'd .scap\n",
	       fsize(outz) / 1e6, (double)fsize(outz) / (double)fsize(gzp));
	/* the codec choices kcap convert could make: size and speed */
	for (i = 0; sweep && i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		double best = 1e9, bestcpu = 1e9;
		char what[64];

		for (round = 0; round < (rounds < 2 ? 1 : 2); round++) {
			t = bench_convert(plain, out, rep, sizes[i].codec, 0,
					  sizes[i].level, sizes[i].block);
			if (cpu_used < bestcpu) {
				best = t;
				bestcpu = cpu_used;
			}
		}
		cpu_used = bestcpu;
		snprintf(what, sizeof(what), "%s:%d, %u MiB blocks:",
			 kcap_codec_name(sizes[i].codec), sizes[i].level,
			 sizes[i].block >> 20);
		report(what, nev, best);
		printf("%34s %.2f MB = %.3f of the gzip'd .scap\n", "",
		       fsize(out) / 1e6,
		       (double)fsize(out) / (double)fsize(gzp));
	}
	if (keep) {
		printf("kept %s %s %s %s\n", plain, gzp, out, outz);
	} else {
		unlink(plain);
		unlink(gzp);
		unlink(out);
		unlink(outz);
	}
	free(rep);
	return 0;
}
