/* view_model_spark.c - utilization over time, as two sparklines: the
 * heap's size and its live requested bytes at each step up to the current
 * one, on one scale, so that the gap between the two lines is the memory
 * the heap holds that nobody asked for.
 */
#include <string.h>

#include "view_model.h"

char vm_spark_glyph(size_t value, size_t max)
{
    static const char glyphs[] = VM_SPARK_GLYPHS;
    size_t top = sizeof glyphs - 2;     /* the last glyph's index */

    if (value == 0 || max == 0)
        return glyphs[0];
    if (value >= max)
        return glyphs[top];
    /* 1 .. top: the smallest value still shows, only max is the top. */
    return glyphs[1 + (value * (top - 1)) / max];
}

size_t vm_sparklines(char *heap_line, char *live_line, size_t width,
                     const vm_usage *samples, size_t count)
{
    size_t max = 0, columns, c, i;

    if (width > VM_SPARK_MAX)
        width = VM_SPARK_MAX;
    for (i = 0; i < count; i++)
        if (samples[i].heap_size > max)
            max = samples[i].heap_size;
    columns = count < width ? count : width;
    for (c = 0; c < columns; c++) {
        /* Column c covers samples [from, to): the highest of each. */
        size_t from = c * count / columns, to = (c + 1) * count / columns;
        size_t heap = 0, live = 0;
        for (i = from; i < to; i++) {
            if (samples[i].heap_size > heap)
                heap = samples[i].heap_size;
            if (samples[i].live > live)
                live = samples[i].live;
        }
        heap_line[c] = vm_spark_glyph(heap, max);
        live_line[c] = vm_spark_glyph(live, max);
    }
    heap_line[columns] = live_line[columns] = '\0';
    return columns;
}
