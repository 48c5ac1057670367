/*
 * xlsxout.h - what the workbook writers (vet-report --format xlsx, vet-export)
 * share around libxlsxwriter: a workbook built in a private temporary file
 * and handed to the caller's sink when it is complete, so that the caller's
 * output (-o FILE, a pipe) stays complete or absent like every other output
 * of the toolkit; and the column width of a text.
 *
 * Ownership: struct vet_xlsxout is caller storage.  vet_xlsxout_open() creates
 * the workbook and its temporary file; vet_xlsxout_close() or
 * vet_xlsxout_discard() frees the workbook and removes the file, whatever
 * happens.  Worksheets and formats belong to the workbook.
 *
 * The temporary files (the workbook, and in constant-memory mode one per
 * worksheet) are made under $TMPDIR, or /tmp, with mode 0600: an export
 * with --unmask holds full ids there until it ends.
 */
#ifndef VET_XLSXOUT_H
#define VET_XLSXOUT_H

#include <stddef.h>

#include "vet/date.h"
#include "vet/error.h"
#include "vet/io.h"

struct lxw_workbook;

/* The limits of an Excel sheet (Office specifications). */
#define VET_XLSXOUT_MAX_ROWS 1048576
#define VET_XLSXOUT_MAX_COLS 16384
#define VET_XLSXOUT_MAX_CELL 32767	/* characters (UTF-16 units) of a cell */

struct vet_xlsxout {
	struct lxw_workbook *wb;
	char path[4096];	/* the temporary workbook */
	char dir[4000];
};

/*
 * Creates a workbook.  constant_memory: rows go to disk as they are
 * written (rows must then come in order, and no cell is rewritten).
 * created: the day written as the file's creation date, so that the same
 * input gives the same bytes (not today).  title: the document title.
 * Returns 0, VET_EIO (no temporary file) or VET_ENOMEM.
 */
int vet_xlsxout_open(struct vet_xlsxout *w, int constant_memory, vet_day created,
    const char *title, struct vet_error *err);

/*
 * Finishes the workbook and passes its bytes to sink in chunks, then
 * removes the temporary file.  Returns 0; VET_EIO when the workbook could
 * not be written (a full disk) or read back; or the sink's negative status.
 */
int vet_xlsxout_close(struct vet_xlsxout *w, vet_sink_fn sink, void *ctx,
    struct vet_error *err);

/* Drops the workbook unwritten and removes its temporary file. */
void vet_xlsxout_discard(struct vet_xlsxout *w);

/*
 * The column width that shows text [s, s + n) whole: a CJK or full-width
 * character counts 2, others 1 (vet_report_width), plus a margin, at most
 * a readable maximum.
 */
double vet_xlsxout_width(const char *s, size_t n);

/* A sink that appends to the struct vet_buf ctx. */
int vet_xlsxout_sink_buf(void *ctx, const char *p, size_t n);

#endif
