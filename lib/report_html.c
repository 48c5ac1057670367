/*
 * report_html.c - the html form of the report (report.h): one
 * self-contained file with inline SVG charts and a print stylesheet for A4;
 * no scripts, no fonts, images or styles from the network.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vet/buf.h"
#include "vet/html.h"
#include "vet/mask.h"
#include "vet/report.h"
#include "report_table.h"
#include "report_impl.h"

/* The shared escaping (html.h), its failure kept in x->oom. */
static void
esc(struct rf_ctx *x, struct vet_buf *o, const char *s, size_t n)
{
	if (vet_html_escape(o, s, n) < 0)
		x->oom = 1;
}

static void
escs(struct rf_ctx *x, struct vet_buf *o, const char *s)
{
	esc(x, o, s, strlen(s));
}

/* A categorical palette that stays distinct in greyscale print. */
static const char *const palette[] = {
	"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
	"#e377c2", "#7f7f7f", "#bcbd22", "#17becf", "#393b79", "#ad494a",
	"#637939", "#8c6d31", "#843c39", "#7b4173"
};
#define NPAL (sizeof palette / sizeof palette[0])

static const char style[] =
	"body{font-family:\"Noto Sans CJK SC\",\"Source Han Sans SC\","
	"\"Microsoft YaHei\",\"PingFang SC\",sans-serif;margin:24px;"
	"color:#222;max-width:1100px}\n"
	"h1{font-size:22px;border-bottom:2px solid #8b0000;"
	"padding-bottom:6px}\n"
	"h2{font-size:17px;margin-top:28px;color:#8b0000}\n"
	"table{border-collapse:collapse;font-size:13px;margin:8px 0}\n"
	"th,td{border:1px solid #bbb;padding:3px 7px}\n"
	"th{background:#f2f2f2;font-weight:600}\n"
	"td.n{text-align:right;font-variant-numeric:tabular-nums;"
	"white-space:nowrap}\n"
	"td.bad{background:#f8d0d0;color:#8b0000;font-weight:600}\n"
	/* Names of places and headings never break one character a line. */
	"th,td.name{white-space:nowrap}\n"
	"table.facts td,table.facts th{border:none;text-align:left}\n"
	"figure{margin:12px 0}\n"
	"figcaption{font-size:14px;font-weight:600;margin-bottom:4px}\n"
	"svg{max-width:100%;height:auto}\n"
	"svg text{font-size:12px}\n"
	".wide{overflow-x:auto}\n"
	"@media print{@page{size:A4;margin:15mm}"
	"body{margin:0;max-width:none;font-size:10pt}"
	"h2{page-break-after:avoid}"
	"table,figure{page-break-inside:avoid}"
	"table{font-size:8pt}th,td{padding:1px 4px}"
	".wide{overflow:visible}}\n";

static void
table_html(struct rf_ctx *x, struct vet_buf *o, const struct rf_table *t)
{
	const struct rf_cell *c;
	size_t i, j, nrow = t->ncell / t->ncol;

	if (t->title) {
		rf_str(x, o, "<h2>");
		escs(x, o, t->title);
		rf_str(x, o, "</h2>\n<div class=\"wide\"><table>\n");
	} else
		rf_str(x, o, "<table class=\"facts\">\n");
	for (i = 0; i < nrow; i++) {
		rf_str(x, o, "<tr>");
		for (j = 0; j < t->ncol; j++) {
			const char *tag = (t->title && i == 0) ||
			    (!t->title && j == 0) ? "th" : "td";

			c = &t->cells[i * t->ncol + j];
			rf_f(x, o, "<%s%s>", tag, tag[1] != 'd' ? "" :
			    c->breach ? " class=\"n bad\"" : c->num ?
			    " class=\"n\"" : " class=\"name\"");
			esc(x, o, x->text.data + c->off, c->len);
			rf_f(x, o, "</%s>", tag);
		}
		rf_str(x, o, "</tr>\n");
	}
	rf_str(x, o, t->title ? "</table></div>\n" : "</table>\n");
}

/*
 * The width in pixels that label s needs at 12px: a CJK character is a
 * square, anything else about 0.6 of one.  Charts size their label column
 * with it so that no label is clipped ("ocational empowerment").
 */
static int
label_px(const char *s)
{
	return (int)(vet_report_width(s, strlen(s)) * 7) + 4;
}

/* The label of urgency column i: a category, or none. */
static const char *
urg_label(const struct rf_ctx *x, size_t i)
{
	const struct vet_report_schema *s = x->r->s;

	return i < s->ncat ? rf_label(x, s->cats[i]) :
	    rf_word(x, W_no_category);
}

/* One district's bar at y (name: its label, cleaned), scaled so that max
 * people are width pixels from left. */
static void
chart_bar(struct rf_ctx *x, struct vet_buf *o, const int64_t *c,
    const struct vet_buf *name, int y, int left, int64_t max)
{
	const struct vet_report *r = x->r;
	const int width = 640, rowh = 20;
	int64_t acc = 0;
	size_t i;
	int x0, x1;

	rf_f(x, o, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">", left - 8,
	    y + 14);
	esc(x, o, vet_buf_str(name), name->len);
	rf_str(x, o, "</text>\n");
	for (i = 0; i <= r->s->ncat; i++) {
		if (c[r->off_urg + i] == 0 || max == 0)
			continue;
		x0 = left + (int)(acc * width / max);
		acc += c[r->off_urg + i];
		x1 = left + (int)(acc * width / max);
		rf_f(x, o, "<rect x=\"%d\" y=\"%d\" width=\"%d\" "
		    "height=\"%d\" fill=\"%s\"><title>", x0, y,
		    x1 - x0 > 0 ? x1 - x0 : 1, rowh, palette[i % NPAL]);
		esc(x, o, vet_buf_str(name), name->len);
		rf_str(x, o, " · ");
		escs(x, o, urg_label(x, i));
		rf_f(x, o, ": %lld</title></rect>\n",
		    (long long)c[r->off_urg + i]);
	}
	/* The bar's people, of the district's veterans. */
	rf_f(x, o, "<text x=\"%d\" y=\"%d\">%lld / %lld</text>\n",
	    left + (int)(max ? acc * width / max : 0) + 4, y + 14,
	    (long long)acc, (long long)c[RC_VETERANS]);
}

/* The legend of the headline chart from y: the categories someone has
 * as the most urgent, with their totals. */
static void
chart_legend(struct rf_ctx *x, struct vet_buf *o, int y)
{
	const struct vet_report *r = x->r;
	size_t i, nleg = 0;
	int h;

	for (i = 0; i <= r->s->ncat; i++) {
		if (x->tot[r->off_urg + i] == 0)
			continue;
		h = y + (int)nleg++ * 20;
		rf_f(x, o, "<rect x=\"%d\" y=\"%d\" width=\"12\" "
		    "height=\"12\" fill=\"%s\"/><text x=\"%d\" y=\"%d\">",
		    10, h, palette[i % NPAL], 10 + 17, h + 11);
		escs(x, o, urg_label(x, i));
		rf_f(x, o, " (%lld)</text>\n",
		    (long long)x->tot[r->off_urg + i]);
	}
}

/*
 * The headline: per district, the veterans who need action as one bar
 * made of their most urgent categories, so a bar is people and adds up to
 * its label; categories that overlap are the tables' business.
 */
static void
chart_districts(struct rf_ctx *x, struct vet_buf *o)
{
	const struct vet_report *r = x->r;
	const struct vet_report_schema *s = r->s;
	const int width = 640, rowh = 20, gap = 6, top = 10;
	size_t *ix, i, j, nshown = 0, nleg = 0;
	int64_t *c, max = 0;
	struct vet_buf name = VET_BUF_INIT, m = VET_BUF_INIT;
	int y, h, left = 60, lw, legw = 0;

	if ((ix = rtab_order(&r->districts, s)) == NULL) {
		x->oom = 1;
		return;
	}
	for (j = 0; j < r->districts.n; j++) {
		if (!rf_shown(x, &r->districts, ix[j]))
			continue;
		nshown++;
		c = rtab_row(&r->districts, ix[j]);
		if (c[RC_ACTION] > max)
			max = c[RC_ACTION];
		rf_group_name(x, &r->districts, ix[j], &name);
		if ((lw = label_px(vet_buf_str(&name)) + 8) > left)
			left = lw;
	}
	for (i = 0; i <= s->ncat; i++)
		if (x->tot[r->off_urg + i] > 0) {
			if ((lw = label_px(urg_label(x, i)) + 24) > legw)
				legw = lw;
			nleg++;
		}
	if (legw < 120)
		legw = 120;
	h = top + (int)nshown * (rowh + gap) + 20 + (int)nleg * 20;
	rf_str(x, o, "<figure>\n<figcaption>");
	escs(x, o, rf_word(x, W_fig_districts));
	rf_f(x, o, "</figcaption>\n<svg width=\"%d\" height=\"%d\" "
	    "viewBox=\"0 0 %d %d\" role=\"img\">\n", left + width + 200, h,
	    left + width + 200, h);
	y = top;
	for (j = 0; j < r->districts.n; j++) {
		if (!rf_shown(x, &r->districts, ix[j]))
			continue;
		rf_group_name(x, &r->districts, ix[j], &name);
		vet_buf_reset(&m);
		rf_clean(x, &m, vet_buf_str(&name), name.len);
		chart_bar(x, o, rtab_row(&r->districts, ix[j]), &m, y, left,
		    max);
		y += rowh + gap;
	}
	chart_legend(x, o, y + 10);
	rf_str(x, o, "</svg>\n</figure>\n");
	vet_buf_release(&name);
	vet_buf_release(&m);
	free(ix);
}

/* The links of the chain: for each, a pale bar of the planned and over it
 * a dark one of the delivered (none without --events: unknown). */
static void
chart_funnel(struct rf_ctx *x, struct vet_buf *o)
{
	const struct vet_report *r = x->r;
	const struct vet_report_schema *s = r->s;
	const int width = 600, rowh = 26, gap = 4;
	int64_t p, d, max = 1;
	size_t i;
	int y, w, h, left = 60, lw;
	char pc[32];

	for (i = 0; i < s->nlinks; i++) {
		if (x->tot[r->off_link + i] > max)
			max = x->tot[r->off_link + i];
		if ((lw = label_px(rf_label(x, s->links[i])) + 8) > left)
			left = lw;
	}
	h = (int)s->nlinks * (rowh + gap) + 10;
	rf_str(x, o, "<figure>\n<figcaption>");
	escs(x, o, rf_word(x, W_fig_funnel));
	rf_f(x, o, "</figcaption>\n<svg width=\"%d\" height=\"%d\" "
	    "viewBox=\"0 0 %d %d\" role=\"img\">\n", left + width + 200, h,
	    left + width + 200, h);
	for (y = 5, i = 0; i < s->nlinks; i++, y += rowh + gap) {
		p = x->tot[r->off_link + i];
		d = x->tot[r->off_dlv + i];
		rf_f(x, o, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">",
		    left - 8, y + 17);
		escs(x, o, rf_label(x, s->links[i]));
		w = (int)(p * width / max);
		rf_f(x, o, "</text>\n<rect x=\"%d\" y=\"%d\" width=\"%d\" "
		    "height=\"%d\" fill=\"#c6dbef\"><title>", left, y,
		    w > 0 ? w : 1, rowh);
		escs(x, o, rf_label(x, s->links[i]));
		rf_f(x, o, " · %s: %lld</title></rect>\n",
		    rf_word(x, W_planned), (long long)p);
		if (r->have_events) {
			w = (int)(d * width / max);
			rf_f(x, o, "<rect x=\"%d\" y=\"%d\" width=\"%d\" "
			    "height=\"%d\" fill=\"%s\"><title>", left, y + 6,
			    w > 0 ? w : 1, rowh - 12,
			    d < p ? "#d62728" : "#1f77b4");
			escs(x, o, rf_label(x, s->links[i]));
			rf_f(x, o, " · %s: %lld</title></rect>\n",
			    rf_word(x, W_delivered), (long long)d);
			if (p > 0)
				rf_percent(pc, sizeof pc, d, p);
			else
				snprintf(pc, sizeof pc, "%s", rf_word(x, W_na));
			rf_f(x, o, "<text x=\"%d\" y=\"%d\">%lld / %lld "
			    "(%s)%s</text>\n", left + width + 8, y + 17,
			    (long long)d, (long long)p, pc, d < p ?
			    " \xE2\x9C\x97" : "");
		} else
			rf_f(x, o, "<text x=\"%d\" y=\"%d\">%s / %lld</text>\n",
			    left + width + 8, y + 17, rf_word(x, W_unknown),
			    (long long)p);
	}
	rf_str(x, o, "</svg>\n</figure>\n");
}

void
rf_write_html(struct rf_ctx *x, struct vet_buf *o)
{
	struct vet_buf t = VET_BUF_INIT;
	size_t i;

	/* The title is the report's and its period's. */
	if (vet_buf_addstr(&t, rf_word(x, W_title)) < 0 ||
	    vet_buf_addch(&t, ' ') < 0 ||
	    vet_buf_addstr(&t, x->r->pd.label) < 0 ||
	    vet_html_begin(o, x->en ? "en" : "zh-CN", t.data, t.len,
	    style) < 0)
		x->oom = 1;
	vet_buf_release(&t);
	rf_str(x, o, "<h1>");
	escs(x, o, rf_word(x, W_title));
	rf_str(x, o, " ");
	escs(x, o, x->r->pd.label);
	rf_str(x, o, "</h1>\n");
	for (i = 0; i < x->ntab; i++) {
		table_html(x, o, &x->tabs[i]);
		/* The charts go before the tables they summarise. */
		if (i == 0) {
			chart_districts(x, o);
			chart_funnel(x, o);
		}
	}
	if (vet_html_end(o) < 0)
		x->oom = 1;
}
