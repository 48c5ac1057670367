/*
 * csv2xlsx - writes a CSV file (UTF-8) as a one-sheet .xlsx, streaming,
 * for the workbook benchmarks and command-line cases: vet-gen makes the
 * CSV, this the workbook, so that a 1 000 000-row sheet needs neither a
 * spreadsheet program nor Python.  The zip is minizip's writer (zip.h);
 * cells are shared strings, as Excel and LibreOffice write them (the
 * string table is held in memory: this is a test tool), or inline strings
 * with --inline.  Not installed.
 *
 *	csv2xlsx [--inline] IN.csv OUT.xlsx
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <minizip/zip.h>

#include "vet/buf.h"
#include "vet/csv.h"
#include "vet/hash.h"
#include "vet/io.h"

static zipFile zf;

static void
die(const char *what)
{
	fprintf(stderr, "csv2xlsx: %s\n", what);
	exit(1);
}

static void
part(const char *name)
{
	if (zipOpenNewFileInZip64(zf, name, NULL, NULL, 0, NULL, 0, NULL,
	    Z_DEFLATED, 6, 1) != ZIP_OK)
		die("cannot add a part");
}

static void
put(const void *p, size_t n)
{
	if (n > 0 && zipWriteInFileInZip(zf, p, (unsigned)n) != ZIP_OK)
		die("write failed");
}

static void
puts_(const char *s)
{
	put(s, strlen(s));
}

static void
xml_text(struct vet_buf *b, const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		switch (p[i]) {
		case '<': vet_buf_addstr(b, "&lt;"); break;
		case '>': vet_buf_addstr(b, "&gt;"); break;
		case '&': vet_buf_addstr(b, "&amp;"); break;
		case '\r': vet_buf_addstr(b, "&#13;"); break;
		default: vet_buf_addch(b, p[i]);
		}
}

static long
in_read(void *ctx, void *p, size_t n, struct vet_error *err)
{
	return vet_input_read(ctx, p, n, err);
}

int
main(int argc, char **argv)
{
	static const char ns[] = "http://schemas.openxmlformats.org/";
	struct vet_input *in;
	struct vet_csv csv;
	struct vet_csv_row row;
	struct vet_error err;
	struct vet_buf b = VET_BUF_INIT, sst = VET_BUF_INIT;
	struct vet_strmap map;
	size_t i, idx, at, nsst = 0, nref = 0;
	long line = 0;
	int inl = 0, rc;
	char ref[16];
	unsigned c;

	if (argc > 1 && strcmp(argv[1], "--inline") == 0) {
		inl = 1;
		argv++;
		argc--;
	}
	if (argc != 3)
		die("usage: csv2xlsx [--inline] IN.csv OUT.xlsx");
	if (vet_input_open(&in, argv[1], &err) < 0)
		die(err.msg);
	if ((zf = zipOpen64(argv[2], 0)) == NULL)
		die("cannot create the output");
	vet_strmap_init(&map);
	part("[Content_Types].xml");
	vet_buf_addf(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<Types xmlns=\"%spackage/2006/content-types\"><Default Extension="
	    "\"rels\" ContentType=\"application/vnd.openxmlformats-package."
	    "relationships+xml\"/><Default Extension=\"xml\" ContentType="
	    "\"application/xml\"/><Override PartName=\"/xl/workbook.xml\" "
	    "ContentType=\"application/vnd.openxmlformats-officedocument."
	    "spreadsheetml.sheet.main+xml\"/><Override PartName=\"/xl/"
	    "worksheets/sheet1.xml\" ContentType=\"application/vnd."
	    "openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
	    "<Override PartName=\"/xl/sharedStrings.xml\" ContentType=\""
	    "application/vnd.openxmlformats-officedocument.spreadsheetml."
	    "sharedStrings+xml\"/></Types>", ns);
	put(b.data, b.len);
	zipCloseFileInZip(zf);
	part("_rels/.rels");
	vet_buf_reset(&b);
	vet_buf_addf(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<Relationships xmlns=\"%spackage/2006/relationships\"><Relationship"
	    " Id=\"rId1\" Type=\"%sofficeDocument/2006/relationships/"
	    "officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>",
	    ns, ns);
	put(b.data, b.len);
	zipCloseFileInZip(zf);
	part("xl/workbook.xml");
	vet_buf_reset(&b);
	vet_buf_addf(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<workbook xmlns=\"%sspreadsheetml/2006/main\" xmlns:r=\"%s"
	    "officeDocument/2006/relationships\"><sheets><sheet name=\"Sheet1\""
	    " sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>", ns, ns);
	put(b.data, b.len);
	zipCloseFileInZip(zf);
	part("xl/_rels/workbook.xml.rels");
	vet_buf_reset(&b);
	vet_buf_addf(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<Relationships xmlns=\"%spackage/2006/relationships\"><Relationship"
	    " Id=\"rId1\" Type=\"%sofficeDocument/2006/relationships/worksheet\""
	    " Target=\"worksheets/sheet1.xml\"/><Relationship Id=\"rId2\" Type="
	    "\"%sofficeDocument/2006/relationships/sharedStrings\" Target="
	    "\"sharedStrings.xml\"/></Relationships>", ns, ns, ns);
	put(b.data, b.len);
	zipCloseFileInZip(zf);

	part("xl/worksheets/sheet1.xml");
	vet_buf_reset(&b);
	vet_buf_addf(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<worksheet xmlns=\"%sspreadsheetml/2006/main\"><sheetData>", ns);
	put(b.data, b.len);
	vet_csv_init(&csv, in_read, in, ',', (size_t)64 << 20, 0);
	while ((rc = vet_csv_next(&csv, &row, &err)) > 0) {
		if (rc != VET_CSV_ROW)
			die("bad CSV row");
		line++;
		vet_buf_reset(&b);
		vet_buf_addf(&b, "<row r=\"%ld\">", line);
		for (i = 0; i < row.n; i++) {
			if (row.fields[i].n == 0)
				continue;
			/* The column letters of cell i. */
			c = (unsigned)i + 1;
			ref[15] = '\0';
			at = 15;
			while (c > 0) {
				ref[--at] = (char)('A' + (c - 1) % 26);
				c = (c - 1) / 26;
			}
			if (inl) {
				vet_buf_addf(&b, "<c r=\"%s%ld\" t=\"inlineStr\">"
				    "<is><t>", ref + at, line);
				xml_text(&b, row.fields[i].p, row.fields[i].n);
				vet_buf_addstr(&b, "</t></is></c>");
				continue;
			}
			if ((rc = vet_strmap_put(&map, row.fields[i].p,
			    row.fields[i].n, nsst, &idx)) < 0)
				die("out of memory");
			if (rc == 1) {
				idx = nsst++;	/* put() kept the value nsst */
				vet_buf_addstr(&sst, "<si><t xml:space=\"preserve\">");
				xml_text(&sst, row.fields[i].p, row.fields[i].n);
				vet_buf_addstr(&sst, "</t></si>");
			}
			nref++;
			vet_buf_addf(&b, "<c r=\"%s%ld\" t=\"s\"><v>%zu</v></c>",
			    ref + at, line, idx);
		}
		vet_buf_addstr(&b, "</row>");
		put(b.data, b.len);
	}
	if (rc < 0)
		die(err.msg);
	puts_("</sheetData></worksheet>");
	zipCloseFileInZip(zf);
	part("xl/sharedStrings.xml");
	vet_buf_reset(&b);
	vet_buf_addf(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<sst xmlns=\"%sspreadsheetml/2006/main\" count=\"%zu\" "
	    "uniqueCount=\"%zu\">", ns, nref, nsst);
	put(b.data, b.len);
	put(sst.data, sst.len);
	puts_("</sst>");
	zipCloseFileInZip(zf);
	if (zipClose(zf, NULL) != ZIP_OK)
		die("cannot finish the output");
	vet_csv_release(&csv);
	vet_input_close(in);
	vet_strmap_release(&map);
	vet_buf_release(&b);
	vet_buf_release(&sst);
	return 0;
}
