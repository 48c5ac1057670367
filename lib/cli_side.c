/*
 * cli_side.c - side files of the command-line tools (cli.h): the events of
 * vet-audit and vet-report, the findings of vet-report, read whole with
 * their bad lines rejected like bad records of the main input.
 */
#include <stdio.h>
#include <string.h>

#include "vet/cli.h"
#include "vet/io.h"
#include "vet/record.h"

struct side {
	struct vet_cli *cli;
	struct vet_input *in;
};

/* Sink of an over-long line: streamed to the rejects, never held. */
static int
long_line(void *ctx, const char *p, size_t n)
{
	struct side *sd = ctx;
	struct vet_cli *c = sd->cli;
	char msg[96];
	const char *e = msg;

	if (!c->rj_open) {
		/* The reader counts the line before it hands it over. */
		c->lineno = vet_input_lineno(sd->in);
		snprintf(msg, sizeof msg, "record longer than --max-record "
		    "(%zu bytes)", c->max_record);
		vet_cli_reject_begin(c, &e, 1);
	}
	vet_cli_reject_chunk(c, p, n);
	return 0;
}

/*
 * The --stats name of a side file: the option it was declared with, less
 * its dashes ("--events" counts as "events").
 */
static const char *
side_name(const struct vet_cli *c, const char *path)
{
	int i;

	for (i = 0; i < c->nside; i++)
		if (c->side[i].path == path ||
		    strcmp(c->side[i].path, path) == 0)
			return c->side[i].opt + strspn(c->side[i].opt, "-");
	return "side";
}

void
vet_cli_read_side_lines(struct vet_cli *c, const char *path,
    vet_cli_line_fn fn, void *ctx)
{
	struct side sd;
	struct vet_error err;
	struct vet_span line;
	int rc;

	vet_error_clear(&err);
	sd.cli = c;
	if (vet_input_open(&sd.in, path, &err) < 0)
		vet_cli_die(c, &err);
	vet_cli_side_begin(c, side_name(c, path));
	c->src = vet_input_name(sd.in);
	for (;;) {
		vet_error_clear(&err);
		rc = vet_input_line(sd.in, &line, c->max_record, long_line, &sd,
		    &err);
		if (rc == VET_LINE_EOF)
			break;
		c->lineno = vet_input_lineno(sd.in);
		if (rc < 0) {
			if (c->rj_open) {
				vet_cli_count_read(c);
				vet_cli_reject_end(c);
			}
			vet_cli_die(c, &err);
		}
		if (rc == VET_LINE_LONG) {
			vet_cli_count_read(c);
			vet_cli_reject_end(c);
			continue;
		}
		if (vet_cli_blank(line.p, line.n))
			continue;
		vet_error_clear(&err);
		rc = fn(ctx, line, &err);
		if (rc == VET_EDATA) {
			vet_cli_count_read(c);
			vet_cli_reject_err(c, line.p, line.n, &err);
		} else if (rc < 0)
			vet_cli_die(c, &err);
		else
			vet_cli_count_read(c);
	}
	vet_cli_side_end(c);
	vet_input_close(sd.in);
	c->src = NULL;
	c->lineno = 0;
}

/* A side file of records: each line parsed, then handed to the tool. */
struct side_records {
	struct vet_record rec;
	vet_cli_side_fn fn;
	void *ctx;
};

static int
side_record(void *ctx, struct vet_span line, struct vet_error *err)
{
	struct side_records *sr = ctx;
	int rc;

	/* A line that is no record is rejected with its column; a record
	 * the tool refuses, with the tool's message alone. */
	if (vet_record_parse(&sr->rec, line.p, line.n, err) < 0 ||
	    vet_record_once(&sr->rec, "id", line.p, err) < 0)
		return err->status < 0 ? err->status : VET_EINTERNAL;
	rc = sr->fn(sr->ctx, &sr->rec, line, err);
	if (rc == VET_EDATA)
		err->col = 0;
	return rc;
}

void
vet_cli_read_side(struct vet_cli *c, const char *path, vet_cli_side_fn fn,
    void *ctx)
{
	struct side_records sr;

	vet_record_init(&sr.rec);
	sr.fn = fn;
	sr.ctx = ctx;
	vet_cli_read_side_lines(c, path, side_record, &sr);
	vet_record_release(&sr.rec);
}
