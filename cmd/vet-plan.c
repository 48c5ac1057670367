/*
 * vet-plan - 一人一策、工作清单 (SPEC 3, 二(三)(十)): the plan of each
 * veteran for the period as of a day, and the station's worklist of the
 * month built from those plans.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "vet/buf.h"
#include "vet/cli.h"
#include "vet/date.h"
#include "vet/error.h"
#include "vet/plan.h"
#include "vet/policy.h"
#include "vet/record.h"

static const char usage[] =
	"usage: vet-plan [--as-of DATE] [--events FILE] [--findings FILE]\n"
	"                [--recommendations FILE] [--street NAME] "
	"[--community NAME]\n"
	"                [--format jsonl|html|md|text|xlsx] [--unmask] "
	"[--policy FILE]\n"
	"                [-o FILE] [-z] [--rejects FILE] [--stats] "
	"[--max-record SIZE] [FILE...]\n"
	"       vet-plan --help | --version\n"
	"Reads classified veterans (vet-classify output) and writes the plan "
	"of each\nveteran with a measure or a duty, or the station's "
	"worklist.\n"
	"      --as-of DATE      plan as of the end of DATE, YYYY-MM-DD "
	"(default: today)\n"
	"      --events FILE     the event log: contacts and consultations "
	"decide the duties\n"
	"      --findings FILE   vet-audit --due output: duties when the log "
	"is not given\n"
	"      --recommendations FILE\n"
	"                        vet-match --top output, kept in each "
	"veteran's plan\n"
	"      --street NAME     only the veterans of street NAME\n"
	"      --community NAME  only the veterans of community NAME\n"
	"      --format F        jsonl (default): the plans; html, md, text, "
	"xlsx: the worklist\n"
	"      --unmask          show ids and phones whole in the worklist\n"
	"      --policy FILE     policy file (default: the built-in Beijing "
	"2023 policy)\n"
	VET_CLI_USAGE_COMMON;

enum {
	OPT_RECS = VET_OPT_FIRST_TOOL,
	OPT_STREET,
	OPT_COMMUNITY,
	OPT_FORMAT
};

static const struct option opts[] = {
	VET_CLI_LONGOPTS,
	VET_CLI_OPT_AS_OF,
	VET_CLI_OPT_EVENTS,
	VET_CLI_OPT_FINDINGS,
	{ "recommendations", required_argument, NULL, OPT_RECS },
	{ "street", required_argument, NULL, OPT_STREET },
	{ "community", required_argument, NULL, OPT_COMMUNITY },
	{ "format", required_argument, NULL, OPT_FORMAT },
	VET_CLI_OPT_UNMASK,
	VET_CLI_OPT_POLICY,
	{ NULL, 0, NULL, 0 }
};

/* The side files: a bad line is rejected with its file and line. */
static int
side_event(void *ctx, const struct vet_record *rec, struct vet_span line,
    struct vet_error *err)
{
	return vet_plan_add_event(ctx, rec, err);
}

static int
side_finding(void *ctx, const struct vet_record *rec, struct vet_span line,
    struct vet_error *err)
{
	return vet_plan_add_finding(ctx, rec, err);
}

static int
side_rec(void *ctx, const struct vet_record *rec, struct vet_span line,
    struct vet_error *err)
{
	return vet_plan_add_recommendation(ctx, rec, line, err);
}

static void
read_sides(struct vet_cli *cli, struct vet_plan *pl, const char *const *side)
{
	if (side[0] != NULL)
		vet_cli_read_side(cli, side[0], side_event, pl);
	if (side[1] != NULL)
		vet_cli_read_side(cli, side[1], side_finding, pl);
	if (side[2] != NULL)
		vet_cli_read_side(cli, side[2], side_rec, pl);
	if (side[0] == NULL && side[1] == NULL)
		vet_cli_note(cli, "no --events or --findings: the month's "
		    "duties are not known");
}

/* The worklist format of --format F, or -1 for jsonl (the plans). */
static int
worklist_format(struct vet_cli *cli, const char *f)
{
	static const char *const names[] = { "html", "md", "text", "xlsx",
	    NULL };
	int i;

	if (strcmp(f, "jsonl") == 0)
		return -1;
	for (i = 0; names[i] != NULL; i++)
		if (strcmp(f, names[i]) == 0)
			return i;
	vet_cli_usage_error(cli, "unknown format '%s' (jsonl, html, md, "
	    "text or xlsx)", f);
}

/* The worklist shows the phone to call; the plan does not carry it. */
static void
add_to_worklist(struct vet_cli *cli, struct vet_worklist *wl,
    const struct vet_record *rec, const struct vet_buf *plan)
{
	struct vet_error err;
	struct vet_span phone;

	if (vet_record_str(rec, "phone", &cli->scratch, &phone) != 1)
		phone.p = NULL, phone.n = 0;
	if (vet_worklist_add(wl, plan->data, plan->len, phone.p, phone.n,
	    &err) < 0)
		vet_cli_die(cli, &err);
}

/*
 * The options: the side files (--events, --findings, --recommendations)
 * into side, the station cut, and the worklist format (-1: the plans).
 */
static int
options(struct vet_cli *cli, int argc, char **argv, const char **side,
    const char **street, const char **community)
{
	const char *format = "jsonl";
	int c, wf;

	while ((c = getopt_long(argc, argv, VET_CLI_SHORTOPTS, opts,
	    NULL)) != -1)
		if (!vet_cli_option(cli, c, optarg))
			switch (c) {
			case OPT_RECS:
				side[2] = optarg;
				break;
			case OPT_STREET:
				*street = optarg;
				break;
			case OPT_COMMUNITY:
				*community = optarg;
				break;
			case OPT_FORMAT:
				format = optarg;
				break;
			default:
				vet_cli_usage(cli);
			}
	if ((wf = worklist_format(cli, format)) == VET_WORKLIST_XLSX)
		vet_cli_workbook(cli);
	side[0] = cli->opt.events;
	side[1] = cli->opt.findings;
	return wf;
}

/* The worklist, one output for all the plans: written counts them. */
static void
write_worklist(struct vet_cli *cli, struct vet_worklist *wl,
    enum vet_worklist_format wf, struct vet_buf *out, long long nplans)
{
	struct vet_error err;

	vet_buf_reset(out);
	if (vet_worklist_write(wl, wf, out, &err) < 0)
		vet_cli_die(cli, &err);
	vet_cli_write(cli, out->data, out->len, 0);
	cli->nwritten = nplans;
}

int
main(int argc, char **argv)
{
	static struct vet_cli cli;	/* see cli.h: not on the stack */
	struct vet_plan *pl;
	struct vet_worklist *wl = NULL;
	struct vet_policy *p;
	struct vet_record rec;
	struct vet_error err;
	struct vet_buf out = VET_BUF_INIT;
	struct vet_span line;
	const char *side[3] = { NULL, NULL, NULL }, *street = NULL,
	    *community = NULL;
	long long nplans = 0;
	vet_day as_of;
	int rc, kept, wf;

	vet_cli_init(&cli, "vet-plan", usage);
	wf = options(&cli, argc, argv, side, &street, &community);
	as_of = vet_cli_as_of(&cli, cli.opt.as_of);
	/* Two side files on standard input, or one with the veterans,
	 * would swallow each other. */
	vet_cli_stdin_once(&cli, side, 3, argc - optind, argv + optind,
	    "only one of the inputs may be standard input");

	p = vet_cli_load_policy(&cli, cli.opt.policy);
	vet_error_clear(&err);
	if (vet_plan_new(&pl, p, as_of, side[0] != NULL, &err) < 0 ||
	    (wf >= 0 && vet_worklist_new(&wl, p, as_of, cli.opt.unmask,
	    &err) < 0))
		vet_cli_die(&cli, &err);
	vet_plan_set_station(pl, street, community);
	vet_cli_input(&cli, "--events", side[0]);
	vet_cli_input(&cli, "--findings", side[1]);
	vet_cli_input(&cli, "--recommendations", side[2]);
	vet_cli_input(&cli, "--policy", cli.opt.policy);
	vet_cli_start(&cli, argc - optind, argv + optind);
	read_sides(&cli, pl, side);

	vet_record_init(&rec);
	while (vet_cli_next_record(&cli, &rec, &line, VET_CLI_ID_ONCE)) {
		vet_buf_reset(&out);
		rc = vet_plan_veteran(pl, &rec, &out, &kept, &err);
		if (!vet_cli_took(&cli, rc, line, &err) || !kept)
			continue;
		nplans++;
		if (wl == NULL)
			vet_cli_write(&cli, out.data, out.len, 1);
		else
			add_to_worklist(&cli, wl, &rec, &out);
	}
	vet_record_release(&rec);
	if (wl != NULL)
		write_worklist(&cli, wl, (enum vet_worklist_format)wf, &out,
		    nplans);
	vet_buf_release(&out);
	vet_worklist_free(wl);
	vet_plan_free(pl);
	vet_policy_free(p);
	return vet_cli_finish(&cli);
}
