/*
 * report.c - the aggregation of vet-report (report.h): groups of counters,
 * events joined by id, findings; the partials are in report_partial.c,
 * --compare in report_compare.c.
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vet/buf.h"
#include "vet/date.h"
#include "vet/error.h"
#include "vet/hash.h"
#include "vet/json.h"
#include "vet/mask.h"
#include "vet/mem.h"
#include "vet/policy.h"
#include "vet/record.h"
#include "vet/report.h"
#include "vet/schema.h"
#include "report_impl.h"

/* ---- the counter table -------------------------------------------------- */

int
rtab_init(struct rtab *t, size_t k)
{
	memset(t, 0, sizeof *t);
	t->k = k;
	return 0;
}

void
rtab_release(struct rtab *t)
{
	vet_buf_release(&t->names);
	free(t->noff);
	free(t->nlen);
	free(t->cnt);
	free(t->slot);
	memset(t, 0, sizeof *t);
}

int64_t *
rtab_row(const struct rtab *t, size_t i)
{
	return t->cnt + i * t->k;
}

static int
name_eq(const struct rtab *t, size_t i, const char *p, size_t n)
{
	return t->nlen[i] == n &&
	    (n == 0 || memcmp(t->names.data + t->noff[i], p, n) == 0);
}

long
rtab_find(const struct rtab *t, const char *p, size_t n)
{
	size_t j, mask;

	if (t->nslot == 0)
		return -1;
	mask = t->nslot - 1;
	for (j = vet_hash(p, n) & mask; t->slot[j] != 0; j = (j + 1) & mask)
		if (name_eq(t, t->slot[j] - 1, p, n))
			return (long)(t->slot[j] - 1);
	return -1;
}

static int
rtab_rehash(struct rtab *t, size_t nslot)
{
	size_t *s, i, j;

	if ((s = calloc(nslot, sizeof *s)) == NULL)
		return VET_ENOMEM;
	for (i = 0; i < t->n; i++) {
		j = vet_hash(t->names.data + t->noff[i], t->nlen[i]) &
		    (nslot - 1);
		while (s[j] != 0)
			j = (j + 1) & (nslot - 1);
		s[j] = i + 1;
	}
	free(t->slot);
	t->slot = s;
	t->nslot = nslot;
	return 0;
}

long
rtab_get(struct rtab *t, const char *p, size_t n)
{
	long f;
	size_t ncap, j;
	void *q;

	if ((f = rtab_find(t, p, n)) >= 0)
		return f;
	if (t->n == t->cap) {
		ncap = t->cap ? t->cap * 2 : 4;
		if ((q = realloc(t->noff, ncap * sizeof *t->noff)) == NULL)
			return -1;
		t->noff = q;
		if ((q = realloc(t->nlen, ncap * sizeof *t->nlen)) == NULL)
			return -1;
		t->nlen = q;
		if ((q = realloc(t->cnt, ncap * t->k * sizeof *t->cnt +
		    1)) == NULL)
			return -1;
		t->cnt = q;
		t->cap = ncap;
	}
	if ((t->n + 1) * 2 > t->nslot &&
	    rtab_rehash(t, t->nslot ? t->nslot * 2 : 32) < 0)
		return -1;
	t->noff[t->n] = t->names.len;
	t->nlen[t->n] = n;
	if (vet_buf_add(&t->names, p, n) < 0)
		return -1;
	memset(rtab_row(t, t->n), 0, t->k * sizeof *t->cnt);
	for (j = vet_hash(p, n) & (t->nslot - 1); t->slot[j] != 0;
	    j = (j + 1) & (t->nslot - 1))
		;
	t->slot[j] = t->n + 1;
	return (long)t->n++;
}

/* Sorting rows: the district part in the schema's order, then bytes. */
struct order_ctx {
	const struct rtab *t;
	const struct vet_report_schema *s;
	size_t *rank;		/* per row: district rank */
};

static const struct order_ctx *the_order;

static int
order_cmp(const void *a, const void *b)
{
	const struct order_ctx *o = the_order;
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	size_t ni, nj, n;
	int c;

	if (o->rank[i] != o->rank[j])
		return o->rank[i] < o->rank[j] ? -1 : 1;
	ni = o->t->nlen[i];
	nj = o->t->nlen[j];
	n = ni < nj ? ni : nj;
	c = memcmp(o->t->names.data + o->t->noff[i],
	    o->t->names.data + o->t->noff[j], n);
	if (c != 0)
		return c;
	return ni < nj ? -1 : ni > nj;
}

size_t *
rtab_order(const struct rtab *t, const struct vet_report_schema *s)
{
	struct order_ctx o;
	size_t *ix, i, d, dl;
	const char *nm, *sep;

	if ((ix = malloc((t->n + 1) * sizeof *ix)) == NULL)
		return NULL;
	if ((o.rank = malloc((t->n + 1) * sizeof *o.rank)) == NULL) {
		free(ix);
		return NULL;
	}
	for (i = 0; i < t->n; i++) {
		ix[i] = i;
		nm = t->names.data + t->noff[i];
		sep = memchr(nm, RS_SEP, t->nlen[i]);
		dl = sep ? (size_t)(sep - nm) : t->nlen[i];
		o.rank[i] = s ? s->ndistricts : 0;
		for (d = 0; s && d < s->ndistricts; d++)
			if (strlen(s->districts[d]) == dl &&
			    memcmp(s->districts[d], nm, dl) == 0) {
				o.rank[i] = d;
				break;
			}
	}
	o.t = t;
	o.s = s;
	/* qsort has no context argument in C11; the report is single
	 * threaded per struct, and the pointer is only used during the call. */
	the_order = &o;
	qsort(ix, t->n, sizeof *ix, order_cmp);
	the_order = NULL;
	free(o.rank);
	return ix;
}

/* ---- the period --------------------------------------------------------- */

/* "2026Q3" of the quarter of d, out of 8 bytes or more: by hand, so that
 * a report need not fault in printf's code (report_table.c writes its
 * cells so too). */
static void
quarter_label(vet_day d, char *out, size_t n)
{
	char ymd[11];
	int y, m, dd;

	vet_date_to_ymd(d, &y, &m, &dd);
	if (y < 0 || y > 9999 || n < 8) {
		snprintf(out, n, "%04dQ%d", y, (m - 1) / 3 + 1);
		return;
	}
	vet_date_format(d, ymd);
	memcpy(out, ymd, 4);
	out[4] = 'Q';
	out[5] = (char)('0' + (m - 1) / 3 + 1);
	out[6] = '\0';
}

static int
months_between(vet_day a, vet_day b)
{
	int ya, ma, yb, mb, d;

	vet_date_to_ymd(a, &ya, &ma, &d);
	vet_date_to_ymd(b, &yb, &mb, &d);
	return (yb - ya) * 12 + (mb - ma);
}

int
vet_report_period_parse(struct vet_report_period *pd, const char *quarter,
    const char *from, const char *to, vet_day as_of, struct vet_error *err)
{
	char fs[11], ts[11];
	vet_day d;

	memset(pd, 0, sizeof *pd);
	pd->as_of = as_of;
	if (quarter && (from || to))
		return vet_error_set(err, VET_EUSAGE, NULL, 0, 0,
		    "--quarter and --from/--to exclude each other");
	if (from || to) {
		if (!from || !to)
			return vet_error_set(err, VET_EUSAGE, NULL, 0, 0,
			    "--from and --to go together");
		if (vet_date_parse(from, strlen(from), &pd->from) < 0)
			return vet_error_set(err, VET_EUSAGE, NULL, 0, 0,
			    "bad date '%s' (want YYYY-MM-DD)", from);
		if (vet_date_parse(to, strlen(to), &pd->to) < 0)
			return vet_error_set(err, VET_EUSAGE, NULL, 0, 0,
			    "bad date '%s' (want YYYY-MM-DD)", to);
		if (pd->from > pd->to)
			return vet_error_set(err, VET_EUSAGE, NULL, 0, 0,
			    "period starts '%s' after it ends '%s'", from, to);
		if (months_between(pd->from, pd->to) >= 64)
			return vet_error_set(err, VET_EUSAGE, NULL, 0, 0,
			    "period '%s..%s' is longer than 64 months", from,
			    to);
		vet_date_format(pd->from, fs);
		vet_date_format(pd->to, ts);
		/* "2026-07-01..2026-08-15": 22 bytes of 32. */
		memcpy(pd->label, fs, 10);
		memcpy(pd->label + 10, "..", 2);
		memcpy(pd->label + 12, ts, 11);
		return 0;
	}
	/* One parser for every tool's --quarter (date.h). */
	if (quarter == NULL)
		d = as_of;
	else if (vet_date_quarter_parse(quarter, as_of, &d, err) < 0)
		return VET_EUSAGE;
	pd->from = vet_date_quarter_start(d);
	pd->to = vet_date_quarter_end(d);
	quarter_label(d, pd->label, sizeof pd->label);
	return 0;
}

/* ---- lifecycle ---------------------------------------------------------- */

static long
cat_index(const struct vet_report_schema *s, const char *code)
{
	size_t i;

	for (i = 0; i < s->ncat; i++)
		if (strcmp(s->cats[i], code) == 0)
			return (long)i;
	return -1;
}

static int file_fields(struct vet_report *r);

static int field_table(struct vet_report *r);

int
vet_report_new(struct vet_report **rp, const struct vet_report_schema *s,
    const struct vet_report_period *pd, enum vet_report_by by,
    struct vet_error *err)
{
	struct vet_report *r;
	size_t i;

	*rp = NULL;
	if ((r = calloc(1, sizeof *r)) == NULL)
		return vet_error_set(err, VET_ENOMEM, NULL, 0, 0,
		    "out of memory");
	r->s = s;
	r->pd = *pd;
	r->by = by;
	r->off_cat = RC_NFIXED;
	r->off_prio = r->off_cat + s->ncat;
	r->off_link = r->off_prio + RP_NPRIO;
	r->off_dlv = r->off_link + s->nlinks;
	r->off_urg = r->off_dlv + s->nlinks;
	r->k = r->off_urg + s->ncat + 1;
	r->cat_out = cat_index(s, "out_of_scope");
	r->cat_exited = cat_index(s, "exited");
	r->cat_htp = cat_index(s, "hard_to_place");
	r->nmonths = months_between(pd->from, pd->to) + 1;
	r->last_d = SIZE_MAX;
	if (file_fields(r) < 0) {
		free(r);
		return vet_error_set(err, VET_EINTERNAL, NULL, 0, 0,
		    "vet-report does not read every field of the schema's "
		    "information file");
	}
	rtab_init(&r->districts, r->k);
	rtab_init(&r->groups, r->k);
	rtab_init(&r->dside, RD_N);
	rtab_init(&r->findings, 1);
	rtab_init(&r->ids, ID_N);
	rtab_init(&r->jobs, 1);
	rtab_init(&r->prev_dist, s->ncat);
	if (field_table(r) < 0 || (r->hit = calloc(s->ncat + 1, 1)) == NULL ||
	    (r->hitl = calloc(s->ncat + 1, sizeof *r->hitl)) == NULL ||
	    (r->catlen = calloc(s->ncat + 1, sizeof *r->catlen)) == NULL ||
	    (r->touched = calloc(r->k + 1, sizeof *r->touched)) == NULL ||
	    (r->one = calloc(r->k, sizeof *r->one)) == NULL ||
	    (r->hits = calloc(s->nlinks + 1, sizeof *r->hits)) == NULL ||
	    (r->dhits = calloc(s->nlinks + 1, sizeof *r->dhits)) == NULL ||
	    (r->prev_tot = malloc((s->ncat + 1) * sizeof *r->prev_tot)) ==
	    NULL || (r->prev_link = malloc((2 * s->nlinks + 1) *
	    sizeof *r->prev_link)) == NULL) {
		vet_report_free(r);
		return vet_error_set(err, VET_ENOMEM, NULL, 0, 0,
		    "out of memory");
	}
	for (i = 0; i < s->ncat; i++) {
		r->prev_tot[i] = INT64_MIN;
		r->catlen[i] = strlen(s->cats[i]);
	}
	/* The months of the period: their starts, and those over on as_of. */
	for (i = 0; i < (size_t)r->nmonths && i < 64; i++) {
		r->mstart[i] = vet_date_add_months(vet_date_month_start(
		    pd->from), (int)i);
		if (vet_date_over(vet_date_month_end(r->mstart[i]), pd->as_of))
			r->mover |= (uint64_t)1 << i;
	}
	for (i = 0; i < 2 * s->nlinks; i++)
		r->prev_link[i] = INT64_MIN;
	r->prev_comp[0][0] = r->prev_comp[0][1] = INT64_MIN;
	r->prev_comp[1][0] = r->prev_comp[1][1] = INT64_MIN;
	*rp = r;
	return 0;
}

void
vet_report_free(struct vet_report *r)
{
	if (r == NULL)
		return;
	rtab_release(&r->districts);
	rtab_release(&r->groups);
	rtab_release(&r->dside);
	rtab_release(&r->findings);
	rtab_release(&r->ids);
	rtab_release(&r->jobs);
	rtab_release(&r->prev_dist);
	vet_buf_release(&r->side_text);
	vet_buf_release(&r->key);
	vet_buf_release(&r->tmp);
	vet_buf_release(&r->mdist);
	vet_buf_release(&r->mpart);
	free(r->hit);
	free(r->hitl);
	free(r->catlen);
	free(r->touched);
	free(r->one);
	free(r->hits);
	free(r->dhits);
	free(r->prev_tot);
	free(r->prev_link);
	free(r->ftab);
	free(r->lf);
	free(r->lstamp);
	vet_buf_release(&r->kbuf);
	free(r);
}

/* ---- field access ------------------------------------------------------- */

/* The fields the report reads, found in one pass over the record. */
enum {
	F_KIND, F_DISTRICT, F_STREET, F_COMMUNITY, F_CATEGORIES, F_PRIORITY,
	F_MEASURES, F_TRAINING_HOURS, F_PLACEMENT, F_DISCHARGE_DATE, F_ID,
	F_ASSISTED_SINCE, F_EMPLOYMENT_NEED, F_EMPLOYMENT_STATUS, F_AS_OF,
	F_EDUCATION, F_SKILLS, F_HOUSEHOLD_WORKING_AGE, F_HOUSEHOLD_EMPLOYED,
	F_LIVING_DIFFICULTY, F_DESIRED_INDUSTRIES, F_RECONCILED,
	/* event, job and finding fields */
	F_TYPE, F_DATE, F_CHECK, F_COURSE, F_HOURS, F_POST_TYPE, F_JOB_ID,
	F_OPENINGS, F_POSTED_DATE, F_EXPIRES_DATE, F_POSTS,
	F_N
};

_Static_assert(F_N <= RP_NFIELDS, "RP_NFIELDS of report_impl.h is too small");
_Static_assert(sizeof ((struct vet_report_period *)0)->label >= 23,
    "a period label holds two dates and \"..\"");

static const char *const field_names[F_N] = {
	"kind", "district", "street", "community", "categories", "priority",
	"measures", "training_hours", "placement", "discharge_date", "id",
	"assisted_since", "employment_need", "employment_status", "as_of",
	"education", "skills", "household_working_age", "household_employed",
	"living_difficulty", "desired_industries", "reconciled",
	"type", "date", "check", "course", "hours", "post_type", "job_id",
	"openings", "posted_date", "expires_date", "posts"
};

/*
 * The slot of key [p, p+n) (n > 0) in the field table: its length and
 * three of its bytes, mixed, tell the names apart well enough that a probe
 * rarely takes a second step, where comparing each key with every name
 * cost a quarter of the report's time.
 */
static inline size_t
field_slot(const char *p, size_t n)
{
	uint32_t h;

	h = (uint32_t)n * 0x9e3779b1u ^ ((uint32_t)(unsigned char)p[0] << 8 |
	    (uint32_t)(unsigned char)p[n / 2] << 16 |
	    (uint32_t)(unsigned char)p[n - 1]);
	h *= 0x85ebca6bu;
	return h ^ h >> 15;
}

/* The slot of name [p, p+n) (n > 0) in r->ftab, or the empty one it
 * would take. */
static inline struct rp_fkey *
fkey_slot(const struct vet_report *r, const char *p, size_t n)
{
	size_t h;
	struct rp_fkey *e;

	for (h = field_slot(p, n) & r->fmask;; h = (h + 1) & r->fmask) {
		e = &r->ftab[h];
		if ((e->len == n && vet_mem_eq_short(e->name, p, n)) ||
		    e->len == 0)
			return e;
	}
}

/*
 * The table of the report's fields, the schema's link keys and the noted
 * keys: at most half full.  Few lookups probe it (a record's key is first
 * checked against the one that followed its predecessor last time, see
 * rp_fkey.next), so a larger table would cost a one-record run more pages
 * than it saves a million records in probes.  0 or VET_ENOMEM.
 */
static int
field_table(struct vet_report *r)
{
	const struct vet_report_schema *s = r->s;
	size_t j, size, nl = s->links_fields ? s->nlink_keys : 0;
	struct rp_fkey *e;

	for (size = 64; size < 2 * (F_N + nl + RP_NOTED); size *= 2)
		;
	if ((r->ftab = calloc(size, sizeof *r->ftab)) == NULL ||
	    (r->lf = calloc(nl + 1, sizeof *r->lf)) == NULL ||
	    (r->lstamp = calloc(nl + 1, sizeof *r->lstamp)) == NULL)
		return VET_ENOMEM;
	r->fmask = size - 1;
	r->nlk = nl;
	for (j = 0; j < F_N + nl; j++) {
		const char *nm = j < F_N ? field_names[j] :
		    s->link_keys[j - F_N];
		size_t n = strlen(nm);

		if (n == 0 || n > UINT32_MAX)
			continue;
		e = fkey_slot(r, nm, n);
		if (e->len == 0) {
			e->name = nm;
			e->len = (uint32_t)n;
			e->rf = F_N;
			e->lk = (long)nl;
		}
		if (j < F_N)
			e->rf = (int)j;
		else if (e->lk == (long)nl)
			e->lk = (long)(j - F_N);
	}
	return 0;
}

/* Adds x to r->lf as links' key k unless the key is there already. */
static inline void
pick_link(struct vet_report *r, size_t k, const struct vet_field *x)
{
	if (r->lstamp[k] != r->lgen) {
		r->lstamp[k] = r->lgen;
		r->lf[r->nlf].key = k;
		r->lf[r->nlf++].f = x;
	}
}

/* The links' key of escaped key x, decoded, into r->lf (as the policy's
 * fill reads it). */
static void
pick_escaped(struct vet_report *r, const struct vet_field *x)
{
	struct vet_span ks;
	struct rp_fkey *e;

	vet_buf_reset(&r->kbuf);
	if (vet_json_string((struct vet_span){ x->key.p - 1, x->key.n + 2 },
	    &r->kbuf, &ks) != 0 || ks.n == 0)
		return;
	e = fkey_slot(r, ks.p, ks.n);
	if (e->len != 0)
		pick_link(r, (size_t)e->lk, x);
}

/*
 * Keeps key [p, p+n), none the report reads, in the empty slot e so that
 * it has a next (fkey.next); NULL when it is not kept (the table has its
 * fill of such keys, or the key is long).
 */
static struct rp_fkey *
note_key(struct vet_report *r, struct rp_fkey *e, const char *p, size_t n)
{
	if (r->nnoted == RP_NOTED || n > RP_NOTED_LEN)
		return NULL;
	memcpy(r->noted[r->nnoted], p, n);
	e->name = r->noted[r->nnoted++];
	e->len = (uint32_t)n;
	e->rf = F_N;
	e->lk = (long)r->nlk;
	return e;
}

/*
 * f[j] is the first usable field of rec named field_names[j], or NULL
 * (f has F_N + 1 entries: f[F_N] is scratch).  The same pass collects the
 * links' fields into r->lf (their first occurrences, null ones too, in
 * record order); the stamp of the "no links' key" entry nlk is always
 * current, so that it is never added.
 */
static void
pick_fields(struct vet_report *r, const struct vet_record *rec,
    const struct vet_field **f)
{
	const struct vet_field *x, *end;
	struct rp_fkey *e, *prev = &r->fstart;

	memset(f, 0, (F_N + 1) * sizeof *f);
	r->nlf = 0;
	if (++r->lgen == 0) {
		/* Once in 2^32 records: the stamps start again. */
		memset(r->lstamp, 0, (r->nlk + 1) * sizeof *r->lstamp);
		r->lgen = 1;
	}
	r->lstamp[r->nlk] = r->lgen;
	for (x = rec->fields, end = x + rec->n; x < end; x++) {
		if (x->key_escaped) {
			pick_escaped(r, x);
			continue;
		}
		if (x->key.n == 0)
			continue;
		if ((e = prev->next) == NULL || e->len != x->key.n ||
		    !vet_mem_eq_short(e->name, x->key.p, x->key.n)) {
			if ((e = fkey_slot(r, x->key.p, x->key.n))->len == 0 &&
			    (e = note_key(r, e, x->key.p, x->key.n)) == NULL)
				continue;
			prev->next = e;
		}
		prev = e;
		if (f[e->rf] == NULL && x->type != VET_JSON_NULL)
			f[e->rf] = x;
		pick_link(r, (size_t)e->lk, x);
	}
}

/* The index of field name among field_names, or -1. */
static int
field_no(const char *name)
{
	int j;

	for (j = 0; j < F_N; j++)
		if (strcmp(field_names[j], name) == 0)
			return j;
	return -1;
}

static int
field_list(int *out, size_t cap, const char *const *names)
{
	size_t i;

	for (i = 0; names[i] != NULL; i++)
		if (i + 1 >= cap || (out[i] = field_no(names[i])) < 0)
			return -1;
	out[i] = -1;
	return 0;
}

/* The information file's fields as picked-field indices into r. */
static int
file_fields(struct vet_report *r)
{
	r->need_if = field_no(vet_schema_file_need_if);
	if (r->need_if < 0 ||
	    field_list(r->file_f, 16, vet_schema_file_fields) < 0 ||
	    field_list(r->need_f, 16, vet_schema_file_need_fields) < 0)
		return -1;
	return 0;
}

/* The record whose picked fields are f has a complete information file. */
static int
file_complete(const struct vet_report *r, const struct vet_field **f)
{
	const int *k;

	for (k = r->file_f; *k >= 0; k++)
		if (f[*k] == NULL)
			return 0;
	if (f[r->need_if] == NULL || f[r->need_if]->type != VET_JSON_TRUE)
		return 1;
	for (k = r->need_f; *k >= 0; k++)
		if (f[*k] == NULL)
			return 0;
	return 1;
}

static int
wrong_type(struct vet_error *err, int j, const char *want)
{
	return vet_error_set(err, VET_EDATA, NULL, 0, 0,
	    "field '%s' must be %s", field_names[j], want);
}

/* The string value of field j into *out; 0 absent, 1 present, <0 error. */
static int
get_str(struct vet_report *r, const struct vet_field **f, int j,
    struct vet_buf *tmp, struct vet_span *out, struct vet_error *err)
{
	(void)r;
	if (f[j] == NULL)
		return 0;
	if (f[j]->type != VET_JSON_STRING)
		return wrong_type(err, j, "a string");
	if (vet_json_string(f[j]->val, tmp, out) < 0)
		return vet_error_nomem(err);
	return 1;
}

static int
get_date(const struct vet_field **f, int j, vet_day *out,
    struct vet_error *err)
{
	struct vet_span v;

	if (f[j] == NULL)
		return 0;
	if (f[j]->type != VET_JSON_STRING)
		return wrong_type(err, j, "a date string");
	v = f[j]->val;
	if (v.n < 2 || vet_date_parse(v.p + 1, v.n - 2, out) < 0)
		return vet_error_set(err, VET_EDATA, NULL, 0, 0,
		    "field '%s' is not a date YYYY-MM-DD", field_names[j]);
	return 1;
}

static int
is_str(const struct vet_field *x, const char *s)
{
	return x && x->type == VET_JSON_STRING && vet_json_string_eq(x->val,
	    s);
}

/* ---- events and findings ------------------------------------------------ */

void
vet_report_expect(struct vet_report *r, int events, int findings)
{
	r->have_events |= events != 0;
	r->have_findings |= findings != 0;
	r->side |= r->have_events || r->have_findings;
}

/* Bit of the month of d in the period (d within the period's months). */
static uint64_t
month_bit(const struct vet_report *r, vet_day d)
{
	return (uint64_t)1 << months_between(r->pd.from, d);
}

/* A post_type for 定向专招 (二(八)): not the open market. */
static int
targeted_type(const struct vet_field *x)
{
	return is_str(x, "dedicated") || is_str(x, "directed") ||
	    is_str(x, "public_welfare");
}

/*
 * Whether a referral was to a targeted post: by its own post_type, else by
 * the post_type of its job in --jobs.  1, 0, or VET_EDATA / VET_ENOMEM.
 */
static int
targeted(struct vet_report *r, const struct vet_field **f,
    struct vet_error *err)
{
	struct vet_span jid;
	long row;
	int rc;

	if (f[F_POST_TYPE] != NULL)
		return targeted_type(f[F_POST_TYPE]);
	if ((rc = get_str(r, f, F_JOB_ID, &r->key, &jid, err)) <= 0)
		return rc;
	row = rtab_find(&r->jobs, jid.p, jid.n);
	return row >= 0 && rtab_row(&r->jobs, (size_t)row)[0] != 0;
}

int
vet_report_add_job(struct vet_report *r, const struct vet_record *job,
    struct vet_error *err)
{
	const struct vet_field *f[F_N + 1];
	struct vet_span jid, dist;
	vet_day posted, expires;
	int64_t open = 1;
	long row;
	int rc, hd, hp, he;

	pick_fields(r, job, f);
	if (f[F_KIND] && !is_str(f[F_KIND], "job"))
		return vet_error_set(err, VET_EDATA, NULL, 0, 0,
		    "record is not of kind 'job'");
	if ((rc = get_str(r, f, F_JOB_ID, &r->key, &jid, err)) < 0)
		return rc;
	if (rc == 0)
		return vet_error_set(err, VET_EDATA, NULL, 0, 0,
		    "missing field 'job_id'");
	if ((row = rtab_get(&r->jobs, jid.p, jid.n)) < 0)
		return vet_error_nomem(err);
	rtab_row(&r->jobs, (size_t)row)[0] = targeted_type(f[F_POST_TYPE]);
	r->have_jobs = 1;
	r->side = 1;
	if (f[F_OPENINGS] && (f[F_OPENINGS]->type != VET_JSON_NUMBER ||
	    vet_json_int(f[F_OPENINGS]->val, &open) < 0 || open < 0 ||
	    open > REPORT_MAX_COUNT))
		return wrong_type(err, F_OPENINGS, "a count of openings");
	if ((hp = get_date(f, F_POSTED_DATE, &posted, err)) < 0)
		return hp;
	if ((he = get_date(f, F_EXPIRES_DATE, &expires, err)) < 0)
		return he;
	if ((hd = get_str(r, f, F_DISTRICT, &r->tmp, &dist, err)) < 0)
		return hd;
	/* A post without a district supplies no district's veterans. */
	if (hd == 0 || (hp == 1 && posted > r->pd.as_of) ||
	    (he == 1 && expires < r->pd.from))
		return 0;
	if (report_mask_name(&r->mdist, &dist) < 0 ||
	    (row = rtab_get(&r->dside, dist.p, dist.n)) < 0)
		return vet_error_nomem(err);
	rtab_row(&r->dside, (size_t)row)[RD_POSTS] += open;
	return 0;
}

int
vet_report_add_event(struct vet_report *r, const struct vet_record *ev,
    struct vet_error *err)
{
	const struct vet_field *f[F_N + 1];
	struct vet_span id, dist;
	vet_day d;
	long row;
	int rc, y, yto, m, dd, inper;
	int64_t *c, posts;
	double hours;

	pick_fields(r, ev, f);
	if (f[F_TYPE] == NULL)
		return vet_error_set(err, VET_EDATA, NULL, 0, 0,
		    "missing field 'type'");
	if ((rc = get_date(f, F_DATE, &d, err)) < 0)
		return rc;
	if (rc == 0)
		return vet_error_set(err, VET_EDATA, NULL, 0, 0,
		    "missing field 'date'");
	vet_report_expect(r, 1, 0);
	if (d > r->pd.as_of)
		return 0;
	if (is_str(f[F_TYPE], "contact") || is_str(f[F_TYPE], "training") ||
	    is_str(f[F_TYPE], "referral")) {
		/*
		 * A month of the period is due as a whole, as in vet-audit:
		 * a contact on any day of it counts, even when --from/--to
		 * cut the month.  Adaptive hours count from any day by
		 * as_of (SPEC 2.3, training_hours); the rest need the period.
		 */
		inper = d >= r->pd.from && d <= r->pd.to;
		if (is_str(f[F_TYPE], "contact") ?
		    (d < vet_date_month_start(r->pd.from) ||
		    d > vet_date_month_end(r->pd.to)) :
		    is_str(f[F_TYPE], "training") ?
		    !inper && !is_str(f[F_COURSE], "adaptive") : !inper)
			return 0;
		if ((rc = get_str(r, f, F_ID, &r->tmp, &id, err)) < 0)
			return rc;
		if (rc == 0)
			return vet_error_set(err, VET_EDATA, NULL, 0, 0,
			    "missing field 'id'");
		if ((row = rtab_get(&r->ids, id.p, id.n)) < 0)
			return vet_error_nomem(err);
		c = rtab_row(&r->ids, (size_t)row);
		if (is_str(f[F_TYPE], "contact")) {
			c[ID_MONTHS] = (int64_t)((uint64_t)c[ID_MONTHS] |
			    month_bit(r, d));
			if (inper) {
				c[ID_FLAGS] |= 2;
				c[ID_CONTACTS]++;
			}
		} else if (is_str(f[F_TYPE], "training")) {
			if (is_str(f[F_COURSE], "adaptive")) {
				hours = 0;
				if (f[F_HOURS] && (f[F_HOURS]->type !=
				    VET_JSON_NUMBER || vet_json_number(
				    f[F_HOURS]->val, &hours) < 0 ||
				    !(hours >= 0 && hours < 1e6)))
					return wrong_type(err, F_HOURS,
					    "a number from 0 to 10^6");
				c[ID_ADAPTIVE_MH] += (int64_t)(hours * 1000 +
				    0.5);
				if (inper)
					c[ID_ADAPTIVE]++;
			} else if (inper && is_str(f[F_COURSE], "vocational"))
				c[ID_VOCATIONAL]++;
			if (inper)
				c[ID_FLAGS] |= 1;
		} else {
			c[ID_FLAGS] |= 1;
			c[ID_REFERRALS]++;
			if ((rc = targeted(r, f, err)) < 0)
				return rc;
			c[ID_TARGETED] += rc;
		}
		return 0;
	}
	if (is_str(f[F_TYPE], "consultation") ||
	    is_str(f[F_TYPE], "job_fair")) {
		if ((rc = get_str(r, f, F_DISTRICT, &r->tmp, &dist, err)) < 0)
			return rc;
		if (rc == 0)
			return vet_error_set(err, VET_EDATA, NULL, 0, 0,
			    "missing field 'district'");
		/* Masked as the veterans' districts are, to join them. */
		if (report_mask_name(&r->mdist, &dist) < 0)
			return vet_error_nomem(err);
		if ((row = rtab_get(&r->dside, dist.p, dist.n)) < 0)
			return vet_error_nomem(err);
		c = rtab_row(&r->dside, (size_t)row);
		if (is_str(f[F_TYPE], "consultation")) {
			if (d >= r->pd.from && d <= r->pd.to)
				c[RD_CONSULT]++;
		} else {
			vet_date_to_ymd(d, &y, &m, &dd);
			vet_date_to_ymd(r->pd.to, &yto, &m, &dd);
			if (y == yto)
				c[RD_FAIRS]++;
			posts = 0;
			if (f[F_POSTS] && (f[F_POSTS]->type !=
			    VET_JSON_NUMBER || vet_json_int(f[F_POSTS]->val,
			    &posts) < 0 || posts < 0 ||
			    posts > REPORT_MAX_COUNT))
				return wrong_type(err, F_POSTS,
				    "a count of posts");
			if (d >= r->pd.from && d <= r->pd.to)
				c[RD_FAIR_POSTS] += posts;
		}
	}
	return 0;
}

int
vet_report_add_finding(struct vet_report *r, const struct vet_record *fr,
    struct vet_error *err)
{
	const struct vet_field *f[F_N + 1];
	struct vet_span check;
	long row;
	int rc;

	pick_fields(r, fr, f);
	if ((rc = get_str(r, f, F_CHECK, &r->tmp, &check, err)) < 0)
		return rc;
	if (rc == 0)
		return vet_error_set(err, VET_EDATA, NULL, 0, 0,
		    "missing field 'check'");
	vet_report_expect(r, 0, 1);
	/* A check the policy does not know is printed, and partials carry it. */
	if (report_mask_name(&r->mdist, &check) < 0)
		return vet_error_nomem(err);
	if ((row = rtab_get(&r->findings, check.p, check.n)) < 0)
		return vet_error_nomem(err);
	rtab_row(&r->findings, (size_t)row)[0]++;
	return 0;
}

/* ---- veterans ----------------------------------------------------------- */

/*
 * r->hit[i] for each category i the record lists, and the list of them in
 * r->hitl (the last record's cleared by that list, not the whole array).
 */
static int
mark_categories(struct vet_report *r, const struct vet_field *x,
    struct vet_error *err)
{
	struct vet_json_iter it;
	struct vet_span v, s;
	size_t i;

	for (i = 0; i < r->nhit; i++)
		r->hit[r->hitl[i]] = 0;
	r->nhit = 0;
	if (x == NULL)
		return 0;
	if (x->type != VET_JSON_ARRAY)
		return wrong_type(err, F_CATEGORIES, "an array");
	vet_json_iter_init(&it, x->val);
	while (vet_json_iter_next(&it, NULL, &v)) {
		if (vet_json_type_of(v) != VET_JSON_STRING)
			return wrong_type(err, F_CATEGORIES,
			    "an array of strings");
		if (vet_json_string(v, &r->tmp, &s) < 0)
			return vet_error_nomem(err);
		if (s.n == 0)
			continue;
		for (i = 0; i < r->s->ncat; i++)
			if (r->catlen[i] == s.n && r->s->cats[i][0] == s.p[0] &&
			    memcmp(r->s->cats[i], s.p, s.n) == 0) {
				if (!r->hit[i])
					r->hitl[r->nhit++] = i;
				r->hit[i] = 1;
				break;
			}
	}
	return 0;
}

/*
 * The most urgent of the record's categories (r->hit): the smallest
 * priority, the first in table order on a tie; ncat when it has none.
 * Each veteran is in one bar of the headline chart, so bars add up to
 * people.
 */
static size_t
urgent(const struct vet_report *r)
{
	const struct vet_report_schema *s = r->s;
	size_t j, i, best = s->ncat;

	for (j = 0; j < r->nhit; j++) {
		i = r->hitl[j];
		if (best == s->ncat || (s->cat_prio ? s->cat_prio[i] <
		    s->cat_prio[best] || (s->cat_prio[i] == s->cat_prio[best] &&
		    i < best) : i < best))
			best = i;
	}
	return best;
}

static int
nonempty_array(const struct vet_field *x)
{
	struct vet_json_iter it;
	struct vet_span v;

	if (x == NULL || x->type != VET_JSON_ARRAY)
		return 0;
	vet_json_iter_init(&it, x->val);
	return vet_json_iter_next(&it, NULL, &v);
}

/*
 * Sets the record's contribution to counter i (each set once, values >= 0)
 * and lists it in r->touched, so that adding the record to a row and
 * clearing it for the next take only the counters it touched.
 */
static inline void
put(struct vet_report *r, size_t i, int64_t v)
{
	if (v == 0)
		return;
	if (r->one[i] == 0)
		r->touched[r->ntouched++] = i;
	r->one[i] = v;
}

static int
bit_count(uint64_t x)
{
	int n;

	for (n = 0; x != 0; n++)
		x &= x - 1;
	return n;
}

/* Adds the record's contributions (r->one, at r->touched) to row c. */
static void
add_row(const struct vet_report *r, int64_t *c)
{
	size_t i;

	for (i = 0; i < r->ntouched; i++)
		c[r->touched[i]] += r->one[r->touched[i]];
}

/*
 * Group names are masked as they are counted, not only when printed: a
 * partial carries them to other machines, and a merged run must group
 * exactly as a single one does.  Names without digits cannot hold an id or
 * a phone and skip the copy.
 */
int
report_mask_name(struct vet_buf *b, struct vet_span *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if ((s->p[i] >= '0' && s->p[i] <= '9') ||
		    (unsigned char)s->p[i] == 0xef)	/* full-width digits */
			break;
	if (i == s->n)
		return 0;
	vet_buf_reset(b);
	if (vet_mask_text(b, s->p, s->n) < 0 || b->data == NULL)
		return VET_ENOMEM;
	s->p = b->data;
	s->n = b->len;
	return 0;
}

/*
 * Appends a name to a group key.  RS_SEP joins the names, so a name that
 * holds it (a control character no real name has) would fake a level:
 * it becomes a space.
 */
static int
add_part(struct vet_buf *key, const char *p, size_t n)
{
	size_t i, start = key->len;

	if (vet_buf_add(key, p, n) < 0)
		return VET_ENOMEM;
	for (i = start; i < key->len; i++)
		if (key->data[i] == RS_SEP)
			key->data[i] = ' ';
	return 0;
}

/*
 * The joined events of the veteran whose picked fields are f: its row of
 * r->ids, or NULL, and the contact month bits and flags of that row (0
 * without one).
 */
static int
joined(struct vet_report *r, const struct vet_field **f, int64_t **ev,
    int64_t *bits, int64_t *flags, struct vet_error *err)
{
	struct vet_span id;
	long row;

	*ev = NULL;
	*bits = *flags = 0;
	if (r->ids.n == 0 || !f[F_ID] || f[F_ID]->type != VET_JSON_STRING)
		return 0;
	if (vet_json_string(f[F_ID]->val, &r->tmp, &id) < 0)
		return vet_error_nomem(err);
	if ((row = rtab_find(&r->ids, id.p, id.n)) >= 0) {
		*ev = rtab_row(&r->ids, (size_t)row);
		*bits = (*ev)[ID_MONTHS];
		*flags = (*ev)[ID_FLAGS];
	}
	return 0;
}

/*
 * The compliance figures of one veteran: 即退即训 (the same population as
 * training_incomplete) and 挂账管理 (monthly contact from the month the
 * duty starts), into one.
 */
static int
add_compliance(struct vet_report *r, const struct vet_field **f,
    int exited, int64_t bits, int64_t flags, int64_t *one,
    struct vet_error *err)
{
	const struct vet_report_schema *s = r->s;
	vet_day disc, since, duty;
	uint64_t due;
	double hours;
	int rc, m;

	if ((rc = get_date(f, F_DISCHARGE_DATE, &disc, err)) < 0)
		return rc;
	if (!exited && rc == 1 && is_str(f[F_PLACEMENT], "autonomous") &&
	    disc <= r->pd.as_of && vet_date_months_since(disc, r->pd.as_of) <
	    s->training_window_months) {
		hours = 0;
		if (f[F_TRAINING_HOURS] && (f[F_TRAINING_HOURS]->type !=
		    VET_JSON_NUMBER || vet_json_number(f[F_TRAINING_HOURS]->val,
		    &hours) < 0))
			return wrong_type(err, F_TRAINING_HOURS, "a number");
		put(r, RC_TRAIN_DUE, 1);
		put(r, RC_TRAIN_MET, hours >= s->training_min_hours);
	}

	if ((rc = get_date(f, F_ASSISTED_SINCE, &since, err)) < 0)
		return rc;
	if (r->cat_htp >= 0 && r->hit[r->cat_htp]) {
		duty = rc == 1 ? vet_schema_duty_start(since,
		    s->hard_to_place_after_months) : INT32_MIN;
		put(r, RC_HTP, 1);
		put(r, RC_HTP_SERVED, (flags & 2) != 0);
		/* Due: the months over on as_of (r->mover) from the one the
		 * duty starts; the month starts rise, so those are a tail. */
		for (m = 0; m < r->nmonths && r->mstart[m] < duty; m++)
			;
		due = m < 64 ? r->mover & ~(uint64_t)0 << m : 0;
		put(r, RC_CONTACT_DUE, bit_count(due));
		put(r, RC_CONTACT_MET, bit_count(due & (uint64_t)bits));
	}
	return 0;
}

/* In scope: the file, the data behind it, the action and seeking counts. */
static void
add_scope(struct vet_report *r, const struct vet_field **f, int64_t flags,
    int64_t *one)
{
	put(r, RC_INSCOPE, 1);
	put(r, RC_FILE_COMPLETE, file_complete(r, f));
	/* 有数据支撑: complete, and checked against a bureau. */
	put(r, RC_DATA_OK, one[RC_FILE_COMPLETE] &&
	    nonempty_array(f[F_RECONCILED]));
	/* Needs action: in scope and not in work (SPEC "what the report
	 * must tell"); an unknown status needs action too. */
	if (!is_str(f[F_EMPLOYMENT_STATUS], "employed") &&
	    !is_str(f[F_EMPLOYMENT_STATUS], "flexible") &&
	    !is_str(f[F_EMPLOYMENT_STATUS], "self_employed")) {
		put(r, RC_ACTION, 1);
		put(r, RC_ACTION_CONTACTED, (flags & 2) != 0);
		put(r, r->off_urg + urgent(r), 1);
	}
	if (f[F_EMPLOYMENT_NEED] &&
	    f[F_EMPLOYMENT_NEED]->type == VET_JSON_TRUE &&
	    is_str(f[F_EMPLOYMENT_STATUS], "unemployed")) {
		put(r, RC_SEEKING, 1);
		put(r, RC_SEEKING_CHANNEL, (flags & 1) != 0);
	}
}

/* The links of the 帮扶链条 the record reached, planned and delivered. */
static int
add_links(struct vet_report *r, const struct vet_record *v,
    const int64_t *ev, int64_t *one, struct vet_error *err)
{
	const struct vet_report_schema *s = r->s;
	struct vet_policy_delivery dv;
	size_t i;
	int rc;

	if (s->nlinks == 0)
		return 0;
	if (s->links_deliver == NULL) {
		if ((rc = s->links_eval(s->ctx, v, r->pd.as_of, r->hits,
		    err)) < 0)
			return rc;
		for (i = 0; i < s->nlinks; i++)
			put(r, r->off_link + i, r->hits[i] != 0);
		return 0;
	}
	/* Delivered is evaluated only when the log speaks: without
	 * --events it is unknown, never 0. */
	memset(&dv, 0, sizeof dv);
	if (ev != NULL) {
		dv.v[VET_DLV_CONTACTS] = (double)ev[ID_CONTACTS];
		dv.v[VET_DLV_REFERRALS] = (double)ev[ID_REFERRALS];
		dv.v[VET_DLV_TARGETED_REFERRALS] = (double)ev[ID_TARGETED];
		dv.v[VET_DLV_VOCATIONAL_TRAININGS] = (double)ev[ID_VOCATIONAL];
		dv.v[VET_DLV_ADAPTIVE_HOURS] = (double)ev[ID_ADAPTIVE_MH] / 1000;
		dv.v[VET_DLV_ADAPTIVE_TRAININGS] = (double)ev[ID_ADAPTIVE];
	}
	if (s->links_fields != NULL)
		rc = s->links_fields(s->ctx, r->lf, r->nlf, r->pd.as_of,
		    r->have_events ? &dv : NULL, r->hits, r->dhits, err);
	else
		rc = s->links_deliver(s->ctx, v, r->pd.as_of,
		    r->have_events ? &dv : NULL, r->hits, r->dhits, err);
	if (rc < 0)
		return rc;
	for (i = 0; i < s->nlinks; i++) {
		put(r, r->off_link + i, r->hits[i] != 0);
		/* Of the planned, the delivered: a service the policy did
		 * not plan is not its delivery. */
		put(r, r->off_dlv + i, r->have_events && r->hits[i] != 0 &&
		    r->dhits[i] != 0);
	}
	return 0;
}

/* Adds one to the district's row and, by street or community, to the
 * finer group's. */
static int
add_groups(struct vet_report *r, const struct vet_field **f,
    struct vet_span dist, const int64_t *one, struct vet_error *err)
{
	struct vet_span part;
	long row;
	int m, rc;

	/* Consecutive records often share the district row. */
	if (r->last_d != SIZE_MAX && name_eq(&r->districts, r->last_d,
	    dist.p, dist.n))
		row = (long)r->last_d;
	else if ((row = rtab_get(&r->districts, dist.p, dist.n)) < 0)
		return vet_error_nomem(err);
	r->last_d = (size_t)row;
	add_row(r, rtab_row(&r->districts, (size_t)row));
	if (r->by == VET_REPORT_BY_DISTRICT)
		return 0;

	/* dist points into r->key only when it had escapes; copy it to tmp
	 * first so the key can be rebuilt in r->key. */
	vet_buf_reset(&r->tmp);
	if (vet_buf_add(&r->tmp, dist.p, dist.n) < 0)
		return vet_error_nomem(err);
	vet_buf_reset(&r->key);
	if (add_part(&r->key, r->tmp.data, r->tmp.len) < 0 ||
	    vet_buf_addch(&r->key, RS_SEP) < 0)
		return vet_error_nomem(err);
	for (m = F_STREET; m <= (r->by == VET_REPORT_BY_STREET ? F_STREET :
	    F_COMMUNITY); m++) {
		if (m != F_STREET && vet_buf_addch(&r->key, RS_SEP) < 0)
			return vet_error_nomem(err);
		if ((rc = get_str(r, f, m, &r->tmp, &part, err)) < 0)
			return rc;
		if (rc == 1 && report_mask_name(&r->mpart, &part) < 0)
			return vet_error_nomem(err);
		if (rc == 1 && add_part(&r->key, part.p, part.n) < 0)
			return vet_error_nomem(err);
	}
	if ((row = rtab_get(&r->groups, r->key.data, r->key.len)) < 0)
		return vet_error_nomem(err);
	add_row(r, rtab_row(&r->groups, (size_t)row));
	return 0;
}

int
vet_report_add(struct vet_report *r, const struct vet_record *v,
    struct vet_error *err)
{
	const struct vet_field *f[F_N + 1];
	int64_t *one = r->one;	/* this record's contributions */
	struct vet_span dist;
	vet_day asof;
	int64_t prio, bits, flags, *ev;
	size_t i;
	int rc, inscope, exited;

	pick_fields(r, v, f);
	if (f[F_KIND] && !is_str(f[F_KIND], "veteran"))
		return vet_error_set(err, VET_EDATA, NULL, 0, 0,
		    "record is not of kind 'veteran'");
	if ((rc = get_str(r, f, F_DISTRICT, &r->key, &dist, err)) < 0)
		return rc;
	if (rc == 0 || dist.n == 0)
		return vet_error_set(err, VET_EDATA, NULL, 0, 0,
		    "missing field 'district'");
	if (report_mask_name(&r->mdist, &dist) < 0)
		return vet_error_nomem(err);
	if ((rc = mark_categories(r, f[F_CATEGORIES], err)) < 0)
		return rc;
	/* The last record's contributions cleared, not all k counters. */
	for (i = 0; i < r->ntouched; i++)
		one[r->touched[i]] = 0;
	r->ntouched = 0;
	put(r, RC_VETERANS, 1);
	for (i = 0; i < r->nhit; i++)
		put(r, r->off_cat + r->hitl[i], 1);

	prio = 0;
	if (f[F_PRIORITY]) {
		if (f[F_PRIORITY]->type != VET_JSON_NUMBER ||
		    vet_json_int(f[F_PRIORITY]->val, &prio) < 0)
			return wrong_type(err, F_PRIORITY, "an integer");
		if (prio < 1 || prio >= RP_NPRIO)
			prio = 0;
	}
	put(r, r->off_prio + prio, 1);

	exited = r->cat_exited >= 0 && r->hit[r->cat_exited];
	inscope = !exited && !(r->cat_out >= 0 && r->hit[r->cat_out]);

	/* Joined events: the contacts, referrals and training of this id. */
	if ((rc = joined(r, f, &ev, &bits, &flags, err)) < 0 ||
	    (rc = add_compliance(r, f, exited, bits, flags, one, err)) < 0)
		return rc;
	if (inscope)
		add_scope(r, f, flags, one);
	if (prio >= 1 && prio <= 5) {
		put(r, RC_NEEDY, 1);
		put(r, RC_NEEDY_PLAN, nonempty_array(f[F_MEASURES]));
	}
	if ((rc = get_date(f, F_AS_OF, &asof, err)) < 0)
		return rc;
	put(r, RC_FRESH, rc == 1 && asof >= r->pd.from && asof <= r->pd.to);
	if ((rc = add_links(r, v, ev, one, err)) < 0)
		return rc;
	return add_groups(r, f, dist, one, err);
}
