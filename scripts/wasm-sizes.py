#!/usr/bin/env python3
"""Code bytes per function of a wasm file with a names section, grouped by crate or by name.

    python3 scripts/wasm-sizes.py FILE.wasm [--by crate|fn] [--top N] [--diff OTHER.wasm]

twiggy 0.7 refuses wasm-bindgen 0.2.130's output ("should not parse the same key into
multiple items"); this reads only the code and name sections, which is what the size
questions need. Build with names: scripts/build-worker.sh strips them, so run wasm-opt
with --debuginfo on wasm-bindgen's output (see docs/benchmarks.md).
"""
import re
import sys
from collections import Counter


def leb(data, i):
    result = shift = 0
    while True:
        b = data[i]
        i += 1
        result |= (b & 0x7F) << shift
        shift += 7
        if b < 0x80:
            return result, i


def functions(path):
    data = open(path, "rb").read()
    i = 8
    imports = 0
    bodies = []
    names = {}
    while i < len(data):
        sid = data[i]
        size, i = leb(data, i + 1)
        end = i + size
        if sid == 2:  # imports: count imported functions (they share the index space)
            n, j = leb(data, i)
            for _ in range(n):
                for _ in range(2):
                    ln, j = leb(data, j)
                    j += ln
                kind = data[j]
                j += 1
                if kind == 0:
                    imports += 1
                    _, j = leb(data, j)
                elif kind == 1:
                    j += 1
                    flags, j = leb(data, j)
                    _, j = leb(data, j)
                    if flags & 1:
                        _, j = leb(data, j)
                elif kind == 2:
                    flags, j = leb(data, j)
                    _, j = leb(data, j)
                    if flags & 1:
                        _, j = leb(data, j)
                elif kind == 3:
                    j += 2
                elif kind == 4:
                    j += 1
                    _, j = leb(data, j)
        elif sid == 10:
            n, j = leb(data, i)
            for _ in range(n):
                ln, j = leb(data, j)
                bodies.append(ln)
                j += ln
        elif sid == 0:
            ln, j = leb(data, i)
            name = data[j:j + ln].decode()
            j += ln
            if name == "name":
                while j < end:
                    sub = data[j]
                    sl, j = leb(data, j + 1)
                    if sub == 1:
                        n, k = leb(data, j)
                        for _ in range(n):
                            idx, k = leb(data, k)
                            nl, k = leb(data, k)
                            names[idx] = data[k:k + nl].decode(errors="replace")
                            k += nl
                    j += sl
        i = end
    return {names.get(imports + n, f"func[{imports + n}]"): size for n, size in enumerate(bodies)}


def key(name, by):
    if by == "fn":
        return re.sub(r"::h[0-9a-f]{16}$", "", name)
    # The crate a function belongs to: the first path segment inside the outermost `<...>` impl,
    # else the leading one.
    m = re.match(r"<?&?(?:mut )?(?:dyn )?([A-Za-z0-9_]+)::", name)
    return m.group(1) if m else name.split("::")[0]


def grouped(path, by):
    out = Counter()
    for name, size in functions(path).items():
        out[key(name, by)] += size
    return out


def main(argv):
    path = argv[1]
    by = argv[argv.index("--by") + 1] if "--by" in argv else "crate"
    top = int(argv[argv.index("--top") + 1]) if "--top" in argv else 30
    now = grouped(path, by)
    if "--diff" in argv:
        base = grouped(argv[argv.index("--diff") + 1], by)
        rows = sorted(((now[k] - base[k], k) for k in set(now) | set(base)), reverse=True)
        rows = rows[:top] + rows[-top // 3:]
        print(f"total code: {sum(now.values())} vs {sum(base.values())} ({sum(now.values()) - sum(base.values()):+d})")
        for delta, k in rows:
            if delta:
                print(f"{delta:+8d}  {k[:150]}")
    else:
        print(f"total code: {sum(now.values())}")
        for k, size in now.most_common(top):
            print(f"{size:8d}  {k[:150]}")


if __name__ == "__main__":
    main(sys.argv)
