/* memory-bugs.c - lesson 20: four bugs a C program can make with its heap,
 * one per argument, for the C library's malloc, heaplab's drop-in and
 * valgrind to find (or not):
 *
 *   memory-bugs slack        writes one byte past a 10-byte object
 *   memory-bugs header       writes 8 bytes past a 24-byte object: over
 *                            the header of the block after it
 *   memory-bugs after-free   writes into a 200-byte object after freeing
 *                            it, then allocates twice more
 *   memory-bugs leak         loses the only pointer to a 40-byte object
 *
 * Each prints what it is about to do (and flushes it, so that the line is
 * there even if the program is stopped right after), then does it.  The
 * bad writes go through a pointer to volatile bytes: a compiler may drop
 * a store it can prove no one reads (one into memory about to be freed,
 * or already freed), and with -O2 gcc does, which would hide the bug
 * from this program but not from a real one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void say(const char *what)
{
    puts(what);
    fflush(stdout);
}

int main(int argc, char **argv)
{
    const char *bug = argc > 1 ? argv[1] : "";
    char *volatile a, *volatile b, *volatile c;
    volatile char *bytes;

    if (strcmp(bug, "slack") == 0) {
        a = malloc(10);
        b = malloc(10);
        say("writing a[10], one byte past a's 10");
        bytes = a;
        bytes[10] = 'x';
        free(b);
        free(a);
    } else if (strcmp(bug, "header") == 0) {
        a = malloc(24);
        b = malloc(24);
        say("writing a[24] to a[31], the 8 bytes after a's 24");
        bytes = a;
        for (int i = 24; i < 32; i++)
            bytes[i] = 'x';
        free(b);
        free(a);
    } else if (strcmp(bug, "after-free") == 0) {
        a = malloc(200);
        b = malloc(200);
        free(a);
        say("writing 16 bytes into a, which was freed");
        bytes = a;
        for (int i = 0; i < 16; i++)
            bytes[i] = 'x';
        c = malloc(200);
        c = malloc(200);
        (void)c;
        free(b);
    } else if (strcmp(bug, "leak") == 0) {
        a = malloc(40);
        say("forgetting the only pointer to a 40-byte object");
        a = NULL;
    } else {
        fputs("usage: memory-bugs slack|header|after-free|leak\n", stderr);
        return 2;
    }
    say("the program ends normally");
    return 0;
}
