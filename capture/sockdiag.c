// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The unix sockets of a network namespace, from NETLINK_SOCK_DIAG
 * (unix_diag), for the /proc snapshot. /proc/net/unix prints a name raw,
 * newlines included, so that a name can hold a line that looks like
 * another socket's; unix_diag gives each socket's name as bytes with
 * their length.
 *
 * The netlink exchange (one dump request, then its answer) is written here
 * by hand: libmnl is not among kcap's dependencies, and the few checks it
 * would make for us (lengths, NLMSG_ERROR, NLMSG_DONE) are the ones below.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>

#include "capture.h"

/* The request's sequence number, which every message of its answer has. */
#define DIAG_SEQ 0x6b636170

#define SUN_PATH_MAX sizeof(((struct sockaddr_un *)0)->sun_path)

#define DIAG_BUF 32768

struct netns_socket {
	int nsfd;
	int fd; /* the netlink socket, or -errno */
};

/*
 * sock_diag answers for the network namespace of the netlink socket that
 * asks, and a socket stays in the namespace it was made in: a thread of
 * its own enters the namespace (setns() of a network namespace is allowed
 * in a process with other threads, and changes only the caller), makes
 * the socket there and exits.
 */
static void *socket_in_netns(void *arg)
{
	struct netns_socket *a = arg;

	if (setns(a->nsfd, CLONE_NEWNET))
		a->fd = -errno;
	else if ((a->fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC,
				 NETLINK_SOCK_DIAG)) < 0)
		a->fd = -errno;
	return NULL;
}

/*
 * A NETLINK_SOCK_DIAG socket in the network namespace of pid, which must
 * be netns (else pid is another process by now: -ESRCH), or -errno.
 */
static int diag_socket(int pid, uint64_t netns)
{
	struct netns_socket a = { .fd = -EINVAL };
	struct stat st, self;
	char path[64];
	pthread_t th;
	int err;

	snprintf(path, sizeof(path), "/proc/%d/ns/net", pid);
	a.nsfd = open(path, O_RDONLY | O_CLOEXEC);
	if (a.nsfd < 0)
		return -errno;
	if (fstat(a.nsfd, &st)) {
		a.fd = -errno;
	} else if (st.st_ino != netns) {
		a.fd = -ESRCH;
	} else if (!stat("/proc/thread-self/ns/net", &self) &&
		   self.st_ino == st.st_ino && self.st_dev == st.st_dev) {
		/* kcap's own namespace: no thread needed */
		a.fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC,
			      NETLINK_SOCK_DIAG);
		if (a.fd < 0)
			a.fd = -errno;
	} else if ((err = pthread_create(&th, NULL, socket_in_netns, &a))) {
		a.fd = -err;
	} else {
		pthread_join(th, NULL);
	}
	close(a.nsfd);
	return a.fd;
}

/* Asks for every unix socket of the namespace, with its name. */
static int diag_request(int fd)
{
	struct {
		struct nlmsghdr nlh;
		struct unix_diag_req req;
	} msg = {
		.nlh = {
			.nlmsg_len = sizeof(msg),
			.nlmsg_type = SOCK_DIAG_BY_FAMILY,
			.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP,
			.nlmsg_seq = DIAG_SEQ,
		},
		.req = {
			.sdiag_family = AF_UNIX,
			.udiag_states = ~0u, /* in any state */
			.udiag_show = UDIAG_SHOW_NAME,
		},
	};
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	ssize_t n;

	do {
		n = sendto(fd, &msg, sizeof(msg), 0, (struct sockaddr *)&kernel,
			   sizeof(kernel));
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	return n == sizeof(msg) ? 0 : -EPROTO;
}

struct diag_buf {
	uint8_t *p;
	size_t cap;
};

/* The answer's next datagram into b: its length, or -errno. */
static ssize_t diag_recv(int fd, struct diag_buf *b)
{
	for (;;) {
		struct sockaddr_nl from;
		struct iovec iov;
		struct msghdr mh = {
			.msg_name = &from,
			.msg_namelen = sizeof(from),
			.msg_iov = &iov,
			.msg_iovlen = 1,
		};
		ssize_t n;

		/* its size first: one read into less would lose its end */
		do {
			n = recv(fd, NULL, 0, MSG_PEEK | MSG_TRUNC);
		} while (n < 0 && errno == EINTR);
		if (n < 0)
			return -errno;
		if ((size_t)n > b->cap) {
			/*
			 * The kernel fills a dump's datagrams up to the size
			 * its reader reads with, to at most 32 KiB: reading
			 * with that much, fewer are needed.
			 */
			size_t cap = n > DIAG_BUF ? (size_t)n : DIAG_BUF;
			uint8_t *p = realloc(b->p, cap);

			if (!p)
				return -ENOMEM;
			b->p = p;
			b->cap = cap;
		}
		iov.iov_base = b->p;
		iov.iov_len = b->cap;
		do {
			n = recvmsg(fd, &mh, 0);
		} while (n < 0 && errno == EINTR);
		if (n < 0)
			return -errno;
		if (mh.msg_flags & MSG_TRUNC)
			return -EMSGSIZE;
		/*
		 * Only the kernel answers; a process allowed to send to this
		 * socket (CAP_NET_ADMIN in the namespace) is not believed.
		 */
		if (mh.msg_namelen >= sizeof(from) && !from.nl_pid)
			return n;
	}
}

int kcap_unix_name_shown(const uint8_t *name, size_t len, char *out)
{
	size_t i;

	if (len && name[0])
		len--;
	if (len > SUN_PATH_MAX)
		return -1;
	for (i = 0; i < len; i++)
		out[i] = name[i] ? (char)name[i] : '@';
	return (int)len;
}

/* One SOCK_DIAG_BY_FAMILY message's socket to fn. */
static int diag_socket_msg(const uint8_t *p, size_t len, kcap_unix_sock_fn fn,
			   void *ctx)
{
	char name[SUN_PATH_MAX];
	struct unix_diag_msg m;
	size_t off = NLMSG_ALIGN(sizeof(m));
	int nlen = 0;

	if (len < sizeof(m))
		return -EPROTO;
	memcpy(&m, p, sizeof(m));
	if (m.udiag_family != AF_UNIX)
		return -EPROTO;
	while (off + NLA_HDRLEN <= len) {
		struct nlattr a;

		memcpy(&a, p + off, sizeof(a));
		if (a.nla_len < NLA_HDRLEN || a.nla_len > len - off)
			return -EPROTO;
		if ((a.nla_type & NLA_TYPE_MASK) == UNIX_DIAG_NAME) {
			nlen = kcap_unix_name_shown(p + off + NLA_HDRLEN,
						    a.nla_len - NLA_HDRLEN,
						    name);
			if (nlen < 0)
				return -EPROTO;
		}
		off += NLA_ALIGN(a.nla_len);
	}
	/* inode 0 belongs to no fd, as in load_unix() */
	if (!m.udiag_ino)
		return 0;
	return fn(ctx, m.udiag_ino, name, nlen);
}

/*
 * One datagram's messages: 1 once NLMSG_DONE ends the answer, 0 while
 * more is to come, or -errno (the kernel's, for NLMSG_ERROR).
 */
static int diag_parse(const uint8_t *p, size_t len, kcap_unix_sock_fn fn,
		      void *ctx)
{
	size_t off = 0;
	int err;

	while (off < len) {
		const uint8_t *pl;
		struct nlmsghdr h;
		size_t plen;

		if (len - off < NLMSG_HDRLEN)
			return -EPROTO;
		memcpy(&h, p + off, sizeof(h));
		if (h.nlmsg_len < NLMSG_HDRLEN || h.nlmsg_len > len - off)
			return -EPROTO;
		pl = p + off + NLMSG_HDRLEN;
		plen = h.nlmsg_len - NLMSG_HDRLEN;
		/* the last message of a datagram may lack its padding */
		off += NLMSG_ALIGN(h.nlmsg_len) < len - off ?
			       NLMSG_ALIGN(h.nlmsg_len) :
			       len - off;
		if (h.nlmsg_seq != DIAG_SEQ)
			continue;
		switch (h.nlmsg_type) {
		case NLMSG_DONE:
			/* a dump that failed in its course says so here */
			if (plen >= sizeof(err)) {
				memcpy(&err, pl, sizeof(err));
				if (err < 0)
					return err;
			}
			return 1;
		case NLMSG_ERROR:
			/* the request refused (no unix_diag: -ENOENT) */
			if (plen < sizeof(err))
				return -EPROTO;
			memcpy(&err, pl, sizeof(err));
			return err < 0 ? err : -EPROTO;
		case SOCK_DIAG_BY_FAMILY:
			err = diag_socket_msg(pl, plen, fn, ctx);
			if (err < 0)
				return err;
			break;
		default:
			break; /* NLMSG_NOOP */
		}
	}
	return 0;
}

int kcap_sockdiag_unix(int pid, uint64_t netns, kcap_unix_sock_fn fn, void *ctx)
{
	struct diag_buf b = { 0 };
	int fd, err;

	fd = diag_socket(pid, netns);
	if (fd < 0)
		return fd;
	err = diag_request(fd);
	while (!err) {
		ssize_t n = diag_recv(fd, &b);

		err = n < 0 ? (int)n : diag_parse(b.p, n, fn, ctx);
	}
	free(b.p);
	close(fd);
	return err < 0 ? err : 0;
}
