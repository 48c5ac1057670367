/*
 * intake_impl.h - the input loop's internals, shared by its files, the
 * command-line layer of the intake (HACKING): lib/intake_cli.c (the loop,
 * CSV and JSON Lines), lib/intake_cli_par.c (--threads),
 * lib/intake_cli_dedupe.c (--dedupe) and lib/intake_cli_sheet.c
 * (workbooks); and the helpers lib/intake.c (rows to records) shares
 * with lib/intake_memo.c (the column memo), lib/intake_date.c (the date
 * fast paths) and lib/intake_header.c (the header row).  Not a public
 * header.
 */
#ifndef VET_INTAKE_IMPL_H
#define VET_INTAKE_IMPL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "vet/buf.h"
#include "vet/csv.h"
#include "vet/encoding.h"
#include "vet/intake.h"
#include "vet/mem.h"

struct vet_input;

/* ---- intake.c, intake_memo.c and intake_date.c ------------------------ */

/* The JSON text of slot s: in the input, or in t->vals. */
static inline const char *
vet_intake__slot_text(const struct vet_intake *t,
    const struct vet_intake_slot *s)
{
	return s->ext != NULL ? s->ext : t->vals.data + s->off;
}

/*
 * The column memo (lib/intake_memo.c says what it keeps and why).  Its
 * look-up and use are here, inline, since vet_intake_row() makes them
 * for every cell.
 */
#define MEMO_WAYS 256		/* entries of a column, a power of two */
#define MEMO_SHIFT 24		/* 32 - log2(MEMO_WAYS) */
#define MEMO_TEXT 40		/* longest cell text kept */
#define MEMO_JSON 80		/* longest key and JSON text kept */
#define MEMO_PROBE 1024		/* misses before deciding */

enum { MEMO_NONE, MEMO_SEX, MEMO_BIRTH, MEMO_LAST };

struct vet_intake__memo_ent {
	unsigned char n;	/* bytes of text; 0: an empty entry */
	unsigned char jk;	/* bytes of the key in json */
	unsigned char jn;	/* bytes of json; 0: the cell set nothing */
	char sex;		/* t->sex, for the sex field */
	vet_day day;		/* the date, for birth and last contact */
	char text[MEMO_TEXT];
	char json[MEMO_JSON];	/* "key":value */
};

struct vet_intake_memo {
	long field;		/* the field the entries are of + 1, or 0 */
	size_t maxn;		/* the longest text looked up; 0: off */
	int role;		/* MEMO_*: what else the field sets */
	uint32_t hits, misses;
	struct vet_intake__memo_ent ent[MEMO_WAYS];
};

static inline unsigned
vet_intake__memo_slot(const char *s, size_t n)
{
	uint32_t a, b = 0;

	if (n >= 4) {
		memcpy(&a, s, 4);
		memcpy(&b, s + n - 4, 4);
	} else
		a = (uint32_t)(unsigned char)s[0] |
		    (uint32_t)(unsigned char)s[n - 1] << 8;
	return ((a * 0x9e3779b1u) ^ (b * 0x85ebca77u) ^
	    ((uint32_t)n * 0xc2b2ae3du)) >> MEMO_SHIFT;
}

/*
 * The entry of cell s of a column, memo m (of its field): *hit says that
 * it holds s, else put_cell() is to take s and vet_intake__memo_keep()
 * may keep it there.  NULL when the column keeps no memo.
 */
static inline struct vet_intake__memo_ent *
vet_intake__memo_get(struct vet_intake_memo *m, struct vet_span s, int *hit)
{
	struct vet_intake__memo_ent *e;

	if (s.n > m->maxn)
		return NULL;
	e = &m->ent[vet_intake__memo_slot(s.p, s.n)];
	if (e->n == s.n && vet_mem_eq_short(e->text, s.p, s.n)) {
		m->hits++;
		*hit = 1;
		return e;
	}
	if (++m->misses == MEMO_PROBE && m->hits < MEMO_PROBE / 2) {
		m->maxn = 0;
		return NULL;
	}
	*hit = 0;
	return e;
}

/* Does what put_cell() did with the text of entry e, into field f. */
static inline void
vet_intake__memo_use(struct vet_intake *t, const struct vet_intake_memo *m,
    long f, const struct vet_intake__memo_ent *e)
{
	struct vet_intake_slot *sl = &t->slots[f];

	if (e->jn == 0)
		return;
	sl->kext = e->json;
	sl->ext = e->json + e->jk;
	sl->off = 0;
	sl->len = (size_t)(e->jn - e->jk);
	sl->set = 1;
	t->nset++;
	t->need += (size_t)e->jn + 1;
	if (m->role == MEMO_NONE)
		return;
	if (m->role == MEMO_SEX)
		t->sex = e->sex;
	else if (m->role == MEMO_BIRTH)
		t->birth = e->day;
	else {
		t->last_contact = e->day;
		t->has_last_contact = 1;
	}
}

/* Memos for n columns in t->memo; fewer when memory is short. */
void vet_intake__memo_alloc(struct vet_intake *t, size_t n);
/* Starts memo m over for field f. */
void vet_intake__memo_reset(struct vet_intake *t, struct vet_intake_memo *m,
    long f);
/* What put_cell() did with cell s of field f, when it added no error
 * (nerr: the errors before), goes into entry e of memo m. */
void vet_intake__memo_keep(struct vet_intake *t,
    const struct vet_intake_memo *m, long f, struct vet_span s, size_t nerr,
    struct vet_intake__memo_ent *e);

/*
 * The usual forms of a date cell other than YYYY-MM-DD (intake_date.c):
 * 0 with the year, month and day (not checked) when s, n is exactly one
 * of them, else -1.
 */
int vet_intake__quick_date(const char *s, size_t n, int *y, int *m, int *d);
/* Appends YYYY-MM-DD of a valid date to b, which has room for it. */
void vet_intake__put_ymd(struct vet_buf *b, int y, int m, int d);

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
