/*
 * report_xlsx.c - the xlsx form of the report (report.h): the tables of
 * the layout (report_fmt.c), one sheet per group of tables, with numbers as
 * numbers, rates as formulas (=met/due) with a percent format, frozen
 * headers, columns as wide as their text (a CJK character counting two)
 * and a native bar chart of the category totals on the first sheet.
 *
 * It renders the same rf_table cells as text, md, csv and html; the only
 * figures it knows are the numbers those cells carry (enum rf_kind).
 * Memory: the whole report is held (it is small: a row per group), and
 * libxlsxwriter holds the sheets until the workbook is closed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xlsxwriter.h>

#include "vet/buf.h"
#include "vet/date.h"
#include "vet/error.h"
#include "vet/report.h"
#include "vet/xlsxout.h"
#include "report_table.h"
#include "report_impl.h"
#include "xlsxout_impl.h"

/* The sheets, in order; a sheet without a table is left out. */
static const enum rf_wkey sheet_keys[] = {
	W_sheet_overview, W_sheet_categories, W_sheet_chain,
	W_sheet_compliance, W_sheet_scorecard, W_sheet_findings,
	W_sheet_change
};
#define NSHEETS (sizeof sheet_keys / sizeof sheet_keys[0])

/* Rows above the first table: the title, the period and policy, a gap. */
#define TOP 3

struct xw {
	struct rf_ctx *x;
	lxw_workbook *wb;
	lxw_format *title, *sub, *head, *label, *num, *pct, *chg, *na;
	/* A breach, as the text forms mark it ✗: Excel's own "bad" colours,
	 * so that it reads as the spreadsheet's red cell it is. */
	lxw_format *num_bad, *pct_bad, *text_bad, *rtext_bad;
	struct vet_buf s;	/* a NUL-terminated copy of a cell */
};

/* A cell's text as a C string (libxlsxwriter wants them). */
static const char *
ctext(struct xw *w, const struct rf_cell *c)
{
	vet_buf_reset(&w->s);
	if (vet_buf_add(&w->s, w->x->text.data + c->off, c->len) < 0)
		w->x->oom = 1;
	return vet_buf_str(&w->s);
}

/* Does table ti go on sheet key?  The category totals with the change
 * against --compare also make the 环比 sheet, before the change of the
 * rates and the chain. */
static int
on_sheet(const struct rf_ctx *x, size_t ti, enum rf_wkey key, size_t *ncol)
{
	const struct rf_table *t = &x->tabs[ti];
	int totals = ti == x->totals && x->r->have_prev;

	*ncol = t->ncol;
	if (key == W_sheet_change)
		return totals || t->sheet == key;
	if (t->sheet != key)
		return 0;
	/* On the overview the totals keep their first two columns: the
	 * change has its own sheet. */
	if (totals)
		*ncol = 2;
	return 1;
}

/*
 * A cell.  libxlsxwriter, once one of its allocations has failed, can be
 * left with a shared-string tree that crashes the next lookup, so the
 * first failed write ends the workbook: nothing more is written to it.
 */
static void
put(struct xw *w, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col,
    const struct rf_cell *c, int header, int label)
{
	char f[64];
	lxw_error e;

	if (w->x->oom)
		return;
	if (header) {
		e = worksheet_write_string(ws, row, col, ctext(w, c), w->head);
		goto out;
	}
	switch (c->kind) {
	case RF_INT:
		/* A change (--compare) is written with its sign. */
		e = worksheet_write_number(ws, row, col, (double)c->a,
		    c->breach ? w->num_bad :
		    c->len > 0 && (w->x->text.data[c->off] == '+' ||
		    w->x->text.data[c->off] == '-') ? w->chg : w->num);
		break;
	case RF_RATE:
		/* A formula keeps both counts of the rate in the cell, and
		 * its cached value is the rate itself for a reader that does
		 * not compute. */
		snprintf(f, sizeof f, "=%lld/%lld", (long long)c->a,
		    (long long)c->b);
		e = worksheet_write_formula_num(ws, row, col, f,
		    c->breach ? w->pct_bad : w->pct,
		    (double)c->a / (double)c->b);
		break;
	case RF_NA:
		e = worksheet_write_string(ws, row, col, ctext(w, c), w->na);
		break;
	default:
		/* A figure kept as text (posts/people) stays right-aligned
		 * with the numbers of its column. */
		e = worksheet_write_string(ws, row, col, ctext(w, c),
		    c->breach ? (c->num ? w->rtext_bad : w->text_bad) :
		    c->num ? w->na : label ? w->label : NULL);
	}
out:
	if (e != LXW_NO_ERROR)
		w->x->oom = 1;
}

/* Text in a print header, where '&' starts a code: doubled, it is itself. */
static void
hdr_add(struct rf_ctx *x, struct vet_buf *h, const char *p)
{
	for (; *p; p++) {
		rf_ch(x, h, *p);
		if (*p == '&')
			rf_ch(x, h, '&');
	}
}

/* The print header and footer: the report, the period and the policy. */
static void
page_setup(struct xw *w, lxw_worksheet *ws, const char *sheet)
{
	struct rf_ctx *x = w->x;
	struct vet_buf h = VET_BUF_INIT;

	rf_str(x, &h, "&L");
	hdr_add(x, &h, rf_word(x, W_title));
	rf_str(x, &h, " · ");
	hdr_add(x, &h, sheet);
	rf_str(x, &h, "&R");
	hdr_add(x, &h, x->r->pd.label);
	rf_str(x, &h, " · ");
	hdr_add(x, &h, x->r->s->policy_id);
	if (!x->oom && h.len < 255)
		worksheet_set_header(ws, vet_buf_str(&h));
	worksheet_set_footer(ws, "&C&P / &N");
	worksheet_set_landscape(ws);
	worksheet_set_paper(ws, 9);	/* A4 */
	worksheet_fit_to_pages(ws, 1, 0);
	vet_buf_release(&h);
}

/* Rows 0 and 1 of every sheet: what the sheet is, the period, the day of
 * the report and the policy. */
static void
sheet_top(struct xw *w, lxw_worksheet *ws, const char *sheet)
{
	struct rf_ctx *x = w->x;
	struct vet_buf b = VET_BUF_INIT;
	char f[11], t[11], a[11];

	rf_f(x, &b, "%s · %s", rf_word(x, W_title), sheet);
	if (!x->oom && worksheet_write_string(ws, 0, 0, vet_buf_str(&b),
	    w->title) != LXW_NO_ERROR)
		x->oom = 1;
	vet_buf_reset(&b);
	vet_date_format(x->r->pd.from, f);
	vet_date_format(x->r->pd.to, t);
	vet_date_format(x->r->pd.as_of, a);
	rf_f(x, &b, "%s %s (%s %s %s)    %s %s    %s %s",
	    rf_word(x, W_period), x->r->pd.label, f, rf_word(x, W_to), t,
	    rf_word(x, W_as_of), a, rf_word(x, W_policy),
	    x->r->s->policy_id);
	if (!x->oom && worksheet_write_string(ws, 1, 0, vet_buf_str(&b),
	    w->sub) != LXW_NO_ERROR)
		x->oom = 1;
	vet_buf_release(&b);
}

/*
 * The headline chart beside the tables: per district (the rows of the
 * headline table but its total), the veterans who need action, stacked by
 * their most urgent category (its columns from the fourth on), so that a
 * bar is people.  hdr is the header row, first..last the districts.
 */
static void
chart_headline(struct xw *w, lxw_worksheet *ws, const char *sheet,
    lxw_row_t hdr, lxw_row_t first, lxw_row_t last, size_t ncol,
    lxw_col_t at)
{
	lxw_chart *ch;
	lxw_chart_series *se;
	lxw_chart_options o;
	size_t j;

	if (last < first || ncol <= 3)
		return;
	if ((ch = workbook_add_chart(w->wb, LXW_CHART_BAR_STACKED)) == NULL) {
		w->x->oom = 1;
		return;
	}
	for (j = 3; j < ncol; j++) {
		se = chart_add_series(ch, NULL, NULL);
		chart_series_set_categories(se, sheet, first, 0, last, 0);
		chart_series_set_values(se, sheet, first, (lxw_col_t)j, last,
		    (lxw_col_t)j);
		chart_series_set_name_range(se, sheet, hdr, (lxw_col_t)j);
	}
	chart_title_set_name(ch, rf_word(w->x, W_fig_districts));
	chart_legend_set_position(ch, LXW_CHART_LEGEND_BOTTOM);
	/* Bars read top down in the table's order. */
	chart_axis_set_reverse(ch->x_axis);
	memset(&o, 0, sizeof o);
	o.x_scale = 2.0;
	o.y_scale = 1.0 + (double)(last - first) / 8.0;
	worksheet_insert_chart_opt(ws, TOP, at, ch, &o);
}

/* The column widths, *width of *maxcol, grown to ncol columns (of 8).
 * 0, or -1 out of memory. */
static int
widths(double **width, size_t *maxcol, size_t ncol)
{
	double *nw;
	size_t j;

	if (ncol <= *maxcol)
		return 0;
	if ((nw = realloc(*width, ncol * sizeof *nw)) == NULL)
		return -1;
	for (j = *maxcol; j < ncol; j++)
		nw[j] = 8;
	*width = nw;
	*maxcol = ncol;
	return 0;
}

/* The rows of table t from row, widening width to fit; the header of the
 * first table stays in view (*frozen).  The row after them. */
static lxw_row_t
table_rows(struct xw *w, lxw_worksheet *ws, const struct rf_table *t,
    size_t ncol, lxw_row_t row, double *width, int *frozen)
{
	struct rf_ctx *x = w->x;
	const struct rf_cell *c;
	size_t i, j, nrow = t->ncell / t->ncol;
	double cw;

	for (i = 0; i < nrow; i++, row++) {
		for (j = 0; j < ncol; j++) {
			c = &t->cells[i * t->ncol + j];
			put(w, ws, row, (lxw_col_t)j, c, t->title && i == 0,
			    !t->title && j == 0);
			cw = c->kind == RF_RATE ? 9 :
			    vet_xlsxout_width(x->text.data + c->off, c->len);
			if (cw > width[j])
				width[j] = cw;
		}
		/* The header of the first table stays in view, and so does
		 * its first column, which names the row. */
		if (i == 0 && t->title && !*frozen) {
			worksheet_freeze_panes(ws, row + 1, 1);
			*frozen = 1;
		}
	}
	return row;
}

static void
one_sheet(struct xw *w, enum rf_wkey key)
{
	struct rf_ctx *x = w->x;
	const char *name = rf_word(x, key);
	lxw_worksheet *ws = NULL;
	const struct rf_table *t;
	double *width = NULL;
	size_t ti, j, nrow, ncol, maxcol = 0;
	lxw_row_t row = TOP, hl_hdr = 0, hl_first = 0, hl_last = 0;
	size_t hl_ncol = 0;
	int frozen = 0, have_hl = 0;

	for (ti = 0; ti < x->ntab; ti++) {
		t = &x->tabs[ti];
		if (!on_sheet(x, ti, key, &ncol))
			continue;
		if (ws == NULL) {
			if ((ws = workbook_add_worksheet(w->wb, name)) ==
			    NULL) {
				x->oom = 1;
				return;
			}
			sheet_top(w, ws, name);
			page_setup(w, ws, name);
		}
		if (widths(&width, &maxcol, ncol) < 0) {
			x->oom = 1;
			break;
		}
		if (t->title) {
			if (x->oom || worksheet_write_string(ws, row, 0,
			    t->title, w->sub) != LXW_NO_ERROR)
				x->oom = 1;
			row++;
		}
		nrow = t->ncell / t->ncol;
		row = table_rows(w, ws, t, ncol, row, width, &frozen);
		if (ti == x->headline && nrow >= 3) {
			/* Header, the districts, then the total row. */
			hl_hdr = row - (lxw_row_t)nrow;
			hl_first = hl_hdr + 1;
			hl_last = row - 2;
			hl_ncol = ncol;
			have_hl = 1;
		}
		row++;
		if (!frozen) {
			/* A list of facts first: keep the sheet's own two
			 * rows in view. */
			worksheet_freeze_panes(ws, 2, 0);
			frozen = 1;
		}
	}
	for (j = 0; j < maxcol; j++)
		worksheet_set_column(ws, (lxw_col_t)j, (lxw_col_t)j, width[j],
		    NULL);
	if (have_hl)
		chart_headline(w, ws, name, hl_hdr, hl_first, hl_last, hl_ncol,
		    (lxw_col_t)maxcol + 1);
	free(width);
}

static lxw_format *
bad_format(lxw_workbook *wb, const char *num)
{
	lxw_format *f;

	if ((f = workbook_add_format(wb)) == NULL)
		return NULL;
	if (num)
		format_set_num_format(f, num);
	format_set_font_color(f, 0x9C0006);
	format_set_bg_color(f, 0xFFC7CE);
	return f;
}

int
rf_write_xlsx(struct rf_ctx *x, struct vet_buf *o, struct vet_error *err)
{
	struct vet_xlsxout xl;
	struct xw w;
	size_t i;
	int rc;

	if ((rc = vet_xlsxout_open(&xl, 0, x->r->pd.as_of, rf_word(x, W_title),
	    err)) < 0)
		return rc;
	memset(&w, 0, sizeof w);
	w.x = x;
	w.wb = xl.wb;
	w.title = workbook_add_format(w.wb);
	format_set_bold(w.title);
	format_set_font_size(w.title, 14);
	w.sub = workbook_add_format(w.wb);
	format_set_bold(w.sub);
	w.head = workbook_add_format(w.wb);
	format_set_bold(w.head);
	format_set_bg_color(w.head, 0xF2F2F2);
	format_set_border(w.head, LXW_BORDER_THIN);
	format_set_align(w.head, LXW_ALIGN_CENTER);
	w.label = workbook_add_format(w.wb);
	format_set_bold(w.label);
	w.num = workbook_add_format(w.wb);
	format_set_num_format(w.num, "#,##0");
	w.pct = workbook_add_format(w.wb);
	format_set_num_format(w.pct, "0.0%");
	w.chg = workbook_add_format(w.wb);
	format_set_num_format(w.chg, "+#,##0;-#,##0;0");
	w.na = workbook_add_format(w.wb);
	format_set_align(w.na, LXW_ALIGN_RIGHT);
	w.num_bad = bad_format(w.wb, "#,##0");
	w.pct_bad = bad_format(w.wb, "0.0%");
	w.text_bad = bad_format(w.wb, NULL);
	if ((w.rtext_bad = bad_format(w.wb, NULL)) != NULL)
		format_set_align(w.rtext_bad, LXW_ALIGN_RIGHT);
	if (w.title == NULL || w.sub == NULL || w.head == NULL ||
	    w.label == NULL || w.num == NULL || w.pct == NULL ||
	    w.chg == NULL || w.na == NULL || w.num_bad == NULL ||
	    w.pct_bad == NULL || w.text_bad == NULL ||
	    w.rtext_bad == NULL)
		x->oom = 1;
	for (i = 0; i < NSHEETS && !x->oom; i++)
		one_sheet(&w, sheet_keys[i]);
	vet_buf_release(&w.s);
	if (x->oom) {
		vet_xlsxout_discard(&xl);
		return vet_error_nomem(err);
	}
	rc = vet_xlsxout_close(&xl, vet_xlsxout_sink_buf, o, err);
	if (rc == VET_ENOMEM)
		vet_error_nomem(err);
	return rc;
}
