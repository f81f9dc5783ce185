"""`python -m bench`: every benchmark, each on its own throwaway database, one after the other.

    python -m bench                        # SQLite (a temporary file each)
    RELAYDESK_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres python -m bench
    python -m bench intake lists           # only these

Each prints its figures against its goal (docs/performance.md). Arguments after `--` go to
every benchmark, e.g. `python -m bench intake -- --size 100000`.
"""

import pkgutil
import subprocess
import sys
from pathlib import Path

NOT_BENCHMARKS = {"database", "seed", "seed_cache", "report", "__main__"}  # helpers


def benchmarks() -> list[str]:
    names = [module.name for module in pkgutil.iter_modules([str(Path(__file__).parent)])]
    return sorted(n for n in names if n not in NOT_BENCHMARKS and not n.startswith("_"))


def main() -> None:
    args = sys.argv[1:]
    passed = args[args.index("--") + 1 :] if "--" in args else []
    chosen = args[: args.index("--")] if "--" in args else args
    known = benchmarks()
    unknown = sorted(set(chosen) - set(known))
    if unknown:
        raise SystemExit(f"no benchmark {', '.join(unknown)}; there are: {', '.join(known)}")
    failed = []
    for name in chosen or known:
        print(f"\n[bench] python -m bench.{name} {' '.join(passed)}".rstrip(), flush=True)
        if subprocess.run([sys.executable, "-m", f"bench.{name}", *passed], check=False).returncode:
            failed.append(name)
    if failed:
        raise SystemExit(f"failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
