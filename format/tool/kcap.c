// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The kcap command: picks a subcommand; each lives in its own module. */
#include <stdio.h>
#include <string.h>

#include "kcap/kcap.h"
#include "subcommands.h"

static const struct subcommand {
	const char *name;
	int (*main)(int argc, char **argv);
	const char *help;
} subcommands[] = {
#ifdef KCAP_HAVE_RECORD
	{ "record", kcap_record_main, "record syscalls and processes (eBPF)" },
#endif
#ifdef KCAP_HAVE_REPLAY
	{ "read", kcap_read_main, "print, filter and analyze captures" },
	{ "cut", kcap_cut_main, "write a slice of captures to a new file" },
#endif
#ifdef KCAP_HAVE_CONVERT
	{ "convert", kcap_convert_main, "convert legacy .scap captures" },
#endif
	{ "info", kcap_info_main, "describe capture files, like capinfos" },
};

/*
 * Commands a build can leave out, so that asking for one says why it is
 * missing instead of "not a kcap command".
 */
static const struct {
	const char *name;
	const char *why;
} missing[] = {
#ifndef KCAP_HAVE_RECORD
	{ "record", "this kcap was built without the eBPF recorder "
		    "(cmake found no clang, bpftool, libbpf or libelf)" },
#endif
	{ NULL, NULL },
};

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: kcap COMMAND [ARGS...]\n\ncommands:\n");
	for (i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		fprintf(f, "  %-8s %s\n", subcommands[i].name,
			subcommands[i].help);
	fprintf(f, "\n'kcap COMMAND --help' describes a command.\n");
}

int main(int argc, char **argv)
{
	size_t i;

	if (argc < 2) {
		usage(stderr);
		return 1;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("kcap %s (file format %d.%d)\n", KCAP_VERSION_STRING,
		       KCAP_FORMAT_MAJOR, KCAP_FORMAT_MINOR);
		return 0;
	}
	for (i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		if (!strcmp(argv[1], subcommands[i].name))
			return subcommands[i].main(argc - 1, argv + 1);
	for (i = 0; missing[i].name; i++)
		if (!strcmp(argv[1], missing[i].name)) {
			fprintf(stderr, "kcap %s: %s\n", argv[1],
				missing[i].why);
			return 1;
		}
	fprintf(stderr, "kcap: '%s' is not a kcap command\n", argv[1]);
	usage(stderr);
	return 1;
}
