/*
 * csv.h - a streaming RFC 4180 reader for CSV and TSV exports, and a line
 * reader for JSON Lines, over any byte source.
 *
 * Ownership: struct vet_csv is caller storage set up by vet_csv_init() and
 * freed by vet_csv_release(); it owns its input buffer and the arrays the
 * rows point into.  A struct vet_csv_row returned by vet_csv_next() points
 * into the reader and is valid until the next call on it.  The byte source
 * (read function and its context) belongs to the caller.
 *
 * The reader works on bytes, before any decoding: the bytes that structure
 * CSV (delimiter, '"', CR, LF) never occur inside a multi-byte character of
 * UTF-8 or GB18030, so records can be split first and decoded afterwards,
 * and a rejected record is handed back exactly as it was in the file.
 *
 * What it accepts: quoted fields with embedded delimiters, newlines and
 * doubled quotes; LF or CRLF line ends; a UTF-8 byte-order mark at the start
 * (skipped); a final record without a line end; a '"' inside an unquoted
 * field (kept as it is).  What it refuses, each as one bad row that names
 * the record's first line and leaves the records after it alone:
 *   - a NUL byte ("NUL byte in field N"); the record is read to its end;
 *   - an unterminated quote ("unterminated quote in field N"): a quoted
 *     field still open at the end of the data, after max_quoted_lines line
 *     ends, or when the record grows past max_record, or closed by a quote
 *     that is followed by something other than a delimiter or line end on a
 *     later line.  The bad row is the record's text up to the end of the
 *     line where that quote opened, and reading resumes on the next line;
 *   - text after a closing quote on the same line ("unexpected text after
 *     closing quote in field N"): the bad row runs to the end of that line;
 *   - a record longer than max_record outside quotes ("record longer than
 *     --max-record (N bytes)"): it is never held in memory whole; the row's
 *     raw text is only its first max_record bytes (row->cut is set), and
 *     vet_csv_rest() hands out the rest in pieces, or the next
 *     vet_csv_next() skips it to its line end.
 * Field counts are not checked here: that is the caller's header logic.
 */
#ifndef VET_CSV_H
#define VET_CSV_H

#include <stddef.h>

#include "vet/buf.h"
#include "vet/error.h"

/*
 * A byte source: reads up to n bytes into p; returns the count, 0 at the
 * end, or a negative status with err filled.  vet_input_read() fits.
 */
typedef long (*vet_csv_read_fn)(void *ctx, void *p, size_t n,
    struct vet_error *err);

/* The delimiter of a format; VET_CSV_LINES makes each line one field. */
#define VET_CSV_LINES 0

#define VET_CSV_MAX_QUOTED_LINES 1000

/* Return values of vet_csv_next() besides the negative statuses. */
enum {
	VET_CSV_EOF = 0,
	VET_CSV_ROW = 1,
	VET_CSV_BAD = 2
};

struct vet_csv_row {
	struct vet_span *fields;	/* decoded cells: quotes removed */
	size_t n;
	struct vet_span raw;	/* the record's bytes, line end excluded */
	long line;		/* first physical line, 1-based */
	long nlines;		/* physical lines it spans */
	long long offset;	/* byte offset of raw in the stream */
	int has_high;		/* raw holds a byte >= 0x80 (see no_high) */
	int lazy;		/* not split: see vet_csv.lazy */
	int cut;		/* raw is only the start of an over-long
				 * record: see vet_csv_rest() */
};

struct vet_csv_cell {		/* private: a cell whose text is in unq */
	size_t idx;		/* its place in the row */
	size_t off;		/* its offset in unq */
};

struct vet_csv {
	vet_csv_read_fn read;
	void *ctx;
	int delim;		/* ',', '\t' or VET_CSV_LINES */
	size_t max_record;
	long max_quoted_lines;
	/* Set by the caller after vet_csv_init() when it needs no
	 * row->has_high (it checks UTF-8 itself): saves a pass over each
	 * row.  row->has_high is then 1. */
	int no_high;
	/*
	 * Set by the caller after vet_csv_init() to have a record that holds
	 * no quote and no NUL returned unsplit, as its line: row->lazy is
	 * then set, row->fields NULL and row->n 0, and splitting it at the
	 * delimiter (vet_csv_split(), or any split, since no quote can
	 * protect a delimiter) gives its cells.  The reader then only looks
	 * for the line end, which a thread that splits rows elsewhere wants.
	 */
	int lazy;
	/*
	 * Set by a test after vet_csv_init() to look for the bytes that end
	 * a cell one at a time, the portable way, instead of sixteen at a
	 * time: the rows must be the same (tests/fuzz/fuzz_csv.c).
	 */
	int scalar;

	/* private */
	char *buf;
	size_t cap, start, end;
	int eof;
	int started;
	long line;		/* line of buf[start] */
	long long offset;	/* stream offset of buf[start] */
	int skipping;		/* inside an over-long record */
	struct vet_buf unq;	/* cells that had doubled quotes */
	struct vet_csv_cell *cells;	/* the cells of the row in unq */
	size_t nunq, cellcap;
	struct vet_span *spans;	/* the row's cells */
	size_t ncells, spancap;
	/* bytes that end a run of plain text in an unquoted and in a quoted
	 * field: one table look-up a byte instead of four compares */
	unsigned char stop[256], qstop[256];
};

/*
 * Sets up a reader of records delimited by delim (',' or '\t', or
 * VET_CSV_LINES) from the source.  max_record 0 means
 * 64 MiB; max_quoted_lines 0 means VET_CSV_MAX_QUOTED_LINES.
 */
void vet_csv_init(struct vet_csv *c, vet_csv_read_fn read, void *ctx,
    int delim, size_t max_record, long max_quoted_lines);
void vet_csv_release(struct vet_csv *c);

/*
 * Reads the next record.  Returns VET_CSV_ROW with *row set;
 * VET_CSV_BAD with row->raw, row->line and row->offset set and err
 * holding the reason (err->line is the row's line); VET_CSV_EOF at the
 * end; or a negative status (the source's, or VET_ENOMEM) after which the
 * reader must not be used again.  A line that is empty (no bytes before its
 * line end) is returned as a row with raw.n == 0 and one empty field.
 */
int vet_csv_next(struct vet_csv *c, struct vet_csv_row *row,
    struct vet_error *err);

/*
 * After a bad row with row->cut set, the next piece of that over-long
 * record, up to its line end (excluded): returns 1 with *chunk set (valid
 * until the next call on the reader), 0 when the record has ended, or a
 * negative status of the source.  Without it, the next vet_csv_next()
 * skips the rest.  The CR of a CRLF that ends the record is left out.
 */
int vet_csv_rest(struct vet_csv *c, struct vet_span *chunk,
    struct vet_error *err);

/*
 * The bytes the reader holds but has not returned as a record: after
 * vet_csv_next() failed to read (a truncated gzip stream, an I/O error),
 * the start of the record the failure cut.  raw points into the reader,
 * valid until the next call; *line is its first line.  While an over-long
 * record is being skipped, raw is empty.
 */
void vet_csv_pending(const struct vet_csv *c, struct vet_span *raw,
    long *line, long long *offset);

/*
 * Splits one complete record held in memory (for instance after it was
 * decoded to UTF-8) into cells with the reader's delimiter, replacing
 * row->fields and row->n.  The cells point into p or into the reader, valid
 * until the next call.  Returns 0, VET_EDATA when p is not one well-formed
 * record (err says why), or VET_ENOMEM.
 */
int vet_csv_split(struct vet_csv *c, const char *p, size_t n,
    struct vet_csv_row *row, struct vet_error *err);

#endif
