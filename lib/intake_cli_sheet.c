/*
 * intake_sheet.c - workbooks in the input loop of vet-intake (intake.h,
 * SPEC "Spreadsheets as they arrive"): the sheets an .xlsx (xlsx.h) or an
 * .xls (xls.h) holds are read row by row, the header of each found, and
 * every row after it taken as cells through the same intake as a CSV row
 * (intake_impl.h), so that a sheet and the same table saved as CSV give
 * the same records.  Only what a CSV cannot say is decided here: a row the
 * reader found bad, and an id that Excel turned into a number.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vet/cli.h"
#include "vet/encoding.h"
#include "vet/intake.h"
#include "vet/io.h"
#include "vet/mapping.h"
#include "vet/sheet.h"
#include "vet/xls.h"
#include "vet/xlsx.h"

#include "intake_impl.h"

#define ID_AS_NUMBER "id was stored as a number in Excel and lost its last " \
	"digits; format the column as text"

/* Tells why, about file, and raises the exit status to code. */
static void
tell(struct vet_cli *cli, const char *file, const struct vet_error *why,
    int code)
{
	struct vet_error e;

	vet_error_set(&e, why->status, file, 0, 0, "%s", why->msg);
	vet_cli_print_error(cli, &e);
	vet_cli_status(cli, code);
}

/* The exit status of a workbook that cannot be read: its reader missing
 * or broken (VET_EINTERNAL, lib/expat_impl.h) is not the file's fault. */
static int
book_exit(const struct vet_error *e)
{
	return e->status == VET_EINTERNAL ? VET_EXIT_SOFTWARE :
	    e->status == VET_EIO ? VET_EXIT_IOERR : VET_EXIT_DATA;
}

/* Either reader, behind one face. */
struct book {
	struct vet_xlsx *x;
	struct vet_xls *xl;
};

static size_t
book_n(const struct book *b)
{
	return b->x != NULL ? vet_xlsx_nsheets(b->x) : vet_xls_nsheets(b->xl);
}

static const char *
book_name(const struct book *b, size_t i)
{
	return b->x != NULL ? vet_xlsx_sheet_name(b->x, i) :
	    vet_xls_sheet_name(b->xl, i);
}

static int
book_hidden(const struct book *b, size_t i)
{
	return b->x != NULL && vet_xlsx_sheet_hidden(b->x, i);
}

static int
book_open(struct book *b, size_t i, struct vet_error *err)
{
	return b->x != NULL ? vet_xlsx_sheet_open(b->x, i, err) :
	    vet_xls_sheet_open(b->xl, i, err);
}

static int
book_next(struct book *b, struct vet_sheet_row *row, struct vet_error *err)
{
	return b->x != NULL ? vet_xlsx_next(b->x, row, err) :
	    vet_xls_next(b->xl, row, err);
}

/* A row held while the header is looked for: a copy of its cells. */
struct held {
	long line;
	struct vet_buf text;
	size_t *off, *len;
	unsigned char *kind;
	size_t n;
	char *bad;
};

/* The state of the sheet being read. */
struct sheet {
	int have_header;
	long id_col;		/* the column of the id, or -1 */
	size_t ncols;		/* the header's */
	struct held held[VET_INTAKE_HEADER_ROWS];
	size_t nheld;
	struct vet_buf raw;
	struct vet_span *spans;
	size_t capspans;
};

static void
held_free(struct held *h)
{
	vet_buf_release(&h->text);
	free(h->off);
	free(h->len);
	free(h->kind);
	free(h->bad);
	memset(h, 0, sizeof *h);
}

static void
held_clear(struct sheet *st)
{
	size_t i;

	for (i = 0; i < st->nheld; i++)
		held_free(&st->held[i]);
	st->nheld = 0;
}

static int
hold(struct sheet *st, const struct vet_sheet_row *row)
{
	struct held *h = &st->held[st->nheld];
	size_t i;

	memset(h, 0, sizeof *h);
	h->line = row->line;
	h->n = row->n;
	if ((h->off = malloc((row->n + 1) * sizeof *h->off)) == NULL ||
	    (h->len = malloc((row->n + 1) * sizeof *h->len)) == NULL ||
	    (h->kind = malloc(row->n + 1)) == NULL ||
	    (row->bad != NULL && (h->bad = strdup(row->bad)) == NULL))
		goto oom;
	for (i = 0; i < row->n; i++) {
		h->off[i] = h->text.len;
		h->len[i] = row->cells[i].n;
		h->kind[i] = row->kind[i];
		if (vet_buf_add(&h->text, row->cells[i].p, row->cells[i].n) <
		    0)
			goto oom;
	}
	st->nheld++;
	return 0;
oom:
	held_free(h);
	return VET_ENOMEM;
}

/* A held row as a row again; its spans in st->spans. */
static int
unhold(struct sheet *st, const struct held *h, struct vet_sheet_row *row)
{
	struct vet_span *sp;
	size_t i;

	if (h->n > st->capspans) {
		if ((sp = realloc(st->spans, h->n * sizeof *sp)) == NULL)
			return VET_ENOMEM;
		st->spans = sp;
		st->capspans = h->n;
	}
	for (i = 0; i < h->n; i++) {
		st->spans[i].p = h->text.data + h->off[i];
		st->spans[i].n = h->len[i];
	}
	row->line = h->line;
	row->cells = st->spans;
	row->kind = h->kind;
	row->n = h->n;
	row->bad = h->bad;
	return 0;
}

/* A row with nothing in it, and nothing wrong: no record.  A bad row is
 * rejected even when nothing of it could be read. */
static int
blank(const struct vet_sheet_row *row)
{
	size_t i;

	if (row->bad != NULL)
		return 0;
	for (i = 0; i < row->n; i++)
		if (vet_trim(row->cells[i]).n > 0)
			return 0;
	return 1;
}

/* A number in the id column that no id survives: 16 digits or more. */
static int
id_lost(const struct vet_sheet_row *row, long col)
{
	char tmp[48];
	size_t n;

	if (col < 0 || (size_t)col >= row->n || row->kind[col] !=
	    VET_CELL_NUMBER)
		return 0;
	n = row->cells[col].n < sizeof tmp - 1 ? row->cells[col].n :
	    sizeof tmp - 1;
	memcpy(tmp, row->cells[col].p, n);
	tmp[n] = '\0';
	/* Excel keeps 15 significant digits: a 15-digit legacy id is held
	 * exactly, an 18-digit one never is. */
	return strtod(tmp, NULL) >= 1e15;
}

static int
take_header(struct vet_intake_run *r, struct sheet *st,
    const struct vet_sheet_row *row, struct vet_error *err)
{
	long fid = vet_mapping_field(r->t->map, "id");
	struct vet_span h;
	size_t i;

	st->have_header = 1;
	st->id_col = -1;
	st->ncols = row->n;
	for (i = 0; i < row->n && fid >= 0; i++) {
		h = vet_trim(row->cells[i]);
		if (h.n > 0 && vet_mapping_header(r->t->map, h.p, h.n) == fid) {
			st->id_col = (long)i;
			break;
		}
	}
	if (row->line > 1)
		vet_cli_note(r->cli, "%s: header on row %ld; the rows above it "
		    "are skipped", r->cli->src, row->line);
	r->cli->lineno = row->line;
	return vet_intake__header(r, row->cells, row->n, err);
}

/* A row under the header: rejected here, or taken by the intake. */
static int
data_row(struct vet_intake_run *r, struct sheet *st,
    const struct vet_sheet_row *row, struct vet_error *err)
{
	struct vet_cli *cli = r->cli;
	struct vet_csv_row cr;
	struct vet_span *sp;
	const char *why = NULL;
	size_t i;
	int rc;

	if (blank(row))
		return 0;
	vet_buf_reset(&st->raw);
	for (i = 0; i < row->n; i++)
		if ((i > 0 && vet_buf_addch(&st->raw, '\t') < 0) ||
		    vet_buf_add(&st->raw, row->cells[i].p, row->cells[i].n) <
		    0)
			return vet_error_nomem(err);
	if (row->bad != NULL)
		why = row->bad;
	else if (id_lost(row, st->id_col))
		why = ID_AS_NUMBER;
	if (why != NULL) {
		if ((rc = vet_intake__flush(r, err)) < 0)
			return rc;
		cli->lineno = row->line;
		vet_cli_count_read(cli);
		vet_cli_reject1(cli, vet_buf_str(&st->raw), st->raw.len, why);
		return 0;
	}
	memset(&cr, 0, sizeof cr);
	cr.fields = (struct vet_span *)row->cells;
	cr.n = row->n;
	/* A sheet does not store the empty cells at the end of a row: the
	 * row is as wide as its header, as a CSV export writes it. */
	if (row->n < st->ncols) {
		if (st->ncols > st->capspans) {
			if ((sp = realloc(st->spans, st->ncols * sizeof *sp)) ==
			    NULL)
				return vet_error_nomem(err);
			st->spans = sp;
			st->capspans = st->ncols;
		}
		if (st->spans != row->cells)
			memcpy(st->spans, row->cells, row->n * sizeof *sp);
		for (i = row->n; i < st->ncols; i++) {
			st->spans[i].p = "";
			st->spans[i].n = 0;
		}
		cr.fields = st->spans;
		cr.n = st->ncols;
	}
	cr.raw.p = vet_buf_str(&st->raw);
	cr.raw.n = st->raw.len;
	cr.line = row->line;
	cli->lineno = row->line;
	return vet_intake__take(r, &cr, err);
}

/*
 * No row of the first ones is a header: the first is, as in a CSV, and
 * the others held are data.
 */
static int
release_held(struct vet_intake_run *r, struct sheet *st,
    struct vet_error *err)
{
	struct vet_sheet_row row;
	size_t i;
	int rc = 0;

	for (i = 0; i < st->nheld && rc == 0; i++) {
		if ((rc = unhold(st, &st->held[i], &row)) < 0)
			return vet_error_nomem(err);
		rc = i == 0 ? take_header(r, st, &row, err) :
		    data_row(r, st, &row, err);
	}
	held_clear(st);
	return rc;
}

static int
sheet_row(struct vet_intake_run *r, struct sheet *st,
    const struct vet_sheet_row *row, struct vet_error *err)
{
	int rc;

	if (st->have_header)
		return data_row(r, st, row, err);
	if (r->header_row > 0) {
		/* Told: the rows above are skipped, whatever they hold. */
		if (row->line < r->header_row || blank(row))
			return 0;
		return take_header(r, st, row, err);
	}
	if (row->line <= VET_INTAKE_HEADER_ROWS && !blank(row) &&
	    vet_intake__header_score(r->t, row->cells, row->n) >= 3) {
		held_clear(st);
		return take_header(r, st, row, err);
	}
	if (row->line <= VET_INTAKE_HEADER_ROWS &&
	    st->nheld < VET_INTAKE_HEADER_ROWS) {
		if (blank(row))
			return 0;
		if (hold(st, row) < 0)
			return vet_error_nomem(err);
		return 0;
	}
	if (st->nheld == 0)
		return blank(row) ? 0 : take_header(r, st, row, err);
	if ((rc = release_held(r, st, err)) < 0)
		return rc;
	return data_row(r, st, row, err);
}

/* Reads sheet i to its end.  0 or a status that ends the run. */
static int
read_sheet(struct vet_intake_run *r, struct book *b, size_t i,
    const char *file, struct vet_error *err)
{
	struct vet_cli *cli = r->cli;
	struct vet_buf src = VET_BUF_INIT;
	struct vet_sheet_row row;
	struct vet_error e;
	struct sheet st;
	int rc;

	memset(&st, 0, sizeof st);
	st.id_col = -1;
	if (vet_buf_addf(&src, "%s#%s", file, book_name(b, i)) < 0)
		return vet_error_nomem(err);
	cli->src = vet_buf_str(&src);
	cli->lineno = 0;
	vet_error_clear(&e);
	if ((rc = book_open(b, i, &e)) < 0)
		goto bad;
	for (;;) {
		if ((rc = book_next(b, &row, &e)) < 0)
			goto bad;
		if (rc == 0)
			break;
		if ((rc = sheet_row(r, &st, &row, err)) < 0)
			goto out;
	}
	if (!st.have_header && (rc = release_held(r, &st, err)) < 0)
		goto out;
	rc = vet_intake__flush(r, err);
	goto out;
bad:
	if (rc == VET_ENOMEM) {
		*err = e;
		goto out;
	}
	/* The .xls reader itself failed: the run ends, nothing committed. */
	if (vet_xls_failed(&e)) {
		rc = vet_error_set(err, e.status, cli->src, 0, 0, "%s", e.msg);
		goto out;
	}
	/* A sheet damaged half way: the rows before it are kept, and the
	 * run ends as after a truncated input. */
	if (!st.have_header && (rc = release_held(r, &st, err)) < 0)
		goto out;
	if ((rc = vet_intake__flush(r, err)) < 0)
		goto out;
	tell(cli, cli->src, &e, VET_EXIT_DATA);
	r->read_failed = 1;
	rc = 0;
out:
	held_clear(&st);
	vet_buf_release(&st.raw);
	free(st.spans);
	cli->src = file;
	vet_buf_release(&src);
	return rc < 0 ? rc : 0;
}

/*
 * The whole input in a file: the input itself when it is a plain file,
 * else (standard input, gzip) a temporary copy.  For freexl, which opens
 * by name, *path is set to a name (a temporary one to unlink, *tmp set);
 * otherwise *fp to an open FILE.  0, or 1 when the input could not be
 * read (reported), or a negative status.
 */
static int
whole(struct vet_intake_run *r, struct vet_input *in, vet_csv_read_fn rd,
    void *ctx, int want_path, FILE **fp, char **path, int *tmp,
    struct vet_error *err)
{
	const char *name = vet_input_name(in);
	const char *dir = getenv("TMPDIR");
	struct vet_error e;
	char buf[65536], *t = NULL;
	FILE *f = NULL;
	long k;
	int fd;

	*fp = NULL;
	*path = NULL;
	*tmp = 0;
	if (strcmp(name, "<stdin>") != 0 && !vet_input_gzip(in)) {
		if (want_path) {
			if ((*path = strdup(name)) == NULL)
				goto oom;
			return 0;
		}
		if ((*fp = fopen(name, "rb")) != NULL)
			return 0;
	}
	if (want_path) {
		if (dir == NULL || *dir == '\0')
			dir = "/tmp";
		if ((t = malloc(strlen(dir) + 32)) == NULL)
			goto oom;
		sprintf(t, "%s/vet-intake-XXXXXX", dir);
		if ((fd = mkstemp(t)) < 0 || (f = fdopen(fd, "w+b")) == NULL) {
			vet_error_set(err, VET_EIO, NULL, 0, 0, "cannot make a "
			    "temporary copy of the workbook: %s",
			    strerror(errno));
			free(t);
			return VET_EIO;
		}
		*tmp = 1;
	} else if ((f = tmpfile()) == NULL)
		return vet_error_set(err, VET_EIO, NULL, 0, 0, "cannot make a "
		    "temporary copy of the workbook: %s", strerror(errno));
	vet_error_clear(&e);
	while ((k = rd(ctx, buf, sizeof buf, &e)) > 0)
		if (fwrite(buf, 1, (size_t)k, f) != (size_t)k) {
			k = vet_error_set(&e, VET_EIO, NULL, 0, 0, "cannot "
			    "write a temporary copy of the workbook: %s",
			    strerror(errno));
			break;
		}
	if (k == 0 && (fflush(f) != 0 || fseek(f, 0, SEEK_SET) != 0))
		k = vet_error_set(&e, VET_EIO, NULL, 0, 0, "cannot read back "
		    "the temporary copy of the workbook");
	if (k < 0) {
		fclose(f);
		if (t != NULL) {
			unlink(t);
			free(t);
		}
		if (e.status == VET_ENOMEM) {
			*err = e;
			return VET_ENOMEM;
		}
		tell(r->cli, r->cli->src, &e, book_exit(&e));
		r->read_failed = 1;
		return 1;
	}
	if (want_path) {
		fclose(f);
		*path = t;
	} else
		*fp = f;
	return 0;
oom:
	return vet_error_nomem(err);
}

/* Sheet i is named by --sheet s: its name, else its number. */
static long
pick(const struct book *b, const char *s)
{
	size_t i, n = book_n(b);
	char *end;
	long k;

	for (i = 0; i < n; i++)
		if (strcmp(book_name(b, i), s) == 0)
			return (long)i;
	k = strtol(s, &end, 10);
	if (end != s && *end == '\0' && k >= 1 && (size_t)k <= n)
		return k - 1;
	return -1;
}

static void
no_sheet(struct vet_intake_run *r, const struct book *b, const char *what)
{
	struct vet_buf names = VET_BUF_INIT;
	struct vet_error e;
	size_t i;

	for (i = 0; i < book_n(b); i++)
		vet_buf_addf(&names, "%s'%s'%s", i > 0 ? ", " : "",
		    book_name(b, i), book_hidden(b, i) ? " (hidden)" : "");
	vet_error_set(&e, VET_ENOENT, r->cli->src, 0, 0, "%s; its sheets: %s",
	    what, vet_buf_str(&names));
	vet_cli_print_error(r->cli, &e);
	vet_cli_status(r->cli, VET_EXIT_NOINPUT);
	vet_buf_release(&names);
}

int
vet_intake__workbook(struct vet_intake_run *r, struct vet_input *in,
    int ole, vet_csv_read_fn rd, void *ctx, struct vet_error *err)
{
	struct vet_cli *cli = r->cli;
	const char *file = cli->src;
	struct book b = { NULL, NULL };
	struct vet_error e;
	char *path = NULL, m[96];
	FILE *f = NULL;
	size_t i, n;
	long k;
	int rc, tmp = 0, any = 0;

	if ((rc = whole(r, in, rd, ctx, ole, &f, &path, &tmp, err)) != 0)
		return rc < 0 ? rc : 0;
	vet_error_clear(&e);
	/* The .xls reader is a forked child: it is made before the workers
	 * start, so that no thread of ours holds a lock (an allocator's,
	 * under the sanitizers) that the child would wait on for ever. */
	if (ole)
		rc = vet_xls_open(&b.xl, path, cli->max_record, &e);
	else
		rc = vet_xlsx_open(&b.x, f, cli->max_record, &e);
	if (tmp)
		unlink(path);
	if (rc == 0 && (rc = vet_intake__start(r, err)) < 0)
		goto out;
	if (rc < 0) {
		if (rc == VET_ENOMEM) {
			*err = e;
			goto out;
		}
		if (vet_xls_failed(&e)) {
			rc = vet_error_set(err, e.status, file, 0, 0, "%s", e.msg);
			goto out;
		}
		tell(cli, file, &e, book_exit(&e));
		rc = 0;
		goto out;
	}
	n = book_n(&b);
	rc = 0;
	if (r->sheet != NULL && strcmp(r->sheet, "all") == 0) {
		for (i = 0; i < n && rc == 0; i++)
			if (!book_hidden(&b, i)) {
				any = 1;
				rc = read_sheet(r, &b, i, file, err);
			}
		if (!any)
			no_sheet(r, &b, "every sheet is hidden");
	} else if (r->sheet != NULL) {
		if ((k = pick(&b, r->sheet)) < 0) {
			snprintf(m, sizeof m, "no sheet '%.60s'", r->sheet);
			no_sheet(r, &b, m);
		} else
			rc = read_sheet(r, &b, (size_t)k, file, err);
	} else {
		for (i = 0; i < n && book_hidden(&b, i); i++)
			;
		if (i == n)
			no_sheet(r, &b, "every sheet is hidden: name one with "
			    "--sheet");
		else {
			/* freexl does not say which sheets are hidden: the
			 * first may be a sheet of instructions. */
			if (ole && n > 1)
				vet_cli_note(cli, "%s: reading sheet 1 '%s' of "
				    "%zu (an .xls does not say which are "
				    "hidden: choose with --sheet)", file,
				    book_name(&b, 0), n);
			rc = read_sheet(r, &b, i, file, err);
		}
	}
out:
	vet_xlsx_close(b.x);
	vet_xls_close(b.xl);
	if (f != NULL)
		fclose(f);
	free(path);
	cli->src = file;
	return rc;
}
