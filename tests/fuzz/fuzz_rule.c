/*
 * libFuzzer target: the rule compiler alone (rule.h) on arbitrary text,
 * with a symbol table of every type and kind, a rank and a scope picked by
 * the first byte.  A rule that compiles is evaluated on known and unknown
 * values and explained; a rule that does not has an error column inside
 * the text (or just after it).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vet/buf.h"
#include "vet/date.h"
#include "vet/rule.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const status_enum[] = { "employed", "unemployed",
	"flexible", NULL };
static struct vet_rule_symtab tab;
static struct vet_rval known[16], unknown[16];
static int ready;

static void
setup(void)
{
	static const struct { const char *name; enum vet_rtype t;
	    enum vet_rsym_kind k; int rank; } s[] = {
		{ "training_hours", VET_RT_NUM, VET_RSYM_FIELD, 0 },
		{ "employment_need", VET_RT_BOOL, VET_RSYM_FIELD, 0 },
		{ "employment_status", VET_RT_STR, VET_RSYM_FIELD, 0 },
		{ "discharge_date", VET_RT_DATE, VET_RSYM_FIELD, 0 },
		{ "skills", VET_RT_STRS, VET_RSYM_FIELD, 0 },
		{ "min_hours", VET_RT_NUM, VET_RSYM_PARAM, 0 },
		{ "age", VET_RT_NUM, VET_RSYM_DERIVED, 0 },
		{ "later_code", VET_RT_BOOL, VET_RSYM_CODE, 5 },
	};
	size_t i;
	int k;

	vet_rule_symtab_init(&tab);
	for (i = 0; i < sizeof s / sizeof s[0]; i++) {
		k = vet_rule_symtab_add(&tab, s[i].name, s[i].t, s[i].k,
		    3, s[i].rank, s[i].t == VET_RT_STR ? status_enum : NULL);
		if (k < 0)
			abort();
		unknown[k].type = (unsigned char)s[i].t;
		known[k] = unknown[k];
		known[k].known = known[k].present = 1;
		switch (s[i].t) {
		case VET_RT_NUM:
		case VET_RT_BOOL:
			known[k].num = 1;
			break;
		case VET_RT_STR:
			known[k].s = "unemployed";
			known[k].n = 10;
			break;
		case VET_RT_DATE:
			if (vet_date_from_ymd(2025, 3, 15, &known[k].day) < 0)
				abort();
			break;
		case VET_RT_STRS:
			known[k].s = "[\"welding\",\"driving\"]";
			known[k].n = strlen(known[k].s);
			known[k].count = 2;
			break;
		default:
			break;
		}
	}
	ready = 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vet_rule r;
	struct vet_rule_env env;
	struct vet_buf why = VET_BUF_INIT;
	struct vet_error err;
	unsigned scope;
	int rank;

	if (!ready)
		setup();
	if (size < 1)
		return 0;
	scope = data[0] & 1 ? 1 : 2;
	rank = data[0] >> 1 & 7;
	vet_error_clear(&err);
	if (vet_rule_compile(&r, &tab, scope, rank, (const char *)data + 1,
	    size - 1, &err) < 0) {
		if (err.status == VET_ECONFIG && (err.col < 1 ||
		    (size_t)err.col > size))
			abort();
		return 0;
	}
	env.syms = &tab;
	env.as_of = 20000;
	env.vals = known;
	if (vet_rule_eval(&r, &env) == 1)
		(void)vet_rule_explain(&r, &env, &why);
	env.vals = unknown;
	if (vet_rule_eval(&r, &env) == 1)
		(void)vet_rule_explain(&r, &env, &why);
	vet_rule_release(&r);
	vet_buf_release(&why);
	return 0;
}
