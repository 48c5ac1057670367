/*
 * report_policy.c - the report schema taken from a loaded policy
 * (report.h), kept apart from the aggregation so that the aggregation can be
 * tested with any schema.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vet/error.h"
#include "vet/policy.h"
#include "vet/report.h"

/*
 * The callbacks' context: the policy, and the linker that keeps the
 * symbols' values across records so that a record does not clear and
 * refill the whole table.
 */
struct rp_ctx {
	const struct vet_policy *p;
	struct vet_policy_linker *lk;
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
