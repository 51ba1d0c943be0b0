"""QEMU scenarios of the shell as a user meets it: typed at the prompt of a
default boot, one boot per scenario. Each step types keys, waits for
regexes in order, then for the prompt (the working directory and " # ").

testrun.py finds this module and runs its SCENARIOS; the harness's helpers
(guest, type_keys, BOOT_TIMEOUT, LOG_DIR) are taken from testrun at call
time.
"""
import re
import time


def _tr():
    import testrun
    return testrun


def prompt_re(cwd):
    """The prompt in @cwd, at the start of a line."""
    return "^" + re.escape(cwd + " # ")


def run_steps(name, args, steps, cmdline=""):
    """Boots a default image and runs @steps: (step name, keys, regexes
    expected in order, the working directory of the prompt that follows or
    None for no prompt). Stops at the first step that fails."""
    tr = _tr()
    with tr.guest(args, name, cmdline) as g:
        g.expect(r"^Type 'help' for commands\.", tr.BOOT_TIMEOUT)
        g.expect(r"/ # ", 30)
        for step, keys, patterns, cwd in steps:
            time.sleep(0.1)
            tr.type_keys(g, keys)
            try:
                for p in patterns:
                    g.expect(p, 30)
                if cwd is not None:
                    g.expect(prompt_re(cwd), 30)
            except tr.GuestTimeout:
                return False, f"failed at {step} (see {tr.LOG_DIR}/{name}.log)"
    return True, ""


# Programs started after `cd` run in the shell's working directory: relative
# paths work from programs, from scripts (which cd themselves) and in pipelines.
CWD_STEPS = [
    ("cd", "cd /tmp\r", [], "/tmp"),
    ("write-relative", "echo hi > a.txt\r", [], "/tmp"),
    ("cat-relative", "cat a.txt\r", [r"^hi$"], "/tmp"),
    ("mkdir-relative", "mkdir sub\r", [], "/tmp"),
    ("ls-lists-cwd", "ls\r", [r"^a\.txt", r"^sub"], "/tmp"),
    ("script-line-1", "echo 'cat a.txt' > s.sh\r", [], "/tmp"),
    ("script-line-2", "echo 'cd sub' >> s.sh\r", [], "/tmp"),
    ("script-line-3", "echo 'echo from-script > b.txt' >> s.sh\r", [], "/tmp"),
    ("script-line-4", "echo 'cat b.txt' >> s.sh\r", [], "/tmp"),
    ("script-runs", "sh s.sh\r", [r"^hi$", r"^from-script$"], "/tmp"),
    ("script-cd-stays-in-script", "cat sub/b.txt\r", [r"^from-script$"], "/tmp"),
    ("pipeline-relative", "cat a.txt | cat | cat > p.txt\r", [], "/tmp"),
    ("pipeline-result", "cat p.txt\r", [r"^hi$"], "/tmp"),
    ("pipeline-ls", "ls sub | cat\r", [r"^b\.txt"], "/tmp"),
    ("cd-sub", "cd sub\r", [], "/tmp/sub"),
    ("dotdot", "cat ../a.txt\r", [r"^hi$"], "/tmp/sub"),
]


def scenario_shell_cwd(args):
    return run_steps("shell-cwd", args, CWD_STEPS)


SCENARIOS = [
    ("shell-cwd", scenario_shell_cwd),
]
