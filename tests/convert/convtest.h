/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Helpers shared by the converter's tests: convert, read back, look up. */
#ifndef KCAP_TESTS_CONVTEST_H
#define KCAP_TESTS_CONVTEST_H

#include "kcap/kcap.h"
#include "kcap/scap.h"
#include "scapw.h"

struct conv_out {
	int n;
	struct kcap_hdr **recs; /* copies */
	int *blk; /* block type of each */
	struct kcap_scap_report *rep;
	int ret; /* of kcap_scap__convert* */
};

/* Converts buf (a .scap in memory) and reads the result back. */
void conv_mem(const void *buf, size_t len, int codec, struct conv_out *o);
void conv_path(const char *path, struct conv_out *o);
void conv_out_free(struct conv_out *o);
/* Reads every record of a kcap reader into o (recs, blk). */
void conv_read_all(struct kcap_reader *r, struct conv_out *o);

/* The i-th record of kcap event `name` (by order), or NULL. */
const struct kcap_hdr *conv_find(const struct conv_out *o, const char *name,
				 int i);
int conv_count(const struct conv_out *o, const char *name);
/* A fixed field: 1 if known (value in *v), 0 if unknown. */
int fint(const struct kcap_hdr *r, const char *field, int64_t *v);
/* A var field: 1 if present (bytes in *p, *len), 0 if absent. */
int fvar(const struct kcap_hdr *r, const char *field, const uint8_t **p,
	 size_t *len);
/* 1 if var field equals the string s (no NUL). */
int fvar_is(const struct kcap_hdr *r, const char *field, const char *s);
/* The record as the text printer shows it (static buffer). */
const char *ftext(const struct kcap_hdr *r);

#endif
