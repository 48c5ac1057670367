/*
 * utf8.c - UTF-8 validation (utf8.h).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "vet/utf8.h"

/* Length of the valid sequence at p (1 to 4), or 0 when it is invalid or
 * cut off by end. */
static size_t
seqlen(const unsigned char *p, const unsigned char *end)
{
	unsigned c = p[0];
	size_t avail = (size_t)(end - p);

	if (c < 0x80)
		return 1;
	if (c < 0xc2)
		return 0;
	if (c < 0xe0) {
		if (avail < 2 || (p[1] & 0xc0) != 0x80)
			return 0;
		return 2;
	}
	if (c < 0xf0) {
		if (avail < 3 || (p[1] & 0xc0) != 0x80 ||
		    (p[2] & 0xc0) != 0x80)
			return 0;
		if (c == 0xe0 && p[1] < 0xa0)
			return 0;	/* overlong */
		if (c == 0xed && p[1] >= 0xa0)
			return 0;	/* surrogate */
		return 3;
	}
	if (c < 0xf5) {
		if (avail < 4 || (p[1] & 0xc0) != 0x80 ||
		    (p[2] & 0xc0) != 0x80 || (p[3] & 0xc0) != 0x80)
			return 0;
		if (c == 0xf0 && p[1] < 0x90)
			return 0;	/* overlong */
		if (c == 0xf4 && p[1] >= 0x90)
			return 0;	/* above U+10FFFF */
		return 4;
	}
	return 0;
}

size_t
vet_utf8_valid_prefix(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	const unsigned char *end = p + n;
	size_t k;

	uint64_t w;
	unsigned c;

	while (p < end) {
		c = *p;
		if (c < 0x80) {
			/* Skip the rest of an ASCII run eight bytes at a
			 * time. */
			p++;
			while (end - p >= 8) {
				memcpy(&w, p, 8);
				if (w & 0x8080808080808080ULL)
					break;
				p += 8;
			}
			continue;
		}
		/* Chinese text is mostly three-byte sequences of
		 * U+1000..U+FFFF outside the surrogates: check them inline. */
		if (c >= 0xe1 && c != 0xed && c <= 0xef && end - p >= 3 &&
		    (p[1] & 0xc0) == 0x80 && (p[2] & 0xc0) == 0x80) {
			p += 3;
			continue;
		}
		if ((k = seqlen(p, end)) == 0)
			break;
		p += k;
	}
	return (size_t)(p - (const unsigned char *)s);
}

int
vet_utf8_valid(const char *p, size_t n)
{
	return vet_utf8_valid_prefix(p, n) == n;
}

size_t
vet_utf8_tail(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i, need;

	/* Look back over at most 3 continuation bytes for a lead byte. */
	for (i = 1; i <= 3 && i <= n; i++) {
		unsigned c = p[n - i];

		if ((c & 0xc0) == 0x80)
			continue;
		if (c >= 0xf0)
			need = 4;
		else if (c >= 0xe0)
			need = 3;
		else if (c >= 0xc0)
			need = 2;
		else
			return 0;
		return need > i ? i : 0;
	}
	return 0;
}
