"""Command line of the case store (administrators).

    python -m casestore audit export [--db URL] [--out FILE]   every audit row, JSON Lines
    python -m casestore audit verify [--db URL]                exit 0 when the chain holds, 1 when not
    python -m casestore upgrade [--db URL]                     the schema to the newest migration

``--db`` defaults to the configured store (``MMNAV_DATABASE_URL``, else the SQLite file in
``MMNAV_DATA_DIR``). Opening a store upgrades it anyway; ``upgrade`` only says what it did.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .config import StoreConfig, normalise_url


def _url(value: str | None) -> str:
    return normalise_url(value) if value else StoreConfig.from_env().url()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m casestore", description="Case library administration.")
    sub = parser.add_subparsers(dest="command", required=True)
    audit = sub.add_parser("audit", help="the hash-chained audit trail")
    audit_sub = audit.add_subparsers(dest="audit_command", required=True)
    for name, text in (("export", "write every row as JSON Lines"), ("verify", "check every hash")):
        command = audit_sub.add_parser(name, help=text)
        command.add_argument("--db", help="database URL (default: the configured store)")
        if name == "export":
            command.add_argument("--out", type=Path, help="file to write (default: standard output)")
    upgrade = sub.add_parser("upgrade", help="upgrade the schema to the newest migration")
    upgrade.add_argument("--db", help="database URL (default: the configured store)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    url = _url(args.db)
    if args.command == "upgrade":
        from sqlalchemy import create_engine

        from .migrate import upgrade

        engine = create_engine(url)
        try:
            before, after = upgrade(engine, StoreConfig.from_env().default_team)
        finally:
            engine.dispose()
        print(f"schema revision {before or '(empty database)'} -> {after}")
        return 0

    from .store import CaseStore

    store = CaseStore.open(url)
    try:
        status = store.verify_chain()
        if args.audit_command == "export":
            lines = [json.dumps(row.as_dict(), ensure_ascii=False, sort_keys=True) for row in store.audit_rows()]
            text = "".join(line + "\n" for line in lines)
            if args.out:
                args.out.write_text(text, encoding="utf-8")
            else:
                sys.stdout.write(text)
        verdict = "ok" if status.ok else f"BROKEN at row {status.first_bad_seq}: {status.problem}"
        print(f"audit chain: {verdict}; {status.rows} rows; newest hash {status.head_hash}",
              file=sys.stderr if args.audit_command == "export" and not args.out else sys.stdout)
        return 0 if status.ok else 1
    finally:
        store.close()


if __name__ == "__main__":
    sys.exit(main())
