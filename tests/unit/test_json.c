/*
 * test_json.c - json.h: the whole JSONTestSuite corpus, every UTF-8 fault,
 * error columns, depth, access and escaping.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vet/buf.h"
#include "vet/error.h"
#include "vet/json.h"
#include "vet/record.h"

static struct vet_span
sp(const char *s)
{
	struct vet_span v = { s, strlen(s) };

	return v;
}

/* Validates n bytes of s; returns the status and fills err. */
static int
val_n(const char *s, size_t n, struct vet_error *err)
{
	vet_error_clear(err);
	return vet_json_validate(s, n, err);
}

static int
val(const char *s, struct vet_error *err)
{
	return val_n(s, strlen(s), err);
}

static char *
slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	char *b;
	long len;

	cr_assert_not_null(f, "cannot open %s", path);
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	fseek(f, 0, SEEK_SET);
	b = malloc((size_t)len + 1);
	cr_assert_not_null(b);
	cr_assert_eq(fread(b, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	*n = (size_t)len;
	return b;
}

Test(json, test_suite)
{
	const char *dir = VET_TEST_DATA "/JSONTestSuite";
	char path[1024];
	struct vet_error err;
	struct dirent *de;
	DIR *d = opendir(dir);
	int ny = 0, nn = 0, ni = 0, rc;
	size_t n;
	char *b;

	cr_assert_not_null(d, "cannot open %s", dir);
	while ((de = readdir(d)) != NULL) {
		const char *name = de->d_name;

		if (strlen(name) < 2 || name[1] != '_' ||
		    strstr(name, ".json") == NULL)
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, name);
		b = slurp(path, &n);
		vet_error_clear(&err);
		rc = vet_json_validate(b, n, &err);
		switch (name[0]) {
		case 'y':
			cr_expect_eq(rc, 0, "%s rejected: col %ld: %s", name,
			    err.col, err.msg);
			ny++;
			break;
		case 'n':
			cr_expect_eq(rc, VET_EDATA, "%s accepted", name);
			if (rc == VET_EDATA) {
				cr_expect(err.col >= 1 && (size_t)err.col <=
				    n + 1, "%s: column %ld", name, err.col);
				cr_expect(err.msg[0] != '\0', "%s", name);
			}
			nn++;
			break;
		case 'i':
			cr_expect(rc == 0 || rc == VET_EDATA, "%s: %d", name,
			    rc);
			ni++;
			break;
		}
		free(b);
	}
	closedir(d);
	/* The PROVENANCE note lists 95 y_, 188 n_ and 35 i_ files. */
	cr_expect_eq(ny, 95);
	cr_expect_eq(nn, 188);
	cr_expect_eq(ni, 35);
}

Test(json, lone_surrogates_rejected)
{
	struct vet_error err;

	cr_expect_eq(val("[\"\\uD800\"]", &err), VET_EDATA);
	cr_expect_eq(err.col, 3);
	cr_expect_eq(val("[\"\\uDC00\"]", &err), VET_EDATA);
	cr_expect_eq(val("[\"\\uD800\\u0041\"]", &err), VET_EDATA);
	cr_expect_eq(val("[\"\\uD800\\\"]", &err), VET_EDATA);
	cr_expect_eq(val("[\"\\uDBFF\\uDFFF\"]", &err), 0);
	cr_expect_eq(val("[\"\\uD834\\uDD1E\"]", &err), 0);
}

Test(json, depth)
{
	size_t n = 100000, i;
	char *b = malloc(2 * n);
	struct vet_error err;

	memset(b, '[', n);
	cr_expect_eq(val_n(b, n, &err), VET_EDATA);
	cr_expect_eq(err.col, 513);
	cr_expect_str_eq(err.msg, "nesting deeper than 512");

	/* 512 levels are fine, 513 are not. */
	memset(b, '[', 512);
	memset(b + 512, ']', 512);
	cr_expect_eq(val_n(b, 1024, &err), 0);
	memset(b, '[', 513);
	memset(b + 513, ']', 513);
	cr_expect_eq(val_n(b, 1026, &err), VET_EDATA);

	for (i = 0; i < n; i++)
		b[i] = i % 2 ? '{' : '[';
	cr_expect_eq(val_n(b, n, &err), VET_EDATA);

	memset(b, '{', n);
	cr_expect_eq(val_n(b, n, &err), VET_EDATA);
	free(b);
}

/* Each kind of bad UTF-8 in a string, with the column of its first byte. */
Test(json, utf8_faults)
{
	static const struct {
		const char *s;
		const char *msg;
	} c[] = {
		{ "\"\x80\"", "unexpected continuation byte" },
		{ "\"\xBF\"", "unexpected continuation byte" },
		{ "\"\xC0\x80\"", "overlong encoding" },
		{ "\"\xC1\xBF\"", "overlong encoding" },
		{ "\"\xE0\x80\xAF\"", "overlong encoding" },
		{ "\"\xE0\x9F\xBF\"", "overlong encoding" },
		{ "\"\xF0\x8F\xBF\xBF\"", "overlong encoding" },
		{ "\"\xED\xA0\x80\"", "surrogate encoded in UTF-8" },
		{ "\"\xED\xBF\xBF\"", "surrogate encoded in UTF-8" },
		{ "\"\xF4\x90\x80\x80\"", "code point above U+10FFFF" },
		{ "\"\xF5\x80\x80\x80\"", "code point above U+10FFFF" },
		{ "\"\xC3\"", "truncated sequence" },
		{ "\"\xE4\xB8\"", "truncated sequence" },
		{ "\"\xF0\x9F\x98\"", "truncated sequence" },
		{ "\"\xE4\x41\x41\"", "truncated sequence" },
		{ "\"\xF8\x88\x80\x80\x80\"", "byte that never occurs in UTF-8" },
		{ "\"\xFF\"", "byte that never occurs in UTF-8" },
	};
	struct vet_error err;
	char want[128];
	size_t i;

	for (i = 0; i < sizeof c / sizeof c[0]; i++) {
		cr_expect_eq(val(c[i].s, &err), VET_EDATA, "case %zu", i);
		cr_expect_eq(err.col, 2, "case %zu: col %ld", i, err.col);
		snprintf(want, sizeof want, "invalid UTF-8 in string: %s",
		    c[i].msg);
		cr_expect_str_eq(err.msg, want, "case %zu", i);
	}
	/* Truncated at the very end of the input, no closing quote. */
	cr_expect_eq(val_n("\"\xE4\xB8", 3, &err), VET_EDATA);
	cr_expect_eq(err.col, 2);

	/* Valid boundaries. */
	cr_expect_eq(val("\"\xC2\x80\xDF\xBF\"", &err), 0);
	cr_expect_eq(val("\"\xE0\xA0\x80\xEF\xBF\xBF\"", &err), 0);
	cr_expect_eq(val("\"\xED\x9F\xBF\xEE\x80\x80\"", &err), 0);
	cr_expect_eq(val("\"\xF0\x90\x80\x80\xF4\x8F\xBF\xBF\"", &err), 0);
	cr_expect_eq(val("\"退役军人就业服务\"", &err), 0);
}

/* Faults far into a long string go through the 8-byte scan. */
Test(json, utf8_fault_in_long_string)
{
	struct vet_error err;
	char b[200];
	size_t i;

	for (i = 1; i < 40; i++) {
		memset(b, 'a', sizeof b);
		b[0] = '"';
		b[i] = (char)0xFF;
		b[60] = '"';
		cr_expect_eq(val_n(b, 61, &err), VET_EDATA);
		cr_expect_eq(err.col, (long)i + 1);
		b[i] = '"';
		b[i + 1] = ' ';
		cr_expect_eq(val_n(b, i + 2, &err), 0);
		b[i] = '\\';
		b[i + 1] = 'n';
		cr_expect_eq(val_n(b, 61, &err), 0);
		b[i] = 0x1F;
		cr_expect_eq(val_n(b, 61, &err), VET_EDATA);
		cr_expect_eq(err.col, (long)i + 1);
		cr_expect_str_eq(err.msg,
		    "unescaped control character in string");
	}
	/* Every multibyte length at every alignment. */
	for (i = 1; i < 12; i++) {
		memset(b, 'x', sizeof b);
		b[0] = '"';
		memcpy(b + i, "中\xF0\x9F\x98\x80\xC3\xA9", 9);
		b[i + 9] = '"';
		cr_expect_eq(val_n(b, i + 10, &err), 0, "align %zu", i);
	}
}

Test(json, nul_bytes)
{
	struct vet_error err;

	cr_expect_eq(val_n("\"a\0b\"", 5, &err), VET_EDATA);
	cr_expect_eq(err.col, 3);
	cr_expect_str_eq(err.msg, "NUL byte in string");
	cr_expect_eq(val_n("[1]\0", 4, &err), VET_EDATA);
	cr_expect_eq(err.col, 4);
	cr_expect_eq(val_n("\0", 1, &err), VET_EDATA);
	cr_expect_eq(err.col, 1);
	cr_expect_eq(val_n("{\"a\":1,\0}", 9, &err), VET_EDATA);
	cr_expect_eq(err.col, 8);
	cr_expect_eq(val("\"\\u0000\"", &err), 0);
}

Test(json, columns_and_messages)
{
	struct vet_error err;

	cr_expect_eq(val("", &err), VET_EDATA);
	cr_expect_str_eq(err.msg, "empty input");
	cr_expect_eq(err.col, 1);
	cr_expect_eq(val(" \t\r\n", &err), VET_EDATA);
	cr_expect_str_eq(err.msg, "empty input");

	cr_expect_eq(val("{\"a\":1,}", &err), VET_EDATA);
	cr_expect_eq(err.col, 8);
	cr_expect_str_eq(err.msg,
	    "expected a string key in object, found '}'");

	cr_expect_eq(val("[1 2]", &err), VET_EDATA);
	cr_expect_eq(err.col, 4);
	cr_expect_str_eq(err.msg, "expected ',' or ']' in array, found '2'");

	cr_expect_eq(val("{\"a\" 1}", &err), VET_EDATA);
	cr_expect_eq(err.col, 6);
	cr_expect_str_eq(err.msg, "expected ':' after object key, found '1'");

	cr_expect_eq(val("{\"a\":1 \"b\"}", &err), VET_EDATA);
	cr_expect_eq(err.col, 8);

	cr_expect_eq(val("[1,", &err), VET_EDATA);
	cr_expect_eq(err.col, 4);
	cr_expect_str_eq(err.msg, "unexpected end of input");

	cr_expect_eq(val("{\"a\":\"xyz", &err), VET_EDATA);
	cr_expect_eq(err.col, 6);
	cr_expect_str_eq(err.msg, "unterminated string");

	cr_expect_eq(val("[01]", &err), VET_EDATA);
	cr_expect_eq(err.col, 2);
	cr_expect_str_eq(err.msg, "leading zero in number");

	cr_expect_eq(val("[-]", &err), VET_EDATA);
	cr_expect_eq(err.col, 3);
	cr_expect_str_eq(err.msg,
	    "expected a digit after '-' in number, found ']'");

	cr_expect_eq(val("1.", &err), VET_EDATA);
	cr_expect_eq(err.col, 3);
	cr_expect_str_eq(err.msg,
	    "expected a digit after '.' in number, found end of input");

	cr_expect_eq(val("1e+", &err), VET_EDATA);
	cr_expect_eq(err.col, 4);

	cr_expect_eq(val("[+1]", &err), VET_EDATA);
	cr_expect_eq(err.col, 2);
	cr_expect_str_eq(err.msg, "expected a value, found '+'");

	cr_expect_eq(val("[tru]", &err), VET_EDATA);
	cr_expect_eq(err.col, 2);
	cr_expect_str_eq(err.msg, "invalid literal, expected 'true'");

	cr_expect_eq(val("{} x", &err), VET_EDATA);
	cr_expect_eq(err.col, 4);
	cr_expect_str_eq(err.msg,
	    "unexpected data after the JSON value, found 'x'");

	cr_expect_eq(val("[\"a\\x\"]", &err), VET_EDATA);
	cr_expect_eq(err.col, 4);
	cr_expect_str_eq(err.msg, "invalid escape '\\x' in string");

	cr_expect_eq(val("[\"\\u12G4\"]", &err), VET_EDATA);
	cr_expect_eq(err.col, 3);

	cr_expect_eq(val("\xEF\xBB\xBF{}", &err), VET_EDATA);
	cr_expect_eq(err.col, 1);
	cr_expect_str_eq(err.msg, "byte order mark before JSON text");

	cr_expect_eq(val("[\f]", &err), VET_EDATA);
	cr_expect_str_eq(err.msg, "expected a value, found byte 0x0C");
	cr_expect_eq(val("['a']", &err), VET_EDATA);
	cr_expect_str_eq(err.msg, "expected a value, found byte 0x27");
}

Test(json, grammar_edges)
{
	struct vet_error err;

	cr_expect_eq(val(" \t\r\n{ \"a\" : [ 1 , -0.5e+3 , true , null ] "
	    "}\n", &err), 0);
	cr_expect_eq(val("-0", &err), 0);
	cr_expect_eq(val("0e0", &err), 0);
	cr_expect_eq(val("1E-07", &err), 0);
	cr_expect_eq(val("\"\\/\\b\\f\\n\\r\\t\\\\\\\"\"", &err), 0);
	cr_expect_eq(val("-01", &err), VET_EDATA);
	cr_expect_eq(val(".5", &err), VET_EDATA);
	cr_expect_eq(val("1.e3", &err), VET_EDATA);
	cr_expect_eq(val("0x10", &err), VET_EDATA);
	cr_expect_eq(val("[1,]", &err), VET_EDATA);
	cr_expect_eq(val("{\"a\":1}}", &err), VET_EDATA);
	cr_expect_eq(val("[\"\t\"]", &err), VET_EDATA);
	cr_expect_eq(val("\"\x7F\"", &err), 0);
	cr_expect_eq(val("nulll", &err), VET_EDATA);
	cr_expect_eq(val("{\"a\":1}\r", &err), 0);
	/* U+2028 and U+00A0 are not JSON whitespace. */
	cr_expect_eq(val("\xC2\xA0{}", &err), VET_EDATA);
}

Test(json, truncation_at_every_byte)
{
	const char *s = "{\"k\":[1,-2.5e3,\"中\\u00e9\\ud83d\\ude00\","
	    "{\"x\":null,\"y\":true,\"z\":false}]}";
	struct vet_error err;
	size_t i, n = strlen(s);

	cr_expect_eq(val(s, &err), 0);
	for (i = 0; i < n; i++)
		cr_expect_eq(val_n(s, i, &err), VET_EDATA, "prefix %zu", i);
}

Test(json, type_of)
{
	cr_expect_eq(vet_json_type_of(sp("null")), VET_JSON_NULL);
	cr_expect_eq(vet_json_type_of(sp("true")), VET_JSON_TRUE);
	cr_expect_eq(vet_json_type_of(sp("false")), VET_JSON_FALSE);
	cr_expect_eq(vet_json_type_of(sp("-1")), VET_JSON_NUMBER);
	cr_expect_eq(vet_json_type_of(sp("\"\"")), VET_JSON_STRING);
	cr_expect_eq(vet_json_type_of(sp("[]")), VET_JSON_ARRAY);
	cr_expect_eq(vet_json_type_of(sp("{}")), VET_JSON_OBJECT);
}

Test(json, iterate_array)
{
	struct vet_json_iter it;
	struct vet_span v;
	const char *want[] = { "1", "\"a,]\\\"\"", "[2,[3]]", "{\"k\":\"}\"}",
	    "null", "-1.5e3" };
	int i = 0;

	vet_json_iter_init(&it, sp("[ 1 ,\"a,]\\\"\", [2,[3]],{\"k\":\"}\"}, "
	    "null,-1.5e3 ]"));
	while (vet_json_iter_next(&it, NULL, &v)) {
		cr_assert_lt(i, 6);
		cr_expect_eq(v.n, strlen(want[i]), "element %d", i);
		cr_expect(memcmp(v.p, want[i], v.n) == 0, "element %d", i);
		i++;
	}
	cr_expect_eq(i, 6);
	cr_expect_eq(vet_json_iter_next(&it, NULL, &v), 0);

	vet_json_iter_init(&it, sp("[]"));
	cr_expect_eq(vet_json_iter_next(&it, NULL, &v), 0);
	vet_json_iter_init(&it, sp("[ ]"));
	cr_expect_eq(vet_json_iter_next(&it, NULL, &v), 0);
	vet_json_iter_init(&it, sp("\"[1]\""));
	cr_expect_eq(vet_json_iter_next(&it, NULL, &v), 0);
}

Test(json, iterate_object)
{
	struct vet_json_iter it;
	struct vet_span k, v;
	int i = 0;

	vet_json_iter_init(&it, sp("{\"a\\\\\" : [1,2] , \"b\":\"\\\\\","
	    "\"c\":{}}"));
	while (vet_json_iter_next(&it, &k, &v)) {
		switch (i++) {
		case 0:
			cr_expect(vet_json_string_eq(k, "a\\"));
			cr_expect(vet_span_eq(v, "[1,2]"));
			break;
		case 1:
			cr_expect(vet_span_eq(k, "\"b\""));
			cr_expect(vet_json_string_eq(v, "\\"));
			break;
		case 2:
			cr_expect(vet_span_eq(k, "\"c\""));
			cr_expect(vet_span_eq(v, "{}"));
			break;
		}
	}
	cr_expect_eq(i, 3);
	vet_json_iter_init(&it, sp("{}"));
	cr_expect_eq(vet_json_iter_next(&it, &k, &v), 0);
	/* Keys may be skipped by passing NULL. */
	vet_json_iter_init(&it, sp("{\"x\":5}"));
	cr_expect_eq(vet_json_iter_next(&it, NULL, &v), 1);
	cr_expect(vet_span_eq(v, "5"));
}

Test(json, unescape)
{
	struct vet_buf b = VET_BUF_INIT;

	cr_assert_eq(vet_json_unescape(&b, sp("\"a\\\"b\\\\c\\/d\\b\\f\\n\\r"
	    "\\t\"")), 0);
	cr_expect_str_eq(vet_buf_str(&b), "a\"b\\c/d\b\f\n\r\t");
	vet_buf_reset(&b);
	cr_assert_eq(vet_json_unescape(&b, sp("\"\\u00e9\\u4E2D\\uD83D\\uDE00"
	    "x\"")), 0);
	cr_expect_str_eq(vet_buf_str(&b), "é中😀x");
	vet_buf_reset(&b);
	cr_assert_eq(vet_json_unescape(&b, sp("\"a\\u0000b\"")), 0);
	cr_expect_eq(b.len, 3);
	cr_expect(memcmp(b.data, "a\0b", 3) == 0);
	vet_buf_reset(&b);
	cr_assert_eq(vet_json_unescape(&b, sp("\"\"")), 0);
	cr_expect_eq(b.len, 0);
	cr_expect_eq(vet_json_unescape(&b, sp("12")), VET_EDATA);
	vet_buf_release(&b);
}

Test(json, string_view)
{
	struct vet_buf tmp = VET_BUF_INIT;
	struct vet_span out;
	const char *plain = "\"北京 abc\"";

	cr_assert_eq(vet_json_string(sp(plain), &tmp, &out), 0);
	cr_expect_eq(out.p, plain + 1, "no copy without escapes");
	cr_expect_eq(out.n, strlen(plain) - 2);
	cr_assert_eq(vet_json_string(sp("\"a\\tb\""), &tmp, &out), 0);
	cr_expect_eq(out.p, tmp.data);
	cr_expect(vet_span_eq(out, "a\tb"));
	cr_expect_eq(vet_json_string(sp("true"), &tmp, &out), VET_EDATA);
	vet_buf_release(&tmp);
}

Test(json, string_eq)
{
	cr_expect(vet_json_string_eq(sp("\"age\""), "age"));
	cr_expect(!vet_json_string_eq(sp("\"age\""), "ag"));
	cr_expect(!vet_json_string_eq(sp("\"age\""), "ages"));
	cr_expect(vet_json_string_eq(sp("\"\\u0061ge\""), "age"));
	cr_expect(vet_json_string_eq(sp("\"a\\u0067\\u0065\""), "age"));
	cr_expect(!vet_json_string_eq(sp("\"a\\u0067\\u0066\""), "age"));
	cr_expect(vet_json_string_eq(sp("\"\\u5317\\u4eac\""), "北京"));
	cr_expect(vet_json_string_eq(sp("\"\""), ""));
	cr_expect(!vet_json_string_eq(sp("\"\\n\""), ""));
	cr_expect(!vet_json_string_eq(sp("5"), "5"));
	cr_expect(vet_json_string_eq_n(sp("\"a\\u0000b\""), "a\0b", 3));
	cr_expect(!vet_json_string_eq(sp("\"a\\u0000b\""), "a"));
}

Test(json, number)
{
	double d;

	cr_expect_eq(vet_json_number(sp("12.5"), &d), 0);
	cr_expect_eq(d, 12.5);
	cr_expect_eq(vet_json_number(sp("-1e-3"), &d), 0);
	cr_expect_eq(d, -0.001);
	cr_expect_eq(vet_json_number(sp("1E2"), &d), 0);
	cr_expect_eq(d, 100.0);
	cr_expect_eq(vet_json_number(sp("1e400"), &d), VET_EDATA);
	cr_expect_eq(vet_json_number(sp("1e-400"), &d), 0);
	cr_expect_eq(vet_json_number(sp("\"1\""), &d), VET_EDATA);
	cr_expect_eq(vet_json_number(sp("01"), &d), VET_EDATA);
	cr_expect_eq(vet_json_number(sp("1 "), &d), VET_EDATA);
	cr_expect_eq(vet_json_number(sp(""), &d), VET_EDATA);
	cr_expect_eq(vet_json_number(sp("0.1000000000000000000000000000000000"
	    "000000000000000000000000000000000001"), &d), 0);
	cr_expect_eq(d, 0.1);
}

Test(json, number_ignores_locale)
{
	double d;

	/* Where a locale with a decimal comma is installed, strtod() would
	 * stop at the '.' unless the code compensates. */
	if (setlocale(LC_NUMERIC, "de_DE.UTF-8") == NULL &&
	    setlocale(LC_NUMERIC, "fr_FR.UTF-8") == NULL)
		cr_skip_test("no decimal-comma locale installed");
	cr_expect_eq(vet_json_number(sp("2.5"), &d), 0);
	cr_expect_eq(d, 2.5);
	setlocale(LC_NUMERIC, "C");
}

Test(json, int)
{
	int64_t i;

	cr_expect_eq(vet_json_int(sp("0"), &i), 0);
	cr_expect_eq(i, 0);
	cr_expect_eq(vet_json_int(sp("-0"), &i), 0);
	cr_expect_eq(i, 0);
	cr_expect_eq(vet_json_int(sp("8000"), &i), 0);
	cr_expect_eq(i, 8000);
	cr_expect_eq(vet_json_int(sp("9223372036854775807"), &i), 0);
	cr_expect_eq(i, INT64_MAX);
	cr_expect_eq(vet_json_int(sp("-9223372036854775808"), &i), 0);
	cr_expect_eq(i, INT64_MIN);
	cr_expect_eq(vet_json_int(sp("9223372036854775808"), &i), VET_EDATA);
	cr_expect_eq(vet_json_int(sp("-9223372036854775809"), &i),
	    VET_EDATA);
	cr_expect_eq(vet_json_int(sp("1.0"), &i), VET_EDATA);
	cr_expect_eq(vet_json_int(sp("1e2"), &i), VET_EDATA);
	cr_expect_eq(vet_json_int(sp("true"), &i), VET_EDATA);
	cr_expect_eq(vet_json_int(sp("-"), &i), VET_EDATA);
}

static void
expect_added(const char *in, size_t n, const char *want)
{
	struct vet_buf b = VET_BUF_INIT;
	struct vet_error err;

	cr_assert_eq(vet_json_add_string(&b, in, n), 0);
	cr_expect_eq(b.len, strlen(want));
	cr_expect_str_eq(vet_buf_str(&b), want);
	cr_expect_eq(vet_json_validate(b.data, b.len, &err), 0,
	    "not valid JSON: %s", err.msg);
	vet_buf_release(&b);
}

Test(json, add_string)
{
	expect_added("", 0, "\"\"");
	expect_added("plain", 5, "\"plain\"");
	expect_added("a\"b\\c", 5, "\"a\\\"b\\\\c\"");
	expect_added("\b\f\n\r\t", 5, "\"\\b\\f\\n\\r\\t\"");
	expect_added("\x01\x1f", 2, "\"\\u0001\\u001f\"");
	expect_added("a\0b", 3, "\"a\\u0000b\"");
	expect_added("/\x7F", 2, "\"/\x7F\"");
	expect_added("北京市朝阳区", strlen("北京市朝阳区"),
	    "\"北京市朝阳区\"");
	expect_added("😀", 4, "\"😀\"");
	/* Invalid UTF-8: one U+FFFD per maximal ill-formed subpart. */
	expect_added("a\xFF" "b", 3, "\"a\xEF\xBF\xBD" "b\"");
	expect_added("\xC0\xAF", 2, "\"\xEF\xBF\xBD\xEF\xBF\xBD\"");
	expect_added("\xED\xA0\x80", 3,
	    "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"");
	expect_added("\xE4\xB8", 2, "\"\xEF\xBF\xBD\"");
	expect_added("\xE4\xB8x", 3, "\"\xEF\xBF\xBDx\"");
	expect_added("\xF0\x9F\x98", 3, "\"\xEF\xBF\xBD\"");
	expect_added("\xF4\x90\x80\x80", 4, "\"\xEF\xBF\xBD\xEF\xBF\xBD"
	    "\xEF\xBF\xBD\xEF\xBF\xBD\"");
	/* The 8-byte path, with a special byte at each position. */
	expect_added("abcdefghijklmnop\"rs", 19,
	    "\"abcdefghijklmnop\\\"rs\"");
	expect_added("abcdefg\nhijklmnop", 17, "\"abcdefg\\nhijklmnop\"");
	/* A run goes on over valid UTF-8, and stops at what is not. */
	expect_added("中文\"x", strlen("中文\"x"), "\"中文\\\"x\"");
	expect_added("中\xFF文", strlen("中\xFF文"), "\"中\xEF\xBF\xBD文\"");
	expect_added("北京市朝阳区奥运村街道\t东里",
	    strlen("北京市朝阳区奥运村街道\t东里"),
	    "\"北京市朝阳区奥运村街道\\t东里\"");
	expect_added("ab中\xE4\xB8", strlen("ab中\xE4\xB8"),
	    "\"ab中\xEF\xBF\xBD\"");
}

Test(json, add_string_round_trip)
{
	struct vet_buf b = VET_BUF_INIT, d = VET_BUF_INIT;
	struct vet_span v;
	char s[256];
	size_t i;

	for (i = 0; i < 128; i++)
		s[i] = (char)i;
	memcpy(s + 128, "中文", 6);
	cr_assert_eq(vet_json_add_string(&b, s, 134), 0);
	v.p = b.data;
	v.n = b.len;
	cr_assert_eq(vet_json_validate(v.p, v.n, NULL), 0);
	cr_assert_eq(vet_json_unescape(&d, v), 0);
	cr_expect_eq(d.len, 134);
	cr_expect(memcmp(d.data, s, 134) == 0);
	cr_expect(vet_json_string_eq_n(v, s, 134));
	vet_buf_release(&b);
	vet_buf_release(&d);
}

/*
 * The string cursor hands out the bytes vet_json_unescape() writes, escapes
 * and surrogate pairs included, then -1; the reconciler compares strings
 * with it.
 */
Test(json, string_cursor_decodes_as_unescape)
{
	static const char *const cases[] = {
		"\"\"", "\"plain\"", "\"a\\\"b\\\\c\\/d\"",
		"\"\\b\\f\\n\\r\\t\"", "\"\\u0041\\u00e9\\u4e2d\"",
		"\"\\ud83d\\ude00 x\"", "\"中文\\u6587\"",
	};
	struct vet_json_scur c;
	struct vet_buf want = VET_BUF_INIT;
	struct vet_error err;
	size_t i, k;
	int b;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		cr_assert_eq(val(cases[i], &err), 0, "%s", cases[i]);
		vet_buf_reset(&want);
		cr_assert_eq(vet_json_unescape(&want, sp(cases[i])), 0);
		vet_json_scur_init(&c, sp(cases[i]));
		for (k = 0; (b = vet_json_scur_next(&c)) >= 0; k++) {
			cr_assert_lt(k, want.len, "%s: too many bytes",
			    cases[i]);
			cr_assert_eq(b, (unsigned char)want.data[k], "%s: "
			    "byte %zu", cases[i], k);
		}
		cr_assert_eq(k, want.len, "%s: too few bytes", cases[i]);
		cr_assert_eq(vet_json_scur_next(&c), -1);
	}
	vet_buf_release(&want);
}

/*
 * vet_json_scan_record() fills a field per member of the record's object:
 * key_escaped when the key holds an escape, val_escaped when the value is
 * a string holding one (never for another value, nor for a string value
 * after an escaped key), the spans and the type, compact or spaced.
 */
Test(json, scan_record_escape_flags)
{
	static const char *const lines[] = {
		"{\"a\":\"x\\n\",\"b\":\"y\",\"c\\u0064\":1,\"e\\t\":\"z\","
		    "\"f\":[\"\\u0041\"],\"g\\\"\":{\"h\":\"\\\\\"},\"i\":true}",
		" { \"a\" : \"x\\n\" , \"b\":\"y\" ,\"c\\u0064\" :1, \"e\\t\": "
		    "\"z\",\"f\":[ \"\\u0041\" ] ,\"g\\\"\":{ \"h\":\"\\\\\"},"
		    "\"i\":true } ",
	};
	static const struct {
		const char *key, *val;
		enum vet_json_type type;
		int kesc, vesc;
	} want[] = {
		{ "a", "\"x\\n\"", VET_JSON_STRING, 0, 1 },
		{ "b", "\"y\"", VET_JSON_STRING, 0, 0 },
		{ "c\\u0064", "1", VET_JSON_NUMBER, 1, 0 },
		{ "e\\t", "\"z\"", VET_JSON_STRING, 1, 0 },
		{ "f", "[\"\\u0041\"]", VET_JSON_ARRAY, 0, 0 },
		{ "g\\\"", "{\"h\":\"\\\\\"}", VET_JSON_OBJECT, 1, 0 },
		{ "i", "true", VET_JSON_TRUE, 0, 0 },
	};
	struct vet_record r;
	struct vet_error err;
	const struct vet_field *f;
	size_t i, k, n = sizeof want / sizeof want[0];

	vet_record_init(&r);
	for (i = 0; i < sizeof lines / sizeof lines[0]; i++) {
		vet_error_clear(&err);
		cr_assert_eq(vet_json_scan_record(lines[i], strlen(lines[i]),
		    &r, &err), 0, "%s: %s", lines[i], err.msg);
		cr_assert_eq(r.n, n, "%s: %zu fields", lines[i], r.n);
		for (k = 0; k < n; k++) {
			f = &r.fields[k];
			cr_assert(f->key.n == strlen(want[k].key) &&
			    memcmp(f->key.p, want[k].key, f->key.n) == 0,
			    "line %zu field %zu: key %.*s", i, k,
			    (int)f->key.n, f->key.p);
			if (i == 0)
				cr_assert(f->val.n == strlen(want[k].val) &&
				    memcmp(f->val.p, want[k].val,
				    f->val.n) == 0, "field %zu: value %.*s",
				    k, (int)f->val.n, f->val.p);
			cr_assert_eq(f->type, want[k].type, "line %zu field "
			    "%zu: type %d", i, k, (int)f->type);
			cr_assert_eq(f->key_escaped, want[k].kesc,
			    "line %zu field %zu: key_escaped", i, k);
			cr_assert_eq(f->val_escaped, want[k].vesc,
			    "line %zu field %zu: val_escaped", i, k);
		}
	}
	vet_record_release(&r);
}
