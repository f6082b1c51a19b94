/* svg.h - writing SVG by hand: a document, shapes and escaped text.
 *
 * SVG is XML, so it needs no library, only care: every piece of text that
 * comes from outside (a script's file name, its lines, its IDs) goes
 * through svg_escape, which writes &, <, > and " as entities, so no script
 * can end an attribute or open an element.  Numbers are whole pixels,
 * written with %d: the same picture gives the same bytes on every run, so
 * two pictures can be compared with cmp.
 *
 * Every shape takes a class; the document's style sheet gives each class
 * its colour, and tests count shapes by class.
 */
#ifndef HL_SVG_H
#define HL_SVG_H

#include <stdio.h>

/* Writes text with &, <, > and " replaced by entities.  Bytes below 0x20
 * (other than tab) become '?': XML 1.0 does not allow them at all. */
void svg_escape(FILE *out, const char *text);

/* The document's first lines, up to and including the style sheet, and
 * its <title> (escaped).  `style` is written as it is: it is ours. */
void svg_begin(FILE *out, int width, int height, const char *title,
               const char *style);
void svg_end(FILE *out);

/* <g class="CLASS"> ... </g>, with an optional data-NAME="VALUE" pair
 * (NULL name: none; the value is escaped). */
void svg_group_begin(FILE *out, const char *cls, const char *data_name,
                     const char *data_value);
void svg_group_end(FILE *out);

void svg_rect(FILE *out, const char *cls, int x, int y, int w, int h);
void svg_line(FILE *out, const char *cls, int x1, int y1, int x2, int y2);
/* Text at (x, y), its baseline; anchor is "start", "middle" or "end". */
void svg_text(FILE *out, const char *cls, int x, int y, const char *anchor,
              const char *text);
/* An arrow from (x1, y1) to (x2, y2), arched `rise` pixels above them
 * (a cubic curve), ending in the marker named "arrowhead".  `from` and
 * `to` name its ends, as data-from and data-to (escaped). */
void svg_arch(FILE *out, const char *cls, const char *from, const char *to,
              int x1, int y1, int x2, int y2, int rise);
/* A polyline through n points, xs[i], ys[i]. */
void svg_polyline(FILE *out, const char *cls, const int *xs, const int *ys,
                  size_t n);

#endif /* HL_SVG_H */
