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
