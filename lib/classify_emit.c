/*
 * classify_emit.c - the built-in policy's classify pieces written as C
 * data by make (gen/policy2c; classify_impl.h, struct vet_cpre), so that
 * a run takes them ready instead of escaping every code, clause and fixed
 * reason again.
 *
 * What it writes depends on the pieces' content only: test_classify
 * (builtin_pieces_are_made_pieces) proves the data the same as a fresh
 * classifier's.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "vet/classify.h"
#include "classify_impl.h"
#include "policy_impl.h"

/* Bytes of the pieces' text per line of the literal. */
#define TEXT_LINE	48

/* The last date any parameter changes value: from then on each has its
 * last value, for every later as-of date. */
static vet_day
settled(const struct vet_policy *p)
{
	const struct vet_pparam *pp;
	vet_day d = p->effective;
	size_t i;

	for (i = 0; i < p->nparams; i++) {
		pp = &p->params[i];
		if (pp->n > 0 && pp->v[pp->n - 1].from != VET_PFROM_ALWAYS &&
		    pp->v[pp->n - 1].from > d)
			d = pp->v[pp->n - 1].from;
	}
	return d;
}

static int
pieces(struct vet_buf *out, const char *var, const char *what,
    const struct vet_cpiece *v, size_t n)
{
	size_t i;
	int e;

	e = vet_buf_addf(out, "static const struct vet_cpiece %s_%s[] = {\n",
	    var, what);
	for (i = 0; e == 0 && i < n; i++)
		e = v[i].off == (size_t)-1 ?
		    vet_buf_addf(out, "\t{ (size_t)-1, %zu },\n", v[i].len) :
		    vet_buf_addf(out, "\t{ %zu, %zu },\n", v[i].off, v[i].len);
	if (e == 0)
		e = vet_buf_addstr(out, "\t{ 0, 0 }\n};\n");
	return e;
}

static int
text(struct vet_buf *out, const char *var, const char *s, size_t n)
{
	size_t i, k;
	int e;

	e = vet_buf_addf(out, "static const char %s_text[] =", var);
	for (i = 0; e == 0 && i < n; i += k) {
		k = n - i < TEXT_LINE ? n - i : TEXT_LINE;
		if ((e = vet_buf_addstr(out, "\n\t")) == 0)
			e = vet_policy__c_string(out, s + i, k);
	}
	if (e == 0)
		e = vet_buf_addstr(out, n == 0 ? " \"\";\n" : ";\n");
	return e;
}

static int
params(struct vet_buf *out, const char *var, const struct vet_policy *p,
    const struct vet_rval *vals)
{
	const struct vet_rval *v;
	size_t i;
	int e;

	e = vet_buf_addf(out, "static const unsigned char %s_known[] = {",
	    var);
	for (i = 0; e == 0 && i < p->nparams; i++)
		e = vet_buf_addf(out, " %d,", vals[p->params[i].sym].known);
	if (e == 0)
		e = vet_buf_addf(out, " 0 };\nstatic const double %s_num[] = {",
		    var);
	for (i = 0; e == 0 && i < p->nparams; i++) {
		v = &vals[p->params[i].sym];
		/* %a is exact; a parameter is a finite number. */
		e = isfinite(v->num) ? vet_buf_addf(out, " %a,", v->num) :
		    VET_EINTERNAL;
	}
	if (e == 0)
		e = vet_buf_addstr(out, " 0 };\n");
	return e;
}

int
vet_classify__emit_pre(const struct vet_policy *p, const char *var,
    struct vet_buf *out, struct vet_error *err)
{
	struct vet_classifier c;
	size_t n = p->ncats + p->nmeas, na, i;
	int e;

	if (p->cpre != NULL)
		return vet_error_set(err, VET_EINTERNAL, NULL, 0, 0,
		    "the policy has its pieces already");
	if ((e = vet_classify_init(&c, p, settled(p), err)) < 0)
		return e;
	na = c.pc.alt_first[n];
	if ((e = text(out, var, c.made.text.data, c.made.text.len)) == 0 &&
	    (e = pieces(out, var, "code", c.pc.code, 2 * n)) == 0 &&
	    (e = pieces(out, var, "alt", c.pc.alt, na)) == 0)
		e = vet_buf_addf(out, "static const size_t %s_alt_first[] = {",
		    var);
	for (i = 0; e == 0 && i <= n; i++)
		e = vet_buf_addf(out, " %zu,", c.pc.alt_first[i]);
	if (e == 0 && (e = vet_buf_addstr(out, " 0 };\n")) == 0 &&
	    (e = params(out, var, p, c.vals)) == 0)
		e = vet_buf_addf(out, "const struct vet_cpre %s = {\n"
		    "\t.pc = { .text = %s_text, .code = %s_code,\n"
		    "\t    .head = %s_code + %zu, .alt_first = %s_alt_first,\n"
		    "\t    .alt = %s_alt },\n"
		    "\t.nparams = %zu, .known = %s_known, .num = %s_num\n};\n",
		    var, var, var, var, n, var, var, p->nparams, var, var);
	vet_classify_release(&c);
	if (e == VET_EINTERNAL)
		return vet_error_set(err, e, NULL, 0, 0,
		    "a parameter is not a finite number");
	if (e < 0)
		return vet_error_set(err, VET_ENOMEM, NULL, 0, 0,
		    "out of memory");
	return 0;
}
