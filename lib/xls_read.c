/*
 * xls_read.c - .xls workbooks through freexl, in the calling process
 * (xls_impl.h): what the child of xls.c runs.  freexl 1.0.6 reads out of
 * bounds on crafted files (tests/fuzz/known/README), so nothing but that
 * child and the fuzz target fuzz_xls calls this directly.
 */
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <freexl.h>

#include "vet/buf.h"
#include "vet/error.h"
#include "vet/sheet.h"
#include "vet/utf8.h"
#include "vet/xls.h"

#include "freexl_impl.h"
#include "xls_impl.h"

struct vet_xls_read {
	const void *h;
	size_t max_row;
	char **names;
	size_t nsheets;
	unsigned rows, row;	/* of the active sheet; the next row */
	unsigned short cols;
	int active;
	struct vet_buf text;
	struct { size_t off, len; } *cell;
	struct vet_span *spans;
	unsigned char *kinds;
	char bad[120];
};

/* memmem(3) without _GNU_SOURCE. */
static int
has(const char *p, size_t n, const char *pat, size_t k)
{
	const char *q = p, *end = p + n;

	while (n >= k && (q = memchr(q, pat[0], (size_t)(end - q))) != NULL &&
	    (size_t)(end - q) >= k) {
		if (memcmp(q, pat, k) == 0)
			return 1;
		q++;
	}
	return 0;
}

/* The UTF-16LE name of the stream an encrypted .xlsx keeps its package
 * in (MS-OFFCRYPTO), as it stands in the OLE2 directory. */
static int
is_encrypted_package(const char *path)
{
	static const char name[] = "EncryptedPackage";
	char pat[2 * (sizeof name - 1)], buf[65536 + sizeof pat];
	size_t i, n, keep = 0;
	FILE *f;
	int found = 0;

	for (i = 0; i < sizeof name - 1; i++) {
		pat[2 * i] = name[i];
		pat[2 * i + 1] = '\0';
	}
	if ((f = fopen(path, "rb")) == NULL)
		return 0;
	while (!found && (n = fread(buf + keep, 1, 65536, f)) > 0) {
		n += keep;
		found = has(buf, n, pat, sizeof pat);
		keep = n < sizeof pat ? n : sizeof pat;
		memmove(buf, buf + n - keep, keep);
	}
	fclose(f);
	return found;
}

static const char *
fx_error(int rc)
{
	switch (rc) {
	case FREEXL_INSUFFICIENT_MEMORY:
		return "out of memory";
	case FREEXL_INVALID_CFBF_HEADER:
	case FREEXL_CFBF_INVALID_SIGNATURE:
	case FREEXL_CFBF_INVALID_SECTOR_SIZE:
		return "not an OLE2 file (the header is damaged)";
	case FREEXL_CFBF_READ_ERROR:
	case FREEXL_CFBF_SEEK_ERROR:
		return "truncated or damaged (a sector cannot be read)";
	case FREEXL_BIFF_WORKBOOK_NOT_FOUND:
		return "an OLE2 file but not an Excel workbook";
	case FREEXL_CRAFTED_FILE:
		return "damaged beyond reading (a crafted file?)";
	case FREEXL_UNSUPPORTED_CHARSET:
	case FREEXL_INVALID_CHARACTER:
		return "text in a code page that cannot be decoded";
	default:
		return "damaged workbook (freexl cannot read it)";
	}
}

int
vet_xls__read_open(struct vet_xls_read **xp, const char *path, size_t max_row,
    struct vet_error *err)
{
	struct vet_xls_read *x;
	unsigned int count = 0, pw = 0;
	const char *name;
	iconv_t cd, cd16;
	size_t i;
	int rc, nomem;

	*xp = NULL;
	/* Loaded by vet_xls_open() before the fork; here for a caller in
	 * the process (tests/fuzz). */
	if ((rc = vet_freexl__load(err)) < 0)
		return rc;
	if ((x = calloc(1, sizeof *x)) == NULL)
		return vet_error_set(err, VET_ENOMEM, NULL, 0, 0,
		    "out of memory");
	x->max_row = max_row;
	/*
	 * freexl tells an iconv_open() that failed for want of memory or of
	 * a readable gconv module as "unsupported charset", a fault of the
	 * file.  Opening a converter first, and holding it while freexl
	 * opens its own, makes a failing machine fail here, told as what it
	 * is; EINVAL (no such module on this system) is left for freexl.
	 */
	if ((cd = iconv_open("UTF-8", "CP1252")) == (iconv_t)-1 &&
	    errno != EINVAL) {
		rc = vet_error_set(err, errno == ENOMEM ? VET_ENOMEM :
		    VET_EIO, NULL, 0, 0, "cannot open a text converter: %s",
		    strerror(errno));
		goto fail;
	}
	/*
	 * BIFF8 text is UTF-16LE, a converter built into the C library:
	 * one that cannot be opened is memory short, whatever errno says
	 * (glibc says EINVAL when an allocation of its lookup fails), and
	 * one held open keeps the lookup cached for freexl's.
	 */
	if ((cd16 = iconv_open("UTF-8", "UTF-16LE")) == (iconv_t)-1) {
		if (cd != (iconv_t)-1)
			iconv_close(cd);
		goto oom;
	}
	/*
	 * freexl does not tell every failed allocation as one: some it
	 * reports as a bad code page, a damaged file or a workbook of no
	 * sheet, some it ignores and reads on without the data.  errno is
	 * the tell: an open during which an allocation failed (ENOMEM) read
	 * a workbook that cannot be trusted, whatever freexl answers.
	 */
	errno = 0;
	rc = freexl_open(path, &x->h);
	nomem = errno == ENOMEM;
	if (cd != (iconv_t)-1)
		iconv_close(cd);
	iconv_close(cd16);
	if (nomem)
		goto oom;
	if (rc != FREEXL_OK) {
		if (is_encrypted_package(path))
			rc = vet_error_set(err, VET_EDATA, NULL, 0, 0,
			    "workbook is password-protected");
		else
			rc = vet_error_set(err, rc == FREEXL_INSUFFICIENT_MEMORY ?
			    VET_ENOMEM : VET_EDATA, NULL, 0, 0, "%s",
			    fx_error(rc));
		goto fail;
	}
	if (freexl_get_info(x->h, FREEXL_BIFF_PASSWORD, &pw) == FREEXL_OK &&
	    pw == FREEXL_BIFF_OBFUSCATED) {
		rc = vet_error_set(err, VET_EDATA, NULL, 0, 0,
		    "workbook is password-protected");
		goto fail;
	}
	if (freexl_get_info(x->h, FREEXL_BIFF_SHEET_COUNT, &count) !=
	    FREEXL_OK || count == 0) {
		rc = vet_error_set(err, VET_EDATA, NULL, 0, 0, "the workbook "
		    "has no sheet");
		goto fail;
	}
	if ((x->names = calloc(count, sizeof *x->names)) == NULL)
		goto oom;
	x->nsheets = count;
	for (i = 0; i < count; i++) {
		if (freexl_get_worksheet_name(x->h, (unsigned short)i, &name) !=
		    FREEXL_OK || name == NULL)
			name = "";
		if ((x->names[i] = strdup(name)) == NULL)
			goto oom;
	}
	*xp = x;
	return 0;
oom:
	rc = vet_error_set(err, VET_ENOMEM, NULL, 0, 0, "out of memory");
fail:
	vet_xls__read_close(x);
	return rc;
}

void
vet_xls__read_close(struct vet_xls_read *x)
{
	size_t i;

	if (x == NULL)
		return;
	if (x->h != NULL)
		freexl_close(x->h);
	for (i = 0; i < x->nsheets; i++)
		free(x->names[i]);
	free(x->names);
	vet_buf_release(&x->text);
	free(x->cell);
	free(x->spans);
	free(x->kinds);
	free(x);
}

size_t
vet_xls__read_nsheets(const struct vet_xls_read *x)
{
	return x->nsheets;
}

const char *
vet_xls__read_sheet_name(const struct vet_xls_read *x, size_t i)
{
	return x->names[i];
}

int
vet_xls__read_sheet_open(struct vet_xls_read *x, size_t i, struct vet_error *err)
{
	void *p;

	x->active = 0;
	errno = 0;
	if (i >= x->nsheets || freexl_select_active_worksheet(x->h,
	    (unsigned short)i) != FREEXL_OK ||
	    freexl_worksheet_dimensions(x->h, &x->rows, &x->cols) !=
	    FREEXL_OK) {
		if (errno == ENOMEM)
			goto oom;
		return vet_error_set(err, VET_EDATA, NULL, 0, 0, "sheet %zu "
		    "cannot be read", i + 1);
	}
	x->row = 0;
	if (x->cols > 0) {
		if ((p = realloc(x->cell, x->cols * sizeof *x->cell)) == NULL)
			goto oom;
		x->cell = p;
		if ((p = realloc(x->spans, x->cols * sizeof *x->spans)) == NULL)
			goto oom;
		x->spans = p;
		if ((p = realloc(x->kinds, x->cols)) == NULL)
			goto oom;
		x->kinds = p;
	}
	x->active = 1;
	return 0;
oom:
	return vet_error_set(err, VET_ENOMEM, NULL, 0, 0, "out of memory");
}

/* The text of one cell appended to x->text; its kind. */
static int
cell_text(struct vet_xls_read *x, const FreeXL_CellValue *v, unsigned char *kind)
{
	const char *s;
	size_t n;

	switch (v->type) {
	case FREEXL_CELL_INT:
		*kind = VET_CELL_NUMBER;
		return vet_sheet_number(&x->text, v->value.int_value);
	case FREEXL_CELL_DOUBLE:
		*kind = VET_CELL_NUMBER;
		return vet_sheet_number(&x->text, v->value.double_value);
	case FREEXL_CELL_TEXT:
	case FREEXL_CELL_SST_TEXT:
		*kind = VET_CELL_TEXT;
		break;
	case FREEXL_CELL_DATE:
	case FREEXL_CELL_DATETIME:
	case FREEXL_CELL_TIME:
		*kind = VET_CELL_DATE;
		break;
	default:
		*kind = VET_CELL_EMPTY;
		return 0;
	}
	s = v->value.text_value != NULL ? v->value.text_value : "";
	n = strlen(s);
	/* "YYYY-MM-DD HH:MM:SS" as xlsx.c writes a date and time: the date
	 * alone at midnight, the seconds only when there are some. */
	if (v->type == FREEXL_CELL_DATETIME && n == 19) {
		if (strcmp(s + 10, " 00:00:00") == 0)
			n = 10;
		else if (strcmp(s + 16, ":00") == 0)
			n = 16;
	}
	if (vet_utf8_valid_prefix(s, n) != n) {
		snprintf(x->bad, sizeof x->bad, "a cell's text is not valid "
		    "in its code page");
		return 0;
	}
	return vet_buf_add(&x->text, s, n) < 0 ? VET_ENOMEM : 0;
}

int
vet_xls__read_next(struct vet_xls_read *x, struct vet_sheet_row *row,
    struct vet_error *err)
{
	FreeXL_CellValue v;
	unsigned short c;
	size_t start, width;
	unsigned char kind;

	if (!x->active)
		return 0;
	for (; x->row < x->rows; x->row++) {
		vet_buf_reset(&x->text);
		x->bad[0] = '\0';
		width = 0;
		for (c = 0; c < x->cols; c++) {
			start = x->text.len;
			kind = VET_CELL_EMPTY;
			errno = 0;
			if (freexl_get_cell_value(x->h, x->row, c, &v) !=
			    FREEXL_OK) {
				if (errno == ENOMEM)
					return vet_error_set(err, VET_ENOMEM,
					    NULL, 0, 0, "out of memory");
				snprintf(x->bad, sizeof x->bad, "a cell "
				    "cannot be read");
			} else if (cell_text(x, &v, &kind) < 0)
				return vet_error_set(err, VET_ENOMEM, NULL, 0,
				    0, "out of memory");
			if (x->text.len > x->max_row) {
				snprintf(x->bad, sizeof x->bad, "row longer "
				    "than %zu bytes", x->max_row);
				vet_buf_truncate(&x->text, start);
			}
			x->cell[c].off = start;
			x->cell[c].len = x->text.len - start;
			x->kinds[c] = kind;
			if (x->cell[c].len > 0)
				width = (size_t)c + 1;
		}
		if (width == 0 && x->bad[0] == '\0')
			continue;
		for (c = 0; c < width; c++) {
			x->spans[c].p = x->text.data + x->cell[c].off;
			x->spans[c].n = x->cell[c].len;
		}
		row->line = (long)x->row + 1;
		row->cells = x->spans;
		row->kind = x->kinds;
		row->n = width;
		row->bad = x->bad[0] != '\0' ? x->bad : NULL;
		x->row++;
		return 1;
	}
	x->active = 0;
	return 0;
}
