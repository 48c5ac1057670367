/*
 * xlsxout.h - what the workbook writers (vet-report --format xlsx,
 * vet-export, vet-plan --format xlsx) share around libxlsxwriter: a
 * workbook built in a private temporary file and handed to the caller's
 * sink when it is complete, so that the caller's output (-o FILE, a pipe)
 * stays complete or absent like every other output of the toolkit; the
 * column width of a text; the common formats, sheet names, A4 print setup
 * and cell text cut to Excel's limit.
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

struct lxw_format;
struct lxw_workbook;
struct lxw_worksheet;
struct vet_buf;

/* The limits of an Excel sheet (Office specifications). */
#define VET_XLSXOUT_MAX_ROWS 1048576
#define VET_XLSXOUT_MAX_COLS 16384
#define VET_XLSXOUT_MAX_CELL 32767	/* characters (UTF-16 units) of a cell */
#define VET_XLSXOUT_MARK 12	/* units kept for the mark of a cut cell */

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
 * Returns 0, VET_EIO (no temporary file), VET_ENOMEM, or VET_EINTERNAL
 * when libxlsxwriter, loaded here on first use, cannot be found.
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

/*
 * The formats the workbooks of the toolkit share, so that a header row or
 * a date looks the same in every tool's sheet.  They belong to the
 * workbook; one that is never used is not written (libxlsxwriter numbers
 * formats as cells first use them).
 */
struct vet_xlsxout_fmt {
	struct lxw_format *title;	/* a sheet's first row: bold, 14 pt */
	struct lxw_format *sub;		/* a caption or a group's row: bold */
	struct lxw_format *head;	/* a column header: bold, grey, boxed */
	struct lxw_format *headwrap;	/* the same, centred, wrapped */
	struct lxw_format *date;	/* a date cell: yyyy-mm-dd */
	struct lxw_format *wrap;	/* text on several lines, at the top */
};

/* Adds the shared formats to w's workbook.  0 or VET_ENOMEM. */
int vet_xlsxout_formats(struct vet_xlsxout *w, struct vet_xlsxout_fmt *f,
    struct vet_error *err);

/*
 * A worksheet named after the UTF-8 text [s, s + n): the characters Excel
 * forbids in a sheet name ([]:*?/\) become '_', a leading or trailing
 * apostrophe is dropped, the name is cut to Excel's 31 characters and, when
 * the workbook has that name already, made unique with " (2)", " (3)"...
 * An empty name becomes "-".  NULL when libxlsxwriter cannot add it (out
 * of memory, or of files in constant-memory mode).
 */
struct lxw_worksheet *vet_xlsxout_add_sheet(struct vet_xlsxout *w,
    const char *s, size_t n);

/*
 * Print setup for A4: landscape or portrait, every column on one page
 * wide (as many pages down as it takes), a page header with left and
 * right (either may be NULL; '&' doubled, since it starts a code there;
 * left out when the header would be longer than Excel takes) and the
 * page number over the count in the footer.  tmp is scratch.
 * 0 or VET_ENOMEM.
 */
int vet_xlsxout_print_a4(struct lxw_worksheet *ws, int landscape,
    const char *left, const char *right, struct vet_buf *tmp);

/*
 * UTF-16 units of the UTF-8 text [s, s + n): what Excel's cell limit
 * counts.  *cut is the length of the longest prefix of whole characters
 * within max units (n when all of it is).
 */
size_t vet_xlsxout_units(const char *s, size_t n, size_t max, size_t *cut);

/*
 * [s, s + n) as a cell's NUL-terminated text in tmp (reset first): whole,
 * or, when longer than a cell holds, cut at a character and ended with
 * mark (which says it was cut; at most VET_XLSXOUT_MARK units).  Returns 0 whole, 1 cut, or VET_ENOMEM.
 */
int vet_xlsxout_cell_text(struct vet_buf *tmp, const char *s, size_t n,
    const char *mark);

#endif
