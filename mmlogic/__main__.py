"""Command line: ``python -m mmlogic assess CASE.json [--lang en|zh] [--format json|text]
[--pack seed|contemporary] [--jurisdiction us|eu|cn]`` and
``python -m mmlogic rules [--lang zh]`` and ``python -m mmlogic schema [case|assessment]``;
``python -m mmlogic cohort --labs L --lines L --out DIR …`` (a registry: see docs/cohort.md);
``python -m mmlogic import FILE [FILE…] [--format auto|fhir|wide|csv|json] [--today YYYY-MM-DD]
--out CASE.json`` and ``python -m mmlogic export CASE.json --format fhir|cards [--out FILE]``
(docs/intake.md).

Exit 0 on success; 2 on an invalid case, with one ``field.path: problem`` line per problem on
stderr. Never a traceback for bad input.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from .assess import assess
from .assessment import Assessment
from .case import Case
from .errors import CaseInvalid
from .io import read_case
from .rules import RULES_VERSION, registry
from .summary import render_text

EXIT_INVALID = 2


def _assess(args: argparse.Namespace) -> int:
    try:
        case = read_case(args.case)
        # The one place the core's caller reads the clock: today bounds the time window (rules.md K).
        assessment = assess(case, today=date.today(), pack=args.pack, jurisdiction=args.jurisdiction)
    except CaseInvalid as error:
        print(f"invalid case {args.case}:", file=sys.stderr)
        for line in error.lines():
            print(f"  {line}", file=sys.stderr)
        return EXIT_INVALID
    except ValueError as error:
        print(f"cannot assess {args.case}: {error}", file=sys.stderr)
        return EXIT_INVALID
    if args.format == "text":
        print(render_text(assessment, args.lang, top=args.top))
    else:
        print(json.dumps(assessment.to_output(args.lang), ensure_ascii=False, indent=1))
    return 0


def _rules(args: argparse.Namespace) -> int:
    rules = registry()
    print(f"# rules version {RULES_VERSION}: {len(rules)} rules")
    for rule in rules.values():
        print(f"{rule.id:<28} {rule.section:<6} {rule.kind:<10} {rule.title.get(args.lang)}")
        print(f"    {rule.explanation.get(args.lang)}")
    return 0


def _schema(args: argparse.Namespace) -> int:
    model = Case if args.which == "case" else Assessment
    print(json.dumps(model.model_json_schema(), ensure_ascii=False, indent=1))
    return 0


def _problems(title: str, error: CaseInvalid, lang: str) -> int:
    print(title, file=sys.stderr)
    for found in error.problems:
        print(f"  {found.text(lang)}", file=sys.stderr)
    return EXIT_INVALID


def _read_files(paths: list[str]) -> list[tuple[str, bytes]]:
    from .intake import refuse
    from .intake.jsonsafe import refuse_size

    files = []
    for name in paths:
        path = Path(name)
        try:
            if path.is_file():
                refuse_size(path.stat().st_size, name)  # before the bytes are read
            files.append((path.name, path.read_bytes()))
        except OSError as error:
            refuse(name, f"cannot read the file: {error.strerror}", f"无法读取文件:{error.strerror}", has_got=False)
    return files


def _import(args: argparse.Namespace) -> int:
    from .intake import preview_import

    try:
        today = date.fromisoformat(args.today) if args.today else date.today()
    except ValueError:
        print(f"--today: expected YYYY-MM-DD (got {args.today!r})", file=sys.stderr)
        return EXIT_INVALID
    try:
        preview = preview_import(_read_files(args.files), today=today, fmt=args.format)
    except CaseInvalid as error:
        return _problems("import refused:", error, args.lang)
    for item in preview.skipped:
        print(f"skipped: {item.text(args.lang)}", file=sys.stderr)
    if preview.case is None:
        print("import incomplete: not a whole case:", file=sys.stderr)
        for found in preview.problems:
            print(f"  {found.text(args.lang)}", file=sys.stderr)
        return EXIT_INVALID
    text = json.dumps(preview.case, ensure_ascii=False, indent=1) + "\n"
    try:
        Path(args.out).write_text(text, encoding="utf-8")
    except OSError as error:
        print(f"cannot write {args.out}: {error.strerror}", file=sys.stderr)
        return EXIT_INVALID
    counts = ", ".join(f"{s.name}: {s.format}, {s.labs} labs, {s.therapy_lines} lines, {s.transplants} transplants"
                       for s in preview.sources)
    print(f"wrote {args.out} ({counts}; {len(preview.skipped)} skipped)", file=sys.stderr)
    return 0


def _export(args: argparse.Namespace) -> int:
    from .intake import case_to_bundle, cards

    try:
        case = read_case(args.case)
        if args.format == "fhir":
            data = case_to_bundle(case)
        else:
            data = cards(assess(case, today=date.today()), args.lang)
    except CaseInvalid as error:
        return _problems(f"invalid case {args.case}:", error, args.lang)
    except ValueError as error:
        print(f"cannot export {args.case}: {error}", file=sys.stderr)
        return EXIT_INVALID
    text = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    if args.out:
        try:
            Path(args.out).write_text(text, encoding="utf-8")
        except OSError as error:
            print(f"cannot write {args.out}: {error.strerror}", file=sys.stderr)
            return EXIT_INVALID
    else:
        sys.stdout.write(text)
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["cohort"]:
        # The one edge from the core to the registry package (files, engines, report): imported
        # lazily here, in the composition root that nothing imports.
        from registry.cli import main as cohort_main

        return cohort_main(argv[1:])
    parser = argparse.ArgumentParser(prog="python -m mmlogic", description="Myeloma Relapse Navigator core")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("assess", help="assess a case file")
    p.add_argument("case")
    p.add_argument("--lang", choices=("en", "zh"), default="en")
    p.add_argument("--format", choices=("json", "text"), default="json")
    p.add_argument("--top", type=int, default=5, help="suggestions shown in full in text format")
    p.add_argument("--pack", choices=("seed", "contemporary"), default=None,
                   help="knowledge pack (default: the case's settings.pack, else seed)")
    p.add_argument("--jurisdiction", choices=("us", "eu", "cn"), default=None,
                   help="approvals to check (default: the case's settings.jurisdiction, else all)")
    p.set_defaults(run=_assess)
    r = sub.add_parser("rules", help="list the rule registry")
    r.add_argument("--lang", choices=("en", "zh"), default="en")
    r.set_defaults(run=_rules)
    j = sub.add_parser("schema", help="print the JSON Schema of the case file or of the assessment")
    j.add_argument("which", choices=("case", "assessment"), nargs="?", default="case")
    j.set_defaults(run=_schema)
    i = sub.add_parser("import", help="read FHIR, wide lab exports (csv/xlsx), lab CSV or case JSON into one case file")
    i.add_argument("files", nargs="+")
    i.add_argument("--format", choices=("auto", "fhir", "wide", "csv", "json"), default="auto")
    i.add_argument("--today", default=None, help="date for ages and the time window (default: the clock)")
    i.add_argument("--out", required=True)
    i.add_argument("--lang", choices=("en", "zh"), default="en")
    i.set_defaults(run=_import)
    e = sub.add_parser("export", help="write a case as a FHIR R4 Bundle, or its assessment as CDS Hooks cards")
    e.add_argument("case")
    e.add_argument("--format", choices=("fhir", "cards"), required=True)
    e.add_argument("--out", default=None)
    e.add_argument("--lang", choices=("en", "zh"), default="en")
    e.set_defaults(run=_export)
    sub.add_parser("cohort", help="a registry: response and progression per visit, line and patient "
                                  "(python -m mmlogic cohort --help)")
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
