/* heaplab.c - the `heaplab` command: one table of subcommands.
 *
 *   heaplab run SCRIPT...      replay allocation scripts without a screen
 *   heaplab view SCRIPT        step through a script in the terminal
 *   heaplab record -o FILE -- COMMAND...
 *   heaplab lesson [N]
 *   heaplab score [--heap CFG]... SCRIPT|TRACE...
 *   heaplab draw [--step N | --steps A-B | --timeline] -o FILE.svg SCRIPT
 * Each subcommand lives in its own file and has the signature of main().
 */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "heaplab.h"

static const struct command {
    const char *name;
    int (*main)(int argc, char **argv);
    const char *summary;
} commands[] = {
    {"demo", cmd_demo, "replay a short built-in demo and print heap dumps"},
    {"run", cmd_run, "replay allocation scripts and check their expects"},
    {"view", cmd_view, "step through a script in the terminal"},
    {"lesson", cmd_lesson, "list the lessons, or open lesson N in the viewer"},
    {"record", cmd_record, "run a program, write its malloc calls as a script"},
    {"score", cmd_score, "score heap configurations on scripts and traces"},
    {"draw", cmd_draw, "draw a script's heap, or its timeline, as SVG"},
};

#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void usage(FILE *out)
{
    size_t i;

    fputs("usage: heaplab COMMAND [ARGS...]\n\ncommands:\n", out);
    for (i = 0; i < NCOMMANDS; i++)
        fprintf(out, "  %-8s %s\n", commands[i].name, commands[i].summary);
    fputs("\n'heaplab COMMAND --help' describes each; see heaplab(1).\n", out);
}

int main(int argc, char **argv)
{
    size_t i;

    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
        !strcmp(argv[1], "help")) {
        usage(stdout);
        return 0;
    }
    if (!strcmp(argv[1], "--version")) {
        printf("heaplab %s\n", HL_VERSION);
        return 0;
    }
    for (i = 0; i < NCOMMANDS; i++)
        if (!strcmp(argv[1], commands[i].name))
            return commands[i].main(argc - 1, argv + 1);
    fprintf(stderr, "heaplab: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return 2;
}
