/* script_file.c - loading a script from a file: the whole file is read
 * into memory at once (a trace of a million lines is about 12 MB), checked
 * for NUL bytes, which no line may hold, and handed to the parser. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "script_parse.h"

/* The whole file, NUL-terminated, or NULL with a message in err.  A
 * regular file is read in one go; a pipe by doubling a buffer. */
static char *read_file(const char *path, size_t *len, char *err,
                       size_t errlen)
{
    FILE *f = fopen(path, "rb");
    size_t capacity = 64 * 1024;
    char *text = NULL, *bigger = NULL;
    struct stat st;

    *len = 0;
    if (!f) {
        script_set_error(err, errlen, path, strerror(errno));
        return NULL;
    }
    if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) &&
        (uintmax_t)st.st_size < SIZE_MAX - 1)
        capacity = (size_t)st.st_size + 2;
    while ((bigger = realloc(text, capacity))) {
        text = bigger;
        *len += fread(text + *len, 1, capacity - 1 - *len, f);
        if (*len < capacity - 1 || ferror(f))
            break;
        capacity *= 2;
    }
    if (!bigger || ferror(f)) {
        script_set_error(err, errlen, path,
                         bigger ? strerror(errno) : "out of memory");
        free(text);
        fclose(f);
        return NULL;
    }
    fclose(f);
    text[*len] = '\0';
    return text;
}

/* The line of the first NUL byte in text, or 0 when there is none. */
static unsigned line_of_nul(const char *text, size_t len)
{
    const char *nul = memchr(text, '\0', len), *at;
    unsigned line = 1;

    if (!nul)
        return 0;
    for (at = text; at < nul; at++)
        line += *at == '\n';
    return line;
}

hl_script *script_load(const char *path, char *err, size_t errlen)
{
    size_t len;
    char *text = read_file(path, &len, err, errlen);
    unsigned nul_line;

    if (!text)
        return NULL;
    if ((nul_line = line_of_nul(text, len)) != 0) {
        if (err && errlen)
            snprintf(err, errlen, "%s:%u: the line holds a NUL byte", path,
                     nul_line);
        free(text);
        return NULL;
    }
    return script_parse_owned(path, text, len, err, errlen);
}
