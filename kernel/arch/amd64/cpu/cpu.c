/*
 * CPU feature detection (CPUID) and enabling of protection features.
 */
#include <arch/asm.h>
#include <arch/cpu.h>
#include <printf.h>
#include <string.h>

#define CR0_WP	     (1ull << 16)
#define CR4_PGE	     (1ull << 7)
#define CR4_FSGSBASE (1ull << 16)
#define CR4_SMEP     (1ull << 20)
#define CR4_SMAP     (1ull << 21)
#define MSR_EFER     0xc0000080
#define EFER_NXE     (1ull << 11)

cpu_features_t cpu_features;

static void detect_brand(void)
{
	uint32_t r[4];
	cpuid(0x80000000, 0, r);
	if (r[0] < 0x80000004) {
		str_lcpy(cpu_features.brand, "unknown", sizeof(cpu_features.brand));
		return;
	}
	for (uint32_t i = 0; i < 3; i++) {
		cpuid(0x80000002 + i, 0, r);
		memcpy(cpu_features.brand + i * 16, r, 16);
	}
	cpu_features.brand[48] = '\0';
}

void cpu_detect(void)
{
	uint32_t r[4];
	cpuid(0, 0, r);
	uint32_t max_leaf = r[0];
	memcpy(cpu_features.vendor, &r[1], 4);
	memcpy(cpu_features.vendor + 4, &r[3], 4);
	memcpy(cpu_features.vendor + 8, &r[2], 4);
	cpu_features.vendor[12] = '\0';

	cpuid(1, 0, r);
	cpu_features.pcid = (r[2] >> 17) & 1;
	cpu_features.x2apic = (r[2] >> 21) & 1;
	if (max_leaf >= 7) {
		cpuid(7, 0, r);
		cpu_features.fsgsbase = r[1] & 1;
		cpu_features.smep = (r[1] >> 7) & 1;
		cpu_features.smap = (r[1] >> 20) & 1;
	}
	cpuid(0x80000000, 0, r);
	uint32_t max_ext = r[0];
	if (max_ext >= 0x80000001) {
		cpuid(0x80000001, 0, r);
		cpu_features.nx = (r[3] >> 20) & 1;
		cpu_features.pdpe1gb = (r[3] >> 26) & 1;
	}
	if (max_ext >= 0x80000007) {
		cpuid(0x80000007, 0, r);
		cpu_features.invariant_tsc = (r[3] >> 8) & 1;
	}
	detect_brand();
}

void cpu_enable_protection(void)
{
	write_cr0(read_cr0() | CR0_WP);
	if (cpu_features.nx)
		wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
	uint64_t cr4 = read_cr4() | CR4_PGE;
	if (cpu_features.smep)
		cr4 |= CR4_SMEP;
	if (cpu_features.smap)
		cr4 |= CR4_SMAP;
	write_cr4(cr4);
}

static const char *yes_no(bool b)
{
	return b ? "yes" : "no";
}

void cpu_print_features(void)
{
	printf("cpu: %s (%s), TSC %llu.%03llu MHz\n", cpu_features.brand,
	    cpu_features.vendor, (unsigned long long) cpu_features.tsc_khz / 1000,
	    (unsigned long long) cpu_features.tsc_khz % 1000);
	printf("cpu: NX %s, SMEP %s, SMAP %s, PCID %s, invariant TSC %s, x2APIC %s\n",
	    yes_no(cpu_features.nx), yes_no(cpu_features.smep), yes_no(cpu_features.smap),
	    yes_no(cpu_features.pcid), yes_no(cpu_features.invariant_tsc),
	    yes_no(cpu_features.x2apic));
}
