/*
 * export.h - vet-export (SPEC 3, 导出表格): JSON Lines records of any kind
 * (veterans, classified veterans, jobs, events, findings, recommendations,
 * diffs, rejects) as a sheet a person opens: an xlsx workbook or a CSV file
 * for Excel and WPS, with Chinese headers and labels taken from the
 * mapping that vet-intake reads (mapping.h) and from the policy, so that
 * what vet-export writes vet-intake reads back to the same record.
 *
 * Ownership: vet_export_new() allocates a struct vet_export that the
 * caller frees with vet_export_free().  The options' strings and the
 * policy are borrowed and must outlive it.  Records passed to
 * vet_export_add() are read during the call; the first ones (which choose
 * the columns, below) are copied until the columns are known.  Output goes
 * to the caller's sink (io.h vet_sink_fn) as it is made: CSV row by row, a
 * workbook once, whole, by vet_export_finish().
 *
 * Columns: --fields, or else the fields of the first
 * VET_EXPORT_SAMPLE records (or 16 MiB of them): the fields the mapping
 * of the kind knows, in its order, then the others in the order they
 * first appear.  A later record with a field that is not a column is
 * refused (VET_EDATA), never cut short silently.
 *
 * Memory: constant in the number of records.  A workbook is written in
 * libxlsxwriter's constant_memory mode (a row goes to a temporary file when
 * the next begins); CSV rows go straight to the sink.  A sheet holds at
 * most 1 048 575 rows under its header; the next row starts another sheet
 * (vet_export_stats() names them).
 *
 * Privacy: ids and phones are masked (vet_mask_id, vet_mask_phone), and
 * every other text passes through vet_mask_text(), unless unmask is set.
 */
#ifndef VET_EXPORT_H
#define VET_EXPORT_H

#include <stddef.h>

#include "vet/date.h"
#include "vet/error.h"
#include "vet/io.h"
#include "vet/record.h"

struct vet_policy;

#define VET_EXPORT_SAMPLE 1000

enum vet_export_format {
	VET_EXPORT_XLSX,
	VET_EXPORT_CSV
};

enum vet_export_kind {
	VET_EXPORT_AUTO,	/* from the first record */
	VET_EXPORT_VETERAN,	/* veterans, classified or not; extracts */
	VET_EXPORT_JOB,
	VET_EXPORT_EVENT,
	VET_EXPORT_FINDING,	/* vet-audit */
	VET_EXPORT_RECOMMENDATION,	/* vet-match */
	VET_EXPORT_DIFF,	/* vet-reconcile --diff */
	VET_EXPORT_REJECT	/* any tool's --rejects */
};

struct vet_export_opts {
	enum vet_export_format format;
	enum vet_export_kind kind;
	const char *lang;	/* "zh" (NULL) or "en": field names, codes */
	int unmask;		/* ids and phones in full */
	const char *fields;	/* comma-separated columns, or NULL */
	int bom;		/* csv: the UTF-8 byte-order mark */
	const char *header_file;	/* rejects of a CSV: its header row
					 * from this file, not from source */
	const struct vet_policy *policy;	/* labels of codes */
	vet_day created;	/* the workbook's creation date */
};

struct vet_export;

/*
 * kind names: "veteran", "job", "event", "finding", "recommendation",
 * "diff", "reject" (and "auto").  0 and *out, or VET_EUSAGE.
 */
int vet_export_kind_parse(const char *s, enum vet_export_kind *out);
const char *vet_export_kind_name(enum vet_export_kind k);

/*
 * 0; VET_EUSAGE (a bad --fields list, with the message); VET_EIO (no
 * temporary file for a workbook); VET_ENOMEM.
 */
int vet_export_new(struct vet_export **xp, const struct vet_export_opts *o,
    vet_sink_fn sink, void *ctx, struct vet_error *err);
void vet_export_free(struct vet_export *x);

/*
 * Takes record r, parsed from [line, line + n).  Returns 0; VET_EDATA with
 * a message when the record is refused (a field that is not a column; a
 * reject whose row cannot be shown: no header for it, another source's
 * header, bytes that are no text); VET_ENOENT / VET_EIO when the header
 * file of a rejects file cannot be read; VET_ENOMEM; or the sink's status.
 */
int vet_export_add(struct vet_export *x, const struct vet_record *r,
    const char *line, size_t n, struct vet_error *err);

/*
 * Writes what is held and, for xlsx, the workbook.  0, VET_EIO (the
 * workbook could not be written: a full disk), VET_ENOMEM or the sink's
 * status.  Call once; then only vet_export_free().
 */
int vet_export_finish(struct vet_export *x, struct vet_error *err);

struct vet_export_stats {
	enum vet_export_kind kind;	/* as detected */
	long long rows;			/* data rows written */
	long long cut;			/* cells cut to the xlsx limit */
	size_t nsheets;
	const char *sheet[16];		/* the first sheets' names */
	int fields_ignored;		/* --fields on a rejects file */
};

void vet_export_stats(const struct vet_export *x,
    struct vet_export_stats *st);

#endif
