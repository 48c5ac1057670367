/*
 * policy_tests.c - the tests: section of a policy file, the records with
 * the categories and measures they must get (vet-classify --check-policy).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vet/event.h"
#include "vet/schema.h"
#include "policy_impl.h"
#include "policy_load.h"

static int
yaml_to_json(struct loader *L, ynode *n, struct vet_buf *b, int depth)
{
	const char *s;
	size_t i;
	char *end;
	int e = 0;

	if (depth > 16)
		return YERR(L, n, "test record nested too deeply");
	switch (n->kind) {
	case VET_YAML_MAP:
		e = vet_buf_addch(b, '{');
		for (i = 0; e == 0 && i < n->n; i++) {
			if (i > 0)
				e = vet_buf_addch(b, ',');
			if (e == 0)
				e = vet_json_add_string(b, n->keys[i]->str,
				    n->keys[i]->len);
			if (e == 0)
				e = vet_buf_addch(b, ':');
			if (e == 0)
				e = yaml_to_json(L, n->items[i], b, depth + 1);
		}
		if (e == 0)
			e = vet_buf_addch(b, '}');
		break;
	case VET_YAML_SEQ:
		e = vet_buf_addch(b, '[');
		for (i = 0; e == 0 && i < n->n; i++) {
			if (i > 0)
				e = vet_buf_addch(b, ',');
			if (e == 0)
				e = yaml_to_json(L, n->items[i], b, depth + 1);
		}
		if (e == 0)
			e = vet_buf_addch(b, ']');
		break;
	default:
		s = n->str;
		if (!n->quoted && (strcmp(s, "null") == 0 ||
		    strcmp(s, "~") == 0 || n->len == 0))
			return vet_buf_addstr(b, "null");
		if (!n->quoted && (strcmp(s, "true") == 0 ||
		    strcmp(s, "false") == 0))
			return vet_buf_addstr(b, s);
		if (!n->quoted && (isdigit((unsigned char)s[0]) ||
		    (s[0] == '-' && isdigit((unsigned char)s[1])))) {
			errno = 0;
			(void)strtod(s, &end);
			if (*end == '\0' && errno == 0 &&
			    vet_json_validate(s, n->len, NULL) == 0)
				return vet_buf_add(b, s, n->len);
		}
		return vet_json_add_string(b, s, n->len);
	}
	return e;
}

static int
code_list(struct loader *L, ynode *n, const struct vet_pitem *items,
    size_t nitems, const char *what, const char ***out, size_t *nout)
{
	size_t i, j;
	int e;

	if ((e = get_seq(L, n, what)) < 0)
		return e;
	if ((*out = xcalloc(n->n, sizeof **out)) == NULL)
		return nomem(L);
	for (i = 0; i < n->n; i++) {
		if ((e = get_str(L, n->items[i], what, &(*out)[i])) < 0)
			return e;
		for (j = 0; j < nitems; j++)
			if (strcmp(items[j].code, (*out)[i]) == 0)
				break;
		if (j == nitems)
			return YERR(L, n->items[i], "unknown %s '%s'", what,
			    (*out)[i]);
	}
	*nout = n->n;
	return 0;
}

/* A test's event log: a list of mappings, each an event as JSON. */
static int
test_events(struct loader *L, ynode *n, struct vet_ptest *t,
    struct vet_buf *b)
{
	size_t i;
	int e;

	if ((e = get_seq(L, n, "test events")) < 0)
		return e;
	if ((t->events = xcalloc(n->n, sizeof *t->events)) == NULL)
		return nomem(L);
	for (i = 0; i < n->n; i++) {
		if (n->items[i]->kind != VET_YAML_MAP)
			return YERR(L, n->items[i], "a test event must be a "
			    "mapping");
		vet_buf_reset(b);
		if ((e = yaml_to_json(L, n->items[i], b, 0)) < 0)
			return e == VET_ENOMEM ? nomem(L) : e;
		if ((t->events[i] = malloc(b->len + 1)) == NULL)
			return nomem(L);
		memcpy(t->events[i], b->data, b->len + 1);
		t->nevents++;
	}
	return 0;
}

int
load_tests(struct loader *L, ynode *n)
{
	static const char *const keys[] = { "name", "as_of", "record",
		"categories", "measures", "priority", "working_age", "age",
		"events", NULL };
	struct vet_policy *p = L->p;
	struct vet_buf b = VET_BUF_INIT;
	struct vet_ptest *t;
	ynode *tn, *v;
	size_t i;
	int e;

	if ((e = get_seq(L, n, "tests")) < 0)
		return e;
	if ((p->tests = xcalloc(n->n, sizeof *p->tests)) == NULL)
		return nomem(L);
	for (i = 0; i < n->n; i++) {
		tn = n->items[i];
		t = &p->tests[i];
		t->line = tn->line;
		t->col = tn->col;
		t->priority = t->working_age = t->age = -1;
		p->ntests++;
		if ((e = check_keys(L, tn, "test", keys)) < 0 ||
		    (e = member(L, tn, "name", 1, &v)) < 0 ||
		    (e = get_str(L, v, "test name", &t->name)) < 0 ||
		    (e = member(L, tn, "as_of", 1, &v)) < 0 ||
		    (e = get_date(L, v, "as_of", &t->as_of)) < 0 ||
		    (e = member(L, tn, "categories", 1, &v)) < 0 ||
		    (e = code_list(L, v, p->cats, p->ncats, "category",
		    &t->cats, &t->ncats)) < 0 ||
		    (e = member(L, tn, "measures", 1, &v)) < 0 ||
		    (e = code_list(L, v, p->meas, p->nmeas, "measure",
		    &t->meas, &t->nmeas)) < 0)
			goto out;
		if ((v = vet_yaml_get(tn, "priority")) != NULL &&
		    (e = get_int(L, v, "priority", 0, 99, &t->priority)) < 0)
			goto out;
		if ((v = vet_yaml_get(tn, "working_age")) != NULL &&
		    (e = get_bool(L, v, "working_age", &t->working_age)) < 0)
			goto out;
		if ((v = vet_yaml_get(tn, "age")) != NULL &&
		    (e = get_int(L, v, "age", 0, 200, &t->age)) < 0)
			goto out;
		if ((e = member(L, tn, "record", 1, &v)) < 0)
			goto out;
		if (v->kind != VET_YAML_MAP) {
			e = YERR(L, v, "a test record must be a mapping");
			goto out;
		}
		vet_buf_reset(&b);
		if ((e = yaml_to_json(L, v, &b, 0)) < 0) {
			if (e == VET_ENOMEM)
				e = nomem(L);
			goto out;
		}
		if ((t->json = malloc(b.len + 1)) == NULL) {
			e = nomem(L);
			goto out;
		}
		memcpy(t->json, b.data, b.len + 1);
		t->len = b.len;
		if ((v = vet_yaml_get(tn, "events")) != NULL &&
		    (e = test_events(L, v, t, &b)) < 0)
			goto out;
	}
	e = 0;
out:
	/* b holds the last test's JSON; every exit must free it. */
	vet_buf_release(&b);
	return e;
}

/* The record keys the rules need, for one lookup per record field. */

void
vet_policy__free_tests(struct vet_ptest *t, size_t n)
{
	size_t i, j;

	if (t == NULL)
		return;
	for (i = 0; i < n; i++) {
		free(t[i].json);
		for (j = 0; j < t[i].nevents; j++)
			free(t[i].events[j]);
		free(t[i].events);
		free(t[i].cats);
		free(t[i].meas);
	}
	free(t);
}

int
vet_policy__tests(const struct vet_policy *p,
    const struct vet_ptest **tests, size_t *n, struct vet_ptest **own,
    struct vet_yaml_doc *doc, struct vet_error *err)
{
	const struct vet_yaml_node *v;
	struct vet_policy tmp;
	struct loader L;
	int e;

	*own = NULL;
	doc->root = NULL;
	doc->arena = NULL;
	if (p->tests_text == NULL) {
		*tests = p->tests;
		*n = p->ntests;
		return 0;
	}
	if ((e = vet_yaml_load(doc, p->file, p->tests_text, p->tests_len,
	    err)) < 0)
		return e;
	*tests = NULL;
	*n = 0;
	if ((v = vet_yaml_get(doc->root, "tests")) == NULL)
		return 0;
	/* A copy takes what load_tests() writes, so that p, shared and
	 * never changed once loaded, stays as it is. */
	tmp = *p;
	tmp.tests = NULL;
	tmp.ntests = 0;
	L.p = &tmp;
	L.err = err;
	L.text = NULL;
	L.n = 0;
	if ((e = load_tests(&L, v)) < 0) {
		vet_policy__free_tests(tmp.tests, tmp.ntests);
		vet_yaml_release(doc);
		return e;
	}
	*own = tmp.tests;
	*tests = tmp.tests;
	*n = tmp.ntests;
	return 0;
}
