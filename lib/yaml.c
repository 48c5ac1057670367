/*
 * yaml.c - a strict, bounded YAML reader on libyaml's event API (yaml.h).
 *
 * The tree is built without recursion: the open collections live in a fixed
 * stack of VET_YAML_MAX_DEPTH frames, and their children wait in one shared
 * vector of node pointers until the collection ends, when they are copied
 * into the arena as the node's final arrays.  Every bound is checked at the
 * event that would break it, before libyaml is asked for another event, so
 * a hostile document costs work proportional to the bounds, not to its
 * size or to what its aliases would expand to.
 */
#include <stdalign.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "vet/error.h"
#include "vet/hash.h"
#include "vet/yaml.h"
#include "yaml_impl.h"

/*
 * The arena: a list of chunks, bump-allocated.  Allocations too large to
 * share a chunk get one of their own, linked behind the current chunk so
 * that the current chunk keeps serving small allocations.
 */
#define ARENA_CHUNK	(64 * 1024)
#define ARENA_ALIGN	alignof(max_align_t)

struct chunk {
	struct chunk *next;
	size_t used, cap;
	alignas(max_align_t) unsigned char data[];
};

static void
arena_free(struct chunk *c)
{
	struct chunk *next;

	for (; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
}

static void *
arena_alloc(struct chunk **head, size_t n)
{
	struct chunk *c;
	size_t cap;

	if (n > SIZE_MAX - sizeof *c - ARENA_ALIGN)
		return NULL;
	n = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	if (n == 0)
		n = ARENA_ALIGN;
	c = *head;
	if (c != NULL && c->cap - c->used >= n) {
		c->used += n;
		return c->data + c->used - n;
	}
	cap = n > ARENA_CHUNK / 4 ? n : ARENA_CHUNK;
	if ((c = malloc(sizeof *c + cap)) == NULL)
		return NULL;
	c->used = n;
	c->cap = cap;
	if (cap == n && *head != NULL) {
		c->next = (*head)->next;
		(*head)->next = c;
	} else {
		c->next = *head;
		*head = c;
	}
	return c->data;
}

static char *
arena_strdup(struct chunk **head, const char *s, size_t n)
{
	char *d;

	if (n == SIZE_MAX || (d = arena_alloc(head, n + 1)) == NULL)
		return NULL;
	if (n > 0)
		memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

/*
 * An open-addressing hash table from (tag, string) to a number.  It serves
 * both the anchors (tag 0) and the duplicate-key check (the tag is the
 * serial number of the mapping), so that neither costs more than constant
 * time per node however wide the document.
 */
struct ent {
	const char *s;		/* NULL: empty slot */
	size_t len;
	size_t tag;
	size_t val;
};

struct table {
	struct ent *e;
	size_t cap;		/* a power of two, or 0 */
	size_t n;
};

static uint64_t
hash(const char *s, size_t len, size_t tag)
{
	uint64_t h = vet_hash(s, len);

	h ^= (uint64_t)tag * 0x9e3779b97f4a7c15ULL;
	h ^= h >> 29;
	return h;
}

static struct ent *
table_slot(const struct table *t, const char *s, size_t len, size_t tag)
{
	size_t i = (size_t)hash(s, len, tag) & (t->cap - 1);
	struct ent *e;

	for (;; i = (i + 1) & (t->cap - 1)) {
		e = &t->e[i];
		if (e->s == NULL || (e->tag == tag && e->len == len &&
		    memcmp(e->s, s, len) == 0))
			return e;
	}
}

/* The entry for (tag, s), or NULL. */
static struct ent *
table_get(const struct table *t, const char *s, size_t len, size_t tag)
{
	struct ent *e;

	if (t->cap == 0)
		return NULL;
	e = table_slot(t, s, len, tag);
	return e->s != NULL ? e : NULL;
}

/* Sets (tag, s) to val; s must outlive the table.  0 or VET_ENOMEM. */
static int
table_put(struct table *t, const char *s, size_t len, size_t tag, size_t val)
{
	struct table nt;
	struct ent *e;
	size_t i;

	if (t->cap == 0 || (t->n + 1) * 2 > t->cap) {
		nt.cap = t->cap == 0 ? 64 : t->cap * 2;
		nt.n = 0;
		if ((nt.e = calloc(nt.cap, sizeof *nt.e)) == NULL)
			return VET_ENOMEM;
		for (i = 0; i < t->cap; i++) {
			if (t->e[i].s != NULL) {
				*table_slot(&nt, t->e[i].s, t->e[i].len,
				    t->e[i].tag) = t->e[i];
				nt.n++;
			}
		}
		free(t->e);
		*t = nt;
	}
	e = table_slot(t, s, len, tag);
	if (e->s == NULL) {
		e->s = s;
		e->len = len;
		e->tag = tag;
		t->n++;
	}
	e->val = val;
	return 0;
}

/* An anchor: the node it names and, once that node is complete, its size. */
struct anchor {
	struct vet_yaml_node *node;
	size_t size;		/* nodes in the subtree, aliases in full */
	int open;		/* the node has not ended yet */
};

/* An open collection. */
struct frame {
	struct vet_yaml_node *node;
	size_t base;		/* its first child in st->pend */
	size_t count0;		/* st->count before the node was counted */
	size_t anchor;		/* index in st->anchors, or SIZE_MAX */
	size_t serial;		/* MAP: its tag in st->keys */
};

/*
 * Byte columns.  libyaml counts columns in characters; error.h promises
 * byte columns, so positions are converted by walking the input.  Node
 * positions arrive in document order, so a cursor that only moves forward
 * makes the conversion linear overall; a position behind the cursor (an
 * error's context) restarts the walk from the top.
 */
struct cursor {
	const unsigned char *p, *end;
	size_t off;		/* byte offset of the cursor */
	size_t lstart;		/* byte offset of the start of its line */
	size_t line;		/* 0-based line of off */
	size_t col;		/* 0-based character column of off */
};

struct state {
	struct chunk *arena;
	const char *file;
	struct vet_error *err;
	struct cursor cur;
	struct frame frames[VET_YAML_MAX_DEPTH];
	size_t depth;
	struct vet_yaml_node **pend;
	size_t npend, cappend;
	struct anchor *anchors;
	size_t nanchors, capanchors;
	struct table anchor_names;
	struct table keys;
	size_t serial;		/* of the last mapping opened */
	size_t count;		/* nodes so far, aliases in full */
	int docs;		/* DOCUMENT-START events seen */
	struct vet_yaml_node *root;
};

/* The length of the line break at p, or 0: libyaml's line breaks. */
static size_t
break_len(const unsigned char *p, const unsigned char *end)
{
	if (p >= end)
		return 0;
	if (p[0] == '\r')
		return p + 1 < end && p[1] == '\n' ? 2 : 1;
	if (p[0] == '\n')
		return 1;
	if (p[0] == 0xC2 && p + 1 < end && p[1] == 0x85)
		return 2;
	if (p[0] == 0xE2 && p + 2 < end && p[1] == 0x80 &&
	    (p[2] == 0xA8 || p[2] == 0xA9))
		return 3;
	return 0;
}

/* The length of the UTF-8 character at p (1 for a stray byte). */
static size_t
char_len(const unsigned char *p, const unsigned char *end)
{
	size_t n = 1;

	while (p + n < end && (p[n] & 0xC0) == 0x80 && n < 4)
		n++;
	return n;
}

/* The 1-based byte column of libyaml's 0-based (line, column). */
static long
byte_col(struct cursor *c, size_t line, size_t col)
{
	size_t k;

	if (line < c->line || (line == c->line && col < c->col)) {
		c->off = 0;
		c->lstart = 0;
		c->line = 0;
		c->col = 0;
	}
	while (c->line < line && c->p + c->off < c->end) {
		if ((k = break_len(c->p + c->off, c->end)) > 0) {
			c->off += k;
			c->lstart = c->off;
			c->line++;
			c->col = 0;
		} else
			c->off += char_len(c->p + c->off, c->end);
	}
	if (c->line != line)
		return (long)col + 1;
	while (c->col < col && c->p + c->off < c->end &&
	    break_len(c->p + c->off, c->end) == 0) {
		c->off += char_len(c->p + c->off, c->end);
		c->col++;
	}
	/* A mark past the last character of its line counts on in bytes. */
	return (long)(c->off - c->lstart + (col - c->col)) + 1;
}

static void
mark_pos(struct state *st, yaml_mark_t m, long *line, long *col)
{
	*line = (long)m.line + 1;
	*col = byte_col(&st->cur, m.line, m.column);
}

static int
fail(struct state *st, yaml_mark_t m, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
fail(struct state *st, yaml_mark_t m, const char *fmt, ...)
{
	struct vet_error *e = st->err;
	va_list ap;
	long line, col;

	mark_pos(st, m, &line, &col);
	if (e == NULL)
		return VET_ECONFIG;
	vet_error_set(e, VET_ECONFIG, st->file, line, col, "%s", "");
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	return VET_ECONFIG;
}

static int
nomem(struct state *st)
{
	return vet_error_set(st->err, VET_ENOMEM, st->file, 0, 0,
	    "out of memory");
}

/* True for a C0 or C1 control character, DEL, LS or PS of k bytes at p. */
static int
is_control(const unsigned char *p, size_t k)
{
	if (k == 1)
		return p[0] < 0x20 || p[0] == 0x7f;
	if (k == 2)
		return p[0] == 0xC2 && p[1] < 0xA0;
	return k == 3 && p[0] == 0xE2 && p[1] == 0x80 &&
	    (p[2] == 0xA8 || p[2] == 0xA9);
}

/*
 * Copies a key for a message: at most 64 bytes, cut on a character
 * boundary, control characters and line breaks shown as '?', so that a
 * hostile key cannot flood the message or break it across lines.
 */
static void
quote_key(char *out, size_t outsz, const char *s, size_t len)
{
	size_t i, o = 0, k;

	for (i = 0; i < len && o + 8 < outsz; ) {
		k = char_len((const unsigned char *)s + i,
		    (const unsigned char *)s + len);
		if (i + k > 64) {
			memcpy(out + o, "...", 3);
			o += 3;
			break;
		}
		if (is_control((const unsigned char *)s + i, k))
			out[o++] = '?';
		else {
			memcpy(out + o, s + i, k);
			o += k;
		}
		i += k;
	}
	out[o] = '\0';
}

static struct vet_yaml_node *
new_node(struct state *st, enum vet_yaml_kind kind, yaml_mark_t m)
{
	struct vet_yaml_node *nd;

	if ((nd = arena_alloc(&st->arena, sizeof *nd)) == NULL)
		return NULL;
	memset(nd, 0, sizeof *nd);
	nd->kind = kind;
	mark_pos(st, m, &nd->line, &nd->col);
	nd->str = "";
	return nd;
}

/* Counts k more nodes against VET_YAML_MAX_NODES. */
static int
count(struct state *st, size_t k, yaml_mark_t m)
{
	if (k > VET_YAML_MAX_NODES - st->count)
		return fail(st, m, "document has more than %d nodes "
		    "(aliases count in full)", VET_YAML_MAX_NODES);
	st->count += k;
	return 0;
}

/* True when the next child of the innermost collection is a mapping key. */
static int
key_slot(const struct state *st)
{
	const struct frame *f;

	if (st->depth == 0)
		return 0;
	f = &st->frames[st->depth - 1];
	return f->node->kind == VET_YAML_MAP && (st->npend - f->base) % 2 == 0;
}

/* Records an anchor for node; its size is set when the node ends. */
static int
add_anchor(struct state *st, const yaml_char_t *name, struct vet_yaml_node *nd,
    size_t *idx)
{
	struct anchor *a;
	size_t len, cap;
	char *s;

	*idx = SIZE_MAX;
	if (name == NULL)
		return 0;
	if (st->nanchors == st->capanchors) {
		cap = st->capanchors == 0 ? 16 : st->capanchors * 2;
		if ((a = realloc(st->anchors, cap * sizeof *a)) == NULL)
			return nomem(st);
		st->anchors = a;
		st->capanchors = cap;
	}
	len = strlen((const char *)name);
	if ((s = arena_strdup(&st->arena, (const char *)name, len)) == NULL)
		return nomem(st);
	a = &st->anchors[st->nanchors];
	a->node = nd;
	a->size = 1;
	a->open = nd->kind != VET_YAML_SCALAR;
	if (table_put(&st->anchor_names, s, len, 0, st->nanchors) < 0)
		return nomem(st);
	*idx = st->nanchors++;
	return 0;
}

/* Hands a complete node to the innermost collection, or makes it the root. */
static int
add_child(struct state *st, struct vet_yaml_node *nd, yaml_mark_t m)
{
	struct vet_yaml_node **v;
	const struct frame *f;
	char q[80];
	size_t cap;

	if (st->depth == 0) {
		st->root = nd;
		return 0;
	}
	f = &st->frames[st->depth - 1];
	if (key_slot(st)) {
		if (nd->kind != VET_YAML_SCALAR)
			return fail(st, m, "mapping key is not a scalar");
		if (!nd->quoted && strcmp(nd->str, "<<") == 0)
			return fail(st, m,
			    "merge keys ('<<') are not supported");
		if (table_get(&st->keys, nd->str, nd->len, f->serial) != NULL) {
			quote_key(q, sizeof q, nd->str, nd->len);
			return fail(st, m, "duplicate key '%s'", q);
		}
		if (table_put(&st->keys, nd->str, nd->len, f->serial, 0) < 0)
			return nomem(st);
	}
	if (st->npend == st->cappend) {
		cap = st->cappend == 0 ? 256 : st->cappend * 2;
		if ((v = realloc(st->pend, cap * sizeof *v)) == NULL)
			return nomem(st);
		st->pend = v;
		st->cappend = cap;
	}
	st->pend[st->npend++] = nd;
	return 0;
}

static int
on_scalar(struct state *st, const yaml_event_t *ev)
{
	struct vet_yaml_node *nd;
	size_t len = ev->data.scalar.length, idx;
	const char *v = (const char *)ev->data.scalar.value;
	int rc;

	if ((rc = count(st, 1, ev->start_mark)) < 0)
		return rc;
	/* A "\0" escape would make str and len disagree for every caller. */
	if (memchr(v, '\0', len) != NULL)
		return fail(st, ev->start_mark, "scalar contains a NUL byte");
	if ((nd = new_node(st, VET_YAML_SCALAR, ev->start_mark)) == NULL ||
	    (nd->str = arena_strdup(&st->arena, v, len)) == NULL)
		return nomem(st);
	nd->len = len;
	nd->quoted = ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
	if ((rc = add_anchor(st, ev->data.scalar.anchor, nd, &idx)) < 0)
		return rc;
	return add_child(st, nd, ev->start_mark);
}

static int
on_alias(struct state *st, const yaml_event_t *ev)
{
	const char *name = (const char *)ev->data.alias.anchor;
	const struct anchor *a;
	const struct ent *e;
	char q[80];
	int rc;

	e = table_get(&st->anchor_names, name, strlen(name), 0);
	if (e == NULL) {
		quote_key(q, sizeof q, name, strlen(name));
		return fail(st, ev->start_mark, "unknown anchor '%s'", q);
	}
	a = &st->anchors[e->val];
	if (a->open) {
		quote_key(q, sizeof q, name, strlen(name));
		return fail(st, ev->start_mark,
		    "alias '%s' refers to a node that contains it", q);
	}
	if ((rc = count(st, a->size, ev->start_mark)) < 0)
		return rc;
	return add_child(st, a->node, ev->start_mark);
}

static int
on_start(struct state *st, const yaml_event_t *ev, enum vet_yaml_kind kind)
{
	const yaml_char_t *anchor;
	struct vet_yaml_node *nd;
	struct frame *f;
	size_t count0 = st->count;
	int rc;

	if (st->depth == VET_YAML_MAX_DEPTH)
		return fail(st, ev->start_mark, "nesting deeper than %d",
		    VET_YAML_MAX_DEPTH);
	if (key_slot(st))
		return fail(st, ev->start_mark, "mapping key is not a scalar");
	if ((rc = count(st, 1, ev->start_mark)) < 0)
		return rc;
	if ((nd = new_node(st, kind, ev->start_mark)) == NULL)
		return nomem(st);
	anchor = kind == VET_YAML_SEQ ? ev->data.sequence_start.anchor :
	    ev->data.mapping_start.anchor;
	f = &st->frames[st->depth];
	if ((rc = add_anchor(st, anchor, nd, &f->anchor)) < 0)
		return rc;
	f->node = nd;
	f->base = st->npend;
	f->count0 = count0;
	f->serial = kind == VET_YAML_MAP ? ++st->serial : 0;
	st->depth++;
	return 0;
}

static int
on_end(struct state *st, const yaml_event_t *ev)
{
	struct frame *f = &st->frames[--st->depth];
	struct vet_yaml_node *nd = f->node, **kids;
	size_t n = st->npend - f->base, i;

	/* pend is still NULL when no collection has had a child yet. */
	kids = n > 0 ? st->pend + f->base : NULL;
	if (nd->kind == VET_YAML_MAP) {
		nd->n = n / 2;
		if (nd->n > 0 &&
		    ((nd->keys = arena_alloc(&st->arena,
		    nd->n * sizeof *nd->keys)) == NULL ||
		    (nd->items = arena_alloc(&st->arena,
		    nd->n * sizeof *nd->items)) == NULL))
			return nomem(st);
		for (i = 0; i < nd->n; i++) {
			nd->keys[i] = kids[2 * i];
			nd->items[i] = kids[2 * i + 1];
		}
	} else {
		nd->n = n;
		if (n > 0 && (nd->items = arena_alloc(&st->arena,
		    n * sizeof *nd->items)) == NULL)
			return nomem(st);
		if (n > 0)
			memcpy(nd->items, kids, n * sizeof *kids);
	}
	st->npend = f->base;
	if (f->anchor != SIZE_MAX) {
		st->anchors[f->anchor].size = st->count - f->count0;
		st->anchors[f->anchor].open = 0;
	}
	return add_child(st, nd, ev->start_mark);
}

/* Handles one event; sets *done at the end of the stream. */
static int
on_event(struct state *st, const yaml_event_t *ev, int *done)
{
	switch (ev->type) {
	case YAML_STREAM_END_EVENT:
		*done = 1;
		return 0;
	case YAML_DOCUMENT_START_EVENT:
		if (st->docs++ > 0)
			return fail(st, ev->start_mark,
			    "more than one document in the file");
		return 0;
	case YAML_SCALAR_EVENT:
		return on_scalar(st, ev);
	case YAML_ALIAS_EVENT:
		return on_alias(st, ev);
	case YAML_SEQUENCE_START_EVENT:
		return on_start(st, ev, VET_YAML_SEQ);
	case YAML_MAPPING_START_EVENT:
		return on_start(st, ev, VET_YAML_MAP);
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		return on_end(st, ev);
	default:
		return 0;
	}
}

/* Turns libyaml's error into ours. */
static int
parse_error(struct state *st, const yaml_parser_t *ps)
{
	const unsigned char *p = st->cur.p;
	const char *problem = ps->problem != NULL ? ps->problem :
	    "cannot parse";
	size_t i, k, line = 0, start = 0;
	long cl, cc;
	char ctx[160];

	switch (ps->error) {
	case YAML_MEMORY_ERROR:
		return nomem(st);
	case YAML_READER_ERROR:
		/*
		 * A reader error has a byte offset and no mark; its value is
		 * the offending byte for the UTF-8 decoding errors and a code
		 * point for the others.
		 */
		for (i = 0; i < ps->problem_offset && p + i < st->cur.end; ) {
			if ((k = break_len(p + i, st->cur.end)) > 0) {
				i += k;
				line++;
				start = i;
			} else
				i++;
		}
		cl = (long)line + 1;
		cc = (long)(ps->problem_offset - start) + 1;
		if (ps->problem_value == -1)
			return vet_error_set(st->err, VET_ECONFIG, st->file,
			    cl, cc, "%s", problem);
		if (strstr(problem, "octet") != NULL)
			return vet_error_set(st->err, VET_ECONFIG, st->file,
			    cl, cc, "%s (byte 0x%02X)", problem,
			    (unsigned)ps->problem_value);
		return vet_error_set(st->err, VET_ECONFIG, st->file, cl, cc,
		    "%s (U+%04X)", problem, (unsigned)ps->problem_value);
	default:
		ctx[0] = '\0';
		if (ps->context != NULL) {
			mark_pos(st, ps->context_mark, &cl, &cc);
			snprintf(ctx, sizeof ctx, " (%s at line %ld, column "
			    "%ld)", ps->context, cl, cc);
		}
		return fail(st, ps->problem_mark, "%s%s", problem, ctx);
	}
}

int
vet_yaml_load(struct vet_yaml_doc *doc, const char *file, const char *p,
    size_t n, struct vet_error *err)
{
	struct state *st;
	yaml_parser_t ps;
	yaml_event_t ev;
	int rc = 0, done = 0;

	memset(doc, 0, sizeof *doc);
	snprintf(doc->file, sizeof doc->file, "%s", file != NULL ? file : "");
	if (p == NULL)
		p = "";
	if ((rc = vet_yaml__load(err)) < 0)
		return rc;
	if ((st = calloc(1, sizeof *st)) == NULL)
		return vet_error_set(err, VET_ENOMEM, doc->file, 0, 0,
		    "out of memory");
	st->file = doc->file;
	st->err = err;
	st->cur.p = (const unsigned char *)p;
	st->cur.end = (const unsigned char *)p + n;
	if (!yaml_parser_initialize(&ps)) {
		free(st);
		return vet_error_set(err, VET_ENOMEM, doc->file, 0, 0,
		    "out of memory");
	}
	yaml_parser_set_input_string(&ps, (const unsigned char *)p, n);
	/* Only UTF-8: a UTF-16 file is refused rather than reinterpreted. */
	yaml_parser_set_encoding(&ps, YAML_UTF8_ENCODING);
	while (rc == 0 && !done) {
		if (!yaml_parser_parse(&ps, &ev)) {
			rc = parse_error(st, &ps);
			break;
		}
		rc = on_event(st, &ev, &done);
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&ps);
	free(st->pend);
	free(st->anchors);
	free(st->anchor_names.e);
	free(st->keys.e);
	if (rc < 0) {
		arena_free(st->arena);
		free(st);
		doc->root = NULL;
		doc->arena = NULL;
		return rc;
	}
	doc->root = st->root;
	doc->arena = st->arena;
	free(st);
	return 0;
}

void
vet_yaml_release(struct vet_yaml_doc *doc)
{
	if (doc == NULL)
		return;
	arena_free(doc->arena);
	doc->arena = NULL;
	doc->root = NULL;
}

const struct vet_yaml_node *
vet_yaml_get(const struct vet_yaml_node *map, const char *key)
{
	size_t i, len;

	if (map == NULL || map->kind != VET_YAML_MAP || key == NULL)
		return NULL;
	len = strlen(key);
	for (i = 0; i < map->n; i++)
		if (map->keys[i]->len == len &&
		    memcmp(map->keys[i]->str, key, len) == 0)
			return map->items[i];
	return NULL;
}

int
vet_yaml_error(const struct vet_yaml_doc *doc, const struct vet_yaml_node *node,
    struct vet_error *err, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return VET_ECONFIG;
	vet_error_set(err, VET_ECONFIG, doc != NULL ? doc->file : NULL,
	    node != NULL ? node->line : 0, node != NULL ? node->col : 0,
	    "%s", "");
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	va_end(ap);
	return VET_ECONFIG;
}

int
vet_yaml_is_name(const char *s)
{
	if (!(*s >= 'a' && *s <= 'z'))
		return 0;
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		    *s == '_'))
			return 0;
	return 1;
}
