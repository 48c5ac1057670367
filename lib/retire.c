/*
 * retire.c - the statutory retirement date (法定退休年龄) of the policy's
 * retirement groups, with the gradual rise that began on 2025-01-01
 * (全国人大常委会 2024-09-13 决定; SPEC 3).
 *
 * A group has a base age and, for people born in or after its first
 * reform birth month, a delay of min(cap, floor(k / divisor) + 1) months,
 * k being the months from that first month to the birth month.  The date
 * is the birth date plus the base years and the delay months, the day
 * clamped to the month's end (a 02-29 birth retires on 02-28 in a common
 * year).
 */
#include <string.h>

#include "policy_impl.h"

static vet_day
retirement(const struct vet_pgroup *g, vet_day birth)
{
	int y, m, d, month, delay = 0;

	vet_date_to_ymd(birth, &y, &m, &d);
	month = y * 12 + m - 1;
	if (month >= g->born_from) {
		delay = (month - g->born_from) / g->divisor + 1;
		if (delay > g->cap)
			delay = g->cap;
	}
	return vet_date_ymd_add_months(y, m, d, g->base_age * 12 + delay);
}

int
vet_policy_retirement(const struct vet_policy *p,
    const struct vet_rule_env *env, vet_day birth, vet_day *out)
{
	size_t i;

	for (i = 0; i < p->ngroups; i++)
		if (vet_rule_eval(&p->groups[i].when, env)) {
			*out = retirement(&p->groups[i], birth);
			return 1;
		}
	return 0;
}

int
vet_policy_retirement_date(const struct vet_policy *p, char sex,
    const char *track, vet_day birth, vet_day *out)
{
	struct vet_rval vals[VET_RULE_MAX_SYMS];
	struct vet_rule_env env = { &p->syms, vals, birth };
	char sx[2] = { sex, '\0' };

	memset(vals, 0, p->syms.n * sizeof vals[0]);
	vals[p->s_sex].type = VET_RT_STR;
	vals[p->s_sex].known = vals[p->s_sex].present = 1;
	vals[p->s_sex].s = sx;
	vals[p->s_sex].n = 1;
	vals[p->s_birth].type = VET_RT_DATE;
	vals[p->s_birth].known = vals[p->s_birth].present = 1;
	vals[p->s_birth].day = birth;
	vals[p->s_track].type = VET_RT_STR;
	if (track != NULL) {
		vals[p->s_track].known = vals[p->s_track].present = 1;
		vals[p->s_track].s = track;
		vals[p->s_track].n = strlen(track);
	}
	return vet_policy_retirement(p, &env, birth, out);
}
