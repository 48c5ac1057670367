/*
 * policy_links.c - both rules of the links of the 帮扶链条 (policy.h):
 * planned, from the classified record, and delivered, from the record and
 * what the event log shows happened in the period.  Kept beside the
 * classifier's vet_policy_links_eval() so that the report reads the record
 * once for both rules.
 */
#include <stdlib.h>
#include <string.h>

#include "vet/buf.h"
#include "vet/error.h"
#include "vet/policy.h"
#include "vet/rule.h"
#include "policy_impl.h"

const char *const vet_policy_delivery_names[VET_POLICY_NDELIVERY] = {
	"contacts", "referrals", "targeted_referrals", "vocational_trainings",
	"adaptive_hours", "adaptive_trainings"
};

int
vet_policy_link_has_delivered(const struct vet_policy *p, size_t i)
{
	return i < p->nlinks && p->links[i].has_delivered;
}

/*
 * The links on record r with vals holding the parameters of as_of: the
 * values a record owns are rewritten here, the rest of vals is left as the
 * caller set it.  The event facts are cleared before the fill, so that the
 * planned rule never sees the previous record's (nor this one's) events.
 */
static int
links_run(const struct vet_policy *p, struct vet_rval *vals,
    const struct vet_record *r, vet_day as_of,
    const struct vet_policy_delivery *d, int *planned, int *delivered,
    struct vet_buf *tmp, struct vet_error *err)
{
	struct vet_rule_env env = { &p->syms, vals, as_of };
	char why[256];
	size_t i;
	int rc;

	for (i = 0; i < VET_POLICY_NDELIVERY; i++)
		memset(&vals[p->s_ev[i]], 0, sizeof vals[0]);
	vet_buf_reset(tmp);
	rc = vet_policy_fill(p, r, as_of, 1, vals, tmp, why, sizeof why);
	if (rc < 0)
		return vet_error_set(err, rc, NULL, 0, 0, "%s",
		    rc == VET_EDATA ? why : "out of memory");
	for (i = 0; i < p->nlinks; i++)
		planned[i] = vet_rule_eval(&p->links[i].rule, &env);
	if (d == NULL)
		return 0;
	/* The event facts are known numbers (zero when nothing happened):
	 * with --events the log speaks for every veteran. */
	for (i = 0; i < VET_POLICY_NDELIVERY; i++) {
		vals[p->s_ev[i]].type = VET_RT_NUM;
		vals[p->s_ev[i]].known = 1;
		vals[p->s_ev[i]].present = 1;
		vals[p->s_ev[i]].num = d->v[i];
	}
	for (i = 0; i < p->nlinks; i++)
		delivered[i] = p->links[i].has_delivered &&
		    vet_rule_eval(&p->links[i].delivered, &env);
	return 0;
}

int
vet_policy_links_deliver(const struct vet_policy *p,
    const struct vet_record *r, vet_day as_of,
    const struct vet_policy_delivery *d, int *planned, int *delivered,
    struct vet_buf *tmp, struct vet_error *err)
{
	struct vet_rval vals[VET_RULE_MAX_SYMS];
	int rc;

	memset(vals, 0, p->syms.n * sizeof vals[0]);
	if ((rc = vet_policy_set_params(p, as_of, vals, err)) < 0)
		return rc;
	return links_run(p, vals, r, as_of, d, planned, delivered, tmp, err);
}

struct vet_policy_linker {
	const struct vet_policy *p;
	vet_day as_of;		/* of the parameters in vals */
	struct vet_rval *vals;	/* p->syms.n values */
	struct vet_buf tmp;
};

int
vet_policy_linker_new(struct vet_policy_linker **lp,
    const struct vet_policy *p, vet_day as_of, struct vet_error *err)
{
	struct vet_policy_linker *l;
	int rc;

	*lp = NULL;
	if ((l = calloc(1, sizeof *l)) == NULL ||
	    (l->vals = calloc(p->syms.n + 1, sizeof *l->vals)) == NULL) {
		free(l);
		return vet_error_set(err, VET_ENOMEM, NULL, 0, 0,
		    "out of memory");
	}
	l->p = p;
	l->as_of = as_of;
	vet_buf_init(&l->tmp);
	if ((rc = vet_policy_set_params(p, as_of, l->vals, err)) < 0) {
		vet_policy_linker_free(l);
		return rc;
	}
	*lp = l;
	return 0;
}

int
vet_policy_linker_eval(struct vet_policy_linker *l,
    const struct vet_record *r, vet_day as_of,
    const struct vet_policy_delivery *d, int *planned, int *delivered,
    struct vet_error *err)
{
	int rc;

	if (as_of != l->as_of) {
		if ((rc = vet_policy_set_params(l->p, as_of, l->vals,
		    err)) < 0)
			return rc;
		l->as_of = as_of;
	}
	return links_run(l->p, l->vals, r, as_of, d, planned, delivered,
	    &l->tmp, err);
}

void
vet_policy_linker_free(struct vet_policy_linker *l)
{
	if (l == NULL)
		return;
	vet_buf_release(&l->tmp);
	free(l->vals);
	free(l);
}
