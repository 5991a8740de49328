// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * THE conversion table: legacy .scap events to kcap events, as data.
 *
 * A row is keyed by (legacy event code, parameter count range) and names
 * the kcap event it becomes and where each kcap field comes from:
 *
 *   { "field", X, E, XF }   exit parameter X if present and not empty,
 *                           else parameter E of the thread's stored enter,
 *                           else the field keeps the schema's unknown value
 *                           (kcap_record__init), never a made-up one.
 *
 * XF says how the legacy bytes become the kcap value (scap_internal.h).
 * No row names `dur`, which every syscall event ends with: the converter
 * fills it for all of them alike, with the exit's time less the enter's
 * when the two merged (convert.c), and a row that names it fails the table.
 * Older shapes of an event (fewer parameters) go through the same row:
 * the parameters they lack fall back to the enter or to unknown. Older
 * event codes (EXECVE_8_X, OPENAT_X, ...) have rows of their own that name
 * the same kcap event. The enter of every exit row (code - 1) is stored per
 * thread without a row of its own. Adding a legacy event is one row.
 *
 * A one-off script wrote the first draft of the exit rows by matching kcap
 * field names against legacy parameter names; they are edited by hand.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/sysmacros.h>

#include "scap_internal.h"

#define EXIT(code, lo, hi, kev, ...)                          \
	{ .ltype = code,                                      \
	  .nmin = lo,                                         \
	  .nmax = hi,                                         \
	  .action = ACT_EXIT,                                 \
	  .kname = #kev,                                      \
	  .fields = (const struct conv_field[]){ __VA_ARGS__, \
						 { NULL, 0, 0, 0, 0 } } },
#define EMIT(code, lo, hi, kev, ...)                          \
	{ .ltype = code,                                      \
	  .nmin = lo,                                         \
	  .nmax = hi,                                         \
	  .action = ACT_EMIT,                                 \
	  .kname = #kev,                                      \
	  .fields = (const struct conv_field[]){ __VA_ARGS__, \
						 { NULL, 0, 0, 0, 0 } } },
#define SPECIAL(code, act) \
	{ .ltype = code, .nmin = 0, .nmax = 255, .action = act },

/* Rows leave out `aux` where they do not need it. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
/* clang-format off */
const struct conv_row conv_rows[] = {
/*
 * Generic syscalls: the legacy exit has no result, only the syscall's ids
 * (nativeID, the x86_64 number, from libs 0.22; before, on the enter).
 */
EXIT(1, 0, 255, syscall, { "nr", 1, 1, XF_U16 })
/* Thread exit: an enter-only event in the legacy table. */
EMIT(186, 0, 255, procexit,
     { "status", 0, NA, XF_S64 }, { "ret", 1, NA, XF_S64 },
     { "sig", 2, NA, XF_U8 }, { "core", 3, NA, XF_U8 },
     { "reaper_tid", 4, NA, XF_S64 }, { "tgid", NA, NA, XF_TGID })
/* The oldest procexit had no parameters at all. */
EMIT(16, 0, 255, procexit, { "tgid", NA, NA, XF_TGID })
EMIT(232, 0, 255, signaldeliver,
     { "spid", 0, NA, XF_S64 }, { "dpid", 1, NA, XF_S64 },
     { "sig", 2, NA, XF_U8 })
/* Drop windows of the legacy recorder become LOSS records. */
SPECIAL(148, ACT_DROP_START)
SPECIAL(149, ACT_DROP_END)
#include "table_rows.h"
};
/* clang-format on */
#pragma GCC diagnostic pop

const size_t conv_nrows = sizeof(conv_rows) / sizeof(conv_rows[0]);

struct conv_table {
	/* resolved rows, and per legacy code the first of its rows */
	struct conv_resolved *res;
	int16_t first[SCAP_EVENT_COUNT];
	int16_t next[sizeof(conv_rows) / sizeof(conv_rows[0])];
	uint16_t generic_dur; /* of the `syscall` event, for emit_generic() */
	char msg[160];
};

static bool xf_fits(uint8_t xf, uint8_t ktype)
{
	switch (xf) {
	case XF_STR:
	case XF_BYTES:
	case XF_ARGV:
	case XF_ARGV_EXE:
	case XF_SADDR:
	case XF_TUP_SRC:
	case XF_TUP_DST:
	case XF_POLLFDS:
		return ktype == KCAP_T_var;
	case XF_CHILD_TID:
	case XF_CHILD_PID:
	case XF_TGID:
		return ktype == KCAP_T_s32;
	default:
		return ktype != KCAP_T_var;
	}
}

/*
 * Where a syscall event's `dur` is, found by name so that every syscall
 * event has it alike, without a row saying so: 0 if the event has none
 * (not a syscall event), -1 if it is not the u64 that a difference of two
 * legacy times fills.
 */
static int dur_off(const struct kcap_event_desc *ev)
{
	const struct kcap_field_desc *f = kcap_event_desc__dur(ev);

	if (f)
		return f->offset;
	/* a syscall event's dur that the helper did not take is no u64 */
	if (ev && (ev->flags & KCAP_EF_SYSCALL) &&
	    kcap_event_desc__field(ev, "dur"))
		return -1;
	return 0;
}

static struct conv_table *table_fail(struct conv_table *t, const char **msg)
{
	*msg = t->msg;
	conv_table__free(t);
	errno = EINVAL;
	return NULL;
}

struct conv_table *conv_table__new(const char **msg)
{
	const struct kcap_schema *s = kcap_schema__builtin();
	struct conv_table *t = calloc(1, sizeof(*t));
	size_t i;
	int d;

	if (!t) {
		errno = ENOMEM;
		return NULL;
	}
	t->res = calloc(conv_nrows, sizeof(*t->res));
	if (!t->res) {
		free(t);
		errno = ENOMEM;
		return NULL;
	}
	memset(t->first, 0xff, sizeof(t->first));
	d = dur_off(kcap_schema__event(s, KCAP_EV_syscall));
	if (d < 0) {
		snprintf(t->msg, sizeof(t->msg),
			 "conversion table: syscall.dur is not a u64");
		return table_fail(t, msg);
	}
	t->generic_dur = (uint16_t)d;
	for (i = conv_nrows; i-- > 0;) {
		const struct conv_row *row = &conv_rows[i];
		struct conv_resolved *rs = &t->res[i];
		const struct conv_field *f;

		rs->row = row;
		if (row->ltype >= SCAP_EVENT_COUNT)
			goto bad;
		if (row->kname) {
			rs->ev = kcap_schema__event_by_name(s, row->kname);
			if (!rs->ev || rs->ev->size > sizeof(rs->tmpl) ||
			    kcap_record__init(s, rs->tmpl, rs->ev->id))
				goto bad;
			d = dur_off(rs->ev);
			if (d < 0) {
				snprintf(t->msg, sizeof(t->msg),
					 "conversion table: %s.dur is not a "
					 "u64",
					 row->kname);
				return table_fail(t, msg);
			}
			rs->dur_off = (uint16_t)d;
		}
		for (f = row->fields; f && f->name; f++) {
			const struct kcap_field_desc *fd =
				kcap_event_desc__field(rs->ev, f->name);

			/* a row's dur would be written over by the pair's */
			if (fd && rs->dur_off && fd->offset == rs->dur_off) {
				snprintf(t->msg, sizeof(t->msg),
					 "conversion table: row for legacy "
					 "event %u: %s.%s is the converter's "
					 "(enter to exit), not a row's",
					 row->ltype, row->kname, f->name);
				return table_fail(t, msg);
			}
			if (!fd || !xf_fits(f->xf, fd->type) ||
			    rs->nf >= sizeof(rs->rf) / sizeof(rs->rf[0])) {
				snprintf(t->msg, sizeof(t->msg),
					 "conversion table: row for legacy "
					 "event %u: bad field %s.%s",
					 row->ltype, row->kname, f->name);
				return table_fail(t, msg);
			}
			rs->rf[rs->nf].f = f;
			rs->rf[rs->nf].off = fd->offset;
			rs->rf[rs->nf].ktype = fd->type;
			rs->nf++;
		}
		t->next[i] = t->first[row->ltype];
		t->first[row->ltype] = (int16_t)i;
		continue;
bad:
		snprintf(t->msg, sizeof(t->msg),
			 "conversion table: row %zu (legacy event %u) names "
			 "no kcap event of this schema",
			 i, row->ltype);
		return table_fail(t, msg);
	}
	return t;
}

uint16_t conv_table__generic_dur(const struct conv_table *t)
{
	return t->generic_dur;
}

void conv_table__free(struct conv_table *t)
{
	if (!t)
		return;
	free(t->res);
	free(t);
}

static struct conv_table *shared_table;
static const char *shared_msg;
static pthread_once_t shared_once = PTHREAD_ONCE_INIT;

static void shared_init(void)
{
	shared_table = conv_table__new(&shared_msg);
}

const struct conv_table *conv_table__get(const char **msg)
{
	pthread_once(&shared_once, shared_init);
	if (!shared_table)
		*msg = shared_msg;
	return shared_table;
}

bool conv_table__has(const struct conv_table *t, unsigned int type)
{
	return type < SCAP_EVENT_COUNT && t->first[type] >= 0;
}

const struct conv_resolved *conv_table__find(const struct conv_table *t,
					     unsigned int type,
					     unsigned int nparams)
{
	int i;

	if (type >= SCAP_EVENT_COUNT)
		return NULL;
	for (i = t->first[type]; i >= 0; i = t->next[i]) {
		const struct conv_row *row = t->res[i].row;

		if (nparams >= row->nmin && nparams <= row->nmax)
			return &t->res[i];
	}
	return NULL;
}

/* ---- value translations ---------------------------------------------------- */

/*
 * Legacy open flags are PPM_O_* bits, not the kernel's: translate to the
 * x86_64 O_* values that kcap stores. PPM_O_F_CREATED and the overlayfs
 * layer bits describe the result, not the request, and have no O_ flag.
 */
uint32_t scap_oflags_to_kernel(uint32_t ppm)
{
	static const struct {
		uint32_t ppm, k;
	} map[] = {
		{ 1u << 2, 0100 }, /* CREAT */
		{ 1u << 3, 02000 }, /* APPEND */
		{ 1u << 4, 010000 }, /* DSYNC */
		{ 1u << 5, 0200 }, /* EXCL */
		{ 1u << 6, 04000 }, /* NONBLOCK */
		{ 1u << 7, 04010000 }, /* SYNC */
		{ 1u << 8, 01000 }, /* TRUNC */
		{ 1u << 9, 040000 }, /* DIRECT */
		{ 1u << 10, 0200000 }, /* DIRECTORY */
		{ 1u << 11, 0100000 }, /* LARGEFILE */
		{ 1u << 12, 02000000 }, /* CLOEXEC */
		{ 1u << 13, 020200000 }, /* TMPFILE (with DIRECTORY) */
	};
	uint32_t k;
	size_t i;

	switch (ppm & 3) {
	case 2:
		k = 01; /* WRONLY */
		break;
	case 3:
		k = 02; /* RDWR */
		break;
	default:
		k = 0; /* RDONLY */
	}
	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (ppm & map[i].ppm)
			k |= map[i].k;
	return k;
}

struct bitmap {
	uint32_t ppm;
	uint32_t k;
};

static uint32_t map_bits(const struct bitmap *m, size_t n, uint64_t ppm)
{
	uint32_t k = 0;
	size_t i;

	for (i = 0; i < n; i++)
		if (ppm & m[i].ppm)
			k |= m[i].k;
	return k;
}

/*
 * The translations below restate values of the legacy format
 * (ppm_events_public.h's PPM_* encodings) and of the x86_64 kernel ABI.
 * PPM_CL_* bits 16-19, 21, 22, 29 and 30 are libsinsp's own, and 26
 * (CLONE_STOPPED) is gone from the kernel: they have no CLONE_ flag.
 */
static const struct bitmap clone_map[] = {
	{ 1u << 0, 0x00000400 }, /* FILES */
	{ 1u << 1, 0x00000200 }, /* FS */
	{ 1u << 2, 0x80000000 }, /* IO */
	{ 1u << 3, 0x08000000 }, /* NEWIPC */
	{ 1u << 4, 0x40000000 }, /* NEWNET */
	{ 1u << 5, 0x00020000 }, /* NEWNS */
	{ 1u << 6, 0x20000000 }, /* NEWPID */
	{ 1u << 7, 0x04000000 }, /* NEWUTS */
	{ 1u << 8, 0x00008000 }, /* PARENT */
	{ 1u << 9, 0x00100000 }, /* PARENT_SETTID */
	{ 1u << 10, 0x00002000 }, /* PTRACE */
	{ 1u << 11, 0x00000800 }, /* SIGHAND */
	{ 1u << 12, 0x00040000 }, /* SYSVSEM */
	{ 1u << 13, 0x00010000 }, /* THREAD */
	{ 1u << 14, 0x00800000 }, /* UNTRACED */
	{ 1u << 15, 0x00000100 }, /* VM */
	{ 1u << 20, 0x10000000 }, /* NEWUSER */
	{ 1u << 23, 0x00200000 }, /* CHILD_CLEARTID */
	{ 1u << 24, 0x01000000 }, /* CHILD_SETTID */
	{ 1u << 25, 0x00080000 }, /* SETTLS */
	{ 1u << 27, 0x00004000 }, /* VFORK */
	{ 1u << 28, 0x02000000 }, /* NEWCGROUP */
};

/* PPM_MAP_RENAME, _INHERIT and _FILE have no bit of their own */
static const struct bitmap mmap_map[] = {
	{ 1u << 0, 0x01 }, /* SHARED */
	{ 1u << 1, 0x02 }, /* PRIVATE */
	{ 1u << 2, 0x10 }, /* FIXED */
	{ 1u << 3, 0x20 }, /* ANONYMOUS */
	{ 1u << 4, 0x40 }, /* 32BIT */
	{ 1u << 6, 0x4000 }, /* NORESERVE */
	{ 1u << 7, 0x8000 }, /* POPULATE */
	{ 1u << 8, 0x10000 }, /* NONBLOCK */
	{ 1u << 9, 0x0100 }, /* GROWSDOWN */
	{ 1u << 10, 0x0800 }, /* DENYWRITE */
	{ 1u << 11, 0x1000 }, /* EXECUTABLE */
	{ 1u << 14, 0x2000 }, /* LOCKED */
};

static const struct bitmap poll_map[] = {
	{ 1u << 0, 0x0001 }, /* IN */
	{ 1u << 1, 0x0002 }, /* PRI */
	{ 1u << 2, 0x0004 }, /* OUT */
	{ 1u << 3, 0x2000 }, /* RDHUP */
	{ 1u << 4, 0x0008 }, /* ERR */
	{ 1u << 5, 0x0010 }, /* HUP */
	{ 1u << 6, 0x0020 }, /* NVAL */
	{ 1u << 7, 0x0040 }, /* RDNORM */
	{ 1u << 8, 0x0080 }, /* RDBAND */
	{ 1u << 9, 0x0100 }, /* WRNORM */
	{ 1u << 10, 0x0200 }, /* WRBAND */
};

static const struct bitmap resolve_map[] = {
	{ 1u << 0, 0x08 }, /* BENEATH */
	{ 1u << 1, 0x10 }, /* IN_ROOT */
	{ 1u << 2, 0x02 }, /* NO_MAGICLINKS */
	{ 1u << 3, 0x04 }, /* NO_SYMLINKS */
	{ 1u << 4, 0x01 }, /* NO_XDEV */
	{ 1u << 5, 0x20 }, /* CACHED */
};

/* PPM_FCNTL_* (the index) to F_*; -1: unknown or 32-bit only */
static const int16_t fcntl_map[33] = {
	-1, 0,	  1,	2,    3,    4,	  5,	-1,   6,  7,  8,
	-1, 9,	  10,	-1,   11,   -1,	  -1,	-1,   -1, -1, 15,
	16, 1024, 1025, 1029, 1030, 1026, 1031, 1032, 36, 37, 38,
};

/* PPM_PTRACE_* (the index) to PTRACE_*; -1: unknown */
static const int32_t ptrace_map[39] = {
	-1,	0,	1,	2,	3,	4,	5,	6,
	7,	8,	9,	16,	17,	24,	0x4200, 0x4201,
	0x4202, 0x4203, 0x4204, 0x4205, 0x4206, 0x4207, 0x4208, 0x4209,
	0x420a, 0x420b, 12,	13,	14,	15,	18,	19,
	21,	25,	26,	30,	31,	32,	33,
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

uint16_t scap_poll_to_kernel(uint16_t ppm)
{
	return (uint16_t)map_bits(poll_map, N(poll_map), ppm);
}

uint32_t scap_dev_to_kernel(uint32_t enc)
{
	/* the encoding of a 32-bit user dev_t, which glibc's macros take */
	return major(enc) << 20 | minor(enc);
}

int scap_translate(uint8_t xf, uint64_t ppm, int64_t *out)
{
	switch (xf) {
	case XF_DEV:
		*out = scap_dev_to_kernel((uint32_t)ppm);
		return 1;
	case XF_OFLAGS:
		*out = scap_oflags_to_kernel((uint32_t)ppm);
		return 1;
	case XF_CLONE:
		*out = map_bits(clone_map, N(clone_map), ppm);
		return 1;
	case XF_MMAP:
		*out = map_bits(mmap_map, N(mmap_map), ppm);
		return 1;
	case XF_RESOLVE:
		*out = map_bits(resolve_map, N(resolve_map), ppm);
		return 1;
	case XF_EPOLL_FLAGS:
		*out = ppm & 1 ? 02000000 : 0; /* EPOLL_CLOEXEC */
		return 1;
	case XF_FCNTL:
		if (ppm >= N(fcntl_map) || fcntl_map[ppm] < 0)
			return 0;
		*out = fcntl_map[ppm];
		return 1;
	case XF_PTRACE:
		if (ppm >= N(ptrace_map) || ptrace_map[ppm] < 0)
			return 0;
		*out = ptrace_map[ppm];
		return 1;
	}
	return 0;
}

size_t put_sa4(uint8_t *out, const uint8_t *ip, uint16_t port)
{
	memset(out, 0, 16);
	out[0] = 2; /* AF_INET, little-endian u16 */
	out[2] = (uint8_t)(port >> 8); /* network order */
	out[3] = (uint8_t)port;
	memcpy(out + 4, ip, 4);
	return 16;
}

size_t put_sa6(uint8_t *out, const uint8_t *ip, uint16_t port)
{
	memset(out, 0, 28);
	out[0] = 10; /* AF_INET6 */
	out[2] = (uint8_t)(port >> 8);
	out[3] = (uint8_t)port;
	memcpy(out + 8, ip, 16);
	return 28;
}

static size_t put_unix(uint8_t *out, const uint8_t *path, size_t n)
{
	/* the legacy path is NUL-terminated; kcap keeps the bytes alone */
	while (n && path[n - 1] == 0)
		n--;
	if (n > 108)
		n = 108;
	out[0] = 1; /* AF_UNIX */
	out[1] = 0;
	memcpy(out + 2, path, n);
	return 2 + n;
}

size_t scap_saddr_to_kernel(const uint8_t *p, size_t len, uint8_t out[128])
{
	if (len < 1)
		return 0;
	switch (p[0]) {
	case 2:
		return len >= 7 ? put_sa4(out, p + 1, sc_le16(p + 5)) : 0;
	case 10:
		return len >= 19 ? put_sa6(out, p + 1, sc_le16(p + 17)) : 0;
	case 1:
		return put_unix(out, p + 1, len - 1);
	}
	return 0;
}

size_t scap_tuple_to_kernel(const uint8_t *p, size_t len, bool dst,
			    uint8_t out[128])
{
	if (len < 1)
		return 0;
	switch (p[0]) {
	case 2: /* sip 4, sport 2, dip 4, dport 2 */
		if (len < 13)
			return 0;
		return dst ? put_sa4(out, p + 7, sc_le16(p + 11)) :
			     put_sa4(out, p + 1, sc_le16(p + 5));
	case 10: /* sip 16, sport 2, dip 16, dport 2 */
		if (len < 37)
			return 0;
		return dst ? put_sa6(out, p + 19, sc_le16(p + 35)) :
			     put_sa6(out, p + 1, sc_le16(p + 17));
	case 1: /* two kernel pointers, then the path: the peer's name */
		if (len < 17)
			return 0;
		return dst ? put_unix(out, p + 17, len - 17) : 0;
	}
	return 0;
}
