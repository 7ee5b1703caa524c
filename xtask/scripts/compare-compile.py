#!/usr/bin/env python3
"""Same-run compile cost of generated crates from two generator revisions.

Usage: compare-compile.py BEFORE_CHECKOUT AFTER_CHECKOUT [ROUNDS]

Each checkout must have run `cargo xtask bench-compile` once, which leaves
its generated and naive crates in `target/bench/ws/crates/`. This script puts
the BEFORE and AFTER generated crates and AFTER's naive baseline of lcic and
teo in one scratch workspace (/tmp/compare-compile), builds the shared
dependencies once, then cleans and builds each crate alone, in turn, ROUNDS
times (debug profile), and prints wall and CPU time (user + system of cargo
and rustc, from getrusage) per crate and the ratios to the baseline. CPU time
is what to compare on a loaded machine: wall time there mostly measures the
load.
"""
import os, resource, shutil, statistics, subprocess, sys, time

before, after = sys.argv[1], sys.argv[2]
rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 3
work = "/tmp/compare-compile"
shutil.rmtree(work, ignore_errors=True)
os.makedirs(f"{work}/crates")
for service in ["lcic", "teo"]:
    for name, source in [(f"before-{service}", f"{before}/target/bench/ws/crates/bench-generated-{service}"),
                         (f"after-{service}", f"{after}/target/bench/ws/crates/bench-generated-{service}"),
                         (f"naive-{service}", f"{after}/target/bench/ws/crates/bench-naive-{service}")]:
        shutil.copytree(source, f"{work}/crates/{name}")
        manifest = f"{work}/crates/{name}/Cargo.toml"
        lines = open(manifest).read().split("\n")
        lines = [f'name = "cmp-{name}"' if l.startswith("name = ") else l for l in lines]
        lines = [l.replace(f"path = \"{before}/runtime\"", f"path = \"{after}/runtime\"") for l in lines]
        open(manifest, "w").write("\n".join(lines))
open(f"{work}/Cargo.toml", "w").write('[workspace]\nresolver = "2"\nmembers = ["crates/*"]\n')
shutil.copy(f"{after}/Cargo.lock", work)
env = dict(os.environ, CARGO_TARGET_DIR=f"{work}/target")
crates = ["before-lcic", "after-lcic", "naive-lcic", "before-teo", "after-teo", "naive-teo"]
subprocess.run(["cargo", "build", "-q", "--workspace"], cwd=work, check=True, env=env)
wall = {c: [] for c in crates}
cpu = {c: [] for c in crates}
for r in range(rounds):
    for c in crates:
        subprocess.run(["cargo", "clean", "-q", "-p", f"cmp-{c}"], cwd=work, check=True, env=env)
        start, t = resource.getrusage(resource.RUSAGE_CHILDREN), time.time()
        subprocess.run(["cargo", "build", "-q", "-p", f"cmp-{c}"], cwd=work, check=True, env=env)
        end = resource.getrusage(resource.RUSAGE_CHILDREN)
        wall[c].append(time.time() - t)
        cpu[c].append(end.ru_utime - start.ru_utime + end.ru_stime - start.ru_stime)
        print(r, c, f"{wall[c][-1]:.2f}", f"{cpu[c][-1]:.2f}", flush=True)
print("crate | wall median (s) | CPU median (s)")
for c in crates:
    print(f"{c} | {statistics.median(wall[c]):.2f} | {statistics.median(cpu[c]):.2f}")
for service in ["lcic", "teo"]:
    naive = statistics.median(cpu[f"naive-{service}"])
    for side in ["before", "after"]:
        print(f"{service} {side}: CPU ratio {statistics.median(cpu[f'{side}-{service}']) / naive:.2f}")
