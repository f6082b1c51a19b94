/* double-free.c - lesson 10's exercise: a program with a bug that the C
 * library may or may not notice, and that heaplab's drop-in malloc always
 * reports.  Run it on heaplab:
 *
 *   LD_PRELOAD=path/to/libheaplab-malloc.so ./double-free
 *
 * and read the line heaplab prints before it stops the program.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void)
{
    char *name = malloc(32);
    char *volatile copy;    /* volatile: the compiler would see the bug */

    if (!name)
        return 1;
    strcpy(name, "heaplab");
    copy = name;            /* not a copy at all: the same object */
    printf("%s\n", copy);
    free(name);
    free(copy);             /* the bug: the second free of one object */
    puts("still running after a double free");
    return 0;
}
