/*
 * Unit tests for utf8.c.
 */
#include <criterion/criterion.h>

#include <string.h>

#include "vet/utf8.h"

#define V(s) vet_utf8_valid(s, sizeof(s) - 1)

Test(utf8, accepts_ascii_and_chinese)
{
	cr_assert(V(""));
	cr_assert(V("abc"));
	cr_assert(V("朝阳区"));
	cr_assert(V("\xf0\x9f\x98\x80"));	/* U+1F600 */
	cr_assert(V("\xf4\x8f\xbf\xbf"));	/* U+10FFFF */
	cr_assert(V("\x00"), "NUL is valid UTF-8; JSON rejects it elsewhere");
}

Test(utf8, rejects_bad_sequences)
{
	cr_assert_not(V("\x80"));
	cr_assert_not(V("\xc0\xaf"));		/* overlong '/' */
	cr_assert_not(V("\xc1\xbf"));
	cr_assert_not(V("\xe0\x80\xaf"));	/* overlong */
	cr_assert_not(V("\xed\xa0\x80"));	/* surrogate D800 */
	cr_assert_not(V("\xf0\x80\x80\xaf"));	/* overlong */
	cr_assert_not(V("\xf4\x90\x80\x80"));	/* above U+10FFFF */
	cr_assert_not(V("\xf5\x80\x80\x80"));
	cr_assert_not(V("\xff"));
	cr_assert_not(V("\xe6\x9c"));		/* cut off */
	cr_assert_not(V("\xd6\xd0\xb9\xfa"), "GBK for 中国 is not UTF-8");
}

Test(utf8, valid_prefix_stops_at_fault)
{
	cr_assert_eq(vet_utf8_valid_prefix("ab\xffgh", 5), 2);
	cr_assert_eq(vet_utf8_valid_prefix("区\xe6\x9c", 5), 3);
}

Test(utf8, tail_finds_cut_sequences)
{
	cr_assert_eq(vet_utf8_tail("ab", 2), 0);
	cr_assert_eq(vet_utf8_tail("区", 3), 0);
	cr_assert_eq(vet_utf8_tail("a\xe5", 2), 1);
	cr_assert_eq(vet_utf8_tail("a\xe5\x8c", 3), 2);
	cr_assert_eq(vet_utf8_tail("a\xf0\x9f\x98", 4), 3);
	cr_assert_eq(vet_utf8_tail("\x80\x80\x80\x80", 4), 0);
}

Test(utf8, faults_found_at_every_offset_of_long_ascii)
{
	char buf[64];
	size_t i;

	/* The eight-byte ASCII skip must not step over a fault. */
	for (i = 0; i < sizeof buf; i++) {
		memset(buf, 'a', sizeof buf);
		buf[i] = (char)0xff;
		cr_assert_eq(vet_utf8_valid_prefix(buf, sizeof buf), i);
	}
	memset(buf, 'a', sizeof buf);
	memcpy(buf + 61, "\xe5\x8c", 2);
	cr_assert_eq(vet_utf8_valid_prefix(buf, 63), 61);
}

/* The byte-at-a-time definition of the valid prefix, to compare with. */
static size_t
ref_prefix(const unsigned char *p, size_t n)
{
	size_t i = 0, k, j;
	unsigned c, lo, hi;

	while (i < n) {
		c = p[i];
		lo = 0x80;
		hi = 0xBF;
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF)
			k = 2;
		else if (c >= 0xE0 && c <= 0xEF) {
			k = 3;
			lo = c == 0xE0 ? 0xA0 : lo;
			hi = c == 0xED ? 0x9F : hi;
		} else if (c >= 0xF0 && c <= 0xF4) {
			k = 4;
			lo = c == 0xF0 ? 0x90 : lo;
			hi = c == 0xF4 ? 0x8F : hi;
		} else
			return i;
		if (i + k > n || p[i + 1] < lo || p[i + 1] > hi)
			return i;
		for (j = 2; j < k; j++)
			if ((p[i + j] & 0xC0) != 0x80)
				return i;
		i += k;
	}
	return n;
}

/*
 * The vector check (16 bytes at a time) against the definition: every
 * run of four bytes from classes that cover each case, placed across a
 * block boundary after ASCII and after Chinese text, whole and cut; and
 * random mixes.
 */
Test(utf8, vector_agrees_with_definition)
{
	static const unsigned char cls[] = { 0x00, 0x41, 0x7F, 0x80, 0x8F,
	    0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1, 0xEC,
	    0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF };
	enum { NC = sizeof cls };
	unsigned char buf[80];
	size_t w, x, n, cut, off, j;
	unsigned seed = 1;
	int pd, t;

	for (pd = 0; pd < 2; pd++)
		for (w = 0; w < (size_t)NC * NC * NC * NC; w++)
			for (off = 13; off <= 17; off++) {
				for (n = 0; n < off; n++)
					buf[n] = pd ? "\xe4\xb8\xad"[n % 3] : 'a';
				for (x = w, j = 0; j < 4; j++, x /= NC)
					buf[n++] = cls[x % NC];
				while (n < 50)
					buf[n++] = 'c';
				for (cut = off + 4; cut <= 50; cut += 50 - off - 4)
					cr_assert_eq(vet_utf8_valid_prefix(
					    (char *)buf, cut), ref_prefix(buf, cut),
					    "window %zu at %zu, cut %zu", w, off,
					    cut);
			}
	for (t = 0; t < 200000; t++) {
		seed = seed * 1103515245 + 12345;
		n = 32 + (seed >> 16) % 48;
		for (j = 0; j < n; j++) {
			seed = seed * 1103515245 + 12345;
			x = (seed >> 16) % 10;
			buf[j] = x < 4 ? "\xe4\xb8\xad"[j % 3] : x < 6 ? 'a' :
			    cls[(seed >> 8) % NC];
		}
		cr_assert_eq(vet_utf8_valid_prefix((char *)buf, n),
		    ref_prefix(buf, n));
	}
}
