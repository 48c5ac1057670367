/*
 * sheet.c - date serials, General numbers and date formats of spreadsheet
 * cells (sheet.h).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "vet/date.h"
#include "vet/error.h"
#include "vet/sheet.h"

int
vet_sheet_number(struct vet_buf *out, double v)
{
	char tmp[40];

	if (!isfinite(v))
		return vet_buf_addstr(out, "#NUM!") < 0 ? VET_ENOMEM : 0;
	/* An integer below 10^15 is exact in a double and Excel shows it
	 * whole: a phone number, a 15-digit id, a count. */
	if (v == floor(v) && fabs(v) < 1e15)
		snprintf(tmp, sizeof tmp, "%.0f", v);
	else
		snprintf(tmp, sizeof tmp, "%.15g", v);
	if (strcmp(tmp, "-0") == 0)
		strcpy(tmp, "0");
	return vet_buf_addstr(out, tmp) < 0 ? VET_ENOMEM : 0;
}

int
vet_sheet_date(struct vet_buf *out, double v, enum vet_sheet_epoch e,
    int time_only)
{
	vet_day base, day;
	double frac;
	long secs;
	long long d;
	int y, m, dd, rc;

	if (!isfinite(v) || v < 0 || v >= 2958466.0)
		return vet_sheet_number(out, v);
	/* v is in [0, 2958466): its whole part and the fraction's seconds
	 * by integer conversion, exact here, so that the tools need not
	 * link libm for two calls.  To the nearest second, half away from
	 * zero, as Excel rounds what it shows. */
	d = (long long)v;
	frac = (v - (double)d) * 86400.0;
	secs = (long)frac;
	if (frac - (double)secs >= 0.5)
		secs++;
	if (secs >= 86400) {
		secs -= 86400;
		d++;
	}
	if (time_only && d == 0) {
		rc = vet_buf_addf(out, "%02ld:%02ld:%02ld", secs / 3600,
		    secs / 60 % 60, secs % 60);
		return rc < 0 ? VET_ENOMEM : 0;
	}
	if (e == VET_SHEET_1904) {
		vet_date_from_ymd(1904, 1, 1, &base);
		day = base + (vet_day)d;
	} else if (d == 0 || d == 60) {
		/*
		 * Excel's 1900-01-00 and the 1900-02-29 that Lotus 1-2-3
		 * invented: no real day.  They are written as Excel shows
		 * them, so that the date check refuses them by name.
		 */
		rc = vet_buf_addstr(out, d == 0 ? "1900-01-00" : "1900-02-29");
		goto time;
	} else {
		/* Serial 1 is 1900-01-01; from 61 on, the fictitious day
		 * is counted, so the base moves back by one. */
		vet_date_from_ymd(1899, 12, d < 60 ? 31 : 30, &base);
		day = base + (vet_day)d;
	}
	vet_date_to_ymd(day, &y, &m, &dd);
	if (y > 9999)
		return vet_sheet_number(out, v);
	rc = vet_buf_addf(out, "%04d-%02d-%02d", y, m, dd);
time:
	if (rc >= 0 && secs != 0) {
		rc = vet_buf_addf(out, " %02ld:%02ld", secs / 3600,
		    secs / 60 % 60);
		if (rc >= 0 && secs % 60 != 0)
			rc = vet_buf_addf(out, ":%02ld", secs % 60);
	}
	return rc < 0 ? VET_ENOMEM : 0;
}

int
vet_sheet_is_date_format(int id, const char *code, size_t n, int *time_only)
{
	int y = 0, m = 0, d = 0;
	size_t i;
	char c;

	*time_only = 0;
	/* The built-in formats (ECMA-376 18.8.30 and the East Asian ids
	 * 27-36 and 50-58, which are all dates). */
	if ((id >= 14 && id <= 22) || (id >= 27 && id <= 36) ||
	    (id >= 45 && id <= 47) || (id >= 50 && id <= 58)) {
		*time_only = (id >= 18 && id <= 21) || (id >= 45 && id <= 47);
		return 1;
	}
	if (code == NULL)
		return 0;
	for (i = 0; i < n; i++) {
		c = code[i];
		if (c == '"') {
			/* A literal: "年" or "USD". */
			for (i++; i < n && code[i] != '"'; i++)
				;
		} else if (c == '[') {
			/* A colour, a condition or a locale: [Red], [$-804]. */
			for (i++; i < n && code[i] != ']'; i++)
				;
		} else if (c == '\\' || c == '_' || c == '*') {
			/* An escaped character, a space as wide as the next
			 * one, a fill character. */
			i++;
		} else if (c == ';') {
			/* Sections after the first are for negative
			 * numbers, zero and text: the first decides. */
			break;
		} else if (c == 'y' || c == 'Y')
			y = 1;
		else if (c == 'm' || c == 'M')
			m = 1;
		else if (c == 'd' || c == 'D')
			d = 1;
	}
	if (!y && !m && !d)
		return 0;
	*time_only = !y && !d;
	return 1;
}
