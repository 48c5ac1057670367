/*
 * xlsx.h - Office Open XML workbooks (.xlsx) read row by row (SPEC
 * vet-intake "Spreadsheets as they arrive"): the zip through minizip, each
 * XML part through expat's SAX parser, suspended at the end of every row,
 * so that a sheet is never held in memory: a 1 000 000-row sheet is read
 * in the memory of one row.
 *
 * Ownership: vet_xlsx_open() allocates the reader, which borrows the
 * caller's FILE (it must be seekable and outlive the reader) and owns
 * everything else until vet_xlsx_close().  Sheet names and a row's cells
 * point into the reader: names live until close, a row until the next call
 * on the reader.
 *
 * What is held whole: the sheet list, the styles' date flags (one byte per
 * cell format) and the shared strings, each once (VET_XLSX_MAX_SST bytes in
 * all: a workbook over it is refused, "shared strings over 256 MiB", and is
 * to be saved as CSV).  Cells are placed by their reference (C7), never by
 * their order; a merged range gives its value to its top-left cell only (a
 * spreadsheet program writes the other cells empty, and they are read as
 * they are).  Strings are shared, inline or rich text (the runs joined,
 * phonetic runs left out); numbers are written as Excel's General format
 * shows them and dates (a number with a date format) as YYYY-MM-DD from the
 * workbook's date system; booleans as TRUE and FALSE; a formula by its
 * cached value.
 *
 * Bad input: a damaged or truncated zip, a part that fails its CRC, a part
 * that inflates beyond VET_XLSX_MAX_PART bytes, or past
 * VET_XLSX_RATIO_FROM bytes to more than VET_XLSX_MAX_RATIO times its
 * compressed size (a zip bomb: real sheets stay under 100), XML that is not well-formed, has a
 * DOCTYPE (no entity expansion at all, so no billion laughs), nests deeper
 * than VET_XLSX_MAX_DEPTH, or needs more than VET_XLSX_MAX_XML_MEM bytes of
 * parser memory: VET_EDATA with a message, the rows before it kept.  A bad
 * cell (a shared string index out of range, a reference outside XFD1048576)
 * makes only its row bad (struct vet_sheet_row .bad).  An encrypted
 * workbook is an OLE2 file, not a zip: see xls.h.
 */
#ifndef VET_XLSX_H
#define VET_XLSX_H

#include <stddef.h>
#include <stdio.h>

#include "vet/error.h"
#include "vet/sheet.h"

#define VET_XLSX_MAX_SST ((size_t)256 << 20)
#define VET_XLSX_MAX_PART ((unsigned long long)8 << 30)
#define VET_XLSX_MAX_RATIO 250
#define VET_XLSX_RATIO_FROM ((unsigned long long)16 << 20)
#define VET_XLSX_MAX_DEPTH 64
#define VET_XLSX_MAX_XML_MEM ((size_t)64 << 20)

struct vet_xlsx;

/*
 * Reads the workbook's structure from f: the sheet list, the date system,
 * the styles and the shared strings.  max_row bounds the text of one row
 * (a longer row is bad, its text cut).  0, VET_EDATA (not a workbook, or
 * damaged: err says how), VET_ENOMEM, or VET_EINTERNAL when minizip or
 * expat cannot be loaded (dl.h); *x is NULL on failure.
 */
int vet_xlsx_open(struct vet_xlsx **x, FILE *f, size_t max_row,
    struct vet_error *err);
void vet_xlsx_close(struct vet_xlsx *x);

/* The sheets in workbook order: count, name, and whether hidden (hidden
 * or veryHidden). */
size_t vet_xlsx_nsheets(const struct vet_xlsx *x);
const char *vet_xlsx_sheet_name(const struct vet_xlsx *x, size_t i);
int vet_xlsx_sheet_hidden(const struct vet_xlsx *x, size_t i);
enum vet_sheet_epoch vet_xlsx_epoch(const struct vet_xlsx *x);

/* Starts reading sheet i (closing the one being read).  0, VET_EDATA or
 * VET_ENOMEM. */
int vet_xlsx_sheet_open(struct vet_xlsx *x, size_t i, struct vet_error *err);

/*
 * The next row of the open sheet that has a cell: 1 and *row; 0 at the
 * end of the sheet; VET_EDATA (the sheet is damaged: err says how, no row
 * follows) or VET_ENOMEM.
 */
int vet_xlsx_next(struct vet_xlsx *x, struct vet_sheet_row *row,
    struct vet_error *err);

#endif
