/* kioskctl: the organiser's tool — conference data in, check-in log out (docs/CONTRACT.md
 * "build/kioskctl").
 *
 * To understand the rest, start here: main() looks the subcommand up in the table below and
 * hands it argc/argv from the subcommand on. Each subcommand lives in its own file
 * (cmd_import.c, demo.c, cmd_export.c, report.c, badge_write.c) and returns the exit code:
 * 0 success, 1 bad input (one "FILE:LINE: problem" line per problem on stderr), 2 usage. */
#include <stdio.h>
#include <string.h>

#include "import_rooms.h"
#include "kioskctl.h"
#include "common/clock.h"

struct command {
	const char *name;
	int (*run)(int argc, char **argv); /* argv[0] is the subcommand name */
};

static const struct command commands[] = {
	{ "init", cmd_init },
	{ "import-roster", cmd_import_roster },
	{ "import-schedule", cmd_import_schedule },
	{ "import-rooms", cmd_import_rooms },
	{ "demo", cmd_demo },
	{ "export", cmd_export },
	{ "merge", cmd_merge },
	{ "report", cmd_report },
	{ "badge-write", cmd_badge_write },
	{ "keys", cmd_keys },
	{ "sign", cmd_sign },
	{ "verify", cmd_verify },
	{ "fleet", cmd_fleet },
};

static const char usage_text[] =
	"usage: kioskctl COMMAND [ARGS]\n"
	"  init DB                                   create an empty kiosk database\n"
	"  import-roster DB roster.csv               attendees (all rows or none)\n"
	"  import-schedule DB FILE [--tz ZONE]       sessions from .csv, schedule.xml or schedule.json\n"
	"  import-rooms DB rooms.csv                 venue map: room,floor,floor_name,area,polygon\n"
	"  demo DB [--attendees N] [--groups N] [--sessions N] [--seed S] [--now EPOCH]\n"
	"                                            a realistic demo conference\n"
	"  export DB OUT.sqlite                      the check-in export, written atomically\n"
	"  merge [--accept-unsigned] OUT.sqlite IN.sqlite...\n"
	"                                            union of kiosks' signed exports (idempotent)\n"
	"  report DB_OR_EXPORT [--csv]               check-ins per group, day and hour\n"
	"  badge-write --reader CONNSTRING ATTENDEE_ID\n"
	"                                            write a badge's NDEF record\n"
	"    [--key SECRET_FILE --conference-id ID] [--lock]  signed (and locked) badge\n"
	"  keys init SECRET_FILE [PUBLIC_FILE]       a new conference key pair (secret 0600)\n"
	"  keys show KEY_FILE                        a key's public half and fingerprint\n"
	"  sign FILE --key SECRET_FILE [--conference-id ID] [--badge-policy P]\n"
	"                                            FILE.sig (a bundle gets its key in meta first)\n"
	"  verify FILE --key KEY_FILE                check FILE.sig as a kiosk does\n"
	"  fleet new|config|check ...                Syncthing identities, fleet.json, config.xml\n"
	"exit status: 0 ok, 1 bad input (one FILE:LINE: line per problem), 2 usage\n";

int main(int argc, char **argv)
{
	log_set_name("kioskctl");
	if (clock_init() != 0) /* a malformed KITH_CLOCK (tests only): see common/clock.h */
		return EXIT_USAGE;
	if (argc < 2) {
		fputs(usage_text, stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		fputs(usage_text, stdout);
		return EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("kioskctl %s\n", KITH_VERSION);
		return EXIT_OK;
	}
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	}
	fprintf(stderr, "kioskctl: unknown command '%s'\n", argv[1]);
	fputs(usage_text, stderr);
	return EXIT_USAGE;
}
