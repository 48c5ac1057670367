/*
 * test_date.c - day numbers, parsing and month arithmetic (date.h).
 */
#include <criterion/criterion.h>
#include <string.h>

#include "vet/date.h"
#include "vet/error.h"

static vet_day
D(int y, int m, int d)
{
	vet_day v = 0;

	cr_assert_eq(vet_date_from_ymd(y, m, d, &v), 0, "%d-%d-%d", y, m, d);
	return v;
}

static vet_day
P(const char *s)
{
	vet_day v = 0;

	cr_assert_eq(vet_date_parse(s, strlen(s), &v), 0, "'%s'", s);
	return v;
}

static void
assert_fmt(vet_day d, const char *want)
{
	char out[11];

	vet_date_format(d, out);
	cr_assert_str_eq(out, want);
}

Test(date, epoch_and_known_days)
{
	cr_assert_eq(D(1970, 1, 1), 0);
	cr_assert_eq(D(1970, 1, 2), 1);
	cr_assert_eq(D(1969, 12, 31), -1);
	cr_assert_eq(D(2000, 3, 1), 11017);
	/* 2023-12-26 is 19717 days after the epoch (53 years, 13 leap days). */
	cr_assert_eq(D(2023, 12, 26), 53 * 365 + 13 + 359);
	cr_assert_eq(D(1, 1, 1), -719162);
	cr_assert_eq(D(9999, 12, 31), 2932896);
}

Test(date, round_trip_every_day)
{
	vet_day d;
	int y, m, dd;
	vet_day back;

	for (d = D(1600, 1, 1); d <= D(2400, 12, 31); d++) {
		vet_date_to_ymd(d, &y, &m, &dd);
		cr_assert_eq(vet_date_from_ymd(y, m, dd, &back), 0);
		cr_assert_eq(back, d);
	}
}

Test(date, leap_rules)
{
	vet_day v;

	cr_assert_eq(vet_date_from_ymd(2000, 2, 29, &v), 0);
	cr_assert_eq(vet_date_from_ymd(2024, 2, 29, &v), 0);
	cr_assert_eq(vet_date_from_ymd(1900, 2, 29, &v), VET_EDATA);
	cr_assert_eq(vet_date_from_ymd(2100, 2, 29, &v), VET_EDATA);
	cr_assert_eq(vet_date_from_ymd(2023, 2, 29, &v), VET_EDATA);
	cr_assert_eq(vet_date_from_ymd(2023, 4, 31, &v), VET_EDATA);
	cr_assert_eq(vet_date_from_ymd(2023, 13, 1, &v), VET_EDATA);
	cr_assert_eq(vet_date_from_ymd(2023, 0, 1, &v), VET_EDATA);
	cr_assert_eq(vet_date_from_ymd(2023, 1, 0, &v), VET_EDATA);
	cr_assert_eq(vet_date_from_ymd(0, 1, 1, &v), VET_EDATA);
	cr_assert_eq(vet_date_from_ymd(10000, 1, 1, &v), VET_EDATA);
	cr_assert_eq(D(1900, 3, 1) - D(1900, 2, 28), 1);
	cr_assert_eq(D(2000, 3, 1) - D(2000, 2, 28), 2);
}

Test(date, strict_parse)
{
	vet_day v;
	const char *bad[] = { "2023-1-05", "2023/12/26", "20231226",
	    "2023-12-26 ", " 2023-12-26", "2023-02-30", "2023-12-2x",
	    "", "2023-12-260", "+023-12-26" };
	size_t i;

	cr_assert_eq(P("2023-12-26"), D(2023, 12, 26));
	cr_assert_eq(P("0001-01-01"), D(1, 1, 1));
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		cr_assert_eq(vet_date_parse(bad[i], strlen(bad[i]), &v),
		    VET_EDATA, "'%s'", bad[i]);
	/* A NUL inside the span is not a digit. */
	cr_assert_eq(vet_date_parse("2023-12-2\0", 10, &v), VET_EDATA);
}

Test(date, loose_formats)
{
	const char *ok[] = { "2023-12-26", "2023/12/26", "2023.12.26",
	    "2023年12月26日", "2023年12月26", "20231226", "  2023-12-26 ",
	    "\xe3\x80\x80" "2023/12/26\xe3\x80\x80", "\t2023-12-26\r" };
	vet_day v;
	size_t i;
	struct vet_error e;

	for (i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		v = 0;
		cr_assert_eq(vet_date_parse_loose(ok[i], strlen(ok[i]), &v, &e),
		    0, "'%s'", ok[i]);
		cr_assert_eq(v, D(2023, 12, 26), "'%s'", ok[i]);
	}
	cr_assert_eq(vet_date_parse_loose("2023/1/5", 8, &v, &e), 0);
	cr_assert_eq(v, D(2023, 1, 5));
	cr_assert_eq(vet_date_parse_loose("2023-1-05", 9, &v, &e), 0);
	cr_assert_eq(v, D(2023, 1, 5));
	cr_assert_eq(vet_date_parse_loose("2024年2月9日", strlen("2024年2月9日"), &v, &e), 0);
	cr_assert_eq(v, D(2024, 2, 9));
}

Test(date, loose_errors)
{
	const char *unparseable[] = { "", "   ", "2023-12/26", "2023/12/",
	    "23/12/26", "2023/123/1", "2023-12-26x", "2023-12-26 25:00",
	    "2023-12-26 8", "2023年12月 26日", "2023.13",
	    "2023121", "202312260", "yesterday", "2023 12 26" };
	vet_day v;
	size_t i;
	struct vet_error e;

	for (i = 0; i < sizeof unparseable / sizeof unparseable[0]; i++) {
		vet_error_clear(&e);
		cr_assert_eq(vet_date_parse_loose(unparseable[i],
		    strlen(unparseable[i]), &v, &e), VET_EDATA, "'%s'",
		    unparseable[i]);
		cr_assert_eq(e.status, VET_EDATA);
		cr_assert(strncmp(e.msg, "unparseable date '", 18) == 0,
		    "%s", e.msg);
	}
	/* A month alone, and a day and month before the year, have their
	 * own reasons. */
	cr_assert_eq(vet_date_parse_loose("2023年12月", strlen("2023年12月"),
	    &v, &e), VET_EDATA);
	cr_assert_str_eq(e.msg, "no day in date '2023年12月'");
	cr_assert_eq(vet_date_parse_loose("2023.12", 7, &v, &e), VET_EDATA);
	cr_assert_str_eq(e.msg, "no day in date '2023.12'");
	cr_assert_eq(vet_date_parse_cell("12/26/2023", 10, VET_DATE_MONTH, &v,
	    &e), VET_EDATA);
	cr_assert_str_eq(e.msg, "ambiguous date '12/26/2023'");
	cr_assert_eq(vet_date_parse_loose("26.12.2023", 10, &v, &e),
	    VET_EDATA);
	cr_assert_str_eq(e.msg, "ambiguous date '26.12.2023'");
	cr_assert_eq(vet_date_parse_cell("2023-12-00", 10, VET_DATE_MONTH, &v,
	    &e), VET_EDATA);
	cr_assert_str_eq(e.msg, "impossible date '2023-12-00'");
	cr_assert_eq(vet_date_parse_loose("2023/2/29", 9, &v, &e), VET_EDATA);
	cr_assert_str_eq(e.msg, "impossible date '2023/2/29'");
	cr_assert_eq(vet_date_parse_loose("20231332", 8, &v, &e), VET_EDATA);
	cr_assert_str_eq(e.msg, "impossible date '20231332'");
	cr_assert_eq(vet_date_parse_loose("2023-1-5x", 9, &v, NULL),
	    VET_EDATA);
}

Test(date, loose_error_masks_and_shortens)
{
	struct vet_error e;
	vet_day v;
	char big[200];

	/* An id typed into a date column must not be echoed whole. */
	cr_assert_eq(vet_date_parse_loose("110105199001011232", 18, &v, &e),
	    VET_EDATA);
	cr_assert_str_eq(e.msg, "unparseable date '110105********1232'");
	memset(big, '7', sizeof big);
	memcpy(big, "2023年", 7);
	cr_assert_eq(vet_date_parse_loose(big, sizeof big, &v, &e), VET_EDATA);
	cr_assert(strlen(e.msg) < 100, "%s", e.msg);
	cr_assert(strstr(e.msg, "...'") != NULL, "%s", e.msg);
	cr_assert(strstr(e.msg, "777777777777") == NULL, "%s", e.msg);
	/* Invalid UTF-8 and NUL bytes are refused, not crashed on. */
	cr_assert_eq(vet_date_parse_loose("2023\xff" "12\xfe" "26", 10, &v,
	    &e), VET_EDATA);
	cr_assert_eq(vet_date_parse_loose("2023-12\0-26", 11, &v, &e),
	    VET_EDATA);
	cr_assert_eq(vet_date_parse_loose("2023\xe5\xb9", 6, &v, &e),
	    VET_EDATA);
}

Test(date, format)
{
	assert_fmt(0, "1970-01-01");
	assert_fmt(D(2024, 2, 29), "2024-02-29");
	assert_fmt(D(1, 1, 1), "0001-01-01");
	assert_fmt(D(9999, 12, 31), "9999-12-31");
}

Test(date, today_is_plausible)
{
	vet_day t = vet_date_today();

	cr_assert(t > D(2024, 1, 1) && t < D(2100, 1, 1));
}

Test(date, years)
{
	vet_day b = P("1990-06-15");

	cr_assert_eq(vet_date_years(b, P("2026-06-14")), 35);
	cr_assert_eq(vet_date_years(b, P("2026-06-15")), 36);
	cr_assert_eq(vet_date_years(b, P("2026-07-01")), 36);
	cr_assert_eq(vet_date_years(b, P("2026-05-31")), 35);
	cr_assert_eq(vet_date_years(b, b), 0);
	cr_assert_eq(vet_date_years(b, b - 1), -1);
	cr_assert_eq(vet_date_years(b, P("1989-06-15")), -1);
	cr_assert_eq(vet_date_years(b, P("1989-06-14")), -2);
	/* Year boundary. */
	cr_assert_eq(vet_date_years(P("2000-01-01"), P("2025-12-31")), 25);
	cr_assert_eq(vet_date_years(P("2000-01-01"), P("2026-01-01")), 26);
	cr_assert_eq(vet_date_years(P("1999-12-31"), P("2026-01-01")), 26);
}

Test(date, years_leap_day_birthday)
{
	vet_day b = P("2008-02-29");

	cr_assert_eq(vet_date_years(b, P("2026-02-28")), 17);
	cr_assert_eq(vet_date_years(b, P("2026-03-01")), 18);
	cr_assert_eq(vet_date_years(b, P("2028-02-28")), 19);
	cr_assert_eq(vet_date_years(b, P("2028-02-29")), 20);
}

Test(date, months_since)
{
	/* SPEC: (years * 12 + months), minus one when as_of's day is
	 * before d's. */
	cr_assert_eq(vet_date_months_since(P("2026-03-15"), P("2026-09-15")), 6);
	cr_assert_eq(vet_date_months_since(P("2026-03-15"), P("2026-09-14")), 5);
	cr_assert_eq(vet_date_months_since(P("2026-03-31"), P("2026-09-30")), 5);
	cr_assert_eq(vet_date_months_since(P("2026-03-01"), P("2026-09-30")), 6);
	cr_assert_eq(vet_date_months_since(P("2025-09-30"), P("2026-09-30")), 12);
	cr_assert_eq(vet_date_months_since(P("2025-10-01"), P("2026-09-30")), 11);
	cr_assert_eq(vet_date_months_since(P("2024-01-31"), P("2024-02-29")), 0);
	cr_assert_eq(vet_date_months_since(P("2024-09-30"), P("2026-09-30")), 24);
	cr_assert_eq(vet_date_months_since(P("2026-09-30"), P("2026-09-30")), 0);
	cr_assert_eq(vet_date_months_since(P("2026-10-01"), P("2026-09-30")), -1);
	cr_assert_eq(vet_date_months_since(P("2026-12-31"), P("2027-01-01")), 0);
	cr_assert_eq(vet_date_months_since(P("2026-12-01"), P("2027-01-01")), 1);
}

Test(date, add_months)
{
	cr_assert_eq(vet_date_add_months(P("2026-01-31"), 1), P("2026-02-28"));
	cr_assert_eq(vet_date_add_months(P("2024-01-31"), 1), P("2024-02-29"));
	cr_assert_eq(vet_date_add_months(P("2024-03-31"), -1), P("2024-02-29"));
	cr_assert_eq(vet_date_add_months(P("2026-03-31"), 1), P("2026-04-30"));
	cr_assert_eq(vet_date_add_months(P("2026-11-15"), 2), P("2027-01-15"));
	cr_assert_eq(vet_date_add_months(P("2026-01-15"), -1), P("2025-12-15"));
	cr_assert_eq(vet_date_add_months(P("2026-01-15"), -13), P("2024-12-15"));
	cr_assert_eq(vet_date_add_months(P("2026-01-15"), -12), P("2025-01-15"));
	cr_assert_eq(vet_date_add_months(P("2026-05-20"), 0), P("2026-05-20"));
	/* 60 years and 3 months after a leap day (retirement arithmetic). */
	cr_assert_eq(vet_date_add_months(P("1968-02-29"), 60 * 12), P("2028-02-29"));
	cr_assert_eq(vet_date_add_months(P("1964-02-29"), 61 * 12), P("2025-02-28"));
	cr_assert_eq(vet_date_add_months(P("1899-02-28"), 12), P("1900-02-28"));
	cr_assert_eq(vet_date_add_months(P("1999-02-28"), 12), P("2000-02-28"));
	cr_assert_eq(vet_date_add_months(P("2000-01-31"), 1), P("2000-02-29"));
	cr_assert_eq(vet_date_add_months(P("1900-01-31"), 1), P("1900-02-28"));
}

Test(date, month_and_quarter_bounds)
{
	vet_day d = P("2026-08-17");

	cr_assert_eq(vet_date_month_start(d), P("2026-08-01"));
	cr_assert_eq(vet_date_month_end(d), P("2026-08-31"));
	cr_assert_eq(vet_date_quarter_start(d), P("2026-07-01"));
	cr_assert_eq(vet_date_quarter_end(d), P("2026-09-30"));
	cr_assert_eq(vet_date_month_end(P("2024-02-03")), P("2024-02-29"));
	cr_assert_eq(vet_date_month_end(P("1900-02-03")), P("1900-02-28"));
	cr_assert_eq(vet_date_quarter_start(P("2026-03-31")), P("2026-01-01"));
	cr_assert_eq(vet_date_quarter_end(P("2026-01-01")), P("2026-03-31"));
	cr_assert_eq(vet_date_quarter_start(P("2026-04-01")), P("2026-04-01"));
	cr_assert_eq(vet_date_quarter_end(P("2026-05-05")), P("2026-06-30"));
	cr_assert_eq(vet_date_quarter_start(P("2026-12-31")), P("2026-10-01"));
	cr_assert_eq(vet_date_quarter_end(P("2026-11-30")), P("2026-12-31"));
}

/* SPEC "Spreadsheets as they arrive": the forms a station's cell holds. */
Test(date, cell_forms)
{
	static const struct {
		const char *s;
		unsigned flags;
		int y, m, d;
	} ok[] = {
		{ "2023年12月26号", 0, 2023, 12, 26 },
		{ "2023年12月26日", 0, 2023, 12, 26 },
		{ "2023/12/26 0:00:00", 0, 2023, 12, 26 },
		{ "2023-12-26 08:30", 0, 2023, 12, 26 },
		{ "2023-12-26 23:59:59", 0, 2023, 12, 26 },
		{ "2023年12月26日 8:05", 0, 2023, 12, 26 },
		{ "2023.12", VET_DATE_MONTH, 2023, 12, 1 },
		{ "2023年12月", VET_DATE_MONTH, 2023, 12, 1 },
		{ "2023-1", VET_DATE_MONTH, 2023, 1, 1 },
		{ "2023/12", VET_DATE_MONTH, 2023, 12, 1 },
		{ "2023.12.26", VET_DATE_MONTH, 2023, 12, 26 },
		{ "20231226", VET_DATE_MONTH, 2023, 12, 26 },
	};
	struct vet_error e;
	vet_day v;
	size_t i;

	for (i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		vet_error_clear(&e);
		cr_assert_eq(vet_date_parse_cell(ok[i].s, strlen(ok[i].s),
		    ok[i].flags, &v, &e), 0, "'%s': %s", ok[i].s, e.msg);
		cr_assert_eq(v, D(ok[i].y, ok[i].m, ok[i].d), "'%s'", ok[i].s);
	}
	cr_assert_eq(vet_date_parse_cell("2023.13", 7, VET_DATE_MONTH, &v, &e),
	    VET_EDATA);
	cr_assert_eq(vet_date_parse_cell("2023年2月30号", strlen(
	    "2023年2月30号"), 0, &v, &e), VET_EDATA);
	cr_assert_str_eq(e.msg, "impossible date '2023年2月30号'");
}
