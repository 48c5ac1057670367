/*
 * libFuzzer target: the input reader (io.h) on arbitrary bytes, gzip or
 * not (by the magic bytes, as every tool reads).  The bytes are put in a
 * memory file and read twice: by lines, as the tools' main loops read (a
 * small line limit, so that over-long lines go to the sink), and whole, as
 * policy, map and side files are read.  Both must end, at the end or with
 * an error, and agree on the decoded length when both succeed.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "vet/buf.h"
#include "vet/io.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int fd = -1;
static char path[64];

static int
sink(void *ctx, const char *p, size_t n)
{
	*(size_t *)ctx += n;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vet_input *in;
	struct vet_buf whole = VET_BUF_INIT;
	struct vet_error err;
	struct vet_span line;
	size_t total = 0, nl = 0;
	int rc, ok_lines = 0;

	if (fd < 0) {
		if ((fd = memfd_create("fuzz_gzip", 0)) < 0)
			abort();
		snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	}
	if (ftruncate(fd, 0) < 0 || pwrite(fd, data, size, 0) !=
	    (ssize_t)size)
		abort();
	if (vet_input_open(&in, path, &err) == 0) {
		while ((rc = vet_input_line(in, &line, 256, sink, &total,
		    &err)) > 0) {
			if (rc == VET_LINE_OK) {
				if (line.n > 256)
					abort();
				total += line.n;
			}
			nl++;
		}
		ok_lines = rc == VET_LINE_EOF;
		vet_input_close(in);
	}
	if (vet_input_slurp(path, &whole, &err) == 0 && ok_lines &&
	    whole.len < total)
		abort();
	vet_buf_release(&whole);
	return 0;
}
