/*
 * report.c - the aggregation of vet-report (report.h): groups of counters,
 * events joined by id, findings, partials and their merge, --compare.
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
		ncap = t->cap ? t->cap * 2 : 16;
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

static void
quarter_label(vet_day d, char *out, size_t n)
{
	int y, m, dd;

	vet_date_to_ymd(d, &y, &m, &dd);
	snprintf(out, n, "%04dQ%d", y, (m - 1) / 3 + 1);
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
		snprintf(pd->label, sizeof pd->label, "%s..%s", fs, ts);
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
	if ((r->hit = calloc(s->ncat + 1, 1)) == NULL ||
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
	for (i = 0; i < s->ncat; i++)
		r->prev_tot[i] = INT64_MIN;
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
	free(r->one);
	free(r->hits);
	free(r->dhits);
	free(r->prev_tot);
	free(r->prev_link);
	free(r);
}

static int
nomem(struct vet_error *err)
{
	return vet_error_set(err, VET_ENOMEM, NULL, 0, 0, "out of memory");
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

static const char *const field_names[F_N] = {
	"kind", "district", "street", "community", "categories", "priority",
	"measures", "training_hours", "placement", "discharge_date", "id",
	"assisted_since", "employment_need", "employment_status", "as_of",
	"education", "skills", "household_working_age", "household_employed",
	"living_difficulty", "desired_industries", "reconciled",
	"type", "date", "check", "course", "hours", "post_type", "job_id",
	"openings", "posted_date", "expires_date", "posts"
};

static void
pick_fields(const struct vet_record *rec, const struct vet_field **f)
{
	static size_t len[F_N];
	size_t i, j;
	const struct vet_field *x;

	if (len[0] == 0)
		for (j = 0; j < F_N; j++)
			len[j] = strlen(field_names[j]);
	memset(f, 0, F_N * sizeof *f);
	for (i = 0; i < rec->n; i++) {
		x = &rec->fields[i];
		if (x->key_escaped || x->type == VET_JSON_NULL)
			continue;
		for (j = 0; j < F_N; j++)
			if (len[j] == x->key.n && f[j] == NULL &&
			    x->key.p[0] == field_names[j][0] &&
			    memcmp(x->key.p, field_names[j], x->key.n) == 0) {
				f[j] = x;
				break;
			}
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
		return nomem(err);
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

static int mask_name(struct vet_buf *, struct vet_span *);

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
	const struct vet_field *f[F_N];
	struct vet_span jid, dist;
	vet_day posted, expires;
	int64_t open = 1;
	long row;
	int rc, hd, hp, he;

	pick_fields(job, f);
	if (f[F_KIND] && !is_str(f[F_KIND], "job"))
		return vet_error_set(err, VET_EDATA, NULL, 0, 0,
		    "record is not of kind 'job'");
	if ((rc = get_str(r, f, F_JOB_ID, &r->key, &jid, err)) < 0)
		return rc;
	if (rc == 0)
		return vet_error_set(err, VET_EDATA, NULL, 0, 0,
		    "missing field 'job_id'");
	if ((row = rtab_get(&r->jobs, jid.p, jid.n)) < 0)
		return nomem(err);
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
	if (mask_name(&r->mdist, &dist) < 0 ||
	    (row = rtab_get(&r->dside, dist.p, dist.n)) < 0)
		return nomem(err);
	rtab_row(&r->dside, (size_t)row)[RD_POSTS] += open;
	return 0;
}

int
vet_report_add_event(struct vet_report *r, const struct vet_record *ev,
    struct vet_error *err)
{
	const struct vet_field *f[F_N];
	struct vet_span id, dist;
	vet_day d;
	long row;
	int rc, y, yto, m, dd, inper;
	int64_t *c, posts;
	double hours;

	pick_fields(ev, f);
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
			return nomem(err);
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
		if (mask_name(&r->mdist, &dist) < 0)
			return nomem(err);
		if ((row = rtab_get(&r->dside, dist.p, dist.n)) < 0)
			return nomem(err);
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
	const struct vet_field *f[F_N];
	struct vet_span check;
	long row;
	int rc;

	pick_fields(fr, f);
	if ((rc = get_str(r, f, F_CHECK, &r->tmp, &check, err)) < 0)
		return rc;
	if (rc == 0)
		return vet_error_set(err, VET_EDATA, NULL, 0, 0,
		    "missing field 'check'");
	vet_report_expect(r, 0, 1);
	/* A check the policy does not know is printed, and partials carry it. */
	if (mask_name(&r->mdist, &check) < 0)
		return nomem(err);
	if ((row = rtab_get(&r->findings, check.p, check.n)) < 0)
		return nomem(err);
	rtab_row(&r->findings, (size_t)row)[0]++;
	return 0;
}

/* ---- veterans ----------------------------------------------------------- */

static int
mark_categories(struct vet_report *r, const struct vet_field *x,
    struct vet_error *err)
{
	struct vet_json_iter it;
	struct vet_span v, s;
	size_t i;

	memset(r->hit, 0, r->s->ncat);
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
			return nomem(err);
		for (i = 0; i < r->s->ncat; i++)
			if (strlen(r->s->cats[i]) == s.n &&
			    memcmp(r->s->cats[i], s.p, s.n) == 0) {
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
	size_t i, best = s->ncat;

	for (i = 0; i < s->ncat; i++)
		if (r->hit[i] && (best == s->ncat || (s->cat_prio &&
		    s->cat_prio[i] < s->cat_prio[best])))
			best = i;
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

/* Adds the record's contributions c1 to the counters of row c. */
static void
add_row(int64_t *c, const int64_t *c1, size_t k)
{
	size_t i;

	for (i = 0; i < k; i++)
		c[i] += c1[i];
}

/*
 * Group names are masked as they are counted, not only when printed: a
 * partial carries them to other machines, and a merged run must group
 * exactly as a single one does.  Names without digits cannot hold an id or
 * a phone and skip the copy.
 */
static int
mask_name(struct vet_buf *b, struct vet_span *s)
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


int
vet_report_add(struct vet_report *r, const struct vet_record *v,
    struct vet_error *err)
{
	const struct vet_field *f[F_N];
	const struct vet_report_schema *s = r->s;
	int64_t *one = r->one;	/* this record's contributions */
	struct vet_span dist, part, id;
	vet_day disc, since, asof, duty;
	double hours;
	int64_t prio, bits = 0, flags = 0, *ev = NULL;
	struct vet_policy_delivery dv;
	long row;
	size_t i;
	int rc, inscope, exited, m, ms;

	pick_fields(v, f);
	if (f[F_KIND] && !is_str(f[F_KIND], "veteran"))
		return vet_error_set(err, VET_EDATA, NULL, 0, 0,
		    "record is not of kind 'veteran'");
	if ((rc = get_str(r, f, F_DISTRICT, &r->key, &dist, err)) < 0)
		return rc;
	if (rc == 0 || dist.n == 0)
		return vet_error_set(err, VET_EDATA, NULL, 0, 0,
		    "missing field 'district'");
	if (mask_name(&r->mdist, &dist) < 0)
		return nomem(err);
	if ((rc = mark_categories(r, f[F_CATEGORIES], err)) < 0)
		return rc;
	memset(one, 0, r->k * sizeof *one);
	one[RC_VETERANS] = 1;
	for (i = 0; i < s->ncat; i++)
		one[r->off_cat + i] = r->hit[i];

	prio = 0;
	if (f[F_PRIORITY]) {
		if (f[F_PRIORITY]->type != VET_JSON_NUMBER ||
		    vet_json_int(f[F_PRIORITY]->val, &prio) < 0)
			return wrong_type(err, F_PRIORITY, "an integer");
		if (prio < 1 || prio >= RP_NPRIO)
			prio = 0;
	}
	one[r->off_prio + prio] = 1;

	exited = r->cat_exited >= 0 && r->hit[r->cat_exited];
	inscope = !exited && !(r->cat_out >= 0 && r->hit[r->cat_out]);

	/* Joined events: the contacts, referrals and training of this id. */
	if (r->ids.n > 0 && f[F_ID] && f[F_ID]->type == VET_JSON_STRING) {
		if (vet_json_string(f[F_ID]->val, &r->tmp, &id) < 0)
			return nomem(err);
		if ((row = rtab_find(&r->ids, id.p, id.n)) >= 0) {
			ev = rtab_row(&r->ids, (size_t)row);
			bits = ev[ID_MONTHS];
			flags = ev[ID_FLAGS];
		}
	}

	/* 即退即训: the same population as training_incomplete. */
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
		one[RC_TRAIN_DUE] = 1;
		one[RC_TRAIN_MET] = hours >= s->training_min_hours;
	}

	/* 挂账管理: monthly contact from the month the duty starts. */
	if ((rc = get_date(f, F_ASSISTED_SINCE, &since, err)) < 0)
		return rc;
	if (r->cat_htp >= 0 && r->hit[r->cat_htp]) {
		duty = rc == 1 ? vet_schema_duty_start(since,
		    s->hard_to_place_after_months) : INT32_MIN;
		one[RC_HTP] = 1;
		one[RC_HTP_SERVED] = (flags & 2) != 0;
		for (m = 0; m < r->nmonths; m++) {
			ms = vet_date_add_months(vet_date_month_start(
			    r->pd.from), m);
			if (!vet_date_over(vet_date_month_end(ms),
			    r->pd.as_of) || ms < duty)
				continue;
			one[RC_CONTACT_DUE]++;
			if ((uint64_t)bits & ((uint64_t)1 << m))
				one[RC_CONTACT_MET]++;
		}
	}

	if (inscope) {
		one[RC_INSCOPE] = 1;
		one[RC_FILE_COMPLETE] = file_complete(r, f);
		/* 有数据支撑: complete, and checked against a bureau. */
		one[RC_DATA_OK] = one[RC_FILE_COMPLETE] &&
		    nonempty_array(f[F_RECONCILED]);
		/* Needs action: in scope and not in work (SPEC "what the
		 * report must tell"); an unknown status needs action too. */
		if (!is_str(f[F_EMPLOYMENT_STATUS], "employed") &&
		    !is_str(f[F_EMPLOYMENT_STATUS], "flexible") &&
		    !is_str(f[F_EMPLOYMENT_STATUS], "self_employed")) {
			one[RC_ACTION] = 1;
			one[RC_ACTION_CONTACTED] = (flags & 2) != 0;
			one[r->off_urg + urgent(r)] = 1;
		}
		if (f[F_EMPLOYMENT_NEED] &&
		    f[F_EMPLOYMENT_NEED]->type == VET_JSON_TRUE &&
		    is_str(f[F_EMPLOYMENT_STATUS], "unemployed")) {
			one[RC_SEEKING] = 1;
			one[RC_SEEKING_CHANNEL] = (flags & 1) != 0;
		}
	}
	if (prio >= 1 && prio <= 5) {
		one[RC_NEEDY] = 1;
		one[RC_NEEDY_PLAN] = nonempty_array(f[F_MEASURES]);
	}
	if ((rc = get_date(f, F_AS_OF, &asof, err)) < 0)
		return rc;
	one[RC_FRESH] = rc == 1 && asof >= r->pd.from && asof <= r->pd.to;

	if (s->nlinks > 0 && s->links_deliver != NULL) {
		/* Delivered is evaluated only when the log speaks: without
		 * --events it is unknown, never 0. */
		memset(&dv, 0, sizeof dv);
		if (ev != NULL) {
			dv.v[VET_DLV_CONTACTS] = (double)ev[ID_CONTACTS];
			dv.v[VET_DLV_REFERRALS] = (double)ev[ID_REFERRALS];
			dv.v[VET_DLV_TARGETED_REFERRALS] =
			    (double)ev[ID_TARGETED];
			dv.v[VET_DLV_VOCATIONAL_TRAININGS] =
			    (double)ev[ID_VOCATIONAL];
			dv.v[VET_DLV_ADAPTIVE_HOURS] =
			    (double)ev[ID_ADAPTIVE_MH] / 1000;
		}
		if ((rc = s->links_deliver(s->ctx, v, r->pd.as_of,
		    r->have_events ? &dv : NULL, r->hits, r->dhits,
		    err)) < 0)
			return rc;
		for (i = 0; i < s->nlinks; i++) {
			one[r->off_link + i] = r->hits[i] != 0;
			/* Of the planned, the delivered: a service the
			 * policy did not plan is not its delivery. */
			one[r->off_dlv + i] = r->have_events &&
			    r->hits[i] != 0 && r->dhits[i] != 0;
		}
	} else if (s->nlinks > 0) {
		if ((rc = s->links_eval(s->ctx, v, r->pd.as_of, r->hits,
		    err)) < 0)
			return rc;
		for (i = 0; i < s->nlinks; i++)
			one[r->off_link + i] = r->hits[i] != 0;
	}

	/* The district row; consecutive records often share it. */
	if (r->last_d != SIZE_MAX && name_eq(&r->districts, r->last_d,
	    dist.p, dist.n))
		row = (long)r->last_d;
	else if ((row = rtab_get(&r->districts, dist.p, dist.n)) < 0)
		return nomem(err);
	r->last_d = (size_t)row;
	add_row(rtab_row(&r->districts, (size_t)row), one, r->k);

	if (r->by != VET_REPORT_BY_DISTRICT) {
		/* dist points into r->key only when it had escapes; copy it
		 * to tmp first so the key can be rebuilt in r->key. */
		vet_buf_reset(&r->tmp);
		if (vet_buf_add(&r->tmp, dist.p, dist.n) < 0)
			return nomem(err);
		vet_buf_reset(&r->key);
		if (add_part(&r->key, r->tmp.data, r->tmp.len) < 0 ||
		    vet_buf_addch(&r->key, RS_SEP) < 0)
			return nomem(err);
		for (m = F_STREET; m <= (r->by == VET_REPORT_BY_STREET ?
		    F_STREET : F_COMMUNITY); m++) {
			if (m != F_STREET && vet_buf_addch(&r->key, RS_SEP) < 0)
				return nomem(err);
			if ((rc = get_str(r, f, m, &r->tmp, &part, err)) < 0)
				return rc;
			if (rc == 1 && mask_name(&r->mpart, &part) < 0)
				return nomem(err);
			if (rc == 1 && add_part(&r->key, part.p, part.n) < 0)
				return nomem(err);
		}
		if ((row = rtab_get(&r->groups, r->key.data, r->key.len)) < 0)
			return nomem(err);
		add_row(rtab_row(&r->groups, (size_t)row), one, r->k);
	}
	return 0;
}

/* ---- partials ----------------------------------------------------------- */

static const char *const by_names[] = { "district", "street", "community" };

/*
 * The writers of the partial collect the failure of every append in one
 * flag (a failed append leaves the buffer unchanged, so carrying on is
 * harmless) and return VET_ENOMEM at the end: a partial with a hole in it
 * must never be written.
 */
static int
add_rtab_json(struct vet_buf *o, const struct rtab *t,
    const struct vet_report_schema *s)
{
	size_t *ix, i, j;
	int64_t *c;
	int e = 0;

	if ((ix = rtab_order(t, s)) == NULL)
		return VET_ENOMEM;
	e |= vet_buf_addch(o, '[') < 0;
	for (i = 0; i < t->n; i++) {
		if (i)
			e |= vet_buf_addch(o, ',') < 0;
		e |= vet_buf_addch(o, '[') < 0;
		e |= vet_json_add_string(o, t->names.data + t->noff[ix[i]],
		    t->nlen[ix[i]]) < 0;
		e |= vet_buf_addstr(o, ",[") < 0;
		c = rtab_row(t, ix[i]);
		for (j = 0; j < t->k; j++)
			e |= vet_buf_addf(o, j ? ",%lld" : "%lld",
			    (long long)c[j]) < 0;
		e |= vet_buf_addstr(o, "]]") < 0;
	}
	free(ix);
	e |= vet_buf_addch(o, ']') < 0;
	return e ? VET_ENOMEM : 0;
}

int
report_side_json(const struct vet_report *r, struct vet_buf *o)
{
	int e = 0;

	if (!r->side)
		return vet_buf_addstr(o, "null") < 0 ? VET_ENOMEM : 0;
	e |= vet_buf_addf(o, "{\"events\":%s,\"audit\":%s,\"jobs\":%s,"
	    "\"districts\":", r->have_events ? "true" : "false",
	    r->have_findings ? "true" : "false",
	    r->have_jobs ? "true" : "false") < 0;
	e |= add_rtab_json(o, &r->dside, r->s) < 0;
	e |= vet_buf_addstr(o, ",\"findings\":") < 0;
	e |= add_rtab_json(o, &r->findings, NULL) < 0;
	e |= vet_buf_addch(o, '}') < 0;
	return e ? VET_ENOMEM : 0;
}

static int
add_str_array(struct vet_buf *o, const char **v, size_t n)
{
	size_t i;
	int e = 0;

	e |= vet_buf_addch(o, '[') < 0;
	for (i = 0; i < n; i++) {
		if (i)
			e |= vet_buf_addch(o, ',') < 0;
		e |= vet_json_add_string(o, v[i], strlen(v[i])) < 0;
	}
	e |= vet_buf_addch(o, ']') < 0;
	return e ? VET_ENOMEM : 0;
}

/* The header fields a partial must share with the report it merges into. */
static int
add_partial_head(const struct vet_report *r, struct vet_buf *o)
{
	char f[11], t[11], a[11];
	int e = 0;

	vet_date_format(r->pd.from, f);
	vet_date_format(r->pd.to, t);
	vet_date_format(r->pd.as_of, a);
	e |= vet_buf_addstr(o, "\"policy\":") < 0;
	e |= vet_json_add_string(o, r->s->policy_id,
	    strlen(r->s->policy_id)) < 0;
	e |= vet_buf_addf(o, ",\"by\":\"%s\",\"period\":",
	    by_names[r->by]) < 0;
	e |= vet_json_add_string(o, r->pd.label, strlen(r->pd.label)) < 0;
	e |= vet_buf_addf(o, ",\"from\":\"%s\",\"to\":\"%s\",\"as_of\":\"%s\","
	    "\"categories\":", f, t, a) < 0;
	e |= add_str_array(o, r->s->cats, r->s->ncat) < 0;
	e |= vet_buf_addstr(o, ",\"links\":") < 0;
	e |= add_str_array(o, r->s->links, r->s->nlinks) < 0;
	e |= vet_buf_addf(o, ",\"counters\":%zu", r->k) < 0;
	return e ? VET_ENOMEM : 0;
}

int
vet_report_write_partial(const struct vet_report *r, struct vet_buf *o)
{
	int e = 0;

	e |= vet_buf_addstr(o, "{\"vet_report_partial\":1,") < 0;
	e |= add_partial_head(r, o) < 0;
	e |= vet_buf_addstr(o, ",\"districts\":") < 0;
	e |= add_rtab_json(o, &r->districts, r->s) < 0;
	e |= vet_buf_addstr(o, ",\"groups\":") < 0;
	e |= add_rtab_json(o, &r->groups, r->s) < 0;
	e |= vet_buf_addstr(o, ",\"side\":") < 0;
	e |= report_side_json(r, o) < 0;
	e |= vet_buf_addstr(o, "}\n") < 0;
	return e ? VET_ENOMEM : 0;
}

static int
bad_partial(struct vet_error *err, const char *what)
{
	return vet_error_set(err, VET_EDATA, NULL, 0, 0,
	    "not a vet-report partial: %s", what);
}

/* Adds the rows of a JSON array [[name,[counts...]],...] into t. */
static int
merge_rows(struct rtab *t, struct vet_span arr, struct vet_buf *tmp,
    struct vet_error *err)
{
	struct vet_json_iter it, it2, it3;
	struct vet_span row, name, cnt, v, s;
	int64_t x, *c;
	long i;
	size_t j;

	if (vet_json_type_of(arr) != VET_JSON_ARRAY)
		return bad_partial(err, "rows are not an array");
	vet_json_iter_init(&it, arr);
	while (vet_json_iter_next(&it, NULL, &row)) {
		if (vet_json_type_of(row) != VET_JSON_ARRAY)
			return bad_partial(err, "a row is not an array");
		vet_json_iter_init(&it2, row);
		if (!vet_json_iter_next(&it2, NULL, &name) ||
		    vet_json_type_of(name) != VET_JSON_STRING ||
		    !vet_json_iter_next(&it2, NULL, &cnt) ||
		    vet_json_type_of(cnt) != VET_JSON_ARRAY ||
		    vet_json_iter_next(&it2, NULL, &v))
			return bad_partial(err, "a row is not [name,[counts]]");
		if (vet_json_string(name, tmp, &s) < 0 ||
		    (i = rtab_get(t, s.p, s.n)) < 0)
			return nomem(err);
		c = rtab_row(t, (size_t)i);
		vet_json_iter_init(&it3, cnt);
		for (j = 0; vet_json_iter_next(&it3, NULL, &v); j++) {
			/* Counts are bounded far above any population so
			 * that sums and percentages cannot overflow. */
			if (j >= t->k || vet_json_int(v, &x) < 0 || x < 0 ||
			    x > REPORT_MAX_COUNT - c[j])
				return bad_partial(err, "bad counts");
			c[j] += x;
		}
		if (j != t->k)
			return bad_partial(err, "bad counts");
	}
	return 0;
}

/*
 * Whether JSON values a and b are equal as values, whatever their spacing
 * and escapes (a partial re-serialised by jq): 1, 0 or VET_ENOMEM.
 * Members of objects are compared in order.
 */
static int
json_equal(struct vet_span a, struct vet_span b, struct vet_buf *ta,
    struct vet_buf *tb)
{
	struct vet_json_iter ia, ib;
	struct vet_span ka, va, kb, vb, sa, sb;
	enum vet_json_type t = vet_json_type_of(a);
	double x, y;
	int na, nb, rc;

	if (t != vet_json_type_of(b))
		return 0;
	switch (t) {
	case VET_JSON_STRING:
		if (vet_json_string(a, ta, &sa) < 0 ||
		    vet_json_string(b, tb, &sb) < 0)
			return VET_ENOMEM;
		return sa.n == sb.n && memcmp(sa.p, sb.p, sa.n) == 0;
	case VET_JSON_NUMBER:
		return vet_json_number(a, &x) == 0 &&
		    vet_json_number(b, &y) == 0 && x == y;
	case VET_JSON_ARRAY:
	case VET_JSON_OBJECT:
		vet_json_iter_init(&ia, a);
		vet_json_iter_init(&ib, b);
		for (;;) {
			na = vet_json_iter_next(&ia, &ka, &va);
			nb = vet_json_iter_next(&ib, &kb, &vb);
			if (!na || !nb)
				return na == nb;
			if (t == VET_JSON_OBJECT &&
			    (rc = json_equal(ka, kb, ta, tb)) != 1)
				return rc;
			if ((rc = json_equal(va, vb, ta, tb)) != 1)
				return rc;
		}
	default:
		return 1;
	}
}

/* The most members a partial has (header, data and side). */
#define PARTIAL_MEMBERS 16

int
vet_report_merge(struct vet_report *r, const char *p, size_t n,
    struct vet_error *err)
{
	struct vet_json_iter it, hit;
	struct vet_span key, val, top = { p, n }, d = { NULL, 0 },
	    g = { NULL, 0 }, side = { NULL, 0 }, hk, hv, hspan,
	    keys[PARTIAL_MEMBERS];
	struct vet_buf head = VET_BUF_INIT, tb = VET_BUF_INIT;
	int64_t version;
	size_t nkeys = 0, i;
	int rc = 0, marker = 0, eq;

	if (vet_json_validate(p, n, err) < 0)
		return VET_EDATA;
	while (top.n > 0 && (top.p[0] == ' ' || top.p[0] == '\t' ||
	    top.p[0] == '\n' || top.p[0] == '\r')) {
		top.p++;
		top.n--;
	}
	if (top.n == 0 || vet_json_type_of(top) != VET_JSON_OBJECT)
		return bad_partial(err, "not a JSON object");
	/* The head must be, value for value and in order, what this report
	 * would write; then the data is added. */
	if (vet_buf_addch(&head, '{') < 0 || add_partial_head(r, &head) < 0 ||
	    vet_buf_addch(&head, '}') < 0) {
		vet_buf_release(&head);
		return nomem(err);
	}
	hspan.p = head.data;
	hspan.n = head.len;
	vet_json_iter_init(&hit, hspan);
	vet_json_iter_init(&it, top);
	while (rc == 0 && vet_json_iter_next(&it, &key, &val)) {
		/* A member given twice would be read as the last one. */
		for (i = 0; i < nkeys && rc == 0; i++)
			if ((eq = json_equal(keys[i], key, &r->tmp, &tb)) != 0)
				rc = eq < 0 ? nomem(err) : vet_error_set(err,
				    VET_EDATA, NULL, 0, 0, "not a vet-report "
				    "partial: member '%.*s' given twice",
				    (int)(key.n > 42 ? 40 : key.n - 2),
				    key.p + 1);
		if (rc < 0)
			break;
		if (nkeys == PARTIAL_MEMBERS) {
			rc = bad_partial(err, "too many members");
			break;
		}
		keys[nkeys++] = key;
		if (vet_json_string_eq(key, "vet_report_partial")) {
			/* Version 1 exactly: a later format must not be read
			 * as this one. */
			if (vet_json_type_of(val) != VET_JSON_NUMBER ||
			    vet_json_int(val, &version) < 0 || version != 1)
				rc = vet_error_set(err, VET_EDATA, NULL, 0, 0,
				    "partial of version %.*s: this vet-report "
				    "reads version 1", (int)(val.n > 20 ? 20 :
				    val.n), val.p);
			marker = 1;
		} else if (vet_json_string_eq(key, "districts"))
			d = val;
		else if (vet_json_string_eq(key, "groups"))
			g = val;
		else if (vet_json_string_eq(key, "side"))
			side = val;
		else if (!vet_json_iter_next(&hit, &hk, &hv) ||
		    (eq = json_equal(key, hk, &r->tmp, &tb)) == 0 ||
		    (eq > 0 && (eq = json_equal(val, hv, &r->tmp, &tb)) == 0))
			rc = vet_error_set(err, VET_EDATA, NULL, 0, 0,
			    "partial was made with another policy, period, "
			    "grouping or --as-of");
		else if (eq < 0)
			rc = nomem(err);
	}
	if (rc == 0 && (!marker || d.p == NULL || g.p == NULL ||
	    side.p == NULL))
		rc = bad_partial(err, "missing members");
	else if (rc == 0 && vet_json_iter_next(&hit, &hk, &hv))
		rc = vet_error_set(err, VET_EDATA, NULL, 0, 0,
		    "partial was made with another policy, period, grouping "
		    "or --as-of");
	vet_buf_release(&head);
	if (rc < 0) {
		vet_buf_release(&tb);
		return rc;
	}
	if ((rc = merge_rows(&r->districts, d, &r->tmp, err)) < 0 ||
	    (rc = merge_rows(&r->groups, g, &r->tmp, err)) < 0) {
		vet_buf_release(&tb);
		return rc;
	}
	if (vet_json_type_of(side) != VET_JSON_NULL &&
	    vet_json_type_of(side) != VET_JSON_OBJECT) {
		vet_buf_release(&tb);
		return bad_partial(err, "bad side");
	}
	if (r->nmerged++ > 0 || r->side) {
		/* Side data is the same file in every partial: it must agree,
		 * and is counted once.  "null" (no --events, no --findings)
		 * must agree too, or the contacts of some parts would be
		 * missing from the figures of the others. */
		if (r->side_text.len == 0 && report_side_json(r,
		    &r->side_text) < 0)
			return nomem(err);
		hspan.p = r->side_text.data;
		hspan.n = r->side_text.len;
		eq = json_equal(hspan, side, &r->tmp, &tb);
		vet_buf_release(&tb);
		if (eq < 0)
			return nomem(err);
		if (eq == 0)
			return vet_error_set(err, VET_EDATA, NULL, 0, 0,
			    "partials were made with different --events or "
			    "--findings");
		return 0;
	}
	vet_buf_release(&tb);
	if (vet_json_type_of(side) == VET_JSON_NULL)
		return 0;
	vet_json_iter_init(&it, side);
	while (vet_json_iter_next(&it, &key, &val)) {
		if (vet_json_string_eq(key, "events") ||
		    vet_json_string_eq(key, "audit"))
			vet_report_expect(r, vet_json_string_eq(key,
			    "events") && vet_json_type_of(val) == VET_JSON_TRUE,
			    vet_json_string_eq(key, "audit") &&
			    vet_json_type_of(val) == VET_JSON_TRUE);
		else if (vet_json_string_eq(key, "jobs"))
			r->have_jobs |= vet_json_type_of(val) == VET_JSON_TRUE;
		else if (vet_json_string_eq(key, "districts"))
			rc = merge_rows(&r->dside, val, &r->tmp, err);
		else if (vet_json_string_eq(key, "findings"))
			rc = merge_rows(&r->findings, val, &r->tmp, err);
		else
			rc = bad_partial(err, "bad side");
		if (rc < 0)
			return rc;
	}
	r->side = 1;
	return 0;
}

/*
 * The length of the JSON value at p (an object or an array, by its
 * brackets outside strings), or of the rest of the line for anything
 * else: vet_report_merge says what is wrong with it.
 */
static size_t
value_len(const char *p, size_t n)
{
	size_t i, depth = 0;
	int str = 0;

	if (p[0] != '{' && p[0] != '[') {
		for (i = 0; i < n && p[i] != '\n'; i++)
			;
		return i;
	}
	for (i = 0; i < n; i++) {
		if (str) {
			if (p[i] == '\\')
				i++;
			else if (p[i] == '"')
				str = 0;
		} else if (p[i] == '"')
			str = 1;
		else if (p[i] == '{' || p[i] == '[')
			depth++;
		else if ((p[i] == '}' || p[i] == ']') && --depth == 0)
			return i + 1;
	}
	return n;
}

int
vet_report_merge_text(struct vet_report *r, const char *p, size_t n,
    long long *nparts, struct vet_error *err)
{
	size_t i = 0, k;
	long line = 1;
	int rc;

	*nparts = 0;
	for (;;) {
		while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' ||
		    p[i] == '\n'))
			line += p[i++] == '\n';
		if (i >= n)
			break;
		k = value_len(p + i, n - i);
		if ((rc = vet_report_merge(r, p + i, k, err)) < 0) {
			err->line = line;
			return rc;
		}
		(*nparts)++;
		for (; k > 0; k--, i++)
			line += p[i] == '\n';
	}
	/* A part lost on the way (an empty file) must not go unnoticed. */
	if (*nparts == 0)
		return vet_error_set(err, VET_EDATA, NULL, 0, 0,
		    "no partial in the file: a part of the report is missing");
	return 0;
}

/* ---- --compare ---------------------------------------------------------- */

static int
bad_compare(struct vet_error *err, const char *what)
{
	return vet_error_set(err, VET_EDATA, NULL, 0, 0,
	    "not a vet-report json report: %s", what);
}

/* Reads {code: count, ...} into v (ncat), ignoring unknown codes. */
static int
read_counts(const struct vet_report *r, struct vet_span obj, int64_t *v,
    struct vet_buf *tmp, struct vet_error *err)
{
	struct vet_json_iter it;
	struct vet_span key, val, s;
	int64_t x;
	size_t i;

	if (vet_json_type_of(obj) != VET_JSON_OBJECT)
		return bad_compare(err, "counts are not an object");
	vet_json_iter_init(&it, obj);
	while (vet_json_iter_next(&it, &key, &val)) {
		if (vet_json_int(val, &x) < 0 || x < 0 ||
		    x > REPORT_MAX_COUNT)
			return bad_compare(err, "a count is not an integer "
			    "from 0 to 2^50");
		if (vet_json_string(key, tmp, &s) < 0)
			return nomem(err);
		for (i = 0; i < r->s->ncat; i++)
			if (strlen(r->s->cats[i]) == s.n &&
			    memcmp(r->s->cats[i], s.p, s.n) == 0)
				v[i] = x;
	}
	return 0;
}

/*
 * The label of the previous period is printed in every format, so it is
 * masked and cleaned like a name from the data: an id or phone in it masked,
 * control characters shown as U+FFFD, and cut only between characters.
 */
static int
set_prev_label(struct vet_report *r, struct vet_span s)
{
	const unsigned char *p;
	size_t i, k, len, o = 0, cap = sizeof r->prev_label - 1;

	vet_buf_reset(&r->mpart);
	if (vet_mask_text(&r->mpart, s.p, s.n) < 0)
		return VET_ENOMEM;
	p = (const unsigned char *)r->mpart.data;
	for (i = 0; i < r->mpart.len; i += len) {
		/* The string is valid UTF-8 (the JSON was validated). */
		len = 1;
		if (p[i] >= 0xC0)
			for (len = 1; i + len < r->mpart.len &&
			    (p[i + len] & 0xC0) == 0x80; len++)
				;
		if (p[i] < 0x20 || p[i] == 0x7F || (p[i] == 0xC2 &&
		    len == 2 && p[i + 1] <= 0x9F)) {
			if (o + 3 > cap)
				break;
			memcpy(r->prev_label + o, "\xEF\xBF\xBD", 3);
			o += 3;
			continue;
		}
		if (o + len > cap)
			break;
		for (k = 0; k < len; k++)
			r->prev_label[o++] = (char)p[i + k];
	}
	r->prev_label[o] = '\0';
	return 0;
}

/* A count of a previous report: 0 and *out, or -1 when not one. */
static int
prev_count(struct vet_span v, int64_t *out)
{
	return vet_json_type_of(v) == VET_JSON_NUMBER &&
	    vet_json_int(v, out) == 0 && *out >= 0 &&
	    *out <= REPORT_MAX_COUNT ? 0 : -1;
}

/* {"met":N,"due":N} of a previous compliance rate into v; null leaves it
 * unknown. */
static int
prev_rate(struct vet_span obj, int64_t *v, struct vet_error *err)
{
	struct vet_json_iter it;
	struct vet_span k, val;
	int64_t m = -1, d = -1;

	if (vet_json_type_of(obj) == VET_JSON_NULL)
		return 0;
	if (vet_json_type_of(obj) != VET_JSON_OBJECT)
		return bad_compare(err, "a compliance rate is not an object");
	vet_json_iter_init(&it, obj);
	while (vet_json_iter_next(&it, &k, &val))
		if ((vet_json_string_eq(k, "met") && prev_count(val, &m) < 0) ||
		    (vet_json_string_eq(k, "due") && prev_count(val, &d) < 0))
			return bad_compare(err, "a compliance rate is not "
			    "counts");
	if (m < 0 || d < 0 || m > d)
		return bad_compare(err, "a compliance rate is not met <= due");
	v[0] = m;
	v[1] = d;
	return 0;
}

/*
 * The previous compliance (training, monthly_contact) and chain: a link is
 * {"planned":N,"delivered":N|null}, or a bare count (a report made before
 * delivered existed: its count was the planned one).
 */
static int
prev_figures(struct vet_report *r, struct vet_span key, struct vet_span val,
    struct vet_error *err)
{
	struct vet_json_iter it, it2;
	struct vet_span k, v, k2, v2, s;
	size_t i;
	int rc;

	if (vet_json_type_of(val) != VET_JSON_OBJECT)
		return bad_compare(err, "'chain' or 'compliance' is not an "
		    "object");
	vet_json_iter_init(&it, val);
	while (vet_json_iter_next(&it, &k, &v)) {
		if (vet_json_string_eq(key, "compliance")) {
			if (vet_json_string_eq(k, "training") &&
			    (rc = prev_rate(v, r->prev_comp[0], err)) < 0)
				return rc;
			if (vet_json_string_eq(k, "monthly_contact") &&
			    (rc = prev_rate(v, r->prev_comp[1], err)) < 0)
				return rc;
			continue;
		}
		if (vet_json_string(k, &r->tmp, &s) < 0)
			return nomem(err);
		for (i = 0; i < r->s->nlinks; i++)
			if (strlen(r->s->links[i]) == s.n &&
			    memcmp(r->s->links[i], s.p, s.n) == 0)
				break;
		if (i == r->s->nlinks)
			continue;
		if (vet_json_type_of(v) == VET_JSON_NUMBER) {
			if (prev_count(v, &r->prev_link[2 * i]) < 0)
				return bad_compare(err, "a link is not a count");
			continue;
		}
		if (vet_json_type_of(v) != VET_JSON_OBJECT)
			return bad_compare(err, "a link is not an object");
		vet_json_iter_init(&it2, v);
		while (vet_json_iter_next(&it2, &k2, &v2)) {
			if (vet_json_type_of(v2) == VET_JSON_NULL)
				continue;
			if ((vet_json_string_eq(k2, "planned") &&
			    prev_count(v2, &r->prev_link[2 * i]) < 0) ||
			    (vet_json_string_eq(k2, "delivered") &&
			    prev_count(v2, &r->prev_link[2 * i + 1]) < 0))
				return bad_compare(err, "a link is not counts");
		}
	}
	return 0;
}

int
vet_report_set_compare(struct vet_report *r, const char *p, size_t n,
    struct vet_error *err)
{
	struct vet_json_iter it, it2;
	struct vet_span key, val, top = { p, n }, s, dk, dv;
	int have_tot = 0, have_dist = 0, suppressed = 0, rc;
	long row;
	size_t i;
	int64_t *c, x;

	if (vet_json_validate(p, n, err) < 0)
		return VET_EDATA;
	while (top.n > 0 && (top.p[0] == ' ' || top.p[0] == '\t' ||
	    top.p[0] == '\n' || top.p[0] == '\r')) {
		top.p++;
		top.n--;
	}
	if (top.n == 0 || vet_json_type_of(top) != VET_JSON_OBJECT)
		return bad_compare(err, "not a JSON object");
	vet_json_iter_init(&it, top);
	while (vet_json_iter_next(&it, &key, &val)) {
		if (vet_json_string_eq(key, "period")) {
			if (vet_json_type_of(val) != VET_JSON_STRING)
				return bad_compare(err, "'period' is not a "
				    "string");
			if (vet_json_string(val, &r->tmp, &s) < 0 ||
			    set_prev_label(r, s) < 0)
				return nomem(err);
		} else if (vet_json_string_eq(key, "totals")) {
			if ((rc = read_counts(r, val, r->prev_tot, &r->tmp,
			    err)) < 0)
				return rc;
			have_tot = 1;
		} else if (vet_json_string_eq(key, "chain") ||
		    vet_json_string_eq(key, "compliance")) {
			if ((rc = prev_figures(r, key, val, err)) < 0)
				return rc;
		} else if (vet_json_string_eq(key, "suppressed")) {
			if (vet_json_int(val, &x) < 0 || x < 0)
				return bad_compare(err, "'suppressed' is not "
				    "a count");
			suppressed = x > 0;
		} else if (vet_json_string_eq(key, "by_district")) {
			if (vet_json_type_of(val) != VET_JSON_OBJECT)
				return bad_compare(err, "'by_district' is not "
				    "an object");
			have_dist = 1;
			vet_json_iter_init(&it2, val);
			while (vet_json_iter_next(&it2, &dk, &dv)) {
				if (vet_json_string(dk, &r->key, &s) < 0 ||
				    mask_name(&r->mpart, &s) < 0 ||
				    (row = rtab_get(&r->prev_dist, s.p,
				    s.n)) < 0)
					return nomem(err);
				c = rtab_row(&r->prev_dist, (size_t)row);
				for (i = 0; i < r->s->ncat; i++)
					c[i] = INT64_MIN;
				if ((rc = read_counts(r, dv, c, &r->tmp,
				    err)) < 0)
					return rc;
			}
		}
	}
	if (!have_tot)
		return bad_compare(err, "no 'totals'");
	/*
	 * A district missing from the previous by_district had no veteran
	 * then, unless the previous report left groups out (--min-cell) or had
	 * no by_district at all: then its count is unknown and the change null.
	 */
	r->prev_all_districts = have_dist && !suppressed;
	r->have_prev = 1;
	return 0;
}
