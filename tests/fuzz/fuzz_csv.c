/*
 * libFuzzer target: the streaming CSV reader, fed in small uneven chunks
 * so records cross buffer boundaries.  The same data is read plainly, with
 * vet_csv.lazy (lazy rows split with vet_csv_split()) and with
 * vet_csv.scalar (cells found one byte at a time, not sixteen or 64), and
 * every row's line, raw text, cells and error must be the same; a
 * difference aborts.  It is read again in large chunks, where whole
 * records and blocks of 64 bytes are in the buffer at once, plainly and
 * with vet_csv.scalar, which must agree too.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vet/buf.h"
#include "vet/csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct src {
	const uint8_t *p;
	size_t n, pos, chunk;
};

static long
src_read(void *ctx, void *p, size_t n, struct vet_error *err)
{
	struct src *s = ctx;
	size_t k = s->n - s->pos;

	(void)err;
	if (k > n)
		k = n;
	if (k > s->chunk)
		k = s->chunk;
	memcpy(p, s->p + s->pos, k);
	s->pos += k;
	return (long)k;
}

static void
render(const uint8_t *data, size_t size, int delim, int lazy, int scalar,
    size_t chunk, struct vet_buf *out)
{
	struct src s = { data, size, 0, chunk };
	struct vet_csv c;
	struct vet_csv_row row;
	struct vet_error err;
	size_t i;
	int r;

	vet_csv_init(&c, src_read, &s, delim, 4096, 8);
	c.lazy = lazy;
	c.scalar = scalar;
	while ((r = vet_csv_next(&c, &row, &err)) > 0) {
		vet_buf_addf(out, "L%ld+%ld/%d[", row.line, row.nlines, r);
		vet_buf_add(out, row.raw.p, row.raw.n);
		vet_buf_addch(out, ']');
		if (r == VET_CSV_BAD) {
			vet_buf_addstr(out, err.msg);
			vet_buf_addch(out, '\n');
			continue;
		}
		if (row.lazy && vet_csv_split(&c, row.raw.p, row.raw.n, &row,
		    &err) < 0)
			abort();
		for (i = 0; i < row.n; i++) {
			vet_buf_addch(out, '|');
			vet_buf_add(out, row.fields[i].p, row.fields[i].n);
		}
		vet_buf_addch(out, '\n');
	}
	vet_buf_addf(out, "end %d\n", r);
	vet_csv_release(&c);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vet_buf a = VET_BUF_INIT, b = VET_BUF_INIT;
	int delim = size > 0 && (data[0] & 1) ? '\t' : ',';

	render(data, size, delim, 0, 0, 5, &a);
	render(data, size, delim, 1, 0, 5, &b);
	if (a.len != b.len || (a.len > 0 && memcmp(a.data, b.data, a.len)))
		abort();
	vet_buf_reset(&b);
	render(data, size, delim, 0, 1, 5, &b);
	if (a.len != b.len || (a.len > 0 && memcmp(a.data, b.data, a.len)))
		abort();
	vet_buf_reset(&a);
	vet_buf_reset(&b);
	render(data, size, delim, 0, 0, 1 << 20, &a);
	render(data, size, delim, 0, 1, 1 << 20, &b);
	if (a.len != b.len || (a.len > 0 && memcmp(a.data, b.data, a.len)))
		abort();
	vet_buf_release(&a);
	vet_buf_release(&b);
	return 0;
}
