/*
 * ext2's pure functions on made-up bytes: the superblock and group
 * descriptor checks, the bitmap search, the path of a block through the
 * indirect blocks and the directory-entry walk, each with damaged inputs.
 */
#if __STDC_HOSTED__ /* not built into the server: see host.mk */
#include "host_test.h"
#include "ext2.h"
#include <string.h>

#define MIB (1024 * 1024)

/** A sound superblock: 8 MiB of 1 KiB blocks, one group of 8192 blocks
 *  and 2048 inodes of 256 bytes. */
static void sb_good(ext2_sb_t *sb)
{
	memset(sb, 0, sizeof(*sb));
	sb->magic = EXT2_MAGIC;
	sb->rev_level = 1;
	sb->log_block_size = 0;
	sb->first_data_block = 1;
	sb->blocks_count = 8192;
	sb->blocks_per_group = 8192;
	sb->inodes_per_group = 2048;
	sb->inodes_count = 2048;
	sb->inode_size = 256;
	sb->first_ino = 11;
	sb->free_blocks_count = 7000;
	sb->free_inodes_count = 2000;
	sb->feature_incompat = EXT2_INCOMPAT_FILETYPE;
	sb->feature_ro_compat = EXT2_RO_SPARSE_SUPER | EXT2_RO_LARGE_FILE;
}

HOST_TEST(a_sound_superblock_gives_the_geometry)
{
	ext2_sb_t sb;
	sb_good(&sb);
	ext2_geom_t g;
	CHECK_EQ(ext2_sb_parse(&sb, 8 * MIB, &g), EOK);
	CHECK_EQ(g.bsize, 1024);
	CHECK_EQ(g.groups, 1);
	CHECK_EQ(g.isize, 256);
	CHECK_EQ(g.gd_block, 2);
	CHECK_EQ(g.gd_blocks, 1);
	CHECK_EQ(g.itable_blocks, 512);
	CHECK(!g.rdonly_only);
	/* 4 KiB blocks: the descriptors follow block 0. */
	sb.log_block_size = 2;
	sb.first_data_block = 0;
	sb.blocks_count = 2048;
	sb.free_blocks_count = 1000;
	sb.blocks_per_group = 32768;
	CHECK_EQ(ext2_sb_parse(&sb, 8 * MIB, &g), EOK);
	CHECK_EQ(g.bsize, 4096);
	CHECK_EQ(g.gd_block, 1);
	/* Revision 0: 128-byte inodes, first inode 11, whatever the fields say. */
	sb_good(&sb);
	sb.rev_level = 0;
	sb.inode_size = 0;
	sb.first_ino = 0;
	CHECK_EQ(ext2_sb_parse(&sb, 8 * MIB, &g), EOK);
	CHECK_EQ(g.isize, 128);
	CHECK_EQ(g.first_ino, 11);
}

HOST_TEST(a_damaged_superblock_is_einval)
{
	ext2_sb_t sb;
	ext2_geom_t g;
	sb_good(&sb);
	sb.magic = 0xef54;
	CHECK_EQ(ext2_sb_parse(&sb, 8 * MIB, &g), EINVAL);
	sb_good(&sb);
	sb.rev_level = 2;
	CHECK_EQ(ext2_sb_parse(&sb, 8 * MIB, &g), EINVAL);
	sb_good(&sb); /* larger than the device */
	CHECK_EQ(ext2_sb_parse(&sb, 8 * MIB - 512, &g), EINVAL);
	sb_good(&sb);
	sb.blocks_per_group = 0;
	CHECK_EQ(ext2_sb_parse(&sb, 8 * MIB, &g), EINVAL);
	sb_good(&sb); /* more blocks a group than a bitmap block has bits */
	sb.blocks_per_group = 8193;
	CHECK_EQ(ext2_sb_parse(&sb, 8 * MIB, &g), EINVAL);
	sb_good(&sb);
	sb.inodes_count = 4096; /* not groups x inodes_per_group */
	CHECK_EQ(ext2_sb_parse(&sb, 8 * MIB, &g), EINVAL);
	sb_good(&sb);
	sb.inodes_per_group = 0;
	sb.inodes_count = 0;
	CHECK_EQ(ext2_sb_parse(&sb, 8 * MIB, &g), EINVAL);
	sb_good(&sb);
	sb.inode_size = 200; /* not a power of two */
	CHECK_EQ(ext2_sb_parse(&sb, 8 * MIB, &g), EINVAL);
	sb_good(&sb);
	sb.first_data_block = 0; /* 1 KiB blocks start at block 1 */
	CHECK_EQ(ext2_sb_parse(&sb, 8 * MIB, &g), EINVAL);
	sb_good(&sb);
	sb.free_blocks_count = 9000;
	CHECK_EQ(ext2_sb_parse(&sb, 8 * MIB, &g), EINVAL);
	sb_good(&sb);
	sb.blocks_count = 1;
	CHECK_EQ(ext2_sb_parse(&sb, 8 * MIB, &g), EINVAL);
}

HOST_TEST(unknown_features_refuse_or_limit_the_mount)
{
	ext2_sb_t sb;
	ext2_geom_t g;
	sb_good(&sb);
	sb.feature_incompat |= 0x0040; /* extents */
	CHECK_EQ(ext2_sb_parse(&sb, 8 * MIB, &g), ENOTSUP);
	sb_good(&sb);
	sb.log_block_size = 3; /* 8 KiB blocks */
	CHECK_EQ(ext2_sb_parse(&sb, 8 * MIB, &g), ENOTSUP);
	sb_good(&sb);
	sb.feature_ro_compat |= 0x0008; /* huge_file */
	CHECK_EQ(ext2_sb_parse(&sb, 8 * MIB, &g), EOK);
	CHECK(g.rdonly_only);
}

HOST_TEST(group_descriptors_must_lie_in_their_group)
{
	ext2_sb_t sb;
	sb_good(&sb);
	sb.blocks_count = 16385; /* two groups: 1..8192, 8193..16384 */
	sb.inodes_count = 4096;
	ext2_geom_t g;
	CHECK_EQ(ext2_sb_parse(&sb, 16 * MIB + 1024, &g), EOK);
	CHECK_EQ(g.groups, 2);
	ext2_gd_t gd = {.block_bitmap = 8195, .inode_bitmap = 8196, .inode_table = 8197};
	CHECK_EQ(ext2_gd_check(&sb, &g, 1, &gd), EOK);
	CHECK_EQ(ext2_gd_check(&sb, &g, 0, &gd), EINVAL);
	gd.block_bitmap = 20000; /* off the volume */
	CHECK_EQ(ext2_gd_check(&sb, &g, 1, &gd), EINVAL);
	gd.block_bitmap = 8195;
	gd.inode_table = 16384 - 100; /* the table runs past the group */
	CHECK_EQ(ext2_gd_check(&sb, &g, 1, &gd), EINVAL);
	gd.inode_table = 8197;
	gd.free_inodes_count = 3000;
	CHECK_EQ(ext2_gd_check(&sb, &g, 1, &gd), EINVAL);
}

HOST_TEST(the_bitmap_search_finds_the_first_clear_bit_and_wraps)
{
	uint8_t map[4] = {0xff, 0xff, 0x7f, 0x00};
	CHECK_EQ(ext2_bitmap_find(map, 32, 0), 23);
	CHECK_EQ(ext2_bitmap_find(map, 32, 24), 24);
	CHECK_EQ(ext2_bitmap_find(map, 32, 100), 23); /* from past the end: 0 */
	memset(map, 0xff, sizeof(map));
	CHECK_EQ(ext2_bitmap_find(map, 32, 5), -1);
	map[0] = 0xfe;
	CHECK_EQ(ext2_bitmap_find(map, 32, 9), 0); /* wrapped around */
	/* Bits past nbits do not count, set or not. */
	uint8_t tail[2] = {0xff, 0x01};
	CHECK_EQ(ext2_bitmap_find(tail, 9, 0), -1);
	CHECK_EQ(ext2_bitmap_find(tail, 10, 0), 9);
	CHECK_EQ(ext2_bitmap_find(tail, 0, 0), -1);
}

HOST_TEST(a_block_number_maps_through_the_indirect_levels)
{
	int depth;
	uint32_t idx[4];
	CHECK_EQ(ext2_bmap_path(11, 256, &depth, idx), EOK);
	CHECK(depth == 0 && idx[0] == 11);
	CHECK_EQ(ext2_bmap_path(12, 256, &depth, idx), EOK);
	CHECK(depth == 1 && idx[0] == 12 && idx[1] == 0);
	CHECK_EQ(ext2_bmap_path(12 + 255, 256, &depth, idx), EOK);
	CHECK(depth == 1 && idx[1] == 255);
	CHECK_EQ(ext2_bmap_path(12 + 256, 256, &depth, idx), EOK);
	CHECK(depth == 2 && idx[0] == 13 && idx[1] == 0 && idx[2] == 0);
	CHECK_EQ(ext2_bmap_path(12 + 256 + 256 * 3 + 7, 256, &depth, idx), EOK);
	CHECK(depth == 2 && idx[1] == 3 && idx[2] == 7);
	uint64_t t = 12 + 256 + 65536;
	CHECK_EQ(ext2_bmap_path(t, 256, &depth, idx), EOK);
	CHECK(depth == 3 && idx[0] == 14 && idx[1] == 0 && idx[2] == 0 && idx[3] == 0);
	uint64_t last = t + 256ull * 256 * 256 - 1;
	CHECK_EQ(ext2_bmap_path(last, 256, &depth, idx), EOK);
	CHECK(depth == 3 && idx[1] == 255 && idx[2] == 255 && idx[3] == 255);
	CHECK_EQ(ext2_bmap_path(last + 1, 256, &depth, idx), EOVERFLOW);
	CHECK_EQ(ext2_bmap_path(UINT64_MAX, 1024, &depth, idx), EOVERFLOW);
}

/** Puts an entry into @a blk at @a off. */
static void put(uint8_t *blk, uint32_t off, uint32_t ino, uint16_t rec, const char *name)
{
	ext2_dirent_head_t h = {
	    .inode = ino, .rec_len = rec, .name_len = (uint8_t) strlen(name)};
	memcpy(blk + off, &h, sizeof(h));
	memcpy(blk + off + 8, name, strlen(name));
}

HOST_TEST(directory_entries_walk_and_bad_ones_are_eio)
{
	uint8_t blk[1024] = {0};
	put(blk, 0, 2, 12, ".");
	put(blk, 12, 2, 12, "..");
	put(blk, 24, 11, 1000, "lost+found");
	ext2_dirent_t e;
	uint32_t off = 0, n = 0;
	while (off < sizeof(blk)) {
		CHECK_EQ(ext2_dirent_next(blk, sizeof(blk), off, 2048, &e), EOK);
		off += e.rec_len;
		n++;
	}
	CHECK_EQ(n, 3);
	CHECK(e.name_len == 10 && memcmp(e.name, "lost+found", 10) == 0);
	put(blk, 24, 11, 1002, "lost+found"); /* not a multiple of 4 */
	CHECK_EQ(ext2_dirent_next(blk, sizeof(blk), 24, 2048, &e), EIO);
	put(blk, 24, 11, 1004, "lost+found"); /* past the block */
	CHECK_EQ(ext2_dirent_next(blk, sizeof(blk), 24, 2048, &e), EIO);
	put(blk, 24, 11, 4, "lost+found"); /* shorter than a header */
	CHECK_EQ(ext2_dirent_next(blk, sizeof(blk), 24, 2048, &e), EIO);
	put(blk, 24, 11, 12, "lost+found"); /* shorter than its name */
	CHECK_EQ(ext2_dirent_next(blk, sizeof(blk), 24, 2048, &e), EIO);
	put(blk, 24, 4000, 1000, "lost+found"); /* an inode off the volume */
	CHECK_EQ(ext2_dirent_next(blk, sizeof(blk), 24, 2048, &e), EIO);
	put(blk, 24, 0, 1000, ""); /* a free entry is fine */
	CHECK_EQ(ext2_dirent_next(blk, sizeof(blk), 24, 2048, &e), EOK);
	CHECK_EQ(ext2_dirent_next(blk, sizeof(blk), 1020, 2048, &e), EIO);
	CHECK_EQ(ext2_dirent_next(blk, sizeof(blk), 2, 2048, &e), EIO);
}

#endif
