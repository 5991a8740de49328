// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include "convtest.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void conv_read_all(struct kcap_reader *r, struct conv_out *o)
{
	const struct kcap_hdr *h;
	int ret, cap = 0;

	while ((ret = kcap_reader__next_record(r, &h)) > 0) {
		if (o->n == cap) {
			cap = cap ? cap * 2 : 256;
			o->recs = realloc(o->recs, cap * sizeof(*o->recs));
			o->blk = realloc(o->blk, cap * sizeof(*o->blk));
			ck_assert_ptr_nonnull(o->recs);
			ck_assert_ptr_nonnull(o->blk);
		}
		o->recs[o->n] = malloc(h->len);
		memcpy(o->recs[o->n], h, h->len);
		o->blk[o->n] = kcap_reader__block(r)->type;
		o->n++;
	}
	ck_assert_msg(ret == 0, "reading the converted file: %s",
		      kcap_reader__errmsg(r));
}

static void convert_to_file(const void *buf, size_t len, const char *path,
			    int codec, struct conv_out *o)
{
	struct kcap_writer *w;
	struct kcap_reader *r;

	KCAP_OPTS(kcap_writer_opts, wo, .codec = codec);
	w = kcap_writer__open(path, &wo);
	ck_assert_ptr_nonnull(w);
	o->rep = calloc(1, sizeof(*o->rep));
	ck_assert_ptr_nonnull(o->rep);
	if (buf)
		o->ret = kcap_scap__convert_mem(buf, len, w, NULL, o->rep);
	ck_assert_int_eq(kcap_writer__close(w), 0);
	r = kcap_reader__open(path, NULL);
	ck_assert_ptr_nonnull(r);
	conv_read_all(r, o);
	kcap_reader__close(r);
}

void conv_mem(const void *buf, size_t len, int codec, struct conv_out *o)
{
	char path[] = "/tmp/kcap-convtest-XXXXXX";
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	close(fd);
	memset(o, 0, sizeof(*o));
	convert_to_file(buf, len, path, codec, o);
	unlink(path);
}

void conv_path(const char *in, struct conv_out *o)
{
	char path[] = "/tmp/kcap-convtest-XXXXXX";
	struct kcap_writer *w;
	struct kcap_reader *r;
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	close(fd);
	memset(o, 0, sizeof(*o));
	KCAP_OPTS(kcap_writer_opts, wo, .codec = KCAP_CODEC_ZSTD);
	w = kcap_writer__open(path, &wo);
	ck_assert_ptr_nonnull(w);
	o->rep = calloc(1, sizeof(*o->rep));
	o->ret = kcap_scap__convert(in, w, NULL, o->rep);
	ck_assert_int_eq(kcap_writer__close(w), 0);
	r = kcap_reader__open(path, NULL);
	ck_assert_ptr_nonnull(r);
	conv_read_all(r, o);
	kcap_reader__close(r);
	unlink(path);
}

void conv_out_free(struct conv_out *o)
{
	int i;

	for (i = 0; i < o->n; i++)
		free(o->recs[i]);
	free(o->recs);
	free(o->blk);
	free(o->rep);
	memset(o, 0, sizeof(*o));
}

const struct kcap_hdr *conv_find(const struct conv_out *o, const char *name,
				 int idx)
{
	const struct kcap_event_desc *ev =
		kcap_schema__event_by_name(kcap_schema__builtin(), name);
	int i;

	ck_assert_msg(ev != NULL, "no kcap event %s", name);
	for (i = 0; i < o->n; i++)
		if (o->recs[i]->type == ev->id && !idx--)
			return o->recs[i];
	return NULL;
}

int conv_count(const struct conv_out *o, const char *name)
{
	const struct kcap_event_desc *ev =
		kcap_schema__event_by_name(kcap_schema__builtin(), name);
	int i, n = 0;

	ck_assert_msg(ev != NULL, "no kcap event %s", name);
	for (i = 0; i < o->n; i++)
		n += o->recs[i]->type == ev->id;
	return n;
}

static const struct kcap_field_desc *field(const struct kcap_hdr *r,
					   const char *name)
{
	const struct kcap_event_desc *ev =
		kcap_schema__event(kcap_schema__builtin(), r->type);
	const struct kcap_field_desc *f;

	ck_assert_ptr_nonnull(ev);
	f = kcap_event_desc__field(ev, name);
	ck_assert_msg(f != NULL, "%s has no field %s", ev->name, name);
	return f;
}

int fint(const struct kcap_hdr *r, const char *name, int64_t *v)
{
	return kcap_field__get_int(field(r, name), r, v);
}

int fvar(const struct kcap_hdr *r, const char *name, const uint8_t **p,
	 size_t *len)
{
	return kcap_field__get_var(field(r, name), r, p, len);
}

int fvar_is(const struct kcap_hdr *r, const char *name, const char *s)
{
	const uint8_t *p;
	size_t len;

	if (!fvar(r, name, &p, &len))
		return 0;
	return len == strlen(s) && !memcmp(p, s, len);
}

const char *ftext(const struct kcap_hdr *r)
{
	static struct kcap_buf b;

	b.len = 0;
	kcap_event__print_text(&b, kcap_schema__builtin(), r, 0);
	kcap_buf__putc(&b, 0);
	return b.data;
}
