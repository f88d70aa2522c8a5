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

/* The input's signature (store/export_sign.c): a file changed after its kiosk signed it is
 * refused; an unsigned one only with --accept-unsigned, with a warning. The laptop has no
 * fleet, so a valid signature is reported by kiosk and key fingerprint for the organiser. */
static int merge_input_ok(const char *path, int accept_unsigned)
{
	char kiosk[STORE_ID_MAX], fp[32], why[512] = "";
	int rc = export_sign_inspect(path, kiosk, sizeof kiosk, fp, sizeof fp, why, sizeof why);

	if (rc < 0) {
		fprintf(stderr, "%s: not merged: %s\n", path, why);
		return 0;
	}
	if (rc == 1) {
		printf("%s: signed by kiosk %s (key %s)\n", path, kiosk, fp);
		return 1;
	}
	if (!accept_unsigned) {
		fprintf(stderr, "%s: not merged: it is not signed by a kiosk (merge it anyway with "
			"--accept-unsigned)\n", path);
		return 0;
	}
	fprintf(stderr, "kioskctl: warning: %s is unsigned: anyone could have written it; merged "
		"because of --accept-unsigned\n", path);
	return 1;
}

int cmd_merge(int argc, char **argv)
{
	int rc = EXIT_OK, accept_unsigned = 0;

	if (argc > 1 && strcmp(argv[1], "--accept-unsigned") == 0) {
		accept_unsigned = 1;
		argc--;
		argv++;
	}
	if (argc < 3 || argv[1][0] == '-') {
		fprintf(stderr, "usage: kioskctl merge [--accept-unsigned] OUT.sqlite IN.sqlite...\n");
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
		if (!merge_input_ok(argv[i], accept_unsigned)) {
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
