// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * kcap record, for real: record the workload (workload.c) and read the file
 * back with libkcap. Needs root and a kernel with BTF; elsewhere every test
 * is skipped (exit 77) with the reason.
 */
#define _GNU_SOURCE
#include <check.h>
#include <poll.h>
#include <pthread.h>
#include <pty.h>
#include <sched.h>
#include <sys/syscall.h>
#include <dirent.h>
#include <elf.h>
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "kcap/kcap.h"
#include "workload.h"

struct recs {
	const struct kcap_hdr **v;
	int *block; /* block type of each record */
	size_t n;
	int end; /* enum kcap_end */
	uint32_t corrupt;
};

static char tmpdir[256];
/*
 * The workload, recorded with each entry probe (--entry-probe): [0] the
 * default, [1] sys_enter.
 */
static char full_paths[2][512];
static int full_status[2] = { -1, -1 };
static char full_json[512];
static int tracefs_mounts_before, tracefs_mounts_after;
static pid_t full_recorder_parent; /* the process that ran record_full() */
static struct recs full;

static const struct kcap_schema *S(void)
{
	return kcap_schema__builtin();
}

/* Run kcap with args (NULL-terminated); its exit status, or -1. */
static bool starve_recorder; /* for the overload test, see there */
/* where run_kcap() sends kcap's stderr; NULL: the test's */
static const char *kcap_stderr;
/* run by run_kcap()'s child just before kcap's exec; NULL: nothing */
static void (*kcap_prep)(void);

static int run_kcap(const char *const *args, pid_t *pidp, bool wait_it)
{
	const char *argv[64];
	pid_t pid;
	int i = 0, st;

	argv[i++] = KCAP_BIN;
	while (*args && i < 62)
		argv[i++] = *args++;
	argv[i] = NULL;
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		if (starve_recorder) {
			cpu_set_t one;

			/* Share one CPU with the load, at the lowest weight. */
			CPU_ZERO(&one);
			CPU_SET(0, &one);
			sched_setaffinity(0, sizeof(one), &one);
			if (setpriority(PRIO_PROCESS, 0, 19))
				_exit(125);
		}
		if (kcap_stderr) {
			int fd = open(kcap_stderr, O_WRONLY | O_CREAT | O_TRUNC,
				      0600);

			if (fd < 0 || dup2(fd, 2) != 2)
				_exit(125);
		}
		if (kcap_prep)
			kcap_prep();
		execv(KCAP_BIN, (char *const *)argv);
		_exit(126);
	}
	if (pidp)
		*pidp = pid;
	if (!wait_it)
		return 0;
	if (waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* A text file (--stats-json, kcap's stderr) at path, NUL-terminated, into buf. */
static void read_text(const char *path, char *buf, size_t cap)
{
	FILE *f = fopen(path, "r");
	size_t n;

	ck_assert_msg(f, "no %s", path);
	n = fread(buf, 1, cap - 1, f);
	fclose(f);
	buf[n] = 0;
}

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	ck_assert_msg(f, "cannot write %s", path);
	ck_assert_int_eq(fputs(text, f) >= 0, 1);
	ck_assert_int_eq(fclose(f), 0);
}

static void load(const char *path, struct recs *r)
{
	struct kcap_reader *rd = kcap_reader__open(path, NULL);
	struct kcap_read_status st;
	const struct kcap_hdr *h;
	size_t cap = 0;
	int err;

	memset(r, 0, sizeof(*r));
	ck_assert_msg(rd, "cannot open %s: %s", path, kcap_last_errmsg());
	while ((err = kcap_reader__next_record(rd, &h)) > 0) {
		/* The reader hands out records at least as long as structs. */
		struct kcap_hdr *c = malloc(h->len);

		ck_assert_ptr_nonnull(c);
		memcpy(c, h, h->len);
		if (r->n == cap) {
			cap = cap ? cap * 2 : 1024;
			r->v = realloc(r->v, cap * sizeof(*r->v));
			r->block = realloc(r->block, cap * sizeof(int));
			ck_assert(r->v && r->block);
		}
		r->v[r->n] = c;
		r->block[r->n++] = kcap_reader__block(rd)->type;
	}
	kcap_reader__status(rd, &st);
	r->end = st.end;
	r->corrupt = st.corrupt_blocks;
	kcap_reader__close(rd);
}

static void unload(struct recs *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		free((void *)r->v[i]);
	free(r->v);
	free(r->block);
	memset(r, 0, sizeof(*r));
}

static const char *name_of(const struct kcap_hdr *h)
{
	const struct kcap_event_desc *d = kcap_schema__event(S(), h->type);

	return d ? d->name : "?";
}

static int64_t I(const struct kcap_hdr *h, const char *field)
{
	const struct kcap_event_desc *d = kcap_schema__event(S(), h->type);
	const struct kcap_field_desc *f = d ? kcap_event_desc__field(d, field) :
					      NULL;
	int64_t v = 0;

	ck_assert_msg(f, "%s has no field %s", name_of(h), field);
	kcap_field__get_int(f, h, &v);
	return v;
}

/* Whether an integer field holds a value, not the unknown one. */
static bool known(const struct kcap_hdr *h, const char *field)
{
	const struct kcap_event_desc *d = kcap_schema__event(S(), h->type);
	const struct kcap_field_desc *f = d ? kcap_event_desc__field(d, field) :
					      NULL;
	int64_t v;

	ck_assert_msg(f, "%s has no field %s", name_of(h), field);
	return kcap_field__get_int(f, h, &v) == 1;
}

/* A var field's bytes; len -1 if absent. */
static const uint8_t *V(const struct kcap_hdr *h, const char *field,
			ssize_t *len)
{
	const struct kcap_event_desc *d = kcap_schema__event(S(), h->type);
	const struct kcap_field_desc *f = d ? kcap_event_desc__field(d, field) :
					      NULL;
	const uint8_t *p = NULL;
	size_t n = 0;

	ck_assert_msg(f, "%s has no field %s", name_of(h), field);
	if (kcap_field__get_var(f, h, &p, &n) != 1) {
		*len = -1;
		return NULL;
	}
	*len = n;
	return p;
}

static bool var_is(const struct kcap_hdr *h, const char *field, const void *s,
		   size_t n)
{
	ssize_t l;
	const uint8_t *p = V(h, field, &l);

	return p && (size_t)l == n && !memcmp(p, s, n);
}

static bool str_is(const struct kcap_hdr *h, const char *field, const char *s)
{
	return var_is(h, field, s, strlen(s));
}

static bool is_event(const struct recs *r, size_t i)
{
	return r->block[i] == KCAP_BLOCK_EVENTS;
}

/*
 * The next event named name of thread tid at or after *cur, for which
 * ok() holds (NULL: any); advances *cur past it, so that successive calls
 * check order within the thread.
 */
typedef bool (*pred_fn)(const struct kcap_hdr *h, const void *arg);

static const struct kcap_hdr *next_ev(const struct recs *r, size_t *cur,
				      int tid, const char *name, pred_fn ok,
				      const void *arg)
{
	size_t i;

	for (i = *cur; i < r->n; i++) {
		const struct kcap_hdr *h = r->v[i];

		if (!is_event(r, i) || (tid && (int)h->tid != tid) ||
		    strcmp(name_of(h), name))
			continue;
		if (ok && !ok(h, arg))
			continue;
		*cur = i + 1;
		return h;
	}
	ck_abort_msg("no %s event of thread %d after record %zu", name, tid,
		     *cur);
	return NULL;
}

static bool path_ends(const struct kcap_hdr *h, const void *arg)
{
	const char *field = ((const char *const *)arg)[0];
	const char *suffix = ((const char *const *)arg)[1];
	size_t sl = strlen(suffix);
	ssize_t l;
	const uint8_t *p = V(h, field, &l);

	return p && l >= (ssize_t)sl && !memcmp(p + l - sl, suffix, sl);
}

/* The workload's main thread: the thread whose execve ran it. */
static int workload_tid(const struct recs *r)
{
	const char *arg[2] = { "filename", "/kcap-workload" };
	size_t cur = 0;
	const struct kcap_hdr *h =
		next_ev(r, &cur, 0, "execve", path_ends, arg);

	ck_assert_int_eq(I(h, "res"), 0);
	return h->tid;
}

static void wl_path(char *buf, size_t cap, const char *leaf)
{
	if (leaf)
		snprintf(buf, cap, "%s/" WL_DIR "/%s", tmpdir, leaf);
	else
		snprintf(buf, cap, "%s/" WL_DIR, tmpdir);
}

/* tracefs mounts this process sees */
static int tracefs_mounts(void)
{
	FILE *f = fopen("/proc/self/mountinfo", "r");
	char line[1024];
	int n = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		n += !!strstr(line, " - tracefs ");
	fclose(f);
	return n;
}

static void record_full(void)
{
	const char *args0[] = { "record",	"-q",	   "-w", full_paths[0],
				"--stats-json", full_json, "--", WORKLOAD_BIN,
				"full",		tmpdir,	   NULL };
	const char *args1[] = {
		"record",	 "-q",	      "-w", full_paths[1],
		"--entry-probe", "sys_enter", "--", WORKLOAD_BIN,
		"full",		 tmpdir,      NULL
	};

	full_recorder_parent = getpid();
	snprintf(full_paths[0], sizeof(full_paths[0]), "%s/full.kcap", tmpdir);
	snprintf(full_paths[1], sizeof(full_paths[1]), "%s/full-sys_enter.kcap",
		 tmpdir);
	snprintf(full_json, sizeof(full_json), "%s/full.json", tmpdir);
	tracefs_mounts_before = tracefs_mounts();
	full_status[0] = run_kcap(args0, NULL, true);
	tracefs_mounts_after = tracefs_mounts();
	full_status[1] = run_kcap(args1, NULL, true);
}

/* Each test runs in its own process (check's fork mode): load lazily. */
static void load_variant(int i)
{
	if (!full.n)
		load(full_paths[i], &full);
}

static void load_full(void)
{
	load_variant(0);
}

START_TEST(test_recording_a_command_exits_with_the_commands_status)
{
	load_variant(_i);
	ck_assert_int_eq(full_status[_i], WL_EXIT);
	ck_assert_int_eq(full.end, KCAP_END_COMPLETE);
	ck_assert_int_eq(full.corrupt, 0);
}
END_TEST

START_TEST(
	test_by_default_entry_reads_use_syscall_tracepoints_and_leave_no_mount)
{
	char buf[2048];

	read_text(full_json, buf, sizeof(buf));
	/*
	 * tracefs is not mounted on a fresh machine: kcap mounted it in a
	 * namespace of its own, read the ids, and the mount went with it.
	 */
	ck_assert_msg(strstr(buf, "\"entry_probe\": \"syscalls\""),
		      "the default entry probe was not syscalls: %s", buf);
	/* and kcap's own CPU, for CI's records */
	ck_assert_msg(strstr(buf, "\"cpu_seconds\": "), "no cpu_seconds: %s",
		      buf);
	ck_assert_msg(strstr(buf, "\"setup_cpu_seconds\": "),
		      "no setup_cpu_seconds: %s", buf);
	ck_assert_int_ge(tracefs_mounts_before, 0);
	ck_assert_int_eq(tracefs_mounts_after, tracefs_mounts_before);
}
END_TEST

/* A struct timespec as ns. */
static uint64_t ts_ns(struct timespec t)
{
	return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}

/*
 * Field n (1-based) of /proc/PID/stat as a number: those after the comm,
 * which may hold spaces or ')'.
 */
static unsigned long long stat_field(const char *pid, int n)
{
	long long v = wl_stat_field(pid, n);

	ck_assert_msg(v >= 0, "no field %d in /proc/%s/stat", n, pid);
	return v;
}

/* Our controlling tty as kcap stores it (the kernel's dev_t), 0: none. */
static uint32_t my_tty(void)
{
	unsigned int nr = (unsigned int)stat_field("self", 7);

	return major(nr) << 20 | minor(nr);
}

START_TEST(test_the_file_starts_with_machine_and_snapshot_blocks)
{
	size_t i;
	bool snap_init = false, snap_self = false;
	int64_t init_start = 0, init_ns = 0, self_ns = 0, self_init = 0;
	struct stat st;

	load_full();
	ck_assert_uint_gt(full.n, 2);
	ck_assert_int_eq(full.block[0], KCAP_BLOCK_MACHINE);
	ck_assert_str_eq(name_of(full.v[0]), "machine");
	ck_assert_int_eq(full.block[1], KCAP_BLOCK_SNAPSHOT);
	ck_assert_int_eq(stat("/proc/self/exe", &st), 0);
	for (i = 1; i < full.n && full.block[i] == KCAP_BLOCK_SNAPSHOT; i++) {
		const struct kcap_hdr *h = full.v[i];

		if (h->type != KCAP_EV_snap_proc)
			continue;
		if (h->tid == 1 && I(h, "tgid") == 1) {
			snap_init = true;
			/* our namespace's init: it started it */
			init_start = I(h, "start_ts");
			init_ns = I(h, "pidns");
			ck_assert_int_eq(I(h, "pidns_init_start_ts"),
					 init_start);
		}
		if (h->tid == (uint32_t)full_recorder_parent) {
			/* the test process that ran kcap: this executable */
			ck_assert_uint_eq(I(h, "exe_ino"), st.st_ino);
			ck_assert_uint_eq(I(h, "exe_ino_ctime"),
					  ts_ns(st.st_ctim));
			ck_assert_uint_eq(I(h, "exe_ino_mtime"),
					  ts_ns(st.st_mtim));
			ck_assert_uint_eq(I(h, "tty"), my_tty());
			self_ns = I(h, "pidns");
			self_init = I(h, "pidns_init_start_ts");
			snap_self = true;
		}
	}
	ck_assert_msg(snap_init, "the snapshot has no snap_proc for pid 1");
	ck_assert_msg(snap_self, "the snapshot has no snap_proc for the test");
	if (self_ns == init_ns)
		ck_assert_int_eq(self_init, init_start);
}
END_TEST

/*
 * The snapshot lists every fd of every process, read from /proc relative
 * to the fd and fdinfo directories: a file this test holds open, with its
 * path, inode, device and open flags, and both ends of a pipe.
 */
START_TEST(test_the_snapshot_lists_each_fd_with_its_path_inode_and_flags)
{
	char path[512], file[512], pname[64];
	const char *args[] = { "record", "-q", "-w", path, "--", "true", NULL };
	bool seen_file = false, seen_pipe = false;
	struct stat st, pst;
	struct recs r;
	int fd, p[2];
	size_t i;

	snprintf(file, sizeof(file), "%s/snapfd.txt", tmpdir);
	fd = open(file, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(fstat(fd, &st), 0);
	ck_assert_int_eq(pipe2(p, O_NONBLOCK | O_CLOEXEC), 0);
	ck_assert_int_eq(fstat(p[0], &pst), 0);
	snprintf(pname, sizeof(pname), "pipe:[%llu]",
		 (unsigned long long)pst.st_ino);
	snprintf(path, sizeof(path), "%s/snapfd.kcap", tmpdir);
	ck_assert_int_eq(run_kcap(args, NULL, true), 0);
	load(path, &r);
	for (i = 0; i < r.n; i++) {
		const struct kcap_hdr *h = r.v[i];

		if (r.block[i] != KCAP_BLOCK_SNAPSHOT ||
		    h->type != KCAP_EV_snap_fd || I(h, "tgid") != getpid())
			continue;
		if (I(h, "fd") == fd) {
			seen_file = true;
			ck_assert_int_eq(I(h, "kind"), KCAP_FD_FILE);
			ck_assert_msg(str_is(h, "path", file), "path of fd %d",
				      fd);
			ck_assert_uint_eq(I(h, "ino"), st.st_ino);
			ck_assert_uint_eq(I(h, "dev"),
					  major(st.st_dev) << 20 |
						  minor(st.st_dev));
			ck_assert_int_eq(I(h, "flags") & (O_ACCMODE | O_APPEND |
							  O_CLOEXEC),
					 O_WRONLY | O_APPEND | O_CLOEXEC);
		} else if (I(h, "fd") == p[0] || I(h, "fd") == p[1]) {
			seen_pipe = true;
			ck_assert_int_eq(I(h, "kind"), KCAP_FD_PIPE);
			ck_assert_msg(str_is(h, "path", pname), "pipe name");
			ck_assert_uint_eq(I(h, "ino"), pst.st_ino);
			ck_assert(I(h, "flags") & O_NONBLOCK);
		}
	}
	unload(&r);
	ck_assert_msg(seen_file, "no snap_fd for fd %d", fd);
	ck_assert_msg(seen_pipe, "no snap_fd for the pipe");
	close(fd);
	close(p[0]);
	close(p[1]);
}
END_TEST

/* Whether a NUL-terminated entry is among a var field's entries. */
static bool has_entry(const uint8_t *list, ssize_t len, const char *entry)
{
	ssize_t i = 0;

	while (i < len) {
		const char *e = (const char *)list + i;
		size_t l = strnlen(e, len - i);

		if (!strcmp(e, entry))
			return true;
		i += l + 1;
	}
	return false;
}

/*
 * The workload's exec, traced in the kernel, is in the cgroups /proc gave
 * the snapshot for the test that started it (kcap and the workload stay
 * in them): every entry of the snapshot's is among the event's, and the
 * event's entries are "controller=/path".
 */
START_TEST(test_exec_events_carry_the_cgroups_the_snapshot_read_from_proc)
{
	const uint8_t *snap = NULL, *ev;
	const struct kcap_hdr *h, *self = NULL;
	ssize_t snap_len = -1, ev_len, i;
	size_t cur = 0;
	int tid;

	load_full();
	for (i = 1; i < (ssize_t)full.n && full.block[i] == KCAP_BLOCK_SNAPSHOT;
	     i++)
		if (full.v[i]->type == KCAP_EV_snap_proc &&
		    full.v[i]->tid == (uint32_t)full_recorder_parent)
			self = full.v[i];
	ck_assert_msg(self, "the snapshot has no snap_proc for the test");
	snap = V(self, "cgroups", &snap_len);
	ck_assert_msg(snap && snap_len > 0,
		      "the snapshot has no cgroups for the test");
	tid = workload_tid(&full);
	h = next_ev(&full, &cur, tid, "execve", NULL, NULL);
	ev = V(h, "cgroups", &ev_len);
	ck_assert_msg(ev && ev_len > 0, "the exec has no cgroups");
	ck_assert_msg(ev[ev_len - 1] == 0, "entries end with a NUL");
	for (i = 0; i < ev_len;) {
		const char *e = (const char *)ev + i, *eq = strchr(e, '=');

		ck_assert_msg(eq && eq > e && eq[1] == '/',
			      "entry \"%s\" is not controller=/path", e);
		i += strlen(e) + 1;
	}
	for (i = 0; i < snap_len;) {
		const char *e = (const char *)snap + i;

		ck_assert_msg(has_entry(ev, ev_len, e),
			      "the snapshot's \"%s\" is not in the exec's "
			      "cgroups",
			      e);
		i += strlen(e) + 1;
	}
	ck_assert_uint_eq(I(h, "cgroup_id"), I(self, "cgroup_id"));
}
END_TEST

/*
 * A process whose executable was deleted: its later events name it as
 * /proc/PID/exe does, with " (deleted)" after the path.
 */
START_TEST(test_a_deleted_executable_is_named_as_proc_names_it)
{
	char path[512], exe[512], cmd[600], want[600];
	const char *args[] = { "record", "-q", "-e", "%process", "-w", path,
			       "--",	 exe,  "-c", cmd,	 NULL };
	const char *arg[2] = { "exe", " (deleted)" };
	const struct kcap_hdr *h = NULL;
	struct recs r;
	size_t i;
	char buf[65536];
	ssize_t n;
	int in, out;

	snprintf(path, sizeof(path), "%s/deleted.kcap", tmpdir);
	snprintf(exe, sizeof(exe), "%s/sh-copy", tmpdir);
	in = open("/bin/sh", O_RDONLY);
	out = open(exe, O_CREAT | O_WRONLY | O_TRUNC, 0755);
	ck_assert_int_ge(in, 0);
	ck_assert_int_ge(out, 0);
	while ((n = read(in, buf, sizeof(buf))) > 0)
		ck_assert_int_eq(write(out, buf, n), n);
	close(in);
	close(out);
	/* the shell deletes itself, then forks to run /bin/true */
	snprintf(cmd, sizeof(cmd), "rm %s; /bin/true", exe);
	ck_assert_int_eq(run_kcap(args, NULL, true), 0);
	load(path, &r);
	/* shells fork with clone (bash) or vfork (dash) */
	for (i = 0; i < r.n && !h; i++)
		if (is_event(&r, i) &&
		    (r.v[i]->type == KCAP_EV_clone ||
		     r.v[i]->type == KCAP_EV_vfork) &&
		    path_ends(r.v[i], arg))
			h = r.v[i];
	ck_assert_msg(h, "no clone or vfork names a deleted exe");
	snprintf(want, sizeof(want), "%s (deleted)", exe);
	ck_assert_msg(str_is(h, "exe", want), "exe of a deleted program");
	unload(&r);
}
END_TEST

/*
 * --comm true: the workload's execveat into /bin/true enters as
 * kcap-workload and exits as true. It is recorded, as execveat (x86
 * reports it at exit under execve's number), with the arguments of its
 * entry.
 */
START_TEST(test_comm_filter_records_an_execveat_into_the_wanted_comm)
{
	char path[512];
	const char *args[] = { "record",     "-q",     "--comm",
			       "true",	     "-e",     "execve,execveat",
			       "-w",	     path,     "--",
			       WORKLOAD_BIN, "execat", NULL };
	const struct kcap_hdr *h;
	struct recs r;
	size_t cur = 0;

	snprintf(path, sizeof(path), "%s/execat.kcap", tmpdir);
	ck_assert_int_eq(run_kcap(args, NULL, true), 0);
	load(path, &r);
	h = next_ev(&r, &cur, 0, "execveat", NULL, NULL);
	ck_assert_int_eq(I(h, "res"), 0);
	ck_assert_int_eq(I(h, "dirfd"), AT_FDCWD);
	ck_assert_int_eq(I(h, "flags"), 0);
	ck_assert_msg(str_is(h, "filename", WL_EXEC_PATH), "filename");
	ck_assert_msg(str_is(h, "comm", "true"), "comm");
	unload(&r);
}
END_TEST

/*
 * A path BPF cannot read at entry (its page is not mapped in yet): a
 * successful open is named by the path of the file it opened (no "./"),
 * a failed one by the string passed, read at exit.
 */
START_TEST(test_an_open_path_not_paged_in_at_entry_is_still_recorded)
{
	char path[512], dir[512], made[600], want[PATH_MAX], missing[600];
	const char *args[] = { "record",   "-q", "-e", "openat",
			       "-w",	   path, "--", WORKLOAD_BIN,
			       "coldpath", dir,	 NULL };
	const char *arg[2] = { "name", "/" WL_COLD_FILE };
	const char *arg_missing[2] = { "name", "/" WL_COLD_MISSING };
	const struct kcap_hdr *h;
	struct recs r;
	size_t cur = 0;

	snprintf(dir, sizeof(dir), "%s/cold", tmpdir);
	ck_assert_int_eq(mkdir(dir, 0755), 0);
	snprintf(path, sizeof(path), "%s/cold.kcap", tmpdir);
	snprintf(missing, sizeof(missing), "%s/./" WL_COLD_MISSING, dir);
	ck_assert_int_eq(run_kcap(args, NULL, true), 0);
	snprintf(made, sizeof(made), "%s/" WL_COLD_FILE, dir);
	ck_assert_ptr_nonnull(realpath(made, want));
	load(path, &r);
	/* not the open that created it (O_CREAT), the cold one */
	do
		h = next_ev(&r, &cur, 0, "openat", path_ends, arg);
	while (I(h, "flags") != O_RDONLY);
	ck_assert_int_ge(I(h, "res"), 0);
	ck_assert_msg(str_is(h, "name", want), "the opened file's path");
	h = next_ev(&r, &cur, 0, "openat", path_ends, arg_missing);
	ck_assert_int_eq(I(h, "res"), -ENOENT);
	ck_assert_msg(str_is(h, "name", missing), "the missing file's path");
	unload(&r);
}
END_TEST

/* Whether a var field's value is marked cut (FORMAT.md, "Cut values"). */
static bool cut(const struct kcap_hdr *h, const char *field)
{
	const struct kcap_event_desc *d = kcap_schema__event(S(), h->type);
	const struct kcap_field_desc *f = d ? kcap_event_desc__field(d, field) :
					      NULL;

	ck_assert_msg(f, "%s has no field %s", name_of(h), field);
	return kcap_field__var_cut(f, h) == 1;
}

/* A var field's descriptor as stored, and its padding checked zero. */
static const struct kcap_var *var_desc(const struct kcap_hdr *h,
				       const char *field)
{
	const struct kcap_event_desc *d = kcap_schema__event(S(), h->type);
	const struct kcap_field_desc *f = d ? kcap_event_desc__field(d, field) :
					      NULL;
	const struct kcap_var *v;
	const uint8_t *p;
	size_t k;

	ck_assert_msg(f, "%s has no field %s", name_of(h), field);
	v = (const void *)((const uint8_t *)h + f->offset);
	p = (const uint8_t *)h + v->off + v->len;
	for (k = 0; v->off + v->len + k < h->len && (v->len + k) % 8; k++)
		ck_assert_msg(!p[k], "padding after %s is zero", field);
	return v;
}

static bool name_is(const struct kcap_hdr *h, const void *arg)
{
	return str_is(h, "name", arg);
}

/*
 * Names of every length up to 250 bytes are recorded whole, whether the
 * open succeeds or fails, and also from the last bytes of a page before
 * an unreadable one: the recorder reads short names a word at a time and
 * builds records with short paths in a fast path of their own.
 */
START_TEST(test_open_names_of_every_length_are_recorded_exactly)
{
	char path[512], dir[512];
	const char *args[] = { "record",   "-q", "-e", "openat",
			       "-w",	   path, "--", WORKLOAD_BIN,
			       "pathlens", dir,	 NULL };
	char name[WL_PATHLEN_MAX + 1];
	const struct kcap_hdr *h;
	struct recs r;
	size_t cur = 0;
	int n, k;

	snprintf(dir, sizeof(dir), "%s/lens", tmpdir);
	ck_assert_int_eq(mkdir(dir, 0755), 0);
	snprintf(path, sizeof(path), "%s/lens.kcap", tmpdir);
	ck_assert_int_eq(run_kcap(args, NULL, true), 0);
	load(path, &r);
	for (n = 1; n <= WL_PATHLEN_MAX; n++) {
		memset(name, 'x', n);
		name[n] = 0;
		for (k = 0; k < 2; k++) {
			if (k &&
			    (n < WL_PATHLEN_EDGE_LO || n > WL_PATHLEN_EDGE_HI))
				break;
			/* odd: created first (O_CREAT), then opened */
			do
				h = next_ev(&r, &cur, 0, "openat", name_is,
					    name);
			while (I(h, "flags") != O_RDONLY);
			if (n % 2)
				ck_assert_int_ge(I(h, "res"), 0);
			else
				ck_assert_int_eq(I(h, "res"), -ENOENT);
			/* whole: no marking NUL in the stored bytes */
			ck_assert_uint_eq(var_desc(h, "name")->len, n);
			ck_assert_msg(!cut(h, "name"), "length %d is whole", n);
		}
	}
	unload(&r);
}
END_TEST

static bool argv_starts(const struct kcap_hdr *h, const void *arg)
{
	ssize_t l;
	const uint8_t *p = V(h, "argv", &l);

	return p && l > 0 && !memcmp(p, arg, strlen(arg) + 1);
}

/*
 * What the recorder cuts, it marks: the longest open name it keeps whole
 * is not marked, a longer one is kept to that length and marked; an argv
 * longer than it keeps is marked, whether read from the new image (an
 * exec that succeeds) or from the caller (one that fails).
 */
START_TEST(test_names_and_argvs_longer_than_kept_are_marked_cut)
{
	static char store[WL_CUT_NARGS * (WL_CUT_ARGLEN + 1)];
	char path[512], name[WL_CUT_PATH_LONG + 1], *av[WL_CUT_NARGS + 1];
	const char *args[] = { "record", "-q", "-e", "openat,execve",
			       "-w",	 path, "--", WORKLOAD_BIN,
			       "cuts",	 NULL };
	const struct kcap_hdr *h;
	const uint8_t *p;
	char list[sizeof(store)];
	struct recs r;
	size_t cur = 0, total;
	ssize_t l;
	int i;

	snprintf(path, sizeof(path), "%s/cuts.kcap", tmpdir);
	ck_assert_int_eq(run_kcap(args, NULL, true), 0);
	load(path, &r);
	wl_long_name(name, WL_CUT_PATH_WHOLE);
	h = next_ev(&r, &cur, 0, "openat", name_is, name);
	ck_assert_msg(!cut(h, "name"), "a name kept whole is not marked");
	h = next_ev(&r, &cur, 0, "openat", NULL, NULL);
	wl_long_name(name, WL_CUT_PATH_LONG);
	p = V(h, "name", &l);
	ck_assert_int_eq(l, WL_CUT_PATH_WHOLE);
	ck_assert(!memcmp(p, name, WL_CUT_PATH_WHOLE));
	ck_assert_msg(cut(h, "name"), "a longer name is marked cut");

	wl_cut_argv(av, store);
	for (i = 0, total = 0; av[i]; i++) {
		memcpy(list + total, av[i], strlen(av[i]) + 1);
		total += strlen(av[i]) + 1;
	}
	/*
	 * The failed exec (argv from the caller's memory), then the one that
	 * succeeds (from the new image): each keeps a start of the list.
	 */
	for (i = 0; i < 2; i++) {
		h = next_ev(&r, &cur, 0, "execve", argv_starts, WL_EXEC_ARGV0);
		ck_assert_int_eq(I(h, "res"), i ? 0 : -ENOENT);
		p = V(h, "argv", &l);
		ck_assert_int_gt(l, 512);
		ck_assert_int_lt(l, (ssize_t)total);
		ck_assert_msg(!memcmp(p, list, l), "the start of the argv");
		ck_assert_msg(cut(h, "argv"), "a long argv is marked cut");
	}
	/* cut among empty strings: they go, the list ends with an 'x' */
	h = next_ev(&r, &cur, 0, "execve", argv_starts, WL_EXEC_ARGV0);
	ck_assert_int_eq(I(h, "res"), 0);
	p = V(h, "argv", &l);
	ck_assert_int_eq(l, (ssize_t)(strlen(WL_EXEC_ARGV0) + 1 + WL_CUT_X));
	ck_assert(p[l - 1] == 'x');
	ck_assert_msg(cut(h, "argv"), "cut among empty strings is marked");
	ck_assert_msg(!cut(h, "filename") && !cut(h, "exe") && !cut(h, "cwd"),
		      "whole paths are not marked");
	unload(&r);
}
END_TEST

static bool memfd_exec(const struct kcap_hdr *h, const void *arg)
{
	(void)arg;
	return I(h, "res") == 0;
}

/* exe_flags of the next successful execve whose filename ends so. */
static uint64_t ok_exec_flags(const struct recs *r, size_t *cur,
			      const char *const *arg)
{
	const struct kcap_hdr *h = next_ev(r, cur, 0, "execve", path_ends, arg);

	ck_assert_int_eq(I(h, "res"), 0);
	return I(h, "exe_flags");
}

static void skip_part(const char *what)
{
	fprintf(stderr, "test_record: SKIP %s (see the workload's message)\n",
		what);
}

/*
 * exe_flags: /bin/true run by nobody is not writable by it; a memfd copy
 * that others may write is writable and from a memfd; as root, copies on
 * an overlayfs say which layer they come from (and root may write them).
 * Root may write everything but a file on a read-only mount or one with
 * the immutable flag. The memfd runs through execveat, which x86 reports
 * at exit under execve's number: it must still be an execveat with its
 * own arguments.
 * First, an execve that fails keeps its filename and argv.
 */
START_TEST(test_exe_flags_say_writable_memfd_and_overlay_layer)
{
	char path[512], dir[512], lower[600], upper[600];
	const char *args[] = { "record",   "-q", "-e", "execve,execveat",
			       "-w",	   path, "--", WORKLOAD_BIN,
			       "exeflags", dir,	 NULL };
	const char *lo[2] = { "filename", lower },
		   *up[2] = { "filename", upper };
	const char *ro[2] = { "filename", "/ro/" WL_RO_EXE };
	const char *imm[2] = { "filename", "/" WL_IMMUTABLE_EXE };
	const struct kcap_hdr *h;
	struct recs r;
	size_t cur = 0;
	int st;

	snprintf(dir, sizeof(dir), "%s/exeflags", tmpdir);
	ck_assert_int_eq(mkdir(dir, 0755), 0);
	snprintf(path, sizeof(path), "%s/exeflags.kcap", tmpdir);
	snprintf(lower, sizeof(lower), "%s/ovl/merged/" WL_OVL_LOWER, dir);
	snprintf(upper, sizeof(upper), "%s/ovl/merged/" WL_OVL_UPPER, dir);
	st = run_kcap(args, NULL, true);
	ck_assert_msg((st & ~(WL_NO_OVERLAY | WL_NO_IMMUTABLE)) == 0,
		      "kcap record exited %d", st);
	load(path, &r);
	h = next_ev(&r, &cur, 0, "execve", NULL, NULL); /* the workload */
	h = next_ev(&r, &cur, 0, "execve", NULL, NULL);
	ck_assert_int_eq(I(h, "res"), -ENOENT);
	ck_assert_msg(str_is(h, "filename", WL_MISSING_EXE),
		      "a failed execve's filename");
	ck_assert_msg(var_is(h, "argv", WL_EXEC_ARGV0 "\0" WL_EXEC_ARGV1,
			     sizeof(WL_EXEC_ARGV0 "\0" WL_EXEC_ARGV1)),
		      "a failed execve's argv");
	h = next_ev(&r, &cur, 0, "execve", NULL, NULL);
	ck_assert_msg(str_is(h, "filename", WL_EXEC_PATH), "first child");
	ck_assert_int_eq(I(h, "uid"), WL_NOBODY);
	/* not writable (the layer bits are there when / is an overlay) */
	ck_assert_uint_eq(I(h, "exe_flags") & ~(0x2 | 0x8), 0);

	h = next_ev(&r, &cur, 0, "execveat", memfd_exec, NULL);
	ck_assert_int_eq(I(h, "uid"), WL_NOBODY);
	ck_assert_uint_eq(I(h, "exe_flags"), 0x1 | 0x4); /* WRITABLE|MEMFD */
	ck_assert_int_eq(I(h, "flags"), AT_EMPTY_PATH);
	ck_assert_int_ge(I(h, "dirfd"), 3);
	ck_assert_msg(var_is(h, "argv", "true", 5), "execveat argv");
	ck_assert_msg(str_is(h, "exe", "/memfd:" WL_MEMFD_NAME " (deleted)"),
		      "a memfd's exe is /memfd:NAME (deleted)");

	/* root, yet not writable: a read-only mount, an immutable file */
	ck_assert_uint_eq(ok_exec_flags(&r, &cur, ro) & 0x1, 0);
	if (st & WL_NO_IMMUTABLE)
		skip_part("the immutable part of exe_flags: this file system "
			  "has no immutable flag");
	else
		ck_assert_uint_eq(ok_exec_flags(&r, &cur, imm) & 0x1, 0);
	if (st & WL_NO_OVERLAY) {
		skip_part("the overlayfs part of exe_flags: overlayfs could "
			  "not be mounted here");
	} else {
		/* WRITABLE with LOWER, then UPPER */
		ck_assert_uint_eq(ok_exec_flags(&r, &cur, lo), 0x1 | 0x8);
		ck_assert_uint_eq(ok_exec_flags(&r, &cur, up), 0x1 | 0x2);
	}
	unload(&r);
}
END_TEST

START_TEST(
	test_recording_the_workload_yields_every_file_syscall_with_its_arguments)
{
	char d[512], f[512], g[512];
	const struct kcap_hdr *h;
	int tid;
	size_t cur = 0;
	int64_t wfd, rfd, p0, p1, ino;

	load_variant(_i);
	tid = workload_tid(&full);
	wl_path(d, sizeof(d), NULL);
	wl_path(f, sizeof(f), WL_FILE);
	wl_path(g, sizeof(g), WL_FILE2);

	h = next_ev(&full, &cur, tid, "mkdir", NULL, NULL);
	ck_assert_msg(str_is(h, "path", d), "mkdir path");
	ck_assert_int_eq(I(h, "mode"), WL_DIR_MODE);
	ck_assert_int_eq(I(h, "res"), 0);

	h = next_ev(&full, &cur, tid, "open", NULL, NULL);
	ck_assert_msg(str_is(h, "name", f), "open name");
	ck_assert_int_eq(I(h, "flags"), O_CREAT | O_WRONLY | O_TRUNC);
	ck_assert_int_eq(I(h, "mode"), WL_FILE_MODE);
	wfd = I(h, "res");
	ck_assert_int_ge(wfd, 0);
	ino = I(h, "ino");
	ck_assert_int_gt(ino, 0);

	h = next_ev(&full, &cur, tid, "write", NULL, NULL);
	ck_assert_int_eq(I(h, "fd"), wfd);
	ck_assert_int_eq(I(h, "size"), strlen(WL_DATA));
	ck_assert_int_eq(I(h, "res"), strlen(WL_DATA));
	ck_assert_msg(str_is(h, "data", WL_DATA), "write data");

	h = next_ev(&full, &cur, tid, "close", NULL, NULL);
	ck_assert_int_eq(I(h, "fd"), wfd);
	ck_assert_int_eq(I(h, "res"), 0);

	h = next_ev(&full, &cur, tid, "openat", NULL, NULL);
	ck_assert_msg(str_is(h, "name", f), "openat name");
	ck_assert_int_eq(I(h, "dirfd"), AT_FDCWD);
	ck_assert_int_eq(I(h, "flags"), O_RDONLY);
	rfd = I(h, "res");
	ck_assert_int_ge(rfd, 0);
	/*
	 * the file open wrote: its inode, on tmpdir's device (the kernel's
	 * encoding: major << 20 | minor; on btrfs, stat(2) gives a
	 * subvolume's device instead, and this check does not hold)
	 */
	ck_assert_int_eq(I(h, "ino"), ino);
	ck_assert(known(h, "dev"));
	{
		struct stat sb;

		ck_assert_int_eq(stat(tmpdir, &sb), 0);
		ck_assert_int_eq((unsigned long long)I(h, "dev") >> 20,
				 major(sb.st_dev));
		ck_assert_int_eq((unsigned long long)I(h, "dev") & 0xfffff,
				 minor(sb.st_dev));
	}

	h = next_ev(&full, &cur, tid, "read", NULL, NULL);
	ck_assert_int_eq(I(h, "fd"), rfd);
	ck_assert_int_eq(I(h, "res"), strlen(WL_DATA));
	ck_assert_msg(str_is(h, "data", WL_DATA), "read data");

	h = next_ev(&full, &cur, tid, "dup2", NULL, NULL);
	ck_assert_int_eq(I(h, "oldfd"), rfd);
	ck_assert_int_eq(I(h, "newfd"), WL_DUPFD);
	ck_assert_int_eq(I(h, "res"), WL_DUPFD);

	h = next_ev(&full, &cur, tid, "rename", NULL, NULL);
	ck_assert_msg(str_is(h, "oldpath", f), "rename oldpath");
	ck_assert_msg(str_is(h, "newpath", g), "rename newpath");
	ck_assert_int_eq(I(h, "res"), 0);

	h = next_ev(&full, &cur, tid, "chmod", NULL, NULL);
	ck_assert_msg(str_is(h, "filename", g), "chmod filename");
	ck_assert_int_eq(I(h, "mode"), WL_CHMOD_MODE);
	ck_assert_int_eq(I(h, "res"), 0);

	h = next_ev(&full, &cur, tid, "pipe", NULL, NULL);
	ck_assert_int_eq(I(h, "res"), 0);
	p0 = I(h, "fd1");
	p1 = I(h, "fd2");
	ck_assert_int_ge(p0, 0);
	ck_assert_int_ge(p1, 0);
	ck_assert_int_ne(p0, p1);

	h = next_ev(&full, &cur, tid, "write", NULL, NULL);
	ck_assert_int_eq(I(h, "fd"), p1);
	ck_assert_msg(str_is(h, "data", WL_PIPE_DATA), "pipe write data");
	h = next_ev(&full, &cur, tid, "read", NULL, NULL);
	ck_assert_int_eq(I(h, "fd"), p0);
	ck_assert_msg(str_is(h, "data", WL_PIPE_DATA), "pipe read data");

	h = next_ev(&full, &cur, tid, "unlink", NULL, NULL);
	ck_assert_msg(str_is(h, "path", g), "unlink path");
	ck_assert_int_eq(I(h, "res"), 0);
	h = next_ev(&full, &cur, tid, "rmdir", NULL, NULL);
	ck_assert_msg(str_is(h, "path", d), "rmdir path");
	/* a failed open has no file: its ino and dev stay unknown */
	h = next_ev(&full, &cur, tid, "openat", NULL, NULL);
	ck_assert_int_eq(I(h, "res"), -ENOENT);
	ck_assert_msg(str_is(h, "name", g), "failed openat name");
	ck_assert(!known(h, "ino") && !known(h, "dev"));
}
END_TEST

/* A struct sockaddr_in as the kernel lays it out. */
static void mk_sin(uint8_t out[16], unsigned int port)
{
	memset(out, 0, 16);
	out[0] = 2; /* AF_INET */
	out[2] = port >> 8;
	out[3] = port & 0xff;
	out[4] = 127;
	out[7] = 1;
}

static unsigned int port_of(const struct kcap_hdr *h, const char *field)
{
	ssize_t l;
	const uint8_t *p = V(h, field, &l);

	ck_assert_msg(p && l >= 8 && p[0] == 2, "%s.%s is not AF_INET",
		      name_of(h), field);
	ck_assert_msg(p[4] == 127 && p[7] == 1, "%s.%s is not 127.0.0.1",
		      name_of(h), field);
	return p[2] << 8 | p[3];
}

static void check_conversation(size_t *cur, int tid, int type, const char *msg)
{
	const struct kcap_hdr *h;
	int64_t srv, cli, conn;
	unsigned int sport, cport;
	uint8_t a[16];

	h = next_ev(&full, cur, tid, "socket", NULL, NULL);
	ck_assert_int_eq(I(h, "domain"), 2);
	ck_assert_int_eq(I(h, "sock_type"), type);
	srv = I(h, "res");
	h = next_ev(&full, cur, tid, "bind", NULL, NULL);
	ck_assert_int_eq(I(h, "fd"), srv);
	ck_assert_int_eq(I(h, "res"), 0);
	h = next_ev(&full, cur, tid, "getsockname", NULL, NULL);
	sport = port_of(h, "laddr");
	ck_assert_uint_ne(sport, 0);
	h = next_ev(&full, cur, tid, "socket", NULL, NULL);
	cli = I(h, "res");
	ck_assert_int_ge(cli, 0);

	h = next_ev(&full, cur, tid, "connect", NULL, NULL);
	ck_assert_int_eq(I(h, "fd"), cli);
	ck_assert_int_eq(I(h, "res"), 0);
	mk_sin(a, sport);
	ck_assert_msg(var_is(h, "addr", a, 16), "connect addr");
	ck_assert_uint_eq(port_of(h, "raddr"), sport);
	cport = port_of(h, "laddr");
	ck_assert_uint_ne(cport, 0);

	conn = srv;
	if (type == 1) {
		h = next_ev(&full, cur, tid, "accept", NULL, NULL);
		ck_assert_int_eq(I(h, "fd"), srv);
		conn = I(h, "res");
		ck_assert_int_ge(conn, 0);
		ck_assert_uint_eq(port_of(h, "raddr"), cport);
		ck_assert_uint_eq(port_of(h, "laddr"), sport);
	}
	h = next_ev(&full, cur, tid, "sendto", NULL, NULL);
	ck_assert_int_eq(I(h, "fd"), cli);
	ck_assert_int_eq(I(h, "res"), strlen(msg));
	ck_assert_msg(str_is(h, "data", msg), "sendto data");
	ck_assert_uint_eq(port_of(h, "raddr"), sport);

	h = next_ev(&full, cur, tid, "recvfrom", NULL, NULL);
	ck_assert_int_eq(I(h, "fd"), conn);
	ck_assert_int_eq(I(h, "res"), strlen(msg));
	ck_assert_msg(str_is(h, "data", msg), "recvfrom data");
	if (type == 2) {
		/* UDP: the sender's address comes back from recvfrom. */
		mk_sin(a, cport);
		ck_assert_msg(var_is(h, "addr", a, 16), "recvfrom addr");
	}
}

START_TEST(test_recording_the_workload_yields_tcp_and_udp_with_addresses)
{
	int tid;
	size_t cur = 0;

	load_variant(_i);
	tid = workload_tid(&full);
	check_conversation(&cur, tid, 1, WL_TCP_DATA);
	check_conversation(&cur, tid, 2, WL_UDP_DATA);
}
END_TEST

static bool res_positive(const struct kcap_hdr *h, const void *arg)
{
	(void)arg;
	return I(h, "res") > 0;
}

START_TEST(test_recording_the_workload_yields_fork_exec_kill_and_exits)
{
	static const char argv[] = WL_EXEC_ARGV0 "\0" WL_EXEC_ARGV1
						 "\0" WL_EXEC_ARGV2;
	int tid;
	const struct kcap_hdr *h;
	size_t cur = 0, c2cur;
	int64_t c1, c2;

	load_variant(_i);
	tid = workload_tid(&full);
	/* glibc's fork() is clone(SIGCHLD): one event in each process. */
	h = next_ev(&full, &cur, tid, "clone", res_positive, NULL);
	c1 = I(h, "res");
	ck_assert_int_eq(I(h, "child_tid"), c1);
	{
		/*
		 * When our pid namespace's init started: /proc/1/stat has it
		 * in clock ticks since boot, which is where kcap's clock
		 * starts too.
		 */
		struct timespec wall, boot;
		long hz = sysconf(_SC_CLK_TCK);
		int64_t want, got = I(h, "pidns_init_start_ts");

		clock_gettime(CLOCK_REALTIME, &wall);
		clock_gettime(CLOCK_BOOTTIME, &boot);
		want = (int64_t)(ts_ns(wall) - ts_ns(boot)) +
		       (int64_t)(stat_field("1", 22) * (1000000000ull / hz));
		ck_assert_msg(llabs(got - want) < 50000000,
			      "pidns_init_start_ts %lld, /proc/1 says %lld",
			      (long long)got, (long long)want);
	}
	c2cur = 0;
	h = next_ev(&full, &c2cur, c1, "clone", NULL, NULL);
	ck_assert_int_eq(I(h, "res"), 0);
	ck_assert_int_eq(I(h, "tgid"), c1);
	ck_assert_int_eq(I(h, "ppid"), tid);

	h = next_ev(&full, &c2cur, c1, "execve", NULL, NULL);
	ck_assert_msg(str_is(h, "filename", WL_EXEC_PATH), "execve filename");
	ck_assert_msg(var_is(h, "argv", argv, sizeof(argv)), "execve argv");
	ck_assert_int_eq(I(h, "res"), 0);
	ck_assert_int_eq(I(h, "tgid"), c1);
	ck_assert_int_eq(I(h, "ppid"), tid);
	ck_assert_int_gt(I(h, "pidns"), 0);
	ck_assert_int_gt(I(h, "vpid"), 0);
	ck_assert_msg(str_is(h, "comm", "true"), "execve comm");
	{
		char exe[4096], cwd[4096];

		/* The kernel's path of what runs: symlinks resolved. */
		struct stat st;

		ck_assert_ptr_nonnull(realpath(WL_EXEC_PATH, exe));
		ck_assert_msg(str_is(h, "exe", exe), "execve exe");
		ck_assert_int_eq(stat(exe, &st), 0);
		ck_assert_uint_eq(I(h, "exe_ino"), st.st_ino);
		ck_assert_uint_eq(I(h, "exe_ino_ctime"), ts_ns(st.st_ctim));
		ck_assert_uint_eq(I(h, "exe_ino_mtime"), ts_ns(st.st_mtim));
		/* kcap's child shares our session, and so our tty */
		ck_assert_uint_eq(I(h, "tty"), my_tty());
		ck_assert_ptr_nonnull(getcwd(cwd, sizeof(cwd)));
		ck_assert_msg(str_is(h, "cwd", cwd), "execve cwd");
	}
	h = next_ev(&full, &c2cur, c1, "procexit", NULL, NULL);
	ck_assert_int_eq(I(h, "ret"), 0);
	ck_assert_int_eq(I(h, "sig"), 0);

	h = next_ev(&full, &cur, tid, "clone", res_positive, NULL);
	c2 = I(h, "res");
	h = next_ev(&full, &cur, tid, "kill", NULL, NULL);
	ck_assert_int_eq(I(h, "target_pid"), c2);
	ck_assert_int_eq(I(h, "sig"), WL_KILL_SIG);
	ck_assert_int_eq(I(h, "res"), 0);
	c2cur = 0;
	h = next_ev(&full, &c2cur, c2, "signaldeliver", NULL, NULL);
	ck_assert_int_eq(I(h, "dpid"), c2);
	/*
	 * The kernel turns a fatal signal into SIGKILL for the whole group
	 * when it queues it, and that is what gets delivered.
	 */
	if (I(h, "sig") == WL_KILL_SIG)
		ck_assert_int_eq(I(h, "spid"), tid);
	else
		ck_assert_int_eq(I(h, "sig"), 9);
	h = next_ev(&full, &c2cur, c2, "procexit", NULL, NULL);
	ck_assert_int_eq(I(h, "sig"), WL_KILL_SIG);

	h = next_ev(&full, &cur, tid, "procexit", NULL, NULL);
	ck_assert_int_eq(I(h, "ret"), WL_EXIT);
	ck_assert_int_eq(I(h, "tgid"), tid);
}
END_TEST

/*
 * script(1) runs its command on a new pseudo-terminal, its controlling
 * tty: execve records that tty (UNIX98 pty slaves have majors 136-143).
 */
START_TEST(test_execve_records_the_controlling_tty)
{
	char path[512];
	const char *args[] = { "record", "-q",	      "-w",
			       path,	 "--",	      "/usr/bin/script",
			       "-qec",	 "/bin/true", "/dev/null",
			       NULL };
	const struct kcap_hdr *h = NULL;
	struct recs r;
	size_t i;

	ck_assert_msg(access("/usr/bin/script", X_OK) == 0,
		      "script(1) (bsdutils) is missing");
	snprintf(path, sizeof(path), "%s/tty.kcap", tmpdir);
	ck_assert_int_eq(run_kcap(args, NULL, true), 0);
	load(path, &r);
	for (i = 0; i < r.n && !h; i++)
		if (r.v[i]->type == KCAP_EV_execve &&
		    str_is(r.v[i], "filename", "/bin/true"))
			h = r.v[i];
	ck_assert_msg(h, "no execve of /bin/true");
	ck_assert_msg(I(h, "tty") >> 20 >= 136 && I(h, "tty") >> 20 <= 143,
		      "tty %lld:%lld is not a pty",
		      (long long)I(h, "tty") >> 20,
		      (long long)I(h, "tty") & 0xfffff);
	unload(&r);
}
END_TEST

START_TEST(test_events_of_each_thread_are_in_time_order)
{
	size_t i, j;

	load_full();
	for (i = 0; i < full.n; i++) {
		if (!is_event(&full, i))
			continue;
		for (j = i + 1; j < full.n; j++)
			if (is_event(&full, j) &&
			    full.v[j]->tid == full.v[i]->tid)
				break;
		if (j < full.n)
			ck_assert_msg(full.v[j]->ts >= full.v[i]->ts,
				      "thread %u goes back in time at %zu",
				      full.v[i]->tid, j);
	}
}
END_TEST

static uint64_t count_events(const struct recs *r, unsigned int type, int tid)
{
	uint64_t n = 0;
	size_t i;

	for (i = 0; i < r->n; i++)
		if (is_event(r, i) && r->v[i]->type == type &&
		    (!tid || (int)r->v[i]->tid == tid))
			n++;
	return n;
}

/* A number from --stats-json's output, or -1 without it. */
static double json_num(const char *path, const char *key)
{
	char buf[2048], k[64];
	const char *p;

	read_text(path, buf, sizeof(buf));
	snprintf(k, sizeof(k), "\"%s\": ", key);
	p = strstr(buf, k);
	return p ? strtod(p + strlen(k), NULL) : -1;
}

/*
 * epoll reports a BPF ring readable while it holds anything: a recorder
 * that polled it level-triggered turned its loop for every few records
 * of a busy load (3,222 turns for these 300,000 events here). It must
 * wake on the watermark or the flush timeout, and drain in batches
 * (about 20 turns). The 64 MiB ring keeps a slow reader (ASan) from
 * losing records while it sleeps.
 */
START_TEST(test_a_busy_load_is_drained_in_batches_not_record_by_record)
{
	const long N = 300000;
	char path[512], json[512], nbuf[32];
	const char *args[] = { "record", "-q",	       "-B",	       "64m",
			       "-w",	 path,	       "--stats-json", json,
			       "--",	 WORKLOAD_BIN, "burst",	       nbuf,
			       NULL };
	double events, wakeups;

	snprintf(path, sizeof(path), "%s/batches.kcap", tmpdir);
	snprintf(json, sizeof(json), "%s/batches.json", tmpdir);
	snprintf(nbuf, sizeof(nbuf), "%ld", N);
	ck_assert_int_eq(run_kcap(args, NULL, true), 0);
	events = json_num(json, "events");
	wakeups = json_num(json, "wakeups");
	ck_assert_msg(events >= N, "%.0f events of %ld", events, N);
	ck_assert_double_eq(json_num(json, "lost"), 0);
	ck_assert_double_gt(wakeups, 0);
	ck_assert_msg(wakeups * 1000 < events,
		      "%.0f wakeups for %.0f events: under 1000 a wakeup",
		      wakeups, events);
}
END_TEST

/* Events of type evtype that LOSS records count as lost. */
static uint64_t lost_of(const struct recs *r, int evtype)
{
	uint64_t lost = 0;
	size_t i;

	for (i = 0; i < r->n; i++)
		if (r->block[i] == KCAP_BLOCK_LOSS &&
		    I(r->v[i], "evtype") == evtype)
			lost += I(r->v[i], "count");
	return lost;
}

/* Record `workload burst n` (n flock calls) through a ring of ring bytes. */
static void record_burst(const char *name, const char *ring, long n,
			 struct recs *r)
{
	char path[512], nbuf[32];
	const char *args[] = { "record", "-q", "-B", ring,
			       "-w",	 path, "--", WORKLOAD_BIN,
			       "burst",	 nbuf, NULL };

	snprintf(path, sizeof(path), "%s/%s.kcap", tmpdir, name);
	snprintf(nbuf, sizeof(nbuf), "%ld", n);
	ck_assert_int_eq(run_kcap(args, NULL, true), 0);
	load(path, r);
}

/*
 * Records go into the ring without a wakeup each; the kernel wakes the
 * reader once a CPU sees more unread than the watermark (a quarter of the
 * ring: 16 KiB here), and with a command the reader also looks every
 * 50 ms. A 64 KiB ring holds about 1,600 of the burst's 40-byte records,
 * a few ms of it: without those wakeups, 50 ms turns would keep at most
 * about a tenth of the 200,000. Every event is kept or counted lost.
 */
START_TEST(test_the_reader_is_woken_when_unread_records_pass_the_watermark)
{
	const long N = 200000;
	uint64_t recorded, lost;
	struct recs r;

	record_burst("watermark", "64k", N, &r);
	recorded = count_events(&r, KCAP_EV_flock, 0);
	lost = lost_of(&r, KCAP_EV_flock);
	unload(&r);
	ck_assert_uint_eq(recorded + lost, N);
	ck_assert_msg(recorded >= (uint64_t)N / 2, "%llu of %ld kept",
		      (unsigned long long)recorded, N);
}
END_TEST

/*
 * Events lost to a full ring are counted in the summary, and the summary
 * also says how large the ring was and that -B makes it larger (a user of
 * --low-latency, whose ring is small, would otherwise not know why).
 */
START_TEST(test_the_summary_names_the_ring_size_when_the_ring_was_full)
{
	char path[512], said[512], text[4096], want[128];
	const char *args[] = { "record", "-B",	       "4k",	"-w",	  path,
			       "--",	 WORKLOAD_BIN, "burst", "100000", NULL };
	uint64_t lost = 0;
	struct recs r;
	size_t i;

	snprintf(path, sizeof(path), "%s/fullring.kcap", tmpdir);
	snprintf(said, sizeof(said), "%s/fullring.err", tmpdir);
	/* overflows for certain: see test_overload_loss_is_counted_... */
	starve_recorder = true;
	kcap_stderr = said;
	ck_assert_int_eq(run_kcap(args, NULL, true), 0);
	kcap_stderr = NULL;
	starve_recorder = false;
	load(path, &r);
	for (i = 0; i < r.n; i++)
		if (r.block[i] == KCAP_BLOCK_LOSS &&
		    I(r.v[i], "reason") == KCAP_LOSS_RINGBUF)
			lost += I(r.v[i], "count");
	unload(&r);
	ck_assert_uint_gt(lost, 0);
	snprintf(want, sizeof(want),
		 "the ring buffer (4 KiB) was full for %llu events; -B makes "
		 "it larger\n",
		 (unsigned long long)lost);
	read_text(said, text, sizeof(text));
	ck_assert_msg(strstr(text, want), "kcap said: %s", text);
}
END_TEST

/*
 * The kernel refuses a program whose verification walks more than
 * 1,000,000 instructions, and every event in the schema adds paths to the
 * exit program (6.18 walks about 520,000 with -T). Three quarters of the
 * limit, with the options that make the most paths, leaves room for a
 * kernel that explores more: past it, a new event must come with a
 * simpler program, before users meet "program too large".
 */
START_TEST(test_the_exit_program_verifies_well_under_the_kernels_limit)
{
	static const char *const sets[][8] = {
		{ NULL },
		{ "-T", NULL },
		{ "-T", "-s", "4000", "--io-budget", "10", "--dedup-ms", "5",
		  NULL },
	};
	char path[512], json[512];
	size_t i;

	snprintf(path, sizeof(path), "%s/verified.kcap", tmpdir);
	snprintf(json, sizeof(json), "%s/verified.json", tmpdir);
	for (i = 0; i < sizeof(sets) / sizeof(sets[0]); i++) {
		const char *args[24];
		double n;
		int k = 0, j;

		args[k++] = "record";
		args[k++] = "-q";
		for (j = 0; sets[i][j]; j++)
			args[k++] = sets[i][j];
		args[k++] = "--stats-json";
		args[k++] = json;
		args[k++] = "-w";
		args[k++] = path;
		args[k++] = "--";
		args[k++] = "true";
		args[k] = NULL;
		ck_assert_int_eq(run_kcap(args, NULL, true), 0);
		n = json_num(json, "exit_verified_insns");
		ck_assert_msg(n > 0 && n < 750000,
			      "option set %zu: the verifier walked %.0f "
			      "instructions",
			      i, n);
	}
}
END_TEST

static bool nr_is(const struct kcap_hdr *h, const void *arg)
{
	return I(h, "nr") == *(const int64_t *)arg;
}

/*
 * Numbers past kcap's syscall table (x32's, where the kernel has no x32,
 * and numbers of no syscall) are recorded as generic events with their
 * number and result, not dropped; -e that leaves them out drops them.
 */
START_TEST(test_syscall_numbers_past_the_table_are_recorded_as_generic)
{
	static const int64_t nrs[] = { WL_NOSYS_X32, WL_NOSYS_HIGH };
	char path[512];
	const char *args[] = { "record", "-q",	       "-w",	path,
			       "--",	 WORKLOAD_BIN, "nosys", NULL };
	const char *args_e[] = { "record", "-q", "-e",	       "openat", "-w",
				 path,	   "--", WORKLOAD_BIN, "nosys",	 NULL };
	const struct kcap_hdr *h;
	struct recs r;
	size_t cur = 0;
	int i;

	snprintf(path, sizeof(path), "%s/nosys.kcap", tmpdir);
	ck_assert_int_eq(run_kcap(args, NULL, true), 0);
	load(path, &r);
	for (i = 0; i < 2; i++) {
		h = next_ev(&r, &cur, 0, "syscall", nr_is, &nrs[i]);
		ck_assert_int_eq(I(h, "res"), -ENOSYS);
		ck_assert_int_eq(I(h, "a0"), 1 + 3 * i);
		ck_assert_int_eq(I(h, "a2"), 3 + 3 * i);
	}
	unload(&r);

	ck_assert_int_eq(run_kcap(args_e, NULL, true), 0);
	load(path, &r);
	ck_assert_uint_eq(count_events(&r, KCAP_EV_syscall, 0), 0);
	unload(&r);
}
END_TEST

START_TEST(test_overload_loss_is_counted_exactly_per_type)
{
	const long N = 100000;
	uint64_t recorded, lost;
	struct recs r;
	size_t i;

	/*
	 * Overload for certain: the recorder gets a sliver of the CPU the
	 * burst runs on (the burst puts itself back to nice 0), so its 4 KiB
	 * ring overflows whatever the machine.
	 */
	starve_recorder = true;
	record_burst("loss", "4k", N, &r);
	recorded = count_events(&r, KCAP_EV_flock, 0);
	for (i = 0; i < r.n; i++) {
		if (r.block[i] != KCAP_BLOCK_LOSS)
			continue;
		ck_assert_int_eq(r.v[i]->type, KCAP_EV_loss);
		ck_assert_int_eq(I(r.v[i], "reason"), KCAP_LOSS_RINGBUF);
		ck_assert_uint_le(r.v[i]->ts, (uint64_t)I(r.v[i], "end_ts"));
	}
	lost = lost_of(&r, KCAP_EV_flock);
	ck_assert_msg(lost > 0, "a 4 KiB ring lost nothing of %ld events", N);
	ck_assert_msg(recorded + lost == (uint64_t)N,
		      "recorded %llu + lost %llu != %ld",
		      (unsigned long long)recorded, (unsigned long long)lost,
		      N);
	unload(&r);
}
END_TEST

/*
 * !bind first: an exclusion wins wherever it stands (%net after it used to
 * put bind back), and it leaves out even an event kcap read's state
 * follows, since it names it.
 */
START_TEST(test_selecting_syscalls_with_e_records_only_those)
{
	char path[512];
	const char *args[] = {
		"record", "-q",	  "-e", "!bind,openat,close,%net",
		"-w",	  path,	  "--", WORKLOAD_BIN,
		"full",	  tmpdir, NULL
	};
	struct recs r;
	size_t i;

	snprintf(path, sizeof(path), "%s/sel.kcap", tmpdir);
	ck_assert_int_eq(run_kcap(args, NULL, true), WL_EXIT);
	load(path, &r);
	for (i = 0; i < r.n; i++) {
		const struct kcap_event_desc *d;

		/* Process exits and signal deliveries are always recorded. */
		if (!is_event(&r, i) || r.v[i]->type == KCAP_EV_procexit ||
		    r.v[i]->type == KCAP_EV_signaldeliver)
			continue;
		d = kcap_schema__event(S(), r.v[i]->type);
		/* and so are the events kcap read names fds and tasks by */
		ck_assert_msg(!strcmp(d->name, "openat") ||
				      !strcmp(d->name, "close") ||
				      d->cls == KCAP_CLASS_NET ||
				      (d->flags & KCAP_EF_KEEPS_STATE),
			      "-e let %s through", d->name);
		ck_assert_str_ne(d->name, "bind");
	}
	ck_assert_uint_gt(count_events(&r, KCAP_EV_openat, 0), 0);
	ck_assert_uint_gt(count_events(&r, KCAP_EV_close, 0), 0);
	ck_assert_uint_gt(count_events(&r, KCAP_EV_connect, 0), 0);
	ck_assert_uint_eq(count_events(&r, KCAP_EV_bind, 0), 0);
	unload(&r);
}
END_TEST

/*
 * kcap read names fds and processes by the events that change its
 * tables: -e write keeps those, and leaves out the rest.
 */
START_TEST(test_e_write_still_records_the_events_names_are_kept_by)
{
	char path[512];
	const char *args[] = { "record", "-q",	 "-e", "write",
			       "-w",	 path,	 "--", WORKLOAD_BIN,
			       "full",	 tmpdir, NULL };
	struct recs r;

	snprintf(path, sizeof(path), "%s/selw.kcap", tmpdir);
	ck_assert_int_eq(run_kcap(args, NULL, true), WL_EXIT);
	load(path, &r);
	ck_assert_uint_gt(count_events(&r, KCAP_EV_write, 0), 0);
	ck_assert_uint_gt(count_events(&r, KCAP_EV_openat, 0), 0);
	ck_assert_uint_gt(count_events(&r, KCAP_EV_close, 0), 0);
	ck_assert_uint_gt(count_events(&r, KCAP_EV_socket, 0), 0);
	ck_assert_uint_eq(count_events(&r, KCAP_EV_read, 0), 0);
	ck_assert_uint_eq(count_events(&r, KCAP_EV_syscall, 0), 0);
	unload(&r);
}
END_TEST

static bool data_fd(const struct kcap_hdr *h, const void *arg)
{
	(void)arg;
	return I(h, "res") == (int64_t)strlen(WL_DATA);
}

START_TEST(test_snaplen_caps_the_data_kept)
{
	char path[512];
	const char *args[] = { "record", "-q",	 "-s", "4",  "-e",
			       "write",	 "-w",	 path, "--", WORKLOAD_BIN,
			       "full",	 tmpdir, NULL };
	const char *args0[] = { "record", "-q",	  "-s", "0",  "-e",
				"write",  "-w",	  path, "--", WORKLOAD_BIN,
				"full",	  tmpdir, NULL };
	const struct kcap_hdr *h;
	struct recs r;
	size_t cur = 0;
	ssize_t l;

	snprintf(path, sizeof(path), "%s/snap.kcap", tmpdir);
	ck_assert_int_eq(run_kcap(args, NULL, true), WL_EXIT);
	load(path, &r);
	h = next_ev(&r, &cur, 0, "write", data_fd, NULL);
	ck_assert_int_eq(I(h, "size"), strlen(WL_DATA));
	ck_assert_msg(var_is(h, "data", WL_DATA, 4), "-s 4 keeps 4 bytes");
	unload(&r);

	ck_assert_int_eq(run_kcap(args0, NULL, true), WL_EXIT);
	load(path, &r);
	cur = 0;
	h = next_ev(&r, &cur, 0, "write", data_fd, NULL);
	V(h, "data", &l);
	ck_assert_int_eq(l, -1);
	unload(&r);
}
END_TEST

static bool big_write(const struct kcap_hdr *h, const void *arg)
{
	(void)arg;
	return I(h, "res") == WL_BIG;
}

/*
 * The snaplen at the edges of the in-ring fast path (up to 256 bytes of
 * room) and past it (the interpreter): a 300-byte write keeps exactly
 * min(snaplen, 300) bytes, and they are the bytes written.
 */
START_TEST(test_snaplen_is_kept_exactly_at_and_past_256)
{
	static const char *snaps[] = { "255", "256", "257", "300", "4000" };
	char path[512], want[WL_BIG];
	const char *args[] = { "record", "-q",	       "-s",	   NULL,
			       "-e",	 "write",      "-w",	   path,
			       "--",	 WORKLOAD_BIN, "bigwrite", NULL };
	unsigned int k;
	int i;

	for (i = 0; i < WL_BIG; i++)
		want[i] = 'a' + i % 26;
	snprintf(path, sizeof(path), "%s/bigsnap.kcap", tmpdir);
	for (k = 0; k < sizeof(snaps) / sizeof(snaps[0]); k++) {
		const struct kcap_hdr *h;
		struct recs r;
		size_t cur = 0, keep = atoi(snaps[k]);

		if (keep > WL_BIG)
			keep = WL_BIG;
		args[3] = snaps[k];
		ck_assert_int_eq(run_kcap(args, NULL, true), 0);
		load(path, &r);
		h = next_ev(&r, &cur, 0, "write", big_write, NULL);
		ck_assert_int_eq(I(h, "size"), WL_BIG);
		ck_assert_msg(var_is(h, "data", want, keep),
			      "-s %s keeps %zu bytes", snaps[k], keep);
		unload(&r);
	}
}
END_TEST

/* clone3's flags come from its struct clone_args, all 64 bits of them. */
START_TEST(test_clone3_records_the_flags_of_its_clone_args)
{
	char path[512];
	const char *args[] = { "record", "-q", "-e",	     "clone3", "-w",
			       path,	 "--", WORKLOAD_BIN, "clone3", NULL };
	const struct kcap_hdr *h;
	struct recs r;
	size_t cur = 0;

	snprintf(path, sizeof(path), "%s/clone3.kcap", tmpdir);
	ck_assert_int_eq(run_kcap(args, NULL, true), 0);
	load(path, &r);
	h = next_ev(&r, &cur, 0, "clone3", res_positive, NULL);
	ck_assert_msg((uint64_t)I(h, "flags") == WL_CLONE3_FLAGS,
		      "clone3 flags 0x%llx", (unsigned long long)I(h, "flags"));
	unload(&r);
}
END_TEST

/* Record `workload ARGS...` with -e events (and opts, NULL-ended) into r. */
static void record_workload(const char *name, const char *events,
			    const char *const *opts, const char *const *wl,
			    int status, struct recs *r)
{
	char path[512];
	const char *args[32];
	int k = 0;

	snprintf(path, sizeof(path), "%s/%s.kcap", tmpdir, name);
	args[k++] = "record";
	args[k++] = "-q";
	args[k++] = "-e";
	args[k++] = events;
	while (opts && *opts)
		args[k++] = *opts++;
	args[k++] = "-w";
	args[k++] = path;
	args[k++] = "--";
	args[k++] = WORKLOAD_BIN;
	while (*wl)
		args[k++] = *wl++;
	args[k] = NULL;
	ck_assert_int_eq(run_kcap(args, NULL, true), status);
	load(path, r);
}

static bool is_clone(const struct kcap_hdr *h)
{
	const char *n = name_of(h);

	return !strcmp(n, "clone") || !strcmp(n, "clone3") ||
	       !strcmp(n, "fork") || !strcmp(n, "vfork");
}

/*
 * In a pid namespace, a clone's result is the child's number there; its
 * record's child_tid and child_pid are the host's, as every other id is:
 * the tid of the child's own records, and for a thread (pthread_create:
 * clone3 with CLONE_THREAD) the caller's process.
 */
START_TEST(test_clones_in_a_pid_namespace_name_the_child_by_its_host_ids)
{
	const char *wl[] = { "pidns", NULL };
	int parents = 0, threads = 0;
	struct recs r;
	size_t i, j;

	record_workload("pidns", "clone,clone3,fork,vfork,execve", NULL, wl, 0,
			&r);
	for (i = 0; i < r.n; i++) {
		const struct kcap_hdr *h = r.v[i], *c = NULL;
		int64_t ctid;

		if (!is_event(&r, i) || !is_clone(h) || I(h, "res") <= 0)
			continue;
		parents++;
		ctid = I(h, "child_tid");
		/* the child's own return from the same call */
		for (j = 0; j < r.n && !c; j++)
			if (is_event(&r, j) && r.v[j]->type == h->type &&
			    (int64_t)r.v[j]->tid == ctid && !I(r.v[j], "res"))
				c = r.v[j];
		ck_assert_msg(c, "%s = %lld: no record of child_tid %lld",
			      name_of(h), (long long)I(h, "res"),
			      (long long)ctid);
		ck_assert_int_eq(I(h, "child_pid"), I(c, "tgid"));
		if (known(h, "flags") && (I(h, "flags") & CLONE_THREAD)) {
			threads++;
			ck_assert_int_eq(I(h, "child_pid"), I(h, "tgid"));
		} else {
			ck_assert_int_eq(I(h, "child_pid"), ctid);
		}
	}
	/* the init, its child and its thread */
	ck_assert_int_ge(parents, 3);
	ck_assert_int_eq(threads, 1);
	unload(&r);
}
END_TEST

/*
 * A process group made outside the task's pid namespace has no number in
 * it: vpgid is 0 there, as getpgid() would say.
 */
START_TEST(test_vpgid_is_0_for_a_group_outside_the_tasks_pid_namespace)
{
	const char *wl[] = { "pidns", NULL };
	const char *arg[2] = { "filename", WL_EXEC_PATH };
	const struct kcap_hdr *h;
	struct recs r;
	size_t cur = 0;

	record_workload("vpgid", "execve", NULL, wl, 0, &r);
	h = next_ev(&r, &cur, 0, "execve", path_ends, arg);
	ck_assert_int_eq(I(h, "res"), 0);
	ck_assert_int_eq(I(h, "vpid"), 2);
	ck_assert_int_eq(I(h, "vpgid"), 0);
	ck_assert_int_gt(I(h, "pgid"), 0);
	unload(&r);
}
END_TEST

/*
 * recv* keep no byte past the room the caller gave: with MSG_TRUNC
 * recvfrom returns the datagram's length, and at exit *addrlen and
 * msg_namelen hold the sender's full address length. With either entry
 * probe.
 */
START_TEST(test_recv_data_and_addresses_stop_at_the_room_the_caller_gave)
{
	const char *probes[] = { "syscalls", "sys_enter" };
	const char *wl[] = { "reviewed", tmpdir, NULL };
	const char *opts[] = { "--entry-probe", probes[_i], NULL };
	char want[WL_TRUNC_BUF];
	struct sockaddr_un b = { .sun_family = AF_UNIX };
	const struct kcap_hdr *h;
	struct recs r;
	size_t cur = 0;

	memset(want, 'x', sizeof(want));
	ck_assert_msg(snprintf(b.sun_path, sizeof(b.sun_path),
			       "%s/" WL_SENDER_SOCK,
			       tmpdir) < (int)sizeof(b.sun_path),
		      "%s is too long for a socket path", tmpdir);
	record_workload("recv", "recvfrom,recvmsg", opts, wl, 0, &r);
	h = next_ev(&r, &cur, 0, "recvfrom", NULL, NULL);
	ck_assert_int_eq(I(h, "res"), WL_TRUNC_LEN);
	ck_assert_msg(var_is(h, "data", want, WL_TRUNC_BUF),
		      "MSG_TRUNC: the buffer's bytes only");
	h = next_ev(&r, &cur, 0, "recvfrom", NULL, NULL);
	ck_assert_int_eq(I(h, "res"), 2);
	ck_assert_msg(var_is(h, "addr", &b, sizeof(struct sockaddr)),
		      "recvfrom: the sockaddr's bytes only");
	h = next_ev(&r, &cur, 0, "recvmsg", NULL, NULL);
	ck_assert_int_eq(I(h, "res"), 2);
	ck_assert_msg(var_is(h, "addr", &b, sizeof(struct sockaddr)),
		      "recvmsg: the sockaddr's bytes only");
	unload(&r);
}
END_TEST

/* getcwd's result counts the NUL: the path is whole, not marked cut. */
START_TEST(test_getcwd_records_the_whole_path_not_marked_cut)
{
	const char *wl[] = { "reviewed", tmpdir, NULL };
	const struct kcap_hdr *h;
	struct recs r;
	size_t cur = 0;

	record_workload("getcwd", "getcwd", NULL, wl, 0, &r);
	h = next_ev(&r, &cur, 0, "getcwd", NULL, NULL);
	ck_assert_int_eq(I(h, "res"), strlen(tmpdir) + 1);
	ck_assert_msg(str_is(h, "path", tmpdir), "getcwd path");
	ck_assert(!cut(h, "path"));
	unload(&r);
}
END_TEST

static bool res_zero(const struct kcap_hdr *h, const void *arg)
{
	(void)arg;
	return I(h, "res") == 0;
}

/*
 * A read at EOF has data, empty, whether its record is built in the ring
 * (snaplen up to 256) or by the interpreter.
 */
START_TEST(test_a_read_at_eof_has_empty_data_at_every_snaplen)
{
	const char *wl[] = { "reviewed", tmpdir, NULL };
	const char *snaps[] = { "80", "1000" };
	unsigned int k;

	for (k = 0; k < 2; k++) {
		const char *opts[] = { "-s", snaps[k], NULL };
		const struct kcap_hdr *h;
		struct recs r;
		size_t cur = 0;
		ssize_t l;

		record_workload("eof", "read", opts, wl, 0, &r);
		h = next_ev(&r, &cur, 0, "read", res_zero, NULL);
		V(h, "data", &l);
		ck_assert_msg(l == 0, "-s %s: data of %zd bytes", snaps[k], l);
		unload(&r);
	}
}
END_TEST

/*
 * A successful execveat is recorded with the filename it was given, not
 * the "/dev/fd/N/NAME" the kernel makes of it.
 */
START_TEST(test_execveat_records_the_filename_it_was_given)
{
	const char *wl[] = { "reviewed", tmpdir, NULL };
	const struct kcap_hdr *h;
	struct recs r;
	size_t cur = 0;

	record_workload("execveat", "execveat", NULL, wl, 0, &r);
	h = next_ev(&r, &cur, 0, "execveat", NULL, NULL);
	ck_assert_int_eq(I(h, "res"), 0);
	ck_assert_msg(str_is(h, "filename", WL_EXECAT_NAME),
		      "execveat filename");
	unload(&r);
}
END_TEST

static bool sig_is(const struct kcap_hdr *h, const void *arg)
{
	return I(h, "sig") == *(const int *)arg;
}

/*
 * signaldeliver's spid is the sender where the siginfo has one (a kill,
 * a child's SIGCHLD), unknown for a fault, whose siginfo holds an address
 * there.
 */
START_TEST(test_signaldeliver_names_a_sender_only_where_the_siginfo_has_one)
{
	const char *wl[] = { "reviewed", tmpdir, NULL };
	const int segv = SIGSEGV, usr1 = SIGUSR1, chld = SIGCHLD;
	const struct kcap_hdr *h, *f = NULL;
	struct recs r;
	size_t cur = 0, i;
	int tid;

	record_workload("signals", "fork,clone", NULL, wl, 0, &r);
	h = next_ev(&r, &cur, 0, "signaldeliver", sig_is, &segv);
	tid = h->tid;
	ck_assert_msg(!known(h, "spid"), "SIGSEGV spid %lld",
		      (long long)I(h, "spid"));
	h = next_ev(&r, &cur, tid, "signaldeliver", sig_is, &usr1);
	ck_assert_int_eq(I(h, "spid"), tid);
	cur = 0;
	for (i = 0; i < r.n && !f; i++)
		if (is_event(&r, i) && (int)r.v[i]->tid == tid &&
		    is_clone(r.v[i]) && I(r.v[i], "res") > 0)
			f = r.v[i];
	ck_assert_ptr_nonnull(f);
	h = next_ev(&r, &cur, tid, "signaldeliver", sig_is, &chld);
	ck_assert_int_eq(I(h, "spid"), I(f, "res"));
	unload(&r);
}
END_TEST

/*
 * With -- CMD, kcap's child waits for a byte on a pipe before its exec:
 * that read is kcap's, and is not in the file.
 */
START_TEST(test_the_read_that_releases_the_command_is_not_recorded)
{
	const char *wl[] = { "clone3", NULL };
	struct recs r;
	size_t i;

	record_workload("release", "read", NULL, wl, 0, &r);
	for (i = 0; i < r.n; i++) {
		const struct kcap_hdr *h = r.v[i];

		if (!is_event(&r, i) || strcmp(name_of(h), "read"))
			continue;
		ck_assert_msg(!(I(h, "size") == 1 && var_is(h, "data", "g", 1)),
			      "kcap's release read recorded as tid %u's",
			      h->tid);
	}
	unload(&r);
}
END_TEST

/*
 * Unix socket addresses are read from the socket of an fd: connect's peer
 * and accept's local address are the path the server bound.
 */
START_TEST(test_unix_socket_addresses_are_read_from_the_fd)
{
	char path[512], want[sizeof(struct sockaddr_un)];
	const char *args[] = { "record", "-q",	 "-e", "connect,accept",
			       "-w",	 path,	 "--", WORKLOAD_BIN,
			       "unix",	 tmpdir, NULL };
	const struct kcap_hdr *h;
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	struct recs r;
	size_t cur = 0, len;

	ck_assert_msg(snprintf(a.sun_path, sizeof(a.sun_path),
			       "%s/" WL_UNIX_SOCK,
			       tmpdir) < (int)sizeof(a.sun_path),
		      "%s is too long for a socket path", tmpdir);
	/* the family, the path and its NUL, as the kernel keeps the name */
	len = offsetof(struct sockaddr_un, sun_path) + strlen(a.sun_path) + 1;
	memcpy(want, &a, len);
	snprintf(path, sizeof(path), "%s/unix.kcap", tmpdir);
	ck_assert_int_eq(run_kcap(args, NULL, true), 0);
	load(path, &r);
	h = next_ev(&r, &cur, 0, "connect", NULL, NULL);
	ck_assert_int_eq(I(h, "res"), 0);
	ck_assert_msg(var_is(h, "raddr", want, len), "connect raddr");
	h = next_ev(&r, &cur, 0, "accept", res_positive, NULL);
	ck_assert_msg(var_is(h, "laddr", want, len), "accept laddr");
	unload(&r);
}
END_TEST

static bool is_syscall_event(const struct kcap_hdr *h)
{
	const struct kcap_event_desc *d = kcap_schema__event(S(), h->type);

	return d && (d->flags & KCAP_EF_SYSCALL);
}

START_TEST(test_t_records_how_long_each_syscall_took)
{
	static const int64_t wait4_nr = SYS_wait4;
	const int64_t sleep_ns = WL_SLEEP_MS * 1000000LL;
	const int64_t wait_ns = WL_READ_WAIT_MS * 1000000LL;
	char path[512], path_t[512];
	const char *args[] = { "record", "-q",	       "-w",	path,
			       "--",	 WORKLOAD_BIN, "times", NULL };
	const char *args_t[] = { "record", "-q",	 "-T",	  "-w", path_t,
				 "--",	   WORKLOAD_BIN, "times", NULL };
	const struct kcap_hdr *h;
	struct recs r;
	size_t cur = 0, i, j, timed = 0;
	int wl, child = 0;

	snprintf(path, sizeof(path), "%s/times.kcap", tmpdir);
	snprintf(path_t, sizeof(path_t), "%s/times-T.kcap", tmpdir);

	/* Without -T, no syscall event says how long it took. */
	ck_assert_int_eq(run_kcap(args, NULL, true), 0);
	load(path, &r);
	for (i = 0; i < r.n; i++)
		if (is_event(&r, i) && is_syscall_event(r.v[i]))
			ck_assert_msg(!known(r.v[i], "dur"),
				      "%s has a dur without -T",
				      name_of(r.v[i]));
	unload(&r);

	ck_assert_int_eq(run_kcap(args_t, NULL, true), 0);
	load(path_t, &r);
	wl = workload_tid(&r);
	/* an event of integers only, built in the ring */
	h = next_ev(&r, &cur, wl, "nanosleep", NULL, NULL);
	ck_assert_int_ge(I(h, "dur"), sleep_ns);
	ck_assert_int_lt(I(h, "dur"), 10 * sleep_ns);
	/* the fork's child: its first return had no entry */
	h = next_ev(&r, &cur, wl, "clone", NULL, NULL);
	ck_assert(known(h, "dur"));
	child = I(h, "res");
	for (i = 0; i < r.n; i++)
		if (is_event(&r, i) && (int)r.v[i]->tid == child &&
		    !strcmp(name_of(r.v[i]), "clone")) {
			ck_assert_msg(
				!known(r.v[i], "dur"),
				"the child's return from clone has a dur");
			break;
		}
	ck_assert_msg(i < r.n, "no clone return of the child %d", child);
	/* a buffer event, built in the ring: waits for the child's write */
	h = next_ev(&r, &cur, wl, "read", res_positive, NULL);
	ck_assert_int_ge(I(h, "dur"), wait_ns);
	ck_assert_int_lt(I(h, "dur"), 100 * wait_ns);
	/* the generic event (wait4 has no event of its own) */
	h = next_ev(&r, &cur, wl, "syscall", nr_is, &wait4_nr);
	ck_assert_int_eq(I(h, "res"), child);
	ck_assert(known(h, "dur"));
	/* a path event, and one filled by the interpreter */
	h = next_ev(&r, &cur, wl, "openat", res_positive, NULL);
	ck_assert(known(h, "dur"));
	/* it exits as execve: the time is still its entry's */
	h = next_ev(&r, &cur, wl, "execveat", NULL, NULL);
	ck_assert_int_eq(I(h, "res"), 0);
	ck_assert(known(h, "dur"));
	/*
	 * A syscall entered after its thread's previous one left, and its
	 * record is stamped after it left: its duration is at most the time
	 * between the two records.
	 */
	for (i = 0; i < r.n; i++) {
		if (!is_event(&r, i) || !is_syscall_event(r.v[i]) ||
		    !known(r.v[i], "dur"))
			continue;
		timed++;
		ck_assert_int_gt(I(r.v[i], "dur"), 0);
		for (j = i + 1; j < r.n; j++)
			if (is_event(&r, j) && is_syscall_event(r.v[j]) &&
			    r.v[j]->tid == r.v[i]->tid)
				break;
		if (j < r.n && known(r.v[j], "dur"))
			ck_assert_msg(
				(uint64_t)I(r.v[j], "dur") <=
					r.v[j]->ts - r.v[i]->ts,
				"%s took %lld ns, but came %llu ns after "
				"its thread's %s",
				name_of(r.v[j]), (long long)I(r.v[j], "dur"),
				(unsigned long long)(r.v[j]->ts - r.v[i]->ts),
				name_of(r.v[i]));
	}
	ck_assert_uint_gt(timed, 20);
	unload(&r);
}
END_TEST

/*
 * An exec from a second thread: the leader exits, and the exec'ing thread
 * goes on under the leader's tid. With -- CMD (the pid filter), the new
 * image's events are recorded all the same.
 */
START_TEST(test_an_exec_from_a_second_thread_stays_recorded)
{
	char path[512];
	const char *args[] = { "record",     "-q",	"-w",	path, "--",
			       WORKLOAD_BIN, "threxec", "5000", NULL };
	struct recs r;
	pid_t pid;

	snprintf(path, sizeof(path), "%s/threxec.kcap", tmpdir);
	ck_assert_int_eq(run_kcap(args, &pid, true), 0);
	load(path, &r);
	/* the burst runs in the new image, under the leader's tid */
	ck_assert_uint_eq(count_events(&r, KCAP_EV_flock, 0), 5000);
	ck_assert_uint_eq(count_events(&r, KCAP_EV_flock, workload_tid(&r)),
			  5000);
	unload(&r);
}
END_TEST

static void sleep_ms(int ms);

/*
 * -M stops the recording, not CMD: the file is closed (index, footer)
 * at once, and kcap goes on waiting for CMD, through the signals it
 * takes meanwhile (a SIGUSR1 made it exit 0 and leave CMD running).
 */
/* Whether path reads to its footer. */
static bool closed_file(const char *path)
{
	struct kcap_reader *r = kcap_reader__open(path, NULL);
	struct kcap_read_status rs;
	struct kcap_block b;

	if (!r)
		return false;
	while (kcap_reader__next_block(r, &b) != 0)
		;
	kcap_reader__status(r, &rs);
	kcap_reader__close(r);
	return rs.end == KCAP_END_COMPLETE;
}

START_TEST(test_kcap_closes_the_file_then_waits_for_the_command_through_signals)
{
	char path[512];
	const char *args[] = { "record", "-q", "-M", "0.3", "-w",
			       path,	 "--", "sh", "-c",  "sleep 30; exit 4",
			       NULL };
	pid_t pid;
	int st, i;

	snprintf(path, sizeof(path), "%s/waits.kcap", tmpdir);
	ck_assert_int_eq(run_kcap(args, &pid, false), 0);
	/* closed while CMD runs on: -M ended the recording, not CMD */
	for (i = 0; i < 200 && !closed_file(path); i++)
		sleep_ms(100);
	ck_assert_msg(closed_file(path), "no footer while CMD runs");
	ck_assert_int_eq(waitpid(pid, &st, WNOHANG), 0);
	/* a SIGUSR1 (statistics) does not end the wait */
	ck_assert_int_eq(kill(pid, SIGUSR1), 0);
	sleep_ms(300);
	ck_assert_int_eq(waitpid(pid, &st, WNOHANG), 0);
	/* a SIGTERM to kcap alone is passed to CMD, whose status kcap gives */
	ck_assert_int_eq(kill(pid, SIGTERM), 0);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 128 + SIGTERM,
		      "status %#x", st);
}
END_TEST

/* --cgroup takes a cgroup v2 directory: any other matches no task. */
START_TEST(test_a_cgroup_path_that_is_not_cgroup_v2_is_refused)
{
	char path[512];
	const char *args[] = { "record", "-q", "-w",   path, "--cgroup",
			       tmpdir,	 "--", "true", NULL };

	snprintf(path, sizeof(path), "%s/nocg.kcap", tmpdir);
	ck_assert_int_eq(run_kcap(args, NULL, true), 1);
	args[5] = "/etc/passwd";
	ck_assert_int_eq(run_kcap(args, NULL, true), 1);
}
END_TEST

/* A path kcap cannot write to stays as it was: a device is not removed. */
START_TEST(test_an_output_that_fails_at_once_is_left_as_it_was)
{
	char path[512];
	const char *args[] = { "record", "-q", "-w", path, "--", "true", NULL };
	struct stat st;
	int fd;

	snprintf(path, sizeof(path), "%s/full", tmpdir);
	/* /dev/full: every write fails with ENOSPC */
	if (mknod(path, S_IFCHR | 0666, makedev(1, 7)) ||
	    (fd = open(path, O_WRONLY)) < 0) {
		printf("%s: SKIPPED: no device node to write to here: %s\n",
		       __func__, strerror(errno));
		unlink(path);
		return;
	}
	close(fd);
	ck_assert_int_eq(run_kcap(args, NULL, true), 1);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert(S_ISCHR(st.st_mode));
	unlink(path);
}
END_TEST

START_TEST(test_c_stops_after_n_events)
{
	char path[512];
	const char *args[] = { "record", "-q",	 "-c", "25",
			       "-w",	 path,	 "--", WORKLOAD_BIN,
			       "full",	 tmpdir, NULL };
	struct recs r;
	size_t i, n = 0;

	snprintf(path, sizeof(path), "%s/count.kcap", tmpdir);
	ck_assert_int_eq(run_kcap(args, NULL, true), WL_EXIT);
	load(path, &r);
	for (i = 0; i < r.n; i++)
		n += is_event(&r, i);
	ck_assert_uint_eq(n, 25);
	ck_assert_int_eq(r.end, KCAP_END_COMPLETE);
	unload(&r);
}
END_TEST

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/*
 * Wait until path holds at least n events of type (what a reader sees
 * of it so far), up to 20 s: startup time varies with the machine's load.
 */
/* Whether the file at path holds n events of type yet. */
static bool has_events(const char *path, unsigned int type, uint64_t n)
{
	struct kcap_reader *rd = kcap_reader__open(path, NULL);
	const struct kcap_hdr *h;
	uint64_t k = 0;

	if (rd) {
		while (kcap_reader__next_record(rd, &h) > 0)
			k += kcap_reader__block(rd)->type ==
				     KCAP_BLOCK_EVENTS &&
			     h->type == type;
		kcap_reader__close(rd);
	}
	return k >= n;
}

static bool wait_events(const char *path, unsigned int type, uint64_t n)
{
	int i;

	for (i = 0; i < 200; i++) {
		if (has_events(path, type, n))
			return true;
		sleep_ms(100);
	}
	return false;
}

START_TEST(test_sigkill_mid_capture_leaves_a_file_readable_to_its_last_block)
{
	char path[512];
	const char *args[] = { "record", "-q", "--flush-ms", "100",  "-w",
			       path,	 "--", WORKLOAD_BIN, "slow", NULL };
	struct recs r;
	pid_t pid;
	int st;

	snprintf(path, sizeof(path), "%s/killed.kcap", tmpdir);
	ck_assert_int_eq(run_kcap(args, &pid, false), 0);
	ck_assert(wait_events(path, KCAP_EV_flock, 4));
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	/* The orphaned workload notices and exits by itself. */
	load(path, &r);
	ck_assert_msg(r.end == KCAP_END_NO_FOOTER ||
			      r.end == KCAP_END_TRUNCATED,
		      "end %d", r.end);
	ck_assert_int_eq(r.corrupt, 0);
	ck_assert_uint_ge(count_events(&r, KCAP_EV_flock, 0), 4);
	unload(&r);
}
END_TEST

START_TEST(test_sigint_stops_cleanly_and_closes_the_file)
{
	char path[512];
	const char *args[] = { "record", "-q",	       "-w",   path,
			       "--",	 WORKLOAD_BIN, "slow", NULL };
	struct recs r;
	pid_t pid;
	int st;

	snprintf(path, sizeof(path), "%s/int.kcap", tmpdir);
	ck_assert_int_eq(run_kcap(args, &pid, false), 0);
	ck_assert(wait_events(path, KCAP_EV_flock, 4));
	kill(pid, SIGINT);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	/* The workload got the SIGINT too: 128 + 2. */
	ck_assert(WIFEXITED(st));
	ck_assert_int_eq(WEXITSTATUS(st), 130);
	load(path, &r);
	ck_assert_int_eq(r.end, KCAP_END_COMPLETE);
	ck_assert_uint_gt(count_events(&r, KCAP_EV_flock, 0), 3);
	unload(&r);
}
END_TEST

START_TEST(test_sigusr2_writes_everything_buffered_at_once)
{
	char path[512];
	const char *args[] = { "record", "-q", "--flush-ms", "60000", "-w",
			       path,	 "--", WORKLOAD_BIN, "slow",  NULL };
	struct recs r;
	pid_t pid;
	int i, st;

	snprintf(path, sizeof(path), "%s/usr2.kcap", tmpdir);
	ck_assert_int_eq(run_kcap(args, &pid, false), 0);
	/*
	 * A minute's flush interval: without SIGUSR2 no event reaches the
	 * file during this test.
	 */
	for (i = 0; i < 100; i++) {
		sleep_ms(200);
		/* The file exists once kcap handles signals (SIGUSR2 kills). */
		if (access(path, F_OK))
			continue;
		kill(pid, SIGUSR2);
		sleep_ms(50);
		load(path, &r);
		if (count_events(&r, KCAP_EV_flock, 0) >= 2)
			break;
		unload(&r);
	}
	ck_assert_msg(i < 100, "SIGUSR2 wrote no events in 20 s");
	ck_assert_int_eq(r.corrupt, 0);
	unload(&r);
	kill(pid, SIGTERM);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
}
END_TEST

static int block_codec(const char *path)
{
	struct kcap_reader *rd = kcap_reader__open(path, NULL);
	struct kcap_block b;
	int codec = -1;

	ck_assert_ptr_nonnull(rd);
	while (kcap_reader__next_block(rd, &b) > 0)
		if (b.type == KCAP_BLOCK_EVENTS)
			codec = b.codec;
	kcap_reader__close(rd);
	return codec;
}

START_TEST(test_each_codec_and_stdout_give_readable_files)
{
	static const struct {
		const char *arg;
		int codec;
	} codecs[] = { { "lz4", KCAP_CODEC_LZ4 },
		       { "none", KCAP_CODEC_NONE },
		       { "zstd:5", KCAP_CODEC_ZSTD } };
	char path[512];
	struct recs r;
	size_t i;

	snprintf(path, sizeof(path), "%s/codec.kcap", tmpdir);
	for (i = 0; i < sizeof(codecs) / sizeof(codecs[0]); i++) {
		const char *args[] = { "record", "-q",	 "-z", codecs[i].arg,
				       "-w",	 path,	 "--", WORKLOAD_BIN,
				       "full",	 tmpdir, NULL };

		ck_assert_int_eq(run_kcap(args, NULL, true), WL_EXIT);
		ck_assert_int_eq(block_codec(path), codecs[i].codec);
		load(path, &r);
		ck_assert_int_eq(r.end, KCAP_END_COMPLETE);
		ck_assert_uint_gt(count_events(&r, KCAP_EV_rename, 0), 0);
		unload(&r);
	}
	{
		/* -w -: the capture on stdout, read back from a file. */
		int fd = open(path, O_WRONLY | O_TRUNC | O_CREAT, 0644), saved;
		const char *args[] = { "record",     "-q",   "-w",   "-", "--",
				       WORKLOAD_BIN, "full", tmpdir, NULL };

		ck_assert_int_ge(fd, 0);
		saved = dup(1);
		dup2(fd, 1);
		close(fd);
		ck_assert_int_eq(run_kcap(args, NULL, true), WL_EXIT);
		dup2(saved, 1);
		close(saved);
		load(path, &r);
		ck_assert_int_eq(r.end, KCAP_END_COMPLETE);
		ck_assert_uint_gt(count_events(&r, KCAP_EV_rename, 0), 0);
		unload(&r);
	}
}
END_TEST

/*
 * -z zstd-cols: every EVENTS block big enough to be worth it goes into
 * columns, which it does only when the recorder's records are canonical
 * (FORMAT.md 5.1: var values packed in field order, padding zero), and
 * the events read back.
 */
START_TEST(test_records_go_into_columns_with_zstd_cols)
{
	char path[512];
	const char *args[] = { "record", "-q",	 "-z", "zstd-cols",
			       "-w",	 path,	 "--", WORKLOAD_BIN,
			       "full",	 tmpdir, NULL };
	const char *burst[] = { "record",  "-q",    "-z", "zstd-cols",
				"-w",	   path,    "--", WORKLOAD_BIN,
				"ioburst", "20000", NULL };
	struct kcap_reader *rd;
	struct kcap_block b;
	struct recs r;
	unsigned int cols = 0, big_plain = 0;

	snprintf(path, sizeof(path), "%s/cols.kcap", tmpdir);
	ck_assert_int_eq(run_kcap(args, NULL, true), WL_EXIT);
	load(path, &r);
	ck_assert_int_eq(r.end, KCAP_END_COMPLETE);
	ck_assert_uint_gt(count_events(&r, KCAP_EV_rename, 0), 0);
	unload(&r);

	ck_assert_int_eq(run_kcap(burst, NULL, true), 0);
	rd = kcap_reader__open(path, NULL);
	ck_assert_ptr_nonnull(rd);
	while (kcap_reader__next_block(rd, &b) > 0) {
		if (b.type != KCAP_BLOCK_EVENTS)
			continue;
		if (b.codec == KCAP_CODEC_ZSTD_COLS)
			cols++;
		else if (b.raw_len >= 16384)
			big_plain++;
	}
	kcap_reader__close(rd);
	ck_assert_uint_gt(cols, 0);
	ck_assert_uint_eq(big_plain, 0);
	load(path, &r);
	ck_assert_int_eq(r.end, KCAP_END_COMPLETE);
	ck_assert_uint_ge(count_events(&r, KCAP_EV_write, 0), 20000);
	unload(&r);
}
END_TEST

START_TEST(test_low_latency_mode_reports_delivery_times)
{
	char path[512], json[512];
	const char *args[] = { "record",       "-q",   "--low-latency",
			       "--stats-json", json,   "-w",
			       path,	       "--",   WORKLOAD_BIN,
			       "full",	       tmpdir, NULL };
	double p99;

	snprintf(path, sizeof(path), "%s/lowlat.kcap", tmpdir);
	snprintf(json, sizeof(json), "%s/lowlat.json", tmpdir);
	ck_assert_int_eq(run_kcap(args, NULL, true), WL_EXIT);
	/* -1: absent, or no delivery times taken */
	p99 = json_num(json, "delivery_us_p99");
	/* Woken per event: well under the 200 ms poll interval. */
	ck_assert_double_ge(p99, 0);
	ck_assert_double_lt(p99, 100000);
	/* The workload's exec of a known binary is timed on its own too. */
	p99 = json_num(json, "delivery_exec_us_p99");
	ck_assert_double_ge(p99, 0);
	ck_assert_double_lt(p99, 100000);
}
END_TEST

/*
 * --low-latency: while kcap polls, the BPF side submits without wakeups;
 * once kcap stops polling (5 ms after the last record) and sleeps, a
 * record must wake it again. A shell runs /bin/true after each of ten
 * 100 ms pauses, each of which finds kcap asleep; with -p and a 5 s
 * --flush-ms, nothing else wakes it, and a record left without its
 * wakeup waits for a poll timeout (10 ms or more, the histogram's cap,
 * for every exec when kcap never sent one). Woken, the execs' median is
 * under 1 ms here.
 */
static void wait_snapshot(const char *path);

START_TEST(test_low_latency_mode_wakes_a_reader_that_went_to_sleep)
{
	char path[512], json[512], pbuf[32], mark[512], script[1024];
	const char *args[] = { "record",       "-q",   "--low-latency",
			       "--flush-ms",   "5000", "-p",
			       pbuf,	       "-w",   path,
			       "--stats-json", json,   NULL };
	double p50;
	pid_t x, k;
	int st;

	snprintf(path, sizeof(path), "%s/llwake.kcap", tmpdir);
	snprintf(json, sizeof(json), "%s/llwake.json", tmpdir);
	snprintf(mark, sizeof(mark), "%s/llwake.go", tmpdir);
	unlink(mark);
	/* the execs start once kcap has written its snapshot */
	snprintf(script, sizeof(script),
		 "while [ ! -e '%s' ]; do sleep 0.05; done; "
		 "for i in 1 2 3 4 5 6 7 8 9 10; do sleep 0.1; /bin/true; done",
		 mark);
	x = fork();
	ck_assert_int_ge(x, 0);
	if (!x) {
		execl("/bin/sh", "sh", "-c", script, (char *)NULL);
		_exit(127);
	}
	snprintf(pbuf, sizeof(pbuf), "%d", (int)x);
	ck_assert_int_eq(run_kcap(args, &k, false), 0);
	wait_snapshot(path);
	close(open(mark, O_WRONLY | O_CREAT, 0600));
	ck_assert_int_eq(waitpid(k, &st, 0), k);
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "status %#x", st);
	ck_assert_int_eq(waitpid(x, &st, 0), x);
	p50 = json_num(json, "delivery_exec_us_p50");
	ck_assert_msg(p50 >= 0, "no exec was timed");
	ck_assert_msg(p50 < 5000, "execs after a pause arrived %.0f us late",
		      p50);
}
END_TEST

/*
 * --low-latency's ring is small unless -B says otherwise: a large one
 * made the producer write pages it had not touched for a while, which
 * cost the records there their microseconds (see LL_DEFAULT_RING). The
 * default mode keeps its 8 MiB, which takes bursts without loss.
 */
START_TEST(test_low_latency_mode_uses_a_small_ring_unless_B_sets_one)
{
	char path[512], json[512];
	const char *plain[] = { "record", "-q", "--stats-json", json, "-w",
				path,	  "--", "/bin/true",	NULL };
	const char *ll[] = { "record",
			     "-q",
			     "--low-latency",
			     "--stats-json",
			     json,
			     "-w",
			     path,
			     "--",
			     "/bin/true",
			     NULL };
	const char *ll_b[] = { "record", "-q",	      "--low-latency",
			       "-B",	 "1m",	      "--stats-json",
			       json,	 "-w",	      path,
			       "--",	 "/bin/true", NULL };

	snprintf(path, sizeof(path), "%s/llring.kcap", tmpdir);
	snprintf(json, sizeof(json), "%s/llring.json", tmpdir);
	ck_assert_int_eq(run_kcap(plain, NULL, true), 0);
	ck_assert_double_eq(json_num(json, "ring_bytes"), 8 << 20);
	ck_assert_int_eq(run_kcap(ll, NULL, true), 0);
	ck_assert_double_eq(json_num(json, "ring_bytes"), 256 << 10);
	ck_assert_int_eq(run_kcap(ll_b, NULL, true), 0);
	ck_assert_double_eq(json_num(json, "ring_bytes"), 1 << 20);
}
END_TEST

/*
 * --low-latency polls the ring while records come, and must go back to
 * sleep once they stop. kcap records `sleep 4`; from 2.5 s on (start-up,
 * BPF loading included, is over even under ASan) nothing happens, and in
 * the second after that kcap must use a small part of a CPU, where a
 * reader that kept polling would use all of one.
 */
START_TEST(test_low_latency_mode_stops_polling_when_events_stop)
{
	char path[512], pidstr[32];
	const char *args[] = { "record",     "-q", "--low-latency",
			       "-w",	     path, "--",
			       "/bin/sleep", "4",  NULL };
	unsigned long long t0, t1;
	long hz = sysconf(_SC_CLK_TCK);
	double cpu;
	pid_t pid;
	int st;

	snprintf(path, sizeof(path), "%s/lowlat-idle.kcap", tmpdir);
	ck_assert_int_eq(run_kcap(args, &pid, false), 0);
	snprintf(pidstr, sizeof(pidstr), "%d", (int)pid);
	sleep_ms(2500);
	/* utime + stime of all of kcap's threads, in clock ticks */
	t0 = stat_field(pidstr, 14) + stat_field(pidstr, 15);
	sleep_ms(1000);
	t1 = stat_field(pidstr, 14) + stat_field(pidstr, 15);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	cpu = (double)(t1 - t0) / (double)hz;
	ck_assert_msg(cpu < 0.3, "kcap used %.2f s of CPU in 1 s of quiet",
		      cpu);
}
END_TEST

/* --low-latency's moves need two cores; else the test says it skips. */
static bool two_cores(const char *test, const char *why)
{
	cpu_set_t m;

	if (!sched_getaffinity(0, sizeof(m), &m) && CPU_COUNT(&m) >= 2)
		return true;
	printf("%s: SKIPPED: %s\n", test, why);
	return false;
}

/* The first two cores this process may use, as a mask and as numbers. */
static void first_two(cpu_set_t *two, int cpu[2])
{
	cpu_set_t was;
	int c, n = 0;

	CPU_ZERO(two);
	if (sched_getaffinity(0, sizeof(was), &was))
		return;
	for (c = 0; c < CPU_SETSIZE && n < 2; c++)
		if (CPU_ISSET(c, &was)) {
			CPU_SET(c, two);
			cpu[n++] = c;
		}
}

/*
 * --low-latency: a recorded process that runs on the core where kcap polls
 * the ring delays its own records (the scheduler leaves a thread that
 * never sleeps where it is), so kcap must move off that core. `workload
 * chase` keeps moving to the core kcap last ran on and makes syscalls
 * there, for 1.5 s. With -C, the files' writer threads start while kcap
 * has left a core; they must not stay held to the others (the workload
 * checks, and exits 3 if one is).
 */
START_TEST(test_low_latency_polling_leaves_a_core_that_a_recorded_process_shares)
{
	char path[512], json[512];
	const char *args[] = { "record", "-q",		 "--low-latency",
			       "-C",	 "256k",	 "-w",
			       path,	 "--stats-json", json,
			       "--",	 WORKLOAD_BIN,	 "chase",
			       NULL };

	if (!two_cores(__func__, "needs two cores to move between"))
		return;
	snprintf(path, sizeof(path), "%s/chase.kcap", tmpdir);
	snprintf(json, sizeof(json), "%s/chase.json", tmpdir);
	ck_assert_int_eq(run_kcap(args, NULL, true), 0);
	ck_assert_double_ge(json_num(json, "reader_moves"), 1);
	/*
	 * The workload moves onto kcap's core while kcap polls there: kcap
	 * leaves as the move happens, before the workload has to wait.
	 */
	ck_assert_double_ge(json_num(json, "reader_moves_ahead"), 1);
}
END_TEST

/*
 * Two recorded processes, each held to its own core, sleep and wake again
 * and again: wherever kcap polls, one of them wakes there. No process
 * moves, so the polling thread sees them coming only through the wakeups.
 */
START_TEST(test_low_latency_polling_leaves_a_core_a_recorded_process_wakes_on)
{
	char path[512], json[512];
	const char *args[] = { "record", "-q", "--low-latency",
			       "-w",	 path, "--stats-json",
			       json,	 "--", WORKLOAD_BIN,
			       "wakers", NULL };

	cpu_set_t was, two;
	int c, cpu[2];

	if (!two_cores(__func__, "needs two cores to move between"))
		return;
	snprintf(path, sizeof(path), "%s/wakers.kcap", tmpdir);
	snprintf(json, sizeof(json), "%s/wakers.json", tmpdir);
	/*
	 * kcap and the workload on the same two cores: with a third, kcap
	 * would leave for it once and never meet the workload again.
	 */
	ck_assert_int_eq(sched_getaffinity(0, sizeof(was), &was), 0);
	first_two(&two, cpu);
	ck_assert_int_eq(sched_setaffinity(0, sizeof(two), &two), 0);
	c = run_kcap(args, NULL, true);
	ck_assert_int_eq(sched_setaffinity(0, sizeof(was), &was), 0);
	ck_assert_int_eq(c, 0);
	/*
	 * About one wakeup every 2 ms on each core for 1.5 s: hundreds of
	 * early moves. Without the wakeup programs, only the two processes'
	 * first moves to their cores (sched_migrate_task) could count.
	 */
	ck_assert_double_ge(json_num(json, "reader_moves_ahead"), 10);
	/*
	 * Arrivals within a millisecond of an early move are let be
	 * (LL_AHEAD_GAP_NS); those processes then make records on the
	 * polling core, and the records counters move kcap after the fact.
	 */
	ck_assert_double_gt(json_num(json, "reader_moves"),
			    json_num(json, "reader_moves_ahead"));
}
END_TEST

START_TEST(test_sigusr1_prints_statistics)
{
	char path[512], buf[8192];
	const char *argv[] = { KCAP_BIN, "record",     "-q",   "-w", path,
			       "--",	 WORKLOAD_BIN, "slow", NULL };
	ssize_t n, tot = 0;
	int err[2], st;
	pid_t pid;

	snprintf(path, sizeof(path), "%s/usr1.kcap", tmpdir);
	ck_assert_int_eq(pipe(err), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (!pid) {
		dup2(err[1], 2);
		execv(KCAP_BIN, (char *const *)argv);
		_exit(126);
	}
	close(err[1]);
	/*
	 * The file exists before the BPF load, which takes seconds on a
	 * busy machine; a SIGTERM before the poll loop stops kcap before
	 * it answers SIGUSR1. Its SNAPSHOT is written just before the loop.
	 */
	wait_snapshot(path);
	kill(pid, SIGUSR1);
	sleep_ms(300);
	kill(pid, SIGTERM);
	while ((n = read(err[0], buf + tot, sizeof(buf) - 1 - tot)) > 0)
		tot += n;
	buf[tot] = 0;
	close(err[0]);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	/* -q silences the summary, not what SIGUSR1 asks for. */
	ck_assert_msg(strstr(buf, "events in"), "no statistics in: %s", buf);
}
END_TEST

static uint64_t now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/*
 * What kcap record writes to stderr while it records `workload slow`, and
 * after a SIGINT sent once the file holds its first events and 1.5 s have
 * passed (start-up is slow under ASan; a SIGINT before the poll loop
 * starts would stop kcap before it prints a live line): stderr a terminal
 * (a pty in raw mode, so that no \n becomes \r\n) when tty, else a pipe.
 */
static void record_stderr(bool tty, bool quiet, char *buf, size_t cap)
{
	char path[512];
	const char *argv[10];
	struct termios tio;
	uint64_t t0 = now_ms();
	size_t tot = 0;
	bool sent = false;
	int rd, wr, st, i = 0;
	pid_t pid;

	argv[i++] = KCAP_BIN;
	argv[i++] = "record";
	if (quiet)
		argv[i++] = "-q";
	argv[i++] = "-w";
	argv[i++] = path;
	argv[i++] = "--";
	argv[i++] = WORKLOAD_BIN;
	argv[i++] = "slow";
	argv[i] = NULL;
	snprintf(path, sizeof(path), "%s/live.kcap", tmpdir);
	unlink(path); /* the last call's, whose events would count */
	if (tty) {
		ck_assert_int_eq(openpty(&rd, &wr, NULL, NULL, NULL), 0);
		ck_assert_int_eq(tcgetattr(wr, &tio), 0);
		cfmakeraw(&tio);
		ck_assert_int_eq(tcsetattr(wr, TCSANOW, &tio), 0);
	} else {
		int p[2];

		ck_assert_int_eq(pipe(p), 0);
		rd = p[0];
		wr = p[1];
	}
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (!pid) {
		dup2(wr, 2);
		close(wr);
		close(rd);
		execv(KCAP_BIN, (char *const *)argv);
		_exit(126);
	}
	close(wr);
	for (;;) {
		struct pollfd pf = { .fd = rd, .events = POLLIN };
		ssize_t n;

		if (!sent && now_ms() - t0 > 1500 &&
		    has_events(path, KCAP_EV_flock, 1)) {
			kill(pid, SIGINT);
			sent = true;
		}
		if (now_ms() - t0 > 60000) {
			kill(pid, SIGKILL);
			waitpid(pid, &st, 0);
			ck_abort_msg("kcap did not stop: %.*s", (int)tot, buf);
		}
		if (poll(&pf, 1, 100) <= 0)
			continue;
		n = read(rd, buf + tot, cap - 1 - tot);
		if (n <= 0)
			break; /* EOF, or EIO: a pty whose other end closed */
		tot += n;
	}
	buf[tot] = 0;
	close(rd);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert_msg(sent, "kcap stopped by itself");
}

START_TEST(test_live_statistics_go_to_a_terminal_and_q_silences_them)
{
	char buf[16384], *cr, *line;

	/* A terminal: lines rewritten in place, then the summary. */
	record_stderr(true, false, buf, sizeof(buf));
	cr = strchr(buf, '\r');
	ck_assert_msg(cr, "no live line in: %s", buf);
	*cr = 0;
	line = strstr(buf, "kcap record: ");
	ck_assert_msg(line, "live line: %s", buf);
	ck_assert_msg(strstr(line, " events in ") && strstr(line, "/s)") &&
			      strstr(line, " lost ") &&
			      strstr(line, " MB written") &&
			      strstr(line, "compression "),
		      "live line: %s", line);
	/* the summary: after the last live line, a line of its own */
	line = strrchr(cr + 1, '\r');
	line = line ? line + 1 : cr + 1;
	ck_assert_msg(strstr(line, "events in") &&
			      line[strlen(line) - 1] == '\n',
		      "no summary after the live lines: %s", line);

	/* -q: nothing at all. */
	record_stderr(true, true, buf, sizeof(buf));
	ck_assert_msg(!buf[0], "-q printed: %s", buf);

	/* Not a terminal: the summary only. */
	record_stderr(false, false, buf, sizeof(buf));
	ck_assert_msg(!strchr(buf, '\r'), "live line on a pipe: %s", buf);
	ck_assert_msg(strstr(buf, "events in"), "no summary: %s", buf);
}
END_TEST

START_TEST(test_the_recorder_never_records_itself)
{
	char path[512];
	const char *args[] = {
		"record", "-q", "-M",
		"1",	  "-e", "write,ppoll,epoll_wait,bpf,read,getppid",
		"-w",	  path, NULL
	};
	struct recs r;
	pid_t pid;
	size_t i;
	int st;

	snprintf(path, sizeof(path), "%s/self.kcap", tmpdir);
	ck_assert_int_eq(run_kcap(args, &pid, false), 0);
	/* Until it is attached and done: a syscall of ours it must see. */
	while (waitpid(pid, &st, WNOHANG) == 0) {
		getppid();
		sleep_ms(50);
	}
	ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	load(path, &r);
	for (i = 0; i < r.n; i++)
		if (is_event(&r, i))
			ck_assert_msg(r.v[i]->tid != (uint32_t)pid,
				      "recorded its own %s", name_of(r.v[i]));
	/* Others are recorded without a filter: this test's getppid. */
	ck_assert_uint_gt(count_events(&r, KCAP_EV_syscall, getpid()), 0);
	unload(&r);
}
END_TEST

static pid_t start_slow(void)
{
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (!pid) {
		execl(WORKLOAD_BIN, WORKLOAD_BIN, "slow", (char *)NULL);
		_exit(127);
	}
	return pid;
}

static void stop_slow(pid_t pid)
{
	int st;

	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
}

/* Every event in r is of a thread of process pid (and there are some). */
static void only_from(const struct recs *r, pid_t pid)
{
	size_t i, n = 0;

	for (i = 0; i < r->n; i++) {
		if (!is_event(r, i))
			continue;
		ck_assert_msg(r->v[i]->tid == (uint32_t)pid,
			      "event %s of thread %u, not of %d",
			      name_of(r->v[i]), r->v[i]->tid, pid);
		n++;
	}
	ck_assert_uint_gt(count_events(r, KCAP_EV_flock, pid), 2);
	ck_assert_uint_gt(n, 0);
}

START_TEST(test_p_records_only_that_process)
{
	char path[512], pbuf[32];
	const char *args[] = { "record", "-q", "-M", "1.5", "-p",
			       pbuf,	 "-w", path, NULL };
	pid_t slow = start_slow();
	struct recs r;

	snprintf(path, sizeof(path), "%s/pid.kcap", tmpdir);
	snprintf(pbuf, sizeof(pbuf), "%d", slow);
	ck_assert_int_eq(run_kcap(args, NULL, true), 0);
	stop_slow(slow);
	load(path, &r);
	only_from(&r, slow);
	unload(&r);
}
END_TEST

START_TEST(test_p_records_the_descendants_a_process_already_has)
{
	char path[512], pbuf[32], script[600];
	const char *args[] = { "record", "-q", "-M", "1.5", "-p",
			       pbuf,	 "-w", path, NULL };
	struct recs r;
	pid_t sh;
	size_t i;
	int st;

	/* A shell whose child, started before kcap, does the syscalls. */
	snprintf(script, sizeof(script), "'%s' slow & wait", WORKLOAD_BIN);
	sh = fork();
	ck_assert_int_ge(sh, 0);
	if (!sh) {
		execl("/bin/sh", "sh", "-c", script, (char *)NULL);
		_exit(127);
	}
	sleep_ms(300);
	snprintf(path, sizeof(path), "%s/pidtree.kcap", tmpdir);
	snprintf(pbuf, sizeof(pbuf), "%d", sh);
	ck_assert_int_eq(run_kcap(args, NULL, true), 0);
	kill(sh, SIGKILL); /* the orphaned workload stops by itself */
	waitpid(sh, &st, 0);
	load(path, &r);
	ck_assert_uint_gt(count_events(&r, KCAP_EV_flock, 0), 2);
	for (i = 0; i < r.n; i++)
		if (is_event(&r, i) && r.v[i]->type == KCAP_EV_flock)
			ck_assert_int_ne(r.v[i]->tid, sh);
	unload(&r);
}
END_TEST

START_TEST(test_comm_records_only_threads_of_that_name)
{
	char path[512];
	const char *args[] = { "record",	"-q", "-M", "1.5", "--comm",
			       "kcap-workload", "-w", path, NULL };
	pid_t slow = start_slow();
	struct recs r;

	snprintf(path, sizeof(path), "%s/comm.kcap", tmpdir);
	ck_assert_int_eq(run_kcap(args, NULL, true), 0);
	stop_slow(slow);
	load(path, &r);
	only_from(&r, slow);
	unload(&r);
}
END_TEST

/* The cgroup v2 mount point, from /proc/self/mounts; NULL if none. */
static const char *cgroup2_root(void)
{
	static char root[256];
	char line[512], dev[64], mnt[256], type[64];
	FILE *f = fopen("/proc/self/mounts", "r");

	if (!f)
		return NULL;
	root[0] = 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%63s %255s %63s", dev, mnt, type) == 3 &&
		    !strcmp(type, "cgroup2")) {
			snprintf(root, sizeof(root), "%s", mnt);
			break;
		}
	fclose(f);
	return root[0] ? root : NULL;
}

/*
 * --low-latency's arrival counters apply --comm and --cgroup to tasks
 * that are not the current one (wanted_task()): code the verifier sees
 * only when those filters are on.
 */
START_TEST(test_low_latency_mode_loads_with_the_comm_and_cgroup_filters)
{
	const char *root = cgroup2_root();
	char path[512], cg[300];
	const char *args[] = { "record",
			       "-q",
			       "--low-latency",
			       "-M",
			       "0.3",
			       "--comm",
			       "kcap-workload",
			       "--cgroup",
			       cg,
			       "-w",
			       path,
			       NULL };

	if (!root) {
		printf("%s: SKIPPED: no cgroup v2 mount here\n", __func__);
		return;
	}
	if (!two_cores(__func__, "one core: the counters are not loaded"))
		return;
	snprintf(cg, sizeof(cg), "%s", root);
	snprintf(path, sizeof(path), "%s/llfilters.kcap", tmpdir);
	ck_assert_int_eq(run_kcap(args, NULL, true), 0);
}
END_TEST

START_TEST(test_cgroup_records_only_tasks_of_that_cgroup)
{
	const char *root = cgroup2_root();
	char path[512], cg[512], procs[600], pbuf[32];
	const char *args[] = { "record", "-q", "-M", "1.5", "--cgroup",
			       cg,	 "-w", path, NULL };
	struct recs r;
	pid_t slow;
	int fd;

	if (!root) {
		printf("test_cgroup_records_only_tasks_of_that_cgroup: "
		       "SKIPPED: no cgroup v2 mount here\n");
		return;
	}
	snprintf(cg, sizeof(cg), "%s/kcap-test-%d", root, getpid());
	if (mkdir(cg, 0755)) {
		printf("test_cgroup_records_only_tasks_of_that_cgroup: "
		       "SKIPPED: cannot make a cgroup: mkdir %s: %s\n",
		       cg, strerror(errno));
		return;
	}
	slow = start_slow();
	snprintf(procs, sizeof(procs), "%s/cgroup.procs", cg);
	snprintf(pbuf, sizeof(pbuf), "%d", slow);
	fd = open(procs, O_WRONLY);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, pbuf, strlen(pbuf)), (ssize_t)strlen(pbuf));
	close(fd);
	snprintf(path, sizeof(path), "%s/cgroup.kcap", tmpdir);
	ck_assert_int_eq(run_kcap(args, NULL, true), 0);
	stop_slow(slow);
	rmdir(cg);
	load(path, &r);
	only_from(&r, slow);
	unload(&r);
}
END_TEST

/*
 * On cgroup v2 tasks live in leaves: --cgroup of a slice or a container
 * records the tasks of the cgroups below it, and still no other task.
 */
START_TEST(test_cgroup_records_the_tasks_of_the_cgroups_below_it)
{
	const char *root = cgroup2_root();
	char path[512], cg[512], child[600], procs[700], pbuf[32];
	const char *args[] = { "record", "-q", "-M", "1.5", "--cgroup",
			       cg,	 "-w", path, NULL };
	pid_t inside, outside;
	struct recs r;
	int fd;

	if (!root) {
		printf("test_cgroup_records_the_tasks_of_the_cgroups_below_it: "
		       "SKIPPED: no cgroup v2 mount here\n");
		return;
	}
	snprintf(cg, sizeof(cg), "%s/kcap-test-tree-%d", root, getpid());
	snprintf(child, sizeof(child), "%s/leaf", cg);
	if (mkdir(cg, 0755) || mkdir(child, 0755)) {
		printf("test_cgroup_records_the_tasks_of_the_cgroups_below_it: "
		       "SKIPPED: cannot make cgroups: %s\n",
		       strerror(errno));
		rmdir(cg);
		return;
	}
	inside = start_slow();
	outside = start_slow(); /* stays in the test's own cgroup */
	snprintf(procs, sizeof(procs), "%s/cgroup.procs", child);
	snprintf(pbuf, sizeof(pbuf), "%d", inside);
	fd = open(procs, O_WRONLY);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, pbuf, strlen(pbuf)), (ssize_t)strlen(pbuf));
	close(fd);
	snprintf(path, sizeof(path), "%s/cgroup-tree.kcap", tmpdir);
	ck_assert_int_eq(run_kcap(args, NULL, true), 0);
	stop_slow(inside);
	stop_slow(outside);
	rmdir(child);
	rmdir(cg);
	load(path, &r);
	only_from(&r, inside);
	unload(&r);
}
END_TEST

/* How many files a rotation to base made: base, base.1, base.2... */
static unsigned int rotation_count(const char *base)
{
	char more[600];
	unsigned int n;

	for (n = 1;; n++) {
		snprintf(more, sizeof(more), "%s.%u", base, n);
		if (access(more, F_OK))
			return n;
	}
}

/*
 * Sum of flock events and flock losses over files, and of their sizes;
 * checks each file.
 */
static void rotated_files(const char *base, unsigned int nfiles,
			  uint64_t *flocks, uint64_t *bytes)
{
	unsigned int i;

	for (i = 0; i < nfiles; i++) {
		char path[600];
		struct stat st;
		struct recs r;

		if (i)
			snprintf(path, sizeof(path), "%s.%u", base, i);
		else
			snprintf(path, sizeof(path), "%s", base);
		load(path, &r);
		/* Every file decodes alone: it has its own keyframes. */
		ck_assert_int_eq(r.end, KCAP_END_COMPLETE);
		ck_assert_int_eq(r.block[0], KCAP_BLOCK_MACHINE);
		ck_assert_int_eq(r.block[1], KCAP_BLOCK_SNAPSHOT);
		*flocks += count_events(&r, KCAP_EV_flock, 0) +
			   lost_of(&r, KCAP_EV_flock);
		unload(&r);
		ck_assert_int_eq(stat(path, &st), 0);
		*bytes += st.st_size;
	}
}

START_TEST(test_C_rotates_by_size_into_files_that_each_decode_alone)
{
	char path[512], json[512];
	const char *args[] = { "record",       "-q",	     "-C",
			       "24k",	       "--flush-ms", "20",
			       "--stats-json", json,	     "-w",
			       path,	       "--",	     WORKLOAD_BIN,
			       "burst",	       "60000",	     NULL };
	uint64_t flocks = 0, bytes = 0;
	unsigned int n;

	snprintf(path, sizeof(path), "%s/size.kcap", tmpdir);
	snprintf(json, sizeof(json), "%s/size.json", tmpdir);
	ck_assert_int_eq(run_kcap(args, NULL, true), 0);
	n = rotation_count(path);
	ck_assert_uint_ge(n, 2);
	rotated_files(path, n, &flocks, &bytes);
	/* Nothing falls between two files. */
	ck_assert_uint_eq(flocks, 60000);
	/* The statistics are of every file, indexes and footers included. */
	ck_assert_double_eq(json_num(json, "files"), n);
	ck_assert_double_eq(json_num(json, "file_bytes"), (double)bytes);
}
END_TEST

/*
 * -C is checked as the ring is drained, against the file's size once what
 * it holds is written: the first file came to 101-103 KB for -C 100k
 * here, where a check per poll of the blocks already written gave 142 KB.
 * Only the first file is held to it: a later one starts with what was
 * drained while its snapshot was taken, which a busy machine makes large
 * (172 KB once here, with a compiler running; on a machine as busy as
 * a CI run beside two ASan builds, the whole rest of the burst, so that
 * there were two files). No file but the last may end early.
 */
START_TEST(test_C_files_stay_close_to_the_size)
{
	const double size = 100 * 1024;
	char path[512];
	const char *args[] = { "record", "-q",	   "-C", "100k", "--flush-ms",
			       "20",	 "-w",	   path, "--",	 WORKLOAD_BIN,
			       "burst",	 "400000", NULL };
	unsigned int i, n;

	snprintf(path, sizeof(path), "%s/near.kcap", tmpdir);
	ck_assert_int_eq(run_kcap(args, NULL, true), 0);
	n = rotation_count(path);
	ck_assert_uint_ge(n, 2);
	for (i = 0; i + 1 < n; i++) { /* the last file is cut by the stop */
		char name[600];
		struct stat st;

		if (i)
			snprintf(name, sizeof(name), "%s.%u", path, i);
		else
			snprintf(name, sizeof(name), "%s", path);
		ck_assert_int_eq(stat(name, &st), 0);
		ck_assert_msg(st.st_size >= size / 2 &&
				      (i || st.st_size <= 1.1 * size),
			      "%s: %lld bytes for -C 100k", name,
			      (long long)st.st_size);
	}
}
END_TEST

/*
 * A rotation that cannot make its file (the directory went away) stops
 * recording with status 1; the file already closed stays whole, and the
 * statistics still count it.
 */
START_TEST(test_a_failed_rotation_stops_recording_and_still_counts_the_files)
{
	char dir[512], moved[512], path[600], json[512], next[610];
	const char *args[] = { "record",     "-q", "-G",	   "3",
			       "--flush-ms", "20", "--stats-json", json,
			       "-w",	     path, "--",	   WORKLOAD_BIN,
			       "slow",	     NULL };
	struct stat st;
	struct recs r;
	size_t i, events = 0;
	pid_t pid;
	int status;

	snprintf(dir, sizeof(dir), "%s/rotdir", tmpdir);
	snprintf(moved, sizeof(moved), "%s/rotdir-moved", tmpdir);
	snprintf(path, sizeof(path), "%s/x.kcap", dir);
	snprintf(json, sizeof(json), "%s/failed-rotation.json", tmpdir);
	ck_assert_int_eq(mkdir(dir, 0755), 0);
	ck_assert_int_eq(run_kcap(args, &pid, false), 0);
	ck_assert(wait_events(path, KCAP_EV_flock, 1));
	/* the first file is still open: its rotation is what must fail */
	snprintf(next, sizeof(next), "%s.1", path);
	ck_assert_msg(access(next, F_OK), "rotated before the rename");
	ck_assert_int_eq(rename(dir, moved), 0);
	/* the rotation due at 3 s fails; the stop ends the command */
	sleep_ms(4000);
	kill(pid, SIGINT);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 1);
	snprintf(path, sizeof(path), "%s/x.kcap", moved);
	load(path, &r);
	ck_assert_int_eq(r.end, KCAP_END_COMPLETE);
	ck_assert_uint_gt(count_events(&r, KCAP_EV_flock, 0), 0);
	for (i = 0; i < r.n; i++)
		events += is_event(&r, i);
	unload(&r);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_double_eq(json_num(json, "files"), 1);
	ck_assert_double_eq(json_num(json, "file_bytes"), (double)st.st_size);
	ck_assert_double_eq(json_num(json, "events_in_files"), (double)events);
	ck_assert_double_gt(json_num(json, "blocks"), 0);
}
END_TEST

START_TEST(test_G_and_W_rotate_by_time_and_keep_a_ring_of_files)
{
	char path[512], name[600];
	const char *args[] = {
		"record", "-q", "-G", "0.4",	    "-W",   "2",
		"-w",	  path, "--", WORKLOAD_BIN, "slow", NULL
	};
	pid_t pid;
	int st;

	snprintf(path, sizeof(path), "%s/ring.kcap", tmpdir);
	ck_assert_int_eq(run_kcap(args, &pid, false), 0);
	ck_assert(wait_events(path, KCAP_EV_flock, 1));
	snprintf(name, sizeof(name), "%s.1", path);
	for (st = 0; st < 100 && access(name, F_OK); st++)
		sleep_ms(100);
	sleep_ms(1000); /* a few more rotations: the ring wraps */
	kill(pid, SIGINT);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert_int_eq(access(name, F_OK), 0);
	snprintf(name, sizeof(name), "%s.2", path);
	ck_assert_msg(access(name, F_OK), "-W 2 left a third file");
}
END_TEST

/* Files in dir whose names start with prefix. */
static unsigned int files_named(const char *dir, const char *prefix)
{
	unsigned int n = 0;
	struct dirent *de;
	DIR *d = opendir(dir);

	ck_assert_ptr_nonnull(d);
	while ((de = readdir(d)))
		n += !strncmp(de->d_name, prefix, strlen(prefix));
	closedir(d);
	return n;
}

/*
 * -G with strftime conversions: files of one period (-C, or rotations
 * faster than the pattern's resolution) are numbered as tcpdump numbers
 * them, where each overwrote the last; -W keeps that many, the oldest
 * removed.
 */
START_TEST(test_strftime_names_of_one_period_are_numbered_and_W_keeps_N)
{
	char pat[560], base[580], dir[512];
	const char *args[] = { "record", "-q",	  "-C", "24k", "-G",
			       "3600",	 "-w",	  pat,	"--",  WORKLOAD_BIN,
			       "burst",	 "60000", NULL };
	const char *ring[] = {
		"record", "-q", "-G", "0.2",	    "-W",   "2",
		"-w",	  pat,	"--", WORKLOAD_BIN, "slow", NULL
	};
	uint64_t flocks = 0, bytes = 0;
	time_t t = time(NULL);
	unsigned int n;
	struct tm tm;
	pid_t pid;
	int st;

	snprintf(dir, sizeof(dir), "%s/pat", tmpdir);
	ck_assert_int_eq(mkdir(dir, 0755), 0);
	snprintf(pat, sizeof(pat), "%s/p-%%Y.kcap", dir);
	localtime_r(&t, &tm);
	strftime(base, sizeof(base), pat, &tm);
	ck_assert_int_eq(run_kcap(args, NULL, true), 0);
	n = rotation_count(base);
	ck_assert_uint_ge(n, 2);
	rotated_files(base, n, &flocks, &bytes);
	ck_assert_uint_eq(flocks, 60000); /* none overwritten */

	snprintf(pat, sizeof(pat), "%s/w-%%Y.kcap", dir);
	ck_assert_int_eq(run_kcap(ring, &pid, false), 0);
	for (st = 0; st < 100 && files_named(dir, "w-") < 2; st++)
		sleep_ms(100);
	sleep_ms(1000); /* a few more rotations: the ring wraps */
	kill(pid, SIGINT);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert_uint_eq(files_named(dir, "w-"), 2);
}
END_TEST

/*
 * Opens up to 19,000 close-on-exec fds, so that the recorder's walk of
 * /proc spends about 0.25 s on this process; returns the first (for
 * close_range()), or -1, having said why, if the limit does not allow it
 * (the test is skipped).
 */
static int hold_fds(const char *test)
{
	struct rlimit rl;
	int fd, n = 0;

	ck_assert_int_eq(getrlimit(RLIMIT_NOFILE, &rl), 0);
	if (rl.rlim_max < 5000) {
		printf("%s: SKIPPED: a hard fd limit of %llu cannot make the "
		       "/proc snapshot slow\n",
		       test, (unsigned long long)rl.rlim_max);
		return -1;
	}
	rl.rlim_cur = rl.rlim_max;
	ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &rl), 0);
	fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	while (n < 19000 && fcntl(fd, F_DUPFD_CLOEXEC, 0) >= 0)
		n++;
	ck_assert_int_ge(n, 4000);
	return fd;
}

/*
 * Record `workload MODE n` into NAME.kcap with a ring of RING and -C SIZE,
 * while this process holds some 19,000 fds; every event must be in the
 * files or counted lost, and --stats-json (into json) must count the
 * files whole. false: skipped.
 */
static bool record_rotating(const char *test, const char *name,
			    const char *ring, const char *size,
			    const char *mode, long n, char *json,
			    size_t json_cap)
{
	char path[512], nbuf[32];
	const char *args[] = {
		"record",     "-q",	    "-B",	    ring, "-C", size,
		"--flush-ms", "20",	    "--stats-json", json, "-w", path,
		"--",	      WORKLOAD_BIN, mode,	    nbuf, NULL
	};
	uint64_t flocks = 0, bytes = 0;
	int fd;

	fd = hold_fds(test);
	if (fd < 0)
		return false;
	snprintf(nbuf, sizeof(nbuf), "%ld", n);
	snprintf(json, json_cap, "%s/%s.json", tmpdir, name);
	snprintf(path, sizeof(path), "%s/%s.kcap", tmpdir, name);
	ck_assert_int_eq(run_kcap(args, NULL, true), 0);
	close_range(fd, ~0u, 0);
	ck_assert_uint_ge(rotation_count(path), 2);
	rotated_files(path, rotation_count(path), &flocks, &bytes);
	/* Nothing falls between two files, nor stays in memory. */
	ck_assert_uint_eq(flocks, n);
	ck_assert_double_eq(json_num(json, "file_bytes"), (double)bytes);
	return true;
}

/*
 * Starting a file takes a /proc snapshot of every process and fd: 13 ms
 * on an idle test machine, far longer on a server. The thread that drains
 * the ring must go on draining meanwhile (into memory, up to 8 times the
 * ring), or a busy machine loses events at every rotation. Here this
 * process holds some 19,000 fds (close-on-exec), so that each snapshot
 * takes hundreds of ms while `workload burst` runs, and every new file's
 * snapshot is past -C: rotations follow one another. The 128 KiB ring
 * holds about 3,300 of its 40-byte records: more than 10,000 must come
 * while files are prepared. Its 1 MiB of memory (about 26,000 records)
 * fills during one snapshot, so the drainer must also wait at least once;
 * the ring then overflows, and every event is still either in a file that
 * decodes alone or counted lost.
 */
START_TEST(test_the_ring_is_drained_while_the_next_files_snapshot_is_taken)
{
	char json[512];

	if (!record_rotating(__func__, "staged", "128k", "24k", "burst", 300000,
			     json, sizeof(json)))
		return;
	ck_assert_double_ge(json_num(json, "rotation_staged"), 10000);
	ck_assert_double_ge(json_num(json, "rotation_waits"), 1);
}
END_TEST

/*
 * SIGUSR2 while a rotation's snapshot is taken: the flush waits for the
 * next file, and the drainer goes on emptying the ring meanwhile. A
 * drainer that waited for the snapshot instead left the 64 KiB ring (some
 * 1,600 records) to overflow under the burst the command makes just
 * after its SIGUSR2, while the memory for a rotation (8 times the ring)
 * holds all of it.
 */
START_TEST(test_a_flush_during_a_rotation_does_not_stop_the_draining)
{
	char json[512];

	if (!record_rotating(__func__, "flush-rot", "64k", "4k", "flushburst",
			     8000, json, sizeof(json)))
		return;
	/* every file passes 4k with its snapshot: rotations never stop */
	ck_assert_double_ge(json_num(json, "flushes_deferred"), 1);
	ck_assert_double_eq(json_num(json, "lost"), 0);
	ck_assert_double_eq(json_num(json, "rotation_waits"), 0);
}
END_TEST

/* Whether the file being written at path has a snapshot that lists pid. */
static bool snapshot_lists(const char *path, pid_t pid)
{
	struct kcap_reader *rd = kcap_reader__open(path, NULL);
	const struct kcap_hdr *h;
	bool found = false;

	if (!rd)
		return false;
	while (!found && kcap_reader__next_record(rd, &h) > 0)
		found = h->type == KCAP_EV_snap_proc && h->tid == (uint32_t)pid;
	kcap_reader__close(rd);
	return found;
}

/*
 * The /proc walk takes hundreds of ms here (this process holds 19,000
 * fds and is read first), while a process it reads later goes down a
 * directory at a time with relative chdirs, before, during and after
 * the walk. Replay must put that process's last file where it really
 * is: no chdir it made before the walk read it counted again, none made
 * between the walk and the attach left out.
 */
START_TEST(test_replay_places_a_file_where_it_is_though_the_walk_raced_chdirs)
{
	/*
	 * 40 s of chdirs: more than enough, on a machine whose other work
	 * held kcap's start and walk past 15 s (a CI run beside ASan builds)
	 */
	enum { DEPTH = 1000 };
	static char dir[512 + 2 * DEPTH + 8], want[sizeof(dir) + 8],
		got[sizeof(want) + 64];
	char base[512], stop[600], path[600], pbuf[32], cmd[1024];
	const char *args[] = { "record", "-q", "-e", "chdir,openat", "-p", pbuf,
			       "-w",	 path, NULL };
	uint64_t snap_ts = 0, before = 0;
	struct recs r;
	int fd, st, kst, i;
	pid_t x, k;
	size_t j;
	FILE *f;

	fd = hold_fds(__func__);
	if (fd < 0)
		return;
	snprintf(base, sizeof(base), "%s/walk", tmpdir);
	snprintf(stop, sizeof(stop), "%s/walk.stop", tmpdir);
	snprintf(dir, sizeof(dir), "%s", base);
	ck_assert_int_eq(mkdir(dir, 0700), 0);
	for (i = 0; i < DEPTH; i++) {
		strcat(dir, "/d");
		ck_assert_int_eq(mkdir(dir, 0700), 0);
	}
	x = fork();
	ck_assert_int_ge(x, 0);
	if (!x) {
		if (chdir(base))
			_exit(126);
		execl(WORKLOAD_BIN, WORKLOAD_BIN, "chdirs", "40", stop,
		      (char *)NULL);
		_exit(127);
	}
	snprintf(pbuf, sizeof(pbuf), "%d", x);
	snprintf(path, sizeof(path), "%s/walk.kcap", tmpdir);
	ck_assert_int_eq(run_kcap(args, &k, false), 0);
	/* Once the walk is past x, a few more chdirs, then the file. */
	/* the walker gives up at DEPTH, after 40 s: wait 35 s at most */
	for (i = 0; i < 700 && !snapshot_lists(path, x); i++)
		sleep_ms(50);
	if (i < 700)
		sleep_ms(200);
	f = fopen(stop, "w");
	ck_assert_ptr_nonnull(f);
	fclose(f);
	ck_assert_int_eq(waitpid(x, &st, 0), x);
	kill(k, SIGINT);
	ck_assert_int_eq(waitpid(k, &kst, 0), k);
	close_range(fd, ~0u, 0);
	ck_assert_msg(i < 700, "no snapshot listed %d after 35 s", x);
	ck_assert_msg(WIFEXITED(st) && !WEXITSTATUS(st), "workload: %#x", st);
	ck_assert_msg(WIFEXITED(kst) && !WEXITSTATUS(kst), "kcap: %#x", kst);
	if (x < getpid()) {
		printf("%s: SKIPPED: pids wrapped, so /proc lists the workload "
		       "before this process and its slow fds\n",
		       __func__);
		return;
	}

	/* The race happened: chdirs stamped before the walk read x. */
	load(path, &r);
	for (j = 0; j < r.n; j++)
		if (r.v[j]->type == KCAP_EV_snap_proc &&
		    r.v[j]->tid == (uint32_t)x)
			snap_ts = r.v[j]->ts;
	ck_assert_uint_gt(snap_ts, 0);
	for (j = 0; j < r.n; j++)
		if (is_event(&r, j) && r.v[j]->type == KCAP_EV_chdir &&
		    r.v[j]->ts < snap_ts)
			before++;
	ck_assert_uint_ge(before, 1);
	ck_assert_uint_eq(count_events(&r, KCAP_EV_openat, x), 1);
	unload(&r);

	/* Where m really is. */
	snprintf(dir, sizeof(dir), "%s", base);
	for (i = 0; i < DEPTH; i++) {
		snprintf(want, sizeof(want), "%s/m", dir);
		if (!access(want, F_OK))
			break;
		strcat(dir, "/d");
	}
	ck_assert_int_lt(i, DEPTH);
	strcat(want, "\n");
	snprintf(cmd, sizeof(cmd),
		 "'%s' read -F fd.name '%s' 'proc.pid=%d and evt.type=openat'",
		 KCAP_BIN, path, x);
	f = popen(cmd, "r");
	ck_assert_ptr_nonnull(f);
	if (!fgets(got, sizeof(got), f))
		got[0] = 0;
	ck_assert_int_eq(pclose(f), 0);
	ck_assert_str_eq(got, want);
}
END_TEST

/* Record `workload ioburst N` with opts; writes recorded and lost by reason. */
static void ioburst(const char *const *opts, long n, uint64_t *recorded,
		    uint64_t lost[6])
{
	char path[512], nbuf[32];
	const char *args[32];
	struct recs r;
	size_t i;
	int k = 0;

	snprintf(path, sizeof(path), "%s/io.kcap", tmpdir);
	snprintf(nbuf, sizeof(nbuf), "%ld", n);
	args[k++] = "record";
	args[k++] = "-q";
	while (*opts)
		args[k++] = *opts++;
	args[k++] = "-w";
	args[k++] = path;
	args[k++] = "--";
	args[k++] = WORKLOAD_BIN;
	args[k++] = "ioburst";
	args[k++] = nbuf;
	args[k] = NULL;
	ck_assert_int_eq(run_kcap(args, NULL, true), 0);
	load(path, &r);
	*recorded = count_events(&r, KCAP_EV_write, 0);
	memset(lost, 0, 6 * sizeof(*lost));
	for (i = 0; i < r.n; i++)
		if (r.block[i] == KCAP_BLOCK_LOSS &&
		    I(r.v[i], "evtype") == KCAP_EV_write)
			lost[I(r.v[i], "reason") % 6] += I(r.v[i], "count");
	unload(&r);
}

START_TEST(test_io_budget_drops_and_counts_what_is_over_it)
{
	const char *opts[] = { "--io-budget", "50", NULL };
	uint64_t rec, lost[6];

	ioburst(opts, 50000, &rec, lost);
	ck_assert_uint_gt(lost[KCAP_LOSS_BUDGET], 0);
	/*
	 * 50 per second, shared with the task's other I/O (its loader's
	 * reads); the burst may straddle two one-second windows.
	 */
	ck_assert_uint_gt(rec, 0);
	ck_assert_uint_le(rec, 100);
	ck_assert_uint_eq(
		rec + lost[KCAP_LOSS_BUDGET] + lost[KCAP_LOSS_RINGBUF], 50000);
}
END_TEST

START_TEST(test_dedup_folds_repeated_identical_events_and_counts_them)
{
	const char *opts[] = { "--dedup-ms", "60000", NULL };
	uint64_t rec, lost[6];

	ioburst(opts, 20000, &rec, lost);
	/* One kept, every repeat counted: the file says exactly how many. */
	ck_assert_uint_eq(rec, 1);
	ck_assert_uint_eq(lost[KCAP_LOSS_DEDUP], 19999);
}
END_TEST

/*
 * A run of identical events that --dedup-ms folded ends with a repeat
 * record: when the window has passed, when another I/O event comes, and
 * when the task exits. The events kept and the repeat records' counts
 * add up to the events made, and LOSS (reason dedup) still counts every
 * event folded.
 */
START_TEST(test_dedup_writes_a_repeat_record_for_each_run_that_ended)
{
	const long n = 3000;
	char path[512], nbuf[32];
	const char *args[] = { "record", "-q", "--dedup-ms", WL_RUNS_DEDUP_MS,
			       "-w",	 path, "--",	     WORKLOAD_BIN,
			       "ioruns", nbuf, NULL };
	uint64_t kept = 0, folded = 0, repeats = 0, lost = 0, ring = 0;
	uint64_t kept_ts = 0, last_write = 0, last_repeat = 0;
	struct recs r;
	size_t i;

	snprintf(path, sizeof(path), "%s/repeat.kcap", tmpdir);
	snprintf(nbuf, sizeof(nbuf), "%ld", n);
	ck_assert_int_eq(run_kcap(args, NULL, true), 0);
	load(path, &r);
	for (i = 0; i < r.n; i++) {
		const struct kcap_hdr *h = r.v[i];

		if (r.block[i] == KCAP_BLOCK_LOSS &&
		    I(h, "evtype") == KCAP_EV_write) {
			if (I(h, "reason") == KCAP_LOSS_DEDUP)
				lost += I(h, "count");
			if (I(h, "reason") == KCAP_LOSS_RINGBUF)
				ring += I(h, "count");
		}
		if (!is_event(&r, i))
			continue;
		if (h->type == KCAP_EV_write) {
			last_write = h->ts;
			if (I(h, "res") == 1) {
				kept++;
				kept_ts = h->ts;
			}
		}
		/* (the loader's identical pread64 calls make one too) */
		if (h->type == KCAP_EV_repeat &&
		    I(h, "evtype") == KCAP_EV_write) {
			ck_assert_int_eq(I(h, "res"), 1);
			ck_assert_int_gt(I(h, "count"), 0);
			/* the run's last event: after the one kept, before this */
			ck_assert_uint_ge((uint64_t)I(h, "until"), kept_ts);
			ck_assert_uint_le((uint64_t)I(h, "until"), h->ts);
			repeats++;
			folded += I(h, "count");
			last_repeat = h->ts;
		}
	}
	unload(&r);
	/* a stall longer than the window would split a run: more records */
	ck_assert_uint_ge(repeats, 3);
	ck_assert_uint_eq(kept + folded + ring, 3 * n);
	ck_assert_uint_eq(lost, folded);
	/* the last run ended with the task, after its last write */
	ck_assert_uint_gt(last_repeat, last_write);
}
END_TEST

/*
 * Events dropped by dedup do not use up --io-budget: one write is kept,
 * and every repeat is counted as folded, none as over the budget.
 */
START_TEST(test_events_folded_by_dedup_leave_the_io_budget_alone)
{
	const char *opts[] = { "--io-budget", "100", "--dedup-ms", "60000",
			       NULL };
	uint64_t rec, lost[6];

	ioburst(opts, 20000, &rec, lost);
	ck_assert_uint_eq(lost[KCAP_LOSS_BUDGET], 0);
	ck_assert_uint_eq(rec, 1);
	ck_assert_uint_eq(lost[KCAP_LOSS_DEDUP], 19999);
}
END_TEST

START_TEST(test_sampling_when_the_ring_is_full_is_counted)
{
	const char *opts[] = { "-B", "16k", "--sample-when-full", "10:4",
			       NULL };
	uint64_t rec, lost[6];

	ioburst(opts, 100000, &rec, lost);
	ck_assert_uint_gt(lost[KCAP_LOSS_SAMPLED], 0);
	ck_assert_uint_eq(rec + lost[KCAP_LOSS_SAMPLED] +
				  lost[KCAP_LOSS_RINGBUF],
			  100000);
}
END_TEST

/*
 * A stop while kcap sets up (here during its BPF load; the wait for the
 * first snapshot ignores signals too) closes the file and never starts
 * CMD: no unrecorded run of it.
 */
START_TEST(test_a_stop_during_setup_never_starts_the_command)
{
	char path[512], marker[512], script[600], json[512], said[512];
	char text[1024];
	const char *args[] = { "record", "-q", "--stats-json", json, "-w",
			       path,	 "--", "/bin/sh",      "-c", script,
			       NULL };
	struct recs r;
	pid_t k;
	int st;

	snprintf(path, sizeof(path), "%s/stopped.kcap", tmpdir);
	snprintf(json, sizeof(json), "%s/stopped.json", tmpdir);
	snprintf(marker, sizeof(marker), "%s/stopped.ran", tmpdir);
	snprintf(script, sizeof(script), "touch '%s'", marker);
	snprintf(said, sizeof(said), "%s/stopped.err", tmpdir);
	kcap_stderr = said;
	ck_assert_int_eq(run_kcap(args, &k, false), 0);
	kcap_stderr = NULL;
	sleep_ms(300);
	kill(k, SIGINT);
	ck_assert_int_eq(waitpid(k, &st, 0), k);
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 128 + SIGINT,
		      "status %#x", st);
	ck_assert_int_ne(access(marker, F_OK), 0);
	/* said, -q or not: the file alone looks like a CMD that did nothing */
	read_text(said, text, sizeof(text));
	ck_assert_msg(strstr(text, "stopped by SIGINT during setup: /bin/sh "
				   "was not started"),
		      "kcap said: %s", text);
	load(path, &r);
	ck_assert_int_eq(r.end, KCAP_END_COMPLETE);
	unload(&r);
	/* nothing was recorded: no time either, setup's is not recording */
	ck_assert_double_eq(json_num(json, "seconds"), 0);
}
END_TEST

/* A process that flocks and writes to /dev/null every 5 ms, until killed. */
static pid_t busy_flocker(void)
{
	pid_t p = fork();

	ck_assert_int_ge(p, 0);
	if (!p) {
		int fd = open("/dev/null", O_WRONLY);

		for (;;) {
			flock(fd, LOCK_SH);
			if (write(fd, "x", 1) < 0)
				_exit(1);
			usleep(5000);
		}
	}
	return p;
}

/*
 * Several -p and several -e add up, as in strace (the last one won, and
 * -p A -p B recorded only B): three processes, two of them asked for as
 * -p A -p B, the third not; flock and write asked for in two -e.
 */
START_TEST(test_several_p_and_e_add_up)
{
	char path[512], pa[16], pb[16];
	const char *args[] = { "record", "-q", "-p",	pa,   "-p",
			       pb,	 "-e", "flock", "-e", "write",
			       "-M",	 "1",  "-w",	path, NULL };
	pid_t a = busy_flocker(), b = busy_flocker(), c = busy_flocker();
	size_t i, n[3][2] = { { 0 } };
	struct recs r;

	snprintf(path, sizeof(path), "%s/multi.kcap", tmpdir);
	snprintf(pa, sizeof(pa), "%d", a);
	snprintf(pb, sizeof(pb), "%d", b);
	ck_assert_int_eq(run_kcap(args, NULL, true), 0);
	kill(a, SIGKILL);
	kill(b, SIGKILL);
	kill(c, SIGKILL);
	waitpid(a, NULL, 0);
	waitpid(b, NULL, 0);
	waitpid(c, NULL, 0);
	load(path, &r);
	for (i = 0; i < r.n; i++) {
		int who = r.v[i]->tid == (uint32_t)a ? 0 :
			  r.v[i]->tid == (uint32_t)b ? 1 :
			  r.v[i]->tid == (uint32_t)c ? 2 :
						       -1;

		if (!is_event(&r, i) || who < 0)
			continue;
		if (r.v[i]->type == KCAP_EV_flock)
			n[who][0]++;
		else if (r.v[i]->type == KCAP_EV_write)
			n[who][1]++;
	}
	unload(&r);
	for (i = 0; i < 2; i++)
		ck_assert_msg(n[i][0] > 20 && n[i][1] > 20,
			      "-p %d: %zu flocks, %zu writes", i ? b : a,
			      n[i][0], n[i][1]);
	ck_assert_uint_eq(n[2][0] + n[2][1], 0);
}
END_TEST

/*
 * CMD named without a path: execvp()'s tries in each directory of PATH
 * were recorded as CMD's failed execs (9 for stat here). kcap looks it up
 * before the fork: one execve, the one that ran it.
 */
START_TEST(test_a_command_found_in_path_is_recorded_with_one_exec)
{
	char path[512];
	const char *args[] = { "record", "-q", "-e",   "execve", "-w",
			       path,	 "--", "true", NULL };
	struct recs r;
	size_t i, n = 0;

	snprintf(path, sizeof(path), "%s/onexec.kcap", tmpdir);
	ck_assert_int_eq(run_kcap(args, NULL, true), 0);
	load(path, &r);
	for (i = 0; i < r.n; i++)
		if (is_event(&r, i) && r.v[i]->type == KCAP_EV_execve) {
			n++;
			ck_assert_int_eq(
				((const struct kcap_ev_execve *)r.v[i])->res,
				0);
		}
	unload(&r);
	ck_assert_uint_eq(n, 1);
}
END_TEST

/* Until the file being written at path holds a SNAPSHOT: kcap attached. */
static void wait_snapshot(const char *path)
{
	for (int i = 0; i < 3000; i++) {
		struct kcap_reader *r = kcap_reader__open(path, NULL);
		struct kcap_block b;
		bool snap = false;
		int e;

		while (r && (e = kcap_reader__next_block(r, &b)) > 0)
			snap |= b.type == KCAP_BLOCK_SNAPSHOT;
		kcap_reader__close(r);
		if (snap)
			return;
		usleep(10000);
	}
	ck_abort_msg("%s got no SNAPSHOT in 30 s", path);
}

/*
 * -p ends the recording once every process it records has exited, as
 * strace -p does: it used to run on to -M or a signal. A zombie among
 * them (here a child never reaped) is gone already: /proc lists it, and
 * a mark it got from a walk kept kcap going to -M.
 */
START_TEST(test_p_stops_once_its_processes_have_exited)
{
	char path[512], pbuf[16], go;
	const char *args[] = { "record", "-q", "-p", pbuf, "-M",
			       "30",	 "-w", path, NULL };
	struct timespec t0, t1;
	struct recs r;
	size_t i, exits = 0;
	int p[2], st;
	pid_t c, k;

	ck_assert_int_eq(pipe(p), 0);
	c = fork();
	ck_assert_int_ge(c, 0);
	if (!c) {
		close(p[1]);
		if (!fork())
			_exit(0); /* a zombie until c exits, and after */
		/* exits once kcap records (under ASan, setup took 1.5 s) */
		if (read(p[0], &go, 1) != 1)
			_exit(1);
		_exit(3);
	}
	close(p[0]);
	snprintf(path, sizeof(path), "%s/pgone.kcap", tmpdir);
	snprintf(pbuf, sizeof(pbuf), "%d", c);
	ck_assert_int_eq(run_kcap(args, &k, false), 0);
	wait_snapshot(path);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ck_assert_int_eq(write(p[1], "g", 1), 1);
	close(p[1]);
	ck_assert_int_eq(waitpid(k, &st, 0), k);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	waitpid(c, NULL, 0);
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "status %#x", st);
	ck_assert_int_lt(t1.tv_sec - t0.tv_sec, 10);
	load(path, &r);
	ck_assert_int_eq(r.end, KCAP_END_COMPLETE);
	for (i = 0; i < r.n; i++)
		exits += is_event(&r, i) && r.v[i]->type == KCAP_EV_procexit &&
			 r.v[i]->tid == (uint32_t)c;
	unload(&r);
	ck_assert_uint_eq(exits, 1);
}
END_TEST

/* One child of test_p_*'s forker: its pid and when it was forked. */
struct kid {
	pid_t pid;
	uint64_t forked_ns;
};

static uint64_t wall_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_REALTIME, &t);
	return (uint64_t)t.tv_sec * 1000000000ull + t.tv_nsec;
}

/*
 * -p's first walk of /proc came tens of ms before the attach, and what the
 * process forked between the two was never recorded (33 children of a
 * process forking every ms, here). A process forks a child every ms or
 * so, each living 300 ms, from before kcap starts: every child that exits
 * while kcap records has its procexit in the file.
 */
START_TEST(test_p_records_children_forked_before_the_attach)
{
	char path[512], json[512], pbuf[16];
	const char *args[] = { "record",       "-q", "-e", "flock", "-p",
			       pbuf,	       "-M", "2",  "-w",    path,
			       "--stats-json", json, NULL };
	const size_t cap = 8000;
	struct kid *kids;
	int *nkids;
	uint64_t first = 0, last = 0;
	struct recs r;
	pid_t forker;
	size_t i, expected = 0, missing = 0;

	snprintf(path, sizeof(path), "%s/pkids.kcap", tmpdir);
	snprintf(json, sizeof(json), "%s/pkids.json", tmpdir);
	nkids = mmap(NULL, 8 + cap * sizeof(*kids), PROT_READ | PROT_WRITE,
		     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ck_assert_ptr_ne(nkids, MAP_FAILED);
	kids = (struct kid *)((char *)nkids + 8);
	forker = fork();
	ck_assert_int_ge(forker, 0);
	if (!forker) {
		signal(SIGCHLD, SIG_IGN); /* no zombies to reap */
		while (*nkids < (int)cap) {
			uint64_t t = wall_ns(); /* as events are stamped */
			pid_t c = fork();

			if (!c) {
				usleep(300000);
				_exit(0);
			}
			if (c > 0) {
				kids[*nkids].pid = c;
				kids[*nkids].forked_ns = t;
				__atomic_store_n(nkids, *nkids + 1,
						 __ATOMIC_RELEASE);
			}
			usleep(1000);
		}
		pause();
		_exit(0);
	}
	snprintf(pbuf, sizeof(pbuf), "%d", forker);
	ck_assert_int_eq(run_kcap(args, NULL, true), 0);
	kill(forker, SIGKILL);
	waitpid(forker, NULL, 0);

	/* the recording's span: the children exit every ms or so */
	load(path, &r);
	for (i = 0; i < r.n; i++)
		if (is_event(&r, i) && r.v[i]->type == KCAP_EV_procexit) {
			if (!first || r.v[i]->ts < first)
				first = r.v[i]->ts;
			if (r.v[i]->ts > last)
				last = r.v[i]->ts;
		}
	ck_assert_uint_gt(last, first + 1000000000ull);
	for (i = 0; i < (size_t)*nkids; i++) {
		uint64_t exit_ns = kids[i].forked_ns + 300000000ull;
		bool seen = false;

		/* exited while kcap recorded, with a margin either side */
		if (exit_ns < first + 100000000ull ||
		    exit_ns + 100000000ull > last)
			continue;
		expected++;
		for (size_t k = 0; k < r.n && !seen; k++)
			seen = is_event(&r, k) &&
			       r.v[k]->type == KCAP_EV_procexit &&
			       r.v[k]->tid == (uint32_t)kids[i].pid;
		missing += !seen;
	}
	unload(&r);
	munmap(nkids, 8 + cap * sizeof(*kids));
	ck_assert_uint_gt(expected, 100);
	ck_assert_msg(!missing, "%zu of %zu children have no procexit", missing,
		      expected);
}
END_TEST

/*
 * Until kcap catches SIGINT and SIGUSR1 (SigCgt in /proc/PID/status): a
 * signal before is taken by its default action (5-20 ms after the fork
 * here, longer under ASan).
 */
static void wait_handlers(pid_t k)
{
	unsigned long long want = 1ull << (SIGINT - 1) | 1ull << (SIGUSR1 - 1);
	char path[64], buf[4096];

	snprintf(path, sizeof(path), "/proc/%d/status", k);
	for (int i = 0; i < 10000; i++) {
		unsigned long long cgt = 0;
		const char *c;
		FILE *f = fopen(path, "r");
		size_t n = 0;

		if (f) {
			n = fread(buf, 1, sizeof(buf) - 1, f);
			fclose(f);
		}
		buf[n] = 0;
		c = strstr(buf, "SigCgt:");
		if (c)
			cgt = strtoull(c + 7, NULL, 16);
		if ((cgt & want) == want)
			return;
		usleep(1000);
	}
	ck_abort_msg("kcap set no signal handlers in 10 s");
}

/*
 * The verifier gives up on a pending signal and libbpf loads again, five
 * times at most: a SIGUSR1 every 20 ms made loading fail. And a SIGINT
 * while loading, without CMD, went on to attach and record: now nothing
 * is attached, and the file holds no event.
 */
START_TEST(test_signals_while_loading_neither_fail_it_nor_record_after_a_stop)
{
	char path[512], json[512];
	const char *args[] = { "record", "-q", "-M", "0.5", "--stats-json",
			       json,	 "-w", path, NULL };
	struct recs r;
	pid_t k, busy;
	int st, i;

	snprintf(path, sizeof(path), "%s/sigload.kcap", tmpdir);
	snprintf(json, sizeof(json), "%s/sigload.json", tmpdir);
	ck_assert_int_eq(run_kcap(args, &k, false), 0);
	wait_handlers(k);
	for (i = 0; i < 150 && waitpid(k, &st, WNOHANG) == 0; i++) {
		kill(k, SIGUSR1);
		sleep_ms(20);
	}
	if (i == 150)
		ck_assert_int_eq(waitpid(k, &st, 0), k);
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "status %#x", st);
	load(path, &r);
	ck_assert_int_eq(r.end, KCAP_END_COMPLETE);
	unload(&r);

	/* something to record, had anything been attached */
	busy = fork();
	ck_assert_int_ge(busy, 0);
	if (!busy)
		for (;;)
			getppid();
	ck_assert_int_eq(run_kcap(args, &k, false), 0);
	wait_handlers(k); /* then loading takes about a second here */
	kill(k, SIGINT);
	ck_assert_int_eq(waitpid(k, &st, 0), k);
	kill(busy, SIGKILL);
	waitpid(busy, NULL, 0);
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "status %#x", st);
	load(path, &r);
	ck_assert_int_eq(r.end, KCAP_END_COMPLETE);
	for (i = 0; i < (int)r.n; i++)
		ck_assert_int_ne(r.block[i], KCAP_BLOCK_EVENTS);
	unload(&r);
	ck_assert_double_eq(json_num(json, "events"), 0);
	ck_assert_double_eq(json_num(json, "seconds"), 0);
}
END_TEST

/*
 * -M ends the recording at its time, not at the next poll: with a poll
 * interval of 1 s, -M 1.5 ran 2.0 s.
 */
START_TEST(test_M_stops_at_its_time_not_at_the_next_poll)
{
	char path[512], json[512];
	const char *args[] = { "record", "-q",	       "-e",
			       "flock",	 "--flush-ms", "1000",
			       "-M",	 "1.5",	       "--stats-json",
			       json,	 "-w",	       path,
			       NULL };
	double secs;

	snprintf(path, sizeof(path), "%s/m15.kcap", tmpdir);
	snprintf(json, sizeof(json), "%s/m15.json", tmpdir);
	ck_assert_int_eq(run_kcap(args, NULL, true), 0);
	secs = json_num(json, "seconds");
	ck_assert_msg(secs >= 1.5 && secs < 1.8, "-M 1.5 ran %.3f s", secs);
}
END_TEST

/*
 * A process that reads a byte from *to and answers it on *from: each
 * byte makes a read record, done before the answer comes.
 */
static pid_t start_echo(int *to, int *from)
{
	int in[2], out[2];
	pid_t pid;
	char c;

	ck_assert_int_eq(pipe(in), 0);
	ck_assert_int_eq(pipe(out), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (!pid) {
		close(in[1]);
		close(out[0]);
		while (read(in[0], &c, 1) == 1)
			if (write(out[1], &c, 1) != 1)
				break;
		_exit(0);
	}
	close(in[0]);
	close(out[1]);
	*to = in[1];
	*from = out[0];
	return pid;
}

static void echo(int to, int from)
{
	char c = 'x';

	ck_assert_int_eq(write(to, &c, 1), 1);
	ck_assert_int_eq(read(from, &c, 1), 1);
}

/* The events of tid that a reader sees in the file at path so far. */
static uint64_t events_of(const char *path, pid_t tid)
{
	struct kcap_reader *rd = kcap_reader__open(path, NULL);
	const struct kcap_hdr *h;
	uint64_t n = 0;

	if (!rd)
		return 0;
	while (kcap_reader__next_record(rd, &h) > 0)
		n += kcap_reader__block(rd)->type == KCAP_BLOCK_EVENTS &&
		     h->tid == (uint32_t)tid;
	kcap_reader__close(rd);
	return n;
}

/* Whether process k's main thread sleeps in a write to fd. */
static bool writing_to(pid_t k, int fd)
{
	char path[64], buf[256] = "";
	unsigned long arg0;
	long nr;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/syscall", k);
	f = fopen(path, "r");
	if (!f)
		return false;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = 0;
	fclose(f);
	return sscanf(buf, "%ld 0x%lx", &nr, &arg0) == 2 && nr == SYS_write &&
	       arg0 == (unsigned long)fd;
}

/*
 * Milliseconds from t0 until the file at path holds more than *n events
 * of tid (15 s at most), reading kcap's stderr (err, non-blocking)
 * meanwhile so that kcap never waits on it; *n becomes the new count.
 */
static uint64_t flushed_after(const char *path, pid_t tid, uint64_t *n, int err,
			      uint64_t t0)
{
	char buf[4096];
	uint64_t k;

	for (;;) {
		while (read(err, buf, sizeof(buf)) > 0)
			;
		k = events_of(path, tid);
		if (k > *n || now_ms() - t0 > 15000)
			break;
		sleep_ms(5);
	}
	*n = k;
	return now_ms() - t0;
}

/* Spin for us microseconds: a sleep would take 50 us or more. */
static void spin_us(long us)
{
	struct timespec t;
	long start;

	clock_gettime(CLOCK_MONOTONIC, &t);
	start = t.tv_sec * 1000000 + t.tv_nsec / 1000;
	do
		clock_gettime(CLOCK_MONOTONIC, &t);
	while (t.tv_sec * 1000000 + t.tv_nsec / 1000 - start < us);
}

/*
 * kcap's handlers set flags that the poll loop tests before it sleeps: a
 * signal between the test and the sleep was seen only at the poll's
 * timeout, 10 s here. Recording a quiet process with --flush-ms 10000,
 * every SIGUSR2 must get the read record the process just made into the
 * file at once, and a SIGINT must close the file at once.
 *
 * The window is microseconds wide; a stderr that kcap cannot write to
 * widens it at will. A SIGUSR1 makes the loop print statistics, after
 * its test of the SIGUSR2 flag, into a full pipe: a SIGUSR2 sent while
 * kcap waits there was left for the timeout on every try. Then SIGUSR1
 * and SIGUSR2 come 0-400 us apart, 50 times, the second landing in the
 * window now and then (alone, these caught the old loop in 3 of 10 runs
 * here, at 13, 53 and 229 us).
 */
START_TEST(test_a_signal_just_before_the_poll_sleeps_is_acted_on_at_once)
{
	char path[512], buf[4096];
	const char *argv[] = { KCAP_BIN, "record", "-q", "--flush-ms", "10000",
			       "-p",	 NULL,	   "-w", path,	       NULL };
	char pid_arg[16];
	int err[2], to, from, st, i;
	uint64_t n = 0, t0, ms;
	pid_t pid, k;
	long us;

	memset(buf, 0, sizeof(buf));
	snprintf(path, sizeof(path), "%s/wake.kcap", tmpdir);
	unlink(path);
	pid = start_echo(&to, &from);
	snprintf(pid_arg, sizeof(pid_arg), "%d", pid);
	argv[6] = pid_arg;
	ck_assert_int_eq(pipe(err), 0);
	k = fork();
	ck_assert_int_ge(k, 0);
	if (!k) {
		dup2(err[1], 2);
		close(err[0]);
		close(err[1]);
		close(to);
		close(from);
		execv(KCAP_BIN, (char *const *)argv);
		_exit(126);
	}
	ck_assert_int_eq(fcntl(err[0], F_SETFL, O_NONBLOCK), 0);
	wait_handlers(k);
	for (i = 0; i < 300 && !snapshot_lists(path, pid); i++)
		sleep_ms(100);
	ck_assert_msg(i < 300, "no snapshot in 30 s");

	/* kcap is recording: a first flush */
	echo(to, from);
	t0 = now_ms();
	kill(k, SIGUSR2);
	ms = flushed_after(path, pid, &n, err[0], t0);
	ck_assert_msg(n && ms < 5000, "the first SIGUSR2 flushed after %llu ms",
		      (unsigned long long)ms);

	/* SIGUSR2 while the statistics wait for a full stderr */
	echo(to, from);
	ck_assert_int_eq(fcntl(err[1], F_SETFL, O_NONBLOCK), 0);
	while (write(err[1], buf, sizeof(buf)) > 0)
		;
	while (write(err[1], buf, 1) > 0)
		;
	ck_assert_int_eq(errno, EAGAIN);
	/* the flag is kcap's stderr's too */
	ck_assert_int_eq(fcntl(err[1], F_SETFL, 0), 0);
	kill(k, SIGUSR1);
	for (i = 0; i < 5000 && !writing_to(k, 2); i++)
		usleep(1000);
	ck_assert_msg(i < 5000, "kcap did not write its statistics");
	t0 = now_ms();
	kill(k, SIGUSR2);
	ms = flushed_after(path, pid, &n, err[0], t0);
	ck_assert_msg(ms < 5000,
		      "a SIGUSR2 during the statistics flushed after %llu ms",
		      (unsigned long long)ms);

	/* SIGUSR1, then SIGUSR2 a moment later */
	srand(getpid());
	for (i = 0; i < 50; i++) {
		echo(to, from);
		us = rand() % 400;
		kill(k, SIGUSR1);
		spin_us(us);
		t0 = now_ms();
		kill(k, SIGUSR2);
		ms = flushed_after(path, pid, &n, err[0], t0);
		ck_assert_msg(ms < 5000,
			      "a SIGUSR2 %ld us after a SIGUSR1 flushed after "
			      "%llu ms",
			      us, (unsigned long long)ms);
	}

	/* and a SIGINT: the file is closed at once */
	us = rand() % 400;
	kill(k, SIGUSR1);
	spin_us(us);
	t0 = now_ms();
	kill(k, SIGINT);
	while (!closed_file(path) && now_ms() - t0 < 15000) {
		while (read(err[0], buf, sizeof(buf)) > 0)
			;
		sleep_ms(5);
	}
	ms = now_ms() - t0;
	ck_assert_msg(ms < 5000,
		      "a SIGINT %ld us after a SIGUSR1 closed the file after "
		      "%llu ms",
		      us, (unsigned long long)ms);
	close(err[1]);
	while (read(err[0], buf, sizeof(buf)) > 0)
		;
	ck_assert_int_eq(waitpid(k, &st, 0), k);
	ck_assert_msg(WIFEXITED(st) && !WEXITSTATUS(st), "status %#x", st);
	close(err[0]);
	close(to);
	close(from);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	unlink(path);
}
END_TEST

/*
 * Runs argv (argv[0] a path) with what it writes to fd (1 or 2) read into
 * buf, after setup() in the child (its changes to signals, limits or ids
 * stand for how a user started kcap); returns the wait status.
 */
static int run_output(const char *const *argv, int fd, void (*setup)(void),
		      char *buf, size_t cap)
{
	ssize_t n, tot = 0;
	int out[2], st;
	pid_t pid;

	ck_assert_int_eq(pipe(out), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (!pid) {
		setup();
		dup2(out[1], fd);
		execv(argv[0], (char *const *)argv);
		_exit(126);
	}
	close(out[1]);
	while ((n = read(out[0], buf + tot, cap - 1 - tot)) > 0)
		tot += n;
	buf[tot] = 0;
	close(out[0]);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	return st;
}

static void no_setup(void)
{
}

/*
 * Runs argv (after setup, in the child) to its end: it must exit with
 * status and say says on stderr, which is left in buf.
 */
static void run_says(const char *const *argv, void (*setup)(void), int status,
		     const char *says, char *buf, size_t cap)
{
	int st = run_output(argv, 2, setup, buf, cap);

	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == status,
		      "%s %s: status %d, not %d: %s", argv[1], argv[2],
		      WIFEXITED(st) ? WEXITSTATUS(st) : -1, status, buf);
	ck_assert_msg(strstr(buf, says), "'%s' not in: %s", says, buf);
}

static volatile pid_t thread_tid;

static void *sleeping_thread(void *arg)
{
	(void)arg;
	thread_tid = gettid();
	pause();
	return NULL;
}

/* -p with a thread's id said "no process N", though N ran. */
START_TEST(test_p_with_a_threads_id_names_its_process)
{
	const char *argv[] = { KCAP_BIN, "record", "-p",	NULL, "-M",
			       "1",	 "-w",	   "/dev/null", NULL };
	char tid[16], msg[2048], want[64];
	pthread_t th;
	int st;

	ck_assert_int_eq(pthread_create(&th, NULL, sleeping_thread, NULL), 0);
	while (!thread_tid)
		usleep(1000);
	snprintf(tid, sizeof(tid), "%d", thread_tid);
	argv[3] = tid;
	st = run_output(argv, 2, no_setup, msg, sizeof(msg));
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 1, "status %#x", st);
	snprintf(want, sizeof(want), "a thread of process %d", getpid());
	ck_assert_msg(strstr(msg, want), "%s", msg);
}
END_TEST

/* As a shell starts a background job: SIGINT ignored. */
static void background_job(void)
{
	signal(SIGINT, SIG_IGN);
	signal(SIGPIPE, SIG_DFL);
	signal(SIGXFSZ, SIG_DFL);
}

/*
 * CMD gets the signals kcap handles or ignores as kcap found them: an
 * ignored SIGINT (a background job's) stays ignored; SIGPIPE and SIGXFSZ,
 * which kcap ignores for itself, come back at their default.
 */
START_TEST(test_the_command_gets_the_signals_as_kcap_found_them)
{
	char path[512], buf[4096];
	const char *argv[] = { KCAP_BIN, "record", "-q",
			       "-w",	 path,	   "--",
			       "grep",	 "SigIgn", "/proc/self/status",
			       NULL };
	unsigned long long ign = ~0ull;
	const char *v;
	int st;

	snprintf(path, sizeof(path), "%s/sigs.kcap", tmpdir);
	st = run_output(argv, 1, background_job, buf, sizeof(buf));
	ck_assert_msg(WIFEXITED(st) && !WEXITSTATUS(st), "%#x: %s", st, buf);
	v = strstr(buf, "SigIgn:");
	ck_assert_msg(v && sscanf(v + 7, "%llx", &ign) == 1, "%s", buf);
	ck_assert_msg(ign & (1ull << (SIGINT - 1)), "%s", buf);
	ck_assert_msg(!(ign & (1ull << (SIGPIPE - 1))), "%s", buf);
	ck_assert_msg(!(ign & (1ull << (SIGXFSZ - 1))), "%s", buf);
}
END_TEST

/*
 * A file size limit stands in for a full disk: EFBIG, once kcap has set
 * aside the SIGXFSZ that would kill it.
 */
static void small_disk(void)
{
	struct rlimit rl = { 256 << 10, 256 << 10 };

	signal(SIGXFSZ, SIG_DFL);
	setrlimit(RLIMIT_FSIZE, &rl);
}

START_TEST(test_a_write_error_stops_recording_and_leaves_the_file_readable)
{
	char path[512], msg[4096];
	const char *argv[] = { KCAP_BIN,     "record", "-q",	 "--flush-ms",
			       "20",	     "-w",     path,	 "--",
			       WORKLOAD_BIN, "burst",  "300000", NULL };
	struct recs r;
	int st;

	snprintf(path, sizeof(path), "%s/full-disk.kcap", tmpdir);
	st = run_output(argv, 2, small_disk, msg, sizeof(msg));
	ck_assert_msg(WIFEXITED(st), "status %#x: %s", st, msg);
	ck_assert_int_eq(WEXITSTATUS(st), 1);
	ck_assert_msg(strstr(msg, "File too large") &&
			      strstr(msg, "already written stay readable"),
		      "%s", msg);
	load(path, &r);
	ck_assert_msg(r.end == KCAP_END_NO_FOOTER ||
			      r.end == KCAP_END_TRUNCATED,
		      "end %d", r.end);
	ck_assert_int_eq(r.corrupt, 0);
	ck_assert_uint_gt(count_events(&r, KCAP_EV_flock, 0), 0);
	/* it says how many events the file holds, and it holds that many */
	{
		const char *k = strstr(msg, "events recorded are in the files");
		unsigned long long said = 0, total = 0;
		size_t i, n = 0;

		ck_assert_msg(k, "%s", msg);
		while (k > msg && k[-1] != '\n')
			k--;
		ck_assert_int_eq(sscanf(k, "kcap record: %llu of the %llu",
					&said, &total),
				 2);
		for (i = 0; i < r.n; i++)
			n += is_event(&r, i);
		ck_assert_uint_eq(said, n);
		ck_assert_uint_gt(total, said);
	}
	unload(&r);
}
END_TEST

/* Started on the first two cores, as by taskset -c. */
static void first_two_cores(void)
{
	cpu_set_t two;
	int cpu[2];

	first_two(&two, cpu);
	if (sched_setaffinity(0, sizeof(two), &two))
		_exit(125);
}

/* The Cpus_allowed_list of each status line in s, as one string. */
static void cpu_lists(const char *s, char *out, size_t cap)
{
	const char *k = "Cpus_allowed_list:";
	size_t n = 0;

	out[0] = 0;
	while ((s = strstr(s, k))) {
		s += strlen(k);
		while (*s == '\t' || *s == ' ')
			s++;
		n += snprintf(out + n, n < cap ? cap - n : 0, "%.*s;",
			      (int)strcspn(s, "\n"), s);
	}
}

/*
 * --recorder-cpus puts kcap's threads (the drainer, the writer) on its
 * list, and CMD runs where kcap was started: the bench's --low-latency
 * run keeps its load off the polling core that way.
 */
START_TEST(test_recorder_cpus_hold_kcap_and_leave_the_command_where_it_was)
{
	char path[512], buf[8192], kc[1024], cmd[1024], one[16], two[16];
	const char *argv[] = {
		KCAP_BIN,
		"record",
		"-q",
		"--low-latency",
		"--recorder-cpus",
		one,
		"-w",
		path,
		"--",
		"sh",
		"-c",
		"grep -h Cpus_allowed_list /proc/$PPID/task/*/status; echo CMD; "
		"grep Cpus_allowed_list /proc/self/status",
		NULL
	};
	cpu_set_t mask;
	char *split;
	int cpu[2], st, n = 0;
	size_t w = 0;

	if (!two_cores(__func__, "needs two cores to tell apart"))
		return;
	first_two(&mask, cpu);
	snprintf(one, sizeof(one), "%d", cpu[1]);
	snprintf(two, sizeof(two), cpu[1] == cpu[0] + 1 ? "%d-%d" : "%d,%d",
		 cpu[0], cpu[1]);
	snprintf(path, sizeof(path), "%s/reccpus.kcap", tmpdir);
	st = run_output(argv, 1, first_two_cores, buf, sizeof(buf));
	ck_assert_msg(WIFEXITED(st) && !WEXITSTATUS(st), "%#x: %s", st, buf);
	split = strstr(buf, "CMD\n");
	ck_assert_msg(split, "%s", buf);
	cpu_lists(split, cmd, sizeof(cmd));
	*split = 0;
	cpu_lists(buf, kc, sizeof(kc));
	/* two threads at least: the writer inherits the drainer's mask */
	buf[0] = 0;
	for (const char *p = kc; (p = strchr(p, ';')); p++, n++)
		w += snprintf(buf + w, sizeof(buf) - w, "%s;", one);
	ck_assert_int_ge(n, 2);
	ck_assert_str_eq(kc, buf);
	snprintf(buf, sizeof(buf), "%s;", two);
	ck_assert_str_eq(cmd, buf);
}
END_TEST

/* nobody: no CAP_BPF, no CAP_PERFMON */
static void as_nobody(void)
{
	if (setgid(65534) || setuid(65534))
		_exit(125);
}

START_TEST(test_without_privileges_it_says_it_needs_root)
{
	const char *argv[] = { KCAP_BIN, "record", "-w", "/dev/null", NULL };
	char buf[8192];

	run_says(argv, as_nobody, 1, "root", buf, sizeof(buf));
}
END_TEST

/*
 * A kernel without BTF, as kcap would find it: /sys/kernel/btf hidden
 * under an empty tmpfs in a mount namespace of the child's own.
 */
static void without_btf(void)
{
	if (unshare(CLONE_NEWNS) ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
	    mount("none", "/sys/kernel/btf", "tmpfs", 0, NULL))
		_exit(125);
}

START_TEST(test_a_kernel_without_btf_is_named_as_the_problem)
{
	char out[512], buf[8192];
	const char *argv[] = {
		KCAP_BIN, "record", "-w", out, "--", "true", NULL
	};
	struct stat sb;

	snprintf(out, sizeof(out), "%s/nobtf.kcap", tmpdir);
	/* status 125: the child could not hide /sys/kernel/btf */
	run_says(argv, without_btf, 1, "no BTF", buf, sizeof(buf));
	ck_assert_msg(strstr(buf, "btf/vmlinux"), "%s", buf);
	/* refused before anything was written */
	ck_assert_msg(stat(out, &sb) || sb.st_size == 0, "%s was written", out);
}
END_TEST

/*
 * kcap with load_hook.c preloaded, acting at its exit program's load.
 * Under ASan, a preloaded module comes before ASan's runtime, which ASan
 * would refuse.
 */
static void load_hook(void)
{
	const char *was = getenv("ASAN_OPTIONS");
	char asan[1024];

	snprintf(asan, sizeof(asan), "%s%sverify_asan_link_order=0",
		 was ? was : "", was ? ":" : "");
	if (setenv("ASAN_OPTIONS", asan, 1) ||
	    setenv("KCAP_TEST_PROG", "kcap_sys_exit", 1) ||
	    setenv("LD_PRELOAD", LOAD_HOOK_SO, 1))
		_exit(125);
}

/* The verifier rejects kcap's exit program, for real. */
static void reject_exit_prog(void)
{
	load_hook();
	if (setenv("KCAP_TEST_REJECT", "1", 1))
		_exit(125);
}

START_TEST(test_a_program_the_verifier_rejects_is_shown_with_its_reason)
{
	char out[512], buf[65536];
	const char *argv[] = {
		KCAP_BIN, "record", "-w", out, "--", "true", NULL
	};

	snprintf(out, sizeof(out), "%s/rejected.kcap", tmpdir);
	/* which program, and the verifier's own words on why */
	run_says(argv, reject_exit_prog, 1, "R5 !read_ok", buf, sizeof(buf));
	ck_assert_msg(strstr(buf, "kcap_sys_exit"), "no program named in: %s",
		      buf);
	/* not buried under libbpf's debug lines, one per CO-RE relocation */
	ck_assert_msg(!strstr(buf, "relo #"), "debug lines in: %s", buf);
	/* not taken for a want of privilege */
	ck_assert_msg(!strstr(buf, "needs root"), "blamed privileges: %s", buf);
}
END_TEST

/*
 * A copy of /bin/true whose dynamic loader (PT_INTERP) names a file that
 * is not there: the exec fails with ENOENT, about a file that is.
 */
static void copy_with_missing_loader(const char *to)
{
	static char img[4 << 20];
	Elf64_Ehdr eh;
	Elf64_Phdr ph;
	ssize_t n;
	int fd = open("/bin/true", O_RDONLY), i;

	ck_assert_int_ge(fd, 0);
	n = read(fd, img, sizeof(img));
	close(fd);
	ck_assert_int_gt(n, (ssize_t)sizeof(eh));
	memcpy(&eh, img, sizeof(eh));
	for (i = 0; i < eh.e_phnum; i++) {
		memcpy(&ph, img + eh.e_phoff + (size_t)i * eh.e_phentsize,
		       sizeof(ph));
		if (ph.p_type == PT_INTERP)
			break;
	}
	ck_assert_msg(i < eh.e_phnum, "/bin/true has no PT_INTERP");
	ck_assert_int_ge(ph.p_filesz, 2);
	img[ph.p_offset + ph.p_filesz - 2] = 'X'; /* ld-....so.2 -> .so.X */
	fd = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, img, n), n);
	close(fd);
}

/*
 * A CMD that passes a look at its file but whose exec would fail: a
 * script whose #! interpreter, or a program whose loader, is missing. It
 * is refused before -w is touched, as a shell says it (127): the exec
 * failed only after the recording that was there had been emptied.
 */
START_TEST(test_a_cmd_whose_interpreter_or_loader_is_missing_leaves_w_alone)
{
	char out[512], cmd[512], buf[8192];
	const char *argv[] = { KCAP_BIN, "record", "-w", out, "--", cmd, NULL };

	snprintf(out, sizeof(out), "%s/kept.kcap", tmpdir);
	for (int k = 0; k < 2; k++) {
		snprintf(cmd, sizeof(cmd), "%s/%s", tmpdir,
			 k ? "noloader" : "nointerp.sh");
		if (k) {
			copy_with_missing_loader(cmd);
		} else {
			write_text(cmd, "#!/no/such/interpreter -x\nexit 0\n");
			ck_assert_int_eq(chmod(cmd, 0755), 0);
		}
		write_text(out, "a recording to keep\n");
		run_says(argv, no_setup, 127,
			 k ? "its dynamic loader" :
			     "its interpreter /no/such/interpreter:",
			 buf, sizeof(buf));
		read_text(out, buf, sizeof(buf));
		ck_assert_str_eq(buf, "a recording to keep\n");
		unlink(cmd);
	}
	unlink(out);
}
END_TEST

static char path_dir[512];

static void path_is_dir(void)
{
	if (setenv("PATH", path_dir, 1))
		_exit(125);
}

/* as a shell: "Permission denied" and 126, not "not found" and 127 */
START_TEST(test_a_cmd_in_path_without_the_x_bit_is_refused_as_not_runnable)
{
	char cmd[600], buf[8192];
	const char *argv[] = { KCAP_BIN, "record",	  "-w", "/dev/null",
			       "--",	 "kcap-test-nox", NULL };

	snprintf(path_dir, sizeof(path_dir), "%s/nox", tmpdir);
	mkdir(path_dir, 0755);
	snprintf(cmd, sizeof(cmd), "%s/kcap-test-nox", path_dir);
	write_text(cmd, "#!/bin/sh\nexit 0\n");
	ck_assert_int_eq(chmod(cmd, 0644), 0);
	run_says(argv, path_is_dir, 126, "Permission denied", buf, sizeof(buf));
	ck_assert_msg(strstr(buf, cmd), "%s", buf);
	unlink(cmd);
	rmdir(path_dir);
}
END_TEST

/*
 * A mistyped -p, -e or -w directory is said before the programs load (a
 * second or two, more on a busy machine): with the exit program made one
 * the verifier rejects, the answer is still about the pid, the name or
 * the directory.
 */
START_TEST(test_a_bad_pid_name_or_output_directory_is_refused_before_loading)
{
	char buf[65536];
	const char *bad_p[] = { KCAP_BIN, "record",    "-p", "999999999",
				"-w",	  "/dev/null", NULL };
	const char *bad_w[] = { KCAP_BIN, "record", "-w", "/no/such/dir/x.kcap",
				"--",	  "true",   NULL };
	const char *bad_e[] = { KCAP_BIN, "record",    "-e", "no_such_syscall",
				"-w",	  "/dev/null", NULL };

	run_says(bad_p, reject_exit_prog, 1, "no process 999999999", buf,
		 sizeof(buf));
	ck_assert_msg(!strstr(buf, "!read_ok"), "%s", buf);
	run_says(bad_e, reject_exit_prog, 2, "no_such_syscall", buf,
		 sizeof(buf));
	ck_assert_msg(!strstr(buf, "!read_ok"), "%s", buf);
	run_says(bad_w, reject_exit_prog, 1, "No such file or directory", buf,
		 sizeof(buf));
	ck_assert_msg(!strstr(buf, "!read_ok"), "%s", buf);
}
END_TEST

static void close_stdout(void)
{
	close(1);
}

/* kcap's first fd took number 1, and the stats went into it at the end */
START_TEST(test_stats_json_to_a_closed_standard_output_is_refused_at_once)
{
	char buf[8192];
	const char *argv[] = { KCAP_BIN, "record",    "-q",
			       "-w",	 "/dev/null", "--stats-json",
			       "-",	 "--",	      "true",
			       NULL };

	run_says(argv, close_stdout, 2, "standard output is closed", buf,
		 sizeof(buf));
}
END_TEST

static pid_t doomed;
static char doomed_pid[32];

static void *reap_doomed(void *arg)
{
	int st;

	(void)arg;
	waitpid(doomed, &st, 0);
	return NULL;
}

static void kill_doomed_at_load(void)
{
	load_hook();
	if (setenv("KCAP_TEST_KILL", doomed_pid, 1))
		_exit(125);
}

/*
 * -p A,B where A exits while kcap loads (a second or two after the pids
 * were typed): A is said and left out, and B recorded. kcap refused the
 * whole run ("no process A").
 */
START_TEST(test_p_records_the_processes_left_when_one_exits_during_the_load)
{
	char path[512], pbuf[64], buf[8192];
	const char *argv[] = { KCAP_BIN, "record", "-q", "-M", "1",
			       "-p",	 pbuf,	   "-w", path, NULL };
	pid_t slow = start_slow();
	struct recs r;
	pthread_t th;

	doomed = fork();
	ck_assert_int_ge(doomed, 0);
	if (!doomed) {
		pause();
		_exit(0);
	}
	/* reaped at once: a zombie is still a process to /proc */
	ck_assert_int_eq(pthread_create(&th, NULL, reap_doomed, NULL), 0);
	snprintf(doomed_pid, sizeof(doomed_pid), "%d", doomed);
	snprintf(pbuf, sizeof(pbuf), "%d,%d", doomed, slow);
	snprintf(path, sizeof(path), "%s/doomed.kcap", tmpdir);
	run_says(argv, kill_doomed_at_load, 0,
		 "exited before recording started", buf, sizeof(buf));
	ck_assert_msg(strstr(buf, doomed_pid), "%s", buf);
	pthread_join(th, NULL);
	stop_slow(slow);
	load(path, &r);
	only_from(&r, slow);
	unload(&r);
}
END_TEST

START_TEST(test_bad_options_are_refused_with_status_2)
{
	const char *a1[] = { "record", "-e",	    "no_such_syscall",
			     "-w",     "/dev/null", NULL };
	const char *a2[] = { "record", "-s", "100000", NULL };
	const char *a3[] = { "record", "-z", "gzip", NULL };
	const char *a4[] = { "record", "--entry-probe", "kprobe", NULL };
	/* -T times syscalls at sys_enter, which these do not all reach */
	const char *a5[] = { "record", "-T", "--entry-probe", "syscalls",
			     NULL };
	/* -w and CMD: were the list taken, the test would not hang */
	const char *a6[] = { "record",	  "--recorder-cpus",
			     "0-",	  "-w",
			     "/dev/null", "--",
			     "true",	  NULL };
	/* a list it can parse, of CPUs this machine does not have */
	const char *a7[] = { "record",	  "--recorder-cpus",
			     "1000-1023", "-w",
			     "/dev/null", "--",
			     "true",	  NULL };
	const char *a8[] = { "record", "-p", "4294967297", "-M",
			     "0.5",    "-w", "/dev/null",  NULL };
	/* "--" and nothing after: it recorded the machine until killed */
	const char *a9[] = { "record", "-w", "/dev/null", "--", NULL };

	ck_assert_int_eq(run_kcap(a1, NULL, true), 2);
	ck_assert_int_eq(run_kcap(a2, NULL, true), 2);
	ck_assert_int_eq(run_kcap(a3, NULL, true), 2);
	ck_assert_int_eq(run_kcap(a4, NULL, true), 2);
	ck_assert_int_eq(run_kcap(a5, NULL, true), 2);
	ck_assert_int_eq(run_kcap(a6, NULL, true), 2);
	ck_assert_int_eq(run_kcap(a7, NULL, true), 2);
	/* without CMD, which -p excludes: an int took it as pid 1 */
	ck_assert_int_eq(run_kcap(a8, NULL, true), 2);
	ck_assert_int_eq(run_kcap(a9, NULL, true), 2);
	/*
	 * Numbers with a sign or past their type (strtoul took -1 as 2^64 -
	 * 1, and a budget of 2^32 + 1 as 1), empty lists, a comm the kernel
	 * would cut: refused, each with -w and a CMD so that none can hang.
	 */
	{
		static const char *bad[][2] = {
			{ "-c", "-1" },
			{ "-C", "-1" },
			{ "--io-budget", "-1" },
			{ "--io-budget", "4294967297" },
			{ "--dedup-ms", "-5" },
			{ "-e", "" },
			{ "-e", ",," },
			{ "--comm", "" },
			{ "--comm", "abcdefghijklmnop" },
			{ "-s", "-1" },
			{ "-M", "inf" },
			{ "--sample-when-full", "50:-3" },
			{ "-c", "0x" },
		};

		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			const char *a[] = { "record", bad[i][0],   bad[i][1],
					    "-w",     "/dev/null", "--",
					    "true",   NULL };

			ck_assert_msg(run_kcap(a, NULL, true) == 2, "%s '%s'",
				      bad[i][0], bad[i][1]);
		}
	}
	/* one command name, one cgroup: a second replaced the first */
	{
		const char *c2[] = { "record", "--comm", "ls",	      "--comm",
				     "cat",    "-w",	 "/dev/null", "--",
				     "true",   NULL };
		const char *g2[] = { "record",	       "--cgroup",
				     "/sys/fs/cgroup", "--cgroup",
				     "/sys/fs/cgroup", "-w",
				     "/dev/null",      "--",
				     "true",	       NULL };

		ck_assert_int_eq(run_kcap(c2, NULL, true), 2);
		ck_assert_int_eq(run_kcap(g2, NULL, true), 2);
	}
}
END_TEST

/*
 * kcap's exit status within secs, as run_kcap() gives it; -1, kcap
 * killed, if it runs longer.
 */
static int exit_within(pid_t pid, int secs)
{
	uint64_t t0 = now_ms();
	int st;

	while (waitpid(pid, &st, WNOHANG) == 0) {
		if (now_ms() - t0 > (uint64_t)secs * 1000) {
			kill(pid, SIGKILL);
			waitpid(pid, &st, 0);
			return -1;
		}
		sleep_ms(20);
	}
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* Waits up to 30 s for path to exist. */
static void wait_file(const char *path)
{
	for (int i = 0; i < 3000 && access(path, F_OK); i++)
		usleep(10000);
	ck_assert_msg(!access(path, F_OK), "no %s after 30 s", path);
}

/*
 * --stats-json is made before recording: a path it cannot have is
 * refused before CMD starts (it was refused after the whole recording),
 * and no output file may be it (it took the recording's place, exit 0).
 */
START_TEST(test_stats_json_is_checked_first_and_can_be_no_output_file)
{
	char path[512], rot[520], bad[512], ran[512], buf[4096];
	const char *same[] = { "record", "-q", "-w",	path, "--stats-json",
			       path,	 "--", "touch", ran,  NULL };
	const char *missing[] = { "record", "-q", "-w",	   path, "--stats-json",
				  bad,	    "--", "touch", ran,	 NULL };
	const char *rotated[] = {
		"record", "-q",		  "-C", "4k", "-w",
		path,	  "--stats-json", rot,	"--", WORKLOAD_BIN,
		"burst",  "20000",	  NULL
	};
	struct recs r;

	snprintf(path, sizeof(path), "%s/sj.kcap", tmpdir);
	snprintf(rot, sizeof(rot), "%s.1", path);
	snprintf(bad, sizeof(bad), "%s/no/such/dir/s.json", tmpdir);
	snprintf(ran, sizeof(ran), "%s/sj.ran", tmpdir);
	unlink(ran);
	unlink(path);
	ck_assert_int_eq(run_kcap(same, NULL, true), 2);
	ck_assert_msg(access(path, F_OK), "the refused stats file was left");
	ck_assert_msg(access(ran, F_OK), "CMD ran though -w was refused");
	ck_assert_int_eq(run_kcap(missing, NULL, true), 1);
	ck_assert_msg(access(ran, F_OK),
		      "CMD ran though --stats-json cannot be made");
	/* the second file would have been the stats file: recording stops */
	unlink(path);
	ck_assert_int_eq(run_kcap(rotated, NULL, true), 1);
	load(path, &r);
	ck_assert_int_eq(r.end, KCAP_END_COMPLETE);
	ck_assert_uint_gt(r.n, 0);
	unload(&r);
	read_text(rot, buf, sizeof(buf));
	ck_assert_msg(strstr(buf, "\"events\": "), "%s is not the stats", rot);
	/* a recording that is -w's file is kept: emptied, it was lost */
	ck_assert_int_eq(run_kcap(same, NULL, true), 2);
	load(path, &r);
	ck_assert_int_eq(r.end, KCAP_END_COMPLETE);
	unload(&r);
	/* "-" is standard output, as for -w (a file named "-" was made) */
	{
		char cmd[2048];

		snprintf(cmd, sizeof(cmd),
			 "cd %s && " KCAP_BIN " record -q -M 0.2 -w %s "
			 "--stats-json - > %s.out",
			 tmpdir, path, path);
		ck_assert_int_eq(system(cmd), 0);
		snprintf(cmd, sizeof(cmd), "%s.out", path);
		read_text(cmd, buf, sizeof(buf));
		ck_assert_msg(strstr(buf, "\"events\": "), "%s", buf);
		snprintf(cmd, sizeof(cmd), "%s/-", tmpdir);
		ck_assert_msg(access(cmd, F_OK), "a file named - was made");
	}
}
END_TEST

static void ignore_sigchld(void)
{
	signal(SIGCHLD, SIG_IGN);
}

/*
 * Started with SIGCHLD ignored (which survives exec), kcap had the kernel
 * reap CMD, found nothing to wait for, and recorded on until killed, then
 * exited 0: CMD's end ends the recording, and kcap exits with its status.
 */
START_TEST(test_cmd_ends_the_recording_though_sigchld_was_ignored)
{
	char path[512];
	const char *args[] = { "record", "-q", "-w",	 path, "--",
			       "sh",	 "-c", "exit 7", NULL };
	pid_t pid;

	snprintf(path, sizeof(path), "%s/sigchld.kcap", tmpdir);
	kcap_prep = ignore_sigchld;
	ck_assert_int_eq(run_kcap(args, &pid, false), 0);
	kcap_prep = NULL;
	ck_assert_int_eq(exit_within(pid, 30), 7);
}
END_TEST

static void block_sigterm(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, NULL);
}

/*
 * Started with SIGTERM blocked, kcap did not stop on it: without CMD only
 * SIGKILL ended it, and its file had no index. kcap takes it whatever
 * mask it was given, and CMD gets that mask.
 */
START_TEST(test_a_blocked_sigterm_still_stops_kcap_and_stays_blocked_for_cmd)
{
	char path[512];
	const char *cmd[] = { "record",
			      "-q",
			      "-w",
			      path,
			      "--",
			      "grep",
			      "-q",
			      "^SigBlk:[[:space:]]*0*4000$",
			      "/proc/self/status",
			      NULL };
	const char *alone[] = { "record", "-q", "-M", "60", "-w", path, NULL };
	struct recs r;
	pid_t pid;

	snprintf(path, sizeof(path), "%s/blocked.kcap", tmpdir);
	kcap_prep = block_sigterm;
	ck_assert_msg(run_kcap(cmd, NULL, true) == 0,
		      "CMD's signal mask is not the one kcap was given");
	unlink(path);
	ck_assert_int_eq(run_kcap(alone, &pid, false), 0);
	kcap_prep = NULL;
	wait_snapshot(path);
	kill(pid, SIGTERM);
	/* a clean stop, as for an unblocked one: -M would have been 60 s */
	ck_assert_int_eq(exit_within(pid, 20), 0);
	load(path, &r);
	ck_assert_int_eq(r.end, KCAP_END_COMPLETE);
	unload(&r);
}
END_TEST

/*
 * Only the first stop signal went to CMD: a CMD that ignores SIGINT kept
 * kcap waiting after a SIGTERM too. Each is passed on.
 */
START_TEST(test_a_second_stop_signal_is_passed_to_cmd_too)
{
	char path[512], ready[512], script[1100];
	const char *args[] = { "record", "-q", "-w",   path, "--",
			       "sh",	 "-c", script, NULL };
	pid_t pid;

	snprintf(path, sizeof(path), "%s/twostops.kcap", tmpdir);
	snprintf(ready, sizeof(ready), "%s/twostops.ready", tmpdir);
	snprintf(script, sizeof(script),
		 "trap '' INT; touch '%s'; sleep 30; exit 4", ready);
	unlink(ready);
	ck_assert_int_eq(run_kcap(args, &pid, false), 0);
	wait_file(ready);
	kill(pid, SIGINT);
	sleep_ms(300);
	kill(pid, SIGTERM);
	ck_assert_int_eq(exit_within(pid, 20), 128 + SIGTERM);
}
END_TEST

static int pty_side = -1, pty_master = -1;

/* kcap leads a session whose terminal is pty_side, in its foreground */
static void on_pty(void)
{
	/* the test's end only: its close is the terminal's hangup */
	close(pty_master);
	if (setsid() < 0 || ioctl(pty_side, TIOCSCTTY, 0))
		_exit(125);
}

/*
 * A ^C on the terminal reaches the whole foreground process group, CMD
 * as well as kcap: kcap passed it on as well, and CMD got two (a Python
 * program its second KeyboardInterrupt while it cleaned up).
 */
START_TEST(test_a_terminal_interrupt_reaches_cmd_once)
{
	char path[512], count[512], ready[600], buf[64];
	const char *args[] = { "record",     "-q",	"-w",  path, "--",
			       WORKLOAD_BIN, "sigints", count, NULL };
	int master;
	pid_t pid;

	snprintf(path, sizeof(path), "%s/tty.kcap", tmpdir);
	snprintf(count, sizeof(count), "%s/tty.count", tmpdir);
	snprintf(ready, sizeof(ready), "%s.ready", count);
	unlink(count);
	unlink(ready);
	ck_assert_int_eq(openpty(&master, &pty_side, NULL, NULL, NULL), 0);
	pty_master = master;
	kcap_prep = on_pty;
	ck_assert_int_eq(run_kcap(args, &pid, false), 0);
	kcap_prep = NULL;
	close(pty_side);
	wait_file(ready);
	ck_assert_int_eq(write(master, "\003", 1), 1);
	ck_assert_int_ne(exit_within(pid, 30), -1);
	close(master);
	read_text(count, buf, sizeof(buf));
	ck_assert_msg(atoi(buf) == 1, "CMD got %d SIGINTs", atoi(buf));
}
END_TEST

/*
 * The terminal that kcap leads the session of hangs up (ssh -t, tmux,
 * docker run -t): the kernel sends SIGHUP, with SI_KERNEL as for a ^C,
 * to kcap alone. It is passed on: taken for a ^C that CMD got too, it
 * was not, and kcap waited for a CMD that never ended.
 */
START_TEST(test_a_terminal_hangup_ends_cmd_too)
{
	char path[512];
	const char *args[] = { "record", "-q",	  "-w",	 path,
			       "--",	 "sleep", "300", NULL };
	int master;
	pid_t pid;

	snprintf(path, sizeof(path), "%s/hangup.kcap", tmpdir);
	unlink(path);
	ck_assert_int_eq(openpty(&master, &pty_side, NULL, NULL, NULL), 0);
	pty_master = master;
	kcap_prep = on_pty;
	ck_assert_int_eq(run_kcap(args, &pid, false), 0);
	kcap_prep = NULL;
	close(pty_side);
	wait_snapshot(path);
	close(master);
	ck_assert_int_eq(exit_within(pid, 20), 128 + SIGHUP);
}
END_TEST

static void ignore_sighup(void)
{
	signal(SIGHUP, SIG_IGN);
}

/*
 * A SIGHUP (the terminal or ssh session gone) killed kcap: its file had
 * no index, and CMD ran on. It stops kcap as SIGTERM does; under nohup
 * (SIGHUP ignored) it is ignored.
 */
START_TEST(test_a_sighup_stops_kcap_cleanly_unless_it_was_ignored)
{
	char path[512];
	const char *args[] = { "record", "-q", "-M", "60", "-w", path, NULL };
	struct recs r;
	pid_t pid;
	int st;

	snprintf(path, sizeof(path), "%s/hup.kcap", tmpdir);
	unlink(path);
	ck_assert_int_eq(run_kcap(args, &pid, false), 0);
	wait_snapshot(path);
	kill(pid, SIGHUP);
	ck_assert_int_eq(exit_within(pid, 20), 0);
	load(path, &r);
	ck_assert_int_eq(r.end, KCAP_END_COMPLETE);
	unload(&r);

	unlink(path);
	kcap_prep = ignore_sighup;
	ck_assert_int_eq(run_kcap(args, &pid, false), 0);
	kcap_prep = NULL;
	wait_snapshot(path);
	kill(pid, SIGHUP);
	sleep_ms(500);
	ck_assert_msg(waitpid(pid, &st, WNOHANG) == 0,
		      "an ignored SIGHUP ended kcap");
	kill(pid, SIGTERM);
	ck_assert_int_eq(exit_within(pid, 20), 0);
}
END_TEST

/*
 * The other signals whose default action ends a process (^\'s SIGQUIT,
 * a timer's SIGALRM, a CPU limit's SIGXCPU) killed kcap and left its
 * file without an index: they stop it as SIGTERM does.
 */
START_TEST(test_sigquit_sigalrm_and_sigxcpu_stop_kcap_cleanly)
{
	static const int sigs[] = { SIGQUIT, SIGALRM, SIGXCPU };
	char path[512];
	const char *args[] = { "record", "-q", "-M", "60", "-w", path, NULL };

	snprintf(path, sizeof(path), "%s/quit.kcap", tmpdir);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		struct recs r;
		pid_t pid;

		unlink(path);
		ck_assert_int_eq(run_kcap(args, &pid, false), 0);
		wait_snapshot(path);
		kill(pid, sigs[i]);
		ck_assert_msg(exit_within(pid, 20) == 0, "%s",
			      strsignal(sigs[i]));
		load(path, &r);
		ck_assert_msg(r.end == KCAP_END_COMPLETE, "%s",
			      strsignal(sigs[i]));
		unload(&r);
	}
}
END_TEST

/*
 * Each stop signal reaches CMD, not the last alone: a SIGINT 10 ms after
 * a SIGTERM took its place, and CMD, which ignores SIGINT (as a
 * background job's commands do), ran on and kcap with it.
 */
START_TEST(test_every_stop_signal_reaches_cmd_not_only_the_last)
{
	char path[512];
	const char *args[] = { "record",
			       "-q",
			       "-w",
			       path,
			       "--",
			       "/bin/sh",
			       "-c",
			       "trap '' INT; trap 'exit 9' TERM; "
			       "while :; do sleep 0.05; done",
			       NULL };
	pid_t pid;

	snprintf(path, sizeof(path), "%s/termint.kcap", tmpdir);
	unlink(path);
	ck_assert_int_eq(run_kcap(args, &pid, false), 0);
	wait_snapshot(path);
	sleep_ms(200); /* sh has set its traps */
	kill(pid, SIGTERM);
	sleep_ms(10);
	kill(pid, SIGINT);
	ck_assert_int_eq(exit_within(pid, 30), 9);
}
END_TEST

/*
 * A CMD that cannot run is said before BPF loads and -w is made: a typo
 * replaced the recording that was there with one of a failed exec. And
 * -w - with standard output closed is said as such (kcap's first fd
 * took number 1: "Invalid argument").
 */
START_TEST(test_a_cmd_that_cannot_run_is_refused_before_w_is_touched)
{
	char path[512], missing[600];
	const char *first[] = { "record", "-q", "-w", path, "--", "true", NULL };
	const char *typo[] = { "record", "-q", "-w", path, "--", missing, NULL };
	const char *notfound[] = { "record", "-q", "-w",
				   path,     "--", "no-such-command-x",
				   NULL };
	const char *dir[] = { "record", "-q", "-w", path, "--", tmpdir, NULL };
	const char *closed[] = { "record", "-q", "-M", "0.2", "-w", "-", NULL };
	struct stat before, after;
	struct recs r;

	snprintf(path, sizeof(path), "%s/typo.kcap", tmpdir);
	snprintf(missing, sizeof(missing), "%s/no/such/cmd", tmpdir);
	ck_assert_int_eq(run_kcap(first, NULL, true), 0);
	ck_assert_int_eq(stat(path, &before), 0);
	ck_assert_int_eq(run_kcap(typo, NULL, true), 127);
	ck_assert_int_eq(run_kcap(notfound, NULL, true), 127);
	ck_assert_int_eq(run_kcap(dir, NULL, true), 126);
	/* the first recording, as it was: not written again */
	ck_assert_int_eq(stat(path, &after), 0);
	ck_assert_int_eq(after.st_mtim.tv_sec, before.st_mtim.tv_sec);
	ck_assert_int_eq(after.st_mtim.tv_nsec, before.st_mtim.tv_nsec);
	ck_assert_int_eq(after.st_size, before.st_size);
	load(path, &r);
	ck_assert_int_eq(r.end, KCAP_END_COMPLETE);
	unload(&r);
	kcap_prep = close_stdout;
	ck_assert_int_eq(run_kcap(closed, NULL, true), 2);
	kcap_prep = NULL;
}
END_TEST

static void alarm_in_5s(void)
{
	alarm(5); /* kept across exec: kcap's own timer; CMD runs by then */
}

/*
 * A SIGALRM of kcap's own timer (the kernel's, SI_KERNEL) is no signal
 * CMD should die of: CMD gets a SIGTERM, which the shell traps.
 */
START_TEST(test_a_stop_by_kcaps_own_timer_asks_cmd_to_stop_by_sigterm)
{
	char path[512];
	const char *args[] = {
		"record", "-q",
		"-w",	  path,
		"--",	  "/bin/sh",
		"-c",	  "trap 'exit 7' TERM; while :; do sleep 0.05; done",
		NULL
	};
	struct recs r;
	pid_t pid;

	snprintf(path, sizeof(path), "%s/alarm.kcap", tmpdir);
	kcap_prep = alarm_in_5s;
	ck_assert_int_eq(run_kcap(args, &pid, false), 0);
	kcap_prep = NULL;
	ck_assert_int_eq(exit_within(pid, 30), 7);
	load(path, &r);
	ck_assert_int_eq(r.end, KCAP_END_COMPLETE);
	unload(&r);
}
END_TEST

/* Whether pid is in an open or openat now (/proc/PID/syscall). */
static bool in_open(pid_t pid)
{
	char path[64], buf[64] = "";
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/syscall", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return false;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = 0;
	fclose(f);
	return !strncmp(buf, "257 ", 4) || !strncmp(buf, "2 ", 2);
}

/*
 * -w FIFO waits for a reader in its open: a SIGINT there is a stop, said
 * as one, with the status of a stop (130), not "cannot create FIFO:
 * Interrupted system call" and 1; CMD never starts.
 */
/* _i: the FIFO is -w's (0) or --stats-json's (1) */
START_TEST(test_a_stop_while_a_fifo_waits_for_its_reader_is_a_stop)
{
	char fifo[512], ran[512], err[512], buf[4096], out[512];
	const char *w_fifo[] = { "record", "-q",    "-w", fifo,
				 "--",	   "touch", ran,  NULL };
	const char *stats_fifo[] = { "record", "-q",	       "-w",
				     out,      "--stats-json", fifo,
				     "--",     "touch",	       ran,
				     NULL };
	const char *const *args = _i ? stats_fifo : w_fifo;
	pid_t pid;
	int i;

	snprintf(out, sizeof(out), "%s/fifo.kcap", tmpdir);
	snprintf(fifo, sizeof(fifo), "%s/out.fifo", tmpdir);
	snprintf(ran, sizeof(ran), "%s/fifo.ran", tmpdir);
	snprintf(err, sizeof(err), "%s/fifo.err", tmpdir);
	unlink(fifo);
	unlink(ran);
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	kcap_stderr = err;
	ck_assert_int_eq(run_kcap(args, &pid, false), 0);
	kcap_stderr = NULL;
	for (i = 0; i < 3000 && !in_open(pid); i++)
		sleep_ms(10);
	ck_assert_msg(i < 3000, "kcap never waited in the FIFO's open");
	sleep_ms(100); /* the FIFO's open, not another one */
	ck_assert(in_open(pid));
	kill(pid, SIGINT);
	ck_assert_int_eq(exit_within(pid, 20), 128 + SIGINT);
	ck_assert_msg(access(ran, F_OK), "CMD ran");
	read_text(err, buf, sizeof(buf));
	ck_assert_msg(strstr(buf, "stopped by SIGINT while opening"), "%s",
		      buf);
	unlink(fifo);
	unlink(out);
}
END_TEST

static void drop_ptrace(void)
{
	/* from the bounding set: root's exec would give it back otherwise */
	if (prctl(PR_CAPBSET_DROP, 19 /* CAP_SYS_PTRACE */, 0, 0, 0))
		_exit(125);
}

/*
 * Without CAP_SYS_PTRACE the snapshot cannot read other users' fds, exe
 * and cwd (with CAP_BPF and CAP_PERFMON alone, 97 of 100 processes had no
 * exe): kcap records, and says so.
 */
START_TEST(test_recording_without_cap_sys_ptrace_says_what_the_snapshot_lacks)
{
	char path[512], err[512], buf[8192];
	const char *args[] = { "record", "-M", "0.3", "-w", path, NULL };

	snprintf(path, sizeof(path), "%s/noptrace.kcap", tmpdir);
	snprintf(err, sizeof(err), "%s/noptrace.err", tmpdir);
	kcap_prep = drop_ptrace;
	kcap_stderr = err;
	ck_assert_int_eq(run_kcap(args, NULL, true), 0);
	kcap_prep = NULL;
	kcap_stderr = NULL;
	read_text(err, buf, sizeof(buf));
	ck_assert_msg(strstr(buf, "without CAP_SYS_PTRACE"), "%s", buf);
}
END_TEST

/* Why the tests cannot run here, or NULL. */
static const char *cannot_run(void)
{
	if (geteuid() != 0)
		return "kcap record needs root to load eBPF programs";
	if (access("/sys/kernel/btf/vmlinux", R_OK))
		return "this kernel has no BTF (/sys/kernel/btf/vmlinux)";
	return NULL;
}

int main(void)
{
	const char *why = cannot_run();
	Suite *s = suite_create("record");
	TCase *tc = tcase_create("record");
	SRunner *sr;
	int failed;

	if (why) {
		printf("SKIP: %s\n", why);
		return 77;
	}
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/kcap-test-record-XXXXXX");
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	/* Orphans (the SIGKILL test's workload) come back to us. */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	record_full();

	tcase_set_timeout(tc, 120);
	/* _i: the entry probe the workload was recorded with (full_paths) */
	tcase_add_loop_test(
		tc, test_recording_a_command_exits_with_the_commands_status, 0,
		2);
	tcase_add_test(
		tc,
		test_by_default_entry_reads_use_syscall_tracepoints_and_leave_no_mount);
	tcase_add_test(tc,
		       test_the_file_starts_with_machine_and_snapshot_blocks);
	tcase_add_test(
		tc,
		test_the_snapshot_lists_each_fd_with_its_path_inode_and_flags);
	tcase_add_test(
		tc,
		test_the_exit_program_verifies_well_under_the_kernels_limit);
	tcase_add_loop_test(
		tc,
		test_recording_the_workload_yields_every_file_syscall_with_its_arguments,
		0, 2);
	tcase_add_loop_test(
		tc,
		test_recording_the_workload_yields_tcp_and_udp_with_addresses,
		0, 2);
	tcase_add_loop_test(
		tc, test_recording_the_workload_yields_fork_exec_kill_and_exits,
		0, 2);
	tcase_add_test(tc, test_events_of_each_thread_are_in_time_order);
	tcase_add_test(tc, test_execve_records_the_controlling_tty);
	tcase_add_test(tc, test_overload_loss_is_counted_exactly_per_type);
	tcase_add_test(
		tc,
		test_the_reader_is_woken_when_unread_records_pass_the_watermark);
	tcase_add_test(
		tc,
		test_the_summary_names_the_ring_size_when_the_ring_was_full);
	tcase_add_test(
		tc,
		test_syscall_numbers_past_the_table_are_recorded_as_generic);
	tcase_add_test(
		tc,
		test_a_busy_load_is_drained_in_batches_not_record_by_record);
	tcase_add_test(tc, test_selecting_syscalls_with_e_records_only_those);
	tcase_add_test(tc, test_snaplen_caps_the_data_kept);
	tcase_add_test(tc, test_snaplen_is_kept_exactly_at_and_past_256);
	tcase_add_test(tc, test_clone3_records_the_flags_of_its_clone_args);
	tcase_add_test(
		tc,
		test_exec_events_carry_the_cgroups_the_snapshot_read_from_proc);
	tcase_add_test(tc, test_exe_flags_say_writable_memfd_and_overlay_layer);
	tcase_add_test(tc, test_a_deleted_executable_is_named_as_proc_names_it);
	tcase_add_test(
		tc, test_comm_filter_records_an_execveat_into_the_wanted_comm);
	tcase_add_test(
		tc, test_an_open_path_not_paged_in_at_entry_is_still_recorded);
	tcase_add_test(tc,
		       test_open_names_of_every_length_are_recorded_exactly);
	tcase_add_test(tc,
		       test_names_and_argvs_longer_than_kept_are_marked_cut);
	tcase_add_test(tc, test_unix_socket_addresses_are_read_from_the_fd);
	tcase_add_test(tc, test_an_exec_from_a_second_thread_stays_recorded);
	tcase_add_test(tc, test_c_stops_after_n_events);
	tcase_add_test(
		tc,
		test_strftime_names_of_one_period_are_numbered_and_W_keeps_N);
	tcase_add_test(
		tc,
		test_kcap_closes_the_file_then_waits_for_the_command_through_signals);
	tcase_add_test(tc, test_an_output_that_fails_at_once_is_left_as_it_was);
	tcase_add_test(tc, test_a_cgroup_path_that_is_not_cgroup_v2_is_refused);
	tcase_add_test(
		tc,
		test_sigkill_mid_capture_leaves_a_file_readable_to_its_last_block);
	tcase_add_test(tc, test_sigint_stops_cleanly_and_closes_the_file);
	tcase_add_test(tc, test_sigusr2_writes_everything_buffered_at_once);
	tcase_add_test(tc, test_each_codec_and_stdout_give_readable_files);
	tcase_add_test(tc, test_records_go_into_columns_with_zstd_cols);
	tcase_add_test(tc, test_low_latency_mode_reports_delivery_times);
	tcase_add_test(tc,
		       test_low_latency_mode_wakes_a_reader_that_went_to_sleep);
	tcase_add_test(
		tc, test_low_latency_mode_uses_a_small_ring_unless_B_sets_one);
	tcase_add_test(
		tc,
		test_low_latency_polling_leaves_a_core_that_a_recorded_process_shares);
	tcase_add_test(
		tc,
		test_low_latency_polling_leaves_a_core_a_recorded_process_wakes_on);
	tcase_add_test(tc,
		       test_low_latency_mode_stops_polling_when_events_stop);
	tcase_add_test(
		tc,
		test_recorder_cpus_hold_kcap_and_leave_the_command_where_it_was);
	tcase_add_test(tc, test_sigusr1_prints_statistics);
	tcase_add_test(
		tc, test_live_statistics_go_to_a_terminal_and_q_silences_them);
	tcase_add_test(tc, test_the_recorder_never_records_itself);
	tcase_add_test(
		tc,
		test_a_write_error_stops_recording_and_leaves_the_file_readable);
	tcase_add_test(tc, test_a_stop_during_setup_never_starts_the_command);
	tcase_add_test(
		tc, test_stats_json_is_checked_first_and_can_be_no_output_file);
	tcase_add_test(tc,
		       test_cmd_ends_the_recording_though_sigchld_was_ignored);
	tcase_add_test(
		tc,
		test_a_blocked_sigterm_still_stops_kcap_and_stays_blocked_for_cmd);
	tcase_add_test(tc, test_a_second_stop_signal_is_passed_to_cmd_too);
	tcase_add_test(tc, test_a_terminal_interrupt_reaches_cmd_once);
	tcase_add_test(tc, test_a_terminal_hangup_ends_cmd_too);
	tcase_add_test(tc,
		       test_a_sighup_stops_kcap_cleanly_unless_it_was_ignored);
	tcase_add_test(tc, test_sigquit_sigalrm_and_sigxcpu_stop_kcap_cleanly);
	tcase_add_test(
		tc, test_a_stop_by_kcaps_own_timer_asks_cmd_to_stop_by_sigterm);
	tcase_add_test(tc,
		       test_every_stop_signal_reaches_cmd_not_only_the_last);
	tcase_add_test(
		tc, test_a_cmd_that_cannot_run_is_refused_before_w_is_touched);
	tcase_add_loop_test(
		tc, test_a_stop_while_a_fifo_waits_for_its_reader_is_a_stop, 0,
		2);
	tcase_add_test(
		tc,
		test_recording_without_cap_sys_ptrace_says_what_the_snapshot_lacks);
	tcase_add_test(
		tc,
		test_signals_while_loading_neither_fail_it_nor_record_after_a_stop);
	tcase_add_test(tc, test_p_records_children_forked_before_the_attach);
	tcase_add_test(tc, test_several_p_and_e_add_up);
	tcase_add_test(tc, test_p_with_a_threads_id_names_its_process);
	tcase_add_test(tc,
		       test_a_command_found_in_path_is_recorded_with_one_exec);
	tcase_add_test(tc, test_p_stops_once_its_processes_have_exited);
	tcase_add_test(tc, test_M_stops_at_its_time_not_at_the_next_poll);
	tcase_add_test(tc,
		       test_the_command_gets_the_signals_as_kcap_found_them);
	tcase_add_test(
		tc, test_C_rotates_by_size_into_files_that_each_decode_alone);
	tcase_add_test(tc, test_C_files_stay_close_to_the_size);
	tcase_add_test(
		tc,
		test_a_failed_rotation_stops_recording_and_still_counts_the_files);
	tcase_add_test(tc,
		       test_G_and_W_rotate_by_time_and_keep_a_ring_of_files);
	tcase_add_test(
		tc,
		test_the_ring_is_drained_while_the_next_files_snapshot_is_taken);
	tcase_add_test(
		tc, test_a_flush_during_a_rotation_does_not_stop_the_draining);
	tcase_add_test(
		tc,
		test_replay_places_a_file_where_it_is_though_the_walk_raced_chdirs);
	tcase_add_test(tc, test_io_budget_drops_and_counts_what_is_over_it);
	tcase_add_test(
		tc, test_dedup_folds_repeated_identical_events_and_counts_them);
	tcase_add_test(tc, test_sampling_when_the_ring_is_full_is_counted);
	tcase_add_test(tc, test_p_records_only_that_process);
	tcase_add_test(tc,
		       test_p_records_the_descendants_a_process_already_has);
	tcase_add_test(tc, test_comm_records_only_threads_of_that_name);
	tcase_add_test(tc, test_cgroup_records_only_tasks_of_that_cgroup);
	tcase_add_test(
		tc,
		test_low_latency_mode_loads_with_the_comm_and_cgroup_filters);
	tcase_add_test(tc, test_without_privileges_it_says_it_needs_root);
	tcase_add_test(tc, test_a_kernel_without_btf_is_named_as_the_problem);
	tcase_add_test(
		tc,
		test_a_program_the_verifier_rejects_is_shown_with_its_reason);
	tcase_add_test(
		tc,
		test_a_cmd_whose_interpreter_or_loader_is_missing_leaves_w_alone);
	tcase_add_test(
		tc,
		test_a_cmd_in_path_without_the_x_bit_is_refused_as_not_runnable);
	tcase_add_test(
		tc,
		test_a_bad_pid_name_or_output_directory_is_refused_before_loading);
	tcase_add_test(
		tc,
		test_p_records_the_processes_left_when_one_exits_during_the_load);
	tcase_add_test(
		tc,
		test_stats_json_to_a_closed_standard_output_is_refused_at_once);
	tcase_add_test(tc, test_bad_options_are_refused_with_status_2);
	tcase_add_test(
		tc,
		test_clones_in_a_pid_namespace_name_the_child_by_its_host_ids);
	tcase_add_test(
		tc,
		test_vpgid_is_0_for_a_group_outside_the_tasks_pid_namespace);
	tcase_add_loop_test(
		tc,
		test_recv_data_and_addresses_stop_at_the_room_the_caller_gave,
		0, 2);
	tcase_add_test(tc, test_getcwd_records_the_whole_path_not_marked_cut);
	tcase_add_test(tc, test_a_read_at_eof_has_empty_data_at_every_snaplen);
	tcase_add_test(tc, test_execveat_records_the_filename_it_was_given);
	tcase_add_test(
		tc,
		test_signaldeliver_names_a_sender_only_where_the_siginfo_has_one);
	tcase_add_test(tc,
		       test_events_folded_by_dedup_leave_the_io_budget_alone);
	tcase_add_test(tc,
		       test_the_read_that_releases_the_command_is_not_recorded);
	tcase_add_test(tc,
		       test_e_write_still_records_the_events_names_are_kept_by);
	tcase_add_test(tc,
		       test_cgroup_records_the_tasks_of_the_cgroups_below_it);
	tcase_add_test(
		tc, test_dedup_writes_a_repeat_record_for_each_run_that_ended);
	tcase_add_test(
		tc,
		test_a_signal_just_before_the_poll_sleeps_is_acted_on_at_once);
	tcase_add_test(tc, test_t_records_how_long_each_syscall_took);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	unload(&full);
	if (!failed) {
		char cmd[600];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
		if (system(cmd))
			fprintf(stderr, "could not remove %s\n", tmpdir);
	}
	/* The subreaper collects whatever is left. */
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	return failed ? 1 : 0;
}
