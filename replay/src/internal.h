/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Private to replay/: the filter, field access and helpers. */
#ifndef KCAP_REPLAY_INTERNAL_H
#define KCAP_REPLAY_INTERNAL_H

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "kcap/replay.h"

#define KCAP_RP_ERRMSG 512

/* ---- fields (filter, -F, csv) ----------------------------------------------- */

enum { KCAP_V_INT = 1, KCAP_V_STR = 2 };

struct kcap_val {
	int kind;
	bool uns; /* KCAP_V_INT: i holds a u64 (evt.num, fd.ino, a u64 field) */
	int64_t i;
	const char *s;
	size_t n;
};

struct kcap_field;

/*
 * Parses a field name at s (up to a character that cannot be in one), as
 * `proc.aname[2]` or `evt.arg.name`. Returns the number of characters
 * consumed, 0 if s does not start with a known field, with *out set.
 */
size_t kcap_field__parse(const char *s, struct kcap_field **out);
void kcap_field__free(struct kcap_field *f);
const char *kcap_field__name(const struct kcap_field *f);
/*
 * The k-th value of the field for this event (fields such as proc.aname
 * have several): true if there is one. String values may point into
 * scratch, which must stay until the value is used.
 */
bool kcap_field__get(const struct kcap_field *f, const struct kcap_event_ctx *c,
		     unsigned int k, struct kcap_val *v,
		     struct kcap_buf *scratch);
/* The first value as text ("" when none). */
void kcap_field__print(struct kcap_buf *b, const struct kcap_field *f,
		       const struct kcap_event_ctx *c,
		       struct kcap_buf *scratch);
/* kcap read -l */
void kcap_fields__list(FILE *out);

struct kcap_filter;
/* NULL with a message in err ("column N: expected ...") on a bad filter. */
struct kcap_filter *kcap_filter__compile(const char *expr, char *err,
					 size_t errlen);
bool kcap_filter__match(struct kcap_filter *f, const struct kcap_event_ctx *c);
void kcap_filter__free(struct kcap_filter *f);

/*
 * What the engine's per-event path can decide without calling the
 * evaluator: a filter that is one `proc.name = WORD` (or !=) or one
 * `evt.type` set at its root, and whether the filter reads the event's fd
 * at all (if not, the engine looks the fd up only for analyzers).
 */
enum { KCAP_FF_CALL, KCAP_FF_NAME, KCAP_FF_TYPES };
struct kcap_filter_fast {
	int kind;
	bool negate;
	bool needs_fd;
	unsigned int limit; /* KCAP_FF_TYPES: ids below it are in types */
	const uint64_t *types; /* KCAP_FF_TYPES: a bit per event id */
	uint64_t words[4]; /* KCAP_FF_NAME: the name, zero-padded to 32 bytes */
};
/* Valid as long as f is. */
void kcap_filter__fast(const struct kcap_filter *f,
		       struct kcap_filter_fast *ff);

/* ---- helpers ------------------------------------------------------------------ */

/* The fd kind's name for fd.type: "file", "ipv4", "pipe"... */
const char *kcap_fd_kind_name(unsigned int kind);
/* Event class names for evt.class. */
const char *kcap_class_name(unsigned int cls);
/* Seeds engine state from a SNAPSHOT-like walk used by kcap cut. */
int kcap_replay__snapshot_records(struct kcap_replay *rp, uint64_t ts,
				  struct kcap_buf *out);
/* The last record handed to analyzers came from a block of this input. */
struct kcap_reader *kcap_replay__reader(struct kcap_replay *rp, uint32_t src);
/* Does an event of this type change the engine's state (open, exec...)? */
bool kcap_replay__changes_state(const struct kcap_replay *rp,
				unsigned int type);
/*
 * Called for each record of a MACHINE or SNAPSHOT block, once applied
 * (kcap cut): those blocks' records, whatever their types, and only those.
 */
void kcap_replay__set_meta_hook(struct kcap_replay *rp,
				int (*fn)(void *arg, uint32_t src,
					  const struct kcap_hdr *rec),
				void *arg);
/* Called for every event and LOSS record before state is applied (cut). */
void kcap_replay__set_raw_hook(struct kcap_replay *rp,
			       int (*fn)(void *arg, uint32_t src,
					 const struct kcap_hdr *rec,
					 bool in_range),
			       void *arg);

#endif

/* ---- the event printer (output.c) ------------------------------------------- */

enum { KCAP_OUT_TEXT, KCAP_OUT_JSON, KCAP_OUT_CSV };
enum { KCAP_TS_ABS, KCAP_TS_REL, KCAP_TS_DELTA, KCAP_TS_RAW };
enum { KCAP_BUFS_ESC, KCAP_BUFS_ASCII, KCAP_BUFS_HEX, KCAP_BUFS_HEXASCII };

struct kcap_print_opts {
	int format;
	int ts_style;
	int bufs;
	bool normalize;
	bool flush_each; /* --follow: a line is written as soon as it is made */
	struct kcap_field **fields; /* -F */
	unsigned int nfields;
};

/*
 * The printer is an analyzer like the others; its options are not text,
 * so the CLI hands them over here before kcap_replay__add_analyzer().
 */
extern const struct kcap_print_opts *kcap_printer_opts;
extern const struct kcap_analyzer_ops kcap_analyzer_print;

/*
 * The CLIs' word on their inputs' damage (read.c): a warning for each
 * input damaged or cut short, as prog; 2 if one was, else 0.
 */
int kcap_replay_damage(struct kcap_replay *rp, const char *prog, bool quiet,
		       bool follow);

/*
 * The CLIs' inputs (read.c): a regular .scap file is read through the
 * converter (when convert/ is built), anything else as kcap. Adding says
 * why one cannot be added, as prog (-1; -2 for a .scap damaged before its
 * first block, which exits 2 as other damage does); closing says what a converter
 * found wrong with its .scap (unless quiet) and returns 2 if it did.
 */
#define KCAP_CLI_SCAP_MAX 64
struct kcap_cli_inputs {
	struct kcap_scap_conv *conv[KCAP_CLI_SCAP_MAX];
	struct kcap_reader *scap[KCAP_CLI_SCAP_MAX];
};
int kcap_cli_add_inputs(struct kcap_replay *rp, char **inputs, unsigned int n,
			struct kcap_cli_inputs *ci, const char *prog);
int kcap_cli_close_inputs(struct kcap_cli_inputs *ci, char **inputs,
			  const char *prog, bool quiet);
/*
 * Where +OFFSET times count from: the first event of the inputs, which
 * must be files (a pipe is read once); -1 after saying why there is none.
 */
int kcap_cli_start(char **paths, int n, const char *prog, uint64_t *start);
/*
 * --since and --until (either may be NULL) into ns since the epoch; -1
 * after saying, as prog, what is wrong with them.
 */
int kcap_cli_times(const char *since_s, const char *until_s, char **paths,
		   int n, const char *prog, uint64_t *since, uint64_t *until);
