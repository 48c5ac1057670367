/*
 * event_index.c - the facts of SPEC 2.3 per veteran, from the event log
 * (event.h).
 *
 * The log is read once, before the veterans, and reduced as it goes: per
 * id a fixed entry of counters, sums and latest dates; the one fact that
 * cannot be reduced in any order, the refusals counted after the latest
 * reentry, keeps the date of each counted referral in a shared pool (a
 * list per id), since a later line may bring an earlier reentry.  An id
 * is looked up once per veteran; the facts are finished then.
 */
#include <stdlib.h>
#include <string.h>

#include "vet/event.h"
#include "vet/hash.h"
#include "vet/id.h"
#include "policy_impl.h"

/* Per id.  Dates are valid when the count beside them is not 0. */
struct entry {
	uint32_t nev;		/* events with this id */
	uint32_t nfeed;		/* of them, those that fed a fact */
	uint32_t ntrain;	/* events feeding training_hours */
	uint32_t nref;		/* events feeding refusals */
	uint32_t nsince;	/* refusals' `since` events */
	uint32_t nstate;	/* exit / reentry events */
	uint32_t nrestart;	/* assisted_since's events */
	uint32_t ncontact;	/* last_contact_date's events */
	uint32_t refusals;	/* head of the dates counted, pool index + 1 */
	uint32_t reason_len;
	size_t reason_off;	/* exit_reason's JSON text in the pool */
	double hours;
	vet_day since, state_day, restart, contact;
	unsigned char state_set;	/* the latest state event sets it */
	unsigned char has_reason;
	unsigned char matched;
};

struct dated {
	vet_day day;
	uint32_t next;		/* pool index + 1, or 0 */
};

struct vet_event_index {
	const struct vet_policy *p;
	vet_day as_of;
	struct vet_strmap ids;
	struct entry *e;
	size_t n, cap;
	struct dated *pool;
	size_t npool, cappool;
	struct vet_buf reasons;
	struct vet_buf tmp;
	struct vet_event_reader rd;
	unsigned long long nadded;
};

static int
nomem(struct vet_error *err)
{
	return vet_error_set(err, VET_ENOMEM, NULL, 0, 0, "out of memory");
}

int
vet_event_index_new(struct vet_event_index **xp, const struct vet_policy *p,
    vet_day as_of, struct vet_error *err)
{
	struct vet_event_index *x;

	if ((*xp = x = calloc(1, sizeof *x)) == NULL)
		return nomem(err);
	x->p = p;
	x->as_of = as_of;
	vet_strmap_init(&x->ids);
	if (vet_event_reader_init(&x->rd, p, err) < 0) {
		free(x);
		*xp = NULL;
		return VET_ENOMEM;
	}
	return 0;
}

void
vet_event_index_free(struct vet_event_index *x)
{
	if (x == NULL)
		return;
	vet_strmap_release(&x->ids);
	free(x->e);
	free(x->pool);
	vet_buf_release(&x->reasons);
	vet_buf_release(&x->tmp);
	vet_event_reader_release(&x->rd);
	free(x);
}

int
vet_event_index_add_record(struct vet_event_index *x,
    const struct vet_record *rec, struct vet_error *err)
{
	struct vet_event ev;
	int rc;

	if ((rc = vet_event_read(&x->rd, rec, &ev, err)) < 0)
		return rc;
	return vet_event_index_add(x, &ev, err);
}

/* The entry of id, added when new; NULL when out of memory. */
static struct entry *
entry_of(struct vet_event_index *x, const char *id)
{
	struct entry *ne;
	size_t i;
	int rc;

	if (x->n == x->cap) {
		size_t cap = x->cap ? x->cap * 2 : 1024;

		if ((ne = realloc(x->e, cap * sizeof *ne)) == NULL)
			return NULL;
		x->e = ne;
		x->cap = cap;
	}
	if ((rc = vet_strmap_put(&x->ids, id, 18, x->n, &i)) < 0)
		return NULL;
	if (rc == 1) {
		i = x->n++;
		memset(&x->e[i], 0, sizeof x->e[i]);
	}
	return &x->e[i];
}

/* True when field m->field of the event is the string m->value. */
static int
matches(struct vet_event_index *x, const struct vet_record *r,
    const struct vet_pmatch *m, size_t n)
{
	struct vet_span s;
	size_t i;

	for (i = 0; i < n; i++)
		if (vet_record_str(r, m[i].field, &x->tmp, &s) != 1 ||
		    strlen(m[i].value) != s.n ||
		    memcmp(m[i].value, s.p, s.n) != 0)
			return 0;
	return 1;
}

static int
add_dated(struct vet_event_index *x, struct entry *e, vet_day day)
{
	struct dated *np;

	if (x->npool == x->cappool) {
		size_t cap = x->cappool ? x->cappool * 2 : 1024;

		if ((np = realloc(x->pool, cap * sizeof *np)) == NULL)
			return VET_ENOMEM;
		x->pool = np;
		x->cappool = cap;
	}
	x->pool[x->npool].day = day;
	x->pool[x->npool].next = e->refusals;
	e->refusals = (uint32_t)++x->npool;
	return 0;
}

/* Is this event the latest of its kind: later in date, or the same date
 * and later in the log (the log is read in order, so the line order
 * breaks ties: an exit and a reentry on one day, the later line wins). */
static int
later(vet_day day, vet_day than, uint32_t count)
{
	return count == 0 || day >= than;
}

int
vet_event_index_add(struct vet_event_index *x, const struct vet_event *ev,
    struct vet_error *err)
{
	const struct vet_policy *p = x->p;
	const struct vet_pfact *f;
	const struct vet_field *fl;
	struct entry *e;
	double v;
	int fed = 0, b;

	x->nadded++;
	if (ev->id[0] == '\0')
		return 0;
	/* A sum field the policy names must be a number where it feeds. */
	f = &p->facts[VET_FACT_TRAINING];
	v = 0;
	if (f->on && (int)ev->type == f->type && matches(x, ev->rec, f->where,
	    f->nwhere)) {
		fl = vet_record_get(ev->rec, f->sum);
		if (fl != NULL && fl->type != VET_JSON_NULL &&
		    (fl->type != VET_JSON_NUMBER ||
		    vet_json_number(fl->val, &v) != 0))
			return vet_error_set(err, VET_EDATA, NULL, 0, 0,
			    "field '%s' is not a number", f->sum);
	}
	if ((e = entry_of(x, ev->id)) == NULL)
		return nomem(err);
	e->nev++;
	if (ev->date > x->as_of)
		return 0;

	if (f->on && (int)ev->type == f->type && matches(x, ev->rec, f->where,
	    f->nwhere)) {
		e->ntrain++;
		e->hours += v;
		fed = 1;
	}
	f = &p->facts[VET_FACT_REFUSALS];
	if (f->on && (int)ev->type == f->type && matches(x, ev->rec, f->where,
	    f->nwhere)) {
		e->nref++;
		fed = 1;
		if (matches(x, ev->rec, f->count, f->ncount) &&
		    !(f->unless != NULL && vet_record_bool(ev->rec, f->unless,
		    &b) == 1 && b) && add_dated(x, e, ev->date) < 0)
			return nomem(err);
	}
	if (f->on && f->since >= 0 && (int)ev->type == f->since) {
		if (later(ev->date, e->since, e->nsince))
			e->since = ev->date;
		e->nsince++;
		fed = 1;
	}
	f = &p->facts[VET_FACT_EXITED];
	if (f->on && ((int)ev->type == f->type || (int)ev->type ==
	    f->cleared_by) && matches(x, ev->rec, f->where, f->nwhere)) {
		if (later(ev->date, e->state_day, e->nstate)) {
			struct vet_span s;

			e->state_day = ev->date;
			e->state_set = (int)ev->type == f->type;
			e->has_reason = 0;
			fl = f->reason != NULL ? vet_record_get(ev->rec,
			    f->reason) : NULL;
			if (e->state_set && fl != NULL &&
			    fl->type == VET_JSON_STRING &&
			    vet_json_string(fl->val, &x->tmp, &s) == 0 &&
			    s.n > 0) {
				/* Kept as JSON text, written as it came. */
				e->reason_off = x->reasons.len;
				e->reason_len = (uint32_t)fl->val.n;
				e->has_reason = 1;
				if (vet_buf_add(&x->reasons, fl->val.p,
				    fl->val.n) < 0)
					return nomem(err);
			}
		}
		e->nstate++;
		fed = 1;
	}
	f = &p->facts[VET_FACT_ASSISTED];
	if (f->on && (int)ev->type == f->type && matches(x, ev->rec, f->where,
	    f->nwhere)) {
		if (later(ev->date, e->restart, e->nrestart))
			e->restart = ev->date;
		e->nrestart++;
		fed = 1;
	}
	f = &p->facts[VET_FACT_CONTACT];
	if (f->on && (int)ev->type == f->type && matches(x, ev->rec, f->where,
	    f->nwhere)) {
		if (later(ev->date, e->contact, e->ncontact))
			e->contact = ev->date;
		e->ncontact++;
		fed = 1;
	}
	e->nfeed += fed;
	return 0;
}

int
vet_event_index_get(struct vet_event_index *x, const char *id, size_t n,
    struct vet_event_facts *out)
{
	const struct entry *ce;
	struct entry *e;
	const struct dated *d;
	char norm[19];
	size_t i;
	uint32_t k;

	memset(out, 0, sizeof *out);
	if (!(n == 18 && vet_strmap_get(&x->ids, id, n, &i))) {
		if (vet_id_normalize(id, n, INT32_MAX, norm, NULL, NULL) < 0 ||
		    !vet_strmap_get(&x->ids, norm, 18, &i))
			return 0;
	}
	e = &x->e[i];
	e->matched = 1;
	ce = e;
	if (ce->ntrain > 0) {
		out->has_hours = 1;
		out->hours = ce->hours;
		out->ntraining = ce->ntrain;
	}
	if (ce->nsince > 0) {
		out->has_since = 1;
		out->since = ce->since;
	}
	if (ce->nref > 0) {
		out->has_refusals = 1;
		for (k = ce->refusals; k != 0; k = d->next) {
			d = &x->pool[k - 1];
			if (!out->has_since || d->day > out->since)
				out->refusals++;
		}
	}
	if (ce->nstate > 0) {
		out->has_exit = 1;
		out->exited = ce->state_set;
		out->exit_day = ce->state_day;
		out->nexit = ce->nstate;
		if (ce->has_reason) {
			out->reason = x->reasons.data + ce->reason_off;
			out->reason_len = ce->reason_len;
		}
	}
	if (ce->nrestart > 0) {
		out->has_restart = 1;
		out->restart = ce->restart;
	}
	if (ce->ncontact > 0) {
		out->has_contact = 1;
		out->contact = ce->contact;
		out->ncontact = ce->ncontact;
	}
	return 1;
}

void
vet_event_index_stats(const struct vet_event_index *x,
    unsigned long long *used, unsigned long long *unmatched,
    unsigned long long *other)
{
	size_t i;

	*used = *unmatched = 0;
	for (i = 0; i < x->n; i++)
		if (x->e[i].matched)
			*used += x->e[i].nfeed;
		else
			*unmatched += x->e[i].nev;
	*other = x->nadded - *used - *unmatched;
}

size_t
vet_event_index_bytes(const struct vet_event_index *x)
{
	return sizeof *x + x->cap * sizeof *x->e + x->cappool *
	    sizeof *x->pool + x->reasons.cap + x->ids.cap *
	    sizeof *x->ids.slots + x->ids.kcap;
}
