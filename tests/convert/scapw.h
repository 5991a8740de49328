/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A small legacy .scap writer for the converter's tests: just enough of the
 * format (../shared/SCAP-FORMAT.md) to write the captures the tests need,
 * in memory, so that the suite does not depend on outside files.
 */
#ifndef KCAP_TESTS_SCAPW_H
#define KCAP_TESTS_SCAPW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct scapw {
	uint8_t *buf;
	size_t len, cap;
};

struct sp {
	const void *p;
	uint32_t len;
	uint8_t tmp[8];
};

/* Parameters: integers of their legacy sizes, strings with their NUL. */
struct sp sp_u8(uint8_t v);
struct sp sp_u16(uint16_t v);
struct sp sp_u32(uint32_t v);
struct sp sp_u64(uint64_t v);
struct sp sp_str(const char *s);
struct sp sp_buf(const void *p, uint32_t len);
struct sp sp_empty(void);

enum scapw_ev_kind {
	SW_EV_V1 = 0x204,
	SW_EV_V2 = 0x216,
	SW_EVF_V2 = 0x217,
	SW_EV_V2_LARGE = 0x221,
};

void scapw_init(struct scapw *w);
void scapw_free(struct scapw *w);
void scapw_shb(struct scapw *w, uint16_t major, uint16_t minor);
void scapw_mi(struct scapw *w, uint32_t cpus, uint64_t mem,
	      const char *hostname, uint64_t boot_ts);

struct sw_proc {
	uint64_t tid, pid, ptid;
	const char *comm, *exe, *exepath, *args, *cwd, *cgroups, *root;
	uint32_t uid, gid;
};
/* One PL_V9 block holding n processes. */
void scapw_pl9(struct scapw *w, const struct sw_proc *p, int n);

struct sw_fd {
	int64_t fd;
	uint64_t ino;
	uint8_t type; /* 16 FILE_V2, 3 IPV4_SOCK */
	uint32_t flags; /* PPM_O_* */
	const char *name;
	uint8_t sip[4], dip[4];
	uint16_t sport, dport;
};
/* One FDL_V2 block for thread tid. */
void scapw_fdl2(struct scapw *w, uint64_t tid, const struct sw_fd *f, int n);

/* One event in one block of the given kind. */
void scapw_ev(struct scapw *w, int kind, uint16_t cpu, uint32_t flags,
	      uint64_t ts, uint64_t tid, uint16_t type, int n,
	      const struct sp *params);
/* A block of any type with the given body, padded, both lengths right. */
void scapw_raw(struct scapw *w, uint32_t type, const void *body, size_t len);

/* The whole buffer gzip'd (malloc'd; *out_len set). */
uint8_t *scapw_gzip(const struct scapw *w, size_t *out_len);

#endif
