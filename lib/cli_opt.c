/*
 * cli_opt.c - what the mains of the vet-* programs parse the same way
 * (cli.h): --as-of, integer options, the policy and the mapping files, so
 * that a bad value gets one message and one exit code in every tool.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "vet/cli.h"
#include "vet/date.h"
#include "vet/io.h"
#include "vet/mapping.h"
#include "vet/policy.h"

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
