/*
 * xlsxout_impl.h - libxlsxwriter, loaded when the first workbook is made.
 *
 * Include it after <xlsxwriter.h> in every file that calls the library:
 * the library's names then call through vet_xlsxout__lib, so that no tool
 * links libxlsxwriter.  Linked, it cost every start of vet-report,
 * vet-export and vet-plan, a text report too, about 2.5 ms: it pulls in
 * libcrypto (for MD5), whose 4.4k symbol and 20.8k relative relocations
 * ld.so resolves at load, about 150 fresh pages.  `make check` fails when
 * a tool names libxlsxwriter again (a call made past this header).
 *
 * vet_xlsxout__load() is called by vet_xlsxout_open(); the handle is
 * kept for the life of the process.
 */
#ifndef VET_XLSXOUT_IMPL_H
#define VET_XLSXOUT_IMPL_H

#include "vet/dl.h"
#include "vet/error.h"

#define VET_XLSXOUT__FUNCS(X) \
	X(chart_add_series) X(chart_axis_set_reverse) \
	X(chart_legend_set_position) X(chart_series_set_categories) \
	X(chart_series_set_name_range) X(chart_series_set_values) \
	X(chart_title_set_name) X(format_set_align) X(format_set_bg_color) \
	X(format_set_bold) X(format_set_border) X(format_set_font_color) \
	X(format_set_font_size) X(format_set_num_format) \
	X(format_set_text_wrap) X(format_set_top) X(lxw_strerror) \
	X(workbook_add_chart) X(workbook_add_format) \
	X(workbook_add_worksheet) X(workbook_close) X(workbook_new_opt) \
	X(workbook_set_properties) X(workbook_validate_sheet_name) \
	X(worksheet_autofilter) X(worksheet_fit_to_pages) \
	X(worksheet_freeze_panes) X(worksheet_insert_chart_opt) \
	X(worksheet_repeat_rows) X(worksheet_set_column) \
	X(worksheet_set_footer) X(worksheet_set_h_pagebreaks) \
	X(worksheet_set_header) X(worksheet_set_landscape) \
	X(worksheet_set_paper) X(worksheet_set_portrait) \
	X(worksheet_set_row) X(worksheet_write_blank) \
	X(worksheet_write_datetime) X(worksheet_write_formula_num) \
	X(worksheet_write_number) X(worksheet_write_rich_string) \
	X(worksheet_write_string)

/*
 * Load the library and its functions once.  Returns 0, or VET_ENOMEM, or
 * VET_EINTERNAL when the library or one of its functions cannot be found
 * (a broken installation), with err set.
 */
VET_DL_DECLARE(vet_xlsxout__lib, vet_xlsxout__load, VET_XLSXOUT__FUNCS);

#ifndef VET_XLSXOUT__LOADER
#define chart_add_series (vet_xlsxout__lib.chart_add_series)
#define chart_axis_set_reverse (vet_xlsxout__lib.chart_axis_set_reverse)
#define chart_legend_set_position (vet_xlsxout__lib.chart_legend_set_position)
#define chart_series_set_categories (vet_xlsxout__lib.chart_series_set_categories)
#define chart_series_set_name_range (vet_xlsxout__lib.chart_series_set_name_range)
#define chart_series_set_values (vet_xlsxout__lib.chart_series_set_values)
#define chart_title_set_name (vet_xlsxout__lib.chart_title_set_name)
#define format_set_align (vet_xlsxout__lib.format_set_align)
#define format_set_bg_color (vet_xlsxout__lib.format_set_bg_color)
#define format_set_bold (vet_xlsxout__lib.format_set_bold)
#define format_set_border (vet_xlsxout__lib.format_set_border)
#define format_set_font_color (vet_xlsxout__lib.format_set_font_color)
#define format_set_font_size (vet_xlsxout__lib.format_set_font_size)
#define format_set_num_format (vet_xlsxout__lib.format_set_num_format)
#define format_set_text_wrap (vet_xlsxout__lib.format_set_text_wrap)
#define format_set_top (vet_xlsxout__lib.format_set_top)
#define lxw_strerror (vet_xlsxout__lib.lxw_strerror)
#define workbook_add_chart (vet_xlsxout__lib.workbook_add_chart)
#define workbook_add_format (vet_xlsxout__lib.workbook_add_format)
#define workbook_add_worksheet (vet_xlsxout__lib.workbook_add_worksheet)
#define workbook_close (vet_xlsxout__lib.workbook_close)
#define workbook_new_opt (vet_xlsxout__lib.workbook_new_opt)
#define workbook_set_properties (vet_xlsxout__lib.workbook_set_properties)
#define workbook_validate_sheet_name (vet_xlsxout__lib.workbook_validate_sheet_name)
#define worksheet_autofilter (vet_xlsxout__lib.worksheet_autofilter)
#define worksheet_fit_to_pages (vet_xlsxout__lib.worksheet_fit_to_pages)
#define worksheet_freeze_panes (vet_xlsxout__lib.worksheet_freeze_panes)
#define worksheet_insert_chart_opt (vet_xlsxout__lib.worksheet_insert_chart_opt)
#define worksheet_repeat_rows (vet_xlsxout__lib.worksheet_repeat_rows)
#define worksheet_set_column (vet_xlsxout__lib.worksheet_set_column)
#define worksheet_set_footer (vet_xlsxout__lib.worksheet_set_footer)
#define worksheet_set_h_pagebreaks (vet_xlsxout__lib.worksheet_set_h_pagebreaks)
#define worksheet_set_header (vet_xlsxout__lib.worksheet_set_header)
#define worksheet_set_landscape (vet_xlsxout__lib.worksheet_set_landscape)
#define worksheet_set_paper (vet_xlsxout__lib.worksheet_set_paper)
#define worksheet_set_portrait (vet_xlsxout__lib.worksheet_set_portrait)
#define worksheet_set_row (vet_xlsxout__lib.worksheet_set_row)
#define worksheet_write_blank (vet_xlsxout__lib.worksheet_write_blank)
#define worksheet_write_datetime (vet_xlsxout__lib.worksheet_write_datetime)
#define worksheet_write_formula_num (vet_xlsxout__lib.worksheet_write_formula_num)
#define worksheet_write_number (vet_xlsxout__lib.worksheet_write_number)
#define worksheet_write_rich_string (vet_xlsxout__lib.worksheet_write_rich_string)
#define worksheet_write_string (vet_xlsxout__lib.worksheet_write_string)
#endif

#endif
