/*
 * date.h - calendar dates as day numbers, the date formats the toolkit reads,
 * and the age and month arithmetic of SPEC section 3 ("The default policy,
 * exactly").
 *
 * Ownership: plain values; nothing allocates.  A vet_day is the number of
 * days since 1970-01-01 in the proleptic Gregorian calendar (negative
 * before), valid for years 1 to 9999.
 */
#ifndef VET_DATE_H
#define VET_DATE_H

#include <stddef.h>
#include <stdint.h>

#include "vet/error.h"

typedef int32_t vet_day;

/* Returns 0 and sets *out, or VET_EDATA when y-m-d is not a real date. */
int vet_date_from_ymd(int y, int m, int d, vet_day *out);
void vet_date_to_ymd(vet_day day, int *y, int *m, int *d);

/* Strict "YYYY-MM-DD" (the record format).  0 or VET_EDATA. */
int vet_date_parse(const char *s, size_t n, vet_day *out);

/*
 * The formats stations type (SPEC vet-intake): 2023-12-26, 2023/12/26,
 * 2023/1/5, 2023.12.26, 2023年12月26日, 20231226, with surrounding spaces.
 * The caller folds full-width digits first.  Returns 0, or VET_EDATA with a
 * message in err ("unparseable date '...'" or "impossible date '...'").
 */
int vet_date_parse_loose(const char *s, size_t n, vet_day *out,
    struct vet_error *err);

/*
 * vet_date_parse_loose() and what a cell of a station's sheet holds
 * (SPEC "Spreadsheets as they arrive"): 2023年12月26号, a time of day
 * after the date (2023/12/26 0:00:00, 2023-12-26 08:30), and with
 * VET_DATE_MONTH in flags a month alone (2023.12, 2023-12, 2023年12月) as
 * its first day.  Errors as vet_date_parse_loose(), and "no day in date
 * '...'" for a month without VET_DATE_MONTH, "ambiguous date '...'" for a
 * day and month before the year (12/26/2023), which is never guessed.
 */
#define VET_DATE_MONTH 0x1
int vet_date_parse_cell(const char *s, size_t n, unsigned flags,
    vet_day *out, struct vet_error *err);

/* Writes "YYYY-MM-DD" and a NUL into out. */
void vet_date_format(vet_day day, char out[11]);

/* Today in local time. */
vet_day vet_date_today(void);

/* Full years from birth to on (age on `on`); negative when on < birth. */
int vet_date_years(vet_day birth, vet_day on);

/*
 * SPEC months_since(d): (years * 12 + months) from d to as_of, minus one
 * when the day of month of as_of is before that of d.
 */
int vet_date_months_since(vet_day d, vet_day as_of);

/* Adds months (may be negative), clamping the day to the month's end. */
vet_day vet_date_add_months(vet_day d, int months);
/* The same from the date's y-m-d (as vet_date_to_ymd gives them), for a
 * caller that has them already. */
vet_day vet_date_ymd_add_months(int y, int m, int d, int months);

/* First and last day of the month / quarter containing d. */
vet_day vet_date_month_start(vet_day d);
vet_day vet_date_month_end(vet_day d);
vet_day vet_date_quarter_start(vet_day d);
vet_day vet_date_quarter_end(vet_day d);

/*
 * SPEC 2.3: --as-of D is the end of day D, so a month, quarter or year whose
 * last day is `last` is over when as_of is on or after it.  Every tool asks
 * this one question, so that vet-audit, vet-report and vet-plan agree on
 * the quarter-end run.
 */
static inline int
vet_date_over(vet_day last, vet_day as_of)
{
	return as_of >= last;
}

/*
 * The --quarter argument of every tool that takes one: "YYYYQn",
 * "current" (the quarter that contains as_of) or "previous" (the one
 * before it).  Sets *start to the quarter's first day.  Returns 0, or
 * VET_EUSAGE with a message in err (which may be NULL).
 */
int vet_date_quarter_parse(const char *s, vet_day as_of, vet_day *start,
    struct vet_error *err);

#endif
