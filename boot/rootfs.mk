# The root file system, as the cpio ("newc") archive the root tmpfs is filled
# from at boot (module "rootfs" in boot/modules.list):
#   /app   every program of uspace/app      /srv   every server of uspace/srv
#   /test  the test programs `tester` runs (TESTER_PROGRAMS), kept out of
#          /app so that `help` and the shell's program names leave them out
#   /drv   every driver of uspace/drv, and match-ids: each driver's match
#          ids (uspace/drv/NAME/NAME.ma) under a line "[NAME]", the one
#          file devman reads
#   /cfg   boot/cfg (init's configuration)  /data  boot/data (sample files;
#          /data/www is what websrv serves)
#   /tmp   empty (a tmpfs of its own is mounted there)
#   /loc   empty (locfs is mounted there)
#   /pipe  empty (pipefs is mounted there)
# Made by tools/mkcpio.py from the tree $(BUILD)/rootfs, every ELF file's
# data on a page of its own start (the root tmpfs shares a program's pages
# with the loader straight from the archive, VFS_SHARE_FILE); programs without
# debugging sections and with only their function symbols (what backtraces
# and taskdump name, lib/c elf_symbols.c; data and file symbols were a fifth
# of the table). make run's image gets the same archive
# without the test programs and test servers (RUN_IMAGE_LEAVES_OUT; its
# archive is $(BUILD)/run/rootfs.cpio, module kind "run").

ROOTFS_DIR := $(BUILD)/rootfs
ROOTFS_FILES := $(wildcard boot/cfg/* boot/data/* boot/data/*/*)
DRIVER_MATCH_FILES := $(sort $(wildcard uspace/drv/*/*.ma))
# The list of programs, rewritten only when it changes (EXTRA_APPS), so the
# archive is made again when a program comes or goes.
ROOTFS_PROGRAMS := $(BUILD)/rootfs.programs
$(shell mkdir -p $(BUILD) && (echo '$(USPACE_PROGRAMS)' | cmp -s - $(ROOTFS_PROGRAMS) || \
	echo '$(USPACE_PROGRAMS)' > $(ROOTFS_PROGRAMS)))

# The test programs of uspace/app that `tester` runs in a full system: in
# /test, not /app.
TESTER_PROGRAMS := nstest utest

$(BUILD)/rootfs.cpio: $(USPACE_PROGRAMS) $(ROOTFS_FILES) $(DRIVER_MATCH_FILES) \
		$(ROOTFS_PROGRAMS) boot/rootfs.mk tools/mkcpio.py
	@echo "  CPIO    $@"
	@rm -rf $(ROOTFS_DIR)
	@mkdir -p $(addprefix $(ROOTFS_DIR)/,app srv drv cfg data tmp loc pipe test disk disk2 mnt)
	@for f in $(USPACE_PROGRAMS); do \
		dir=$$(basename $$(dirname $$f)); name=$$(basename $$f); \
		case " $(TESTER_PROGRAMS) " in *" $$name "*) [ $$dir = app ] && dir=test;; esac; \
		keep=$$($(NM) --defined-only $$f | awk '$$2 ~ /^[tT]$$/ {printf " -K %s", $$3}'); \
		$(STRIP) --strip-all $$keep -o $(ROOTFS_DIR)/$$dir/$$name $$f || exit 1; \
	done
	@cp boot/cfg/* $(ROOTFS_DIR)/cfg/
	@for f in $(DRIVER_MATCH_FILES); do \
		echo "[$$(basename $$f .ma)]" && cat $$f || exit 1; \
	done > $(ROOTFS_DIR)/drv/match-ids
	@cp -r boot/data/* $(ROOTFS_DIR)/data/
	@cd $(ROOTFS_DIR) && find . -mindepth 1 | LC_ALL=C sort | \
		python3 $(abspath tools/mkcpio.py) > $(abspath $@)

# Test programs written for a boot of their own (tools/testrun.py starts each
# with testtask=NAME, make bench and make fuzz theirs) and the servers only
# they start: make run's archive leaves them out, so that a user neither
# meets them in `help` nor starts one by mistake. What `tester` runs stays
# (/test).
RUN_IMAGE_LEAVES_OUT := app/asynctest app/tasktest app/textshare app/vfstest app/loctest app/kvtest \
	app/appstest app/devtest app/exctest app/pagertest app/stress app/astress app/fuzz app/termtest app/bench \
	app/bdtest app/fstest app/nettest app/socktest app/nictest \
	srv/asyncsrv

$(BUILD)/run/rootfs.cpio: $(BUILD)/rootfs.cpio boot/rootfs.mk tools/mkcpio.py
	@mkdir -p $(dir $@)
	@echo "  CPIO    $@"
	@cd $(ROOTFS_DIR) && find . -mindepth 1 $(foreach p,$(RUN_IMAGE_LEAVES_OUT),! -path ./$(p)) | \
		LC_ALL=C sort | python3 $(abspath tools/mkcpio.py) > $(abspath $@)
