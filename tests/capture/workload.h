/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* What the workload does, shared with the test that checks the recording. */
#ifndef KCAP_WORKLOAD_H
#define KCAP_WORKLOAD_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WL_DIR "kcap-wl-dir"
/* "nosys": numbers past kcap's syscall table, each failing with ENOSYS */
#define WL_NOSYS_X32 (0x40000000 | 39) /* x32's getpid, where x32 is off */
#define WL_NOSYS_HIGH 600 /* no syscall at all */
#define WL_FILE "first"
#define WL_FILE2 "second"
#define WL_DIR_MODE 0750
#define WL_FILE_MODE 0640
#define WL_CHMOD_MODE 0600
#define WL_DATA "kcap-workload-data"
#define WL_PIPE_DATA "through-the-pipe"
#define WL_TCP_DATA "ping over tcp"
#define WL_UDP_DATA "ping over udp"
#define WL_DUPFD 100
#define WL_BIG 300 /* bytes of the one write of `workload bigwrite` */
/*
 * `workload ioruns`: the pause between its first two runs, and the dedup
 * window the test gives, shorter, so that the pause ends the first run
 */
#define WL_RUNS_GAP_MS 400
#define WL_RUNS_DEDUP_MS "200"
#define WL_CHASE_MS 1500 /* how long `workload chase` follows kcap */
/* `workload times`: a nanosleep, and a read that waits for a child */
#define WL_SLEEP_MS 50
#define WL_READ_WAIT_MS 30
#define WL_EXEC_PATH "/bin/true"
#define WL_UNIX_SOCK "kcap-test.sock"
/* clone3 flags: CLONE_FS, and CLONE_CLEAR_SIGHAND beyond the low 32 bits */
#define WL_CLONE3_FLAGS (0x200ull | 0x100000000ull)
#define WL_EXEC_ARGV0 "true"
#define WL_EXEC_ARGV1 "--kcap-arg"
#define WL_EXEC_ARGV2 "two words"
#define WL_KILL_SIG 15
/* workload exeflags: the unprivileged ids, the memfd and overlay names */
#define WL_NOBODY 65534
#define WL_MEMFD_NAME "kcap-wl-memfd"
#define WL_MEMFD_MODE 0757 /* others may write it */
#define WL_OVL_LOWER "in-lower"
#define WL_OVL_UPPER "in-upper"
/* exeflags' exit status: these bits for the parts this machine cannot do */
#define WL_NO_OVERLAY 0x10 /* overlayfs could not be mounted */
#define WL_NO_IMMUTABLE 0x20 /* the file system has no immutable flag */
#define WL_RO_EXE "true-on-ro-mount"
#define WL_IMMUTABLE_EXE "true-immutable"
#define WL_MISSING_EXE "/kcap-no-such-program" /* exeflags execs it first */
/* workload coldpath: files whose paths it passes from unmapped pages */
#define WL_COLD_FILE "cold-file"
#define WL_COLD_MISSING "cold-missing"
/*
 * `workload pathlens DIR` opens relative names of 1..WL_PATHLEN_MAX 'x's
 * in DIR: odd lengths exist, even ones do not. Lengths from
 * WL_PATHLEN_EDGE_LO to WL_PATHLEN_EDGE_HI are opened a second time from
 * a string that ends at the end of a page before an unreadable one.
 */
#define WL_PATHLEN_MAX 250
#define WL_PATHLEN_EDGE_LO 1
#define WL_PATHLEN_EDGE_HI 72
/*
 * `workload cuts`: openat of relative names of WL_CUT_PATH_WHOLE bytes
 * (the longest the recorder keeps whole) and WL_CUT_PATH_LONG; a child
 * that execs WL_EXEC_PATH with WL_CUT_NARGS arguments of
 * WL_CUT_ARGLEN bytes (more than it keeps of an argv); an execve of
 * WL_MISSING_EXE with the same arguments, which fails.
 */
#define WL_CUT_PATH_WHOLE 411
#define WL_CUT_PATH_LONG 600
#define WL_CUT_NARGS 40
#define WL_CUT_ARGLEN 40
/*
 * Then a child execs WL_EXEC_PATH with argv WL_EXEC_ARGV0, WL_CUT_X 'x's
 * and WL_CUT_EMPTIES empty strings: the recorder's 1 KiB ends among them.
 */
#define WL_CUT_X 1000
#define WL_CUT_EMPTIES 60

/* A relative name of n bytes: components of 'a's, at most 200 long. */
static inline void wl_long_name(char *buf, int n)
{
	int i;

	for (i = 0; i < n; i++)
		buf[i] = i % 201 == 200 ? '/' : 'a';
	buf[n] = 0;
}

/* The argv `workload cuts` passes, argv[0] first; NULL-terminated. */
static inline void wl_cut_argv(char **av, char *store)
{
	int i;

	for (i = 0; i < WL_CUT_NARGS; i++) {
		char *a = store + i * (WL_CUT_ARGLEN + 1);

		memset(a, 'a' + i % 26, WL_CUT_ARGLEN);
		a[WL_CUT_ARGLEN] = 0;
		av[i] = a;
	}
	av[0] = (char *)WL_EXEC_ARGV0;
	av[WL_CUT_NARGS] = NULL;
}
/*
 * `workload reviewed DIR`: a datagram of WL_TRUNC_LEN bytes received with
 * MSG_TRUNC into a buffer of WL_TRUNC_BUF; datagrams from a Unix socket
 * bound at DIR/WL_SENDER_SOCK received by recvfrom and recvmsg with room
 * for a struct sockaddr only; getcwd in DIR; a read at EOF; a fault at
 * WL_FAULT_ADDR, a SIGUSR1 to itself and a child's SIGCHLD, each handled;
 * then it becomes WL_EXEC_PATH through execveat(dirfd of "/bin", "true").
 */
#define WL_TRUNC_LEN 100
#define WL_TRUNC_BUF 4
#define WL_SENDER_SOCK "kcap-sender-with-a-long-name.sock"
#define WL_FAULT_ADDR 0x12345678
#define WL_EXECAT_NAME "true"
#define WL_EXIT 42

/*
 * Field n (from 1) of /proc/PID/stat, PID a number or "self"; -1 if it
 * cannot be read. comm, field 2, may hold spaces and parentheses: fields
 * are counted from its last closing parenthesis.
 */
static inline long long wl_stat_field(const char *pid, int n)
{
	char path[64], line[1024];
	const char *q;
	FILE *f;
	int i;

	snprintf(path, sizeof(path), "/proc/%s/stat", pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	q = fgets(line, sizeof(line), f) ? strrchr(line, ')') : NULL;
	fclose(f);
	for (i = 2; q && i < n; i++)
		q = strchr(q + 1, ' ');
	return q ? strtoll(q + 1, NULL, 10) : -1;
}

#endif
