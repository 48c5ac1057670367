/*
 * report_policy.c - the report schema taken from a loaded policy
 * (report.h), kept apart from the aggregation so that the aggregation can be
 * tested with any schema.
 *
 * The links are evaluated from the fields the report picks out in its one
 * pass over a record (links_fields), not by the policy's fill, which looks
 * up every key of the record a second time and reads every field the
 * classification needs: that second pass was half of vet-report's time.
 * This reads the policy's compiled links and symbols (policy_impl.h), the
 * one place outside the policy module that does; it checks every field
 * the policy's fill checks, in the same order and with the same messages,
 * so that the same records are rejected, and decodes only the values a
 * link rule reads.  A policy whose links read the person (age, working age,
 * retirement, or the birth date and sex the fill takes from the id) keeps
 * the policy's own fill.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vet/buf.h"
#include "vet/error.h"
#include "vet/json.h"
#include "vet/policy.h"
#include "vet/record.h"
#include "vet/report.h"
#include "vet/rule.h"
#include "policy_impl.h"

/* A category or measure code a link rule reads. */
struct rp_code {
	const char *code;
	size_t len;
	int sym;
};

/* A record key the links' evaluator reads. */
struct rp_key {
	int sym;
	int use;		/* a link rule reads its value; else it is only
				   checked, as the policy's fill checks it */
	const char *const *enums;	/* STR: the allowed codes, or NULL */
	size_t *elen;		/* their lengths */
	/* categories and measures: the codes links read, matched as the
	 * list is checked (bit 1 categories, 2 measures). */
	const struct rp_code *codes;
	size_t ncodes;
	unsigned which;
};

/* An escaped string of a used field, decoded into tmp at off. */
struct rp_fix {
	int sym;
	size_t off, len;
};

/*
 * The callbacks' context: the policy, and the linker that keeps the
 * symbols' values across records so that a record does not clear and
 * refill the whole table; and the one-pass evaluator (fast) with its own
 * values, of which a record rewrites only those the links read.
 */
struct rp_ctx {
	const struct vet_policy *p;
	struct vet_policy_linker *lk;

	vet_day as_of;		/* of the parameters in vals */
	struct vet_rval *vals;
	const char **names;	/* the keys, schema link_keys */
	struct rp_key *keys;
	size_t nkeys;
	size_t *elen;		/* lengths of every key's codes */
	int *reset;		/* used field slots, set unknown per record */
	size_t nreset;
	size_t *defs;		/* defaults of used fields (p->defaults) */
	size_t ndefs;
	struct rp_code *codes;	/* used category codes, then measure codes */
	size_t ncatc, nmeasc;
	struct rp_fix *fix;
	struct vet_buf tmp, scratch;
	unsigned done;		/* the lists whose codes are set (rp_key) */
};

static int
links_eval(void *ctx, const struct vet_record *r, vet_day as_of, int *hits,
    struct vet_error *err)
{
	struct rp_ctx *x = ctx;

	return vet_policy_linker_eval(x->lk, r, as_of, NULL, hits, NULL, err);
}

static int
links_deliver(void *ctx, const struct vet_record *r, vet_day as_of,
    const struct vet_policy_delivery *d, int *planned, int *delivered,
    struct vet_error *err)
{
	struct rp_ctx *x = ctx;

	return vet_policy_linker_eval(x->lk, r, as_of, d, planned, delivered,
	    err);
}

/*
 * Why a record cannot be evaluated, worded as the policy's fill words it.
 * Values are never quoted: a wrong value may be an id or a phone typed
 * into the wrong column.
 */
static int
why_set(struct vet_error *err, const char *fmt, const char *name)
{
	return vet_error_set(err, VET_EDATA, NULL, 0, 0, fmt, name);
}

/*
 * A number: the short integers the data holds without a conversion
 * (exact in a double, as strtod gives them), the rest as the fill reads
 * them.  0, or -1 when the fill would refuse it.
 */
static int
number(struct vet_span v, double *out)
{
	size_t i;
	double d = 0;

	if (v.n == 0 || v.n > 15)
		return vet_json_number(v, out) != 0 ? -1 : 0;
	for (i = 0; i < v.n; i++) {
		if (v.p[i] < '0' || v.p[i] > '9')
			return vet_json_number(v, out) != 0 ? -1 : 0;
		d = d * 10 + (v.p[i] - '0');
	}
	*out = d;
	return 0;
}

/* JSON's whitespace (RFC 8259). */
static inline int
json_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static void element_codes(struct rp_ctx *x, const struct rp_code *c,
    size_t n, struct vet_span el);

/*
 * Checks field f of key kk as the policy's fill does (classify.c
 * fill_value) and, when a link rule reads it, sets its value v.  0, or
 * VET_EDATA / VET_ENOMEM with err filled.
 */
static int
check_value(struct rp_ctx *x, const struct rp_key *kk,
    const struct vet_field *f, struct vet_rval *v, size_t *nfix,
    struct vet_error *err)
{
	const struct vet_rule_sym *s = &x->p->syms.syms[kk->sym];
	struct vet_span el;
	struct vet_buf *b = v ? &x->tmp : &x->scratch;
	const char *str, *q, *end;
	size_t len, off, i;
	double num;
	vet_day day;
	int32_t count;

	if (v != NULL)
		v->present = 1;
	switch (s->type) {
	case VET_RT_BOOL:
		if (f->type != VET_JSON_TRUE && f->type != VET_JSON_FALSE)
			return why_set(err, "field '%s' must be true or false",
			    s->name);
		if (v != NULL)
			v->num = f->type == VET_JSON_TRUE;
		break;
	case VET_RT_NUM:
		if (f->type != VET_JSON_NUMBER || number(f->val, &num) < 0)
			return why_set(err, "field '%s' must be a number",
			    s->name);
		if (v != NULL)
			v->num = num;
		break;
	case VET_RT_STR:
	case VET_RT_DATE:
		if (f->type != VET_JSON_STRING)
			return why_set(err, s->type == VET_RT_DATE ?
			    "field '%s' must be a date YYYY-MM-DD" :
			    "field '%s' must be a string", s->name);
		/*
		 * The common cases without looking for escapes: a date that
		 * parses as it stands holds none, nor does a value equal to
		 * one of the codes (which hold no backslash, rp_key), and a
		 * string nobody reads needs no decoding.
		 */
		if (s->type == VET_RT_DATE) {
			if (vet_date_parse(f->val.p + 1, f->val.n - 2,
			    &day) == 0) {
				if (v != NULL)
					v->day = day;
				break;
			}
		} else if (kk->enums != NULL) {
			for (i = 0; kk->enums[i] != NULL; i++)
				if (kk->elen[i] == f->val.n - 2 &&
				    memcmp(kk->enums[i], f->val.p + 1,
				    f->val.n - 2) == 0)
					break;
			if (kk->enums[i] != NULL) {
				if (v != NULL) {
					v->s = f->val.p + 1;
					v->n = f->val.n - 2;
				}
				break;
			}
		} else if (v == NULL)
			break;
		off = (size_t)-1;
		if (memchr(f->val.p, '\\', f->val.n) != NULL) {
			if (v == NULL)
				vet_buf_reset(b);
			off = b->len;
			if (vet_json_unescape(b, f->val) < 0)
				return vet_error_nomem(err);
			len = b->len - off;
			str = b->data + off;
		} else {
			str = f->val.p + 1;
			len = f->val.n - 2;
		}
		if (s->type == VET_RT_DATE) {
			if (vet_date_parse(str, len, &day) != 0)
				return why_set(err, "field '%s' is not a date "
				    "YYYY-MM-DD", s->name);
			if (v != NULL)
				v->day = day;
			break;
		}
		if (kk->enums != NULL) {
			for (i = 0; kk->enums[i] != NULL; i++)
				if (kk->elen[i] == len &&
				    memcmp(kk->enums[i], str, len) == 0)
					break;
			if (kk->enums[i] == NULL)
				return why_set(err, "field '%s' has a value "
				    "that is not one of its codes", s->name);
		}
		if (v == NULL)
			break;
		if (off != (size_t)-1) {
			x->fix[*nfix].sym = kk->sym;
			x->fix[*nfix].off = off;
			x->fix[*nfix].len = len;
			(*nfix)++;
		} else {
			v->s = str;
			v->n = len;
		}
		break;
	case VET_RT_STRS:
		if (f->type != VET_JSON_ARRAY)
			return why_set(err, "field '%s' must be a list of "
			    "strings", s->name);
		/*
		 * The elements walked here rather than by vet_json_iter:
		 * the array is valid JSON (the record's scan), so a string
		 * ends at the first quote not escaped, and an escape is a
		 * backslash and one byte (\uXXXX's digits are neither).
		 */
		q = f->val.p + 1;
		end = f->val.p + f->val.n - 1;	/* the ']' */
		count = 0;
		for (;;) {
			while (q < end && json_ws(*q))
				q++;
			if (q == end)
				break;
			if (*q != '"')
				return why_set(err, "field '%s' must be a "
				    "list of strings", s->name);
			el.p = q++;
			while (*q != '"')
				q += *q == '\\' ? 2 : 1;
			el.n = (size_t)(++q - el.p);
			count++;
			if (kk->ncodes != 0)
				element_codes(x, kk->codes, kk->ncodes, el);
			while (q < end && json_ws(*q))
				q++;
			if (q < end)
				q++;	/* the ',' */
		}
		x->done |= kk->which;
		if (v != NULL) {
			v->count = count;
			v->s = f->val.p;
			v->n = f->val.n;
		}
		break;
	default:
		return vet_error_set(err, VET_EINTERNAL, NULL, 0, 0, "%s",
		    "out of memory");
	}
	if (v != NULL)
		v->known = 1;
	return 0;
}

/* Sets the code among c[0..n) that s is; 1 when it is one. */
static int
code_hit(struct rp_ctx *x, const struct rp_code *c, size_t n,
    struct vet_span s)
{
	size_t i;

	if (s.n == 0)
		return 0;
	for (i = 0; i < n; i++)
		if (c[i].code[0] == s.p[0] && c[i].len == s.n &&
		    memcmp(c[i].code, s.p, s.n) == 0) {
			x->vals[c[i].sym].num = 1;
			return 1;
		}
	return 0;
}

/* Sets the code among c[0..n) that string element el is, if any. */
static void
element_codes(struct rp_ctx *x, const struct rp_code *c, size_t n,
    struct vet_span el)
{
	struct vet_span s;

	/* The element as it stands first: a code holds no escape
	 * (fast_new), so equal raw bytes are the code. */
	s.p = el.p + 1;
	s.n = el.n - 2;
	if (code_hit(x, c, n, s) || memchr(s.p, '\\', s.n) == NULL ||
	    vet_json_string(el, &x->scratch, &s) != 0)
		return;
	code_hit(x, c, n, s);
}

/* The codes of list arr (a known STRS value) that links read, set. */
static void
set_codes(struct rp_ctx *x, const struct rp_code *c, size_t n,
    const struct vet_rval *arr)
{
	struct vet_json_iter it;
	struct vet_span el;

	if (n == 0 || !arr->known)
		return;
	vet_json_iter_init(&it, (struct vet_span){ arr->s, arr->n });
	while (vet_json_iter_next(&it, NULL, &el))
		element_codes(x, c, n, el);
}

static int
links_fields(void *ctx, const struct vet_report_lfield *lf, size_t n,
    vet_day as_of, const struct vet_policy_delivery *d, int *planned,
    int *delivered, struct vet_error *err)
{
	struct rp_ctx *x = ctx;
	const struct vet_policy *p = x->p;
	struct vet_rule_env env = { &p->syms, x->vals, as_of };
	const struct rp_key *kk;
	struct vet_rval *v;
	size_t i, nfix = 0;
	int rc, k;

	if (as_of != x->as_of) {
		if ((rc = vet_policy_set_params(p, as_of, x->vals, err)) < 0)
			return rc;
		x->as_of = as_of;
	}
	for (i = 0; i < x->nreset; i++) {
		k = x->reset[i];
		memset(&x->vals[k], 0, sizeof x->vals[k]);
		x->vals[k].type = (unsigned char)p->syms.syms[k].type;
	}
	/* The codes unset, set as their lists are checked below. */
	for (i = 0; i < x->ncatc + x->nmeasc; i++) {
		v = &x->vals[x->codes[i].sym];
		memset(v, 0, sizeof *v);
		v->type = VET_RT_BOOL;
		v->known = 1;
	}
	x->done = 0;
	vet_buf_reset(&x->tmp);
	for (i = 0; i < n; i++) {
		if (lf[i].f->type == VET_JSON_NULL)
			continue;
		kk = &x->keys[lf[i].key];
		if ((rc = check_value(x, kk, lf[i].f, kk->use ?
		    &x->vals[kk->sym] : NULL, &nfix, err)) < 0)
			return rc;
	}
	for (i = 0; i < nfix; i++) {
		x->vals[x->fix[i].sym].s = x->tmp.data + x->fix[i].off;
		x->vals[x->fix[i].sym].n = x->fix[i].len;
	}
	for (i = 0; i < x->ndefs; i++) {
		v = &x->vals[p->defaults[x->defs[i]].sym];
		if (!v->known) {
			*v = p->defaults[x->defs[i]].val;
			v->present = 0;
		}
	}
	/* A list the record lacks may have a default (as the fill reads
	 * the codes after the defaults). */
	if (!(x->done & 1))
		set_codes(x, x->codes, x->ncatc, &x->vals[p->s_categories]);
	if (!(x->done & 2))
		set_codes(x, x->codes + x->ncatc, x->nmeasc,
		    &x->vals[p->s_measures]);

	/* As the policy's links_run: the planned rule never sees events. */
	for (i = 0; i < VET_POLICY_NDELIVERY; i++)
		memset(&x->vals[p->s_ev[i]], 0, sizeof x->vals[0]);
	for (i = 0; i < p->nlinks; i++)
		planned[i] = vet_rule_eval(&p->links[i].rule, &env);
	if (d == NULL)
		return 0;
	for (i = 0; i < VET_POLICY_NDELIVERY; i++) {
		v = &x->vals[p->s_ev[i]];
		v->type = VET_RT_NUM;
		v->known = 1;
		v->present = 1;
		v->num = d->v[i];
	}
	/* Of the planned, the delivered (report.h): a link not planned is
	 * not evaluated for delivery. */
	for (i = 0; i < p->nlinks; i++)
		delivered[i] = planned[i] && p->links[i].has_delivered &&
		    vet_rule_eval(&p->links[i].delivered, &env);
	return 0;
}

/* The names the links read (used[] per symbol of the policy). */
static void
link_uses(const struct vet_policy *p, unsigned char *used)
{
	size_t i;

	memset(used, 0, p->syms.n);
	for (i = 0; i < p->nlinks; i++) {
		vet_rule_uses(&p->links[i].rule, used);
		if (p->links[i].has_delivered)
			vet_rule_uses(&p->links[i].delivered, used);
	}
}

/*
 * Sets up the one-pass evaluator in x and the schema's link_keys; leaves
 * links_fields NULL (the policy's own fill) when the links read the
 * person.  0 or VET_ENOMEM.
 */
static int
fast_new(struct rp_ctx *x, struct vet_report_schema *s, vet_day as_of,
    struct vet_error *err)
{
	const struct vet_policy *p = x->p;
	const struct vet_pitem *it;
	unsigned char *used;
	size_t i, j, ne;
	int rc, k;

	if (p->nlinks == 0)
		return 0;
	if ((used = calloc(p->syms.n + 1, 1)) == NULL)
		return vet_error_nomem(err);
	link_uses(p, used);
	rc = 0;
	if (used[p->s_age] || used[p->s_working_age] || used[p->s_retire] ||
	    used[p->s_birth] || used[p->s_sex])
		goto out;
	for (i = 0; i < p->ncats; i++)
		if (p->cats[i].sym >= 0 && used[p->cats[i].sym])
			used[p->s_categories] = 1;
	for (i = 0; i < p->nmeas; i++)
		if (p->meas[i].sym >= 0 && used[p->meas[i].sym])
			used[p->s_measures] = 1;

	rc = VET_ENOMEM;
	x->nkeys = p->nfields;
	for (i = ne = 0; i < p->nfields; i++)
		for (j = 0; p->syms.syms[p->fields[i]].enums &&
		    p->syms.syms[p->fields[i]].enums[j]; j++)
			ne++;
	if ((x->vals = calloc(p->syms.n + 1, sizeof *x->vals)) == NULL ||
	    (x->names = calloc(x->nkeys + 1, sizeof *x->names)) == NULL ||
	    (x->keys = calloc(x->nkeys + 1, sizeof *x->keys)) == NULL ||
	    (x->elen = calloc(ne + 1, sizeof *x->elen)) == NULL ||
	    (x->reset = calloc(x->nkeys + 1, sizeof *x->reset)) == NULL ||
	    (x->fix = calloc(x->nkeys + 1, sizeof *x->fix)) == NULL ||
	    (x->defs = calloc(p->ndefaults + 1, sizeof *x->defs)) == NULL ||
	    (x->codes = calloc(p->ncats + p->nmeas + 1,
	    sizeof *x->codes)) == NULL) {
		vet_error_nomem(err);
		goto out;
	}
	for (i = ne = 0; i < p->nfields; i++) {
		k = p->fields[i];
		x->names[i] = p->syms.syms[k].name;
		x->keys[i].sym = k;
		x->keys[i].use = used[k];
		x->keys[i].enums = p->syms.syms[k].enums;
		x->keys[i].elen = x->elen + ne;
		for (j = 0; x->keys[i].enums && x->keys[i].enums[j]; j++) {
			x->elen[ne++] = strlen(x->keys[i].enums[j]);
			/* A code is matched against the raw value first. */
			if (strchr(x->keys[i].enums[j], '\\') != NULL) {
				rc = 0;
				goto out;
			}
		}
		if (used[k])
			x->reset[x->nreset++] = k;
	}
	for (i = 0; i < p->ndefaults; i++)
		if (used[p->defaults[i].sym])
			x->defs[x->ndefs++] = i;
	for (i = 0; i < p->ncats + p->nmeas; i++) {
		it = i < p->ncats ? &p->cats[i] : &p->meas[i - p->ncats];
		if (it->sym < 0 || !used[it->sym] || it->code[0] == '\0')
			continue;
		/* A code is matched against the raw element first. */
		if (strchr(it->code, '\\') != NULL || strchr(it->code, '"')) {
			rc = 0;
			goto out;
		}
		x->codes[x->ncatc + x->nmeasc].code = it->code;
		x->codes[x->ncatc + x->nmeasc].len = strlen(it->code);
		x->codes[x->ncatc + x->nmeasc].sym = it->sym;
		if (i < p->ncats)
			x->ncatc++;
		else
			x->nmeasc++;
	}
	for (i = 0; i < x->nkeys; i++)
		if (x->keys[i].sym == p->s_categories) {
			x->keys[i].codes = x->codes;
			x->keys[i].ncodes = x->ncatc;
			x->keys[i].which = 1;
		} else if (x->keys[i].sym == p->s_measures) {
			x->keys[i].codes = x->codes + x->ncatc;
			x->keys[i].ncodes = x->nmeasc;
			x->keys[i].which = 2;
		}
	x->as_of = as_of;
	if ((rc = vet_policy_set_params(p, as_of, x->vals, err)) < 0)
		goto out;
	s->link_keys = x->names;
	s->nlink_keys = x->nkeys;
	s->links_fields = links_fields;
	rc = 0;
out:
	free(used);
	return rc;
}

static const char *
check_label(void *ctx, const char *code, const char *lang)
{
	return vet_policy_check_label(((struct rp_ctx *)ctx)->p, code, lang);
}

static const char *
label(void *ctx, const char *code, const char *lang)
{
	return vet_policy_label(((struct rp_ctx *)ctx)->p, code, lang);
}

static void
ctx_free(void *ctx)
{
	struct rp_ctx *x = ctx;

	if (x == NULL)
		return;
	vet_policy_linker_free(x->lk);
	free(x->vals);
	free(x->names);
	free(x->keys);
	free(x->elen);
	free(x->reset);
	free(x->defs);
	free(x->codes);
	free(x->fix);
	vet_buf_release(&x->tmp);
	vet_buf_release(&x->scratch);
	free(x);
}

/* A parameter the report needs; the policy must define it. */
static int
param(const struct vet_policy *p, const char *name, vet_day as_of,
    double *out, struct vet_error *err)
{
	if (!vet_policy_param(p, name, as_of, out))
		return vet_error_set(err, VET_ECONFIG, NULL, 0, 0,
		    "policy has no value of parameter '%s' in force", name);
	return 0;
}

int
vet_report_schema_from_policy(struct vet_report_schema *s,
    const struct vet_policy *p, vet_day as_of, struct vet_error *err)
{
	double v;
	size_t i;
	struct rp_ctx *x;
	int rc, *prio;

	memset(s, 0, sizeof *s);
	s->policy_id = vet_policy_id(p);
	s->ncat = vet_policy_ncategories(p);
	s->nlinks = vet_policy_nlinks(p);
	s->ndistricts = vet_policy_ndistricts(p);
	s->nchecks = vet_policy_nchecks(p);
	s->cats = calloc(s->ncat + 1, sizeof *s->cats);
	s->links = calloc(s->nlinks + 1, sizeof *s->links);
	s->districts = calloc(s->ndistricts + 1, sizeof *s->districts);
	s->checks = calloc(s->nchecks + 1, sizeof *s->checks);
	s->cat_prio = prio = calloc(s->ncat + 1, sizeof *prio);
	if (!s->cats || !s->links || !s->districts || !s->checks || !prio) {
		vet_report_schema_release(s);
		return vet_error_set(err, VET_ENOMEM, NULL, 0, 0,
		    "out of memory");
	}
	for (i = 0; i < s->ncat; i++) {
		s->cats[i] = vet_policy_category(p, i);
		prio[i] = vet_policy_category_priority(p, i);
	}
	for (i = 0; i < s->nlinks; i++)
		s->links[i] = vet_policy_link(p, i);
	for (i = 0; i < s->ndistricts; i++)
		s->districts[i] = vet_policy_district(p, i);
	for (i = 0; i < s->nchecks; i++)
		s->checks[i] = vet_policy_check(p, i);
	if ((x = calloc(1, sizeof *x)) == NULL) {
		vet_report_schema_release(s);
		return vet_error_set(err, VET_ENOMEM, NULL, 0, 0,
		    "out of memory");
	}
	x->p = p;
	s->ctx = x;
	s->ctx_free = ctx_free;
	if ((rc = vet_policy_linker_new(&x->lk, p, as_of, err)) < 0)
		goto fail;
	s->links_eval = links_eval;
	s->links_deliver = links_deliver;
	if ((rc = fast_new(x, s, as_of, err)) < 0)
		goto fail;
	s->label = label;
	s->check_label = check_label;
	if ((rc = param(p, "adaptive_training_min_hours", as_of, &v,
	    err)) < 0)
		goto fail;
	s->training_min_hours = v;
	if ((rc = param(p, "adaptive_training_window_months", as_of, &v,
	    err)) < 0)
		goto fail;
	s->training_window_months = (int)v;
	if ((rc = param(p, "hard_to_place_after_months", as_of, &v, err)) < 0)
		goto fail;
	s->hard_to_place_after_months = (int)v;
	/* 二(七) fixes two veteran job fairs a year; a policy may say more. */
	s->job_fairs_per_year = vet_policy_param(p, "job_fairs_per_year",
	    as_of, &v) ? (int)v : 2;
	return 0;
fail:
	vet_report_schema_release(s);
	return rc;
}

void
vet_report_schema_release(struct vet_report_schema *s)
{
	free(s->cats);
	free(s->links);
	free(s->districts);
	free(s->checks);
	free((void *)(uintptr_t)s->cat_prio);
	if (s->ctx_free != NULL)
		s->ctx_free(s->ctx);
	s->ctx_free = NULL;
	s->ctx = NULL;
	s->cat_prio = NULL;
	s->cats = s->links = s->districts = s->checks = NULL;
}
