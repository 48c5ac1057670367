/*
 * audit.c - the checks of vet-audit (SPEC 3, "The default audit, exactly"):
 * the period, the indexes of the event log, the findings about a veteran
 * and those about a district.
 *
 * The events are read first and reduced to bit sets: for each id, the
 * months of the period in which a contact happened; for each district and
 * for each (district, id), the quarters in which a consultation counts; for
 * each district, the job fairs of the period's calendar year.  A veteran is
 * then audited against those sets alone, so the veterans stream through in
 * constant memory.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vet/audit.h"
#include "vet/buf.h"
#include "vet/date.h"
#include "vet/error.h"
#include "vet/event.h"
#include "vet/hash.h"
#include "vet/id.h"
#include "vet/json.h"
#include "vet/policy.h"
#include "vet/record.h"
#include "vet/schema.h"

/* The checks vet-audit knows, SPEC 3. */
enum {
	C_MONTHLY,
	C_QUARTERLY,
	C_FAIRS,
	C_TRAINING,
	C_INCOMPLETE,
	C_UNREGISTERED,
	C_UNCERTIFIED,
	C_EXIT,
	C_N
};

static const char *const check_codes[C_N] = {
	"monthly_contact", "quarterly_consultation", "job_fairs",
	"adaptive_training", "incomplete_file", "unregistered_unemployed",
	"uncertified_candidate", "exit_pending"
};

/* The categories the audit reads from a classified record. */
enum {
	K_HARD_TO_PLACE,
	K_TRAINING,
	K_NEEDS_REGISTRATION,
	K_CANDIDATE,
	K_EXIT_CANDIDATE,
	K_OUT_OF_SCOPE,
	K_EXITED,
	K_N
};

static const char *const cat_codes[K_N] = {
	"hard_to_place", "training_incomplete", "needs_registration",
	"difficulty_candidate", "exit_candidate", "out_of_scope", "exited"
};

/* The category each category check reports, or -1. */
static const int check_cat[C_N] = {
	-1, -1, -1, K_TRAINING, -1, K_NEEDS_REGISTRATION, K_CANDIDATE,
	K_EXIT_CANDIDATE
};

/* A map from a key to a set of bits (months or quarters of the period). */
struct bitindex {
	struct vet_strmap map;
	uint32_t *bits;
	size_t n, cap;
};

struct district {
	char *name;
	size_t len;
	size_t rank;		/* index in the policy's list, or past it */
	uint32_t qbits;		/* quarters with a district-wide consultation */
	long fairs;		/* job fairs of the year up to as_of */
	int present;		/* a veteran of the input lives here */
};

struct vet_audit {
	const struct vet_policy *p;
	struct vet_audit_period pd;
	vet_day as_of;
	int events;
	int due;		/* --due: write the duties still open */
	size_t ndue;		/* due findings written */
	int duty_months;	/* hard_to_place_after_months */
	long fairs_min;		/* job_fairs_per_year */
	int month0, nmonths;	/* first month (y * 12 + m - 1) and count */
	int quarter0, nquarters; /* first quarter (y * 4 + q - 1) and count */
	int year;

	size_t nchecks;		/* the policy's checks, in its order */
	int *order;		/* C_* of each */
	const char *severity[C_N];
	const char *clause[C_N];

	struct bitindex contacts;	/* id -> months with a contact */
	struct bitindex consults;	/* district NUL id -> quarters */
	struct vet_strmap dmap;		/* district -> index in d */
	struct district *d;
	size_t nd, capd;

	struct vet_buf t_id, t_dist, t_type, t_det, key, detail;
	struct vet_event_reader rd;
};

/* The due date of a finding that is a breach, not a duty still open. */
#define NO_DUE INT32_MIN

/* ---- the period --------------------------------------------------------- */

static int
digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static int
num(const char *s, size_t n)
{
	int v = 0;
	size_t i;

	for (i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

static void
set_period(struct vet_audit_period *pd, enum vet_audit_unit unit, int y,
    int m1, int m2)
{
	vet_day last;

	pd->unit = unit;
	vet_date_from_ymd(y, m1, 1, &pd->from);
	vet_date_from_ymd(y, m2, 1, &last);
	pd->to = vet_date_month_end(last);
	if (unit == VET_AUDIT_MONTH)
		snprintf(pd->label, sizeof pd->label, "%04d-%02d", y, m1);
	else if (unit == VET_AUDIT_QUARTER)
		snprintf(pd->label, sizeof pd->label, "%04dQ%d", y,
		    (m1 - 1) / 3 + 1);
	else
		snprintf(pd->label, sizeof pd->label, "%04d", y);
}

int
vet_audit_period_parse(struct vet_audit_period *pd, const char *quarter,
    const char *month, const char *year, vet_day as_of,
    struct vet_error *err)
{
	vet_day qs;
	int y, m, d, q;

	if ((quarter != NULL) + (month != NULL) + (year != NULL) > 1)
		return vet_error_set(err, VET_EUSAGE, NULL, 0, 0,
		    "give at most one of --quarter, --month and --year");
	if (quarter != NULL) {
		/* The same --quarter as vet-report's, "previous" included. */
		if (vet_date_quarter_parse(quarter, as_of, &qs, err) < 0)
			return VET_EUSAGE;
		vet_date_to_ymd(qs, &y, &m, &d);
		set_period(pd, VET_AUDIT_QUARTER, y, m, m + 2);
		return 0;
	}
	if (month != NULL) {
		if (strlen(month) != 7 || !digits(month, 4) ||
		    month[4] != '-' || !digits(month + 5, 2) ||
		    num(month, 4) < 1 || num(month + 5, 2) < 1 ||
		    num(month + 5, 2) > 12)
			return vet_error_set(err, VET_EUSAGE, NULL, 0, 0,
			    "invalid month '%.40s' (YYYY-MM)", month);
		m = num(month + 5, 2);
		set_period(pd, VET_AUDIT_MONTH, num(month, 4), m, m);
		return 0;
	}
	if (year != NULL) {
		if (strlen(year) != 4 || !digits(year, 4) || num(year, 4) < 1)
			return vet_error_set(err, VET_EUSAGE, NULL, 0, 0,
			    "invalid year '%.40s' (YYYY)", year);
		set_period(pd, VET_AUDIT_YEAR, num(year, 4), 1, 12);
		return 0;
	}
	vet_date_to_ymd(as_of, &y, &m, &d);
	q = (m - 1) / 3 + 1;
	set_period(pd, VET_AUDIT_QUARTER, y, q * 3 - 2, q * 3);
	return 0;
}

/* Months and quarters as consecutive numbers, for the bit sets. */
static int
month_no(vet_day day)
{
	int y, m, d;

	vet_date_to_ymd(day, &y, &m, &d);
	return y * 12 + m - 1;
}

static int
quarter_no(vet_day day)
{
	return month_no(day) / 3;
}

/* ---- indexes ------------------------------------------------------------ */

static void
bix_init(struct bitindex *b)
{
	vet_strmap_init(&b->map);
	b->bits = NULL;
	b->n = b->cap = 0;
}

static void
bix_release(struct bitindex *b)
{
	vet_strmap_release(&b->map);
	free(b->bits);
	bix_init(b);
}

/* Adds bit to the set of key.  0 or VET_ENOMEM. */
static int
bix_or(struct bitindex *b, const char *k, size_t n, uint32_t bit)
{
	size_t i;
	uint32_t *nb;
	int rc;

	if (b->n == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 256;

		if ((nb = realloc(b->bits, cap * sizeof *nb)) == NULL)
			return VET_ENOMEM;
		b->bits = nb;
		b->cap = cap;
	}
	if ((rc = vet_strmap_put(&b->map, k, n, b->n, &i)) < 0)
		return rc;
	if (rc == 1) {
		i = b->n++;
		b->bits[i] = 0;
	}
	b->bits[i] |= bit;
	return 0;
}

static uint32_t
bix_get(const struct bitindex *b, const char *k, size_t n)
{
	size_t i;

	return vet_strmap_get(&b->map, k, n, &i) ? b->bits[i] : 0;
}

/* The row of district [s, s + n), added when new.  NULL when out of
 * memory. */
static struct district *
district_row(struct vet_audit *a, const char *s, size_t n)
{
	struct district *d, *nd;
	size_t i, k;
	int rc;

	if (vet_strmap_get(&a->dmap, s, n, &i))
		return &a->d[i];
	if (a->nd == a->capd) {
		size_t cap = a->capd ? a->capd * 2 : 32;

		if ((nd = realloc(a->d, cap * sizeof *nd)) == NULL)
			return NULL;
		a->d = nd;
		a->capd = cap;
	}
	d = &a->d[a->nd];
	memset(d, 0, sizeof *d);
	if ((d->name = malloc(n + 1)) == NULL)
		return NULL;
	memcpy(d->name, s, n);
	d->name[n] = '\0';
	d->len = n;
	k = vet_policy_ndistricts(a->p);
	d->rank = k;
	for (i = 0; i < k; i++) {
		const char *pn = vet_policy_district(a->p, i);

		if (strlen(pn) == n && memcmp(pn, s, n) == 0) {
			d->rank = i;
			break;
		}
	}
	if ((rc = vet_strmap_put(&a->dmap, s, n, a->nd, NULL)) < 0) {
		free(d->name);
		return NULL;
	}
	a->nd++;
	return d;
}

/* ---- lifecycle ---------------------------------------------------------- */

int
vet_audit_new(struct vet_audit **ap, const struct vet_policy *p,
    const struct vet_audit_period *pd, vet_day as_of, int events,
    struct vet_error *err)
{
	struct vet_audit *a;
	const char *code;
	double v;
	size_t i;
	int c, y, m, d;

	*ap = NULL;
	if ((a = calloc(1, sizeof *a)) == NULL)
		return vet_error_nomem(err);
	a->p = p;
	a->pd = *pd;
	a->as_of = as_of;
	a->events = events;
	bix_init(&a->contacts);
	bix_init(&a->consults);
	vet_strmap_init(&a->dmap);
	if (vet_event_reader_init(&a->rd, p, err) < 0) {
		free(a);
		return VET_ENOMEM;
	}
	/* SPEC: 挂账 after hard_to_place_after_months, "default 6"; 二(七):
	 * two job fairs a year.  A policy may say otherwise. */
	a->duty_months = vet_policy_param(p, vet_schema_duty_param,
	    as_of, &v) ? (int)v : 6;
	a->fairs_min = vet_policy_param(p, "job_fairs_per_year", as_of, &v) ?
	    (long)v : 2;
	a->month0 = month_no(pd->from);
	a->nmonths = month_no(pd->to) - a->month0 + 1;
	a->quarter0 = quarter_no(pd->from);
	a->nquarters = quarter_no(pd->to) - a->quarter0 + 1;
	vet_date_to_ymd(pd->to, &y, &m, &d);
	a->year = y;

	a->nchecks = vet_policy_nchecks(p);
	if ((a->order = calloc(a->nchecks + 1, sizeof *a->order)) == NULL) {
		vet_audit_free(a);
		return vet_error_nomem(err);
	}
	for (i = 0; i < a->nchecks; i++) {
		code = vet_policy_check(p, i);
		for (c = 0; c < C_N; c++)
			if (strcmp(code, check_codes[c]) == 0)
				break;
		if (c == C_N) {
			vet_error_set(err, VET_ECONFIG, vet_policy_file(p), 0,
			    0, "check '%s' of the policy is not known to "
			    "vet-audit", code);
			vet_audit_free(a);
			return VET_ECONFIG;
		}
		a->order[i] = c;
		a->severity[c] = vet_policy_check_severity(p, code);
		a->clause[c] = vet_policy_check_clause(p, code);
	}
	*ap = a;
	return 0;
}

void
vet_audit_free(struct vet_audit *a)
{
	size_t i;

	if (a == NULL)
		return;
	bix_release(&a->contacts);
	bix_release(&a->consults);
	vet_strmap_release(&a->dmap);
	for (i = 0; i < a->nd; i++)
		free(a->d[i].name);
	free(a->d);
	free(a->order);
	vet_buf_release(&a->t_id);
	vet_buf_release(&a->t_dist);
	vet_buf_release(&a->t_type);
	vet_buf_release(&a->t_det);
	vet_buf_release(&a->key);
	vet_buf_release(&a->detail);
	vet_event_reader_release(&a->rd);
	free(a);
}

/* ---- events ------------------------------------------------------------- */

/* A consultation: district-wide, or for each id listed (normalised as
 * the event's own id is, so that it joins the veteran's). */
static int
add_consultation(struct vet_audit *a, const struct vet_record *ev,
    struct vet_span dist, uint32_t bit, int counts, struct vet_error *err)
{
	const struct vet_field *f = vet_record_get(ev, "ids");
	struct vet_json_iter it;
	struct vet_span v, id;
	struct district *d;
	char norm[19];
	int listed = 0, pass;

	if (f != NULL && f->type != VET_JSON_NULL &&
	    f->type != VET_JSON_ARRAY)
		return vet_error_set(err, VET_EDATA, NULL, 0, 0,
		    "field 'ids' is not an array");
	/* Check every element before keeping any (pass 0), then keep. */
	for (pass = 0; f != NULL && f->type == VET_JSON_ARRAY && pass < 2;
	    pass++) {
		if (pass == 1 && !counts)
			break;
		vet_json_iter_init(&it, f->val);
		while (vet_json_iter_next(&it, NULL, &v)) {
			if (vet_json_type_of(v) != VET_JSON_STRING)
				return vet_error_set(err, VET_EDATA, NULL, 0,
				    0, "field 'ids' is not an array of "
				    "strings");
			if (vet_json_string(v, &a->t_id, &id) < 0)
				return vet_error_nomem(err);
			if (vet_id_normalize(id.p, id.n, INT32_MAX, norm,
			    NULL, err) < 0)
				return VET_EDATA;
			listed = 1;
			if (pass == 0)
				continue;
			vet_buf_reset(&a->key);
			if (vet_buf_add(&a->key, dist.p, dist.n) < 0 ||
			    vet_buf_addch(&a->key, '\0') < 0 ||
			    vet_buf_add(&a->key, norm, 18) < 0 ||
			    bix_or(&a->consults, a->key.data, a->key.len,
			    bit) < 0)
				return vet_error_nomem(err);
		}
	}
	if (!counts || listed)
		return 0;
	if ((d = district_row(a, dist.p, dist.n)) == NULL)
		return vet_error_nomem(err);
	d->qbits |= bit;
	return 0;
}

int
vet_audit_add_event(struct vet_audit *a, const struct vet_record *rec,
    struct vet_error *err)
{
	struct vet_event ev;
	struct vet_span dist;
	struct district *d;
	int rc, mno, qno, y, m, dd, on;

	/* Read as vet-intake reads it: a bad id or an unknown district is
	 * a rejected event, never one silently left out of a count. */
	if ((rc = vet_event_read(&a->rd, rec, &ev, err)) < 0)
		return rc;
	/* No event dated after --as-of counts (SPEC). */
	on = ev.date <= a->as_of;
	mno = month_no(ev.date);
	qno = mno / 3;
	dist.p = ev.district;
	dist.n = ev.district_len;
	switch (ev.type) {
	case VET_EV_CONTACT:
		if (on && mno >= a->month0 && mno < a->month0 + a->nmonths &&
		    bix_or(&a->contacts, ev.id, 18,
		    (uint32_t)1 << (mno - a->month0)) < 0)
			return vet_error_nomem(err);
		return 0;
	case VET_EV_CONSULTATION:
		on = on && qno >= a->quarter0 &&
		    qno < a->quarter0 + a->nquarters;
		return add_consultation(a, rec, dist, on ? (uint32_t)1 <<
		    (qno - a->quarter0) : 0, on, err);
	case VET_EV_JOB_FAIR:
		vet_date_to_ymd(ev.date, &y, &m, &dd);
		if (!on || y != a->year)
			return 0;
		if ((d = district_row(a, dist.p, dist.n)) == NULL)
			return vet_error_nomem(err);
		d->fairs++;
		return 0;
	default:
		return 0;
	}
}

/* ---- findings ----------------------------------------------------------- */

/* Appends ",key":value (the first member opens the object instead), the
 * value a JSON string, or null when s is NULL. */
static int
add_member(struct vet_buf *o, int first, const char *key, const char *s,
    size_t n)
{
	int rc = 0;

	rc |= vet_buf_addstr(o, first ? "{\"" : ",\"");
	rc |= vet_buf_addstr(o, key);
	rc |= vet_buf_addstr(o, "\":");
	if (s == NULL)
		rc |= vet_buf_addstr(o, "null");
	else
		rc |= vet_json_add_string(o, s, n);
	return rc;
}

static int
add_cmember(struct vet_buf *o, const char *key, const char *s)
{
	return add_member(o, 0, key, s, s != NULL ? strlen(s) : 0);
}

/*
 * Appends one finding of check c.  id.p NULL makes it a finding about the
 * district.  0 or VET_ENOMEM.
 */
static int
emit_due(struct vet_audit *a, struct vet_buf *o, int c, const char *severity,
    struct vet_span id, struct vet_span dist, const char *period,
    const char *detail, vet_day due)
{
	char d[11];
	int rc = 0;

	rc |= add_member(o, 1, "check", check_codes[c],
	    strlen(check_codes[c]));
	rc |= add_cmember(o, "clause", a->clause[c]);
	rc |= add_cmember(o, "severity", severity);
	if (id.p != NULL)
		rc |= add_member(o, 0, "id", id.p, id.n);
	rc |= add_member(o, 0, "district", dist.p, dist.n);
	rc |= add_cmember(o, "period", period);
	rc |= add_cmember(o, "detail", detail);
	if (due != NO_DUE) {
		vet_date_format(due, d);
		rc |= add_cmember(o, "due", d);
	}
	rc |= vet_buf_addstr(o, "}\n");
	return rc != 0 ? VET_ENOMEM : 0;
}

/* A breach: a finding without a due date. */
static int
emit(struct vet_audit *a, struct vet_buf *o, int c, const char *severity,
    struct vet_span id, struct vet_span dist, const char *period,
    const char *detail)
{
	return emit_due(a, o, c, severity, id, dist, period, detail, NO_DUE);
}

/* Marks which of cat_codes the record's categories hold. */
static int
read_categories(const struct vet_record *v, int *hit, struct vet_error *err)
{
	const struct vet_field *f;
	struct vet_json_iter it;
	struct vet_span e;
	size_t n;
	int k, rc;

	memset(hit, 0, K_N * sizeof *hit);
	if ((rc = vet_record_need_strs(v, "categories", " (classify the "
	    "records with vet-classify first)", &f, &n, err)) < 0)
		return rc;
	vet_json_iter_init(&it, f->val);
	while (vet_json_iter_next(&it, NULL, &e))
		for (k = 0; k < K_N; k++)
			if (vet_json_string_eq(e, cat_codes[k]))
				hit[k] = 1;
	return 0;
}

/*
 * The detail of a category check: the category, and the classifier's
 * reason for it when the record carries one ("reasons", vet-classify).
 */
static int
category_detail(struct vet_audit *a, const struct vet_record *v,
    const char *cat)
{
	const struct vet_field *f = vet_record_get(v, "reasons");
	struct vet_json_iter it, mt;
	struct vet_span e, key, val, code = { NULL, 0 }, det = { NULL, 0 };
	struct vet_span s;

	vet_buf_reset(&a->detail);
	if (vet_buf_addstr(&a->detail, cat) < 0)
		return VET_ENOMEM;
	if (f == NULL || f->type != VET_JSON_ARRAY)
		return 0;
	vet_json_iter_init(&it, f->val);
	while (vet_json_iter_next(&it, NULL, &e)) {
		if (vet_json_type_of(e) != VET_JSON_OBJECT)
			continue;
		code.p = det.p = NULL;
		vet_json_iter_init(&mt, e);
		while (vet_json_iter_next(&mt, &key, &val)) {
			if (vet_json_type_of(val) != VET_JSON_STRING)
				continue;
			if (vet_json_string_eq(key, "code"))
				code = val;
			else if (vet_json_string_eq(key, "detail"))
				det = val;
		}
		if (code.p == NULL || det.p == NULL ||
		    !vet_json_string_eq(code, cat))
			continue;
		if (vet_json_string(det, &a->t_det, &s) < 0 ||
		    vet_buf_addstr(&a->detail, ": ") < 0 ||
		    vet_buf_add(&a->detail, s.p, s.n) < 0)
			return VET_ENOMEM;
		break;
	}
	return 0;
}

/* Adds name to the list of missing fields in a->detail when v lacks it. */
static int
check_field(struct vet_audit *a, const struct vet_record *v,
    const char *name, int *nmiss)
{
	const struct vet_field *f = vet_record_get(v, name);
	int rc = 0;

	if (f != NULL && f->type != VET_JSON_NULL)
		return 0;
	rc |= vet_buf_addstr(&a->detail, *nmiss ? ", " : "missing ");
	rc |= vet_buf_addstr(&a->detail, name);
	++*nmiss;
	return rc != 0 ? VET_ENOMEM : 0;
}

/* The fields of the information file the record lacks, into a->detail,
 * and their number. */
static int
missing_fields(struct vet_audit *a, const struct vet_record *v, int *nmiss)
{
	size_t i;
	int need;

	vet_buf_reset(&a->detail);
	*nmiss = 0;
	for (i = 0; vet_schema_file_fields[i] != NULL; i++)
		if (check_field(a, v, vet_schema_file_fields[i], nmiss) < 0)
			return VET_ENOMEM;
	/* desired_industries only when there is a need. */
	if (vet_record_bool(v, vet_schema_file_need_if, &need) == 1 && need)
		for (i = 0; vet_schema_file_need_fields[i] != NULL; i++)
			if (check_field(a, v, vet_schema_file_need_fields[i],
			    nmiss) < 0)
				return VET_ENOMEM;
	return 0;
}

static void
format_month(int mno, char *out, size_t n)
{
	snprintf(out, n, "%04d-%02d", mno / 12, mno % 12 + 1);
}

/*
 * The record's facts the duty checks read: id, district, categories and the
 * first month of the 挂账 duty (INT32_MIN: from the start).
 */
static int
read_veteran(struct vet_audit *a, const struct vet_record *v,
    struct vet_span *id, struct vet_span *dist, int *hit, vet_day *duty,
    struct vet_error *err)
{
	const struct vet_field *kind = vet_record_get(v, "kind");
	vet_day since = 0;
	int rc;

	if (kind != NULL && kind->type != VET_JSON_NULL &&
	    !(kind->type == VET_JSON_STRING &&
	    vet_json_string_eq(kind->val, "veteran")))
		return vet_error_set(err, VET_EDATA, NULL, 0, 0,
		    "record is not of kind 'veteran'");
	if ((rc = vet_record_need_str(v, "id", &a->t_id, id, err)) < 0 ||
	    (rc = vet_record_need_str(v, "district", &a->t_dist, dist,
	    err)) < 0 ||
	    (rc = read_categories(v, hit, err)) < 0 ||
	    (rc = vet_record_opt_date(v, vet_schema_duty_since, &a->t_det,
	    &since, err)) < 0)
		return rc;
	/*
	 * The duty starts in the month in which assisted_since + N months
	 * falls.  A record the classifier calls hard_to_place without an
	 * assisted_since (another policy) has the duty from the start.
	 */
	*duty = INT32_MIN;
	if (rc == 1)
		*duty = vet_schema_duty_start(since, a->duty_months);
	return 0;
}

/*
 * The duties of check c (C_MONTHLY or C_QUARTERLY) of a hard_to_place
 * veteran: every month (quarter) of the period that has begun on as_of and
 * in which the duty runs, met or not.  This one walk decides both the
 * findings of vet_audit_veteran() and what vet_audit_duties() tells
 * vet-plan, so the two can never disagree.  Appends to out[*n] (room for
 * VET_AUDIT_MAX_DUTIES).  0 or VET_ENOMEM.
 */
static int
walk_duties(struct vet_audit *a, int c, struct vet_span id,
    struct vet_span dist, uint32_t dbits, vet_day duty,
    struct vet_audit_duty *out, size_t *n)
{
	struct vet_audit_duty *du;
	vet_day ps, pe;
	uint32_t bits;
	int j, k, np;

	if (c == C_MONTHLY) {
		bits = bix_get(&a->contacts, id.p, id.n);
		np = a->nmonths;
	} else {
		vet_buf_reset(&a->key);
		if (vet_buf_add(&a->key, dist.p, dist.n) < 0 ||
		    vet_buf_addch(&a->key, '\0') < 0 ||
		    vet_buf_add(&a->key, id.p, id.n) < 0)
			return VET_ENOMEM;
		bits = bix_get(&a->consults, a->key.data, a->key.len) | dbits;
		np = a->nquarters;
	}
	for (j = 0; j < np && *n < VET_AUDIT_MAX_DUTIES; j++) {
		if (c == C_MONTHLY) {
			k = a->month0 + j;
			vet_date_from_ymd(k / 12, k % 12 + 1, 1, &ps);
			pe = vet_date_month_end(ps);
			/* The duty runs from its first month on. */
			if (ps < duty || ps > a->as_of)
				continue;
		} else {
			k = a->quarter0 + j;
			vet_date_from_ymd(k / 4, k % 4 * 3 + 1, 1, &ps);
			pe = vet_date_quarter_end(ps);
			/* A quarter is owed when the duty started before
			 * its end. */
			if (!(duty < pe) || ps > a->as_of)
				continue;
		}
		du = &out[(*n)++];
		du->check = check_codes[c];
		if (c == C_MONTHLY)
			format_month(k, du->period, sizeof du->period);
		else
			snprintf(du->period, sizeof du->period, "%04dQ%d",
			    k / 4, k % 4 + 1);
		du->due = pe;
		if (bits & (uint32_t)1 << j)
			du->status = VET_AUDIT_DONE;
		else if (vet_date_over(pe, a->as_of))
			du->status = VET_AUDIT_LATE;
		else
			du->status = VET_AUDIT_DUE;
	}
	return 0;
}

int
vet_audit_duties(struct vet_audit *a, const struct vet_record *v,
    struct vet_audit_duty *out, size_t *n, struct vet_error *err)
{
	struct vet_span id, dist;
	vet_day duty;
	uint32_t dbits = 0;
	size_t i, row;
	int hit[K_N], rc, c;

	*n = 0;
	if ((rc = read_veteran(a, v, &id, &dist, hit, &duty, err)) < 0)
		return rc;
	if (!a->events || !hit[K_HARD_TO_PLACE])
		return 0;
	if (vet_strmap_get(&a->dmap, dist.p, dist.n, &row))
		dbits = a->d[row].qbits;
	for (i = 0; i < a->nchecks; i++) {
		c = a->order[i];
		if ((c == C_MONTHLY || c == C_QUARTERLY) &&
		    walk_duties(a, c, id, dist, dbits, duty, out, n) < 0) {
			*n = 0;
			return vet_error_nomem(err);
		}
	}
	return 0;
}

/*
 * The detail of a duty of check c not met: du in district dist, the duty
 * running since the month dutym (NULL: from the start), late or still due.
 */
static void
duty_text(char *text, size_t size, int c, const struct vet_audit_duty *du,
    struct vet_span dist, const char *dutym)
{
	int over = du->status == VET_AUDIT_LATE;

	if (c == C_QUARTERLY)
		snprintf(text, size, "no consultation in %s in %.*s listing "
		    "this veteran or for the whole district%s", du->period,
		    dist.n > 200 ? 200 : (int)dist.n, dist.p, over ? "" :
		    " yet; due by the quarter's end");
	else if (!over)
		snprintf(text, size, "no contact event in %s yet; due by the "
		    "month's end", du->period);
	else if (dutym != NULL)
		snprintf(text, size, "no contact event in %s; monthly contact "
		    "due since %s", du->period, dutym);
	else
		snprintf(text, size, "no contact event in %s", du->period);
}

/*
 * The findings of duty check c (C_MONTHLY or C_QUARTERLY) for a
 * hard_to_place veteran: a breach for each duty late, and with --due one
 * for each still due.  Counts them in *n and *ndue.  0 or VET_ENOMEM.
 */
static int
duty_findings(struct vet_audit *a, struct vet_buf *out, int c,
    struct vet_span id, struct vet_span dist, uint32_t dbits, vet_day duty,
    size_t *n, size_t *ndue)
{
	struct vet_audit_duty du[VET_AUDIT_MAX_DUTIES];
	char dutym[16], text[320];
	size_t j, nd = 0;
	int over;

	if (walk_duties(a, c, id, dist, dbits, duty, du, &nd) < 0)
		return VET_ENOMEM;
	if (duty != INT32_MIN)
		format_month(month_no(duty), dutym, sizeof dutym);
	for (j = 0; j < nd; j++) {
		if (du[j].status == VET_AUDIT_DONE)
			continue;
		over = du[j].status == VET_AUDIT_LATE;
		if (!over && !a->due)
			continue;
		duty_text(text, sizeof text, c, &du[j], dist,
		    duty != INT32_MIN ? dutym : NULL);
		if (emit_due(a, out, c, over ? a->severity[c] : "due", id, dist,
		    du[j].period, text, over ? NO_DUE : du[j].due) < 0)
			return VET_ENOMEM;
		if (over)
			++*n;
		else
			++*ndue;
	}
	return 0;
}

int
vet_audit_veteran(struct vet_audit *a, const struct vet_record *v,
    struct vet_buf *out, size_t *nfound, struct vet_error *err)
{
	struct vet_span id, dist;
	struct district *d;
	vet_day duty;
	size_t start = out->len, n = 0, ndue = 0, i;
	int hit[K_N], rc, c, nmiss;
	uint32_t dbits;

	if ((rc = read_veteran(a, v, &id, &dist, hit, &duty, err)) < 0)
		return rc;
	if ((d = district_row(a, dist.p, dist.n)) == NULL)
		return vet_error_nomem(err);
	d->present = 1;
	dbits = d->qbits;
	for (i = 0; i < a->nchecks; i++) {
		c = a->order[i];
		switch (c) {
		case C_MONTHLY:
		case C_QUARTERLY:
			if (a->events && hit[K_HARD_TO_PLACE] &&
			    duty_findings(a, out, c, id, dist, dbits, duty,
			    &n, &ndue) < 0)
				goto nomem;
			break;
		case C_INCOMPLETE:
			if (hit[K_OUT_OF_SCOPE] || hit[K_EXITED])
				break;
			if (missing_fields(a, v, &nmiss) < 0)
				goto nomem;
			if (nmiss == 0)
				break;
			if (emit(a, out, c, a->severity[c], id, dist,
			    a->pd.label, a->detail.data) < 0)
				goto nomem;
			n++;
			break;
		case C_FAIRS:
			break;
		default:
			if (!hit[check_cat[c]])
				break;
			if (category_detail(a, v, cat_codes[check_cat[c]]) < 0 ||
			    emit(a, out, c, a->severity[c], id, dist,
			    a->pd.label, a->detail.data) < 0)
				goto nomem;
			n++;
			break;
		}
	}
	*nfound += n;
	a->ndue += ndue;
	return 0;
nomem:
	vet_buf_truncate(out, start);
	return vet_error_nomem(err);
}

/* Districts in the policy's order, others after them bytewise. */
static int
district_cmp(const void *x, const void *y)
{
	const struct district *a = *(const struct district *const *)x;
	const struct district *b = *(const struct district *const *)y;
	size_t n = a->len < b->len ? a->len : b->len;
	int c;

	if (a->rank != b->rank)
		return a->rank < b->rank ? -1 : 1;
	if ((c = memcmp(a->name, b->name, n)) != 0)
		return c;
	return a->len < b->len ? -1 : a->len > b->len;
}

/*
 * SPEC: the fairs due by as_of in the audited year, floor(per year x months
 * of the year over / 12), so that 1 of 2 is due from the end of June; all
 * of them once the year is over.
 */
static long
fairs_due(const struct vet_audit *a, vet_day ye)
{
	int y, m, d, over;

	if (vet_date_over(ye, a->as_of))
		return a->fairs_min;
	vet_date_to_ymd(a->as_of, &y, &m, &d);
	if (y < a->year)
		return 0;
	over = m - 1 + vet_date_over(vet_date_month_end(a->as_of), a->as_of);
	return a->fairs_min * over / 12;
}

int
vet_audit_districts(struct vet_audit *a, struct vet_buf *out,
    size_t *nfound, struct vet_error *err)
{
	struct district **list;
	struct vet_span none = { NULL, 0 }, dist;
	vet_day ye, ys;
	size_t i, k = 0, n = 0, ndue = 0, start = out->len;
	long due, held;
	int over, run = 0, rc;
	char period[16], text[200], asof[11], yend[11];

	for (i = 0; i < a->nchecks; i++)
		run |= a->order[i] == C_FAIRS;
	if (!run || !a->events)
		return 0;
	if ((list = calloc(a->nd + 1, sizeof *list)) == NULL)
		return vet_error_nomem(err);
	for (i = 0; i < a->nd; i++)
		if (a->d[i].present)
			list[k++] = &a->d[i];
	qsort(list, k, sizeof *list, district_cmp);
	vet_date_from_ymd(a->year, 1, 1, &ys);
	vet_date_from_ymd(a->year, 12, 31, &ye);
	over = vet_date_over(ye, a->as_of);
	due = fairs_due(a, ye);
	vet_date_format(a->as_of, asof);
	vet_date_format(ye, yend);
	snprintf(period, sizeof period, "%04d", a->year);
	for (i = 0; i < k; i++) {
		held = list[i]->fairs;
		dist.p = list[i]->name;
		dist.n = list[i]->len;
		rc = 0;
		if (held < due) {
			if (over)
				snprintf(text, sizeof text, "%ld job fair%s "
				    "held in %s, %ld due by %s", held,
				    held == 1 ? "" : "s", period, due, yend);
			else
				snprintf(text, sizeof text, "behind: %ld job "
				    "fair%s held by %s, %ld due by then and "
				    "%ld by %s", held, held == 1 ? "" : "s",
				    asof, due, a->fairs_min, yend);
			rc = emit(a, out, C_FAIRS, over ?
			    a->severity[C_FAIRS] : "warning", none, dist,
			    period, text);
			n++;
		}
		/* --due: the year's fairs still to hold, not yet late. */
		if (rc == 0 && a->due && !over && ys <= a->as_of &&
		    held < a->fairs_min) {
			snprintf(text, sizeof text, "%ld job fair%s held by "
			    "%s, %ld due by %s", held, held == 1 ? "" : "s",
			    asof, a->fairs_min, yend);
			rc = emit_due(a, out, C_FAIRS, "due", none, dist,
			    period, text, ye);
			ndue++;
		}
		if (rc < 0) {
			free(list);
			vet_buf_truncate(out, start);
			return vet_error_nomem(err);
		}
	}
	free(list);
	*nfound += n;
	a->ndue += ndue;
	return 0;
}

void
vet_audit_set_due(struct vet_audit *a, int on)
{
	a->due = on != 0;
}

size_t
vet_audit_ndue(const struct vet_audit *a)
{
	return a->ndue;
}
