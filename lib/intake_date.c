/*
 * intake_date.c - the fast paths of a date cell (intake_impl.h): the
 * usual forms other than YYYY-MM-DD read without vet_date_parse_cell()'s
 * loose parse, and the date written back without vet_date_format().
 */
#include <stddef.h>
#include <string.h>

#include "vet/buf.h"

#include "intake_impl.h"

static inline int
is_digit(unsigned char c)
{
	return (unsigned)(c - '0') <= 9;
}

/* Reads the one or two digits at p[*i] (not followed by a third). */
static inline int
two_digits(const unsigned char *p, size_t n, size_t *i, int *out)
{
	size_t j = *i;

	if (j >= n || !is_digit(p[j]))
		return -1;
	*out = p[j++] - '0';
	if (j < n && is_digit(p[j]))
		*out = *out * 10 + (p[j++] - '0');
	if (j < n && is_digit(p[j]))
		return -1;
	*i = j;
	return 0;
}

/*
 * The usual forms of a date cell other than YYYY-MM-DD: YYYYMMDD, YYYY/M/D
 * (or with '-' or '.', the same twice) and YYYY年M月D日 (or 号, or
 * neither), read as vet_date_parse_cell() reads them, without its loose
 * parse: 0 with the year, month and day (not checked) when s is exactly
 * one of these, else -1, and the cell takes the long way.
 */
int
vet_intake__quick_date(const char *s, size_t n, int *y, int *m, int *d)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i;

	if (n < 8 || n > 20)
		return -1;
	for (i = 0; i < 4; i++)
		if (!is_digit(p[i]))
			return -1;
	*y = (p[0] - '0') * 1000 + (p[1] - '0') * 100 + (p[2] - '0') * 10 +
	    (p[3] - '0');
	if (n == 8 && is_digit(p[4])) {
		for (i = 4; i < 8; i++)
			if (!is_digit(p[i]))
				return -1;
		*m = (p[4] - '0') * 10 + (p[5] - '0');
		*d = (p[6] - '0') * 10 + (p[7] - '0');
		return 0;
	}
	i = 5;
	if (p[4] == '-' || p[4] == '/' || p[4] == '.') {
		if (two_digits(p, n, &i, m) < 0 || i >= n || p[i] != p[4])
			return -1;
		i++;
		if (two_digits(p, n, &i, d) < 0)
			return -1;
		return i == n ? 0 : -1;
	}
	if (memcmp(p + 4, "\xe5\xb9\xb4", 3) != 0)	/* 年 */
		return -1;
	i = 7;
	if (two_digits(p, n, &i, m) < 0 || n - i < 3 ||
	    memcmp(p + i, "\xe6\x9c\x88", 3) != 0)	/* 月 */
		return -1;
	i += 3;
	if (two_digits(p, n, &i, d) < 0)
		return -1;
	if (n - i == 3 && (memcmp(p + i, "\xe6\x97\xa5", 3) == 0 ||	/* 日 */
	    memcmp(p + i, "\xe5\x8f\xb7", 3) == 0))	/* 号 */
		i += 3;
	return i == n ? 0 : -1;
}

/* Appends YYYY-MM-DD of a valid date, as vet_date_format() writes it. */
void
vet_intake__put_ymd(struct vet_buf *b, int y, int m, int d)
{
	char *o = b->data + b->len;

	o[0] = (char)('0' + y / 1000);
	o[1] = (char)('0' + y / 100 % 10);
	o[2] = (char)('0' + y / 10 % 10);
	o[3] = (char)('0' + y % 10);
	o[4] = '-';
	o[5] = (char)('0' + m / 10);
	o[6] = (char)('0' + m % 10);
	o[7] = '-';
	o[8] = (char)('0' + d / 10);
	o[9] = (char)('0' + d % 10);
	b->len += 10;
}
