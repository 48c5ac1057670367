/*
 * libFuzzer target: the .xls reader as its child process runs it
 * (xls_read.c: libfreexl and the cell walk, in this process so that the
 * fuzzer sees its coverage) on arbitrary bytes, written to a temporary
 * file since freexl opens by name; every sheet is read to its end.  Rows
 * must be inside the sheet and hold valid UTF-8; no crash, no leak.  A
 * crash inside freexl is freexl's (tests/fuzz/known/README): vet-intake
 * contains it in the child; fuzz_xls_frames fuzzes what the parent
 * trusts of that child.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vet/utf8.h"
#include "vet/xls.h"

#include "../../lib/xls_impl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[] = "/tmp/fuzz_xls_XXXXXX";
	struct vet_xls_read *x;
	struct vet_sheet_row r;
	struct vet_error e;
	size_t i, j;
	int fd;

	if ((fd = mkstemp(path)) < 0)
		return 0;
	if (write(fd, data, size) != (ssize_t)size) {
		close(fd);
		unlink(path);
		return 0;
	}
	close(fd);
	if (vet_xls__read_open(&x, path, 1 << 16, &e) == 0) {
		for (i = 0; i < vet_xls__read_nsheets(x); i++) {
			if (vet_xls__read_sheet_open(x, i, &e) < 0)
				continue;
			while (vet_xls__read_next(x, &r, &e) > 0) {
				if (r.line < 1 || r.line > 65536 || r.n > 256)
					abort();
				for (j = 0; j < r.n; j++)
					if (vet_utf8_valid_prefix(r.cells[j].p,
					    r.cells[j].n) != r.cells[j].n)
						abort();
			}
		}
		vet_xls__read_close(x);
	}
	unlink(path);
	return 0;
}
