/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Legacy Falco/sysdig .scap captures, read as .kcap.
 *
 * The converter reads a .scap (plain or gzip'd) and rewrites its enter+exit
 * event pairs as merged kcap exit events through one declarative table
 * (convert/src/table.c). Same conventions as libkcap: -errno returns, NULL
 * and errno from constructors, messages instead of printing.
 */
#ifndef KCAP_SCAP_H
#define KCAP_SCAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kcap/kcap.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * 1 if the file at path is a legacy .scap capture (plain or gzip'd), 0 if
 * not, or -errno: -EBADMSG for one damaged before its first whole block
 * (a gzip stream that breaks there, a section header cut short), which
 * kcap_last_errmsg() then tells.
 */
int kcap_scap__probe(const char *path);

struct kcap_scap_conv; /* an on-the-fly conversion */

/*
 * Opens a .scap and returns a kcap_reader that reads it as converted .kcap
 * (each time the reader needs more, the converter runs on the caller's
 * thread until it has written one more uncompressed block into memory);
 * *conv receives the conversion handle. NULL + errno on
 * error, message in kcap_last_errmsg().
 */
struct kcap_reader *kcap_scap__open_reader(const char *path,
					   struct kcap_scap_conv **conv);

/*
 * Closes both; 0 if the conversion ended cleanly, else -errno with a
 * message (where and why) in *msg (static until next call).
 */
int kcap_scap__close_reader(struct kcap_scap_conv *conv, struct kcap_reader *r,
			    const char **msg);

/* ---- whole-file conversion ------------------------------------------------ */

struct kcap_scap_convert_opts {
	size_t sz;
	/* the command line recorded in the MACHINE record (kcap convert's) */
	int argc;
	char *const *argv;
	size_t : 0;
};

/* What the conversion did, per legacy event type and in total. */
struct kcap_scap_type_stats {
	uint64_t read; /* events of this type read */
	uint64_t converted; /* kcap events emitted from them */
	uint64_t merged; /* exits merged with their enter */
	uint64_t no_enter; /* exits converted without their enter */
	uint64_t stale_enter; /* enters of this type discarded unpaired */
	uint64_t generic; /* converted to the generic `syscall` event */
	uint64_t dropped; /* not converted (see drop reasons) */
	uint64_t dropped_unsupported; /* no table row and not a syscall */
	uint64_t dropped_unused; /* a type the legacy table marks unused */
	uint64_t malformed; /* converted, a param's length wrong: unknown */
	uint64_t dropped_bad; /* the event's own lengths are wrong */
	uint64_t state_only; /* EVF flagged state-only (still converted) */
};

#define KCAP_SCAP_MAX_PROBLEMS 16
#define KCAP_SCAP_EVENT_MAX 1024 /* legacy event codes are below this */

struct kcap_scap_problem {
	uint64_t offset; /* in the legacy (decompressed) stream */
	char what[160];
};

struct kcap_scap_report {
	uint64_t events_read;
	uint64_t events_written;
	uint64_t enters_stored;
	uint64_t merged;
	uint64_t no_enter;
	uint64_t stale_enter;
	/* enters left without exit when their thread or the capture ended */
	uint64_t pending_at_end;
	uint64_t generic;
	uint64_t dropped;
	uint64_t unknown_type; /* event codes beyond the known table */
	uint64_t sections;
	uint64_t blocks;
	uint64_t skipped_blocks; /* unknown block types */
	uint64_t snap_procs, snap_fds;
	uint64_t loss_records; /* LOSS records from legacy drop events */
	uint64_t bytes_in; /* legacy bytes read (after decompression) */
	bool gzip;
	/* the file was damaged: converted up to err_offset */
	int err; /* 0, or -errno of the first fatal problem */
	uint64_t err_offset;
	char err_msg[256];
	unsigned int nproblems;
	uint64_t problems_total;
	struct kcap_scap_problem problems[KCAP_SCAP_MAX_PROBLEMS];
	struct kcap_scap_type_stats types[KCAP_SCAP_EVENT_MAX];
};

/*
 * Converts the .scap at in_path, writing .kcap to w. Fills rep (if not
 * NULL). Returns 0 if the input was read to its end, or -errno if it
 * stopped early (damage, I/O error); everything before is converted in
 * both cases. Problems with single events are counted in rep, not
 * returned.
 */
int kcap_scap__convert(const char *in_path, struct kcap_writer *w,
		       const struct kcap_scap_convert_opts *opts,
		       struct kcap_scap_report *rep);

/* Same, from memory (tests, fuzzing). */
int kcap_scap__convert_mem(const void *buf, size_t len, struct kcap_writer *w,
			   const struct kcap_scap_convert_opts *opts,
			   struct kcap_scap_report *rep);

/* The legacy name of a legacy event code ("open"), or NULL. */
const char *kcap_scap__event_name(unsigned int code);

/* Writes rep as JSON to f. */
int kcap_scap__report_json(const struct kcap_scap_report *rep, FILE *f);

#ifdef __cplusplus
}
#endif

#endif /* KCAP_SCAP_H */
