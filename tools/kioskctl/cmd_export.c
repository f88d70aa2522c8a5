/* `kioskctl export` and `kioskctl merge`: thin wrappers over store/export.c, which the kiosk's
 * USB sync uses too, so the file a stick gets and the file kioskctl writes are the same. */
#include "kioskctl.h"

#include <string.h>
#include <unistd.h>

#include "store/export.h"

int cmd_export(int argc, char **argv)
{
	store *s = NULL;
	char err[512] = "";
	int rc = EXIT_BADINPUT;

	if (argc != 3 || argv[1][0] == '-' || argv[2][0] == '-') {
		fprintf(stderr, "usage: kioskctl export DB OUT.sqlite\n");
		return EXIT_USAGE;
	}
	/* Not STORE_OPEN_READONLY: export_write attaches the new file to this connection. The
	 * kiosk database itself is only read. */
	if (access(argv[1], F_OK) != 0 || store_open(&s, argv[1], 0) < 0) {
		fprintf(stderr, "%s: cannot open database: %s\n", argv[1],
			s ? store_errmsg(s) : "No such file or directory");
		goto out;
	}
	if (export_write(s, argv[2], NULL, NULL, err, sizeof err) < 0) {
		fprintf(stderr, "%s: export failed: %s\n", argv[2], err[0] ? err : store_errmsg(s));
		goto out;
	}
	rc = EXIT_OK;
out:
	store_close(s);
	return rc;
}

int cmd_merge(int argc, char **argv)
{
	int rc = EXIT_OK;

	if (argc < 3 || argv[1][0] == '-') {
		fprintf(stderr, "usage: kioskctl merge OUT.sqlite IN.sqlite...\n");
		return EXIT_USAGE;
	}
	for (int i = 2; i < argc; i++) {
		char err[512] = "";
		int64_t added = 0;
		if (strcmp(argv[i], argv[1]) == 0) {
			fprintf(stderr, "%s: is the output file; not merged into itself\n", argv[i]);
			rc = EXIT_BADINPUT;
			continue;
		}
		if (export_merge(argv[1], argv[i], &added, err, sizeof err) < 0) {
			fprintf(stderr, "%s: not merged: %s\n", argv[i], err[0] ? err : "unknown error");
			rc = EXIT_BADINPUT;
			continue;
		}
		printf("%s: %lld new check-ins\n", argv[i], (long long)added);
	}
	return rc;
}
