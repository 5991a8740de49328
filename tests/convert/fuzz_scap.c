// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Fuzz target for the legacy reader and the converter: any bytes, read as
 * a .scap (plain or gzip) and converted into a kcap writer on /dev/null.
 * Must never crash, hang or leak, whatever the input.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "kcap/scap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int devnull = -1;
	static struct kcap_scap_report *rep;
	struct kcap_writer *w;

	if (devnull < 0)
		devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (!rep)
		rep = malloc(sizeof(*rep));
	if (devnull < 0 || !rep)
		abort();
	/* small blocks: less to allocate per input */
	KCAP_OPTS(kcap_writer_opts, wo, .codec = KCAP_CODEC_NONE,
		  .block_size = 4096);
	w = kcap_writer__open_fd(devnull, &wo);
	if (!w)
		abort();
	kcap_scap__convert_mem(data, size, w, NULL, rep);
	kcap_writer__close(w);
	return 0;
}
