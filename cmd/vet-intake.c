/*
 * vet-intake - raw station and bureau exports (CSV, TSV, JSON Lines; UTF-8
 * or GBK/GB18030) to canonical JSON Lines records (SPEC 3 vet-intake).
 *
 * CSV is not line-based, so this tool walks its inputs itself: each input
 * is opened with vet_input_open() (gzip is transparent), its first 64 KiB
 * are looked at to tell the format and the encoding, and the bytes then
 * flow through the CSV reader (csv.h), the decoder (encoding.h) and the
 * intake (intake.h).  A record that cannot be trusted goes whole and
 * unchanged to the rejects stream.
 */
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vet/cli.h"
#include "vet/csv.h"
#include "vet/date.h"
#include "vet/encoding.h"
#include "vet/intake.h"
#include "vet/io.h"
#include "vet/mapping.h"
#include "vet/mask.h"
#include "vet/policy.h"
#include "vet/utf8.h"

#define PEEK ((size_t)64 << 10)
#define FLUSH_AT ((size_t)64 << 10)

static const char usage[] =
    "usage: vet-intake [options] [FILE...]\n"
    "\n"
    "Turns station and bureau exports (CSV, TSV or JSON Lines, UTF-8 or\n"
    "GBK/GB18030) into canonical JSON Lines records.\n"
    "\n"
    "  -k, --kind KIND       veteran (default), job, event, extract, or raw\n"
    "                        (headers mapped by --map only, cells as strings)\n"
    "  -f, --format FMT      auto (default: by content), csv, tsv or jsonl\n"
    "  -e, --encoding ENC    auto (default), utf-8, gbk or gb18030\n"
    "  -m, --map FILE        YAML mapping of more headers and values\n"
    "  -p, --policy FILE     policy whose districts are accepted\n"
    "                        (default: the built-in Beijing policy)\n"
    "      --dedupe          keep one record per id, the latest by\n"
    "                        last_contact_date; reject the others\n"
    "      --as-of DATE      reference date for birth dates (default today)\n"
    VET_CLI_USAGE_COMMON;

enum {
	OPT_DEDUPE = VET_OPT_FIRST_TOOL,
	OPT_AS_OF
};

static const struct option opts[] = {
	VET_CLI_LONGOPTS,
	{ "kind", required_argument, NULL, 'k' },
	{ "format", required_argument, NULL, 'f' },
	{ "encoding", required_argument, NULL, 'e' },
	{ "map", required_argument, NULL, 'm' },
	{ "policy", required_argument, NULL, 'p' },
	{ "dedupe", no_argument, NULL, OPT_DEDUPE },
	{ "as-of", required_argument, NULL, OPT_AS_OF },
	{ NULL, 0, NULL, 0 }
};

enum fmt { FMT_AUTO, FMT_CSV, FMT_TSV, FMT_JSONL };

/* The byte source of the CSV reader: the peeked bytes, then the input. */
struct src {
	struct vet_input *in;
	char *peek;
	size_t npeek, pos;
};

static long
src_read(void *ctx, void *p, size_t n, struct vet_error *err)
{
	struct src *s = ctx;
	size_t k;

	if (s->pos < s->npeek) {
		k = s->npeek - s->pos;
		if (k > n)
			k = n;
		memcpy(p, s->peek + s->pos, k);
		s->pos += k;
		return (long)k;
	}
	return vet_input_read(s->in, p, n, err);
}

/*
 * --dedupe: records are spilled to a temporary file in input order, and a
 * hash table keeps, per id, where the record to keep is.  Memory grows
 * with the number of distinct ids (one entry of about 48 bytes each), not
 * with the records; the spill file holds each record's output and raw
 * bytes once.  At the end the spill is read back in order: the kept
 * records are written, the others rejected as duplicates.
 */
struct keep {
	char id[18];
	int used;
	int has_last;
	vet_day last;
	long line;		/* line and input of the record kept */
	int src;
	long long off;		/* its offset in the spill */
};

struct spill_hdr {
	long long line;
	int32_t src;
	uint32_t outlen, rawlen;
	char id[18];
	uint8_t has_id;
};

struct dedupe {
	FILE *f;
	long long off;
	struct keep *tab;
	size_t cap, n;
};

static uint64_t
hash_id(const char *id)
{
	uint64_t h = 1469598103934665603ULL;
	int i;

	for (i = 0; i < 18; i++) {
		h ^= (unsigned char)id[i];
		h *= 1099511628211ULL;
	}
	return h;
}

static struct keep *
dd_find(struct dedupe *d, const char *id)
{
	size_t j = hash_id(id) & (d->cap - 1);

	while (d->tab[j].used && memcmp(d->tab[j].id, id, 18) != 0)
		j = (j + 1) & (d->cap - 1);
	return &d->tab[j];
}

static int
dd_grow(struct dedupe *d)
{
	struct keep *old = d->tab, *k;
	size_t oldcap = d->cap, i;

	d->cap = oldcap ? oldcap * 2 : 1024;
	if ((d->tab = calloc(d->cap, sizeof *d->tab)) == NULL)
		return VET_ENOMEM;
	for (i = 0; i < oldcap; i++)
		if (old[i].used) {
			k = dd_find(d, old[i].id);
			*k = old[i];
		}
	free(old);
	return 0;
}

static void
die_errno(struct vet_cli *cli, const char *what)
{
	struct vet_error err;

	vet_error_set(&err, VET_EIO, NULL, 0, 0, "%s: %s", what,
	    strerror(errno));
	vet_cli_die(cli, &err);
}

static void
dd_add(struct vet_cli *cli, struct dedupe *d, const struct vet_intake *t,
    const char *out, size_t outn, const char *raw, size_t rawn)
{
	struct spill_hdr h;
	struct keep *k;
	struct vet_error err;

	memset(&h, 0, sizeof h);
	h.line = cli->lineno;
	h.src = cli->cur;
	h.outlen = (uint32_t)outn;
	h.rawlen = (uint32_t)rawn;
	h.has_id = (uint8_t)t->has_id;
	if (t->has_id) {
		memcpy(h.id, t->id, 18);
		if ((d->n + 1) * 2 > d->cap && dd_grow(d) < 0) {
			vet_error_set(&err, VET_ENOMEM, NULL, 0, 0,
			    "out of memory");
			vet_cli_die(cli, &err);
		}
		k = dd_find(d, t->id);
		/* The later record wins unless the earlier one was contacted
		 * more recently: an absent date is older than any date. */
		if (!k->used || !k->has_last ||
		    (t->has_last_contact && t->last_contact >= k->last)) {
			if (!k->used)
				d->n++;
			memcpy(k->id, t->id, 18);
			k->used = 1;
			k->has_last = t->has_last_contact;
			k->last = t->last_contact;
			k->line = cli->lineno;
			k->src = cli->cur;
			k->off = d->off;
		}
	}
	if (fwrite(&h, sizeof h, 1, d->f) != 1 ||
	    fwrite(out, 1, outn, d->f) != outn ||
	    fwrite(raw, 1, rawn, d->f) != rawn)
		die_errno(cli, "cannot write the --dedupe spill file");
	d->off += (long long)(sizeof h + outn + rawn);
}

static void
dd_finish(struct vet_cli *cli, struct dedupe *d)
{
	struct spill_hdr h;
	struct vet_buf b = VET_BUF_INIT;
	struct keep *k;
	long long off = 0;
	char masked[32], msg[160];
	size_t n;

	if (fflush(d->f) != 0 || fseek(d->f, 0, SEEK_SET) != 0)
		die_errno(cli, "cannot read the --dedupe spill file");
	while (fread(&h, sizeof h, 1, d->f) == 1) {
		n = h.outlen + h.rawlen;
		vet_buf_reset(&b);
		if (vet_buf_grow(&b, n) < 0) {
			struct vet_error err;

			vet_error_set(&err, VET_ENOMEM, NULL, 0, 0,
			    "out of memory");
			vet_cli_die(cli, &err);
		}
		if (fread(b.data, 1, n, d->f) != n)
			die_errno(cli, "cannot read the --dedupe spill file");
		k = h.has_id ? dd_find(d, h.id) : NULL;
		if (k == NULL || k->off == off)
			vet_cli_write(cli, b.data, h.outlen, 1);
		else {
			cli->src = strcmp(cli->inputs[h.src], "-") == 0 ?
			    "<stdin>" : cli->inputs[h.src];
			cli->lineno = (long)h.line;
			vet_mask_id(h.id, 18, masked, sizeof masked);
			if (k->src == h.src)
				snprintf(msg, sizeof msg, "duplicate id '%s': the "
				    "record on line %ld is kept", masked, k->line);
			else
				snprintf(msg, sizeof msg, "duplicate id '%s': the "
				    "record on line %ld of %s is kept", masked,
				    k->line, cli->inputs[k->src]);
			vet_cli_reject1(cli, b.data + h.outlen, h.rawlen, msg);
		}
		off += (long long)(sizeof h + n);
	}
	if (ferror(d->f))
		die_errno(cli, "cannot read the --dedupe spill file");
	vet_buf_release(&b);
	fclose(d->f);
	free(d->tab);
}

struct run {
	struct vet_cli *cli;
	struct vet_intake *t;
	enum fmt fmt;
	enum vet_encoding enc;
	struct dedupe *dd;
	struct vet_buf out, dec;
	size_t nunknown_told;
};

static void
flush_out(struct run *r)
{
	if (r->out.len > 0)
		vet_cli_write(r->cli, r->out.data, r->out.len, 0);
	vet_buf_reset(&r->out);
}

static void
oom(struct run *r)
{
	struct vet_error err;

	vet_error_set(&err, VET_ENOMEM, NULL, 0, 0, "out of memory");
	vet_cli_die(r->cli, &err);
}

/* Tells once, on standard error, which columns were kept as they are. */
static void
tell_unknown(struct run *r)
{
	struct vet_buf b = VET_BUF_INIT;
	size_t i, n = vet_intake_nunknown(r->t);

	if (n == r->nunknown_told)
		return;
	for (i = r->nunknown_told; i < n; i++) {
		if (i > r->nunknown_told)
			vet_buf_addstr(&b, ", ");
		vet_buf_addf(&b, "'%s'", vet_intake_unknown(r->t, i));
	}
	vet_cli_note(r->cli, "%s: no mapping for %s %s: kept under %s "
	    "header name", r->cli->src, n - r->nunknown_told > 1 ? "columns" :
	    "column", vet_buf_str(&b), n - r->nunknown_told > 1 ? "their" :
	    "its");
	r->nunknown_told = n;
	vet_buf_release(&b);
}

static enum fmt
detect_format(const char *p, size_t n)
{
	size_t i = 0, tabs = 0, commas = 0;
	int inq = 0;

	if (n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' ||
	    p[i] == '\n'))
		i++;
	if (i < n && p[i] == '{')
		return FMT_JSONL;
	/* The header line: tabs against commas, outside quotes. */
	for (; i < n && (inq || p[i] != '\n'); i++) {
		if (p[i] == '"')
			inq = !inq;
		else if (!inq && p[i] == '\t')
			tabs++;
		else if (!inq && p[i] == ',')
			commas++;
	}
	return tabs > commas ? FMT_TSV : FMT_CSV;
}

/* True when every cell is empty or white space: a spreadsheet's blank
 * row, which holds nothing to keep. */
static int
blank_row(const struct vet_csv_row *row)
{
	size_t i;

	for (i = 0; i < row->n; i++)
		if (vet_trim(row->fields[i]).n > 0)
			return 0;
	return 1;
}

static void
emit(struct run *r, const char *raw, size_t rawn, size_t start)
{
	if (r->dd != NULL) {
		dd_add(r->cli, r->dd, r->t, r->out.data + start,
		    r->out.len - start, raw, rawn);
		vet_buf_truncate(&r->out, start);
		return;
	}
	r->cli->nwritten++;
	if (r->out.len >= FLUSH_AT)
		flush_out(r);
}

static void
reject_intake(struct run *r, const char *raw, size_t n)
{
	const char *const *errs;
	size_t k = vet_intake_errors(r->t, &errs);

	vet_cli_reject(r->cli, raw, n, errs, k);
}

/*
 * Rejects a record above --max-record whole: its first part is in the
 * row, the rest is streamed from the reader to the rejects file, so it is
 * never held in memory.
 */
static void
reject_long(struct run *r, struct vet_csv *csv, const struct vet_csv_row *row,
    const char *why)
{
	struct vet_cli *cli = r->cli;
	struct vet_error err;
	struct vet_span chunk;
	int rc;

	vet_cli_reject_begin(cli, &why, 1);
	vet_cli_reject_chunk(cli, row->raw.p, row->raw.n);
	vet_error_clear(&err);
	while ((rc = vet_csv_rest(csv, &chunk, &err)) > 0)
		vet_cli_reject_chunk(cli, chunk.p, chunk.n);
	vet_cli_reject_end(cli);
	if (rc < 0) {
		vet_error_set(&err, err.status, cli->src, 0, 0, "%s", err.msg);
		vet_cli_print_error(cli, &err);
		vet_cli_status(cli, err.status == VET_EIO ? VET_EXIT_IOERR :
		    VET_EXIT_DATA);
	}
}

static const char *
utf8_msg(char *buf, size_t n, long long off)
{
	snprintf(buf, n, "invalid UTF-8 at byte offset %lld", off);
	return buf;
}

/* Reads one input through to its end. */
static void
do_input(struct run *r, struct vet_input *in)
{
	struct vet_cli *cli = r->cli;
	struct src s;
	struct vet_csv csv;
	struct vet_csv_row row;
	struct vet_decoder dec;
	struct vet_error err;
	enum vet_encoding enc = r->enc;
	enum fmt fmt = r->fmt;
	int rc, eof = 0, header, delim;
	long k;
	size_t start, bad;
	char hdrmsg[600];

	memset(&s, 0, sizeof s);
	s.in = in;
	if ((s.peek = malloc(PEEK)) == NULL)
		oom(r);
	while (s.npeek < PEEK) {
		vet_error_clear(&err);
		k = vet_input_read(in, s.peek + s.npeek, PEEK - s.npeek, &err);
		if (k < 0) {
			vet_cli_print_error(cli, &err);
			vet_cli_status(cli, err.status == VET_EIO ?
			    VET_EXIT_IOERR : VET_EXIT_DATA);
			break;
		}
		if (k == 0) {
			eof = 1;
			break;
		}
		s.npeek += (size_t)k;
	}
	if (fmt == FMT_AUTO)
		fmt = detect_format(s.peek, s.npeek);
	if (enc == VET_ENC_AUTO) {
		if (s.npeek >= 3 && memcmp(s.peek, "\xef\xbb\xbf", 3) == 0)
			enc = VET_ENC_UTF8;
		else
			enc = vet_encoding_detect(s.peek, s.npeek, eof);
		if (enc == VET_ENC_GB18030)
			vet_cli_note(cli, "%s: not UTF-8, reading as GB18030",
			    cli->src);
	}
	if (vet_decoder_open(&dec, enc, &err) < 0)
		vet_cli_die(cli, &err);
	delim = fmt == FMT_JSONL ? VET_CSV_LINES : fmt == FMT_TSV ? '\t' : ',';
	vet_csv_init(&csv, src_read, &s, delim, cli->max_record, 0);
	/* JSON Lines have no header: a bad first line is only that line. */
	header = delim != VET_CSV_LINES;
	hdrmsg[0] = '\0';
	for (;;) {
		vet_error_clear(&err);
		rc = vet_csv_next(&csv, &row, &err);
		if (rc < 0) {
			vet_error_set(&err, err.status, cli->src, 0, 0, "%s",
			    err.msg);
			vet_cli_print_error(cli, &err);
			vet_cli_status(cli, err.status == VET_EIO ?
			    VET_EXIT_IOERR : err.status == VET_ENOMEM ?
			    VET_EXIT_SOFTWARE : VET_EXIT_DATA);
			break;
		}
		if (rc == VET_CSV_EOF)
			break;
		cli->lineno = row.line;
		if (rc == VET_CSV_ROW && vet_trim(row.raw).n == 0)
			continue;	/* an empty line */
		if (rc == VET_CSV_BAD) {
			vet_cli_count_read(cli);
			if (row.cut)
				reject_long(r, &csv, &row, err.msg);
			else
				vet_cli_reject1(cli, row.raw.p, row.raw.n,
				    err.msg);
			if (header)
				goto no_header;
			continue;
		}
		if (row.has_high && enc == VET_ENC_UTF8) {
			/* UTF-8 needs no copy, only a check; JSON Lines are
			 * checked by the JSON parser itself. */
			if (delim != VET_CSV_LINES && (bad =
			    vet_utf8_valid_prefix(row.raw.p, row.raw.n)) !=
			    row.raw.n) {
				vet_cli_count_read(cli);
				vet_cli_reject1(cli, row.raw.p, row.raw.n,
				    utf8_msg(hdrmsg, sizeof hdrmsg,
				    row.offset + (long long)bad));
				if (header)
					goto no_header;
				continue;
			}
		} else if (row.has_high) {
			vet_buf_reset(&r->dec);
			if (vet_decoder_run(&dec, row.raw.p, row.raw.n,
			    row.offset, &r->dec, &bad, &err) < 0) {
				if (err.status == VET_ENOMEM)
					oom(r);
				vet_cli_count_read(cli);
				vet_cli_reject1(cli, row.raw.p, row.raw.n,
				    err.msg);
				if (header)
					goto no_header;
				continue;
			}
			if (delim != VET_CSV_LINES && vet_csv_split(&csv, r->dec.data, r->dec.len, &row,
			    &err) < 0) {
				vet_cli_count_read(cli);
				vet_cli_reject1(cli, row.raw.p, row.raw.n,
				    err.msg);
				continue;
			}
		}
		if (delim == VET_CSV_LINES) {
			vet_cli_count_read(cli);
			start = r->out.len;
			if (row.has_high && enc != VET_ENC_UTF8)
				rc = vet_intake_json(r->t, r->dec.data,
				    r->dec.len, &r->out);
			else
				rc = vet_intake_json(r->t, row.fields[0].p,
				    row.fields[0].n, &r->out);
			if (rc == VET_ENOMEM)
				oom(r);
			if (rc < 0)
				reject_intake(r, row.raw.p, row.raw.n);
			else
				emit(r, row.raw.p, row.raw.n, start);
			tell_unknown(r);
			continue;
		}
		if (header) {
			header = 0;
			rc = vet_intake_header(r->t, row.fields, row.n, &err);
			if (rc == VET_ENOMEM)
				oom(r);
			if (rc < 0)
				vet_cli_error(cli, "%s", err.msg);
			tell_unknown(r);
			continue;
		}
		if (blank_row(&row))
			continue;
		vet_cli_count_read(cli);
		start = r->out.len;
		rc = vet_intake_row(r->t, row.fields, row.n, &r->out);
		if (rc == VET_ENOMEM)
			oom(r);
		if (rc < 0)
			reject_intake(r, row.raw.p, row.raw.n);
		else
			emit(r, row.raw.p, row.raw.n, start);
		continue;
no_header:
		/* Without a header no row can be mapped: every row is
		 * rejected, so that each can be found in the rejects. */
		snprintf(hdrmsg, sizeof hdrmsg, "no usable header (line %ld: "
		    "%s)", row.line, err.msg);
		header = 0;
		while ((rc = vet_csv_next(&csv, &row, &err)) > 0) {
			cli->lineno = row.line;
			if (vet_trim(row.raw).n == 0)
				continue;
			vet_cli_count_read(cli);
			if (row.cut)
				reject_long(r, &csv, &row, hdrmsg);
			else
				vet_cli_reject1(cli, row.raw.p, row.raw.n,
				    hdrmsg);
		}
		if (rc < 0) {
			vet_error_set(&err, err.status, cli->src, 0, 0, "%s",
			    err.msg);
			vet_cli_print_error(cli, &err);
			vet_cli_status(cli, VET_EXIT_DATA);
		}
		break;
	}
	flush_out(r);
	vet_csv_release(&csv);
	vet_decoder_close(&dec);
	free(s.peek);
}

int
main(int argc, char **argv)
{
	struct vet_cli cli;
	struct vet_mapping map;
	struct vet_policy *pol = NULL;
	struct vet_intake t;
	struct vet_error err;
	struct vet_buf text = VET_BUF_INIT;
	struct vet_input *in;
	struct dedupe dd;
	struct run r;
	enum vet_kind kind = VET_KIND_VETERAN;
	const char *map_path = NULL, *policy_path = NULL;
	vet_day today;
	int c, dedupe = 0, rc;

	vet_cli_init(&cli, "vet-intake", usage);
	memset(&r, 0, sizeof r);
	r.fmt = FMT_AUTO;
	r.enc = VET_ENC_AUTO;
	today = vet_date_today();
	while ((c = getopt_long(argc, argv, VET_CLI_SHORTOPTS "k:f:e:m:p:",
	    opts, NULL)) != -1) {
		if (vet_cli_option(&cli, c, optarg))
			continue;
		switch (c) {
		case 'k':
			if (vet_kind_parse(optarg, &kind) < 0)
				vet_cli_usage_error(&cli, "unknown kind '%s'",
				    optarg);
			break;
		case 'f':
			if (strcmp(optarg, "auto") == 0)
				r.fmt = FMT_AUTO;
			else if (strcmp(optarg, "csv") == 0)
				r.fmt = FMT_CSV;
			else if (strcmp(optarg, "tsv") == 0)
				r.fmt = FMT_TSV;
			else if (strcmp(optarg, "jsonl") == 0)
				r.fmt = FMT_JSONL;
			else
				vet_cli_usage_error(&cli, "unknown format '%s'",
				    optarg);
			break;
		case 'e':
			if (vet_encoding_parse(optarg, &r.enc) < 0)
				vet_cli_usage_error(&cli,
				    "unknown encoding '%s'", optarg);
			break;
		case 'm':
			map_path = optarg;
			break;
		case 'p':
			policy_path = optarg;
			break;
		case OPT_DEDUPE:
			dedupe = 1;
			break;
		case OPT_AS_OF:
			if (vet_date_parse(optarg, strlen(optarg), &today) < 0)
				vet_cli_usage_error(&cli, "bad --as-of date '%s' "
				    "(want YYYY-MM-DD)", optarg);
			break;
		default:
			vet_cli_usage(&cli);
		}
	}
	if (dedupe && kind != VET_KIND_VETERAN && kind != VET_KIND_EXTRACT)
		vet_cli_usage_error(&cli, "--dedupe needs --kind veteran or "
		    "extract (records keyed by id)");

	vet_error_clear(&err);
	if (vet_mapping_init(&map, kind) < 0) {
		vet_error_set(&err, VET_ENOMEM, NULL, 0, 0, "out of memory");
		vet_cli_die(&cli, &err);
	}
	if (map_path != NULL) {
		if ((rc = vet_input_slurp(map_path, &text, &err)) < 0) {
			if (rc == VET_ENOENT)
				err.status = VET_ECONFIG;
			vet_cli_die(&cli, &err);
		}
		if (vet_mapping_load(&map, map_path, text.data, text.len,
		    &err) < 0)
			vet_cli_die(&cli, &err);
		vet_buf_release(&text);
	}
	if (kind != VET_KIND_RAW) {
		if ((rc = vet_policy_load(&pol, policy_path, &err)) < 0) {
			if (rc == VET_ENOENT)
				err.status = VET_ECONFIG;
			vet_cli_die(&cli, &err);
		}
	}
	if (vet_intake_init(&t, &map, pol, today) < 0) {
		vet_error_set(&err, VET_ENOMEM, NULL, 0, 0, "out of memory");
		vet_cli_die(&cli, &err);
	}

	vet_cli_start(&cli, argc - optind, argv + optind);
	if (dedupe) {
		memset(&dd, 0, sizeof dd);
		if ((dd.f = tmpfile()) == NULL)
			die_errno(&cli, "cannot make the --dedupe spill file");
		if (dd_grow(&dd) < 0) {
			vet_error_set(&err, VET_ENOMEM, NULL, 0, 0,
			    "out of memory");
			vet_cli_die(&cli, &err);
		}
		r.dd = &dd;
	}
	r.cli = &cli;
	r.t = &t;
	/* Every row is checked for UTF-8 or decoded before the intake sees it. */
	t.utf8_checked = 1;
	for (cli.cur = 0; cli.cur < cli.ninputs; cli.cur++) {
		vet_error_clear(&err);
		if (vet_input_open(&in, cli.inputs[cli.cur], &err) < 0) {
			vet_cli_print_error(&cli, &err);
			vet_cli_status(&cli, VET_EXIT_NOINPUT);
			continue;
		}
		cli.src = vet_input_name(in);
		cli.lineno = 0;
		do_input(&r, in);
		vet_input_close(in);
	}
	if (dedupe)
		dd_finish(&cli, &dd);
	vet_buf_release(&r.out);
	vet_buf_release(&r.dec);
	vet_intake_release(&t);
	vet_mapping_release(&map);
	vet_policy_free(pol);
	return vet_cli_finish(&cli);
}
