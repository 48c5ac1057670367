/*
 * xlsxout.c - a libxlsxwriter workbook in a private temporary file, handed to
 * the caller when complete (xlsxout.h).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xlsxwriter.h>
#include <zlib.h>

#include "vet/buf.h"
#include "vet/error.h"
#include "vet/report.h"
#include "vet/xlsxout.h"
#include "xlsxout_impl.h"
#include "zlib_impl.h"

int
vet_xlsxout_open(struct vet_xlsxout *w, int constant_memory, vet_day created,
    const char *title, struct vet_error *err)
{
	lxw_workbook_options o;
	lxw_doc_properties props;
	const char *t = getenv("TMPDIR");
	int fd, n;

	memset(w, 0, sizeof *w);
	if ((n = vet_xlsxout__load(err)) < 0 || (n = vet_zlib__load(err)) < 0)
		return n;
	if (t == NULL || *t == '\0')
		t = "/tmp";
	n = snprintf(w->dir, sizeof w->dir, "%s", t);
	if (n < 0 || (size_t)n >= sizeof w->dir)
		return vet_error_set(err, VET_EIO, NULL, 0, 0,
		    "temporary directory name too long");
	snprintf(w->path, sizeof w->path, "%s/vet-xlsx-XXXXXX", w->dir);
	/* libxlsxwriter opens the name itself when it writes the zip; the
	 * file made here reserves the name, private to this user. */
	if ((fd = mkstemp(w->path)) < 0) {
		w->path[0] = '\0';
		return vet_error_set(err, VET_EIO, w->dir, 0, 0,
		    "cannot make a temporary file for the workbook: %s",
		    strerror(errno));
	}
	close(fd);
	memset(&o, 0, sizeof o);
	o.constant_memory = constant_memory ? LXW_TRUE : LXW_FALSE;
	o.tmpdir = w->dir;
	/* No ZIP64: older Excel and WPS open it less reliably, and a sheet
	 * of the largest export (1 048 576 rows of a ledger) stays far below
	 * the 4 GiB that would need it. */
	o.use_zip64 = LXW_FALSE;
	if ((w->wb = workbook_new_opt(w->path, &o)) == NULL) {
		unlink(w->path);
		w->path[0] = '\0';
		return vet_error_set(err, VET_ENOMEM, NULL, 0, 0,
		    "out of memory");
	}
	memset(&props, 0, sizeof props);
	props.title = (char *)title;
	/* Noon UTC of the day: the same day in every time zone. */
	props.created = (time_t)created * 86400 + 43200;
	workbook_set_properties(w->wb, &props);
	return 0;
}

void
vet_xlsxout_discard(struct vet_xlsxout *w)
{
	if (w->wb != NULL) {
		/* Closing is the only way to free it; what it writes goes
		 * away with the file. */
		workbook_close(w->wb);
		w->wb = NULL;
	}
	if (w->path[0] != '\0') {
		unlink(w->path);
		w->path[0] = '\0';
	}
}

static uint32_t
le16(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint32_t
le32(const unsigned char *p)
{
	return le16(p) | le16(p + 2) << 16;
}

/*
 * True when the XML text whose first bytes are head and last bytes are
 * tail ends with the closing tag of its root element.
 */
static int
xml_whole(const unsigned char *head, size_t nh, const unsigned char *tail,
    size_t nt)
{
	char root[64], want[70];
	size_t i = 0, k = 0, l;

	/* The root: the first '<' not followed by '?' or '!'. */
	for (;;) {
		while (i < nh && head[i] != '<')
			i++;
		if (i + 1 >= nh)
			return 0;
		if (head[i + 1] != '?' && head[i + 1] != '!')
			break;
		i++;
	}
	for (i++; i < nh && k + 1 < sizeof root && head[i] != ' ' &&
	    head[i] != '>' && head[i] != '/'; i++)
		root[k++] = (char)head[i];
	root[k] = '\0';
	while (nt > 0 && (tail[nt - 1] == '\n' || tail[nt - 1] == '\r' ||
	    tail[nt - 1] == ' '))
		nt--;
	l = (size_t)snprintf(want, sizeof want, "</%s>", root);
	return nt >= l && memcmp(tail + nt - l, want, l) == 0;
}

/*
 * libxlsxwriter does not check the writes of its own temporary files: on a
 * full disk it makes a workbook with parts cut short and says it succeeded.
 * So the zip is read back before it is handed on: every member inflates
 * whole, and every XML part ends with the closing tag of its root.
 * 0, or VET_EIO when the workbook is not whole.
 */
static int
verify(FILE *fp, struct vet_error *err, const char *dir)
{
	unsigned char eocd[22], cd[46], lh[30], in[65536], out[65536];
	unsigned char head[512], tail[512];
	long size, off;
	size_t nh, nt, ents, k, got;
	uint32_t method, csize, lofs, fnl, exl, cml, cdofs;
	char name[256];
	z_stream z;
	int zr, bad = 0;

	if (fseek(fp, 0, SEEK_END) < 0 || (size = ftell(fp)) < 22 ||
	    fseek(fp, size - 22, SEEK_SET) < 0 ||
	    fread(eocd, 1, 22, fp) != 22 || le32(eocd) != 0x06054b50)
		goto bad;
	ents = le16(eocd + 10);
	cdofs = le32(eocd + 16);
	off = (long)cdofs;
	for (k = 0; k < ents && !bad; k++) {
		if (fseek(fp, off, SEEK_SET) < 0 || fread(cd, 1, 46, fp) != 46 ||
		    le32(cd) != 0x02014b50)
			goto bad;
		method = le16(cd + 10);
		csize = le32(cd + 20);
		fnl = le16(cd + 28);
		exl = le16(cd + 30);
		cml = le16(cd + 32);
		lofs = le32(cd + 42);
		got = fnl < sizeof name ? fnl : sizeof name - 1;
		if (fread(name, 1, got, fp) != got)
			goto bad;
		name[got] = '\0';
		off += 46 + (long)fnl + (long)exl + (long)cml;
		if (fseek(fp, (long)lofs, SEEK_SET) < 0 ||
		    fread(lh, 1, 30, fp) != 30 || le32(lh) != 0x04034b50 ||
		    fseek(fp, (long)lofs + 30 + (long)le16(lh + 26) +
		    (long)le16(lh + 28), SEEK_SET) < 0)
			goto bad;
		memset(&z, 0, sizeof z);
		if (method != 8 || inflateInit2(&z, -15) != Z_OK)
			goto bad;
		nh = nt = 0;
		zr = Z_OK;
		while (zr != Z_STREAM_END && !bad) {
			if (z.avail_in == 0) {
				got = csize > sizeof in ? sizeof in : csize;
				if (got == 0 || fread(in, 1, got, fp) != got) {
					bad = 1;
					break;
				}
				csize -= (uint32_t)got;
				z.next_in = in;
				z.avail_in = (uInt)got;
			}
			z.next_out = out;
			z.avail_out = sizeof out;
			zr = inflate(&z, Z_NO_FLUSH);
			if (zr != Z_OK && zr != Z_STREAM_END) {
				bad = 1;
				break;
			}
			got = sizeof out - z.avail_out;
			if (nh < sizeof head) {
				size_t c = sizeof head - nh < got ?
				    sizeof head - nh : got;

				memcpy(head + nh, out, c);
				nh += c;
			}
			/* Keep the last bytes seen. */
			if (got >= sizeof tail) {
				memcpy(tail, out + got - sizeof tail,
				    sizeof tail);
				nt = sizeof tail;
			} else {
				if (nt + got > sizeof tail) {
					memmove(tail, tail + (nt + got -
					    sizeof tail), sizeof tail - got);
					nt = sizeof tail - got;
				}
				memcpy(tail + nt, out, got);
				nt += got;
			}
		}
		inflateEnd(&z);
		got = strlen(name);
		if (!bad && ((got > 4 && strcmp(name + got - 4, ".xml") == 0) ||
		    (got > 5 && strcmp(name + got - 5, ".rels") == 0)) &&
		    !xml_whole(head, nh, tail, nt))
			bad = 1;
	}
	if (!bad && fseek(fp, 0, SEEK_SET) == 0)
		return 0;
bad:
	return vet_error_set(err, VET_EIO, dir, 0, 0, "cannot write the "
	    "workbook: its temporary files were cut short (disk full?)");
}

int
vet_xlsxout_close(struct vet_xlsxout *w, vet_sink_fn sink, void *ctx,
    struct vet_error *err)
{
	lxw_worksheet *ws;
	lxw_error e;
	FILE *fp;
	char b[65536];
	size_t n;
	int rc = 0, lost = 0;

	/* The rows of constant-memory mode are in a temporary file whose
	 * failed writes only its error flag remembers (close rewinds it,
	 * which clears the flag): look before. */
	LXW_FOREACH_WORKSHEET(ws, w->wb)
		if (ws->optimize_tmpfile != NULL &&
		    (fflush(ws->optimize_tmpfile) != 0 ||
		    ferror(ws->optimize_tmpfile)))
			lost = 1;
	e = workbook_close(w->wb);
	w->wb = NULL;
	if (lost) {
		rc = vet_error_set(err, VET_EIO, w->dir, 0, 0,
		    "cannot write the workbook: its temporary files were cut "
		    "short (disk full?)");
		goto out;
	}
	if (e != LXW_NO_ERROR) {
		rc = vet_error_set(err, VET_EIO, w->dir, 0, 0,
		    "cannot write the workbook: %s", lxw_strerror(e));
		goto out;
	}
	if ((fp = fopen(w->path, "rb")) == NULL) {
		rc = vet_error_set(err, VET_EIO, w->dir, 0, 0,
		    "cannot read the workbook back: %s", strerror(errno));
		goto out;
	}
	if ((rc = verify(fp, err, w->dir)) < 0) {
		fclose(fp);
		goto out;
	}
	while ((n = fread(b, 1, sizeof b, fp)) > 0)
		if ((rc = sink(ctx, b, n)) < 0)
			break;
	if (rc == 0 && ferror(fp))
		rc = vet_error_set(err, VET_EIO, w->dir, 0, 0,
		    "cannot read the workbook back: %s", strerror(errno));
	fclose(fp);
out:
	unlink(w->path);
	w->path[0] = '\0';
	return rc;
}

double
vet_xlsxout_width(const char *s, size_t n)
{
	size_t w = 0, line = 0, i, start = 0;

	/* The widest line of a cell that holds several. */
	for (i = 0; i <= n; i++)
		if (i == n || s[i] == '\n') {
			line = vet_report_width(s + start, i - start);
			if (line > w)
				w = line;
			start = i + 1;
		}
	if (w > 60)
		w = 60;
	return (double)w + 2;
}

int
vet_xlsxout_sink_buf(void *ctx, const char *p, size_t n)
{
	return vet_buf_add(ctx, p, n) < 0 ? VET_ENOMEM : 0;
}

int
vet_xlsxout_formats(struct vet_xlsxout *w, struct vet_xlsxout_fmt *f,
    struct vet_error *err)
{
	f->title = workbook_add_format(w->wb);
	f->sub = workbook_add_format(w->wb);
	f->head = workbook_add_format(w->wb);
	f->headwrap = workbook_add_format(w->wb);
	f->date = workbook_add_format(w->wb);
	f->wrap = workbook_add_format(w->wb);
	if (f->title == NULL || f->sub == NULL || f->head == NULL ||
	    f->headwrap == NULL || f->date == NULL || f->wrap == NULL)
		return vet_error_nomem(err);
	format_set_bold(f->title);
	format_set_font_size(f->title, 14);
	format_set_bold(f->sub);
	format_set_bold(f->head);
	format_set_bg_color(f->head, 0xF2F2F2);
	format_set_border(f->head, LXW_BORDER_THIN);
	format_set_bold(f->headwrap);
	format_set_bg_color(f->headwrap, 0xF2F2F2);
	format_set_border(f->headwrap, LXW_BORDER_THIN);
	format_set_text_wrap(f->headwrap);
	format_set_align(f->headwrap, LXW_ALIGN_CENTER);
	format_set_align(f->headwrap, LXW_ALIGN_VERTICAL_CENTER);
	format_set_num_format(f->date, "yyyy-mm-dd");
	format_set_text_wrap(f->wrap);
	format_set_align(f->wrap, LXW_ALIGN_VERTICAL_TOP);
	return 0;
}

size_t
vet_xlsxout_units(const char *s, size_t n, size_t max, size_t *cut)
{
	size_t i, u = 0;

	*cut = n;
	for (i = 0; i < n; i++) {
		unsigned char b = (unsigned char)s[i];

		if ((b & 0xC0) == 0x80)
			continue;
		/* A character beyond the BMP is a surrogate pair. */
		if (u + (b >= 0xF0 ? 2 : 1) > max && *cut == n)
			*cut = i;
		u += b >= 0xF0 ? 2 : 1;
	}
	return u;
}

int
vet_xlsxout_cell_text(struct vet_buf *tmp, const char *s, size_t n,
    const char *mark)
{
	size_t cut;

	vet_buf_reset(tmp);
	if (vet_xlsxout_units(s, n, VET_XLSXOUT_MAX_CELL, &cut) <=
	    VET_XLSXOUT_MAX_CELL)
		return vet_buf_add(tmp, s, n) < 0 ? VET_ENOMEM : 0;
	/* Excel would refuse the cell (libxlsxwriter writes nothing): the
	 * text is cut where a mark of up to VET_XLSXOUT_MARK units still
	 * fits, and the mark says so. */
	vet_xlsxout_units(s, n, VET_XLSXOUT_MAX_CELL - VET_XLSXOUT_MARK, &cut);
	if (vet_buf_add(tmp, s, cut) < 0 || vet_buf_addstr(tmp, mark) < 0)
		return VET_ENOMEM;
	return 1;
}

/* Excel's longest sheet name, in characters (UTF-16 units). */
#define SHEET_NAME_MAX 31

lxw_worksheet *
vet_xlsxout_add_sheet(struct vet_xlsxout *w, const char *s, size_t n)
{
	char base[4 * SHEET_NAME_MAX + 1], name[sizeof base + 16];
	size_t i, k = 0, cut, room, bl;
	unsigned seq;

	/* Forbidden characters and the apostrophes Excel will not have at
	 * either end. */
	while (n > 0 && s[0] == '\'')
		s++, n--;
	while (n > 0 && s[n - 1] == '\'')
		n--;
	vet_xlsxout_units(s, n, SHEET_NAME_MAX, &cut);
	for (i = 0; i < cut && k + 1 < sizeof base; i++)
		base[k++] = strchr("[]:*?/\\", s[i]) != NULL && s[i] != '\0' ?
		    '_' : s[i];
	if (k == 0)
		base[k++] = '-';
	base[k] = '\0';
	bl = k;
	for (seq = 1; seq < 100000; seq++) {
		if (seq == 1)
			snprintf(name, sizeof name, "%s", base);
		else {
			/* Room for the number: the base is cut further, at
			 * a character. */
			char suffix[16];

			snprintf(suffix, sizeof suffix, " (%u)", seq);
			room = SHEET_NAME_MAX - strlen(suffix);
			vet_xlsxout_units(base, bl, room, &cut);
			snprintf(name, sizeof name, "%.*s%s", (int)cut, base,
			    suffix);
		}
		if (workbook_validate_sheet_name(w->wb, name) !=
		    LXW_ERROR_SHEETNAME_ALREADY_USED)
			return workbook_add_worksheet(w->wb, name);
	}
	return NULL;
}

/* Appends text to a page header, where '&' starts a code: doubled, it is
 * itself. */
static int
hdr_add(struct vet_buf *h, const char *p)
{
	for (; *p; p++)
		if (vet_buf_addch(h, *p) < 0 ||
		    (*p == '&' && vet_buf_addch(h, '&') < 0))
			return VET_ENOMEM;
	return 0;
}

/* libxlsxwriter's (and Excel's) longest header or footer. */
#define HEADER_MAX 255

int
vet_xlsxout_print_a4(lxw_worksheet *ws, int landscape, const char *left,
    const char *right, struct vet_buf *tmp)
{
	vet_buf_reset(tmp);
	if ((left != NULL && (vet_buf_addstr(tmp, "&L") < 0 ||
	    hdr_add(tmp, left) < 0)) ||
	    (right != NULL && (vet_buf_addstr(tmp, "&R") < 0 ||
	    hdr_add(tmp, right) < 0)))
		return VET_ENOMEM;
	if (tmp->len > 0 && tmp->len < HEADER_MAX)
		worksheet_set_header(ws, vet_buf_str(tmp));
	worksheet_set_footer(ws, "&C&P / &N");
	if (landscape)
		worksheet_set_landscape(ws);
	else
		worksheet_set_portrait(ws);
	worksheet_set_paper(ws, 9);	/* A4 */
	worksheet_fit_to_pages(ws, 1, 0);
	return 0;
}
