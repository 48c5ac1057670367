/*
 * vet-match - 岗位推荐、定向专招 (SPEC 3): recommends posts of --jobs to
 * classified veterans (--top K) or gives each at most one post
 * (--allocate).  The logic is in lib/match.c.
 */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vet/buf.h"
#include "vet/cli.h"
#include "vet/date.h"
#include "vet/error.h"
#include "vet/io.h"
#include "vet/match.h"
#include "vet/policy.h"

static const char usage[] =
	"usage: vet-match --jobs FILE [--top K | --allocate] [options] "
	"[FILE...]\n"
	"Reads classified veteran records (JSON Lines) and writes job "
	"recommendations.\n"
	"      --jobs FILE     job posts, JSON Lines (gzip allowed); required\n"
	"      --top K         the K best eligible posts per veteran "
	"(default 5)\n"
	"      --allocate      at most one post per veteran, in priority "
	"order\n"
	"      --as-of DATE    posts open on DATE, YYYY-MM-DD (default: "
	"today)\n"
	"      --policy FILE   policy file (default: the built-in Beijing "
	"2023 policy)\n"
	VET_CLI_USAGE_COMMON;

enum {
	OPT_JOBS = VET_OPT_FIRST_TOOL,
	OPT_TOP,
	OPT_ALLOCATE
};

static const struct option opts[] = {
	VET_CLI_LONGOPTS,
	{ "jobs", required_argument, NULL, OPT_JOBS },
	{ "top", required_argument, NULL, OPT_TOP },
	{ "allocate", no_argument, NULL, OPT_ALLOCATE },
	VET_CLI_OPT_AS_OF,
	VET_CLI_OPT_POLICY,
	{ NULL, 0, NULL, 0 }
};

/*
 * The job file goes through the common input loop first, so its bad lines
 * are rejected, counted and reported like any record, on a --stats line
 * of their own; then the loop is pointed at the veterans.  The posts are
 * needed before any veteran: a job file that cannot be opened or read
 * whole ends the run with nothing written.
 */
static void
read_jobs(struct vet_cli *cli, struct vet_match *m, char *jobs)
{
	struct vet_error err;
	struct vet_span line;

	vet_cli_set_inputs(cli, 1, &jobs);
	vet_cli_side_begin(cli, "jobs");
	while (vet_cli_next_line(cli, &line) > 0)
		vet_cli_took_at(cli, vet_match_add_job(m, line.p, line.n,
		    &err), line, &err);
	vet_cli_side_end(cli);
	if (cli->status != VET_EXIT_OK && cli->status != VET_EXIT_DATA)
		vet_cli_abort(cli);
	if (vet_match_index(m, &err) < 0)
		vet_cli_die(cli, &err);
}

/* --allocate: each veteran's post, once all are in. */
static void
write_allocation(struct vet_cli *cli, struct vet_match *m,
    struct vet_buf *out)
{
	struct vet_error err;
	size_t i;

	if (vet_match_allocate(m, &err) < 0)
		vet_cli_die(cli, &err);
	for (i = 0; i < vet_match_alloc_count(m); i++) {
		vet_buf_reset(out);
		if (vet_match_alloc_write(m, i, out) < 0)
			vet_cli_nomem(cli);
		vet_cli_write(cli, out->data, out->len, 1);
	}
}

int
main(int argc, char **argv)
{
	static struct vet_cli cli;	/* see cli.h: not on the stack */
	struct vet_policy *p;
	struct vet_match *m;
	struct vet_error err;
	struct vet_buf out = VET_BUF_INIT;
	struct vet_span line;
	const char *top_arg = NULL;
	char *jobs = NULL;
	vet_day as_of;
	size_t k = 5;
	int c, rc, allocate = 0;

	vet_cli_init(&cli, "vet-match", usage);
	while ((c = getopt_long(argc, argv, VET_CLI_SHORTOPTS, opts,
	    NULL)) != -1)
		if (!vet_cli_option(&cli, c, optarg))
			switch (c) {
			case OPT_JOBS:
				jobs = optarg;
				break;
			case OPT_TOP:
				top_arg = optarg;
				break;
			case OPT_ALLOCATE:
				allocate = 1;
				break;
			default:
				vet_cli_usage(&cli);
			}
	if (jobs == NULL)
		vet_cli_usage_error(&cli, "--jobs FILE is required");
	if (allocate && top_arg != NULL)
		vet_cli_usage_error(&cli, "--top and --allocate exclude each "
		    "other");
	if (top_arg != NULL)
		k = (size_t)vet_cli_int(&cli, "--top", top_arg, 1, INT_MAX);
	as_of = vet_cli_as_of(&cli, cli.opt.as_of);

	p = vet_cli_load_policy(&cli, cli.opt.policy);
	vet_error_clear(&err);
	if (vet_match_init(&m, p, as_of, &err) < 0)
		vet_cli_die(&cli, &err);

	vet_cli_input(&cli, "--jobs", jobs);
	vet_cli_input(&cli, "--policy", cli.opt.policy);
	vet_cli_start(&cli, argc - optind, argv + optind);
	read_jobs(&cli, m, jobs);
	vet_cli_set_inputs(&cli, argc - optind, argv + optind);

	while (vet_cli_next_line(&cli, &line) > 0) {
		vet_buf_reset(&out);
		rc = allocate ? vet_match_alloc_add(m, line.p, line.n, &err) :
		    vet_match_top(m, line.p, line.n, k, &out, &err);
		if (vet_cli_took_at(&cli, rc, line, &err) && !allocate &&
		    out.len > 0) {
			vet_cli_write(&cli, out.data, out.len, 0);
			cli.nwritten += rc;
		}
	}
	if (allocate)
		write_allocation(&cli, m, &out);
	vet_buf_release(&out);
	vet_match_free(m);
	vet_policy_free(p);
	return vet_cli_finish(&cli);
}
