/*
 * test_yaml.c - the strict, bounded YAML reader (yaml.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <criterion/criterion.h>

#include "vet/error.h"
#include "vet/yaml.h"

static struct vet_yaml_doc doc;
static struct vet_error err;

static int
load(const char *s)
{
	vet_error_clear(&err);
	return vet_yaml_load(&doc, "t.yaml", s, strlen(s), &err);
}

static int
load_n(const char *s, size_t n)
{
	vet_error_clear(&err);
	return vet_yaml_load(&doc, "t.yaml", s, n, &err);
}

/* Reads tests/data/yaml/NAME whole; the caller frees it. */
static char *
slurp(const char *name, size_t *n)
{
	char path[1024];
	FILE *f;
	char *p;
	long len;

	snprintf(path, sizeof path, "%s/yaml/%s", VET_TEST_DATA, name);
	f = fopen(path, "rb");
	cr_assert_not_null(f, "cannot open %s", path);
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	p = malloc((size_t)len + 1);
	cr_assert_not_null(p);
	cr_assert_eq(fread(p, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	p[len] = '\0';
	*n = (size_t)len;
	return p;
}

static int
load_file(const char *name)
{
	size_t n;
	char *p = slurp(name, &n);
	int rc;

	vet_error_clear(&err);
	rc = vet_yaml_load(&doc, name, p, n, &err);
	free(p);
	return rc;
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
assert_refused(long line, long col, const char *msg_part)
{
	cr_assert_eq(err.status, VET_ECONFIG, "status %d", err.status);
	cr_assert_eq(err.line, line, "line %ld, want %ld (%s)", err.line,
	    line, err.msg);
	cr_assert_eq(err.col, col, "col %ld, want %ld (%s)", err.col, col,
	    err.msg);
	cr_assert(strstr(err.msg, msg_part) != NULL, "msg '%s' lacks '%s'",
	    err.msg, msg_part);
	cr_assert_null(doc.root);
	cr_assert_null(doc.arena);
}

static const struct vet_yaml_node *
scalar_at(const struct vet_yaml_node *map, const char *key, const char *want)
{
	const struct vet_yaml_node *v = vet_yaml_get(map, key);

	cr_assert_not_null(v, "no key '%s'", key);
	cr_assert_eq(v->kind, VET_YAML_SCALAR, "'%s' is not a scalar", key);
	cr_assert_str_eq(v->str, want);
	cr_assert_eq(v->len, strlen(want));
	return v;
}

Test(yaml, nested_file)
{
	const struct vet_yaml_node *r, *cats, *c0, *c1, *params, *steps, *v;

	cr_assert_eq(load_file("nested.yaml"), 0, "%s", err.msg);
	r = doc.root;
	cr_assert_not_null(r);
	cr_assert_eq(r->kind, VET_YAML_MAP);
	cr_assert_eq(r->n, 5);
	cr_assert_str_eq(doc.file, "nested.yaml");
	cr_assert_eq(r->line, 2);
	cr_assert_eq(r->col, 1);
	cr_assert_str_eq(r->keys[0]->str, "name");
	cr_assert_str_eq(r->keys[4]->str, "empty");
	v = scalar_at(r, "name", "beijing-2023");
	cr_assert_eq(v->line, 2);
	cr_assert_eq(v->col, 7);
	cr_assert_not(v->quoted);
	scalar_at(r, "version", "3");

	cats = vet_yaml_get(r, "categories");
	cr_assert_not_null(cats);
	cr_assert_eq(cats->kind, VET_YAML_SEQ);
	cr_assert_eq(cats->n, 2);
	cr_assert_null(cats->keys);
	c0 = cats->items[0];
	c1 = cats->items[1];
	cr_assert_eq(c0->kind, VET_YAML_MAP);
	cr_assert_eq(c0->line, 5);
	cr_assert_eq(c0->col, 5);
	v = scalar_at(c0, "label", "就业补贴");
	cr_assert(v->quoted);
	cr_assert_eq(v->line, 6);
	cr_assert_eq(v->col, 12);
	params = vet_yaml_get(c0, "params");
	cr_assert_eq(params->kind, VET_YAML_MAP);
	cr_assert_eq(params->n, 2);
	cr_assert_eq(params->line, 7);
	cr_assert_eq(params->col, 13);
	v = scalar_at(params, "cap", "2000");
	cr_assert_eq(v->line, 7);
	cr_assert_eq(v->col, 30);
	scalar_at(c1, "label", "training");
	cr_assert(vet_yaml_get(c1, "label")->quoted);
	steps = vet_yaml_get(c1, "steps");
	cr_assert_eq(steps->kind, VET_YAML_SEQ);
	cr_assert_eq(steps->n, 2);
	cr_assert_str_eq(steps->items[1]->str, "review");
	cr_assert_eq(steps->items[1]->col, 21);

	v = scalar_at(r, "notes", "line one\nline two\n");
	cr_assert(v->quoted);
	v = scalar_at(r, "empty", "");
	cr_assert_not(v->quoted);

	cr_assert_null(vet_yaml_get(r, "missing"));
	cr_assert_null(vet_yaml_get(cats, "name"));
	cr_assert_null(vet_yaml_get(NULL, "name"));
	vet_yaml_release(&doc);
	cr_assert_null(doc.root);
	vet_yaml_release(&doc);
}

Test(yaml, quoted_flag)
{
	const struct vet_yaml_node *r;

	cr_assert_eq(load("a: yes\nb: 'yes'\nc: \"yes\"\nd: |\n  yes\n"
	    "e: >\n  yes\n"), 0, "%s", err.msg);
	r = doc.root;
	cr_assert_not(vet_yaml_get(r, "a")->quoted);
	cr_assert(vet_yaml_get(r, "b")->quoted);
	cr_assert(vet_yaml_get(r, "c")->quoted);
	cr_assert(vet_yaml_get(r, "d")->quoted);
	cr_assert(vet_yaml_get(r, "e")->quoted);
	cr_assert_str_eq(vet_yaml_get(r, "b")->str, "yes");
	cr_assert_str_eq(vet_yaml_get(r, "d")->str, "yes\n");
	vet_yaml_release(&doc);
}

Test(yaml, scalar_root_and_escapes)
{
	cr_assert_eq(load("\"tab\\there \\u00e9\"\n"), 0, "%s", err.msg);
	cr_assert_eq(doc.root->kind, VET_YAML_SCALAR);
	cr_assert_str_eq(doc.root->str, "tab\there \xc3\xa9");
	cr_assert_eq(doc.root->line, 1);
	cr_assert_eq(doc.root->col, 1);
	vet_yaml_release(&doc);
}

Test(yaml, byte_columns_after_multibyte_text)
{
	const struct vet_yaml_node *v;

	/* 名称 is 6 bytes but 2 characters: columns are in bytes. */
	cr_assert_eq(load("名称: 值\n"), 0, "%s", err.msg);
	v = vet_yaml_get(doc.root, "名称");
	cr_assert_not_null(v);
	cr_assert_eq(v->line, 1);
	cr_assert_eq(v->col, 9);
	vet_yaml_release(&doc);

	cr_assert_eq(load("a: 1\n名称: [值, x\n"), VET_ECONFIG);
	cr_assert_eq(err.line, 3, "%ld %s", err.line, err.msg);
	cr_assert_eq(err.col, 1, "%ld %s", err.col, err.msg);
}

Test(yaml, empty_collections)
{
	const struct vet_yaml_node *m, *q;

	cr_assert_eq(load("{}"), 0, "%s", err.msg);
	cr_assert_eq(doc.root->kind, VET_YAML_MAP);
	cr_assert_eq(doc.root->n, 0);
	vet_yaml_release(&doc);
	cr_assert_eq(load("[]"), 0, "%s", err.msg);
	cr_assert_eq(doc.root->kind, VET_YAML_SEQ);
	cr_assert_eq(doc.root->n, 0);
	vet_yaml_release(&doc);
	cr_assert_eq(load("m: {}\nq: []\n"), 0, "%s", err.msg);
	m = vet_yaml_get(doc.root, "m");
	q = vet_yaml_get(doc.root, "q");
	cr_assert_eq(m->kind, VET_YAML_MAP);
	cr_assert_eq(m->n, 0);
	cr_assert_null(vet_yaml_get(m, "x"));
	cr_assert_eq(q->kind, VET_YAML_SEQ);
	cr_assert_eq(q->n, 0);
	cr_assert_eq(q->line, 2);
	cr_assert_eq(q->col, 4);
	vet_yaml_release(&doc);
}

/* Every line break libyaml knows moves to line 2, column 1. */
static void
check_break(const char *brk)
{
	char s[64];
	const struct vet_yaml_node *b;

	snprintf(s, sizeof s, "a: x%sb: y%s", brk, brk);
	cr_assert_eq(load(s), 0, "%s", err.msg);
	b = vet_yaml_get(doc.root, "b");
	cr_assert_not_null(b);
	cr_assert_eq(b->line, 2);
	cr_assert_eq(b->col, 4);
	vet_yaml_release(&doc);
	/* A reader error after the break is placed the same way. */
	snprintf(s, sizeof s, "a: x%sb: \x01%s", brk, brk);
	cr_assert_eq(load(s), VET_ECONFIG);
	assert_refused(2, 4, "control characters are not allowed (U+0001)");
}

Test(yaml, line_breaks)
{
	check_break("\n");
	check_break("\r\n");
	check_break("\r");
	check_break("\xc2\x85");		/* NEL */
	check_break("\xe2\x80\xa8");	/* LS */
}

Test(yaml, utf8_bom_accepted)
{
	cr_assert_eq(load("\xef\xbb\xbf" "a: 1\n"), 0, "%s", err.msg);
	cr_assert_str_eq(vet_yaml_get(doc.root, "a")->str, "1");
	vet_yaml_release(&doc);
}

Test(yaml, utf16_refused)
{
	static const char u16[] = "\xff\xfe" "a\0:\0 \0" "1\0\n\0";

	cr_assert_eq(load_n(u16, sizeof u16 - 1), VET_ECONFIG);
	cr_assert_eq(err.line, 1);
	cr_assert_null(doc.root);
}

Test(yaml, duplicate_key)
{
	cr_assert_eq(load_file("dup.yaml"), VET_ECONFIG);
	assert_refused(4, 3, "duplicate key 'subsidy'");
	cr_assert_str_eq(err.file, "dup.yaml");
	cr_assert_str_eq(err.msg, "duplicate key 'subsidy'");
}

Test(yaml, duplicate_key_flow_and_quoted)
{
	/* 'a' and "a" are the same key: quoting does not change the key. */
	cr_assert_eq(load("{a: 1, b: 2, \"a\": 3}"), VET_ECONFIG);
	assert_refused(1, 14, "duplicate key 'a'");
}

Test(yaml, same_key_in_different_maps)
{
	cr_assert_eq(load("- {a: 1, b: 2}\n- {a: 3, b: 4}\n"), 0, "%s",
	    err.msg);
	cr_assert_str_eq(vet_yaml_get(doc.root->items[1], "a")->str, "3");
	vet_yaml_release(&doc);
	cr_assert_eq(load("m:\n  a: 1\n  n:\n    a: 2\na: 3\n"), 0, "%s",
	    err.msg);
	cr_assert_str_eq(vet_yaml_get(doc.root, "a")->str, "3");
	cr_assert_str_eq(vet_yaml_get(vet_yaml_get(vet_yaml_get(doc.root,
	    "m"), "n"), "a")->str, "2");
	vet_yaml_release(&doc);
}

Test(yaml, duplicate_key_message_is_bounded)
{
	char *s = malloc(2 * 300 + 32), *p = s;

	for (int k = 0; k < 2; k++) {
		memset(p, 'k', 300);
		p += 300;
		p += sprintf(p, ": %d\n", k);
	}
	cr_assert_eq(load(s), VET_ECONFIG);
	cr_assert_eq(err.line, 2);
	cr_assert(strstr(err.msg, "...'") != NULL, "%s", err.msg);
	cr_assert_lt(strlen(err.msg), 100);
	free(s);
}

Test(yaml, duplicate_key_message_has_no_controls)
{
	/* The key is a, LF, b, NEL, c, LS. */
	cr_assert_eq(load("\"a\\nb\\u0085c\\u2028\": 1\n"
	    "\"a\\nb\\u0085c\\u2028\": 2\n"), VET_ECONFIG);
	assert_refused(2, 1, "duplicate key 'a?b?c?'");
}

Test(yaml, non_scalar_key)
{
	cr_assert_eq(load("a: 1\n? [x, y]\n: 2\n"), VET_ECONFIG);
	assert_refused(2, 3, "mapping key is not a scalar");
	cr_assert_eq(load("{{a: 1}: 2}"), VET_ECONFIG);
	assert_refused(1, 2, "mapping key is not a scalar");
	cr_assert_eq(load("s: &s [1]\nm: {*s : 2}\n"), VET_ECONFIG);
	assert_refused(2, 5, "mapping key is not a scalar");
}

Test(yaml, merge_key_refused)
{
	cr_assert_eq(load("base: &b {x: 1}\nd:\n  <<: *b\n  y: 2\n"),
	    VET_ECONFIG);
	assert_refused(3, 3, "merge keys ('<<') are not supported");
	/* A quoted "<<" is an ordinary key. */
	cr_assert_eq(load("\"<<\": 1\n"), 0, "%s", err.msg);
	cr_assert_str_eq(vet_yaml_get(doc.root, "<<")->str, "1");
	vet_yaml_release(&doc);
}

/* n opening brackets and n closing ones. */
static char *
brackets(size_t n, const char *open, const char *close)
{
	size_t lo = strlen(open), lc = strlen(close);
	char *s = malloc(n * (lo + lc) + 1), *p = s;

	cr_assert_not_null(s);
	for (size_t i = 0; i < n; i++, p += lo)
		memcpy(p, open, lo);
	for (size_t i = 0; i < n; i++, p += lc)
		memcpy(p, close, lc);
	*p = '\0';
	return s;
}

Test(yaml, depth_limit_exact)
{
	const struct vet_yaml_node *nd;
	char *s = brackets(VET_YAML_MAX_DEPTH, "[", "]");
	int depth = 0;

	cr_assert_eq(load(s), 0, "%s", err.msg);
	for (nd = doc.root; nd->n > 0; nd = nd->items[0])
		depth++;
	cr_assert_eq(depth, VET_YAML_MAX_DEPTH - 1);
	cr_assert_eq(nd->kind, VET_YAML_SEQ);
	vet_yaml_release(&doc);
	free(s);

	s = brackets(VET_YAML_MAX_DEPTH + 1, "[", "]");
	cr_assert_eq(load(s), VET_ECONFIG);
	assert_refused(1, VET_YAML_MAX_DEPTH + 1, "nesting deeper than 64");
	free(s);
}

static void
refuse_deep_fast(const char *open, const char *close, long line, long col)
{
	char *s = brackets(100000, open, close);
	double t0 = now(), dt;

	cr_assert_eq(load(s), VET_ECONFIG, "%s", err.msg);
	dt = now() - t0;
	assert_refused(line, col, "nesting deeper than 64");
	/* Milliseconds in practice; the bound allows for sanitizers. */
	cr_assert_lt(dt, 0.25, "took %.3f s", dt);
	free(s);
}

Test(yaml, deep_flow_seq_refused_fast)
{
	refuse_deep_fast("[", "]", 1, 65);
}

Test(yaml, deep_flow_map_refused_fast)
{
	refuse_deep_fast("{a: ", "}", 1, 64 * 4 + 1);
}

Test(yaml, deep_block_seq_refused_fast)
{
	refuse_deep_fast("- ", "", 1, 64 * 2 + 1);
}

Test(yaml, alias_bomb_refused)
{
	double t0 = now(), dt;

	cr_assert_eq(load_file("lol.yaml"), VET_ECONFIG);
	dt = now() - t0;
	/*
	 * a is 10 nodes, b 91, c 820, d 7381, e 66430; with the root map and
	 * its keys, lines 1-5 make 74737 nodes, and the first alias to e on
	 * line 6 crosses 100000.
	 */
	cr_assert_eq(err.line, 6, "%ld %s", err.line, err.msg);
	cr_assert_eq(err.col, 8, "%ld %s", err.col, err.msg);
	cr_assert(strstr(err.msg, "more than 100000 nodes") != NULL, "%s",
	    err.msg);
	cr_assert_str_eq(err.file, "lol.yaml");
	cr_assert_null(doc.root);
	cr_assert_lt(dt, 0.25, "took %.3f s", dt);
}

Test(yaml, node_budget_exact)
{
	/* A sequence of k plain scalars is k + 1 nodes. */
	size_t k = VET_YAML_MAX_NODES - 1;
	char *s = malloc(2 * (k + 1) + 3), *p = s;

	*p++ = '[';
	for (size_t i = 0; i < k; i++) {
		*p++ = '1';
		*p++ = ',';
	}
	p[-1] = ']';
	*p = '\0';
	cr_assert_eq(load(s), 0, "%s", err.msg);
	cr_assert_eq(doc.root->n, k);
	vet_yaml_release(&doc);
	/* One item more is one node too many. */
	memcpy(p - 1, ",1]", 4);
	cr_assert_eq(load(s), VET_ECONFIG);
	assert_refused(1, (long)(2 * k + 2), "more than 100000 nodes");
	free(s);
}

Test(yaml, aliases_share_and_count)
{
	const struct vet_yaml_node *r, *a, *b;

	cr_assert_eq(load("defaults: &d {rate: 0.5, cap: 2000}\n"
	    "x: *d\ny: *d\nname: &n bob\nwho: *n\n"), 0, "%s", err.msg);
	r = doc.root;
	a = vet_yaml_get(r, "defaults");
	b = vet_yaml_get(r, "y");
	cr_assert_eq(a, b);
	cr_assert_eq(vet_yaml_get(r, "x"), a);
	cr_assert_str_eq(vet_yaml_get(b, "cap")->str, "2000");
	cr_assert_str_eq(vet_yaml_get(r, "who")->str, "bob");
	vet_yaml_release(&doc);

	/* A redefined anchor refers to its latest node. */
	cr_assert_eq(load("- &a 1\n- &a 2\n- *a\n"), 0, "%s", err.msg);
	cr_assert_str_eq(doc.root->items[2]->str, "2");
	vet_yaml_release(&doc);

	/* An alias used as a key is its scalar; duplicates still count. */
	cr_assert_eq(load("- &k name\n- {*k : 1, name: 2}\n"), VET_ECONFIG);
	assert_refused(2, 12, "duplicate key 'name'");
}

Test(yaml, bad_aliases)
{
	cr_assert_eq(load("a: 1\nb: *nowhere\n"), VET_ECONFIG);
	assert_refused(2, 4, "unknown anchor 'nowhere'");
	cr_assert_eq(load("a: &x [1, *x]\n"), VET_ECONFIG);
	assert_refused(1, 11, "alias 'x' refers to a node that contains it");
}

Test(yaml, invalid_utf8)
{
	cr_assert_eq(load_file("bad-utf8.yaml"), VET_ECONFIG);
	assert_refused(2, 14, "invalid leading UTF-8 octet (byte 0xFF)");
	cr_assert_str_eq(err.file, "bad-utf8.yaml");
	/* A code point outside YAML's set, after a multi-byte character. */
	cr_assert_eq(load("a: x\nb: \xc3\xa9\xef\xbf\xbe\n"), VET_ECONFIG);
	assert_refused(2, 6, "control characters are not allowed (U+FFFE)");
	cr_assert_eq(load("a: x\nb: \xe2\x82"), VET_ECONFIG);
	assert_refused(2, 4, "incomplete UTF-8 octet sequence");
}

Test(yaml, nul_byte_in_input)
{
	cr_assert_eq(load_file("nul.yaml"), VET_ECONFIG);
	assert_refused(2, 9, "control characters are not allowed (U+0000)");
}

Test(yaml, nul_escape_refused)
{
	cr_assert_eq(load("a: \"x\\0y\"\n"), VET_ECONFIG);
	assert_refused(1, 4, "scalar contains a NUL byte");
}

Test(yaml, truncated)
{
	cr_assert_eq(load("a: [1, 2\n"), VET_ECONFIG);
	cr_assert_eq(err.line, 2, "%ld %s", err.line, err.msg);
	cr_assert_eq(err.col, 1, "%ld %s", err.col, err.msg);
	cr_assert(strstr(err.msg, "did not find expected ',' or ']'") !=
	    NULL, "%s", err.msg);
	cr_assert(strstr(err.msg, "line 1, column 4") != NULL, "%s", err.msg);
	cr_assert_eq(load("a: \"unterminated\n"), VET_ECONFIG);
	cr_assert_eq(err.line, 2, "%ld %s", err.line, err.msg);
	cr_assert(strstr(err.msg, "unexpected end of stream") != NULL, "%s",
	    err.msg);
}

Test(yaml, syntax_errors)
{
	cr_assert_eq(load("a: 1\n b: 2\n"), VET_ECONFIG);
	cr_assert_eq(err.line, 2, "%ld %s", err.line, err.msg);
	cr_assert_eq(err.col, 3, "%ld %s", err.col, err.msg);
	cr_assert(strstr(err.msg, "mapping values are not allowed") != NULL,
	    "%s", err.msg);
	cr_assert_null(doc.root);

	cr_assert_eq(load("a: 1\nb: 2\n\t- c\n"), VET_ECONFIG);
	cr_assert_eq(err.line, 3, "%ld %s", err.line, err.msg);
	cr_assert_eq(err.col, 1, "%ld %s", err.col, err.msg);

	cr_assert_eq(load("key: value\n- item\n"), VET_ECONFIG);
	cr_assert_eq(err.line, 2, "%ld %s", err.line, err.msg);
	cr_assert_eq(err.col, 1, "%ld %s", err.col, err.msg);
	cr_assert(strstr(err.msg, "did not find expected key") != NULL, "%s",
	    err.msg);
}

Test(yaml, empty_documents)
{
	cr_assert_eq(load(""), 0, "%s", err.msg);
	cr_assert_null(doc.root);
	vet_yaml_release(&doc);
	cr_assert_eq(load_n(NULL, 0), 0, "%s", err.msg);
	cr_assert_null(doc.root);
	vet_yaml_release(&doc);
	cr_assert_eq(load("# only a comment\n\n"), 0, "%s", err.msg);
	cr_assert_null(doc.root);
	vet_yaml_release(&doc);
	/* An explicit empty document is one empty plain scalar (null). */
	cr_assert_eq(load("---\n"), 0, "%s", err.msg);
	cr_assert_not_null(doc.root);
	cr_assert_eq(doc.root->kind, VET_YAML_SCALAR);
	cr_assert_eq(doc.root->len, 0);
	cr_assert_not(doc.root->quoted);
	vet_yaml_release(&doc);
}

Test(yaml, two_documents_refused)
{
	cr_assert_eq(load_file("two-docs.yaml"), VET_ECONFIG);
	assert_refused(2, 1, "more than one document");
	/* An end marker with nothing after it is still one document. */
	cr_assert_eq(load("a: 1\n...\n"), 0, "%s", err.msg);
	vet_yaml_release(&doc);
	cr_assert_eq(load("--- a\n--- b\n"), VET_ECONFIG);
	assert_refused(2, 1, "more than one document");
}

Test(yaml, long_scalar)
{
	size_t n = 4 << 20;
	char *s = malloc(n + 8);

	memcpy(s, "k: ", 3);
	memset(s + 3, 'x', n);
	memcpy(s + 3 + n, "\n", 2);
	cr_assert_eq(load(s), 0, "%s", err.msg);
	cr_assert_eq(vet_yaml_get(doc.root, "k")->len, n);
	cr_assert_eq(vet_yaml_get(doc.root, "k")->str[n - 1], 'x');
	cr_assert_eq(vet_yaml_get(doc.root, "k")->str[n], '\0');
	vet_yaml_release(&doc);
	free(s);
}

Test(yaml, many_keys)
{
	/* Wide maps must not cost quadratic time in the duplicate check. */
	size_t k = 40000;
	char *s = malloc(k * 16), *p = s;
	double t0, dt;

	for (size_t i = 0; i < k; i++)
		p += sprintf(p, "k%zu: %zu\n", i, i);
	t0 = now();
	cr_assert_eq(load(s), 0, "%s", err.msg);
	dt = now() - t0;
	cr_assert_eq(doc.root->n, k);
	cr_assert_str_eq(doc.root->keys[k - 1]->str, "k39999");
	cr_assert_eq(doc.root->items[k - 1]->line, (long)k);
	cr_assert_lt(dt, 2.0, "took %.3f s", dt);
	vet_yaml_release(&doc);
	p += sprintf(p, "k17: again\n");
	cr_assert_eq(load(s), VET_ECONFIG);
	assert_refused((long)k + 1, 1, "duplicate key 'k17'");
	free(s);
}

Test(yaml, tags_ignored)
{
	cr_assert_eq(load("a: !!str 1\nb: !custom [x]\n"), 0, "%s", err.msg);
	cr_assert_str_eq(vet_yaml_get(doc.root, "a")->str, "1");
	cr_assert_eq(vet_yaml_get(doc.root, "b")->kind, VET_YAML_SEQ);
	vet_yaml_release(&doc);
}

Test(yaml, error_helper)
{
	const struct vet_yaml_node *v;
	char buf[600];

	cr_assert_eq(load("rules:\n  - when: x\n    rate: abc\n"), 0, "%s",
	    err.msg);
	v = vet_yaml_get(doc.root->items[0], "rate");
	cr_assert_null(v);
	v = vet_yaml_get(vet_yaml_get(doc.root, "rules")->items[0], "rate");
	cr_assert_not_null(v);
	vet_error_clear(&err);
	cr_assert_eq(vet_yaml_error(&doc, v, &err, "bad rate '%s'", v->str),
	    VET_ECONFIG);
	cr_assert_eq(err.status, VET_ECONFIG);
	cr_assert_str_eq(vet_error_format(&err, buf, sizeof buf),
	    "t.yaml:3:11: bad rate 'abc'");
	cr_assert_eq(vet_yaml_error(&doc, NULL, &err, "no rules"),
	    VET_ECONFIG);
	cr_assert_str_eq(vet_error_format(&err, buf, sizeof buf),
	    "t.yaml: no rules");
	cr_assert_eq(vet_yaml_error(&doc, v, NULL, "x"), VET_ECONFIG);
	vet_yaml_release(&doc);
}

Test(yaml, null_err_is_allowed)
{
	cr_assert_eq(vet_yaml_load(&doc, "t.yaml", "a: [", 4, NULL),
	    VET_ECONFIG);
	cr_assert_null(doc.root);
	/* Releasing a document that failed to load is harmless. */
	vet_yaml_release(&doc);
	cr_assert_eq(vet_yaml_load(&doc, "t.yaml", "[*x]", 4, NULL),
	    VET_ECONFIG);
	cr_assert_eq(vet_yaml_load(&doc, NULL, "a: 1", 4, NULL), 0);
	cr_assert_str_eq(doc.file, "");
	vet_yaml_release(&doc);
}

Test(yaml, truncations_never_crash)
{
	size_t n;
	char *p = slurp("nested.yaml", &n);

	/* Every prefix either loads or is refused with a position. */
	for (size_t i = 0; i <= n; i++) {
		int rc = load_n(p, i);

		if (rc == 0)
			vet_yaml_release(&doc);
		else {
			cr_assert_eq(rc, VET_ECONFIG, "prefix %zu", i);
			cr_assert_gt(err.line, 0, "prefix %zu: %s", i,
			    err.msg);
			cr_assert_null(doc.root);
		}
	}
	free(p);
}

Test(yaml, is_name)
{
	cr_assert(vet_yaml_is_name("a"));
	cr_assert(vet_yaml_is_name("training_hours_80"));
	cr_assert(!vet_yaml_is_name(""));
	cr_assert(!vet_yaml_is_name("_a"));
	cr_assert(!vet_yaml_is_name("9a"));
	cr_assert(!vet_yaml_is_name("Training"));
	cr_assert(!vet_yaml_is_name("a-b"));
	cr_assert(!vet_yaml_is_name("就业"));
}
