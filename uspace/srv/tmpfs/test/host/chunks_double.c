/*
 * The host tests' chunks (tmpfs.h, chunks.c): from the host's heap, so
 * AddressSanitizer sees every overrun, leak and use after free of a chunk.
 */
#if __STDC_HOSTED__ /* not built into the server: see host.mk */
#include "tmpfs.h"
#include <stdlib.h>

uint8_t *tmpfs_chunk_alloc(void)
{
	return calloc(1, TMPFS_CHUNK_SIZE);
}

void tmpfs_chunk_free(uint8_t *chunk)
{
	free(chunk);
}
#endif
