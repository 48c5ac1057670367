/*
 * plan_xlsx.c - the station's worklist as an xlsx workbook (plan.h,
 * vet-plan --format xlsx): a worksheet per street, its communities one
 * after another, each starting a printed page, most urgent first, a row
 * per veteran.  The rows are the blocks that plan_fmt.c reads back from
 * the plan lines, the same data as the JSON, the html, md and text.
 *
 * A row per veteran, not per task, so that a sheet sorts and filters by
 * person: the duties, measures and recommendations are lines of one cell
 * each, a duty's status in its colour.  The last three columns are left
 * blank for the station to fill in on paper or in the sheet.
 *
 * The workbook is written in constant-memory mode (xlsxout.h): rows go to
 * disk as they come, so a worklist of a whole city costs the plan lines
 * already held and not a copy of every cell.  That mode keeps a file open
 * per worksheet, so more streets than MAX_SHEETS go onto one sheet
 * instead, grouped the same way.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xlsxwriter.h>

#include "vet/buf.h"
#include "vet/date.h"
#include "vet/error.h"
#include "vet/plan.h"
#include "vet/report.h"
#include "vet/schema.h"
#include "vet/xlsxout.h"
#include "plan_impl.h"
#include "xlsxout_impl.h"

#define W_NO		"序号"
#define W_DAYS		"未联系天数"
#define W_CUT		"…[已截断]"

/* Streets a workbook gives a worksheet of their own, at most. */
#define MAX_SHEETS 200
/* Excel keeps 1023 manual page breaks a sheet; later communities run on. */
#define MAX_BREAKS 1023
/* Rows above the veterans: the title, the counts, the column headers. */
#define TOP 3
/* Points a line of text takes in a row. */
#define LINE_PT 15.0

enum {
	C_NO, C_NAME, C_ID, C_PHONE, C_PRIO, C_CATS, C_CONTACT, C_DAYS,
	C_DUTIES, C_MEASURES, C_RECS, C_NOTE, C_STAFF, C_DATE, NCOL
};

/* The column headers: the schema's words for the fields it has. */
static const struct {
	enum vet_kind kind;	/* of a schema field, or VET_KIND_RAW */
	const char *field;	/* NULL: the worklist's own word */
	const char *word;
	double width;
} cols[NCOL] = {
	{ VET_KIND_RAW, NULL, W_NO, 4 },
	{ VET_KIND_VETERAN, "name", NULL, 8 },
	{ VET_KIND_VETERAN, "id", NULL, 19 },
	{ VET_KIND_VETERAN, "phone", NULL, 12 },
	{ VET_KIND_RAW, "priority", NULL, 5 },
	{ VET_KIND_RAW, "categories", NULL, 14 },
	{ VET_KIND_VETERAN, "last_contact_date", NULL, 10.5 },
	{ VET_KIND_RAW, NULL, W_DAYS, 5 },
	{ VET_KIND_RAW, NULL, W_DUTIES, 33 },
	{ VET_KIND_RAW, NULL, W_MEASURES, 26 },
	{ VET_KIND_RAW, NULL, W_RECS, 30 },
	{ VET_KIND_RAW, NULL, W_NOTE, 14 },
	{ VET_KIND_RAW, NULL, W_STAFF, 6 },
	{ VET_KIND_RAW, NULL, W_DATE, 9 }
};

/* The fragments of a rich string, reused from row to row. */
struct frags {
	struct vet_buf r;	/* the fragments, NUL-terminated each */
	struct vet_buf plain;	/* the text they make */
	size_t *off;
	lxw_rich_string_tuple *t, **tp;
	size_t n, cap;
};

struct xw {
	struct vet_worklist *wl;
	struct vet_xlsxout xl;
	struct vet_xlsxout_fmt f;
	lxw_format *cell, *num, *date, *group, *st[S_N];
	lxw_worksheet *ws;
	lxw_row_t row;
	lxw_row_t breaks[MAX_BREAKS + 1];
	size_t nbreak;
	const char *title;
	struct frags fr[2];	/* the duties and the measures */
	struct vet_buf tmp, rich, g[WL_LEVELS], where;
	int oom;
};

static const char *
col_head(size_t c)
{
	const char *l = NULL;

	if (cols[c].field == NULL)
		return cols[c].word;
	if (cols[c].kind == VET_KIND_RAW)
		l = vet_schema_added_label(cols[c].field);
	else
		l = vet_schema_field_label(cols[c].kind, cols[c].field, "zh");
	return l != NULL ? l : cols[c].field;
}

static int
add_formats(struct xw *x, struct vet_error *err)
{
	/* A duty's status in the colours of the html worklist. */
	static const lxw_color_t colour[S_N] = { 0x1A6B1A, 0x8A5A00, 0xB00000,
	    0x444444 };
	lxw_workbook *wb = x->xl.wb;
	int i;

	if (vet_xlsxout_formats(&x->xl, &x->f, err) < 0)
		return VET_ENOMEM;
	x->cell = workbook_add_format(wb);
	x->num = workbook_add_format(wb);
	x->date = workbook_add_format(wb);
	x->group = workbook_add_format(wb);
	for (i = 0; i < S_N; i++)
		if ((x->st[i] = workbook_add_format(wb)) != NULL) {
			format_set_font_color(x->st[i], colour[i]);
			if (i == S_DUE || i == S_LATE)
				format_set_bold(x->st[i]);
		} else
			return vet_error_nomem(err);
	if (x->cell == NULL || x->num == NULL || x->date == NULL ||
	    x->group == NULL)
		return vet_error_nomem(err);
	format_set_text_wrap(x->cell);
	format_set_align(x->cell, LXW_ALIGN_VERTICAL_TOP);
	format_set_border(x->cell, LXW_BORDER_THIN);
	format_set_align(x->num, LXW_ALIGN_VERTICAL_TOP);
	format_set_align(x->num, LXW_ALIGN_CENTER);
	format_set_border(x->num, LXW_BORDER_THIN);
	format_set_num_format(x->date, "yyyy-mm-dd");
	format_set_align(x->date, LXW_ALIGN_VERTICAL_TOP);
	format_set_align(x->date, LXW_ALIGN_LEFT);
	format_set_border(x->date, LXW_BORDER_THIN);
	format_set_bold(x->group);
	format_set_bg_color(x->group, 0xF6E7E7);
	format_set_top(x->group, LXW_BORDER_MEDIUM);
	return 0;
}

/* Text in a cell, cut (and marked) when longer than a cell holds. */
static void
put_text(struct xw *x, lxw_col_t col, const char *s, lxw_format *fmt)
{
	if (vet_xlsxout_cell_text(&x->tmp, s, strlen(s), W_CUT) < 0) {
		x->oom = 1;
		return;
	}
	worksheet_write_string(x->ws, x->row, col, vet_buf_str(&x->tmp), fmt);
}

/* The lines a text takes in a column of width w (CJK counting two). */
static size_t
lines_in(const char *s, double w)
{
	size_t n = 0, cw, wrap = w > 3 ? (size_t)w - 2 : 1;
	const char *nl;

	if (*s == '\0')
		return 1;
	for (;;) {
		nl = strchr(s, '\n');
		cw = vet_report_width(s, nl ? (size_t)(nl - s) : strlen(s));
		n += cw == 0 ? 1 : (cw + wrap - 1) / wrap;
		if (nl == NULL)
			return n;
		s = nl + 1;
	}
}

/* Grows the fragment arrays of fr to n fragments. */
static int
frags_room(struct frags *fr, size_t n)
{
	size_t *no;
	lxw_rich_string_tuple *nt, **ntp;

	if (n <= fr->cap)
		return 0;
	if ((no = realloc(fr->off, n * sizeof *no)) == NULL)
		return VET_ENOMEM;
	fr->off = no;
	if ((nt = realloc(fr->t, n * sizeof *nt)) == NULL)
		return VET_ENOMEM;
	fr->t = nt;
	if ((ntp = realloc(fr->tp, (n + 1) * sizeof *ntp)) == NULL)
		return VET_ENOMEM;
	fr->tp = ntp;
	fr->cap = n;
	return 0;
}

/*
 * The duties or measures of the block, items [from, to), a line each: in
 * fr the status word and the rest of each line as fragments of a rich
 * string (the status in its colour), and the plain text they make.
 * Returns the lines the text takes in column col.
 */
static size_t
frags_build(struct xw *x, struct frags *fr, lxw_col_t col, size_t from,
    size_t to)
{
	struct vet_worklist *wl = x->wl;
	const struct item *im;
	struct vet_buf *r = &fr->r;
	size_t i, k;

	vet_buf_reset(r);
	vet_buf_reset(&fr->plain);
	fr->n = 0;
	if (frags_room(fr, 2 * (to - from)) < 0) {
		x->oom = 1;
		return 1;
	}
	/* Every fragment a NUL-terminated string in r: offsets, since r
	 * moves while it grows. */
	for (i = from, k = 0; i < to; i++) {
		im = &wl->b.items[i];
		fr->off[k++] = r->len;
		if (vet_buf_addstr(r, wl_status_zh[im->status]) < 0 ||
		    vet_buf_addch(r, '\0') < 0)
			x->oom = 1;
		fr->off[k++] = r->len;
		if (vet_buf_addf(r, " %s", wl_str(wl, im->a)) < 0 ||
		    (*wl_str(wl, im->b) && vet_buf_addf(r, " %s",
		    wl_str(wl, im->b)) < 0) ||
		    (*wl_str(wl, im->c) && vet_buf_addf(r, " %s %s",
		    W_DEADLINE, wl_str(wl, im->c)) < 0) ||
		    (i + 1 < to && vet_buf_addch(r, '\n') < 0) ||
		    vet_buf_addch(r, '\0') < 0)
			x->oom = 1;
	}
	fr->n = x->oom ? 0 : k;
	for (k = 0; k < fr->n; k++)
		if (vet_buf_addstr(&fr->plain, r->data + fr->off[k]) < 0)
			x->oom = 1;
	return lines_in(vet_buf_str(&fr->plain), cols[col].width);
}

/* Writes what frags_build() made: a rich string, or the plain text cut
 * to the cell's limit when the rich one would be longer. */
static void
frags_write(struct xw *x, struct frags *fr, lxw_col_t col)
{
	size_t k, cut;

	if (fr->n == 0) {
		worksheet_write_blank(x->ws, x->row, col, x->cell);
		return;
	}
	if (vet_xlsxout_units(fr->plain.data, fr->plain.len,
	    VET_XLSXOUT_MAX_CELL, &cut) > VET_XLSXOUT_MAX_CELL) {
		put_text(x, col, vet_buf_str(&fr->plain), x->cell);
		return;
	}
	for (k = 0; k < fr->n; k++) {
		fr->t[k].format = k % 2 == 0 ?
		    x->st[x->wl->b.items[k / 2 + (col == C_DUTIES ? 0 :
		    x->wl->b.nduty)].status] : NULL;
		fr->t[k].string = fr->r.data + fr->off[k];
		fr->tp[k] = &fr->t[k];
	}
	fr->tp[fr->n] = NULL;
	worksheet_write_rich_string(x->ws, x->row, col, fr->tp, x->cell);
}

/* The recommendations, numbered, a line each, into o. */
static void
recs_text(struct xw *x, struct vet_buf *o)
{
	const struct block *b = &x->wl->b;
	size_t i, first = b->nduty + b->nmeas;

	vet_buf_reset(o);
	for (i = 0; i < b->nrec; i++)
		if (vet_buf_addf(o, "%s%zu. %s", i ? "\n" : "", i + 1,
		    wl_str(x->wl, b->items[first + i].a)) < 0)
			x->oom = 1;
}

/* The last contact: a date cell, or the words for none; and the days. */
static void
put_contact(struct xw *x)
{
	const struct block *b = &x->wl->b;
	const char *d = wl_str(x->wl, b->cdate);
	lxw_datetime dt;
	vet_day day;
	int y, m, dd;

	if (*d != '\0' && vet_date_parse(d, strlen(d), &day) == 0) {
		vet_date_to_ymd(day, &y, &m, &dd);
		memset(&dt, 0, sizeof dt);
		dt.year = y;
		dt.month = m;
		dt.day = dd;
		worksheet_write_datetime(x->ws, x->row, C_CONTACT, &dt,
		    x->date);
	} else
		put_text(x, C_CONTACT, *d ? d : W_NO_CONTACT, x->cell);
	if (b->hasdays)
		worksheet_write_number(x->ws, x->row, C_DAYS, (double)b->days,
		    x->num);
	else
		worksheet_write_blank(x->ws, x->row, C_DAYS, x->num);
}

static size_t
max_z(size_t a, size_t b)
{
	return a > b ? a : b;
}

/* The row of the block loaded, number no in its community. */
static void
veteran_row(struct xw *x, size_t no)
{
	struct vet_worklist *wl = x->wl;
	const struct block *b = &wl->b;
	size_t lines, c;

	/* The height first (constant-memory mode writes a row's attributes
	 * before its cells): the lines of the tallest cell. */
	lines = frags_build(x, &x->fr[0], C_DUTIES, 0, b->nduty);
	lines = max_z(lines, frags_build(x, &x->fr[1], C_MEASURES, b->nduty,
	    b->nduty + b->nmeas));
	recs_text(x, &x->rich);
	lines = max_z(lines, lines_in(vet_buf_str(&x->rich),
	    cols[C_RECS].width));
	lines = max_z(lines, lines_in(wl_str(wl, b->cats), cols[C_CATS].width));
	lines = max_z(lines, lines_in(wl_str(wl, b->name), cols[C_NAME].width));
	worksheet_set_row(x->ws, x->row, LINE_PT * (double)lines + 3, NULL);
	worksheet_write_number(x->ws, x->row, C_NO, (double)no, x->num);
	put_text(x, C_NAME, wl_str(wl, b->name), x->cell);
	put_text(x, C_ID, wl_str(wl, b->id), x->cell);
	put_text(x, C_PHONE, wl_str(wl, b->phone), x->cell);
	worksheet_write_number(x->ws, x->row, C_PRIO, (double)b->prio, x->num);
	put_text(x, C_CATS, wl_str(wl, b->cats), x->cell);
	put_contact(x);
	frags_write(x, &x->fr[0], C_DUTIES);
	frags_write(x, &x->fr[1], C_MEASURES);
	put_text(x, C_RECS, vet_buf_str(&x->rich), x->cell);
	for (c = C_NOTE; c < NCOL; c++)
		worksheet_write_blank(x->ws, x->row, (lxw_col_t)c, x->cell);
	x->row++;
}

/* Ends the sheet: its page breaks, before each community but the first. */
static void
sheet_end(struct xw *x)
{
	if (x->ws != NULL && x->nbreak > 0) {
		x->breaks[x->nbreak] = 0;
		worksheet_set_h_pagebreaks(x->ws, x->breaks);
	}
	x->ws = NULL;
	x->nbreak = 0;
}

/*
 * A new sheet for the entries from i, named name, headed with the title,
 * where (the street, or nothing) and the counts of the entries [i, end).
 */
static int
sheet_begin(struct xw *x, size_t i, size_t end, const char *name,
    const char *where)
{
	struct vet_worklist *wl = x->wl;
	size_t e2, due, late, c;

	sheet_end(x);
	if ((x->ws = vet_xlsxout_add_sheet(&x->xl, name, strlen(name))) ==
	    NULL)
		return VET_ENOMEM;
	for (c = 0; c < NCOL; c++)
		worksheet_set_column(x->ws, (lxw_col_t)c, (lxw_col_t)c,
		    cols[c].width, NULL);
	vet_buf_reset(&x->tmp);
	if (vet_buf_addf(&x->tmp, "%s%s%s", x->title, *where ? " · " : "",
	    where) < 0)
		return VET_ENOMEM;
	worksheet_write_string(x->ws, 0, 0, vet_buf_str(&x->tmp), x->f.title);
	/* The counts of the sheet: the entries of its street, or all. */
	due = late = 0;
	for (e2 = i; e2 < end; ) {
		size_t d, l;

		wl_group_counts(wl, e2, WL_LEVELS, &e2, &d, &l);
		due += d;
		late += l;
	}
	vet_buf_reset(&x->tmp);
	if (vet_buf_addf(&x->tmp, "%zu %s · %s %zu · %s %zu", end - i,
	    W_PEOPLE, W_DUE_N, due, W_LATE_N, late) < 0)
		return VET_ENOMEM;
	worksheet_write_string(x->ws, 1, 0, vet_buf_str(&x->tmp), x->f.sub);
	/* The columns are as narrow as A4 needs, narrower than some of
	 * their names: those wrap. */
	worksheet_set_row(x->ws, 2, 2 * LINE_PT + 3, NULL);
	for (c = 0; c < NCOL; c++)
		worksheet_write_string(x->ws, 2, (lxw_col_t)c, col_head(c),
		    x->f.headwrap);
	/* On screen the headers and the name stay in view; on paper the
	 * headers head every page. */
	worksheet_freeze_panes(x->ws, TOP, C_NAME + 1);
	worksheet_repeat_rows(x->ws, 0, TOP - 1);
	if (vet_xlsxout_print_a4(x->ws, 1, x->title, *where ? where : NULL,
	    &x->tmp) < 0)
		return VET_ENOMEM;
	x->row = TOP;
	return 0;
}

/* The band that opens a community: its names and counts. */
static void
group_row(struct xw *x, size_t i, size_t end, size_t due, size_t late)
{
	struct vet_worklist *wl = x->wl;
	size_t c;
	int k;

	if (x->row > TOP && x->nbreak < MAX_BREAKS)
		x->breaks[x->nbreak++] = x->row;
	vet_buf_reset(&x->where);
	for (k = 0; k < WL_LEVELS; k++)
		if (vet_buf_addf(&x->where, "%s%s", k ? " " : "",
		    wl_group_name(wl, &wl->e[i], k, &x->g[k])) < 0)
			x->oom = 1;
	if (vet_buf_addf(&x->where, "（%zu %s · %s %zu · %s %zu）", end - i,
	    W_PEOPLE, W_DUE_N, due, W_LATE_N, late) < 0)
		x->oom = 1;
	worksheet_set_row(x->ws, x->row, LINE_PT + 6, NULL);
	put_text(x, 0, vet_buf_str(&x->where), x->group);
	for (c = 1; c < NCOL; c++)
		worksheet_write_blank(x->ws, x->row, (lxw_col_t)c, x->group);
	x->row++;
}

/* How many streets (district and street) the sorted entries have. */
static size_t
count_streets(const struct vet_worklist *wl)
{
	size_t i, n = 0;

	for (i = 0; i < wl->n; i++)
		if (i == 0 || wl_group_cmp(wl, &wl->e[i - 1], &wl->e[i],
		    2) != 0)
			n++;
	return n;
}

/* The sheets and their rows.  0, or a status with err filled. */
static int
write_sheets(struct xw *x, struct vet_error *err)
{
	struct vet_worklist *wl = x->wl;
	size_t i, end = 0, send = 0, due, late, no = 0, gstart = 0;
	size_t gdue = 0, glate = 0;
	int per_street = count_streets(wl) <= MAX_SHEETS, rc;
	struct vet_buf where = VET_BUF_INIT;
	const char *street;

	for (i = 0; i < wl->n && !x->oom; i++) {
		if (i == send || x->row >= VET_XLSXOUT_MAX_ROWS - 1) {
			/* A street's sheet; or one sheet for all; or, at
			 * Excel's last row, the same again continued. */
			if (i == send)
				wl_group_counts(wl, i, per_street ? 2 : 0,
				    &send, &due, &late);
			vet_buf_reset(&where);
			street = wl_group_name(wl, &wl->e[i], 1, &x->g[1]);
			if (per_street && vet_buf_addf(&where, "%s %s",
			    wl_group_name(wl, &wl->e[i], 0, &x->g[0]),
			    street) < 0)
				x->oom = 1;
			if ((rc = sheet_begin(x, i, send, per_street ? street :
			    W_TITLE, vet_buf_str(&where))) < 0) {
				vet_buf_release(&where);
				return rc == VET_ENOMEM ? vet_error_nomem(err) :
				    rc;
			}
			/* A community continued names itself again. */
			if (i != end)
				group_row(x, gstart, end, gdue, glate);
		}
		if (i == end) {
			wl_group_counts(wl, i, WL_LEVELS, &end, &gdue, &glate);
			gstart = i;
			group_row(x, i, end, gdue, glate);
			no = 0;
		}
		if ((rc = wl_load_block(wl, &wl->e[i], err)) < 0) {
			vet_buf_release(&where);
			return rc;
		}
		veteran_row(x, ++no);
	}
	/* No plans: the sheet says so, with its headers. */
	if (wl->n == 0 && (rc = sheet_begin(x, 0, 0, W_TITLE, "")) < 0) {
		vet_buf_release(&where);
		return vet_error_nomem(err);
	}
	sheet_end(x);
	vet_buf_release(&where);
	return x->oom ? vet_error_nomem(err) : 0;
}

static void
xw_release(struct xw *x)
{
	int k;

	for (k = 0; k < 2; k++) {
		vet_buf_release(&x->fr[k].r);
		vet_buf_release(&x->fr[k].plain);
		free(x->fr[k].off);
		free(x->fr[k].t);
		free(x->fr[k].tp);
	}
	for (k = 0; k < WL_LEVELS; k++)
		vet_buf_release(&x->g[k]);
	vet_buf_release(&x->tmp);
	vet_buf_release(&x->rich);
	vet_buf_release(&x->where);
}

int
wl_write_xlsx(struct vet_worklist *wl, const char *title, struct vet_buf *out,
    struct vet_error *err)
{
	struct xw *x;
	int rc;

	/* The struct holds the page breaks of a sheet: too big for the
	 * stack of a thread. */
	if ((x = calloc(1, sizeof *x)) == NULL)
		return vet_error_nomem(err);
	x->wl = wl;
	x->title = title;
	if ((rc = vet_xlsxout_open(&x->xl, 1, wl->as_of, W_TITLE, err)) < 0) {
		free(x);
		return rc;
	}
	if ((rc = add_formats(x, err)) < 0 ||
	    (rc = write_sheets(x, err)) < 0 || (wl->oom &&
	    (rc = vet_error_nomem(err)) < 0)) {
		vet_xlsxout_discard(&x->xl);
		xw_release(x);
		free(x);
		return rc;
	}
	rc = vet_xlsxout_close(&x->xl, vet_xlsxout_sink_buf, out, err);
	if (rc == VET_ENOMEM)
		vet_error_nomem(err);
	xw_release(x);
	free(x);
	return rc;
}
