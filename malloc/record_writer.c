/* record_writer.c - the script a recording writes, buffered.
 *
 *   # heaplab record of: python3 -c x=[str(i) for i in range(10000)]
 *   # pid 4242; replay it with: heaplab run FILE
 *   heap preset=default grower=static capacity=67108864             # set at exit
 *   a 0 32
 *   r 0 64
 *   f 0
 *
 * Lines collect in a static 1 MiB buffer and go out with write(2) when it
 * fills and at the end: no stdio, no malloc.  The capacity is not known
 * until the program ends (it is a few times the peak of live memory), so
 * the header line leaves a fixed-width field, padded with spaces, that
 * writer_finish() fills in with pwrite(2).  Until then it says 1 GiB, so
 * a recording cut short by a crash still replays.  A comment ends the
 * line, so that the padding is not left trailing at its end.  No line of
 * a recording ends in a blank.
 *
 * A program that crashes never gets to writer_finish(), and a buffer of
 * lines dies with it: so a signal that would end the process (SIGSEGV,
 * SIGABRT, SIGTERM ...) first writes every complete line collected so far,
 * then ends the process as it would have (see flush_on_fatal_signal).
 *
 * The file is HEAPLAB_RECORD_FILE for the process `heaplab record`
 * started (HEAPLAB_RECORD_PID), and FILE.PID for any other process that
 * inherits the preload: a fork child, or a program the recorded one runs.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "record.h"

#define BUFFER_SIZE ((size_t)1 << 20)
#define CAPACITY_WIDTH 20
#define CAPACITY_UNTIL_KNOWN ((size_t)1 << 30)

static char buffer[BUFFER_SIZE];
static size_t filled;
static int fd = -1;
static off_t written;      /* bytes already in the file */
static off_t capacity_at;  /* where the capacity field starts in the file */

static void flush(void)
{
    size_t done = 0;
    ssize_t n;

    while (fd >= 0 && done < filled) {
        n = write(fd, buffer + done, filled - done);
        if (n <= 0)
            break;
        done += (size_t)n;
    }
    written += (off_t)filled;
    filled = 0;
}

/* ---------------------------------------------------------------------------
 * A crash: what is written survives it
 * ------------------------------------------------------------------------- */

/* The signals whose default action ends the process. */
static const int fatal_signals[] = {SIGSEGV, SIGBUS, SIGABRT, SIGFPE,
                                    SIGILL,  SIGTERM, SIGINT, SIGHUP,
                                    SIGQUIT};

/* Writes the buffer's complete lines (a line being written when the
 * signal came stays out), with write(2) only: async-signal-safe. */
static void flush_complete_lines(void)
{
    size_t end = filled, done = 0;
    ssize_t n;

    while (end > 0 && buffer[end - 1] != '\n')
        end--;
    while (fd >= 0 && done < end) {
        n = write(fd, buffer + done, end - done);
        if (n <= 0)
            break;
        done += (size_t)n;
    }
}

/* Installed with SA_RESETHAND: the signal's default action is back by the
 * time this runs, so raising it again (it stays pending until the handler
 * returns) ends the process as the signal would have, core and all. */
static void flush_on_fatal_signal(int sig)
{
    int saved = errno;

    flush_complete_lines();
    fd = -1;
    raise(sig);
    errno = saved;
}

/* Takes the fatal signals that the program has left at their default; one
 * it ignores or handles itself stays as it is. */
static void flush_on_crash(void)
{
    struct sigaction sa, old;
    size_t i;

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = flush_on_fatal_signal;
    sa.sa_flags = SA_RESETHAND;
    sigemptyset(&sa.sa_mask);
    for (i = 0; i < sizeof fatal_signals / sizeof fatal_signals[0]; i++)
        if (sigaction(fatal_signals[i], NULL, &old) == 0 &&
            old.sa_handler == SIG_DFL && !(old.sa_flags & SA_SIGINFO))
            sigaction(fatal_signals[i], &sa, NULL);
}

/* ---------------------------------------------------------------------------
 * Lines
 * ------------------------------------------------------------------------- */

static void put(const char *text, size_t n)
{
    if (filled + n > BUFFER_SIZE)
        flush();
    if (n > BUFFER_SIZE)
        n = BUFFER_SIZE;
    memcpy(buffer + filled, text, n);
    filled += n;
}

void writer_text(const char *text)
{
    put(text, strlen(text));
}

/* n in decimal, into `digits` (at least 21 bytes); returns its length. */
static size_t format_number(size_t n, char *digits)
{
    char reversed[24];
    size_t len = 0, i;

    do
        reversed[len++] = (char)('0' + n % 10);
    while ((n /= 10) > 0);
    for (i = 0; i < len; i++)
        digits[i] = reversed[len - 1 - i];
    return len;
}

void writer_number(size_t n)
{
    char digits[24];

    put(" ", 1);
    put(digits, format_number(n, digits));
}

void writer_begin_line(char kind)
{
    put(&kind, 1);
}

void writer_end_line(void)
{
    put("\n", 1);
}

/* The command line of this process, from /proc, made one printable line. */
static void write_command_line(void)
{
    char text[1024];
    int in = open("/proc/self/cmdline", O_RDONLY | O_CLOEXEC);
    ssize_t n = in >= 0 ? read(in, text, sizeof text - 1) : -1, i;

    if (in >= 0)
        close(in);
    if (n <= 0) {
        writer_text("(unknown)");
        return;
    }
    for (i = 0; i < n; i++)
        if (text[i] == '\0' || text[i] == '\n' || text[i] == '\r')
            text[i] = ' ';
    /* The NUL after the last argument is no blank to end the line with. */
    while (n > 0 && (text[n - 1] == ' ' || text[n - 1] == '\t'))
        n--;
    text[n] = '\0';
    writer_text(n > 0 ? text : "(unknown)");
}

/* The capacity, left-aligned in its fixed-width field. */
static void format_capacity(size_t capacity, char field[CAPACITY_WIDTH])
{
    size_t len = format_number(capacity, field);
    memset(field + len, ' ', CAPACITY_WIDTH - len);
}

static void write_header(void)
{
    char field[CAPACITY_WIDTH];

    writer_text("# heaplab record of: ");
    write_command_line();
    writer_text("\n# pid");
    writer_number((size_t)getpid());
    writer_text("; replay it with: heaplab run FILE\n");
    writer_text("heap preset=default grower=static capacity=");
    capacity_at = written + (off_t)filled;
    format_capacity(CAPACITY_UNTIL_KNOWN, field);
    put(field, CAPACITY_WIDTH);
    writer_text(" # set at exit");
    writer_end_line();
}

/* Opens `base`, or base.PID when this is not the process that `heaplab
 * record` started. */
static bool open_file(const char *base)
{
    const char *first = getenv("HEAPLAB_RECORD_PID");
    char path[4096], digits[24];
    size_t len = strlen(base), n;

    if (len + 25 > sizeof path)
        return false;
    memcpy(path, base, len + 1);
    if (!first || strtol(first, NULL, 10) != (long)getpid()) {
        n = format_number((size_t)getpid(), digits);
        path[len] = '.';
        memcpy(path + len + 1, digits, n);
        path[len + 1 + n] = '\0';
    }
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    written = 0;
    filled = 0;
    return fd >= 0;
}

bool writer_start(void)
{
    const char *base = getenv("HEAPLAB_RECORD_FILE");

    if (!base || !*base || !open_file(base))
        return false;
    write_header();
    flush_on_crash();
    return true;
}

void writer_finish(size_t capacity)
{
    char field[CAPACITY_WIDTH];

    if (fd < 0)
        return;
    flush();
    format_capacity(capacity, field);
    if (pwrite(fd, field, CAPACITY_WIDTH, capacity_at) != CAPACITY_WIDTH)
        capacity_at = 0; /* the 1 GiB placeholder stays */
    close(fd);
    fd = -1;
}

/* In a fork child: the parent's pending lines are the parent's to write;
 * the child writes a file of its own (FILE.PID) from a fresh header. */
bool writer_start_in_child(void)
{
    filled = 0;
    if (fd >= 0)
        close(fd);
    fd = -1;
    return writer_start();
}
