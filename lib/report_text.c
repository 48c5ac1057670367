/*
 * report_text.c - the text, md and csv forms of the report (report.h),
 * rendered from the table model (report_table.h).
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vet/buf.h"
#include "vet/date.h"
#include "vet/error.h"
#include "vet/json.h"
#include "vet/mask.h"
#include "vet/report.h"
#include "report_impl.h"
#include "report_table.h"

/* ---- text, md, csv ------------------------------------------------------ */

/* n copies of c; a report's padding and rules are most of its bytes. */
static void
run(struct rf_ctx *x, struct vet_buf *o, int c, size_t n)
{
	if (n == 0)
		return;
	if (vet_buf_grow(o, n) < 0) {
		x->oom = 1;
		return;
	}
	memset(o->data + o->len, c, n);
	o->len += n;
	o->data[o->len] = '\0';
}

static void
pad(struct rf_ctx *x, struct vet_buf *o, size_t n)
{
	run(x, o, ' ', n);
}

/* The widest a line of the text report may be: a terminal, cron mail. */
#define TEXT_COLS 100

/*
 * One block of table t: the key columns [0, nkey) and then columns
 * [from, to), with widths w and right-alignment num.
 */
static void
text_block(struct rf_ctx *x, struct vet_buf *o, const struct rf_table *t,
    const size_t *w, const size_t *cws, const int *num, size_t nkey,
    size_t from, size_t to)
{
	const struct rf_cell *c;
	size_t i, j, k, n, nrow = t->ncell / t->ncol, cw, line;
	int right;

	for (i = 0; i < nrow; i++) {
		line = 0;
		n = nkey + (to - from);
		for (k = 0; k < n; k++) {
			j = k < nkey ? k : from + (k - nkey);
			c = &t->cells[i * t->ncol + j];
			cw = cws[i * t->ncol + j];
			if (k > 0)
				pad(x, o, 2);
			/* Numbers go right; the last column is not padded on
			 * the right, so no line ends in spaces. */
			right = num[j];
			if (right)
				pad(x, o, w[j] - cw);
			rf_add(x, o, x->text.data + c->off, c->len);
			if (!right && k + 1 < n)
				pad(x, o, w[j] - cw);
			line += w[j] + (k > 0 ? 2 : 0);
		}
		rf_ch(x, o, '\n');
		if (i == 0 && t->title) {
			run(x, o, '-', line);
			rf_ch(x, o, '\n');
		}
	}
}

void
rf_write_text(struct rf_ctx *x, struct vet_buf *o)
{
	struct rf_table *t;
	struct rf_cell *c;
	size_t ti, i, j, *w, *cw, *cws, nkey, keyw, from, to, used;
	size_t maxcol = 1;
	int *num;

	for (ti = 0; ti < x->ntab; ti++)
		if (x->tabs[ti].ncol > maxcol)
			maxcol = x->tabs[ti].ncol;
	/* Each cell's width, measured once for its column's and again
	 * when padded (a tenth of a one-record report); the column widths
	 * and alignments of one table at a time. */
	w = malloc(maxcol * sizeof *w);
	num = malloc(maxcol * sizeof *num);
	cw = malloc((x->ncell + 1) * sizeof *cw);
	/* The padding makes the text about three times its cells. */
	if (w == NULL || num == NULL || cw == NULL ||
	    vet_buf_grow(o, x->text.len * 3 + 256) < 0) {
		free(w);
		free(num);
		free(cw);
		x->oom = 1;
		return;
	}
	rf_str(x, o, rf_word(x, W_title));
	rf_ch(x, o, '\n');
	for (ti = 0; ti < x->ntab; ti++) {
		t = &x->tabs[ti];
		cws = cw + t->first;
		memset(w, 0, t->ncol * sizeof *w);
		memset(num, 0, t->ncol * sizeof *num);
		for (i = 0; i < t->ncell; i++) {
			c = &t->cells[i];
			cws[i] = vet_report_width(x->text.data + c->off, c->len);
			if (cws[i] > w[i % t->ncol])
				w[i % t->ncol] = cws[i];
			/* A column of numbers is right-aligned, its
			 * heading too. */
			if (c->num && t->title)
				num[i % t->ncol] = 1;
		}
		rf_ch(x, o, '\n');
		if (t->title) {
			rf_str(x, o, t->title);
			rf_ch(x, o, '\n');
		}
		/*
		 * A table wider than TEXT_COLS is split into stacked blocks
		 * of whole columns, each repeating the columns that name the
		 * row (the text ones before the first number), so that every
		 * line fits a terminal and every figure keeps its row's name.
		 */
		for (nkey = 0; nkey + 1 < t->ncol && !num[nkey]; nkey++)
			;
		if (nkey == 0)
			nkey = 1;
		for (keyw = 0, j = 0; j < nkey; j++)
			keyw += w[j] + (j > 0 ? 2 : 0);
		for (from = nkey; from < t->ncol || from == nkey; from = to) {
			used = keyw;
			for (to = from; to < t->ncol; to++) {
				if (to > from && used + 2 + w[to] > TEXT_COLS)
					break;
				used += 2 + w[to];
			}
			if (from > nkey)
				rf_ch(x, o, '\n');
			text_block(x, o, t, w, cws, num, nkey, from, to);
			if (to >= t->ncol)
				break;
		}
	}
	free(w);
	free(num);
	free(cw);
}

static void
md_cell(struct rf_ctx *x, struct vet_buf *o, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] == '|' || s[i] == '\\' || s[i] == '*' || s[i] == '_' ||
		    s[i] == '`' || s[i] == '<' || s[i] == '[')
			rf_ch(x, o, '\\');
		if (s[i] == '\n' || s[i] == '\r')
			rf_ch(x, o, ' ');
		else
			rf_ch(x, o, s[i]);
	}
}

void
rf_write_md(struct rf_ctx *x, struct vet_buf *o)
{
	struct rf_table *t;
	struct rf_cell *c;
	size_t ti, i, j, nrow;

	rf_str(x, o, "# ");
	rf_str(x, o, rf_word(x, W_title));
	rf_ch(x, o, '\n');
	for (ti = 0; ti < x->ntab; ti++) {
		t = &x->tabs[ti];
		nrow = t->ncell / t->ncol;
		rf_ch(x, o, '\n');
		if (t->title) {
			rf_str(x, o, "## ");
			rf_str(x, o, t->title);
			rf_str(x, o, "\n\n");
		}
		for (i = 0; i < nrow; i++) {
			/* A table without a title is a list of facts. */
			if (t->title == NULL) {
				rf_str(x, o, "- **");
				c = &t->cells[i * t->ncol];
				md_cell(x, o, x->text.data + c->off, c->len);
				rf_str(x, o, "**: ");
				c++;
				md_cell(x, o, x->text.data + c->off, c->len);
				rf_ch(x, o, '\n');
				continue;
			}
			rf_ch(x, o, '|');
			for (j = 0; j < t->ncol; j++) {
				c = &t->cells[i * t->ncol + j];
				rf_ch(x, o, ' ');
				md_cell(x, o, x->text.data + c->off, c->len);
				rf_str(x, o, " |");
			}
			rf_ch(x, o, '\n');
			if (i == 0) {
				rf_ch(x, o, '|');
				for (j = 0; j < t->ncol; j++)
					rf_str(x, o, j == 0 ? "---|" :
					    "---:|");
				rf_ch(x, o, '\n');
			}
		}
	}
}

/*
 * One CSV field.  Text that a spreadsheet would run as a formula (starting
 * with = + - @, or a tab or carriage return that some strip first) gets a
 * leading apostrophe (OWASP "CSV injection"); numbers the report computed
 * are left alone so that Excel still sums them.
 */
void
rf_csv_field(struct rf_ctx *x, struct vet_buf *o, const char *s, size_t n,
    int num)
{
	size_t i;
	int quote = 0, esc;

	esc = !num && n > 0 && (s[0] == '=' || s[0] == '+' || s[0] == '-' ||
	    s[0] == '@' || s[0] == '\t' || s[0] == '\r');
	for (i = 0; i < n; i++)
		if (s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r')
			quote = 1;
	if (quote)
		rf_ch(x, o, '"');
	if (esc)
		rf_ch(x, o, '\'');
	for (i = 0; i < n; i++) {
		if (s[i] == '"')
			rf_ch(x, o, '"');
		rf_ch(x, o, s[i]);
	}
	if (quote)
		rf_ch(x, o, '"');
}

void
rf_write_csv(struct rf_ctx *x, struct vet_buf *o)
{
	struct rf_table *t;
	struct rf_cell *c;
	size_t ti, i, j, nrow;
	const char *title;

	if (x->f->bom)
		rf_str(x, o, "\xEF\xBB\xBF");
	for (ti = 0; ti < x->ntab; ti++) {
		t = &x->tabs[ti];
		nrow = t->ncell / t->ncol;
		if (ti > 0)
			rf_str(x, o, "\r\n");
		title = t->title ? t->title : rf_word(x, W_title);
		rf_csv_field(x, o, title, strlen(title), 0);
		rf_str(x, o, "\r\n");
		for (i = 0; i < nrow; i++) {
			for (j = 0; j < t->ncol; j++) {
				c = &t->cells[i * t->ncol + j];
				if (j > 0)
					rf_ch(x, o, ',');
				rf_csv_field(x, o, x->text.data + c->off,
				    c->len, c->num);
			}
			rf_str(x, o, "\r\n");
		}
	}
}
