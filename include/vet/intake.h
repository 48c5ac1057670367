/*
 * intake.h - one raw row (header names and cell texts) or one JSON Lines
 * record in, one canonical record of a kind out (SPEC 2, SPEC 3
 * vet-intake), with every normalisation and every reason to reject.
 *
 * Ownership: struct vet_intake is caller storage, set up by
 * vet_intake_init() and freed by vet_intake_release().  It keeps pointers
 * to the mapping and the policy, which must outlive it, and owns the
 * buffers it reuses from record to record.  Output is appended to the
 * caller's buffer.  The error strings and unknown names it hands out live
 * until the next call that takes a record or a header.
 *
 * Normalisation, by field type (mapping.h): every cell is trimmed (ASCII
 * white space and U+3000) and an empty cell leaves the field absent, as
 * does a word for "unknown" (不详, 未知, 待核实, -, /, —: schema.h), except
 * that in a list column a word for "none" (无, 暂无, 没有, -, /) is the
 * empty list; ids,
 * phones, dates, booleans, numbers and enum values have full-width ASCII
 * folded first; ids go through vet_id_normalize() (spaces, lower-case x,
 * 15 -> 18 digits, check character, birth date); dates through
 * vet_date_parse_loose() and are written YYYY-MM-DD; booleans and enums
 * through the mapping's value maps; arrays are split on 、,;，；| and line
 * ends.  For veteran and extract records, sex and birth_date are derived
 * from the id when absent and must agree with it when present.  Strings
 * and unknown columns are kept as they are (trimmed), unknown columns
 * under their header text after the known fields.
 *
 * Kind raw maps headers through the map file only and keeps every cell,
 * empty ones too, as a string, in column order; raw JSON Lines records are
 * validated and written back compactly.
 */
#ifndef VET_INTAKE_H
#define VET_INTAKE_H

#include <stddef.h>
#include <stdint.h>

#include "vet/buf.h"
#include "vet/date.h"
#include "vet/encoding.h"
#include "vet/error.h"
#include "vet/hash.h"
#include "vet/mapping.h"
#include "vet/record.h"

struct vet_policy;
struct vet_cli;
struct vet_input;
struct vet_intake_memo;

#define VET_INTAKE_MAX_ERRORS 8
/* The schema's unknown and none words held, at most (schema.h). */
#define VET_INTAKE_MAX_WORDS 32
/* Unknown column and key names noted, at most: JSON Lines whose every
 * record has keys of its own must not grow memory or stderr. */
#define VET_INTAKE_MAX_UNKNOWN 1000

struct vet_intake_slot {	/* private */
	const char *ext;	/* JSON text in the input, or NULL: */
	size_t off, len;	/* JSON text in vals (or at ext) */
	const char *kext;	/* "key":value in the input, key canonical
				 * and the value at ext, or NULL */
	int set;
	int bad;
	uint32_t vcl[2];	/* the field's last two values in vc, + 1 */
};

struct vet_intake_jkey {	/* private; 16 bytes, 8 KiB the table */
	uint32_t off, len;	/* in jkeytext; len UINT32_MAX: empty */
	int32_t field;
	int canon;		/* the key is the field's own name */
};

struct vet_intake_vc {		/* private: a cell value already mapped */
	uint32_t hash;
	uint32_t field;		/* field + 1; 0: an empty entry */
	size_t off, len;	/* cell text in vctext */
	size_t joff, jlen;	/* its JSON text in vctext */
};

struct vet_intake {
	const struct vet_mapping *map;
	const struct vet_policy *policy;
	vet_day today;
	/*
	 * Set by the caller when every cell it passes to vet_intake_row() is
	 * known to be valid UTF-8 (checked or decoded already): strings are
	 * then escaped without checking it a second time.  When 0, invalid
	 * UTF-8 in a cell becomes U+FFFD in the output.
	 */
	int utf8_checked;
	/*
	 * Set by the caller to keep ids as they came (trimmed): not checked,
	 * normalised, upgraded, nor used to derive or check sex and birth
	 * date.  vet-reconcile reads a bureau's CSV extract so, because a
	 * mistyped id there is what its probable matches are for.
	 */
	int raw_id;

	/* private: the current header */
	long *colfield;		/* field of each column, -1 (kept under its
				 * header) or -2 (ignored: 问题) */
	size_t *colkey;		/* offset of the column's "key": text */
	size_t *colkeylen;
	size_t ncols, capcols;
	struct vet_buf keys;
	int header_bad;
	struct vet_buf header_msg;

	/* private: the record being built */
	int trust;		/* this record's text is valid UTF-8 */
	struct vet_intake_slot *slots;
	size_t nset, need;	/* slots set, and the bytes they will take */
	size_t *req;		/* the required fields, in order */
	size_t nreq;
	struct vet_buf vals, extra, tmp, tmp2, out_tmp;
	long f_id, f_sex, f_birth, f_last, f_type;
	char sex;
	vet_day birth;
	struct vet_record rec;
	struct vet_intake_jkey *jhash;	/* JSON key by text */
	size_t njhash;
	uint16_t *jnext;	/* slot in jhash of the key that followed the
				 * key in each slot (last: the first key) */
	size_t jprev;		/* slot of the key before, in this record */
	struct vet_buf jkeytext;
	struct vet_intake_vc *vc;	/* enum, bool, district values */
	size_t nvc, vccap;
	struct vet_buf vctext;
	/* Each column's last values and what they became (intake.c). */
	struct vet_intake_memo *memo;
	size_t nmemo;

	/* The schema's unknown and none words: a key of their first two
	 * bytes and the longest, so that most cells pass one look-up. */
	unsigned char wlead[256];
	size_t wmax;
	/* The words, with their lengths and kind (1 unknown, 2 none), so
	 * that a cell the key lets through costs no strlen() per word. */
	struct vet_intake_word {
		const char *w;
		size_t n;
		int kind;
	} words[VET_INTAKE_MAX_WORDS];
	size_t nwords;

	vet_day id_born;	/* the birth date in id, when id_has_born */
	int id_has_born;

	/* private: memory was refused while the record was built */
	int oom;
	/* private: slots may be set from a record not written */
	int dirty;

	/* private: errors of the record */
	struct vet_buf errtext;
	size_t erroff[VET_INTAKE_MAX_ERRORS];
	const char *errs[VET_INTAKE_MAX_ERRORS];
	size_t nerr;

	/* private: names of unknown columns and keys, NUL-separated */
	struct vet_buf unknown;
	size_t *unknown_off;
	size_t nunknown, capunknown;
	struct vet_strmap unknown_set;
	int unknown_full;	/* a name past VET_INTAKE_MAX_UNKNOWN came */

	/* results of the last record that was written */
	char id[19];
	int has_id;
	vet_day last_contact;
	int has_last_contact;
};

/*
 * Sets up intake with mapping m and policy p (for the district check; NULL
 * accepts any district).  today bounds birth dates (--as-of).  0 or
 * VET_ENOMEM.
 */
int vet_intake_init(struct vet_intake *t, const struct vet_mapping *m,
    const struct vet_policy *p, vet_day today);
void vet_intake_release(struct vet_intake *t);

/*
 * Takes the header row of a CSV/TSV input: n names (UTF-8).  Returns 0;
 * VET_EDATA when a header text occurs twice or two columns map to one field
 * ("duplicate header 'X'", in err), after which every row of this header
 * is rejected with that message; or VET_ENOMEM.  Columns that map to no
 * field are added to the unknown names.
 */
int vet_intake_header(struct vet_intake *t, const struct vet_span *names,
    size_t n, struct vet_error *err);

/*
 * Converts a row of n cells (UTF-8) under the current header and appends
 * the record and a '\n' to out.  Returns 0; VET_EDATA with the reasons in
 * vet_intake_errors() and out unchanged; or VET_ENOMEM.
 */
int vet_intake_row(struct vet_intake *t, const struct vet_span *cells,
    size_t n, struct vet_buf *out);

/*
 * Converts one JSON Lines record [p, p + n) (keys are header texts or
 * field names) like vet_intake_row().  Keys that map to no field are kept
 * with their values unchanged and added to the unknown names.
 */
int vet_intake_json(struct vet_intake *t, const char *p, size_t n,
    struct vet_buf *out);

/* The reasons the last record was refused: *errs and the count. */
size_t vet_intake_errors(const struct vet_intake *t,
    const char *const **errs);

/*
 * Unknown column and key names seen so far, in order, each once; the
 * first VET_INTAKE_MAX_UNKNOWN of them.  vet_intake_unknown_full() is 1
 * when more came.
 */
size_t vet_intake_nunknown(const struct vet_intake *t);
const char *vet_intake_unknown(const struct vet_intake *t, size_t i);
int vet_intake_unknown_full(const struct vet_intake *t);

/*
 * The input loop of vet-intake: struct vet_intake_run reads inputs opened
 * by the caller through the CSV reader, the decoder and an intake, and
 * writes through a struct vet_cli (cli.h): records to its output, refused
 * records whole to its rejects stream, notes, errors and the exit status
 * to it as vet-intake(1) describes.  It borrows cli and the intake, which
 * must outlive it, and owns its buffers and the --dedupe spill file until
 * vet_intake_run_release().
 */
enum vet_intake_format {
	VET_INTAKE_AUTO,	/* by content */
	VET_INTAKE_CSV,
	VET_INTAKE_TSV,
	VET_INTAKE_JSONL
};

struct vet_intake_spill;
struct vet_intake_par;

/* Threads at most: beyond that the writing thread is the bottleneck. */
#define VET_INTAKE_MAX_THREADS 8

struct vet_intake_run {
	struct vet_cli *cli;
	struct vet_intake *t;
	enum vet_intake_format fmt;
	enum vet_encoding enc;
	/*
	 * Threads that take records through intakes of their own: 1 (the
	 * default) runs all in the calling thread.  With more, batches of
	 * rows are handed out and their results written in input order, so
	 * the output, the rejects and standard error are those of one
	 * thread.  --dedupe always runs in one.  Set before the first input.
	 * Unless threads_always, an input other than a workbook that ends
	 * within its first 64 KiB is run in the calling thread: it is done
	 * before threads would have started.
	 */
	int threads;
	int threads_always;
	/*
	 * Set to take the records instead of the output: sink gets each
	 * record (JSON, no line end) and the raw text it came from, with
	 * cli->src and cli->lineno naming it.  It returns 0 when it took the
	 * record, which then counts as read, not written; 1 when it
	 * rejected it through cli itself (counted read and rejected); or a
	 * negative status (VET_ENOMEM) that ends the run.  Reads count on
	 * the tally the caller began (vet_cli_side_begin: "extract"), not
	 * on the main stream.
	 */
	int (*sink)(void *ctx, const char *rec, size_t n, const char *raw,
	    size_t rawn);
	void *sink_ctx;
	/* Set when an input could not be read to its end (the error was
	 * reported, and the record it cut rejected). */
	int read_failed;
	/*
	 * Workbooks (.xlsx, .xls): the sheet to read, by name or number
	 * (1-based, in workbook order, hidden ones counted), "all" for every
	 * visible one, or NULL for the first visible one.
	 */
	const char *sheet;
	/*
	 * The header row (1-based): 0 to find it (SPEC "The header row is
	 * found"), in every CSV, TSV and sheet.  Set before the first input.
	 */
	long header_row;

	/* private */
	struct vet_intake_spill *dd;
	struct vet_intake_par *par;
	struct vet_buf out, dec;
	/* The input being read, for readable rejects: its decoder when not
	 * UTF-8, or the name of the UTF-16 it was converted from. */
	struct vet_decoder *now_dec;
	const char *now_u16;
	struct vet_buf rejtext;
	struct vet_strmap told;	/* unknown names told */
	size_t ntold, told_main;
	int unknown_more_told;
};

/* The header is looked for in this many rows at the top. */
#define VET_INTAKE_HEADER_ROWS 20

/* "auto", "csv", "tsv", "jsonl": 0 and *out, or VET_EUSAGE. */
int vet_intake_format_parse(const char *s, enum vet_intake_format *out);

/*
 * The format of an input by its first n bytes: JSON Lines when the first
 * character after a BOM and white space is '{' or '[', TSV when the header line
 * has more tabs than commas outside quotes, else CSV.
 */
enum vet_intake_format vet_intake_detect_format(const char *p, size_t n);

/*
 * Sets up the loop: fmt and enc are forced, or AUTO to tell each input by
 * its first 64 KiB.  dedupe keeps one record per id (the latest by
 * last_contact_date) and holds the records in a temporary spill file
 * until vet_intake_run_finish().  Marks t's cells as checked UTF-8.
 * Returns 0, VET_ENOMEM, or VET_EIO when the spill file cannot be made
 * (err says why); release r in every case.
 */
int vet_intake_run_init(struct vet_intake_run *r, struct vet_cli *cli,
    struct vet_intake *t, enum vet_intake_format fmt, enum vet_encoding enc,
    int dedupe, struct vet_error *err);

/*
 * Reads input in (named cli->src in messages) through to its end: CSV,
 * TSV or JSON Lines in UTF-8, GBK/GB18030 or UTF-16 (by its BOM or
 * enc), or a workbook told by its magic bytes (xlsx.h, xls.h), whose
 * rows are named "FILE#SHEET" and whose cells are joined by tabs in the
 * rejects.  In a workbook an id cell that holds a number of 16 digits or
 * more is rejected: "id was stored as a number in Excel and lost its
 * last digits; format the column as text".  Bad
 * records, bad encodings, damaged workbooks and read errors are reported
 * through cli and do not fail the call.  Returns 0; or, after which the run must stop,
 * VET_ENOMEM, VET_EIO (the spill file) or VET_EUSAGE (iconv lacks the
 * encoding), with err filled.
 */
int vet_intake_run_input(struct vet_intake_run *r, struct vet_input *in,
    struct vet_error *err);

/*
 * Ends a --dedupe run: writes the kept records in input order and rejects
 * the others ("duplicate id '...': the record on line N is kept").
 * Nothing to do without --dedupe.  0, VET_ENOMEM or VET_EIO.
 */
int vet_intake_run_finish(struct vet_intake_run *r, struct vet_error *err);
void vet_intake_run_release(struct vet_intake_run *r);

#endif
