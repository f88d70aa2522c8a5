#!/bin/sh
# The project is MIT licensed: LICENSE at the top and the Debian package's copyright file
# (image/pkg/copyright) must carry the same licence text, so the two never drift apart.
set -eu
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
# LICENSE body: from "Permission is hereby granted" to the end.
sed -n '/^Permission is hereby granted/,$p' LICENSE > "$tmp/licence"
# copyright body: the indented lines after "License: MIT", with " ." as a blank line.
sed -n '/^License: MIT$/,$p' image/pkg/copyright | sed '1d; s/^ //; s/^\.$//' > "$tmp/copyright"
grep -qx 'MIT License' LICENSE || { echo "LICENSE does not name the MIT License"; exit 1; }
if ! diff -u "$tmp/licence" "$tmp/copyright"; then
	echo "LICENSE and image/pkg/copyright carry different licence texts"
	exit 1
fi
echo "LICENSE and image/pkg/copyright agree: MIT"
