/*
 * rule.c - lexer, recursive-descent compiler and evaluator of the policy
 * rule language (rule.h).
 *
 * A rule compiles to a flat array of nodes; children are indices into it.
 * The compiler checks types and resolves every name to a slot index, so
 * evaluation is a walk over at most a few dozen nodes reading slot values:
 * no string is parsed per record.  Recursion in the compiler and the
 * evaluator is bounded by VET_RULE_MAX_DEPTH, checked while parsing.
 */
#include <ctype.h>
#include <stdarg.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vet/hash.h"
#include "vet/json.h"
#include "vet/record.h"
#include "vet/rule.h"
#include "rule_impl.h"

enum op {
	OP_TRUE, OP_FALSE,	/* boolean literals */
	OP_NUM, OP_STR, OP_DATE,	/* literals */
	OP_SYM,			/* a slot */
	OP_NOT, OP_AND, OP_OR,
	OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE,
	OP_INLIST,		/* a in [b .. b + nlist) */
	OP_INSTRS,		/* a in b (a list-valued name) */
	OP_MONTHS, OP_DAYS, OP_YEARS, OP_PRESENT, OP_LEN
};

enum tok {
	T_END, T_NAME, T_NUM, T_STR, T_DATE, T_TRUE, T_FALSE, T_IN,
	T_EQ, T_NE, T_LT, T_LE, T_GT, T_GE, T_AND, T_OR, T_NOT,
	T_LP, T_RP, T_LB, T_RB, T_COMMA
};

struct parser {
	const char *src;
	size_t n;
	size_t pos;		/* next byte to lex */
	/* current token */
	enum tok t;
	size_t toff, tlen;
	size_t prev_end;	/* end of the token before the current one */
	double num;
	char *str;		/* decoded STR token, in lits */
	size_t slen;
	struct vet_rnode *nodes;
	int nnodes, cap;
	char *lits;
	size_t litpos;
	struct vet_rule_symtab *syms;
	unsigned scope;
	int rank;
	int depth;
	struct vet_error *err;
};

static const char *const type_names[] = {
	"nothing", "boolean", "number", "string", "date", "list"
};

static int
perr(struct parser *p, size_t off, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
perr(struct parser *p, size_t off, const char *fmt, ...)
{
	va_list ap;
	char msg[400];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return vet_error_set(p->err, VET_ECONFIG, NULL, 0, (long)off + 1,
	    "%s", msg);
}

static int
is_name_start(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int
is_name_char(int c)
{
	return is_name_start(c) || (c >= '0' && c <= '9');
}

static int
lex_string(struct parser *p)
{
	const char *s = p->src;
	size_t i = p->pos + 1;
	char *out = p->lits + p->litpos;
	size_t k = 0;

	for (;;) {
		if (i >= p->n)
			return perr(p, p->toff, "unterminated string");
		if (s[i] == '"')
			break;
		if (s[i] == '\\') {
			if (i + 1 < p->n && (s[i + 1] == '"' || s[i + 1] == '\\')) {
				out[k++] = s[i + 1];
				i += 2;
				continue;
			}
			return perr(p, i, "unknown escape in string");
		}
		out[k++] = s[i++];
	}
	out[k] = '\0';
	p->str = out;
	p->slen = k;
	p->litpos += k + 1;
	p->pos = i + 1;
	p->t = T_STR;
	return 0;
}

static int
lex_number(struct parser *p)
{
	const char *s = p->src;
	size_t i = p->pos, start = p->pos;
	char tmp[64];
	vet_day d;

	if (s[i] == '-')
		i++;
	if (i >= p->n || !isdigit((unsigned char)s[i]))
		return perr(p, start, "unexpected '-'");
	while (i < p->n && isdigit((unsigned char)s[i]))
		i++;
	/* A date is four digits, '-', two, '-', two. */
	if (s[start] != '-' && i - start == 4 && i < p->n && s[i] == '-') {
		if (i + 6 > p->n || !isdigit((unsigned char)s[i + 1]) ||
		    !isdigit((unsigned char)s[i + 2]) || s[i + 3] != '-' ||
		    !isdigit((unsigned char)s[i + 4]) ||
		    !isdigit((unsigned char)s[i + 5]))
			return perr(p, start, "bad date, expected YYYY-MM-DD");
		if (vet_date_parse(s + start, 10, &d) != 0)
			return perr(p, start, "impossible date '%.10s'",
			    s + start);
		p->num = d;
		p->t = T_DATE;
		p->pos = start + 10;
		if (p->pos < p->n && is_name_char((unsigned char)s[p->pos]))
			return perr(p, start, "bad date, expected YYYY-MM-DD");
		return 0;
	}
	if (i < p->n && s[i] == '.') {
		i++;
		if (i >= p->n || !isdigit((unsigned char)s[i]))
			return perr(p, start, "bad number");
		while (i < p->n && isdigit((unsigned char)s[i]))
			i++;
	}
	if (i < p->n && is_name_char((unsigned char)s[i]))
		return perr(p, start, "bad number");
	if (i - start >= sizeof tmp)
		return perr(p, start, "number too long");
	memcpy(tmp, s + start, i - start);
	tmp[i - start] = '\0';
	p->num = strtod(tmp, NULL);
	p->t = T_NUM;
	p->pos = i;
	return 0;
}

static int
lex(struct parser *p)
{
	const char *s = p->src;
	size_t i;
	int c;

	p->prev_end = p->toff + p->tlen;
	while (p->pos < p->n && (s[p->pos] == ' ' || s[p->pos] == '\t' ||
	    s[p->pos] == '\n' || s[p->pos] == '\r'))
		p->pos++;
	p->toff = p->pos;
	if (p->pos >= p->n) {
		p->t = T_END;
		p->tlen = 0;
		return 0;
	}
	c = (unsigned char)s[p->pos];
	if (is_name_start(c)) {
		i = p->pos;
		while (i < p->n && is_name_char((unsigned char)s[i]))
			i++;
		p->tlen = i - p->pos;
		p->t = T_NAME;
		if (p->tlen == 4 && memcmp(s + p->pos, "true", 4) == 0)
			p->t = T_TRUE;
		else if (p->tlen == 5 && memcmp(s + p->pos, "false", 5) == 0)
			p->t = T_FALSE;
		else if (p->tlen == 2 && memcmp(s + p->pos, "in", 2) == 0)
			p->t = T_IN;
		p->pos = i;
		return 0;
	}
	if (isdigit(c) || c == '-') {
		if (lex_number(p) < 0)
			return VET_ECONFIG;
		p->tlen = p->pos - p->toff;
		return 0;
	}
	if (c == '"') {
		if (lex_string(p) < 0)
			return VET_ECONFIG;
		p->tlen = p->pos - p->toff;
		return 0;
	}
#define TWO(a, b) (c == (a) && p->pos + 1 < p->n && s[p->pos + 1] == (b))
	p->tlen = 2;
	if (TWO('=', '='))
		p->t = T_EQ;
	else if (TWO('!', '='))
		p->t = T_NE;
	else if (TWO('<', '='))
		p->t = T_LE;
	else if (TWO('>', '='))
		p->t = T_GE;
	else if (TWO('&', '&'))
		p->t = T_AND;
	else if (TWO('|', '|'))
		p->t = T_OR;
	else {
		p->tlen = 1;
		switch (c) {
		case '<': p->t = T_LT; break;
		case '>': p->t = T_GT; break;
		case '!': p->t = T_NOT; break;
		case '(': p->t = T_LP; break;
		case ')': p->t = T_RP; break;
		case '[': p->t = T_LB; break;
		case ']': p->t = T_RB; break;
		case ',': p->t = T_COMMA; break;
		case '=':
			return perr(p, p->pos, "'=' is not an operator, use '=='");
		case '&':
			return perr(p, p->pos, "'&' is not an operator, use '&&'");
		case '|':
			return perr(p, p->pos, "'|' is not an operator, use '||'");
		default:
			if (c >= 0x20 && c < 0x7f)
				return perr(p, p->pos, "unexpected '%c'", c);
			return perr(p, p->pos, "unexpected byte 0x%02x", c);
		}
	}
#undef TWO
	p->pos += p->tlen;
	return 0;
}

static int
new_node(struct parser *p, int op, int type, size_t off, size_t end)
{
	struct vet_rnode *nn;
	int cap;

	if (p->nnodes == p->cap) {
		cap = p->cap ? p->cap * 2 : 4;
		if ((nn = realloc(p->nodes, (size_t)cap * sizeof *nn)) == NULL)
			return VET_ENOMEM;
		p->nodes = nn;
		p->cap = cap;
	}
	nn = &p->nodes[p->nnodes];
	memset(nn, 0, sizeof *nn);
	nn->op = (unsigned char)op;
	nn->type = (unsigned char)type;
	nn->a = nn->b = -1;
	nn->off = (int)off;
	nn->len = (int)(end - off);
	return p->nnodes++;
}

static int parse_or(struct parser *);

static const char *
kind_word(const struct vet_rule_sym *s)
{
	switch (s->kind) {
	case VET_RSYM_PARAM:
		return "parameter";
	case VET_RSYM_CODE:
		return "code";
	default:
		return "field";
	}
}

static int
parse_call(struct parser *p, size_t noff, size_t nlen)
{
	static const struct {
		const char *name;
		int op, arg, result;
	} fns[] = {
		{ "months_since", OP_MONTHS, VET_RT_DATE, VET_RT_NUM },
		{ "days_since", OP_DAYS, VET_RT_DATE, VET_RT_NUM },
		{ "years_since", OP_YEARS, VET_RT_DATE, VET_RT_NUM },
		{ "present", OP_PRESENT, VET_RT_NONE, VET_RT_BOOL },
		{ "len", OP_LEN, VET_RT_STRS, VET_RT_NUM },
	};
	size_t i, aoff;
	int a, k;

	for (i = 0; i < sizeof fns / sizeof fns[0]; i++)
		if (strlen(fns[i].name) == nlen &&
		    memcmp(fns[i].name, p->src + noff, nlen) == 0)
			break;
	if (i == sizeof fns / sizeof fns[0])
		return perr(p, noff, "unknown function '%.*s'", (int)nlen,
		    p->src + noff);
	if (lex(p) < 0)
		return VET_ECONFIG;
	aoff = p->toff;
	if (fns[i].op == OP_PRESENT) {
		/* present() takes a field name, not a value. */
		if (p->t != T_NAME)
			return perr(p, aoff, "present() takes a field name");
		k = vet_rule_symtab_find(p->syms, p->src + p->toff, p->tlen);
		if (k < 0 || p->syms->syms[k].kind != VET_RSYM_FIELD ||
		    !(p->syms->syms[k].scopes & p->scope))
			return perr(p, aoff, "unknown field '%.*s'",
			    (int)p->tlen, p->src + p->toff);
		p->syms->syms[k].used = 1;
		if ((a = new_node(p, OP_PRESENT, VET_RT_BOOL, noff, 0)) < 0)
			return a;
		p->nodes[a].a = k;
		if (lex(p) < 0)
			return VET_ECONFIG;
	} else {
		if ((k = parse_or(p)) < 0)
			return k;
		if (p->nodes[k].type != fns[i].arg)
			return perr(p, aoff, "%s() takes a %s, not a %s",
			    fns[i].name, type_names[fns[i].arg],
			    type_names[p->nodes[k].type]);
		if ((a = new_node(p, fns[i].op, fns[i].result, noff, 0)) < 0)
			return a;
		p->nodes[a].a = k;
	}
	if (p->t != T_RP)
		return perr(p, p->toff, "expected ')'");
	p->nodes[a].len = (int)(p->pos - noff);
	if (lex(p) < 0)
		return VET_ECONFIG;
	return a;
}

static int
parse_primary(struct parser *p)
{
	size_t off = p->toff, nlen;
	const struct vet_rule_sym *s;
	int a, k;

	switch (p->t) {
	case T_NUM:
		if ((a = new_node(p, OP_NUM, VET_RT_NUM, off, p->pos)) < 0)
			return a;
		p->nodes[a].num = p->num;
		break;
	case T_DATE:
		if ((a = new_node(p, OP_DATE, VET_RT_DATE, off, p->pos)) < 0)
			return a;
		p->nodes[a].num = p->num;
		break;
	case T_STR:
		if ((a = new_node(p, OP_STR, VET_RT_STR, off, p->pos)) < 0)
			return a;
		p->nodes[a].soff = (size_t)(p->str - p->lits);
		p->nodes[a].n = p->slen;
		break;
	case T_TRUE:
	case T_FALSE:
		a = new_node(p, p->t == T_TRUE ? OP_TRUE : OP_FALSE,
		    VET_RT_BOOL, off, p->pos);
		if (a < 0)
			return a;
		break;
	case T_LP:
		if (lex(p) < 0)
			return VET_ECONFIG;
		if ((a = parse_or(p)) < 0)
			return a;
		if (p->t != T_RP)
			return perr(p, p->toff, "expected ')'");
		break;
	case T_NAME:
		nlen = p->tlen;
		if (lex(p) < 0)
			return VET_ECONFIG;
		if (p->t == T_LP)
			return parse_call(p, off, nlen);
		k = vet_rule_symtab_find(p->syms, p->src + off, nlen);
		if (k < 0 || !(p->syms->syms[k].scopes & p->scope))
			return perr(p, off, "unknown name '%.*s' (not a field, "
			    "parameter or code)", (int)nlen, p->src + off);
		s = &p->syms->syms[k];
		if (s->rank >= p->rank)
			return perr(p, off, "%s '%s' cannot be used here: a "
			    "rule may name only codes listed before it",
			    kind_word(s), s->name);
		p->syms->syms[k].used = 1;
		if ((a = new_node(p, OP_SYM, s->type, off, off + nlen)) < 0)
			return a;
		p->nodes[a].a = k;
		return a;
	case T_END:
		return perr(p, off, "unexpected end of rule");
	default:
		return perr(p, off, "unexpected '%.*s'", (int)p->tlen,
		    p->src + off);
	}
	if (lex(p) < 0)
		return VET_ECONFIG;
	return a;
}

static int
parse_unary(struct parser *p)
{
	size_t off = p->toff;
	int a, k;

	if (++p->depth > VET_RULE_MAX_DEPTH)
		return perr(p, off, "rule nested deeper than %d",
		    VET_RULE_MAX_DEPTH);
	if (p->t == T_NOT) {
		if (lex(p) < 0)
			return VET_ECONFIG;
		if ((k = parse_unary(p)) < 0)
			return k;
		if (p->nodes[k].type != VET_RT_BOOL)
			return perr(p, off, "'!' takes a boolean, not a %s",
			    type_names[p->nodes[k].type]);
		if ((a = new_node(p, OP_NOT, VET_RT_BOOL, off, 0)) < 0)
			return a;
		p->nodes[a].a = k;
		p->nodes[a].len = (int)(p->prev_end - off);
	} else
		a = parse_primary(p);
	p->depth--;
	return a;
}

/* A string literal compared with a field of fixed values must be one of
 * them, so that a typo such as "unemployd" is refused at load time. */
static int
check_enum(struct parser *p, int symnode, int lit)
{
	const struct vet_rnode *sn = &p->nodes[symnode];
	const struct vet_rnode *ln = &p->nodes[lit];
	const struct vet_rule_sym *s;
	const char *const *e;

	if (sn->op != OP_SYM || ln->op != OP_STR)
		return 0;
	s = &p->syms->syms[sn->a];
	if (s->enums == NULL)
		return 0;
	for (e = s->enums; *e != NULL; e++)
		if (strcmp(*e, p->lits + ln->soff) == 0)
			return 0;
	return perr(p, (size_t)ln->off, "'%s' is not a value of %s '%s'",
	    p->lits + ln->soff, kind_word(s), s->name);
}

static int
parse_cmp(struct parser *p)
{
	size_t off = p->toff, opoff, lboff;
	enum tok t;
	int a, b, c, op, ta, tb, first, nlist;

	if ((a = parse_unary(p)) < 0)
		return a;
	t = p->t;
	opoff = p->toff;
	switch (t) {
	case T_EQ: op = OP_EQ; break;
	case T_NE: op = OP_NE; break;
	case T_LT: op = OP_LT; break;
	case T_LE: op = OP_LE; break;
	case T_GT: op = OP_GT; break;
	case T_GE: op = OP_GE; break;
	case T_IN: op = OP_INLIST; break;
	default:
		return a;
	}
	if (lex(p) < 0)
		return VET_ECONFIG;
	ta = p->nodes[a].type;
	if (op == OP_INLIST && p->t == T_LB) {
		if (ta != VET_RT_STR && ta != VET_RT_NUM)
			return perr(p, off, "'in [...]' takes a string or "
			    "number, not a %s", type_names[ta]);
		first = -1;
		nlist = 0;
		lboff = p->toff;
		do {
			if (lex(p) < 0)
				return VET_ECONFIG;
			if ((ta == VET_RT_STR && p->t != T_STR) ||
			    (ta == VET_RT_NUM && p->t != T_NUM))
				return perr(p, p->toff, "a list after 'in' "
				    "holds %s literals", type_names[ta]);
			if ((b = parse_primary(p)) < 0)
				return b;
			if ((c = check_enum(p, a, b)) < 0)
				return c;
			if (first < 0)
				first = b;
			nlist++;
		} while (p->t == T_COMMA);
		if (p->t != T_RB)
			return perr(p, p->toff, "expected ']'");
		if ((c = new_node(p, OP_INLIST, VET_RT_BOOL, off, p->pos)) < 0)
			return c;
		p->nodes[c].a = a;
		p->nodes[c].b = first;
		p->nodes[c].nlist = nlist;
		p->nodes[c].n = lboff;
		if (lex(p) < 0)
			return VET_ECONFIG;
		return c;
	}
	if ((b = parse_unary(p)) < 0)
		return b;
	tb = p->nodes[b].type;
	if (op == OP_INLIST) {
		if (ta != VET_RT_STR || tb != VET_RT_STRS)
			return perr(p, opoff, "'in' takes a string and a list, "
			    "not a %s and a %s", type_names[ta],
			    type_names[tb]);
		op = OP_INSTRS;
	} else {
		if (ta != tb)
			return perr(p, opoff, "cannot compare a %s with a %s",
			    type_names[ta], type_names[tb]);
		if (ta == VET_RT_STRS)
			return perr(p, opoff, "cannot compare lists");
		if (op != OP_EQ && op != OP_NE && ta != VET_RT_NUM &&
		    ta != VET_RT_DATE)
			return perr(p, opoff, "'%.*s' compares numbers or "
			    "dates, not %ss", (int)(t == T_LT || t == T_GT ?
			    1 : 2), p->src + opoff, type_names[ta]);
		if ((c = check_enum(p, a, b)) < 0 ||
		    (c = check_enum(p, b, a)) < 0)
			return c;
	}
	if ((c = new_node(p, op, VET_RT_BOOL, off, 0)) < 0)
		return c;
	p->nodes[c].a = a;
	p->nodes[c].b = b;
	p->nodes[c].len = (int)(p->prev_end - off);
	return c;
}

static int
parse_and(struct parser *p)
{
	size_t off = p->toff, opoff;
	int a, b, c;

	if ((a = parse_cmp(p)) < 0)
		return a;
	while (p->t == T_AND) {
		opoff = p->toff;
		if (lex(p) < 0)
			return VET_ECONFIG;
		if ((b = parse_cmp(p)) < 0)
			return b;
		if (p->nodes[a].type != VET_RT_BOOL ||
		    p->nodes[b].type != VET_RT_BOOL)
			return perr(p, opoff, "'&&' takes booleans, not a %s",
			    type_names[p->nodes[a].type != VET_RT_BOOL ?
			    p->nodes[a].type : p->nodes[b].type]);
		if ((c = new_node(p, OP_AND, VET_RT_BOOL, off, 0)) < 0)
			return c;
		p->nodes[c].a = a;
		p->nodes[c].b = b;
		p->nodes[c].len = (int)(p->prev_end - off);
		a = c;
	}
	return a;
}

static int
parse_or(struct parser *p)
{
	size_t off = p->toff, opoff;
	int a, b, c;

	if (++p->depth > VET_RULE_MAX_DEPTH)
		return perr(p, off, "rule nested deeper than %d",
		    VET_RULE_MAX_DEPTH);
	if ((a = parse_and(p)) < 0)
		return a;
	while (p->t == T_OR) {
		opoff = p->toff;
		if (lex(p) < 0)
			return VET_ECONFIG;
		if ((b = parse_and(p)) < 0)
			return b;
		if (p->nodes[a].type != VET_RT_BOOL ||
		    p->nodes[b].type != VET_RT_BOOL)
			return perr(p, opoff, "'||' takes booleans, not a %s",
			    type_names[p->nodes[a].type != VET_RT_BOOL ?
			    p->nodes[a].type : p->nodes[b].type]);
		if ((c = new_node(p, OP_OR, VET_RT_BOOL, off, 0)) < 0)
			return c;
		p->nodes[c].a = a;
		p->nodes[c].b = b;
		p->nodes[c].len = (int)(p->prev_end - off);
		a = c;
	}
	p->depth--;
	return a;
}

static void eval_val(const struct vet_rule *, const struct vet_rule_env *,
    int, struct vet_rval *);

/*
 * A literal's value is made once here, so that evaluation reads it in
 * place instead of building it for every record.  Literals do not read
 * the environment.
 */
static void
set_literals(struct vet_rule *r)
{
	struct vet_rnode *nd;
	int i;

	for (i = 0; i < r->nnodes; i++) {
		nd = &r->nodes[i];
		if (nd->op == OP_TRUE || nd->op == OP_FALSE ||
		    nd->op == OP_NUM || nd->op == OP_STR || nd->op == OP_DATE) {
			eval_val(r, NULL, i, &nd->val);
			/* A string's text is lits + soff: no address in the
			 * node (rule_impl.h). */
			nd->val.s = NULL;
			nd->lit = 1;
		}
	}
}

/*
 * The flat program.  Every record runs every rule, and the recursive walk
 * spent its time in calls and in copying values, so a rule is also
 * compiled into a sequence run by one loop over a small stack of
 * three-valued booleans (1, 0, -1 unknown), with the walk's short
 * circuits as jumps: the same answers, in the same order of evaluation.
 * A comparison of a slot with a literal, the commonest leaf, is one
 * instruction per type and operator with the literal in it, so that it
 * costs a load and a compare.
 */
enum insn {
	I_NODE,		/* push eval_bool(node a): a leaf the walk evaluates */
	I_SYM,		/* push slot a as a boolean */
	I_CMP_SS,	/* push slot a <cmp> slot b */
	I_NOT,
	I_AND_JF,	/* top x is 0: jump to target; x stays either way */
	I_AND,		/* pop y; top x becomes x && y */
	I_OR_JT,	/* top x is 1: jump to target; x stays either way */
	I_OR,		/* pop y; top x becomes x || y */
	/* push slot a <op> the literal (num, day or s, n); 0 when the slot
	 * is unknown.  Booleans are numbers 0 and 1 here. */
	I_NUM_EQ, I_NUM_NE, I_NUM_LT, I_NUM_LE, I_NUM_GT, I_NUM_GE,
	I_DAY_EQ, I_DAY_NE, I_DAY_LT, I_DAY_LE, I_DAY_GT, I_DAY_GE,
	I_STR_EQ, I_STR_NE
};

#define PROG_STACK 64

struct flat {
	struct vet_rinsn *p;
	int n, depth, max;
};

static struct vet_rinsn *
flat_emit(struct flat *f, int op, int cmp, int a, int b, int push)
{
	struct vet_rinsn *in = &f->p[f->n++];

	memset(in, 0, sizeof *in);
	in->op = (unsigned char)op;
	in->cmp = (unsigned char)cmp;
	in->a = a;
	in->b = b;
	f->depth += push;
	if (f->depth > f->max)
		f->max = f->depth;
	return in;
}

/* The instruction comparing a slot of type t with a literal by op. */
static int
cmp_insn(int t, int op)
{
	int k = op - OP_EQ;

	switch (t) {
	case VET_RT_STR:
		return op == OP_EQ ? I_STR_EQ : op == OP_NE ? I_STR_NE : -1;
	case VET_RT_DATE:
		return I_DAY_EQ + k;
	case VET_RT_BOOL:
	case VET_RT_NUM:
		return I_NUM_EQ + k;
	default:
		return -1;
	}
}

/* Whether node i is one instruction: anything but && and ||, under any
 * number of '!'. */
static int
is_leaf(const struct vet_rule *r, int i)
{
	const struct vet_rnode *nd = &r->nodes[i];

	if (nd->op == OP_NOT)
		return is_leaf(r, nd->a);
	return nd->op != OP_AND && nd->op != OP_OR;
}

/* Whether node i is a chain of op (OP_AND or OP_OR) over leaves. */
static int
is_chain(const struct vet_rule *r, int i, int op)
{
	const struct vet_rnode *nd = &r->nodes[i];

	if (nd->op == op)
		return is_chain(r, nd->a, op) && is_chain(r, nd->b, op);
	return is_leaf(r, i);
}

static void flat_node(const struct vet_rule *, struct flat *, int);

/* The leaves of the chain of op at node i, in order. */
static void
flat_chain(const struct vet_rule *r, struct flat *f, int i, int op)
{
	const struct vet_rnode *nd = &r->nodes[i];

	if (nd->op == op) {
		flat_chain(r, f, nd->a, op);
		flat_chain(r, f, nd->b, op);
		return;
	}
	flat_node(r, f, i);
	f->depth = 0;
}

static void
flat_node(const struct vet_rule *r, struct flat *f, int i)
{
	const struct vet_rnode *nd = &r->nodes[i];
	const struct vet_rnode *na, *nb;
	struct vet_rinsn *in;
	int j, op;

	switch (nd->op) {
	case OP_AND:
	case OP_OR:
		flat_node(r, f, nd->a);
		j = f->n;
		flat_emit(f, nd->op == OP_AND ? I_AND_JF : I_OR_JT, 0, 0, 0,
		    0);
		flat_node(r, f, nd->b);
		flat_emit(f, nd->op == OP_AND ? I_AND : I_OR, 0, 0, 0, -1);
		f->p[j].target = f->n;
		return;
	case OP_NOT:
		flat_node(r, f, nd->a);
		if (is_leaf(r, nd->a))
			f->p[f->n - 1].neg ^= 1;
		else
			flat_emit(f, I_NOT, 0, 0, 0, 0);
		return;
	case OP_SYM:
		flat_emit(f, I_SYM, 0, nd->a, 0, 1);
		return;
	case OP_EQ: case OP_NE: case OP_LT: case OP_LE: case OP_GT: case OP_GE:
		na = &r->nodes[nd->a];
		nb = &r->nodes[nd->b];
		/* A literal is always known; compare() reads the type of
		 * its left operand, the slot's. */
		if (na->op == OP_SYM && nb->lit && nb->val.known &&
		    (op = cmp_insn(na->type, nd->op)) >= 0) {
			in = flat_emit(f, op, nd->op, na->a, nd->b, 1);
			in->num = nb->val.num;
			in->day = nb->val.day;
			in->soff = nb->soff;
			in->n = nb->val.n;
			return;
		}
		if (na->op == OP_SYM && nb->op == OP_SYM) {
			flat_emit(f, I_CMP_SS, nd->op, na->a, nb->a, 1);
			return;
		}
		break;
	default:
		break;
	}
	flat_emit(f, I_NODE, 0, i, 0, 1);
}

/* Fills r->prog, or leaves it NULL for a rule too deep for the stack.
 * 0 or VET_ENOMEM. */
static int
flatten(struct vet_rule *r)
{
	struct flat f;

	if (r->root < 0)
		return 0;
	/* A node gives at most two instructions. */
	if ((f.p = malloc(2 * (size_t)r->nnodes * sizeof *f.p)) == NULL)
		return VET_ENOMEM;
	f.n = f.depth = f.max = 0;
	/*
	 * Most rules are one comparison, or comparisons joined by one
	 * operator: those hold when every (or any) leaf is true, and need
	 * no stack.
	 */
	if (is_chain(r, r->root, OP_AND)) {
		r->shape = VET_RSHAPE_ALL;
		flat_chain(r, &f, r->root, OP_AND);
	} else if (is_chain(r, r->root, OP_OR)) {
		r->shape = VET_RSHAPE_ANY;
		flat_chain(r, &f, r->root, OP_OR);
	} else {
		r->shape = VET_RSHAPE_PROG;
		flat_node(r, &f, r->root);
	}
	if (f.max > PROG_STACK) {
		free(f.p);
		return 0;
	}
	r->prog = f.p;
	r->nprog = f.n;
	return 0;
}

int
vet_rule_compile(struct vet_rule *r, struct vet_rule_symtab *t,
    unsigned scope, int rank, const char *src, size_t n,
    struct vet_error *err)
{
	struct parser p;
	int root;

	memset(r, 0, sizeof *r);
	r->root = -1;
	if (n > VET_RULE_MAX_LEN)
		return vet_error_set(err, VET_ECONFIG, NULL, 0, 1,
		    "rule longer than %d bytes", VET_RULE_MAX_LEN);
	if (memchr(src, '\0', n) != NULL)
		return vet_error_set(err, VET_ECONFIG, NULL, 0,
		    (long)((const char *)memchr(src, '\0', n) - src) + 1,
		    "NUL byte in rule");
	memset(&p, 0, sizeof p);
	p.src = src;
	p.n = n;
	p.syms = t;
	p.scope = scope;
	p.rank = rank;
	p.err = err;
	/* Decoded literals are never longer than the text, plus a NUL each. */
	if ((p.lits = malloc(2 * n + 2)) == NULL)
		return VET_ENOMEM;
	if ((root = lex(&p)) < 0)
		goto fail;
	if (p.t == T_END) {
		root = perr(&p, 0, "empty rule");
		goto fail;
	}
	if ((root = parse_or(&p)) < 0)
		goto fail;
	if (p.t != T_END) {
		root = perr(&p, p.toff, "unexpected '%.*s' after the rule",
		    (int)p.tlen, p.src + p.toff);
		goto fail;
	}
	if (p.nodes[root].type != VET_RT_BOOL) {
		root = perr(&p, 0, "a rule must be a boolean, not a %s",
		    type_names[p.nodes[root].type]);
		goto fail;
	}
	if ((r->src = malloc(n + 1)) == NULL) {
		root = VET_ENOMEM;
		goto fail;
	}
	memcpy(r->src, src, n);
	r->src[n] = '\0';
	r->srclen = n;
	r->nodes = p.nodes;
	r->nnodes = p.nnodes;
	r->root = root;
	r->lits = p.lits;
	r->litlen = p.litpos;
	set_literals(r);
	if (flatten(r) < 0) {
		vet_rule_release(r);
		return vet_error_set(err, VET_ENOMEM, NULL, 0, 0,
		    "out of memory");
	}
	return 0;
fail:
	free(p.nodes);
	free(p.lits);
	memset(r, 0, sizeof *r);
	r->root = -1;
	if (root == VET_ENOMEM)
		return vet_error_set(err, VET_ENOMEM, NULL, 0, 0,
		    "out of memory");
	return root;
}

void
vet_rule_release(struct vet_rule *r)
{
	free(r->prog);
	free(r->nodes);
	free(r->lits);
	free(r->src);
	memset(r, 0, sizeof *r);
	r->root = -1;
}

void
vet_rule_uses(const struct vet_rule *r, unsigned char *used)
{
	int i;

	/* Every mark the compiler makes (parse_primary, parse_call) comes
	 * with the node that holds its slot in a. */
	for (i = 0; i < r->nnodes; i++)
		if (r->nodes[i].op == OP_SYM || r->nodes[i].op == OP_PRESENT)
			used[r->nodes[i].a] = 1;
}

/* Evaluation.  Booleans are three-valued: 1 true, 0 false, -1 unknown. */

static int eval_bool(const struct vet_rule *, const struct vet_rule_env *,
    int);

/*
 * The value of node i: a slot or a literal in place, anything else
 * evaluated into tmp.  Copying a value costs more than most comparisons.
 */
static inline const struct vet_rval *
operand(const struct vet_rule *r, const struct vet_rule_env *env, int i,
    struct vet_rval *tmp)
{
	const struct vet_rnode *nd = &r->nodes[i];

	if (nd->op == OP_SYM)
		return &env->vals[nd->a];
	if (nd->lit && nd->op != OP_STR)
		return &nd->val;
	eval_val(r, env, i, tmp);
	return tmp;
}

static void
eval_val(const struct vet_rule *r, const struct vet_rule_env *env, int i,
    struct vet_rval *v)
{
	const struct vet_rnode *nd = &r->nodes[i];
	const struct vet_rval *pa;
	struct vet_rval a;
	int b;

	memset(v, 0, sizeof *v);
	v->type = nd->type;
	v->known = 1;
	switch (nd->op) {
	case OP_NUM:
		v->num = nd->num;
		return;
	case OP_DATE:
		v->day = (vet_day)nd->num;
		return;
	case OP_STR:
		v->s = r->lits + nd->soff;
		v->n = nd->n;
		return;
	case OP_SYM:
		*v = env->vals[nd->a];
		return;
	case OP_MONTHS:
	case OP_DAYS:
	case OP_YEARS:
		pa = operand(r, env, nd->a, &a);
		if (!pa->known) {
			v->known = 0;
			return;
		}
		if (nd->op == OP_MONTHS)
			v->num = vet_date_months_since(pa->day, env->as_of);
		else if (nd->op == OP_DAYS)
			v->num = (double)env->as_of - pa->day;
		else
			v->num = vet_date_years(pa->day, env->as_of);
		return;
	case OP_LEN:
		pa = operand(r, env, nd->a, &a);
		v->known = pa->known;
		v->num = pa->count;
		return;
	default:
		b = eval_bool(r, env, i);
		v->known = b >= 0;
		v->num = b > 0;
		return;
	}
}

static int
str_eq(const struct vet_rval *a, const struct vet_rval *b)
{
	return a->n == b->n && memcmp(a->s, b->s, a->n) == 0;
}

static int
strs_has(const struct vet_rval *list, const struct vet_rval *x)
{
	struct vet_json_iter it;
	struct vet_span arr = { list->s, list->n }, el;
	struct vet_buf tmp = VET_BUF_INIT;
	struct vet_span s;
	int hit = 0;

	vet_json_iter_init(&it, arr);
	while (!hit && vet_json_iter_next(&it, NULL, &el)) {
		if (vet_json_type_of(el) != VET_JSON_STRING)
			continue;
		if (vet_json_string(el, &tmp, &s) != 0)
			continue;
		hit = s.n == x->n && memcmp(s.p, x->s, x->n) == 0;
	}
	vet_buf_release(&tmp);
	return hit;
}

static int
compare(int op, const struct vet_rval *a, const struct vet_rval *b)
{
	double x, y;

	switch (a->type) {
	case VET_RT_STR:
		return op == OP_EQ ? str_eq(a, b) : !str_eq(a, b);
	case VET_RT_DATE:
		x = a->day;
		y = b->day;
		break;
	default:
		x = a->num;
		y = b->num;
		break;
	}
	switch (op) {
	case OP_EQ: return x == y;
	case OP_NE: return x != y;
	case OP_LT: return x < y;
	case OP_LE: return x <= y;
	case OP_GT: return x > y;
	default: return x >= y;
	}
}

static int
eval_bool(const struct vet_rule *r, const struct vet_rule_env *env, int i)
{
	const struct vet_rnode *nd = &r->nodes[i];
	const struct vet_rval *pa, *pb;
	struct vet_rval a, b;
	int x, y, k;

	switch (nd->op) {
	case OP_TRUE:
		return 1;
	case OP_FALSE:
		return 0;
	case OP_SYM:
		pa = &env->vals[nd->a];
		return pa->known ? pa->num != 0 : -1;
	case OP_NOT:
		x = eval_bool(r, env, nd->a);
		return x < 0 ? -1 : !x;
	case OP_AND:
		x = eval_bool(r, env, nd->a);
		if (x == 0)
			return 0;
		y = eval_bool(r, env, nd->b);
		if (y == 0)
			return 0;
		return x < 0 || y < 0 ? -1 : 1;
	case OP_OR:
		x = eval_bool(r, env, nd->a);
		if (x == 1)
			return 1;
		y = eval_bool(r, env, nd->b);
		if (y == 1)
			return 1;
		return x < 0 || y < 0 ? -1 : 0;
	case OP_EQ: case OP_NE: case OP_LT: case OP_LE: case OP_GT: case OP_GE:
		pa = operand(r, env, nd->a, &a);
		if (!pa->known)
			return 0;
		pb = operand(r, env, nd->b, &b);
		if (!pb->known)
			return 0;
		return compare(nd->op, pa, pb);
	case OP_INLIST:
		pa = operand(r, env, nd->a, &a);
		if (!pa->known)
			return 0;
		for (k = 0; k < nd->nlist; k++)
			if (compare(OP_EQ, pa, operand(r, env, nd->b + k, &b)))
				return 1;
		return 0;
	case OP_INSTRS:
		pa = operand(r, env, nd->a, &a);
		pb = operand(r, env, nd->b, &b);
		if (!pa->known || !pb->known)
			return 0;
		return strs_has(pb, pa);
	case OP_PRESENT:
		return env->vals[nd->a].present != 0;
	default:
		return -1;
	}
}

#if defined(__GNUC__)
#define ALWAYS_INLINE	__attribute__((always_inline))
#define NOINLINE	__attribute__((noinline))
#else
#define ALWAYS_INLINE
#define NOINLINE
#endif

/* The value of leaf instruction in: 1, 0 or -1 unknown.  Inlined in the
 * loops of vet_rule_eval(), where most rules are run. */
static inline ALWAYS_INLINE int
leaf(const struct vet_rule *r, const struct vet_rule_env *env,
    const struct vet_rinsn *in)
{
	const struct vet_rval *pa = &env->vals[in->a], *pb;
	int x;

	switch (in->op) {
	case I_NODE:
		x = eval_bool(r, env, in->a);
		break;
	case I_SYM:
		x = pa->known ? pa->num != 0 : -1;
		break;
	case I_NUM_EQ:
		x = pa->known && pa->num == in->num;
		break;
	case I_NUM_NE:
		x = pa->known && pa->num != in->num;
		break;
	case I_NUM_LT:
		x = pa->known && pa->num < in->num;
		break;
	case I_NUM_LE:
		x = pa->known && pa->num <= in->num;
		break;
	case I_NUM_GT:
		x = pa->known && pa->num > in->num;
		break;
	case I_NUM_GE:
		x = pa->known && pa->num >= in->num;
		break;
	case I_DAY_EQ:
		x = pa->known && pa->day == in->day;
		break;
	case I_DAY_NE:
		x = pa->known && pa->day != in->day;
		break;
	case I_DAY_LT:
		x = pa->known && pa->day < in->day;
		break;
	case I_DAY_LE:
		x = pa->known && pa->day <= in->day;
		break;
	case I_DAY_GT:
		x = pa->known && pa->day > in->day;
		break;
	case I_DAY_GE:
		x = pa->known && pa->day >= in->day;
		break;
	case I_STR_EQ:
		x = pa->known && pa->n == in->n &&
		    memcmp(pa->s, r->lits + in->soff, in->n) == 0;
		break;
	case I_STR_NE:
		x = pa->known && !(pa->n == in->n &&
		    memcmp(pa->s, r->lits + in->soff, in->n) == 0);
		break;
	case I_CMP_SS:
		pb = &env->vals[in->b];
		x = pa->known && pb->known && compare(in->cmp, pa, pb);
		break;
	default:
		x = -1;
		break;
	}
	if (in->neg)
		x = x < 0 ? -1 : !x;
	return x;
}

/* Out of line: its stack would make every vet_rule_eval() call pay for
 * a frame. */
static NOINLINE int
run(const struct vet_rule *r, const struct vet_rule_env *env)
{
	const struct vet_rinsn *in, *end = r->prog + r->nprog;
	signed char st[PROG_STACK + 1];
	int sp = 0, x, y;

	for (in = r->prog; in < end; in++) {
		switch (in->op) {
		case I_NOT:
			x = st[sp - 1];
			st[sp - 1] = (signed char)(x < 0 ? -1 : !x);
			break;
		case I_AND_JF:
			/* x stays on the stack for I_AND. */
			if (st[sp - 1] == 0)
				in = r->prog + in->target - 1;
			break;
		case I_OR_JT:
			if (st[sp - 1] == 1)
				in = r->prog + in->target - 1;
			break;
		case I_AND:
			/* x is not 0, or I_AND_JF jumped past this. */
			y = st[--sp];
			x = st[sp - 1];
			st[sp - 1] = (signed char)(y == 0 ? 0 :
			    x < 0 || y < 0 ? -1 : 1);
			break;
		case I_OR:
			y = st[--sp];
			x = st[sp - 1];
			st[sp - 1] = (signed char)(y == 1 ? 1 :
			    x < 0 || y < 0 ? -1 : 0);
			break;
		default:
			st[sp++] = (signed char)leaf(r, env, in);
			break;
		}
	}
	return sp == 1 ? st[0] : -1;
}

int
vet_rule_eval(const struct vet_rule *r, const struct vet_rule_env *env)
{
	if (r->root < 0)
		return 0;
	if (r->prog != NULL) {
		/* A chain of && holds when every leaf is true, a chain of
		 * || when one is (three-valued logic gives 1 only so). */
		const struct vet_rinsn *in, *end = r->prog + r->nprog;

		switch (r->shape) {
		case VET_RSHAPE_ALL:
			for (in = r->prog; in < end; in++)
				if (leaf(r, env, in) != 1)
					return 0;
			return 1;
		case VET_RSHAPE_ANY:
			for (in = r->prog; in < end; in++)
				if (leaf(r, env, in) == 1)
					return 1;
			return 0;
		default:
			return run(r, env) == 1;
		}
	}
	return eval_bool(r, env, r->root) == 1;
}

/* Explanations: only for rules that held, so not on the common path. */

static int
add_value(struct vet_buf *out, const struct vet_rval *v)
{
	char d[11];

	if (!v->known)
		return vet_buf_addstr(out, "unknown");
	switch (v->type) {
	case VET_RT_BOOL:
		return vet_buf_addstr(out, v->num != 0 ? "true" : "false");
	case VET_RT_NUM:
		return vet_json_add_number(out, v->num);
	case VET_RT_DATE:
		vet_date_format(v->day, d);
		return vet_buf_addstr(out, d);
	case VET_RT_STR:
		return vet_buf_add(out, v->s, v->n);
	default:
		return vet_buf_add(out, v->s, v->n);
	}
}

static int
is_literal(const struct vet_rnode *nd)
{
	return nd->op == OP_NUM || nd->op == OP_STR || nd->op == OP_DATE ||
	    nd->op == OP_TRUE || nd->op == OP_FALSE;
}

/* One operand of a comparison: a literal as itself (strings unquoted), a
 * parameter as its value, anything else as its text and value. */
static int
add_operand(struct vet_buf *out, const struct vet_rule *r,
    const struct vet_rule_env *env, int i, int value_too)
{
	const struct vet_rnode *nd = &r->nodes[i];
	struct vet_rval v;
	int e;

	eval_val(r, env, i, &v);
	if (nd->op == OP_STR)
		return vet_buf_add(out, r->lits + nd->soff, nd->n);
	if (is_literal(nd))
		return vet_buf_add(out, r->src + nd->off, (size_t)nd->len);
	if (nd->op == OP_SYM && env->syms != NULL &&
	    env->syms->syms[nd->a].kind == VET_RSYM_PARAM)
		return add_value(out, &v);
	if ((e = vet_buf_add(out, r->src + nd->off, (size_t)nd->len)) < 0)
		return e;
	if (!value_too)
		return 0;
	if ((e = vet_buf_addch(out, ' ')) < 0)
		return e;
	return add_value(out, &v);
}

static const char *
op_text(int op)
{
	switch (op) {
	case OP_EQ: return "==";
	case OP_NE: return "!=";
	case OP_LT: return "<";
	case OP_LE: return "<=";
	case OP_GT: return ">";
	default: return ">=";
	}
}

static int
explain(const struct vet_rule *r, const struct vet_rule_env *env, int i,
    struct vet_buf *out)
{
	const struct vet_rnode *nd = &r->nodes[i];
	struct vet_rval a;
	int e, lit;

	switch (nd->op) {
	case OP_AND:
		if ((e = explain(r, env, nd->a, out)) < 0 ||
		    (e = vet_buf_addstr(out, ", ")) < 0)
			return e;
		return explain(r, env, nd->b, out);
	case OP_OR:
		if (eval_bool(r, env, nd->a) == 1)
			return explain(r, env, nd->a, out);
		return explain(r, env, nd->b, out);
	case OP_EQ: case OP_NE: case OP_LT: case OP_LE: case OP_GT: case OP_GE:
		/* "x == literal" shows no value: it is the literal. */
		lit = nd->op == OP_EQ && (is_literal(&r->nodes[nd->a]) ||
		    is_literal(&r->nodes[nd->b]));
		if ((e = add_operand(out, r, env, nd->a, !lit)) < 0 ||
		    (e = vet_buf_addch(out, ' ')) < 0 ||
		    (e = vet_buf_addstr(out, op_text(nd->op))) < 0 ||
		    (e = vet_buf_addch(out, ' ')) < 0)
			return e;
		return add_operand(out, r, env, nd->b, !lit);
	case OP_INLIST:
		eval_val(r, env, nd->a, &a);
		if ((e = add_operand(out, r, env, nd->a, 1)) < 0 ||
		    (e = vet_buf_addstr(out, " in ")) < 0)
			return e;
		return vet_buf_add(out, r->src + nd->n,
		    (size_t)nd->off + (size_t)nd->len - nd->n);
	case OP_PRESENT:
		if ((e = vet_buf_addstr(out,
		    env->syms != NULL ? env->syms->syms[nd->a].name : "field")) < 0)
			return e;
		return vet_buf_addstr(out, " present");
	case OP_NOT:
		/* A negated name or comparison reads as its text. */
		return vet_buf_add(out, r->src + nd->off, (size_t)nd->len);
	default:
		return vet_buf_add(out, r->src + nd->off, (size_t)nd->len);
	}
}

int
vet_rule_explain(const struct vet_rule *r, const struct vet_rule_env *env,
    struct vet_buf *out)
{
	if (r->root < 0)
		return 0;
	return explain(r, env, r->root, out);
}

/*
 * The alternatives of the `||` chain at node i, in order: explain() on
 * an `||` explains its left operand when that holds, else its right one,
 * so the whole chain explains its first operand that holds, else its
 * last.  alt_node gives the node of alternative *k (counted down).
 */
static int
count_alts(const struct vet_rule *r, int i)
{
	const struct vet_rnode *nd = &r->nodes[i];

	if (nd->op != OP_OR)
		return 1;
	return count_alts(r, nd->a) + count_alts(r, nd->b);
}

static int
alt_node(const struct vet_rule *r, int i, int *k)
{
	const struct vet_rnode *nd = &r->nodes[i];
	int j;

	if (nd->op != OP_OR)
		return (*k)-- == 0 ? i : -1;
	if ((j = alt_node(r, nd->a, k)) >= 0)
		return j;
	return alt_node(r, nd->b, k);
}

int
vet_rule_nalts(const struct vet_rule *r)
{
	if (r->root < 0)
		return 1;
	return count_alts(r, r->root);
}

/* The first alternative under node i that holds (*k counts them), or -1
 * when none does. */
static int
first_alt(const struct vet_rule *r, const struct vet_rule_env *env, int i,
    int *k)
{
	const struct vet_rnode *nd = &r->nodes[i];
	int j;

	if (nd->op != OP_OR) {
		if (eval_bool(r, env, i) == 1)
			return *k;
		(*k)++;
		return -1;
	}
	if ((j = first_alt(r, env, nd->a, k)) >= 0)
		return j;
	return first_alt(r, env, nd->b, k);
}

int
vet_rule_alt(const struct vet_rule *r, const struct vet_rule_env *env)
{
	int k = 0, j;

	if (r->root < 0)
		return 0;
	if (r->prog != NULL && r->shape == VET_RSHAPE_ANY) {
		/* The program of an `||` chain is its alternatives' leaves,
		 * in order, each worth what eval_bool() gives its node. */
		for (k = 0; k < r->nprog; k++)
			if (leaf(r, env, &r->prog[k]) == 1)
				return k;
		return r->nprog - 1;
	}
	if ((j = first_alt(r, env, r->root, &k)) >= 0)
		return j;
	return k - 1;
}

/* Whether operand i of a comparison reads the same for every record:
 * add_operand() shows a literal or a parameter, or only the text. */
static int
operand_fixed(const struct vet_rule *r, const struct vet_rule_symtab *t,
    int i, int value_too)
{
	const struct vet_rnode *nd = &r->nodes[i];

	if (is_literal(nd) || !value_too)
		return 1;
	return nd->op == OP_SYM && t != NULL &&
	    t->syms[nd->a].kind == VET_RSYM_PARAM;
}

/* Whether explain() of node i reads the same for every record; it
 * follows explain() case by case. */
static int
node_fixed(const struct vet_rule *r, const struct vet_rule_symtab *t, int i)
{
	const struct vet_rnode *nd = &r->nodes[i];
	int lit;

	switch (nd->op) {
	case OP_AND:
		return node_fixed(r, t, nd->a) && node_fixed(r, t, nd->b);
	case OP_OR:
		return 0;
	case OP_EQ: case OP_NE: case OP_LT: case OP_LE: case OP_GT: case OP_GE:
		lit = nd->op == OP_EQ && (is_literal(&r->nodes[nd->a]) ||
		    is_literal(&r->nodes[nd->b]));
		return operand_fixed(r, t, nd->a, !lit) &&
		    operand_fixed(r, t, nd->b, !lit);
	case OP_INLIST:
		return operand_fixed(r, t, nd->a, 1);
	default:
		return 1;
	}
}

int
vet_rule_alt_fixed(const struct vet_rule *r, int k,
    const struct vet_rule_symtab *t)
{
	int i;

	if (r->root < 0)
		return 1;
	if ((i = alt_node(r, r->root, &k)) < 0)
		return 0;
	return node_fixed(r, t, i);
}

int
vet_rule_explain_alt(const struct vet_rule *r, int k,
    const struct vet_rule_env *env, struct vet_buf *out)
{
	int i;

	if (r->root < 0)
		return 0;
	if ((i = alt_node(r, r->root, &k)) < 0)
		return 0;
	return explain(r, env, i, out);
}

/* The symbol table. */

void
vet_rule_symtab_init(struct vet_rule_symtab *t)
{
	t->syms = NULL;
	t->n = t->cap = 0;
	t->slot = NULL;
	t->nslot = 0;
}

void
vet_rule_symtab_release(struct vet_rule_symtab *t)
{
	free(t->syms);
	free(t->slot);
	vet_rule_symtab_init(t);
}

/* The slot of name[0..n): the one holding it, or the empty one where it
 * would go.  t->nslot > 0. */
static size_t
sym_slot(const struct vet_rule_symtab *t, const char *name, size_t n)
{
	size_t mask = t->nslot - 1, i = (size_t)vet_hash(name, n) & mask;
	const char *s;

	for (; t->slot[i] >= 0; i = (i + 1) & mask) {
		s = t->syms[t->slot[i]].name;
		if (strncmp(s, name, n) == 0 && s[n] == '\0')
			break;
	}
	return i;
}

/* Makes room for one more symbol in the index: 0 or VET_ENOMEM. */
static int
sym_grow(struct vet_rule_symtab *t)
{
	struct vet_rule_symtab g = *t;
	size_t i;

	if ((t->n + 1) * 2 <= t->nslot)
		return 0;
	g.nslot = t->nslot ? t->nslot * 2 : 256;
	if ((g.slot = malloc(g.nslot * sizeof *g.slot)) == NULL)
		return VET_ENOMEM;
	for (i = 0; i < g.nslot; i++)
		g.slot[i] = -1;
	for (i = 0; i < t->n; i++)
		g.slot[sym_slot(&g, t->syms[i].name,
		    strlen(t->syms[i].name))] = (int)i;
	free(t->slot);
	t->slot = g.slot;
	t->nslot = g.nslot;
	return 0;
}

int
vet_rule_symtab_copy(struct vet_rule_symtab *d,
    const struct vet_rule_symtab *s)
{
	vet_rule_symtab_init(d);
	if ((d->syms = malloc((s->n + 1) * sizeof *d->syms)) == NULL ||
	    (s->nslot > 0 &&
	    (d->slot = malloc(s->nslot * sizeof *d->slot)) == NULL)) {
		vet_rule_symtab_release(d);
		return VET_ENOMEM;
	}
	if (s->n > 0)
		memcpy(d->syms, s->syms, s->n * sizeof *d->syms);
	if (s->nslot > 0)
		memcpy(d->slot, s->slot, s->nslot * sizeof *d->slot);
	d->n = d->cap = s->n;
	d->nslot = s->nslot;
	return 0;
}

int
vet_rule_symtab_find(const struct vet_rule_symtab *t, const char *name,
    size_t n)
{
	if (t->nslot == 0)
		return -1;
	return t->slot[sym_slot(t, name, n)];
}

int
vet_rule_symtab_add(struct vet_rule_symtab *t, const char *name,
    enum vet_rtype type, enum vet_rsym_kind kind, unsigned scopes, int rank,
    const char *const *enums)
{
	struct vet_rule_sym *ns;
	size_t cap;

	if (vet_rule_symtab_find(t, name, strlen(name)) >= 0)
		return VET_ECONFIG;
	if (t->n >= VET_RULE_MAX_SYMS)
		return VET_ECONFIG;
	if (sym_grow(t) < 0)
		return VET_ENOMEM;
	if (t->n == t->cap) {
		cap = t->cap ? t->cap * 2 : 64;
		if ((ns = realloc(t->syms, cap * sizeof *ns)) == NULL)
			return VET_ENOMEM;
		t->syms = ns;
		t->cap = cap;
	}
	ns = &t->syms[t->n];
	ns->name = name;
	ns->type = type;
	ns->kind = kind;
	ns->scopes = scopes;
	ns->rank = rank;
	ns->enums = enums;
	ns->used = 0;
	t->slot[sym_slot(t, name, strlen(name))] = (int)t->n;
	return (int)t->n++;
}
