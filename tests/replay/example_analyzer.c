// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * An analyzer as a user would write one, built as a shared object:
 *
 *   kcap read --analyzer ./example_analyzer.so:PREFIX capture.kcap
 *
 * It counts events per process name and the bytes written to files whose
 * name starts with PREFIX (default "/"), and prints one line per process.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kcap/replay.h"

struct example {
	FILE *out;
	char prefix[256];
	struct {
		char comm[32];
		unsigned long events;
	} procs[64];
	unsigned int nprocs;
	unsigned long long written, lost;
	unsigned int inputs;
};

static void *example_init(struct kcap_replay *rp,
			  const struct kcap_analyzer_env *env)
{
	struct example *x = calloc(1, sizeof(*x));

	if (!x)
		return NULL;
	x->out = env->out ? env->out : stdout;
	snprintf(x->prefix, sizeof(x->prefix), "%s",
		 env->args ? env->args : "/");
	/* a call back into kcap: the binary exports its API */
	x->inputs = kcap_replay__inputs(rp);
	return x;
}

static int example_event(void *state, const struct kcap_event_ctx *c)
{
	struct example *x = state;
	const char *comm = c->proc ? c->proc->comm : "?";
	unsigned int i;

	for (i = 0; i < x->nprocs; i++)
		if (!strcmp(x->procs[i].comm, comm))
			break;
	if (i == x->nprocs) {
		if (x->nprocs == 64)
			return -ENOSPC;
		snprintf(x->procs[i].comm, sizeof(x->procs[i].comm), "%s",
			 comm);
		x->nprocs++;
	}
	x->procs[i].events++;
	if (c->desc && !strcmp(c->desc->name, "write") && c->fd &&
	    !strncmp(kcap_fdinfo__name(c->fd), x->prefix, strlen(x->prefix))) {
		const struct kcap_ev_write *w = (const void *)c->ev;

		if (w->res > 0)
			x->written += (unsigned long long)w->res;
	}
	return 0;
}

static int example_loss(void *state, const struct kcap_loss_ctx *l)
{
	struct example *x = state;

	x->lost += l->loss->count;
	return 0;
}

static int example_finish(void *state)
{
	struct example *x = state;
	unsigned int i;

	for (i = 0; i < x->nprocs; i++)
		fprintf(x->out, "example: %s %lu\n", x->procs[i].comm,
			x->procs[i].events);
	fprintf(x->out,
		"example: %llu bytes written under %s, %llu lost, %u input(s)\n",
		x->written, x->prefix, x->lost, x->inputs);
	free(x);
	return 0;
}

static const struct kcap_analyzer_ops example_ops = {
	.sz = sizeof(struct kcap_analyzer_ops),
	.name = "example",
	.help = "events per process name, bytes written under a prefix",
	.init = example_init,
	.on_event = example_event,
	.on_loss = example_loss,
	.finish = example_finish,
};

const struct kcap_analyzer_ops *kcap_analyzer(void);
const struct kcap_analyzer_ops *kcap_analyzer(void)
{
	return &example_ops;
}
