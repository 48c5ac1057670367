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

/*
 * Ids and mobiles are often typed in groups ("110105 19491231 002X",
 * "138-1234-5678"), which leaves no run of digits long enough for the
 * rules of vet_mask_text.  Recognises the usual groupings at s (a digit
 * that no digit precedes): 6-8-4 and 6-6-3 for ids, 3-4-4 for a mobile,
 * joined by one space or '-' used throughout.  Returns their length in
 * bytes and the digits to keep at each end, or 0.
 */
static size_t
grouped(const char *s, size_t n, size_t *head, size_t *tail)
{
	static const struct {
		int g[3];
		int id;
	} forms[] = {
		{ { 6, 8, 4 }, 1 },
		{ { 6, 6, 3 }, 1 },
		{ { 3, 4, 4 }, 0 }
	};
	size_t f, i;
	int g, k, ok;
	char sep;

	for (f = 0; f < sizeof forms / sizeof forms[0]; f++) {
		if (!forms[f].id && s[0] != '1')
			continue;
		i = 0;
		sep = 0;
		ok = 1;
		for (g = 0; g < 3 && ok; g++) {
			if (g > 0) {
				if (i >= n || (s[i] != ' ' && s[i] != '-') ||
				    (sep != 0 && s[i] != sep))
					ok = 0;
				else
					sep = s[i++];
			}
			for (k = 0; k < forms[f].g[g] && ok; k++, i++) {
				/* The check character of an 18-character id
				 * may be an X. */
				if (i >= n || !(is_ascii_digit(s[i]) ||
				    (forms[f].g[g] == 4 && forms[f].id &&
				    g == 2 && k == 3 &&
				    (s[i] == 'X' || s[i] == 'x'))))
					ok = 0;
			}
		}
		if (ok && (i == n || (!is_ascii_digit(s[i]) &&
		    s[i] != 'X' && s[i] != 'x'))) {
			*head = forms[f].id ? 6 : 3;
			*tail = 4;
			return i;
		}
	}
	return 0;
}

/* Appends a grouped number, its separators kept and the digits between
 * the first head and the last tail masked. */
static int
mask_grouped(struct vet_buf *out, const char *s, size_t n, size_t head,
    size_t tail)
{
	size_t i, total = 0, d = 0;

	for (i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '-')
			total++;
	for (i = 0; i < n; i++) {
		if (s[i] == ' ' || s[i] == '-') {
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
		if (ndig >= 12) {
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
