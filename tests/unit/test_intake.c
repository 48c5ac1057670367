/*
 * test_intake.c - rows and JSON Lines records to canonical records
 * (intake.h), with the built-in Beijing policy for the district check.
 *
 * Ids used: 110105199001011232 (male, 1990-01-01), 110105198506150022
 * (female, 1985-06-15); their check characters were computed by hand with
 * GB 11643's MOD 11-2 weights.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vet/cli.h"
#include "vet/intake.h"
#include "vet/io.h"
#include "vet/policy.h"
#include "vet/schema.h"
#include "vet/utf8.h"

static struct vet_mapping map;
static struct vet_policy *pol;
static struct vet_intake in;
static struct vet_buf out;

static void
setup_kind(enum vet_kind k)
{
	struct vet_error err;
	vet_day today;

	cr_assert_eq(vet_mapping_init(&map, k), 0);
	cr_assert_eq(vet_policy_load(&pol, NULL, &err), 0, "%s", err.msg);
	cr_assert_eq(vet_date_from_ymd(2026, 9, 30, &today), 0);
	cr_assert_eq(vet_intake_init(&in, &map, pol, today), 0);
	vet_buf_init(&out);
}

static void
setup(void)
{
	setup_kind(VET_KIND_VETERAN);
}

static void
teardown(void)
{
	vet_intake_release(&in);
	vet_mapping_release(&map);
	vet_policy_free(pol);
	vet_buf_release(&out);
}

/* Splits "a|b|c" into spans (static storage, up to 32 cells). */
static size_t
cells(const char *s, struct vet_span *c)
{
	size_t n = 0;
	const char *q;

	for (;;) {
		q = strchr(s, '|');
		c[n].p = s;
		c[n].n = q ? (size_t)(q - s) : strlen(s);
		n++;
		if (q == NULL)
			return n;
		s = q + 1;
	}
}

static void
header(const char *h)
{
	static struct vet_span c[32];
	struct vet_error err;

	cr_assert_eq(vet_intake_header(&in, c, cells(h, c), &err), 0, "%s",
	    err.msg);
}

static void
row_ok(const char *r, const char *want)
{
	struct vet_span c[32];
	const char *const *e;
	int rc;

	vet_buf_reset(&out);
	rc = vet_intake_row(&in, c, cells(r, c), &out);
	cr_assert_eq(rc, 0, "rejected: %s", vet_intake_errors(&in, &e) ?
	    e[0] : "?");
	cr_assert_str_eq(out.data, want);
}

static void
row_bad(const char *r, const char *why)
{
	struct vet_span c[32];
	const char *const *e;
	size_t n;

	vet_buf_reset(&out);
	cr_assert_eq(vet_intake_row(&in, c, cells(r, c), &out), VET_EDATA,
	    "accepted: %s", vet_buf_str(&out));
	cr_assert_eq(out.len, 0);
	n = vet_intake_errors(&in, &e);
	cr_assert_geq(n, 1);
	cr_assert_str_eq(e[0], why);
}

TestSuite(intake, .init = setup, .fini = teardown);

Test(intake, chinese_headers_in_spec_order)
{
	header("姓名|身份证号|所在区|性别|出生日期|学历");
	row_ok("张三|110105199001011232|朝阳区|男|1990/1/1|本科",
	    "{\"id\":\"110105199001011232\",\"name\":\"张三\",\"sex\":\"M\","
	    "\"birth_date\":\"1990-01-01\",\"district\":\"朝阳区\","
	    "\"education\":\"bachelor\"}\n");
}

Test(intake, derives_sex_and_birth_date)
{
	header("公民身份号码|姓名|所在区");
	row_ok("110105198506150022|李四|海淀区",
	    "{\"id\":\"110105198506150022\",\"name\":\"李四\",\"sex\":\"F\","
	    "\"birth_date\":\"1985-06-15\",\"district\":\"海淀区\"}\n");
}

Test(intake, normalises_ids_dates_and_spaces)
{
	header("身份证号|姓名|所在区|退役时间|联系电话");
	/* full-width digits, a 15-digit id, 年月日 dates, stray spaces */
	row_ok("１１０１０５１９９００１０１１２３２| 王五 |\xe3\x80\x80西城区|"
	    "2023年12月26日|138 0013 8000",
	    "{\"id\":\"110105199001011232\",\"name\":\"王五\",\"sex\":\"M\","
	    "\"birth_date\":\"1990-01-01\",\"phone\":\"13800138000\","
	    "\"district\":\"西城区\",\"discharge_date\":\"2023-12-26\"}\n");
	row_ok("110105900101123|赵六|东城区|20231226|",
	    "{\"id\":\"110105199001011232\",\"name\":\"赵六\",\"sex\":\"M\","
	    "\"birth_date\":\"1990-01-01\",\"district\":\"东城区\","
	    "\"discharge_date\":\"2023-12-26\"}\n");
}

Test(intake, types_bool_int_number_array_enum)
{
	header("身份证号|姓名|所在区|是否登记失业|期望月薪|培训学时|技能|就业状态|"
	    "有无劳动能力");
	row_ok("110105199001011232|甲|朝阳区|是|5,000|40.5|电工、焊工；驾驶,,|"
	    "灵活就业|无",
	    "{\"id\":\"110105199001011232\",\"name\":\"甲\",\"sex\":\"M\","
	    "\"birth_date\":\"1990-01-01\",\"district\":\"朝阳区\","
	    "\"skills\":[\"电工\",\"焊工\",\"驾驶\"],\"labor_capacity\":false,"
	    "\"employment_status\":\"flexible\",\"desired_salary\":5000,"
	    "\"unemployment_registered\":true,\"training_hours\":40.5}\n");
}

Test(intake, unknown_columns_kept_and_listed)
{
	header("身份证号|姓名|所在区|备注|\"引号\"");
	row_ok("110105199001011232|甲|朝阳区| 优秀 |",
	    "{\"id\":\"110105199001011232\",\"name\":\"甲\",\"sex\":\"M\","
	    "\"birth_date\":\"1990-01-01\",\"district\":\"朝阳区\","
	    "\"备注\":\"优秀\"}\n");
	cr_assert_eq(vet_intake_nunknown(&in), 2);
	cr_assert_str_eq(vet_intake_unknown(&in, 0), "备注");
	cr_assert_str_eq(vet_intake_unknown(&in, 1), "\"引号\"");
}

Test(intake, rejections)
{
	header("身份证号|姓名|所在区|性别|出生日期|退役时间");
	row_bad("110105199001011233|甲|朝阳区|||",
	    "bad check character in id '110105********1233'");
	row_bad("1.10105E+17|甲|朝阳区|||",
	    "id was turned into a number by a spreadsheet ('1.10105E+17')");
	row_bad("110105203001011231|甲|朝阳区|||",
	    "birth date in id is in the future");
	row_bad("110105199002301231|甲|朝阳区|||",
	    "impossible birth date in id");
	row_bad("110105199001011232|甲|纽约区|||", "unknown district '纽约区'");
	row_bad("110105199001011232|甲|朝阳区|女||", "sex 'F' contradicts id");
	row_bad("110105199001011232|甲|朝阳区||1990-01-02|",
	    "birth_date '1990-01-02' contradicts the birth date in id");
	row_bad("110105199001011232|甲|朝阳区|||去年",
	    "unparseable date '去年' in field 'discharge_date'");
	row_bad("110105199001011232||朝阳区|||",
	    "missing required field 'name'");
	row_bad("110105199001011232|甲|朝阳区|",
	    "ragged row (4 fields, header has 6)");
	row_bad("110105199001011232|甲|朝阳区|男|1990-01-01|2023-02-30",
	    "impossible date '2023-02-30' in field 'discharge_date'");
}

Test(intake, every_reason_of_a_row_is_listed)
{
	struct vet_span c[32];
	const char *const *e;

	header("身份证号|姓名|所在区|性别");
	vet_buf_reset(&out);
	cr_assert_eq(vet_intake_row(&in, c, cells("|| |雌", c), &out),
	    VET_EDATA);
	cr_assert_eq(vet_intake_errors(&in, &e), 4);
	cr_assert_str_eq(e[0], "unknown value '雌' in field 'sex'");
	cr_assert_str_eq(e[1], "missing required field 'id'");
	cr_assert_str_eq(e[2], "missing required field 'name'");
	cr_assert_str_eq(e[3], "missing required field 'district'");
}

Test(intake, messages_mask_ids)
{
	header("身份证号|姓名|所在区|退役时间");
	row_bad("110105199001011232|甲|朝阳区|110105199001011232",
	    "unparseable date '110105********1232' in field 'discharge_date'");
}

Test(intake, duplicate_headers)
{
	struct vet_span c[32];
	struct vet_error err;

	cr_assert_eq(vet_intake_header(&in, c, cells("姓名|身份证号|姓名", c),
	    &err), VET_EDATA);
	cr_assert_str_eq(err.msg, "duplicate header '姓名'");
	row_bad("a|110105199001011232|b", "duplicate header '姓名'");
	cr_assert_eq(vet_intake_header(&in, c,
	    cells("身份证号|公民身份号码", c), &err), VET_EDATA);
	cr_assert_str_eq(err.msg, "duplicate header '公民身份号码' "
	    "(field 'id' is also column 1)");
	/* a good header afterwards is used again */
	header("身份证号|姓名|所在区");
	row_ok("110105198506150022|乙|朝阳区",
	    "{\"id\":\"110105198506150022\",\"name\":\"乙\",\"sex\":\"F\","
	    "\"birth_date\":\"1985-06-15\",\"district\":\"朝阳区\"}\n");
}

Test(intake, results_for_dedupe)
{
	header("身份证号|姓名|所在区|最近联系日期");
	row_ok("110105198506150022|乙|朝阳区|2026-03-01",
	    "{\"id\":\"110105198506150022\",\"name\":\"乙\",\"sex\":\"F\","
	    "\"birth_date\":\"1985-06-15\",\"district\":\"朝阳区\","
	    "\"last_contact_date\":\"2026-03-01\"}\n");
	cr_assert(in.has_id);
	cr_assert_str_eq(in.id, "110105198506150022");
	cr_assert(in.has_last_contact);
}

static void
json_ok(const char *line, const char *want)
{
	const char *const *e;
	int rc;

	vet_buf_reset(&out);
	rc = vet_intake_json(&in, line, strlen(line), &out);
	cr_assert_eq(rc, 0, "rejected: %s", vet_intake_errors(&in, &e) ?
	    e[0] : "?");
	cr_assert_str_eq(out.data, want);
}

static void
json_bad(const char *line, const char *why)
{
	const char *const *e;

	vet_buf_reset(&out);
	cr_assert_eq(vet_intake_json(&in, line, strlen(line), &out),
	    VET_EDATA);
	cr_assert_geq(vet_intake_errors(&in, &e), 1);
	cr_assert_str_eq(e[0], why);
}

Test(intake, json_lines)
{
	json_ok("{\"备注\":[1,{}],\"district\":\"朝阳区\",\"name\":\"甲\","
	    "\"id\":\"110105199001011232\",\"refusals\":2,\"exited\":false,"
	    "\"skills\":[\" 电工 \",null],\"phone\":null}",
	    "{\"id\":\"110105199001011232\",\"name\":\"甲\",\"sex\":\"M\","
	    "\"birth_date\":\"1990-01-01\",\"district\":\"朝阳区\","
	    "\"skills\":[\"电工\"],\"refusals\":2,\"exited\":false,"
	    "\"备注\":[1,{}]}\n");
	cr_assert_eq(vet_intake_nunknown(&in), 1);
	/* canonical output is a fixed point */
	json_ok("{\"id\":\"110105199001011232\",\"name\":\"甲\",\"sex\":\"M\","
	    "\"birth_date\":\"1990-01-01\",\"district\":\"朝阳区\"}",
	    "{\"id\":\"110105199001011232\",\"name\":\"甲\",\"sex\":\"M\","
	    "\"birth_date\":\"1990-01-01\",\"district\":\"朝阳区\"}\n");
	json_bad("{\"id\":\"110105199001011232\",\"name\":\"甲\","
	    "\"district\":\"朝阳区\",\"refusals\":1.5}",
	    "not an integer '1.5' in field 'refusals'");
	json_bad("[1]", "invalid JSON at byte 1: record is not a JSON object");
	json_bad("{\"id\":", "invalid JSON at byte 7: unexpected end of input");
	json_bad("{\"id\":\"110105199001011232\",\"name\":[\"甲\"],"
	    "\"district\":\"朝阳区\"}", "field 'name' must not be a list");
}

/* The suite's setup made a veteran intake; these tests swap the kind. */
static void
switch_kind(enum vet_kind k)
{
	teardown();
	setup_kind(k);
}

Test(intake, raw_kind_keeps_every_cell)
{
	switch_kind(VET_KIND_RAW);
	header("a|b|c");
	row_ok("1|| x ", "{\"a\":\"1\",\"b\":\"\",\"c\":\" x \"}\n");
}

Test(intake, event_needs_fields_by_type)
{
	switch_kind(VET_KIND_EVENT);
	header("类型|日期|身份证号|所在区|方式");
	row_ok("联系|2026-07-01|110105199001011232||电话",
	    "{\"type\":\"contact\",\"id\":\"110105199001011232\","
	    "\"date\":\"2026-07-01\",\"channel\":\"phone\"}\n");
	row_bad("联系|2026-07-01|||电话",
	    "missing required field 'id' for a 'contact' event");
	row_bad("会商|2026-07-01|||",
	    "missing required field 'district' for a 'consultation' event");
	row_bad("专场招聘|2026-07-01||朝阳县|", "unknown district '朝阳县'");
	row_ok("专场招聘|2026-07-01||经开区|",
	    "{\"type\":\"job_fair\",\"district\":\"北京经济技术开发区\","
	    "\"date\":\"2026-07-01\"}\n");
	row_ok("专场招聘|2026/7/1||北京经济技术开发区|",
	    "{\"type\":\"job_fair\",\"district\":\"北京经济技术开发区\","
	    "\"date\":\"2026-07-01\"}\n");
}

/*
 * Values that are canonical already are copied from the input, and a whole
 * canonical record is copied as one piece: every way of being almost
 * canonical must still be rewritten.
 */
Test(intake, json_almost_canonical_is_rewritten)
{
	static const char want[] = "{\"id\":\"110105199001011232\","
	    "\"name\":\"甲\",\"sex\":\"M\",\"birth_date\":\"1990-01-01\","
	    "\"district\":\"朝阳区\",\"skills\":[\"电工\",\"驾驶\"],"
	    "\"training_hours\":12,\"refusals\":2}\n";
	/* Twice, so the second run meets the caches warm. */
	int i;

	for (i = 0; i < 2; i++) {
		json_ok("{\"id\":\"110105199001011232\",\"name\":\"甲\","
		    "\"sex\":\"M\",\"birth_date\":\"1990-01-01\","
		    "\"district\":\"朝阳区\",\"skills\":[\"电工\",\"驾驶\"],"
		    "\"training_hours\":12,\"refusals\":2}", want);
		/* white space between tokens */
		json_ok(" { \"id\":\"110105199001011232\",\"name\":\"甲\","
		    "\"sex\":\"M\",\"birth_date\":\"1990-01-01\","
		    "\"district\":\"朝阳区\",\"skills\":[\"电工\", \"驾驶\"],"
		    "\"training_hours\":12,\"refusals\":2 } ", want);
		/* key order, an alias, escapes, spaces inside values */
		json_ok("{\"name\":\"\\u7532\",\"身份证号\":\"110105199001011232\","
		    "\"sex\":\"男\",\"birth_date\":\"1990/1/1\","
		    "\"district\":\" 朝阳区\",\"skills\":[\"电工\",null,\" 驾驶\"],"
		    "\"training_hours\":12.0,\"refusals\":\"2\"}", want);
		/* derived fields inserted, nulls dropped */
		json_ok("{\"id\":\"110105199001011232\",\"name\":\"甲\","
		    "\"phone\":null,\"district\":\"朝阳区\","
		    "\"skills\":[\"电工\",\"驾驶\"],\"training_hours\":12,"
		    "\"refusals\":2}", want);
		/* integers that are not written canonically */
		json_ok("{\"id\":\"110105199001011232\",\"name\":\"甲\","
		    "\"sex\":\"M\",\"birth_date\":\"1990-01-01\","
		    "\"district\":\"朝阳区\",\"skills\":[\"电工\",\"驾驶\"],"
		    "\"training_hours\":1.2e1,\"refusals\":2.00}", want);
	}
}

/*
 * The input loop (struct vet_intake_run) end to end, through a struct
 * vet_cli writing to temporary files: returns the exit status and the
 * output and rejects texts (malloc'd).
 */
static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *s;
	long n;

	cr_assert_not_null(f, "%s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	s = calloc(1, (size_t)n + 1);
	cr_assert_eq(fread(s, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	return s;
}

static int
run_file(const char *name, int dedupe, size_t max_record, char **outtext,
    char **rejtext)
{
	struct vet_cli cli;
	struct vet_intake_run run;
	struct vet_error err;
	struct vet_input *in_;
	char outp[] = "/tmp/test_intake_out.XXXXXX";
	char rejp[] = "/tmp/test_intake_rej.XXXXXX";
	char path[1024], *args[1];
	int fd, status;

	snprintf(path, sizeof path, "%s/intake/%s", VET_TEST_DATA, name);
	args[0] = path;
	cr_assert_geq(fd = mkstemp(outp), 0);
	close(fd);
	cr_assert_geq(fd = mkstemp(rejp), 0);
	close(fd);
	vet_cli_init(&cli, "test_intake", "usage");
	cli.out_path = outp;
	cli.rejects_path = rejp;
	if (max_record > 0)
		cli.max_record = max_record;
	vet_cli_start(&cli, 1, args);
	cr_assert_eq(vet_intake_run_init(&run, &cli, &in, VET_INTAKE_AUTO,
	    VET_ENC_AUTO, dedupe, &err), 0, "%s", err.msg);
	for (cli.cur = 0; cli.cur < cli.ninputs; cli.cur++) {
		cr_assert_eq(vet_input_open(&in_, cli.inputs[cli.cur], &err),
		    0, "%s", err.msg);
		cli.src = vet_input_name(in_);
		cli.lineno = 0;
		cr_assert_eq(vet_intake_run_input(&run, in_, &err), 0, "%s",
		    err.msg);
		vet_input_close(in_);
	}
	cr_assert_eq(vet_intake_run_finish(&run, &err), 0, "%s", err.msg);
	vet_intake_run_release(&run);
	status = vet_cli_finish(&cli);
	*outtext = slurp(outp);
	*rejtext = slurp(rejp);
	unlink(outp);
	unlink(rejp);
	return status;
}

Test(intake, run_dedupe_keeps_the_latest_contact)
{
	char *o, *rj;

	cr_assert_eq(run_file("dupes.csv", 1, 0, &o, &rj), 65);
	cr_assert_str_eq(o,
	    "{\"id\":\"110105199001011232\",\"name\":\"甲\",\"sex\":\"M\","
	    "\"birth_date\":\"1990-01-01\",\"district\":\"朝阳区\","
	    "\"last_contact_date\":\"2026-01-01\"}\n"
	    "{\"id\":\"110105198506150022\",\"name\":\"乙\",\"sex\":\"F\","
	    "\"birth_date\":\"1985-06-15\",\"district\":\"海淀区\"}\n");
	cr_assert(strncmp(rj, "{\"line\":4,", 10) == 0, "%s", rj);
	cr_assert_not_null(strstr(rj, "\"errors\":[\"duplicate id "
	    "'110105********1232': the record on line 2 is kept\"],"
	    "\"raw\":\"110105199001011232,甲,朝阳区,2025-01-01\"}\n"), "%s", rj);
	cr_assert_null(strchr(strchr(rj, '\n') + 1, '\n'),
	    "one reject only: %s", rj);
	free(o);
	free(rj);
}

Test(intake, run_keeps_an_overlong_line_whole_and_goes_on)
{
	char *o, *rj;

	cr_assert_eq(run_file("long.jsonl", 0, 64, &o, &rj), 65);
	cr_assert_str_eq(o,
	    "{\"id\":\"110105198506150022\",\"name\":\"乙\",\"sex\":\"F\","
	    "\"birth_date\":\"1985-06-15\",\"district\":\"朝阳区\"}\n"
	    "{\"id\":\"110105199001011232\",\"name\":\"甲\",\"sex\":\"M\","
	    "\"birth_date\":\"1990-01-01\",\"district\":\"东城区\"}\n");
	cr_assert(strncmp(rj, "{\"line\":2,", 10) == 0, "%s", rj);
	/* Line 2 of long.jsonl, base64 (SPEC 3: a record rejected for its
	 * length is kept in raw_base64). */
	cr_assert_not_null(strstr(rj, "\"errors\":[\"record longer than "
	    "--max-record (64 bytes)\"],\"raw_base64\":\""
	    "eyJpZCI6IjExMDEwNTE5OTAwMTAxMTIzMiIsIm5hbWUiOiLnlLIiLCJkaXN0cmlj"
	    "dCI6IuacnemYs+WMuiIsIuWkh+azqCI6Iui/meS4gOihjOavlOWFreWNgeWbm+S4"
	    "quWtl+iKgumVv+W+l+WkmuaJgOS7peaVtOihjOmDveimgei/m+aLkue7neaWh+S7"
	    "tiJ9\"}\n"), "%s", rj);
	free(o);
	free(rj);
}

Test(intake, detect_format)
{
#define DF(s) vet_intake_detect_format(s, sizeof s - 1)
	cr_assert_eq(DF("{\"id\":1}\n"), VET_INTAKE_JSONL);
	cr_assert_eq(DF("\xef\xbb\xbf \r\n{\"id\":1}\n"), VET_INTAKE_JSONL);
	cr_assert_eq(DF("[{\"id\":1}]\n"), VET_INTAKE_JSONL);
	cr_assert_eq(DF("id,name\n1,2\n"), VET_INTAKE_CSV);
	cr_assert_eq(DF("id\tname\n1\t2\n"), VET_INTAKE_TSV);
	/* Tabs inside a quoted header cell do not count. */
	cr_assert_eq(DF("\"a\tb\tc\",d,e\n"), VET_INTAKE_CSV);
	cr_assert_eq(DF(""), VET_INTAKE_CSV);
#undef DF
}

/*
 * A header of 100 000 columns: the duplicate check and the unknown names
 * are hashed (it took minutes when each column was compared with all
 * before it); the names noted stop at VET_INTAKE_MAX_UNKNOWN.
 */
Test(intake, wide_header)
{
	enum { N = 100000 };
	struct vet_span *c = calloc(N + 1, sizeof *c);
	char *names = malloc((size_t)N * 8);
	struct vet_error err;
	size_t i;

	cr_assert(c != NULL && names != NULL);
	for (i = 0; i < N; i++) {
		c[i].n = (size_t)snprintf(names + i * 8, 8, "c%zu", i);
		c[i].p = names + i * 8;
	}
	cr_assert_eq(vet_intake_header(&in, c, N, &err), 0, "%s", err.msg);
	cr_assert_eq(vet_intake_nunknown(&in), VET_INTAKE_MAX_UNKNOWN);
	cr_assert(vet_intake_unknown_full(&in));
	cr_assert_str_eq(vet_intake_unknown(&in, 999), "c999");
	/* The same name again at the end is found. */
	c[N] = c[77];
	cr_assert_eq(vet_intake_header(&in, c, N + 1, &err), VET_EDATA);
	cr_assert_str_eq(err.msg, "duplicate header 'c77'");
	free(c);
	free(names);
}

/* Of two columns for one field, and a repeated name, the earlier wins. */
Test(intake, duplicate_header_first_reported)
{
	static struct vet_span c[32];
	struct vet_error err;

	cr_assert_eq(vet_intake_header(&in, c,
	    cells("身份证号|x|公民身份号码|x", c), &err), VET_EDATA);
	cr_assert_str_eq(err.msg, "duplicate header '公民身份号码' "
	    "(field 'id' is also column 1)");
	cr_assert_eq(vet_intake_header(&in, c, cells("x|姓名|x|姓名", c),
	    &err), VET_EDATA);
	cr_assert_str_eq(err.msg, "duplicate header 'x'");
}

/* raw_id (vet-reconcile's CSV extract): a mistyped id is kept as it came,
 * and neither checks nor gives sex and birth date. */
Test(intake, raw_id_kept)
{
	in.raw_id = 1;
	header("身份证号|姓名|性别|所在区");
	row_ok("110105199001011233|甲|女|朝阳区",
	    "{\"id\":\"110105199001011233\",\"name\":\"甲\",\"sex\":\"F\","
	    "\"district\":\"朝阳区\"}\n");
	row_ok(" 11010519900101123x |乙||朝阳区",
	    "{\"id\":\"11010519900101123x\",\"name\":\"乙\","
	    "\"district\":\"朝阳区\"}\n");
	in.raw_id = 0;
	row_bad("110105199001011233|甲|女|朝阳区",
	    "bad check character in id '110105********1233'");
}

/*
 * Hostile text in any cell of any kind can neither end its string nor add
 * a field: every written line parses as one JSON object whose keys are the
 * columns given (and the fields derived from an id), each once.  A row may
 * be rejected instead; it is never written malformed.
 */
static const char *const hostile[] = {
	"138\",\"exited\":true,\"x\":\"",
	"138\\",
	"\\\"",
	"a\"b",
	"\"}",
	"\x01\x1f\t\x7f",
	"\xff\xfe\xc3(",
	"\\u0000",
	"line\nbreak\r",
	"138 0013\",\"x\":1,\"y\":\"8000",
	"朝阳区\",\"exited\":true,\"z\":\"",
	"是\",\"exited\":true,\"z\":\"",
	NULL
};

/* A value that passes the checks of a field named so, for the required
 * fields that a row needs to be written at all. */
static const char *
good_value(const char *field)
{
	static const char *const good[] = {
		"id", "110105199001011232", "name", "甲", "district", "朝阳区",
		"type", "contact", "date", "2026-07-01", "job_id", "J1",
		"title", "保安", NULL
	};
	size_t i;

	for (i = 0; good[i] != NULL; i += 2)
		if (strcmp(good[i], field) == 0)
			return good[i + 1];
	return "x";
}

static int
key_allowed(const struct vet_field *fl, const char *const *cols, size_t ncols,
    const struct vet_span *row)
{
	static const char *const derived[] = { "sex", "birth_date", NULL };
	static struct vet_buf q, u;
	struct vet_span key = fl->key;
	size_t i;

	if (fl->key_escaped) {
		vet_buf_reset(&q);
		vet_buf_reset(&u);
		cr_assert_eq(vet_buf_addch(&q, '"'), 0);
		cr_assert_eq(vet_buf_add(&q, key.p, key.n), 0);
		cr_assert_eq(vet_buf_addch(&q, '"'), 0);
		key.p = q.data;
		key.n = q.len;
		cr_assert_eq(vet_json_unescape(&u, key), 0);
		key.p = u.data;
		key.n = u.len;
	}

	for (i = 0; i < ncols; i++)
		if (row[i].n > 0 && strlen(cols[i]) == key.n &&
		    memcmp(cols[i], key.p, key.n) == 0)
			return 1;
	for (i = 0; derived[i] != NULL; i++)
		if (strlen(derived[i]) == key.n &&
		    memcmp(derived[i], key.p, key.n) == 0)
			return 1;
	return 0;
}

static void
hostile_kind(enum vet_kind k, int checked)
{
	struct vet_span hdr[64], row[64];
	const char *cols[64];
	struct vet_record rec;
	struct vet_error err;
	size_t nc, f, h, i, j, written = 0;
	int rc;

	setup_kind(k);
	in.utf8_checked = checked;
	for (nc = 0; nc < map.nfields && nc < 62; nc++)
		cols[nc] = map.fields[nc].name;
	cols[nc++] = "备注";
	cols[nc++] = "a\"b\\c";
	for (i = 0; i < nc; i++) {
		hdr[i].p = cols[i];
		hdr[i].n = strlen(cols[i]);
	}
	cr_assert_eq(vet_intake_header(&in, hdr, nc, &err), 0, "%s", err.msg);
	vet_record_init(&rec);
	for (f = 0; f < nc; f++) {
		for (h = 0; hostile[h] != NULL; h++) {
			if (checked && !vet_utf8_valid(hostile[h],
			    strlen(hostile[h])))
				continue;
			for (i = 0; i < nc; i++) {
				/* A contact event needs its id too. */
				row[i].p = i < map.nfields &&
				    (map.fields[i].required ||
				    strcmp(cols[i], "id") == 0) ?
				    good_value(cols[i]) : "";
				row[i].n = strlen(row[i].p);
			}
			row[f].p = hostile[h];
			row[f].n = strlen(hostile[h]);
			vet_buf_reset(&out);
			rc = vet_intake_row(&in, row, nc, &out);
			if (rc == VET_EDATA)
				continue;
			cr_assert_eq(rc, 0, "column '%s': %d", cols[f], rc);
			written++;
			cr_assert_gt(out.len, 1);
			cr_assert_eq(out.data[out.len - 1], '\n');
			cr_assert_eq(memchr(out.data, '\n', out.len - 1), NULL,
			    "column '%s': a line break in %s", cols[f],
			    out.data);
			cr_assert_eq(vet_record_parse(&rec, out.data,
			    out.len - 1, &err), 0, "column '%s': %s: %s",
			    cols[f], err.msg, out.data);
			for (i = 0; i < rec.n; i++) {
				cr_assert(key_allowed(&rec.fields[i], cols,
				    nc, row), "column '%s' made key '%.*s': %s",
				    cols[f], (int)rec.fields[i].key.n,
				    rec.fields[i].key.p, out.data);
				for (j = 0; j < i; j++)
					cr_assert(rec.fields[j].key.n !=
					    rec.fields[i].key.n ||
					    memcmp(rec.fields[j].key.p,
					    rec.fields[i].key.p,
					    rec.fields[i].key.n) != 0,
					    "key twice: %s", out.data);
			}
		}
	}
	/* The test would prove nothing if every hostile row were refused. */
	cr_assert_gt(written, nc);
	vet_record_release(&rec);
}

TestSuite(intake_hostile, .fini = teardown);

Test(intake_hostile, veteran) { hostile_kind(VET_KIND_VETERAN, 0); }
Test(intake_hostile, veteran_utf8_checked)
{
	hostile_kind(VET_KIND_VETERAN, 1);
}
Test(intake_hostile, job) { hostile_kind(VET_KIND_JOB, 0); }
Test(intake_hostile, event) { hostile_kind(VET_KIND_EVENT, 0); }
Test(intake_hostile, extract) { hostile_kind(VET_KIND_EXTRACT, 0); }

/*
 * Every spelling of SPEC "Spreadsheets as they arrive" that the built-in
 * mapping accepts, with the field and the JSON it becomes; NULL: the
 * field is absent (a word for unknown).  Each row is one column after
 * 身份证号, 姓名 and 所在区.
 */
static const struct {
	const char *header, *cell, *field, *json;
} spellings[] = {
	/* header variants */
	{ "是否已登记失业", "是", "unemployment_registered", "true" },
	{ "失业登记情况", "已登记", "unemployment_registered", "true" },
	{ "失业登记情况", "未登记", "unemployment_registered", "false" },
	{ "是否有就业意愿", "是", "employment_need", "true" },
	{ "联系方式", "13800138000", "phone", "\"13800138000\"" },
	{ "手机", "13800138000", "phone", "\"13800138000\"" },
	{ "现居住街道", "朝外街道", "street", "\"朝外街道\"" },
	{ "退役日期", "2023-12-26", "discharge_date", "\"2023-12-26\"" },
	{ "入伍前学历", "高中", "education", "\"senior_high\"" },
	{ "学历 ", "高中", "education", "\"senior_high\"" },
	{ "文化 程度", "高中", "education", "\"senior_high\"" },
	{ "*学历", "高中", "education", "\"senior_high\"" },
	{ "学历（必填）", "高中", "education", "\"senior_high\"" },
	{ "学历(必填)", "高中", "education", "\"senior_high\"" },
	{ "学历：", "高中", "education", "\"senior_high\"" },
	{ "街道（乡镇）：", "朝外街道", "street", "\"朝外街道\"" },
	{ "社区（村）*", "幸福社区", "community", "\"幸福社区\"" },
	/* values */
	{ "就业状态", "失业", "employment_status", "\"unemployed\"" },
	{ "就业状态", "待业", "employment_status", "\"unemployed\"" },
	{ "就业状态", "在读", "employment_status", "\"student\"" },
	{ "就业状态", "在校", "employment_status", "\"student\"" },
	{ "就业状态", "无就业意愿", "employment_status", "\"not_seeking\"" },
	{ "就业状态", "暂无就业意愿", "employment_status", "\"not_seeking\"" },
	{ "安置方式", "自谋职业", "placement", "\"autonomous\"" },
	{ "安置方式", "逐月领取退役金", "placement", "\"autonomous\"" },
	{ "学历", "高职", "education", "\"junior_college\"" },
	{ "学历", "中专", "education", "\"secondary_vocational\"" },
	{ "学历", "中技", "education", "\"secondary_vocational\"" },
	{ "是否登记失业", "已登记", "unemployment_registered", "true" },
	{ "是否登记失业", "未登记", "unemployment_registered", "false" },
	/* unknown: the field stays absent */
	{ "学历", "不详", "education", NULL },
	{ "就业状态", "未知", "employment_status", NULL },
	{ "是否登记失业", "待核实", "unemployment_registered", NULL },
	{ "退役时间", "-", "discharge_date", NULL },
	{ "家庭就业人数", "/", "household_employed", NULL },
	{ "生活困难", "—", "living_difficulty", NULL },
	{ "街道", "不详", "street", NULL },
	{ "职业技能等级证书", "不详", "certificates", NULL },
	/* none in a list column */
	{ "职业技能等级证书", "无", "certificates", "[]" },
	{ "职业技能等级证书", "暂无", "certificates", "[]" },
	{ "技能", "没有", "skills", "[]" },
	{ "技能", "-", "skills", "[]" },
	{ "就业诉求", "/", "desired_industries", "[]" },
	/* dates */
	{ "退役时间", "2023年12月26号", "discharge_date", "\"2023-12-26\"" },
	{ "退役时间", "2023/12/26 0:00:00", "discharge_date",
	  "\"2023-12-26\"" },
	{ "退役时间", "2023-12-26 08:30", "discharge_date", "\"2023-12-26\"" },
	{ "退役时间", "2023.12", "discharge_date", "\"2023-12-01\"" },
	{ "退役时间", "2023年12月", "discharge_date", "\"2023-12-01\"" },
	{ "返乡报到日期", "2024.1", "report_date", "\"2024-01-01\"" },
	{ "帮扶开始日期", "2025年3月", "assisted_since", "\"2025-03-01\"" },
};

/* The district aliases of the default policy, and the name they give. */
static const struct {
	const char *cell, *district;
} district_spellings[] = {
	{ "朝阳", "朝阳区" }, { "北京市朝阳区", "朝阳区" },
	{ "北京朝阳区", "朝阳区" }, { "北京市朝阳", "朝阳区" },
	{ "朝陽區", "朝阳区" }, { "北京市朝陽區", "朝阳区" },
	{ "门头沟", "门头沟区" }, { "門頭溝區", "门头沟区" },
	{ "经开区", "北京经济技术开发区" }, { "亦庄", "北京经济技术开发区" },
	{ "北京亦庄", "北京经济技术开发区" },
	{ "北京经济技术开发区", "北京经济技术开发区" },
	{ "延庆", "延庆区" }, { "东城", "东城区" }, { "東城區", "东城区" },
};

Test(intake, every_spelling_of_the_spec)
{
	struct vet_span c[8];
	const char *const *e;
	char h[256], r[256], want[256];
	size_t i;

	for (i = 0; i < sizeof spellings / sizeof spellings[0]; i++) {
		snprintf(h, sizeof h, "身份证号|姓名|所在区|%s",
		    spellings[i].header);
		header(h);
		snprintf(r, sizeof r, "110105199001011232|甲|朝阳区|%s",
		    spellings[i].cell);
		vet_buf_reset(&out);
		cr_assert_eq(vet_intake_row(&in, c, cells(r, c), &out), 0,
		    "%s = %s: %s", spellings[i].header, spellings[i].cell,
		    vet_intake_errors(&in, &e) ? e[0] : "?");
		snprintf(want, sizeof want, "\"%s\":", spellings[i].field);
		if (spellings[i].json == NULL) {
			cr_assert_null(strstr(out.data, want), "%s = %s: %s",
			    spellings[i].header, spellings[i].cell, out.data);
			continue;
		}
		snprintf(want, sizeof want, "\"%s\":%s", spellings[i].field,
		    spellings[i].json);
		cr_assert_not_null(strstr(out.data, want), "%s = %s: %s",
		    spellings[i].header, spellings[i].cell, out.data);
	}
	header("身份证号|姓名|所在区");
	for (i = 0; i < sizeof district_spellings / sizeof district_spellings[0];
	    i++) {
		snprintf(r, sizeof r, "110105199001011232|甲|%s",
		    district_spellings[i].cell);
		snprintf(want, sizeof want, "\"district\":\"%s\"",
		    district_spellings[i].district);
		vet_buf_reset(&out);
		cr_assert_eq(vet_intake_row(&in, c, cells(r, c), &out), 0,
		    "%s: %s", district_spellings[i].cell,
		    vet_intake_errors(&in, &e) ? e[0] : "?");
		cr_assert_not_null(strstr(out.data, want), "%s: %s",
		    district_spellings[i].cell, out.data);
	}
}

/* The new reasons: each names the field and the word. */
Test(intake, spellings_that_are_rejected)
{
	header("身份证号|姓名|所在区|出生日期|退役时间");
	row_bad("110105199001011232|甲|朝阳县||", "unknown district '朝阳县'");
	row_bad("110105199001011232|甲|朝阳区||12/26/2023",
	    "ambiguous date '12/26/2023' in field 'discharge_date'");
	row_bad("110105199001011232|甲|朝阳区|1990.01|",
	    "no day in date '1990.01' in field 'birth_date'");
	header("身份证号|姓名|所在区");
	/* 00: no province; 990105...: 99 is none either. */
	row_bad("000000199001011230|甲|朝阳区",
	    "id does not start with a province code (GB/T 2260)");
	row_bad("990105199001011235|甲|朝阳区",
	    "id does not start with a province code (GB/T 2260)");
	row_bad("000000000000000000|甲|朝阳区",
	    "id does not start with a province code (GB/T 2260)");
	/* An unknown word is no value: a required field stays missing. */
	row_bad("110105199001011232|不详|朝阳区",
	    "missing required field 'name'");
}

/*
 * Each column memoises what its recent cells became (intake.c): a cell
 * seen before must still become what put_cell() makes of it in its row.
 */
Test(intake, memo_follows_the_header)
{
	/* As vet-intake has it: the memo is for cells of checked UTF-8. */
	in.utf8_checked = 1;
	header("身份证号|姓名|所在区|是否登记失业");
	row_ok("110105199001011232|甲|朝阳区|是",
	    "{\"id\":\"110105199001011232\",\"name\":\"甲\",\"sex\":\"M\","
	    "\"birth_date\":\"1990-01-01\",\"district\":\"朝阳区\","
	    "\"unemployment_registered\":true}\n");
	row_ok("110105199001011232|甲|朝阳区|是",
	    "{\"id\":\"110105199001011232\",\"name\":\"甲\",\"sex\":\"M\","
	    "\"birth_date\":\"1990-01-01\",\"district\":\"朝阳区\","
	    "\"unemployment_registered\":true}\n");
	/* The same column, another field: 是 is no sex. */
	header("身份证号|姓名|所在区|性别");
	row_bad("110105199001011232|甲|朝阳区|是",
	    "unknown value '是' in field 'sex'");
	row_ok("110105199001011232|甲|朝阳区|男",
	    "{\"id\":\"110105199001011232\",\"name\":\"甲\",\"sex\":\"M\","
	    "\"birth_date\":\"1990-01-01\",\"district\":\"朝阳区\"}\n");
}

Test(intake, memo_keeps_what_a_cell_noted)
{
	vet_day day;
	int k;

	in.utf8_checked = 1;
	header("身份证号|姓名|所在区|性别|出生日期|最近联系日期");
	for (k = 0; k < 2; k++) {
		row_ok("110105199001011232|甲|朝阳区|男|1990/1/1|2026/7/8",
		    "{\"id\":\"110105199001011232\",\"name\":\"甲\","
		    "\"sex\":\"M\",\"birth_date\":\"1990-01-01\","
		    "\"district\":\"朝阳区\","
		    "\"last_contact_date\":\"2026-07-08\"}\n");
		cr_assert_eq(vet_date_from_ymd(2026, 7, 8, &day), 0);
		cr_assert(in.has_last_contact);
		cr_assert_eq(in.last_contact, day);
		/* The sex and the birth date of a memoised cell are still
		 * checked against the id. */
		row_bad("110105198506150022|乙|朝阳区|男||",
		    "sex 'M' contradicts id");
		row_ok("110105198506150022|乙|朝阳区||1985/6/15|",
		    "{\"id\":\"110105198506150022\",\"name\":\"乙\","
		    "\"sex\":\"F\",\"birth_date\":\"1985-06-15\","
		    "\"district\":\"朝阳区\"}\n");
		row_bad("110105198506150022|乙|朝阳区||1990/1/1|",
		    "birth_date '1990-01-01' contradicts the birth date in "
		    "id");
		/* A word for "unknown" sets nothing: the id tells. */
		row_ok("110105198506150022|乙|朝阳区|不详||",
		    "{\"id\":\"110105198506150022\",\"name\":\"乙\","
		    "\"sex\":\"F\",\"birth_date\":\"1985-06-15\","
		    "\"district\":\"朝阳区\"}\n");
		row_ok("110105199001011232|甲|朝阳区|不详||",
		    "{\"id\":\"110105199001011232\",\"name\":\"甲\","
		    "\"sex\":\"M\",\"birth_date\":\"1990-01-01\","
		    "\"district\":\"朝阳区\"}\n");
		/* A bad cell is not memoised: rejected every time. */
		row_bad("110105199001011232|甲|纽约区|||",
		    "unknown district '纽约区'");
	}
}

/*
 * The usual forms of a date are read without the loose parse (intake.c,
 * quick_date()): every date cell must still become what
 * vet_date_parse_cell() makes of it, or be rejected with its reason.
 */
Test(intake, dates_read_as_the_loose_parse)
{
	static const char *const y[] = { "2023", "2024", "0000", "0001",
	    "9999", "202", "20231" };
	static const char *const sep[] = { "-", "/", ".", "年", "月", "" };
	static const char *const md[] = { "1", "01", "2", "02", "12", "13",
	    "0", "00", "9", "29", "30", "31", "32", "123", "" };
	static const char *const end[] = { "", "日", "号", "x", "月", "日日" };
	struct vet_span c[8];
	struct vet_error err;
	const char *const *e;
	char cell[64], r[160], want[sizeof err.msg + 64], date[11];
	size_t a, b, m, d, s2, z, n;
	vet_day day;
	int rc, pass;

	in.utf8_checked = 1;
	header("身份证号|姓名|所在区|最近联系日期");
	for (a = 0; a < sizeof y / sizeof y[0]; a++)
	for (b = 0; b < sizeof sep / sizeof sep[0]; b++)
	for (m = 0; m < sizeof md / sizeof md[0]; m++)
	for (s2 = 0; s2 < sizeof sep / sizeof sep[0]; s2++)
	for (d = 0; d < sizeof md / sizeof md[0]; d++)
	for (z = 0; z < sizeof end / sizeof end[0]; z++) {
		snprintf(cell, sizeof cell, "%s%s%s%s%s%s", y[a], sep[b], md[m],
		    sep[s2], md[d], end[z]);
		n = strlen(cell);
		if (n == 0)
			continue;
		err.msg[0] = '\0';
		rc = vet_date_parse_cell(cell, n, 0, &day, &err);
		if (rc == 0) {
			vet_date_format(day, date);
			snprintf(want, sizeof want,
			    "\"last_contact_date\":\"%s\"}\n", date);
		} else
			snprintf(want, sizeof want, "%s in field "
			    "'last_contact_date'", err.msg);
		snprintf(r, sizeof r, "110105199001011232|甲|朝阳区|%s", cell);
		/* Twice: the second time the column's memo may answer. */
		for (pass = 0; pass < 2; pass++) {
			vet_buf_reset(&out);
			if (rc == 0) {
				cr_assert_eq(vet_intake_row(&in, c, cells(r, c),
				    &out), 0, "'%s' rejected", cell);
				cr_assert(out.len > strlen(want) &&
				    strcmp(out.data + out.len - strlen(want),
				    want) == 0, "'%s': %s", cell, out.data);
				cr_assert_eq(in.last_contact, day);
			} else {
				cr_assert_eq(vet_intake_row(&in, c, cells(r, c),
				    &out), VET_EDATA, "'%s' accepted: %s", cell,
				    vet_buf_str(&out));
				cr_assert_geq(vet_intake_errors(&in, &e), 1);
				cr_assert_str_eq(e[0], want, "'%s'", cell);
			}
		}
	}
}

/*
 * The value cache starts at 64 entries and doubles: with more words than
 * that in its columns (two doublings), a row read with the cache warm is
 * what a fresh intake makes of it.
 */
Test(intake, value_cache_grows_and_keeps_answers)
{
	static const char *const districts[] = { "东城区", "西城区", "朝阳区",
		"海淀区", "丰台区", "石景山区", "门头沟区", "房山区", "通州区",
		"顺义区", "昌平区", "大兴区", "怀柔区", "平谷区", "密云区",
		"延庆区" };
	static const char h[] = "身份证号|姓名|所在区|学历|就业状态|安置方式|"
	    "是否登记失业|有无劳动能力";
	const struct vet_schema_field *edu, *emp, *pl;
	const char *const *bw = vet_schema_bool_words;
	struct vet_span c[32], hc[32];
	struct vet_intake ref;
	struct vet_buf want = VET_BUF_INIT;
	struct vet_error err;
	size_t ne = 0, nm = 0, np = 0, nb = 0, i, pass;
	char r[512];

	edu = vet_schema_field(VET_KIND_VETERAN, "education");
	emp = vet_schema_field(VET_KIND_VETERAN, "employment_status");
	pl = vet_schema_field(VET_KIND_VETERAN, "placement");
	cr_assert(edu && emp && pl);
	while (edu->codes_zh[ne] != NULL)
		ne++;
	while (emp->codes_zh[nm] != NULL)
		nm++;
	while (pl->codes_zh[np] != NULL)
		np++;
	while (bw[2 * nb] != NULL)
		nb++;
	/* Distinct (column, text) pairs the cache holds, at least. */
	cr_assert_gt(16 + ne + nm + np + 2 * nb, 64);
	header(h);
	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < 160; i++) {
			snprintf(r, sizeof r, "110105199001011232|甲|%s|%s|%s|%s|"
			    "%s|%s", districts[i % 16], edu->codes_zh[i % ne],
			    emp->codes_zh[i % nm], pl->codes_zh[i % np],
			    bw[2 * (i % nb)], bw[2 * ((i + 3) % nb)]);
			cr_assert_eq(vet_intake_init(&ref, &map, pol,
			    in.today), 0);
			cr_assert_eq(vet_intake_header(&ref, hc, cells(h, hc),
			    &err), 0, "%s", err.msg);
			vet_buf_reset(&want);
			cr_assert_eq(vet_intake_row(&ref, c, cells(r, c),
			    &want), 0, "%s", r);
			vet_intake_release(&ref);
			vet_buf_reset(&out);
			cr_assert_eq(vet_intake_row(&in, c, cells(r, c), &out),
			    0, "%s", r);
			cr_assert_str_eq(vet_buf_str(&out), vet_buf_str(&want),
			    "pass %zu: %s", pass, r);
		}
	cr_expect_geq(in.vccap, 256, "the cache did not double twice");
	vet_buf_release(&want);
}
