/*
 * vet-report - the quarterly report (季度报表, SPEC 3): classified veterans
 * in, one report out (text, md, csv, json, html or an xlsx workbook), or a
 * partial aggregate that --merge turns into the same report.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "vet/buf.h"
#include "vet/cli.h"
#include "vet/error.h"
#include "vet/io.h"
#include "vet/policy.h"
#include "vet/record.h"
#include "vet/report.h"

static const char usage[] =
	"usage: vet-report [--quarter Q | --from DATE --to DATE] [--as-of DATE]\n"
	"                  [--by district|street|community] "
	"[--format text|md|csv|json|html|xlsx]\n"
	"                  [--lang zh|en] [--events FILE] [--findings FILE] "
	"[--jobs FILE]\n"
	"                  [--compare FILE] [--min-cell N] [--no-bom] "
	"[--partial] [--policy FILE]\n"
	"                  [-o FILE] [-z] [--rejects FILE] [--stats] "
	"[--max-record SIZE] [FILE...]\n"
	"       vet-report --merge [options] PARTIAL...\n"
	"       vet-report --help | --version\n"
	"Reads classified veterans (JSON Lines) and writes the quarterly "
	"report.\n"
	"      --quarter Q       2026Q3, previous or current (default: the "
	"quarter of --as-of)\n"
	"      --from DATE, --to DATE  any period instead of a quarter\n"
	"      --as-of DATE      the day of the report (default: today)\n"
	"      --by GROUP        district (default), street or community\n"
	"      --format F        text (default), md, csv, json, html or xlsx\n"
	"      --lang L          zh (default) or en\n"
	"      --events FILE     events (contacts, consultations, job fairs, "
	"training, referrals)\n"
	"      --findings FILE   vet-audit findings, counted per check\n"
	"      --jobs FILE       posts (kind job): post supply per district, "
	"post_type of referrals\n"
	"      --compare FILE    the previous --format json report: change per "
	"category, rate and link\n"
	"      --min-cell N      suppress groups of fewer than N veterans "
	"(default 1)\n"
	"      --no-bom          csv without the UTF-8 byte-order mark\n"
	"      --partial         write a mergeable partial aggregate instead\n"
	"      --merge           the inputs are partials: combine them\n"
	"      --policy FILE     policy file (default: the built-in Beijing "
	"2023 policy)\n"
	VET_CLI_USAGE_COMMON;

enum {
	OPT_FROM = VET_OPT_FIRST_TOOL,
	OPT_TO, OPT_BY, OPT_FORMAT, OPT_JOBS, OPT_COMPARE, OPT_MIN_CELL,
	OPT_PARTIAL, OPT_MERGE
};

static const struct option opts[] = {
	VET_CLI_LONGOPTS,
	VET_CLI_OPT_QUARTER,
	{ "from", required_argument, NULL, OPT_FROM },
	{ "to", required_argument, NULL, OPT_TO },
	VET_CLI_OPT_AS_OF,
	{ "by", required_argument, NULL, OPT_BY },
	{ "format", required_argument, NULL, OPT_FORMAT },
	VET_CLI_OPT_LANG,
	VET_CLI_OPT_EVENTS,
	VET_CLI_OPT_FINDINGS,
	{ "jobs", required_argument, NULL, OPT_JOBS },
	{ "compare", required_argument, NULL, OPT_COMPARE },
	{ "min-cell", required_argument, NULL, OPT_MIN_CELL },
	VET_CLI_OPT_NO_BOM,
	{ "partial", no_argument, NULL, OPT_PARTIAL },
	{ "merge", no_argument, NULL, OPT_MERGE },
	VET_CLI_OPT_POLICY,
	{ NULL, 0, NULL, 0 }
};

/* What the options ask for besides the shared ones (cli.opt). */
struct args {
	struct vet_report_fmt f;
	const char *from, *to, *jobs, *compare;
	int by, partial, merge, format_given;
};

static void
options(struct vet_cli *cli, int argc, char **argv, struct args *a)
{
	static const char *const bys[] = { "district", "street", "community",
	    NULL };
	static const char *const fmts[] = { "text", "md", "csv", "json",
	    "html", "xlsx", NULL };
	int c;

	while ((c = getopt_long(argc, argv, VET_CLI_SHORTOPTS, opts,
	    NULL)) != -1) {
		if (vet_cli_option(cli, c, optarg))
			continue;
		switch (c) {
		case OPT_FROM:
			a->from = optarg;
			break;
		case OPT_TO:
			a->to = optarg;
			break;
		case OPT_BY:
			a->by = vet_cli_pick(cli, "--by", optarg, bys);
			break;
		case OPT_FORMAT:
			a->f.format = (enum vet_report_format)vet_cli_pick(cli,
			    "--format", optarg, fmts);
			a->format_given = 1;
			break;
		case OPT_JOBS:
			a->jobs = optarg;
			break;
		case OPT_COMPARE:
			a->compare = optarg;
			break;
		case OPT_MIN_CELL:
			a->f.min_cell = vet_cli_int(cli, "--min-cell", optarg,
			    1, 1000000000L);
			break;
		case OPT_PARTIAL:
			a->partial = 1;
			break;
		case OPT_MERGE:
			a->merge = 1;
			break;
		default:
			vet_cli_usage(cli);
		}
	}
	if (cli->opt.lang != NULL)
		a->f.lang = cli->opt.lang;
	a->f.bom = !cli->opt.no_bom;
	if (a->merge && (cli->opt.events || cli->opt.findings || a->jobs))
		vet_cli_usage_error(cli, "--events, --findings and --jobs go "
		    "with the runs that write the partials, not with --merge");
	if (a->partial && (a->format_given || a->compare ||
	    cli->opt.lang != NULL || a->f.min_cell != 1 || !a->f.bom))
		vet_cli_usage_error(cli, "--partial writes an aggregate, not "
		    "a report: --format, --lang, --compare, --min-cell and "
		    "--no-bom go with the final run");
	if (a->f.format == VET_REPORT_XLSX && !a->partial)
		vet_cli_workbook(cli);
}

/*
 * The side files (--events, --findings) go into the report record by
 * record; a bad line is rejected whole like a bad veteran, named by its
 * file and line (vet_cli_read_side).
 */
static int
side_event(void *ctx, const struct vet_record *rec, struct vet_span line,
    struct vet_error *err)
{
	return vet_report_add_event(ctx, rec, err);
}

static int
side_job(void *ctx, const struct vet_record *rec, struct vet_span line,
    struct vet_error *err)
{
	return vet_report_add_job(ctx, rec, err);
}

static int
side_finding(void *ctx, const struct vet_record *rec, struct vet_span line,
    struct vet_error *err)
{
	return vet_report_add_finding(ctx, rec, err);
}

/*
 * --merge: each operand is read whole (vet_cli_each_whole), so that a
 * partial re-serialised over several lines (jq .) still merges and an
 * empty file, a part lost, ends the run.  A partial that does not fit
 * would make a wrong report: stop rather than skip it.
 */
static long long
merge_partial(void *ctx, const char *p, size_t n, struct vet_error *err)
{
	long long k;
	int rc = vet_report_merge_text(ctx, p, n, &k, err);

	return rc < 0 ? rc : k;
}

/*
 * The side files, posts before events: a referral takes its post_type from
 * its post when it has none of its own.  Then the report to compare with.
 */
static void
read_sides(struct vet_cli *cli, struct vet_report *r, const struct args *a)
{
	struct vet_buf cmp = VET_BUF_INIT;
	struct vet_error err;

	if (a->jobs)
		vet_cli_read_side(cli, a->jobs, side_job, r);
	if (cli->opt.events)
		vet_cli_read_side(cli, cli->opt.events, side_event, r);
	if (cli->opt.findings)
		vet_cli_read_side(cli, cli->opt.findings, side_finding, r);
	if (a->compare == NULL)
		return;
	vet_error_clear(&err);
	if (vet_input_slurp(a->compare, &cmp, &err) < 0)
		vet_cli_die(cli, &err);
	if (vet_report_set_compare(r, cmp.data, cmp.len, &err) < 0) {
		snprintf(err.file, sizeof err.file, "%s", a->compare);
		vet_cli_die(cli, &err);
	}
	vet_buf_release(&cmp);
}

/* The veterans into the report; returns those it counts. */
static long long
read_veterans(struct vet_cli *cli, struct vet_report *r)
{
	struct vet_record rec;
	struct vet_error err;
	struct vet_span line;
	long long counted = 0;

	vet_record_init(&rec);
	vet_error_clear(&err);
	while (vet_cli_next_record(cli, &rec, &line,
	    VET_CLI_ID_ONCE | VET_CLI_NO_COLUMN)) {
		/* Clear before each record, but only what was written: the
		 * 790 bytes cost more than a record's link rules. */
		if (err.status != 0 || err.msg[0] != '\0' ||
		    err.file[0] != '\0' || err.line != 0 || err.col != 0)
			vet_error_clear(&err);
		counted += vet_cli_took(cli, vet_report_add(r, &rec, &err),
		    line, &err);
	}
	vet_record_release(&rec);
	return counted;
}

int
main(int argc, char **argv)
{
	static struct vet_cli cli;	/* see cli.h: not on the stack */
	struct args a = { { VET_REPORT_TEXT, "zh", 1, 1 }, NULL, NULL, NULL,
	    NULL, VET_REPORT_BY_DISTRICT, 0, 0, 0 };
	struct vet_report_schema schema;
	struct vet_report_period pd;
	struct vet_report *r;
	struct vet_policy *policy;
	struct vet_error err;
	struct vet_buf out = VET_BUF_INIT;
	long long counted;
	vet_day as_of;
	int rc;

	vet_cli_init(&cli, "vet-report", usage);
	options(&cli, argc, argv, &a);
	as_of = vet_cli_as_of(&cli, cli.opt.as_of);
	vet_error_clear(&err);
	if (vet_report_period_parse(&pd, cli.opt.quarter, a.from, a.to, as_of,
	    &err) < 0)
		vet_cli_usage_error(&cli, "%s", err.msg);
	policy = vet_cli_load_policy(&cli, cli.opt.policy);
	if (vet_report_schema_from_policy(&schema, policy, as_of, &err) < 0 ||
	    vet_report_new(&r, &schema, &pd, a.by, &err) < 0)
		vet_cli_die(&cli, &err);
	vet_report_expect(r, cli.opt.events != NULL, cli.opt.findings != NULL);
	vet_cli_input(&cli, "--events", cli.opt.events);
	vet_cli_input(&cli, "--findings", cli.opt.findings);
	vet_cli_input(&cli, "--jobs", a.jobs);
	vet_cli_input(&cli, "--compare", a.compare);
	vet_cli_input(&cli, "--policy", cli.opt.policy);
	vet_cli_start(&cli, argc - optind, argv + optind);
	read_sides(&cli, r, &a);
	if (a.merge)
		counted = vet_cli_each_whole(&cli, merge_partial, r);
	else
		counted = read_veterans(&cli, r);

	vet_error_clear(&err);
	if (a.partial)
		rc = vet_report_write_partial(r, &out);
	else
		rc = vet_report_format(r, &a.f, &out, &err);
	if (rc == VET_ENOMEM)
		vet_cli_nomem(&cli);
	if (rc < 0)
		vet_cli_die(&cli, &err);
	/* Many records make one report: --stats counts as written the
	 * records (or partials) the report counts, so that read = written +
	 * rejected holds here too. */
	vet_cli_write(&cli, out.data, out.len, 0);
	cli.nwritten = counted;
	vet_buf_release(&out);
	vet_report_free(r);
	vet_report_schema_release(&schema);
	vet_policy_free(policy);
	return vet_cli_finish(&cli);
}
