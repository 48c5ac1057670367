/*
 * cli_opt.c - what the mains of the vet-* programs parse the same way
 * (cli.h): the common and the shared options, --as-of, integer and word
 * options, the policy and the mapping files, so that a bad value gets one
 * message and one exit code in every tool.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vet/cli.h"
#include "vet/date.h"
#include "vet/io.h"
#include "vet/mapping.h"
#include "vet/policy.h"

/* The options several tools take (cli.h VET_CLI_OPT_*): kept as given. */
static int
shared_option(struct vet_cli *c, int opt, const char *arg)
{
	static const char *const langs[] = { "zh", "en", NULL };

	switch (opt) {
	case VET_OPT_POLICY:
		c->opt.policy = arg;
		return 1;
	case VET_OPT_AS_OF:
		c->opt.as_of = arg;
		return 1;
	case VET_OPT_EVENTS:
		c->opt.events = arg;
		return 1;
	case VET_OPT_FINDINGS:
		c->opt.findings = arg;
		return 1;
	case VET_OPT_QUARTER:
		c->opt.quarter = arg;
		return 1;
	case VET_OPT_LANG:
		vet_cli_pick(c, "--lang", arg, langs);
		c->opt.lang = arg;
		return 1;
	case VET_OPT_UNMASK:
		c->opt.unmask = 1;
		return 1;
	case VET_OPT_NO_BOM:
		c->opt.no_bom = 1;
		return 1;
	default:
		return 0;
	}
}

int
vet_cli_option(struct vet_cli *c, int opt, const char *arg)
{
	switch (opt) {
	case 'h':
		fputs(c->usage, stdout);
		if (fflush(stdout) != 0 || ferror(stdout))
			exit(VET_EXIT_IOERR);
		exit(VET_EXIT_OK);
	case VET_OPT_VERSION:
		printf("%s (vet) %s\n", c->prog, VET_VERSION);
		if (fflush(stdout) != 0 || ferror(stdout))
			exit(VET_EXIT_IOERR);
		exit(VET_EXIT_OK);
	case 'o':
		c->out_path = arg;
		return 1;
	case 'z':
		c->gzip = 1;
		return 1;
	case VET_OPT_REJECTS:
		c->rejects_path = arg;
		return 1;
	case VET_OPT_STATS:
		c->stats = 1;
		return 1;
	case VET_OPT_MAX_RECORD:
		if (vet_cli_parse_size(arg, &c->max_record) < 0)
			vet_cli_usage_error(c, "invalid size '%s' for "
			    "--max-record", arg);
		return 1;
	default:
		return shared_option(c, opt, arg);
	}
}


int
vet_cli_pick(struct vet_cli *c, const char *opt, const char *arg,
    const char *const *names)
{
	char want[256];
	size_t n = 0, k;
	int i;

	for (i = 0; names[i] != NULL; i++)
		if (strcmp(arg, names[i]) == 0)
			return i;
	/* "want a, b or c", as every tool words it. */
	want[0] = '\0';
	for (k = 0; names[k] != NULL && n < sizeof want; k++)
		n += (size_t)snprintf(want + n, sizeof want - n, "%s%s",
		    k == 0 ? "" : names[k + 1] == NULL ? " or " : ", ",
		    names[k]);
	vet_cli_usage_error(c, "bad %s '%s' (want %s)", opt, arg, want);
}

void
vet_cli_workbook(struct vet_cli *c)
{
	/* A workbook is bytes for a file, not for a screen. */
	if ((c->out_path == NULL || strcmp(c->out_path, "-") == 0) &&
	    isatty(STDOUT_FILENO))
		vet_cli_usage_error(c, "--format xlsx writes a workbook: "
		    "name it with -o FILE.xlsx or redirect standard output");
}

void
vet_cli_stdin_once(struct vet_cli *c, const char *const *side, int nside,
    int nargs, char **args, const char *msg)
{
	int i, n = 0;

	for (i = 0; i < nside; i++)
		n += side[i] != NULL && strcmp(side[i], "-") == 0;
	if (n == 0)
		return;
	n += nargs == 0;
	for (i = 0; i < nargs; i++)
		n += strcmp(args[i], "-") == 0;
	if (n > 1)
		vet_cli_usage_error(c, "%s", msg);
}

vet_day
vet_cli_as_of(struct vet_cli *c, const char *arg)
{
	vet_day d;

	if (arg == NULL)
		return vet_date_today();
	if (vet_date_parse(arg, strlen(arg), &d) != 0)
		vet_cli_usage_error(c, "invalid date '%s' for --as-of "
		    "(YYYY-MM-DD)", arg);
	return d;
}

long long
vet_cli_int(struct vet_cli *c, const char *opt, const char *arg,
    long long min, long long max)
{
	long long v;
	char *end;

	/* Digits only, as strtonum(3): no sign, no space, no overflow that
	 * strtol would clamp or a cast would wrap (4294967297 is not 1). */
	errno = 0;
	v = arg[0] >= '0' && arg[0] <= '9' ? strtoll(arg, &end, 10) : 0;
	if (arg[0] < '0' || arg[0] > '9' || *end != '\0' || errno != 0 ||
	    v < min || v > max) {
		if (max >= INT_MAX)
			vet_cli_usage_error(c, "invalid number '%s' for %s "
			    "(%lld or more)", arg, opt, min);
		vet_cli_usage_error(c, "invalid number '%s' for %s (%lld to "
		    "%lld)", arg, opt, min, max);
	}
	return v;
}

/*
 * A policy or mapping file that cannot be read as one (missing, a
 * directory, larger than VET_SLURP_MAX, bad gzip) is a bad configuration
 * (78), not an unreadable input (66) or bad data (65).
 */
_Noreturn static void
config_failed(struct vet_cli *c, struct vet_error *err)
{
	if (err->status == VET_ENOENT || err->status == VET_EDATA)
		err->status = VET_ECONFIG;
	vet_cli_print_error(c, err);
	vet_cli_abort_status(c, vet_status_exit(err->status));
}

struct vet_policy *
vet_cli_load_policy(struct vet_cli *c, const char *path)
{
	struct vet_policy *p;
	struct vet_error err;

	vet_error_clear(&err);
	if (vet_policy_load(&p, path, &err) < 0)
		config_failed(c, &err);
	return p;
}

void
vet_cli_load_map(struct vet_cli *c, struct vet_mapping *map,
    const char *path)
{
	struct vet_buf text = VET_BUF_INIT;
	struct vet_error err;

	if (path == NULL)
		return;
	vet_error_clear(&err);
	if (vet_input_slurp(path, &text, &err) < 0 ||
	    vet_mapping_load(map, path, text.data, text.len, &err) < 0) {
		vet_buf_release(&text);
		vet_mapping_release(map);
		config_failed(c, &err);
	}
	vet_buf_release(&text);
}
