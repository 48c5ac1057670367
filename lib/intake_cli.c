/*
 * intake_cli.c - the input loop of vet-intake (intake.h): each input is
 * looked at to tell its format and encoding, and its bytes then flow
 * through the CSV reader (csv.h), the decoder (encoding.h) and the intake;
 * records go to the output of the struct vet_cli, rejects to its rejects
 * stream, and with --dedupe through a spill file first.
 *
 * The loop is the command-line layer of the intake (HACKING: the
 * lib/intake_cli*.c files write, reject and tell through struct vet_cli
 * and set its exit status; the rest of lib/ returns statuses): a reject
 * or a note is told where it happens, in input order, which a loop that
 * returned them would have to queue for its caller.  --threads is
 * intake_cli_par.c, --dedupe intake_cli_dedupe.c, workbooks
 * intake_cli_sheet.c.
 *
 * CSV is not line-based, so this loop walks the inputs itself instead of
 * using vet_cli_next_line().  A record that cannot be trusted goes whole
 * and unchanged to the rejects stream.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vet/cli.h"
#include "vet/csv.h"
#include "vet/encoding.h"
#include "vet/intake.h"
#include "vet/io.h"
#include "vet/mask.h"
#include "vet/utf8.h"

#include "intake_impl.h"

#define PEEK ((size_t)64 << 10)
/* Records are written in pieces this size: the output's own buffer
 * (io.c) takes a piece of its size or more without copying it. */
#define FLUSH_AT ((size_t)256 << 10)

int
vet_intake_format_parse(const char *s, enum vet_intake_format *out)
{
	static const char *const names[] = { "auto", "csv", "tsv", "jsonl" };
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(s, names[i]) == 0) {
			*out = (enum vet_intake_format)i;
			return 0;
		}
	return VET_EUSAGE;
}

/*
 * The byte source of the CSV reader: the peeked bytes, then the input.
 * UTF-16 text is converted to UTF-8 on the way (the peek too, first), so
 * that everything after it reads UTF-8.
 */
struct src {
	struct vet_input *in;
	char *peek;
	size_t npeek, pos;
	int failed;		/* the input failed while being peeked */
	struct vet_error err;	/* how */
	int u16;		/* 0, or 1 + big-endian: UTF-16 input */
	int ueof;		/* its last byte was converted */
	char carry[4];		/* a code unit cut by a read */
	size_t ncarry;
	struct vet_buf conv;	/* converted text not yet read */
	size_t cpos;
};

static long
raw_read(struct src *s, void *p, size_t n, struct vet_error *err)
{
	if (s->failed) {
		*err = s->err;
		return err->status;
	}
	return vet_input_read(s->in, p, n, err);
}

/* Converts the next piece of UTF-16 input into s->conv. */
static long
u16_fill(struct src *s, struct vet_error *err)
{
	char buf[65536];
	size_t used;
	long k;

	memcpy(buf, s->carry, s->ncarry);
	if ((k = raw_read(s, buf + s->ncarry, sizeof buf - s->ncarry, err)) <
	    0)
		return k;
	vet_buf_reset(&s->conv);
	s->cpos = 0;
	if (vet_utf16_to_utf8(s->u16 == 2, buf, s->ncarry + (size_t)k, k == 0,
	    &s->conv, &used) < 0)
		return vet_error_nomem(err);
	s->ncarry = s->ncarry + (size_t)k - used;
	memmove(s->carry, buf + used, s->ncarry);
	s->ueof = k == 0;
	return 0;
}

static long
src_read(void *ctx, void *p, size_t n, struct vet_error *err)
{
	struct src *s = ctx;
	size_t k;
	long rc;

	if (s->pos < s->npeek) {
		k = s->npeek - s->pos;
		if (k > n)
			k = n;
		memcpy(p, s->peek + s->pos, k);
		s->pos += k;
		return (long)k;
	}
	if (!s->u16)
		return raw_read(s, p, n, err);
	while (s->cpos == s->conv.len) {
		if (s->ueof)
			return 0;
		if ((rc = u16_fill(s, err)) < 0)
			return rc;
	}
	k = s->conv.len - s->cpos;
	if (k > n)
		k = n;
	memcpy(p, s->conv.data + s->cpos, k);
	s->cpos += k;
	return (long)k;
}

/*
 * UTF-16 input (be: big-endian) whose first npeek bytes, after a BOM of
 * bom bytes, are in the peek: the peek becomes their UTF-8 text.
 */
static int
u16_start(struct src *s, int be, size_t bom, int eof, struct vet_error *err)
{
	struct vet_buf b = VET_BUF_INIT;
	size_t used;

	s->u16 = 1 + be;
	if (vet_utf16_to_utf8(be, s->peek + bom, s->npeek - bom, eof, &b,
	    &used) < 0)
		return vet_error_nomem(err);
	s->ncarry = s->npeek - bom - used;
	memcpy(s->carry, s->peek + bom + used, s->ncarry);
	s->ueof = eof;
	free(s->peek);
	s->peek = b.data;
	s->npeek = b.len;
	return 0;
}

int
vet_intake_run_init(struct vet_intake_run *r, struct vet_cli *cli,
    struct vet_intake *t, enum vet_intake_format fmt, enum vet_encoding enc,
    int dedupe, struct vet_error *err)
{
	memset(r, 0, sizeof *r);
	r->cli = cli;
	r->t = t;
	r->fmt = fmt;
	r->enc = enc;
	r->threads = 1;
	vet_strmap_init(&r->told);
	/* Every row is checked for UTF-8 or decoded before the intake sees
	 * it. */
	t->utf8_checked = 1;
	return dedupe ? vet_intake__dedupe_new(r, err) : 0;
}

void
vet_intake_run_release(struct vet_intake_run *r)
{
	vet_intake__dedupe_free(r);
	vet_intake__par_free(r);
	vet_buf_release(&r->out);
	vet_buf_release(&r->dec);
	vet_buf_release(&r->rejtext);
	vet_strmap_release(&r->told);
}

void
vet_intake__flush_out(struct vet_intake_run *r)
{
	if (r->out.len > 0)
		vet_cli_write(r->cli, r->out.data, r->out.len, 0);
	vet_buf_reset(&r->out);
}

/*
 * Tells once, on standard error, which columns were kept as they are: the
 * names an intake noted from *cursor up to upto that were not told
 * before (several intakes run with --threads), up to TELL_UNKNOWN names
 * in all, then once that there are more, so that JSON Lines whose every
 * record brings a key of its own do not flood standard error.  full says
 * that the intake noted no more names past VET_INTAKE_MAX_UNKNOWN.
 */
#define TELL_UNKNOWN 20

/*
 * A column that maps to nothing but resembles a known header is told on
 * its own line, naming the field (vet_mapping_near()): kept aside, a
 * variant such as 是否已登记失业 would silently change a category.  1 when
 * it was told.
 */
static int
tell_near(struct vet_intake_run *r, const struct vet_intake *t,
    const char *name)
{
	const struct vet_mapping *m = t->map;
	long k = vet_mapping_near(m, name, strlen(name));

	if (k < 0)
		return 0;
	vet_cli_note(r->cli, "%s: no mapping for column '%s', which resembles "
	    "'%s' (field '%s'): kept under its header name; map it with --map "
	    "if it is that field", r->cli->src, name, m->headers[k].text,
	    m->fields[m->headers[k].field].name);
	return 1;
}

void
vet_intake__tell_unknown(struct vet_intake_run *r, const struct vet_intake *t,
    size_t *cursor, size_t upto, int full)
{
	struct vet_buf b = VET_BUF_INIT;
	size_t i, k = 0, shown = 0, v;
	const char *name;

	if (r->unknown_more_told) {
		*cursor = upto;
		return;
	}
	for (i = *cursor; i < upto; i++) {
		name = vet_intake_unknown(t, i);
		if (vet_strmap_put(&r->told, name, strlen(name), 0, &v) != 1)
			continue;	/* told before (or no memory to tell) */
		if (r->ntold + shown < TELL_UNKNOWN && tell_near(r, t, name)) {
			r->ntold++;
			continue;
		}
		if (r->ntold + shown < TELL_UNKNOWN) {
			vet_buf_addf(&b, "%s'%s'", shown > 0 ? ", " : "", name);
			shown++;
		}
		k++;
	}
	*cursor = upto;
	if (k == 0 && !full)
		goto out;
	if (shown == 0) {
		r->unknown_more_told = 1;
		vet_cli_note(r->cli, "%s: more columns without a mapping: kept "
		    "under their header names", r->cli->src);
		goto out;
	}
	if (k > shown || full) {
		if (full)
			vet_buf_addstr(&b, " and more");
		else
			vet_buf_addf(&b, " and %zu more", k - shown);
		r->unknown_more_told = 1;
	}
	vet_cli_note(r->cli, "%s: no mapping for %s %s: kept under %s header "
	    "name", r->cli->src, k > 1 ? "columns" : "column", vet_buf_str(&b),
	    k > 1 ? "their" : "its");
	r->ntold += shown;
out:
	vet_buf_release(&b);
}

/* The same for the intake of the calling thread. */
static void
tell_unknown(struct vet_intake_run *r)
{
	vet_intake__tell_unknown(r, r->t, &r->told_main,
	    vet_intake_nunknown(r->t), vet_intake_unknown_full(r->t));
}

enum vet_intake_format
vet_intake_detect_format(const char *p, size_t n)
{
	size_t i = 0, tabs = 0, commas = 0;
	int inq = 0;

	if (n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' ||
	    p[i] == '\n'))
		i++;
	/* '[' too: a JSON array saved instead of JSON Lines is better
	 * rejected as not an object than read as a CSV header. */
	if (i < n && (p[i] == '{' || p[i] == '['))
		return VET_INTAKE_JSONL;
	/* The header line: tabs against commas, outside quotes. */
	for (; i < n && (inq || p[i] != '\n'); i++) {
		if (p[i] == '"')
			inq = !inq;
		else if (!inq && p[i] == '\t')
			tabs++;
		else if (!inq && p[i] == ',')
			commas++;
	}
	return tabs > commas ? VET_INTAKE_TSV : VET_INTAKE_CSV;
}

/* True when every cell is empty or white space: a spreadsheet's blank
 * row, which holds nothing to keep. */
static int
blank_row(const struct vet_csv_row *row)
{
	size_t i;

	for (i = 0; i < row->n; i++)
		if (vet_trim(row->fields[i]).n > 0)
			return 0;
	return 1;
}

/* The record at start in out is written (or spilled for --dedupe). */
int
vet_intake__emit(struct vet_intake_run *r, const char *raw, size_t rawn,
    size_t start, struct vet_error *err)
{
	int rc;

	if (r->sink != NULL) {
		rc = r->sink(r->sink_ctx, r->out.data + start,
		    r->out.len - start - 1, raw, rawn);
		vet_buf_truncate(&r->out, start);
		if (rc == VET_ENOMEM)
			return vet_error_nomem(err);
		return rc < 0 ? rc : 0;
	}
	if (r->dd != NULL) {
		rc = vet_intake__dedupe_add(r, r->out.data + start,
		    r->out.len - start, raw, rawn, err);
		vet_buf_truncate(&r->out, start);
		return rc;
	}
	r->cli->nwritten++;
	if (r->out.len >= FLUSH_AT)
		vet_intake__flush_out(r);
	return 0;
}

/*
 * Rejects a record of the input being read (SPEC 3, --rejects): a row of
 * GBK or GB18030 keeps "raw" as readable UTF-8 with "encoding" naming what
 * rebuilds its bytes, when encoding it back gives exactly those bytes; a
 * row of UTF-16 converted as it was read is UTF-8 already and is only
 * named.  Anything else goes as vet_cli_reject() keeps it.
 */
void
vet_intake__reject(struct vet_intake_run *r, const char *raw, size_t n,
    const char *const *errs, size_t k)
{
	struct vet_decoder *d = r->now_dec;
	struct vet_error e;
	size_t bad;
	int rc;

	if (r->now_u16 != NULL) {
		vet_cli_reject_text(r->cli, raw, n, raw, n, r->now_u16, errs,
		    k);
		return;
	}
	if (d != NULL && d->enc != VET_ENC_UTF8 && n <= r->cli->max_record &&
	    !vet_utf8_valid(raw, n)) {
		vet_buf_reset(&r->rejtext);
		/* Out of memory ends the run: the reject is not to change
		 * its form with the machine's state. */
		rc = vet_decoder_run(d, raw, n, 0, &r->rejtext, &bad, &e);
		if (rc == 0)
			rc = vet_decoder_reverses(d, r->rejtext.data,
			    r->rejtext.len, raw, n);
		if (rc == VET_ENOMEM)
			vet_cli_nomem(r->cli);
		if (rc == 1) {
			vet_cli_reject_text(r->cli, raw, n, r->rejtext.data,
			    r->rejtext.len, d->enc == VET_ENC_GBK ? "gbk" :
			    "gb18030", errs, k);
			return;
		}
	}
	vet_cli_reject(r->cli, raw, n, errs, k);
}

static void
reject_rec1(struct vet_intake_run *r, const char *raw, size_t n,
    const char *why)
{
	vet_intake__reject(r, raw, n, &why, 1);
}

/* Handles the result rc of the intake of one record. */
static int
done(struct vet_intake_run *r, int rc, const char *raw, size_t n,
    size_t start, struct vet_error *err)
{
	const char *const *errs;
	size_t k;

	if (rc == VET_ENOMEM)
		return vet_error_nomem(err);
	if (rc < 0) {
		k = vet_intake_errors(r->t, &errs);
		vet_intake__reject(r, raw, n, errs, k);
		return 0;
	}
	return vet_intake__emit(r, raw, n, start, err);
}

/*
 * Rejects a record above --max-record whole: its first part is in the
 * row, the rest is streamed from the reader to the rejects file, so it is
 * never held in memory.
 */
static void
reject_long(struct vet_intake_run *r, struct vet_csv *csv,
    const struct vet_csv_row *row, const char *why)
{
	struct vet_cli *cli = r->cli;
	struct vet_error err;
	struct vet_span chunk;
	int rc;

	vet_cli_reject_begin(cli, &why, 1);
	vet_cli_reject_chunk(cli, row->raw.p, row->raw.n);
	vet_error_clear(&err);
	while ((rc = vet_csv_rest(csv, &chunk, &err)) > 0)
		vet_cli_reject_chunk(cli, chunk.p, chunk.n);
	vet_cli_reject_end(cli);
	if (rc < 0) {
		vet_error_set(&err, err.status, cli->src, 0, 0, "%s", err.msg);
		vet_cli_print_error(cli, &err);
		vet_cli_status(cli, err.status == VET_EIO ? VET_EXIT_IOERR :
		    VET_EXIT_DATA);
	}
}

/* Rejects a row the reader or the decoder refused. */
static void
reject_row(struct vet_intake_run *r, struct vet_csv *csv,
    const struct vet_csv_row *row, const char *why)
{
	vet_cli_count_read(r->cli);
	if (row->cut)
		reject_long(r, csv, row, why);
	else
		reject_rec1(r, row->raw.p, row->raw.n, why);
}

/*
 * Reports a read error that ends the input.  The record the failure cut
 * does not silently disappear: the bytes the reader holds of it are
 * rejected with what cut them.
 */
static void
read_failed(struct vet_intake_run *r, struct vet_csv *csv,
    struct vet_error *err)
{
	struct vet_cli *cli = r->cli;
	struct vet_error e;
	struct vet_span part;
	long line;
	long long off;
	char msg[sizeof e.msg + 32];

	vet_error_set(&e, err->status, cli->src, 0, 0, "%s", err->msg);
	vet_cli_print_error(cli, &e);
	vet_cli_status(cli, e.status == VET_EIO ? VET_EXIT_IOERR :
	    e.status == VET_ENOMEM ? VET_EXIT_SOFTWARE : VET_EXIT_DATA);
	if (e.status == VET_ENOMEM)
		return;
	vet_csv_pending(csv, &part, &line, &off);
	if (vet_trim(part).n == 0)
		return;
	snprintf(msg, sizeof msg, "record cut short: %s", e.msg);
	cli->lineno = line;
	vet_cli_count_read(cli);
	reject_rec1(r, part.p, part.n, msg);
}

/*
 * Without a usable header no row can be mapped: every row after it is
 * rejected, so that each can be found in the rejects.
 */
static void
no_header(struct vet_intake_run *r, struct vet_csv *csv, long line,
    const char *why)
{
	struct vet_cli *cli = r->cli;
	struct vet_csv_row row;
	struct vet_error err;
	char msg[600];
	int rc;

	snprintf(msg, sizeof msg, "no usable header (line %ld: %s)", line,
	    why);
	vet_error_clear(&err);
	while ((rc = vet_csv_next(csv, &row, &err)) > 0) {
		cli->lineno = row.line;
		if (vet_trim(row.raw).n == 0)
			continue;
		reject_row(r, csv, &row, msg);
	}
	if (rc < 0) {
		r->read_failed = 1;
		read_failed(r, csv, &err);
	}
}

/* Reads the first bytes of an input into s->peek; 1 at the end of it. */
static int
peek(struct vet_cli *cli, struct src *s)
{
	struct vet_error err;
	long k;

	while (s->npeek < PEEK) {
		vet_error_clear(&err);
		k = vet_input_read(s->in, s->peek + s->npeek, PEEK - s->npeek,
		    &err);
		if (k < 0) {
			/* Reported when the reader reaches it, after the
			 * records before it. */
			s->failed = 1;
			s->err = err;
			return 0;
		}
		if (k == 0)
			return 1;
		s->npeek += (size_t)k;
	}
	return 0;
}

/* The peeked bytes alone, for the header search. */
struct memsrc {
	const char *p;
	size_t n;
};

static long
mem_read(void *ctx, void *p, size_t n, struct vet_error *err)
{
	struct memsrc *m = ctx;

	if (n > m->n)
		n = m->n;
	memcpy(p, m->p, n);
	m->p += n;
	m->n -= n;
	return (long)n;
}

int
vet_intake__header_score(const struct vet_intake *t,
    const struct vet_span *cells, size_t n)
{
	struct vet_span h;
	size_t i;
	int k = 0;

	for (i = 0; i < n; i++) {
		h = vet_trim(cells[i]);
		if (h.n > 0 && vet_mapping_header(t->map, h.p, h.n) >= 0)
			k++;
	}
	return k;
}

/*
 * The header of a CSV or TSV input (SPEC "The header row is found"): the
 * first of its first VET_INTAKE_HEADER_ROWS records (blank ones count, as
 * a spreadsheet's rows do) in which at least three cells map to known
 * fields, looked for in the peeked bytes; 0 when none does, and the first
 * row that holds anything is the header, as before.  Rows that cannot be
 * decoded or split count as no header.
 */
static long
find_header(struct vet_intake_run *r, const char *p, size_t n, int delim,
    struct vet_decoder *dec)
{
	struct memsrc m = { p, n };
	struct vet_csv csv;
	struct vet_csv_row row;
	struct vet_error e;
	struct vet_buf d = VET_BUF_INIT;
	size_t bad;
	long k, found = 0;
	int rc;

	vet_csv_init(&csv, mem_read, &m, delim, r->cli->max_record, 0);
	for (k = 1; k <= VET_INTAKE_HEADER_ROWS; k++) {
		vet_error_clear(&e);
		/* The last record of the peek may be cut short: fewer
		 * cells, or a quote left open, never a header that is not
		 * one. */
		if ((rc = vet_csv_next(&csv, &row, &e)) == VET_CSV_EOF ||
		    rc < 0)
			break;
		if (rc != VET_CSV_ROW || row.cut)
			continue;
		if (row.has_high && dec->enc != VET_ENC_UTF8) {
			vet_buf_reset(&d);
			if (vet_decoder_run(dec, row.raw.p, row.raw.n, 0, &d,
			    &bad, &e) < 0 || vet_csv_split(&csv, d.data, d.len,
			    &row, &e) < 0)
				continue;
		} else if (row.lazy && vet_csv_split(&csv, row.raw.p, row.raw.n,
		    &row, &e) < 0)
			continue;
		if (vet_intake__header_score(r->t, row.fields, row.n) >= 3) {
			found = k;
			break;
		}
	}
	vet_csv_release(&csv);
	vet_buf_release(&d);
	return found;
}

/*
 * The format and encoding of a text input from its peeked bytes, where
 * *fmt and *enc are AUTO: UTF-16 by its byte-order mark (or when told) is
 * converted to UTF-8 as it is read, and *enc is then UTF-8.  0, or the
 * status of a failed start of the conversion.
 */
static int
text_kind(struct vet_intake_run *r, struct src *s, int eof,
    enum vet_intake_format *fmt, enum vet_encoding *enc,
    struct vet_error *err)
{
	size_t bom;
	int be, rc;

	/* UTF-16 by its byte-order mark, or when told: converted to UTF-8
	 * as it is read, which the rest then reads. */
	if (*enc == VET_ENC_UTF16LE || *enc == VET_ENC_UTF16BE ||
	    (*enc == VET_ENC_AUTO && vet_encoding_bom16(s->peek, s->npeek,
	    &bom) != VET_ENC_AUTO)) {
		be = *enc == VET_ENC_UTF16BE || (*enc == VET_ENC_AUTO &&
		    vet_encoding_bom16(s->peek, s->npeek, &bom) ==
		    VET_ENC_UTF16BE);
		/* A BOM that says the other byte order is not skipped: the
		 * text is read as told. */
		if (vet_encoding_bom16(s->peek, s->npeek, &bom) !=
		    (be ? VET_ENC_UTF16BE : VET_ENC_UTF16LE))
			bom = 0;
		if ((rc = u16_start(s, be, bom, eof, err)) < 0)
			return rc;
		*enc = VET_ENC_UTF8;
		r->now_u16 = be ? "utf-16be" : "utf-16le";
	}
	if (*fmt == VET_INTAKE_AUTO)
		*fmt = vet_intake_detect_format(s->peek, s->npeek);
	if (*enc == VET_ENC_AUTO) {
		if (s->npeek >= 3 && memcmp(s->peek, "\xef\xbb\xbf", 3) == 0)
			*enc = VET_ENC_UTF8;
		else if ((rc = vet_encoding_guess(s->peek, s->npeek, eof, enc,
		    err)) < 0)
			return rc;
		if (*enc == VET_ENC_GB18030)
			vet_cli_note(r->cli, "%s: not UTF-8, reading as "
			    "GB18030", r->cli->src);
	}
	return 0;
}

/* What the loop of one text input holds. */
struct loop {
	struct vet_csv csv;
	struct vet_decoder dec;
	enum vet_encoding enc;
	int delim;		/* ',', '\t' or VET_CSV_LINES */
	int par;		/* rows go to the workers (--threads) */
	int header;		/* the header is still to come */
	long recno;		/* records read, for the header's row */
	long hdr_at;		/* the header's row, 0 the first */
};

/* What a step of the loop did with a row. */
enum {
	T_GO,			/* nothing yet: the next step takes it */
	T_NEXT,			/* done with it: the next row */
	T_STOP			/* done with the input */
};

/*
 * Whatever else writes does so after the rows before it: the round of
 * batches is written first, which moves cli->lineno, set back to the row
 * about to be told.  0 or a status that ends the run.
 */
static int
flush_before(struct vet_intake_run *r, const struct vet_csv_row *row,
    struct vet_error *err)
{
	int rc;

	if ((rc = vet_intake__par_flush(r, err)) < 0)
		return rc;
	r->cli->lineno = row->line;
	return 0;
}

/* Rejects a row that cannot be read (why) after the rows before it.
 * T_NEXT, or a status that ends the run. */
static int
refuse(struct vet_intake_run *r, struct loop *l,
    const struct vet_csv_row *row, const char *why, struct vet_error *err)
{
	int rc;

	if ((rc = flush_before(r, row, err)) < 0)
		return rc;
	reject_row(r, &l->csv, row, why);
	return T_NEXT;
}

/* The same for a row that was to be the header: then no row can be
 * mapped (T_STOP). */
static int
refuse_header(struct vet_intake_run *r, struct loop *l,
    const struct vet_csv_row *row, const char *why, struct vet_error *err)
{
	int rc;

	if ((rc = refuse(r, l, row, why, err)) < 0 || !l->header)
		return rc;
	no_header(r, &l->csv, row->line, why);
	return T_STOP;
}

/* Queues the rows that need nothing of the calling thread first: the
 * common case, good rows of UTF-8 text, checked by the worker. */
static int
take_par(struct vet_intake_run *r, struct loop *l,
    const struct vet_csv_row *row, int rc, struct vet_error *err)
{
	int ret = 0;

	if (!l->par || rc != VET_CSV_ROW || l->header)
		return T_GO;
	if (l->enc == VET_ENC_UTF8) {
		if (l->delim == VET_CSV_LINES)
			ret = vet_intake__par_add(r, row, row->fields, 1,
			    ROW_JSON, err);
		else if (row->lazy)
			ret = vet_intake__par_add(r, row, NULL, 0,
			    ROW_UTF8 | ROW_SPLIT, err);
		else if (!blank_row(row))
			ret = vet_intake__par_add(r, row, row->fields,
			    row->n, ROW_UTF8, err);
		return ret < 0 ? ret : T_NEXT;
	}
	if (!row->lazy)
		return T_GO;
	ret = vet_intake__par_add(r, row, NULL, 0, ROW_SPLIT |
	    (row->has_high ? ROW_DECODE : 0), err);
	return ret < 0 ? ret : T_NEXT;
}

/* Splits a lazy row's cells out of text p, n. */
static int
split(struct vet_intake_run *r, struct loop *l, struct vet_csv_row *row,
    const char *p, size_t n, struct vet_error *e, struct vet_error *err)
{
	if (vet_csv_split(&l->csv, p, n, row, e) < 0) {
		/* Out of memory is the run's end, not a bad row (fault
		 * injection: the header was rejected so, and every row after
		 * it). */
		if (e->status == VET_ENOMEM)
			return vet_error_nomem(err);
		return refuse(r, l, row, e->msg, err);
	}
	row->lazy = 0;
	return T_GO;
}

/* A row with bytes above ASCII: UTF-8 checked, other text decoded into
 * r->dec (and split there). */
static int
take_high(struct vet_intake_run *r, struct loop *l, struct vet_csv_row *row,
    struct vet_error *e, struct vet_error *err)
{
	struct vet_span d;
	size_t bad;
	char msg[80];
	int rc;

	if (l->enc == VET_ENC_UTF8) {
		/* UTF-8 needs no copy, only a check; JSON Lines are checked
		 * by the JSON parser itself. */
		if (l->delim == VET_CSV_LINES || (bad =
		    vet_utf8_valid_prefix(row->raw.p, row->raw.n)) ==
		    row->raw.n)
			return T_GO;
		snprintf(msg, sizeof msg, "invalid UTF-8 at byte offset %lld",
		    row->offset + (long long)bad);
		return refuse_header(r, l, row, msg, err);
	}
	vet_buf_reset(&r->dec);
	if (vet_decoder_run(&l->dec, row->raw.p, row->raw.n, row->offset,
	    &r->dec, &bad, e) < 0) {
		if (e->status == VET_ENOMEM)
			return vet_error_nomem(err);
		return refuse_header(r, l, row, e->msg, err);
	}
	if (l->delim != VET_CSV_LINES &&
	    (rc = split(r, l, row, r->dec.data, r->dec.len, e, err)) != T_GO)
		return rc;
	row->lazy = 0;
	if (l->par && l->delim == VET_CSV_LINES) {
		/* The decoded line is the one cell. */
		d.p = r->dec.data;
		d.n = r->dec.len;
		if ((rc = vet_intake__par_add(r, row, &d, 1, ROW_JSON,
		    err)) < 0)
			return rc;
		return T_NEXT;
	}
	return T_GO;
}

/* A JSON Lines line, taken by the calling thread. */
static int
take_json(struct vet_intake_run *r, struct loop *l,
    const struct vet_csv_row *row, struct vet_error *err)
{
	size_t start;
	int rc;

	if ((rc = flush_before(r, row, err)) < 0)
		return rc;
	vet_cli_count_read(r->cli);
	start = r->out.len;
	if (row->has_high && l->enc != VET_ENC_UTF8)
		rc = vet_intake_json(r->t, r->dec.data, r->dec.len, &r->out);
	else
		rc = vet_intake_json(r->t, row->fields[0].p, row->fields[0].n,
		    &r->out);
	if ((rc = done(r, rc, row->raw.p, row->raw.n, start, err)) < 0)
		return rc;
	tell_unknown(r);
	return T_NEXT;
}

/* The header row, for every intake. */
static int
take_header(struct vet_intake_run *r, struct loop *l,
    const struct vet_csv_row *row, struct vet_error *e,
    struct vet_error *err)
{
	int rc;

	if ((rc = flush_before(r, row, err)) < 0)
		return rc;
	l->header = 0;
	rc = vet_intake_header(r->t, row->fields, row->n, e);
	/* A bad header makes every intake refuse every row with its
	 * reason: the workers' intakes too. */
	if (rc == VET_ENOMEM || (l->par && vet_intake__par_header(r,
	    row->fields, row->n) < 0))
		return vet_error_nomem(err);
	if (rc < 0)
		vet_cli_error(r->cli, "%s", e->msg);
	tell_unknown(r);
	return T_NEXT;
}

/*
 * Takes one row the reader gave (rc: VET_CSV_ROW or VET_CSV_BAD, e its
 * reason): skipped, queued, written or rejected.  T_NEXT, T_STOP or a
 * status that ends the run.
 */
static int
take(struct vet_intake_run *r, struct loop *l, struct vet_csv_row *row,
    int rc, struct vet_error *e, struct vet_error *err)
{
	size_t start;
	int ret;

	/* Title rows above the header are no records. */
	if (l->header && ++l->recno < l->hdr_at && !row->cut)
		return T_NEXT;
	if (l->header && l->recno == l->hdr_at && l->hdr_at > 1)
		vet_cli_note(r->cli, "%s: header on row %ld; the rows above "
		    "it are skipped", r->cli->src, l->hdr_at);
	if (rc == VET_CSV_ROW && vet_trim(row->raw).n == 0)
		return T_NEXT;	/* an empty line */
	if ((ret = take_par(r, l, row, rc, err)) != T_GO)
		return ret;
	r->cli->lineno = row->line;
	if (rc == VET_CSV_BAD)
		return refuse_header(r, l, row, e->msg, err);
	if (row->has_high && (ret = take_high(r, l, row, e, err)) != T_GO)
		return ret;
	if (row->lazy && (ret = split(r, l, row, row->raw.p, row->raw.n, e,
	    err)) != T_GO)
		return ret;
	if (l->delim == VET_CSV_LINES)
		return take_json(r, l, row, err);
	if (l->header)
		return take_header(r, l, row, e, err);
	if (blank_row(row))
		return T_NEXT;
	if (l->par) {
		/* Decoded cells: no UTF-8 check left to do. */
		if ((ret = vet_intake__par_add(r, row, row->fields, row->n, 0,
		    err)) < 0)
			return ret;
		return T_NEXT;
	}
	vet_cli_count_read(r->cli);
	start = r->out.len;
	rc = vet_intake_row(r->t, row->fields, row->n, &r->out);
	if ((ret = done(r, rc, row->raw.p, row->raw.n, start, err)) < 0)
		return ret;
	return T_NEXT;
}

/*
 * Opens the reader of a text input whose first bytes are in s: its
 * format, encoding, decoders (the workers' too) and header row.  0, or a
 * status with nothing left open.
 */
static int
loop_open(struct vet_intake_run *r, struct loop *l, struct src *s, int eof,
    struct vet_error *err)
{
	enum vet_intake_format fmt = r->fmt;
	int rc;

	memset(l, 0, sizeof *l);
	l->enc = r->enc;
	l->hdr_at = r->header_row;
	l->par = vet_intake__par_on(r);
	if ((rc = text_kind(r, s, eof, &fmt, &l->enc, err)) < 0)
		return rc;
	if ((rc = vet_decoder_open(&l->dec, l->enc, err)) < 0) {
		r->now_u16 = NULL;
		return rc;
	}
	r->now_dec = &l->dec;
	l->delim = fmt == VET_INTAKE_JSONL ? VET_CSV_LINES :
	    fmt == VET_INTAKE_TSV ? '\t' : ',';
	vet_csv_init(&l->csv, src_read, s, l->delim, r->cli->max_record, 0);
	/* UTF-8 is checked whole (JSON Lines by the parser), which is as
	 * quick on ASCII as looking for high bytes first. */
	l->csv.no_high = l->enc == VET_ENC_UTF8;
	/* Rows without quotes come unsplit: a worker splits them, and
	 * decodes them first, with a decoder of its own. */
	l->csv.lazy = l->par && l->delim != VET_CSV_LINES;
	if (l->par && (rc = vet_intake__par_input(r, l->delim, l->enc,
	    &l->dec, err)) < 0) {
		r->now_dec = NULL;
		r->now_u16 = NULL;
		vet_decoder_close(&l->dec);
		return rc;
	}
	/* JSON Lines have no header: a bad first line is only that line. */
	l->header = l->delim != VET_CSV_LINES;
	if (l->header && l->hdr_at == 0)
		l->hdr_at = find_header(r, s->peek, s->npeek, l->delim,
		    &l->dec);
	return 0;
}

/* Reads the rows of an opened input.  0 or a status that ends the run. */
static int
loop_run(struct vet_intake_run *r, struct loop *l, struct vet_error *err)
{
	struct vet_csv_row row;
	struct vet_error e;
	int rc, ret;

	for (;;) {
		/* What vet_error_clear() would do that is ever read: the
		 * whole of e, cleared for every line, costs more than a
		 * short line's parse. */
		e.status = 0;
		e.file[0] = '\0';
		e.line = 0;
		e.col = 0;
		e.msg[0] = '\0';
		rc = vet_csv_next(&l->csv, &row, &e);
		if (rc < 0) {
			if ((ret = vet_intake__par_flush(r, err)) < 0)
				return ret;
			r->read_failed = 1;
			read_failed(r, &l->csv, &e);
			return 0;
		}
		if (rc == VET_CSV_EOF)
			return 0;
		if ((ret = take(r, l, &row, rc, &e, err)) < 0)
			return ret;
		if (ret == T_STOP)
			return 0;
	}
}

/* A zip is an .xlsx, an OLE2 file an .xls (or an encrypted .xlsx). */
static int
is_workbook(const struct src *s)
{
	return s->npeek >= 4 && (memcmp(s->peek, "PK\3\4", 4) == 0 ||
	    (s->npeek >= 8 && memcmp(s->peek, "\xd0\xcf\x11\xe0\xa1\xb1"
	    "\x1a\xe1", 8) == 0));
}

int
vet_intake_run_input(struct vet_intake_run *r, struct vet_input *in,
    struct vet_error *err)
{
	struct src s;
	struct loop l;
	int rc, eof;

	memset(&s, 0, sizeof s);
	s.in = in;
	if ((s.peek = malloc(PEEK)) == NULL)
		return vet_error_nomem(err);
	eof = peek(r->cli, &s);
	/* Workbooks by their magic bytes, whatever --format says. */
	if (is_workbook(&s)) {
		rc = vet_intake__workbook(r, in, s.peek[0] != 'P', src_read, &s,
		    err);
		free(s.peek);
		return rc;
	}
	/*
	 * The workers start here, past a workbook (intake_cli_sheet.c says
	 * why), and by default only for an input longer than its first PEEK
	 * bytes: some hundred records are read before threads would have
	 * started (intake.h).  The output is the same either way.
	 */
	if (((r->threads_always || !eof) &&
	    (rc = vet_intake__start(r, err)) < 0) ||
	    (rc = loop_open(r, &l, &s, eof, err)) < 0) {
		free(s.peek);
		return rc;
	}
	rc = loop_run(r, &l, err);
	if (rc == 0)
		rc = vet_intake__par_flush(r, err);
	else
		vet_intake__par_discard(r);
	vet_intake__flush_out(r);
	vet_csv_release(&l.csv);
	r->now_dec = NULL;
	r->now_u16 = NULL;
	vet_decoder_close(&l.dec);
	free(s.peek);
	vet_buf_release(&s.conv);
	return rc;
}

/* For lib/intake_cli_sheet.c (intake_impl.h). */
int
vet_intake__start(struct vet_intake_run *r, struct vet_error *err)
{
	if (r->threads > 1 && r->dd == NULL && r->par == NULL &&
	    vet_intake__par_init(r) < 0)
		return vet_error_nomem(err);
	return 0;
}

int
vet_intake__header(struct vet_intake_run *r, const struct vet_span *cells,
    size_t n, struct vet_error *err)
{
	struct vet_error e;
	int rc;

	if ((rc = vet_intake__flush(r, err)) < 0)
		return rc;
	vet_error_clear(&e);
	rc = vet_intake_header(r->t, cells, n, &e);
	if (rc == VET_ENOMEM || (vet_intake__par_on(r) &&
	    vet_intake__par_header(r, cells, n) < 0))
		return vet_error_nomem(err);
	if (rc < 0)
		vet_cli_error(r->cli, "%s", e.msg);
	tell_unknown(r);
	return 0;
}

int
vet_intake__take(struct vet_intake_run *r, const struct vet_csv_row *row,
    struct vet_error *err)
{
	size_t start;
	int rc;

	if (vet_intake__par_on(r))
		return vet_intake__par_add(r, row, row->fields, row->n, 0, err);
	vet_cli_count_read(r->cli);
	start = r->out.len;
	rc = vet_intake_row(r->t, row->fields, row->n, &r->out);
	return done(r, rc, row->raw.p, row->raw.n, start, err);
}

int
vet_intake__flush(struct vet_intake_run *r, struct vet_error *err)
{
	int rc;

	if ((rc = vet_intake__par_flush(r, err)) < 0)
		return rc;
	vet_intake__flush_out(r);
	return 0;
}
