/* lesson.c - `heaplab lesson [N]`: the numbered lessons.
 *
 * A lesson is a directory NN-name holding a README.md (its first heading
 * is the lesson's title) and scripts (*.hl).  `heaplab lesson` lists the
 * lessons; `heaplab lesson N` opens lesson N's scripts in the viewer one
 * after another, with the README on the `t` key; n goes on to the next
 * one, N back to the one before.  The scripts come in the order of their
 * names, so a lesson numbers them in the order its text teaches them
 * (1-lazy.hl, 2-immediate.hl, ...).  Scripts named exercise* come last
 * and run in quiz mode; --quiz puts every script in quiz mode.
 *
 * The lessons are looked for in $HEAPLAB_LESSONS, then where `make
 * install` put them ($(pkgdatadir)/lessons), then in the source tree the
 * program was built from, then in ./lessons.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "commands.h"
#include "script.h"
#include "view.h"

#define LESSON_PATH_MAX 1024
#define LESSON_MAX_SCRIPTS 64

static bool is_dir(const char *path)
{
    struct stat st;

    return path && path[0] && stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static const char *lessons_dir(void)
{
    const char *env = getenv("HEAPLAB_LESSONS");

    if (env && env[0])
        return env;
#ifdef HEAPLAB_INSTALLED_LESSONS
    if (is_dir(HEAPLAB_INSTALLED_LESSONS))
        return HEAPLAB_INSTALLED_LESSONS;
#endif
#ifdef HEAPLAB_SOURCE_LESSONS
    if (is_dir(HEAPLAB_SOURCE_LESSONS))
        return HEAPLAB_SOURCE_LESSONS;
#endif
    return "lessons";
}

/* A lesson directory's number: "07-align" is 7; not a lesson: -1. */
static int lesson_number(const char *name)
{
    if (name[0] < '0' || name[0] > '9' || name[1] < '0' || name[1] > '9' ||
        name[2] != '-')
        return -1;
    return (name[0] - '0') * 10 + (name[1] - '0');
}

static int only_lessons(const struct dirent *e)
{
    return lesson_number(e->d_name) >= 0;
}

/* The first heading of README.md, without its '#'s. */
static void lesson_title(const char *dir, char *title, size_t size)
{
    char path[LESSON_PATH_MAX], line[512];
    FILE *f;

    snprintf(title, size, "(no README.md)");
    if (snprintf(path, sizeof path, "%s/README.md", dir) >= (int)sizeof path ||
        !(f = fopen(path, "r")))
        return;
    while (fgets(line, sizeof line, f)) {
        char *p = line;
        if (*p != '#')
            continue;
        while (*p == '#' || *p == ' ')
            p++;
        p[strcspn(p, "\r\n")] = '\0';
        snprintf(title, size, "%s", p);
        break;
    }
    fclose(f);
}

static int list_lessons(const char *root)
{
    struct dirent **entries;
    int n = scandir(root, &entries, only_lessons, alphasort), i;

    if (n < 0) {
        fprintf(stderr, "heaplab lesson: no lessons in '%s' (set "
                        "HEAPLAB_LESSONS to their directory)\n", root);
        return 2;
    }
    printf("Lessons (in %s):\n", root);
    for (i = 0; i < n; i++) {
        char dir[LESSON_PATH_MAX], title[256];
        if (snprintf(dir, sizeof dir, "%s/%s", root, entries[i]->d_name) <
            (int)sizeof dir)
            lesson_title(dir, title, sizeof title);
        else
            snprintf(title, sizeof title, "(the path is too long)");
        printf("  %2d  %s\n", lesson_number(entries[i]->d_name), title);
        free(entries[i]);
    }
    free(entries);
    puts("\nheaplab lesson N opens lesson N in the viewer (t: its text).");
    return 0;
}

/* Finds lesson `number`'s directory.  Returns 0, or -1. */
static int find_lesson(const char *root, int number, char *dir, size_t size)
{
    struct dirent **entries;
    int n = scandir(root, &entries, only_lessons, alphasort), i, rc = -1;

    for (i = 0; i < n; i++) {
        if (rc != 0 && lesson_number(entries[i]->d_name) == number &&
            snprintf(dir, size, "%s/%s", root, entries[i]->d_name) <
                (int)size)
            rc = 0;
        free(entries[i]);
    }
    if (n >= 0)
        free(entries);
    return rc;
}

static bool is_exercise(const char *name)
{
    return strncmp(name, "exercise", 8) == 0;
}

static int only_scripts(const struct dirent *e)
{
    size_t len = strlen(e->d_name);

    return len > 3 && strcmp(e->d_name + len - 3, ".hl") == 0;
}

/* Scripts sort by name, exercises after the rest. */
static int script_order(const struct dirent **a, const struct dirent **b)
{
    bool ea = is_exercise((*a)->d_name), eb = is_exercise((*b)->d_name);

    if (ea != eb)
        return ea ? 1 : -1;
    return strcmp((*a)->d_name, (*b)->d_name);
}

typedef struct lesson {
    char dir[LESSON_PATH_MAX];
    char *scripts[LESSON_MAX_SCRIPTS];
    size_t count;
} lesson;

static int lesson_scripts(lesson *l)
{
    struct dirent **entries;
    int n = scandir(l->dir, &entries, only_scripts, script_order), i;

    if (n < 0)
        return -1;
    for (i = 0; i < n; i++) {
        if (l->count < LESSON_MAX_SCRIPTS) {
            size_t len = strlen(l->dir) + strlen(entries[i]->d_name) + 2;
            if ((l->scripts[l->count] = malloc(len)))
                snprintf(l->scripts[l->count++], len, "%s/%s", l->dir,
                         entries[i]->d_name);
        }
        free(entries[i]);
    }
    free(entries);
    return 0;
}

/* Every script must parse before the screen starts. */
static int check_scripts(const lesson *l)
{
    size_t i;
    char err[512];

    for (i = 0; i < l->count; i++) {
        hl_script *s = script_load(l->scripts[i], err, sizeof err);
        if (!s) {
            fprintf(stderr, "%s\n", err);
            return -1;
        }
        script_free(s);
    }
    return 0;
}

/* A lesson without scripts (its work is in C) is shown as text. */
static int print_text(const char *dir)
{
    char path[LESSON_PATH_MAX], buf[4096];
    size_t n;
    FILE *f;

    if (snprintf(path, sizeof path, "%s/README.md", dir) >= (int)sizeof path ||
        !(f = fopen(path, "r"))) {
        fprintf(stderr, "heaplab lesson: cannot read %s/README.md\n", dir);
        return 1;
    }
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        fwrite(buf, 1, n, stdout);
    fclose(f);
    return 0;
}

/* "01-blocks/exercise-1.hl": a script's name without the lessons' root. */
static const char *short_name(const char *path)
{
    const char *p = path + strlen(path);
    int slashes = 0;

    while (p > path && !(p[-1] == '/' && ++slashes == 2))
        p--;
    return p;
}

static int open_lesson(lesson *l, bool quiz, const char *heap)
{
    char readme[LESSON_PATH_MAX], score_text[32];
    view_text text;
    quiz_score score = {0, 0};
    bool quizzed = false;
    int status = 0;
    size_t i;

    if (l->count == 0)
        return print_text(l->dir);
    if (check_scripts(l) != 0)
        return 2;
    if (snprintf(readme, sizeof readme, "%s/README.md", l->dir) >=
        (int)sizeof readme)
        readme[0] = '\0';
    view_text_load(&text, readme);
    for (i = 0; i < l->count && status == 0;) {
        view_request req;
        memset(&req, 0, sizeof req);
        req.script = l->scripts[i];
        req.title = short_name(l->scripts[i]);
        req.heap = heap;
        req.quiz = quiz || is_exercise(strrchr(l->scripts[i], '/') + 1);
        req.text = &text;
        req.has_next = i + 1 < l->count;
        req.has_previous = i > 0;
        req.score = score;
        quizzed |= req.quiz;
        status = view_run(&req);
        score = req.score;
        if (req.went_next)
            i++;
        else if (req.went_previous)
            i--;
        else
            break;
    }
    view_screen_end();
    if (quizzed) /* the lesson's score outlives the screen */
        printf("%s: quiz: %s\n", strrchr(l->dir, '/') ?
               strrchr(l->dir, '/') + 1 : l->dir,
               quiz_score_text(&score, score_text, sizeof score_text));
    view_text_free(&text);
    return status;
}

static void usage(FILE *out)
{
    fputs("usage: heaplab lesson [--quiz] [--heap 'KEY=VALUE ...'] [N]\n"
          "Without N, lists the lessons.  With N, opens lesson N's scripts\n"
          "in the viewer, one after another (n, or Right at the last step,\n"
          "goes on; N goes back); t shows the lesson's text.  Exercises\n"
          "are quizzes: predict each step before it is shown.  --quiz makes\n"
          "every script a quiz.  Lessons are looked for in $HEAPLAB_LESSONS, then where\n"
          "they were installed, then in the source tree.\n", out);
}

int cmd_lesson(int argc, char **argv)
{
    const char *root = lessons_dir(), *number = NULL, *heap = NULL;
    bool quiz = false;
    lesson l;
    char *end;
    long n;
    int i, status;

    for (i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(argv[i], "--quiz")) {
            quiz = true;
        } else if (!strcmp(argv[i], "--heap") && i + 1 < argc) {
            heap = argv[++i];
        } else if (argv[i][0] == '-' || number) {
            fprintf(stderr, "heaplab lesson: unexpected '%s'\n", argv[i]);
            usage(stderr);
            return 2;
        } else {
            number = argv[i];
        }
    }
    if (!number)
        return list_lessons(root);
    n = strtol(number, &end, 10);
    memset(&l, 0, sizeof l);
    if (*end != '\0' || end == number || n < 0 || n > 99 ||
        find_lesson(root, (int)n, l.dir, sizeof l.dir) != 0) {
        fprintf(stderr, "heaplab lesson: no lesson '%s' in %s; "
                        "`heaplab lesson` lists them\n", number, root);
        return 2;
    }
    if (lesson_scripts(&l) != 0) {
        fprintf(stderr, "heaplab lesson: cannot read %s\n", l.dir);
        return 2;
    }
    status = open_lesson(&l, quiz, heap);
    for (i = 0; i < (int)l.count; i++)
        free(l.scripts[i]);
    return status;
}
