// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Regression driver for fuzz targets, as zstd's regression_driver.c: runs
 * every regular file under the paths given (directories recursively)
 * through LLVMFuzzerTestOneInput, then each file cut at 64 lengths spread
 * evenly over it and with 64 single bytes flipped, so that a plain test
 * run covers truncation and bit rot of every fixture without libFuzzer.
 * Not linked into the libFuzzer binary, which has its own main().
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define VARIANTS 64

static unsigned long long ninputs;

static int read_whole(const char *path, uint8_t **data, size_t *size)
{
	FILE *f = fopen(path, "rb");
	uint8_t *p = NULL;
	size_t len = 0, cap = 0, n;

	if (!f)
		return -errno;
	for (;;) {
		if (len == cap) {
			uint8_t *q;

			cap = cap ? cap * 2 : 1 << 16;
			q = realloc(p, cap);
			if (!q) {
				free(p);
				fclose(f);
				return -ENOMEM;
			}
			p = q;
		}
		n = fread(p + len, 1, cap - len, f);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(f)) {
		free(p);
		fclose(f);
		return -EIO;
	}
	fclose(f);
	*data = p;
	*size = len;
	return 0;
}

/*
 * Each input gets its own heap copy of exactly its size, so that
 * AddressSanitizer sees any read past its end.
 */
static void run(const uint8_t *data, size_t size)
{
	uint8_t *copy = malloc(size ? size : 1);

	if (!copy) {
		fprintf(stderr, "run_corpus: out of memory\n");
		exit(1);
	}
	memcpy(copy, data, size);
	LLVMFuzzerTestOneInput(copy, size);
	free(copy);
	ninputs++;
}

static void run_file(const char *path)
{
	uint8_t *data = NULL, *flipped;
	size_t size = 0, i;
	int err = read_whole(path, &data, &size);

	if (err) {
		fprintf(stderr, "run_corpus: %s: %s\n", path, strerror(-err));
		exit(1);
	}
	run(data, size);
	for (i = 0; i < VARIANTS && size; i++)
		run(data, size * i / VARIANTS);
	flipped = malloc(size ? size : 1);
	if (!flipped) {
		fprintf(stderr, "run_corpus: out of memory\n");
		exit(1);
	}
	for (i = 0; i < VARIANTS && size; i++) {
		/* spread over the file, and through every bit of a byte */
		size_t at = (size_t)((i * 2654435761u) % size);

		memcpy(flipped, data, size);
		flipped[at] ^= (uint8_t)(1u << (i % 8));
		run(flipped, size);
	}
	free(flipped);
	free(data);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void run_path(const char *path)
{
	struct stat sb;
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, cap = 0, i;
	DIR *d;

	if (stat(path, &sb)) {
		fprintf(stderr, "run_corpus: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	if (S_ISREG(sb.st_mode)) {
		run_file(path);
		return;
	}
	if (!S_ISDIR(sb.st_mode))
		return;
	d = opendir(path);
	if (!d) {
		fprintf(stderr, "run_corpus: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	/* sorted, so that a run is the same run everywhere */
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		size_t len = strlen(path) + strlen(de->d_name) + 2;

		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			names = realloc(names, cap * sizeof(*names));
		}
		if (!names || !(names[n] = malloc(len))) {
			fprintf(stderr, "run_corpus: out of memory\n");
			exit(1);
		}
		snprintf(names[n++], len, "%s/%s", path, de->d_name);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), by_name);
	for (i = 0; i < n; i++) {
		run_path(names[i]);
		free(names[i]);
	}
	free(names);
}

int main(int argc, char **argv)
{
	int i;

	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
		return 1;
	}
	for (i = 1; i < argc; i++)
		run_path(argv[i]);
	printf("run_corpus: ran %llu inputs\n", ninputs);
	/* a regression run over nothing would pass while testing nothing */
	return ninputs ? 0 : 1;
}
