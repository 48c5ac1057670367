/*
 * test_record.c - record.h: field spans, typed access, the pass-through
 * writer (SPEC 2: replace in place, append, never duplicate, idempotent),
 * and number formatting.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "vet/buf.h"
#include "vet/error.h"
#include "vet/json.h"
#include "vet/record.h"

static struct vet_record rec;
static struct vet_fieldset fs;
static struct vet_buf out;
static struct vet_error err;

static void
setup(void)
{
	vet_record_init(&rec);
	vet_fieldset_init(&fs);
	vet_buf_init(&out);
	vet_error_clear(&err);
}

static void
teardown(void)
{
	vet_record_release(&rec);
	vet_fieldset_release(&fs);
	vet_buf_release(&out);
}

static int
parse(const char *line)
{
	vet_error_clear(&err);
	return vet_record_parse(&rec, line, strlen(line), &err);
}

/* Parses line, writes it with fs, and checks the output is want. */
static void
expect_write(const char *line, const char *want)
{
	cr_assert_eq(parse(line), 0, "%s: %s", line, err.msg);
	vet_buf_reset(&out);
	cr_assert_eq(vet_record_write(&out, &rec, &fs), 0);
	cr_expect_str_eq(vet_buf_str(&out), want);
}

TestSuite(record, .init = setup, .fini = teardown);

Test(record, parse_spans)
{
	const char *line = "{\"id\":\"110105199001011234\", \"n\" : 3 ,"
	    "\"a\":[1,{\"b\":2}],\"o\":{},\"t\":true,\"f\":false,\"z\":null}";

	cr_assert_eq(parse(line), 0);
	cr_assert_eq(rec.n, 7);
	cr_expect(vet_span_eq(rec.fields[0].key, "id"));
	cr_expect(vet_span_eq(rec.fields[0].val, "\"110105199001011234\""));
	cr_expect_eq(rec.fields[0].type, VET_JSON_STRING);
	cr_expect_eq(rec.fields[0].key.p, line + 2, "spans point into line");
	cr_expect(vet_span_eq(rec.fields[1].key, "n"));
	cr_expect(vet_span_eq(rec.fields[1].val, "3"));
	cr_expect_eq(rec.fields[1].type, VET_JSON_NUMBER);
	cr_expect(vet_span_eq(rec.fields[2].val, "[1,{\"b\":2}]"));
	cr_expect_eq(rec.fields[2].type, VET_JSON_ARRAY);
	cr_expect_eq(rec.fields[3].type, VET_JSON_OBJECT);
	cr_expect_eq(rec.fields[4].type, VET_JSON_TRUE);
	cr_expect_eq(rec.fields[5].type, VET_JSON_FALSE);
	cr_expect_eq(rec.fields[6].type, VET_JSON_NULL);
	cr_expect_eq(rec.fields[6].key_escaped, 0);

	/* Reuse: a second parse replaces the fields. */
	cr_assert_eq(parse("{}"), 0);
	cr_expect_eq(rec.n, 0);
}

Test(record, many_fields_grow)
{
	struct vet_buf line = VET_BUF_INIT;
	int i;

	vet_buf_addch(&line, '{');
	for (i = 0; i < 1000; i++)
		vet_buf_addf(&line, "%s\"k%d\":%d", i ? "," : "", i, i);
	vet_buf_addch(&line, '}');
	cr_assert_eq(vet_record_parse(&rec, line.data, line.len, &err), 0);
	cr_expect_eq(rec.n, 1000);
	cr_expect(vet_span_eq(rec.fields[999].key, "k999"));
	cr_expect(vet_span_eq(rec.fields[999].val, "999"));
	vet_buf_release(&line);
}

Test(record, rejects)
{
	cr_expect_eq(parse("[1,2]"), VET_EDATA);
	cr_expect_str_eq(err.msg, "record is not a JSON object");
	cr_expect_eq(err.col, 1);
	cr_expect_eq(parse("  \"x\""), VET_EDATA);
	cr_expect_str_eq(err.msg, "record is not a JSON object");
	cr_expect_eq(err.col, 3);
	cr_expect_eq(parse("42"), VET_EDATA);
	cr_expect_str_eq(err.msg, "record is not a JSON object");
	/* Invalid text gets the precise JSON message. */
	cr_expect_eq(parse("hello"), VET_EDATA);
	cr_expect_eq(err.col, 1);
	cr_expect_eq(parse(""), VET_EDATA);
	cr_expect_eq(parse("{\"a\":1"), VET_EDATA);
	cr_expect_str_eq(err.msg, "unexpected end of input");
	cr_expect_eq(rec.n, 0, "no half record after an error");
	cr_expect_eq(parse("{\"a\":1} {}"), VET_EDATA);
	cr_expect_eq(err.col, 9);
	cr_expect_eq(parse("{\"a\":\"\xFF\"}"), VET_EDATA);
	cr_expect_eq(err.col, 7);
	cr_expect_eq(vet_record_parse(&rec, "{\"a\":\0}", 7, &err), VET_EDATA);
	cr_expect_eq(err.col, 6);
}

Test(record, hostile_lines)
{
	struct vet_buf line = VET_BUF_INIT;
	size_t i;

	/* Deep nesting inside a field: rejected, no stack overflow. */
	vet_buf_addstr(&line, "{\"a\":");
	for (i = 0; i < 100000; i++)
		vet_buf_addch(&line, '[');
	cr_expect_eq(vet_record_parse(&rec, line.data, line.len, &err),
	    VET_EDATA);
	cr_expect_str_eq(err.msg, "nesting deeper than 512");
	/* The root object is level 1, so the 512th bracket is one too many. */
	cr_expect_eq(err.col, 5 + 512);

	/* A long line (8 MiB string, Chinese text) parses and writes back. */
	vet_buf_reset(&line);
	vet_buf_addstr(&line, "{\"s\":\"");
	for (i = 0; i < (8u << 20) / 3; i++)
		vet_buf_add(&line, "中", 3);
	vet_buf_addstr(&line, "\",\"n\":1}");
	cr_assert_eq(vet_record_parse(&rec, line.data, line.len, &err), 0);
	cr_expect_eq(rec.n, 2);
	cr_assert_eq(vet_record_write(&out, &rec, NULL), 0);
	cr_expect_eq(out.len, line.len + 1);
	cr_expect(memcmp(out.data, line.data, line.len) == 0);

	/* Truncated at every byte of a record: always rejected. */
	cr_assert_eq(parse("{\"a\":[1,{\"b\":\"中\"}],\"c\":true}"), 0);
	for (i = 0; i < strlen("{\"a\":[1,{\"b\":\"中\"}],\"c\":true}");
	    i++)
		cr_expect_eq(vet_record_parse(&rec,
		    "{\"a\":[1,{\"b\":\"中\"}],\"c\":true}", i, &err),
		    VET_EDATA, "prefix %zu", i);
	vet_buf_release(&line);
}

Test(record, trailing_cr)
{
	cr_expect_eq(parse("{\"a\":1}\r"), 0);
	cr_expect_eq(rec.n, 1);
	cr_expect(vet_span_eq(rec.fields[0].val, "1"));
	cr_expect_eq(parse(" {\"a\":1} \r"), 0);
}

Test(record, get)
{
	cr_assert_eq(parse("{\"a\":1,\"b\":2,\"a\":3,\"\\u0063\":4}"), 0);
	cr_assert_not_null(vet_record_get(&rec, "a"));
	cr_expect(vet_span_eq(vet_record_get(&rec, "a")->val, "1"),
	    "the first of duplicates");
	cr_expect(vet_span_eq(vet_record_get(&rec, "b")->val, "2"));
	cr_expect_null(vet_record_get(&rec, "x"));
	cr_expect_null(vet_record_get(&rec, ""));
	cr_assert_not_null(vet_record_get(&rec, "c"), "escaped key decoded");
	cr_expect(vet_span_eq(vet_record_get(&rec, "c")->val, "4"));
	cr_expect_eq(vet_record_get(&rec, "c")->key_escaped, 1);
}

Test(record, typed_getters)
{
	struct vet_buf tmp = VET_BUF_INIT;
	struct vet_span s;
	double d;
	int64_t i;
	int b;

	cr_assert_eq(parse("{\"name\":\"张三\",\"esc\":\"a\\nb\",\"flag\":true,"
	    "\"off\":false,\"hours\":80.5,\"n\":12,\"nul\":null,"
	    "\"big\":1e400,\"arr\":[1]}"), 0);

	cr_expect_eq(vet_record_str(&rec, "name", &tmp, &s), 1);
	cr_expect(vet_span_eq(s, "张三"));
	cr_expect_eq(vet_record_str(&rec, "esc", &tmp, &s), 1);
	cr_expect(vet_span_eq(s, "a\nb"));
	cr_expect_eq(vet_record_str(&rec, "absent", &tmp, &s), 0);
	cr_expect_eq(vet_record_str(&rec, "nul", &tmp, &s), 0);
	cr_expect_eq(vet_record_str(&rec, "n", &tmp, &s), VET_EDATA);

	cr_expect_eq(vet_record_bool(&rec, "flag", &b), 1);
	cr_expect_eq(b, 1);
	cr_expect_eq(vet_record_bool(&rec, "off", &b), 1);
	cr_expect_eq(b, 0);
	cr_expect_eq(vet_record_bool(&rec, "absent", &b), 0);
	cr_expect_eq(vet_record_bool(&rec, "nul", &b), 0);
	cr_expect_eq(vet_record_bool(&rec, "name", &b), VET_EDATA);

	cr_expect_eq(vet_record_num(&rec, "hours", &d), 1);
	cr_expect_eq(d, 80.5);
	cr_expect_eq(vet_record_num(&rec, "n", &d), 1);
	cr_expect_eq(d, 12.0);
	cr_expect_eq(vet_record_num(&rec, "absent", &d), 0);
	cr_expect_eq(vet_record_num(&rec, "nul", &d), 0);
	cr_expect_eq(vet_record_num(&rec, "flag", &d), VET_EDATA);
	cr_expect_eq(vet_record_num(&rec, "big", &d), VET_EDATA);

	cr_expect_eq(vet_record_int(&rec, "n", &i), 1);
	cr_expect_eq(i, 12);
	cr_expect_eq(vet_record_int(&rec, "hours", &i), VET_EDATA);
	cr_expect_eq(vet_record_int(&rec, "absent", &i), 0);
	cr_expect_eq(vet_record_int(&rec, "nul", &i), 0);
	cr_expect_eq(vet_record_int(&rec, "arr", &i), VET_EDATA);
	vet_buf_release(&tmp);
}

Test(record, write_pass_through)
{
	/* Input whitespace between tokens goes; value text is kept. */
	expect_write(" { \"b\" : 2 , \"a\":\"x\\u00e9\", \"c\":[1, 2] }\r",
	    "{\"b\":2,\"a\":\"x\\u00e9\",\"c\":[1, 2]}\n");
	expect_write("{}", "{}\n");
	cr_assert_eq(parse("{\"a\":1}"), 0);
	vet_buf_reset(&out);
	cr_assert_eq(vet_record_write(&out, &rec, NULL), 0);
	cr_expect_str_eq(vet_buf_str(&out), "{\"a\":1}\n");
}

Test(record, write_replace_in_place)
{
	vet_fieldset_add_int(&fs, "age", 36);
	expect_write("{\"id\":\"x\",\"age\":12,\"name\":\"y\"}",
	    "{\"id\":\"x\",\"age\":36,\"name\":\"y\"}\n");
}

Test(record, write_duplicate_owned_dropped)
{
	vet_fieldset_add_int(&fs, "age", 36);
	expect_write("{\"age\":1,\"id\":\"x\",\"age\":2,\"z\":0,\"age\":3}",
	    "{\"age\":36,\"id\":\"x\",\"z\":0}\n");
	/* Duplicates of keys the tool does not own pass through. */
	expect_write("{\"k\":1,\"k\":2}", "{\"k\":1,\"k\":2,\"age\":36}\n");
}

Test(record, write_append_in_set_order)
{
	vet_fieldset_add_bool(&fs, "working_age", 1);
	vet_fieldset_add_int(&fs, "age", 36);
	vet_fieldset_add_str(&fs, "policy", "beijing-2023", 12);
	vet_fieldset_add_null(&fs, "note");
	expect_write("{\"id\":\"x\",\"age\":1}",
	    "{\"id\":\"x\",\"age\":36,\"working_age\":true,"
	    "\"policy\":\"beijing-2023\",\"note\":null}\n");
	expect_write("{}", "{\"working_age\":true,\"age\":36,"
	    "\"policy\":\"beijing-2023\",\"note\":null}\n");
}

Test(record, fieldset_replace_key)
{
	vet_fieldset_add_int(&fs, "a", 1);
	vet_fieldset_add_int(&fs, "b", 2);
	vet_fieldset_add_str(&fs, "a", "new", 3);
	cr_expect_eq(fs.n, 2);
	expect_write("{}", "{\"a\":\"new\",\"b\":2}\n");
	vet_fieldset_reset(&fs);
	cr_expect_eq(fs.n, 0);
	expect_write("{\"a\":0}", "{\"a\":0}\n");
}

Test(record, fieldset_begin_end)
{
	struct vet_buf *v;

	vet_fieldset_add_int(&fs, "priority", 2);
	v = vet_fieldset_begin(&fs, "categories");
	cr_assert_not_null(v);
	vet_buf_addch(v, '[');
	vet_json_add_string(v, "employment_difficulty", 21);
	vet_buf_addch(v, ',');
	vet_json_add_string(v, "hard_to_place", 13);
	vet_buf_addch(v, ']');
	cr_assert_eq(vet_fieldset_end(&fs), 0);
	v = vet_fieldset_begin(&fs, "reasons");
	cr_assert_not_null(v);
	vet_buf_addstr(v, "[{\"code\":\"x\"}]");
	cr_assert_eq(vet_fieldset_end(&fs), 0);
	vet_fieldset_add_raw(&fs, "as_of", "\"2026-09-30\"", 12);
	expect_write("{\"id\":\"1\",\"categories\":[]}",
	    "{\"id\":\"1\",\"categories\":[\"employment_difficulty\","
	    "\"hard_to_place\"],\"priority\":2,"
	    "\"reasons\":[{\"code\":\"x\"}],\"as_of\":\"2026-09-30\"}\n");

	/* An empty array begun and ended. */
	vet_fieldset_reset(&fs);
	v = vet_fieldset_begin(&fs, "m");
	vet_buf_addstr(v, "[]");
	cr_assert_eq(vet_fieldset_end(&fs), 0);
	expect_write("{}", "{\"m\":[]}\n");
}

Test(record, write_escaped_keys)
{
	vet_fieldset_add_int(&fs, "age", 5);
	/* "\u0061ge" is "age": replaced, and the later plain one dropped. */
	expect_write("{\"\\u0061ge\":1,\"x\":2,\"age\":3}",
	    "{\"age\":5,\"x\":2}\n");
	/* A key that only looks similar is not the owned one. */
	expect_write("{\"ag\\u0065s\":1}", "{\"ag\\u0065s\":1,\"age\":5}\n");
	/* An owned key that needs escaping is written escaped. */
	vet_fieldset_add_int(&fs, "a\"b", 1);
	expect_write("{\"a\\\"b\":0}", "{\"a\\\"b\":1,\"age\":5}\n");
}

Test(record, write_idempotent)
{
	const char *lines[] = {
		"{\"id\":\"110105199001011234\",\"name\":\"张三\",\"age\":1}",
		" { \"age\" : 1 , \"age\":2, \"x\" : { \"y\" : [ 1 ] } }\r",
		"{\"categories\":[\"a\"],\"\\u0061ge\":null}",
		"{}",
	};
	struct vet_buf first = VET_BUF_INIT;
	struct vet_buf *v;
	size_t i;

	vet_fieldset_add_int(&fs, "age", 36);
	v = vet_fieldset_begin(&fs, "categories");
	vet_buf_addstr(v, "[\"employed\"]");
	vet_fieldset_end(&fs);
	vet_fieldset_add_num(&fs, "score", 0.1);
	for (i = 0; i < sizeof lines / sizeof lines[0]; i++) {
		cr_assert_eq(parse(lines[i]), 0);
		vet_buf_reset(&first);
		cr_assert_eq(vet_record_write(&first, &rec, &fs), 0);
		cr_assert_eq(vet_record_parse(&rec, first.data, first.len - 1,
		    &err), 0, "%s", err.msg);
		vet_buf_reset(&out);
		cr_assert_eq(vet_record_write(&out, &rec, &fs), 0);
		cr_expect_str_eq(vet_buf_str(&out), vet_buf_str(&first),
		    "line %zu", i);
		cr_expect_eq(vet_json_validate(out.data, out.len, NULL), 0);
	}
	vet_buf_release(&first);
}

/* More than 64 owned keys takes the path without the bit mask. */
Test(record, write_many_owned)
{
	struct vet_buf line = VET_BUF_INIT, want = VET_BUF_INIT;
	char k[16];
	int i;

	for (i = 0; i < 100; i++) {
		snprintf(k, sizeof k, "k%d", i);
		vet_fieldset_add_int(&fs, k, i);
	}
	vet_buf_addstr(&line, "{\"k99\":0,\"x\":1,\"k70\":0,\"k99\":0}");
	vet_buf_addstr(&want, "{\"k99\":99,\"x\":1,\"k70\":70");
	for (i = 0; i < 100; i++)
		if (i != 99 && i != 70)
			vet_buf_addf(&want, ",\"k%d\":%d", i, i);
	vet_buf_addstr(&want, "}\n");
	expect_write(line.data, want.data);
	vet_buf_release(&line);
	vet_buf_release(&want);
}

Test(record, write_appends_to_out)
{
	cr_assert_eq(parse("{\"a\":1}"), 0);
	vet_buf_addstr(&out, "{\"z\":0}\n");
	cr_assert_eq(vet_record_write(&out, &rec, NULL), 0);
	cr_expect_str_eq(vet_buf_str(&out), "{\"z\":0}\n{\"a\":1}\n");
}

static void
expect_number(double v, const char *want)
{
	struct vet_buf b = VET_BUF_INIT;

	cr_assert_eq(vet_json_add_number(&b, v), 0);
	cr_expect_str_eq(vet_buf_str(&b), want);
	vet_buf_release(&b);
}

Test(record, add_number)
{
	expect_number(0, "0");
	expect_number(-0.0, "0");
	expect_number(36, "36");
	expect_number(-5, "-5");
	expect_number(9007199254740991.0, "9007199254740991");
	expect_number(0.1, "0.1");
	expect_number(80.5, "80.5");
	expect_number(1.0 / 3, "0.3333333333333333");
	expect_number(0.1 + 0.2, "0.30000000000000004");
	expect_number(1e300, "1e+300");
	expect_number(1e22, "1e+22");
	expect_number(1e-7, "1e-07");
	expect_number(2.5e-8, "2.5e-08");
	expect_number(NAN, "null");
	expect_number(INFINITY, "null");
	expect_number(-INFINITY, "null");
}

Test(record, add_number_round_trips)
{
	static const double v[] = { 0.1, 1.0 / 3, 2.0 / 3, 1e-300, 123.456,
	    -7.25, 1e22, 4.35, 0.3 };
	struct vet_buf b = VET_BUF_INIT;
	struct vet_span s;
	double d;
	size_t i;

	for (i = 0; i < sizeof v / sizeof v[0]; i++) {
		vet_buf_reset(&b);
		cr_assert_eq(vet_json_add_number(&b, v[i]), 0);
		s.p = b.data;
		s.n = b.len;
		cr_assert_eq(vet_json_validate(s.p, s.n, NULL), 0, "%s",
		    b.data);
		cr_assert_eq(vet_json_number(s, &d), 0);
		cr_expect_eq(d, v[i], "%s", b.data);
	}
	vet_buf_release(&b);
}

Test(record, a_key_given_twice_is_found_even_escaped)
{
	const char *line = "{\"id\":\"A\",\"n\":1,\"\\u0069d\":\"B\"}";

	cr_assert_eq(parse("{\"id\":\"A\",\"ids\":[\"B\"],\"i\":1}"), 0);
	cr_expect_eq(vet_record_once(&rec, "id", "", &err), 0);
	cr_assert_eq(parse(line), 0);
	vet_error_clear(&err);
	cr_assert_eq(vet_record_once(&rec, "id", line, &err), VET_EDATA);
	cr_expect_str_eq(err.msg, "field 'id' given twice");
	cr_expect_eq(err.col, 17, "the second key's quote: %ld", err.col);
	cr_expect_eq(vet_record_once(&rec, "n", line, &err), 0);
}

/*
 * The readers that fill the one message every tool gives for a field that
 * is missing or of the wrong type.
 */
Test(record, readers_tell_the_standard_messages)
{
	static const char line[] = "{\"id\":\"x1\",\"empty\":\"\",\"n\":3,"
	    "\"nul\":null,\"d\":\"2026-09-30\",\"bad\":\"2026-13-01\","
	    "\"list\":[\"a\",\"b\"],\"mixed\":[\"a\",1],\"esc\":\"a\\u0041\"}";
	const struct vet_field *f;
	struct vet_span s;
	vet_day d;
	size_t n;

	cr_assert_eq(vet_record_parse(&rec, line, sizeof line - 1, &err), 0);
	cr_assert_eq(vet_record_need_str(&rec, "id", &out, &s, &err), 1);
	cr_assert_eq(s.n, 2);
	cr_assert_eq(vet_record_need_str(&rec, "esc", &out, &s, &err), 1);
	cr_assert(s.n == 2 && memcmp(s.p, "aA", 2) == 0);
	cr_assert_eq(vet_record_need_str(&rec, "empty", &out, &s, &err),
	    VET_EDATA);
	cr_assert_str_eq(err.msg, "missing field 'empty'");
	cr_assert_eq(vet_record_need_str(&rec, "nul", &out, &s, &err),
	    VET_EDATA);
	cr_assert_str_eq(err.msg, "missing field 'nul'");
	cr_assert_eq(vet_record_need_str(&rec, "n", &out, &s, &err),
	    VET_EDATA);
	cr_assert_str_eq(err.msg, "field 'n' is not a string");

	cr_assert_eq(vet_record_opt_str(&rec, "empty", &out, &s, &err), 1);
	cr_assert_eq(s.n, 0);
	cr_assert_eq(vet_record_opt_str(&rec, "absent", &out, &s, &err), 0);
	cr_assert_eq(vet_record_opt_str(&rec, "nul", &out, &s, &err), 0);
	cr_assert_eq(vet_record_opt_str(&rec, "list", &out, &s, &err),
	    VET_EDATA);
	cr_assert_str_eq(err.msg, "field 'list' is not a string");

	cr_assert_eq(vet_record_opt_date(&rec, "d", &out, &d, &err), 1);
	cr_assert_eq(vet_record_opt_date(&rec, "absent", &out, &d, &err), 0);
	cr_assert_eq(vet_record_opt_date(&rec, "bad", &out, &d, &err),
	    VET_EDATA);
	cr_assert_str_eq(err.msg, "field 'bad' is not a date YYYY-MM-DD");
	/* A number is no date either, with the same words. */
	cr_assert_eq(vet_record_opt_date(&rec, "n", &out, &d, &err),
	    VET_EDATA);
	cr_assert_str_eq(err.msg, "field 'n' is not a date YYYY-MM-DD");

	cr_assert_eq(vet_record_need_strs(&rec, "list", NULL, &f, &n, &err),
	    1);
	cr_assert_eq(n, 2);
	cr_assert_eq(f->type, VET_JSON_ARRAY);
	cr_assert_eq(vet_record_need_strs(&rec, "mixed", NULL, &f, &n, &err),
	    VET_EDATA);
	cr_assert_str_eq(err.msg, "field 'mixed' is not an array of strings");
	cr_assert_eq(vet_record_need_strs(&rec, "id", NULL, &f, &n, &err),
	    VET_EDATA);
	cr_assert_str_eq(err.msg, "field 'id' is not an array");
	cr_assert_eq(vet_record_need_strs(&rec, "absent", " (run x first)",
	    &f, &n, &err), VET_EDATA);
	cr_assert_str_eq(err.msg, "missing field 'absent' (run x first)");
}
