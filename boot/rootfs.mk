# The root file system, as the cpio ("newc") archive the root tmpfs is filled
# from at boot (module "rootfs" in boot/modules.list):
#   /app   every program of uspace/app      /srv   every server of uspace/srv
#   /drv   every driver of uspace/drv, with its match ids (NAME.ma)
#   /cfg   boot/cfg (init's configuration)  /data  boot/data (sample files)
#   /tmp   empty (a tmpfs of its own is mounted there)
#   /loc   empty (locfs is mounted there)
#   /pipe  empty (pipefs is mounted there)
# Made with the host's cpio from the tree $(BUILD)/rootfs; programs without
# symbols and debugging sections. make run's image gets the same archive
# without the test programs that only run in a boot of their own
# ($(BUILD)/run/rootfs.cpio, module kind "run").

ROOTFS_DIR := $(BUILD)/rootfs
ROOTFS_FILES := $(wildcard boot/cfg/* boot/data/*)
DRIVER_MATCH_FILES := $(wildcard uspace/drv/*/*.ma)
# The list of programs, rewritten only when it changes (EXTRA_APPS), so the
# archive is made again when a program comes or goes.
ROOTFS_PROGRAMS := $(BUILD)/rootfs.programs
$(shell mkdir -p $(BUILD) && (echo '$(USPACE_PROGRAMS)' | cmp -s - $(ROOTFS_PROGRAMS) || \
	echo '$(USPACE_PROGRAMS)' > $(ROOTFS_PROGRAMS)))

$(BUILD)/rootfs.cpio: $(USPACE_PROGRAMS) $(ROOTFS_FILES) $(DRIVER_MATCH_FILES) \
		$(ROOTFS_PROGRAMS) boot/rootfs.mk
	@echo "  CPIO    $@"
	@rm -rf $(ROOTFS_DIR)
	@mkdir -p $(addprefix $(ROOTFS_DIR)/,app srv drv cfg data tmp loc pipe)
	@for f in $(USPACE_PROGRAMS); do \
		$(STRIP) --strip-all -o $(ROOTFS_DIR)/$$(basename $$(dirname $$f))/$$(basename $$f) \
			$$f || exit 1; \
	done
	@cp boot/cfg/* $(ROOTFS_DIR)/cfg/
	@$(if $(DRIVER_MATCH_FILES),cp $(DRIVER_MATCH_FILES) $(ROOTFS_DIR)/drv/)
	@cp boot/data/* $(ROOTFS_DIR)/data/
	@cd $(ROOTFS_DIR) && find . -mindepth 1 | LC_ALL=C sort | \
		cpio --quiet -o -H newc -R 0:0 > $(abspath $@)

# Test programs written for a boot of their own (tools/testrun.py starts each
# with testtask=NAME): in the full system they fail (uspace/app/tester lists
# the ones that pass there), so make run's archive leaves them out.
OWN_BOOT_TESTS := asynctest tasktest vfstest loctest kvtest appstest

$(BUILD)/run/rootfs.cpio: $(BUILD)/rootfs.cpio boot/rootfs.mk
	@mkdir -p $(dir $@)
	@echo "  CPIO    $@"
	@cd $(ROOTFS_DIR) && find . -mindepth 1 $(foreach p,$(OWN_BOOT_TESTS),! -path ./app/$(p)) | \
		LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0 > $(abspath $@)
