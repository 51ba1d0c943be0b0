# Host unit tests of libc's pure parts: the heap core behind malloc, the
# number parsing and sorting of stdlib, the fibril layer's timeout lists
# and deadlock detector, the VFS's path normalisation, the error texts, the
# environment, fnmatch, glob and the ELF symbol reader. Built with
# AddressSanitizer and UBSan like kernel/test/host/, whose runner
# (host_test.c) they share, so tools/testrun.py reads their PASS/FAIL lines; `make host-tests` builds them
# and `make test` runs them. A test program is <name>_test.c plus the libc
# sources listed for it; it runs as $(USPACE_BUILD)/host-tests/libc_<name>.

LIBC_HOST_TEST_DIR := $(LIBC_DIR)/test/host
LIBC_HOST_RUNNER := kernel/test/host/host_test.c
LIBC_HOST_CFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Werror -Wno-unused-parameter \
	-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer \
	-Ikernel/test/host -I$(LIBC_DIR)/src -Icommon/include -Icommon/arch/$(ARCH)/include -Iabi/include

LIBC_HOST_MODULES_malloc := $(LIBC_DIR)/src/heap.c
LIBC_HOST_MODULES_stdlib := $(LIBC_DIR)/src/strtol.c $(LIBC_DIR)/src/qsort.c
LIBC_HOST_MODULES_fibril := $(LIBC_DIR)/src/timeout.c $(LIBC_DIR)/src/deadlock.c
LIBC_HOST_MODULES_vfs_path := $(LIBC_DIR)/src/vfs_path.c
LIBC_HOST_MODULES_strerror := common/src/strerror.c
LIBC_HOST_MODULES_env := $(LIBC_DIR)/src/environ.c
LIBC_HOST_MODULES_glob := $(LIBC_DIR)/src/fnmatch.c $(LIBC_DIR)/src/glob.c
LIBC_HOST_MODULES_elf_symbols := $(LIBC_DIR)/src/elf_symbols.c
# elf_symbols.h by #include "..." only.
LIBC_HOST_FLAGS_elf_symbols := -iquote $(LIBC_DIR)/include
# fnmatch.h and glob.h by #include "..." (the host has its own); the test
# calls ours under lc_* names.
LIBC_HOST_FLAGS_glob := -iquote $(LIBC_DIR)/include -Dfnmatch=lc_fnmatch -Dglob=lc_glob \
	-Dglobfree=lc_globfree
# vfs_path.h, found by #include "..." only (libc's other headers must not
# shadow the host's).
LIBC_HOST_FLAGS_vfs_path := -iquote $(LIBC_DIR)/include
# The host C library has these names too; the test calls ours as lc_*.
LIBC_HOST_RENAME_stdlib := -Dstrtol=lc_strtol -Dstrtoll=lc_strtoll -Dstrtoul=lc_strtoul \
	-Dstrtoull=lc_strtoull -Dqsort=lc_qsort
LIBC_HOST_RENAME_strerror := -Dstrerror=lc_strerror
# The test reads the codes from the header itself.
LIBC_HOST_FLAGS_strerror := -DERRNO_HEADER='"$(abspath abi/include/abi/errno.h)"'
# The host declares setenv nonnull; ours checks for NULL all the same.
LIBC_HOST_FLAGS_env := -Wno-nonnull-compare
LIBC_HOST_RENAME_env := -Denviron=lc_environ -Dgetenv=lc_getenv -Dsetenv=lc_setenv \
	-Dunsetenv=lc_unsetenv

LIBC_HOST_TESTS := malloc stdlib fibril vfs_path strerror env glob elf_symbols
LIBC_HOST_TEST_BINS := $(patsubst %,$(USPACE_BUILD)/host-tests/libc_%,$(LIBC_HOST_TESTS))
HOST_TEST_BINS += $(LIBC_HOST_TEST_BINS)
host-tests: $(LIBC_HOST_TEST_BINS)

.SECONDEXPANSION:
$(USPACE_BUILD)/host-tests/libc_%: $(LIBC_HOST_TEST_DIR)/%_test.c $$(LIBC_HOST_MODULES_$$*) \
		$(LIBC_HOST_RUNNER) kernel/test/host/host_test.h $(wildcard $(LIBC_DIR)/src/private/*.h)
	$(call host_test_recipe,$(LIBC_HOST_CFLAGS) $(LIBC_HOST_FLAGS_$*),$(LIBC_HOST_RENAME_$*),$(LIBC_HOST_MODULES_$*),$< $(LIBC_HOST_RUNNER))

-include $(wildcard $(LIBC_HOST_TEST_BINS:%=%.obj/*.d))
