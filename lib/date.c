/*
 * date.c - day numbers, date parsing and the month arithmetic of SPEC 3
 * (date.h).
 *
 * Conversions use Howard Hinnant's days_from_civil / civil_from_days
 * algorithms, which are exact for the whole proleptic Gregorian calendar
 * and need no tables.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "vet/buf.h"
#include "vet/date.h"
#include "vet/error.h"
#include "vet/mask.h"

/* Longest raw value quoted back in a message, in bytes. */
#define QUOTE_MAX 48

static int
is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
days_in_month(int y, int m)
{
	static const int dim[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };

	if (m == 2 && is_leap(y))
		return 29;
	return dim[m - 1];
}

/* Days since 1970-01-01 of a date already known to be valid. */
static vet_day
days_from_civil(int y, int m, int d)
{
	int era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (vet_day)(era * 146097 + doe - 719468);
}

int
vet_date_from_ymd(int y, int m, int d, vet_day *out)
{
	if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 ||
	    d > days_in_month(y, m))
		return VET_EDATA;
	*out = days_from_civil(y, m, d);
	return 0;
}

void
vet_date_to_ymd(vet_day day, int *y, int *m, int *d)
{
	long z, era, doe, yoe, doy, mp, yy;

	z = (long)day + 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	yy = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yy + (*m <= 2));
}

static int
digits(const char *s, size_t n, int *out)
{
	int v = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

/* The digit c stands for, or a value above 9 when c is no digit. */
#define DIGIT(c)	((unsigned)(unsigned char)(c) - '0')

int
vet_date_parse(const char *s, size_t n, vet_day *out)
{
	unsigned d[8];

	/* Unrolled: every record holds a few dates. */
	if (n != 10 || s[4] != '-' || s[7] != '-')
		return VET_EDATA;
	d[0] = DIGIT(s[0]);
	d[1] = DIGIT(s[1]);
	d[2] = DIGIT(s[2]);
	d[3] = DIGIT(s[3]);
	d[4] = DIGIT(s[5]);
	d[5] = DIGIT(s[6]);
	d[6] = DIGIT(s[8]);
	d[7] = DIGIT(s[9]);
	if ((d[0] > 9) | (d[1] > 9) | (d[2] > 9) | (d[3] > 9) | (d[4] > 9) |
	    (d[5] > 9) | (d[6] > 9) | (d[7] > 9))
		return VET_EDATA;
	return vet_date_from_ymd((int)(d[0] * 1000 + d[1] * 100 + d[2] * 10 +
	    d[3]), (int)(d[4] * 10 + d[5]), (int)(d[6] * 10 + d[7]), out);
}

/*
 * Quotes a raw value in a message: shortened on a character boundary and
 * with anything that looks like an id or a phone masked, since a date
 * column sometimes holds a value typed into the wrong cell.
 */
static int
bad_date(struct vet_error *err, const char *what, const char *s, size_t n)
{
	struct vet_buf b = VET_BUF_INIT;
	size_t k = n;
	int trunc = 0;

	if (err == NULL)
		return VET_EDATA;
	if (k > QUOTE_MAX) {
		k = QUOTE_MAX;
		while (k > 0 && ((unsigned char)s[k] & 0xc0) == 0x80)
			k--;
		trunc = 1;
	}
	if (vet_mask_text(&b, s, k) < 0) {
		vet_buf_release(&b);
		return vet_error_set(err, VET_EDATA, NULL, 0, 0, "%s date",
		    what);
	}
	vet_error_set(err, VET_EDATA, NULL, 0, 0, "%s date '%s%s'", what,
	    vet_buf_str(&b), trunc ? "..." : "");
	vet_buf_release(&b);
	return VET_EDATA;
}

/* Reads 1 to maxd digits at s[*i]. */
static int
number(const char *s, size_t n, size_t *i, size_t maxd, int *out)
{
	size_t start = *i;
	int v = 0;

	while (*i < n && *i - start < maxd && s[*i] >= '0' && s[*i] <= '9')
		v = v * 10 + (s[(*i)++] - '0');
	if (*i == start || (*i < n && s[*i] >= '0' && s[*i] <= '9'))
		return -1;
	*out = v;
	return 0;
}

static int
match(const char *s, size_t n, size_t *i, const char *lit)
{
	size_t k = strlen(lit);

	if (n - *i < k || memcmp(s + *i, lit, k) != 0)
		return 0;
	*i += k;
	return 1;
}

/* ASCII white space or U+3000 IDEOGRAPHIC SPACE. */
static size_t
space_len(const char *s, size_t n)
{
	if (n >= 1 && (s[0] == ' ' || s[0] == '\t' || s[0] == '\r' ||
	    s[0] == '\n'))
		return 1;
	if (n >= 3 && memcmp(s, "\xe3\x80\x80", 3) == 0)
		return 3;
	return 0;
}

/*
 * A time of day that a spreadsheet appends to a date cell ("0:00:00",
 * "08:30"), from s[*i] to the end: H:MM or H:MM:SS after white space.
 */
static int
time_of_day(const char *s, size_t n, size_t i)
{
	int h, mi, se;
	size_t k, j = i;

	if ((k = space_len(s + j, n - j)) == 0)
		return 0;
	while ((k = space_len(s + j, n - j)) > 0)
		j += k;
	if (number(s, n, &j, 2, &h) < 0 || !match(s, n, &j, ":") ||
	    j + 2 > n || number(s, n, &j, 2, &mi) < 0 || h > 23 || mi > 59)
		return 0;
	if (match(s, n, &j, ":") && (j + 2 > n ||
	    number(s, n, &j, 2, &se) < 0 || se > 59))
		return 0;
	return j == n;
}

int
vet_date_parse_loose(const char *s, size_t n, vet_day *out,
    struct vet_error *err)
{
	return vet_date_parse_cell(s, n, 0, out, err);
}

int
vet_date_parse_cell(const char *s, size_t n, unsigned flags, vet_day *out,
    struct vet_error *err)
{
	const char *raw = s;
	size_t rawn = n, i = 0, k;
	int y, m, d, a, day = 1;
	char sep;

	while ((k = space_len(s, n)) > 0) {
		s += k;
		n -= k;
	}
	for (;;) {
		if (n >= 1 && space_len(s + n - 1, 1) == 1)
			n--;
		else if (n >= 3 && space_len(s + n - 3, 3) == 3)
			n -= 3;
		else
			break;
	}
	if (n == 8 && digits(s, 8, &y) == 0) {
		y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 +
		    (s[2] - '0') * 10 + (s[3] - '0');
		m = (s[4] - '0') * 10 + (s[5] - '0');
		d = (s[6] - '0') * 10 + (s[7] - '0');
		goto check;
	}
	if (n < 4 || digits(s, 4, &y) < 0) {
		/* 12/26/2023 or 26/12/2023: which is the month is a guess,
		 * and a wrong guess is a wrong date, not a rejected one. */
		if (number(s, n, &i, 2, &a) == 0 && i < n &&
		    (s[i] == '/' || s[i] == '-' || s[i] == '.')) {
			sep = s[i++];
			if (number(s, n, &i, 2, &a) == 0 && i < n &&
			    s[i++] == sep && i + 4 <= n &&
			    digits(s + i, 4, &a) == 0)
				return bad_date(err, "ambiguous", raw, rawn);
		}
		goto unparseable;
	}
	i = 4;
	d = 1;
	if (match(s, n, &i, "\xe5\xb9\xb4")) {	/* 年 */
		if (number(s, n, &i, 2, &m) < 0 ||
		    !match(s, n, &i, "\xe6\x9c\x88"))	/* 月 */
			goto unparseable;
		if (i < n && space_len(s + i, n - i) == 0) {
			if (number(s, n, &i, 2, &d) < 0)
				goto unparseable;
			/* 日 is often left off, or written 号. */
			if (!match(s, n, &i, "\xe6\x97\xa5"))
				match(s, n, &i, "\xe5\x8f\xb7");
		} else
			day = 0;
	} else {
		if (i >= n || (s[i] != '-' && s[i] != '/' && s[i] != '.'))
			goto unparseable;
		sep = s[i++];
		if (number(s, n, &i, 2, &m) < 0)
			goto unparseable;
		if (i < n && s[i] == sep) {
			i++;
			if (number(s, n, &i, 2, &d) < 0)
				goto unparseable;
		} else if (i < n)
			goto unparseable;
		else
			day = 0;
	}
	if (i != n && !time_of_day(s, n, i))
		goto unparseable;
	/* A month alone is its first day where the field allows it (a
	 * discharge month); elsewhere it is not a date. */
	if (!day && !(flags & VET_DATE_MONTH)) {
		if (m >= 1 && m <= 12)
			return bad_date(err, "no day in", raw, rawn);
		goto unparseable;
	}
check:
	if (vet_date_from_ymd(y, m, d, out) < 0)
		return bad_date(err, "impossible", raw, rawn);
	return 0;
unparseable:
	return bad_date(err, "unparseable", raw, rawn);
}

void
vet_date_format(vet_day day, char out[11])
{
	int y, m, d;

	vet_date_to_ymd(day, &y, &m, &d);
	/* Written by hand: this is on the hot path of every writer. */
	y = y < 0 ? 0 : y % 10000;
	out[0] = (char)('0' + y / 1000);
	out[1] = (char)('0' + y / 100 % 10);
	out[2] = (char)('0' + y / 10 % 10);
	out[3] = (char)('0' + y % 10);
	out[4] = '-';
	out[5] = (char)('0' + m / 10);
	out[6] = (char)('0' + m % 10);
	out[7] = '-';
	out[8] = (char)('0' + d / 10);
	out[9] = (char)('0' + d % 10);
	out[10] = '\0';
}

vet_day
vet_date_today(void)
{
	struct tm tm;
	time_t t = time(NULL);

	if (localtime_r(&t, &tm) == NULL)
		return (vet_day)(t / 86400);
	return days_from_civil(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

/*
 * Age increases when (month, day) of `on` reaches that of the birth date,
 * so a 02-29 birthday counts from 03-01 in common years.
 */
int
vet_date_years(vet_day birth, vet_day on)
{
	int by, bm, bd, y, m, d, age;

	vet_date_to_ymd(birth, &by, &bm, &bd);
	vet_date_to_ymd(on, &y, &m, &d);
	age = y - by;
	if (m < bm || (m == bm && d < bd))
		age--;
	return age;
}

int
vet_date_months_since(vet_day from, vet_day as_of)
{
	int y1, m1, d1, y2, m2, d2, n;

	vet_date_to_ymd(from, &y1, &m1, &d1);
	vet_date_to_ymd(as_of, &y2, &m2, &d2);
	n = (y2 - y1) * 12 + (m2 - m1);
	if (d2 < d1)
		n--;
	return n;
}

vet_day
vet_date_add_months(vet_day day, int months)
{
	int y, m, d;

	vet_date_to_ymd(day, &y, &m, &d);
	return vet_date_ymd_add_months(y, m, d, months);
}

vet_day
vet_date_ymd_add_months(int y, int m, int d, int months)
{
	long t;

	t = (long)y * 12 + (m - 1) + months;
	y = (int)(t >= 0 ? t / 12 : (t - 11) / 12);
	m = (int)(t - (long)y * 12) + 1;
	if (d > days_in_month(y, m))
		d = days_in_month(y, m);
	return days_from_civil(y, m, d);
}

vet_day
vet_date_month_start(vet_day day)
{
	int y, m, d;

	vet_date_to_ymd(day, &y, &m, &d);
	return days_from_civil(y, m, 1);
}

vet_day
vet_date_month_end(vet_day day)
{
	int y, m, d;

	vet_date_to_ymd(day, &y, &m, &d);
	return days_from_civil(y, m, days_in_month(y, m));
}

vet_day
vet_date_quarter_start(vet_day day)
{
	int y, m, d;

	vet_date_to_ymd(day, &y, &m, &d);
	return days_from_civil(y, (m - 1) / 3 * 3 + 1, 1);
}

vet_day
vet_date_quarter_end(vet_day day)
{
	int y, m, d;

	vet_date_to_ymd(day, &y, &m, &d);
	m = (m - 1) / 3 * 3 + 3;
	return days_from_civil(y, m, days_in_month(y, m));
}

int
vet_date_quarter_parse(const char *s, vet_day as_of, vet_day *start,
    struct vet_error *err)
{
	int y, q, i;

	if (strcmp(s, "current") == 0) {
		*start = vet_date_quarter_start(as_of);
		return 0;
	}
	if (strcmp(s, "previous") == 0) {
		*start = vet_date_quarter_start(vet_date_quarter_start(as_of) -
		    1);
		return 0;
	}
	for (i = 0; i < 4; i++)
		if (s[i] < '0' || s[i] > '9')
			break;
	if (i < 4 || strlen(s) != 6 || s[4] != 'Q' || s[5] < '1' ||
	    s[5] > '4' || (y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 +
	    (s[2] - '0') * 10 + (s[3] - '0')) < 1)
		return vet_error_set(err, VET_EUSAGE, NULL, 0, 0,
		    "invalid quarter '%.40s' (YYYYQn, previous or current)",
		    s);
	q = s[5] - '0';
	*start = days_from_civil(y, (q - 1) * 3 + 1, 1);
	return 0;
}
