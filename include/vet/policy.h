/*
 * policy.h - the policy file (YAML, vet-policy(5)): identity, jurisdiction,
 * dated parameters, the statutory retirement-age schedule, categories,
 * measures, the links of the 帮扶链条, audit and reconcile settings, and
 * labels.  The Beijing 2023 policy (policy/beijing-2023.yaml) is loaded,
 * checked and compiled by make, into libvet.a, and used when no file is
 * named: a run parses no YAML and compiles no rule for it.
 *
 * Ownership: vet_policy_load() allocates a struct vet_policy that the
 * caller owns and frees with vet_policy_free().  Every string returned by an
 * accessor belongs to the policy and lives as long as it.  A loaded policy
 * is never changed, so it may be shared read-only between threads.
 *
 * Strictness: an unknown key, a duplicate key, a wrong type, an impossible
 * date, a rule that names an unknown field, parameter, category or
 * function, or a type error in a rule is refused at load time with
 * VET_ECONFIG and the file, line and column in err.
 *
 * This header is the part other tools use; the rule language and the
 * classification itself are in rule.h and classify.h.
 */
#ifndef VET_POLICY_H
#define VET_POLICY_H

#include <stddef.h>

#include "vet/buf.h"
#include "vet/date.h"
#include "vet/error.h"
#include "vet/record.h"

struct vet_policy;

/* The built-in policy's YAML text (generated from policy/beijing-2023.yaml). */
extern const char vet_policy_builtin_yaml[];
extern const size_t vet_policy_builtin_len;

/*
 * Loads file, or the built-in policy when file is NULL (which cannot fail
 * and is not copied: it is shared, read-only).  Returns 0,
 * VET_ECONFIG (cannot open or read it: with the file; bad content: with
 * file, line and column), VET_ENOMEM, or VET_EINTERNAL when libyaml
 * cannot be loaded (dl.h).
 */
int vet_policy_load(struct vet_policy **p, const char *file,
    struct vet_error *err);
void vet_policy_free(struct vet_policy *p);

/* The policy's id, e.g. "beijing-2023". */
const char *vet_policy_id(const struct vet_policy *p);

/* Jurisdiction: the districts a record's `district` must be one of. */
size_t vet_policy_ndistricts(const struct vet_policy *p);
const char *vet_policy_district(const struct vet_policy *p, size_t i);
int vet_policy_is_district(const struct vet_policy *p, const char *s,
    size_t n);
/*
 * The district that s (n bytes) names: a district itself; one of the
 * jurisdiction's aliases (朝阳, 经开区); either after one of its prefixes
 * (北京市朝阳区); any of them written in traditional characters (朝陽區).
 * NULL when it names none.
 */
const char *vet_policy_district_name(const struct vet_policy *p,
    const char *s, size_t n);

/* Categories and measures, in the policy's table order. */
size_t vet_policy_ncategories(const struct vet_policy *p);
const char *vet_policy_category(const struct vet_policy *p, size_t i);
int vet_policy_category_priority(const struct vet_policy *p, size_t i);
size_t vet_policy_nmeasures(const struct vet_policy *p);
const char *vet_policy_measure(const struct vet_policy *p, size_t i);

/*
 * The label of a category, measure, chain link or audit check code in
 * lang ("zh" or "en"), or NULL when the code is unknown.  The clause
 * (e.g. "二(十)") of a code, or NULL.
 */
const char *vet_policy_label(const struct vet_policy *p, const char *code,
    const char *lang);
const char *vet_policy_clause(const struct vet_policy *p, const char *code);

/*
 * The links of the 帮扶链条 (技能储备 ... 困难帮扶), each a rule of the
 * policy evaluated on a classified record: vet_policy_link_eval() sets *hit
 * to whether record r reached link i on as_of.  Returns 0 or VET_EDATA.
 */
size_t vet_policy_nlinks(const struct vet_policy *p);
const char *vet_policy_link(const struct vet_policy *p, size_t i);
int vet_policy_link_eval(const struct vet_policy *p, size_t i,
    const struct vet_record *r, vet_day as_of, int *hit,
    struct vet_error *err);
/*
 * All links at once (cheaper: the record is read once): hits[i] for every
 * i < vet_policy_nlinks().  Returns 0, VET_EDATA (err->msg says why the
 * record cannot be evaluated) or VET_ENOMEM.
 */
int vet_policy_links_eval(const struct vet_policy *p,
    const struct vet_record *r, vet_day as_of, int *hits,
    struct vet_error *err);

/*
 * What the event log shows was delivered to one veteran in the period, for
 * the delivered rule of a link (vet-policy(5)): contact events; referral
 * events; referrals to a dedicated, directed or public-welfare post;
 * vocational training events; the hours of adaptive training events
 * dated on or before --as-of (the training's minimum spans periods); and
 * adaptive training events of the period.  Names in the rule language, in this order,
 * are vet_policy_delivery_names.
 */
enum {
	VET_DLV_CONTACTS,
	VET_DLV_REFERRALS,
	VET_DLV_TARGETED_REFERRALS,
	VET_DLV_VOCATIONAL_TRAININGS,
	VET_DLV_ADAPTIVE_HOURS,
	VET_DLV_ADAPTIVE_TRAININGS,
	VET_POLICY_NDELIVERY
};
extern const char *const vet_policy_delivery_names[VET_POLICY_NDELIVERY];
struct vet_policy_delivery {
	double v[VET_POLICY_NDELIVERY];
};

/* Whether link i has a delivered rule. */
int vet_policy_link_has_delivered(const struct vet_policy *p, size_t i);

/*
 * Both rules of every link on classified record r: planned[i] from the
 * record (as vet_policy_links_eval), and, when d is not NULL, delivered[i]
 * from the record and the events d (a link without a delivered rule: 0).
 * delivered may be NULL when d is.  tmp is scratch the caller keeps across
 * records.  Returns 0, VET_EDATA (err->msg says why the record cannot be
 * evaluated), VET_ECONFIG (a parameter without a value on as_of) or
 * VET_ENOMEM.
 */
int vet_policy_links_deliver(const struct vet_policy *p,
    const struct vet_record *r, vet_day as_of,
    const struct vet_policy_delivery *d, int *planned, int *delivered,
    struct vet_buf *tmp, struct vet_error *err);

/*
 * The same evaluation kept across records: the symbols' values are
 * allocated and the parameters set once, at vet_policy_linker_new(), and
 * each record rewrites only the values it owns (fields, derived facts,
 * event facts), so that a record costs no clearing of the whole table.
 * The linker belongs to one thread; it holds p, which must outlive it.
 * vet_policy_linker_new() returns 0, VET_ECONFIG (a parameter used by a
 * rule has no value on as_of) or VET_ENOMEM, and *lp is NULL on failure.
 * vet_policy_linker_eval() returns what vet_policy_links_deliver()
 * returns, for the same planned and delivered; an as_of other than the
 * linker's sets the parameters again.
 */
struct vet_policy_linker;
int vet_policy_linker_new(struct vet_policy_linker **lp,
    const struct vet_policy *p, vet_day as_of, struct vet_error *err);
int vet_policy_linker_eval(struct vet_policy_linker *l,
    const struct vet_record *r, vet_day as_of,
    const struct vet_policy_delivery *d, int *planned, int *delivered,
    struct vet_error *err);
void vet_policy_linker_free(struct vet_policy_linker *l);

/* Audit check codes known to the policy, and the severity ("error" or
 * "warning") and clause of one; NULL when unknown. */
size_t vet_policy_nchecks(const struct vet_policy *p);
const char *vet_policy_check(const struct vet_policy *p, size_t i);
/* The label of check code in lang: the check's, even when a category or
 * measure has the same code (vet_policy_label looks at those first). */
const char *vet_policy_check_label(const struct vet_policy *p,
    const char *code, const char *lang);
const char *vet_policy_check_severity(const struct vet_policy *p,
    const char *code);
/* The clause a check cites.  Not vet_policy_clause(): monthly_contact and
 * quarterly_consultation are measure codes too, with another clause. */
const char *vet_policy_check_clause(const struct vet_policy *p,
    const char *code);

/* True when bureau source ("hr", "market", "tax") is the authority for
 * the field named by the n bytes at field (vet-reconcile, for every field
 * of every record: a key of the record, not a C string). */
int vet_policy_is_authority(const struct vet_policy *p, const char *source,
    const char *field, size_t n);

/*
 * Pairs of facts that cannot both be true (vet-reconcile `contradiction`):
 * the ledger's field `ledger` holding one of ledger_values while the
 * extract's field `extract` holds one of extract_values.  Values are the
 * policy's scalars: a code, or true / false for a bool field.  hint says
 * which side the district must check.
 */
struct vet_policy_contradiction {
	const char *ledger;
	const char **ledger_values;
	size_t nledger;
	const char *extract;
	const char **extract_values;
	size_t nextract;
	const char *hint;
};
size_t vet_policy_ncontradictions(const struct vet_policy *p);
const struct vet_policy_contradiction *vet_policy_contradiction(
    const struct vet_policy *p, size_t i);

/* The value of parameter name in force on as_of: 1 and *out, or 0 when
 * there is no such parameter or no value in force. */
int vet_policy_param(const struct vet_policy *p, const char *name,
    vet_day as_of, double *out);

/*
 * The statutory retirement date (SPEC 3: birth date + base years + delay
 * months, the day clamped to the month's end) of a person of sex 'M' or
 * 'F' on track "worker" or "cadre" (NULL: worker) born on birth: 1 and
 * *out, or 0 when no retirement group of the policy applies.
 */
int vet_policy_retirement_date(const struct vet_policy *p, char sex,
    const char *track, vet_day birth, vet_day *out);

/* The policy's title, effective date and the file it was loaded from
 * ("<built-in>" for the default). */
const char *vet_policy_title(const struct vet_policy *p);
vet_day vet_policy_effective(const struct vet_policy *p);
const char *vet_policy_file(const struct vet_policy *p);

/*
 * Loads a policy from text [yaml, yaml + n), named file in messages.
 * Same results as vet_policy_load().
 */
int vet_policy_load_text(struct vet_policy **p, const char *file,
    const char *yaml, size_t n, struct vet_error *err);

#endif
