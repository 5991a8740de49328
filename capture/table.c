// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The fill table: the schema's field sources (events.def) turned into the
 * operations the BPF interpreter runs at sys_exit. Generating it here, at
 * start-up, keeps one list as the only place an event is described.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture.h"
#include "names.h"

static const struct {
	const char *name;
	uint8_t tf;
} task_fields[] = {
	{ "tgid", KCAP_TF_TGID },
	{ "ppid", KCAP_TF_PPID },
	{ "vpid", KCAP_TF_VPID },
	{ "vtid", KCAP_TF_VTID },
	{ "uid", KCAP_TF_UID },
	{ "gid", KCAP_TF_GID },
	{ "euid", KCAP_TF_EUID },
	{ "egid", KCAP_TF_EGID },
	{ "cgroup_id", KCAP_TF_CGROUP_ID },
	{ "pidns", KCAP_TF_PIDNS },
	{ "pgid", KCAP_TF_PGID },
	{ "sid", KCAP_TF_SID },
	{ "vpgid", KCAP_TF_VPGID },
	{ "loginuid", KCAP_TF_LOGINUID },
	{ "vm_size", KCAP_TF_VM_SIZE },
	{ "vm_rss", KCAP_TF_VM_RSS },
	{ "vm_swap", KCAP_TF_VM_SWAP },
	{ "fdlimit", KCAP_TF_FDLIMIT },
	{ "pgft_maj", KCAP_TF_PGFT_MAJ },
	{ "pgft_min", KCAP_TF_PGFT_MIN },
	{ "cap_inheritable", KCAP_TF_CAP_INH },
	{ "cap_permitted", KCAP_TF_CAP_PRM },
	{ "cap_effective", KCAP_TF_CAP_EFF },
	{ "exe_ino", KCAP_TF_EXE_INO },
	{ "child_tid", KCAP_TF_CHILD_TID },
	{ "child_pid", KCAP_TF_CHILD_PID },
	{ "tty", KCAP_TF_TTY },
	{ "exe_ino_ctime", KCAP_TF_EXE_CTIME },
	{ "exe_ino_mtime", KCAP_TF_EXE_MTIME },
	{ "pidns_init_start_ts", KCAP_TF_PIDNS_INIT_TS },
	{ "exe_flags", KCAP_TF_EXE_FLAGS },
	{ "comm", KCAP_TF_COMM },
	{ "args", KCAP_TF_ARGS },
	{ "exe", KCAP_TF_EXE },
	{ "cwd", KCAP_TF_CWD },
	{ "cgroups", KCAP_TF_CGROUPS },
};

static uint8_t task_field(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(task_fields) / sizeof(task_fields[0]); i++)
		if (!strcmp(task_fields[i].name, name))
			return task_fields[i].tf;
	return 0;
}

/*
 * Syscalls whose exit takes what was stashed before it (see
 * kcap_record.bpf.c): by their sys_enter, or, for the ones that make a
 * task, by sched_process_fork; the exit uses the stash up.
 */
static bool stashes(int nr)
{
	switch (nr) {
	case 2: /* open */
	case 42: /* connect */
	case 45: /* recvfrom */
	case 47: /* recvmsg */
	case 56: /* clone */
	case 57: /* fork */
	case 58: /* vfork */
	case 59: /* execve */
	case 85: /* creat */
	case 257: /* openat */
	case 299: /* recvmmsg */
	case 322: /* execveat */
	case 435: /* clone3 */
	case 437: /* openat2 */
		return true;
	}
	return false;
}

static bool int_op(const struct kcap_op *op)
{
	return op->size &&
	       (op->kind == KCAP_SRCK_RET || op->kind == KCAP_OP_NR ||
		(op->kind == KCAP_SRCK_ARG && op->a <= 5));
}

/*
 * Put the plain integer ops first (the order of ops does not matter: each
 * writes its own field, and var bytes may sit in the tail in any order).
 */
static void sort_ops(struct kcap_sys *ent)
{
	struct kcap_op ints[KCAP_MAXOPS], rest[KCAP_MAXOPS];
	unsigned int i, ni = 0, nr = 0;

	for (i = 0; i < ent->nops; i++) {
		if (int_op(&ent->ops[i]) && ni < KCAP_SIMPLE_OPS)
			ints[ni++] = ent->ops[i];
		else
			rest[nr++] = ent->ops[i];
	}
	memcpy(ent->ops, ints, ni * sizeof(ints[0]));
	memcpy(ent->ops + ni, rest, nr * sizeof(rest[0]));
	ent->nints = ni;
}

/* See KCAP_SYS_SIMPLE. */
static bool simple(const struct kcap_sys *ent)
{
	unsigned int i;

	if (ent->nops > KCAP_SIMPLE_OPS || ent->size > KCAP_SIMPLE_MAX ||
	    ent->size % 8)
		return false;
	for (i = 0; i < ent->nops; i++) {
		const struct kcap_op *op = &ent->ops[i];

		if (!op->size ||
		    (op->kind != KCAP_SRCK_RET && op->kind != KCAP_SRCK_ARG &&
		     op->kind != KCAP_OP_NR))
			return false;
		if (op->kind == KCAP_SRCK_ARG && op->a > 5)
			return false;
	}
	return true;
}

/* See KCAP_SYS_BUF: run after sort_ops(), which puts the integers first. */
static bool simple_buf(const struct kcap_sys *ent)
{
	const struct kcap_op *op = &ent->ops[ent->nints];

	if (ent->size > KCAP_SIMPLE_MAX || ent->size % 8 ||
	    ent->nints > KCAP_SIMPLE_OPS || ent->nops != ent->nints + 1)
		return false;
	if (op->kind == KCAP_SRCK_UBUF)
		return op->a <= 5 && op->b <= 5;
	return op->kind == KCAP_SRCK_UBUF_RET && op->a <= 5;
}

/*
 * See KCAP_SYS_PATH: run after sort_ops(). After the integers, only the
 * stashed string and the device and inode of the new fd, each at most
 * once.
 */
static bool simple_path(const struct kcap_sys *ent)
{
	unsigned int i, nstr = 0, ndev = 0, nino = 0;

	if (ent->size > KCAP_SIMPLE_MAX || ent->size % 8 ||
	    ent->nints > KCAP_SIMPLE_OPS ||
	    ent->nops > ent->nints + KCAP_PATH_OPS)
		return false;
	for (i = ent->nints; i < ent->nops; i++) {
		const struct kcap_op *op = &ent->ops[i];

		if (op->kind == KCAP_SRCK_USTR && !op->size && op->a <= 5)
			nstr++;
		else if (op->kind == KCAP_SRCK_FD_DEV && op->a == KCAP_RETV &&
			 (op->size == 4 || op->size == 8))
			ndev++;
		else if (op->kind == KCAP_SRCK_FD_INO && op->a == KCAP_RETV &&
			 (op->size == 4 || op->size == 8))
			nino++;
		else
			return false;
	}
	return nstr == 1 && ndev <= 1 && nino <= 1;
}

static int fill_entry(struct kcap_sys *ent, const struct kcap_schema *s,
		      const struct kcap_event_desc *ev)
{
	unsigned int i;
	uint16_t n = 0;

	memset(ent, 0, sizeof(*ent));
	if (ev->size > sizeof(ent->tmpl))
		return -E2BIG;
	ent->evid = ev->id;
	ent->size = ev->size;
	kcap_record__init(s, ent->tmpl, ev->id);
	for (i = 0; i < ev->nfields; i++) {
		const struct kcap_field_desc *f = &ev->fields[i];
		struct kcap_op op = {
			.off = f->offset,
			.size = f->type == KCAP_T_var ? 0 : f->size,
			.kind = KCAP_SRC_KIND(f->src),
			.a = KCAP_SRC_A(f->src),
			.b = KCAP_SRC_B(f->src),
			.is_signed = f->type >= KCAP_T_s8 &&
				     f->type <= KCAP_T_s64,
		};

		/*
		 * The size argument follows the buffer in every syscall
		 * with such a field (read, recvfrom, getcwd...): the data
		 * kept is capped by it too, since recv* with MSG_TRUNC
		 * return more than the buffer held.
		 */
		if (op.kind == KCAP_SRCK_UBUF_RET) {
			op.b = op.a + 1;
			if (f->fmt == KCAP_FMT_PATH)
				op.kind = KCAP_OP_STR_RET;
		}
		if (op.kind == KCAP_SRCK_DUR) {
			/*
			 * Not an op: the exit program writes it after the
			 * others, and only under -T (it stays unknown).
			 */
			ent->dur_off = f->offset;
			continue;
		}
		if (op.kind == KCAP_SRCK_NONE) {
			/* The generic event's syscall number. */
			if (ev->id != KCAP_EV_syscall || strcmp(f->name, "nr"))
				continue;
			op.kind = KCAP_OP_NR;
		} else if (op.kind == KCAP_SRCK_TASK) {
			op.task = task_field(f->name);
			if (!op.task)
				continue; /* not read by this recorder: unknown */
			op.kind = KCAP_OP_TASK;
		}
		if (n >= KCAP_MAXOPS)
			return -E2BIG;
		ent->ops[n++] = op;
	}
	ent->nops = n;
	sort_ops(ent);
	return 0;
}

static const struct {
	const char *name;
	int cls;
} classes[] = {
	{ "file", KCAP_CLASS_FILE },	 { "net", KCAP_CLASS_NET },
	{ "network", KCAP_CLASS_NET },	 { "process", KCAP_CLASS_PROC },
	{ "proc", KCAP_CLASS_PROC },	 { "ipc", KCAP_CLASS_IPC },
	{ "memory", KCAP_CLASS_MEM },	 { "mem", KCAP_CLASS_MEM },
	{ "signal", KCAP_CLASS_SIGNAL }, { "time", KCAP_CLASS_TIME },
	{ "sys", KCAP_CLASS_SYS },	 { "other", KCAP_CLASS_OTHER },
};

/*
 * The class -e %CLASS selects nr by: its own event's (events.def), else,
 * for the generic event, the syscall's own (names.c), so that %time has
 * clock_gettime as %file has statx. Numbers past the table are %other.
 */
static int class_of(const struct kcap_sys *tab, const struct kcap_schema *s,
		    int nr)
{
	const struct kcap_event_desc *ev = kcap_schema__event(s, tab[nr].evid);

	if (tab[nr].evid == KCAP_EV_syscall || !ev)
		return nr == KCAP_NR_OTHER ? KCAP_CLASS_OTHER :
					     kcap_syscall_class(nr);
	return ev->cls;
}

/*
 * Events a reader's fd and process tables follow (KCAP_EF_KEEPS_STATE):
 * recorded whatever -e says, as Falco keeps its state syscalls, since
 * kcap read names every later fd and process by them.
 */
static bool keeps_state(const struct kcap_sys *ent, const struct kcap_schema *s)
{
	const struct kcap_event_desc *ev = kcap_schema__event(s, ent->evid);

	return ev && (ev->flags & KCAP_EF_KEEPS_STATE);
}

/*
 * Syscalls no event can ever record: -e naming them selects nothing, so
 * the user is told what records their effect instead.
 */
static const struct {
	const char *name;
	const char *why;
} unrecordable[] = {
	{ "rt_sigreturn",
	  "the kernel leaves no syscall number at its exit; the signal it "
	  "returns from is the signaldeliver record, always recorded" },
	{ "exit",
	  "it never returns; the thread's end is its procexit record, always "
	  "recorded" },
	{ "exit_group",
	  "it never returns; the process's end is its threads' procexit "
	  "records, always recorded" },
};

static void warn_unrecordable(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(unrecordable) / sizeof(unrecordable[0]); i++)
		if (!strcmp(unrecordable[i].name, name))
			fprintf(stderr,
				"kcap record: warning: -e %s selects nothing: "
				"%s\n",
				name, unrecordable[i].why);
}

/* What the -e list says of each table entry (sel[] bits). */
#define SEL_IN 0x1 /* named, or in a class named */
#define SEL_OUT 0x2 /* excluded, by !name or !%class */
#define SEL_OUT_NAME 0x4 /* excluded by its own name */

/*
 * The selection is the union of what the list names (everything when it
 * names only exclusions), less every exclusion, wherever it stands in the
 * list: as in strace, a `!name` excludes it, so `!close,%file` leaves
 * close out. The state events are then put back unless excluded by name.
 */
/* -e's list, select, read twice through buf, its room for strtok_r() */
static int select_in(struct kcap_sys *tab, const struct kcap_schema *s,
		     const char *select, char *buf, char *err, size_t errlen)
{
	unsigned char sel[KCAP_NR_MAX] = { 0 };
	bool any_positive = false;
	char *tok, *save = NULL;
	int nr;

	for (tok = strtok_r(buf, ", ", &save); tok;
	     tok = strtok_r(NULL, ", ", &save)) {
		bool on = *tok != '!';
		const char *name = on ? tok : tok + 1;
		size_t i;

		if (on)
			any_positive = true;
		if (*name == '%') {
			for (i = 0; i < sizeof(classes) / sizeof(classes[0]);
			     i++)
				if (!strcmp(classes[i].name, name + 1))
					break;
			if (i == sizeof(classes) / sizeof(classes[0])) {
				snprintf(
					err, errlen,
					"-e: unknown class '%s' (known: %%file "
					"%%net %%process %%ipc %%memory "
					"%%signal %%time %%sys %%other)",
					name);
				return -EINVAL;
			}
			for (nr = 0; nr < KCAP_NR_MAX; nr++)
				if (class_of(tab, s, nr) == classes[i].cls)
					sel[nr] |= on ? SEL_IN : SEL_OUT;
			continue;
		}
		nr = kcap_syscall_nr(name);
		if (nr < 0 || nr >= KCAP_NR_MAX) {
			snprintf(err, errlen,
				 "-e: '%s' is not an x86_64 syscall", name);
			return -EINVAL;
		}
		sel[nr] |= on ? SEL_IN : SEL_OUT | SEL_OUT_NAME;
	}
	for (nr = 0; nr < KCAP_NR_MAX; nr++) {
		bool in = (!any_positive || (sel[nr] & SEL_IN)) &&
			  !(sel[nr] & SEL_OUT);

		if (keeps_state(&tab[nr], s) && !(sel[nr] & SEL_OUT_NAME))
			in = true;
		if (in)
			tab[nr].flags |= KCAP_SYS_ENABLED;
		else
			tab[nr].flags &= ~KCAP_SYS_ENABLED;
	}
	/* Once the list is known good: a bad name says only that. */
	strcpy(buf, select);
	for (tok = strtok_r(buf, ", ", &save); tok;
	     tok = strtok_r(NULL, ", ", &save)) {
		if (*tok != '!') {
			warn_unrecordable(tok);
			continue;
		}
		nr = kcap_syscall_nr(tok + 1);
		if (nr >= 0 && keeps_state(&tab[nr], s))
			fprintf(stderr,
				"kcap record: warning: -e %s: kcap read keeps "
				"its fd and process tables right by %s "
				"events; fds and processes may be named "
				"wrongly after one left out\n",
				tok, tok + 1);
	}
	return 0;
}

/* of any length: a fixed 4 KiB copy refused longer lists */
static int apply_select(struct kcap_sys *tab, const struct kcap_schema *s,
			const char *select, char *err, size_t errlen)
{
	char *buf = strdup(select);
	int ret;

	if (!buf)
		return -ENOMEM;
	ret = select_in(tab, s, select, buf, err, errlen);
	free(buf);
	return ret;
}

int kcap_table_build(struct kcap_sys *tab, const struct kcap_schema *s,
		     const char *select, char *err, size_t errlen)
{
	const struct kcap_event_desc *generic =
		kcap_schema__event(s, KCAP_EV_syscall);
	unsigned int id;
	int nr, e;

	if (!generic)
		return -ENOENT;
	/* KCAP_NR_OTHER must stay free for numbers past the table */
	if (kcap_syscall_max() > KCAP_NR_OTHER) {
		snprintf(err, errlen, "syscall numbers reach the table's end");
		return -E2BIG;
	}
	for (nr = 0; nr < KCAP_NR_MAX; nr++) {
		e = fill_entry(&tab[nr], s, generic);
		if (e)
			return e;
	}
	for (id = 32; id < kcap_schema__id_limit(s); id++) {
		const struct kcap_event_desc *ev = kcap_schema__event(s, id);

		if (!ev || !(ev->flags & KCAP_EF_SYSCALL))
			continue;
		/* Events of 32-bit or legacy-only syscalls have no number. */
		nr = kcap_syscall_nr(ev->name);
		if (nr < 0 || nr >= KCAP_NR_MAX)
			continue;
		e = fill_entry(&tab[nr], s, ev);
		if (e) {
			snprintf(err, errlen, "event %s does not fit the table",
				 ev->name);
			return e;
		}
	}
	for (nr = 0; nr < KCAP_NR_MAX; nr++) {
		const struct kcap_event_desc *ev =
			kcap_schema__event(s, tab[nr].evid);

		tab[nr].flags = KCAP_SYS_ENABLED;
		if (stashes(nr))
			tab[nr].flags |= KCAP_SYS_STASH;
		if (ev && (ev->flags & KCAP_EF_IO))
			tab[nr].flags |= KCAP_SYS_IO;
		if (simple(&tab[nr]))
			tab[nr].flags |= KCAP_SYS_SIMPLE;
		else if (!stashes(nr) && simple_buf(&tab[nr]))
			tab[nr].flags |= KCAP_SYS_BUF;
		else if (stashes(nr) && simple_path(&tab[nr]))
			tab[nr].flags |= KCAP_SYS_PATH;
	}
	if (select && *select)
		return apply_select(tab, s, select, err, errlen);
	return 0;
}
