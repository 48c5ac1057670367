/*
 * libFuzzer target: the .xlsx reader (xlsx.h) on arbitrary bytes, two
 * ways.  Input that starts like a zip is read as the workbook itself
 * (the seeds are real workbooks).  Anything else becomes the XML of a
 * sheet and of its shared strings (split at the first NUL), packed here
 * into a stored zip, so that the XML path is fuzzed without the fuzzer
 * having to get deflate and CRCs right.  Every row must be inside the
 * sheet, hold valid UTF-8 and come in bounded memory; no crash, no leak.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "vet/buf.h"
#include "vet/utf8.h"
#include "vet/xlsx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
le16(struct vet_buf *b, unsigned v)
{
	vet_buf_addch(b, (int)(v & 0xff));
	vet_buf_addch(b, (int)(v >> 8 & 0xff));
}

static void
le32(struct vet_buf *b, unsigned long v)
{
	le16(b, (unsigned)(v & 0xffff));
	le16(b, (unsigned)(v >> 16 & 0xffff));
}

struct entry {
	const char *name;
	const void *p;
	size_t n;
};

/* A zip of stored entries (APPNOTE 4.3): local headers, then the
 * central directory and its end record. */
static void
stored_zip(struct vet_buf *z, const struct entry *e, size_t ne)
{
	struct vet_buf cd = VET_BUF_INIT;
	unsigned long off[8], crc;
	size_t i, nl;

	for (i = 0; i < ne; i++) {
		nl = strlen(e[i].name);
		crc = crc32(0, e[i].p, (uInt)e[i].n);
		off[i] = z->len;
		le32(z, 0x04034b50);
		le16(z, 20); le16(z, 0); le16(z, 0); le16(z, 0); le16(z, 0);
		le32(z, crc); le32(z, e[i].n); le32(z, e[i].n);
		le16(z, (unsigned)nl); le16(z, 0);
		vet_buf_add(z, e[i].name, nl);
		vet_buf_add(z, e[i].p, e[i].n);
		le32(&cd, 0x02014b50);
		le16(&cd, 20); le16(&cd, 20); le16(&cd, 0); le16(&cd, 0);
		le16(&cd, 0); le16(&cd, 0);
		le32(&cd, crc); le32(&cd, e[i].n); le32(&cd, e[i].n);
		le16(&cd, (unsigned)nl); le16(&cd, 0); le16(&cd, 0);
		le16(&cd, 0); le16(&cd, 0); le32(&cd, 0); le32(&cd, off[i]);
		vet_buf_add(&cd, e[i].name, nl);
	}
	off[ne] = z->len;
	vet_buf_add(z, cd.data, cd.len);
	le32(z, 0x06054b50);
	le16(z, 0); le16(z, 0); le16(z, (unsigned)ne); le16(z, (unsigned)ne);
	le32(z, cd.len); le32(z, off[ne]); le16(z, 0);
	vet_buf_release(&cd);
}

static void
read_all(const void *p, size_t n)
{
	struct vet_xlsx *x;
	struct vet_sheet_row r;
	struct vet_error e;
	size_t i, j;
	FILE *f;
	int rc;

	if ((f = fmemopen((void *)p, n, "rb")) == NULL)
		return;
	if (vet_xlsx_open(&x, f, 1 << 16, &e) == 0) {
		for (i = 0; i < vet_xlsx_nsheets(x); i++) {
			if (vet_xlsx_sheet_open(x, i, &e) < 0)
				continue;
			while ((rc = vet_xlsx_next(x, &r, &e)) > 0) {
				if (r.line < 1 || r.line > VET_SHEET_MAX_ROWS ||
				    r.n > VET_SHEET_MAX_COLS)
					abort();
				for (j = 0; j < r.n; j++)
					if (vet_utf8_valid_prefix(r.cells[j].p,
					    r.cells[j].n) != r.cells[j].n)
						abort();
			}
		}
		vet_xlsx_close(x);
	}
	fclose(f);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char rels[] = "<Relationships xmlns=\"http://schemas."
	    "openxmlformats.org/package/2006/relationships\"><Relationship "
	    "Id=\"rId1\" Type=\"x/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
	    "<Relationship Id=\"rId2\" Type=\"x/sharedStrings\" Target=\""
	    "sharedStrings.xml\"/><Relationship Id=\"rId3\" Type=\"x/styles\" "
	    "Target=\"styles.xml\"/></Relationships>";
	static const char wb[] = "<workbook><sheets><sheet name=\"S\" r:id="
	    "\"rId1\" xmlns:r=\"http://schemas.openxmlformats.org/"
	    "officeDocument/2006/relationships\"/></sheets></workbook>";
	static const char st[] = "<styleSheet><cellXfs><xf numFmtId=\"0\"/>"
	    "<xf numFmtId=\"14\"/><xf numFmtId=\"164\"/></cellXfs>"
	    "<numFmts><numFmt numFmtId=\"164\" formatCode=\"yyyy&quot;年"
	    "&quot;\"/></numFmts></styleSheet>";
	struct vet_buf z = VET_BUF_INIT;
	struct entry e[5];
	const uint8_t *nul;
	size_t k;

	if (size >= 2 && data[0] == 'P' && data[1] == 'K') {
		read_all(data, size);
		return 0;
	}
	nul = memchr(data, 0, size);
	k = nul != NULL ? (size_t)(nul - data) : size;
	e[0] = (struct entry){ "xl/workbook.xml", wb, sizeof wb - 1 };
	e[1] = (struct entry){ "xl/_rels/workbook.xml.rels", rels,
	    sizeof rels - 1 };
	e[2] = (struct entry){ "xl/styles.xml", st, sizeof st - 1 };
	e[3] = (struct entry){ "xl/worksheets/sheet1.xml", data, k };
	e[4] = (struct entry){ "xl/sharedStrings.xml", nul != NULL ?
	    nul + 1 : data + size, nul != NULL ? size - k - 1 : 0 };
	stored_zip(&z, e, 5);
	read_all(z.data, z.len);
	vet_buf_release(&z);
	return 0;
}
