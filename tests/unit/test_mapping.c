/*
 * test_mapping.c - kinds, the built-in mapping and the YAML map file
 * (mapping.h).
 */
#include <criterion/criterion.h>
#include <string.h>

#include "vet/mapping.h"

static long
hdr(const struct vet_mapping *m, const char *h)
{
	return vet_mapping_header(m, h, strlen(h));
}

static const char *
val(const struct vet_mapping *m, const char *field, const char *v)
{
	long f = vet_mapping_field(m, field);

	cr_assert_geq(f, 0, "no field %s", field);
	return vet_mapping_value(m, (size_t)f, v, strlen(v));
}

Test(mapping, kinds)
{
	enum vet_kind k;

	cr_assert_eq(vet_kind_parse("job", &k), 0);
	cr_assert_eq(k, VET_KIND_JOB);
	cr_assert_str_eq(vet_kind_name(VET_KIND_EXTRACT), "extract");
	cr_assert_eq(vet_kind_parse("veterans", &k), VET_EUSAGE);
}

Test(mapping, builtin_veteran_headers_in_spec_order)
{
	struct vet_mapping m;

	cr_assert_eq(vet_mapping_init(&m, VET_KIND_VETERAN), 0);
	cr_assert_str_eq(m.fields[0].name, "id");
	cr_assert_str_eq(m.fields[1].name, "name");
	cr_assert_str_eq(m.fields[m.nfields - 1].name, "exit_reason");
	cr_assert_eq(hdr(&m, "身份证号"), 0);
	cr_assert_eq(hdr(&m, "公民身份号码"), 0);
	cr_assert_eq(hdr(&m, "id"), 0);
	cr_assert_eq(hdr(&m, "姓名"), 1);
	cr_assert_eq(hdr(&m, "所在区"), vet_mapping_field(&m, "district"));
	cr_assert_eq(hdr(&m, "街道/乡镇"), vet_mapping_field(&m, "street"));
	cr_assert_eq(hdr(&m, "是否登记失业"),
	    vet_mapping_field(&m, "unemployment_registered"));
	cr_assert_eq(hdr(&m, "备注"), -1);
	cr_assert_eq(hdr(&m, "姓"), -1);
	cr_assert(m.fields[0].required && m.fields[1].required);
	cr_assert(m.fields[vet_mapping_field(&m, "district")].required);
	cr_assert_not(m.fields[vet_mapping_field(&m, "phone")].required);
	vet_mapping_release(&m);
}

Test(mapping, builtin_values)
{
	struct vet_mapping m;

	cr_assert_eq(vet_mapping_init(&m, VET_KIND_VETERAN), 0);
	cr_assert_str_eq(val(&m, "sex", "男"), "M");
	cr_assert_str_eq(val(&m, "sex", "f"), "F");
	cr_assert_str_eq(val(&m, "education", "本科"), "bachelor");
	cr_assert_str_eq(val(&m, "education", "中专(职高、技校)"),
	    "secondary_vocational");
	cr_assert_str_eq(val(&m, "employment_status", "灵活就业"), "flexible");
	cr_assert_str_eq(val(&m, "employment_status", "自主创业"),
	    "self_employed");
	cr_assert_str_eq(val(&m, "placement", "自主就业"), "autonomous");
	cr_assert_str_eq(val(&m, "labor_capacity", "是"), "true");
	cr_assert_str_eq(val(&m, "labor_capacity", "无"), "false");
	cr_assert_str_eq(val(&m, "labor_capacity", "YES"), "true");
	cr_assert_null(val(&m, "labor_capacity", "也许"));
	cr_assert_null(val(&m, "education", "幼儿园"));
	vet_mapping_release(&m);
}

Test(mapping, extract_requires_only_id)
{
	struct vet_mapping m;
	size_t i, nreq = 0;

	cr_assert_eq(vet_mapping_init(&m, VET_KIND_EXTRACT), 0);
	for (i = 0; i < m.nfields; i++)
		nreq += m.fields[i].required;
	cr_assert_eq(nreq, 1);
	cr_assert(m.fields[0].required);
	vet_mapping_release(&m);
}

Test(mapping, job_and_event)
{
	struct vet_mapping m;

	cr_assert_eq(vet_mapping_init(&m, VET_KIND_JOB), 0);
	cr_assert_str_eq(val(&m, "post_type", "退役军人专岗"), "dedicated");
	cr_assert_eq(hdr(&m, "岗位名称"), vet_mapping_field(&m, "title"));
	vet_mapping_release(&m);
	cr_assert_eq(vet_mapping_init(&m, VET_KIND_EVENT), 0);
	cr_assert_str_eq(val(&m, "type", "会商"), "consultation");
	cr_assert_str_eq(val(&m, "type", "job_fair"), "job_fair");
	vet_mapping_release(&m);
}

static int
load(struct vet_mapping *m, const char *yaml, struct vet_error *err)
{
	return vet_mapping_load(m, "map.yaml", yaml, strlen(yaml), err);
}

Test(mapping, map_file_adds_and_overrides)
{
	struct vet_mapping m;
	struct vet_error err;
	long f;

	cr_assert_eq(vet_mapping_init(&m, VET_KIND_VETERAN), 0);
	cr_assert_eq(load(&m,
	    "kind: veteran\n"
	    "fields:\n"
	    "  remark: { type: string }\n"
	    "  hukou:\n"
	    "    type: enum\n"
	    "    required: true\n"
	    "    values: { 本市: local, 外埠: nonlocal }\n"
	    "  placement:\n"
	    "    values:\n"
	    "      自谋职业: autonomous\n"
	    "headers:\n"
	    "  证件号: id\n"
	    "  备注: remark\n"
	    "  户籍: hukou\n"
	    "  姓名: remark\n"
	    "booleans:\n"
	    "  true: [好的]\n"
	    "  false: [不]\n", &err), 0, "%s", err.msg);
	cr_assert_eq(hdr(&m, "证件号"), 0);
	f = vet_mapping_field(&m, "remark");
	cr_assert_eq(f, (long)m.nfields - 2);
	cr_assert_eq(hdr(&m, "备注"), f);
	cr_assert_eq(hdr(&m, "姓名"), f);
	cr_assert_str_eq(val(&m, "hukou", "外埠"), "nonlocal");
	cr_assert_str_eq(val(&m, "hukou", "local"), "local");
	cr_assert_null(val(&m, "hukou", "国外"));
	cr_assert(m.fields[vet_mapping_field(&m, "hukou")].required);
	cr_assert_str_eq(val(&m, "placement", "自谋职业"), "autonomous");
	cr_assert_str_eq(val(&m, "placement", "自主就业"), "autonomous");
	cr_assert_str_eq(val(&m, "exited", "好的"), "true");
	cr_assert_str_eq(val(&m, "exited", "不"), "false");
	vet_mapping_release(&m);
}

/* A field is found by its name even when a mapping file gives the header
 * of that name to another field (the name's hash entry then points
 * there). */
Test(mapping, field_by_name_when_its_header_is_taken)
{
	struct vet_mapping m;
	struct vet_error err;
	long name, remark;

	cr_assert_eq(vet_mapping_init(&m, VET_KIND_VETERAN), 0);
	name = vet_mapping_field(&m, "name");
	cr_assert_geq(name, 0);
	cr_assert_eq(load(&m,
	    "fields:\n"
	    "  remark: { type: string }\n"
	    "headers:\n"
	    "  name: remark\n", &err), 0, "%s", err.msg);
	remark = vet_mapping_field(&m, "remark");
	cr_assert_eq(hdr(&m, "name"), remark);
	cr_assert_eq(vet_mapping_field(&m, "name"), name);
	cr_assert_eq(vet_mapping_field(&m, "no_such_field"), -1);
	vet_mapping_release(&m);
}

static void
refused(const char *yaml, long line, long col, const char *msg)
{
	struct vet_mapping m;
	struct vet_error err;

	cr_assert_eq(vet_mapping_init(&m, VET_KIND_VETERAN), 0);
	vet_error_clear(&err);
	cr_assert_eq(load(&m, yaml, &err), VET_ECONFIG, "accepted: %s", yaml);
	cr_assert_str_eq(err.file, "map.yaml");
	cr_assert_eq(err.line, line, "line %ld: %s", err.line, err.msg);
	cr_assert_eq(err.col, col, "col %ld: %s", err.col, err.msg);
	cr_assert_str_eq(err.msg, msg);
	vet_mapping_release(&m);
}

Test(mapping, map_file_is_strict)
{
	refused("header:\n  a: id\n", 1, 1, "unknown key 'header'");
	refused("headers:\n  a: idd\n", 2, 6,
	    "unknown field 'idd' (declare it under fields)");
	refused("fields:\n  x:\n    typ: string\n", 3, 5,
	    "unknown key 'typ' in field 'x'");
	refused("fields:\n  x: { type: text }\n", 2, 14,
	    "unknown type 'text'");
	/* columns count bytes: 自谋职业 is 12 of them */
	refused("fields:\n  placement:\n    values: { 自谋职业: autonomus }\n",
	    3, 29, "unknown code 'autonomus' for field 'placement'");
	refused("fields:\n  name:\n    values: { a: b }\n", 3, 13,
	    "values are only for enum, bool and district fields, and 'name' "
	    "is string");
	refused("kind: job\n", 1, 7,
	    "the map is for kind 'job' but --kind is 'veteran'");
	refused("booleans:\n  maybe: [x]\n", 2, 3,
	    "unknown key 'maybe' in booleans (true or false)");
	refused("fields:\n  Bad-Name: { type: string }\n", 2, 3,
	    "field name 'Bad-Name' is not lower-case snake_case");
	refused("headers: [a, b]\n", 1, 10, "headers must be a mapping");
}

Test(mapping, map_file_syntax_and_duplicates_from_yaml)
{
	struct vet_mapping m;
	struct vet_error err;

	cr_assert_eq(vet_mapping_init(&m, VET_KIND_VETERAN), 0);
	cr_assert_eq(load(&m, "headers:\n  a: id\n  a: name\n", &err),
	    VET_ECONFIG);
	cr_assert_eq(err.line, 3);
	cr_assert_eq(load(&m, "", &err), 0);
	vet_mapping_release(&m);
}

Test(mapping, raw_kind_has_no_builtin_fields)
{
	struct vet_mapping m;
	struct vet_error err;

	cr_assert_eq(vet_mapping_init(&m, VET_KIND_RAW), 0);
	cr_assert_eq(m.nfields, 0);
	cr_assert_eq(hdr(&m, "身份证号"), -1);
	cr_assert_eq(load(&m, "kind: raw\nfields:\n  a: {}\nheaders:\n  A: a\n",
	    &err), 0, "%s", err.msg);
	cr_assert_eq(hdr(&m, "A"), 0);
	vet_mapping_release(&m);
}

/*
 * Near misses (vet_mapping_near): a header that maps to nothing but is a
 * known header with a character added, left out or two changed in a long
 * one is told with the field; unrelated columns of a station's ledger,
 * and headers one changed character away in meaning, resemble nothing.
 */
Test(mapping, near_miss_headers_name_the_field)
{
	static const char *const near[][2] = {
		{ "是否已经登记失业", "unemployment_registered" },
		{ "是否登记过失业", "unemployment_registered" },
		{ "失业登记状况", "unemployment_registered" },
		{ "身份证号吗", "id" },
		{ "联系电话1", "phone" },
		{ "本人联系电话", "phone" },
		{ "就业状况况", "employment_status" },
		{ "是否缴纳社保情况", "social_insurance_paid" },
		{ "帮扶起始日期", "assisted_since" },
		{ "最近一次联系日期", "last_contact_date" },
		{ "（必填）是否就业困难", "difficulty_certified" },
		{ "dischargedate", "discharge_date" },
		{ "Discharge_Dat", "discharge_date" },
		/* a known header with a note in brackets */
		{ "退役时间(年月日)", "discharge_date" },
		{ "出生日期（年-月-日）", "birth_date" },
		{ "性别（男/女）", "sex" },
		{ "联系电话(本人手机)", "phone" },
	};
	static const char *const unrelated[] = {
		"备注", "序号", "编号", "备注说明", "填表人", "审核人", "联系人",
		"是否党员", "民族", "籍贯", "政治面貌", "婚姻状况", "工作单位",
		"部队番号", "入伍时间", "服役年限", "户籍地址", "家庭住址",
		"紧急联系人", "家属姓名", "健康状况", "是否残疾", "是否低保",
		"优抚对象类别", "退役类别", "创业意愿", "培训意愿", "填报日期",
		"录入时间", "更新时间", "所属单位", "毕业院校", "所学专业",
		"remark", "note", "age", "",
		/* a note after a header that is not a known one */
		"入伍时间(年月)", "服役年限（年）", "(备注)", "年龄(周岁)",
		/* too long to be a header worth comparing */
		"是否已登记失业是否已登记失业是否已登记失业是否已登记失业是否已登记失业"
		"是否已登记失业是否已登记失业是否已登记失业是否已登记失业是否已登记失业",
		"\xff\xfe\xfd",
	};
	struct vet_mapping m;
	size_t i;
	long k;

	cr_assert_eq(vet_mapping_init(&m, VET_KIND_VETERAN), 0);
	for (i = 0; i < sizeof near / sizeof near[0]; i++) {
		cr_expect_lt(vet_mapping_header(&m, near[i][0],
		    strlen(near[i][0])), 0, "'%s' maps", near[i][0]);
		k = vet_mapping_near(&m, near[i][0], strlen(near[i][0]));
		cr_expect_geq(k, 0, "'%s' resembles nothing", near[i][0]);
		if (k >= 0)
			cr_expect_str_eq(m.fields[m.headers[k].field].name,
			    near[i][1], "'%s'", near[i][0]);
	}
	for (i = 0; i < sizeof unrelated / sizeof unrelated[0]; i++) {
		k = vet_mapping_near(&m, unrelated[i], strlen(unrelated[i]));
		cr_expect_lt(k, 0, "'%s' resembles '%s'", unrelated[i],
		    k >= 0 ? m.headers[k].text : "");
	}
	/* The closest wins: one character from 是否已登记失业 and from
	 * 是否登记失业, and the first of them is taken. */
	k = vet_mapping_near(&m, "是否已经登记失业", strlen("是否已经登记失业"));
	cr_assert_geq(k, 0);
	cr_expect_str_eq(m.headers[k].text, "是否已登记失业");
	vet_mapping_release(&m);
}
