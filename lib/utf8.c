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

/* The byte-at-a-time check, with inline fast paths for ASCII runs and
 * the three-byte sequences of Chinese text. */
static size_t
valid_prefix_scalar(const char *s, size_t n)
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

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>

/*
 * Sixteen bytes at a time with SSSE3 table look-ups, after the method of
 * Keiser and Lemire ("Validating UTF-8 In Less Than One Instruction Per
 * Byte", 2021): each byte and the one before it are classified by three
 * 16-entry tables whose entries are bit sets of the errors the pair could
 * show; a pair is bad when the three agree on a bit.  A byte that must be
 * the second or third continuation of a sequence (two or three places
 * after a lead of three or four bytes) is checked apart.  On a block with
 * a fault, and for the last bytes, the scalar check takes over from the
 * start of the character the block begins in, and finds where the valid
 * prefix ends.
 */
enum {
	TOO_SHORT = 1 << 0,	/* lead or ASCII, then lead or ASCII, where a
				 * continuation was due */
	TOO_LONG = 1 << 1,	/* ASCII, then a continuation */
	OVERLONG_3 = 1 << 2,	/* E0 80..9F */
	TOO_LARGE = 1 << 3,	/* F4 90..BF, F5..FF */
	SURROGATE = 1 << 4,	/* ED A0..BF */
	OVERLONG_2 = 1 << 5,	/* C0, C1 */
	TOO_LARGE_1000 = 1 << 6, /* F5..FF then 80..8F */
	OVERLONG_4 = 1 << 6,	/* F0 80..8F */
	TWO_CONTS = 1 << 7,	/* continuation, continuation: legal only as
				 * the 2nd and 3rd bytes of a long sequence */
	CARRY = TOO_SHORT | TOO_LONG | TWO_CONTS
};

/* By the high nibble of the byte before, the low nibble of the byte
 * before, and the high nibble of the byte. */
static const unsigned char tab_hi1[16] = {
	TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG,
	TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG,
	TWO_CONTS, TWO_CONTS, TWO_CONTS, TWO_CONTS,
	TOO_SHORT | OVERLONG_2,
	TOO_SHORT,
	TOO_SHORT | OVERLONG_3 | SURROGATE,
	TOO_SHORT | TOO_LARGE | TOO_LARGE_1000 | OVERLONG_4
};

static const unsigned char tab_lo1[16] = {
	CARRY | OVERLONG_3 | OVERLONG_2 | OVERLONG_4,
	CARRY | OVERLONG_2,
	CARRY,
	CARRY,
	CARRY | TOO_LARGE,
	CARRY | TOO_LARGE | TOO_LARGE_1000,
	CARRY | TOO_LARGE | TOO_LARGE_1000,
	CARRY | TOO_LARGE | TOO_LARGE_1000,
	CARRY | TOO_LARGE | TOO_LARGE_1000,
	CARRY | TOO_LARGE | TOO_LARGE_1000,
	CARRY | TOO_LARGE | TOO_LARGE_1000,
	CARRY | TOO_LARGE | TOO_LARGE_1000,
	CARRY | TOO_LARGE | TOO_LARGE_1000,
	CARRY | TOO_LARGE | TOO_LARGE_1000 | SURROGATE,
	CARRY | TOO_LARGE | TOO_LARGE_1000,
	CARRY | TOO_LARGE | TOO_LARGE_1000
};

static const unsigned char tab_hi2[16] = {
	TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT,
	TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT,
	TOO_LONG | OVERLONG_2 | TWO_CONTS | OVERLONG_3 |
	TOO_LARGE_1000 | OVERLONG_4,
	TOO_LONG | OVERLONG_2 | TWO_CONTS | OVERLONG_3 | TOO_LARGE,
	TOO_LONG | OVERLONG_2 | TWO_CONTS | SURROGATE | TOO_LARGE,
	TOO_LONG | OVERLONG_2 | TWO_CONTS | SURROGATE | TOO_LARGE,
	TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT
};

__attribute__((target("ssse3")))
static size_t
valid_prefix_ssse3(const char *s, size_t n)
{
	const __m128i hi1 = _mm_loadu_si128((const __m128i *)tab_hi1);
	const __m128i lo1 = _mm_loadu_si128((const __m128i *)tab_lo1);
	const __m128i hi2 = _mm_loadu_si128((const __m128i *)tab_hi2);
	const __m128i nib = _mm_set1_epi8(0x0F);
	/* x >= 0xE0 (three-byte lead), x >= 0xF0 (four-byte lead): the
	 * saturating subtraction leaves the top bit set only then. */
	const __m128i ge_e0 = _mm_set1_epi8((char)(0xE0 - 0x80));
	const __m128i ge_f0 = _mm_set1_epi8((char)(0xF0 - 0x80));
	const __m128i top = _mm_set1_epi8((char)0x80);
	const unsigned char *p = (const unsigned char *)s;
	__m128i prev = _mm_setzero_si128(), in, prev1, prev2, prev3, e, m;
	size_t i = 0, q, k;

	for (; i + 16 <= n; i += 16) {
		in = _mm_loadu_si128((const __m128i *)(p + i));
		if (_mm_movemask_epi8(in) == 0 &&
		    _mm_movemask_epi8(prev) == 0) {
			prev = in;	/* ASCII after ASCII */
			continue;
		}
		prev1 = _mm_alignr_epi8(in, prev, 15);
		prev2 = _mm_alignr_epi8(in, prev, 14);
		prev3 = _mm_alignr_epi8(in, prev, 13);
		e = _mm_and_si128(_mm_and_si128(
		    _mm_shuffle_epi8(hi1, _mm_and_si128(
		    _mm_srli_epi16(prev1, 4), nib)),
		    _mm_shuffle_epi8(lo1, _mm_and_si128(prev1, nib))),
		    _mm_shuffle_epi8(hi2, _mm_and_si128(
		    _mm_srli_epi16(in, 4), nib)));
		m = _mm_and_si128(_mm_or_si128(
		    _mm_subs_epu8(prev2, ge_e0), _mm_subs_epu8(prev3, ge_f0)),
		    top);
		if (_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_xor_si128(m, e),
		    _mm_setzero_si128())) != 0xFFFF)
			break;
		prev = in;
	}
	/*
	 * The bytes before i are valid but for a sequence that runs into
	 * byte i or is cut off before it: the scalar check goes on from its
	 * lead, the last byte before i that is not a continuation, when that
	 * is a lead (a sequence has at most three continuations).
	 */
	q = i;
	for (k = 1; k <= 4 && k <= i; k++)
		if ((p[i - k] & 0xC0) != 0x80) {
			if (p[i - k] >= 0xC0)
				q = i - k;
			break;
		}
	return q + valid_prefix_scalar(s + q, n - q);
}

/* A test of a flag libgcc sets before main(): cheap, and no state of
 * ours that threads would share. */
static int
has_ssse3(void)
{
	return __builtin_cpu_supports("ssse3");
}
#endif

size_t
vet_utf8_valid_prefix(const char *s, size_t n)
{
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
	/* Short texts gain nothing from the vector set-up. */
	if (n >= 32 && has_ssse3())
		return valid_prefix_ssse3(s, n);
#endif
	return valid_prefix_scalar(s, n);
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
