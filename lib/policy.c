/*
 * policy.c - loading a policy file (vet-policy(5)) strictly (policy.h);
 * policy_query.c answers what it says, policy_district.c its districts.
 *
 * The YAML tree (yaml.h) stays alive inside the policy: every string of
 * the policy points into it, so the loader copies nothing but arrays.
 * Every map is checked against its list of known keys, every scalar
 * against its type, and every rule is compiled against the symbol table,
 * so that a mistake is refused here with its file, line and column and not
 * at the first record that reaches it.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vet/event.h"
#include "vet/hash.h"
#include "vet/schema.h"
#include "policy_impl.h"
#include "policy_load.h"

/*
 * The fields a rule may name: the veteran record of SPEC 2.1 (schema.h),
 * which is the toolkit's API and not policy, and the classified fields a
 * chain link reads.
 */
static const struct {
	const char *name;
	enum vet_rtype type;
} link_fields[] = {
	{ "categories", VET_RT_STRS },
	{ "measures", VET_RT_STRS },
	{ "priority", VET_RT_NUM },
};

#define DERIVED_SCOPES (VET_SCOPE_CAT | VET_SCOPE_MEAS | VET_SCOPE_PRIO | \
	VET_SCOPE_LINK)


int
check_keys(struct loader *L, ynode *map, const char *what,
    const char *const *allowed)
{
	const char *const *a;
	size_t i;

	if (map == NULL || map->kind != VET_YAML_MAP)
		return YERR(L, map, "%s must be a mapping", what);
	for (i = 0; i < map->n; i++) {
		for (a = allowed; *a != NULL; a++)
			if (strcmp(*a, map->keys[i]->str) == 0)
				break;
		if (*a == NULL)
			return YERR(L, map->keys[i], "unknown key '%s' in %s",
			    map->keys[i]->str, what);
	}
	return 0;
}

/* A required or optional member of a map.  Errors point at the map. */
int
member(struct loader *L, ynode *map, const char *key, int required,
    ynode **out)
{
	*out = vet_yaml_get(map, key);
	if (*out == NULL && required)
		return YERR(L, map, "missing key '%s'", key);
	return 0;
}

int
get_str(struct loader *L, ynode *n, const char *what, const char **out)
{
	if (n->kind != VET_YAML_SCALAR)
		return YERR(L, n, "%s must be a string", what);
	if (memchr(n->str, '\0', n->len) != NULL)
		return YERR(L, n, "%s holds a NUL byte", what);
	*out = n->str;
	return 0;
}

static int
get_code(struct loader *L, ynode *n, const char *what, const char **out)
{
	int e;

	if ((e = get_str(L, n, what, out)) < 0)
		return e;
	if (!vet_yaml_is_name(*out))
		return YERR(L, n, "%s '%s' must be snake_case ([a-z][a-z0-9_]*)",
		    what, *out);
	return 0;
}

static int
plain(ynode *n)
{
	return n->kind == VET_YAML_SCALAR && !n->quoted;
}

static int
get_num(struct loader *L, ynode *n, const char *what, double *out)
{
	char *end;

	if (!plain(n) || n->len == 0)
		return YERR(L, n, "%s must be a number", what);
	errno = 0;
	*out = strtod(n->str, &end);
	if (*end != '\0' || errno != 0 || !isfinite(*out) ||
	    !(isdigit((unsigned char)n->str[0]) || n->str[0] == '-'))
		return YERR(L, n, "%s must be a number, not '%s'", what,
		    n->str);
	return 0;
}

int
get_int(struct loader *L, ynode *n, const char *what, long lo, long hi,
    int *out)
{
	double d;
	int e;

	if ((e = get_num(L, n, what, &d)) < 0)
		return e;
	if (d != floor(d) || d < lo || d > hi)
		return YERR(L, n, "%s must be a whole number from %ld to %ld",
		    what, lo, hi);
	*out = (int)d;
	return 0;
}

int
get_bool(struct loader *L, ynode *n, const char *what, int *out)
{
	if (plain(n) && strcmp(n->str, "true") == 0)
		*out = 1;
	else if (plain(n) && strcmp(n->str, "false") == 0)
		*out = 0;
	else
		return YERR(L, n, "%s must be true or false", what);
	return 0;
}

int
get_date(struct loader *L, ynode *n, const char *what, vet_day *out)
{
	if (n->kind != VET_YAML_SCALAR || n->len != 10 ||
	    n->str[4] != '-' || n->str[7] != '-')
		return YERR(L, n, "%s must be a date YYYY-MM-DD", what);
	if (vet_date_parse(n->str, n->len, out) != 0)
		return YERR(L, n, "impossible date '%s'", n->str);
	return 0;
}

/* A birth month "YYYY-MM" as y * 12 + m - 1. */
static int
get_month(struct loader *L, ynode *n, const char *what, int *out)
{
	const char *s = n->str;
	int y, m, i;

	if (n->kind != VET_YAML_SCALAR || n->len != 7 || s[4] != '-')
		return YERR(L, n, "%s must be a month YYYY-MM", what);
	for (i = 0; i < 7; i++)
		if (i != 4 && !isdigit((unsigned char)s[i]))
			return YERR(L, n, "%s must be a month YYYY-MM", what);
	y = atoi(s);
	m = atoi(s + 5);
	if (y < 1 || m < 1 || m > 12)
		return YERR(L, n, "impossible month '%s'", s);
	*out = y * 12 + m - 1;
	return 0;
}

int
get_seq(struct loader *L, ynode *n, const char *what)
{
	if (n->kind != VET_YAML_SEQ)
		return YERR(L, n, "%s must be a list", what);
	return 0;
}

void *
xcalloc(size_t n, size_t size)
{
	return calloc(n ? n : 1, size);
}

int
nomem(struct loader *L)
{
	return vet_error_set(L->err, VET_ENOMEM, NULL, 0, 0, "out of memory");
}

/* Labels: {zh: ..., en: ...}. */
static int
get_label(struct loader *L, ynode *n, const char **zh, const char **en)
{
	static const char *const keys[] = { "zh", "en", NULL };
	ynode *v;
	int e;

	if ((e = check_keys(L, n, "label", keys)) < 0)
		return e;
	if ((e = member(L, n, "zh", 1, &v)) < 0 ||
	    (e = get_str(L, v, "label zh", zh)) < 0 ||
	    (e = member(L, n, "en", 1, &v)) < 0 ||
	    (e = get_str(L, v, "label en", en)) < 0)
		return e;
	return 0;
}

/*
 * The file position of byte off of the decoded scalar n: the raw text is
 * walked from the node's start, undoing what YAML did to it (the opening
 * quote, '' in single quotes, escapes in double quotes, line folding), so a
 * rule folded over several lines still gets the line and column of the
 * offending token.  Block scalars (| and >) get the node's position and
 * *exact is cleared.
 */
static void
scalar_pos(const struct loader *L, ynode *n, size_t off, long *line,
    long *col, int *exact)
{
	const char *t = L->text;
	size_t i = 0, j, d = 0, lstart;
	long ln = 1;
	int q, nl;

	*line = n->line;
	*col = n->col;
	*exact = 0;
	while (ln < n->line && i < L->n)
		if (t[i++] == '\n')
			ln++;
	if (ln != n->line || i + (size_t)n->col - 1 >= L->n)
		return;
	i += (size_t)n->col - 1;
	if (t[i] == '|' || t[i] == '>')
		return;
	q = t[i] == '\'' || t[i] == '"' ? t[i] : 0;
	if (q) {
		i++;
		(*col)++;
	}
	lstart = i - (size_t)*col + 1;
	while (d < off && i < L->n) {
		if (q == '\'' && t[i] == '\'' && i + 1 < L->n &&
		    t[i + 1] == '\'') {
			i += 2;
			d++;
			continue;
		}
		if (q == '"' && t[i] == '\\') {
			i += 2;
			d++;
			continue;
		}
		if (t[i] == ' ' || t[i] == '\t' || t[i] == '\r' ||
		    t[i] == '\n') {
			for (j = i, nl = 0; j < L->n && (t[j] == ' ' ||
			    t[j] == '\t' || t[j] == '\r' || t[j] == '\n'); j++)
				if (t[j] == '\n') {
					nl++;
					lstart = j + 1;
					(*line)++;
				}
			d += nl == 0 ? j - i : nl == 1 ? 1 : (size_t)nl - 1;
			i = j;
			continue;
		}
		i++;
		d++;
	}
	*col = (long)(i - lstart) + 1;
	*exact = 1;
}

/*
 * Compiles the rule in scalar n.  A compile error's column is a byte
 * offset in the rule, turned into the file's line and column of the
 * offending token.
 */
static int
compile(struct loader *L, ynode *n, unsigned scope, int rank,
    struct vet_rule *r)
{
	struct vet_error e;
	long line, col;
	int rc, exact;

	if (n->kind != VET_YAML_SCALAR)
		return YERR(L, n, "a rule must be a string");
	vet_error_clear(&e);
	rc = vet_rule_compile(r, &L->p->syms, scope, rank, n->str, n->len,
	    &e);
	if (rc == VET_ENOMEM)
		return nomem(L);
	if (rc < 0) {
		scalar_pos(L, n, (size_t)e.col - 1, &line, &col, &exact);
		if (!exact)
			return vet_error_set(L->err, VET_ECONFIG, L->p->file,
			    line, col, "%s (at byte %ld of the rule)", e.msg,
			    e.col);
		return vet_error_set(L->err, VET_ECONFIG, L->p->file, line,
		    col, "%s", e.msg);
	}
	return 0;
}

static int
add_sym(struct loader *L, ynode *at, const char *name, enum vet_rtype type,
    enum vet_rsym_kind kind, unsigned scopes, int rank, int *out)
{
	int k;

	k = vet_rule_symtab_add(&L->p->syms, name, type, kind, scopes, rank,
	    NULL);
	if (k == VET_ENOMEM)
		return nomem(L);
	if (k < 0)
		return YERR(L, at, "'%s' is already the name of a field, "
		    "parameter or code", name);
	if (out != NULL)
		*out = k;
	return 0;
}

static int
load_jurisdiction(struct loader *L, ynode *n)
{
	static const char *const keys[] = { "name", "prefixes", "districts",
		"aliases", NULL };
	struct vet_policy *p = L->p;
	ynode *v;
	size_t i, j;
	int e;

	if ((e = check_keys(L, n, "jurisdiction", keys)) < 0 ||
	    (e = member(L, n, "name", 1, &v)) < 0 ||
	    (e = get_str(L, v, "jurisdiction name", &p->jurisdiction)) < 0 ||
	    (e = member(L, n, "districts", 1, &v)) < 0 ||
	    (e = get_seq(L, v, "districts")) < 0)
		return e;
	if (v->n == 0)
		return YERR(L, v, "districts must not be empty");
	if ((p->districts = xcalloc(v->n, sizeof *p->districts)) == NULL)
		return nomem(L);
	for (i = 0; i < v->n; i++) {
		if ((e = get_str(L, v->items[i], "district",
		    &p->districts[i])) < 0)
			return e;
		for (j = 0; j < i; j++)
			if (strcmp(p->districts[j], p->districts[i]) == 0)
				return YERR(L, v->items[i],
				    "district '%s' listed twice",
				    p->districts[i]);
		p->ndistricts++;
	}
	if ((e = member(L, n, "prefixes", 0, &v)) < 0)
		return e;
	if (v != NULL) {
		if ((e = get_seq(L, v, "prefixes")) < 0)
			return e;
		if ((p->prefixes = xcalloc(v->n, sizeof *p->prefixes)) == NULL)
			return nomem(L);
		for (i = 0; i < v->n; i++) {
			if ((e = get_str(L, v->items[i], "prefix",
			    &p->prefixes[i])) < 0)
				return e;
			if (p->prefixes[i][0] == '\0')
				return YERR(L, v->items[i], "a prefix must not "
				    "be empty");
			p->nprefixes++;
		}
	}
	if ((e = member(L, n, "aliases", 0, &v)) < 0)
		return e;
	if (v == NULL)
		return 0;
	if (v->kind != VET_YAML_MAP)
		return YERR(L, v, "aliases must be a mapping");
	if ((p->alias_from = xcalloc(v->n, sizeof *p->alias_from)) == NULL ||
	    (p->alias_to = xcalloc(v->n, sizeof *p->alias_to)) == NULL)
		return nomem(L);
	for (i = 0; i < v->n; i++) {
		p->alias_from[i] = v->keys[i]->str;
		if ((e = get_str(L, v->items[i], "district",
		    &p->alias_to[i])) < 0)
			return e;
		if (!vet_policy_is_district(p, p->alias_to[i],
		    strlen(p->alias_to[i])))
			return YERR(L, v->items[i], "alias '%s' names '%s', "
			    "which is not a district", p->alias_from[i],
			    p->alias_to[i]);
		if (vet_policy_is_district(p, p->alias_from[i],
		    strlen(p->alias_from[i])))
			return YERR(L, v->keys[i], "alias '%s' is a district "
			    "itself", p->alias_from[i]);
		p->naliases++;
	}
	return 0;
}

static int
load_working_age(struct loader *L, ynode *n)
{
	static const char *const keys[] = { "min_age", "retirement", NULL };
	static const char *const rkeys[] = { "reform_start", "ref", "groups",
		NULL };
	static const char *const gkeys[] = { "code", "when", "base_age",
		"born_from", "divisor", "cap_months", NULL };
	struct vet_policy *p = L->p;
	struct vet_pgroup *g;
	ynode *r, *v, *gs, *gn;
	size_t i, j;
	int e;

	if ((e = check_keys(L, n, "working_age", keys)) < 0 ||
	    (e = member(L, n, "min_age", 1, &v)) < 0 ||
	    (e = get_int(L, v, "min_age", 0, 120, &p->min_age)) < 0 ||
	    (e = member(L, n, "retirement", 1, &r)) < 0 ||
	    (e = check_keys(L, r, "retirement", rkeys)) < 0 ||
	    (e = member(L, r, "reform_start", 1, &v)) < 0 ||
	    (e = get_date(L, v, "reform_start", &p->reform_start)) < 0 ||
	    (e = member(L, r, "ref", 1, &v)) < 0 ||
	    (e = get_str(L, v, "ref", &p->retire_ref)) < 0 ||
	    (e = member(L, r, "groups", 1, &gs)) < 0 ||
	    (e = get_seq(L, gs, "groups")) < 0)
		return e;
	if ((p->groups = xcalloc(gs->n, sizeof *p->groups)) == NULL)
		return nomem(L);
	for (i = 0; i < gs->n; i++) {
		gn = gs->items[i];
		g = &p->groups[i];
		if ((e = check_keys(L, gn, "retirement group", gkeys)) < 0 ||
		    (e = member(L, gn, "code", 1, &v)) < 0 ||
		    (e = get_code(L, v, "group code", &g->code)) < 0)
			return e;
		for (j = 0; j < i; j++)
			if (strcmp(p->groups[j].code, g->code) == 0)
				return YERR(L, v, "group '%s' listed twice",
				    g->code);
		if ((e = member(L, gn, "base_age", 1, &v)) < 0 ||
		    (e = get_int(L, v, "base_age", 16, 100, &g->base_age)) < 0 ||
		    (e = member(L, gn, "born_from", 1, &v)) < 0 ||
		    (e = get_month(L, v, "born_from", &g->born_from)) < 0 ||
		    (e = member(L, gn, "divisor", 1, &v)) < 0 ||
		    (e = get_int(L, v, "divisor", 1, 120, &g->divisor)) < 0 ||
		    (e = member(L, gn, "cap_months", 1, &v)) < 0 ||
		    (e = get_int(L, v, "cap_months", 0, 240, &g->cap)) < 0 ||
		    (e = member(L, gn, "when", 1, &v)) < 0 ||
		    (e = compile(L, v, VET_SCOPE_RETIRE, 1, &g->when)) < 0)
			return e;
		p->ngroups++;
	}
	return 0;
}

static int
cmp_value(const void *a, const void *b)
{
	const struct vet_pvalue *x = a, *y = b;

	return (x->from > y->from) - (x->from < y->from);
}

static int
load_params(struct loader *L, ynode *n)
{
	static const char *const keys[] = { "label", "values", NULL };
	static const char *const vkeys[] = { "from", "value", "ref", NULL };
	struct vet_policy *p = L->p;
	struct vet_pparam *pp;
	ynode *pn, *vs, *vn, *v;
	size_t i, j;
	int e;

	if (n->kind != VET_YAML_MAP)
		return YERR(L, n, "parameters must be a mapping");
	if ((p->params = xcalloc(n->n, sizeof *p->params)) == NULL)
		return nomem(L);
	for (i = 0; i < n->n; i++) {
		pp = &p->params[i];
		pn = n->items[i];
		if ((e = get_code(L, n->keys[i], "parameter name",
		    &pp->name)) < 0 ||
		    (e = check_keys(L, pn, "parameter", keys)) < 0 ||
		    (e = member(L, pn, "label", 1, &v)) < 0 ||
		    (e = get_label(L, v, &pp->zh, &pp->en)) < 0 ||
		    (e = member(L, pn, "values", 1, &vs)) < 0 ||
		    (e = get_seq(L, vs, "values")) < 0)
			return e;
		if (vs->n == 0)
			return YERR(L, vs, "parameter '%s' has no values",
			    pp->name);
		if ((pp->v = xcalloc(vs->n, sizeof *pp->v)) == NULL)
			return nomem(L);
		p->nparams++;
		for (j = 0; j < vs->n; j++) {
			vn = vs->items[j];
			if ((e = check_keys(L, vn, "parameter value",
			    vkeys)) < 0 ||
			    (e = member(L, vn, "from", 0, &v)) < 0)
				return e;
			/* Without a date the value has always been in
			 * force, so the policy answers for any as-of date,
			 * also one before it was issued. */
			pp->v[j].from = VET_PFROM_ALWAYS;
			if (v != NULL && (e = get_date(L, v, "from",
			    &pp->v[j].from)) < 0)
				return e;
			pp->v[j].line = (v != NULL ? v : vn)->line;
			pp->v[j].col = (v != NULL ? v : vn)->col;
			if ((e = member(L, vn, "value", 1, &v)) < 0 ||
			    (e = get_num(L, v, "value", &pp->v[j].value)) < 0 ||
			    (e = member(L, vn, "ref", 1, &v)) < 0 ||
			    (e = get_str(L, v, "ref", &pp->v[j].ref)) < 0)
				return e;
			if (j > 0 && pp->v[j].from == pp->v[j - 1].from)
				return YERR(L, vn, pp->v[j].from ==
				    VET_PFROM_ALWAYS ? "two values of '%s' "
				    "without a from date" : "two values of "
				    "'%s' from the same date", pp->name);
		}
		pp->n = vs->n;
		qsort(pp->v, pp->n, sizeof *pp->v, cmp_value);
		for (j = 1; j < pp->n; j++)
			if (pp->v[j].from == pp->v[j - 1].from)
				return YERR(L, vs, pp->v[j].from ==
				    VET_PFROM_ALWAYS ? "two values of '%s' "
				    "without a from date" : "two values of "
				    "'%s' from the same date", pp->name);
		if ((e = add_sym(L, n->keys[i], pp->name, VET_RT_NUM,
		    VET_RSYM_PARAM, DERIVED_SCOPES, 0, &pp->sym)) < 0)
			return e;
	}
	return 0;
}

static int
load_defaults(struct loader *L, ynode *n)
{
	struct vet_policy *p = L->p;
	struct vet_pdefault *d;
	const struct vet_rule_sym *s;
	ynode *v;
	size_t i, j;
	int k, e, b;

	if (n->kind != VET_YAML_MAP)
		return YERR(L, n, "defaults must be a mapping");
	if ((p->defaults = xcalloc(n->n, sizeof *p->defaults)) == NULL)
		return nomem(L);
	for (i = 0; i < n->n; i++) {
		d = &p->defaults[i];
		k = vet_rule_symtab_find(&p->syms, n->keys[i]->str,
		    n->keys[i]->len);
		if (k < 0 || p->syms.syms[k].kind != VET_RSYM_FIELD)
			return YERR(L, n->keys[i], "unknown field '%s'",
			    n->keys[i]->str);
		s = &p->syms.syms[k];
		v = n->items[i];
		d->sym = k;
		d->val.type = (unsigned char)s->type;
		d->val.known = 1;
		switch (s->type) {
		case VET_RT_BOOL:
			if ((e = get_bool(L, v, s->name, &b)) < 0)
				return e;
			d->val.num = b;
			break;
		case VET_RT_NUM:
			if ((e = get_num(L, v, s->name, &d->val.num)) < 0)
				return e;
			break;
		case VET_RT_DATE:
			if ((e = get_date(L, v, s->name, &d->val.day)) < 0)
				return e;
			break;
		case VET_RT_STR:
			if ((e = get_str(L, v, s->name, &d->val.s)) < 0)
				return e;
			d->val.n = v->len;
			if (s->enums != NULL) {
				for (j = 0; s->enums[j] != NULL; j++)
					if (strcmp(s->enums[j], d->val.s) == 0)
						break;
				if (s->enums[j] == NULL)
					return YERR(L, v, "'%s' is not a "
					    "value of field '%s'", d->val.s,
					    s->name);
			}
			break;
		default:
			/* Only the empty list: a default list of skills
			 * would be a fact about nobody. */
			if (v->kind != VET_YAML_SEQ || v->n != 0)
				return YERR(L, v, "the default of '%s' can only "
				    "be the empty list []", s->name);
			d->val.s = "[]";
			d->val.n = 2;
			d->val.count = 0;
			break;
		}
		p->ndefaults++;
	}
	return 0;
}

/*
 * Reads the code, label and clause of a category, measure, link or check
 * and declares the code as a name (type bool) when sym_rank >= 0.
 */
static int
load_item(struct loader *L, ynode *n, const char *what,
    const char *const *keys, struct vet_pitem *it, unsigned scopes,
    int sym_rank, struct vet_pitem *prev, size_t nprev)
{
	ynode *v;
	size_t i;
	int e, k;

	it->sym = -1;
	if ((e = check_keys(L, n, what, keys)) < 0 ||
	    (e = member(L, n, "code", 1, &v)) < 0 ||
	    (e = get_code(L, v, "code", &it->code)) < 0)
		return e;
	for (i = 0; i < nprev; i++)
		if (strcmp(prev[i].code, it->code) == 0)
			return YERR(L, v, "%s '%s' listed twice", what,
			    it->code);
	/* A code that is also a field name (the category `exited` and the
	 * field `exited`) is not a name of its own: rules mean the field. */
	k = vet_rule_symtab_find(&L->p->syms, it->code, strlen(it->code));
	if (sym_rank >= 0 && (k < 0 ||
	    L->p->syms.syms[k].kind != VET_RSYM_FIELD) &&
	    (e = add_sym(L, v, it->code, VET_RT_BOOL, VET_RSYM_CODE, scopes,
	    sym_rank, &it->sym)) < 0)
		return e;
	if ((e = member(L, n, "label", 1, &v)) < 0 ||
	    (e = get_label(L, v, &it->zh, &it->en)) < 0 ||
	    (e = member(L, n, "clause", 1, &v)) < 0 ||
	    (e = get_str(L, v, "clause", &it->clause)) < 0)
		return e;
	return 0;
}

static int
load_list(struct loader *L, ynode *n, const char *what,
    struct vet_pitem **out, size_t *nout)
{
	if (n->kind != VET_YAML_SEQ)
		return YERR(L, n, "%s must be a list", what);
	if ((*out = xcalloc(n->n, sizeof **out)) == NULL)
		return nomem(L);
	*nout = 0;
	return 0;
}

static int
load_categories(struct loader *L, ynode *n)
{
	static const char *const keys[] = { "code", "label", "clause",
		"priority", "exclusive", "when", NULL };
	struct vet_policy *p = L->p;
	struct vet_pitem *it;
	ynode *v;
	size_t i;
	int e;

	if ((e = load_list(L, n, "categories", &p->cats, &p->ncats)) < 0)
		return e;
	if (n->n == 0)
		return YERR(L, n, "categories must not be empty");
	/* Declare every code first: a rule may name earlier ones, and an
	 * error about a later one says it is not yet usable. */
	for (i = 0; i < n->n; i++) {
		it = &p->cats[i];
		if ((e = load_item(L, n->items[i], "category", keys, it,
		    DERIVED_SCOPES, (int)i + 1, p->cats, i)) < 0)
			return e;
		p->ncats++;
	}
	for (i = 0; i < n->n; i++) {
		it = &p->cats[i];
		if ((e = member(L, n->items[i], "priority", 1, &v)) < 0 ||
		    (e = get_int(L, v, "priority", 0, 99, &it->priority)) < 0)
			return e;
		if ((v = vet_yaml_get(n->items[i], "exclusive")) != NULL &&
		    (e = get_bool(L, v, "exclusive", &it->exclusive)) < 0)
			return e;
		if ((e = member(L, n->items[i], "when", 1, &v)) < 0 ||
		    (e = compile(L, v, VET_SCOPE_CAT, (int)i + 1,
		    &it->rule)) < 0)
			return e;
		it->has_rule = 1;
	}
	return 0;
}

static int
load_measures(struct loader *L, ynode *n)
{
	static const char *const keys[] = { "code", "label", "clause", "when",
		NULL };
	struct vet_policy *p = L->p;
	struct vet_pitem *it;
	ynode *v;
	size_t i;
	int e;

	if ((e = load_list(L, n, "measures", &p->meas, &p->nmeas)) < 0)
		return e;
	for (i = 0; i < n->n; i++) {
		it = &p->meas[i];
		if ((e = load_item(L, n->items[i], "measure", keys, it,
		    VET_SCOPE_MEAS | VET_SCOPE_LINK, VET_RANK_MEASURE + (int)i,
		    p->meas, i)) < 0)
			return e;
		p->nmeas++;
	}
	for (i = 0; i < n->n; i++) {
		it = &p->meas[i];
		if ((e = member(L, n->items[i], "when", 1, &v)) < 0 ||
		    (e = compile(L, v, VET_SCOPE_MEAS,
		    VET_RANK_MEASURE + (int)i, &it->rule)) < 0)
			return e;
		it->has_rule = 1;
	}
	return 0;
}

static int
load_priority(struct loader *L, ynode *n)
{
	static const char *const keys[] = { "default", "fallback", NULL };
	static const char *const fkeys[] = { "value", "when", NULL };
	struct vet_policy *p = L->p;
	ynode *v, *fs;
	size_t i;
	int e;

	if ((e = check_keys(L, n, "priority", keys)) < 0 ||
	    (e = member(L, n, "default", 1, &v)) < 0 ||
	    (e = get_int(L, v, "default", 0, 99, &p->prio_default)) < 0)
		return e;
	if ((fs = vet_yaml_get(n, "fallback")) == NULL)
		return 0;
	if ((e = get_seq(L, fs, "fallback")) < 0)
		return e;
	if ((p->prio = xcalloc(fs->n, sizeof *p->prio)) == NULL)
		return nomem(L);
	for (i = 0; i < fs->n; i++) {
		if ((e = check_keys(L, fs->items[i], "fallback", fkeys)) < 0 ||
		    (e = member(L, fs->items[i], "value", 1, &v)) < 0 ||
		    (e = get_int(L, v, "value", 0, 99,
		    &p->prio[i].value)) < 0 ||
		    (e = member(L, fs->items[i], "when", 1, &v)) < 0 ||
		    (e = compile(L, v, VET_SCOPE_PRIO, VET_RANK_PRIO,
		    &p->prio[i].rule)) < 0)
			return e;
		p->nprio++;
	}
	return 0;
}

static int
load_links(struct loader *L, ynode *n)
{
	static const char *const keys[] = { "code", "label", "clause", "when",
		"planned", "delivered", NULL };
	struct vet_policy *p = L->p;
	struct vet_pitem *it;
	ynode *v, *w;
	size_t i;
	int e;

	if ((e = load_list(L, n, "links", &p->links, &p->nlinks)) < 0)
		return e;
	for (i = 0; i < n->n; i++) {
		it = &p->links[i];
		/* `planned` is the rule; `when` is its older name, kept so
		 * that policies written before the delivered rule still
		 * load.  One of the two, not both. */
		if ((e = load_item(L, n->items[i], "link", keys, it, 0, -1,
		    p->links, i)) < 0 ||
		    (e = member(L, n->items[i], "planned", 0, &v)) < 0 ||
		    (e = member(L, n->items[i], "when", v == NULL, &w)) < 0)
			return e;
		if (v != NULL && w != NULL)
			return YERR(L, w, "link has both 'planned' and 'when' "
			    "(they are one rule)");
		if ((e = compile(L, v ? v : w, VET_SCOPE_LINK, VET_RANK_LINK,
		    &it->rule)) < 0)
			return e;
		it->has_rule = 1;
		p->nlinks++;
		if ((e = member(L, n->items[i], "delivered", 0, &v)) < 0)
			return e;
		if (v != NULL) {
			if ((e = compile(L, v, VET_SCOPE_LINK,
			    VET_RANK_DELIVERED, &it->delivered)) < 0)
				return e;
			it->has_delivered = 1;
		}
	}
	return 0;
}

static int
load_checks(struct loader *L, ynode *n)
{
	static const char *const keys[] = { "code", "label", "clause",
		"severity", NULL };
	struct vet_policy *p = L->p;
	struct vet_pitem *it;
	ynode *v;
	size_t i;
	int e;

	if ((e = load_list(L, n, "checks", &p->checks, &p->nchecks)) < 0)
		return e;
	for (i = 0; i < n->n; i++) {
		it = &p->checks[i];
		if ((e = load_item(L, n->items[i], "check", keys, it, 0, -1,
		    p->checks, i)) < 0 ||
		    (e = member(L, n->items[i], "severity", 1, &v)) < 0 ||
		    (e = get_str(L, v, "severity", &it->severity)) < 0)
			return e;
		if (strcmp(it->severity, "error") != 0 &&
		    strcmp(it->severity, "warning") != 0)
			return YERR(L, v, "severity must be 'error' or "
			    "'warning', not '%s'", it->severity);
		p->nchecks++;
	}
	return 0;
}

static int
load_authorities(struct loader *L, ynode *n)
{
	static const char *const sources[] = { "hr", "market", "tax", NULL };
	struct vet_policy *p = L->p;
	struct vet_pauth *a;
	ynode *fs;
	size_t i, j;
	int e, k;

	if ((e = check_keys(L, n, "authorities", sources)) < 0)
		return e;
	if ((p->auth = xcalloc(n->n, sizeof *p->auth)) == NULL)
		return nomem(L);
	for (i = 0; i < n->n; i++) {
		a = &p->auth[i];
		a->source = n->keys[i]->str;
		fs = n->items[i];
		if ((e = get_seq(L, fs, "authority fields")) < 0)
			return e;
		if ((a->fields = xcalloc(fs->n, sizeof *a->fields)) == NULL)
			return nomem(L);
		p->nauth++;
		for (j = 0; j < fs->n; j++) {
			if ((e = get_str(L, fs->items[j], "field",
			    &a->fields[j])) < 0)
				return e;
			k = vet_rule_symtab_find(&p->syms, a->fields[j],
			    strlen(a->fields[j]));
			if (k < 0 || p->syms.syms[k].kind != VET_RSYM_FIELD ||
			    strcmp(a->fields[j], "id") == 0)
				return YERR(L, fs->items[j],
				    "unknown field '%s'", a->fields[j]);
			a->n++;
		}
	}
	return 0;
}

static int
build_keys(struct loader *L)
{
	struct vet_policy *p = L->p;
	size_t i, size, j;
	int *f;

	/* Classification always needs these; links need the codes. */
	for (i = 0; i < p->syms.n; i++)
		if (p->syms.syms[i].kind == VET_RSYM_FIELD)
			p->syms.syms[i].used |= (int)i == p->s_id ||
			    (int)i == p->s_sex || (int)i == p->s_birth ||
			    (int)i == p->s_track || (p->nlinks > 0 &&
			    ((int)i == p->s_categories ||
			    (int)i == p->s_measures));
	if ((f = xcalloc(p->syms.n, sizeof *f)) == NULL)
		return nomem(L);
	p->fields = f;
	for (i = 0; i < p->syms.n; i++)
		if (p->syms.syms[i].kind == VET_RSYM_FIELD &&
		    p->syms.syms[i].used)
			f[p->nfields++] = (int)i;
	for (size = 64; size < 4 * p->nfields; size *= 2)
		;
	if ((p->keys = xcalloc(size, sizeof *p->keys)) == NULL)
		return nomem(L);
	p->keymask = size - 1;
	for (i = 0; i < p->nfields; i++) {
		const char *name = p->syms.syms[f[i]].name;
		size_t len = strlen(name);

		for (j = vet_policy_key_hash(name, len) & p->keymask;
		    p->keys[j].name != NULL;
		    j = (j + 1) & p->keymask)
			;
		p->keys[j].name = name;
		p->keys[j].len = (uint32_t)len;
		p->keys[j].sym = f[i];
	}
	return 0;
}

/* The type a rule sees a record field of schema type t as. */
static enum vet_rtype
rule_type(enum vet_ftype t)
{
	switch (t) {
	case VET_FT_DATE:
		return VET_RT_DATE;
	case VET_FT_BOOL:
		return VET_RT_BOOL;
	case VET_FT_INT:
	case VET_FT_NUMBER:
		return VET_RT_NUM;
	case VET_FT_ARRAY:
		return VET_RT_STRS;
	default:
		return VET_RT_STR;
	}
}

static int
declare_record(struct loader *L)
{
	struct vet_policy *p = L->p;
	const struct vet_schema_field *f;
	size_t i, n;
	int k;

	f = vet_schema_fields(VET_KIND_VETERAN, &n);
	for (i = 0; i < n; i++) {
		k = vet_rule_symtab_add(&p->syms, f[i].name,
		    rule_type(f[i].type), VET_RSYM_FIELD, VET_SCOPE_ALL, 0,
		    f[i].codes);
		if (k < 0)
			return nomem(L);
	}
	for (i = 0; i < sizeof link_fields / sizeof link_fields[0]; i++) {
		k = vet_rule_symtab_add(&p->syms, link_fields[i].name,
		    link_fields[i].type, VET_RSYM_FIELD, VET_SCOPE_LINK, 0,
		    NULL);
		if (k < 0)
			return nomem(L);
	}
	p->s_id = vet_rule_symtab_find(&p->syms, "id", 2);
	p->s_sex = vet_rule_symtab_find(&p->syms, "sex", 3);
	p->s_birth = vet_rule_symtab_find(&p->syms, "birth_date", 10);
	p->s_track = vet_rule_symtab_find(&p->syms, "retirement_track", 16);
	p->s_categories = vet_rule_symtab_find(&p->syms, "categories", 10);
	p->s_measures = vet_rule_symtab_find(&p->syms, "measures", 8);
	p->s_priority = vet_rule_symtab_find(&p->syms, "priority", 8);
	if ((p->s_age = vet_rule_symtab_add(&p->syms, "age", VET_RT_NUM,
	    VET_RSYM_DERIVED, DERIVED_SCOPES, 0, NULL)) < 0 ||
	    (p->s_working_age = vet_rule_symtab_add(&p->syms, "working_age",
	    VET_RT_BOOL, VET_RSYM_DERIVED, DERIVED_SCOPES, 0, NULL)) < 0 ||
	    (p->s_retire = vet_rule_symtab_add(&p->syms, "retirement_date",
	    VET_RT_DATE, VET_RSYM_DERIVED, DERIVED_SCOPES, 0, NULL)) < 0)
		return nomem(L);
	/* The event facts: only a link's delivered rule ranks above them. */
	for (i = 0; i < VET_POLICY_NDELIVERY; i++)
		if ((p->s_ev[i] = vet_rule_symtab_add(&p->syms,
		    vet_policy_delivery_names[i], VET_RT_NUM, VET_RSYM_DERIVED,
		    VET_SCOPE_LINK, VET_RANK_EVENTS, NULL)) < 0)
			return nomem(L);
	return 0;
}

static int
load_root(struct loader *L)
{
	static const char *const keys[] = { "id", "title", "effective",
		"jurisdiction", "working_age", "parameters", "defaults",
		"categories", "priority", "measures", "links", "authorities",
		"contradictions", "checks", "dated", "facts", "tests", NULL };
	struct vet_policy *p = L->p;
	ynode *root = p->doc.root, *v;
	int e;

	if (root == NULL)
		return vet_error_set(L->err, VET_ECONFIG, p->file, 1, 1,
		    "empty policy file");
	if ((e = check_keys(L, root, "the policy", keys)) < 0 ||
	    (e = declare_record(L)) < 0 ||
	    (e = member(L, root, "id", 1, &v)) < 0 ||
	    (e = get_str(L, v, "id", &p->id)) < 0 ||
	    (e = member(L, root, "title", 1, &v)) < 0 ||
	    (e = get_str(L, v, "title", &p->title)) < 0 ||
	    (e = member(L, root, "effective", 1, &v)) < 0 ||
	    (e = get_date(L, v, "effective", &p->effective)) < 0 ||
	    (e = member(L, root, "jurisdiction", 1, &v)) < 0 ||
	    (e = load_jurisdiction(L, v)) < 0 ||
	    (e = member(L, root, "working_age", 1, &v)) < 0 ||
	    (e = load_working_age(L, v)) < 0)
		return e;
	if (p->id[0] == '\0')
		return YERR(L, vet_yaml_get(root, "id"), "id must not be empty");
	if ((v = vet_yaml_get(root, "parameters")) != NULL &&
	    (e = load_params(L, v)) < 0)
		return e;
	if ((v = vet_yaml_get(root, "defaults")) != NULL &&
	    (e = load_defaults(L, v)) < 0)
		return e;
	if ((e = member(L, root, "categories", 1, &v)) < 0 ||
	    (e = load_categories(L, v)) < 0 ||
	    (e = member(L, root, "priority", 1, &v)) < 0 ||
	    (e = load_priority(L, v)) < 0 ||
	    (e = member(L, root, "measures", 1, &v)) < 0 ||
	    (e = load_measures(L, v)) < 0)
		return e;
	if ((v = vet_yaml_get(root, "links")) != NULL &&
	    (e = load_links(L, v)) < 0)
		return e;
	if ((v = vet_yaml_get(root, "checks")) != NULL &&
	    (e = load_checks(L, v)) < 0)
		return e;
	if ((v = vet_yaml_get(root, "authorities")) != NULL &&
	    (e = load_authorities(L, v)) < 0)
		return e;
	if ((v = vet_yaml_get(root, "dated")) != NULL &&
	    (e = load_dated(L, v)) < 0)
		return e;
	if ((v = vet_yaml_get(root, "facts")) != NULL &&
	    (e = load_facts(L, v)) < 0)
		return e;
	if ((v = vet_yaml_get(root, "contradictions")) != NULL &&
	    (e = load_contradictions(L, v)) < 0)
		return e;
	if ((e = build_keys(L)) < 0)
		return e;
	if ((v = vet_yaml_get(root, "tests")) != NULL &&
	    (e = load_tests(L, v)) < 0)
		return e;
	return 0;
}

int
vet_policy_load_text(struct vet_policy **pp, const char *file,
    const char *yaml, size_t n, struct vet_error *err)
{
	struct vet_policy *p;
	struct loader L;
	int e;

	*pp = NULL;
	if ((p = calloc(1, sizeof *p)) == NULL)
		return vet_error_set(err, VET_ENOMEM, NULL, 0, 0,
		    "out of memory");
	snprintf(p->file, sizeof p->file, "%s", file);
	vet_rule_symtab_init(&p->syms);
	if ((e = vet_yaml_load(&p->doc, file, yaml, n, err)) < 0) {
		free(p);
		return e;
	}
	L.p = p;
	L.err = err;
	L.text = yaml;
	L.n = n;
	if ((e = load_root(&L)) < 0) {
		vet_policy_free(p);
		return e;
	}
	*pp = p;
	return 0;
}
