/*
 * policy_emit.c - a loaded policy written as C data (policy_impl.h,
 * vet_policy__emit_c), so that the built-in policy is loaded, checked and
 * its rules compiled once, by make (gen/policy2c), and a run finds it
 * ready: loading it was three quarters of a one-record run.
 *
 * Every array and string is written by content, never by address, in the
 * order the definitions must come: a name is defined before the first
 * initializer that uses it.  So the text written for the built-in policy
 * is the text written for a fresh load of the same file, which is how the
 * tests prove the data complete (test_policy: builtin_is_the_file).
 */
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "policy_impl.h"
#include "rule_impl.h"

struct emit {
	struct vet_buf *out;	/* the definitions, then the policy */
	unsigned next;		/* names v0, v1 ... made so far */
	int err;		/* VET_ENOMEM once an append failed */
	char names[8][64];	/* returned by the helpers below, in turn */
	unsigned ring;
};

static void add(struct emit *, struct vet_buf *, const char *, ...)
    __attribute__((format(printf, 3, 4)));

static void
add(struct emit *e, struct vet_buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (vet_buf_vaddf(b, fmt, ap) < 0)
		e->err = VET_ENOMEM;
	va_end(ap);
}

static char *
name(struct emit *e)
{
	return e->names[e->ring++ % 8];
}

int
vet_policy__c_string(struct vet_buf *b, const char *s, size_t n)
{
	size_t i;
	unsigned char c;
	int e;

	e = vet_buf_addch(b, '"');
	for (i = 0; e == 0 && i < n; i++) {
		c = (unsigned char)s[i];
		if (c == '"' || c == '\\' || c == '?')
			e = vet_buf_addf(b, "\\%c", c);
		else if (c < 0x20 || c > 0x7e)
			e = vet_buf_addf(b, "\\%03o", c);
		else
			e = vet_buf_addch(b, (char)c);
	}
	if (e == 0)
		e = vet_buf_addch(b, '"');
	return e;
}

static void
literal(struct emit *e, struct vet_buf *b, const char *s, size_t n)
{
	if (vet_policy__c_string(b, s, n) < 0)
		e->err = VET_ENOMEM;
}

/* A name for s[0..n), defined now; "NULL" for NULL. */
static const char *
str_n(struct emit *e, const char *s, size_t n)
{
	char *nm = name(e);

	if (s == NULL)
		return "NULL";
	snprintf(nm, sizeof e->names[0], "v%u", e->next++);
	add(e, e->out, "static const char %s[] = ", nm);
	literal(e, e->out, s, n);
	add(e, e->out, ";\n");
	return nm;
}

static const char *
str(struct emit *e, const char *s)
{
	return str_n(e, s, s == NULL ? 0 : strlen(s));
}

/* "(const char **)vN", vN a NULL-ended list of v[0..n) (or "NULL" when v
 * is NULL); cast is what the member's type needs. */
static const char *
strs(struct emit *e, const char *const *v, size_t n, int ended,
    const char *cast)
{
	struct vet_buf b = VET_BUF_INIT;
	char *nm;
	size_t i;

	if (v == NULL)
		return "NULL";
	if (ended)
		for (n = 0; v[n] != NULL; n++)
			;
	for (i = 0; i < n; i++)
		add(e, &b, "\t%s,\n", str(e, v[i]));
	nm = name(e);
	snprintf(nm, sizeof e->names[0], "%sv%u", cast, e->next++);
	add(e, e->out, "static const char *const %s[] = {\n%s\tNULL\n};\n",
	    nm + strlen(cast), b.len ? vet_buf_str(&b) : "");
	vet_buf_release(&b);
	return nm;
}

static const char *
ints(struct emit *e, const int *v, size_t n)
{
	char *nm;
	size_t i;

	if (v == NULL)
		return "NULL";
	nm = name(e);
	snprintf(nm, sizeof e->names[0], "(int *)v%u", e->next++);
	add(e, e->out, "static const int %s[] = {", nm + 7);
	for (i = 0; i < n; i++)
		add(e, e->out, "%s%d", i == 0 ? "\n\t" : i % 16 ? ", " :
		    ",\n\t", v[i]);
	add(e, e->out, "%s};\n", n ? "\n" : " 0 ");
	return nm;
}

/* A double exactly, as C: %.17g reads back as the same value. */
static const char *
dbl(struct emit *e, double x)
{
	char *nm = name(e);

	if (isnan(x))
		return "NAN";
	if (isinf(x))
		return x > 0 ? "HUGE_VAL" : "-HUGE_VAL";
	snprintf(nm, sizeof e->names[0], "%.17g", x);
	if (strpbrk(nm, ".en") == NULL)
		strcat(nm, ".0");
	return nm;
}

/* An int32_t: INT32_MIN is not a literal of its own type. */
static const char *
i32(struct emit *e, int32_t v)
{
	char *nm = name(e);

	if (v == INT32_MIN)
		return "INT32_MIN";
	snprintf(nm, sizeof e->names[0], "%" PRId32, v);
	return nm;
}

/* Starts "static const TYPE vN[] = {" for an array whose initializer
 * items the caller has in body; the name, cast for the member. */
static const char *
array(struct emit *e, const char *type, struct vet_buf *body, size_t n)
{
	char *nm = name(e);
	unsigned k = e->next++;

	if (n == 0) {
		vet_buf_release(body);
		return "NULL";
	}
	snprintf(nm, sizeof e->names[0], "(%s *)v%u", type, k);
	add(e, e->out, "static const %s v%u[] = {\n%s};\n", type, k,
	    vet_buf_str(body));
	vet_buf_release(body);
	return nm;
}

static void
rval(struct emit *e, struct vet_buf *b, const struct vet_rval *v)
{
	add(e, b, "{ .type = %u, .known = %u, .present = %u, .count = %s, "
	    ".day = %s, .num = %s, .s = %s, .n = %zu }", v->type, v->known,
	    v->present, i32(e, v->count), i32(e, v->day), dbl(e, v->num),
	    str_n(e, v->s, v->n), v->n);
}

static void
rule(struct emit *e, struct vet_buf *b, const struct vet_rule *r)
{
	struct vet_buf nb = VET_BUF_INIT, pb = VET_BUF_INIT;
	const struct vet_rnode *d;
	const struct vet_rinsn *in;
	char nodes[64], prog[64], lits[64];	/* the ring turns */
	int i;

	for (i = 0; r->nodes != NULL && i < r->nnodes; i++) {
		d = &r->nodes[i];
		add(e, &nb, "\t{ .op = %u, .type = %u, .a = %d, .b = %d, "
		    ".nlist = %d, .num = %s, .soff = %zu, .n = %zu, .off = %d, "
		    ".len = %d, .lit = %u, .val = ", d->op, d->type, d->a,
		    d->b, d->nlist, dbl(e, d->num), d->soff, d->n, d->off,
		    d->len, d->lit);
		rval(e, &nb, &d->val);
		add(e, &nb, " },\n");
	}
	snprintf(nodes, sizeof nodes, "%s", array(e, "struct vet_rnode", &nb,
	    r->nodes ? r->nnodes : 0));
	for (i = 0; r->prog != NULL && i < r->nprog; i++) {
		in = &r->prog[i];
		add(e, &pb, "\t{ .op = %u, .cmp = %u, .neg = %u, .a = %d, "
		    ".b = %d, .target = %d, .day = %s, .num = %s, "
		    ".soff = %zu, .n = %zu },\n", in->op, in->cmp, in->neg,
		    in->a, in->b, in->target, i32(e, in->day),
		    dbl(e, in->num), in->soff, in->n);
	}
	snprintf(prog, sizeof prog, "%s", array(e, "struct vet_rinsn", &pb,
	    r->prog ? r->nprog : 0));
	/* A rule without a string literal has no lits to write. */
	snprintf(lits, sizeof lits, "%s", r->litlen == 0 ? "NULL" :
	    str_n(e, r->lits, r->litlen));
	add(e, b, "{ .nodes = %s, .root = %d, .nnodes = %d, .prog = %s, "
	    ".nprog = %d, .shape = %d, .lits = (char *)%s, .litlen = %zu, "
	    ".src = (char *)%s, .srclen = %zu }", nodes, r->root, r->nnodes,
	    prog, r->nprog, r->shape, lits, r->litlen,
	    str_n(e, r->src, r->srclen), r->srclen);
}

static const char *
items(struct emit *e, const struct vet_pitem *it, size_t n)
{
	struct vet_buf b = VET_BUF_INIT;
	size_t i;

	for (i = 0; i < n; i++) {
		add(e, &b, "\t{ .code = %s, .zh = %s, .en = %s, ",
		    str(e, it[i].code), str(e, it[i].zh), str(e, it[i].en));
		add(e, &b, ".clause = %s, .severity = %s, .priority = %d, "
		    ".exclusive = %d, .has_rule = %d, .rule = ",
		    str(e, it[i].clause), str(e, it[i].severity),
		    it[i].priority, it[i].exclusive, it[i].has_rule);
		rule(e, &b, &it[i].rule);
		add(e, &b, ", .has_delivered = %d, .delivered = ",
		    it[i].has_delivered);
		rule(e, &b, &it[i].delivered);
		add(e, &b, ", .sym = %d },\n", it[i].sym);
	}
	return array(e, "struct vet_pitem", &b, n);
}

static const char *
groups(struct emit *e, const struct vet_policy *p)
{
	struct vet_buf b = VET_BUF_INIT;
	const struct vet_pgroup *g;
	size_t i;

	for (i = 0; i < p->ngroups; i++) {
		g = &p->groups[i];
		add(e, &b, "\t{ .code = %s, .when = ", str(e, g->code));
		rule(e, &b, &g->when);
		add(e, &b, ", .base_age = %d, .born_from = %d, .divisor = %d, "
		    ".cap = %d },\n", g->base_age, g->born_from, g->divisor,
		    g->cap);
	}
	return array(e, "struct vet_pgroup", &b, p->ngroups);
}

static const char *
params(struct emit *e, const struct vet_policy *p)
{
	struct vet_buf b = VET_BUF_INIT, vb;
	const struct vet_pparam *q;
	const struct vet_pvalue *v;
	size_t i, j;

	for (i = 0; i < p->nparams; i++) {
		q = &p->params[i];
		vet_buf_init(&vb);
		for (j = 0; j < q->n; j++) {
			v = &q->v[j];
			add(e, &vb, "\t{ .from = %s, .value = %s, .ref = %s, "
			    ".line = %ld, .col = %ld },\n", i32(e, v->from),
			    dbl(e, v->value), str(e, v->ref), v->line, v->col);
		}
		add(e, &b, "\t{ .name = %s, .zh = %s, .en = %s, ",
		    str(e, q->name), str(e, q->zh), str(e, q->en));
		add(e, &b, ".v = %s, .n = %zu, .sym = %d },\n",
		    array(e, "struct vet_pvalue", &vb, q->n), q->n, q->sym);
	}
	return array(e, "struct vet_pparam", &b, p->nparams);
}

static const char *
defaults(struct emit *e, const struct vet_policy *p)
{
	struct vet_buf b = VET_BUF_INIT;
	size_t i;

	for (i = 0; i < p->ndefaults; i++) {
		add(e, &b, "\t{ .sym = %d, .val = ", p->defaults[i].sym);
		rval(e, &b, &p->defaults[i].val);
		add(e, &b, " },\n");
	}
	return array(e, "struct vet_pdefault", &b, p->ndefaults);
}

static const char *
prios(struct emit *e, const struct vet_policy *p)
{
	struct vet_buf b = VET_BUF_INIT;
	size_t i;

	for (i = 0; i < p->nprio; i++) {
		add(e, &b, "\t{ .value = %d, .rule = ", p->prio[i].value);
		rule(e, &b, &p->prio[i].rule);
		add(e, &b, " },\n");
	}
	return array(e, "struct vet_pprio", &b, p->nprio);
}

static const char *
auths(struct emit *e, const struct vet_policy *p)
{
	struct vet_buf b = VET_BUF_INIT;
	const struct vet_pauth *a;
	size_t i;

	for (i = 0; i < p->nauth; i++) {
		a = &p->auth[i];
		add(e, &b, "\t{ .source = %s, ", str(e, a->source));
		add(e, &b, ".fields = %s, .n = %zu },\n", strs(e, a->fields,
		    a->n, 0, "(const char **)"), a->n);
	}
	return array(e, "struct vet_pauth", &b, p->nauth);
}

static const char *
contras(struct emit *e, const struct vet_policy *p)
{
	struct vet_buf b = VET_BUF_INIT;
	const struct vet_policy_contradiction *c;
	size_t i;

	for (i = 0; i < p->ncontra; i++) {
		c = &p->contra[i];
		add(e, &b, "\t{ .ledger = %s, ", str(e, c->ledger));
		add(e, &b, ".ledger_values = %s, .nledger = %zu, ",
		    strs(e, c->ledger_values, c->nledger, 0,
		    "(const char **)"), c->nledger);
		add(e, &b, ".extract = %s, ", str(e, c->extract));
		add(e, &b, ".extract_values = %s, .nextract = %zu, ",
		    strs(e, c->extract_values, c->nextract, 0,
		    "(const char **)"), c->nextract);
		add(e, &b, ".hint = %s },\n", str(e, c->hint));
	}
	return array(e, "struct vet_policy_contradiction", &b, p->ncontra);
}

static const char *
matches(struct emit *e, const struct vet_pmatch *m, size_t n)
{
	struct vet_buf b = VET_BUF_INIT;
	size_t i;

	for (i = 0; m != NULL && i < n; i++) {
		add(e, &b, "\t{ .field = %s, ", str(e, m[i].field));
		add(e, &b, ".value = %s },\n", str(e, m[i].value));
	}
	return array(e, "struct vet_pmatch", &b, m != NULL ? n : 0);
}

static void
facts(struct emit *e, struct vet_buf *b, const struct vet_policy *p)
{
	const struct vet_pfact *f;
	size_t i;

	add(e, b, "\t.facts = {\n");
	for (i = 0; i < VET_FACT_N; i++) {
		f = &p->facts[i];
		add(e, b, "\t\t{ .on = %d, .clause = %s, .type = %d, ",
		    f->on, str(e, f->clause), f->type);
		add(e, b, ".where = %s, .nwhere = %zu, ",
		    matches(e, f->where, f->nwhere), f->nwhere);
		add(e, b, ".count = %s, .ncount = %zu, ",
		    matches(e, f->count, f->ncount), f->ncount);
		add(e, b, ".sum = %s, .unless = %s, .reason = %s, ",
		    str(e, f->sum), str(e, f->unless), str(e, f->reason));
		add(e, b, ".since = %d, .cleared_by = %d },\n", f->since,
		    f->cleared_by);
	}
	add(e, b, "\t},\n");
}

static const char *
dated(struct emit *e, const struct vet_policy *p)
{
	struct vet_buf b = VET_BUF_INIT;
	const struct vet_pdated *d;
	size_t i;

	for (i = 0; i < p->ndated; i++) {
		d = &p->dated[i];
		add(e, &b, "\t{ .fact = %s, ", str(e, d->fact));
		add(e, &b, ".date = %s, .fact_sym = %d, .date_sym = %d },\n",
		    str(e, d->date), d->fact_sym, d->date_sym);
	}
	return array(e, "struct vet_pdated", &b, p->ndated);
}

static void
symtab(struct emit *e, struct vet_buf *b, const struct vet_rule_symtab *t)
{
	struct vet_buf sb = VET_BUF_INIT;
	const struct vet_rule_sym *s;
	const char *syms;
	size_t i;

	for (i = 0; i < t->n; i++) {
		s = &t->syms[i];
		add(e, &sb, "\t{ .name = %s, .type = %d, .kind = %d, ",
		    str(e, s->name), (int)s->type, (int)s->kind);
		add(e, &sb, ".scopes = %uu, .rank = %d, .enums = %s, "
		    ".used = %d },\n", s->scopes, s->rank, strs(e, s->enums,
		    0, 1, ""), s->used);
	}
	syms = array(e, "struct vet_rule_sym", &sb, t->n);
	/* cap is n: the built-in table is full and never grows (a caller
	 * that adds names adds them to a copy, vet_rule_symtab_copy). */
	add(e, b, "\t.syms = { .syms = %s, .n = %zu, .cap = %zu, ", syms,
	    t->n, t->n);
	add(e, b, ".slot = %s, .nslot = %zu },\n",
	    ints(e, t->slot, t->nslot), t->nslot);
}

static const char *
keys(struct emit *e, const struct vet_policy *p)
{
	struct vet_buf b = VET_BUF_INIT;
	const struct vet_pkey *k;
	size_t i, n = p->keys != NULL ? p->keymask + 1 : 0;

	for (i = 0; i < n; i++) {
		k = &p->keys[i];
		add(e, &b, "\t{ .name = %s, .len = %zu, .sym = %d },\n",
		    str_n(e, k->name, k->len), (size_t)k->len, k->sym);
	}
	return array(e, "struct vet_pkey", &b, n);
}

static void
policy_body(struct emit *e, struct vet_buf *b, const struct vet_policy *p)
{
	size_t i;

	add(e, b, "\t.builtin = 1,\n\t.file = ");
	literal(e, b, p->file, strlen(p->file));
	add(e, b, ",\n\t.id = %s, .title = %s, ", str(e, p->id),
	    str(e, p->title));
	add(e, b, ".jurisdiction = %s,\n\t.effective = %s,\n",
	    str(e, p->jurisdiction), i32(e, p->effective));
	add(e, b, "\t.districts = %s, .ndistricts = %zu,\n",
	    strs(e, p->districts, p->ndistricts, 0, "(const char **)"),
	    p->ndistricts);
	add(e, b, "\t.prefixes = %s, .nprefixes = %zu,\n",
	    strs(e, p->prefixes, p->nprefixes, 0, "(const char **)"),
	    p->nprefixes);
	add(e, b, "\t.alias_from = %s, ", strs(e, p->alias_from,
	    p->naliases, 0, "(const char **)"));
	add(e, b, ".alias_to = %s, .naliases = %zu,\n", strs(e, p->alias_to,
	    p->naliases, 0, "(const char **)"), p->naliases);
	add(e, b, "\t.min_age = %d, .reform_start = %s, .retire_ref = %s,\n",
	    p->min_age, i32(e, p->reform_start), str(e, p->retire_ref));
	add(e, b, "\t.groups = %s, .ngroups = %zu,\n", groups(e, p),
	    p->ngroups);
	add(e, b, "\t.params = %s, .nparams = %zu,\n", params(e, p),
	    p->nparams);
	add(e, b, "\t.defaults = %s, .ndefaults = %zu,\n", defaults(e, p),
	    p->ndefaults);
	add(e, b, "\t.cats = %s, .ncats = %zu,\n", items(e, p->cats,
	    p->ncats), p->ncats);
	add(e, b, "\t.meas = %s, .nmeas = %zu,\n", items(e, p->meas,
	    p->nmeas), p->nmeas);
	add(e, b, "\t.links = %s, .nlinks = %zu,\n", items(e, p->links,
	    p->nlinks), p->nlinks);
	add(e, b, "\t.checks = %s, .nchecks = %zu,\n", items(e, p->checks,
	    p->nchecks), p->nchecks);
	add(e, b, "\t.prio_default = %d, .prio = %s, .nprio = %zu,\n",
	    p->prio_default, prios(e, p), p->nprio);
	add(e, b, "\t.auth = %s, .nauth = %zu,\n", auths(e, p), p->nauth);
	add(e, b, "\t.contra = %s, .ncontra = %zu,\n", contras(e, p),
	    p->ncontra);
	facts(e, b, p);
	add(e, b, "\t.dated = %s, .ndated = %zu,\n", dated(e, p), p->ndated);
	symtab(e, b, &p->syms);
	add(e, b, "\t.s_id = %d, .s_sex = %d, .s_birth = %d, .s_track = %d, "
	    ".s_age = %d, .s_working_age = %d, .s_retire = %d,\n", p->s_id,
	    p->s_sex, p->s_birth, p->s_track, p->s_age, p->s_working_age,
	    p->s_retire);
	add(e, b, "\t.s_categories = %d, .s_measures = %d, "
	    ".s_priority = %d,\n\t.s_ev = {", p->s_categories,
	    p->s_measures, p->s_priority);
	for (i = 0; i < VET_POLICY_NDELIVERY; i++)
		add(e, b, " %d,", p->s_ev[i]);
	add(e, b, " },\n\t.fields = %s, .nfields = %zu,\n",
	    ints(e, p->fields, p->nfields), p->nfields);
	add(e, b, "\t.keys = %s, .keymask = %zu,\n", keys(e, p), p->keymask);
}

int
vet_policy__emit_c(const struct vet_policy *p, const char *var,
    const char *text, const char *cpre, struct vet_buf *out)
{
	struct emit e;
	struct vet_buf body = VET_BUF_INIT;

	memset(&e, 0, sizeof e);
	e.out = out;
	if (cpre != NULL)
		add(&e, out, "extern const struct vet_cpre %s;\n", cpre);
	policy_body(&e, &body, p);
	if (cpre != NULL)
		add(&e, &body, "\t.cpre = &%s,\n", cpre);
	/* The tests are read from the text when run (vet_policy__tests):
	 * only --check-policy runs them. */
	add(&e, &body, "\t.tests_text = %s, .tests_len = sizeof %s - 1,\n",
	    text, text);
	add(&e, out, "\nconst struct vet_policy %s = {\n%s};\n", var,
	    vet_buf_str(&body));
	vet_buf_release(&body);
	return e.err;
}
