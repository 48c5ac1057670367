/*
 * intake_impl.h - the input loop's internals, shared by lib/intake_run.c
 * (the loop, CSV and JSON Lines) and lib/intake_sheet.c (workbooks).  Not
 * a public header.
 */
#ifndef VET_INTAKE_IMPL_H
#define VET_INTAKE_IMPL_H

#include <stddef.h>

#include "vet/buf.h"
#include "vet/csv.h"
#include "vet/intake.h"

struct vet_input;

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

#endif
