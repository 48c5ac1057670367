/*
 * xlsx.c - a libxlsxwriter workbook in a private temporary file, handed to
 * the caller when complete (xlsx.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "vet/buf.h"
#include "vet/error.h"
#include "vet/report.h"
#include "vet/xlsx.h"

int
vet_xlsx_open(struct vet_xlsx *w, int constant_memory, vet_day created,
    const char *title, struct vet_error *err)
{
	lxw_workbook_options o;
	lxw_doc_properties props;
	const char *t = getenv("TMPDIR");
	int fd, n;

	memset(w, 0, sizeof *w);
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
vet_xlsx_discard(struct vet_xlsx *w)
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

int
vet_xlsx_close(struct vet_xlsx *w, vet_sink_fn sink, void *ctx,
    struct vet_error *err)
{
	lxw_error e;
	FILE *fp;
	char b[65536];
	size_t n;
	int rc = 0;

	e = workbook_close(w->wb);
	w->wb = NULL;
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
vet_xlsx_width(const char *s, size_t n)
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
vet_xlsx_sink_buf(void *ctx, const char *p, size_t n)
{
	return vet_buf_add(ctx, p, n) < 0 ? VET_ENOMEM : 0;
}
