#!/usr/bin/env python3
"""Build company eval sets from the IETF affiliation mapping dictionary.

usage: ietf.py SOURCE OUTDIR

SOURCE is glasgow-ipl/ietfdata's ietfdata/tools/affiliation_mapping_dictionary.py
(measured at commit 37d8b30430ee303774c308de4ac9d2e17af7a76b; at least its first 144,000
characters). OUTDIR receives ietf_small (the first 16,000 characters) and ietf_big (the
first 144,000), each in the examples/match contract that score.py scores (directory.csv,
queries.csv, truth.csv, kind; python3 ../shared/eval/score.py --root OUTDIR from the
project's root). The data is not in the repository:
its licence was not checked.

The file is a Python dict `"affiliation as written": ["canonical", ...]`.

Rules (deterministic):
  * cut the text at N characters; keep only entries whose key line and value
    line are both complete inside the cut;
  * keep entries that map to exactly one canonical organisation (entries whose
    list names several organisations, e.g. "AT&T/UBC", have no single right
    answer and are dropped);
  * canonical names = distinct canonicals of the kept entries, sorted (Python
    code-point order); hold out sorted[2::5] (every 5th from index 2);
  * directory = the remaining canonicals, ids c0001.. in sorted order;
  * queries = distinct keys whose lowercase differs from their canonical's
    lowercase, ids q00001.. in file order; truth = query -> canonical's id,
    no truth row when the canonical is held out.
"""
import csv, json, os, re, sys

SETS = [("ietf_small", 16000), ("ietf_big", 144000)]
COLS = ["id", "name", "industry", "location", "website"]
ENTRY = re.compile(r'^    ("(?:[^"\\]|\\.)*"):\n        (\[.*?\]),?\n', re.M)


def entries(text):
    return [(json.loads(k), json.loads(v)) for k, v in ENTRY.findall(text)]


def write_csv(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)


def build(text, out):
    ents = entries(text)
    single = [(k, v[0]) for k, v in ents if len(v) == 1]
    canon = sorted({c for _, c in single})
    held = set(canon[2::5])
    kept = [c for c in canon if c not in held]
    cid = {c: "c%04d" % (i + 1) for i, c in enumerate(kept)}
    queries, truth, seen = [], [], set()
    for k, c in single:
        if k.lower() == c.lower() or k in seen:
            continue
        seen.add(k)
        qid = "q%05d" % (len(queries) + 1)
        queries.append([qid, k, "", "", ""])
        if c in cid:
            truth.append([qid, cid[c]])
    os.makedirs(out, exist_ok=True)
    write_csv(os.path.join(out, "directory.csv"), COLS, [[cid[c], c, "", "", ""] for c in kept])
    write_csv(os.path.join(out, "queries.csv"), COLS, queries)
    write_csv(os.path.join(out, "truth.csv"), ["query_id", "entity_id"], truth)
    with open(os.path.join(out, "kind"), "w") as f:
        f.write("company\n")
    print("%s: entries=%d single=%d canonical=%d directory=%d held_out=%d "
          "queries=%d with_truth=%d absent=%d"
          % (out, len(ents), len(single), len(canon), len(kept),
             len(held), len(queries), len(truth), len(queries) - len(truth)))


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    full = open(sys.argv[1], encoding="utf-8").read()
    for name, n in SETS:
        build(full[:n], os.path.join(sys.argv[2], name))


if __name__ == "__main__":
    sys.exit(main())
