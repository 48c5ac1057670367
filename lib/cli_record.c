/*
 * cli_record.c - the record loop the tools share (cli.h): each line parsed
 * into a record or rejected, what became of the record the tool was given,
 * and the operands opened one by one for a tool that reads tables.  So
 * that a bad line is told, kept and counted the same way in every tool.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "vet/cli.h"
#include "vet/io.h"
#include "vet/record.h"

int
vet_cli_next_record(struct vet_cli *c, struct vet_record *rec,
    struct vet_span *line, int flags)
{
	struct vet_error err;

	while (vet_cli_next_line(c, line) > 0) {
		vet_error_clear(&err);
		if (vet_record_parse(rec, line->p, line->n, &err) == 0 &&
		    (!(flags & VET_CLI_ID_ONCE) ||
		    vet_record_once(rec, "id", line->p, &err) == 0))
			return 1;
		if (err.status != VET_EDATA)
			vet_cli_die(c, &err);
		if (flags & VET_CLI_NO_COLUMN)
			vet_cli_reject1(c, line->p, line->n, err.msg);
		else
			vet_cli_reject_err(c, line->p, line->n, &err);
	}
	return 0;
}

int
vet_cli_took(struct vet_cli *c, int rc, struct vet_span line,
    const struct vet_error *err)
{
	if (rc >= 0)
		return 1;
	if (rc != VET_EDATA)
		vet_cli_die(c, err);
	vet_cli_reject1(c, line.p, line.n, err->msg);
	return 0;
}

int
vet_cli_took_at(struct vet_cli *c, int rc, struct vet_span line,
    const struct vet_error *err)
{
	if (rc >= 0)
		return 1;
	if (rc != VET_EDATA)
		vet_cli_die(c, err);
	vet_cli_reject_err(c, line.p, line.n, err);
	return 0;
}

void
vet_cli_each_input(struct vet_cli *c, vet_cli_input_fn fn, void *ctx)
{
	struct vet_error err;
	struct vet_input *in;
	int rc;

	for (c->cur = 0; c->cur < c->ninputs; c->cur++) {
		vet_error_clear(&err);
		if (vet_input_open(&in, c->inputs[c->cur], &err) < 0) {
			vet_cli_print_error(c, &err);
			vet_cli_status(c, err.status == VET_ENOMEM ?
			    VET_EXIT_SOFTWARE : VET_EXIT_NOINPUT);
			continue;
		}
		c->src = vet_input_name(in);
		c->lineno = 0;
		rc = fn(ctx, in, &err);
		vet_input_close(in);
		if (rc < 0)
			vet_cli_die(c, &err);
	}
}

long long
vet_cli_each_whole(struct vet_cli *c, vet_cli_text_fn fn, void *ctx)
{
	struct vet_buf text = VET_BUF_INIT;
	struct vet_error err;
	const char *name;
	long long n, total = 0;

	for (c->cur = 0; c->cur < c->ninputs; c->cur++) {
		name = c->inputs[c->cur];
		vet_buf_reset(&text);
		vet_error_clear(&err);
		if (vet_input_slurp(name, &text, &err) < 0 ||
		    (n = fn(ctx, text.data, text.len, &err)) < 0) {
			if (err.file[0] == '\0')
				snprintf(err.file, sizeof err.file, "%s",
				    strcmp(name, "-") == 0 ? "<stdin>" : name);
			vet_buf_release(&text);
			vet_cli_die(c, &err);
		}
		total += n;
		c->nread += n;
	}
	vet_buf_release(&text);
	return total;
}
