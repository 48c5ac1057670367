/*
 * rule_impl.h - the inside of a compiled rule (struct vet_rule of rule.h):
 * its node tree and its flat program.  Shared by rule.c, which makes and
 * runs them, and by the built-in policy, which gen/policy2c writes as C
 * data with the rules already compiled (policy_emit.c).  Not a public
 * header.
 *
 * Ownership: as rule.h says; every string below points into the rule's
 * lits (or, in the built-in policy, into the data written beside it).
 */
#ifndef VET_RULE_IMPL_H
#define VET_RULE_IMPL_H

#include "vet/rule.h"

struct vet_rnode {
	unsigned char op;
	unsigned char type;	/* enum vet_rtype of the result */
	int a, b;		/* children, or the slot in a */
	int nlist;
	double num;		/* NUM literal; DATE literal day */
	const char *s;		/* STR literal (in lits), NUL-terminated */
	size_t n;
	int off, len;		/* source text, for details */
	unsigned char lit;	/* a literal: its value is in val */
	struct vet_rval val;	/* a literal's value, made at compile */
};

struct vet_rinsn {
	unsigned char op, cmp;
	unsigned char neg;	/* a leaf: its result negated (a '!') */
	int a, b;
	int target;
	vet_day day;		/* I_DAY_*: the literal */
	double num;		/* I_NUM_*: the literal */
	const char *s;		/* I_STR_*: the literal */
	size_t n;
};

#endif
