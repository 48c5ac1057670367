/*
 * xlsx.c - .xlsx workbooks through minizip and expat (xlsx.h).
 *
 * Every part is parsed by the same machinery: part_open() opens a zip
 * entry and an expat parser with the handlers of that part, part_feed()
 * inflates a chunk straight into expat's buffer and parses it.  The small
 * parts (rels, workbook, styles, shared strings) are fed to their end; a
 * sheet is fed until a row ends, where the row handler suspends the parser
 * (XML_StopParser resumable), and vet_xlsx_next() resumes it for the next
 * row.  Names are compared by their local part (expat's namespace mode
 * gives "uri|local"), so a writer that prefixes its elements is read too.
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Debian's expat is built with XML_DTD, which declares the billion
 * laughs settings; expat.h alone does not say so. */
#include <expat_config.h>
#include <expat.h>
#include <minizip/unzip.h>

#include "vet/buf.h"
#include "vet/error.h"
#include "vet/sheet.h"
#include "vet/xlsx.h"
#include "expat_impl.h"
#include "minizip_impl.h"

#define CHUNK ((size_t)64 << 10)
/* A part that is not a sheet nor the shared strings: rels, workbook,
 * styles are kilobytes; anything near this is not a real one. */
#define MAX_SMALL_PART ((unsigned long long)64 << 20)
#define MAX_SHEETS 4096
#define MAX_XF 65536

struct xsheet {
	char *name;
	char *rid;
	char *path;		/* the part in the zip, from the rels */
	int hidden;
};

struct rel {
	char *id, *type, *target;
};

struct cellrec {
	uint32_t col;
	size_t off, len;
	unsigned char kind;
};

enum part_kind { P_RELS, P_WORKBOOK, P_STYLES, P_SST, P_SHEET };

struct vet_xlsx {
	FILE *f;
	unzFile zf;
	size_t max_row;
	enum vet_sheet_epoch epoch;

	struct xsheet *sheets;
	size_t nsheets;
	struct rel *rels;
	size_t nrels;
	char *base;		/* directory of the workbook part, with '/' */
	char *sst_path, *styles_path;

	/* shared strings: text, and nsst + 1 offsets into it */
	struct vet_buf sst;
	size_t *sst_off;
	size_t nsst, capsst;
	int in_si;

	/* styles: numFmt codes by id, then a date flag per cellXfs entry
	 * (0 no, 1 date, 2 time only) */
	struct vet_buf fmttext;
	struct { int id; size_t off, len; } *fmts;
	size_t nfmts, capfmts;
	unsigned char *xfdate;
	size_t nxf, capxf;
	int in_cellxfs;

	/* the part being parsed */
	XML_Parser p;
	enum part_kind kind;
	const char *part;	/* its name, for messages */
	int open;		/* a zip entry is open */
	int eof;		/* its last byte was given to expat */
	int suspended;
	unsigned long long inflated, csize;
	int depth;
	int failed;		/* a handler stopped the parser: */
	char why[160];		/* why */
	int oom;

	/* the sheet being read */
	int in_data, in_row, in_c, in_v, in_is, in_t, rph;
	long rowno, lastrow;
	uint32_t nextcol;
	int ctype;		/* 's', 'b', 'e', 'n', 'i' inline, 'S' str, 'd' */
	int cdate;		/* the cell's style: 0, 1 date, 2 time */
	uint32_t ccol;
	int cskip;		/* a bad reference: the cell is left out */
	size_t cstart;		/* its text in rowtext */
	struct vet_buf vtext;	/* the <v> of the cell */
	struct vet_buf rowtext;
	struct cellrec *cr;
	size_t ncr, capcr;
	struct vet_span *spans;
	unsigned char *kinds;
	size_t capspans, width;
	int row_ready, row_cut;
	char rowbad[160];
	char refbuf[24];
};

/*
 * Expat's memory, counted: its buffers grow with the largest token (a
 * 1 GiB attribute value), so a parser is refused memory beyond
 * VET_XLSX_MAX_XML_MEM.  One reader parses in one thread at a time, so the
 * count is kept per thread.
 */
static _Thread_local size_t xml_mem;

struct mhdr {
	size_t n;
	max_align_t pad;
};

/*
 * Set when the C library, not the cap, refused expat memory: expat says
 * XML_ERROR_NO_MEMORY either way, and only the cap is the workbook's
 * fault (65); the other is the machine's (70), found by fault injection.
 */
static _Thread_local int xml_sys_oom;

static void *
xm_malloc(size_t n)
{
	struct mhdr *h;

	if (n > VET_XLSX_MAX_XML_MEM || xml_mem + n > VET_XLSX_MAX_XML_MEM)
		return NULL;
	if ((h = malloc(sizeof *h + n)) == NULL) {
		xml_sys_oom = 1;
		return NULL;
	}
	h->n = n;
	xml_mem += n;
	return h + 1;
}

static void
xm_free(void *p)
{
	struct mhdr *h;

	if (p == NULL)
		return;
	h = (struct mhdr *)p - 1;
	xml_mem -= h->n;
	free(h);
}

static void *
xm_realloc(void *p, size_t n)
{
	struct mhdr *h, *nh;

	if (p == NULL)
		return xm_malloc(n);
	h = (struct mhdr *)p - 1;
	if (n > h->n && (n > VET_XLSX_MAX_XML_MEM ||
	    xml_mem + (n - h->n) > VET_XLSX_MAX_XML_MEM))
		return NULL;
	if ((nh = realloc(h, sizeof *nh + n)) == NULL) {
		xml_sys_oom = 1;
		return NULL;
	}
	xml_mem = xml_mem - nh->n + n;
	nh->n = n;
	return nh + 1;
}

static const XML_Memory_Handling_Suite xm = { xm_malloc, xm_realloc,
    xm_free };

/*
 * minizip reads through the caller's FILE: the "path" it is given is the
 * FILE itself, which the reader borrows and never closes.
 */
static voidpf ZCALLBACK
zf_open(voidpf opaque, const void *path, int mode)
{
	return (voidpf)path;
}

static uLong ZCALLBACK
zf_read(voidpf opaque, voidpf stream, void *buf, uLong n)
{
	return (uLong)fread(buf, 1, n, stream);
}

static uLong ZCALLBACK
zf_write(voidpf opaque, voidpf stream, const void *buf, uLong n)
{
	return 0;
}

static ZPOS64_T ZCALLBACK
zf_tell(voidpf opaque, voidpf stream)
{
	off_t o = ftello(stream);

	return o < 0 ? (ZPOS64_T)-1 : (ZPOS64_T)o;
}

static long ZCALLBACK
zf_seek(voidpf opaque, voidpf stream, ZPOS64_T off, int origin)
{
	int w = origin == ZLIB_FILEFUNC_SEEK_CUR ? SEEK_CUR :
	    origin == ZLIB_FILEFUNC_SEEK_END ? SEEK_END : SEEK_SET;

	if (off > (ZPOS64_T)INT64_MAX)
		return -1;
	return fseeko(stream, (off_t)off, w) == 0 ? 0 : -1;
}

static int ZCALLBACK
zf_close(voidpf opaque, voidpf stream)
{
	return 0;
}

static int ZCALLBACK
zf_error(voidpf opaque, voidpf stream)
{
	return ferror((FILE *)stream);
}

/* The local part of an expat name "uri|local". */
static const char *
local(const XML_Char *name)
{
	const char *s = strrchr(name, '|');

	return s != NULL ? s + 1 : name;
}

static const char *
attr(const XML_Char **atts, const char *name)
{
	size_t i;

	for (i = 0; atts[i] != NULL; i += 2)
		if (strcmp(local(atts[i]), name) == 0)
			return atts[i + 1];
	return NULL;
}

/* Stops the parser for good with a reason. */
static void
fail(struct vet_xlsx *x, const char *why)
{
	if (!x->failed) {
		x->failed = 1;
		snprintf(x->why, sizeof x->why, "%s", why);
	}
	XML_StopParser(x->p, XML_FALSE);
}

static void
fail_oom(struct vet_xlsx *x)
{
	x->oom = 1;
	fail(x, "out of memory");
}

static int
depth_in(struct vet_xlsx *x)
{
	if (++x->depth > VET_XLSX_MAX_DEPTH) {
		fail(x, "XML nested deeper than 64 elements");
		return 0;
	}
	return 1;
}

/* A DOCTYPE may declare entities; a workbook never has one. */
static void XMLCALL
on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
    const XML_Char *pubid, int has_internal_subset)
{
	fail(ud, "XML with a DOCTYPE (entity declarations are refused)");
}

static void XMLCALL
on_entity(void *ud, const XML_Char *name, int is_param,
    const XML_Char *value, int value_len, const XML_Char *base,
    const XML_Char *sysid, const XML_Char *pubid, const XML_Char *notation)
{
	fail(ud, "XML with an entity declaration");
}

static char *
xstrdup(struct vet_xlsx *x, const char *s)
{
	char *d;

	if (s == NULL)
		s = "";
	if ((d = strdup(s)) == NULL)
		fail_oom(x);
	return d;
}

/* ---- rels ---- */

static void XMLCALL
rels_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct vet_xlsx *x = ud;
	struct rel *r;

	if (!depth_in(x))
		return;
	if (strcmp(local(name), "Relationship") != 0)
		return;
	if (x->nrels >= MAX_SHEETS * 2) {
		fail(x, "more than 8192 relationships");
		return;
	}
	if ((r = realloc(x->rels, (x->nrels + 1) * sizeof *r)) == NULL) {
		fail_oom(x);
		return;
	}
	x->rels = r;
	r = &x->rels[x->nrels++];
	r->id = xstrdup(x, attr(atts, "Id"));
	r->type = xstrdup(x, attr(atts, "Type"));
	r->target = xstrdup(x, attr(atts, "Target"));
}

static void XMLCALL
any_end(void *ud, const XML_Char *name)
{
	struct vet_xlsx *x = ud;

	x->depth--;
}

/* ---- workbook ---- */

static int
truthy(const char *v)
{
	return v != NULL && (strcmp(v, "1") == 0 || strcmp(v, "true") == 0);
}

static void XMLCALL
wb_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct vet_xlsx *x = ud;
	const char *n = local(name), *st;
	struct xsheet *s;

	if (!depth_in(x))
		return;
	if (strcmp(n, "workbookPr") == 0) {
		if (truthy(attr(atts, "date1904")))
			x->epoch = VET_SHEET_1904;
	} else if (strcmp(n, "sheet") == 0) {
		if (x->nsheets >= MAX_SHEETS) {
			fail(x, "more than 4096 sheets");
			return;
		}
		s = realloc(x->sheets, (x->nsheets + 1) * sizeof *s);
		if (s == NULL) {
			fail_oom(x);
			return;
		}
		x->sheets = s;
		s = &x->sheets[x->nsheets++];
		memset(s, 0, sizeof *s);
		s->name = xstrdup(x, attr(atts, "name"));
		s->rid = xstrdup(x, attr(atts, "id"));
		st = attr(atts, "state");
		s->hidden = st != NULL && (strcmp(st, "hidden") == 0 ||
		    strcmp(st, "veryHidden") == 0);
	}
}

/* ---- styles ---- */

static void XMLCALL
st_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct vet_xlsx *x = ud;
	const char *n = local(name), *v, *code;
	size_t i, clen = 0;
	unsigned char *nx;
	int id, t;
	void *nf;

	if (!depth_in(x))
		return;
	if (strcmp(n, "numFmt") == 0) {
		v = attr(atts, "numFmtId");
		code = attr(atts, "formatCode");
		if (v == NULL || code == NULL)
			return;
		if (x->nfmts == x->capfmts) {
			x->capfmts = x->capfmts ? x->capfmts * 2 : 16;
			if (x->capfmts > MAX_XF) {
				fail(x, "more than 65536 number formats");
				return;
			}
			nf = realloc(x->fmts, x->capfmts * sizeof *x->fmts);
			if (nf == NULL) {
				fail_oom(x);
				return;
			}
			x->fmts = nf;
		}
		x->fmts[x->nfmts].id = atoi(v);
		x->fmts[x->nfmts].off = x->fmttext.len;
		x->fmts[x->nfmts].len = strlen(code);
		if (vet_buf_addstr(&x->fmttext, code) < 0) {
			fail_oom(x);
			return;
		}
		x->nfmts++;
	} else if (strcmp(n, "cellXfs") == 0)
		x->in_cellxfs = 1;
	else if (strcmp(n, "xf") == 0 && x->in_cellxfs) {
		if (x->nxf >= MAX_XF) {
			fail(x, "more than 65536 cell formats");
			return;
		}
		if (x->nxf == x->capxf) {
			x->capxf = x->capxf ? x->capxf * 2 : 64;
			if ((nx = realloc(x->xfdate, x->capxf)) == NULL) {
				fail_oom(x);
				return;
			}
			x->xfdate = nx;
		}
		v = attr(atts, "numFmtId");
		id = v != NULL ? atoi(v) : 0;
		code = NULL;
		for (i = 0; i < x->nfmts; i++)
			if (x->fmts[i].id == id) {
				code = x->fmttext.data + x->fmts[i].off;
				clen = x->fmts[i].len;
			}
		x->xfdate[x->nxf] = 0;
		if (vet_sheet_is_date_format(id, code, clen, &t))
			x->xfdate[x->nxf] = t ? 2 : 1;
		x->nxf++;
	}
}

static void XMLCALL
st_end(void *ud, const XML_Char *name)
{
	struct vet_xlsx *x = ud;

	x->depth--;
	if (strcmp(local(name), "cellXfs") == 0)
		x->in_cellxfs = 0;
}

/*
 * OOXML writes a character that XML cannot carry (a carriage return, a
 * control character) as _xHHHH_, the UTF-16 unit in hex, and a literal
 * "_x" that would look like one as _x005F_x.  Decodes [from, len) of b in
 * place: the UTF-8 of a unit is never longer than its seven-byte escape.
 * A lone surrogate is left as written.
 */
static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static long
escape_at(const char *p, size_t n)
{
	long u = 0;
	int i, h;

	if (n < 7 || p[0] != '_' || p[1] != 'x' || p[6] != '_')
		return -1;
	for (i = 2; i < 6; i++) {
		if ((h = hexval((unsigned char)p[i])) < 0)
			return -1;
		u = u * 16 + h;
	}
	return u;
}

static void
unescape_ooxml(struct vet_buf *b, size_t from)
{
	char *p = b->data;
	size_t i, o, n = b->len;
	long u, lo;

	if (p == NULL || memchr(p + from, '_', n - from) == NULL)
		return;
	for (i = o = from; i < n;) {
		if ((u = escape_at(p + i, n - i)) < 0) {
			p[o++] = p[i++];
			continue;
		}
		if (u >= 0xd800 && u <= 0xdbff &&
		    (lo = escape_at(p + i + 7, n - i - 7)) >= 0xdc00 &&
		    lo <= 0xdfff) {
			u = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
			i += 14;
		} else if (u >= 0xd800 && u <= 0xdfff) {
			p[o++] = p[i++];
			continue;
		} else
			i += 7;
		if (u < 0x80)
			p[o++] = (char)u;
		else if (u < 0x800) {
			p[o++] = (char)(0xc0 | u >> 6);
			p[o++] = (char)(0x80 | (u & 0x3f));
		} else if (u < 0x10000) {
			p[o++] = (char)(0xe0 | u >> 12);
			p[o++] = (char)(0x80 | (u >> 6 & 0x3f));
			p[o++] = (char)(0x80 | (u & 0x3f));
		} else {
			p[o++] = (char)(0xf0 | u >> 18);
			p[o++] = (char)(0x80 | (u >> 12 & 0x3f));
			p[o++] = (char)(0x80 | (u >> 6 & 0x3f));
			p[o++] = (char)(0x80 | (u & 0x3f));
		}
	}
	vet_buf_truncate(b, o);
}

/* ---- shared strings ---- */

static void XMLCALL
sst_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct vet_xlsx *x = ud;
	const char *n = local(name);

	if (!depth_in(x))
		return;
	if (strcmp(n, "si") == 0)
		x->in_si = 1;
	else if (strcmp(n, "rPh") == 0)
		x->rph++;
	else if (strcmp(n, "t") == 0 && x->in_si && x->rph == 0)
		x->in_t = 1;
}

static void XMLCALL
sst_end(void *ud, const XML_Char *name)
{
	struct vet_xlsx *x = ud;
	const char *n = local(name);
	size_t *no, cap;

	x->depth--;
	if (strcmp(n, "t") == 0)
		x->in_t = 0;
	else if (strcmp(n, "rPh") == 0 && x->rph > 0)
		x->rph--;
	else if (strcmp(n, "si") == 0 && x->in_si) {
		x->in_si = 0;
		if (x->nsst + 2 > x->capsst) {
			cap = x->capsst ? x->capsst * 2 : 1024;
			if ((no = realloc(x->sst_off, cap * sizeof *no)) ==
			    NULL) {
				fail_oom(x);
				return;
			}
			x->sst_off = no;
			x->capsst = cap;
		}
		unescape_ooxml(&x->sst, x->nsst == 0 ? 0 :
		    x->sst_off[x->nsst]);
		x->nsst++;
		x->sst_off[x->nsst] = x->sst.len;
		if (x->sst.len + x->nsst * sizeof(size_t) > VET_XLSX_MAX_SST)
			fail(x, "shared strings over 256 MiB: save the sheet "
			    "as CSV");
	}
}

static void XMLCALL
sst_text(void *ud, const XML_Char *s, int len)
{
	struct vet_xlsx *x = ud;

	if (x->in_t && vet_buf_add(&x->sst, s, (size_t)len) < 0)
		fail_oom(x);
}

/* ---- sheets ---- */

/* The column of a reference "C7" (0-based) and its row, or -1 when it is
 * no reference inside XFD1048576. */
static int
parse_ref(const char *s, uint32_t *col, long *row)
{
	uint32_t c = 0;
	long r = 0;
	int nl = 0, nd = 0;

	for (; *s >= 'A' && *s <= 'Z'; s++) {
		if (++nl > 3)
			return -1;
		c = c * 26 + (uint32_t)(*s - 'A' + 1);
	}
	for (; *s >= '0' && *s <= '9'; s++) {
		if (++nd > 7)
			return -1;
		r = r * 10 + (*s - '0');
	}
	if (*s != '\0' || nl == 0 || nd == 0 || c > VET_SHEET_MAX_COLS ||
	    r < 1 || r > VET_SHEET_MAX_ROWS)
		return -1;
	*col = c - 1;
	*row = r;
	return 0;
}

static void
row_bad(struct vet_xlsx *x, const char *fmt, const char *arg)
{
	if (x->rowbad[0] == '\0')
		snprintf(x->rowbad, sizeof x->rowbad, fmt, arg);
}

/* Room for n more bytes of the row's text, within max_row. */
static int
row_room(struct vet_xlsx *x, size_t n)
{
	char m[64];

	if (x->row_cut)
		return 0;
	if (x->rowtext.len + n > x->max_row) {
		x->row_cut = 1;
		snprintf(m, sizeof m, "row longer than %zu bytes", x->max_row);
		row_bad(x, "%s", m);
		return 0;
	}
	return 1;
}

static void
add_text(struct vet_xlsx *x, const char *p, size_t n)
{
	size_t k;

	if (x->row_cut)
		return;
	if (!row_room(x, n)) {
		/* What fits, cut at a character, so the row's text stays
		 * UTF-8 for the rejects. */
		k = x->max_row > x->rowtext.len ? x->max_row -
		    x->rowtext.len : 0;
		if (k > n)
			k = n;
		while (k > 0 && k < n && ((unsigned char)p[k] & 0xc0) == 0x80)
			k--;
		n = k;
	}
	if (n > 0 && vet_buf_add(&x->rowtext, p, n) < 0)
		fail_oom(x);
}

/* <row r="...">: a row begins. */
static void
row_start(struct vet_xlsx *x, const XML_Char **atts)
{
	const char *v;
	char *end;
	long r;

	x->in_row = 1;
	x->ncr = 0;
	x->nextcol = 0;
	x->row_cut = 0;
	x->rowbad[0] = '\0';
	vet_buf_reset(&x->rowtext);
	v = attr(atts, "r");
	r = x->lastrow + 1;
	if (v != NULL) {
		errno = 0;
		r = strtol(v, &end, 10);
		if (end == v || *end != '\0' || r < 1 ||
		    r > VET_SHEET_MAX_ROWS) {
			row_bad(x, "row number '%s' is outside the sheet (1 to "
			    "1048576)", v);
			r = x->lastrow + 1;
		}
	}
	x->rowno = r;
}

/* <c r="..." t="..." s="...">: a cell begins, its place, type and
 * style read. */
static void
cell_start(struct vet_xlsx *x, const XML_Char **atts)
{
	const char *v;
	char *end;
	long r;
	unsigned long s;

	x->in_c = 1;
	x->cskip = 0;
	x->ccol = x->nextcol;
	v = attr(atts, "r");
	if (v != NULL) {
		if (parse_ref(v, &x->ccol, &r) < 0) {
			snprintf(x->refbuf, sizeof x->refbuf, "%.20s", v);
			row_bad(x, "cell reference '%s' is outside the sheet "
			    "(XFD1048576 at most)", x->refbuf);
			x->cskip = 1;
		} else if (r != x->rowno) {
			snprintf(x->refbuf, sizeof x->refbuf, "%.20s", v);
			row_bad(x, "cell '%s' is not in its row", x->refbuf);
			x->cskip = 1;
		}
	} else if (x->ccol >= VET_SHEET_MAX_COLS) {
		row_bad(x, "%s", "more than 16384 cells in a row");
		x->cskip = 1;
	}
	v = attr(atts, "t");
	x->ctype = v == NULL || strcmp(v, "n") == 0 ? 'n' :
	    strcmp(v, "s") == 0 ? 's' : strcmp(v, "b") == 0 ? 'b' :
	    strcmp(v, "e") == 0 ? 'e' : strcmp(v, "str") == 0 ? 'S' :
	    strcmp(v, "inlineStr") == 0 ? 'i' :
	    strcmp(v, "d") == 0 ? 'd' : 'S';
	x->cdate = 0;
	v = attr(atts, "s");
	if (v != NULL) {
		s = strtoul(v, &end, 10);
		if (*end == '\0' && s < x->nxf)
			x->cdate = x->xfdate[s];
	}
	x->cstart = x->rowtext.len;
	vet_buf_reset(&x->vtext);
}

static void XMLCALL
sh_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct vet_xlsx *x = ud;
	const char *n = local(name);

	if (!depth_in(x))
		return;
	if (strcmp(n, "sheetData") == 0) {
		x->in_data = 1;
		return;
	}
	if (!x->in_data)
		return;
	if (strcmp(n, "row") == 0) {
		row_start(x, atts);
		return;
	}
	if (!x->in_row)
		return;
	if (strcmp(n, "c") == 0) {
		cell_start(x, atts);
		return;
	}
	if (!x->in_c)
		return;
	if (strcmp(n, "v") == 0)
		x->in_v = 1;
	else if (strcmp(n, "is") == 0)
		x->in_is = 1;
	else if (strcmp(n, "rPh") == 0)
		x->rph++;
	else if (strcmp(n, "t") == 0 && x->in_is && x->rph == 0)
		x->in_t = 1;
}

static void XMLCALL
sh_text(void *ud, const XML_Char *s, int len)
{
	struct vet_xlsx *x = ud;

	if (x->in_v) {
		/* A cached formula string can be as long as any text. */
		if (x->vtext.len + (size_t)len > x->max_row) {
			(void)row_room(x, x->max_row + 1);
			return;
		}
		if (vet_buf_add(&x->vtext, s, (size_t)len) < 0)
			fail_oom(x);
	} else if (x->in_t)
		add_text(x, s, (size_t)len);
}

/* A shared string cell: string v of the table. */
static void
cell_shared(struct vet_xlsx *x, const char *v)
{
	unsigned long idx;
	char *end, m[80];

	if (x->vtext.len == 0)
		return;
	errno = 0;
	idx = strtoul(v, &end, 10);
	if (end == v || *end != '\0' || errno != 0 || idx >= x->nsst) {
		snprintf(m, sizeof m, "shared string %.20s is out of range "
		    "(the workbook has %zu)", v, x->nsst);
		row_bad(x, "%s", m);
		return;
	}
	add_text(x, x->sst.data + x->sst_off[idx], x->sst_off[idx + 1] -
	    x->sst_off[idx]);
}

/* The value of the cell that ended, as text at the end of rowtext; its
 * kind (VET_CELL_*). */
static unsigned char
cell_value(struct vet_xlsx *x)
{
	const char *v = vet_buf_str(&x->vtext);
	size_t len;
	char *end, m[80];
	double d;

	switch (x->ctype) {
	case 'i':
		/* Its text came from <is>. */
		unescape_ooxml(&x->rowtext, x->cstart);
		return VET_CELL_TEXT;
	case 's':
		cell_shared(x, v);
		return VET_CELL_TEXT;
	case 'b':
		if (x->vtext.len > 0)
			add_text(x, strcmp(v, "0") == 0 ? "FALSE" : "TRUE",
			    strcmp(v, "0") == 0 ? 5 : 4);
		return VET_CELL_BOOL;
	case 'e':
		add_text(x, v, x->vtext.len);
		return VET_CELL_ERROR;
	case 'd':
		/* An ISO 8601 date cell: its date, and the time when it
		 * has one. */
		len = x->vtext.len;
		if (len > 10 && v[10] == 'T') {
			if (strncmp(v + 10, "T00:00:00", 9) == 0)
				len = 10;
			else
				x->vtext.data[10] = ' ';
		}
		add_text(x, v, len);
		return VET_CELL_DATE;
	case 'n':
		if (x->vtext.len == 0)
			return VET_CELL_TEXT;
		d = strtod(v, &end);
		if (end == v || *end != '\0') {
			snprintf(m, sizeof m, "number '%.20s' is not a number",
			    v);
			row_bad(x, "%s", m);
			return VET_CELL_TEXT;
		}
		if (row_room(x, 40) && (x->cdate ?
		    vet_sheet_date(&x->rowtext, d, x->epoch, x->cdate == 2) :
		    vet_sheet_number(&x->rowtext, d)) < 0)
			fail_oom(x);
		return x->cdate ? VET_CELL_DATE : VET_CELL_NUMBER;
	default:		/* 'S': a formula's string */
		add_text(x, v, x->vtext.len);
		return VET_CELL_TEXT;
	}
}

/* The cell that ended: its value as text at the end of rowtext, noted
 * with its column. */
static void
cell_end(struct vet_xlsx *x)
{
	unsigned char kind = cell_value(x);
	struct cellrec *cr;
	size_t cap;

	if (x->cskip) {
		vet_buf_truncate(&x->rowtext, x->cstart);
		return;
	}
	x->nextcol = x->ccol + 1;
	if (x->rowtext.len == x->cstart)
		return;		/* an empty cell: a style, no value */
	if (x->ncr >= 2 * VET_SHEET_MAX_COLS) {
		row_bad(x, "%s", "more than 16384 cells in a row");
		return;
	}
	if (x->ncr == x->capcr) {
		cap = x->capcr ? x->capcr * 2 : 64;
		if ((cr = realloc(x->cr, cap * sizeof *cr)) == NULL) {
			fail_oom(x);
			return;
		}
		x->cr = cr;
		x->capcr = cap;
	}
	cr = &x->cr[x->ncr++];
	cr->col = x->ccol;
	cr->off = x->cstart;
	cr->len = x->rowtext.len - x->cstart;
	cr->kind = kind;
}

/* The row that ended, as spans by column; the parser is suspended. */
static void
row_end(struct vet_xlsx *x)
{
	size_t i, ncols = 0, cap;
	struct vet_span *sp;
	unsigned char *k;

	for (i = 0; i < x->ncr; i++)
		if (x->cr[i].col + 1 > ncols)
			ncols = x->cr[i].col + 1;
	if (ncols > x->capspans) {
		cap = x->capspans ? x->capspans : 64;
		while (cap < ncols)
			cap *= 2;
		sp = realloc(x->spans, cap * sizeof *sp);
		if (sp != NULL)
			x->spans = sp;
		k = sp != NULL ? realloc(x->kinds, cap) : NULL;
		if (k == NULL) {
			fail_oom(x);
			return;
		}
		x->kinds = k;
		x->capspans = cap;
	}
	for (i = 0; i < ncols; i++) {
		x->spans[i].p = x->rowtext.data;
		x->spans[i].n = 0;
		x->kinds[i] = VET_CELL_EMPTY;
	}
	/* By reference: a later cell of the same column wins. */
	for (i = 0; i < x->ncr; i++) {
		x->spans[x->cr[i].col].p = x->rowtext.data + x->cr[i].off;
		x->spans[x->cr[i].col].n = x->cr[i].len;
		x->kinds[x->cr[i].col] = x->cr[i].kind;
	}
	x->width = ncols;
	x->lastrow = x->rowno;
	x->row_ready = 1;
	XML_StopParser(x->p, XML_TRUE);
}

static void XMLCALL
sh_end(void *ud, const XML_Char *name)
{
	struct vet_xlsx *x = ud;
	const char *n = local(name);

	x->depth--;
	if (!x->in_data)
		return;
	if (x->in_c) {
		if (strcmp(n, "v") == 0)
			x->in_v = 0;
		else if (strcmp(n, "t") == 0)
			x->in_t = 0;
		else if (strcmp(n, "rPh") == 0 && x->rph > 0)
			x->rph--;
		else if (strcmp(n, "is") == 0)
			x->in_is = 0;
		else if (strcmp(n, "c") == 0) {
			x->in_c = x->in_v = x->in_t = x->in_is = x->rph = 0;
			cell_end(x);
		}
		return;
	}
	if (strcmp(n, "row") == 0 && x->in_row) {
		x->in_row = 0;
		row_end(x);
	} else if (strcmp(n, "sheetData") == 0)
		x->in_data = 0;
}

/* ---- parts ---- */

static void
part_close(struct vet_xlsx *x)
{
	if (x->p != NULL)
		XML_ParserFree(x->p);
	x->p = NULL;
	if (x->open)
		unzCloseCurrentFile(x->zf);
	x->open = 0;
}

static int
zerr(struct vet_error *err, const char *part, const char *what)
{
	return vet_error_set(err, VET_EDATA, NULL, 0, 0, "%s: %s", part, what);
}

/*
 * Checks the zip entry of part name, located: not encrypted, deflated or
 * stored, and within the sizes a real workbook's part of kind has.  0 or
 * a status.
 */
static int
entry_check(struct vet_xlsx *x, const char *name, enum part_kind kind,
    struct vet_error *err)
{
	unz_file_info64 fi;
	char fname[8];
	unsigned long long cap;

	if (unzGetCurrentFileInfo64(x->zf, &fi, fname, sizeof fname, NULL, 0,
	    NULL, 0) != UNZ_OK)
		return zerr(err, name, "damaged zip entry");
	if (fi.flag & 1)
		return vet_error_set(err, VET_EDATA, NULL, 0, 0,
		    "workbook is password-protected");
	if (fi.compression_method != 0 && fi.compression_method != Z_DEFLATED)
		return zerr(err, name, "compressed with a method other than "
		    "deflate");
	/*
	 * minizip never inflates past the size the entry declares, so the
	 * declared sizes bound the bomb before a byte is inflated (and the
	 * CRC at the end catches a size that lies short).
	 */
	cap = kind == P_SHEET ? VET_XLSX_MAX_PART : kind == P_SST ?
	    (unsigned long long)VET_XLSX_MAX_SST * 4 : MAX_SMALL_PART;
	if (fi.uncompressed_size > cap ||
	    (fi.uncompressed_size > VET_XLSX_RATIO_FROM &&
	    fi.uncompressed_size / (fi.compressed_size + 1) >
	    VET_XLSX_MAX_RATIO))
		return zerr(err, name, "inflates to more than a real workbook "
		    "holds (a zip bomb?)");
	x->csize = fi.compressed_size;
	return 0;
}

/* The XML parser of a part of kind, with its handlers.  0 or
 * VET_ENOMEM. */
static int
parser_new(struct vet_xlsx *x, enum part_kind kind, struct vet_error *err)
{
	xml_sys_oom = 0;
	x->p = XML_ParserCreate_MM(NULL, &xm, "|");
	if (x->p == NULL)
		return vet_error_nomem(err);
	XML_SetUserData(x->p, x);
	XML_SetStartDoctypeDeclHandler(x->p, on_doctype);
	XML_SetEntityDeclHandler(x->p, on_entity);
	XML_SetParamEntityParsing(x->p, XML_PARAM_ENTITY_PARSING_NEVER);
#ifdef XML_DTD
	/* On by default since expat 2.4; said here so that it stays on,
	 * behind the DOCTYPE refusal above. */
	XML_SetBillionLaughsAttackProtectionMaximumAmplification(x->p, 100.0f);
	XML_SetBillionLaughsAttackProtectionActivationThreshold(x->p,
	    (unsigned long long)8 << 20);
#endif
	switch (kind) {
	case P_RELS:
		XML_SetElementHandler(x->p, rels_start, any_end);
		break;
	case P_WORKBOOK:
		XML_SetElementHandler(x->p, wb_start, any_end);
		break;
	case P_STYLES:
		XML_SetElementHandler(x->p, st_start, st_end);
		break;
	case P_SST:
		XML_SetElementHandler(x->p, sst_start, sst_end);
		XML_SetCharacterDataHandler(x->p, sst_text);
		break;
	case P_SHEET:
		XML_SetElementHandler(x->p, sh_start, sh_end);
		XML_SetCharacterDataHandler(x->p, sh_text);
		break;
	}
	return 0;
}

/*
 * Opens part name for kind.  Returns 0, 1 when the zip has no such part,
 * or a negative status.
 */
static int
part_open(struct vet_xlsx *x, const char *name, enum part_kind kind,
    struct vet_error *err)
{
	int rc;

	part_close(x);
	x->part = name;
	x->kind = kind;
	x->eof = x->suspended = x->failed = x->oom = 0;
	x->depth = 0;
	x->inflated = 0;
	x->in_t = x->rph = x->in_si = 0;
	x->in_data = x->in_row = x->in_c = x->in_v = x->in_is = 0;
	x->row_ready = 0;
	x->lastrow = 0;
	/* 2: names compared without case, as OPC says. */
	if (unzLocateFile(x->zf, name, 2) != UNZ_OK)
		return 1;
	if ((rc = entry_check(x, name, kind, err)) < 0)
		return rc;
	/* minizip says UNZ_INTERNALERROR when its buffers cannot be had,
	 * and passes on inflateInit2's Z_MEM_ERROR: not the file's fault. */
	if ((rc = unzOpenCurrentFile(x->zf)) != UNZ_OK)
		return rc == UNZ_INTERNALERROR || rc == Z_MEM_ERROR ?
		    vet_error_nomem(err) : zerr(err, name, "damaged zip entry");
	x->open = 1;
	return parser_new(x, kind, err);
}

/* The error of the parser that stopped. */
static int
xml_error(struct vet_xlsx *x, struct vet_error *err)
{
	enum XML_Error e = XML_GetErrorCode(x->p);
	unsigned long line = XML_GetCurrentLineNumber(x->p);

	if (x->oom)
		return vet_error_nomem(err);
	if (x->failed)
		return zerr(err, x->part, x->why);
	/* expat tells some of its failed allocations as another error
	 * (an "unbound prefix" when a namespace binding cannot be had). */
	if (xml_sys_oom) {
		xml_sys_oom = 0;
		return vet_error_nomem(err);
	}
	if (e == XML_ERROR_NO_MEMORY)
		return zerr(err, x->part, "XML token too large for the "
		    "parser's 64 MiB");
	return vet_error_set(err, VET_EDATA, NULL, 0, 0, "%s: XML line %lu: "
	    "%s", x->part, line, XML_ErrorString(e));
}

/*
 * Inflates the next chunk into expat and parses it.  Returns 1 while
 * there is more, 0 at the end of the part, 2 when the parser suspended
 * at a row, or a negative status.
 */
static int
part_feed(struct vet_xlsx *x, struct vet_error *err)
{
	enum XML_Status st;
	void *buf;
	int k;

	if (x->suspended) {
		x->suspended = 0;
		st = XML_ResumeParser(x->p);
	} else {
		if (x->eof)
			return 0;
		if ((buf = XML_GetBuffer(x->p, (int)CHUNK)) == NULL)
			return xml_error(x, err);
		k = unzReadCurrentFile(x->zf, buf, (unsigned)CHUNK);
		/* inflate allocates its window at the first call. */
		if (k == Z_MEM_ERROR)
			return vet_error_nomem(err);
		if (k < 0)
			return zerr(err, x->part, k == Z_DATA_ERROR ?
			    "damaged deflate data" : "truncated or damaged "
			    "zip entry");
		x->inflated += (unsigned long long)k;
		if (k == 0) {
			x->eof = 1;
			/* The CRC of the whole entry, now it is read. */
			if (unzCloseCurrentFile(x->zf) != UNZ_OK) {
				x->open = 0;
				return zerr(err, x->part, "CRC error (the "
				    "file is damaged)");
			}
			x->open = 0;
		}
		st = XML_ParseBuffer(x->p, k, k == 0);
	}
	if (st == XML_STATUS_ERROR)
		return xml_error(x, err);
	if (st == XML_STATUS_SUSPENDED) {
		x->suspended = 1;
		return 2;
	}
	return x->eof ? 0 : 1;
}

/* Reads a small part to its end.  0, 1 when absent, or negative. */
static int
part_read(struct vet_xlsx *x, const char *name, enum part_kind kind,
    struct vet_error *err)
{
	int rc;

	if ((rc = part_open(x, name, kind, err)) != 0)
		return rc;
	while ((rc = part_feed(x, err)) > 0)
		;
	part_close(x);
	return rc;
}

/* ---- the workbook ---- */

static void
rels_free(struct vet_xlsx *x)
{
	size_t i;

	for (i = 0; i < x->nrels; i++) {
		free(x->rels[i].id);
		free(x->rels[i].type);
		free(x->rels[i].target);
	}
	free(x->rels);
	x->rels = NULL;
	x->nrels = 0;
}

static int
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* The zip name of a rels target: absolute ("/xl/..."), or relative to
 * base with "../" steps. */
static char *
resolve(const char *base, const char *target)
{
	struct vet_buf b = VET_BUF_INIT;
	if (target[0] == '/')
		return strdup(target + 1);
	if (vet_buf_addstr(&b, base) < 0)
		return NULL;
	while (strncmp(target, "../", 3) == 0) {
		target += 3;
		if (b.len > 0)
			b.len--;
		while (b.len > 0 && b.data[b.len - 1] != '/')
			b.len--;
	}
	if (vet_buf_addstr(&b, target) < 0) {
		vet_buf_release(&b);
		return NULL;
	}
	return b.data;
}

static const struct rel *
rel_by_type(const struct vet_xlsx *x, const char *suffix)
{
	size_t i;

	for (i = 0; i < x->nrels; i++)
		if (ends_with(x->rels[i].type, suffix))
			return &x->rels[i];
	return NULL;
}

static int
load(struct vet_xlsx *x, struct vet_error *err)
{
	char *wb = NULL, *relpath = NULL;
	const struct rel *r;
	const char *slash;
	size_t i, j;
	int rc;

	/* The package's rels name the workbook part; xl/workbook.xml when
	 * they do not. */
	if ((rc = part_read(x, "_rels/.rels", P_RELS, err)) < 0)
		return rc;
	r = rel_by_type(x, "/officeDocument");
	wb = strdup(r != NULL ? (r->target[0] == '/' ? r->target + 1 :
	    r->target) : "xl/workbook.xml");
	rels_free(x);
	if (wb == NULL)
		goto oom;
	slash = strrchr(wb, '/');
	if ((x->base = strndup(wb, slash != NULL ? (size_t)(slash - wb + 1) :
	    0)) == NULL)
		goto oom;
	if ((rc = part_read(x, wb, P_WORKBOOK, err)) < 0)
		goto out;
	if (rc == 1) {
		rc = vet_error_set(err, VET_EDATA, NULL, 0, 0, "a zip but not "
		    "an Excel workbook (no %s)", wb);
		goto out;
	}
	if (x->nsheets == 0) {
		rc = vet_error_set(err, VET_EDATA, NULL, 0, 0, "the workbook "
		    "has no sheet");
		goto out;
	}
	if ((relpath = malloc(strlen(wb) + 16)) == NULL)
		goto oom;
	sprintf(relpath, "%s_rels/%s.rels", x->base, slash != NULL ?
	    slash + 1 : wb);
	if ((rc = part_read(x, relpath, P_RELS, err)) < 0)
		goto out;
	for (i = 0; i < x->nsheets; i++) {
		for (j = 0; j < x->nrels; j++)
			if (strcmp(x->rels[j].id, x->sheets[i].rid) == 0)
				break;
		if (j == x->nrels)
			continue;	/* read as a sheet that is missing */
		if ((x->sheets[i].path = resolve(x->base,
		    x->rels[j].target)) == NULL)
			goto oom;
		/* A chart sheet holds no cells. */
		if (!ends_with(x->rels[j].type, "/worksheet"))
			x->sheets[i].hidden = 2;
	}
	/* NULL from resolve() is memory short, not a part that is absent:
	 * read on without them, the numbers would be dates no longer and
	 * the shared strings out of range. */
	if ((r = rel_by_type(x, "/sharedStrings")) != NULL &&
	    (x->sst_path = resolve(x->base, r->target)) == NULL)
		goto oom;
	if ((r = rel_by_type(x, "/styles")) != NULL &&
	    (x->styles_path = resolve(x->base, r->target)) == NULL)
		goto oom;
	rels_free(x);
	if (x->styles_path != NULL &&
	    (rc = part_read(x, x->styles_path, P_STYLES, err)) < 0)
		goto out;
	if ((x->sst_off = malloc(2 * sizeof *x->sst_off)) == NULL)
		goto oom;
	x->sst_off[0] = 0;
	x->capsst = 2;
	if (x->sst_path != NULL &&
	    (rc = part_read(x, x->sst_path, P_SST, err)) < 0)
		goto out;
	rc = 0;
	goto out;
oom:
	rc = vet_error_nomem(err);
out:
	free(wb);
	free(relpath);
	return rc;
}

int
vet_xlsx_open(struct vet_xlsx **xp, FILE *f, size_t max_row,
    struct vet_error *err)
{
	zlib_filefunc64_def io;
	struct vet_xlsx *x;
	int rc, e;

	*xp = NULL;
	if ((rc = vet_minizip__load(err)) < 0 ||
	    (rc = vet_expat__load(err)) < 0)
		return rc;
	if ((x = calloc(1, sizeof *x)) == NULL)
		return vet_error_nomem(err);
	x->f = f;
	x->max_row = max_row;
	memset(&io, 0, sizeof io);
	io.zopen64_file = zf_open;
	io.zread_file = zf_read;
	io.zwrite_file = zf_write;
	io.ztell64_file = zf_tell;
	io.zseek64_file = zf_seek;
	io.zclose_file = zf_close;
	io.zerror_file = zf_error;
	/*
	 * minizip answers NULL for a directory it cannot read and for an
	 * allocation it cannot have alike: errno (ENOMEM from malloc) and
	 * the stream's error flag tell the machine's faults from the
	 * file's.
	 */
	errno = 0;
	if ((x->zf = unzOpen2_64(f, &io)) == NULL) {
		e = errno;
		free(x);
		if (e == ENOMEM)
			return vet_error_nomem(err);
		if (ferror(f))
			return vet_error_set(err, VET_EIO, NULL, 0, 0,
			    "cannot read the workbook: %s",
			    strerror(e != 0 ? e : EIO));
		return vet_error_set(err, VET_EDATA, NULL, 0, 0, "starts like "
		    "a zip (.xlsx) but its directory cannot be read: the "
		    "file is truncated or damaged");
	}
	if ((rc = load(x, err)) < 0) {
		vet_xlsx_close(x);
		return rc;
	}
	*xp = x;
	return 0;
}

void
vet_xlsx_close(struct vet_xlsx *x)
{
	size_t i;

	if (x == NULL)
		return;
	part_close(x);
	rels_free(x);
	for (i = 0; i < x->nsheets; i++) {
		free(x->sheets[i].name);
		free(x->sheets[i].rid);
		free(x->sheets[i].path);
	}
	free(x->sheets);
	free(x->base);
	free(x->sst_path);
	free(x->styles_path);
	vet_buf_release(&x->sst);
	free(x->sst_off);
	vet_buf_release(&x->fmttext);
	free(x->fmts);
	free(x->xfdate);
	vet_buf_release(&x->vtext);
	vet_buf_release(&x->rowtext);
	free(x->cr);
	free(x->spans);
	free(x->kinds);
	if (x->zf != NULL)
		unzClose(x->zf);
	free(x);
}

size_t
vet_xlsx_nsheets(const struct vet_xlsx *x)
{
	return x->nsheets;
}

const char *
vet_xlsx_sheet_name(const struct vet_xlsx *x, size_t i)
{
	return x->sheets[i].name;
}

int
vet_xlsx_sheet_hidden(const struct vet_xlsx *x, size_t i)
{
	return x->sheets[i].hidden != 0;
}

enum vet_sheet_epoch
vet_xlsx_epoch(const struct vet_xlsx *x)
{
	return x->epoch;
}

int
vet_xlsx_sheet_open(struct vet_xlsx *x, size_t i, struct vet_error *err)
{
	int rc;

	part_close(x);
	if (i >= x->nsheets)
		return vet_error_set(err, VET_EDATA, NULL, 0, 0, "no sheet %zu",
		    i + 1);
	if (x->sheets[i].path == NULL || x->sheets[i].hidden == 2)
		return vet_error_set(err, VET_EDATA, NULL, 0, 0, "sheet '%s' "
		    "holds no cells (a chart, or missing)", x->sheets[i].name);
	rc = part_open(x, x->sheets[i].path, P_SHEET, err);
	if (rc == 1)
		return vet_error_set(err, VET_EDATA, NULL, 0, 0, "sheet '%s' "
		    "is missing from the zip (%s)", x->sheets[i].name,
		    x->sheets[i].path);
	return rc;
}

int
vet_xlsx_next(struct vet_xlsx *x, struct vet_sheet_row *row,
    struct vet_error *err)
{
	int rc;

	if (x->p == NULL)
		return 0;
	for (;;) {
		rc = part_feed(x, err);
		if (rc < 0) {
			part_close(x);
			return rc;
		}
		if (x->row_ready) {
			x->row_ready = 0;
			/* A row element with no value in it: nothing. */
			if (x->width == 0 && x->rowbad[0] == '\0')
				continue;
			row->line = x->rowno;
			row->cells = x->spans;
			row->kind = x->kinds;
			row->n = x->width;
			row->bad = x->rowbad[0] != '\0' ? x->rowbad : NULL;
			return 1;
		}
		if (rc == 0) {
			part_close(x);
			return 0;
		}
	}
}
