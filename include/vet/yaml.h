/*
 * yaml.h - a strict, bounded YAML reader for policy and mapping files,
 * built on libyaml's event API.
 *
 * Ownership: vet_yaml_load() fills a struct vet_yaml_doc that owns every
 * node and string in it (one arena); vet_yaml_release() frees them all.
 * Node pointers are valid until then.  The text passed in is not kept.
 *
 * Strictness and bounds, all refused at load with file, line and column:
 * a duplicate key in a mapping ("duplicate key 'x'" at the second one; keys
 * compare by their text, so 'a' and "a" are the same key); a non-scalar
 * mapping key; a merge key (a plain `<<`); more than VET_YAML_MAX_DEPTH
 * sequences and mappings nested within one another, refused at the first
 * one too deep without reading further; more than VET_YAML_MAX_NODES nodes,
 * counting every alias as the full size of what it refers to (so an alias
 * bomb is refused after a bounded amount of work, without expanding it); an
 * alias to an unknown anchor or to a node that contains it; a scalar that
 * holds a NUL byte (from a "\0" escape); a second document in the stream;
 * any error from libyaml (syntax, invalid UTF-8, control characters), with
 * libyaml's own wording.  Input must be UTF-8 (a UTF-8 byte order mark is
 * allowed).  Tags are ignored.  An empty file, or one of only comments,
 * loads as a document whose root is NULL; "---" alone loads as an empty
 * plain scalar.
 *
 * Aliases are not copied: an alias is a second pointer to the anchored
 * node, so the tree is a DAG and a node may be reached more than once.
 * Positions (node line/col and err->line/col) are 1-based, and columns
 * count bytes, not characters.
 */
#ifndef VET_YAML_H
#define VET_YAML_H

#include <stddef.h>

#include "vet/error.h"

#define VET_YAML_MAX_DEPTH 64
#define VET_YAML_MAX_NODES 100000

enum vet_yaml_kind {
	VET_YAML_SCALAR,
	VET_YAML_SEQ,
	VET_YAML_MAP
};

struct vet_yaml_node {
	enum vet_yaml_kind kind;
	long line, col;		/* 1-based position of the node's start */
	/* SCALAR: the value, NUL-terminated; quoted is true for '...' "..."
	 * and block scalars, so that a plain `yes` and a quoted "yes" can be
	 * told apart. */
	const char *str;
	size_t len;
	int quoted;
	/* SEQ: items[0..n); MAP: keys[0..n) (scalars) and items[0..n). */
	struct vet_yaml_node **keys;
	struct vet_yaml_node **items;
	size_t n;
};

struct vet_yaml_doc {
	struct vet_yaml_node *root;
	char file[256];
	void *arena;		/* private */
};

/*
 * Parses text [p, p + n) read from file (used in messages only).
 * Returns 0, VET_ECONFIG with err->file/line/col/msg set, VET_ENOMEM, or
 * VET_EINTERNAL when libyaml cannot be loaded (dl.h; err says why).  On
 * failure doc holds nothing and need not be released.
 */
int vet_yaml_load(struct vet_yaml_doc *doc, const char *file, const char *p,
    size_t n, struct vet_error *err);
void vet_yaml_release(struct vet_yaml_doc *doc);

/* The value of key in a MAP node, or NULL (also when node is not a MAP). */
const struct vet_yaml_node *vet_yaml_get(const struct vet_yaml_node *map,
    const char *key);

/*
 * True when s is a snake_case name: a lower-case ASCII letter, then
 * lower-case letters, digits and underscores.  The field, code and
 * category names of policy and mapping files are such names.
 */
int vet_yaml_is_name(const char *s);

/* Fills err with "FILE:LINE:COL" of node and the message; returns
 * VET_ECONFIG.  For the checks that callers make on the tree. */
int vet_yaml_error(const struct vet_yaml_doc *doc,
    const struct vet_yaml_node *node, struct vet_error *err,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

#endif
