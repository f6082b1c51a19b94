/* script_fixture.h - what the suites of the script parser and the replay
 * engine share: parsing a text that must be good, or one that must be
 * refused with a given message; starting a replay, and dumping its heap. */
#ifndef HL_TEST_SCRIPT_FIXTURE_H
#define HL_TEST_SCRIPT_FIXTURE_H

#include "fixture.h"
#include "replay.h"
#include "script.h"

/* The last parse error. */
extern char parse_err[512];

/* Parses text (named "t.hl") that must be good. */
hl_script *parse_ok(const char *text);

/* Parses text that must be refused with exactly `message`. */
#define ck_assert_parse_error(text, message)                                   \
    do {                                                                       \
        hl_script *s_ = script_parse_string("t.hl", (text), parse_err,         \
                                            sizeof parse_err);                 \
        ck_assert_ptr_null(s_);                                                \
        ck_assert_str_eq(parse_err, (message));                                \
    } while (0)

/* A replay of text, which must parse; *script gets the script. */
replay *replay_start(const char *text, hl_script **script);
/* Frees both. */
void replay_finish(replay *r, hl_script *script);
/* The dump of the replay's heap, in memory the caller frees. */
char *replay_dump(replay *r);

#endif
