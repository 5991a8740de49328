// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* kcap convert: legacy .scap to .kcap, with a report of what it did. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kcap/scap.h"
#include "subcommands.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: kcap convert IN.scap -w OUT.kcap [--codec CODEC] "
		"[--report FILE.json] [--strict] [-q]\n"
		"\n"
		"Converts a legacy Falco/sysdig capture (plain or gzip'd) to "
		".kcap:\n"
		"enter+exit pairs become one kcap event each, process and fd "
		"lists a\n"
		"SNAPSHOT block, machine info a MACHINE block, drops LOSS "
		"blocks.\n"
		"\n"
		"  -w, --write FILE     the .kcap to write (- for stdout)\n"
		"  -c, --codec CODEC    zstd-cols[:LEVEL] (default: zstd over "
		"events laid\n"
		"                       out in columns, the smallest), "
		"zstd[:LEVEL],\n"
		"                       lz4[:ACCEL] or none\n"
		"  -r, --report FILE    write the conversion report as JSON "
		"(- for stdout)\n"
		"  -s, --strict         exit 1 unless every event converted "
		"cleanly: none\n"
		"                       dropped, none without its enter, no "
		"stale enter,\n"
		"                       no bad parameter, no damage\n"
		"  -q, --quiet          no summary on stderr\n"
		"\n"
		"Exit status: 0; 1 on errors (with --strict, on any problem);\n"
		"2 when the input was damaged or cut short (what came before\n"
		"the damage is converted).\n");
}

static void summary(const char *in, const struct kcap_scap_report *rep)
{
	unsigned int i;

	fprintf(stderr,
		"kcap convert: %s%s: %llu legacy events read, %llu kcap "
		"events written\n"
		"  %llu pairs merged, %llu exits without their enter, %llu "
		"stale enters discarded,\n"
		"  %llu enters pending at the end, %llu as the generic "
		"syscall event, %llu dropped\n"
		"  snapshot: %llu processes, %llu fds; %llu loss records; "
		"%llu sections\n",
		in, rep->gzip ? " (gzip)" : "",
		(unsigned long long)rep->events_read,
		(unsigned long long)rep->events_written,
		(unsigned long long)rep->merged,
		(unsigned long long)rep->no_enter,
		(unsigned long long)rep->stale_enter,
		(unsigned long long)rep->pending_at_end,
		(unsigned long long)rep->generic,
		(unsigned long long)rep->dropped,
		(unsigned long long)rep->snap_procs,
		(unsigned long long)rep->snap_fds,
		(unsigned long long)rep->loss_records,
		(unsigned long long)rep->sections);
	for (i = 0; i < KCAP_SCAP_EVENT_MAX; i++) {
		const struct kcap_scap_type_stats *t = &rep->types[i];
		const char *n = kcap_scap__event_name(i);

		if (!t->dropped && !t->no_enter && !t->stale_enter &&
		    !t->malformed)
			continue;
		fprintf(stderr,
			"  %s %s (%u): read %llu, converted %llu, no enter "
			"%llu, stale %llu, dropped %llu\n",
			n ? n : "?", i & 1 ? "exit" : "enter", i,
			(unsigned long long)t->read,
			(unsigned long long)t->converted,
			(unsigned long long)t->no_enter,
			(unsigned long long)t->stale_enter,
			(unsigned long long)t->dropped);
	}
	for (i = 0; i < rep->nproblems && i < 5; i++)
		fprintf(stderr, "  at %llu: %s\n",
			(unsigned long long)rep->problems[i].offset,
			rep->problems[i].what);
	if (rep->problems_total > 5)
		fprintf(stderr, "  (%llu problems in all; --report lists %u)\n",
			(unsigned long long)rep->problems_total,
			rep->nproblems);
	if (rep->err)
		fprintf(stderr,
			"kcap convert: %s: stopped: %s\n"
			"  (everything before offset %llu was converted)\n",
			in, rep->err_msg, (unsigned long long)rep->err_offset);
}

static bool clean(const struct kcap_scap_report *rep)
{
	unsigned int i;

	if (rep->err || rep->no_enter || rep->stale_enter || rep->dropped ||
	    rep->skipped_blocks)
		return false;
	for (i = 0; i < KCAP_SCAP_EVENT_MAX; i++)
		if (rep->types[i].malformed)
			return false;
	return true;
}

int kcap_convert_main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "write", required_argument, NULL, 'w' },
		{ "codec", required_argument, NULL, 'c' },
		{ "report", required_argument, NULL, 'r' },
		{ "strict", no_argument, NULL, 's' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *out = NULL, *report = NULL, *in;
	const char *rkeep[3] = { NULL }, *wkeep[3] = { NULL };
	struct kcap_scap_report *rep;
	struct kcap_writer *w;
	FILE *rf = NULL;
	bool report_made = false;
	bool strict = false, quiet = false;
	int codec = KCAP_CODEC_ZSTD_COLS, level = 0, opt, ret, cerr, status = 0;

	optind = 1;
	/* past ulimit -f: an error that names EFBIG, not a silent kill */
	signal(SIGXFSZ, SIG_IGN);
	while ((opt = getopt_long(argc, argv, "w:c:r:sqh", lopts, NULL)) !=
	       -1) {
		switch (opt) {
		case 'w':
			out = optarg;
			break;
		case 'c':
			if (kcap_codec_parse(optarg, &codec, &level)) {
				fprintf(stderr,
					"kcap convert: unknown codec '%s'\n",
					optarg);
				return 1; /* a usage error, not damaged input (2) */
			}
			break;
		case 'r':
			report = optarg;
			break;
		case 's':
			strict = true;
			break;
		case 'q':
			quiet = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 1;
		}
	}
	if (optind + 1 != argc || !out) {
		if (!out)
			fprintf(stderr,
				"kcap convert: -w OUT.kcap is needed\n");
		else
			fprintf(stderr,
				"kcap convert: one input, got %d (convert "
				"each to its own file)\n",
				argc - optind);
		usage(stderr);
		return 1;
	}
	if (report && !strcmp(out, "-") && !strcmp(report, "-")) {
		fprintf(stderr, "kcap convert: -w - and -r - would both "
				"write to standard output\n");
		return 1;
	}
	in = argv[optind];
	/* say what is wrong with the input before making an output */
	if (strcmp(in, "-")) {
		ret = kcap_scap__probe(in);
		if (ret == -EBADMSG) {
			/* damaged input, as for damage after some blocks */
			fprintf(stderr,
				"kcap convert: %s: %s (nothing to convert)\n",
				in, kcap_last_errmsg());
			return 2;
		}
		if (ret != 1) {
			fprintf(stderr, "kcap convert: %s: %s\n", in,
				ret < 0 ? strerror(-ret) :
					  "not a legacy .scap capture");
			return 1;
		}
	}
	rep = calloc(1, sizeof(*rep));
	if (!rep) {
		fprintf(stderr, "kcap convert: out of memory\n");
		return 1;
	}
	/*
	 * The report first, so that a path that cannot take it stops the
	 * run before the work; neither file may be the input (or the
	 * other): both are emptied when opened.
	 */
	if (strcmp(in, "-"))
		rkeep[0] = wkeep[0] = in;
	if (strcmp(out, "-"))
		rkeep[rkeep[0] ? 1 : 0] = out;
	if (report && strcmp(report, "-")) {
		int fd = kcap_output__open(report, rkeep, &report_made);

		rf = fd >= 0 ? fdopen(fd, "w") : NULL;
		if (!rf) {
			fprintf(stderr, "kcap convert: %s\n",
				fd < 0 ? kcap_last_errmsg() : strerror(errno));
			if (fd >= 0)
				close(fd);
			free(rep);
			return 1;
		}
		wkeep[wkeep[0] ? 1 : 0] = report;
	} else if (report) {
		rf = stdout;
	}
	/* blocks are compressed by the writer's thread while this one converts */
	KCAP_OPTS(kcap_writer_opts, wo, .codec = codec, .level = level,
		  .async_blocks = 4, .keep = wkeep);
	w = kcap_writer__open(out, &wo);
	if (!w) {
		fprintf(stderr, "kcap convert: %s: %s\n", out,
			kcap_last_errmsg());
		if (rf && rf != stdout)
			fclose(rf);
		/* nothing is left behind that this run made */
		if (report_made)
			unlink(report);
		free(rep);
		return 1;
	}
	KCAP_OPTS(kcap_scap_convert_opts, co, .argc = argc, .argv = argv);
	ret = kcap_scap__convert(in, w, &co, rep);
	cerr = kcap_writer__close(w);
	if (cerr) {
		fprintf(stderr, "kcap convert: %s: closing: %s\n", out,
			strerror(-cerr));
		status = 1;
	}
	if (!quiet)
		summary(in, rep);
	if (rf) {
		/* stdout's errors show only once it is flushed */
		int bad = kcap_scap__report_json(rep, rf);

		bad |= rf == stdout ? fflush(rf) || ferror(rf) : fclose(rf);
		if (bad) {
			fprintf(stderr, "kcap convert: %s: %s\n",
				rf == stdout ? "standard output" : report,
				strerror(errno));
			status = 1;
		}
	}
	if (ret && rep->events_read == 0 && rep->sections == 0)
		status = 1; /* nothing could be read at all */
	else if (rep->err && !status)
		status = 2; /* as kcap read: what came before is converted */
	if (strict && !clean(rep))
		status = 1;
	free(rep);
	return status;
}
