/*
 * report_fmt.c - the writers of vet-report (report.h): the report is first
 * laid out as a list of tables, which the text, md, csv and html writers
 * render; json is written straight from the counters.
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
#include "report_fmt.h"
#include "report_impl.h"

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

/* Headings and column names: the report's own words (the categories,
 * links and checks are labelled by the policy). */
static const struct {
	const char *key, *zh, *en;
} words[] = {
	{ "title", "退役军人就业服务季度报表",
	    "Veterans employment services: quarterly report" },
	{ "period", "报告期", "Period" },
	{ "as_of", "统计截止", "As of" },
	{ "policy", "政策", "Policy" },
	{ "veterans", "退役军人人数", "Veterans" },
	{ "to", "至", "to" },
	{ "suppressed", "人数少于 %ld 的单元及其互补单元共 %zu 个已隐去",
	    "%2$zu groups suppressed (fewer than %1$ld veterans, or "
	    "complementary)" },
	{ "totals", "分类合计", "Categories, total" },
	{ "category", "类别", "Category" },
	{ "count", "人数", "Count" },
	{ "previous", "上期", "Previous" },
	{ "change", "变化", "Change" },
	{ "by_district", "分类统计（按区）", "Categories by district" },
	{ "by_street", "分类统计（按街道、乡镇）", "Categories by street" },
	{ "by_community", "分类统计（按社区、村）",
	    "Categories by community" },
	{ "district", "区", "District" },
	{ "street", "街道（乡镇）", "Street" },
	{ "community", "社区（村）", "Community" },
	{ "total", "合计", "Total" },
	{ "blank", "（未填）", "(blank)" },
	{ "priority_mix", "优先级构成", "Priority mix" },
	{ "priority", "优先级", "Priority" },
	{ "none", "无", "none" },
	{ "share", "占比", "Share" },
	{ "chain", "帮扶链条", "Assistance chain" },
	{ "link", "环节", "Link" },
	{ "reached", "覆盖人数", "Reached" },
	{ "compliance", "合规指标", "Compliance" },
	{ "training", "适应性培训达标率", "Adaptive training met" },
	{ "contact", "挂账人员每月联系率", "Monthly contact (hard to place)" },
	{ "consult", "本期会商次数", "Consultations" },
	{ "fairs", "本年专场招聘会", "Job fairs this year" },
	{ "scorecard", "六有评分", "Six-haves scorecard" },
	{ "six_policy", "有政策可依", "Policy to follow" },
	{ "six_staff", "有人员服务", "Staff service" },
	{ "six_files", "有档案信息", "Information files" },
	{ "six_data", "有数据支撑", "Data support" },
	{ "six_jobs", "有岗位供给", "Job supply" },
	{ "six_channels", "有渠道帮扶", "Assistance channels" },
	{ "findings", "审计发现", "Audit findings" },
	{ "check", "检查项", "Check" },
	{ "fig_districts", "各区分类人数（一人可属多类）",
	    "Categories by district (a veteran may be in several)" },
	{ "fig_funnel", "帮扶链条各环节覆盖人数",
	    "Veterans reached by each link of the chain" },
	{ "nfindings", "条数", "Findings" },
	/* The sheets of the workbook (xlsx), in their order. */
	{ "sheet_overview", "概况", "Overview" },
	{ "sheet_categories", "分类", "Categories" },
	{ "sheet_chain", "帮扶链条", "Chain" },
	{ "sheet_compliance", "合规", "Compliance" },
	{ "sheet_scorecard", "六有", "Six haves" },
	{ "sheet_findings", "审计发现", "Findings" },
	{ "sheet_change", "环比", "Change" },
	/* Not available: ASCII, because terminals in a CJK locale draw the
	 * ambiguous-width em dash two columns wide. */
	{ "na", "-", "-" }
};

const char *
rf_word(const struct rf_ctx *x, const char *key)
{
	size_t i;

	for (i = 0; i < sizeof words / sizeof words[0]; i++)
		if (strcmp(words[i].key, key) == 0)
			return x->en ? words[i].en : words[i].zh;
	return key;
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

/* ---- the table model ---------------------------------------------------- */

static void
tab_new(struct rf_ctx *x, const char *sheet, const char *title, size_t ncol)
{
	struct rf_table *t;

	if (x->ntab == x->captab) {
		x->captab = x->captab ? x->captab * 2 : 8;
		x->tabs = realloc(x->tabs, x->captab * sizeof *x->tabs);
		if (x->tabs == NULL) {
			x->oom = 1;
			x->ntab = x->captab = 0;
			return;
		}
	}
	t = &x->tabs[x->ntab++];
	memset(t, 0, sizeof *t);
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

	if (x->ntab == 0)
		return;
	t = &x->tabs[x->ntab - 1];
	if (t->ncell == t->capcell) {
		t->capcell = t->capcell ? t->capcell * 2 : 64;
		c = realloc(t->cells, t->capcell * sizeof *c);
		if (c == NULL) {
			x->oom = 1;
			t->ncell = t->capcell = 0;
			return;
		}
		t->cells = c;
	}
	c = &t->cells[t->ncell++];
	c->off = x->text.len;
	c->num = num;
	c->kind = RF_TEXT;
	c->a = c->b = 0;
	if (vet_buf_add(&x->text, s, n) < 0)
		x->oom = 1;
	c->len = x->text.len - c->off;
}

/* Says what the last cell holds as a number (enum rf_kind). */
static void
cell_is(struct rf_ctx *x, enum rf_kind kind, int64_t a, int64_t b)
{
	struct rf_table *t;

	if (x->oom || x->ntab == 0 || x->tabs[x->ntab - 1].ncell == 0)
		return;
	t = &x->tabs[x->ntab - 1];
	t->cells[t->ncell - 1].kind = kind;
	t->cells[t->ncell - 1].a = a;
	t->cells[t->ncell - 1].b = b;
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
	struct rf_table *t;
	struct rf_cell *c;
	size_t off;

	cell(x, 0, "", 0);
	if (x->oom)
		return;
	t = &x->tabs[x->ntab - 1];
	c = &t->cells[t->ncell - 1];
	off = x->text.len;
	rf_clean(x, &x->text, s, n);
	c->off = off;
	c->len = x->text.len - off;
}

static void
cell_int(struct rf_ctx *x, int64_t v)
{
	char b[32];

	cell(x, 1, b, (size_t)snprintf(b, sizeof b, "%lld", (long long)v));
	cell_is(x, RF_INT, v, 0);
}

static void
cell_na(struct rf_ctx *x)
{
	cell(x, 1, rf_word(x, "na"), strlen(rf_word(x, "na")));
	cell_is(x, RF_NA, 0, 0);
}

/* "87.5%" with one decimal, rounded half up in integers so every platform
 * writes the same digits. */
void
rf_percent(char *b, size_t n, int64_t num, int64_t den)
{
	int64_t pm = (num * 1000 * 2 + den) / (den * 2);

	snprintf(b, n, "%lld.%lld%%", (long long)(pm / 10),
	    (long long)(pm % 10));
}

static void
cell_rate(struct rf_ctx *x, int64_t num, int64_t den)
{
	char b[96], p[32];

	if (den <= 0) {
		cell_na(x);
		return;
	}
	rf_percent(p, sizeof p, num, den);
	cell(x, 1, b, (size_t)snprintf(b, sizeof b, "%s (%lld/%lld)", p,
	    (long long)num, (long long)den));
	cell_is(x, RF_RATE, num, den);
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
			rf_str(x, out, rf_word(x, "blank"));
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
			cell_str(x, rf_word(x, "blank"));
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
static int
suppress(struct rf_ctx *x)
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

static void
layout(struct rf_ctx *x)
{
	const struct vet_report *r = x->r;
	const struct vet_report_schema *s = r->s;
	const struct rtab *g = r->by == VET_REPORT_BY_DISTRICT ?
	    &r->districts : &r->groups;
	char b[256], f[11], t[11], a[11];
	size_t i, j, np, *ix, nf;
	struct rf_finding *fd;
	int64_t *c, *d;
	long row;
	int n;

	vet_date_format(r->pd.from, f);
	vet_date_format(r->pd.to, t);
	vet_date_format(r->pd.as_of, a);

	tab_new(x, "sheet_overview", NULL, 2);
	cell_str(x, rf_word(x, "period"));
	n = snprintf(b, sizeof b, "%s (%s %s %s)", r->pd.label, f,
	    rf_word(x, "to"), t);
	cell(x, 0, b, (size_t)n);
	cell_str(x, rf_word(x, "as_of"));
	cell_str(x, a);
	cell_str(x, rf_word(x, "policy"));
	cell_str(x, s->policy_id);
	cell_str(x, rf_word(x, "veterans"));
	cell_int(x, x->tot[RC_VETERANS]);
	if (x->nsup > 0) {
		cell_str(x, "");
		n = snprintf(b, sizeof b, rf_word(x, "suppressed"),
		    x->f->min_cell, x->nsup);
		cell(x, 0, b, (size_t)n);
	}

	/* Categories, total, with the change against --compare. */
	tab_new(x, "sheet_overview", rf_word(x, "totals"),
	    r->have_prev ? 4 : 2);
	cell_str(x, rf_word(x, "category"));
	cell_str(x, rf_word(x, "count"));
	if (r->have_prev) {
		n = snprintf(b, sizeof b, "%s %s", rf_word(x, "previous"),
		    r->prev_label);
		cell(x, 0, b, (size_t)n);
		cell_str(x, rf_word(x, "change"));
	}
	for (i = 0; i < s->ncat; i++) {
		cell_str(x, rf_label(x, s->cats[i]));
		cell_int(x, x->tot[r->off_cat + i]);
		if (r->have_prev && r->prev_tot[i] != INT64_MIN) {
			cell_int(x, r->prev_tot[i]);
			n = snprintf(b, sizeof b, "%+lld", (long long)(
			    x->tot[r->off_cat + i] - r->prev_tot[i]));
			cell(x, 1, b, (size_t)n);
			cell_is(x, RF_INT, x->tot[r->off_cat + i] -
			    r->prev_tot[i], 0);
		} else if (r->have_prev) {
			cell_na(x);
			cell_na(x);
		}
	}

	/* Categories by group: one column per part of the group's name, so
	 * that a spreadsheet can filter on the district or the street. */
	np = (size_t)r->by + 1;
	tab_new(x, "sheet_categories", rf_word(x, r->by ==
	    VET_REPORT_BY_DISTRICT ?
	    "by_district" : r->by == VET_REPORT_BY_STREET ? "by_street" :
	    "by_community"), s->ncat + np + 1);
	for (i = 0; i < np; i++)
		cell_str(x, rf_word(x, i == 0 ? "district" : i == 1 ?
		    "street" : "community"));
	cell_str(x, rf_word(x, "veterans"));
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
	cell_str(x, rf_word(x, "total"));
	for (i = 1; i < np; i++)
		cell_str(x, "");
	cell_int(x, x->tot[RC_VETERANS]);
	for (i = 0; i < s->ncat; i++)
		cell_int(x, x->tot[r->off_cat + i]);

	/* Priority mix. */
	tab_new(x, "sheet_categories", rf_word(x, "priority_mix"), 3);
	cell_str(x, rf_word(x, "priority"));
	cell_str(x, rf_word(x, "count"));
	cell_str(x, rf_word(x, "share"));
	for (i = 1; i <= RP_NPRIO; i++) {
		j = i % RP_NPRIO;	/* 1..9, then the records without */
		if (x->tot[r->off_prio + j] == 0)
			continue;
		if (j == 0)
			cell_str(x, rf_word(x, "none"));
		else
			cell_int(x, (int64_t)j);
		cell_int(x, x->tot[r->off_prio + j]);
		rf_percent(b, sizeof b, x->tot[r->off_prio + j],
		    x->tot[RC_VETERANS]);
		cell(x, 1, b, strlen(b));
		cell_is(x, RF_RATE, x->tot[r->off_prio + j],
		    x->tot[RC_VETERANS]);
	}

	/* The chain. */
	tab_new(x, "sheet_chain", rf_word(x, "chain"), 3);
	cell_str(x, rf_word(x, "link"));
	cell_str(x, rf_word(x, "reached"));
	cell_str(x, rf_word(x, "share"));
	for (i = 0; i < s->nlinks; i++) {
		cell_str(x, rf_label(x, s->links[i]));
		cell_int(x, x->tot[r->off_link + i]);
		if (x->tot[RC_VETERANS] > 0) {
			rf_percent(b, sizeof b, x->tot[r->off_link + i],
			    x->tot[RC_VETERANS]);
			cell(x, 1, b, strlen(b));
			cell_is(x, RF_RATE, x->tot[r->off_link + i],
			    x->tot[RC_VETERANS]);
		} else
			cell_na(x);
	}

	/* Compliance and the 六有 per district. */
	if ((ix = rtab_order(&r->districts, s)) == NULL) {
		x->oom = 1;
		return;
	}
	tab_new(x, "sheet_compliance", rf_word(x, "compliance"), 5);
	cell_str(x, rf_word(x, "district"));
	n = snprintf(b, sizeof b, "%s (≥%g h)", rf_word(x, "training"),
	    s->training_min_hours);
	cell(x, 0, b, (size_t)n);
	cell_str(x, rf_word(x, "contact"));
	cell_str(x, rf_word(x, "consult"));
	n = snprintf(b, sizeof b, "%s (/%d)", rf_word(x, "fairs"),
	    s->job_fairs_per_year);
	cell(x, 0, b, (size_t)n);
	for (j = 0; j <= r->districts.n; j++) {
		if (j < r->districts.n) {
			if (!rf_shown(x, &r->districts, ix[j]))
				continue;
			c = rtab_row(&r->districts, ix[j]);
			cell_group(x, &r->districts, ix[j]);
			row = rtab_find(&r->dside, r->districts.names.data +
			    r->districts.noff[ix[j]],
			    r->districts.nlen[ix[j]]);
			d = row >= 0 ? rtab_row(&r->dside, (size_t)row) : NULL;
		} else {
			c = x->tot;
			cell_str(x, rf_word(x, "total"));
			d = x->dtot;
		}
		cell_rate(x, c[RC_TRAIN_MET], c[RC_TRAIN_DUE]);
		if (r->have_events) {
			cell_rate(x, c[RC_CONTACT_MET], c[RC_CONTACT_DUE]);
			cell_int(x, d ? d[RD_CONSULT] : 0);
			cell_int(x, d ? d[RD_FAIRS] : 0);
		} else {
			cell_na(x);
			cell_na(x);
			cell_na(x);
		}
	}

	tab_new(x, "sheet_scorecard", rf_word(x, "scorecard"), 7);
	cell_str(x, rf_word(x, "district"));
	cell_str(x, rf_word(x, "six_policy"));
	cell_str(x, rf_word(x, "six_staff"));
	cell_str(x, rf_word(x, "six_files"));
	cell_str(x, rf_word(x, "six_data"));
	cell_str(x, rf_word(x, "six_jobs"));
	cell_str(x, rf_word(x, "six_channels"));
	for (j = 0; j < r->districts.n; j++) {
		if (!rf_shown(x, &r->districts, ix[j]))
			continue;
		c = rtab_row(&r->districts, ix[j]);
		row = rtab_find(&r->dside, r->districts.names.data +
		    r->districts.noff[ix[j]], r->districts.nlen[ix[j]]);
		d = row >= 0 ? rtab_row(&r->dside, (size_t)row) : NULL;
		cell_group(x, &r->districts, ix[j]);
		cell_rate(x, c[RC_NEEDY_PLAN], c[RC_NEEDY]);
		if (r->have_events)
			cell_rate(x, c[RC_HTP_SERVED], c[RC_HTP]);
		else
			cell_na(x);
		cell_rate(x, c[RC_FILE_COMPLETE], c[RC_INSCOPE]);
		cell_rate(x, c[RC_FRESH], c[RC_VETERANS]);
		if (r->have_events) {
			int64_t fairs = d ? d[RD_FAIRS] : 0;

			cell_rate(x, fairs < s->job_fairs_per_year ? fairs :
			    s->job_fairs_per_year, s->job_fairs_per_year);
			cell_rate(x, c[RC_SEEKING_CHANNEL], c[RC_SEEKING]);
		} else {
			cell_na(x);
			cell_na(x);
		}
	}
	free(ix);

	if (r->have_findings) {
		tab_new(x, "sheet_findings", rf_word(x, "findings"), 2);
		cell_str(x, rf_word(x, "check"));
		cell_str(x, rf_word(x, "nfindings"));
		if ((fd = rf_findings(r, &nf)) == NULL) {
			x->oom = 1;
			return;
		}
		for (j = 0; j < nf; j++) {
			vet_buf_reset(&x->scratch);
			if (vet_buf_add(&x->scratch, fd[j].p, fd[j].n) < 0)
				x->oom = 1;
			cell_data(x, rf_label(x, vet_buf_str(&x->scratch)),
			    strlen(rf_label(x, vet_buf_str(&x->scratch))));
			cell_int(x, fd[j].count);
		}
		free(fd);
	}
}

/* ---- text, md, csv ------------------------------------------------------ */

static void
pad(struct rf_ctx *x, struct vet_buf *o, size_t n)
{
	while (n-- > 0)
		rf_ch(x, o, ' ');
}

static void
write_text(struct rf_ctx *x, struct vet_buf *o)
{
	struct rf_table *t;
	struct rf_cell *c;
	size_t ti, i, j, nrow, *w, cw, line;
	int right, *num;

	rf_str(x, o, rf_word(x, "title"));
	rf_ch(x, o, '\n');
	for (ti = 0; ti < x->ntab; ti++) {
		t = &x->tabs[ti];
		if ((w = calloc(t->ncol, sizeof *w)) == NULL) {
			x->oom = 1;
			return;
		}
		if ((num = calloc(t->ncol, sizeof *num)) == NULL) {
			free(w);
			x->oom = 1;
			return;
		}
		nrow = t->ncell / t->ncol;
		for (i = 0; i < t->ncell; i++) {
			c = &t->cells[i];
			cw = vet_report_width(x->text.data + c->off, c->len);
			if (cw > w[i % t->ncol])
				w[i % t->ncol] = cw;
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
		for (i = 0; i < nrow; i++) {
			line = 0;
			for (j = 0; j < t->ncol; j++) {
				c = &t->cells[i * t->ncol + j];
				cw = vet_report_width(x->text.data + c->off,
				    c->len);
				if (j > 0)
					pad(x, o, 2);
				/* Numbers go right; the last column is not
				 * padded on the right, so no line ends in
				 * spaces. */
				right = num[j];
				if (right)
					pad(x, o, w[j] - cw);
				rf_add(x, o, x->text.data + c->off, c->len);
				if (!right && j + 1 < t->ncol)
					pad(x, o, w[j] - cw);
				line += w[j] + (j > 0 ? 2 : 0);
			}
			rf_ch(x, o, '\n');
			if (i == 0 && t->title) {
				for (j = 0; j < line; j++)
					rf_ch(x, o, '-');
				rf_ch(x, o, '\n');
			}
		}
		free(w);
		free(num);
	}
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

static void
write_md(struct rf_ctx *x, struct vet_buf *o)
{
	struct rf_table *t;
	struct rf_cell *c;
	size_t ti, i, j, nrow;

	rf_str(x, o, "# ");
	rf_str(x, o, rf_word(x, "title"));
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

static void
write_csv(struct rf_ctx *x, struct vet_buf *o)
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
		title = t->title ? t->title : rf_word(x, "title");
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

/* ---- json --------------------------------------------------------------- */

static void
json_key(struct rf_ctx *x, struct vet_buf *o, const char *k, size_t n,
    int *first)
{
	if (!*first)
		rf_ch(x, o, ',');
	*first = 0;
	rf_jstr(x, o, k, n);
	rf_ch(x, o, ':');
}

static void
json_counts(struct rf_ctx *x, struct vet_buf *o, const int64_t *c,
    size_t off)
{
	const struct vet_report *r = x->r;
	size_t i;
	int first = 1;

	rf_ch(x, o, '{');
	for (i = 0; i < r->s->ncat; i++) {
		json_key(x, o, r->s->cats[i], strlen(r->s->cats[i]), &first);
		rf_f(x, o, "%lld", (long long)c[off + i]);
	}
	rf_ch(x, o, '}');
}

static void
json_name(struct rf_ctx *x, struct vet_buf *o, const struct rtab *t,
    size_t i, int *first)
{
	vet_buf_reset(&x->scratch);
	if (vet_mask_text(&x->scratch, t->names.data + t->noff[i],
	    t->nlen[i]) < 0)
		x->oom = 1;
	json_key(x, o, vet_buf_str(&x->scratch), x->scratch.len, first);
}

static void
json_rate(struct rf_ctx *x, struct vet_buf *o, const char *key,
    int64_t met, int64_t due, int avail)
{
	if (avail)
		rf_f(x, o, "\"%s\":{\"met\":%lld,\"due\":%lld}", key,
		    (long long)met, (long long)due);
	else
		rf_f(x, o, "\"%s\":null", key);
}

static void
write_json(struct rf_ctx *x, struct vet_buf *o)
{
	const struct vet_report *r = x->r;
	const struct vet_report_schema *s = r->s;
	size_t *ix, i, j, p;
	int64_t *c, *d;
	long row;
	int first, ev = r->have_events;
	char f[11], t[11], a[11];
	const char *part;
	size_t k, n;

	vet_date_format(r->pd.from, f);
	vet_date_format(r->pd.to, t);
	vet_date_format(r->pd.as_of, a);
	rf_str(x, o, "{\"period\":");
	rf_jstr(x, o, r->pd.label, strlen(r->pd.label));
	rf_f(x, o, ",\"from\":\"%s\",\"to\":\"%s\",\"as_of\":\"%s\","
	    "\"policy\":", f, t, a);
	rf_jstr(x, o, s->policy_id, strlen(s->policy_id));
	rf_f(x, o, ",\"veterans\":%lld,\"totals\":",
	    (long long)x->tot[RC_VETERANS]);
	json_counts(x, o, x->tot, r->off_cat);

	if ((ix = rtab_order(&r->districts, s)) == NULL) {
		x->oom = 1;
		return;
	}
	rf_str(x, o, ",\"by_district\":{");
	first = 1;
	for (j = 0; j < r->districts.n; j++)
		if (rf_shown(x, &r->districts, ix[j])) {
			json_name(x, o, &r->districts, ix[j], &first);
			json_counts(x, o, rtab_row(&r->districts, ix[j]),
			    r->off_cat);
		}
	rf_ch(x, o, '}');

	if (r->by != VET_REPORT_BY_DISTRICT) {
		size_t *gx = rtab_order(&r->groups, s);
		static const char *const parts[] = { "district", "street",
		    "community" };

		if (gx == NULL) {
			free(ix);
			x->oom = 1;
			return;
		}
		rf_str(x, o, ",\"groups\":[");
		first = 1;
		for (j = 0; j < r->groups.n; j++) {
			if (!rf_shown(x, &r->groups, gx[j]))
				continue;
			if (!first)
				rf_ch(x, o, ',');
			first = 0;
			rf_ch(x, o, '{');
			part = r->groups.names.data + r->groups.noff[gx[j]];
			n = r->groups.nlen[gx[j]];
			for (p = 0; p <= (size_t)r->by; p++) {
				const char *e = memchr(part, RS_SEP, n);

				k = e ? (size_t)(e - part) : n;
				rf_f(x, o, "\"%s\":", parts[p]);
				vet_buf_reset(&x->scratch);
				if (vet_mask_text(&x->scratch, part, k) < 0)
					x->oom = 1;
				rf_jstr(x, o, vet_buf_str(&x->scratch),
				    x->scratch.len);
				rf_ch(x, o, ',');
				part += k + (e != NULL);
				n -= k + (e != NULL);
			}
			rf_str(x, o, "\"veterans\":");
			rf_f(x, o, "%lld,\"counts\":", (long long)
			    rtab_row(&r->groups, gx[j])[RC_VETERANS]);
			json_counts(x, o, rtab_row(&r->groups, gx[j]),
			    r->off_cat);
			rf_ch(x, o, '}');
		}
		rf_ch(x, o, ']');
		free(gx);
	}

	rf_str(x, o, ",\"priority\":{");
	for (i = 1; i < RP_NPRIO; i++)
		rf_f(x, o, "\"%zu\":%lld,", i,
		    (long long)x->tot[r->off_prio + i]);
	rf_f(x, o, "\"none\":%lld}", (long long)x->tot[r->off_prio]);

	rf_str(x, o, ",\"chain\":{");
	first = 1;
	for (i = 0; i < s->nlinks; i++) {
		json_key(x, o, s->links[i], strlen(s->links[i]), &first);
		rf_f(x, o, "%lld", (long long)x->tot[r->off_link + i]);
	}
	rf_ch(x, o, '}');

	rf_str(x, o, ",\"compliance\":{");
	json_rate(x, o, "training", x->tot[RC_TRAIN_MET], x->tot[RC_TRAIN_DUE],
	    1);
	rf_ch(x, o, ',');
	json_rate(x, o, "monthly_contact", x->tot[RC_CONTACT_MET],
	    x->tot[RC_CONTACT_DUE], ev);
	if (ev)
		rf_f(x, o, ",\"consultations\":%lld,\"job_fairs\":%lld",
		    (long long)x->dtot[RD_CONSULT],
		    (long long)x->dtot[RD_FAIRS]);
	else
		rf_str(x, o, ",\"consultations\":null,"
		    "\"job_fairs\":null");
	rf_f(x, o, ",\"job_fairs_target\":%d,\"findings\":",
	    s->job_fairs_per_year);
	if (r->have_findings) {
		size_t nf;
		struct rf_finding *fd = rf_findings(r, &nf);

		if (fd == NULL) {
			free(ix);
			x->oom = 1;
			return;
		}
		rf_ch(x, o, '{');
		first = 1;
		for (j = 0; j < nf; j++) {
			vet_buf_reset(&x->scratch);
			if (vet_mask_text(&x->scratch, fd[j].p, fd[j].n) < 0)
				x->oom = 1;
			json_key(x, o, vet_buf_str(&x->scratch), x->scratch.len,
			    &first);
			rf_f(x, o, "%lld", (long long)fd[j].count);
		}
		rf_ch(x, o, '}');
		free(fd);
	} else
		rf_str(x, o, "null");
	rf_str(x, o, ",\"by_district\":{");
	first = 1;
	for (j = 0; j < r->districts.n; j++) {
		if (!rf_shown(x, &r->districts, ix[j]))
			continue;
		c = rtab_row(&r->districts, ix[j]);
		row = rtab_find(&r->dside, r->districts.names.data +
		    r->districts.noff[ix[j]], r->districts.nlen[ix[j]]);
		d = row >= 0 ? rtab_row(&r->dside, (size_t)row) : NULL;
		json_name(x, o, &r->districts, ix[j], &first);
		rf_ch(x, o, '{');
		json_rate(x, o, "training", c[RC_TRAIN_MET], c[RC_TRAIN_DUE],
		    1);
		rf_ch(x, o, ',');
		json_rate(x, o, "monthly_contact", c[RC_CONTACT_MET],
		    c[RC_CONTACT_DUE], ev);
		if (ev)
			rf_f(x, o, ",\"consultations\":%lld,"
			    "\"job_fairs\":%lld}",
			    (long long)(d ? d[RD_CONSULT] : 0),
			    (long long)(d ? d[RD_FAIRS] : 0));
		else
			rf_str(x, o, ",\"consultations\":null,"
			    "\"job_fairs\":null}");
	}
	rf_str(x, o, "}}");

	rf_str(x, o, ",\"scorecard\":{");
	first = 1;
	for (j = 0; j < r->districts.n; j++) {
		int64_t fairs;

		if (!rf_shown(x, &r->districts, ix[j]))
			continue;
		c = rtab_row(&r->districts, ix[j]);
		row = rtab_find(&r->dside, r->districts.names.data +
		    r->districts.noff[ix[j]], r->districts.nlen[ix[j]]);
		d = row >= 0 ? rtab_row(&r->dside, (size_t)row) : NULL;
		fairs = d ? d[RD_FAIRS] : 0;
		if (fairs > s->job_fairs_per_year)
			fairs = s->job_fairs_per_year;
		json_name(x, o, &r->districts, ix[j], &first);
		rf_ch(x, o, '{');
		json_rate(x, o, "policy", c[RC_NEEDY_PLAN], c[RC_NEEDY], 1);
		rf_ch(x, o, ',');
		json_rate(x, o, "staff", c[RC_HTP_SERVED], c[RC_HTP], ev);
		rf_ch(x, o, ',');
		json_rate(x, o, "files", c[RC_FILE_COMPLETE], c[RC_INSCOPE], 1);
		rf_ch(x, o, ',');
		json_rate(x, o, "data", c[RC_FRESH], c[RC_VETERANS], 1);
		rf_ch(x, o, ',');
		json_rate(x, o, "jobs", fairs, s->job_fairs_per_year, ev);
		rf_ch(x, o, ',');
		json_rate(x, o, "channels", c[RC_SEEKING_CHANNEL],
		    c[RC_SEEKING], ev);
		rf_ch(x, o, '}');
	}
	rf_ch(x, o, '}');

	if (r->have_prev) {
		rf_str(x, o, ",\"change\":{\"period\":");
		rf_jstr(x, o, r->prev_label, strlen(r->prev_label));
		rf_str(x, o, ",\"totals\":{");
		first = 1;
		for (i = 0; i < s->ncat; i++) {
			json_key(x, o, s->cats[i], strlen(s->cats[i]), &first);
			if (r->prev_tot[i] == INT64_MIN)
				rf_str(x, o, "null");
			else
				rf_f(x, o, "%lld", (long long)(
				    x->tot[r->off_cat + i] - r->prev_tot[i]));
		}
		rf_str(x, o, "},\"by_district\":{");
		first = 1;
		for (j = 0; j < r->districts.n; j++) {
			int first2 = 1;

			if (!rf_shown(x, &r->districts, ix[j]))
				continue;
			c = rtab_row(&r->districts, ix[j]);
			row = rtab_find(&r->prev_dist,
			    r->districts.names.data + r->districts.noff[ix[j]],
			    r->districts.nlen[ix[j]]);
			d = row >= 0 ? rtab_row(&r->prev_dist, (size_t)row) :
			    NULL;
			json_name(x, o, &r->districts, ix[j], &first);
			rf_ch(x, o, '{');
			for (i = 0; i < s->ncat; i++) {
				json_key(x, o, s->cats[i], strlen(s->cats[i]),
				    &first2);
				/* A district absent last quarter had none,
				 * when the report listed them all. */
				if ((d && d[i] == INT64_MIN) ||
				    (!d && !r->prev_all_districts))
					rf_str(x, o, "null");
				else
					rf_f(x, o, "%lld", (long long)(
					    c[r->off_cat + i] -
					    (d ? d[i] : 0)));
			}
			rf_ch(x, o, '}');
		}
		rf_str(x, o, "}}");
	}
	if (x->f->min_cell > 1)
		rf_f(x, o, ",\"min_cell\":%ld,\"suppressed\":%zu",
		    x->f->min_cell, x->nsup);
	rf_str(x, o, "}\n");
	free(ix);
}

/* ---- entry -------------------------------------------------------------- */

int
vet_report_format(const struct vet_report *r, const struct vet_report_fmt *f,
    struct vet_buf *out, struct vet_error *err)
{
	struct rf_ctx x;
	size_t i, j, k;
	int64_t *c;
	int rc = 0;

	memset(&x, 0, sizeof x);
	x.r = r;
	x.f = f;
	x.en = f->lang && strcmp(f->lang, "en") == 0;
	if ((x.tot = calloc(r->k, sizeof *x.tot)) == NULL)
		return vet_error_set(err, VET_ENOMEM, NULL, 0, 0,
		    "out of memory");
	/* Totals always count every record, suppressed groups included. */
	for (i = 0; i < r->districts.n; i++) {
		c = rtab_row(&r->districts, i);
		for (k = 0; k < r->k; k++)
			x.tot[k] += c[k];
	}
	if (suppress(&x) < 0) {
		free(x.tot);
		free(x.hide_d);
		free(x.hide_g);
		return vet_error_set(err, VET_ENOMEM, NULL, 0, 0,
		    "out of memory");
	}
	for (i = 0; i < r->districts.n; i++)
		if (!rf_shown(&x, &r->districts, i))
			x.nsup++;
	if (r->by != VET_REPORT_BY_DISTRICT) {
		x.nsup = 0;
		for (i = 0; i < r->groups.n; i++)
			if (!rf_shown(&x, &r->groups, i))
				x.nsup++;
	}
	/* Event figures of districts without veterans in the input are not
	 * part of this report (SPEC: a district present in the input). */
	for (i = 0; i < r->dside.n; i++)
		if (rtab_find(&r->districts, r->dside.names.data +
		    r->dside.noff[i], r->dside.nlen[i]) >= 0)
			for (j = 0; j < RD_N; j++)
				x.dtot[j] += rtab_row(&r->dside, i)[j];

	if (f->format == VET_REPORT_JSON)
		write_json(&x, out);
	else {
		layout(&x);
		if (!x.oom) {
			if (f->format == VET_REPORT_TEXT)
				write_text(&x, out);
			else if (f->format == VET_REPORT_MD)
				write_md(&x, out);
			else if (f->format == VET_REPORT_CSV)
				write_csv(&x, out);
			else if (f->format == VET_REPORT_XLSX)
				rc = rf_write_xlsx(&x, out, err);
			else
				rf_write_html(&x, out);
		}
	}
	for (i = 0; i < x.ntab; i++)
		free(x.tabs[i].cells);
	free(x.tabs);
	free(x.tot);
	free(x.hide_d);
	free(x.hide_g);
	vet_buf_release(&x.text);
	vet_buf_release(&x.scratch);
	vet_buf_release(&x.masked);
	if (x.oom)
		return vet_error_set(err, VET_ENOMEM, NULL, 0, 0,
		    "out of memory");
	return rc;
}
