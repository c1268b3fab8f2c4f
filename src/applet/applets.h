/*
 * applets.h - the programs inside the tokenbox binary.
 *
 * Each applet is a main()-like function.  src/main.c picks one by the
 * basename of argv[0] (a link named condor_token_request_approve) or by
 * "tokenbox APPLET ARGS...".
 */
#ifndef TOKENBOX_APPLETS_H
#define TOKENBOX_APPLETS_H

int applet_approve(int argc, char **argv);
int applet_request(int argc, char **argv);
int applet_list(int argc, char **argv);
int applet_fetch(int argc, char **argv);
int applet_auto_approve(int argc, char **argv);
int applet_create(int argc, char **argv);
int applet_token_list(int argc, char **argv);
int applet_ping(int argc, char **argv);
int applet_config(int argc, char **argv);

#endif
