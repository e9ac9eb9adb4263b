/*
 * pager: long output through a pager on a terminal, as git's pager.c.
 *
 * The pager is $PWB_PAGER, else config core.pager, else $PAGER, else
 * "less" (when it is installed); "" or "cat" is none.  It runs only when stdout is a terminal,
 * through /bin/sh -c (the user's own setting, never text from a mail),
 * with LESS=FRX and LV=-c unless they are set (so that less quits at
 * once when the output fits a screen, and keeps colours).  stdout (and
 * stderr when it is the same terminal) go to it; pwb waits for it to
 * end before it exits.  --no-pager / -P turns it off.
 */
#ifndef PWB_CLI_PAGER_H
#define PWB_CLI_PAGER_H

struct pwb_ctx;

/* The pager command for ctx (newly allocated), or NULL for none. */
char *pager_command(struct pwb_ctx *ctx);
/* Start the pager when stdout is a terminal; 0, or -1 said (then pwb
 * writes to the terminal itself).  Registers pager_wait with atexit. */
int pager_start(struct pwb_ctx *ctx);
/* Whether stdout goes to a pager (colours: as to a terminal). */
int pager_in_use(void);
/* Close pwb's end of the pipe and wait for the pager (idempotent). */
void pager_wait(void);

#endif
