// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The conversion report as JSON (kcap convert --report). */
#include <errno.h>
#include <stdio.h>

#include "scap_internal.h"

static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\')
			fprintf(f, "\\%c", ch);
		else if (ch < 0x20)
			fprintf(f, "\\u%04x", ch);
		else
			fputc(ch, f);
	}
	fputc('"', f);
}

int kcap_scap__report_json(const struct kcap_scap_report *rep, FILE *f)
{
	unsigned int i;
	bool first = true;

	fprintf(f,
		"{\n  \"events_read\": %llu,\n  \"events_written\": %llu,\n"
		"  \"enters_stored\": %llu,\n  \"merged\": %llu,\n"
		"  \"exits_without_enter\": %llu,\n"
		"  \"stale_enters_discarded\": %llu,\n"
		"  \"enters_pending_at_end\": %llu,\n"
		"  \"generic\": %llu,\n  \"dropped\": %llu,\n"
		"  \"unknown_event_codes\": %llu,\n  \"sections\": %llu,\n"
		"  \"blocks\": %llu,\n  \"skipped_blocks\": %llu,\n"
		"  \"snapshot_processes\": %llu,\n  \"snapshot_fds\": %llu,\n"
		"  \"loss_records\": %llu,\n  \"bytes_in\": %llu,\n"
		"  \"gzip\": %s,\n  \"complete\": %s,\n",
		(unsigned long long)rep->events_read,
		(unsigned long long)rep->events_written,
		(unsigned long long)rep->enters_stored,
		(unsigned long long)rep->merged,
		(unsigned long long)rep->no_enter,
		(unsigned long long)rep->stale_enter,
		(unsigned long long)rep->pending_at_end,
		(unsigned long long)rep->generic,
		(unsigned long long)rep->dropped,
		(unsigned long long)rep->unknown_type,
		(unsigned long long)rep->sections,
		(unsigned long long)rep->blocks,
		(unsigned long long)rep->skipped_blocks,
		(unsigned long long)rep->snap_procs,
		(unsigned long long)rep->snap_fds,
		(unsigned long long)rep->loss_records,
		(unsigned long long)rep->bytes_in, rep->gzip ? "true" : "false",
		rep->err ? "false" : "true");
	if (rep->err) {
		fprintf(f, "  \"error\": {\"offset\": %llu, \"message\": ",
			(unsigned long long)rep->err_offset);
		json_str(f, rep->err_msg);
		fprintf(f, "},\n");
	}
	fprintf(f, "  \"types\": {");
	for (i = 0; i < KCAP_SCAP_EVENT_MAX; i++) {
		const struct kcap_scap_type_stats *t = &rep->types[i];
		const char *name = kcap_scap__event_name(i);

		if (!t->read && !t->stale_enter)
			continue;
		fprintf(f,
			"%s\n    \"%u\": {\"name\": \"%s\", \"dir\": \"%s\", "
			"\"read\": %llu, \"converted\": %llu, "
			"\"merged\": %llu, \"exits_without_enter\": %llu, "
			"\"stale_enters_discarded\": %llu, "
			"\"generic\": %llu, \"dropped\": %llu, "
			"\"dropped_no_counterpart\": %llu, "
			"\"dropped_unused_type\": %llu, "
			"\"dropped_bad_lengths\": %llu, "
			"\"params_of_wrong_length\": %llu, "
			"\"state_only\": %llu}",
			first ? "" : ",", i, name ? name : "?",
			i & 1 ? "exit" : "enter", (unsigned long long)t->read,
			(unsigned long long)t->converted,
			(unsigned long long)t->merged,
			(unsigned long long)t->no_enter,
			(unsigned long long)t->stale_enter,
			(unsigned long long)t->generic,
			(unsigned long long)t->dropped,
			(unsigned long long)t->dropped_unsupported,
			(unsigned long long)t->dropped_unused,
			(unsigned long long)t->dropped_bad,
			(unsigned long long)t->malformed,
			(unsigned long long)t->state_only);
		first = false;
	}
	fprintf(f, "\n  },\n  \"problems_total\": %llu,\n  \"problems\": [",
		(unsigned long long)rep->problems_total);
	for (i = 0; i < rep->nproblems; i++) {
		fprintf(f,
			"%s\n    {\"offset\": %llu, \"what\": ", i ? "," : "",
			(unsigned long long)rep->problems[i].offset);
		json_str(f, rep->problems[i].what);
		fputc('}', f);
	}
	fprintf(f, "\n  ]\n}\n");
	return ferror(f) ? -EIO : 0;
}
