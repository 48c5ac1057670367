/*
 * libFuzzer target: what vet-intake trusts of its .xls reader's child
 * (xls.c): the bytes are what a child taken over by a crafted file sends
 * over the socket, frame after frame.  A fake child (forked, as the real
 * one is) writes them and waits for the socket to close; this process
 * opens the book and reads every sheet.  Whatever comes must end in a
 * row that holds to its bounds or in an error, never a crash, a leak or a
 * hang.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "vet/utf8.h"
#include "vet/xls.h"

#include "../../lib/xls_impl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct bytes {
	const uint8_t *p;
	size_t n;
};

static void
fake(int fd, const char *path, size_t max_row, void *arg)
{
	const struct bytes *b = arg;
	char sink[256];
	size_t off = 0;
	ssize_t k;

	while (off < b->n && (k = write(fd, b->p + off, b->n - off)) > 0)
		off += (size_t)k;
	/* The parent sees the end of the bytes as the real child's end. */
	shutdown(fd, SHUT_WR);
	/* Requests are read, not answered, until the parent hangs up: a
	 * socket closed with unread data would reset the stream. */
	while (read(fd, sink, sizeof sink) > 0)
		;
	_exit(0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bytes b = { data, size };
	struct vet_xls *x;
	struct vet_sheet_row r;
	struct vet_error e;
	size_t i, j, total;
	int rc;

	if (vet_xls__spawn(&x, "fuzz.xls", 4096, fake, &b, NULL, &e) == 0) {
		for (i = 0; i < vet_xls_nsheets(x) && i < 8; i++) {
			if (vet_xls_sheet_open(x, i, &e) < 0) {
				if (vet_xls_failed(&e))
					break;
				continue;
			}
			while ((rc = vet_xls_next(x, &r, &e)) > 0) {
				if (r.line < 1 || r.line > 65536 || r.n > 256)
					abort();
				for (j = total = 0; j < r.n; j++) {
					if (vet_utf8_valid_prefix(r.cells[j].p,
					    r.cells[j].n) != r.cells[j].n ||
					    r.kind[j] > VET_CELL_ERROR)
						abort();
					total += r.cells[j].n;
				}
				if (total > 4096)
					abort();
			}
			if (rc < 0 && vet_xls_failed(&e))
				break;
		}
		vet_xls_close(x);
	}
	/*
	 * That the child is reaped whatever happened is test_xls's
	 * (no_descriptor_or_child_is_left): under libFuzzer, waitpid(-1)
	 * here saw a child of the fuzzer's own twice in 187 runs, which no
	 * replay of those inputs does.
	 */
	return 0;
}
