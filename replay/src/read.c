// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * kcap read (alias replay): print, filter and analyze captures.
 *
 *   kcap read [OPTIONS] FILE... [FILTER]
 *   kcap read -r FILE [-r FILE...] [OPTIONS] [FILTER]
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <sys/stat.h>
#include <time.h>

#include "internal.h"
#include "subcommands.h"
#include "timeparse.h"
#ifdef KCAP_HAVE_CONVERT
#include "kcap/scap.h"
#endif

static struct kcap_replay *running;

static void on_signal(int sig)
{
	(void)sig;
	if (running)
		kcap_replay__stop(running);
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: kcap read [OPTIONS] FILE... [FILTER]\n"
		"       kcap read -r FILE [-r FILE]... [OPTIONS] [FILTER]\n"
		"\n"
		"Prints the events of captures (several are merged by time), with\n"
		"each event's process and fds resolved, or feeds them to analyzers.\n"
		"FILE '-' is standard input. FILTER is an expression such as\n"
		"  proc.name=nginx and evt.type in (open,openat) and fd.name startswith /etc\n"
		"\n"
		"  -r FILE              read FILE (repeatable)\n"
		"  -l, --list           list the fields filters, -F and csv can use\n"
		"  --format FMT         text (default), json (one object per line) or csv\n"
		"  -j                   --format json\n"
		"  -F FIELD,...         print these fields instead of the whole event\n"
		"  -A | -x | -X         data buffers as ASCII, hex, or hex and ASCII\n"
		"  -t a|r|d|n           time: absolute (default), relative to the first\n"
		"                       event, delta from the previous line, raw ns\n"
		"  -c N                 stop after N events that match\n"
		"  --since T, --until T from / up to T: ISO 8601 (2026-11-23T19:02:44Z,\n"
		"                       UTC when no zone is given), +1.5s from the start,\n"
		"                       or raw ns since the epoch; seeks with the index,\n"
		"                       state from the snapshot before T\n"
		"  --exact              with --since: also replay the events between that\n"
		"                       snapshot and T for their state (reads those blocks)\n"
		"  --follow             keep reading a file that is still being written\n"
		"  --normalize          relative times, pids/tids/fds/inodes renumbered in\n"
		"                       order of first appearance, times and durations\n"
		"                       in fields left out (for golden diffs; text and\n"
		"                       JSON lines, not -F or CSV)\n"
		"  -S                   --analyzer summary\n"
		"  --analyzer NAME[:ARGS]  summary, proctree, files, net, or ./x.so[:ARGS]\n"
		"                       (repeatable; events are then not printed unless -p)\n"
		"  -p, --print          print events as well as running analyzers\n"
		"  -q, --quiet          no warnings about losses or damage on stderr\n"
		"\n"
		"Exit status: 0, 1 on errors, 2 when an input was damaged or cut short.\n");
}

struct an_req {
	const struct kcap_analyzer_ops *ops;
	char *args;
	void *dl;
};

static int load_plugin(const char *spec, struct an_req *req)
{
	char *path = strdup(spec), *colon;
	kcap_analyzer_entry_fn fn;
	void *dl;

	if (!path)
		return -1;
	/* PATH.so:ARGS - the args start after the first ':' past ".so" */
	colon = strstr(path, ".so:");
	if (colon) {
		colon += 3;
		*colon = 0;
		req->args = strdup(colon + 1);
	}
	dl = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!dl) {
		fprintf(stderr, "kcap read: cannot load analyzer %s: %s\n",
			path, dlerror());
		free(path);
		return -1;
	}
	fn = (kcap_analyzer_entry_fn)dlsym(dl, "kcap_analyzer");
	if (!fn || !(req->ops = fn()) ||
	    req->ops->sz < offsetof(struct kcap_analyzer_ops, finish) +
				   sizeof(req->ops->finish)) {
		fprintf(stderr,
			"kcap read: %s does not export a valid kcap_analyzer()\n",
			path);
		dlclose(dl);
		free(path);
		return -1;
	}
	req->dl = dl;
	free(path);
	return 0;
}

static int parse_fields(const char *list, struct kcap_print_opts *po)
{
	const char *s = list;

	while (*s) {
		struct kcap_field *f;
		size_t n;
		struct kcap_field **nf;

		while (*s == ',' || *s == ' ')
			s++;
		if (!*s)
			break;
		n = kcap_field__parse(s, &f);
		if (!n || (s[n] && s[n] != ',' && s[n] != ' ')) {
			size_t w = strcspn(s, ", ");

			kcap_field__free(f);
			fprintf(stderr,
				"kcap read: -F: column %zu: no field '%.*s' (kcap read -l lists them)\n",
				(size_t)(s - list) + 1, (int)w, s);
			return -1;
		}
		nf = realloc(po->fields, (po->nfields + 1) * sizeof(*nf));
		if (!nf)
			return -1;
		po->fields = nf;
		po->fields[po->nfields++] = f;
		s += n;
	}
	if (!po->nfields) {
		fprintf(stderr, "kcap read: -F: no field named (kcap read -l "
				"lists them)\n");
		return -1;
	}
	return 0;
}

/* Earliest event time over the inputs (for +OFFSET times), 0 if none. */
static uint64_t inputs_start(char **paths, int n)
{
	uint64_t best = 0;
	int i;

	for (i = 0; i < n; i++) {
		KCAP_OPTS(kcap_reader_opts, ro,
			  .skip_types = 1u << KCAP_BLOCK_EVENTS);
		struct kcap_reader *r;
		struct kcap_block b;

		if (!kcap_path__rereadable(paths[i]))
			continue; /* a pipe: kcap_cli_start() refuses it */
#ifdef KCAP_HAVE_CONVERT
		if (kcap_scap__probe(paths[i]) == 1) {
			/* converted on the fly: read up to its first events */
			struct kcap_scap_conv *conv;
			const struct kcap_hdr *h;
			const char *msg;

			r = kcap_scap__open_reader(paths[i], &conv);
			if (!r)
				continue;
			while (kcap_reader__next_record(r, &h) > 0)
				if (kcap_reader__block(r)->type ==
				    KCAP_BLOCK_EVENTS) {
					if (!best || h->ts < best)
						best = h->ts;
					break;
				}
			kcap_scap__close_reader(conv, r, &msg);
			continue;
		}
#endif
		r = kcap_reader__open(paths[i], &ro);
		if (!r)
			continue;
		while (kcap_reader__next_block(r, &b) != 0) {
			if (b.type == KCAP_BLOCK_EVENTS && b.first_ts) {
				if (!best || b.first_ts < best)
					best = b.first_ts;
				break;
			}
		}
		kcap_reader__close(r);
	}
	return best;
}

int kcap_cli_times(const char *since_s, const char *until_s, char **paths,
		   int n, const char *prog, uint64_t *since, uint64_t *until)
{
	uint64_t start = 0;
	const char *bad = NULL;
	int err = 0, e;

	if (((since_s && since_s[0] == '+') ||
	     (until_s && until_s[0] == '+')) &&
	    kcap_cli_start(paths, n, prog, &start))
		return -1;
	if (since_s && (e = kcap_parse_time(since_s, start, since))) {
		bad = since_s;
		err = e;
	}
	if (until_s && (e = kcap_parse_time(until_s, start, until))) {
		bad = until_s;
		err = e;
	}
	if (err == -ERANGE) {
		/* not clamped: a time that far off is a typo */
		fprintf(stderr,
			"%s: time '%s' is after 2554-07-21T23:34:33Z, the last "
			"that ns since the epoch in 64 bits can hold\n",
			prog, bad);
		return -1;
	}
	if (bad) {
		fprintf(stderr,
			"%s: bad time '%s': expected ISO 8601 (2026-11-23T19:02:44.5Z), +OFFSET (+1.5s, +200ms) or ns since the epoch\n",
			prog, bad);
		return -1;
	}
	/* 0 means no bound to the engine: an --until of 0 is before all */
	if (until_s && !*until) {
		fprintf(stderr,
			"%s: --until %s is before any event: nothing to read\n",
			prog, until_s);
		return -1;
	}
	if (*since && *until && *since > *until) {
		fprintf(stderr,
			"%s: --since %s is after --until %s: no event can be "
			"in between\n",
			prog, since_s, until_s);
		return -1;
	}
	return 0;
}

int kcap_cli_start(char **paths, int n, const char *prog, uint64_t *start)
{
	for (int i = 0; i < n; i++)
		if (!kcap_path__rereadable(paths[i])) {
			fprintf(stderr,
				"%s: %s: a pipe is read once, and a +OFFSET "
				"time needs its start first: give the time "
				"as ISO 8601 or ns\n",
				prog, paths[i]);
			return -1;
		}
	*start = inputs_start(paths, n);
	if (!*start) {
		fprintf(stderr,
			"%s: a +OFFSET time needs a file with events to count "
			"from\n",
			prog);
		return -1;
	}
	return 0;
}

static bool looks_like_input(const char *s)
{
	struct stat sb;
	size_t n = strlen(s);

	if (!strcmp(s, "-"))
		return true;
	/*
	 * By its name, a file that may not exist yet (to be told it cannot
	 * be opened), unless it reads as a filter: 'fd.name endswith .kcap'
	 * and 'evt.src=b.kcap' were taken for files.
	 */
	if (n > 5 &&
	    (!strcmp(s + n - 5, ".kcap") || !strcmp(s + n - 5, ".scap")) &&
	    !strpbrk(s, " \t=<>()!"))
		return true;
	/* a pipe by name too: <(zcat f.kcap.gz), a FIFO */
	return stat(s, &sb) == 0 &&
	       (S_ISREG(sb.st_mode) || S_ISFIFO(sb.st_mode) ||
		S_ISCHR(sb.st_mode));
}

/*
 * Why word, which was taken for the filter (or its start), is no input:
 * NULL where it reads as a filter's (it holds an operator), or where it
 * can be opened. A mistyped file name (mix.kcpa) or a directory is told
 * as such, not as a filter that lacks a field name.
 */
static const char *not_input_why(const char *word, size_t n)
{
	static char path[4096];
	struct stat sb;

	if (!n || n >= sizeof(path) || memchr(word, '=', n) ||
	    memchr(word, '<', n) || memchr(word, '>', n) ||
	    memchr(word, '(', n) || memchr(word, '!', n))
		return NULL;
	memcpy(path, word, n);
	path[n] = 0;
	if (stat(path, &sb))
		return strerror(errno);
	if (S_ISDIR(sb.st_mode))
		return "a directory";
	return NULL;
}

static void print_filter_error(const char *expr, const char *msg)
{
	unsigned long col = 0;
	size_t n = strcspn(expr, " \t");
	const char *why;

	fprintf(stderr, "kcap read: bad filter: %s\n", msg);
	if (sscanf(msg, "column %lu", &col) == 1 && col > 0) {
		fprintf(stderr, "  %.200s%s\n", expr,
			strlen(expr) > 200 ? "..." : "");
		if (col <= 200)
			fprintf(stderr, "  %*s^\n", (int)(col - 1), "");
	}
	if (col == 1 && (why = not_input_why(expr, n)))
		fprintf(stderr,
			"kcap read: (if '%.*s' was meant as a file: %s)\n",
			(int)(n < 200 ? n : 200), expr, why);
}

/*
 * Warns (unless quiet) of each input that was damaged or cut short, as
 * prog; returns 2 if one was, else 0. With follow, a file without its
 * footer is one still being written. A pipe without one was cut short:
 * kcap record -w - writes it when it stops.
 */
int kcap_replay_damage(struct kcap_replay *rp, const char *prog, bool quiet,
		       bool follow)
{
	unsigned int i;
	int ret = 0;

	for (i = 0; i < kcap_replay__inputs(rp); i++) {
		struct kcap_reader *r = kcap_replay__reader(rp, i);
		struct kcap_read_status rs;
		const char *name = kcap_replay__input_name(rp, i);

		kcap_reader__status(r, &rs);
		if (!kcap_read_status__damaged(&rs))
			continue; /* whole, or left early (--until, -c) */
		if (rs.end == KCAP_END_NO_FOOTER && !rs.corrupt_blocks &&
		    !rs.missing_blocks && !rs.misordered_blocks && follow)
			continue;
		ret = 2;
		if (quiet)
			continue;
		/*
		 * next_record() hands out the records of a block before a
		 * bad one: "skipped" said that they were not read.
		 */
		if (rs.corrupt_blocks || rs.missing_blocks)
			fprintf(stderr,
				"%s: warning: %s: %u corrupt and %u missing block(s), %llu events in the blocks skipped whole; a block damaged in a record is read up to it (the last damage: %s): results may be incomplete\n",
				prog, name, rs.corrupt_blocks,
				rs.missing_blocks,
				(unsigned long long)rs.corrupt_records,
				kcap_reader__errmsg(r));
		if (rs.misordered_blocks)
			fprintf(stderr,
				"%s: warning: %s: %u block(s) out of order (a block repeated, or captures joined), read as they come: their events may be read twice\n",
				prog, name, rs.misordered_blocks);
		if (rs.end == KCAP_END_TRUNCATED ||
		    rs.end == KCAP_END_NO_FOOTER) {
			char end[160];

			kcap_read_status__end_text(&rs, end, sizeof(end));
			fprintf(stderr, "%s: warning: %s: %s\n", prog, name,
				end);
		} else if (rs.end == KCAP_END_ERROR)
			fprintf(stderr,
				"%s: warning: %s: stopped at offset %llu: %s\n",
				prog, name, (unsigned long long)rs.end_offset,
				kcap_reader__errmsg(r));
	}
	return ret;
}

int kcap_cli_add_inputs(struct kcap_replay *rp, char **inputs, unsigned int n,
			struct kcap_cli_inputs *ci, const char *prog)
{
	unsigned int i;

	(void)ci; /* without convert/, every input is kcap */
	for (i = 0; i < n; i++) {
#ifdef KCAP_HAVE_CONVERT
		int pr = kcap_path__rereadable(inputs[i]) &&
					 i < KCAP_CLI_SCAP_MAX ?
				 kcap_scap__probe(inputs[i]) :
				 0;

		if (pr == -EBADMSG) {
			/* a .scap damaged before its first block */
			fprintf(stderr, "%s: %s: %s (nothing to read)\n", prog,
				inputs[i], kcap_last_errmsg());
			return -2;
		}
		if (pr == 1) {
			ci->scap[i] =
				kcap_scap__open_reader(inputs[i], &ci->conv[i]);
			if (!ci->scap[i]) {
				fprintf(stderr, "%s: %s: %s\n", prog, inputs[i],
					kcap_last_errmsg());
				return -1;
			}
			if (kcap_replay__add_reader(rp, ci->scap[i],
						    inputs[i])) {
				fprintf(stderr, "%s: out of memory\n", prog);
				return -1;
			}
			continue;
		}
#endif
		if (kcap_replay__add_input(rp, inputs[i])) {
			fprintf(stderr, "%s: %s\n", prog,
				kcap_replay__errmsg(rp));
			return -1;
		}
	}
	return 0;
}

int kcap_cli_close_inputs(struct kcap_cli_inputs *ci, char **inputs,
			  const char *prog, bool quiet)
{
	int ret = 0;

#ifdef KCAP_HAVE_CONVERT
	for (unsigned int i = 0; i < KCAP_CLI_SCAP_MAX; i++) {
		const char *msg = NULL;

		if (!ci->scap[i])
			continue;
		if (kcap_scap__close_reader(ci->conv[i], ci->scap[i], &msg)) {
			if (msg && !quiet)
				fprintf(stderr, "%s: %s: %s\n", prog, inputs[i],
					msg);
			ret = 2;
		}
		ci->scap[i] = NULL;
	}
#else
	(void)ci;
	(void)inputs;
	(void)prog;
	(void)quiet;
#endif
	return ret;
}

int kcap_read_main(int argc, char **argv)
{
	enum {
		O_FORMAT = 256,
		O_SINCE,
		O_UNTIL,
		O_FOLLOW,
		O_NORMALIZE,
		O_ANALYZER,
		O_EXACT,
	};
	static const struct option lopts[] = {
		{ "list", no_argument, NULL, 'l' },
		{ "format", required_argument, NULL, O_FORMAT },
		{ "since", required_argument, NULL, O_SINCE },
		{ "until", required_argument, NULL, O_UNTIL },
		{ "follow", no_argument, NULL, O_FOLLOW },
		{ "exact", no_argument, NULL, O_EXACT },
		{ "normalize", no_argument, NULL, O_NORMALIZE },
		{ "analyzer", required_argument, NULL, O_ANALYZER },
		{ "print", no_argument, NULL, 'p' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct kcap_print_opts po = { 0 };
	struct an_req reqs[32];
	unsigned int nreq = 0, i;
	char **inputs = NULL;
	int ninputs = 0, c, ret = 1, err;
	const char *since_s = NULL, *until_s = NULL;
	bool print = false, quiet = false, follow = false, exact = false;
	long long count = 0;
	struct kcap_buf filter = { 0 };
	struct kcap_replay *rp = NULL;
	struct kcap_replay_stats st;
	uint64_t since = 0, until = 0;
	struct kcap_cli_inputs cin = { 0 };

	memset(reqs, 0, sizeof(reqs));
	inputs = calloc((size_t)argc + 1, sizeof(*inputs));
	if (!inputs)
		return 1;
	optind = 1;
	while ((c = getopt_long(argc, argv, "r:ljF:AxXt:c:Spqh", lopts,
				NULL)) != -1) {
		switch (c) {
		case 'r':
			inputs[ninputs++] = optarg;
			break;
		case 'l':
			kcap_fields__list(stdout);
			ret = 0;
			goto out;
		case 'j':
			po.format = KCAP_OUT_JSON;
			break;
		case O_FORMAT:
			if (!strcmp(optarg, "text"))
				po.format = KCAP_OUT_TEXT;
			else if (!strcmp(optarg, "json"))
				po.format = KCAP_OUT_JSON;
			else if (!strcmp(optarg, "csv"))
				po.format = KCAP_OUT_CSV;
			else {
				fprintf(stderr,
					"kcap read: --format: expected text, json or csv, not '%s'\n",
					optarg);
				goto out;
			}
			break;
		case 'F':
			if (parse_fields(optarg, &po))
				goto out;
			break;
		case 'A':
			po.bufs = KCAP_BUFS_ASCII;
			break;
		case 'x':
			po.bufs = KCAP_BUFS_HEX;
			break;
		case 'X':
			po.bufs = KCAP_BUFS_HEXASCII;
			break;
		case 't':
			switch (optarg[0]) {
			case 'a':
				po.ts_style = KCAP_TS_ABS;
				break;
			case 'r':
				po.ts_style = KCAP_TS_REL;
				break;
			case 'd':
				po.ts_style = KCAP_TS_DELTA;
				break;
			case 'n':
				po.ts_style = KCAP_TS_RAW;
				break;
			default:
				fprintf(stderr,
					"kcap read: -t: expected a (absolute), r (relative), d (delta) or n (ns)\n");
				goto out;
			}
			break;
		case 'c': {
			char *end;

			errno = 0;
			count = strtoll(optarg, &end, 10);
			if (*end || errno || count <= 0) {
				fprintf(stderr,
					"kcap read: -c: expected a positive count\n");
				goto out;
			}
			break;
		}
		case O_SINCE:
			since_s = optarg;
			break;
		case O_UNTIL:
			until_s = optarg;
			break;
		case O_FOLLOW:
			follow = true;
			break;
		case O_EXACT:
			exact = true;
			break;
		case O_NORMALIZE:
			po.normalize = true;
			break;
		case 'S':
		case O_ANALYZER: {
			const char *spec = c == 'S' ? "summary" : optarg;
			struct an_req *rq = &reqs[nreq];

			if (nreq == sizeof(reqs) / sizeof(reqs[0])) {
				fprintf(stderr,
					"kcap read: too many analyzers\n");
				goto out;
			}
			if (strchr(spec, '/') || strstr(spec, ".so")) {
				if (load_plugin(spec, rq))
					goto out;
			} else {
				const char *colon = strchr(spec, ':');
				char name[64];

				snprintf(name, sizeof(name), "%.*s",
					 (int)(colon ? (size_t)(colon - spec) :
						       strlen(spec)),
					 spec);
				rq->ops = kcap_analyzer__builtin(name);
				if (!rq->ops) {
					fprintf(stderr,
						"kcap read: no analyzer '%s' (built in: summary, proctree, files, net; or ./x.so)\n",
						name);
					goto out;
				}
				if (colon)
					rq->args = strdup(colon + 1);
			}
			nreq++;
			break;
		}
		case 'p':
			print = true;
			break;
		case 'q':
			quiet = true;
			break;
		case 'h':
			usage(stdout);
			ret = 0;
			goto out;
		default:
			usage(stderr);
			goto out;
		}
	}
	/* positionals: inputs first (when no -r), then the filter words */
	for (; optind < argc; optind++) {
		if (!filter.len && looks_like_input(argv[optind])) {
			inputs[ninputs++] = argv[optind];
			continue;
		}
		if (filter.len)
			kcap_buf__putc(&filter, ' ');
		kcap_buf__puts(&filter, argv[optind]);
	}
	if (!ninputs) {
		const char *why =
			filter.len ?
				not_input_why(filter.data,
					      strcspn(filter.data, " \t")) :
				NULL;

		if (why) {
			fprintf(stderr, "kcap read: %.*s: %s\n",
				(int)strcspn(filter.data, " \t"), filter.data,
				why);
			goto out;
		}
		fprintf(stderr,
			"kcap read: no input file (kcap read FILE... [FILTER])\n");
		usage(stderr);
		goto out;
	}
	/* fields are taken from the state as it is: they are not renumbered */
	if (po.normalize && (po.nfields || po.format == KCAP_OUT_CSV)) {
		fprintf(stderr, "kcap read: --normalize works on the text and "
				"JSON lines, not with -F or CSV\n");
		ret = 1;
		goto out;
	}
	if (kcap_cli_times(since_s, until_s, inputs, ninputs, "kcap read",
			   &since, &until))
		goto out;
	{
		KCAP_OPTS(kcap_replay_opts, ro, .since = since, .until = until,
			  .follow = follow, .max_events = (uint64_t)count,
			  .exact_seek = exact);
		rp = kcap_replay__new(&ro);
	}
	if (!rp) {
		fprintf(stderr, "kcap read: out of memory\n");
		goto out;
	}
	if ((err = kcap_cli_add_inputs(rp, inputs, ninputs, &cin,
				       "kcap read"))) {
		ret = err == -2 ? 2 : 1;
		goto out;
	}
	if (filter.len && kcap_replay__set_filter(rp, filter.data)) {
		print_filter_error(filter.data, kcap_replay__errmsg(rp));
		goto out;
	}
	if (!nreq || print) {
		KCAP_OPTS(kcap_analyzer_env, env, .out = stdout,
			  .json = po.format == KCAP_OUT_JSON);
		po.flush_each = follow;
		kcap_printer_opts = &po;
		err = kcap_replay__add_analyzer(rp, &kcap_analyzer_print, &env);
		kcap_printer_opts = NULL;
		po.fields = NULL; /* the printer owns them now */
		po.nfields = 0;
		if (err) {
			fprintf(stderr, "kcap read: %s\n",
				kcap_replay__errmsg(rp));
			goto out;
		}
	}
	for (i = 0; i < nreq; i++) {
		KCAP_OPTS(kcap_analyzer_env, env, .out = stdout,
			  .json = po.format == KCAP_OUT_JSON,
			  .args = reqs[i].args);

		if (kcap_replay__add_analyzer(rp, reqs[i].ops, &env)) {
			fprintf(stderr, "kcap read: %s\n",
				kcap_replay__errmsg(rp));
			goto out;
		}
	}
	running = rp;
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGPIPE, SIG_IGN);
	err = kcap_replay__run(rp);
	running = NULL;
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	if (err == -EPIPE) {
		ret = 0; /* the reader of the output went away: done */
		goto out;
	}
	if (err) {
		fprintf(stderr, "kcap read: %s\n", kcap_replay__errmsg(rp));
		goto out;
	}
	kcap_replay__stats(rp, &st);
	ret = 0;
	/*
	 * Events --dedup-ms folded were asked for, and stand in repeat
	 * records: no warning (the text output's # LOSS lines, and -S, still
	 * say them).
	 */
	if (!quiet && st.lost > st.folded) {
		struct kcap_buf b = { 0 };

		kcap_buf__puts(&b, "kcap read: warning: ");
		kcap_buf__printf(
			&b,
			"%llu events were not recorded (%llu loss record(s), from ",
			(unsigned long long)(st.lost - st.folded),
			(unsigned long long)st.loss_records);
		kcap_buf__time(&b, st.first_loss_ts);
		kcap_buf__puts(&b, " to ");
		kcap_buf__time(&b, st.last_loss_end ? st.last_loss_end :
						      st.first_loss_ts);
		kcap_buf__puts(&b, "): results may be incomplete\n");
		fputs(b.data, stderr);
		kcap_buf__free(&b);
	}
	if (kcap_replay_damage(rp, "kcap read", quiet, follow))
		ret = 2;
out:
	if (kcap_cli_close_inputs(&cin, inputs, "kcap read", quiet) && !ret)
		ret = 2;
	kcap_replay__free(rp);
	for (i = 0; i < po.nfields; i++)
		kcap_field__free(po.fields[i]);
	free(po.fields);
	for (i = 0; i < nreq; i++)
		free(reqs[i].args);
	/* plugins stay loaded: their code may still be on the stack of atexit */
	kcap_buf__free(&filter);
	free(inputs);
	/* what the analyzers wrote: a full disk must not pass as done */
	if (ret != 1 && (fflush(stdout) || ferror(stdout)) && errno != EPIPE) {
		fprintf(stderr, "kcap read: writing the output: %s\n",
			strerror(errno ? errno : EIO));
		ret = 1;
	}
	return ret;
}
