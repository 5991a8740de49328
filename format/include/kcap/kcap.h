/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * libkcap: write and read .kcap files (format/FORMAT.md).
 *
 * Conventions, as in libbpf: opaque objects with object__verb methods;
 * options structs whose first field is their size (declare them with
 * KCAP_OPTS); int calls return 0 or a negative errno; constructors return
 * NULL and set errno; iterators return 1 (an item), 0 (the end) or a
 * negative errno. The library never prints: each object keeps a message
 * about its last error (with offsets and values), and kcap_set_log() can
 * receive every message as it is made.
 */
#ifndef KCAP_KCAP_H
#define KCAP_KCAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>

#include "kcap/events.h"

#ifdef __cplusplus
extern "C" {
#endif

#define KCAP_VERSION_STRING "0.1.0"
#define KCAP_FORMAT_MAJOR 1
#define KCAP_FORMAT_MINOR 1

#define KCAP_BLOCK_MAX (64u << 20)
/*
 * Block flag: this SNAPSHOT block continues the one before it, and the two
 * are one snapshot (FORMAT.md 4.4). Writers split a snapshot larger than
 * KCAP_SNAPSHOT_SPLIT.
 */
#define KCAP_BLOCK_FLAG_CONTINUED 0x02
#define KCAP_SNAPSHOT_SPLIT (16u << 20)
#define KCAP_FILE_HDR_SIZE 64
#define KCAP_BLOCK_HDR_SIZE 48
#define KCAP_BLOCK_TRAILER_SIZE 8

enum kcap_block_type {
	KCAP_BLOCK_SCHEMA = 1,
	KCAP_BLOCK_MACHINE = 2,
	KCAP_BLOCK_SNAPSHOT = 3,
	KCAP_BLOCK_EVENTS = 4,
	KCAP_BLOCK_LOSS = 5,
	KCAP_BLOCK_INDEX = 6,
	KCAP_BLOCK_FOOTER = 7,
};

enum kcap_codec {
	KCAP_CODEC_NONE = 0,
	KCAP_CODEC_LZ4 = 1,
	KCAP_CODEC_ZSTD = 2,
	/* zstd over EVENTS records laid out in columns (FORMAT.md 5.1) */
	KCAP_CODEC_ZSTD_COLS = 3,
	KCAP_CODECS /* one past the last */
};

/* Declare and zero an options struct with its size set, as LIBBPF_OPTS. */
#define KCAP_OPTS(TYPE, NAME, ...)                                       \
	struct TYPE NAME = ({                                            \
		memset(&NAME, 0, sizeof(struct TYPE));                   \
		(struct TYPE){ .sz = sizeof(struct TYPE), __VA_ARGS__ }; \
	})

/* Log callback: receives each error message the library makes. */
typedef void (*kcap_log_fn)(void *ctx, const char *msg);
void kcap_set_log(kcap_log_fn fn, void *ctx);
/*
 * The last message made in this thread by any libkcap object: why a
 * constructor returned NULL, for instance.
 */
const char *kcap_last_errmsg(void);
/*
 * Sets the message kcap_last_errmsg() returns (and logs it), for modules
 * whose constructors return libkcap objects: kcap_scap__open_reader().
 */
void kcap_set_errmsg(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

const char *kcap_codec_name(int codec);
/*
 * Parses "zstd", "zstd:LEVEL", "zstd-cols", "zstd-cols:LEVEL", "lz4",
 * "lz4:ACCEL" or "none".
 */
int kcap_codec_parse(const char *s, int *codec, int *level);
const char *kcap_block_type_name(int type);

/* ---- schema ------------------------------------------------------------- */

struct kcap_field_desc {
	const char *name;
	uint16_t offset;
	uint8_t type; /* enum kcap_type */
	uint8_t size; /* bytes in the fixed part */
	uint8_t fmt; /* enum kcap_fmt */
	uint16_t src; /* KCAP_SRC_*; 0 for schemas read from files */
};

struct kcap_event_desc {
	const char *name; /* NULL: no event has this id */
	uint16_t id;
	uint16_t size; /* fixed part, header included */
	uint16_t flags; /* KCAP_EF_* */
	uint8_t cls; /* enum kcap_class */
	uint8_t nfields;
	uint8_t nvars; /* how many fields are var descriptors */
	const struct kcap_field_desc *fields;
	const uint16_t *var_offsets; /* offsets of the var descriptors */
};

struct kcap_schema;

/* The schema this library was built with, from events.def. */
const struct kcap_schema *kcap_schema__builtin(void);
/* One past the highest id the schema describes. */
unsigned int kcap_schema__id_limit(const struct kcap_schema *s);
/* NULL if id is not described. */
const struct kcap_event_desc *kcap_schema__event(const struct kcap_schema *s,
						 unsigned int id);
const struct kcap_event_desc *
kcap_schema__event_by_name(const struct kcap_schema *s, const char *name);
const struct kcap_field_desc *
kcap_event_desc__field(const struct kcap_event_desc *ev, const char *name);
/*
 * A syscall event's `dur` (ns from its entry to its exit; FORMAT.md
 * section 7), found as every reader should find it: by name, in a syscall
 * event, a u64. NULL if the event has none (not a syscall event, or of a
 * file written before dur).
 */
const struct kcap_field_desc *
kcap_event_desc__dur(const struct kcap_event_desc *ev);
/* XXH3-64 of the schema's SCHEMA-block payload. */
uint64_t kcap_schema__hash(const struct kcap_schema *s);
/* The SCHEMA-block payload; borrowed, valid as long as the schema. */
const void *kcap_schema__payload(const struct kcap_schema *s, size_t *len);
/*
 * Hash of everything the builtin descriptors hold, recorder sources
 * included; tests pin it so that schema changes are deliberate.
 */
uint64_t kcap_schema__descriptor_hash(const struct kcap_schema *s);

/*
 * Check one record against a schema (FORMAT.md 6.2): len is the number of
 * bytes available at rec. 0 if valid, -EBADMSG otherwise; why is set to a
 * static description of the first failed check.
 */
int kcap_record__validate(const struct kcap_schema *s, const void *rec,
			  size_t len, const char **why);

/* Fill a record's fixed fields with unknown values and its vars absent. */
int kcap_record__init(const struct kcap_schema *s, void *rec, unsigned int id);

/*
 * Value access by descriptor, for printers and filters. A fixed field is
 * returned widened in *val (sign-extended for signed types); the return is
 * 1 if known, 0 if it holds the unknown value. A var field returns its
 * bytes in data and len: 1 if present, 0 if absent.
 */
int kcap_field__get_int(const struct kcap_field_desc *f, const void *rec,
			int64_t *val);
int kcap_field__get_var(const struct kcap_field_desc *f, const void *rec,
			const uint8_t **data, size_t *len);

/*
 * Values the writer cut short (FORMAT.md, "Cut values"): a text or path
 * value ends with a NUL byte, which kcap_field__get_var() leaves out; a
 * list of strings (argv) does not end with a NUL. kcap_field__var_cut()
 * returns 1 for a cut value, 0 for a whole or absent one, -EINVAL for a
 * fixed field. kcap_var__str_len() is the length of a text or path value
 * without that NUL.
 */
int kcap_field__var_cut(const struct kcap_field_desc *f, const void *rec);
size_t kcap_var__str_len(const uint8_t *data, size_t len);

/* ---- building records ---------------------------------------------------- */

/*
 * A small builder for records with var fields: start with the event id,
 * set fixed fields through the struct, append var bytes with
 * kcap_builder__var(); kcap_builder__finish() pads and sets hdr.len.
 */
struct kcap_builder {
	uint8_t *buf;
	size_t cap;
	size_t len; /* bytes used so far (fixed part + tail) */
	int err;
};

void *kcap_builder__start(struct kcap_builder *b, void *buf, size_t cap,
			  const struct kcap_schema *s, unsigned int id,
			  uint32_t tid, uint64_t ts);
/* Sets the descriptor at var_offset (a field's offset) to a copy of data. */
int kcap_builder__var(struct kcap_builder *b, uint16_t var_offset,
		      const void *data, size_t len);
/* Returns the record length, or a negative errno (-E2BIG if too big). */
int kcap_builder__finish(struct kcap_builder *b);

/*
 * Builds the `machine` record of this host (hostname, kernel, boot id,
 * cpus, memory, clock offset), naming the writer and its command line.
 * Returns the record length or a negative errno.
 */
int kcap_machine_record(void *buf, size_t cap, const char *writer, int argc,
			char *const argv[]);

/* ---- writer -------------------------------------------------------------- */

struct kcap_writer;
struct kcap_block;

struct kcap_writer_opts {
	size_t sz;
	int codec; /* enum kcap_codec; default zstd */
	int level; /* zstd level (default 1) or lz4 acceleration (default 1) */
	uint32_t block_size; /* raw bytes per EVENTS block, >= 1024; 1 MiB */
	uint32_t flush_ms; /* seal a block once its oldest record is older */
	uint64_t created_ns; /* header created_ns; 0: now */
	uint64_t boot_wall_ns; /* header boot_wall_ns */
	bool sync; /* fdatasync() on every flush */
	/*
	 * 0: blocks are compressed and written by the caller's thread.
	 * N > 0: by a writer thread, with up to N sealed EVENTS blocks
	 * waiting for it before append() waits (at most 64).
	 */
	uint32_t async_blocks;
	/*
	 * NULL-terminated paths the file must not be (a tool's inputs):
	 * kcap_writer__open() then fails with EEXIST instead of truncating
	 * one of them (see kcap_output__open()); for path "-", when
	 * standard output is a regular file that is one of them.
	 */
	const char *const *keep;
	size_t : 0;
};

/*
 * Opens path for writing, created if need be, and empties it, unless it
 * is the same file as one of keep (NULL-terminated, may be NULL; paths
 * that do not exist are passed over, "-" is standard input): then
 * -EEXIST, and the file is left as it was. Returns the fd or -errno,
 * with kcap_last_errmsg() set;
 * *created (if not NULL) says whether this call made the file, so that
 * a caller that gives up removes only what it made.
 */
int kcap_output__open(const char *path, const char *const *keep, bool *created);

/* path "-" writes to standard output. */
struct kcap_writer *kcap_writer__open(const char *path,
				      const struct kcap_writer_opts *opts);
/* Writes to fd, which the writer does not close. */
struct kcap_writer *kcap_writer__open_fd(int fd,
					 const struct kcap_writer_opts *opts);
/*
 * Takes the next len bytes of the file; returns 0, or -errno to stop the
 * writer (the error sticks, as a failed write() would).
 */
typedef int (*kcap_sink_fn)(void *ctx, const void *buf, size_t len);
/*
 * Hands the file to sink(ctx, ...) instead of a file descriptor: each
 * block in one call, as it is written, from the writer thread when
 * opts->async_blocks is set. For streams that stay in the process (a
 * .scap read on the fly, kcap_scap__open_reader()). opts->sync does
 * nothing here.
 */
struct kcap_writer *kcap_writer__open_sink(kcap_sink_fn sink, void *ctx,
					   const struct kcap_writer_opts *opts);
/*
 * Appends a record (hdr.len bytes) to the open EVENTS block. -EINVAL: the
 * schema refuses the record, which is not written (the writer goes on);
 * any other error is a failed write, and every later call returns it.
 */
int kcap_writer__append(struct kcap_writer *w, const void *rec);
/*
 * Writes records (a buffer of back-to-back records, len bytes) as one block
 * of the given type: MACHINE, SNAPSHOT or LOSS. The open EVENTS block is
 * sealed first so that the file stays in time order. SNAPSHOT and LOSS
 * records over KCAP_SNAPSHOT_SPLIT bytes go in several blocks, cut between
 * records (a SNAPSHOT's later ones flagged KCAP_BLOCK_FLAG_CONTINUED);
 * every record is checked before any block is written.
 */
int kcap_writer__write_block(struct kcap_writer *w, int type, const void *recs,
			     size_t len);
/*
 * Writes a block read from another file as it is stored, without decoding
 * or recompressing it (kcap cut). The block must come from a file with this
 * library's schema (same schema hash); SCHEMA, INDEX and FOOTER blocks are
 * refused, as the writer makes its own.
 */
int kcap_writer__copy_block(struct kcap_writer *w, const struct kcap_block *b);
/*
 * Seals the open EVENTS block if it is older than flush_ms (now_ns is
 * CLOCK_MONOTONIC; 0: now); call it now and then when events are sparse.
 * With async_blocks it does not wait for the writer thread.
 */
int kcap_writer__tick(struct kcap_writer *w, uint64_t now_ns);
/* Seals and writes everything buffered: the file reads whole up to here. */
int kcap_writer__flush(struct kcap_writer *w);
/* Flushes, writes INDEX and FOOTER, closes. Frees w in every case. */
int kcap_writer__close(struct kcap_writer *w);

struct kcap_writer_stats {
	uint64_t events; /* records appended to EVENTS blocks */
	uint64_t blocks; /* blocks written */
	uint64_t raw_bytes; /* payload bytes before compression */
	uint64_t stored_bytes; /* payload bytes as written */
	uint64_t file_bytes; /* all bytes written */
	/* of events, those in blocks written: the rest wait or were lost */
	uint64_t events_written;
	/*
	 * The events' bytes as appended, and as written (before and after
	 * compression): what is not written yet will take about
	 * (events_bytes - events_bytes_written) * events_stored /
	 * events_bytes_written in the file.
	 */
	uint64_t events_bytes, events_bytes_written, events_stored;
};
void kcap_writer__stats(const struct kcap_writer *w,
			struct kcap_writer_stats *st);
/*
 * As kcap_writer__close(), and st gets the file's final figures: its last
 * block, INDEX and FOOTER counted. On an error, what was written before it.
 */
int kcap_writer__close_stats(struct kcap_writer *w,
			     struct kcap_writer_stats *st);
const char *kcap_writer__errmsg(const struct kcap_writer *w);

/* ---- reader -------------------------------------------------------------- */

struct kcap_reader;

struct kcap_reader_opts {
	size_t sz;
	/*
	 * Skip the payload of blocks of these types (bit 1 << type) without
	 * decoding them: `kcap info` reads only headers of EVENTS blocks.
	 * Their records are not validated, checksums are still checked.
	 */
	uint32_t skip_types;
	size_t : 0;
};

struct kcap_file_info {
	uint16_t major, minor;
	uint32_t header_len;
	uint64_t incompat_flags, compat_flags;
	uint64_t schema_hash;
	uint64_t boot_wall_ns;
	uint64_t created_ns;
};

struct kcap_block {
	uint64_t offset; /* of the block header in the file */
	uint32_t seq;
	uint16_t type;
	uint8_t codec;
	uint8_t flags;
	uint32_t stored_len;
	uint32_t raw_len;
	uint32_t count;
	uint64_t first_ts, last_ts;
	/* decoded payload, borrowed until the next call; NULL if skipped */
	const uint8_t *data;
	/* the payload as stored in the file, borrowed likewise */
	const uint8_t *stored;
};

/* How a file ended, once the reader got there (FORMAT.md section 9). */
enum kcap_end {
	KCAP_END_NONE = 0, /* not at the end yet */
	KCAP_END_COMPLETE = 1, /* a FOOTER closed it */
	KCAP_END_NO_FOOTER = 2, /* ends after a whole block, never closed */
	KCAP_END_TRUNCATED = 3, /* ends inside a block */
	/*
	 * stopped at end_offset by what it cannot go past: a read error, a
	 * block too long to size, an unknown critical block, or no schema
	 */
	KCAP_END_ERROR = 4,
};

struct kcap_read_status {
	int end; /* enum kcap_end */
	uint64_t end_offset; /* where the file ends, or the partial block */
	int64_t last_seq; /* seq of the last whole block, -1 if none */
	uint64_t last_offset; /* offset of the last whole block */
	uint32_t corrupt_blocks; /* blocks skipped as corrupt */
	uint32_t missing_blocks; /* gaps in block sequence numbers */
	uint64_t bytes_read;
	/* events the headers of EVENTS blocks skipped whole counted */
	uint64_t corrupt_records;
	/*
	 * blocks whose seq is below the one expected: a block repeated, or
	 * two captures joined (read as they come; not a gap)
	 */
	uint32_t misordered_blocks;
};

/* path "-" reads standard input. */
struct kcap_reader *kcap_reader__open(const char *path,
				      const struct kcap_reader_opts *opts);
/* Reads from fd, which the reader does not close. */
struct kcap_reader *kcap_reader__open_fd(int fd,
					 const struct kcap_reader_opts *opts);
/*
 * Hands out the next piece of a file: sets *buf and returns its length,
 * which the reader borrows until it calls again; 0 at the end; -errno.
 */
typedef ssize_t (*kcap_source_fn)(void *ctx, const void **buf);
/*
 * Reads the pieces src(ctx, ...) hands out, in order: a stream that stays
 * in the process, like one written through kcap_writer__open_sink(). It
 * cannot seek (seek_ts, rewind and resume return -ESPIPE). A piece that
 * holds a whole block, starting 8-aligned, is read in place.
 */
struct kcap_reader *
kcap_reader__open_source(kcap_source_fn src, void *ctx,
			 const struct kcap_reader_opts *opts);
/* Reads from memory, which must outlive the reader (fuzzing, tests). */
struct kcap_reader *kcap_reader__open_mem(const void *buf, size_t len,
					  const struct kcap_reader_opts *opts);
void kcap_reader__close(struct kcap_reader *r);

const struct kcap_file_info *
kcap_reader__file_info(const struct kcap_reader *r);
/* The file's schema (from its SCHEMA block). */
const struct kcap_schema *kcap_reader__schema(const struct kcap_reader *r);
/*
 * Next block. -EBADMSG for a corrupt block: the message says where and
 * why, and the next call goes on past it where that is possible. 0 at the
 * end of the file: kcap_reader__status() says how it ended.
 */
int kcap_reader__next_block(struct kcap_reader *r, struct kcap_block *blk);
/*
 * Next record of a record-bearing block (EVENTS, SNAPSHOT, LOSS, MACHINE),
 * reading blocks as needed. The record is borrowed until the next call
 * that reads a block; it is at least as long as this library's struct for
 * its type (older files are presented with unknown values for fields they
 * lack). kcap_reader__block() tells which block it came from.
 * next_block() hands out no record of a block that fails validation;
 * next_record() checks the records of an EVENTS block as it hands them
 * out, so it hands out those before a bad one, then returns -EBADMSG, and
 * goes on with the next block (a block whose header miscounts its records
 * is reported after the last of them).
 */
int kcap_reader__next_record(struct kcap_reader *r,
			     const struct kcap_hdr **rec);
/* The block the last record came from. */
const struct kcap_block *kcap_reader__block(const struct kcap_reader *r);
void kcap_reader__status(const struct kcap_reader *r,
			 struct kcap_read_status *st);
/*
 * Whether what was read of a file is less than it held: corrupt or
 * missing blocks, or an end short of its footer (a reader that stopped
 * early, at --until or -c, is not).
 */
bool kcap_read_status__damaged(const struct kcap_read_status *st);
/*
 * How a file ended short of its footer, in the words kcap's tools use
 * ("truncated at offset 10504 after block 5"), into buf as snprintf()
 * does; "" for a whole file or one not read to its end.
 */
int kcap_read_status__end_text(const struct kcap_read_status *st, char *buf,
			       size_t size);
/* A path that can be read twice: a regular file, not "-" nor a pipe. */
bool kcap_path__rereadable(const char *path);
const char *kcap_reader__errmsg(const struct kcap_reader *r);

/*
 * Seek so that the next record read is from the first EVENTS block that
 * may hold events at or after ts, using the INDEX, or by walking block
 * headers when there is none. -ESPIPE on a pipe.
 */
int kcap_reader__seek_ts(struct kcap_reader *r, uint64_t ts);
/*
 * As seek_ts, but for a reader that keeps state (kcap read --since): the
 * next record read is from the last SNAPSHOT before the first EVENTS
 * block that may hold events at or after ts (FORMAT.md 4.6), so that the
 * snapshot seeds the state (from its first block, where it was cut into
 * several); *events_offset receives that EVENTS block's
 * offset. Where no block holds events at or after ts, *events_offset is
 * UINT64_MAX and the next record read is from the last SNAPSHOT (a reader
 * that follows a growing file goes on from there). Without such a
 * snapshot it seeks as seek_ts. -ESPIPE on a pipe.
 */
int kcap_reader__seek_snapshot(struct kcap_reader *r, uint64_t ts,
			       uint64_t *events_offset);
/* Rewind to the first block. -ESPIPE on a pipe. */
int kcap_reader__rewind(struct kcap_reader *r);
/*
 * After the end of a file that was not closed (KCAP_END_NO_FOOTER or
 * KCAP_END_TRUNCATED), go back to where it ended so that the next call
 * reads what a writer has added since (kcap read --follow). -EINVAL if the
 * file was closed or is unreadable.
 */
int kcap_reader__resume(struct kcap_reader *r);

/* ---- printing ------------------------------------------------------------ */

/* A growable output buffer; the printers append to it. */
struct kcap_buf {
	char *data;
	size_t len;
	size_t cap;
	int err; /* -ENOMEM once an allocation failed */
};
void kcap_buf__free(struct kcap_buf *b);
void kcap_buf__putc(struct kcap_buf *b, char c);
void kcap_buf__puts(struct kcap_buf *b, const char *s);
void kcap_buf__write(struct kcap_buf *b, const void *p, size_t len);
void kcap_buf__printf(struct kcap_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* A JSON string literal (quotes included) for any bytes. */
void kcap_buf__json_str(struct kcap_buf *b, const void *p, size_t len);
/*
 * Bytes as the text form shows them, without its quotes: printable ASCII
 * as is, a backslash doubled, \n \t \r, any other byte \xHH; safe on a
 * terminal and on one line.
 */
void kcap_buf__escape(struct kcap_buf *b, const void *p, size_t len);

enum kcap_print_flags {
	KCAP_PRINT_NO_TS = 1 << 0, /* leave out the timestamp (text) */
	KCAP_PRINT_HEX_DATA = 1 << 1, /* BUF fields as hex (text) */
};

/*
 * One event as a line of text (no newline):
 *   TS TID NAME field=value ... = RES
 * Fields print in schema order; a syscall's result comes last.
 */
int kcap_event__print_text(struct kcap_buf *b, const struct kcap_schema *s,
			   const struct kcap_hdr *ev, unsigned int flags);
/*
 * One event as a JSON object (no newline): "type" (the event name), "ts",
 * "tid", then every field by name; unknown values are null.
 */
int kcap_event__print_json(struct kcap_buf *b, const struct kcap_schema *s,
			   const struct kcap_hdr *ev);
/* One field's value alone, as the text printer shows it. */
void kcap_field__print_text(struct kcap_buf *b, const struct kcap_field_desc *f,
			    const void *rec, unsigned int flags);
void kcap_field__print_json(struct kcap_buf *b, const struct kcap_field_desc *f,
			    const void *rec);
/*
 * 1 if f is the data of an I/O event that kept less than the call moved
 * (the snaplen cut it), which the printers mark with "..." in text and
 * "data_cut":true in JSON; 0 for whole data and any other field. For a
 * printer that shows data its own way, to mark it by the same rule.
 */
int kcap_field__data_cut(const struct kcap_field_desc *f, const void *rec);
/*
 * What loss reason r (enum kcap_loss_reason) means, in words: "ring
 * buffer full"; NULL for a reason this build does not know.
 */
const char *kcap_loss_reason_desc(unsigned int r);

/*
 * An IPv6 address (16 bytes, network order) as RFC 5952 writes it:
 * lower-case hex, the longest run of two or more zero groups as "::".
 * out must hold 40 bytes; returns the length written (NUL not counted).
 */
size_t kcap_ip6__format(char *out, const uint8_t *addr);

/* "2026-11-23T19:02:44.123456789Z" */
void kcap_buf__time(struct kcap_buf *b, uint64_t ns_since_epoch);

#ifdef __cplusplus
}
#endif

#endif /* KCAP_KCAP_H */
