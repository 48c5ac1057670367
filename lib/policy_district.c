/*
 * policy_district.c - the policy's jurisdiction (policy.h): its districts,
 * and the spellings stations write for them (aliases, the city's name
 * before the district's, traditional characters) resolved to the
 * district's own name.
 */
#include <stdlib.h>
#include <string.h>

#include "vet/event.h"
#include "policy_impl.h"

size_t
vet_policy_ndistricts(const struct vet_policy *p)
{
	return p->ndistricts;
}

const char *
vet_policy_district(const struct vet_policy *p, size_t i)
{
	return i < p->ndistricts ? p->districts[i] : NULL;
}

int
vet_policy_is_district(const struct vet_policy *p, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < p->ndistricts; i++)
		if (strlen(p->districts[i]) == n &&
		    memcmp(p->districts[i], s, n) == 0)
			return 1;
	return 0;
}

/*
 * Traditional characters of place names and their simplified forms, so
 * that 朝陽區 is 朝阳区.  Folding is of the script, not of a jurisdiction:
 * the policy lists names, this table only their spelling.
 */
static const char *const trad[][2] = {
	{ "東", "东" }, { "區", "区" }, { "陽", "阳" }, { "豐", "丰" },
	{ "臺", "台" }, { "門", "门" }, { "頭", "头" }, { "溝", "沟" },
	{ "順", "顺" }, { "義", "义" }, { "興", "兴" }, { "懷", "怀" },
	{ "雲", "云" }, { "慶", "庆" }, { "經", "经" }, { "濟", "济" },
	{ "術", "术" }, { "開", "开" }, { "發", "发" }, { "莊", "庄" },
	{ "縣", "县" }, { "鎮", "镇" }, { "鄉", "乡" }, { "園", "园" },
	{ "場", "场" }, { "橋", "桥" }, { "龍", "龙" }, { "華", "华" },
	{ "寧", "宁" }, { "灣", "湾" }, { "廣", "广" }, { "蘇", "苏" },
};

/* s folded to simplified characters into out (cap bytes); its length, or
 * 0 when it does not fit.  Every pair is 3 bytes to 3 bytes. */
static size_t
fold_trad(const char *s, size_t n, char *out, size_t cap)
{
	size_t i = 0, j, o = 0;

	if (n >= cap)
		return 0;
	while (i < n) {
		if (n - i >= 3 && (unsigned char)s[i] >= 0xe0)
			for (j = 0; j < sizeof trad / sizeof trad[0]; j++)
				if (memcmp(s + i, trad[j][0], 3) == 0) {
					memcpy(out + o, trad[j][1], 3);
					o += 3;
					i += 3;
					goto next;
				}
		out[o++] = s[i++];
next:		;
	}
	out[o] = '\0';
	return o;
}

/* The district that s (a district or an alias) names, or NULL. */
static const char *
district_or_alias(const struct vet_policy *p, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < p->ndistricts; i++)
		if (strlen(p->districts[i]) == n &&
		    memcmp(p->districts[i], s, n) == 0)
			return p->districts[i];
	for (i = 0; i < p->naliases; i++)
		if (strlen(p->alias_from[i]) == n &&
		    memcmp(p->alias_from[i], s, n) == 0)
			return p->alias_to[i];
	return NULL;
}

const char *
vet_policy_district_name(const struct vet_policy *p, const char *s,
    size_t n)
{
	char buf[256];
	const char *d;
	size_t i, k;

	if ((d = district_or_alias(p, s, n)) != NULL)
		return d;
	if ((n = fold_trad(s, n, buf, sizeof buf)) == 0)
		return NULL;
	if ((d = district_or_alias(p, buf, n)) != NULL)
		return d;
	/* 北京市朝阳区, 北京朝阳: the city's name, then a district or an
	 * alias. */
	for (i = 0; i < p->nprefixes; i++) {
		k = strlen(p->prefixes[i]);
		if (n > k && memcmp(buf, p->prefixes[i], k) == 0 &&
		    (d = district_or_alias(p, buf + k, n - k)) != NULL)
			return d;
	}
	return NULL;
}
