/*
 * rule_impl.h - the inside of a compiled rule (struct vet_rule of rule.h):
 * its node tree and its flat program.  Shared by rule.c, which makes and
 * runs them, and by the built-in policy, which gen/policy2c writes as C
 * data with the rules already compiled (policy_emit.c).  Not a public
 * header.
 *
 * Ownership: as rule.h says.  A string literal is an offset into the
 * rule's lits, never a pointer, so that the built-in policy's nodes and
 * programs hold no address: they need no relocation when a tool starts
 * and lie in read-only pages no start writes (the pages of pointers the
 * loader fills are copied for each process, a page fault each).
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
	size_t soff;		/* STR literal: at lits + soff, NUL-terminated */
	size_t n;
	int off, len;		/* source text, for details */
	unsigned char lit;	/* a literal: its value is in val */
	/* A literal's value, made at compile; a STR's s is NULL here, its
	 * text at lits + soff (operand()). */
	struct vet_rval val;
};

struct vet_rinsn {
	unsigned char op, cmp;
	unsigned char neg;	/* a leaf: its result negated (a '!') */
	int a, b;
	int target;
	vet_day day;		/* I_DAY_*: the literal */
	double num;		/* I_NUM_*: the literal */
	size_t soff;		/* I_STR_*: the literal, at the rule's lits + soff */
	size_t n;
};

#endif
