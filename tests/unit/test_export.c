/*
 * test_export.c - vet-export's library (export.h): the words of the cells,
 * the columns, masking, and the workbook read back with zipread.h.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vet/buf.h"
#include "vet/date.h"
#include "vet/error.h"
#include "vet/export.h"
#include "vet/policy.h"
#include "vet/record.h"
#include "vet/xlsxout.h"
#include "zipread.h"

static const char *vet1 =
    "{\"id\":\"110105199504229399\",\"name\":\"刘浩\",\"sex\":\"M\","
    "\"birth_date\":\"1995-04-22\",\"phone\":\"18435901073\","
    "\"district\":\"朝阳区\",\"skills\":[],\"certificates\":[\"电工\","
    "\"保安员\"],\"labor_capacity\":true,\"employment_status\":"
    "\"employed\",\"training_hours\":97.5,\"categories\":"
    "[\"employment_difficulty\",\"hard_to_place\"]}";

struct run {
	struct vet_export *x;
	struct vet_buf out;
	struct vet_policy *p;
	struct vet_record rec;
};

static void
start(struct run *r, enum vet_export_format f, const char *lang,
    int unmask, const char *fields)
{
	struct vet_export_opts o;
	struct vet_error err;

	memset(r, 0, sizeof *r);
	cr_assert_eq(vet_policy_load(&r->p, NULL, &err), 0);
	memset(&o, 0, sizeof o);
	o.format = f;
	o.lang = lang;
	o.unmask = unmask;
	o.fields = fields;
	o.policy = r->p;
	o.bom = 1;
	vet_date_parse("2026-09-30", 10, &o.created);
	vet_record_init(&r->rec);
	cr_assert_eq(vet_export_new(&r->x, &o, vet_xlsxout_sink_buf, &r->out,
	    &err), 0, "%s", err.msg);
}

static int
add(struct run *r, const char *line, struct vet_error *err)
{
	cr_assert_eq(vet_record_parse(&r->rec, line, strlen(line), err), 0);
	return vet_export_add(r->x, &r->rec, line, strlen(line), err);
}

static void
finish(struct run *r)
{
	struct vet_error err;

	cr_assert_eq(vet_export_finish(r->x, &err), 0, "%s", err.msg);
}

static void
stop(struct run *r)
{
	vet_export_free(r->x);
	vet_record_release(&r->rec);
	vet_policy_free(r->p);
	vet_buf_release(&r->out);
}

Test(export, csv_headers_words_and_masks)
{
	struct run r;
	struct vet_error err;

	start(&r, VET_EXPORT_CSV, NULL, 0, NULL);
	cr_assert_eq(add(&r, vet1, &err), 0);
	finish(&r);
	cr_assert_str_eq(vet_buf_str(&r.out), "\xEF\xBB\xBF"
	    "身份证号码,姓名,性别,出生日期,联系电话,所在区,技能,"
	    "职业技能等级证书,有无劳动能力,就业状态,培训学时,人员类别\r\n"
	    "\t110105********9399,刘浩,男,1995-04-22,\t184****1073,朝阳区,无,"
	    "电工、保安员,是,已就业,97.5,就业困难、挂账管理\r\n");
	stop(&r);
}

Test(export, fields_choose_and_order_the_columns)
{
	struct run r;
	struct vet_error err;

	start(&r, VET_EXPORT_CSV, "en", 1, "employment_status,id,nope,id");
	cr_assert_eq(add(&r, vet1, &err), 0);
	finish(&r);
	cr_assert_str_eq(vet_buf_str(&r.out), "\xEF\xBB\xBF"
	    "employment_status,id,nope\r\nemployed,\t110105199504229399,\r\n");
	stop(&r);
}

Test(export, formula_text_gets_an_apostrophe)
{
	struct run r;
	struct vet_error err;

	start(&r, VET_EXPORT_CSV, NULL, 1, "name");
	cr_assert_eq(add(&r, "{\"name\":\"=HYPERLINK(1)\"}", &err), 0);
	finish(&r);
	cr_assert_str_eq(vet_buf_str(&r.out), "\xEF\xBB\xBF"
	    "姓名\r\n'=HYPERLINK(1)\r\n");
	stop(&r);
}

/* A field first seen after the records that chose the columns. */
Test(export, a_field_that_is_not_a_column_is_refused)
{
	struct run r;
	struct vet_error err;
	char line[128];
	int i;

	start(&r, VET_EXPORT_CSV, NULL, 0, NULL);
	for (i = 0; i < VET_EXPORT_SAMPLE; i++) {
		snprintf(line, sizeof line, "{\"name\":\"n%d\"}", i);
		cr_assert_eq(add(&r, line, &err), 0);
	}
	cr_assert_eq(add(&r, "{\"name\":\"x\",\"age\":3}", &err), VET_EDATA);
	cr_assert(strstr(err.msg, "field 'age' is not among the columns"));
	/* null is no value: nothing is lost. */
	cr_assert_eq(add(&r, "{\"name\":\"y\",\"age\":null}", &err), 0);
	finish(&r);
	stop(&r);
}

static char *
sheet(struct run *r, const char *name)
{
	size_t n;
	char *s = zr_member(r->out.data, r->out.len, name, &n);

	cr_assert_not_null(s, "no %s", name);
	return s;
}

Test(export, xlsx_cells_are_typed)
{
	struct run r;
	struct vet_error err;
	char *s, *wb;

	start(&r, VET_EXPORT_XLSX, NULL, 0, NULL);
	cr_assert_eq(add(&r, vet1, &err), 0);
	finish(&r);
	wb = sheet(&r, "xl/workbook.xml");
	cr_assert(strstr(wb, "<sheet name=\"退役军人\""), "%s", wb);
	s = sheet(&r, "xl/worksheets/sheet1.xml");
	/* The id a string, the birth date Excel's day 34811 with a date
	 * format, the hours a number; the header frozen and filtered. */
	cr_assert(strstr(s, "<c r=\"A2\" t=\"inlineStr\"><is><t>"
	    "110105********9399</t></is></c>"), "%s", s);
	cr_assert(strstr(s, "<c r=\"D2\" s=\"2\"><v>34811</v></c>"), "%s", s);
	cr_assert(strstr(s, "<c r=\"K2\"><v>97.5</v></c>"), "%s", s);
	cr_assert(strstr(s, "<t>就业困难、挂账管理</t>"), "%s", s);
	cr_assert(strstr(s, "state=\"frozen\""), "%s", s);
	cr_assert(strstr(s, "<autoFilter ref=\"A1:L2\"/>"), "%s", s);
	free(s);
	free(wb);
	stop(&r);
}

Test(export, xlsx_cuts_a_cell_above_the_limit_and_counts_it)
{
	struct run r;
	struct vet_error err;
	struct vet_export_stats st;
	struct vet_buf line = VET_BUF_INIT;
	size_t i;
	char *s;

	start(&r, VET_EXPORT_XLSX, NULL, 1, NULL);
	vet_buf_addstr(&line, "{\"name\":\"");
	for (i = 0; i < 20000; i++)
		vet_buf_addstr(&line, "刘浩");
	vet_buf_addstr(&line, "\"}");
	cr_assert_eq(add(&r, line.data, &err), 0);
	finish(&r);
	vet_export_stats(r.x, &st);
	cr_assert_eq(st.cut, 1);
	s = sheet(&r, "xl/worksheets/sheet1.xml");
	cr_assert(strstr(s, "刘…[已截断]</t>"), "%.200s", s);
	free(s);
	vet_buf_release(&line);
	stop(&r);
}

/* 1 048 577 records: 1 048 575 under the first header, 2 on a second
 * sheet that has the header too. */
Test(export, xlsx_continues_on_a_new_sheet, .timeout = 120)
{
	struct run r;
	struct vet_error err;
	struct vet_export_stats st;
	char line[64], *s;
	long i;

	start(&r, VET_EXPORT_XLSX, "en", 0, "n");
	for (i = 0; i < 1048577; i++) {
		snprintf(line, sizeof line, "{\"n\":%ld}", i);
		cr_assert_eq(vet_record_parse(&r.rec, line, strlen(line),
		    &err), 0);
		cr_assert_eq(vet_export_add(r.x, &r.rec, line, strlen(line),
		    &err), 0);
	}
	finish(&r);
	vet_export_stats(r.x, &st);
	cr_assert_eq(st.nsheets, 2);
	cr_assert_str_eq(st.sheet[1], "veterans (2)");
	s = sheet(&r, "xl/worksheets/sheet2.xml");
	cr_assert(strstr(s, "<c r=\"A1\" s=\"1\" t=\"inlineStr\"><is><t>n</t>"
	    "</is></c>"), "%s", s);
	cr_assert(strstr(s, "<c r=\"A3\"><v>1048576</v></c>"), "%s", s);
	cr_assert_null(strstr(s, "<row r=\"4\""));
	free(s);
	stop(&r);
}

Test(export, a_reject_needs_its_header)
{
	struct run r;
	struct vet_error err;

	start(&r, VET_EXPORT_CSV, NULL, 0, NULL);
	cr_assert_eq(add(&r, "{\"line\":2,\"source\":\"/nonexistent/a.csv\","
	    "\"errors\":[\"bad\"],\"raw\":\"a,b\"}", &err), VET_EDATA);
	cr_assert_str_eq(err.msg, "no header for the rejected rows of "
	    "'/nonexistent/a.csv': cannot open it (give --header FILE)");
	stop(&r);
}

/* A JSON record that a tool rejected: 问题, then its fields. */
Test(export, a_rejected_json_record_keeps_its_fields)
{
	struct run r;
	struct vet_error err;

	start(&r, VET_EXPORT_CSV, NULL, 0, NULL);
	cr_assert_eq(add(&r, "{\"line\":1,\"source\":\"x.jsonl\",\"errors\":"
	    "[\"no 'district'\",\"bad\"],\"raw\":\"{\\\"id\\\":"
	    "\\\"110105199504229399\\\",\\\"name\\\":\\\"刘浩\\\"}\"}", &err),
	    0, "%s", err.msg);
	finish(&r);
	cr_assert_str_eq(vet_buf_str(&r.out), "\xEF\xBB\xBF"
	    "问题,身份证号码,姓名\r\nno 'district'；bad,"
	    "\t110105********9399,刘浩\r\n");
	stop(&r);
}
