/*
 * policy_query.c - the accessors of policy.h: what a loaded policy says,
 * and freeing it.  policy.c loads; policy_district.c resolves districts.
 */
#include <stdlib.h>
#include <string.h>

#include "vet/event.h"
#include "policy_impl.h"

static void
free_items(struct vet_pitem *it, size_t n)
{
	size_t i;

	for (i = 0; it != NULL && i < n; i++)
		if (it[i].has_rule)
			vet_rule_release(&it[i].rule);
	for (i = 0; it != NULL && i < n; i++)
		if (it[i].has_delivered)
			vet_rule_release(&it[i].delivered);
	free(it);
}

void
vet_policy_free(struct vet_policy *p)
{
	size_t i;

	if (p == NULL || p->builtin)
		return;
	for (i = 0; i < p->ncontra; i++) {
		free(p->contra[i].ledger_values);
		free(p->contra[i].extract_values);
	}
	free(p->contra);
	free(p->districts);
	free(p->prefixes);
	free(p->alias_from);
	free(p->alias_to);
	for (i = 0; i < p->ngroups; i++)
		vet_rule_release(&p->groups[i].when);
	free(p->groups);
	for (i = 0; i < p->nparams; i++)
		free(p->params[i].v);
	free(p->params);
	free(p->defaults);
	/* Items whose rule failed to compile have has_rule 0. */
	free_items(p->cats, p->ncats);
	free_items(p->meas, p->nmeas);
	free_items(p->links, p->nlinks);
	free_items(p->checks, p->nchecks);
	for (i = 0; i < p->nprio; i++)
		vet_rule_release(&p->prio[i].rule);
	free(p->prio);
	for (i = 0; i < p->nauth; i++)
		free(p->auth[i].fields);
	free(p->auth);
	vet_policy__free_tests(p->tests, p->ntests);
	for (i = 0; i < VET_FACT_N; i++) {
		free(p->facts[i].where);
		free(p->facts[i].count);
	}
	free(p->dated);
	free(p->fields);
	free(p->keys);
	vet_rule_symtab_release(&p->syms);
	vet_yaml_release(&p->doc);
	free(p);
}

/* Accessors. */

const char *
vet_policy_id(const struct vet_policy *p)
{
	return p->id;
}

const char *
vet_policy_title(const struct vet_policy *p)
{
	return p->title;
}

vet_day
vet_policy_effective(const struct vet_policy *p)
{
	return p->effective;
}

const char *
vet_policy_file(const struct vet_policy *p)
{
	return p->file;
}

size_t
vet_policy_ncategories(const struct vet_policy *p)
{
	return p->ncats;
}

const char *
vet_policy_category(const struct vet_policy *p, size_t i)
{
	return i < p->ncats ? p->cats[i].code : NULL;
}

int
vet_policy_category_priority(const struct vet_policy *p, size_t i)
{
	return i < p->ncats ? p->cats[i].priority : -1;
}

size_t
vet_policy_nmeasures(const struct vet_policy *p)
{
	return p->nmeas;
}

const char *
vet_policy_measure(const struct vet_policy *p, size_t i)
{
	return i < p->nmeas ? p->meas[i].code : NULL;
}

size_t
vet_policy_nlinks(const struct vet_policy *p)
{
	return p->nlinks;
}

const char *
vet_policy_link(const struct vet_policy *p, size_t i)
{
	return i < p->nlinks ? p->links[i].code : NULL;
}

size_t
vet_policy_nchecks(const struct vet_policy *p)
{
	return p->nchecks;
}

const char *
vet_policy_check(const struct vet_policy *p, size_t i)
{
	return i < p->nchecks ? p->checks[i].code : NULL;
}

static const struct vet_pitem *find_check(const struct vet_policy *,
    const char *);

static const struct vet_pitem *
find_item(const struct vet_policy *p, const char *code)
{
	const struct vet_pitem *lists[] = { p->cats, p->meas, p->links,
		p->checks };
	size_t counts[] = { p->ncats, p->nmeas, p->nlinks, p->nchecks };
	size_t i, j;

	if (code == NULL)
		return NULL;
	/* The first byte first: a report or a sheet asks for every label,
	 * and most codes differ there. */
	for (i = 0; i < 4; i++)
		for (j = 0; j < counts[i]; j++)
			if (lists[i][j].code[0] == code[0] &&
			    strcmp(lists[i][j].code, code) == 0)
				return &lists[i][j];
	return NULL;
}

const char *
vet_policy_label(const struct vet_policy *p, const char *code,
    const char *lang)
{
	const struct vet_pitem *it = find_item(p, code);
	size_t i;

	if (it != NULL)
		return lang != NULL && strcmp(lang, "en") == 0 ? it->en : it->zh;
	for (i = 0; code != NULL && i < p->nparams; i++)
		if (strcmp(p->params[i].name, code) == 0)
			return lang != NULL && strcmp(lang, "en") == 0 ?
			    p->params[i].en : p->params[i].zh;
	return NULL;
}

const char *
vet_policy_check_label(const struct vet_policy *p, const char *code,
    const char *lang)
{
	const struct vet_pitem *it = find_check(p, code);

	if (it == NULL)
		return NULL;
	return lang != NULL && strcmp(lang, "en") == 0 ? it->en : it->zh;
}

const char *
vet_policy_clause(const struct vet_policy *p, const char *code)
{
	const struct vet_pitem *it = find_item(p, code);

	return it != NULL ? it->clause : NULL;
}

static const struct vet_pitem *
find_check(const struct vet_policy *p, const char *code)
{
	size_t i;

	for (i = 0; code != NULL && i < p->nchecks; i++)
		if (strcmp(p->checks[i].code, code) == 0)
			return &p->checks[i];
	return NULL;
}

const char *
vet_policy_check_severity(const struct vet_policy *p, const char *code)
{
	const struct vet_pitem *it = find_check(p, code);

	return it != NULL ? it->severity : NULL;
}

const char *
vet_policy_check_clause(const struct vet_policy *p, const char *code)
{
	const struct vet_pitem *it = find_check(p, code);

	return it != NULL ? it->clause : NULL;
}

size_t
vet_policy_ncontradictions(const struct vet_policy *p)
{
	return p->ncontra;
}

const struct vet_policy_contradiction *
vet_policy_contradiction(const struct vet_policy *p, size_t i)
{
	return i < p->ncontra ? &p->contra[i] : NULL;
}

int
vet_policy_is_authority(const struct vet_policy *p, const char *source,
    const char *field, size_t n)
{
	const char *f;
	size_t i, j;

	if (n == 0)
		return 0;	/* no field is named "" */
	for (i = 0; i < p->nauth; i++) {
		if (strcmp(p->auth[i].source, source) != 0)
			continue;
		/* The first byte first: most keys are not the field. */
		for (j = 0; j < p->auth[i].n; j++) {
			f = p->auth[i].fields[j];
			if (f[0] == field[0] && strlen(f) == n &&
			    memcmp(f, field, n) == 0)
				return 1;
		}
	}
	return 0;
}

static const struct vet_pvalue *
value_on(const struct vet_pparam *pp, vet_day as_of)
{
	const struct vet_pvalue *best = NULL;
	size_t i;

	for (i = 0; i < pp->n; i++)
		if (pp->v[i].from <= as_of)
			best = &pp->v[i];
	return best;
}

int
vet_policy_param(const struct vet_policy *p, const char *name,
    vet_day as_of, double *out)
{
	const struct vet_pvalue *v;
	size_t i;

	for (i = 0; i < p->nparams; i++) {
		if (strcmp(p->params[i].name, name) != 0)
			continue;
		if ((v = value_on(&p->params[i], as_of)) == NULL)
			return 0;
		*out = v->value;
		return 1;
	}
	return 0;
}

int
vet_policy_set_params(const struct vet_policy *p, vet_day as_of,
    struct vet_rval *vals, struct vet_error *err)
{
	const struct vet_pvalue *v;
	const struct vet_pparam *pp;
	char d[11], first[11];
	size_t i;

	for (i = 0; i < p->nparams; i++) {
		pp = &p->params[i];
		memset(&vals[pp->sym], 0, sizeof vals[pp->sym]);
		vals[pp->sym].type = VET_RT_NUM;
		if ((v = value_on(pp, as_of)) == NULL) {
			if (!p->syms.syms[pp->sym].used)
				continue;
			vet_date_format(as_of, d);
			vet_date_format(pp->v[0].from, first);
			return vet_error_set(err, VET_ECONFIG, p->file,
			    pp->v[0].line, pp->v[0].col,
			    "parameter '%s' has no value in force on %s "
			    "(its first is from %s)", pp->name, d, first);
		}
		vals[pp->sym].known = 1;
		vals[pp->sym].num = v->value;
	}
	return 0;
}
