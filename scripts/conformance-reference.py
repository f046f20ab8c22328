#!/usr/bin/python3
"""Reference reading of DICOM files with pydicom, for the conformance suite.

Usage: conformance-reference.py FILE...

Reads each file with pydicom.dcmread(path, force=True, stop_before_pixels=True)
and prints one JSON object per line, in argument order:

  {"file": path, "ok": true, "error": null, "transferSyntax": ..., "sopClass": ...,
   "sopInstance": ..., "study": ..., "series": ..., "modality": ..., "patientId": ...,
   "studyDate": ..., "seriesDate": ..., "rows": ..., "columns": ...,
   "charset": [...], "patientName": ..., "topLevelCount": n}

A field is null when the element is absent, "" when it is present but empty.
Rows and Columns are printed as decimal strings. An exception while reading the
file or while accessing any of these elements makes the line
{"file": path, "ok": false, "error": "<exception type>: <message>"}.
"""

import json
import sys
import warnings

import pydicom
from pydicom.multival import MultiValue

FIELDS = [
    ("sopClass", "SOPClassUID"),
    ("sopInstance", "SOPInstanceUID"),
    ("study", "StudyInstanceUID"),
    ("series", "SeriesInstanceUID"),
    ("modality", "Modality"),
    ("patientId", "PatientID"),
    ("studyDate", "StudyDate"),
    ("seriesDate", "SeriesDate"),
    ("rows", "Rows"),
    ("columns", "Columns"),
]


def text(value):
    """One value as text: None (empty) becomes "", multiple values are joined with a backslash."""
    if value is None:
        return ""
    if isinstance(value, (MultiValue, list, tuple)):
        return "\\".join(text(v) for v in value)
    return str(value)


def describe(path):
    ds = pydicom.dcmread(path, force=True, stop_before_pixels=True)
    meta = getattr(ds, "file_meta", None)
    syntax = None
    if meta is not None and "TransferSyntaxUID" in meta:
        syntax = text(meta.TransferSyntaxUID)
    result = {"file": path, "ok": True, "error": None, "transferSyntax": syntax}
    for key, keyword in FIELDS:
        result[key] = text(ds[keyword].value) if keyword in ds else None
    if "SpecificCharacterSet" in ds:
        value = ds["SpecificCharacterSet"].value
        if value is None or value == "":
            result["charset"] = []
        elif isinstance(value, (MultiValue, list, tuple)):
            result["charset"] = [text(v) for v in value]
        else:
            result["charset"] = [text(value)]
    else:
        result["charset"] = None
    result["patientName"] = text(ds["PatientName"].value) if "PatientName" in ds else None
    # Walk every element once, as a real consumer would: force=True defers errors to access time.
    for element in ds:
        _ = element.value
    result["topLevelCount"] = len(ds)
    return result


def main(paths):
    warnings.simplefilter("ignore")
    for path in paths:
        try:
            result = describe(path)
        except Exception as ex:  # noqa: BLE001 - any failure is the reference's rejection of this file
            result = {"file": path, "ok": False, "error": type(ex).__name__ + ": " + str(ex)}
        print(json.dumps(result, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
