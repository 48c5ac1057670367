/*
 * test_match.c - vet-match's library: the hard constraints, the score and
 * its parts, ranking ties, the index against a brute-force scan, and the
 * allocation guarantees of SPEC 3.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vet/date.h"
#include "vet/match.h"
#include "vet/policy.h"
#include "vet/record.h"
#include "../../lib/match_impl.h"

static struct vet_policy *pol;

static void
setup(void)
{
	struct vet_error err;

	cr_assert_eq(vet_policy_load(&pol, NULL, &err), 0, "%s", err.msg);
}

static void
teardown(void)
{
	vet_policy_free(pol);
}

TestSuite(match, .init = setup, .fini = teardown);

static vet_day
day(const char *s)
{
	vet_day d;

	cr_assert_eq(vet_date_parse(s, strlen(s), &d), 0);
	return d;
}

static struct vet_match *
matcher(const char *as_of, const char *const *jobs, size_t n)
{
	struct vet_match *m;
	struct vet_error err;
	size_t i;

	cr_assert_eq(vet_match_init(&m, pol, day(as_of), &err), 0);
	for (i = 0; i < n; i++)
		cr_assert_eq(vet_match_add_job(m, jobs[i], strlen(jobs[i]),
		    &err), 0, "job %zu: %s", i, err.msg);
	cr_assert_eq(vet_match_index(m, &err), 0);
	return m;
}

/* A matched veteran with extra fields spliced in (extra starts with ','
 * or is empty). */
static char *
veteran(const char *id, const char *cats, const char *extra)
{
	static char b[4][2048];
	static int k;
	char *p = b[k++ & 3];

	snprintf(p, sizeof b[0], "{\"id\":\"%s\",\"employment_need\":true,"
	    "\"employment_status\":\"unemployed\",\"categories\":%s%s}",
	    id, cats, extra);
	return p;
}

#define NEEDS "[\"needs_registration\"]"

static int
pair(struct vet_match *m, const char *vet, const char *job, int *score)
{
	struct vet_error err;
	int rc = vet_match_pair(m, vet, strlen(vet), job, score, &err);

	cr_assert(rc >= 0, "pair: %s", err.msg);
	return rc;
}

Test(match, education_and_age)
{
	const char *jobs[] = {
		"{\"job_id\":\"J1\",\"openings\":1,\"min_education\":"
		"\"senior_high\",\"max_age\":40}",
		"{\"job_id\":\"J2\",\"openings\":1}",
	};
	struct vet_match *m = matcher("2026-09-30", jobs, 2);
	int s;

	cr_assert_eq(pair(m, veteran("a", NEEDS, ",\"education\":"
	    "\"senior_high\",\"age\":40"), "J1", &s), 1);
	/* secondary_vocational comes after senior_high in SPEC's list. */
	cr_assert_eq(pair(m, veteran("a", NEEDS, ",\"education\":"
	    "\"secondary_vocational\",\"age\":30"), "J1", &s), 1);
	cr_assert_eq(pair(m, veteran("a", NEEDS, ",\"education\":"
	    "\"junior_high\",\"age\":30"), "J1", &s), 0);
	cr_assert_eq(pair(m, veteran("a", NEEDS, ",\"education\":"
	    "\"doctor\",\"age\":41"), "J1", &s), 0);
	/* Unknown education or age fails a post that sets a bound ... */
	cr_assert_eq(pair(m, veteran("a", NEEDS, ",\"age\":30"), "J1", &s),
	    0);
	cr_assert_eq(pair(m, veteran("a", NEEDS, ",\"education\":"
	    "\"bachelor\""), "J1", &s), 0);
	/* ... and passes one that sets none. */
	cr_assert_eq(pair(m, veteran("a", NEEDS, ""), "J2", &s), 1);
	cr_assert_eq(pair(m, veteran("a", NEEDS, ""), "J9", &s), 0);
	vet_match_free(m);
}

Test(match, open_dates_and_openings)
{
	const char *jobs[] = {
		"{\"job_id\":\"on-first-day\",\"openings\":1,"
		"\"posted_date\":\"2026-09-30\",\"expires_date\":\"2026-12-31\"}",
		"{\"job_id\":\"on-last-day\",\"openings\":1,"
		"\"posted_date\":\"2026-01-01\",\"expires_date\":\"2026-09-30\"}",
		"{\"job_id\":\"not-yet\",\"openings\":1,"
		"\"posted_date\":\"2026-10-01\"}",
		"{\"job_id\":\"expired\",\"openings\":1,"
		"\"expires_date\":\"2026-09-29\"}",
		"{\"job_id\":\"full\",\"openings\":0}",
		"{\"job_id\":\"no-openings\"}",
		"{\"job_id\":\"no-dates\",\"openings\":3}",
	};
	struct vet_match *m = matcher("2026-09-30", jobs, 7);
	const char *v = veteran("a", NEEDS, "");
	int s;

	cr_assert_eq(vet_match_njobs(m), 7);
	cr_assert_eq(vet_match_nopen(m), 3);
	cr_assert_eq(pair(m, v, "on-first-day", &s), 1);
	cr_assert_eq(pair(m, v, "on-last-day", &s), 1);
	cr_assert_eq(pair(m, v, "no-dates", &s), 1);
	cr_assert_eq(pair(m, v, "not-yet", &s), 0);
	cr_assert_eq(pair(m, v, "expired", &s), 0);
	cr_assert_eq(pair(m, v, "full", &s), 0);
	cr_assert_eq(pair(m, v, "no-openings", &s), 0);
	vet_match_free(m);
}

Test(match, post_types)
{
	const char *jobs[] = {
		"{\"job_id\":\"W\",\"openings\":1,\"post_type\":"
		"\"public_welfare\"}",
		"{\"job_id\":\"D\",\"openings\":1,\"post_type\":\"dedicated\"}",
		"{\"job_id\":\"R\",\"openings\":1,\"post_type\":\"directed\"}",
		"{\"job_id\":\"M\",\"openings\":1,\"post_type\":\"market\"}",
	};
	struct vet_match *m = matcher("2026-09-30", jobs, 4);
	const char *plain = veteran("a", NEEDS, "");
	const char *diff = veteran("b", "[\"employment_difficulty\"]", "");
	const char *hard = veteran("c", "[\"employment_difficulty\","
	    "\"hard_to_place\"]", "");
	int s;

	cr_assert_eq(pair(m, plain, "W", &s), 0);
	cr_assert_eq(pair(m, diff, "W", &s), 1);
	cr_assert_eq(pair(m, hard, "W", &s), 1);
	cr_assert_eq(pair(m, plain, "D", &s), 1);
	cr_assert_eq(pair(m, plain, "R", &s), 1);
	cr_assert_eq(pair(m, plain, "M", &s), 1);
	vet_match_free(m);
}

Test(match, only_matched_veterans)
{
	const char *jobs[] = { "{\"job_id\":\"M\",\"openings\":1}" };
	const char *lines[] = {
		"{\"id\":\"a\",\"employment_need\":true,\"employment_status\":"
		"\"unemployed\",\"categories\":[\"out_of_scope\"]}",
		"{\"id\":\"a\",\"employment_need\":true,\"employment_status\":"
		"\"unemployed\",\"categories\":[\"exited\"]}",
		"{\"id\":\"a\",\"employment_need\":false,\"employment_status\":"
		"\"unemployed\",\"categories\":[]}",
		"{\"id\":\"a\",\"employment_status\":\"unemployed\","
		"\"categories\":[]}",
		"{\"id\":\"a\",\"employment_need\":true,\"employment_status\":"
		"\"flexible\",\"categories\":[\"flexible_employed\"]}",
	};
	struct vet_match *m = matcher("2026-09-30", jobs, 1);
	struct vet_buf out = VET_BUF_INIT;
	struct vet_error err;
	size_t i;

	for (i = 0; i < 5; i++) {
		cr_assert_eq(vet_match_top(m, lines[i], strlen(lines[i]), 5,
		    &out, &err), 0, "line %zu", i);
		cr_assert_eq(vet_match_alloc_add(m, lines[i],
		    strlen(lines[i]), &err), 0);
	}
	cr_assert_eq(out.len, 0);
	cr_assert_eq(vet_match_alloc_count(m), 0);
	vet_buf_release(&out);
	vet_match_free(m);
}

Test(match, score_parts)
{
	const char *jobs[] = {
		"{\"job_id\":\"J1\",\"openings\":1,\"district\":\"朝阳区\","
		"\"street\":\"三里屯街道\",\"industry\":\"物流配送\","
		"\"required_skills\":[\"驾驶\",\"电工\"],\"salary\":8000}",
		"{\"job_id\":\"J2\",\"openings\":1,\"district\":\"海淀区\","
		"\"street\":\"三里屯街道\",\"industry\":\"制造业\","
		"\"salary\":7000}",
		"{\"job_id\":\"J3\",\"openings\":1,\"district\":\"朝阳区\","
		"\"street\":\"呼家楼街道\",\"required_skills\":[\"焊工\"],"
		"\"salary\":5000}",
	};
	struct vet_match *m = matcher("2026-09-30", jobs, 3);
	const char *v = veteran("a", NEEDS, ",\"district\":\"朝阳区\","
	    "\"street\":\"三里屯街道\",\"skills\":[\"驾驶\"],"
	    "\"certificates\":[\"电工(四级)\"],\"desired_industries\":"
	    "[\"物流配送\"],\"desired_salary\":8000,\"desired_district\":"
	    "\"海淀区\"");
	const char *w = veteran("b", NEEDS, ",\"district\":\"朝阳区\","
	    "\"skills\":[\"驾驶\"],\"desired_salary\":8000");
	int s;

	/* 40 skills (2 of 2, one by certificate) + 30 street + 15 industry
	 * + 15 salary. */
	cr_assert_eq(pair(m, v, "J1", &s), 1);
	cr_assert_eq(s, 100);
	/* 20 no skills + 20 desired district (same street name elsewhere
	 * does not count) + 0 industry + 8 salary (7000 >= 80% of 8000). */
	cr_assert_eq(pair(m, v, "J2", &s), 1);
	cr_assert_eq(s, 48);
	/* 0 skills + 20 district + 0 + 0 (5000 < 6400). */
	cr_assert_eq(pair(m, v, "J3", &s), 1);
	cr_assert_eq(s, 20);
	/* Half the skills: 40 * 1 / 2. */
	cr_assert_eq(pair(m, w, "J1", &s), 1);
	cr_assert_eq(s, 20 + 20 + 0 + 15);
	/* The elsewhere post, no desired district: 20 + 0 + 0 + 8. */
	cr_assert_eq(pair(m, w, "J2", &s), 1);
	cr_assert_eq(s, 28);
	vet_match_free(m);
}

/* Collects the job_id and score (and rank) of each output line. */
struct row {
	char id[32], job[32];
	long rank, score;
	int null;
	char why[128];
};

static size_t
rows(struct vet_buf *out, struct row *r, size_t max)
{
	struct vet_record rec;
	struct vet_buf tmp = VET_BUF_INIT;
	struct vet_span s;
	struct vet_error err;
	const char *p = out->data, *end = out->data + out->len, *nl;
	int64_t i64;
	size_t n = 0;

	vet_record_init(&rec);
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		cr_assert_not_null(nl);
		cr_assert_lt(n, max);
		memset(&r[n], 0, sizeof r[n]);
		cr_assert_eq(vet_record_parse(&rec, p, (size_t)(nl - p), &err),
		    0, "%s", err.msg);
		cr_assert_eq(vet_record_str(&rec, "id", &tmp, &s), 1);
		snprintf(r[n].id, sizeof r[n].id, "%.*s", (int)s.n, s.p);
		if (vet_record_str(&rec, "job_id", &tmp, &s) == 1)
			snprintf(r[n].job, sizeof r[n].job, "%.*s", (int)s.n,
			    s.p);
		else {
			r[n].null = 1;
			cr_assert_eq(vet_record_str(&rec, "why", &tmp, &s), 1);
			snprintf(r[n].why, sizeof r[n].why, "%.*s", (int)s.n,
			    s.p);
		}
		if (vet_record_int(&rec, "rank", &i64) == 1)
			r[n].rank = (long)i64;
		if (vet_record_int(&rec, "score", &i64) == 1)
			r[n].score = (long)i64;
		n++;
		p = nl + 1;
	}
	vet_record_release(&rec);
	vet_buf_release(&tmp);
	return n;
}

static size_t
top(struct vet_match *m, const char *v, size_t k, struct row *r)
{
	struct vet_buf out = VET_BUF_INIT;
	struct vet_error err;
	int rc = vet_match_top(m, v, strlen(v), k, &out, &err);
	size_t n;

	cr_assert(rc >= 0, "%s", err.msg);
	n = rows(&out, r, 64);
	cr_assert_eq(n, (size_t)rc);
	vet_buf_release(&out);
	return n;
}

Test(match, ranking_ties)
{
	/* All score 20 + 20 for a veteran of 朝阳区 with no desired salary:
	 * the order is salary descending, unknown last, then job_id. */
	const char *jobs[] = {
		"{\"job_id\":\"B\",\"openings\":1,\"district\":\"朝阳区\","
		"\"salary\":6000}",
		"{\"job_id\":\"A\",\"openings\":1,\"district\":\"朝阳区\","
		"\"salary\":6000}",
		"{\"job_id\":\"C\",\"openings\":1,\"district\":\"朝阳区\","
		"\"salary\":9000}",
		"{\"job_id\":\"0\",\"openings\":1,\"district\":\"朝阳区\"}",
		"{\"job_id\":\"Z\",\"openings\":1,\"district\":\"朝阳区\","
		"\"industry\":\"物流配送\"}",
	};
	struct vet_match *m = matcher("2026-09-30", jobs, 5);
	const char *v = veteran("a", NEEDS, ",\"district\":\"朝阳区\","
	    "\"desired_industries\":[\"物流配送\"]");
	struct row r[64];
	const char *want[] = { "Z", "C", "A", "B", "0" };
	size_t i, n;

	n = top(m, v, 10, r);
	cr_assert_eq(n, 5);
	for (i = 0; i < n; i++) {
		cr_assert_str_eq(r[i].job, want[i], "rank %zu", i + 1);
		cr_assert_eq(r[i].rank, (long)i + 1);
		cr_assert_str_eq(r[i].id, "a");
	}
	cr_assert_eq(r[0].score, 55);
	cr_assert_eq(r[1].score, 40);
	/* --top 2 keeps the first two of the same order. */
	n = top(m, v, 2, r);
	cr_assert_eq(n, 2);
	cr_assert_str_eq(r[0].job, "Z");
	cr_assert_str_eq(r[1].job, "C");
	vet_match_free(m);
}

Test(match, reasons_explain_the_score)
{
	const char *jobs[] = {
		"{\"job_id\":\"J1\",\"title\":\"司机\",\"openings\":1,"
		"\"district\":\"朝阳区\",\"street\":\"三里屯街道\","
		"\"industry\":\"物流配送\",\"required_skills\":[\"驾驶\"],"
		"\"salary\":8000}",
	};
	struct vet_match *m = matcher("2026-09-30", jobs, 1);
	const char *v = veteran("110105199001011234", NEEDS,
	    ",\"district\":\"朝阳区\",\"street\":\"三里屯街道\","
	    "\"skills\":[\"驾驶\"],\"desired_salary\":9000");
	struct vet_buf out = VET_BUF_INIT;
	struct vet_error err;

	cr_assert_eq(vet_match_top(m, v, strlen(v), 5, &out, &err), 1);
	cr_assert_str_eq(out.data, "{\"id\":\"110105199001011234\","
	    "\"job_id\":\"J1\",\"rank\":1,\"score\":78,\"post_type\":"
	    "\"market\",\"title\":\"司机\",\"district\":\"朝阳区\","
	    "\"street\":\"三里屯街道\",\"salary\":8000,\"reasons\":["
	    "{\"code\":\"skills\",\"points\":40,\"detail\":"
	    "\"has 驾驶 (1 of 1 required)\"},"
	    "{\"code\":\"nearby\",\"points\":30,\"detail\":"
	    "\"same street 三里屯街道\"},"
	    "{\"code\":\"industry\",\"points\":0,\"detail\":"
	    "\"物流配送: no desired industry known\"},"
	    "{\"code\":\"salary\",\"points\":8,\"detail\":"
	    "\"8000 is at least 80% of desired 9000\"}]}\n");
	vet_buf_release(&out);
	vet_match_free(m);
}

/* ---- the index against a brute-force scan --------------------------- */

static const char *const districts[] = { "朝阳区", "海淀区", "丰台区" };
static const char *const streets[] = { "甲街道", "乙街道" };
static const char *const skills[] = { "驾驶", "电工", "安保", "厨师" };
static const char *const inds[] = { "物流", "制造", "安保服务" };
static const char *const edus[] = { "primary", "junior_high",
	"senior_high", "secondary_vocational", "junior_college", "bachelor",
	"master", "doctor" };
static const char *const types[] = { "market", "dedicated", "directed",
	"public_welfare" };

static unsigned long long rng = 88172645463325252ULL;

static unsigned
rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

static void
gen_job(char *b, size_t sz, int i)
{
	int n = 0;

	n += snprintf(b + n, sz - n, "{\"job_id\":\"J%03d\",\"openings\":%u",
	    i, rnd(4));
	if (rnd(4))
		n += snprintf(b + n, sz - n, ",\"district\":\"%s\"",
		    districts[rnd(3)]);
	if (rnd(2))
		n += snprintf(b + n, sz - n, ",\"street\":\"%s\"",
		    streets[rnd(2)]);
	if (rnd(3))
		n += snprintf(b + n, sz - n, ",\"industry\":\"%s\"",
		    inds[rnd(3)]);
	if (rnd(2))
		n += snprintf(b + n, sz - n, ",\"min_education\":\"%s\"",
		    edus[rnd(8)]);
	if (rnd(2))
		n += snprintf(b + n, sz - n, ",\"max_age\":%u", 30 + rnd(25));
	if (rnd(4))
		n += snprintf(b + n, sz - n, ",\"salary\":%u",
		    4000 + 500 * rnd(8));
	if (rnd(2))
		n += snprintf(b + n, sz - n, ",\"required_skills\":[\"%s\"%s]",
		    skills[rnd(4)], rnd(3) ? "" : ",\"厨师\"");
	if (rnd(5) == 0)
		n += snprintf(b + n, sz - n, ",\"expires_date\":\"2026-09-%02u\"",
		    25 + rnd(6));
	snprintf(b + n, sz - n, ",\"post_type\":\"%s\"}", types[rnd(4)]);
}

static void
gen_vet(char *b, size_t sz, int i)
{
	static const char *const cats[] = { "[\"needs_registration\"]",
		"[\"employment_difficulty\"]",
		"[\"employment_difficulty\",\"hard_to_place\"]",
		"[\"registered_unemployed\"]" };
	static const int prios[] = { 4, 2, 1, 4 };
	int c = (int)rnd(4), n = 0;

	n += snprintf(b + n, sz - n, "{\"id\":\"V%03d\",\"employment_need\":"
	    "true,\"employment_status\":\"unemployed\",\"categories\":%s,"
	    "\"priority\":%d", i, cats[c], prios[c]);
	if (rnd(5))
		n += snprintf(b + n, sz - n, ",\"age\":%u", 20 + rnd(40));
	if (rnd(5))
		n += snprintf(b + n, sz - n, ",\"education\":\"%s\"",
		    edus[rnd(8)]);
	n += snprintf(b + n, sz - n, ",\"district\":\"%s\",\"street\":\"%s\"",
	    districts[rnd(3)], streets[rnd(2)]);
	if (rnd(2))
		n += snprintf(b + n, sz - n, ",\"desired_district\":\"%s\"",
		    districts[rnd(3)]);
	if (rnd(2))
		n += snprintf(b + n, sz - n, ",\"skills\":[\"%s\"]",
		    skills[rnd(4)]);
	if (rnd(2))
		n += snprintf(b + n, sz - n, ",\"desired_industries\":[\"%s\"]",
		    inds[rnd(3)]);
	if (rnd(3))
		n += snprintf(b + n, sz - n, ",\"desired_salary\":%u",
		    4000 + 500 * rnd(8));
	if (rnd(2))
		n += snprintf(b + n, sz - n, ",\"assisted_since\":"
		    "\"2025-%02u-01\"", 1 + rnd(12));
	snprintf(b + n, sz - n, "}");
}

#define NJOBS 60
#define NVETS 80

static char jl[NJOBS][512];
static char vl[NVETS][512];
static const char *jp[NJOBS];
static double jsal[NJOBS];

static void
gen_world(void)
{
	const char *s;
	int i;

	for (i = 0; i < NJOBS; i++) {
		gen_job(jl[i], sizeof jl[i], i);
		jp[i] = jl[i];
		s = strstr(jl[i], "\"salary\":");
		jsal[i] = s != NULL ? atof(s + 9) : -1;
	}
	for (i = 0; i < NVETS; i++)
		gen_vet(vl[i], sizeof vl[i], i);
}

Test(match, index_agrees_with_brute_force)
{
	struct vet_match *m;
	struct row r[64];
	int round, i, j, s, sc[NJOBS], el[NJOBS], best, bs, taken[NJOBS];
	size_t n, t, k;
	char name[16];

	for (round = 0; round < 20; round++) {
		gen_world();
		m = matcher("2026-09-30", jp, NJOBS);
		for (i = 0; i < NVETS; i++) {
			for (j = 0; j < NJOBS; j++) {
				snprintf(name, sizeof name, "J%03d", j);
				el[j] = pair(m, vl[i], name, &s);
				sc[j] = el[j] ? s : -1;
				taken[j] = 0;
			}
			k = 1 + rnd(8);
			n = top(m, vl[i], k, r);
			/* The expected list: repeatedly the best remaining. */
			for (t = 0; t < k; t++) {
				best = -1;
				bs = -1;
				for (j = 0; j < NJOBS; j++) {
					if (!el[j] || taken[j])
						continue;
					if (best < 0 || sc[j] > bs ||
					    (sc[j] == bs &&
					    jsal[j] > jsal[best])) {
						best = j;
						bs = sc[j];
					}
				}
				if (best < 0)
					break;
				taken[best] = 1;
				cr_assert_lt(t, n, "round %d vet %d: %zu posts, "
				    "want more", round, i, n);
				snprintf(name, sizeof name, "J%03d", best);
				cr_assert_str_eq(r[t].job, name,
				    "round %d vet %d rank %zu", round, i,
				    t + 1);
				cr_assert_eq(r[t].score, bs);
			}
			cr_assert_eq(n, t);
		}
		vet_match_free(m);
	}
}

/* ---- allocation ----------------------------------------------------- */

static size_t
allocate(struct vet_match *m, const char *const *vets, size_t n,
    struct row *r)
{
	struct vet_buf out = VET_BUF_INIT;
	struct vet_error err;
	size_t i, got;

	for (i = 0; i < n; i++)
		cr_assert(vet_match_alloc_add(m, vets[i], strlen(vets[i]),
		    &err) >= 0, "%s", err.msg);
	cr_assert_eq(vet_match_allocate(m, &err), 0);
	for (i = 0; i < vet_match_alloc_count(m); i++)
		cr_assert_eq(vet_match_alloc_write(m, i, &out), 0);
	got = rows(&out, r, 128);
	vet_buf_release(&out);
	return got;
}

Test(match, allocate_serves_priority_first)
{
	const char *jobs[] = {
		"{\"job_id\":\"good\",\"openings\":1,\"district\":\"朝阳区\"}",
		"{\"job_id\":\"far\",\"openings\":1,\"district\":\"延庆区\"}",
	};
	/* Input order puts the priority-4 veteran first; the hard_to_place
	 * veteran (priority 1) is served first and takes the better post. */
	const char *vets[] = {
		"{\"id\":\"p4\",\"employment_need\":true,\"employment_status\":"
		"\"unemployed\",\"categories\":[\"needs_registration\"],"
		"\"priority\":4,\"district\":\"朝阳区\"}",
		"{\"id\":\"p1\",\"employment_need\":true,\"employment_status\":"
		"\"unemployed\",\"categories\":[\"employment_difficulty\","
		"\"hard_to_place\"],\"priority\":1,\"district\":\"朝阳区\"}",
	};
	struct vet_match *m = matcher("2026-09-30", jobs, 2);
	struct row r[8];

	cr_assert_eq(allocate(m, vets, 2, r), 2);
	cr_assert_str_eq(r[0].id, "p4");
	cr_assert_str_eq(r[0].job, "far");
	cr_assert_str_eq(r[1].id, "p1");
	cr_assert_str_eq(r[1].job, "good");
	cr_assert_eq(r[1].score, 40);
	vet_match_free(m);
}

Test(match, allocate_openings_run_out)
{
	const char *jobs[] = {
		"{\"job_id\":\"J\",\"openings\":2,\"min_education\":"
		"\"bachelor\"}",
	};
	/* Same priority: earlier assisted_since first, then id. */
	const char *vets[] = {
		"{\"id\":\"c\",\"employment_need\":true,\"employment_status\":"
		"\"unemployed\",\"categories\":[],\"priority\":4,"
		"\"education\":\"master\"}",
		"{\"id\":\"b\",\"employment_need\":true,\"employment_status\":"
		"\"unemployed\",\"categories\":[],\"priority\":4,"
		"\"education\":\"master\",\"assisted_since\":\"2026-01-01\"}",
		"{\"id\":\"a\",\"employment_need\":true,\"employment_status\":"
		"\"unemployed\",\"categories\":[],\"priority\":4,"
		"\"education\":\"master\"}",
		"{\"id\":\"low\",\"employment_need\":true,\"employment_status\":"
		"\"unemployed\",\"categories\":[],\"priority\":3,"
		"\"education\":\"senior_high\"}",
	};
	struct vet_match *m = matcher("2026-09-30", jobs, 1);
	struct row r[8];

	cr_assert_eq(allocate(m, vets, 4, r), 4);
	cr_assert_str_eq(r[0].id, "c");
	cr_assert(r[0].null);
	cr_assert_str_eq(r[0].why, "every eligible post was taken by "
	    "veterans served before");
	cr_assert_str_eq(r[1].job, "J");
	cr_assert_str_eq(r[2].job, "J");
	cr_assert_str_eq(r[3].id, "low");
	cr_assert(r[3].null);
	cr_assert_str_eq(r[3].why, "no eligible post open on 2026-09-30");
	vet_match_free(m);
}

Test(match, allocate_guarantees_on_random_worlds)
{
	struct vet_match *m;
	struct row r[NVETS];
	const char *vp[NVETS];
	int round, i, j, u, s, holder, used[NJOBS], openings[NJOBS],
	    prio[NVETS], placed;
	char name[16];
	const char *o;
	size_t n;

	for (round = 0; round < 20; round++) {
		gen_world();
		for (i = 0; i < NVETS; i++) {
			vp[i] = vl[i];
			prio[i] = atoi(strstr(vl[i], "\"priority\":") + 11);
		}
		for (j = 0; j < NJOBS; j++) {
			o = strstr(jl[j], "\"openings\":");
			openings[j] = atoi(o + 11);
			used[j] = 0;
		}
		m = matcher("2026-09-30", jp, NJOBS);
		n = allocate(m, vp, NVETS, r);
		cr_assert_eq(n, NVETS);
		placed = 0;
		for (i = 0; i < NVETS; i++) {
			if (r[i].null)
				continue;
			j = atoi(r[i].job + 1);
			used[j]++;
			placed++;
			snprintf(name, sizeof name, "J%03d", j);
			cr_assert_eq(pair(m, vl[i], name, &s), 1,
			    "placed on an ineligible post");
			cr_assert_eq(s, r[i].score);
		}
		cr_assert_gt(placed, 0);
		for (j = 0; j < NJOBS; j++)
			cr_assert_leq(used[j], openings[j], "J%03d overfull",
			    j);
		for (u = 0; u < NVETS; u++) {
			if (!r[u].null)
				continue;
			for (j = 0; j < NJOBS; j++) {
				snprintf(name, sizeof name, "J%03d", j);
				if (!pair(m, vl[u], name, &s))
					continue;
				/* No room left on an eligible post ... */
				cr_assert_eq(used[j], openings[j],
				    "V%03d unplaced, J%03d has room", u, j);
				/* ... and every holder is as urgent. */
				for (holder = 0; holder < NVETS; holder++)
					if (!r[holder].null &&
					    atoi(r[holder].job + 1) == j)
						cr_assert_leq(prio[holder],
						    prio[u]);
			}
		}
		vet_match_free(m);
	}
}

/* ---- bad records ---------------------------------------------------- */

Test(match, bad_jobs_are_refused)
{
	const char *bad[] = {
		"[1]",
		"{\"job_id\":\"J1\",\"openings\":1",
		"{\"title\":\"x\"}",
		"{\"job_id\":7}",
		"{\"job_id\":\"J2\",\"min_education\":\"kindergarten\"}",
		"{\"job_id\":\"J2\",\"post_type\":\"volunteer\"}",
		"{\"job_id\":\"J2\",\"posted_date\":\"2026-02-30\"}",
		"{\"job_id\":\"J2\",\"openings\":-1}",
		"{\"job_id\":\"J2\",\"openings\":1.5}",
		"{\"job_id\":\"J2\",\"required_skills\":\"驾驶\"}",
		"{\"job_id\":\"J2\",\"salary\":\"high\"}",
		"{\"job_id\":\"J0\",\"openings\":1}",
	};
	struct vet_match *m;
	struct vet_error err;
	size_t i;
	const char *first = "{\"job_id\":\"J0\",\"openings\":1}";

	cr_assert_eq(vet_match_init(&m, pol, day("2026-09-30"), &err), 0);
	cr_assert_eq(vet_match_add_job(m, first, strlen(first), &err), 0);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		cr_assert_eq(vet_match_add_job(m, bad[i], strlen(bad[i]),
		    &err), VET_EDATA, "bad job %zu accepted", i);
	cr_assert_str_eq(err.msg, "duplicate job_id");
	cr_assert_eq(vet_match_njobs(m), 1);
	/* A good post after the bad ones is still kept. */
	cr_assert_eq(vet_match_add_job(m, "{\"job_id\":\"J2\"}", 15, &err),
	    0);
	cr_assert_eq(vet_match_index(m, &err), 0);
	cr_assert_eq(vet_match_njobs(m), 2);
	vet_match_free(m);
}

Test(match, bad_veterans_are_refused)
{
	const char *jobs[] = { "{\"job_id\":\"M\",\"openings\":1}" };
	const char *bad[] = {
		"not json",
		"{\"id\":\"a\",\"employment_need\":true}",
		"{\"employment_need\":true,\"categories\":[]}",
		"{\"id\":\"a\",\"categories\":\"out_of_scope\"}",
		"{\"id\":\"a\",\"employment_need\":true,\"employment_status\":"
		"\"unemployed\",\"categories\":[],\"education\":\"phd\"}",
		"{\"id\":\"a\",\"employment_need\":true,\"employment_status\":"
		"\"unemployed\",\"categories\":[],\"age\":\"forty\"}",
		"{\"id\":\"a\",\"employment_need\":\"yes\",\"categories\":[]}",
		"{\"id\":\"a\",\"employment_need\":true,\"employment_status\":"
		"\"unemployed\",\"categories\":[],\"skills\":[1]}",
		"{\"id\":\"a\\u0000\xff\",\"categories\":[]}",
	};
	struct vet_match *m = matcher("2026-09-30", jobs, 1);
	struct vet_buf out = VET_BUF_INIT;
	struct vet_error err;
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		cr_assert_eq(vet_match_top(m, bad[i], strlen(bad[i]), 5, &out,
		    &err), VET_EDATA, "bad veteran %zu accepted", i);
	cr_assert_eq(out.len, 0);
	cr_assert_eq(vet_match_top(m, bad[1], strlen(bad[1]), 5, &out, &err),
	    VET_EDATA);
	cr_assert_str_eq(err.msg, "record is not classified: no "
	    "'categories' (run vet-classify first)");
	vet_buf_release(&out);
	vet_match_free(m);
}

Test(match, absent_priority_comes_from_the_categories)
{
	const char *jobs[] = { "{\"job_id\":\"J\",\"openings\":1}" };
	/* Without priority: hard_to_place gives 1 and is served first;
	 * training_incomplete (9) alone gives SPEC's 5 for a matched
	 * veteran, which still comes before an explicit 6. */
	const char *vets[] = {
		"{\"id\":\"a\",\"employment_need\":true,\"employment_status\":"
		"\"unemployed\",\"categories\":[\"training_incomplete\"]}",
		"{\"id\":\"b\",\"employment_need\":true,\"employment_status\":"
		"\"unemployed\",\"categories\":[\"employment_difficulty\","
		"\"hard_to_place\"]}",
	};
	struct vet_match *m = matcher("2026-09-30", jobs, 1);
	struct vet_buf out = VET_BUF_INIT;
	struct row r[4];
	size_t i;

	cr_assert_eq(allocate(m, vets, 2, r), 2);
	cr_assert(r[0].null);
	cr_assert_str_eq(r[1].job, "J");
	for (i = 0; i < 2; i++)
		cr_assert_eq(vet_match_alloc_write(m, i, &out), 0);
	cr_assert(strstr(out.data, "\"id\":\"a\",\"job_id\":null,"
	    "\"priority\":5,") != NULL, "%s", out.data);
	cr_assert(strstr(out.data, "\"id\":\"b\",\"job_id\":\"J\","
	    "\"score\":20,\"priority\":1,") != NULL, "%s", out.data);
	vet_buf_release(&out);
	vet_match_free(m);
}

Test(match, certificate_in_full_width_parentheses)
{
	const char *jobs[] = { "{\"job_id\":\"J\",\"openings\":1,"
	    "\"required_skills\":[\"电工\",\"焊工\"]}" };
	struct vet_match *m = matcher("2026-09-30", jobs, 1);
	int s;

	cr_assert_eq(pair(m, veteran("a", NEEDS, ",\"certificates\":"
	    "[\"电工（四级）\",\"焊工 (三级)\"]"), "J", &s), 1);
	cr_assert_eq(s, 40);
	cr_assert_eq(pair(m, veteran("a", NEEDS, ",\"certificates\":"
	    "[\"电工证\"]"), "J", &s), 1);
	cr_assert_eq(s, 0);
	vet_match_free(m);
}

/*
 * A certificate whose whole text is itself a required skill still
 * certifies the skill before its parenthesis, and a skill whose name holds
 * a parenthesis is certified by that name followed by another one.
 */
Test(match, certificate_certifies_every_skill_it_starts_with)
{
	const char *jobs[] = {
		"{\"job_id\":\"A\",\"openings\":1,"
		    "\"required_skills\":[\"电工(四级)\"]}",
		"{\"job_id\":\"B\",\"openings\":1,"
		    "\"required_skills\":[\"电工\"]}",
		"{\"job_id\":\"C\",\"openings\":1,"
		    "\"required_skills\":[\"焊工(氩弧焊)\",\"焊工\"]}",
		"{\"job_id\":\"D\",\"openings\":1,"
		    "\"required_skills\":[\"\"],\"district\":\"\"}" };
	struct vet_match *m = matcher("2026-09-30", jobs, 4);
	int s;

	cr_assert_eq(pair(m, veteran("a", NEEDS, ",\"certificates\":"
	    "[\"电工(四级)\"]"), "A", &s), 1);
	cr_assert_eq(s, 40);
	cr_assert_eq(pair(m, veteran("a", NEEDS, ",\"certificates\":"
	    "[\"电工(四级)\"]"), "B", &s), 1);
	cr_assert_eq(s, 40);
	cr_assert_eq(pair(m, veteran("a", NEEDS, ",\"certificates\":"
	    "[\"焊工(氩弧焊)(四级)\"]"), "C", &s), 1);
	cr_assert_eq(s, 40);
	/* A parenthesis with nothing before it certifies no empty skill. */
	cr_assert_eq(pair(m, veteran("a", NEEDS, ",\"certificates\":"
	    "[\"(电工)\"]"), "D", &s), 1);
	cr_assert_eq(s, 0);
	vet_match_free(m);
}

/* ---- the two readers of job lines ----------------------------------- */

/*
 * A plain job line is read by a fast path, any other by the general
 * reader (match_load.c): the same posts written both ways, and with
 * spaces, must give the same bytes out.  A nested field nobody reads
 * sends a line to the general reader without changing its values.
 */
Test(match, fast_and_general_readers_agree)
{
	static const char *const plain[] = {
		"{\"job_id\":\"A1\",\"title\":\"维修电工\",\"employer\":\"北京国泰\","
		"\"district\":\"朝阳区\",\"street\":\"呼家楼街道\",\"industry\":"
		"\"物业管理\",\"openings\":2,\"min_education\":\"junior_high\","
		"\"max_age\":50,\"required_skills\":[\"电工\",\"电工\",\"驾驶\"],"
		"\"salary\":6500,\"posted_date\":\"2026-03-15\",\"expires_date\":"
		"\"2026-10-10\",\"post_type\":\"market\"}",
		"{\"job_id\":\"A2\",\"district\":\"朝阳区\",\"openings\":1,"
		"\"salary\":6500.5,\"required_skills\":[],\"post_type\":"
		"\"public_welfare\",\"title\":null,\"note\":\"x\",\"n\":-1.5e3,"
		"\"b\":true}",
		"{\"job_id\":\"A3\",\"district\":\"海淀区\",\"openings\":3,"
		"\"salary\":0,\"industry\":\"物业管理\",\"post_type\":"
		"\"dedicated\",\"expires_date\":\"2026-09-30\"}",
		"{\"job_id\":\"A0\",\"openings\":1,\"salary\":7000,"
		"\"required_skills\":[\"驾驶\"]}",
		"{\"job_id\":\"A4\",\"openings\":1,\"expires_date\":"
		"\"2026-09-29\"}",
	};
	const char *vets[] = {
		veteran("v1", NEEDS, ",\"district\":\"朝阳区\",\"street\":"
		    "\"呼家楼街道\",\"skills\":[\"电工\"],\"age\":40,\"education\":"
		    "\"senior_high\",\"desired_salary\":6000,"
		    "\"desired_industries\":[\"物业管理\"]"),
		veteran("v2", "[\"hard_to_place\"]", ",\"district\":\"海淀区\","
		    "\"certificates\":[\"驾驶(C1)\"],\"desired_salary\":8000"),
	};
	struct vet_buf out[3] = { VET_BUF_INIT, VET_BUF_INIT, VET_BUF_INIT };
	struct vet_match *m;
	struct vet_error err;
	char line[1024];
	const char *p;
	size_t i, v, n;
	int w;

	for (w = 0; w < 3; w++) {
		cr_assert_eq(vet_match_init(&m, pol, day("2026-09-30"), &err),
		    0);
		for (i = 0; i < sizeof plain / sizeof plain[0]; i++) {
			/* 0 as is; 1 with a nested field at the end; 2 with
			 * a space after each ':' and ','. */
			for (p = plain[i], n = 0; *p != '\0'; p++) {
				if (w == 1 && p[1] == '\0')
					n += (size_t)snprintf(line + n,
					    sizeof line - n, ",\"x\":{\"y\":[1]}");
				line[n++] = *p;
				if (w == 2 && (*p == ':' || *p == ','))
					line[n++] = ' ';
			}
			cr_assert_eq(vet_match_add_job(m, line, n, &err), 0,
			    "%s: %s", line, err.msg);
		}
		cr_assert_eq(vet_match_nopen(m), 4);
		cr_assert_eq(vet_match_index(m, &err), 0);
		for (v = 0; v < sizeof vets / sizeof vets[0]; v++)
			cr_assert(vet_match_top(m, vets[v], strlen(vets[v]), 10,
			    &out[w], &err) > 0, "%s", err.msg);
		vet_match_free(m);
	}
	cr_assert_str_eq(out[1].data, out[0].data);
	cr_assert_str_eq(out[2].data, out[0].data);
	for (w = 0; w < 3; w++)
		vet_buf_release(&out[w]);
}

/* Lines the fast path passes to the general reader for its verdict. */
Test(match, plain_looking_bad_jobs_are_refused)
{
	static const char *const bad[][2] = {
		{ "{\"job_id\":\"B1\",\"openings\":-1}",
		    "field 'openings' must not be negative" },
		{ "{\"job_id\":\"B2\",\"max_age\":201}",
		    "field 'max_age' out of range" },
		{ "{\"job_id\":\"B3\",\"salary\":-0.5}",
		    "field 'salary' must not be negative" },
		{ "{\"job_id\":\"B4\",\"openings\":01}",
		    "leading zero in number" },
		{ "{\"job_id\":\"B5\",\"title\":\"a\xc0\xaf\"}",
		    "invalid UTF-8 in string: overlong encoding" },
		{ "{\"job_id\":\"B6\",\"district\":\"\xed\xa0\x80\"}",
		    "invalid UTF-8 in string: surrogate encoded in UTF-8" },
		{ "{\"job_id\":\"\",\"openings\":1}", "field 'job_id' is empty" },
		{ "{\"job_id\":\"B7\",\"openings\":1,}",
		    "expected a string key in object, found '}'" },
		{ "{\"job_id\":\"B8\",\"posted_date\":\"2026-13-01\"}",
		    "field 'posted_date' is not a date (YYYY-MM-DD)" },
		{ "{\"job_id\":\"B9\",\"required_skills\":[\"a\",1]}",
		    "field 'required_skills' must be an array of strings" },
		{ "{\"job_id\":\"A\",\"openings\":2}", "duplicate job_id" },
	};
	const char *first = "{\"job_id\":\"A\",\"openings\":1}";
	const char *twice = "{\"job_id\":\"C\",\"openings\":0,\"openings\":2,"
	    "\"job_id\":\"ignored\"}";
	struct vet_match *m;
	struct vet_error err;
	size_t i;

	cr_assert_eq(vet_match_init(&m, pol, day("2026-09-30"), &err), 0);
	cr_assert_eq(vet_match_add_job(m, first, strlen(first), &err), 0);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		cr_assert_eq(vet_match_add_job(m, bad[i][0],
		    strlen(bad[i][0]), &err), VET_EDATA, "%s kept", bad[i][0]);
		cr_assert_str_eq(err.msg, bad[i][1]);
	}
	/* A field given twice: the last value holds, the first job_id. */
	cr_assert_eq(vet_match_add_job(m, twice, strlen(twice), &err), 0);
	cr_assert_eq(vet_match_njobs(m), 2);
	cr_assert_eq(vet_match_nopen(m), 2);
	vet_match_free(m);
}

/* A rejected line's words leave the tables, and the words of before are
 * still found, through tables that grew in between.  (Clearing a slot
 * without the backward shift passes too: a newer word lies behind an
 * older one of its probe chain only in a cluster that wraps the table's
 * end after a rehash, which these words happen not to make.) */
Test(match, undo_leaves_the_tables_as_they_were)
{
	struct vet_match__mark k;
	struct vet_match *m;
	struct vet_error err;
	char w[32];
	uint32_t item;
	int i, n;

	cr_assert_eq(vet_match_init(&m, pol, day("2026-09-30"), &err), 0);
	for (i = 0; i < 300; i++) {
		n = snprintf(w, sizeof w, "word-%d", i);
		cr_assert_eq(vet_match__intern(&m->vocab, w, (size_t)n, i,
		    &item), 1);
	}
	vet_match__mark(m, &k);
	for (i = 300; i < 20000; i++) {
		n = snprintf(w, sizeof w, "word-%d", i);
		cr_assert_eq(vet_match__intern(&m->vocab, w, (size_t)n, i,
		    &item), 1);
	}
	vet_match__undo(m, &k);
	cr_assert_eq(m->vocab.n, 300);
	cr_assert_eq(m->vocab.text.len, k.len[0]);
	for (i = 0; i < 20000; i++) {
		n = snprintf(w, sizeof w, "word-%d", i);
		cr_assert_eq(vet_match__find(&m->vocab, w, (size_t)n),
		    i < 300 ? i : -1, "word-%d", i);
	}
	/* The table takes new words again, numbered from 300. */
	cr_assert_eq(vet_match__intern(&m->vocab, "new", 3, 0, &item), 1);
	cr_assert_eq(item, 300);
	vet_match_free(m);
}
