/*
 * Unit tests for xlsxout.c: the helpers the workbook writers share (sheet
 * names, cell text at Excel's limit, print setup), read back from the
 * workbook's XML with zipread.h.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include <xlsxwriter.h>

#include "vet/buf.h"
#include "vet/error.h"
#include "vet/xlsxout.h"
#include "zipread.h"
#include "../../lib/xlsxout_impl.h"

Test(xlsxout, units_count_utf16_and_cut_at_a_character)
{
	size_t cut;

	/* 甲 is one unit, an emoji (4 bytes of UTF-8) two. */
	cr_assert_eq(vet_xlsxout_units("a甲\xF0\x9F\x98\x80", 8, 100, &cut), 4);
	cr_assert_eq(cut, 8);
	cr_assert_eq(vet_xlsxout_units("a甲\xF0\x9F\x98\x80", 8, 3, &cut), 4);
	cr_assert_eq(cut, 4);
}

Test(xlsxout, cell_text_is_whole_or_cut_and_marked)
{
	struct vet_buf t = VET_BUF_INIT;
	size_t n = VET_XLSXOUT_MAX_CELL + 10, u, cut;
	char *s = malloc(n);

	cr_assert_eq(vet_xlsxout_cell_text(&t, "abc", 3, "…"), 0);
	cr_assert_str_eq(vet_buf_str(&t), "abc");
	memset(s, 'x', n);
	cr_assert_eq(vet_xlsxout_cell_text(&t, s, n, "…[cut]"), 1);
	u = vet_xlsxout_units(t.data, t.len, SIZE_MAX, &cut);
	cr_assert_leq(u, VET_XLSXOUT_MAX_CELL);
	cr_assert_str_eq(t.data + t.len - strlen("…[cut]"), "…[cut]");
	cr_assert_eq(t.len, VET_XLSXOUT_MAX_CELL - VET_XLSXOUT_MARK +
	    strlen("…[cut]"));
	free(s);
	vet_buf_release(&t);
}

Test(xlsxout, sheet_names_are_cleaned_cut_and_unique)
{
	struct vet_xlsxout w;
	struct vet_buf z = VET_BUF_INIT, tmp = VET_BUF_INIT;
	struct vet_error err;
	lxw_worksheet *ws[5];
	const char *long_name = "一二三四五六七八九十一二三四五六七八九十"
	    "一二三四五六七八九十一二三";
	char *xml;
	size_t len;

	cr_assert_eq(vet_xlsxout_open(&w, 1, 20000, "t", &err), 0, "%s",
	    err.msg);
	cr_assert_not_null(ws[0] = vet_xlsxout_add_sheet(&w, "a/b[c]:*?", 9));
	cr_assert_str_eq(ws[0]->name, "a_b_c____");
	cr_assert_not_null(ws[1] = vet_xlsxout_add_sheet(&w, "a/b[c]:*?", 9));
	cr_assert_str_eq(ws[1]->name, "a_b_c____ (2)");
	cr_assert_not_null(ws[2] = vet_xlsxout_add_sheet(&w, "'q'", 3));
	cr_assert_str_eq(ws[2]->name, "q");
	/* 33 characters: cut to 31, then to 27 for " (2)". */
	cr_assert_not_null(ws[3] = vet_xlsxout_add_sheet(&w, long_name,
	    strlen(long_name)));
	cr_assert_eq(strlen(ws[3]->name), 31 * 3);
	cr_assert_not_null(ws[4] = vet_xlsxout_add_sheet(&w, long_name,
	    strlen(long_name)));
	cr_assert_eq(strlen(ws[4]->name), 27 * 3 + 4);
	cr_assert_eq(vet_xlsxout_print_a4(ws[0], 1, "R&D", "x", &tmp), 0);
	worksheet_write_string(ws[0], 0, 0, "v", NULL);
	cr_assert_eq(vet_xlsxout_close(&w, vet_xlsxout_sink_buf, &z, &err), 0,
	    "%s", err.msg);
	cr_assert_not_null(xml = zr_member(z.data, z.len,
	    "xl/worksheets/sheet1.xml", &len));
	/* '&' doubled in the header: R&D is text, not a code. */
	cr_assert_not_null(strstr(xml, "<oddHeader>&amp;LR&amp;&amp;D&amp;Rx"
	    "</oddHeader>"), "%s", xml);
	cr_assert_not_null(strstr(xml, "orientation=\"landscape\""));
	cr_assert_not_null(strstr(xml, "paperSize=\"9\""));
	free(xml);
	vet_buf_release(&z);
	vet_buf_release(&tmp);
}
