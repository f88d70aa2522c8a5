# Appliance targets (included by the top Makefile; see image/README.md):
#   make deb [ARCH=arm64|amd64]  -> image/out/kith_VERSION_ARCH.deb
#   make image                   -> image/out/kith-rpi-arm64.img.xz (Raspberry Pi 3B+/4, bookworm)
#   make image-test              -> boots that image in qemu-system-aarch64 and checks a check-in
#   make image-soak              -> 20 random power cuts of that image in QEMU (not in CI; ~30 min)
# Everything they download or build stays in build/ and image/out/.
ARCH ?= $(shell dpkg --print-architecture 2>/dev/null || echo amd64)

deb:
	@tools/install-deps.sh build image
	@image/mkdeb.sh $(ARCH)

image:
	@tools/install-deps.sh build image
	@image/mkimage.sh

image-test:
	@tools/install-deps.sh build test image
	@$(MAKE) --no-print-directory all
	@image/image-test.py

# Long (issue 15): never part of CI; niced like make soak. KITH_IMAGE_SOAK_CUTS, _SEED.
image-soak:
	@tools/install-deps.sh build test image
	@$(MAKE) --no-print-directory all
	@nice -n 19 image/image-soak.py
