/* script_fixture.c - see script_fixture.h. */
#include "script_fixture.h"

char parse_err[512];

hl_script *parse_ok(const char *text)
{
    hl_script *s = script_parse_string("t.hl", text, parse_err,
                                       sizeof parse_err);

    ck_assert_msg(s != NULL, "unexpected error: %s", parse_err);
    return s;
}

replay *replay_start(const char *text, hl_script **script)
{
    char err[256];
    replay *r;

    *script = parse_ok(text);
    r = replay_new(*script, err, sizeof err);
    ck_assert_msg(r != NULL, "%s", err);
    return r;
}

void replay_finish(replay *r, hl_script *script)
{
    replay_free(r);
    script_free(script);
}

char *replay_dump(replay *r)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);

    ck_assert_ptr_nonnull(f);
    hl_heap_dump(replay_heap(r), f);
    fclose(f);
    return text;
}
