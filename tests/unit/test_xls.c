/*
 * test_xls.c - the .xls reader (xls.h) on the BIFF8 workbooks that
 * LibreOffice made in tests/data/intake/workbooks (make.py there).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "vet/sheet.h"
#include "vet/xls.h"

#define WB VET_TEST_DATA "/intake/workbooks/"

Test(xls, ledger_as_libreoffice_wrote_it)
{
	struct vet_xls *x;
	struct vet_sheet_row r;
	struct vet_error e;
	int rc;

	cr_assert_eq(vet_xls_open(&x, WB "ledger.xls", 1 << 20, &e), 0, "%s",
	    e.msg);
	cr_assert_eq(vet_xls_nsheets(x), 3);
	cr_assert_str_eq(vet_xls_sheet_name(x, 1), "幸福社区");
	cr_assert_eq(vet_xls_sheet_open(x, 1, &e), 0);
	cr_assert_eq(vet_xls_next(x, &r, &e), 1);
	cr_assert_eq(r.line, 1);
	cr_assert_eq(r.n, 1);
	cr_assert_eq(vet_xls_next(x, &r, &e), 1);
	cr_assert_eq(r.line, 3, "the blank row 2 is not given");
	cr_assert_eq(r.kind[8], VET_CELL_DATE);
	cr_assert_eq(r.cells[8].n, 10);
	cr_assert_eq(memcmp(r.cells[8].p, "2026-09-30", 10), 0);
	cr_assert_eq(vet_xls_next(x, &r, &e), 1);	/* header */
	cr_assert_eq(vet_xls_next(x, &r, &e), 1);
	cr_assert_eq(r.line, 5);
	cr_assert_eq(memcmp(r.cells[3].p, "1993-01-30", 10), 0);
	cr_assert_eq(r.kind[4], VET_CELL_NUMBER);
	cr_assert_eq(r.cells[4].n, 11);
	cr_assert_eq(memcmp(r.cells[4].p, "15453836370", 11), 0);
	cr_assert_eq(vet_xls_next(x, &r, &e), 1);
	cr_assert_eq(r.kind[0], VET_CELL_NUMBER, "the id Excel kept as a "
	    "number");
	while ((rc = vet_xls_next(x, &r, &e)) > 0)
		;
	cr_assert_eq(rc, 0);
	cr_assert_eq(r.line, 8);
	vet_xls_close(x);
}

Test(xls, not_a_workbook)
{
	struct vet_xls *x;
	struct vet_error e;

	cr_assert_eq(vet_xls_open(&x, WB "ledger.xlsx", 1 << 20, &e),
	    VET_EDATA);
	cr_assert_null(x);
	cr_assert_eq(vet_xls_open(&x, WB "no-such.xls", 1 << 20, &e),
	    VET_EDATA);
}
