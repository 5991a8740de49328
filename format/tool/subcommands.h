/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Entry points of kcap's subcommands; each returns the exit status. */
#ifndef KCAP_SUBCOMMANDS_H
#define KCAP_SUBCOMMANDS_H

int kcap_info_main(int argc, char **argv);

#endif
