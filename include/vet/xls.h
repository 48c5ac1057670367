/*
 * xls.h - BIFF8 workbooks (.xls, as older Excel and WPS write them) read
 * row by row through libfreexl, with the rows of sheet.h and the rules of
 * xlsx.h: cells by column, numbers as Excel's General format shows them,
 * dates (freexl tells them by their format) as YYYY-MM-DD.
 *
 * Ownership: vet_xls_open() allocates the reader and vet_xls_close() frees
 * it.  freexl reads the file by name and holds the workbook in memory (an
 * .xls sheet has at most 65536 rows of 256 cells, so it is bounded); the
 * file may be unlinked once open.  Sheet names and rows point into the
 * reader: names live until close, a row until the next call.
 *
 * freexl 1.0.6 reads out of bounds on crafted files, so it runs in a child
 * process (fork, no exec) with its memory, CPU time and core dumps
 * bounded; the reader here checks every cell it sends (xls.c).  The child
 * is the caller's for the reader's life: vet_xls_close() reaps it.  A
 * reader that crashed, exceeded a limit or sent what is not a row fails
 * with "damaged or hostile .xls (its reader failed)" (VET_EDATA), a broken
 * channel to it with VET_EIO; vet_xls_failed() tells these from the
 * errors of a file it could read, as they end the run.
 *
 * What freexl 1.0 does not tell: whether a sheet is hidden (every sheet
 * counts as visible), merged ranges (their other cells are empty in the
 * file anyway) and booleans (given as numbers 1 and 0).
 *
 * An OLE2 file that is an encrypted .xlsx (an "EncryptedPackage" stream)
 * or an .xls with a FILEPASS record is refused with "workbook is
 * password-protected".
 */
#ifndef VET_XLS_H
#define VET_XLS_H

#include <stddef.h>

#include "vet/error.h"
#include "vet/sheet.h"

struct vet_xls;

/*
 * Opens the workbook at path.  max_row bounds one row's text.  0,
 * VET_EDATA (not BIFF8, damaged, encrypted: err says so), VET_ENOMEM, or
 * VET_EINTERNAL when libfreexl cannot be loaded (dl.h); *x is NULL on
 * failure.
 */
int vet_xls_open(struct vet_xls **x, const char *path, size_t max_row,
    struct vet_error *err);
void vet_xls_close(struct vet_xls *x);

size_t vet_xls_nsheets(const struct vet_xls *x);
const char *vet_xls_sheet_name(const struct vet_xls *x, size_t i);

/* Starts reading sheet i.  0 or VET_EDATA. */
int vet_xls_sheet_open(struct vet_xls *x, size_t i, struct vet_error *err);

/* The next row that has a cell: 1 and *row, 0 at the end, VET_EDATA or
 * VET_ENOMEM. */
int vet_xls_next(struct vet_xls *x, struct vet_sheet_row *row,
    struct vet_error *err);

/*
 * True when e (from any function here) is the failure of the reader
 * process or its channel, not of the workbook: whatever the reader sent
 * before cannot be trusted, and the run is to end without committing
 * anything.
 */
int vet_xls_failed(const struct vet_error *e);

#endif
