// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The replay engine's state: processes, threads, fds; merging; seeking. */
#include <sys/wait.h>

#include "replay_testutil.h"
#include "checkrun.h"

#define O_CLOEXEC_ 0x80000

/* sh (100, cwd /home) with /var/log/app.log open as fd 1 in the snapshot */
static void seed_procs(struct cap *c)
{
	snap_proc(c, 1, 1, 0, "init", "/sbin/init", "/", T0);
	snap_proc(c, 100, 100, 1, "sh", "/bin/sh", "/home", T0);
	snap_proc(c, 101, 100, 1, "sh", "/bin/sh", "/home", T0);
	snap_fd(c, 100, 1, KCAP_FD_FILE, "/var/log/app.log", T0);
}

static void seed(struct cap *c)
{
	seed_procs(c);
	snap_flush(c);
}

START_TEST(an_fd_keeps_its_path_after_dup_and_across_fork)
{
	const char *path = tmppath("dupfork.kcap");
	struct collect co;
	struct cap c;

	cap_open(&c, path, 0);
	seed(&c);
	e_openat(&c, 100, T0 + 1 * MS, AT_FDCWD_, "notes/../notes.txt", 0, 3);
	{
		struct kcap_ev_dup2 *e = ev(&c, KCAP_EV_dup2, 100, T0 + 2 * MS);

		e->res = 7;
		e->oldfd = 3;
		e->newfd = 7;
		ev_end(&c);
	}
	e_clone(&c, 100, T0 + 3 * MS, 100, 200, 0x11 /* SIGCHLD */);
	e_rw(&c, KCAP_EV_read, 200, T0 + 4 * MS, 7, 10);
	e_close(&c, 100, T0 + 5 * MS, 3);
	e_rw(&c, KCAP_EV_write, 100, T0 + 6 * MS, 7, 5);
	e_rw(&c, KCAP_EV_write, 101, T0 + 7 * MS, 1, 5);
	e_rw(&c, KCAP_EV_read, 100, T0 + 8 * MS, 3, 5);
	e_rw(&c, KCAP_EV_read, 200, T0 + 9 * MS, 3, 5);
	cap_close(&c);

	ck_assert_int_eq(run_engine(&path, 1, NULL, 0, 0, &co, NULL), 0);
	ck_assert_uint_eq(co.n, 9);
	ck_assert_str_eq(row_at(&co, 0)->fd, "/home/notes.txt");
	ck_assert_str_eq(row_at(&co, 1)->fd,
			 "/home/notes.txt"); /* dup2's new fd */
	/* the child: its own process, the parent's fds and name */
	ck_assert_int_eq(row_at(&co, 3)->pid, 200);
	ck_assert_int_eq(row_at(&co, 3)->ppid, 100);
	ck_assert_str_eq(row_at(&co, 3)->comm, "sh");
	ck_assert_str_eq(row_at(&co, 3)->fd, "/home/notes.txt");
	ck_assert_str_eq(row_at(&co, 4)->fd,
			 "/home/notes.txt"); /* close sees it */
	ck_assert_str_eq(row_at(&co, 5)->fd,
			 "/home/notes.txt"); /* fd 7 lives on */
	/* a second thread shares its process's fds, from the snapshot */
	ck_assert_int_eq(row_at(&co, 6)->pid, 100);
	ck_assert_str_eq(row_at(&co, 6)->fd, "/var/log/app.log");
	ck_assert_str_eq(row_at(&co, 7)->fd, ""); /* closed in the parent */
	ck_assert_int_eq(row_at(&co, 7)->fdnum, 3);
	ck_assert_str_eq(row_at(&co, 8)->fd,
			 "/home/notes.txt"); /* not in the child */
	free(co.rows);
}
END_TEST

/*
 * A vfork child's side of the clone comes before its parent's (the parent
 * waits for the child's exec): the child's fds are its parent's, names
 * and all; they had none.
 */
START_TEST(a_child_whose_clone_comes_first_has_its_parents_fds)
{
	const char *path = tmppath("vfork.kcap");
	struct collect co;
	struct cap c;

	cap_open(&c, path, 0);
	seed(&c);
	{
		struct kcap_ev_clone *e = ev(&c, KCAP_EV_clone, 300, T0 + MS);

		e->res = 0;
		e->flags = 0x4111; /* CLONE_VFORK | CLONE_VM | SIGCHLD */
		e->tgid = 300;
		e->ppid = 100;
		ev_end(&c);
	}
	e_rw(&c, KCAP_EV_write, 300, T0 + 2 * MS, 1, 5);
	e_clone(&c, 100, T0 + 3 * MS, 100, 300, 0x4111);
	cap_close(&c);

	ck_assert_int_eq(run_engine(&path, 1, NULL, 0, 0, &co, NULL), 0);
	ck_assert_uint_eq(co.n, 3);
	ck_assert_int_eq(row_at(&co, 1)->pid, 300);
	ck_assert_int_eq(row_at(&co, 1)->ppid, 100);
	ck_assert_str_eq(row_at(&co, 1)->fd, "/var/log/app.log");
	free(co.rows);
}
END_TEST

/*
 * The engine looks an event's fd up only when the filter reads an fd field
 * or an analyzer will see the event: whatever the filter, what analyzers
 * see of the fd is what they see with no filter.
 */
START_TEST(analyzers_see_the_fd_whatever_the_filter_reads)
{
	static const char *const filters[] = {
		"proc.name = sh", /* decided inline, on the name */
		"not proc.name = init",
		"evt.type in (read, write, close)", /* inline, on the type */
		"proc.pid = 200 or tid = 101", /* the evaluator, no fd field */
		"fd.num = 7", /* reads the fd */
		"proc.name = sh and fd.name startswith /home",
	};
	static const size_t counts[] = { 9, 9, 6, 3, 4, 6 };
	const char *path = tmppath("lazyfd.kcap");
	struct collect all, co;
	struct cap c;
	size_t i, j, k;

	cap_open(&c, path, 0);
	seed(&c);
	e_openat(&c, 100, T0 + 1 * MS, AT_FDCWD_, "notes.txt", 0, 3);
	{
		struct kcap_ev_dup2 *e = ev(&c, KCAP_EV_dup2, 100, T0 + 2 * MS);

		e->res = 7;
		e->oldfd = 3;
		e->newfd = 7;
		ev_end(&c);
	}
	e_clone(&c, 100, T0 + 3 * MS, 100, 200, 0x11 /* SIGCHLD */);
	e_rw(&c, KCAP_EV_read, 200, T0 + 4 * MS, 7, 10);
	e_close(&c, 100, T0 + 5 * MS, 3);
	e_rw(&c, KCAP_EV_write, 100, T0 + 6 * MS, 7, 5);
	e_rw(&c, KCAP_EV_write, 101, T0 + 7 * MS, 1, 5);
	e_rw(&c, KCAP_EV_read, 100, T0 + 8 * MS, 3, 5);
	e_rw(&c, KCAP_EV_read, 200, T0 + 9 * MS, 7, 5);
	cap_close(&c);

	ck_assert_int_eq(run_engine(&path, 1, NULL, 0, 0, &all, NULL), 0);
	ck_assert_uint_eq(all.n, 9);
	for (k = 0; k < sizeof(filters) / sizeof(filters[0]); k++) {
		ck_assert_int_eq(
			run_engine(&path, 1, filters[k], 0, 0, &co, NULL), 0);
		ck_assert_msg(co.n == counts[k], "%s: %zu events", filters[k],
			      co.n);
		for (i = 0; i < co.n; i++) {
			const struct row *r = row_at(&co, i), *a = NULL;

			for (j = 0; j < all.n; j++)
				if (row_at(&all, j)->num == r->num)
					a = row_at(&all, j);
			ck_assert_ptr_nonnull(a);
			ck_assert_int_eq(r->fdnum, a->fdnum);
			ck_assert_int_eq(r->cloexec, a->cloexec);
			ck_assert_msg(!strcmp(r->fd, a->fd),
				      "%s: #%llu: %s, not %s", filters[k],
				      (unsigned long long)r->num, r->fd, a->fd);
		}
		free(co.rows);
	}
	ck_assert_str_eq(row_at(&all, 3)->fd, "/home/notes.txt");
	free(all.rows);
}
END_TEST

START_TEST(exec_replaces_the_process_name_and_closes_cloexec_fds)
{
	const char *path = tmppath("exec.kcap");
	static const char argv[] = "ls\0-l\0/tmp";
	struct collect co;
	struct cap c;

	cap_open(&c, path, 0);
	seed(&c);
	e_openat(&c, 100, T0 + 1 * MS, AT_FDCWD_, "/etc/passwd", O_CLOEXEC_, 4);
	e_openat(&c, 100, T0 + 2 * MS, AT_FDCWD_, "/etc/group", 0, 5);
	{
		/* fcntl(5, F_SETFD, FD_CLOEXEC) then back */
		struct kcap_ev_fcntl *e =
			ev(&c, KCAP_EV_fcntl, 100, T0 + 3 * MS);

		e->res = 0;
		e->fd = 6;
		e->cmd = 2;
		e->arg = 1;
		ev_end(&c);
	}
	e_execve(&c, 100, T0 + 4 * MS, 100, "/usr/bin/ls", argv, sizeof(argv));
	e_rw(&c, KCAP_EV_read, 100, T0 + 5 * MS, 4, 10);
	e_rw(&c, KCAP_EV_read, 100, T0 + 6 * MS, 5, 10);
	e_rw(&c, KCAP_EV_write, 101, T0 + 7 * MS, 1, 10); /* exec killed 101 */
	cap_close(&c);

	ck_assert_int_eq(run_engine(&path, 1, NULL, 0, 0, &co, NULL), 0);
	ck_assert_uint_eq(co.n, 7);
	ck_assert_int_eq(row_at(&co, 0)->cloexec, 1);
	ck_assert_str_eq(row_at(&co, 0)->comm, "sh");
	ck_assert_str_eq(row_at(&co, 3)->comm, "ls"); /* exec sees its result */
	ck_assert_str_eq(row_at(&co, 4)->comm, "ls");
	ck_assert_str_eq(row_at(&co, 4)->fd, ""); /* O_CLOEXEC: gone */
	ck_assert_str_eq(row_at(&co, 5)->fd, "/etc/group");
	/* tid 101 died at exec: seen again, it is a new unknown process */
	ck_assert_int_eq(row_at(&co, 6)->pid, 101);
	ck_assert_str_eq(row_at(&co, 6)->comm, "");
	free(co.rows);
}
END_TEST

START_TEST(state_survives_lost_closes_and_exits)
{
	const char *path = tmppath("lost.kcap");
	struct collect co;
	struct cap c;

	cap_open(&c, path, 0);
	seed_procs(&c);
	snap_proc(&c, 300, 300, 1, "old", "/bin/old", "/", T0);
	snap_flush(&c);
	/* fd 3 opened twice: the close in between was lost */
	e_openat(&c, 100, T0 + 1 * MS, AT_FDCWD_, "/a", 0, 3);
	e_openat(&c, 100, T0 + 2 * MS, AT_FDCWD_, "/b", 0, 3);
	e_rw(&c, KCAP_EV_read, 100, T0 + 3 * MS, 3, 1);
	/* 300's exit was lost: a clone that makes pid 300 retires it */
	e_clone(&c, 100, T0 + 4 * MS, 100, 300, 0x11);
	e_rw(&c, KCAP_EV_read, 300, T0 + 5 * MS, 3, 1);
	e_exit(&c, 300, T0 + 6 * MS, 300, 0);
	e_rw(&c, KCAP_EV_read, 300, T0 + 7 * MS, 3, 1);
	cap_close(&c);

	ck_assert_int_eq(run_engine(&path, 1, NULL, 0, 0, &co, NULL), 0);
	ck_assert_uint_eq(co.n, 7);
	ck_assert_str_eq(row_at(&co, 2)->fd, "/b");
	ck_assert_str_eq(row_at(&co, 4)->comm, "sh");
	ck_assert_int_eq(row_at(&co, 4)->ppid, 100);
	ck_assert_str_eq(row_at(&co, 4)->fd, "/b");
	ck_assert_str_eq(row_at(&co, 5)->comm, "sh"); /* exit sees who exits */
	ck_assert_str_eq(row_at(&co, 6)->comm, ""); /* and then it is gone */
	free(co.rows);
}
END_TEST

START_TEST(a_later_snapshot_retires_threads_it_does_not_list)
{
	const char *path = tmppath("resnap.kcap");
	struct kcap_replay_stats st;
	struct collect co;
	struct cap c;

	cap_open(&c, path, 0);
	seed(&c);
	e_rw(&c, KCAP_EV_read, 101, T0 + 1 * MS, 1, 1);
	/* a rotation: 101 is gone, 100 renamed itself */
	snap_proc(&c, 1, 1, 0, "init", "/sbin/init", "/", T0 + 2 * MS);
	snap_proc(&c, 100, 100, 1, "sh2", "/bin/sh", "/home", T0 + 2 * MS);
	snap_flush(&c);
	e_rw(&c, KCAP_EV_read, 100, T0 + 3 * MS, 1, 1);
	cap_close(&c);

	ck_assert_int_eq(run_engine(&path, 1, NULL, 0, 0, &co, &st), 0);
	ck_assert_uint_eq(co.n, 2);
	ck_assert_str_eq(row_at(&co, 1)->comm, "sh2");
	ck_assert_str_eq(row_at(&co, 1)->fd,
			 ""); /* the snapshot listed no fds */
	ck_assert_uint_eq(st.threads, 2);
	ck_assert_uint_eq(st.procs, 2);
	free(co.rows);
}
END_TEST

/*
 * A recorder reads /proc process by process while events keep happening:
 * what a process did before the walk reached it is both in the snapshot
 * and in the events after it. Applied again on top of the snapshot, a
 * relative chdir would count twice, a dup2 would copy the fd's later
 * file, a fork would remake a child from its parent's later fds.
 */
START_TEST(events_stamped_before_their_process_was_read_are_not_applied_again)
{
	const char *path = tmppath("walk.kcap");
	const uint64_t read_at = T0 + 5 * MS;
	struct kcap_replay_stats st;
	struct collect co;
	struct cap c;

	cap_open(&c, path, 0);
	snap_proc(&c, 1, 1, 0, "init", "/sbin/init", "/", T0);
	snap_proc(&c, 100, 100, 1, "sh", "/bin/sh", "/home/sub", read_at);
	snap_proc(&c, 200, 200, 100, "sh", "/bin/sh", "/home", read_at);
	snap_fd(&c, 100, 1, KCAP_FD_FILE, "/var/log/app.log", read_at);
	snap_fd(&c, 100, 3, KCAP_FD_FILE, "/b", read_at);
	snap_fd(&c, 100, 7, KCAP_FD_FILE, "/a", read_at);
	snap_fd(&c, 200, 1, KCAP_FD_FILE, "/var/log/child.log", read_at);
	/* 300 was read before it forked 400, 400 after */
	snap_proc(&c, 300, 300, 1, "srv", "/bin/srv", "/srv", T0 + 1);
	snap_fd(&c, 300, 4, KCAP_FD_FILE, "/srv/log", T0 + 1);
	snap_proc(&c, 400, 400, 300, "srv", "/bin/srv", "/", read_at);
	snap_fd(&c, 400, 4, KCAP_FD_FILE, "/tmp/work", read_at);
	/* 600's second thread exec'ed before the walk: it is 600 now */
	snap_proc(&c, 600, 600, 1, "new", "/bin/new", "/home", read_at);
	snap_fd(&c, 600, 3, KCAP_FD_FILE, "/data/x", read_at);
	snap_flush(&c);
	e_clone(&c, 300, T0 + 2 * MS, 300, 400, 0x11);
	/* what 100 did while the walk went on: all of it is in the above */
	e_chdir(&c, 100, T0 + 1 * MS, "sub");
	e_openat(&c, 100, T0 + 2 * MS, AT_FDCWD_, "/a", 0, 3);
	{
		struct kcap_ev_dup2 *e = ev(&c, KCAP_EV_dup2, 100, T0 + 3 * MS);

		e->res = 7;
		e->oldfd = 3;
		e->newfd = 7;
		ev_end(&c);
	}
	e_clone(&c, 100, T0 + 3 * MS + 1, 100, 200, 0x11 /* SIGCHLD */);
	/* a child and a thread that came and went before the walk came */
	e_clone(&c, 100, T0 + 3 * MS + 2, 100, 250, 0x11);
	e_rw(&c, KCAP_EV_write, 250, T0 + 3 * MS + 3, 1, 1);
	e_exit(&c, 250, T0 + 3 * MS + 4, 250, 0);
	e_clone(&c, 100, T0 + 3 * MS + 5, 100, 260, 0x10000 /* THREAD */);
	e_rw(&c, KCAP_EV_read, 260, T0 + 3 * MS + 6, 1, 1);
	e_exit(&c, 260, T0 + 3 * MS + 7, 100, 0);
	e_exit(&c, 600, T0 + 3 * MS + 8, 600, 0); /* the old leader */
	e_execve(&c, 600, T0 + 3 * MS + 9, 600, "/bin/new", "new", 4);
	e_close(&c, 100, T0 + 4 * MS, 3);
	e_openat(&c, 100, T0 + 4 * MS + 1, AT_FDCWD_, "/b", 0, 3);
	/* after the walk read it */
	e_openat(&c, 100, T0 + 6 * MS, AT_FDCWD_, "x", 0, 5);
	e_rw(&c, KCAP_EV_read, 100, T0 + 7 * MS, 7, 1);
	e_rw(&c, KCAP_EV_read, 100, T0 + 8 * MS, 3, 1);
	e_rw(&c, KCAP_EV_read, 200, T0 + 9 * MS, 1, 1);
	e_chdir(&c, 100, T0 + 10 * MS, "..");
	e_rw(&c, KCAP_EV_read, 100, T0 + 11 * MS, 7, 1);
	e_rw(&c, KCAP_EV_read, 400, T0 + 12 * MS, 4, 1);
	e_rw(&c, KCAP_EV_read, 600, T0 + 13 * MS, 3, 1);
	cap_close(&c);

	ck_assert_int_eq(run_engine(&path, 1, NULL, 0, 0, &co, &st), 0);
	ck_assert_uint_eq(co.n, 23);
	/* every event is seen; those before the read, with its state */
	ck_assert_uint_eq(row_at(&co, 1)->type, KCAP_EV_chdir);
	ck_assert_str_eq(row_at(&co, 1)->cwd, "/home/sub");
	ck_assert_str_eq(row_at(&co, 15)->cwd, "/home/sub"); /* not sub/sub */
	ck_assert_str_eq(row_at(&co, 15)->fd, "/home/sub/x");
	ck_assert_str_eq(row_at(&co, 16)->fd, "/a"); /* dup2 made 7 of /a */
	ck_assert_str_eq(row_at(&co, 17)->fd, "/b");
	/* a child the snapshot lists keeps its fds, not its parent's */
	ck_assert_int_eq(row_at(&co, 18)->pid, 200);
	ck_assert_int_eq(row_at(&co, 18)->ppid, 100);
	ck_assert_str_eq(row_at(&co, 18)->fd, "/var/log/child.log");
	ck_assert_str_eq(row_at(&co, 18)->cwd, "/home");
	/* one it does not list was made as ever, from what is known */
	ck_assert_int_eq(row_at(&co, 6)->pid, 250);
	ck_assert_int_eq(row_at(&co, 6)->ppid, 100);
	ck_assert_str_eq(row_at(&co, 6)->comm, "sh");
	ck_assert_str_eq(row_at(&co, 6)->fd, "/var/log/app.log");
	ck_assert_int_eq(row_at(&co, 9)->pid, 100); /* a thread of 100 */
	/* events after the read change the state as always */
	ck_assert_str_eq(row_at(&co, 19)->cwd, "/home");
	ck_assert_str_eq(row_at(&co, 20)->fd, "/a");
	/* a fork after its parent was read, before its child was */
	ck_assert_int_eq(row_at(&co, 21)->pid, 400);
	ck_assert_str_eq(row_at(&co, 21)->fd, "/tmp/work");
	ck_assert_str_eq(row_at(&co, 21)->cwd, "/");
	/* an exec from another thread: the process it made stays whole */
	ck_assert_int_eq(row_at(&co, 22)->pid, 600);
	ck_assert_str_eq(row_at(&co, 22)->comm, "new");
	ck_assert_str_eq(row_at(&co, 22)->fd, "/data/x");
	ck_assert_str_eq(row_at(&co, 22)->cwd, "/home");
	/* the child and the thread that exited are gone */
	ck_assert_uint_eq(st.threads, 6);
	ck_assert_uint_eq(st.procs, 6);
	free(co.rows);
}
END_TEST

START_TEST(sockets_are_named_by_their_addresses)
{
	const char *path = tmppath("sock.kcap");
	static const uint8_t la[16] = { 2, 0, 0x9c, 0x40, 10, 0, 0, 2 },
			     ra[16] = { 2, 0, 0x01, 0xbb, 10, 0, 0, 1 };
	struct collect co;
	struct cap c;

	cap_open(&c, path, 0);
	seed(&c);
	{
		struct kcap_ev_socket *e = ev(&c, KCAP_EV_socket, 100, T0 + MS);

		e->res = 5;
		e->domain = 2;
		e->sock_type = 1;
		e->proto = 0;
		ev_end(&c);
	}
	{
		struct kcap_ev_connect *e =
			ev(&c, KCAP_EV_connect, 100, T0 + 2 * MS);

		e->res = 0;
		e->fd = 5;
		ev_varn(&c, F(connect, addr), ra, sizeof(ra));
		ev_varn(&c, F(connect, laddr), la, sizeof(la));
		ev_varn(&c, F(connect, raddr), ra, sizeof(ra));
		ev_end(&c);
	}
	e_rw(&c, KCAP_EV_write, 100, T0 + 3 * MS, 5, 100);
	{
		struct kcap_ev_pipe2 *e =
			ev(&c, KCAP_EV_pipe2, 100, T0 + 4 * MS);

		e->res = 0;
		e->fd1 = 8;
		e->fd2 = 9;
		e->ino = 4242;
		e->flags = 0;
		ev_end(&c);
	}
	e_rw(&c, KCAP_EV_write, 100, T0 + 5 * MS, 9, 1);
	cap_close(&c);

	ck_assert_int_eq(run_engine(&path, 1, NULL, 0, 0, &co, NULL), 0);
	ck_assert_uint_eq(co.n, 5);
	ck_assert_str_eq(row_at(&co, 2)->fd, "10.0.0.2:40000->10.0.0.1:443");
	ck_assert_str_eq(row_at(&co, 4)->fd, "pipe:[4242]");
	free(co.rows);

	ck_assert_int_eq(
		run_engine(&path, 1,
			   "fd.rport=443 and fd.lip=10.0.0.2 and fd.type=ipv4",
			   0, 0, &co, NULL),
		0);
	ck_assert_uint_eq(co.n, 2); /* connect and write */
	free(co.rows);
	ck_assert_int_eq(run_engine(&path, 1, "fd.port=40000", 0, 0, &co, NULL),
			 0);
	ck_assert_uint_eq(co.n, 2);
	free(co.rows);
	ck_assert_int_eq(run_engine(&path, 1, "fd.type=pipe", 0, 0, &co, NULL),
			 0);
	ck_assert_uint_eq(co.n, 2); /* pipe2 (fd1) and the write */
	free(co.rows);
}
END_TEST

START_TEST(two_inputs_merge_by_time_and_are_tagged_with_their_source)
{
	const char *paths[2] = { tmppath("m1.kcap"), tmppath("m2.kcap") };
	struct collect co;
	struct cap c;
	size_t i;

	for (i = 0; i < 2; i++) {
		int k;

		cap_open(&c, paths[i], 1024);
		seed(&c);
		for (k = 0; k < 200; k++)
			e_rw(&c, KCAP_EV_read, 100,
			     T0 + (uint64_t)(2 * k + i) * MS + 7 * i, 1, 1);
		cap_close(&c);
	}
	ck_assert_int_eq(run_engine(paths, 2, NULL, 0, 0, &co, NULL), 0);
	ck_assert_uint_eq(co.n, 400);
	for (i = 0; i < co.n; i++) {
		ck_assert_uint_eq(co.rows[i].src, i % 2);
		if (i)
			ck_assert_uint_gt(co.rows[i].ts, co.rows[i - 1].ts);
		ck_assert_str_eq(co.rows[i].fd, "/var/log/app.log");
	}
	free(co.rows);
}
END_TEST

START_TEST(since_seeks_with_the_index_and_seeds_state_from_the_snapshot)
{
	const char *path = tmppath("seek.kcap");
	struct kcap_replay_stats st, all;
	struct collect co;
	struct cap c;
	int k;

	cap_open(&c, path, 4096); /* many small blocks */
	seed(&c);
	for (k = 0; k < 20000; k++)
		e_rw(&c, KCAP_EV_read, k % 2 ? 100 : 101,
		     T0 + (uint64_t)k * 1000, 1, 1);
	cap_close(&c);

	ck_assert_int_eq(run_engine(&path, 1, NULL, 0, 0, &co, &all), 0);
	ck_assert_uint_eq(co.n, 20000);
	free(co.rows);
	ck_assert_int_eq(run_engine(&path, 1, NULL, T0 + 15000 * 1000ull,
				    T0 + 15999 * 1000ull, &co, &st),
			 0);
	ck_assert_uint_eq(co.n, 1000);
	ck_assert_uint_eq(row_at(&co, 0)->ts, T0 + 15000 * 1000ull);
	ck_assert_uint_eq(co.rows[co.n - 1].ts, T0 + 15999 * 1000ull);
	/* state came from the snapshot though its block was not replayed */
	ck_assert_str_eq(row_at(&co, 0)->comm, "sh");
	ck_assert_str_eq(row_at(&co, 0)->fd, "/var/log/app.log");
	/* a seek, not a scan: far fewer records were read */
	ck_assert_uint_lt(st.records, all.records / 4);
	free(co.rows);
}
END_TEST

/*
 * A snapshot over KCAP_SNAPSHOT_SPLIT goes in several blocks (a recorder's
 * of 17,500 fds on long paths passed the largest block, and recording
 * stopped): replay, from the start or from a seek, takes them as one.
 */
/*
 * kcap record keeps the events flagged KCAP_EF_KEEPS_STATE whatever -e
 * says, so that names stay right: each event the engine keeps state by
 * must carry one of those flags.
 */
START_TEST(every_event_the_state_follows_is_flagged_to_be_kept)
{
	static const char *const follows[] = {
		"open",	    "openat",	    "openat2",	   "creat",
		"socket",   "socketpair",   "connect",	   "bind",
		"accept",   "accept4",	    "getsockname", "getpeername",
		"shutdown", "dup",	    "dup2",	   "dup3",
		"fcntl",    "close",	    "close_range", "pipe",
		"pipe2",    "memfd_create", "clone",	   "fork",
		"vfork",    "clone3",	    "execve",	   "execveat",
		"procexit", "chdir",	    "fchdir",
	};
	const struct kcap_schema *s = kcap_schema__builtin();

	for (size_t i = 0; i < sizeof(follows) / sizeof(follows[0]); i++) {
		const struct kcap_event_desc *d =
			kcap_schema__event_by_name(s, follows[i]);

		ck_assert_msg(d, "%s is not in the schema", follows[i]);
		ck_assert_msg(d->flags & KCAP_EF_KEEPS_STATE,
			      "%s is not flagged", follows[i]);
	}
}
END_TEST

static struct cap c_big; /* a 64 KiB record buffer: not on the stack */

START_TEST(a_snapshot_cut_into_blocks_is_read_as_one)
{
	const char *path = tmppath("bigsnap.kcap");
	static char cwd[4001];
	struct kcap_reader *r;
	struct kcap_block b;
	int k, pass, nsnap = 0, ncont = 0;

	memset(cwd, 'd', 4000);
	cwd[0] = '/';
	cap_open(&c_big, path, 4096);
	snap_proc(&c_big, 1, 1, 0, "init", "/sbin/init", "/", T0);
	for (k = 0; k < 5000; k++)
		snap_proc(&c_big, 1000 + k, 1000 + k, 1, "filler",
			  "/bin/filler", cwd, T0);
	snap_proc(&c_big, 100, 100, 1, "sh", "/bin/sh", "/home", T0);
	snap_fd(&c_big, 100, 1, KCAP_FD_FILE, "/var/log/app.log", T0);
	ck_assert_uint_gt(c_big.snap.len, KCAP_SNAPSHOT_SPLIT);
	snap_flush(&c_big);
	for (k = 0; k < 4000; k++)
		e_rw(&c_big, KCAP_EV_read, k % 2 ? 100 : 1,
		     T0 + (uint64_t)(k + 1) * 1000, 1, 1);
	cap_close(&c_big);

	r = kcap_reader__open(path, NULL);
	ck_assert_ptr_nonnull(r);
	while (kcap_reader__next_block(r, &b) > 0)
		if (b.type == KCAP_BLOCK_SNAPSHOT) {
			nsnap++;
			ncont += !!(b.flags & KCAP_BLOCK_FLAG_CONTINUED);
		}
	kcap_reader__close(r);
	ck_assert_int_ge(nsnap, 2);
	ck_assert_int_eq(ncont, nsnap - 1);

	/* from the start, then from a seek past the snapshot */
	for (pass = 0; pass < 2; pass++) {
		uint64_t since = pass ? T0 + 3001 * 1000ull : 0;
		struct collect co;

		ck_assert_int_eq(
			run_engine(&path, 1, NULL, since, 0, &co, NULL), 0);
		ck_assert_uint_eq(co.n, pass ? 1000 : 4000);
		for (k = 0; k < 2; k++) {
			const struct row *w = row_at(&co, (size_t)k);

			if (w->pid == 1) {
				/* in the first block */
				ck_assert_str_eq(w->comm, "init");
			} else {
				/* in the last */
				ck_assert_int_eq(w->pid, 100);
				ck_assert_str_eq(w->comm, "sh");
				ck_assert_str_eq(w->fd, "/var/log/app.log");
			}
		}
		free(co.rows);
	}
}
END_TEST

START_TEST(exact_seek_replays_the_state_between_the_snapshot_and_since)
{
	const char *path = tmppath("exact.kcap");
	struct cap c;
	int k, exact;

	cap_open(&c, path, 4096);
	seed(&c);
	e_openat(&c, 100, T0 + 1000, AT_FDCWD_, "/data/x", 0, 5);
	for (k = 2; k < 5000; k++)
		e_rw(&c, KCAP_EV_read, 100, T0 + (uint64_t)k * 1000, 5, 1);
	cap_close(&c);

	for (exact = 0; exact < 2; exact++) {
		KCAP_OPTS(kcap_replay_opts, ro, .since = T0 + 4000 * 1000ull,
			  .exact_seek = exact);
		struct collect co = { 0 };
		KCAP_OPTS(kcap_analyzer_env, env, .args = (const char *)&co);
		struct kcap_replay_stats st;
		struct kcap_replay *rp = kcap_replay__new(&ro);

		ck_assert_int_eq(kcap_replay__add_input(rp, path), 0);
		ck_assert_int_eq(
			kcap_replay__add_analyzer(rp, &collect_ops, &env), 0);
		ck_assert_int_eq(kcap_replay__run(rp), 0);
		kcap_replay__stats(rp, &st);
		ck_assert_uint_eq(co.n, 1000);
		ck_assert_uint_eq(row_at(&co, 0)->ts, T0 + 4000 * 1000ull);
		/* the open came after the snapshot: only an exact seek saw it */
		ck_assert_str_eq(row_at(&co, 0)->fd, exact ? "/data/x" : "");
		if (exact)
			ck_assert_uint_gt(st.records, 4000);
		else
			ck_assert_uint_lt(st.records, 2000);
		free(co.rows);
		kcap_replay__free(rp);
	}
}
END_TEST

START_TEST(losses_reach_analyzers_and_the_stats)
{
	const char *path = KCAP_FIXTURES "/mix.kcap";
	struct kcap_replay_stats st;
	struct collect co;

	ck_assert_int_eq(run_engine(&path, 1, NULL, 0, 0, &co, &st), 0);
	ck_assert_uint_eq(co.n, 4000);
	ck_assert_uint_eq(co.lost, 17);
	ck_assert_uint_eq(st.lost, 17);
	ck_assert_uint_eq(st.loss_records, 1);
	ck_assert_uint_gt(st.first_loss_ts, 0);
	free(co.rows);
}
END_TEST

/* The same workload as another recording would see it: other pids, fds, times. */
static void workload(const char *path, uint32_t pid, int32_t fdbase,
		     uint64_t t0, uint64_t ino)
{
	static const char argv[] = "cat\0/etc/hosts";
	struct cap c;
	int k;

	cap_open(&c, path, 0);
	snap_proc(&c, pid, (int32_t)pid, 1, "bash", "/bin/bash", "/root", t0);
	snap_flush(&c);
	e_clone(&c, pid, t0 + 1000, (int32_t)pid, (int32_t)pid + 7, 0x11);
	e_execve(&c, pid + 7, t0 + 2000, (int32_t)pid + 7, "/bin/cat", argv,
		 sizeof(argv));
	for (k = 0; k < 3; k++) {
		struct kcap_ev_openat *e = ev(&c, KCAP_EV_openat, pid + 7,
					      t0 + 3000 + (uint64_t)k * 100);

		e->res = fdbase + k;
		e->dirfd = AT_FDCWD_;
		e->flags = 0;
		e->ino = ino + (uint64_t)k * 3;
		/* as -T would time them: never the same twice */
		e->dur = ino / 100 + (uint64_t)k;
		ev_var(&c, F(openat, name), "/etc/hosts");
		ev_end(&c);
		e_rw(&c, KCAP_EV_read, pid + 7, t0 + 3050 + (uint64_t)k * 100,
		     fdbase + k, 10);
	}
	e_exit(&c, pid + 7, t0 + 9000, (int32_t)pid + 7, 0);
	cap_close(&c);
}

START_TEST(normalize_prints_two_recordings_of_one_workload_the_same)
{
	char cmd[1024], *a, *b, *plain_a, *plain_b;
	const char *p1 = tmppath("norm1.kcap"), *p2 = tmppath("norm2.kcap");
	int rc;

	workload(p1, 4000, 3, T0, 77000);
	workload(p2, 51234, 9, T0 + 3600000000000ull, 123456);
	snprintf(cmd, sizeof(cmd), KCAP_BIN " read --normalize %s", p1);
	a = sh(cmd, &rc);
	ck_assert_int_eq(rc, 0);
	snprintf(cmd, sizeof(cmd), KCAP_BIN " read --normalize %s", p2);
	b = sh(cmd, &rc);
	ck_assert_int_eq(rc, 0);
	ck_assert_uint_eq(count_lines(a), 9);
	ck_assert_str_eq(a, b);
	ck_assert_ptr_nonnull(strstr(a, "cat(2)"));
	ck_assert_ptr_nonnull(strstr(a, "</etc/hosts>"));
	snprintf(cmd, sizeof(cmd), KCAP_BIN " read --normalize -j %s", p1);
	free(a);
	a = sh(cmd, &rc);
	snprintf(cmd, sizeof(cmd), KCAP_BIN " read --normalize -j %s", p2);
	free(b);
	b = sh(cmd, &rc);
	ck_assert_str_eq(a, b);
	/* without --normalize they differ */
	snprintf(cmd, sizeof(cmd), KCAP_BIN " read %s", p1);
	plain_a = sh(cmd, &rc);
	snprintf(cmd, sizeof(cmd), KCAP_BIN " read %s", p2);
	plain_b = sh(cmd, &rc);
	ck_assert_str_ne(plain_a, plain_b);
	free(a);
	free(b);
	free(plain_a);
	free(plain_b);
}
END_TEST

START_TEST(memory_stays_bounded_over_many_short_processes)
{
	const char *path = tmppath("churn.kcap");
	struct kcap_replay_stats st;
	struct collect co;
	struct cap c;
	int k;

	cap_open(&c, path, 0);
	seed(&c);
	for (k = 0; k < 20000; k++) {
		uint32_t child = 1000 + (uint32_t)k % 3000;
		uint64_t t = T0 + (uint64_t)k * 10000;

		e_clone(&c, 100, t, 100, (int32_t)child, 0x11);
		e_openat(&c, child, t + 1, AT_FDCWD_, "x", 0, 10 + k % 5);
		/* every other exit is lost */
		if (k % 2)
			e_exit(&c, child, t + 2, (int32_t)child, 0);
	}
	cap_close(&c);
	ck_assert_int_eq(
		run_engine(&path, 1, "evt.type=procexit", 0, 0, &co, &st), 0);
	ck_assert_uint_eq(co.n, 10000);
	/* pids come back: a reused pid retires what its lost exit left */
	ck_assert_uint_le(st.procs, 1500 + 3);
	free(co.rows);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("replay_state");
	TCase *t = tcase_create("state");

	tcase_add_test(t, an_fd_keeps_its_path_after_dup_and_across_fork);
	tcase_add_test(t, a_child_whose_clone_comes_first_has_its_parents_fds);
	tcase_add_test(t, analyzers_see_the_fd_whatever_the_filter_reads);
	tcase_add_test(t,
		       exec_replaces_the_process_name_and_closes_cloexec_fds);
	tcase_add_test(t, state_survives_lost_closes_and_exits);
	tcase_add_test(t, a_later_snapshot_retires_threads_it_does_not_list);
	tcase_add_test(
		t,
		events_stamped_before_their_process_was_read_are_not_applied_again);
	tcase_add_test(t, sockets_are_named_by_their_addresses);
	tcase_add_test(
		t, two_inputs_merge_by_time_and_are_tagged_with_their_source);
	tcase_add_test(
		t,
		since_seeks_with_the_index_and_seeds_state_from_the_snapshot);
	tcase_add_test(
		t, exact_seek_replays_the_state_between_the_snapshot_and_since);
	tcase_add_test(t, a_snapshot_cut_into_blocks_is_read_as_one);
	tcase_add_test(t, every_event_the_state_follows_is_flagged_to_be_kept);
	tcase_add_test(t, losses_reach_analyzers_and_the_stats);
	tcase_add_test(
		t, normalize_prints_two_recordings_of_one_workload_the_same);
	tcase_add_test(t, memory_stays_bounded_over_many_short_processes);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	return kcap_check_run(suite());
}
