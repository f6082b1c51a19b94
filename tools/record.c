/* record.c - `heaplab record`: run a program and write down every call it
 * makes to the malloc family, as a heaplab script.
 *
 *   heaplab record -o FILE [--on-heaplab] -- COMMAND [ARGS...]
 *
 * This command does no recording itself.  It puts the recorder shim,
 * libheaplab-record.so, in LD_PRELOAD, tells it where to write
 * (HEAPLAB_RECORD_FILE) and which process is the one recorded
 * (HEAPLAB_RECORD_PID: this one, since exec keeps the pid), and execs the
 * command.  The shim forwards every call to the next malloc in line: the
 * C library's, or with --on-heaplab heaplab's own libheaplab-malloc.so,
 * preloaded right after it.  Processes the command starts record to
 * FILE.PID.
 *
 * The libraries are looked for where `make install` puts them, unless
 * HEAPLAB_RECORD_SO / HEAPLAB_MALLOC_SO name them (as the tests do, to use
 * the build tree).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"

#ifndef HEAPLAB_PKGLIBDIR
#define HEAPLAB_PKGLIBDIR "/usr/local/lib/heaplab"
#endif
#ifndef HEAPLAB_LIBDIR
#define HEAPLAB_LIBDIR "/usr/local/lib"
#endif
/* Where the libraries are built, for a heaplab run from its build tree. */
#ifndef HEAPLAB_BUILD_LIBDIR
#define HEAPLAB_BUILD_LIBDIR "."
#endif

static const char usage[] =
    "usage: heaplab record -o FILE [--on-heaplab] -- COMMAND [ARGS...]\n"
    "Runs COMMAND and writes every malloc, free, calloc, realloc and aligned\n"
    "allocation of every thread to FILE as a heaplab script (processes it\n"
    "starts write FILE.PID).  --on-heaplab runs COMMAND on heaplab's malloc\n"
    "while recording.  Replay the result with: heaplab run FILE\n";

/* The library named by `variable`, else `dir`/`name` (where `make install`
 * puts it), else the build tree's; NULL when missing. */
static const char *find_library(const char *variable, const char *dir,
                                const char *name, char *buf, size_t size)
{
    const char *set = getenv(variable);

    if (set && *set) {
        snprintf(buf, size, "%s", set);
    } else {
        snprintf(buf, size, "%s/%s", dir, name);
        if (access(buf, R_OK) != 0)
            snprintf(buf, size, "%s/%s", HEAPLAB_BUILD_LIBDIR, name);
    }
    if (access(buf, R_OK) != 0) {
        fprintf(stderr, "heaplab record: cannot find %s (set %s)\n", buf,
                variable);
        return NULL;
    }
    return buf;
}

/* FILE made absolute, so that a command that changes directory still
 * writes where the user asked. */
static int absolute_path(const char *file, char *buf, size_t size)
{
    char cwd[4096];

    if (file[0] == '/')
        return snprintf(buf, size, "%s", file) < (int)size ? 0 : -1;
    if (!getcwd(cwd, sizeof cwd))
        return -1;
    return snprintf(buf, size, "%s/%s", cwd, file) < (int)size ? 0 : -1;
}

/* The shim cannot say that it failed to open FILE (the command's output
 * is not ours to write on), so the file is created here first. */
static int can_create(const char *file)
{
    int fd = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

    if (fd < 0) {
        fprintf(stderr, "heaplab record: cannot write %s: %s\n", file,
                strerror(errno));
        return 0;
    }
    close(fd);
    return 1;
}

/* LD_PRELOAD: the shim first, then heaplab's malloc if asked, then
 * whatever was preloaded already. */
static int set_preload(const char *shim, const char *heaplab_malloc)
{
    const char *old = getenv("LD_PRELOAD");
    char value[8192];
    int n = snprintf(value, sizeof value, "%s%s%s%s%s", shim,
                     heaplab_malloc ? " " : "",
                     heaplab_malloc ? heaplab_malloc : "",
                     old && *old ? " " : "", old && *old ? old : "");

    if (n < 0 || n >= (int)sizeof value)
        return -1;
    return setenv("LD_PRELOAD", value, 1);
}

int cmd_record(int argc, char **argv)
{
    const char *output = NULL, *heaplab_malloc = NULL;
    char shim_path[4096], malloc_path[4096], file[4096], pid[32];
    int i, on_heaplab = 0;

    for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
        if (!strcmp(argv[i], "-o") && i + 1 < argc)
            output = argv[++i];
        else if (!strcmp(argv[i], "--on-heaplab"))
            on_heaplab = 1;
        else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            fputs(usage, stdout);
            return 0;
        } else
            break;
    }
    if (!output || i >= argc || strcmp(argv[i], "--") != 0 || i + 1 >= argc) {
        fputs(usage, stderr);
        return 2;
    }
    if (!find_library("HEAPLAB_RECORD_SO", HEAPLAB_PKGLIBDIR,
                      "libheaplab-record.so", shim_path, sizeof shim_path))
        return 1;
    if (on_heaplab &&
        !(heaplab_malloc = find_library("HEAPLAB_MALLOC_SO", HEAPLAB_LIBDIR,
                                        "libheaplab-malloc.so", malloc_path,
                                        sizeof malloc_path)))
        return 1;
    snprintf(pid, sizeof pid, "%ld", (long)getpid());
    if (!can_create(output))
        return 1;
    if (absolute_path(output, file, sizeof file) != 0 ||
        set_preload(shim_path, heaplab_malloc) != 0 ||
        setenv("HEAPLAB_RECORD_FILE", file, 1) != 0 ||
        setenv("HEAPLAB_RECORD_PID", pid, 1) != 0) {
        fputs("heaplab record: path or environment too long\n", stderr);
        return 1;
    }
    execvp(argv[i + 1], argv + i + 1);
    fprintf(stderr, "heaplab record: cannot run %s\n", argv[i + 1]);
    return 127;
}
