/*
 * policy.c - loading a policy file (vet-policy(5)) strictly, and the
 * accessors of policy.h.
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
#include "vet/io.h"
#include "vet/schema.h"
#include "policy_impl.h"

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

typedef const struct vet_yaml_node ynode;

struct loader {
	struct vet_policy *p;
	struct vet_error *err;
	const char *text;	/* the YAML text, for positions inside rules */
	size_t n;
};

#define YERR(L, node, ...) vet_yaml_error(&(L)->p->doc, (node), (L)->err, \
	__VA_ARGS__)

static int
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
static int
member(struct loader *L, ynode *map, const char *key, int required,
    ynode **out)
{
	*out = vet_yaml_get(map, key);
	if (*out == NULL && required)
		return YERR(L, map, "missing key '%s'", key);
	return 0;
}

static int
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

static int
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

static int
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

static int
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

static int
get_seq(struct loader *L, ynode *n, const char *what)
{
	if (n->kind != VET_YAML_SEQ)
		return YERR(L, n, "%s must be a list", what);
	return 0;
}

static void *
xcalloc(size_t n, size_t size)
{
	return calloc(n ? n : 1, size);
}

static int
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
		NULL };
	struct vet_policy *p = L->p;
	struct vet_pitem *it;
	ynode *v;
	size_t i;
	int e;

	if ((e = load_list(L, n, "links", &p->links, &p->nlinks)) < 0)
		return e;
	for (i = 0; i < n->n; i++) {
		it = &p->links[i];
		if ((e = load_item(L, n->items[i], "link", keys, it, 0, -1,
		    p->links, i)) < 0 ||
		    (e = member(L, n->items[i], "when", 1, &v)) < 0 ||
		    (e = compile(L, v, VET_SCOPE_LINK, VET_RANK_LINK,
		    &it->rule)) < 0)
			return e;
		it->has_rule = 1;
		p->nlinks++;
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

/*
 * dated: FACT: DATE_FIELD (SPEC 2.3).  Both must be record fields; the
 * date field a date.  The date is read for every record, so it joins the
 * keys the classifier looks up even when no rule names it.
 */
static int
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
static int
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

static int
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
static int
yaml_to_json(struct loader *L, ynode *n, struct vet_buf *b, int depth)
{
	const char *s;
	size_t i;
	char *end;
	int e = 0;

	if (depth > 16)
		return YERR(L, n, "test record nested too deeply");
	switch (n->kind) {
	case VET_YAML_MAP:
		e = vet_buf_addch(b, '{');
		for (i = 0; e == 0 && i < n->n; i++) {
			if (i > 0)
				e = vet_buf_addch(b, ',');
			if (e == 0)
				e = vet_json_add_string(b, n->keys[i]->str,
				    n->keys[i]->len);
			if (e == 0)
				e = vet_buf_addch(b, ':');
			if (e == 0)
				e = yaml_to_json(L, n->items[i], b, depth + 1);
		}
		if (e == 0)
			e = vet_buf_addch(b, '}');
		break;
	case VET_YAML_SEQ:
		e = vet_buf_addch(b, '[');
		for (i = 0; e == 0 && i < n->n; i++) {
			if (i > 0)
				e = vet_buf_addch(b, ',');
			if (e == 0)
				e = yaml_to_json(L, n->items[i], b, depth + 1);
		}
		if (e == 0)
			e = vet_buf_addch(b, ']');
		break;
	default:
		s = n->str;
		if (!n->quoted && (strcmp(s, "null") == 0 ||
		    strcmp(s, "~") == 0 || n->len == 0))
			return vet_buf_addstr(b, "null");
		if (!n->quoted && (strcmp(s, "true") == 0 ||
		    strcmp(s, "false") == 0))
			return vet_buf_addstr(b, s);
		if (!n->quoted && (isdigit((unsigned char)s[0]) ||
		    (s[0] == '-' && isdigit((unsigned char)s[1])))) {
			errno = 0;
			(void)strtod(s, &end);
			if (*end == '\0' && errno == 0 &&
			    vet_json_validate(s, n->len, NULL) == 0)
				return vet_buf_add(b, s, n->len);
		}
		return vet_json_add_string(b, s, n->len);
	}
	return e;
}

static int
code_list(struct loader *L, ynode *n, const struct vet_pitem *items,
    size_t nitems, const char *what, const char ***out, size_t *nout)
{
	size_t i, j;
	int e;

	if ((e = get_seq(L, n, what)) < 0)
		return e;
	if ((*out = xcalloc(n->n, sizeof **out)) == NULL)
		return nomem(L);
	for (i = 0; i < n->n; i++) {
		if ((e = get_str(L, n->items[i], what, &(*out)[i])) < 0)
			return e;
		for (j = 0; j < nitems; j++)
			if (strcmp(items[j].code, (*out)[i]) == 0)
				break;
		if (j == nitems)
			return YERR(L, n->items[i], "unknown %s '%s'", what,
			    (*out)[i]);
	}
	*nout = n->n;
	return 0;
}

/* A test's event log: a list of mappings, each an event as JSON. */
static int
test_events(struct loader *L, ynode *n, struct vet_ptest *t,
    struct vet_buf *b)
{
	size_t i;
	int e;

	if ((e = get_seq(L, n, "test events")) < 0)
		return e;
	if ((t->events = xcalloc(n->n, sizeof *t->events)) == NULL)
		return nomem(L);
	for (i = 0; i < n->n; i++) {
		if (n->items[i]->kind != VET_YAML_MAP)
			return YERR(L, n->items[i], "a test event must be a "
			    "mapping");
		vet_buf_reset(b);
		if ((e = yaml_to_json(L, n->items[i], b, 0)) < 0)
			return e == VET_ENOMEM ? nomem(L) : e;
		if ((t->events[i] = malloc(b->len + 1)) == NULL)
			return nomem(L);
		memcpy(t->events[i], b->data, b->len + 1);
		t->nevents++;
	}
	return 0;
}

static int
load_tests(struct loader *L, ynode *n)
{
	static const char *const keys[] = { "name", "as_of", "record",
		"categories", "measures", "priority", "working_age", "age",
		"events", NULL };
	struct vet_policy *p = L->p;
	struct vet_buf b = VET_BUF_INIT;
	struct vet_ptest *t;
	ynode *tn, *v;
	size_t i;
	int e;

	if ((e = get_seq(L, n, "tests")) < 0)
		return e;
	if ((p->tests = xcalloc(n->n, sizeof *p->tests)) == NULL)
		return nomem(L);
	for (i = 0; i < n->n; i++) {
		tn = n->items[i];
		t = &p->tests[i];
		t->line = tn->line;
		t->col = tn->col;
		t->priority = t->working_age = t->age = -1;
		p->ntests++;
		if ((e = check_keys(L, tn, "test", keys)) < 0 ||
		    (e = member(L, tn, "name", 1, &v)) < 0 ||
		    (e = get_str(L, v, "test name", &t->name)) < 0 ||
		    (e = member(L, tn, "as_of", 1, &v)) < 0 ||
		    (e = get_date(L, v, "as_of", &t->as_of)) < 0 ||
		    (e = member(L, tn, "categories", 1, &v)) < 0 ||
		    (e = code_list(L, v, p->cats, p->ncats, "category",
		    &t->cats, &t->ncats)) < 0 ||
		    (e = member(L, tn, "measures", 1, &v)) < 0 ||
		    (e = code_list(L, v, p->meas, p->nmeas, "measure",
		    &t->meas, &t->nmeas)) < 0)
			goto out;
		if ((v = vet_yaml_get(tn, "priority")) != NULL &&
		    (e = get_int(L, v, "priority", 0, 99, &t->priority)) < 0)
			goto out;
		if ((v = vet_yaml_get(tn, "working_age")) != NULL &&
		    (e = get_bool(L, v, "working_age", &t->working_age)) < 0)
			goto out;
		if ((v = vet_yaml_get(tn, "age")) != NULL &&
		    (e = get_int(L, v, "age", 0, 200, &t->age)) < 0)
			goto out;
		if ((e = member(L, tn, "record", 1, &v)) < 0)
			goto out;
		if (v->kind != VET_YAML_MAP) {
			e = YERR(L, v, "a test record must be a mapping");
			goto out;
		}
		vet_buf_reset(&b);
		if ((e = yaml_to_json(L, v, &b, 0)) < 0) {
			if (e == VET_ENOMEM)
				e = nomem(L);
			goto out;
		}
		if ((t->json = malloc(b.len + 1)) == NULL) {
			e = nomem(L);
			goto out;
		}
		memcpy(t->json, b.data, b.len + 1);
		t->len = b.len;
		if ((v = vet_yaml_get(tn, "events")) != NULL &&
		    (e = test_events(L, v, t, &b)) < 0)
			goto out;
	}
	e = 0;
out:
	/* b holds the last test's JSON; every exit must free it. */
	vet_buf_release(&b);
	return e;
}

/* The record keys the rules need, for one lookup per record field. */
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
	for (size = 16; size < 2 * p->nfields; size *= 2)
		;
	if ((p->keys = xcalloc(size, sizeof *p->keys)) == NULL)
		return nomem(L);
	p->keymask = size - 1;
	for (i = 0; i < p->nfields; i++) {
		const char *name = p->syms.syms[f[i]].name;
		size_t len = strlen(name);

		for (j = vet_hash(name, len) & p->keymask; p->keys[j].name != NULL;
		    j = (j + 1) & p->keymask)
			;
		p->keys[j].name = name;
		p->keys[j].len = len;
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

int
vet_policy_load(struct vet_policy **pp, const char *file,
    struct vet_error *err)
{
	struct vet_buf b = VET_BUF_INIT;
	int e;

	if (file == NULL)
		return vet_policy_load_text(pp, "<built-in>",
		    vet_policy_builtin_yaml, vet_policy_builtin_len, err);
	*pp = NULL;
	if ((e = vet_input_slurp(file, &b, err)) < 0) {
		vet_buf_release(&b);
		/* A policy that cannot be read is a bad policy (exit 78),
		 * whatever the reason, not an unreadable input (66). */
		if (e != VET_ENOMEM && err != NULL)
			err->status = VET_ECONFIG;
		if (e != VET_ENOMEM)
			e = VET_ECONFIG;
		return e;
	}
	e = vet_policy_load_text(pp, file, vet_buf_str(&b), b.len, err);
	vet_buf_release(&b);
	return e;
}

static void
free_items(struct vet_pitem *it, size_t n)
{
	size_t i;

	for (i = 0; it != NULL && i < n; i++)
		if (it[i].has_rule)
			vet_rule_release(&it[i].rule);
	free(it);
}

void
vet_policy_free(struct vet_policy *p)
{
	size_t i, j;

	if (p == NULL)
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
	for (i = 0; i < p->ntests; i++) {
		free(p->tests[i].json);
		for (j = 0; j < p->tests[i].nevents; j++)
			free(p->tests[i].events[j]);
		free(p->tests[i].events);
		free(p->tests[i].cats);
		free(p->tests[i].meas);
	}
	free(p->tests);
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
vet_policy_ndistricts(const struct vet_policy *p)
{
	return p->ndistricts;
}

const char *
vet_policy_district(const struct vet_policy *p, size_t i)
{
	return i < p->ndistricts ? p->districts[i] : NULL;
}

int
vet_policy_is_district(const struct vet_policy *p, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < p->ndistricts; i++)
		if (strlen(p->districts[i]) == n &&
		    memcmp(p->districts[i], s, n) == 0)
			return 1;
	return 0;
}

/*
 * Traditional characters of place names and their simplified forms, so
 * that 朝陽區 is 朝阳区.  Folding is of the script, not of a jurisdiction:
 * the policy lists names, this table only their spelling.
 */
static const char *const trad[][2] = {
	{ "東", "东" }, { "區", "区" }, { "陽", "阳" }, { "豐", "丰" },
	{ "臺", "台" }, { "門", "门" }, { "頭", "头" }, { "溝", "沟" },
	{ "順", "顺" }, { "義", "义" }, { "興", "兴" }, { "懷", "怀" },
	{ "雲", "云" }, { "慶", "庆" }, { "經", "经" }, { "濟", "济" },
	{ "術", "术" }, { "開", "开" }, { "發", "发" }, { "莊", "庄" },
	{ "縣", "县" }, { "鎮", "镇" }, { "鄉", "乡" }, { "園", "园" },
	{ "場", "场" }, { "橋", "桥" }, { "龍", "龙" }, { "華", "华" },
	{ "寧", "宁" }, { "灣", "湾" }, { "廣", "广" }, { "蘇", "苏" },
};

/* s folded to simplified characters into out (cap bytes); its length, or
 * 0 when it does not fit.  Every pair is 3 bytes to 3 bytes. */
static size_t
fold_trad(const char *s, size_t n, char *out, size_t cap)
{
	size_t i = 0, j, o = 0;

	if (n >= cap)
		return 0;
	while (i < n) {
		if (n - i >= 3 && (unsigned char)s[i] >= 0xe0)
			for (j = 0; j < sizeof trad / sizeof trad[0]; j++)
				if (memcmp(s + i, trad[j][0], 3) == 0) {
					memcpy(out + o, trad[j][1], 3);
					o += 3;
					i += 3;
					goto next;
				}
		out[o++] = s[i++];
next:		;
	}
	out[o] = '\0';
	return o;
}

/* The district that s (a district or an alias) names, or NULL. */
static const char *
district_or_alias(const struct vet_policy *p, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < p->ndistricts; i++)
		if (strlen(p->districts[i]) == n &&
		    memcmp(p->districts[i], s, n) == 0)
			return p->districts[i];
	for (i = 0; i < p->naliases; i++)
		if (strlen(p->alias_from[i]) == n &&
		    memcmp(p->alias_from[i], s, n) == 0)
			return p->alias_to[i];
	return NULL;
}

const char *
vet_policy_district_name(const struct vet_policy *p, const char *s,
    size_t n)
{
	char buf[256];
	const char *d;
	size_t i, k;

	if ((d = district_or_alias(p, s, n)) != NULL)
		return d;
	if ((n = fold_trad(s, n, buf, sizeof buf)) == 0)
		return NULL;
	if ((d = district_or_alias(p, buf, n)) != NULL)
		return d;
	/* 北京市朝阳区, 北京朝阳: the city's name, then a district or an
	 * alias. */
	for (i = 0; i < p->nprefixes; i++) {
		k = strlen(p->prefixes[i]);
		if (n > k && memcmp(buf, p->prefixes[i], k) == 0 &&
		    (d = district_or_alias(p, buf + k, n - k)) != NULL)
			return d;
	}
	return NULL;
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

static const struct vet_pitem *
find_item(const struct vet_policy *p, const char *code)
{
	const struct vet_pitem *lists[] = { p->cats, p->meas, p->links,
		p->checks };
	size_t counts[] = { p->ncats, p->nmeas, p->nlinks, p->nchecks };
	size_t i, j;

	if (code == NULL)
		return NULL;
	for (i = 0; i < 4; i++)
		for (j = 0; j < counts[i]; j++)
			if (strcmp(lists[i][j].code, code) == 0)
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
    const char *field)
{
	size_t i, j;

	for (i = 0; i < p->nauth; i++) {
		if (strcmp(p->auth[i].source, source) != 0)
			continue;
		for (j = 0; j < p->auth[i].n; j++)
			if (strcmp(p->auth[i].fields[j], field) == 0)
				return 1;
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
