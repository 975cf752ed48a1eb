#!/usr/bin/env python3
"""Build company eval sets from the RIDDLE Fodor's/Zagat's restaurant data.

usage: restaurants.py SOURCE OUTDIR

SOURCE is sappo/simindex's restaurant.csv (measured at commit
b207c5edd57e48b1131e9432f428109dfb1cce59). Columns: id,name,addr,city,phone,type,class;
records with the same class are the same restaurant. The data is not in the repository:
its licence was not checked.

Guide of each record: this copy is NOT ordered "533 Fodor's then 331 Zagat's". Rows 1-224
are the 112 matched pairs (odd id = Fodor's, even id = Zagat's), rows 225-645 are
Fodor's-only, rows 646-864 Zagat's-only. The phone format tells the guides apart
(Fodor's "213/938-1447", Zagat's "213-938-1447"); the script classifies by phone format
and asserts that this agrees with the row layout above.

Sets (kind company):
  OUTDIR/fz           directory = Fodor's, queries = Zagat's; name, location "addr, city", industry = type
  OUTDIR/zf           directory = Zagat's, queries = Fodor's; same columns
  OUTDIR/fz_namecity  directory = Fodor's, queries = Zagat's; name, location = city only
Truth = query -> directory record with the same class.
"""
import csv, os, re, sys
from collections import defaultdict

COLS = ["id", "name", "industry", "location", "website"]


def load(src):
    with open(src, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f, skipinitialspace=True))
    header, rows = rows[0], rows[1:]
    assert header == ["id", "name", "addr", "city", "phone", "type", "class"], header
    recs = []
    for r in rows:
        rid, name, addr, city, phone, typ, cls = r
        cls = cls.strip().strip("'")
        by_phone = "F" if "/" in phone else ("Z" if re.match(r"^\d{3}-", phone) else None)
        i = int(rid)
        by_pos = ("F" if i % 2 else "Z") if i <= 224 else ("F" if i <= 645 else "Z")
        assert by_phone == by_pos, (rid, phone, by_phone, by_pos)
        recs.append(dict(id=i, name=name, addr=addr, city=city, phone=phone, type=typ,
                         cls=cls, guide=by_phone))
    return recs


def write_csv(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)


def row(r, loc_mode, with_industry):
    rid = ("f%d" if r["guide"] == "F" else "z%d") % r["id"]
    loc = "%s, %s" % (r["addr"], r["city"]) if loc_mode == "addr_city" else r["city"]
    return [rid, r["name"], r["type"] if with_industry else "", loc, ""]


def build(outdir, name, recs, dir_guide, loc_mode, with_industry):
    d = [r for r in recs if r["guide"] == dir_guide]
    q = [r for r in recs if r["guide"] != dir_guide]
    by_cls = defaultdict(list)
    for r in d:
        by_cls[r["cls"]].append(r)
    assert all(len(v) == 1 for v in by_cls.values())
    drows = [row(r, loc_mode, with_industry) for r in d]
    qrows = [row(r, loc_mode, with_industry) for r in q]
    truth = [[qr[0], row(by_cls[r["cls"]][0], loc_mode, with_industry)[0]]
             for r, qr in zip(q, qrows) if r["cls"] in by_cls]
    out = os.path.join(outdir, name)
    os.makedirs(out, exist_ok=True)
    write_csv(os.path.join(out, "directory.csv"), COLS, drows)
    write_csv(os.path.join(out, "queries.csv"), COLS, qrows)
    write_csv(os.path.join(out, "truth.csv"), ["query_id", "entity_id"], truth)
    with open(os.path.join(out, "kind"), "w") as f:
        f.write("company\n")
    print("%s: directory=%d queries=%d true=%d absent=%d"
          % (out, len(drows), len(qrows), len(truth), len(qrows) - len(truth)))


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    recs = load(sys.argv[1])
    outdir = sys.argv[2]
    nf = sum(r["guide"] == "F" for r in recs)
    nz = sum(r["guide"] == "Z" for r in recs)
    cls_guides = defaultdict(list)
    for r in recs:
        cls_guides[r["cls"]].append(r["guide"])
    pairs = sum(1 for g in cls_guides.values() if sorted(g) == ["F", "Z"])
    assert all(len(g) == 1 or sorted(g) == ["F", "Z"] for g in cls_guides.values())
    print("records=%d fodors=%d zagats=%d classes=%d shared=%d" % (len(recs), nf, nz, len(cls_guides), pairs))
    build(outdir, "fz", recs, "F", "addr_city", True)
    build(outdir, "zf", recs, "Z", "addr_city", True)
    build(outdir, "fz_namecity", recs, "F", "city", False)


if __name__ == "__main__":
    sys.exit(main())
