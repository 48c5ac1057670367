/*
 * report_table.h - private to lib/report*.c: the table model every writer
 * renders (report_table.c lays the report out; report_text.c, report_html.c
 * and report_xlsx.c render it, report_json.c reads the same figures), so
 * that no writer depends on another.  Not installed, not for other modules.
 *
 * Ownership: struct rf_ctx is made and released by vet_report_format()
 * (report_fmt.c); its tables and cell text are its own; it borrows the
 * report and the format options for the call.
 */
#ifndef VET_REPORT_TABLE_H
#define VET_REPORT_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "vet/buf.h"
#include "vet/report.h"
#include "report_impl.h"
#include "report_words.h"

/* The report's own words: W_title, W_na, ... (report_words.h). */
enum rf_wkey {
#define X(k, zh, en) W_##k,
	RF_WORDS(X)
#undef X
	W_N
};

/* What a cell holds beyond its text, for the writers that keep numbers
 * as numbers (xlsx): the text stays what text, md, csv and html show. */
enum rf_kind {
	RF_TEXT,
	RF_INT,			/* the integer a */
	RF_RATE,		/* a of b, b > 0: shown as a percentage */
	RF_NA			/* not available ("-") */
};

/* 32 bytes: a report's cells are a few hundred, laid out at every run. */
struct rf_cell {
	uint32_t off, len;	/* bytes in rf_ctx.text (under 4 GiB) */
	int64_t a, b;
	unsigned char num;	/* a number: right-aligned, never escaped */
	unsigned char kind;	/* enum rf_kind */
	unsigned char breach;	/* below its target: marked, painted red */
};

/*
 * A figure of the compliance table or the 六有 scorecard (rf_compliance,
 * rf_six): num (+ num2) over den.  A counter is an RC_ index into a group
 * row, or RF_SIDE(RD_...) into the district's side row; den may instead be
 * a target.
 */
struct rf_ctx;
enum rf_fig_kind {
	RF_FIG_RATE,		/* num of den people */
	RF_FIG_COUNT,		/* a count against a target */
	RF_FIG_SUPPLY		/* num posts for den people */
};
enum rf_need {
	RF_NEED_NONE,		/* from the records alone */
	RF_NEED_EVENTS,		/* unknown without --events */
	RF_NEED_SUPPLY		/* unknown without --events and --jobs */
};
/* How a figure's column is headed: its word, with the policy's number
 * where the figure is measured against one. */
enum rf_head {
	RF_HEAD_WORD,
	RF_HEAD_HOURS,		/* "word (≥H h)": the training minimum */
	RF_HEAD_FAIRS		/* "word (/N)": the job fairs a year */
};
#define RF_SIDE(k) (-2 - (k))
#define RF_TARGET_ONE (-100)	/* at least one in the period */
#define RF_TARGET_FAIRS (-101)	/* the policy's job fairs a year */
struct rf_figure {
	const char *key;	/* in the json */
	enum rf_wkey word;	/* its label (rf_word) */
	enum rf_fig_kind kind;
	enum rf_need need;
	int num, num2, den;
	enum rf_head head;
	int prev;		/* --compare: its row of prev_comp, or -1 */
};
extern const struct rf_figure rf_compliance[], rf_six[];
struct rf_fval {
	int avail;		/* known (the side files it needs given) */
	int64_t num, den;
	int breach;
};
/* The value of figure g for group row c with side row d (may be NULL). */
void rf_figure_value(const struct rf_ctx *x, const struct rf_figure *g,
    const int64_t *c, const int64_t *d, struct rf_fval *v);

/*
 * Link i of the chain (SPEC: planned, and of those delivered) for group
 * row c: num delivered of den planned; unknown without --events, a breach
 * when any planned was not delivered.
 */
void rf_link_value(const struct rf_ctx *x, const int64_t *c, size_t i,
    struct rf_fval *v);
/*
 * --compare: the figure g of the previous report (v: its num of den, avail
 * when the previous report had it and anyone was due) and its change in
 * per mille points against now (*permille, when both are known: 1).
 */
int rf_figure_change(const struct rf_ctx *x, const struct rf_figure *g,
    struct rf_fval *prev, struct rf_fval *now, int64_t *permille);

/* A table: row 0 is the header when title is set; a table without a title
 * is a list of label/value facts. */
struct rf_table {
	const char *title;
	enum rf_wkey sheet;	/* xlsx: the sheet it goes on */
	size_t ncol;
	/* ncell cells from rf_ctx.cells[first]; cells points there once
	 * rf_layout() has returned (the array moves while it grows). */
	struct rf_cell *cells;
	size_t first, ncell;
};

struct rf_ctx {
	const struct vet_report *r;
	const struct vet_report_fmt *f;
	int en;
	int64_t *tot;		/* k: the sum of every district */
	int64_t dtot[RD_N];	/* event figures of the districts reported */
	size_t nsup;		/* groups suppressed by --min-cell */
	unsigned char *hide_d;	/* districts rows left out (--min-cell) */
	unsigned char *hide_g;	/* groups rows left out */
	struct rf_table *tabs;
	size_t ntab, captab;
	struct rf_cell *cells;	/* every table's, one after another */
	size_t ncell, capcell;
	size_t headline;	/* the index of the headline table */
	size_t totals;		/* ... of the category totals */
	struct vet_buf text;	/* the cells' bytes */
	struct vet_buf scratch;
	struct vet_buf masked;	/* cell_data's own scratch */
	int oom;
};

/* One line of the findings table. */
struct rf_finding {
	const char *p;		/* the check code, not NUL-terminated */
	size_t n;
	int64_t count;
};

/*
 * Appending to the output: a failure to grow sets x->oom, which makes
 * vet_report_format() fail with VET_ENOMEM instead of returning a report
 * with a hole in it.
 */
void rf_add(struct rf_ctx *x, struct vet_buf *o, const char *p, size_t n);
void rf_str(struct rf_ctx *x, struct vet_buf *o, const char *s);
void rf_ch(struct rf_ctx *x, struct vet_buf *o, int c);
void rf_f(struct rf_ctx *x, struct vet_buf *o, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void rf_jstr(struct rf_ctx *x, struct vet_buf *o, const char *s, size_t n);

const char *rf_word(const struct rf_ctx *x, enum rf_wkey k);
const char *rf_label(const struct rf_ctx *x, const char *code);
void rf_percent(char *b, size_t n, int64_t num, int64_t den);
void rf_clean(struct rf_ctx *x, struct vet_buf *out, const char *s,
    size_t n);
void rf_group_name(struct rf_ctx *x, const struct rtab *t, size_t i,
    struct vet_buf *out);
int rf_shown(const struct rf_ctx *x, const struct rtab *t, size_t i);
void rf_csv_field(struct rf_ctx *x, struct vet_buf *o, const char *s,
    size_t n, int num);
struct rf_finding *rf_findings(const struct vet_report *r, size_t *np);
/* The side row (events, --jobs) of district row i, or NULL. */
const int64_t *rf_side_row(const struct vet_report *r, size_t i);
/* --min-cell: decides x->hide_d and x->hide_g.  0, or -1 out of memory. */
int rf_suppress(struct rf_ctx *x);
/* Lays the report out as x->tabs (a failure sets x->oom). */
void rf_layout(struct rf_ctx *x);
/* The writers; a failure to grow the output sets x->oom. */
void rf_write_text(struct rf_ctx *x, struct vet_buf *o);
void rf_write_md(struct rf_ctx *x, struct vet_buf *o);
void rf_write_csv(struct rf_ctx *x, struct vet_buf *o);
void rf_write_json(struct rf_ctx *x, struct vet_buf *o);
void rf_write_html(struct rf_ctx *x, struct vet_buf *o);
/* The workbook (report_xlsx.c): 0, or VET_EIO / VET_ENOMEM with err. */
int rf_write_xlsx(struct rf_ctx *x, struct vet_buf *o, struct vet_error *err);

#endif
