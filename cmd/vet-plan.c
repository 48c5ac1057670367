/*
 * vet-plan - 一人一策、工作清单 (SPEC 3, 二(三)(十)): the plan of each
 * veteran for the period as of a day, and the station's worklist of the
 * month built from those plans.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
	OPT_AS_OF = VET_OPT_FIRST_TOOL,
	OPT_EVENTS,
	OPT_FINDINGS,
	OPT_RECS,
	OPT_STREET,
	OPT_COMMUNITY,
	OPT_FORMAT,
	OPT_UNMASK,
	OPT_POLICY
};

static const struct option opts[] = {
	VET_CLI_LONGOPTS,
	{ "as-of", required_argument, NULL, OPT_AS_OF },
	{ "events", required_argument, NULL, OPT_EVENTS },
	{ "findings", required_argument, NULL, OPT_FINDINGS },
	{ "recommendations", required_argument, NULL, OPT_RECS },
	{ "street", required_argument, NULL, OPT_STREET },
	{ "community", required_argument, NULL, OPT_COMMUNITY },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "unmask", no_argument, NULL, OPT_UNMASK },
	{ "policy", required_argument, NULL, OPT_POLICY },
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

/* Two side files on standard input, or one with the veterans, would
 * swallow each other. */
static void
check_stdin(struct vet_cli *cli, const char *const *side, int nside,
    int argc, char **argv)
{
	int i, n = 0;

	for (i = 0; i < nside; i++)
		n += side[i] != NULL && strcmp(side[i], "-") == 0;
	if (n == 0)
		return;
	if (optind == argc)
		n++;
	for (i = optind; i < argc; i++)
		n += strcmp(argv[i], "-") == 0;
	if (n > 1)
		vet_cli_usage_error(cli, "only one of the inputs may be "
		    "standard input");
}

int
main(int argc, char **argv)
{
	struct vet_cli cli;
	struct vet_plan *pl;
	struct vet_worklist *wl = NULL;
	struct vet_policy *p;
	struct vet_record rec;
	struct vet_error err;
	struct vet_buf out = VET_BUF_INIT;
	struct vet_span line, phone;
	const char *as_of_arg = NULL, *side[3] = { NULL, NULL, NULL },
	    *policy = NULL, *street = NULL, *community = NULL,
	    *format = "jsonl";
	enum vet_worklist_format wf = VET_WORKLIST_TEXT;
	long long nplans = 0;
	vet_day as_of;
	int c, rc, kept, unmask = 0, jsonl;

	vet_cli_init(&cli, "vet-plan", usage);
	while ((c = getopt_long(argc, argv, VET_CLI_SHORTOPTS, opts,
	    NULL)) != -1)
		if (!vet_cli_option(&cli, c, optarg))
			switch (c) {
			case OPT_AS_OF:
				as_of_arg = optarg;
				break;
			case OPT_EVENTS:
				side[0] = optarg;
				break;
			case OPT_FINDINGS:
				side[1] = optarg;
				break;
			case OPT_RECS:
				side[2] = optarg;
				break;
			case OPT_STREET:
				street = optarg;
				break;
			case OPT_COMMUNITY:
				community = optarg;
				break;
			case OPT_FORMAT:
				format = optarg;
				break;
			case OPT_UNMASK:
				unmask = 1;
				break;
			case OPT_POLICY:
				policy = optarg;
				break;
			default:
				vet_cli_usage(&cli);
			}
	jsonl = strcmp(format, "jsonl") == 0;
	if (strcmp(format, "html") == 0)
		wf = VET_WORKLIST_HTML;
	else if (strcmp(format, "md") == 0)
		wf = VET_WORKLIST_MD;
	else if (strcmp(format, "xlsx") == 0)
		wf = VET_WORKLIST_XLSX;
	else if (!jsonl && strcmp(format, "text") != 0)
		vet_cli_usage_error(&cli, "unknown format '%s' (jsonl, html, "
		    "md, text or xlsx)", format);
	/* A workbook is bytes for a file, not for a screen. */
	if (wf == VET_WORKLIST_XLSX && (cli.out_path == NULL ||
	    strcmp(cli.out_path, "-") == 0) && isatty(STDOUT_FILENO))
		vet_cli_usage_error(&cli, "--format xlsx writes a workbook: "
		    "name it with -o FILE.xlsx or redirect standard output");
	if (as_of_arg == NULL)
		as_of = vet_date_today();
	else if (vet_date_parse(as_of_arg, strlen(as_of_arg), &as_of) != 0)
		vet_cli_usage_error(&cli, "invalid date '%s' for --as-of "
		    "(YYYY-MM-DD)", as_of_arg);
	check_stdin(&cli, side, 3, argc, argv);

	vet_error_clear(&err);
	if ((rc = vet_policy_load(&p, policy, &err)) < 0) {
		vet_cli_print_error(&cli, &err);
		/* A policy that cannot be opened is a bad policy, as in
		 * vet-classify. */
		exit(rc == VET_ENOENT ? VET_EXIT_CONFIG :
		    vet_status_exit(err.status));
	}
	if (vet_plan_new(&pl, p, as_of, side[0] != NULL, &err) < 0 ||
	    (!jsonl && vet_worklist_new(&wl, p, as_of, unmask, &err) < 0)) {
		vet_cli_print_error(&cli, &err);
		exit(vet_status_exit(err.status));
	}
	vet_plan_set_station(pl, street, community);
	vet_cli_input(&cli, "--events", side[0]);
	vet_cli_input(&cli, "--findings", side[1]);
	vet_cli_input(&cli, "--recommendations", side[2]);
	vet_cli_input(&cli, "--policy", policy);
	vet_cli_start(&cli, argc - optind, argv + optind);
	if (side[0] != NULL)
		vet_cli_read_side(&cli, side[0], side_event, pl);
	if (side[1] != NULL)
		vet_cli_read_side(&cli, side[1], side_finding, pl);
	if (side[2] != NULL)
		vet_cli_read_side(&cli, side[2], side_rec, pl);
	if (side[0] == NULL && side[1] == NULL)
		vet_cli_note(&cli, "no --events or --findings: the month's "
		    "duties are not known");

	vet_record_init(&rec);
	while (vet_cli_next_line(&cli, &line) > 0) {
		vet_error_clear(&err);
		if (vet_record_parse(&rec, line.p, line.n, &err) < 0) {
			if (err.status != VET_EDATA)
				vet_cli_die(&cli, &err);
			vet_cli_reject_err(&cli, line.p, line.n, &err);
			continue;
		}
		vet_buf_reset(&out);
		rc = vet_plan_veteran(pl, &rec, &out, &kept, &err);
		if (rc == VET_EDATA) {
			vet_cli_reject1(&cli, line.p, line.n, err.msg);
			continue;
		}
		if (rc < 0)
			vet_cli_die(&cli, &err);
		if (!kept)
			continue;
		nplans++;
		if (jsonl) {
			vet_cli_write(&cli, out.data, out.len, 1);
			continue;
		}
		/* The worklist shows the phone to call; the plan does not
		 * carry it. */
		if (vet_record_str(&rec, "phone", &cli.scratch, &phone) != 1)
			phone.p = NULL, phone.n = 0;
		if (vet_worklist_add(wl, out.data, out.len, phone.p, phone.n,
		    &err) < 0)
			vet_cli_die(&cli, &err);
	}
	vet_record_release(&rec);
	if (!jsonl) {
		vet_buf_reset(&out);
		if (vet_worklist_write(wl, wf, &out, &err) < 0)
			vet_cli_die(&cli, &err);
		vet_cli_write(&cli, out.data, out.len, 0);
		cli.nwritten = nplans;
	}
	vet_buf_release(&out);
	vet_worklist_free(wl);
	vet_plan_free(pl);
	vet_policy_free(p);
	return vet_cli_finish(&cli);
}
