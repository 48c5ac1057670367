/*
 * test_xlsx.c - the .xlsx reader (xlsx.h) on the workbooks of
 * tests/data/intake/workbooks (made by make.py there: openpyxl, LibreOffice
 * and hand-written parts) and on bytes in memory.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "vet/sheet.h"
#include "vet/xlsx.h"

#define WB VET_TEST_DATA "/intake/workbooks/"

static FILE *
open_wb(const char *name)
{
	FILE *f = fopen(name, "rb");

	cr_assert_not_null(f, "%s", name);
	return f;
}

/* The cells of a row joined by '|'. */
static const char *
joined(const struct vet_sheet_row *r)
{
	static char out[4096];
	size_t i, o = 0;

	for (i = 0; i < r->n; i++) {
		o += (size_t)snprintf(out + o, sizeof out - o, "%s%.*s",
		    i > 0 ? "|" : "", (int)r->cells[i].n, r->cells[i].p);
		if (o >= sizeof out)
			break;
	}
	out[o < sizeof out ? o : sizeof out - 1] = '\0';
	return out;
}

static int
next(struct vet_xlsx *x, struct vet_sheet_row *r)
{
	struct vet_error e;
	int rc;

	vet_error_clear(&e);
	rc = vet_xlsx_next(x, r, &e);
	cr_assert_geq(rc, 0, "%s", e.msg);
	return rc;
}

Test(xlsx, ledger_sheets_and_rows)
{
	FILE *f = open_wb(WB "ledger.xlsx");
	struct vet_xlsx *x;
	struct vet_sheet_row r;
	struct vet_error e;

	cr_assert_eq(vet_xlsx_open(&x, f, 1 << 20, &e), 0, "%s", e.msg);
	cr_assert_eq(vet_xlsx_nsheets(x), 3);
	cr_assert_str_eq(vet_xlsx_sheet_name(x, 0), "填表说明");
	cr_assert(vet_xlsx_sheet_hidden(x, 0));
	cr_assert_str_eq(vet_xlsx_sheet_name(x, 1), "幸福社区");
	cr_assert(!vet_xlsx_sheet_hidden(x, 1));
	cr_assert_eq(vet_xlsx_epoch(x), VET_SHEET_1900);
	cr_assert_eq(vet_xlsx_sheet_open(x, 1, &e), 0, "%s", e.msg);
	/* The merged title gives its value to A1 alone; row 2 is blank
	 * and not given. */
	cr_assert_eq(next(x, &r), 1);
	cr_assert_eq(r.line, 1);
	cr_assert_eq(r.n, 1);
	cr_assert_str_eq(joined(&r), "朝阳区退役军人就业信息台账（2026年第三季度）");
	cr_assert_eq(next(x, &r), 1);
	cr_assert_eq(r.line, 3);
	cr_assert_str_eq(joined(&r), "填报单位：幸福社区居委会|||||||填报日期：|"
	    "2026-09-30");
	cr_assert_eq(r.kind[8], VET_CELL_DATE);
	cr_assert_eq(next(x, &r), 1);
	cr_assert_eq(r.line, 4);
	cr_assert_eq(next(x, &r), 1);
	cr_assert_eq(r.line, 5);
	cr_assert_str_eq(joined(&r), "110105199301309997|龙宇卫|男|1993-01-30|"
	    "15453836370|朝阳区|三里屯街道|幸福社区|2014-09-07|自主就业|高中|已就业|否");
	cr_assert_eq(r.kind[0], VET_CELL_TEXT);
	cr_assert_eq(r.kind[3], VET_CELL_DATE);
	cr_assert_eq(r.kind[4], VET_CELL_NUMBER);
	cr_assert_null(r.bad);
	/* The id Excel kept as a number. */
	cr_assert_eq(next(x, &r), 1);
	cr_assert_eq(r.kind[0], VET_CELL_NUMBER);
	cr_assert_eq(r.cells[3].n, 0);
	cr_assert_eq(r.kind[3], VET_CELL_EMPTY);
	cr_assert_eq(next(x, &r), 1);
	cr_assert_eq(r.cells[0].n, 15);
	cr_assert_eq(memcmp(r.cells[0].p, "110105851023123", 15), 0);
	cr_assert_eq(next(x, &r), 1);
	cr_assert_eq(r.line, 8);
	cr_assert_eq(next(x, &r), 0);
	cr_assert_eq(next(x, &r), 0);
	/* Another sheet after the first. */
	cr_assert_eq(vet_xlsx_sheet_open(x, 2, &e), 0);
	cr_assert_eq(next(x, &r), 1);
	cr_assert_str_eq(joined(&r), "姓名|身份证号|所在区|街道|社区|就业状态");
	vet_xlsx_close(x);
	fclose(f);
}

Test(xlsx, every_kind_of_cell)
{
	FILE *f = open_wb(WB "cells.xlsx");
	struct vet_xlsx *x;
	struct vet_sheet_row r;
	struct vet_error e;

	cr_assert_eq(vet_xlsx_open(&x, f, 1 << 20, &e), 0, "%s", e.msg);
	cr_assert_eq(vet_xlsx_sheet_open(x, 0, &e), 0, "%s", e.msg);
	/* By reference: C1 came before A1; the cell without r follows A1. */
	cr_assert_eq(next(x, &r), 1);
	cr_assert_str_eq(joined(&r), "姓名|备注|身份证号");
	cr_assert_eq(next(x, &r), 1);
	cr_assert_eq(r.line, 3);
	/* Rich text runs joined and the phonetic run left out; a built-in
	 * date, the fictitious 1900-02-29, a custom non-date format, a
	 * boolean, a formula's cached string, an error, a big number, a
	 * float shown with 15 digits, a date and time (22), the days
	 * around the fictitious one. */
	cr_assert_str_eq(joined(&r), "张三 |李四|2023-12-26|1900-02-29|12|TRUE|"
	    "公式值|#N/A|1.10105199003071e+17|0.3|2023-12-26 12:00|1900-03-01|"
	    "1900-02-28");
	cr_assert_eq(r.kind[2], VET_CELL_DATE);
	cr_assert_eq(r.kind[4], VET_CELL_NUMBER);
	cr_assert_eq(r.kind[5], VET_CELL_BOOL);
	cr_assert_eq(r.kind[7], VET_CELL_ERROR);
	cr_assert_eq(r.kind[9], VET_CELL_NUMBER);
	/* A bad cell makes its row bad, not the sheet. */
	cr_assert_eq(next(x, &r), 1);
	cr_assert_eq(r.line, 5);
	cr_assert_str_eq(r.bad, "shared string 99 is out of range (the "
	    "workbook has 3)");
	cr_assert_str_eq(joined(&r), "|身份证号");
	cr_assert_eq(next(x, &r), 1);
	cr_assert_eq(r.line, 6);
	cr_assert_str_eq(r.bad, "cell reference 'XFE1048577' is outside the "
	    "sheet (XFD1048576 at most)");
	/* Row 7 is empty; row 8 is serial 1, 1900-01-01. */
	cr_assert_eq(next(x, &r), 1);
	cr_assert_eq(r.line, 8);
	cr_assert_str_eq(joined(&r), "1900-01-01");
	cr_assert_eq(next(x, &r), 0);
	vet_xlsx_close(x);
	fclose(f);
}

Test(xlsx, date_system_1904)
{
	FILE *f = open_wb(WB "date1904.xlsx");
	struct vet_xlsx *x;
	struct vet_sheet_row r;
	struct vet_error e;

	cr_assert_eq(vet_xlsx_open(&x, f, 1 << 20, &e), 0, "%s", e.msg);
	cr_assert_eq(vet_xlsx_epoch(x), VET_SHEET_1904);
	cr_assert_eq(vet_xlsx_sheet_open(x, 0, &e), 0);
	cr_assert_eq(next(x, &r), 1);
	cr_assert_str_eq(joined(&r), "1904-01-01|2023-12-26");
	vet_xlsx_close(x);
	fclose(f);
}

Test(xlsx, a_row_over_the_limit_is_bad)
{
	FILE *f = open_wb(WB "ledger.xlsx");
	struct vet_xlsx *x;
	struct vet_sheet_row r;
	struct vet_error e;

	cr_assert_eq(vet_xlsx_open(&x, f, 40, &e), 0, "%s", e.msg);
	cr_assert_eq(vet_xlsx_sheet_open(x, 1, &e), 0);
	cr_assert_eq(next(x, &r), 1);
	cr_assert_str_eq(r.bad, "row longer than 40 bytes");
	/* Cut at a character: 13 of the title's 3-byte characters. */
	cr_assert_eq(r.n, 1);
	cr_assert_eq(r.cells[0].n, 39);
	cr_assert_eq(memcmp(r.cells[0].p, "朝阳区退役军人就业信息台账", 39), 0);
	vet_xlsx_close(x);
	fclose(f);
}

/* Opens a workbook that must fail, at open or in its first sheet, with
 * msg. */
static void
fails(const char *name, const char *msg)
{
	FILE *f = open_wb(name);
	struct vet_xlsx *x;
	struct vet_sheet_row r;
	struct vet_error e;
	int rc;

	vet_error_clear(&e);
	rc = vet_xlsx_open(&x, f, 1 << 20, &e);
	if (rc == 0) {
		rc = vet_xlsx_sheet_open(x, 0, &e);
		while (rc == 0 && (rc = vet_xlsx_next(x, &r, &e)) > 0)
			rc = 0;
		vet_xlsx_close(x);
	}
	cr_assert_eq(rc, VET_EDATA, "%s: %d", name, rc);
	cr_assert(strstr(e.msg, msg) != NULL, "%s: %s", name, e.msg);
	fclose(f);
}

Test(xlsx, bad_workbooks)
{
	fails(WB "bomb.xlsx", "inflates to more than a real workbook holds");
	fails(WB "deep.xlsx", "XML nested deeper than 64 elements");
	fails(WB "laughs.xlsx", "XML with a DOCTYPE");
	fails(WB "truncated.xlsx", "the file is truncated or damaged");
	fails(WB "notbook.xlsx", "a zip but not an Excel workbook");
	fails(WB "zipcrypt.xlsx", "workbook is password-protected");
}

Test(xlsx, garbage_and_cut_bytes)
{
	static const char junk[] = "PK\3\4 not really a zip at all";
	struct vet_xlsx *x;
	struct vet_error e;
	char buf[16384];
	size_t n, cut;
	FILE *f = open_wb(WB "cells.xlsx");

	n = fread(buf, 1, sizeof buf, f);
	fclose(f);
	/* Every cut of a real workbook fails cleanly (or reads, when the
	 * cut leaves a readable zip: never for these). */
	for (cut = 0; cut < n; cut += 97) {
		f = fmemopen(buf, cut, "rb");
		cr_assert_not_null(f);
		cr_assert_lt(vet_xlsx_open(&x, f, 1 << 20, &e), 0);
		fclose(f);
	}
	f = fmemopen((void *)junk, sizeof junk - 1, "rb");
	cr_assert_eq(vet_xlsx_open(&x, f, 1 << 20, &e), VET_EDATA);
	cr_assert_null(x);
	fclose(f);
}

Test(sheet, date_serials)
{
	struct vet_buf b = VET_BUF_INIT;

	vet_sheet_date(&b, 45286, VET_SHEET_1900, 0);
	cr_assert_str_eq(vet_buf_str(&b), "2023-12-26");
	vet_buf_reset(&b);
	vet_sheet_date(&b, 43824, VET_SHEET_1904, 0);
	cr_assert_str_eq(vet_buf_str(&b), "2023-12-26");
	vet_buf_reset(&b);
	vet_sheet_date(&b, 0.5, VET_SHEET_1900, 1);
	cr_assert_str_eq(vet_buf_str(&b), "12:00:00");
	vet_buf_reset(&b);
	vet_sheet_date(&b, 45286 + 31.0 / 86400, VET_SHEET_1900, 0);
	cr_assert_str_eq(vet_buf_str(&b), "2023-12-26 00:00:31");
	vet_buf_reset(&b);
	vet_sheet_date(&b, 0, VET_SHEET_1900, 0);
	cr_assert_str_eq(vet_buf_str(&b), "1900-01-00");
	vet_buf_reset(&b);
	vet_sheet_date(&b, -1, VET_SHEET_1900, 0);
	cr_assert_str_eq(vet_buf_str(&b), "-1");
	vet_buf_reset(&b);
	vet_sheet_date(&b, 2958465, VET_SHEET_1900, 0);
	cr_assert_str_eq(vet_buf_str(&b), "9999-12-31");
	vet_buf_reset(&b);
	vet_sheet_date(&b, 1e300, VET_SHEET_1900, 0);
	cr_assert_str_eq(vet_buf_str(&b), "1e+300");
	vet_buf_release(&b);
}

/* To the nearest second, half up; 23:59:59.5 is the next day. */
Test(sheet, date_seconds_rounded)
{
	static const struct {
		double v;
		const char *want;
	} t[] = {
		{ 45286 + 31.4 / 86400, "2023-12-26 00:00:31" },
		{ 45286 + 31.5 / 86400, "2023-12-26 00:00:32" },
		{ 45286 + 0.49 / 86400, "2023-12-26" },
		{ 45286 + 86399.4 / 86400, "2023-12-26 23:59:59" },
		{ 45286 + 86399.5 / 86400, "2023-12-27" },
		{ 0.75, "18:00:00" },
	};
	struct vet_buf b = VET_BUF_INIT;
	size_t i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		vet_buf_reset(&b);
		vet_sheet_date(&b, t[i].v, VET_SHEET_1900, t[i].v < 1);
		cr_assert_str_eq(vet_buf_str(&b), t[i].want, "%.17g", t[i].v);
	}
	vet_buf_release(&b);
}

Test(sheet, numbers_as_excel_shows_them)
{
	struct vet_buf b = VET_BUF_INIT;

	vet_sheet_number(&b, 13800138000.0);
	cr_assert_str_eq(vet_buf_str(&b), "13800138000");
	vet_buf_reset(&b);
	vet_sheet_number(&b, 110105851023123.0);
	cr_assert_str_eq(vet_buf_str(&b), "110105851023123");
	vet_buf_reset(&b);
	vet_sheet_number(&b, 0.1 + 0.2);
	cr_assert_str_eq(vet_buf_str(&b), "0.3");
	vet_buf_reset(&b);
	vet_sheet_number(&b, -0.0);
	cr_assert_str_eq(vet_buf_str(&b), "0");
	vet_buf_release(&b);
}

Test(sheet, date_formats)
{
	int t;

	cr_assert(vet_sheet_is_date_format(14, NULL, 0, &t) && !t);
	cr_assert(vet_sheet_is_date_format(21, NULL, 0, &t) && t);
	cr_assert(vet_sheet_is_date_format(31, NULL, 0, &t));
	cr_assert(vet_sheet_is_date_format(57, NULL, 0, &t));
	cr_assert(!vet_sheet_is_date_format(0, NULL, 0, &t));
	cr_assert(!vet_sheet_is_date_format(49, NULL, 0, &t));
#define CODE(s) 200, s, strlen(s), &t
	cr_assert(vet_sheet_is_date_format(CODE("yyyy\"年\"m\"月\"d\"日\"")));
	cr_assert(vet_sheet_is_date_format(CODE("[$-804]YYYY/MM/DD")));
	cr_assert(vet_sheet_is_date_format(CODE("h:mm")) && t);
	cr_assert(!vet_sheet_is_date_format(CODE("\"第\"0\"号\"")));
	cr_assert(!vet_sheet_is_date_format(CODE("[Red]0.00;[Blue]\\-0.00")));
	cr_assert(!vet_sheet_is_date_format(CODE("0.00E+00")));
	cr_assert(!vet_sheet_is_date_format(CODE("#,##0 \\d")));
	cr_assert(!vet_sheet_is_date_format(CODE("General")));
	cr_assert(!vet_sheet_is_date_format(CODE("0_m;0")));
#undef CODE
}
