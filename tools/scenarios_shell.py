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
    ("relative-program", "cp /app/hello ../h2; ../h2 rel\r", [r'^argv\[1\] = "rel"$'],
     "/tmp/sub"),
]


def scenario_shell_cwd(args):
    return run_steps("shell-cwd", args, CWD_STEPS)




# ; && || and the redirections 2> 2>> 2>&1 < with pipes.
LIST_STEPS = [
    ("cd", "cd /tmp\r", [], "/tmp"),
    ("seq", "echo one; echo two\r", [r"^one$", r"^two$"], "/tmp"),
    ("and-runs", "echo a && echo and-ran\r", [r"^and-ran$"], "/tmp"),
    ("and-skips-or-runs", "cat /nothere && echo wrong || echo or-ran\r",
     [r"^cat: /nothere", r"^or-ran$"], "/tmp"),
    ("or-skips", "echo ok || echo wrong; echo s=$?\r", [r"^ok$", r"^s=0$"], "/tmp"),
    ("status-in-list", "cat /nothere; echo s=$?\r", [r"^s=1$"], "/tmp"),
    ("syntax-error", "echo a &&\r", [r"^sh: missing command after &&$"], "/tmp"),
    ("stderr-to-file", "cat /nothere 2> err.txt\r", [], "/tmp"),
    ("stderr-file", "cat err.txt; echo s=$?\r", [r"^cat: /nothere", r"^s=0$"], "/tmp"),
    ("stderr-append", "cat /nothere2 2>> err.txt; cat err.txt\r",
     [r"^cat: /nothere[^2]", r"^cat: /nothere2"], "/tmp"),
    ("both-to-file", "cat /nothere3 > all.txt 2>&1; echo s=$?\r", [r"^s=1$"], "/tmp"),
    ("both-file", "cat all.txt\r", [r"^cat: /nothere3"], "/tmp"),
    ("in-and-pipe", "echo piped > in.txt; cat < in.txt | cat > out.txt; cat out.txt\r",
     [r"^piped$"], "/tmp"),
    ("stderr-in-pipeline", "cat /nothere4 2>&1 | cat > p.txt; cat p.txt\r",
     [r"^cat: /nothere4"], "/tmp"),
]


def scenario_shell_lists(args):
    return run_steps("shell-lists", args, LIST_STEPS)


# Quoting, globbing, variables, the environment programs get, $PATH and ~.
WORD_STEPS = [
    ("cd", "cd /tmp\r", [], "/tmp"),
    ("quoting", "echo 'a  b' \"c $? d\" \\$HOME x\\ y '$?'\r", [r"^a  b c 0 d \$HOME x y \$\?$"],
     "/tmp"),
    ("glob-setup", "touch g1.c g2.c g3.h\r", [], "/tmp"),
    ("glob-star", "echo g*.c\r", [r"^g1\.c g2\.c$"], "/tmp"),
    ("glob-question", "echo g?.h\r", [r"^g3\.h$"], "/tmp"),
    ("glob-bracket", "echo g[13].*\r", [r"^g1\.c g3\.h$"], "/tmp"),
    ("glob-quoted", "echo 'g*.c' \"g?.h\" g\\*\r", [r"^g\*\.c g\?\.h g\*$"], "/tmp"),
    ("glob-no-match", "echo nomatch*\r", [r"^nomatch\*$"], "/tmp"),
    ("glob-path", "ls /data/*.txt\r", [r"/data/hello\.txt"], "/tmp"),
    ("var-set", "X=hello; echo $X ${X}!\r", [r"^hello hello!$"], "/tmp"),
    ("var-not-exported", "env X; echo s=$?\r", [r"^s=1$"], "/tmp"),
    ("export", "export X; env X\r", [r"^hello$"], "/tmp"),
    ("export-assign", "export Z='z z'; env | cat\r", [r"^Z=z z$"], "/tmp"),
    ("env-for-one", "Y=once env Y\r", [r"^once$"], "/tmp"),
    ("env-for-one-only", "env Y; echo s=$?\r", [r"^s=1$"], "/tmp"),
    ("unset", "unset X; echo [$X]\r", [r"^\[\]$"], "/tmp"),
    ("home", "export HOME=/tmp/h; mkdir ~; echo ~ ~/x\r", [r"^/tmp/h /tmp/h/x$"], "/tmp"),
    ("cd-home", "cd; pwd\r", [r"^/tmp/h$"], "/tmp/h"),
    ("path-default", "echo $PATH\r", [r"^/app$"], "/tmp/h"),
    ("path-own-dir", "mkdir /tmp/bin; cp /app/hello /tmp/bin/greet\r", [], "/tmp/h"),
    ("path-not-yet", "greet\r", [r"^sh: greet: not found$"], "/tmp/h"),
    ("path-found", "PATH=/app:/tmp/bin; greet hi\r", [r'argv\[1\] = "hi"'], "/tmp/h"),
    ("tab-from-path", "gree\t", [r"/tmp/h # greet "], None),
    ("tab-line-dropped", "\x03", [r"\^C"], "/tmp/h"),
    ("path-cwd-entry", "cd /tmp/bin; PATH=/app:; greet cwd; cd /tmp/h\r",
     [r'^argv\[1\] = "cwd"$'], "/tmp/h"),
    ("path-empty", "PATH=/nowhere; echo x\r", [r"^sh: echo: not found$"], "/tmp/h"),
    ("path-back", "PATH=/app; echo back\r", [r"^back$"], "/tmp/h"),
]


def scenario_shell_words(args):
    return run_steps("shell-words", args, WORD_STEPS)


# Background jobs: the prompt comes back at once, Ctrl-C reaches only the
# foreground, jobs lists, wait and fg collect.
JOB_STEPS = [
    ("bg-start", "sleep 60 &\r", [r"^\[1\] \d+$"], "/"),
    ("bg-prompt-at-once", "echo still here\r", [r"^still here$"], "/"),
    ("jobs", "jobs\r", [r"^\[1\] Running  sleep 60$"], "/"),
    ("ctrl-c-at-prompt", "\x03", [r"\^C"], "/"),
    ("fg-program", "sleep 60\r", [], None),
    ("ctrl-c-kills-foreground", "\x03", [r"killed"], "/"),
    ("job-survives", "jobs\r", [r"^\[1\] Running  sleep 60$"], "/"),
    ("bg-second", "hello from-bg &\r", [r"^\[2\] \d+$"], "/"),
    ("wait-one", "wait %2; echo w=$?\r", [r"^w=0$"], "/"),
    ("bg-failing", "cat /nothere &\r", [r"^\[2\] \d+$"], "/"),
    ("wait-status", "wait %2; echo w=$?\r", [r"^w=1$"], "/"),
    ("fg", "fg\r", [r"^sleep 60$"], None),
    ("ctrl-c-after-fg", "\x03", [r"killed"], "/"),
    ("fg-status", "echo s=$?; jobs; echo no-jobs\r", [r"^s=130$", r"^no-jobs$"], "/"),
    ("fg-none", "fg\r", [r"^sh: fg: no jobs$"], "/"),
    ("wait-none", "wait; echo w=$?\r", [r"^w=0$"], "/"),
    ("bg-in-list", "sleep 60 & echo after\r", [r"^\[1\] \d+$", r"^after$"], "/"),
]


def scenario_shell_jobs(args):
    return run_steps("shell-jobs", args, JOB_STEPS)


HOME_KEYS = ["\x1b[H", "\x1b[1~", "\x1bOH"]
END_KEYS = ["\x1b[F", "\x1b[4~", "\x1bOF"]

# Line editing at the prompt.
EDIT_STEPS = [
    ("ctrl-u", "garbage here\x15hello u\r", [r'^argv\[1\] = "u"$'], "/"),
    ("ctrl-w", "hello one two\x17three\r", [r'^argv\[1\] = "one"$', r'^argv\[2\] = "three"$'],
     "/"),
] + [
    (f"home-end-{i}", "ello a" + HOME_KEYS[i] + "h" + END_KEYS[i] + "b\r",
     [r'^argv\[1\] = "ab"$'], "/") for i in range(3)
] + [
    ("blank-not-in-history", "   \r", [], "/"),
    ("history-skips-blank", "\x1b[A\r", [r'^argv\[1\] = "ab"$'], "/"),
    ("long-word-whole", "echo " + "y" * 300 + "\r", [r"^" + "y" * 300 + "$"], "/"),
    ("ctrl-l", "hello cl\x0c", [r"\x1b\[H\x1b\[2J/ # hello cl"], None),
    ("ctrl-l-line-kept", "\r", [r'^argv\[1\] = "cl"$'], "/"),
    ("clear", "clear\r", [r"\x1b\[H\x1b\[2J/ # "], None),
    ("help", "help\r", [r"a && b", r"2>&1", r"Ctrl-U"], "/"),
]


def type_chunks(g, keys, chunk=16):
    """Types @keys a few bytes at a time (long lines)."""
    for i in range(0, len(keys), chunk):
        g.send(keys[i:i + chunk])
        time.sleep(0.03)


def scenario_shell_editing(args):
    ok, detail = run_steps("shell-editing", args, EDIT_STEPS)
    if not ok:
        return ok, detail
    tr = _tr()
    # Typing past the longest line is refused, and the line does not run.
    with tr.guest(args, "shell-overlong", "") as g:
        tr.wait_shell_prompt(g)
        time.sleep(0.1)
        type_chunks(g, "echo " + "z" * 1100)
        g.expect(r"^sh: a line holds at most 1024 characters; this one will not run$", 60)
        tr.type_keys(g, "\r")
        g.expect(r"^sh: line longer than 1024 characters: not run$", 30)
        g.expect(prompt_re("/"), 30)
        tr.type_keys(g, "echo s=$?\r")
        g.expect(r"^s=2$", 30)
        if re.search(r"^z{100}", g.output, re.M):
            return False, "the overlong line ran"
    return True, ""


def vga_shows(tr, g, want, marker):
    """Waits until the VGA screen has every row of @want and exactly one row
    holding @marker (the console draws asynchronously); (whether it did,
    the last rows seen)."""
    rows = []
    for _ in range(50):
        rows = tr.vga_screen_rows(g)
        if sum(marker in r for r in rows) == 1 and all(w in rows for w in want):
            return True, rows
        time.sleep(0.2)
    return False, rows


def scenario_shell_wrap(args):
    """A line longer than the 80-column screen wraps onto the next row and
    is drawn once: typing at its end echoes only the character, and an edit
    in its middle redraws it from the prompt's row (checked on the VGA
    screen, which shows the console)."""
    tr = _tr()
    with tr.guest(args, "shell-wrap", "", monitor=True) as g:
        tr.wait_shell_prompt(g)
        start = len(g.output)
        tr.type_keys(g, "hello " + "x" * 90)
        time.sleep(0.5)
        if "/ # " in g.output[start:]:
            return False, "the prompt was printed again while typing at the end"
        steps = [("after typing", ["/ # hello " + "x" * 70, "x" * 20], "/ # hello"),
                 ("after Home", ["/ # echo hello " + "x" * 65, "x" * 25], "# ")]
        for i, (when, want, marker) in enumerate(steps):
            if i == 1:
                tr.type_keys(g, "\x1b[Hecho ")
            ok, rows = vga_shows(tr, g, want, marker)
            if not ok:
                return False, f"VGA {when}: " + " | ".join(r for r in rows if r)
        tr.type_keys(g, "\r")
        g.expect(r"^hello " + "x" * 90 + "$", 30)
        g.expect(prompt_re("/"), 30)
    return True, ""


def shell_step(tr, g, keys, patterns, cwd="/"):
    """Types @keys, expects @patterns in order, then the prompt in @cwd."""
    time.sleep(0.1)
    tr.type_keys(g, keys)
    for p in patterns:
        g.expect(p, 30)
    g.expect(prompt_re(cwd), 30)


# (keys, regexes expected in order); each step ends at the prompt in /.
PRIV_STEPS = [
    ("tasktest --child hardware\r", [r"^hardware: physmem EPERM, io EPERM, irq EPERM$"]),
    ("echo hw-$?\r", [r"^hw-1$"]),
    ("priv tasktest --child hardware\r", [r"^hardware: physmem EOK, io EOK, irq EOK$"]),
    ("echo hw-$?\r", [r"^hw-0$"]),
    ("tasktest --child perms; echo perms-$?\r", [r"^perms-0$"]),
    ("priv tasktest --child perms; echo perms-$?\r", [r"^perms-127$"]),  # PERM_ALL, debug and net included
    ("priv tasktest --child perms | cat; echo piped-$?\r", [r"^piped-0$"]),
    ("halt\r", [r"^halt: not permitted; `priv halt` runs it with the shell's permissions$"]),
    ("echo halt-$?\r", [r"^halt-1$"]),
    ("priv\r", [r"^sh: usage: priv COMMAND \[ARGUMENTS...\]"]),
    ("echo usage-$?\r", [r"^usage-2$"]),
    ("priv cd /tmp\r", [r"^sh: priv: cd is a builtin: it runs in the shell$"]),
    ("priv nosuch\r", [r"^sh: nosuch: not found$"]),
    # ps -l: the shell holds every permission, the programs it runs none,
    # with half the shell's task quota (init's children have 512).
    ("ps -l\r", [r"^\s+ID NAME\s+TASKS\s+THREADS\s+CAPS\s+MEM-KiB\s+CALLS PERMS$",
                 r"^\s*\d+ sh\s+\d+/512\s+\d+/1024\s+\d+/16384\s+\d+/-\s+\d+/4096 "
                 r"physmem,io,irq,task,ipclog,net$",
                 r"^\s*\d+ ps\s+0/256\s+1/1024\s+\d+/16384\s+\d+/-\s+\d+/4096 -$"]),
]


def scenario_shell_priv(args):
    """A program typed at the prompt holds no permission: it gets EPERM for
    physical memory, ports and IRQs, cannot kill a server or halt; `priv`
    gives it the shell's, for one program of a line or a pipeline."""
    tr = _tr()
    with tr.guest(args, "shell-priv", "") as g:
        tr.wait_shell_prompt(g)
        try:
            for keys, patterns in PRIV_STEPS:
                shell_step(tr, g, keys, patterns)
            shell_step(tr, g, "ps\r", [])
            logger = re.findall(r"^\s*(\d+)\s+\d+\s+logger\s", g.output, re.MULTILINE)[-1]
            shell_step(tr, g, f"kill {logger}\r",
                       [rf"^kill: {logger}: EPERM: operation not permitted; "
                        rf"`priv kill {logger}` uses the shell's permissions$"])
            shell_step(tr, g, "echo kill-$?\r", [r"^kill-1$"])
            shell_step(tr, g, "ps\r", [rf"^\s*{logger}\s+\d+\s+logger\s"])
        except (tr.GuestTimeout, IndexError) as e:
            return False, f"{e} (see {tr.LOG_DIR}/shell-priv.log)"
    return True, ""


SCENARIOS = [
    ("shell-priv", scenario_shell_priv),
    ("shell-cwd", scenario_shell_cwd),
    ("shell-lists", scenario_shell_lists),
    ("shell-words", scenario_shell_words),
    ("shell-jobs", scenario_shell_jobs),
    ("shell-editing", scenario_shell_editing),
    ("shell-wrap", scenario_shell_wrap),
]
