"""Golden vectors for nuages::core::paginator, produced by real Django 5.2.

Run with the reference venv:
    ~/.cache/nuages-reference-django/venv/bin/python paginator_vectors.py > paginator_vectors.json

For each paginator (count, per_page, orphans, allow_empty_first_page) it records count,
num_pages, page_range, then for each page number input (ints, floats and strings) what
validate_number, page() and get_page() give: the page's number, object_list, has_next,
has_previous, has_other_pages, next/previous page number (or the error), start/end index;
and get_elided_page_range for several (number, on_each_side, on_ends).
"""
import json

import django
from django.conf import settings

settings.configure(USE_I18N=False)
django.setup()

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator  # noqa: E402

PAGINATORS = [
    (0, 10, 0, True), (0, 10, 0, False), (1, 10, 0, True), (10, 10, 0, True), (11, 10, 0, True),
    (11, 10, 1, True), (12, 10, 2, True), (13, 10, 2, True), (25, 10, 0, True), (25, 10, 5, True),
    (25, 10, 4, True), (3, 1, 0, True), (9, 3, 10, True), (100, 1, 0, True), (50, 1, 0, True),
    (5, 2, 1, False), (1, 1, 0, False),
]

NUMBERS = [1, 2, 3, 0, -1, 100, 1.0, 2.0, 2.5, "1", "2", "0", "-1", "abc", "1.0", "2.5", "last", "",
           " 2 ", "+2", "1_0", "٣", "9999999999999999999999", None, True, "1e1", "0x10"]


def err(e):
    return {"error": type(e).__name__, "message": str(e)}


def page_info(p):
    d = {"number": p.number, "object_list": list(p.object_list), "len": len(p),
         "has_next": p.has_next(), "has_previous": p.has_previous(),
         "has_other_pages": p.has_other_pages(), "start_index": p.start_index(),
         "end_index": p.end_index(), "repr": repr(p)}
    for name in ("next_page_number", "previous_page_number"):
        try:
            d[name] = getattr(p, name)()
        except (EmptyPage, PageNotAnInteger) as e:
            d[name] = err(e)
    return d


def call(fn):
    try:
        return fn()
    except (EmptyPage, PageNotAnInteger) as e:
        return err(e)


def describe_number(n):
    if isinstance(n, bool):
        return {"bool": n}
    if isinstance(n, int):
        return {"int": n}
    if isinstance(n, float):
        return {"float": n}
    if n is None:
        return {"none": True}
    return {"str": n}


out = []
for count, per_page, orphans, allow_empty in PAGINATORS:
    p = Paginator(list(range(count)), per_page, orphans=orphans, allow_empty_first_page=allow_empty)
    entry = {"count": count, "per_page": per_page, "orphans": orphans, "allow_empty_first_page": allow_empty,
             "num_pages": p.num_pages, "page_range": list(p.page_range), "numbers": []}
    for n in NUMBERS:
        r = {"input": describe_number(n)}
        r["validate_number"] = call(lambda: p.validate_number(n))
        r["page"] = call(lambda: page_info(p.page(n)))
        r["get_page"] = call(lambda: page_info(p.get_page(n)))
        entry["numbers"].append(r)
    entry["elided"] = []
    for number in list(range(0, p.num_pages + 2)):
        for on_each_side, on_ends in ((3, 2), (1, 1), (0, 0), (2, 0), (0, 1)):
            res = call(lambda: [x if isinstance(x, int) else str(x) for x in
                                p.get_elided_page_range(number, on_each_side=on_each_side, on_ends=on_ends)])
            entry["elided"].append({"number": number, "on_each_side": on_each_side, "on_ends": on_ends,
                                    "result": res})
    out.append(entry)

print(json.dumps({"django": django.get_version(), "paginators": out}, ensure_ascii=False, indent=0))
