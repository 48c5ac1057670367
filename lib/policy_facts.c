/*
 * policy_facts.c - the sections of a policy file that speak of the event
 * log (SPEC 2.3): dated:, facts: and contradictions: (vet-policy(5)).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vet/event.h"
#include "vet/schema.h"
#include "policy_impl.h"
#include "policy_load.h"

/*
 * dated: FACT: DATE_FIELD (SPEC 2.3).  Both must be record fields; the
 * date field a date.  The date is read for every record, so it joins the
 * keys the classifier looks up even when no rule names it.
 */
int
load_dated(struct loader *L, ynode *n)
{
	struct vet_policy *p = L->p;
	struct vet_pdated *d;
	const char *date;
	size_t i;
	int k, e;

	if (n->kind != VET_YAML_MAP)
		return YERR(L, n, "dated must be a mapping");
	if ((p->dated = xcalloc(n->n, sizeof *p->dated)) == NULL)
		return nomem(L);
	for (i = 0; i < n->n; i++) {
		d = &p->dated[i];
		d->fact = n->keys[i]->str;
		k = vet_rule_symtab_find(&p->syms, d->fact, strlen(d->fact));
		if (k < 0 || p->syms.syms[k].kind != VET_RSYM_FIELD ||
		    !(p->syms.syms[k].scopes & ~VET_SCOPE_LINK) ||
		    k == p->s_id)
			return YERR(L, n->keys[i], "unknown field '%s'",
			    d->fact);
		d->fact_sym = k;
		if ((e = get_str(L, n->items[i], "dated field", &date)) < 0)
			return e;
		k = vet_rule_symtab_find(&p->syms, date, strlen(date));
		if (k < 0 || p->syms.syms[k].kind != VET_RSYM_FIELD ||
		    p->syms.syms[k].type != VET_RT_DATE)
			return YERR(L, n->items[i], "'%s' is not a date field "
			    "of the record", date);
		d->date = date;
		d->date_sym = k;
		p->syms.syms[k].used = 1;
		p->syms.syms[d->fact_sym].used = 1;
		p->ndated++;
	}
	return 0;
}

/* {field: value, ...}: the event fields and the strings they must be. */
static int
load_matches(struct loader *L, ynode *n, const char *what,
    struct vet_pmatch **out, size_t *nout)
{
	size_t i;
	int e;

	if (n->kind != VET_YAML_MAP)
		return YERR(L, n, "%s must be a mapping of event fields to "
		    "values", what);
	if ((*out = xcalloc(n->n, sizeof **out)) == NULL)
		return nomem(L);
	for (i = 0; i < n->n; i++) {
		(*out)[i].field = n->keys[i]->str;
		if (!vet_yaml_is_name((*out)[i].field))
			return YERR(L, n->keys[i], "event field '%s' must be "
			    "snake_case", (*out)[i].field);
		if ((e = get_str(L, n->items[i], what, &(*out)[i].value)) < 0)
			return e;
	}
	*nout = n->n;
	return 0;
}

/* An event type about a veteran (the facts are per veteran). */
static int
get_event_type(struct loader *L, ynode *n, const char *what, int *out)
{
	const char *s;
	int e, t;

	if ((e = get_str(L, n, what, &s)) < 0)
		return e;
	t = vet_event_type_parse(s, strlen(s));
	if (t < 0 || !vet_event_type_has_id((enum vet_event_type)t))
		return YERR(L, n, "'%s' is not an event type about a veteran "
		    "(contact, training, referral, exit, reentry)", s);
	*out = t;
	return 0;
}

static int
get_event_field(struct loader *L, ynode *n, const char *what,
    const char **out)
{
	int e;

	if ((e = get_str(L, n, what, out)) < 0)
		return e;
	if (!vet_yaml_is_name(*out))
		return YERR(L, n, "event field '%s' must be snake_case", *out);
	return 0;
}

/*
 * facts: what the event log is the authority for (SPEC 2.3).  Each fact
 * has its own keys, since each is derived in its own way.
 */
int
load_facts(struct loader *L, ynode *n)
{
	static const char *const names[VET_FACT_N] = { "training_hours",
		"refusals", "exited", "assisted_since", "last_contact_date" };
	static const char *const k_training[] = { "clause", "events",
		"where", "sum", NULL };
	static const char *const k_refusals[] = { "clause", "events",
		"where", "count", "unless", "since", NULL };
	static const char *const k_exited[] = { "clause", "events", "where",
		"cleared_by", "reason", NULL };
	static const char *const k_plain[] = { "clause", "events", "where",
		NULL };
	static const char *const *const keys[VET_FACT_N] = { k_training,
		k_refusals, k_exited, k_plain, k_plain };
	struct vet_policy *p = L->p;
	struct vet_pfact *f;
	ynode *fn, *v;
	size_t i;
	int k, e;

	if (n->kind != VET_YAML_MAP)
		return YERR(L, n, "facts must be a mapping");
	for (i = 0; i < n->n; i++) {
		for (k = 0; k < VET_FACT_N; k++)
			if (strcmp(names[k], n->keys[i]->str) == 0)
				break;
		if (k == VET_FACT_N)
			return YERR(L, n->keys[i], "unknown fact '%s' (the "
			    "log feeds training_hours, refusals, exited, "
			    "assisted_since, last_contact_date)",
			    n->keys[i]->str);
		f = &p->facts[k];
		fn = n->items[i];
		f->since = f->cleared_by = -1;
		f->clause = "";
		if ((e = check_keys(L, fn, names[k], keys[k])) < 0 ||
		    (e = member(L, fn, "events", 1, &v)) < 0 ||
		    (e = get_event_type(L, v, "events", &f->type)) < 0)
			return e;
		if ((v = vet_yaml_get(fn, "clause")) != NULL &&
		    (e = get_str(L, v, "clause", &f->clause)) < 0)
			return e;
		if ((v = vet_yaml_get(fn, "where")) != NULL &&
		    (e = load_matches(L, v, "where", &f->where,
		    &f->nwhere)) < 0)
			return e;
		if ((v = vet_yaml_get(fn, "count")) != NULL &&
		    (e = load_matches(L, v, "count", &f->count,
		    &f->ncount)) < 0)
			return e;
		if (k == VET_FACT_TRAINING &&
		    ((e = member(L, fn, "sum", 1, &v)) < 0 ||
		    (e = get_event_field(L, v, "sum", &f->sum)) < 0))
			return e;
		if ((v = vet_yaml_get(fn, "unless")) != NULL &&
		    (e = get_event_field(L, v, "unless", &f->unless)) < 0)
			return e;
		if ((v = vet_yaml_get(fn, "reason")) != NULL &&
		    (e = get_event_field(L, v, "reason", &f->reason)) < 0)
			return e;
		if ((v = vet_yaml_get(fn, "since")) != NULL &&
		    (e = get_event_type(L, v, "since", &f->since)) < 0)
			return e;
		if ((v = vet_yaml_get(fn, "cleared_by")) != NULL &&
		    (e = get_event_type(L, v, "cleared_by",
		    &f->cleared_by)) < 0)
			return e;
		f->on = 1;
	}
	return 0;
}

/*
 * One side of a contradiction, `{field: [values]}`: a record field and
 * values it can hold (codes of an enum, true or false of a bool).
 */
static int
load_contra_side(struct loader *L, ynode *n, const char *what,
    const char **field, const char ***vals, size_t *nvals)
{
	const struct vet_schema_field *f;
	ynode *list, *it;
	size_t i;
	int e;

	if (n->kind != VET_YAML_MAP || n->n != 1)
		return YERR(L, n, "%s must be a mapping of one field to its "
		    "values", what);
	*field = n->keys[0]->str;
	if ((f = vet_schema_field(VET_KIND_VETERAN, *field)) == NULL ||
	    strcmp(*field, "id") == 0)
		return YERR(L, n->keys[0], "unknown field '%s'", *field);
	list = n->items[0];
	if ((e = get_seq(L, list, "values")) < 0)
		return e;
	if (list->n == 0)
		return YERR(L, list, "values must not be empty");
	if ((*vals = xcalloc(list->n, sizeof **vals)) == NULL)
		return nomem(L);
	for (i = 0; i < list->n; i++) {
		it = list->items[i];
		if ((e = get_str(L, it, "value", &(*vals)[i])) < 0)
			return e;
		if (f->type == VET_FT_BOOL ? strcmp(it->str, "true") != 0 &&
		    strcmp(it->str, "false") != 0 : f->codes != NULL &&
		    vet_schema_code_index(f, it->str, strlen(it->str)) < 0)
			return YERR(L, it, "'%s' is not a value of field '%s'",
			    it->str, *field);
		(*nvals)++;
	}
	return 0;
}

int
load_contradictions(struct loader *L, ynode *n)
{
	static const char *const keys[] = { "ledger", "extract", "hint",
		NULL };
	struct vet_policy *p = L->p;
	struct vet_policy_contradiction *c;
	ynode *it, *v;
	size_t i;
	int e;

	if ((e = get_seq(L, n, "contradictions")) < 0)
		return e;
	if ((p->contra = xcalloc(n->n, sizeof *p->contra)) == NULL)
		return nomem(L);
	for (i = 0; i < n->n; i++) {
		it = n->items[i];
		c = &p->contra[i];
		p->ncontra++;
		if ((e = check_keys(L, it, "a contradiction", keys)) < 0 ||
		    (e = member(L, it, "ledger", 1, &v)) < 0 ||
		    (e = load_contra_side(L, v, "ledger", &c->ledger,
		    &c->ledger_values, &c->nledger)) < 0 ||
		    (e = member(L, it, "extract", 1, &v)) < 0 ||
		    (e = load_contra_side(L, v, "extract", &c->extract,
		    &c->extract_values, &c->nextract)) < 0 ||
		    (e = member(L, it, "hint", 1, &v)) < 0 ||
		    (e = get_str(L, v, "hint", &c->hint)) < 0)
			return e;
	}
	return 0;
}

/* A YAML node of a test record as JSON: quoted scalars are strings; plain
 * ones are null, booleans, numbers when they look like one, else strings. */
