# Kernel build: generic code, the architecture's code and the in-kernel tests,
# linked twice so that the final image carries its own symbol table (used for
# backtraces). The symbol table sits last in the image, so the second link
# moves no code.

KSRC_DIRS := kernel/generic kernel/arch/$(ARCH) kernel/test common/src
KSRCS := $(shell find $(KSRC_DIRS) -path kernel/test/host -prune -o \( -name '*.c' -o -name '*.S' \) -print | sort)
KOBJS := $(patsubst %,$(BUILD)/kobj/%.o,$(KSRCS))

KINCLUDES := -Ikernel/generic/include -Ikernel/arch/$(ARCH)/include -Iabi/include -Icommon/include -Icommon/arch/$(ARCH)/include \
	-nostdinc -isystem $(shell $(CC) -print-file-name=include)

KCFLAGS := -std=gnu11 $(OPT) -g -ffreestanding -fno-pie -fno-pic -mcmodel=kernel \
	-mno-red-zone -mgeneral-regs-only -mno-sse -mno-mmx -mno-80387 \
	-fno-stack-protector -fno-omit-frame-pointer -fno-asynchronous-unwind-tables \
	-fno-strict-aliasing -fno-common -Wall -Wextra -Werror -Wno-unused-parameter \
	-Wmissing-prototypes -Wstrict-prototypes -include $(CONFIG_H) $(KINCLUDES) -MMD -MP
ifeq ($(CONFIG_UBSAN),y)
KCFLAGS += -fsanitize=undefined -fno-sanitize=alignment
endif
# The sanitizer runtime itself must not be instrumented.
$(BUILD)/kobj/kernel/generic/lib/ubsan.c.o: KCFLAGS += -fno-sanitize=all
KASFLAGS := -D__ASSEMBLY__ $(KINCLUDES) -include $(CONFIG_H) -MMD -MP -g
KLDFLAGS := -nostdlib -static -z max-page-size=0x1000 --build-id=none -z noexecstack \
	--no-warn-rwx-segments -T kernel/arch/$(ARCH)/kernel.ld

$(BUILD)/kobj/%.c.o: %.c $(CONFIG_H)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(KCFLAGS) -c $< -o $@

$(BUILD)/kobj/%.S.o: %.S $(CONFIG_H)
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	@$(CC) $(KASFLAGS) -c $< -o $@

# Pass 1: no symbols. Pass 2: symbols of pass 1; the table is last, so code
# addresses are identical in both passes and the table is exact.
$(BUILD)/kernel/kernel.pass1.elf: $(KOBJS) kernel/arch/$(ARCH)/kernel.ld $(BUILD)/kernel/ksyms-empty.o
	@echo "  LD      $@"
	@$(LD) $(KLDFLAGS) -o $@ $(KOBJS) $(BUILD)/kernel/ksyms-empty.o

$(BUILD)/kernel/ksyms-empty.S:
	@mkdir -p $(dir $@)
	@printf '\t.section .ksyms,"a"\n\t.globl ksyms_table\nksyms_table:\n\t.quad 0\n' > $@

$(BUILD)/kernel/ksyms.S: $(BUILD)/kernel/kernel.pass1.elf tools/mksyms.py
	@python3 tools/mksyms.py $(NM) $< > $@

$(BUILD)/kernel/ksyms.o $(BUILD)/kernel/ksyms-empty.o: %.o: %.S
	@$(CC) -c $< -o $@

$(KERNEL_ELF): $(KOBJS) $(BUILD)/kernel/ksyms.o
	@echo "  LD      $@"
	@$(LD) $(KLDFLAGS) -o $@ $(KOBJS) $(BUILD)/kernel/ksyms.o
	@cmp -s <($(NM) -n $@ | grep ' [tTwW] ') <($(NM) -n $(BUILD)/kernel/kernel.pass1.elf | grep ' [tTwW] ') || \
		{ echo "kernel: symbol addresses moved between link passes" >&2; rm -f $@; exit 1; }

-include $(KOBJS:.o=.d)
