#!/usr/bin/env python3
"""GPU placement check for curator-desktop, run on a GPU machine that has Python but no Node.

It runs the bundle made by test/gpu/pack.sh (.device/: app/ and node.xz) and checks:

  1. `curator gpus --json` agrees with nvidia-smi (count, UUIDs, names, memory).
  2. Two workers asking for ~40% of the smallest GPU's memory share one device, and a CPU
     stage's workers see an empty CUDA_VISIBLE_DEVICES.
  3. A stage asking for more GPUs than the machine has is refused before the run (exit 2).
  4. Every worker sees exactly the CUDA_VISIBLE_DEVICES it was allocated, and so do the programs
     it starts; with PyTorch present, GPU workers count 1 CUDA device and CPU workers 0.
  5. The host's CUDA_VISIBLE_DEVICES (an index, then a UUID) limits `curator gpus` to that device.

--dry-run runs everything except the PyTorch check on a machine without a GPU: two fake 80 GB
GPUs through CURATOR_FAKE_GPUS and a fake nvidia-smi first on PATH that reports the same devices.

Standard library only. Prints one PASS/FAIL/SKIP line per check and `N passed, M failed`; exits
1 when a check failed, 2 when the bundle is unusable. With OUT set, writes $OUT/gpu-check.json.
"""

from __future__ import annotations

import argparse
import json
import lzma
import os
import platform
import shutil
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

FAKE_GPUS = [
    {"name": "Fake H100 80GB HBM3", "memory_gb": 80, "uuid": "GPU-fake-0000-0"},
    {"name": "Fake H100 80GB HBM3", "memory_gb": 80, "uuid": "GPU-fake-0000-1"},
]

SMI_QUERY = ["--query-gpu=index,uuid,name,memory.total", "--format=csv,noheader,nounits"]

# The fake nvidia-smi of the dry run: answers any --query-gpu for the devices in CURATOR_FAKE_GPUS.
FAKE_NVIDIA_SMI = r'''#!{python}
import json, os, sys
gpus = json.loads(os.environ.get("CURATOR_FAKE_GPUS") or "[]")
query = next((a.split("=", 1)[1] for a in sys.argv[1:] if a.startswith("--query-gpu=")), None)
if query is None:
    print("fake nvidia-smi for the curator GPU check (dry run)")
    sys.exit(0)
for i, g in enumerate(gpus):
    values = {{
        "index": str(i),
        "uuid": g.get("uuid", "GPU-fake-0000-%d" % i),
        "name": g.get("name", "Fake GPU %d" % i),
        "memory.total": str(round(g["memory_gb"] * 1024)),
        "memory.used": "0",
        "memory.free": str(round(g["memory_gb"] * 1024)),
        "utilization.gpu": "0",
        "driver_version": "999.99",
    }}
    print(", ".join(values.get(f.strip(), "[N/A]") for f in query.split(",")))
'''

TORCH_COUNT = "import torch; print(torch.cuda.device_count())"
PRINT_CVD = 'import os; print(os.environ.get("CUDA_VISIBLE_DEVICES", "unset"))'


class BundleError(Exception):
    """The bundle is missing or cannot run; nothing can be checked."""


class Checker:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.dry_run: bool = args.dry_run
        self.results: list[dict[str, Any]] = []
        self.report: dict[str, Any] = {
            "mode": "dry-run" if self.dry_run else "device",
            "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "host": {"platform": platform.platform(), "python": sys.version.split()[0]},
            "host_cuda_visible_devices": os.environ.get("CUDA_VISIBLE_DEVICES"),
            "runs": {},
        }
        self.work = Path(tempfile.mkdtemp(prefix="curator-gpu-check-"))
        self.node = ""
        self.cli = ""
        self.env: dict[str, str] = {}
        self.gpus: list[dict[str, Any]] = []

    # ----- setup -------------------------------------------------------------------------------

    def prepare(self) -> None:
        bundle = Path(self.args.bundle).resolve() if self.args.bundle else default_bundle()
        self.report["bundle"] = str(bundle)
        node_xz, app = bundle / "node.xz", bundle / "app"
        for needed in (node_xz, app / "cli.js", app / "worker-main.js"):
            if not needed.exists():
                raise BundleError(f"{needed} is missing; build the bundle with `bash test/gpu/pack.sh`")
        bin_dir = self.work / "bin"
        bin_dir.mkdir()
        node = bin_dir / "node"
        t0 = time.monotonic()
        with lzma.open(node_xz) as src, open(node, "wb") as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
        node.chmod(node.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
        # A copy of app/ outside the repository: only the bundle itself can be used.
        shutil.copytree(app, self.work / "app")
        self.node, self.cli = str(node), str(self.work / "app" / "cli.js")

        env = dict(os.environ)
        env.pop("CUDA_VISIBLE_DEVICES", None)
        env.pop("CURATOR_FAKE_GPUS", None)
        env.pop("NODE_OPTIONS", None)
        env.pop("NODE_PATH", None)
        path = [str(bin_dir)]
        if self.dry_run:
            fake_bin = self.work / "fake-bin"
            fake_bin.mkdir()
            smi = fake_bin / "nvidia-smi"
            smi.write_text(FAKE_NVIDIA_SMI.format(python=sys.executable))
            smi.chmod(0o755)
            path.insert(0, str(fake_bin))
            env["CURATOR_FAKE_GPUS"] = json.dumps(FAKE_GPUS)
        env["PATH"] = os.pathsep.join(path + [env.get("PATH", "")])
        self.env = env

        version = subprocess.run([self.node, "--version"], capture_output=True, text=True, env=env)
        if version.returncode != 0:
            raise BundleError(f"the carried node does not run here: {version.stderr.strip() or version.returncode}")
        cli_version = self.curator(["--version"])
        if cli_version.returncode != 0:
            raise BundleError(f"the bundled CLI does not start: {cli_version.stderr.strip()}")
        self.report["node_version"] = version.stdout.strip()
        self.report["curator_version"] = cli_version.stdout.strip()
        print(f"node {version.stdout.strip()} unpacked in {time.monotonic() - t0:.1f} s; curator {cli_version.stdout.strip()}; "
              f"mode: {self.report['mode']}; work folder {self.work}")
        if self.report["host_cuda_visible_devices"] is not None:
            print(f"note: the host's CUDA_VISIBLE_DEVICES={self.report['host_cuda_visible_devices']!r} is unset for the checks")

    def cleanup(self) -> None:
        if self.args.keep:
            print(f"kept {self.work}")
        else:
            shutil.rmtree(self.work, ignore_errors=True)

    # ----- helpers -----------------------------------------------------------------------------

    def curator(self, args: list[str], env: dict[str, str] | None = None, timeout: float | None = None) -> subprocess.CompletedProcess[str]:
        try:
            return subprocess.run([self.node, self.cli, *args], cwd=self.work, env=env or self.env, capture_output=True, text=True,
                                  timeout=timeout or self.args.timeout)
        except subprocess.TimeoutExpired as e:
            out = e.stdout.decode() if isinstance(e.stdout, bytes) else (e.stdout or "")
            err = e.stderr.decode() if isinstance(e.stderr, bytes) else (e.stderr or "")
            return subprocess.CompletedProcess(e.cmd, 124, out, err + f"\n(timed out after {e.timeout} s)")

    def gpus_json(self, env: dict[str, str] | None = None) -> dict[str, Any]:
        r = self.curator(["gpus", "--json"], env=env)
        if r.returncode != 0:
            raise AssertionError(f"`curator gpus --json` exited {r.returncode}: {tail(r.stderr)}")
        return json.loads(last_line(r.stdout))

    def run_pipeline(self, key: str, stages: list[dict[str, Any]]) -> tuple[subprocess.CompletedProcess[str], list[dict[str, Any]]]:
        """Writes a pipeline file whose last stage is a JsonlWriter to ./out-<key>, runs it, returns the records."""
        out_dir = self.work / f"out-{key}"
        shutil.rmtree(out_dir, ignore_errors=True)
        pipeline = {
            "name": f"gpu-check-{key}",
            "stages": [*stages, {"stage": "JsonlWriter", "params": {"path": f"./out-{key}"}}],
            "executor": {"backend": "xenna", "config": {"execution_mode": "streaming"}},
        }
        file = self.work / f"{key}.json"
        file.write_text(json.dumps(pipeline, indent=2))
        t0 = time.monotonic()
        r = self.curator(["run", str(file), "--json"])
        records: list[dict[str, Any]] = []
        if out_dir.is_dir():
            for f in sorted(out_dir.glob("*.jsonl")):
                records.extend(json.loads(line) for line in f.read_text().splitlines() if line.strip())
        summary: Any = None
        try:
            summary = json.loads(last_line(r.stdout))
        except ValueError:
            pass
        self.report["runs"][key] = {
            "pipeline": pipeline,
            "exit": r.returncode,
            "seconds": round(time.monotonic() - t0, 2),
            "summary": summary,
            "stderr_tail": tail(r.stderr, 4000),
            "records": len(records),
            "sample_records": [strip_text(x) for x in records[:4]],
        }
        return r, records

    def record(self, check_id: str, title: str, status: str, detail: str, data: Any = None) -> None:
        self.results.append({"id": check_id, "title": title, "status": status, "detail": detail, **({"data": data} if data is not None else {})})
        print(f"{status:<4} [{check_id}] {title}: {detail}", flush=True)

    def check(self, check_id: str, title: str, fn: Callable[[], str | tuple[str, str]]) -> None:
        """Runs fn; a returned string is a PASS detail, ("SKIP", why) a skip, an AssertionError a FAIL."""
        try:
            result = fn()
        except AssertionError as e:
            self.record(check_id, title, "FAIL", str(e))
            return
        except Exception as e:  # an unexpected crash of the check itself is a failure too
            self.record(check_id, title, "FAIL", f"{type(e).__name__}: {e}")
            return
        if isinstance(result, tuple):
            self.record(check_id, title, result[0], result[1])
        else:
            self.record(check_id, title, "PASS", result)

    def probe_stages(self, command: list[str] | None = None, timeout_s: float = 60) -> list[dict[str, Any]]:
        """SyntheticDocuments → EnvProbe on GPUs (2 workers sharing ~40% each) → EnvProbe on CPUs (fields cpu_probe_*)."""
        require(bool(self.gpus), "no GPU was found, so nothing can be placed")
        smallest_mb = min(g["memory_total_mb"] for g in self.gpus)
        memory_gb = round(0.4 * smallest_mb / 1024, 1)
        extra: dict[str, Any] = {"command": command, "command_timeout_s": timeout_s} if command else {}
        return [
            {"stage": "SyntheticDocuments", "params": {"num_tasks": 8, "docs_per_task": 2, "chars_per_doc": 40}},
            {"stage": "EnvProbe", "name": "gpu_probe", "resources": {"cpus": 1, "gpu_memory_gb": memory_gb}, "num_workers": 2,
             "batch_size": 1, "params": {"sleep_ms_per_task": 300, **extra}},
            {"stage": "EnvProbe", "name": "cpu_probe", "resources": {"cpus": 1}, "params": {"field_prefix": "cpu_probe_", **extra}},
        ]

    # ----- the checks --------------------------------------------------------------------------

    def check_inventory(self) -> str:
        smi = subprocess.run(["nvidia-smi", *SMI_QUERY], capture_output=True, text=True, env=self.env, timeout=60)
        require(smi.returncode == 0, f"nvidia-smi exited {smi.returncode}: {tail(smi.stderr or smi.stdout)}")
        expected = [parse_smi_line(line) for line in smi.stdout.splitlines() if line.strip()]
        self.report["nvidia_smi"] = expected
        got = self.gpus_json()
        self.report["curator_gpus"] = got
        self.gpus = got.get("gpus", [])
        source = got.get("probe", {}).get("source")
        want_source = "fake" if self.dry_run else "nvidia-smi"
        problems = []
        if source != want_source:
            problems.append(f"probe source is {source!r}, expected {want_source!r}")
        if len(self.gpus) != len(expected):
            problems.append(f"curator lists {len(self.gpus)} GPUs, nvidia-smi {len(expected)} (probe: {got.get('probe')})")
        for e, g in zip(expected, self.gpus):
            for key, theirs in (("index", "index"), ("uuid", "uuid"), ("name", "name"), ("memory_total_mb", "memory_total_mb")):
                if e[key] != g.get(theirs):
                    problems.append(f"GPU {e['index']}: {key} is {g.get(theirs)!r} in curator, {e[key]!r} in nvidia-smi")
        require(not problems, "; ".join(problems))
        require(bool(expected), "nvidia-smi lists no GPU")
        return f"{len(expected)} GPU(s) agree: " + "; ".join(f"{g['index']}: {g['name']}, {g['uuid']}, {g['memory_total_mb']} MiB" for g in expected)

    def check_sharing(self) -> str:
        stages = self.probe_stages()
        r, records = self.run_pipeline("placement", stages)
        self.placement_records = records
        require(r.returncode == 0, f"the run exited {r.returncode}: {tail(r.stderr)}")
        require(len(records) == 16, f"expected 16 output records, got {len(records)}")
        workers = sorted({x["probe_worker_id"] for x in records})
        seen = sorted({str(x["probe_cuda_visible_devices"]) for x in records})
        uuids = {g["uuid"] for g in self.gpus}
        require(len(workers) == 2, f"expected records from 2 GPU workers, got {workers}")
        require(len(seen) == 1, f"the GPU workers saw different CUDA_VISIBLE_DEVICES: {seen}")
        device = seen[0]
        require("," not in device and device in uuids, f"the GPU workers' CUDA_VISIBLE_DEVICES {device!r} is not one device UUID of {sorted(uuids)}")
        fractions = sorted({x["probe_allocation"]["gpu_fraction"] for x in records})
        require(all(0 < f <= 0.5 for f in fractions), f"unexpected gpu_fraction {fractions}")
        cpu_seen = sorted({repr(x["cpu_probe_cuda_visible_devices"]) for x in records})
        require(cpu_seen == ["''"], f"the CPU stage's workers saw CUDA_VISIBLE_DEVICES {cpu_seen}, expected ''")
        pids = sorted({x["probe_pid"] for x in records})
        require(len(pids) == 2, f"expected 2 GPU worker processes, got pids {pids}")
        memory_gb = stages[1]["resources"]["gpu_memory_gb"]
        return f"workers {', '.join(workers)} (gpu_memory_gb {memory_gb}, fraction {fractions[0]}) both saw {device}; cpu_probe saw ''"

    def check_refusal(self) -> str:
        require(bool(self.gpus), "no GPU was found")
        wanted = len(self.gpus) + 1
        stages = [
            {"stage": "SyntheticDocuments", "params": {"num_tasks": 1, "docs_per_task": 1}},
            {"stage": "EnvProbe", "name": "too_many_gpus", "resources": {"gpus": wanted}},
        ]
        r, records = self.run_pipeline("refusal", stages)
        require(r.returncode == 2, f"expected exit 2, got {r.returncode}: {tail(r.stderr)}")
        require("too_many_gpus" in r.stderr, f"stderr does not name the stage: {tail(r.stderr)}")
        require(not (self.work / "out-refusal").exists() and not records, "the refused run wrote output")
        return f"gpus {wanted} refused with exit 2: {first_line(r.stderr)}"

    def check_exact_visibility(self) -> str:
        records = getattr(self, "placement_records", None)
        require(bool(records), "no records from check 2's run")
        problems, n = [], 0
        for x in records:
            for prefix in ("probe_", "cpu_probe_"):
                want = ",".join(x[prefix + "allocation"]["gpu_devices"])
                if x[prefix + "cuda_visible_devices"] != want:
                    problems.append(f"{x[prefix + 'worker_id']} saw {x[prefix + 'cuda_visible_devices']!r}, was given {want!r}")
                n += 1
        require(not problems, "; ".join(sorted(set(problems))))
        return f"{n} observations: each worker's CUDA_VISIBLE_DEVICES equals its allocation's UUIDs"

    def check_child_visibility(self) -> str:
        stages = self.probe_stages([sys.executable, "-c", PRINT_CVD])
        r, records = self.run_pipeline("child-env", stages)
        require(r.returncode == 0, f"the run exited {r.returncode}: {tail(r.stderr)}")
        require(bool(records), "the run wrote no records")
        problems = []
        for x in records:
            for prefix in ("probe_", "cpu_probe_"):
                if x[prefix + "command_output"] != x[prefix + "cuda_visible_devices"]:
                    problems.append(f"{x[prefix + 'worker_id']}: child saw {x[prefix + 'command_output']!r}, worker {x[prefix + 'cuda_visible_devices']!r}")
        require(not problems, "; ".join(sorted(set(problems))))
        return "a program started by each worker sees the worker's CUDA_VISIBLE_DEVICES"

    def check_torch(self) -> str | tuple[str, str]:
        if self.dry_run:
            return ("SKIP", "dry run: fake GPUs cannot be counted by PyTorch")
        probe = subprocess.run([sys.executable, "-c", "import torch; print(torch.__version__, torch.version.cuda, torch.cuda.device_count())"],
                               capture_output=True, text=True, env=self.env, timeout=300)
        if probe.returncode != 0:
            return ("SKIP", f"torch does not import here ({last_line(probe.stderr) or probe.returncode})")
        self.report["torch"] = probe.stdout.strip()
        stages = self.probe_stages([sys.executable, "-c", TORCH_COUNT], timeout_s=300)
        r, records = self.run_pipeline("torch", stages)
        require(r.returncode == 0, f"the run exited {r.returncode}: {tail(r.stderr)}")
        require(bool(records), "the run wrote no records")
        gpu_counts = sorted({x["probe_command_output"] for x in records})
        cpu_counts = sorted({x["cpu_probe_command_output"] for x in records})
        require(gpu_counts == ["1"] and cpu_counts == ["0"], f"torch.cuda.device_count(): GPU workers {gpu_counts}, CPU workers {cpu_counts}; expected ['1'] and ['0']")
        return f"torch {probe.stdout.strip()} (version, CUDA, host count): GPU workers count 1 device, CPU workers 0"

    def check_host_visibility(self) -> str:
        require(bool(self.gpus), "no GPU was found")
        target = self.gpus[-1]
        for value in (str(target["index"]), target["uuid"]):
            env = {**self.env, "CUDA_VISIBLE_DEVICES": value}
            got = self.gpus_json(env).get("gpus", [])
            listed = [(g["index"], g["uuid"]) for g in got]
            require(listed == [(target["index"], target["uuid"])], f"with CUDA_VISIBLE_DEVICES={value} curator lists {listed}")
        return f"CUDA_VISIBLE_DEVICES={target['index']} and ={target['uuid']} each list only GPU {target['index']} (of {len(self.gpus)})"

    def run_all(self) -> None:
        self.check("1", "curator gpus --json agrees with nvidia-smi", self.check_inventory)
        self.check("2", "two gpu_memory_gb workers share one device; CPU workers see no GPU", self.check_sharing)
        self.check("3", "a stage asking for more GPUs than exist is refused before the run", self.check_refusal)
        self.check("4a", "each worker's CUDA_VISIBLE_DEVICES is exactly its allocation", self.check_exact_visibility)
        self.check("4b", "programs a worker starts inherit its CUDA_VISIBLE_DEVICES", self.check_child_visibility)
        self.check("4c", "torch.cuda.device_count() is 1 in GPU workers and 0 in CPU workers", self.check_torch)
        self.check("5", "the host's CUDA_VISIBLE_DEVICES limits curator gpus", self.check_host_visibility)


# ----- small helpers ---------------------------------------------------------------------------

def require(condition: bool, message: str) -> None:
    if not condition:
        raise AssertionError(message)


def default_bundle() -> Path:
    here = Path(__file__).resolve().parent
    for candidate in (here, here.parent.parent / ".device", Path.cwd() / ".device"):
        if (candidate / "node.xz").exists():
            return candidate
    return here.parent.parent / ".device"


def parse_smi_line(line: str) -> dict[str, Any]:
    fields = [f.strip() for f in line.split(",")]
    if len(fields) < 4:
        raise AssertionError(f"cannot read nvidia-smi line {line!r}")
    memory = fields[-1]
    return {"index": int(fields[0]), "uuid": fields[1], "name": ", ".join(fields[2:-1]),
            "memory_total_mb": int(memory) if memory.isdigit() else memory}


def last_line(text: str) -> str:
    lines = [x for x in text.splitlines() if x.strip()]
    return lines[-1] if lines else ""


def first_line(text: str) -> str:
    lines = [x for x in text.splitlines() if x.strip()]
    return lines[0].strip() if lines else ""


def tail(text: str, n: int = 600) -> str:
    text = text.strip()
    return text if len(text) <= n else "…" + text[-n:]


def strip_text(record: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if k != "text"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--bundle", help="the folder pack.sh made (default: beside this script, else .device of the repository)")
    parser.add_argument("--dry-run", action="store_true", help="two fake 80 GB GPUs and a fake nvidia-smi; skips the PyTorch check")
    parser.add_argument("--timeout", type=float, default=300, help="seconds each curator command may take (default 300)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary work folder")
    args = parser.parse_args()

    checker = Checker(args)
    t0 = time.monotonic()
    code = 0
    try:
        try:
            checker.prepare()
            checker.run_all()
        except BundleError as e:
            print(f"FAIL [bundle] {e}")
            checker.report["bundle_error"] = str(e)
            code = 2
        passed = sum(r["status"] == "PASS" for r in checker.results)
        failed = sum(r["status"] == "FAIL" for r in checker.results) + (1 if code == 2 else 0)
        skipped = sum(r["status"] == "SKIP" for r in checker.results)
        if failed and code == 0:
            code = 1
        checker.report.update(checks=checker.results, passed=passed, failed=failed, skipped=skipped,
                              seconds=round(time.monotonic() - t0, 1), exit=code)
        out = os.environ.get("OUT")
        if out:
            Path(out).mkdir(parents=True, exist_ok=True)
            (Path(out) / "gpu-check.json").write_text(json.dumps(checker.report, indent=2, default=str))
        print(f"{passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else "") + f" ({time.monotonic() - t0:.1f} s)")
    finally:
        checker.cleanup()
    return code


if __name__ == "__main__":
    sys.exit(main())
