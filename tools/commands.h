/* commands.h - the subcommands of `heaplab`, each with main()'s signature. */
#ifndef HL_COMMANDS_H
#define HL_COMMANDS_H

int cmd_demo(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_view(int argc, char **argv);
int cmd_lesson(int argc, char **argv);
int cmd_record(int argc, char **argv);
int cmd_score(int argc, char **argv);
int cmd_draw(int argc, char **argv);

#endif
