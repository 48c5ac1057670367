/*
 * intake_impl.h - the input loop's internals, shared by its files, the
 * command-line layer of the intake (HACKING): lib/intake_cli.c (the loop,
 * CSV and JSON Lines), lib/intake_cli_par.c (--threads),
 * lib/intake_cli_dedupe.c (--dedupe) and lib/intake_cli_sheet.c
 * (workbooks); and the helpers lib/intake.c (rows to records) shares
 * with lib/intake_header.c (the header row).  Not a public header.
 */
#ifndef VET_INTAKE_IMPL_H
#define VET_INTAKE_IMPL_H

#include <stddef.h>

#include "vet/buf.h"
#include "vet/csv.h"
#include "vet/encoding.h"
#include "vet/intake.h"

struct vet_input;

/* ---- intake.c, for intake_header.c ------------------------------------ */

/* colfield of a column that is read but kept nowhere (the 问题 column). */
#define VET_INTAKE__COL_IGNORED (-2)

/* Cell s, n quoted for a message (in t->tmp2): cut on a character
 * boundary, ids and phones in it masked. */
const char *vet_intake__quote(struct vet_intake *t, const char *s, size_t n);

/* Notes s, n as a column name without a mapping, once (up to
 * VET_INTAKE_MAX_UNKNOWN).  0 or VET_ENOMEM. */
int vet_intake__note_unknown(struct vet_intake *t, const char *s, size_t n);

/* The cells of a row that map to known fields, for the header search. */
int vet_intake__header_score(const struct vet_intake *t,
    const struct vet_span *cells, size_t n);

/*
 * Reads a workbook (ole: an OLE2 file, else a zip) whose bytes come from
 * rd(ctx), the peeked ones first.  Like vet_intake_run_input().
 */
int vet_intake__workbook(struct vet_intake_run *r, struct vet_input *in,
    int ole, vet_csv_read_fn rd, void *ctx, struct vet_error *err);

/* Starts the worker threads when asked for and not yet started.  0 or
 * VET_ENOMEM. */
int vet_intake__start(struct vet_intake_run *r, struct vet_error *err);

/*
 * Takes a header row (every intake), telling its problems through cli.
 * 0 or VET_ENOMEM.
 */
int vet_intake__header(struct vet_intake_run *r, const struct vet_span *cells,
    size_t n, struct vet_error *err);

/*
 * Takes a data row (row->fields, row->n; its raw text, line) through the
 * intake, or queues it for the workers: counted, written or rejected in
 * input order.  0 or a status that ends the run.
 */
int vet_intake__take(struct vet_intake_run *r, const struct vet_csv_row *row,
    struct vet_error *err);

/* Writes everything taken so far, before a write of the caller's own. */
int vet_intake__flush(struct vet_intake_run *r, struct vet_error *err);

/* ---- intake_cli.c, for the other parts ----------------------------- */

/* Writes the records held in r->out. */
void vet_intake__flush_out(struct vet_intake_run *r);

/* The record at start in r->out (raw: its input) is written, handed to
 * the sink or spilled for --dedupe.  0 or a status that ends the run. */
int vet_intake__emit(struct vet_intake_run *r, const char *raw, size_t rawn,
    size_t start, struct vet_error *err);

/* Rejects a record of the input being read with its k reasons errs
 * (SPEC 3, --rejects: GBK rows as readable UTF-8 where they round-trip). */
void vet_intake__reject(struct vet_intake_run *r, const char *raw, size_t n,
    const char *const *errs, size_t k);

/*
 * Tells once, on standard error, the columns intake t noted from *cursor
 * up to upto that were not told before (full: it noted no more past
 * VET_INTAKE_MAX_UNKNOWN); *cursor becomes upto.
 */
void vet_intake__tell_unknown(struct vet_intake_run *r,
    const struct vet_intake *t, size_t *cursor, size_t upto, int full);

/* ---- intake_cli_par.c: --threads ------------------------------------ */

/* How vet_intake__par_add() takes a row. */
enum {
	ROW_UTF8 = 1,		/* check the raw text as UTF-8 first */
	ROW_JSON = 2,		/* a JSON Lines line, not CSV cells */
	ROW_SPLIT = 4,		/* cells to split from the raw text: it holds
				 * no quote (vet_csv.lazy) */
	ROW_DECODE = 8		/* with ROW_SPLIT: decode the raw text to
				 * UTF-8 first (GBK, GB18030) */
};

/* Sets up r->threads - 1 workers (fewer when threads cannot be had).
 * 0 or VET_ENOMEM. */
int vet_intake__par_init(struct vet_intake_run *r);
/* Stops the workers and frees r->par. */
void vet_intake__par_free(struct vet_intake_run *r);
/* True when workers run: rows go to vet_intake__par_add(). */
int vet_intake__par_on(const struct vet_intake_run *r);
/* A new input (delim as vet_csv_init() takes it, text in enc, dec the
 * calling thread's decoder): each worker opens a decoder of its own.  0 or
 * the status of a decoder that cannot be opened. */
int vet_intake__par_input(struct vet_intake_run *r, int delim,
    enum vet_encoding enc, struct vet_decoder *dec, struct vet_error *err);
/* The header row goes to every worker's intake too.  0 or VET_ENOMEM. */
int vet_intake__par_header(struct vet_intake_run *r,
    const struct vet_span *cells, size_t n);
/* Queues row (cells, or none with ROW_SPLIT) with flags ROW_*.  0 or a
 * status that ends the run. */
int vet_intake__par_add(struct vet_intake_run *r,
    const struct vet_csv_row *row,
    const struct vet_span *cells, size_t ncells, int flags,
    struct vet_error *err);
/* Writes every batch queued, in order.  0 or a status that ends the run
 * (the queue then discarded). */
int vet_intake__par_flush(struct vet_intake_run *r, struct vet_error *err);
/* After a failure: waits for the workers and drops what they did. */
void vet_intake__par_discard(struct vet_intake_run *r);

/* ---- intake_cli_dedupe.c: --dedupe ---------------------------------- */

/* Makes r->dd, its spill file and table.  0, VET_ENOMEM or VET_EIO. */
int vet_intake__dedupe_new(struct vet_intake_run *r, struct vet_error *err);
void vet_intake__dedupe_free(struct vet_intake_run *r);
/* Spills record out (raw: its input) and notes it as the one to keep
 * of its id when it is.  0, VET_ENOMEM or VET_EIO. */
int vet_intake__dedupe_add(struct vet_intake_run *r, const char *out,
    size_t outn, const char *raw, size_t rawn, struct vet_error *err);

#endif
