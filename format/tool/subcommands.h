/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Entry points of kcap's subcommands; each returns the exit status. */
#ifndef KCAP_SUBCOMMANDS_H
#define KCAP_SUBCOMMANDS_H

int kcap_info_main(int argc, char **argv);
/* Each module below links into kcap only when it is built. */
int kcap_record_main(int argc, char **argv); /* capture/ */
int kcap_read_main(int argc, char **argv); /* replay/ */
int kcap_cut_main(int argc, char **argv); /* replay/ */
int kcap_convert_main(int argc, char **argv); /* convert/ */

#endif
