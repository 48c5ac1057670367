/*
 * classify_reason.c - the reasons vet-classify writes (classify.h): those
 * that cannot change escaped once at init, the held codes' per record,
 * and SPEC 2.3's `fact:` and `dated:` entries.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vet/classify.h"
#include "vet/json.h"
#include "vet/rule.h"
#include "classify_impl.h"
#include "policy_impl.h"

/*
 * The reasons whose detail cannot change, escaped whole once here:
 * '{"code":..,"clause":..,"detail":".."}' per alternative of each rule
 * whose explanation shows no value of the record (most of them: "self_employed",
 * "employment_status == employed").  The parameters are set, and the
 * other slots are not read for such an explanation.
 */
int
vet_classify__make_reasons(struct vet_classifier *c)
{
	const struct vet_policy *p = c->p;
	struct vet_rule_env env = { &p->syms, c->vals, c->as_of };
	const struct vet_pitem *it;
	struct vet_buf *b = &c->made.text;
	const struct vet_cpiece *head = c->made.code + p->ncats + p->nmeas;
	struct vet_cpiece *pc;
	size_t i, n = p->ncats + p->nmeas, na = 0, off, *first;
	int k, e = 0;

	if ((first = calloc(n + 1, sizeof *first)) == NULL)
		return VET_ENOMEM;
	c->made.alt_first = first;
	for (i = 0; i < n; i++) {
		it = i < p->ncats ? &p->cats[i] : &p->meas[i - p->ncats];
		first[i] = na;
		na += (size_t)vet_rule_nalts(&it->rule);
	}
	first[n] = na;
	if ((c->made.alt = calloc(na + 1, sizeof *c->made.alt)) == NULL)
		return VET_ENOMEM;
	for (i = 0; e == 0 && i < n; i++) {
		it = i < p->ncats ? &p->cats[i] : &p->meas[i - p->ncats];
		for (k = 0; e == 0 &&
		    (size_t)k < first[i + 1] - first[i]; k++) {
			pc = &c->made.alt[first[i] + (size_t)k];
			pc->off = (size_t)-1;
			if (!vet_rule_alt_fixed(&it->rule, k, &p->syms))
				continue;
			vet_buf_reset(&c->detail);
			if ((e = vet_rule_explain_alt(&it->rule, k, &env,
			    &c->detail)) < 0)
				break;
			off = b->len;
			/* Room first: the head is copied from b itself. */
			if ((e = vet_buf_grow(b, head[i].len)) < 0)
				break;
			vet_classify__put(b, b->data + head[i].off,
			    head[i].len);
			if ((e = vet_json_add_string(b, vet_buf_str(&c->detail),
			    c->detail.len)) == 0)
				e = vet_buf_addch(b, '}');
			pc->off = off;
			pc->len = b->len - off;
		}
	}
	return e;
}

/* The lowest set bit of x (not 0). */
static inline size_t
low_bit(uint64_t x)
{
#if defined(__GNUC__)
	return (size_t)__builtin_ctzll(x);
#else
	size_t i = 0;

	while (!(x & 1)) {
		x >>= 1;
		i++;
	}
	return i;
#endif
}

static int add_reason_of(struct vet_classifier *, struct vet_buf *, size_t,
    const struct vet_pitem *, size_t, int *);

/*
 * The reasons of the held codes of items; bits is their set (decide's
 * dcats or dmeas) when there are at most 64, which spares a look at each
 * code that does not hold.
 */
int
vet_classify__add_reasons(struct vet_classifier *c, struct vet_buf *b,
    size_t base, const struct vet_pitem *items, const unsigned char *held,
    size_t n, uint64_t bits, int *first)
{
	size_t i;
	int e;

	if (n <= 64) {
		for (; bits != 0; bits &= bits - 1)
			if ((e = add_reason_of(c, b, base, items,
			    low_bit(bits), first)) < 0)
				return e;
		return 0;
	}
	for (i = 0; i < n; i++)
		if (held[i] && (e = add_reason_of(c, b, base, items, i,
		    first)) < 0)
			return e;
	return 0;
}

/* The reason of item i, which holds. */
static int
add_reason_of(struct vet_classifier *c, struct vet_buf *b, size_t base,
    const struct vet_pitem *items, size_t i, int *first)
{
	struct vet_rule_env env = { &c->p->syms, c->vals, c->as_of };
	const struct vet_cpiece *pc;
	size_t a;
	int e, k;

	a = c->pc.alt_first[base + i];
	k = c->pc.alt_first[base + i + 1] - a > 1 ?
	    vet_rule_alt(&items[i].rule, &env) : 0;
	pc = &c->pc.alt[a + (size_t)k];
	if (pc->off != (size_t)-1) {
		/* The whole reason, escaped at init. */
		if (vet_buf_grow(b, pc->len + 1) < 0)
			return VET_ENOMEM;
		if (!*first)
			vet_classify__put(b, ",", 1);
		*first = 0;
		vet_classify__put(b, c->pc.text + pc->off, pc->len);
		return 0;
	}
	vet_buf_reset(&c->detail);
	if ((e = vet_rule_explain_alt(&items[i].rule, k, &env,
	    &c->detail)) < 0)
		return e;
	pc = &c->pc.head[base + i];
	if (vet_buf_grow(b, pc->len + 1) < 0)
		return VET_ENOMEM;
	if (!*first)
		vet_classify__put(b, ",", 1);
	*first = 0;
	vet_classify__put(b, c->pc.text + pc->off, pc->len);
	if ((e = vet_json_add_string(b, vet_buf_str(&c->detail),
	    c->detail.len)) < 0)
		return e;
	return vet_buf_addch(b, '}');
}

/* "(record: ...)": the record's field as it was, or none. */
static int
add_record_value(struct vet_classifier *c, const char *key)
{
	const struct vet_field *f = vet_record_get(&c->rec, key);
	struct vet_span s;

	if (f == NULL || f->type == VET_JSON_NULL)
		return vet_buf_addstr(&c->detail, " (record: none)");
	if (f->type == VET_JSON_STRING) {
		if (vet_json_string(f->val, &c->ftmp, &s) < 0)
			return VET_ENOMEM;
	} else
		s = f->val;
	return vet_buf_addf(&c->detail, " (record: %.*s)",
	    s.n > 60 ? 60 : (int)s.n, s.p);
}

static int
fact_detail(struct vet_classifier *c, int k)
{
	const struct vet_event_facts *fx = &c->fx;
	struct vet_buf *b = &c->detail;
	char d[11], d2[11];
	int e = 0;

	vet_buf_reset(b);
	switch (k) {
	case VET_FACT_TRAINING:
		e = vet_json_add_number(b, fx->hours);
		if (e == 0)
			e = vet_buf_addf(b, " h from %lu training event%s",
			    fx->ntraining, fx->ntraining == 1 ? "" : "s");
		return e == 0 ? add_record_value(c, "training_hours") : e;
	case VET_FACT_REFUSALS:
		vet_date_format(fx->since, d);
		e = vet_buf_addf(b, "%ld referral%s refused without a valid "
		    "reason%s%s", fx->refusals, fx->refusals == 1 ? "" : "s",
		    fx->has_since ? " after the reentry of " : "",
		    fx->has_since ? d : "");
		return e == 0 ? add_record_value(c, "refusals") : e;
	case VET_FACT_EXITED:
		vet_date_format(fx->exit_day, d);
		e = vet_buf_addf(b, "%s on %s, the latest of %lu exit and "
		    "reentry event%s", fx->exited ? "exit" : "reentry", d,
		    fx->nexit, fx->nexit == 1 ? "" : "s");
		return e == 0 ? add_record_value(c, "exited") : e;
	case VET_FACT_ASSISTED:
		vet_date_format(fx->restart, d);
		e = vet_buf_addf(b, "reentry on %s: assistance starts anew",
		    d);
		return e == 0 ? add_record_value(c, "assisted_since") : e;
	case VET_FACT_CONTACT:
		vet_date_format(fx->contact, d2);
		e = vet_buf_addf(b, "%s, the latest of %lu contact event%s",
		    d2, fx->ncontact, fx->ncontact == 1 ? "" : "s");
		return e == 0 ? add_record_value(c, "last_contact_date") : e;
	}
	return 0;
}

static int
add_reason(struct vet_buf *b, int *first, const char *code, size_t n,
    const char *clause, const struct vet_buf *detail)
{
	int e = 0;

	if (!*first)
		e = vet_buf_addch(b, ',');
	*first = 0;
	if (e == 0)
		e = vet_buf_addstr(b, "{\"code\":");
	if (e == 0)
		e = vet_json_add_string(b, code, n);
	if (e == 0)
		e = vet_buf_addstr(b, ",\"clause\":");
	if (e == 0)
		e = vet_json_add_string(b, clause, strlen(clause));
	if (e == 0)
		e = vet_buf_addstr(b, ",\"detail\":");
	if (e == 0)
		e = vet_json_add_string(b, vet_buf_str(detail), detail->len);
	return e == 0 ? vet_buf_addch(b, '}') : e;
}

/* The record's own reasons entry with this code, as JSON text, or 0. */
static int
kept_reason(const struct vet_classifier *c, const char *code,
    struct vet_span *out)
{
	const struct vet_field *f = vet_record_get(&c->rec, "reasons");
	struct vet_json_iter it, mt;
	struct vet_span el, k, v;

	if (f == NULL || f->type != VET_JSON_ARRAY)
		return 0;
	vet_json_iter_init(&it, f->val);
	while (vet_json_iter_next(&it, NULL, &el)) {
		if (vet_json_type_of(el) != VET_JSON_OBJECT)
			continue;
		vet_json_iter_init(&mt, el);
		while (vet_json_iter_next(&mt, &k, &v))
			if (vet_json_string_eq(k, "code") &&
			    vet_json_type_of(v) == VET_JSON_STRING &&
			    vet_json_string_eq(v, code)) {
				*out = el;
				return 1;
			}
	}
	return 0;
}

/*
 * One `fact:` entry per fact the log changed; a fact it speaks for and
 * the record already holds keeps the record's entry, if any.  Then one
 * `dated:` entry per fact not yet true on as_of.
 */
int
vet_classify__add_time_reasons(struct vet_classifier *c, struct vet_buf *b,
    int *first)
{
	const struct vet_policy *p = c->p;
	const struct vet_event_facts *fx = &c->fx;
	const int spoke[VET_FACT_N] = { fx->has_hours, fx->has_refusals,
		fx->has_exit, fx->has_restart, fx->has_contact };
	struct vet_span kept;
	const char *d2 = c->as_of_str;
	char code[64], d[11];
	size_t i;
	int k, e = 0, n;

	for (k = 0; e == 0 && k < VET_FACT_N; k++) {
		if (!spoke[k])
			continue;
		n = snprintf(code, sizeof code, "fact:%s",
		    vet_classify__fact_fields[vet_classify__fact_field[k]]);
		if (!c->changed[k]) {
			if (kept_reason(c, code, &kept)) {
				if (!*first)
					e = vet_buf_addch(b, ',');
				*first = 0;
				if (e == 0)
					e = vet_buf_add(b, kept.p, kept.n);
			}
			continue;
		}
		if ((e = fact_detail(c, k)) == 0)
			e = add_reason(b, first, code, (size_t)n,
			    p->facts[k].clause, &c->detail);
	}
	for (i = 0; e == 0 && i < p->ndated; i++) {
		if (!c->dated[i])
			continue;
		/* The log said what the fact was on as_of. */
		if ((fx->has_exit && p->dated[i].fact_sym ==
		    c->fsym[F_EXITED]) || (fx->has_restart &&
		    p->dated[i].fact_sym == c->fsym[F_ASSISTED]))
			continue;
		n = snprintf(code, sizeof code, "dated:%s",
		    p->dated[i].fact);
		vet_date_format(c->dated_day[i], d);
		vet_buf_reset(&c->detail);
		if ((e = vet_buf_addf(&c->detail, "%s %s is after %s: %s not "
		    "yet true on %s", p->dated[i].date, d, d2,
		    p->dated[i].fact, d2)) == 0)
			e = add_reason(b, first, code, (size_t)n, "",
			    &c->detail);
	}
	return e;
}
