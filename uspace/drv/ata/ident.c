/*
 * ata: what IDENTIFY DEVICE says (ATA/ATAPI-8 words 27-46 model, 49
 * capabilities, 60-61 LBA28 sectors, 83 command sets, 100-103 LBA48
 * sectors). No I/O.
 */
#include "ata.h"
#include <string.h>

#define W_CAPS	     49
#define W_CAPS_LBA   0x0200
#define W_LBA28	     60
#define W_SETS	     83
#define W_SETS_LBA48 0x0400
#define W_LBA48	     100
#define W_MODEL	     27
#define MODEL_WORDS  20

/** The model string: two characters a word, high byte first, trailing
 *  blanks cut. */
static void model_of(const uint16_t ident[256], char model[41])
{
	for (int i = 0; i < MODEL_WORDS; i++) {
		model[2 * i] = (char) (ident[W_MODEL + i] >> 8);
		model[2 * i + 1] = (char) (ident[W_MODEL + i] & 0xff);
	}
	model[40] = '\0';
	for (int i = 39; i >= 0 && (model[i] == ' ' || model[i] == '\0'); i--)
		model[i] = '\0';
}

void ata_ident_parse(const uint16_t ident[256], ata_drive_t *d)
{
	model_of(ident, d->model);
	uint64_t lba28 = ident[W_LBA28] | ((uint64_t) ident[W_LBA28 + 1] << 16);
	uint64_t lba48 = 0;
	for (int i = 3; i >= 0; i--)
		lba48 = (lba48 << 16) | ident[W_LBA48 + i];
	d->lba48 = (ident[W_SETS] & W_SETS_LBA48) != 0 && lba48 != 0;
	d->sectors = d->lba48 ? lba48 : lba28;
	/* No LBA (CHS only) drives: too old to be worth serving. */
	d->present = (ident[W_CAPS] & W_CAPS_LBA) != 0 && d->sectors != 0;
}
