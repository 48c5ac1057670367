/*
 * plan.c - the plan of one veteran (plan.h, SPEC vet-plan): measures with
 * the policy's label and clause, the 挂账 duties of the month and quarter
 * that contain as_of, the latest contact and the recommendations.
 *
 * The duties are vet-audit's: the plan keeps an audit of the quarter that
 * contains as_of (vet_audit_duties()), so that a plan and vet-audit --due
 * can never disagree on what is due, done or late.  All the plan adds is
 * the choice of what a station works through this month: the month's
 * contact, the quarter's consultation, and the late ones of the quarter.
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
#include "vet/json.h"
#include "vet/plan.h"
#include "vet/policy.h"
#include "vet/record.h"

/* A duty taken from a finding of vet-audit --due. */
struct fduty {
	struct vet_audit_duty d;
	size_t next;		/* next of the same id, or SIZE_MAX */
};

/* A recommendation: its JSON text in recs_text. */
struct rec {
	size_t off, len;
	size_t next;		/* next of the same id, or SIZE_MAX */
};

/* The first and last entry of an id's list. */
struct list {
	size_t head, tail;
};

/* A growable array of n elements of size sz. */
static int
grow(void *pp, size_t *cap, size_t n, size_t sz)
{
	void **p = pp, *np;
	size_t c;

	if (n < *cap)
		return 0;
	c = *cap ? *cap * 2 : 64;
	if ((np = realloc(*p, c * sz)) == NULL)
		return VET_ENOMEM;
	*p = np;
	*cap = c;
	return 0;
}

struct vet_plan {
	const struct vet_policy *p;
	vet_day as_of;
	int events;
	struct vet_audit *audit;
	vet_day qs, qe, me;	/* the quarter of as_of; its month's end */
	const char *street, *community;
	const char *dutycheck[2];	/* the duty check codes, policy order */

	struct vet_event_index *facts;	/* SPEC 2.3: last_contact_date */

	struct vet_strmap fmap;		/* id -> index in flists */
	struct list *flists;
	size_t nfl, capfl;
	struct fduty *fd;
	size_t nfd, capfd;

	struct vet_strmap rmap;		/* id -> index in rlists */
	struct list *rlists;
	size_t nrl, caprl;
	struct rec *recs;
	size_t nrec, caprec;
	struct vet_buf recs_text;

	struct vet_buf t1, t2, t3, t4, t5;
	struct vet_buf b_id, b_dist, b_name, b_street, b_comm, m1, m2;
};

int
vet_plan_new(struct vet_plan **pp, const struct vet_policy *p,
    vet_day as_of, int events, struct vet_error *err)
{
	struct vet_audit_period pd;
	struct vet_plan *pl;
	size_t i, k = 0;
	const char *c;
	int rc;

	*pp = NULL;
	if ((pl = calloc(1, sizeof *pl)) == NULL)
		return vet_error_nomem(err);
	pl->p = p;
	pl->as_of = as_of;
	pl->events = events;
	vet_strmap_init(&pl->fmap);
	vet_strmap_init(&pl->rmap);
	/* The quarter that contains as_of: its months are the ones whose
	 * late contacts a station still sees this month. */
	if ((rc = vet_audit_period_parse(&pd, NULL, NULL, NULL, as_of,
	    err)) < 0 ||
	    (rc = vet_audit_new(&pl->audit, p, &pd, as_of, events, err)) < 0) {
		vet_plan_free(pl);
		return rc;
	}
	vet_audit_set_due(pl->audit, 1);
	if ((rc = vet_event_index_new(&pl->facts, p, as_of, err)) < 0) {
		vet_plan_free(pl);
		return rc;
	}
	pl->qs = pd.from;
	pl->qe = pd.to;
	pl->me = vet_date_month_end(as_of);
	for (i = 0; i < vet_policy_nchecks(p) && k < 2; i++) {
		c = vet_policy_check(p, i);
		if (strcmp(c, "monthly_contact") == 0 ||
		    strcmp(c, "quarterly_consultation") == 0)
			pl->dutycheck[k++] = c;
	}
	*pp = pl;
	return 0;
}

void
vet_plan_free(struct vet_plan *pl)
{
	if (pl == NULL)
		return;
	vet_audit_free(pl->audit);
	vet_event_index_free(pl->facts);
	vet_strmap_release(&pl->fmap);
	vet_strmap_release(&pl->rmap);
	free(pl->flists);
	free(pl->fd);
	free(pl->rlists);
	free(pl->recs);
	vet_buf_release(&pl->recs_text);
	vet_buf_release(&pl->t1);
	vet_buf_release(&pl->t2);
	vet_buf_release(&pl->t3);
	vet_buf_release(&pl->t4);
	vet_buf_release(&pl->t5);
	vet_buf_release(&pl->b_id);
	vet_buf_release(&pl->b_dist);
	vet_buf_release(&pl->b_name);
	vet_buf_release(&pl->b_street);
	vet_buf_release(&pl->b_comm);
	vet_buf_release(&pl->m1);
	vet_buf_release(&pl->m2);
	free(pl);
}

void
vet_plan_set_station(struct vet_plan *pl, const char *street,
    const char *community)
{
	pl->street = street;
	pl->community = community;
}

/* ---- side files --------------------------------------------------------- */

/* The list of key in m, added when new.  Its index, or -1 (no memory). */
static long
list_of(struct vet_strmap *m, struct list **lists, size_t *n, size_t *cap,
    const char *k, size_t kn)
{
	size_t i;
	int rc;

	if (grow(lists, cap, *n, sizeof **lists) < 0)
		return -1;
	if ((rc = vet_strmap_put(m, k, kn, *n, &i)) < 0)
		return -1;
	if (rc == 1) {
		i = (*n)++;
		(*lists)[i].head = (*lists)[i].tail = SIZE_MAX;
	}
	return (long)i;
}

int
vet_plan_add_event(struct vet_plan *pl, const struct vet_record *ev,
    struct vet_error *err)
{
	int rc;

	/* The duties are the audit's; the last contact is the fact of SPEC
	 * 2.3 that vet-classify --events derives, from the same index. */
	if ((rc = vet_audit_add_event(pl->audit, ev, err)) < 0)
		return rc;
	return vet_event_index_add_record(pl->facts, ev, err);
}

/* The last day of period label s: YYYY-MM (month) or YYYYQn (quarter). */
static int
period_end(struct vet_span s, int quarter, vet_day *out)
{
	char b[16];
	vet_day d;

	if (s.n >= sizeof b)
		return -1;
	memcpy(b, s.p, s.n);
	b[s.n] = '\0';
	if (!quarter) {
		if (s.n != 7 || b[4] != '-')
			return -1;
		memcpy(b + 7, "-01", 4);
		if (vet_date_parse(b, 10, &d) != 0)
			return -1;
		*out = vet_date_month_end(d);
		return 0;
	}
	if (vet_date_quarter_parse(b, 0, &d, NULL) < 0 ||
	    strcmp(b, "current") == 0 || strcmp(b, "previous") == 0)
		return -1;
	*out = vet_date_quarter_end(d);
	return 0;
}

int
vet_plan_add_finding(struct vet_plan *pl, const struct vet_record *f,
    struct vet_error *err)
{
	struct vet_span check, id, period, sev;
	struct fduty *fd;
	struct list *l;
	vet_day end, due;
	size_t i;
	long li;
	int rc, quarter, k;

	if ((rc = vet_record_need_str(f, "check", &pl->t1, &check, err)) < 0)
		return rc;
	for (k = 0; k < 2; k++)
		if (pl->dutycheck[k] != NULL &&
		    vet_span_eq(check, pl->dutycheck[k]))
			break;
	if (k == 2)
		return 0;
	quarter = strcmp(pl->dutycheck[k], "quarterly_consultation") == 0;
	if ((rc = vet_record_need_str(f, "id", &pl->t2, &id, err)) < 0 ||
	    (rc = vet_record_need_str(f, "period", &pl->t3, &period,
	    err)) < 0 ||
	    (rc = vet_record_need_str(f, "severity", &pl->t4, &sev,
	    err)) < 0 ||
	    (rc = vet_record_opt_date(f, "due", &pl->t5, &due, err)) < 0)
		return rc;
	if (period_end(period, quarter, &end) < 0)
		return vet_error_set(err, VET_EDATA, NULL, 0, 0,
		    "field 'period' is not a %s", quarter ? "quarter YYYYQn" :
		    "month YYYY-MM");
	/* Only the quarter of as_of is this period's work. */
	if (end < pl->qs || end > pl->qe)
		return 0;
	if ((li = list_of(&pl->fmap, &pl->flists, &pl->nfl, &pl->capfl, id.p,
	    id.n)) < 0)
		return vet_error_nomem(err);
	l = &pl->flists[li];
	for (i = l->head; i != SIZE_MAX; i = pl->fd[i].next)
		if (pl->fd[i].d.check == pl->dutycheck[k] &&
		    pl->fd[i].d.due == end)
			return 0;	/* the first finding of a duty stands */
	if (grow(&pl->fd, &pl->capfd, pl->nfd, sizeof *pl->fd) < 0)
		return vet_error_nomem(err);
	fd = &pl->fd[pl->nfd];
	fd->d.check = pl->dutycheck[k];
	snprintf(fd->d.period, sizeof fd->d.period, "%.*s", (int)period.n,
	    period.p);
	fd->d.due = end;
	/* A duty still due when vet-audit ran may be late by now. */
	fd->d.status = vet_span_eq(sev, "due") &&
	    !vet_date_over(end, pl->as_of) ? VET_AUDIT_DUE : VET_AUDIT_LATE;
	fd->next = SIZE_MAX;
	if (l->tail == SIZE_MAX)
		l->head = pl->nfd;
	else
		pl->fd[l->tail].next = pl->nfd;
	l->tail = pl->nfd++;
	return 0;
}

int
vet_plan_add_recommendation(struct vet_plan *pl,
    const struct vet_record *r, struct vet_span line, struct vet_error *err)
{
	const struct vet_field *job = vet_record_get(r, "job_id");
	struct vet_span id;
	struct list *l;
	struct rec *rc;
	long li;
	int st;

	if ((st = vet_record_need_str(r, "id", &pl->t1, &id, err)) < 0)
		return st;
	if (job == NULL || job->type == VET_JSON_NULL)
		return vet_error_set(err, VET_EDATA, NULL, 0, 0,
		    "missing field 'job_id'");
	/* The line is one valid JSON object with maybe blanks around it. */
	while (line.n > 0 && (line.p[0] == ' ' || line.p[0] == '\t')) {
		line.p++;
		line.n--;
	}
	while (line.n > 0 && (line.p[line.n - 1] == ' ' ||
	    line.p[line.n - 1] == '\t' || line.p[line.n - 1] == '\r'))
		line.n--;
	if ((li = list_of(&pl->rmap, &pl->rlists, &pl->nrl, &pl->caprl, id.p,
	    id.n)) < 0 ||
	    grow(&pl->recs, &pl->caprec, pl->nrec, sizeof *pl->recs) < 0)
		return vet_error_nomem(err);
	rc = &pl->recs[pl->nrec];
	rc->off = pl->recs_text.len;
	rc->len = line.n;
	rc->next = SIZE_MAX;
	if (vet_buf_add(&pl->recs_text, line.p, line.n) < 0)
		return vet_error_nomem(err);
	l = &pl->rlists[li];
	if (l->tail == SIZE_MAX)
		l->head = pl->nrec;
	else
		pl->recs[l->tail].next = pl->nrec;
	l->tail = pl->nrec++;
	return 0;
}

/* ---- one veteran's plan ------------------------------------------------- */

static const char *const status_word[] = { "done", "due", "late" };

/* The duties the station sees this month: the month's and the quarter's
 * that contain as_of, and the late ones. */
static int
this_period(const struct vet_plan *pl, const struct vet_audit_duty *d)
{
	return d->status == VET_AUDIT_LATE || d->due == pl->me ||
	    d->due == pl->qe;
}

/*
 * The duties of veteran v: the audit's from the event log, then those of
 * the findings for duties the log did not decide, in the policy's check
 * order and then by deadline.  This is the one place the plan learns its
 * duties.
 */
static int
plan_duties(struct vet_plan *pl, const struct vet_record *v,
    struct vet_span id, struct vet_audit_duty *out, size_t *n,
    struct vet_error *err)
{
	struct vet_audit_duty all[VET_AUDIT_MAX_DUTIES], t;
	size_t na, i, j, li;
	int rc, k, seen;

	if ((rc = vet_audit_duties(pl->audit, v, all, &na, err)) < 0)
		return rc;
	*n = 0;
	for (i = 0; i < na; i++)
		if (this_period(pl, &all[i]))
			out[(*n)++] = all[i];
	if (vet_strmap_get(&pl->fmap, id.p, id.n, &li))
		for (i = pl->flists[li].head; i != SIZE_MAX &&
		    *n < VET_AUDIT_MAX_DUTIES; i = pl->fd[i].next) {
			for (seen = 0, j = 0; j < na; j++)
				seen |= all[j].check == pl->fd[i].d.check &&
				    all[j].due == pl->fd[i].d.due;
			if (!seen && this_period(pl, &pl->fd[i].d))
				out[(*n)++] = pl->fd[i].d;
		}
	/* Insertion sort: a few entries, and stable. */
	for (i = 1; i < *n; i++) {
		t = out[i];
		k = t.check == pl->dutycheck[0] ? 0 : 1;
		for (j = i; j > 0; j--) {
			int kj = out[j - 1].check == pl->dutycheck[0] ? 0 : 1;

			if (kj < k || (kj == k && out[j - 1].due <= t.due))
				break;
			out[j] = out[j - 1];
		}
		out[j] = t;
	}
	return 0;
}

/* Appends "key": (with a comma unless first). */
static int
key(struct vet_buf *o, int first, const char *k)
{
	int rc = 0;

	if (!first)
		rc |= vet_buf_addch(o, ',');
	rc |= vet_buf_addch(o, '"');
	rc |= vet_buf_addstr(o, k);
	rc |= vet_buf_addstr(o, "\":");
	return rc;
}

/* A JSON string, or null when s is NULL. */
static int
str_or_null(struct vet_buf *o, const char *s, size_t n)
{
	return s == NULL ? vet_buf_addstr(o, "null") :
	    vet_json_add_string(o, s, n);
}

static int
cstr_or_null(struct vet_buf *o, const char *s)
{
	return str_or_null(o, s, s != NULL ? strlen(s) : 0);
}

static int
add_date(struct vet_buf *o, vet_day d)
{
	char b[11];

	vet_date_format(d, b);
	return vet_json_add_string(o, b, 10);
}

/* Field name of v: an array of strings, as vet-classify writes it. */
static int
str_array(const struct vet_record *v, const char *name, size_t *count,
    struct vet_error *err)
{
	const struct vet_field *f;

	return vet_record_need_strs(v, name, " (classify the records with "
	    "vet-classify first)", &f, count, err);
}

/* The duty of this month (quarter) of a measure that is a duty check. */
static const struct vet_audit_duty *
measure_duty(const struct vet_plan *pl, struct vet_span code,
    const struct vet_audit_duty *du, size_t nd)
{
	size_t i;

	for (i = 0; i < nd; i++)
		if (vet_json_string_eq(code, du[i].check) &&
		    (du[i].due == pl->me || du[i].due == pl->qe))
			return &du[i];
	return NULL;
}

static int
write_measures(struct vet_plan *pl, struct vet_buf *o,
    const struct vet_record *v, const struct vet_audit_duty *du, size_t nd)
{
	const struct vet_field *f = vet_record_get(v, "measures");
	const struct vet_audit_duty *d;
	struct vet_json_iter it;
	struct vet_span e, code;
	int rc = 0, first = 1;

	rc |= vet_buf_addch(o, '[');
	vet_json_iter_init(&it, f->val);
	while (vet_json_iter_next(&it, NULL, &e)) {
		if (vet_json_string(e, &pl->m1, &code) < 0)
			return VET_ENOMEM;
		/* The policy's words, looked up by a NUL-terminated code. */
		vet_buf_reset(&pl->m2);
		if (vet_buf_add(&pl->m2, code.p, code.n) < 0)
			return VET_ENOMEM;
		rc |= vet_buf_addstr(o, first ? "{" : ",{");
		first = 0;
		rc |= key(o, 1, "code");
		rc |= vet_json_add_string(o, code.p, code.n);
		rc |= key(o, 0, "label");
		rc |= cstr_or_null(o, memchr(code.p, '\0', code.n) ? NULL :
		    vet_policy_label(pl->p, vet_buf_str(&pl->m2), "zh"));
		rc |= key(o, 0, "clause");
		rc |= cstr_or_null(o, memchr(code.p, '\0', code.n) ? NULL :
		    vet_policy_clause(pl->p, vet_buf_str(&pl->m2)));
		if ((d = measure_duty(pl, e, du, nd)) != NULL) {
			rc |= key(o, 0, "due");
			rc |= add_date(o, d->due);
		}
		rc |= key(o, 0, "status");
		rc |= vet_json_add_string(o, d ? status_word[d->status] :
		    "open", d ? strlen(status_word[d->status]) : 4);
		rc |= vet_buf_addch(o, '}');
	}
	rc |= vet_buf_addch(o, ']');
	return rc != 0 ? VET_ENOMEM : 0;
}

/* The station cut: 1 when the veteran is in it. */
static int
in_station(const char *want, struct vet_span s, int have)
{
	if (want == NULL)
		return 1;
	return have == 1 && strlen(want) == s.n && memcmp(want, s.p, s.n) == 0;
}

/* "key":"string" or "key":null. */
static int
str_member(struct vet_buf *o, const char *k, struct vet_span s, int have)
{
	return key(o, 0, k) | str_or_null(o, have == 1 ? s.p : NULL, s.n);
}

/* What a plan says of one veteran, read from its record. */
struct veteran {
	struct vet_audit_duty du[VET_AUDIT_MAX_DUTIES];
	size_t nd, nmeas, ncat;
	struct vet_span id, name, dist, street, comm;
	int hn, hs, hc;		/* name, street, community: 1 when given */
	int64_t prio;
	vet_day last;		/* the last contact, when hl */
	int hl;
};

/*
 * The fields of v a plan reads, and its duties.  The audit (plan_duties)
 * has checked kind, district and categories.  0, VET_EDATA or VET_ENOMEM.
 */
static int
read_veteran(struct vet_plan *pl, const struct vet_record *v,
    struct veteran *w, struct vet_error *err)
{
	int rc;

	if ((rc = vet_record_need_str(v, "id", &pl->b_id, &w->id, err)) < 0 ||
	    (rc = plan_duties(pl, v, w->id, w->du, &w->nd, err)) < 0 ||
	    (rc = vet_record_need_str(v, "district", &pl->b_dist, &w->dist,
	    err)) < 0 ||
	    (rc = str_array(v, "categories", &w->ncat, err)) < 0 ||
	    (rc = str_array(v, "measures", &w->nmeas, err)) < 0)
		return rc;
	rc = vet_record_int(v, "priority", &w->prio);
	if (rc == 0)
		return vet_error_set(err, VET_EDATA, NULL, 0, 0,
		    "missing field 'priority' (classify the records with "
		    "vet-classify first)");
	if (rc < 0)
		return vet_error_set(err, VET_EDATA, NULL, 0, 0,
		    "field 'priority' is not an integer");
	if ((w->hn = vet_record_opt_str(v, "name", &pl->b_name, &w->name,
	    err)) < 0)
		return w->hn;
	if ((w->hs = vet_record_opt_str(v, "street", &pl->b_street,
	    &w->street, err)) < 0)
		return w->hs;
	if ((w->hc = vet_record_opt_str(v, "community", &pl->b_comm,
	    &w->comm, err)) < 0)
		return w->hc;
	w->last = 0;
	if ((rc = vet_record_opt_date(v, "last_contact_date", &pl->t1,
	    &w->last, err)) < 0)
		return rc;
	/* A contact dated after as_of has not happened yet (SPEC 2.3). */
	w->hl = rc == 1 && w->last <= pl->as_of;
	return 0;
}

/* The duties of the plan, as a JSON array. */
static int
write_duties(struct vet_buf *out, const struct veteran *w)
{
	size_t i;
	int rc = 0;

	rc |= vet_buf_addch(out, '[');
	for (i = 0; i < w->nd; i++) {
		rc |= vet_buf_addstr(out, i ? ",{" : "{");
		rc |= key(out, 1, "check");
		rc |= vet_json_add_string(out, w->du[i].check,
		    strlen(w->du[i].check));
		rc |= key(out, 0, "period");
		rc |= vet_json_add_string(out, w->du[i].period,
		    strlen(w->du[i].period));
		rc |= key(out, 0, "due");
		rc |= add_date(out, w->du[i].due);
		rc |= key(out, 0, "status");
		rc |= vet_json_add_string(out, status_word[w->du[i].status],
		    strlen(status_word[w->du[i].status]));
		rc |= vet_buf_addch(out, '}');
	}
	rc |= vet_buf_addch(out, ']');
	return rc;
}

/* The recommendations kept for the veteran, as a JSON array. */
static int
write_recommendations(const struct vet_plan *pl, struct vet_buf *out,
    struct vet_span id)
{
	size_t i, li;
	int rc = 0;

	rc |= vet_buf_addch(out, '[');
	if (vet_strmap_get(&pl->rmap, id.p, id.n, &li))
		for (i = pl->rlists[li].head; i != SIZE_MAX;
		    i = pl->recs[i].next) {
			if (i != pl->rlists[li].head)
				rc |= vet_buf_addch(out, ',');
			rc |= vet_buf_add(out, pl->recs_text.data +
			    pl->recs[i].off, pl->recs[i].len);
		}
	rc |= vet_buf_addch(out, ']');
	return rc;
}

/* The plan of w as one JSON line.  0, or nonzero when out of memory. */
static int
write_plan(struct vet_plan *pl, struct vet_buf *out,
    const struct vet_record *v, const struct veteran *w)
{
	const struct vet_field *cats = vet_record_get(v, "categories");
	int rc = 0;

	rc |= vet_buf_addch(out, '{');
	rc |= key(out, 1, "id");
	rc |= vet_json_add_string(out, w->id.p, w->id.n);
	rc |= str_member(out, "name", w->name, w->hn);
	rc |= str_member(out, "district", w->dist, 1);
	rc |= str_member(out, "street", w->street, w->hs);
	rc |= str_member(out, "community", w->comm, w->hc);
	rc |= key(out, 0, "priority");
	rc |= vet_buf_addf(out, "%lld", (long long)w->prio);
	rc |= key(out, 0, "categories");
	rc |= vet_buf_add(out, cats->val.p, cats->val.n);
	rc |= key(out, 0, "measures");
	if (rc == 0)
		rc |= write_measures(pl, out, v, w->du, w->nd);
	rc |= key(out, 0, "duties");
	rc |= write_duties(out, w);
	rc |= key(out, 0, "last_contact_date");
	rc |= w->hl ? add_date(out, w->last) : vet_buf_addstr(out, "null");
	rc |= key(out, 0, "days_since_contact");
	rc |= w->hl ? vet_buf_addf(out, "%ld", (long)pl->as_of -
	    (long)w->last) : vet_buf_addstr(out, "null");
	rc |= key(out, 0, "recommendations");
	rc |= write_recommendations(pl, out, w->id);
	rc |= vet_buf_addstr(out, "}\n");
	return rc;
}

int
vet_plan_veteran(struct vet_plan *pl, const struct vet_record *v,
    struct vet_buf *out, int *kept, struct vet_error *err)
{
	struct veteran w;
	struct vet_event_facts facts;
	size_t start = out->len;
	int rc;

	*kept = 0;
	if ((rc = read_veteran(pl, v, &w, err)) < 0)
		return rc;
	if (!in_station(pl->street, w.street, w.hs) ||
	    !in_station(pl->community, w.comm, w.hc) ||
	    (w.nmeas == 0 && w.nd == 0))
		return 0;
	/* SPEC 2.3: the log, when it speaks, is the authority. */
	if (vet_event_index_get(pl->facts, w.id.p, w.id.n, &facts) == 1 &&
	    facts.has_contact) {
		w.last = facts.contact;
		w.hl = 1;
	}
	if (write_plan(pl, out, v, &w) != 0) {
		vet_buf_truncate(out, start);
		return vet_error_nomem(err);
	}
	*kept = 1;
	return 0;
}
