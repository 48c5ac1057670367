/*
 * export.c - records to a sheet (export.h): the columns, the words of each
 * cell, and the two writers (CSV for Excel and WPS, an xlsx workbook).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xlsxwriter.h>

#include "vet/buf.h"
#include "vet/csv.h"
#include "vet/date.h"
#include "vet/encoding.h"
#include "vet/error.h"
#include "vet/export.h"
#include "vet/hash.h"
#include "vet/io.h"
#include "vet/json.h"
#include "vet/mapping.h"
#include "vet/schema.h"
#include "vet/mask.h"
#include "vet/policy.h"
#include "vet/record.h"
#include "vet/utf8.h"
#include "vet/xlsxout.h"
#include "xlsxout_impl.h"

/* Records held to choose the columns, at most this many bytes of them. */
#define HOLD_MAX ((size_t)16 << 20)
/* The header row of a rejects file's source, at most. */
#define HEADER_MAX ((size_t)1 << 20)

enum { NKINDS = 3 };

/* A column. */
struct col {
	char *name;		/* the field; in a CSV rejects sheet, the
				 * source's header text */
	char *head;		/* the header written */
	int type;		/* enum vet_ftype, or -1: no schema has it */
	const struct vet_schema_field *sf;	/* its words; NULL: none */
	int codes;		/* values are policy codes */
	int ids;		/* an array of ids */
	int names;		/* values name fields (a diff's field) */
	int problem;		/* the 问题 column of a rejects sheet */
	double width;
};

/* A cell of the row being made; text in x->cell. */
enum { CV_EMPTY, CV_TEXT, CV_ID, CV_NUM, CV_DATE };

struct cv {
	int k;
	size_t off, len;
	double num;
	vet_day day;
};

struct vet_export {
	struct vet_export_opts o;
	int en;
	vet_sink_fn sink;
	void *ctx;
	enum vet_export_kind kind;
	enum vet_kind order[NKINDS];	/* whose fields, the kind's first */
	/* The veteran mapping, for a CSV rejects sheet's own header only:
	 * the schema gives every other word, with no table to build. */
	struct vet_mapping vmap;
	int vmap_ready;

	struct col *cols;
	size_t ncol, capcol;
	struct vet_strmap colix;	/* field -> column */
	int decided;

	/* the first records, until the columns are known */
	struct vet_buf held;
	size_t *hoff, *hlen, nheld, caphold;

	struct vet_record rec, raw;
	const struct vet_field **slot;	/* the field of each column */
	struct cv *cv;
	struct vet_buf cell, tmp, tmp2, line, masked, rawtext;

	/* xlsx */
	/* Its own allocation: 8 KiB of paths a CSV run need not clear. */
	struct vet_xlsxout *xl;
	int xl_open;
	lxw_worksheet *ws;
	struct vet_xlsxout_fmt fmt;	/* head, date and wrap are used */
	long long row;		/* rows of the current sheet, header too */
	size_t nsheets;
	char sheets[16][64];

	/* rejects */
	int rj_mode;		/* 0 undecided, 1 rows were JSON, 2 CSV */
	char *rj_source;
	struct vet_buf rj_header;	/* the header row, UTF-8 */
	struct vet_csv csv;
	int csv_init;

	long long rows, cut;
	int fields_ignored;
	int started;		/* a CSV header or BOM was written */
};

static const char *const kind_names[] = { "auto", "veteran", "job",
	"event", "finding", "recommendation", "diff", "reject", NULL };

/* The sheet of each kind: the tool's own words. */
static const char *const sheet_zh[] = { "数据", "退役军人", "岗位", "事件",
	"审计发现", "岗位推荐", "比对差异", "待修正" };
static const char *const sheet_en[] = { "data", "veterans", "jobs",
	"events", "findings", "recommendations", "diffs", "to fix" };

int
vet_export_kind_parse(const char *s, enum vet_export_kind *out)
{
	int i;

	for (i = 0; kind_names[i] != NULL; i++)
		if (strcmp(s, kind_names[i]) == 0) {
			*out = (enum vet_export_kind)i;
			return 0;
		}
	return VET_EUSAGE;
}

const char *
vet_export_kind_name(enum vet_export_kind k)
{
	return kind_names[k];
}

/* ---- the words: one place to look them up ----------------------------- */

/*
 * The header of field name and the schema field whose words its values
 * use: the record kinds' fields, the kind's first (each field's first
 * header, its label), then the headers of the fields the tools add.  The
 * mapping vet-intake reads is built from the same tables, so a sheet
 * written with these reads back (test_schema.c holds the two equal).
 */
static const char *
header_of(const struct vet_export *x, const char *name,
    const struct vet_schema_field **sfp)
{
	const struct vet_schema_field *sf;
	const char *h;
	size_t i;

	*sfp = NULL;
	for (i = 0; i < NKINDS; i++)
		if ((sf = vet_schema_field(x->order[i], name)) != NULL) {
			*sfp = sf;
			return x->en ? name : sf->zh;
		}
	if (!x->en && (h = vet_schema_added_label(name)) != NULL)
		return h;
	return name;
}

/*
 * The word for code (n bytes) in column c, its length in *len: an enum's
 * or bool's value word from the schema, a category's, measure's or
 * check's label from the policy; the code itself when there is none, and
 * always in English.
 */
static const char *
word(const struct vet_export *x, const struct col *c, const char *code,
    size_t n, size_t *len)
{
	const struct vet_schema_field *sf;
	const char *w = NULL;
	char z[128];

	*len = n;
	if (x->en)
		return code;
	if (c->names) {
		if (n >= sizeof z)
			return code;
		memcpy(z, code, n);
		z[n] = '\0';
		if ((w = header_of(x, z, &sf)) == z)
			return code;
		*len = strlen(w);
		return w;
	}
	if (c->codes && x->o.policy != NULL) {
		if (n >= sizeof z)
			return code;
		memcpy(z, code, n);
		z[n] = '\0';
		if ((w = vet_policy_label(x->o.policy, z, "zh")) == NULL)
			return code;
		*len = strlen(w);
		return w;
	}
	if (c->sf != NULL && (c->type == VET_FT_ENUM ||
	    c->type == VET_FT_BOOL))
		w = vet_schema_word(c->sf, code, n, len);
	if (w == NULL)
		*len = n;
	return w ? w : code;
}

/* 是 / 否 for a JSON boolean anywhere, its length in *len. */
static const char *
bool_word(const struct vet_export *x, int v, size_t *len)
{
	const struct vet_schema_field *sf;
	const char *code = v ? "true" : "false", *w = NULL;

	*len = strlen(code);
	if (x->en)
		return code;
	/* Any bool field of the veteran schema has the boolean words. */
	sf = vet_schema_field(VET_KIND_VETERAN, "labor_capacity");
	if (sf != NULL)
		w = vet_schema_word(sf, code, *len, len);
	if (w == NULL)
		*len = strlen(code);
	return w ? w : code;
}

/* ---- columns ------------------------------------------------------------ */

static int
add_col(struct vet_export *x, const char *name, size_t n, int problem)
{
	struct col *c;
	const char *h;
	long f;
	int rc;

	if (x->ncol == x->capcol) {
		size_t cap = x->capcol ? x->capcol * 2 : 32;

		if ((c = realloc(x->cols, cap * sizeof *c)) == NULL)
			return VET_ENOMEM;
		x->cols = c;
		x->capcol = cap;
	}
	c = &x->cols[x->ncol];
	memset(c, 0, sizeof *c);
	c->type = -1;
	if ((c->name = malloc(n + 1)) == NULL)
		return VET_ENOMEM;
	memcpy(c->name, name, n);
	c->name[n] = '\0';
	c->problem = problem;
	if (problem)
		h = x->en ? "problems" : VET_MAPPING_PROBLEMS;
	else if (x->rj_mode == 2) {
		/* The source's own header: its column is what the station
		 * wrote, read back the same way. */
		h = c->name;
		if (!x->vmap_ready) {
			if ((rc = vet_mapping_init(&x->vmap,
			    VET_KIND_VETERAN)) < 0) {
				free(c->name);
				return rc;
			}
			x->vmap_ready = 1;
		}
		if ((f = vet_mapping_header(&x->vmap, c->name, n)) >= 0) {
			c->sf = vet_schema_field(VET_KIND_VETERAN,
			    x->vmap.fields[f].name);
			c->type = (int)x->vmap.fields[f].type;
		}
	} else {
		h = header_of(x, c->name, &c->sf);
		if (c->sf != NULL)
			c->type = (int)c->sf->type;
		c->codes = strcmp(c->name, "categories") == 0 ||
		    strcmp(c->name, "measures") == 0 ||
		    strcmp(c->name, "check") == 0;
		c->ids = strcmp(c->name, "ids") == 0;
		c->names = strcmp(c->name, "field") == 0 ||
		    strcmp(c->name, "fields") == 0;
	}
	if ((c->head = strdup(h)) == NULL) {
		free(c->name);
		return VET_ENOMEM;
	}
	/* Only a workbook has column widths. */
	if (x->o.format == VET_EXPORT_XLSX)
		c->width = vet_xlsxout_width(c->head, strlen(c->head));
	if (!problem && x->rj_mode != 2) {
		rc = vet_strmap_put(&x->colix, name, n, x->ncol, NULL);
		if (rc < 0) {
			free(c->name);
			free(c->head);
			return VET_ENOMEM;
		}
		if (rc == 0) {
			/* Named twice in --fields: one column. */
			free(c->name);
			free(c->head);
			return 0;
		}
	}
	x->ncol++;
	return 0;
}

/* The key of field fd as text (decoded when it has escapes), in tmp. */
static struct vet_span
key_text(struct vet_export *x, const struct vet_field *fd)
{
	struct vet_span k = fd->key, q;

	if (!fd->key_escaped)
		return k;
	q.p = k.p - 1;
	q.n = k.n + 2;
	vet_buf_reset(&x->tmp2);
	if (vet_json_unescape(&x->tmp2, q) < 0)
		return k;
	k.p = vet_buf_str(&x->tmp2);
	k.n = x->tmp2.len;
	return k;
}

/* The record a held or given line shows: a reject's row, or itself. */
static int row_record(struct vet_export *x, const struct vet_record *r,
    const struct vet_record **out, struct vet_error *err);

/*
 * Chooses the columns from the records held: the fields of the kind's
 * schema in its order, then the others as they first appear.
 */
static int
decide(struct vet_export *x, struct vet_error *err)
{
	struct vet_strmap seen;
	struct vet_buf names = VET_BUF_INIT;
	size_t *off = NULL, *len = NULL, *p2, nn = 0, cap = 0, i, j, v, nf;
	const struct vet_record *r;
	const struct vet_schema_field *sf;
	struct vet_span k;
	int rc = 0;

	x->decided = 1;
	if (x->kind == VET_EXPORT_REJECT && x->rj_mode == 2)
		return 0;	/* the source's header */
	if (x->kind == VET_EXPORT_REJECT &&
	    (rc = add_col(x, VET_MAPPING_PROBLEMS,
	    strlen(VET_MAPPING_PROBLEMS), 1)) < 0)
		return rc;
	if (x->o.fields != NULL) {
		const char *p = x->o.fields, *q;

		for (; rc == 0 && *p; p = *q ? q + 1 : q) {
			q = strchr(p, ',');
			if (q == NULL)
				q = p + strlen(p);
			if (q > p)
				rc = add_col(x, p, (size_t)(q - p), 0);
		}
		return rc;
	}
	vet_strmap_init(&seen);
	for (i = 0; rc == 0 && i < x->nheld; i++) {
		if ((rc = vet_record_parse(&x->rec, x->held.data + x->hoff[i],
		    x->hlen[i], err)) < 0)
			break;
		if ((rc = row_record(x, &x->rec, &r, err)) < 0)
			break;
		/* A failed allocation ends the loop with rc set: a column
		 * lost would make a sheet that looks whole. */
		for (j = 0; rc == 0 && j < r->n; j++) {
			k = key_text(x, &r->fields[j]);
			if ((rc = vet_strmap_put(&seen, k.p, k.n, nn,
			    NULL)) < 0)
				break;
			if (rc == 0)
				continue;
			rc = 0;
			if (nn == cap) {
				cap = cap ? cap * 2 : 64;
				if ((p2 = realloc(off, cap * sizeof *off)) ==
				    NULL) {
					rc = VET_ENOMEM;
					break;
				}
				off = p2;
				if ((p2 = realloc(len, cap * sizeof *len)) ==
				    NULL) {
					rc = VET_ENOMEM;
					break;
				}
				len = p2;
			}
			off[nn] = names.len;
			len[nn++] = k.n;
			if (vet_buf_add(&names, k.p, k.n) < 0)
				rc = VET_ENOMEM;
		}
	}
	sf = vet_schema_fields(x->order[0], &nf);
	for (i = 0; rc == 0 && i < nf; i++)
		if (vet_strmap_get(&seen, sf[i].name, strlen(sf[i].name), &v))
			rc = add_col(x, sf[i].name, strlen(sf[i].name), 0);
	/* The others; add_col() skips the fields already there. */
	for (i = 0; rc == 0 && i < nn; i++)
		rc = add_col(x, names.data + off[i], len[i], 0);
	vet_strmap_release(&seen);
	vet_buf_release(&names);
	free(off);
	free(len);
	return rc == VET_ENOMEM ? vet_error_nomem(err) : rc;
}

/* ---- the text of a cell ------------------------------------------------- */

static void
put(struct vet_export *x, const char *s, size_t n, int *oom)
{
	if (vet_buf_add(&x->cell, s, n) < 0)
		*oom = 1;
}

/* Text from the data: masked unless --unmask. */
static void
put_text(struct vet_export *x, const char *s, size_t n, int *oom)
{
	if (x->o.unmask)
		put(x, s, n, oom);
	else if (vet_mask_text(&x->cell, s, n) < 0)
		*oom = 1;
}

/* An id or a phone: masked whole unless --unmask. */
static void
put_secret(struct vet_export *x, const char *s, size_t n, int phone,
    int *oom)
{
	if (x->o.unmask) {
		put(x, s, n, oom);
		return;
	}
	vet_buf_reset(&x->masked);
	if (vet_buf_grow(&x->masked, n + 16) < 0) {
		*oom = 1;
		return;
	}
	if (phone)
		vet_mask_phone(s, n, x->masked.data, x->masked.cap);
	else
		vet_mask_id(s, n, x->masked.data, x->masked.cap);
	put(x, x->masked.data, strlen(x->masked.data), oom);
}

/* A code's word (word()). */
static void
put_code(struct vet_export *x, const struct col *c, struct vet_span s,
    int *oom)
{
	const char *w;
	size_t n;

	w = word(x, c, s.p, s.n, &n);
	put_text(x, w, n, oom);
}

static void put_value(struct vet_export *x, const struct col *c,
    struct vet_span v, int *oom);

/*
 * An object in one line: a reason ({"code","clause","detail"}) reads
 * "label（clause）：detail"; other members follow as "key value".
 */
static void
put_object(struct vet_export *x, struct vet_span v, int *oom)
{
	static const struct col plain = { .type = -1 };
	static const struct col codes = { .type = -1, .codes = 1 };
	struct vet_json_iter it;
	struct vet_span k, e, ks, code = { NULL, 0 }, clause = { NULL, 0 },
	    detail = { NULL, 0 };
	int first = 1;

	vet_json_iter_init(&it, v);
	while (vet_json_iter_next(&it, &k, &e)) {
		if (vet_json_string_eq(k, "code"))
			code = e;
		else if (vet_json_string_eq(k, "clause"))
			clause = e;
		else if (vet_json_string_eq(k, "detail"))
			detail = e;
	}
	if (code.p != NULL) {
		put_value(x, &codes, code, oom);
		first = 0;
	}
	if (clause.p != NULL) {
		put(x, x->en ? " (" : "（", strlen(x->en ? " (" : "（"), oom);
		put_value(x, &plain, clause, oom);
		put(x, x->en ? ")" : "）", strlen(x->en ? ")" : "）"), oom);
		first = 0;
	}
	if (detail.p != NULL) {
		if (!first)
			put(x, x->en ? ": " : "：",
			    strlen(x->en ? ": " : "："), oom);
		put_value(x, &plain, detail, oom);
		first = 0;
	}
	vet_json_iter_init(&it, v);
	while (vet_json_iter_next(&it, &k, &e)) {
		if (vet_json_string_eq(k, "code") ||
		    vet_json_string_eq(k, "clause") ||
		    vet_json_string_eq(k, "detail"))
			continue;
		if (!first)
			put(x, " ", 1, oom);
		first = 0;
		if (vet_json_string(k, &x->tmp, &ks) == 0)
			put_text(x, ks.p, ks.n, oom);
		put(x, " ", 1, oom);
		put_value(x, &plain, e, oom);
	}
}

/* One JSON value of column c as text: a string by its column's rules, a
 * number as written, a boolean as 是 / 否, an object in one line, a nested
 * array as its JSON text. */
static void
put_value(struct vet_export *x, const struct col *c, struct vet_span v,
    int *oom)
{
	struct vet_span s;

	switch (vet_json_type_of(v)) {
	case VET_JSON_NULL:
		break;
	case VET_JSON_TRUE:
	case VET_JSON_FALSE:
		s.p = bool_word(x, vet_json_type_of(v) == VET_JSON_TRUE, &s.n);
		put(x, s.p, s.n, oom);
		break;
	case VET_JSON_NUMBER:
		put(x, v.p, v.n, oom);
		break;
	case VET_JSON_STRING:
		if (vet_json_string(v, &x->tmp, &s) < 0) {
			*oom = 1;
			break;
		}
		if (c->type == VET_FT_ID || c->ids)
			put_secret(x, s.p, s.n, 0, oom);
		else if (c->type == VET_FT_PHONE)
			put_secret(x, s.p, s.n, 1, oom);
		else if (c->codes || c->names || c->type == VET_FT_ENUM ||
		    c->type == VET_FT_BOOL)
			put_code(x, c, s, oom);
		else
			put_text(x, s.p, s.n, oom);
		break;
	case VET_JSON_OBJECT:
		put_object(x, v, oom);
		break;
	case VET_JSON_ARRAY:
		put_text(x, v.p, v.n, oom);
		break;
	}
}

/* A date the sheet can show as a date: YYYY-MM-DD, from 1900-03-01 on
 * (Excel's day numbers count a 1900-02-29 that never was). */
static int
as_date(struct vet_span s, vet_day *d)
{
	vet_day lo;

	if (s.n != 10 || vet_date_parse(s.p, s.n, d) < 0)
		return 0;
	vet_date_from_ymd(1900, 3, 1, &lo);
	return *d >= lo;
}

/* The cell of column c for field fd (NULL: absent). */
static void
make_cell(struct vet_export *x, const struct col *c,
    const struct vet_field *fd, struct cv *out, int *oom)
{
	const char *sep = x->en ? "; " : "、";
	struct vet_json_iter it;
	struct vet_span e, s;
	size_t n = 0;
	int objects = 0;

	out->k = CV_EMPTY;
	out->off = x->cell.len;
	out->len = 0;
	if (fd == NULL || fd->type == VET_JSON_NULL)
		return;
	switch (fd->type) {
	case VET_JSON_NUMBER:
		out->k = CV_NUM;
		if (vet_json_number(fd->val, &out->num) < 0)
			out->k = CV_TEXT;
		put(x, fd->val.p, fd->val.n, oom);
		break;
	case VET_JSON_STRING:
		out->k = c->type == VET_FT_ID || c->type == VET_FT_PHONE ?
		    CV_ID : CV_TEXT;
		if ((c->type == VET_FT_DATE || c->type == -1) &&
		    vet_json_string(fd->val, &x->tmp, &s) == 0 &&
		    as_date(s, &out->day))
			out->k = CV_DATE;
		put_value(x, c, fd->val, oom);
		break;
	case VET_JSON_ARRAY:
		out->k = CV_TEXT;
		vet_json_iter_init(&it, fd->val);
		while (vet_json_iter_next(&it, NULL, &e)) {
			if (vet_json_type_of(e) == VET_JSON_OBJECT)
				objects = 1;
			if (n++ > 0)
				put(x, objects ? "\n" : sep,
				    strlen(objects ? "\n" : sep), oom);
			put_value(x, c, e, oom);
		}
		/* An empty list is a word, not an empty cell, which would
		 * read back as unknown. */
		if (n == 0)
			put(x, vet_mapping_empty_list_word(),
			    strlen(vet_mapping_empty_list_word()), oom);
		break;
	default:
		out->k = CV_TEXT;
		put_value(x, c, fd->val, oom);
	}
	out->len = x->cell.len - out->off;
}

/* ---- writers ------------------------------------------------------------ */

static int
emit(struct vet_export *x, const char *p, size_t n)
{
	return x->sink(x->ctx, p, n);
}

/*
 * One CSV field.  An id or a phone gets a leading tab: Excel and WPS then
 * keep it as text instead of turning it into 1.10105E+17 (and LibreOffice
 * too), and vet-intake trims it away.  Other text that a spreadsheet would
 * run as a formula (= + - @, a tab or CR first) gets an apostrophe, as
 * vet-report's csv does.
 */
static void
csv_field(struct vet_export *x, const struct cv *v, int *oom)
{
	const char *s = x->cell.data + v->off;
	size_t i, n = v->len;
	int quote = 0;

	if (v->k == CV_EMPTY)
		return;
	for (i = 0; i < n; i++)
		if (s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r')
			quote = 1;
	if (quote && vet_buf_addch(&x->line, '"') < 0)
		*oom = 1;
	if (v->k == CV_ID && vet_buf_addch(&x->line, '\t') < 0)
		*oom = 1;
	if (v->k == CV_TEXT && n > 0 && (s[0] == '=' || s[0] == '+' ||
	    s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r') &&
	    vet_buf_addch(&x->line, '\'') < 0)
		*oom = 1;
	for (i = 0; i < n; i++) {
		if (s[i] == '"' && vet_buf_addch(&x->line, '"') < 0)
			*oom = 1;
		if (vet_buf_addch(&x->line, s[i]) < 0)
			*oom = 1;
	}
	if (quote && vet_buf_addch(&x->line, '"') < 0)
		*oom = 1;
}

static int
csv_row(struct vet_export *x, const struct cv *v, size_t n)
{
	size_t i;
	int oom = 0;

	vet_buf_reset(&x->line);
	if (!x->started && x->o.bom && vet_buf_add(&x->line,
	    "\xEF\xBB\xBF", 3) < 0)
		oom = 1;
	x->started = 1;
	for (i = 0; i < n; i++) {
		if (i > 0 && vet_buf_addch(&x->line, ',') < 0)
			oom = 1;
		csv_field(x, &v[i], &oom);
	}
	if (vet_buf_add(&x->line, "\r\n", 2) < 0 || oom)
		return VET_ENOMEM;
	return emit(x, x->line.data, x->line.len);
}

static int
new_sheet(struct vet_export *x)
{
	const char *base = (x->en ? sheet_en : sheet_zh)[x->kind];
	size_t i;

	/* A sheet full at Excel's last row goes on as "base (2)", ... */
	if ((x->ws = vet_xlsxout_add_sheet(x->xl, base, strlen(base))) ==
	    NULL)
		return VET_ENOMEM;
	if (x->nsheets < 16)
		snprintf(x->sheets[x->nsheets], sizeof x->sheets[0], "%s",
		    x->ws->name);
	x->nsheets++;
	for (i = 0; i < x->ncol; i++)
		worksheet_write_string(x->ws, 0, (lxw_col_t)i,
		    x->cols[i].head, x->fmt.head);
	worksheet_freeze_panes(x->ws, 1, 0);
	x->row = 1;
	return 0;
}

/* Widths and the filter of the header row, once the rows are known. */
static void
sheet_end(struct vet_export *x)
{
	size_t i;

	if (x->ws == NULL)
		return;
	for (i = 0; i < x->ncol; i++)
		worksheet_set_column(x->ws, (lxw_col_t)i, (lxw_col_t)i,
		    x->cols[i].width, NULL);
	if (x->ncol > 0)
		worksheet_autofilter(x->ws, 0, 0, (lxw_row_t)(x->row - 1),
		    (lxw_col_t)(x->ncol - 1));
}

static int
xlsx_row(struct vet_export *x, const struct cv *v, size_t n)
{
	const char *mark = x->en ? "…[cut]" : "…[已截断]";
	lxw_datetime dt;
	lxw_col_t col;
	size_t i, len;
	double w;
	int y, m, d, rc;

	if (x->ws == NULL || x->row >= VET_XLSXOUT_MAX_ROWS) {
		sheet_end(x);
		if ((rc = new_sheet(x)) < 0)
			return rc;
	}
	if (n > VET_XLSXOUT_MAX_COLS)
		n = VET_XLSXOUT_MAX_COLS;
	for (i = 0; i < n; i++) {
		col = (lxw_col_t)i;
		len = v[i].len;
		switch (v[i].k) {
		case CV_EMPTY:
			continue;
		case CV_NUM:
			worksheet_write_number(x->ws, (lxw_row_t)x->row, col,
			    v[i].num, NULL);
			break;
		case CV_DATE:
			vet_date_to_ymd(v[i].day, &y, &m, &d);
			memset(&dt, 0, sizeof dt);
			dt.year = y;
			dt.month = m;
			dt.day = d;
			worksheet_write_datetime(x->ws, (lxw_row_t)x->row, col,
			    &dt, x->fmt.date);
			len = 10;
			break;
		default:
			/* Excel holds 32 767 characters in a cell: more is
			 * cut, marked and counted, never lost unsaid. */
			if ((rc = vet_xlsxout_cell_text(&x->tmp2, x->cell.data +
			    v[i].off, v[i].len, mark)) < 0)
				return rc;
			x->cut += rc;
			worksheet_write_string(x->ws, (lxw_row_t)x->row, col,
			    vet_buf_str(&x->tmp2),
			    memchr(x->tmp2.data, '\n', x->tmp2.len) ?
			    x->fmt.wrap : NULL);
		}
		if (i < x->ncol) {
			w = vet_xlsxout_width(x->cell.data + v[i].off, len);
			if (w > x->cols[i].width)
				x->cols[i].width = w;
		}
	}
	x->row++;
	return 0;
}

static int
write_row(struct vet_export *x, const struct cv *v, size_t n)
{
	x->rows++;
	return x->o.format == VET_EXPORT_CSV ? csv_row(x, v, n) :
	    xlsx_row(x, v, n);
}

static int
write_header(struct vet_export *x)
{
	struct cv *v;
	size_t i;
	int rc, oom = 0;

	if (x->o.format != VET_EXPORT_CSV)
		return 0;	/* each sheet writes its own */
	if ((v = calloc(x->ncol + 1, sizeof *v)) == NULL)
		return VET_ENOMEM;
	vet_buf_reset(&x->cell);
	for (i = 0; i < x->ncol; i++) {
		v[i].k = CV_TEXT;
		v[i].off = x->cell.len;
		put(x, x->cols[i].head, strlen(x->cols[i].head), &oom);
		v[i].len = x->cell.len - v[i].off;
	}
	rc = oom ? VET_ENOMEM : csv_row(x, v, x->ncol);
	free(v);
	return rc;
}

/* ---- rejects ------------------------------------------------------------ */

static int
b64(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	return c == '+' ? 62 : c == '/' ? 63 : -1;
}

/* Bytes that are text: UTF-8 as they are, else GB18030 decoded (what
 * Excel on Chinese Windows writes); appended to out. */
static int
as_text(const char *p, size_t n, struct vet_buf *out, struct vet_error *err)
{
	struct vet_decoder d;
	size_t bad;
	int rc;

	if (vet_utf8_valid(p, n))
		return vet_buf_add(out, p, n) < 0 ? VET_ENOMEM : 0;
	if ((rc = vet_decoder_open(&d, VET_ENC_GB18030, err)) < 0)
		return rc;
	rc = vet_decoder_run(&d, p, n, 0, out, &bad, err);
	vet_decoder_close(&d);
	return rc;
}

/*
 * The row of reject r, as text, into x->rawtext: the exact bytes of
 * raw_base64 when there are any (a GBK row's), else raw.
 */
static int
reject_raw(struct vet_export *x, const struct vet_record *r,
    struct vet_error *err)
{
	const struct vet_field *f;
	struct vet_span s;
	size_t i;
	unsigned v = 0;
	int bits = 0, c, rc;

	vet_buf_reset(&x->rawtext);
	if ((f = vet_record_get(r, "raw_base64")) != NULL &&
	    f->type == VET_JSON_STRING) {
		vet_buf_reset(&x->tmp2);
		for (i = 1; i + 1 < f->val.n; i++) {
			if (f->val.p[i] == '=')
				break;
			if ((c = b64((unsigned char)f->val.p[i])) < 0)
				return vet_error_set(err, VET_EDATA, NULL, 0,
				    0, "bad base64 in 'raw_base64'");
			v = v << 6 | (unsigned)c;
			if ((bits += 6) >= 8) {
				bits -= 8;
				if (vet_buf_addch(&x->tmp2,
				    (int)(v >> bits & 0xFF)) < 0)
					return VET_ENOMEM;
			}
		}
		rc = as_text(x->tmp2.data ? x->tmp2.data : "", x->tmp2.len,
		    &x->rawtext, err);
		if (rc == VET_EDATA)
			return vet_error_set(err, VET_EDATA, NULL, 0, 0,
			    "the rejected row is neither UTF-8 nor GB18030 "
			    "text: fix it in the source file");
		return rc;
	}
	if ((f = vet_record_get(r, "raw")) == NULL ||
	    f->type != VET_JSON_STRING)
		return vet_error_set(err, VET_EDATA, NULL, 0, 0,
		    "not a reject: no 'raw' or 'raw_base64'");
	if (vet_json_string(f->val, &x->tmp, &s) < 0 ||
	    vet_buf_add(&x->rawtext, s.p, s.n) < 0)
		return VET_ENOMEM;
	return 0;
}

/* The first line of the file a CSV row came from: its header. */
static int
read_header(struct vet_export *x, const char *source, struct vet_buf *out,
    struct vet_error *err)
{
	struct vet_input *in;
	struct vet_span line;
	char path[4096];
	const char *hash;
	int rc;

	snprintf(path, sizeof path, "%s", x->o.header_file ?
	    x->o.header_file : source);
	/* A sheet's rows name it as FILE#SHEET. */
	if (x->o.header_file == NULL && (hash = strrchr(path, '#')) != NULL)
		path[hash - path] = '\0';
	if ((rc = vet_input_open(&in, path, err)) < 0)
		return vet_error_set(err, rc == VET_ENOENT ? VET_EDATA : rc,
		    NULL, 0, 0, "no header for the rejected rows of '%s': "
		    "cannot open it (give --header FILE)", path);
	rc = vet_input_line(in, &line, HEADER_MAX, NULL, NULL, err);
	if (rc == VET_LINE_OK && ((line.n >= 4 &&
	    memcmp(line.p, "PK\3\4", 4) == 0) || (line.n >= 4 &&
	    memcmp(line.p, "\xD0\xCF\x11\xE0", 4) == 0)))
		/* Its header row is wherever vet-intake found it, which a
		 * reject does not say. */
		rc = vet_error_set(err, VET_EDATA, NULL, 0, 0,
		    "no header for the rejected rows of '%s': it is a "
		    "workbook (give --header FILE, the sheet's header row "
		    "with tabs between the cells)", path);
	else if (rc == VET_LINE_OK) {
		if (line.n >= 3 && memcmp(line.p, "\xEF\xBB\xBF", 3) == 0) {
			line.p += 3;
			line.n -= 3;
		}
		if (line.n > 0 && line.p[line.n - 1] == '\r')
			line.n--;
		vet_buf_reset(out);
		rc = as_text(line.p, line.n, out, err);
		if (rc == VET_EDATA)
			rc = vet_error_set(err, VET_EDATA, NULL, 0, 0,
			    "the header of '%s' is neither UTF-8 nor GB18030",
			    path);
	} else if (rc >= 0)
		rc = vet_error_set(err, VET_EDATA, NULL, 0, 0,
		    "no header for the rejected rows of '%s': %s", path,
		    rc == VET_LINE_EOF ? "it is empty" :
		    "its first line is too long");
	vet_input_close(in);
	return rc;
}

/* Splits text into cells with the reader's delimiter, as vet-intake
 * does: x->csv's row. */
static int
split(struct vet_export *x, const char *p, size_t n, struct vet_csv_row *row,
    struct vet_error *err)
{
	return vet_csv_split(&x->csv, p, n, row, err);
}

/* The header of a CSV rejects sheet: 问题, then the source's columns. */
static int
reject_columns(struct vet_export *x, const char *source,
    struct vet_error *err)
{
	struct vet_csv_row row;
	size_t i;
	int rc;

	/* Nothing is kept until the header is read and split: a failure
	 * leaves the sheet undecided, for the next row to try again. */
	if ((rc = read_header(x, source, &x->rj_header, err)) < 0)
		return rc;
	if (x->csv_init)
		vet_csv_release(&x->csv);
	vet_csv_init(&x->csv, NULL, NULL, memchr(x->rj_header.data, '\t',
	    x->rj_header.len) ? '\t' : ',', 0, 0);
	x->csv_init = 1;
	if ((rc = split(x, x->rj_header.data, x->rj_header.len, &row,
	    err)) < 0)
		return rc;
	if ((x->rj_source = strdup(source)) == NULL)
		return VET_ENOMEM;
	x->rj_mode = 2;
	if ((rc = add_col(x, VET_MAPPING_PROBLEMS,
	    strlen(VET_MAPPING_PROBLEMS), 1)) < 0)
		return rc;
	for (i = 0; i < row.n && rc == 0; i++) {
		struct vet_span h = vet_trim(row.fields[i]);

		rc = add_col(x, h.p, h.n, 0);
	}
	return rc;
}

/* The reasons of reject r in one cell. */
static void
put_problems(struct vet_export *x, const struct vet_record *r, int *oom)
{
	const struct vet_field *f = vet_record_get(r, "errors");
	struct vet_json_iter it;
	struct vet_span e, s;
	size_t n = 0;

	if (f == NULL || f->type != VET_JSON_ARRAY)
		return;
	vet_json_iter_init(&it, f->val);
	while (vet_json_iter_next(&it, NULL, &e)) {
		if (vet_json_type_of(e) != VET_JSON_STRING ||
		    vet_json_string(e, &x->tmp, &s) < 0)
			continue;
		if (n++ > 0)
			put(x, x->en ? "; " : "；", strlen(x->en ? "; " : "；"),
			    oom);
		put_text(x, s.p, s.n, oom);
	}
}

/* A CSV rejects row: 问题, then the cells as the station wrote them. */
static int
reject_csv_row(struct vet_export *x, const struct vet_record *r,
    struct vet_error *err)
{
	struct vet_csv_row row;
	struct vet_span src = { "", 0 };
	const struct vet_field *f;
	struct vet_buf h = VET_BUF_INIT;
	struct cv *v;
	size_t i, n;
	int rc, oom = 0;

	/* Another source must have the same header, or its cells would go
	 * under the wrong columns. */
	if ((f = vet_record_get(r, "source")) != NULL &&
	    f->type == VET_JSON_STRING &&
	    vet_json_string(f->val, &x->tmp, &src) == 0 &&
	    x->o.header_file == NULL &&
	    (strlen(x->rj_source) != src.n ||
	    memcmp(x->rj_source, src.p, src.n) != 0)) {
		char name[1024];

		snprintf(name, sizeof name, "%.*s", (int)src.n, src.p);
		rc = read_header(x, name, &h, err);
		if (rc == 0 && (h.len != x->rj_header.len ||
		    memcmp(h.data, x->rj_header.data, h.len) != 0))
			rc = vet_error_set(err, VET_EDATA, NULL, 0, 0,
			    "a row of '%s', whose header is not that of '%s': "
			    "export the rejects of each source apart", name,
			    x->rj_source);
		vet_buf_release(&h);
		if (rc < 0)
			return rc;
	}
	if ((rc = split(x, x->rawtext.data ? x->rawtext.data : "",
	    x->rawtext.len, &row, err)) < 0) {
		if (rc != VET_EDATA)
			return rc;
		/* Not one CSV record: the text whole, in the first cell. */
		row.n = 1;
		row.fields = &src;
		src.p = x->rawtext.data ? x->rawtext.data : "";
		src.n = x->rawtext.len;
	}
	n = row.n + 1 > x->ncol ? row.n + 1 : x->ncol;
	if ((v = calloc(n, sizeof *v)) == NULL)
		return VET_ENOMEM;
	vet_buf_reset(&x->cell);
	v[0].k = CV_TEXT;
	put_problems(x, r, &oom);
	v[0].len = x->cell.len;
	for (i = 0; i < row.n; i++) {
		const struct col *c = i + 1 < x->ncol ? &x->cols[i + 1] : NULL;
		struct vet_span s = row.fields[i];

		v[i + 1].off = x->cell.len;
		if (s.n == 0)
			continue;
		v[i + 1].k = CV_TEXT;
		if (c != NULL && (c->type == VET_FT_ID ||
		    c->type == VET_FT_PHONE)) {
			v[i + 1].k = CV_ID;
			put_secret(x, s.p, s.n, c->type == VET_FT_PHONE, &oom);
		} else
			put_text(x, s.p, s.n, &oom);
		v[i + 1].len = x->cell.len - v[i + 1].off;
	}
	rc = oom ? VET_ENOMEM : write_row(x, v, row.n + 1);
	free(v);
	return rc;
}

/* ---- records ------------------------------------------------------------ */

static int
row_record(struct vet_export *x, const struct vet_record *r,
    const struct vet_record **out, struct vet_error *err)
{
	int rc;

	*out = r;
	if (x->kind != VET_EXPORT_REJECT)
		return 0;
	if ((rc = reject_raw(x, r, err)) < 0)
		return rc;
	if ((rc = vet_record_parse(&x->raw, x->rawtext.data ?
	    x->rawtext.data : "", x->rawtext.len, err)) < 0)
		return rc;
	*out = &x->raw;
	return 0;
}

/* A record as a row of the columns. */
static int
record_row(struct vet_export *x, const struct vet_record *r0,
    struct vet_error *err)
{
	const struct vet_record *r;
	struct vet_span k;
	size_t i, c, first = 0;
	int rc, oom = 0;

	if ((rc = row_record(x, r0, &r, err)) < 0)
		return rc;
	for (i = 0; i < x->ncol; i++)
		x->slot[i] = NULL;
	for (i = 0; i < r->n; i++) {
		k = key_text(x, &r->fields[i]);
		if (vet_strmap_get(&x->colix, k.p, k.n, &c)) {
			if (x->slot[c] == NULL)
				x->slot[c] = &r->fields[i];
			continue;
		}
		if (x->o.fields != NULL || r->fields[i].type == VET_JSON_NULL)
			continue;
		return vet_error_set(err, VET_EDATA, NULL, 0, 0,
		    "field '%.*s' is not among the columns (chosen from the "
		    "first records); name the columns with --fields",
		    (int)(k.n > 64 ? 64 : k.n), k.p);
	}
	vet_buf_reset(&x->cell);
	if (x->kind == VET_EXPORT_REJECT) {
		/* The problems of r0, the row of r. */
		x->cv[0].k = CV_TEXT;
		x->cv[0].off = 0;
		put_problems(x, r0, &oom);
		x->cv[0].len = x->cell.len;
		first = 1;
	}
	for (i = first; i < x->ncol; i++)
		make_cell(x, &x->cols[i], x->slot[i], &x->cv[i], &oom);
	if (oom)
		return vet_error_nomem(err);
	return write_row(x, x->cv, x->ncol);
}

/* ---- the export --------------------------------------------------------- */

static enum vet_export_kind
detect(const struct vet_record *r)
{
	if (vet_record_get(r, "errors") != NULL &&
	    (vet_record_get(r, "raw") != NULL ||
	    vet_record_get(r, "raw_base64") != NULL))
		return VET_EXPORT_REJECT;
	if (vet_record_get(r, "diff") != NULL)
		return VET_EXPORT_DIFF;
	if (vet_record_get(r, "check") != NULL)
		return VET_EXPORT_FINDING;
	if (vet_record_get(r, "rank") != NULL &&
	    vet_record_get(r, "job_id") != NULL)
		return VET_EXPORT_RECOMMENDATION;
	if (vet_record_get(r, "job_id") != NULL &&
	    vet_record_get(r, "title") != NULL)
		return VET_EXPORT_JOB;
	if (vet_record_get(r, "type") != NULL &&
	    vet_record_get(r, "date") != NULL)
		return VET_EXPORT_EVENT;
	return VET_EXPORT_VETERAN;
}

/* The record kinds whose headers and words a kind's fields take, its own
 * first. */
static void
set_kind(struct vet_export *x, enum vet_export_kind k)
{
	static const enum vet_kind all[NKINDS] = { VET_KIND_VETERAN,
	    VET_KIND_JOB, VET_KIND_EVENT };
	int first = k == VET_EXPORT_JOB ? 1 : k == VET_EXPORT_EVENT ? 2 : 0,
	    i, j = 0;

	x->kind = k;
	x->order[j++] = all[first];
	for (i = 0; i < NKINDS; i++)
		if (i != first)
			x->order[j++] = all[i];
}

/* The columns are known: room for a row, and the CSV header. */
static int
columns_known(struct vet_export *x)
{
	x->decided = 1;
	if ((x->slot = calloc(x->ncol + 1, sizeof *x->slot)) == NULL ||
	    (x->cv = calloc(x->ncol + 1, sizeof *x->cv)) == NULL)
		return VET_ENOMEM;
	return write_header(x);
}

/* Decides the columns from what is held, then writes what is held. */
static int
release(struct vet_export *x, struct vet_error *err)
{
	size_t i;
	int rc;

	if ((rc = decide(x, err)) < 0)
		return rc;
	/* columns_known() fills no error: its failures are these two. */
	if ((rc = columns_known(x)) < 0)
		return rc == VET_ENOMEM ? vet_error_nomem(err) :
		    vet_error_set(err, rc, NULL, 0, 0,
		    "cannot write the header");
	for (i = 0; i < x->nheld; i++) {
		if ((rc = vet_record_parse(&x->rec, x->held.data + x->hoff[i],
		    x->hlen[i], err)) < 0 ||
		    (rc = record_row(x, &x->rec, err)) < 0)
			return rc;
	}
	x->nheld = 0;
	vet_buf_release(&x->held);
	return 0;
}

static int
hold(struct vet_export *x, const char *line, size_t n)
{
	if (x->nheld == x->caphold) {
		size_t cap = x->caphold ? x->caphold * 2 : 64;
		size_t *o = realloc(x->hoff, cap * sizeof *o), *l;

		if (o == NULL)
			return VET_ENOMEM;
		x->hoff = o;
		if ((l = realloc(x->hlen, cap * sizeof *l)) == NULL)
			return VET_ENOMEM;
		x->hlen = l;
		x->caphold = cap;
	}
	x->hoff[x->nheld] = x->held.len;
	x->hlen[x->nheld++] = n;
	return vet_buf_add(&x->held, line, n) < 0 ? VET_ENOMEM : 0;
}

int
vet_export_new(struct vet_export **xp, const struct vet_export_opts *o,
    vet_sink_fn sink, void *ctx, struct vet_error *err)
{
	struct vet_export *x;
	int rc;

	*xp = NULL;
	if (o->fields != NULL && o->fields[strspn(o->fields, ",")] == '\0')
		return vet_error_set(err, VET_EUSAGE, NULL, 0, 0,
		    "--fields names no field");
	if ((x = calloc(1, sizeof *x)) == NULL)
		return vet_error_nomem(err);
	x->o = *o;
	x->en = o->lang != NULL && strcmp(o->lang, "en") == 0;
	x->sink = sink;
	x->ctx = ctx;
	vet_strmap_init(&x->colix);
	vet_record_init(&x->rec);
	vet_record_init(&x->raw);
	*xp = x;
	set_kind(x, o->kind == VET_EXPORT_AUTO ? VET_EXPORT_VETERAN :
	    o->kind);
	x->kind = o->kind;
	if (o->format == VET_EXPORT_XLSX) {
		if ((x->xl = calloc(1, sizeof *x->xl)) == NULL)
			return vet_error_nomem(err);
		if ((rc = vet_xlsxout_open(x->xl, 1, o->created,
		    x->en ? "vet-export" : "导出表格", err)) < 0)
			return rc;
		x->xl_open = 1;
		if (vet_xlsxout_formats(x->xl, &x->fmt, err) < 0)
			return VET_ENOMEM;
	}
	return 0;
}

int
vet_export_add(struct vet_export *x, const struct vet_record *r,
    const char *line, size_t n, struct vet_error *err)
{
	struct vet_span t;
	int rc, mode;

	if (x->kind == VET_EXPORT_AUTO)
		set_kind(x, detect(r));
	if (x->kind == VET_EXPORT_REJECT) {
		if ((rc = reject_raw(x, r, err)) < 0)
			return rc;
		t.p = x->rawtext.data ? x->rawtext.data : "";
		t.n = x->rawtext.len;
		t = vet_trim(t);
		mode = t.n > 0 && t.p[0] == '{' && vet_record_parse(&x->raw,
		    t.p, t.n, NULL) == 0 ? 1 : 2;
		if (x->rj_mode == 0) {
			if (mode == 1)
				x->rj_mode = 1;
			else {
				struct vet_span src;
				char name[1024];

				if (vet_record_str(r, "source", &x->tmp,
				    &src) <= 0)
					return vet_error_set(err, VET_EDATA,
					    NULL, 0, 0, "a rejected row "
					    "without 'source': no header for "
					    "it (give --header FILE)");
				snprintf(name, sizeof name, "%.*s",
				    (int)src.n, src.p);
				x->fields_ignored = x->o.fields != NULL;
				if ((rc = reject_columns(x, name, err)) < 0 ||
				    (rc = columns_known(x)) < 0)
					return rc;
			}
		} else if (x->rj_mode != mode)
			return vet_error_set(err, VET_EDATA, NULL, 0, 0,
			    "a rejected %s among rejected %s: export them "
			    "apart", mode == 1 ? "JSON record" : "CSV row",
			    mode == 1 ? "CSV rows" : "JSON records");
		if (mode == 2)
			return reject_csv_row(x, r, err);
	}
	if (!x->decided) {
		if ((rc = hold(x, line, n)) < 0)
			return vet_error_nomem(err);
		if (x->o.fields == NULL && x->nheld < VET_EXPORT_SAMPLE &&
		    x->held.len < HOLD_MAX)
			return 0;
		return release(x, err);
	}
	return record_row(x, r, err);
}

int
vet_export_finish(struct vet_export *x, struct vet_error *err)
{
	int rc;

	if (x->kind == VET_EXPORT_AUTO)
		set_kind(x, VET_EXPORT_VETERAN);
	if (!x->decided && (rc = release(x, err)) < 0)
		return rc;
	if (x->o.format != VET_EXPORT_XLSX)
		return 0;
	/* No record at all: a sheet with the header, if any. */
	if (x->ws == NULL && (rc = new_sheet(x)) < 0)
		return vet_error_nomem(err);
	sheet_end(x);
	x->xl_open = 0;
	rc = vet_xlsxout_close(x->xl, x->sink, x->ctx, err);
	if (rc == VET_ENOMEM)
		vet_error_nomem(err);
	return rc;
}

void
vet_export_stats(const struct vet_export *x, struct vet_export_stats *st)
{
	size_t i;

	memset(st, 0, sizeof *st);
	st->kind = x->kind;
	st->rows = x->rows;
	st->cut = x->cut;
	st->nsheets = x->nsheets;
	for (i = 0; i < x->nsheets && i < 16; i++)
		st->sheet[i] = x->sheets[i];
	st->fields_ignored = x->fields_ignored;
}

void
vet_export_free(struct vet_export *x)
{
	size_t i;

	if (x == NULL)
		return;
	if (x->xl_open)
		vet_xlsxout_discard(x->xl);
	free(x->xl);
	if (x->vmap_ready)
		vet_mapping_release(&x->vmap);
	for (i = 0; i < x->ncol; i++) {
		free(x->cols[i].name);
		free(x->cols[i].head);
	}
	free(x->cols);
	vet_strmap_release(&x->colix);
	vet_buf_release(&x->held);
	free(x->hoff);
	free(x->hlen);
	vet_record_release(&x->rec);
	vet_record_release(&x->raw);
	free(x->slot);
	free(x->cv);
	vet_buf_release(&x->cell);
	vet_buf_release(&x->tmp);
	vet_buf_release(&x->tmp2);
	vet_buf_release(&x->line);
	vet_buf_release(&x->masked);
	vet_buf_release(&x->rawtext);
	free(x->rj_source);
	vet_buf_release(&x->rj_header);
	if (x->csv_init)
		vet_csv_release(&x->csv);
	free(x);
}
