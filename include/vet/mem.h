/*
 * mem.h - comparing and copying short byte strings, inline, for the hot
 * paths: keys, codes and dates met millions of times, where a call of
 * memcmp() or memcpy() costs more than the work.  Header only; every load
 * and store stays within the n bytes given, so any length is safe.
 */
#ifndef VET_MEM_H
#define VET_MEM_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/*
 * True when the n bytes at a and b are equal, by overlapping words: two
 * of 4 or 8 bytes do 4 to 16 bytes, a longer text goes 8 bytes at a time,
 * and under 4 a 2-byte word and the last byte.  The order of the tests is
 * the one of those tried that cost fewest instructions over both callers
 * (intake's cells of one CJK character, 3 bytes; report's keys).
 */
static inline int
vet_mem_eq_short(const char *a, const char *b, size_t n)
{
	uint64_t x, y;
	uint32_t u, v;
	size_t i;

	if (n < 4) {
		uint16_t s, t;

		if (n < 2)
			return n == 0 || a[0] == b[0];
		memcpy(&s, a, 2);
		memcpy(&t, b, 2);
		return s == t && a[n - 1] == b[n - 1];
	}
	if (n > 16) {
		for (i = 0; i + 8 < n; i += 8) {
			memcpy(&x, a + i, 8);
			memcpy(&y, b + i, 8);
			if (x != y)
				return 0;
		}
		memcpy(&x, a + n - 8, 8);
		memcpy(&y, b + n - 8, 8);
		return x == y;
	}
	if (n >= 8) {
		memcpy(&x, a, 8);
		memcpy(&y, b, 8);
		if (x != y)
			return 0;
		memcpy(&x, a + n - 8, 8);
		memcpy(&y, b + n - 8, 8);
		return x == y;
	}
	memcpy(&u, a, 4);
	memcpy(&v, b, 4);
	if (u != v)
		return 0;
	memcpy(&u, a + n - 4, 4);
	memcpy(&v, b + n - 4, 4);
	return u == v;
}

/*
 * A record is put together from short pieces (keys, codes, dates, names),
 * for which a call of memcpy() costs more than the copy: up to 32 bytes
 * go as two overlapping moves of 8 or 16 bytes.
 */
static inline void
vet_mem_copy_short(char *d, const char *p, size_t n)
{
	uint64_t a, b, c, e;
	uint32_t u, v;

	if (n >= 8) {
		if (n > 32) {
			memcpy(d, p, n);
			return;
		}
		if (n > 16) {
			memcpy(&a, p, 8);
			memcpy(&b, p + 8, 8);
			memcpy(&c, p + n - 16, 8);
			memcpy(&e, p + n - 8, 8);
			memcpy(d, &a, 8);
			memcpy(d + 8, &b, 8);
			memcpy(d + n - 16, &c, 8);
			memcpy(d + n - 8, &e, 8);
			return;
		}
		memcpy(&a, p, 8);
		memcpy(&b, p + n - 8, 8);
		memcpy(d, &a, 8);
		memcpy(d + n - 8, &b, 8);
	} else if (n >= 4) {
		memcpy(&u, p, 4);
		memcpy(&v, p + n - 4, 4);
		memcpy(d, &u, 4);
		memcpy(d + n - 4, &v, 4);
	} else if (n > 0) {
		d[0] = p[0];
		d[n / 2] = p[n / 2];
		d[n - 1] = p[n - 1];
	}
}

#endif
