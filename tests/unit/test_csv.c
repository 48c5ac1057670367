/*
 * test_csv.c - the streaming CSV/TSV/line reader (csv.h).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vet/csv.h"

/* A memory source that hands out at most `chunk` bytes per read, so that
 * every record boundary case also meets a buffer boundary. */
struct src {
	const char *p;
	size_t n, pos, chunk;
};

static long
src_read(void *ctx, void *buf, size_t n, struct vet_error *err)
{
	struct src *s = ctx;
	size_t k = s->n - s->pos;

	(void)err;
	if (k > n)
		k = n;
	if (k > s->chunk)
		k = s->chunk;
	memcpy(buf, s->p + s->pos, k);
	s->pos += k;
	return (long)k;
}

/*
 * Reads everything and renders each result as one line of text:
 * "L<line>:<cell>|<cell>|..." for rows, "L<line>!<msg>[<raw>]" for bad rows.
 */
static char *
render(const char *data, size_t n, int delim, size_t chunk, size_t max,
    long maxq)
{
	struct src s = { data, n, 0, chunk };
	struct vet_csv c;
	struct vet_csv_row row;
	struct vet_error err;
	char *out = NULL;
	size_t outn = 0, i;
	FILE *f = open_memstream(&out, &outn);
	int rc;

	vet_csv_init(&c, src_read, &s, delim, max, maxq);
	while ((rc = vet_csv_next(&c, &row, &err)) > 0) {
		if (rc == VET_CSV_BAD) {
			fprintf(f, "L%ld!%s[", row.line, err.msg);
			fwrite(row.raw.p, 1, row.raw.n, f);
			fputs("]\n", f);
			continue;
		}
		fprintf(f, "L%ld:", row.line);
		for (i = 0; i < row.n; i++)
			fprintf(f, "%s%.*s", i ? "|" : "", (int)row.fields[i].n,
			    row.fields[i].p);
		fputc('\n', f);
	}
	cr_assert_eq(rc, 0, "reader failed: %d %s", rc, err.msg);
	vet_csv_release(&c);
	fclose(f);
	return out;
}

/*
 * Every row with its raw text, its cells (a lazy row split with
 * vet_csv_split()) and its error: what vet_csv.lazy must not change.
 */
static char *
render_raw(const char *data, size_t n, int delim, size_t chunk, int lazy,
    int scalar)
{
	struct src s = { data, n, 0, chunk };
	struct vet_csv c;
	struct vet_csv_row row;
	struct vet_error err;
	char *out = NULL;
	size_t outn = 0, i;
	FILE *f = open_memstream(&out, &outn);
	int rc;

	vet_csv_init(&c, src_read, &s, delim, 0, 0);
	c.lazy = lazy;
	c.scalar = scalar;
	while ((rc = vet_csv_next(&c, &row, &err)) > 0) {
		fprintf(f, "L%ld+%ld[", row.line, row.nlines);
		fwrite(row.raw.p, 1, row.raw.n, f);
		fputs("]", f);
		if (rc == VET_CSV_BAD) {
			fprintf(f, "!%s\n", err.msg);
			continue;
		}
		if (row.lazy)
			cr_assert_eq(vet_csv_split(&c, row.raw.p, row.raw.n,
			    &row, &err), 0, "%s", err.msg);
		for (i = 0; i < row.n; i++)
			fprintf(f, "%s%.*s", i ? "|" : ":",
			    (int)row.fields[i].n, row.fields[i].p);
		fputc('\n', f);
	}
	cr_assert_eq(rc, 0, "reader failed: %d %s", rc, err.msg);
	vet_csv_release(&c);
	fclose(f);
	return out;
}

static void
check(const char *data, int delim, const char *want)
{
	static const size_t chunks[] = { 1, 2, 3, 7, 1 << 20 };
	size_t k;
	char *got, *a, *b;

	for (k = 0; k < sizeof chunks / sizeof chunks[0]; k++) {
		got = render(data, strlen(data), delim, chunks[k], 0, 0);
		cr_assert_str_eq(got, want, "chunk %zu:\n%s\nwant:\n%s",
		    chunks[k], got, want);
		free(got);
		if (delim == VET_CSV_LINES)
			continue;
		a = render_raw(data, strlen(data), delim, chunks[k], 0, 0);
		b = render_raw(data, strlen(data), delim, chunks[k], 1, 0);
		cr_assert_str_eq(b, a, "lazy, chunk %zu", chunks[k]);
		free(b);
		b = render_raw(data, strlen(data), delim, chunks[k], 0, 1);
		cr_assert_str_eq(b, a, "scalar, chunk %zu", chunks[k]);
		free(a);
		free(b);
	}
}

Test(csv, simple)
{
	check("a,b,c\n1,2,3\n", ',', "L1:a|b|c\nL2:1|2|3\n");
}

Test(csv, crlf_and_no_final_newline)
{
	check("a,b\r\n1,2\r\n3,4", ',', "L1:a|b\nL2:1|2\nL3:3|4\n");
}

Test(csv, bom_skipped)
{
	check("\xef\xbb\xbf" "id,name\n1,x\n", ',', "L1:id|name\nL2:1|x\n");
}

Test(csv, quoted_fields)
{
	check("a,b\n\"x,y\",\"ha \"\"ha\"\" ha\"\n\"\",\"\"\n", ',',
	    "L1:a|b\nL2:x,y|ha \"ha\" ha\nL3:|\n");
}

Test(csv, embedded_newlines_keep_line_numbers)
{
	check("a,b\n\"one\ntwo\",2\r\n\"x\r\ny\",3\n4,5\n", ',',
	    "L1:a|b\nL2:one\ntwo|2\nL4:x\r\ny|3\nL6:4|5\n");
}

Test(csv, empty_cells_and_lines)
{
	check("a,b\n,\n\n1,\n", ',', "L1:a|b\nL2:|\nL3:\nL4:1|\n");
}

Test(csv, quote_inside_unquoted_field_is_data)
{
	check("a,b\n5'10\",x\n", ',', "L1:a|b\nL2:5'10\"|x\n");
}

Test(csv, tsv)
{
	check("a\tb\n1,2\t\"3\t4\"\n", '\t', "L1:a|b\nL2:1,2|3\t4\n");
}

Test(csv, lines_mode)
{
	check("{\"a\":1}\r\n\n{\"b\":\"x,\\\"y\"}", VET_CSV_LINES,
	    "L1:{\"a\":1}\nL2:\nL3:{\"b\":\"x,\\\"y\"}\n");
}

Test(csv, nul_byte_names_field_and_keeps_next)
{
	static const char d[] = "a,b\n1,x\0y\n2,3\n";
	char *got = render(d, sizeof d - 1, ',', 1, 0, 0);

	static const char want[] = "L1:a|b\nL2!NUL byte in field 2[1,x\0y]\n"
	    "L3:2|3\n";

	cr_assert_eq(memcmp(got, want, sizeof want), 0, "%s", got);
	free(got);
}

Test(csv, unterminated_quote_at_eof_resyncs)
{
	check("a,b\n1,\"open\n2,3\n4,5\n", ',',
	    "L1:a|b\nL2!unterminated quote in field 2[1,\"open]\n"
	    "L3:2|3\nL4:4|5\n");
}

Test(csv, unterminated_quote_closed_later_resyncs)
{
	/* The quote opened on line 2 is "closed" by the quote on line 4,
	 * which is followed by text: line 2 is the bad record. */
	check("a,b\n1,\"open\n2,3\n\"q\"x,5\n6,7\n", ',',
	    "L1:a|b\nL2!unterminated quote in field 2[1,\"open]\n"
	    "L3:2|3\nL4!unexpected text after closing quote in field 1"
	    "[\"q\"x,5]\nL5:6|7\n");
}

#define QX "h\n\"x\na\nb\nc\nd\n"
#define QXX "h\n\"xx\naaaa\nbbbb\ncccc\ndddd\n"

Test(csv, unterminated_quote_bounded_by_lines)
{
	char *got = render(QX, strlen(QX), ',', 1 << 20, 0, 2);

	cr_assert_str_eq(got, "L1:h\nL2!unterminated quote in field 1[\"x]\n"
	    "L3:a\nL4:b\nL5:c\nL6:d\n");
	free(got);
}

Test(csv, unterminated_quote_bounded_by_size)
{
	char *got = render(QXX, strlen(QXX), ',', 1,
	    12, 0);

	cr_assert_str_eq(got, "L1:h\nL2!unterminated quote in field 1"
	    "[\"xx]\nL3:aaaa\nL4:bbbb\nL5:cccc\nL6:dddd\n");
	free(got);
}

Test(csv, long_record_rejected_and_skipped)
{
	char *got = render("h\n0123456789abcdef\nok\n", 22, ',', 1, 8, 0);

	cr_assert_str_eq(got, "L1:h\nL2!record longer than --max-record (8 bytes)"
	    "[01234567]\nL3:ok\n");
	free(got);
	got = render("h\n0123456789abcdef\nok\n", 22, ',', 1 << 20, 8, 0);
	cr_assert_str_eq(got, "L1:h\nL2!record longer than --max-record (8 bytes)"
	    "[0123456789abcdef]\nL3:ok\n");
	free(got);
}

Test(csv, offsets_and_high_bytes)
{
	static const char d[] = "\xef\xbb\xbf" "a\n\xc4\xe3\n";
	struct src s = { d, sizeof d - 1, 0, 2 };
	struct vet_csv c;
	struct vet_csv_row row;
	struct vet_error err;

	vet_csv_init(&c, src_read, &s, ',', 0, 0);
	cr_assert_eq(vet_csv_next(&c, &row, &err), VET_CSV_ROW);
	cr_assert_eq(row.offset, 3);
	cr_assert_eq(row.has_high, 0);
	cr_assert_eq(vet_csv_next(&c, &row, &err), VET_CSV_ROW);
	cr_assert_eq(row.offset, 5);
	cr_assert_eq(row.has_high, 1);
	cr_assert_eq(vet_csv_next(&c, &row, &err), VET_CSV_EOF);
	vet_csv_release(&c);
}

Test(csv, split_after_decoding)
{
	static const char d[] = "x\n";
	struct src s = { d, 2, 0, 64 };
	struct vet_csv c;
	struct vet_csv_row row;
	struct vet_error err;

	vet_csv_init(&c, src_read, &s, ',', 0, 0);
	cr_assert_eq(vet_csv_next(&c, &row, &err), VET_CSV_ROW);
	cr_assert_eq(vet_csv_split(&c, "\"a,\"\"b\",c", 9, &row, &err), 0);
	cr_assert_eq(row.n, 2);
	cr_assert_eq(row.fields[0].n, 4);
	cr_assert_eq(memcmp(row.fields[0].p, "a,\"b", 4), 0);
	cr_assert_eq(vet_csv_split(&c, "\"a", 2, &row, &err), VET_EDATA);
	vet_csv_release(&c);
}

/* Every csv-spectrum input parses without error into the row count its
 * expected JSON holds (plus the header). */
Test(csv, spectrum_row_counts)
{
	static const struct { const char *f; size_t rows; } t[] = {
		{ "comma_in_quotes.csv", 2 }, { "empty.csv", 3 },
		{ "empty_crlf.csv", 3 }, { "escaped_quotes.csv", 3 },
		{ "json.csv", 2 }, { "location_coordinates.csv", 2 },
		{ "newlines.csv", 4 }, { "newlines_crlf.csv", 4 },
		{ "quotes_and_newlines.csv", 3 }, { "simple.csv", 2 },
		{ "simple_crlf.csv", 2 }, { "utf8.csv", 3 },
	};
	size_t i, rows;
	char path[512], *data = NULL;
	FILE *f;
	struct src s;
	struct vet_csv c;
	struct vet_csv_row row;
	struct vet_error err;
	int rc;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		snprintf(path, sizeof path, "%s/csv-spectrum/csvs/%s",
		    VET_TEST_DATA, t[i].f);
		f = fopen(path, "rb");
		cr_assert_not_null(f, "%s", path);
		data = malloc(1 << 16);
		s.n = fread(data, 1, 1 << 16, f);
		fclose(f);
		s.p = data;
		s.pos = 0;
		s.chunk = 5;
		vet_csv_init(&c, src_read, &s, ',', 0, 0);
		rows = 0;
		while ((rc = vet_csv_next(&c, &row, &err)) == VET_CSV_ROW)
			rows++;
		cr_assert_eq(rc, VET_CSV_EOF, "%s: %s", t[i].f, err.msg);
		cr_assert_eq(rows, t[i].rows, "%s: %zu rows", t[i].f, rows);
		vet_csv_release(&c);
		free(data);
	}
}

/* An over-long record read whole through vet_csv_rest(), at every buffer
 * size, and the record after it read as usual. */
static void
check_rest(const char *data, int delim, const char *want)
{
	static const size_t chunks[] = { 1, 3, 7, 1 << 20 };
	struct vet_csv c;
	struct vet_csv_row row;
	struct vet_error err;
	struct vet_span piece;
	struct src s;
	char *got;
	size_t k, gotn;
	FILE *f;
	int rc;

	for (k = 0; k < sizeof chunks / sizeof chunks[0]; k++) {
		s.p = data;
		s.n = strlen(data);
		s.pos = 0;
		s.chunk = chunks[k];
		got = NULL;
		f = open_memstream(&got, &gotn);
		vet_csv_init(&c, src_read, &s, delim, 8, 0);
		while ((rc = vet_csv_next(&c, &row, &err)) > 0) {
			fprintf(f, "L%ld%c", row.line,
			    rc == VET_CSV_BAD ? '!' : ':');
			fwrite(row.raw.p, 1, row.raw.n, f);
			while (row.cut && (rc = vet_csv_rest(&c, &piece,
			    &err)) > 0)
				fwrite(piece.p, 1, piece.n, f);
			cr_assert_geq(rc, 0);
			fputc('\n', f);
		}
		cr_assert_eq(rc, 0, "reader failed: %d %s", rc, err.msg);
		vet_csv_release(&c);
		fclose(f);
		cr_assert_str_eq(got, want, "chunk %zu:\n%s\nwant:\n%s",
		    chunks[k], got, want);
		free(got);
	}
}

Test(csv, long_record_handed_out_whole_by_rest)
{
	check_rest("h\n0123456789abcdefghijklmnopqrstuvwxyz\nok\n", ',',
	    "L1:h\nL2!0123456789abcdefghijklmnopqrstuvwxyz\nL3:ok\n");
	check_rest("{\"a\":1}\n{\"long\":\"0123456789abcdef\"}\r\n{}\n",
	    VET_CSV_LINES,
	    "L1:{\"a\":1}\nL2!{\"long\":\"0123456789abcdef\"}\nL3:{}\n");
	/* The last record, without a line end. */
	check_rest("h\n0123456789abcdefghij", ',',
	    "L1:h\nL2!0123456789abcdefghij\n");
}

/* A CR at the end of the data, after no LF, is data; lazy rows too. */
Test(csv, final_cr_is_data)
{
	check("a,b\n1,\r\r", ',', "L1:a|b\nL2:1|\r\r\n");
	check("a,b\n1,\r\r\n2,\r", ',', "L1:a|b\nL2:1|\r\nL3:2|\r\n");
	check("a\rb,c\r\n", ',', "L1:a\rb|c\n");
}

/*
 * The cells of a row are found 64 bytes at a time (SSE2), the last bytes
 * of the data through a padded copy: every byte that ends a cell or
 * stops that scan, at every place around the blocks' edges, must give
 * the rows the byte at a time reading gives (vet_csv.scalar).
 */
Test(csv, block_edges_read_as_one_byte_at_a_time)
{
	static const char *const ends[] = { ",", "\n", "\r\n", "\r", "\r\r\n",
	    "\"", ",\"q\"", ",\"q\"x", "\0", "\t", ",\n" };
	static const size_t chunks[] = { 1, 5, 63, 64, 65, 1 << 20 };
	char data[512], *a, *b;
	size_t len, e, n, k, el;
	int delim;

	for (len = 0; len < 200; len++)
		for (e = 0; e < sizeof ends / sizeof ends[0]; e++) {
			el = ends[e][0] == '\0' ? 1 : strlen(ends[e]);
			n = 0;
			/* Short cells before the byte, so that one block
			 * holds several. */
			for (k = 0; k < len; k++)
				data[n++] = k % 7 == 6 ? ',' : 'a' + k % 26;
			memcpy(data + n, ends[e], el);
			n += el;
			memcpy(data + n, "b,c\r\nd,e", 8);
			n += 8;
			for (delim = ','; delim != 0; delim = delim == ',' ?
			    '\t' : 0)
				for (k = 0; k < sizeof chunks / sizeof chunks[0];
				    k++) {
					a = render_raw(data, n, delim, chunks[k],
					    0, 1);
					b = render_raw(data, n, delim, chunks[k],
					    0, 0);
					cr_assert_str_eq(b, a, "len %zu end %zu "
					    "chunk %zu", len, e, chunks[k]);
					free(b);
					b = render_raw(data, n, delim, chunks[k],
					    1, 0);
					cr_assert_str_eq(b, a, "lazy: len %zu "
					    "end %zu chunk %zu", len, e,
					    chunks[k]);
					free(a);
					free(b);
				}
		}
}

Test(csv, cells_across_blocks)
{
	char data[300], want[700];
	size_t i, n = 0, w = 0;

	/* 100 cells of one or two bytes, the record 2 x 64 bytes and more,
	 * then a record of the last bytes, with no line end. */
	w += (size_t)sprintf(want + w, "L1:");
	for (i = 0; i < 100; i++) {
		n += (size_t)sprintf(data + n, "%s%zu", i ? "," : "", i % 13);
		w += (size_t)sprintf(want + w, "%s%zu", i ? "|" : "", i % 13);
	}
	memcpy(data + n, "\r\nx,,y", 7);
	memcpy(want + w, "\nL2:x||y\n", 10);
	check(data, ',', want);
}
