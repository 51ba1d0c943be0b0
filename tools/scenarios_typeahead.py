"""QEMU scenario of keys typed ahead at the shell: a command line and the
input of the program it starts sent in one piece (pasted), and a line
typed while a program runs, each of which must reach its reader whole and
in order, echoed once, whatever the timing (see docs/devices.md, Console).

testrun.py finds this module and runs its SCENARIOS; the harness's helpers
(guest, BOOT_TIMEOUT, LOG_DIR, GuestTimeout) are taken from testrun at call
time.
"""
import re


def _tr():
    import testrun
    return testrun


PROMPT = "^" + re.escape("/ # ")

# (step name, bytes sent at once, regexes expected in order, prompt follows).
# The log has no carriage returns: an echoed line and the program's copy of
# it are two lines.
TYPE_AHEAD_STEPS = [
    # The first program has the shell open its terminal in /loc and the
    # first pipe is made in /pipe, which starts locfs and pipefs (mounted
    # at their first use): their log lines come now, not between a later
    # step's lines.
    ("first-pipeline", "echo warm | cat\r", [r"^warm$"], True),
    # The shell reads raw; what follows Enter is the program's, typed before
    # it started: cat gets the line whole, echoed once.
    ("cat-gets-typed-ahead-line", "cat\rtyped ahead\r",
     [r"^typed ahead\n(\x1b\[K)?typed ahead$"], False),
    ("cat-ends", "\x04", [], True),
    ("pipeline-gets-typed-ahead-line", "cat | cat | cat\rthrough three\r",
     [r"^through three\n(\x1b\[K)?through three$"], False),
    ("pipeline-interrupted", "\x03", [r"\^C"], True),
    # A line typed while a program runs, without its Enter, is the shell's
    # next line when the program ends (drawn after its prompt, which starts
    # with a carriage return over the console's echo): Enter then runs it.
    ("line-typed-while-running", "sleep 2\recho ahead", [r"/ # echo ahead$"], False),
    ("typed-line-runs", "\r", [r"^ahead$"], True),
]


def scenario_shell_type_ahead(args):
    tr = _tr()
    name = "shell-type-ahead"
    with tr.guest(args, name, "") as g:
        g.expect(r"^Type 'help' for commands\.", tr.BOOT_TIMEOUT)
        g.expect(PROMPT, 30)
        for step, keys, patterns, prompt in TYPE_AHEAD_STEPS:
            g.send(keys)
            try:
                for p in patterns:
                    g.expect(p, 30)
                if prompt:
                    g.expect(PROMPT, 30)
            except tr.GuestTimeout:
                return False, f"failed at {step} (see {tr.LOG_DIR}/{name}.log)"
    return True, ""


SCENARIOS = [
    ("shell-type-ahead", scenario_shell_type_ahead),
]
