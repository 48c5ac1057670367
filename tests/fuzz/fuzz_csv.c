/*
 * libFuzzer target: the streaming CSV reader, fed in small uneven chunks
 * so records cross buffer boundaries.
 */
#include <stdint.h>
#include <string.h>

#include "vet/csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct src {
	const uint8_t *p;
	size_t n, pos;
};

static long
src_read(void *ctx, void *p, size_t n, struct vet_error *err)
{
	struct src *s = ctx;
	size_t k = s->n - s->pos;

	(void)err;
	if (k > n)
		k = n;
	if (k > 7)
		k = 7;
	memcpy(p, s->p + s->pos, k);
	s->pos += k;
	return (long)k;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct src s = { data, size, 0 };
	struct vet_csv c;
	struct vet_csv_row row;
	struct vet_error err;
	int r, delim = size > 0 && (data[0] & 1) ? '\t' : ',';

	vet_csv_init(&c, src_read, &s, delim, 4096, 8);
	while ((r = vet_csv_next(&c, &row, &err)) > 0)
		;
	vet_csv_release(&c);
	return 0;
}
