/*
 * test_schema.c - the record tables (schema.h), walked against SPEC 2.1 as
 * written in tests/data/schema/spec-2.1.md, and the named field sets.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vet/date.h"
#include "vet/mapping.h"
#include "vet/schema.h"

/* A field of a SPEC 2.1 row: name, SPEC type word, required. */
struct spec_field {
	char name[64];
	char type[128];		/* "string", "date", or an enum's codes */
	char meaning[1024];
	int required;
};

/* The `x` names of a cell, in order, into names; their number. */
static int
backticked(const char *cell, char names[][128], int max)
{
	const char *p = cell, *q;
	int n = 0;

	while (n < max && (p = strchr(p, '`')) != NULL &&
	    (q = strchr(p + 1, '`')) != NULL) {
		snprintf(names[n++], 128, "%.*s", (int)(q - p - 1), p + 1);
		p = q + 1;
	}
	return n;
}

/* The fields of the fixture's rows, in order; their number. */
static int
read_spec(struct spec_field *out, int max)
{
	char line[4096], *cells[4], *p, fields[8][128], types[8][128];
	FILE *fp = fopen(VET_TEST_DATA "/schema/spec-2.1.md", "r");
	int n = 0, nf, nt, i, c;

	cr_assert_not_null(fp, "cannot open the SPEC 2.1 fixture");
	while (fgets(line, sizeof line, fp) != NULL) {
		if (strncmp(line, "| `", 3) != 0)
			continue;
		/* Cells end at " | "; the " \\| " between codes is not one. */
		for (c = 0, p = line + 1; c < 2; c++) {
			cells[c] = p;
			p = strstr(p, " | ");
			cr_assert_not_null(p, "short row: %s", line);
			*p = '\0';
			p += 2;
		}
		cells[2] = p;
		if ((p = strstr(p, " |\n")) != NULL)
			*p = '\0';
		nf = backticked(cells[0], fields, 8);
		if (strchr(cells[1], '`') != NULL) {
			/* An enum: the codes are one type for the field. */
			nt = 1;
			types[0][0] = '\0';
			for (p = cells[1]; (p = strchr(p, '"')) != NULL;) {
				char *q = strchr(p + 1, '"');

				strncat(types[0], p + 1, (size_t)(q - p - 1));
				strcat(types[0], " ");
				p = q + 1;
			}
		} else {
			/* "bool, date": one type a field; "string, 18 chars"
			 * and "array of strings" are one type. */
			nt = 0;
			for (p = strtok(cells[1], ","); p != NULL;
			    p = strtok(NULL, ",")) {
				while (*p == ' ')
					p++;
				if (strstr(p, "chars") != NULL)
					continue;
				snprintf(types[nt++], 128, "%s", p);
			}
		}
		for (i = 0; i < nf; i++) {
			cr_assert_lt(n, max);
			snprintf(out[n].name, sizeof out[n].name, "%s",
			    fields[i]);
			snprintf(out[n].type, sizeof out[n].type, "%s",
			    types[nt == 1 ? 0 : i]);
			snprintf(out[n].meaning, sizeof out[n].meaning, "%s",
			    cells[2]);
			out[n].required = i == 0 &&
			    strstr(cells[2], "Required.") != NULL;
			n++;
		}
		cr_assert(nt == 1 || nt == nf, "row of %s: %d fields, %d "
		    "types", fields[0], nf, nt);
	}
	fclose(fp);
	return n;
}

static int
type_agrees(const struct vet_schema_field *f, const char *spec)
{
	switch (f->type) {
	case VET_FT_STRING:
	case VET_FT_ID:
	case VET_FT_PHONE:
	case VET_FT_DISTRICT:
		return strcmp(spec, "string") == 0;
	case VET_FT_DATE:
		return strcmp(spec, "date") == 0;
	case VET_FT_BOOL:
		return strcmp(spec, "bool") == 0;
	case VET_FT_INT:
		return strcmp(spec, "integer") == 0;
	case VET_FT_NUMBER:
		return strcmp(spec, "number") == 0;
	case VET_FT_ARRAY:
		return strcmp(spec, "array of strings") == 0;
	case VET_FT_ENUM:
		return 1;	/* the codes are compared instead */
	}
	return 0;
}

Test(schema, veteran_table_is_spec_2_1)
{
	static struct spec_field spec[64];
	const struct vet_schema_field *f;
	char codes[256];
	size_t n, i, j;
	int ns;

	ns = read_spec(spec, 64);
	f = vet_schema_fields(VET_KIND_VETERAN, &n);
	cr_assert_eq((size_t)ns, n, "SPEC 2.1 has %d fields, the schema %zu",
	    ns, n);
	for (i = 0; i < n; i++) {
		cr_assert_str_eq(f[i].name, spec[i].name, "field %zu", i);
		cr_assert(type_agrees(&f[i], spec[i].type), "field %s: type "
		    "%d for SPEC's '%s'", f[i].name, f[i].type, spec[i].type);
		cr_assert_eq(vet_schema_required(VET_KIND_VETERAN, &f[i]),
		    spec[i].required, "field %s: required", f[i].name);
		cr_assert_not_null(f[i].zh);
		cr_assert_not_null(f[i].en);
		if (f[i].type != VET_FT_ENUM) {
			cr_assert_null(f[i].codes, "%s", f[i].name);
			continue;
		}
		codes[0] = '\0';
		for (j = 0; f[i].codes[j] != NULL; j++) {
			strcat(codes, f[i].codes[j]);
			strcat(codes, " ");
			cr_assert_not_null(f[i].codes_zh[j]);
			cr_assert_not_null(f[i].codes_en[j]);
		}
		cr_assert_null(f[i].codes_zh[j]);
		cr_assert_null(f[i].codes_en[j]);
		cr_assert_str_eq(codes, spec[i].type, "codes of %s",
		    f[i].name);
	}
}

/* Where SPEC's meaning lists the codes' Chinese words (一 / 二 / 三), they
 * are the schema's labels, in order. */
Test(schema, chinese_labels_are_spec_words)
{
	static struct spec_field spec[64];
	const struct vet_schema_field *f;
	char *p, *w, *end;
	size_t n, i, j, checked = 0;

	read_spec(spec, 64);
	f = vet_schema_fields(VET_KIND_VETERAN, &n);
	for (i = 0; i < n; i++) {
		if (f[i].type != VET_FT_ENUM ||
		    strchr(spec[i].meaning, '/') == NULL)
			continue;
		p = spec[i].meaning;
		if ((w = strstr(p, ": ")) != NULL)
			p = w + 2;
		if ((end = strstr(p, ", ")) != NULL)
			*end = '\0';
		for (j = 0, w = strtok(p, "/"); w != NULL;
		    w = strtok(NULL, "/"), j++) {
			while (*w == ' ')
				w++;
			for (end = w + strlen(w); end > w && end[-1] == ' ';)
				*--end = '\0';
			cr_assert_not_null(f[i].codes_zh[j], "%s: more words "
			    "than codes", f[i].name);
			cr_assert_str_eq(f[i].codes_zh[j], w, "%s code %s",
			    f[i].name, f[i].codes[j]);
		}
		cr_assert_null(f[i].codes_zh[j], "%s: more codes than words",
		    f[i].name);
		checked++;
	}
	/* placement, education, employment_status */
	cr_assert_eq(checked, 3);
}

Test(schema, extract_requires_only_id)
{
	const struct vet_schema_field *f;
	size_t n, i;

	f = vet_schema_fields(VET_KIND_EXTRACT, &n);
	for (i = 0; i < n; i++)
		cr_assert_eq(vet_schema_required(VET_KIND_EXTRACT, &f[i]),
		    strcmp(f[i].name, "id") == 0, "%s", f[i].name);
	cr_assert_null(vet_schema_fields(VET_KIND_RAW, &n));
	cr_assert_eq(n, 0);
}

/* SPEC 2.3: the facts a later date does not make true yet. */
Test(schema, dated_facts)
{
	static const char *const dated[] = {
		"unemployment_registered", "unemployment_registered_date",
		"difficulty_certified", "difficulty_certified_date",
		"exited", "exit_date", "assisted_since", "assisted_since", NULL
	};
	const struct vet_schema_field *f;
	size_t n, i, k, ndated = 0;

	for (k = 0; dated[k] != NULL; k += 2) {
		f = vet_schema_field(VET_KIND_VETERAN, dated[k]);
		cr_assert_not_null(f);
		cr_assert_str_eq(f->dated_by, dated[k + 1]);
		cr_assert_eq(vet_schema_field(VET_KIND_VETERAN,
		    f->dated_by)->type, VET_FT_DATE);
	}
	f = vet_schema_fields(VET_KIND_VETERAN, &n);
	for (i = 0; i < n; i++)
		ndated += f[i].dated_by != NULL;
	cr_assert_eq(ndated, 4);
}

Test(schema, job_and_event_tables)
{
	const struct vet_schema_field *f;
	const struct vet_schema_event *e;
	const char *const *k;
	size_t n;

	f = vet_schema_field(VET_KIND_JOB, "post_type");
	cr_assert_not_null(f);
	cr_assert_str_eq(f->codes[0], "market");
	cr_assert_str_eq(f->codes[3], "public_welfare");
	cr_assert_null(f->codes[4]);
	f = vet_schema_field(VET_KIND_JOB, "min_education");
	cr_assert_eq(f->codes, vet_schema_field(VET_KIND_VETERAN,
	    "education")->codes);
	f = vet_schema_field(VET_KIND_EVENT, "type");
	cr_assert(vet_schema_required(VET_KIND_EVENT, f));
	/* Every event type is a code of `type`, and the reverse, and
	 * every field a type names is an event field. */
	for (n = 0, e = vet_schema_events; e->type != NULL; e++, n++) {
		cr_assert_str_eq(f->codes[n], e->type);
		cr_assert_eq(vet_schema_event(e->type, strlen(e->type)), e);
		for (k = e->fields; *k != NULL; k++)
			cr_assert_not_null(vet_schema_field(VET_KIND_EVENT, *k),
			    "%s of %s", *k, e->type);
		for (k = e->required; *k != NULL; k++)
			cr_assert_not_null(vet_schema_field(VET_KIND_EVENT, *k),
			    "%s of %s", *k, e->type);
	}
	cr_assert_null(f->codes[n]);
	cr_assert_eq(n, 7);
	cr_assert_str_eq(vet_schema_event("referral", 8)->required[1],
	    "job_id");
	cr_assert_null(vet_schema_event("referra", 7));
	cr_assert_null(vet_schema_event("referrals", 9));
}

Test(schema, labels)
{
	cr_assert_str_eq(vet_schema_field_label(VET_KIND_VETERAN, "id", "zh"),
	    "身份证号码");
	cr_assert_str_eq(vet_schema_field_label(VET_KIND_VETERAN,
	    "employment_status", "en"), "employment status");
	cr_assert_null(vet_schema_field_label(VET_KIND_VETERAN, "salary",
	    "zh"));
	cr_assert_str_eq(vet_schema_field_label(VET_KIND_JOB, "salary", "zh"),
	    "薪资");
	cr_assert_str_eq(vet_schema_code_label("education", "junior_college",
	    "zh"), "大专");
	cr_assert_str_eq(vet_schema_code_label("post_type", "dedicated",
	    "zh"), "退役军人专岗");
	cr_assert_str_eq(vet_schema_code_label("outcome", "refused", "en"),
	    "refused");
	cr_assert_null(vet_schema_code_label("education", "college", "zh"));
	cr_assert_null(vet_schema_code_label("name", "x", "zh"));
}

/* Each named set names fields of the veteran table, of the right type. */
Test(schema, named_sets)
{
	const struct vet_schema_field *f;
	const char *const *k;
	size_t n;

	for (n = 0, k = vet_schema_file_fields; *k != NULL; k++, n++)
		cr_assert_not_null(vet_schema_field(VET_KIND_VETERAN, *k),
		    "%s", *k);
	/* SPEC incomplete_file: six always, desired_industries with a need. */
	cr_assert_eq(n, 6);
	cr_assert_str_eq(vet_schema_file_need_fields[0], "desired_industries");
	cr_assert_null(vet_schema_file_need_fields[1]);
	f = vet_schema_field(VET_KIND_VETERAN, vet_schema_file_need_if);
	cr_assert_eq(f->type, VET_FT_BOOL);
	f = vet_schema_field(VET_KIND_VETERAN, vet_schema_match_need);
	cr_assert_eq(f->type, VET_FT_BOOL);
	f = vet_schema_field(VET_KIND_VETERAN, vet_schema_match_status);
	cr_assert_geq(vet_schema_code_index(f, vet_schema_match_status_code,
	    strlen(vet_schema_match_status_code)), 0);
	cr_assert_str_eq(vet_schema_match_not[0], "out_of_scope");
	cr_assert_str_eq(vet_schema_match_not[1], "exited");
	cr_assert_null(vet_schema_match_not[2]);
	f = vet_schema_field(VET_KIND_VETERAN, vet_schema_duty_since);
	cr_assert_eq(f->type, VET_FT_DATE);
}

/* SPEC: the duty starts in the month in which assisted_since + 6 months
 * falls. */
Test(schema, duty_start)
{
	vet_day since, want;

	cr_assert_eq(vet_date_parse("2026-01-31", 10, &since), 0);
	cr_assert_eq(vet_date_parse("2026-07-01", 10, &want), 0);
	cr_assert_eq(vet_schema_duty_start(since, 6), want);
	cr_assert_eq(vet_date_parse("2025-08-01", 10, &since), 0);
	cr_assert_eq(vet_date_parse("2026-02-01", 10, &want), 0);
	cr_assert_eq(vet_schema_duty_start(since, 6), want);
}

Test(schema, code_index)
{
	const struct vet_schema_field *f;

	f = vet_schema_field(VET_KIND_VETERAN, "education");
	cr_assert_eq(vet_schema_code_index(f, "doctor", 6), 7);
	cr_assert_eq(vet_schema_code_index(f, "doctors", 6), 7);
	cr_assert_eq(vet_schema_code_index(f, "docto", 5), -1);
	cr_assert_eq(vet_schema_code_index(vet_schema_field(VET_KIND_VETERAN,
	    "name"), "x", 1), -1);
}

/* vet_schema_word() against the mapping's answer for the code. */
static void
same_word(const struct vet_mapping *m, long f,
    const struct vet_schema_field *sf, const char *code, size_t n)
{
	char z[128];
	const char *a, *b;
	size_t len = 0;

	cr_assert_lt(n, sizeof z);
	memcpy(z, code, n);
	z[n] = '\0';
	a = vet_mapping_word(m, (size_t)f, z);
	b = vet_schema_word(sf, z, n, &len);
	if (a == NULL) {
		cr_expect_null(b, "%s=%s: schema '%.*s', mapping none",
		    sf->name, z, (int)len, b);
		return;
	}
	cr_expect(b != NULL && strlen(a) == len && memcmp(a, b, len) == 0,
	    "%s=%s: mapping '%s', schema '%.*s'", sf->name, z, a,
	    b ? (int)len : 4, b ? b : "none");
}

/* vet-export takes a sheet's labels and words from the schema, vet-intake
 * reads them through the mapping built from it: the two must agree on
 * every field and code, or a sheet written would not read back. */
Test(schema, words_are_the_mappings)
{
	static const enum vet_kind kinds[] = { VET_KIND_VETERAN,
		VET_KIND_JOB, VET_KIND_EVENT };
	const struct vet_schema_field *sf;
	struct vet_mapping m;
	const char *p, *q, *eq;
	size_t k, i, j, n;
	long f;

	for (k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
		cr_assert_eq(vet_mapping_init(&m, kinds[k]), 0);
		sf = vet_schema_fields(kinds[k], &n);
		cr_assert_eq(m.nfields, n);
		for (i = 0; i < n; i++) {
			f = vet_mapping_field(&m, sf[i].name);
			cr_assert_eq(f, (long)i, "%s", sf[i].name);
			cr_expect_str_eq(vet_mapping_label(&m, (size_t)f),
			    sf[i].zh, "%s", sf[i].name);
			cr_expect_eq(m.fields[f].type, sf[i].type);
			for (j = 0; sf[i].codes && sf[i].codes[j]; j++)
				same_word(&m, f, &sf[i], sf[i].codes[j],
				    strlen(sf[i].codes[j]));
			for (p = sf[i].values; p && *p; p = *q ? q + 1 : q) {
				q = p + strcspn(p, "|");
				eq = memchr(p, '=', (size_t)(q - p));
				cr_assert_not_null(eq, "%s", sf[i].name);
				same_word(&m, f, &sf[i], eq + 1,
				    (size_t)(q - eq - 1));
			}
			same_word(&m, f, &sf[i], "true", 4);
			same_word(&m, f, &sf[i], "false", 5);
			same_word(&m, f, &sf[i], "nonesuch", 8);
		}
		vet_mapping_release(&m);
	}
}
