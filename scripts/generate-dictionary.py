#!/usr/bin/python3
"""Generates the DICOM data dictionary and UID dictionary sources for Engine/Dicom.

The standard's tables are not typed in by hand: they are read from machine-readable copies that
Debian ships, so that a newer edition of the standard is one regeneration away.

Inputs
  * dcmtk's data dictionary, /usr/share/libdcmtk*/dicom.dic (the newest installed libdcmtk), for tags.
    Only entries whose source column is ``DICOM`` or ``DICOM/retired`` are used; private, generic and
    illegal skeleton entries and the DICONDE/DICOS extensions are skipped.
  * pydicom's UID table, /usr/lib/python3/dist-packages/pydicom/_uid_dict.py, for UIDs.

Outputs (relative to the repository root)
  * Engine/Dicom/DicomDictionary.Generated.cs   exact entries as sorted parallel arrays, masked entries
  * Engine/Dicom/DicomTags.Generated.cs         one constant per exact public tag keyword
  * Engine/Dicom/DicomUidDictionary.Generated.cs

Usage
  /usr/bin/python3 scripts/generate-dictionary.py           rewrite the outputs
  /usr/bin/python3 scripts/generate-dictionary.py --check   exit 1 if the committed outputs differ

Tag notation in dicom.dic
  ``(gggg,eeee)`` is one tag. A part written ``llll-hhhh`` is a range of even values only,
  ``llll-o-hhhh`` of odd values only and ``llll-u-hhhh`` of all values (dcmtk's convention). A part may
  also use the standard's ``x`` digits (``60xx``), meaning any value; an ``x`` in the group stands for
  even groups only, because odd groups are private (PS3.5 §7.8). Every range must be expressible as
  ``tag & mask == value``; anything else is an error rather than a silent approximation.

Retired keywords carry a ``RETIRED_`` prefix in dicom.dic; the prefix is removed (the entry's Retired
flag says the same thing) so keywords match the standard's and pydicom's.

Pseudo-VR mapping (dcmtk's lower-case VRs stand for "one of several"; the first VR is the one a
writer would choose, the alternate the other permitted encoding):
    xs -> US, alternate SS   (US or SS: signedness follows Pixel Representation)
    ox -> OB, alternate OW   (OB or OW: overlay, curve and waveform data)
    px -> OB, alternate OW   (OB or OW: Pixel Data)
    lt -> OW, alternate US   (US or OW: LUT data)
    up -> UL                 (UL holding a file offset in a DICOMDIR)
    na -> None               (items and delimiters have no VR)
    ?? -> UN
"""

import ast
import glob
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DCMTK_GLOB = "/usr/share/libdcmtk*/dicom.dic"
UID_SOURCE = "/usr/lib/python3/dist-packages/pydicom/_uid_dict.py"

DICTIONARY_OUT = "Engine/Dicom/DicomDictionary.Generated.cs"
TAGS_OUT = "Engine/Dicom/DicomTags.Generated.cs"
UIDS_OUT = "Engine/Dicom/DicomUidDictionary.Generated.cs"

ACCEPTED_SOURCES = {"DICOM": False, "DICOM/retired": True}

STANDARD_VRS = {
    "AE", "AS", "AT", "CS", "DA", "DS", "DT", "FD", "FL", "IS", "LO", "LT", "OB", "OD", "OF", "OL",
    "OV", "OW", "PN", "SH", "SL", "SQ", "SS", "ST", "SV", "TM", "UC", "UI", "UL", "UN", "UR", "US",
    "UT", "UV",
}

PSEUDO_VRS = {
    "xs": ("US", "SS"),
    "ox": ("OB", "OW"),
    "px": ("OB", "OW"),
    "lt": ("OW", "US"),
    "up": ("UL", "None"),
    "na": ("None", "None"),
    "??": ("UN", "None"),
}

KEYWORD = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


class GeneratorError(Exception):
    pass


def numeric_sort_key(path):
    """Orders libdcmtk9 before libdcmtk17 so the newest installed dictionary wins."""
    return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", path)]


def find_dicom_dic():
    paths = sorted(glob.glob(DCMTK_GLOB), key=numeric_sort_key)
    if not paths:
        raise GeneratorError(f"no dcmtk data dictionary matches {DCMTK_GLOB} (install dcmtk)")
    return paths[-1]


def map_vr(code, where):
    if code in PSEUDO_VRS:
        return PSEUDO_VRS[code]
    if code in STANDARD_VRS:
        return code, "None"
    raise GeneratorError(f"{where}: unknown VR '{code}'")


def range_to_mask(low, high, restriction, where):
    """Turns a 16-bit range with a parity restriction into (value, mask) with x & mask == value."""
    if low > high:
        raise GeneratorError(f"{where}: range {low:04X}-{high:04X} is reversed")
    span = high - low
    # The free bits must be a block of low-order bits, and low must be aligned to it.
    if (span + 1) & span or low & span:
        if restriction != "unspecified" and ((span + 2) & (span + 1)) == 0 and low & (span + 1) == 0:
            # e.g. 6000-60FE: the last value is excluded by the parity restriction anyway.
            span += 1
        else:
            raise GeneratorError(f"{where}: range {low:04X}-{high:04X} is not a mask")
    mask = ~span & 0xFFFF
    value = low
    if restriction in ("even", "odd"):
        mask |= 1
        value = (value & ~1) | (1 if restriction == "odd" else 0)
        if (low & 1) != (value & 1):
            raise GeneratorError(f"{where}: range start {low:04X} contradicts its {restriction} restriction")
    return value, mask


def parse_tag_part(text, is_group, where):
    """Parses one half of a tag field into (value, mask)."""
    text = text.strip()
    m = re.fullmatch(r"([0-9A-Fa-f]{4})-([oOeEuU])-([0-9A-Fa-f]{4})", text)
    if m:
        restriction = {"o": "odd", "e": "even", "u": "unspecified"}[m.group(2).lower()]
        return range_to_mask(int(m.group(1), 16), int(m.group(3), 16), restriction, where)
    m = re.fullmatch(r"([0-9A-Fa-f]{4})-([0-9A-Fa-f]{4})", text)
    if m:
        return range_to_mask(int(m.group(1), 16), int(m.group(2), 16), "even", where)
    if re.fullmatch(r"[0-9A-Fa-fxX]{4}", text):
        value = 0
        mask = 0
        for ch in text:
            value <<= 4
            mask <<= 4
            if ch not in "xX":
                value |= int(ch, 16)
                mask |= 0xF
        if is_group and mask != 0xFFFF:
            mask |= 1
            value &= ~1
        return value, mask
    raise GeneratorError(f"{where}: cannot parse tag part '{text}'")


def parse_tag(field, where):
    m = re.fullmatch(r"\(\s*([^,]+?)\s*,\s*([^,]+?)\s*\)", field.strip())
    if not m:
        raise GeneratorError(f"{where}: cannot parse tag '{field}'")
    group, group_mask = parse_tag_part(m.group(1), True, where)
    element, element_mask = parse_tag_part(m.group(2), False, where)
    return (group << 16) | element, (group_mask << 16) | element_mask


def read_tags(path):
    exact = {}
    masked = []
    keywords = {}
    with open(path, encoding="utf-8") as f:
        for number, raw in enumerate(f, 1):
            line = raw.rstrip("\r\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            where = f"{path}:{number}"
            fields = line.split("\t")
            if len(fields) != 5:
                raise GeneratorError(f"{where}: expected 5 tab-separated fields, found {len(fields)}")
            tag_field, vr_code, name, vm, source = (x.strip() for x in fields)
            if source not in ACCEPTED_SOURCES:
                continue
            retired = ACCEPTED_SOURCES[source]
            if tag_field.count('"'):
                raise GeneratorError(f"{where}: private creator in a public entry")
            tag, mask = parse_tag(tag_field, where)
            vr, alternate = map_vr(vr_code, where)
            keyword = name[len("RETIRED_"):] if name.startswith("RETIRED_") else name
            if not KEYWORD.match(keyword):
                raise GeneratorError(f"{where}: keyword '{keyword}' is not an identifier")
            if keyword in keywords:
                raise GeneratorError(f"{where}: keyword {keyword} also used at {keywords[keyword]}")
            keywords[keyword] = where
            entry = (tag, mask, vr, alternate, vm, keyword, retired)
            if mask == 0xFFFFFFFF:
                if tag in exact:
                    raise GeneratorError(f"{where}: tag {format_tag(tag)} defined twice")
                exact[tag] = entry
            else:
                masked.append(entry)
    # More specific masks first so that a narrower range would win over a wider one.
    masked.sort(key=lambda e: (-bin(e[1]).count("1"), e[0], e[1]))
    return [exact[t] for t in sorted(exact)], masked


def read_uids(path):
    with open(path, encoding="utf-8") as f:
        tree = ast.parse(f.read(), path)
    table = None
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "UID_dictionary" for t in node.targets
        ):
            table = ast.literal_eval(node.value)
    if table is None:
        raise GeneratorError(f"{path}: no UID_dictionary assignment")
    entries = []
    for uid, value in table.items():
        if len(value) != 5:
            raise GeneratorError(f"{path}: UID {uid} has {len(value)} fields, expected 5")
        name, uid_type, _info, retired, keyword = value
        if not re.fullmatch(r"[0-9]+(\.[0-9]+)*", uid):
            raise GeneratorError(f"{path}: '{uid}' is not a UID")
        entries.append((uid, name, uid_type, retired == "Retired", keyword))
    entries.sort(key=lambda e: [int(c) for c in e[0].split(".")])
    return entries


def format_tag(tag):
    return f"({tag >> 16:04X},{tag & 0xFFFF:04X})"


def format_masked_tag(tag, mask):
    def part(value, part_mask):
        return "".join(
            f"{(value >> shift) & 0xF:X}" if (part_mask >> shift) & 0xF == 0xF else "x"
            for shift in (12, 8, 4, 0)
        )
    return f"({part(tag >> 16, mask >> 16)},{part(tag & 0xFFFF, mask & 0xFFFF)})"


def cs_string(text):
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif " " <= ch <= "~":
            out.append(ch)
        else:
            out.append(f"\\u{ord(ch):04X}")
    return '"' + "".join(out) + '"'


def cs_vr(vr):
    return f"DicomVR.{vr}"


def vr_text(vr, alternate):
    if vr == "None":
        return "--"
    return vr if alternate == "None" else f"{vr} or {alternate}"


# The <auto-generated> marker lets analyzers skip these large data files (it saves build time) and
# turns the nullable context off, so each file switches it back on.
GENERATED_MARKER = "// <auto-generated />\n"
NOTICE = "// Generated by scripts/generate-dictionary.py. Do not edit: change the script and run it again.\n"


def header(source, extra):
    lines = [f"// Source: {source}."] + [f"// {x}" for x in extra]
    return GENERATED_MARKER + NOTICE + "\n".join(lines) + "\n\n#nullable enable\n\n"


def source_text(dic_path, edition):
    return f"{dic_path} ({edition})" if edition else dic_path


def dic_edition(path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = re.match(r"#\s*Generated automatically from (.*?)\.?\s*$", line)
            if m:
                return m.group(1)
    return ""


def chunks(items, size):
    for i in range(0, len(items), size):
        yield items[i:i + size]


def render_dictionary(exact, masked, dic_path, edition):
    vms = sorted({e[4] for e in exact}, key=lambda v: (len(v), v))
    if len(vms) > 255:
        raise GeneratorError("more than 255 distinct VMs do not fit a byte index")
    vm_index = {v: i for i, v in enumerate(vms)}
    out = [header(source_text(dic_path, edition), [
        "Exact entries are parallel arrays indexed alike and sorted by tag: line n of each array holds",
        "the same eight entries. Arrays of constants compile to a copy from data in the assembly, not to",
        "code per element; they are arrays rather than ReadOnlySpan properties because unoptimised (Debug)",
        "code allocates a field handle each time such a property is read.",
    ])]
    out.append("namespace Nccid.Batch.Dicom;\n\n")
    out.append("public static partial class DicomDictionary\n{\n")
    out.append(f"    private const int ExactCount = {len(exact)};\n\n")

    def span(name, element_type, values, per_line, comment):
        out.append(f"    /// <summary>{comment}</summary>\n")
        out.append(f"    private static readonly {element_type}[] {name} =\n    [\n")
        for part in chunks(values, per_line):
            out.append("        " + ", ".join(part) + ",\n")
        out.append("    ];\n\n")

    span("ExactTags", "uint", [f"0x{e[0]:08X}" for e in exact], 8, "Tags of the exact entries, ascending.")
    span("ExactVRs", "DicomVR", [cs_vr(e[2]) for e in exact], 8, "VR of each exact entry.")
    span("ExactAlternateVRs", "DicomVR", [cs_vr(e[3]) for e in exact], 8,
         "Alternate VR of each exact entry (None when there is only one).")
    span("ExactVMIndexes", "byte", [str(vm_index[e[4]]) for e in exact], 8, "Index into VMs of each exact entry.")
    span("ExactRetired", "bool", ["true" if e[6] else "false" for e in exact], 8,
         "Whether each exact entry is retired.")

    out.append("    /// <summary>The distinct value multiplicities of the exact entries.</summary>\n")
    out.append("    private static readonly string[] VMs =\n    [\n")
    for part in chunks([cs_string(v) for v in vms], 8):
        out.append("        " + ", ".join(part) + ",\n")
    out.append("    ];\n\n")

    out.append("    /// <summary>Keyword of each exact entry, one per line.</summary>\n")
    out.append('    private const string ExactKeywordLines = """\n')
    for e in exact:
        out.append(f"        {e[5]}\n")
    out.append('        """;\n\n')

    out.append("    /// <summary>Entries for repeating groups and element ranges; narrower masks first.</summary>\n")
    out.append("    private static readonly DicomDictionaryEntry[] MaskedEntries =\n    [\n")
    for e in masked:
        tag, mask, vr, alternate, vm, keyword, retired = e
        out.append(
            f"        new(0x{tag:08X}, 0x{mask:08X}, {cs_vr(vr)}, {cs_vr(alternate)}, {cs_string(vm)}, "
            f"{cs_string(keyword)}, {'true' if retired else 'false'}), // {format_masked_tag(tag, mask)}\n"
        )
    out.append("    ];\n}\n")
    return "".join(out)


def render_tags(exact, dic_path, edition):
    out = [header(source_text(dic_path, edition), [])]
    out.append("namespace Nccid.Batch.Dicom;\n\n")
    out.append("/// <summary>\n")
    out.append("/// Tags of the standard's attributes as <c>group &lt;&lt; 16 | element</c>, named by keyword\n")
    out.append("/// (PS3.6 Section 6). Repeating-group attributes such as OverlayData (60xx,3000) have no constant.\n")
    out.append("/// </summary>\n")
    out.append("public static partial class DicomTags\n{\n")
    for e in exact:
        tag, _mask, vr, alternate, vm, keyword, retired = e
        suffix = " (retired)" if retired else ""
        out.append(f"    /// <summary>{format_tag(tag)} {vr_text(vr, alternate)} {keyword}{suffix}</summary>\n")
        out.append(f"    public const uint {keyword} = 0x{tag:08X};\n")
    out.append("}\n")
    return "".join(out)


def render_uids(uids, pydicom_version):
    out = [header(f"{UID_SOURCE} (pydicom {pydicom_version})", [])]
    out.append("namespace Nccid.Batch.Dicom;\n\n")
    out.append("public static partial class DicomUidDictionary\n{\n")
    out.append("    /// <summary>The standard's UIDs (PS3.6 Annex A), in numeric order.</summary>\n")
    out.append("    private static readonly DicomUidEntry[] Entries =\n    [\n")
    for uid, name, uid_type, retired, keyword in uids:
        out.append(
            f"        new({cs_string(uid)}, {cs_string(name)}, {cs_string(uid_type)}, "
            f"{'true' if retired else 'false'}, {cs_string(keyword)}),\n"
        )
    out.append("    ];\n}\n")
    return "".join(out)


def pydicom_version():
    version_file = os.path.join(os.path.dirname(UID_SOURCE), "_version.py")
    try:
        with open(version_file, encoding="utf-8") as f:
            m = re.search(r"__version__\s*(?::\s*str)?\s*=\s*['\"]([^'\"]+)['\"]", f.read())
            if m:
                return m.group(1)
    except OSError:
        pass
    return "unknown version"


def generate():
    dic_path = find_dicom_dic()
    edition = dic_edition(dic_path)
    exact, masked = read_tags(dic_path)
    uids = read_uids(UID_SOURCE)
    return {
        DICTIONARY_OUT: render_dictionary(exact, masked, dic_path, edition),
        TAGS_OUT: render_tags(exact, dic_path, edition),
        UIDS_OUT: render_uids(uids, pydicom_version()),
    }


def main(argv):
    check = "--check" in argv[1:]
    unknown = [a for a in argv[1:] if a != "--check"]
    if unknown:
        print(f"usage: {argv[0]} [--check]", file=sys.stderr)
        return 2
    try:
        outputs = generate()
    except (GeneratorError, OSError, SyntaxError, ValueError) as error:
        print(f"generate-dictionary: {error}", file=sys.stderr)
        return 2
    stale = []
    for relative, text in outputs.items():
        path = os.path.join(ROOT, relative)
        try:
            with open(path, encoding="utf-8", newline="") as f:
                current = f.read()
        except FileNotFoundError:
            current = None
        if current == text:
            continue
        if check:
            stale.append(relative)
        else:
            with open(path, "w", encoding="utf-8", newline="\n") as f:
                f.write(text)
            print(f"wrote {relative}")
    if stale:
        for relative in stale:
            print(f"{relative} differs from what scripts/generate-dictionary.py generates", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
