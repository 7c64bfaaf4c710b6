"""The configuration reference in docs/operations.md, generated from the services' @ConfigMapping interfaces.

    python3 scripts/config_reference.py          # rewrites the section between the markers
    python3 scripts/config_reference.py --check  # exit 1 when the section is not what the code says

Each key: its property name (the mapping's prefix and the method name in kebab-case, nested groups included), its
default (@WithDefault; "—" when the key has none and must be set, or is optional), and the first sentence of its
javadoc. Read from the sources, so the reference cannot drift from the code unnoticed (the check runs in
`./dmlp test`)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "operations.md"
BEGIN, END = "<!-- config-reference:begin -->", "<!-- config-reference:end -->"
MEMBER = re.compile(
    r"(?P<doc>/\*\*(?:(?!\*/).)*\*/)?\s*(?P<annotations>(?:@\w+(?:\([^)]*\))?\s*)*)"
    r"(?P<type>[\w.<>, ?]+?)\s+(?P<name>\w+)\(\)\s*;", re.S)
INTERFACE = re.compile(r"interface\s+(\w+)\s*\{")


def kebab(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "-", name).lower()


def first_sentence(doc: str | None) -> str:
    if not doc:
        return ""
    text = re.sub(r"^\s*/\*\*|\*/\s*$", "", doc)
    text = " ".join(line.strip().lstrip("*").strip() for line in text.splitlines()).strip()
    text = re.sub(r"\{@(?:code|link|linkplain|value)\s+#?([^}]*)\}", r"`\1`", text)
    text = re.sub(r"<[^>]+>", "", text)
    match = re.match(r"(.+?(?<!e\.g)(?<!i\.e)\.)(\s+[A-Z(`]|$)", text)
    sentence = match.group(1) if match else text
    return sentence.replace("|", "\\|")


def bodies(source: str) -> dict[str, str]:
    """{interface name: its body}, nested interfaces cut out of their outer body."""
    found = {}
    for match in INTERFACE.finditer(source):
        depth, i = 1, match.end()
        while depth:
            depth += {"{": 1, "}": -1}.get(source[i], 0)
            i += 1
        found[match.group(1)] = source[match.end():i - 1]
    for name, body in found.items():
        for inner in found:
            if inner != name and f"interface {inner}" in body:
                start = body.index(f"interface {inner}")
                start = body.rfind("\n", 0, body.rfind("/**", 0, start) if "/**" in body[:start] else start)
                body = body[:start] + body[start:].split(found[inner], 1)[1].split("}", 1)[1]
        found[name] = body
    return found


def keys(path: Path) -> tuple[str, list[tuple[str, str, str]]]:
    source = path.read_text()
    prefix = re.search(r'@ConfigMapping\(prefix\s*=\s*"([^"]+)"', source).group(1)
    top = re.search(r"@ConfigMapping[^\n]*\n(?:@\w+[^\n]*\n)*public\s+interface\s+(\w+)", source).group(1)
    interfaces = bodies(source)
    rows: list[tuple[str, str, str]] = []

    def walk(interface: str, at: str) -> None:
        for member in MEMBER.finditer(interfaces[interface]):
            annotations, name = member.group("annotations"), member.group("name")
            named = re.search(r'@WithName\("([^"]+)"\)', annotations)
            key = f"{at}.{named.group(1) if named else kebab(name)}"
            kind = member.group("type").strip()
            inner = re.sub(r"^(Optional|List|Map<String,\s*)<?", "", kind).rstrip(">")
            if inner in interfaces and inner != interface:
                walk(inner, key + (".<name>" if kind.startswith("Map") else ""))
                continue
            default = re.search(r'@WithDefault\("([^"]*)"\)', annotations)
            value = f"`{default.group(1)}`" if default else ("optional" if kind.startswith("Optional") else "—")
            rows.append((key, value, first_sentence(member.group("doc"))))

    walk(top, prefix)
    return prefix, rows


def render() -> str:
    lines = [BEGIN, "", "| key | default | what it sets |", "|---|---|---|"]
    files = sorted(p for p in ROOT.glob("*/src/main/java/**/*.java")
                   if "@ConfigMapping(prefix" in p.read_text())
    for path in sorted(files, key=lambda p: keys(p)[0]):
        module = path.relative_to(ROOT).parts[0]
        for key, default, text in keys(path)[1]:
            lines.append(f"| `{key}` ({module}) | {default} | {text} |")
    lines += ["", END]
    return "\n".join(lines)


def main() -> int:
    doc = DOC.read_text()
    if BEGIN not in doc:
        print(f"{DOC} has no {BEGIN} section", file=sys.stderr)
        return 1
    current = doc[doc.index(BEGIN):doc.index(END) + len(END)]
    wanted = render()
    if "--check" in sys.argv:
        if current != wanted:
            print("docs/operations.md's configuration reference differs from the code: "
                  "run python3 scripts/config_reference.py and commit", file=sys.stderr)
            return 1
        return 0
    DOC.write_text(doc.replace(current, wanted))
    return 0


if __name__ == "__main__":
    sys.exit(main())
