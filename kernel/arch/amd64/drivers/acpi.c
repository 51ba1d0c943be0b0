/*
 * ACPI table lookup (acpi_table_find, used by madt.c) and soft power-off
 * (sleep state S5), just enough of it for a PC such as
 * QEMU's i440fx/PIIX4 "pc" machine: the RSDP found in the BIOS areas, the
 * RSDT, the FADT's PM1 control blocks and the \_S5 package of the DSDT for
 * the sleep type. Tables are read through the direct map, which covers the
 * low 4 GiB where firmware puts them. No state is kept: everything is looked
 * up at the moment of powering off.
 */
#include <arch/acpi.h>
#include <arch/asm.h>
#include <arch/mm.h>
#include <string.h>

#define EBDA_SEGMENT_PTR  0x40e
#define BIOS_AREA_START	  0xe0000
#define BIOS_AREA_END	  0x100000
#define RSDP_LENGTH	  20
#define SDT_HEADER_SIZE	  36
#define FADT_DSDT	  40 /* offsets in the FADT */
#define FADT_PM1A_CNT	  64
#define FADT_PM1B_CNT	  68
#define AML_NAME_OP	  0x08
#define AML_PACKAGE_OP	  0x12
#define AML_BYTE_PREFIX	  0x0a
#define AML_ONE_OP	  0x01
#define PM1_SLP_TYP_SHIFT 10
#define PM1_SLP_EN	  (1u << 13)

static uint32_t read32(const uint8_t *p)
{
	return (uint32_t) p[0] | (uint32_t) p[1] << 8 | (uint32_t) p[2] << 16 |
	    (uint32_t) p[3] << 24;
}

static bool checksum_ok(const uint8_t *p, size_t len)
{
	uint8_t sum = 0;
	for (size_t i = 0; i < len; i++)
		sum += p[i];
	return sum == 0;
}

/** The RSDP in [@a start, @a end) (16-byte aligned), or NULL. */
static const uint8_t *rsdp_scan(paddr_t start, paddr_t end)
{
	for (paddr_t pa = start; pa + RSDP_LENGTH <= end; pa += 16) {
		const uint8_t *p = phys_to_virt(pa);
		if (memcmp(p, "RSD PTR ", 8) == 0 && checksum_ok(p, RSDP_LENGTH))
			return p;
	}
	return NULL;
}

static const uint8_t *rsdp_find(void)
{
	const uint8_t *seg = phys_to_virt(EBDA_SEGMENT_PTR);
	paddr_t ebda = (paddr_t) (seg[0] | seg[1] << 8) << 4;
	const uint8_t *rsdp = NULL;
	if (ebda >= 0x80000 && ebda < 0xa0000)
		rsdp = rsdp_scan(ebda, ebda + 1024);
	return rsdp != NULL ? rsdp : rsdp_scan(BIOS_AREA_START, BIOS_AREA_END);
}

/** The table at @a pa if it is a valid one (below 4 GiB, checksum right). */
static const uint8_t *sdt_at(paddr_t pa, uint32_t *length)
{
	if (pa == 0 || pa >= 0xffff0000u)
		return NULL;
	const uint8_t *t = phys_to_virt(pa);
	uint32_t len = read32(t + 4);
	if (len < SDT_HEADER_SIZE || len > 0x100000 || pa + len > 0x100000000ull ||
	    !checksum_ok(t, len))
		return NULL;
	*length = len;
	return t;
}

const uint8_t *acpi_table_find(const char *sig, uint32_t *length)
{
	const uint8_t *rsdp = rsdp_find();
	uint32_t rsdt_len;
	const uint8_t *rsdt = rsdp != NULL ? sdt_at(read32(rsdp + 16), &rsdt_len) : NULL;
	if (rsdt == NULL)
		return NULL;
	for (uint32_t off = SDT_HEADER_SIZE; off + 4 <= rsdt_len; off += 4) {
		const uint8_t *t = sdt_at(read32(rsdt + off), length);
		if (t != NULL && memcmp(t, sig, 4) == 0)
			return t;
	}
	return NULL;
}

/** The value of one AML integer element at @a p (ZeroOp, OneOp or a byte). */
static int aml_small_int(const uint8_t *p, const uint8_t *end)
{
	if (p >= end)
		return -1;
	if (*p == AML_BYTE_PREFIX)
		return p + 1 < end ? p[1] : -1;
	return *p <= AML_ONE_OP ? *p : -1;
}

/** SLP_TYPa and SLP_TYPb of \_S5 in the DSDT @a dsdt; false if not found. */
static bool s5_sleep_types(const uint8_t *dsdt, uint32_t len, int *typ_a, int *typ_b)
{
	const uint8_t *end = dsdt + len;
	for (const uint8_t *p = dsdt + SDT_HEADER_SIZE; p + 8 < end; p++) {
		if (memcmp(p, "_S5_", 4) != 0 || p[4] != AML_PACKAGE_OP)
			continue;
		if (p[-1] != AML_NAME_OP && !(p[-1] == '\\' && p[-2] == AML_NAME_OP))
			continue;
		/* PkgLength: bits 6-7 of its first byte count the bytes after it. */
		const uint8_t *q = p + 5;
		q += 1 + (*q >> 6);
		q++; /* NumElements */
		*typ_a = aml_small_int(q, end);
		q += q < end && *q == AML_BYTE_PREFIX ? 2 : 1;
		*typ_b = aml_small_int(q, end);
		return *typ_a >= 0;
	}
	return false;
}

void acpi_poweroff(void)
{
	uint32_t fadt_len, dsdt_len;
	const uint8_t *fadt = acpi_table_find("FACP", &fadt_len);
	if (fadt == NULL || fadt_len < FADT_PM1B_CNT + 4)
		return;
	const uint8_t *dsdt = sdt_at(read32(fadt + FADT_DSDT), &dsdt_len);
	int typ_a, typ_b;
	if (dsdt == NULL || !s5_sleep_types(dsdt, dsdt_len, &typ_a, &typ_b))
		return;
	uint32_t pm1a = read32(fadt + FADT_PM1A_CNT);
	uint32_t pm1b = read32(fadt + FADT_PM1B_CNT);
	if (pm1a == 0 || pm1a > 0xffff)
		return;
	/* SCI_EN is left as the firmware set it: the chipset acts on SLP_EN
	 * either way. */
	if (pm1b != 0 && pm1b <= 0xffff && typ_b >= 0)
		outw((uint16_t) pm1b,
		    (uint16_t) (typ_b << PM1_SLP_TYP_SHIFT | PM1_SLP_EN));
	outw((uint16_t) pm1a, (uint16_t) (typ_a << PM1_SLP_TYP_SHIFT | PM1_SLP_EN));
	/* The machine may take a moment to go down. */
	for (int i = 0; i < 1000000; i++)
		cpu_relax();
}
