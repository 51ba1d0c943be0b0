/*
 * tasktest: tests of spawning programs through the loader, waiting for them
 * through the naming service, services that die and init's restarts (boot
 * options testinit=ns testtask=tasktest). Started with --child it is one of
 * the children the tests spawn (children.c).
 */
#ifndef TASKTEST_H
#define TASKTEST_H

#include <abi/ipc.h>

#define TASKTEST_PATH "/app/tasktest"
/* Where the loader's image begins (uspace/srv/loader/image_base): its
 * text, which a loaded program keeps mapped. */
#define LOADER_IMAGE_BASE 0x7f000000ull
/* The interface of a child server: TT_PING answers with its task id. */
#define TT_IFACE 0x7474
#define TT_PING	 IPC_FIRST_USER_METHOD

/** The arguments a child started as `--child args` must get after its
 *  first three. */
extern const char *const tricky_args[];

int child_main(int argc, char *argv[]);
void test_second_instance_shares_the_text(void);
void test_shared_text_keeps_data_private(void);
void test_image_area_bad_input(void);
void test_module_instance_shares_with_the_kernels(void);
void test_write_to_shared_constants_faults(void);
void test_module_map(void);
void test_module_map_leaves_nothing(void);
void test_mapped_spawns_leave_nothing(void);
void test_loader_leaves_no_writable_area(void);
void test_headers_open_the_text_segment(void);
void test_load_all_refuses_bad_blocks(void);
void test_loader_steps_one_by_one(void);

#endif
