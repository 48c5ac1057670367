/*
 * report_fmt.c - vet_report_format() (report.h): totals and suppression
 * decided once, then the table model (report_table.h) handed to the
 * writer of the format asked for.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vet/buf.h"
#include "vet/date.h"
#include "vet/error.h"
#include "vet/json.h"
#include "vet/mask.h"
#include "vet/report.h"
#include "report_impl.h"
#include "report_table.h"

/* ---- entry -------------------------------------------------------------- */

int
vet_report_format(const struct vet_report *r, const struct vet_report_fmt *f,
    struct vet_buf *out, struct vet_error *err)
{
	struct rf_ctx x;
	size_t i, j, k;
	int64_t *c;
	int rc = 0;

	memset(&x, 0, sizeof x);
	x.r = r;
	x.f = f;
	x.en = f->lang && strcmp(f->lang, "en") == 0;
	if ((x.tot = calloc(r->k, sizeof *x.tot)) == NULL)
		return vet_error_nomem(err);
	/* Totals always count every record, suppressed groups included. */
	for (i = 0; i < r->districts.n; i++) {
		c = rtab_row(&r->districts, i);
		for (k = 0; k < r->k; k++)
			x.tot[k] += c[k];
	}
	if (rf_suppress(&x) < 0) {
		free(x.tot);
		free(x.hide_d);
		free(x.hide_g);
		return vet_error_nomem(err);
	}
	for (i = 0; i < r->districts.n; i++)
		if (!rf_shown(&x, &r->districts, i))
			x.nsup++;
	if (r->by != VET_REPORT_BY_DISTRICT) {
		x.nsup = 0;
		for (i = 0; i < r->groups.n; i++)
			if (!rf_shown(&x, &r->groups, i))
				x.nsup++;
	}
	/* Event figures of districts without veterans in the input are not
	 * part of this report (SPEC: a district present in the input). */
	for (i = 0; i < r->dside.n; i++)
		if (rtab_find(&r->districts, r->dside.names.data +
		    r->dside.noff[i], r->dside.nlen[i]) >= 0)
			for (j = 0; j < RD_N; j++)
				x.dtot[j] += rtab_row(&r->dside, i)[j];

	if (f->format == VET_REPORT_JSON)
		rf_write_json(&x, out);
	else {
		rf_layout(&x);
		if (!x.oom) {
			if (f->format == VET_REPORT_TEXT)
				rf_write_text(&x, out);
			else if (f->format == VET_REPORT_MD)
				rf_write_md(&x, out);
			else if (f->format == VET_REPORT_CSV)
				rf_write_csv(&x, out);
			else if (f->format == VET_REPORT_XLSX)
				rc = rf_write_xlsx(&x, out, err);
			else
				rf_write_html(&x, out);
		}
	}
	free(x.cells);
	free(x.tabs);
	free(x.tot);
	free(x.hide_d);
	free(x.hide_g);
	vet_buf_release(&x.text);
	vet_buf_release(&x.scratch);
	vet_buf_release(&x.masked);
	if (x.oom)
		return vet_error_nomem(err);
	return rc;
}
