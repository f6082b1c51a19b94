/* fixture.c - the shared test fixture (see fixture.h). */
#include <stdarg.h>

#include "fixture.h"

#ifdef HL_VALGRIND
#include <valgrind/memcheck.h>
#endif
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#include <sanitizer/asan_interface.h>
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#endif

_Alignas(4096) char fixture_buffer[FIXTURE_CAPACITY];
hl_static_grower fixture_grower;
hl_heap_space fixture_space;
hl_heap *heap;

static hl_heap *build(hl_preset preset, size_t capacity, size_t increment,
                      va_list knobs)
{
    hl_config cfg;
    const char *knob;

    hl_config_preset(&cfg, preset);
    while ((knob = va_arg(knobs, const char *))) {
        char key[32];
        const char *eq = strchr(knob, '=');
        ck_assert_ptr_nonnull(eq);
        ck_assert_uint_lt((size_t)(eq - knob), sizeof key);
        memcpy(key, knob, (size_t)(eq - knob));
        key[eq - knob] = '\0';
        ck_assert_int_eq(hl_config_set(&cfg, key, eq + 1), 0);
    }
    ck_assert_int_eq(hl_static_grower_init(&fixture_grower, fixture_buffer,
                                           capacity, increment), 0);
    heap = hl_heap_init(&fixture_space, &cfg, &fixture_grower.base);
    ck_assert_ptr_nonnull(heap);
    return heap;
}

hl_heap *fixture_heap(hl_preset preset, ...)
{
    va_list knobs;
    hl_heap *h;

    va_start(knobs, preset);
    h = build(preset, FIXTURE_CAPACITY, 4096, knobs);
    va_end(knobs);
    return h;
}

hl_heap *fixture_heap_sized(hl_preset preset, size_t capacity,
                            size_t increment, ...)
{
    va_list knobs;
    hl_heap *h;

    va_start(knobs, increment);
    h = build(preset, capacity, increment, knobs);
    va_end(knobs);
    return h;
}

const char *fixture_dump(void)
{
    static char text[64 * 1024];
    FILE *f = fmemopen(text, sizeof text, "w");

    ck_assert_ptr_nonnull(f);
    hl_heap_dump(heap, f);
    fclose(f);
    return text;
}

const char *fixture_blocks(void)
{
    static char lines[64 * 1024];
    const char *dump = fixture_dump(), *line = dump;
    size_t n = 0;

    while (*line) {
        const char *eol = strchr(line, '\n');
        size_t len = eol ? (size_t)(eol - line) + 1 : strlen(line);
        if (!strncmp(line, "block ", 6) || !strncmp(line, "freelist", 8)) {
            ck_assert_uint_lt(n + len, sizeof lines);
            memcpy(lines + n, line, len);
            n += len;
        }
        line += len;
    }
    lines[n] = '\0';
    return lines;
}

size_t block_offset(const void *ptr)
{
    return (size_t)((const char *)ptr - (const char *)hl_heap_base(heap)) - 8;
}

int fixture_run(Suite *suite)
{
    SRunner *runner = srunner_create(suite);
    int failed;

    srunner_run_all(runner, CK_ENV);
    /* Without fork (CK_FORK=no, as under valgrind), the last heaps are
     * still here: destroyed, their objects are not leaks to memcheck.
     * (Destroying a space no heap was made in does nothing.) */
    if (heap && heap != (hl_heap *)(void *)&fixture_space)
        hl_heap_destroy(heap);
    hl_heap_destroy((hl_heap *)(void *)&fixture_space);
    failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

void *fixture_expose(void *p, size_t n)
{
#ifdef ASAN_UNPOISON_MEMORY_REGION
    ASAN_UNPOISON_MEMORY_REGION(p, n);
#endif
#ifdef HL_VALGRIND
    VALGRIND_MAKE_MEM_DEFINED(p, n);
#endif
    return p;
}
