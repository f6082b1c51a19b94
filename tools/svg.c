/* svg.c - the few pieces of SVG that heaplab's pictures are made of.
 *
 * Each function writes one element on one line, attributes always in the
 * same order, so the output is as stable as the input (see svg.h).
 */
#include "svg.h"

void svg_escape(FILE *out, const char *text)
{
    const unsigned char *p;

    for (p = (const unsigned char *)text; *p; p++) {
        switch (*p) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '"': fputs("&quot;", out); break;
        default:
            fputc(*p < 0x20 && *p != '\t' ? '?' : *p, out);
            break;
        }
    }
}

void svg_begin(FILE *out, int width, int height, const char *title,
               const char *style)
{
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", out);
    fprintf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
            "height=\"%d\" viewBox=\"0 0 %d %d\">\n", width, height, width,
            height);
    fputs("<title>", out);
    svg_escape(out, title);
    fputs("</title>\n", out);
    fprintf(out, "<style>\n%s</style>\n", style);
    /* The head of every arrow (svg_arch). */
    fputs("<defs><marker id=\"arrowhead\" viewBox=\"0 0 10 10\" refX=\"9\" "
          "refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" "
          "orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" "
          "class=\"arrowhead\"/></marker></defs>\n", out);
    fprintf(out, "<rect class=\"page\" x=\"0\" y=\"0\" width=\"%d\" "
            "height=\"%d\"/>\n", width, height);
}

void svg_end(FILE *out)
{
    fputs("</svg>\n", out);
}

void svg_group_begin(FILE *out, const char *cls, const char *data_name,
                     const char *data_value)
{
    fprintf(out, "<g class=\"%s\"", cls);
    if (data_name) {
        fprintf(out, " data-%s=\"", data_name);
        svg_escape(out, data_value);
        fputc('"', out);
    }
    fputs(">\n", out);
}

void svg_group_end(FILE *out)
{
    fputs("</g>\n", out);
}

void svg_rect(FILE *out, const char *cls, int x, int y, int w, int h)
{
    fprintf(out, "<rect class=\"%s\" x=\"%d\" y=\"%d\" width=\"%d\" "
            "height=\"%d\"/>\n", cls, x, y, w, h);
}

void svg_line(FILE *out, const char *cls, int x1, int y1, int x2, int y2)
{
    fprintf(out, "<line class=\"%s\" x1=\"%d\" y1=\"%d\" x2=\"%d\" "
            "y2=\"%d\"/>\n", cls, x1, y1, x2, y2);
}

void svg_text(FILE *out, const char *cls, int x, int y, const char *anchor,
              const char *text)
{
    fprintf(out, "<text class=\"%s\" x=\"%d\" y=\"%d\" "
            "text-anchor=\"%s\">", cls, x, y, anchor);
    svg_escape(out, text);
    fputs("</text>\n", out);
}

void svg_arch(FILE *out, const char *cls, const char *from, const char *to,
              int x1, int y1, int x2, int y2, int rise)
{
    fprintf(out, "<path class=\"%s\" data-from=\"", cls);
    svg_escape(out, from);
    fputs("\" data-to=\"", out);
    svg_escape(out, to);
    fprintf(out, "\" d=\"M%d,%d C%d,%d %d,%d %d,%d\" "
            "marker-end=\"url(#arrowhead)\"/>\n", x1, y1, x1, y1 - rise,
            x2, y2 - rise, x2, y2);
}

void svg_polyline(FILE *out, const char *cls, const int *xs, const int *ys,
                  size_t n)
{
    size_t i;

    fprintf(out, "<polyline class=\"%s\" points=\"", cls);
    for (i = 0; i < n; i++)
        fprintf(out, "%s%d,%d", i ? " " : "", xs[i], ys[i]);
    fputs("\"/>\n", out);
}
