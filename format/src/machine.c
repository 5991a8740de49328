// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The `machine` record: what a MACHINE block says about the host. */
#include <fcntl.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static size_t read_small_file(const char *path, char *buf, size_t cap)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return 0;
	n = read(fd, buf, cap);
	close(fd);
	if (n <= 0)
		return 0;
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == 0))
		n--;
	return (size_t)n;
}

int kcap_machine_record(void *buf, size_t cap, const char *writer, int argc,
			char *const argv[])
{
	const struct kcap_schema *s = kcap_schema__builtin();
	struct kcap_builder b;
	struct kcap_ev_machine *m;
	struct utsname u;
	struct sysinfo si;
	char boot_id[64];
	size_t n;
	int i;

	if (!s)
		return -ENOMEM;
	m = kcap_builder__start(&b, buf, cap, s, KCAP_EV_machine,
				(uint32_t)getpid(), clock_ns(CLOCK_REALTIME));
	if (!m)
		return b.err;
	m->boot_wall_ns = clock_ns(CLOCK_REALTIME) - clock_ns(CLOCK_BOOTTIME);
	if (sysinfo(&si) == 0)
		m->mem_bytes = (uint64_t)si.totalram * si.mem_unit;
	m->cpus = (uint32_t)sysconf(_SC_NPROCESSORS_CONF);
	if (uname(&u) == 0) {
		kcap_builder__var(&b,
				  offsetof(struct kcap_ev_machine, hostname),
				  u.nodename, strlen(u.nodename));
		kcap_builder__var(&b, offsetof(struct kcap_ev_machine, kernel),
				  u.release, strlen(u.release));
		kcap_builder__var(
			&b, offsetof(struct kcap_ev_machine, kernel_version),
			u.version, strlen(u.version));
		kcap_builder__var(&b, offsetof(struct kcap_ev_machine, arch),
				  u.machine, strlen(u.machine));
	}
	n = read_small_file("/proc/sys/kernel/random/boot_id", boot_id,
			    sizeof(boot_id));
	if (n)
		kcap_builder__var(&b, offsetof(struct kcap_ev_machine, boot_id),
				  boot_id, n);
	if (writer)
		kcap_builder__var(&b, offsetof(struct kcap_ev_machine, writer),
				  writer, strlen(writer));
	if (argc > 0) {
		/* argv joined with NULs, as /proc/PID/cmdline has it */
		size_t start = b.len, total = 0;

		for (i = 0; i < argc; i++)
			total += strlen(argv[i]) + 1;
		if (total <= b.cap - b.len) {
			for (i = 0; i < argc; i++) {
				size_t l = strlen(argv[i]) + 1;

				memcpy(b.buf + b.len, argv[i], l);
				b.len += l;
			}
			kcap_put16(b.buf + offsetof(struct kcap_ev_machine,
						    cmdline),
				   (uint16_t)start);
			kcap_put16(b.buf +
					   offsetof(struct kcap_ev_machine,
						    cmdline) +
					   2,
				   (uint16_t)total);
		}
	}
	return kcap_builder__finish(&b);
}
