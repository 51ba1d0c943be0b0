/*
 * utest's parts: the quota tests (quota.c), the capability-rights test
 * (caps.c), the tests of several CPUs (smp.c), the CPU-time tests
 * (cputime.c), the interrupt controllers' (intc.c) and fibril_ipc_drain's
 * (drain.c) beside the rest (utest.c).
 */
#ifndef UTEST_H
#define UTEST_H

#include <stdbool.h>
#include <task.h>

#define MS 1000ull

/* utest.c */
/** Spawns "utest MODE", waits for it and stores how it ended in @a e. */
errno_t utest_child(const char *mode, task_exit_t *e);

/* caps.c */
void test_capability_rights_system_calls(void);

/* cputime.c */
void test_thread_info_bad_input_gets_clear_errors(void);
void test_thread_cpu_time_grows_while_it_runs(void);
void test_every_cpu_has_an_idle_thread(void);

/* drain.c */
void test_ipc_drain_needs_a_single_runner(void);
/** Child mode `--drain`: fibril_ipc_drain() with one runner, then two;
 *  the number of wrong results. */
int child_drain(void);

/* intc.c */
void test_user_space_cannot_send_ipis_or_reach_the_apics(void);
void test_irq_lines_go_to_a_chosen_cpu(void);
void test_cpu_stats_of_every_cpu_and_bad_input(void);
/** Child mode `--int VECTOR`: raises a vector of the kernel's with `int`;
 *  must die of a general protection fault. */
int child_int(const char *vector);

/* ioport.c */
void test_io_ports_enabled_work_on_every_cpu(void);
void test_io_ports_denied_where_a_granted_task_ran(void);
/** Child mode `--io-every-cpu`: threads on every CPU read the ports granted
 *  to it (0 if all could). */
int child_io_every_cpu(void);
/** Child mode `--io-denied CPU`: reads a port not granted on CPU; must die
 *  of a general protection fault. */
int child_io_denied(const char *cpu);

/* quota.c */
void test_quotas_are_inherited_and_only_lowered(void);
void test_loader_flood_stops_at_the_task_quota(void);
void test_capability_flood_stops_at_its_quota(void);
void test_thread_and_memory_quotas(void);
void test_events_have_several_subscribers(void);
/** Child mode `--flood KIND N` (KIND tasks or caps). */
int child_flood(int argc, char **argv);
/** Child mode `--quota-checks`: the thread and memory limits; failures. */
int child_quota_checks(void);
/** Child mode `--subscribe`: holds an EVENT_TASK_EXIT subscription. */
int child_subscribe(void);

/* regs.c */
void test_registers_survive_ipc_round_trips(void);
void test_registers_survive_ipc_round_trips_while_a_task_is_stopped(void);
void test_a_server_killed_in_answer_wait_is_not_resumed_with_a_request(void);
/** Child mode `--regs-server`: answers the test's round trips; its exit
 *  status is the number of wrong requests or registers it saw. */
int child_regs_server(void);

/* smp.c */
/** The number of CPUs that run (1 if it cannot be read). */
unsigned cpus_running(void);
/** Pins the caller to @a cpu; true if it then runs there. */
bool pin(unsigned cpu);
/** Waits (sleeping) until *@a word reaches @a value; false after 60 s. */
bool wait_for(volatile unsigned *word, unsigned value);
void test_spinlock_and_mutex_hammered_from_every_cpu(void);
void test_unmap_is_shot_down_on_another_cpu(void);
void test_task_killed_on_every_cpu_leaves_no_leak(void);
void test_task_end_is_seen_after_its_threads_are_gone(void);
void test_runnable_threads_spread_over_every_cpu(void);
void test_threads_of_one_task_spread_without_affinity(void);
void test_debug_stop_holds_threads_on_every_cpu(void);
/** Child mode `--shootdown MODE` (destroy, shrink, protect): must die of a
 *  page fault; status 7 when a stale mapping was used. */
int child_shootdown(const char *mode);
/** Child mode `--spread`: a spinning thread on each CPU until killed. */
int child_spread(void);

#endif
