// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Fields and the filter language of kcap read:
 *
 *   expr  := or
 *   or    := and ('or' and)*
 *   and   := unary ('and' unary)*
 *   unary := 'not' unary | '(' expr ')' | FIELD OP VALUE
 *          | FIELD 'in' '(' VALUE (',' VALUE)* ')' | FIELD 'exists'
 *
 * A filter is compiled once into a tree whose leaves know their field and
 * their parsed operands: numbers are parsed at compile time, and
 * `evt.type = x` or `evt.type in (...)` become a bitmap test on the event
 * id, so the common filters cost a few loads per event.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <fnmatch.h>
#include <stdio.h>

#include "internal.h"
#include "timeparse.h"

enum fid {
	F_EVT_NUM,
	F_EVT_TIME,
	F_EVT_TYPE,
	F_EVT_CLASS,
	F_EVT_RES,
	F_EVT_FAILED,
	F_EVT_SRC,
	F_EVT_ARGS,
	F_TID,
	F_PROC_PID,
	F_PROC_PPID,
	F_PROC_NAME,
	F_PROC_EXE,
	F_PROC_ARGV,
	F_PROC_ARGS,
	F_PROC_CWD,
	F_PROC_UID,
	F_PROC_PNAME,
	F_PROC_ANAME,
	F_PROC_APID,
	F_FD_NUM,
	F_FD_NAME,
	F_FD_TYPE,
	F_FD_FILENAME,
	F_FD_DIRECTORY,
	F_FD_INO,
	F_FD_LIP,
	F_FD_RIP,
	F_FD_LPORT,
	F_FD_RPORT,
	F_FD_IP,
	F_FD_PORT,
	F_FD_CLOEXEC,
	F_ARG, /* a schema field, by name */
};

static const struct fdef {
	const char *name;
	int id;
	int kind; /* KCAP_V_INT or KCAP_V_STR; 0: depends on the event */
	bool indexed; /* takes [N] */
	const char *help;
} fdefs[] = {
	{ "evt.num", F_EVT_NUM, KCAP_V_INT, false,
	  "event number, from 1, over all inputs" },
	{ "evt.time", F_EVT_TIME, KCAP_V_INT, false,
	  "timestamp, ns since the epoch (UTC)" },
	{ "evt.type", F_EVT_TYPE, KCAP_V_STR, false,
	  "event name: openat, read, execve, procexit..." },
	{ "evt.class", F_EVT_CLASS, KCAP_V_STR, false,
	  "event class: file, net, process, ipc, memory, signal, time, system, other" },
	{ "evt.res", F_EVT_RES, KCAP_V_INT, false,
	  "syscall result (negative: -errno); absent for non-syscalls" },
	{ "evt.failed", F_EVT_FAILED, KCAP_V_INT, false,
	  "1 if the syscall returned an error, else 0" },
	{ "evt.src", F_EVT_SRC, KCAP_V_STR, false,
	  "the input file the event comes from" },
	{ "evt.args", F_EVT_ARGS, KCAP_V_STR, false,
	  "all arguments as the text output shows them" },
	{ "thread.tid", F_TID, KCAP_V_INT, false,
	  "thread id (also: tid, evt.tid)" },
	{ "tid", F_TID, KCAP_V_INT, false, NULL },
	{ "evt.tid", F_TID, KCAP_V_INT, false, NULL },
	{ "proc.pid", F_PROC_PID, KCAP_V_INT, false,
	  "process id (thread group)" },
	{ "proc.ppid", F_PROC_PPID, KCAP_V_INT, false, "parent process id" },
	{ "proc.name", F_PROC_NAME, KCAP_V_STR, false,
	  "process name (comm; changes at exec)" },
	{ "proc.exe", F_PROC_EXE, KCAP_V_STR, false, "path of the executable" },
	{ "proc.argv", F_PROC_ARGV, KCAP_V_STR, false,
	  "command line, argv[0] included, space-separated" },
	{ "proc.args", F_PROC_ARGS, KCAP_V_STR, false,
	  "arguments after argv[0], space-separated" },
	{ "proc.cwd", F_PROC_CWD, KCAP_V_STR, false, "current directory" },
	{ "proc.uid", F_PROC_UID, KCAP_V_INT, false, "user id" },
	{ "proc.pname", F_PROC_PNAME, KCAP_V_STR, false, "parent's name" },
	{ "proc.aname", F_PROC_ANAME, KCAP_V_STR, true,
	  "an ancestor's name: proc.aname[1] is the parent, [2] the grandparent; without [N], any ancestor matches" },
	{ "proc.apid", F_PROC_APID, KCAP_V_INT, true,
	  "an ancestor's pid, as proc.aname" },
	{ "fd.num", F_FD_NUM, KCAP_V_INT, false,
	  "the event's fd number (the result for calls that make one)" },
	{ "fd.name", F_FD_NAME, KCAP_V_STR, false,
	  "path of a file, or local->remote address of a socket, or pipe:[ino]" },
	{ "fd.type", F_FD_TYPE, KCAP_V_STR, false,
	  "fd kind: file, directory, pipe, ipv4, ipv6, unix, netlink, eventfd, ..." },
	{ "fd.filename", F_FD_FILENAME, KCAP_V_STR, false,
	  "last part of fd.name" },
	{ "fd.directory", F_FD_DIRECTORY, KCAP_V_STR, false,
	  "fd.name without its last part" },
	{ "fd.ino", F_FD_INO, KCAP_V_INT, false, "inode number, when known" },
	{ "fd.lip", F_FD_LIP, KCAP_V_STR, false,
	  "local IP address of a socket" },
	{ "fd.rip", F_FD_RIP, KCAP_V_STR, false,
	  "remote IP address of a socket" },
	{ "fd.lport", F_FD_LPORT, KCAP_V_INT, false, "local port" },
	{ "fd.rport", F_FD_RPORT, KCAP_V_INT, false, "remote port" },
	{ "fd.ip", F_FD_IP, KCAP_V_STR, false,
	  "either IP address (matches if one does)" },
	{ "fd.port", F_FD_PORT, KCAP_V_INT, false,
	  "either port (matches if one does)" },
	{ "fd.cloexec", F_FD_CLOEXEC, KCAP_V_INT, false,
	  "1 if the fd closes at exec" },
};

struct kcap_field {
	int id;
	int kind;
	int index; /* [N], -1 if none */
	char name[96];
	/* F_ARG: the field of each event type, NULL where it has none */
	const struct kcap_field_desc **bytype;
	unsigned int limit;
};

const char *kcap_field__name(const struct kcap_field *f)
{
	return f->name;
}

void kcap_field__free(struct kcap_field *f)
{
	if (!f)
		return;
	free(f->bytype);
	free(f);
}

static bool is_name_char(int c)
{
	return isalnum(c) || c == '_' || c == '.';
}

size_t kcap_field__parse(const char *s, struct kcap_field **out)
{
	const struct kcap_schema *sc = kcap_schema__builtin();
	size_t n = 0, i, consumed;
	struct kcap_field *f;
	const char *arg;
	int index = -1;

	*out = NULL;
	while (is_name_char((unsigned char)s[n]))
		n++;
	if (!n || n >= sizeof(f->name))
		return 0;
	consumed = n;
	if (s[n] == '[') {
		char *end;
		long v = strtol(s + n + 1, &end, 10);

		if (*end != ']' || v < 0 || v > 64 || end == s + n + 1)
			return 0;
		index = (int)v;
		consumed = (size_t)(end + 1 - s);
	}
	f = calloc(1, sizeof(*f));
	if (!f)
		return 0;
	memcpy(f->name, s, consumed);
	f->index = index;
	for (i = 0; i < sizeof(fdefs) / sizeof(fdefs[0]); i++)
		if (strlen(fdefs[i].name) == n &&
		    !memcmp(fdefs[i].name, s, n)) {
			if (index >= 0 && !fdefs[i].indexed)
				break;
			f->id = fdefs[i].id;
			f->kind = fdefs[i].kind;
			*out = f;
			return consumed;
		}
	if (index >= 0)
		goto fail;
	/* a schema field: evt.arg.NAME or just NAME */
	arg = s;
	if (n > 8 && !memcmp(s, "evt.arg.", 8))
		arg = s + 8;
	else if (memchr(s, '.', n))
		goto fail;
	f->id = F_ARG;
	f->limit = kcap_schema__id_limit(sc);
	f->bytype = calloc(f->limit ? f->limit : 1, sizeof(*f->bytype));
	if (!f->bytype)
		goto fail;
	{
		char nm[96];
		size_t an = n - (size_t)(arg - s);
		bool any = false;

		memcpy(nm, arg, an);
		nm[an] = 0;
		for (i = 0; i < f->limit; i++) {
			const struct kcap_event_desc *d =
				kcap_schema__event(sc, (unsigned)i);

			if (d && (f->bytype[i] = kcap_event_desc__field(d, nm)))
				any = true;
		}
		if (!any)
			goto fail;
	}
	*out = f;
	return consumed;
fail:
	kcap_field__free(f);
	return 0;
}

/* ---- values ------------------------------------------------------------------- */

static void set_str(struct kcap_val *v, const char *s, size_t n)
{
	v->kind = KCAP_V_STR;
	v->s = s;
	v->n = n;
}

static void set_int(struct kcap_val *v, int64_t i)
{
	v->kind = KCAP_V_INT;
	v->uns = false;
	v->i = i;
}

/* A value that is unsigned: compared and printed as one past 2^63. */
static void set_uint(struct kcap_val *v, uint64_t u)
{
	v->kind = KCAP_V_INT;
	v->uns = true;
	v->i = (int64_t)u;
}

static bool get_res(const struct kcap_event_ctx *c, int64_t *res)
{
	if (!c->desc || !(c->desc->flags & KCAP_EF_SYSCALL) ||
	    !c->desc->nfields || strcmp(c->desc->fields[0].name, "res"))
		return false;
	return kcap_field__get_int(&c->desc->fields[0], c->ev, res) == 1;
}

static const struct kcap_proc *ancestor(const struct kcap_event_ctx *c,
					unsigned int level)
{
	const struct kcap_proc *p = c->proc;

	while (p && level--) {
		if (p->ppid <= 0 || p->ppid == p->pid)
			return NULL;
		p = kcap_replay__proc(c->rp, p->ppid);
	}
	return p;
}

static void put_ip(struct kcap_buf *b, unsigned int fam, const uint8_t *a)
{
	char tmp[48];

	if (fam == 2)
		kcap_buf__printf(b, "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
	else
		kcap_buf__write(b, tmp, kcap_ip6__format(tmp, a));
}

/* argv with NULs turned into spaces, from argv[skip] on */
static void put_argv_words(struct kcap_buf *b, const char *p, size_t n,
			   unsigned int skip)
{
	size_t i = 0;
	bool first = true;

	while (i < n) {
		const char *z = memchr(p + i, 0, n - i);
		size_t len = z ? (size_t)(z - (p + i)) : n - i;

		if (skip) {
			skip--;
		} else {
			if (!first)
				kcap_buf__putc(b, ' ');
			first = false;
			kcap_buf__write(b, p + i, len);
		}
		i += len + 1;
	}
}

static void put_args_text(struct kcap_buf *b, const struct kcap_event_ctx *c)
{
	unsigned int i;
	bool first = true;

	if (!c->desc)
		return;
	for (i = 0; i < c->desc->nfields; i++) {
		const struct kcap_field_desc *f = &c->desc->fields[i];
		const uint8_t *d;
		size_t n;
		int64_t v;

		if (i == 0 && (c->desc->flags & KCAP_EF_SYSCALL))
			continue;
		if (f->type == KCAP_T_var ?
			    kcap_field__get_var(f, c->ev, &d, &n) != 1 :
			    kcap_field__get_int(f, c->ev, &v) != 1)
			continue;
		if (!first)
			kcap_buf__putc(b, ' ');
		first = false;
		kcap_buf__puts(b, f->name);
		kcap_buf__putc(b, '=');
		kcap_field__print_text(b, f, c->ev, 0);
	}
}

bool kcap_field__get(const struct kcap_field *f, const struct kcap_event_ctx *c,
		     unsigned int k, struct kcap_val *v, struct kcap_buf *sb)
{
	const struct kcap_proc *p = c->proc;
	const struct kcap_fdinfo *fd = c->fd;
	int64_t i64;

	if (k && f->id != F_PROC_ANAME && f->id != F_PROC_APID &&
	    f->id != F_FD_IP && f->id != F_FD_PORT)
		return false;
	switch (f->id) {
	case F_EVT_NUM:
		set_uint(v, c->num);
		return true;
	case F_EVT_TIME:
		set_uint(v, c->ev->ts);
		return true;
	case F_EVT_TYPE:
		if (c->desc)
			set_str(v, c->desc->name, strlen(c->desc->name));
		else
			return false;
		return true;
	case F_EVT_CLASS:
		if (!c->desc)
			return false;
		{
			const char *s = kcap_class_name(c->desc->cls);

			set_str(v, s, strlen(s));
		}
		return true;
	case F_EVT_RES:
		if (!get_res(c, &i64))
			return false;
		set_int(v, i64);
		return true;
	case F_EVT_FAILED:
		if (!get_res(c, &i64))
			return false;
		set_int(v, i64 < 0);
		return true;
	case F_EVT_SRC: {
		const char *s = kcap_replay__input_name(c->rp, c->src);

		set_str(v, s, strlen(s));
		return true;
	}
	case F_EVT_ARGS:
		sb->len = 0;
		put_args_text(sb, c);
		set_str(v, sb->data ? sb->data : "", sb->len);
		return true;
	case F_TID:
		set_int(v, c->ev->tid);
		return true;
	case F_PROC_PID:
		if (!p)
			return false;
		set_int(v, p->pid);
		return true;
	case F_PROC_PPID:
		if (!p || p->ppid < 0)
			return false;
		set_int(v, p->ppid);
		return true;
	case F_PROC_NAME:
		if (!p)
			return false;
		set_str(v, p->comm, strlen(p->comm));
		return true;
	case F_PROC_EXE:
		if (!p)
			return false;
		set_str(v, p->exe, strlen(p->exe));
		return true;
	case F_PROC_ARGV:
	case F_PROC_ARGS:
		if (!p)
			return false;
		sb->len = 0;
		put_argv_words(sb, p->argv, p->argv_len, f->id == F_PROC_ARGS);
		set_str(v, sb->data ? sb->data : "", sb->len);
		return true;
	case F_PROC_CWD:
		if (!p)
			return false;
		set_str(v, p->cwd, strlen(p->cwd));
		return true;
	case F_PROC_UID:
		if (!p || p->uid == UINT32_MAX)
			return false;
		set_int(v, p->uid);
		return true;
	case F_PROC_PNAME:
		p = ancestor(c, 1);
		if (!p)
			return false;
		set_str(v, p->comm, strlen(p->comm));
		return true;
	case F_PROC_ANAME:
	case F_PROC_APID:
		if (f->index >= 0) {
			if (k)
				return false;
			p = ancestor(c, (unsigned int)f->index);
		} else {
			if (k >= 64)
				return false;
			p = ancestor(c, k + 1);
		}
		if (!p)
			return false;
		if (f->id == F_PROC_APID)
			set_int(v, p->pid);
		else
			set_str(v, p->comm, strlen(p->comm));
		return true;
	case F_FD_NUM:
		if (c->fdnum < 0)
			return false;
		set_int(v, c->fdnum);
		return true;
	case F_FD_NAME:
	case F_FD_FILENAME:
	case F_FD_DIRECTORY: {
		const char *s, *sl;

		if (!fd)
			return false;
		s = kcap_fdinfo__name(fd);
		if (f->id == F_FD_NAME) {
			set_str(v, s, fd->namelen);
			return true;
		}
		sl = memrchr(s, '/', fd->namelen);
		if (f->id == F_FD_FILENAME)
			set_str(v, sl ? sl + 1 : s,
				sl ? fd->namelen - (size_t)(sl + 1 - s) :
				     fd->namelen);
		else if (sl)
			set_str(v, s, sl == s ? 1 : (size_t)(sl - s));
		else
			return false;
		return true;
	}
	case F_FD_TYPE: {
		const char *s;

		if (!fd)
			return false;
		s = kcap_fd_kind_name(fd->kind);
		set_str(v, s, strlen(s));
		return true;
	}
	case F_FD_INO:
		if (!fd || !fd->ino)
			return false;
		set_uint(v, fd->ino);
		return true;
	case F_FD_CLOEXEC:
		if (!fd)
			return false;
		set_int(v, fd->cloexec);
		return true;
	case F_FD_LIP:
	case F_FD_RIP:
	case F_FD_IP: {
		bool remote = f->id == F_FD_RIP || (f->id == F_FD_IP && k == 1);
		unsigned int fam;

		if (!fd || k > 1)
			return false;
		fam = remote ? fd->rfamily : fd->lfamily;
		if (fam != 2 && fam != 10)
			return false;
		sb->len = 0;
		put_ip(sb, fam, remote ? fd->raddr : fd->laddr);
		set_str(v, sb->data, sb->len);
		return true;
	}
	case F_FD_LPORT:
	case F_FD_RPORT:
	case F_FD_PORT: {
		bool remote = f->id == F_FD_RPORT ||
			      (f->id == F_FD_PORT && k == 1);
		unsigned int fam;

		if (!fd || k > 1)
			return false;
		fam = remote ? fd->rfamily : fd->lfamily;
		if (fam != 2 && fam != 10)
			return false;
		set_int(v, remote ? fd->rport : fd->lport);
		return true;
	}
	case F_ARG: {
		const struct kcap_field_desc *d;
		const uint8_t *data;
		size_t n;

		if (c->ev->type >= f->limit || !(d = f->bytype[c->ev->type]))
			return false;
		if (d->type != KCAP_T_var) {
			if (kcap_field__get_int(d, c->ev, &i64) != 1)
				return false;
			if (d->type == KCAP_T_u64)
				set_uint(v, (uint64_t)i64);
			else
				set_int(v, i64);
			return true;
		}
		if (kcap_field__get_var(d, c->ev, &data, &n) != 1)
			return false;
		switch (d->fmt) {
		case KCAP_FMT_ARGV:
			sb->len = 0;
			put_argv_words(sb, (const char *)data, n, 0);
			set_str(v, sb->data ? sb->data : "", sb->len);
			return true;
		case KCAP_FMT_SOCKADDR:
		case KCAP_FMT_POLLFDS:
			sb->len = 0;
			kcap_field__print_text(sb, d, c->ev, 0);
			set_str(v, sb->data ? sb->data : "", sb->len);
			return true;
		default:
			set_str(v, (const char *)data, n);
			return true;
		}
	}
	}
	return false;
}

void kcap_field__print(struct kcap_buf *b, const struct kcap_field *f,
		       const struct kcap_event_ctx *c, struct kcap_buf *sb)
{
	struct kcap_val v;

	if (!kcap_field__get(f, c, 0, &v, sb))
		return;
	if (v.kind == KCAP_V_INT) {
		if (f->id == F_ARG)
			kcap_field__print_text(b, f->bytype[c->ev->type], c->ev,
					       0);
		else if (v.uns)
			kcap_buf__printf(b, "%llu", (unsigned long long)v.i);
		else
			kcap_buf__printf(b, "%lld", (long long)v.i);
	} else if (f->id == F_EVT_ARGS ||
		   (f->id == F_ARG &&
		    (f->bytype[c->ev->type]->fmt == KCAP_FMT_SOCKADDR ||
		     f->bytype[c->ev->type]->fmt == KCAP_FMT_POLLFDS))) {
		kcap_buf__write(b, v.s, v.n); /* text made here: escaped */
	} else {
		/*
		 * A traced program's bytes (data, paths, names, argv):
		 * escaped, so that one event stays one line and no control
		 * byte reaches the terminal, nor a NUL the CSV.
		 */
		kcap_buf__escape(b, v.s, v.n);
	}
}

void kcap_fields__list(FILE *out)
{
	const struct kcap_schema *sc = kcap_schema__builtin();
	unsigned int limit = kcap_schema__id_limit(sc), id, i, j;
	const char **seen = calloc(4096, sizeof(*seen));
	unsigned int nseen = 0;

	fprintf(out, "Fields of kcap read filters, -F and --format csv:\n\n");
	for (i = 0; i < sizeof(fdefs) / sizeof(fdefs[0]); i++) {
		if (!fdefs[i].help)
			continue;
		fprintf(out, "  %-16s %s%s\n", fdefs[i].name,
			fdefs[i].kind == KCAP_V_INT ? "(number) " : "(text) ",
			fdefs[i].help);
	}
	fprintf(out,
		"\nEvery field of the event schema, by name or as evt.arg.NAME\n"
		"(numbers compare as numbers; other values as the text output\n"
		"shows them). Name: the events that have it.\n\n");
	for (id = 0; seen && id < limit; id++) {
		const struct kcap_event_desc *d = kcap_schema__event(sc, id);

		for (i = 0; d && i < d->nfields; i++) {
			const char *fn = d->fields[i].name;
			unsigned int cnt = 0, id2;

			for (j = 0; j < nseen; j++)
				if (!strcmp(seen[j], fn))
					break;
			if (j < nseen || nseen == 4096)
				continue;
			seen[nseen++] = fn;
			fprintf(out, "  %-22s", fn);
			for (id2 = id; id2 < limit; id2++) {
				const struct kcap_event_desc *d2 =
					kcap_schema__event(sc, id2);

				if (!d2 || !kcap_event_desc__field(d2, fn))
					continue;
				if (cnt < 8)
					fprintf(out, "%s%s", cnt ? ", " : " ",
						d2->name);
				cnt++;
			}
			if (cnt > 8)
				fprintf(out, " and %u more", cnt - 8);
			fputc('\n', out);
		}
	}
	free(seen);
	fprintf(out,
		"\nOperators: = != < <= > >= contains icontains startswith endswith\n"
		"glob in exists; combine with and, or, not and parentheses.\n"
		"Values: words, numbers (decimal, 0x hex, negative), or quoted\n"
		"strings ('...' or \"...\", with \\ escapes).\n");
}

/* ---- filters ----------------------------------------------------------------------- */

enum op {
	OP_EQ,
	OP_NE,
	OP_LT,
	OP_LE,
	OP_GT,
	OP_GE,
	OP_CONTAINS,
	OP_ICONTAINS,
	OP_STARTSWITH,
	OP_ENDSWITH,
	OP_GLOB,
	OP_IN,
	OP_EXISTS,
};

enum nkind { N_AND, N_OR, N_NOT, N_CMP, N_TYPESET, N_NAME_EQ };

struct operand {
	char *s;
	size_t n;
	bool has_int;
	bool big; /* i holds a number past INT64_MAX, as a u64 */
	int64_t i;
};

struct node {
	int kind;
	struct node *a, *b;
	struct kcap_field *f;
	int op;
	struct operand *vals;
	unsigned int nvals;
	uint64_t *typeset; /* N_TYPESET: bit per event id */
	unsigned int limit;
	bool negate;
};

struct kcap_filter {
	struct node *root;
	struct kcap_buf scratch, scratch2;
};

/*
 * Bounds on a filter's tree, whose parsing, evaluation and freeing
 * recurse: 50,000 nested parentheses overflowed the stack (SIGSEGV), and
 * a chain of and/or is as deep as it is long.
 */
#define FILTER_DEPTH_MAX 256
#define FILTER_JOINS_MAX 4096

struct parser {
	const char *s;
	size_t pos;
	char *err;
	size_t errlen;
	bool failed;
	unsigned int depth, joins;
};

static void node_free(struct node *n)
{
	unsigned int i;

	if (!n)
		return;
	node_free(n->a);
	node_free(n->b);
	kcap_field__free(n->f);
	for (i = 0; i < n->nvals; i++)
		free(n->vals[i].s);
	free(n->vals);
	free(n->typeset);
	free(n);
}

void kcap_filter__free(struct kcap_filter *f)
{
	if (!f)
		return;
	node_free(f->root);
	kcap_buf__free(&f->scratch);
	kcap_buf__free(&f->scratch2);
	free(f);
}

static void *perr(struct parser *p, size_t at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void *perr(struct parser *p, size_t at, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (p->failed)
		return NULL;
	p->failed = true;
	n = snprintf(p->err, p->errlen, "column %zu: ", at + 1);
	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < p->errlen)
		vsnprintf(p->err + n, p->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return NULL;
}

static void skip_ws(struct parser *p)
{
	while (isspace((unsigned char)p->s[p->pos]))
		p->pos++;
}

/* The next word, for messages: "'foo'" or "the end". */
static const char *found(struct parser *p, char *buf, size_t cap)
{
	size_t n = 0;

	if (!p->s[p->pos])
		return "the end of the filter";
	while (p->s[p->pos + n] && !isspace((unsigned char)p->s[p->pos + n]) &&
	       n < 20)
		n++;
	if (!n)
		n = 1;
	snprintf(buf, cap, "'%.*s'", (int)n, p->s + p->pos);
	return buf;
}

static bool keyword(struct parser *p, const char *kw)
{
	size_t n = strlen(kw);

	skip_ws(p);
	if (strncmp(p->s + p->pos, kw, n) ||
	    is_name_char((unsigned char)p->s[p->pos + n]))
		return false;
	p->pos += n;
	return true;
}

static struct node *parse_or(struct parser *p);

/* A hex digit's value, -1 for any other character. */
static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' :
	       c >= 'a' && c <= 'f' ? c - 'a' + 10 :
	       c >= 'A' && c <= 'F' ? c - 'A' + 10 :
				      -1;
}

static bool parse_value(struct parser *p, struct operand *o)
{
	char buf[32];
	size_t start, cap = 64, n = 0;
	char *s;

	skip_ws(p);
	start = p->pos;
	s = malloc(cap);
	if (!s)
		return perr(p, start, "out of memory"), false;
	if (p->s[p->pos] == '\'' || p->s[p->pos] == '"') {
		char q = p->s[p->pos++];

		for (;;) {
			char c = p->s[p->pos];

			if (!c) {
				free(s);
				perr(p, start,
				     "expected a closing %c for the string that starts here",
				     q);
				return false;
			}
			p->pos++;
			if (c == q)
				break;
			/*
			 * The escapes the output writes (\n \t \r \\ \" and
			 * \xHH), so that a string pasted from it matches;
			 * any other is refused rather than read as its letter.
			 */
			if (c == '\\' && p->s[p->pos]) {
				size_t at = p->pos - 1;
				int hi, lo;

				c = p->s[p->pos++];
				if (c == 'x') {
					hi = hexval(p->s[p->pos]);
					lo = hi < 0 ? -1 :
						      hexval(p->s[p->pos + 1]);
					if (lo < 0) {
						free(s);
						return perr(p, at,
							    "\\x wants two hex "
							    "digits"),
						       false;
					}
					p->pos += 2;
					c = (char)(hi << 4 | lo);
				} else if (c == 'n' || c == 't' || c == 'r' ||
					   c == '0') {
					c = c == 'n' ? '\n' :
					    c == 't' ? '\t' :
					    c == 'r' ? '\r' :
						       '\0';
				} else if (c != '\\' && c != '"' && c != '\'') {
					free(s);
					return perr(p, at,
						    "unknown escape \\%c (known: "
						    "\\n \\t \\r \\0 \\\\ \\\" "
						    "\\' \\xHH)",
						    c),
					       false;
				}
			}
			if (n + 1 >= cap) {
				char *t = realloc(s, cap *= 2);

				if (!t) {
					free(s);
					return perr(p, start, "out of memory"),
					       false;
				}
				s = t;
			}
			s[n++] = c;
		}
	} else {
		while (p->s[p->pos] && !isspace((unsigned char)p->s[p->pos]) &&
		       p->s[p->pos] != '(' && p->s[p->pos] != ')' &&
		       p->s[p->pos] != ',') {
			if (n + 1 >= cap) {
				char *t = realloc(s, cap *= 2);

				if (!t) {
					free(s);
					return perr(p, start, "out of memory"),
					       false;
				}
				s = t;
			}
			s[n++] = p->s[p->pos++];
		}
		if (!n) {
			free(s);
			perr(p, start, "expected a value, found %s",
			     found(p, buf, sizeof(buf)));
			return false;
		}
	}
	s[n] = 0;
	o->s = s;
	o->n = n;
	{
		char *end;
		long long v;

		errno = 0;
		v = strtoll(s, &end, 0);
		o->has_int = n && !*end && !errno;
		o->big = false;
		o->i = v;
		/* past INT64_MAX: strtoll said ERANGE, or 0x... past it */
		if (!o->has_int && n && s[0] != '-') {
			unsigned long long u;

			errno = 0;
			u = strtoull(s, &end, 0);
			if (!*end && !errno) {
				o->has_int = true;
				o->big = u > INT64_MAX;
				o->i = (int64_t)u;
			}
		}
	}
	return true;
}

static const struct {
	const char *tok;
	int op;
	bool word;
} ops[] = {
	{ "==", OP_EQ, false },
	{ "!=", OP_NE, false },
	{ "<=", OP_LE, false },
	{ ">=", OP_GE, false },
	{ "=", OP_EQ, false },
	{ "<", OP_LT, false },
	{ ">", OP_GT, false },
	{ "contains", OP_CONTAINS, true },
	{ "icontains", OP_ICONTAINS, true },
	{ "startswith", OP_STARTSWITH, true },
	{ "endswith", OP_ENDSWITH, true },
	{ "glob", OP_GLOB, true },
	{ "in", OP_IN, true },
	{ "exists", OP_EXISTS, true },
};

/* evt.type = / != / in: a bitmap of event ids, checked at compile time */
static struct node *make_typeset(struct parser *p, struct node *n,
				 const size_t *at)
{
	const struct kcap_schema *sc = kcap_schema__builtin();
	unsigned int i;

	n->limit = kcap_schema__id_limit(sc);
	n->typeset = calloc((n->limit + 63) / 64, 8);
	if (!n->typeset)
		return perr(p, at[0], "out of memory");
	for (i = 0; i < n->nvals; i++) {
		const struct kcap_event_desc *d =
			kcap_schema__event_by_name(sc, n->vals[i].s);

		if (!d)
			return perr(
				p, at[i],
				"expected an event name (openat, read, execve...), found '%s'",
				n->vals[i].s);
		n->typeset[d->id / 64] |= 1ull << (d->id % 64);
	}
	n->negate = n->op == OP_NE;
	n->kind = N_TYPESET;
	return n;
}

/* Frees n and says that the value at where is not what its field takes. */
static struct node *bad_value(struct parser *p, struct node *n, size_t where,
			      const char *what, const char *hint)
{
	char name[96];

	snprintf(name, sizeof(name), "%s", kcap_field__name(n->f));
	node_free(n);
	return perr(p, where, "expected %s for %s%s", what, name, hint);
}

/* An event field that is a duration in every event that has it (dur). */
static bool is_duration(const struct kcap_field *f)
{
	unsigned int t, n = 0;

	if (f->id != F_ARG || !f->bytype)
		return false;
	for (t = 0; t < f->limit; t++) {
		if (!f->bytype[t])
			continue;
		if (f->bytype[t]->fmt != KCAP_FMT_DURATION)
			return false;
		n++;
	}
	return n > 0;
}

static struct node *parse_cmp(struct parser *p)
{
	char buf[32];
	struct node *n;
	size_t start, used, at[256];
	unsigned int i;

	skip_ws(p);
	start = p->pos;
	n = calloc(1, sizeof(*n));
	if (!n)
		return perr(p, start, "out of memory");
	n->kind = N_CMP;
	used = kcap_field__parse(p->s + p->pos, &n->f);
	if (!used) {
		free(n);
		if (!is_name_char((unsigned char)p->s[p->pos]))
			return perr(
				p, start,
				"expected a field name, 'not' or '(', found %s",
				found(p, buf, sizeof(buf)));
		{
			size_t w = 0;

			while (is_name_char((unsigned char)p->s[p->pos + w]) ||
			       p->s[p->pos + w] == '[' ||
			       p->s[p->pos + w] == ']')
				w++;
			return perr(
				p, start,
				"expected a field name (kcap read -l lists them), found '%.*s'",
				(int)w, p->s + p->pos);
		}
	}
	p->pos += used;
	skip_ws(p);
	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		size_t l = strlen(ops[i].tok);

		if (strncmp(p->s + p->pos, ops[i].tok, l))
			continue;
		if (ops[i].word &&
		    is_name_char((unsigned char)p->s[p->pos + l]))
			continue;
		n->op = ops[i].op;
		p->pos += l;
		break;
	}
	if (i == sizeof(ops) / sizeof(ops[0])) {
		node_free(n);
		return perr(
			p, p->pos,
			"expected an operator (= != < <= > >= contains icontains startswith endswith glob in exists) after %.*s, found %s",
			(int)used, p->s + start, found(p, buf, sizeof(buf)));
	}
	if (n->op == OP_EXISTS)
		return n;
	if (n->op == OP_IN) {
		skip_ws(p);
		if (p->s[p->pos] != '(') {
			node_free(n);
			return perr(p, p->pos,
				    "expected '(' after 'in', found %s",
				    found(p, buf, sizeof(buf)));
		}
		p->pos++;
		for (;;) {
			struct operand *v;

			if (n->nvals == 256) {
				node_free(n);
				return perr(
					p, p->pos,
					"expected at most 256 values in a list");
			}
			v = realloc(n->vals, (n->nvals + 1) * sizeof(*v));
			if (!v) {
				node_free(n);
				return perr(p, p->pos, "out of memory");
			}
			n->vals = v;
			skip_ws(p);
			at[n->nvals] = p->pos;
			if (!parse_value(p, &n->vals[n->nvals])) {
				node_free(n);
				return NULL;
			}
			n->nvals++;
			skip_ws(p);
			if (p->s[p->pos] == ',') {
				p->pos++;
				continue;
			}
			if (p->s[p->pos] == ')') {
				p->pos++;
				break;
			}
			node_free(n);
			return perr(p, p->pos,
				    "expected ',' or ')' in the list, found %s",
				    found(p, buf, sizeof(buf)));
		}
	} else {
		n->vals = calloc(1, sizeof(*n->vals));
		if (!n->vals) {
			node_free(n);
			return perr(p, p->pos, "out of memory");
		}
		skip_ws(p);
		at[0] = p->pos;
		if (!parse_value(p, &n->vals[0])) {
			node_free(n);
			return NULL;
		}
		n->nvals = 1;
	}
	/* evt.time also takes an ISO 8601 time */
	if (n->f->id == F_EVT_TIME)
		for (i = 0; i < n->nvals; i++) {
			uint64_t t;

			if (!n->vals[i].has_int && n->vals[i].s[0] != '+' &&
			    !kcap_parse_time(n->vals[i].s, 0, &t)) {
				n->vals[i].has_int = true;
				n->vals[i].i = (int64_t)t;
			}
		}
	/* a duration field (dur) also takes one with a unit: 1.5ms */
	if (is_duration(n->f) && (n->op <= OP_GE || n->op == OP_IN))
		for (i = 0; i < n->nvals; i++) {
			uint64_t d;

			if (n->vals[i].has_int)
				continue;
			if (!kcap_parse_duration(n->vals[i].s, true, &d)) {
				n->vals[i].has_int = true;
				n->vals[i].i = (int64_t)d;
			} else if (n->op >= OP_LT && n->op <= OP_GE) {
				/* its text ("0.0012s") does not order */
				return bad_value(p, n, at[i], "a duration",
						 ": ns, or with a unit (250us, "
						 "1.5ms, 2s)");
			}
		}
	if (n->f->kind == KCAP_V_INT && (n->op <= OP_GE || n->op == OP_IN))
		for (i = 0; i < n->nvals; i++)
			if (!n->vals[i].has_int)
				return bad_value(p, n, at[i], "a number", "");
	/* as evt.type's names: a class that is none matched nothing */
	if (n->f->id == F_EVT_CLASS &&
	    (n->op == OP_EQ || n->op == OP_NE || n->op == OP_IN))
		for (i = 0; i < n->nvals; i++) {
			unsigned int k;

			for (k = 0; k <= KCAP_CLASS_OTHER; k++)
				if (!strcmp(n->vals[i].s, kcap_class_name(k)))
					break;
			if (k > KCAP_CLASS_OTHER)
				return bad_value(p, n, at[i], "a class",
						 " (meta, file, net, process, "
						 "ipc, memory, signal, time, "
						 "system, other)");
		}
	if (n->f->id == F_PROC_NAME && (n->op == OP_EQ || n->op == OP_NE) &&
	    n->vals[0].n < 32 && !memchr(n->vals[0].s, 0, n->vals[0].n) &&
	    (n->typeset = calloc(4, sizeof(uint64_t)))) {
		_Static_assert(sizeof(((struct kcap_proc *)0)->comm) == 32,
			       "N_NAME_EQ compares 32 bytes");
		memcpy(n->typeset, n->vals[0].s, n->vals[0].n);
		n->kind = N_NAME_EQ;
		n->negate = n->op == OP_NE;
	}
	if (n->f->id == F_EVT_TYPE &&
	    (n->op == OP_EQ || n->op == OP_NE || n->op == OP_IN)) {
		if (!make_typeset(p, n, at)) {
			node_free(n);
			return NULL;
		}
	}
	return n;
}

static struct node *parse_unary(struct parser *p)
{
	char buf[32];
	struct node *n, *a;
	size_t at;

	skip_ws(p);
	at = p->pos;
	if ((p->s[p->pos] == '(' || !strncmp(p->s + p->pos, "not", 3)) &&
	    p->depth >= FILTER_DEPTH_MAX)
		return perr(p, at, "nested more than %d deep",
			    FILTER_DEPTH_MAX);
	if (keyword(p, "not")) {
		p->depth++;
		a = parse_unary(p);
		p->depth--;
		if (!a)
			return NULL;
		n = calloc(1, sizeof(*n));
		if (!n) {
			node_free(a);
			return perr(p, at, "out of memory");
		}
		n->kind = N_NOT;
		n->a = a;
		return n;
	}
	if (p->s[p->pos] == '(') {
		p->pos++;
		p->depth++;
		n = parse_or(p);
		p->depth--;
		if (!n)
			return NULL;
		skip_ws(p);
		if (p->s[p->pos] != ')') {
			node_free(n);
			return perr(
				p, p->pos,
				"expected ')' to close the '(' at column %zu, found %s",
				at + 1, found(p, buf, sizeof(buf)));
		}
		p->pos++;
		return n;
	}
	return parse_cmp(p);
}

static struct node *binary(struct parser *p, int kind, struct node *a,
			   struct node *b)
{
	struct node *n = calloc(1, sizeof(*n));

	if (!n) {
		node_free(a);
		node_free(b);
		return perr(p, p->pos, "out of memory");
	}
	n->kind = kind;
	n->a = a;
	n->b = b;
	return n;
}

/* A left-associative chain of sub-expressions joined by one keyword. */
static struct node *parse_chain(struct parser *p,
				struct node *(*sub)(struct parser *p),
				const char *word, int kind)
{
	struct node *a = sub(p), *b;

	while (a && keyword(p, word)) {
		if (++p->joins > FILTER_JOINS_MAX) {
			node_free(a);
			return perr(p, p->pos, "more than %d and/or joins",
				    FILTER_JOINS_MAX);
		}
		b = sub(p);
		if (!b) {
			node_free(a);
			return NULL;
		}
		a = binary(p, kind, a, b);
	}
	return a;
}

static struct node *parse_and(struct parser *p)
{
	return parse_chain(p, parse_unary, "and", N_AND);
}

static struct node *parse_or(struct parser *p)
{
	return parse_chain(p, parse_and, "or", N_OR);
}

struct kcap_filter *kcap_filter__compile(const char *expr, char *err,
					 size_t errlen)
{
	struct parser p = { .s = expr, .err = err, .errlen = errlen };
	struct kcap_filter *f;
	struct node *root;
	char buf[32];

	err[0] = 0;
	root = parse_or(&p);
	if (!root) {
		if (!p.failed)
			perr(&p, p.pos, "cannot parse");
		errno = EINVAL;
		return NULL;
	}
	skip_ws(&p);
	if (p.s[p.pos]) {
		perr(&p, p.pos,
		     "expected 'and', 'or' or the end of the filter, found %s",
		     found(&p, buf, sizeof(buf)));
		node_free(root);
		errno = EINVAL;
		return NULL;
	}
	f = calloc(1, sizeof(*f));
	if (!f) {
		node_free(root);
		snprintf(err, errlen, "out of memory");
		errno = ENOMEM;
		return NULL;
	}
	f->root = root;
	return f;
}

/* ---- evaluation ------------------------------------------------------------------- */

static bool str_cmp_op(int op, const char *s, size_t n, const struct operand *o)
{
	int c;

	switch (op) {
	case OP_EQ:
	case OP_IN:
		return n == o->n && !memcmp(s, o->s, n);
	case OP_NE:
		return !(n == o->n && !memcmp(s, o->s, n));
	case OP_CONTAINS:
		return memmem(s, n, o->s, o->n) != NULL;
	case OP_ICONTAINS: {
		size_t i, j;

		if (o->n > n)
			return false;
		for (i = 0; i + o->n <= n; i++) {
			for (j = 0; j < o->n; j++)
				if (tolower((unsigned char)s[i + j]) !=
				    tolower((unsigned char)o->s[j]))
					break;
			if (j == o->n)
				return true;
		}
		return false;
	}
	case OP_STARTSWITH:
		return n >= o->n && !memcmp(s, o->s, o->n);
	case OP_ENDSWITH:
		return n >= o->n && !memcmp(s + n - o->n, o->s, o->n);
	case OP_GLOB: {
		char tmp[4096];

		if (n >= sizeof(tmp) || memchr(s, 0, n))
			return false;
		memcpy(tmp, s, n);
		tmp[n] = 0;
		return fnmatch(o->s, tmp, 0) == 0;
	}
	default:
		c = memcmp(s, o->s, n < o->n ? n : o->n);
		if (!c)
			c = n < o->n ? -1 : n > o->n;
		return op == OP_LT ? c < 0 :
		       op == OP_LE ? c <= 0 :
		       op == OP_GT ? c > 0 :
				     c >= 0;
	}
}

/*
 * v against a number: as u64s where v is unsigned (a u64 field, fd.ino)
 * or the number is past INT64_MAX, a negative number being below every
 * unsigned value and every signed one below a number past INT64_MAX.
 */
static bool int_cmp_op(int op, const struct kcap_val *v,
		       const struct operand *o)
{
	int c;

	if (v->uns && !o->big && o->i < 0)
		c = 1;
	else if (!v->uns && o->big)
		c = -1;
	else if (v->uns || o->big)
		c = (uint64_t)v->i < (uint64_t)o->i ?
			    -1 :
			    (uint64_t)v->i > (uint64_t)o->i;
	else
		c = v->i < o->i ? -1 : v->i > o->i;
	switch (op) {
	case OP_EQ:
	case OP_IN:
		return c == 0;
	case OP_NE:
		return c != 0;
	case OP_LT:
		return c < 0;
	case OP_LE:
		return c <= 0;
	case OP_GT:
		return c > 0;
	default:
		return c >= 0;
	}
}

static bool cmp_one(struct kcap_filter *flt, const struct node *n,
		    const struct kcap_event_ctx *c, const struct kcap_val *v)
{
	unsigned int i;
	int op = n->op;

	for (i = 0; i < n->nvals; i++) {
		const struct operand *o = &n->vals[i];
		bool r;

		if (v->kind == KCAP_V_INT && o->has_int &&
		    (op <= OP_GE || op == OP_IN)) {
			r = int_cmp_op(op, v, o);
		} else if (v->kind == KCAP_V_INT) {
			/* a number against text: as the text output shows it */
			struct kcap_buf *b = &flt->scratch2;

			b->len = 0;
			if (n->f->id == F_ARG)
				kcap_field__print_text(
					b, n->f->bytype[c->ev->type], c->ev, 0);
			else if (v->uns)
				kcap_buf__printf(b, "%llu",
						 (unsigned long long)v->i);
			else
				kcap_buf__printf(b, "%lld", (long long)v->i);
			r = str_cmp_op(op, b->data ? b->data : "", b->len, o);
		} else {
			r = str_cmp_op(op, v->s, v->n, o);
		}
		if (op == OP_NE) {
			if (!r)
				return false;
		} else if (r) {
			return true;
		}
	}
	return op == OP_NE;
}

static bool eval(struct kcap_filter *flt, const struct node *n,
		 const struct kcap_event_ctx *c)
{
	switch (n->kind) {
	case N_AND:
		return eval(flt, n->a, c) && eval(flt, n->b, c);
	case N_OR:
		return eval(flt, n->a, c) || eval(flt, n->b, c);
	case N_NOT:
		return !eval(flt, n->a, c);
	case N_NAME_EQ: {
		/*
		 * proc.name = / != one word: comm is zero-padded, and so is
		 * the operand (in typeset's words), so four loads decide
		 */
		const uint64_t *w = n->typeset;
		uint64_t a[4];

		if (!c->proc)
			return false;
		memcpy(a, c->proc->comm, sizeof(a));
		return !((a[0] ^ w[0]) | (a[1] ^ w[1]) | (a[2] ^ w[2]) |
			 (a[3] ^ w[3])) != n->negate;
	}
	case N_TYPESET: {
		unsigned int t = c->ev->type;
		bool in = t < n->limit && (n->typeset[t / 64] >> (t % 64)) & 1;

		return in != n->negate;
	}
	default: {
		struct kcap_val v;
		unsigned int k;

		for (k = 0; kcap_field__get(n->f, c, k, &v, &flt->scratch);
		     k++) {
			if (n->op == OP_EXISTS)
				return true;
			if (n->op == OP_NE) {
				/* != on a field with several values: none equal */
				if (!cmp_one(flt, n, c, &v))
					return false;
				continue;
			}
			if (cmp_one(flt, n, c, &v))
				return true;
		}
		return n->op == OP_NE && k > 0;
	}
	}
}

bool kcap_filter__match(struct kcap_filter *f, const struct kcap_event_ctx *c)
{
	return eval(f, f->root, c);
}

/* Fields that never look at c->fd nor c->fdnum (the engine resolves those
 * only when something asks). */
static bool field_needs_fd(const struct kcap_field *f)
{
	switch (f->id) {
	case F_EVT_NUM:
	case F_EVT_TIME:
	case F_EVT_TYPE:
	case F_EVT_CLASS:
	case F_EVT_RES:
	case F_EVT_FAILED:
	case F_EVT_SRC:
	case F_TID:
	case F_PROC_PID:
	case F_PROC_PPID:
	case F_PROC_NAME:
	case F_PROC_EXE:
	case F_PROC_ARGV:
	case F_PROC_ARGS:
	case F_PROC_CWD:
	case F_PROC_UID:
	case F_PROC_PNAME:
	case F_PROC_ANAME:
	case F_PROC_APID:
		return false;
	default:
		return true;
	}
}

static bool node_needs_fd(const struct node *n)
{
	switch (n->kind) {
	case N_AND:
	case N_OR:
		return node_needs_fd(n->a) || node_needs_fd(n->b);
	case N_NOT:
		return node_needs_fd(n->a);
	case N_TYPESET:
	case N_NAME_EQ:
		return false;
	default:
		return !n->f || field_needs_fd(n->f);
	}
}

void kcap_filter__fast(const struct kcap_filter *f, struct kcap_filter_fast *ff)
{
	const struct node *n = f->root;

	memset(ff, 0, sizeof(*ff));
	ff->needs_fd = node_needs_fd(n);
	ff->kind = KCAP_FF_CALL;
	if (n->kind == N_NAME_EQ) {
		ff->kind = KCAP_FF_NAME;
		memcpy(ff->words, n->typeset, sizeof(ff->words));
	} else if (n->kind == N_TYPESET) {
		ff->kind = KCAP_FF_TYPES;
		ff->types = n->typeset;
		ff->limit = n->limit;
	}
	ff->negate = n->negate;
}

/* ---- names ----------------------------------------------------------------------- */

const char *kcap_fd_kind_name(unsigned int kind)
{
	static const char *const names[] = {
		[KCAP_FD_UNKNOWN] = "unknown",
		[KCAP_FD_FILE] = "file",
		[KCAP_FD_DIR] = "directory",
		[KCAP_FD_PIPE] = "pipe",
		[KCAP_FD_SOCK_INET] = "ipv4",
		[KCAP_FD_SOCK_INET6] = "ipv6",
		[KCAP_FD_SOCK_UNIX] = "unix",
		[KCAP_FD_SOCK_NETLINK] = "netlink",
		[KCAP_FD_SOCK_OTHER] = "socket",
		[KCAP_FD_EVENTFD] = "eventfd",
		[KCAP_FD_SIGNALFD] = "signalfd",
		[KCAP_FD_TIMERFD] = "timerfd",
		[KCAP_FD_EPOLL] = "eventpoll",
		[KCAP_FD_INOTIFY] = "inotify",
		[KCAP_FD_MEMFD] = "memfd",
		[KCAP_FD_PIDFD] = "pidfd",
		[KCAP_FD_BPF] = "bpf",
		[KCAP_FD_IOURING] = "io_uring",
		[KCAP_FD_USERFAULTFD] = "userfaultfd",
		[KCAP_FD_CHAR] = "char",
		[KCAP_FD_BLOCK] = "block",
		[KCAP_FD_ANON] = "anon",
	};

	return kind < sizeof(names) / sizeof(names[0]) && names[kind] ?
		       names[kind] :
		       "unknown";
}

const char *kcap_class_name(unsigned int cls)
{
	static const char *const names[] = { "meta",	"file", "net",
					     "process", "ipc",	"memory",
					     "signal",	"time", "system",
					     "other" };

	return cls < sizeof(names) / sizeof(names[0]) ? names[cls] : "other";
}
