/*
 * Unit tests for mem.h (header only).
 */
#include <criterion/criterion.h>

#include <stdlib.h>
#include <string.h>

#include "vet/mem.h"

/* Longer than every path of the functions: the word loop past 16 too. */
#define LEN_MAX 48

/*
 * Copies of n bytes at the very end of their allocations, so that a load
 * or store past the n bytes is a heap overflow under ASan.
 */
static char *
at_end(const char *s, size_t n, char **base)
{
	*base = malloc(LEN_MAX);
	cr_assert_not_null(*base);
	memcpy(*base + LEN_MAX - n, s, n);
	return *base + LEN_MAX - n;
}

Test(mem, eq_short_tells_every_byte_at_every_length)
{
	char text[LEN_MAX], *ba, *bb, *a, *b;
	size_t n, i;

	for (i = 0; i < LEN_MAX; i++)
		text[i] = (char)('a' + i % 26);
	for (n = 0; n <= LEN_MAX; n++) {
		a = at_end(text, n, &ba);
		b = at_end(text, n, &bb);
		cr_assert(vet_mem_eq_short(a, b, n), "n %zu", n);
		for (i = 0; i < n; i++) {
			b[i] ^= 0x40;
			cr_assert(!vet_mem_eq_short(a, b, n), "n %zu, byte %zu",
			    n, i);
			cr_assert(!vet_mem_eq_short(b, a, n), "n %zu, byte %zu",
			    n, i);
			b[i] ^= 0x40;
		}
		free(ba);
		free(bb);
	}
}

Test(mem, copy_short_copies_exactly_n_bytes)
{
	char text[LEN_MAX], *bd, *d;
	size_t n, i;

	for (i = 0; i < LEN_MAX; i++)
		text[i] = (char)(0x80 + i);
	for (n = 0; n <= LEN_MAX; n++) {
		d = at_end("", 0, &bd) - n;
		memset(bd, '.', LEN_MAX);
		vet_mem_copy_short(d, text, n);
		cr_assert(memcmp(d, text, n) == 0, "n %zu", n);
		for (i = 0; i < LEN_MAX - n; i++)
			cr_assert_eq(bd[i], '.', "n %zu: byte %zu before", n, i);
		free(bd);
	}
}
