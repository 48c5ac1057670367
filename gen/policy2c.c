/*
 * policy2c - loads a policy file with the library's own loader, strictly,
 * and writes it as C data (policy_emit.c): the built-in policy, made once
 * by make instead of at every start.
 *
 *	policy2c FILE.yaml > policy_builtin.c
 *
 * The output defines vet_policy_builtin_yaml (FILE's bytes, for
 * --dump-policy and for --check-policy's tests, read when run) and
 * vet_policy__builtin, the policy loaded from those bytes as
 * vet_policy_load_text() loads it, rules compiled.  A policy the loader
 * refuses, tests included, makes this fail (exit 1), and with it the
 * build.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vet/buf.h"
#include "vet/error.h"
#include "vet/classify.h"
#include "../lib/classify_impl.h"
#include "../lib/policy_impl.h"

#define TEXT "vet_policy_builtin_yaml"
#define PRE "vet_classify__builtin_pre"

static int
slurp(const char *path, struct vet_buf *b)
{
	char chunk[65536];
	FILE *fp;
	size_t n;
	int bad;

	if ((fp = fopen(path, "rb")) == NULL)
		return -1;
	while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
		if (vet_buf_add(b, chunk, n) < 0)
			break;
	bad = ferror(fp) || !feof(fp);
	fclose(fp);
	return bad ? -1 : 0;
}

static int
bytes(struct vet_buf *out, const char *s, size_t n)
{
	size_t i;

	if (vet_buf_addstr(out, "const char " TEXT "[] = {") < 0)
		return -1;
	for (i = 0; i < n; i++)
		if (vet_buf_addf(out, "%s0x%02x,", i % 16 ? " " : "\n\t",
		    (unsigned char)s[i]) < 0)
			return -1;
	return vet_buf_addf(out, "\n\t0x00\n};\n"
	    "const size_t vet_policy_builtin_len = sizeof " TEXT " - 1;\n");
}

int
main(int argc, char **argv)
{
	struct vet_buf text = VET_BUF_INIT, out = VET_BUF_INIT;
	struct vet_policy *p;
	struct vet_error err;

	if (argc != 2) {
		fprintf(stderr, "usage: policy2c FILE.yaml\n");
		return 2;
	}
	vet_error_clear(&err);
	if (slurp(argv[1], &text) < 0) {
		fprintf(stderr, "policy2c: %s: cannot read\n", argv[1]);
		return 1;
	}
	/* Named as a run names it, in its messages (p->file). */
	if (vet_policy_load_text(&p, "<built-in>", vet_buf_str(&text),
	    text.len, &err) < 0) {
		fprintf(stderr, "policy2c: %s:%ld:%ld: %s\n", argv[1],
		    err.line, err.col, err.msg);
		return 1;
	}
	if (vet_buf_addf(&out, "/* Generated from %s by gen/policy2c; "
	    "do not edit. */\n#include <math.h>\n#include <stddef.h>\n"
	    "#include <stdint.h>\n\n#include \"vet/classify.h\"\n"
	    "#include \"classify_impl.h\"\n#include \"policy_impl.h\"\n"
	    "#include \"rule_impl.h\"\n\n", argv[1]) < 0 ||
	    bytes(&out, text.data, text.len) < 0) {
		fprintf(stderr, "policy2c: out of memory\n");
		return 1;
	}
	/* The classifier's pieces first: the policy points at them. */
	if (vet_classify__emit_pre(p, PRE, &out, &err) < 0) {
		fprintf(stderr, "policy2c: %s: %s\n", argv[1], err.msg);
		return 1;
	}
	if (vet_policy__emit_c(p, "vet_policy__builtin", TEXT, PRE,
	    &out) < 0) {
		fprintf(stderr, "policy2c: out of memory\n");
		return 1;
	}
	if (fwrite(out.data, 1, out.len, stdout) != out.len ||
	    fflush(stdout) != 0) {
		fprintf(stderr, "policy2c: cannot write\n");
		return 1;
	}
	vet_policy_free(p);
	vet_buf_release(&text);
	vet_buf_release(&out);
	return 0;
}
