/*
 * plan_fmt.c - the station's worklist (plan.h): the plan lines of
 * vet_plan_veteran() held, sorted by station and urgency, and rendered as
 * html, md or text.  Each plan is read back from its own JSON line into a
 * block of display strings, and every format renders that block, so the
 * worklist shows exactly the data of the JSON, in every format alike.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vet/buf.h"
#include "vet/date.h"
#include "vet/error.h"
#include "vet/html.h"
#include "vet/json.h"
#include "vet/mask.h"
#include "vet/plan.h"
#include "vet/policy.h"
#include "vet/record.h"
#include "vet/report.h"
#include "plan_impl.h"

/* The marks of a status in text. */
static const char *const status_mark[S_N] = { "[x]", "[ ]", "[!]", "[ ]" };
const char *const wl_status_code[S_N] = { "done", "due", "late", "open" };
const char *const wl_status_zh[S_N] = {
	"已完成", "待完成", "逾期", "待落实"
};

/* Post types (SPEC 2.2), as the worklist names them. */
static const struct {
	const char *code, *zh;
} post_types[] = {
	{ "market", "市场岗位" },
	{ "dedicated", "退役军人专岗" },
	{ "directed", "定向招聘" },
	{ "public_welfare", "公益性岗位" }
};

int
vet_worklist_new(struct vet_worklist **wp, const struct vet_policy *p,
    vet_day as_of, int unmask, struct vet_error *err)
{
	struct vet_worklist *wl;

	if ((*wp = wl = calloc(1, sizeof *wl)) == NULL)
		return vet_error_nomem(err);
	wl->p = p;
	wl->as_of = as_of;
	wl->unmask = unmask;
	vet_record_init(&wl->rec);
	vet_record_init(&wl->sub);
	return 0;
}

void
vet_worklist_free(struct vet_worklist *wl)
{
	if (wl == NULL)
		return;
	vet_buf_release(&wl->text);
	free(wl->e);
	vet_record_release(&wl->rec);
	vet_record_release(&wl->sub);
	vet_buf_release(&wl->t1);
	vet_buf_release(&wl->t2);
	vet_buf_release(&wl->scratch);
	vet_buf_release(&wl->b.blk);
	free(wl->b.items);
	free(wl);
}

size_t
vet_worklist_count(const struct vet_worklist *wl)
{
	return wl->n;
}

size_t
vet_worklist_bytes(const struct vet_worklist *wl)
{
	return wl->text.len + wl->cap * sizeof *wl->e;
}

static const char *const group_keys[3] = { "district", "street", "community" };

int
vet_worklist_add(struct vet_worklist *wl, const char *line, size_t n,
    const char *phone, size_t phone_n, struct vet_error *err)
{
	struct entry *e, *ne;
	struct vet_span s;
	double d;
	int rc, k;

	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		n--;
	if ((rc = vet_record_parse(&wl->rec, line, n, err)) < 0)
		return rc;
	if (vet_record_get(&wl->rec, "measures") == NULL ||
	    vet_record_get(&wl->rec, "duties") == NULL ||
	    vet_record_str(&wl->rec, "id", &wl->t1, &s) != 1)
		return vet_error_set(err, VET_EDATA, NULL, 0, 0,
		    "not a plan record of vet-plan");
	if (wl->n == wl->cap) {
		size_t cap = wl->cap ? wl->cap * 2 : 256;

		if ((ne = realloc(wl->e, cap * sizeof *ne)) == NULL)
			return vet_error_nomem(err);
		wl->e = ne;
		wl->cap = cap;
	}
	e = &wl->e[wl->n];
	memset(e, 0, sizeof *e);
	e->seq = wl->n;
	e->off = wl->text.len;
	e->len = n;
	if (vet_buf_add(&wl->text, line, n) < 0)
		return vet_error_nomem(err);
	for (k = 0; k < 3; k++) {
		rc = vet_record_str(&wl->rec, group_keys[k], &wl->t1, &s);
		if (rc == VET_ENOMEM)
			return vet_error_nomem(err);
		e->has[k] = rc == 1 && s.n > 0;
		e->koff[k] = wl->text.len;
		e->klen[k] = e->has[k] ? s.n : 0;
		if (e->has[k] && vet_buf_add(&wl->text, s.p, s.n) < 0)
			return vet_error_nomem(err);
	}
	if ((e->hasphone = phone != NULL && phone_n > 0)) {
		e->poff = wl->text.len;
		e->plen = phone_n;
		if (vet_buf_add(&wl->text, phone, phone_n) < 0)
			return vet_error_nomem(err);
	}
	if (vet_record_int(&wl->rec, "priority", &e->prio) != 1)
		e->prio = INT64_MAX;
	e->hasdays = vet_record_num(&wl->rec, "days_since_contact", &d) == 1;
	e->days = e->hasdays ? (int64_t)d : 0;
	wl->n++;
	return 0;
}

/* ---- order -------------------------------------------------------------- */

static const struct vet_worklist *sort_wl;

static int
span_cmp(const char *a, size_t an, const char *b, size_t bn)
{
	size_t n = an < bn ? an : bn;
	int c = memcmp(a, b, n);

	if (c != 0)
		return c;
	return an < bn ? -1 : an > bn;
}

int
wl_group_cmp(const struct vet_worklist *wl, const struct entry *a,
    const struct entry *b, int levels)
{
	int k, c;

	for (k = 0; k < levels; k++) {
		/* A blank name goes after every named one. */
		if (a->has[k] != b->has[k])
			return a->has[k] ? -1 : 1;
		if (!a->has[k])
			continue;
		if ((c = span_cmp(wl->text.data + a->koff[k], a->klen[k],
		    wl->text.data + b->koff[k], b->klen[k])) != 0)
			return c;
	}
	return 0;
}

static int
entry_cmp(const void *x, const void *y)
{
	const struct entry *a = x, *b = y;
	int c;

	if ((c = wl_group_cmp(sort_wl, a, b, WL_LEVELS)) != 0)
		return c;
	if (a->prio != b->prio)
		return a->prio < b->prio ? -1 : 1;
	/* Never contacted is the longest without contact. */
	if (a->hasdays != b->hasdays)
		return a->hasdays ? 1 : -1;
	if (a->days != b->days)
		return a->days > b->days ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* ---- a block from a plan line ------------------------------------------- */

/* Appends a NUL-terminated string to the block; returns its offset. */
static size_t
bput(struct vet_worklist *wl, const char *s, size_t n)
{
	size_t off = wl->b.blk.len;

	if (vet_text_clean(&wl->b.blk, s, n, !wl->unmask, &wl->scratch) < 0 ||
	    vet_buf_addch(&wl->b.blk, '\0') < 0)
		wl->oom = 1;
	return off;
}

static size_t
bputs(struct vet_worklist *wl, const char *s)
{
	return bput(wl, s, strlen(s));
}

const char *
wl_str(const struct vet_worklist *wl, size_t off)
{
	return wl->b.blk.data + off;
}

/* The member k of the validated object span obj, or a span with p NULL. */
static struct vet_span
member(struct vet_span obj, const char *k)
{
	struct vet_json_iter it;
	struct vet_span key, val, none = { NULL, 0 };

	if (obj.p == NULL || vet_json_type_of(obj) != VET_JSON_OBJECT)
		return none;
	vet_json_iter_init(&it, obj);
	while (vet_json_iter_next(&it, &key, &val))
		if (vet_json_string_eq(key, k))
			return val;
	return none;
}

/* The decoded string of value span v into tmp, or "" when not a string. */
static struct vet_span
text_of(struct vet_worklist *wl, struct vet_span v, struct vet_buf *tmp)
{
	struct vet_span s = { "", 0 };

	if (v.p != NULL && vet_json_type_of(v) == VET_JSON_STRING &&
	    vet_json_string(v, tmp, &s) < 0)
		wl->oom = 1;
	return s;
}

static int
status_of(struct vet_span v)
{
	int i;

	for (i = 0; i < S_N; i++)
		if (v.p != NULL && vet_json_string_eq(v, wl_status_code[i]))
			return i;
	return S_OPEN;
}

static struct item *
new_item(struct vet_worklist *wl)
{
	struct block *b = &wl->b;
	struct item *ni;

	if (b->n == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 16;

		if ((ni = realloc(b->items, cap * sizeof *ni)) == NULL) {
			wl->oom = 1;
			return NULL;
		}
		b->items = ni;
		b->cap = cap;
	}
	ni = &b->items[b->n++];
	memset(ni, 0, sizeof *ni);
	ni->status = -1;
	return ni;
}

/* A label of the policy for a code held in a JSON string. */
static const char *
policy_label(struct vet_worklist *wl, struct vet_span code)
{
	struct vet_span s = text_of(wl, code, &wl->t2);
	const char *l;

	vet_buf_reset(&wl->t1);
	if (vet_buf_add(&wl->t1, s.p, s.n) < 0) {
		wl->oom = 1;
		return "";
	}
	if (memchr(s.p, '\0', s.n) == NULL &&
	    (l = vet_policy_label(wl->p, vet_buf_str(&wl->t1), "zh")) != NULL)
		return l;
	return vet_buf_str(&wl->t1);
}

static void
rec_text(struct vet_worklist *wl, struct vet_span r, struct vet_buf *o)
{
	static const char *const parts[] = { "title", "employer" };
	struct vet_span v, s;
	size_t i, j;
	int64_t n;
	int sep = 0;

	for (i = 0; i < 2; i++) {
		s = text_of(wl, member(r, parts[i]), &wl->t2);
		if (s.n == 0)
			continue;
		if (sep && vet_buf_addstr(o, " · ") < 0)
			wl->oom = 1;
		if (vet_buf_add(o, s.p, s.n) < 0)
			wl->oom = 1;
		sep = 1;
	}
	v = member(r, "post_type");
	for (j = 0; v.p && j < sizeof post_types / sizeof post_types[0]; j++)
		if (vet_json_string_eq(v, post_types[j].code) &&
		    vet_buf_addf(o, "%s%s", sep ? " · " : "",
		    post_types[j].zh) < 0)
			wl->oom = 1;
	s = text_of(wl, member(r, "district"), &wl->t2);
	if (s.n > 0 && (vet_buf_addstr(o, sep ? " · " : "") < 0 ||
	    vet_buf_add(o, s.p, s.n) < 0))
		wl->oom = 1;
	s = text_of(wl, member(r, "street"), &wl->t2);
	if (s.n > 0 && vet_buf_add(o, s.p, s.n) < 0)
		wl->oom = 1;
	v = member(r, "salary");
	if (v.p && vet_json_type_of(v) == VET_JSON_NUMBER &&
	    vet_json_int(v, &n) == 0 &&
	    vet_buf_addf(o, " · %lld %s", (long long)n, W_SALARY) < 0)
		wl->oom = 1;
	v = member(r, "score");
	if (v.p && vet_json_type_of(v) == VET_JSON_NUMBER &&
	    (vet_buf_addstr(o, "（") < 0 || vet_buf_add(o, v.p, v.n) < 0 ||
	    vet_buf_addf(o, " %s）", W_SCORE) < 0))
		wl->oom = 1;
	s = text_of(wl, member(r, "job_id"), &wl->t2);
	if (s.n > 0 && (vet_buf_addstr(o, " ") < 0 ||
	    vet_buf_add(o, s.p, s.n) < 0))
		wl->oom = 1;
}

/* The veteran's name, id and phone, masked unless --unmask. */
static void
block_person(struct vet_worklist *wl, const struct entry *e)
{
	struct block *b = &wl->b;
	struct vet_span s;
	char masked[64];

	vet_record_str(&wl->rec, "name", &wl->t2, &s);
	b->name = vet_record_get(&wl->rec, "name") ? bput(wl, s.p, s.n) :
	    bputs(wl, "");
	if (vet_record_str(&wl->rec, "id", &wl->t2, &s) != 1)
		s.n = 0;
	if (wl->unmask)
		b->id = bput(wl, s.p, s.n);
	else
		b->id = bputs(wl, vet_mask_id(s.p, s.n, masked,
		    sizeof masked));
	if (!e->hasphone)
		b->phone = bputs(wl, "");
	else if (wl->unmask)
		b->phone = bput(wl, wl->text.data + e->poff, e->plen);
	else
		b->phone = bputs(wl, vet_mask_phone(wl->text.data + e->poff,
		    e->plen, masked, sizeof masked));
}

/* The categories by their labels, joined with 、 as vet-export does, and
 * the last contact. */
static void
block_facts(struct vet_worklist *wl, const struct entry *e,
    struct vet_buf *tmp)
{
	struct block *b = &wl->b;
	const struct vet_field *f;
	struct vet_json_iter it;
	struct vet_span v, s;
	int first = 1;

	vet_buf_reset(tmp);
	f = vet_record_get(&wl->rec, "categories");
	if (f != NULL && f->type == VET_JSON_ARRAY) {
		vet_json_iter_init(&it, f->val);
		while (vet_json_iter_next(&it, NULL, &v)) {
			if (!first && vet_buf_addstr(tmp, "、") < 0)
				wl->oom = 1;
			if (vet_buf_addstr(tmp, policy_label(wl, v)) < 0)
				wl->oom = 1;
			first = 0;
		}
	}
	b->cats = bput(wl, vet_buf_str(tmp), tmp->len);

	vet_buf_reset(tmp);
	b->hasdays = e->hasdays;
	b->days = e->days;
	if (vet_record_str(&wl->rec, "last_contact_date", &wl->t2, &s) == 1) {
		b->cdate = bput(wl, s.p, s.n);
		if (vet_buf_add(tmp, s.p, s.n) < 0 || (e->hasdays &&
		    vet_buf_addf(tmp, "（%lld %s）", (long long)e->days,
		    W_DAYS_AGO) < 0))
			wl->oom = 1;
	} else {
		b->cdate = bputs(wl, "");
		if (vet_buf_addstr(tmp, W_NO_CONTACT) < 0)
			wl->oom = 1;
	}
	b->contact = bput(wl, vet_buf_str(tmp), tmp->len);
}

/* An item of a duty ({"check","period","due","status"}) or of a measure
 * ({"code","label","clause","due"?,"status"}): its label, the period or
 * clause, the deadline and the status. */
static void
block_item(struct vet_worklist *wl, struct vet_span v, int duty)
{
	struct item *im;
	struct vet_span s, label;

	if ((im = new_item(wl)) == NULL)
		return;
	if (duty) {
		wl->b.nduty++;
		im->a = bputs(wl, policy_label(wl, member(v, "check")));
		s = text_of(wl, member(v, "period"), &wl->t2);
	} else {
		wl->b.nmeas++;
		label = member(v, "label");
		if (label.p == NULL ||
		    vet_json_type_of(label) != VET_JSON_STRING)
			label = member(v, "code");
		s = text_of(wl, label, &wl->t2);
		im->a = bput(wl, s.p, s.n);
		s = text_of(wl, member(v, "clause"), &wl->t2);
	}
	im->b = bput(wl, s.p, s.n);
	s = text_of(wl, member(v, "due"), &wl->t2);
	im->c = bput(wl, s.p, s.n);
	im->d = bputs(wl, "");
	im->status = status_of(member(v, "status"));
}

/* The duties, then the measures, then the recommendations. */
static void
block_items(struct vet_worklist *wl, struct vet_buf *tmp)
{
	struct block *b = &wl->b;
	const struct vet_field *f;
	struct vet_json_iter it;
	struct vet_span v;
	struct item *im;

	f = vet_record_get(&wl->rec, "duties");
	if (f != NULL && f->type == VET_JSON_ARRAY) {
		vet_json_iter_init(&it, f->val);
		while (vet_json_iter_next(&it, NULL, &v) && !wl->oom)
			block_item(wl, v, 1);
	}
	f = vet_record_get(&wl->rec, "measures");
	if (f != NULL && f->type == VET_JSON_ARRAY) {
		vet_json_iter_init(&it, f->val);
		while (vet_json_iter_next(&it, NULL, &v) && !wl->oom)
			/* A measure with a deadline is a duty of the period,
			 * already a line of the duties above. */
			if (b->nduty == 0 || member(v, "due").p == NULL)
				block_item(wl, v, 0);
	}
	f = vet_record_get(&wl->rec, "recommendations");
	if (f != NULL && f->type == VET_JSON_ARRAY) {
		vet_json_iter_init(&it, f->val);
		while (vet_json_iter_next(&it, NULL, &v)) {
			if ((im = new_item(wl)) == NULL)
				break;
			b->nrec++;
			vet_buf_reset(tmp);
			rec_text(wl, v, tmp);
			im->a = bput(wl, vet_buf_str(tmp), tmp->len);
			im->b = im->c = im->d = bputs(wl, "");
		}
	}
}

int
wl_load_block(struct vet_worklist *wl, const struct entry *e,
    struct vet_error *err)
{
	struct block *b = &wl->b;
	struct vet_buf tmp = VET_BUF_INIT;

	vet_buf_reset(&b->blk);
	b->n = b->nduty = b->nmeas = b->nrec = 0;
	if (vet_record_parse(&wl->rec, wl->text.data + e->off, e->len,
	    err) < 0)
		return err->status;
	b->prio = e->prio;
	block_person(wl, e);
	block_facts(wl, e, &tmp);
	block_items(wl, &tmp);
	vet_buf_release(&tmp);
	return wl->oom ? vet_error_nomem(err) : 0;
}

const char *
wl_group_name(struct vet_worklist *wl, const struct entry *e, int k,
    struct vet_buf *o)
{
	vet_buf_reset(o);
	if (!e->has[k])
		return W_BLANK;
	if (vet_text_clean(o, wl->text.data + e->koff[k], e->klen[k],
	    !wl->unmask, &wl->scratch) < 0)
		wl->oom = 1;
	return vet_buf_str(o);
}

void
wl_group_counts(struct vet_worklist *wl, size_t i, int levels, size_t *end,
    size_t *due, size_t *late)
{
	const struct vet_field *f;
	struct vet_json_iter it;
	struct vet_span v, st;
	struct vet_error err;
	size_t j;

	*due = *late = 0;
	for (j = i; j < wl->n && wl_group_cmp(wl, &wl->e[i], &wl->e[j],
	    levels) == 0; j++) {
		if (vet_record_parse(&wl->sub, wl->text.data + wl->e[j].off,
		    wl->e[j].len, &err) < 0)
			continue;
		f = vet_record_get(&wl->sub, "duties");
		if (f == NULL || f->type != VET_JSON_ARRAY)
			continue;
		vet_json_iter_init(&it, f->val);
		while (vet_json_iter_next(&it, NULL, &v)) {
			st = member(v, "status");
			if (st.p && vet_json_string_eq(st, "due"))
				++*due;
			else if (st.p && vet_json_string_eq(st, "late"))
				++*late;
		}
	}
	*end = j;
}

/* ---- text and md ------------------------------------------------------- */

static void
add(struct vet_worklist *wl, struct vet_buf *o, const char *s)
{
	if (vet_buf_addstr(o, s) < 0)
		wl->oom = 1;
}

static void
addf(struct vet_worklist *wl, struct vet_buf *o, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
addf(struct vet_worklist *wl, struct vet_buf *o, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (vet_buf_vaddf(o, fmt, ap) < 0)
		wl->oom = 1;
	va_end(ap);
}

/* Pads to display width w (CJK characters count 2). */
static void
padded(struct vet_worklist *wl, struct vet_buf *o, const char *s, size_t w)
{
	size_t cw = vet_report_width(s, strlen(s));

	add(wl, o, s);
	while (cw++ < w)
		add(wl, o, " ");
}

/* Markdown text: the characters that would start markup escaped. */
static void
md(struct vet_worklist *wl, struct vet_buf *o, const char *s)
{
	for (; *s; s++) {
		if (strchr("\\`*_[]<>|#", *s) != NULL)
			add(wl, o, "\\");
		if (vet_buf_addch(o, *s) < 0)
			wl->oom = 1;
	}
}

/* A duty or measure as a line of text, in columns. */
static void
text_item(struct vet_worklist *wl, struct vet_buf *o, const struct item *im,
    int duty)
{
	addf(wl, o, "     %s ", status_mark[im->status]);
	if (duty) {
		padded(wl, o, wl_str(wl, im->a), 10);
		addf(wl, o, "  %-7s  %s %s  %s\n", wl_str(wl, im->b),
		    W_DEADLINE, wl_str(wl, im->c), wl_status_zh[im->status]);
		return;
	}
	padded(wl, o, wl_str(wl, im->a), 26);
	add(wl, o, "  ");
	padded(wl, o, wl_str(wl, im->b), 10);
	if (*wl_str(wl, im->c))
		addf(wl, o, "  %s %s", W_DEADLINE, wl_str(wl, im->c));
	addf(wl, o, "  %s\n", wl_status_zh[im->status]);
}

/* A duty or measure as a task of a Markdown list, a late one in bold. */
static void
md_item(struct vet_worklist *wl, struct vet_buf *o, const struct item *im)
{
	addf(wl, o, "  - %s ", im->status == S_DONE ? "[x]" : "[ ]");
	md(wl, o, wl_str(wl, im->a));
	if (*wl_str(wl, im->b)) {
		add(wl, o, " ");
		md(wl, o, wl_str(wl, im->b));
	}
	if (*wl_str(wl, im->c)) {
		addf(wl, o, "，%s ", W_DEADLINE);
		md(wl, o, wl_str(wl, im->c));
	}
	addf(wl, o, im->status == S_LATE ? "：**%s**\n" : "：%s\n",
	    wl_status_zh[im->status]);
}

/*
 * The block of text and of md: the same lines, md marking its heading and
 * lists and escaping the data.
 */
static void
plain_block(struct vet_worklist *wl, struct vet_buf *o, size_t no, int m)
{
	void (*put)(struct vet_worklist *, struct vet_buf *, const char *) =
	    m ? md : add;
	const char *sep = m ? " · " : "  ", *li = m ? "- " : "   ";
	const struct block *b = &wl->b;
	size_t i;

	addf(wl, o, m ? "\n### %zu. " : "%zu. ", no);
	put(wl, o, wl_str(wl, b->name));
	if (*wl_str(wl, b->id)) {
		add(wl, o, sep);
		put(wl, o, wl_str(wl, b->id));
	}
	if (*wl_str(wl, b->phone)) {
		add(wl, o, sep);
		put(wl, o, wl_str(wl, b->phone));
	}
	addf(wl, o, "%s%s %lld\n%s", sep, W_PRIORITY, (long long)b->prio,
	    m ? "\n" : "");
	if (*wl_str(wl, b->cats)) {
		addf(wl, o, "%s%s：", li, W_CATEGORIES);
		put(wl, o, wl_str(wl, b->cats));
		add(wl, o, "\n");
	}
	addf(wl, o, "%s%s：", li, W_CONTACT);
	put(wl, o, wl_str(wl, b->contact));
	add(wl, o, "\n");
	for (i = 0; i < b->n; i++) {
		if (i == 0 && b->nduty)
			addf(wl, o, "%s%s：\n", li, W_DUTIES);
		if (i == b->nduty && b->nmeas)
			addf(wl, o, "%s%s：\n", li, W_MEASURES);
		if (i == b->nduty + b->nmeas && b->nrec)
			addf(wl, o, "%s%s：\n", li, W_RECS);
		if (i < b->nduty + b->nmeas) {
			if (m)
				md_item(wl, o, &b->items[i]);
			else
				text_item(wl, o, &b->items[i], i < b->nduty);
			continue;
		}
		addf(wl, o, m ? "  %zu. " : "     %zu. ",
		    i + 1 - b->nduty - b->nmeas);
		put(wl, o, wl_str(wl, b->items[i].a));
		add(wl, o, "\n");
	}
}

/* ---- html --------------------------------------------------------------- */

static const char html_style[] =
	"body{font-family:\"Noto Sans CJK SC\",\"Source Han Sans SC\","
	"\"Microsoft YaHei\",\"PingFang SC\",sans-serif;margin:24px auto;"
	"color:#222;max-width:820px;font-size:14px;line-height:1.45}\n"
	"h1{font-size:20px;border-bottom:2px solid #8b0000;"
	"padding-bottom:4px;margin:0 0 6px}\n"
	".sub{color:#555;font-size:12px;margin:0 0 10px}\n"
	".station{margin-bottom:28px}\n"
	".counts{font-size:13px;margin:0 0 8px}\n"
	".counts b{color:#b00000}\n"
	".vet{border:1px solid #999;border-radius:3px;padding:6px 10px;"
	"margin:0 0 10px}\n"
	".vet h3{font-size:15px;margin:0 0 3px}\n"
	".vet h3 .no{color:#555;font-weight:normal}\n"
	".vet h3 .pid,.vet h3 .tel{font-weight:normal;font-size:13px;"
	"margin-left:10px;font-family:\"Noto Sans Mono CJK SC\",monospace}\n"
	".prio{float:right;font-size:12px;border:1px solid #8b0000;"
	"color:#8b0000;border-radius:3px;padding:0 5px}\n"
	".p1{background:#8b0000;color:#fff}\n"
	".facts{font-size:13px;margin:0 0 4px}\n"
	".facts span{margin-right:14px}\n"
	"table{border-collapse:collapse;width:100%;font-size:13px;"
	"margin:3px 0}\n"
	"th,td{border:1px solid #ccc;padding:2px 6px;text-align:left;"
	"vertical-align:top}\n"
	"th{background:#f2f2f2;font-weight:600;width:5.5em}\n"
	"td.st{width:5em;white-space:nowrap}\n"
	"td.dl{width:7.5em;white-space:nowrap}\n"
	".done{color:#1a6b1a}.due{color:#8a5a00;font-weight:600}"
	".late{color:#fff;background:#b00000;font-weight:600}"
	".open{color:#444}\n"
	"ol.recs{margin:2px 0 2px 1.6em;padding:0;font-size:13px}\n"
	".sign{font-size:12px;color:#555;margin-top:5px;border-top:1px dashed "
	"#bbb;padding-top:3px;display:flex;gap:12px}\n"
	".sign span{display:inline-block;border-bottom:1px solid #999;"
	"padding:14px 0 2px;min-width:8em}\n"
	".sign span:first-child{flex:1}\n"
	"@media print{@page{size:A4;margin:12mm}"
	"body{margin:0;max-width:none;font-size:10pt}"
	".station{page-break-after:always;margin:0}"
	".station:last-child{page-break-after:auto}"
	".vet{page-break-inside:avoid}"
	".late{-webkit-print-color-adjust:exact;print-color-adjust:exact}"
	".p1{-webkit-print-color-adjust:exact;print-color-adjust:exact}}\n";

static void
h(struct vet_worklist *wl, struct vet_buf *o, const char *s)
{
	if (vet_html_escape(o, s, strlen(s)) < 0)
		wl->oom = 1;
}

static void
html_item_row(struct vet_worklist *wl, struct vet_buf *o,
    const struct item *im, const char *head, size_t rows)
{
	add(wl, o, "<tr>");
	if (head != NULL) {
		addf(wl, o, "<th rowspan=\"%zu\">", rows);
		h(wl, o, head);
		add(wl, o, "</th>");
	}
	addf(wl, o, "<td class=\"st %s\">%s</td><td>",
	    wl_status_code[im->status], wl_status_zh[im->status]);
	h(wl, o, wl_str(wl, im->a));
	if (*wl_str(wl, im->b)) {
		add(wl, o, " <span class=\"open\">");
		h(wl, o, wl_str(wl, im->b));
		add(wl, o, "</span>");
	}
	add(wl, o, "</td><td class=\"dl\">");
	if (*wl_str(wl, im->c)) {
		addf(wl, o, "%s ", W_DEADLINE);
		h(wl, o, wl_str(wl, im->c));
	}
	add(wl, o, "</td></tr>\n");
}

static void
html_block(struct vet_worklist *wl, struct vet_buf *o, size_t no)
{
	const struct block *b = &wl->b;
	size_t i;

	add(wl, o, "<article class=\"vet\">\n<h3>");
	addf(wl, o, "<span class=\"prio%s\">%s %lld</span>",
	    b->prio == 1 ? " p1" : "", W_PRIORITY, (long long)b->prio);
	addf(wl, o, "<span class=\"no\">%zu.</span> ", no);
	h(wl, o, wl_str(wl, b->name));
	if (*wl_str(wl, b->id)) {
		add(wl, o, "<span class=\"pid\">");
		h(wl, o, wl_str(wl, b->id));
		add(wl, o, "</span>");
	}
	if (*wl_str(wl, b->phone)) {
		add(wl, o, "<span class=\"tel\">☎ ");
		h(wl, o, wl_str(wl, b->phone));
		add(wl, o, "</span>");
	}
	add(wl, o, "</h3>\n<div class=\"facts\">");
	if (*wl_str(wl, b->cats)) {
		addf(wl, o, "<span>%s：", W_CATEGORIES);
		h(wl, o, wl_str(wl, b->cats));
		add(wl, o, "</span>");
	}
	addf(wl, o, "<span>%s：", W_CONTACT);
	h(wl, o, wl_str(wl, b->contact));
	add(wl, o, "</span></div>\n");
	if (b->nduty + b->nmeas > 0) {
		add(wl, o, "<table>\n");
		for (i = 0; i < b->nduty; i++)
			html_item_row(wl, o, &b->items[i], i == 0 ? W_DUTIES :
			    NULL, b->nduty);
		for (i = 0; i < b->nmeas; i++)
			html_item_row(wl, o, &b->items[b->nduty + i], i == 0 ?
			    W_MEASURES : NULL, b->nmeas);
		add(wl, o, "</table>\n");
	}
	if (b->nrec > 0) {
		addf(wl, o, "<div class=\"facts\">%s：</div>\n<ol class=\"recs\">"
		    "\n", W_RECS);
		for (i = 0; i < b->nrec; i++) {
			add(wl, o, "<li>");
			h(wl, o, wl_str(wl, b->items[b->nduty + b->nmeas + i].a));
			add(wl, o, "</li>\n");
		}
		add(wl, o, "</ol>\n");
	}
	/* The station writes the month's contact on the printed sheet. */
	addf(wl, o, "<div class=\"sign\"><span>%s：</span><span>%s：</span>"
	    "<span>%s：</span></div>\n</article>\n", W_NOTE, W_STAFF, W_DATE);
}

/* ---- the whole worklist ------------------------------------------------- */

/* The heading of a community: its names and counts, in format f. */
static void
group_head(struct vet_worklist *wl, struct vet_buf *out,
    enum vet_worklist_format f, const char *const gn[WL_LEVELS],
    const char *title, size_t people, size_t due, size_t late)
{
	void (*put)(struct vet_worklist *, struct vet_buf *, const char *) =
	    f == VET_WORKLIST_HTML ? h : f == VET_WORKLIST_MD ? md : add;
	int k;

	if (f == VET_WORKLIST_HTML)
		add(wl, out, "<section class=\"station\">\n<h1>");
	else
		add(wl, out, f == VET_WORKLIST_MD ? "\n## " : "\n== ");
	for (k = 0; k < WL_LEVELS; k++) {
		put(wl, out, gn[k]);
		add(wl, out, k < WL_LEVELS - 1 ? " " : "");
	}
	if (f == VET_WORKLIST_HTML) {
		add(wl, out, "</h1>\n<p class=\"sub\">");
		h(wl, out, title);
		/* Only a count that asks for work is marked: a red 0 on
		 * every page reads as an alarm and hides the real ones. */
		addf(wl, out, "</p>\n<p class=\"counts\">%zu %s · %s %s%zu%s "
		    "· %s %s%zu%s</p>\n", people, W_PEOPLE, W_DUE_N,
		    due ? "<b>" : "", due, due ? "</b>" : "", W_LATE_N,
		    late ? "<b>" : "", late, late ? "</b>" : "");
	} else
		addf(wl, out, f == VET_WORKLIST_MD ?
		    "\n\n%zu %s · %s %zu · %s %zu\n" :
		    "（%zu %s · %s %zu · %s %zu）\n\n", people, W_PEOPLE,
		    W_DUE_N, due, W_LATE_N, late);
}

/* The page of html, md or text around the communities. */
static void
doc_begin(struct vet_worklist *wl, struct vet_buf *out,
    enum vet_worklist_format f, const struct vet_buf *title)
{
	if (f == VET_WORKLIST_HTML) {
		if (vet_html_begin(out, "zh-CN", vet_buf_str(title),
		    title->len, html_style) < 0)
			wl->oom = 1;
		return;
	}
	if (f == VET_WORKLIST_MD)
		add(wl, out, "# ");
	add(wl, out, vet_buf_str(title));
	add(wl, out, "\n");
}

static void
doc_end(struct vet_worklist *wl, struct vet_buf *out,
    enum vet_worklist_format f, const struct vet_buf *title)
{
	if (f != VET_WORKLIST_HTML)
		return;
	if (wl->n > 0)
		add(wl, out, "</section>\n");
	else {
		add(wl, out, "<h1>");
		h(wl, out, vet_buf_str(title));
		add(wl, out, "</h1>\n");
	}
	if (vet_html_end(out) < 0)
		wl->oom = 1;
}

/* The communities one after another, a block per veteran. */
static int
write_groups(struct vet_worklist *wl, enum vet_worklist_format f,
    struct vet_buf *out, const char *title, struct vet_error *err)
{
	struct vet_buf g[WL_LEVELS] = { VET_BUF_INIT, VET_BUF_INIT,
	    VET_BUF_INIT };
	const char *gn[WL_LEVELS];
	size_t i, end = 0, due, late, no = 0;
	int k, rc = 0;

	for (i = 0; i < wl->n && !wl->oom; i++) {
		if (i == end) {
			wl_group_counts(wl, i, WL_LEVELS, &end, &due, &late);
			for (k = 0; k < WL_LEVELS; k++)
				gn[k] = wl_group_name(wl, &wl->e[i], k, &g[k]);
			no = 0;
			if (f == VET_WORKLIST_HTML && i > 0)
				add(wl, out, "</section>\n");
			group_head(wl, out, f, gn, title, end - i, due, late);
		}
		if ((rc = wl_load_block(wl, &wl->e[i], err)) < 0)
			break;
		no++;
		if (f == VET_WORKLIST_HTML)
			html_block(wl, out, no);
		else
			plain_block(wl, out, no, f == VET_WORKLIST_MD);
	}
	for (k = 0; k < WL_LEVELS; k++)
		vet_buf_release(&g[k]);
	return rc;
}

int
vet_worklist_write(struct vet_worklist *wl, enum vet_worklist_format f,
    struct vet_buf *out, struct vet_error *err)
{
	struct vet_buf title = VET_BUF_INIT;
	char asof[11];
	int rc;

	sort_wl = wl;
	if (wl->n > 1)
		qsort(wl->e, wl->n, sizeof *wl->e, entry_cmp);
	sort_wl = NULL;
	vet_date_format(wl->as_of, asof);
	if (vet_buf_addf(&title, "%s（%s %s）", W_TITLE, W_AS_OF, asof) < 0) {
		vet_buf_release(&title);
		return vet_error_nomem(err);
	}
	if (f == VET_WORKLIST_XLSX) {
		rc = wl_write_xlsx(wl, vet_buf_str(&title), out, err);
		vet_buf_release(&title);
		return rc;
	}
	doc_begin(wl, out, f, &title);
	rc = write_groups(wl, f, out, vet_buf_str(&title), err);
	if (rc == 0)
		doc_end(wl, out, f, &title);
	if (rc == 0 && wl->oom)
		rc = vet_error_nomem(err);
	vet_buf_release(&title);
	return rc;
}
