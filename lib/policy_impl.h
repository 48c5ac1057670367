/*
 * policy_impl.h - the inside of struct vet_policy, shared by the loader
 * (policy.c), the classifier (classify.c) and the retirement schedule
 * (retire.c).  Not a public header: other modules use policy.h,
 * classify.h and rule.h.
 *
 * Ownership: the policy owns the parsed YAML document (every string below
 * points into it), the arrays below (malloc'd, freed by vet_policy_free)
 * and the compiled rules.  The built-in policy is none of these: it is
 * const data made by make (policy_emit.c writes every member of every
 * struct below, so a new member is written there too), which
 * vet_policy_free leaves alone.
 */
#ifndef VET_POLICY_IMPL_H
#define VET_POLICY_IMPL_H

#include <stdint.h>

#include "vet/policy.h"
#include "vet/rule.h"
#include "vet/yaml.h"

/* Where a name may be used (struct vet_rule_sym.scopes). */
#define VET_SCOPE_RETIRE	1u	/* retirement group conditions */
#define VET_SCOPE_CAT		2u	/* category rules */
#define VET_SCOPE_MEAS		4u	/* measure rules */
#define VET_SCOPE_PRIO		8u	/* priority fallback rules */
#define VET_SCOPE_LINK		16u	/* chain links, on classified records */
#define VET_SCOPE_ALL		31u

/* Ranks: a rule sees only names of lower rank (rule.h). */
#define VET_RANK_MEASURE	1000
#define VET_RANK_PRIO		2000
#define VET_RANK_LINK		3000
/* The delivered rule of a link sees the event facts (rank between the
 * two), which its planned rule must not: planned is what the record says. */
#define VET_RANK_EVENTS		3500
#define VET_RANK_DELIVERED	4000

/* A category, measure, chain link or audit check. */
struct vet_pitem {
	const char *code;
	const char *zh, *en;
	const char *clause;
	const char *severity;	/* checks */
	int priority;		/* categories */
	int exclusive;		/* categories: when it holds, nothing else */
	int has_rule;
	struct vet_rule rule;
	int has_delivered;	/* links: the delivered rule */
	struct vet_rule delivered;
	int sym;		/* slot of the code, or -1 */
};

/* The `from` of a parameter value that has none: in force from the start,
 * until a dated value takes over. */
#define VET_PFROM_ALWAYS INT32_MIN

struct vet_pvalue {
	vet_day from;			/* VET_PFROM_ALWAYS: no from */
	double value;
	const char *ref;
	long line, col;		/* of `from`, for "no value in force" */
};

struct vet_pparam {
	const char *name;
	const char *zh, *en;
	struct vet_pvalue *v;	/* sorted by from */
	size_t n;
	int sym;
};

struct vet_pgroup {
	const char *code;
	struct vet_rule when;
	int base_age;		/* years */
	int born_from;		/* first birth month of the reform, y * 12 + m - 1 */
	int divisor;		/* one more month of delay every divisor months */
	int cap;		/* most months of delay */
};

struct vet_pdefault {
	int sym;
	struct vet_rval val;
};

struct vet_pprio {
	int value;
	struct vet_rule rule;
};

struct vet_pauth {
	const char *source;
	const char **fields;
	size_t n;
};

struct vet_ptest {
	const char *name;
	long line, col;
	char *json;		/* the record as a JSON line */
	size_t len;
	vet_day as_of;
	const char **cats;
	size_t ncats;
	const char **meas;
	size_t nmeas;
	char **events;		/* the test's event log, JSON lines */
	size_t nevents;
	int priority;		/* -1: not checked */
	int working_age;	/* -1: not checked */
	int age;		/* -1: not checked */
};

/*
 * The facts the event log is the authority for (SPEC 2.3), the policy's
 * `facts:`.  Each is derived in C in its own way (a sum, a count, the
 * latest state, a restart, the latest date); the policy says which event
 * type and which event fields feed it.
 */
enum {
	VET_FACT_TRAINING,	/* training_hours: the sum of `sum` */
	VET_FACT_REFUSALS,	/* refusals: a count */
	VET_FACT_EXITED,	/* exited, exit_date, exit_reason: a state */
	VET_FACT_ASSISTED,	/* assisted_since: moved by a restart */
	VET_FACT_CONTACT,	/* last_contact_date: the latest date */
	VET_FACT_N
};

/* An event field and the string it must equal. */
struct vet_pmatch {
	const char *field;
	const char *value;
};

struct vet_pfact {
	int on;			/* the policy lists the fact */
	const char *clause;
	int type;		/* enum vet_event_type that feeds it */
	struct vet_pmatch *where;	/* the events that feed it */
	size_t nwhere;
	struct vet_pmatch *count;	/* refusals: those counted */
	size_t ncount;
	const char *sum;	/* training_hours: the number summed */
	const char *unless;	/* refusals: not counted when this is true */
	const char *reason;	/* exited: the field exit_reason takes */
	int since;		/* refusals: counted after the latest of this
				 * type, or -1 */
	int cleared_by;		/* exited: the type that clears it, or -1 */
};

/* A fact and the date that says since when it holds (`dated:`). */
struct vet_pdated {
	const char *fact, *date;
	int fact_sym, date_sym;
};

/* A record key the rules need, in an open-addressing table. */
struct vet_pkey {
	const char *name;	/* NULL: empty */
	uint32_t len;		/* 16 bytes a slot: the built-in table is const */
	int sym;
};

/*
 * The slot of a record key in the key table.  Every key of every record
 * is looked up, so the hash reads only the length and three bytes rather
 * than all of them: field names differ there, and the table is kept at
 * most a quarter full, so a probe is short.
 */
static inline size_t
vet_policy_key_hash(const char *k, size_t n)
{
	uint32_t h;

	if (n == 0)
		return 0;
	h = (uint32_t)n * 0x9e3779b1u ^
	    ((uint32_t)(unsigned char)k[0] << 8 |
	    (uint32_t)(unsigned char)k[n / 2] << 16 |
	    (uint32_t)(unsigned char)k[n - 1]);
	h *= 0x85ebca6bu;
	return h ^ h >> 15;
}

struct vet_cpre;

struct vet_policy {
	int builtin;		/* const data of gen/policy2c: nothing to free */
	/* The built-in policy's classify pieces (classify_impl.h), written
	 * by make too; NULL for a policy loaded at run time. */
	const struct vet_cpre *cpre;
	struct vet_yaml_doc doc;
	char file[256];
	const char *id, *title, *jurisdiction;
	vet_day effective;
	const char **districts;
	size_t ndistricts;
	const char **prefixes;	/* the city's names before a district */
	size_t nprefixes;
	const char **alias_from, **alias_to;	/* alias -> district */
	size_t naliases;

	int min_age;
	vet_day reform_start;
	const char *retire_ref;
	struct vet_pgroup *groups;
	size_t ngroups;

	struct vet_pparam *params;
	size_t nparams;
	struct vet_pdefault *defaults;
	size_t ndefaults;
	struct vet_pitem *cats, *meas, *links, *checks;
	size_t ncats, nmeas, nlinks, nchecks;
	int prio_default;
	struct vet_pprio *prio;
	size_t nprio;
	struct vet_pauth *auth;
	size_t nauth;
	struct vet_policy_contradiction *contra;
	size_t ncontra;
	struct vet_ptest *tests;
	size_t ntests;
	/* The built-in policy's text, whose tests are parsed and loaded only
	 * when run (vet_policy__tests); NULL when tests holds them. */
	const char *tests_text;
	size_t tests_len;
	struct vet_pfact facts[VET_FACT_N];
	struct vet_pdated *dated;
	size_t ndated;

	struct vet_rule_symtab syms;
	/* Slots of the names classification itself needs. */
	int s_id, s_sex, s_birth, s_track, s_age, s_working_age, s_retire;
	int s_categories, s_measures, s_priority;
	/* Slots of the event facts a link's delivered rule reads
	 * (policy.h, struct vet_policy_delivery), in its order. */
	int s_ev[VET_POLICY_NDELIVERY];
	/* The record fields rules use: slots listed, and keyed by name. */
	int *fields;
	size_t nfields;
	struct vet_pkey *keys;
	size_t keymask;		/* table size - 1 */
};

/*
 * Fills vals (one per symbol) from record r for as_of: the fields the
 * rules use, the defaults, sex and birth date from the id when absent,
 * age, working_age and the retirement date; in link mode also the codes
 * from the record's categories and measures arrays.  tmp holds decoded
 * strings and must outlive the use of vals.  Returns 0, VET_EDATA with a
 * reason in why (the record cannot be classified), or VET_ENOMEM.
 */
int vet_policy_fill(const struct vet_policy *p, const struct vet_record *r,
    vet_day as_of, int link_mode, struct vet_rval *vals, struct vet_buf *tmp,
    char *why, size_t whysz);

/* Sets the parameter slots to the values in force on as_of.  Returns 0,
 * or VET_ECONFIG when a parameter a rule uses has no value then. */
int vet_policy_set_params(const struct vet_policy *p, vet_day as_of,
    struct vet_rval *vals, struct vet_error *err);

/* The retirement date of a record whose sex and birth slots are filled,
 * by the first group whose condition holds: 1 and *out, or 0 when no
 * group applies (retire.c). */
int vet_policy_retirement(const struct vet_policy *p,
    const struct vet_rule_env *env, vet_day birth, vet_day *out);

/* Frees the n tests of t (load_tests' or vet_policy__tests'); t may be
 * NULL. */
void vet_policy__free_tests(struct vet_ptest *t, size_t n);

/*
 * Appends to out the C definition of a const struct vet_policy named var
 * holding p, with every array and string it points to, its rules compiled
 * (rule_impl.h), and its tests left to be read when run from the text
 * named text (a char array defined in the same file); its cpre is the
 * address of the const struct vet_cpre named cpre, or NULL when cpre is
 * NULL.  What it writes depends on p's content only, not on its
 * addresses.  0 or VET_ENOMEM.
 */
int vet_policy__emit_c(const struct vet_policy *p, const char *var,
    const char *text, const char *cpre, struct vet_buf *out);

/* Appends bytes s[0..n) to b as a C string literal (octal escapes outside
 * printable ASCII, so that no escape runs into the next byte).  0 or
 * VET_ENOMEM. */
int vet_policy__c_string(struct vet_buf *b, const char *s, size_t n);

/* The built-in policy, made by gen/policy2c from policy/beijing-2023.yaml. */
extern const struct vet_policy vet_policy__builtin;

#endif
