/*
 * sheet.h - what the workbook readers (xlsx.h, xls.h) hand out: a row of a
 * spreadsheet as cell texts placed by column, with what each cell was
 * (text, number, date, ...); and the conversions they share: a date serial
 * in the workbook's date system to text, a number to the text Excel shows
 * in the General format, and whether a number format shows a date.
 *
 * Ownership: a struct vet_sheet_row is filled by a reader and points into
 * the reader's buffers, valid until its next call.  The functions here work
 * on caller memory and allocate nothing.
 */
#ifndef VET_SHEET_H
#define VET_SHEET_H

#include <stddef.h>

#include "vet/buf.h"

/* What a cell held, before it became text. */
enum vet_cell_kind {
	VET_CELL_EMPTY,
	VET_CELL_TEXT,		/* a shared, inline or formula string */
	VET_CELL_NUMBER,	/* a number shown as a number */
	VET_CELL_DATE,		/* a number with a date or time format */
	VET_CELL_BOOL,		/* given as TRUE or FALSE, as a CSV export has it */
	VET_CELL_ERROR		/* #N/A and friends, given as their text */
};

/* Columns of a row, at most: Excel's XFD. */
#define VET_SHEET_MAX_COLS 16384
/* Rows of a sheet, at most: Excel's 1048576. */
#define VET_SHEET_MAX_ROWS 1048576L

struct vet_sheet_row {
	long line;		/* the row number, 1-based, as the sheet has it */
	const struct vet_span *cells;	/* n cells, column A first; a gap
					 * the sheet left is an empty span */
	const unsigned char *kind;	/* enum vet_cell_kind of each cell */
	size_t n;
	/*
	 * NULL, or why the row cannot be trusted (a shared string out of
	 * range, a reference outside the sheet, a row too long): the row
	 * is to be rejected with it, its cells kept as far as they came.
	 */
	const char *bad;
};

/* The workbook's date systems: serial 1 is 1900-01-01 or 1904-01-02. */
enum vet_sheet_epoch {
	VET_SHEET_1900,
	VET_SHEET_1904
};

/*
 * Appends the text of date serial v: "YYYY-MM-DD", with " HH:MM" (or
 * ":SS" too) when v has a time of day; a time alone (0 <= v < 1 with a time
 * format, time_only) is "HH:MM:SS".  In the 1900 system serial 60 is
 * Excel's fictitious 1900-02-29 and 0 its 1900-01-00: they are written so,
 * for the date check to refuse.  A serial outside years 1900..9999 is
 * written as a number.  0 or VET_ENOMEM.
 */
int vet_sheet_date(struct vet_buf *out, double v, enum vet_sheet_epoch e,
    int time_only);

/*
 * Appends v as Excel's General format shows a number that fits: an integer
 * below 10^15 in full, anything else with 15 significant digits.  0 or
 * VET_ENOMEM.
 */
int vet_sheet_number(struct vet_buf *out, double v);

/*
 * True when a number format shows a date or time: the built-in ids 14-22,
 * 27-36, 45-47 and 50-58, or a format code (code may be NULL for a built-in
 * id) with y, m or d (any case) outside quotes, brackets and escapes
 * (SPEC vet-intake).  *time_only is set when it shows no y and no d
 * (h:mm, the built-in times 18-21 and 45-47).
 */
int vet_sheet_is_date_format(int id, const char *code, size_t n,
    int *time_only);

#endif
