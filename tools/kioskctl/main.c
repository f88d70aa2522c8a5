/* kioskctl: placeholder until the foundation issue lands its subcommands. */
#include <stdio.h>

int main(int argc, char **argv)
{
	(void)argv;
	if (argc < 2) {
		fprintf(stderr, "usage: kioskctl COMMAND ...\n");
		return 2;
	}
	return 2;
}
