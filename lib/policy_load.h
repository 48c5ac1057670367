/*
 * policy_load.h - private to the policy loader: the loader's state and
 * the strict readers its sections share, so that a section of the file
 * (the event log's facts, the tests) can live in a file of its own.
 * Every reader fills L->err with the node's file, line and column and
 * returns a negative status on failure; nothing they return is owned by
 * the caller (strings point into the policy's YAML tree).
 */
#ifndef VET_POLICY_LOAD_H
#define VET_POLICY_LOAD_H

#include "vet/yaml.h"
#include "policy_impl.h"

typedef const struct vet_yaml_node ynode;

struct loader {
	struct vet_policy *p;
	struct vet_error *err;
	const char *text;	/* the YAML text, for positions inside rules */
	size_t n;
};

#define YERR(L, node, ...) vet_yaml_error(&(L)->p->doc, (node), (L)->err, \
	__VA_ARGS__)

int vet_policy__check_keys(struct loader *L, ynode *map, const char *what,
    const char *const *allowed);
int vet_policy__member(struct loader *L, ynode *map, const char *key,
    int required, ynode **out);
int vet_policy__get_str(struct loader *L, ynode *n, const char *what,
    const char **out);
int vet_policy__get_bool(struct loader *L, ynode *n, const char *what,
    int *out);
int vet_policy__get_int(struct loader *L, ynode *n, const char *what,
    long lo, long hi, int *out);
int vet_policy__get_date(struct loader *L, ynode *n, const char *what,
    vet_day *out);
int vet_policy__get_seq(struct loader *L, ynode *n, const char *what);
int vet_policy__nomem(struct loader *L);
void *vet_policy__xcalloc(size_t n, size_t size);
int vet_policy__load_dated(struct loader *L, ynode *n);
int vet_policy__load_facts(struct loader *L, ynode *n);
int vet_policy__load_contradictions(struct loader *L, ynode *n);
int vet_policy__load_tests(struct loader *L, ynode *n);
/*
 * The tests of p in *tests and *n: p's own, or, for a policy whose tests
 * are loaded when run, parsed now from its text into doc and loaded into
 * an array *own, which borrows doc's strings.  The caller frees *own with
 * vet_policy__free_tests() (*own is NULL otherwise), then releases doc
 * (empty otherwise).  0, or VET_ECONFIG or VET_ENOMEM with err set, and
 * then nothing to free or release.
 */
struct vet_ptest;
struct vet_yaml_doc;
int vet_policy__tests(const struct vet_policy *p,
    const struct vet_ptest **tests, size_t *n, struct vet_ptest **own,
    struct vet_yaml_doc *doc, struct vet_error *err);


/* The loader's files call these by their short names. */
#define check_keys(...) vet_policy__check_keys(__VA_ARGS__)
#define member(...) vet_policy__member(__VA_ARGS__)
#define get_str(...) vet_policy__get_str(__VA_ARGS__)
#define get_bool(...) vet_policy__get_bool(__VA_ARGS__)
#define get_int(...) vet_policy__get_int(__VA_ARGS__)
#define get_date(...) vet_policy__get_date(__VA_ARGS__)
#define get_seq(...) vet_policy__get_seq(__VA_ARGS__)
#define nomem(...) vet_policy__nomem(__VA_ARGS__)
#define xcalloc(...) vet_policy__xcalloc(__VA_ARGS__)
#define load_dated(...) vet_policy__load_dated(__VA_ARGS__)
#define load_facts(...) vet_policy__load_facts(__VA_ARGS__)
#define load_contradictions(...) vet_policy__load_contradictions(__VA_ARGS__)
#define load_tests(...) vet_policy__load_tests(__VA_ARGS__)

#endif
