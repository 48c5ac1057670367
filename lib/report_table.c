/*
 * report_table.c - the table model of vet-report (report_table.h): the
 * report laid out once as a list of tables of cells, with the words of the
 * report, the figures it shows and --min-cell suppression, so that every
 * writer (text, md, csv, html, xlsx; json reads the same figures) renders
 * the same numbers and none of them depends on another.
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

/* ---- display width ------------------------------------------------------ */

/*
 * East Asian Wide (W) and Fullwidth (F) ranges of Unicode 15
 * (EastAsianWidth.txt), merged; ambiguous characters count as narrow, as
 * terminals in a Chinese locale outside CJK legacy mode show them.
 */
static const uint32_t wide[][2] = {
	{ 0x1100, 0x115F }, { 0x231A, 0x231B }, { 0x2329, 0x232A },
	{ 0x23E9, 0x23EC }, { 0x23F0, 0x23F0 }, { 0x23F3, 0x23F3 },
	{ 0x25FD, 0x25FE }, { 0x2614, 0x2615 }, { 0x2648, 0x2653 },
	{ 0x267F, 0x267F }, { 0x2693, 0x2693 }, { 0x26A1, 0x26A1 },
	{ 0x26AA, 0x26AB }, { 0x26BD, 0x26BE }, { 0x26C4, 0x26C5 },
	{ 0x26CE, 0x26CE }, { 0x26D4, 0x26D4 }, { 0x26EA, 0x26EA },
	{ 0x26F2, 0x26F3 }, { 0x26F5, 0x26F5 }, { 0x26FA, 0x26FA },
	{ 0x26FD, 0x26FD }, { 0x2705, 0x2705 }, { 0x270A, 0x270B },
	{ 0x2728, 0x2728 }, { 0x274C, 0x274C }, { 0x274E, 0x274E },
	{ 0x2753, 0x2755 }, { 0x2757, 0x2757 }, { 0x2795, 0x2797 },
	{ 0x27B0, 0x27B0 }, { 0x27BF, 0x27BF }, { 0x2B1B, 0x2B1C },
	{ 0x2B50, 0x2B50 }, { 0x2B55, 0x2B55 }, { 0x2E80, 0x303E },
	{ 0x3041, 0x33FF }, { 0x3400, 0x4DBF }, { 0x4E00, 0x9FFF },
	{ 0xA000, 0xA4CF }, { 0xA960, 0xA97F }, { 0xAC00, 0xD7A3 },
	{ 0xF900, 0xFAFF }, { 0xFE10, 0xFE19 }, { 0xFE30, 0xFE6F },
	{ 0xFF00, 0xFF60 }, { 0xFFE0, 0xFFE6 }, { 0x16FE0, 0x16FE4 },
	{ 0x17000, 0x18CFF }, { 0x1B000, 0x1B2FF }, { 0x1F004, 0x1F004 },
	{ 0x1F0CF, 0x1F0CF }, { 0x1F18E, 0x1F18E }, { 0x1F191, 0x1F19A },
	{ 0x1F200, 0x1F251 }, { 0x1F260, 0x1F265 }, { 0x1F300, 0x1F64F },
	{ 0x1F680, 0x1F6FF }, { 0x1F7E0, 0x1F7EB }, { 0x1F90C, 0x1F9FF },
	{ 0x1FA70, 0x1FAFF }, { 0x20000, 0x2FFFD }, { 0x30000, 0x3FFFD }
};

/* Zero-width: combining marks, zero-width spaces and joiners, variation
 * selectors. */
static const uint32_t zero[][2] = {
	{ 0x0300, 0x036F }, { 0x200B, 0x200F }, { 0x2028, 0x202E },
	{ 0x2060, 0x2064 }, { 0x20D0, 0x20FF }, { 0x302A, 0x302D },
	{ 0x3099, 0x309A }, { 0xFE00, 0xFE0F }, { 0xFE20, 0xFE2F },
	{ 0xFEFF, 0xFEFF }, { 0xE0100, 0xE01EF }
};

static int
in_ranges(uint32_t c, const uint32_t (*t)[2], size_t n)
{
	size_t lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (c < t[mid][0])
			hi = mid;
		else if (c > t[mid][1])
			lo = mid + 1;
		else
			return 1;
	}
	return 0;
}

/* Decodes one UTF-8 character at s (n > 0); returns its length, or 0 for
 * an invalid byte. */
static size_t
utf8_dec(const unsigned char *s, size_t n, uint32_t *c)
{
	size_t len, i;

	if (s[0] < 0x80) {
		*c = s[0];
		return 1;
	}
	if (s[0] >= 0xC2 && s[0] <= 0xDF)
		len = 2, *c = s[0] & 0x1F;
	else if (s[0] >= 0xE0 && s[0] <= 0xEF)
		len = 3, *c = s[0] & 0x0F;
	else if (s[0] >= 0xF0 && s[0] <= 0xF4)
		len = 4, *c = s[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		*c = (*c << 6) | (s[i] & 0x3F);
	}
	if ((len == 3 && (*c < 0x800 || (*c >= 0xD800 && *c <= 0xDFFF))) ||
	    (len == 4 && (*c < 0x10000 || *c > 0x10FFFF)))
		return 0;
	return len;
}

size_t
vet_report_width(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t w = 0, l;
	uint32_t c;

	while (n > 0) {
		/* Most cells are digits and ASCII words. */
		if (*p >= 0x20 && *p < 0x7F) {
			w++;
			p++;
			n--;
			continue;
		}
		/* The unified ideographs, U+4E00..U+9FFF, lead with E4 (its
		 * second byte from B8) to E9: the labels of a Chinese report,
		 * two columns each. */
		if (*p >= 0xE4 && *p <= 0xE9 && n >= 3 &&
		    (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80 &&
		    (*p > 0xE4 || p[1] >= 0xB8)) {
			w += 2;
			p += 3;
			n -= 3;
			continue;
		}
		if ((l = utf8_dec(p, n, &c)) == 0) {
			w++;
			p++;
			n--;
			continue;
		}
		p += l;
		n -= l;
		if (c < 0x20 || (c >= 0x7F && c < 0xA0))
			continue;
		if (in_ranges(c, zero, sizeof zero / sizeof zero[0]))
			continue;
		w += in_ranges(c, wide, sizeof wide / sizeof wide[0]) ? 2 : 1;
	}
	return w;
}

/* ---- checked output ----------------------------------------------------- */

void
rf_add(struct rf_ctx *x, struct vet_buf *o, const char *p, size_t n)
{
	if (vet_buf_add(o, p, n) < 0)
		x->oom = 1;
}

void
rf_str(struct rf_ctx *x, struct vet_buf *o, const char *s)
{
	rf_add(x, o, s, strlen(s));
}

void
rf_ch(struct rf_ctx *x, struct vet_buf *o, int c)
{
	if (vet_buf_addch(o, c) < 0)
		x->oom = 1;
}

void
rf_f(struct rf_ctx *x, struct vet_buf *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || vet_buf_grow(o, (size_t)n) < 0) {
		x->oom = 1;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(o->data + o->len, o->cap - o->len, fmt, ap);
	va_end(ap);
	o->len += (size_t)n;
}

void
rf_jstr(struct rf_ctx *x, struct vet_buf *o, const char *s, size_t n)
{
	if (vet_json_add_string(o, s, n) < 0)
		x->oom = 1;
}

/* ---- words of the report itself ----------------------------------------- */

/* The report's own words (report_words.h), by enum rf_wkey. */
static const struct {
	const char *zh, *en;
} words[W_N] = {
#define X(k, zh, en) [W_##k] = { zh, en },
	RF_WORDS(X)
#undef X
};

const char *
rf_word(const struct rf_ctx *x, enum rf_wkey k)
{
	return x->en ? words[k].en : words[k].zh;
}

/* The policy's label of a code, or the code itself. */
const char *
rf_label(const struct rf_ctx *x, const char *code)
{
	const char *l = NULL;

	if (x->r->s->label)
		l = x->r->s->label(x->r->s->ctx, code, x->en ? "en" : "zh");
	return l ? l : code;
}

/* The policy's label of an audit check (not a measure of the same code). */
static const char *
rf_check_label(const struct rf_ctx *x, const char *code)
{
	const char *l = NULL;

	if (x->r->s->check_label)
		l = x->r->s->check_label(x->r->s->ctx, code, x->en ? "en" :
		    "zh");
	return l ? l : rf_label(x, code);
}

/* ---- the figures -------------------------------------------------------- */

/*
 * The compliance figures and the 六有 items, described once: the layout
 * (every format but json) and the json writer read this table, so a
 * figure's counters, whether it needs --events, what makes it a breach,
 * how its column is headed and whether --compare compares it are said in
 * one place.  The chain's links are the policy's (s->links), their figure
 * rf_link_value().
 */
const struct rf_figure rf_compliance[] = {
	{ "training", W_training, RF_FIG_RATE, RF_NEED_NONE,
	    RC_TRAIN_MET, -1, RC_TRAIN_DUE, RF_HEAD_HOURS, 0 },
	{ "monthly_contact", W_contact, RF_FIG_RATE, RF_NEED_EVENTS,
	    RC_CONTACT_MET, -1, RC_CONTACT_DUE, RF_HEAD_WORD, 1 },
	{ "consultations", W_consult, RF_FIG_COUNT, RF_NEED_EVENTS,
	    RF_SIDE(RD_CONSULT), -1, RF_TARGET_ONE, RF_HEAD_WORD, -1 },
	{ "job_fairs", W_fairs, RF_FIG_COUNT, RF_NEED_EVENTS,
	    RF_SIDE(RD_FAIRS), -1, RF_TARGET_FAIRS, RF_HEAD_FAIRS, -1 },
	{ NULL, W_N, 0, 0, 0, 0, 0, 0, 0 }
};

const struct rf_figure rf_six[] = {
	{ "policy", W_six_policy, RF_FIG_RATE, RF_NEED_NONE,
	    RC_NEEDY_PLAN, -1, RC_NEEDY, RF_HEAD_WORD, -1 },
	{ "staff", W_six_staff, RF_FIG_RATE, RF_NEED_EVENTS,
	    RC_ACTION_CONTACTED, -1, RC_ACTION, RF_HEAD_WORD, -1 },
	{ "files", W_six_files, RF_FIG_RATE, RF_NEED_NONE,
	    RC_FILE_COMPLETE, -1, RC_INSCOPE, RF_HEAD_WORD, -1 },
	{ "data", W_six_data, RF_FIG_RATE, RF_NEED_NONE,
	    RC_DATA_OK, -1, RC_INSCOPE, RF_HEAD_WORD, -1 },
	{ "jobs", W_six_jobs, RF_FIG_SUPPLY, RF_NEED_SUPPLY,
	    RF_SIDE(RD_POSTS), RF_SIDE(RD_FAIR_POSTS), RC_SEEKING,
	    RF_HEAD_WORD, -1 },
	{ "channels", W_six_channels, RF_FIG_RATE, RF_NEED_EVENTS,
	    RC_SEEKING_CHANNEL, -1, RC_SEEKING, RF_HEAD_WORD, -1 },
	{ NULL, W_N, 0, 0, 0, 0, 0, 0, 0 }
};

static int64_t
fig_counter(int k, const int64_t *c, const int64_t *d)
{
	if (k == -1)
		return 0;
	if (k <= RF_SIDE(0))
		return d ? d[RF_SIDE(0) - k] : 0;
	return c[k];
}

void
rf_figure_value(const struct rf_ctx *x, const struct rf_figure *g,
    const int64_t *c, const int64_t *d, struct rf_fval *v)
{
	const struct vet_report *r = x->r;
	vet_day ye;
	int y, m, dd;

	v->avail = g->need == RF_NEED_NONE ||
	    (g->need == RF_NEED_EVENTS && r->have_events) ||
	    (g->need == RF_NEED_SUPPLY && (r->have_events || r->have_jobs));
	v->num = fig_counter(g->num, c, d) + fig_counter(g->num2, c, d);
	if (g->den == RF_TARGET_ONE)
		v->den = 1;
	else if (g->den == RF_TARGET_FAIRS)
		v->den = r->s->job_fairs_per_year;
	else
		v->den = c[g->den];
	/* A count against a target breaches only when its time is up: the
	 * fairs of a year when the year is over, a consultation when the
	 * period is.  A rate breaches when anyone due was missed. */
	v->breach = 0;
	if (!v->avail || v->den <= 0)
		return;
	if (g->kind != RF_FIG_COUNT)
		v->breach = v->num < v->den;
	else if (g->den == RF_TARGET_FAIRS) {
		vet_date_to_ymd(r->pd.to, &y, &m, &dd);
		v->breach = v->num < v->den &&
		    vet_date_from_ymd(y, 12, 31, &ye) == 0 &&
		    vet_date_over(ye, r->pd.as_of);
	} else
		v->breach = v->num < v->den && vet_date_over(r->pd.to,
		    r->pd.as_of);
}

/* Per mille of num over den, rounded half up in integers as rf_percent()
 * does. */
static int64_t
permille(int64_t num, int64_t den)
{
	return (num * 2000 + den) / (den * 2);
}

int
rf_figure_change(const struct rf_ctx *x, const struct rf_figure *g,
    struct rf_fval *prev, struct rf_fval *now, int64_t *pm)
{
	const int64_t *p = x->r->prev_comp[g->prev];

	prev->num = p[0];
	prev->den = p[1];
	prev->avail = p[1] != INT64_MIN && p[1] > 0;
	prev->breach = 0;
	rf_figure_value(x, g, x->tot, x->dtot, now);
	if (!prev->avail || !now->avail || now->den <= 0)
		return 0;
	*pm = permille(now->num, now->den) - permille(prev->num, prev->den);
	return 1;
}

void
rf_link_value(const struct rf_ctx *x, const int64_t *c, size_t i,
    struct rf_fval *v)
{
	const struct vet_report *r = x->r;

	v->avail = r->have_events;
	v->num = c[r->off_dlv + i];
	v->den = c[r->off_link + i];
	v->breach = v->avail && v->num < v->den;
}

/* ---- the table model ---------------------------------------------------- */

static void
tab_new(struct rf_ctx *x, enum rf_wkey sheet, const char *title, size_t ncol)
{
	struct rf_table *t;
	size_t cap;

	if (x->oom)
		return;
	if (x->ntab == x->captab) {
		/* The tables made so far stay, to be freed with the rest:
		 * the report is not written once oom is set. */
		cap = x->captab ? x->captab * 2 : 8;
		if ((t = realloc(x->tabs, cap * sizeof *t)) == NULL) {
			x->oom = 1;
			return;
		}
		x->tabs = t;
		x->captab = cap;
	}
	t = &x->tabs[x->ntab++];
	memset(t, 0, sizeof *t);
	t->first = x->ncell;
	t->title = title;
	t->sheet = sheet;
	t->ncol = ncol;
}

/* Appends a cell to the current row of the last table. */
static void
cell(struct rf_ctx *x, int num, const char *s, size_t n)
{
	struct rf_table *t;
	struct rf_cell *c;
	size_t cap;

	/* After a failure nothing is written: no cell goes to a table it
	 * was not meant for. */
	if (x->oom || x->ntab == 0)
		return;
	t = &x->tabs[x->ntab - 1];
	if (x->ncell == x->capcell) {
		cap = x->capcell ? x->capcell * 2 : 128;
		if ((c = realloc(x->cells, cap * sizeof *c)) == NULL) {
			x->oom = 1;
			return;
		}
		x->cells = c;
		x->capcell = cap;
	}
	/* Offsets are 32 bits: a report of 4 GiB of text is not made. */
	if (vet_buf_add(&x->text, s, n) < 0 || x->text.len > UINT32_MAX) {
		x->oom = 1;
		return;
	}
	c = &x->cells[x->ncell++];
	t->ncell++;
	c->off = (uint32_t)(x->text.len - n);
	c->len = (uint32_t)n;
	c->num = num != 0;
	c->kind = RF_TEXT;
	c->breach = 0;
	c->a = c->b = 0;
}

/* The last cell laid out, which is the last table's; NULL if none. */
static struct rf_cell *
last_cell(struct rf_ctx *x)
{
	if (x->oom || x->ntab == 0 || x->tabs[x->ntab - 1].ncell == 0)
		return NULL;
	return &x->cells[x->ncell - 1];
}

/*
 * Cells are made of words and integers joined, without printf: its code
 * is three pages of libc that a one-record report would fault in, and a
 * cell of pieces has no buffer to outgrow.  JOIN(a, b, ...) is the pieces
 * as the (array, count) pair the joiners take.
 */
#define JOIN(...) (const char *const[]){ __VA_ARGS__ }, \
	sizeof (const char *const[]){ __VA_ARGS__ } / sizeof (const char *)

/* The digits of v as %lld writes them (%+lld when plus), at the end of b;
 * returns where they start. */
static const char *
digits(char b[24], int64_t v, int plus)
{
	char *e = b + 23;
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;

	*e = '\0';
	do
		*--e = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (v < 0)
		*--e = '-';
	else if (plus)
		*--e = '+';
	return e;
}

/* The k strings s joined into b (n > 0), cut as snprintf cuts; returns
 * the length of the whole. */
static size_t
join(char *b, size_t n, const char *const *s, size_t k)
{
	size_t i, l, len = 0;

	for (i = 0; i < k; i++) {
		l = strlen(s[i]);
		if (len < n - 1)
			memcpy(b + len, s[i], l < n - 1 - len ? l : n - 1 - len);
		len += l;
	}
	b[len < n - 1 ? len : n - 1] = '\0';
	return len;
}

/* A cell of the k strings s joined. */
static void
cell_join(struct rf_ctx *x, int num, const char *const *s, size_t k)
{
	struct rf_cell *c;
	size_t i;

	cell(x, num, "", 0);
	if ((c = last_cell(x)) == NULL)
		return;
	for (i = 0; i < k; i++)
		if (vet_buf_addstr(&x->text, s[i]) < 0)
			x->oom = 1;
	if (x->text.len > UINT32_MAX)
		x->oom = 1;
	c->len = (uint32_t)(x->text.len - c->off);
}

/* Says what the last cell holds as a number (enum rf_kind). */
static void
cell_is(struct rf_ctx *x, enum rf_kind kind, int64_t a, int64_t b)
{
	struct rf_cell *c;

	if ((c = last_cell(x)) == NULL)
		return;
	c->kind = (unsigned char)kind;
	c->a = a;
	c->b = b;
}

static void
cell_str(struct rf_ctx *x, const char *s)
{
	cell(x, 0, s, strlen(s));
}

/*
 * Appends text from the data to out: ids and phones that leaked into a name
 * masked, and control characters (C0, DEL, C1) shown as U+FFFD, so that a
 * name cannot break a line of the text table, move the cursor or recolour
 * a terminal, or put a character that HTML forbids into the page.
 */
void
rf_clean(struct rf_ctx *x, struct vet_buf *out, const char *s, size_t n)
{
	const unsigned char *p;
	size_t i;

	vet_buf_reset(&x->masked);
	if (vet_mask_text(&x->masked, s, n) < 0)
		x->oom = 1;
	p = (const unsigned char *)x->masked.data;
	for (i = 0; i < x->masked.len; i++) {
		if (p[i] < 0x20 || p[i] == 0x7F)
			rf_str(x, out, "\xEF\xBF\xBD");
		else if (p[i] == 0xC2 && i + 1 < x->masked.len &&
		    p[i + 1] >= 0x80 && p[i + 1] <= 0x9F) {
			rf_str(x, out, "\xEF\xBF\xBD");
			i++;
		} else
			rf_ch(x, out, p[i]);
	}
}

/* A cell from the data, cleaned by rf_clean(). */
static void
cell_data(struct rf_ctx *x, const char *s, size_t n)
{
	struct rf_cell *c;
	size_t off;

	cell(x, 0, "", 0);
	if ((c = last_cell(x)) == NULL)
		return;
	off = x->text.len;
	rf_clean(x, &x->text, s, n);
	if (x->text.len > UINT32_MAX)
		x->oom = 1;
	c->off = (uint32_t)off;
	c->len = (uint32_t)(x->text.len - off);
}

static void
cell_int(struct rf_ctx *x, int64_t v)
{
	/* Most cells are counts: not snprintf()'s 400 instructions each. */
	char b[24];
	const char *e = digits(b, v, 0);

	cell(x, 1, e, (size_t)(b + 23 - e));
	cell_is(x, RF_INT, v, 0);
}

static void
cell_na(struct rf_ctx *x)
{
	const char *w = rf_word(x, W_na);

	cell(x, 1, w, strlen(w));
	cell_is(x, RF_NA, 0, 0);
}

/* Unknown: the figure needs --events, which were not given. */
static void
cell_unknown(struct rf_ctx *x)
{
	const char *w = rf_word(x, W_unknown);

	cell(x, 1, w, strlen(w));
	cell_is(x, RF_NA, 0, 0);
}

/* Marks the last cell as a breach: text and md add the mark, html paints
 * it red, xlsx too. */
static void
cell_breach(struct rf_ctx *x)
{
	struct rf_cell *c;

	if ((c = last_cell(x)) == NULL)
		return;
	c->breach = 1;
	if (vet_buf_addch(&x->text, ' ') < 0 ||
	    vet_buf_addstr(&x->text, rf_word(x, W_breach)) < 0 ||
	    x->text.len > UINT32_MAX)
		x->oom = 1;
	/* The mark follows the cell's own bytes, which end the text. */
	c->len = (uint32_t)(x->text.len - c->off);
}

/* "87.5%" with one decimal, rounded half up in integers so every platform
 * writes the same digits. */
void
rf_percent(char *b, size_t n, int64_t num, int64_t den)
{
	int64_t pm = (num * 1000 * 2 + den) / (den * 2);
	char i[24], f[24];

	join(b, n, JOIN(digits(i, pm / 10, 0), ".", digits(f, pm % 10, 0),
	    "%"));
}

static void
cell_rate(struct rf_ctx *x, int64_t num, int64_t den)
{
	char p[32], a[24], b[24];

	if (den <= 0) {
		cell_na(x);
		return;
	}
	rf_percent(p, sizeof p, num, den);
	cell_join(x, 1, JOIN(p, " (", digits(a, num, 0), "/",
	    digits(b, den, 0), ")"));
	cell_is(x, RF_RATE, num, den);
}

/* A figure: unknown, none due, or the value with its breach marked. */
static void
cell_fig(struct rf_ctx *x, const struct rf_figure *g, const struct rf_fval *v)
{
	if (!v->avail)
		cell_unknown(x);
	else if (g->kind == RF_FIG_COUNT)
		cell_int(x, v->num);
	else if (g->kind == RF_FIG_SUPPLY && v->den > 0) {
		/* Posts for seekers: a ratio, not a share of people. */
		char a[24], b[24];

		cell_join(x, 1, JOIN(digits(a, v->num, 0), "/",
		    digits(b, v->den, 0)));
	} else
		cell_rate(x, v->num, v->den);
	if (v->avail && v->breach)
		cell_breach(x);
}

/* The display name of a group key: parts joined by " / ", blanks named. */
void
rf_group_name(struct rf_ctx *x, const struct rtab *t, size_t i,
    struct vet_buf *out)
{
	const char *p = t->names.data + t->noff[i], *e = p + t->nlen[i], *q;

	vet_buf_reset(out);
	for (;;) {
		q = memchr(p, RS_SEP, (size_t)(e - p));
		if (q == NULL)
			q = e;
		if (q == p)
			rf_str(x, out, rf_word(x, W_blank));
		else
			rf_add(x, out, p, (size_t)(q - p));
		if (q == e)
			break;
		rf_str(x, out, " / ");
		p = q + 1;
	}
}

static void
cell_group(struct rf_ctx *x, const struct rtab *t, size_t i)
{
	struct vet_buf b = VET_BUF_INIT;

	rf_group_name(x, t, i, &b);
	cell_data(x, vet_buf_str(&b), b.len);
	vet_buf_release(&b);
}

/* The parts of a group key as np cells, blanks named. */
static void
cell_parts(struct rf_ctx *x, const struct rtab *t, size_t i, size_t np)
{
	const char *p = t->names.data + t->noff[i], *e = p + t->nlen[i], *q;
	size_t k;

	for (k = 0; k < np; k++) {
		q = p < e ? memchr(p, RS_SEP, (size_t)(e - p)) : NULL;
		if (q == NULL)
			q = e;
		if (q == p)
			cell_str(x, rf_word(x, W_blank));
		else
			cell_data(x, p, (size_t)(q - p));
		p = q < e ? q + 1 : e;
	}
}

/*
 * The findings in the order the report lists them: every check of the
 * policy in the policy's order (zero when none was found, so that the keys
 * are stable), then checks the policy does not know, bytewise.  A malloc'ed
 * array of *np entries pointing into r, or NULL when out of memory.
 */
struct rf_finding *
rf_findings(const struct vet_report *r, size_t *np)
{
	const struct vet_report_schema *s = r->s;
	struct rf_finding *fd;
	size_t *ix, i, n = 0;
	long row;

	*np = 0;
	if ((ix = rtab_order(&r->findings, NULL)) == NULL)
		return NULL;
	if ((fd = calloc(s->nchecks + r->findings.n + 1, sizeof *fd)) ==
	    NULL) {
		free(ix);
		return NULL;
	}
	for (i = 0; i < s->nchecks; i++) {
		fd[n].p = s->checks[i];
		fd[n].n = strlen(s->checks[i]);
		row = rtab_find(&r->findings, fd[n].p, fd[n].n);
		fd[n++].count = row >= 0 ? rtab_row(&r->findings,
		    (size_t)row)[0] : 0;
	}
	for (i = 0; i < r->findings.n; i++) {
		const char *p = r->findings.names.data +
		    r->findings.noff[ix[i]];
		size_t l = r->findings.nlen[ix[i]], k;

		for (k = 0; k < s->nchecks; k++)
			if (strlen(s->checks[k]) == l &&
			    memcmp(s->checks[k], p, l) == 0)
				break;
		if (k < s->nchecks)
			continue;
		fd[n].p = p;
		fd[n].n = l;
		fd[n++].count = rtab_row(&r->findings, ix[i])[0];
	}
	free(ix);
	*np = n;
	return fd;
}

/* ---- the layout --------------------------------------------------------- */

int
rf_shown(const struct rf_ctx *x, const struct rtab *t, size_t i)
{
	return !(t == &x->r->districts ? x->hide_d : x->hide_g)[i];
}

/*
 * Complementary suppression among sibling rows ix[0..n) of t, whose sum is
 * published (the total, or the district row): while the rows left out are
 * one row, or sum to fewer than min_cell veterans, a subtraction would
 * single them out, so the smallest row still shown (the first in output
 * order on a tie) is left out too.  The choice depends only on the sums and
 * the names, so a merged run suppresses as a single one does.
 */
static void
complement(const struct rtab *t, const size_t *ix, size_t n, long min_cell,
    unsigned char *hide)
{
	int64_t sum, v, best;
	size_t j, nh, pick;

	for (;;) {
		sum = 0;
		nh = 0;
		for (j = 0; j < n; j++)
			if (hide[ix[j]]) {
				sum += rtab_row(t, ix[j])[RC_VETERANS];
				nh++;
			}
		if (nh == 0 || (nh >= 2 && sum >= min_cell))
			return;
		pick = SIZE_MAX;
		best = 0;
		for (j = 0; j < n; j++) {
			if (hide[ix[j]])
				continue;
			v = rtab_row(t, ix[j])[RC_VETERANS];
			if (pick == SIZE_MAX || v < best) {
				pick = ix[j];
				best = v;
			}
		}
		if (pick == SIZE_MAX)
			return;
		hide[pick] = 1;
	}
}

/*
 * Decides which rows --min-cell leaves out: every row with fewer than N
 * veterans, then complementary rows (complement()) among the districts
 * against the total and, with --by street or community, among the groups
 * of each district shown against the district's row.  The groups of a
 * district left out are all left out, so that they cannot add up to it.
 */
int
rf_suppress(struct rf_ctx *x)
{
	const struct vet_report *r = x->r;
	const struct rtab *g = &r->groups;
	size_t *ix, *gx, i, j, k, nd;
	long d;
	const char *p, *e;

	x->hide_d = calloc(r->districts.n + 1, 1);
	x->hide_g = calloc(g->n + 1, 1);
	if (x->hide_d == NULL || x->hide_g == NULL)
		return -1;
	if (x->f->min_cell <= 1)
		return 0;
	if ((ix = rtab_order(&r->districts, r->s)) == NULL)
		return -1;
	for (i = 0; i < r->districts.n; i++)
		x->hide_d[i] = rtab_row(&r->districts, i)[RC_VETERANS] <
		    x->f->min_cell;
	complement(&r->districts, ix, r->districts.n, x->f->min_cell,
	    x->hide_d);
	if (r->by == VET_REPORT_BY_DISTRICT || g->n == 0) {
		free(ix);
		return 0;
	}
	if ((gx = rtab_order(g, r->s)) == NULL) {
		free(ix);
		return -1;
	}
	/* The groups come in district order: one run of siblings each. */
	for (i = 0; i < g->n; i = j) {
		p = g->names.data + g->noff[gx[i]];
		e = memchr(p, RS_SEP, g->nlen[gx[i]]);
		nd = e ? (size_t)(e - p) : g->nlen[gx[i]];
		for (j = i + 1; j < g->n && g->nlen[gx[j]] > nd &&
		    g->names.data[g->noff[gx[j]] + nd] == RS_SEP &&
		    memcmp(g->names.data + g->noff[gx[j]], p, nd) == 0; j++)
			;
		d = rtab_find(&r->districts, p, nd);
		for (k = i; k < j; k++)
			x->hide_g[gx[k]] = rtab_row(g, gx[k])[RC_VETERANS] <
			    x->f->min_cell || (d >= 0 && x->hide_d[d]);
		complement(g, gx + i, j - i, x->f->min_cell, x->hide_g);
	}
	free(ix);
	free(gx);
	return 0;
}

const int64_t *
rf_side_row(const struct vet_report *r, size_t i)
{
	long row = rtab_find(&r->dside, r->districts.names.data +
	    r->districts.noff[i], r->districts.nlen[i]);

	return row >= 0 ? rtab_row(&r->dside, (size_t)row) : NULL;
}

/*
 * "适应性培训达标率 (≥80 h)": the hours as %g writes them.  A whole number
 * from 1 to below 10^6 is what %g prints in digits, written here without
 * printf's floating-point code (the hours are 80 in every policy seen).
 */
static void
hours_head(struct rf_ctx *x, const char *word, double h)
{
	char b[32];

	if (h >= 1 && h < 1e6 && h == (double)(long)h)
		cell_join(x, 0, JOIN(word, " (≥", digits(b, (long)h, 0),
		    " h)"));
	else {
		snprintf(b, sizeof b, "%g", h);
		cell_join(x, 0, JOIN(word, " (≥", b, " h)"));
	}
}

/* A table of figures per district shown, with its head count, and the
 * total. */
static void
fig_table(struct rf_ctx *x, enum rf_wkey sheet, const char *title,
    const struct rf_figure *figs, const size_t *ix)
{
	const struct vet_report *r = x->r;
	const struct rf_figure *g;
	const int64_t *c, *d;
	struct rf_fval v;
	char b[24];
	size_t j, n = 0;

	for (g = figs; g->key; g++)
		n++;
	tab_new(x, sheet, title, n + 2);
	cell_str(x, rf_word(x, W_district));
	cell_str(x, rf_word(x, W_veterans));
	for (g = figs; g->key; g++) {
		if (g->head == RF_HEAD_FAIRS)
			cell_join(x, 0, JOIN(rf_word(x, g->word), " (/",
			    digits(b, r->s->job_fairs_per_year, 0), ")"));
		else if (g->head == RF_HEAD_HOURS)
			hours_head(x, rf_word(x, g->word),
			    r->s->training_min_hours);
		else
			cell_str(x, rf_word(x, g->word));
	}
	for (j = 0; j <= r->districts.n; j++) {
		if (j < r->districts.n) {
			if (!rf_shown(x, &r->districts, ix[j]))
				continue;
			c = rtab_row(&r->districts, ix[j]);
			d = rf_side_row(r, ix[j]);
			cell_group(x, &r->districts, ix[j]);
		} else {
			c = x->tot;
			d = x->dtot;
			cell_str(x, rf_word(x, W_total));
		}
		cell_int(x, c[RC_VETERANS]);
		for (g = figs; g->key; g++) {
			rf_figure_value(x, g, c, d, &v);
			/* A count has its target per district, not for
			 * the sum of them. */
			if (j == r->districts.n && g->kind == RF_FIG_COUNT)
				v.breach = 0;
			cell_fig(x, g, &v);
		}
	}
}

/*
 * The headline: per district, the veterans who need action, each in the
 * column of the most urgent category, so a row adds up to people.  Only
 * the categories that are someone's most urgent get a column.
 */
static void
headline(struct rf_ctx *x)
{
	const struct vet_report *r = x->r;
	const struct vet_report_schema *s = r->s;
	size_t *ix, i, j, n = 0;
	const int64_t *c;

	for (i = 0; i <= s->ncat; i++)
		n += x->tot[r->off_urg + i] > 0;
	tab_new(x, W_sheet_overview, rf_word(x, W_headline), n + 3);
	x->headline = x->ntab - 1;
	cell_str(x, rf_word(x, W_district));
	cell_str(x, rf_word(x, W_veterans));
	cell_str(x, rf_word(x, W_action));
	for (i = 0; i <= s->ncat; i++)
		if (x->tot[r->off_urg + i] > 0)
			cell_str(x, i < s->ncat ? rf_label(x, s->cats[i]) :
			    rf_word(x, W_no_category));
	if ((ix = rtab_order(&r->districts, s)) == NULL) {
		x->oom = 1;
		return;
	}
	for (j = 0; j <= r->districts.n; j++) {
		if (j < r->districts.n) {
			if (!rf_shown(x, &r->districts, ix[j]))
				continue;
			c = rtab_row(&r->districts, ix[j]);
			cell_group(x, &r->districts, ix[j]);
		} else {
			c = x->tot;
			cell_str(x, rf_word(x, W_total));
		}
		cell_int(x, c[RC_VETERANS]);
		cell_int(x, c[RC_ACTION]);
		for (i = 0; i <= s->ncat; i++)
			if (x->tot[r->off_urg + i] > 0)
				cell_int(x, c[r->off_urg + i]);
	}
	free(ix);
}

/* A compliance rate of the previous report, now, and the change in
 * points (rf_figure_change()). */
static void
change_rate(struct rf_ctx *x, const struct rf_figure *g)
{
	struct rf_fval p, v;
	char i[24], f[24];
	int64_t d;
	int known;

	known = rf_figure_change(x, g, &p, &v, &d);
	cell_str(x, rf_word(x, g->word));
	if (!p.avail)
		cell_na(x);
	else
		cell_rate(x, p.num, p.den);
	if (!v.avail)
		cell_unknown(x);
	else if (v.den <= 0)
		cell_na(x);
	else
		cell_rate(x, v.num, v.den);
	if (!known) {
		cell_na(x);
		return;
	}
	cell_join(x, 1, JOIN(d < 0 ? "-" : "+", digits(i, (d < 0 ? -d : d) / 10,
	    0), ".", digits(f, (d < 0 ? -d : d) % 10, 0), " pp"));
}

/* A count of the previous report, now, and the change. */
static void
change_count(struct rf_ctx *x, const char *label, int64_t prev, int64_t now,
    int now_known)
{
	char b[24];

	cell_str(x, label);
	if (prev == INT64_MIN)
		cell_na(x);
	else
		cell_int(x, prev);
	if (!now_known) {
		cell_unknown(x);
		cell_na(x);
		return;
	}
	cell_int(x, now);
	if (prev == INT64_MIN) {
		cell_na(x);
		return;
	}
	cell_join(x, 1, JOIN(digits(b, now - prev, 1)));
	cell_is(x, RF_INT, now - prev, 0);
}

/* --compare beyond the categories: the compliance rates and the chain. */
static void
change_table(struct rf_ctx *x)
{
	const struct vet_report *r = x->r;
	const struct vet_report_schema *s = r->s;
	const struct rf_figure *g;
	struct rf_fval v;
	char b[256];
	size_t i;

	tab_new(x, W_sheet_change, rf_word(x, W_change_table), 4);
	cell_str(x, rf_word(x, W_figure));
	cell_join(x, 0, JOIN(rf_word(x, W_previous), " ", r->prev_label));
	cell_str(x, rf_word(x, W_now));
	cell_str(x, rf_word(x, W_change));
	for (g = rf_compliance; g->key; g++)
		if (g->prev >= 0)
			change_rate(x, g);
	for (i = 0; i < s->nlinks; i++) {
		rf_link_value(x, x->tot, i, &v);
		join(b, sizeof b, JOIN(rf_label(x, s->links[i]), " · ",
		    rf_word(x, W_planned)));
		change_count(x, b, r->prev_link[2 * i], v.den, 1);
		join(b, sizeof b, JOIN(rf_label(x, s->links[i]), " · ",
		    rf_word(x, W_delivered)));
		change_count(x, b, r->prev_link[2 * i + 1], v.num, v.avail);
	}
}

/* What "-", "?", the breach mark and a/b mean. */
static void
legend(struct rf_ctx *x)
{
	tab_new(x, W_sheet_overview, rf_word(x, W_legend), 2);
	cell_str(x, rf_word(x, W_figure));
	cell_str(x, rf_word(x, W_legend));
	cell_str(x, rf_word(x, W_na));
	cell_str(x, rf_word(x, W_legend_na));
	cell_str(x, rf_word(x, W_unknown));
	cell_str(x, rf_word(x, W_legend_unknown));
	cell_str(x, rf_word(x, W_breach));
	cell_str(x, rf_word(x, W_legend_breach));
	cell_str(x, "a/b");
	cell_str(x, rf_word(x, W_legend_pd));
}

/* The facts above the tables: the period, the policy, the head counts. */
static void
overview(struct rf_ctx *x)
{
	const struct vet_report *r = x->r;
	char b[256], f[11], t[11], a[11];
	int n;

	vet_date_format(r->pd.from, f);
	vet_date_format(r->pd.to, t);
	vet_date_format(r->pd.as_of, a);
	tab_new(x, W_sheet_overview, NULL, 2);
	cell_str(x, rf_word(x, W_period));
	cell_join(x, 0, JOIN(r->pd.label, " (", f, " ", rf_word(x, W_to), " ",
	    t, ")"));
	cell_str(x, rf_word(x, W_as_of));
	cell_str(x, a);
	cell_str(x, rf_word(x, W_policy));
	cell_str(x, r->s->policy_id);
	cell_str(x, rf_word(x, W_veterans));
	cell_int(x, x->tot[RC_VETERANS]);
	cell_str(x, rf_word(x, W_action));
	cell_int(x, x->tot[RC_ACTION]);
	if (x->nsup > 0) {
		cell_str(x, rf_word(x, W_suppressed_label));
		n = snprintf(b, sizeof b, rf_word(x, W_suppressed),
		    x->f->min_cell, x->nsup);
		cell(x, 0, b, (size_t)n);
	}
}

/* Categories, total, with the change against --compare. */
static void
totals(struct rf_ctx *x)
{
	const struct vet_report *r = x->r;
	const struct vet_report_schema *s = r->s;
	char b[24];
	size_t i;

	tab_new(x, W_sheet_overview, rf_word(x, W_totals),
	    r->have_prev ? 4 : 2);
	x->totals = x->ntab - 1;
	cell_str(x, rf_word(x, W_category));
	cell_str(x, rf_word(x, W_count));
	if (r->have_prev) {
		cell_join(x, 0, JOIN(rf_word(x, W_previous), " ",
		    r->prev_label));
		cell_str(x, rf_word(x, W_change));
	}
	for (i = 0; i < s->ncat; i++) {
		cell_str(x, rf_label(x, s->cats[i]));
		cell_int(x, x->tot[r->off_cat + i]);
		if (r->have_prev && r->prev_tot[i] != INT64_MIN) {
			cell_int(x, r->prev_tot[i]);
			cell_join(x, 1, JOIN(digits(b, x->tot[r->off_cat + i] -
			    r->prev_tot[i], 1)));
			cell_is(x, RF_INT, x->tot[r->off_cat + i] -
			    r->prev_tot[i], 0);
		} else if (r->have_prev) {
			cell_na(x);
			cell_na(x);
		}
	}
}

/* Categories by group: one column per part of the group's name, so that
 * a spreadsheet can filter on the district or the street. */
static void
by_group(struct rf_ctx *x)
{
	const struct vet_report *r = x->r;
	const struct vet_report_schema *s = r->s;
	const struct rtab *g = r->by == VET_REPORT_BY_DISTRICT ?
	    &r->districts : &r->groups;
	size_t i, j, np = (size_t)r->by + 1, *ix;
	const int64_t *c;

	tab_new(x, W_sheet_categories, rf_word(x, r->by ==
	    VET_REPORT_BY_DISTRICT ? W_by_district :
	    r->by == VET_REPORT_BY_STREET ? W_by_street : W_by_community),
	    s->ncat + np + 1);
	for (i = 0; i < np; i++)
		cell_str(x, rf_word(x, i == 0 ? W_district : i == 1 ?
		    W_street : W_community));
	cell_str(x, rf_word(x, W_veterans));
	for (i = 0; i < s->ncat; i++)
		cell_str(x, rf_label(x, s->cats[i]));
	if ((ix = rtab_order(g, s)) == NULL) {
		x->oom = 1;
		return;
	}
	for (j = 0; j < g->n; j++) {
		if (!rf_shown(x, g, ix[j]))
			continue;
		c = rtab_row(g, ix[j]);
		cell_parts(x, g, ix[j], np);
		cell_int(x, c[RC_VETERANS]);
		for (i = 0; i < s->ncat; i++)
			cell_int(x, c[r->off_cat + i]);
	}
	free(ix);
	cell_str(x, rf_word(x, W_total));
	for (i = 1; i < np; i++)
		cell_str(x, "");
	cell_int(x, x->tot[RC_VETERANS]);
	for (i = 0; i < s->ncat; i++)
		cell_int(x, x->tot[r->off_cat + i]);
}

static void
priority_mix(struct rf_ctx *x)
{
	const struct vet_report *r = x->r;
	char b[64];
	size_t i, j;

	tab_new(x, W_sheet_categories, rf_word(x, W_priority_mix), 3);
	cell_str(x, rf_word(x, W_priority));
	cell_str(x, rf_word(x, W_count));
	cell_str(x, rf_word(x, W_share));
	for (i = 1; i <= RP_NPRIO; i++) {
		j = i % RP_NPRIO;	/* 1..9, then the records without */
		if (x->tot[r->off_prio + j] == 0)
			continue;
		if (j == 0)
			cell_str(x, rf_word(x, W_none));
		else
			cell_int(x, (int64_t)j);
		cell_int(x, x->tot[r->off_prio + j]);
		rf_percent(b, sizeof b, x->tot[r->off_prio + j],
		    x->tot[RC_VETERANS]);
		cell(x, 1, b, strlen(b));
		cell_is(x, RF_RATE, x->tot[r->off_prio + j],
		    x->tot[RC_VETERANS]);
	}
}

/* The chain: planned and, of those, delivered (rf_link_value()). */
static void
chain(struct rf_ctx *x)
{
	const struct vet_report_schema *s = x->r->s;
	struct rf_fval v;
	size_t i;

	tab_new(x, W_sheet_chain, rf_word(x, W_chain), 4);
	cell_str(x, rf_word(x, W_link));
	cell_str(x, rf_word(x, W_planned));
	cell_str(x, rf_word(x, W_delivered));
	cell_str(x, rf_word(x, W_rate));
	for (i = 0; i < s->nlinks; i++) {
		rf_link_value(x, x->tot, i, &v);
		cell_str(x, rf_label(x, s->links[i]));
		cell_int(x, v.den);
		if (!v.avail) {
			cell_unknown(x);
			cell_unknown(x);
			continue;
		}
		cell_int(x, v.num);
		if (v.den > 0)
			cell_rate(x, v.num, v.den);
		else
			cell_na(x);
		if (v.breach)
			cell_breach(x);
	}
}

static void
findings(struct rf_ctx *x)
{
	struct rf_finding *fd;
	const char *l;
	size_t j, nf;

	tab_new(x, W_sheet_findings, rf_word(x, W_findings), 2);
	cell_str(x, rf_word(x, W_check));
	cell_str(x, rf_word(x, W_nfindings));
	if ((fd = rf_findings(x->r, &nf)) == NULL) {
		x->oom = 1;
		return;
	}
	for (j = 0; j < nf; j++) {
		vet_buf_reset(&x->scratch);
		if (vet_buf_add(&x->scratch, fd[j].p, fd[j].n) < 0)
			x->oom = 1;
		l = rf_check_label(x, vet_buf_str(&x->scratch));
		cell_data(x, l, strlen(l));
		cell_int(x, fd[j].count);
	}
	free(fd);
}

static void
layout(struct rf_ctx *x)
{
	const struct vet_report *r = x->r;
	size_t *ix;

	overview(x);
	headline(x);
	totals(x);
	by_group(x);
	if (x->oom)
		return;
	priority_mix(x);
	chain(x);
	/* Compliance and the 六有 per district: the figures of rf_compliance
	 * and rf_six, each district with its head count. */
	if ((ix = rtab_order(&r->districts, r->s)) == NULL) {
		x->oom = 1;
		return;
	}
	fig_table(x, W_sheet_compliance, rf_word(x, W_compliance),
	    rf_compliance, ix);
	fig_table(x, W_sheet_scorecard, rf_word(x, W_scorecard), rf_six, ix);
	free(ix);
	if (r->have_findings) {
		findings(x);
		if (x->oom)
			return;
	}
	if (r->have_prev)
		change_table(x);
	legend(x);
}

void
rf_layout(struct rf_ctx *x)
{
	size_t i;

	layout(x);
	for (i = 0; i < x->ntab; i++)
		x->tabs[i].cells = x->cells ? x->cells + x->tabs[i].first :
		    NULL;
}
