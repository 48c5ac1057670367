/*
 * yaml2c - writes a YAML document's node tree (yaml.h) as C data, so that
 * the built-in policy is parsed once, by make, instead of at every start.
 *
 *	yaml2c [-x KEY] FILE.yaml > tree.c
 *
 * The output defines vet_policy_builtin_tree, the root of the tree exactly
 * as vet_yaml_load() builds it from FILE (same strings, lengths, quoting,
 * lines and columns), so the policy loader, which reads only the tree,
 * gives the same policy either way.  A document vet_yaml_load() refuses
 * makes this fail (exit 1), and with it the build.
 *
 * -x KEY leaves the root map's KEY out of the tree.  Every pointer of the
 * tree is relocated, page by page, when a position-independent program
 * starts, and a relocated page is a fresh page: the built-in policy's
 * tests, three quarters of its nodes, cost some 60 page faults at every
 * start for a section only --check-policy reads, which parses them from
 * the text instead.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vet/error.h"
#include "vet/yaml.h"

/*
 * The nodes in pre-order, and for each its children's slots in the
 * pointer array P: a map's keys at kb, the items at ib.
 */
static const struct vet_yaml_node **all;
static size_t *kb, *ib, *ptr;
static size_t nnodes, nptrs;
static const char *omit;	/* -x: a root key left out, or NULL */

static size_t
count(const struct vet_yaml_node *n)
{
	size_t i, c = 1;

	for (i = 0; i < n->n; i++)
		c += (n->kind == VET_YAML_MAP ? count(n->keys[i]) : 0) +
		    count(n->items[i]);
	return c;
}

/* Takes the root map's key omit out of it (the tree is ours to change). */
static void
leave_out(struct vet_yaml_node *root)
{
	size_t i;

	if (omit == NULL || root->kind != VET_YAML_MAP)
		return;
	for (i = 0; i < root->n; i++)
		if (strcmp(root->keys[i]->str, omit) == 0)
			break;
	if (i == root->n)
		return;
	memmove(&root->keys[i], &root->keys[i + 1],
	    (root->n - i - 1) * sizeof *root->keys);
	memmove(&root->items[i], &root->items[i + 1],
	    (root->n - i - 1) * sizeof *root->items);
	root->n--;
}

static size_t
walk(const struct vet_yaml_node *n)
{
	size_t me = nnodes++, i, k, v;

	all[me] = n;
	kb[me] = ib[me] = 0;
	if (n->kind == VET_YAML_MAP) {
		kb[me] = nptrs;
		nptrs += n->n;
	}
	if (n->kind != VET_YAML_SCALAR) {
		ib[me] = nptrs;
		nptrs += n->n;
	}
	for (i = 0; i < n->n; i++) {
		if (n->kind == VET_YAML_MAP) {
			k = walk(n->keys[i]);
			ptr[kb[me] + i] = k;
		}
		v = walk(n->items[i]);
		ptr[ib[me] + i] = v;
	}
	return me;
}

static void
put_string(const char *s, size_t n)
{
	size_t i;
	unsigned char c;

	putchar('"');
	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c >= 0x20 && c < 0x7f && c != '?')
			putchar(c);
		else
			/* Three octal digits always: an escape never reads on
			 * into the next character, and no trigraph forms. */
			printf("\\%03o", c);
	}
	putchar('"');
}

static void
emit(size_t i)
{
	const struct vet_yaml_node *n = all[i];

	printf("\t{ %s, %ld, %ld, ", n->kind == VET_YAML_SCALAR ?
	    "VET_YAML_SCALAR" : n->kind == VET_YAML_SEQ ? "VET_YAML_SEQ" :
	    "VET_YAML_MAP", n->line, n->col);
	if (n->str != NULL)
		put_string(n->str, n->len);
	else
		printf("NULL");
	printf(", %zu, %d, ", n->len, n->quoted);
	if (n->kind == VET_YAML_MAP && n->n > 0)
		printf("&P[%zu], ", kb[i]);
	else
		printf("NULL, ");
	if (n->kind != VET_YAML_SCALAR && n->n > 0)
		printf("&P[%zu], ", ib[i]);
	else
		printf("NULL, ");
	printf("%zu },\n", n->n);
}

int
main(int argc, char **argv)
{
	struct vet_yaml_doc doc;
	struct vet_error err;
	FILE *fp;
	char *text;
	long len;
	size_t i;

	if (argc == 4 && strcmp(argv[1], "-x") == 0) {
		omit = argv[2];
		argv += 2;
		argc -= 2;
	}
	if (argc != 2) {
		fprintf(stderr, "usage: yaml2c [-x KEY] FILE.yaml\n");
		return 2;
	}
	vet_error_clear(&err);
	/* Plain stdio: the tool links only yaml.o and error.o. */
	if ((fp = fopen(argv[1], "rb")) == NULL ||
	    fseek(fp, 0, SEEK_END) != 0 || (len = ftell(fp)) < 0 ||
	    fseek(fp, 0, SEEK_SET) != 0 ||
	    (text = malloc((size_t)len + 1)) == NULL ||
	    fread(text, 1, (size_t)len, fp) != (size_t)len) {
		fprintf(stderr, "yaml2c: %s: cannot read\n", argv[1]);
		return 1;
	}
	fclose(fp);
	text[len] = '\0';
	if (vet_yaml_load(&doc, argv[1], text, (size_t)len, &err) < 0) {
		fprintf(stderr, "yaml2c: %s:%ld: %s\n", argv[1], err.line,
		    err.msg);
		return 1;
	}
	leave_out(doc.root);
	nnodes = count(doc.root);
	all = calloc(nnodes, sizeof *all);
	kb = calloc(nnodes, sizeof *kb);
	ib = calloc(nnodes, sizeof *ib);
	ptr = calloc(2 * nnodes + 1, sizeof *ptr);
	if (all == NULL || kb == NULL || ib == NULL || ptr == NULL) {
		fprintf(stderr, "yaml2c: out of memory\n");
		return 1;
	}
	nnodes = 0;
	walk(doc.root);
	printf("/* Generated from %s by gen/yaml2c; do not edit. */\n",
	    argv[1]);
	if (omit != NULL)
		printf("/* Without the root's '%s' (yaml2c -x). */\n", omit);
	printf("#include <stddef.h>\n\n#include \"vet/yaml.h\"\n\n");
	printf("static struct vet_yaml_node N[%zu];\n", nnodes);
	printf("static struct vet_yaml_node *P[%zu] = {\n", nptrs + 1);
	for (i = 0; i < nptrs; i++)
		printf("\t&N[%zu],\n", ptr[i]);
	printf("};\n");
	printf("static struct vet_yaml_node N[%zu] = {\n", nnodes);
	for (i = 0; i < nnodes; i++)
		emit(i);
	printf("};\n");
	printf("struct vet_yaml_node *const vet_policy_builtin_tree = &N[0];\n");
	vet_yaml_release(&doc);
	free(text);
	return 0;
}
