// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * kcap cut: writes a slice of captures to a new file that decodes alone.
 *
 * The new file starts with a SNAPSHOT of the engine's state at the cut
 * point (processes, threads, fds), so that a reader of the slice knows
 * who did what. With one input, no filter and this build's schema, whole
 * EVENTS blocks inside the range are copied as stored, without decoding
 * or recompressing; only the blocks at the edges are re-encoded. With a
 * filter or several inputs, events go through the engine and are written
 * one by one.
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <sys/stat.h>

#include "internal.h"
#include "subcommands.h"

struct cutter {
	struct kcap_replay *rp;
	struct kcap_writer *w;
	uint64_t since;
	bool snap_done;
	bool stop_at_range; /* block mode: only build the snapshot */
	bool keep_state; /* a filtered cut keeps the events that make state */
	const struct kcap_hdr *kept; /* written by the hook already */
	bool damaged; /* an input was damaged or cut short: exit 2 */
	bool machine_done; /* the first input's MACHINE block is written */
	/*
	 * Snapshot records were read after the slice's own snapshot
	 * (another input's, which started later): the slice gets a new
	 * SNAPSHOT of the whole state once they are applied. Without it,
	 * the slice lost what they say; theirs alone would, as a keyframe,
	 * retire the other inputs' processes.
	 */
	bool later;
	uint64_t later_ts;
	uint64_t until;
	struct kcap_buf snap;
	uint64_t events, skipped, copied_blocks, encoded_blocks;
	int err;
};

static int write_snapshot(struct cutter *c, uint64_t ts)
{
	int err;

	c->snap_done = true;
	c->snap.len = 0;
	err = kcap_replay__snapshot_records(c->rp, c->since ? c->since : ts,
					    &c->snap);
	if (err)
		return err;
	if (c->stop_at_range)
		return -ECANCELED;
	if (!c->snap.len)
		return 0;
	return kcap_writer__write_block(c->w, KCAP_BLOCK_SNAPSHOT, c->snap.data,
					c->snap.len);
}

static int flush_later(struct cutter *c)
{
	int err;

	if (!c->later)
		return 0;
	c->later = false;
	c->snap.len = 0;
	err = kcap_replay__snapshot_records(c->rp, c->later_ts, &c->snap);
	if (err || !c->snap.len)
		return err;
	return kcap_writer__write_block(c->w, KCAP_BLOCK_SNAPSHOT, c->snap.data,
					c->snap.len);
}

/*
 * The records of MACHINE and SNAPSHOT blocks: the first MACHINE block
 * (a pipe's; a file's was copied first), and snapshots read after the
 * slice's own.
 */
static int cut_meta(void *arg, uint32_t src, const struct kcap_hdr *rec)
{
	struct cutter *c = arg;

	(void)src;
	if (rec->type == KCAP_EV_machine) {
		if (c->machine_done)
			return 0;
		c->machine_done = true;
		return kcap_writer__write_block(c->w, KCAP_BLOCK_MACHINE, rec,
						rec->len);
	}
	if (!c->snap_done || (c->until && rec->ts > c->until))
		return 0; /* in the slice's snapshot, or after it */
	if (!c->later || rec->ts > c->later_ts)
		c->later_ts = rec->ts;
	c->later = true;
	return 0;
}

static int cut_hook(void *arg, uint32_t src, const struct kcap_hdr *rec,
		    bool in_range)
{
	struct cutter *c = arg;
	int err;

	(void)src;
	/*
	 * Which record was kept is known only until the next comes: records
	 * decoded into one buffer (an older schema's) share an address.
	 */
	c->kept = NULL;
	if (c->later && (err = flush_later(c)))
		return err;
	if (in_range && !c->snap_done && (err = write_snapshot(c, rec->ts)))
		return err;
	if (in_range && c->keep_state && rec->type != KCAP_EV_loss &&
	    kcap_replay__changes_state(c->rp, rec->type)) {
		/*
		 * Opens, closes, clones and execs that the filter drops are
		 * kept, so that the slice names processes and fds as the
		 * whole capture does: reading it with the same filter gives
		 * the same lines.
		 */
		c->kept = rec;
		c->events++;
		return kcap_writer__append(c->w, rec);
	}
	return 0;
}

static void *cut_init(struct kcap_replay *rp,
		      const struct kcap_analyzer_env *env)
{
	(void)rp;
	return (void *)env->args; /* the cutter, handed over by cut_main */
}

static int cut_event(void *state, const struct kcap_event_ctx *ctx)
{
	struct cutter *c = state;

	if (!ctx->desc ||
	    ctx->ev->type >= kcap_schema__id_limit(kcap_schema__builtin())) {
		c->skipped++; /* a type this build cannot write */
		return 0;
	}
	if (ctx->ev == c->kept)
		return 0;
	c->events++;
	return kcap_writer__append(c->w, ctx->ev);
}

static int cut_loss(void *state, const struct kcap_loss_ctx *l)
{
	struct cutter *c = state;

	return kcap_writer__write_block(c->w, KCAP_BLOCK_LOSS, l->loss,
					l->loss->hdr.len);
}

static int cut_finish(void *state)
{
	(void)state;
	return 0;
}

static const struct kcap_analyzer_ops cut_ops = {
	.sz = sizeof(struct kcap_analyzer_ops),
	.name = "cut",
	.help = "writes the events it gets to a new file",
	.init = cut_init,
	.on_event = cut_event,
	.on_loss = cut_loss,
	.finish = cut_finish,
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: kcap cut -r IN [-r IN]... -w OUT [--since T] [--until T] [-z CODEC] [FILTER]\n"
		"\n"
		"Writes the events of IN (several are merged by time) between --since\n"
		"and --until that match FILTER (kcap read -l lists its fields) to OUT,\n"
		"which starts with a SNAPSHOT of the processes and fds at the cut point\n"
		"and so reads alone. Times as for kcap read. Whole blocks are copied\n"
		"without recompressing when there is one input and no filter.\n"
		"With a filter, the events that change process or fd state (clone,\n"
		"execve, exit, open, close, dup, socket...) are kept too, so that\n"
		"`kcap read OUT FILTER` prints what `kcap read IN FILTER` does.\n"
		"  -z CODEC         zstd[:LEVEL] (default), zstd-cols[:LEVEL],\n"
		"                   lz4[:ACCEL] or none, for\n"
		"                   blocks that are written anew\n"
		"  --only-matching  with a filter, keep only the events that match\n"
		"  --exact          (always so) the snapshot at --since has what\n"
		"                   happened since the input's last snapshot before\n"
		"                   it: the blocks between are read for their state\n"
		"\n"
		"Exit status: 0; 1 on errors; 2 when an input was damaged or cut\n"
		"short (what it held up to the damage is written).\n");
}

static void copy_machine(struct kcap_reader *r, struct kcap_writer *w)
{
	struct kcap_block b;
	int err;

	while ((err = kcap_reader__next_block(r, &b)) != 0) {
		if (err < 0)
			continue;
		if (b.type == KCAP_BLOCK_MACHINE) {
			kcap_writer__copy_block(w, &b);
			return;
		}
		if (b.type == KCAP_BLOCK_EVENTS ||
		    b.type == KCAP_BLOCK_SNAPSHOT)
			return;
	}
}

/* One input, no filter: copy the blocks inside the range as they are. */
static int cut_blocks(struct cutter *c, const char *in, uint64_t since,
		      uint64_t until)
{
	struct kcap_reader *r = kcap_reader__open(in, NULL);
	struct kcap_block b;
	int err;

	if (!r) {
		fprintf(stderr, "kcap cut: %s: %s\n", in, kcap_last_errmsg());
		return -1;
	}
	copy_machine(r, c->w);
	if (c->snap.len &&
	    kcap_writer__write_block(c->w, KCAP_BLOCK_SNAPSHOT, c->snap.data,
				     c->snap.len)) {
		fprintf(stderr, "kcap cut: writing the SNAPSHOT: %s\n",
			kcap_writer__errmsg(c->w));
		kcap_reader__close(r);
		return -1;
	}
	if ((err = kcap_reader__seek_ts(r, since))) {
		fprintf(stderr, "kcap cut: %s: cannot seek: %s\n", in,
			kcap_reader__errmsg(r));
		kcap_reader__close(r);
		return -1;
	}
	while ((err = kcap_reader__next_block(r, &b)) != 0) {
		if (err < 0) {
			struct kcap_read_status st;

			kcap_reader__status(r, &st);
			fprintf(stderr, "kcap cut: warning: %s: %s\n", in,
				kcap_reader__errmsg(r));
			if (st.end != KCAP_END_NONE)
				break;
			continue;
		}
		if (until && b.first_ts > until &&
		    (b.type == KCAP_BLOCK_EVENTS || b.type == KCAP_BLOCK_LOSS ||
		     b.type == KCAP_BLOCK_SNAPSHOT))
			break;
		err = 0;
		switch (b.type) {
		case KCAP_BLOCK_EVENTS:
			if (b.first_ts >= since &&
			    (!until || b.last_ts <= until)) {
				err = kcap_writer__copy_block(c->w, &b);
				c->events += b.count;
				c->copied_blocks++;
			} else {
				/* an edge block: keep the records inside the range */
				const uint8_t *p = b.data,
					      *end = b.data + b.raw_len;

				err = 0;
				while (p && p < end && !err) {
					const struct kcap_hdr *h =
						(const void *)p;

					if (h->ts >= since &&
					    (!until || h->ts <= until)) {
						err = kcap_writer__append(c->w,
									  h);
						c->events++;
					}
					p += h->len;
				}
				c->encoded_blocks++;
			}
			break;
		case KCAP_BLOCK_LOSS:
			if (b.last_ts >= since) {
				err = kcap_writer__copy_block(c->w, &b);
				c->copied_blocks++;
			}
			break;
		case KCAP_BLOCK_SNAPSHOT:
		case KCAP_BLOCK_MACHINE:
			/* later keyframes of the same file stay true */
			err = kcap_writer__copy_block(c->w, &b);
			c->copied_blocks++;
			break;
		default:
			break;
		}
		if (err) {
			fprintf(stderr, "kcap cut: %s block %u of %s: %s %s\n",
				kcap_block_type_name(b.type) ?
					kcap_block_type_name(b.type) :
					"?",
				b.seq, in, strerror(-err),
				kcap_writer__errmsg(c->w));
			kcap_reader__close(r);
			return -1;
		}
	}
	{
		struct kcap_read_status st;

		kcap_reader__status(r, &st);
		if (kcap_read_status__damaged(&st))
			c->damaged = true;
	}
	kcap_reader__close(r);
	return 0;
}

static bool seekable_kcap(const char *path)
{
	struct kcap_reader *r;
	bool ok;

	if (!kcap_path__rereadable(path))
		return false;
	r = kcap_reader__open(path, NULL);
	if (!r)
		return false;
	ok = kcap_reader__file_info(r)->schema_hash ==
	     kcap_schema__hash(kcap_schema__builtin());
	kcap_reader__close(r);
	return ok;
}

int kcap_cut_main(int argc, char **argv)
{
	enum { O_SINCE = 256, O_UNTIL, O_ONLY, O_EXACT };
	static const struct option lopts[] = {
		{ "since", required_argument, NULL, O_SINCE },
		{ "until", required_argument, NULL, O_UNTIL },
		{ "only-matching", no_argument, NULL, O_ONLY },
		{ "exact", no_argument, NULL, O_EXACT },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	const char *out = NULL, *since_s = NULL, *until_s = NULL;
	char **inputs = calloc((size_t)argc + 1, sizeof(*inputs));
	int ninputs = 0, c, ret = 1, codec = KCAP_CODEC_ZSTD, level = 0, err;
	struct kcap_buf filter = { 0 };
	struct cutter ct = { 0 };
	struct kcap_cli_inputs cin = { 0 };
	uint64_t since = 0, until = 0;
	bool blocks, only_matching = false;

	if (!inputs)
		return 1;
	optind = 1;
	/* past ulimit -f: an error that names EFBIG, not a silent kill */
	signal(SIGXFSZ, SIG_IGN);
	while ((c = getopt_long(argc, argv, "r:w:z:h", lopts, NULL)) != -1) {
		switch (c) {
		case 'r':
			inputs[ninputs++] = optarg;
			break;
		case 'w':
			out = optarg;
			break;
		case 'z':
			if (kcap_codec_parse(optarg, &codec, &level)) {
				fprintf(stderr,
					"kcap cut: -z: expected zstd[:LEVEL], zstd-cols[:LEVEL], lz4[:ACCEL] or none\n");
				goto done;
			}
			break;
		case O_SINCE:
			since_s = optarg;
			break;
		case O_UNTIL:
			until_s = optarg;
			break;
		case O_ONLY:
			only_matching = true;
			break;
		case O_EXACT:
			break; /* what cut always does now */
		case 'h':
			usage(stdout);
			ret = 0;
			goto done;
		default:
			usage(stderr);
			goto done;
		}
	}
	for (; optind < argc; optind++) {
		if (filter.len)
			kcap_buf__putc(&filter, ' ');
		kcap_buf__puts(&filter, argv[optind]);
	}
	if (!ninputs || !out) {
		usage(stderr);
		goto done;
	}
	if (kcap_cli_times(since_s, until_s, inputs, ninputs, "kcap cut",
			   &since, &until))
		goto done;
	blocks = ninputs == 1 && !filter.len && seekable_kcap(inputs[0]);
	{
		KCAP_OPTS(kcap_replay_opts, ro, .since = since, .until = until,
			  /*
			   * A slice's snapshot says what was so at its
			   * start: from the keyframe alone it would name a
			   * process by what it was before an exec since.
			   */
			  .exact_seek = true);
		ct.rp = kcap_replay__new(&ro);
	}
	if (!ct.rp) {
		fprintf(stderr, "kcap cut: out of memory\n");
		goto done;
	}
	ct.since = since;
	ct.until = until;
	ct.keep_state = filter.len && !only_matching;
	if ((err = kcap_cli_add_inputs(ct.rp, inputs, ninputs, &cin,
				       "kcap cut"))) {
		ret = err == -2 ? 2 : 1;
		goto done;
	}
	if (filter.len && kcap_replay__set_filter(ct.rp, filter.data)) {
		fprintf(stderr, "kcap cut: bad filter: %s\n",
			kcap_replay__errmsg(ct.rp));
		goto done;
	}
	{
		/* calloc'ed one longer than argv: NULL-terminated */
		KCAP_OPTS(kcap_writer_opts, wo, .codec = codec, .level = level,
			  .keep = (const char *const *)inputs);
		ct.w = kcap_writer__open(out, &wo);
	}
	if (!ct.w) {
		fprintf(stderr, "kcap cut: %s: %s\n", out, kcap_last_errmsg());
		goto done;
	}
	kcap_replay__set_raw_hook(ct.rp, cut_hook, &ct);
	kcap_replay__set_meta_hook(ct.rp, cut_meta, &ct);
	if (blocks) {
		/* the engine only builds the state at the cut point */
		ct.stop_at_range = true;
		ct.machine_done = true; /* cut_blocks() copies it */
		err = kcap_replay__run(ct.rp);
		if (err && err != -ECANCELED) {
			fprintf(stderr, "kcap cut: %s\n",
				kcap_replay__errmsg(ct.rp));
			goto done;
		}
		if (!ct.snap_done) {
			/* nothing in range: the state at the end */
			ct.stop_at_range = false;
			kcap_replay__snapshot_records(ct.rp, since, &ct.snap);
		}
		/*
		 * What the state was built from: a corrupt SNAPSHOT block
		 * left it out of the slice, which exited 0 without a word.
		 */
		if (kcap_replay_damage(ct.rp, "kcap cut", false, false))
			ct.damaged = true;
		if (cut_blocks(&ct, inputs[0], since, until))
			goto done;
	} else {
		KCAP_OPTS(kcap_analyzer_env, env, .args = (const char *)&ct);

		/*
		 * A file's MACHINE block is read from its start: a seek to
		 * --since passes it by. A pipe's comes through cut_meta().
		 */
		if (kcap_path__rereadable(inputs[0])) {
			struct kcap_reader *r =
				kcap_reader__open(inputs[0], NULL);

			if (r) {
				copy_machine(r, ct.w);
				kcap_reader__close(r);
				ct.machine_done = true;
			}
		}
		if (kcap_replay__add_analyzer(ct.rp, &cut_ops, &env) ||
		    kcap_replay__run(ct.rp)) {
			fprintf(stderr, "kcap cut: %s\n",
				kcap_replay__errmsg(ct.rp));
			goto done;
		}
		if (!ct.snap_done)
			write_snapshot(&ct, since);
		if (flush_later(&ct)) {
			fprintf(stderr, "kcap cut: writing a SNAPSHOT: %s\n",
				kcap_writer__errmsg(ct.w));
			goto done;
		}
		if (kcap_replay_damage(ct.rp, "kcap cut", false, false))
			ct.damaged = true;
	}
	err = kcap_writer__close(ct.w);
	ct.w = NULL;
	if (err) {
		fprintf(stderr, "kcap cut: closing %s: %s\n", out,
			kcap_last_errmsg());
		goto done;
	}
	if (ct.copied_blocks || ct.encoded_blocks)
		fprintf(stderr,
			"kcap cut: wrote %llu events to %s (%llu blocks copied as stored, %llu re-encoded)\n",
			(unsigned long long)ct.events, out,
			(unsigned long long)ct.copied_blocks,
			(unsigned long long)ct.encoded_blocks);
	else /* through the engine: every event written anew */
		fprintf(stderr, "kcap cut: wrote %llu events to %s\n",
			(unsigned long long)ct.events, out);
	if (ct.skipped)
		fprintf(stderr,
			"kcap cut: warning: %llu events of types this build does not know were left out\n",
			(unsigned long long)ct.skipped);
	/* as kcap read: what the input held up to its damage is written */
	ret = ct.damaged ? 2 : 0;
done:
	if (ct.w)
		kcap_writer__close(ct.w);
	if (kcap_cli_close_inputs(&cin, inputs, "kcap cut", false) && !ret)
		ret = 2;
	kcap_replay__free(ct.rp);
	kcap_buf__free(&ct.snap);
	kcap_buf__free(&filter);
	free(inputs);
	return ret;
}
