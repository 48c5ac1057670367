/*
 * mask.c - masking of ids and phone numbers (mask.h, SPEC 4).
 *
 * Masking works on characters, not bytes, so that a value holding
 * multi-byte UTF-8 (full-width digits typed at a station) is never cut in
 * the middle of a character.
 */
#include <string.h>

#include "vet/buf.h"
#include "vet/error.h"
#include "vet/mask.h"

/* Length of the UTF-8 character at s (1 for a stray or truncated byte). */
static size_t
char_len(const char *s, size_t n)
{
	unsigned char c = (unsigned char)s[0];
	size_t k, i;

	if (c < 0x80)
		return 1;
	if (c >= 0xf0 && c < 0xf8)
		k = 4;
	else if (c >= 0xe0)
		k = 3;
	else if (c >= 0xc0)
		k = 2;
	else
		return 1;
	if (k > n)
		return 1;
	for (i = 1; i < k; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			return 1;
	return k;
}

static size_t
count_chars(const char *s, size_t n)
{
	size_t i = 0, c = 0;

	while (i < n) {
		i += char_len(s + i, n - i);
		c++;
	}
	return c;
}

/*
 * Copies s into out keeping the first `head` and last `tail` characters and
 * writing one '*' for each other character; output that does not fit is
 * cut on a character boundary.
 */
static char *
keep_ends(const char *s, size_t n, size_t head, size_t tail, char *out,
    size_t outsz)
{
	size_t total, i = 0, c = 0, o = 0, k;

	if (outsz == 0)
		return out;
	total = count_chars(s, n);
	while (i < n) {
		k = char_len(s + i, n - i);
		if (c < head || c + tail >= total) {
			if (o + k >= outsz)
				break;
			memcpy(out + o, s + i, k);
			o += k;
		} else {
			if (o + 1 >= outsz)
				break;
			out[o++] = '*';
		}
		i += k;
		c++;
	}
	out[o] = '\0';
	return out;
}

/* The same as keep_ends, appending to a buffer. */
static int
keep_ends_buf(struct vet_buf *out, const char *s, size_t n, size_t head,
    size_t tail)
{
	size_t total, i = 0, c = 0, k;

	total = count_chars(s, n);
	while (i < n) {
		k = char_len(s + i, n - i);
		if (c < head || c + tail >= total) {
			if (vet_buf_add(out, s + i, k) < 0)
				return VET_ENOMEM;
		} else if (vet_buf_addch(out, '*') < 0)
			return VET_ENOMEM;
		i += k;
		c++;
	}
	return 0;
}

char *
vet_mask_id(const char *id, size_t n, char *out, size_t outsz)
{
	if (count_chars(id, n) < 11)
		return keep_ends(id, n, 0, 0, out, outsz);
	return keep_ends(id, n, 6, 4, out, outsz);
}

static int
is_mobile(const char *s, size_t n)
{
	size_t i;

	if (n != 11 || s[0] != '1')
		return 0;
	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

char *
vet_mask_phone(const char *phone, size_t n, char *out, size_t outsz)
{
	size_t c;

	if (is_mobile(phone, n))
		return keep_ends(phone, n, 3, 4, out, outsz);
	/* Short values keep less, so that at least half is hidden. */
	c = count_chars(phone, n);
	if (c >= 10)
		return keep_ends(phone, n, 3, 2, out, outsz);
	if (c >= 6)
		return keep_ends(phone, n, 2, 1, out, outsz);
	return keep_ends(phone, n, 0, 0, out, outsz);
}

/* Length of a digit (ASCII or full-width U+FF10..U+FF19) at s, or 0. */
static size_t
digit_len(const char *s, size_t n)
{
	if (n >= 1 && s[0] >= '0' && s[0] <= '9')
		return 1;
	if (n >= 3 && (unsigned char)s[0] == 0xef &&
	    (unsigned char)s[1] == 0xbc && (unsigned char)s[2] >= 0x90 &&
	    (unsigned char)s[2] <= 0x99)
		return 3;
	return 0;
}

/* Length of an 'X', 'x' or full-width 'Ｘ' 'ｘ' at s, or 0. */
static size_t
x_len(const char *s, size_t n)
{
	if (n >= 1 && (s[0] == 'X' || s[0] == 'x'))
		return 1;
	if (n >= 3 && (memcmp(s, "\xef\xbc\xb8", 3) == 0 ||
	    memcmp(s, "\xef\xbd\x98", 3) == 0))
		return 3;
	return 0;
}

static int
is_ascii_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Characters that join the groups of a number typed in parts. */
static int
is_sep(char c)
{
	return c == ' ' || c == '-' || c == '_' || c == '.' || c == '(' ||
	    c == ')' || c == '/';
}

/*
 * Ids and mobiles are often typed in groups ("110105 19491231 002X",
 * "110111_19710122_6335", "(185)97389629", "+86 185.9738.9629"), which
 * leaves no run of digits long enough for the rules of vet_mask_text.  At
 * s, a digit no digit precedes, this reads a chain of ASCII digit groups
 * joined by one or two separators (is_sep) and finds its longest prefix of
 * whole groups whose digits, the separators removed, form an id (15
 * digits, or 17 and a digit or X) or a mobile (11 digits from 1, or 13
 * from 861: +86 and a mobile).  Groups of one or two digits end the chain
 * (except a first "86"), so that dates (2023-12-26) and times are never
 * joined to a number beside them.  Returns the prefix's length in bytes
 * and the digits to keep at each end, or 0.
 */
static size_t
grouped(const char *s, size_t n, size_t *head, size_t *tail)
{
	size_t i = 0, best = 0, g, j, d = 0;
	int x;
	char third = 0;

	while (i < n && is_ascii_digit(s[i])) {
		for (g = 0; i + g < n && is_ascii_digit(s[i + g]); g++)
			;
		x = d + g == 17 && i + g < n && (s[i + g] == 'X' ||
		    s[i + g] == 'x');
		if (g < 3 && !(d == 0 && g == 2 && s[i] == '8' &&
		    s[i + 1] == '6'))
			break;
		if (third == 0)
			third = d + g > 2 ? s[i + 2 - d] : 0;
		d += g + (size_t)x;
		i += g + (size_t)x;
		if (x && i < n && is_ascii_digit(s[i]))
			break;
		if (d == 15 || d == 18) {
			best = i;
			*head = 6;
			*tail = 4;
		} else if (d == 11 && s[0] == '1') {
			best = i;
			*head = 3;
			*tail = 4;
		} else if (d == 13 && s[0] == '8' && s[1] == '6' &&
		    third == '1') {
			/* +86 and a mobile: the mobile's 3 + 4 kept. */
			best = i;
			*head = 5;
			*tail = 4;
		}
		if (x || d >= 18)
			break;
		/* One or two separators, then the next group. */
		for (j = i; j < n && j < i + 2 && is_sep(s[j]); j++)
			;
		if (j == i || j >= n || !is_ascii_digit(s[j]))
			break;
		i = j;
	}
	/* A single group is a plain run: vet_mask_text's own rules. */
	if (best > 0) {
		for (j = 0; j < best && is_ascii_digit(s[j]); j++)
			;
		if (j == best || (j + 1 == best && (s[j] == 'X' ||
		    s[j] == 'x')))
			return 0;
	}
	return best;
}

/* Appends a grouped number, its separators kept and the digits between
 * the first head and the last tail masked. */
static int
mask_grouped(struct vet_buf *out, const char *s, size_t n, size_t head,
    size_t tail)
{
	size_t i, total = 0, d = 0;

	for (i = 0; i < n; i++)
		if (!is_sep(s[i]))
			total++;
	for (i = 0; i < n; i++) {
		if (is_sep(s[i])) {
			if (vet_buf_addch(out, s[i]) < 0)
				return VET_ENOMEM;
			continue;
		}
		if (vet_buf_addch(out, d < head || d + tail >= total ?
		    s[i] : '*') < 0)
			return VET_ENOMEM;
		d++;
	}
	return 0;
}

int
vet_mask_text(struct vet_buf *out, const char *s, size_t n)
{
	size_t i = 0, start, ndig, k, head, tail;
	int first_one;

	while (i < n) {
		if ((k = digit_len(s + i, n - i)) == 0) {
			k = char_len(s + i, n - i);
			if (vet_buf_add(out, s + i, k) < 0)
				return VET_ENOMEM;
			i += k;
			continue;
		}
		if (k == 1 && (k = grouped(s + i, n - i, &head, &tail)) > 0) {
			if (mask_grouped(out, s + i, k, head, tail) < 0)
				return VET_ENOMEM;
			i += k;
			continue;
		}
		start = i;
		ndig = 0;
		first_one = s[i] == '1' ||
		    (k == 3 && (unsigned char)s[i + 2] == 0x91);
		while ((k = digit_len(s + i, n - i)) > 0) {
			i += k;
			ndig++;
		}
		if (ndig >= 11 && (k = x_len(s + i, n - i)) > 0) {
			i += k;
			ndig++;
		}
		if (ndig == 13 && i - start == 13 &&
		    memcmp(s + start, "861", 3) == 0) {
			/* +8613812345678: the mobile's 3 + 4 kept. */
			head = 5;
			tail = 4;
		} else if (ndig >= 12) {
			head = 6;
			tail = 4;
		} else if (ndig == 11 && first_one) {
			head = 3;
			tail = 4;
		} else {
			if (vet_buf_add(out, s + start, i - start) < 0)
				return VET_ENOMEM;
			continue;
		}
		if (keep_ends_buf(out, s + start, i - start, head, tail) < 0)
			return VET_ENOMEM;
	}
	return 0;
}
