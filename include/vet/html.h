/*
 * html.h - what the html writers share (vet-report's report, vet-plan's
 * worklist): escaping of text and the page chrome of one self-contained
 * file - no scripts, no fonts, images or styles from the network.
 *
 * Ownership: everything appends to the caller's struct vet_buf and keeps
 * nothing.  Each function returns 0 or VET_ENOMEM (the buffer may then hold
 * part of what was appended).
 */
#ifndef VET_HTML_H
#define VET_HTML_H

#include <stddef.h>

#include "vet/buf.h"

/* Appends [s, s + n) with & < > " ' as character references, so the text
 * can go in an element or a quoted attribute. */
int vet_html_escape(struct vet_buf *o, const char *s, size_t n);

/*
 * Appends the page up to and including <body>: the doctype, <html lang>,
 * the UTF-8 charset, the viewport, <title> (title escaped) and style, the
 * page's whole stylesheet, written as it is.
 */
int vet_html_begin(struct vet_buf *o, const char *lang, const char *title,
    size_t title_n, const char *style);

/* Appends the end of the page. */
int vet_html_end(struct vet_buf *o);

/*
 * Appends text from the data for any human-readable page: control
 * characters (C0, DEL, C1) become U+FFFD, so a name cannot break a line of
 * a text page, move a terminal's cursor or put into html a character it
 * forbids; and when mask is set, ids and phones that leaked into the text
 * are masked (vet_mask_text()), in scratch, which the caller keeps to reuse.
 */
int vet_text_clean(struct vet_buf *o, const char *s, size_t n, int mask,
    struct vet_buf *scratch);

#endif
