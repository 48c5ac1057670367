/*
 * rule.h - the small rule language of policy files (vet-policy(5)):
 * compiled once at load time into a flat node array, then evaluated per
 * record against an array of slot values without any string parsing.
 *
 * Ownership: a struct vet_rule_symtab owns its array of symbols; the names
 * and enum lists in it are borrowed and must outlive it (the policy keeps
 * them in its arena).  vet_rule_compile() fills a struct vet_rule that owns
 * its nodes and literal strings; vet_rule_release() frees them.  A compiled
 * rule refers to symbols by index only, so it is never changed by
 * evaluation and may be shared read-only.  Slot values (struct vet_rval)
 * are caller storage; their string pointers borrow the caller's bytes.
 *
 * Grammar (C-like precedence, lowest first):
 *
 *	expr    = and { "||" and }
 *	and     = cmp { "&&" cmp }
 *	cmp     = unary [ ("==" | "!=" | "<" | "<=" | ">" | ">=") unary
 *	                | "in" ( "[" literal { "," literal } "]" | unary ) ]
 *	unary   = "!" unary | primary
 *	primary = NUMBER | STRING | DATE | "true" | "false" | NAME
 *	        | NAME "(" expr ")" | "(" expr ")"
 *
 * NUMBER is -?digits[.digits]; STRING is "..." with \" and \\ escapes;
 * DATE is YYYY-MM-DD.  Functions: months_since(date), days_since(date),
 * years_since(date) (numbers, against the as-of date), present(name) (bool:
 * the field was in the record, before defaults), len(list) (number).
 *
 * Types are checked at compile time: && || ! take booleans; == != compare
 * two values of one type; < <= > >= compare numbers or dates; `x in [...]`
 * takes a string or number and a list of literals of its type; `"s" in
 * skills` takes a string and a list of strings.  A string literal compared
 * with a field that has a fixed set of values must be one of them.
 *
 * Unknown values: a field that is absent (and has no default) is unknown.
 * A comparison, `in` or function with an unknown operand is false (SPEC 3:
 * "any other absent field makes a comparison with it false"), so
 * `employment_need != true` is false when employment_need is absent.  A bare
 * boolean name that is unknown stays unknown through ! && || (Kleene
 * logic: false && unknown is false, true || unknown is true); a rule holds
 * only when it is true.
 */
#ifndef VET_RULE_H
#define VET_RULE_H

#include <stddef.h>
#include <stdint.h>

#include "vet/buf.h"
#include "vet/date.h"
#include "vet/error.h"

#define VET_RULE_MAX_DEPTH 32	/* nesting of parentheses and operators */
#define VET_RULE_MAX_LEN 4096	/* bytes of rule text */
#define VET_RULE_MAX_SYMS 512

enum vet_rtype {
	VET_RT_NONE,
	VET_RT_BOOL,
	VET_RT_NUM,
	VET_RT_STR,
	VET_RT_DATE,
	VET_RT_STRS		/* a JSON array of strings */
};

/* What a name refers to; it decides how messages and details show it. */
enum vet_rsym_kind {
	VET_RSYM_FIELD,		/* a record field */
	VET_RSYM_DERIVED,	/* computed from the record (age, working_age) */
	VET_RSYM_PARAM,		/* a policy parameter */
	VET_RSYM_CODE		/* a category, measure or link code */
};

struct vet_rule_sym {
	const char *name;
	enum vet_rtype type;
	enum vet_rsym_kind kind;
	unsigned scopes;		/* bit set: where the name may be used */
	int rank;			/* usable only by rules of higher rank */
	const char *const *enums;	/* STR fields: the allowed values, NULL-ended */
	int used;			/* set by compile when a rule names it */
};

struct vet_rule_symtab {
	struct vet_rule_sym *syms;
	size_t n, cap;
	/* Open addressing by vet_hash of the name: indexes into syms, -1
	 * empty; nslot a power of two, at least twice n.  A policy names some
	 * 400 symbols and its rules look them up 4 000 times as they compile:
	 * a linear search was a quarter of a one-record run. */
	int *slot;
	size_t nslot;
};

void vet_rule_symtab_init(struct vet_rule_symtab *t);
void vet_rule_symtab_release(struct vet_rule_symtab *t);
/* Makes d a copy of s that owns its own arrays (release it): 0 or
 * VET_ENOMEM, then d holds nothing. */
int vet_rule_symtab_copy(struct vet_rule_symtab *d,
    const struct vet_rule_symtab *s);
/* Adds a symbol (name borrowed); returns its index, or VET_ENOMEM, or
 * VET_ECONFIG when the name is taken or the table is full. */
int vet_rule_symtab_add(struct vet_rule_symtab *t, const char *name,
    enum vet_rtype type, enum vet_rsym_kind kind, unsigned scopes, int rank,
    const char *const *enums);
/* The index of name[0..n), or -1. */
int vet_rule_symtab_find(const struct vet_rule_symtab *t, const char *name,
    size_t n);

/* A slot value.  BOOL and NUM in num (bool 0 or 1); DATE in day; STR as the
 * decoded bytes [s, s + n); STRS as the raw JSON array text [s, s + n) with
 * count elements.  known is 0 for an unknown value; present says whether
 * the field was in the record (before defaults). */
struct vet_rval {
	unsigned char type;
	unsigned char known;
	unsigned char present;
	int32_t count;
	vet_day day;
	double num;
	const char *s;
	size_t n;
};

struct vet_rnode;
struct vet_rinsn;

/*
 * nodes is the tree (for details, vet_rule_explain); prog the same rule
 * flattened into a short-circuit program that vet_rule_eval() runs in one
 * loop (or, for a chain of one operator, the list of its leaves), or NULL
 * when the tree is walked instead (a rule too deep for the program's
 * stack).
 */
enum vet_rshape {
	VET_RSHAPE_PROG,	/* the general program */
	VET_RSHAPE_ALL,		/* leaves joined by &&: holds when all hold */
	VET_RSHAPE_ANY		/* leaves joined by ||: holds when one does */
};

struct vet_rule {
	struct vet_rnode *nodes;
	int root;
	int nnodes;
	struct vet_rinsn *prog;	/* for a chain, only its leaves */
	int nprog;
	int shape;		/* enum vet_rshape */
	char *lits;		/* decoded literal strings, NUL-terminated */
	size_t litlen;		/* bytes of lits used */
	char *src;		/* the rule text, NUL-terminated */
	size_t srclen;
};

/*
 * Compiles src[0..n) for use in scope (one bit) by a rule of rank rank (a
 * name is visible when its scopes contain scope and its rank is lower).
 * Marks the names it uses in t.  Returns 0; VET_ECONFIG with err->col the
 * 1-based byte offset in src of the offending token, err->line 0 and
 * err->msg saying what is wrong (e.g. "unknown field 'trainng_hours'",
 * "cannot compare a date with a number"); or VET_ENOMEM.  On failure r
 * holds nothing.
 */
int vet_rule_compile(struct vet_rule *r, struct vet_rule_symtab *t,
    unsigned scope, int rank, const char *src, size_t n,
    struct vet_error *err);
void vet_rule_release(struct vet_rule *r);

/*
 * Sets used[k] to 1 for each symbol k that r names (the same marks its
 * compilation made in the symbol table), and leaves the others as they
 * are; used has a byte per symbol of the table r was compiled against.
 */
void vet_rule_uses(const struct vet_rule *r, unsigned char *used);

/* The environment of an evaluation: the slot values (indexed like the
 * symbol table) and the as-of date for months_since and friends. */
struct vet_rule_env {
	const struct vet_rule_symtab *syms;
	const struct vet_rval *vals;
	vet_day as_of;
};

/* 1 when the rule is true, 0 when it is false or unknown. */
int vet_rule_eval(const struct vet_rule *r, const struct vet_rule_env *env);

/*
 * Appends to out what made a rule that holds true, e.g.
 * "training_hours 40 < 80, months_since(discharge_date) 5 < 24": the
 * comparisons and names that held (for || only the first operand that
 * held).  Returns 0 or VET_ENOMEM.
 */
int vet_rule_explain(const struct vet_rule *r, const struct vet_rule_env *env,
    struct vet_buf *out);

/*
 * A rule's explanation in parts, for a caller that writes the same
 * details for many records (classify.c makes each one that cannot change
 * once, escaped).  The explanation of a rule that is an `||` chain is
 * that of its first operand that holds, or of its last when none does;
 * those operands are the rule's alternatives, numbered from 0 in the
 * rule's order, and any other rule has one.
 *   vet_rule_nalts: the number of alternatives (1 for an empty rule).
 *   vet_rule_alt: the alternative vet_rule_explain() explains in env.
 *   vet_rule_alt_fixed: 1 when the explanation of alternative k is the
 *     same text for every record, given the parameters' values (it shows
 *     no value of a field, a derived name or a code and chooses no
 *     operand of a `||`), else 0.
 *   vet_rule_explain_alt: appends the explanation of alternative k, which
 *     is what vet_rule_explain() appends when vet_rule_alt() gives k.
 *     Returns 0 or VET_ENOMEM.
 */
int vet_rule_nalts(const struct vet_rule *r);
int vet_rule_alt(const struct vet_rule *r, const struct vet_rule_env *env);
int vet_rule_alt_fixed(const struct vet_rule *r, int k,
    const struct vet_rule_symtab *t);
int vet_rule_explain_alt(const struct vet_rule *r, int k,
    const struct vet_rule_env *env, struct vet_buf *out);

#endif
